/**
 * The LLVM environment of the compiler: target initialization, the host's triple/CPU/features, target machines,
 * the O3 pipeline, and the process-wide ORC LLJIT that holds every JIT-compiled pipeline.
 *
 * @module
 */
import { mkdirSync, writeFileSync } from "node:fs";
import process from "node:process";
import { cString, type Handle, native } from "../../ffi/native.ts";
import { loadLLVM, type LLVMLibrary, type LLVMSymbols } from "../../ffi/llvm.ts";
import { HalideError, internalError } from "../error.ts";
import { runtimeIR, type RuntimeSymbol, runtimeSymbols } from "./runtime.ts";

/** An LLVM target description: triple, CPU name and feature string (`+avx2,-avx512f,...`). */
export interface LLVMTarget {
  readonly triple: string;
  readonly cpu: string;
  readonly features: string;
}

let initialized: LLVMLibrary | undefined;

/**
 * The loaded libLLVM with the X86 and AArch64 targets initialized (once per process).
 *
 * @example
 * ```ts
 * const { fn, version } = llvm();
 * ```
 */
export function llvm(): LLVMLibrary {
  if (initialized) return initialized;
  const lib = loadLLVM();
  for (const arch of ["X86", "AArch64"] as const) {
    for (const part of ["TargetInfo", "Target", "TargetMC", "AsmPrinter", "AsmParser"] as const) {
      lib.fn[`LLVMInitialize${arch}${part}`]?.();
    }
  }
  return (initialized = lib);
}

/**
 * Reads and frees an LLVM-allocated C string.
 *
 * @example
 * ```ts
 * const triple = takeMessage(fn, fn.LLVMGetDefaultTargetTriple());
 * ```
 */
export function takeMessage(fn: LLVMSymbols, h: Handle): string {
  if (h === null) return "";
  const s = native.readCString(h);
  fn.LLVMDisposeMessage(h);
  return s;
}

/**
 * Throws a HalideError for a non-null `LLVMErrorRef`, consuming it.
 *
 * @example
 * ```ts
 * checkLLVMError(fn, fn.LLVMRunPasses(mod, "default<O3>", tm, opts), "optimizing");
 * ```
 */
export function checkLLVMError(fn: LLVMSymbols, err: Handle, doing: string): void {
  if (err === null) return;
  const msg = fn.LLVMGetErrorMessage(err);
  const text = msg === null ? "unknown error" : native.readCString(msg);
  fn.LLVMDisposeErrorMessage(msg);
  throw new HalideError(`LLVM failed while ${doing}: ${text}`);
}

/** A zeroed 8-byte out-parameter cell. */
export function outCell(): BigUint64Array {
  return new BigUint64Array(new ArrayBuffer(8));
}

let host: LLVMTarget | undefined;

/**
 * The host's LLVM triple, CPU name and features, as LLVM detects them.
 *
 * @example
 * ```ts
 * hostLLVMTarget().features.includes("+avx2");
 * ```
 */
export function hostLLVMTarget(): LLVMTarget {
  if (host) return host;
  const { fn } = llvm();
  const triple = takeMessage(fn, fn.LLVMNormalizeTargetTriple(takeMessage(fn, fn.LLVMGetDefaultTargetTriple())));
  return (host = {
    triple,
    cpu: takeMessage(fn, fn.LLVMGetHostCPUName()),
    features: takeMessage(fn, fn.LLVMGetHostCPUFeatures()),
  });
}

/** LLVMCodeGenOptLevel Aggressive, LLVMRelocPIC, LLVMCodeModelDefault/JITDefault. */
const optAggressive = 3, relocPIC = 2, codeModelDefault = 0;

/**
 * Creates a TargetMachine (dispose with `LLVMDisposeTargetMachine` unless consumed).
 *
 * @example
 * ```ts
 * const tm = createTargetMachine(hostLLVMTarget());
 * ```
 */
export function createTargetMachine(t: LLVMTarget): Handle {
  const { fn } = llvm();
  const targetOut = outCell(), errOut = outCell();
  if (fn.LLVMGetTargetFromTriple(t.triple, targetOut, errOut) !== 0) {
    const msg = takeMessage(fn, native.handleAt(errOut[0]));
    throw new HalideError(`LLVM does not support the target ${t.triple}: ${msg}`);
  }
  const tm = fn.LLVMCreateTargetMachine(
    native.handleAt(targetOut[0]),
    t.triple,
    t.cpu,
    t.features,
    optAggressive,
    relocPIC,
    codeModelDefault,
  );
  if (tm === null) throw new HalideError(`LLVM could not create a target machine for ${t.triple} (${t.cpu})`);
  return tm;
}

/**
 * The data layout string of a target machine.
 *
 * @example
 * ```ts
 * fn.LLVMSetDataLayout(mod, dataLayoutOf(tm));
 * ```
 */
export function dataLayoutOf(tm: Handle): string {
  const { fn } = llvm();
  const td = fn.LLVMCreateTargetDataLayout(tm);
  const s = takeMessage(fn, fn.LLVMCopyStringRepOfTargetData(td));
  fn.LLVMDisposeTargetData(td);
  return s;
}

