/**
 * Halide's `apps/interpolate`: multi-scale push-pull interpolation of a float RGBA image with premultiplied
 * alpha (10 pyramid levels). Downsampling by [1 2 1]/4 in x then y, then upsampling and blending each level with
 * the coarser one where its alpha leaves room; the output is the RGB of level 0 divided by its alpha.
 *
 * @example
 * ```ts
 * import { interpolate } from "./app.ts";
 * const d = interpolate.define(interpolate.makeInputs(interpolate.testSize, 1), interpolate.testSize);
 * interpolate.schedules.hand(d, interpolate.testSize);
 * ```
 *
 * @module
 */
import * as hl from "../../../mod.ts";
import { type App, type Defined, seededBuffer, xorshift } from "../app.ts";
import { interpolatePlain, LEVELS } from "./plain.ts";

/** The Funcs and Vars of one interpolate instance. */
export interface InterpolateFuncs extends Defined {
  readonly downsampled: readonly hl.Func[];
  readonly downx: readonly hl.Func[];
  readonly interpolated: readonly hl.Func[];
  readonly x: hl.Var;
  readonly y: hl.Var;
  readonly c: hl.Var;
  readonly width: number;
  readonly height: number;
}

function define([input]: readonly hl.Buffer[]): InterpolateFuncs {
  const x = new hl.Var("x"), y = new hl.Var("y"), c = new hl.Var("c");
  const funcs = (name: string) => Array.from({ length: LEVELS }, (_, l) => new hl.Func(`${name}_${l}`));
  const downsampled = funcs("downsampled"), downx = funcs("downx"), interpolated = funcs("interpolated");
  const upsampled = funcs("upsampled"), upsampledx = funcs("upsampledx");
  const clamped = hl.BoundaryConditions.repeatEdge(input);
  downsampled[0].at(x, y, c).set(
    hl.select(c.lt(3), clamped.at(x, y, c).mul(clamped.at(x, y, 3)), clamped.at(x, y, 3)),
  );
  for (let l = 1; l < LEVELS; l++) {
    let prev = downsampled[l - 1];
    if (l === 4) {
      // A boundary condition halfway up, so that the downsamplings do not reach 512 pixels beyond the image.
      const w = Math.floor(input.width / (1 << (l - 1))), h = Math.floor(input.height / (1 << (l - 1)));
      prev = hl.lambda(x, y, c, prev.at(hl.clamp(x, 0, w), hl.clamp(y, 0, h), c));
    }
    downx[l].at(x, y, c).set(
      prev.at(x.mul(2).sub(1), y, c).add(prev.at(x.mul(2), y, c).mul(2)).add(prev.at(x.mul(2).add(1), y, c)).mul(0.25),
    );
    downsampled[l].at(x, y, c).set(
      downx[l].at(x, y.mul(2).sub(1), c).add(downx[l].at(x, y.mul(2), c).mul(2)).add(downx[l].at(x, y.mul(2).add(1), c))
        .mul(0.25),
    );
  }
  interpolated[LEVELS - 1].at(x, y, c).set(downsampled[LEVELS - 1].at(x, y, c));
  for (let l = LEVELS - 2; l >= 0; l--) {
    const next = interpolated[l + 1];
    upsampledx[l].at(x, y, c).set(next.at(x.div(2), y, c).add(next.at(x.add(1).div(2), y, c)).div(hl.f32(2)));
    upsampled[l].at(x, y, c).set(
      upsampledx[l].at(x, y.div(2), c).add(upsampledx[l].at(x, y.add(1).div(2), c)).div(hl.f32(2)),
    );
    const alpha = hl.f32(1).sub(downsampled[l].at(x, y, 3));
    interpolated[l].at(x, y, c).set(downsampled[l].at(x, y, c).add(alpha.mul(upsampled[l].at(x, y, c))));
  }
  const normalize = new hl.Func("normalize");
  normalize.at(x, y, c).set(interpolated[0].at(x, y, c).div(interpolated[0].at(x, y, 3)));
  return {
    output: normalize,
    stages: [...downsampled, ...downx.slice(1), ...interpolated, ...upsampled.slice(0, -1), ...upsampledx.slice(0, -1)],
    downsampled,
    downx,
    interpolated,
    x,
    y,
    c,
    width: input.width,
    height: input.height,
  };
}

