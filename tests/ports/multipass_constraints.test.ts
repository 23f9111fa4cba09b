// Port of Halide's test/correctness/multipass_constraints.cpp (and its Python twin multipass_constraints.py):
// constraints that refer to other dimensions and to the output buffer, resolved by repeated bounds queries.
//
// The original defines out(x, y) = in(x + 1, y + 1) + in(x - 1, y - 1), then an update `out(x, y) += 3` vectorized
// by 4. halide-ts has no update definitions, so:
//  1. The pure variant: out(x, y) = in(x + 1, y + 1) + in(x - 1, y - 1) + 3, vectorized by 4 with the default tail
//     strategy. For a pure definition of an output, Auto is ShiftInwards: the computed region is exactly the
//     buffer's, so the output query walks 7 → 8 → … → 22 (each pass adds 1 while extent < 22, one pass per step)
//     and stops at 22 = select(22 < 22, 23, 22). The input's proposal follows the output's one pass later, and a
//     last pass must see nothing change: from 7 that is 17 queries, more than Halide's limit of 16, so this
//     variant starts from a 12-wide query (and the 7-wide one is the "didn't converge" error). Then
//       out: min 0 (constraint), extent 22;  y: min 2, extent 8 (unconstrained)
//       in dim 1: y - 1 … y + 1 over [2, 9] → [1, 10]: min 1, extent 10
//       in dim 0: min = in.min.1 - 5 = -4, extent = in.extent.1 + out.extent.0 = 10 + 22 = 32
//     (and [-4, 27] covers the x - 1 … x + 1 = [-1, 22] that the computation needs).
//  2. The same with an explicit RoundUp tail: Auto for a pure Var of an update definition — the original — is
//     RoundUp, so the required output region is rounded up to a multiple of 4 at each pass: 7 → 8 (round) → 9
//     (constraint) → 12 → 13 → 16 → 17 → 20 → 21 → 24 → 24, which gives the original's numbers exactly:
//     out [0, 24] × [2, 8], in [-4, 34] × [1, 10].
//  3. The output-buffer constraint alone, `o.dim(0).setBounds(0, select(...))`, checked on real buffers too.
import { describe, expect, it } from "bun:test";
import * as hl from "../../mod.ts";
import { throwsHalide } from "../schedule/helpers.ts";

const x = new hl.Var("x"), y = new hl.Var("y");

type Shape = [number, number][];
const shape = (b: hl.Buffer | undefined): Shape => {
  if (!b) throw new Error("no buffer bound");
  return Array.from({ length: b.dimensions }, (_, d) => [b.dim(d).min, b.dim(d).extent] as [number, number]);
};

/** The original's pipeline as one pure definition, with its two hard-to-resolve constraints. */
function pipeline(tail?: hl.TailStrategy) {
  const input = new hl.ImageParam(hl.Float(32), 2, "input");
  const out = new hl.Func("out");
  out.at(x, y).set(input.at(x.add(1), y.add(1)).add(input.at(x.sub(1), y.sub(1))).add(hl.f32(3)));
  out.vectorize(x, 4, tail);
  const o = out.outputBuffer();
  input.dim(0).setBounds(input.dim(1).min().sub(5), input.dim(1).extent().add(o.dim(0).extent()));
  o.dim(0).setBounds(0, hl.select(o.dim(0).extent().lt(22), o.dim(0).extent().add(1), o.dim(0).extent()));
  return { input, out };
}

/** The original's bounds-query buffer: 7 × 8 at min (2, 2) (or `width` wide). */
function query(width = 7): hl.Buffer {
  const q = hl.Buffer.makeBoundsQuery(hl.Float(32), [width, 8]);
  q.setMin([2, 2]);
  return q;
}

