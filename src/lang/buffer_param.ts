/**
 * Buffer arguments as seen from the algorithm: `Dimension` (the min, extent and stride of one dimension as
 * Exprs, and constraints on them) and `OutputImageParam` (what `Func.outputBuffer()` returns). Constraints are
 * checked when the pipeline runs; the default one is `dim(0).stride == 1`, which `setStride(undefined)` clears.
 *
 * @module
 */
import { HalideError } from "../error.ts";
import * as ir from "../ir/expr.ts";
import type { DimConstraint } from "../ir/schedule.ts";
import { Int, type Type } from "../ir/type.ts";
import { type Expr, type ExprLike, toIR, wrap } from "./expr.ts";
import { cast } from "./ir_operator.ts";

/** Where a buffer argument's constraints live (an output Func, or an ImageParam). */
export interface ConstraintStore {
  readonly name: string;
  readonly dimensions: number;
  /** The input this store belongs to (an ImageParam), so that its shape Exprs make it a pipeline argument. */
  readonly source?: ir.BufferSource;
  constraints(): readonly DimConstraint[];
  setConstraints(c: readonly DimConstraint[]): void;
}

/**
 * One dimension of a buffer argument.
 *
 * @example
 * ```ts
 * f.outputBuffer().dim(0).setStride(undefined);   // allow any stride (e.g. a transposed view)
 * const w = input.dim(0).extent();                  // an Expr usable in the algorithm
 * ```
 */
export class Dimension {
  constructor(private readonly store: ConstraintStore, readonly index: number) {}

  private symbol(field: "min" | "extent" | "stride"): Expr {
    const name = `${this.store.name}.${field}.${this.index}`, buffer = this.store.source;
    const dim = this.index;
    // `get` gives the interpreter the shape of the buffer bound now.
    const shape = () => (buffer?.bound?.() as { dim(d: number): Record<typeof field, number> } | undefined)?.dim(dim);
    const param = buffer ? { name, type: Int(32), bufferField: { buffer, field, dim }, get: () => shape()?.[field] } : undefined;
    return wrap(ir.variable(Int(32), name, param));
  }
  /** The buffer's min in this dimension. @example `im.dim(0).min()` */
  min(): Expr {
    return this.symbol("min");
  }
  /** The buffer's extent in this dimension. @example `im.dim(1).extent()` */
  extent(): Expr {
    return this.symbol("extent");
  }
  /** The buffer's stride (in elements) in this dimension. @example `im.dim(1).stride()` */
  stride(): Expr {
    return this.symbol("stride");
  }
  /** `min + extent - 1`. @example `im.dim(0).max()` */
  max(): Expr {
    return this.min().add(this.extent()).sub(1);
  }

  private int32(what: string, value: ExprLike): ir.Expr {
    const e = toIR(value);
    if (!e.type.isIntOrUInt() || !Int(32).canRepresent(e.type)) {
      throw new HalideError(`The ${what} of ${this.store.name}.dim(${this.index}) must be an int32, not ${e.type}.`);
    }
    return cast(Int(32) as Type, e);
  }

