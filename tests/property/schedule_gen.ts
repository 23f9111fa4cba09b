// Random schedules for the pipelines of pipeline_gen.ts, applied through the public API and recorded as
// TypeScript for the reproduction of a failing case.
//
// A schedule is generated as seeds (one per Func index, interpreted against the pipeline) and applied in two
// phases, as a user would write it:
//  1. the loop directives of every Func that is not inlined — split, tile, reorder, fuse, rename, vectorize,
//     unroll, parallel, serial, with random factors and TailStrategies — tracked by a model of each Func's loops
//     (names, kinds, compile-time-constant extents);
//  2. the compute and store levels, consumers before producers: inline, computeRoot, or computeAt one of the loops
//     that encloses every use of the Func (the legal levels, from a model of the loop-nest tree), optionally with a
//     storeAt/storeRoot further out (sliding window and storage folding then apply). A small fraction of Funcs
//     instead get a "wild" level — any loop of any Func in the pipeline — which may be illegal: the compiler must
//     then reject the schedule with a HalideError;
//  3. storage directives: reorderStorage, alignBounds (which widens the Func's slack), storeIn, hoistStorage (to
//     the root or a loop outside the store level, with only serial loops down to the compute level), and — for a
//     Func stored outside its compute level whose storage the compiler folds automatically — an explicit
//     foldStorage of that dimension by a factor at least the automatic one (so that it is legal), found by
//     lowering the pipeline (without compiling it).
//
// The model also says, for the output Func, whether Halide guarantees success for the realized extents (every
// split GuardWithIf/Predicate*, or ShiftInwards/Auto with an extent at least the factor, or RoundUp with a
// multiple); otherwise the clean "Output buffer f is accessed at …" error is a legal outcome. And it gives each
// Func's *slack*: how far beyond its required region its loops may run (`LoopModel.deviation`), from which the
// inputs are sized (pipeline_gen.ts `regions`).
import fc from "fast-check";
import * as hl from "../../mod.ts";
import { variable } from "../../src/ir/expr.ts";
import type { FunctionDef } from "../../src/ir/function.ts";
import { mapStmtChildren } from "../../src/ir/mutate.ts";
import type { Realize, Stmt } from "../../src/ir/stmt.ts";
import { schedulePipeline } from "../../src/lower/schedule_functions.ts";
import { slidingWindow } from "../../src/lower/sliding_window.ts";
import { storageFolding } from "../../src/lower/storage_folding.ts";
import { directConsumers, type PipelineSpec, reachable, VAR_NAMES } from "./pipeline_gen.ts";

const T = hl.TailStrategy;
/** Tail strategies; index 0 (the default) first. */
export const TAILS: readonly hl.TailStrategy[] = [
  T.Auto,
  T.GuardWithIf,
  T.RoundUp,
  T.ShiftInwards,
  T.Predicate,
  T.PredicateLoads,
  T.PredicateStores,
];
const GUARDING: readonly hl.TailStrategy[] = [T.GuardWithIf, T.Predicate, T.PredicateLoads, T.PredicateStores];

const SPLIT_FACTORS = [2, 4, 3, 8, 5, 16, 7];
const VECTOR_WIDTHS = [4, 8, 2, 16, 3, 32, 5, 12];
const UNROLL_FACTORS = [2, 3, 4, 5, 8];
const TASK_SIZES = [1, 2, 3, 4, 8];

// ---------------------------------------------------------------------------------------------------------------
// Seeds

const OP_KINDS = ["split", "vectorize", "parallel", "tile", "reorder", "unroll", "fuse", "rename", "serial"] as const;
type OpKind = (typeof OP_KINDS)[number];

/** One loop directive; every field is interpreted modulo what is available. */
export interface OpSeed {
  readonly kind: OpKind;
  readonly a: number;
  readonly b: number;
  readonly factor: number;
  readonly factor2: number;
  readonly tail: number;
  readonly withFactor: boolean;
  readonly perm: readonly number[];
  readonly name: number;
}

