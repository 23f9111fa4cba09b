// Every directive that splits (split, tile, vectorize, unroll, parallel with a task size) with every TailStrategy,
// on outputs whose extent is a multiple of the factor, is not, and is smaller than the factor; and vectorization
// of every element type at widths 4 to 64. Results are compared with the reference interpreter, realized into a
// crop of a larger buffer whose guard band must stay untouched.
//
// Halide's semantics on an output: GuardWithIf and the Predicate strategies work for any extent; ShiftInwards
// (and Auto, which is ShiftInwards for a pure definition) needs extent >= factor; RoundUp needs a multiple.
// When the extent does not satisfy them, realize must fail cleanly with "Output buffer f is accessed at ..."
// and write nothing.
import { describe, expect, it } from "bun:test";
import * as hl from "../../mod.ts";
import {
  ALL_TAILS,
  expectCorrectGuarded,
  expectOutputBoundsError,
  GUARDING_TAILS,
  guardedMismatch,
  Problems,
  realizeGuarded,
  type Region,
  T,
  throwsHalide,
  tile,
  vars,
} from "./helpers.ts";

const [x, y] = vars("x", "y");

/** A 2-D int32 Func with distinct values everywhere. */
function func2d(name: string): hl.Func {
  const f = new hl.Func(name);
  f.at(x, y).set(x.mul(7).add(y.mul(1000)).add(3));
  return f;
}

type Directive = {
  name: string;
  /** Applies the directive with `factor` and `tail` to the x dimension (or y for parallel). */
  apply: (f: hl.Func, factor: number, tail: hl.TailStrategy) => void;
  /** Which dimension the factor splits. */
  dim: 0 | 1;
};

const directives: Directive[] = [
  { name: "split", dim: 0, apply: (f, k, t) => f.split(x, new hl.Var("xo"), new hl.Var("xi"), k, t) },
  { name: "vectorize", dim: 0, apply: (f, k, t) => f.vectorize(x, k, t) },
  { name: "unroll", dim: 0, apply: (f, k, t) => f.unroll(x, k, t) },
  { name: "parallel", dim: 1, apply: (f, k, t) => f.parallel(y, k, t) },
  {
    name: "tile",
    dim: 0,
    // The y factor (2) always divides the y extents used below, so only x's tail matters.
    apply: (f, k, t) => tile(f)(x, y, new hl.Var("xo"), new hl.Var("yo"), new hl.Var("xi"), new hl.Var("yi"), k, 2, t),
  },
];

const FACTOR = 4;
/** Regions (with non-zero mins) whose split dimension has extent 12 (multiple), 10 (not), 3 (smaller). */
function regions(dim: 0 | 1, extent: number): Region {
  const other = 4;
  return dim === 0 ? [[-5, extent], [3, other]] : [[2, other], [-7, extent]];
}

