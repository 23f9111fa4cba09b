/**
 * Argument packing for compiled pipelines: `halide_buffer_t` structs built from Buffers, the user context
 * with its error-message buffer, and the `void **argv` array, all in ArrayBuffers that native code can use for
 * the duration of a call.
 *
 * @module
 */
import { native } from "../../ffi/native.ts";
import { HalideError } from "../error.ts";
import type { Type } from "../ir/type.ts";

/** What argument packing needs from a buffer (implemented by `Buffer`). */
export interface RawBuffer {
  readonly name: string;
  readonly type: Type;
  readonly dimensions: number;
  dim(i: number): { readonly min: number; readonly extent: number; readonly stride: number };
  /** The host memory, undefined for a bounds-query buffer. */
  readonly storage: ArrayBuffer | undefined;
  /** Byte offset in `storage` of the element at the buffer's mins. */
  readonly hostByteOffset: number;
  /** For a bounds-query buffer: takes the shape that a bounds query wrote. */
  setQueryShape?(dims: readonly { min: number; extent: number; stride: number }[]): void;
}

/** Layout of `halide_buffer_t` and `halide_dimension_t` on 64-bit targets. */
const L = { host: 16, code: 32, bits: 33, lanes: 34, dimensions: 36, dim: 40, size: 56, dimSize: 16 } as const;

/**
 * A `halide_buffer_t` (with its dimension array) describing `b`. Keep the returned ArrayBuffer and the buffer's
 * storage alive while native code uses it.
 *
 * @example
 * ```ts
 * const hb = packBuffer(buf);
 * argv[1] = native.addressOfBuffer(hb);
 * ```
 */
export function packBuffer(b: RawBuffer): ArrayBuffer {
  const dims = b.dimensions;
  const mem = new ArrayBuffer(L.size + L.dimSize * dims);
  const view = new DataView(mem);
  const self = native.addressOfBuffer(mem);
  const host = b.storage && b.storage.byteLength > 0 ? native.addressOfBuffer(b.storage) + BigInt(b.hostByteOffset) : 0n;
  view.setBigUint64(L.host, host, true);
  view.setUint8(L.code, b.type.code);
  view.setUint8(L.bits, b.type.bits);
  view.setUint16(L.lanes, b.type.lanes, true);
  view.setInt32(L.dimensions, dims, true);
  view.setBigUint64(L.dim, dims ? self + BigInt(L.size) : 0n, true);
  for (let d = 0; d < dims; d++) {
    const { min, extent, stride } = b.dim(d);
    const o = L.size + L.dimSize * d;
    view.setInt32(o, min, true);
    view.setInt32(o + 4, extent, true);
    view.setInt32(o + 8, stride, true);
  }
  return mem;
}

/** The dimensions stored in a packed `halide_buffer_t` (see {@link packBuffer}). */
function unpackShape(mem: ArrayBuffer, dims: number): { min: number; extent: number; stride: number }[] {
  const view = new DataView(mem);
  return Array.from({ length: dims }, (_, d) => {
    const o = L.size + L.dimSize * d;
    return { min: view.getInt32(o, true), extent: view.getInt32(o + 4, true), stride: view.getInt32(o + 8, true) };
  });
}

/**
 * Byte offsets in the user context that JavaScript passes as `argv[0]` (generated code reads it; see `src/codegen/codegen.ts`): the error
 * message buffer and its size, the "an error was reported" flag, and the optional print capture buffer.
 */
export const userContextLayout = {
  errorBuffer: 0,
  errorBufferSize: 8,
  errorReported: 12,
  printBuffer: 16,
  printCapacity: 24,
  printUsed: 32,
  size: 40,
} as const;

const errorBufferSize = 4096;

/**
 * The per-call state handed to native code: the user context (error buffer) and the argv array.
 *
 * @example
 * ```ts
 * const call = new CallFrame(2);
 * call.setBuffer(0, inputBuffer);
 * call.setBuffer(1, outputBuffer);
 * call.run(jp.call, "f");
 * ```
 */
