/**
 * Histogram equalization: spreads the luminance of a low-contrast image over the whole 0–255 range.
 *
 * The pipeline (one Halide pipeline, JIT-compiled once, run on any 8-bit image):
 * 1. luminance L(x, y) — the input itself for a gray image, (77·R + 150·G + 29·B + 128) >> 8 for a color one;
 * 2. histogram(L(r.x, r.y)) += 1 over the image — an update definition with a data-dependent left-hand side,
 *    made parallel either with `rfactor` (per-row partial histograms, rows in parallel, then a merge) or with
 *    `atomic()` (one shared histogram, atomic increments);
 * 3. the cumulative histogram by a scan: cdf(r) = cdf(r - 1) + cdf(r) for r in [1, 255];
 * 4. a lookup table lut(v) = round((cdf(v) - cdfMin) · 255 / (N - cdfMin)), where cdfMin is the cdf of the darkest
 *    level present (an inline `minimum`) and N the number of pixels;
 * 5. the output: lut(L) for a gray image; for a color one, each of R, G, B scaled by lut(L) / L (other channels,
 *    such as alpha, pass through).
 *
 *   bun examples/histogram_equalization.ts [input.png] [output.png]
 *   deno run -A examples/histogram_equalization.ts [input.png] [output.png]
 *
 * Without an input, a synthetic low-contrast 1536×1024 color image is used (and written next to the output).
 * The output goes to out/histogram_equalization.png by default. Timings of both histogram strategies are printed.
 *
 * @module
 */
import { mkdirSync } from "node:fs";
import { dirname } from "node:path";
import process from "node:process";
import * as hl from "../mod.ts";
import { imread, imwrite } from "../imageio.ts";

/** How the histogram update is parallelized. */
export type HistogramStrategy = "rfactor" | "atomic";

/** The Funcs of an equalization pipeline, with its input. */
export interface Equalization {
  /** An 8-bit image: 2-D `(x, y)` when gray, 3-D `(x, y, c)` with at least three channels when color. */
  readonly input: hl.ImageParam;
  readonly luminance: hl.Func;
  readonly histogram: hl.Func;
  readonly cdf: hl.Func;
  readonly lut: hl.Func;
  /** Same shape and type as the input. */
  readonly output: hl.Func;
}

const x = new hl.Var("x"), y = new hl.Var("y"), c = new hl.Var("c");
/** Loops over image rows may have any length, even shorter than a task. */
const GUARD = hl.TailStrategy.GuardWithIf;

/**
 * Rows in parallel; 16 pixels per vector when the image is at least 16 wide (the last vector of a row then
 * overlaps the one before it), one at a time otherwise.
 */
function parallelVectorRows(f: hl.Func, input: hl.ImageParam): void {
  f.parallel(y);
  f.specialize(input.dim(0).extent().ge(16)).vectorize(x, 16);
}

/** L(x, y) of the input: the gray value, or the integer Rec. 601 luma of R, G, B. */
function luminanceOf(input: hl.ImageParam, color: boolean): hl.Func {
  const luminance = new hl.Func("luminance");
  if (!color) {
    luminance.at(x, y).set(input.at(x, y));
    return luminance;
  }
  const channel = (k: number) => hl.u16(input.at(x, y, k));
  const weighted = channel(0).mul(77).add(channel(1).mul(150)).add(channel(2).mul(29)).add(128);
  // Inlined into the histogram and the output (recomputing it is cheaper than storing it). Computed at the root
  // with its own vectorized specialization, it would make narrow images fail: halide-ts takes the region a
  // specialized consumer needs from all its branches at once (a reported difference from Halide).
  luminance.at(x, y).set(hl.u8(weighted.shr(8)));
  return luminance;
}

