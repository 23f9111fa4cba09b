// specialize / specializeFail: schedules chosen when the pipeline runs, each branch checked only when taken.
import { describe, expect, it } from "bun:test";
import * as hl from "../../mod.ts";
import { lowerPipeline } from "../../src/lower/lower.ts";
import { stmtToString } from "../../src/ir/printer.ts";
import { mismatchVsInterpreter, throwsHalide } from "./helpers.ts";

const x = new hl.Var("x"), y = new hl.Var("y");
const [xo, xi] = [new hl.Var("xo"), new hl.Var("xi")];

describe("specialize", () => {
  it("a Bool Param picks the schedule when the pipeline runs; both give the interpreter's values", () => {
    const fast = new hl.Param(hl.Bool(), "fast", true);
    const f = new hl.Func("spec_param");
    f.at(x, y).set(x.mul(7).bitXor(y.mul(3)));
    f.specialize(fast).split(x, xo, xi, 4).vectorize(xi).parallel(y);
    const text = stmtToString(lowerPipeline(f.fn).body);
    expect(text).toContain("if (fast)");
    expect(text).toContain("parallel (");
    for (const v of [true, false]) {
      fast.set(v);
      expect(mismatchVsInterpreter(f, [13, 5])).toBe("");
    }
  });

  it("a size-dependent vectorization: narrow outputs take the unvectorized branch, with no bounds error", () => {
    const input = new hl.ImageParam(hl.Int(32), 1, "spec_in");
    const f = new hl.Func("spec_width");
    f.at(x).set(input.at(x).mul(2));
    f.specialize(f.outputBuffer().dim(0).extent().ge(8)).vectorize(x, 8);
    for (const n of [3, 5, 8, 13, 64]) {
      const buf = new hl.Buffer(hl.Int(32), [n]);
      buf.forEachElement(([i]) => buf.set([i], i - 2));
      input.set(buf);
      const out = f.realize([n]);
      out.forEachElement(([i]) => expect(out.get([i])).toBe(2 * (i - 2)));
    }
  });

  it("specializations are tried in order, nest, and the same condition returns the same Stage", () => {
    const p = new hl.Param(hl.Int(32), "mode", 0);
    const f = new hl.Func("spec_order");
    f.at(x, y).set(x.add(y.mul(100)));
    const a = f.specialize(p.eq(1));
    a.vectorize(x, 4);
    a.specialize(f.outputBuffer().dim(1).extent().gt(2)).parallel(y);
    f.specialize(p.eq(2)).unroll(x, 2);
    expect(f.specialize(p.eq(1))).toBeInstanceOf(hl.Stage);
    for (const m of [0, 1, 2]) {
      p.set(m);
      for (const size of [[8, 2], [8, 6], [12, 3]]) expect(mismatchVsInterpreter(f, size)).toBe("");
    }
    const text = stmtToString(lowerPipeline(f.fn).body);
    expect(text).toContain("(mode == 1)");
    expect(text).toContain("(mode == 2)");
  });

  it("specializeFail: the message when no specialization holds", () => {
    const g = new hl.Func("spec_fail");
    g.at(x).set(x);
    g.specialize(g.outputBuffer().dim(0).extent().eq(8)).vectorize(x, 8);
    g.specializeFail("Only widths of 8 are supported");
    expect(g.realize([8]).get([7])).toBe(7);
    throwsHalide(() => g.realize([5]), "Only widths of 8 are supported");
    throwsHalide(() => g.specialize(true), "can't add a specialization after specializeFail()");
    throwsHalide(() => g.specializeFail("again"), "specializeFail() was already called");
  });

  it("a condition that is not a scalar Bool is a HalideError naming the Func", () => {
    const g = new hl.Func("spec_bad");
    g.at(x).set(x);
    throwsHalide(() => g.specialize(x.add(1)), "spec_bad", "must be a scalar Bool, not int32");
  });
});
