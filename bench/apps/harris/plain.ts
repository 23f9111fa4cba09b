/**
 * apps/harris in plain TypeScript: full-size float32 planes of the luma and both gradients, then the 3×3 box sums
 * of the structure tensor and the response, for the output's inset region.
 *
 * @example
 * ```ts
 * const run = harrisPlain(input, out, 1536, 2560);
 * run();
 * ```
 *
 * @module
 */
import type * as hl from "../../../mod.ts";
import { f32Data } from "../app.ts";

/** A runner writing the Harris response of `input` (w×h×3 float32) into `out` ((w−6)×(h−6), mins 3). */
export function harrisPlain(input: hl.Buffer, out: hl.Buffer, w: number, h: number): () => void {
  const src = f32Data(input), dst = f32Data(out), plane = w * h, ow = w - 6;
  const gray = new Float32Array(plane), ix = new Float32Array(plane), iy = new Float32Array(plane);
  const k1 = Math.fround(1 / 12), k2 = Math.fround(2 / 12);
  return () => {
    for (let i = 0; i < plane; i++) gray[i] = 0.299 * src[i] + 0.587 * src[i + plane] + 0.114 * src[i + 2 * plane];
    for (let y = 1; y < h - 1; y++) {
      for (let x = 1; x < w - 1; x++) {
        const i = y * w + x, a = i - w, b = i + w;
        iy[i] = -k1 * gray[a - 1] + k1 * gray[b - 1] - k2 * gray[a] + k2 * gray[b] - k1 * gray[a + 1] + k1 * gray[b + 1];
        ix[i] = -k1 * gray[a - 1] + k1 * gray[a + 1] - k2 * gray[i - 1] + k2 * gray[i + 1] - k1 * gray[b - 1] +
          k1 * gray[b + 1];
      }
    }
    for (let y = 3; y < h - 3; y++) {
      for (let x = 3; x < w - 3; x++) {
        let sxx = 0, syy = 0, sxy = 0;
        for (let dx = -1; dx <= 1; dx++) {
          for (let dy = -1; dy <= 1; dy++) {
            const j = (y + dy) * w + x + dx, gx = ix[j], gy = iy[j];
            sxx += Math.fround(gx * gx), syy += Math.fround(gy * gy), sxy += Math.fround(gx * gy);
          }
        }
        const trace = sxx + syy;
        dst[(y - 3) * ow + x - 3] = sxx * syy - sxy * sxy - 0.04 * trace * trace;
      }
    }
  };
}
