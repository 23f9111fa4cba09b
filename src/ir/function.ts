/**
 * The internal definition of a Func: its pure arguments, its values and (later) its schedule. This is the one
 * mutable IR object, because users define a Func step by step; lowering reads it as a snapshot.
 *
 * @module
 */
import { HalideError } from "../error.ts";
import type { Expr } from "./expr.ts";
import {
  defaultConstraints,
  type DimConstraint,
  type FuncSchedule,
  initialSchedule,
  inlinedFuncSchedule,
  type StageSchedule,
} from "./schedule.ts";
import type { Type } from "./type.ts";
import type { ReductionDomain } from "./reduction.ts";

let counter = 0;

/**
 * A unique name with the given prefix, as Halide's `unique_name` (`f$1`, `f$2`, ...).
 *
 * @example
 * ```ts
 * uniqueName("f"); // "f$1"
 * ```
 */
export function uniqueName(prefix: string): string {
  counter++;
  return `${prefix}$${counter}`;
}

/** The pure (first) definition of a Func: `name(args...) = values`. */
export interface PureDefinition {
  readonly args: readonly string[];
  readonly values: readonly Expr[];
}

/**
 * An update definition `name(args...) = values`, run after the definitions before it: over every point of its
 * reduction domain (if any, where its predicate holds) and every value of the pure variables among `args` (those
 * standing at their own position of the pure definition).
 */
export interface UpdateDefinition {
  readonly args: readonly Expr[];
  readonly values: readonly Expr[];
  readonly rdom?: ReductionDomain;
}

/**
 * A Func's definition. Created undefined; `define` sets the pure definition once.
 *
 * @example
 * ```ts
 * const fn = new FunctionDef("f");
 * fn.define(["x"], [someExpr]);
 * ```
 */
export class FunctionDef {
  #pure?: PureDefinition;
  #schedule?: StageSchedule;
  #updates: { readonly def: UpdateDefinition; schedule: StageSchedule }[] = [];
  #frozen = false;
  #funcSchedule: FuncSchedule = inlinedFuncSchedule;
  #outputConstraints?: DimConstraint[];
  readonly #wrappers = new Map<string, FunctionDef>();
  #version = 0;
  /** Types declared before definition (`new Func(type, dims)`), checked when defined. */
  requiredTypes?: readonly Type[];
  requiredDimensions?: number;

  constructor(readonly name: string) {}

  /** Whether the pure definition exists. */
  get defined(): boolean {
    return this.#pure !== undefined;
  }
  /** The pure definition; throws if undefined. */
  get pure(): PureDefinition {
    if (!this.#pure) throw new HalideError(`Func ${this.name} is not defined.`);
    return this.#pure;
  }
  /** Names of the pure arguments. */
  get args(): readonly string[] {
    return this.pure.args;
  }
  /** Dimensionality (known before definition for typed Funcs). */
  get dimensions(): number {
    return this.#pure ? this.#pure.args.length : (this.requiredDimensions ?? 0);
  }
  /** The value types, one per Tuple element. */
  get outputTypes(): readonly Type[] {
    if (this.#pure) return this.#pure.values.map((v) => v.type);
    if (this.requiredTypes) return this.requiredTypes;
    throw new HalideError(`Can't access output types of undefined Func ${this.name}.`);
  }
  /** Sets the pure definition. The language layer validates arguments before calling this. */
  define(args: readonly string[], values: readonly Expr[]): void {
    if (this.#pure) throw new HalideError(`Func ${this.name} cannot be given a new pure definition.`);
    this.#pure = { args, values };
    this.#schedule = initialSchedule(args);
    this.#version++;
  }
  /** The update definitions, in order (stage `i + 1` is update `i`). */
  get updates(): readonly UpdateDefinition[] {
    return this.#updates.map((u) => u.def);
  }
  /** Adds an update definition with its initial loop schedule (the language layer validates it first). */
  addUpdate(def: UpdateDefinition, schedule: StageSchedule): void {
    if (!this.#pure) throw new HalideError(`Func ${this.name} needs a pure definition before an update definition.`);
    this.#updates.push({ def, schedule });
    this.#version++;
  }
  /** Replaces update `i` (rfactor rewrites an update into a merge of its intermediate Func). */
  replaceUpdate(i: number, def: UpdateDefinition, schedule: StageSchedule): void {
    this.#updates[i] = { def, schedule };
    this.#version++;
  }
  /** Whether the Func has been used by another definition or compiled: its definitions are then final. */
  get frozen(): boolean {
    return this.#frozen;
  }
  /** Marks the definitions final. */
  freeze(): void {
    this.#frozen = true;
  }
  /** The loop schedule of the pure definition (stage 0). */
  get schedule(): StageSchedule {
    return this.stageSchedule(0);
  }
  /** Replaces the schedule of the pure definition (the language layer validates directives first). */
  setSchedule(s: StageSchedule): void {
    this.setStageSchedule(0, s);
  }
  /** The loop schedule of stage `stage`: 0 is the pure definition, `i + 1` update `i`. */
  stageSchedule(stage: number): StageSchedule {
    if (!this.#schedule) throw new HalideError(`Func ${this.name} must be defined before it can be scheduled.`);
    return stage === 0 ? this.#schedule : this.#updates[stage - 1].schedule;
  }
  /** Replaces the loop schedule of stage `stage`. */
  setStageSchedule(stage: number, s: StageSchedule): void {
    if (!this.#schedule) throw new HalideError(`Func ${this.name} must be defined before it can be scheduled.`);
    if (stage === 0) this.#schedule = s;
    else this.#updates[stage - 1].schedule = s;
    this.#version++;
  }
  /** Where the Func is computed and stored (inlined by default). */
  get funcSchedule(): FuncSchedule {
    return this.#funcSchedule;
  }
  /** Replaces the compute/store levels (the language layer validates them first). */
  setFuncSchedule(s: FuncSchedule): void {
    this.#funcSchedule = s;
    this.#version++;
  }
  /** Constraints on the output buffer when this Func is a pipeline's output (default: dim 0 dense). */
  get outputConstraints(): readonly DimConstraint[] {
    return this.#outputConstraints ?? defaultConstraints(this.dimensions);
  }
  /** Replaces the output buffer constraints. */
  setOutputConstraints(c: readonly DimConstraint[]): void {
    this.#outputConstraints = [...c];
    this.#version++;
  }
  /**
   * The wrapper (`f.in(g)`, `f.cloneIn(g)`, or the global `f.in()`) that calls to this Func from `consumer` go
   * to instead, if any. A wrapper never calls itself.
   */
  wrapperFor(consumer: FunctionDef): FunctionDef | undefined {
    const w = this.#wrappers.get(consumer.name) ?? this.#wrappers.get("");
    return w === consumer ? undefined : w;
  }
  /** The wrapper registered for `consumerName` ("" for every consumer), if any. */
  wrapper(consumerName: string): FunctionDef | undefined {
    return this.#wrappers.get(consumerName);
  }
  /** Registers `wrapper` for calls from `consumerName` ("" for every consumer without its own). */
  setWrapper(consumerName: string, wrapper: FunctionDef): void {
    this.#wrappers.set(consumerName, wrapper);
    this.#version++;
  }
  /** Increases whenever the definition or the schedule changes: compiled pipelines remember the version they saw. */
  get version(): number {
    return this.#version;
  }
}