/** The schedule of one Func. */
export interface FuncScheduleSeed {
  /** 0–2: inline; 3–4: root; 5–15: a legal computeAt level (root included). Ignored for the output. */
  readonly place: number;
  /** 0–1: stored at the compute level; otherwise a level further out (when there is one). */
  readonly store: number;
  /** A possibly illegal compute level: any loop of any Func (the `place` seed picks it). */
  readonly wild: boolean;
  readonly ops: readonly OpSeed[];
}

/** The storage directives of one Func. */
export interface StorageSeed {
  /** A bit mask: 1 reorderStorage, 2 alignBounds, 4 foldStorage, 8 storeIn, 16 hoistStorage. */
  readonly directives: number;
  /** Picks the storage order, the aligned dimension, modulus and remainder, the fold, the memory type. */
  readonly choice: number;
}

/**
 * The schedule of a pipeline: one seed per Func index; `bound` bounds one output dimension to the realized
 * region; `constrain` (a bit mask of dimensions) constrains the output buffer's min and extent to it.
 */
export interface ScheduleSeed {
  readonly funcs: readonly FuncScheduleSeed[];
  readonly bound: number | null;
  readonly constrain: number | null;
  /** Storage directives, one per Func index (drawn last, so that adding them left the other draws as they were). */
  readonly storage?: readonly StorageSeed[];
}

const opArb: fc.Arbitrary<OpSeed> = fc.record({
  kind: fc.constantFrom(...OP_KINDS),
  a: fc.nat({ max: 7 }),
  b: fc.nat({ max: 7 }),
  factor: fc.nat({ max: 15 }),
  factor2: fc.nat({ max: 15 }),
  tail: fc.oneof({ weight: 3, arbitrary: fc.constant(0) }, { weight: 4, arbitrary: fc.nat({ max: TAILS.length - 1 }) }),
  withFactor: fc.boolean(),
  perm: fc.array(fc.nat({ max: 7 }), { minLength: 2, maxLength: 4 }),
  name: fc.nat({ max: 15 }),
});

/** Schedule seeds for up to 5 Funcs. */
export const scheduleArb: fc.Arbitrary<ScheduleSeed> = fc.record({
  funcs: fc.array(
    fc.record({
      place: fc.nat({ max: 15 }),
      store: fc.nat({ max: 5 }),
      wild: fc.nat({ max: 11 }).map((n) => n === 0),
      ops: fc.array(opArb, { maxLength: 4 }),
    }),
    { minLength: 5, maxLength: 5 },
  ),
  bound: fc.oneof({ weight: 5, arbitrary: fc.constant(null) }, { weight: 1, arbitrary: fc.nat({ max: 2 }) }),
  constrain: fc.oneof({ weight: 5, arbitrary: fc.constant(null) }, {
    weight: 1,
    arbitrary: fc.integer({ min: 1, max: 7 }),
  }),
  storage: fc.array(
    fc.record({
      directives: fc.oneof({ weight: 2, arbitrary: fc.constant(0) }, { weight: 3, arbitrary: fc.nat({ max: 31 }) }),
      choice: fc.nat({ max: 4095 }),
    }),
    { minLength: 5, maxLength: 5 },
  ),
});

// ---------------------------------------------------------------------------------------------------------------
// The model of one Func's loops

type LoopType = "Serial" | "Vectorized" | "Unrolled" | "Parallel";

/** A loop: its user-visible name, kind, constant extent if known at compile time, and whether it was auto-named. */
interface Loop {
  name: string;
  forType: LoopType;
  constExtent?: number;
  anonymous?: boolean;
}

/** A recorded transformation, to compute the output's run-time extents once the sizes are known. */
type Step =
  | { kind: "split"; old: string; outer: string; inner: string; factor: number; tail: hl.TailStrategy }
  | { kind: "fuse"; inner: string; outer: string; fused: string }
  | { kind: "rename"; old: string; renamed: string };

/** Names for new loops; a small pool so names of loops that were split or fused away get reused. */
const POOL = ["xo", "xi", "yo", "yi", "t", "u", "w", "x", "y", "c", "p", "q", "r", "s"];
const FOR_TYPE = { vectorize: "Vectorized", unroll: "Unrolled", parallel: "Parallel" } as const;
const tailName = (t: hl.TailStrategy) => `hl.TailStrategy.${t}`;

