// The storage directives — reorderStorage, alignBounds, storeIn, hoistStorage, foldStorage — and the two
// optimizations of Funcs stored outside the loop they are computed in: sliding window (each iteration computes
// only what the previous one did not) and storage folding (a circular buffer of the rows still live). Each is
// checked for the values it computes (against the reference interpreter, inside guarded crops with non-zero mins),
// for what it does to the lowered code (the regions computed, the allocations), and for its errors.
import { describe, expect, it } from "bun:test";
import * as hl from "../../mod.ts";
import { evalExpr } from "../../src/interp/eval.ts";
import { asConstInt, type Expr, variable } from "../../src/ir/expr.ts";
import { visitStmt } from "../../src/ir/mutate.ts";
import { stmtToString } from "../../src/ir/printer.ts";
import type { Allocate, Stmt } from "../../src/ir/stmt.ts";
import { lowerPipeline } from "../../src/lower/lower.ts";
import { schedulePipeline } from "../../src/lower/schedule_functions.ts";
import { slidingWindow } from "../../src/lower/sliding_window.ts";
import { expectCorrectGuarded, mismatchVsInterpreter, T, throwsHalide, tile, vars } from "./helpers.ts";

const [x, y, c] = vars("x", "y", "c");
const [xo, yo, xi, yi] = vars("xo", "yo", "xi", "yi");

/** The lowered body of the pipeline computing `f`. */
const lowered = (f: hl.Func): Stmt => lowerPipeline(f.fn).body;

/** Every allocation of buffer `name` in `s`, with the names of the loops around it. */
function allocations(s: Stmt, name: string): { node: Allocate; loops: string[] }[] {
  const found: { node: Allocate; loops: string[] }[] = [];
  const go = (n: Stmt, loops: string[]): void => {
    if (n.kind === "Allocate" && n.name === name) found.push({ node: n, loops });
    const inner = n.kind === "For" ? [...loops, n.name] : loops;
    visitStmt(n, () => false, (m) => {
      if (m === n) return true;
      go(m, inner);
      return false;
    });
  };
  go(s, []);
  return found;
}

/** The constant extents (undefined where symbolic) of the allocations of `name`, which must all be alike (loop
 * partitioning may copy a loop body with its allocation). */
function allocatedExtents(f: hl.Func, name: string): (number | undefined)[] {
  const all = allocations(lowered(f), name).map((a) =>
    a.node.extents.map((e) => {
      const k = asConstInt(e);
      return k === undefined ? undefined : Number(k);
    })
  );
  expect(all.length).toBeGreaterThan(0);
  for (const extents of all) expect(extents).toEqual(all[0]);
  return all[0];
}

/** A producer p(x, y) = x·7 + y·13 (distinct values) and a 3×3-ish stencil consumer of it. */
function stencil(name: string, taps: [number, number][] = [[0, -1], [0, 0], [0, 1], [1, 0]]): [hl.Func, hl.Func] {
  const p = new hl.Func(`${name}_p`), q = new hl.Func(`${name}_c`);
  p.at(x, y).set(x.mul(7).add(y.mul(13)));
  q.at(x, y).set(taps.map(([dx, dy]) => p.at(x.add(dx), y.add(dy)) as hl.ExprLike).reduce((a, b) => hl.add(a, b)));
  return [p, q];
}

