/**
 * `RDom` and `RVar`: reduction domains and their variables, the iteration spaces of update definitions
 * (`hist.at(im.at(r.x, r.y)).addAssign(1)`) and inline reductions (`hl.sum(r, …)`).
 *
 * @module
 */
import { HalideError } from "../error.ts";
import * as ir from "../ir/expr.ts";
import { visitExpr } from "../ir/mutate.ts";
import { exprToString } from "../ir/printer.ts";
import { ReductionDomain, type ReductionVariable } from "../ir/reduction.ts";
import { Int, type Type } from "../ir/type.ts";
import { type Expr, type ExprLike, ExprOps, toIR, wrap } from "./expr.ts";
import { cast } from "./ir_operator.ts";

let rdomCount = 0;
const dimSuffixes = ["x", "y", "z", "w"];

/**
 * A reduction variable: one dimension of an {@link RDom} (`r.x`, `r.dim(i)`), or a free name for the loops that
 * splitting an RVar creates (`new hl.RVar("rxi")`). As an Expr it is the Int(32) loop variable.
 *
 * @example
 * ```ts
 * const r = new hl.RDom([[0, 10]], "r");
 * r.x.name;                 // "r$x"
 * r.x.min.toString();       // "0"
 * const rxo = new hl.RVar("rxo"), rxi = new hl.RVar("rxi");
 * f.update(0).split(r.x, rxo, rxi, 4);
 * ```
 */
export class RVar extends ExprOps {
  readonly #name: string;
  readonly #domain?: ReductionDomain;
  readonly #index: number;

  /** A free RVar named `name` (auto-named if omitted), for split/fuse/rename results. */
  constructor(name?: string);
  /** @internal Dimension `index` of `domain` (use `RDom.x` / `RDom.dim(i)`). */
  constructor(name: string, domain: ReductionDomain | undefined, index: number);
  constructor(name?: string, domain?: ReductionDomain, index = -1) {
    super();
    this.#name = name ?? `rv${rdomCount++}`;
    this.#domain = domain;
    this.#index = index;
  }

