// in() wrappers and cloneIn: calls redirected to Funcs with the same values, scheduled on their own.
import { describe, expect, it } from "bun:test";
import * as hl from "../../mod.ts";
import { mismatchVsInterpreter, throwsHalide } from "./helpers.ts";

const x = new hl.Var("x"), y = new hl.Var("y");

function chain(tag: string) {
  const f = new hl.Func(`${tag}_f`), g = new hl.Func(`${tag}_g`), h = new hl.Func(`${tag}_h`);
  f.at(x, y).set(x.add(y.mul(10)));
  g.at(x, y).set(f.at(x, y).add(f.at(x.add(1), y)));
  h.at(x, y).set(g.at(x, y).mul(2).add(f.at(x, y)));
  f.computeRoot();
  g.computeRoot();
  return { f, g, h };
}

describe("in() and cloneIn()", () => {
  it("f.in(g): only g reads through the wrapper, which can be scheduled; asking again gives the same Func", () => {
    const { f, g, h } = chain("w1");
    const w = f.in(g);
    expect(f.in(g)).toBe(w);
    w.computeAt(g, y).vectorize(x, 4);
    const nest = h.loopNest();
    expect(nest).toContain(`produce ${w.name}`);
    expect(nest.indexOf(`produce ${w.name}`)).toBeGreaterThan(nest.indexOf(`produce ${g.name}`));
    expect(mismatchVsInterpreter(h, [8, 3])).toBe("");
  });

  it("f.in() wraps every consumer; f.in([g, h]) shares one wrapper", () => {
    const a = chain("w2");
    const all = a.f.in();
    all.computeRoot().vectorize(x, 4);
    expect(all.name).toMatch(/_global_wrapper$/);
    expect(mismatchVsInterpreter(a.h, [9, 4])).toBe("");
    const b = chain("w3");
    const shared = b.f.in([b.g, b.h]);
    expect(b.f.in([b.g, b.h])).toBe(shared);
    shared.computeRoot();
    expect(mismatchVsInterpreter(b.h, [9, 4])).toBe("");
  });

  it("cloneIn copies the definition and schedule; the clone is scheduled apart from f", () => {
    const { f, g, h } = chain("w4");
    const c = f.cloneIn(h);
    expect(c.toString()).toContain("(x + (y*10))");
    c.computeAt(h, y);
    expect(h.loopNest()).toContain(`produce ${c.name}`);
    expect(g.loopNest()).not.toContain(c.name);
    expect(mismatchVsInterpreter(h, [7, 5])).toBe("");
  });

  it("ImageParam.in(): every read of the input goes through one Func", () => {
    const input = new hl.ImageParam(hl.Int(32), 2, "wrapped_input");
    const k = new hl.Func("reads_wrapped");
    k.at(x, y).set(input.at(x, y).mul(3).add(input.at(x.add(1), y)));
    const staged = input.in();
    expect(input.in()).toBe(staged);
    staged.computeAt(k, y).vectorize(hl.Var.implicit(0), 4);
    const b = new hl.Buffer(hl.Int(32), [9, 3]);
    b.forEachElement(([i, j]) => b.set([i, j], i * j));
    input.set(b);
    const out = k.realize([8, 3]);
    out.forEachElement(([i, j]) => expect(out.get([i, j])).toBe(3 * i * j + (i + 1) * j));
    expect(k.loopNest()).toContain(`produce ${staged.name}`);
  });

  it("bad consumers are HalideErrors naming the Func", () => {
    const { f, g } = chain("w5");
    throwsHalide(() => f.in([]), "needs at least one consumer Func");
    throwsHalide(() => f.in(f), "can't be wrapped for calls from itself");
    throwsHalide(() => f.cloneIn(3 as unknown as hl.Func), "takes Funcs");
    throwsHalide(() => new hl.Func("w5_undefined").in(g), "w5_undefined");
  });
});
