/**
 * Inline reductions: `sum`, `product`, `maximum`, `minimum`, `argmax` and `argmin` over a reduction domain,
 * used inside an expression. Each makes an anonymous Func of the expression's free variables with a pure
 * definition (the reduction's identity) and one update over the domain, and returns a call of it — computed where
 * it is used, per point, unless scheduled otherwise.
 *
 * @module
 */
import { HalideError } from "../error.ts";
import * as ir from "../ir/expr.ts";
import { mapExprChildren } from "../ir/mutate.ts";
import type { ReductionDomain } from "../ir/reduction.ts";
import { Int } from "../ir/type.ts";
import { type Expr, type ExprLike, toIR, wrap } from "./expr.ts";
import { Func } from "./func.ts";
import * as op from "./operators.ts";
import { RDom } from "./rdom.ts";
import { Var } from "./var.ts";

let freeCount = 0;

/**
 * The free variables of `e` (in order of appearance) and the reduction domain it iterates over: `explicit` if
 * given (then RVars of other domains count as free), else the one domain `e` uses (Halide's FindFreeVars).
 * Returns `e` with each free RVar of another domain renamed, the pure Vars, and the Exprs to call with.
 */
function freeVars(e: ir.Expr, explicit: ReductionDomain | undefined, what: string) {
  let rdom = explicit;
  const names: string[] = [];
  const callArgs: ir.Expr[] = [];
  const capture = (name: string, arg: ir.Expr) => {
    if (!names.includes(name)) (names.push(name), callArgs.push(arg));
  };
  const go = (n: ir.Expr, bound: ReadonlySet<string>): ir.Expr => {
    if (n.kind === "Let") {
      return { ...n, value: go(n.value, bound), body: go(n.body, new Set([...bound, n.name])) };
    }
    if (n.kind !== "Variable") return mapExprChildren(n, (c) => go(c, bound));
    if (bound.has(n.name) || n.param) return n;
    if (n.rdom) {
      if (explicit && n.rdom !== explicit) {
        // An RVar of another domain is a free variable of this reduction.
        const fresh = `v${freeCount++}`;
        capture(fresh, n);
        return ir.variable(Int(32), fresh);
      }
      if (!rdom) rdom = n.rdom;
      else if (rdom !== n.rdom) {
        throw new HalideError(
          `Inline reduction "${what}" refers to reduction variables from multiple reduction domains: ${n.name}, ${rdom.vars[0].name}`,
        );
      }
      return n;
    }
    capture(n.name, n);
    return n;
  };
  const body = go(e, new Set());
  if (!rdom) throw new HalideError(`Expression passed to ${what} must reference a reduction domain`);
  return { body, rdom, vars: names.map((n) => new Var(n)), callArgs: callArgs.map(wrap) };
}

/** `(rdom?, expr, name?)` → the parts. */
function parse(a: RDom | ExprLike, b: ExprLike | string | undefined, c: string | undefined, what: string) {
  const [rdom, e, name] = a instanceof RDom ? [a, b as ExprLike, c] : [undefined, a, b as string | undefined];
  if (e === undefined) throw new HalideError(`${what} needs an expression to reduce.`);
  const parts = freeVars(toIR(e), rdom?.domain, name ?? what);
  return { ...parts, func: new Func(name ?? what) };
}

/** A Func of the free variables with `init` as pure definition and `step(current)` as its update. */
function reduce(
  a: RDom | ExprLike,
  b: ExprLike | string | undefined,
  c: string | undefined,
  what: string,
  init: (t: ir.Expr) => ExprLike,
  step: (current: ExprLike, value: Expr) => Expr,
): Expr {
  const { body, vars, callArgs, func } = parse(a, b, c, what);
  func.at(...vars).set(init(body));
  func.at(...vars).set(step(func.at(...vars), wrap(body)));
  return wrap(func.at(...callArgs).toIR());
}

/**
 * The sum of `expr` over its reduction domain (or over `rdom`), in `expr`'s type.
 *
 * @example
 * ```ts
 * const r = new hl.RDom([[-2, 5]]);
 * blur.at(x).set(hl.sum(input.at(x.add(r), y)).div(5));
 * hl.sum(r, hl.i32(input.at(x.add(r.x), y)), "window");
 * ```
 */
