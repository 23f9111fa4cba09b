// The schedule-equivalence property extended to reductions: fast-check generates random pipelines with update
// definitions — windowed reductions over 1-D and 2-D RDoms (with and without `where`), scans, histograms with
// data-dependent left-hand sides, inline reductions, several updates — and random schedules that include
// update-stage directives (split/vectorize/parallel of pure variables, split/unroll/reorder of RVars, rfactor with a
// parallel intermediate, atomic parallel histograms, producers computed inside update loops), and requires output
// bit-identical to the reference interpreter. Integer types only: a parallel or factored float sum is reassociated,
// which Halide allows to change the last bits. Fixed seed; a failure prints the case.
//
// HALIDE_PROPERTY_SEED and HALIDE_PROPERTY_RUNS (a multiplier) as in schedule_equivalence.test.ts.
import { describe, expect, it } from "bun:test";
import process from "node:process";
import fc from "fast-check";
import * as hl from "../../mod.ts";
import { mismatchVsInterpreter } from "../schedule/helpers.ts";

const SEED = Number(process.env.HALIDE_PROPERTY_SEED ?? 0x4ed0c);
const RUNS = Math.round(120 * Number(process.env.HALIDE_PROPERTY_RUNS ?? 1));

const TYPES = [hl.Int(32), hl.UInt(16), hl.Int(16), hl.UInt(8), hl.Int(64)] as const;

/** The shape of a reduction and its parameters. */
type Kind =
  | { readonly k: "window"; readonly dims: 1 | 2; readonly lo: number; readonly ext: number; readonly op: number; readonly pred: boolean }
  | { readonly k: "scan"; readonly op: number }
  | { readonly k: "hist"; readonly bins: number }
  | { readonly k: "inline"; readonly ext: number; readonly which: number }
  | { readonly k: "twoUpdates"; readonly ext: number };

/** How to schedule it (each field is a choice, shrinking toward "no directive"). */
interface Sched {
  readonly producer: number; // 0 inline, 1 root, 2 at the reduction's last stage loop
  readonly pureVec: boolean;
  readonly updSplit: number; // 0 none, 1 vectorize x, 2 parallel y, 3 tile with GuardWithIf
  readonly rvar: number; // 0 none, 1 unroll/split RVar, 2 reorder RVar outside, 3 rfactor, 4 atomic parallel
  readonly consumer: number; // 0 none; a consumer reading two rows: 1 red at root, 2 at its y, 3 stored at root and computed at its y (sliding)
}

interface Case {
  readonly kind: Kind;
  readonly type: number;
  readonly sched: Sched;
  readonly size: readonly [number, number];
  readonly seed: number;
}

const kindArb: fc.Arbitrary<Kind> = fc.oneof(
  fc.record({
    k: fc.constant("window" as const),
    dims: fc.constantFrom(1 as const, 2 as const),
    lo: fc.integer({ min: -2, max: 1 }),
    ext: fc.integer({ min: 1, max: 5 }),
    op: fc.nat({ max: 3 }),
    pred: fc.boolean(),
  }),
  fc.record({ k: fc.constant("scan" as const), op: fc.nat({ max: 2 }) }),
  fc.record({ k: fc.constant("hist" as const), bins: fc.integer({ min: 2, max: 17 }) }),
  fc.record({ k: fc.constant("inline" as const), ext: fc.integer({ min: 1, max: 4 }), which: fc.nat({ max: 4 }) }),
  fc.record({ k: fc.constant("twoUpdates" as const), ext: fc.integer({ min: 1, max: 4 }) }),
);

const caseArb: fc.Arbitrary<Case> = fc.record({
  kind: kindArb,
  type: fc.nat({ max: TYPES.length - 1 }),
  sched: fc.record({
    producer: fc.nat({ max: 2 }),
    pureVec: fc.boolean(),
    updSplit: fc.nat({ max: 3 }),
    rvar: fc.nat({ max: 4 }),
    consumer: fc.nat({ max: 3 }),
  }),
  size: fc.tuple(fc.integer({ min: 1, max: 37 }), fc.integer({ min: 1, max: 13 })),
  seed: fc.nat({ max: 1000 }),
});

const x = new hl.Var("x"), y = new hl.Var("y");

