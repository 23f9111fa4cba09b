/**
 * The `bun:ffi` backend of {@link Native}. Loaded only under Bun.
 *
 * @module
 */
import { HalideError } from "../src/error.ts";
import type { Backend, Handle, RawKind, RawSig, RetKind } from "./native.ts";

/** The part of `bun:ffi` this backend uses (the module is imported by a computed name so Deno never resolves it). */
interface BunFFI {
  dlopen(path: string, symbols: Record<string, { args: string[]; returns: string }>): {
    symbols: Record<string, (...args: unknown[]) => unknown>;
  };
  CFunction(def: { ptr: number; args: string[]; returns: string }): (...args: unknown[]) => unknown;
  ptr(v: ArrayBuffer | ArrayBufferView): number;
  toArrayBuffer(ptr: number, byteOffset: number, byteLength: number): ArrayBuffer;
  CString: new (ptr: number) => { toString(): string };
}

const argKinds: Record<RawKind, string> = {
  ptr: "ptr", buf: "ptr", i8: "i8", u8: "u8", i32: "i32", u32: "u32", i64: "i64", u64: "u64", f32: "f32", f64: "f64",
};
const retKinds: Record<RetKind, string> = {
  void: "void", ptr: "ptr", i8: "i8", u8: "u8", i32: "i32", u32: "u32", i64: "i64", u64: "u64", f64: "f64",
};

function toBun(sig: RawSig): { args: string[]; returns: string } {
  return { args: sig.args.map((k) => argKinds[k]), returns: retKinds[sig.returns] };
}

/**
 * Creates the Bun backend. `bun:ffi` is loaded synchronously (`import.meta.require`), so that importing halide-ts
 * needs no top-level await: a Worker that imports it receives the messages posted to it right away.
 *
 * @example
 * ```ts
 * const backend = bunBackend();
 * ```
 */
export function bunBackend(): Backend {
  const ffi = (import.meta as unknown as { require(spec: string): unknown }).require("bun:ffi") as BunFFI;
  return {
    runtime: "bun",
    open(path, symbols) {
      const required: Record<string, { args: string[]; returns: string }> = {};
      const optional: [string, RawSig][] = [];
      for (const [name, sig] of Object.entries(symbols)) {
        if (sig.optional) optional.push([name, sig]);
        else required[name] = toBun(sig);
      }
      let lib;
      try {
        lib = ffi.dlopen(path, required);
      } catch (e) {
        throw new HalideError(`Cannot load ${path}: ${(e as Error).message}`);
      }
      const out: Record<string, (...args: unknown[]) => unknown> = { ...lib.symbols };
      for (const [name, sig] of optional) {
        try {
          out[name] = ffi.dlopen(path, { [name]: toBun(sig) }).symbols[name];
        } catch {
          // Missing optional symbol: left undefined.
        }
      }
      return out;
    },
    fnAt(addr, sig) {
      return ffi.CFunction({ ptr: Number(addr), ...toBun(sig) });
    },
    addressOf(h) {
      return BigInt(h as unknown as number);
    },
    handleAt(addr) {
      return Number(addr) as unknown as Handle;
    },
    addressOfBuffer(v) {
      return BigInt(ffi.ptr(v));
    },
    readCString(h) {
      return new ffi.CString(h as unknown as number).toString();
    },
    arrayBufferAt(addr, length) {
      return ffi.toArrayBuffer(Number(addr), 0, length);
    },
  };
}
