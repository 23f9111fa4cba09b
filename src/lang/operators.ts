/**
 * The elementwise free functions of the language (API.md §6) other than the math library (`math.ts`) and random
 * numbers (`random.ts`): the operators as functions, `min`/`max`/`clamp`/`select`/`mux`, casts, bit operations,
 * the fixed-point family, and `likely`, `undef`, `print`, `require`. Every function takes {@link ExprLike}s and
 * returns an {@link Expr}; the typing rules are Halide's (see `ir_operator.ts`).
 *
 * @module
 */
import { HalideError } from "../error.ts";
import * as ir from "../ir/expr.ts";
import { Intrinsic } from "../ir/expr.ts";
import { exprToString } from "../ir/printer.ts";
import { Float, Int, type Type, UInt } from "../ir/type.ts";
import { type Expr, type ExprLike, operand, toIR, wrap } from "./expr.ts";
import * as op from "./ir_operator.ts";
import { castValue } from "../interp/scalar.ts";

type Unary = (a: ExprLike) => Expr;
type Binary = (a: ExprLike, b: ExprLike) => Expr;

/** Lifts an IR-level unary operation to the public ExprLike → Expr form. */
function lift1(f: (a: op.Operand) => ir.Expr): Unary {
  return (a) => wrap(f(operand(a)));
}
/** Lifts an IR-level binary operation to the public ExprLike → Expr form. */
function lift2(f: (a: op.Operand, b: op.Operand) => ir.Expr): Binary {
  return (a, b) => wrap(f(operand(a), operand(b)));
}

// ---------------------------------------------------------------------------------------------------------------
// The operators as free functions (the same as the methods of ExprOps)

/** `a + b`. @example `hl.add(x, 1) // (x + 1)` */
export const add: Binary = lift2((a, b) => op.arith("Add", a, b));
/** `a - b`. @example `hl.sub(x, 1) // (x - 1)` */
export const sub: Binary = lift2((a, b) => op.arith("Sub", a, b));
/** `a * b`. @example `hl.mul(x, 2) // (x*2)` */
export const mul: Binary = lift2((a, b) => op.arith("Mul", a, b));
/** `a / b`: Euclidean for integers, x/0 = 0. @example `hl.div(x, 2) // (x/2)` */
export const div: Binary = lift2((a, b) => op.arith("Div", a, b));
/** `a % b`: Euclidean (non-negative) for integers, x%0 = 0. @example `hl.mod(x, 2) // (x % 2)` */
export const mod: Binary = lift2((a, b) => op.arith("Mod", a, b));
/** `-a`. @example `hl.neg(x) // (0 - x)` */
export const neg: Unary = lift1(op.negate);
/** `a < b`. @example `hl.lt(x, 1) // (x < 1)` */
export const lt: Binary = lift2((a, b) => op.compare("LT", a, b));
/** `a <= b`. @example `hl.le(x, 1) // (x <= 1)` */
export const le: Binary = lift2((a, b) => op.compare("LE", a, b));
/** `a > b`. @example `hl.gt(x, 1) // (x > 1)` */
export const gt: Binary = lift2((a, b) => op.compare("GT", a, b));
/** `a >= b`. @example `hl.ge(x, 1) // (x >= 1)` */
export const ge: Binary = lift2((a, b) => op.compare("GE", a, b));
/** `a == b`. @example `hl.eq(x, 1) // (x == 1)` */
export const eq: Binary = lift2((a, b) => op.compare("EQ", a, b));
/** `a != b`. @example `hl.ne(x, 1) // (x != 1)` */
export const ne: Binary = lift2((a, b) => op.compare("NE", a, b));
/** Logical and of Bools. @example `hl.and(p, q) // (p && q)` */
export const and: Binary = lift2((a, b) => op.logical("And", a, b));
/** Logical or of Bools. @example `hl.or(p, q) // (p || q)` */
export const or: Binary = lift2((a, b) => op.logical("Or", a, b));
/** Logical not of a Bool. @example `hl.not(p) // !p` */
export const not: Unary = lift1(op.logicalNot);
/** Logical not of a Bool (Python's `logical_not`). @example `hl.logicalNot(x.lt(1)) // !(x < 1)` */
export const logicalNot: Unary = not;
/** Bitwise and. @example `hl.bitAnd(x, 255) // (x & 255)` */
export const bitAnd: Binary = lift2((a, b) => op.bitwise("and", a, b));
/** Bitwise or. @example `hl.bitOr(x, 1) // (x | 1)` */
export const bitOr: Binary = lift2((a, b) => op.bitwise("or", a, b));
/** Bitwise xor. @example `hl.bitXor(x, 1) // (x ^ 1)` */
export const bitXor: Binary = lift2((a, b) => op.bitwise("xor", a, b));
/** Bitwise complement. @example `hl.bitNot(x) // ~x` */
export const bitNot: Unary = lift1(op.bitwiseNot);
/** Shift left (a negative amount shifts right). @example `hl.shl(x, 2) // (x << (uint32)2)` */
export const shl: Binary = lift2((a, b) => op.shift("left", a, b));
/** Shift right (a negative amount shifts left). @example `hl.shr(x, 2) // (x >> (uint32)2)` */
export const shr: Binary = lift2((a, b) => op.shift("right", a, b));
/**
 * `a` to the power `b`. A constant integer exponent multiplies in a's own type; otherwise the result is float
 * (float32 unless `a` is float64 or float16). @example `hl.pow(x, 2) // (x*x)`
 */
