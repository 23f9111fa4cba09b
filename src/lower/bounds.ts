/**
 * Bounds inference: the region of every Func and input image that a statement reads, and of every Func it
 * writes, by interval arithmetic over its loops. Let-bound values are substituted symbolically and simplified
 * (src/ir/simplify.ts) before intervals are taken, so quantities that move together stay correlated — the
 * extent `max - min + 1` of a region whose ends both follow a loop variable is a constant, not an interval.
 * Only loop variables (and variables narrowed by guards) range over intervals; the regions come out in the
 * variables visible outside the statement.
 *
 * @module
 */
import { HalideError } from "../error.ts";
import { type BufferSource, type Expr, i32Imm, Intrinsic } from "../ir/expr.ts";
import type { FunctionDef } from "../ir/function.ts";
import { boundsOf, foldArith, type Interval, union } from "../ir/interval.ts";
import { mapExprChildren, substitute } from "../ir/mutate.ts";
import { simplify } from "../ir/simplify.ts";
import type { Stmt } from "../ir/stmt.ts";
import { Int } from "../ir/type.ts";

/** What a statement touches. Maps keep first-use order. */
export interface Regions {
  /** Regions of input images read. */
  readonly images: Map<BufferSource, Interval[]>;
  /** Regions of Funcs read (calls that survived inlining). */
  readonly calls: Map<FunctionDef, Interval[]>;
  /** Regions of Funcs written, by Func name. */
  readonly provided: Map<string, Interval[]>;
}

/** Intervals of the loop (and guard-narrowed) variables, and the symbolic values of let-bound ones. */
interface Env {
  readonly intervals: ReadonlyMap<string, Interval>;
  readonly defs: ReadonlyMap<string, Expr>;
}

function unite<K>(m: Map<K, Interval[]>, key: K, box: Interval[]): void {
  const prev = m.get(key);
  m.set(key, prev ? prev.map((iv, d) => union(iv, box[d])) : box);
}

/** `e` with every let-bound variable replaced by its (already resolved) value, simplified. */
function resolve(e: Expr, env: Env): Expr {
  return simplify(substitute(e, env.defs));
}

/** The interval of `e` in `env`. */
function bounds(e: Expr, env: Env): Interval {
  const iv = boundsOf(resolve(e, env), env.intervals);
  return { min: iv.min && simplify(iv.min), max: iv.max && simplify(iv.max) };
}

function withInterval(env: Env, name: string, iv: Interval): Env {
  const intervals = new Map(env.intervals);
  intervals.set(name, iv);
  if (!env.defs.has(name)) return { intervals, defs: env.defs };
  const defs = new Map(env.defs);
  defs.delete(name);
  return { intervals, defs };
}

function withDef(env: Env, name: string, value: Expr): Env {
  const defs = new Map(env.defs);
  defs.set(name, resolve(value, env));
  if (!env.intervals.has(name)) return { intervals: env.intervals, defs };
  const intervals = new Map(env.intervals);
  intervals.delete(name);
  return { intervals, defs };
}

/**
 * The regions `s` reads and writes, for values of the variables bound outside `s` treated as symbols.
 *
 * @example
 * ```ts
 * const { images, calls, provided } = regionsTouched(loopNest);
 * ```
 */
