/**
 * Loading pipelines compiled ahead of time (the `ts` output of `halide-ts gen` and `compileTo`): a shared library
 * opened through the runtime's FFI, each pipeline exposed as a {@link Callable}. Nothing here needs LLVM or the
 * compiler: this module and what it imports are the whole run-time dependency of generated bindings.
 *
 * @module
 */
import { fileURLToPath } from "node:url";
import { native } from "../../ffi/native.ts";
import { HalideError } from "../error.ts";
import { BFloat, Bool, Float, Int, type Type, UInt } from "../ir/type.ts";
import type { Buffer, NdArrayLike, TypedArray } from "./buffer.ts";
import { type Callable, makeCallable } from "./callable.ts";

/** An argument of a compiled pipeline as a generated binding describes it (`type` is a Halide type name). */
export interface LibraryArgument {
  readonly name: string;
  readonly kind: "buffer" | "scalar";
  /** `"uint8"`, `"float32"`, `"bool"`… */
  readonly type: string;
  readonly dimensions: number;
  readonly isOutput: boolean;
}

/**
 * A buffer argument of a compiled pipeline: an `hl.Buffer` (passed as it is, mins kept, no host memory for a
 * bounds query), or an array (an `NdArrayLike` or a typed array, wrapped with its axes reversed).
 */
export type BufferArgument = Buffer | NdArrayLike | TypedArray;

/**
 * A compiled pipeline as a typed function of its arguments `A` (inputs, then outputs), with the named-argument
 * form and the argument list of {@link Callable}.
 *
 * @example
 * ```ts
 * const brighten = loadPipeline(url, "brighten", args) as PipelineFunction<[BufferArgument, number, BufferArgument]>;
 * brighten(input, 1.5, output);
 * ```
 */
export type PipelineFunction<A extends unknown[]> = ((...args: A) => void) & Pick<Callable, "call" | "arguments">;

/** The Type named `name` (as `Type.toString` prints scalar types). */
function parseType(name: string): Type {
  if (name === "bool") return Bool();
  const m = /^(int|uint|float|bfloat)(\d+)$/.exec(name);
  if (!m) throw new HalideError(`A compiled pipeline's argument has the unknown type "${name}".`);
  const make = { int: Int, uint: UInt, float: Float, bfloat: BFloat }[m[1] as "int" | "uint" | "float" | "bfloat"];
  return make(Number(m[2]));
}

/**
 * Opens the shared library `library` (a path or a `file:` URL) and returns its pipeline `name` — the native
 * function `name_argv` taking the JavaScript user context and `args` — as a Callable: `f(in, 1.5, out)` or
 * `f.call([in], { scale: 1.5, out })`, with the types and dimensions of the arguments checked.
 *
 * @example
 * ```ts
 * const brighten = loadPipeline(new URL("./brighten.so", import.meta.url), "brighten", [
 *   { name: "input", kind: "buffer", type: "uint8", dimensions: 2, isOutput: false },
 *   { name: "output", kind: "buffer", type: "uint8", dimensions: 2, isOutput: true },
 * ]);
 * ```
 */
export function loadPipeline(library: string | URL, name: string, args: readonly LibraryArgument[]): Callable {
  const path = library instanceof URL ? fileURLToPath(library) : library;
  const entryName = `${name}_argv`;
  const lib = native.open(path, { [entryName]: { args: ["buf"], returns: "i32" } } as const);
  const entry = lib[entryName];
  return makeCallable({
    name,
    call: (argv) => entry(argv),
    args: args.map((a) => ({ ...a, type: parseType(a.type) })),
  });
}
