/**
 * The `ts` output of ahead-of-time compilation: a shared library holding compiled pipelines (with the JavaScript
 * entry point of `entry_points.ts`, their Buffers embedded) and one copy of the native runtime, linked by the
 * system's C compiler, plus a TypeScript module per pipeline that loads the library through the FFI of Bun or
 * Deno (`src/runtime/aot_library.ts`) and exports the pipeline as a typed function. Programs using the module
 * need neither LLVM nor the compiler.
 *
 * @module
 */
import { spawnSync } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { basename, dirname, join, relative } from "node:path";
import process from "node:process";
import { fileURLToPath } from "node:url";
import { HalideError } from "../error.ts";
import type { Type } from "../ir/type.ts";
import type { LoweredPipeline, PipelineArg } from "../lower/lower.ts";
import type { Target } from "../lang/target.ts";
import { checkAotTarget, checkFunctionName, compileRuntimeModule, writeOutputFile } from "./aot.ts";
import { emitPipelineModule } from "./codegen.ts";
import { jsAbi, libraryArgs } from "./entry_points.ts";
import { emitModuleOutputs, functionAttributes } from "./llvm_target.ts";

/** A pipeline of a `ts` binding and the path of its TypeScript module. */
export interface TsBindingModule {
  readonly lp: LoweredPipeline;
  readonly modulePath: string;
}

/**
 * The shared library that the module at `modulePath` loads by default: the same path with `.so`.
 *
 * @example
 * ```ts
 * sharedLibraryPathFor("out/brighten.ts"); // "out/brighten.so"
 * ```
 */
export function sharedLibraryPathFor(modulePath: string): string {
  return `${modulePath.replace(/\.[cm]?[tj]s$/, "")}.so`;
}

/**
 * The specifier generated modules import the run-time part of halide-ts from by default: the `runtime.ts` of this
 * installation, relative to `moduleDir` when halide-ts is on the local file system.
 */
function defaultRuntimeImport(moduleDir: string): string {
  const url = new URL("../../runtime.ts", import.meta.url);
  if (url.protocol !== "file:") return url.href;
  const rel = relative(moduleDir, fileURLToPath(url)).replaceAll("\\", "/");
  return rel.startsWith(".") ? rel : `./${rel}`;
}

/**
 * Compiles every pipeline of `modules` for `target`, links them with one runtime into the shared library
 * `libraryPath` (with `CC`, else `cc`), and writes each TypeScript module, which imports the run-time part of
 * halide-ts from `runtimeImport` (default: this installation's `runtime.ts`).
 *
 * @example
 * ```ts
 * writeTsBinding([{ lp, modulePath: "out/brighten.ts" }], target, "out/brighten.so");
 * ```
 */
export function writeTsBinding(
  modules: readonly TsBindingModule[],
  target: Target,
  libraryPath: string,
  runtimeImport?: string,
): void {
  checkAotTarget(target);
  modules.forEach(({ lp }) => checkFunctionName(lp.name));
  const objects = modules.map(({ lp }) =>
    emitModuleOutputs(lp.name, (ctx, lt) => {
      const attrs = functionAttributes(lt);
      return emitPipelineModule(lp, ctx, attrs, jsAbi(lp, attrs, true));
    }, target, ["object"]).object!
  );
  objects.push(compileRuntimeModule(target, ["object"]).object!);
  linkSharedLibrary(objects, libraryPath);
  for (const { lp, modulePath } of modules) {
    const dir = dirname(modulePath);
    const library = relative(dir, libraryPath).replaceAll("\\", "/");
    writeOutputFile(modulePath, tsModule(lp, target, library.startsWith(".") ? library : `./${library}`, runtimeImport ?? defaultRuntimeImport(dir)));
  }
}

