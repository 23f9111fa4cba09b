/**
 * Ahead-of-time compilation with Halide's C ABI (`entry_points.ts`): object files, native assembly, LLVM IR and
 * bitcode of a pipeline, the C header declaring it, static libraries, and the native runtime on its own. Each
 * object or library carries one copy of the runtime (thread pool, `halide_error`, `halide_print`) unless the
 * target has the `no_runtime` feature; several pipelines compiled into one library share one copy. Nothing of
 * the output depends on LLVM at run time: it needs libc, libm and pthreads.
 *
 * @module
 */
import { writeFileSync } from "node:fs";
import { HalideError } from "../error.ts";
import type { Type } from "../ir/type.ts";
import type { LoweredPipeline, PipelineArg } from "../lower/lower.ts";
import { type Target, TargetFeature } from "../lang/target.ts";
import { archive, type ArchiveMember } from "./aot_archive.ts";
import { emitPipelineModule, ErrorCode } from "./codegen.ts";
import { cAbi, libraryArgs } from "./entry_points.ts";
import { checkCodegenTarget } from "./jit.ts";
import { emitModuleOutputs, functionAttributes, type ModuleOutput, type ModuleOutputs, parseRuntimeModule } from "./llvm_target.ts";

/**
 * The files ahead-of-time compilation writes, by Halide's `OutputFileType` names, plus `ts` (a TypeScript module
 * and the shared library it loads).
 */
export type OutputKind =
  | "object"
  | "assembly"
  | "llvm_assembly"
  | "bitcode"
  | "c_header"
  | "static_library"
  | "stmt"
  | "stmt_html"
  | "ts";

/**
 * Every {@link OutputKind}.
 *
 * @example
 * ```ts
 * outputKinds.includes("static_library"); // true
 * ```
 */
export const outputKinds: readonly OutputKind[] = [
  "object", "assembly", "llvm_assembly", "bitcode", "c_header", "static_library", "stmt", "stmt_html", "ts",
];

const moduleOutputs: readonly ModuleOutput[] = ["object", "assembly", "llvm_assembly", "bitcode"];

/**
 * Checks that `target` is one ahead-of-time code can be generated for: a supported code generation target
 * running Linux (the native runtime uses glibc's pthreads and `sysconf`).
 *
 * @example
 * ```ts
 * checkAotTarget(new Target("arm-64-osx")); // HalideError
 * ```
 */
export function checkAotTarget(target: Target): void {
  checkCodegenTarget(target);
  if (target.os !== "linux") {
    throw new HalideError(
      `halide-ts cannot compile ahead of time for target ${target}: its native runtime supports Linux only.`,
    );
  }
  if (target.hasFeature(TargetFeature.UserContext)) {
    throw new HalideError(`halide-ts does not support the user_context target feature (target ${target}).`);
  }
}

/**
 * Checks that `name` can name a compiled pipeline: a C identifier that is not reserved for the runtime.
 *
 * @example
 * ```ts
 * checkFunctionName("brighten"); // fine
 * checkFunctionName("f$2");      // HalideError
 * ```
 */
export function checkFunctionName(name: string): void {
  if (!/^[A-Za-z_][A-Za-z0-9_]*$/.test(name)) {
    throw new HalideError(`Function name "${name}" is not a valid C identifier.`);
  }
  if (name.startsWith("halide_")) {
    throw new HalideError(`Function name "${name}" is reserved: names starting with halide_ belong to the runtime.`);
  }
}

/**
 * Compiles `lp` with Halide's C ABI for `target` into the requested module outputs, with the native runtime
 * linked in when `withRuntime`.
 *
 * @example
 * ```ts
 * const { object, symbols } = compileLibraryModule(lp, target, ["object"], true);
 * ```
 */
export function compileLibraryModule(
  lp: LoweredPipeline,
  target: Target,
  outputs: readonly ModuleOutput[],
  withRuntime: boolean,
): ModuleOutputs {
  checkAotTarget(target);
  checkFunctionName(lp.name);
  return emitModuleOutputs(lp.name, (ctx, lt) => {
    const attrs = functionAttributes(lt);
    return emitPipelineModule(lp, ctx, attrs, cAbi(lp, attrs, target.toString()));
  }, target, outputs, withRuntime);
}

/**
 * The native runtime alone, compiled for `target` (for libraries of pipelines compiled without one).
 *
 * @example
 * ```ts
 * const { object } = compileRuntimeModule(target, ["object"]);
 * ```
 */
export function compileRuntimeModule(target: Target, outputs: readonly ModuleOutput[]): ModuleOutputs {
  checkAotTarget(target);
  return emitModuleOutputs("halide_runtime", (ctx) => parseRuntimeModule(ctx), target, outputs);
}

