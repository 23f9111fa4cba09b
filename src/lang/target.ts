/**
 * `Target`: the machine a pipeline is compiled for — architecture, bit width, operating system, an optional
 * processor to tune for, and a set of features (instruction-set extensions such as `avx2`, and compilation
 * options such as `no_asserts`). Target strings use Halide's syntax, `arch-bits-os[-processor][-feature...]`
 * (`x86-64-linux-avx2-fma-sse41`), and print in Halide's canonical form (features sorted by name).
 *
 * The host target is derived from the CPU name and feature list libLLVM detects, mapped to Halide's features as
 * Halide's own host detection does.
 *
 * @module
 */
import { readFileSync } from "node:fs";
import process from "node:process";
import { HalideError } from "../error.ts";
import type { Type } from "../ir/type.ts";
import { hostLLVMTarget, type LLVMTarget, setTargetEnvironment } from "../codegen/llvm_target.ts";

/**
 * Operating systems, with Halide's Python names; the values are the names used in target strings.
 *
 * @example
 * ```ts
 * new hl.Target(hl.TargetOS.Linux, hl.TargetArch.X86, 64).toString(); // "x86-64-linux"
 * ```
 */
export const TargetOS = {
  OSUnknown: "os_unknown",
  Linux: "linux",
  Windows: "windows",
  OSX: "osx",
  Android: "android",
  IOS: "ios",
  QuRT: "qurt",
  NoOS: "noos",
  Fuchsia: "fuchsia",
  wasmrt: "wasmrt",
} as const;
/** A member of {@link TargetOS}. */
export type TargetOS = (typeof TargetOS)[keyof typeof TargetOS];

/**
 * Architectures, with Halide's Python names; the values are the names used in target strings.
 *
 * @example
 * ```ts
 * hl.getHostTarget().arch === hl.TargetArch.X86;
 * ```
 */
export const TargetArch = {
  ArchUnknown: "arch_unknown",
  X86: "x86",
  ARM: "arm",
  Hexagon: "hexagon",
  POWERPC: "powerpc",
  RISCV: "riscv",
  WebAssembly: "wasm",
} as const;
/** A member of {@link TargetArch}. */
export type TargetArch = (typeof TargetArch)[keyof typeof TargetArch];

/**
 * Processors to tune for (code still runs on any CPU with the target's features), with Halide's Python names;
 * the values are the names used in target strings.
 *
 * @example
 * ```ts
 * new hl.Target("x86-64-linux-tune_znver4-avx2").processorTune; // "tune_znver4"
 * ```
 */
export const TargetProcessorTune = {
  TuneGeneric: "tune_generic",
  TuneAMDFam10: "tune_amdfam10",
  TuneBdVer1: "tune_bdver1",
  TuneBdVer2: "tune_bdver2",
  TuneBdVer3: "tune_bdver3",
  TuneBdVer4: "tune_bdver4",
  TuneBtVer1: "tune_btver1",
  TuneBtVer2: "tune_btver2",
  TuneK8: "tune_k8",
  TuneK8_SSE3: "tune_k8_sse3",
  TuneZnVer1: "tune_znver1",
  TuneZnVer2: "tune_znver2",
  TuneZnVer3: "tune_znver3",
  TuneZnVer4: "tune_znver4",
  TuneZnVer5: "tune_znver5",
} as const;
/** A member of {@link TargetProcessorTune}. */
export type TargetProcessorTune = (typeof TargetProcessorTune)[keyof typeof TargetProcessorTune];

/**
 * Target features, with Halide's Python names; the values are Halide's names as used in target strings
 * (`TargetFeature.AVX512_Skylake === "avx512_skylake"`). `HVX` is an alias of `HVX_128`.
 *
 * @example
 * ```ts
 * const t = new hl.Target("x86-64-linux").withFeature(hl.TargetFeature.AVX2);
 * t.toString(); // "x86-64-linux-avx2"
 * ```
 */
