/**
 * Storage folding (Halide's `StorageFolding.cpp`): a Func stored outside a serial loop, whose region used by each
 * iteration moves monotonically with the loop along some dimension, needs only as many slots along that dimension
 * as one iteration uses — earlier ones are dead. Its realization becomes a circular buffer: `[0, factor)` along
 * the dimension, indexed `coordinate mod factor`. Automatically the factor is the smallest power of two at least
 * the largest extent one iteration uses (a constant of at most 1024), unless that dimension is accessed by a
 * vectorized loop. `foldStorage(v, factor)` gives it explicitly: it folds over the first loop where the region
 * moves monotonically along `v` and provably fits in the factor, or else over the first where it moves
 * monotonically, checked at run time (Halide's message) on each iteration.
 *
 * Loops are tried from the store level inwards, dimensions outermost first; the search stops at parallel loops,
 * at the Func's own producer and consumer, and at a loop the Func was slid over (sliding window reuses values
 * from earlier iterations of that loop, which folding an inner loop would overwrite). An explicit fold that no
 * loop allows is a HalideError.
 *
 * @module
 */
import { HalideError } from "../error.ts";
import { arith, asConstInt, cmp, type Expr, i32Imm, isConst, variable } from "../ir/expr.ts";
import { equalExprs } from "../ir/equality.ts";
import type { FunctionDef } from "../ir/function.ts";
import { boundsOf, foldArith, type Interval, union } from "../ir/interval.ts";
import { monotonic, usesVar } from "../ir/monotonic.ts";
import { mapExprChildren, mapStmtChildren, substitute, visitExpr, visitStmt } from "../ir/mutate.ts";
import { exprToString } from "../ir/printer.ts";
import { storageDims } from "../ir/schedule.ts";
import { simplify } from "../ir/simplify.ts";
import { block, type For, type Realize, type Stmt } from "../ir/stmt.ts";
import { Int } from "../ir/type.ts";
import { regionsTouched } from "./bounds.ts";
import { errorMessage } from "./error_message.ts";
import { firstIteration, type SlidNest } from "./sliding_window.ts";

const i32 = Int(32);
/** The largest automatic fold factor. */
const MAX_FOLD = 1024;

/**
 * Folds the storage of every realization where it can (and where `foldStorage` asks).
 *
 * @example
 * ```ts
 * const nest = storageFolding(slidingWindow(schedulePipeline([out], [region])));
 * ```
 */
export function storageFolding({ stmt, slidLoops }: SlidNest): Stmt {
  const go = (n: Stmt): Stmt => {
    const m = mapStmtChildren(n, (e) => e, go);
    return m.kind === "Realize" ? foldRealization(m, slidLoops.get(m.name) ?? new Set()) : m;
  };
  return go(stmt);
}

/** How the region of a Func used by one iteration of a loop moves along one dimension. */
interface DimMotion {
  readonly min: Expr;
  readonly max: Expr;
  /** The region moves up (or down) as the loop runs. */
  readonly monotonic: boolean;
  /** A constant bound of its extent over all iterations (Infinity if none is known). */
  readonly largest: number;
}

/**
 * The motion along each dimension of the region of `f` used by an iteration of `loop` (undefined where it does
 * not move with the loop, or the loop does not use `f`).
 */
function motion(f: FunctionDef, loop: For): (DimMotion | undefined)[] {
  const touched = regionsTouched(loop.body);
  const calls = touched.calls.get(f), provided = touched.provided.get(f.name);
  const box: readonly Interval[] = calls && provided
    ? calls.map((iv, d) => union(iv, provided[d]))
    : (calls ?? provided ?? []);
  const v = loop.name;
  return box.map(({ min: lo, max: hi }) => {
    if (!lo || !hi) return undefined;
    const min = simplify(lo), max = simplify(hi);
    if (isConst(min) || isConst(max) || (!usesVar(min, v) && !usesVar(max, v))) return undefined;
    const moves = monotonic(min, v) === "Increasing" || monotonic(max, v) === "Decreasing";
    // The largest extent over the first iteration and the steady state (sliding window computes more first).
    const first = firstIteration(loop);
    const at = (e: Expr, isFirst: boolean) => simplify(specialize(e, first, isFirst));
    const firstSize = substitute(size(at(min, true), at(max, true)), new Map([[v, loop.min]]));
    const largest = Math.max(constantBound(firstSize, loop), constantBound(size(at(min, false), at(max, false)), loop));
    return { min, max, monotonic: moves, largest };
  });
}

const size = (lo: Expr, hi: Expr) => simplify(foldArith("Add", foldArith("Sub", hi, lo), i32Imm(1)));

/**
 * The serial loops (outermost first) between the realization of `f` and its producer and consumer that folding
 * may use, and the first parallel loop met (which stops the search).
 */
