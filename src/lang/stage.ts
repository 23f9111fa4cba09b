/**
 * `Stage`: the loop-transform directives of a Func's definition — `split`, `fuse`, `tile`, `reorder`, `rename`,
 * `vectorize`, `unroll`, `parallel`, `serial`. Each records a change in the definition's {@link StageSchedule};
 * lowering turns the record into loops. As in Halide, the loops of a split are named after the loop they came
 * from (`x.xo`, `x.xi`), and users refer to them by their last component (`xo`, `xi`).
 *
 * @module
 */
import { HalideError } from "../error.ts";
import { asConstInt, type Expr as IRExpr } from "../ir/expr.ts";
import type { FunctionDef } from "../ir/function.ts";
import { visitExpr } from "../ir/mutate.ts";
import { equalExprs } from "../ir/equality.ts";
import { type Dim, Partition, type Split, type StageSchedule, TailStrategy } from "../ir/schedule.ts";
import type { ForType } from "../ir/stmt.ts";
import { Int } from "../ir/type.ts";
import { type ExprLike, toIR } from "./expr.ts";
import { cast } from "./ir_operator.ts";
import { Var } from "./var.ts";

export { TailStrategy };

/** A loop variable named in a directive: a Var (RVars arrive with update definitions). */
export type VarOrRVar = Var;

/** The last component of a qualified loop name: `x.xo` → `xo`. */
function baseName(qualified: string): string {
  return qualified.slice(qualified.lastIndexOf(".") + 1);
}

/**
 * The loop-transform directives of one definition of a Func. `Func` forwards its directives to the Stage of
 * its pure definition; update definitions get theirs from `f.update(i)`.
 *
 * @example
 * ```ts
 * const xo = new hl.Var("xo"), xi = new hl.Var("xi");
 * f.split(x, xo, xi, 8).vectorize(xi).parallel(y);
 * ```
 */
export class Stage {
  /**
   * The Stage of definition `stageIndex` of `fn`; `path` selects a specialization (the index of a specialization
   * of the definition's schedule, then of that one's, …).
   */
  constructor(readonly fn: FunctionDef, readonly stageIndex = 0, private readonly path: readonly number[] = []) {}

  /** `f`, or `f.update(i)`, for messages. */
  get name(): string {
    return this.stageIndex === 0 ? this.fn.name : `${this.fn.name}.update(${this.stageIndex - 1})`;
  }

  private get schedule(): StageSchedule {
    return this.path.reduce((s, i) => s.specializations![i].schedule, this.fn.schedule);
  }

  /** Replaces this Stage's schedule (inside the specializations on its path). */
  private write(schedule: StageSchedule): this {
    const rebuild = (s: StageSchedule, depth: number): StageSchedule => {
      if (depth === this.path.length) return schedule;
      const specs = [...s.specializations!];
      const i = this.path[depth];
      specs[i] = { ...specs[i], schedule: rebuild(specs[i].schedule, depth + 1) };
      return { ...s, specializations: specs };
    };
    this.fn.setSchedule(rebuild(this.fn.schedule, 0));
    return this;
  }

  private update(dims: readonly Dim[], splits: readonly Split[] = this.schedule.splits): this {
    return this.write({ ...this.schedule, dims, splits });
  }

  /**
   * A specialization: the Stage returned schedules this definition for when `condition` holds (checked when the
   * pipeline runs, in the order the specializations were made; the first that holds wins). It starts as a copy
   * of the current schedule. Specializing on the same condition again returns the same Stage.
   *
   * @example
   * ```ts
   * f.specialize(width.ge(64)).vectorize(x, 16);   // wide images are vectorized, narrow ones are not
   * ```
   */
  specialize(condition: ExprLike): Stage {
    const cond = toIR(condition);
    if (!cond.type.isBool() || cond.type.isVector()) {
      throw new HalideError(`In schedule for ${this.name}, a specialization condition must be a scalar Bool, not ${cond.type}.`);
    }
    const sched = this.schedule;
    if (sched.failMessage !== undefined) {
      throw new HalideError(`In schedule for ${this.name}, can't add a specialization after specializeFail().`);
    }
    const specs = sched.specializations ?? [];
    const existing = specs.findIndex((sp) => equalExprs(sp.cond, cond));
    if (existing >= 0) return new Stage(this.fn, this.stageIndex, [...this.path, existing]);
    this.write({ ...sched, specializations: [...specs, { cond, schedule: { dims: sched.dims, splits: sched.splits } }] });
    return new Stage(this.fn, this.stageIndex, [...this.path, specs.length]);
  }

