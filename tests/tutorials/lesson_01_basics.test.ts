// Port of Halide's python_bindings/tutorial/lesson_01_basics.py, and the README's first example.
import { describe, expect, it } from "bun:test";
import * as hl from "../../mod.ts";

describe("tutorial lesson 1: basics", () => {
  it("gradient(x, y) = x + y realized over 800x600 is right at every pixel", () => {
    const gradient = new hl.Func("gradient");
    const x = new hl.Var("x"), y = new hl.Var("y");
    const e = x.add(y);
    expect(e).toBeInstanceOf(hl.Expr);
    gradient.at(x, y).set(e);

    const output = gradient.realize([800, 600]);
    expect(output.type.equals(hl.Int(32))).toBe(true);
    expect(output.type.toString()).toBe("int32");
    expect(output.dimensions).toBe(2);
    expect(output.width).toBe(800);
    expect(output.height).toBe(600);
    expect([output.dim(0).min, output.dim(1).min]).toEqual([0, 0]);

    let wrong = 0;
    let first = "";
    for (let j = 0; j < output.height; j++) {
      for (let i = 0; i < output.width; i++) {
        const v = output.get([i, j]);
        if (v !== i + j) {
          if (wrong++ === 0) first = `Pixel ${i}, ${j} was supposed to be ${i + j}, but instead it's ${v}`;
        }
      }
    }
    expect(first).toBe("");
    expect(wrong).toBe(0);
  });
});

describe("README: a first example", () => {
  it("gradient over [800, 600] has out.get([3, 4]) === 7, and hl.evaluate(hl.u8(300)) is 44", () => {
    const x = new hl.Var("x"), y = new hl.Var("y");
    const gradient = new hl.Func("gradient");
    gradient.at(x, y).set(x.add(y));
    const out = gradient.realize([800, 600]);
    expect(out.get([3, 4])).toBe(7);
    expect(out.get([799, 599])).toBe(1398);
    expect(hl.evaluate(hl.u8(300))).toBe(44);
  });

  it("mod.ts's example: f(x, y) = x + y over 4x4 gives 5 at (2, 3)", () => {
    const x = new hl.Var("x"), y = new hl.Var("y");
    const f = new hl.Func("f");
    f.at(x, y).set(x.add(y));
    expect(f.realize([4, 4]).get([2, 3])).toBe(5);
  });
});
