// Port of Halide's tutorial lesson 18 (tutorial/lesson_18_parallel_associative_reductions.cpp and its Python
// twin): parallelizing an associative reduction (an 8-bucket histogram of an 8x8 image) by slicing its domain.
// First serially (a parallel RVar is a race), then factored by hand into per-row histograms and a merge, then by
// the schedule alone with rfactor: per row in parallel, per column vectorized, and per tile in parallel. Every
// result — the histogram and rfactor's intermediate partial histograms — is checked against the lesson's C
// loops written in TypeScript, and the loop nests against the loops the lesson describes.
import { describe, expect, it } from "bun:test";
import * as hl from "../../mod.ts";
import { throwsHalide } from "../schedule/helpers.ts";

const x = new hl.Var("x"), y = new hl.Var("y"), i = new hl.Var("i"), u = new hl.Var("u"), v = new hl.Var("v");

/** The lesson's random 8x8 uint8 input, from a fixed-seed generator so that a failure can be reproduced. */
function randomInput(seed: number): hl.Buffer {
  const input = new hl.Buffer(hl.UInt(8), [8, 8], "input");
  let state = seed >>> 0;
  input.forEachElement((coords) => {
    state = (Math.imul(state, 1664525) + 1013904223) >>> 0;
    input.set(coords, state >>> 24);
  });
  return input;
}
const input = randomInput(18);
const W = input.width, H = input.height;
const bucket = (px: number, py: number) => Math.floor((input.get([px, py]) as number) / 32);

/** The values of a 1-D buffer. */
const values1 = (b: hl.Buffer) => Array.from({ length: b.width }, (_, k) => b.get([k]) as number);
/** The values of a 2-D buffer as rows: `[d1][d0]`, the lessons' `c_intm[y][x]`. */
const values2 = (b: hl.Buffer) =>
  Array.from({ length: b.height }, (_, j) => Array.from({ length: b.width }, (_, k) => b.get([k, j]) as number));

/** The lesson's serial C loop: the histogram of the whole image. */
function referenceHistogram(): number[] {
  const hist = new Array(8).fill(0);
  for (let ry = 0; ry < H; ry++) for (let rx = 0; rx < W; rx++) hist[bucket(rx, ry)]++;
  return hist;
}

/** Runs `fn`, returning what it wrote to console.warn. */
function warningsOf(fn: () => void): string[] {
  const warnings: string[] = [];
  const saved = console.warn;
  console.warn = (m: unknown) => void warnings.push(String(m));
  try {
    fn();
  } finally {
    console.warn = saved;
  }
  return warnings;
}

/** The lesson's algorithm: histogram(x) = 0; histogram(input(r.x, r.y) / 32) += 1. */
function histogramOf(name: string): { histogram: hl.Func; r: hl.RDom } {
  const histogram = new hl.Func(name);
  histogram.at(x).set(0);
  const r = new hl.RDom([[0, W], [0, H]], `${name}_r`);
  histogram.at(input.at(r.x, r.y).div(32)).addAssign(1);
  return { histogram, r };
}

