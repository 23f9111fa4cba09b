/**
 * Typed construction of IR with Halide's coercion rules — the TypeScript counterpart of Halide's
 * `IROperator.cpp`. Everything here works on raw IR nodes (`ir.Expr`) and on JavaScript literals
 * (`number | bigint | boolean`); the public classes in `expr.ts` and the free functions in `operators.ts` and
 * `math.ts` are thin wrappers over it.
 *
 * The rules, in one place:
 * - **A literal alone** ({@link literal}): a `boolean` is Bool; a `bigint` is Int(64); an integral `number` is
 *   Int(32), or Int(64) outside the int32 range; any other `number` is Float(32).
 * - **A literal paired with an Expr** ({@link pair}): an integral `number` in the int32 range takes the Expr's
 *   type and must be exactly representable in it ({@link checkRepresentable}); a non-integral `number` takes the
 *   type of a float Expr; anything else becomes a literal alone and the two are then matched.
 * - **Two Exprs of different types** ({@link matchTypes}): a scalar is broadcast to a vector; int with float
 *   becomes the float; two floats become the wider; two unsigned become the wider unsigned; otherwise both become
 *   a signed int of the wider width.
 *
 * @module
 */
import { HalideError } from "../error.ts";
import * as ir from "../ir/expr.ts";
import { Intrinsic, type IntrinsicName } from "../ir/expr.ts";
import { exprToString } from "../ir/printer.ts";
import { Bool, Float, Int, type Type, TypeCode } from "../ir/type.ts";
import { castValue, type Value } from "../interp/scalar.ts";
import { exactness } from "../interp/exactness.ts";

/** A JavaScript value usable where an Expr is expected. @example `const l: Literal = 0.5;` */
export type Literal = number | bigint | boolean;
/** An IR expression or a JavaScript literal not yet given a type. @example `const o: Operand = literal(1);` */
export type Operand = ir.Expr | Literal;

const show = exprToString;

/** Whether `x` is a JavaScript literal rather than an IR node. @example `isLiteral(3) // true` */
export function isLiteral(x: Operand): x is Literal {
  return typeof x === "number" || typeof x === "bigint" || typeof x === "boolean";
}

/** Halide's `is_uint()`: unsigned integer code, *including* Bool (unlike `Type.isUInt`). */
function isUIntCode(t: Type): boolean {
  return t.code === TypeCode.UInt;
}

/** Halide's `with_code(UInt)` for ints: the unsigned type of the same width. */
function unsignedOf(t: Type): Type {
  return t.isInt() ? t.withCode(TypeCode.UInt) : t;
}

// ---------------------------------------------------------------------------------------------------------------
// Literals

/**
 * The IR constant for a JavaScript literal standing alone: Bool for `boolean`, Int(64) for `bigint`, Int(32) for
 * an integral `number` in range (Int(64) outside it), Float(32) otherwise.
 *
 * @example
 * ```ts
 * literal(3).type.toString();          // "int32"
 * literal(2 ** 31).type.toString();    // "int64"
 * literal(0.5).type.toString();        // "float32"
 * ```
 */
export function literal(v: Literal): ir.Expr {
  if (typeof v === "boolean") return ir.makeConst(Bool(), v ? 1n : 0n);
  if (typeof v === "bigint") {
    if (!Int(64).canRepresent(v)) {
      throw new HalideError(`Integer constant ${v} does not fit in int64. Use an explicit cast to a wider type.`);
    }
    return ir.intImm(Int(64), v);
  }
  if (Number.isInteger(v)) {
    if (Int(32).canRepresent(v)) return ir.intImm(Int(32), v);
    if (Int(64).canRepresent(v)) return ir.intImm(Int(64), v);
  }
  return ir.floatImm(Float(32), v);
}

/** An operand as IR: literals alone get their own type ({@link literal}). @example `asIR(1).type // Int(32)` */
export function asIR(x: Operand): ir.Expr {
  return isLiteral(x) ? literal(x) : x;
}

/**
 * Throws Halide's error when the integer `v` is not exactly representable in `t`.
 *
 * @example
 * ```ts
 * checkRepresentable(UInt(8), 300);
 * // HalideError: Integer constant 300 will be implicitly coerced to type uint8, which changes its value to (uint8)44.
 * ```
 */
export function checkRepresentable(t: Type, v: number | bigint): void {
  if (t.canRepresent(v)) return;
  if (t.isHandle()) {
    throw new HalideError(
      `Integer constant ${v} will be implicitly coerced to type ${t}, but Halide does not support pointer arithmetic.`,
    );
  }
  throw new HalideError(
    `Integer constant ${v} will be implicitly coerced to type ${t}, which changes its value to ` +
      `${show(ir.makeConst(t.elementOf(), v))}.`,
  );
}

