/**
 * The math library (API.md §6): transcendental functions, rounding, float classification, `erf`, and the fast
 * polynomial approximations. Integer (and bfloat16) arguments compute in Float(32); float64 and float16 keep
 * their type. The exact functions are `Call` intrinsics; the `fast*` ones and `erf` are built from ordinary
 * arithmetic exactly as Halide builds them (its `IROperator.cpp`).
 *
 * @module
 */
import { HalideError } from "../error.ts";
import * as ir from "../ir/expr.ts";
import { Intrinsic, type IntrinsicName } from "../ir/expr.ts";
import { exprToString } from "../ir/printer.ts";
import { Bool, Float, Int, TypeCode } from "../ir/type.ts";
import { type Expr, type ExprLike, toIR, wrap } from "./expr.ts";
import * as op from "./ir_operator.ts";

type Unary = (x: ExprLike) => Expr;

// Short names for building the polynomial approximations below (IR level, Halide's typing).
const add = (a: op.Operand, b: op.Operand) => op.arith("Add", a, b);
const sub = (a: op.Operand, b: op.Operand) => op.arith("Sub", a, b);
const mul = (a: op.Operand, b: op.Operand) => op.arith("Mul", a, b);
const f32 = (v: number): ir.Expr => ir.floatImm(Float(32), v);

/** `name(x)` computed in x's math type (float32 unless x is float64 or float16). */
function mathCall(name: IntrinsicName, x: ir.Expr): ir.Expr {
  const t = op.mathType(x.type);
  return ir.callIntrinsic(name, t, [op.cast(t, x)]);
}

/** A public unary math function from its intrinsic. */
function mathFn(name: IntrinsicName): Unary {
  return (x) => wrap(mathCall(name, toIR(x)));
}

/** Sine (radians). @example `hl.sin(x).type.toString() // "float32"` */
export const sin: Unary = mathFn(Intrinsic.sin);
/** Arcsine. @example `hl.asin(hl.f32(x).div(10))` */
export const asin: Unary = mathFn(Intrinsic.asin);
/** Cosine (radians). @example `hl.cos(hl.f64(x))` — float64 stays float64 */
export const cos: Unary = mathFn(Intrinsic.cos);
/** Arccosine. @example `hl.acos(v)` */
export const acos: Unary = mathFn(Intrinsic.acos);
/** Tangent. @example `hl.tan(v)` */
export const tan: Unary = mathFn(Intrinsic.tan);
/** Arctangent. @example `hl.atan(v)` */
export const atan: Unary = mathFn(Intrinsic.atan);
/** Hyperbolic sine. @example `hl.sinh(v)` */
export const sinh: Unary = mathFn(Intrinsic.sinh);
/** Inverse hyperbolic sine. @example `hl.asinh(v)` */
export const asinh: Unary = mathFn(Intrinsic.asinh);
/** Hyperbolic cosine. @example `hl.cosh(v)` */
export const cosh: Unary = mathFn(Intrinsic.cosh);
/** Inverse hyperbolic cosine. @example `hl.acosh(v)` */
export const acosh: Unary = mathFn(Intrinsic.acosh);
/** Hyperbolic tangent. @example `hl.tanh(v)` */
export const tanh: Unary = mathFn(Intrinsic.tanh);
/** Inverse hyperbolic tangent. @example `hl.atanh(v)` */
export const atanh: Unary = mathFn(Intrinsic.atanh);
/** Square root. @example `hl.sqrt(x).toString() // "sqrt(float32(x))"` */
export const sqrt: Unary = mathFn(Intrinsic.sqrt);
/** e to the x. @example `hl.exp(v)` */
export const exp: Unary = mathFn(Intrinsic.exp);
/** Natural logarithm. @example `hl.log(v)` */
export const log: Unary = mathFn(Intrinsic.log);
/** Round down to an integer value (result stays float). @example `hl.floor(v)` */
export const floor: Unary = mathFn(Intrinsic.floor);
/** Round up to an integer value. @example `hl.ceil(v)` */
export const ceil: Unary = mathFn(Intrinsic.ceil);
/** Round toward zero to an integer value. @example `hl.trunc(v)` */
export const trunc: Unary = mathFn(Intrinsic.trunc);

