/**
 * Immutable expression nodes of the IR. Nodes are plain frozen-by-convention objects discriminated by `kind`;
 * the constructor functions here do no type coercion (the language layer matches types first) but do check the
 * invariants that codegen relies on.
 *
 * @module
 */
import { internalError } from "../error.ts";
import { Bool, Float, Int, roundToFloatBits, Type, UInt } from "./type.ts";
import type { FunctionDef } from "./function.ts";
import type { DimConstraint } from "./schedule.ts";
import type { ReductionDomain } from "./reduction.ts";

/** Something that provides the data of an image call: a Buffer, an ImageParam, or any named buffer argument. */
export interface BufferSource {
  readonly name: string;
  readonly type: Type;
  readonly dimensions: number;
  /**
   * For a buffer bound when the pipeline runs (an ImageParam): the constraints on its shape. Without it the
   * source is a Buffer known at compile time, with the default constraint (dimension 0 dense).
   */
  constraints?(): readonly DimConstraint[];
  /** For a buffer bound when the pipeline runs: the data bound now, if any (the interpreter reads it). */
  bound?(): BufferSource | undefined;
  /** The Func that reads of this image go through (`imageParam.in()`), if any. */
  wrapper?(): FunctionDef | undefined;
}

/**
 * A scalar parameter referenced by a {@link Variable}: a user's `Param`, or one field of a buffer argument's shape
 * (`bufferField` set: `im.dim(0).extent()` is the Variable `im.extent.0`).
 */
export interface ScalarSource {
  readonly name: string;
  readonly type: Type;
  readonly bufferField?: { readonly buffer: BufferSource; readonly field: "min" | "extent" | "stride"; readonly dim: number };
  /** A Param's allowed range (`setRange`), checked when the pipeline runs. */
  range?(): { readonly min?: Expr; readonly max?: Expr };
}

/**
 * The `Extern` calls through which lowering reads and writes a buffer argument's `halide_buffer_t` (codegen
 * implements them; the first argument is the buffer's name as a StringImm):
 * `isBoundsQuery(name)` → Bool, whether the buffer has no host memory (a bounds query);
 * `setBounds(name, min0, extent0, stride0, min1, …)` → Int(32) 0, rewrites the buffer's shape.
 */
export const BufferCall = {
  isBoundsQuery: "_halide_buffer_is_bounds_query",
  setBounds: "_halide_buffer_set_bounds",
} as const;

/** Integer constant (int or uint, any width up to 64; Bool is uint1). */
export interface IntImm {
  readonly kind: "IntImm";
  readonly type: Type;
  readonly value: bigint;
}
/** Floating-point constant, already rounded to its type. */
export interface FloatImm {
  readonly kind: "FloatImm";
  readonly type: Type;
  readonly value: number;
}
/** A string, only meaningful as an argument of `print`/`require`. */
export interface StringImm {
  readonly kind: "StringImm";
  readonly type: Type;
  readonly value: string;
}
/** Value conversion to another type of the same lane count. */
export interface Cast {
  readonly kind: "Cast";
  readonly type: Type;
  readonly value: Expr;
}
/** Bit-pattern reinterpretation to another type of the same total bit width. */
export interface Reinterpret {
  readonly kind: "Reinterpret";
  readonly type: Type;
  readonly value: Expr;
}
/** Names of the arithmetic binary nodes (operands and result share one type). */
export type ArithOp = "Add" | "Sub" | "Mul" | "Div" | "Mod" | "Min" | "Max";
/** Names of the comparison nodes (operands share a type; the result is Bool of the same lanes). */
export type CmpOp = "EQ" | "NE" | "LT" | "LE" | "GT" | "GE";
/** Arithmetic: `a op b`, Halide semantics (Euclidean division, x/0 = 0, wrapping integers). */
export interface Arith {
  readonly kind: ArithOp;
  readonly type: Type;
  readonly a: Expr;
  readonly b: Expr;
}
/** Comparison. */
export interface Cmp {
  readonly kind: CmpOp;
  readonly type: Type;
  readonly a: Expr;
  readonly b: Expr;
}
/** Logical and/or over Bools. */
export interface Logical {
  readonly kind: "And" | "Or";
  readonly type: Type;
  readonly a: Expr;
  readonly b: Expr;
}
/** Logical not. */
export interface Not {
  readonly kind: "Not";
  readonly type: Type;
  readonly a: Expr;
}
/** `cond ? trueValue : falseValue`, lane-wise. */
export interface Select {
  readonly kind: "Select";
  readonly type: Type;
  readonly cond: Expr;
  readonly trueValue: Expr;
  readonly falseValue: Expr;
}
/** A named variable: a loop variable, a let-bound name, or a scalar parameter (`param` set). */
export interface Variable {
  readonly kind: "Variable";
  readonly type: Type;
  readonly name: string;
  readonly param?: ScalarSource;
  /** For a reduction variable (an RVar): the domain it belongs to. */
  readonly rdom?: ReductionDomain;
}
/** `let name = value in body`. */
export interface Let {
  readonly kind: "Let";
  readonly type: Type;
  readonly name: string;
  readonly value: Expr;
  readonly body: Expr;
}
/** Load from a flattened (1-D) buffer named `name`, element index `index` (may be a vector). */
export interface Load {
  readonly kind: "Load";
  readonly type: Type;
  readonly name: string;
  readonly index: Expr;
  readonly predicate: Expr;
  readonly image?: BufferSource;
}
/** Vector `[base, base + stride, …]` of `lanes` lanes. */
export interface Ramp {
  readonly kind: "Ramp";
  readonly type: Type;
  readonly base: Expr;
  readonly stride: Expr;
  readonly lanes: number;
}
/** A scalar repeated across `lanes` lanes. */
export interface Broadcast {
  readonly kind: "Broadcast";
  readonly type: Type;
  readonly value: Expr;
  readonly lanes: number;
}
/** Lanes gathered from the concatenation of `vectors`. */
export interface Shuffle {
  readonly kind: "Shuffle";
  readonly type: Type;
  readonly vectors: readonly Expr[];
  readonly indices: readonly number[];
}
/** Reduction of groups of adjacent lanes. */
export interface VectorReduce {
  readonly kind: "VectorReduce";
  readonly type: Type;
  readonly op: "Add" | "Mul" | "Min" | "Max" | "And" | "Or";
  readonly value: Expr;
}
/**
 * How a {@link Call} is resolved: a call to another Func (`Halide`), a read of an input image (`Image`), a
 * built-in operation (`PureIntrinsic`, or `Intrinsic` when it has side effects or is not pure).
 */
