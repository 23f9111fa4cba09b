// GuardWithIf / Predicate tails inside vectorized loops: masked loads and stores in the last vector, plain vectors
// in the steady state, never a serial loop; results equal to the interpreter for every size.
import { describe, expect, it } from "bun:test";
import * as hl from "../../mod.ts";
import { lowerPipeline } from "../../src/lower/lower.ts";
import { emitLlvmAssembly } from "../../src/codegen/jit.ts";
import { stmtToString } from "../../src/ir/printer.ts";
import { mismatchVsInterpreter } from "../schedule/helpers.ts";

const x = new hl.Var("x"), y = new hl.Var("y");
const [xo, xi] = [new hl.Var("xo"), new hl.Var("xi")];

describe("predicated vector tails", () => {
  for (const tail of [hl.TailStrategy.GuardWithIf, hl.TailStrategy.Predicate]) {
    it(`${tail}: vectorized with masks in the tail only, and right for every size`, () => {
      const input = new hl.ImageParam(hl.UInt(8), 2, `pt_in_${tail}`);
      const f = new hl.Func(`pt_${tail}`);
      f.at(x, y).set(hl.u8Sat(hl.u16(input.at(x, y)).mul(3).add(x)));
      f.split(x, xo, xi, 16, tail).vectorize(xi);
      const lp = lowerPipeline(f.fn);
      const text = stmtToString(lp.body);
      expect(text).not.toContain(`for (${f.name}.s0.x.xi`); // no serial fallback
      expect(text).toContain(`${f.name}.s0.x.xo.epilogue_start`); // the masked tail is partitioned off
      const ir = emitLlvmAssembly(lp, hl.getHostTarget());
      expect(ir).toContain("llvm.masked.store");
      expect(ir).toContain("llvm.masked.load");
      for (const w of [1, 5, 16, 17, 40]) {
        const b = new hl.Buffer(hl.UInt(8), [w, 3]);
        b.forEachElement(([i, j]) => b.set([i, j], (i * 37 + j * 11) & 255));
        input.set(b);
        expect(mismatchVsInterpreter(f, [w, 3])).toBe("");
      }
    });
  }
});
