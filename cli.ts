#!/usr/bin/env bun
/**
 * The `halide-ts` command line. `info` reports the runtime, the libLLVM in use and the host target; `bench` runs
 * the app suite (bench/harness.ts); `gen` and `autoschedule` arrive with the ahead-of-time and autoscheduler work.
 *
 * @example
 * ```sh
 * bunx halide-ts info
 * ```
 *
 * @module
 */
import process from "node:process";
import { native } from "./ffi/native.ts";
import { hostLLVMTarget, llvm } from "./src/codegen/llvm_target.ts";
import { HalideError } from "./src/error.ts";
import { getHostTarget, getJitTargetFromEnvironment, getTargetFromEnvironment } from "./src/lang/target.ts";

const usage = `Usage: halide-ts <command> [options]

Commands:
  info            print the JavaScript runtime, the libLLVM in use and the host target
  gen             compile a generator ahead of time (not available in this version)
  autoschedule    pick a schedule with the cost model (not available in this version)
  bench           run the app benchmark suite (halide-ts bench --help)

Options:
  -h, --help      show this help
  --version       print the halide-ts version

Environment:
  HALIDE_LLVM_LIB   path of the libLLVM shared library to use (default: the newest LLVM 22…15 installed)`;

/**
 * Runs the command line with `args` (without the program name) and returns the exit status.
 *
 * @example
 * ```ts
 * main(["info"]);
 * ```
 */
export function main(args: readonly string[]): number | Promise<number> {
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
      case "autoschedule":
        console.error(`halide-ts ${cmd}: not available in this version of halide-ts.`);
        return 2;
      default:
        console.error(`halide-ts: unknown command '${cmd}'.\n\n${usage}`);
        return 2;
    }
  } catch (e) {
    if (e instanceof HalideError) {
      console.error(`halide-ts ${cmd}: ${e.message}`);
      return 1;
    }
    throw e;
  }
}

if (import.meta.main) process.exit(await main(process.argv.slice(2)));