export function regionsTouched(s: Stmt): Regions {
  const out: Regions = { images: new Map(), calls: new Map(), provided: new Map() };
  const visitExpr = (e: Expr, env: Env): void => {
    if (e.kind === "Let") {
      visitExpr(e.value, env);
      visitExpr(e.body, withDef(env, e.name, e.value));
      return;
    }
    if (e.kind === "Call") {
      const box = () => e.args.map((a) => bounds(a, env));
      if (e.callType === "Image" && e.image) unite(out.images, e.image, box());
      if (e.callType === "Halide" && e.func) unite(out.calls, e.func, box());
    }
    mapExprChildren(e, (c) => (visitExpr(c, env), c));
  };
  const visitStmt = (n: Stmt, env: Env): void => {
    switch (n.kind) {
      case "For": {
        visitExpr(n.min, env);
        visitExpr(n.extent, env);
        const last = foldArith("Sub", foldArith("Add", n.min, n.extent), i32Imm(1));
        visitStmt(n.body, withInterval(env, n.name, { min: bounds(n.min, env).min, max: bounds(last, env).max }));
        return;
      }
      case "LetStmt":
        visitExpr(n.value, env);
        visitStmt(n.body, withDef(env, n.name, n.value));
        return;
      case "Provide":
        n.values.forEach((v) => visitExpr(v, env));
        n.args.forEach((v) => visitExpr(v, env));
        unite(out.provided, n.name, n.args.map((a) => bounds(a, env)));
        return;
      case "IfThenElse":
        visitExpr(n.cond, env);
        visitStmt(n.thenCase, narrow(env, n.cond));
        if (n.elseCase) visitStmt(n.elseCase, env);
        return;
      case "Block":
        n.stmts.forEach((c) => visitStmt(c, env));
        return;
      case "ProducerConsumer":
        visitStmt(n.body, env);
        return;
      case "Realize":
        n.bounds.forEach((b) => (visitExpr(b.min, env), visitExpr(b.extent, env)));
        visitStmt(n.body, env);
        return;
      case "Evaluate":
      case "AssertStmt":
        visitExpr(n.kind === "Evaluate" ? n.value : n.cond, env);
        return;
      default:
        throw new HalideError(`Internal error: unexpected ${n.kind} in bounds inference`);
    }
  };
  visitStmt(s, { intervals: new Map(), defs: new Map() });
  return out;
}

/**
 * `env` with the range of variable `v` tightened by a condition `v <= e` / `v < e` / `v >= e` / `v > e`
 * (possibly wrapped in `likely`, or a conjunction of such) known to hold — as the guards of GuardWithIf splits
 * are.
 */
function narrow(env: Env, cond: Expr): Env {
  if (cond.kind === "Call" && (cond.name === Intrinsic.likely || cond.name === Intrinsic.likelyIfInnermost)) {
    return narrow(env, cond.args[0]);
  }
  if (cond.kind === "And") return narrow(narrow(env, cond.a), cond.b);
  if (!(cond.kind === "LE" || cond.kind === "LT" || cond.kind === "GE" || cond.kind === "GT")) return env;
  if (cond.a.kind !== "Variable" || !cond.a.type.equals(Int(32))) return env;
  const one = i32Imm(1);
  const def = env.defs.get(cond.a.name);
  if (def) {
    // A let-bound variable stays symbolic, clamped by the guard (exact where the guard holds), so that what is
    // computed from it keeps its correlation with the other ends of the region.
    const lt = cond.kind === "LE" || cond.kind === "LT";
    const limit = cond.kind === "LT" ? foldArith("Sub", cond.b, one) : cond.kind === "GT" ? foldArith("Add", cond.b, one) : cond.b;
    const defs = new Map(env.defs);
    defs.set(cond.a.name, simplify(foldArith(lt ? "Min" : "Max", def, resolve(limit, env))));
    return { intervals: env.intervals, defs };
  }
  const iv = bounds(cond.a, env);
  const bound = bounds(cond.b, env);
  if (cond.kind === "LE" || cond.kind === "LT") {
    const hi = bound.max && (cond.kind === "LT" ? foldArith("Sub", bound.max, one) : bound.max);
    if (!hi) return env;
    return withInterval(env, cond.a.name, { min: iv.min, max: iv.max ? simplify(foldArith("Min", iv.max, hi)) : hi });
  }
  const lo = bound.min && (cond.kind === "GT" ? foldArith("Add", bound.min, one) : bound.min);
  if (!lo) return env;
  return withInterval(env, cond.a.name, { min: iv.min ? simplify(foldArith("Max", iv.min, lo)) : lo, max: iv.max });
}