/** The loops of one Func (innermost first) and the TypeScript of the directives applied to it. */
class LoopModel {
  loops: Loop[];
  steps: Step[] = [];
  constructor(
    readonly f: hl.Func,
    readonly jsName: string,
    args: readonly string[],
    readonly log: string[],
    readonly vars: Set<string>,
  ) {
    this.loops = args.map((name) => ({ name, forType: "Serial" }));
  }

  private taken(n: string): boolean {
    return this.loops.some((l) => l.name === n);
  }
  private fresh(seed: number, also: string[] = []): string {
    const free = POOL.filter((n) => !this.taken(n) && !also.includes(n));
    return free[seed % free.length];
  }
  /** A Var naming loop `l` (its position `i` among the loops at this point, for auto-named ones). */
  private v(l: Loop): hl.Var {
    return new hl.Var(l.name);
  }
  /** The TypeScript naming loop `l`. */
  ref(l: Loop): string {
    if (l.anonymous) return `${this.jsName}.splitVars()[${this.loops.indexOf(l)}]`;
    this.vars.add(l.name);
    return l.name;
  }
  private newVar(n: string): hl.Var {
    this.vars.add(n);
    return new hl.Var(n);
  }

  private record(
    i: number,
    outer: string,
    inner: string,
    factor: number,
    tail: hl.TailStrategy,
    anonymous = false,
  ): void {
    const old = this.loops[i];
    const outerExt = old.constExtent === undefined ? undefined : Math.ceil(old.constExtent / factor);
    // As in Halide, the inner loop keeps the old loop's kind and the outer loop is serial.
    this.loops.splice(
      i,
      1,
      { name: inner, forType: old.forType, constExtent: factor, anonymous },
      { name: outer, forType: "Serial", constExtent: outerExt, anonymous: old.anonymous && outer === old.name },
    );
    this.steps.push({ kind: "split", old: old.name, outer, inner, factor, tail });
  }

  private reorderModel(order: string[]): void {
    const slots = order.map((q) => this.loops.findIndex((l) => l.name === q)).sort((p, q) => p - q);
    const moved = order.map((q) => this.loops.find((l) => l.name === q)!);
    slots.forEach((slot, k) => (this.loops[slot] = moved[k]));
  }