/**
 * A literal combined with an Expr of type `t` (see the module rules): an int32-range integer takes type `t`
 * (checked), a non-integral number takes a float `t`, anything else stands alone.
 *
 * @example
 * ```ts
 * literalLike(2, UInt(16)).type.toString();   // "uint16"
 * literalLike(0.1, Float(64)).type.toString(); // "float64"
 * ```
 */
export function literalLike(v: Literal, t: Type): ir.Expr {
  if (typeof v === "number") {
    if (Number.isInteger(v) && Int(32).canRepresent(v)) {
      checkRepresentable(t, v);
      return ir.makeConst(t, v);
    }
    if (t.isFloat()) return ir.makeConst(t, v);
  }
  return literal(v);
}

/**
 * Converts the two operands of a binary operation to IR, giving a literal the type of the other operand when
 * that is an Expr. The results may still differ in type; see {@link matchTypes}.
 *
 * @example
 * ```ts
 * const [a, b] = pair(u16Expr, 2); // b is a uint16 constant
 * ```
 */
export function pair(a: Operand, b: Operand): [ir.Expr, ir.Expr] {
  if (isLiteral(a) && !isLiteral(b)) return [literalLike(a, b.type), b];
  if (!isLiteral(a) && isLiteral(b)) return [a, literalLike(b, a.type)];
  return [asIR(a), asIR(b)];
}

/** Scalar constant behind `e` (itself or a broadcast of one), if any. */
function scalarConst(e: ir.Expr): ir.IntImm | ir.FloatImm | undefined {
  if (e.kind === "IntImm" || e.kind === "FloatImm") return e;
  if (e.kind === "Broadcast") return scalarConst(e.value);
  return undefined;
}

/**
 * The value of a *signed* integer constant (Halide's `as_const_int`: an Int IntImm or a broadcast of one).
 *
 * @example
 * ```ts
 * constSignedInt(literal(3)); // 3n
 * ```
 */
export function constSignedInt(e: ir.Expr): bigint | undefined {
  const c = scalarConst(e);
  return c && c.kind === "IntImm" && c.type.isInt() ? c.value : undefined;
}

/** The value of a float constant (or a broadcast of one), if `e` is one. @example `constFloat(literal(0.5)) // 0.5` */
export function constFloat(e: ir.Expr): number | undefined {
  const c = scalarConst(e);
  return c && c.kind === "FloatImm" ? c.value : undefined;
}

// ---------------------------------------------------------------------------------------------------------------
// Type matching and casts

/**
 * Broadcasts a scalar to the lanes of a vector so both have the same lane count.
 *
 * @example
 * ```ts
 * const [a, b] = matchLanes(vec8, scalar); // b is now x8(scalar)
 * ```
 */
export function matchLanes(a: ir.Expr, b: ir.Expr): [ir.Expr, ir.Expr] {
  if (a.type.lanes === b.type.lanes) return [a, b];
  if (a.type.isScalar()) return [ir.broadcast(a, b.type.lanes), b];
  if (b.type.isScalar()) return [a, ir.broadcast(b, a.type.lanes)];
  throw new HalideError(
    `Can't match types of differing widths: ${show(a)} has type ${a.type}, ${show(b)} has type ${b.type}.`,
  );
}

/** Widens the narrower operand to the bit width of the wider, keeping each one's signedness. */
function matchBits(a: ir.Expr, b: ir.Expr): [ir.Expr, ir.Expr] {
  // A bfloat has no wider counterpart, so widening one gives a regular float (as Type.widen does).
  const widened = (t: Type, bits: number) => (t.isBFloat() ? t.withCode(TypeCode.Float) : t).withBits(bits);
  if (a.type.bits < b.type.bits) return [cast(widened(a.type, b.type.bits), a), b];
  if (b.type.bits < a.type.bits) return [a, cast(widened(b.type, a.type.bits), b)];
  return [a, b];
}

/**
 * Halide's `match_types`: coerces two Exprs to one type for arithmetic or comparison.
 * int·float → float; float·float → the wider float; uint·uint → the wider uint; otherwise → int of the wider width.
 *
 * @example
 * ```ts
 * const [a, b] = matchTypes(u8Expr, i16Expr); // both int16
 * ```
 */
export function matchTypes(a: ir.Expr, b: ir.Expr): [ir.Expr, ir.Expr] {
  if (a.type.equals(b.type)) return [a, b];
  if (a.type.isHandle() || b.type.isHandle()) {
    throw new HalideError(`Can't do arithmetic on opaque pointer types: ${show(a)}, ${show(b)}`);
  }
  [a, b] = matchLanes(a, b);
  const ta = a.type, tb = b.type;
  if (ta.equals(tb)) return [a, b];
  if (!ta.isFloat() && tb.isFloat()) return [cast(tb, a), b];
  if (ta.isFloat() && !tb.isFloat()) return [a, cast(ta, b)];
  if ((ta.isFloat() && tb.isFloat()) || (isUIntCode(ta) && isUIntCode(tb))) {
    return ta.bits > tb.bits ? [a, cast(ta, b)] : [cast(tb, a), b];
  }
  const t = Int(Math.max(ta.bits, tb.bits), ta.lanes);
  return [cast(t, a), cast(t, b)];
}

