/**
 * Halide's `apps/hist`: histogram equalization of an 8-bit RGB image in YCrCb. Per-row histograms of the luma
 * (an update definition with a data-dependent left-hand side), their sum over the rows, the cumulative
 * distribution (a scan), and the luma remapped through it, back to RGB.
 *
 * @example
 * ```ts
 * import { hist } from "./app.ts";
 * const d = hist.define(hist.makeInputs(hist.testSize, 1), hist.testSize);
 * hist.schedules.hand(d, hist.testSize);
 * ```
 *
 * @module
 */
import * as hl from "../../../mod.ts";
import { type App, type Defined, seededBuffer } from "../app.ts";
import { histPlain } from "./plain.ts";

/** The Funcs, Vars and RDoms of one hist instance. */
export interface HistFuncs extends Defined {
  readonly Y: hl.Func;
  readonly histRows: hl.Func;
  readonly histogram: hl.Func;
  readonly cdf: hl.Func;
  readonly x: hl.Var;
  readonly y: hl.Var;
  readonly c: hl.Var;
  readonly rx: hl.RDom;
  readonly ry: hl.RDom;
}

function define([input]: readonly hl.Buffer[]): HistFuncs {
  const x = new hl.Var("x"), y = new hl.Var("y"), c = new hl.Var("c");
  const Y = new hl.Func("Y");
  Y.at(x, y).set(
    hl.f32(input.at(x, y, 0)).mul(0.299).add(hl.f32(input.at(x, y, 1)).mul(0.587))
      .add(hl.f32(input.at(x, y, 2)).mul(0.114)),
  );
  const Cr = new hl.Func("Cr"), Cb = new hl.Func("Cb");
  Cr.at(x, y).set(hl.f32(input.at(x, y, 0)).sub(Y.at(x, y)).mul(0.713).add(128));
  Cb.at(x, y).set(hl.f32(input.at(x, y, 2)).sub(Y.at(x, y)).mul(0.564).add(128));
  const histRows = new hl.Func("hist_rows");
  histRows.at(x, y).set(0);
  const rx = new hl.RDom([[0, input.width]], "rx");
  histRows.at(hl.i32(hl.clamp(Y.at(rx.x, y), 0, 255)), y).addAssign(1);
  const histogram = new hl.Func("hist");
  histogram.at(x).set(0);
  const ry = new hl.RDom([[0, input.height]], "ry");
  histogram.at(x).addAssign(histRows.at(x, ry.x));
  const cdf = new hl.Func("cdf");
  cdf.at(x).set(histogram.at(0));
  const b = new hl.RDom([[1, 255]], "b");
  cdf.at(b.x).set(cdf.at(b.x.sub(1)).add(histogram.at(b.x)));
  const cdfBin = new hl.Func("cdf_bin");
  cdfBin.at(x, y).set(hl.u8(hl.clamp(Y.at(x, y), 0, 255)));
  const eq = new hl.Func("equalize");
  eq.at(x, y).set(hl.clamp(hl.f32(cdf.at(cdfBin.at(x, y))).mul(255 / (input.height * input.width)), 0, 255));
  const cr = Cr.at(x, y).sub(128), cb = Cb.at(x, y).sub(128);
  const red = hl.u8(hl.clamp(eq.at(x, y).add(cr.mul(1.4)), 0, 255));
  const green = hl.u8(hl.clamp(eq.at(x, y).sub(cb.mul(0.343)).sub(cr.mul(0.711)), 0, 255));
  const blue = hl.u8(hl.clamp(eq.at(x, y).add(cb.mul(1.765)), 0, 255));
  const output = new hl.Func("hist_equalize");
  output.at(x, y, c).set(hl.mux(c, [red, green, blue]));
  return {
    output,
    stages: [Y, Cr, Cb, histRows, histogram, cdf, cdfBin, eq],
    Y,
    histRows,
    histogram,
    cdf,
    x,
    y,
    c,
    rx,
    ry,
  };
}

/** Halide's CPU schedule. */
function hand({ output, Y, histRows, histogram, cdf, x, y, c, rx, ry }: HistFuncs): void {
  const vec = hl.getHostTarget().naturalVectorSize(hl.Float(32));
  cdf.bound(x, 0, 256);
  Y.cloneIn(histRows).computeAt(histRows.in(), y).vectorize(x, vec);
  histRows.update(0).unscheduled();
  histRows.in().computeRoot().vectorize(x, vec).parallel(y, 4);
  histRows.computeAt(histRows.in(), y).vectorize(x, vec).update(0).reorder(y, rx.x).unroll(y);
  histogram.computeRoot().vectorize(x, vec).update(0).reorder(x, ry.x).vectorize(x, vec).unroll(x, 4).parallel(x)
    .reorder(ry.x, x);
  cdf.computeRoot().update(0).unscheduled();
  output.reorder(c, x, y).bound(c, 0, 3).unroll(c).parallel(y, 8).vectorize(x, vec * 2);
}

/** The hist app. */
export const hist: App<HistFuncs> = {
  name: "hist",
  summary: "histogram equalization of the luma, uint8 RGB, per-row histograms and a CDF scan (apps/hist)",
  standardSize: [1536, 2560, 3],
  testSize: [53, 31, 3],
  makeInputs: (size, seed) => [seededBuffer(hl.UInt(8), size, seed, (u) => 40 + (u % 120), "input")],
  outputShape: (size) => ({ type: hl.UInt(8), mins: [0, 0, 0], extents: [...size] }),
  define,
  schedules: { hand },
  handNotes: "verbatim (vec = natural vector size of float32): Y cloned into hist_rows, computed per row of " +
    "hist_rows.in() (root, parallel(y, 4)); hist_rows' update reorder(y, rx).unroll(y); hist's update " +
    "reorder(x, ry).vectorize(x, vec).unroll(x, 4).parallel(x).reorder(ry, x); cdf root; output " +
    ".reorder(c, x, y).bound(c, 0, 3).unroll(c).parallel(y, 8).vectorize(x, 2·vec)",
  plain: ([input], out, [w, h]) => histPlain(input, out, w, h),
  tolerance: { kind: "exact" },
  halide14: {
    tolerance: { kind: "abs", abs: 8 },
    note: "Halide 14 fuses the luma's multiply-adds (FMA), which moves a few pixels' luma across a histogram bin",
  },
  pixels: ([w, h]) => w * h,
};
