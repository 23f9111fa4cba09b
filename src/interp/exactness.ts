/**
 * How closely compiled code must reproduce the interpreter, per operation: the "exactness rules stated per
 * function" that the property tests apply.
 *
 * - Integer and Bool results must always be bit-identical — on the inputs where the operation is *defined*.
 * - Float results must be within `ulps` units in the last place of the result type, or within `relative`
 *   (a fraction of the interpreter's value) for approximations. `ulps: 0` means bit-identical, with +0 equal to
 *   −0 and any NaN equal to any NaN.
 * - `defined(args, argTypes, resultType)` is false where Halide leaves the result undefined (LLVM poison, a trap,
 *   an approximation's "nonsense" range). The interpreter still returns its documented convention there
 *   (scalar.ts), but a test must not compare those inputs.
 *
 * These are per-operation rules for IEEE-conforming code. If codegen enables fast-math contraction or
 * reassociation (Halide does by default), `a*b + c` may become a fused multiply-add and sums may be regrouped, so
 * whole-pipeline float comparisons need a tolerance on top of these.
 *
 * @module
 */
import type { ArithOp, CmpOp, IntrinsicName } from "../ir/expr.ts";
import { Int, type Type } from "../ir/type.ts";
import type { Value } from "./scalar.ts";

/**
 * The exactness rule of one operation.
 *
 * @example
 * ```ts
 * const rule: Exactness = { ulps: 4, note: "libm-quality sin" };
 * ```
 */
export interface Exactness {
  /** Allowed difference of float results, in units in the last place of the result type (0: bit-exact). */
  readonly ulps: number;
  /** Additionally allowed relative difference of float results, for approximations. */
  readonly relative?: number;
  /** Whether native code must agree on these scalar inputs; absent means "everywhere". */
  readonly defined?: (args: readonly Value[], argTypes: readonly Type[], resultType: Type) => boolean;
  /** Why the rule is what it is. */
  readonly note: string;
}

/**
 * The name of an operation with a rule: an IR node kind or an intrinsic name.
 *
 * @example
 * ```ts
 * const op: OperationName = "rounding_shift_right";
 * ```
 */
export type OperationName =
  | "Cast"
  | "Reinterpret"
  | ArithOp
  | CmpOp
  | "And"
  | "Or"
  | "Not"
  | "Select"
  | "Ramp"
  | "Broadcast"
  | "Shuffle"
  | "VectorReduce"
  | IntrinsicName;

const asNumber = (v: Value): number => (typeof v === "boolean" ? (v ? 1 : 0) : Number(v));
const asBig = (v: Value): bigint => (typeof v === "bigint" ? v : BigInt(asNumber(v)));

/** A shift amount `b` of an operation on `bits`-bit values is defined when |b| < bits. */
const shiftInRange = (b: Value, bits: number): boolean => Math.abs(asNumber(b)) < bits;

const exact = (note: string): Exactness => ({ ulps: 0, note });
const ieee = exact("IEEE operation, correctly rounded in the result type (float16/bfloat16 via float32 agree).");
const integer = exact("Exact integer arithmetic, wrapped to the result type.");

/**
 * Float → integer conversion is defined when the truncated value fits the target — for targets narrower than
 * 32 bits, when it fits int32 (code generation converts through int32, then wraps). Never for NaN.
 */
function floatToIntDefined(args: readonly Value[], argTypes: readonly Type[], rt: Type): boolean {
  if (!argTypes[0].isFloat() || rt.isFloat()) return true;
  const x = Math.trunc(asNumber(args[0]));
  const range = rt.bits < 32 ? Int(32) : rt;
  return Number.isFinite(x) && BigInt(x) >= range.minInt() && BigInt(x) <= range.maxInt();
}