export const pow: Binary = lift2(op.pow);

// ---------------------------------------------------------------------------------------------------------------
// min, max, clamp, abs, absd, select, mux

/** Folds `args` from the right with `f`, as Halide's variadic min/max do: `f(a, f(b, c))`. */
function foldRight(name: string, args: readonly ExprLike[], f: (a: op.Operand, b: op.Operand) => ir.Expr): Expr {
  if (args.length < 2) throw new HalideError(`${name}() must have at least 2 arguments`);
  let acc: op.Operand = operand(args[args.length - 1]);
  for (let i = args.length - 2; i >= 0; i--) acc = f(operand(args[i]), acc);
  return wrap(op.asIR(acc));
}

/**
 * The smallest of two or more values (folded from the right; types are matched pairwise).
 *
 * @example
 * ```ts
 * hl.min(x, 10).toString();     // "min(x, 10)"
 * hl.min(x, y, 0).toString();   // "min(x, min(y, 0))"
 * ```
 */
export function min(...args: ExprLike[]): Expr {
  return foldRight("min", args, (a, b) => op.arith("Min", a, b));
}

/**
 * The largest of two or more values (folded from the right; types are matched pairwise).
 *
 * @example
 * ```ts
 * hl.max(x, 0).toString(); // "max(x, 0)"
 * ```
 */
export function max(...args: ExprLike[]): Expr {
  return foldRight("max", args, (a, b) => op.arith("Max", a, b));
}

/**
 * `max(min(a, hi), lo)`. The bounds must convert to a's type without loss (integer literals that fit, narrower
 * types), otherwise it is an error asking for an explicit cast.
 *
 * @example
 * ```ts
 * hl.clamp(x, 0, 255).toString(); // "max(min(x, 255), 0)"
 * ```
 */
export function clamp(a: ExprLike, lo: ExprLike, hi: ExprLike): Expr {
  return wrap(op.clamp(operand(a), operand(lo), operand(hi)));
}

/**
 * Absolute value; a signed integer gives the unsigned type of the same width.
 *
 * @example
 * ```ts
 * hl.abs(hl.i8(x)).type.toString(); // "uint8"
 * ```
 */
export const abs: Unary = lift1(op.abs);

/**
 * Absolute difference `|a - b|`, computed without overflow; integers give an unsigned result.
 *
 * @example
 * ```ts
 * hl.absd(x, y).type.toString(); // "uint32"
 * ```
 */
export const absd: Binary = lift2(op.absd);

/** What Python calls the argument kinds of select. */
function kindOf(v: ExprLike | readonly ExprLike[]): "Tuple" | "Expr" {
  return Array.isArray(v) ? "Tuple" : "Expr";
}

function textOf(v: ExprLike | readonly ExprLike[]): string {
  if (Array.isArray(v)) return `(${v.map((e) => exprToString(toIR(e))).join(", ")})`;
  return exprToString(toIR(v as ExprLike));
}

