/**
 * Pipeline inputs that are bound when the pipeline runs, not when it is compiled: {@link Param} (a scalar) and
 * {@link ImageParam} (a buffer). A compiled pipeline takes them as arguments, so changing a Param's value or the
 * Buffer bound to an ImageParam never recompiles.
 *
 * @module
 */
import { HalideError } from "../error.ts";
import * as ir from "../ir/expr.ts";
import { defaultConstraints, type DimConstraint } from "../ir/schedule.ts";
import type { Type } from "../ir/type.ts";
import { Buffer, type ElementValue } from "../runtime/buffer.ts";
import { storeScalar } from "../runtime/callable.ts";
import { type ConstraintStore, OutputImageParam } from "./buffer_param.ts";
import { type Expr, ExprOps, type ExprLike, toIR, wrap } from "./expr.ts";
import { cast } from "./ir_operator.ts";
import { Func, imageCall } from "./func.ts";
import { Var } from "./var.ts";
import type { FunctionDef } from "../ir/function.ts";

let autoNames = 0;

/**
 * Something compiled code depends on that can change (a Func's definition, a Param's range, an ImageParam's
 * constraints): compiled pipelines remember the version they saw.
 */
export interface Versioned {
  readonly version: number;
}

/**
 * A scalar input of a pipeline: an Expr whose value is supplied when the pipeline runs (`set` before `realize`,
 * or an argument of a Callable). Its type is fixed; values are checked against it.
 *
 * @example
 * ```ts
 * const gain = new hl.Param(hl.Float(32), "gain", 1.5);
 * f.at(x).set(input.at(x).mul(gain));
 * gain.set(2);                     // no recompilation
 * const out = f.realize([640]);
 * ```
 */
export class Param extends ExprOps implements Versioned {
  /** The parameter's name (its argument name in compiled code). */
  readonly name: string;
  readonly #type: Type;
  readonly #value: Buffer;
  #min?: ir.Expr;
  #max?: ir.Expr;
  #estimate?: ir.Expr;
  #version = 0;

  /** A Param of type `type`, named `name` (or `p0`, `p1`, …), with the initial `value` (default 0). */
  constructor(type: Type, name?: string, value?: ElementValue) {
    super();
    if (name !== undefined && (typeof name !== "string" || name === "")) {
      throw new HalideError(`A Param's name must be a non-empty string, not ${String(name)}.`);
    }
    if (type.isVector()) throw new HalideError(`Param ${name ?? ""} must have a scalar type, not ${type}.`);
    this.name = name ?? `p${autoNames++}`;
    this.#type = type;
    try {
      this.#value = Buffer.makeScalar(type, this.name);
    } catch {
      throw new HalideError(`Param ${this.name} has type ${type}, which a Param cannot hold in halide-ts.`);
    }
    if (value !== undefined) this.set(value);
  }