const transcendental: Exactness = {
  ulps: 4,
  note: "Computed in double and rounded; native code uses libm or Halide-style polynomials (float32: within a " +
    "few ulps). float16 is computed in float32 and rounded, within 1 ulp.",
};
const roundingShift = (what: string): Exactness => ({
  ulps: 0,
  defined: (args, argTypes) => shiftInRange(args[1], argTypes[0].bits),
  note: `${what}; amounts of the type's width or more are poison in Halide's lowering.`,
});
const plainShift = (what: string): Exactness => ({
  ulps: 0,
  defined: (args, _argTypes, rt) => shiftInRange(args[1], rt.bits),
  note: `${what}; a negative signed amount shifts the other way; |amount| >= width is poison in LLVM.`,
});
const roundToZero = (what: string): Exactness => ({
  ulps: 0,
  defined: (args, argTypes) => {
    const a = asBig(args[0]), b = asBig(args[1]), t = argTypes[0];
    return b !== 0n && !(t.isInt() && b === -1n && a === t.minInt());
  },
  note: `${what}; x/0 and INT_MIN/-1 trap natively (the interpreter gives 0 and wraps).`,
});
const fastApprox = (what: string): Exactness => ({
  ulps: 0,
  relative: 2 ** -10,
  note: `${what} (x86 ${what === "1/x" ? "rcpps" : "rsqrtps"}: relative error <= 1.5*2^-12; Halide's ` +
    "test/correctness/inverse.cpp accepts 13 wrong mantissa bits, i.e. about 2^-10).",
});

/**
 * The exactness rule of every operation the interpreter evaluates.
 *
 * @example
 * ```ts
 * exactness.sin.ulps;                                                   // 4
 * exactness.shift_left.defined?.([1, 40], [Int(32), Int(32)], Int(32)); // false
 * ```
 */
export const exactness: Readonly<Record<OperationName, Exactness>> = {
  Cast: {
    ulps: 0,
    defined: floatToIntDefined,
    note: "Conversions round once to nearest-even (int32/int64 → bfloat16 too: Halide's emulation rounds through " +
      "float32, native code must not); float → int truncates, and is defined only when the truncated value fits " +
      "(LLVM fptosi/fptoui are poison otherwise).",
  },
  Reinterpret: exact("Bit patterns; NaN payloads are not represented (compare NaN to NaN)."),
  Add: ieee,
  Sub: ieee,
  Mul: ieee,
  Div: exact("Integers: Euclidean, x/0 = 0, INT_MIN/-1 wraps (Halide defines all of these). Floats: IEEE."),
  Mod: exact("Integers: Euclidean, x%0 = 0. Floats: a - b*floor(a/b), each step rounded in the arithmetic type."),
  Min: exact("a < b ? a : b; with a NaN operand the result is the second operand."),
  Max: exact("a > b ? a : b; with a NaN operand the result is the second operand."),
  EQ: exact("IEEE ordered comparison."),
  NE: exact("!(a == b): true when either operand is NaN."),
  LT: exact("IEEE ordered comparison."),
  LE: exact("IEEE ordered comparison."),
  GT: exact("IEEE ordered comparison."),
  GE: exact("IEEE ordered comparison."),
  And: exact("Logical."),
  Or: exact("Logical."),
  Not: exact("Logical."),
  Select: exact("Lane-wise choice."),
  Ramp: exact("base + i*stride in the element type."),
  Broadcast: exact("Repetition."),
  Shuffle: exact("Lane selection."),
  VectorReduce: exact(
    "Sequential reduction of adjacent lanes; exact for integers, and for floats only if native code reduces in " +
      "the same order (Add/Mul) — otherwise use a whole-pipeline tolerance.",
  ),
  bitwise_and: integer,
  bitwise_or: integer,
  bitwise_xor: integer,
  bitwise_not: integer,
  shift_left: plainShift("a * 2^b wrapped"),
  shift_right: plainShift("floor(a / 2^b)"),
  abs: exact("|a|; integers give the unsigned type of the same width (no overflow)."),
  absd: exact("|a - b| without overflow; integers give the unsigned type of the same width."),
  popcount: integer,
  count_leading_zeros: exact("Bit count; the type's width for 0."),
  count_trailing_zeros: exact("Bit count; the type's width for 0."),
  widening_add: integer,
  widening_sub: integer,
  widening_mul: integer,
  widening_shift_left: plainShift("widen(a) * 2^b"),
  widening_shift_right: plainShift("floor(widen(a) / 2^b)"),
  widen_right_add: integer,
  widen_right_sub: integer,
  widen_right_mul: integer,
  rounding_shift_left: roundingShift("rounding_shift_right(a, -b)"),
  rounding_shift_right: roundingShift("floor((a + 2^(b-1)) / 2^b) for b > 0, a << -b (wrapping) otherwise"),
  saturating_add: exact("Clamp of the exact sum; floats: IEEE addition."),
  saturating_sub: exact("Clamp of the exact difference; floats: IEEE subtraction."),
  saturating_cast: {
    ulps: 0,
    defined: (args, argTypes, rt) => !(argTypes[0].isFloat() && !rt.isFloat() && Number.isNaN(asNumber(args[0]))),
    note: "Clamp to the target range (float → int truncates first; NaN is undefined: Halide's lowering gives the " +
      "type's min or max, the interpreter and llvm.fptosi.sat give 0).",
  },
  halving_add: exact("floor((a + b) / 2), exact."),
  rounding_halving_add: exact("floor((a + b + 1) / 2), exact."),
  halving_sub: exact("floor((a - b) / 2), wrapped (unsigned a < b wraps)."),
  mul_shift_right: {
    ulps: 0,
    defined: (args, argTypes) => asNumber(args[2]) < 2 * argTypes[0].bits,
    note: "Saturated floor(a*b / 2^q); q >= twice the width is poison in the widened shift.",
  },
  rounding_mul_shift_right: {
    ulps: 0,
    defined: (args, argTypes) => asNumber(args[2]) < 2 * argTypes[0].bits,
    note: "Saturated floor((a*b + 2^(q-1)) / 2^q); q >= twice the width is poison in the widened shift.",
  },
  div_round_to_zero: roundToZero("Truncating division"),
  mod_round_to_zero: roundToZero("Remainder with the sign of a"),
  lerp: {
    ulps: 0,
    defined: (args, argTypes, rt) => {
      if (rt.isFloat() || !argTypes[2].isFloat()) return true;
      const w = asNumber(args[2]);
      return w >= 0 && w <= 1;
    },
    note: "Halide's lower_lerp (x86 rounding division); a float weight with integer values must be in [0, 1].",
  },
  likely: exact("Identity."),
  likely_if_innermost: exact("Identity."),
  undef: exact("Not evaluable."),
  random: exact("Not evaluable (replaced before evaluation)."),
  print: exact("Not evaluable."),
  require: exact("Not evaluable."),
  mux: exact("The value at the index clamped to [0, n-1]."),
  if_then_else: exact("Lane-wise choice."),
  sqrt: { ulps: 0, note: "IEEE square root (correctly rounded)." },
  sin: transcendental,
  cos: transcendental,
  tan: transcendental,
  asin: transcendental,
  acos: transcendental,
  atan: transcendental,
  atan2: transcendental,
  sinh: transcendental,
  cosh: transcendental,
  tanh: transcendental,
  asinh: transcendental,
  acosh: transcendental,
  atanh: transcendental,
  exp: transcendental,
  log: transcendental,
  pow: {
    ulps: 8,
    note: "C pow semantics; Halide's float32 pow is accurate to 'the last few bits' and worse near overflow.",
  },
  floor: exact("Exact."),
  ceil: exact("Exact."),
  round: exact("Exact: to nearest integer, ties to even."),
  trunc: exact("Exact."),
  is_nan: exact("Exact."),
  is_inf: exact("Exact."),
  is_finite: exact("Exact."),
  fast_inverse: fastApprox("1/x"),
  fast_inverse_sqrt: fastApprox("1/sqrt(x)"),
};

