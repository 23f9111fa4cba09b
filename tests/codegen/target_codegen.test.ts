// Code generation for a Target: the LLVM CPU and features chosen for each Halide target (as Halide's x86 and ARM
// code generators choose them), the instructions that come out (no AVX for sse41, ymm for avx2, zmm for
// avx512), cross-compilation to ARM, and JIT compilation for a target other than the host's own (explicit, and
// through HL_JIT_TARGET), including the errors for targets this machine cannot run.
import { describe, expect, it } from "bun:test";
import process from "node:process";
import * as hl from "../../mod.ts";
import { errorOf as errorOfHalide, withEnv } from "../schedule/helpers.ts";
import { emitAssembly, emitLlvmAssembly, jitCompile } from "../../src/codegen/jit.ts";
import { hostLLVMTarget, llvm, llvmTargetFor } from "../../src/codegen/llvm_target.ts";
import { isaFeaturesOf } from "../../src/lang/target.ts";
import { lowerPipeline } from "../../src/lower/lower.ts";
import { CallFrame } from "../../src/runtime/args.ts";

const x = new hl.Var("x");
const host = hl.getHostTarget();
const x86Host = host.arch === hl.TargetArch.X86 && host.bits === 64;
const hostPrefix = `${host.arch}-${host.bits}-${host.os}`;

/** `f(x) = float(x) * 2.5 + 1` (or an 8-bit sum for `u8`), vectorized by `lanes`; no inputs. */
function pipeline(name: string, lanes: number, u8 = false) {
  const f = new hl.Func(name);
  f.at(x).set(u8 ? hl.u8(x).add(hl.u8(x.mul(3))) : hl.f32(x).mul(2.5).add(1));
  f.vectorize(x, lanes);
  return { f, lp: lowerPipeline(f.fn) };
}

/** The instruction mnemonics of x86 assembly (directives and labels left out). */
function mnemonics(asm: string): string[] {
  const out: string[] = [];
  for (const line of asm.split("\n")) {
    const m = /^\s+([a-z][a-z0-9]*)\b/.exec(line);
    if (m) out.push(m[1]);
  }
  return out;
}

/** Realizes `lp`'s single output, compiled by `jitCompile(lp, target)`, over `n` elements. */
function runJit(lp: ReturnType<typeof lowerPipeline>, type: hl.Type, n: number, target?: hl.Target) {
  const jp = jitCompile(lp, target);
  try {
    const out = new hl.Buffer(type, [n], "out");
    const frame = new CallFrame(jp.args.length);
    jp.args.forEach((_, i) => frame.setBuffer(i, out));
    frame.run(jp.call, lp.name);
    return { values: Array.from({ length: n }, (_, i) => out.get([i]) as number), target: jp.target };
  } finally {
    jp.dispose();
  }
}

const errorOf = (fn: () => unknown): string => errorOfHalide(fn).message;

