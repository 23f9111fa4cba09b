// Every invalid schedule is a HalideError whose message names the Func (and the loop at fault): unknown loops,
// duplicates in reorder, fusing loops that are not adjacent, new names that already exist, bad split factors,
// vectorizing or unrolling a loop of non-constant extent (found when the pipeline is compiled), and scheduling
// a Func that has no definition. A rejected directive leaves the schedule unchanged (except tile, which is
// a sequence of splits, as in Halide).
import { describe, expect, it } from "bun:test";
import * as hl from "../../mod.ts";
import { errorOf, expectCorrectGuarded, realizeGuarded, guardedMismatch, throwsHalide, tile, vars } from "./helpers.ts";

const [x, y, z] = vars("x", "y", "z");
const [xo, xi, yo, yi, t, nowhere] = vars("xo", "xi", "yo", "yi", "t", "nowhere");

function f2(name: string): hl.Func {
  const f = new hl.Func(name);
  f.at(x, y).set(x.add(y));
  return f;
}

function f3(name: string): hl.Func {
  const f = new hl.Func(name);
  f.at(x, y, z).set(x.add(y).add(z));
  return f;
}

const names = (f: hl.Func) => f.splitVars().map((v) => v.name).filter((n) => n !== "__outermost");

describe("unknown loops", () => {
  const cases: [string, (f: hl.Func) => unknown][] = [
    ["split", (f) => f.split(nowhere, xo, xi, 4)],
    ["fuse (inner)", (f) => f.fuse(nowhere, y, t)],
    ["fuse (outer)", (f) => f.fuse(x, nowhere, t)],
    ["tile", (f) => tile(f)(x, nowhere, xo, yo, xi, yi, 4, 4)],
    ["tile (list form)", (f) => tile(f)([nowhere, y], [xi, yi], [4, 4])],
    ["reorder", (f) => f.reorder(x, nowhere)],
    ["rename", (f) => f.rename(nowhere, t)],
    ["vectorize", (f) => f.vectorize(nowhere)],
    ["vectorize with a factor", (f) => f.vectorize(nowhere, 8)],
    ["unroll", (f) => f.unroll(nowhere, 2)],
    ["parallel", (f) => f.parallel(nowhere)],
    ["parallel with a task size", (f) => f.parallel(nowhere, 4)],
    ["serial", (f) => f.serial(nowhere)],
  ];
  for (const [what, apply] of cases) {
    it(`${what} of a loop the Func does not have names the Func and the loop`, () => {
      const f = f2(`unknown_${what.replace(/\W+/g, "_")}`);
      throwsHalide(() => apply(f), f.name, "nowhere");
      // A rejected directive changes nothing (tile is two splits, and like Halide's may keep the first).
      if (!what.startsWith("tile")) expect(names(f)).toEqual(["x", "y"]);
    });
  }

  it("a loop that a split or fuse replaced is gone", () => {
    const f = f2("consumed").split(x, xo, xi, 4);
    throwsHalide(() => f.vectorize(x), "consumed", "x");
    throwsHalide(() => f.reorder(y, x), "consumed", "x");
    const g = f2("consumed_fuse").fuse(x, y, t);
    throwsHalide(() => g.parallel(y), "consumed_fuse", "y");
    throwsHalide(() => g.split(x, xo, xi, 2), "consumed_fuse", "x");
  });

  it("a Var of another Func's definition is unknown here", () => {
    const f = f2("other_vars");
    throwsHalide(() => f.vectorize(z), "other_vars", "z");
  });

  it("the loop argument must be a Var, not an Expr", () => {
    const f = f2("not_a_var");
    errorOf(() => f.split(x.add(1) as unknown as hl.Var, xo, xi, 4));
    errorOf(() => f.split(x, xo.mul(2) as unknown as hl.Var, xi, 4));
    expect(names(f)).toEqual(["x", "y"]);
  });
});

describe("reorder", () => {
  it("referencing a loop twice is a HalideError naming the Func and the loop", () => {
    const f = f3("reorder_twice");
    throwsHalide(() => f.reorder(x, y, x), "reorder_twice", "x", "twice");
    throwsHalide(() => f.reorder(z, z), "reorder_twice", "z", "twice");
    expect(names(f)).toEqual(["x", "y", "z"]);
  });
});

describe("fuse", () => {
  it("fusing loops that are not adjacent is a HalideError naming the Func and the loops", () => {
    const f = f3("fuse_apart");
    throwsHalide(() => f.fuse(x, z, t), "fuse_apart", "x", "z");
    expect(names(f)).toEqual(["x", "y", "z"]);
  });

  it("fusing a loop with itself is a HalideError", () => {
    const f = f3("fuse_self");
    throwsHalide(() => f.fuse(y, y, t), "fuse_self", "y");
  });

  it("fusing into a name another loop has is a HalideError", () => {
    const f = f3("fuse_taken");
    throwsHalide(() => f.fuse(x, y, z), "fuse_taken", "z");
    expect(names(f)).toEqual(["x", "y", "z"]);
  });

  it("adjacent loops fuse after a reorder brings them together", () => {
    const f = f3("fuse_after_reorder").reorder(x, z, y).fuse(x, z, t);
    expect(names(f)).toEqual(["t", "y"]);
    expectCorrectGuarded(f, [[0, 3], [1, 2], [2, 4]], 1);
  });
});

