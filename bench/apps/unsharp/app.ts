/**
 * Halide's `apps/unsharp`: unsharp masking of a float RGB image. A 7-tap Gaussian (σ = 1.5) blurs the luma, in y
 * then in x; `sharpen = 2·gray − blur`, and every channel is scaled by `sharpen / gray`.
 *
 * @example
 * ```ts
 * import { unsharp } from "./app.ts";
 * const d = unsharp.define(unsharp.makeInputs(unsharp.testSize, 1), unsharp.testSize);
 * unsharp.schedules.hand(d, unsharp.testSize);
 * ```
 *
 * @module
 */
import * as hl from "../../../mod.ts";
import { type App, type Defined, seededBuffer } from "../app.ts";
import { SIGMA, unsharpPlain } from "./plain.ts";

/** The Funcs and Vars of one unsharp instance. */
export interface UnsharpFuncs extends Defined {
  readonly gray: hl.Func;
  readonly blurY: hl.Func;
  readonly ratio: hl.Func;
  readonly x: hl.Var;
  readonly y: hl.Var;
  readonly c: hl.Var;
}

/** Σ taps·f(at(i)) of the symmetric 7-tap kernel: k0·f(0) + k1·(f(−1) + f(1)) + … */
function gaussian7(kernel: hl.Func, f: (offset: number) => hl.FuncRef): hl.Expr {
  let e = kernel.at(0).mul(f(0));
  for (let i = 1; i <= 3; i++) e = e.add(kernel.at(i).mul(f(-i).add(f(i))));
  return e;
}

function define([input]: readonly hl.Buffer[]): UnsharpFuncs {
  const x = new hl.Var("x"), y = new hl.Var("y"), c = new hl.Var("c");
  const kernel = new hl.Func("kernel");
  const norm = Math.fround(Math.sqrt(2 * Math.fround(Math.PI))) * SIGMA;
  kernel.at(x).set(hl.exp(hl.f32(x.neg().mul(x)).div(2 * SIGMA * SIGMA)).div(norm));
  const bounded = hl.BoundaryConditions.repeatEdge(input);
  const gray = new hl.Func("gray");
  gray.at(x, y).set(
    bounded.at(x, y, 0).mul(0.299).add(bounded.at(x, y, 1).mul(0.587)).add(bounded.at(x, y, 2).mul(0.114)),
  );
  const blurY = new hl.Func("blur_y");
  blurY.at(x, y).set(gaussian7(kernel, (i) => gray.at(x, y.add(i))));
  const blurX = new hl.Func("blur_x");
  blurX.at(x, y).set(gaussian7(kernel, (i) => blurY.at(x.add(i), y)));
  const sharpen = new hl.Func("sharpen");
  sharpen.at(x, y).set(gray.at(x, y).mul(2).sub(blurX.at(x, y)));
  const ratio = new hl.Func("ratio");
  ratio.at(x, y).set(sharpen.at(x, y).div(gray.at(x, y)));
  const output = new hl.Func("unsharp");
  output.at(x, y, c).set(ratio.at(x, y).mul(input.at(x, y, c)));
  return { output, stages: [kernel, gray, blurY, blurX, sharpen, ratio], gray, blurY, ratio, x, y, c };
}

/** The unsharp app. */
export const unsharp: App<UnsharpFuncs> = {
  name: "unsharp",
  summary: "unsharp mask, float RGB: 7-tap Gaussian of the luma, ratio applied to every channel (apps/unsharp)",
  standardSize: [1536, 2560, 3],
  testSize: [61, 37, 3],
  makeInputs: (size, seed) => [seededBuffer(hl.Float(32), size, seed, (u) => 0.1 + 0.9 * (u / 2 ** 32), "input")],
  outputShape: (size) => ({ type: hl.Float(32), mins: [0, 0, 0], extents: [...size] }),
  define,
  schedules: {
    hand: ({ output, gray, blurY, ratio, x, y, c }) => {
      const vec = hl.getHostTarget().naturalVectorSize(hl.Float(32));
      const yo = new hl.Var("yo"), yi = new hl.Var("yi");
      output.split(y, yo, yi, 32).vectorize(x, vec).parallel(yo).reorder(x, c, yi, yo);
      for (const f of [gray, blurY, ratio]) f.computeAt(output, yi).storeAt(output, yo).vectorize(x, vec);
    },
  },
  handNotes: "verbatim (vec = natural vector size of float32, 16 with AVX-512): output.split(y, yo, yi, 32)" +
    ".vectorize(x, vec).parallel(yo).reorder(x, c, yi, yo); gray, blur_y, ratio: .compute_at(output, yi)" +
    ".store_at(output, yo).vectorize(x, vec)",
  plain: ([input], out, [w, h]) => unsharpPlain(input, out, w, h),
  tolerance: { kind: "rel", rel: 1e-5 },
  pixels: ([w, h]) => w * h,
};
