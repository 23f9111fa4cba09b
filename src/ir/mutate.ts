/**
 * Generic traversal of the IR. `mapExprChildren` / `mapStmtChildren` rebuild a node from transformed children,
 * returning the same object when nothing changed, so mutators share unchanged subtrees.
 *
 * @module
 */
import { type Expr, isBinary } from "./expr.ts";
import type { Stmt } from "./stmt.ts";

/** A function applied to child expressions. */
export type ExprFn = (e: Expr) => Expr;
/** A function applied to child statements. */
export type StmtFn = (s: Stmt) => Stmt;

function same<T>(xs: readonly T[], ys: readonly T[]): boolean {
  return xs.length === ys.length && xs.every((x, i) => x === ys[i]);
}

/**
 * Applies `f` to each direct child expression of `e` and rebuilds `e` if any changed.
 *
 * @example
 * ```ts
 * const rename = (e: Expr): Expr => e.kind === "Variable" && e.name === "x" ? variable(e.type, "y") : mapExprChildren(e, rename);
 * ```
 */
export function mapExprChildren(e: Expr, f: ExprFn): Expr {
  if (isBinary(e)) {
    const a = f(e.a), b = f(e.b);
    return a === e.a && b === e.b ? e : { ...e, a, b };
  }
  switch (e.kind) {
    case "IntImm":
    case "FloatImm":
    case "StringImm":
    case "Variable":
      return e;
    case "Cast":
    case "Reinterpret": {
      const value = f(e.value);
      return value === e.value ? e : { ...e, value };
    }
    case "Not": {
      const a = f(e.a);
      return a === e.a ? e : { ...e, a };
    }
    case "Select": {
      const cond = f(e.cond), trueValue = f(e.trueValue), falseValue = f(e.falseValue);
      return cond === e.cond && trueValue === e.trueValue && falseValue === e.falseValue
        ? e
        : { ...e, cond, trueValue, falseValue };
    }
    case "Let": {
      const value = f(e.value), body = f(e.body);
      return value === e.value && body === e.body ? e : { ...e, value, body, type: body.type };
    }
    case "Load": {
      const index = f(e.index), predicate = f(e.predicate);
      return index === e.index && predicate === e.predicate ? e : { ...e, index, predicate };
    }
    case "Ramp": {
      const base = f(e.base), stride = f(e.stride);
      return base === e.base && stride === e.stride ? e : { ...e, base, stride };
    }
    case "Broadcast": {
      const value = f(e.value);
      return value === e.value ? e : { ...e, value };
    }
    case "Shuffle": {
      const vectors = e.vectors.map(f);
      return same(vectors, e.vectors) ? e : { ...e, vectors };
    }
    case "VectorReduce": {
      const value = f(e.value);
      return value === e.value ? e : { ...e, value };
    }
    case "Call": {
      const args = e.args.map(f);
      return same(args, e.args) ? e : { ...e, args };
    }
  }
}

/**
 * Applies `fe` to each direct child expression and `fs` to each direct child statement of `s`, rebuilding `s`
 * if any changed.
 *
 * @example
 * ```ts
 * const strip = (s: Stmt): Stmt => s.kind === "ProducerConsumer" ? strip(s.body) : mapStmtChildren(s, (e) => e, strip);
 * ```
 */
export function mapStmtChildren(s: Stmt, fe: ExprFn, fs: StmtFn): Stmt {
  switch (s.kind) {
    case "For": {
      const min = fe(s.min), extent = fe(s.extent), body = fs(s.body);
      return min === s.min && extent === s.extent && body === s.body ? s : { ...s, min, extent, body };
    }
    case "LetStmt": {
      const value = fe(s.value), body = fs(s.body);
      return value === s.value && body === s.body ? s : { ...s, value, body };
    }
    case "Provide": {
      const values = s.values.map(fe), args = s.args.map(fe);
      return same(values, s.values) && same(args, s.args) ? s : { ...s, values, args };
    }
    case "Store": {
      const value = fe(s.value), index = fe(s.index), predicate = fe(s.predicate);
      return value === s.value && index === s.index && predicate === s.predicate ? s : { ...s, value, index, predicate };
    }
    case "Realize": {
      const bounds = s.bounds.map((b) => ({ min: fe(b.min), extent: fe(b.extent) }));
      const condition = fe(s.condition), body = fs(s.body);
      const boundsSame = bounds.every((b, i) => b.min === s.bounds[i].min && b.extent === s.bounds[i].extent);
      return boundsSame && condition === s.condition && body === s.body ? s : { ...s, bounds, condition, body };
    }
    case "Allocate": {
      const extents = s.extents.map(fe), condition = fe(s.condition), body = fs(s.body);
      return same(extents, s.extents) && condition === s.condition && body === s.body
        ? s
        : { ...s, extents, condition, body };
    }
    case "ProducerConsumer": {
      const body = fs(s.body);
      return body === s.body ? s : { ...s, body };
    }
    case "Block": {
      const stmts = s.stmts.map(fs);
      return same(stmts, s.stmts) ? s : { ...s, stmts };
    }
    case "IfThenElse": {
      const cond = fe(s.cond), thenCase = fs(s.thenCase), elseCase = s.elseCase && fs(s.elseCase);
      return cond === s.cond && thenCase === s.thenCase && elseCase === s.elseCase
        ? s
        : elseCase
        ? { ...s, cond, thenCase, elseCase }
        : { kind: "IfThenElse", cond, thenCase };
    }
    case "Evaluate": {
      const value = fe(s.value);
      return value === s.value ? s : { ...s, value };
    }
    case "AssertStmt": {
      const cond = fe(s.cond), message = fe(s.message);
      return cond === s.cond && message === s.message ? s : { ...s, cond, message };
    }
  }
}

