/**
 * apps/hist in plain TypeScript: the luma in float32 (rounded after every operation, as the pipeline computes
 * it), one histogram of all rows, its cumulative sum, and each pixel remapped.
 *
 * @example
 * ```ts
 * const run = histPlain(input, out, 1536, 2560);
 * run();
 * ```
 *
 * @module
 */
import type * as hl from "../../../mod.ts";
import { dataOf } from "../app.ts";

const f = Math.fround;
const [K_R, K_G, K_B, K_CR, K_CB] = [0.299, 0.587, 0.114, 0.713, 0.564].map(f);
const [K_RED, K_G_CB, K_G_CR, K_BLUE] = [1.4, 0.343, 0.711, 1.765].map(f);

const clampU8 = (v: number) => Math.trunc(Math.min(Math.max(v, 0), 255));

/** A runner writing the equalization of `input` (w×h×3 uint8) into `out`. */
export function histPlain(input: hl.Buffer, out: hl.Buffer, w: number, h: number): () => void {
  const src = dataOf(input), dst = dataOf(out), plane = w * h;
  const luma = new Float32Array(plane), counts = new Int32Array(256), cdf = new Int32Array(256);
  const scale = f(255 / plane);
  return () => {
    counts.fill(0);
    for (let i = 0; i < plane; i++) {
      const Y = f(f(f(K_R * src[i]) + f(K_G * src[i + plane])) + f(K_B * src[i + 2 * plane]));
      luma[i] = Y;
      counts[Math.trunc(Math.min(Math.max(Y, 0), 255))]++;
    }
    cdf[0] = counts[0];
    for (let b = 1; b < 256; b++) cdf[b] = cdf[b - 1] + counts[b];
    for (let i = 0; i < plane; i++) {
      const Y = luma[i];
      const eq = f(Math.min(Math.max(f(f(cdf[clampU8(Y)]) * scale), 0), 255));
      const cr = f(f(f(f(src[i] - Y) * K_CR) + 128) - 128), cb = f(f(f(f(src[i + 2 * plane] - Y) * K_CB) + 128) - 128);
      dst[i] = clampU8(f(eq + f(cr * K_RED)));
      dst[i + plane] = clampU8(f(f(eq - f(K_G_CB * cb)) - f(K_G_CR * cr)));
      dst[i + 2 * plane] = clampU8(f(eq + f(K_BLUE * cb)));
    }
  };
}