describe("reorderStorage", () => {
  it("lays out the storage in the given order, innermost first; the values do not change", () => {
    const f = new hl.Func("rs_rgb"), g = new hl.Func("rs_rgb_out");
    f.at(x, y, c).set(x.add(y.mul(10)).add(c.mul(100)));
    g.at(x, y, c).set(f.at(x, y, c).add(f.at(x.add(1), y, c)));
    f.computeRoot().reorderStorage(c, x, y);
    const text = stmtToString(lowered(g));
    // c is dense; x strides over c; y over x.
    expect(text).toContain("let rs_rgb.stride.0 = rs_rgb.extent.2");
    expect(text).toContain("let rs_rgb.stride.1 = (rs_rgb.stride.0*rs_rgb.extent.0)");
    expectCorrectGuarded(g, [[-2, 6], [3, 4], [0, 3]]);
  });

  it("follows Halide's pairwise rule: each variable goes inside those listed after it, the others stay", () => {
    const f = new hl.Func("rs_pairs");
    f.at(x, y, c).set(x.add(y).add(c));
    f.reorderStorage(c, x);
    expect(f.fn.funcSchedule.storage?.map((d) => d.var)).toEqual(["c", "y", "x"]);
    f.reorderStorage(y, c);
    expect(f.fn.funcSchedule.storage?.map((d) => d.var)).toEqual(["y", "c", "x"]);
    f.reorderStorage([x, y]);
    expect(f.fn.funcSchedule.storage?.map((d) => d.var)).toEqual(["x", "c", "y"]);
  });

  it("works with loops in another order, tuples, and on the output (where it is ignored)", () => {
    const f = new hl.Func("rs_tuple"), g = new hl.Func("rs_tuple_out");
    f.at(x, y).set([x.sub(y), x.mul(y)]);
    g.at(x, y).set(f.at(x, y).elem(0).add(f.at(y, x).elem(1)));
    f.computeRoot().reorderStorage(y, x).reorder(y, x);
    g.reorderStorage(y, x);
    expectCorrectGuarded(g, [[-3, 5], [2, 6]]);
  });

  it("rejects variables it does not have, repeated ones, and fewer than two", () => {
    const f = new hl.Func("rs_errors");
    f.at(x, y).set(x.add(y));
    throwsHalide(() => f.reorderStorage(x, c), "In schedule for rs_errors", "could not find var c", "x, y");
    throwsHalide(() => f.reorderStorage(x, x), "call to reorderStorage references x twice");
    throwsHalide(() => f.reorderStorage(x), "needs at least two variables");
    throwsHalide(
      () => new hl.Func("rs_undefined").reorderStorage(x, y),
      "must be defined before calling reorderStorage",
    );
  });
});

describe("alignBounds", () => {
  /** g(x) = input(x) aligned to `modulus`, read as h(x) = g(x + 1); the input has 10 elements (0–9). */
  function aligned(name: string, modulus: number, remainder?: number): hl.Func {
    const input = new hl.Buffer(hl.Int(32), [10], `${name}_in`);
    input.forEachElement(([i]) => input.set([i], i * 3));
    const g = new hl.Func(`${name}_g`), h = new hl.Func(`${name}_h`);
    g.at(x).set(input.at(x));
    h.at(x).set(g.at(x.add(1)));
    g.computeRoot().alignBounds(x, modulus, remainder);
    return h;
  }

  it("rounds the region computed outwards to the modulus (seen in the input it reads)", () => {
    // h over [0, 7) needs g over [1, 7], aligned to [0, 7]: inside the input.
    expect(mismatchVsInterpreter(aligned("al4", 4), [7])).toBe("");
    // h over [0, 8) needs g over [1, 8], aligned to [0, 11]: beyond the input.
    throwsHalide(
      () => aligned("al4b", 4).realize([8]),
      "Input buffer al4b_in is accessed at 11, which is beyond the max (9)",
    );
  });

  it("with a remainder the region starts at ≡ remainder", () => {
    // [1, 6] with modulus 4, remainder 1 stays [1, 8]; [1, 9] becomes [1, 12].
    expect(mismatchVsInterpreter(aligned("alr", 4, 1), [6])).toBe("");
    throwsHalide(() => aligned("alr2", 4, 1).realize([9]), "is accessed at 12, which is beyond the max (9)");
    // A remainder is taken modulo the modulus (5 ≡ 1).
    throwsHalide(() => aligned("alr3", 4, 5).realize([9]), "is accessed at 12");
  });

  it("removes the tail of an unrolled split, as in Halide's align_bounds test", () => {
    const f = new hl.Func("al_f"), g = new hl.Func("al_g"), h = new hl.Func("al_h");
    f.at(x).set(3);
    g.at(x).set(hl.select(x.mod(2).eq(0), f.at(x.add(1)), f.at(x.sub(1)).add(8)));
    h.at(x).set(g.at(x.sub(3)).add(g.at(x.add(3))));
    f.computeRoot();
    g.computeRoot().alignBounds(x, 2).unroll(x, 2, T.RoundUp);
    const out = h.realize([10]);
    for (let i = 0; i < 10; i++) expect(out.get([i])).toBe((i & 1) === 1 ? 6 : 22);
    // g's region [-3, 12] is aligned to [-4, 13]: an even number of elements, from an even one.
    const text = stmtToString(lowered(h));
    expect(text).toContain("let al_g.s0.x.min = (((al_h.min.0 - 3)/2)*2)");
    expectCorrectGuarded(h, [[-5, 11]]);
  });

  it("rejects variables that are not the Func's, a modulus that is not positive, and non-integer arguments", () => {
    const f = new hl.Func("al_errors");
    f.at(x).set(x);
    throwsHalide(
      () => f.alignBounds(y, 2),
      "Can't align bounds of variable y of function al_errors",
      "not one of the pure variables",
    );
    throwsHalide(() => f.alignBounds(x, 0), "Can't align bounds of al_errors.x: the modulus must be positive, not 0");
    throwsHalide(() => f.alignBounds(x, -4), "must be positive, not -4");
    throwsHalide(() => f.alignBounds(x, hl.f32(2.5)), "must be an int32, not float32");
  });
});

