// hl.Target: parsing, canonical strings, validation, feature edits, natural vector sizes and the host/JIT targets.
// Ports Halide's test/correctness/target.cpp and python_bindings/test/correctness/target.py, plus the host
// detection from LLVM's CPU name and feature string (recorded strings of several CPUs, and this machine's).
import { describe, expect, it } from "bun:test";
import process from "node:process";
import * as hl from "../../mod.ts";
import { errorOf as errorOfHalide, withEnv } from "../schedule/helpers.ts";
import { hostLLVMTarget } from "../../src/codegen/llvm_target.ts";
import { hostTargetFromLLVM, isaFeaturesOf } from "../../src/lang/target.ts";

const { TargetFeature: F, TargetOS: OS, TargetArch: Arch } = hl;

const errorOf = (fn: () => unknown): string => errorOfHalide(fn).message;

describe("Target construction and canonical strings (Halide's target test)", () => {
  it("Target('') and Target('host') are exactly the host target", () => {
    const host = hl.getHostTarget();
    expect(new hl.Target("").equals(host)).toBe(true);
    expect(new hl.Target("host").equals(host)).toBe(true);
    expect(host.supported()).toBe(true);
    expect(host.hasUnknowns()).toBe(false);
  });

  it("the default Target is unknown and its string does not validate", () => {
    const t = new hl.Target();
    expect(t.toString()).toBe("arch_unknown-0-os_unknown");
    expect(`${t}`).toBe("arch_unknown-0-os_unknown");
    expect(hl.Target.validateTargetString(t.toString())).toBe(false);
    expect(t.os).toBe(OS.OSUnknown);
    expect(t.arch).toBe(Arch.ArchUnknown);
    expect(t.bits).toBe(0);
    expect(t.hasUnknowns()).toBe(true);
  });

  it("full specifications round-trip", () => {
    const t1 = new hl.Target(OS.Linux, Arch.X86, 32, [F.SSE41]);
    expect(t1.toString()).toBe("x86-32-linux-sse41");
    expect(hl.Target.validateTargetString(t1.toString())).toBe(true);
    expect(new hl.Target(t1.toString()).equals(t1)).toBe(true);

    const t2 = new hl.Target(OS.Linux, Arch.X86, 32);
    expect(t2.toString()).toBe("x86-32-linux");
    expect(hl.Target.validateTargetString("x86-32-linux")).toBe(true);

    const t3 = new hl.Target(OS.Android, Arch.ARM, 32, [F.JIT, F.CUDA, F.OpenCL, F.Debug]);
    expect(t3.toString()).toBe("arm-32-android-cuda-debug-jit-opencl");
    expect(hl.Target.validateTargetString(t3.toString())).toBe(true);
    expect(new hl.Target(t3.toString()).equals(t3)).toBe(true);
  });

  it("prints features sorted by name whatever order they were given in", () => {
    expect(new hl.Target("x86-64-linux-sse41-avx2-fma-f16c").toString()).toBe("x86-64-linux-avx2-f16c-fma-sse41");
    expect(new hl.Target("x86-64-linux-sse41-avx").toString()).toBe("x86-64-linux-avx-sse41");
    expect(new hl.Target("linux-no_asserts-64-x86-avx512_skylake").toString()).toBe(
      "x86-64-linux-avx512_skylake-no_asserts",
    );
    expect(new hl.Target("x86-64-linux-avx512_zen5-avx512_sapphirerapids-avx512").toString()).toBe(
      "x86-64-linux-avx512-avx512_sapphirerapids-avx512_zen5",
    );
    expect(new hl.Target(OS.Linux, Arch.X86, 64, [F.SSE41, F.AVX, F.AVX2, F.FMA]).getFeatures()).toEqual([
      "avx",
      "avx2",
      "fma",
      "sse41",
    ]);
  });

  it("round-trips the processor tune and vector bits", () => {
    const t = new hl.Target("x86-64-linux-avx2-tune_znver4");
    expect(t.processorTune).toBe(hl.TargetProcessorTune.TuneZnVer4);
    expect(t.toString()).toBe("x86-64-linux-tune_znver4-avx2");
    expect(new hl.Target(OS.Linux, Arch.X86, 64, hl.TargetProcessorTune.TuneZnVer5, [F.AVX2]).toString()).toBe(
      "x86-64-linux-tune_znver5-avx2",
    );
    expect(new hl.Target().vectorBits).toBe(0);
    const sve = new hl.Target("arm-64-linux-sve2-vector_bits_512");
    expect(sve.vectorBits).toBe(512);
    expect(sve.toString()).toBe("arm-64-linux-sve2-vector_bits_512");
    expect(new hl.Target(sve.toString()).equals(sve)).toBe(true);
    expect(sve.naturalVectorSize(hl.Int(32))).toBe(16);
  });

  it("trace_all sets the three tracing features and prints back as trace_all", () => {
    const t = new hl.Target("x86-64-linux-trace_all");
    expect(t.featuresAllOf([F.TraceLoads, F.TraceStores, F.TraceRealizations])).toBe(true);
    expect(t.toString()).toBe("x86-64-linux-trace_all");
  });

  it("every feature name round-trips through featureFromName and a target string", () => {
    for (const f of new Set(Object.values(F))) {
      expect(hl.Target.featureFromName(f)).toBe(f);
      // Some features need a companion: HLSL shader models need d3d12compute, sme2 exactly one SME_SVL.
      const with_: hl.TargetFeature[] = f.startsWith("hlsl_") ? [F.D3D12Compute] : f === F.SME2 ? [F.SME_SVL128] : [];
      if (f.startsWith("sme_svl")) with_.push(F.SME2);
      const t = new hl.Target(OS.NoOS, Arch.Hexagon, 32, [f, ...with_]);
      expect(new hl.Target(t.toString()).equals(t)).toBe(true);
    }
    expect(F.HVX).toBe(F.HVX_128);
    expect(hl.Target.featureFromName("hvx")).toBe(F.HVX_128);
    expect(hl.Target.featureFromName("avx3")).toBeUndefined();
    // As in Halide, both names of HVX_128 print.
    expect(new hl.Target("hexagon-32-qurt-hvx").toString()).toBe("hexagon-32-qurt-hvx-hvx_128");
  });

  it("'host-<features>' adds features to the host", () => {
    const host = hl.getHostTarget();
    expect(new hl.Target("host-no_asserts").equals(host.withFeature(F.NoAsserts))).toBe(true);
    expect(new hl.Target("host-debug-jit").equals(host.withFeature(F.Debug).withFeature(F.JIT))).toBe(true);
    expect(hl.Target.validateTargetString("host-no_asserts")).toBe(true);
  });
});

