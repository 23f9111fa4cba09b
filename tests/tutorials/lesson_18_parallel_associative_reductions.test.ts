// Port of Halide's lesson 18 (parallel associative reductions): a histogram computed serially, with a
// hand-written parallel intermediate, and with rfactor (parallel over rows, vectorized over columns, and tiled),
// each checked against the plain histogram in TypeScript.
import { describe, expect, it } from "bun:test";
import * as hl from "../../mod.ts";

const x = new hl.Var("x"), y = new hl.Var("y"), i = new hl.Var("i"), u = new hl.Var("u"), v = new hl.Var("v");
const input = new hl.Buffer(hl.UInt(8), [8, 8], "l18_input");
input.forEachElement(([a, b]) => input.set([a, b], (a * 97 + b * 61 + ((a * b * 13) % 29)) & 255));

/** The plain histogram of the input's values / 32. */
function expected(): number[] {
  const h = new Array(8).fill(0);
  input.forEachValue((val) => {
    h[Math.floor(Number(val) / 32)]++;
  });
  return h;
}

function values(b: hl.Buffer): number[] {
  return Array.from({ length: b.width }, (_, k) => Number(b.get([k])));
}

/** histogram(input(r.x, r.y) / 32) += 1 over the whole input. */
function histogramOf(name: string): { histogram: hl.Func; r: hl.RDom } {
  const histogram = new hl.Func(name);
  histogram.at(x).set(0);
  const r = new hl.RDom([[0, input.width], [0, input.height]]);
  histogram.at(input.at(r.x, r.y).div(32)).addAssign(1);
  return { histogram, r };
}

describe("lesson 18: parallel associative reductions", () => {
  it("computes the histogram serially (only the pure definition vectorized)", () => {
    const { histogram } = histogramOf("l18_hist_serial");
    histogram.vectorize(x, 8);
    expect(values(histogram.realize([8]))).toEqual(expected());
  });

  it("parallelizes by hand: a per-row intermediate histogram, then a merge", () => {
    const intermediate = new hl.Func("l18_intm_par_manual");
    intermediate.at(i, y).set(0);
    const rx = new hl.RDom([[0, input.width]]);
    intermediate.at(input.at(rx, y).div(32), y).addAssign(1);
    const histogram = new hl.Func("l18_merge_par_manual");
    histogram.at(i).set(0);
    const ry = new hl.RDom([[0, input.height]]);
    histogram.at(i).addAssign(intermediate.at(i, ry));
    intermediate.computeRoot().update(0).parallel(y);
    intermediate.vectorize(i, 8);
    histogram.vectorize(i, 8);
    expect(values(histogram.realize([8]))).toEqual(expected());
  });

  it("rfactors over rows and computes the intermediate in parallel", () => {
    const { histogram, r } = histogramOf("l18_hist_rfactor_par");
    const intermediate = histogram.update(0).rfactor([[r.y, y]]);
    intermediate.computeRoot().update(0).parallel(y);
    intermediate.vectorize(x, 8);
    histogram.vectorize(x, 8);
    expect(values(histogram.realize([8]))).toEqual(expected());
    expect(histogram.loopNest()).toMatch(/parallel y:/);
  });

  it("rfactors over columns and vectorizes the intermediate across them", () => {
    const { histogram, r } = histogramOf("l18_hist_rfactor_vec");
    const intermediate = histogram.update(0).rfactor(r.x, u);
    intermediate.computeRoot().update(0).vectorize(u, 8);
    intermediate.vectorize(x, 8);
    histogram.vectorize(x, 8);
    expect(values(histogram.realize([8]))).toEqual(expected());
    expect(histogram.loopNest()).toMatch(/vectorized u/);
  });

  it("splits both RVars into tiles and rfactors the tile indices into a parallel intermediate", () => {
    const { histogram, r } = histogramOf("l18_hist_rfactor_tile");
    const rxOuter = new hl.RVar("rx_outer"), rxInner = new hl.RVar("rx_inner");
    const ryOuter = new hl.RVar("ry_outer"), ryInner = new hl.RVar("ry_inner");
    histogram.update(0).split(r.x, rxOuter, rxInner, 4).split(r.y, ryOuter, ryInner, 4);
    const intermediate = histogram.update(0).rfactor([[rxOuter, u], [ryOuter, v]]);
    intermediate.computeRoot().update(0).parallel(u).parallel(v);
    intermediate.update(0).reorder(rxInner, ryInner, u, v);
    intermediate.vectorize(x, 8);
    histogram.vectorize(x, 8);
    expect(values(histogram.realize([8]))).toEqual(expected());
    expect(histogram.loopNest()).toMatch(/parallel v:\n\s+parallel u:\n\s+for ry_inner in \[0, 3\]:\n\s+for rx_inner in \[0, 3\]:/);
  });
});
