/**
 * The meaning of every IR operation on scalar values: the single definition that the reference interpreter
 * evaluates and that compiled code must reproduce (see `exactness.ts` for how closely).
 *
 * ## Value representation
 *
 * A {@link Value} of Type `t` is always in canonical form:
 * - `Bool` (uint1): a `boolean`.
 * - Int/UInt of up to 32 bits: a `number` holding an integer in the type's range.
 * - Int/UInt of 33 to 64 bits: a `bigint` in the type's range.
 * - Float(16), BFloat(16), Float(32), Float(64): a `number` exactly representable in the type (rounded to nearest,
 *   ties to even; NaN payloads and NaN signs are not represented — every NaN is "the" NaN).
 * Handles, vectors (the interpreter keeps one Value per lane) and wider types are not Values.
 *
 * ## The rules, in one place
 * - **Integers** are computed exactly (in `bigint` where a `number` could lose bits) and then wrapped to the
 *   result type by two's complement, or clamped to it for the saturating operations.
 * - **Floats** are computed in double and rounded once to the result type. For +, −, ×, ÷ and sqrt this equals
 *   the IEEE operation in the type's own precision (double has more than 2p+2 significand bits for p = 24, 11, 8),
 *   which is also what native code computing float16/bfloat16 in float32 gets. Compound definitions (float `Mod`,
 *   float `lerp`) round every step in the *arithmetic type* — float32 for float16/bfloat16, the type itself
 *   otherwise — exactly as Halide's codegen evaluates them.
 * - **Division** (`Div`, `Mod`) of integers is Euclidean: `a == b*(a/b) + a%b` with `0 <= a%b < |b|`; `x/0 == 0`
 *   and `x%0 == 0`; `INT_MIN / -1` wraps to `INT_MIN` (and `INT_MIN % -1 == 0`), as Halide's lowering does.
 *   Float `Div` is IEEE; float `Mod` is `a - b*floor(a/b)`.
 * - **Min/Max of floats** are `a < b ? a : b` / `a > b ? a : b` (Halide's codegen, and x86 `minss`): with a NaN
 *   operand the result is the *second* operand, so `min(NaN, 1) == 1` but `min(1, NaN)` is NaN.
 * - **Comparisons of floats** are IEEE: EQ/LT/LE/GT/GE are false when either side is NaN; NE is `!(a == b)` and so
 *   true (LLVM `fcmp une`, C's `!=` and Halide's constant folding; Halide's codegen emits `one`, but
 *   `ne(a, b) == not(eq(a, b))` is what the simplifier relies on).
 * - **Float → integer casts** truncate toward zero. For targets narrower than 32 bits the truncated value then
 *   wraps to the target width (code generation converts through int32, so `u8(-1.5) == 255` and
 *   `u8(300.5) == 44`), wherever it fits in int32. Otherwise it saturates to the 64-bit range of the target's
 *   signedness and wraps — Halide's constant folding (`safe_numeric_cast`, then `make_const`); NaN converts to 0.
 *   Native code agrees wherever the truncated value fits the target (or, for narrow targets, int32).
 * - **Casts to Bool** keep the low bit, like every other narrowing integer cast (Halide's `UIntImm` and LLVM's
 *   `trunc to i1`): `cast(Bool, 2) == false`. Write `x != 0` for truthiness.
 * - **Integer → float casts** round once to nearest-even (a 64-bit integer is rounded directly to the target
 *   precision, never through double).
 * - **Shifts** are defined by the exact result: `a << b == a * 2^b` and `a >> b == floor(a / 2^b)` (arithmetic
 *   for signed `a`), wrapped to the type. A negative signed amount shifts the other way (Halide). Amounts of the
 *   type's width or more are poison in LLVM and in Halide's simplifier; here they give the exact result (0, or
 *   −1 for a negative `a` shifted right), and `exactness.ts` marks them undefined.
 *
 * @module
 */
import { HalideError } from "../error.ts";
import type { ArithOp, CmpOp, IntrinsicName } from "../ir/expr.ts";
import { Float, roundToFloatBits, type Type, TypeCode, UInt } from "../ir/type.ts";

/**
 * A scalar value in canonical form for its Type (see the module documentation).
 *
 * @example
 * ```ts
 * const v: Value = 255;     // a uint8
 * const w: Value = -1n;     // an int64
 * ```
 */
export type Value = number | bigint | boolean;

// ---------------------------------------------------------------------------------------------------------------
// Representation: checking types, rounding floats, wrapping and saturating integers.

/** Throws unless the interpreter has a value representation for the scalar type `t`. */
function checkRepresentable(t: Type): void {
  if (t.isHandle()) throw new HalideError(`The interpreter cannot evaluate values of type ${t}.`);
  if (t.isIntOrUInt() && t.bits > 64) throw new HalideError(`Integer type ${t} is wider than 64 bits.`);
  if (t.isBFloat() && t.bits !== 16) throw new HalideError(`Unsupported bfloat type ${t}.`);
  if (t.code === TypeCode.Float && t.bits !== 16 && t.bits !== 32 && t.bits !== 64) {
    throw new HalideError(`Unsupported float type ${t}.`);
  }
}