/**
 * Folds the conversion of a scalar constant to the scalar type `t` with the run-time semantics (the one
 * definition in src/interp/scalar.ts: integers wrap, a cast to Bool keeps the low bit, conversions round once),
 * or undefined where the run-time result is not defined (float → int out of range), which is left to run time.
 */
function foldCast(t: Type, c: ir.IntImm | ir.FloatImm): ir.Expr | undefined {
  const from = c.type;
  const v: Value = from.isFloat() ? (c.value as number) : from.isBool() ? c.value !== 0n : from.bits > 32 ? c.value as bigint : Number(c.value);
  if (!exactness.Cast.defined!([v], [from], t)) return undefined;
  return constOfValue(t, castValue(t, from, v));
}

/**
 * The IR constant of scalar type `t` holding `v` (a canonical interpreter value of that type).
 *
 * @example
 * ```ts
 * constOfValue(Bool(), true); // true
 * ```
 */
export function constOfValue(t: Type, v: Value): ir.Expr {
  if (t.isFloat()) return ir.floatImm(t, v as number);
  return ir.intImm(t, typeof v === "boolean" ? (v ? 1n : 0n) : BigInt(v));
}

/**
 * Halide's `cast`: converts `e` to type `t`, folding constants and broadcasting a scalar to a vector type.
 * Handles only convert to and from handles by `reinterpret`.
 *
 * @example
 * ```ts
 * show(cast(UInt(8), literal(300))); // "(uint8)44"
 * ```
 */
export function cast(t: Type, e: ir.Expr): ir.Expr {
  if (e.type.equals(t)) return e;
  if (t.isHandle() && !e.type.isHandle()) {
    throw new HalideError(
      `Can't cast "${show(e)}" to a handle. The only legal cast from scalar types to a handle is: ` +
        `reinterpret(Handle(), cast(UInt(64), ${show(e)}))`,
    );
  }
  if (e.type.isHandle() && !t.isHandle()) {
    throw new HalideError(
      `Can't cast handle "${show(e)}" to type ${t}. The only legal cast from handles to scalar types is: ` +
        `reinterpret(UInt(64), ${show(e)})`,
    );
  }
  const c = scalarConst(e);
  if (c && (e.type.isScalar() || e.type.lanes === t.lanes)) {
    const folded = foldCast(t.elementOf(), c);
    if (folded) return t.isVector() ? ir.broadcast(folded, t.lanes) : folded;
  }
  if (t.isVector()) {
    if (e.type.isScalar()) return ir.broadcast(cast(t.elementOf(), e), t.lanes);
    if (e.kind === "Broadcast" && e.value.type.isScalar() && e.lanes === t.lanes) {
      return ir.broadcast(cast(t.elementOf(), e.value), t.lanes);
    }
  }
  if (e.type.lanes !== t.lanes) {
    throw new HalideError(`Can't cast ${show(e)} of type ${e.type} to ${t}: the number of lanes differs.`);
  }
  return ir.cast(t, e);
}

/**
 * Converts `e` to `t` only if no information is lost (a constant that fits, a narrower type, or a widening cast
 * that can be peeled); otherwise undefined. A simplified form of Halide's `lossless_cast`.
 *
 * @example
 * ```ts
 * losslessCast(UInt(8), literal(255)); // (uint8)255
 * losslessCast(UInt(8), literal(256)); // undefined
 * ```
 */
export function losslessCast(t: Type, e: ir.Expr): ir.Expr | undefined {
  if (e.type.equals(t)) return e;
  if (e.type.isHandle() || t.isHandle()) return undefined;
  if (e.type.lanes !== t.lanes && !e.type.isScalar()) return undefined;
  const c = scalarConst(e);
  if (c) return t.canRepresent(c.value) ? cast(t, e) : undefined;
  const scalarT = t.withLanes(e.type.lanes);
  if (e.kind === "Cast" && e.type.canRepresent(e.value.type) && scalarT.canRepresent(e.value.type)) {
    return cast(t, e.value);
  }
  return scalarT.canRepresent(e.type) ? cast(t, e) : undefined;
}

/** Halide's `Type::widen`, refusing 64-bit inputs (there is no 128-bit type). */
function widen(t: Type, op: string, args: readonly ir.Expr[]): Type {
  if (t.isBFloat()) return t.withCode(TypeCode.Float).withBits(32);
  if (t.bits === 1) return t.withBits(8);
  if (t.bits >= 64) {
    throw new HalideError(
      `${op} of ${t} values (${args.map(show).join(", ")}) is not supported: the result would need ${t.bits * 2} bits.`,
    );
  }
  return t.withBits(t.bits * 2);
}

