/**
 * The LLVM environment of the compiler: target initialization, the host's triple/CPU/features, the mapping of a
 * Halide {@link Target} to an LLVM triple, CPU and feature string (as Halide's x86 and ARM code generators choose
 * them), target machines, the O3 pipeline, assembly output, and the process-wide ORC LLJIT that holds every
 * JIT-compiled pipeline.
 *
 * @module
 */
import { mkdirSync, writeFileSync } from "node:fs";
import process from "node:process";
import { cString, type Handle, native } from "../../ffi/native.ts";
import { loadLLVM, type LLVMLibrary, type LLVMSymbols } from "../../ffi/llvm.ts";
import { HalideError, internalError } from "../error.ts";
import type { Target, TargetFeature } from "../lang/target.ts";
import { runtimeIR, type RuntimeSymbol, runtimeSymbols } from "./runtime.ts";

/** An LLVM target description: triple, CPU name and feature string (`+avx2,-avx512f,...`). */
export interface LLVMTarget {
  readonly triple: string;
  readonly cpu: string;
  readonly features: string;
  /** The CPU to tune for, when it differs from `cpu` (the `tune-cpu` function attribute). */
  readonly tuneCpu?: string;
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

/**
 * What codegen needs from `src/lang/target.ts`, which imports this module (for the host's CPU) and so cannot be
 * imported back: that module installs these when it loads. Any {@link Target} handed to this module comes from
 * there, so they are installed by the time one arrives.
 */
export interface TargetEnvironment {
  /** The host target (`getHostTarget`). */
  host(): Target;
  /** The default JIT target (`getJitTargetFromEnvironment`). */
  jit(): Target;
  /** The instruction-set features of a target, with the features they imply. */
  isaFeatures(t: Target): TargetFeature[];
}

let targetEnv: TargetEnvironment | undefined;

/**
 * Installs the {@link TargetEnvironment} (called once, by `src/lang/target.ts` when it loads).
 *
 * @example
 * ```ts
 * setTargetEnvironment({ host: getHostTarget, jit: getJitTargetFromEnvironment, isaFeatures: isaFeaturesOf });
 * ```
 */
export function setTargetEnvironment(env: TargetEnvironment): void {
  targetEnv = env;
}

function environment(): TargetEnvironment {
  return targetEnv ?? internalError("src/lang/target.ts has not installed the target environment");
}

function sameMachine(a: Target, b: Target): boolean {
  return a.arch === b.arch && a.bits === b.bits && a.os === b.os;
}

/** Whether `t` asks for exactly the host's instruction set and tuning, so the host's own CPU description fits. */
function isHostISA(t: Target, host: Target): boolean {
  const env = environment();
  return sameMachine(t, host) && t.processorTune === host.processorTune && t.vectorBits === host.vectorBits &&
    env.isaFeatures(t).join() === env.isaFeatures(host).join();
}

/** The LLVM triple of a target (the host's own triple when the architecture, bits and OS are the host's). */
function tripleFor(t: Target, host: Target): string {
  if (sameMachine(t, host)) return hostLLVMTarget().triple;
  let arch: string;
  if (t.arch === "x86" && (t.bits === 32 || t.bits === 64)) arch = t.bits === 64 ? "x86_64" : "i386";
  else if (t.arch === "arm" && t.bits === 64) arch = t.os === "osx" || t.os === "ios" ? "arm64" : "aarch64";
  else if (t.arch === "arm" && t.bits === 32) arch = t.hasFeature("armv7s") ? "armv7s" : "arm";
  else {
    throw new HalideError(`halide-ts cannot generate code for target ${t}: it supports the x86 and arm architectures.`);
  }
  switch (t.os) {
    case "linux":
      return `${arch}-unknown-linux-${t.arch === "arm" && t.bits === 32 ? "gnueabihf" : "gnu"}`;
    case "android":
      return `${arch}-unknown-linux-${t.arch === "arm" && t.bits === 32 ? "androideabi" : "android"}`;
    case "osx":
      return `${arch}-apple-macosx${arch === "arm64" ? "11.0.0" : "10.15.0"}`;
    case "ios":
      return `${arch}-apple-ios${t.hasFeature("simulator") ? "-simulator" : ""}`;
    case "windows":
      return `${arch}-pc-windows-msvc${t.hasFeature("jit") ? "-elf" : ""}`;
    case "fuchsia":
      return `${arch}-unknown-fuchsia`;
    default:
      return `${arch}-unknown-none-elf`;
  }
}

/**
 * The x86 CPU baseline: a generic x86-64 micro-architecture level, never a vendor's CPU (which would bring extras
 * such as AMD's sse4a that other CPUs at the same Halide feature level lack). The features come on top.
 */
function x86Cpu(t: Target): string {
  if (t.hasFeature("avx512_skylake")) return "x86-64-v4";
  if (t.hasFeature("avx2")) return "x86-64-v3";
  if (t.hasFeature("avx")) return "x86-64-v2";
  return "x86-64";
}

/** The LLVM version that first knows each tuning CPU Halide names (older ones tune generically). */
const tuneCpuSince: Readonly<Record<string, number>> = { znver4: 16, znver5: 19 };

function x86Tune(t: Target, major: number): string | undefined {
  if (t.processorTune === "tune_generic") return undefined;
  const cpu = t.processorTune.slice("tune_".length).replace("_", "-");
  return major >= (tuneCpuSince[cpu] ?? 0) ? cpu : undefined;
}

/** Intel CPUs from Broadwell to Tiger Lake run gathers slowly (a microcode mitigation); AMD's and Zen 4+ do not. */
function gatherMightBeSlow(t: Target): boolean {
  return t.processorTune === "tune_generic" && !t.hasFeature("avx512_zen4");
}

/** Throws unless this libLLVM (version `major`) is at least version `since`, which `what` needs. */
function requireLLVM(major: number, since: number, what: string, target: Target): void {
  if (major < since) {
    throw new HalideError(`Target ${target} needs LLVM ${since} or newer for ${what} (this is LLVM ${major}).`);
  }
}

/**
 * The LLVM features for the Halide features of x86 target `t` (with implied features set; `target` is the
 * target as given, for messages), for LLVM `major`.
 */
function x86Attributes(t: Target, major: number, target: Target): string[] {
  const a: string[] = [];
  const has = (f: TargetFeature) => t.hasFeature(f);
  // Halide's sse41 level stops short of SSE4.2, so it builds on the plain x86-64 baseline feature by feature.
  if (has("sse41") && !has("avx")) a.push("+sse3", "+ssse3", "+sse4.1");
  // AVX without AVX2 only adds +avx to x86-64-v2: BMI, F16C and FMA are not guaranteed at that level.
  if (has("avx") && !has("avx2")) a.push("+avx");
  if (has("fma")) a.push("+fma");
  if (has("fma4")) a.push("+fma4");
  if (has("f16c")) a.push("+f16c");
  if (has("avx512")) {
    a.push("+avx512f", "+avx512cd");
    // LLVM 18–21 gate 512-bit registers behind evex512, which only some CPU baselines include.
    if (major >= 18 && major <= 21) a.push("+evex512");
  }
  if (has("avx512_knl") && major < 19) a.push("+avx512pf", "+avx512er"); // LLVM 19 dropped Xeon Phi's extensions.
  if (has("avx512_skylake")) a.push("+avx512vl", "+avx512bw", "+avx512dq");
  if (has("avx512_cannonlake")) a.push("+avx512ifma", "+avx512vbmi");
  if (has("avx512_zen4")) a.push("+avx512bf16", "+avx512vnni", "+avx512bitalg", "+avx512vbmi2");
  if (has("avxvnni")) a.push("+avxvnni");
  if (has("avx512_sapphirerapids")) a.push("+amx-int8", "+amx-bf16");
  if (gatherMightBeSlow(t) && major >= 17) a.push("+prefer-no-gather");
  if (has("avx10_1")) {
    if (t.vectorBits !== 256 && t.vectorBits !== 512) {
      throw new HalideError(`AVX10 only supports 256 or 512 bit variants at present (target ${target}).`);
    }
    requireLLVM(major, 18, "AVX10", target);
    a.push(major >= 22 ? "+avx10.1" : `+avx10.1-${t.vectorBits}`);
  }
  if (has("x86apx")) {
    requireLLVM(major, 18, "APX", target);
    a.push("+egpr", "+push2pop2", "+ppx", "+ndd");
  }
  return a;
}

function armCpu(t: Target): string {
  if (t.bits === 32) {
    if (t.hasFeature("armv7s")) return "swift";
    if (t.hasFeature("armv82a")) return "cortex-a55";
    if (t.hasFeature("armv8a")) return "cortex-a32";
    return "cortex-a9";
  }
  if (t.os === "ios") return "apple-a7";
  if (t.os === "osx") return "apple-m1";
  if (t.hasFeature("sve2")) return "cortex-x1";
  return "generic";
}

/** The LLVM features for the Halide features of ARM target `t` (with implied features set), for LLVM `major`. */
function armAttributes(t: Target, major: number, target: Target): string[] {
  const a: string[] = [];
  const has = (f: TargetFeature) => t.hasFeature(f);
  if (has("arm_fp16")) a.push("+fullfp16");
  if (has("armv8a")) a.push(t.bits === 32 ? "+v8" : "+v8a");
  const versions: readonly (readonly [TargetFeature, string])[] = [
    ["armv81a", "+v8.1a"], ["armv82a", "+v8.2a"], ["armv83a", "+v8.3a"], ["armv84a", "+v8.4a"],
    ["armv85a", "+v8.5a"], ["armv86a", "+v8.6a"], ["armv87a", "+v8.7a"], ["armv88a", "+v8.8a"], ["armv89a", "+v8.9a"],
  ];
  for (const [f, attr] of versions) {
    if (!has(f)) continue;
    if (f === "armv89a") requireLLVM(major, 16, "ARMv8.9-A", target);
    a.push(attr);
    if (f === "armv84a" && has("arm_fp16")) a.push("+fp16fml");
  }
  if (has("arm_dot_prod")) a.push("+dotprod");
  if (t.bits === 32) {
    a.push(has("no_neon") ? "-neon" : "+neon");
  } else {
    if (has("sve2")) a.push("+sve2");
    if (has("sme2")) a.push("+sme2");
    if (t.os === "ios" || t.os === "osx") a.push("+reserve-x18");
  }
  return a;
}

/**
 * The LLVM triple, CPU and features that generate code for `target`, as Halide's x86 and ARM code generators
 * choose them: a generic CPU level for the target's instruction set plus one LLVM feature per Halide feature
 * (so `x86-64-linux-sse41` gets `x86-64` with `+sse3,+ssse3,+sse4.1`, and no AVX instruction can appear). A
 * target with exactly the host's instruction set and tuning (the host target, the default JIT target) gets the
 * host CPU and feature string that LLVM detects.
 *
 * @example
 * ```ts
 * llvmTargetFor(new Target("x86-64-linux-avx2"));
 * // { triple: "x86_64-pc-linux-gnu", cpu: "x86-64-v3", features: "+fma,+f16c,+prefer-no-gather" }
 * ```
 */
export function llvmTargetFor(target: Target): LLVMTarget {
  const host = environment().host();
  if (isHostISA(target, host)) return hostLLVMTarget();
  const t = target.withImpliedFeatures();
  const triple = tripleFor(t, host);
  const major = llvm().major;
  if (t.arch === "x86") {
    return { triple, cpu: x86Cpu(t), tuneCpu: x86Tune(t, major), features: x86Attributes(t, major, target).join(",") };
  }
  return { triple, cpu: armCpu(t), features: armAttributes(t, major, target).join(",") };
}

/**
 * Checks that JIT-compiled code for `target` can run here: the host's architecture, bit width and OS, and no
 * instruction-set feature this machine lacks. Throws a HalideError naming the target and the host otherwise.
 *
 * @example
 * ```ts
 * checkJitTarget(new Target("arm-64-linux")); // on x86: HalideError "Cannot JIT for target arm-64-linux on host …"
 * ```
 */
export function checkJitTarget(target: Target): void {
  const env = environment(), host = env.host();
  if (!sameMachine(target, host)) {
    throw new HalideError(
      `Cannot JIT for target ${target} on host ${host}: the JIT target must have the host's architecture, bit width ` +
        `and OS.`,
    );
  }
  const have = new Set(env.isaFeatures(host));
  const missing = env.isaFeatures(target).filter((f) => !have.has(f) && f !== "no_neon" && f !== "soft_float_abi");
  if (missing.length > 0) {
    throw new HalideError(
      `Cannot JIT for target ${target} on host ${host}: this machine does not support ${missing.join(", ")}.`,
    );
  }
}

/**
 * The function attributes that make LLVM generate code for `t` whatever the target machine compiling the module
 * (the JIT's is the host's): `target-cpu`, `target-features` and, when set, `tune-cpu`.
 *
 * @example
 * ```ts
 * const attrs = functionAttributes(llvmTargetFor(target));
 * ```
 */
export function functionAttributes(t: LLVMTarget): Record<string, string> {
  const attrs: Record<string, string> = { "target-cpu": t.cpu, "target-features": t.features };
  if (t.tuneCpu) attrs["tune-cpu"] = t.tuneCpu;
  return attrs;
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
 * The native runtime (`runtime.ts`) parsed into a new module of context `ctx`, without triple or data layout.
 *
 * @example
 * ```ts
 * const rt = parseRuntimeModule(ctx);
 * ```
 */
export function parseRuntimeModule(ctx: Handle): Handle {
  const { fn } = llvm();
  const text = cString(runtimeIR);
  // The parser takes ownership of the buffer (and adds the NUL terminator it needs).
  const buf = fn.LLVMCreateMemoryBufferWithMemoryRangeCopy(text, text.length - 1, "halide_runtime");
  const modOut = outCell(), msgOut = outCell();
  const failed = fn.LLVMParseIRInContext(ctx, buf, modOut, msgOut);
  const msg = takeMessage(fn, native.handleAt(msgOut[0]));
  if (failed) internalError(`the runtime's LLVM IR does not parse: ${msg}`);
  return native.handleAt(modOut[0]);
}

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
  // The runtime is shared by every pipeline, whatever its target: it is compiled for the host.
  const jm = compileForJit("halide_runtime", parseRuntimeModule, hostLLVMTarget());
  const addrs: Partial<Record<RuntimeSymbol, bigint>> = {};
  for (const name of runtimeSymbols) addrs[name] = jm.lookup(name);
  return (jitRuntime = addrs as Record<RuntimeSymbol, bigint>);
}

/**
 * Builds a module with `build` in a fresh context for `target` (default: `getJitTargetFromEnvironment()`), sets
 * its triple and data layout, verifies it, runs O3 and adds it to the process-wide JIT. The target must be one
 * this machine can run ({@link checkJitTarget}); `build` receives its LLVM description, whose
 * {@link functionAttributes} every function defined must carry. With `HALIDE_TS_DUMP=<directory>` the IR before
 * and after optimization is written there as `name.ll` and `name.opt.ll`.
 *
 * @example
 * ```ts
 * const jm = compileIntoJit("f_jit1", (ctx, lt) => emitMyModule(ctx, functionAttributes(lt)));
 * const addr = jm.lookup("f_jit1_argv");
 * ```
 */
export function compileIntoJit(
  name: string,
  build: (ctx: Handle, target: LLVMTarget) => Handle,
  target?: Target,
): JitModule {
  const t = target ?? targetEnv?.jit();
  if (t) checkJitTarget(t);
  // Without lang/target.ts loaded there is no Target to honour: compile for the host as LLVM describes it.
  return compileForJit(name, build, t ? llvmTargetFor(t) : hostLLVMTarget());
}

function compileForJit(
  name: string,
  build: (ctx: Handle, target: LLVMTarget) => Handle,
  target: LLVMTarget,
): JitModule {
  const { fn } = llvm();
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

/** What {@link emitModuleOutputs} produces from a module: object code, native assembly, LLVM IR text, bitcode. */
export type ModuleOutput = "object" | "assembly" | "llvm_assembly" | "bitcode";

/** The products of one compiled module, and the external symbols it defines (an archive's index lists them). */
export interface ModuleOutputs {
  object?: Uint8Array;
  assembly?: string;
  llvm_assembly?: string;
  bitcode?: Uint8Array;
  readonly symbols: readonly string[];
}

/**
 * Builds module `name` with `build` in a fresh context for `target` (any supported target, not only the host's),
 * links in the native runtime when `withRuntime` (one copy, compiled for the same target), verifies it, runs O3
 * once and returns each of `outputs`. `HALIDE_TS_DUMP` applies as for {@link compileIntoJit}.
 *
 * @example
 * ```ts
 * const build = (ctx: Handle, lt: LLVMTarget) => emitMyModule(ctx, functionAttributes(lt));
 * const { object, symbols } = emitModuleOutputs("f", build, new Target("arm-64-linux"), ["object"], true);
 * ```
 */
export function emitModuleOutputs(
  name: string,
  build: (ctx: Handle, target: LLVMTarget) => Handle,
  target: Target,
  outputs: readonly ModuleOutput[],
  withRuntime = false,
): ModuleOutputs {
  const { fn } = llvm();
  const lt = llvmTargetFor(target);
  const tm = createTargetMachine(lt);
  const mc = newModuleContext();
  let mod: Handle = null;
  try {
    mod = build(mc.ctx, lt);
    const layout = dataLayoutOf(tm);
    fn.LLVMSetTarget(mod, lt.triple);
    fn.LLVMSetDataLayout(mod, layout);
    if (withRuntime) {
      const rt = parseRuntimeModule(mc.ctx);
      fn.LLVMSetTarget(rt, lt.triple);
      fn.LLVMSetDataLayout(rt, layout);
      // LLVMLinkModules2 takes ownership of the runtime module, also when it fails.
      if (fn.LLVMLinkModules2(mod, rt) !== 0) internalError("linking the runtime into the pipeline's module failed");
    }
    verifyModule(mod);
    dump(name, "ll", mod);
    optimizeModule(mod, tm);
    dump(name, "opt.ll", mod);
    const result: ModuleOutputs = { symbols: definedSymbols(mod) };
    for (const output of outputs) {
      if (output === "llvm_assembly") result.llvm_assembly = takeMessage(fn, fn.LLVMPrintModuleToString(mod));
      else if (output === "bitcode") result.bitcode = takeBuffer(fn.LLVMWriteBitcodeToMemoryBuffer(mod));
      else if (output === "object") result.object = emitMachineCode(tm, mod, target, 1 /* LLVMObjectFile */);
      else result.assembly = new TextDecoder().decode(emitMachineCode(tm, mod, target, 0 /* LLVMAssemblyFile */));
    }
    return result;
  } finally {
    if (mod) fn.LLVMDisposeModule(mod);
    mc.dispose();
    fn.LLVMDisposeTargetMachine(tm);
  }
}

/** Object code or assembly of an optimized module. */
function emitMachineCode(tm: Handle, mod: Handle, target: Target, fileType: number): Uint8Array {
  const { fn } = llvm();
  const errOut = outCell(), bufOut = outCell();
  if (fn.LLVMTargetMachineEmitToMemoryBuffer(tm, mod, fileType, errOut, bufOut) !== 0) {
    const msg = takeMessage(fn, native.handleAt(errOut[0]));
    throw new HalideError(`LLVM could not emit ${fileType === 0 ? "assembly" : "object code"} for target ${target}: ${msg}`);
  }
  return takeBuffer(native.handleAt(bufOut[0]));
}

/** A copy of an LLVM memory buffer's bytes; frees the buffer. */
function takeBuffer(buf: Handle): Uint8Array {
  const { fn } = llvm();
  try {
    const size = Number(fn.LLVMGetBufferSize(buf));
    const start = native.addressOf(fn.LLVMGetBufferStart(buf));
    return size === 0 ? new Uint8Array(0) : new Uint8Array(native.arrayBufferAt(start, size)).slice();
  } finally {
    fn.LLVMDisposeMemoryBuffer(buf);
  }
}

/** LLVMLinkage values of symbols that are not visible outside their object file. */
const localLinkages = new Set([8 /* Internal */, 9 /* Private */]);

/** The names of the functions and global variables `mod` defines with external (or weak) linkage. */
function definedSymbols(mod: Handle): string[] {
  const { fn } = llvm();
  const names: string[] = [];
  const visit = (first: Handle, next: (v: Handle) => Handle) => {
    for (let v = first; v !== null; v = next(v)) {
      if (fn.LLVMIsDeclaration(v) || localLinkages.has(fn.LLVMGetLinkage(v))) continue;
      const length = outCell();
      names.push(native.readCString(fn.LLVMGetValueName2(v, length)));
    }
  };
  visit(fn.LLVMGetFirstFunction(mod), fn.LLVMGetNextFunction);
  visit(fn.LLVMGetFirstGlobal(mod), fn.LLVMGetNextGlobal);
  return names;
}

function dump(name: string, suffix: string, mod: Handle): void {
  const dir = process.env.HALIDE_TS_DUMP;
  if (!dir) return;
  const { fn } = llvm();
  mkdirSync(dir, { recursive: true });
  writeFileSync(`${dir}/${name}.${suffix}`, takeMessage(fn, fn.LLVMPrintModuleToString(mod)));
}