const scratch = new DataView(new ArrayBuffer(8));

function f32Bits(x: number): number {
  scratch.setFloat32(0, x);
  return scratch.getUint32(0);
}
function f32FromBits(bits: number): number {
  scratch.setUint32(0, bits >>> 0);
  return scratch.getFloat32(0);
}

/**
 * Rounds a double to the nearest value of the float type `t` (ties to even; overflow to ±Infinity), in one
 * rounding step for every type (bfloat16 included).
 *
 * @example
 * ```ts
 * roundFloat(Float(16), 65520); // Infinity
 * roundFloat(Float(32), 0.1);   // 0.10000000149011612
 * ```
 */
export function roundFloat(t: Type, x: number): number {
  return roundToFloatBits(x, t);
}

/** The type Halide's codegen does arithmetic in: float32 for float16/bfloat16, else the type itself. */
function arithmeticType(t: Type): Type {
  return t.isFloat() && t.bits < 32 ? Float(32) : t.elementOf();
}

/** Whether scalar type `t` is represented by `bigint`. */
function isBig(t: Type): boolean {
  return t.isIntOrUInt() && t.bits > 32;
}

/** The exact integer held by an int, uint or Bool value. */
function big(v: Value): bigint {
  if (typeof v === "bigint") return v;
  if (typeof v === "boolean") return v ? 1n : 0n;
  return BigInt(v);
}

/** The number held by a value (a float, or an integer that is then used as a number). */
function num(v: Value): number {
  return typeof v === "number" ? v : Number(v);
}

/** Wraps the exact integer `x` to the int/uint/Bool type `t` (two's complement). */
function wrap(t: Type, x: bigint): Value {
  if (t.isBool()) return (x & 1n) === 1n;
  const w = t.isInt() ? BigInt.asIntN(t.bits, x) : BigInt.asUintN(t.bits, x);
  return isBig(t) ? w : Number(w);
}

/**
 * Wraps an exact integer held in a `number` (|x| < 2^53) to a type of at most 32 bits, without bigint.
 * `x | 0` and `x >>> 0` reduce modulo 2^32 exactly for such x.
 */
function wrapSmall(t: Type, x: number): Value {
  if (t.isBool()) return (x & 1) === 1;
  const s = 32 - t.bits;
  if (t.isInt()) return s === 0 ? x | 0 : (x << s) >> s;
  return s === 0 ? x >>> 0 : (x >>> 0) & (0xffffffff >>> s);
}

/** Clamps the exact integer `x` to the range of the int/uint/Bool type `t`. */
function saturate(t: Type, x: bigint): Value {
  const lo = t.minInt(), hi = t.maxInt();
  return wrap(t, x < lo ? lo : x > hi ? hi : x);
}

/**
 * Converts a JavaScript value to the canonical Value of scalar type `t`, checking that it is one: integers must
 * be integral and in range (as `number` or `bigint`), Bool accepts `boolean` or 0/1, floats accept a `number`
 * (rounded to the type).
 *
 * @example
 * ```ts
 * toValue(Int(64), 3);       // 3n
 * toValue(Bool(), 1);        // true
 * toValue(Float(16), 0.1);   // 0.0999755859375
 * toValue(UInt(8), 256);     // throws HalideError
 * ```
 */
export function toValue(t: Type, x: Value): Value {
  if (typeof x === "number" && t.isIntOrUInt() && t.bits <= 32 && t.bits > 1 && Number.isInteger(x)) {
    // Fast path for the common case; the general path below gives the same result.
    const lo = t.isInt() ? -(2 ** (t.bits - 1)) : 0, hi = t.isInt() ? 2 ** (t.bits - 1) - 1 : 2 ** t.bits - 1;
    if (x >= lo && x <= hi) return x === 0 ? 0 : x;
  }
  checkRepresentable(t);
  const bad = (): never => {
    throw new HalideError(`${typeof x === "bigint" ? `${x}n` : String(x)} is not a value of type ${t.elementOf()}.`);
  };
  if (t.isFloat()) return typeof x === "number" ? roundFloat(t, x) : bad();
  if (typeof x === "boolean") return t.isBool() ? x : bad();
  if (typeof x === "number" && !Number.isInteger(x)) return bad();
  const b = big(x);
  if (b < t.minInt() || b > t.maxInt()) return bad();
  return wrap(t, b);
}

// ---------------------------------------------------------------------------------------------------------------
// Bit patterns.