  /** The name (`r$x` for dimension 0 of RDom `r`). @example `r.x.name // "r$x"` */
  get name(): string {
    return this.#name;
  }
  /** The domain this RVar belongs to, if any. @example `r.x.domain === r.domain // true` */
  get domain(): ReductionDomain | undefined {
    return this.#domain;
  }
  #dim(): ReductionVariable {
    if (!this.#domain || this.#index < 0 || this.#index >= this.#domain.vars.length) {
      throw new HalideError(`Use of undefined RDom dimension: ${this.#name}`);
    }
    return this.#domain.vars[this.#index];
  }
  /** The first value. @example `new hl.RDom([[2, 5]]).x.min.toString() // "2"` */
  get min(): Expr {
    return wrap(this.#dim().min);
  }
  /** The number of values. @example `new hl.RDom([[2, 5]]).x.extent.toString() // "5"` */
  get extent(): Expr {
    return wrap(this.#dim().extent);
  }
  /** The Int(32) loop variable (an error for a free RVar or an undefined dimension). @example `r.x.toIR().kind // "Variable"` */
  toIR(): ir.Expr {
    this.#dim();
    return this.#domain!.variable(this.#index);
  }
  /** Always Int(32). @example `r.x.type.toString() // "int32"` */
  override get type(): Type {
    return Int(32);
  }
  /** `r$x(min, extent)`, Halide's form. @example `r.x.toString() // "r$x(0, 10)"` */
  override toString(): string {
    if (!this.#domain) return this.#name;
    const d = this.#dim();
    return `${this.#name}(${exprToString(d.min)}, ${exprToString(d.extent)})`;
  }
}

/** Something whose shape an RDom can cover: a Buffer or ImageParam (`dim(i).min/extent`). */
interface Shaped {
  readonly name: string;
  readonly dimensions: number;
  dim(i: number): { readonly min: number | ExprLike; readonly extent: number | ExprLike } | {
    min(): ExprLike;
    extent(): ExprLike;
  };
}

function isShaped(x: unknown): x is Shaped {
  return typeof x === "object" && x !== null && !Array.isArray(x) && typeof (x as Shaped).dim === "function" &&
    typeof (x as Shaped).dimensions === "number";
}

/** `min`/`extent` of dimension `i` of a Buffer (numbers) or an ImageParam (methods returning Exprs). */
function shapeOf(src: Shaped, i: number): [ExprLike, ExprLike] {
  const d = src.dim(i) as Record<string, unknown>;
  const get = (k: "min" | "extent") => (typeof d[k] === "function" ? (d[k] as () => ExprLike)() : d[k] as ExprLike);
  return [get("min"), get("extent")];
}

/** Checks that an RDom bound depends only on constants and parameters (Halide's CheckRDomBounds). */
function rdomBound(name: string, i: number, min: ExprLike, extent: ExprLike): [ir.Expr, ir.Expr] {
  return [min, extent].map((b, k) => {
    const e = toIR(b);
    if (!e.type.isIntOrUInt() || !Int(32).canRepresent(e.type)) {
      throw new HalideError(`RDom ${k === 0 ? "min" : "extent"} cannot be represented as an int32: ${exprToString(e)}`);
    }
    const what = (s: string) =>
      `The bounds of the RDom ${name} in dimension ${i} are:\n  ${exprToString(toIR(min))} ... ${
        exprToString(toIR(extent))
      }\n${s}`;
    visitExpr(e, (n) => {
      if (n.kind === "Call" && n.callType === "Halide") {
        throw new HalideError(what(`These depend on a call to the Func ${n.name}.\nThe bounds of an RDom may not depend on a call to a Func.`));
      }
      if (n.kind === "Variable" && !n.param) {
        throw new HalideError(what(`These depend on the variable ${n.name}.\nThe bounds of an RDom may not depend on a free variable.`));
      }
    });
    return cast(Int(32), e);
  }) as [ir.Expr, ir.Expr];
}

/**
 * A reduction domain: a box of integer points iterated in order (`x` fastest), optionally restricted by
 * predicates (`where`). Its dimensions are {@link RVar}s `r.x r.y r.z r.w` / `r.dim(i)`; a one-dimensional RDom is
 * itself usable as an Expr.
 *
 * @example
 * ```ts
 * const r = new hl.RDom([[0, 10], [0, 20]], "r");   // r.x in [0, 10), r.y in [0, 20)
 * r.where(r.x.lt(r.y));
 * const hist = new hl.Func("hist");
 * hist.at(x).set(0);
 * hist.at(hl.clamp(input.at(r.x, r.y), 0, 255)).addAssign(1);
 * ```
 */
export class RDom extends ExprOps {
  readonly domain: ReductionDomain;
  /** Dimension 0 (an undefined dimension when the RDom has none). */
  readonly x: RVar;
  /** Dimension 1. */
  readonly y: RVar;
  /** Dimension 2. */
  readonly z: RVar;
  /** Dimension 3. */
  readonly w: RVar;

  /** A domain over `ranges` (`[min, extent]` each, Exprs of constants and Params), or over a Buffer's or ImageParam's shape. */
  constructor(ranges: readonly (readonly [ExprLike, ExprLike])[] | Shaped, name?: string) {
    super();
    let bounds: [ExprLike, ExprLike][];
    if (isShaped(ranges)) {
      name ??= (ranges as { constraints?: unknown }).constraints ? ranges.name : `r${rdomCount++}`;
      bounds = Array.from({ length: ranges.dimensions }, (_, i) => shapeOf(ranges, i));
    } else if (Array.isArray(ranges)) {
      name ??= `r${rdomCount++}`;
      bounds = ranges.map((r, i) => {
        if (!Array.isArray(r) || r.length !== 2) {
          throw new HalideError(`RDom range ${i} must be a [min, extent] pair.`);
        }
        return [r[0], r[1]];
      });
    } else {
      throw new HalideError("An RDom is made from a list of [min, extent] ranges, a Buffer or an ImageParam.");
    }
    if (name.includes(".")) throw new HalideError(`RDom name "${name}" is invalid: it may not contain '.'.`);
    const vars = bounds.map(([min, extent], i) => {
      const [mn, ex] = rdomBound(name!, i, min, extent);
      return { name: `${name}$${dimSuffixes[i] ?? i}`, min: mn, extent: ex };
    });
    this.domain = new ReductionDomain(name, vars);
    [this.x, this.y, this.z, this.w] = dimSuffixes.map((s, i) => new RVar(`${name}$${s}`, this.domain, i));
  }

  /** The number of dimensions. @example `new hl.RDom([[0, 4], [0, 4]]).dimensions // 2` */
  get dimensions(): number {
    return this.domain.vars.length;
  }

  /** The domain's name. @example `new hl.RDom([[0, 4]], "r").name // "r"` */
  get name(): string {
    return this.domain.name;
  }

  /** Dimension `i` (out of range is a HalideError). @example `r.dim(1) // r.y` */
  dim(i: number): RVar {
    if (!Number.isInteger(i) || i < 0 || i >= this.dimensions) {
      throw new HalideError(`Reduction domain index out of bounds: ${i}`);
    }
    return i < 4 ? [this.x, this.y, this.z, this.w][i] : new RVar(this.domain.vars[i].name, this.domain, i);
  }

  /**
   * Restricts the domain to the points where `predicate` holds (conjunctively with earlier ones). Returns this
   * RDom. An error once an update definition has used the domain.
   *
   * @example
   * ```ts
   * const r = new hl.RDom([[0, 8], [0, 8]]).where(r.x.add(r.y).lt(8));
   * ```
   */
  where(predicate: ExprLike): this {
    const p = toIR(predicate);
    if (!p.type.isBool() || p.type.isVector()) {
      throw new HalideError(`The predicate of RDom ${this.name} must be a scalar Bool, not ${p.type}.`);
    }
    this.domain.where(p, this.toString());
    return this;
  }

  /** A one-dimensional RDom as its RVar's Expr. @example `f.at(r).set(r)` */
  toIR(): ir.Expr {
    if (this.dimensions !== 1) {
      throw new HalideError(
        `Can't treat this multidimensional RDom as an Expr:\n${this}\nOnly single-dimensional RDoms can be cast to Expr.`,
      );
    }
    return this.x.toIR();
  }

  /** Iterates over the RVars. @example `for (const rv of r) console.log(rv.name)` */
  *[Symbol.iterator](): Iterator<RVar> {
    for (let i = 0; i < this.dimensions; i++) yield this.dim(i);
  }

  /**
   * Halide's form: `RDom(\n  r$x(0, 10)\n)`, followed by ` where (predicate)` once one is given.
   *
   * @example
   * ```ts
   * String(new hl.RDom([[0, 10]], "r").where(r.x.lt(5)));   // "RDom(\n  r$x(0, 10)\n) where ((r$x < 5))"
   * ```
   */
  override toString(): string {
    const pred = this.domain.predicate;
    const where = pred.kind === "IntImm" && pred.value === 1n ? "" : ` where (${exprToString(pred)})`;
    return `RDom(\n${[...this].map((v) => `  ${v}\n`).join("")})${where}`;
  }
}

/** The RVar that `v` names when it is an RDom (one-dimensional) or an RVar, else undefined. */
export function asRVar(v: unknown): RVar | undefined {
  if (v instanceof RVar) return v;
  if (v instanceof RDom) {
    if (v.dimensions !== 1) {
      throw new HalideError(`Can't treat this multidimensional RDom as an RVar:\n${v}\nOnly single-dimensional RDoms can be cast to RVar.`);
    }
    return v.x;
  }
  return undefined;
}
