// Func.tile called directly in each form API.md §3 documents. Besides checking the values at run time, this file
// is the type-level test: `deno check` must accept every call below (Func.tile declares the four overloads).
import { describe, expect, it } from "bun:test";
import * as hl from "../../mod.ts";
import { expectCorrectGuarded, T, vars } from "./helpers.ts";

const [x, y, z, xo, yo, zo, xi, yi, zi] = vars("x", "y", "z", "xo", "yo", "zo", "xi", "yi", "zi");

function f3(name: string): hl.Func {
  const f = new hl.Func(name);
  f.at(x, y, z).set(x.add(y.mul(10)).add(z.mul(100)));
  return f;
}

const names = (f: hl.Func) => f.splitVars().map((v) => v.name).filter((n) => n !== "__outermost");

describe("Func.tile: every documented form, called on a Func, returns the Func for chaining", () => {
  it("tile(x, y, xo, yo, xi, yi, xf, yf) and with a tail", () => {
    const f: hl.Func = f3("tile_9").tile(x, y, xo, yo, xi, yi, 4, 2).parallel(z);
    expect(names(f)).toEqual(["xi", "yi", "xo", "yo", "z"]);
    expectCorrectGuarded(f, [[0, 8], [0, 4], [0, 2]], 1);
    const g: hl.Func = f3("tile_9_tail").tile(x, y, xo, yo, xi, yi, 4, 2, T.ShiftInwards);
    expectCorrectGuarded(g, [[0, 9], [0, 5], [0, 2]], 1);
  });

  it("tile(x, y, xi, yi, xf, yf) and with a tail", () => {
    const f: hl.Func = f3("tile_7").tile(x, y, xi, yi, 4, 2).vectorize(xi);
    expect(names(f)).toEqual(["xi", "yi", "x", "y", "z"]);
    expectCorrectGuarded(f, [[0, 8], [0, 4], [0, 2]], 1);
    const g: hl.Func = f3("tile_7_tail").tile(x, y, xi, yi, 4, 2, T.RoundUp);
    expectCorrectGuarded(g, [[0, 8], [0, 4], [0, 2]], 1);
  });

  it("tile([vars], [outers], [inners], [factors]) and with a tail", () => {
    const f: hl.Func = f3("tile_l4").tile([x, y, z], [xo, yo, zo], [xi, yi, zi], [2, 2, 2]).parallel(zo);
    expect(names(f)).toEqual(["xi", "yi", "zi", "xo", "yo", "zo"]);
    expectCorrectGuarded(f, [[0, 4], [0, 4], [0, 4]], 1);
    const g: hl.Func = f3("tile_l4_tail").tile([x, y], [xo, yo], [xi, yi], [2, 2], T.Auto);
    expectCorrectGuarded(g, [[0, 5], [0, 3], [0, 2]], 1);
  });

  it("tile([vars], [inners], [factors]) and with a tail", () => {
    const f: hl.Func = f3("tile_l3").tile([x, y], [xi, yi], [2, 2]).unroll(yi);
    expect(names(f)).toEqual(["xi", "yi", "x", "y", "z"]);
    expectCorrectGuarded(f, [[0, 4], [0, 4], [0, 2]], 1);
    const g: hl.Func = f3("tile_l3_tail").tile([y, z], [yi, zi], [2, 3], T.ShiftInwards);
    expectCorrectGuarded(g, [[0, 2], [0, 5], [0, 4]], 1);
  });
});