describe("tutorial lesson 18: parallel associative reductions", () => {
  it("the serial histogram: the pure step vectorizes; a parallel RVar would be a race", () => {
    const histogram = new hl.Func("lesson18_hist_serial");
    histogram.at(i).set(0);
    const r = new hl.RDom([[0, W], [0, H]], "serial_r");
    histogram.at(input.at(r.x, r.y).div(32)).addAssign(1);
    histogram.vectorize(i, 8);
    let out: hl.Buffer | undefined;
    // Halide warns that only the pure step was scheduled.
    const warnings = warningsOf(() => (out = histogram.realize([8])));
    expect(warnings.join("\n")).toContain(
      "Update definition 0 of function lesson18_hist_serial has not been scheduled, even though some other definitions have been.",
    );
    expect(values1(out!)).toEqual(referenceHistogram());
    throwsHalide(
      () => histogram.update().parallel(r.y),
      /^In schedule for lesson18_hist_serial(\$\d+)?\.update\(0\), marking var serial_r\$y as parallel or vectorized may introduce a race condition/,
    );
  });

  it("factored by hand: per-row histograms in parallel, then a merge", () => {
    const intermediate = new hl.Func("lesson18_intm_par_manual");
    intermediate.at(i, y).set(0);
    const rx = new hl.RDom([[0, W]], "manual_rx");
    intermediate.at(input.at(rx, y).div(32), y).addAssign(1);
    const histogram = new hl.Func("lesson18_merge_par_manual");
    histogram.at(i).set(0);
    const ry = new hl.RDom([[0, H]], "manual_ry");
    histogram.at(i).addAssign(intermediate.at(i, ry));
    intermediate.computeRoot().update().parallel(y);
    intermediate.vectorize(i, 8);
    histogram.vectorize(i, 8);
    let out: hl.Buffer | undefined, nest = "";
    // The merge's update is left unscheduled, as in the lesson (Halide warns about it too).
    const warnings = warningsOf(() => {
      out = histogram.realize([8]);
      nest = histogram.loopNest();
    });
    expect(warnings[0]).toContain("Update definition 0 of function lesson18_merge_par_manual has not been scheduled");
    expect(values1(out!)).toEqual(referenceHistogram());
    // The intermediate at the root: its rows in parallel, each a serial loop over rx; then the merge.
    expect(nest).toMatch(/^produce \S+:\n {2}store lesson18_intm_par_manual:\n[\s\S]*\n {6}parallel y:\n {8}for manual_rx\$x in \[0, 7\]:\n/);
    expect(nest).toMatch(/\n {6}for i:\n {8}for manual_ry\$x in \[0, 7\]:\n {10}lesson18_merge_par_manual\S*\(\.\.\.\) = \.\.\.$/);
  });
});

