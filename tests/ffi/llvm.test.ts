import { describe, expect, it } from "bun:test";
import { candidatePaths, findLLVM, loadLLVM } from "../../ffi/llvm.ts";
import { cString, native } from "../../ffi/native.ts";
import { HalideError } from "../../src/error.ts";
import { hostLLVMTarget, llvm, takeMessage } from "../../src/codegen/llvm_target.ts";

describe("libLLVM discovery", () => {
  it("loads a supported LLVM and reports its version", () => {
    const lib = loadLLVM();
    expect(lib.major).toBeGreaterThanOrEqual(15);
    expect(lib.major).toBeLessThanOrEqual(22);
    expect(lib.version.startsWith(String(lib.major))).toBe(true);
  });

  it("honours HALIDE_LLVM_LIB when it names a missing file", () => {
    expect(() => findLLVM("/nonexistent/libLLVM.so", candidatePaths())).toThrow(
      "HALIDE_LLVM_LIB is set to /nonexistent/libLLVM.so, which does not exist.",
    );
  });

  it("lists every path tried and how to install one when nothing is found", () => {
    let err: unknown;
    try {
      findLLVM(undefined, ["/nowhere/libLLVM-19.so.1", "/nowhere/libLLVM-15.so.1"]);
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(HalideError);
    const msg = (err as Error).message;
    expect(msg).toContain("/nowhere/libLLVM-19.so.1");
    expect(msg).toContain("/nowhere/libLLVM-15.so.1");
    expect(msg).toContain("apt-get install libllvm19");
  });

  it("refuses a library that is not libLLVM with a HalideError", () => {
    expect(() => findLLVM(undefined, ["/bin/sh"])).toThrow("No usable libLLVM");
  });

  it("searches newest versions first", () => {
    const paths = candidatePaths();
    const first19 = paths.findIndex((p) => p.includes("19"));
    const first15 = paths.findIndex((p) => p.includes("15"));
    expect(first19).toBeLessThan(first15);
  });
});

describe("FFI", () => {
  it("round-trips addresses and handles", () => {
    const ab = new ArrayBuffer(64);
    const addr = native.addressOfBuffer(ab);
    expect(addr).toBeGreaterThan(0n);
    expect(native.addressOf(native.handleAt(addr))).toBe(addr);
    expect(native.handleAt(0n)).toBeNull();
  });

  it("passes strings and reads them back through LLVM", () => {
    const { fn } = llvm();
    const s = takeMessage(fn, fn.LLVMNormalizeTargetTriple("x86_64-linux-gnu"));
    expect(s).toBe("x86_64-unknown-linux-gnu");
    expect(cString("héllo").length).toBe(7);
  });

  it("detects the host CPU's features", () => {
    const t = hostLLVMTarget();
    expect(t.triple.length).toBeGreaterThan(0);
    expect(t.features).toMatch(/^[+-]/);
  });
});