export class CallFrame {
  private readonly argv: BigUint64Array;
  private readonly keepAlive: unknown[] = [];
  /** Bounds-query buffers of this call and their packed structs, whose shapes are read back after it. */
  private readonly queries: [RawBuffer, ArrayBuffer][] = [];
  private readonly errors = new Uint8Array(new ArrayBuffer(errorBufferSize));
  private readonly userContext = new BigUint64Array(new ArrayBuffer(userContextLayout.size));
  private printCapture?: Uint8Array;

  constructor(nArgs: number) {
    this.argv = new BigUint64Array(new ArrayBuffer(8 * (nArgs + 1)));
    this.userContext[0] = native.addressOfBuffer(this.errors);
    this.userContext[1] = BigInt(errorBufferSize);
    this.argv[0] = native.addressOfBuffer(this.userContext);
  }

  /** Binds argument `i` (0-based, not counting the user context) to a buffer. */
  setBuffer(i: number, b: RawBuffer): void {
    const hb = packBuffer(b);
    this.keepAlive.push(hb, b.storage);
    if (!b.storage) this.queries.push([b, hb]);
    this.argv[i + 1] = native.addressOfBuffer(hb);
  }

  /** Binds argument `i` to a scalar: a pointer to the value, the only element of the 0-dimensional `value`. */
  setScalar(i: number, value: RawBuffer): void {
    if (!value.storage) throw new HalideError(`Scalar argument ${value.name} has no value.`);
    this.keepAlive.push(value.storage);
    this.argv[i + 1] = native.addressOfBuffer(value.storage) + BigInt(value.hostByteOffset);
  }

  /**
   * Sends the pipeline's `print` output into a buffer of `capacity` bytes instead of stdout (undefined: stdout);
   * {@link CallFrame.run} then returns the printed lines.
   */
  capturePrints(capacity: number | undefined): void {
    this.printCapture = capacity === undefined ? undefined : new Uint8Array(new ArrayBuffer(capacity));
    const u = userContextLayout;
    this.userContext[u.printBuffer / 8] = this.printCapture ? native.addressOfBuffer(this.printCapture) : 0n;
    this.userContext[u.printCapacity / 8] = BigInt(capacity ?? 0);
  }

  /**
   * Calls `entry` with the packed arguments; a non-zero status becomes a HalideError with the message. The
   * arguments must be bound again before the next call. Returns the printed lines when prints are captured
   * (including those of a call that fails), with a last line saying how many bytes did not fit, if any.
   */
  run(entry: (argv: BigUint64Array) => number, pipelineName: string, onPrint?: (line: string) => void): void {
    this.errors[0] = 0;
    this.userContext[userContextLayout.printUsed / 8] = 0n;
    this.userContext[1] = BigInt(errorBufferSize); // the size, and a cleared "error reported" flag above it
    let status: number;
    const queries = this.queries.splice(0);
    try {
      status = entry(this.argv);
    } finally {
      this.keepAlive.length = 0;
    }
    if (this.printCapture && onPrint) this.deliverPrints(onPrint);
    if (status === 0) for (const [b, hb] of queries) b.setQueryShape?.(unpackShape(hb, b.dimensions));
    if (status !== 0) {
      const end = this.errors.indexOf(0);
      const msg = new TextDecoder().decode(this.errors.subarray(0, end < 0 ? errorBufferSize : end));
      throw new HalideError(msg || `Pipeline ${pipelineName} failed with error code ${status}`);
    }
  }

  private deliverPrints(onPrint: (line: string) => void): void {
    const capture = this.printCapture!;
    const used = Number(this.userContext[userContextLayout.printUsed / 8]);
    const kept = Math.min(used, capture.length);
    // Each line was written as "text\n\0"; a line that did not fit left its reserved bytes zero.
    const text = new TextDecoder().decode(capture.subarray(0, kept)).replaceAll("\0", "");
    const lines = text.split("\n");
    lines.pop();
    for (const line of lines) onPrint(line);
    if (used > capture.length) onPrint(`[halide-ts: ${used - capture.length} more bytes of print output did not fit]`);
    capture.fill(0, 0, kept);
  }
}
