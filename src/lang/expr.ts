/**
 * The user-facing expression classes: {@link ExprOps}, the base class that gives every Expr-like value (Expr,
 * Var, FuncRef, and later RVar, RDom, Param) the operator methods, and {@link Expr}, an immutable wrapper around
 * one IR node. Typing follows Halide's rules; see `ir_operator.ts`.
 *
 * @module
 */
import { HalideError } from "../error.ts";
import * as ir from "../ir/expr.ts";
import { exprToString } from "../ir/printer.ts";
import type { Type } from "../ir/type.ts";
import * as op from "./ir_operator.ts";

/**
 * Anything usable where Halide expects an `Expr`: an {@link ExprOps} subclass (Expr, Var, FuncRef, RVar, RDom,
 * Param, …) or a JavaScript literal. Literals are typed by Halide's rules: an integral `number` combined with an
 * Expr takes the Expr's type, alone it is Int(32) (Int(64) outside the int32 range); a non-integral `number` is
 * Float(32) (or the float Expr's type); a `bigint` is Int(64); a `boolean` is Bool.
 *
 * @example
 * ```ts
 * const inputs: hl.ExprLike[] = [x, 1, 0.5, 2n, true, f.at(x)];
 * ```
 */
export type ExprLike = ExprOps | number | bigint | boolean;

function describe(x: unknown): string {
  if (x === null || x === undefined) return String(x);
  if (typeof x === "string") return `the string ${JSON.stringify(x)}`;
  if (typeof x === "object") return `an object of class ${x.constructor?.name ?? "Object"}`;
  return `a ${typeof x}`;
}

/**
 * Converts an {@link ExprLike} to an IR node or a still-untyped literal, checking it at run time (JavaScript
 * callers can pass anything).
 *
 * @example
 * ```ts
 * operand(x);   // the IR Variable x
 * operand(3);   // 3 (typed later, against the other operand)
 * ```
 */
export function operand(x: ExprLike): op.Operand {
  if (x instanceof ExprOps) return x.toIR();
  if (typeof x === "number" || typeof x === "bigint" || typeof x === "boolean") return x;
  throw new HalideError(
    `Expected an Expr, Var, FuncRef, number, bigint or boolean, but got ${describe(x)}.`,
  );
}

/**
 * Converts an {@link ExprLike} to IR on its own (literals get their stand-alone type).
 *
 * @example
 * ```ts
 * toIR(3).type.toString(); // "int32"
 * ```
 */
export function toIR(x: ExprLike): ir.Expr {
  return op.asIR(operand(x));
}

/**
 * Wraps an IR node as a public {@link Expr}.
 *
 * @example
 * ```ts
 * wrap(ir.i32Imm(3)).toString(); // "3"
 * ```
 */
export function wrap(node: ir.Expr): Expr {
  return Expr.fromIR(node);
}

/**
 * Base class of every Expr-like value, carrying the operator methods (each returns a new {@link Expr}).
 *
 * **Contract for subclasses:** implement exactly one method, {@link ExprOps.toIR}, returning the IR expression
 * the value stands for (a `Variable` for a Var, a `Call` for a FuncRef, …). Override `type` or `toString` only if
 * they can be answered without building the IR (as Var and FuncRef do). Anything extending this class is an
 * {@link ExprLike} and is accepted by every free function and by `Func` definitions.
 *
 * @example
 * ```ts
 * // A subclass only says what IR it stands for; it inherits every operator.
 * class Twice extends hl.ExprOps {
 *   constructor(readonly v: hl.Var) { super(); }
 *   toIR() { return this.v.mul(2).toIR(); }
 * }
 * new Twice(x).add(1).toString();        // "((x*2) + 1)"
 * x.add(1).mul(2).lt(y).toString();      // "(((x + 1)*2) < y)"
 * ```
 */
export abstract class ExprOps {
  /** The IR expression this value stands for. The one method a subclass must implement. */
  abstract toIR(): ir.Expr;

  /** The Halide type of this value. @example `x.type.toString() // "int32"` */
  get type(): Type {
    return this.toIR().type;
  }
  /** The IR printed Halide-style. @example `x.add(1).toString() // "(x + 1)"` */
  toString(): string {
    return exprToString(this.toIR());
  }
  /**
   * JavaScript arithmetic (`x * 2`, `x < 3`) would silently coerce to a number; use the methods instead.
   * String conversion (`${x}`) prints the IR.
   */
  [Symbol.toPrimitive](hint: string): string {
    if (hint === "number") {
      throw new HalideError(
        `Can't convert the Halide expression ${this.toString()} to a JavaScript number. ` +
          `Use the operator methods (.add, .mul, .lt, …) to build expressions.`,
      );
    }
    return this.toString();
  }