/**
 * Verifies a module; a broken module is a compiler bug, reported with LLVM's explanation.
 *
 * @example
 * ```ts
 * verifyModule(mod);
 * ```
 */
export function verifyModule(mod: Handle): void {
  const { fn } = llvm();
  const msgOut = outCell();
  const broken = fn.LLVMVerifyModule(mod, 2 /* LLVMReturnStatusAction */, msgOut);
  const msg = takeMessage(fn, native.handleAt(msgOut[0]));
  if (broken) {
    const ir = takeMessage(fn, fn.LLVMPrintModuleToString(mod));
    internalError(`generated LLVM IR is invalid: ${msg}\n${ir.slice(0, 20000)}`);
  }
}

/**
 * Runs LLVM's O3 pipeline (new pass manager) on a module for the given target machine.
 *
 * @example
 * ```ts
 * optimizeModule(mod, tm);
 * ```
 */
export function optimizeModule(mod: Handle, tm: Handle): void {
  const { fn } = llvm();
  // As Halide does by default, LLVM's own loop vectorizer, unroller and SLP vectorizer stay off: the schedule
  // decides vectorization and unrolling, so code does what it says (and LLVM 19's SLP vectorizer has
  // miscompiled sign extensions feeding unsigned conversions here).
  const opts = fn.LLVMCreatePassBuilderOptions();
  fn.LLVMPassBuilderOptionsSetLoopVectorization(opts, 0);
  fn.LLVMPassBuilderOptionsSetSLPVectorization(opts, 0);
  fn.LLVMPassBuilderOptionsSetLoopUnrolling(opts, 0);
  fn.LLVMPassBuilderOptionsSetLoopInterleaving(opts, 0);
  try {
    checkLLVMError(fn, fn.LLVMRunPasses(mod, "default<O3>", tm, opts), "optimizing");
  } finally {
    fn.LLVMDisposePassBuilderOptions(opts);
  }
}

/**
 * A fresh LLVM context for building one module, and the way to hand it to the JIT. LLVM ≤ 20 creates contexts
 * inside ORC thread-safe contexts; LLVM ≥ 21 wraps an ordinary context afterwards.
 */
export interface ModuleContext {
  readonly ctx: Handle;
  /** The ORC thread-safe context owning `ctx` (created on first use on LLVM ≥ 21). */
  threadSafe(): Handle;
  /** Releases the context (after its module was handed to the JIT, or discarded). */
  dispose(): void;
}

/**
 * Creates a {@link ModuleContext}.
 *
 * @example
 * ```ts
 * const mc = newModuleContext();
 * const mod = fn.LLVMModuleCreateWithNameInContext("pipeline", mc.ctx);
 * ```
 */
export function newModuleContext(): ModuleContext {
  const { fn } = llvm();
  if (fn.LLVMOrcThreadSafeContextGetContext && fn.LLVMOrcCreateNewThreadSafeContext) {
    const tsc = fn.LLVMOrcCreateNewThreadSafeContext();
    return {
      ctx: fn.LLVMOrcThreadSafeContextGetContext(tsc),
      threadSafe: () => tsc,
      dispose: () => fn.LLVMOrcDisposeThreadSafeContext(tsc),
    };
  }
  const wrap = fn.LLVMOrcCreateNewThreadSafeContextFromLLVMContext;
  if (!wrap) internalError("this libLLVM has no way to create an ORC thread-safe context");
  const ctx = fn.LLVMContextCreate();
  let tsc: Handle | undefined;
  return {
    ctx,
    threadSafe: () => (tsc ??= wrap(ctx)),
    dispose: () => (tsc ? fn.LLVMOrcDisposeThreadSafeContext(tsc) : fn.LLVMContextDispose(ctx)),
  };
}

/** A module loaded into the JIT: look up its symbols, and remove it to free its code. */
export interface JitModule {
  lookup(name: string): bigint;
  remove(): void;
}

let jit: Handle | undefined;

/**
 * Libraries whose symbols generated code may need beyond libc/libm: LLVM lowers some operations (float64 →
 * float16, 128-bit division) to calls into the compiler runtime, which Deno's process has loaded but Bun's
 * does not. Loading it globally lets the JIT's process symbol search find them.
 */
const compilerRuntimeLibraries = ["libgcc_s.so.1"];

function theJit(): Handle {
  if (jit) return jit;
  const { fn } = llvm();
  for (const lib of compilerRuntimeLibraries) fn.LLVMLoadLibraryPermanently(lib);
  const builder = fn.LLVMOrcCreateLLJITBuilder();
  const jtmb = fn.LLVMOrcJITTargetMachineBuilderCreateFromTargetMachine(createTargetMachine(hostLLVMTarget()));
  fn.LLVMOrcLLJITBuilderSetJITTargetMachineBuilder(builder, jtmb);
  const out = outCell();
  checkLLVMError(fn, fn.LLVMOrcCreateLLJIT(out, builder), "creating the JIT");
  const j = native.handleAt(out[0]);
  const genOut = outCell();
  checkLLVMError(
    fn,
    fn.LLVMOrcCreateDynamicLibrarySearchGeneratorForProcess(genOut, fn.LLVMOrcLLJITGetGlobalPrefix(j), null, null),
    "creating the process symbol generator",
  );
  fn.LLVMOrcJITDylibAddGenerator(fn.LLVMOrcLLJITGetMainJITDylib(j), native.handleAt(genOut[0]));
  return (jit = j);
}