/**
 * `select(c1, v1, c2, v2, …, default)`: the value of the first true condition, else the default (all operands are
 * evaluated). Integer literals take the type of the other value. With Tuple values (arrays) the result is an
 * array, selected element by element; the conditions may then be one Expr or arrays of the same size.
 *
 * @example
 * ```ts
 * hl.select(x.lt(0), 0, x).toString();                    // "select((x < 0), 0, x)"
 * hl.select(x.lt(0), -1, x.gt(0), 1, 0);                  // the sign of x
 * hl.select(x.lt(0), [x, y], [y, x]);                     // [Expr, Expr]
 * ```
 */
export function select(...args: ExprLike[]): Expr;
export function select(...args: (ExprLike | readonly ExprLike[])[]): Expr[];
export function select(...args: (ExprLike | readonly ExprLike[])[]): Expr | Expr[] {
  if (args.length < 3) throw new HalideError("select() must have at least 3 arguments");
  if (args.length % 2 !== 1) throw new HalideError("select() must have an odd number of arguments");
  const condKind = kindOf(args[0]);
  const valueKind = condKind === "Tuple" ? "Tuple" : kindOf(args[1]);
  args.forEach((a, i) => {
    const expected = i % 2 === 0 && i !== args.length - 1 ? condKind : valueKind;
    if (kindOf(a) !== expected) {
      throw new HalideError(`select(): Expected ${expected} but got ${kindOf(a)}: ${textOf(a)}`);
    }
  });
  const pick = (i: number, element?: number): op.Operand => {
    const a = args[i];
    return operand(element === undefined || !Array.isArray(a) ? (a as ExprLike) : (a as ExprLike[])[element]);
  };
  const selectElement = (element?: number): Expr => {
    let result = pick(args.length - 1, element);
    for (let i = args.length - 3; i >= 0; i -= 2) result = op.select(pick(i, element), pick(i + 1, element), result);
    return wrap(op.asIR(result));
  };
  if (valueKind === "Expr") return selectElement();
  const sizes = args.filter(Array.isArray).map((a) => (a as readonly ExprLike[]).length);
  if (sizes.some((n) => n !== sizes[0])) {
    throw new HalideError("select() on Tuples requires all Tuples to have identical sizes.");
  }
  return Array.from({ length: sizes[0] }, (_, i) => selectElement(i));
}

/** The values of a mux, with literals taking the type of the first non-literal value. */
function muxValues(values: readonly ExprLike[]): ir.Expr[] {
  const operands = values.map(operand);
  const typed = operands.find((v) => !op.isLiteral(v)) as ir.Expr | undefined;
  return operands.map((v) => (op.isLiteral(v) ? (typed ? op.literalLike(v, typed.type) : op.literal(v)) : v));
}

function muxExprs(index: ir.Expr, values: readonly ExprLike[]): Expr {
  if (values.length === 0) throw new HalideError("mux() requires a non-empty vector of values");
  const vs = muxValues(values);
  if (vs.length === 1) return wrap(vs[0]);
  const t = vs[0].type;
  if (!vs.every((v) => v.type.equals(t))) {
    throw new HalideError(
      `mux() requires all the values to have the same type, but got ${vs.map((v) => v.type).join(", ")}.`,
    );
  }
  return wrap(ir.callIntrinsic(Intrinsic.mux, t, [index, ...vs]));
}

/**
 * `values[index]`, or the last value when `index` is out of range (negative included), as Halide's `mux` — a
 * compact way to pick one of several values by an integer (for example a channel). Integer literals take the type
 * of the other values. An array of Tuples gives a Tuple (array of Exprs).
 *
 * @example
 * ```ts
 * img.at(x, y, c).set(hl.mux(c, [r, g, b]));
 * ```
 */