  apply(s: OpSeed): void {
    const n = this.loops.length;
    const i = s.a % n;
    const tail = TAILS[s.tail % TAILS.length];
    const tailArg = tail === T.Auto ? "" : `, ${tailName(tail)}`;
    const J = this.jsName;
    switch (s.kind) {
      case "split": {
        const old = this.loops[i];
        const outer = s.withFactor && !old.anonymous ? old.name : this.fresh(s.name);
        const inner = this.fresh(s.name + 1, [outer]);
        const factor = SPLIT_FACTORS[s.factor % SPLIT_FACTORS.length];
        this.log.push(`${J}.split(${this.ref(old)}, ${outer}, ${inner}, ${factor}${tailArg});`);
        this.vars.add(outer).add(inner);
        this.f.split(this.v(old), this.newVar(outer), this.newVar(inner), factor, tail);
        this.record(i, outer, inner, factor, tail);
        return;
      }
      case "tile": {
        if (n < 2) return;
        const j = (i + 1 + (s.b % (n - 1))) % n;
        const [lx, ly] = [this.loops[i], this.loops[j]];
        const xo = this.fresh(s.name), yo = this.fresh(s.name + 1, [xo]);
        const xi = this.fresh(s.name + 2, [xo, yo]), yi = this.fresh(s.name + 3, [xo, yo, xi]);
        const fx = SPLIT_FACTORS[s.factor % SPLIT_FACTORS.length], fy = SPLIT_FACTORS[s.factor2 % SPLIT_FACTORS.length];
        this.log.push(
          `${J}.tile(${this.ref(lx)}, ${this.ref(ly)}, ${xo}, ${yo}, ${xi}, ${yi}, ${fx}, ${fy}${tailArg});`,
        );
        const nv = (q: string) => this.newVar(q);
        this.f.tile(this.v(lx), this.v(ly), nv(xo), nv(yo), nv(xi), nv(yi), fx, fy, tail);
        this.record(this.loops.indexOf(lx), xo, xi, fx, tail);
        this.record(this.loops.indexOf(ly), yo, yi, fy, tail);
        this.reorderModel([xi, yi, xo, yo]);
        return;
      }
      case "reorder": {
        if (n < 2) return;
        const pool = [...this.loops];
        const chosen: Loop[] = [];
        for (const p of s.perm) {
          if (!pool.length) break;
          chosen.push(pool.splice(p % pool.length, 1)[0]);
        }
        this.log.push(`${J}.reorder(${chosen.map((l) => this.ref(l)).join(", ")});`);
        this.f.reorder(...chosen.map((l) => this.v(l)));
        this.reorderModel(chosen.map((l) => l.name));
        return;
      }
      case "fuse": {
        if (n < 2) return;
        const k = s.a % (n - 1);
        const [inner, outer] = [this.loops[k], this.loops[k + 1]];
        const constant = inner.constExtent !== undefined && outer.constExtent !== undefined;
        // The fused loop keeps the inner loop's kind; vectorizing or unrolling needs a constant extent.
        if (!constant && (inner.forType === "Vectorized" || inner.forType === "Unrolled")) return;
        const fused = this.fresh(s.name);
        this.log.push(`${J}.fuse(${this.ref(inner)}, ${this.ref(outer)}, ${fused});`);
        this.f.fuse(this.v(inner), this.v(outer), this.newVar(fused));
        const ext = inner.constExtent !== undefined && outer.constExtent !== undefined
          ? inner.constExtent * outer.constExtent
          : undefined;
        this.loops.splice(k, 2, { name: fused, forType: inner.forType, constExtent: ext });
        this.steps.push({ kind: "fuse", inner: inner.name, outer: outer.name, fused });
        return;
      }
      case "rename": {
        const old = this.loops[i];
        const renamed = this.fresh(s.name);
        this.log.push(`${J}.rename(${this.ref(old)}, ${renamed});`);
        this.f.rename(this.v(old), this.newVar(renamed));
        this.loops[i] = { ...old, name: renamed, anonymous: false };
        this.steps.push({ kind: "rename", old: old.name, renamed });
        return;
      }
      case "vectorize":
      case "unroll":
      case "parallel": {
        const loop = this.loops[i];
        const limit = s.kind === "vectorize" ? 32 : s.kind === "unroll" ? 16 : Infinity;
        const table = s.kind === "vectorize" ? VECTOR_WIDTHS : s.kind === "unroll" ? UNROLL_FACTORS : TASK_SIZES;
        const factor = table[s.factor % table.length];
        const mustSplit = s.kind !== "parallel" && (loop.constExtent === undefined || loop.constExtent > limit);
        if (s.withFactor || mustSplit) {
          this.log.push(`${J}.${s.kind}(${this.ref(loop)}, ${factor}${tailArg});`);
          if (s.kind === "vectorize") this.f.vectorize(this.v(loop), factor, tail);
          else if (s.kind === "unroll") this.f.unroll(this.v(loop), factor, tail);
          else this.f.parallel(this.v(loop), factor, tail);
          // The new inner loop has a generated name: take it from the Func.
          const generated = this.f.splitVars()[i].name;
          if (this.taken(generated)) throw new Error(`generated loop name ${generated} clashes`);
          this.record(i, loop.name, generated, factor, tail, true);
          this.loops[s.kind === "parallel" ? i + 1 : i].forType = FOR_TYPE[s.kind];
        } else {
          this.log.push(`${J}.${s.kind}(${this.ref(loop)});`);
          if (s.kind === "vectorize") this.f.vectorize(this.v(loop));
          else if (s.kind === "unroll") this.f.unroll(this.v(loop));
          else this.f.parallel(this.v(loop));
          loop.forType = FOR_TYPE[s.kind];
        }
        return;
      }
      case "serial": {
        const loop = this.loops[i];
        this.log.push(`${J}.serial(${this.ref(loop)});`);
        this.f.serial(this.v(loop));
        loop.forType = "Serial";
        return;
      }
    }
  }