  /**
   * Makes the pipeline fail with `message` when none of this definition's specializations holds (it must come
   * after them).
   *
   * @example
   * ```ts
   * f.specialize(w.eq(8)).vectorize(x, 8);
   * f.specializeFail("Only widths of 8 are supported");
   * ```
   */
  specializeFail(message: string): this {
    if (typeof message !== "string") throw new HalideError(`specializeFail takes a message string.`);
    const sched = this.schedule;
    if (sched.failMessage !== undefined) {
      throw new HalideError(`In schedule for ${this.name}, specializeFail() was already called.`);
    }
    return this.write({ ...sched, failMessage: message });
  }

  private argumentList(): string {
    return `Vars: ${this.schedule.dims.map((d) => baseName(d.name)).join(" ")}`;
  }

  /** The position of the loop the user calls `v`, or -1. */
  private find(v: string): number {
    return this.schedule.dims.findIndex((d) => d.name === v || baseName(d.name) === v);
  }

  private require(v: VarOrRVar, what: string): number {
    if (!(v instanceof Var)) throw new HalideError(`In schedule for ${this.name}, ${what} must be a Var, got ${String(v)}`);
    const i = this.find(v.name);
    if (i < 0) {
      throw new HalideError(`In schedule for ${this.name}, could not find ${what}: ${v.name}\n${this.argumentList()}`);
    }
    return i;
  }

  private checkNew(v: VarOrRVar, except: string): void {
    if (!(v instanceof Var)) throw new HalideError(`In schedule for ${this.name}, expected a Var, got ${String(v)}`);
    if (v.name !== except && this.find(v.name) >= 0) {
      throw new HalideError(
        `In schedule for ${this.name}, can't create var ${v.name} using a split or tile, because ${v.name} is ` +
          `already used in this Func's schedule elsewhere.\n${this.argumentList()}`,
      );
    }
  }

  private factorIR(old: VarOrRVar, factor: ExprLike): IRExpr {
    const e = toIR(factor);
    if (!e.type.isIntOrUInt() || !Int(32).canRepresent(e.type)) {
      throw new HalideError(
        `In schedule for ${this.name}, split factor for splitting ${old.name} has type ${e.type}, which is not ` +
          `representable as int32.`,
      );
    }
    visitExpr(e, (n) => {
      if (n.kind === "Variable" && !n.param) {
        throw new HalideError(
          `In schedule for ${this.name}, split factor for splitting ${old.name} depends on ${n.name}; a factor may ` +
            `only depend on constants and Params.`,
        );
      }
    });
    const c = asConstInt(e);
    if (c !== undefined && c <= 0n) {
      throw new HalideError(`In schedule for ${this.name}, split factor for splitting ${old.name} must be positive, got ${c}.`);
    }
    return cast(Int(32), e);
  }

  /**
   * Splits loop `old` into `outer` (stepping by `factor`) and `inner` (`0 ≤ inner < factor`). `tail` says what
   * happens when the extent is not a multiple of the factor (Auto: ShiftInwards in a pure definition).
   *
   * @example
   * ```ts
   * f.split(x, xo, xi, 8);
   * ```
   */
  split(old: VarOrRVar, outer: VarOrRVar, inner: VarOrRVar, factor: ExprLike, tail: TailStrategy = TailStrategy.Auto): this {
    const i = this.require(old, "split dimension");
    if (!(outer instanceof Var) || !(inner instanceof Var)) {
      throw new HalideError(`In schedule for ${this.name}, split needs Vars for the new loops.`);
    }
    if (inner.name === outer.name) {
      throw new HalideError(
        `In schedule for ${this.name}, can't split ${old.name} into ${outer.name} and ${inner.name} because the new ` +
          `Vars have the same name.\n${this.argumentList()}`,
      );
    }
    this.checkNew(outer, old.name);
    this.checkNew(inner, old.name);
    if (!Object.values(TailStrategy).includes(tail)) {
      throw new HalideError(`In schedule for ${this.name}, unknown tail strategy ${String(tail)}.`);
    }
    const f = this.factorIR(old, factor);
    const dims = [...this.schedule.dims];
    const oldName = dims[i].name;
    const innerName = `${oldName}.${inner.name}`, outerName = `${oldName}.${outer.name}`;
    dims.splice(i, 1, { name: innerName, forType: dims[i].forType }, { name: outerName, forType: "Serial" });
    const split: Split = { kind: "split", old: oldName, outer: outerName, inner: innerName, factor: f, tail };
    return this.update(dims, [...this.schedule.splits, split]);
  }

