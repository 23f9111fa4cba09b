/**
 * Monotonicity of integer expressions in one variable (Halide's `is_monotonic`): whether an expression never
 * decreases, never increases, or does not change as the variable grows. Sliding window and storage folding ask
 * it of the region a loop iteration uses.
 *
 * @module
 */
import type { Expr } from "./expr.ts";
import { asConstInt } from "./expr.ts";
import { substitute, visitExpr } from "./mutate.ts";
import { simplify } from "./simplify.ts";

/** How an expression moves as a variable grows: `Increasing` and `Decreasing` are not strict. */
export type Monotonic = "Constant" | "Increasing" | "Decreasing" | "Unknown";

/**
 * Whether `e` uses the variable `v` (a `Let` of the same name hides it in its body).
 *
 * @example
 * ```ts
 * usesVar(add(x, 1), "x"); // true
 * ```
 */
export function usesVar(e: Expr, v: string): boolean {
  let found = false;
  visitExpr(e, (n) => {
    if (found) return false;
    if (n.kind === "Variable" && n.name === v) found = true;
    if (n.kind === "Let" && n.name === v) {
      found = usesVar(n.value, v);
      return false;
    }
  });
  return found;
}

const flip = (m: Monotonic): Monotonic => (m === "Increasing" ? "Decreasing" : m === "Decreasing" ? "Increasing" : m);

function unify(a: Monotonic, b: Monotonic): Monotonic {
  if (a === b || b === "Constant") return a;
  if (a === "Constant") return b;
  return "Unknown";
}

/** The sign of `e` when the simplifier reduces it to a constant. */
function sign(e: Expr): number | undefined {
  const c = asConstInt(simplify(e));
  return c === undefined ? undefined : c > 0n ? 1 : c < 0n ? -1 : 0;
}

/**
 * How `e` (an integer expression, or a Bool one, where `Increasing` means "false, then true") moves as `v` grows.
 *
 * @example
 * ```ts
 * monotonic(min(add(y, 1), n), "y"); // "Increasing"
 * monotonic(sub(n, y), "y");         // "Decreasing"
 * ```
 */
export function monotonic(e: Expr, v: string): Monotonic {
  if (!usesVar(e, v)) return "Constant";
  switch (e.kind) {
    case "Variable":
      return "Increasing";
    case "Add":
      return unify(monotonic(e.a, v), monotonic(e.b, v));
    case "Sub":
      return unify(monotonic(e.a, v), flip(monotonic(e.b, v)));
    case "Mul":
    case "Div": {
      const cb = asConstInt(e.b), ca = e.kind === "Mul" ? asConstInt(e.a) : undefined;
      const [k, other] = cb !== undefined ? [cb, e.a] : ca !== undefined ? [ca, e.b] : [undefined, e];
      if (k === undefined) return "Unknown";
      if (k === 0n) return "Constant";
      return k > 0n ? monotonic(other, v) : flip(monotonic(other, v));
    }
    case "Min":
    case "Max":
    case "And":
    case "Or":
      return unify(monotonic(e.a, v), monotonic(e.b, v));
    case "Not":
      return flip(monotonic(e.a, v));
    case "LT":
    case "LE":
    case "GT":
    case "GE": {
      // a < b holds less and less as a - b grows.
      const d = monotonic(simplify({ kind: "Sub", type: e.a.type, a: e.a, b: e.b }), v);
      return e.kind === "GT" || e.kind === "GE" ? d : flip(d);
    }
    case "Select":
      return selectMonotonic(e.cond, e.trueValue, e.falseValue, v);
    case "Cast":
      return e.type.isIntOrUInt() && e.value.type.isIntOrUInt() && e.type.canRepresent(e.value.type)
        ? monotonic(e.value, v)
        : "Unknown";
    case "Let":
      return monotonic(substitute(e.body, new Map([[e.name, e.value]])), v);
    default:
      return "Unknown";
  }
}

/**
 * A select moves one way if both values do and the switch between them (where the condition flips as `v` grows)
 * is a step the same way.
 */
function selectMonotonic(cond: Expr, t: Expr, f: Expr, v: string): Monotonic {
  const values = unify(monotonic(t, v), monotonic(f, v));
  const c = monotonic(cond, v);
  if (c === "Constant" || values === "Unknown") return c === "Constant" ? values : "Unknown";
  if (c === "Unknown") return "Unknown";
  // The value steps from `before` to `after` where the condition flips.
  const [before, after] = c === "Decreasing" ? [t, f] : [f, t];
  const step = sign({ kind: "Sub", type: t.type, a: after, b: before });
  if (step === undefined) return "Unknown";
  if (step === 0) return values;
  const dir: Monotonic = step > 0 ? "Increasing" : "Decreasing";
  return unify(values, dir);
}

/**
 * Whether `a <= b` can be shown by the simplifier (their difference is a constant).
 *
 * @example
 * ```ts
 * provablyLE(y, add(y, 1)); // true
 * ```
 */
export function provablyLE(a: Expr, b: Expr): boolean {
  const s = sign({ kind: "Sub", type: a.type, a: b, b: a });
  return s !== undefined && s >= 0;
}
