#!/usr/bin/env bun
/**
 * The `halide-ts` command line. `info` reports the runtime, the libLLVM in use and the host target; `gen`
 * compiles generators ahead of time; `bench` runs the app suite (bench/harness.ts); `autoschedule` arrives with the
 * autoscheduler work.
 *
 * @example
 * ```sh
 * bunx halide-ts info
 * bunx halide-ts gen filters.ts -g brighten -o out -e static_library,header,ts target=host offset=2
 * ```
 *
 * @module
 */
import { existsSync, mkdirSync } from "node:fs";
import { join, resolve } from "node:path";
import process from "node:process";
import { pathToFileURL } from "node:url";
import { native } from "./ffi/native.ts";
import { type OutputKind, writeCombinedLibrary, writeRuntimeOutputs } from "./src/codegen/aot.ts";
import { writeTsBinding } from "./src/codegen/aot_ts.ts";
import { hostLLVMTarget, llvm } from "./src/codegen/llvm_target.ts";
import { HalideError } from "./src/error.ts";
import { createGenerator, registeredGenerators } from "./src/lang/generator.ts";
import type { Module } from "./src/lang/module.ts";
import { getHostTarget, getJitTargetFromEnvironment, getTargetFromEnvironment, Target } from "./src/lang/target.ts";

const usage = `Usage: halide-ts <command> [options]

Commands:
  info            print the JavaScript runtime, the libLLVM in use and the host target
  gen             compile generators ahead of time (halide-ts gen --help for its options)
  autoschedule    pick a schedule with the cost model (not available in this version)
  bench           run the app benchmark suite (halide-ts bench --help)

Options:
  -h, --help      show this help
  --version       print the halide-ts version

Environment:
  HALIDE_LLVM_LIB   path of the libLLVM shared library to use (default: the newest LLVM 22…15 installed)`;

const genUsage = `Usage: halide-ts gen <module.ts> -g <name> [-g <name> ...] -o <dir> [options] [target=<t>] [<param>=<value> ...]
       halide-ts gen -r <name> -o <dir> [-e <list>] [target=<t>]

Imports <module.ts>, which registers generators with hl.registerGenerator, builds each one named with -g, and
writes the outputs to <dir> (created if missing), each named after its generator. With -r, writes the native
runtime alone instead (for pipelines compiled with target feature no_runtime).

Options:
  -g, --generator <name>   a registered generator to compile (repeat for several; they share one runtime)
  -o, --output-dir <dir>   where the outputs go
  -e, --emit <list>        comma-separated outputs (default static_library,header):
                             static_library  <name>.a: the pipeline and the runtime (one library for all -g)
                             object          <name>.o: the pipeline and the runtime
                             header          <name>.h: the C declarations (also c_header)
                             assembly        <name>.s    llvm_assembly  <name>.ll    bitcode  <name>.bc
                             stmt            <name>.stmt  stmt_html     <name>.stmt.html
                             ts              <name>.ts: a TypeScript module loading <name>.so (one for all -g),
                                             linked with the system C compiler (CC, else cc)
  -f, --function-name <n>  the compiled function's name (one generator only; default: the generator's name)
  -n, --library-name <n>   the base name of the library several generators share (required with several -g)
  -r, --runtime-name <n>   write the runtime alone as <n>.o / <n>.a / <n>.h (outputs object, static_library,
                           header, assembly, llvm_assembly, bitcode)
  --runtime-import <spec>  what the ts output imports halide-ts's runtime from (default: this installation's
                           runtime.ts, by relative path)
  -h, --help               show this help

Arguments:
  target=<target>          the target, e.g. host, x86-64-linux-avx2, arm-64-linux (default: HL_TARGET, else host)
  <param>=<value>          a generator param, or <input>.type / <input>.dim of an untyped input or output
                           (given to every generator compiled)`;

/** The kinds `-e` accepts, with the file name suffix of each. */
const emitSuffixes: Readonly<Record<string, readonly [OutputKind, string]>> = {
  static_library: ["static_library", ".a"],
  object: ["object", ".o"],
  header: ["c_header", ".h"],
  c_header: ["c_header", ".h"],
  assembly: ["assembly", ".s"],
  llvm_assembly: ["llvm_assembly", ".ll"],
  bitcode: ["bitcode", ".bc"],
  stmt: ["stmt", ".stmt"],
  stmt_html: ["stmt_html", ".stmt.html"],
  ts: ["ts", ".ts"],
};