describe("storeIn", () => {
  for (const memory of [hl.MemoryType.Stack, hl.MemoryType.Heap, hl.MemoryType.Register, hl.MemoryType.Auto]) {
    it(`MemoryType.${memory}: the allocation says where; the values do not change`, () => {
      const [p, q] = stencil(`si_${memory}`);
      p.computeAt(q, x).storeIn(memory);
      const [alloc] = allocations(lowered(q), p.name);
      expect(alloc.node.memoryType).toBe(memory === hl.MemoryType.Auto ? undefined : memory);
      // Computed per point of q: a 2 × 3 box, a size known at compile time.
      expect(alloc.node.extents.map((e) => asConstInt(e))).toEqual([2n, 3n]);
      expectCorrectGuarded(q, [[-2, 5], [4, 3]]);
    });
  }

  it("has Python's members, and rejects memories the host does not have and non-members", () => {
    expect(Object.keys(hl.MemoryType)).toEqual([
      "Auto",
      "Heap",
      "Stack",
      "Register",
      "GPUShared",
      "GPUTexture",
      "LockedCache",
      "VTCM",
      "AMXTile",
      "GPUSharedAsync",
    ]);
    const [p, q] = stencil("si_gpu");
    p.computeRoot().storeIn(hl.MemoryType.GPUShared);
    throwsHalide(() => q.realize([4, 4]), "Func si_gpu_p is stored in MemoryType.GPUShared", "on the host use");
    throwsHalide(() => p.storeIn("Fast" as hl.MemoryType), "storeIn of Func si_gpu_p needs an hl.MemoryType");
  });
});

