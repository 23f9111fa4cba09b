// The loop directives one by one and combined — split, fuse, tile (all four forms), reorder, rename, vectorize,
// unroll, parallel (with and without task size), serial — compared with the reference interpreter on outputs
// with non-zero mins inside a guarded crop, plus the loop names they produce (splitVars).
import { describe, expect, it } from "bun:test";
import * as hl from "../../mod.ts";
import { expectCorrectGuarded, expectOutputBoundsError, T, tile, vars } from "./helpers.ts";

const [x, y, z] = vars("x", "y", "z");
const [xo, xi, yo, yi, zo, zi, t, u, q] = vars("xo", "xi", "yo", "yi", "zo", "zi", "t", "u", "q");

function f2(name: string): hl.Func {
  const f = new hl.Func(name);
  f.at(x, y).set(x.mul(3).add(y.mul(1000)).add(1));
  return f;
}

function f3(name: string): hl.Func {
  const f = new hl.Func(name);
  f.at(x, y, z).set(x.add(y.mul(100)).add(z.mul(10000)));
  return f;
}

const names = (f: hl.Func) => f.splitVars().map((v) => v.name).filter((n) => n !== "__outermost");

describe("split", () => {
  it("names the new loops inner then outer, in place of the old one", () => {
    const f = f2("split_names").split(x, xo, xi, 4);
    expect(names(f)).toEqual(["xi", "xo", "y"]);
    f.split(y, yo, yi, 2);
    expect(names(f)).toEqual(["xi", "xo", "yi", "yo"]);
    expectCorrectGuarded(f, [[-3, 9], [5, 6]]);
  });

  it("may reuse the old name for the outer loop, as vectorize(x, n) does", () => {
    const f = f2("split_reuse").split(x, x, xi, 4);
    expect(names(f)).toEqual(["xi", "x", "y"]);
    expectCorrectGuarded(f, [[2, 11], [0, 3]]);
  });

  it("splits of splits: the outer loop and the inner loop split again", () => {
    const f = f2("split_nested").split(x, xo, xi, 16).split(xo, t, u, 3).split(xi, zo, zi, 4);
    expect(names(f)).toEqual(["zi", "zo", "u", "t", "y"]);
    for (const ext of [48, 50, 131]) expectCorrectGuarded(f, [[-7, ext], [1, 2]]);
    // Over 16 columns xo has extent 1, less than its split factor 3: ShiftInwards moves it before the min.
    expectOutputBoundsError(f, [[-7, 16], [1, 2]]);
  });

  it("a factor given as a narrower integer Expr (uint8) works", () => {
    const f = f2("split_u8").split(x, xo, xi, hl.u8(4)).vectorize(xi);
    expectCorrectGuarded(f, [[0, 10], [0, 3]]);
  });

  it("with a large factor on a long row", () => {
    const f = f2("split_large").split(x, xo, xi, 1000);
    expectCorrectGuarded(f, [[-500, 2345], [0, 2]], 1);
  });
});

