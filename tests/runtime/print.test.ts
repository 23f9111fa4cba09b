// hl.print / hl.printWhen output: on stdout in order by the time a call returns, or to a custom print function.
import { describe, expect, it } from "bun:test";
import * as hl from "../../mod.ts";
import { runScript, throwsHalide } from "../schedule/helpers.ts";

const x = new hl.Var("x"), y = new hl.Var("y");

describe("print output", () => {
  it("reaches stdout before the call returns, between the JavaScript output around it", () => {
    const out = runScript(new URL("./print_fixture.ts", import.meta.url).pathname).trim().split("\n");
    expect(out[0]).toBe("before");
    expect(out[out.length - 1]).toBe("after");
    expect(out.slice(1, -1).sort()).toEqual(["0 row 0", "1 row 1", "2 row 2"]);
  });

  it("goes to a custom print function instead: every line of a parallel loop, none mixed", () => {
    const f = new hl.Func("parallel_prints");
    f.at(x, y).set(hl.printWhen(x.eq(1), y.mul(2), "is twice", y));
    f.parallel(y);
    const lines: string[] = [];
    const p = new hl.Pipeline(f).setCustomPrint((line) => lines.push(line));
    const [out] = p.realize([3, 500]);
    expect(out.get([1, 7])).toBe(14);
    expect(lines).toHaveLength(500);
    const expected = Array.from({ length: 500 }, (_, i) => `${2 * i} is twice ${i}`);
    expect([...lines].sort()).toEqual(expected.sort());
    // Restoring stdout: the pipeline no longer calls the function.
    p.setCustomPrint(undefined);
    lines.length = 0;
    p.realize([3, 2]);
    expect(lines).toHaveLength(0);
  });

  it("delivers the lines printed before a failure, and says when output did not fit", () => {
    const limit = new hl.Param(hl.Int(32), "limit", 5);
    const f = new hl.Func("prints_then_fails");
    f.at(x).set(hl.require(x.lt(limit), hl.print(x), "x too large"));
    const lines: string[] = [];
    const p = new hl.Pipeline(f).setCustomPrint((line) => lines.push(line));
    throwsHalide(() => p.realize([8]), "Requirement Failed");
    expect(lines.slice(0, 5)).toEqual(["0", "1", "2", "3", "4"]);

    const g = new hl.Func("prints_a_lot");
    g.at(x).set(hl.print(x, "a rather long line of text to fill the buffer quickly"));
    const many: string[] = [];
    new hl.Pipeline(g).setCustomPrint((line) => many.push(line)).realize([100000]);
    expect(many[0]).toBe("0 a rather long line of text to fill the buffer quickly");
    expect(many[many.length - 1]).toMatch(/^\[halide-ts: \d+ more bytes of print output did not fit\]$/);
    throwsHalide(() => new hl.Pipeline(g).setCustomPrint(3 as unknown as () => void), "setCustomPrint takes a function");
  });
});