  private set(field: "min" | "extent" | "stride", value: ExprLike | undefined): this {
    const all = [...this.store.constraints()];
    const e = value === undefined ? undefined : this.int32(`${field} constraint`, value);
    const { [field]: _old, ...rest } = all[this.index];
    all[this.index] = e ? { ...rest, [field]: e } : rest;
    this.store.setConstraints(all);
    return this;
  }
  /** Requires this min (`undefined` clears the constraint). @example `im.dim(0).setMin(0)` */
  setMin(min: ExprLike | undefined): this {
    return this.set("min", min);
  }
  /** Requires this extent (`undefined` clears). @example `im.dim(2).setExtent(3)` */
  setExtent(extent: ExprLike | undefined): this {
    return this.set("extent", extent);
  }
  /** Requires this stride (`undefined` clears, e.g. the default stride 1 of dimension 0). @example `im.dim(0).setStride(undefined)` */
  setStride(stride: ExprLike | undefined): this {
    return this.set("stride", stride);
  }
  /** Requires this min and extent. @example `im.dim(0).setBounds(0, 640)` */
  setBounds(min: ExprLike | undefined, extent: ExprLike | undefined): this {
    return this.setMin(min).setExtent(extent);
  }
  /**
   * The expected min and extent of this dimension, for the autoscheduler (not a constraint; `undefined` clears).
   *
   * @example
   * ```ts
   * input.dim(0).setEstimate(0, 1536);
   * ```
   */
  setEstimate(min: ExprLike | undefined, extent: ExprLike | undefined): this {
    const all = [...this.store.constraints()];
    const { estimate: _old, ...rest } = all[this.index];
    all[this.index] = min === undefined || extent === undefined
      ? rest
      : { ...rest, estimate: { min: this.int32("estimated min", min), extent: this.int32("estimated extent", extent) } };
    this.store.setConstraints(all);
    return this;
  }
  /** The estimate set by {@link Dimension.setEstimate}, if any. @example `input.dim(0).estimate()?.extent` */
  estimate(): { min: Expr; extent: Expr } | undefined {
    const e = this.store.constraints()[this.index].estimate;
    return e && { min: wrap(e.min), extent: wrap(e.extent) };
  }
  /** The next dimension. @example `im.dim(0).dim(1)` */
  dim(i: number): Dimension {
    return new Dimension(this.store, checkIndex(this.store, i));
  }
}

function checkIndex(store: ConstraintStore, i: number): number {
  if (!Number.isInteger(i) || i < 0 || i >= store.dimensions) {
    throw new HalideError(`${store.name} has ${store.dimensions} dimensions; dim(${i}) does not exist.`);
  }
  return i;
}

/**
 * The output buffer of a Func, for constraints on it (`Func.outputBuffer()`).
 *
 * @example
 * ```ts
 * const out = f.outputBuffer();
 * out.dim(0).setStride(undefined);
 * f.realize(transposedView);
 * ```
 */
export class OutputImageParam {
  constructor(protected readonly store: ConstraintStore) {}
  /** The buffer argument's name. */
  get name(): string {
    return this.store.name;
  }
  /** @example `f.outputBuffer().dimensions` */
  get dimensions(): number {
    return this.store.dimensions;
  }
  /** Dimension `i`. @example `f.outputBuffer().dim(1).extent()` */
  dim(i: number): Dimension {
    return new Dimension(this.store, checkIndex(this.store, i));
  }
  /** `dim(0).extent()`. */
  get width(): Expr {
    return this.dim(0).extent();
  }
  /** `dim(1).extent()`. */
  get height(): Expr {
    return this.dim(1).extent();
  }
  /** `dim(2).extent()`. */
  get channels(): Expr {
    return this.dim(2).extent();
  }
  /** `dim(0).min()`. */
  get left(): Expr {
    return this.dim(0).min();
  }
  /** `dim(0).max()`. */
  get right(): Expr {
    return this.dim(0).max();
  }
  /** `dim(1).min()`. */
  get top(): Expr {
    return this.dim(1).min();
  }
  /** `dim(1).max()`. */
  get bottom(): Expr {
    return this.dim(1).max();
  }

  /**
   * Sets the estimated `[min, extent]` of every dimension at once (for the autoscheduler).
   *
   * @example
   * ```ts
   * input.setEstimates([[0, 1536], [0, 2560]]);
   * ```
   */
  setEstimates(ranges: readonly (readonly [ExprLike, ExprLike])[]): this {
    if (ranges.length !== this.dimensions) {
      throw new HalideError(`${this.name} has ${this.dimensions} dimensions, but setEstimates was given ${ranges.length} ranges.`);
    }
    ranges.forEach(([min, extent], d) => this.dim(d).setEstimate(min, extent));
    return this;
  }
}
