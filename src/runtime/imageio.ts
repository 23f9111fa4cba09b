/**
 * Reading and writing images as Buffers: PNG through the `fast-png` codec. Images are planar `(x, y, c)`
 * Buffers of uint8 or uint16 (2-D `(x, y)` for grayscale), as Halide's `imageio` returns them.
 *
 * @module
 */
import { readFileSync, writeFileSync } from "node:fs";
import { decode, encode } from "fast-png";
import { HalideError } from "../error.ts";
import { UInt } from "../ir/type.ts";
import { Buffer } from "./buffer.ts";

/**
 * An interleaved `(c, x, y)` view of a planar `(x, y, c)` (or `(x, y)`) buffer's layout, as a new dense buffer.
 *
 * @example
 * ```ts
 * const rgb = planarToInterleaved(img); // rgb.dim(0) is the channel
 * ```
 */
export function planarToInterleaved(b: Buffer): Buffer {
  const [w, h, c] = [b.dim(0).extent, b.dim(1).extent, b.dimensions === 3 ? b.dim(2).extent : 1];
  const out = Buffer.makeInterleaved(b.type, w, h, c);
  const src = b.dimensions === 2 ? b.embedded(2, 0) : b;
  out.setMin([src.dim(0).min, src.dim(1).min, src.dim(2).min]);
  out.copyFrom(src);
  return out;
}

/**
 * A dense planar `(x, y, c)` copy of an interleaved `(c, x, y)`-ordered buffer (e.g. from `Buffer.makeInterleaved`).
 *
 * @example
 * ```ts
 * const planar = interleavedToPlanar(Buffer.from({ data: rgba, shape: [h, w, 4] }).transposed([2, 0, 1]));
 * ```
 */
export function interleavedToPlanar(b: Buffer): Buffer {
  const out = new Buffer(b.type, [b.dim(0).extent, b.dim(1).extent, b.dim(2).extent]);
  out.setMin([b.dim(0).min, b.dim(1).min, b.dim(2).min]);
  out.copyFrom(b);
  return out;
}

/**
 * Reads a PNG file into a planar `(x, y, c)` uint8 or uint16 Buffer (channels 1–4).
 *
 * @example
 * ```ts
 * const img = imread("input.png");
 * console.log(img.width, img.height, img.channels);
 * ```
 */
export function imread(path: string): Buffer {
  if (!path.toLowerCase().endsWith(".png")) throw new HalideError(`imread: only PNG files are supported, not ${path}`);
  let png;
  try {
    png = decode(readFileSync(path));
  } catch (e) {
    throw new HalideError(`imread: cannot read ${path}: ${(e as Error).message}`);
  }
  if (png.palette) throw new HalideError(`imread: indexed-color PNGs are not supported (${path})`);
  const depth = png.depth === 16 ? 16 : 8;
  const data = depth === 16 ? new Uint16Array(png.data) : new Uint8Array(png.data);
  if (png.depth !== 8 && png.depth !== 16) throw new HalideError(`imread: ${png.depth}-bit PNGs are not supported (${path})`);
  // The decoded array is [y][x][c]; reversing its axes gives (c, x, y), then move c last.
  const interleaved = Buffer.from({ data, shape: [png.height, png.width, png.channels] }).transposed([2, 0, 1]);
  const out = interleavedToPlanar(interleaved);
  if (!out.type.equals(UInt(depth))) throw new HalideError("imread: internal type mismatch");
  return out;
}

/**
 * Writes a planar `(x, y, c)` or `(x, y)` uint8/uint16 Buffer (1–4 channels) as a PNG file.
 *
 * @example
 * ```ts
 * imwrite("out.png", f.realize([512, 512, 3]));
 * ```
 */
export function imwrite(path: string, b: Buffer): void {
  if (!path.toLowerCase().endsWith(".png")) throw new HalideError(`imwrite: only PNG files are supported, not ${path}`);
  if (!(b.type.equals(UInt(8)) || b.type.equals(UInt(16)))) {
    throw new HalideError(`imwrite: ${b.name} has type ${b.type}; PNG needs uint8 or uint16`);
  }
  if (b.dimensions !== 2 && b.dimensions !== 3) {
    throw new HalideError(`imwrite: ${b.name} has ${b.dimensions} dimensions; expected (x, y) or (x, y, c)`);
  }
  const channels = b.dimensions === 3 ? b.dim(2).extent : 1;
  if (channels < 1 || channels > 4) throw new HalideError(`imwrite: ${b.name} has ${channels} channels; PNG needs 1 to 4`);
  const inter = planarToInterleaved(b);
  const bytes = inter.storage!;
  const data = b.type.bits === 16 ? new Uint16Array(bytes) : new Uint8Array(bytes);
  writeFileSync(path, encode({ width: b.dim(0).extent, height: b.dim(1).extent, data, channels, depth: b.type.bits === 16 ? 16 : 8 }));
}