function f16Bits(x: number): number {
  if (Number.isNaN(x)) return 0x7e00;
  const sign = x < 0 || Object.is(x, -0) ? 0x8000 : 0;
  const a = Math.abs(x);
  if (a === Infinity) return sign | 0x7c00;
  if (a < 2 ** -14) return sign | (a * 2 ** 24); // subnormal: an exact multiple of 2^-24
  let e = Math.floor(Math.log2(a));
  if (2 ** e > a) e--;
  if (2 ** (e + 1) <= a) e++;
  return sign | ((e + 15) << 10) | ((a / 2 ** e - 1) * 1024);
}
function f16FromBits(b: number): number {
  const sign = b & 0x8000 ? -1 : 1, e = (b >> 10) & 0x1f, m = b & 0x3ff;
  if (e === 0) return sign * m * 2 ** -24;
  if (e === 31) return m === 0 ? sign * Infinity : NaN;
  return sign * (1 + m / 1024) * 2 ** (e - 15);
}

/**
 * The bit pattern of a value of scalar type `t`, as an unsigned integer of `t.bits` bits. NaN encodes as the
 * canonical quiet NaN.
 *
 * @example
 * ```ts
 * valueToBits(Float(32), 1);   // 0x3f800000n
 * valueToBits(Int(8), -1);     // 255n
 * valueToBits(Float(16), -2);  // 0xc000n
 * ```
 */
export function valueToBits(t: Type, v: Value): bigint {
  checkRepresentable(t);
  if (t.isIntOrUInt()) return BigInt.asUintN(t.bits, big(v));
  const x = num(v);
  if (t.isBFloat()) return BigInt(f32Bits(x) >>> 16);
  if (t.bits === 16) return BigInt(f16Bits(x));
  if (t.bits === 32) return BigInt(f32Bits(x));
  scratch.setFloat64(0, x);
  return scratch.getBigUint64(0);
}

/**
 * The value of scalar type `t` whose bit pattern is the low `t.bits` bits of `bits`.
 *
 * @example
 * ```ts
 * valueFromBits(Float(32), 0x3f800000n); // 1
 * valueFromBits(Int(8), 0xffn);          // -1
 * ```
 */
export function valueFromBits(t: Type, bits: bigint): Value {
  checkRepresentable(t);
  const b = BigInt.asUintN(t.bits, bits);
  if (t.isIntOrUInt()) return wrap(t, b);
  if (t.isBFloat()) return f32FromBits(Number(b) << 16);
  if (t.bits === 16) return f16FromBits(Number(b));
  if (t.bits === 32) return f32FromBits(Number(b));
  scratch.setBigUint64(0, b);
  return scratch.getFloat64(0);
}

// ---------------------------------------------------------------------------------------------------------------
// Cast and Reinterpret.

/** Significand bits (including the implicit one) of each float type. */
function significandBits(t: Type): number {
  return t.isBFloat() ? 8 : t.bits === 16 ? 11 : t.bits === 32 ? 24 : 53;
}

/** Rounds the exact integer `x` to `p` significant bits, to nearest, ties to even. */
function roundToSignificantBits(x: bigint, p: number): bigint {
  const neg = x < 0n, a = neg ? -x : x;
  const drop = a.toString(2).length - p;
  if (drop <= 0) return x;
  let q = a >> BigInt(drop);
  const rest = a - (q << BigInt(drop)), half = 1n << BigInt(drop - 1);
  if (rest > half || (rest === half && (q & 1n) === 1n)) q++;
  const r = q << BigInt(drop);
  return neg ? -r : r;
}

/** Integer (as an exact bigint) → float type `t`, rounded once. */
function intToFloat(t: Type, x: bigint): number {
  return roundFloat(t, Number(roundToSignificantBits(x, significandBits(t))));
}

/** Float → integer type `t`: truncate; narrow targets wrap; NaN → 0; else saturate to int64/uint64 and wrap (see module docs). */
function floatToInt(t: Type, x: number): Value {
  if (Number.isNaN(x)) return wrap(t, 0n);
  if (t.bits < 32 && Math.abs(x) < 2 ** 31) return wrap(t, BigInt(Math.trunc(x)));
  const lo = t.isInt() ? -(2n ** 63n) : 0n, hi = t.isInt() ? 2n ** 63n - 1n : 2n ** 64n - 1n;
  if (x <= Number(lo)) return wrap(t, lo);
  if (x >= Number(hi)) return wrap(t, hi); // Number(hi) is 2^63 or 2^64, the first out-of-range double
  return wrap(t, BigInt(Math.trunc(x)));
}

/**
 * Converts `v` of scalar type `from` to scalar type `to` (the `Cast` node). See the module documentation for the
 * float → integer and → Bool conventions.
 *
 * @example
 * ```ts
 * castValue(UInt(8), Int(32), 300);     // 44
 * castValue(Int(32), Float(32), -2.7);  // -2
 * castValue(Float(16), Int(32), 65520); // Infinity
 * castValue(Bool(), Int(32), 2);        // false (low bit)
 * ```
 */
