/**
 * `LoopLevel`: a place in the loop nest where a Func can be computed or stored — inlined, the root of the
 * pipeline, or inside a particular loop of a particular Func's definition.
 *
 * @module
 */
import { HalideError } from "../error.ts";
import type { LoopLevelSpec } from "../ir/schedule.ts";
import { Var } from "./var.ts";

/** What a LoopLevel needs to know of a Func (avoids an import cycle with func.ts). */
export interface LoopLevelFunc {
  readonly name: string;
  defined(): boolean;
}

/**
 * A loop level: `LoopLevel.root()`, `LoopLevel.inlined()`, or `new LoopLevel(f, x)` — inside f's loop over x.
 *
 * @example
 * ```ts
 * producer.computeAt(new hl.LoopLevel(consumer, y));
 * producer.computeAt(hl.LoopLevel.root());
 * ```
 */
export class LoopLevel {
  /** The level as the IR records it. */
  readonly spec: LoopLevelSpec;

  /** Inside the loop over `v` of stage `stageIndex` of `func` (-1, the default, means its last stage). */
  constructor(func: LoopLevelFunc, v: Var, stageIndex?: number);
  constructor(spec: LoopLevelSpec);
  constructor(a: LoopLevelFunc | LoopLevelSpec, v?: Var, stageIndex = -1) {
    if ("kind" in a) {
      this.spec = a;
      return;
    }
    if (!(v instanceof Var)) throw new HalideError(`LoopLevel(${a.name}, …) needs a Var naming one of its loops.`);
    if (!Number.isInteger(stageIndex) || stageIndex < -1) throw new HalideError(`Invalid stage index ${stageIndex} for LoopLevel.`);
    this.spec = { kind: "at", func: a.name, loop: v.name, stage: Math.max(0, stageIndex) };
  }

  /** The root of the pipeline: outside all loops. @example `hl.LoopLevel.root()` */
  static root(): LoopLevel {
    return new LoopLevel({ kind: "root" });
  }
  /** Inlined into every use. @example `hl.LoopLevel.inlined()` */
  static inlined(): LoopLevel {
    return new LoopLevel({ kind: "inlined" });
  }
  /** @example `hl.LoopLevel.root().isRoot() // true` */
  isRoot(): boolean {
    return this.spec.kind === "root";
  }
  /** @example `hl.LoopLevel.inlined().isInlined() // true` */
  isInlined(): boolean {
    return this.spec.kind === "inlined";
  }
  /** @example `String(new hl.LoopLevel(g, y)) // "g.s0.y"` */
  toString(): string {
    return this.spec.kind === "at" ? `${this.spec.func}.s${this.spec.stage}.${this.spec.loop}` : this.spec.kind;
  }
}
