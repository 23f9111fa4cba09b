/**
 * Sliding window (Halide's `SlidingWindow.cpp`): a Func stored outside the loop it is computed in keeps what
 * earlier iterations computed, so each iteration of a serial loop between its store and compute levels need
 * only compute what the previous one did not. Where exactly one dimension of the region computed moves with the
 * loop — monotonically, overlapping the previous iteration's — the first iteration computes the whole region
 * and the others start just past the previous iteration's end:
 *
 *     let f.s0.y.min = select(y <= y.loop_min, <required min>, max(<required min>, <previous max> + 1))
 *
 * (or symmetrically the max, for a region moving down). A region that does not move at all is computed on the
 * first iteration only. Each dimension is slid over one loop at most; loops whose bounds move with the slid
 * loop are not entered, and a dimension whose loops round up (a `RoundUp` split) is not slid (it would compute
 * beyond what the realization and the producers cover). Storage folding (`storage_folding.ts`) then shrinks the
 * storage to the few rows that are live.
 *
 * @module
 */
import { cmp, type Expr, i32Imm, select, variable } from "../ir/expr.ts";
import type { FunctionDef } from "../ir/function.ts";
import { foldArith } from "../ir/interval.ts";
import { monotonic, provablyLE, usesVar } from "../ir/monotonic.ts";
import { mapStmtChildren, substitute, visitExpr } from "../ir/mutate.ts";
import { loopLevelName, type Split } from "../ir/schedule.ts";
import { simplify } from "../ir/simplify.ts";
import type { For, Stmt } from "../ir/stmt.ts";
import { Int } from "../ir/type.ts";
import { loopName } from "./loop_nest.ts";

const i32 = Int(32);

/** A loop nest after sliding window, and for each Func (by name) the loops it was slid over. */
export interface SlidNest {
  readonly stmt: Stmt;
  readonly slidLoops: ReadonlyMap<string, ReadonlySet<string>>;
}

/**
 * The condition that holds on the first iteration of `loop`: `loop <= loop.min`. The selects sliding window
 * writes test it; storage folding recognizes it to tell the first iteration from the steady state.
 *
 * @example
 * ```ts
 * firstIteration(loop); // out.s0.y <= out.min.1
 * ```
 */
export function firstIteration(loop: For): Expr {
  return cmp("LE", variable(i32, loop.name), loop.min);
}

/**
 * Slides every Func that is stored outside its compute level over the serial loops in between.
 *
 * @example
 * ```ts
 * const { stmt, slidLoops } = slidingWindow(schedulePipeline([out], [region]));
 * ```
 */
export function slidingWindow(s: Stmt): SlidNest {
  const slidLoops = new Map<string, Set<string>>();
  const slidDims = new Map<string, Set<number>>();
  const keep = (e: Expr) => e;
  const go = (n: Stmt, sliding: readonly FunctionDef[]): Stmt => {
    if (n.kind === "Realize" && storedOutsideCompute(n.func)) {
      return mapStmtChildren(n, keep, (c) => go(c, [n.func, ...sliding]));
    }
    if (n.kind !== "For" || (n.forType !== "Serial" && n.forType !== "Unrolled")) {
      return mapStmtChildren(n, keep, (c) => go(c, sliding));
    }
    let body = n.body;
    for (const f of sliding) {
      const dims = slidDims.get(f.name) ?? new Set<number>();
      const slid = slideOver(f, n, body, dims);
      if (!slid) continue;
      body = slid.body;
      slidDims.set(f.name, dims.add(slid.dim));
      slidLoops.set(f.name, (slidLoops.get(f.name) ?? new Set<string>()).add(n.name));
    }
    body = go(body, sliding);
    return body === n.body ? n : { ...n, body };
  };
  return { stmt: go(s, []), slidLoops };
}

function storedOutsideCompute(f: FunctionDef): boolean {
  const { compute, store } = f.funcSchedule;
  return store.kind !== "inlined" && loopLevelName(store) !== loopLevelName(compute);
}

/**
 * Slides `f` over `loop` (whose body is `body`): the new body, and the dimension slid; undefined when `f` cannot
 * or need not slide there.
 */