export type CallType = "Halide" | "Image" | "Intrinsic" | "PureIntrinsic" | "Extern" | "PureExtern";
/** A call: a Func or image access, or an intrinsic (see {@link Intrinsic}). */
export interface Call {
  readonly kind: "Call";
  readonly type: Type;
  readonly name: string;
  readonly args: readonly Expr[];
  readonly callType: CallType;
  /** The callee of a `Halide` call. */
  readonly func?: FunctionDef;
  /** Which Tuple element a `Halide` call reads. */
  readonly valueIndex: number;
  /** The image of an `Image` call. */
  readonly image?: BufferSource;
}

/** The nodes with two operands `a` and `b`. */
export type Binary = Arith | Cmp | Logical;

const binaryKinds: ReadonlySet<string> = new Set([
  "Add", "Sub", "Mul", "Div", "Mod", "Min", "Max", "EQ", "NE", "LT", "LE", "GT", "GE", "And", "Or",
]);

/**
 * Whether `e` is one of the two-operand nodes (arithmetic, comparison, logical).
 *
 * @example
 * ```ts
 * if (isBinary(e)) visit(e.a), visit(e.b);
 * ```
 */
export function isBinary(e: Expr): e is Binary {
  return binaryKinds.has(e.kind);
}

/** Every expression node. */
export type Expr =
  | IntImm
  | FloatImm
  | StringImm
  | Cast
  | Reinterpret
  | Arith
  | Cmp
  | Logical
  | Not
  | Select
  | Variable
  | Let
  | Load
  | Ramp
  | Broadcast
  | Shuffle
  | VectorReduce
  | Call;

/**
 * Names of the built-in operations carried by `Call` nodes with call type `PureIntrinsic` (or `Intrinsic`
 * for the impure ones). Their semantics are defined once, in `src/interp/scalar.ts`, and codegen must agree.
 */
