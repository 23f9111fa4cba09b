/**
 * The schedule of one stage of a Func: how its loop nest is shaped. A stage starts with one loop per pure
 * variable (innermost first); `split`, `fuse` and `rename` record {@link Split}s that replace loops by new ones,
 * `reorder` permutes {@link Dim}s, and `vectorize`/`unroll`/`parallel` set a loop's {@link ForType}.
 * The language layer validates directives; lowering (`src/lower/loop_nest.ts`) turns the record into loops.
 *
 * @module
 */
import type { Expr } from "./expr.ts";
import { Int } from "./type.ts";
import type { ForType } from "./stmt.ts";

/** How a split handles an extent that is not a multiple of the factor (Halide's `TailStrategy`). */
export const TailStrategy = {
  RoundUp: "RoundUp",
  GuardWithIf: "GuardWithIf",
  Predicate: "Predicate",
  PredicateLoads: "PredicateLoads",
  PredicateStores: "PredicateStores",
  ShiftInwards: "ShiftInwards",
  Auto: "Auto",
} as const;
/** A member of {@link TailStrategy}. */
export type TailStrategy = (typeof TailStrategy)[keyof typeof TailStrategy];

/**
 * What a loop iterates over (Halide's `DimType`): a pure variable, or a reduction variable that is pure (distinct
 * iterations never touch the same value, so it may run in parallel) or impure.
 */
export type DimType = "PureVar" | "PureRVar" | "ImpureRVar";

/** One loop of a stage's nest. */
export interface Dim {
  readonly name: string;
  readonly forType: ForType;
  /** Absent for a pure variable. */
  readonly dimType?: DimType;
  /** `partition(v, policy)`: whether loop partitioning may (Auto), must (Always) or must not (Never) split it. */
  readonly partition?: Partition;
}

/** Loop partitioning policies (Halide's `Partition`), with Python's names. */
export const Partition = { Auto: "Auto", Never: "Never", Always: "Always" } as const;
/** A member of {@link Partition}. */
export type Partition = (typeof Partition)[keyof typeof Partition];

/** A transformation of the loop variables, applied in order. */
export type Split =
  | {
    readonly kind: "split";
    readonly old: string;
    readonly outer: string;
    readonly inner: string;
    readonly factor: Expr;
    readonly tail: TailStrategy;
  }
  | { readonly kind: "fuse"; readonly inner: string; readonly outer: string; readonly fused: string }
  | { readonly kind: "rename"; readonly old: string; readonly renamed: string };

/**
 * A stage's loop schedule: the loops from innermost to outermost, and the splits that made them.
 *
 * @example
 * ```ts
 * const s = initialSchedule(["x", "y"]);
 * s.dims.map((d) => d.name); // ["x", "y"]
 * ```
 */
export interface StageSchedule {
  readonly dims: readonly Dim[];
  readonly splits: readonly Split[];
  /**
   * `specialize(cond)`: schedules used instead of this one when their condition holds (the first that holds
   * wins); each starts as a copy of this schedule at the time it was made and may be specialized further.
   */
  readonly specializations?: readonly Specialization[];
  /** `specializeFail(message)`: when no specialization holds, the pipeline fails with this message. */
  readonly failMessage?: string;
  /** `atomic()`: the stage's updates are made atomically, so its impure reduction loops may run in parallel. */
  readonly atomic?: boolean;
  /** `atomic(true)`: the update is declared associative without proof. */
  readonly atomicOverride?: boolean;
  /** `allowRaceConditions()`: impure reduction loops may run in parallel or vectorized anyway. */
  readonly allowRaceConditions?: boolean;
  /** Whether a directive has been applied (or `unscheduled()` said it need not be). */
  readonly touched?: boolean;
}

/** A specialization of a stage's schedule: the condition, and the schedule used when it holds. */
export interface Specialization {
  readonly cond: Expr;
  readonly schedule: StageSchedule;
}

/**
 * The schedule of a stage before any directive: one serial loop per pure variable, `args[0]` innermost.
 *
 * @example
 * ```ts
 * initialSchedule(["x", "y", "c"]);
 * ```
 */
export function initialSchedule(args: readonly string[]): StageSchedule {
  return { dims: args.map((name) => ({ name, forType: "Serial" })), splits: [] };
}

/**
 * Where a Func is computed or stored: inlined into its callers, at the root of the pipeline, or inside the loop
 * over `loop` (a user-visible loop name such as `y` or `xo`) of stage `stage` of `func` (a Func name; -1 is the
 * loop over `loop` of every stage of `func` that uses what is computed there).
 */
export type LoopLevelSpec =
  | { readonly kind: "inlined" }
  | { readonly kind: "root" }
  | { readonly kind: "at"; readonly func: string; readonly loop: string; readonly stage: number };