/**
 * Round to the nearest integer value, ties to even (`round(2.5)` is 2). Any float type is kept (including
 * bfloat16); other types compute in float32.
 *
 * @example
 * ```ts
 * hl.round(v);
 * ```
 */
export function round(x: ExprLike): Expr {
  const e = toIR(x);
  const t = e.type.isFloat() ? e.type : Float(32, e.type.lanes);
  return wrap(ir.callIntrinsic(Intrinsic.round, t, [op.cast(t, e)]));
}

/**
 * The fractional part `x - trunc(x)` (negative for negative x).
 *
 * @example
 * ```ts
 * hl.fract(v);
 * ```
 */
export function fract(x: ExprLike): Expr {
  const e = toIR(x);
  return wrap(sub(e, mathCall(Intrinsic.trunc, e)));
}

/**
 * The angle of the point (x, y), in (-π, π]; computed in y's math type.
 *
 * @example
 * ```ts
 * hl.atan2(dy, dx);
 * ```
 */
export function atan2(y: ExprLike, x: ExprLike): Expr {
  const [ey, ex] = op.matchLanes(toIR(y), toIR(x));
  const t = op.mathType(ey.type);
  return wrap(ir.callIntrinsic(Intrinsic.atan2, t, [op.cast(t, ey), op.cast(t, ex)]));
}

/**
 * `sqrt(x*x + y*y)`.
 *
 * @example
 * ```ts
 * hl.hypot(dx, dy);
 * ```
 */
export function hypot(x: ExprLike, y: ExprLike): Expr {
  const ex = toIR(x), ey = toIR(y);
  return wrap(mathCall(Intrinsic.sqrt, add(mul(ex, ex), mul(ey, ey))));
}

/** A float classification (is NaN / infinite / finite): Bool result; only float arguments are allowed. */
function classify(name: IntrinsicName, api: string): Unary {
  return (x) => {
    const e = toIR(x);
    if (!e.type.isFloat()) {
      throw new HalideError(`${api} only works for float, but ${exprToString(e)} has type ${e.type}.`);
    }
    const ft = op.mathType(e.type);
    return wrap(ir.callIntrinsic(name, Bool(e.type.lanes), [op.cast(ft, e)]));
  };
}
/** Whether a float is NaN. @example `hl.isNan(v)` */
export const isNan: Unary = classify(Intrinsic.isNan, "isNan");
/** Whether a float is ±infinity. @example `hl.isInf(v)` */
export const isInf: Unary = classify(Intrinsic.isInf, "isInf");
/** Whether a float is neither NaN nor infinite. @example `hl.isFinite(v)` */
export const isFinite: Unary = classify(Intrinsic.isFinite, "isFinite");

// ---------------------------------------------------------------------------------------------------------------
// Fast approximations and erf, built from arithmetic (Halide's polynomials, coefficients and range reductions)

function requireFloat32(e: ir.Expr, api: string): void {
  if (!e.type.elementOf().equals(Float(32))) {
    throw new HalideError(`${api} only works for Float(32), but ${exprToString(e)} has type ${e.type}.`);
  }
}

/**
 * Evaluates the polynomial with coefficients `coeff` (highest order first) at x, splitting even and odd terms
 * to shorten the dependency chain.
 */
function evaluatePolynomial(x: ir.Expr, coeff: readonly number[]): ir.Expr {
  const x2 = mul(x, x);
  let even: ir.Expr = f32(coeff[0]);
  let odd: ir.Expr = f32(coeff[1]);
  for (let i = 2; i < coeff.length; i++) {
    const step = (terms: ir.Expr) => (coeff[i] === 0 ? mul(terms, x2) : add(mul(terms, x2), f32(coeff[i])));
    if (i % 2 === 0) even = step(even);
    else odd = step(odd);
  }
  return coeff.length % 2 === 0 ? add(mul(even, x), odd) : add(mul(odd, x), even);
}

