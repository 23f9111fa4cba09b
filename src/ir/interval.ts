/**
 * Interval arithmetic over integer expressions: the symbolic range `[min, max]` an expression can take when its
 * variables range over given intervals. `undefined` bounds mean unbounded. Used by bounds inference.
 *
 * @module
 */
import { arith, asConstInt, cast, type Expr, intImm, Intrinsic, makeConst, type Type } from "./expr.ts";
import { equalExprs } from "./equality.ts";

/** A closed interval; an `undefined` end is unbounded. */
export interface Interval {
  readonly min: Expr | undefined;
  readonly max: Expr | undefined;
}

/** Bounds of variables by name. */
export type Scope = ReadonlyMap<string, Interval>;

/**
 * The single-point interval `[e, e]`.
 *
 * @example
 * ```ts
 * point(i32Imm(3));
 * ```
 */
export function point(e: Expr): Interval {
  return { min: e, max: e };
}

/** Unbounded on both sides. */
export const everything: Interval = { min: undefined, max: undefined };

const lift = (f: (a: Expr, b: Expr) => Expr) => (a: Expr | undefined, b: Expr | undefined) =>
  a && b ? f(a, b) : undefined;
const addE = lift((a, b) => foldArith("Add", a, b));
const subE = lift((a, b) => foldArith("Sub", a, b));
const minE = lift((a, b) => foldArith("Min", a, b));
const maxE = lift((a, b) => foldArith("Max", a, b));

/** Builds `a op b`, folding integer constants and `x + 0`, `x * 1` (keeps bounds expressions readable). */
function foldArith(op: "Add" | "Sub" | "Mul" | "Div" | "Min" | "Max", a: Expr, b: Expr): Expr {
  const ca = asConstInt(a), cb = asConstInt(b);
  if (ca !== undefined && cb !== undefined && a.type.isScalar()) {
    const wrap = (v: bigint) => intImm(a.type, v);
    switch (op) {
      case "Add":
        return wrap(ca + cb);
      case "Sub":
        return wrap(ca - cb);
      case "Mul":
        return wrap(ca * cb);
      case "Min":
        return wrap(ca < cb ? ca : cb);
      case "Max":
        return wrap(ca > cb ? ca : cb);
      case "Div":
        if (cb !== 0n) return wrap(floorDiv(ca, cb));
    }
  }
  if ((op === "Add" || op === "Sub") && cb === 0n) return a;
  if (op === "Add" && ca === 0n) return b;
  if ((op === "Mul" || op === "Div") && cb === 1n) return a;
  if ((op === "Min" || op === "Max") && a.kind === "FloatImm" && b.kind === "FloatImm") {
    return (op === "Min") === (a.value <= b.value) ? a : b;
  }
  if ((op === "Min" || op === "Max") && a.type.isScalar()) return foldExtreme(op, a, b);
  return arith(op, a, b);
}

/** `e` as `base + offset` with a constant offset (base undefined for a constant). */
function offsetForm(e: Expr): { base?: Expr; offset: bigint } {
  const c = asConstInt(e);
  if (c !== undefined) return { offset: c };
  if (e.kind === "Add" || e.kind === "Sub") {
    const k = asConstInt(e.b);
    if (k !== undefined) {
      const inner = offsetForm(e.a);
      return { base: inner.base ?? e.a, offset: inner.base ? inner.offset + (e.kind === "Add" ? k : -k) : e.kind === "Add" ? k : -k };
    }
  }
  return { base: e, offset: 0n };
}

/**
 * `min(a, b)` / `max(a, b)` with the operands of nested mins (maxes) merged: terms that differ by a constant keep
 * only the extreme one (`max(x + 2, max(x - 1, y))` is `max(x + 2, y)`), so the union of a stencil's many taps
 * stays as small as its distinct bases.
 */
function foldExtreme(op: "Min" | "Max", a: Expr, b: Expr): Expr {
  const terms: Expr[] = [];
  const collect = (e: Expr): void => {
    if (e.kind === op) {
      collect(e.a);
      collect(e.b);
    } else terms.push(e);
  };
  collect(a);
  collect(b);
  const kept: { base?: Expr; offset: bigint; expr: Expr }[] = [];
  for (const t of terms) {
    const f = offsetForm(t);
    const same = kept.findIndex((k) => (k.base === undefined ? f.base === undefined : f.base !== undefined && equalExprs(k.base, f.base)));
    if (same < 0) kept.push({ ...f, expr: t });
    else if (op === "Max" ? f.offset > kept[same].offset : f.offset < kept[same].offset) kept[same] = { ...f, expr: t };
  }
  return kept.map((k) => k.expr).reduce((x, y) => arith(op, x, y));
}