export const TargetFeature = {
  JIT: "jit",
  Debug: "debug",
  EnableBacktraces: "enable_backtraces",
  NoAsserts: "no_asserts",
  NoBoundsQuery: "no_bounds_query",
  SSE41: "sse41",
  AVX: "avx",
  AVX2: "avx2",
  AVXVNNI: "avxvnni",
  FMA: "fma",
  FMA4: "fma4",
  F16C: "f16c",
  ARMv7s: "armv7s",
  NoNEON: "no_neon",
  VSX: "vsx",
  POWER_ARCH_2_07: "power_arch_2_07",
  CUDA: "cuda",
  CUDACapability30: "cuda_capability_30",
  CUDACapability32: "cuda_capability_32",
  CUDACapability35: "cuda_capability_35",
  CUDACapability50: "cuda_capability_50",
  CUDACapability61: "cuda_capability_61",
  CUDACapability70: "cuda_capability_70",
  CUDACapability75: "cuda_capability_75",
  CUDACapability80: "cuda_capability_80",
  CUDACapability86: "cuda_capability_86",
  CUDACapability89: "cuda_capability_89",
  CUDACapability90: "cuda_capability_90",
  CUDACapability100: "cuda_capability_100",
  CUDACapability120: "cuda_capability_120",
  OpenCL: "opencl",
  CLDoubles: "cl_doubles",
  CLHalf: "cl_half",
  CLAtomics64: "cl_atomics64",
  EGL: "egl",
  UserContext: "user_context",
  Profile: "profile",
  NoRuntime: "no_runtime",
  Metal: "metal",
  CPlusPlusMangling: "c_plus_plus_name_mangling",
  LargeBuffers: "large_buffers",
  HexagonDma: "hexagon_dma",
  HVX_128: "hvx_128",
  HVX: "hvx_128",
  HVX_v62: "hvx_v62",
  HVX_v65: "hvx_v65",
  HVX_v66: "hvx_v66",
  HVX_v68: "hvx_v68",
  FuzzFloatStores: "fuzz_float_stores",
  SoftFloatABI: "soft_float_abi",
  MSAN: "msan",
  AVX512: "avx512",
  AVX512_KNL: "avx512_knl",
  AVX512_Skylake: "avx512_skylake",
  AVX512_Cannonlake: "avx512_cannonlake",
  AVX512_SapphireRapids: "avx512_sapphirerapids",
  AVX512_Zen4: "avx512_zen4",
  AVX512_Zen5: "avx512_zen5",
  TraceLoads: "trace_loads",
  TraceStores: "trace_stores",
  TraceRealizations: "trace_realizations",
  TracePipeline: "trace_pipeline",
  D3D12Compute: "d3d12compute",
  StrictFloat: "strict_float",
  TSAN: "tsan",
  ASAN: "asan",
  CheckUnsafePromises: "check_unsafe_promises",
  EmbedBitcode: "embed_bitcode",
  EnableLLVMLoopOpt: "enable_llvm_loop_opt",
  WasmMvpOnly: "wasm_mvponly",
  WasmSimd128: "wasm_simd128",
  WasmThreads: "wasm_threads",
  WasmBulkMemory: "wasm_bulk_memory",
  WebGPU: "webgpu",
  SVE: "sve",
  SVE2: "sve2",
  SME2: "sme2",
  SME_SVL128: "sme_svl128",
  SME_SVL256: "sme_svl256",
  SME_SVL512: "sme_svl512",
  SME_SVL1024: "sme_svl1024",
  SME_SVL2048: "sme_svl2048",
  ARMDotProd: "arm_dot_prod",
  ARMFp16: "arm_fp16",
  LLVMLargeCodeModel: "llvm_large_code_model",
  RVV: "rvv",
  ARMv8a: "armv8a",
  ARMv81a: "armv81a",
  ARMv82a: "armv82a",
  ARMv83a: "armv83a",
  ARMv84a: "armv84a",
  ARMv85a: "armv85a",
  ARMv86a: "armv86a",
  ARMv87a: "armv87a",
  ARMv88a: "armv88a",
  ARMv89a: "armv89a",
  SanitizerCoverage: "sanitizer_coverage",
  ProfileByTimer: "profile_by_timer",
  SPIRV: "spirv",
  Vulkan: "vulkan",
  VulkanInt8: "vk_int8",
  VulkanInt16: "vk_int16",
  VulkanInt64: "vk_int64",
  VulkanFloat16: "vk_float16",
  VulkanFloat64: "vk_float64",
  VulkanV10: "vk_v10",
  VulkanV12: "vk_v12",
  VulkanV13: "vk_v13",
  Semihosting: "semihosting",
  AVX10_1: "avx10_1",
  X86APX: "x86apx",
  Simulator: "simulator",
  HLSL_SM60: "hlsl_sm60",
  HLSL_SM61: "hlsl_sm61",
  HLSL_SM62: "hlsl_sm62",
  HLSL_SM63: "hlsl_sm63",
  HLSL_SM64: "hlsl_sm64",
  HLSL_SM65: "hlsl_sm65",
  HLSL_SM66: "hlsl_sm66",
  HLSL_SM67: "hlsl_sm67",
  HLSL_SM68: "hlsl_sm68",
  HLSL_SM69: "hlsl_sm69",
} as const;
/** A member of {@link TargetFeature}. */
export type TargetFeature = (typeof TargetFeature)[keyof typeof TargetFeature];

const F = TargetFeature;

const byName = <T extends string>(values: readonly T[]): ReadonlyMap<string, T> =>
  new Map([...values].sort().map((v) => [v, v]));

const osNames = byName(Object.values(TargetOS));
const archNames = byName(Object.values(TargetArch));
const processorNames = byName(Object.values(TargetProcessorTune));
/** Every name a target string may use for a feature, sorted (Halide prints features in this order). */
const featureNames: ReadonlyMap<string, TargetFeature> = new Map(
  [...new Set<string>([...Object.values(TargetFeature), "hvx"])].sort().map((n) => [
    n,
    n === "hvx" ? F.HVX_128 : n as TargetFeature,
  ]),
);
const validFeatures: ReadonlySet<string> = new Set(Object.values(TargetFeature));

/** Features that select instructions (they decide what code is generated and which machines can run it). */
const isaFeatures: readonly TargetFeature[] = [
  F.SSE41,
  F.AVX,
  F.AVX2,
  F.AVXVNNI,
  F.FMA,
  F.FMA4,
  F.F16C,
  F.AVX512,
  F.AVX512_KNL,
  F.AVX512_Skylake,
  F.AVX512_Cannonlake,
  F.AVX512_SapphireRapids,
  F.AVX512_Zen4,
  F.AVX512_Zen5,
  F.AVX10_1,
  F.X86APX,
  F.ARMv7s,
  F.NoNEON,
  F.ARMDotProd,
  F.ARMFp16,
  F.SVE,
  F.SVE2,
  F.SME2,
  F.SME_SVL128,
  F.SME_SVL256,
  F.SME_SVL512,
  F.SME_SVL1024,
  F.SME_SVL2048,
  F.ARMv8a,
  F.ARMv81a,
  F.ARMv82a,
  F.ARMv83a,
  F.ARMv84a,
  F.ARMv85a,
  F.ARMv86a,
  F.ARMv87a,
  F.ARMv88a,
  F.ARMv89a,
  F.VSX,
  F.POWER_ARCH_2_07,
  F.RVV,
  F.HVX_128,
  F.HVX_v62,
  F.HVX_v65,
  F.HVX_v66,
  F.HVX_v68,
  F.WasmSimd128,
  F.WasmMvpOnly,
  F.WasmThreads,
  F.WasmBulkMemory,
  F.SoftFloatABI,
];

/**
 * "a implies b" pairs in topological order (an antecedent appears before it is used as a consequent), so one
 * forward pass sets every implied feature and one backward pass removes every redundant one.
 */