function requireNoHandle(op: string, ...es: ir.Expr[]): void {
  for (const e of es) {
    if (e.type.isHandle()) throw new HalideError(`Can't do arithmetic on opaque pointer types: ${op} of ${show(e)}`);
  }
}

// ---------------------------------------------------------------------------------------------------------------
// Operators

/** Names of the arithmetic operations for messages. */
const arithSymbol: Readonly<Record<ir.ArithOp | ir.CmpOp, string>> = {
  Add: "operator+",
  Sub: "operator-",
  Mul: "operator*",
  Div: "operator/",
  Mod: "operator%",
  Min: "min",
  Max: "max",
  EQ: "operator==",
  NE: "operator!=",
  LT: "operator<",
  LE: "operator<=",
  GT: "operator>",
  GE: "operator>=",
};

/**
 * `a op b` for the arithmetic nodes (Add Sub Mul Div Mod Min Max) after pairing literals and matching types.
 * Integer Div/Mod keep Halide's meaning (Euclidean, x/0 = 0).
 *
 * @example
 * ```ts
 * show(arith("Add", x, 1)); // "(x + 1)"
 * ```
 */
export function arith(op: ir.ArithOp, a: Operand, b: Operand): ir.Expr {
  const [x, y] = matchTypes(...pair(a, b));
  requireNoHandle(arithSymbol[op], x);
  return ir.arith(op, x, y);
}

/**
 * A comparison (EQ NE LT LE GT GE) after pairing literals and matching types; the result is Bool.
 *
 * @example
 * ```ts
 * show(compare("LT", x, 10)); // "(x < 10)"
 * ```
 */
export function compare(op: ir.CmpOp, a: Operand, b: Operand): ir.Expr {
  return ir.cmp(op, ...matchTypes(...pair(a, b)));
}

/** `-a`, as Halide builds it: `0 - a` in a's type. @example `show(negate(x)) // "(0 - x)"` */
export function negate(a: Operand): ir.Expr {
  const x = asIR(a);
  requireNoHandle("negation", x);
  return ir.arith("Sub", ir.makeConst(x.type, 0), x);
}

function requireBool(what: string, e: ir.Expr): void {
  if (!e.type.isBool()) throw new HalideError(`${what} of non-boolean value ${show(e)} of type ${e.type}.`);
}

/**
 * Logical and/or of two Bool operands.
 *
 * @example
 * ```ts
 * show(logical("And", x.lt(1), y.gt(2))); // "((x < 1) && (y > 2))"
 * ```
 */
export function logical(op: "And" | "Or", a: Operand, b: Operand): ir.Expr {
  const [x, y] = pair(a, b);
  const what = op === "And" ? "Logical and" : "Logical or";
  requireBool(what, x);
  requireBool(what, y);
  return ir.logical(op, ...matchLanes(x, y));
}

/** Logical not of a Bool operand. @example `show(logicalNot(p)) // "!p"` */
export function logicalNot(a: Operand): ir.Expr {
  const x = asIR(a);
  requireBool("Logical not", x);
  return ir.not(x);
}

function requireIntegerArg(e: ir.Expr, message: string): void {
  if (!e.type.isIntOrUInt()) throw new HalideError(message);
}

/** Halide's `match_types_bitwise`: both integers of the same signedness, lanes matched, bits widened. */
function matchTypesBitwise(x: ir.Expr, y: ir.Expr, op: string): [ir.Expr, ir.Expr] {
  requireIntegerArg(
    x,
    `The first argument to ${op} must be an integer or unsigned integer, but ${show(x)} has type ${x.type}.`,
  );
  requireIntegerArg(
    y,
    `The second argument to ${op} must be an integer or unsigned integer, but ${show(y)} has type ${y.type}.`,
  );
  if (x.type.isInt() !== y.type.isInt()) {
    throw new HalideError(
      `Arguments to ${op} must both be signed or both be unsigned.\n` +
        `LHS type: ${x.type} RHS type: ${y.type}\nLHS value: ${show(x)} RHS value: ${show(y)}`,
    );
  }
  return matchBits(...matchLanes(x, y));
}

const bitwiseIntrinsic = { and: Intrinsic.bitwiseAnd, or: Intrinsic.bitwiseOr, xor: Intrinsic.bitwiseXor } as const;

/**
 * Bitwise and/or/xor. Literals take the other operand's type; both operands must be integers of the same
 * signedness and are widened to the wider width. On Bool operands these are `&&`, `||` and `!=`.
 *
 * @example
 * ```ts
 * show(bitwise("and", u8Expr, 0x0f)); // "(x & (uint8)15)"
 * ```
 */
