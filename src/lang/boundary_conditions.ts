/**
 * `hl.BoundaryConditions`: Funcs that extend a bounded source (a Buffer, an ImageParam, or a Func with given bounds)
 * over the infinite domain, as Halide's `BoundaryConditions` namespace does:
 *
 * | function | value at a coordinate outside `[min, min + extent)` |
 * |---|---|
 * | `constantExterior(f, value)` | `value` |
 * | `repeatEdge(f)` | the nearest edge sample (the coordinate clamped) |
 * | `repeatImage(f)` | the source tiled over the plane (the coordinate wrapped, Euclidean modulo) |
 * | `mirrorImage(f)` | the source reflected, the edge sample repeated: `…2 1 0 \| 0 1 2…` |
 * | `mirrorInterior(f)` | the source reflected about the edge sample: `…2 1 \| 0 1 2…` |
 *
 * Each dimension is bounded by a range `[min, extent]`; `undefined` in place of a range (or fewer ranges than the
 * source has dimensions) leaves a dimension unbounded. Buffers and ImageParams are bounded by their own shape
 * unless ranges are given. The expressions are Halide's: every read of the source is at a coordinate clamped (or
 * already mapped) into the bounds, so bounds inference needs no more of it than the bounds, and inside the bounds
 * the coordinate is a clamp of the loop variable, which loop partitioning removes from the steady state of a loop
 * over a large region (see {@link repeatEdge}).
 *
 * @example
 * ```ts
 * const input = new hl.ImageParam(hl.UInt(8), 2, "input");
 * const clamped = hl.BoundaryConditions.repeatEdge(input);
 * blur.at(x, y).set(clamped.at(x.sub(1), y).add(clamped.at(x.add(1), y)));
 * ```
 *
 * @module
 */
import { HalideError } from "../error.ts";
import { exprToString } from "../ir/printer.ts";
import { Int, type Type } from "../ir/type.ts";
import * as ir from "../ir/expr.ts";
import { Buffer } from "../runtime/buffer.ts";
import { type Expr, type ExprLike, ExprOps, toIR, wrap } from "./expr.ts";
import { Func, type FuncRef } from "./func.ts";
import { losslessCast } from "./ir_operator.ts";
import { lambda } from "./lambda.ts";
import { abs, clamp, likely, or, select } from "./operators.ts";
import { ImageParam } from "./param.ts";
import { _, type Var } from "./var.ts";
import "./augment.ts"; // buf.at(...)

/**
 * What a boundary condition extends: a Buffer or an ImageParam (bounded by its shape unless bounds are given), or
 * a defined Func (bounds required).
 *
 * @example
 * ```ts
 * const src: hl.BoundarySource = new hl.Buffer(hl.UInt(8), [32, 32]);
 * ```
 */
export type BoundarySource = Func | Buffer | ImageParam;

/**
 * The range `[min, extent]` of one dimension; both must be int32 (or losslessly convertible, such as uint8 Exprs
 * and integral numbers).
 *
 * @example
 * ```ts
 * const r: hl.BoundsRange = [0, input.width];
 * ```
 */
export type BoundsRange = readonly [min: ExprLike, extent: ExprLike];

/**
 * One range per dimension, from the first; `undefined` (or leaving out trailing dimensions) means unbounded.
 *
 * @example
 * ```ts
 * const b: hl.Bounds = [[0, 640], undefined, [0, 3]]; // y unbounded
 * ```
 */
export type Bounds = readonly (BoundsRange | undefined)[];

/** A bounded dimension: `min`, `extent` and `max = min + extent - 1` as int32 Exprs. */
interface Range {
  readonly min: Expr;
  readonly extent: Expr;
  readonly max: Expr;
}

/** A source ready to be extended: callable as a Func, with its pure variables and per-dimension ranges. */
interface Prepared {
  readonly func: Func;
  readonly args: readonly Var[];
  /** One per argument; undefined for an unbounded dimension. */
  readonly ranges: readonly (Range | undefined)[];
}

function describe(x: unknown): string {
  if (x === null || x === undefined) return String(x);
  if (typeof x === "object") return `an object of class ${x.constructor?.name ?? "Object"}`;
  return `a ${typeof x}`;
}

