// The schedule-equivalence property (DESIGN.md, Testing): fast-check generates random multi-stage pipelines
// (pipeline_gen.ts) and random legal schedules for them (schedule_gen.ts), realizes them over random output sizes
// and mins, and requires output bit-identical to the reference interpreter (harness.ts). Fixed seeds; a failing
// case is shrunk and printed as a reproduction (the Func definitions, the schedule as TypeScript, the sizes, the
// first wrong element).
//
// Environment overrides, for exploring: HALIDE_PROPERTY_SEED (a number), HALIDE_PROPERTY_RUNS (a multiplier of
// the run counts, e.g. 10), HALIDE_PROPERTY_VERBOSE=1 (print the statistics of every run).
import { describe, expect, it } from "bun:test";
import process from "node:process";
import { caseArb, checkProperty, Stats } from "./harness.ts";

const SEED = Number(process.env.HALIDE_PROPERTY_SEED ?? 0x5eed5);
const SCALE = Number(process.env.HALIDE_PROPERTY_RUNS ?? 1);
const VERBOSE = process.env.HALIDE_PROPERTY_VERBOSE === "1";
const TIMEOUT = 600_000;

/** Runs per dimensionality (about 0.3 s each: one JIT compile, one interpretation). */
const RUNS: Record<number, number> = { 1: 220, 2: 240, 3: 140 };

const total = new Stats();

function run(dims: number): Stats {
  const stats = new Stats();
  try {
    checkProperty(caseArb(dims), { seed: SEED + dims, numRuns: Math.round(RUNS[dims] * SCALE) }, stats);
  } finally {
    if (VERBOSE) {
      console.log(`${dims}-D: ${stats.summary()}`);
      for (const [k, v] of stats.examples) console.log(`first "${k}": ${v}\n`);
    }
    for (const m of ["outcomes", "features", "shapes"] as const) {
      for (const [k, v] of stats[m]) total[m].set(k, (total[m].get(k) ?? 0) + v);
    }
    total.runs += stats.runs;
    total.ms += stats.ms;
    total.maxOvershoot = Math.max(total.maxOvershoot, stats.maxOvershoot);
  }
  return stats;
}

/** Most generated schedules must be accepted and most accepted ones must run (not end in a tolerated error). */
function expectMostlyAccepted(stats: Stats): void {
  const ran = ["ok", "ok-wild", "ok-padded"].reduce((a, k) => a + (stats.outcomes.get(k) ?? 0), 0);
  expect(stats.accepted()).toBeGreaterThan(0.85 * stats.runs);
  expect(ran).toBeGreaterThan(0.6 * stats.runs);
}

describe("random schedules of random pipelines agree with the interpreter (fast-check, fixed seed)", () => {
  for (const dims of [1, 2, 3]) {
    it(`${dims}-D pipelines`, () => expectMostlyAccepted(run(dims)), TIMEOUT);
  }

  it("statistics", () => {
    console.log(`schedule equivalence: ${total.summary()}`);
    expect(total.runs).toBeGreaterThan(0);
  });
});