  /** The IR of this parameter: a Variable naming it. */
  toIR(): ir.Expr {
    return ir.variable(this.#type, this.name, this);
  }
  /** The parameter's type. @example `new hl.Param(hl.UInt(8)).type.toString() // "uint8"` */
  override get type(): Type {
    return this.#type;
  }
  /** Increases when the range changes (the value does not affect compiled code). */
  get version(): number {
    return this.#version;
  }

  /**
   * Sets the value used by the next `realize` (integers must be representable in the type; Bool takes a
   * boolean or 0/1; floats are rounded to the type).
   *
   * @example
   * ```ts
   * new hl.Param(hl.UInt(8), "level").set(200);
   * ```
   */
  set(value: ElementValue): this {
    storeScalar(this.#value, value, `Param ${this.name}`);
    return this;
  }
  /** The current value (`bigint` for 64-bit integers, `boolean` for Bool). @example `p.get()` */
  get(): ElementValue {
    return this.#value.get([]);
  }
  /**
   * The value as a 0-dimensional Buffer, whose memory compiled code reads. Internal.
   *
   * @example
   * ```ts
   * frame.setScalar(i, p.valueBuffer());
   * ```
   */
  valueBuffer(): Buffer {
    return this.#value;
  }

  /** The value the autoscheduler should assume. @example `p.setEstimate(100)` */
  setEstimate(value: ExprLike): this {
    this.#estimate = this.#typed("estimate", value);
    return this;
  }
  /** The estimate, if set. @example `p.estimate()` */
  estimate(): Expr | undefined {
    return this.#estimate && wrap(this.#estimate);
  }
  /**
   * Requires `min <= value <= max` when the pipeline runs (either may be `undefined`); a value outside is a
   * HalideError ("Parameter p is 300 but must be at most 255"). Bounds inference may use the range.
   *
   * @example
   * ```ts
   * radius.setRange(0, 16);
   * ```
   */
  setRange(min: ExprLike | undefined, max: ExprLike | undefined): this {
    return this.setMinValue(min).setMaxValue(max);
  }
  /** Sets the minimum only (`undefined` clears). @example `p.setMinValue(0)` */
  setMinValue(min: ExprLike | undefined): this {
    this.#min = min === undefined ? undefined : this.#typed("minimum", min);
    this.#version++;
    return this;
  }
  /** Sets the maximum only (`undefined` clears). @example `p.setMaxValue(255)` */
  setMaxValue(max: ExprLike | undefined): this {
    this.#max = max === undefined ? undefined : this.#typed("maximum", max);
    this.#version++;
    return this;
  }
  /** The minimum value, if set. @example `p.minValue()` */
  minValue(): Expr | undefined {
    return this.#min && wrap(this.#min);
  }
  /** The maximum value, if set. @example `p.maxValue()` */
  maxValue(): Expr | undefined {
    return this.#max && wrap(this.#max);
  }

  /** The range as IR, for lowering's checks. @example `p.range().max` */
  range(): { readonly min?: ir.Expr; readonly max?: ir.Expr } {
    return { min: this.#min, max: this.#max };
  }

  /** `<halide.Param 'p' type int32>` (Python's repr). */
  override toString(): string {
    return `<halide.Param '${this.name}' type ${this.#type}>`;
  }

  #typed(what: string, value: ExprLike): ir.Expr {
    const e = toIR(value);
    if (e.type.isVector()) throw new HalideError(`The ${what} of Param ${this.name} must be a scalar, not ${e.type}.`);
    return cast(this.#type, e);
  }
}

interface ImageParamState {
  buffer?: Buffer;
  wrapper?: Func;
  constraints: DimConstraint[];
  version: number;
}

/**
 * A buffer input of a pipeline, bound to a Buffer when the pipeline runs. Read it with `at(...)` like a
 * Buffer; its shape is available as Exprs (`width`, `dim(i).extent()`, …) and can be constrained
 * (`dim(0).setMin(0)`; the default constraint `dim(0).stride == 1` is cleared by `dim(0).setStride(undefined)`).
 *
 * @example
 * ```ts
 * const input = new hl.ImageParam(hl.UInt(8), 2, "input");
 * f.at(x, y).set(input.at(x, y).add(1));
 * input.set(someBuffer);
 * const out = f.realize([input.get()!.width, input.get()!.height]);
 * ```
 */
export class ImageParam extends OutputImageParam implements ir.BufferSource, Versioned {
  /** The element type. */
  readonly type: Type;
  readonly #state: ImageParamState;

  /** An ImageParam of element type `type` with `dimensions` dimensions, named `name` (or `p0`, `p1`, …). */
  constructor(type: Type, dimensions: number, name?: string) {
    if (!Number.isInteger(dimensions) || dimensions < 0) {
      throw new HalideError(`An ImageParam's dimensionality must be a non-negative integer, not ${dimensions}.`);
    }
    if (name !== undefined && (typeof name !== "string" || name === "")) {
      throw new HalideError(`An ImageParam's name must be a non-empty string, not ${String(name)}.`);
    }
    const state: ImageParamState = { constraints: defaultConstraints(dimensions), version: 0 };
    const store: { -readonly [K in keyof ConstraintStore]: ConstraintStore[K] } = {
      name: name ?? `p${autoNames++}`,
      dimensions,
      constraints: () => state.constraints,
      setConstraints: (c) => {
        state.constraints = [...c];
        state.version++;
      },
    };
    super(store);
    store.source = this;
    this.type = type;
    this.#state = state;
  }

  /** Increases when a constraint changes (binding a Buffer does not affect compiled code). */
  get version(): number {
    return this.#state.version;
  }
  /** The constraints on the bound buffer's shape (used by lowering). */
  constraints(): readonly DimConstraint[] {
    return this.#state.constraints;
  }

  /**
   * Binds `buffer` (of this ImageParam's type and dimensionality) for the next `realize`.
   *
   * @example
   * ```ts
   * input.set(new hl.Buffer(hl.UInt(8), [640, 480]));
   * ```
   */
  set(buffer: Buffer): this {
    if (!(buffer instanceof Buffer)) {
      throw new HalideError(`ImageParam ${this.name} can only be bound to an hl.Buffer (use hl.Buffer.from for arrays).`);
    }
    if (!buffer.type.equals(this.type)) {
      throw new HalideError(`Can't bind ImageParam ${this.name} of type ${this.type} to Buffer ${buffer.name} of type ${buffer.type}.`);
    }
    if (buffer.dimensions !== this.dimensions) {
      throw new HalideError(
        `Can't bind ImageParam ${this.name} of dimensionality ${this.dimensions} to Buffer ${buffer.name} of dimensionality ${buffer.dimensions}.`,
      );
    }
    this.#state.buffer = buffer;
    return this;
  }
  /** The bound Buffer, as a BufferSource (for the interpreter). @example `input.bound()` */
  bound(): Buffer | undefined {
    return this.#state.buffer;
  }
  /** The bound Buffer, or undefined. @example `input.get()?.width` */
  get(): Buffer | undefined {
    return this.#state.buffer;
  }
  /** Unbinds the Buffer. @example `input.reset()` */
  reset(): this {
    this.#state.buffer = undefined;
    return this;
  }

  /**
   * An expression reading the bound buffer at the given coordinates (one per dimension, or `hl._` for the rest).
   *
   * @example
   * ```ts
   * f.at(x, y).set(input.at(x, y));
   * ```
   */
  at(...args: ExprLike[]): Expr {
    return imageCall(this, args);
  }

  /**
   * A Func that every read of this ImageParam goes through (`wrapper(x, …) = im(x, …)`), to schedule how the input
   * is staged (copied to a local buffer per tile, …). Asking again returns the same Func.
   *
   * @example
   * ```ts
   * const staged = input.in();
   * staged.computeAt(blur, xo);
   * ```
   */
  in(): Func {
    if (!this.#state.wrapper) {
      const w = new Func(`${this.name}_im_wrapper`);
      const vars = Array.from({ length: this.dimensions }, (_, i) => new Var(`_${i}`));
      w.at(...vars).set(this.at(...vars));
      this.#state.wrapper = w;
      this.#state.version++;
    }
    return this.#state.wrapper;
  }
  /** The Func made by {@link ImageParam.in}, as lowering sees it. */
  wrapper(): FunctionDef | undefined {
    return this.#state.wrapper?.fn;
  }

  /** `<halide.ImageParam 'input', dims: 2, type: uint8>` (Python's repr). */
  override toString(): string {
    return `<halide.ImageParam '${this.name}', dims: ${this.dimensions}, type: ${this.type}>`;
  }
}
