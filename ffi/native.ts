/**
 * The runtime-neutral FFI: one small interface over `bun:ffi` and `Deno.dlopen`. Everything else in halide-ts
 * calls native code through this module; the runtime is detected here and nowhere else.
 *
 * Signatures use a tiny type language ({@link ArgKind}, {@link RetKind}). Besides the raw kinds, `str`
 * (a JavaScript string passed as a NUL-terminated UTF-8 buffer) and `ptrs` (an array of handles passed as a
 * C array) are converted here, so the backends only deal with raw values.
 *
 * @module
 */
import { HalideError } from "../src/error.ts";
import { bunBackend } from "./bun.ts";
import { denoBackend } from "./deno.ts";

declare const handleBrand: unique symbol;
/**
 * An opaque native pointer (a number under Bun, a pointer object under Deno); `null` is NULL. Never inspect
 * one; convert with {@link Native.addressOf} / {@link Native.handleAt} when an integer address is needed.
 */
export type Handle = { readonly [handleBrand]: never } | null;

/** Argument kinds: raw C types, plus `str` and `ptrs` which are converted before the call. */
export type ArgKind = "ptr" | "buf" | "str" | "ptrs" | "i8" | "u8" | "i32" | "u32" | "i64" | "u64" | "f32" | "f64";
/** Return kinds. `u64`/`i64` come back as bigint on both runtimes. */
export type RetKind = "void" | "ptr" | "i8" | "u8" | "i32" | "u32" | "i64" | "u64" | "f64";
/** A C function signature. `optional` symbols may be missing from the library (they load as `undefined`). */
export interface Sig {
  readonly args: readonly ArgKind[];
  readonly returns: RetKind;
  readonly optional?: boolean;
}

type ArgValue<K> = K extends "ptr" ? Handle
  : K extends "buf" ? ArrayBufferView | ArrayBuffer | null
  : K extends "str" ? string
  : K extends "ptrs" ? readonly Handle[]
  : K extends "i64" | "u64" ? number | bigint
  : number;
type RetValue<K> = K extends "ptr" ? Handle : K extends "i64" | "u64" ? bigint : K extends "void" ? void : number;
type Args<A extends readonly ArgKind[]> = { -readonly [I in keyof A]: ArgValue<A[I]> };
/** The JavaScript function type of a signature. */
export type FnOf<S extends Sig> = (...args: Args<S["args"]>) => RetValue<S["returns"]>;
/** The loaded functions of a symbol table; optional ones may be undefined. */
export type Symbols<T extends Record<string, Sig>> = {
  [K in keyof T]: T[K]["optional"] extends true ? FnOf<T[K]> | undefined : FnOf<T[K]>;
};

/** A raw kind as the backends see it (`str` and `ptrs` are already converted to `buf`). */
export type RawKind = Exclude<ArgKind, "str" | "ptrs">;
/** A signature after conversion. */
export interface RawSig {
  readonly args: readonly RawKind[];
  readonly returns: RetKind;
}
// deno-lint-ignore no-explicit-any
type RawFn = (...args: any[]) => unknown;

/** What each runtime backend provides. */
export interface Backend {
  readonly runtime: "bun" | "deno";
  /** Opens `path` and binds the symbols; a missing optional symbol is absent from the result. */
  open(path: string, symbols: Record<string, RawSig & { optional?: boolean }>): Record<string, RawFn>;
  /** A callable for the C function at `addr`. */
  fnAt(addr: bigint, sig: RawSig): RawFn;
  addressOf(h: Handle): bigint;
  handleAt(addr: bigint): Handle;
  /** Address of the first byte of an ArrayBuffer-backed (never inline) buffer or view. */
  addressOfBuffer(v: ArrayBuffer | ArrayBufferView): bigint;
  /** Copies the NUL-terminated UTF-8 string at `h`. */
  readCString(h: Handle): string;
  /** A non-owning view of `length` bytes of native memory at `addr`. */
  arrayBufferAt(addr: bigint, length: number): ArrayBuffer;
}

const encoder = new TextEncoder();

/**
 * A NUL-terminated UTF-8 copy of `s` in its own ArrayBuffer.
 *
 * @example
 * ```ts
 * cString("abc").length; // 4
 * ```
 */
