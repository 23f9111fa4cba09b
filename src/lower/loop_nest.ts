/**
 * Builds the loop nest that computes one stage of a Func over a region, from the stage's schedule: one loop per
 * {@link Dim} (innermost first), the variables of the definition recovered from the loop variables by undoing the
 * splits, fuses and renames (innermost `let`s), and tail guards where a split asks for them.
 *
 * @module
 */
import { HalideError } from "../error.ts";
import { asConstInt, callIntrinsic, cmp, constFalse, type Expr, i32Imm, Intrinsic, variable } from "../ir/expr.ts";
import type { FunctionDef } from "../ir/function.ts";
import { foldArith } from "../ir/interval.ts";
import { substitute, visitExpr } from "../ir/mutate.ts";
import type { Split, StageSchedule, TailStrategy } from "../ir/schedule.ts";
import { forLoop, ifThenElse, letStmt, type Stmt } from "../ir/stmt.ts";
import { Bool, Int } from "../ir/type.ts";
import { errorMessage } from "./error_message.ts";

/** The name of the loop over `v` in stage `stage` of `f`: `f.s0.x`. */
export function loopName(f: FunctionDef, stage: number, v: string): string {
  return `${f.name}.s${stage}.${v}`;
}

/** A loop variable's range; `max` (= min + extent - 1) when a simpler form of it is known. */
export interface Range {
  readonly min: Expr;
  readonly extent: Expr;
  readonly max?: Expr;
}

function maxOf(r: Range): Expr {
  return r.max ?? fold("Sub", fold("Add", r.min, r.extent), i32Imm(1));
}

const i32 = Int(32);
const fold = foldArith;

/** The tail strategy a split really uses: `Auto` is ShiftInwards in a pure definition, as in Halide. */
function resolveTail(t: TailStrategy): Exclude<TailStrategy, "Auto"> {
  return t === "Auto" ? "ShiftInwards" : t;
}

/** What one stage computes: the arguments it writes (Exprs of its loop variables), its values and predicate. */
export interface StageDefinition {
  readonly args: readonly Expr[];
  readonly values: readonly Expr[];
  /** The reduction domain's predicate (update definitions only). */
  readonly predicate?: Expr;
  /** The reduction variables and their ranges (update definitions only). */
  readonly rvars?: readonly { readonly name: string; readonly min: Expr; readonly extent: Expr }[];
}

/**
 * The loop nest computing stage `stage` of `f` (0: the pure definition) as `def` says, with its pure variables
 * over `region` (per dimension of `f`; dimensions an update does not loop over are ignored) and its reduction
 * variables over their domain. Vectorized and unrolled loops must end up with constant extents.
 *
 * @example
 * ```ts
 * const s = buildLoopNest(f, 0, { args: xs, values: [value] }, f.args.map((_, d) => ({ min: v(`f.min.${d}`), extent: v(`f.extent.${d}`) })));
 * ```
 */
export function buildLoopNest(f: FunctionDef, stage: number, def: StageDefinition, region: readonly Range[]): Stmt {
  return specializedLoops(f.stageSchedule(stage), (sched) => stageLoops(f, stage, sched, def, region));
}

/**
 * The loops of a schedule with its specializations: `if (cond1) {loops of spec 1} else if (cond2) … else {loops}`
 * (the last branch an assertion when the stage has `specializeFail`).
 */
function specializedLoops(sched: StageSchedule, build: (s: StageSchedule) => Stmt): Stmt {
  let s: Stmt = sched.failMessage === undefined
    ? build(sched)
    : { kind: "AssertStmt", cond: constFalse(), message: errorMessage([sched.failMessage]) };
  for (const spec of [...(sched.specializations ?? [])].reverse()) {
    s = ifThenElse(spec.cond, specializedLoops(spec.schedule, build), s);
  }
  return s;
}

