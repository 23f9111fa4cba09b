// Pipeline (API.md §5; Halide's Python PyPipeline.cpp, reference §1.15): realize over sizes or into Buffers,
// compileJit and the compiled-code cache, several Pipelines over one Func, addRequirement ("Requirement Failed:
// …"), and inferInputBounds (Func's and Pipeline's) for stencils, upsampling, downsampling, constraints and
// bounds-query outputs.
import { describe, expect, it } from "bun:test";
import * as hl from "../../mod.ts";
import { pipelineOf } from "../../src/lang/pipeline.ts";
import { errorOf, throwsHalide } from "../schedule/helpers.ts";

const x = new hl.Var("x"), y = new hl.Var("y"), c = new hl.Var("c");

type Shape = [min: number, extent: number][];
/** [min, extent] per dimension. */
function shape(b: hl.Buffer | undefined): Shape {
  if (!b) throw new Error("no buffer bound");
  return Array.from({ length: b.dimensions }, (_, d) => [b.dim(d).min, b.dim(d).extent] as [number, number]);
}
function values(b: hl.Buffer): unknown[] {
  return Array.from({ length: b.dim(0).extent }, (_, i) => b.get([b.dim(0).min + i]));
}

describe("Pipeline: construction and realize", () => {
  it("outputs(), realize(sizes) → one Buffer per output value, realize(dst) honours mins", () => {
    const f = new hl.Func("pf");
    f.at(x, y).set(x.mul(10).add(y));
    const p = new hl.Pipeline(f);
    expect(p.outputs()).toHaveLength(1);
    expect(p.outputs()[0]).toBe(f);
    const outs = p.realize([3, 2]);
    expect(outs).toHaveLength(1);
    expect(shape(outs[0])).toEqual([[0, 3], [0, 2]]);
    expect(outs[0].get([2, 1])).toBe(21);
    const dst = new hl.Buffer(hl.Int(32), [2, 2]);
    dst.setMin([5, -3]);
    const back = p.realize([dst]);
    expect(back[0]).toBe(dst);
    expect(dst.get([6, -2])).toBe(58);
    expect(new hl.Pipeline([f]).realize([1, 1])[0].get([0, 0])).toBe(0);
  });

  it("a Tuple-valued Func: one Buffer per value, of each value's type", () => {
    const t = new hl.Func("tup");
    t.at(x).set([x, hl.f32(x).div(2), hl.u8(x.mul(100))]);
    const [a, b, u] = new hl.Pipeline(t).realize([4]);
    expect(values(a)).toEqual([0, 1, 2, 3]);
    expect(values(b)).toEqual([0, 0.5, 1, 1.5]);
    expect(u.type.toString()).toBe("uint8");
    expect(values(u)).toEqual([0, 100, 200, 44]);
    const dst = [new hl.Buffer(hl.Int(32), [2]), new hl.Buffer(hl.Float(32), [2]), new hl.Buffer(hl.UInt(8), [2])];
    dst.forEach((d) => d.setMin([10]));
    new hl.Pipeline(t).realize(dst);
    expect(dst[1].get([11])).toBe(5.5);
    // value buffers of different shapes, or the wrong count
    expect(() => new hl.Pipeline(t).realize([dst[0], dst[1], new hl.Buffer(hl.UInt(8), [3])])).toThrow(hl.HalideError);
    expect(() => new hl.Pipeline(t).realize([dst[0], dst[1]])).toThrow(hl.HalideError);
  });

  it("realize checks: wrong number of sizes, wrong dst type or dimensionality are HalideErrors naming the Func", () => {
    const f = new hl.Func("checked");
    f.at(x, y).set(hl.u16(x.add(y)));
    const p = new hl.Pipeline(f);
    expect(errorOf(() => p.realize([2])).message).toContain("checked");
    const e = errorOf(() => p.realize([new hl.Buffer(hl.UInt(8), [2, 2])]));
    expect(e.message).toContain("uint16");
    expect(e.message).toContain("uint8");
    expect(errorOf(() => p.realize([new hl.Buffer(hl.UInt(16), [2])])).message).toContain("checked");
    expect(errorOf(() => p.realize([hl.Buffer.makeBoundsQuery(hl.UInt(16), [2, 2])])).message).toContain(
      "bounds-query",
    );
  });

  it("constructor errors: no outputs, an undefined Func", () => {
    expect(() => new hl.Pipeline([])).toThrow(hl.HalideError);
    expect(errorOf(() => new hl.Pipeline(new hl.Func("never_defined"))).message).toContain("never_defined");
  });
});