describe("split and tile names", () => {
  it("splitting into a name that is already a loop is a HalideError naming the Func and the name", () => {
    const f = f2("split_taken");
    throwsHalide(() => f.split(x, y, xi, 4), "split_taken", "y", "already");
    throwsHalide(() => f.split(x, xo, y, 4), "split_taken", "y", "already");
    f.split(x, xo, xi, 4);
    throwsHalide(() => f.split(y, yo, xi, 2), "split_taken", "xi", "already");
    throwsHalide(() => f.split(y, xo, yi, 2), "split_taken", "xo", "already");
    expect(names(f)).toEqual(["xi", "xo", "y"]);
  });

  it("splitting into two identical names is a HalideError naming the Func", () => {
    const f = f2("split_same");
    throwsHalide(() => f.split(x, t, t, 4), "split_same", "t", "same name");
    expect(names(f)).toEqual(["x", "y"]);
  });

  it("tiling into existing names is a HalideError", () => {
    const f = f2("tile_taken");
    throwsHalide(() => tile(f)(x, y, xo, yo, y, yi, 4, 4), "tile_taken", "y");
    throwsHalide(() => tile(f)(x, y, xi, xi, 4, 4), "tile_taken", "xi");
  });

  it("renaming into an existing name is a HalideError", () => {
    const f = f2("rename_taken");
    throwsHalide(() => f.rename(x, y), "rename_taken", "y");
    expect(names(f)).toEqual(["x", "y"]);
  });

  it("tile list forms of different lengths are a HalideError naming the Func", () => {
    const f = f3("tile_lengths");
    throwsHalide(() => tile(f)([x, y], [xo], [xi, yi], [2, 2]), "same length", "tile_lengths");
    throwsHalide(() => tile(f)([x, y], [xi, yi], [2]), "same length", "tile_lengths");
  });
});

describe("split factors", () => {
  const bad: [string, hl.ExprLike, string][] = [
    ["zero", 0, "positive"],
    ["negative", -3, "positive"],
    ["non-integer", 2.5, "float32"],
    ["float-typed", hl.f32(4), "float32"],
    ["64-bit", hl.i64(4), "int64"],
    ["uint64", hl.u64(4), "uint64"],
  ];
  const directives: [string, (f: hl.Func, k: hl.ExprLike) => unknown][] = [
    ["split", (f, k) => f.split(x, xo, xi, k)],
    ["tile", (f, k) => tile(f)(x, y, xo, yo, xi, yi, 4, k)],
    ["vectorize", (f, k) => f.vectorize(x, k)],
    ["unroll", (f, k) => f.unroll(x, k)],
    ["parallel", (f, k) => f.parallel(y, k)],
  ];
  for (const [what, k, fragment] of bad) {
    it(`a ${what} factor is a HalideError naming the Func, for split, tile, vectorize, unroll and parallel`, () => {
      for (const [d, apply] of directives) {
        const f = f2(`factor_${what.replace(/\W+/g, "_")}_${d}`);
        throwsHalide(() => apply(f, k), f.name, fragment);
        if (d !== "tile") expect(names(f)).toEqual(["x", "y"]);
      }
    });
  }
});

describe("vectorize and unroll need loops of constant extent (checked when compiling)", () => {
  it("vectorize(x) with no factor: the Func's extent is not constant", () => {
    const f = f2("vec_whole").vectorize(x);
    const r = realizeGuarded(f, [[0, 8], [0, 2]]);
    expect(r.error?.message ?? "").toContain("vec_whole");
    expect(r.error?.message ?? "").toContain("vectorize");
    expect(guardedMismatch(f, r, [[0, 8], [0, 2]], false)).toBe("");
  });

  it("unroll(y) with no factor", () => {
    const f = f2("unroll_whole").unroll(y);
    throwsHalide(() => f.realize([4, 4]), "unroll_whole", "unroll", "y");
  });

  it("vectorizing the outer loop of a split, or a fused loop of two variable loops", () => {
    throwsHalide(() => f2("vec_outer").split(x, xo, xi, 4).vectorize(xo).realize([8, 2]), "vec_outer", "vectorize", "xo");
    throwsHalide(() => f2("vec_fused").fuse(x, y, t).vectorize(t).realize([8, 2]), "vec_fused", "vectorize", "t");
    throwsHalide(() => f2("unroll_outer").split(y, yo, yi, 2).unroll(yo).realize([2, 8]), "unroll_outer", "unroll", "yo");
  });

  it("the error does not poison the Func: serial(x) makes it compile", () => {
    const f = f2("vec_then_serial").vectorize(x);
    errorOf(() => f.realize([4, 4]));
    f.serial(x);
    expectCorrectGuarded(f, [[0, 4], [0, 4]]);
  });
});

describe("scheduling a Func with no definition", () => {
  const directives: [string, (f: hl.Func) => unknown][] = [
    ["split", (f) => f.split(x, xo, xi, 4)],
    ["fuse", (f) => f.fuse(x, y, t)],
    ["tile", (f) => tile(f)(x, y, xi, yi, 4, 4)],
    ["reorder", (f) => f.reorder(y, x)],
    ["rename", (f) => f.rename(x, t)],
    ["vectorize", (f) => f.vectorize(x, 4)],
    ["unroll", (f) => f.unroll(x, 2)],
    ["parallel", (f) => f.parallel(y)],
    ["serial", (f) => f.serial(y)],
    ["splitVars", (f) => f.splitVars()],
  ];
  for (const [what, apply] of directives) {
    it(`${what} is a HalideError naming the Func`, () => {
      const f = new hl.Func(`undefined_${what}`);
      throwsHalide(() => apply(f), f.name, "defined");
    });
  }

  it("a typed but undefined Func cannot be scheduled either", () => {
    const f = new hl.Func(hl.Int(32), 2, "typed_undefined");
    throwsHalide(() => f.vectorize(x, 4), "typed_undefined");
  });
});