const impliedPairs: readonly (readonly [TargetFeature, TargetFeature])[] = [
  [F.AVX512_SapphireRapids, F.AVX512_Zen4],
  [F.AVX512_SapphireRapids, F.AVXVNNI],
  [F.AVX512_Zen5, F.AVX512_Zen4],
  [F.AVX512_Zen5, F.AVXVNNI],
  [F.AVX512_Zen4, F.AVX512_Cannonlake],
  [F.AVX512_Cannonlake, F.AVX512_Skylake],
  [F.AVX512_Skylake, F.AVX512],
  [F.AVX512_KNL, F.AVX512],
  [F.AVX512, F.AVX2],
  [F.AVX2, F.F16C],
  [F.AVX2, F.FMA],
  [F.AVX2, F.AVX],
  [F.AVX, F.SSE41],
  [F.SVE2, F.ARMDotProd],
  [F.SVE2, F.ARMFp16],
  [F.SVE, F.ARMFp16],
  [F.SME2, F.ARMDotProd],
  [F.SME2, F.ARMFp16],
  [F.ARMFp16, F.ARMv82a],
  [F.ARMv89a, F.ARMv88a],
  [F.ARMv88a, F.ARMv87a],
  [F.ARMv87a, F.ARMv86a],
  [F.ARMv86a, F.ARMv85a],
  [F.ARMv85a, F.ARMv84a],
  [F.ARMv84a, F.ARMv83a],
  [F.ARMv83a, F.ARMv82a],
  [F.ARMv82a, F.ARMv81a],
  [F.ARMv81a, F.ARMv8a],
  [F.TraceLoads, F.TraceRealizations],
  [F.TraceStores, F.TraceRealizations],
];

const x86Only: readonly TargetFeature[] = [
  F.AVX,
  F.AVX2,
  F.AVXVNNI,
  F.AVX512,
  F.AVX512_Cannonlake,
  F.AVX512_KNL,
  F.AVX512_SapphireRapids,
  F.AVX512_Skylake,
  F.AVX512_Zen4,
  F.AVX512_Zen5,
  F.F16C,
  F.FMA,
  F.FMA4,
  F.SSE41,
];
const armOnly: readonly TargetFeature[] = [
  F.ARMDotProd,
  F.ARMFp16,
  F.ARMv7s,
  F.ARMv81a,
  F.NoNEON,
  F.SME2,
  F.SME_SVL128,
  F.SME_SVL256,
  F.SME_SVL512,
  F.SME_SVL1024,
  F.SME_SVL2048,
  F.SVE,
  F.SVE2,
];
const wasmOnly: readonly TargetFeature[] = [F.WasmBulkMemory, F.WasmMvpOnly, F.WasmSimd128, F.WasmThreads];
/** Features that cannot go with each architecture (not exhaustive: enough to catch obvious mistakes). */
const incompatible: Partial<Record<TargetArch, readonly TargetFeature[]>> = {
  x86: [...armOnly, F.POWER_ARCH_2_07, F.RVV, F.VSX, ...wasmOnly],
  arm: [...x86Only, F.POWER_ARCH_2_07, F.RVV, F.VSX, ...wasmOnly],
  wasm: [
    ...armOnly,
    ...x86Only,
    F.HVX_128,
    F.HVX_v62,
    F.HVX_v65,
    F.HVX_v66,
    F.HVX_v68,
    F.POWER_ARCH_2_07,
    F.RVV,
    F.VSX,
  ],
};
const hlslFeatures: readonly TargetFeature[] = [
  F.HLSL_SM60,
  F.HLSL_SM61,
  F.HLSL_SM62,
  F.HLSL_SM63,
  F.HLSL_SM64,
  F.HLSL_SM65,
  F.HLSL_SM66,
  F.HLSL_SM67,
  F.HLSL_SM68,
  F.HLSL_SM69,
];
const smeSvl: readonly TargetFeature[] = [F.SME_SVL128, F.SME_SVL256, F.SME_SVL512, F.SME_SVL1024, F.SME_SVL2048];
const gpuFeatures: readonly TargetFeature[] = [F.CUDA, F.OpenCL, F.Metal, F.D3D12Compute, F.Vulkan, F.WebGPU];

function checkFeature(f: TargetFeature): void {
  if (!validFeatures.has(f)) {
    throw new HalideError(
      `Invalid Target feature ${JSON.stringify(f)}. Features are: ${[...validFeatures].sort().join(", ")}.`,
    );
  }
}

function checkMember<T extends string>(what: string, value: T, names: ReadonlyMap<string, T>): void {
  if (!names.has(value)) {
    throw new HalideError(
      `Invalid Target ${what} ${JSON.stringify(value)}; expected one of ${[...names.keys()].join(", ")}.`,
    );
  }
}

/** The outcome of reading a target string into a Target: `undefined` when it was understood, else why not. */
type MergeResult = string | undefined;

/**
 * A compilation target. `new Target()` is the unknown target `arch_unknown-0-os_unknown` (as in Python);
 * `new Target("")` and `new Target("host")` are the host; `new Target("x86-64-linux-avx2")` parses a target
 * string; `new Target(os, arch, bits, features?)` (optionally with a processor before the features) builds one.
 * `os`, `arch` and `bits` are plain fields, and {@link setFeature} changes the target in place, as in Python;
 * {@link withFeature} and {@link withoutFeature} return modified copies.
 *
 * @example
 * ```ts
 * const t = new hl.Target("x86-64-linux-sse41-avx");
 * t.hasFeature(hl.TargetFeature.AVX);      // true
 * t.naturalVectorSize(hl.Float(32));       // 8
 * t.withFeature(hl.TargetFeature.NoAsserts).toString(); // "x86-64-linux-avx-no_asserts-sse41"
 * ```
 */
export class Target {
  /** The operating system. */
  os: TargetOS = TargetOS.OSUnknown;
  /** The architecture. */
  arch: TargetArch = TargetArch.ArchUnknown;
  /** The pointer width: 32 or 64 (0 when unknown). */
  bits = 0;
  /** The processor to tune for; `tune_generic` by default. */
  processorTune: TargetProcessorTune = TargetProcessorTune.TuneGeneric;
  /** The vector width in bits for scalable vector ISAs (SVE, RVV) and AVX10; 0 when unspecified. */
  vectorBits = 0;
  private readonly features = new Set<TargetFeature>();