function foldableLoops(body: Stmt, f: FunctionDef, slid: ReadonlySet<string>): { loops: For[]; parallel?: string } {
  const loops: For[] = [];
  let parallel: string | undefined;
  visitStmt(body, () => false, (n) => {
    if (n.kind === "ProducerConsumer" && n.name === f.name) return false;
    if (n.kind !== "For") return true;
    if (n.forType !== "Serial" && n.forType !== "Unrolled") {
      parallel ??= n.name;
      return false;
    }
    loops.push(n);
    // A loop f slid over reuses what its earlier iterations computed: nothing inside it may fold.
    return !slid.has(n.name);
  });
  return { loops, parallel };
}

function foldRealization(r: Realize, slid: ReadonlySet<string>): Stmt {
  const f = r.func;
  const storage = storageDims(f.args, f.funcSchedule);
  const explicit = f.args.map((a) => storage.find((s) => s.var === a)?.fold?.factor);
  const { loops, parallel } = foldableLoops(r.body, f, slid);
  // The loop each explicit fold goes over.
  const plan = new Map<number, string>();
  const refusals = new Map<number, string>();
  if (explicit.some((e) => e)) {
    const motions = loops.map((l) => motion(f, l));
    explicit.forEach((factor, d) => {
      if (!factor) return;
      const moving = loops.flatMap((l, i) => (motions[i][d]?.monotonic ? [{ l, m: motions[i][d]! }] : []));
      const c = asConstInt(factor);
      const fits = moving.find(({ m }) => c !== undefined && m.largest <= Number(c));
      const chosen = fits ?? moving[0];
      if (chosen) plan.set(d, chosen.l.name);
      else refusals.set(d, refusal(f, d, loops, motions.map((ms) => ms[d]), parallel));
    });
  }
  refusals.forEach((why, d) => {
    throw new HalideError(`Can't fold storage of ${f.name} over dimension ${f.args[d]} because ${why}.`);
  });
  const folds = new Map<number, Expr>();
  const targets = new Set(loops.map((l) => l.name));
  const attempt = (n: Stmt): Stmt => {
    if (n.kind === "ProducerConsumer" && n.name === f.name) return n;
    if (n.kind !== "For") return mapStmtChildren(n, (e) => e, attempt);
    if (!targets.has(n.name)) return n;
    const folded = foldOver(f, n, explicit, plan, folds);
    const body = slid.has(n.name) ? folded : attempt(folded);
    return body === n.body ? n : { ...n, body };
  };
  const body = attempt(r.body);
  plan.forEach((loop, d) => {
    if (!folds.has(d)) {
      throw new HalideError(`Internal error: the fold of ${f.name}.${f.args[d]} over ${loop} was lost`);
    }
  });
  if (!folds.size) return body === r.body ? r : { ...r, body };
  const bounds = r.bounds.map((b, d) => {
    const factor = folds.get(d);
    return factor ? { min: i32Imm(0), extent: factor } : b;
  });
  return { ...r, bounds, body };
}

/** Why no loop can fold dimension `d` of `f`. */
function refusal(
  f: FunctionDef,
  d: number,
  loops: readonly For[],
  motions: readonly (DimMotion | undefined)[],
  parallel: string | undefined,
): string {
  const i = motions.findIndex((m) => m);
  if (i >= 0) {
    const m = motions[i]!;
    return `the region of ${f.name} used by each iteration of loop ${loops[i].name} ([${exprToString(m.min)}, ` +
      `${exprToString(m.max)}]) does not move monotonically with it`;
  }
  if (parallel) return `the loop ${parallel} between its store level and its compute level is not serial`;
  return `no serial loop between its store level and its compute level moves its region along ${f.args[d]} ` +
    `(store it further out than it is computed, with storeRoot or storeAt)`;
}

/**
 * Folds the dimensions of `f` that can fold over `loop` (recording them in `folds`); returns the loop's new body
 * (accesses folded, explicit factors checked).
 */
function foldOver(
  f: FunctionDef,
  loop: For,
  explicit: readonly (Expr | undefined)[],
  plan: ReadonlyMap<number, string>,
  folds: Map<number, Expr>,
): Stmt {
  const motions = motion(f, loop);
  let body = loop.body;
  const checks: Stmt[] = [];
  // Explicit folds planned over this loop, then automatic ones, dimensions outermost first.
  const dims = motions.map((_, d) => d).reverse();
  const order = [...dims.filter((d) => plan.get(d) === loop.name), ...dims.filter((d) => !explicit[d])];
  for (const d of order) {
    const m = motions[d];
    if (!m || !m.monotonic || folds.has(d)) continue;
    let factor = explicit[d];
    if (factor) {
      const extent = size(m.min, m.max);
      const c = asConstInt(factor);
      if (c === undefined || m.largest > Number(c)) {
        checks.push({
          kind: "AssertStmt",
          cond: cmp("LE", extent, factor),
          message: errorMessage([
            `The fold factor (`,
            factor,
            `) of dimension ${f.args[d]} of ${f.name} is too small to store the required region accessed by loop ` +
            `${loop.name} (`,
            extent,
            `).`,
          ]),
        });
      }
    } else {
      if (m.largest > MAX_FOLD || vectorizedAccess(body, f, d)) continue;
      factor = i32Imm(nextPowerOfTwo(Math.max(m.largest, 1)));
    }
    folds.set(d, factor);
    body = foldAccesses(body, f, d, factor);
    if (explicit[d]) continue;
    // When successive iterations overlap, no other dimension folds automatically over this loop.
    const v = loop.name;
    const next = substitute(m.min, new Map([[v, foldArith("Add", variable(i32, v), i32Imm(1))]]));
    const gap = asConstInt(simplify(foldArith("Sub", next, m.max)));
    if (gap === undefined || gap <= 0n) break;
  }
  return checks.length ? block([...checks, body]) : body;
}

