/**
 * halide-ts: Halide's language for fast image and array pipelines, for Bun and Deno. Algorithms are pure
 * functions over an infinite integer domain (Funcs of Vars); schedules say how to compute them; the compiler
 * JIT-compiles them to native code through the system's libLLVM.
 *
 * @example
 * ```ts
 * import * as hl from "halide-ts";
 * const x = new hl.Var("x"), y = new hl.Var("y");
 * const f = new hl.Func("f");
 * f.at(x, y).set(x.add(y));
 * const out = f.realize([4, 4]);
 * console.log(out.get([2, 3])); // 5
 * ```
 *
 * @module
 */

// --- errors
export { HalideError } from "./src/error.ts";

// --- types
export { BFloat, Bool, Float, Handle, Int, Type, TypeCode, UInt } from "./src/ir/type.ts";

// --- language (src/lang)

// --- buffers (src/runtime)

// --- pipelines and targets