describe("Pipeline: compilation", () => {
  it("compileJit compiles once; realize reuses it; redefining the schedule recompiles", () => {
    const f = new hl.Func("jit_once");
    f.at(x).set(x.mul(x));
    const p = new hl.Pipeline(f);
    expect(p.compileJit()).toBe(p);
    const code = p.compiled();
    p.compileJit();
    expect(p.compiled()).toBe(code);
    expect(values(p.realize([4])[0])).toEqual([0, 1, 4, 9]);
    expect(p.compiled()).toBe(code);
    f.vectorize(x, 4);
    expect(p.compiled()).not.toBe(code);
    expect(values(p.realize([8])[0])).toEqual([0, 1, 4, 9, 16, 25, 36, 49]);
  });

  it("Func.compileJit is the Func's own pipeline (the one realize uses)", () => {
    const f = new hl.Func("func_jit");
    f.at(x).set(x.add(1));
    expect(f.compileJit()).toBe(f);
    const code = pipelineOf(f).compiled();
    expect(values(f.realize([2]))).toEqual([1, 2]);
    expect(pipelineOf(f).compiled()).toBe(code);
  });

  it("several Pipelines over the same Func: separate compiled code, same results, requirements stay with their Pipeline", () => {
    const k = new hl.Param(hl.Int(32), "k", 2);
    const f = new hl.Func("shared");
    f.at(x).set(x.mul(k));
    const p1 = new hl.Pipeline(f), p2 = new hl.Pipeline(f);
    expect(values(p1.realize([3])[0])).toEqual([0, 2, 4]);
    expect(values(p2.realize([3])[0])).toEqual([0, 2, 4]);
    expect(p1.compiled()).not.toBe(p2.compiled());
    p2.addRequirement(k.lt(0), "k must be negative");
    throwsHalide(() => p2.realize([3]), "Requirement Failed", "k must be negative");
    expect(values(p1.realize([3])[0])).toEqual([0, 2, 4]);
    expect(values(f.realize([3]))).toEqual([0, 2, 4]);
    k.set(-1);
    expect(values(p2.realize([3])[0])).toEqual([0, -1, -2]);
    expect(values(p1.realize([3])[0])).toEqual([0, -1, -2]);
  });
});