/** The spacing of the float type `t` at the magnitude of `x` (one ulp). */
function ulp(t: Type, x: number): number {
  const [mant, minExp] = t.isBFloat()
    ? [8, -126]
    : t.bits === 16
    ? [11, -14]
    : t.bits === 32
    ? [24, -126]
    : [53, -1022];
  const a = Math.abs(x);
  let e = a === 0 ? minExp : Math.floor(Math.log2(a));
  if (a !== 0 && 2 ** e > a) e--;
  return 2 ** (Math.max(e, minExp) - (mant - 1));
}

/**
 * Whether a natively computed value `actual` agrees with the interpreter's `expected` for a result of scalar
 * type `t` under `rule`. Integers and Bools must be equal; floats follow the rule's ulps / relative tolerance.
 *
 * @example
 * ```ts
 * withinTolerance(1, 1 + 2 ** -23, Float(32), exactness.sin);  // true (1 ulp)
 * withinTolerance(3, 4, Int(32), exactness.Add);                // false
 * ```
 */
export function withinTolerance(expected: Value, actual: Value, t: Type, rule: Exactness): boolean {
  if (!t.isFloat()) return expected === actual;
  const e = Number(expected), a = Number(actual);
  if (Number.isNaN(e) || Number.isNaN(a)) return Number.isNaN(e) && Number.isNaN(a);
  if (e === a) return true;
  if (!Number.isFinite(e) || !Number.isFinite(a)) return false;
  const diff = Math.abs(e - a);
  return diff <= rule.ulps * ulp(t, e) || (rule.relative !== undefined && diff <= rule.relative * Math.abs(e));
}