function stageLoops(f: FunctionDef, stage: number, sched: StageSchedule, def: StageDefinition, region: readonly Range[]): Stmt {
  const name = (v: string) => loopName(f, stage, v);
  const ranges = new Map<string, Range>(f.args.map((a, d) => [a, region[d]]));
  for (const rv of def.rvars ?? []) ranges.set(rv.name, { min: rv.min, extent: rv.extent });
  // Each definition recovers a variable from newer ones, so later definitions go outside earlier ones.
  const defs: [string, Expr][] = [];
  // Guards of GuardWithIf-style splits, by the variable they bound.
  const guards: [string, Expr][] = [];
  for (const s of sched.splits) applySplit(f, s, ranges, defs, guards, name);

  const loopVars = new Map([...f.args, ...(def.rvars ?? []).map((r) => r.name)].map((a) => [a, variable(i32, name(a)) as Expr]));
  if (sched.atomic && def.values.length > 1) {
    throw new HalideError(`In schedule for ${f.name}.update(${stage - 1}): atomic() is not supported for Tuple-valued updates.`);
  }
  const provide: Stmt = {
    kind: "Provide",
    name: f.name,
    values: def.values.map((v) => substitute(v, loopVars)),
    args: def.args.map((a) => substitute(a, loopVars)),
    func: f,
    ...(sched.atomic ? { atomic: true } : {}),
  };
  // The reduction domain's predicate, one `if (likely(…))` per conjunct, each just inside the innermost loop it
  // depends on (as Halide places them), so that bounds inference and loop partitioning tighten the loops it
  // bounds. A conjunct using a variable that split lets define stays innermost.
  const conjuncts = def.predicate && !isConstTrue(def.predicate) ? splitAnd(substitute(def.predicate, loopVars)) : [];
  const loopNames = new Set(sched.dims.map((d) => name(d.name)));
  const placement = conjuncts.map((c) => {
    const used = new Set<string>();
    visitExpr(c, (n) => void (n.kind === "Variable" && !n.param && used.add(n.name)));
    const letDefined = [...used].some((u) => !loopNames.has(u) && defs.some(([v]) => name(v) === u));
    if (letDefined) return -1;
    const inner = sched.dims.findIndex((d) => used.has(name(d.name)));
    return inner < 0 ? sched.dims.length : inner;
  });
  const guarded = (body: Stmt, at: number) =>
    conjuncts.reduceRight((b, c, i) => (placement[i] === at ? ifThenElse(callIntrinsic(Intrinsic.likely, Bool(), [c]), b) : b), body);
  let body: Stmt = guarded(provide, -1);
  // Each guard goes just inside the let of the variable it bounds, so the variables computed from that one
  // (the lets inside it) see the guarded range — in bounds inference as in execution.
  for (const [v, value] of defs) {
    for (const [gv, g] of guards) if (gv === v) body = ifThenElse(callIntrinsic(Intrinsic.likely, Bool(), [g]), body);
    body = letStmt(name(v), value, body);
  }
  sched.dims.forEach((d, i) => {
    const r = ranges.get(d.name);
    if (!r) throw new HalideError(`Internal error: no range for loop ${d.name} of ${f.name}`);
    // A vectorized or unrolled loop needs a constant extent; bounds inference may still make it one (see
    // `constantLoopExtents` in unroll.ts, which checks).
    body = forLoop(name(d.name), r.min, r.extent, d.forType, guarded(body, i), d.partition);
  });
  return guarded(body, sched.dims.length);
}

/** The conjuncts of `e` (`a && b && c` → [a, b, c]). */
function splitAnd(e: Expr): Expr[] {
  return e.kind === "And" ? [...splitAnd(e.a), ...splitAnd(e.b)] : [e];
}

function isConstTrue(e: Expr): boolean {
  return e.kind === "IntImm" && e.value === 1n;
}

function applySplit(
  f: FunctionDef,
  s: Split,
  ranges: Map<string, Range>,
  defs: [string, Expr][],
  guards: [string, Expr][],
  name: (v: string) => string,
): void {
  const v = (n: string) => variable(i32, name(n));
  const get = (n: string) => {
    const r = ranges.get(n);
    if (!r) throw new HalideError(`Internal error: ${f.name} has no loop ${n}`);
    return r;
  };
  switch (s.kind) {
    case "split": {
      const old = get(s.old);
      const factor = s.factor;
      const outerExtent = fold("Div", fold("Sub", fold("Add", old.extent, factor), i32Imm(1)), factor);
      const tail = resolveTail(s.tail);
      let base = fold("Add", fold("Mul", v(s.outer), factor), old.min);
      if (tail === "ShiftInwards") {
        // The last chunk moves inwards to end at the region's end (overlapping the one before).
        base = fold("Min", base, fold("Add", fold("Sub", maxOf(old), factor), i32Imm(1)));
      }
      defs.push([s.old, fold("Add", base, v(s.inner))]);
      // A guard is needed only when the factor may not divide the extent (it always does, e.g., for an inner
      // split of a constant-size tile).
      const extent = asConstInt(old.extent), by = asConstInt(factor);
      const exact = extent !== undefined && by !== undefined && by > 0n && extent % by === 0n;
      if (tail !== "RoundUp" && tail !== "ShiftInwards" && !exact) guards.push([s.old, cmp("LE", v(s.old), maxOf(old))]);
      ranges.set(s.outer, { min: i32Imm(0), extent: outerExtent });
      ranges.set(s.inner, { min: i32Imm(0), extent: factor });
      return;
    }
    case "fuse": {
      const inner = get(s.inner), outer = get(s.outer);
      defs.push([s.inner, fold("Add", { kind: "Mod", type: i32, a: v(s.fused), b: inner.extent }, inner.min)]);
      // fused / inner extent is always in [0, outer extent); the clamp says so to bounds inference (which cannot
      // bound a quotient by a varying extent) and costs nothing at run time.
      const quotient: Expr = { kind: "Div", type: i32, a: v(s.fused), b: inner.extent };
      const clamped = fold("Max", fold("Min", quotient, fold("Sub", outer.extent, i32Imm(1))), i32Imm(0));
      defs.push([s.outer, fold("Add", clamped, outer.min)]);
      ranges.set(s.fused, { min: i32Imm(0), extent: fold("Mul", inner.extent, outer.extent) });
      return;
    }
    case "rename": {
      defs.push([s.old, v(s.renamed)]);
      ranges.set(s.renamed, get(s.old));
      return;
    }
  }
}
