// A vector index bound by a Let that loop partitioning turns into a plain Ramp (the steady state of a clamped,
// vectorized read) is still a dense access: one vector load, not a gather.
import { describe, expect, it } from "bun:test";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import * as hl from "../../mod.ts";

describe("let-bound ramps in code generation", () => {
  it("the steady state of a vectorized repeatEdge read loads whole vectors", () => {
    const input = new hl.ImageParam(hl.Float(32), 2, "input");
    const x = new hl.Var("x"), y = new hl.Var("y");
    const f = new hl.Func("dense_let_ramp");
    f.at(x, y).set(hl.BoundaryConditions.repeatEdge(input).at(x, y).mul(2));
    f.vectorize(x, 16);
    const dir = mkdtempSync(path.join(os.tmpdir(), "halide-ts-dense-"));
    try {
      f.compileToLlvmAssembly(path.join(dir, "f.ll"), [input]);
      const ll = readFileSync(path.join(dir, "f.ll"), "utf8");
      expect(ll).toMatch(/load <16 x float>/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
    const buf = new hl.Buffer(hl.Float(32), [40, 3], "input");
    buf.forEachElement(([i, j]) => buf.set([i, j], i + 100 * j));
    input.set(buf);
    const out = f.realize(new hl.Buffer(hl.Float(32), [48, 3]).setMin([-4, 0]));
    for (const [i, j] of [[-4, 0], [0, 1], [17, 2], [39, 0], [43, 1]]) {
      expect(out.get([i, j])).toBe(2 * (Math.min(Math.max(i, 0), 39) + 100 * j));
    }
  });
});