export function mux(index: ExprLike, values: readonly ExprLike[]): Expr;
export function mux(index: ExprLike, tuples: readonly (readonly ExprLike[])[]): Expr[];
export function mux(index: ExprLike, values: readonly (ExprLike | readonly ExprLike[])[]): Expr | Expr[] {
  if (!Array.isArray(values)) {
    // A reference to a Tuple-valued Func stands for the list of its elements, as in Python.
    const ref = values as unknown as { size?: number; elem?: (i: number) => ExprLike };
    if (typeof ref.elem !== "function" || typeof ref.size !== "number") {
      throw new HalideError("mux() takes a list of values (or of Tuples) after the index.");
    }
    return mux(index, Array.from({ length: ref.size }, (_, i) => ref.elem!(i)));
  }
  const id = toIR(index);
  if (!id.type.isIntOrUInt()) {
    throw new HalideError(`mux() index must be an integer, but ${exprToString(id)} has type ${id.type}.`);
  }
  if (values.length > 0 && values.every(Array.isArray)) {
    const tuples = values as readonly (readonly ExprLike[])[];
    const size = tuples[0].length;
    if (tuples.some((t) => t.length !== size)) {
      throw new HalideError("mux() on Tuples requires all Tuples to have identical sizes.");
    }
    return Array.from({ length: size }, (_, i) => muxExprs(id, tuples.map((t) => t[i])));
  }
  if (values.some(Array.isArray)) throw new HalideError("mux() values must be all Exprs or all Tuples.");
  return muxExprs(id, values as readonly ExprLike[]);
}

// ---------------------------------------------------------------------------------------------------------------
// Casts

/**
 * A literal converted directly to `t` (so `f64(0.1)` is exactly 0.1 and `u64(2n ** 63n)` fits), with the value
 * semantics of a cast (src/interp/scalar.ts): integers wrap, floats truncate toward zero, a cast to Bool keeps
 * the low bit, conversions round once.
 */
function castLiteral(t: Type, v: op.Literal): ir.Expr {
  if (typeof v === "boolean" || t.isHandle()) return op.cast(t, op.literal(v));
  const elem = t.elementOf();
  // A number that is not an integer in int64's range is the double it is.
  if (typeof v === "number" && !(Number.isInteger(v) && Int(64).canRepresent(BigInt(v)))) {
    return op.cast(t, op.cast(elem, ir.floatImm(Float(64), v)));
  }
  const big = BigInt(v);
  if (elem.isIntOrUInt() && !elem.isBool()) return op.cast(t, ir.intImm(elem, big));
  // Float and Bool targets: the exact integer, converted once.
  const from = [Int(64), UInt(64)].find((ft) => ft.canRepresent(big));
  if (!from) throw new HalideError(`Integer literal ${big} does not fit in 64 bits.`);
  return op.cast(t, op.constOfValue(elem, castValue(elem, from, big)));
}

/**
 * Converts a value to type `t` (Halide's value cast: integers wrap, float → int truncates toward zero, a cast
 * to bool keeps the low bit — write `x.ne(0)` for truthiness). Constants fold. Literals convert directly, so `cast(Float(64), 0.1)` is exact.
 *
 * @example
 * ```ts
 * hl.cast(hl.UInt(8), x.mul(2)).toString(); // "uint8((x*2))"
 * ```
 */
export function cast(t: Type, value: ExprLike): Expr {
  const v = operand(value);
  return wrap(op.isLiteral(v) ? castLiteral(t, v) : op.cast(t, v));
}

/**
 * Reinterprets the bits of a value as another type of the same total width.
 *
 * @example
 * ```ts
 * hl.reinterpret(hl.UInt(32), hl.f32(x)).type.toString(); // "uint32"
 * ```
 */
export function reinterpret(t: Type, value: ExprLike): Expr {
  const e = toIR(value);
  if (t.bits * t.lanes !== e.type.bits * e.type.lanes) {
    throw new HalideError(
      `Reinterpret cast from type ${e.type} which has ${e.type.bits * e.type.lanes} bits, to type ${t} which has ` +
        `${t.bits * t.lanes} bits`,
    );
  }
  return wrap(ir.reinterpret(t, e));
}

/**
 * Converts to type `t`, clamping to t's range instead of wrapping (NaN becomes 0).
 *
 * @example
 * ```ts
 * hl.saturatingCast(hl.UInt(8), x).toString(); // "saturating_cast(x)"
 * ```
 */
export function saturatingCast(t: Type, value: ExprLike): Expr {
  const e = toIR(value);
  if (t.isHandle() || e.type.isHandle()) {
    throw new HalideError(`Can't saturating_cast ${exprToString(e)} of type ${e.type} to ${t}.`);
  }
  const target = t.isScalar() ? t.withLanes(e.type.lanes) : t;
  if (target.lanes !== e.type.lanes) {
    throw new HalideError(`Can't saturating_cast ${exprToString(e)} of type ${e.type} to ${t}: the lanes differ.`);
  }
  return wrap(ir.callIntrinsic(Intrinsic.saturatingCast, target, [e]));
}

