/**
 * The `Deno.dlopen` backend of {@link Native}. Loaded only under Deno.
 *
 * @module
 */
import { HalideError } from "../src/error.ts";
import type { Backend, Handle, RawKind, RawSig, RetKind } from "./native.ts";

/** The part of the Deno namespace this backend uses. */
interface DenoFFI {
  dlopen(
    path: string,
    symbols: Record<string, { parameters: string[]; result: string; optional?: boolean }>,
  ): { symbols: Record<string, ((...args: unknown[]) => unknown) | null> };
  UnsafeFnPointer: new (p: unknown, def: { parameters: string[]; result: string }) => {
    call(...args: unknown[]): unknown;
  };
  UnsafePointer: {
    create(addr: bigint): unknown;
    value(p: unknown): bigint | number;
    of(v: ArrayBuffer | ArrayBufferView): unknown;
  };
  UnsafePointerView: {
    getCString(p: unknown): string;
    getArrayBuffer(p: unknown, length: number): ArrayBuffer;
  };
}

const argKinds: Record<RawKind, string> = {
  ptr: "pointer", buf: "buffer", i8: "i8", u8: "u8", i32: "i32", u32: "u32", i64: "i64", u64: "u64", f32: "f32",
  f64: "f64",
};
const retKinds: Record<RetKind, string> = {
  void: "void", ptr: "pointer", i8: "i8", u8: "u8", i32: "i32", u32: "u32", i64: "i64", u64: "u64", f64: "f64",
};

function toDeno(sig: RawSig): { parameters: string[]; result: string } {
  return { parameters: sig.args.map((k) => argKinds[k]), result: retKinds[sig.returns] };
}

/**
 * Creates the Deno backend.
 *
 * @example
 * ```ts
 * const backend = denoBackend();
 * ```
 */
export function denoBackend(): Backend {
  const D = (globalThis as unknown as { Deno: DenoFFI }).Deno;
  return {
    runtime: "deno",
    open(path, symbols) {
      const defs: Record<string, { parameters: string[]; result: string; optional?: boolean }> = {};
      for (const [name, sig] of Object.entries(symbols)) defs[name] = { ...toDeno(sig), optional: sig.optional };
      let lib;
      try {
        lib = D.dlopen(path, defs);
      } catch (e) {
        throw new HalideError(`Cannot load ${path}: ${(e as Error).message}`);
      }
      const out: Record<string, (...args: unknown[]) => unknown> = {};
      for (const [name, f] of Object.entries(lib.symbols)) if (f) out[name] = f;
      return out;
    },
    fnAt(addr, sig) {
      const fp = new D.UnsafeFnPointer(D.UnsafePointer.create(addr), toDeno(sig));
      return (...args: unknown[]) => fp.call(...args);
    },
    addressOf(h) {
      return BigInt(D.UnsafePointer.value(h));
    },
    handleAt(addr) {
      return D.UnsafePointer.create(addr) as Handle;
    },
    addressOfBuffer(v) {
      return BigInt(D.UnsafePointer.value(D.UnsafePointer.of(v)));
    },
    readCString(h) {
      return D.UnsafePointerView.getCString(h);
    },
    arrayBufferAt(addr, length) {
      return D.UnsafePointerView.getArrayBuffer(D.UnsafePointer.create(addr), length);
    },
  };
}