export const Intrinsic = {
  bitwiseAnd: "bitwise_and",
  bitwiseOr: "bitwise_or",
  bitwiseXor: "bitwise_xor",
  bitwiseNot: "bitwise_not",
  shiftLeft: "shift_left",
  shiftRight: "shift_right",
  abs: "abs",
  absd: "absd",
  popcount: "popcount",
  countLeadingZeros: "count_leading_zeros",
  countTrailingZeros: "count_trailing_zeros",
  wideningAdd: "widening_add",
  wideningSub: "widening_sub",
  wideningMul: "widening_mul",
  wideningShiftLeft: "widening_shift_left",
  wideningShiftRight: "widening_shift_right",
  widenRightAdd: "widen_right_add",
  widenRightSub: "widen_right_sub",
  widenRightMul: "widen_right_mul",
  roundingShiftLeft: "rounding_shift_left",
  roundingShiftRight: "rounding_shift_right",
  saturatingAdd: "saturating_add",
  saturatingSub: "saturating_sub",
  saturatingCast: "saturating_cast",
  halvingAdd: "halving_add",
  roundingHalvingAdd: "rounding_halving_add",
  halvingSub: "halving_sub",
  mulShiftRight: "mul_shift_right",
  roundingMulShiftRight: "rounding_mul_shift_right",
  divRoundToZero: "div_round_to_zero",
  modRoundToZero: "mod_round_to_zero",
  lerp: "lerp",
  likely: "likely",
  likelyIfInnermost: "likely_if_innermost",
  undef: "undef",
  /** `random(seed?, id)`; replaced by pure integer arithmetic when a Func is defined (`src/lang/random.ts`). */
  random: "random",
  /**
   * `print(a, b, …)`: writes the arguments (string constants verbatim, numbers formatted) separated by spaces,
   * then a newline; the value is `a`.
   */
  print: "print",
  /** `require(cond, value, msg…)`: fails the pipeline with the message arguments unless `cond`; the value is `value`. */
  require: "require",
  /** `mux(index, v0, v1, …)`: `v[index]`, or the last value when `index` is out of range (negative included). */
  mux: "mux",
  /** `if_then_else(cond, a, b)`: like select, but evaluates only the chosen operand (used by `printWhen`). */
  ifThenElse: "if_then_else",
  // Floating-point math (operands and result share one float type unless noted).
  sqrt: "sqrt",
  sin: "sin",
  cos: "cos",
  tan: "tan",
  asin: "asin",
  acos: "acos",
  atan: "atan",
  atan2: "atan2",
  sinh: "sinh",
  cosh: "cosh",
  tanh: "tanh",
  asinh: "asinh",
  acosh: "acosh",
  atanh: "atanh",
  exp: "exp",
  log: "log",
  pow: "pow",
  floor: "floor",
  ceil: "ceil",
  round: "round",
  trunc: "trunc",
  /** Bool result. */
  isNan: "is_nan",
  /** Bool result. */
  isInf: "is_inf",
  /** Bool result. */
  isFinite: "is_finite",
  fastInverse: "fast_inverse",
  fastInverseSqrt: "fast_inverse_sqrt",
} as const;
/** A member of {@link Intrinsic}. */
export type IntrinsicName = (typeof Intrinsic)[keyof typeof Intrinsic];

const impure: ReadonlySet<string> = new Set([Intrinsic.random, Intrinsic.print, Intrinsic.require, Intrinsic.undef]);

// ---------------------------------------------------------------------------------------------------------------
// Constructors. They assume matched operand types and fail loudly (internal error) otherwise.

function sameType(what: string, a: Expr, b: Expr): void {
  if (!a.type.equals(b.type)) internalError(`${what} of mismatched types ${a.type} and ${b.type}`);
}

/**
 * An integer constant of type `t` (int, uint or bool, scalar), wrapped to the type's width.
 *
 * @example
 * ```ts
 * intImm(UInt(8), 300n).value; // 44n
 * ```
 */
export function intImm(t: Type, value: bigint | number): IntImm {
  if (!t.isIntOrUInt()) internalError(`intImm of type ${t}`);
  const v = typeof value === "bigint" ? value : BigInt(value);
  const wrapped = t.isInt() ? BigInt.asIntN(t.bits, v) : BigInt.asUintN(t.bits, v);
  return { kind: "IntImm", type: t.elementOf(), value: wrapped };
}
/**
 * A float constant of type `t`, rounded to the type's precision.
 *
 * @example
 * ```ts
 * floatImm(Float(32), 0.1).value === Math.fround(0.1); // true
 * ```
 */
export function floatImm(t: Type, value: number): FloatImm {
  if (!t.isFloat()) internalError(`floatImm of type ${t}`);
  return { kind: "FloatImm", type: t.elementOf(), value: roundToFloatBits(value, t) };
}
/**
 * A constant of any numeric type, broadcast if `t` is a vector type.
 *
 * @example
 * ```ts
 * makeConst(Float(32, 4), 1); // Broadcast(1.0f, 4)
 * ```
 */
