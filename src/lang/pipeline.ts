/**
 * Compiling and running pipelines: the bridge from the language layer to lowering, codegen and the JIT.
 *
 * @module
 */
import { HalideError } from "../error.ts";
import type { FunctionDef } from "../ir/function.ts";
import type { Buffer } from "../runtime/buffer.ts";

/**
 * Realizes the outputs `outputs` (one FunctionDef; Tuple elements give one Buffer each) over `sizes`
 * (new dense buffers with min 0) or into existing buffers `dst` (one per value, mins honoured).
 *
 * @example
 * ```ts
 * const [buf] = realizeFunc(f.fn, [640, 480]);
 * ```
 */
export function realizeFunc(_output: FunctionDef, _sizesOrDst: readonly number[] | readonly Buffer[]): Buffer[] {
  throw new HalideError("realize is not implemented yet");
}