describe("validateTargetString", () => {
  it("accepts complete target strings", () => {
    for (
      const s of ["x86-64-linux", "x86-64-linux-sse41-avx", "arm-64-osx-arm_dot_prod", "x86-64-windows-jit", "host"]
    ) {
      expect(hl.Target.validateTargetString(s)).toBe(true);
    }
  });

  it("rejects incomplete, duplicated and unknown parts (Halide's expected failures)", () => {
    for (
      const s of [
        "host-unknowntoken",
        "x86-23",
        "x86-0",
        "0-arch_unknown-os_unknown-sse41",
        "opencl-host",
        "x86-64", // no OS
        "x86-linux", // arch without bits
        "x86-64-linux-32",
        "x86-arm-64-linux",
        "x86-64-linux-osx",
        "x86-64-linux-tune_znver4-tune_znver5",
        "",
        "arch_unknown-0-os_unknown",
        "x86-64-linux-vector_bits_x",
      ]
    ) {
      expect(hl.Target.validateTargetString(s)).toBe(false);
    }
  });
});

describe("bad target strings", () => {
  it("name the bad token and list the valid architectures, OSes, processors and features", () => {
    const msg = errorOf(() => new hl.Target("x86-64-linux-avx3"));
    expect(msg).toContain("Did not understand Halide target x86-64-linux-avx3");
    expect(msg).toContain('"avx3"');
    expect(msg).toContain("Where arch is: arch_unknown, arm, hexagon, powerpc, riscv, wasm, x86.");
    expect(msg).toContain("os is: android, fuchsia, ios, linux, noos, os_unknown, osx, qurt, wasmrt, windows.");
    expect(msg).toContain("tune_znver5");
    expect(msg).toContain("Features are: arm_dot_prod, arm_fp16");
    expect(msg).toContain("avx512_skylake");
    expect(msg).toContain(`the host target is: ${hl.getHostTarget()}`);
  });

  it("explain incomplete and misplaced parts", () => {
    expect(errorOf(() => new hl.Target("x86-64"))).toContain("leaves the OS unknown");
    expect(errorOf(() => new hl.Target("opencl-host"))).toContain('"host" may only be the first token');
    expect(errorOf(() => new hl.Target("x86-linux"))).toContain("without the bit width");
    expect(errorOf(() => new hl.Target("x86-0-linux"))).toContain("bits 0");
  });

  it("reject features of another architecture", () => {
    expect(errorOf(() => new hl.Target("x86-64-linux-sve2"))).toContain(
      "Target feature sve2 is incompatible with the Target's architecture. (x86-64-linux-sve2)",
    );
    expect(errorOf(() => new hl.Target(OS.Linux, Arch.ARM, 64, [F.AVX2]))).toContain("avx2 is incompatible");
    expect(errorOf(() => new hl.Target("x86-64-linux-hlsl_sm60"))).toContain("hlsl_sm60");
    expect(errorOf(() => new hl.Target("arm-64-linux-sme2"))).toContain("exactly one SME_SVL");
  });

  it("reject invalid enum values passed from JavaScript", () => {
    const bogus = "this is a string" as hl.TargetFeature;
    expect(errorOf(() => new hl.Target(OS.Linux, Arch.X86, 32, [bogus]))).toContain("Invalid Target feature");
    expect(errorOf(() => new hl.Target("linux" as hl.TargetOS, "x87" as hl.TargetArch, 64))).toContain("architecture");
    expect(errorOf(() => new hl.Target(OS.Linux, Arch.X86, -1))).toContain("bits");
    expect(errorOf(() => new hl.Target("x86-64-linux").hasFeature(bogus))).toContain("Invalid Target feature");
  });
});

