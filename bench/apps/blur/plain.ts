/**
 * apps/blur in plain TypeScript: two passes through a full-size temporary, as the reference in Halide's
 * `apps/blur/test.cpp`. uint16 sums wrap, as they do in Halide.
 *
 * @example
 * ```ts
 * blurPlain(src, 1536, 2560, new Uint16Array(1534 * 2560), dst);
 * ```
 *
 * @module
 */

/** `dst` ((w−2)×(h−2)) = the 3×3 box blur of `src` (w×h); `tmp` holds (w−2)×h. */
export function blurPlain(src: Uint16Array, w: number, h: number, tmp: Uint16Array, dst: Uint16Array): void {
  const ow = w - 2, oh = h - 2;
  for (let y = 0; y < h; y++) {
    const row = y * w, trow = y * ow;
    for (let x = 0; x < ow; x++) {
      tmp[trow + x] = ((src[row + x] + src[row + x + 1] + src[row + x + 2]) & 0xffff) / 3;
    }
  }
  for (let y = 0; y < oh; y++) {
    const r0 = y * ow, r1 = r0 + ow, r2 = r1 + ow;
    for (let x = 0; x < ow; x++) dst[r0 + x] = ((tmp[r0 + x] + tmp[r1 + x] + tmp[r2 + x]) & 0xffff) / 3;
  }
}
