/**
 * Compiling a lowered pipeline for a {@link Target}: into the JIT (lowered pipeline → LLVM module → verified →
 * O3 → ORC LLJIT → a native function `int32 argv_fn(void **args)` callable from JavaScript), or to native
 * assembly or LLVM IR text.
 *
 * @module
 */
import { native } from "../../ffi/native.ts";
import { HalideError } from "../error.ts";
import { getJitTargetFromEnvironment, type Target } from "../lang/target.ts";
import type { LoweredPipeline, PipelineArg } from "../lower/lower.ts";
import type { Handle } from "../../ffi/native.ts";
import { emitPipelineModule } from "./codegen.ts";
import { jsAbi } from "./entry_points.ts";
import {
  compileIntoJit,
  emitModuleOutputs,
  ensureJitRuntime,
  functionAttributes,
  type JitModule,
  type LLVMTarget,
} from "./llvm_target.ts";

/** A JIT-compiled pipeline. */
export interface JitPipeline {
  readonly name: string;
  readonly args: readonly PipelineArg[];
  /** The target the code was generated for. */
  readonly target: Target;
  /** Calls the native `argv` entry point; returns its status (0 = success). */
  call(argv: BigUint64Array): number;
  /** Milliseconds spent compiling (lowering excluded). */
  readonly compileMs: number;
  /** Frees the native code; the pipeline must not be called afterwards. */
  dispose(): void;
}

let serial = 0;

/**
 * Checks that halide-ts generates code for `target`: 64-bit x86 or ARM (the generated code assumes 64-bit
 * pointers: the `halide_buffer_t` layout, argument packing), no GPU.
 *
 * @example
 * ```ts
 * checkCodegenTarget(new Target("arm-32-linux")); // HalideError
 * ```
 */
export function checkCodegenTarget(target: Target): void {
  if (target.bits !== 64 || (target.arch !== "x86" && target.arch !== "arm")) {
    throw new HalideError(
      `halide-ts cannot generate code for target ${target}: it supports 64-bit x86 and arm targets.`,
    );
  }
  if (target.hasGpuFeature()) {
    throw new HalideError(`halide-ts cannot generate code for target ${target}: GPU targets are not supported.`);
  }
}

/**
 * Compiles `lp` into the JIT under `name`. A function of its own so that the closures `jitCompile` returns do not
 * share a scope with `lp`: they outlive it, and must not keep the pipeline's Funcs alive.
 */
function compileModule(lp: LoweredPipeline, name: string, target: Target): JitModule {
  return compileIntoJit(name, (ctx, lt) => buildJsModule({ ...lp, name }, ctx, lt), target);
}

/** The module of `lp` with the JavaScript entry point, for the JIT (its Buffers passed at each call). */
function buildJsModule(lp: LoweredPipeline, ctx: Handle, lt: LLVMTarget): Handle {
  const attrs = functionAttributes(lt);
  return emitPipelineModule(lp, ctx, attrs, jsAbi(lp, attrs, false));
}

/**
 * JIT-compiles a lowered pipeline for `target` (default: `getJitTargetFromEnvironment()`, i.e. `HL_JIT_TARGET`
 * or the host). The target must be one this machine runs: the host's architecture, bit width and OS, and no
 * instruction-set feature the host lacks (else a HalideError "Cannot JIT for target … on host …").
 *
 * @example
 * ```ts
 * const jp = jitCompile(lowerPipeline(f.fn));
 * const sse = jitCompile(lowerPipeline(f.fn), new Target("x86-64-linux-sse41"));
 * ```
 */
export function jitCompile(lp: LoweredPipeline, target: Target = getJitTargetFromEnvironment()): JitPipeline {
  const t0 = performance.now();
  checkCodegenTarget(target);
  ensureJitRuntime(); // Pipelines call the thread pool and other runtime functions by name.
  const name = `${lp.name.replace(/[^A-Za-z0-9_]/g, "_")}_jit${++serial}`;
  const jm = compileModule(lp, name, target);
  const entry = native.fnAt(jm.lookup(`${name}_argv`), { args: ["buf"], returns: "i32" });
  const compileMs = performance.now() - t0;
  return {
    name: lp.name,
    args: lp.args,
    target,
    compileMs,
    call: (argv) => entry(argv),
    dispose: () => jm.remove(),
  };
}

/**
 * The native assembly of a lowered pipeline compiled (O3) for `target` — any supported target, including
 * other machines' (`arm-64-linux` on an x86 host).
 *
 * @example
 * ```ts
 * const asm = emitAssembly(lowerPipeline(f.fn), new Target("x86-64-linux-avx2-fma-sse41-f16c"));
 * asm.includes("ymm"); // true when f is vectorized
 * ```
 */
export function emitAssembly(lp: LoweredPipeline, target: Target): string {
  checkCodegenTarget(target);
  return emitModuleOutputs(lp.name, (ctx, lt) => buildJsModule(lp, ctx, lt), target, ["assembly"]).assembly!;
}

/**
 * The LLVM IR of a lowered pipeline compiled (O3) for `target`.
 *
 * @example
 * ```ts
 * const ir = emitLlvmAssembly(lowerPipeline(f.fn), new Target("x86-64-linux-sse41"));
 * ir.includes('"target-cpu"="x86-64"'); // true
 * ```
 */
export function emitLlvmAssembly(lp: LoweredPipeline, target: Target): string {
  checkCodegenTarget(target);
  return emitModuleOutputs(lp.name, (ctx, lt) => buildJsModule(lp, ctx, lt), target, ["llvm_assembly"]).llvm_assembly!;
}