export function castValue(to: Type, from: Type, v: Value): Value {
  checkRepresentable(to);
  checkRepresentable(from);
  if (from.isFloat()) return to.isFloat() ? roundFloat(to, num(v)) : floatToInt(to, num(v));
  if (to.isFloat()) return typeof v === "number" ? roundFloat(to, v) : intToFloat(to, big(v));
  return typeof v === "number" && !isBig(to) ? wrapSmall(to, v) : wrap(to, big(v));
}

/**
 * Reinterprets the bits of a vector (or scalar) of `fromLanes` lanes of element type `from` as lanes of element
 * type `to` (the `Reinterpret` node; LLVM `bitcast`, little-endian: lane 0 holds the least significant bits).
 *
 * @example
 * ```ts
 * reinterpretLanes(UInt(32), UInt(8), [0x78, 0x56, 0x34, 0x12]); // [0x12345678]
 * reinterpretLanes(UInt(32), Float(32), [1]);                    // [0x3f800000]
 * ```
 */
export function reinterpretLanes(to: Type, from: Type, lanes: readonly Value[]): Value[] {
  const total = from.bits * lanes.length;
  if (total % to.bits !== 0) {
    throw new HalideError(`Cannot reinterpret ${lanes.length} lanes of ${from} as ${to}.`);
  }
  let acc = 0n;
  lanes.forEach((v, i) => (acc |= valueToBits(from, v) << BigInt(i * from.bits)));
  return Array.from({ length: total / to.bits }, (_, j) => valueFromBits(to, acc >> BigInt(j * to.bits)));
}

// ---------------------------------------------------------------------------------------------------------------
// Binary operators.

/** Euclidean quotient; x/0 = 0. */
function euclidDiv(a: bigint, b: bigint): bigint {
  if (b === 0n) return 0n;
  const q = a / b; // truncates toward zero
  return a % b < 0n ? (b > 0n ? q - 1n : q + 1n) : q;
}
/** Euclidean remainder, 0 <= r < |b|; x%0 = 0. */
function euclidMod(a: bigint, b: bigint): bigint {
  if (b === 0n) return 0n;
  const r = a % b;
  return r < 0n ? r + (b < 0n ? -b : b) : r;
}

/** Float `a mod b = a - b*floor(a/b)`, each step rounded in the arithmetic type as Halide's codegen does. */
function floatMod(t: Type, a: number, b: number): number {
  const at = arithmeticType(t), r = (x: number) => roundFloat(at, x);
  return roundFloat(t, r(a - r(b * Math.floor(r(a / b)))));
}

type IntFn = (a: bigint, b: bigint) => bigint;
type FloatFn = (t: Type, a: number, b: number) => number;

/** Integer and float definitions of each arithmetic operator; min/max/compare are shared (see below). */
const arithmetic: Record<"Add" | "Sub" | "Mul" | "Div" | "Mod", { int: IntFn; float: FloatFn }> = {
  Add: { int: (a, b) => a + b, float: (t, a, b) => roundFloat(t, a + b) },
  Sub: { int: (a, b) => a - b, float: (t, a, b) => roundFloat(t, a - b) },
  Mul: { int: (a, b) => a * b, float: (t, a, b) => roundFloat(t, a * b) },
  Div: { int: euclidDiv, float: (t, a, b) => roundFloat(t, a / b) },
  Mod: { int: euclidMod, float: floatMod },
};

/**
 * Fast paths for integer operators on types of at most 32 bits; each equals the exact bigint definition above
 * followed by `wrap`. Sums, differences and the products `b*q` below are exact in a double; `Math.imul` is the
 * product modulo 2^32; and `a / b` rounded to double never crosses an integer for |a|, |b| < 2^32 (the quotient's
 * rounding error, < 2^-21/|b|, is smaller than its distance 1/|b| to any integer it is not), so floor/ceil of it
 * are the exact Euclidean quotient (floor for b > 0, ceil for b < 0).
 */
const smallIntFast: Partial<Record<ArithOp, (a: number, b: number) => number>> = {
  Add: (a, b) => a + b,
  Sub: (a, b) => a - b,
  Mul: Math.imul,
  Div: (a, b) => (b === 0 ? 0 : b > 0 ? Math.floor(a / b) : Math.ceil(a / b)),
  Mod: (a, b) => (b === 0 ? 0 : a - b * (b > 0 ? Math.floor(a / b) : Math.ceil(a / b))),
};

/** A total order key for comparing two values of one type (Bool as 0/1). */
function key(v: Value): number | bigint {
  return typeof v === "boolean" ? (v ? 1 : 0) : v;
}

const comparisons: Record<CmpOp, (a: number | bigint, b: number | bigint) => boolean> = {
  EQ: (a, b) => a === b,
  NE: (a, b) => !(a === b),
  LT: (a, b) => a < b,
  LE: (a, b) => a <= b,
  GT: (a, b) => a > b,
  GE: (a, b) => a >= b,
};