/** The input: a seeded int32 image, read through clamps so any coordinate is fine. */
function makeInput(seed: number): hl.Buffer {
  const b = new hl.Buffer(hl.Int(32), [48, 24], `red_in_${seed}`);
  b.forEachElement(([i, j]) => b.set([i, j], ((i * 7919 + j * 104729 + seed * 31) % 97) - 40));
  return b;
}

const OPS = [hl.add, (a: hl.ExprLike, b: hl.ExprLike) => hl.max(a, b), (a: hl.ExprLike, b: hl.ExprLike) => hl.min(a, b), hl.mul];

/**
 * Builds the case's pipeline: a producer `p(x, y)` of the input, a Func `red` with update definitions, and the
 * output. Returns the output and what the schedule needs.
 */
function build(c: Case): { out: hl.Func; red: hl.Func; p: hl.Func; r?: hl.RDom; dims: number; associative: boolean; scatter: boolean } {
  const t = TYPES[c.type];
  const input = makeInput(c.seed);
  const p = new hl.Func("red_p");
  p.at(x, y).set(hl.cast(t, input.at(hl.clamp(x, 0, 47), hl.clamp(y, 0, 23)).mul(3).add(x)));
  const red = new hl.Func("red_f");
  const k = c.kind;
  switch (k.k) {
    case "window": {
      const r = new hl.RDom(k.dims === 1 ? [[k.lo, k.ext]] : [[k.lo, k.ext], [0, 2]], "red_r");
      if (k.pred) r.where(r.x.ne(0).or(x.gt(3)));
      const op = OPS[k.op];
      red.at(x, y).set(k.op === 3 ? hl.cast(t, 1) : k.op === 1 ? t.min() : k.op === 2 ? t.max() : hl.cast(t, 0));
      const at = p.at(x.add(r.x), k.dims === 1 ? y : y.add(r.y));
      red.at(x, y).set(op(red.at(x, y), k.op === 3 ? hl.cast(t, hl.bitAnd(at, 3).add(1)) : at));
      return { out: red, red, p, r, dims: 2, associative: true, scatter: false };
    }
    case "scan": {
      const r = new hl.RDom([[1, 12]], "red_r");
      red.at(x, y).set(p.at(x, y));
      const prev = red.at(x, r.sub(1));
      red.at(x, r).set(k.op === 0 ? prev.add(red.at(x, r)) : k.op === 1 ? hl.max(prev, red.at(x, r)) : prev.sub(red.at(x, r)).add(1));
      return { out: red, red, p, r, dims: 2, associative: false, scatter: false };
    }
    case "hist": {
      const r = new hl.RDom([[0, 16], [0, 8]], "red_r");
      red.at(x).set(hl.cast(t, 0));
      red.at(hl.clamp(hl.i32(p.at(r.x, r.y)).mod(k.bins), 0, k.bins - 1)).addAssign(hl.cast(t, 1));
      return { out: red, red, p, r, dims: 1, associative: true, scatter: true };
    }
    case "inline": {
      const r = new hl.RDom([[-1, k.ext]], "red_r");
      const reducers = [hl.sum, hl.maximum, hl.minimum, hl.product, (e: hl.ExprLike) => hl.argmax(e)[0]];
      const e = k.which === 3 ? hl.cast(t, hl.bitAnd(p.at(x.add(r), y), 1).add(1)) : p.at(x.add(r), y);
      const out = new hl.Func("red_out");
      out.at(x, y).set(hl.cast(hl.Int(64), reducers[k.which](e)));
      return { out, red: out, p, dims: 2, associative: false, scatter: false };
    }
    case "twoUpdates": {
      const r = new hl.RDom([[0, k.ext]], "red_r");
      red.at(x, y).set(hl.cast(t, x));
      red.at(x, y).addAssign(p.at(x, y.add(r)));
      red.at(x, 0).set(red.at(x, 0).mul(2));
      return { out: red, red, p, r, dims: 2, associative: false, scatter: false };
    }
  }
}

/** Wraps a 2-D reduction in a consumer reading two rows of it, scheduled as the case says. */
function withConsumer(c: Case, b: ReturnType<typeof build>, s: string[]): hl.Func {
  if (c.sched.consumer === 0 || b.dims !== 2 || b.out !== b.red || c.kind.k === "scan") return b.out;
  const out = new hl.Func("red_cons");
  out.at(x, y).set(hl.cast(hl.Int(64), b.red.at(x, y)).add(hl.cast(hl.Int(64), b.red.at(x, y.add(1)))));
  if (c.sched.consumer === 1) b.red.computeRoot();
  if (c.sched.consumer === 2) b.red.computeAt(out, y);
  if (c.sched.consumer === 3) b.red.storeRoot().computeAt(out, y);
  s.push(["", "red.computeRoot()", "red.computeAt(out, y)", "red.storeRoot().computeAt(out, y)"][c.sched.consumer]);
  return out;
}