describe("feature edits", () => {
  it("setFeature and setFeatures change the target in place", () => {
    const t = new hl.Target(OS.Linux, Arch.X86, 32, [F.SSE41]);
    expect(t.hasFeature(F.SSE41)).toBe(true);
    expect(t.hasFeature(F.AVX)).toBe(false);
    t.setFeature(F.AVX);
    t.setFeature(F.SSE41, false);
    expect(t.hasFeature(F.AVX)).toBe(true);
    expect(t.hasFeature(F.SSE41)).toBe(false);

    const u = new hl.Target(OS.Linux, Arch.X86, 32, [F.SSE41]);
    u.setFeatures([F.SSE41], false);
    u.setFeatures([F.AVX, F.AVX2], true);
    expect(u.featuresAllOf([F.AVX, F.AVX2])).toBe(true);
    expect(u.featuresAnyOf([F.SSE41, F.FMA])).toBe(false);
  });

  it("withFeature and withoutFeature return modified copies", () => {
    const t1 = new hl.Target(OS.Linux, Arch.X86, 32, [F.SSE41]);
    const t2 = t1.withFeature(F.NoAsserts).withFeature(F.NoBoundsQuery);
    expect(t2.toString()).toBe("x86-32-linux-no_asserts-no_bounds_query-sse41");
    expect(t1.toString()).toBe("x86-32-linux-sse41");

    const t3 = new hl.Target(OS.Linux, Arch.X86, 32, [F.SSE41, F.NoAsserts]);
    expect(t3.withoutFeature(F.NoAsserts).withoutFeature(F.NoBoundsQuery).toString()).toBe("x86-32-linux-sse41");
    expect(t3.hasFeature(F.NoAsserts)).toBe(true);
    expect(t3.equals(t3.withFeature(F.NoAsserts))).toBe(true);
    expect(t3.equals(t3.withoutFeature(F.NoAsserts))).toBe(false);
  });

  it("fields can be assigned, as in Python", () => {
    const t = new hl.Target("x86-64-linux-sse41");
    t.os = OS.Windows;
    t.bits = 32;
    expect(t.toString()).toBe("x86-32-windows-sse41");
  });

  it("hasGpuFeature and hasLargeBuffers", () => {
    expect(new hl.Target(OS.Linux, Arch.X86, 32, [F.OpenCL]).hasGpuFeature()).toBe(true);
    expect(new hl.Target(OS.Linux, Arch.X86, 32, []).hasGpuFeature()).toBe(false);
    expect(new hl.Target("x86-64-linux-large_buffers").hasLargeBuffers()).toBe(true);
    expect(new hl.Target("x86-64-linux").hasLargeBuffers()).toBe(false);
  });

  it("implied features expand and collapse as in Halide", () => {
    const cases: [string, string, string][] = [
      ["x86-64-linux-avx2", "x86-64-linux-sse41-avx-avx2-f16c-fma", "x86-64-linux-avx2"],
      [
        "x86-64-linux-avx512_skylake",
        "x86-64-linux-sse41-avx-avx2-f16c-fma-avx512-avx512_skylake",
        "x86-64-linux-avx512_skylake",
      ],
      [
        "x86-64-linux-avx512_sapphirerapids",
        "x86-64-linux-sse41-avx-avx2-f16c-fma-avxvnni-avx512-avx512_skylake-avx512_cannonlake-avx512_zen4-avx512_sapphirerapids",
        "x86-64-linux-avx512_sapphirerapids",
      ],
      ["x86-64-linux-sse41-avx-avx2-f16c-fma", "x86-64-linux-sse41-avx-avx2-f16c-fma", "x86-64-linux-avx2"],
      [
        "x86-64-linux-avx10_1-vector_bits_512",
        "x86-64-linux-sse41-avx-avx2-f16c-fma-avxvnni-avx512-avx512_skylake-avx512_cannonlake-avx512_zen4-avx512_sapphirerapids-avx10_1-vector_bits_512",
        "x86-64-linux-avx10_1-vector_bits_512",
      ],
      ["x86-64-linux-avx10_1", "x86-64-linux-avx10_1", "x86-64-linux-avx10_1"],
      ["arm-64-linux-armv84a", "arm-64-linux-armv8a-armv81a-armv82a-armv83a-armv84a", "arm-64-linux-armv84a"],
      ["arm-64-linux-sve2", "arm-64-linux-armv8a-armv81a-armv82a-arm_fp16-arm_dot_prod-sve2", "arm-64-linux-sve2"],
      [
        "arm-64-linux-sme2-sme_svl512",
        "arm-64-linux-armv8a-armv81a-armv82a-arm_fp16-arm_dot_prod-sme2-sme_svl512",
        "arm-64-linux-sme2-sme_svl512",
      ],
      ["arm-64-osx", "arm-64-osx-armv8a-armv81a-armv82a-armv83a-armv84a", "arm-64-osx"],
      ["x86-64-linux-trace_loads", "x86-64-linux-trace_loads-trace_realizations", "x86-64-linux-trace_loads"],
    ];
    for (const [input, expanded, minimal] of cases) {
      const t = new hl.Target(input);
      expect(t.withImpliedFeatures().equals(new hl.Target(expanded))).toBe(true);
      expect(t.withImpliedFeatures().withoutImpliedFeatures().equals(new hl.Target(minimal))).toBe(true);
    }
    expect(isaFeaturesOf(new hl.Target("x86-64-linux-avx2-no_asserts"))).toEqual([
      "avx",
      "avx2",
      "f16c",
      "fma",
      "sse41",
    ]);
  });
});

