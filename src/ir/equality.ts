/**
 * Structural equality of expressions: the same tree of nodes with the same types, names and constants.
 *
 * @module
 */
import type { Expr } from "./expr.ts";
import { mapExprChildren } from "./mutate.ts";

/** The direct children of `e`, in order. */
function children(e: Expr): Expr[] {
  const out: Expr[] = [];
  mapExprChildren(e, (c) => (out.push(c), c));
  return out;
}

/** The scalar fields of a node that are not children or its type (names, values, lane counts, indices…). */
function ownFields(e: Expr): unknown[] {
  switch (e.kind) {
    case "IntImm":
    case "FloatImm":
    case "StringImm":
      return [e.value];
    case "Variable":
      return [e.name, e.param, e.rdom];
    case "Let":
      return [e.name];
    case "Load":
      return [e.name, e.image];
    case "Ramp":
    case "Broadcast":
      return [e.lanes];
    case "Shuffle":
      return [...e.indices];
    case "VectorReduce":
      return [e.op];
    case "Call":
      return [e.name, e.callType, e.func, e.valueIndex, e.image];
    default:
      return [];
  }
}

/**
 * Whether `a` and `b` are the same expression (NaN constants compare equal to themselves).
 *
 * @example
 * ```ts
 * equalExprs(arith("Add", x, i32Imm(1)), arith("Add", x, i32Imm(1))); // true
 * ```
 */
export function equalExprs(a: Expr, b: Expr): boolean {
  if (a === b) return true;
  if (a.kind !== b.kind || !a.type.equals(b.type)) return false;
  const fa = ownFields(a), fb = ownFields(b);
  if (fa.length !== fb.length || !fa.every((v, i) => Object.is(v, fb[i]))) return false;
  const ca = children(a), cb = children(b);
  return ca.length === cb.length && ca.every((c, i) => equalExprs(c, cb[i]));
}