/** A concise cast to `t`, keeping the lane count of its argument (Halide's ConciseCasts). */
function conciseCast(t: Type, saturating: boolean): Unary {
  return (value) => {
    const v = operand(value);
    if (op.isLiteral(v)) return saturating ? saturatingCast(t, v) : wrap(castLiteral(t, v));
    const target = t.withLanes(v.type.lanes);
    return saturating ? saturatingCast(target, wrap(v)) : wrap(op.cast(target, v));
  };
}

/** Cast to float64; a literal is converted exactly. @example `hl.f64(0.1)` */
export const f64: Unary = conciseCast(Float(64), false);
/** Cast to float32. @example `hl.f32(x)` */
export const f32: Unary = conciseCast(Float(32), false);
/** Cast to int64. @example `hl.i64(x)` */
export const i64: Unary = conciseCast(Int(64), false);
/** Cast to int32. @example `hl.i32(hl.u8(x))` */
export const i32: Unary = conciseCast(Int(32), false);
/** Cast to int16 (wrapping). @example `hl.i16(x)` */
export const i16: Unary = conciseCast(Int(16), false);
/** Cast to int8 (wrapping). @example `hl.i8(x)` */
export const i8: Unary = conciseCast(Int(8), false);
/** Cast to uint64. @example `hl.u64(x)` */
export const u64: Unary = conciseCast(UInt(64), false);
/** Cast to uint32. @example `hl.u32(x)` */
export const u32: Unary = conciseCast(UInt(32), false);
/** Cast to uint16 (wrapping). @example `hl.u16(x)` */
export const u16: Unary = conciseCast(UInt(16), false);
/** Cast to uint8 (wrapping). @example `hl.u8(x.mul(2))` */
export const u8: Unary = conciseCast(UInt(8), false);
/** Saturating cast to int8. @example `hl.i8Sat(x)` */
export const i8Sat: Unary = conciseCast(Int(8), true);
/** Saturating cast to uint8. @example `hl.u8Sat(x.mul(2))` */
export const u8Sat: Unary = conciseCast(UInt(8), true);
/** Saturating cast to int16. @example `hl.i16Sat(x)` */
export const i16Sat: Unary = conciseCast(Int(16), true);
/** Saturating cast to uint16. @example `hl.u16Sat(x)` */
export const u16Sat: Unary = conciseCast(UInt(16), true);
/** Saturating cast to int32. @example `hl.i32Sat(hl.f32(x))` */
export const i32Sat: Unary = conciseCast(Int(32), true);
/** Saturating cast to uint32. @example `hl.u32Sat(x)` */
export const u32Sat: Unary = conciseCast(UInt(32), true);
/** Saturating cast to int64. @example `hl.i64Sat(hl.f64(x))` */
export const i64Sat: Unary = conciseCast(Int(64), true);
/** Saturating cast to uint64. @example `hl.u64Sat(x)` */
export const u64Sat: Unary = conciseCast(UInt(64), true);

// ---------------------------------------------------------------------------------------------------------------
// Integer helpers

/**
 * Linear interpolation `zero + (one - zero) * weight` with Halide's exact integer rounding. The weight is a float
 * in [0, 1] or an unsigned integer scaled to its full range; an integer literal value takes the other's type.
 *
 * @example
 * ```ts
 * hl.lerp(a, b, 0.25).type; // the type of a and b
 * ```
 */