/** Halide's CPU schedule (apps/interpolate, current version). */
function hand(d: InterpolateFuncs): void {
  const { downsampled, downx, interpolated, output: normalize, x, y, c } = d;
  const vec = hl.getHostTarget().naturalVectorSize(hl.Float(32));
  const [xo, xi, yo, yi] = ["xo", "xi", "yo", "yi"].map((n) => new hl.Var(n));
  for (let l = 1; l < LEVELS - 1; l++) {
    downsampled[l].computeRoot().neverPartition([x]).reorder(x, c, y).split(y, yo, yi, 8).parallel(yo)
      .vectorize(x, vec);
  }
  downsampled[0].cloneIn(downx[1]).storeAt(downsampled[1], yo).computeAt(downsampled[1], yi).reorder(c, x, y)
    .unroll(c).vectorize(x, vec).neverPartition([y]);
  normalize.bound(x, 0, d.width).bound(y, 0, d.height).bound(c, 0, 3).neverPartition([y])
    .split(x, xo, xi, vec).split(y, yo, yi, 32).reorder(xi, c, xo, yi, yo).unroll(c).vectorize(xi).parallel(yo);
  for (let l = 1; l < LEVELS; l++) {
    interpolated[l].storeAt(normalize, yo).computeAt(normalize, yi).neverPartition([x, y, c]).vectorize(x, vec);
  }
}

/** Premultiplied RGBA: sparse opaque samples (a quarter of the pixels have alpha 1, the rest 0), random colour. */
function makeInputs(size: readonly number[], seed: number): hl.Buffer[] {
  const alpha = xorshift(seed + 1), plane = size[0] * size[1];
  let i = 0;
  return [
    seededBuffer(hl.Float(32), size, seed, (u) => (i++ >= 3 * plane ? (alpha() % 4 === 0 ? 1 : 0) : u / 2 ** 32), "input"),
  ];
}

/**
 * Why the benchmark and the schedule tests do not run this app yet: at 67×45 halide-ts needs minutes to lower it
 * (over 180 s with the hand schedule, 340 s all-computeRoot): the region of each pyramid level is written out in
 * terms of its consumers' region expressions rather than names bound to them, so they grow exponentially with
 * the levels (as for stencil_chain); and the hand schedule's `unroll(c)` of downsampled[0]'s clone is rejected
 * because c's extent is still symbolic when unrolling is checked (Halide knows it is 4 by then).
 */
export const INTERPOLATE_BLOCKED = "lowering takes minutes even at 67×45 (bounds expressions of the 10 pyramid " +
  "levels grow exponentially, as for stencil_chain), and unroll(c) of the clone is rejected as non-constant " +
  "(see bench/RESULTS.md)";

/** The interpolate app. */
export const interpolate: App<InterpolateFuncs> = {
  name: "interpolate",
  summary: "push-pull interpolation of sparse RGBA samples, 10 pyramid levels, float (apps/interpolate)",
  standardSize: [1536, 2560, 4],
  testSize: [67, 45, 4],
  makeInputs,
  outputShape: ([w, h]) => ({ type: hl.Float(32), mins: [0, 0, 0], extents: [w, h, 3] }),
  define,
  schedules: { hand },
  handNotes: "verbatim, the current version (vec = natural vector size of float32): downsampled[1..8].compute_root()" +
    ".never_partition(x).reorder(x, c, y).split(y, yo, yi, 8).parallel(yo).vectorize(x, vec); downsampled[0]" +
    ".clone_in(downx[1]) stored per strip of downsampled[1], computed per row; normalize split 32-row strips, " +
    "vectorized, c unrolled; interpolated[1..9].store_at(normalize, yo).compute_at(normalize, yi). Halide 14 lacks " +
    "never_partition and runs the rest",
  plain: ([input], out, [w, h]) => interpolatePlain(input, out, w, h),
  tolerance: { kind: "rel", rel: 1e-5 },
  pixels: ([w, h]) => w * h,
};
