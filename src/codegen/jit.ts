/**
 * JIT compilation: lowered pipeline → LLVM module → verified → O3 for the host → ORC LLJIT → a native function
 * `int32 argv_fn(void **args)` callable from JavaScript.
 *
 * @module
 */
import { native } from "../../ffi/native.ts";
import type { LoweredPipeline, PipelineArg } from "../lower/lower.ts";
import { emitPipelineModule } from "./codegen.ts";
import { compileIntoJit, ensureJitRuntime } from "./llvm_target.ts";

/** A JIT-compiled pipeline. */
export interface JitPipeline {
  readonly name: string;
  readonly args: readonly PipelineArg[];
  /** Calls the native `argv` entry point; returns its status (0 = success). */
  call(argv: BigUint64Array): number;
  /** Milliseconds spent compiling (lowering excluded). */
  readonly compileMs: number;
  /** Frees the native code; the pipeline must not be called afterwards. */
  dispose(): void;
}

let serial = 0;

/**
 * JIT-compiles a lowered pipeline for the host.
 *
 * @example
 * ```ts
 * const jp = jitCompile(lowerPipeline(f.fn));
 * ```
 */
export function jitCompile(lp: LoweredPipeline): JitPipeline {
  const t0 = performance.now();
  ensureJitRuntime(); // Pipelines call the thread pool and other runtime functions by name.
  const name = `${lp.name.replace(/[^A-Za-z0-9_]/g, "_")}_jit${++serial}`;
  const jm = compileIntoJit(name, (ctx, target) =>
    emitPipelineModule({ ...lp, name }, ctx, { "target-cpu": target.cpu, "target-features": target.features })
  );
  const entry = native.fnAt(jm.lookup(`${name}_argv`), { args: ["buf"], returns: "i32" });
  const compileMs = performance.now() - t0;
  return {
    name: lp.name,
    args: lp.args,
    compileMs,
    call: (argv) => entry(argv),
    dispose: () => jm.remove(),
  };
}