/** Splits a float32 into `2^exponent * reduced` with `reduced` in [0.75, 1.5). */
function rangeReduceLog(input: ir.Expr): { reduced: ir.Expr; exponent: ir.Expr } {
  const intType = Int(32, input.type.lanes);
  const bits = ir.reinterpret(intType, input);
  const nonExponentMask = ir.makeConst(intType, 0x807fffff);
  const noExponent = op.bitwise("and", bits, nonExponentMask);
  // If the mantissa's top bit is set (value > 1.5) halve it, to land in (0.75, 1.5).
  const newExponent = op.shift("right", noExponent, 22);
  const newBiasedExponent = sub(127, newExponent);
  const oldBiasedExponent = op.shift("right", bits, 23);
  const exponent = sub(oldBiasedExponent, newBiasedExponent);
  const blended = op.bitwise("or", noExponent, op.shift("left", newBiasedExponent, 23));
  return { reduced: ir.reinterpret(input.type, blended), exponent };
}

const LN2_F32 = Math.fround(Math.LN2);

function fastLogIR(x: ir.Expr): ir.Expr {
  requireFloat32(x, "fastLog");
  const { reduced, exponent } = rangeReduceLog(x);
  const x1 = sub(reduced, 1);
  const coeff = [
    0.07640318789187280912,
    -0.16252961013874300811,
    0.20625219040645212387,
    -0.25110261010892864775,
    0.33320464908377461777,
    -0.49997513376789826101,
    1.0,
    0.0,
  ];
  const result = evaluatePolynomial(x1, coeff);
  return add(result, mul(op.cast(x.type, exponent), f32(LN2_F32)));
}

function fastExpIR(x: ir.Expr): ir.Expr {
  requireFloat32(x, "fastExp");
  const scaled = op.arith("Div", x, f32(LN2_F32));
  const kReal = mathCall(Intrinsic.floor, scaled);
  const k = op.cast(Int(32, x.type.lanes), kReal);
  const reduced = sub(x, mul(kReal, f32(LN2_F32)));
  const coeff = [
    0.01314350012789660196,
    0.03668965196652099192,
    0.16873890085469545053,
    0.49970514590562437052,
    1.0,
    1.0,
  ];
  const result = evaluatePolynomial(reduced, coeff);
  // 2^k, built by placing the biased exponent in the exponent field.
  const biased = op.clamp(add(k, 127), 0, 255);
  const twoToTheK = ir.reinterpret(x.type, op.shift("left", biased, 23));
  return mul(result, twoToTheK);
}

const SIN_COEFF = [
  -0.16666667163372039794921875,
  8.333347737789154052734375e-3,
  -1.9842604524455964565277099609375e-4,
  2.760012648650445044040679931640625e-6,
  -2.50293279435709337121807038784027099609375e-8,
];
const COS_COEFF = [
  -0.5,
  4.166664183139801025390625e-2,
  -1.388833043165504932403564453125e-3,
  2.47562347794882953166961669921875e-5,
  -2.59630184018533327616751194000244140625e-7,
];

/** Vectorizable sine/cosine (from syrah): reduce modulo π/2, then a degree-10 polynomial for sin or cos. */
function fastSinCosIR(xFull: ir.Expr, isSin: boolean): ir.Expr {
  const twoOverPi = 0.636619746685028076171875;
  const piOverTwo = 1.57079637050628662109375;
  const scaled = mul(xFull, twoOverPi);
  const kReal = mathCall(Intrinsic.floor, scaled);
  const k = op.cast(Int(32, kReal.type.lanes), kReal);
  const kMod4 = op.arith("Mod", k, 4);
  const is = (v: number) => op.compare("EQ", kMod4, v);
  const useCos = isSin ? op.logical("Or", is(1), is(3)) : op.logical("Or", is(0), is(2));
  const flipSign = isSin ? op.compare("GT", kMod4, 1) : op.logical("Or", is(1), is(2));
  const x = sub(xFull, mul(kReal, piOverTwo));
  const outside = op.select(useCos, 1, x);
  const [c2, c4, c6, c8, c10] = SIN_COEFF.map((s, i) => op.select(useCos, COS_COEFF[i], s));
  const x2 = mul(x, x);
  const poly = add(mul(x2, add(mul(x2, add(mul(x2, add(mul(x2, add(mul(x2, c10), c8)), c6)), c4)), c2)), 1);
  const triFunc = mul(outside, poly);
  return op.select(flipSign, op.negate(triFunc), triFunc);
}

/**
 * Fast sine, accurate to about 1e-5 in float32 (no special handling of huge arguments).
 *
 * @example
 * ```ts
 * hl.fastSin(hl.f32(x).mul(0.1));
 * ```
 */
