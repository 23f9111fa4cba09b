/**
 * `halide-ts/imageio`: PNG files ↔ planar `(x, y, c)` Buffers.
 *
 * @example
 * ```ts
 * import { imread, imwrite } from "halide-ts/imageio";
 * imwrite("copy.png", imread("input.png"));
 * ```
 *
 * @module
 */
export { imread, imwrite, interleavedToPlanar, planarToInterleaved } from "./src/runtime/imageio.ts";