/** `e` with the first-iteration selects of sliding window resolved to one side. */
function specialize(e: Expr, first: Expr, isFirst: boolean): Expr {
  const cond = simplify(first);
  const go = (n: Expr): Expr => {
    if (n.kind === "Select" && equalExprs(simplify(n.cond), cond)) return go(isFirst ? n.trueValue : n.falseValue);
    return mapExprChildren(n, go);
  };
  return go(e);
}

/** A constant upper bound of `e` over the iterations of `loop`, or Infinity. */
function constantBound(e: Expr, loop: For): number {
  const last = foldArith("Sub", foldArith("Add", loop.min, loop.extent), i32Imm(1));
  const scope = new Map([[loop.name, { min: loop.min, max: last }]]);
  let best = Infinity;
  for (const form of upperForms(simplify(e), true)) {
    const s = simplify(form);
    const max = asConstInt(s) !== undefined ? s : boundsOf(s, scope).max;
    const c = max && asConstInt(simplify(max));
    if (c !== undefined && Number(c) < best) best = Number(c);
  }
  return best;
}

/**
 * Expressions at least `e` (at most, where `positive` is false): each `min` (`max`) replaced by one of its
 * sides, so that correlated ends cancel — `min(y + 7, n) - y + 1` is at most `8`. At most 64 forms.
 */
function upperForms(e: Expr, positive: boolean): Expr[] {
  const pairs = (as: Expr[], bs: Expr[], make: (a: Expr, b: Expr) => Expr) =>
    as.flatMap((a) => bs.map((b) => make(a, b))).slice(0, 64);
  switch (e.kind) {
    case "Add":
      return pairs(upperForms(e.a, positive), upperForms(e.b, positive), (a, b) => arith("Add", a, b));
    case "Sub":
      return pairs(upperForms(e.a, positive), upperForms(e.b, !positive), (a, b) => arith("Sub", a, b));
    case "Mul": {
      const k = asConstInt(e.b);
      if (k === undefined) return [e];
      return upperForms(e.a, k >= 0n ? positive : !positive).map((a) => arith("Mul", a, e.b));
    }
    case "Min":
    case "Max":
      return (e.kind === "Min") === positive
        ? [e, ...upperForms(e.a, positive), ...upperForms(e.b, positive)].slice(0, 64)
        : [e];
    default:
      return [e];
  }
}

function nextPowerOfTwo(n: number): number {
  let p = 1;
  while (p < n) p *= 2;
  return p;
}

/** Every access of `f` in `s` with coordinate `d` taken modulo `factor`. */
function foldAccesses(s: Stmt, f: FunctionDef, d: number, factor: Expr): Stmt {
  const wrap = (args: readonly Expr[]) => args.map((a, i) => (i === d ? arith("Mod", a, factor) : a));
  const fe = (e: Expr): Expr => {
    const m = mapExprChildren(e, fe);
    return m.kind === "Call" && m.callType === "Halide" && m.func === f ? { ...m, args: wrap(m.args) } : m;
  };
  const fs = (n: Stmt): Stmt => {
    const m = mapStmtChildren(n, fe, fs);
    return m.kind === "Provide" && m.func === f ? { ...m, args: wrap(m.args) } : m;
  };
  return fs(s);
}

/**
 * Whether coordinate `d` of an access of `f` in `s` varies across the lanes of a vectorized loop (folding it
 * would turn dense vector accesses into gathers, so Halide does not fold it automatically).
 */
function vectorizedAccess(s: Stmt, f: FunctionDef, d: number): boolean {
  let found = false;
  const vectorVars = new Set<string>();
  const uses = (e: Expr) => {
    let hit = false;
    visitExpr(e, (n) => void (n.kind === "Variable" && vectorVars.has(n.name) && (hit = true)));
    return hit;
  };
  const checkExpr = (e: Expr) =>
    visitExpr(e, (n) => void (n.kind === "Call" && n.func === f && uses(n.args[d]) && (found = true)));
  visitStmt(s, (e) => (checkExpr(e), false), (n) => {
    if (n.kind === "For" && n.forType === "Vectorized") vectorVars.add(n.name);
    if (n.kind === "LetStmt" && uses(n.value)) vectorVars.add(n.name);
    if (n.kind === "Provide" && n.func === f && uses(n.args[d])) found = true;
  });
  return found;
}
