/**
 * libLLVM: discovery, version probing and the typed table of LLVM-C functions halide-ts uses.
 *
 * Discovery order: the `HALIDE_LLVM_LIB` environment variable (a path), else the newest LLVM from 22 down to 15
 * found in the usual system locations. Nothing here knows about Halide; `src/codegen` builds on it.
 *
 * @module
 */
import { existsSync } from "node:fs";
import process from "node:process";
import { HalideError } from "../src/error.ts";
import { native, type Sig, type Symbols } from "./native.ts";

const P = "ptr", S = "str", A = "ptrs", B = "buf";
type K = Sig["args"][number];
type R = Sig["returns"];
const sig = <const Args extends readonly K[], Ret extends R>(args: Args, returns: Ret) => ({ args, returns });
const v = <const Args extends readonly K[]>(...args: Args) => sig(args, "void");
const p = <const Args extends readonly K[]>(...args: Args) => sig(args, P);
const i = <const Args extends readonly K[]>(...args: Args) => sig(args, "i32");
const u = <const Args extends readonly K[]>(...args: Args) => sig(args, "u32");
const opt = <T extends Sig>(s: T): T & { optional: true } => ({ ...s, optional: true });

/** Binary instruction builders: `(builder, lhs, rhs, name) → value`. */
const binaryBuilders = [
  "Add", "NSWAdd", "NUWAdd", "Sub", "NSWSub", "Mul", "NSWMul", "SDiv", "UDiv", "SRem", "URem",
  "FAdd", "FSub", "FMul", "FDiv", "FRem", "And", "Or", "Xor", "Shl", "LShr", "AShr",
] as const;
/** Cast builders: `(builder, value, destType, name) → value`. */
const castBuilders = [
  "SExt", "ZExt", "Trunc", "SIToFP", "UIToFP", "FPToSI", "FPToUI", "FPExt", "FPTrunc", "BitCast", "IntToPtr",
  "PtrToInt",
] as const;
/** Type getters: `(context) → type`. */
const typeGetters = [
  "Int1TypeInContext", "Int8TypeInContext", "Int16TypeInContext", "Int32TypeInContext", "Int64TypeInContext",
  "HalfTypeInContext", "BFloatTypeInContext", "FloatTypeInContext", "DoubleTypeInContext", "VoidTypeInContext",
] as const;
/** The per-target initializers (exported functions; the `LLVMInitializeNative*` ones are header-only). */
const targetInits = ["TargetInfo", "Target", "TargetMC", "AsmPrinter", "AsmParser"] as const;

function table<const N extends string, const Pre extends string, T extends Sig>(
  prefix: Pre,
  names: readonly N[],
  s: T,
): Record<`LLVM${Pre}${N}`, T> {
  return Object.fromEntries(names.map((n) => [`LLVM${prefix}${n}`, s])) as Record<`LLVM${Pre}${N}`, T>;
}

