/**
 * Halide's `apps/blur`: the 3×3 uint16 box blur, separable, reading to the right and downwards so that the output
 * ((w−2)×(h−2)) needs no boundary condition:
 *
 * ```
 * blur_x(x, y) = (input(x, y) + input(x+1, y) + input(x+2, y)) / 3
 * blur_y(x, y) = (blur_x(x, y) + blur_x(x, y+1) + blur_x(x, y+2)) / 3
 * ```
 *
 * Inputs are 12-bit values, as `apps/blur/test.cpp` makes them (so the uint16 sums do not wrap, and a library
 * blur computes the same thing up to rounding).
 *
 * @example
 * ```ts
 * import { blur } from "./app.ts";
 * const inputs = blur.makeInputs(blur.testSize, 1);
 * const d = blur.define(inputs, blur.testSize);
 * blur.schedules.hand(d, blur.testSize);
 * ```
 *
 * @module
 */
import * as hl from "../../../mod.ts";
import { type App, type Defined, type Library, type Size, seededBuffer, u16Data } from "../app.ts";
import { blurPlain } from "./plain.ts";

/** The Funcs and Vars of one blur instance. */
export interface BlurFuncs extends Defined {
  readonly blurX: hl.Func;
  readonly blurY: hl.Func;
  readonly x: hl.Var;
  readonly y: hl.Var;
}

function define([input]: readonly hl.Buffer[]): BlurFuncs {
  const x = new hl.Var("x"), y = new hl.Var("y");
  const blurX = new hl.Func("blur_x"), blurY = new hl.Func("blur_y");
  blurX.at(x, y).set(input.at(x, y).add(input.at(x.add(1), y)).add(input.at(x.add(2), y)).div(3));
  blurY.at(x, y).set(blurX.at(x, y).add(blurX.at(x, y.add(1))).add(blurX.at(x, y.add(2))).div(3));
  return { output: blurY, stages: [blurX], blurX, blurY, x, y };
}

/** Strips of 32 rows across the threads, vectors of 16 × u16 (one AVX2 register). */
function strips({ blurY, x, y }: BlurFuncs): void {
  blurY.split(y, y, new hl.Var("yi"), 32).parallel(y).vectorize(x, 16);
}

/** sharp's 3×3 convolution of a 16-bit grey image (a Uint16Array input is raw 16-bit), cropped to the output. */
const sharpBlur: Library = {
  label: "sharp convolve 3×3",
  note: "libvips rounds the 3×3 mean once (round(sum/9)); the app truncates twice ((sum_x/3)/3)",
  tolerance: { kind: "abs", abs: 1 },
  async prepare([input], out) {
    const sharp = await importSharp();
    if (!sharp) return undefined;
    const [w, h] = [input.width, input.height];
    const src = u16Data(input), dst = u16Data(out);
    return async () => {
      const res = await sharp(src, { raw: { width: w, height: h, channels: 1 } })
        .toColourspace("grey16")
        .convolve({ width: 3, height: 3, kernel: [1, 1, 1, 1, 1, 1, 1, 1, 1] })
        .raw({ depth: "ushort" })
        .toBuffer();
      // sharp extracts before it convolves, whatever the call order: crop its w×h result to the app's output.
      const full = new Uint16Array(res.buffer, res.byteOffset, w * h);
      for (let y = 0; y < h - 2; y++) dst.set(full.subarray((y + 1) * w + 1, (y + 1) * w + w - 1), y * (w - 2));
    };
  },
};

/** The subset of sharp's API the suite uses. */
export interface SharpPipeline {
  toColourspace(space: string): SharpPipeline;
  convolve(k: { width: number; height: number; kernel: number[]; scale?: number }): SharpPipeline;
  raw(o: { depth: string }): SharpPipeline;
  toBuffer(): Promise<Uint8Array>;
}

/** sharp's default export. */
export type Sharp = ((input: Uint8Array | Uint16Array | Float32Array, o: { raw: { width: number; height: number; channels: number } }) =>
  SharpPipeline) & { concurrency(n?: number): number };

/**
 * sharp, when it is installed (it is a devDependency: `npm install`), with libvips using every core as Halide's
 * thread pool does; undefined otherwise.
 *
 * @example
 * ```ts
 * const sharp = await importSharp();
 * ```
 */
export async function importSharp(): Promise<Sharp | undefined> {
  try {
    const name = "sharp"; // not a literal import, so that the suite type-checks and runs without it
    const mod = (await import(name)) as { default: Sharp };
    mod.default.concurrency(navigator.hardwareConcurrency ?? 2);
    return mod.default;
  } catch {
    return undefined;
  }
}

/** The blur app. */
export const blur: App<BlurFuncs> = {
  name: "blur",
  summary: "3×3 box blur, uint16, separable (apps/blur)",
  standardSize: [1536, 2560],
  testSize: [70, 68],
  makeInputs: (size: Size, seed: number) => [seededBuffer(hl.UInt(16), size, seed, (u) => u & 0xfff, "input")],
  outputShape: ([w, h]) => ({ type: hl.UInt(16), mins: [0, 0], extents: [w - 2, h - 2] }),
  define,
  schedules: {
    hand: (d) => {
      strips(d);
      d.blurX.storeAt(d.blurY, d.y).computeAt(d.blurY, d.x).vectorize(d.x, 16);
    },
    strip: (d) => {
      strips(d);
      d.blurX.computeAt(d.blurY, d.y).vectorize(d.x, 16);
    },
    inline: () => {},
  },
  handNotes: "verbatim: blur_y.split(y, y, yi, 32).parallel(y).vectorize(x, 16); " +
    "blur_x.store_at(blur_y, y).compute_at(blur_y, x).vectorize(x, 16) (sliding window, storage folded to 4 rows). " +
    "Extra schedules: strip = blur_x.compute_at(blur_y, y) per strip (no sliding window); inline = the default.",
  plain([input], out, [w, h]) {
    const src = u16Data(input), tmp = new Uint16Array((w - 2) * h), dst = u16Data(out);
    return () => blurPlain(src, w, h, tmp, dst);
  },
  tolerance: { kind: "exact" },
  library: sharpBlur,
  pixels: ([w, h]) => (w - 2) * (h - 2),
};