describe("Target → LLVM CPU and features", () => {
  const features = (s: string) => llvmTargetFor(new hl.Target(s)).features.split(",").filter((f) => f);

  it("sse41 builds on the plain x86-64 baseline, with no AVX", () => {
    const lt = llvmTargetFor(new hl.Target("x86-64-linux-sse41"));
    expect(lt.cpu).toBe("x86-64");
    expect(lt.triple).toMatch(/^x86_64-/);
    expect(features("x86-64-linux-sse41")).toContain("+sse4.1");
    expect(features("x86-64-linux-sse41").filter((f) => f.startsWith("+avx"))).toEqual([]);
  });

  it("AVX levels pick the matching generic x86-64 level, never a vendor CPU", () => {
    expect(llvmTargetFor(new hl.Target("x86-64-linux-sse41-avx")).cpu).toBe("x86-64-v2");
    expect(features("x86-64-linux-sse41-avx")).toContain("+avx");
    expect(llvmTargetFor(new hl.Target("x86-64-linux-avx2-fma-sse41-f16c")).cpu).toBe("x86-64-v3");
    expect(llvmTargetFor(new hl.Target("x86-64-linux-avx512")).cpu).toBe("x86-64-v3");
    expect(features("x86-64-linux-avx512")).toContain("+avx512f");
    expect(llvmTargetFor(new hl.Target("x86-64-linux-avx512_skylake")).cpu).toBe("x86-64-v4");
    const zen5 = features("x86-64-linux-avx512_zen5");
    for (const f of ["+avx512bw", "+avx512ifma", "+avx512vbmi", "+avx512bf16", "+avx512vnni", "+avxvnni"]) {
      expect(zen5).toContain(f);
    }
    expect(zen5).not.toContain("+amx-int8");
    expect(features("x86-64-linux-avx512_sapphirerapids")).toContain("+amx-int8");
  });

  it("a processor tune becomes the tune CPU", () => {
    const lt = llvmTargetFor(new hl.Target("x86-64-linux-tune_znver3-avx2"));
    expect(lt.cpu).toBe("x86-64-v3");
    expect(lt.tuneCpu).toBe("znver3");
  });

  it("the host target, and the default JIT target, use the host CPU and features LLVM detects", () => {
    expect(llvmTargetFor(hl.getHostTarget())).toEqual(hostLLVMTarget());
    expect(llvmTargetFor(new hl.Target("host-no_asserts"))).toEqual(hostLLVMTarget());
    withEnv("HL_JIT_TARGET", undefined, () => {
      expect(llvmTargetFor(hl.getJitTargetFromEnvironment())).toEqual(hostLLVMTarget());
    });
  });

  it("ARM targets get the AArch64 triple and version features", () => {
    const lt = llvmTargetFor(new hl.Target("arm-64-linux-armv82a-arm_dot_prod"));
    expect(lt.triple).toMatch(/^aarch64-.*linux/);
    expect(lt.cpu).toBe("generic");
    expect(lt.features.split(",")).toEqual(["+v8a", "+v8.1a", "+v8.2a", "+dotprod"]);
    expect(llvmTargetFor(new hl.Target("arm-64-osx")).cpu).toBe("apple-m1");
  });
});

describe("assembly for a target", () => {
  const { lp } = pipeline("tgt_asm_f32", 16);

  it("sse41: SSE instructions only — no ymm/zmm registers, no VEX-encoded instructions", () => {
    const asm = emitAssembly(lp, new hl.Target("x86-64-linux-sse41"));
    expect(asm).toMatch(/%xmm\d/);
    expect(asm).not.toMatch(/%[yz]mm\d/);
    expect(mnemonics(asm).filter((m) => m.startsWith("v"))).toEqual([]);
    expect(mnemonics(asm)).toContain("mulps");
  });

  it("avx2: ymm registers, no zmm", () => {
    const asm = emitAssembly(lp, new hl.Target("x86-64-linux-avx2-fma-sse41-f16c"));
    expect(asm).toMatch(/%ymm\d/);
    expect(asm).not.toMatch(/%zmm\d/);
    expect(mnemonics(asm).some((m) => m.startsWith("v"))).toBe(true);
  });

  it("avx512: zmm registers when vectorizing 512 bits wide", () => {
    expect(emitAssembly(lp, new hl.Target("x86-64-linux-avx512_skylake"))).toMatch(/%zmm\d/);
    expect(emitAssembly(lp, new hl.Target("x86-64-linux-avx512"))).toMatch(/%zmm\d/);
    expect(emitAssembly(lp, new hl.Target("x86-64-linux-avx512_zen5"))).toMatch(/%zmm\d/);
    const bytes = pipeline("tgt_asm_u8", 64, true).lp;
    expect(emitAssembly(bytes, new hl.Target("x86-64-linux-avx512_skylake"))).toMatch(/%zmm\d/);
    expect(emitAssembly(bytes, new hl.Target("x86-64-linux-sse41"))).not.toMatch(/%[yz]mm\d/);
  });

  it("cross-compiles to 64-bit ARM (NEON registers, no x86 ones)", () => {
    const asm = emitAssembly(lp, new hl.Target("arm-64-linux"));
    expect(asm).toMatch(/\bv\d+\.4s\b/);
    expect(asm).not.toMatch(/%xmm/);
  });

  it("LLVM IR carries the target's CPU and features on the pipeline's functions", () => {
    const ir = emitLlvmAssembly(lp, new hl.Target("x86-64-linux-sse41"));
    expect(ir).toContain('"target-cpu"="x86-64"');
    expect(ir).toMatch(/"target-features"="[^"]*\+sse4\.1/);
    expect(ir).toContain("fmul <16 x float>");
    expect(emitLlvmAssembly(lp, new hl.Target("x86-64-linux-tune_znver4-avx2"))).toContain(
      llvm().major >= 16 ? '"tune-cpu"="znver4"' : '"target-cpu"="x86-64-v3"',
    );
  });

  it("32-bit, GPU and unsupported-architecture targets are errors", () => {
    expect(errorOf(() => emitAssembly(lp, new hl.Target("x86-32-linux-sse41")))).toContain(
      "cannot generate code for target x86-32-linux-sse41",
    );
    expect(errorOf(() => emitAssembly(lp, new hl.Target("x86-64-linux-cuda")))).toContain("GPU");
    expect(errorOf(() => emitAssembly(lp, new hl.Target("riscv-64-linux")))).toContain("riscv-64-linux");
  });
});