describe("naturalVectorSize", () => {
  const sizes = (s: string) =>
    [hl.UInt(8), hl.Int(16), hl.UInt(32), hl.Float(32), hl.Float(64)].map((t) => new hl.Target(s).naturalVectorSize(t));

  it("SSE4.1 is 16 bytes wide", () => {
    expect(sizes("x86-32-linux-sse41")).toEqual([16, 8, 4, 4, 2]);
  });
  it("AVX is 32 bytes wide for floats but 16 for integers", () => {
    expect(sizes("x86-32-linux-sse41-avx")).toEqual([16, 8, 4, 8, 4]);
  });
  it("AVX2 is 32 bytes wide", () => {
    expect(sizes("x86-32-linux-sse41-avx-avx2")).toEqual([32, 16, 8, 8, 4]);
  });
  it("AVX-512 is 64 bytes wide (for integers only with AVX512BW: Skylake and later)", () => {
    expect(sizes("x86-64-linux-avx512")).toEqual([32, 16, 8, 16, 8]);
    expect(sizes("x86-64-linux-avx512_knl")).toEqual([32, 16, 8, 16, 8]);
    expect(sizes("x86-64-linux-avx512_skylake")).toEqual([64, 32, 16, 16, 8]);
    expect(sizes("x86-64-linux-avx512_zen5")).toEqual([64, 32, 16, 16, 8]);
  });
  it("NEON is 16 bytes wide", () => {
    expect(sizes("arm-32-linux")).toEqual([16, 8, 4, 4, 2]);
    expect(sizes("arm-64-linux-arm_dot_prod")).toEqual([16, 8, 4, 4, 2]);
  });
  it("WebAssembly has vectors only with SIMD", () => {
    expect(sizes("wasm-32-wasmrt")).toEqual([1, 1, 1, 1, 1]);
    expect(sizes("wasm-32-wasmrt-wasm_simd128")).toEqual([16, 8, 4, 4, 2]);
  });
  it("is an error on a target with unknowns", () => {
    expect(errorOf(() => new hl.Target().naturalVectorSize(hl.Int(32)))).toContain("Unknown values");
  });
});