/**
 * Calls `visit` on every expression node of the tree rooted at `e` (pre-order). Return `false` from `visit` to
 * skip a node's children.
 *
 * @example
 * ```ts
 * const names = new Set<string>();
 * visitExpr(e, (n) => { if (n.kind === "Variable") names.add(n.name); });
 * ```
 */
export function visitExpr(e: Expr, visit: (e: Expr) => boolean | void): void {
  const go = (n: Expr): Expr => {
    if (visit(n) !== false) mapExprChildren(n, go);
    return n;
  };
  go(e);
}

/**
 * Calls `visitE` on every expression and `visitS` on every statement under `s` (pre-order).
 *
 * @example
 * ```ts
 * visitStmt(s, () => {}, (n) => { if (n.kind === "For") console.log(n.name); });
 * ```
 */
export function visitStmt(s: Stmt, visitE: (e: Expr) => boolean | void, visitS: (s: Stmt) => boolean | void): void {
  const ge = (n: Expr): Expr => {
    if (visitE(n) !== false) mapExprChildren(n, ge);
    return n;
  };
  const gs = (n: Stmt): Stmt => {
    if (visitS(n) !== false) mapStmtChildren(n, ge, gs);
    return n;
  };
  gs(s);
}

/**
 * Whether `e` contains a Variable whose name `has` accepts (stopping at the first).
 *
 * @example
 * ```ts
 * mentionsVariable(e, (n) => n === "x");
 * ```
 */
export function mentionsVariable(e: Expr, has: (name: string) => boolean): boolean {
  let found = false;
  visitExpr(e, (n) => {
    if (n.kind === "Variable" && has(n.name)) found = true;
    return !found;
  });
  return found;
}

/**
 * Replaces free occurrences of variables by name (respecting `Let` shadowing). A scalar parameter (a Variable
 * whose `param` is a user's Param) is never replaced: it may share its name with a Func's variable, as in Halide.
 *
 * @example
 * ```ts
 * substitute(e, new Map([["x", i32Imm(3)]]));
 * ```
 */
export function substitute(e: Expr, replacements: ReadonlyMap<string, Expr>): Expr {
  if (replacements.size === 0) return e;
  const go = (n: Expr): Expr => {
    if (n.kind === "Variable") return n.param && !n.param.bufferField ? n : replacements.get(n.name) ?? n;
    if (n.kind === "Let" && replacements.has(n.name)) {
      const inner = new Map(replacements);
      inner.delete(n.name);
      const value = go(n.value);
      const body = substitute(n.body, inner);
      return value === n.value && body === n.body ? n : { ...n, value, body };
    }
    return mapExprChildren(n, go);
  };
  return go(e);
}

/**
 * Replaces free occurrences of variables by name throughout a statement (respecting `LetStmt`, `Let` and loop
 * variable shadowing).
 *
 * @example
 * ```ts
 * substituteInStmt(body, new Map([["f.stride.0", i32Imm(1)]]));
 * ```
 */
export function substituteInStmt(s: Stmt, replacements: ReadonlyMap<string, Expr>): Stmt {
  if (replacements.size === 0) return s;
  const without = (name: string) => {
    if (!replacements.has(name)) return replacements;
    const inner = new Map(replacements);
    inner.delete(name);
    return inner;
  };
  const fe = (e: Expr) => substitute(e, replacements);
  if (s.kind === "LetStmt" || s.kind === "For") {
    const inner = without(s.name);
    const body = substituteInStmt(s.body, inner);
    if (s.kind === "LetStmt") {
      const value = fe(s.value);
      return value === s.value && body === s.body ? s : { ...s, value, body };
    }
    const min = fe(s.min), extent = fe(s.extent);
    return min === s.min && extent === s.extent && body === s.body ? s : { ...s, min, extent, body };
  }
  return mapStmtChildren(s, fe, (c) => substituteInStmt(c, replacements));
}