describe("fuse", () => {
  it("fuse(x, y) into one loop, with non-zero mins", () => {
    const f = f2("fuse_xy").fuse(x, y, t);
    expect(names(f)).toEqual(["t"]);
    expectCorrectGuarded(f, [[-3, 5], [4, 7]]);
  });

  it("fuse then parallel", () => {
    const f = f2("fuse_parallel").fuse(x, y, t).parallel(t);
    expectCorrectGuarded(f, [[-3, 5], [4, 7]]);
    expectCorrectGuarded(f, [[0, 64], [0, 33]], 1);
  });

  it("fuse the inner loops of a tile and vectorize the fused loop (constant extent 4x2 = 8)", () => {
    const f = tile(f2("fuse_tile_inner"))(x, y, xo, yo, xi, yi, 4, 2).fuse(xi, yi, t).vectorize(t);
    expect(names(f)).toEqual(["t", "xo", "yo"]);
    expectCorrectGuarded(f, [[3, 8], [-1, 6]]);
    expectCorrectGuarded(f, [[3, 10], [-1, 7]]); // tails shift inwards in both dimensions
  });

  it("fuse the outer loops of a tile and run them in parallel (lesson 5's fused tiles)", () => {
    const f = tile(f2("fuse_tile_outer"))(x, y, xo, yo, xi, yi, 4, 4).fuse(xo, yo, t).parallel(t);
    expect(names(f)).toEqual(["xi", "yi", "t"]);
    expectCorrectGuarded(f, [[0, 16], [0, 8]]);
  });

  it("fuse the outer loop of a split with the next loop", () => {
    const f = f2("fuse_split_outer").split(x, xo, xi, 4).fuse(xo, y, t);
    expectCorrectGuarded(f, [[0, 16], [0, 3]]);
  });

  it("fuse all three loops of a 3-D Func into one, then parallelize it", () => {
    const f = f3("fuse_3d").fuse(x, y, t).fuse(t, z, u).parallel(u);
    expect(names(f)).toEqual(["u"]);
    expectCorrectGuarded(f, [[1, 3], [2, 4], [3, 5]], 1);
  });

  it("fuse y and z of a 3-D Func, then split the fused loop", () => {
    const f = f3("fuse_yz_split").fuse(y, z, t).split(t, q, u, 5);
    expectCorrectGuarded(f, [[0, 2], [-1, 3], [4, 4]], 1);
  });

  it("fuse then split the fused loop and vectorize its inner part", () => {
    const f = f2("fuse_then_split").fuse(x, y, t).split(t, q, u, 8).vectorize(u);
    expectCorrectGuarded(f, [[2, 5], [3, 7]]);
  });
});

describe("tile", () => {
  it("the 9-argument form orders the loops xi, yi, xo, yo", () => {
    const f = tile(f2("tile9"))(x, y, xo, yo, xi, yi, 4, 3);
    expect(names(f)).toEqual(["xi", "yi", "xo", "yo"]);
    expectCorrectGuarded(f, [[-4, 12], [7, 9]]);
  });

  it("the 7-argument form reuses x and y as the outer loops", () => {
    const f = tile(f2("tile7"))(x, y, xi, yi, 4, 3);
    expect(names(f)).toEqual(["xi", "yi", "x", "y"]);
    expectCorrectGuarded(f, [[-4, 13], [7, 10]]);
  });

  it("the 9- and 7-argument forms take a tail strategy", () => {
    const a = tile(f2("tile9_roundup"))(x, y, xo, yo, xi, yi, 4, 3, T.RoundUp);
    expectCorrectGuarded(a, [[0, 8], [0, 9]]);
    expectOutputBoundsError(a, [[0, 9], [0, 9]]);
    const b = tile(f2("tile7_roundup"))(x, y, xi, yi, 4, 3, T.RoundUp);
    expectCorrectGuarded(b, [[0, 8], [0, 9]]);
    expectOutputBoundsError(b, [[0, 8], [0, 10]]);
  });

  it("the list form with outers: three dimensions", () => {
    const f = tile(f3("tile_list4"))([x, y, z], [xo, yo, zo], [xi, yi, zi], [2, 3, 2]);
    expect(names(f)).toEqual(["xi", "yi", "zi", "xo", "yo", "zo"]);
    expectCorrectGuarded(f, [[1, 5], [-2, 7], [3, 4]], 1);
  });

  it("the list form without outers reuses the old names", () => {
    const f = tile(f3("tile_list3"))([x, y], [xi, yi], [4, 2]);
    expect(names(f)).toEqual(["xi", "yi", "x", "y", "z"]);
    expectCorrectGuarded(f, [[0, 9], [0, 5], [0, 2]], 1);
  });

  it("the list forms take a tail strategy", () => {
    const f = tile(f3("tile_list_roundup"))([x, y], [xo, yo], [xi, yi], [2, 2], T.RoundUp);
    expectCorrectGuarded(f, [[0, 4], [0, 6], [0, 2]], 1);
    expectOutputBoundsError(f, [[0, 4], [0, 5], [0, 2]], 1);
    const g = tile(f3("tile_list3_roundup"))([x, z], [xi, zi], [2, 2], T.RoundUp);
    expectCorrectGuarded(g, [[0, 4], [0, 3], [0, 2]], 1);
    expectOutputBoundsError(g, [[0, 4], [0, 3], [0, 3]], 1);
  });

  it("a tile of a tile (two levels, the lesson's 256x256 then 4x2 on a small scale)", () => {
    const [a, b, c, d] = vars("a", "b", "c", "d");
    const f = tile(tile(f2("tile_tile"))(x, y, xo, yo, xi, yi, 16, 8))(xi, yi, a, b, c, d, 4, 2).vectorize(c).unroll(d);
    expect(names(f)).toEqual(["c", "d", "a", "b", "xo", "yo"]);
    expectCorrectGuarded(f, [[-5, 40], [3, 19]], 1);
  });
});