  /**
   * How far below and above its region each pure variable may run (whatever the extents): the final loops run
   * exactly over their ranges; undoing a split of `old` by f gives `old = base + inner` with
   * `base = outer*f + min` (RoundUp, GuardWithIf, Predicate*: up to f-1 past the max, and f times the outer
   * loop's excursions) or `min(outer*f + min, max - f + 1)` (ShiftInwards: up to f below the min when the extent
   * is smaller than f, or 0); a fused loop's inner variable stays in range (Euclidean %), its outer one moves at most as
   * far as the fused loop.
   */
  deviation(args: readonly string[]): [number, number][] {
    const dev = new Map<string, [number, number]>(this.loops.map((l) => [l.name, [0, 0]]));
    const get = (n: string) => dev.get(n) ?? [0, 0];
    for (const s of [...this.steps].reverse()) {
      if (s.kind === "split") {
        const [ob, oa] = get(s.outer), [ib, ia] = get(s.inner), f = s.factor;
        const shift = s.tail === T.Auto || s.tail === T.ShiftInwards;
        // (ShiftInwards: f below, not f - 1, for an empty region — a producer in iterations a guard skips — whose
        // loops do not run but whose bounds are still taken.)
        dev.set(s.old, [f * ob + ib + (shift ? f : 0), (shift ? 0 : f * oa + f - 1) + ia]);
      } else if (s.kind === "fuse") {
        dev.set(s.inner, [0, 0]);
        dev.set(s.outer, get(s.fused));
      } else {
        dev.set(s.old, get(s.renamed));
      }
    }
    return args.map((a) => get(a));
  }

  /** Whether Halide guarantees that this (output) Func can be computed over exactly `extents`. */
  guaranteedOver(args: readonly string[], extents: readonly number[]): boolean {
    const ext = new Map(args.map((a, d) => [a, extents[d]]));
    let ok = true;
    for (const s of this.steps) {
      if (s.kind === "split") {
        const e = ext.get(s.old)!;
        const tail = s.tail === T.Auto ? T.ShiftInwards : s.tail;
        if (tail === T.RoundUp) ok &&= e % s.factor === 0;
        else if (tail === T.ShiftInwards) ok &&= e >= s.factor;
        else ok &&= GUARDING.includes(tail);
        ext.set(s.outer, Math.ceil(e / s.factor));
        ext.set(s.inner, s.factor);
      } else if (s.kind === "fuse") {
        ext.set(s.fused, ext.get(s.inner)! * ext.get(s.outer)!);
      } else {
        ext.set(s.renamed, ext.get(s.old)!);
      }
    }
    return ok;
  }
}

// ---------------------------------------------------------------------------------------------------------------
// Storage

/** The `k`-th permutation (modulo their number) of `items`. */
function permutation<T>(items: readonly T[], k: number): T[] {
  const pool = [...items], out: T[] = [];
  while (pool.length) {
    out.push(pool.splice(k % pool.length, 1)[0]);
    k = Math.floor(k / (out.length + 1));
  }
  return out;
}

/**
 * The dimensions the compiler folds automatically, and by what factor, for each Func of the pipeline computing
 * `out` (the loop nest after sliding window and storage folding, as `lowerPipeline` builds it), and how many
 * Funcs slide. Empty when the schedule is rejected.
 */
function automaticFolds(out: hl.Func): { folds: Map<FunctionDef, Map<number, number>>; slid: number } {
  const found = new Map<FunctionDef, Map<number, number>>();
  let slidCount = 0;
  const realizations = (s: Stmt) => {
    const all = new Map<FunctionDef, Realize>();
    const visit = (n: Stmt): Stmt => {
      if (n.kind === "Realize") all.set(n.func, n);
      return mapStmtChildren(n, (e) => e, visit);
    };
    visit(s);
    return all;
  };
  let before: Map<FunctionDef, Realize>, after: Map<FunctionDef, Realize>;
  try {
    const region = out.fn.args.map((_, d) => ({
      min: variable(hl.Int(32), `${out.name}.min.${d}`),
      extent: variable(hl.Int(32), `${out.name}.extent.${d}`),
    }));
    const slid = slidingWindow(schedulePipeline([out.fn], [region]));
    slidCount = slid.slidLoops.size;
    before = realizations(slid.stmt);
    after = realizations(storageFolding(slid));
  } catch (e) {
    if (e instanceof hl.HalideError) return { folds: found, slid: 0 };
    throw e;
  }
  // Folding replaces the bounds of a folded dimension by [0, factor).
  for (const [f, r] of after) {
    const dims = new Map<number, number>();
    r.bounds.forEach((b, d) => {
      if (b.min !== before.get(f)?.bounds[d].min && b.extent.kind === "IntImm") dims.set(d, Number(b.extent.value));
    });
    found.set(f, dims);
  }
  return { folds: found, slid: slidCount };
}