describe("tail strategies on every splitting directive", () => {
  for (const d of directives) {
    it(`${d.name} by ${FACTOR} with each tail: extent a multiple, not a multiple, smaller than the factor`, () => {
      const problems = new Problems();
      for (const tail of ALL_TAILS) {
        const f = func2d(`${d.name}_${tail}`);
        d.apply(f, FACTOR, tail);
        const min = regions(d.dim, 1)[d.dim][0];
        // A multiple of the factor always works.
        problems.check(`${tail}, extent 12`, () => expectCorrectGuarded(f, regions(d.dim, 12)));
        // Not a multiple: RoundUp overruns the end of the output, the others work.
        problems.check(`${tail}, extent 10`, () => {
          if (tail === T.RoundUp) {
            const e = expectOutputBoundsError(f, regions(d.dim, 10));
            expect(e.message).toContain(`is accessed at ${min + 11}, which is beyond the max (${min + 9}) in dimension ${d.dim}`);
          } else {
            expectCorrectGuarded(f, regions(d.dim, 10));
          }
        });
        // Smaller than the factor: ShiftInwards (and Auto) shift before the min, RoundUp overruns the end.
        problems.check(`${tail}, extent 3`, () => {
          if (tail === T.RoundUp) {
            const e = expectOutputBoundsError(f, regions(d.dim, 3));
            expect(e.message).toContain(`is accessed at ${min + 3}, which is beyond the max (${min + 2}) in dimension ${d.dim}`);
          } else if (tail === T.ShiftInwards || tail === T.Auto) {
            const e = expectOutputBoundsError(f, regions(d.dim, 3));
            expect(e.message).toContain(`is accessed at ${min - 1}, which is before the min (${min}) in dimension ${d.dim}`);
          } else {
            expectCorrectGuarded(f, regions(d.dim, 3));
          }
        });
      }
      expect(problems.list).toEqual([]);
    });
  }

  it("GuardWithIf does not recompute: a 1-D split of extent 13 by 8 writes each element once, nothing outside", () => {
    // Minimal form of the GuardWithIf/Predicate cases above.
    const f = new hl.Func("guarded_13");
    f.at(x).set(x);
    f.split(x, new hl.Var("xo"), new hl.Var("xi"), 8, T.GuardWithIf);
    const r = realizeGuarded(f, [[0, 13]]);
    expect(r.error?.message).toBeUndefined();
    expect(guardedMismatch(f, r, [[0, 13]], true)).toBe("");
  });

  it("a GuardWithIf split of an inner loop bounds what the outer loops write: split 8 then 3 over 19", () => {
    // Minimal form of the nested cases below: xi = 3·xio + xii reaches 8, the guard keeps xi < 8, so x stays
    // within the 19 columns (Halide's bounds inference uses the guard; no output bounds error).
    const f = new hl.Func("inner_guard");
    f.at(x).set(x);
    const [xo, xi, xio, xii] = vars("xo", "xi", "xio", "xii");
    f.split(x, xo, xi, 8).split(xi, xio, xii, 3, T.GuardWithIf);
    expectCorrectGuarded(f, [[0, 19]]);
  });

  it("nested splits on non-multiple extents: outer ShiftInwards/GuardWithIf/Predicate, inner each guarding tail", () => {
    const problems = new Problems();
    for (const outerTail of [T.ShiftInwards, T.GuardWithIf, T.Predicate]) {
      for (const innerTail of GUARDING_TAILS) {
        const f = func2d(`nested_${outerTail}_${innerTail}`);
        const [xo, xi, xio, xii] = vars("xo", "xi", "xio", "xii");
        f.split(x, xo, xi, 8, outerTail).split(xi, xio, xii, 3, innerTail).vectorize(xii);
        problems.check(`outer ${outerTail}, inner ${innerTail}`, () => expectCorrectGuarded(f, [[-3, 19], [0, 2]]));
      }
    }
    expect(problems.list).toEqual([]);
  });

  it("nested splits where the inner factor does not divide the outer one (ShiftInwards inside ShiftInwards)", () => {
    const f = func2d("nested_shift");
    const [xo, xi, xio, xii] = vars("xo", "xi", "xio", "xii");
    f.split(x, xo, xi, 10).split(xi, xio, xii, 4).unroll(xii);
    for (const extent of [10, 23, 40]) expectCorrectGuarded(f, [[1, extent], [0, 2]]);
  });

  it("RoundUp on an inner split whose factor divides the outer factor is fine for any multiple of the outer factor", () => {
    const f = func2d("roundup_inner");
    const [xo, xi, xio, xii] = vars("xo", "xi", "xio", "xii");
    f.split(x, xo, xi, 8).split(xi, xio, xii, 4, T.RoundUp).vectorize(xii);
    expectCorrectGuarded(f, [[0, 16], [0, 3]]);
    expectCorrectGuarded(f, [[5, 21], [0, 3]]); // the outer ShiftInwards handles the tail
  });

  it("a factor of 1 and a factor equal to the extent work with every tail", () => {
    for (const tail of ALL_TAILS) {
      const f = func2d(`unit_${tail}`);
      const [a, b, c, e] = vars("a", "b", "c", "e");
      f.split(x, a, b, 1, tail).split(y, c, e, 5, tail);
      expectCorrectGuarded(f, [[-2, 6], [4, 5]]);
    }
  });

  it("an unknown tail strategy is a HalideError naming the Func", () => {
    const f = func2d("bad_tail");
    throwsHalide(() => f.split(x, new hl.Var("xo"), new hl.Var("xi"), 4, "Sideways" as hl.TailStrategy), "bad_tail", "Sideways");
  });
});

