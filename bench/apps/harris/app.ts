/**
 * Halide's `apps/harris`: Harris corner response of a float RGB image. Luma, 3×3 Sobel gradients Ix and Iy (weights
 * ±1/12, ±2/12), the structure tensor summed over 3×3 boxes, and `det − 0.04·trace²`. No boundary condition: the
 * output is inset by 3 pixels on every side (its mins are 3).
 *
 * @example
 * ```ts
 * import { harris } from "./app.ts";
 * const d = harris.define(harris.makeInputs(harris.testSize, 1), harris.testSize);
 * harris.schedules.hand(d, harris.testSize);
 * ```
 *
 * @module
 */
import * as hl from "../../../mod.ts";
import { type App, type Defined, seededBuffer } from "../app.ts";
import { harrisPlain } from "./plain.ts";

/** The Funcs and Vars of one harris instance. */
export interface HarrisFuncs extends Defined {
  readonly gray: hl.Func;
  readonly Ix: hl.Func;
  readonly Iy: hl.Func;
  readonly x: hl.Var;
  readonly y: hl.Var;
}

/** Σ f over the 3×3 box around (x, y). */
function sum3x3(f: hl.Func, x: hl.Var, y: hl.Var): hl.Expr {
  let e: hl.Expr | undefined;
  for (const dx of [-1, 0, 1]) {
    for (const dy of [-1, 0, 1]) {
      const v = f.at(x.add(dx), y.add(dy));
      e = e ? e.add(v) : new hl.Expr(v);
    }
  }
  return e!;
}

/** Σ weight·gray(x + dx, y + dy) over the (dx, dy, weight/12) taps. */
function taps(gray: hl.Func, x: hl.Var, y: hl.Var, t: readonly [number, number, number][]): hl.Expr {
  return t.map(([dx, dy, w]) => gray.at(x.add(dx), y.add(dy)).mul(Math.fround(w / 12)))
    .reduce((a, b) => a.add(b));
}

function define([input]: readonly hl.Buffer[]): HarrisFuncs {
  const x = new hl.Var("x"), y = new hl.Var("y");
  const fn = (name: string) => new hl.Func(name);
  const gray = fn("gray"), Iy = fn("Iy"), Ix = fn("Ix"), Ixx = fn("Ixx"), Iyy = fn("Iyy"), Ixy = fn("Ixy");
  const Sxx = fn("Sxx"), Syy = fn("Syy"), Sxy = fn("Sxy"), det = fn("det"), trace = fn("trace"), output = fn("harris");
  gray.at(x, y).set(
    input.at(x, y, 0).mul(0.299).add(input.at(x, y, 1).mul(0.587)).add(input.at(x, y, 2).mul(0.114)),
  );
  Iy.at(x, y).set(taps(gray, x, y, [[-1, -1, -1], [-1, 1, 1], [0, -1, -2], [0, 1, 2], [1, -1, -1], [1, 1, 1]]));
  Ix.at(x, y).set(taps(gray, x, y, [[-1, -1, -1], [1, -1, 1], [-1, 0, -2], [1, 0, 2], [-1, 1, -1], [1, 1, 1]]));
  Ixx.at(x, y).set(Ix.at(x, y).mul(Ix.at(x, y)));
  Iyy.at(x, y).set(Iy.at(x, y).mul(Iy.at(x, y)));
  Ixy.at(x, y).set(Ix.at(x, y).mul(Iy.at(x, y)));
  Sxx.at(x, y).set(sum3x3(Ixx, x, y));
  Syy.at(x, y).set(sum3x3(Iyy, x, y));
  Sxy.at(x, y).set(sum3x3(Ixy, x, y));
  det.at(x, y).set(Sxx.at(x, y).mul(Syy.at(x, y)).sub(Sxy.at(x, y).mul(Sxy.at(x, y))));
  trace.at(x, y).set(Sxx.at(x, y).add(Syy.at(x, y)));
  output.at(x, y).set(det.at(x, y).sub(trace.at(x, y).mul(0.04).mul(trace.at(x, y))));
  return { output, stages: [gray, Iy, Ix, Ixx, Iyy, Ixy, Sxx, Syy, Sxy, det, trace], gray, Ix, Iy, x, y };
}

/** The harris app. */
export const harris: App<HarrisFuncs> = {
  name: "harris",
  summary: "Harris corner response, float RGB → float, 3×3 Sobel and 3×3 box sums, no boundary (apps/harris)",
  standardSize: [1536, 2560, 3],
  testSize: [45, 39, 3],
  makeInputs: (size, seed) => [seededBuffer(hl.Float(32), size, seed, (u) => u / 2 ** 32, "input")],
  outputShape: ([w, h]) => ({ type: hl.Float(32), mins: [3, 3], extents: [w - 6, h - 6] }),
  define,
  schedules: {
    hand: ({ output, gray, Ix, Iy, x, y }) => {
      const vec = hl.getHostTarget().naturalVectorSize(hl.Float(32));
      const yi = new hl.Var("yi");
      output.split(y, y, yi, 32).parallel(y).vectorize(x, vec);
      for (const f of [gray, Ix, Iy]) f.storeAt(output, y).computeAt(output, yi).vectorize(x, vec);
    },
  },
  handNotes: "Halide's (vec = natural vector size of float32, 16 with AVX-512): output.split(y, y, yi, 32)" +
    ".parallel(y).vectorize(x, vec); gray, Ix, Iy: .store_at(output, y).compute_at(output, yi).vectorize(x, vec); " +
    "without Ix.compute_with(Iy, x), which halide-ts does not have yet (Halide 14 runs it with)",
  plain: ([input], out, [w, h]) => harrisPlain(input, out, w, h),
  tolerance: { kind: "rel", rel: 1e-5 },
  pixels: ([w, h]) => (w - 6) * (h - 6),
};