describe("JIT compilation for a target", () => {
  const expected = (n: number) => Array.from({ length: n }, (_, i) => i * 2.5 + 1);

  if (x86Host) {
    it("an sse41 JIT target computes the right answer", () => {
      const { lp } = pipeline("tgt_jit_sse41", 16);
      const r = runJit(lp, hl.Float(32), 100, new hl.Target(`${hostPrefix}-sse41`));
      expect(r.values).toEqual(expected(100));
      expect(r.target.toString()).toBe(`${hostPrefix}-sse41`);
    });

    it("HL_JIT_TARGET is the default JIT target (jitCompile and realize)", () => {
      withEnv("HL_JIT_TARGET", `${hostPrefix}-sse41`, () => {
        const { lp } = pipeline("tgt_jit_env", 8);
        const r = runJit(lp, hl.Float(32), 37);
        expect(r.target.toString()).toBe(`${hostPrefix}-jit-sse41`);
        expect(r.values).toEqual(expected(37));
        const { f } = pipeline("tgt_jit_env_realize", 16, true);
        const out = f.realize([40]);
        expect(Array.from({ length: 40 }, (_, i) => out.get([i]))).toEqual(
          Array.from({ length: 40 }, (_, i) => (i + ((i * 3) & 255)) & 255),
        );
      });
    });

    it("a target with a feature this machine lacks cannot be JIT-compiled", () => {
      const { lp } = pipeline("tgt_jit_missing", 8);
      const missing = ["avx512_sapphirerapids", "x86apx", "fma4"].find((f) =>
        !isaFeaturesOf(host).includes(f as hl.TargetFeature)
      );
      if (missing === undefined) return;
      const msg = errorOf(() => jitCompile(lp, new hl.Target(`${hostPrefix}-${missing}`)));
      expect(msg).toContain(`Cannot JIT for target ${hostPrefix}-${missing} on host ${host}`);
      expect(msg).toContain(missing);
    });
  }

  it("the host's own JIT target computes the right answer", () => {
    const { lp } = pipeline("tgt_jit_host", 16);
    withEnv("HL_JIT_TARGET", undefined, () => {
      const r = runJit(lp, hl.Float(32), 50);
      expect(r.target.equals(host.withFeature(hl.TargetFeature.JIT))).toBe(true);
      expect(r.values).toEqual(expected(50));
    });
  });

  it("a target of another architecture or OS cannot be JIT-compiled", () => {
    const { lp } = pipeline("tgt_jit_other", 8);
    const other = host.arch === hl.TargetArch.ARM ? "x86-64-linux" : "arm-64-linux";
    expect(errorOf(() => jitCompile(lp, new hl.Target(other)))).toContain(
      `Cannot JIT for target ${other} on host ${host}`,
    );
    const otherOS = host.os === hl.TargetOS.Windows ? "linux" : "windows";
    expect(errorOf(() => jitCompile(lp, new hl.Target(`${host.arch}-${host.bits}-${otherOS}`)))).toContain(
      "Cannot JIT for target",
    );
  });
});
