// Port of Halide's lesson 10 (python_bindings/tutorial/lesson_10_aot_compilation_generate.py and _run.py, and
// the C++ lesson's run program): a pipeline compiled ahead of time to an object file, a header and a TypeScript
// module, then used from C (gcc) and from TypeScript (a process that cannot load libLLVM).
import { beforeAll, describe, expect, it } from "bun:test";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import * as hl from "../../../mod.ts";
import { fixtures, gcc, run, runTs, scratchDir } from "../helpers.ts";

const dir = scratchDir("lesson10");

/** lesson_10_aot_compilation_generate.py. */
function generate(): void {
  // We'll define a simple one-stage pipeline:
  const brighter = new hl.Func("brighter");
  const x = new hl.Var("x"), y = new hl.Var("y");

  // The pipeline will depend on one scalar parameter,
  const offset = new hl.Param(hl.UInt(8), "offset");
  // and take one grayscale 8-bit input buffer. The first argument gives the type of a pixel, the second the
  // number of dimensions (not the number of channels!).
  const input = new hl.ImageParam(hl.UInt(8), 2, "input");

  // If we were JIT-compiling, these would just be a number and an hl.Buffer, but because we want to compile the
  // pipeline once and have it work for any value of the parameter, we use a Param (usable like an Expr) and an
  // ImageParam (usable like a Buffer).
  brighter.at(x, y).set(input.at(x, y).add(offset));

  // Schedule it.
  brighter.vectorize(x, 16).parallel(y);

  // Instead of brighter.realize(...), which would compile and run the pipeline immediately, compile it to an
  // object file and a header (for C), and to a TypeScript module with the shared library it loads. For code
  // compiled ahead of time the arguments must be declared explicitly: here the ImageParam and the Param.
  brighter.compileTo(
    { object: join(dir, "lesson_10_halide.o"), c_header: join(dir, "lesson_10_halide.h"), ts: join(dir, "lesson_10_halide.ts") },
    [input, offset],
    "lesson_10_halide",
  );
}

beforeAll(generate);

describe("lesson 10: AOT compilation", () => {
  it("declares int lesson_10_halide(halide_buffer_t*, uint8_t, halide_buffer_t*) in the header", () => {
    expect(readFileSync(join(dir, "lesson_10_halide.h"), "utf8")).toContain(
      "int lesson_10_halide(struct halide_buffer_t *_input_buffer, uint8_t _offset, struct halide_buffer_t *_brighter_buffer);",
    );
  });

  it("runs from a C program built with gcc (lesson_10_aot_compilation_run.cpp)", () => {
    const exe = join(dir, "lesson_10_run");
    gcc(exe, [join(fixtures, "lesson_10_run.c"), join(dir, "lesson_10_halide.o")], dir);
    expect(run(exe, [], { HL_NUM_THREADS: "4" }).stdout).toBe("Success!\n");
  });

  it("runs from TypeScript through the generated module, with no LLVM (lesson_10_aot_compilation_run.py)", () => {
    const r = runTs(join(fixtures, "lesson_10_run.ts"), [dir], { HALIDE_LLVM_LIB: join(dir, "no-libLLVM-here.so") });
    expect(r.stderr).toBe("");
    expect(r.stdout).toBe("Success!\n");
  });
});