describe("multipass_constraints", () => {
  it("pure definition, default tail, from a 7-wide query: more than 16 passes is Halide's convergence error", () => {
    const { out } = pipeline();
    throwsHalide(
      () => out.inferInputBounds(query()),
      "Inferring input bounds on Pipeline didn't converge after 16 iterations. There may be unsatisfiable constraints",
    );
  });

  it("pure definition, default tail: out [0, 22] × [2, 8], input [-4, 32] × [1, 10]; then it runs", () => {
    const { input, out } = pipeline();
    const q = query(12);
    out.inferInputBounds(q);
    expect(shape(input.get())).toEqual([[-4, 32], [1, 10]]);
    expect(shape(q)).toEqual([[0, 22], [2, 8]]);
    // The inferred shapes satisfy the constraints: realize into a buffer of the queried shape.
    input.get()!.forEachElement(([i, j]) => input.get()!.set([i, j], i + 100 * j));
    const dst = new hl.Buffer(hl.Float(32), [22, 8]);
    dst.setMin([0, 2]);
    out.realize(dst);
    dst.forEachElement(([i, j]) => expect(dst.get([i, j])).toBe((i + 1 + 100 * (j + 1)) + (i - 1 + 100 * (j - 1)) + 3));
  });

  it("pure definition with a RoundUp tail (the update's Auto in the original): Halide's numbers", () => {
    const { input, out } = pipeline(hl.TailStrategy.RoundUp);
    const q = query();
    out.inferInputBounds(q);
    expect(shape(input.get())).toEqual([[-4, 34], [1, 10]]);
    expect(shape(q)).toEqual([[0, 24], [2, 8]]);
    input.get()!.fill(0.5);
    const dst = new hl.Buffer(hl.Float(32), [24, 8]);
    dst.setMin([0, 2]);
    out.realize(dst);
    expect(dst.allEqual(4)).toBe(true);
  });

  it("Pipeline.inferInputBounds gives the same result as the Func's", () => {
    const { input, out } = pipeline();
    const q = query(12);
    new hl.Pipeline(out).inferInputBounds([q]);
    expect(shape(input.get())).toEqual([[-4, 32], [1, 10]]);
    expect(shape(q)).toEqual([[0, 22], [2, 8]]);
  });

  it("the output-buffer constraint alone: o.dim(0).setBounds(0, select(o.extent < 22, o.extent + 1, o.extent))", () => {
    const input = new hl.ImageParam(hl.Float(32), 2, "in");
    const out = new hl.Func("out");
    out.at(x, y).set(input.at(x.add(1), y.add(1)).add(input.at(x.sub(1), y.sub(1))).add(hl.f32(3)));
    const o = out.outputBuffer();
    o.dim(0).setBounds(0, hl.select(o.dim(0).extent().lt(22), o.dim(0).extent().add(1), o.dim(0).extent()));

    const q = query(12);
    out.inferInputBounds(q);
    expect(shape(q)).toEqual([[0, 22], [2, 8]]);
    expect(shape(input.get())).toEqual([[-1, 24], [1, 10]]);

    // Real buffers: extents below 22 violate the constraint (the select asks for one more), 22 and above pass.
    const big = new hl.Buffer(hl.Float(32), [40, 20]);
    big.setMin([-5, -5]);
    big.fill(1);
    input.set(big);
    throwsHalide(
      () => out.realize([7, 8]),
      /^Constraint violated: out(\$\d+)?\.extent\.0 \(7\) == select\(\(out(\$\d+)?\.extent\.0 < 22\), \(out(\$\d+)?\.extent\.0 \+ 1\), out(\$\d+)?\.extent\.0\) \(8\)$/,
    );
    throwsHalide(() => out.realize([21, 8]), /^Constraint violated: out(\$\d+)?\.extent\.0 \(21\) == .* \(22\)$/);
    expect(out.realize([22, 8]).allEqual(5)).toBe(true);
    expect(out.realize([23, 8]).allEqual(5)).toBe(true);
    const shifted = new hl.Buffer(hl.Float(32), [22, 3]);
    shifted.setMin([1, 0]);
    throwsHalide(() => out.realize(shifted), /^Constraint violated: out(\$\d+)?\.min\.0 \(1\) == 0 \(0\)$/);
  });
});