/**
 * Applies an arithmetic or comparison operator to two values of the scalar type `t` (the operands' type; a
 * comparison returns a `boolean`).
 *
 * @example
 * ```ts
 * binaryOp("Div", Int(32), -7, 2);        // -4 (Euclidean)
 * binaryOp("Mod", Int(32), -7, -2);       // 1
 * binaryOp("Add", UInt(8), 200, 100);     // 44
 * binaryOp("Min", Float(32), NaN, 1);     // 1
 * binaryOp("LT", Int(64), -1n, 0n);       // true
 * ```
 */
export function binaryOp(op: ArithOp | CmpOp, t: Type, a: Value, b: Value): Value {
  checkRepresentable(t);
  if (op === "Min") return comparisons.LT(key(a), key(b)) ? a : b;
  if (op === "Max") return comparisons.GT(key(a), key(b)) ? a : b;
  if (op in comparisons) return comparisons[op as CmpOp](key(a), key(b));
  const def = arithmetic[op as keyof typeof arithmetic];
  if (t.isFloat()) return def.float(t, num(a), num(b));
  const fast = smallIntFast[op as ArithOp];
  if (fast && !isBig(t)) return wrapSmall(t, fast(num(a), num(b)));
  return wrap(t, def.int(big(a), big(b)));
}

// ---------------------------------------------------------------------------------------------------------------
// Intrinsics.

/** How one intrinsic computes its scalar result from its arguments and their types. */
type IntrinsicImpl = (rt: Type, argTypes: readonly Type[], args: readonly Value[]) => Value;

function fail(name: string, why: string): never {
  throw new HalideError(`${name}: ${why}`);
}

/** Checks the argument count and that every argument passes `ok`. */
function expectArgs(name: string, argTypes: readonly Type[], count: number, ok: (t: Type) => boolean, what: string) {
  if (argTypes.length !== count) fail(name, `expected ${count} arguments, got ${argTypes.length}.`);
  argTypes.forEach((t, i) => ok(t) || fail(name, `argument ${i} has type ${t}, but must be ${what}.`));
}
const isInteger = (t: Type) => t.isIntOrUInt();
const isFloat = (t: Type) => t.isFloat();
const isNumeric = (t: Type) => t.isIntOrUInt() || t.isFloat();

/** Caps a shift amount so that bigint shifts stay small; the exact result is unchanged for values < 2^128. */
function capShift(b: bigint): bigint {
  return b > 256n ? 256n : b < -256n ? -256n : b;
}
/** The exact `a * 2^b` for a signed amount (floor for negative b). */
function shiftExact(a: bigint, b: bigint): bigint {
  const s = capShift(b);
  return s >= 0n ? a << s : a >> -s;
}
/** Exact `a * 2^-b` rounded to nearest, ties up (toward +∞), for b > 0; a left shift for b <= 0. */
function roundingShiftRight(a: bigint, b: bigint): bigint {
  const s = capShift(b);
  return s > 0n ? (a + (1n << (s - 1n))) >> s : a << -s;
}

/** Wraps an impl with a check of the argument count and types. */
function checked(
  name: string,
  arity: number,
  ok: (t: Type) => boolean,
  what: string,
  impl: IntrinsicImpl,
): IntrinsicImpl {
  return (rt, argTypes, args) => {
    expectArgs(name, argTypes, arity, ok, what);
    return impl(rt, argTypes, args);
  };
}

/** An integer intrinsic (every argument an int, uint or Bool), computed exactly then wrapped or saturated. */
function intOp(
  name: string,
  arity: number,
  f: (args: bigint[], argTypes: readonly Type[]) => bigint,
  finish: (t: Type, x: bigint) => Value = wrap,
): IntrinsicImpl {
  return checked(name, arity, isInteger, "an integer", (rt, argTypes, args) => {
    if (!rt.isIntOrUInt()) fail(name, `integer operation with result type ${rt}.`);
    return finish(rt, f(args.map(big), argTypes));
  });
}

/**
 * An operation defined for integers (exactly, then `finish`) and for floats (in double, rounded to the result type).
 */
function numericOp(
  name: string,
  arity: number,
  int: (args: bigint[]) => bigint,
  float: (args: number[]) => number,
  finish: (t: Type, x: bigint) => Value = wrap,
): IntrinsicImpl {
  return checked(name, arity, isNumeric, "a number", (rt, argTypes, args) => {
    if (rt.isFloat()) return roundFloat(rt, float(args.map(num)));
    if (argTypes.some((t) => t.isFloat())) fail(name, `float arguments need a float result type, not ${rt}.`);
    return finish(rt, int(args.map(big)));
  });
}