  /** `this + b`. @example `x.add(1) // (x + 1)` */
  add(b: ExprLike): Expr {
    return wrap(op.arith("Add", this.toIR(), operand(b)));
  }
  /** `this - b`. @example `x.sub(1) // (x - 1)` */
  sub(b: ExprLike): Expr {
    return wrap(op.arith("Sub", this.toIR(), operand(b)));
  }
  /** `this * b`. @example `x.mul(2) // (x*2)` */
  mul(b: ExprLike): Expr {
    return wrap(op.arith("Mul", this.toIR(), operand(b)));
  }
  /**
   * `this / b`. Integer division is Euclidean (rounds down for positive divisors) and x/0 is 0; int/int stays int.
   * @example `x.div(2) // (x/2)`
   */
  div(b: ExprLike): Expr {
    return wrap(op.arith("Div", this.toIR(), operand(b)));
  }
  /** `this % b`, Euclidean: the result is in `[0, |b|)` for integers; x % 0 is 0. @example `x.mod(4) // (x % 4)` */
  mod(b: ExprLike): Expr {
    return wrap(op.arith("Mod", this.toIR(), operand(b)));
  }
  /** `-this` (built as `0 - this`). @example `x.neg() // (0 - x)` */
  neg(): Expr {
    return wrap(op.negate(this.toIR()));
  }
  /** `this < b` (Bool). @example `x.lt(10) // (x < 10)` */
  lt(b: ExprLike): Expr {
    return wrap(op.compare("LT", this.toIR(), operand(b)));
  }
  /** `this <= b` (Bool). @example `x.le(10) // (x <= 10)` */
  le(b: ExprLike): Expr {
    return wrap(op.compare("LE", this.toIR(), operand(b)));
  }
  /** `this > b` (Bool). @example `x.gt(10) // (x > 10)` */
  gt(b: ExprLike): Expr {
    return wrap(op.compare("GT", this.toIR(), operand(b)));
  }
  /** `this >= b` (Bool). @example `x.ge(10) // (x >= 10)` */
  ge(b: ExprLike): Expr {
    return wrap(op.compare("GE", this.toIR(), operand(b)));
  }
  /** `this == b` (Bool). @example `x.eq(0) // (x == 0)` */
  eq(b: ExprLike): Expr {
    return wrap(op.compare("EQ", this.toIR(), operand(b)));
  }
  /** `this != b` (Bool). @example `x.ne(0) // (x != 0)` */
  ne(b: ExprLike): Expr {
    return wrap(op.compare("NE", this.toIR(), operand(b)));
  }
  /** Logical and of Bools. @example `x.gt(0).and(x.lt(9)) // ((x > 0) && (x < 9))` */
  and(b: ExprLike): Expr {
    return wrap(op.logical("And", this.toIR(), operand(b)));
  }
  /** Logical or of Bools. @example `x.lt(0).or(x.gt(9)) // ((x < 0) || (x > 9))` */
  or(b: ExprLike): Expr {
    return wrap(op.logical("Or", this.toIR(), operand(b)));
  }
  /** Logical not of a Bool. @example `x.lt(0).not() // !(x < 0)` */
  not(): Expr {
    return wrap(op.logicalNot(this.toIR()));
  }
  /** Bitwise and (a literal takes this type). @example `x.bitAnd(0xff) // (x & 255)` */
  bitAnd(b: ExprLike): Expr {
    return wrap(op.bitwise("and", this.toIR(), operand(b)));
  }
  /** Bitwise or. @example `x.bitOr(1) // (x | 1)` */
  bitOr(b: ExprLike): Expr {
    return wrap(op.bitwise("or", this.toIR(), operand(b)));
  }
  /** Bitwise xor. @example `x.bitXor(1) // (x ^ 1)` */
  bitXor(b: ExprLike): Expr {
    return wrap(op.bitwise("xor", this.toIR(), operand(b)));
  }
  /** Bitwise complement. @example `x.bitNot() // ~x` */
  bitNot(): Expr {
    return wrap(op.bitwiseNot(this.toIR()));
  }
  /** Shift left; a negative amount shifts right. @example `x.shl(2) // (x << (uint32)2)` */
  shl(b: ExprLike): Expr {
    return wrap(op.shift("left", this.toIR(), operand(b)));
  }
  /**
   * Shift right (arithmetic for signed types); a negative amount shifts left.
   * @example `x.shr(1) // (x >> (uint32)1)`
   */
  shr(b: ExprLike): Expr {
    return wrap(op.shift("right", this.toIR(), operand(b)));
  }
  /**
   * `this` to the power `b`: a constant integer exponent multiplies in this type; otherwise float math
   * (float32 stays float32). @example `x.pow(2) // (x*x)`
   */
  pow(b: ExprLike): Expr {
    return wrap(op.pow(this.toIR(), operand(b)));
  }
}

/**
 * An immutable Halide expression: one IR node and its type.
 *
 * @example
 * ```ts
 * const e = new hl.Expr(3);          // int32 constant
 * new hl.Expr(0.5).type.toString();  // "float32"
 * new hl.Expr(x).add(1).toString();  // "(x + 1)"
 * new hl.Expr("label");              // a string constant, for print()
 * ```
 */
export class Expr extends ExprOps {
  /** The wrapped IR node. */
  readonly node: ir.Expr;

  /** Converts `value` by the literal-typing rules (see {@link ExprLike}); a string becomes a string constant. */
  constructor(value: ExprLike | string) {
    super();
    this.node = typeof value === "string" ? ir.stringImm(value) : toIR(value);
  }

  /**
   * Wraps an IR node without conversion — for library code (RDom, Param, lowering helpers) that builds IR.
   *
   * @example
   * ```ts
   * hl.Expr.fromIR(someIrNode).type;
   * ```
   */
  static fromIR(node: ir.Expr): Expr {
    const e = Object.create(Expr.prototype) as { node: ir.Expr };
    e.node = node;
    return e as Expr;
  }

  /** @example `new hl.Expr(1).toIR().kind // "IntImm"` */
  toIR(): ir.Expr {
    return this.node;
  }
  /** @example `new hl.Expr(1).type.toString() // "int32"` */
  override get type(): Type {
    return this.node.type;
  }
}
