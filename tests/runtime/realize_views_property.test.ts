// Issue requirement: a pipeline realized into a random view of a buffer writes exactly the elements of that view
// (nothing outside it: a guard band of sentinel values around it stays intact) with the values a dense
// realization gives — for views with any storage order, negative strides (reversed axes), crops and mins.
import { describe, expect, it } from "bun:test";
import fc from "fast-check";
import * as hl from "../../mod.ts";

const SENTINEL = -7777;
const vars = [new hl.Var("x"), new hl.Var("y"), new hl.Var("z")];

/** f(x, y, z) = x + 100 y + 10000 z (+ 1), distinct per element and never the sentinel. */
function makeFunc(dims: number, vectorize: number): hl.Func {
  const f = new hl.Func(`views_${dims}d`);
  const v = vars.slice(0, dims);
  f.at(...v).set(v.reduce((acc: hl.Expr, x, i) => acc.add(x.mul(100 ** i)), new hl.Expr(1)));
  // Any stride: transposed and reversed views are allowed outputs.
  f.outputBuffer().dim(0).setStride(undefined);
  if (vectorize > 1) f.vectorize(vars[0], vectorize, hl.TailStrategy.GuardWithIf);
  return f;
}

const viewArb = fc.integer({ min: 1, max: 3 }).chain((dims) =>
  fc.record({
    dims: fc.constant(dims),
    sizes: fc.array(fc.integer({ min: 3, max: 7 }), { minLength: dims, maxLength: dims }),
    order: fc.shuffledSubarray([0, 1, 2].slice(0, dims), { minLength: dims, maxLength: dims }),
    crop: fc.array(fc.tuple(fc.integer({ min: 0, max: 2 }), fc.integer({ min: 0, max: 2 })), {
      minLength: dims,
      maxLength: dims,
    }),
    reversed: fc.array(fc.boolean(), { minLength: dims, maxLength: dims }),
    shift: fc.array(fc.integer({ min: -5, max: 5 }), { minLength: dims, maxLength: dims }),
    vectorize: fc.constantFrom(1, 4),
  })
);

describe("realize into a random view", () => {
  it("writes exactly the view's elements, with the dense result's values", () => {
    fc.assert(
      fc.property(viewArb, ({ dims, sizes, order, crop, reversed, shift, vectorize }) => {
        // The storage: a dense buffer in a random storage order, filled with the sentinel.
        const base = new hl.Buffer(hl.Int(32), sizes, { storageOrder: order });
        base.fill(SENTINEL);
        // The view: cropped inside a guard band, some axes reversed (negative strides), then moved to new mins.
        let view = base.cropped(sizes.map((s, d) => [crop[d][0], Math.max(1, s - crop[d][0] - crop[d][1])] as [number, number]));
        const arr = view.asNdArray({ reverseAxes: false });
        const stride = arr.stride ?? [];
        const flips = { ...arr, stride: [...stride], offset: arr.offset ?? 0 };
        reversed.forEach((r, d) => {
          if (!r) return;
          flips.offset += (arr.shape[d] - 1) * stride[d];
          flips.stride[d] = -stride[d];
        });
        view = hl.Buffer.from(flips, { reverseAxes: false });
        view.setMin(shift);
        const f = makeFunc(dims, vectorize);
        f.realize(view);
        const dense = new hl.Buffer(hl.Int(32), sizes.map((_, d) => view.dim(d).extent));
        dense.setMin(shift);
        f.realize(dense);
        // Every element of the view has f's value at its coordinates (mins honoured), as a dense realization has.
        view.forEachElement((c) => {
          const expected = dense.get(c);
          if (view.get(c) !== expected) throw new Error(`view[${c}] = ${view.get(c)}, expected ${expected}`);
        });
        // Everything in the storage outside the view is untouched.
        let written = 0;
        base.forEachValue((v) => void (written += v === SENTINEL ? 0 : 1));
        expect(written).toBe(view.numberOfElements());
      }),
      { seed: 0x71e35, numRuns: 60 },
    );
  }, 120000);
});