describe("hoistStorage", () => {
  /** Halide's hoist_storage test: f(x, y) = x + y read by g(x, y) = f(x - 1, y - 1) + f(x + 1, y + 1). */
  function hoisted(name: string): [hl.Func, hl.Func] {
    const f = new hl.Func(`${name}_f`), g = new hl.Func(`${name}_g`);
    f.at(x, y).set(x.add(y));
    g.at(x, y).set(f.at(x.sub(1), y.sub(1)).add(f.at(x.add(1), y.add(1))));
    return [f, g];
  }

  it("allocates once outside the loops, as large as one iteration's region (Var.outermost())", () => {
    const [f, g] = hoisted("ho_outer");
    g.computeRoot();
    f.computeAt(g, x).hoistStorage(g, hl.Var.outermost()).storeIn(hl.MemoryType.Heap);
    const all = allocations(lowered(g), f.name);
    expect(all).toHaveLength(1);
    expect(all[0].loops).toEqual([]);
    expect(all[0].node.extents.map((e) => asConstInt(e))).toEqual([3n, 3n]);
    expect(all[0].node.memoryType).toBe(hl.MemoryType.Heap);
    expectCorrectGuarded(g, [[-4, 9], [2, 7]]);
  });

  it("hoistStorageRoot, and a tiled consumer: one 18 × 18 allocation for 16 × 16 tiles", () => {
    const [f, g] = hoisted("ho_tiles");
    tile(g)(x, y, xo, yo, xi, yi, 16, 16, T.RoundUp);
    f.computeAt(g, xo).hoistStorageRoot();
    const all = allocations(lowered(g), f.name);
    expect(all.map((a) => a.loops)).toEqual([[]]);
    expect(all[0].node.extents.map((e) => asConstInt(e))).toEqual([18n, 18n]);
    expect(mismatchVsInterpreter(g, [64, 48])).toBe("");
  });

  it("to a loop between the store and the root; with storeAt further in; with a guarded tail (a symbolic size)", () => {
    const [f, g] = hoisted("ho_mid");
    g.split(y, yo, yi, 4, T.GuardWithIf);
    f.computeAt(g, x).storeAt(g, yi).hoistStorage(g, yo);
    const all = allocations(lowered(g), f.name);
    expect([...new Set(all.map((a) => a.loops.join(" > ")))]).toEqual(["ho_mid_g.s0.y.yo"]);
    expectCorrectGuarded(g, [[-3, 7], [1, 10]]);
    const [f2, g2] = hoisted("ho_guarded");
    tile(g2)(x, y, xo, yo, xi, yi, 8, 8, T.GuardWithIf);
    f2.computeAt(g2, xo).hoistStorageRoot();
    expect(allocations(lowered(g2), f2.name).map((a) => a.loops)).toEqual([[]]);
    expectCorrectGuarded(g2, [[-5, 21], [3, 13]]);
  });

  it("rejects an inlined Func, a level inside the store level, and a parallel loop in between", () => {
    const [f, g] = hoisted("ho_inline");
    f.hoistStorageRoot();
    throwsHalide(() => g.realize([4, 4]), `Func "ho_inline_f" is scheduled hoistStorage(), but is inlined`);
    const [f2, g2] = hoisted("ho_inside");
    f2.computeAt(g2, y).hoistStorage(g2, x);
    throwsHalide(
      () => g2.realize([4, 4]),
      `Func "ho_inside_f" has its storage hoisted to ho_inside_g.s0.x, which is not a loop at or outside its store level`,
    );
    const [f3, g3] = hoisted("ho_par");
    g3.parallel(y);
    f3.computeAt(g3, x).hoistStorageRoot();
    throwsHalide(
      () => g3.realize([4, 4]),
      `Func "ho_par_f" storage is hoisted outside the parallel loop over ho_par_g.s0.y but computed within it`,
    );
    throwsHalide(() => f3.hoistStorage(f3, x), "cannot be computed or stored inside its own loops");
  });
});

/** The values the loop `loop` gives the let `name` in the nest after sliding window, for loop values `at`. */
function letValues(nest: Stmt, name: string, loop: string, at: number[], fixed: Record<string, number>): number[] {
  let value: Expr | undefined;
  visitStmt(nest, () => false, (n) => void (n.kind === "LetStmt" && n.name === name && (value = n.value)));
  expect(value).toBeDefined();
  return at.map((v) => Number(evalExpr(value!, { ...fixed, [loop]: v })));
}

/** The loop nest of `out` after sliding window, over an output region with symbolic mins and extents. */
function slid(out: hl.Func): Stmt {
  const region = out.fn.args.map((_, d) => ({
    min: variable(hl.Int(32), `${out.name}.min.${d}`) as Expr,
    extent: variable(hl.Int(32), `${out.name}.extent.${d}`) as Expr,
  }));
  return slidingWindow(schedulePipeline([out.fn], [region])).stmt;
}