/**
 * Writes `data` to `path` (whose directory must exist); a failure is a HalideError naming the path.
 *
 * @example
 * ```ts
 * writeOutputFile("out/f.h", header);
 * ```
 */
export function writeOutputFile(path: string, data: string | Uint8Array): void {
  try {
    writeFileSync(path, data);
  } catch (e) {
    throw new HalideError(`Could not write ${path}: ${(e as Error).message}`);
  }
}

/**
 * Writes the library outputs of `lp` compiled for `target` (`object`, `assembly`, `llvm_assembly`, `bitcode`,
 * `c_header`, `static_library`) to the paths given; the module is compiled once for all of them. The object and
 * the library include the runtime unless the target has `no_runtime`.
 *
 * @example
 * ```ts
 * writeLibraryOutputs(lp, target, { static_library: "out/f.a", c_header: "out/f.h" });
 * ```
 */
export function writeLibraryOutputs(lp: LoweredPipeline, target: Target, paths: Partial<Record<OutputKind, string>>): void {
  const withRuntime = !target.hasFeature(TargetFeature.NoRuntime);
  writeCompiledOutputs((kinds) => compileLibraryModule(lp, target, kinds, withRuntime), lp.name, paths);
  if (paths.c_header) writeOutputFile(paths.c_header, cHeader([lp], target));
}

/**
 * Writes the native runtime alone, compiled for `target`, as the outputs given (`object`, `static_library`,
 * `c_header`, `assembly`, `llvm_assembly`, `bitcode`): for libraries of pipelines compiled with `no_runtime`.
 *
 * @example
 * ```ts
 * writeRuntimeOutputs(target, { object: "out/halide_runtime.o", c_header: "out/halide_runtime.h" });
 * ```
 */
export function writeRuntimeOutputs(target: Target, paths: Partial<Record<OutputKind, string>>): void {
  writeCompiledOutputs((kinds) => compileRuntimeModule(target, kinds), "halide_runtime", paths);
  if (paths.c_header) writeOutputFile(paths.c_header, cHeader([], target));
}

/** Writes the module outputs of `paths`, compiled once by `compile`; a static library holds the object as `name.o`. */
function writeCompiledOutputs(
  compile: (kinds: readonly ModuleOutput[]) => ModuleOutputs,
  name: string,
  paths: Partial<Record<OutputKind, string>>,
): void {
  const wanted = moduleOutputs.filter((k) => paths[k] !== undefined || (k === "object" && paths.static_library));
  if (wanted.length === 0) return;
  const compiled = compile(wanted);
  for (const k of wanted) if (paths[k] !== undefined) writeOutputFile(paths[k]!, compiled[k]!);
  if (paths.static_library) {
    writeOutputFile(paths.static_library, archive([{ name: `${name}.o`, data: compiled.object!, symbols: compiled.symbols }]));
  }
}

/**
 * Writes one static library holding every pipeline of `lps` and (unless the target has `no_runtime`) one copy of
 * the native runtime.
 *
 * @example
 * ```ts
 * writeCombinedLibrary([brighten, blur], target, "out/filters.a");
 * ```
 */
export function writeCombinedLibrary(lps: readonly LoweredPipeline[], target: Target, path: string): void {
  const members: ArchiveMember[] = lps.map((lp) => {
    const { object, symbols } = compileLibraryModule(lp, target, ["object"], false);
    return { name: `${lp.name}.o`, data: object!, symbols };
  });
  if (!target.hasFeature(TargetFeature.NoRuntime)) {
    const { object, symbols } = compileRuntimeModule(target, ["object"]);
    members.push({ name: "halide_runtime.o", data: object!, symbols });
  }
  writeOutputFile(path, archive(members));
}

// ------------------------------------------------------------------------------------------------ C header

/** The C type of a scalar argument in the header (float16 travels as its bits). */
function cTypeName(t: Type): string {
  if (t.isBool()) return "bool";
  if (t.isFloat()) return t.bits === 16 ? "uint16_t" : t.bits === 32 ? "float" : "double";
  return `${t.isUInt() ? "uint" : "int"}${t.bits}_t`;
}

/** The C parameter of an argument, named as Halide's headers do (`_name`, `_name_buffer`). */
function cParameter(a: PipelineArg): string {
  const name = a.name.replace(/\$\d+$/, "").replace(/[^A-Za-z0-9_]/g, "_");
  return a.kind === "buffer" ? `struct halide_buffer_t *_${name}_buffer` : `${cTypeName(a.type)} _${name}`;
}

