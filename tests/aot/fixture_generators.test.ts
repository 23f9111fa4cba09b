// Halide's generator fixtures compiled ahead of time: addconstant_test.py against the JIT-compiled generator and
// against its ts bindings (three registrations in one library, run without libLLVM), and the complex generator's
// ts binding (untyped inputs and outputs typed by generator params, a Tuple output, a Buffer compiled into the
// library, a scalar output, an input added by configure()).
import { beforeAll, describe, expect, it } from "bun:test";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import * as hl from "../../mod.ts";
import { checkAddConstant } from "./addconstant_check.ts";
import "./generators/addconstant.ts";
import { fixtures, halideTs, root, runTs, scratchDir } from "./helpers.ts";

const dir = scratchDir("fixtures");

function halideTsGen(...args: string[]): void {
  const r = halideTs("gen", ...args, "-o", dir);
  if (r.status !== 0) throw new Error(`halide-ts gen failed: ${r.stderr}`);
}

const registrations: [string, number][] = [
  ["addconstantts", 0],
  ["addconstantts_with_offset_42", 42],
  ["addconstantts_with_negative_offset", -1],
];

beforeAll(() => {
  halideTsGen(join(root, "tests/aot/generators/addconstant.ts"), ...registrations.flatMap(([n]) => ["-g", n]), "-n", "addconstant", "-e", "ts");
  halideTsGen(
    join(root, "tests/aot/generators/complex.ts"), "-g", "complexts", "-e", "ts,header", "simple_input.type=uint8",
    "tuple_output.type=float32,float32", "untyped_buffer_input.type=uint8", "untyped_buffer_output.dim=3",
    "untyped_buffer_output.type=uint8", "extra_input_name=foo_input",
  );
});

describe("addconstant_test.py", () => {
  it("JIT-compiled through compileToCallable, for the generator and its two aliases", () => {
    for (const [name, offset] of registrations) {
      const impl = hl.createGenerator(name).compileToCallable();
      expect(checkAddConstant(impl, offset)).toEqual([]);
    }
  });

  it("through the ts bindings of the three, in a process without libLLVM", () => {
    const script = join(fixtures, "addconstant_user.ts");
    const r = runTs(script, [dir], { HALIDE_LLVM_LIB: join(dir, "absent-libLLVM.so") });
    expect(r.stderr).toBe("");
    expect(r.stdout).toBe("libLLVM loaded: false\n");
  });
});

describe("the complex generator's ts binding", () => {
  it("computes every output, with the Buffer compiled into the library", async () => {
    const { complexts } = await import(pathToFileURL(join(dir, "complexts.ts")).href);
    const image = (type: hl.Type) => {
      const b = new hl.Buffer(type, [32, 32, 3]);
      b.forEachElement(([x, y, c]) => b.set([x, y, c], x + y + c));
      return b;
    };
    const u8 = image(hl.UInt(8)), u16 = image(hl.UInt(16));
    const names = (complexts as hl.Callable).arguments.map((a) => a.name);
    expect(names).toEqual([
      "typed_buffer_input", "untyped_buffer_input", "simple_input", "float_arg", "int_arg", "foo_input",
      "simple_output", "tuple_output.0", "tuple_output.1", "typed_buffer_output", "untyped_buffer_output",
      "static_compiled_buffer_output", "scalar_output", "extra_output",
    ]);
    const f32 = () => new hl.Buffer(hl.Float(32), [32, 32, 3]);
    const outputs = {
      simple: f32(), tuple0: f32(), tuple1: f32(), typed: f32(), untyped: new hl.Buffer(hl.UInt(8), [32, 32, 3]),
      staticOut: new hl.Buffer(hl.UInt(8), [4, 4, 1]), scalar: new hl.Buffer(hl.Float(32), []),
      extra: new hl.Buffer(hl.Float(64), [32, 32]),
    };
    complexts(u8, u8, u8, 1.25, 33, u16, ...Object.values(outputs));
    const mismatches = (b: hl.Buffer, want: (c: number[]) => number) => {
      let bad = 0;
      b.forEachElement((c) => {
        if (b.get(c) !== want(c)) bad++;
      });
      return bad;
    };
    const v = (c: number[]) => u8.get(c) as number;
    expect(mismatches(outputs.simple, v)).toBe(0);
    expect(mismatches(outputs.tuple0, (c) => v(c) * 1.25)).toBe(0);
    expect(mismatches(outputs.tuple1, (c) => v(c) * 1.25 + 33)).toBe(0);
    expect(mismatches(outputs.typed, v)).toBe(0);
    expect(mismatches(outputs.untyped, v)).toBe(0);
    expect(mismatches(outputs.staticOut, (c) => v(c) + 42)).toBe(0);
    expect(outputs.scalar.get([])).toBe(34.25);
    expect(mismatches(outputs.extra, ([x, y]) => x + y + 1)).toBe(0);
  });
});