export function makeConst(t: Type, value: number | bigint): Expr {
  const scalar: Expr = t.isFloat()
    ? floatImm(t.elementOf(), Number(value))
    : intImm(t.elementOf(), typeof value === "number" ? BigInt(Math.trunc(value)) : value);
  return t.lanes === 1 ? scalar : broadcast(scalar, t.lanes);
}
/** @example `stringImm("x = ")` */
export function stringImm(value: string): StringImm {
  return { kind: "StringImm", type: new Type(3, 64, 1), value };
}
/** @example `cast(Float(32), x)` */
export function cast(t: Type, value: Expr): Expr {
  if (t.lanes !== value.type.lanes) internalError(`cast from ${value.type} to ${t} changes lanes`);
  if (t.equals(value.type)) return value;
  return { kind: "Cast", type: t, value };
}
/** @example `reinterpret(UInt(32), f)` */
export function reinterpret(t: Type, value: Expr): Expr {
  if (t.bits * t.lanes !== value.type.bits * value.type.lanes) {
    internalError(`reinterpret from ${value.type} to ${t} changes the bit width`);
  }
  if (t.equals(value.type)) return value;
  return { kind: "Reinterpret", type: t, value };
}
/** @example `arith("Add", a, b)` */
export function arith(op: ArithOp, a: Expr, b: Expr): Arith {
  sameType(op, a, b);
  return { kind: op, type: a.type, a, b };
}
/** @example `cmp("LT", a, b)` */
export function cmp(op: CmpOp, a: Expr, b: Expr): Cmp {
  sameType(op, a, b);
  return { kind: op, type: Bool(a.type.lanes), a, b };
}
/** @example `logical("And", p, q)` */
export function logical(op: "And" | "Or", a: Expr, b: Expr): Logical {
  sameType(op, a, b);
  if (!a.type.isBool()) internalError(`${op} of non-bool ${a.type}`);
  return { kind: op, type: a.type, a, b };
}
/** @example `not(p)` */
export function not(a: Expr): Not {
  if (!a.type.isBool()) internalError(`Not of non-bool ${a.type}`);
  return { kind: "Not", type: a.type, a };
}
/** @example `select(c, a, b)` */
export function select(cond: Expr, trueValue: Expr, falseValue: Expr): Select {
  sameType("Select", trueValue, falseValue);
  if (!cond.type.isBool() || (cond.type.lanes !== 1 && cond.type.lanes !== trueValue.type.lanes)) {
    internalError(`Select condition of type ${cond.type} for values of type ${trueValue.type}`);
  }
  return { kind: "Select", type: trueValue.type, cond, trueValue, falseValue };
}
/** @example `variable(Int(32), "x")` */
export function variable(t: Type, name: string, param?: ScalarSource): Variable {
  return param ? { kind: "Variable", type: t, name, param } : { kind: "Variable", type: t, name };
}
/** @example `letExpr("t", value, body)` */
export function letExpr(name: string, value: Expr, body: Expr): Let {
  return { kind: "Let", type: body.type, name, value, body };
}
/** @example `load(Float(32), "in", index, constTrue())` */
export function load(t: Type, name: string, index: Expr, predicate: Expr, image?: BufferSource): Load {
  if (index.type.lanes !== t.lanes) internalError(`load of ${t} with index of type ${index.type}`);
  const node: Load = { kind: "Load", type: t, name, index, predicate };
  return image ? { ...node, image } : node;
}
/** @example `ramp(x, intImm(Int(32), 1), 8)` */
export function ramp(base: Expr, stride: Expr, lanes: number): Ramp {
  sameType("Ramp", base, stride);
  return { kind: "Ramp", type: base.type.withLanes(base.type.lanes * lanes), base, stride, lanes };
}
/** @example `broadcast(x, 8)` */
export function broadcast(value: Expr, lanes: number): Broadcast {
  return { kind: "Broadcast", type: value.type.withLanes(value.type.lanes * lanes), value, lanes };
}
/** @example `shuffle([a, b], [0, 4, 1, 5])` */
export function shuffle(vectors: readonly Expr[], indices: readonly number[]): Expr {
  const t = vectors[0].type.withLanes(indices.length);
  if (indices.length === 1 && vectors.length === 1 && vectors[0].type.lanes === 1) return vectors[0];
  return { kind: "Shuffle", type: t, vectors, indices };
}
/** @example `vectorReduce("Add", v, 1)` */
export function vectorReduce(op: VectorReduce["op"], value: Expr, lanes: number): VectorReduce {
  return { kind: "VectorReduce", type: value.type.withLanes(lanes), op, value };
}
/**
 * A call node. For `Halide` calls pass `func` and `valueIndex`; for `Image` calls pass `image`.
 *
 * @example
 * ```ts
 * callIntrinsic(Intrinsic.popcount, UInt(8), [x]);
 * ```
 */
