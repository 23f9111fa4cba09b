/**
 * apps/unsharp in plain TypeScript: the luma with clamped edges, the separable 7-tap Gaussian (y then x) through
 * float32 rows, then the sharpening ratio applied to each channel.
 *
 * @example
 * ```ts
 * const run = unsharpPlain(input, out, 1536, 2560);
 * run();
 * ```
 *
 * @module
 */
import type * as hl from "../../../mod.ts";
import { f32Data } from "../app.ts";

/** σ of the Gaussian (the generator's `sigma`). */
export const SIGMA = 1.5;

/** The 4 distinct taps of the kernel, k(i) = exp(−i²/2σ²)/(√(2π)σ), rounded to float32. */
export function unsharpKernel(): Float32Array {
  const norm = Math.fround(Math.fround(Math.sqrt(2 * Math.fround(Math.PI))) * SIGMA);
  return Float32Array.from([0, 1, 2, 3], (i) => Math.exp(-i * i / (2 * SIGMA * SIGMA)) / norm);
}

/** A runner writing the unsharp mask of `input` (w×h×3 float32) into `out`. */
export function unsharpPlain(input: hl.Buffer, out: hl.Buffer, w: number, h: number): () => void {
  const src = f32Data(input), dst = f32Data(out), k = unsharpKernel();
  const plane = w * h;
  const gray = new Float32Array(plane), row = new Float32Array(w + 6);
  return () => {
    for (let i = 0; i < plane; i++) gray[i] = 0.299 * src[i] + 0.587 * src[i + plane] + 0.114 * src[i + 2 * plane];
    for (let y = 0; y < h; y++) {
      const r = (d: number) => Math.min(Math.max(y + d, 0), h - 1) * w;
      const [m3, m2, m1, r0, p1, p2, p3] = [r(-3), r(-2), r(-1), r(0), r(1), r(2), r(3)];
      for (let x = 0; x < w; x++) {
        row[x + 3] = k[0] * gray[r0 + x] + k[1] * (gray[m1 + x] + gray[p1 + x]) +
          k[2] * (gray[m2 + x] + gray[p2 + x]) + k[3] * (gray[m3 + x] + gray[p3 + x]);
      }
      for (let i = 0; i < 3; i++) row[i] = row[3], row[w + 3 + i] = row[w + 2];
      for (let x = 0; x < w; x++) {
        const c = x + 3;
        const blur = k[0] * row[c] + k[1] * (row[c - 1] + row[c + 1]) + k[2] * (row[c - 2] + row[c + 2]) +
          k[3] * (row[c - 3] + row[c + 3]);
        const g = gray[y * w + x], ratio = Math.fround(Math.fround(2 * g - Math.fround(blur)) / g);
        const i = y * w + x;
        dst[i] = ratio * src[i], dst[i + plane] = ratio * src[i + plane], dst[i + 2 * plane] = ratio * src[i + 2 * plane];
      }
    }
  };
}
