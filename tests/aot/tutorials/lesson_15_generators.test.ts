// Port of Halide's lesson 15 (python_bindings/tutorial/lesson_15_generators.py and the usage script
// tutorial/lesson_15_generators_usage.sh): the lesson's generators compiled with `halide-ts gen` — libraries,
// headers, statements, variants chosen by generator params, objects without the runtime plus the runtime alone,
// combined with `ar` and linked into a C program — and the generators' results checked through the JIT.
import { describe, expect, it } from "bun:test";
import { existsSync } from "node:fs";
import { join } from "node:path";
import * as hl from "../../../mod.ts";
import { fixtures, gcc, halideTs, root, run, type Run, scratchDir } from "../helpers.ts";
import { MySecondGenerator } from "./lesson_15_generators.ts";

const lesson = join(root, "tests/aot/tutorials/lesson_15_generators.ts");
const dir = scratchDir("lesson15");

/** `halide-ts gen` with the lesson's module (unless `args` starts with -r), writing to the lesson's directory. */
function generate(...args: string[]): Run {
  return halideTs("gen", ...(args[0] === "-r" ? [] : [lesson]), ...args, "-o", dir);
}

function generated(...args: string[]): void {
  const r = generate(...args);
  if (r.status !== 0) throw new Error(`halide-ts gen ${args.join(" ")} failed: ${r.stderr}`);
}

/** Whether `file` defines symbol `name` (a T, W or S symbol, as `nm` prints them). */
function defines(file: string, name: string): boolean {
  return new RegExp(`^[0-9a-f]* [TWS] ${name}$`, "m").test(run("nm", [file]).stdout);
}

/** Whether `file` contains Halide's runtime (defines any halide_ function). */
function hasRuntime(file: string): boolean {
  return /^[0-9a-f]* [TWS] halide_/m.test(run("nm", [file]).stdout);
}

describe("lesson 15: generators", () => {
  it("the usage script: libraries and headers, a statement, variants from generator params", () => {
    generated("-g", "my_first_generator", "target=host");
    expect(existsSync(join(dir, "my_first_generator.h"))).toBe(true);
    expect(defines(join(dir, "my_first_generator.a"), "my_first_generator")).toBe(true);

    // The lesson cross-compiles for 32-bit Windows, which halide-ts does not target: a clear error instead.
    const win32 = generate("-g", "my_first_generator", "-f", "my_first_generator_win32", "target=x86-32-windows");
    expect(win32.status).toBe(1);
    expect(win32.stderr).toContain("halide-ts cannot generate code for target x86-32-windows");

    generated("-g", "my_first_generator", "-e", "stmt", "target=host");
    expect(existsSync(join(dir, "my_first_generator.stmt"))).toBe(true);

    const variants = [
      ["parallel=false", "scale=3.0", "rotation=ccw", "output.type=uint16"],
      ["scale=9.0", "rotation=ccw", "output.type=float32"],
      ["parallel=false", "output.type=float64"],
    ];
    variants.forEach((params, i) => {
      const name = `my_second_generator_${i + 1}`;
      generated("-g", "my_second_generator", "-f", name, "target=host", ...params);
      expect(existsSync(join(dir, `${name}.h`))).toBe(true);
      expect(defines(join(dir, `${name}.a`), name)).toBe(true);
      expect(hasRuntime(join(dir, `${name}.a`))).toBe(true);
    });
    const bad = generate("-g", "my_second_generator", "-f", "bad_rotation", "rotation=sideways", "output.type=uint8");
    expect(bad.status).toBe(1);
    expect(bad.stderr).toContain('Unknown rotation "sideways".');
  });

  it("the usage script: objects without the runtime, the runtime alone, combined with ar and run from C", () => {
    for (const [suffix, features] of [["basic", ""], ["sse41", "-sse41"], ["avx", "-avx"]]) {
      const name = `my_first_generator_${suffix}`;
      generated("-g", "my_first_generator", "-f", name, "-e", "object,c_header", `target=x86-64-linux${features}-no_runtime`);
      expect(hasRuntime(join(dir, `${name}.o`))).toBe(false);
      expect(defines(join(dir, `${name}.o`), name)).toBe(true);
    }
    generated("-r", "halide_runtime_x86", "-e", "object,c_header", "target=x86-64-linux");
    expect(hasRuntime(join(dir, "halide_runtime_x86.o"))).toBe(true);
    expect(defines(join(dir, "halide_runtime_x86.o"), "halide_do_par_for")).toBe(true);

    const multi = join(dir, "my_first_generator_multi.a");
    const objects = ["basic", "sse41", "avx"].map((s) => join(dir, `my_first_generator_${s}.o`));
    expect(run("ar", ["q", multi, ...objects, join(dir, "halide_runtime_x86.o")]).status).toBe(0);
    expect(hasRuntime(multi)).toBe(true);
    for (const s of ["basic", "sse41", "avx"]) expect(defines(multi, `my_first_generator_${s}`)).toBe(true);

    const exe = join(dir, "lesson_15_run");
    gcc(exe, [join(fixtures, "lesson_15_run.c")], dir, [multi]);
    expect(run(exe, []).stdout).toBe("Success!\n");

    const r = generate("-r", "halide_runtime_x86", "-e", "ts");
    expect(r.status).toBe(2);
    expect(r.stderr).toContain("The runtime alone (-r) has no ts output.");
  });

  it("my_second_generator computes what its generator params say", () => {
    const input = new hl.Buffer(hl.UInt(8), [101, 101]);
    input.forEachElement(([x, y]) => input.set([x, y], (x * 3 + y * 5) & 255));
    const cases: [Record<string, unknown>, hl.Type, (x: number, y: number) => number][] = [
      [{ parallel: false, scale: 3, rotation: "ccw", "output.type": "uint16" }, hl.UInt(16), (x, y) => 3 * (((input.get([100 - y, x]) as number) + 7) & 255)],
      [{ scale: 9, rotation: "cw", "output.type": hl.Float(32) }, hl.Float(32), (x, y) => 9 * (((input.get([y, 100 - x]) as number) + 7) & 255)],
      [{ parallel: false, "output.type": "float64" }, hl.Float(64), (x, y) => ((input.get([x, y]) as number) + 7) & 255],
    ];
    for (const [generatorParams, type, expected] of cases) {
      const run = new MySecondGenerator({ generatorParams }).compileToCallable();
      const out = new hl.Buffer(type, [64, 48]);
      run(7, input, out);
      let wrong = 0;
      out.forEachElement(([x, y]) => {
        if (out.get([x, y]) !== expected(x, y)) wrong++;
      });
      expect(wrong).toBe(0);
    }
  });
});