/** A `gen` command line, parsed. */
interface GenOptions {
  /** The module, absent when writing the runtime alone. */
  readonly module?: string;
  readonly generators: readonly string[];
  readonly outputDir: string;
  readonly emit: readonly OutputKind[];
  readonly functionName?: string;
  readonly libraryName?: string;
  readonly runtimeImport?: string;
  readonly runtimeName?: string;
  readonly target: Target;
  readonly params: Readonly<Record<string, string>>;
}

/** The options of `gen` that take a value, and the key each is stored under. */
const valueFlags: Readonly<Record<string, string>> = {
  "-o": "o", "--output-dir": "o", "-e": "e", "--emit": "e", "-f": "f", "--function-name": "f", "-n": "n",
  "--library-name": "n", "--runtime-import": "i", "-r": "r", "--runtime-name": "r",
};

/** A mistake on the command line (exit status 2, with the usage). */
class UsageError extends Error {}

function parseGenArgs(args: readonly string[]): GenOptions {
  const generators: string[] = [], positional: string[] = [], params: Record<string, string> = {};
  const flags = new Map<string, string>();
  const valueOf = (i: number, flag: string) => {
    if (i >= args.length) throw new UsageError(`${flag} needs a value.`);
    return args[i];
  };
  for (let i = 0; i < args.length; i++) {
    const a = args[i];
    if (a === "-g" || a === "--generator") generators.push(valueOf(++i, a));
    else if (a in valueFlags) {
      const key = valueFlags[a];
      if (flags.has(key)) throw new UsageError(`${a} is given twice.`);
      flags.set(key, valueOf(++i, a));
    } else if (a.startsWith("-")) throw new UsageError(`Unknown option ${a}.`);
    else if (a.includes("=")) {
      const [k, ...v] = a.split("=");
      if (k === "" || k in params) throw new UsageError(`Bad or repeated parameter ${a}.`);
      params[k] = v.join("=");
    } else positional.push(a);
  }
  const runtimeName = flags.get("r");
  if (runtimeName !== undefined) {
    if (positional.length > 0 || generators.length > 0) throw new UsageError("-r writes the runtime alone: give no module and no -g.");
  } else {
    if (positional.length !== 1) throw new UsageError(positional.length ? `Only one module can be given, not ${positional.join(", ")}.` : "No module given.");
    if (generators.length === 0) throw new UsageError("No generator given (-g <name>).");
  }
  if (new Set(generators).size !== generators.length) throw new UsageError("A generator is given twice with -g.");
  const outputDir = flags.get("o");
  if (!outputDir) throw new UsageError("No output directory given (-o <dir>).");
  const emit = (flags.get("e") ?? "static_library,header").split(",").map((k) => {
    const kind = emitSuffixes[k.trim()];
    if (!kind) throw new UsageError(`Unknown output '${k}' for -e; the outputs are ${Object.keys(emitSuffixes).join(", ")}.`);
    return kind[0];
  });
  if (flags.has("f") && generators.length > 1) throw new UsageError("-f names the function of one generator; with several, each is named after its generator.");
  const libraryName = flags.get("n");
  if (generators.length > 1 && !libraryName && emit.some((k) => k === "static_library" || k === "ts")) {
    throw new UsageError("With several generators, name the library they share with -n <name>.");
  }
  const { target: targetString, ...generatorParams } = params;
  return {
    module: positional[0],
    generators,
    outputDir,
    emit: [...new Set(emit)],
    functionName: flags.get("f"),
    libraryName,
    runtimeImport: flags.get("i"),
    runtimeName,
    target: targetString === undefined ? getTargetFromEnvironment() : new Target(targetString),
    params: generatorParams,
  };
}

function fileSuffix(kind: OutputKind): string {
  return Object.values(emitSuffixes).find(([k]) => k === kind)![1];
}

/**
 * `halide-ts gen`: imports the module, builds the generators and writes the outputs (see `--help`).
 *
 * @example
 * ```ts
 * await gen(["filters.ts", "-g", "brighten", "-o", "out", "-e", "static_library,header"]);
 * ```
 */