/** `requirementFailed` → `requirement_failed`. */
function snakeCase(s: string): string {
  return s.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`);
}

/** The runtime's types and functions, as Halide's `HalideRuntime.h` declares them (skipped if that is included). */
const runtimeDeclarations = `#if !defined(HALIDE_HALIDERUNTIME_H) && !defined(HALIDE_TS_RUNTIME_DECLARATIONS)
#define HALIDE_TS_RUNTIME_DECLARATIONS

#ifdef __cplusplus
extern "C" {
#endif

/* Halide's C ABI (the layout of HalideRuntime.h). */
typedef enum halide_type_code_t {
    halide_type_int = 0,
    halide_type_uint = 1,
    halide_type_float = 2,
    halide_type_handle = 3,
    halide_type_bfloat = 4
} halide_type_code_t;

typedef struct halide_type_t {
    uint8_t code; /* a halide_type_code_t */
    uint8_t bits;
    uint16_t lanes;
} halide_type_t;

typedef struct halide_dimension_t {
    int32_t min, extent, stride;
    uint32_t flags;
} halide_dimension_t;

struct halide_device_interface_t;

typedef struct halide_buffer_t {
    uint64_t device;
    const struct halide_device_interface_t *device_interface;
    uint8_t *host; /* NULL makes a call a bounds query: the pipeline fills in the shape it needs */
    uint64_t flags;
    struct halide_type_t type;
    int32_t dimensions;
    struct halide_dimension_t *dim;
    void *padding;
} halide_buffer_t;

typedef enum halide_argument_kind_t {
    halide_argument_kind_input_scalar = 0,
    halide_argument_kind_input_buffer = 1,
    halide_argument_kind_output_buffer = 2
} halide_argument_kind_t;

struct halide_scalar_value_t;

typedef struct halide_filter_argument_t {
    const char *name;
    int32_t kind; /* a halide_argument_kind_t */
    int32_t dimensions;
    struct halide_type_t type;
    const struct halide_scalar_value_t *scalar_def, *scalar_min, *scalar_max, *scalar_estimate;
    const int64_t *const *buffer_estimates;
} halide_filter_argument_t;

typedef struct halide_filter_metadata_t {
    int32_t version; /* 1 */
    int32_t num_arguments;
    const struct halide_filter_argument_t *arguments;
    const char *target;
    const char *name;
} halide_filter_metadata_t;

/* The error codes the generated code returns (halide_error_code_t). */
enum halide_error_code_t {
    halide_error_code_success = 0,
${Object.entries(ErrorCode).map(([k, v]) => `    halide_error_code_${snakeCase(k)} = ${v}`).join(",\n")}
};

/* The runtime. Failures call halide_error (by default: "Error: <message>" on standard error through
   halide_print); both handlers can be replaced. */
typedef void (*halide_error_handler_t)(void *user_context, const char *message);
typedef void (*halide_print_t)(void *user_context, const char *text);
void halide_error(void *user_context, const char *message);
halide_error_handler_t halide_set_error_handler(halide_error_handler_t handler);
void halide_print(void *user_context, const char *text);
halide_print_t halide_set_custom_print(halide_print_t print);

/* The thread pool of parallel loops: HL_NUM_THREADS threads, else one per core. */
typedef int (*halide_task_t)(void *user_context, int task_number, uint8_t *closure);
int halide_do_par_for(void *user_context, halide_task_t task, int min, int size, uint8_t *closure);
int halide_set_num_threads(int n);
void halide_shutdown_thread_pool(void);

#ifdef __cplusplus
}
#endif

#endif
`;

/**
 * The C header declaring the pipelines `lps` compiled for `target`: for each, `int name(args...)`,
 * `int name_argv(void **args)` and `name_metadata()`, after the runtime's types and functions (which a header
 * of Halide's own, included first, replaces). With no pipelines, the runtime's header.
 *
 * @example
 * ```ts
 * writeFileSync("brighten.h", cHeader([lp], target));
 * ```
 */
export function cHeader(lps: readonly LoweredPipeline[], target: Target): string {
  lps.forEach((lp) => checkFunctionName(lp.name));
  const guard = `HALIDE_TS_${lps.map((lp) => lp.name.toUpperCase()).join("_") || "RUNTIME"}_H`;
  const declarations = lps.map((lp) =>
    [
      `int ${lp.name}(${libraryArgs(lp).map(cParameter).join(", ") || "void"});`,
      `int ${lp.name}_argv(void **args);`,
      `const struct halide_filter_metadata_t *${lp.name}_metadata(void);`,
    ].join("\n")
  );
  return `/* Generated by halide-ts for target ${target}. */
#ifndef ${guard}
#define ${guard}

#include <stdbool.h>
#include <stdint.h>

${runtimeDeclarations}
#ifdef __cplusplus
extern "C" {
#endif

${declarations.join("\n\n")}

#ifdef __cplusplus
}
#endif

#endif
`;
}