// ---------------------------------------------------------------------------------------------------------------
// Applying a schedule

/** A place in the loop-nest tree: a loop of a Func (by index). Root is the empty path. */
interface LevelRef {
  readonly func: number;
  readonly loop: Loop;
}

/** What applying a schedule produced. */
export interface AppliedSchedule {
  /** The TypeScript of the schedule, one call per line. */
  readonly lines: string[];
  /** Whether every level is legal per the model (otherwise the compiler may reject the schedule). */
  readonly legal: boolean;
  /** The Funcs (by index) computed inline. */
  readonly inlined: ReadonlySet<number>;
  /** Per Func index and dimension: how far below and above its required region it may be computed. */
  readonly slack: Map<number, [number, number][]>;
  /** Whether Halide guarantees success for these output extents. */
  guaranteedOver(extents: readonly number[]): boolean;
  /** Counts of what was used, for the statistics. */
  readonly features: string[];
}

/**
 * Interprets `seed` for the pipeline `spec` whose Funcs are `funcs`, recording TypeScript as it goes.
 * Directives run in the order a user would write them; a HalideError thrown by one propagates (with `lines`
 * holding the calls made so far in `partial`).
 */
export function applySchedule(
  spec: PipelineSpec,
  funcs: readonly hl.Func[],
  seed: ScheduleSeed,
  outExtents: readonly number[],
  outMins: readonly number[],
  partial: { lines: string[] },
): AppliedSchedule {
  const live = reachable(spec);
  const out = funcs.length - 1;
  const args = VAR_NAMES.slice(0, spec.dims) as readonly string[];
  const js = (i: number) => funcs[i].name;
  const body: string[] = [];
  partial.lines = body;
  const vars = new Set<string>();
  const features: string[] = [];
  const sched = (i: number) => seed.funcs[i % seed.funcs.length];
  // Which Funcs are inlined.
  const inlined = new Set(live.filter((i) => i !== out && sched(i).place <= 2 && !sched(i).wild));
  // Phase 0: a bound on one output dimension, equal to the realized region (gives its loop a constant extent).
  const models = new Map<number, LoopModel>();
  for (const i of live) {
    if (inlined.has(i)) continue;
    models.set(i, new LoopModel(funcs[i], js(i), args, body, vars));
  }
  const outModel = models.get(out)!;
  if (seed.bound !== null) {
    const d = seed.bound % spec.dims;
    body.push(`${js(out)}.bound(${args[d]}, ${outMins[d]}, ${outExtents[d]});`);
    vars.add(args[d]);
    funcs[out].bound(new hl.Var(args[d]), outMins[d], outExtents[d]);
    outModel.loops[d].constExtent = outExtents[d];
    features.push("bound");
  }
  // Phase 0': constraints on the output buffer's mins and extents, equal to the realized region.
  if (seed.constrain !== null && spec.funcs[out].types.length === 1) {
    for (let d = 0; d < spec.dims; d++) {
      if (!(seed.constrain & (1 << d))) continue;
      body.push(`${js(out)}.outputBuffer().dim(${d}).setMin(${outMins[d]}).setExtent(${outExtents[d]});`);
      funcs[out].outputBuffer().dim(d).setMin(outMins[d]).setExtent(outExtents[d]);
      outModel.loops[d].constExtent = outExtents[d];
      features.push("outputConstraint");
    }
  }
  // Phase 1: loop directives.
  for (const i of live) {
    const m = models.get(i);
    if (!m) continue;
    for (const op of sched(i).ops) {
      m.apply(op);
      features.push(op.kind);
    }
  }
  // Phase 2: compute and store levels, consumers first.
  const compute = new Map<number, LevelRef[]>(); // the path of loops enclosing each non-inlined Func's loops
  compute.set(out, []);
  const pathOf = (g: number): LevelRef[] => [
    ...compute.get(g)!,
    ...[...models.get(g)!.loops].reverse().map((loop) => ({ func: g, loop })),
  ];
  // The use sites of Func j: the non-inlined Funcs whose (inlined) definitions call it.
  const sites = (j: number): number[] =>
    directConsumers(spec, live, j).flatMap((g) => (inlined.has(g) ? sites(g) : [g]));
  let legal = true;
  const storedOutside = new Set<number>();
  // For hoistStorage: the loops around each Func's compute level (outermost first) and how many enclose its store.
  const hoistable = new Map<number, { path: LevelRef[]; storeDepth: number }>();
  const slack = new Map<number, [number, number][]>();
  for (const [i, m] of models) slack.set(i, m.deviation(args));
  for (const j of [...live].reverse()) {
    if (j === out) continue;
    if (inlined.has(j)) {
      body.push(`// ${js(j)} is inlined (the default)`);
      features.push("inline");
      continue;
    }
    const s = sched(j);
    const paths = sites(j).map(pathOf);
    const common: LevelRef[] = [];
    for (let k = 0; paths.length && paths.every((p) => k < p.length && p[k].loop === paths[0][k].loop); k++) {
      common.push(paths[0][k]);
    }
    const levels: (LevelRef | null)[] = [null, ...common]; // null is root
    let level: LevelRef | null;
    if (s.wild) {
      // Any loop of any other Func of the pipeline (which may be illegal), or root.
      const all: (LevelRef | null)[] = [null];
      for (const g of live) {
        if (g === j) continue;
        const loops = models.get(g)?.loops ?? args.map((name) => ({ name, forType: "Serial" as const }));
        for (const loop of loops) all.push({ func: g, loop });
      }
      level = all[s.place % all.length];
      const ok = levels.some((l) => (l === null ? level === null : level !== null && l.loop === level.loop));
      if (!ok) legal = false;
      features.push(ok ? "wild-legal" : "wild-illegal");
    } else {
      level = s.place <= 4 ? null : levels[(s.place - 5) % levels.length];
    }
    const refOf = (l: LevelRef) => (models.get(l.func) ? models.get(l.func)!.ref(l.loop) : l.loop.name);
    if (level === null) {
      body.push(`${js(j)}.computeRoot();`);
      funcs[j].computeRoot();
      compute.set(j, []);
      features.push("computeRoot");
    } else {
      body.push(`${js(j)}.computeAt(${js(level.func)}, ${refOf(level)});`);
      funcs[j].computeAt(funcs[level.func], new hl.Var(level.loop.name));
      const at = levels.findIndex((l) => l !== null && l.loop === level!.loop);
      compute.set(j, at >= 0 ? common.slice(0, at) : []);
      features.push("computeAt");
    }
    // Storage further out: root or a loop outside the compute level.
    const at = level === null ? -1 : levels.findIndex((l) => l !== null && l.loop === level!.loop);
    const computePath = at > 0 ? common.slice(0, at - 1) : [];
    if (!s.wild && at > 0) hoistable.set(j, { path: common.slice(0, at), storeDepth: at });
    if (s.store >= 2 && level !== null && at > 0) {
      const outer: (LevelRef | null)[] = [null, ...computePath];
      const st = outer[(s.store - 2) % outer.length];
      if (hoistable.has(j)) hoistable.get(j)!.storeDepth = outer.indexOf(st);
      if (st === null) {
        body.push(`${js(j)}.storeRoot();`);
        funcs[j].storeRoot();
        features.push("storeRoot");
      } else {
        body.push(`${js(j)}.storeAt(${js(st.func)}, ${refOf(st)});`);
        funcs[j].storeAt(funcs[st.func], new hl.Var(st.loop.name));
        features.push("storeAt");
      }
      storedOutside.add(j);
    }
  }
  // Phase 3: storage directives.
  const storageOf = (j: number): StorageSeed => seed.storage?.[j % seed.storage.length] ?? { directives: 0, choice: 0 };
  const folding: number[] = [];
  for (const j of live) {
    if (inlined.has(j)) continue;
    const { directives: storage, choice: k } = storageOf(j);
    if (storage & 1 && args.length >= 2) {
      const order = permutation(args, k);
      body.push(`${js(j)}.reorderStorage(${order.join(", ")});`);
      funcs[j].reorderStorage(...order.map((n) => new hl.Var(n)));
      features.push("reorderStorage");
    }
    if (storage & 2 && j !== out) {
      const d = k % args.length, modulus = [2, 3, 4, 8][(k >> 2) % 4], remainder = (k >> 4) % modulus;
      body.push(`${js(j)}.alignBounds(${args[d]}, ${modulus}, ${remainder});`);
      funcs[j].alignBounds(new hl.Var(args[d]), modulus, remainder);
      // The aligned region reaches up to modulus - 1 beyond the required one on each side.
      const s = slack.get(j)!;
      s[d] = [s[d][0] + modulus - 1, s[d][1] + modulus - 1];
      features.push("alignBounds");
    }
    if (storage & 8) {
      const memory = [hl.MemoryType.Stack, hl.MemoryType.Heap, hl.MemoryType.Register, hl.MemoryType.Auto][(k >> 6) % 4];
      body.push(`${js(j)}.storeIn(hl.MemoryType.${memory});`);
      funcs[j].storeIn(memory);
      features.push("storeIn");
    }
    if ((storage & 4 || k % 3 === 0) && storedOutside.has(j)) folding.push(j);
    const h = hoistable.get(j);
    if (storage & 16 && h) {
      // Any level from the root to the store level with only serial loops inside it down to the compute level.
      const depths = Array.from({ length: h.storeDepth + 1 }, (_, d) => d)
        .filter((d) => h.path.slice(d).every((l) => l.loop.forType === "Serial" || l.loop.forType === "Unrolled"));
      if (depths.length) {
        const d = depths[(k >> 10) % depths.length];
        if (d === 0) {
          body.push(`${js(j)}.hoistStorageRoot();`);
          funcs[j].hoistStorageRoot();
        } else {
          const l = h.path[d - 1];
          body.push(`${js(j)}.hoistStorage(${js(l.func)}, ${models.get(l.func)!.ref(l.loop)});`);
          funcs[j].hoistStorage(funcs[l.func], new hl.Var(l.loop.name));
        }
        features.push("hoistStorage");
      }
    }
  }
  // Explicit folds where the compiler folds automatically, by a factor at least its own.
  const { folds, slid } = storedOutside.size ? automaticFolds(funcs[out]) : { folds: new Map(), slid: 0 };
  if (slid) features.push("slidingWindow");
  if ([...folds.values()].some((dims) => dims.size)) features.push("autoFold");
  for (const j of folding) {
    const dims = [...(folds.get(funcs[j].fn) ?? new Map<number, number>())];
    if (!dims.length) continue;
    const k = storageOf(j).choice >> 8;
    const [d, auto] = dims[k % dims.length];
    const factor = [auto, auto + 1, auto + 3, 2 * auto][(k >> 2) % 4];
    body.push(`${js(j)}.foldStorage(${args[d]}, ${factor});`);
    funcs[j].foldStorage(new hl.Var(args[d]), factor);
    features.push("foldStorage");
  }
  // The pure Vars are declared with the pipeline; the others here.
  const extra = [...vars].filter((v) => !args.includes(v));
  const decl = extra.length
    ? [`const [${extra.join(", ")}] = [${extra.map((v) => `new hl.Var("${v}")`).join(", ")}];`]
    : [];
  const lines = [...decl, ...body];
  partial.lines = lines;
  return {
    lines,
    legal,
    inlined,
    slack,
    guaranteedOver: (extents) => outModel.guaranteedOver(args, extents),
    features,
  };
}