export async function gen(args: readonly string[]): Promise<void> {
  const o = parseGenArgs(args);
  if (o.runtimeName !== undefined) return genRuntime(o, o.runtimeName);
  const path = resolve(o.module!);
  if (!existsSync(path)) throw new HalideError(`The module ${o.module} does not exist.`);
  await import(pathToFileURL(path).href);
  const known = registeredGenerators();
  for (const name of o.generators) {
    if (!known.includes(name)) {
      throw new HalideError(
        `${o.module} registered no generator named '${name}' (registered: ${known.join(", ") || "none"}; register one with ` +
          `hl.registerGenerator, imported from the same halide-ts as this command).`,
      );
    }
  }
  const modules: Module[] = o.generators.map((name) =>
    createGenerator(name, { target: o.target, generatorParams: o.params }).compileToModule(o.functionName ?? name)
  );
  mkdirSync(o.outputDir, { recursive: true });
  const at = (base: string, kind: OutputKind) => join(o.outputDir, `${base}${fileSuffix(kind)}`);
  for (const m of modules) {
    const perModule = o.emit.filter((k) => k !== "static_library" && k !== "ts");
    m.compile(Object.fromEntries(perModule.map((k) => [k, at(m.name, k)])));
  }
  const library = o.libraryName ?? modules[0].name;
  if (o.emit.includes("static_library")) writeCombinedLibrary(modules.map((m) => m.lowered), o.target, at(library, "static_library"));
  if (o.emit.includes("ts")) {
    const entries = modules.map((m) => ({ lp: m.lowered, modulePath: at(m.name, "ts") }));
    writeTsBinding(entries, o.target, join(o.outputDir, `${library}.so`), o.runtimeImport);
  }
}

/** `gen -r name`: the runtime alone. */
function genRuntime(o: GenOptions, name: string): void {
  const allowed: readonly OutputKind[] = ["object", "static_library", "c_header", "assembly", "llvm_assembly", "bitcode"];
  const other = o.emit.find((k) => !allowed.includes(k));
  if (other) throw new UsageError(`The runtime alone (-r) has no ${other} output.`);
  if (Object.keys(o.params).length > 0) throw new UsageError("The runtime alone (-r) takes no generator params.");
  mkdirSync(o.outputDir, { recursive: true });
  writeRuntimeOutputs(o.target, Object.fromEntries(o.emit.map((k) => [k, join(o.outputDir, `${name}${fileSuffix(k)}`)])));
}

/**
 * Runs the command line with `args` (without the program name) and returns the exit status.
 *
 * @example
 * ```ts
 * await main(["info"]);
 * ```
 */
export async function main(args: readonly string[]): Promise<number> {
  const [cmd] = args;
  if (cmd === undefined || cmd === "-h" || cmd === "--help" || cmd === "help") {
    console.log(usage);
    return cmd === undefined ? 1 : 0;
  }
  if (cmd === "--version") {
    console.log("halide-ts 0.1.0");
    return 0;
  }
  try {
    switch (cmd) {
      case "info": {
        const lib = llvm(), t = hostLLVMTarget();
        console.log(`runtime:  ${native.runtime}`);
        console.log(`libLLVM:  ${lib.version} (${lib.path})`);
        console.log(`triple:   ${t.triple}`);
        console.log(`cpu:      ${t.cpu}`);
        console.log(`features: ${t.features.split(",").filter((f) => f.startsWith("+")).join(",")}`);
        console.log(`host target: ${getHostTarget()}`);
        if (process.env.HL_JIT_TARGET) console.log(`jit target:  ${getJitTargetFromEnvironment()} (HL_JIT_TARGET)`);
        if (process.env.HL_TARGET) console.log(`aot target:  ${getTargetFromEnvironment()} (HL_TARGET)`);
        return 0;
      }
      case "bench":
        return import("./bench/harness.ts").then((m) => m.bench(args.slice(1)));
      case "gen":
        if (args.length === 1 || args.includes("-h") || args.includes("--help")) {
          console.log(genUsage);
          return args.length === 1 ? 2 : 0;
        }
        await gen(args.slice(1));
        return 0;
      case "autoschedule":
        console.error(`halide-ts ${cmd}: not available in this version of halide-ts.`);
        return 2;
      default:
        console.error(`halide-ts: unknown command '${cmd}'.\n\n${usage}`);
        return 2;
    }
  } catch (e) {
    if (e instanceof UsageError) {
      console.error(`halide-ts ${cmd}: ${e.message}\n\n${genUsage}`);
      return 2;
    }
    if (e instanceof HalideError) {
      console.error(`halide-ts ${cmd}: ${e.message}`);
      return 1;
    }
    throw e;
  }
}

if (import.meta.main) process.exit(await main(process.argv.slice(2)));