describe("Pipeline.addRequirement", () => {
  it("Python's test_requirements: passes when true; fails with the message and the values", () => {
    const delta = new hl.Param(hl.Int(32), "delta");
    const f = new hl.Func("f_requirements");
    f.at(x).set(x.add(delta));
    const p = new hl.Pipeline([f]);
    expect(p.addRequirement(delta.ne(0))).toBe(p);
    p.addRequirement(delta.gt(0), "negative values are bad", delta);
    delta.set(1);
    expect(values(p.realize([3])[0])).toEqual([1, 2, 3]);
    delta.set(0);
    throwsHalide(() => p.realize([10]), /^Requirement Failed: \(/);
    delta.set(-1);
    throwsHalide(() => p.realize([10]), /^Requirement Failed: \(.*\) negative values are bad -1$/);
    delta.set(4);
    expect(values(p.realize([2])[0])).toEqual([4, 5]);
  });

  it("messages mix strings and Exprs of several types; adding a requirement recompiles", () => {
    const a = new hl.Param(hl.Int(32), "a", 7), s = new hl.Param(hl.Float(32), "s", 0.5);
    const f = new hl.Func("req_mixed");
    f.at(x).set(x.add(a));
    const p = new hl.Pipeline(f);
    const before = p.compiled();
    p.addRequirement(a.lt(5), "a =", a, "times two =", a.mul(2), "s =", s);
    expect(p.compiled()).not.toBe(before);
    throwsHalide(() => p.realize([1]), /^Requirement Failed: \(.*\) a = 7 times two = 14 s = 0\.500000$/);
  });

  it("a non-Bool condition is a HalideError when added", () => {
    const p = new hl.Pipeline((() => {
      const f = new hl.Func("req_bad");
      f.at(x).set(x);
      return f;
    })());
    expect(() => p.addRequirement(x.add(1))).toThrow(hl.HalideError);
  });
});

describe("inferInputBounds", () => {
  it("a stencil: the input gets exactly the region read, and realize then succeeds", () => {
    const im = new hl.ImageParam(hl.Float(32), 2, "in");
    const f = new hl.Func("stencil");
    f.at(x, y).set(im.at(x.sub(1), y).add(im.at(x.add(2), y.add(1))));
    f.inferInputBounds([10, 5]);
    expect(shape(im.get())).toEqual([[-1, 13], [0, 6]]);
    expect(im.get()!.dim(0).stride).toBe(1);
    im.get()!.fill(1.5);
    expect(f.realize([10, 5]).get([9, 4])).toBe(3);
  });

  it("a Buffer already bound is left alone", () => {
    const im = new hl.ImageParam(hl.UInt(8), 1, "kept");
    const f = new hl.Func("kept_f");
    f.at(x).set(im.at(x.add(1)));
    const b = new hl.Buffer(hl.UInt(8), [3]);
    im.set(b);
    f.inferInputBounds([20]);
    expect(im.get()).toBe(b);
  });

  it("upsampling and downsampling, into a destination Buffer with mins", () => {
    const im = new hl.ImageParam(hl.UInt(8), 2, "up_in");
    const up = new hl.Func("up");
    up.at(x, y).set(im.at(x.div(2), y.div(2)));
    up.inferInputBounds([10, 7]);
    expect(shape(im.get())).toEqual([[0, 5], [0, 4]]);

    const im2 = new hl.ImageParam(hl.UInt(8), 2, "down_in");
    const down = new hl.Func("down");
    down.at(x, y).set(im2.at(x.mul(2), y.mul(3).add(1)));
    const dst = new hl.Buffer(hl.UInt(8), [4, 3]);
    dst.setMin([1, 2]);
    down.inferInputBounds(dst);
    expect(shape(im2.get())).toEqual([[2, 7], [7, 7]]);
    im2.get()!.forEachElement(([i, j]) => im2.get()!.set([i, j], (i + j) & 255));
    down.realize(dst);
    expect(dst.get([4, 4])).toBe(8 + 13);
  });

  it("across dimensions: a transposing 3-D read, and a pipeline with two inputs", () => {
    const rgb = new hl.ImageParam(hl.UInt(8), 3, "rgb");
    const alpha = new hl.ImageParam(hl.Float(32), 1, "alpha");
    const f = new hl.Func("two_inputs");
    f.at(x, y).set(hl.f32(rgb.at(y, x, 2).add(rgb.at(y, x, 0))).mul(alpha.at(x.sub(3))));
    f.inferInputBounds([6, 9]);
    expect(shape(rgb.get())).toEqual([[0, 9], [0, 6], [0, 3]]);
    expect(shape(alpha.get())).toEqual([[-3, 6]]);
  });

  it("with constraints: setExtent widens the region, setMin(0) moves it when the region starts at 0", () => {
    const im = new hl.ImageParam(hl.UInt(8), 2, "cons_in");
    im.dim(0).setMin(0);
    im.dim(1).setExtent(16);
    const f = new hl.Func("cons_f");
    f.at(x, y).set(im.at(x, y.add(2)).add(im.at(x.add(1), y)));
    f.inferInputBounds([5, 4]);
    expect(shape(im.get())).toEqual([[0, 6], [0, 16]]);
  });

  it("constraints that would shrink the required region are a HalideError (bounds-query protocol)", () => {
    const im = new hl.ImageParam(hl.UInt(8), 2, "shrink_in");
    im.dim(1).setExtent(2);
    const f = new hl.Func("shrink_f");
    f.at(x, y).set(im.at(x, y));
    throwsHalide(
      () => f.inferInputBounds([5, 4]),
      "shrink_in",
      "to the required region made it smaller in dimension 1",
    );
  });

  it("a constraint between an input and the output (extent of the input = output width + 4)", () => {
    const im = new hl.ImageParam(hl.Int(32), 1, "rel_in");
    const f = new hl.Func("rel_f");
    f.at(x).set(im.at(x));
    im.dim(0).setExtent(f.outputBuffer().dim(0).extent().add(4));
    f.inferInputBounds([6]);
    expect(shape(im.get())).toEqual([[0, 10]]);
  });

  it("Pipeline.inferInputBounds with sizes and with a bounds-query destination", () => {
    const im = new hl.ImageParam(hl.UInt(8), 1, "pq_in");
    const f = new hl.Func("pq");
    f.at(x).set(im.at(x.add(1)).add(im.at(x.mul(2))));
    const p = new hl.Pipeline(f);
    p.inferInputBounds([8]);
    expect(shape(im.get())).toEqual([[0, 15]]);
    im.reset();
    const q = hl.Buffer.makeBoundsQuery(hl.UInt(8), [4]);
    q.setMin([3]);
    p.inferInputBounds([q]);
    expect(shape(im.get())).toEqual([[4, 9]]);
  });

  it("Params' current values take part: f(x) = in(x + r)", () => {
    const r = new hl.Param(hl.Int(32), "r", 2);
    const im = new hl.ImageParam(hl.UInt(8), 1, "offset_in");
    const f = new hl.Func("offset_f");
    f.at(x).set(im.at(x.add(r)));
    f.inferInputBounds([10]);
    expect(shape(im.get())).toEqual([[2, 10]]);
    im.reset();
    r.set(-7);
    f.inferInputBounds([10]);
    expect(shape(im.get())).toEqual([[-7, 10]]);
  });

  it("a wrong destination is a HalideError", () => {
    const im = new hl.ImageParam(hl.UInt(8), 2, "wrong_dst_in");
    const f = new hl.Func("wrong_dst");
    f.at(x, y, c).set(im.at(x, y));
    expect(() => f.inferInputBounds([4, 4])).toThrow(hl.HalideError);
    expect(() => f.inferInputBounds(new hl.Buffer(hl.Float(32), [4, 4, 3]))).toThrow(hl.HalideError);
  });
});
