// Resource hygiene: compiled pipelines are released with their Funcs, and failing calls free what they
// allocated. Measured in a child process with an explicit garbage collector (see hygiene_fixture.ts).
import { describe, expect, it } from "bun:test";
import * as hl from "../../mod.ts";
import { runScript, throwsHalide } from "../schedule/helpers.ts";

describe("resource hygiene", () => {
  it("dropped pipelines are collected, and failing calls do not leak their intermediates", () => {
    const script = new URL("./hygiene_fixture.ts", import.meta.url).pathname;
    const r = JSON.parse(runScript(script, {}, ["200"], true).trim().split("\n").pop()!);
    console.log(`hygiene: ${JSON.stringify(r)}`);
    // Almost every dropped Func was collected (a few may still be referenced from the last iterations).
    expect(r.collected).toBeGreaterThan(r.pipelines * 0.8);
    // 150 more compiled pipelines after warm-up; each leaked JIT module would cost tens of kB.
    expect(r.compileGrowthMB).toBeLessThan(40);
    // 300 failures, each with a 4 MB intermediate live: leaking them would be 1.2 GB.
    expect(r.failures).toBe(300);
    expect(r.failureGrowthMB).toBeLessThan(100);
    expect(r.healthy).toBe(true);
  }, 120000);
});

describe("allocation limits", () => {
  it("an intermediate larger than 2^31 - 1 bytes is a HalideError, and the process stays healthy", () => {
    const x = new hl.Var("x"), y = new hl.Var("y");
    const g = new hl.Func("too_big"), f = new hl.Func("reads_too_big");
    g.at(x, y).set(x.add(y));
    f.at(x, y).set(g.at(x, y));
    g.computeRoot().bound(x, 0, 70000).bound(y, 0, 70000);
    throwsHalide(
      () => f.realize([2, 2]),
      /^Total allocation for buffer too_big(\$\d+)? is 19600000000 bytes, which exceeds the maximum size of 2\^31 - 1$/,
    );
    g.bound(x, 0, 4).bound(y, 0, 4);
    expect(f.realize([2, 2]).get([1, 1])).toBe(2);
  });
});