/** histogram(v) = number of pixels whose luminance is v, parallelized by `strategy`. */
function histogramOf(input: hl.ImageParam, luminance: hl.Func, strategy: HistogramStrategy): hl.Func {
  const histogram = new hl.Func("histogram");
  const r = new hl.RDom([[input.dim(0).min(), input.dim(0).extent()], [input.dim(1).min(), input.dim(1).extent()]], "pixels");
  histogram.at(x).set(0);
  histogram.at(luminance.at(r.x, r.y)).addAssign(1);
  histogram.computeRoot().vectorize(x, 16);
  if (strategy === "atomic") {
    histogram.update().atomic().parallel(r.y, 16, GUARD);
  } else {
    // One partial histogram per row, computed in parallel (16 rows per task); the merge adds them up, 16 bins at
    // a time.
    const rows = new hl.Var("row");
    const partial = histogram.update().rfactor(r.y, rows);
    partial.computeRoot().vectorize(x, 16);
    partial.update().parallel(rows, 16, GUARD);
    histogram.update().vectorize(x, 16);
  }
  return histogram;
}

/**
 * Builds the equalization pipeline for a gray (`color = false`) or color input.
 *
 * @example
 * ```ts
 * const eq = equalizationPipeline(false);
 * eq.input.set(grayBuffer);
 * const out = eq.output.realize([grayBuffer.width, grayBuffer.height]);
 * ```
 */
export function equalizationPipeline(color: boolean, strategy: HistogramStrategy = "rfactor"): Equalization {
  const input = new hl.ImageParam(hl.UInt(8), color ? 3 : 2, "input");
  if (color) input.dim(2).setMin(0);
  const luminance = luminanceOf(input, color);
  const histogram = histogramOf(input, luminance, strategy);

  const cdf = new hl.Func("cdf");
  cdf.at(x).set(histogram.at(x));
  const scan = new hl.RDom([[1, 255]], "levels");
  cdf.at(scan).set(cdf.at(scan.sub(1)).add(cdf.at(scan)));
  cdf.computeRoot();

  // The darkest level present has the smallest non-zero cdf value.
  const pixels = hl.i64(input.dim(0).extent()).mul(hl.i64(input.dim(1).extent()));
  const all = new hl.RDom([[0, 256]], "all_levels");
  const cdfMin = hl.minimum(hl.select(cdf.at(all).gt(0), hl.i64(cdf.at(all)), pixels));
  const span = hl.max(pixels.sub(cdfMin), 1);
  const lut = new hl.Func("lut");
  lut.at(x).set(hl.u8(hl.i64(cdf.at(x)).sub(cdfMin).mul(255).add(span.div(2)).div(span)));
  lut.computeRoot();

  const output = new hl.Func("equalized");
  const mapped = lut.at(luminance.at(x, y));
  if (color) {
    // Each color channel scaled by how much its pixel's luminance moved; a black pixel becomes lut(0) gray.
    const level = hl.i32(luminance.at(x, y));
    const scaled = hl.select(level.eq(0), hl.i32(mapped), hl.min(hl.i32(input.at(x, y, c)).mul(hl.i32(mapped)).div(level), 255));
    output.at(x, y, c).set(hl.select(c.lt(3), hl.u8(scaled), input.at(x, y, c)));
  } else {
    output.at(x, y).set(mapped);
  }
  // Planar channels: c is the outermost loop, as in memory.
  parallelVectorRows(output, input);
  return { input, luminance, histogram, cdf, lut, output };
}

const pipelines = new Map<string, Equalization>();

/**
 * Equalizes an 8-bit image: 2-D gray `(x, y)`, or 3-D `(x, y, c)` with at least three channels (channels past
 * the third pass through). The pipeline for each kind of image and strategy is built and compiled once.
 *
 * @example
 * ```ts
 * const out = equalize(imread("dim.png"));
 * ```
 */
export function equalize(image: hl.Buffer, strategy: HistogramStrategy = "rfactor"): hl.Buffer {
  if (!image.type.equals(hl.UInt(8))) throw new hl.HalideError(`equalize: ${image.name} has type ${image.type}; expected uint8`);
  const color = image.dimensions === 3;
  if (!(image.dimensions === 2 || (color && image.channels >= 3))) {
    throw new hl.HalideError(`equalize: ${image.name} must be (x, y) gray or (x, y, c) with at least 3 channels`);
  }
  const key = `${color}/${strategy}`;
  let eq = pipelines.get(key);
  if (!eq) pipelines.set(key, eq = equalizationPipeline(color, strategy));
  eq.input.set(image);
  const out = hl.Buffer.makeWithShapeOf(image, "equalized");
  eq.output.realize(out);
  return out;
}