export function bitwise(op: "and" | "or" | "xor", a: Operand, b: Operand): ir.Expr {
  const [x, y] = matchTypesBitwise(...pair(a, b), `bitwise ${op}`);
  if (x.type.isBool()) {
    return op === "xor" ? ir.cmp("NE", x, y) : ir.logical(op === "and" ? "And" : "Or", x, y);
  }
  return ir.callIntrinsic(bitwiseIntrinsic[op], x.type, [x, y]);
}

/** Bitwise not of an integer. @example `show(bitwiseNot(x)) // "~x"` */
export function bitwiseNot(a: Operand): ir.Expr {
  const x = asIR(a);
  requireIntegerArg(
    x,
    `Argument to bitwise not must be an integer or unsigned integer, but ${show(x)} has type ${x.type}.`,
  );
  return ir.callIntrinsic(Intrinsic.bitwiseNot, x.type, [x]);
}

/**
 * The operands of any shift (`<<`, `>>`, widening and rounding shifts): both integers, widths matched. A literal
 * amount becomes an unsigned constant of the shifted value's width, and a negative literal flips the direction.
 * `api` is the operation's name as the user called it, for messages.
 */
function shiftOperands(
  dir: "left" | "right",
  a: Operand,
  b: Operand,
  api: string,
): { dir: "left" | "right"; x: ir.Expr; y: ir.Expr } {
  const x = asIR(a);
  const requireInteger = (e: ir.Expr, which: string) =>
    requireIntegerArg(
      e,
      `The ${which} argument to ${api} must be an integer or unsigned integer, but ${show(e)} has type ${e.type}.`,
    );
  requireInteger(x, "first");
  let amount: ir.Expr;
  if (typeof b === "number" && Number.isInteger(b) && Int(32).canRepresent(b)) {
    const t = unsignedOf(x.type);
    checkRepresentable(t, Math.abs(b));
    amount = ir.makeConst(t, Math.abs(b));
    if (b < 0) dir = dir === "left" ? "right" : "left";
  } else {
    amount = asIR(b);
    requireInteger(amount, "second");
  }
  const [p, q] = matchBits(...matchLanes(x, amount));
  return { dir, x: p, y: q };
}

/**
 * `a << b` / `a >> b`. The shifted value keeps its type; the amount is widened to the same width. A negative
 * amount (signed operand at run time, or a negative literal) shifts the other way.
 *
 * @example
 * ```ts
 * show(shift("left", x, 2));  // "(x << (uint32)2)"
 * show(shift("left", x, -2)); // "(x >> (uint32)2)"
 * ```
 */
export function shift(dir: "left" | "right", a: Operand, b: Operand): ir.Expr {
  const s = shiftOperands(dir, a, b, `shift ${dir}`);
  return ir.callIntrinsic(s.dir === "left" ? Intrinsic.shiftLeft : Intrinsic.shiftRight, s.x.type, [s.x, s.y]);
}

/**
 * `select(cond, t, f)`: literals take the other value's type; a constant int condition becomes Bool; a signed
 * integer constant value is cast to the other value's type (as Halide does).
 *
 * @example
 * ```ts
 * show(select(x.lt(0), 0, x)); // "select((x < 0), 0, x)"
 * ```
 */
export function select(cond: Operand, trueValue: Operand, falseValue: Operand): ir.Expr {
  let [t, f] = pair(trueValue, falseValue);
  let c = asIR(cond);
  if (constSignedInt(c) !== undefined) c = cast(Bool(t.type.lanes), c);
  if (constSignedInt(t) !== undefined) t = cast(f.type, t);
  if (constSignedInt(f) !== undefined) f = cast(t.type, f);
  if (!c.type.isBool()) {
    throw new HalideError(`The first argument to a select must be a boolean:\n  ${show(c)} has type ${c.type}`);
  }
  if (!t.type.equals(f.type)) {
    throw new HalideError(
      `The second and third arguments to a select do not have a matching type:\n` +
        `  ${show(t)} has type ${t.type}\n  ${show(f)} has type ${f.type}`,
    );
  }
  if (t.type.isVector() && c.type.isScalar()) c = ir.broadcast(c, t.type.lanes);
  if (c.type.lanes !== t.type.lanes) {
    throw new HalideError(`select condition ${show(c)} has ${c.type.lanes} lanes but the values have ${t.type.lanes}.`);
  }
  return ir.select(c, t, f);
}

// ---------------------------------------------------------------------------------------------------------------
// Elementwise helpers with their own typing rules (Halide's IROperator.cpp, function by function)

/**
 * `clamp(a, lo, hi)` = `max(min(a, hi), lo)`; the bounds must convert losslessly to a's type.
 *
 * @example
 * ```ts
 * show(clamp(u8Expr, 0, 200)); // "max(min(x, (uint8)200), (uint8)0)"
 * ```
 */
