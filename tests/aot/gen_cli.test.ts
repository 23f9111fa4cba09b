// The `halide-ts gen` command line: every output kind, generator params, several generators in one library with
// one runtime (used by a gcc-built C program), other targets, --help, and the errors (non-zero exit, a message).
import { describe, expect, it } from "bun:test";
import { existsSync, readFileSync, statSync } from "node:fs";
import { join } from "node:path";
import { fixtures, gcc, halideTs, keyed, root, run, scratchDir } from "./helpers.ts";

const generators = join(root, "tests/aot/generators");
const dir = scratchDir("gen");


describe("halide-ts gen", () => {
  it("--help describes the command; no arguments is a usage error", () => {
    const help = halideTs("gen", "--help");
    expect(help.status).toBe(0);
    expect(help.stdout).toContain("Usage: halide-ts gen <module.ts> -g <name>");
    for (const kind of ["static_library", "object", "header", "assembly", "llvm_assembly", "bitcode", "stmt_html", "ts"]) {
      expect(help.stdout).toContain(kind);
    }
    expect(halideTs("gen").status).toBe(2);
    expect(halideTs("--help").stdout).toContain("gen             compile generators ahead of time");
  });

  it("writes every output kind for one generator, with its generator params", () => {
    const out = join(dir, "all");
    const r = halideTs(
      "gen", join(generators, "simple.ts"), "-g", "simplets", "-o", out,
      "-e", "static_library,object,header,assembly,llvm_assembly,bitcode,stmt,stmt_html,ts", "target=host", "offset=42",
    );
    expect(r.stderr).toBe("");
    expect(r.status).toBe(0);
    for (const file of ["a", "o", "h", "s", "ll", "bc", "stmt", "stmt.html", "ts", "so"]) {
      expect(statSync(join(out, `simplets.${file}`)).size).toBeGreaterThan(0);
    }
    expect(readFileSync(join(out, "simplets.h"), "utf8")).toContain(
      "int simplets(struct halide_buffer_t *_buffer_input_buffer, float _float_arg, struct halide_buffer_t *_simple_output_buffer);",
    );
    expect(readFileSync(join(out, "simplets.ts"), "utf8")).toContain('export const simplets = loadPipeline(new URL("./simplets.so"');
    // The generator param is compiled in: 42 appears as a constant added to the input.
    expect(readFileSync(join(out, "simplets.stmt"), "utf8")).toContain("] + (uint8)42)) + float_arg)");
  });

  it("compiles several generators into one library with one runtime, which a C program links", () => {
    const out = join(dir, "two");
    const r = halideTs("gen", join(generators, "two.ts"), "-g", "simplets", "-g", "gradientts", "-o", out, "-n", "filters", "-e", "static_library,header");
    expect(r.stderr).toBe("");
    expect(r.status).toBe(0);
    expect(existsSync(join(out, "simplets.h")) && existsSync(join(out, "gradientts.h"))).toBe(true);
    const index = run("nm", ["-s", join(out, "filters.a")]).stdout;
    expect(index).toContain("simplets in simplets.o");
    expect(index).toContain("gradientts in gradientts.o");
    expect(index.match(/^halide_do_par_for in /gm)).toEqual(["halide_do_par_for in "]);
    expect(index).toContain("halide_do_par_for in halide_runtime.o");
    const exe = join(out, "gen_main");
    gcc(exe, [join(fixtures, "gen_main.c")], out, [join(out, "filters.a")]);
    const result = keyed(run(exe, [], { HL_NUM_THREADS: "3" }).stdout);
    expect(result.get("simple")).toBe("0 126.5 127.5 127.5 128.5");
    // sum over x < 16, y < 4 of x + y (scale 1), and output(5, 3) = 8.
    expect(result.get("gradient")).toBe(`0 ${4 * 120 + 16 * 6} 8`);
  });

  it("generator params reach every generator; target= picks the target", () => {
    const out = join(dir, "params");
    expect(halideTs("gen", join(generators, "gradient.ts"), "-g", "gradientts", "-o", out, "-e", "static_library,header", "scale=100").status).toBe(0);
    expect(halideTs("gen", join(generators, "simple.ts"), "-g", "simplets", "-o", out, "-e", "static_library,header", "offset=1").status).toBe(0);
    const exe = join(out, "gen_main");
    gcc(exe, [join(fixtures, "gen_main.c")], out, [join(out, "simplets.a"), join(out, "gradientts.a")]);
    const result = keyed(run(exe, []).stdout);
    expect(result.get("simple")).toBe("0 127.5 128.5 128.5 129.5");
    expect(result.get("gradient")).toBe(`0 ${4 * 120 + 16 * 600} 305`);

    const arm = join(dir, "arm");
    expect(halideTs("gen", join(generators, "gradient.ts"), "-g", "gradientts", "-o", arm, "-e", "object", "target=arm-64-linux").status).toBe(0);
    expect(run("readelf", ["-h", join(arm, "gradientts.o")]).stdout).toMatch(/Machine:\s+AArch64/);
  });

  it("-f names the function", () => {
    const out = join(dir, "named");
    expect(halideTs("gen", join(generators, "gradient.ts"), "-g", "gradientts", "-f", "ramp", "-o", out, "-e", "header").status).toBe(0);
    expect(readFileSync(join(out, "ramp.h"), "utf8")).toContain("int ramp(struct halide_buffer_t *_output_buffer);");
  });

  it("fails with a message and a non-zero status on any error", () => {
    const simple = join(generators, "simple.ts"), out = join(dir, "errors");
    const cases: [string[], number, string][] = [
      [[simple, "-o", out], 2, "No generator given (-g <name>)."],
      [[simple, "-g", "simplets"], 2, "No output directory given (-o <dir>)."],
      [[simple, "-g", "simplets", "-o", out, "-e", "exe"], 2, "Unknown output 'exe' for -e"],
      [[simple, "-g", "simplets", "-o", out, "--frobnicate"], 2, "Unknown option --frobnicate."],
      [[simple, "-g", "simplets", "-g", "other", "-o", out], 2, "With several generators, name the library they share with -n <name>."],
      [[simple, "-g", "simplets", "-g", "simplets", "-o", out], 2, "A generator is given twice with -g."],
      [[simple, "-g", "nope", "-o", out], 1, "registered no generator named 'nope' (registered: "],
      [[simple, "-g", "simplets", "-o", out, "offst=1"], 1, "Generator simplets has no GeneratorParam(s) named: [offst]"],
      [[simple, "-g", "simplets", "-o", out, "offset=one"], 1, "The GeneratorParam offset is a number"],
      [[simple, "-g", "simplets", "-o", out, "target=x86-64-plan9"], 1, "x86-64-plan9"],
      [[simple, "-g", "simplets", "-o", out, "target=x86-64-windows"], 1, "its native runtime supports Linux only"],
      [[join(dir, "missing.ts"), "-g", "simplets", "-o", out], 1, "does not exist"],
    ];
    for (const [args, status, message] of cases) {
      const r = halideTs("gen", ...args);
      expect(`${r.status}: ${r.stderr}`).toMatch(new RegExp(`^${status}: halide-ts gen: `));
      expect(r.stderr).toContain(message);
    }
  });
});