/** An explicit bound on a pure variable of a Func: `bound(x, min, extent)`, or `boundExtent(x, extent)` (no min). */
export interface Bound {
  readonly var: string;
  readonly min?: Expr;
  readonly extent: Expr;
}

/** `alignBounds(v, modulus, remainder)`: the computed region of `v` starts at ≡ remainder (mod modulus) and its extent is a multiple of modulus. */
export interface BoundAlignment {
  readonly var: string;
  readonly modulus: Expr;
  readonly remainder: Expr;
}

/**
 * Where a Func's storage lives (Halide's `MemoryType`; `storeIn`). On the host only `Auto`, `Heap`, `Stack`
 * and `Register` (kept on the stack) apply; the others name GPU and DSP memories.
 */
export const MemoryType = {
  Auto: "Auto",
  Heap: "Heap",
  Stack: "Stack",
  Register: "Register",
  GPUShared: "GPUShared",
  GPUTexture: "GPUTexture",
  LockedCache: "LockedCache",
  VTCM: "VTCM",
  AMXTile: "AMXTile",
  GPUSharedAsync: "GPUSharedAsync",
} as const;
/** A member of {@link MemoryType}. */
export type MemoryType = (typeof MemoryType)[keyof typeof MemoryType];

/** One dimension of a Func's storage (innermost first): its pure variable and, from `foldStorage`, a fold. */
export interface StorageDim {
  readonly var: string;
  /** The buffer is indexed modulo `factor` along `var` (`forward`: the region moves towards larger coordinates). */
  readonly fold?: { readonly factor: Expr; readonly forward: boolean };
}

/**
 * The compute and store levels of a Func (Halide's FuncSchedule), its explicit bounds and alignments, and how it
 * is stored: the order and folds of its storage dimensions, the level its allocation is hoisted to, its memory.
 */
export interface FuncSchedule {
  readonly compute: LoopLevelSpec;
  readonly store: LoopLevelSpec;
  readonly bounds?: readonly Bound[];
  readonly align?: readonly BoundAlignment[];
  /** Storage dimensions innermost first (default: the pure variables in order, unfolded). */
  readonly storage?: readonly StorageDim[];
  /** `hoistStorage`: the loop level whose body allocates the storage (default: the store level). */
  readonly hoist?: LoopLevelSpec;
  readonly memoryType?: MemoryType;
  /** `setEstimate(v, min, extent)`: the expected range of pure variable `var`, for the autoscheduler. */
  readonly estimates?: readonly { readonly var: string; readonly min: Expr; readonly extent: Expr }[];
}

/**
 * The storage dimensions of a Func with pure variables `args` under schedule `s`, innermost first.
 *
 * @example
 * ```ts
 * storageDims(["x", "y"], { compute: { kind: "root" }, store: { kind: "root" } }); // [{ var: "x" }, { var: "y" }]
 * ```
 */
export function storageDims(args: readonly string[], s: FuncSchedule): readonly StorageDim[] {
  return s.storage ?? args.map((v) => ({ var: v }));
}

/** The default: computed and stored inline. */
export const inlinedFuncSchedule: FuncSchedule = { compute: { kind: "inlined" }, store: { kind: "inlined" } };

/**
 * A readable name for a loop level: `inlined`, `root`, or `g.s0.y`.
 *
 * @example
 * ```ts
 * loopLevelName({ kind: "at", func: "g", loop: "y", stage: 0 }); // "g.s0.y"
 * ```
 */
export function loopLevelName(l: LoopLevelSpec): string {
  return l.kind === "at" ? `${l.func}.s${l.stage}.${l.loop}` : l.kind;
}

/**
 * Constraints on one dimension of a buffer argument (`dim(d).setMin/setExtent/setStride`): each must hold when
 * the pipeline runs. `undefined` means unconstrained.
 */
export interface DimConstraint {
  readonly min?: Expr;
  readonly extent?: Expr;
  readonly stride?: Expr;
  /** Not a constraint: the expected range, for the autoscheduler (`dim(d).setEstimate(min, extent)`). */
  readonly estimate?: { readonly min: Expr; readonly extent: Expr };
}

/**
 * The constraints of a buffer argument with `dims` dimensions before any are set: Halide's default
 * `dim(0).stride == 1`.
 *
 * @example
 * ```ts
 * defaultConstraints(2); // [{ stride: 1 }, {}]
 * ```
 */
export function defaultConstraints(dims: number): DimConstraint[] {
  return Array.from({ length: dims }, (_, d) => (d === 0 ? { stride: { kind: "IntImm", type: Int(32), value: 1n } } : {}));
}