export function clamp(a: Operand, lo: Operand, hi: Operand): ir.Expr {
  const x = asIR(a);
  const bound = (b: Operand, which: string): ir.Expr => {
    const e = typeof b === "number" && !Number.isInteger(b) && x.type.isFloat() ? ir.makeConst(x.type, b) : asIR(b);
    const converted = losslessCast(x.type, e);
    if (!converted) {
      throw new HalideError(
        `Type mismatch in call to clamp. First argument (${show(x)}) has type ${x.type}, but ${which} argument ` +
          `(${show(e)}) has type ${e.type}. Use an explicit cast.`,
      );
    }
    return converted;
  };
  const low = bound(lo, "second"), high = bound(hi, "third");
  return ir.arith("Max", ir.arith("Min", x, high), low);
}

/**
 * Absolute value. A signed integer gives the unsigned type of the same width (so abs of the most negative value
 * does not overflow); a float keeps its type; an unsigned value is returned unchanged, with a warning.
 *
 * @example
 * ```ts
 * abs(i8Expr).type.toString(); // "uint8"
 * ```
 */
export function abs(a: Operand): ir.Expr {
  const x = asIR(a);
  requireNoHandle("abs", x);
  if (isUIntCode(x.type)) {
    console.warn("Warning: abs of an unsigned type is a no-op");
    return x;
  }
  return ir.callIntrinsic(Intrinsic.abs, unsignedOf(x.type), [x]);
}

/**
 * Absolute difference `|a - b|` without overflow; integers give the unsigned type of their (matched) width,
 * floats are `abs(a - b)`.
 *
 * @example
 * ```ts
 * absd(i16Expr, 3).type.toString(); // "uint16"
 * ```
 */
export function absd(a: Operand, b: Operand): ir.Expr {
  const [x, y] = matchTypes(...pair(a, b));
  requireNoHandle("absd", x);
  if (x.type.isFloat()) return abs(ir.arith("Sub", x, y));
  return ir.callIntrinsic(Intrinsic.absd, unsignedOf(x.type), [x, y]);
}

/**
 * `lerp(zero, one, weight)`: a signed-integer constant value takes the other value's type; the weight must be
 * unsigned or float (a float weight for integer values is a constant in [0, 1] if constant at all).
 *
 * @example
 * ```ts
 * lerp(u8a, u8b, u8w).type.toString(); // "uint8"
 * ```
 */
export function lerp(zeroVal: Operand, oneVal: Operand, weight: Operand): ir.Expr {
  let [z, o] = pair(zeroVal, oneVal);
  const w = asIR(weight);
  if (constSignedInt(z) !== undefined) z = cast(o.type, z);
  if (constSignedInt(o) !== undefined) o = cast(z.type, o);
  if (!z.type.equals(o.type)) {
    throw new HalideError(`Can't lerp between ${show(z)} of type ${z.type} and ${show(o)} of different type ${o.type}`);
  }
  if (!isUIntCode(w.type) && !w.type.isFloat()) {
    throw new HalideError(
      `A lerp weight must be an unsigned integer or a float, but lerp weight ${show(w)} has type ${w.type}.`,
    );
  }
  if (!z.type.isFloat() && z.type.bits > 32) throw new HalideError("Lerping between 64-bit integers is not supported");
  const cw = constFloat(w);
  if (!z.type.isFloat() && cw !== undefined && !(cw >= 0 && cw <= 1)) {
    throw new HalideError(
      `Floating-point weight for lerp with integer arguments is ${cw}, which is not in the range [0.0, 1.0].`,
    );
  }
  return ir.callIntrinsic(Intrinsic.lerp, z.type, [z, o, w]);
}

/**
 * An integer bit-counting intrinsic (popcount, count leading/trailing zeros); the result has the argument's type.
 *
 * @example
 * ```ts
 * bitCount(Intrinsic.popcount, "popcount", u8Expr).type.toString(); // "uint8"
 * ```
 */
export function bitCount(name: IntrinsicName, apiName: string, a: Operand): ir.Expr {
  const x = asIR(a);
  requireIntegerArg(x, `Argument to ${apiName} must be an integer, but ${show(x)} has type ${x.type}.`);
  return ir.callIntrinsic(name, x.type, [x]);
}

/**
 * Integer division or modulo rounding toward zero (C semantics); for unsigned types this is plain Div/Mod.
 *
 * @example
 * ```ts
 * show(roundToZero("div", x, 2)); // "div_round_to_zero(x, 2)"
 * ```
 */
export function roundToZero(op: "div" | "mod", a: Operand, b: Operand): ir.Expr {
  const [x, y] = matchTypes(...pair(a, b));
  const api = op === "div" ? "divRoundToZero" : "modRoundToZero";
  if (isUIntCode(x.type)) return ir.arith(op === "div" ? "Div" : "Mod", x, y);
  if (!x.type.isInt()) throw new HalideError(`First argument to ${api} is not an integer: ${show(x)}`);
  return ir.callIntrinsic(op === "div" ? Intrinsic.divRoundToZero : Intrinsic.modRoundToZero, x.type, [x, y]);
}