export function fastSin(x: ExprLike): Expr {
  return wrap(fastSinCosIR(toIR(x), true));
}
/**
 * Fast cosine; see {@link fastSin}.
 *
 * @example
 * ```ts
 * hl.fastCos(angle);
 * ```
 */
export function fastCos(x: ExprLike): Expr {
  return wrap(fastSinCosIR(toIR(x), false));
}
/**
 * Fast natural logarithm of a Float(32) (no NaN/inf handling).
 *
 * @example
 * ```ts
 * hl.fastLog(v);
 * ```
 */
export function fastLog(x: ExprLike): Expr {
  return wrap(fastLogIR(toIR(x)));
}
/**
 * Fast e^x of a Float(32) (results flush to 0 / saturate at the extremes).
 *
 * @example
 * ```ts
 * hl.fastExp(v);
 * ```
 */
export function fastExp(x: ExprLike): Expr {
  return wrap(fastExpIR(toIR(x)));
}

/**
 * Fast `x^y` as `exp(log(x) * y)` in float32 (0 for x = 0); a constant integer exponent multiplies instead.
 *
 * @example
 * ```ts
 * hl.fastPow(v, 2.2);
 * ```
 */
export function fastPow(x: ExprLike, y: ExprLike): Expr {
  const ey = toIR(y);
  const p = op.constSignedInt(ey);
  if (p !== undefined) return wrap(op.pow(toIR(x), ey));
  const [bx, by] = op.matchLanes(toIR(x), ey);
  const t = Float(32, bx.type.lanes);
  const fx = op.cast(t, bx), fy = op.cast(t, by);
  return wrap(op.select(op.compare("EQ", fx, 0), 0, fastExpIR(mul(fastLogIR(fx), fy))));
}

/** A fast reciprocal intrinsic (float16 or float32 only). */
function fastReciprocal(name: IntrinsicName, api: string): Unary {
  return (x) => {
    const e = toIR(x);
    const elem = e.type.elementOf();
    if (elem.code !== TypeCode.Float || (elem.bits !== 32 && elem.bits !== 16)) {
      throw new HalideError(
        `${api} only takes float16 or float32 arguments, but ${exprToString(e)} has type ${e.type}.`,
      );
    }
    return wrap(ir.callIntrinsic(name, e.type, [e]));
  };
}
/** Fast approximate `1/x` for float32/float16. @example `hl.fastInverse(v)` */
export const fastInverse: Unary = fastReciprocal(Intrinsic.fastInverse, "fastInverse");
/** Fast approximate `1/sqrt(x)` for float32/float16. @example `hl.fastInverseSqrt(v)` */
export const fastInverseSqrt: Unary = fastReciprocal(Intrinsic.fastInverseSqrt, "fastInverseSqrt");

/**
 * The error function of a Float(32), by Halide's two polynomial approximations (max error about 1e-6).
 *
 * @example
 * ```ts
 * hl.erf(v);
 * ```
 */
export function erf(x: ExprLike): Expr {
  const e = toIR(x);
  if (!e.type.equals(Float(32))) {
    throw new HalideError(`erf only takes float32 arguments, but ${exprToString(e)} has type ${e.type}.`);
  }
  const sign = op.select(op.compare("LT", e, 0), f32(-1), f32(1));
  const a = op.abs(e);
  // For |x| > 1: 1 - P(x)^-16, a form tuned from Abramowitz and Stegun.
  const c1 = [0.0000818502, -0.00000265, 0.0009353904, 0.0081960206, 0.0430054424, 0.0703310579, 1.0];
  // Clamped at 4 (where erf is 1 in float32) so the polynomial cannot overflow to inf - inf for huge |x|.
  const approx1 = sub(1, op.pow(evaluatePolynomial(op.arith("Min", a, f32(4)), c1), -16));
  // For |x| <= 1: an odd polynomial close to erf's Taylor series.
  const c2 = [-0.0005553339, 0.0048937243, -0.0266849239, 0.1127890132, -0.376120724, 1.1283789803];
  const approx2 = mul(evaluatePolynomial(mul(a, a), c2), a);
  return wrap(mul(sign, op.select(op.compare("GT", a, 1), approx1, approx2)));
}
