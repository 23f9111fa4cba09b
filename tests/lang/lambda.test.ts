// hl.lambda(...vars, value): a Func in one expression (Halide's lambda, Python's lambda_func).
import { describe, expect, it } from "bun:test";
import * as hl from "../../mod.ts";
import { throwsHalide, x, y, z } from "./helpers.ts";

describe("hl.lambda", () => {
  it("defines f(vars…) = value, named lambda_N, with the variables in the order given", () => {
    const f = hl.lambda(x, y, x.add(y.mul(10)));
    expect(f.name).toMatch(/^lambda_\d+$/);
    expect(f.dimensions).toBe(2);
    expect(f.args().map((v) => v.name)).toEqual(["x", "y"]);
    expect(f.realize([3, 2]).get([2, 1])).toBe(12);
    const g = hl.lambda(y, x, x.sub(y.mul(10))); // g(a, b) = b - 10a
    expect(g.args().map((v) => v.name)).toEqual(["y", "x"]);
    expect(g.realize([3, 4]).get([2, 3])).toBe(3 - 20);
    expect(hl.lambda(x, 1).name).not.toBe(hl.lambda(x, 1).name);
  });

  it("with no variables: zero-dimensional, or over the implicit variables the value uses", () => {
    const c = hl.lambda(hl.f32(1.5));
    expect(c.dimensions).toBe(0);
    expect(c.realize([]).get([])).toBe(1.5);
    const buf = new hl.Buffer(hl.Int(16), [3, 2]);
    buf.forEachElement(([i, j]) => buf.set([i, j], i - 7 * j));
    const copy = hl.lambda(buf.at(hl._));
    expect(copy.args().map((v) => v.name)).toEqual(["_0", "_1"]);
    expect(copy.type.toString()).toBe("int16");
    expect(copy.realize([3, 2]).get([2, 1])).toBe(-5);
    // The placeholder may also stand among the variables, for the dimensions after x.
    const z3 = new hl.Buffer(hl.UInt(8), [2, 3, 4]);
    z3.forEachElement(([i, j, k]) => z3.set([i, j, k], i + 2 * j + 6 * k));
    const tail = hl.lambda(x, hl._, z3.at(x, hl._).mul(2));
    expect(tail.args().map((v) => v.name)).toEqual(["x", "_0", "_1"]);
    expect(tail.realize([2, 3, 4]).get([1, 2, 3])).toBe(2 * (1 + 4 + 18));
  });

  it("a list value makes a Tuple-valued Func; a Tuple FuncRef is copied whole", () => {
    const pair = hl.lambda(x, [x, hl.f32(x).div(2)]);
    expect(pair.outputs).toBe(2);
    const [a, b] = pair.realizeTuple([4]);
    expect([a.get([3]), b.get([3])]).toEqual([3, 1.5]);
    const copy = hl.lambda(z, pair.at(z));
    expect(copy.types.map(String)).toEqual(["int32", "float32"]);
    expect(copy.realizeTuple([4])[1].get([1])).toBe(0.5);
  });

  it("makes an ordinary Func: callable, schedulable, usable as a wrapper (Halide's test idiom)", () => {
    const f = new hl.Func("lambda_src");
    f.at(x, y).set(x.mul(y));
    const wrapper = hl.lambda(x, y, f.at(x, y).add(1));
    wrapper.vectorize(x, 8).parallel(y);
    const out = wrapper.realize([19, 5]);
    expect(out.get([17, 4])).toBe(17 * 4 + 1);
    const user = new hl.Func("lambda_user");
    user.at(x).set(wrapper.at(x, 2).mul(3));
    expect(user.realize([5]).get([4])).toBe((4 * 2 + 1) * 3);
  });

  it("errors: no value, a non-Var variable, a free variable, a repeated variable", () => {
    throwsHalide(() => (hl.lambda as (...a: unknown[]) => hl.Func)(), "needs at least a value");
    throwsHalide(() => hl.lambda(x, 1 as unknown as hl.Var, x), "Argument 2 of hl.lambda is not a Var");
    throwsHalide(() => hl.lambda(x, y.add(1)), `Undefined variable "y"`);
    throwsHalide(() => hl.lambda(x), `Undefined variable "x"`);
    throwsHalide(() => hl.lambda(x, x, x), "both have the name");
  });
});