/** A float math function computed in double and rounded to the (float) result type. */
function mathOp(name: string, f: (...x: number[]) => number, arity = f.length): IntrinsicImpl {
  return checked(name, arity, isFloat, "a float", (rt, _argTypes, args) => roundFloat(rt, f(...args.map(num))));
}
/** A float classification returning Bool. */
function floatTest(name: string, f: (x: number) => boolean): IntrinsicImpl {
  return checked(name, 1, isFloat, "a float", (_rt, _argTypes, args) => f(num(args[0])));
}

/** Round to nearest integer, ties to even (Halide's `round`; JavaScript's Math.round ties toward +∞). */
function roundHalfEven(x: number): number {
  const r = Math.round(x);
  return r - x === 0.5 && r % 2 !== 0 ? r - 1 : r;
}

/** C99/IEEE pow: like Math.pow except pow(1, y) = 1 and pow(-1, ±∞) = 1 (JavaScript gives NaN). */
function cPow(x: number, y: number): number {
  if (x === 1 || (x === -1 && !Number.isFinite(y) && !Number.isNaN(y))) return 1;
  return Math.pow(x, y);
}

/** Halide's saturating_cast (see FindIntrinsics.cpp `lower_saturating_cast`), NaN → 0 for integer targets. */
function saturatingCast(rt: Type, argTypes: readonly Type[], args: readonly Value[]): Value {
  expectArgs("saturating_cast", argTypes, 1, isNumeric, "a number");
  const [from] = argTypes, v = args[0];
  if (rt.isFloat() || !from.isFloat()) {
    // Floats keep their infinities (Halide's float min/max are ±∞); int → float is a plain cast.
    return rt.isFloat() ? castValue(rt, from, v) : saturate(rt, big(v));
  }
  const x = num(v);
  if (Number.isNaN(x)) return wrap(rt, 0n);
  if (x <= Number(rt.minInt())) return wrap(rt, rt.minInt());
  if (x >= Number(rt.maxInt())) return wrap(rt, rt.maxInt());
  return wrap(rt, BigInt(Math.trunc(x)));
}

/**
 * Halide's lerp (Lerp.cpp `lower_lerp`, x86 variant), evaluated exactly.
 * - Bool values: `w > 0.5` (float weight) or `w > max/2` (unsigned weight) picks `one`.
 * - Float values: `zero*(1-w) + one*w` with an unsigned weight first scaled to `w / (2^bits - 1)`, in the wider
 *   of the two arithmetic types, each step rounded, then rounded to the value type.
 * - Integer values of n ≤ 32 bits: signed values are offset by 2^(n-1) into unsigned; the weight becomes an
 *   n-bit unsigned W (float weight: `trunc(w * (2^n-1))`, computed in the weight's arithmetic type, or double for
 *   n = 32; unsigned weight of m bits: rescaled exactly by `(2^n-1)/(2^m-1)` or divided, rounding down, by its
 *   inverse); the result is `(zero*(M-W) + one*W + (M-1)/2) / M` (M = 2^n-1, integer division), offset back.
 */
function lerp(rt: Type, argTypes: readonly Type[], args: readonly Value[]): Value {
  if (argTypes.length !== 3) fail("lerp", `expected 3 arguments, got ${argTypes.length}.`);
  const [zt, ot, wt] = argTypes;
  const [z, o, w] = args;
  if (!zt.equals(ot) || !zt.elementOf().equals(rt.elementOf())) {
    fail("lerp", `values of types ${zt} and ${ot} must both have the result type ${rt}.`);
  }
  if (!(wt.isUInt() || wt.isBool() || wt.isFloat())) {
    fail("lerp", `a weight must be an unsigned integer or a float, not ${wt}.`);
  }
  const wMax = wt.isFloat() ? 1 : 2 ** wt.bits - 1;
  if (rt.isBool()) return num(w) > (wt.isFloat() ? 0.5 : Math.floor(wMax / 2)) ? o : z;
  if (rt.isFloat()) {
    const vt = arithmeticType(rt), wat = arithmeticType(wt);
    const ct = wt.isFloat() && wat.bits > vt.bits ? wat : vt;
    const r = (x: number) => roundFloat(ct, x);
    const weight = wt.isFloat() ? num(w) : r(r(num(w)) / r(wMax));
    const inverse = r(1 - weight);
    return roundFloat(rt, r(r(num(z) * inverse) + r(num(o) * weight)));
  }
  if (rt.bits > 32) fail("lerp", "lerping between 64-bit integers is not supported.");
  const n = BigInt(rt.bits), M = (1n << n) - 1n;
  const bias = rt.isInt() ? 1n << (n - 1n) : 0n;
  let W: bigint;
  if (wt.isFloat()) {
    const scaled = rt.bits === 32 ? 4294967295 * num(w) : roundFloat(arithmeticType(wt), Number(M) * num(w));
    W = big(castValue(UInt(rt.bits), Float(64), scaled));
  } else {
    const m = BigInt(wt.bits), Mw = (1n << m) - 1n;
    W = m === n ? big(w) : m < n ? big(w) * (M / Mw) : big(w) / (Mw / M);
  }
  const p = (big(z) + bias) * (M - W) + (big(o) + bias) * W;
  return wrap(rt, BigInt.asUintN(rt.bits, (p + M / 2n) / M) - bias);
}

