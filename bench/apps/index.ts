/**
 * The app suite: the apps that run, in benchmark order, and those waiting for language features.
 *
 * @example
 * ```ts
 * import { APPS, PENDING_APPS } from "./index.ts";
 * console.log(APPS.map((a) => a.name), PENDING_APPS.map((a) => a.pending));
 * ```
 *
 * @module
 */
import type { App, PendingApp } from "./app.ts";
import { blur } from "./blur/app.ts";
import { unsharp } from "./unsharp/app.ts";
import { harris } from "./harris/app.ts";
import { hist } from "./hist/app.ts";
import { INTERPOLATE_BLOCKED, interpolate } from "./interpolate/app.ts";
import { STENCIL_CHAIN_BLOCKED, stencilChain } from "./stencil_chain/app.ts";

/** The apps the harness runs (each also has tests in tests/apps/). */
export const APPS: readonly App[] = [blur, unsharp, harris, hist];

/**
 * Apps listed by the harness but not run: those written against the reductions API (API.md §1–§3), until update
 * definitions exist, and those a compiler problem blocks (each says which).
 */
export const PENDING_APPS: readonly PendingApp[] = [
  { name: "stencil_chain", summary: stencilChain().summary, pending: STENCIL_CHAIN_BLOCKED },
  { name: "interpolate", summary: interpolate.summary, pending: INTERPOLATE_BLOCKED },
  {
    name: "local_laplacian",
    summary: "local Laplacian filter, 8 pyramid levels × 8 intensity levels, uint16 RGB (apps/local_laplacian)",
    pending: "not written yet; its ~100-Func pyramids would meet interpolate's lowering-time problem first",
  },
  ...[
    ["bilateral_grid", "bilateral grid, float: RDom splat into the grid, blur, trilinear slice (apps/bilateral_grid)"],
    ["iir_blur", "first-order IIR blur down the columns and back, transposed, twice, float RGB (apps/iir_blur)"],
    ["conv_layer", "3×3 convolution layer + bias + ReLU, float, N=5, 128→128 channels, 100×80 (apps/conv_layer)"],
    ["mat_mul", "matrix multiplication, float, 1536² (apps/mat_mul)"],
  ].map(([name, summary]) => ({
    name,
    summary,
    pending: "not written yet (update definitions and RDoms now exist on main)",
  })),
];
