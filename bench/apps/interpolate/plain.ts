/**
 * apps/interpolate in plain TypeScript. Each pyramid level is computed over exactly the region Halide's bounds
 * inference gives it (the downsamplings read one sample beyond each side of the level below, and level 4 reads
 * level 3 clamped to [0, w/8] × [0, h/8], as the generator's extra boundary condition says), so the result is the
 * same as the pipeline's up to float rounding.
 *
 * @example
 * ```ts
 * const run = interpolatePlain(input, out, 1536, 2560);
 * run();
 * ```
 *
 * @module
 */
import type * as hl from "../../../mod.ts";
import { f32Data } from "../app.ts";

/** Pyramid levels (the generator's `levels`). */
export const LEVELS = 10;

/** An inclusive range of coordinates. */
type Range = readonly [number, number];

/** A 4-channel float plane over a rectangle of coordinates. */
class Plane {
  readonly w: number;
  readonly h: number;
  readonly data: Float32Array;
  constructor(readonly xs: Range, readonly ys: Range) {
    this.w = xs[1] - xs[0] + 1, this.h = ys[1] - ys[0] + 1;
    this.data = new Float32Array(this.w * this.h * 4);
  }
  index(x: number, y: number, c: number): number {
    return ((c * this.h) + y - this.ys[0]) * this.w + x - this.xs[0];
  }
}

const expand = ([a, b]: Range): Range => [2 * a - 1, 2 * b + 1];
const clampRange = ([a, b]: Range, lo: number, hi: number): Range => [Math.max(a, lo), Math.min(b, hi)];
const union = (p: Range, q: Range): Range => [Math.min(p[0], q[0]), Math.max(p[1], q[1])];
const clamp = (v: number, lo: number, hi: number) => Math.min(Math.max(v, lo), hi);

/** The regions of each level: `need` (what the upsampling reads) and `down` (what is downsampled there). */
function regions(w: number, h: number): { need: Range[]; down: [Range, Range][] } {
  const need: Range[][] = [[[0, w - 1], [0, h - 1]]];
  for (let l = 1; l < LEVELS; l++) need.push(need[l - 1].map(([, e]) => [0, Math.floor((e + 1) / 2)] as Range));
  const down: [Range, Range][] = [];
  down[LEVELS - 1] = [need[LEVELS - 1][0], need[LEVELS - 1][1]];
  for (let l = LEVELS - 1; l > 0; l--) {
    let [xr, yr] = [expand(down[l][0]), expand(down[l][1])];
    if (l === 4) xr = clampRange(xr, 0, Math.floor(w / 8)), yr = clampRange(yr, 0, Math.floor(h / 8));
    down[l - 1] = [union(xr, need[l - 1][0]), union(yr, need[l - 1][1])];
  }
  return { need: need.map(([xr]) => xr), down };
}

/** A runner writing the interpolation of `input` (w×h×4 float32, premultiplied by alpha) into `out` (w×h×3). */
export function interpolatePlain(input: hl.Buffer, out: hl.Buffer, w: number, h: number): () => void {
  const src = f32Data(input), dst = f32Data(out), plane = w * h;
  const { need, down } = regions(w, h);
  const ds = down.map(([xr, yr]) => new Plane(xr, yr));
  const dx = down.map(([xr, yr], l) => (l === 0 ? undefined : new Plane(xr, expand(yr))));
  const needY = regions(h, w).need; // the same recurrence in y
  const interp = need.map((xr, l) => new Plane(xr, needY[l]));
  const level4 = (x: number, y: number) => [clamp(x, 0, Math.floor(w / 8)), clamp(y, 0, Math.floor(h / 8))];
  return () => {
    const d0 = ds[0];
    for (let y = d0.ys[0]; y <= d0.ys[1]; y++) {
      for (let x = d0.xs[0]; x <= d0.xs[1]; x++) {
        const i = clamp(y, 0, h - 1) * w + clamp(x, 0, w - 1), a = src[i + 3 * plane];
        for (let c = 0; c < 3; c++) d0.data[d0.index(x, y, c)] = src[i + c * plane] * a;
        d0.data[d0.index(x, y, 3)] = a;
      }
    }
    for (let l = 1; l < LEVELS; l++) {
      const prev = ds[l - 1], dxl = dx[l]!, cur = ds[l];
      const at = (x: number, y: number, c: number) => {
        const [px, py] = l === 4 ? level4(x, y) : [x, y];
        return prev.data[prev.index(px, py, c)];
      };
      for (let c = 0; c < 4; c++) {
        for (let y = dxl.ys[0]; y <= dxl.ys[1]; y++) {
          for (let x = dxl.xs[0]; x <= dxl.xs[1]; x++) {
            dxl.data[dxl.index(x, y, c)] = (at(2 * x - 1, y, c) + 2 * at(2 * x, y, c) + at(2 * x + 1, y, c)) * 0.25;
          }
        }
        for (let y = cur.ys[0]; y <= cur.ys[1]; y++) {
          for (let x = cur.xs[0]; x <= cur.xs[1]; x++) {
            const v = (i: number) => dxl.data[dxl.index(x, i, c)];
            cur.data[cur.index(x, y, c)] = (v(2 * y - 1) + 2 * v(2 * y) + v(2 * y + 1)) * 0.25;
          }
        }
      }
    }
    const top = interp[LEVELS - 1], dtop = ds[LEVELS - 1];
    for (let c = 0; c < 4; c++) {
      for (let y = top.ys[0]; y <= top.ys[1]; y++) {
        for (let x = top.xs[0]; x <= top.xs[1]; x++) top.data[top.index(x, y, c)] = dtop.data[dtop.index(x, y, c)];
      }
    }
    for (let l = LEVELS - 2; l >= 0; l--) {
      const next = interp[l + 1], cur = interp[l], d = ds[l];
      const n = (x: number, y: number, c: number) => next.data[next.index(x, y, c)];
      const upx = (x: number, y: number, c: number) => Math.fround((n(Math.floor(x / 2), y, c) + n(Math.floor((x + 1) / 2), y, c)) / 2);
      for (let y = cur.ys[0]; y <= cur.ys[1]; y++) {
        for (let x = cur.xs[0]; x <= cur.xs[1]; x++) {
          const alpha = Math.fround(1 - d.data[d.index(x, y, 3)]);
          for (let c = 0; c < 4; c++) {
            const up = Math.fround((upx(x, Math.floor(y / 2), c) + upx(x, Math.floor((y + 1) / 2), c)) / 2);
            cur.data[cur.index(x, y, c)] = d.data[d.index(x, y, c)] + Math.fround(alpha * up);
          }
        }
      }
    }
    const i0 = interp[0];
    for (let c = 0; c < 3; c++) {
      for (let y = 0; y < h; y++) {
        for (let x = 0; x < w; x++) dst[(c * h + y) * w + x] = i0.data[i0.index(x, y, c)] / i0.data[i0.index(x, y, 3)];
      }
    }
  };
}