// ---------------------------------------------------------------------------------------------------------------
// Fixed-point operations (widening, rounding, saturating, halving)

/**
 * The `widen_right_*` family: `a` is already twice as wide as `b`; the result has a's type.
 *
 * @example
 * ```ts
 * widenRight("add", u16Expr, u8Expr).type.toString(); // "uint16"
 * ```
 */
export function widenRight(op: "add" | "sub" | "mul", a: Operand, b: Operand): ir.Expr {
  const api = `widenRight${op[0].toUpperCase()}${op.slice(1)}`;
  let x = asIR(a), y = asIR(b);
  if (!x.type.isIntOrUInt() || !y.type.isIntOrUInt()) {
    throw new HalideError(`${api} only defined for integer types, received:\n ${show(x)}\n ${show(y)}`);
  }
  if (y.type.bits > 32) throw new HalideError(`${api} of large Expr\n${show(x)}, ${show(y)}`);
  [x, y] = matchLanes(x, y);
  const wide = widen(y.type, api, [x, y]);
  if (!wide.equals(x.type)) {
    throw new HalideError(
      `${api} type mismatch: the first argument must have type ${wide} (twice the width of the second), ` +
        `but got\n ${show(x)} of type ${x.type}\n ${show(y)} of type ${y.type}`,
    );
  }
  const name = { add: Intrinsic.widenRightAdd, sub: Intrinsic.widenRightSub, mul: Intrinsic.widenRightMul }[op];
  return ir.callIntrinsic(name, wide, [x, y]);
}

/**
 * `widening_add` / `widening_sub`: the sum or difference in twice the width (a difference is always signed).
 *
 * @example
 * ```ts
 * wideningAddSub("sub", u8a, u8b).type.toString(); // "int16"
 * ```
 */
export function wideningAddSub(op: "add" | "sub", a: Operand, b: Operand): ir.Expr {
  const [x, y] = matchTypes(...pair(a, b));
  const api = op === "add" ? "wideningAdd" : "wideningSub";
  let wide = widen(x.type, api, [x, y]);
  if (op === "sub" && isUIntCode(wide)) wide = wide.withCode(TypeCode.Int);
  return ir.callIntrinsic(op === "add" ? Intrinsic.wideningAdd : Intrinsic.wideningSub, wide, [x, y]);
}

/**
 * `widening_mul`: operands may differ in signedness; an integer operand with a float one is promoted losslessly.
 * The result is twice the width, signed if the second operand is.
 *
 * @example
 * ```ts
 * wideningMul(u8Expr, i8Expr).type.toString(); // "int16"
 * ```
 */
export function wideningMul(a: Operand, b: Operand): ir.Expr {
  let [x, y] = pair(a, b);
  if (x.type.isFloat() && y.type.isIntOrUInt()) {
    const promoted = losslessCast(x.type, y);
    if (!promoted) {
      throw new HalideError(
        `wideningMul: cannot promote RHS of type ${y.type} to ${x.type}.\nPlease use an explicit cast.`,
      );
    }
    y = promoted;
  } else if (y.type.isFloat() && x.type.isIntOrUInt()) {
    const promoted = losslessCast(y.type, x);
    if (!promoted) {
      throw new HalideError(
        `wideningMul: cannot promote LHS of type ${x.type} to ${y.type}.\nPlease use an explicit cast.`,
      );
    }
    x = promoted;
  }
  [x, y] = matchLanes(...matchBits(x, y));
  let wide = widen(x.type, "wideningMul", [x, y]);
  if (isUIntCode(wide) && y.type.isInt()) wide = wide.withCode(TypeCode.Int);
  return ir.callIntrinsic(Intrinsic.wideningMul, wide, [x, y]);
}

/** Which intrinsic each shift family uses for each direction. */
const shiftFamilies = {
  widening: { left: Intrinsic.wideningShiftLeft, right: Intrinsic.wideningShiftRight },
  rounding: { left: Intrinsic.roundingShiftLeft, right: Intrinsic.roundingShiftRight },
} as const;

/**
 * `widening_shift_*` (result twice as wide) and `rounding_shift_*` (result keeps the type). A literal amount is
 * an unsigned constant of the value's width; a negative literal shifts the other way.
 *
 * @example
 * ```ts
 * show(specialShift("widening", "left", u8Expr, -1)); // "widening_shift_right(x, (uint8)1)"
 * ```
 */