const symbolTable = {
  // Context, module, builder, functions, globals, blocks.
  LLVMContextCreate: p(),
  LLVMContextDispose: v(P),
  LLVMModuleCreateWithNameInContext: p(S, P),
  LLVMDisposeModule: v(P),
  LLVMCloneModule: p(P),
  LLVMSetTarget: v(P, S),
  LLVMSetDataLayout: v(P, S),
  LLVMPrintModuleToString: p(P),
  LLVMPrintValueToString: p(P),
  LLVMDisposeMessage: v(P),
  LLVMCreateBuilderInContext: p(P),
  LLVMDisposeBuilder: v(P),
  LLVMPositionBuilderAtEnd: v(P, P),
  LLVMGetInsertBlock: p(P),
  LLVMGetBasicBlockParent: p(P),
  LLVMGetBasicBlockTerminator: p(P),
  LLVMGetNextBasicBlock: p(P),
  LLVMAppendBasicBlockInContext: p(P, P, S),
  LLVMAddFunction: p(P, S, P),
  LLVMGetNamedFunction: p(P, S),
  LLVMGetParam: p(P, "u32"),
  LLVMSetLinkage: v(P, "i32"),
  LLVMSetVisibility: v(P, "i32"),
  LLVMAddGlobal: p(P, P, S),
  LLVMGetNamedGlobal: p(P, S),
  LLVMSetInitializer: v(P, P),
  LLVMSetGlobalConstant: v(P, "i32"),
  LLVMSetUnnamedAddress: v(P, "i32"),
  LLVMSetValueName2: v(P, S, "u64"),
  LLVMGetValueName2: p(P, B),
  LLVMGetFirstFunction: p(P),
  LLVMGetNextFunction: p(P),
  LLVMGetFirstGlobal: p(P),
  LLVMGetNextGlobal: p(P),
  LLVMIsDeclaration: i(P),
  LLVMGetLinkage: i(P),
  LLVMTypeOf: p(P),
  LLVMGlobalGetValueType: p(P),
  // Types.
  ...table("", typeGetters, p(P)),
  LLVMIntTypeInContext: p(P, "u32"),
  LLVMPointerTypeInContext: opt(p(P, "u32")),
  LLVMVectorType: p(P, "u32"),
  LLVMFunctionType: p(P, A, "u32", "i32"),
  LLVMStructTypeInContext: p(P, A, "u32", "i32"),
  LLVMArrayType: p(P, "u32"),
  LLVMGetTypeKind: i(P),
  LLVMGetIntTypeWidth: u(P),
  LLVMGetVectorSize: u(P),
  // Constants.
  LLVMConstInt: p(P, "u64", "i32"),
  LLVMConstIntOfArbitraryPrecision: p(P, "u32", B),
  LLVMConstReal: p(P, "f64"),
  LLVMConstNull: p(P),
  LLVMConstAllOnes: p(P),
  LLVMConstPointerNull: p(P),
  LLVMGetUndef: p(P),
  LLVMGetPoison: p(P),
  LLVMConstVector: p(A, "u32"),
  LLVMConstStringInContext: p(P, B, "u32", "i32"),
  LLVMConstStructInContext: p(P, A, "u32", "i32"),
  LLVMConstArray: p(P, A, "u32"),
  // Instructions.
  ...table("Build", binaryBuilders, p(P, P, P, S)),
  ...table("Build", castBuilders, p(P, P, P, S)),
  LLVMBuildNeg: p(P, P, S),
  LLVMBuildFNeg: p(P, P, S),
  LLVMBuildNot: p(P, P, S),
  LLVMBuildICmp: p(P, "i32", P, P, S),
  LLVMBuildFCmp: p(P, "i32", P, P, S),
  LLVMBuildSelect: p(P, P, P, P, S),
  LLVMBuildLoad2: p(P, P, P, S),
  LLVMBuildStore: p(P, P, P),
  LLVMBuildGEP2: p(P, P, P, A, "u32", S),
  LLVMBuildInBoundsGEP2: p(P, P, P, A, "u32", S),
  LLVMBuildStructGEP2: p(P, P, P, "u32", S),
  LLVMBuildCall2: p(P, P, P, A, "u32", S),
  LLVMBuildAlloca: p(P, P, S),
  LLVMBuildArrayAlloca: p(P, P, P, S),
  LLVMBuildPhi: p(P, P, S),
  LLVMAddIncoming: v(P, A, A, "u32"),
  LLVMBuildBr: p(P, P),
  LLVMBuildCondBr: p(P, P, P, P),
  LLVMBuildRet: p(P, P),
  LLVMBuildRetVoid: p(P),
  LLVMBuildUnreachable: p(P),
  LLVMBuildFreeze: p(P, P, S),
  LLVMBuildShuffleVector: p(P, P, P, P, S),
  LLVMBuildInsertElement: p(P, P, P, P, S),
  LLVMBuildExtractElement: p(P, P, P, S),
  LLVMBuildExtractValue: p(P, P, "u32", S),
  LLVMBuildAtomicRMW: p(P, "i32", P, P, "i32", "i32"),
  LLVMBuildAtomicCmpXchg: p(P, P, P, P, "i32", "i32", "i32"),
  LLVMBuildFence: p(P, "i32", "i32", S),
  LLVMBuildMemSet: p(P, P, P, P, "u32"),
  LLVMBuildMemCpy: p(P, P, "u32", P, "u32", P),
  LLVMSetAlignment: v(P, "u32"),
  LLVMSetVolatile: v(P, "i32"),
  LLVMSetTailCall: v(P, "i32"),
  // Attributes, intrinsics, metadata.
  LLVMGetEnumAttributeKindForName: u(B, "u64"),
  LLVMCreateEnumAttribute: p(P, "u32", "u64"),
  LLVMCreateStringAttribute: p(P, B, "u32", B, "u32"),
  LLVMAddAttributeAtIndex: v(P, "i32", P),
  LLVMAddCallSiteAttribute: v(P, "i32", P),
  LLVMLookupIntrinsicID: u(B, "u64"),
  LLVMGetIntrinsicDeclaration: p(P, "u32", A, "u64"),
  LLVMIntrinsicGetType: p(P, "u32", A, "u64"),
  LLVMMDStringInContext2: p(P, B, "u64"),
  LLVMMDNodeInContext2: p(P, A, "u64"),
  LLVMValueAsMetadata: p(P),
  LLVMMetadataAsValue: p(P, P),
  LLVMTemporaryMDNode: p(P, A, "u64"),
  LLVMMetadataReplaceAllUsesWith: v(P, P),
  LLVMGetMDKindIDInContext: u(P, B, "u32"),
  LLVMSetMetadata: v(P, "u32", P),
  // Verification, errors, memory buffers, bitcode.
  LLVMVerifyModule: i(P, "i32", B),
  LLVMGetErrorMessage: p(P),
  LLVMDisposeErrorMessage: v(P),
  LLVMGetBufferStart: p(P),
  LLVMGetBufferSize: sig([P] as const, "u64"),
  LLVMDisposeMemoryBuffer: v(P),
  LLVMWriteBitcodeToMemoryBuffer: p(P),
  LLVMCreateMemoryBufferWithMemoryRangeCopy: p(B, "u64", S),
  LLVMLoadLibraryPermanently: i(S),
  LLVMParseIRInContext: i(P, P, B, B),
  LLVMLinkModules2: i(P, P),
  LLVMGetVersion: opt(v(B, B, B)),
  // Targets.
  ...table("InitializeX86", targetInits, opt(v())),
  ...table("InitializeAArch64", targetInits, opt(v())),
  LLVMGetDefaultTargetTriple: p(),
  LLVMGetHostCPUName: p(),
  LLVMGetHostCPUFeatures: p(),
  LLVMNormalizeTargetTriple: p(S),
  LLVMGetTargetFromTriple: i(S, B, B),
  LLVMCreateTargetMachine: p(P, S, S, S, "i32", "i32", "i32"),
  LLVMDisposeTargetMachine: v(P),
  LLVMCreateTargetDataLayout: p(P),
  LLVMCopyStringRepOfTargetData: p(P),
  LLVMDisposeTargetData: v(P),
  LLVMTargetMachineEmitToMemoryBuffer: i(P, P, "i32", B, B),
  // New pass manager.
  LLVMRunPasses: p(P, S, P, P),
  LLVMCreatePassBuilderOptions: p(),
  LLVMDisposePassBuilderOptions: v(P),
  LLVMPassBuilderOptionsSetLoopVectorization: v(P, "i32"),
  LLVMPassBuilderOptionsSetSLPVectorization: v(P, "i32"),
  LLVMPassBuilderOptionsSetLoopUnrolling: v(P, "i32"),
  LLVMPassBuilderOptionsSetLoopInterleaving: v(P, "i32"),
  // ORC LLJIT.
  LLVMOrcCreateLLJITBuilder: p(),
  LLVMOrcLLJITBuilderSetJITTargetMachineBuilder: v(P, P),
  LLVMOrcCreateLLJIT: p(B, P),
  LLVMOrcDisposeLLJIT: p(P),
  LLVMOrcLLJITGetMainJITDylib: p(P),
  LLVMOrcLLJITGetGlobalPrefix: sig([P] as const, "i8"),
  LLVMOrcLLJITAddLLVMIRModuleWithRT: p(P, P, P),
  LLVMOrcLLJITLookup: p(P, B, S),
  LLVMOrcCreateNewThreadSafeContext: opt(p()),
  LLVMOrcThreadSafeContextGetContext: opt(p(P)),
  LLVMOrcCreateNewThreadSafeContextFromLLVMContext: opt(p(P)),
  LLVMOrcDisposeThreadSafeContext: v(P),
  LLVMOrcCreateNewThreadSafeModule: p(P, P),
  LLVMOrcCreateDynamicLibrarySearchGeneratorForProcess: p(B, "i8", P, P),
  LLVMOrcJITDylibAddGenerator: v(P, P),
  LLVMOrcJITTargetMachineBuilderCreateFromTargetMachine: p(P),
  LLVMOrcJITDylibCreateResourceTracker: p(P),
  LLVMOrcResourceTrackerRemove: p(P),
  LLVMOrcReleaseResourceTracker: v(P),
} as const satisfies Record<string, Sig>;