  /** The unknown target `arch_unknown-0-os_unknown`. */
  constructor();
  /** Parses a target string; `""` and `"host"` are the host target. */
  constructor(target: string);
  /** The target with these fields and features. */
  constructor(os: TargetOS, arch: TargetArch, bits: number, features?: readonly TargetFeature[]);
  /** The target with these fields, processor and features. */
  constructor(
    os: TargetOS,
    arch: TargetArch,
    bits: number,
    processorTune: TargetProcessorTune,
    features?: readonly TargetFeature[],
  );
  constructor(
    osOrString?: TargetOS | string,
    arch?: TargetArch,
    bits?: number,
    tuneOrFeatures?: TargetProcessorTune | readonly TargetFeature[],
    features?: readonly TargetFeature[],
  ) {
    if (osOrString === undefined) return;
    if (arch === undefined) {
      if (typeof osOrString !== "string") {
        throw new HalideError(`A target string must be a string, not ${typeof osOrString}.`);
      }
      this.parse(osOrString);
    } else {
      checkMember("OS", osOrString as TargetOS, osNames);
      checkMember("architecture", arch, archNames);
      if (!Number.isInteger(bits) || (bits as number) < 0) {
        throw new HalideError(`Invalid Target bits ${String(bits)}; expected 32 or 64.`);
      }
      this.os = osOrString as TargetOS;
      this.arch = arch;
      this.bits = bits as number;
      let fs: readonly TargetFeature[] = [];
      if (typeof tuneOrFeatures === "string") {
        checkMember("processor", tuneOrFeatures, processorNames);
        this.processorTune = tuneOrFeatures;
        fs = features ?? [];
      } else if (tuneOrFeatures !== undefined) {
        fs = tuneOrFeatures;
      }
      if (!Array.isArray(fs)) throw new HalideError("Target features must be given as an array of TargetFeature.");
      for (const f of fs) this.setFeature(f);
    }
    this.validateFeatures();
  }

  /**
   * Whether `s` is a complete, valid target string (arch, bits and OS all known).
   *
   * @example
   * ```ts
   * hl.Target.validateTargetString("x86-64-linux-sse41"); // true
   * hl.Target.validateTargetString("x86-23");             // false
   * ```
   */
  static validateTargetString(s: string): boolean {
    const t = new Target();
    return typeof s === "string" && t.merge(s) === undefined && !t.hasUnknowns();
  }

  /**
   * The Halide name of a feature (`"avx512_skylake"`), which is the feature's value.
   *
   * @example
   * ```ts
   * hl.Target.featureFromName("avx2") === hl.TargetFeature.AVX2; // true
   * ```
   */
  static featureFromName(name: string): TargetFeature | undefined {
    return featureNames.get(name);
  }

  /**
   * True if the architecture, bit width or OS is unknown.
   *
   * @example
   * ```ts
   * new hl.Target().hasUnknowns(); // true
   * ```
   */
  hasUnknowns(): boolean {
    return this.os === TargetOS.OSUnknown || this.arch === TargetArch.ArchUnknown || this.bits === 0;
  }

  /**
   * Whether the target has feature `f` (exactly as set: `avx2` does not by itself report `avx`).
   *
   * @example
   * ```ts
   * new hl.Target("x86-64-linux-avx2").hasFeature(hl.TargetFeature.AVX2); // true
   * ```
   */
  hasFeature(f: TargetFeature): boolean {
    checkFeature(f);
    return this.features.has(f);
  }

  /**
   * Whether the target has any of `fs`.
   *
   * @example
   * ```ts
   * t.featuresAnyOf([hl.TargetFeature.AVX2, hl.TargetFeature.AVX512]);
   * ```
   */
  featuresAnyOf(fs: readonly TargetFeature[]): boolean {
    return fs.some((f) => this.hasFeature(f));
  }

  /**
   * Whether the target has all of `fs`.
   *
   * @example
   * ```ts
   * t.featuresAllOf([hl.TargetFeature.SSE41, hl.TargetFeature.AVX]);
   * ```
   */
  featuresAllOf(fs: readonly TargetFeature[]): boolean {
    return fs.every((f) => this.hasFeature(f));
  }

  /**
   * Sets (or with `on = false` clears) feature `f`, in place.
   *
   * @example
   * ```ts
   * t.setFeature(hl.TargetFeature.AVX);
   * t.setFeature(hl.TargetFeature.SSE41, false);
   * ```
   */
  setFeature(f: TargetFeature, on = true): void {
    checkFeature(f);
    if (on) this.features.add(f);
    else this.features.delete(f);
  }

  /**
   * Sets (or clears) each of `fs`, in place.
   *
   * @example
   * ```ts
   * t.setFeatures([hl.TargetFeature.AVX, hl.TargetFeature.AVX2]);
   * ```
   */
  setFeatures(fs: readonly TargetFeature[], on = true): void {
    for (const f of fs) this.setFeature(f, on);
  }

  /**
   * A copy of the target with feature `f` set.
   *
   * @example
   * ```ts
   * new hl.Target("x86-64-linux").withFeature(hl.TargetFeature.NoAsserts).toString(); // "x86-64-linux-no_asserts"
   * ```
   */
  withFeature(f: TargetFeature): Target {
    const t = this.clone();
    t.setFeature(f);
    return t;
  }

  /**
   * A copy of the target without feature `f`.
   *
   * @example
   * ```ts
   * new hl.Target("x86-64-linux-sse41-jit").withoutFeature(hl.TargetFeature.JIT).toString(); // "x86-64-linux-sse41"
   * ```
   */
  withoutFeature(f: TargetFeature): Target {
    const t = this.clone();
    t.setFeature(f, false);
    return t;
  }

  /**
   * A copy with every feature implied by the ones set also set (`avx2` brings `avx`, `sse41`, `fma`, `f16c`;
   * `armv84a` brings `armv8a`…`armv83a`; Apple silicon is at least `armv84a`). The compiler works on this form.
   *
   * @example
   * ```ts
   * new hl.Target("x86-64-linux-avx2").withImpliedFeatures().toString(); // "x86-64-linux-avx-avx2-f16c-fma-sse41"
   * ```
   */
  withImpliedFeatures(): Target {
    const t = this.clone();
    if (t.arch === TargetArch.X86 && t.features.has(F.AVX10_1)) {
      if (t.vectorBits >= 256) t.features.add(F.AVX2);
      if (t.vectorBits >= 512) t.features.add(F.AVX512_SapphireRapids);
    }
    if (t.arch === TargetArch.ARM && t.os === TargetOS.OSX) t.features.add(F.ARMv84a);
    for (const [a, b] of impliedPairs) if (t.features.has(a)) t.features.add(b);
    return t;
  }

