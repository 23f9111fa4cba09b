/**
 * Bounds inference: the region of every Func and input image that a statement reads, and of every Func it
 * writes, by interval arithmetic over its loops and lets. Loop bounds and let values are resolved through the
 * enclosing scope, so the regions are expressed in the variables visible outside the statement.
 *
 * @module
 */
import { HalideError } from "../error.ts";
import { type BufferSource, type Expr, i32Imm, Intrinsic } from "../ir/expr.ts";
import type { FunctionDef } from "../ir/function.ts";
import { boundsOf, foldArith, type Interval, union } from "../ir/interval.ts";
import { mapExprChildren } from "../ir/mutate.ts";
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

type Scope = Map<string, Interval>;

function unite<K>(m: Map<K, Interval[]>, key: K, box: Interval[]): void {
  const prev = m.get(key);
  m.set(key, prev ? prev.map((iv, d) => union(iv, box[d])) : box);
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
  const defs = new Map<string, Expr>();
  const visitExpr = (e: Expr, scope: Scope): void => {
    if (e.kind === "Let") {
      visitExpr(e.value, scope);
      visitExpr(e.body, bind(scope, e.name, boundsOf(e.value, scope)));
      return;
    }
    if (e.kind === "Call") {
      const box = () => e.args.map((a) => boundsOf(a, scope));
      if (e.callType === "Image" && e.image) unite(out.images, e.image, box());
      if (e.callType === "Halide" && e.func) unite(out.calls, e.func, box());
    }
    mapExprChildren(e, (c) => (visitExpr(c, scope), c));
  };
  const visitStmt = (n: Stmt, scope: Scope): void => {
    switch (n.kind) {
      case "For": {
        visitExpr(n.min, scope);
        visitExpr(n.extent, scope);
        const last = loopMax(n.min, n.extent, defs);
        visitStmt(n.body, bind(scope, n.name, { min: boundsOf(n.min, scope).min, max: boundsOf(last, scope).max }));
        return;
      }
      case "LetStmt":
        visitExpr(n.value, scope);
        defs.set(n.name, n.value);
        visitStmt(n.body, bind(scope, n.name, boundsOf(n.value, scope)));
        defs.delete(n.name);
        return;
      case "Provide":
        n.values.forEach((v) => visitExpr(v, scope));
        n.args.forEach((v) => visitExpr(v, scope));
        unite(out.provided, n.name, n.args.map((a) => boundsOf(a, scope)));
        return;
      case "IfThenElse":
        visitExpr(n.cond, scope);
        visitStmt(n.thenCase, narrow(scope, n.cond));
        if (n.elseCase) visitStmt(n.elseCase, scope);
        return;
      case "Block":
        n.stmts.forEach((c) => visitStmt(c, scope));
        return;
      case "ProducerConsumer":
        visitStmt(n.body, scope);
        return;
      case "Realize":
        n.bounds.forEach((b) => (visitExpr(b.min, scope), visitExpr(b.extent, scope)));
        visitStmt(n.body, scope);
        return;
      case "Evaluate":
      case "AssertStmt":
        visitExpr(n.kind === "Evaluate" ? n.value : n.cond, scope);
        return;
      default:
        throw new HalideError(`Internal error: unexpected ${n.kind} in bounds inference`);
    }
  };
  visitStmt(s, new Map());
  return out;
}

/**
 * The last value of a loop `[min, min + extent)`. When the extent is a let-bound `max - min + 1` over the same
 * `min` variable (as lowering writes region extents), that is `max` itself — taking the bounds of
 * `min + extent - 1` instead would lose the correlation between the two and over-estimate.
 */
function loopMax(min: Expr, extent: Expr, defs: ReadonlyMap<string, Expr>): Expr {
  const e = extent.kind === "Variable" ? defs.get(extent.name) : undefined;
  if (
    e?.kind === "Add" && e.b.kind === "IntImm" && e.b.value === 1n && e.a.kind === "Sub" &&
    e.a.b.kind === "Variable" && min.kind === "Variable" && e.a.b.name === min.name
  ) {
    return e.a.a;
  }
  return foldArith("Sub", foldArith("Add", min, extent), i32Imm(1));
}

/**
 * `scope` with the interval of variable `v` tightened by a condition `v <= e` / `v < e` / `v >= e` / `v > e`
 * (possibly wrapped in `likely`, or a conjunction of such) known to hold — as the guards of GuardWithIf splits are.
 */
function narrow(scope: Scope, cond: Expr): Scope {
  if (cond.kind === "Call" && (cond.name === Intrinsic.likely || cond.name === Intrinsic.likelyIfInnermost)) {
    return narrow(scope, cond.args[0]);
  }
  if (cond.kind === "And") return narrow(narrow(scope, cond.a), cond.b);
  if (!(cond.kind === "LE" || cond.kind === "LT" || cond.kind === "GE" || cond.kind === "GT")) return scope;
  if (cond.a.kind !== "Variable" || !cond.a.type.equals(Int(32))) return scope;
  const iv = scope.get(cond.a.name);
  if (!iv) return scope;
  const bound = boundsOf(cond.b, scope);
  const one = i32Imm(1);
  if (cond.kind === "LE" || cond.kind === "LT") {
    const hi = bound.max && (cond.kind === "LT" ? foldArith("Sub", bound.max, one) : bound.max);
    if (!hi) return scope;
    return bind(scope, cond.a.name, { min: iv.min, max: iv.max ? foldArith("Min", iv.max, hi) : hi });
  }
  const lo = bound.min && (cond.kind === "GT" ? foldArith("Add", bound.min, one) : bound.min);
  if (!lo) return scope;
  return bind(scope, cond.a.name, { min: iv.min ? foldArith("Max", iv.min, lo) : lo, max: iv.max });
}

function bind(scope: Scope, name: string, iv: Interval): Scope {
  const inner = new Map(scope);
  inner.set(name, iv);
  return inner;
}
