/**
 * `LoopLevel`: a place in the loop nest where a Func can be computed or stored — inlined, the root of the
 * pipeline, or inside a particular loop of a particular Func's definition.
 *
 * @module
 */
import { HalideError } from "../error.ts";
import { type LoopLevelSpec, loopLevelName } from "../ir/schedule.ts";
import { Var } from "./var.ts";
import { asRVar, RDom, RVar } from "./rdom.ts";

/** What a LoopLevel needs to know of a Func (avoids an import cycle with func.ts). */
export interface LoopLevelFunc {
  readonly name: string;
  defined(): boolean;
  numUpdateDefinitions(): number;
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
  readonly #func?: LoopLevelFunc;

  /**
   * Inside the loop over `v` of stage `stageIndex` of `func`; -1, the default, means the loop over `v` of every
   * stage of `func` that uses the Func computed there (as Halide matches it).
   */
  constructor(func: LoopLevelFunc, v: Var | RVar | RDom, stageIndex?: number);
  constructor(spec: LoopLevelSpec);
  constructor(a: LoopLevelFunc | LoopLevelSpec, v?: Var | RVar | RDom, stageIndex = -1) {
    if ("kind" in a) {
      this.spec = a;
      return;
    }
    const loop = v instanceof Var ? v : v instanceof RVar || v instanceof RDom ? asRVar(v) : undefined;
    if (!loop) throw new HalideError(`LoopLevel(${a.name}, …) needs a Var or RVar naming one of its loops.`);
    if (!Number.isInteger(stageIndex) || stageIndex < -1) throw new HalideError(`Invalid stage index ${stageIndex} for LoopLevel.`);
    this.spec = { kind: "at", func: a.name, loop: loop.name, stage: stageIndex };
    this.#func = a;
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
    const s = this.spec;
    // "Any stage" (-1) prints as the Func's last stage; lowering picks the stages that use the Func.
    return loopLevelName(s.kind === "at" && s.stage < 0 ? { ...s, stage: this.#func?.numUpdateDefinitions() ?? 0 } : s);
  }
}
