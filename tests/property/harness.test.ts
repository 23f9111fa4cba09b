// The schedule-equivalence checker itself: it must be able to fail, and a failure must read as a reproduction.
import { describe, expect, it } from "bun:test";
import * as hl from "../../mod.ts";
import { type Case, caseArb, checkProperty, runCase, Stats } from "./harness.ts";
import { buildPipeline, regions, resolvePipeline } from "./pipeline_gen.ts";

/** A two-stage 2-D pipeline: f1(x, y) = f0(x + 1, 2y) + f0(x, y), f0 = in0(x - 1, y). */
const twoStage: Case["pipeline"] = {
  dims: 2,
  inputs: [0],
  funcs: [
    {
      type: 0,
      main: { src: 0, elem: 0, idx: [{ k: "shift", by: -1 }, { k: "id" }, { k: "id" }] },
      op: 0,
      extra: null,
      second: null,
    },
    {
      type: 0,
      main: { src: 0, elem: 0, idx: [{ k: "shift", by: 1 }, { k: "down", odd: false }, { k: "id" }] },
      op: 0,
      extra: { k: "call", call: { src: 0, elem: 0, idx: [{ k: "id" }, { k: "id" }, { k: "id" }] } },
      second: null,
    },
  ],
};

const op = (kind: string, a = 0, factor = 0, tail = 0) =>
  ({
    kind,
    a,
    b: 0,
    factor,
    factor2: 0,
    tail,
    withFactor: true,
    perm: [1, 0],
    name: 0,
  }) as Case["schedule"]["funcs"][number]["ops"][number];

/** f0 computed at f1's y, vectorized by 4; f1 split by 2 and parallel over y. */
const scheduled: Case = {
  pipeline: twoStage,
  schedule: {
    funcs: [
      { place: 6, store: 0, wild: false, ops: [op("vectorize", 0, 0)] },
      { place: 0, store: 0, wild: false, ops: [op("split", 0, 0), op("parallel", 2)] },
      { place: 0, store: 0, wild: false, ops: [] },
      { place: 0, store: 0, wild: false, ops: [] },
      { place: 0, store: 0, wild: false, ops: [] },
    ],
    bound: null,
    constrain: null,
  },
  extents: [9, 5, 1],
  mins: [-3, 2, 0],
  band: 1,
  dataSeed: 7,
};

describe("schedule-equivalence checker", () => {
  it("runs a hand-written case", () => {
    const stats = new Stats();
    expect(runCase(scheduled, stats)).toBe("ok");
    expect(stats.features.get("computeAt")).toBe(1);
    expect(stats.features.get("vectorize")).toBe(1);
  });

  it("reports a wrong element with a reproduction (a deliberately wrong oracle)", () => {
    let message = "";
    try {
      runCase(scheduled, undefined, { wrongOracle: true });
    } catch (e) {
      message = (e as Error).message;
    }
    expect(message).toMatch(
      /^1 element\(s\) differ from the interpreter; first at \[-3,2\] \(inside the output\) expected -?\d+ but got -?\d+/,
    );
    for (
      const piece of [
        "Reproduction:",
        "// Pipeline",
        "const in0 = new hl.Buffer(hl.Int(32), ",
        "// Schedule",
        ".computeAt(",
        ".vectorize(",
        ".parallel(",
        "// Realize",
        "out0.setMin([-3,2]);",
        ".realize(out0);",
      ]
    ) {
      expect(message).toContain(piece);
    }
    expect(message).toMatch(/\/\/ f1\S*\(x, y\) = \(f0\S*\(\(x \+ 1\), \(y\*2\)\) \+ f0\S*\(x, y\)\)/);
  });

  it("fails the property, shrunk, with fast-check's seed and path", () => {
    let message = "";
    try {
      checkProperty(caseArb(1), { seed: 1, numRuns: 20 }, new Stats(), { wrongOracle: true });
    } catch (e) {
      message = (e as Error).message;
    }
    expect(message).toContain("Property failed after 1 tests");
    expect(message).toContain("seed: 1, path:");
    expect(message).toContain("Counterexample:");
    expect(message).toContain("Failure: 1 element(s) differ from the interpreter");
    // Shrinking reaches a one-Func pipeline with no schedule.
    expect(message.split("new hl.Func(").length).toBe(2);
    expect(message).toContain("// Schedule\n// Realize");
  });

  it("sizes the inputs by what the schedule may read", () => {
    const spec = resolvePipeline(twoStage);
    const out: [number, number][] = [[0, 9], [0, 4]];
    // Unscheduled: f1 reads f0 over x in [0, 10], y in [0, 8]; f0 reads in0 one to the left.
    expect(regions(spec, out, new Map()).inputs.get(0)).toEqual([[-1, 9], [0, 8]]);
    // f0 may run 3 below and 1 above its region in x (a nested split, say).
    expect(regions(spec, out, new Map([[0, [[3, 1], [0, 0]]]])).inputs.get(0)).toEqual([[-4, 10], [0, 8]]);
    const inputs = spec.inputs.map((t) => new hl.Buffer(t, [11, 9], "in0"));
    const { funcs } = buildPipeline(spec, inputs);
    expect(funcs.map((f) => f.dimensions)).toEqual([2, 2]);
  });
});