/** `e` as an int32 Expr, or a HalideError naming the bound (Halide's `Range` constructor check). */
function int32Bound(api: string, what: string, dim: number, e: ExprLike): Expr {
  if (!(e instanceof ExprOps) && typeof e !== "number" && typeof e !== "bigint" && typeof e !== "boolean") {
    throw new HalideError(
      `${api}: the ${what} of dimension ${dim} must be an int32 Expr or number, not ${describe(e)}.`,
    );
  }
  const value = toIR(e);
  const converted = value.type.isBool() ? undefined : losslessCast(Int(32), value);
  if (!converted) {
    throw new HalideError(
      `${api}: the ${what} of dimension ${dim} (${exprToString(value)}, of type ${value.type}) is not representable ` +
        `as an int32.`,
    );
  }
  return wrap(converted);
}

function range(api: string, dim: number, min: ExprLike, extent: ExprLike): Range {
  const lo = int32Bound(api, "min", dim, min), n = int32Bound(api, "extent", dim, extent);
  return { min: lo, extent: n, max: lo.add(n).sub(1) };
}

/** The bounds of a Buffer or ImageParam: its own shape (constants for a Buffer, Exprs for an ImageParam). */
function shapeOf(source: Buffer | ImageParam): BoundsRange[] {
  return Array.from({ length: source.dimensions }, (_, d): BoundsRange => {
    if (source instanceof Buffer) return [source.dim(d).min, source.dim(d).extent];
    return [source.dim(d).min(), source.dim(d).extent()];
  });
}

/** Validates the source and bounds of boundary condition `api` (see the module documentation). */
function prepare(api: string, source: BoundarySource, bounds: Bounds | undefined): Prepared {
  let func: Func;
  if (source instanceof Func) {
    if (!source.defined()) throw new HalideError(`${api}: Func "${source.name}" is undefined.`);
    if (bounds === undefined) {
      throw new HalideError(
        `${api}: a Func source ("${source.name}") needs explicit bounds, one [min, extent] (or undefined) per ` +
          `dimension.`,
      );
    }
    func = source;
  } else if (source instanceof Buffer || source instanceof ImageParam) {
    if (source instanceof Buffer && !source.defined()) {
      throw new HalideError(`${api}: Buffer "${source.name}" is undefined.`);
    }
    func = lambda(_, source.at(_));
    bounds ??= shapeOf(source);
  } else {
    throw new HalideError(
      `Invalid arguments to ${api}: the source must be a Func, Buffer or ImageParam, not ${describe(source)}.`,
    );
  }
  if (!Array.isArray(bounds)) {
    throw new HalideError(
      `${api}: bounds must be a list of [min, extent] ranges (or undefined), not ${describe(bounds)}.`,
    );
  }
  const args = func.args();
  if (bounds.length > args.length) {
    throw new HalideError(
      `${api} called with more bounds (${bounds.length}) than dimensions (${args.length}) Func ${func.name} has.`,
    );
  }
  const ranges = args.map((_, d): Range | undefined => {
    const r: unknown = bounds![d];
    if (r === undefined) return undefined;
    if (!Array.isArray(r) || r.length !== 2) {
      throw new HalideError(
        `${api}: the bounds of dimension ${d} must be [min, extent] or undefined, not ${describe(r)}.`,
      );
    }
    if (r[0] === undefined && r[1] === undefined) return undefined; // Python's (Expr(), Expr())
    if (r[0] === undefined || r[1] === undefined) {
      throw new HalideError(`${api}: partially undefined bounds for dimension ${d} of Func ${func.name}.`);
    }
    return range(api, d, r[0], r[1]);
  });
  return { func, args, ranges };
}

/** The values of a call: one per Tuple element. */
function elementsOf(ref: FuncRef, outputs: number): ExprLike[] {
  return outputs === 1 ? [ref] : Array.from({ length: outputs }, (_, i) => ref.elem(i));
}

/**
 * `x` clamped into `r`. Halide writes `clamp(likely(x), …)` for its loop partitioner; this compiler's partitioner
 * (src/lower/partition_loops.ts) finds a clamp of an affine coordinate without the mark, so it is left bare.
 */