export function specialShift(
  family: "widening" | "rounding",
  dir: "left" | "right",
  a: Operand,
  b: Operand,
): ir.Expr {
  const camel = (d: "left" | "right") => `${family}Shift${d === "left" ? "Left" : "Right"}`;
  const s = shiftOperands(dir, a, b, camel(dir));
  const t = family === "widening" ? widen(s.x.type, camel(s.dir), [s.x, s.y]) : s.x.type;
  return ir.callIntrinsic(shiftFamilies[family][s.dir], t, [s.x, s.y]);
}

const sameTypeFixedPoint = {
  saturatingAdd: Intrinsic.saturatingAdd,
  saturatingSub: Intrinsic.saturatingSub,
  halvingAdd: Intrinsic.halvingAdd,
  roundingHalvingAdd: Intrinsic.roundingHalvingAdd,
  halvingSub: Intrinsic.halvingSub,
} as const;

/**
 * The fixed-point binary operations whose result has the matched operand type: saturating add/sub, halving
 * add/sub and rounding halving add.
 *
 * @example
 * ```ts
 * fixedPoint("saturatingAdd", u8a, u8b).type.toString(); // "uint8"
 * ```
 */
export function fixedPoint(op: keyof typeof sameTypeFixedPoint, a: Operand, b: Operand): ir.Expr {
  const [x, y] = matchTypes(...pair(a, b));
  return ir.callIntrinsic(sameTypeFixedPoint[op], x.type, [x, y]);
}

/**
 * `mul_shift_right(a, b, q)` = `(a * b) >> q` computed in double width (optionally rounding); `q` is unsigned
 * (a literal becomes an unsigned constant of a's width).
 *
 * @example
 * ```ts
 * mulShiftRight(true, i16a, i16b, 15).type.toString(); // "int16"
 * ```
 */
export function mulShiftRight(rounding: boolean, a: Operand, b: Operand, q: Operand): ir.Expr {
  const api = rounding ? "roundingMulShiftRight" : "mulShiftRight";
  let [x, y] = pair(a, b);
  let shiftBy: ir.Expr;
  if (typeof q === "number" && Number.isInteger(q) && Int(32).canRepresent(q)) {
    const qt = unsignedOf(x.type);
    checkRepresentable(qt, q);
    shiftBy = ir.makeConst(qt, q);
  } else {
    shiftBy = asIR(q);
    if (!isUIntCode(shiftBy.type)) throw new HalideError(`${api} shift must be unsigned`);
  }
  [x, y] = matchTypes(x, y);
  [x, shiftBy] = matchBits(...matchLanes(x, shiftBy));
  [x, y] = matchTypes(x, y);
  const name = rounding ? Intrinsic.roundingMulShiftRight : Intrinsic.mulShiftRight;
  return ir.callIntrinsic(name, x.type, [x, y, shiftBy]);
}

// ---------------------------------------------------------------------------------------------------------------
// Powers (needed by the `pow` operator method, so they live here rather than in math.ts)

/**
 * The float type a math function computes in: float64 and float16 stay, everything else (ints, bools, bfloat16)
 * becomes float32 — with the lanes of `t`.
 *
 * @example
 * ```ts
 * mathType(Int(32)).toString(); // "float32"
 * ```
 */
export function mathType(t: Type): Type {
  if (t.code === TypeCode.Float && (t.bits === 64 || t.bits === 16)) return t;
  return Float(32, t.lanes);
}

/** `e` to the integer power `p` by repeated squaring, in e's own type (a negative power divides 1 by it). */
function raiseToIntegerPower(e: ir.Expr, p: bigint): ir.Expr {
  if (p === 0n) return ir.makeConst(e.type, 1);
  if (p === 1n) return e;
  if (p < 0n) return ir.arith("Div", ir.makeConst(e.type, 1), raiseToIntegerPower(e, -p));
  const half = raiseToIntegerPower(e, p >> 1n);
  const square = ir.arith("Mul", half, half);
  return p & 1n ? ir.arith("Mul", square, e) : square;
}

/**
 * `x` raised to `y`. A constant integer exponent expands to multiplications in x's own type (so `pow(x, 2)` of an
 * int is an int); otherwise both are converted to x's math type (float32 unless x is float64/float16) and the
 * result is a `pow` intrinsic. A non-integral literal exponent takes the type of a float `x`.
 *
 * @example
 * ```ts
 * show(pow(x, 2));   // "(x*x)"
 * show(pow(f, 0.5)); // "pow(f, 0.500000f)"
 * ```
 */
export function pow(a: Operand, b: Operand): ir.Expr {
  const x = asIR(a);
  requireNoHandle("pow", x);
  const y = typeof b === "number" && !Number.isInteger(b) && x.type.isFloat() ? ir.makeConst(x.type, b) : asIR(b);
  const p = constSignedInt(y);
  if (p !== undefined) return raiseToIntegerPower(x, p);
  const [bx, by] = matchLanes(x, y);
  const t = mathType(bx.type);
  return ir.callIntrinsic(Intrinsic.pow, t, [cast(t, bx), cast(t, by)]);
}