  /**
   * A copy with every feature implied by another one that is set removed: the minimal equivalent target.
   *
   * @example
   * ```ts
   * new hl.Target("x86-64-linux-sse41-avx-avx2-fma-f16c").withoutImpliedFeatures().toString(); // "x86-64-linux-avx2"
   * ```
   */
  withoutImpliedFeatures(): Target {
    const t = this.clone();
    for (let i = impliedPairs.length - 1; i >= 0; i--) {
      const [a, b] = impliedPairs[i];
      if (t.features.has(a)) t.features.delete(b);
    }
    if (t.arch === TargetArch.X86 && t.features.has(F.AVX10_1)) {
      if (t.vectorBits >= 512) t.features.delete(F.AVX512_SapphireRapids);
      if (t.vectorBits >= 256) t.features.delete(F.AVX2);
    }
    if (t.arch === TargetArch.ARM && t.os === TargetOS.OSX) t.features.delete(F.ARMv84a);
    return t;
  }

  /**
   * A copy with {@link vectorBits} set to `bits`.
   *
   * @example
   * ```ts
   * new hl.Target("arm-64-linux-sve2").withVectorBits(512).toString(); // "arm-64-linux-sve2-vector_bits_512"
   * ```
   */
  withVectorBits(bits: number): Target {
    if (!Number.isInteger(bits) || bits < 0) throw new HalideError(`Invalid vector_bits ${bits}.`);
    const t = this.clone();
    t.vectorBits = bits;
    return t;
  }

  /**
   * Whether the target uses a GPU API (CUDA, OpenCL, Metal, D3D12Compute, Vulkan, WebGPU).
   *
   * @example
   * ```ts
   * new hl.Target("x86-64-linux-opencl").hasGpuFeature(); // true
   * ```
   */
  hasGpuFeature(): boolean {
    return gpuFeatures.some((f) => this.features.has(f));
  }

  /**
   * Whether this version of halide-ts can generate code for the target: 64-bit x86 or ARM without GPU features.
   *
   * @example
   * ```ts
   * new hl.Target("x86-64-linux-avx2").supported(); // true
   * ```
   */
  supported(): boolean {
    return (this.arch === TargetArch.X86 || this.arch === TargetArch.ARM) && this.bits === 64 && !this.hasGpuFeature();
  }

  /**
   * Whether buffers may exceed 2³¹ bytes (`large_buffers`).
   *
   * @example
   * ```ts
   * new hl.Target("x86-64-linux-large_buffers").hasLargeBuffers(); // true
   * ```
   */
  hasLargeBuffers(): boolean {
    return this.features.has(F.LargeBuffers);
  }

  /**
   * The natural number of lanes of a vector of `type` on this target: the native vector width in bytes over the
   * element size. x86: 64 bytes with AVX-512 (for integers, the variants with AVX512BW: Skylake and later), 32
   * with AVX2 (and with AVX for floats), else 16; ARM: 16 (or the SVE vector length); WebAssembly: 16 with SIMD.
   *
   * @example
   * ```ts
   * new hl.Target("x86-64-linux-sse41").naturalVectorSize(hl.UInt(8));   // 16
   * new hl.Target("x86-64-linux-avx2").naturalVectorSize(hl.Float(32));  // 8
   * ```
   */
  naturalVectorSize(type: Type): number {
    if (this.hasUnknowns()) {
      throw new HalideError("natural_vector_size cannot be used on a Target with Unknown values.");
    }
    const has = (...fs: TargetFeature[]) => fs.some((f) => this.features.has(f));
    const isInteger = type.isInt() || type.isUInt();
    const size = type.bytes();
    switch (this.arch) {
      case TargetArch.ARM:
        if (this.vectorBits !== 0 && (has(F.SVE2) || (type.isFloat() && has(F.SVE)))) {
          return Math.trunc(this.vectorBits / (size * 8));
        }
        return Math.trunc(16 / size);
      case TargetArch.Hexagon:
        if (!isInteger) return 1;
        if (!has(F.HVX_128)) throw new HalideError("Target uses hexagon arch without target feature hvx set.");
        return Math.trunc(128 / size);
      case TargetArch.X86: {
        const bw = [F.AVX512_Skylake, F.AVX512_Cannonlake, F.AVX512_Zen4, F.AVX512_Zen5, F.AVX512_SapphireRapids];
        if (isInteger && has(...bw)) return Math.trunc(64 / size);
        if (type.isFloat() && has(F.AVX512, F.AVX512_KNL, ...bw)) return Math.trunc(64 / size);
        if (has(F.AVX2, F.AVX512, F.AVX512_KNL)) return Math.trunc(32 / size);
        if (!isInteger && has(F.AVX)) return Math.trunc(32 / size);
        return Math.trunc(16 / size);
      }
      case TargetArch.WebAssembly:
        return has(F.WasmSimd128) ? Math.trunc(16 / size) : 1;
      case TargetArch.RISCV:
        return this.vectorBits !== 0 && has(F.RVV) ? Math.trunc(this.vectorBits / (size * 8)) : 1;
      default:
        return Math.trunc(16 / size);
    }
  }

  /**
   * The features that are set, in canonical (name) order.
   *
   * @example
   * ```ts
   * new hl.Target("x86-64-linux-sse41-avx").getFeatures(); // ["avx", "sse41"]
   * ```
   */
  getFeatures(): TargetFeature[] {
    return [...this.features].sort();
  }

  /**
   * Whether two targets are identical: same OS, architecture, bits, processor, vector bits and features.
   *
   * @example
   * ```ts
   * hl.getHostTarget().equals(new hl.Target("")); // true
   * ```
   */
  equals(other: Target): boolean {
    if (!(other instanceof Target)) return false;
    return this.os === other.os && this.arch === other.arch && this.bits === other.bits &&
      this.processorTune === other.processorTune && this.vectorBits === other.vectorBits &&
      this.features.size === other.features.size && [...this.features].every((f) => other.features.has(f));
  }

