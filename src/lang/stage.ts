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
import { isConstAssignment, proveAssociativity } from "../ir/reduction.ts";
import { type Dim, Partition, type Split, type StageSchedule, TailStrategy } from "../ir/schedule.ts";
import type { ForType } from "../ir/stmt.ts";
import { Int } from "../ir/type.ts";
import { type ExprLike, toIR } from "./expr.ts";
import { cast } from "./ir_operator.ts";
import { Var } from "./var.ts";
import { asRVar, RDom, RVar } from "./rdom.ts";
import type { Func } from "./func.ts";
import { rfactorStage } from "./rfactor.ts";

export { TailStrategy };

/** A loop variable named in a directive: a Var, an RVar, or a one-dimensional RDom (its RVar). */
export type VarOrRVar = Var | RVar | RDom;

/** The name and kind of a loop variable named in a directive, or undefined if it is neither a Var nor an RVar. */
function loopVar(v: unknown): { name: string; isRVar: boolean } | undefined {
  if (v instanceof Var) return { name: v.name, isRVar: false };
  const r = v instanceof RVar || v instanceof RDom ? asRVar(v) : undefined;
  return r ? { name: r.name, isRVar: true } : undefined;
}

function isRVarDim(d: Dim): boolean {
  return d.dimType === "PureRVar" || d.dimType === "ImpureRVar";
}

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
    return this.path.reduce((s, i) => s.specializations![i].schedule, this.fn.stageSchedule(this.stageIndex));
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
    this.fn.setStageSchedule(this.stageIndex, { ...rebuild(this.fn.stageSchedule(this.stageIndex), 0), touched: true });
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
    const lv = loopVar(v);
    if (!lv) throw new HalideError(`In schedule for ${this.name}, ${what} must be a Var or RVar, got ${String(v)}`);
    const i = this.find(lv.name);
    if (i < 0) {
      throw new HalideError(`In schedule for ${this.name}, could not find ${what}: ${lv.name}\n${this.argumentList()}`);
    }
    const d = this.schedule.dims[i];
    if (isRVarDim(d) !== lv.isRVar) {
      throw new HalideError(
        `${lv.isRVar ? "RVar" : "Var"} ${lv.name} used in scheduling directive has the same name as existing ` +
          `${isRVarDim(d) ? "RVar" : "Var"} ${d.name}`,
      );
    }
    return i;
  }

  private checkNew(v: VarOrRVar, except: string): string {
    const lv = loopVar(v);
    if (!lv) throw new HalideError(`In schedule for ${this.name}, expected a Var or RVar, got ${String(v)}`);
    if (lv.name !== except && this.find(lv.name) >= 0) {
      throw new HalideError(
        `In schedule for ${this.name}, can't create var ${lv.name} using a split or tile, because ${lv.name} is ` +
          `already used in this Func's schedule elsewhere.\n${this.argumentList()}`,
      );
    }
    return lv.name;
  }

  /** Whether loop `name` descends from the inner loop of an earlier split (RoundUp would then recompute values). */
  private isInnerOfSplit(name: string): boolean {
    const inner = new Set<string>();
    for (const sp of this.schedule.splits) {
      if (sp.kind === "split") {
        inner.add(sp.inner);
        if (inner.has(sp.old)) inner.add(sp.outer);
      } else if (sp.kind === "rename" && inner.has(sp.old)) inner.add(sp.renamed);
      else if (sp.kind === "fuse" && (inner.has(sp.inner) || inner.has(sp.outer))) inner.add(sp.fused);
    }
    return inner.has(name);
  }

  /**
   * The tail strategy of a split of `dim` in this stage, with Halide's rules: `Auto` is ShiftInwards in a pure
   * definition; in an update, GuardWithIf for an RVar (which must not run twice or beyond its domain) and RoundUp
   * for a pure variable unless it comes from an inner loop of an earlier split.
   */
  private tailFor(dim: Dim, tail: TailStrategy): TailStrategy {
    if (this.stageIndex === 0) return tail;
    const v = baseName(dim.name);
    if (isRVarDim(dim)) {
      if (tail === "Auto") return "GuardWithIf";
      if (tail !== "GuardWithIf" && tail !== "Predicate") {
        throw new HalideError(
          `When splitting Var ${v} the tail strategy must be GuardWithIf, Predicate, or Auto. Anything else may ` +
            `change the meaning of the algorithm`,
        );
      }
      return tail;
    }
    if (tail === "ShiftInwards") {
      throw new HalideError(
        `When splitting Var ${v} ShiftInwards is not a legal tail strategy for update definitions, as it may change ` +
          `the meaning of the algorithm`,
      );
    }
    const roundUpOk = !this.isInnerOfSplit(dim.name);
    if (tail === "RoundUp" && !roundUpOk) {
      throw new HalideError(
        `Can't use TailStrategy::RoundUp for splitting ${v} in update definition of ${this.fn.name}. It may ` +
          `redundantly recompute some values, which could change the meaning of the algorithm. Use ` +
          `TailStrategy::GuardWithIf instead.`,
      );
    }
    return tail === "Auto" ? (roundUpOk ? "RoundUp" : "GuardWithIf") : tail;
  }

  private factorIR(old: string, factor: ExprLike): IRExpr {
    const e = toIR(factor);
    if (!e.type.isIntOrUInt() || !Int(32).canRepresent(e.type)) {
      throw new HalideError(
        `In schedule for ${this.name}, split factor for splitting ${old} has type ${e.type}, which is not ` +
          `representable as int32.`,
      );
    }
    visitExpr(e, (n) => {
      if (n.kind === "Variable" && !n.param) {
        throw new HalideError(
          `In schedule for ${this.name}, split factor for splitting ${old} depends on ${n.name}; a factor may ` +
            `only depend on constants and Params.`,
        );
      }
    });
    const c = asConstInt(e);
    if (c !== undefined && c <= 0n) {
      throw new HalideError(`In schedule for ${this.name}, split factor for splitting ${old} must be positive, got ${c}.`);
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
    const o = loopVar(outer), n = loopVar(inner), src = loopVar(old)!;
    if (!o || !n) throw new HalideError(`In schedule for ${this.name}, split needs Vars or RVars for the new loops.`);
    for (const [v, what] of [[o, outer], [n, inner]] as const) {
      if (src.isRVar && !v.isRVar) throw new HalideError(`Can't split RVar ${src.name} into Var ${loopVar(what)!.name}`);
      if (!src.isRVar && v.isRVar) throw new HalideError(`Can't split Var ${src.name} into RVar ${loopVar(what)!.name}`);
    }
    if (n.name === o.name) {
      throw new HalideError(
        `In schedule for ${this.name}, can't split ${src.name} into ${o.name} and ${n.name} because the new ` +
          `Vars have the same name.\n${this.argumentList()}`,
      );
    }
    this.checkNew(outer, src.name);
    this.checkNew(inner, src.name);
    if (!Object.values(TailStrategy).includes(tail)) {
      throw new HalideError(`In schedule for ${this.name}, unknown tail strategy ${String(tail)}.`);
    }
    const f = this.factorIR(src.name, factor);
    const dims = [...this.schedule.dims];
    const d = dims[i];
    const resolved = this.tailFor(d, tail);
    const innerName = `${d.name}.${n.name}`, outerName = `${d.name}.${o.name}`;
    dims.splice(i, 1, { ...d, name: innerName }, { name: outerName, forType: "Serial", dimType: d.dimType });
    const split: Split = { kind: "split", old: d.name, outer: outerName, inner: innerName, factor: f, tail: resolved };
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
    const [ni, no] = [loopVar(inner)!, loopVar(outer)!];
    if (ii === oi) {
      throw new HalideError(`In schedule for ${this.name}, inner and outer fuse dimensions must be distinct, both are: ${ni.name}`);
    }
    const fv = loopVar(fused);
    if (fv && !fv.isRVar) {
      if (no.isRVar) throw new HalideError(`Can't fuse Var ${fv.name} from RVar ${no.name}`);
      if (ni.isRVar) throw new HalideError(`Can't fuse Var ${fv.name} from RVar ${ni.name}`);
    }
    if (oi !== ii + 1) {
      throw new HalideError(
        `In schedule for ${this.name}, can't fuse ${ni.name} and ${no.name}: the outer loop must be the one ` +
          `immediately outside the inner loop (reorder them first).\n${this.argumentList()}`,
      );
    }
    const fusedName = `${this.schedule.dims[ii].name}.${this.checkNew(fused, ni.name)}`;
    const dims = [...this.schedule.dims];
    const [di, dOut] = [dims[ii], dims[oi]];
    const types = [di.dimType, dOut.dimType];
    const dimType = types.includes("ImpureRVar") ? "ImpureRVar" : types.includes("PureRVar") ? "PureRVar" : undefined;
    dims.splice(ii, 2, { name: fusedName, forType: di.forType, ...(dimType ? { dimType } : {}) });
    return this.update(dims, [...this.schedule.splits, { kind: "fuse", inner: di.name, outer: dOut.name, fused: fusedName }]);
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
        throw new HalideError(`In schedule for ${this.name}, call to reorder references ${loopVar(v)!.name} twice.`);
      }
    });
    const dims = [...this.schedule.dims];
    // Swapping two impure reduction loops changes the order values are combined in: only legal when the update
    // is associative and commutative.
    positions.forEach((p, i) => {
      for (let j = i + 1; j < positions.length; j++) {
        const q = positions[j];
        if (dims[p].dimType === "ImpureRVar" && dims[q].dimType === "ImpureRVar" && p > q && !this.isCommutative()) {
          throw new HalideError(
            `In schedule for ${this.name}, can't reorder RVars ${loopVar(vars[i])!.name} and ${loopVar(vars[j])!.name} ` +
              `because it may change the meaning of the algorithm.`,
          );
        }
      }
    });
    const slots = [...positions].sort((p, q) => p - q);
    const moved = positions.map((p) => this.schedule.dims[p]);
    slots.forEach((slot, i) => (dims[slot] = moved[i]));
    return this.update(dims);
  }

  /** Whether this stage's update provably combines values associatively and commutatively (or just stores). */
  private isCommutative(): boolean {
    if (this.stageIndex === 0) return true;
    const def = this.fn.updates[this.stageIndex - 1];
    return isConstAssignment(this.fn, def) || proveAssociativity(this.fn, def)?.commutative === true;
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
    const [from, to] = [loopVar(old)!, loopVar(renamed)];
    if (to && from.isRVar !== to.isRVar) {
      throw new HalideError(`In schedule for ${this.name}, can't rename ${from.isRVar ? "RVar" : "Var"} ${from.name} into ${to.isRVar ? "RVar" : "Var"} ${to.name}`);
    }
    const newBase = this.checkNew(renamed, "");
    const dims = [...this.schedule.dims];
    // The new loop is named after the old one (`x.q` renamed to r is `x.q.r`), so it cannot collide with the
    // name of a loop that was split away.
    const oldName = dims[i].name;
    const newName = `${oldName}.${newBase}`;
    dims[i] = { ...dims[i], name: newName };
    return this.update(dims, [...this.schedule.splits, { kind: "rename", old: oldName, renamed: newName }]);
  }

  private setForType(v: VarOrRVar, forType: ForType): this {
    const i = this.require(v, "var");
    const dims = [...this.schedule.dims];
    if ((forType === "Parallel" || forType === "Vectorized") && dims[i].dimType === "ImpureRVar") this.checkRace(loopVar(v)!.name);
    dims[i] = { ...dims[i], forType };
    return this.update(dims);
  }

  /** A parallel or vectorized impure reduction loop races unless the stage is atomic (and associative) or allowed to. */
  private checkRace(v: string): void {
    const sched = this.schedule;
    if (sched.allowRaceConditions) return;
    if (sched.atomic) {
      const def = this.fn.updates[this.stageIndex - 1];
      if (!sched.atomicOverride && !isConstAssignment(this.fn, def) && proveAssociativity(this.fn, def)?.commutative !== true) {
        throw new HalideError(
          `Failed to call atomic() on ${this.name} since it can't prove associativity or commutativity of the operator.`,
        );
      }
      return;
    }
    throw new HalideError(
      `In schedule for ${this.name}, marking var ${v} as parallel or vectorized may introduce a race condition ` +
        `resulting in incorrect output. It is possible to parallelize this by using the atomic() method if the ` +
        `operation is associative, or set override_associativity_test to true in the atomic method if you are ` +
        `certain that the operation is associative. It is also possible to override this error using the ` +
        `allow_race_conditions() method. Use allow_race_conditions() with great caution, and only when you are ` +
        `willing to accept non-deterministic output, or you can prove that any race conditions in this code do not ` +
        `change the output, or you can prove that there are actually no race conditions, and that Halide is being ` +
        `too cautious.`,
    );
  }

  /**
   * Factors the reduction over `rvar` (or over each RVar of a list of `[rvar, var]` pairs) out of this
   * associative update: returns a new intermediate Func that, for every value of `var`, reduces over the other
   * RVars — its loop over `var` is pure, so it can run in parallel or vectorized — and makes this update merge the
   * intermediate over `rvar`. The update must provably combine with `+ * min max && ||` or be an argmin/argmax.
   *
   * @example
   * ```ts
   * const u = new hl.Var("u");
   * const intm = f.update(0).rfactor(r.y, u);
   * intm.computeRoot().update(0).parallel(u);
   * ```
   */
  rfactor(rvar: RVar | RDom, v: Var): Func;
  rfactor(preserved: readonly (readonly [RVar | RDom, Var])[]): Func;
  rfactor(a: RVar | RDom | readonly (readonly [RVar | RDom, Var])[], v?: Var): Func {
    const pairs = Array.isArray(a) ? a : [[a as RVar | RDom, v!] as const];
    const checked = pairs.map(([rv, u]): [RVar, Var] => {
      const r = rv instanceof RVar || rv instanceof RDom ? asRVar(rv) : undefined;
      if (!r || !(u instanceof Var)) throw new HalideError(`In schedule for ${this.name}: rfactor() takes [RVar, Var] pairs.`);
      return [r, u];
    });
    return rfactorStage(this.fn, this.stageIndex, checked, this.name);
  }

  /**
   * Lets impure reduction loops of this update run in parallel or vectorized, updating each value atomically.
   * The update must be provably associative and commutative (`+ * min max`, …) unless
   * `overrideAssociativityTest` says you know it is.
   *
   * @example
   * ```ts
   * hist.update(0).atomic().parallel(r.y);
   * ```
   */
  atomic(overrideAssociativityTest = false): this {
    return this.write({ ...this.schedule, atomic: true, atomicOverride: overrideAssociativityTest });
  }

  /**
   * Allows impure reduction loops to run in parallel or vectorized even though iterations may race: the result
   * may then be non-deterministic. Use with great caution.
   *
   * @example
   * ```ts
   * f.update(0).allowRaceConditions().parallel(r.x);
   * ```
   */
  allowRaceConditions(): this {
    return this.write({ ...this.schedule, allowRaceConditions: true });
  }

  /**
   * Says that this update definition is deliberately left with the default schedule, silencing the warning
   * given when some other definition of the Func is scheduled but this one is not.
   *
   * @example
   * ```ts
   * f.update(0).unscheduled();
   * ```
   */
  unscheduled(): this {
    if (this.schedule.touched) {
      throw new HalideError(`Stage::unscheduled called on an update definition with a schedule`);
    }
    return this.write(this.schedule);
  }

  /** Splits `v` by `factor` (if given) and marks the inner loop with `forType`, as Halide's directives do. */
  private splitAndMark(v: VarOrRVar, factor: ExprLike | undefined, tail: TailStrategy, forType: ForType, outer: boolean): this {
    if (factor === undefined) return this.setForType(v, forType);
    const tmp = loopVar(v)?.isRVar ? new RVar() : new Var();
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
  splitVars(): (Var | RVar)[] {
    return [
      ...this.schedule.dims.map((d) => (isRVarDim(d) ? new RVar(baseName(d.name)) : new Var(baseName(d.name)))),
      Var.outermost(),
    ];
  }
}
