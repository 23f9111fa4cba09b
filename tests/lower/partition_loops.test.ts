// Loop partitioning: the steady state of a boundary-condition or tail-strategy loop has no clamps or guards,
// and the results stay those of the interpreter.
import { describe, expect, it } from "bun:test";
import * as hl from "../../mod.ts";
import { lowerPipeline } from "../../src/lower/lower.ts";
import { stmtToString } from "../../src/ir/printer.ts";
import { loopsNamed, mismatchVsInterpreter, throwsHalide } from "../schedule/helpers.ts";

const x = new hl.Var("x"), y = new hl.Var("y");

const loops = loopsNamed;

describe("loop partitioning", () => {
  it("a clamped stencil vectorized over x: the steady state reads without min/max", () => {
    const input = new hl.ImageParam(hl.Float(32), 1, "input");
    const w = input.dim(0).extent();
    const at = (e: hl.ExprLike) => input.at(hl.clamp(e, 0, w.sub(1)));
    const f = new hl.Func("clamped_blur");
    f.at(x).set(at(x.sub(1)).add(at(x)).add(at(x.add(1))));
    f.vectorize(x, 8);
    const lp = lowerPipeline(f.fn);
    const pieces = loops(lp.body, `${f.name}.s0.x.x`);
    expect(pieces).toHaveLength(3); // prologue, steady state, epilogue
    const steady = stmtToString(pieces[1].body);
    expect(steady).not.toContain("min(");
    expect(steady).not.toContain("max(");
    expect(stmtToString(pieces[0].body)).toContain("max(");
    const buf = new hl.Buffer(hl.Float(32), [37]);
    buf.forEachElement(([i]) => buf.set([i], (i * 7) % 11));
    input.set(buf);
    for (const n of [8, 9, 16, 37, 100]) expect(mismatchVsInterpreter(f, [n])).toBe("");
  });

  it("a GuardWithIf tail: the steady state has no guard, and every size is still right", () => {
    const f = new hl.Func("guarded");
    f.at(x, y).set(x.mul(3).add(y));
    const [xo, xi] = [new hl.Var("xo"), new hl.Var("xi")];
    f.split(x, xo, xi, 4, hl.TailStrategy.GuardWithIf);
    const lp = lowerPipeline(f.fn);
    const pieces = loops(lp.body, `${f.name}.s0.x.xi`);
    expect(pieces.length).toBeGreaterThanOrEqual(2);
    expect(pieces.some((p) => !stmtToString(p.body).includes("likely"))).toBe(true);
    for (const n of [1, 3, 4, 5, 13]) expect(mismatchVsInterpreter(f, [n, 3])).toBe("");
  });

  it("a ShiftInwards tail: the steady state indexes without the shift", () => {
    const f = new hl.Func("shifted");
    f.at(x).set(x.mul(x));
    f.vectorize(x, 8);
    const lp = lowerPipeline(f.fn);
    const pieces = loops(lp.body, `${f.name}.s0.x.x`);
    expect(pieces).toHaveLength(2); // steady state, then the shifted last vector
    expect(stmtToString(pieces[0].body)).not.toContain("min(");
    for (const n of [8, 9, 15, 16, 17, 64]) expect(mismatchVsInterpreter(f, [n])).toBe("");
  });

  it("loops of one iteration and parallel loops are left whole", () => {
    const f = new hl.Func("one_iteration");
    f.at(x, y).set(x.add(y));
    f.vectorize(x, 8).parallel(y);
    f.outputBuffer().dim(0).setExtent(8);
    const lp = lowerPipeline(f.fn);
    expect(stmtToString(lp.body)).not.toContain("prologue_end");
    expect(stmtToString(lp.body)).not.toContain("epilogue_start");
  });
});

describe("partition policies", () => {
  it("Never keeps the loop whole; Always partitions a parallel loop, and is an error with nothing to partition", () => {
    const make = (name: string) => {
      const f = new hl.Func(name);
      f.at(x, y).set(x.mul(y));
      f.vectorize(x, 8);
      return f;
    };
    const never = make("never_partitioned");
    never.partition(x, hl.Partition.Never);
    expect(stmtToString(lowerPipeline(never.fn).body)).not.toContain("epilogue_start");
    expect(mismatchVsInterpreter(never, [13, 2])).toBe("");

    const always = make("always_partitioned");
    always.parallel(x).alwaysPartition([x]);
    expect(loopsNamed(lowerPipeline(always.fn).body, `${always.name}.s0.x.x`)).toHaveLength(2);
    expect(mismatchVsInterpreter(always, [13, 2])).toBe("");

    const nothing = new hl.Func("nothing_to_partition");
    nothing.at(x, y).set(x.add(y));
    nothing.alwaysPartition([y]);
    throwsHalide(() => lowerPipeline(nothing.fn), "Loop Partition Policy is set to Always for nothing_to_partition", "but no loop partitioning was performed");
    nothing.neverPartition([y]);
    expect(nothing.realize([3, 3]).get([2, 2])).toBe(4);
    throwsHalide(() => nothing.partition(y, "Sometimes" as hl.Partition), "partition needs an hl.Partition");
  });
});
