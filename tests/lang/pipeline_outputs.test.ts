// Pipelines with several output Funcs: each computed over its own buffer, sharing producers, reading each other.
import { describe, expect, it } from "bun:test";
import * as hl from "../../mod.ts";
import { throwsHalide } from "../schedule/helpers.ts";

const x = new hl.Var("x"), y = new hl.Var("y");

describe("Pipeline with several outputs", () => {
  it("realizes every output (Tuples included) from shared producers, and as a Callable", () => {
    const input = new hl.ImageParam(hl.Int(32), 2, "multi_in");
    const f = new hl.Func("multi_f"), g = new hl.Func("multi_g"), h = new hl.Func("multi_h");
    h.at(x, y).set(input.at(x, y).mul(2));
    f.at(x, y).set(h.at(x, y).add(1));
    g.at(x, y).set([f.at(x, y).add(h.at(x, y)), hl.f32(x).div(2)]);
    h.computeRoot();
    f.vectorize(x, 4);
    g.parallel(y);
    const buf = new hl.Buffer(hl.Int(32), [8, 3]);
    buf.forEachElement(([i, j]) => buf.set([i, j], i + 10 * j));
    input.set(buf);
    const p = new hl.Pipeline([f, g]);
    expect(String(p)).toMatch(/^<halide\.Pipeline \['multi_f(\$\d+)?','multi_g(\$\d+)?'\]>$/);
    const [fo, g0, g1] = p.realize([8, 3]);
    fo.forEachElement(([i, j]) => {
      const v = i + 10 * j;
      expect(fo.get([i, j])).toBe(2 * v + 1);
      expect(g0.get([i, j])).toBe(4 * v + 1);
      expect(g1.get([i, j])).toBe(i / 2);
    });
    const run = p.compileToCallable([input]);
    expect(run.arguments.map((a) => a.name.replace(/\$\d+/, ""))).toEqual(["multi_in", "multi_f", "multi_g.0", "multi_g.1"]);
    const outs = [new hl.Buffer(hl.Int(32), [8, 3]), new hl.Buffer(hl.Int(32), [8, 3]), new hl.Buffer(hl.Float(32), [8, 3])];
    run(buf, ...outs);
    expect(outs[1].get([7, 1])).toBe(4 * 17 + 1);
  });

  it("an output read by another output must cover what is read, in Halide's words", () => {
    const a = new hl.Func("read_output"), b = new hl.Func("reads_it");
    a.at(x).set(x.mul(x));
    b.at(x).set(a.at(x.add(1)));
    const p = new hl.Pipeline([a, b]);
    throwsHalide(() => p.realize([5]), /Output buffer read_output(\$\d+)? is accessed at 5, which is beyond the max \(4\)/);
    const [ao, bo] = p.realize([new hl.Buffer(hl.Int(32), [6]), new hl.Buffer(hl.Int(32), [5])]);
    expect(bo.get([4])).toBe(25);
    expect(ao.get([5])).toBe(25);
  });

  it("wrong buffers and repeated outputs are HalideErrors", () => {
    const a = new hl.Func("out_a"), b = new hl.Func("out_b");
    a.at(x).set(x);
    b.at(x).set(hl.f32(x));
    const p = new hl.Pipeline([a, b]);
    throwsHalide(() => p.realize([new hl.Buffer(hl.Int(32), [4])]), "The pipeline's outputs have 2 values but realize was given 1 buffers.");
    throwsHalide(
      () => p.realize([new hl.Buffer(hl.Int(32), [4]), new hl.Buffer(hl.Int(32), [4])]),
      /Output buffer out_b(\$\d+)? has type float32 but type of the buffer passed in is int32/,
    );
    throwsHalide(() => new hl.Pipeline([a, a]).realize([4]), "is listed twice among the pipeline's outputs");
  });
});

describe("Pipeline introspection and estimates", () => {
  it("loopNest covers every output; inferArguments lists the Params and ImageParams in use", () => {
    const input = new hl.ImageParam(hl.Int(32), 1, "intro_in");
    const k = new hl.Param(hl.Int(32), "intro_k", 2);
    const unused = new hl.Param(hl.Int(32), "intro_unused");
    const a = new hl.Func("intro_a"), b = new hl.Func("intro_b");
    a.at(x).set(input.at(x).mul(k));
    b.at(x).set(a.at(x).add(1));
    const p = new hl.Pipeline([a, b]);
    const nest = p.loopNest();
    expect(nest.split("\n")[0]).toMatch(/^produce intro_a(\$\d+)?, intro_b(\$\d+)?:$/);
    expect(nest).toContain("for x:");
    const args = p.inferArguments();
    expect(args).toContain(input);
    expect(args).toContain(k);
    expect(args).not.toContain(unused);
    expect(b.inferArguments()).toHaveLength(2);
    const run = p.compileToCallable(args);
    const buf = new hl.Buffer(hl.Int(32), [4]).fill(5);
    const [ao, bo] = [new hl.Buffer(hl.Int(32), [4]), new hl.Buffer(hl.Int(32), [4])];
    run(...args.map((q) => (q === input ? buf : 3)), ao, bo);
    expect([ao.get([0]), bo.get([0])]).toEqual([15, 16]);
  });

  it("setEstimate / setEstimates record ranges and reject what is not a Var of the Func", () => {
    const f = new hl.Func("estimated");
    f.at(x, y).set(x.add(y));
    f.setEstimate(x, 0, 1536).setEstimates([[0, 1536], [0, 2560]]);
    expect(f.fn.funcSchedule.estimates?.map((e) => e.var)).toEqual(["x", "y"]);
    throwsHalide(() => f.setEstimate(new hl.Var("zz"), 0, 4), "not one of its Vars");
    throwsHalide(() => f.setEstimates([[0, 4]]), "has 2 dimensions, but setEstimates was given 1 ranges");
    throwsHalide(() => f.setEstimate(x, 0.5, 4), "must be an int32, not float32");
  });
});
