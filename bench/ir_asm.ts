/**
 * Developer tool for the benchmark write-ups: turns an LLVM IR file written by `HALIDE_TS_DUMP=<dir>` (usually
 * the optimized `*.opt.ll`) into x86/AArch64 assembly with the same libLLVM and host target the JIT uses, so our
 * inner loops can be read and counted beside Halide's `compile_to_assembly` output. (The system's `llc`, if any,
 * may be an older LLVM that cannot read this IR.) It reaches into the compiler's internals on purpose; the
 * benchmarks themselves use only the public API.
 *
 * @example
 * ```sh
 * bun bench/blur.ts --dump out/blur_ir
 * bun bench/ir_asm.ts out/blur_ir/blur_y_jit1.opt.ll > out/blur_ir/blur_y_jit1.s
 * ```
 *
 * @module
 */
import { readFileSync } from "node:fs";
import process from "node:process";
import { cString, native } from "../ffi/native.ts";
import {
  createTargetMachine,
  hostLLVMTarget,
  llvm,
  newModuleContext,
  outCell,
  takeMessage,
} from "../src/codegen/llvm_target.ts";

const ASSEMBLY_FILE = 0; // LLVMCodeGenFileType: LLVMAssemblyFile

/**
 * The assembly text of the LLVM IR module `irText`, compiled for the host (no further IR optimization).
 *
 * @example
 * ```ts
 * const asm = irToAssembly(readFileSync("blur_y_jit1.opt.ll", "utf8"));
 * ```
 */
export function irToAssembly(irText: string): string {
  const { fn } = llvm();
  const tm = createTargetMachine(hostLLVMTarget());
  const mc = newModuleContext();
  try {
    const text = cString(irText);
    const buf = fn.LLVMCreateMemoryBufferWithMemoryRangeCopy(text, text.length - 1, "ir");
    const modOut = outCell(), msgOut = outCell();
    if (fn.LLVMParseIRInContext(mc.ctx, buf, modOut, msgOut)) {
      throw new Error(`the IR does not parse: ${takeMessage(fn, native.handleAt(msgOut[0]))}`);
    }
    const mod = native.handleAt(modOut[0]);
    const errOut = outCell(), memOut = outCell();
    if (fn.LLVMTargetMachineEmitToMemoryBuffer(tm, mod, ASSEMBLY_FILE, errOut, memOut)) {
      throw new Error(`LLVM could not emit assembly: ${takeMessage(fn, native.handleAt(errOut[0]))}`);
    }
    const mem = native.handleAt(memOut[0]);
    const size = Number(fn.LLVMGetBufferSize(mem));
    const bytes = new Uint8Array(native.arrayBufferAt(native.addressOf(fn.LLVMGetBufferStart(mem)), size)).slice();
    fn.LLVMDisposeMemoryBuffer(mem);
    fn.LLVMDisposeModule(mod);
    return new TextDecoder().decode(bytes);
  } finally {
    mc.dispose();
    fn.LLVMDisposeTargetMachine(tm);
  }
}

if (import.meta.main) {
  const file = process.argv[2];
  if (!file) {
    console.error("usage: bench/ir_asm.ts FILE.ll > FILE.s");
    process.exit(2);
  }
  process.stdout.write(irToAssembly(readFileSync(file, "utf8")));
}
