/**
 * apps/stencil_chain in plain TypeScript, through a ping-pong pair of uint16 planes padded by 2 pixels per stencil
 * on every side: stage 0 is the clamped input over the whole padded plane, and stage s covers what the stages
 * after it read (the plane shrunk by 2·s), as Halide's bounds inference would have it. Clamping every stage to
 * the image instead would give another result.
 *
 * @example
 * ```ts
 * const run = stencilChainPlain(input, out, 1536, 2560, 32);
 * run();
 * ```
 *
 * @module
 */
import type * as hl from "../../../mod.ts";
import { u16Data } from "../app.ts";

/** A runner writing `stencils` chained stencils of `input` (w×h uint16) into `out`. */
export function stencilChainPlain(input: hl.Buffer, out: hl.Buffer, w: number, h: number, stencils: number): () => void {
  const src = u16Data(input), dst = u16Data(out);
  const pad = 2 * stencils, pw = w + 2 * pad, ph = h + 2 * pad;
  let a = new Uint16Array(pw * ph), b = new Uint16Array(pw * ph);
  return () => {
    // Stage 0: the clamped input over the whole padded region.
    for (let y = 0; y < ph; y++) {
      const sy = Math.min(Math.max(y - pad, 0), h - 1) * w;
      for (let x = 0; x < pw; x++) a[y * pw + x] = src[sy + Math.min(Math.max(x - pad, 0), w - 1)];
    }
    // Stage s covers the padded region shrunk by 2·s on every side.
    for (let s = 1; s <= stencils; s++) {
      const m = 2 * s;
      for (let y = m; y < ph - m; y++) {
        for (let x = m; x < pw - m; x++) {
          let acc = 0;
          for (let j = -2; j <= 2; j++) {
            const row = (y + j) * pw + x;
            acc += (j + 3) * (a[row - 2] + 2 * a[row - 1] + 3 * a[row] + 4 * a[row + 1] + 5 * a[row + 2]);
          }
          b[y * pw + x] = acc;
        }
      }
      [a, b] = [b, a];
    }
    for (let y = 0; y < h; y++) dst.set(a.subarray((y + pad) * pw + pad, (y + pad) * pw + pad + w), y * w);
  };
}