describe("sliding window", () => {
  it("storeRoot().computeAt(consumer, y): the first row computes the whole window, the others one new row", () => {
    const [p, q] = stencil("sw_rows");
    p.storeRoot().computeAt(q, y);
    const nest = slid(q);
    const rows = [0, 1, 2, 3, 4, 5];
    const mins = letValues(nest, "sw_rows_p.s0.y.min", "sw_rows_c.s0.y", rows, { "sw_rows_c.min.1": 0 });
    const maxs = letValues(nest, "sw_rows_p.s0.y.max", "sw_rows_c.s0.y", rows, { "sw_rows_c.min.1": 0 });
    expect(mins).toEqual([-1, 2, 3, 4, 5, 6]);
    expect(maxs).toEqual([1, 2, 3, 4, 5, 6]);
    // 8 rows of the producer for 6 of the consumer, instead of 18.
    expect(rows.reduce((a, i) => a + maxs[i] - mins[i] + 1, 0)).toBe(8);
    expectCorrectGuarded(q, [[-2, 6], [-3, 9]]);
  });

  it("folds the storage to the rows still live: a power of two", () => {
    const [p, q] = stencil("sw_fold");
    p.storeRoot().computeAt(q, y);
    // Rows y - 1 … y + 1 are live: 3, rounded up to 4.
    expect(allocatedExtents(q, p.name)[1]).toBe(4);
    const [p2, q2] = stencil("sw_fold2", [[0, 0], [0, 1], [1, 0], [1, 1]]);
    p2.storeRoot().computeAt(q2, y);
    expect(allocatedExtents(q2, p2.name)[1]).toBe(2);
    expectCorrectGuarded(q, [[0, 7], [-4, 11]]);
    expectCorrectGuarded(q2, [[3, 5], [0, 9]]);
  });

  it("slides over x inside y when computed at x (each dimension once), folding only y", () => {
    const [p, q] = stencil("sw_x", [[0, 0], [0, 1], [1, 0], [1, 1]]);
    p.storeRoot().computeAt(q, x);
    const nest = slid(q);
    const fixed = { "sw_x_c.min.0": 0, "sw_x_c.min.1": 0, "sw_x_c.s0.y": 3 };
    expect(letValues(nest, "sw_x_p.s0.x.min", "sw_x_c.s0.x", [0, 1, 2], fixed)).toEqual([0, 2, 3]);
    expect(letValues(nest, "sw_x_p.s0.y.min", "sw_x_c.s0.x", [0, 1, 2], fixed)).toEqual([4, 4, 4]);
    expect(allocatedExtents(q, p.name)[1]).toBe(2);
    expectCorrectGuarded(q, [[-2, 7], [1, 6]]);
  });

  it("slides down when the region moves down, and computes a region that does not move only once", () => {
    const p = new hl.Func("sw_down_p"), q = new hl.Func("sw_down_c");
    p.at(x, y).set(x.add(y.mul(5)));
    q.at(x, y).set(p.at(x, y.neg()).add(p.at(x, hl.sub(1, y))));
    p.storeRoot().computeAt(q, y);
    const maxs = letValues(slid(q), "sw_down_p.s0.y.max", "sw_down_c.s0.y", [0, 1, 2], { "sw_down_c.min.1": 0 });
    expect(maxs).toEqual([1, -1, -2]);
    expectCorrectGuarded(q, [[0, 4], [-3, 8]]);
    const r = new hl.Func("sw_still_p"), s = new hl.Func("sw_still_c");
    r.at(x).set(x.mul(x));
    s.at(x, y).set(r.at(x).add(r.at(x.add(2))).add(y));
    r.storeRoot().computeAt(s, y);
    const fixed = { "sw_still_c.min.1": 0, "sw_still_c.min.0": 0, "sw_still_c.extent.0": 10 };
    const mins = letValues(slid(s), "sw_still_p.s0.x.min", "sw_still_c.s0.y", [0, 1, 2], fixed);
    const maxs2 = letValues(slid(s), "sw_still_p.s0.x.max", "sw_still_c.s0.y", [0, 1, 2], fixed);
    expect(mins.map((m, i) => maxs2[i] - m + 1)).toEqual([12, 0, 0]);
    expectCorrectGuarded(s, [[-3, 8], [2, 5]]);
  });

  it("lesson 8's final schedule: storeAt(yo) over a parallel yo, computeAt(yi), vectorized", () => {
    const [p, q] = stencil("sw_mixed", [[0, 0], [0, 1], [1, 0], [1, 1]]);
    q.split(y, yo, yi, 16).parallel(yo).vectorize(x, 4);
    p.storeAt(q, yo).computeAt(q, yi).vectorize(x, 4);
    expect(allocatedExtents(q, p.name)[1]).toBe(2);
    expect(mismatchVsInterpreter(q, [160, 160])).toBe("");
    expectCorrectGuarded(q, [[-5, 37], [2, 45]]);
  });

  it("chains: two producers slid over the same loop, and a producer computed inside a slid one", () => {
    const a = new hl.Func("sw_a"), b = new hl.Func("sw_b"), o = new hl.Func("sw_o");
    a.at(x, y).set(x.sub(y.mul(3)));
    b.at(x, y).set(a.at(x, y.sub(1)).add(a.at(x, y.add(1))));
    o.at(x, y).set(b.at(x, y.sub(1)).add(b.at(x.add(1), y.add(1))));
    b.storeRoot().computeAt(o, y);
    a.storeRoot().computeAt(o, y);
    expectCorrectGuarded(o, [[-1, 6], [-2, 9]]);
    const a2 = new hl.Func("sw_a2"), b2 = new hl.Func("sw_b2"), o2 = new hl.Func("sw_o2");
    a2.at(x, y).set(x.sub(y.mul(3)));
    b2.at(x, y).set(a2.at(x, y.sub(1)).add(a2.at(x, y.add(1))));
    o2.at(x, y).set(b2.at(x, y.sub(1)).add(b2.at(x.add(1), y.add(1))));
    b2.storeRoot().computeAt(o2, y);
    a2.storeAt(b2, y).computeAt(b2, x);
    expectCorrectGuarded(o2, [[-1, 6], [-2, 9]]);
  });

  it("does not slide a dimension whose loops round up (they would run past the region)", () => {
    const [p, q] = stencil("sw_roundup");
    p.storeRoot().computeAt(q, y).split(y, yo, yi, 4, T.RoundUp);
    expect(stmtToString(slid(q))).not.toContain("select(");
    expectCorrectGuarded(q, [[0, 5], [0, 9]]);
    const [p2, q2] = stencil("sw_shift");
    p2.storeRoot().computeAt(q2, y).split(y, yo, yi, 4);
    expect(stmtToString(slid(q2))).toContain("select(");
    expectCorrectGuarded(q2, [[0, 5], [0, 9]]);
  });

  it("matches the interpreter over schedules of the consumer: tails, tiles, unrolling, reordering", () => {
    const cases: [string, (p: hl.Func, q: hl.Func) => void][] = [
      ["tile", (p, q) => (tile(q)(x, y, xo, yo, xi, yi, 4, 3, T.GuardWithIf), p.storeRoot().computeAt(q, yi))],
      ["unrolled", (p, q) => (q.split(y, yo, yi, 3, T.ShiftInwards).unroll(yi), p.storeAt(q, yo).computeAt(q, yi))],
      ["reordered", (p, q) => (q.reorder(y, x), p.storeRoot().computeAt(q, y))],
      ["predicated", (p, q) => (q.split(y, yo, yi, 4, T.Predicate), p.storeRoot().computeAt(q, yi))],
      ["fused producer", (p, q) => p.storeRoot().computeAt(q, y).fuse(x, y, xo)],
      ["store inside", (p, q) => (q.split(y, yo, yi, 5), p.storeAt(q, yi).computeAt(q, x))],
    ];
    for (const [name, schedule] of cases) {
      const [p, q] = stencil(`sw_${name.replace(" ", "_")}`);
      schedule(p, q);
      expectCorrectGuarded(q, [[-3, 11], [-2, 13]]);
    }
  });
});

