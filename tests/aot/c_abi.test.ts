// Ahead-of-time compilation through Halide's C ABI: static libraries and headers used by a C program built with
// gcc (results equal to the JIT's, on several threads), the error paths (halide_error and its handler, NULL buffers,
// wrong types and dimensions, requirements, failures inside parallel loops), bounds queries, the argv entry and
// the metadata; and the other outputs (object, assembly, LLVM IR, bitcode, compileTo, compileToFile).
import { beforeAll, describe, expect, it } from "bun:test";
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import * as hl from "../../mod.ts";
import { throwsHalide } from "../schedule/helpers.ts";
import { fixtures, gcc, keyed, run, scratchDir } from "./helpers.ts";

const dir = scratchDir("c-abi");
const program = join(dir, "c_abi_main");
const x = new hl.Var("x"), y = new hl.Var("y");

/** brighten(x, y) = u8_sat(input(x, y) * scale), vectorized and parallel, with a requirement on scale. */
function brighten(): { p: hl.Pipeline; f: hl.Func; input: hl.ImageParam; scale: hl.Param } {
  const input = new hl.ImageParam(hl.UInt(8), 2, "input");
  const scale = new hl.Param(hl.Float(32), "scale");
  const f = new hl.Func("brighten");
  f.at(x, y).set(hl.u8Sat(hl.f32(input.at(x, y)).mul(scale)));
  const [xo, xi] = [new hl.Var("xo"), new hl.Var("xi")];
  f.split(x, xo, xi, 16).vectorize(xi).parallel(y);
  const p = new hl.Pipeline(f);
  p.addRequirement(scale.ge(0), "scale must not be negative, got", scale);
  return { p, f, input, scale };
}

/** checked(x, y) = input(x, y), required to be below 250, computed in a parallel loop over y. */
function checked(): { f: hl.Func; input: hl.ImageParam } {
  const input = new hl.ImageParam(hl.UInt(8), 2, "input");
  const f = new hl.Func("checked");
  f.at(x, y).set(hl.require(input.at(x, y).lt(250), input.at(x, y), "pixel too bright at", x, y));
  f.parallel(y);
  return { f, input };
}

/** printer(x) = print(2x, "is twice", x): a line per point, through halide_print. */
function printer(): hl.Func {
  const f = new hl.Func("printer");
  f.at(x).set(hl.print(x.mul(2), "is twice", x));
  return f;
}

/** The fixture's input: in(x, y) = (3x + 5y) & 255. */
function fixtureInput(w: number, h: number): hl.Buffer {
  const b = new hl.Buffer(hl.UInt(8), [w, h]);
  b.forEachElement(([i, j]) => b.set([i, j], (3 * i + 5 * j) & 255));
  return b;
}

beforeAll(() => {
  const b = brighten();
  b.p.compileToStaticLibrary(join(dir, "brighten"), [b.input, b.scale], "brighten");
  const c = checked();
  c.f.compileToStaticLibrary(join(dir, "checked"), [c.input]);
  printer().compileToStaticLibrary(join(dir, "printer"), []);
  gcc(program, [join(fixtures, "c_abi_main.c")], dir, [join(dir, "brighten.a"), join(dir, "checked.a"), join(dir, "printer.a")]);
});

