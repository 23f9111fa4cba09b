/**
 * Histogram equalization: spreads the gray levels of a low-contrast image over the whole range. Three update
 * definitions at work — a histogram (a data-dependent left-hand side, factored with `rfactor` so that rows are
 * counted in parallel), its cumulative sum (a scan), and the remapping of every pixel through it.
 *
 *   bun examples/histogram_equalization.ts [input.png]      (a synthetic low-contrast image if none is given)
 *   deno run -A examples/histogram_equalization.ts [input.png]
 *
 * Writes out/histogram_equalization_{input,output}.png and prints timings.
 *
 * @module
 */
import { mkdirSync } from "node:fs";
import process from "node:process";
import * as hl from "../mod.ts";
import { imread, imwrite } from "../imageio.ts";

/**
 * The equalization pipeline for an 8-bit gray image: `output(x, y) = 255 · cdf(input(x, y)) / pixels`, where
 * `cdf` is the cumulative histogram. Returns the output Func and the histogram Func (for inspection).
 *
 * @example
 * ```ts
 * const { output } = equalization(inputBuffer);
 * const out = output.realize([inputBuffer.width, inputBuffer.height]);
 * ```
 */
export function equalization(input: hl.Buffer): { output: hl.Func; histogram: hl.Func; cdf: hl.Func } {
  const x = new hl.Var("x"), y = new hl.Var("y"), i = new hl.Var("i"), u = new hl.Var("u");
  const r = new hl.RDom(input);
  const histogram = new hl.Func("histogram");
  histogram.at(i).set(0);
  histogram.at(hl.i32(input.at(r.x, r.y))).addAssign(1);

  const cdf = new hl.Func("cdf");
  const b = new hl.RDom([[1, 255]]);
  cdf.at(i).set(histogram.at(i));
  cdf.at(b).set(cdf.at(b.sub(1)).add(cdf.at(b)));

  const pixels = input.width * input.height;
  const output = new hl.Func("equalized");
  output.at(x, y).set(hl.u8(hl.i64(cdf.at(hl.i32(input.at(x, y)))).mul(255).div(pixels)));

  // Schedule: count each row's histogram in parallel (rfactor), merge them, scan, remap in parallel SIMD. The
  // tails are guarded, so that any image size works (RoundUp would read rows past the input's last one).
  const guard = hl.TailStrategy.GuardWithIf;
  const intermediate = histogram.update(0).rfactor(r.y, u);
  intermediate.computeRoot().vectorize(i, 16).update(0).parallel(u, 16, guard);
  histogram.computeRoot().vectorize(i, 16);
  cdf.computeRoot();
  cdf.update(0).unscheduled();
  output.vectorize(x, 16, guard).parallel(y, 8, guard);
  return { output, histogram, cdf };
}

/** A synthetic low-contrast gray image: soft gradients squeezed into gray levels 96…159. */
function syntheticImage(width: number, height: number): hl.Buffer {
  const img = new hl.Buffer(hl.UInt(8), [width, height], "low_contrast");
  img.forEachElement(([px, py]) => {
    const v = 0.5 + 0.25 * Math.sin(px / 57) * Math.cos(py / 43) + 0.25 * Math.sin((px + py) / 211);
    img.set([px, py], 96 + Math.round(63 * v));
  });
  return img;
}

/** The first channel of an image file as an 8-bit gray Buffer. */
function grayOf(path: string): hl.Buffer {
  const img = imread(path);
  return img.dimensions === 2 ? img : img.sliced(2, 0);
}

if (import.meta.main) {
  const path = process.argv[2];
  const input = path ? grayOf(path) : syntheticImage(1536, 2560);
  const { output } = equalization(input);
  let t = performance.now();
  output.compileJit();
  const compileMs = performance.now() - t;
  const out = new hl.Buffer(hl.UInt(8), [input.width, input.height]);
  const times: number[] = [];
  for (let k = 0; k < 20; k++) {
    t = performance.now();
    output.realize(out);
    times.push(performance.now() - t);
  }
  mkdirSync("out", { recursive: true });
  imwrite("out/histogram_equalization_input.png", input);
  imwrite("out/histogram_equalization_output.png", out);
  const range = (b: hl.Buffer) => {
    let lo = 255, hi = 0;
    b.forEachValue((v) => {
      lo = Math.min(lo, Number(v));
      hi = Math.max(hi, Number(v));
    });
    return `${lo}…${hi}`;
  };
  const sorted = [...times].sort((p, q) => p - q);
  console.log(`histogram equalization of ${input.width}×${input.height} (${path ?? "synthetic image"})`);
  console.log(`  gray levels: input ${range(input)}, output ${range(out)}`);
  console.log(`  JIT compile: ${compileMs.toFixed(1)} ms; realize min / median: ${sorted[0].toFixed(2)} / ${sorted[10].toFixed(2)} ms`);
  console.log(`  wrote out/histogram_equalization_input.png and out/histogram_equalization_output.png`);
}