function popcount(x: bigint): bigint {
  let c = 0n;
  for (let v = x; v !== 0n; v >>= 1n) c += v & 1n;
  return c;
}
/** The unsigned bit pattern of an integer argument. */
function pattern(t: Type, v: bigint): bigint {
  return BigInt.asUintN(t.bits, v);
}

function unsupported(name: string, why: string): IntrinsicImpl {
  return () => fail(name, `the interpreter cannot evaluate it (${why}).`);
}

/** Semantics of every intrinsic in the IR's `Intrinsic` table. */
const intrinsics: Record<IntrinsicName, IntrinsicImpl> = {
  bitwise_and: intOp("bitwise_and", 2, ([a, b]) => a & b),
  bitwise_or: intOp("bitwise_or", 2, ([a, b]) => a | b),
  bitwise_xor: intOp("bitwise_xor", 2, ([a, b]) => a ^ b),
  bitwise_not: intOp("bitwise_not", 1, ([a]) => ~a),
  shift_left: intOp("shift_left", 2, ([a, b]) => shiftExact(a, b)),
  shift_right: intOp("shift_right", 2, ([a, b]) => shiftExact(a, -b)),
  // abs and absd of integers return the unsigned type of the same width, so they cannot overflow.
  abs: numericOp("abs", 1, ([a]) => (a < 0n ? -a : a), ([a]) => Math.abs(a)),
  absd: numericOp("absd", 2, ([a, b]) => (a < b ? b - a : a - b), ([a, b]) => Math.abs(a - b)),
  popcount: intOp("popcount", 1, ([a], [t]) => popcount(pattern(t, a))),
  count_leading_zeros: intOp("count_leading_zeros", 1, ([a], [t]) => {
    const p = pattern(t, a);
    return BigInt(t.bits - (p === 0n ? 0 : p.toString(2).length));
  }),
  count_trailing_zeros: intOp("count_trailing_zeros", 1, ([a], [t]) => {
    const p = pattern(t, a);
    return p === 0n ? BigInt(t.bits) : popcount((p & -p) - 1n);
  }),
  // Widening ops: the result type (twice as wide, signed for widening_sub and for mixed-sign widening_mul) holds
  // the exact result; wrapping only matters for ill-typed calls.
  widening_add: numericOp("widening_add", 2, ([a, b]) => a + b, ([a, b]) => a + b),
  widening_sub: numericOp("widening_sub", 2, ([a, b]) => a - b, ([a, b]) => a - b),
  widening_mul: numericOp("widening_mul", 2, ([a, b]) => a * b, ([a, b]) => a * b),
  widening_shift_left: intOp("widening_shift_left", 2, ([a, b]) => shiftExact(a, b)),
  widening_shift_right: intOp("widening_shift_right", 2, ([a, b]) => shiftExact(a, -b)),
  // a + widen(b) etc., with a already of the (wide) result type: wraps.
  widen_right_add: intOp("widen_right_add", 2, ([a, b]) => a + b),
  widen_right_sub: intOp("widen_right_sub", 2, ([a, b]) => a - b),
  widen_right_mul: intOp("widen_right_mul", 2, ([a, b]) => a * b),
  rounding_shift_left: intOp("rounding_shift_left", 2, ([a, b]) => roundingShiftRight(a, -b)),
  rounding_shift_right: intOp("rounding_shift_right", 2, ([a, b]) => roundingShiftRight(a, b)),
  saturating_add: numericOp("saturating_add", 2, ([a, b]) => a + b, ([a, b]) => a + b, saturate),
  saturating_sub: numericOp("saturating_sub", 2, ([a, b]) => a - b, ([a, b]) => a - b, saturate),
  saturating_cast: saturatingCast,
  halving_add: intOp("halving_add", 2, ([a, b]) => (a + b) >> 1n),
  rounding_halving_add: intOp("rounding_halving_add", 2, ([a, b]) => (a + b + 1n) >> 1n),
  halving_sub: intOp("halving_sub", 2, ([a, b]) => (a - b) >> 1n),
  mul_shift_right: intOp("mul_shift_right", 3, ([a, b, q]) => shiftExact(a * b, -q), saturate),
  rounding_mul_shift_right: intOp("rounding_mul_shift_right", 3, ([a, b, q]) => roundingShiftRight(a * b, q), saturate),
  // Halide leaves x/0 and INT_MIN/-1 undefined (native code traps); here they follow Div and Mod: 0, and wrap.
  div_round_to_zero: intOp("div_round_to_zero", 2, ([a, b]) => (b === 0n ? 0n : a / b)),
  mod_round_to_zero: intOp("mod_round_to_zero", 2, ([a, b]) => (b === 0n ? 0n : a % b)),
  lerp,
  likely: checked("likely", 1, () => true, "", (_rt, _argTypes, args) => args[0]),
  likely_if_innermost: checked("likely_if_innermost", 1, () => true, "", (_rt, _argTypes, args) => args[0]),
  undef: unsupported("undef", "it has no value"),
  random: unsupported("random", "its values depend on the compiled pipeline"),
  print: unsupported("print", "it has side effects"),
  require: unsupported("require", "it has side effects"),
  // v[index], or the last value for any other index (negative ones included), as Halide's lower_mux.
  mux: (_rt, argTypes, args) => {
    if (argTypes.length < 2 || !argTypes[0].isIntOrUInt()) {
      fail("mux", "expected an integer index and at least one value.");
    }
    const n = BigInt(args.length - 1), i = big(args[0]);
    return args[1 + Number(i >= 0n && i < n ? i : n - 1n)];
  },
  // Select; the interpreter's evaluator only evaluates the chosen operand (see eval.ts).
  if_then_else: checked("if_then_else", 3, () => true, "", (_rt, argTypes, args) => {
    if (!argTypes[0].isBool()) fail("if_then_else", `the condition has type ${argTypes[0]}, not bool.`);
    return args[0] === true ? args[1] : args[2];
  }),
  sqrt: mathOp("sqrt", Math.sqrt),
  sin: mathOp("sin", Math.sin),
  cos: mathOp("cos", Math.cos),
  tan: mathOp("tan", Math.tan),
  asin: mathOp("asin", Math.asin),
  acos: mathOp("acos", Math.acos),
  atan: mathOp("atan", Math.atan),
  atan2: mathOp("atan2", Math.atan2),
  sinh: mathOp("sinh", Math.sinh),
  cosh: mathOp("cosh", Math.cosh),
  tanh: mathOp("tanh", Math.tanh),
  asinh: mathOp("asinh", Math.asinh),
  acosh: mathOp("acosh", Math.acosh),
  atanh: mathOp("atanh", Math.atanh),
  exp: mathOp("exp", Math.exp),
  log: mathOp("log", Math.log),
  pow: mathOp("pow", cPow),
  floor: mathOp("floor", Math.floor),
  ceil: mathOp("ceil", Math.ceil),
  round: mathOp("round", roundHalfEven),
  trunc: mathOp("trunc", Math.trunc),
  is_nan: floatTest("is_nan", Number.isNaN),
  is_inf: floatTest("is_inf", (x) => x === Infinity || x === -Infinity),
  is_finite: floatTest("is_finite", Number.isFinite),
  // The exact values; native code approximates them (rcpps/rsqrtps) — see exactness.ts.
  fast_inverse: mathOp("fast_inverse", (x) => 1 / x),
  fast_inverse_sqrt: mathOp("fast_inverse_sqrt", (x) => 1 / Math.sqrt(x)),
};

