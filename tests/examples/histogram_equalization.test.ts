// The histogram-equalization example's core function on tiny images (gray, color with alpha, shifted mins,
// a flat image), with both histogram strategies, against the same algorithm written as plain TypeScript loops.
import { describe, expect, it } from "bun:test";
import * as hl from "../../mod.ts";
import { equalize, type HistogramStrategy, syntheticImage } from "../../examples/histogram_equalization.ts";
import { throwsHalide } from "../schedule/helpers.ts";

/** The algorithm in plain TypeScript: returns the value of every output element, keyed by its coordinates. */
function reference(img: hl.Buffer): Map<string, number> {
  const color = img.dimensions === 3;
  const [x0, y0, w, h] = [img.dim(0).min, img.dim(1).min, img.width, img.height];
  const px = (i: number, j: number, k: number) => img.get(color ? [i, j, k] : [i, j]) as number;
  const luma = (i: number, j: number) => (color ? (77 * px(i, j, 0) + 150 * px(i, j, 1) + 29 * px(i, j, 2) + 128) >> 8 : px(i, j, 0));
  const hist = new Array(256).fill(0);
  for (let j = y0; j < y0 + h; j++) for (let i = x0; i < x0 + w; i++) hist[luma(i, j)]++;
  const cdf: number[] = [];
  hist.reduce((acc, n, v) => (cdf[v] = acc + n), 0);
  const n = w * h;
  const cdfMin = Math.min(...cdf.filter((v) => v > 0));
  const span = Math.max(n - cdfMin, 1);
  const lut = cdf.map((v) => Math.floor(((v - cdfMin) * 255 + Math.floor(span / 2)) / span) & 255);
  const out = new Map<string, number>();
  img.forEachElement((coords) => {
    const [i, j, k] = coords;
    const level = luma(i, j), mapped = lut[level];
    let value = mapped;
    if (color) value = k >= 3 ? px(i, j, k) : level === 0 ? mapped : Math.min(Math.floor((px(i, j, k) * mapped) / level), 255);
    out.set(`${coords}`, value);
  });
  return out;
}

/** "" if `out` has `img`'s shape and the reference values, else the first difference. */
function mismatch(img: hl.Buffer, out: hl.Buffer): string {
  for (let d = 0; d < img.dimensions; d++) {
    if (out.dim(d).min !== img.dim(d).min || out.dim(d).extent !== img.dim(d).extent) return `dimension ${d} differs`;
  }
  const want = reference(img);
  let first = "";
  out.forEachElement((coords) => {
    if (!first && out.get(coords) !== want.get(`${coords}`)) first = `[${coords}] is ${out.get(coords)}, not ${want.get(`${coords}`)}`;
  });
  return first;
}

/** A w×h gray image with low-contrast pseudo-random values in [lo, lo + 24). */
function grayImage(w: number, h: number, lo: number): hl.Buffer {
  const img = new hl.Buffer(hl.UInt(8), [w, h], "gray_tiny");
  img.forEachElement(([i, j]) => img.set([i, j], lo + ((i * 7 + j * 11 + ((i * j) % 5)) % 24)));
  return img;
}

const strategies: HistogramStrategy[] = ["rfactor", "atomic"];

describe("examples/histogram_equalization.ts", () => {
  for (const strategy of strategies) {
    it(`equalizes gray images narrower and wider than a vector (${strategy})`, () => {
      for (const width of [13, 37]) {
        const img = grayImage(width, 7, 100);
        const out = equalize(img, strategy);
        expect(mismatch(img, out)).toBe("");
        // The darkest level maps to 0 and the brightest to 255.
        let lo = 255, hi = 0;
        out.forEachValue((v) => {
          lo = Math.min(lo, v as number);
          hi = Math.max(hi, v as number);
        });
        expect([lo, hi]).toEqual([0, 255]);
      }
    });

    it(`equalizes a color image with an alpha channel, over shifted mins (${strategy})`, () => {
      const img = new hl.Buffer(hl.UInt(8), [9, 5, 4], "rgba_tiny");
      img.setMin([-3, 10, 0]);
      img.forEachElement(([i, j, k]) => img.set([i, j, k], k === 3 ? (i * 31 + j) & 255 : 60 + ((i * (k + 3) + j * 5) % 40)));
      expect(mismatch(img, equalize(img, strategy))).toBe("");
      // One pixel is black: it becomes the gray lut(0), its alpha kept.
      img.set([0, 12, 0], 0);
      img.set([0, 12, 1], 0);
      img.set([0, 12, 2], 0);
      expect(mismatch(img, equalize(img, strategy))).toBe("");
    });
  }

  it("maps a flat image to 0 (no division by zero) and the synthetic image consistently", () => {
    const flat = new hl.Buffer(hl.UInt(8), [6, 4], "flat");
    flat.fill(77);
    const out = equalize(flat);
    expect(out.allEqual(0)).toBe(true);
    expect(mismatch(flat, out)).toBe("");
    const synthetic = syntheticImage(24, 16);
    expect(mismatch(synthetic, equalize(synthetic))).toBe("");
  });

  it("rejects images it cannot equalize", () => {
    throwsHalide(() => equalize(new hl.Buffer(hl.UInt(16), [4, 4], "deep")), "equalize: deep has type uint16; expected uint8");
    throwsHalide(() => equalize(new hl.Buffer(hl.UInt(8), [4, 4, 2], "gray_alpha")), "equalize: gray_alpha must be (x, y) gray or (x, y, c) with at least 3 channels");
  });
});