export function sum(expr: ExprLike, name?: string): Expr;
export function sum(rdom: RDom, expr: ExprLike, name?: string): Expr;
export function sum(a: RDom | ExprLike, b?: ExprLike | string, c?: string): Expr {
  return reduce(a, b, c, "sum", (t) => wrap(ir.makeConst(t.type, 0)), op.add);
}

/**
 * The product of `expr` over its reduction domain (or over `rdom`).
 *
 * @example
 * ```ts
 * const r = new hl.RDom([[1, 5]]);
 * fact.at().set(hl.product(r));        // 120
 * ```
 */
export function product(expr: ExprLike, name?: string): Expr;
export function product(rdom: RDom, expr: ExprLike, name?: string): Expr;
export function product(a: RDom | ExprLike, b?: ExprLike | string, c?: string): Expr {
  return reduce(a, b, c, "product", (t) => wrap(ir.makeConst(t.type, 1)), op.mul);
}

/**
 * The largest value of `expr` over its reduction domain (or over `rdom`).
 *
 * @example
 * ```ts
 * const r = new hl.RDom([[-1, 3], [-1, 3]]);
 * dilate.at(x, y).set(hl.maximum(input.at(x.add(r.x), y.add(r.y))));
 * ```
 */
export function maximum(expr: ExprLike, name?: string): Expr;
export function maximum(rdom: RDom, expr: ExprLike, name?: string): Expr;
export function maximum(a: RDom | ExprLike, b?: ExprLike | string, c?: string): Expr {
  return reduce(a, b, c, "maximum", (t) => t.type.min(), (cur, v) => op.max(cur, v));
}

/**
 * The smallest value of `expr` over its reduction domain (or over `rdom`).
 *
 * @example
 * ```ts
 * erode.at(x, y).set(hl.minimum(input.at(x.add(r.x), y.add(r.y))));
 * ```
 */
export function minimum(expr: ExprLike, name?: string): Expr;
export function minimum(rdom: RDom, expr: ExprLike, name?: string): Expr;
export function minimum(a: RDom | ExprLike, b?: ExprLike | string, c?: string): Expr {
  return reduce(a, b, c, "minimum", (t) => t.type.max(), (cur, v) => op.min(cur, v));
}

/** argmax/argmin: a Tuple Func of the RVars' values where `better(e, best)` last held, and that value. */
function argReduce(a: RDom | ExprLike, b: ExprLike | string | undefined, c: string | undefined, what: "argmax" | "argmin"): Expr[] {
  const { body, rdom, vars, callArgs, func } = parse(a, b, c, what);
  const n = rdom.vars.length;
  const e = wrap(body);
  const worst = what === "argmax" ? body.type.min() : body.type.max();
  func.at(...vars).set([...Array.from({ length: n }, () => 0), worst]);
  const best = (i: number) => func.at(...vars).elem(i);
  const better = what === "argmax" ? op.gt(e, best(n)) : op.lt(e, best(n));
  const next = [...rdom.vars.map((_, i) => wrap(rdom.variable(i))), e];
  func.at(...vars).set(next.map((v, i) => op.select(better, v, best(i))));
  return Array.from({ length: n + 1 }, (_, i) => wrap(func.at(...callArgs).elem(i).toIR()));
}

/**
 * Where `expr` is largest over its reduction domain (or over `rdom`): `[...coordinates, value]`, the first
 * such point in iteration order.
 *
 * @example
 * ```ts
 * const r = new hl.RDom([[0, 100]]);
 * const [at, value] = hl.argmax(input.at(r));
 * ```
 */
export function argmax(expr: ExprLike, name?: string): Expr[];
export function argmax(rdom: RDom, expr: ExprLike, name?: string): Expr[];
export function argmax(a: RDom | ExprLike, b?: ExprLike | string, c?: string): Expr[] {
  return argReduce(a, b, c, "argmax");
}

/**
 * Where `expr` is smallest over its reduction domain (or over `rdom`): `[...coordinates, value]`, the first
 * such point in iteration order.
 *
 * @example
 * ```ts
 * const [ix, iy, value] = hl.argmin(hl.absd(a.at(r.x, r.y), target));
 * ```
 */
export function argmin(expr: ExprLike, name?: string): Expr[];
export function argmin(rdom: RDom, expr: ExprLike, name?: string): Expr[];
export function argmin(a: RDom | ExprLike, b?: ExprLike | string, c?: string): Expr[] {
  return argReduce(a, b, c, "argmin");
}