function slideOver(
  f: FunctionDef,
  loop: For,
  body: Stmt,
  slid: ReadonlySet<number>,
): { body: Stmt; dim: number } | undefined {
  const defs = produceScope(f, loop.name, body, new Map());
  if (!defs) return undefined;
  // The region lets at the compute level are the last stage's; the earlier stages' follow from them.
  const name = (a: string, end: "min" | "max") => `${loopName(f, f.updates.length, a)}.${end}`;
  const expand = (n: string) => simplify(substitute(variable(i32, n), defs));
  const req = f.args.map((a) => ({ min: expand(name(a, "min")), max: expand(name(a, "max")) }));
  const moving = req.flatMap((r, d) => (usesVar(r.min, loop.name) || usesVar(r.max, loop.name) ? [d] : []));
  // One dimension moving with the loop; or none, and then the last dimension is computed on the first iteration.
  const last = f.args.length - 1;
  const dim = moving.length === 1 ? moving[0] : moving.length === 0 && last >= 0 && isPure(req[last]) ? last : -1;
  if (dim < 0 || slid.has(dim) || roundsUp(f, f.args[dim]) || !pureInUpdates(f, dim)) return undefined;
  const { min, max } = req[dim];
  const up = ["Increasing", "Constant"].includes(monotonic(min, loop.name));
  const down = !up && ["Decreasing", "Constant"].includes(monotonic(max, loop.name));
  if (!up && !down) return undefined;
  const v = variable(i32, loop.name);
  const previous = (e: Expr) => substitute(e, new Map([[loop.name, foldArith("Sub", v, i32Imm(1))]]));
  // What the previous iteration left: a region starting past it (sliding up) or ending before it (down).
  const edge = up ? foldArith("Add", previous(max), i32Imm(1)) : foldArith("Sub", previous(min), i32Imm(1));
  // No overlap with the previous iteration: nothing to reuse.
  if (up ? provablyLE(edge, min) : provablyLE(max, edge)) return undefined;
  const steady = simplify(up ? foldArith("Max", min, edge) : foldArith("Min", max, edge));
  const target = name(f.args[dim], up ? "min" : "max");
  const replace = (n: Stmt): Stmt => {
    if (n.kind === "LetStmt" && n.name === target) {
      return { ...n, value: select(firstIteration(loop), n.value, steady) };
    }
    return mapStmtChildren(n, (e) => e, replace);
  };
  return { body: replace(body), dim };
}

/**
 * The let-bound values (expanded) in scope at the producer of `f` inside `n`, or undefined if there is none, or
 * it is inside a loop whose bounds move with the loop `v` (whose iterations then do not repeat the same work).
 */
function produceScope(
  f: FunctionDef,
  v: string,
  n: Stmt,
  defs: ReadonlyMap<string, Expr>,
): ReadonlyMap<string, Expr> | undefined {
  const expand = (e: Expr) => simplify(substitute(e, defs));
  switch (n.kind) {
    case "ProducerConsumer":
      return n.isProducer && n.name === f.name ? defs : produceScope(f, v, n.body, defs);
    case "LetStmt":
      return produceScope(f, v, n.body, new Map(defs).set(n.name, expand(n.value)));
    case "For":
      if (usesVar(expand(n.min), v) || usesVar(expand(n.extent), v)) return undefined;
      return produceScope(f, v, n.body, defs);
    case "Block":
      for (const c of n.stmts) {
        const found = produceScope(f, v, c, defs);
        if (found) return found;
      }
      return undefined;
    case "IfThenElse":
      return produceScope(f, v, n.thenCase, defs) ?? (n.elseCase && produceScope(f, v, n.elseCase, defs));
    case "Realize":
      return produceScope(f, v, n.body, defs);
    default:
      return undefined;
  }
}

/** Whether a region's ends read no memory (so that they are the same on every iteration). */
function isPure(r: { min: Expr; max: Expr }): boolean {
  let pure = true;
  for (const e of [r.min, r.max]) {
    visitExpr(e, (n) => {
      if (n.kind === "Load" || (n.kind === "Call" && n.callType !== "PureIntrinsic")) pure = false;
    });
  }
  return pure;
}

/**
 * Whether every update of `f` writes dimension `d` at its own pure variable (so each stage computes the same rows:
 * sliding the last stage's region slides them all).
 */
function pureInUpdates(f: FunctionDef, d: number): boolean {
  return f.updates.every((u) => u.args[d].kind === "Variable" && u.args[d].name === f.args[d] && !u.args[d].rdom);
}

/** Whether a loop derived from `f`'s variable `v` is split with `RoundUp` (running past the region's end) in any stage. */
function roundsUp(f: FunctionDef, v: string): boolean {
  return Array.from({ length: f.updates.length + 1 }, (_, k) => f.stageSchedule(k)).some((sched) => stageRoundsUp(sched.splits, v));
}

function stageRoundsUp(splits: readonly Split[], v: string): boolean {
  const derived = new Set([v]);
  for (const s of splits) {
    if (s.kind === "split" && derived.has(s.old)) {
      if (s.tail === "RoundUp") return true;
      derived.add(s.outer).add(s.inner);
    } else if (s.kind === "fuse" && (derived.has(s.inner) || derived.has(s.outer))) derived.add(s.fused);
    else if (s.kind === "rename" && derived.has(s.old)) derived.add(s.renamed);
  }
  return false;
}