  /**
   * Fuses the adjacent loops `inner` and `outer` (outer immediately outside inner) into one loop `fused`.
   *
   * @example
   * ```ts
   * f.fuse(x, y, xy).parallel(xy);
   * ```
   */
  fuse(inner: VarOrRVar, outer: VarOrRVar, fused: VarOrRVar): this {
    const ii = this.require(inner, "inner fuse dimension");
    const oi = this.require(outer, "outer fuse dimension");
    if (ii === oi) {
      throw new HalideError(
        `In schedule for ${this.name}, inner and outer fuse dimensions must be distinct, both are: ${inner.name}`,
      );
    }
    if (oi !== ii + 1) {
      throw new HalideError(
        `In schedule for ${this.name}, can't fuse ${inner.name} and ${outer.name}: the outer loop must be the one ` +
          `immediately outside the inner loop (reorder them first).\n${this.argumentList()}`,
      );
    }
    this.checkNew(fused, inner.name);
    const dims = [...this.schedule.dims];
    const innerName = dims[ii].name, outerName = dims[oi].name;
    const fusedName = `${innerName}.${fused.name}`;
    dims.splice(ii, 2, { name: fusedName, forType: dims[ii].forType });
    return this.update(dims, [...this.schedule.splits, { kind: "fuse", inner: innerName, outer: outerName, fused: fusedName }]);
  }

  /**
   * Tiles two loops: `tile(x, y, xo, yo, xi, yi, xf, yf, tail?)`, or `tile(x, y, xi, yi, xf, yf, tail?)` reusing
   * `x`/`y` as the outer loops; list forms take arrays. The loops end up ordered `xi, yi, xo, yo` (innermost first).
   *
   * @example
   * ```ts
   * f.tile(x, y, xo, yo, xi, yi, 64, 16).vectorize(xi, 8).parallel(yo);
   * ```
   */
  tile(x: VarOrRVar, y: VarOrRVar, xo: VarOrRVar, yo: VarOrRVar, xi: VarOrRVar, yi: VarOrRVar, xf: ExprLike, yf: ExprLike, tail?: TailStrategy): this;
  tile(x: VarOrRVar, y: VarOrRVar, xi: VarOrRVar, yi: VarOrRVar, xf: ExprLike, yf: ExprLike, tail?: TailStrategy): this;
  tile(vars: readonly VarOrRVar[], outers: readonly VarOrRVar[], inners: readonly VarOrRVar[], factors: readonly ExprLike[], tail?: TailStrategy): this;
  tile(vars: readonly VarOrRVar[], inners: readonly VarOrRVar[], factors: readonly ExprLike[], tail?: TailStrategy): this;
  tile(...a: unknown[]): this {
    let vars: VarOrRVar[], outers: VarOrRVar[], inners: VarOrRVar[], factors: ExprLike[], tail: TailStrategy;
    if (Array.isArray(a[0])) {
      const lists = a.filter(Array.isArray) as unknown[][];
      tail = (a.find((v) => typeof v === "string") as TailStrategy | undefined) ?? TailStrategy.Auto;
      if (lists.length === 4) [vars, outers, inners, factors] = lists as [Var[], Var[], Var[], ExprLike[]];
      else if (lists.length === 3) {
        [vars, inners, factors] = lists as [Var[], Var[], ExprLike[]];
        outers = vars;
      } else throw new HalideError(`In schedule for ${this.name}: tile takes 3 or 4 lists.`);
      if (![outers, inners, factors].every((l) => l.length === vars.length)) {
        throw new HalideError(`In schedule for ${this.name}: the lists passed to tile must all be the same length.`);
      }
    } else if (a.length >= 8 && a[4] instanceof Var) {
      const [x, y, xo, yo, xi, yi, xf, yf, t] = a as [Var, Var, Var, Var, Var, Var, ExprLike, ExprLike, TailStrategy?];
      [vars, outers, inners, factors, tail] = [[x, y], [xo, yo], [xi, yi], [xf, yf], t ?? TailStrategy.Auto];
    } else {
      const [x, y, xi, yi, xf, yf, t] = a as [Var, Var, Var, Var, ExprLike, ExprLike, TailStrategy?];
      [vars, outers, inners, factors, tail] = [[x, y], [x, y], [xi, yi], [xf, yf], t ?? TailStrategy.Auto];
    }
    vars.forEach((v, i) => this.split(v, outers[i], inners[i], factors[i], tail));
    return this.reorder(...inners, ...outers);
  }

  /**
   * Reorders the named loops, innermost first, among the positions they occupy now (other loops stay put).
   *
   * @example
   * ```ts
   * f.reorder(y, x); // y becomes the inner loop
   * ```
   */
  reorder(...vars: VarOrRVar[]): this {
    const positions = vars.map((v) => this.require(v, "var"));
    vars.forEach((v, i) => {
      if (positions.indexOf(positions[i]) !== i) {
        throw new HalideError(`In schedule for ${this.name}, call to reorder references ${v.name} twice.`);
      }
    });
    const dims = [...this.schedule.dims];
    const slots = [...positions].sort((p, q) => p - q);
    const moved = positions.map((p) => this.schedule.dims[p]);
    slots.forEach((slot, i) => (dims[slot] = moved[i]));
    return this.update(dims);
  }