/** The typed LLVM-C functions. */
export type LLVMSymbols = Symbols<typeof symbolTable>;

/** A loaded libLLVM. */
export interface LLVMLibrary {
  /** The LLVM-C functions, typed. */
  readonly fn: LLVMSymbols;
  /** The file that was loaded. */
  readonly path: string;
  /** The major version (15–22). */
  readonly major: number;
  /** `"15.0.6"`-style version, as precise as the library tells. */
  readonly version: string;
}

const supported = [22, 21, 20, 19, 18, 17, 16, 15];
const libDirs = ["/usr/lib/x86_64-linux-gnu", "/usr/lib/aarch64-linux-gnu", "/usr/lib64", "/usr/lib", "/usr/local/lib"];

/**
 * The candidate library paths, newest LLVM first.
 *
 * @example
 * ```ts
 * candidatePaths()[0]; // "/usr/lib/x86_64-linux-gnu/libLLVM.so.22.1"
 * ```
 */
export function candidatePaths(): string[] {
  const out: string[] = [];
  for (const n of supported) {
    for (const dir of [...libDirs, `/usr/lib/llvm-${n}/lib`]) {
      out.push(`${dir}/libLLVM.so.${n}.1`, `${dir}/libLLVM-${n}.so.1`, `${dir}/libLLVM-${n}.so`);
    }
    out.push(`/usr/lib/llvm-${n}/lib/libLLVM.so`);
    for (const brew of ["/opt/homebrew/opt", "/usr/local/opt"]) out.push(`${brew}/llvm@${n}/lib/libLLVM.dylib`);
  }
  return out;
}