/** Applies the case's schedule; returns a description for the failure report. */
function schedule(c: Case, b: ReturnType<typeof build>): string[] {
  const s: string[] = [];
  const { red, p, r, dims } = b;
  const xi = new hl.Var("xi"), yi = new hl.Var("yi"), u = new hl.Var("u");
  if (c.sched.producer === 1) (p.computeRoot(), s.push("p.computeRoot()"));
  // At the reduction loop (its outer half once split).
  const ro = new hl.RVar("ro"), ri = new hl.RVar("ri");
  const split = c.sched.rvar === 1;
  if (c.sched.producer === 2 && b.out === red && r && c.kind.k !== "scan") {
    p.computeAt(red, split ? ro : r.x);
    s.push(`p.computeAt(red, ${split ? "ro" : "r.x"})`);
  }
  if (c.sched.pureVec) (red.vectorize(x, 4, hl.TailStrategy.GuardWithIf), s.push("red.vectorize(x, 4, GuardWithIf)"));
  if (red.numUpdateDefinitions() === 0 || !r) return s;
  const upd = red.update(0);
  const hasPure = dims === 2 && !b.scatter;
  const hasY = hasPure && c.kind.k !== "scan";
  if (hasPure && c.sched.updSplit === 1) (upd.vectorize(x, 4, hl.TailStrategy.GuardWithIf), s.push("update(0).vectorize(x, 4, GuardWithIf)"));
  if (hasY && c.sched.updSplit === 2) (upd.parallel(y), s.push("update(0).parallel(y)"));
  if (hasY && c.sched.updSplit === 3) {
    upd.tile(x, y, xi, yi, 4, 2, hl.TailStrategy.GuardWithIf);
    s.push("update(0).tile(x, y, xi, yi, 4, 2, GuardWithIf)");
  }
  switch (c.sched.rvar) {
    case 1:
      upd.split(r.x, ro, ri, 2).unroll(ri);
      s.push("update(0).split(r.x, ro, ri, 2).unroll(ri)");
      break;
    case 2:
      if (hasPure) (upd.reorder(x, r.x), s.push("update(0).reorder(x, r.x)"));
      break;
    case 3:
      if (b.associative && c.sched.updSplit === 0 && c.sched.producer !== 2) {
        const intm = upd.rfactor(r.x, u);
        intm.computeRoot().update(0).parallel(u);
        s.push("update(0).rfactor(r.x, u); intm.computeRoot().update(0).parallel(u)");
      }
      break;
    case 4:
      if (b.scatter) (upd.atomic().parallel(r.y), s.push("update(0).atomic().parallel(r.y)"));
      break;
  }
  return s;
}

describe("random reductions under random schedules agree with the interpreter (fast-check, fixed seed)", () => {
  it("windows, scans, histograms, inline reductions, several updates", () => {
    let ran = 0;
    const details = fc.check(
      fc.property(caseArb, (c) => {
        const b = build(c);
        const directives = schedule(c, b);
        const out = withConsumer(c, b, directives);
        // A histogram's output is its bins; a scan writes rows 0…12.
        const sizes = b.dims === 1 ? [c.kind.k === "hist" ? c.kind.bins : c.size[0]] : [c.size[0], c.kind.k === "scan" ? 13 : c.size[1]];
        let problem: string;
        try {
          problem = mismatchVsInterpreter(out, sizes);
        } catch (e) {
          problem = `${(e as Error).message}`;
        }
        if (problem) throw new Error(`${problem}\nschedule: ${directives.join("; ")}`);
        ran++;
      }),
      { seed: SEED, numRuns: RUNS },
    );
    if (details.failed) {
      const error = details.errorInstance instanceof Error ? details.errorInstance.message : String(details.errorInstance);
      throw new Error(`${error}\ncase (shrunk): ${JSON.stringify(details.counterexample?.[0])}\nseed ${details.seed}, path ${details.counterexamplePath}`);
    }
    expect(ran).toBeGreaterThan(0);
  }, 600_000);
});
