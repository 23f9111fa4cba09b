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

/** Where a buffer argument's constraints live (an output Func, later an ImageParam). */
export interface ConstraintStore {
  readonly name: string;
  readonly dimensions: number;
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
    return wrap(ir.variable(Int(32), `${this.store.name}.${field}.${this.index}`));
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

  private set(field: keyof DimConstraint, value: ExprLike | undefined): this {
    const all = [...this.store.constraints()];
    let e: ir.Expr | undefined;
    if (value !== undefined) {
      e = toIR(value);
      if (!e.type.isIntOrUInt() || !Int(32).canRepresent(e.type)) {
        throw new HalideError(`The ${field} constraint of ${this.store.name}.dim(${this.index}) must be an int32, not ${e.type}.`);
      }
      e = cast(Int(32) as Type, e);
    }
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
}
