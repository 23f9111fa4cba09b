/**
 * The run-time part of halide-ts, for programs that only run pipelines compiled ahead of time (the `ts` output
 * of `halide-ts gen`): Buffers, errors and the loader of compiled libraries. It loads no compiler and no libLLVM.
 *
 * @example
 * ```ts
 * import { Buffer, UInt } from "halide-ts/runtime";
 * import { brighten } from "./out/brighten.ts";
 * const input = new Buffer(UInt(8), [640, 480]), output = new Buffer(UInt(8), [640, 480]);
 * brighten(input, 1.5, output);
 * ```
 *
 * @module
 */
export { HalideError } from "./src/error.ts";
export { BFloat, Bool, Float, Int, Type, TypeCode, UInt } from "./src/ir/type.ts";
export { Buffer } from "./src/runtime/buffer.ts";
export type { ElementValue, NdArray, NdArrayLike, TypedArray } from "./src/runtime/buffer.ts";
export type { Callable, CallableArgument } from "./src/runtime/callable.ts";
export { loadPipeline } from "./src/runtime/aot_library.ts";
export type { BufferArgument, LibraryArgument, PipelineFunction } from "./src/runtime/aot_library.ts";
