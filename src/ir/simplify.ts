/**
 * A small algebraic simplifier for integer index expressions: sums are put in a canonical linear form
 * (`c0 + Σ ci·atom_i`, where atoms are variables and non-linear subexpressions compared structurally), so that
 * like terms combine and cancel — `(x + 1) - x` is `1` — and `min`/`max` of two forms that differ by a constant
 * pick one side. Bounds inference relies on it to keep correlated quantities exact (an extent `max - min + 1`
 * of a region whose ends move together is a constant), and lowering uses it to keep generated code small.
 *
 * Only 32-bit signed integer arithmetic is rewritten (Halide assumes it does not overflow); everything else is
 * simplified in its children only.
 *
 * @module
 */
import { arith, asConstInt, type Expr, intImm } from "./expr.ts";
import { equalExprs } from "./equality.ts";
import { mapExprChildren, mapStmtChildren, substituteInStmt } from "./mutate.ts";
import type { Stmt } from "./stmt.ts";
import { Int } from "./type.ts";

/** `constant + Σ coefficient·atom`. */
interface Linear {
  constant: bigint;
  terms: { atom: Expr; coefficient: bigint }[];
}

const i32 = Int(32);

function isI32(e: Expr): boolean {
  return e.type.equals(i32);
}

function addTerm(l: Linear, atom: Expr, coefficient: bigint): void {
  if (coefficient === 0n) return;
  const t = l.terms.find((x) => equalExprs(x.atom, atom));
  if (t) t.coefficient += coefficient;
  else l.terms.push({ atom, coefficient });
}

function combine(a: Linear, b: Linear, sign: bigint): Linear {
  const out: Linear = { constant: a.constant + sign * b.constant, terms: a.terms.map((t) => ({ ...t })) };
  for (const t of b.terms) addTerm(out, t.atom, sign * t.coefficient);
  out.terms = out.terms.filter((t) => t.coefficient !== 0n);
  return out;
}

function scale(a: Linear, k: bigint): Linear {
  if (k === 0n) return { constant: 0n, terms: [] };
  return { constant: a.constant * k, terms: a.terms.map((t) => ({ atom: t.atom, coefficient: t.coefficient * k })) };
}

/** The linear form of a simplified int32 expression. */
function linear(e: Expr): Linear {
  if (e.kind === "IntImm") return { constant: e.value, terms: [] };
  if (e.kind === "Add" || e.kind === "Sub") return combine(linear(e.a), linear(e.b), e.kind === "Add" ? 1n : -1n);
  if (e.kind === "Mul") {
    const ca = asConstInt(e.a), cb = asConstInt(e.b);
    if (cb !== undefined) return scale(linear(e.a), cb);
    if (ca !== undefined) return scale(linear(e.b), ca);
  }
  return { constant: 0n, terms: [{ atom: e, coefficient: 1n }] };
}

/** The expression of a linear form, positive terms first (`a + b - c + 3`). */
function build(l: Linear): Expr {
  const pos = l.terms.filter((t) => t.coefficient > 0n), neg = l.terms.filter((t) => t.coefficient < 0n);
  const term = (t: { atom: Expr; coefficient: bigint }, k: bigint) => (k === 1n ? t.atom : arith("Mul", t.atom, intImm(i32, k)));
  let e: Expr | undefined;
  for (const t of pos) e = e ? arith("Add", e, term(t, t.coefficient)) : term(t, t.coefficient);
  for (const t of neg) e = arith("Sub", e ?? intImm(i32, 0), term(t, -t.coefficient));
  if (!e) return intImm(i32, l.constant);
  if (l.constant > 0n) return arith("Add", e, intImm(i32, l.constant));
  if (l.constant < 0n) return arith("Sub", e, intImm(i32, -l.constant));
  return e;
}

/** The constant difference `a - b` of two linear forms, if they have the same terms. */
function constantDifference(a: Linear, b: Linear): bigint | undefined {
  const d = combine(a, b, -1n);
  return d.terms.length === 0 ? d.constant : undefined;
}

function floorDiv(a: bigint, b: bigint): bigint {
  const q = a / b, r = a % b;
  return r < 0n ? (b > 0n ? q - 1n : q + 1n) : q;
}

/**
 * `e` simplified: int32 sums and products by constants in canonical linear form, constants folded, `min`,
 * `max`, division and modulo by constants reduced where the linear forms allow, and a `select` of two equal values
 * replaced by the value.
 *
 * @example
 * ```ts
 * simplify(sub(add(x, 1), x)); // 1
 * simplify(min(add(x, 2), add(x, 5))); // x + 2
 * ```
 */
export function simplify(e: Expr): Expr {
  const s = mapExprChildren(e, simplify);
  if (s.kind === "Select" && equalExprs(s.trueValue, s.falseValue)) return s.trueValue;
  if (!isI32(s)) return s;
  switch (s.kind) {
    case "Add":
    case "Sub":
    case "Mul":
      return build(linear(s));
    case "Min":
    case "Max": {
      const la = linear(s.a), lb = linear(s.b);
      const d = constantDifference(la, lb);
      if (d !== undefined) return (s.kind === "Min" ? d <= 0n : d >= 0n) ? s.a : s.b;
      return s;
    }
    case "Div":
    case "Mod": {
      const c = asConstInt(s.b);
      if (c === undefined || c === 0n) return s;
      const la = linear(s.a);
      if (la.terms.length === 0) {
        return intImm(i32, s.kind === "Div" ? floorDiv(la.constant, c) : la.constant - c * floorDiv(la.constant, c));
      }
      // (c·Σ kᵢ·tᵢ + c·k₀) / c = Σ kᵢ·tᵢ + k₀.
      if (s.kind === "Div" && c > 0n && la.constant % c === 0n && la.terms.every((t) => t.coefficient % c === 0n)) {
        return build({ constant: la.constant / c, terms: la.terms.map((t) => ({ atom: t.atom, coefficient: t.coefficient / c })) });
      }
      if (c === 1n) return s.kind === "Div" ? s.a : intImm(i32, 0);
      return s;
    }
    default:
      return s;
  }
}

/**
 * Simplifies every expression in a statement.
 *
 * @example
 * ```ts
 * const s2 = simplifyStmt(loopNest);
 * ```
 */
export function simplifyStmt(s: Stmt): Stmt {
  // A let of a constant is substituted (so, e.g., a dense stride of 1 reaches the vectorizer as a constant).
  if (s.kind === "LetStmt") {
    const value = simplify(s.value);
    if (value.kind === "IntImm" || value.kind === "FloatImm") {
      return simplifyStmt(substituteInStmt(s.body, new Map([[s.name, value]])));
    }
    const body = simplifyStmt(s.body);
    return value === s.value && body === s.body ? s : { ...s, value, body };
  }
  return mapStmtChildren(s, simplify, simplifyStmt);
}
