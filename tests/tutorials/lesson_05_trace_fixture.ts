/**
 * Child process of lesson_05_scheduling_1.test.ts. Halide's lesson 5 shows the order in which each schedule
 * evaluates the gradient with `trace_stores`; here every evaluation prints `value x y` through `hl.print` (which
 * reaches standard output in order). Each schedule is preceded by a line `== <name>`; the output ends with `== end`.
 *
 * @module
 */
import * as hl from "../../mod.ts";

const x = new hl.Var("x"), y = new hl.Var("y");

/** `g.tile(x, y, xo, yo, xi, yi, xf, yf)` (Func.tile's declared type accepts only the 3-list form: a reported bug). */
const tile = (g: hl.Func) =>
(x: hl.Var, y: hl.Var, xo: hl.Var, yo: hl.Var, xi: hl.Var, yi: hl.Var, xf: number, yf: number): hl.Func =>
  (g.tile as (...a: unknown[]) => hl.Func)(x, y, xo, yo, xi, yi, xf, yf);

/** gradient(x, y) = x + y, printing each point it computes. */
function tracedGradient(name: string): hl.Func {
  const g = new hl.Func(name);
  g.at(x, y).set(hl.print(x.add(y), x, y));
  return g;
}

function section(name: string, sizes: number[], schedule: (g: hl.Func) => void): void {
  const g = tracedGradient(name);
  schedule(g);
  console.log(`== ${name}`);
  try {
    g.realize(sizes);
  } catch (e) {
    console.log(`!! ${e instanceof Error ? e.message : String(e)}`); // the test shows it as a wrong trace
  }
}

const v = (n: string) => new hl.Var(n);

section("row_major", [4, 4], () => {});
section("col_major", [4, 4], (g) => g.reorder(y, x));
section("split", [4, 4], (g) => g.split(x, v("x_outer"), v("x_inner"), 2));
section("fused", [4, 4], (g) => g.fuse(x, y, v("fused")));
section("tiled", [4, 4], (g) => {
  const [xo, xi, yo, yi] = [v("x_outer"), v("x_inner"), v("y_outer"), v("y_inner")];
  g.split(x, xo, xi, 2).split(y, yo, yi, 2).reorder(xi, yi, xo, yo);
});
section("tile_call", [4, 4], (g) => tile(g)(x, y, v("x_outer"), v("y_outer"), v("x_inner"), v("y_inner"), 2, 2));
section("in_vectors", [8, 4], (g) => g.split(x, v("x_outer"), v("x_inner"), 4).vectorize(v("x_inner")));
section("unrolled", [4, 4], (g) => g.split(x, v("x_outer"), v("x_inner"), 2).unroll(v("x_inner")));
section("split_5x4", [5, 4], (g) => g.split(x, v("x_outer"), v("x_inner"), 2));
section("split_5x4_guarded", [5, 4], (g) => g.split(x, v("x_outer"), v("x_inner"), 2, hl.TailStrategy.GuardWithIf));
section("fused_tiles_parallel", [4, 4], (g) => {
  const tileIndex = v("tile_index");
  tile(g)(x, y, v("x_outer"), v("y_outer"), v("x_inner"), v("y_inner"), 2, 2)
    .fuse(v("x_outer"), v("y_outer"), tileIndex)
    .parallel(tileIndex);
});
console.log("== end");