  /**
   * The canonical target string: `arch-bits-os`, the processor unless generic, then the features sorted by name
   * (`trace_loads-trace_realizations-trace_stores` prints as `trace_all`), then `vector_bits_N` if set.
   *
   * @example
   * ```ts
   * new hl.Target(hl.TargetOS.Android, hl.TargetArch.ARM, 32,
   *   [hl.TargetFeature.JIT, hl.TargetFeature.CUDA, hl.TargetFeature.OpenCL, hl.TargetFeature.Debug]).toString();
   * // "arm-32-android-cuda-debug-jit-opencl"
   * ```
   */
  toString(): string {
    let s = `${this.arch}-${this.bits}-${this.os}`;
    if (this.processorTune !== TargetProcessorTune.TuneGeneric) s += `-${this.processorTune}`;
    for (const [name, f] of featureNames) if (this.features.has(f)) s += `-${name}`;
    if (this.features.has(F.TraceLoads) && this.features.has(F.TraceStores) && this.features.has(F.TraceRealizations)) {
      s = s.replaceAll("trace_loads-trace_realizations-trace_stores", "trace_all");
    }
    if (this.vectorBits !== 0) s += `-vector_bits_${this.vectorBits}`;
    return s;
  }

  private clone(): Target {
    const t = new Target();
    t.os = this.os;
    t.arch = this.arch;
    t.bits = this.bits;
    t.processorTune = this.processorTune;
    t.vectorBits = this.vectorBits;
    for (const f of this.features) t.features.add(f);
    return t;
  }

  private copyFrom(other: Target): void {
    this.os = other.os;
    this.arch = other.arch;
    this.bits = other.bits;
    this.processorTune = other.processorTune;
    this.vectorBits = other.vectorBits;
    this.features.clear();
    for (const f of other.features) this.features.add(f);
  }

  private parse(s: string): void {
    if (s === "") {
      this.copyFrom(getHostTarget());
      return;
    }
    let why = this.merge(s);
    if (why === undefined && this.hasUnknowns()) {
      const missing = [
        this.arch === TargetArch.ArchUnknown ? "the architecture" : "",
        this.bits === 0 ? "the bit width" : "",
        this.os === TargetOS.OSUnknown ? "the OS" : "",
      ].filter((x) => x).join(", ");
      why = `it leaves ${missing} unknown`;
    }
    if (why !== undefined) badTargetString(s, why);
  }

  /** Reads target string `s` into this target, as Halide's parser does; returns why it failed, if it did. */
  private merge(s: string): MergeResult {
    let osGiven = false, archGiven = false, bitsGiven = false, tuneGiven = false, featuresGiven = false;
    const tokens = s.split("-");
    for (let i = 0; i < tokens.length; i++) {
      const tok = tokens[i];
      const quoted = JSON.stringify(tok);
      if (tok === "host") {
        if (i > 0) return `"host" may only be the first token`;
        this.copyFrom(getHostTarget());
      } else if (tok === "32" || tok === "64" || tok === "0") {
        if (bitsGiven) return `the bit width is given twice (${quoted})`;
        bitsGiven = true;
        this.bits = Number(tok);
      } else if (archNames.has(tok)) {
        if (archGiven) return `the architecture is given twice (${quoted})`;
        archGiven = true;
        this.arch = tok as TargetArch;
      } else if (osNames.has(tok)) {
        if (osGiven) return `the OS is given twice (${quoted})`;
        osGiven = true;
        this.os = tok as TargetOS;
      } else if (processorNames.has(tok)) {
        if (tuneGiven) return `the processor is given twice (${quoted})`;
        tuneGiven = true;
        this.processorTune = tok as TargetProcessorTune;
      } else if (featureNames.has(tok)) {
        this.features.add(featureNames.get(tok)!);
        featuresGiven = true;
      } else if (tok === "trace_all") {
        for (const f of [F.TraceLoads, F.TraceStores, F.TraceRealizations]) this.features.add(f);
        featuresGiven = true;
      } else if (/^vector_bits_\d+$/.test(tok)) {
        this.vectorBits = Number(tok.slice("vector_bits_".length));
      } else {
        return `${quoted} is not an architecture, bit width, OS, processor or feature`;
      }
    }
    if (archGiven && !bitsGiven) return "the architecture is given without the bit width";
    if (bitsGiven && this.bits === 0) {
      if (
        !(archGiven && this.arch === TargetArch.ArchUnknown) || !(osGiven && this.os === TargetOS.OSUnknown) ||
        featuresGiven
      ) {
        return "bits 0 is only allowed with arch_unknown and os_unknown and no features";
      }
    }
    return undefined;
  }

  private validateFeatures(): void {
    for (const f of incompatible[this.arch] ?? []) {
      if (this.features.has(f)) {
        throw new HalideError(`Target feature ${f} is incompatible with the Target's architecture. (${this})`);
      }
    }
    if (!this.features.has(F.D3D12Compute)) {
      for (const f of hlslFeatures) {
        if (this.features.has(f)) {
          throw new HalideError(`Target feature ${f} is incompatible with the Target's architecture. (${this})`);
        }
      }
    }
    const svl = smeSvl.filter((f) => this.features.has(f)).length;
    if (svl > 1) throw new HalideError("Target may have at most one SME_SVL feature.");
    if (this.features.has(F.SME2) && svl !== 1) {
      throw new HalideError("Target feature sme2 requires exactly one SME_SVL feature.");
    }
    if (!this.features.has(F.SME2) && svl !== 0) {
      throw new HalideError(
        "Target features SME_SVL128, SME_SVL256, SME_SVL512, SME_SVL1024, and SME_SVL2048 require target feature sme2.",
      );
    }
  }
}

/** Lists `names` joined by ", ", breaking the line after the first name that takes it past 70 characters. */
function wrapNames(names: Iterable<string>, firstLineStart: number): string {
  let out = "", sep = "", lineStart = -firstLineStart;
  for (const n of names) {
    out += sep + n;
    if (out.length - lineStart > 70) {
      sep = "\n";
      lineStart = out.length;
    } else {
      sep = ", ";
    }
  }
  return out;
}

