// Update definitions, RDoms and their schedules: results against the reference interpreter and plain
// TypeScript, and Halide's messages for the misuse cases.
import { describe, expect, it } from "bun:test";
import { readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import process from "node:process";
import * as hl from "../../mod.ts";
import { mismatchVsInterpreter, throwsHalide } from "./helpers.ts";

const x = new hl.Var("x"), y = new hl.Var("y");

/** A w×h int32 image with a fixed pseudo-random pattern in [0, 16). */
function image(w: number, h: number): hl.Buffer {
  const b = new hl.Buffer(hl.Int(32), [w, h]);
  b.forEachElement(([i, j]) => b.set([i, j], (i * 7 + j * 13 + ((i * j) % 5)) % 16));
  return b;
}

/** The lowered statement of `f` as text (written to a temporary file, which is removed). */
function loweredText(f: hl.Func): string {
  const path = `${tmpdir()}/updates_${process.pid}_${f.name.replaceAll("$", "_")}.stmt`;
  f.compileToLoweredStmt(path, []);
  try {
    return readFileSync(path, "utf8");
  } finally {
    rmSync(path, { force: true });
  }
}

/** The values of a 1-D buffer. */
function values1(b: hl.Buffer): number[] {
  return Array.from({ length: b.width }, (_, i) => Number(b.get([b.dim(0).min + i])));
}

describe("update definitions", () => {
  it("runs a prefix-sum scan in order", () => {
    const f = new hl.Func("scan_f");
    f.at(x).set(x);
    const r = new hl.RDom([[1, 9]], "scan_r");
    f.at(r).set(f.at(r.sub(1)).add(f.at(r)));
    expect(values1(f.realize([10]))).toEqual([0, 1, 3, 6, 10, 15, 21, 28, 36, 45]);
    expect(mismatchVsInterpreter(f, [10])).toBe("");
  });

  it("computes a histogram with a data-dependent left-hand side", () => {
    const im = image(23, 11);
    const hist = new hl.Func("hist_basic");
    hist.at(x).set(0);
    const r = new hl.RDom(im);
    hist.at(hl.clamp(im.at(r.x, r.y), 0, 15)).addAssign(1);
    const want = new Array(16).fill(0);
    im.forEachValue((v) => {
      want[Number(v)]++;
    });
    expect(values1(hist.realize([16]))).toEqual(want);
    expect(mismatchVsInterpreter(hist, [16])).toBe("");
  });

  it("runs several updates in order, with pure variables on the left", () => {
    const f = new hl.Func("multi_f");
    f.at(x, y).set(x.add(y));
    const r = new hl.RDom([[1, 4]], "multi_r");
    f.at(x, r).set(f.at(x, r.sub(1)).mul(2).add(f.at(x, r)));   // a scan down each column
    f.at(x, y).set(f.at(x, y).sub(x));                          // pure: every point
    f.at(0, y).set(f.at(0, y).mul(10));                         // one column
    expect(f.numUpdateDefinitions()).toBe(3);
    expect(mismatchVsInterpreter(f, [4, 5])).toBe("");
    const out = f.realize([4, 5]);
    // Column 1: 1, 2·1+2 = 4, 2·4+3 = 11, 2·11+4 = 26, 2·26+5 = 57; minus x = 1.
    expect([0, 1, 2, 3, 4].map((j) => out.get([1, j]))).toEqual([0, 3, 10, 25, 56]);
    expect(out.get([0, 2])).toBe(10 * (2 * (2 * 0 + 1) + 2));
  });

  it("gives compound assignments on an undefined Func the identity as pure definition", () => {
    const f = new hl.Func("compound_f");
    f.at(x, y).addAssign(x.mul(y));
    f.at(x, y).mulAssign(3);
    f.at(x, y).subAssign(1);
    f.at(x, y).divAssign(2);
    const out = f.realize([4, 4]);
    expect(out.get([3, 2])).toBe(Math.floor((3 * 2 * 3 - 1) / 2));
    const p = new hl.Func("compound_p");
    const r = new hl.RDom([[1, 5]]);
    p.at().mulAssign(r);
    expect(p.realize([]).get([])).toBe(120);
    // A typed Func's identity has its declared type.
    const h = new hl.Func(hl.UInt(8), 1, "compound_typed");
    h.at(hl.clamp(r, 0, 3)).addAssign(hl.u8(1));
    expect(h.type.toString()).toBe("uint8");
  });

  it("honours RDom bounds from Params and buffer shapes", () => {
    const n = new hl.Param(hl.Int(32), "upd_n", 4);
    const r = new hl.RDom([[0, n]]);
    const f = new hl.Func("param_bound_f");
    f.at(x).set(0);
    f.at(r).set(f.at(r).add(r.mul(r)));
    expect(values1(f.realize([6]))).toEqual([0, 1, 4, 9, 0, 0]);
    n.set(6);
    expect(values1(f.realize([6]))).toEqual([0, 1, 4, 9, 16, 25]);
  });

  it("runs where predicates (several are conjunctive)", () => {
    const r = new hl.RDom([[0, 8], [0, 8]], "tri_r");
    r.where(r.x.lt(r.y)).where(r.x.add(r.y).lt(9));
    const count = new hl.Func("tri_count");
    count.at().set(0);
    count.at().addAssign(1);
    // Count the points by hand.
    let want = 0;
    for (let j = 0; j < 8; j++) for (let i = 0; i < 8; i++) if (i < j && i + j < 9) want++;
    const f = new hl.Func("tri_f");
    f.at(x, y).set(0);
    f.at(r.x, r.y).set(1);
    expect(mismatchVsInterpreter(f, [8, 8])).toBe("");
    let ones = 0;
    f.realize([8, 8]).forEachValue((v) => {
      ones += Number(v);
    });
    expect(ones).toBe(want);
  });

  it("lowers affine where predicates to tightened loop bounds (no per-iteration test, no dead iterations)", () => {
    const r = new hl.RDom([[0, 100], [0, 100]], "tight_r");
    r.where(r.x.lt(r.y)).where(r.y.lt(50));
    const f = new hl.Func("tight_f");
    f.at(x, y).set(0);
    f.at(r.x, r.y).addAssign(1);
    expect(mismatchVsInterpreter(f, [100, 100])).toBe("");
    const text = loweredText(f);
    const update = text.slice(text.indexOf("for (tight_f.s1"));
    expect(update).not.toContain("if (");
    expect(update).toMatch(/for \(tight_f\.s1\.tight_r\$y, 0, 50\)/);
  });

  it("updates Tuple-valued Funcs element-wise, values computed before any is stored", () => {
    const f = new hl.Func("tuple_upd");
    f.at(x).set([x, x.mul(10)]);
    const r = new hl.RDom([[0, 5]]);
    f.at(r).set([f.at(r).elem(1), f.at(r).elem(0)]); // a swap
    const [a, b] = f.realizeTuple([5]);
    expect(values1(a)).toEqual([0, 10, 20, 30, 40]);
    expect(values1(b)).toEqual([0, 1, 2, 3, 4]);
    const g = new hl.Func("tuple_add");
    g.at(x).set([hl.i32(0), hl.f32(1)]);
    g.at(x).addAssign([x, hl.f32(0.5)]);
    const [ga, gb] = g.realizeTuple([3]);
    expect(values1(ga)).toEqual([0, 1, 2]);
    expect(values1(gb)).toEqual([1.5, 1.5, 1.5]);
  });

  it("computes a Func with updates that is left inline where it is used", () => {
    const inner = new hl.Func("inline_upd_inner");
    inner.at(x).set(x);
    inner.at(x).addAssign(100);
    const out = new hl.Func("inline_upd_out");
    out.at(x).set(inner.at(x).add(inner.at(x.add(1))));
    expect(values1(out.realize([4]))).toEqual([201, 203, 205, 207]);
    expect(mismatchVsInterpreter(out, [6])).toBe("");
  });
});

describe("update definition errors (Halide's messages)", () => {
  it("checks dimensionality, Tuple size and types", () => {
    const f = new hl.Func("err_f");
    f.at(x).set(0);
    throwsHalide(() => f.at(x).set([1, 2]), /In update definition 0 of Func "err_f(\$\d+)?":\nNumber of tuple elements for update definition must match/);
    throwsHalide(() => f.at(x).set(hl.f32(1)), /Update definition has type float32, but pure definition has type int32/);
    throwsHalide(() => f.at(x, y).set(1), /was called with 2 arguments, but was defined with 1/);
  });

  it("rejects pure variables out of place, undefined variables and two RDoms", () => {
    const f = new hl.Func("err_vars");
    f.at(x, y).set(0);
    throwsHalide(() => f.at(y, x).set(1), /Undefined variable "y" in definition of Func "err_vars(\$\d+)?"/);
    const r1 = new hl.RDom([[0, 2]]), r2 = new hl.RDom([[0, 2]]);
    throwsHalide(() => f.at(r1, r2).set(1), /Multiple reduction domains found in definition of Func "err_vars(\$\d+)?"/);
    throwsHalide(
      () => f.at(x, r1).set(f.at(x.add(1), r1)),
      /All of a function's recursive references to itself must contain the same pure variables in the same places/,
    );
    const g = new hl.Func("err_rdom_pure");
    throwsHalide(() => g.at(x).set(r1.add(x)), /Reduction domain referenced in pure function definition/);
  });

  it("rejects new predicates once an RDom is used, bad RDom bounds and dims", () => {
    const r = new hl.RDom([[0, 4]], "frozen_r");
    const f = new hl.Func("err_frozen");
    f.at(x).set(0);
    f.at(r).set(1);
    throwsHalide(() => r.where(r.x.lt(2)), /RDom\(\n  frozen_r\$x\(0, 4\)\n\) cannot be given a new predicate/);
    throwsHalide(() => new hl.RDom([[0, x]]), /These depend on the variable x\.\nThe bounds of an RDom may not depend on a free variable\./);
    throwsHalide(() => new hl.RDom([[0, f.at(0)]]), /The bounds of an RDom may not depend on a call to a Func\./);
    throwsHalide(() => r.dim(1), "Reduction domain index out of bounds: 1");
    throwsHalide(() => f.at(r.y).set(1), "Use of undefined RDom dimension: frozen_r$y");
    throwsHalide(() => new hl.RDom([[0, 2], [0, 2]]).add(1), /Can't treat this multidimensional RDom as an Expr/);
  });

  it("rejects update() beyond the last update and updates of used Funcs", () => {
    const f = new hl.Func("err_upd_idx");
    f.at(x).set(0);
    throwsHalide(() => f.update(0), /Call to update with index larger than last defined update stage for Func "err_upd_idx/);
    const g = new hl.Func("err_user");
    g.at(x).set(f.at(x));
    throwsHalide(() => f.at(x).addAssign(1), /cannot be given a new update definition, because it has already been realized, used in the definition of another Func/);
    const h = new hl.Func("err_realized");
    h.at(x).set(x);
    h.realize([4]);
    throwsHalide(() => h.at(x).addAssign(1), /Func err_realized(\$\d+)? cannot be given a new update definition/);
  });

  it("asks inline reductions for a reduction domain", () => {
    throwsHalide(() => hl.sum(x.add(1)), "Expression passed to sum must reference a reduction domain");
    const r1 = new hl.RDom([[0, 2]]), r2 = new hl.RDom([[0, 2]]);
    throwsHalide(() => hl.maximum(r1.add(r2)), /Inline reduction "maximum" refers to reduction variables from multiple reduction domains/);
  });
});

describe("inline reductions", () => {
  const im = image(16, 16);
  const clamped = (ex: hl.ExprLike, ey: hl.ExprLike) => im.at(hl.clamp(ex, 0, 15), hl.clamp(ey, 0, 15));

  it("sum, product, maximum, minimum equal the interpreter under the default and vectorized schedules", () => {
    const r = new hl.RDom([[-1, 3], [-1, 3]]);
    const f = new hl.Func("inl_all");
    f.at(x, y).set(
      hl.sum(clamped(x.add(r.x), y.add(r.y)))
        .add(hl.maximum(clamped(x.add(r.x), y.add(r.y))).mul(100))
        .add(hl.minimum(clamped(x.add(r.x), y.add(r.y))).mul(10000))
        .add(hl.product(new hl.RDom([[1, 3]]), x.add(1)).mul(1000000)),
    );
    expect(mismatchVsInterpreter(f, [16, 16])).toBe("");
    f.vectorize(x, 8).parallel(y);
    expect(mismatchVsInterpreter(f, [16, 16])).toBe("");
  });

  it("computes an inline reduction per lane of a vectorized caller, with dense vector accesses", () => {
    const r = new hl.RDom([[0, 5]]);
    const f = new hl.Func("inl_vec");
    f.at(x, y).set(hl.u16(hl.sum(hl.u32(clamped(x.add(r), y))).div(5)));
    f.vectorize(x, 8);
    expect(mismatchVsInterpreter(f, [16, 16])).toBe("");
    const text = loweredText(f);
    expect(text).not.toMatch(/for \(inl_vec(\$\d+)?\.s0\.x\.v\d+/); // no serial fallback of the vector loop
    expect(text).toMatch(/sum(\$\d+)?\[ramp\(/); // the reduction's storage holds one value per lane
  });

  it("sums with an explicit RDom, treating other RVars as free variables", () => {
    const r = new hl.RDom([[0, 4]], "outer_r"), s = new hl.RDom([[0, 3]], "inner_s");
    const f = new hl.Func("inl_nested");
    f.at(x).set(0);
    f.at(r).set(hl.sum(s, r.add(s)));
    expect(values1(f.realize([4]))).toEqual([3, 6, 9, 12]);
  });

  it("argmax and argmin give the first extreme point and its value", () => {
    const r = new hl.RDom([[0, 16], [0, 16]]);
    const f = new hl.Func("inl_arg");
    f.at().set([...hl.argmax(im.at(r.x, r.y)), ...hl.argmin(im.at(r.x, r.y))]);
    const got = f.realizeTuple([]).map((b) => b.get([]));
    let best = [-1, -1, -Infinity], worst = [-1, -1, Infinity];
    for (let j = 0; j < 16; j++) {
      for (let i = 0; i < 16; i++) {
        const v = Number(im.get([i, j]));
        if (v > best[2]) best = [i, j, v];
        if (v < worst[2]) worst = [i, j, v];
      }
    }
    expect(got).toEqual([...best, ...worst]);
  });
});

describe("scheduling update stages", () => {
  const im = image(64, 32);

  /** out(x, y) = sum over r of im(x, r) scaled, as an update with pure x and y and an RVar. */
  function columnSums(name: string): { f: hl.Func; r: hl.RDom } {
    const f = new hl.Func(name);
    const r = new hl.RDom([[0, 8]], `${name}_r`);
    f.at(x, y).set(0);
    f.at(x, y).addAssign(im.at(x, hl.clamp(y.add(r), 0, 31)).mul(r.add(1)));
    return { f, r };
  }

  it("vectorizes, parallelizes and tiles pure variables of an update", () => {
    const { f } = columnSums("upd_vec");
    const xi = new hl.Var("xi"), yi = new hl.Var("yi");
    f.vectorize(x, 8).parallel(y);
    f.update(0).tile(x, y, xi, yi, 16, 4).vectorize(xi, 8).parallel(y);
    expect(mismatchVsInterpreter(f, [64, 32])).toBe("");
    // Auto is RoundUp for the pure variables of an update: an output must then be a multiple of the tile.
    throwsHalide(() => f.realize([61, 30]), /Output buffer upd_vec(\$\d+)? is accessed at 63, which is beyond the max \(60\) in dimension 0/);
    const g = columnSums("upd_vec_guard").f;
    g.update(0).tile(x, y, xi, yi, 16, 4, hl.TailStrategy.GuardWithIf).vectorize(xi, 8).parallel(y);
    expect(mismatchVsInterpreter(g, [61, 30])).toBe("");
  });

  it("reorders the RVar outside the pure loops and unrolls it", () => {
    const { f, r } = columnSums("upd_reorder");
    f.update(0).reorder(x, r, y).unroll(r);
    expect(mismatchVsInterpreter(f, [64, 32])).toBe("");
  });

  it("splits RVars with GuardWithIf (Auto) and rejects other tails", () => {
    const { f, r } = columnSums("upd_rsplit");
    const ro = new hl.RVar("ro"), ri = new hl.RVar("ri");
    f.update(0).split(r, ro, ri, 3);
    expect(mismatchVsInterpreter(f, [16, 8])).toBe("");
    const h = columnSums("upd_rsplit_bad2");
    throwsHalide(() => h.f.update(0).split(h.r, ro, ri, 3, hl.TailStrategy.RoundUp), "the tail strategy must be GuardWithIf, Predicate, or Auto");
    throwsHalide(() => h.f.update(0).split(h.r, new hl.Var("vo"), ri, 3), /Can't split RVar .* into Var vo/);
    throwsHalide(() => h.f.update(0).split(x, ro, new hl.Var("vi"), 3), "Can't split Var x into RVar ro");
    throwsHalide(() => h.f.update(0).split(x, new hl.Var("xo2"), new hl.Var("xi2"), 4, hl.TailStrategy.ShiftInwards), "ShiftInwards is not a legal tail strategy for update definitions");
  });

  it("rejects parallel or vectorized impure RVars unless atomic or racy is allowed", () => {
    const mk = (name: string) => {
      const hist = new hl.Func(name);
      const r = new hl.RDom([[0, 64], [0, 32]]);
      hist.at(x).set(0);
      hist.at(hl.clamp(im.at(r.x, r.y), 0, 15)).addAssign(1);
      return { hist, r };
    };
    const a = mk("race_hist");
    throwsHalide(() => a.hist.update(0).parallel(a.r.y), /marking var .* as parallel or vectorized may introduce a race condition/);
    const b = mk("race_hist_ok");
    b.hist.update(0).atomic().parallel(b.r.y);
    expect(mismatchVsInterpreter(b.hist, [16])).toBe("");
    // A scan cannot be made atomic: its operator is not associative.
    const s = new hl.Func("race_scan");
    const rs = new hl.RDom([[1, 15]]);
    s.at(x).set(x);
    s.at(rs).set(s.at(rs.sub(1)).mul(2).sub(s.at(rs)));
    throwsHalide(() => s.update(0).atomic().parallel(rs), "Failed to call atomic() on race_scan");
    // A pure RVar (each iteration its own location) runs in parallel without help.
    const p = new hl.Func("race_pure");
    const rp = new hl.RDom([[0, 32]]);
    p.at(x).set(x);
    p.at(rp).set(p.at(rp).mul(3));
    p.update(0).parallel(rp).vectorize(rp, 8);
    expect(mismatchVsInterpreter(p, [40])).toBe("");
  });

  it("makes atomic() updates atomic: integer and float atomicrmw, and compare-and-exchange loops", () => {
    const big = new hl.Buffer(hl.Int(32), [256, 512]);
    big.forEachElement(([i, j]) => big.set([i, j], (i * 31 + j * 17 + ((i * j) >> 3)) & 7));
    const want = new Array(8).fill(0);
    big.forEachValue((v) => {
      want[Number(v)]++;
    });
    const r = new hl.RDom(big);
    const hist = new hl.Func("atomic_hist");
    hist.at(x).set(0);
    hist.at(hl.clamp(big.at(r.x, r.y), 0, 7)).addAssign(1);
    hist.update(0).atomic().parallel(r.y);
    const fsum = new hl.Func("atomic_fsum");
    fsum.at(x).set(hl.f32(0));
    fsum.at(hl.clamp(big.at(r.x, r.y), 0, 7)).addAssign(hl.f32(0.5));
    fsum.update(0).atomic().parallel(r.y);
    // Not provably associative (a select), so the test is overridden; made atomic with a CAS loop.
    const fmax = new hl.Func("atomic_cas");
    fmax.at(x).set(-1);
    const bin = hl.clamp(big.at(r.x, r.y), 0, 7), cand = r.x.add(r.y.mul(256));
    fmax.at(bin).set(hl.select(cand.gt(fmax.at(bin)), cand, fmax.at(bin)));
    throwsHalide(() => fmax.update(0).atomic().parallel(r.y), "Failed to call atomic() on atomic_cas");
    fmax.update(0).atomic(true).parallel(r.y);
    for (let round = 0; round < 5; round++) {
      expect(values1(hist.realize([8]))).toEqual(want);
      expect(values1(fsum.realize([8]))).toEqual(want.map((n) => n / 2));
      const last = values1(fmax.realize([8]));
      last.forEach((v, bin) => expect(Number(big.get([v % 256, Math.floor(v / 256)]))).toBe(bin));
      expect(last).toEqual(want.map((_, b) => {
        for (let k = 256 * 512 - 1; k >= 0; k--) if (Number(big.get([k % 256, Math.floor(k / 256)])) === b) return k;
        return -1;
      }));
    }
  });

  it("forbids reordering impure RVars of a non-commutative update", () => {
    const f = new hl.Func("reorder_scan2d");
    const r = new hl.RDom([[1, 7], [1, 7]]);
    f.at(x, y).set(x.add(y));
    f.at(r.x, r.y).set(f.at(r.x.sub(1), r.y).sub(f.at(r.x, r.y.sub(1))));
    throwsHalide(() => f.update(0).reorder(r.y, r.x), /can't reorder RVars .*\$y and .*\$x because it may change the meaning of the algorithm/);
    // A sum may be reordered.
    const g = new hl.Func("reorder_sum2d");
    const r2 = new hl.RDom([[0, 7], [0, 7]]);
    g.at().set(0);
    g.at().addAssign(r2.x.mul(r2.y.add(1)));
    g.update(0).reorder(r2.y, r2.x);
    expect(mismatchVsInterpreter(g, [])).toBe("");
  });

  it("computes a producer inside an update's reduction loop", () => {
    const prod = new hl.Func("in_upd_prod");
    prod.at(x, y).set(x.mul(y).add(1));
    const g = new hl.Func("in_upd_g");
    const rr = new hl.RDom([[0, 4]]);
    g.at(x).set(0);
    g.at(x).addAssign(prod.at(x, rr));
    prod.computeAt(g, rr);
    expect(mismatchVsInterpreter(g, [10])).toBe("");
    expect(g.loopNest()).toMatch(/for r\d+\$x[^\n]*:\n\s+store in_upd_prod:\n\s+produce in_upd_prod/);
  });

  it("slides and folds a Func with updates over a consumer's loop (dimension pure in every update)", () => {
    const f = new hl.Func("slide_upd_f");
    const r = new hl.RDom([[0, 3]]);
    f.at(x, y).set(0);
    f.at(x, y).addAssign(im.at(hl.clamp(x.add(r), 0, 63), hl.clamp(y, 0, 31)));
    const g = new hl.Func("slide_upd_g");
    g.at(x, y).set(f.at(x, y).add(f.at(x, y.add(1))).add(f.at(x, y.add(2))));
    f.storeRoot().computeAt(g, y);
    expect(mismatchVsInterpreter(g, [30, 28])).toBe("");
    // Each iteration of g's y loop computes only the one new row of every stage of f.
    expect(loweredText(g)).toMatch(/let slide_upd_f(\$\d+)?\.s1\.y\.min = select\(/);
    const f2 = new hl.Func("fold_upd_f");
    f2.at(x, y).set(0);
    f2.at(x, y).addAssign(im.at(hl.clamp(x.add(r), 0, 63), hl.clamp(y, 0, 31)));
    const g2 = new hl.Func("fold_upd_g");
    g2.at(x, y).set(f2.at(x, y).add(f2.at(x, y.add(1))));
    f2.storeRoot().computeAt(g2, y).foldStorage(y, 2);
    expect(mismatchVsInterpreter(g2, [30, 28])).toBe("");
  });

  it("carries a scan's previous value in a register (loop carry), with the same results", () => {
    const f = new hl.Func("carry_scan");
    const r = new hl.RDom([[1, 31]]);
    f.at(x, y).set(hl.f32(im.at(x, y)));
    f.at(x, r).set(f.at(x, r.sub(1)).mul(0.75).add(f.at(x, r).mul(0.25)));
    f.update(0).vectorize(x, 8);
    expect(mismatchVsInterpreter(f, [64, 32])).toBe("");
    expect(loweredText(f)).toMatch(/allocate carry_scan(\$\d+)?\.carry\./);
    // A scalar integer scan whose loop partitioning made several loops: each carries its own value.
    const g = new hl.Func("carry_int");
    g.at(x).set(x.mul(3));
    g.at(r).set(g.at(r.sub(1)).mul(2).sub(g.at(hl.clamp(r.sub(2), 0, 40))));
    expect(mismatchVsInterpreter(g, [40])).toBe("");
  });

  it("warns when only some definitions are scheduled, unless unscheduled()", () => {
    const f = new hl.Func("warn_unsched");
    f.at(x).set(x);
    f.at(x).addAssign(1);
    f.vectorize(x, 4);
    const warnings: string[] = [];
    const saved = console.warn;
    console.warn = (m: string) => void warnings.push(m);
    try {
      f.realize([8]);
      expect(warnings.join("\n")).toContain("Update definition 0 of function warn_unsched has not been scheduled");
      warnings.length = 0;
      const g = new hl.Func("warn_unsched_ok");
      g.at(x).set(x);
      g.at(x).addAssign(1);
      g.vectorize(x, 4);
      g.update(0).unscheduled();
      g.realize([8]);
      expect(warnings).toEqual([]);
    } finally {
      console.warn = saved;
    }
  });
});

describe("rfactor", () => {
  const im = image(64, 40);
  const u = new hl.Var("u");

  it("factors a sum over r.y into a parallel intermediate and merges it", () => {
    const r = new hl.RDom(im);
    const f = new hl.Func("rf_sum");
    f.at(x).set(0);
    f.at(x).addAssign(im.at(r.x, r.y).mul(x.add(1)));
    const want = values1(f.realize([4]));
    const intm = f.update(0).rfactor(r.y, u);
    intm.computeRoot().update(0).parallel(u).vectorize(x, 4);
    expect(values1(f.realize([4]))).toEqual(want);
    expect(mismatchVsInterpreter(f, [4])).toBe("");
    expect(f.loopNest()).toMatch(/parallel u/);
  });

  it("factors a histogram (a data-dependent left-hand side) and a list of pairs", () => {
    const r = new hl.RDom(im);
    const h = new hl.Func("rf_hist");
    h.at(x).set(0);
    h.at(hl.clamp(im.at(r.x, r.y), 0, 15)).addAssign(1);
    const want = values1(h.realize([16]));
    const v = new hl.Var("v");
    const intm = h.update(0).rfactor([[r.x, v], [r.y, u]]);
    intm.computeRoot().update(0).parallel(u);
    expect(values1(h.realize([16]))).toEqual(want);
  });

  it("factors argmin-style Tuples over the outer RVar (the operator is not commutative)", () => {
    const r = new hl.RDom(im);
    const g = new hl.Func("rf_argmin");
    g.at().set([0, 0, 1000]);
    const better = im.at(r.x, r.y).lt(g.at().elem(2));
    g.at().set([hl.select(better, r.x, g.at().elem(0)), hl.select(better, r.y, g.at().elem(1)), hl.select(better, im.at(r.x, r.y), g.at().elem(2))]);
    const want = g.realizeTuple([]).map((b) => b.get([]));
    throwsHalide(() => g.update(0).rfactor(r.x, u), /can't rfactor an inner dimension .*\$x without rfactoring the outer dimensions, since the operator is non-commutative/);
    g.update(0).rfactor(r.y, u).computeRoot().update(0).parallel(u);
    expect(g.realizeTuple([]).map((b) => b.get([]))).toEqual(want);
  });

  it("factors the outer loop of a split RVar, with a tail the factor does not divide", () => {
    const r = new hl.RDom([[3, 10]]);
    const f = new hl.Func("rf_split");
    f.at(x).set(0);
    f.at(x).addAssign(im.at(hl.clamp(x.add(r), 0, 63), 0).mul(r));
    const want = values1(f.realize([6]));
    const ro = new hl.RVar("ro"), ri = new hl.RVar("ri");
    f.update(0).split(r, ro, ri, 4);
    const intm = f.update(0).rfactor(ro, u);
    intm.computeRoot().update(0).parallel(u);
    expect(values1(f.realize([6]))).toEqual(want);
    throwsHalide(() => {
      const g = new hl.Func("rf_split_fused");
      const r2 = new hl.RDom([[0, 4], [0, 4]]);
      g.at(x).set(0);
      g.at(x).addAssign(r2.x.add(r2.y));
      g.update(0).fuse(r2.x, r2.y, new hl.RVar("rf"));
      g.update(0).rfactor(new hl.RVar("rf"), u);
    }, "rfactor() supports splits of RVars only");
  });

  it("refuses non-associative updates, unknown RVars and used names", () => {
    const r = new hl.RDom([[1, 9]]);
    const s = new hl.Func("rf_scan");
    s.at(x).set(x);
    s.at(r).set(s.at(r.sub(1)).add(s.at(r)));
    throwsHalide(() => s.update(0).rfactor(r, u), /can't perform rfactor\(\) because we can't prove associativity of the operator/);
    const f = new hl.Func("rf_bad");
    const r2 = new hl.RDom([[0, 4], [0, 4]]);
    f.at(x).set(0);
    f.at(x).addAssign(r2.x.add(r2.y));
    throwsHalide(() => f.update(0).rfactor(r.x, u), /can't perform rfactor\(\) on .* since either it is not in the reduction domain/);
    throwsHalide(() => f.update(0).rfactor(r2.y, x), /because the name x is already used elsewhere/);
    throwsHalide(() => f.stage().rfactor(r2.y, u), "rfactor() must be called on an update definition");
  });
});

describe("Func-level atomic() and allowRaceConditions()", () => {
  it("apply to the pure definition and chain", () => {
    const f = new hl.Func("func_level_atomic");
    f.at(x).set(x.mul(2));
    expect(f.atomic().allowRaceConditions().vectorize(x, 4)).toBe(f);
    expect(values1(f.realize([8]))).toEqual([0, 2, 4, 6, 8, 10, 12, 14]);
  });
});