describe("reorder", () => {
  it("every order of the three loops of a 3-D Func", () => {
    const perms: hl.Var[][] = [[x, y, z], [x, z, y], [y, x, z], [y, z, x], [z, x, y], [z, y, x]];
    for (const p of perms) {
      const f = f3(`reorder_${p.map((v) => v.name).join("")}`).reorder(...p);
      expect(names(f)).toEqual(p.map((v) => v.name));
      expectCorrectGuarded(f, [[1, 3], [-2, 4], [5, 2]], 1);
    }
  });

  it("reordering a subset keeps the other loops where they are", () => {
    const f = f3("reorder_subset").split(x, xo, xi, 2).reorder(z, xi);
    expect(names(f)).toEqual(["z", "xo", "y", "xi"]);
    expectCorrectGuarded(f, [[0, 6], [0, 3], [0, 2]], 1);
  });

  it("a vectorized loop outside other loops (vectorize after moving it out)", () => {
    const f = f2("vector_outside").split(x, xo, xi, 4).reorder(y, xi, xo).vectorize(xi);
    expect(names(f)).toEqual(["y", "xi", "xo"]);
    expectCorrectGuarded(f, [[1, 12], [2, 5]]);
  });

  it("an unrolled loop outside a vectorized one, and a parallel loop inside a vectorized one", () => {
    const a = f2("unroll_outside").split(x, xo, xi, 4).vectorize(xi).reorder(xi, xo, y).unroll(xo, 2);
    expectCorrectGuarded(a, [[0, 16], [0, 3]]);
    const b = f2("parallel_inside").split(x, xo, xi, 4).reorder(y, xi, xo).vectorize(xi).parallel(y);
    expectCorrectGuarded(b, [[0, 8], [-3, 5]]);
  });

  it("reorder after tile, 3-D, with the outermost tile loop in parallel", () => {
    const f = tile(f3("reorder_after"))(x, y, xo, yo, xi, yi, 2, 2).reorder(z, xi, yi).parallel(yo);
    // reorder(z, xi, yi) permutes only the slots those three occupy: [xi yi xo yo z] → [z xi xo yo yi].
    expect(names(f)).toEqual(["z", "xi", "xo", "yo", "yi"]);
    expectCorrectGuarded(f, [[0, 6], [1, 4], [-1, 3]], 1);
  });
});

describe("rename", () => {
  it("renames a pure loop; later directives use the new name", () => {
    const f = f2("rename_pure").rename(x, q);
    expect(names(f)).toEqual(["q", "y"]);
    f.split(q, xo, xi, 4).vectorize(xi);
    expect(names(f)).toEqual(["xi", "xo", "y"]);
    expectCorrectGuarded(f, [[-1, 10], [0, 3]]);
  });

  it("renames a loop made by split", () => {
    const f = f2("rename_split").split(x, xo, xi, 4).rename(xi, q).vectorize(q).rename(y, t).parallel(t);
    expect(names(f)).toEqual(["q", "xo", "t"]);
    expectCorrectGuarded(f, [[0, 9], [0, 3]]);
  });

  it("renaming to the name of a loop that was split away, then splitting with GuardWithIf, computes every element", () => {
    // After rename(q, xi) the renamed loop must not be confused with the earlier loop xi (split into a and b):
    // Halide names it x.q.xi. Factor 1 everywhere, so no split has a tail.
    const [a, b, c, d] = vars("a", "b", "c", "d");
    const f = new hl.Func("rename_reused");
    f.at(x).set(x.add(100));
    f.split(x, q, xi, 4).split(xi, a, b, 1).rename(q, xi).split(xi, c, d, 1, T.GuardWithIf);
    expect(names(f)).toEqual(["b", "a", "d", "c"]);
    expectCorrectGuarded(f, [[0, 4]]);
    expectCorrectGuarded(f, [[-3, 12]]);
  });

  it("renaming to a consumed name, with the default tail, computes every element", () => {
    const [a, b, c, d] = vars("a", "b", "c", "d");
    const f = new hl.Func("rename_reused_default");
    f.at(x).set(x.add(100));
    f.split(x, q, xi, 4).split(xi, a, b, 1).rename(q, xi).split(xi, c, d, 1);
    expectCorrectGuarded(f, [[0, 4]]);
    expectCorrectGuarded(f, [[-3, 12]]);
  });

  it("renames a fused loop", () => {
    const f = f2("rename_fused").fuse(x, y, t).rename(t, u).split(u, q, xi, 3);
    expectCorrectGuarded(f, [[-2, 4], [0, 5]]);
  });
});