// ---------------------------------------------------------------------------------------------------------------

/** A Func of type `t` whose values wrap around and differ from lane to lane and row to row. */
function typedFunc(name: string, t: hl.Type): hl.Func {
  const f = new hl.Func(name);
  if (t.isBool()) {
    f.at(x, y).set(x.mul(7).add(y).mod(3).eq(0).or(x.lt(y)));
  } else if (t.isFloat()) {
    f.at(x, y).set(hl.cast(t, x.mul(37).sub(y.mul(11))).mul(hl.cast(t, 0.375)).add(hl.cast(t, y)).sub(hl.cast(t, 2.5)));
  } else {
    const v = hl.cast(t, x.mul(37).sub(y.mul(11)).add(5));
    f.at(x, y).set(v.mul(hl.cast(t, 3)).bitXor(hl.cast(t, y)));
  }
  return f;
}

const TYPES: hl.Type[] = [
  hl.UInt(8),
  hl.Int(8),
  hl.UInt(16),
  hl.Int(16),
  hl.UInt(32),
  hl.Int(32),
  hl.UInt(64),
  hl.Int(64),
  hl.Float(32),
  hl.Float(64),
  hl.Bool(),
];
const WIDTHS = [4, 8, 16, 32, 64];

describe("vectorize every element type at widths 4 to 64", () => {
  for (const t of TYPES) {
    it(`${t}: widths ${WIDTHS.join(", ")} with the default tail, on extents that are not multiples`, () => {
      for (const width of WIDTHS) {
        const f = typedFunc(`vec_${t}_${width}`, t);
        f.vectorize(x, width);
        expectCorrectGuarded(f, [[-3, 2 * width + 3], [1, 3]]);
      }
    });

    const width = t.bits <= 16 ? 32 : 8;
    it(`${t}: width ${width} with each tail, on a multiple and a non-multiple extent`, () => {
      const problems = new Problems();
      for (const tail of ALL_TAILS) {
        const f = typedFunc(`vec_${t}_${tail}`, t);
        f.vectorize(x, width, tail);
        problems.check(`${tail}, extent ${2 * width}`, () => expectCorrectGuarded(f, [[5, 2 * width], [0, 2]]));
        problems.check(`${tail}, extent ${2 * width + 1}`, () => {
          if (tail === T.RoundUp) expectOutputBoundsError(f, [[5, 2 * width + 1], [0, 2]]);
          else expectCorrectGuarded(f, [[5, 2 * width + 1], [0, 2]]);
        });
      }
      expect(problems.list).toEqual([]);
    });
  }

  it("vectorize + parallel + unroll combined, for 8-, 16-, 32- and 64-bit types", () => {
    for (const t of [hl.UInt(8), hl.Int(16), hl.Float(32), hl.Int(64)]) {
      const f = typedFunc(`combo_${t}`, t);
      const [xo, xi, yo, yi] = vars("xo", "xi", "yo", "yi");
      f.split(x, xo, xi, 16).vectorize(xi, 8).unroll(xi).split(y, yo, yi, 2).unroll(yi).parallel(yo);
      expectCorrectGuarded(f, [[-4, 37], [3, 10]]);
    }
  });
});