describe("a C program linked with static libraries from halide-ts", () => {
  it("computes what the JIT computes, on a pool of threads", () => {
    for (const [w, h, s, threads] of [[640, 480, 1.5, "4"], [37, 5, 0.25, "1"], [16, 1, 3, "2"]] as const) {
      const out = join(dir, `out_${w}x${h}.bin`);
      const r = run(program, ["run", String(w), String(h), String(s), out], { HL_NUM_THREADS: threads });
      expect(r.stdout.trim()).toBe("status 0");
      const b = brighten();
      b.input.set(fixtureInput(w, h));
      b.scale.set(s);
      const expected = b.f.realize([w, h]);
      const got = new Uint8Array(readFileSync(out));
      let mismatches = 0;
      expected.forEachElement(([i, j]) => {
        if (got[j * w + i] !== expected.get([i, j])) mismatches++;
      });
      expect(mismatches).toBe(0);
    }
  });

  it("returns Halide's error codes and reports the messages through halide_error's handler", () => {
    const r = keyed(run(program, ["errors"]).stdout);
    expect(r.get("previous_handler_set")).toBe("1");
    expect(r.get("requirement")).toBe("-27 Requirement Failed: ((scale >= 0.000000f)) scale must not be negative, got -2.500000");
    expect(r.get("null_input")).toBe("-12 Buffer argument input is NULL");
    expect(r.get("null_output")).toBe("-12 Buffer argument brighten is NULL");
    expect(r.get("bad_type")).toBe("-3 Input buffer input has type uint8 but type of the buffer passed in is float32");
    expect(r.get("bad_lanes")).toBe("-3 Input buffer input has type uint8 but type of the buffer passed in is uint8x4");
    expect(r.get("bad_dimensions")).toBe(
      "-43 Input buffer input requires a buffer of exactly 2 dimensions, but the buffer passed in has 3 dimensions",
    );
    expect(r.get("too_small")).toBe("-4 Input buffer input is accessed at 15, which is beyond the max (9) in dimension 0");
    expect(r.get("fine")).toBe("0 ");
    expect(r.get("errors_seen")).toBe("7");
  });

  it("prints 'Error: <message>' on standard error by default", () => {
    const r = run(program, ["default_error"]);
    expect(r.stdout.trim()).toBe("status -27");
    expect(r.stderr).toBe("Error: Requirement Failed: ((scale >= 0.000000f)) scale must not be negative, got -1.000000\n");
  });

  it("answers a bounds query (an input without host memory) with the region it needs", () => {
    const r = keyed(run(program, ["bounds", "100", "37"]).stdout);
    expect(r.get("status")).toBe("0");
    expect(r.get("dim0")).toBe("0 100 1");
    expect(r.get("dim1")).toBe("0 37 100");
  });

  it("has the argv entry point and the metadata of the arguments", () => {
    const r = keyed(run(program, ["argv"]).stdout);
    expect(r.get("status")).toBe("0");
    const [input, output] = r.get("pixel")!.split(" ").map(Number);
    expect(output).toBe(Math.min(255, input * 2));
    expect(r.get("metadata")).toBe(`1 3 brighten ${hl.getHostTarget()}`);
    expect(r.get("argument")).toBe("brighten 2 2 1 8 1"); // the last one: the output, uint8, 2-D
  });

  it("fails cleanly when a task of a parallel loop fails on a worker thread", () => {
    for (const threads of ["1", "4"]) {
      const r = keyed(run(program, ["checked", "64", "32"], { HL_NUM_THREADS: threads }).stdout);
      expect(r.get("status")).toMatch(/^-27 Requirement Failed: .* pixel too bright at \d+ \d+$/);
      expect(r.get("errors_seen_positive")).toBe("1");
    }
  });

  it("prints through halide_print, which a custom print function replaces", () => {
    const r = keyed(run(program, ["print"]).stdout);
    expect(r.get("status")).toBe("0");
    expect(r.get("lines")).toBe("5");
    expect(r.get("last")).toBe("8 is twice 4");
    expect(r.get("value")).toBe("8");
  });
});