describe("host detection from LLVM's CPU name and features", () => {
  const linux = "x86_64-pc-linux-gnu";
  const plus = (...fs: string[]) => fs.map((f) => `+${f}`).join(",");
  const base = ["sse2", "sse3", "ssse3", "sse4.1", "sse4.2", "popcnt", "cx16"];
  const haswell = [...base, "avx", "avx2", "fma", "f16c", "rdrnd", "bmi", "bmi2"];
  const skx = [...haswell, "avx512f", "avx512cd", "avx512vl", "avx512bw", "avx512dq"];
  const zen5 = [...skx, "avx512ifma", "avx512vbmi", "avx512bf16", "avx512vnni", "avxvnni", "sse4a"];
  const detect = (cpu: string, fs: string[], triple = linux) =>
    hostTargetFromLLVM({ triple, cpu, features: plus(...fs) + ",-avx512er,-amx-tile" });

  it("maps Intel CPUs feature by feature", () => {
    expect(detect("nehalem", base).toString()).toBe("x86-64-linux-sse41");
    expect(detect("sandybridge", [...base, "avx"]).toString()).toBe("x86-64-linux-avx-sse41");
    expect(detect("haswell", haswell).toString()).toBe("x86-64-linux-avx-avx2-f16c-fma-sse41");
    expect(detect("skylake-avx512", skx).toString()).toBe(
      "x86-64-linux-avx-avx2-avx512-avx512_skylake-f16c-fma-sse41",
    );
    expect(detect("icelake-server", [...skx, "avx512ifma"]).toString()).toBe(
      "x86-64-linux-avx-avx2-avx512-avx512_cannonlake-avx512_skylake-f16c-fma-sse41",
    );
    expect(detect("sapphirerapids", [...skx, "avx512ifma", "avxvnni", "amx-bf16", "amx-tile", "amx-int8"]).toString())
      .toBe(
        "x86-64-linux-avx-avx2-avx512-avx512_cannonlake-avx512_sapphirerapids-avx512_skylake-avxvnni-f16c-fma-sse41",
      );
    // AVX2 and AVX-512 are only considered with AVX, F16C and RDRAND present (as Halide's cpuid checks).
    expect(detect("unknown", [...haswell.filter((f) => f !== "rdrnd")]).toString()).toBe(
      "x86-64-linux-avx-f16c-fma-sse41",
    );
  });

  it("gives Zen 4 and Zen 5 their fixed feature sets and tuning", () => {
    const z5 =
      "x86-64-linux-tune_znver5-avx-avx2-avx512-avx512_cannonlake-avx512_skylake-avx512_zen4-avx512_zen5-avxvnni-f16c-fma-sse41";
    expect(detect("znver5", zen5).toString()).toBe(z5);
    // An LLVM too old to name the CPU: the family and model identify it, as in Halide.
    const cpu = { vendor: "AuthenticAMD", family: 26, model: 2 };
    expect(hostTargetFromLLVM({ triple: linux, cpu: "generic", features: plus(...zen5) }, cpu).toString()).toBe(z5);
    expect(detect("znver4", zen5).toString()).toBe(
      "x86-64-linux-tune_znver4-avx-avx2-avx512-avx512_cannonlake-avx512_skylake-avx512_zen4-f16c-fma-sse41",
    );
    // Without OS support for AVX-512 state (LLVM then reports no avx512f), Zen 5 stops at AVX2.
    expect(detect("znver5", haswell).toString()).toBe("x86-64-linux-tune_znver5-avx-avx2-avxvnni-f16c-fma-sse41");
    expect(detect("znver3", haswell).toString()).toBe("x86-64-linux-tune_znver3-avx-avx2-f16c-fma-sse41");
  });

  it("maps the OS, architecture and ARM features", () => {
    expect(detect("haswell", haswell, "x86_64-apple-darwin23.0.0").toString()).toBe(
      "x86-64-osx-avx-avx2-f16c-fma-sse41",
    );
    expect(detect("haswell", haswell, "x86_64-pc-windows-msvc").os).toBe(OS.Windows);
    expect(
      hostTargetFromLLVM({
        triple: "aarch64-unknown-linux-gnu",
        cpu: "neoverse-n1",
        features: "+neon,+dotprod,+fullfp16",
      }).toString(),
    )
      .toBe("arm-64-linux-arm_dot_prod-arm_fp16");
    expect(hostTargetFromLLVM({ triple: "arm64-apple-macosx14.0.0", cpu: "apple-m1", features: "+neon" }).toString())
      .toBe("arm-64-osx");
  });

  it("this machine's host target has the features LLVM reports", () => {
    const llvmHost = hostLLVMTarget();
    const host = hl.getHostTarget();
    const on = new Set(llvmHost.features.split(",").filter((f) => f.startsWith("+")).map((f) => f.slice(1)));
    const isa = new Set(isaFeaturesOf(host));
    if (/^x86_64/.test(llvmHost.triple)) {
      expect(host.arch).toBe(Arch.X86);
      expect(host.bits).toBe(64);
      expect(isa.has(F.SSE41)).toBe(on.has("sse4.1"));
      expect(isa.has(F.AVX)).toBe(on.has("avx"));
      expect(isa.has(F.AVX2)).toBe(on.has("avx2"));
      expect(isa.has(F.FMA)).toBe(on.has("fma"));
      expect(isa.has(F.F16C)).toBe(on.has("f16c"));
      expect(isa.has(F.AVX512)).toBe(on.has("avx512f") && on.has("avx512cd"));
      expect(isa.has(F.AVX512_Skylake)).toBe(on.has("avx512f") && on.has("avx512bw") && on.has("avx512vl"));
      // Every feature the host target claims, LLVM reports.
      const needs: Partial<Record<string, string[]>> = {
        sse41: ["sse4.1"],
        avx: ["avx"],
        avx2: ["avx2"],
        fma: ["fma"],
        f16c: ["f16c"],
        avx512: ["avx512f", "avx512cd"],
        avx512_skylake: ["avx512vl", "avx512bw", "avx512dq"],
        avx512_cannonlake: ["avx512ifma", "avx512vbmi"],
        avx512_zen4: ["avx512bf16", "avx512vnni", "avx512bitalg", "avx512vbmi2"],
        avxvnni: ["avxvnni"],
      };
      for (const f of isa) {
        for (const llvmFeature of needs[f] ?? []) expect(`${f}: ${on.has(llvmFeature)}`).toBe(`${f}: true`);
      }
    }
    if (llvmHost.triple.includes("linux")) expect(host.os).toBe(OS.Linux);
    // getHostTarget returns copies.
    host.setFeature(F.Debug);
    expect(hl.getHostTarget().hasFeature(F.Debug)).toBe(false);
  });
});