function badTargetString(s: string, why: string): never {
  let host = "";
  try {
    host = `\n\nOn this platform, the host target is: ${getHostTarget()}`;
  } catch {
    // No libLLVM to detect the host with: leave the host out of the message.
  }
  throw new HalideError(
    `Did not understand Halide target ${s}: ${why}.\n` +
      `Expected format is arch-bits-os-processor-feature1-feature2-...\n` +
      `Where arch is: ${[...archNames.keys()].join(", ")}.\n` +
      `bits is either 32 or 64.\n` +
      `os is: ${[...osNames.keys()].join(", ")}.\n` +
      `processor is: ${[...processorNames.keys()].join(", ")}.\n\n` +
      `If processor is omitted, it defaults to tune_generic.\n\n` +
      `Features are: ${wrapNames(featureNames.keys(), "Features are".length + 1)}.\n\n` +
      `The target can also begin with "host", which sets the host's architecture, os, and feature set, with the ` +
      `exception of the GPU runtimes, which default to off.${host}`,
  );
}

// ------------------------------------------------------------------------------------------------ host target

/** What identifies an x86 CPU model: the vendor string and cpuid's (display) family and model. */
export interface CpuIdentity {
  readonly vendor: string;
  readonly family: number;
  readonly model: number;
}

/** The processor AMD's family/model numbers identify, as Halide's host detection decides it. */
function amdProcessor(family: number, model: number, sse3: boolean): TargetProcessorTune {
  const P = TargetProcessorTune;
  const inRange = (lo: number, hi: number) => model >= lo && model <= hi;
  switch (family) {
    case 0xf:
      return sse3 ? P.TuneK8_SSE3 : P.TuneK8;
    case 0x10:
      return P.TuneAMDFam10;
    case 0x14:
      return P.TuneBtVer1;
    case 0x15:
      if (inRange(0x60, 0x7f)) return P.TuneBdVer4;
      if (inRange(0x30, 0x3f)) return P.TuneBdVer3;
      if (inRange(0x10, 0x1f) || model === 0x02) return P.TuneBdVer2;
      if (model <= 0x0f) return P.TuneBdVer1;
      return P.TuneGeneric;
    case 0x16:
      return P.TuneBtVer2;
    case 0x17:
      if (inRange(0x30, 0x3f) || model === 0x71) return P.TuneZnVer2;
      if (model <= 0x0f) return P.TuneZnVer1;
      return P.TuneGeneric;
    case 0x19:
      if (inRange(0x50, 0x5f) || inRange(0x40, 0x4f) || inRange(0x30, 0x3f) || inRange(0x20, 0x2f) || model <= 0x0f) {
        return P.TuneZnVer3;
      }
      if (inRange(0xa0, 0xaf) || inRange(0x60, 0x7f) || inRange(0x10, 0x1f)) return P.TuneZnVer4;
      return P.TuneGeneric;
    case 0x1a:
      return P.TuneZnVer5;
    default:
      return P.TuneGeneric;
  }
}

/** LLVM's host CPU names for the processors Halide tunes for. */
const llvmCpuProcessors: Readonly<Record<string, TargetProcessorTune>> = {
  amdfam10: "tune_amdfam10",
  barcelona: "tune_amdfam10",
  bdver1: "tune_bdver1",
  bdver2: "tune_bdver2",
  bdver3: "tune_bdver3",
  bdver4: "tune_bdver4",
  btver1: "tune_btver1",
  btver2: "tune_btver2",
  k8: "tune_k8",
  "k8-sse3": "tune_k8_sse3",
  znver1: "tune_znver1",
  znver2: "tune_znver2",
  znver3: "tune_znver3",
  znver4: "tune_znver4",
  znver5: "tune_znver5",
};

/**
 * The Halide target of a machine described by libLLVM's host triple, CPU name and feature string
 * (`+avx2,-avx512f,…`), following Halide's host detection: the processor comes from the CPU name (or, for AMD
 * CPUs that libLLVM is too old to name, from `cpu`'s family and model); Zen 4 and Zen 5 get their fixed feature
 * sets; other x86 CPUs get each feature whose instructions (and the OS state they need) are present.
 *
 * @example
 * ```ts
 * const features = "+sse4.1,+avx,+avx2,+fma,+f16c,+rdrnd";
 * hostTargetFromLLVM({ triple: "x86_64-pc-linux-gnu", cpu: "haswell", features }).toString();
 * // "x86-64-linux-avx-avx2-f16c-fma-sse41"
 * ```
 */
