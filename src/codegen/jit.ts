/**
 * JIT compilation: lowered pipeline → LLVM module → verified → O3 for the host → ORC LLJIT → a native function
 * `int32 argv_fn(void **args)` callable from JavaScript.
 *
 * @module
 */
import { mkdirSync, writeFileSync } from "node:fs";
import process from "node:process";
import { type Handle, native } from "../../ffi/native.ts";
import type { LoweredPipeline, PipelineArg } from "../lower/lower.ts";
import { emitPipelineModule } from "./codegen.ts";
import {
  addToJit,
  createTargetMachine,
  dataLayoutOf,
  ensureJitRuntime,
  hostLLVMTarget,
  llvm,
  newModuleContext,
  optimizeModule,
  takeMessage,
  verifyModule,
} from "./llvm_target.ts";

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
 * With `HALIDE_TS_DUMP=<directory>`, writes each pipeline's LLVM IR before (`name.ll`) and after (`name.opt.ll`)
 * optimization there — for looking at what the compiler generates.
 */
function dump(name: string, suffix: string, mod: Handle): void {
  const dir = process.env.HALIDE_TS_DUMP;
  if (!dir) return;
  const { fn } = llvm();
  mkdirSync(dir, { recursive: true });
  writeFileSync(`${dir}/${name}.${suffix}`, takeMessage(fn, fn.LLVMPrintModuleToString(mod)));
}

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
  const { fn } = llvm();
  ensureJitRuntime(); // Pipelines call the thread pool and other runtime functions by name.
  const target = hostLLVMTarget();
  const tm = createTargetMachine(target);
  const mc = newModuleContext();
  const name = `${lp.name.replace(/[^A-Za-z0-9_]/g, "_")}_jit${++serial}`;
  let mod;
  try {
    mod = emitPipelineModule({ ...lp, name }, mc.ctx, target.triple, dataLayoutOf(tm), {
      "target-cpu": target.cpu,
      "target-features": target.features,
    });
    verifyModule(mod);
    dump(name, "ll", mod);
    optimizeModule(mod, tm);
    dump(name, "opt.ll", mod);
  } catch (e) {
    if (mod) fn.LLVMDisposeModule(mod);
    mc.dispose();
    throw e;
  } finally {
    fn.LLVMDisposeTargetMachine(tm);
  }
  const jm = addToJit(mod, mc);
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