function majorFromPath(path: string): number | undefined {
  const m = /LLVM[-.@]?(\d+)|llvm-(\d+)|llvm@(\d+)/.exec(path);
  return m ? Number(m[1] ?? m[2] ?? m[3]) : undefined;
}

function probeVersion(fn: LLVMSymbols, path: string): { major: number; version: string } {
  if (fn.LLVMGetVersion) {
    const parts = [0, 1, 2].map(() => new Uint32Array(new ArrayBuffer(4)));
    fn.LLVMGetVersion(parts[0], parts[1], parts[2]);
    return { major: parts[0][0], version: parts.map((x) => x[0]).join(".") };
  }
  // LLVMGetVersion appeared in 16; LLVMPointerTypeInContext in 15.
  if (!fn.LLVMPointerTypeInContext) return { major: 14, version: "14 or older" };
  return { major: 15, version: `${majorFromPath(path) ?? 15}` };
}

function openAt(path: string): LLVMLibrary {
  const fn = native.open(path, symbolTable);
  const { major, version } = probeVersion(fn, path);
  if (major < 15) {
    throw new HalideError(`${path} is LLVM ${version}; halide-ts needs LLVM 15 or newer (apt-get install libllvm19).`);
  }
  return { fn, path, major, version };
}

let loaded: LLVMLibrary | undefined;

/**
 * Finds and opens libLLVM: `envPath` (the value of `HALIDE_LLVM_LIB`) if given, else the first of `candidates`
 * that exists and loads. Throws a HalideError listing every path tried, with how to install one, if none does.
 *
 * @example
 * ```ts
 * const lib = findLLVM(process.env.HALIDE_LLVM_LIB, candidatePaths());
 * ```
 */
export function findLLVM(envPath: string | undefined, candidates: readonly string[]): LLVMLibrary {
  if (envPath) {
    if (!existsSync(envPath)) {
      throw new HalideError(`HALIDE_LLVM_LIB is set to ${envPath}, which does not exist.`);
    }
    return openAt(envPath);
  }
  const tried: string[] = [];
  for (const path of candidates) {
    if (!existsSync(path)) {
      tried.push(path);
      continue;
    }
    try {
      return openAt(path);
    } catch (e) {
      tried.push(`${path} (${(e as Error).message})`);
    }
  }
  throw new HalideError(
    `No usable libLLVM (version 15 to 22) was found. HALIDE_LLVM_LIB is not set; tried:\n  ${tried.join("\n  ")}\n` +
      `Install one, e.g. \`apt-get install libllvm19\` (Debian/Ubuntu) or \`brew install llvm\` (macOS), ` +
      `or set HALIDE_LLVM_LIB to the path of a libLLVM shared library.`,
  );
}

/**
 * Loads libLLVM once per process (see {@link findLLVM}): `HALIDE_LLVM_LIB` if set, else the newest supported
 * LLVM installed.
 *
 * @example
 * ```ts
 * const llvm = loadLLVM();
 * console.log(llvm.version, llvm.path);
 * ```
 */
export function loadLLVM(): LLVMLibrary {
  return (loaded ??= findLLVM(process.env.HALIDE_LLVM_LIB, candidatePaths()));
}
