/**
 * Halide's `apps/stencil_chain`: a chain of 5×5 weighted stencils over a uint16 image (32 by default), each
 * `s_{k+1}(x, y) = Σ_{i,j ∈ [−2, 2]} (i+3)(j+3)·s_k(x+i, y+j)` with wrapping uint16 arithmetic, from
 * `s_0 = repeat_edge(input)`.
 *
 * @example
 * ```ts
 * import { stencilChain } from "./app.ts";
 * const app = stencilChain(6);
 * const d = app.define(app.makeInputs(app.testSize, 1), app.testSize);
 * app.schedules.hand(d, app.testSize);
 * ```
 *
 * @module
 */
import * as hl from "../../../mod.ts";
import { type App, type Defined, seededBuffer } from "../app.ts";
import { stencilChainPlain } from "./plain.ts";

/** The Funcs of one stencil-chain instance: `chain[0]` is the boundary condition, `chain[k]` stage k−1. */
export interface StencilFuncs extends Defined {
  readonly chain: readonly hl.Func[];
  readonly x: hl.Var;
  readonly y: hl.Var;
}

/** Stencils between two compute_root stages in the hand schedule (the generator's `group_size`). */
const GROUP_SIZE = 11;

function define([input]: readonly hl.Buffer[], stencils: number): StencilFuncs {
  const x = new hl.Var("x"), y = new hl.Var("y");
  const chain: hl.Func[] = [hl.BoundaryConditions.repeatEdge(input)];
  for (let s = 0; s < stencils; s++) {
    const prev = chain[chain.length - 1], f = new hl.Func(`stage_${s}`);
    let e = hl.u16(0);
    for (let i = -2; i <= 2; i++) {
      for (let j = -2; j <= 2; j++) e = e.add(prev.at(x.add(i), y.add(j)).mul((i + 3) * (j + 3)));
    }
    f.at(x, y).set(e);
    chain.push(f);
  }
  const output = new hl.Func("stencil_chain");
  output.at(x, y).set(chain[chain.length - 1].at(x, y));
  return { output, stages: chain.slice(1), chain, x, y };
}

/**
 * Halide's CPU schedule: a compute_root stage every GROUP_SIZE stencils, each cut into 4×4 tiles over the
 * threads (its extent grows by 4 pixels per stencil still to come), the stencils in between stored per tile and
 * computed per row of it (sliding windows).
 */
function hand({ output, chain, x, y }: StencilFuncs, [w, h]: readonly number[]): void {
  const vec = hl.getHostTarget().naturalVectorSize(hl.UInt(16));
  const [xo, yo, xi, yi, t] = ["xo", "yo", "xi", "yi", "t"].map((n) => new hl.Var(n));
  const last = chain.length - 1;
  for (let j = last; j > 0; j -= GROUP_SIZE) {
    const out = j === last ? output : chain[j];
    const expansion = 4 * (last - j);
    out.computeRoot().tile(x, y, xo, yo, xi, yi, Math.floor((w + expansion) / 4), Math.floor((h + expansion) / 4))
      .fuse(xo, yo, t).parallel(t).vectorize(xi, vec);
    for (let i = Math.max(0, j - GROUP_SIZE + 1); i < j; i++) {
      chain[i].storeAt(out, t).computeAt(out, yi).vectorize(chain[i].args()[0], vec);
    }
  }
}

/**
 * Why the benchmark does not run this app yet: halide-ts's compile time of the hand schedule grows about 3× per
 * stencil in a sliding-window group (0.5 s for 2, 4 s for 5, 42 s for 7, the schedule has 10), because the region
 * of each stage is written out in terms of its consumer's region expression instead of a name bound to it, so the
 * bounds expressions double in size with every stage (bench/RESULTS.md).
 */
export const STENCIL_CHAIN_BLOCKED = "the hand schedule's compile time grows ~3× per stencil in a sliding-window " +
  "group (42 s for 7 of its 10): bounds expressions of each stage inline its consumer's instead of naming them " +
  "(src/lower bounds inference; see bench/RESULTS.md)";

/**
 * The stencil-chain app with `stencils` stages (the generator's `stencils`; 32 in Halide's benchmark).
 *
 * @example
 * ```ts
 * const app = stencilChain();
 * ```
 */
export function stencilChain(stencils = 32): App<StencilFuncs> {
  return {
    name: "stencil_chain",
    summary: `${stencils} chained 5×5 weighted stencils, uint16, repeat_edge (apps/stencil_chain)`,
    standardSize: [1536, 2560],
    // Tiles of the output are a quarter of it wide: at least one vector of uint16 (32 lanes with AVX-512).
    testSize: [128, 24],
    makeInputs: (size, seed) => [seededBuffer(hl.UInt(16), size, seed, (u) => u & 0xffff, "input")],
    outputShape: (size) => ({ type: hl.UInt(16), mins: [0, 0], extents: [...size] }),
    define: (inputs) => define(inputs, stencils),
    schedules: { hand },
    handNotes: "verbatim (vec = natural vector size of uint16, 32 with AVX-512; group_size 11): every 11th stage " +
      ".compute_root().tile(x, y, xo, yo, xi, yi, w/4, h/4).fuse(xo, yo, t).parallel(t).vectorize(xi, vec), the " +
      "stages between .store_at(it, t).compute_at(it, yi).vectorize(x, vec)",
    plain: ([input], out, [w, h]) => stencilChainPlain(input, out, w, h, stencils),
    tolerance: { kind: "exact" },
    pixels: ([w, h]) => w * h,
  };
}