/**
 * Hands an optimized module to the process-wide LLJIT (which takes ownership of it and its context).
 *
 * @example
 * ```ts
 * const jm = addToJit(mod, mc);
 * const addr = jm.lookup("f_argv");
 * ```
 */
export function addToJit(mod: Handle, mc: ModuleContext): JitModule {
  const { fn } = llvm();
  const j = theJit();
  const rt = fn.LLVMOrcJITDylibCreateResourceTracker(fn.LLVMOrcLLJITGetMainJITDylib(j));
  const tsm = fn.LLVMOrcCreateNewThreadSafeModule(mod, mc.threadSafe());
  mc.dispose(); // The thread-safe module keeps its own reference to the context.
  checkLLVMError(fn, fn.LLVMOrcLLJITAddLLVMIRModuleWithRT(j, rt, tsm), "adding a module to the JIT");
  let removed = false;
  return {
    lookup(name: string): bigint {
      const out = outCell();
      checkLLVMError(fn, fn.LLVMOrcLLJITLookup(j, out, name), `looking up ${name}`);
      return out[0];
    },
    remove(): void {
      if (removed) return;
      removed = true;
      checkLLVMError(fn, fn.LLVMOrcResourceTrackerRemove(rt), "removing a module from the JIT");
      fn.LLVMOrcReleaseResourceTracker(rt);
    },
  };
}

let jitRuntime: Readonly<Record<RuntimeSymbol, bigint>> | undefined;

/**
 * Adds the native runtime (the thread pool of `runtime.ts`) to the process-wide JIT, once per process: parses
 * its IR, verifies and optimizes it for the host, and resolves its exported functions right away, so that a
 * missing libc/pthread symbol is reported here rather than when a pipeline first runs. Pipeline modules added
 * to the JIT afterwards resolve `halide_do_par_for` and the rest from it. Returns the functions' addresses.
 *
 * @example
 * ```ts
 * const rt = ensureJitRuntime();
 * const setThreads = native.fnAt(rt.halide_set_num_threads, { args: ["i32"], returns: "i32" });
 * ```
 */
export function ensureJitRuntime(): Readonly<Record<RuntimeSymbol, bigint>> {
  if (jitRuntime) return jitRuntime;
  const jm = compileIntoJit("halide_runtime", (ctx) => {
    const { fn } = llvm();
    const text = cString(runtimeIR);
    // The parser takes ownership of the buffer (and adds the NUL terminator it needs).
    const buf = fn.LLVMCreateMemoryBufferWithMemoryRangeCopy(text, text.length - 1, "halide_runtime");
    const modOut = outCell(), msgOut = outCell();
    const failed = fn.LLVMParseIRInContext(ctx, buf, modOut, msgOut);
    const msg = takeMessage(fn, native.handleAt(msgOut[0]));
    if (failed) internalError(`the runtime's LLVM IR does not parse: ${msg}`);
    return native.handleAt(modOut[0]);
  });
  const addrs: Partial<Record<RuntimeSymbol, bigint>> = {};
  for (const name of runtimeSymbols) addrs[name] = jm.lookup(name);
  return (jitRuntime = addrs as Record<RuntimeSymbol, bigint>);
}

/**
 * Builds a module with `build` in a fresh context, sets the host triple and data layout, verifies it, runs O3
 * for the host and adds it to the process-wide JIT. With `HALIDE_TS_DUMP=<directory>` the IR before and after
 * optimization is written there as `name.ll` and `name.opt.ll`.
 *
 * @example
 * ```ts
 * const jm = compileIntoJit("f_jit1", (ctx) => emitMyModule(ctx));
 * const addr = jm.lookup("f_jit1_argv");
 * ```
 */
export function compileIntoJit(name: string, build: (ctx: Handle, target: LLVMTarget) => Handle): JitModule {
  const { fn } = llvm();
  const target = hostLLVMTarget();
  const tm = createTargetMachine(target);
  const mc = newModuleContext();
  let mod: Handle = null;
  try {
    mod = build(mc.ctx, target);
    fn.LLVMSetTarget(mod, target.triple);
    fn.LLVMSetDataLayout(mod, dataLayoutOf(tm));
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
  return addToJit(mod, mc);
}

function dump(name: string, suffix: string, mod: Handle): void {
  const dir = process.env.HALIDE_TS_DUMP;
  if (!dir) return;
  const { fn } = llvm();
  mkdirSync(dir, { recursive: true });
  writeFileSync(`${dir}/${name}.${suffix}`, takeMessage(fn, fn.LLVMPrintModuleToString(mod)));
}