function clampInto(x: ExprLike, r: Range): Expr {
  return clamp(x, r.min, r.max);
}

/** `x < min || x > max`. */
function outside(x: Var, r: Range): Expr {
  return x.lt(r.min).or(x.gt(r.max));
}

/**
 * A new Func named `name` reading the source at `map(x, range)` in each bounded dimension (`x` elsewhere): the
 * shape shared by repeatEdge, repeatImage, mirrorImage and mirrorInterior.
 */
function remap(
  api: string,
  name: string,
  source: BoundarySource,
  bounds: Bounds | undefined,
  map: (x: Var, r: Range) => Expr,
): Func {
  const { func, args, ranges } = prepare(api, source, bounds);
  const coords = args.map((x, d) => (ranges[d] ? map(x, ranges[d]!) : x));
  const bounded = new Func(name);
  bounded.at(...args).set(elementsOf(func.at(...coords), func.outputs));
  return bounded;
}

/**
 * Outside the range: `exterior` (a coordinate already mapped into it); inside: the coordinate itself, clamped —
 * Halide's form. (Halide also marks the inside branch `likely`, so that its partitioner drops the select from the
 * steady state; this one does not resolve selects yet.)
 */
function wrapOutside(x: Var, r: Range, exterior: Expr): Expr {
  return select(outside(x, r), exterior, clampInto(x, r));
}

/**
 * The exterior value `v` for a source value of type `t` (`source` names it in errors): numbers take `t` if they fit
 * it exactly; Exprs and booleans must already have it.
 */
function exteriorValue(api: string, source: string, v: ExprLike, t: Type): Expr {
  let e: ir.Expr;
  if (typeof v === "number" || typeof v === "bigint") {
    const fits = t.isFloat()
      ? typeof v === "number"
      : t.isIntOrUInt() && (typeof v === "bigint" || Number.isInteger(v)) && t.canRepresent(v);
    if (!fits) {
      throw new HalideError(`${api}: the exterior value ${v} is not representable as ${t}, the type of ${source}.`);
    }
    e = ir.makeConst(t, v);
  } else if (typeof v === "boolean" || v instanceof ExprOps) {
    e = toIR(v);
  } else {
    throw new HalideError(`${api}: the exterior value must be an Expr or a number, not ${describe(v)}.`);
  }
  if (!e.type.equals(t)) {
    throw new HalideError(
      `${api}: the exterior value ${exprToString(e)} has type ${e.type}, but ${source} has type ${t}. ` +
        `Use an explicit cast.`,
    );
  }
  return wrap(e);
}

/**
 * Extends `source` with a constant: inside the bounds the source, outside them `value` (a list for a Tuple-valued
 * Func, one value per element). Numbers take the source's type if they fit it exactly; Exprs must have it. As in
 * Halide, the source is read at clamped coordinates (so the read stays in bounds and bounds inference stays
 * finite) and marked `likely`. The result is named `constant_exterior`.
 *
 * @example
 * ```ts
 * const input = new hl.Buffer(hl.UInt(8), [32, 32]);
 * const padded = hl.BoundaryConditions.constantExterior(input, 0);
 * padded.realize([40, 40]).get([35, 1]); // 0
 * const g = hl.BoundaryConditions.constantExterior(f, hl.f32(-1), [[0, 100], undefined]); // f: a Func
 * ```
 */
export function constantExterior(
  source: BoundarySource,
  value: ExprLike | readonly ExprLike[],
  bounds?: Bounds,
): Func {
  const api = "BoundaryConditions.constantExterior";
  const { func, args, ranges } = prepare(api, source, bounds);
  const types = func.types;
  const values: readonly ExprLike[] = Array.isArray(value) ? value as readonly ExprLike[] : [value as ExprLike];
  if (values.length !== types.length) {
    throw new HalideError(
      `${api}: Func ${func.name} has ${types.length} value${types.length === 1 ? "" : "s"}, but the exterior ` +
        `value has ${values.length}.`,
    );
  }
  const where = (i: number) => (types.length === 1 ? `Func ${func.name}` : `element ${i} of Func ${func.name}`);
  const exterior = values.map((v, i) => exteriorValue(api, where(i), v, types[i]));
  const outsides = args.flatMap((x, d) => (ranges[d] ? [outside(x, ranges[d]!)] : []));
  const inside = func.at(...args.map((x, d) => (ranges[d] ? clampInto(x, ranges[d]!) : x)));
  const definition = elementsOf(inside, types.length).map((e, i) =>
    outsides.length === 0 ? likely(e) : select(outsides.reduce((a, b) => or(a, b)), exterior[i], likely(e))
  );
  const result = new Func("constant_exterior");
  result.at(...args).set(definition);
  return result;
}