/**
 * Evaluates the intrinsic `name` on scalar arguments `args` of types `argTypes`, producing a value of the scalar
 * result type `rt` (the Call node's type). Throws a HalideError for unknown names, wrong argument types, and the
 * intrinsics the interpreter cannot evaluate (`random`, `print`, `require`, `undef`).
 *
 * @example
 * ```ts
 * evalIntrinsic("saturating_add", Int(8), [Int(8), Int(8)], [100, 100]);          // 127
 * evalIntrinsic("widening_mul", Int(16), [Int(8), UInt(8)], [-128, 255]);         // -32640
 * evalIntrinsic("rounding_shift_right", UInt(8), [UInt(8), UInt(8)], [5, 1]);     // 3
 * evalIntrinsic("lerp", UInt(8), [UInt(8), UInt(8), Float(32)], [0, 255, 0.5]);   // 127 (weight trunc(127.5))
 * ```
 */
export function evalIntrinsic(name: string, rt: Type, argTypes: readonly Type[], args: readonly Value[]): Value {
  if (!Object.hasOwn(intrinsics, name)) throw new HalideError(`The interpreter does not know the intrinsic ${name}.`);
  const impl = intrinsics[name as IntrinsicName];
  checkRepresentable(rt);
  argTypes.forEach(checkRepresentable);
  return impl(rt.elementOf(), argTypes.map((t) => t.elementOf()), args);
}

/**
 * The names of all intrinsics the interpreter defines (every member of the IR's `Intrinsic` table).
 *
 * @example
 * ```ts
 * intrinsicNames().includes("lerp"); // true
 * ```
 */
export function intrinsicNames(): IntrinsicName[] {
  return Object.keys(intrinsics) as IntrinsicName[];
}