export function cString(s: string): Uint8Array {
  const bytes = encoder.encode(s);
  const out = new Uint8Array(new ArrayBuffer(bytes.length + 1));
  out.set(bytes);
  return out;
}

/**
 * The FFI of the running runtime.
 *
 * @example
 * ```ts
 * const libc = native.open("libc.so.6", { getpid: { args: [], returns: "i32" } });
 * console.log(libc.getpid());
 * ```
 */
export class Native {
  constructor(private readonly backend: Backend) {}

  /** `"bun"` or `"deno"`. */
  get runtime(): "bun" | "deno" {
    return this.backend.runtime;
  }

  /** Opens a shared library and binds a typed symbol table. Throws a HalideError if it cannot be opened. */
  open<T extends Record<string, Sig>>(path: string, symbols: T): Symbols<T> {
    const raw: Record<string, RawSig & { optional?: boolean }> = {};
    for (const [name, sig] of Object.entries(symbols)) raw[name] = { ...sig, args: sig.args.map(rawKind) };
    const fns = this.backend.open(path, raw);
    const out: Record<string, RawFn | undefined> = {};
    for (const [name, sig] of Object.entries(symbols)) {
      const f = fns[name];
      out[name] = f && this.wrap(f, sig);
    }
    return out as Symbols<T>;
  }

  /** A callable for native code at `addr` (JIT-compiled functions). @example `native.fnAt(addr, {args: ["buf"], returns: "i32"})` */
  fnAt<S extends Sig>(addr: bigint, sig: S): FnOf<S> {
    return this.wrap(this.backend.fnAt(addr, { args: sig.args.map(rawKind), returns: sig.returns }), sig) as FnOf<S>;
  }

  /** @example `native.addressOf(h)` */
  addressOf(h: Handle): bigint {
    return h === null ? 0n : this.backend.addressOf(h);
  }
  /** @example `native.handleAt(0n) === null` */
  handleAt(addr: bigint): Handle {
    return addr === 0n ? null : this.backend.handleAt(addr);
  }
  /** Address of an ArrayBuffer's (or view's) first byte. @example `native.addressOfBuffer(new ArrayBuffer(64))` */
  addressOfBuffer(v: ArrayBuffer | ArrayBufferView): bigint {
    return this.backend.addressOfBuffer(v);
  }
  /** Reads a C string. @example `native.readCString(h)` */
  readCString(h: Handle): string {
    if (h === null) throw new HalideError("Internal error: reading a string from a null pointer");
    return this.backend.readCString(h);
  }
  /** A non-owning view of native memory. @example `new Uint8Array(native.arrayBufferAt(addr, 16))` */
  arrayBufferAt(addr: bigint, length: number): ArrayBuffer {
    return this.backend.arrayBufferAt(addr, length);
  }

  private wrap(f: RawFn, sig: Sig): RawFn {
    const needsConversion = sig.args.some((k) => k === "str" || k === "ptrs");
    if (!needsConversion) return f;
    const kinds = sig.args;
    return (...args: unknown[]) => {
      const converted = args.map((a, i) => {
        if (kinds[i] === "str") return cString(a as string);
        if (kinds[i] === "ptrs") return this.handleArray(a as readonly Handle[]);
        return a;
      });
      return f(...converted);
    };
  }

  private handleArray(hs: readonly Handle[]): BigUint64Array {
    const arr = new BigUint64Array(new ArrayBuffer(Math.max(1, hs.length) * 8));
    for (let i = 0; i < hs.length; i++) arr[i] = this.addressOf(hs[i]);
    return arr;
  }
}

function rawKind(k: ArgKind): RawKind {
  return k === "str" || k === "ptrs" ? "buf" : k;
}

// deno-lint-ignore no-explicit-any
const g = globalThis as any;

function loadBackend(): Backend {
  if (typeof g.Bun !== "undefined") return bunBackend();
  if (typeof g.Deno?.dlopen === "function") return denoBackend();
  throw new HalideError("halide-ts needs Bun or Deno (their FFI is how it reaches libLLVM); this runtime has neither.");
}

/** The process-wide FFI instance (loaded without top-level await, so that Workers get their first messages). */
export const native: Native = new Native(loadBackend());