describe("the other ahead-of-time outputs", () => {
  it("compileTo writes each requested output, compiled once", () => {
    const { p, input, scale } = brighten();
    const base = join(dir, "all");
    p.compileTo(
      {
        object: `${base}.o`,
        assembly: `${base}.s`,
        llvm_assembly: `${base}.ll`,
        bitcode: `${base}.bc`,
        c_header: `${base}.h`,
        stmt: `${base}.stmt`,
        stmt_html: `${base}.html`,
      },
      [input, scale],
      "all_outputs",
    );
    const object = readFileSync(`${base}.o`);
    expect([...object.subarray(0, 4)]).toEqual([0x7f, 0x45, 0x4c, 0x46]); // ELF
    expect(readFileSync(`${base}.s`, "utf8")).toMatch(/^all_outputs:/m);
    const ll = readFileSync(`${base}.ll`, "utf8");
    expect(ll).toMatch(/define i32 @all_outputs\(ptr [^,]*, float [^,]*, ptr [^)]*\)/);
    expect(ll).toContain("define weak i32 @halide_do_par_for"); // the runtime, once
    expect(ll.match(/define weak i32 @halide_do_par_for/g)).toHaveLength(1);
    expect(readFileSync(`${base}.bc`).subarray(0, 4).toString("latin1")).toBe("BC\xc0\xde");
    expect(readFileSync(`${base}.h`, "utf8")).toContain(
      "int all_outputs(struct halide_buffer_t *_input_buffer, float _scale, struct halide_buffer_t *_brighten_buffer);",
    );
    expect(readFileSync(`${base}.stmt`, "utf8")).toContain("func all_outputs(");
    expect(readFileSync(`${base}.html`, "utf8").startsWith("<!DOCTYPE html>")).toBe(true);
    const symbols = run("nm", [`${base}.o`]).stdout;
    for (const s of ["T all_outputs", "T all_outputs_argv", "T all_outputs_metadata", "W halide_error", "W halide_do_par_for"]) {
      expect(symbols).toContain(s);
    }
  });

  it("compileToFile writes an object and a header that gcc links with no runtime but libc", () => {
    const { p, input, scale } = brighten();
    p.compileToFile(join(dir, "brighten_file"), [input, scale], "brighten");
    const c = checked();
    c.f.compileToObject(join(dir, "checked_file.o"), [c.input]);
    c.f.compileToHeader(join(dir, "checked.h"), [c.input], "checked");
    const exe = join(dir, "c_abi_main_objects");
    gcc(exe, [join(fixtures, "c_abi_main.c"), join(dir, "brighten_file.o"), join(dir, "checked_file.o"), join(dir, "printer.a")], dir);
    const r = keyed(run(exe, ["bounds", "32", "4"]).stdout);
    expect(r.get("dim0")).toBe("0 32 1");
    expect(r.get("dim1")).toBe("0 4 32");
  });

  it("no_runtime leaves the runtime out; the pipeline still calls it", () => {
    const { p, input, scale } = brighten();
    const path = join(dir, "no_runtime.o");
    p.compileToObject(path, [input, scale], "brighten_nort", hl.getHostTarget().withFeature(hl.TargetFeature.NoRuntime));
    const symbols = run("nm", [path]).stdout;
    expect(symbols).toContain("T brighten_nort");
    expect(symbols).toMatch(/U halide_do_par_for/);
    expect(symbols).not.toContain("halide_tp_worker_main");
  });

  it("x86-64 with chosen features: only those instructions, and the program runs", () => {
    const { p, input, scale } = brighten();
    const sse = new hl.Target("x86-64-linux-sse41");
    p.compileToAssembly(join(dir, "sse.s"), [input, scale], "brighten", sse);
    const asm = readFileSync(join(dir, "sse.s"), "utf8");
    expect(asm).toMatch(/%xmm\d/);
    expect(asm).not.toMatch(/%[yz]mm\d/);
    p.compileToStaticLibrary(join(dir, "brighten_sse"), [input, scale], "brighten", sse);
    const exe = join(dir, "c_abi_main_sse");
    gcc(exe, [join(fixtures, "c_abi_main.c")], dir, [join(dir, "brighten_sse.a"), join(dir, "checked.a"), join(dir, "printer.a")]);
    const r = keyed(run(exe, ["argv"]).stdout);
    expect(r.get("metadata")).toBe("1 3 brighten x86-64-linux-sse41");
    const [input8, output8] = r.get("pixel")!.split(" ").map(Number);
    expect(output8).toBe(Math.min(255, input8 * 2));
  });

  it("bad outputs, names and targets are HalideErrors", () => {
    const { p, input, scale } = brighten();
    throwsHalide(() => p.compileTo({ exe: join(dir, "x") } as never, [input, scale]), 'Unknown output kind "exe"');
    throwsHalide(() => p.compileTo({ object: "" }, [input, scale]), "The path of the object output must be a non-empty string.");
    throwsHalide(() => p.compileToObject(join(dir, "x.o"), [input, scale], "not valid"), 'Function name "not valid" is not a valid C identifier.');
    throwsHalide(() => p.compileToObject(join(dir, "x.o"), [input, scale], "halide_mine"), "names starting with halide_ belong to the runtime");
    throwsHalide(() => p.compileToObject(join(dir, "x.o"), [input, scale], "snprintf"), "The function name snprintf clashes with a function the generated code uses");
    throwsHalide(() => p.compileToObject(join(dir, "x.o"), [input, scale], "f", new hl.Target("x86-64-windows")), "its native runtime supports Linux only");
    throwsHalide(() => p.compileToObject(join(dir, "x.o"), [input, scale], "f", new hl.Target("arm-32-linux")), "it supports 64-bit x86 and arm targets");
    throwsHalide(() => p.compileToObject(join(dir, "no", "such", "dir", "x.o"), [input, scale], "f"), "Could not write");
    throwsHalide(() => p.compileToObject(join(dir, "x.o"), [scale], "f"), "Generated code refers to image parameter input");
    expect(existsSync(join(dir, "x.o"))).toBe(false);
  });
});
