/**
 * `Var`: a named Int(32) dimension of a Func's domain, usable in expressions.
 *
 * @module
 */
import * as ir from "../ir/expr.ts";
import { Int, type Type } from "../ir/type.ts";
import { ExprOps } from "./expr.ts";

let autoNameCount = 0;

/**
 * A pure variable: the name of one dimension of a Func's domain. In expressions it is an Int(32) value.
 * Two Vars are the same if their names are ({@link Var.sameAs}).
 *
 * @example
 * ```ts
 * const x = new hl.Var("x"), y = new hl.Var("y");
 * f.at(x, y).set(x.add(y));
 * new hl.Var().name;   // "v0", "v1", … (auto-named)
 * ```
 */
export class Var extends ExprOps {
  /** The variable's name. */
  readonly name: string;
  readonly #node: ir.Variable;

  /** A Var named `name`, or a fresh unique name (`v0`, `v1`, …) if omitted. */
  constructor(name?: string) {
    super();
    this.name = name ?? `v${autoNameCount++}`;
    this.#node = ir.variable(Int(32), this.name);
  }

  /** The implicit variable `_i` used for placeholder expansion (see {@link _}). @example `hl.Var.implicit(0).name // "_0"` */
  static implicit(i: number): Var {
    return new Var(`_${i}`);
  }
  /** The Var naming the level outside the outermost loop. @example `hl.Var.outermost().name // "__outermost"` */
  static outermost(): Var {
    return new Var("__outermost");
  }
  /**
   * The index of an implicit variable name (`"_3"` → 3), or -1 for other names. As in Halide, the placeholder
   * `"_"` itself counts as implicit with index 0.
   *
   * @example
   * ```ts
   * hl.Var.implicitIndex("_2"); // 2
   * ```
   */
  static implicitIndex(name: string): number {
    return /^_[0-9]*$/.test(name) ? Number(name.slice(1) || "0") : -1;
  }

  /** Whether both Vars have the same name. @example `new hl.Var("x").sameAs(new hl.Var("x")) // true` */
  sameAs(other: Var): boolean {
    return this.name === other.name;
  }
  /** Whether this is an implicit variable (`_0`, `_1`, …; Halide also counts `_`). @example `hl.Var.implicit(1).isImplicit() // true` */
  isImplicit(): boolean {
    return Var.implicitIndex(this.name) !== -1;
  }
  /** This Var's implicit index, or -1. @example `hl.Var.implicit(1).implicitIndex() // 1` */
  implicitIndex(): number {
    return Var.implicitIndex(this.name);
  }
  /** Whether this is the placeholder {@link _}. @example `hl._.isPlaceholder() // true` */
  isPlaceholder(): boolean {
    return this.name === "_";
  }
  /** The Int(32) Variable node. @example `x.toIR().kind // "Variable"` */
  toIR(): ir.Expr {
    return this.#node;
  }
  /** Always Int(32). @example `x.type.toString() // "int32"` */
  override get type(): Type {
    return this.#node.type;
  }
  /** The name. @example `x.toString() // "x"` */
  override toString(): string {
    return this.name;
  }
}

/**
 * The placeholder: in `f.at(_)`, `g.at(x, _)` or `buf.at(_)` it stands for as many implicit variables as the
 * callee has remaining dimensions, and in a definition's left-hand side for the implicit variables used on the
 * right.
 *
 * @example
 * ```ts
 * const g = new hl.Func("g");
 * g.at(hl._).set(f.at(hl._).add(1));   // g has f's dimensionality
 * ```
 */
export const _: Var = new Var("_");

/** Implicit variable `_0` (see {@link _}); `_0` … `_9` are predeclared as in Python. @example `f.at(hl._0, hl._1)` */
export const _0: Var = Var.implicit(0);
/** Implicit variable `_1`. @example `f.at(hl._0, hl._1)` */
export const _1: Var = Var.implicit(1);
/** Implicit variable `_2`. @example `f.at(hl._0, hl._1, hl._2)` */
export const _2: Var = Var.implicit(2);
/** Implicit variable `_3`. @example `f.at(hl._3)` */
export const _3: Var = Var.implicit(3);
/** Implicit variable `_4`. @example `f.at(hl._4)` */
export const _4: Var = Var.implicit(4);
/** Implicit variable `_5`. @example `f.at(hl._5)` */
export const _5: Var = Var.implicit(5);
/** Implicit variable `_6`. @example `f.at(hl._6)` */
export const _6: Var = Var.implicit(6);
/** Implicit variable `_7`. @example `f.at(hl._7)` */
export const _7: Var = Var.implicit(7);
/** Implicit variable `_8`. @example `f.at(hl._8)` */
export const _8: Var = Var.implicit(8);
/** Implicit variable `_9`. @example `f.at(hl._9)` */
export const _9: Var = Var.implicit(9);