  /**
   * Renames loop `old` to `renamed`.
   *
   * @example
   * ```ts
   * f.rename(x, xx);
   * ```
   */
  rename(old: VarOrRVar, renamed: VarOrRVar): this {
    const i = this.require(old, "rename dimension");
    this.checkNew(renamed, "");
    const dims = [...this.schedule.dims];
    // The new loop is named after the old one (`x.q` renamed to r is `x.q.r`), so it cannot collide with the
    // name of a loop that was split away.
    const oldName = dims[i].name;
    const newName = `${oldName}.${renamed.name}`;
    dims[i] = { ...dims[i], name: newName };
    return this.update(dims, [...this.schedule.splits, { kind: "rename", old: oldName, renamed: newName }]);
  }

  private setForType(v: VarOrRVar, forType: ForType): this {
    const i = this.require(v, "var");
    const dims = [...this.schedule.dims];
    dims[i] = { ...dims[i], forType };
    return this.update(dims);
  }

  /** Splits `v` by `factor` (if given) and marks the inner loop with `forType`, as Halide's directives do. */
  private splitAndMark(v: VarOrRVar, factor: ExprLike | undefined, tail: TailStrategy, forType: ForType, outer: boolean): this {
    if (factor === undefined) return this.setForType(v, forType);
    const tmp = new Var();
    this.split(v, v, tmp, factor, tail);
    return this.setForType(outer ? v : tmp, forType);
  }

  /**
   * Computes loop `v` with SIMD vectors; with a factor, splits it first and vectorizes the inner loop.
   *
   * @example
   * ```ts
   * f.vectorize(x, 8);
   * ```
   */
  vectorize(v: VarOrRVar, factor?: ExprLike, tail: TailStrategy = TailStrategy.Auto): this {
    return this.splitAndMark(v, factor, tail, "Vectorized", false);
  }

  /**
   * Unrolls loop `v` (which must have a constant extent); with a factor, splits it first and unrolls the inner loop.
   *
   * @example
   * ```ts
   * f.unroll(x, 4);
   * ```
   */
  unroll(v: VarOrRVar, factor?: ExprLike, tail: TailStrategy = TailStrategy.Auto): this {
    return this.splitAndMark(v, factor, tail, "Unrolled", false);
  }

  /**
   * Runs the iterations of loop `v` in parallel on the thread pool; with a task size, splits it first and
   * runs the outer loop in parallel (each task does `taskSize` iterations).
   *
   * @example
   * ```ts
   * f.parallel(y);
   * ```
   */
  parallel(v: VarOrRVar, taskSize?: ExprLike, tail: TailStrategy = TailStrategy.Auto): this {
    return this.splitAndMark(v, taskSize, tail, "Parallel", true);
  }

  /**
   * Sets the loop partitioning policy of loop `v`: `Auto` (the default), `Never` (keep the loop whole), or
   * `Always` (partition it, and fail to compile if there is nothing to partition).
   *
   * @example
   * ```ts
   * f.partition(x, hl.Partition.Never);
   * ```
   */
  partition(v: VarOrRVar, policy: Partition): this {
    if (!Object.values(Partition).includes(policy)) {
      throw new HalideError(`In schedule for ${this.name}, partition needs an hl.Partition, not ${String(policy)}.`);
    }
    const i = this.require(v, "var");
    const dims = [...this.schedule.dims];
    dims[i] = { ...dims[i], partition: policy };
    return this.update(dims);
  }
  /** `partition(v, Never)` for each of `vars`. @example `f.neverPartition([x, y])` */
  neverPartition(vars: readonly VarOrRVar[]): this {
    for (const v of vars) this.partition(v, Partition.Never);
    return this;
  }
  /** `partition(v, Always)` for each of `vars`. @example `f.alwaysPartition([x])` */
  alwaysPartition(vars: readonly VarOrRVar[]): this {
    for (const v of vars) this.partition(v, Partition.Always);
    return this;
  }

  /**
   * Marks loop `v` serial (undoing vectorize/unroll/parallel).
   *
   * @example
   * ```ts
   * f.serial(y);
   * ```
   */
  serial(v: VarOrRVar): this {
    return this.setForType(v, "Serial");
  }

  /**
   * The loop variables of this stage, innermost first, as Vars named by their last component.
   *
   * @example
   * ```ts
   * f.split(x, xo, xi, 4).splitVars().map((v) => v.name); // ["xi", "xo", "y", "__outermost"]
   * ```
   */
  splitVars(): Var[] {
    return [...this.schedule.dims.map((d) => new Var(baseName(d.name))), Var.outermost()];
  }
}