describe("vectorize, unroll, parallel, serial", () => {
  it("vectorize(x) and unroll(x) without a factor on a loop of constant extent", () => {
    const f = f2("whole_loops").split(x, xo, xi, 8).vectorize(xi).split(y, yo, yi, 3).unroll(yi);
    expectCorrectGuarded(f, [[0, 16], [0, 6]]);
  });

  it("vectorize by the full width, then unroll the outer loop by 2", () => {
    const f = f2("vec_unroll").vectorize(x, 8).unroll(x, 2);
    // Two new (automatically named) inner loops, then x itself and y.
    expect(names(f).slice(2)).toEqual(["x", "y"]);
    expect(names(f)).toHaveLength(4);
    expectCorrectGuarded(f, [[3, 32], [0, 2]]);
    expectCorrectGuarded(f, [[3, 37], [0, 2]]);
  });

  it("parallel(y) alone, and parallel(y) with vectorize(x, 8)", () => {
    expectCorrectGuarded(f2("par_y").parallel(y), [[0, 7], [-5, 20]]);
    expectCorrectGuarded(f2("par_y_vec").parallel(y).vectorize(x, 8), [[1, 40], [-5, 20]]);
  });

  it("parallel with a task size: each task takes several rows", () => {
    for (const taskSize of [1, 2, 3, 7]) {
      const f = f2(`par_task_${taskSize}`).parallel(y, taskSize);
      expectCorrectGuarded(f, [[0, 5], [2, 20]]);
    }
  });

  it("parallel with a task size larger than the extent shifts inwards (an output bounds error)", () => {
    const f = f2("par_task_big").parallel(y, 16);
    expectCorrectGuarded(f, [[0, 3], [0, 16]]);
    expectOutputBoundsError(f, [[0, 3], [0, 10]]);
  });

  it("nested parallel loops: parallel y and parallel over the outer loop of a split x", () => {
    const f = f2("par_nested").split(x, xo, xi, 8).vectorize(xi).parallel(y).parallel(xo);
    expectCorrectGuarded(f, [[-4, 70], [1, 9]]);
  });

  it("vectorize + parallel + unroll combined", () => {
    const f = tile(f2("vpu"))(x, y, xo, yo, xi, yi, 16, 4).vectorize(xi, 8).unroll(xi).unroll(yi).fuse(xo, yo, t).parallel(t);
    expectCorrectGuarded(f, [[0, 64], [0, 16]], 1);
    expectCorrectGuarded(f, [[-9, 70], [5, 13]], 1);
  });

  it("serial undoes parallel, vectorize and unroll (same values)", () => {
    const f = f2("serial_undo").split(x, xo, xi, 4).vectorize(xi).unroll(xo, 2).parallel(y);
    f.serial(y).serial(xi).serial(xo);
    expectCorrectGuarded(f, [[0, 16], [0, 3]]);
  });

  it("serial makes a vectorized loop of non-constant extent legal again", () => {
    const f = f2("serial_vector").vectorize(y).serial(y);
    expectCorrectGuarded(f, [[0, 4], [0, 5]]);
  });

  it("unroll a loop of extent 1 and vectorize a loop of extent 1", () => {
    const f = f2("extent_one").split(x, xo, xi, 1).vectorize(xi).split(y, yo, yi, 1).unroll(yi);
    expectCorrectGuarded(f, [[-2, 3], [0, 2]]);
  });

  it("unroll by 16 and vectorize by 64 on a 1-D Func", () => {
    const f = new hl.Func("wide_1d");
    f.at(x).set(x.mul(x));
    f.vectorize(x, 64).unroll(x, 4);
    expectCorrectGuarded(f, [[-100, 256 + 7]], 1);
  });
});