describe("tutorial lesson 18: rfactor", () => {
  /** c_intm[y][x]: the histogram of each row. */
  function referenceRowHistograms(): number[][] {
    const intm = Array.from({ length: H }, () => new Array(8).fill(0));
    for (let py = 0; py < H; py++) for (let rx = 0; rx < W; rx++) intm[py][bucket(rx, py)]++;
    return intm;
  }
  /** c_intm[u][x]: the histogram of each column. */
  function referenceColumnHistograms(): number[][] {
    const intm = Array.from({ length: W }, () => new Array(8).fill(0));
    for (let ry = 0; ry < H; ry++) for (let pu = 0; pu < W; pu++) intm[pu][bucket(pu, ry)]++;
    return intm;
  }
  /** The merge of the lesson's C: c_result[x] = sum over the slices. */
  const merged = (intm: number[][]) => Array.from({ length: 8 }, (_, k) => intm.reduce((s, row) => s + row[k], 0));

  it("rfactor([[r.y, y]]): the same per-row factorization from the schedule alone", () => {
    const { histogram, r } = histogramOf("lesson18_hist_rfactor_par");
    const intermediate = histogram.update().rfactor([[r.y, y]]);
    intermediate.computeRoot().update().parallel(y);
    intermediate.vectorize(x, 8);
    histogram.vectorize(x, 8);
    const out = histogram.realize([8]);
    const rowsWant = referenceRowHistograms();
    expect(values1(out)).toEqual(merged(rowsWant));
    expect(values1(out)).toEqual(referenceHistogram());
    // The intermediate is the per-row histograms, intm(x, y) = c_intm[y][x].
    expect(values2(intermediate.realize([8, H]))).toEqual(rowsWant);
    // The intermediate's update runs its rows in parallel, each a serial loop over r.x; the merge sums the rows.
    const nest = histogram.loopNest();
    expect(nest).toMatch(/\n {6}parallel y:\n {8}for \S+\$x in \[0, 7\]:\n {10}lesson18_hist_rfactor_par\S*_intm\(\.\.\.\) = \.\.\./);
    expect(nest).toMatch(/\n {6}for x:\n {8}for \S+ in \[0, 7\]:\n {10}lesson18_hist_rfactor_par\S*\(\.\.\.\) = \.\.\.$/);

    // The single-pair form is the same factorization.
    const alt = histogramOf("lesson18_hist_rfactor_par_pair");
    alt.histogram.update().rfactor(alt.r.y, y).computeRoot().update().parallel(y);
    expect(values1(alt.histogram.realize([8]))).toEqual(referenceHistogram());
  });

  it("rfactor(r.x, u): per-column histograms, vectorized across columns", () => {
    const { histogram, r } = histogramOf("lesson18_hist_rfactor_vec");
    const intermediate = histogram.update().rfactor(r.x, u);
    intermediate.computeRoot().update().vectorize(u, 8);
    intermediate.vectorize(x, 8);
    histogram.vectorize(x, 8);
    const columnsWant = referenceColumnHistograms();
    expect(values1(histogram.realize([8]))).toEqual(merged(columnsWant));
    // intm(x, u) = c_intm[u][x].
    expect(values2(intermediate.realize([8, W]))).toEqual(columnsWant);
    // Halide's intermediate keeps the update's loop order with u in r.x's place, so its update is
    // `for r.y: vectorized u` (each vector adds one row of 8 columns). halide-ts puts u outside the remaining RVar
    // (`for u.u: vectorized u.v: for r.y`): the same values, a reported difference, so only the vectorized u loop
    // is asserted.
    expect(histogram.loopNest()).toMatch(/\n\s+vectorized u\.v\d+ in \[0, 7\]:\n/);
  });

  it("per-tile histograms in parallel: split r into 4x4 tiles, rfactor the tile indices", () => {
    const { histogram, r } = histogramOf("lesson18_hist_rfactor_tile");
    const rxOuter = new hl.RVar("rx_outer"), rxInner = new hl.RVar("rx_inner");
    const ryOuter = new hl.RVar("ry_outer"), ryInner = new hl.RVar("ry_inner");
    histogram.update().split(r.x, rxOuter, rxInner, 4).split(r.y, ryOuter, ryInner, 4);
    const intermediate = histogram.update().rfactor([[rxOuter, u], [ryOuter, v]]);
    intermediate.computeRoot().update().parallel(u).parallel(v);
    intermediate.update().reorder(rxInner, ryInner, u, v);
    intermediate.vectorize(x, 8);
    histogram.vectorize(x, 8);

    // c_intm[v][u][x]: the histogram of each 4x4 tile (the lesson's C comments say 2x2 tiles; its split is by 4).
    const intm = Array.from({ length: H / 4 }, () => Array.from({ length: W / 4 }, () => new Array(8).fill(0)));
    for (let pv = 0; pv < H / 4; pv++) {
      for (let pu = 0; pu < W / 4; pu++) {
        for (let ryi = 0; ryi < 4; ryi++) for (let rxi = 0; rxi < 4; rxi++) intm[pv][pu][bucket(pu * 4 + rxi, pv * 4 + ryi)]++;
      }
    }
    expect(values1(histogram.realize([8]))).toEqual(merged(intm.flat()));
    expect(values1(histogram.realize([8]))).toEqual(referenceHistogram());
    const tiles = intermediate.realize([8, W / 4, H / 4]);
    let wrong = "";
    tiles.forEachElement(([k, pu, pv]) => {
      if (!wrong && tiles.get([k, pu, pv]) !== intm[pv][pu][k]) wrong = `tile (${pu}, ${pv}) bucket ${k}`;
    });
    expect(wrong).toBe("");
    // The classic tiled traversal: tiles in parallel outside, each tile's rows and columns inside; the merge
    // reduces over the tile indices.
    const nest = histogram.loopNest();
    expect(nest).toMatch(/\n {6}parallel v:\n {8}parallel u:\n {10}for ry_inner in \[0, 3\]:\n {12}for rx_inner in \[0, 3\]:\n/);
    expect(nest).toMatch(/\n {6}for x:\n {8}for ry_outer in \[0, 1\]:\n {10}for rx_outer in \[0, 1\]:\n {12}lesson18_hist_rfactor_tile\S*\(\.\.\.\) = \.\.\.$/);
  });

  it("rfactor refuses a reduction it cannot prove associative", () => {
    const scan = new hl.Func("lesson18_scan");
    scan.at(x).set(x);
    const r = new hl.RDom([[1, 7]], "scan18");
    scan.at(r).set(scan.at(r.sub(1)).mul(2).sub(scan.at(r)));
    throwsHalide(() => scan.update().rfactor(r, u), /can't perform rfactor\(\) because we can't prove associativity of the operator/);
  });
});
