// Port of Halide's python_bindings/tutorial/lesson_05_scheduling_1.py. The lesson's schedules are checked twice:
// the values they compute (every pixel, in process), and the order in which they visit the pixels (the lesson's
// trace_stores output), read from a child process whose pipelines print each point they compute.
// `tile(g)(...)` is `g.tile(...)` (see helpers.ts: Func.tile's declared type accepts only the 3-list form).
import { beforeAll, describe, expect, it } from "bun:test";
import * as hl from "../../mod.ts";
import { expectCorrectGuarded, runScript, tile } from "../schedule/helpers.ts";

const x = new hl.Var("x"), y = new hl.Var("y");

function gradient(name: string): hl.Func {
  const g = new hl.Func(name);
  g.at(x, y).set(x.add(y));
  return g;
}

/** Every pixel of `out` is x + y. */
function expectGradient(out: hl.Buffer, width: number, height: number): void {
  expect([out.width, out.height]).toEqual([width, height]);
  let wrong = "";
  for (let j = 0; j < height && !wrong; j++) {
    for (let i = 0; i < width; i++) {
      if (out.get([i, j]) !== i + j) {
        wrong = `(${i}, ${j}) is ${out.get([i, j])}`;
        break;
      }
    }
  }
  expect(wrong).toBe("");
}

/** The trace lines (`value x y`) of gradient evaluations at these points, in this order. */
function order(points: Iterable<[number, number]>): string[] {
  return [...points].map(([i, j]) => `${i + j} ${i} ${j}`);
}

function* rowMajor(w: number, h: number): Generator<[number, number]> {
  for (let j = 0; j < h; j++) for (let i = 0; i < w; i++) yield [i, j];
}

describe("tutorial lesson 5: the values each schedule computes", () => {
  it("default (row-major) order", () => {
    expectGradient(gradient("gradient").realize([4, 4]), 4, 4);
  });

  it("reorder(y, x): column-major", () => {
    const g = gradient("gradient_col_major").reorder(y, x);
    expectGradient(g.realize([4, 4]), 4, 4);
    expect(g.splitVars().map((v) => v.name)).toEqual(["y", "x", "__outermost"]);
  });

  it("split(x, x_outer, x_inner, 2)", () => {
    const g = gradient("gradient_split").split(x, new hl.Var("x_outer"), new hl.Var("x_inner"), 2);
    expectGradient(g.realize([4, 4]), 4, 4);
    expect(g.splitVars().map((v) => v.name)).toEqual(["x_inner", "x_outer", "y", "__outermost"]);
  });

  it("fuse(x, y, fused)", () => {
    const g = gradient("gradient_fused").fuse(x, y, new hl.Var("fused"));
    expectGradient(g.realize([4, 4]), 4, 4);
    expect(g.splitVars().map((v) => v.name)).toEqual(["fused", "__outermost"]);
  });

  it("2x2 tiles by split, split, reorder", () => {
    const [xo, xi, yo, yi] = [new hl.Var(), new hl.Var(), new hl.Var(), new hl.Var()];
    const g = gradient("gradient_tiled").split(x, xo, xi, 2).split(y, yo, yi, 2).reorder(xi, yi, xo, yo);
    expectGradient(g.realize([4, 4]), 4, 4);
    expect(g.splitVars().map((v) => v.name)).toEqual([xi.name, yi.name, xo.name, yo.name, "__outermost"]);
  });

  it("split by 4 and vectorize the inner loop (8x4)", () => {
    const xo = new hl.Var("x_outer"), xi = new hl.Var("x_inner");
    const g = gradient("gradient_in_vectors").split(x, xo, xi, 4).vectorize(xi);
    expectGradient(g.realize([8, 4]), 8, 4);
  });

  it("split by 2 and unroll the inner loop", () => {
    const xo = new hl.Var("x_outer"), xi = new hl.Var("x_inner");
    const g = gradient("gradient_unroll").split(x, xo, xi, 2).unroll(xi);
    expectGradient(g.realize([4, 4]), 4, 4);
  });

  it("split by 2 over a 5x4 box (ShiftInwards, the default) is right, also inside a larger buffer", () => {
    const g = gradient("gradient_split_5x4").split(x, new hl.Var("x_outer"), new hl.Var("x_inner"), 2);
    expectGradient(g.realize([5, 4]), 5, 4);
    // Recomputing the last chunk must not write past the 5 columns: realize into a crop with a guard band.
    expectCorrectGuarded(g, [[0, 5], [0, 4]]);
    expectCorrectGuarded(g, [[-7, 5], [3, 4]]);
  });

  it("fused tiles in parallel", () => {
    const [xo, yo, xi, yi, tileIndex] = ["x_outer", "y_outer", "x_inner", "y_inner", "tile_index"].map((n) => new hl.Var(n));
    const g = tile(gradient("gradient_fused_tiles"))(x, y, xo, yo, xi, yi, 2, 2).fuse(xo, yo, tileIndex).parallel(tileIndex);
    expectGradient(g.realize([4, 4]), 4, 4);
    expect(g.splitVars().map((v) => v.name)).toEqual(["x_inner", "y_inner", "tile_index", "__outermost"]);
  });

  it("fused, tiled, vectorized and unrolled: 256x256 tiles in parallel, 4x2 sub-tiles, 800x600", () => {
    const [xo, yo, xi, yi, tileIndex] = ["x_outer", "y_outer", "x_inner", "y_inner", "tile_index"].map((n) => new hl.Var(n));
    const [xio, yio, xv, yp] = ["x_inner_outer", "y_inner_outer", "x_vectors", "y_pairs"].map((n) => new hl.Var(n));
    const g = gradient("gradient_fast");
    tile(g)(x, y, xo, yo, xi, yi, 256, 256).fuse(xo, yo, tileIndex).parallel(tileIndex);
    tile(g)(xi, yi, xio, yio, xv, yp, 4, 2).vectorize(xv).unroll(yp);
    expect(g.splitVars().map((v) => v.name)).toEqual(["x_vectors", "y_pairs", "x_inner_outer", "y_inner_outer", "tile_index", "__outermost"]);
    expectGradient(g.realize([800, 600]), 800, 600);
    // The same schedule realized with non-zero mins and into a crop of a larger buffer.
    expectCorrectGuarded(g, [[-300, 600], [17, 300]], 1);
  });
});