/** Links object files into a shared library with the system C compiler. */
function linkSharedLibrary(objects: readonly Uint8Array[], libraryPath: string): void {
  const cc = process.env.CC || "cc";
  const work = mkdtempSync(join(tmpdir(), "halide-ts-link-"));
  try {
    const files = objects.map((data, i) => {
      const file = join(work, `part${i}.o`);
      writeFileSync(file, data);
      return file;
    });
    const args = ["-shared", "-o", libraryPath, ...files, "-Wl,-Bsymbolic", "-lpthread", "-lm"];
    const r = spawnSync(cc, args, { encoding: "utf8" });
    if (r.error) {
      throw new HalideError(
        `The ts output links a shared library with the system C compiler, but running ${cc} failed (${r.error.message}). ` +
          `Install gcc or clang, or set CC to a C compiler.`,
      );
    }
    if (r.status !== 0) throw new HalideError(`Linking ${basename(libraryPath)} with ${cc} failed:\n${r.stderr}`);
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}

const reservedWords = new Set(
  ("break case catch class const continue debugger default delete do else enum export extends false finally for " +
    "function if import in instanceof new null return super switch this throw true try typeof var void while with " +
    "yield let static implements interface package private protected public await arguments eval").split(" "),
);

/** A TypeScript parameter name for argument `name` (`$n` suffixes dropped, reserved words avoided). */
function parameterName(name: string): string {
  const base = name.replace(/\$\d+$/, "").replace(/[^A-Za-z0-9_$]/g, "_");
  return reservedWords.has(base) || /^\d/.test(base) ? `${base}_` : base;
}

/** The TypeScript type of a scalar argument. */
function scalarTsType(t: Type): string {
  if (t.isBool()) return "boolean";
  return t.bits === 64 && !t.isFloat() ? "number | bigint" : "number";
}

function describe(a: PipelineArg): string {
  return a.kind === "buffer"
    ? `${a.isOutput ? "output" : "input"} buffer of ${a.type}, ${a.dimensions} dimension${a.dimensions === 1 ? "" : "s"}`
    : `scalar ${a.type}`;
}

/** The text of the TypeScript module exporting pipeline `lp`, which loads the shared library `library`. */
function tsModule(lp: LoweredPipeline, target: Target, library: string, runtimeImport: string): string {
  if (reservedWords.has(lp.name)) {
    throw new HalideError(`The ts output cannot export a function named ${lp.name}: it is a reserved word in JavaScript.`);
  }
  const args = libraryArgs(lp);
  const params = args.map((a) => `${parameterName(a.name)}: ${a.kind === "buffer" ? "BufferArgument" : scalarTsType(a.type)}`);
  const specs = args.map((a) =>
    `  { name: ${JSON.stringify(a.name.replace(/\$\d+$/, ""))}, kind: "${a.kind}", type: "${a.type}", ` +
    `dimensions: ${a.kind === "buffer" ? a.dimensions : 0}, isOutput: ${a.kind === "buffer" && a.isOutput} },`
  );
  const docs = args.map((a) => ` * @param ${parameterName(a.name)} ${describe(a)}`);
  return `// Generated by halide-ts for target ${target}. It loads ${library} (compiled code: no LLVM needed at run time)
// through the FFI of Bun or Deno; run Deno with --allow-ffi --allow-read.
import { type BufferArgument, loadPipeline, type PipelineFunction } from ${JSON.stringify(runtimeImport)};

/**
 * The pipeline ${lp.name}: \`${lp.name}(${args.map((a) => parameterName(a.name)).join(", ")})\`, or with named arguments
 * \`${lp.name}.call([positional...], { name: value })\`. Buffers are \`hl.Buffer\`s (used as they are, mins kept) or
 * arrays (\`NdArrayLike\`s and typed arrays, axes reversed); a failure throws a HalideError.
${docs.join("\n")}
 */
export const ${lp.name} = loadPipeline(new URL(${JSON.stringify(library)}, import.meta.url), ${JSON.stringify(lp.name)}, [
${specs.join("\n")}
]) as PipelineFunction<[${params.join(", ")}]>;

export default ${lp.name};
`;
}