/**
 * Extends `source` by repeating its edge: the coordinate is clamped into the bounds. The result is named
 * `repeat_edge`.
 *
 * @example
 * ```ts
 * const input = new hl.ImageParam(hl.Float(32), 2, "input");
 * const clamped = hl.BoundaryConditions.repeatEdge(input);                  // bounded by input's shape
 * const g = hl.BoundaryConditions.repeatEdge(f, [[0, 64], [0, 48]]);       // f: a Func
 * ```
 */
export function repeatEdge(source: BoundarySource, bounds?: Bounds): Func {
  return remap("BoundaryConditions.repeatEdge", "repeat_edge", source, bounds, clampInto);
}

/**
 * Extends `source` by tiling it over the plane: the coordinate is wrapped into the bounds (Euclidean modulo,
 * so `min - 1` reads `max`). The result is named `repeat_image`.
 *
 * @example
 * ```ts
 * const input = new hl.Buffer(hl.UInt(8), [4]);
 * const tiled = hl.BoundaryConditions.repeatImage(input);
 * // tiled(-1) = input(3), tiled(5) = input(1)
 * ```
 */
export function repeatImage(source: BoundarySource, bounds?: Bounds): Func {
  return remap(
    "BoundaryConditions.repeatImage",
    "repeat_image",
    source,
    bounds,
    (x, r) => wrapOutside(x, r, x.sub(r.min).mod(r.extent).add(r.min)),
  );
}

/**
 * Extends `source` by reflecting it across its edges, the edge sample included: with bounds `[0, 4]` the
 * coordinates …, -2, -1, 0, …, 3, 4, 5, … read 1, 0, 0, …, 3, 3, 2. The result is named `mirror_image`.
 *
 * @example
 * ```ts
 * const input = new hl.Buffer(hl.UInt(8), [4]);
 * const mirrored = hl.BoundaryConditions.mirrorImage(input);
 * // mirrored(-1) = input(0), mirrored(4) = input(3)
 * ```
 */
export function mirrorImage(source: BoundarySource, bounds?: Bounds): Func {
  return remap("BoundaryConditions.mirrorImage", "mirror_image", source, bounds, (x, r) => {
    const period = r.extent.mul(2);
    const t = x.sub(r.min).mod(period); // 0 .. 2·extent - 1
    const folded = select(t.ge(r.extent), period.sub(1).sub(t), t).add(r.min);
    return wrapOutside(x, r, clamp(folded, r.min, r.max));
  });
}

/**
 * Extends `source` by reflecting it about its edge samples, which are not repeated: with bounds `[0, 4]` the
 * coordinates …, -2, -1, 0, …, 3, 4, 5, … read 2, 1, 0, …, 3, 2, 1. The result is named `mirror_interior`.
 *
 * @example
 * ```ts
 * const input = new hl.Buffer(hl.UInt(8), [4]);
 * const mirrored = hl.BoundaryConditions.mirrorInterior(input);
 * // mirrored(-1) = input(1), mirrored(4) = input(2)
 * ```
 */
export function mirrorInterior(source: BoundarySource, bounds?: Bounds): Func {
  return remap("BoundaryConditions.mirrorInterior", "mirror_interior", source, bounds, (x, r) => {
    const limit = r.extent.sub(1);
    const t = x.sub(r.min).mod(limit.mul(2)).sub(limit); // -limit .. limit - 1
    // Already in range; the clamp tells bounds inference so (it has no rule for abs).
    return wrapOutside(x, r, clamp(limit.sub(abs(t)).add(r.min), r.min, r.max));
  });
}