export function lerp(zeroVal: ExprLike, oneVal: ExprLike, weight: ExprLike): Expr {
  return wrap(op.lerp(operand(zeroVal), operand(oneVal), operand(weight)));
}
/** Number of set bits, in the argument's type. @example `hl.popcount(hl.u8(x))` */
export const popcount: Unary = lift1((a) => op.bitCount(Intrinsic.popcount, "popcount", a));
/** Number of leading zero bits. @example `hl.countLeadingZeros(hl.u32(x))` */
export const countLeadingZeros: Unary = lift1((a) => op.bitCount(Intrinsic.countLeadingZeros, "countLeadingZeros", a));
/** Number of trailing zero bits. @example `hl.countTrailingZeros(hl.u32(x))` */
export const countTrailingZeros: Unary = lift1((a) =>
  op.bitCount(Intrinsic.countTrailingZeros, "countTrailingZeros", a)
);
/** Integer division rounding toward zero (C's `/`), unlike Halide's Euclidean `div`. @example `hl.divRoundToZero(x, 3)` */
export const divRoundToZero: Binary = lift2((a, b) => op.roundToZero("div", a, b));
/** Remainder of {@link divRoundToZero} (C's `%`; takes the dividend's sign). @example `hl.modRoundToZero(x, 3)` */
export const modRoundToZero: Binary = lift2((a, b) => op.roundToZero("mod", a, b));

// ---------------------------------------------------------------------------------------------------------------
// Fixed-point family

/** `a + widen(b)` where a is already twice b's width; the result has a's type. @example `hl.widenRightAdd(hl.u16(x), hl.u8(y))` */
export const widenRightAdd: Binary = lift2((a, b) => op.widenRight("add", a, b));
/** `a * widen(b)` where a is twice b's width. @example `hl.widenRightMul(hl.u16(x), hl.u8(y))` */
export const widenRightMul: Binary = lift2((a, b) => op.widenRight("mul", a, b));
/** `a - widen(b)` where a is twice b's width. @example `hl.widenRightSub(hl.u16(x), hl.u8(y))` */
export const widenRightSub: Binary = lift2((a, b) => op.widenRight("sub", a, b));
/** `widen(a) + widen(b)`: uint8 + uint8 → uint16. @example `hl.wideningAdd(hl.u8(x), hl.u8(y)).type // uint16` */
export const wideningAdd: Binary = lift2((a, b) => op.wideningAddSub("add", a, b));
/** `widen(a) * widen(b)`; signed if b is. @example `hl.wideningMul(hl.u8(x), hl.i8(y)).type // int16` */
export const wideningMul: Binary = lift2(op.wideningMul);
/** `widen(a) - widen(b)`, always signed: uint8 - uint8 → int16. @example `hl.wideningSub(hl.u8(x), hl.u8(y))` */
export const wideningSub: Binary = lift2((a, b) => op.wideningAddSub("sub", a, b));
/** `widen(a) << b`. @example `hl.wideningShiftLeft(hl.u8(x), 4).type // uint16` */
export const wideningShiftLeft: Binary = lift2((a, b) => op.specialShift("widening", "left", a, b));
/** `widen(a) >> b`. @example `hl.wideningShiftRight(hl.u8(x), 1).type // uint16` */
export const wideningShiftRight: Binary = lift2((a, b) => op.specialShift("widening", "right", a, b));
/** `a << b`, rounding when b is negative (a right shift). @example `hl.roundingShiftLeft(x, 2)` */
export const roundingShiftLeft: Binary = lift2((a, b) => op.specialShift("rounding", "left", a, b));
/** `a >> b` rounding to nearest (ties up). @example `hl.roundingShiftRight(hl.u16(x), 4)` */
export const roundingShiftRight: Binary = lift2((a, b) => op.specialShift("rounding", "right", a, b));
/** `a + b` clamped to the type's range. @example `hl.saturatingAdd(hl.u8(x), hl.u8(y))` */
export const saturatingAdd: Binary = lift2((a, b) => op.fixedPoint("saturatingAdd", a, b));
/** `a - b` clamped to the type's range. @example `hl.saturatingSub(hl.u8(x), hl.u8(y))` */
export const saturatingSub: Binary = lift2((a, b) => op.fixedPoint("saturatingSub", a, b));
/** `(a + b) >> 1` without overflow. @example `hl.halvingAdd(hl.u8(x), hl.u8(y))` */
export const halvingAdd: Binary = lift2((a, b) => op.fixedPoint("halvingAdd", a, b));
/** `(a + b + 1) >> 1` without overflow. @example `hl.roundingHalvingAdd(hl.u8(x), hl.u8(y))` */
export const roundingHalvingAdd: Binary = lift2((a, b) => op.fixedPoint("roundingHalvingAdd", a, b));
/** `(a - b) >> 1` without overflow. @example `hl.halvingSub(hl.u8(x), hl.u8(y))` */
export const halvingSub: Binary = lift2((a, b) => op.fixedPoint("halvingSub", a, b));