function floorDiv(a: bigint, b: bigint): bigint {
  // Euclidean division, as Halide's Div.
  const q = a / b, r = a % b;
  return r < 0n ? (b > 0n ? q - 1n : q + 1n) : q;
}

/** The full range of an integer type as an interval (unbounded for 32 bits and wider, where overflow is assumed not to happen). */
function typeRange(t: Type): Interval {
  if (!t.isIntOrUInt() || t.bits >= 32) return everything;
  return { min: makeConst(t, t.minInt()), max: makeConst(t, t.maxInt()) };
}

/**
 * The interval of values `e` can take when the variables in `scope` range over their intervals (variables not
 * in scope are treated as fixed symbols).
 *
 * @example
 * ```ts
 * boundsOf(add(x, 1), new Map([["x", { min: i32Imm(0), max: n }]])); // [1, n + 1]
 * ```
 */
export function boundsOf(e: Expr, scope: Scope): Interval {
  switch (e.kind) {
    case "IntImm":
    case "FloatImm":
      return point(e);
    case "Variable":
      return scope.get(e.name) ?? point(e);
    case "Call":
      // `likely` only marks its argument for loop partitioning.
      if (e.name === Intrinsic.likely || e.name === Intrinsic.likelyIfInnermost) return boundsOf(e.args[0], scope);
      return typeRange(e.type);
    case "Add":
    case "Sub":
    case "Mul":
      return noOverflow(e, scope);
    case "Div": {
      const c = asConstInt(e.b);
      const a = boundsOf(e.a, scope), b = boundsOf(e.b, scope);
      const div = lift((x, y) => foldArith("Div", x, y));
      if (c !== undefined && c !== 0n) {
        return c > 0n ? { min: div(a.min, e.b), max: div(a.max, e.b) } : { min: div(a.max, e.b), max: div(a.min, e.b) };
      }
      // Dividing by one fixed (symbolic) value is monotonic, increasing or decreasing by its sign.
      if (isPoint(b) && a.min && a.max) {
        const lo = div(a.min, b.min)!, hi = div(a.max, b.min)!;
        if (equalExprs(lo, hi)) return point(lo);
        return { min: foldArith("Min", lo, hi), max: foldArith("Max", lo, hi) };
      }
      return typeRange(e.type);
    }
    case "Mod": {
      const c = asConstInt(e.b);
      const zero = makeConst(e.type, 0), one = makeConst(e.type, 1);
      if (c !== undefined) {
        const abs = c < 0n ? -c : c;
        return { min: zero, max: makeConst(e.type, abs === 0n ? 0n : abs - 1n) };
      }
      // The Euclidean remainder lies in [0, |b| - 1].
      const b = boundsOf(e.b, scope);
      if (!e.type.isIntOrUInt() || !b.min || !b.max) return { min: zero, max: typeRange(e.type).max };
      const absMax = foldArith("Max", b.max, foldArith("Sub", zero, b.min));
      return { min: zero, max: foldArith("Sub", absMax, one) };
    }
    case "Min": {
      const a = boundsOf(e.a, scope), b = boundsOf(e.b, scope);
      return { min: minE(a.min, b.min), max: a.max && b.max ? minE(a.max, b.max) : (a.max ?? b.max) };
    }
    case "Max": {
      const a = boundsOf(e.a, scope), b = boundsOf(e.b, scope);
      return { min: a.min && b.min ? maxE(a.min, b.min) : (a.min ?? b.min), max: maxE(a.max, b.max) };
    }
    case "Select": {
      const a = boundsOf(e.trueValue, scope), b = boundsOf(e.falseValue, scope);
      return { min: minE(a.min, b.min), max: maxE(a.max, b.max) };
    }
    case "Cast": {
      const from = e.value.type;
      if (from.isFloat() && e.type.isIntOrUInt()) {
        // Float to integer truncates, which never decreases: the ends' casts bound it, where they cannot wrap
        // (into 32 or more signed bits, or constant ends the type holds).
        const a = boundsOf(e.value, scope);
        const fits = (x: Expr | undefined) =>
          x !== undefined && ((e.type.isInt() && e.type.bits >= 32) || (x.kind === "FloatImm" && e.type.canRepresent(Math.trunc(x.value))));
        return { min: fits(a.min) ? cast(e.type, a.min!) : typeRange(e.type).min, max: fits(a.max) ? cast(e.type, a.max!) : typeRange(e.type).max };
      }
      if (!e.type.isIntOrUInt() || !from.isIntOrUInt() || !e.type.canRepresent(from)) return typeRange(e.type);
      const a = boundsOf(e.value, scope), r = typeRange(from);
      const c = (x: Expr | undefined) => x && cast(e.type, x);
      return { min: c(a.min ?? r.min), max: c(a.max ?? r.max) };
    }
    case "Let": {
      const inner = new Map(scope);
      inner.set(e.name, boundsOf(e.value, scope));
      return boundsOf(e.body, inner);
    }
    default:
      return typeRange(e.type);
  }
}