export function hostTargetFromLLVM(llvmHost: LLVMTarget, cpu?: CpuIdentity): Target {
  const t = new Target();
  const triple = llvmHost.triple.toLowerCase();
  const archName = triple.split("-")[0];
  if (/^(x86_64|amd64)$/.test(archName)) [t.arch, t.bits] = [TargetArch.X86, 64];
  else if (/^i[3-6]86$/.test(archName)) [t.arch, t.bits] = [TargetArch.X86, 32];
  else if (/^(aarch64|arm64)/.test(archName)) [t.arch, t.bits] = [TargetArch.ARM, 64];
  else if (/^(arm|thumb)/.test(archName)) [t.arch, t.bits] = [TargetArch.ARM, 32];
  else if (/^riscv(32|64)$/.test(archName)) [t.arch, t.bits] = [TargetArch.RISCV, Number(archName.slice(5))];
  else if (/^(powerpc64|ppc64)/.test(archName)) [t.arch, t.bits] = [TargetArch.POWERPC, 64];
  if (triple.includes("linux")) t.os = TargetOS.Linux;
  else if (/darwin|macos/.test(triple)) t.os = TargetOS.OSX;
  else if (/windows|win32|mingw/.test(triple)) t.os = TargetOS.Windows;

  const on = new Set(llvmHost.features.split(",").filter((f) => f.startsWith("+")).map((f) => f.slice(1)));
  const has = (...fs: string[]) => fs.every((f) => on.has(f));
  const set = (...fs: TargetFeature[]) => t.setFeatures(fs);

  if (t.arch === TargetArch.X86) {
    t.processorTune = llvmCpuProcessors[llvmHost.cpu] ??
      (cpu && cpu.vendor === "AuthenticAMD" ? amdProcessor(cpu.family, cpu.model, has("sse3")) : "tune_generic");
    // libLLVM reports AVX and AVX-512 only when the OS saves their registers, as Halide's xgetbv checks require.
    const osAvx = has("avx"), osAvx512 = has("avx512f");
    if (t.processorTune === "tune_znver4" || t.processorTune === "tune_znver5") {
      const zen5 = t.processorTune === "tune_znver5";
      set(F.SSE41);
      if (osAvx) set(F.AVX, F.F16C, F.FMA, F.AVX2, ...(zen5 ? [F.AVXVNNI] : []));
      if (osAvx512) {
        set(F.AVX512, F.AVX512_Skylake, F.AVX512_Cannonlake, F.AVX512_Zen4, ...(zen5 ? [F.AVX512_Zen5] : []));
      }
      return t;
    }
    if (has("sse4.1")) set(F.SSE41);
    if (has("avx")) set(F.AVX);
    if (has("f16c")) set(F.F16C);
    if (has("fma")) set(F.FMA);
    if (has("fma4")) set(F.FMA4);
    if (t.bits === 64 && has("avx", "f16c", "rdrnd")) {
      if (has("avx2")) set(F.AVX2);
      if (has("avx512f", "avx512cd")) {
        set(F.AVX512);
        if (has("avx512pf", "avx512er")) set(F.AVX512_KNL);
        if (has("avx512vl", "avx512bw", "avx512dq")) {
          set(F.AVX512_Skylake);
          if (has("avx512ifma")) {
            set(F.AVX512_Cannonlake);
            if (has("avxvnni")) {
              set(F.AVXVNNI);
              if (has("amx-bf16", "amx-tile", "amx-int8")) set(F.AVX512_SapphireRapids);
            }
          }
        }
      }
      const avx10 = [...on].filter((f) => /^avx10\.\d+(-\d+)?$/.test(f));
      if (osAvx512 && avx10.length > 0) {
        set(F.AVX10_1);
        t.vectorBits = avx10.some((f) => !f.endsWith("-256")) ? 512 : 256;
      }
      if (has("egpr")) set(F.X86APX);
    }
  } else if (t.arch === TargetArch.ARM) {
    if (has("dotprod")) set(F.ARMDotProd);
    if (has("fullfp16")) set(F.ARMFp16);
  }
  return t;
}

/** The vendor, family and model of the first CPU in /proc/cpuinfo (Linux x86), if it can be read. */
function readCpuIdentity(): CpuIdentity | undefined {
  try {
    const text = readFileSync("/proc/cpuinfo", "utf8");
    const field = (name: string) => new RegExp(`^${name}\\s*:\\s*(.*)$`, "m").exec(text)?.[1]?.trim();
    const vendor = field("vendor_id"), family = field("cpu family"), model = field("model");
    if (vendor === undefined || family === undefined || model === undefined) return undefined;
    return { vendor, family: Number(family), model: Number(model) };
  } catch {
    return undefined;
  }
}

let host: Target | undefined;

/**
 * The target of the machine this runs on (computed once): architecture, OS and the features of its CPU, from
 * the CPU name and feature list libLLVM detects, mapped as Halide's `get_host_target` does — a Zen 5 with
 * AVX-512 is `x86-64-linux-tune_znver5-avx-avx2-avx512-avx512_cannonlake-avx512_skylake-avx512_zen4-avx512_zen5-`
 * `avxvnni-f16c-fma-sse41`.
 * Returns a fresh copy each time.
 *
 * @example
 * ```ts
 * hl.getHostTarget().hasFeature(hl.TargetFeature.AVX2);
 * ```
 */
export function getHostTarget(): Target {
  if (!host) {
    const llvmHost = hostLLVMTarget();
    const isX86 = /^(x86_64|amd64|i[3-6]86)/.test(llvmHost.triple);
    host = hostTargetFromLLVM(llvmHost, isX86 && !(llvmHost.cpu in llvmCpuProcessors) ? readCpuIdentity() : undefined);
  }
  return host.withVectorBits(host.vectorBits);
}

/**
 * The ahead-of-time target: `HL_TARGET` if set, else the host.
 *
 * @example
 * ```ts
 * const t = hl.getTargetFromEnvironment();
 * ```
 */
export function getTargetFromEnvironment(): Target {
  const s = process.env.HL_TARGET;
  return s ? new Target(s) : getHostTarget();
}

/**
 * The target JIT compilation uses by default: `HL_JIT_TARGET` if set (it must name the host's OS, architecture
 * and bit width), else the host; with the `jit` feature either way.
 *
 * @example
 * ```ts
 * // HL_JIT_TARGET=x86-64-linux-sse41
 * hl.getJitTargetFromEnvironment().toString(); // "x86-64-linux-jit-sse41"
 * ```
 */
export function getJitTargetFromEnvironment(): Target {
  const h = getHostTarget().withFeature(F.JIT);
  const s = process.env.HL_JIT_TARGET;
  if (!s) return h;
  const t = new Target(s).withFeature(F.JIT);
  if (t.os !== h.os || t.arch !== h.arch || t.bits !== h.bits) {
    throw new HalideError(
      `HL_JIT_TARGET must match the host OS, architecture, and bit width.\nHL_JIT_TARGET was ${s}. Host is ${h}.`,
    );
  }
  if (t.hasFeature(F.NoBoundsQuery)) {
    throw new HalideError(
      `The Halide JIT requires the use of bounds query, but HL_JIT_TARGET was specified with no_bounds_query: ${s}`,
    );
  }
  return t;
}

/**
 * The features of `t` (with the ones they imply) that select instructions, e.g. `["avx", "avx2", "f16c", "fma",
 * "sse41"]` for `x86-64-linux-avx2-no_asserts`.
 *
 * @example
 * ```ts
 * isaFeaturesOf(new hl.Target("x86-64-linux-avx2")); // ["avx", "avx2", "f16c", "fma", "sse41"]
 * ```
 */
export function isaFeaturesOf(t: Target): TargetFeature[] {
  const implied = t.withImpliedFeatures();
  return isaFeatures.filter((f) => implied.hasFeature(f)).sort();
}

setTargetEnvironment({ host: getHostTarget, jit: getJitTargetFromEnvironment, isaFeatures: isaFeaturesOf });