export function call(
  t: Type,
  name: string,
  args: readonly Expr[],
  callType: CallType,
  extra: { func?: FunctionDef; valueIndex?: number; image?: BufferSource } = {},
): Call {
  return { kind: "Call", type: t, name, args, callType, valueIndex: extra.valueIndex ?? 0, ...extra };
}
/** An intrinsic call; pure unless it is random/print/require/undef. @example `callIntrinsic("abs", UInt(8), [x])` */
export function callIntrinsic(name: IntrinsicName, t: Type, args: readonly Expr[]): Call {
  return call(t, name, args, impure.has(name) ? "Intrinsic" : "PureIntrinsic");
}
/** @example `isIntrinsic(e, Intrinsic.likely)` */
export function isIntrinsic(e: Expr, name: IntrinsicName): e is Call {
  return e.kind === "Call" && (e.callType === "PureIntrinsic" || e.callType === "Intrinsic") && e.name === name;
}

/**
 * `e` without its `likely` / `likelyIfInnermost` marks (they only tell loop partitioning where the common case is).
 *
 * @example
 * ```ts
 * stripLikely(callIntrinsic(Intrinsic.likely, Bool(), [c])); // c
 * ```
 */
export function stripLikely(e: Expr): Expr {
  return isIntrinsic(e, Intrinsic.likely) || isIntrinsic(e, Intrinsic.likelyIfInnermost) ? stripLikely(e.args[0]) : e;
}
/** Bool constant true. @example `constTrue()` */
export function constTrue(lanes = 1): Expr {
  return makeConst(Bool(lanes), 1n);
}
/** Bool constant false. @example `constFalse()` */
export function constFalse(lanes = 1): Expr {
  return makeConst(Bool(lanes), 0n);
}
/** An Int(32) constant. @example `i32Imm(0)` */
export function i32Imm(v: number): IntImm {
  return intImm(Int(32), v);
}
/** The constant integer value of `e` if it is an IntImm (or a broadcast of one). @example `asConstInt(i32Imm(3)) // 3n` */
export function asConstInt(e: Expr): bigint | undefined {
  if (e.kind === "IntImm") return e.value;
  if (e.kind === "Broadcast") return asConstInt(e.value);
  return undefined;
}
/** @example `isConst(e)` */
export function isConst(e: Expr): e is IntImm | FloatImm {
  return e.kind === "IntImm" || e.kind === "FloatImm";
}
/** Re-exported so IR users need one import. */
export { Bool, Float, Int, Type, UInt };

/**
 * `e` as `base + stride·lane` when it is a Ramp, a Broadcast (stride 0), or sums, differences and multiples by a
 * Broadcast of such (loop partitioning can leave `ramp(…) + x16(k)` behind); undefined otherwise. The base is a
 * scalar Expr, the stride a constant.
 *
 * @example
 * ```ts
 * asAffineLanes(arith("Add", ramp(x, i32Imm(1), 8), broadcast(y, 8))); // { base: x + y, stride: 1n }
 * ```
 */
export function asAffineLanes(e: Expr): { base: Expr; stride: bigint } | undefined {
  switch (e.kind) {
    case "Ramp": {
      const stride = asConstInt(e.stride);
      return stride === undefined || e.base.type.lanes !== 1 ? undefined : { base: e.base, stride };
    }
    case "Broadcast":
      return e.value.type.lanes === 1 ? { base: e.value, stride: 0n } : undefined;
    case "Add":
    case "Sub": {
      const a = asAffineLanes(e.a), b = asAffineLanes(e.b);
      if (!a || !b) return undefined;
      return { base: arith(e.kind, a.base, b.base), stride: e.kind === "Add" ? a.stride + b.stride : a.stride - b.stride };
    }
    case "Mul": {
      const a = asAffineLanes(e.a), b = asAffineLanes(e.b);
      if (!a || !b) return undefined;
      const k = b.stride === 0n ? asConstInt(b.base) : a.stride === 0n ? asConstInt(a.base) : undefined;
      if (k === undefined) return undefined;
      const [v, c] = b.stride === 0n ? [a, b] : [b, a];
      return { base: arith("Mul", v.base, c.base), stride: v.stride * k };
    }
    default:
      return undefined;
  }
}