describe("foldStorage", () => {
  it("folds by the given factor, not a power of two; the values do not change", () => {
    const [p, q] = stencil("fs_three");
    p.storeRoot().computeAt(q, y).foldStorage(y, 3);
    expect(allocatedExtents(q, p.name)[1]).toBe(3);
    expectCorrectGuarded(q, [[1, 6], [-5, 12]]);
  });

  it("folds where Halide would not automatically: a dimension read by a vectorized loop", () => {
    // Computed per group of 4 x (vectorized), stored at the root: x could fold to 8 slots, but the vectors
    // would become gathers, so only an explicit fold does it.
    const [p, q] = stencil("fs_vec", [[0, 0], [0, 1], [1, 0]]);
    q.split(x, xo, xi, 4).vectorize(xi);
    p.storeAt(q, y).computeAt(q, xo);
    expect(allocatedExtents(q, p.name)[0]).toBeUndefined();
    const [p2, q2] = stencil("fs_vec2", [[0, 0], [0, 1], [1, 0]]);
    q2.split(x, xo, xi, 4).vectorize(xi);
    p2.storeAt(q2, y).computeAt(q2, xo).foldStorage(x, 8);
    expect(allocatedExtents(q2, p2.name)[0]).toBe(8);
    expectCorrectGuarded(q2, [[-2, 17], [0, 8]]);
  });

  it("a factor too small for the rows one iteration uses fails when run, with Halide's message", () => {
    const [p, q] = stencil("fs_small");
    p.storeRoot().computeAt(q, y).foldStorage(y, 2);
    throwsHalide(
      () => q.realize([4, 4]),
      "The fold factor (2) of dimension y of fs_small_p is too small to store the required region accessed by loop " +
        "fs_small_c.s0.y (3).",
    );
  });

  it("is a HalideError where no loop allows it: same store and compute level, a region that does not move, or jumps", () => {
    const [p, q] = stencil("fs_same");
    p.computeAt(q, y).foldStorage(y, 4);
    throwsHalide(() => q.realize([4, 4]), "Can't fold storage of fs_same_p over dimension y because no serial loop");
    const [p2, q2] = stencil("fs_still");
    p2.storeRoot().computeAt(q2, y).foldStorage(x, 4);
    throwsHalide(() => q2.realize([4, 4]), "Can't fold storage of fs_still_p over dimension x because");
    const p3 = new hl.Func("fs_jump_p"), q3 = new hl.Func("fs_jump_c");
    p3.at(x, y).set(x.add(y));
    q3.at(x, y).set(p3.at(x, y.mul(y.sub(3))));
    p3.storeRoot().computeAt(q3, y).foldStorage(y, 8);
    throwsHalide(
      () => q3.realize([4, 4]),
      "Can't fold storage of fs_jump_p over dimension y",
      "does not move monotonically",
    );
    const [p4, q4] = stencil("fs_par");
    q4.parallel(y);
    p4.storeRoot().computeAt(q4, y).foldStorage(y, 4);
    throwsHalide(
      () => q4.realize([4, 4]),
      "because the loop fs_par_c.s0.y between its store level and its compute level is not serial",
    );
  });

  it("rejects variables that are not storage dimensions and factors that are not positive", () => {
    const [p] = stencil("fs_args");
    throwsHalide(() => p.foldStorage(c, 2), "In schedule for fs_args_p, could not find var c to fold the storage of");
    throwsHalide(
      () => p.foldStorage(y, 0),
      "Can't fold storage of fs_args_p over dimension y because the fold factor must be positive, not 0",
    );
  });

  it("is ignored on the output (its storage is the output buffer)", () => {
    const [, q] = stencil("fs_output");
    q.foldStorage(y, 2);
    expectCorrectGuarded(q, [[0, 4], [0, 5]]);
  });
});

describe("store levels of inlined Funcs", () => {
  it("storeRoot/storeAt without a compute level is Halide's error", () => {
    const x = new hl.Var("x");
    const g = new hl.Func("stored_not_computed"), f = new hl.Func("reads_stored");
    g.at(x).set(x);
    f.at(x).set(g.at(x));
    g.storeRoot();
    expect(() => f.realize([4])).toThrow(
      'Func "stored_not_computed" is scheduled storeRoot(), but is inlined. Funcs that use storeRoot must also call computeRoot or computeAt.',
    );
    g.computeAt(f, x);
    expect(f.realize([4]).get([3])).toBe(3);
  });
});