/**
 * Bounds of `a + b`, `a - b`, `a * b`. Halide assumes 32- and 64-bit signed arithmetic does not overflow; narrower
 * and unsigned types wrap, so their bounds hold only if the exact result provably fits the type — with constant
 * bounds that is checked exactly; otherwise the type's whole range is all that is known.
 */
function noOverflow(e: Expr & { a: Expr; b: Expr }, scope: Scope): Interval {
  const a = boundsOf(e.a, scope), b = boundsOf(e.b, scope);
  let iv: Interval;
  if (e.kind === "Add") iv = { min: addE(a.min, b.min), max: addE(a.max, b.max) };
  else if (e.kind === "Sub") iv = { min: subE(a.min, b.max), max: subE(a.max, b.min) };
  else iv = mulBounds(e.a, e.b, scope);
  const t = e.type;
  if (!t.isIntOrUInt() || (t.isInt() && t.bits >= 32)) return iv;
  const ends = [a.min, a.max, b.min, b.max].map((x) => x && asConstInt(x));
  if (ends.some((x) => x === undefined)) return typeRange(t);
  const [amin, amax, bmin, bmax] = ends as bigint[];
  const exact = e.kind === "Add" ? [amin + bmin, amax + bmax]
    : e.kind === "Sub" ? [amin - bmax, amax - bmin]
    : [amin * bmin, amin * bmax, amax * bmin, amax * bmax];
  return exact.every((v) => v >= t.minInt() && v <= t.maxInt()) ? iv : typeRange(t);
}

function isPoint(iv: Interval): iv is { min: Expr; max: Expr } {
  return iv.min !== undefined && iv.max !== undefined && equalExprs(iv.min, iv.max);
}

function mulBounds(ea: Expr, eb: Expr, scope: Scope): Interval {
  const a = boundsOf(ea, scope), b = boundsOf(eb, scope);
  const mul = lift((x, y) => foldArith("Mul", x, y));
  // A product of two fixed values is one fixed value (not the min/max of the corner products).
  if (isPoint(a) && isPoint(b)) return point(foldArith("Mul", a.min, b.min));
  const cb = asConstInt(eb), ca = asConstInt(ea);
  if (cb !== undefined) return cb >= 0n ? { min: mul(a.min, eb), max: mul(a.max, eb) } : { min: mul(a.max, eb), max: mul(a.min, eb) };
  if (ca !== undefined) return mulBounds(eb, ea, scope);
  if (!a.min || !a.max || !b.min || !b.max) return typeRange(ea.type);
  const products = [mul(a.min, b.min), mul(a.min, b.max), mul(a.max, b.min), mul(a.max, b.max)] as Expr[];
  return { min: products.reduce((x, y) => foldArith("Min", x, y)), max: products.reduce((x, y) => foldArith("Max", x, y)) };
}

/**
 * The smallest interval containing both.
 *
 * @example
 * ```ts
 * union({ min: a, max: b }, { min: c, max: d }); // [min(a, c), max(b, d)]
 * ```
 */
export function union(a: Interval, b: Interval): Interval {
  return { min: minE(a.min, b.min), max: maxE(a.max, b.max) };
}

export { foldArith };
