// Port of Halide's lesson 17 (predicated reduction domains): RDom.where with one predicate (a circle), several
// (a triangle: they are conjunctive), and predicates that call Funcs (including the Func being updated), each
// checked against the lesson's plain loops in TypeScript.
import { describe, expect, it } from "bun:test";
import * as hl from "../../mod.ts";

const x = new hl.Var("x"), y = new hl.Var("y");

/** `buf` as rows of values (`rows[y][x]`). */
function rows(buf: hl.Buffer): number[][] {
  return Array.from({ length: buf.height }, (_, j) => Array.from({ length: buf.width }, (_, i) => Number(buf.get([i, j]))));
}

describe("lesson 17: predicated RDoms", () => {
  it("updates only the points of a circle", () => {
    const circle = new hl.Func("l17_circle");
    circle.at(x, y).set(x.add(y));
    const r = new hl.RDom([[0, 7], [0, 7]]);
    r.where(r.x.sub(3).mul(r.x.sub(3)).add(r.y.sub(3).mul(r.y.sub(3))).le(10));
    circle.at(r.x, r.y).mulAssign(2);
    const want = Array.from({ length: 7 }, (_, j) => Array.from({ length: 7 }, (_, i) => i + j));
    for (let ry = 0; ry < 7; ry++) {
      for (let rx = 0; rx < 7; rx++) if ((rx - 3) * (rx - 3) + (ry - 3) * (ry - 3) <= 10) want[ry][rx] *= 2;
    }
    expect(rows(circle.realize([7, 7]))).toEqual(want);
  });

  it("updates only the points of a triangle given by three conjunctive predicates", () => {
    const triangle = new hl.Func("l17_triangle");
    triangle.at(x, y).set(x.add(y));
    const r = new hl.RDom([[0, 8], [0, 10]]);
    r.where(r.x.add(r.y).gt(5));
    r.where(r.y.mul(3).sub(r.x.mul(2)).lt(15));
    r.where(r.x.mul(4).sub(r.y).lt(20));
    triangle.at(r.x, r.y).mulAssign(2);
    const want = Array.from({ length: 10 }, (_, j) => Array.from({ length: 10 }, (_, i) => i + j));
    for (let ry = 0; ry < 10; ry++) {
      for (let rx = 0; rx < 8; rx++) {
        if (rx + ry > 5 && 3 * ry - 2 * rx < 15 && 4 * rx - ry < 20) want[ry][rx] *= 2;
      }
    }
    expect(rows(triangle.realize([10, 10]))).toEqual(want);
  });

  it("uses predicates that call Funcs, including the Func being updated", () => {
    const f = new hl.Func("l17_f"), g = new hl.Func("l17_g");
    f.at(x, y).set(x.mul(2).add(y));
    g.at(x, y).set(x.add(y));
    const r1 = new hl.RDom([[0, 5], [0, 5]]);
    r1.where(f.at(r1.x, r1.y).ge(4));
    r1.where(f.at(r1.x, r1.y).le(7));
    f.at(r1.x, r1.y).divAssign(10);
    f.computeRoot();
    const r2 = new hl.RDom([[1, 3], [1, 3]]);
    r2.where(f.at(r2.x, r2.y).lt(1));
    g.at(r2.x, r2.y).addAssign(17);
    const fRef = Array.from({ length: 5 }, (_, j) => Array.from({ length: 5 }, (_, i) => 2 * i + j));
    for (let ry = 0; ry < 5; ry++) {
      for (let rx = 0; rx < 5; rx++) if (fRef[ry][rx] >= 4 && fRef[ry][rx] <= 7) fRef[ry][rx] = Math.floor(fRef[ry][rx] / 10);
    }
    const want = Array.from({ length: 5 }, (_, j) => Array.from({ length: 5 }, (_, i) => i + j));
    for (let ry = 1; ry < 4; ry++) for (let rx = 1; rx < 4; rx++) if (fRef[ry][rx] < 1) want[ry][rx] += 17;
    expect(rows(g.realize([5, 5]))).toEqual(want);
  });
});
