// Ahead-of-time compilation for other targets than the host: aarch64 Linux objects and libraries (checked through
// their ELF headers, symbols and assembly, since this machine cannot run them), and x86-64 with chosen features.
import { describe, expect, it } from "bun:test";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import * as hl from "../../mod.ts";
import { run, scratchDir } from "./helpers.ts";

const dir = scratchDir("cross");
const x = new hl.Var("x"), y = new hl.Var("y");

function brighten(): { f: hl.Func; args: (hl.ImageParam | hl.Param)[] } {
  const input = new hl.ImageParam(hl.UInt(8), 2, "input");
  const scale = new hl.Param(hl.Float(32), "scale");
  const f = new hl.Func("brighten");
  f.at(x, y).set(hl.u8Sat(hl.f32(input.at(x, y)).mul(scale)));
  f.vectorize(x, 16).parallel(y);
  return { f, args: [input, scale] };
}

/** The ELF class (2: 64-bit), data encoding (1: little-endian), type (1: relocatable) and machine of a file. */
function elfHeader(bytes: Uint8Array): { elfClass: number; data: number; type: number; machine: number } {
  expect([...bytes.subarray(0, 4)]).toEqual([0x7f, 0x45, 0x4c, 0x46]);
  const view = new DataView(bytes.buffer, bytes.byteOffset);
  return { elfClass: bytes[4], data: bytes[5], type: view.getUint16(16, true), machine: view.getUint16(18, true) };
}

const EM_X86_64 = 62, EM_AARCH64 = 183;

describe("aarch64-linux", () => {
  const arm = new hl.Target("arm-64-linux");

  it("an object file for AArch64 with the pipeline, its entry points and the runtime", () => {
    const { f, args } = brighten();
    const path = join(dir, "arm.o");
    f.compileToObject(path, args, "brighten", arm);
    expect(elfHeader(new Uint8Array(readFileSync(path)))).toEqual({ elfClass: 2, data: 1, type: 1, machine: EM_AARCH64 });
    const symbols = run("nm", [path]).stdout;
    for (const s of ["T brighten", "T brighten_argv", "T brighten_metadata", "W halide_do_par_for", "W halide_error"]) {
      expect(symbols).toContain(s);
    }
    expect(symbols).toMatch(/U pthread_create/);
  });

  it("NEON vector code in the assembly", () => {
    const { f, args } = brighten();
    const path = join(dir, "arm.s");
    f.compileToAssembly(path, args, "brighten", arm);
    const asm = readFileSync(path, "utf8");
    expect(asm).toMatch(/^brighten:/m);
    expect(asm).toMatch(/\bv\d+\.16b\b/); // 16 lanes of u8 in one NEON register
    expect(asm).not.toMatch(/%[xyz]mm/);
  });

  it("a static library whose index lists the pipeline and the runtime", () => {
    const { f, args } = brighten();
    f.compileToStaticLibrary(join(dir, "arm_lib"), args, "brighten", arm);
    const index = run("nm", ["-s", join(dir, "arm_lib.a")]).stdout;
    expect(index).toContain("brighten in brighten.o");
    expect(index).toContain("halide_do_par_for in brighten.o");
    expect(run("readelf", ["-h", join(dir, "arm_lib.a")]).stdout).toMatch(/Machine:\s+AArch64/);
  });
});

describe("x86-64 with chosen features", () => {
  it("each feature level uses its registers and no wider ones", () => {
    const { f, args } = brighten();
    const levels: [string, RegExp, RegExp | undefined][] = [
      ["x86-64-linux", /%xmm\d/, /%[yz]mm\d/],
      ["x86-64-linux-avx2-fma-f16c-sse41", /%ymm\d/, /%zmm\d/],
      ["x86-64-linux-avx512_skylake-avx2-fma-f16c-sse41", /%zmm\d/, undefined],
    ];
    for (const [t, present, absent] of levels) {
      const path = join(dir, `${t}.s`);
      f.compileToAssembly(path, args, "brighten", new hl.Target(t));
      const asm = readFileSync(path, "utf8");
      expect(asm).toMatch(present);
      if (absent) expect(asm).not.toMatch(absent);
    }
  });

  it("an object file for x86-64 records the target in its metadata", () => {
    const { f, args } = brighten();
    const path = join(dir, "avx2.o");
    f.compileToObject(path, args, "brighten", new hl.Target("x86-64-linux-avx2-fma-f16c-sse41"));
    const bytes = new Uint8Array(readFileSync(path));
    expect(elfHeader(bytes)).toEqual({ elfClass: 2, data: 1, type: 1, machine: EM_X86_64 });
    expect(new TextDecoder().decode(bytes).includes("\0x86-64-linux-avx2-f16c-fma-sse41\0")).toBe(true);
  });
});