/** A synthetic low-contrast color image: soft gradients and discs, every channel within [90, 150). */
export function syntheticImage(width: number, height: number): hl.Buffer {
  const img = new hl.Buffer(hl.UInt(8), [width, height, 3], "synthetic");
  img.forEachElement(([i, j, k]) => {
    const u = i / width, v = j / height;
    const disc = (cx: number, cy: number, rad: number) => (Math.hypot(u - cx, (v - cy) * height / width) < rad ? 1 : 0);
    const shade = 0.5 + 0.25 * Math.sin(6 * u + 2 * k) * Math.cos(4 * v) + 0.2 * disc(0.3, 0.4, 0.15) - 0.2 * disc(0.7, 0.6, 0.2);
    img.set([i, j, k], 90 + Math.max(0, Math.min(59, Math.round(60 * shade + ((i * 7 + j * 3) % 5)))));
  });
  return img;
}

/** The 1st and 99th percentile of a 256-bin histogram of `count` pixels. */
function percentiles(hist: number[], count: number): [number, number] {
  let acc = 0, lo = -1, hi = 255;
  for (let v = 0; v < 256; v++) {
    acc += hist[v];
    if (lo < 0 && acc >= 0.01 * count) lo = v;
    if (acc >= 0.99 * count) {
      hi = v;
      break;
    }
  }
  return [lo, hi];
}

/** The luminance histogram of an image, through the pipeline's own histogram Func. */
function luminanceHistogram(image: hl.Buffer): number[] {
  const eq = equalizationPipeline(image.dimensions === 3);
  eq.input.set(image);
  const b = eq.histogram.realize([256]);
  return Array.from({ length: 256 }, (_, v) => b.get([v]) as number);
}

/** Reads the input (a gray PNG becomes 2-D, gray + alpha drops the alpha), or makes the synthetic one. */
function loadInput(path: string | undefined): hl.Buffer {
  if (!path) return syntheticImage(1536, 1024);
  const img = imread(path);
  if (!img.type.equals(hl.UInt(8))) throw new hl.HalideError(`${path}: only 8-bit PNGs are supported (this one is ${img.type})`);
  return img.channels < 3 ? img.sliced(2, 0) : img;
}

/** min / median of a list of milliseconds, as text. */
function stats(times: number[]): string {
  const sorted = [...times].sort((a, b) => a - b);
  return `${sorted[0].toFixed(2)} / ${sorted[sorted.length >> 1].toFixed(2)} ms`;
}

function main(): void {
  const [inputPath, outputPath = "out/histogram_equalization.png"] = process.argv.slice(2);
  const image = loadInput(inputPath);
  mkdirSync(dirname(outputPath), { recursive: true });
  if (!inputPath) imwrite(outputPath.replace(/\.png$/i, "_input.png"), image);

  const pixels = image.width * image.height;
  const runtime = "Bun" in globalThis ? "Bun" : "Deno";
  console.log(`histogram equalization on ${runtime}: ${image.width}×${image.height}×${image.dimensions === 3 ? image.channels : 1}` +
    (inputPath ? ` from ${inputPath}` : " (synthetic)"));
  let result = image;
  for (const strategy of ["rfactor", "atomic"] as const) {
    let t = performance.now();
    result = equalize(image, strategy);
    const compileMs = performance.now() - t;
    const times: number[] = [];
    for (let k = 0; k < 10; k++) {
      t = performance.now();
      equalize(image, strategy);
      times.push(performance.now() - t);
    }
    console.log(`  ${strategy.padEnd(7)} first run (JIT compile + run): ${compileMs.toFixed(0)} ms; run (min / median of 10): ${stats(times)}`);
  }
  imwrite(outputPath, result);
  const before = percentiles(luminanceHistogram(image), pixels), after = percentiles(luminanceHistogram(result), pixels);
  console.log(`  luminance 1st–99th percentile: ${before[0]}–${before[1]} before, ${after[0]}–${after[1]} after`);
  console.log(`  written to ${outputPath}`);
}

if (import.meta.main) main();