describe("targets from the environment", () => {
  const host = hl.getHostTarget();
  const hostTriple = `${host.arch}-${host.bits}-${host.os}`;

  it("HL_JIT_TARGET unset: the host with the jit feature", () => {
    withEnv("HL_JIT_TARGET", undefined, () => {
      expect(hl.getJitTargetFromEnvironment().equals(host.withFeature(F.JIT))).toBe(true);
    });
  });

  it("HL_JIT_TARGET set: that target with the jit feature", () => {
    withEnv("HL_JIT_TARGET", `${hostTriple}-no_asserts`, () => {
      expect(hl.getJitTargetFromEnvironment().toString()).toBe(`${hostTriple}-jit-no_asserts`);
    });
    withEnv("HL_JIT_TARGET", "host-debug", () => {
      expect(hl.getJitTargetFromEnvironment().equals(host.withFeature(F.Debug).withFeature(F.JIT))).toBe(true);
    });
  });

  it("HL_JIT_TARGET must match the host's OS, architecture and bit width, and keep bounds queries", () => {
    const other = host.arch === Arch.ARM ? "x86-64-linux" : "arm-64-linux";
    withEnv("HL_JIT_TARGET", other, () => {
      const msg = errorOf(() => hl.getJitTargetFromEnvironment());
      expect(msg).toContain("HL_JIT_TARGET must match the host OS, architecture, and bit width.");
      expect(msg).toContain(`HL_JIT_TARGET was ${other}.`);
    });
    withEnv("HL_JIT_TARGET", "host-no_bounds_query", () => {
      expect(errorOf(() => hl.getJitTargetFromEnvironment())).toContain("no_bounds_query");
    });
    withEnv("HL_JIT_TARGET", "x86-64-linux-bogus", () => {
      expect(errorOf(() => hl.getJitTargetFromEnvironment())).toContain('"bogus"');
    });
  });

  it("HL_TARGET sets the ahead-of-time target", () => {
    withEnv("HL_TARGET", "arm-64-android-arm_dot_prod", () => {
      expect(hl.getTargetFromEnvironment().toString()).toBe("arm-64-android-arm_dot_prod");
    });
    withEnv("HL_TARGET", undefined, () => {
      expect(hl.getTargetFromEnvironment().equals(host)).toBe(true);
    });
  });
});