/**
 * `(a * b) >> q` computed in double width, in the type of a and b; `q` is unsigned.
 *
 * @example
 * ```ts
 * hl.mulShiftRight(hl.u8(x), hl.u8(y), 8).type.toString(); // "uint8"
 * ```
 */
export function mulShiftRight(a: ExprLike, b: ExprLike, q: ExprLike): Expr {
  return wrap(op.mulShiftRight(false, operand(a), operand(b), operand(q)));
}
/**
 * `(a * b + 2^(q-1)) >> q` computed in double width: {@link mulShiftRight} rounding to nearest.
 *
 * @example
 * ```ts
 * hl.roundingMulShiftRight(hl.i16(x), hl.i16(y), 15);
 * ```
 */
export function roundingMulShiftRight(a: ExprLike, b: ExprLike, q: ExprLike): Expr {
  return wrap(op.mulShiftRight(true, operand(a), operand(b), operand(q)));
}

// ---------------------------------------------------------------------------------------------------------------
// Hints, undefined values, printing and requirements

/** Marks a value as likely (a hint for loop partitioning); the value is unchanged. @example `hl.likely(x.lt(100))` */
export const likely: Unary = lift1((a) => {
  const e = op.asIR(a);
  return ir.callIntrinsic(Intrinsic.likely, e.type, [e]);
});
/** Like {@link likely}, but only for the innermost loop. @example `hl.likelyIfInnermost(x.lt(100))` */
export const likelyIfInnermost: Unary = lift1((a) => {
  const e = op.asIR(a);
  return ir.callIntrinsic(Intrinsic.likelyIfInnermost, e.type, [e]);
});

/**
 * A value of type `t` that is never read (for Tuple elements an update leaves unchanged).
 *
 * @example
 * ```ts
 * hl.undef(hl.Float(32));
 * ```
 */
export function undef(t: Type): Expr {
  return wrap(ir.callIntrinsic(Intrinsic.undef, t, []));
}

function printArg(a: ExprLike | string): ir.Expr {
  return typeof a === "string" ? ir.stringImm(a) : toIR(a);
}

function printCall(args: readonly (ExprLike | string)[], api: string): ir.Expr {
  if (args.length === 0) throw new HalideError(`${api}() needs at least one argument to print.`);
  const irArgs = args.map(printArg);
  return ir.callIntrinsic(Intrinsic.print, irArgs[0].type, irArgs);
}

/**
 * Prints its arguments (separated by spaces) each time the value is computed, and returns the first one.
 *
 * @example
 * ```ts
 * f.at(x).set(hl.print(x.mul(2), "<- x times two"));
 * ```
 */
export function print(...args: (ExprLike | string)[]): Expr {
  return wrap(printCall(args, "print"));
}

/**
 * {@link print}, but only when `condition` is true; always returns the first argument.
 *
 * @example
 * ```ts
 * f.at(x).set(hl.printWhen(x.eq(37), x, "is x"));
 * ```
 */
export function printWhen(condition: ExprLike, ...args: (ExprLike | string)[]): Expr {
  const cond = toIR(condition);
  if (!cond.type.isBool()) {
    throw new HalideError(`printWhen condition ${exprToString(cond)} must be boolean, but has type ${cond.type}.`);
  }
  const printed = printCall(args, "printWhen");
  const first = printed.kind === "Call" ? printed.args[0] : printed;
  return wrap(ir.callIntrinsic(Intrinsic.ifThenElse, first.type, [cond, printed, first]));
}

/**
 * Returns `value`, failing the pipeline with an error made of `message` if `condition` is false when computed.
 *
 * @example
 * ```ts
 * f.at(x).set(hl.require(p.gt(0), x.div(p), "p must be positive, got", p));
 * ```
 */
export function require(condition: ExprLike, value: ExprLike, ...message: (ExprLike | string)[]): Expr {
  const cond = toIR(condition);
  if (!cond.type.isBool()) {
    throw new HalideError(`Require condition must be a boolean type, but ${exprToString(cond)} has type ${cond.type}.`);
  }
  const v = toIR(value);
  return wrap(ir.callIntrinsic(Intrinsic.require, v.type, [cond, v, ...message.map(printArg)]));
}
