// The text outputs of a pipeline (lowered statement as text and HTML, LLVM IR, assembly), argument lists given
// by the caller (order, missing and unused arguments), and target features that change lowering (NoAsserts).
import { describe, expect, it } from "bun:test";
import { mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import * as hl from "../../mod.ts";
import { throwsHalide } from "../schedule/helpers.ts";

const x = new hl.Var("x"), y = new hl.Var("y");
const dir = mkdtempSync(join(tmpdir(), "halide-ts-outputs-"));

function blur(): { input: hl.ImageParam; out: hl.Func } {
  const input = new hl.ImageParam(hl.UInt(16), 2, "input");
  const bx = new hl.Func("blur_x"), out = new hl.Func("blur_y");
  bx.at(x, y).set(input.at(x.sub(1), y).add(input.at(x, y)).add(input.at(x.add(1), y)).div(3));
  out.at(x, y).set(bx.at(x, y.sub(1)).add(bx.at(x, y)).add(bx.at(x, y.add(1))).div(3));
  const [xi, yi] = [new hl.Var("xi"), new hl.Var("yi")];
  out.tile(x, y, xi, yi, 64, 8).vectorize(xi, 8).parallel(y);
  bx.computeAt(out, x).vectorize(x, 8);
  return { input, out };
}

describe("compileTo* text outputs", () => {
  it("the lowered statement as text names the arguments, the loops and the checks", () => {
    const { input, out } = blur();
    const path = join(dir, "blur.stmt");
    out.compileToLoweredStmt(path, [input]);
    const text = readFileSync(path, "utf8");
    // Other test files in the same process may use these names too: Func names then get a `$n` suffix.
    expect(text).toMatch(/func blur_y(\$\d+)?\(buffer input, buffer blur_y(\$\d+)?\)/);
    expect(text).toMatch(/blur_y(\$\d+)?\.s0\.y\.y/);
    expect(text).toMatch(/produce blur_x(\$\d+)?/);
    expect(text).toContain("Input buffer input is accessed at");
  });

  it("the lowered statement as HTML is a page with collapsible loops", () => {
    const { input, out } = blur();
    const path = join(dir, "blur.html");
    out.compileToLoweredStmt(path, [input], "html");
    const html = readFileSync(path, "utf8");
    expect(html.startsWith("<!DOCTYPE html>")).toBe(true);
    expect(html).toContain("<details");
    expect(html).toContain("blur_x");
    throwsHalide(() => out.compileToLoweredStmt(path, [input], "pdf" as "html"), 'Unknown statement format pdf');
  });

  it("LLVM IR and assembly use the given function name and the target's vector registers", () => {
    const { input, out } = blur();
    const ll = join(dir, "blur.ll"), s = join(dir, "blur.s");
    out.compileToLlvmAssembly(ll, [input], "my_blur");
    expect(readFileSync(ll, "utf8")).toMatch(/define i32 @my_blur\(/);
    out.compileToAssembly(s, [input], "my_blur", new hl.Target("x86-64-linux-sse41"));
    const asm = readFileSync(s, "utf8");
    expect(asm).toContain("my_blur");
    expect(asm).toContain("xmm");
    expect(asm).not.toContain("ymm");
    throwsHalide(() => out.compileToAssembly(s, [input], "not a name"), 'Function name "not a name" is not a valid C identifier.');
    throwsHalide(() => out.compileToAssembly(join(dir, "no", "such", "dir.s"), [input]), "Could not write");
  });
});

describe("argument lists given by the caller", () => {
  it("an input missing from the list is an error naming it", () => {
    const { input, out } = blur();
    const gain = new hl.Param(hl.UInt(16), "gain", 1);
    const g = new hl.Func("scaled");
    g.at(x, y).set(out.at(x, y).mul(gain));
    out.computeRoot();
    throwsHalide(
      () => g.compileToLoweredStmt(join(dir, "g.stmt"), [gain]),
      "Generated code refers to image parameter input, which was not found in the argument list.",
    );
    throwsHalide(
      () => g.compileToCallable([input]),
      "Generated code refers to parameter gain, which was not found in the argument list.",
    );
    throwsHalide(() => g.compileToCallable([input, gain, input]), "Argument input appears more than once in the argument list.");
    throwsHalide(() => g.compileToCallable([input, 3 as unknown as hl.Param]), "Argument 1 of the argument list must be a Param or an ImageParam");
  });

  it("arguments keep the caller's order, and unused ones are accepted", () => {
    const { input, out } = blur();
    const unused = new hl.Param(hl.Float(64), "unused");
    const run = out.compileToCallable([unused, input]);
    expect(run.arguments.map((a) => a.name)).toEqual(["unused", "input", "blur_y"]);
    const src = new hl.Buffer(hl.UInt(16), [132, 22]).fill(9).setMin([-1, -1]);
    const dst = new hl.Buffer(hl.UInt(16), [130, 20]);
    run(0.5, src, dst);
    expect(dst.allEqual(9)).toBe(true);
  });
});

describe("target features in lowering", () => {
  it("NoAsserts leaves out the checks (here a Param's range)", () => {
    const p = new hl.Param(hl.Int(32), "p", 7).setRange(0, 3);
    const f = new hl.Func("ranged");
    f.at(x).set(x.add(p));
    throwsHalide(() => f.realize([4]), "Parameter p is 7 but must be at most 3");
    const noAsserts = hl.getHostTarget().withFeature(hl.TargetFeature.NoAsserts);
    expect(f.realize([4], noAsserts).get([1])).toBe(8);
    // The default target checks again (the compiled code is per target).
    throwsHalide(() => f.realize([4]), "Parameter p is 7 but must be at most 3");
  });
});