describe("tutorial lesson 5: the order each schedule visits the pixels (trace from a child process)", () => {
  let sections = new Map<string, string[]>();
  beforeAll(() => {
    const out = runScript(new URL("./lesson_05_trace_fixture.ts", import.meta.url).pathname);
    sections = new Map();
    let current: string[] | undefined;
    for (const line of out.split("\n")) {
      const m = /^== (\S+)$/.exec(line);
      if (m) sections.set(m[1], current = []);
      else if (line.trim() !== "" && current) current.push(line.trim());
    }
  });

  it("the child ran every section", () => {
    expect([...sections.keys()]).toEqual([
      "row_major",
      "col_major",
      "split",
      "fused",
      "tiled",
      "tile_call",
      "in_vectors",
      "unrolled",
      "split_5x4",
      "split_5x4_guarded",
      "fused_tiles_parallel",
      "end",
    ]);
  });

  it("default: y outer, x inner", () => {
    expect(sections.get("row_major")).toEqual(order(rowMajor(4, 4)));
  });

  it("reorder(y, x): x outer, y inner", () => {
    const pts: [number, number][] = [];
    for (let i = 0; i < 4; i++) for (let j = 0; j < 4; j++) pts.push([i, j]);
    expect(sections.get("col_major")).toEqual(order(pts));
  });

  it("split x by 2: still row-major", () => {
    expect(sections.get("split")).toEqual(order(rowMajor(4, 4)));
  });

  it("fuse(x, y): one loop in row-major order", () => {
    const pts: [number, number][] = [];
    for (let fused = 0; fused < 16; fused++) pts.push([fused % 4, Math.floor(fused / 4)]);
    expect(sections.get("fused")).toEqual(order(pts));
  });

  it("2x2 tiles: tile by tile, each tile row-major", () => {
    const pts: [number, number][] = [];
    for (let yo = 0; yo < 2; yo++) {
      for (let xo = 0; xo < 2; xo++) {
        for (let yi = 0; yi < 2; yi++) for (let xi = 0; xi < 2; xi++) pts.push([xo * 2 + xi, yo * 2 + yi]);
      }
    }
    expect(sections.get("tiled")).toEqual(order(pts));
    expect(sections.get("tile_call")).toEqual(order(pts));
  });

  it("vectorized by 4: every point of 8x4 once, vector by vector in row-major order", () => {
    const got = sections.get("in_vectors")!;
    expect([...got].sort()).toEqual(order(rowMajor(8, 4)).sort());
    // Whatever the order inside one vector, the vectors (groups of 4 lines) come in row-major order.
    const groups = Array.from({ length: 8 }, (_, k) => [...got.slice(4 * k, 4 * k + 4)].sort().join("|"));
    const want = Array.from({ length: 8 }, (_, k) => {
      const xo = k % 2, yy = Math.floor(k / 2);
      return order([0, 1, 2, 3].map((i): [number, number] => [xo * 4 + i, yy])).sort().join("|");
    });
    expect(groups).toEqual(want);
  });

  it("unrolled by 2: row-major", () => {
    expect(sections.get("unrolled")).toEqual(order(rowMajor(4, 4)));
  });

  it("split by 2 over 5x4 (ShiftInwards): the last chunk shifts inwards and recomputes x = 3", () => {
    const pts: [number, number][] = [];
    for (let yy = 0; yy < 4; yy++) {
      for (let xo = 0; xo < 3; xo++) {
        for (let xi = 0; xi < 2; xi++) pts.push([Math.min(xo * 2, 3) + xi, yy]);
      }
    }
    expect(pts.filter(([i, j]) => i === 3 && j === 0)).toHaveLength(2);
    expect(sections.get("split_5x4")).toEqual(order(pts));
  });

  it("split by 2 over 5x4 with GuardWithIf: every point once, nothing recomputed", () => {
    expect(sections.get("split_5x4_guarded")).toEqual(order(rowMajor(5, 4)));
  });

  it("fused tiles in parallel: every point exactly once (in some order)", () => {
    expect([...sections.get("fused_tiles_parallel")!].sort()).toEqual(order(rowMajor(4, 4)).sort());
  });
});
