/**
 * `hl.Buffer`: typed host memory in the `halide_buffer_t` layout — per dimension a min, an extent and a stride
 * in elements, dim 0 being Halide's x — plus the zero-copy conversions to and from `ndarray`-style arrays with
 * the axis convention of Halide PR #8953 (API.md §4).
 *
 * A Buffer's memory is an `ArrayBuffer` ({@link Buffer.storage}) and the byte offset of its *host* element, the
 * element whose coordinates are the mins ({@link Buffer.hostByteOffset}), exactly as `halide_buffer_t.host`
 * points at it. Views (crop, slice, transpose…) share the `ArrayBuffer` and change only the dims and the offset.
 *
 * @example
 * ```ts
 * import * as hl from "halide-ts";
 * const b = new hl.Buffer(hl.Int(32), [128, 256]);
 * b.set([3, 4], 7);
 * b.cropped(0, 2, 4).get([3, 4]); // 7
 * String(b); // "<halide.Buffer of type int32 shape:[[0,128,1],[0,256,128]]>"
 * ```
 *
 * @module
 */
import { HalideError } from "../error.ts";
import { Float, roundToFloatBits, Type, TypeCode } from "../ir/type.ts";

// ---------------------------------------------------------------------------------------------------------------
// Public types

/**
 * A value read from or written to a Buffer: `number`, `bigint` for 64-bit integers, `boolean` for Bool.
 *
 * @example
 * ```ts
 * const v: ElementValue = new hl.Buffer(hl.Int(64), [1]).get([0]); // 0n
 * ```
 */
export type ElementValue = number | bigint | boolean;

/**
 * Any JavaScript typed array that can back a Buffer (a DataView cannot).
 *
 * @example
 * ```ts
 * const a: TypedArray = new Float32Array(12);
 * hl.Buffer.from(a).type.toString(); // "float32"
 * ```
 */
export type TypedArray =
  | Int8Array
  | Uint8Array
  | Uint8ClampedArray
  | Int16Array
  | Uint16Array
  | Int32Array
  | Uint32Array
  | Float16Array
  | Float32Array
  | Float64Array
  | BigInt64Array
  | BigUint64Array;

/**
 * A strided n-dimensional view of a typed array, laid out as the npm `ndarray` package lays it out: element
 * `[i0, …, iN]` is `data[offset + i0·stride[0] + … + iN·stride[N]]`. Strides and offset are in elements; a missing
 * `stride` means C order (last axis densest), a missing `offset` means 0. Objects made by `ndarray()` qualify.
 *
 * @example
 * ```ts
 * const a: NdArrayLike = { data: new Int32Array(6), shape: [2, 3] }; // 2 rows of 3, C order
 * hl.Buffer.from(a).dim(0).extent; // 3 (axes are reversed by default)
 * ```
 */
export interface NdArrayLike {
  readonly data: TypedArray;
  readonly shape: readonly number[];
  readonly stride?: readonly number[];
  readonly offset?: number;
}

/**
 * What {@link Buffer.asNdArray} returns: an {@link NdArrayLike} with every field present. `data` is a typed array
 * over the Buffer's own storage covering exactly the elements the Buffer spans.
 *
 * @example
 * ```ts
 * const { data, shape, stride, offset } = new hl.Buffer(hl.UInt(8), [4, 2]).asNdArray();
 * // shape [2, 4], stride [4, 1]; element [r, c] is data[offset + r * 4 + c]
 * ```
 */
export interface NdArray extends NdArrayLike {
  data: TypedArray;
  shape: number[];
  stride: number[];
  offset: number;
}

/**
 * One dimension of a Buffer, as `halide_dimension_t` plus the convenience `max = min + extent - 1`.
 * The stride is in elements and may be negative or zero.
 *
 * @example
 * ```ts
 * new hl.Buffer(hl.Int(32), [128, 256]).dim(1); // { min: 0, extent: 256, stride: 128, max: 255 }
 * ```
 */
export interface BufferDimension {
  readonly min: number;
  readonly extent: number;
  readonly stride: number;
  readonly max: number;
}

/**
 * Options of `new hl.Buffer(type, sizes, options)`.
 *
 * @example
 * ```ts
 * // Interleaved RGB: dim 2 (channels) densest, then dim 0, then dim 1.
 * new hl.Buffer(hl.UInt(8), [640, 480, 3], { storageOrder: [2, 0, 1], name: "rgb" });
 * ```
 */
export interface BufferOptions {
  /** Which dimension is stored densest first, then the next… (a permutation of `0..n-1`). Default `[0, 1, …]`. */
  readonly storageOrder?: readonly number[];
  /** The Buffer's name; a unique `b<N>` when omitted or empty. */
  readonly name?: string;
}

/**
 * Options of {@link Buffer.from}.
 *
 * @example
 * ```ts
 * hl.Buffer.from({ data: new Float32Array(6), shape: [2, 3] }, { reverseAxes: false, name: "m" });
 * ```
 */
export interface FromOptions {
  /** Reverse the axes (array axis `i` becomes Halide dimension `n-1-i`). Default `true` (axis rule 1). */
  readonly reverseAxes?: boolean;
  /** The Buffer's name; a unique `b<N>` when omitted or empty. */
  readonly name?: string;
}

/**
 * Options of {@link Buffer.asNdArray}.
 *
 * @example
 * ```ts
 * buf.asNdArray({ reverseAxes: false }); // shape in Halide order
 * ```
 */
export interface AsNdArrayOptions {
  /** Reverse the axes (Halide dimension `i` becomes array axis `n-1-i`). Default `true` (axis rule 2). */
  readonly reverseAxes?: boolean;
}

// ---------------------------------------------------------------------------------------------------------------
// float16 conversion (used when DataView has no getFloat16/setFloat16)

/**
 * The IEEE binary16 bit pattern of the float16 nearest to `v` (round to nearest, ties to even; overflow gives
 * ±Infinity; NaN gives the quiet NaN 0x7e00). Internal; exported for tests.
 *
 * @example
 * ```ts
 * float16Bits(1.5); // 0x3e00
 * ```
 */
export function float16Bits(v: number): number {
  if (Number.isNaN(v)) return 0x7e00;
  const sign = v < 0 || Object.is(v, -0) ? 0x8000 : 0;
  const a = Math.abs(roundToFloatBits(v, Float(16)));
  if (a === Infinity) return sign | 0x7c00;
  if (a < 2 ** -14) return sign | (a * 2 ** 24); // subnormal (or zero): an exact multiple of 2^-24
  let e = Math.floor(Math.log2(a));
  if (2 ** e > a) e--;
  else if (2 ** (e + 1) <= a) e++;
  return sign | ((e + 15) << 10) | (a / 2 ** e * 1024 - 1024);
}

/**
 * The number whose IEEE binary16 bit pattern is `bits` (the low 16 bits are used). Internal; exported for tests.
 *
 * @example
 * ```ts
 * float16FromBits(0x3e00); // 1.5
 * ```
 */
export function float16FromBits(bits: number): number {
  const sign = bits & 0x8000 ? -1 : 1;
  const exp = (bits >> 10) & 0x1f, mant = bits & 0x3ff;
  if (exp === 0x1f) return mant ? NaN : sign * Infinity;
  return exp === 0 ? sign * mant * 2 ** -24 : sign * (1024 + mant) * 2 ** (exp - 25);
}

// ---------------------------------------------------------------------------------------------------------------
// Element kinds: one table row per supported element type

/** The platform's byte order, which is also native code's (typed arrays use it too). */
const LE = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1;

type TypedArrayCtor = new (buffer: ArrayBuffer, byteOffset: number, length: number) => TypedArray;

interface Kind {
  readonly bytes: 1 | 2 | 4 | 8;
  /** The typed array of asNdArray (undefined: float16 on a runtime without Float16Array). */
  readonly array: TypedArrayCtor | undefined;
  read(dv: DataView, at: number): ElementValue;
  write(dv: DataView, at: number, v: number | bigint): void;
  /** The value as `write` takes it, or undefined if this type cannot hold it. */
  convert(v: ElementValue): number | bigint | undefined;
}

type F16View = {
  getFloat16?(at: number, le?: boolean): number;
  setFloat16?(at: number, v: number, le?: boolean): void;
};
const nativeF16 = typeof (DataView.prototype as F16View).getFloat16 === "function" &&
  typeof (DataView.prototype as F16View).setFloat16 === "function";
const Float16ArrayCtor = (globalThis as { Float16Array?: TypedArrayCtor }).Float16Array;

function toNumber(v: ElementValue): number {
  return typeof v === "boolean" ? +v : typeof v === "bigint" ? Number(v) : v;
}

function intConvert(lo: number, hi: number): (v: ElementValue) => number | undefined {
  return (v) => {
    if (typeof v === "bigint") return v >= BigInt(lo) && v <= BigInt(hi) ? Number(v) : undefined;
    const n = toNumber(v);
    return Number.isInteger(n) && n >= lo && n <= hi ? n : undefined;
  };
}

function int64Convert(lo: bigint, hi: bigint): (v: ElementValue) => bigint | undefined {
  return (v) => {
    if (typeof v === "number" && !Number.isInteger(v)) return undefined;
    const b = typeof v === "bigint" ? v : BigInt(toNumber(v));
    return b >= lo && b <= hi ? b : undefined;
  };
}

const floatConvert = (v: ElementValue): number => toNumber(v);

type Getter = (this: DataView, at: number, littleEndian?: boolean) => number | bigint;
type Setter = (this: DataView, at: number, v: number | bigint, littleEndian?: boolean) => void;

/**
 * A row read and written by `DataView.prototype.get<name>/set<name>` (`convert` yields a bigint exactly for the
 * `Big*64` accessors).
 */
function dataViewKind(
  bytes: Kind["bytes"],
  array: TypedArrayCtor | undefined,
  name: string,
  convert: Kind["convert"],
): Kind {
  const proto = DataView.prototype as unknown as Record<string, Getter & Setter>;
  const get: Getter = proto[`get${name}`], set: Setter = proto[`set${name}`];
  return {
    bytes,
    array,
    read: (dv, at) => get.call(dv, at, LE),
    write: (dv, at, v) => set.call(dv, at, v, LE),
    convert,
  };
}

/** float16 through DataView.getFloat16/setFloat16 when the runtime has them, else through the bit conversions. */
const float16Kind: Kind = nativeF16 ? dataViewKind(2, Float16ArrayCtor, "Float16", floatConvert) : {
  bytes: 2,
  array: Float16ArrayCtor,
  read: (dv, at) => float16FromBits(dv.getUint16(at, LE)),
  write: (dv, at, v) => dv.setUint16(at, float16Bits(v as number), LE),
  convert: floatConvert,
};

/** Bool: one byte, read as a boolean, written from a boolean or 0/1. */
const boolKind: Kind = {
  ...dataViewKind(
    1,
    Uint8Array,
    "Uint8",
    (v) => (v === true || v === 1 || v === 1n ? 1 : v === false || v === 0 || v === 0n ? 0 : undefined),
  ),
  read: (dv, at) => dv.getUint8(at) !== 0,
};

/** The supported element types, keyed by `code:bits`. */
const KINDS: ReadonlyMap<string, Kind> = new Map<string, Kind>([
  [`${TypeCode.UInt}:1`, boolKind],
  [`${TypeCode.UInt}:8`, dataViewKind(1, Uint8Array, "Uint8", intConvert(0, 2 ** 8 - 1))],
  [`${TypeCode.UInt}:16`, dataViewKind(2, Uint16Array, "Uint16", intConvert(0, 2 ** 16 - 1))],
  [`${TypeCode.UInt}:32`, dataViewKind(4, Uint32Array, "Uint32", intConvert(0, 2 ** 32 - 1))],
  [`${TypeCode.UInt}:64`, dataViewKind(8, BigUint64Array, "BigUint64", int64Convert(0n, 2n ** 64n - 1n))],
  [`${TypeCode.Int}:8`, dataViewKind(1, Int8Array, "Int8", intConvert(-(2 ** 7), 2 ** 7 - 1))],
  [`${TypeCode.Int}:16`, dataViewKind(2, Int16Array, "Int16", intConvert(-(2 ** 15), 2 ** 15 - 1))],
  [`${TypeCode.Int}:32`, dataViewKind(4, Int32Array, "Int32", intConvert(-(2 ** 31), 2 ** 31 - 1))],
  [`${TypeCode.Int}:64`, dataViewKind(8, BigInt64Array, "BigInt64", int64Convert(-(2n ** 63n), 2n ** 63n - 1n))],
  [`${TypeCode.Float}:16`, float16Kind],
  [`${TypeCode.Float}:32`, dataViewKind(4, Float32Array, "Float32", floatConvert)],
  [`${TypeCode.Float}:64`, dataViewKind(8, Float64Array, "Float64", floatConvert)],
]);

function kindOf(type: unknown, who: string): Kind {
  if (!(type instanceof Type)) throw new HalideError(`${who}: expected an hl.Type, got ${describe(type)}`);
  if (type.isBFloat()) {
    throw new HalideError(`${who}: Buffers of type ${type} are not supported (as in Halide's Python bindings, #6849)`);
  }
  const kind = type.lanes === 1 ? KINDS.get(`${type.code}:${type.bits}`) : undefined;
  if (!kind) throw new HalideError(`${who}: unsupported Buffer element type ${type}`);
  return kind;
}

/** Typed-array constructors and the element type each one holds (Uint8ClampedArray holds uint8). */
const ARRAY_TYPES: readonly (readonly [TypedArrayCtor | undefined, Type])[] = [
  [Int8Array, new Type(TypeCode.Int, 8)],
  [Uint8Array, new Type(TypeCode.UInt, 8)],
  [Uint8ClampedArray, new Type(TypeCode.UInt, 8)],
  [Int16Array, new Type(TypeCode.Int, 16)],
  [Uint16Array, new Type(TypeCode.UInt, 16)],
  [Int32Array, new Type(TypeCode.Int, 32)],
  [Uint32Array, new Type(TypeCode.UInt, 32)],
  [BigInt64Array, new Type(TypeCode.Int, 64)],
  [BigUint64Array, new Type(TypeCode.UInt, 64)],
  [Float16ArrayCtor, new Type(TypeCode.Float, 16)],
  [Float32Array, new Type(TypeCode.Float, 32)],
  [Float64Array, new Type(TypeCode.Float, 64)],
];

// ---------------------------------------------------------------------------------------------------------------
// Helpers

const INT32_MIN = -(2 ** 31);
const INT32_MAX = 2 ** 31 - 1;

function isInt32(v: unknown): v is number {
  return typeof v === "number" && Number.isInteger(v) && v >= INT32_MIN && v <= INT32_MAX;
}

function describe(v: unknown): string {
  if (v === null || v === undefined) return String(v);
  if (typeof v === "bigint") return `${v}n`;
  if (typeof v === "string") return JSON.stringify(v);
  if (typeof v !== "object") return String(v);
  if (Array.isArray(v)) return `[${v.map(describe).join(", ")}]`;
  return (v as object).constructor?.name ?? "an object";
}

let nextBufferId = 0;
/** Halide's `unique_name('b')`: b0, b1, … */
function uniqueName(): string {
  return `b${nextBufferId++}`;
}

interface Dim {
  min: number;
  extent: number;
  stride: number;
}

function denseStrides(extents: readonly number[], who: string): number[] {
  let stride = 1;
  return extents.map((e, i) => {
    if (!isInt32(stride)) {
      throw new HalideError(`${who}: the stride of dimension ${i} (${stride}) does not fit in int32`);
    }
    const s = stride;
    stride *= e;
    return s;
  });
}

function numberOfElements(dims: readonly Dim[]): number {
  return dims.reduce((n, d) => n * d.extent, 1);
}

/** Offsets (in elements, relative to the host element) of the lowest element and one past the highest one. */
function span(dims: readonly Dim[]): { begin: number; end: number } {
  let begin = 0, end = 1;
  for (const d of dims) {
    const far = (d.extent - 1) * d.stride;
    if (far < 0) begin += far;
    else end += far;
  }
  return { begin, end };
}

/** True if the elements exactly tile `span(dims)` (any order, any signs of the strides). */
function isDense(dims: readonly Dim[]): boolean {
  const ds = dims.filter((d) => d.extent !== 1).sort((a, b) => Math.abs(a.stride) - Math.abs(b.stride));
  let expect = 1;
  for (const d of ds) {
    if (Math.abs(d.stride) !== expect) return false;
    expect *= d.extent;
  }
  return true;
}

/**
 * Visits every element of `extents` with dim 0 innermost: `visit(a, b, pos)` gets byte offsets in two layouts
 * (strides `sa`/`sb` in bytes from bases `a0`/`b0`) and the position relative to the mins (pos[0] is live).
 */
function walk(
  extents: readonly number[],
  sa: readonly number[],
  a0: number,
  sb: readonly number[],
  b0: number,
  visit: (a: number, b: number, pos: number[]) => void,
): void {
  const n = extents.length;
  if (extents.some((e) => e <= 0)) return;
  if (n === 0) return visit(a0, b0, []);
  const pos = new Array<number>(n).fill(0);
  const e0 = extents[0], da = sa[0], db = sb[0];
  let baseA = a0, baseB = b0;
  for (;;) {
    for (let i = 0, a = baseA, b = baseB; i < e0; i++, a += da, b += db) {
      pos[0] = i;
      visit(a, b, pos);
    }
    let k = 1;
    for (; k < n; k++) {
      baseA += sa[k];
      baseB += sb[k];
      if (++pos[k] < extents[k]) break;
      baseA -= sa[k] * extents[k];
      baseB -= sb[k] * extents[k];
      pos[k] = 0;
    }
    if (k === n) return;
  }
}

/** Raw element copiers by element size (bit-exact: never through a float, which could canonicalize NaNs). */
const RAW_COPY: Record<1 | 2 | 4 | 8, (dst: DataView, a: number, src: DataView, b: number) => void> = {
  1: (d, a, s, b) => d.setUint8(a, s.getUint8(b)),
  2: (d, a, s, b) => d.setUint16(a, s.getUint16(b)),
  4: (d, a, s, b) => d.setUint32(a, s.getUint32(b)),
  8: (d, a, s, b) => {
    d.setUint32(a, s.getUint32(b));
    d.setUint32(a + 4, s.getUint32(b + 4));
  },
};

/** Everything a Buffer is made of, already validated: what the private factory `Buffer.#make` takes. */
class BufferParts {
  constructor(
    readonly type: Type,
    readonly kind: Kind,
    readonly dims: Dim[],
    readonly storage: ArrayBuffer | undefined,
    readonly view: DataView | undefined,
    readonly host: number,
    readonly name: string | undefined,
  ) {}
}

/** Set by `Buffer.#make` for the duration of one `new Buffer()`, which then adopts these parts. */
let pendingParts: BufferParts | undefined;

function allocate(bytes: number, who: string): ArrayBuffer {
  if (!Number.isSafeInteger(bytes)) {
    throw new HalideError(`${who}: the buffer's size (about ${bytes.toPrecision(3)} bytes) is too large to allocate`);
  }
  try {
    return new ArrayBuffer(bytes);
  } catch (e) {
    throw new HalideError(`${who}: could not allocate ${bytes} bytes (${e instanceof Error ? e.message : e})`);
  }
}

function checkSizes(sizes: unknown, who: string): number[] {
  if (!Array.isArray(sizes)) throw new HalideError(`${who}: sizes must be an array of extents, got ${describe(sizes)}`);
  sizes.forEach((s, i) => {
    if (!isInt32(s) || s < 0) {
      throw new HalideError(`${who}: size ${i} must be an integer in [0, 2^31-1], got ${describe(s)}`);
    }
  });
  return [...sizes];
}

function checkPermutation(order: unknown, n: number, what: string): number[] {
  const ok = Array.isArray(order) && order.length === n && order.every((v) => isInt32(v) && v >= 0 && v < n) &&
    new Set(order).size === n;
  if (!ok) throw new HalideError(`${what} must be a permutation of 0..${n - 1}, got ${describe(order)}`);
  return [...order];
}

/** Moves old dimension `j` to position `order[j]` (Halide's `transpose(order)`). */
function permute<T>(items: readonly T[], order: readonly number[]): T[] {
  const out = new Array<T>(items.length);
  items.forEach((item, j) => (out[order[j]] = item));
  return out;
}

// ---------------------------------------------------------------------------------------------------------------
// Buffer

/**
 * Typed host memory in Halide's `halide_buffer_t` layout, or a view of another Buffer's memory. Also an image
 * source in the IR (`{ name, type, dimensions }`).
 *
 * @example
 * ```ts
 * import * as hl from "halide-ts";
 * const b = new hl.Buffer(hl.UInt(8), [4, 3], "img");
 * b.fill(1);
 * b.set([2, 1], 9);
 * b.get([2, 1]);                  // 9
 * b.dim(1);                       // { min: 0, extent: 3, stride: 4, max: 2 }
 * const a = b.asNdArray();        // zero-copy; shape [3, 4] (axes reversed)
 * a.data[a.offset + 1 * a.stride[0] + 2 * a.stride[1]]; // 9
 * ```
 */
export class Buffer {
  #type: Type | undefined;
  #kind: Kind | undefined;
  #name = "";
  #dims: Dim[] = [];
  #storage: ArrayBuffer | undefined;
  #view: DataView | undefined;
  #host = 0;

  /**
   * - `new Buffer()` — an undefined Buffer (`defined()` is false).
   * - `new Buffer(other, name?)` — a shallow view of `other` sharing its memory: same dims, mins, strides and
   *   axis order (never reversed); works for bounds-query buffers. Unlike Halide's C++ handle copy, the view has
   *   its own dims (cropping one does not crop the other) and so its own name (a fresh `b<N>` unless given).
   * - `new Buffer(type, sizes, name?)` / `new Buffer(type, sizes, { storageOrder, name })` — a new zeroed
   *   Buffer, dim 0 densest unless `storageOrder` says otherwise. Python's positional form
   *   `new Buffer(type, sizes, storageOrder, name?)` is accepted too.
   *
   * @example
   * ```ts
   * const a = new hl.Buffer(hl.Float(32), [640, 480], "a");
   * const rgb = new hl.Buffer(hl.UInt(8), [640, 480, 3], { storageOrder: [2, 0, 1] }); // interleaved
   * const v = new hl.Buffer(a.cropped(0, 10, 20)); // v.dim(0).min === 10
   * ```
   */
  constructor();
  constructor(other: Buffer, name?: string);
  constructor(type: Type, sizes: readonly number[], nameOrOptions?: string | BufferOptions);
  constructor(type: Type, sizes: readonly number[], storageOrder: readonly number[], name?: string);
  constructor(
    a?: Type | Buffer,
    b?: readonly number[] | string,
    c?: string | BufferOptions | readonly number[],
    d?: string,
  ) {
    if (pendingParts !== undefined) {
      const p = pendingParts;
      pendingParts = undefined;
      this.#init(p.type, p.kind, p.dims, p.storage, p.view, p.host, p.name);
      return;
    }
    if (a === undefined) return;
    if (a instanceof Buffer) {
      if (b !== undefined && typeof b !== "string") {
        throw new HalideError(`new hl.Buffer(other, name): name must be a string, got ${describe(b)}`);
      }
      if (a.#type === undefined) return; // a copy of an undefined Buffer is undefined
      this.#init(a.#type, a.#kind!, a.#dims.map((d) => ({ ...d })), a.#storage, a.#view, a.#host, b);
    } else if (a instanceof Type) {
      const who = "new hl.Buffer";
      const kind = kindOf(a, who);
      const sizes = checkSizes(b, who);
      const opts: BufferOptions = typeof c === "string"
        ? { name: c }
        : Array.isArray(c)
        ? { storageOrder: c, name: d }
        : (c as BufferOptions | undefined) ?? {};
      if (typeof opts !== "object") throw new HalideError(`${who}: expected a name or options, got ${describe(c)}`);
      const order = opts.storageOrder === undefined
        ? sizes.map((_, i) => i)
        : checkPermutation(opts.storageOrder, sizes.length, `${who}: storageOrder`);
      // Allocate densely in storage order, then move dimension j to position order[j] (as Halide does).
      const ordered = order.map((d) => sizes[d]);
      const strides = denseStrides(ordered, who);
      const dims = permute(ordered.map((extent, j) => ({ min: 0, extent, stride: strides[j] })), order);
      const storage = allocate(numberOfElements(dims) * kind.bytes, who);
      this.#init(a, kind, dims, storage, new DataView(storage), 0, opts.name);
    } else {
      throw new HalideError(
        `new hl.Buffer: expected a Type and sizes, another Buffer, or nothing; got ${describe(a)}` +
          (ArrayBuffer.isView(a) || (typeof a === "object" && a !== null && "data" in a)
            ? " (use hl.Buffer.from(array) to wrap a typed array or ndarray)"
            : ""),
      );
    }
  }

  /** Builds a Buffer from already-validated parts (views, wrappers, bounds queries). */
  static #make(parts: BufferParts): Buffer {
    pendingParts = parts;
    try {
      return new Buffer();
    } finally {
      pendingParts = undefined;
    }
  }

  #init(
    type: Type,
    kind: Kind,
    dims: Dim[],
    storage: ArrayBuffer | undefined,
    view: DataView | undefined,
    host: number,
    name: string | undefined,
  ): void {
    if (name !== undefined && typeof name !== "string") {
      throw new HalideError(`hl.Buffer: name must be a string, got ${describe(name)}`);
    }
    this.#type = type;
    this.#kind = kind;
    this.#dims = dims;
    this.#storage = storage;
    this.#view = view;
    this.#host = host;
    this.#name = name || uniqueName();
  }

  // -------------------------------------------------------------------------------------------------------------
  // Static constructors

  /**
   * Wraps a typed array or an {@link NdArrayLike} (for instance an object made by the `ndarray` package) without
   * copying: the Buffer's storage is `array.data.buffer`. Axes are reversed by default (axis rule 1: array
   * element `[i0, …, iN]` is `get([iN, …, i0])`); `reverseAxes: false` keeps their order. Mins are 0 (rule 7).
   * Any integral strides fitting in int32 are accepted, including negative and zero ones (rule 5). A bare typed
   * array is 1-D. The element type follows the array class (`Uint8ClampedArray` → uint8).
   *
   * @example
   * ```ts
   * const a = { data: new Int32Array(200 * 300), shape: [200, 300] }; // 200 rows of 300
   * const b = hl.Buffer.from(a);
   * b.dim(0); // { min: 0, extent: 300, stride: 1, max: 299 }
   * b.set([34, 12], 56);
   * a.data[12 * 300 + 34]; // 56
   * ```
   */
  static from(array: NdArrayLike | TypedArray, options: FromOptions = {}): Buffer {
    const who = "hl.Buffer.from";
    if (typeof options !== "object" || options === null) {
      throw new HalideError(`${who}: options must be an object, got ${describe(options)}`);
    }
    const { reverseAxes = true, name } = options;
    let data: unknown, shape: unknown, stride: unknown, offset: unknown;
    if (ArrayBuffer.isView(array)) {
      data = array;
      shape = [(array as TypedArray).length];
      stride = [1];
      offset = 0;
    } else if (typeof array === "object" && array !== null && "data" in array && "shape" in array) {
      ({ data, shape, stride, offset } = array);
    } else if ((array as unknown) instanceof Buffer) {
      throw new HalideError(`${who}: got an hl.Buffer; use new hl.Buffer(other) for a view of it`);
    } else {
      throw new HalideError(
        `${who}: expected a typed array or an ndarray-like { data, shape, stride?, offset? }, ` +
          `got ${describe(array)}`,
      );
    }
    const type = ARRAY_TYPES.find(([ctor]) => ctor !== undefined && data instanceof ctor)?.[1];
    if (type === undefined || !ArrayBuffer.isView(data)) {
      throw new HalideError(
        `${who}: data must be a typed array (not a DataView or a plain Array), ` +
          `got ${describe(data)}`,
      );
    }
    const typed = data as TypedArray;
    if (!(typed.buffer instanceof ArrayBuffer)) {
      throw new HalideError(`${who}: arrays over a SharedArrayBuffer are not supported`);
    }
    const bpe = typed.BYTES_PER_ELEMENT;
    if (!Array.isArray(shape)) throw new HalideError(`${who}: shape must be an array, got ${describe(shape)}`);
    const n = shape.length;
    shape.forEach((e, i) => {
      if (!Number.isInteger(e) || e < 0) {
        throw new HalideError(`${who}: shape[${i}] must be a non-negative integer, got ${describe(e)}`);
      }
      if (e > INT32_MAX) {
        throw new HalideError(`${who}: Out of range dimensions in buffer conversion: shape[${i}] = ${e} > 2^31-1`);
      }
    });
    let strides: number[];
    if (stride === undefined || stride === null) {
      strides = new Array<number>(n); // C order: the last axis densest
      for (let i = n - 1, s = 1; i >= 0; s *= shape[i--]) {
        if (!isInt32(s)) {
          throw new HalideError(
            `${who}: Out of range dimensions in buffer conversion: the C-order stride of axis ${i} (${s}) ` +
              `does not fit in int32`,
          );
        }
        strides[i] = s;
      }
    } else {
      if (!Array.isArray(stride) || stride.length !== n) {
        throw new HalideError(`${who}: stride must be an array of ${n} element strides, got ${describe(stride)}`);
      }
      stride.forEach((s, i) => {
        if (typeof s !== "number" || !Number.isInteger(s)) {
          throw new HalideError(`${who}: stride[${i}] = ${describe(s)} is not a whole number of elements`);
        }
        if (!isInt32(s)) {
          throw new HalideError(
            `${who}: Out of range dimensions in buffer conversion: stride[${i}] = ${s} ` +
              `does not fit in int32`,
          );
        }
      });
      strides = [...stride];
    }
    const off = offset ?? 0;
    if (typeof off !== "number" || !Number.isInteger(off) || off < 0) {
      throw new HalideError(`${who}: offset must be a non-negative integer, got ${describe(offset)}`);
    }
    const dims = shape.map((extent: number, i) => ({ min: 0, extent, stride: strides[i] }));
    if (numberOfElements(dims) > 0) {
      const { begin, end } = span(dims);
      if (off + begin < 0 || off + end > typed.length) {
        throw new HalideError(
          `${who}: the array addresses elements ${off + begin}..${off + end - 1} of its data, ` +
            `which has ${typed.length} elements`,
        );
      }
    }
    if (reverseAxes) dims.reverse();
    const kind = kindOf(type, who);
    return Buffer.#make(
      new BufferParts(type, kind, dims, typed.buffer, new DataView(typed.buffer), typed.byteOffset + off * bpe, name),
    );
  }

  /**
   * A zero-dimensional Buffer holding one element.
   *
   * @example
   * ```ts
   * const s = hl.Buffer.makeScalar(hl.Float(32));
   * s.set([], 2.5);
   * s.get([]); // 2.5
   * ```
   */
  static makeScalar(type: Type, name?: string): Buffer {
    return new Buffer(type, [], name);
  }

  /**
   * A `width × height × channels` Buffer stored interleaved (channels densest): strides `[c, w·c, 1]`.
   *
   * @example
   * ```ts
   * const b = hl.Buffer.makeInterleaved(hl.UInt(8), 7, 13, 3);
   * [b.dim(0).stride, b.dim(1).stride, b.dim(2).stride]; // [3, 21, 1]
   * ```
   */
  static makeInterleaved(type: Type, width: number, height: number, channels: number, name?: string): Buffer {
    return new Buffer(type, [width, height, channels], { storageOrder: [2, 0, 1], name });
  }

  /**
   * A Buffer with a shape and dense strides but no host memory, for bounds queries (`storage` is undefined).
   *
   * @example
   * ```ts
   * const q = hl.Buffer.makeBoundsQuery(hl.Int(16), [4, 6]);
   * q.storage; // undefined
   * ```
   */
  static makeBoundsQuery(type: Type, sizes: readonly number[], name?: string): Buffer {
    const who = "hl.Buffer.makeBoundsQuery";
    const kind = kindOf(type, who);
    const extents = checkSizes(sizes, who);
    const strides = denseStrides(extents, who);
    const dims = extents.map((extent, i) => ({ min: 0, extent, stride: strides[i] }));
    return Buffer.#make(new BufferParts(type, kind, dims, undefined, undefined, 0, name));
  }

  /**
   * A new dense Buffer with the same type, mins, extents and memory nesting order (dimensions sorted by stride)
   * as `src`, as Halide's `make_with_shape_of`. `src` may be a bounds-query buffer.
   *
   * @example
   * ```ts
   * const src = hl.Buffer.makeInterleaved(hl.UInt(8), 4, 4, 3).translated([10, 20]);
   * const dst = hl.Buffer.makeWithShapeOf(src); // mins [10, 20, 0], strides [3, 12, 1]
   * ```
   */
  static makeWithShapeOf(src: Buffer, name?: string): Buffer {
    const who = "hl.Buffer.makeWithShapeOf";
    if (!(src instanceof Buffer)) throw new HalideError(`${who}: expected an hl.Buffer, got ${describe(src)}`);
    src.#requireDefined("makeWithShapeOf");
    // Stable sort by stride (Halide's bubble sort), make dense in that order, keep the original positions.
    const dims = src.#dims.map((d) => ({ ...d }));
    const byStride = dims.map((_, i) => i).sort((i, j) => dims[i].stride - dims[j].stride);
    const strides = denseStrides(byStride.map((i) => dims[i].extent), who);
    byStride.forEach((i, k) => (dims[i].stride = strides[k]));
    const storage = allocate(numberOfElements(dims) * src.#kind!.bytes, who);
    // All strides are now non-negative, so the host element is the first one.
    return Buffer.#make(new BufferParts(src.#type!, src.#kind!, dims, storage, new DataView(storage), 0, name));
  }

  // -------------------------------------------------------------------------------------------------------------
  // Shape

  /**
   * False only for `new hl.Buffer()`.
   *
   * @example
   * ```ts
   * new hl.Buffer().defined(); // false
   * ```
   */
  defined(): boolean {
    return this.#type !== undefined;
  }

  /**
   * The element type.
   *
   * @example
   * ```ts
   * new hl.Buffer(hl.UInt(16), [2]).type.toString(); // "uint16"
   * ```
   */
  get type(): Type {
    this.#requireDefined("type");
    return this.#type!;
  }

  /**
   * The number of dimensions.
   *
   * @example
   * ```ts
   * new hl.Buffer(hl.UInt(8), [4, 3]).dimensions; // 2
   * ```
   */
  get dimensions(): number {
    this.#requireDefined("dimensions");
    return this.#dims.length;
  }

  /**
   * The Buffer's name (given, or a unique `b<N>`); pipelines refer to it by this name.
   *
   * @example
   * ```ts
   * new hl.Buffer(hl.UInt(8), [4], "input").name; // "input"
   * ```
   */
  get name(): string {
    return this.#name;
  }

  /**
   * Renames the Buffer (Python's `set_name`). Returns `this`.
   *
   * @example
   * ```ts
   * buf.cropped(0, 0, 2).setName("left");
   * ```
   */
  setName(name: string): this {
    if (typeof name !== "string" || name === "") {
      throw new HalideError(`Buffer ${this.#name}: setName expects a non-empty string, got ${describe(name)}`);
    }
    this.#name = name;
    return this;
  }

  /**
   * Dimension `i`: `{ min, extent, stride, max }` (stride in elements).
   *
   * @example
   * ```ts
   * new hl.Buffer(hl.Int(32), [128, 256]).dim(1).stride; // 128
   * ```
   */
  dim(i: number): BufferDimension {
    this.#requireDefined("dim");
    const d = this.#dims[this.#checkDim(i, "dim")];
    return { min: d.min, extent: d.extent, stride: d.stride, max: d.min + d.extent - 1 };
  }

  /** Extent of dimension 0, or 1 if there is none. @example `new hl.Buffer(hl.UInt(8), [4, 3]).width // 4` */
  get width(): number {
    return this.#extentOr1(0, "width");
  }
  /** Extent of dimension 1, or 1 if there is none. @example `new hl.Buffer(hl.UInt(8), [4, 3]).height // 3` */
  get height(): number {
    return this.#extentOr1(1, "height");
  }
  /** Extent of dimension 2, or 1 if there is none. @example `new hl.Buffer(hl.UInt(8), [4, 3]).channels // 1` */
  get channels(): number {
    return this.#extentOr1(2, "channels");
  }
  /** Min of dimension 0. @example `new hl.Buffer(hl.UInt(8), [4, 3]).translated([5, 0]).left // 5` */
  get left(): number {
    return this.dim(0).min;
  }
  /** Max of dimension 0. @example `new hl.Buffer(hl.UInt(8), [4, 3]).right // 3` */
  get right(): number {
    return this.dim(0).max;
  }
  /** Min of dimension 1. @example `new hl.Buffer(hl.UInt(8), [4, 3]).top // 0` */
  get top(): number {
    return this.dim(1).min;
  }
  /** Max of dimension 1. @example `new hl.Buffer(hl.UInt(8), [4, 3]).bottom // 2` */
  get bottom(): number {
    return this.dim(1).max;
  }

  /**
   * The product of the extents (1 for a zero-dimensional Buffer).
   *
   * @example
   * ```ts
   * new hl.Buffer(hl.UInt(8), [4, 3]).numberOfElements(); // 12
   * ```
   */
  numberOfElements(): number {
    this.#requireDefined("numberOfElements");
    return numberOfElements(this.#dims);
  }

  /**
   * The number of bytes spanned in memory, from the lowest-addressed element to the end of the highest one.
   *
   * @example
   * ```ts
   * new hl.Buffer(hl.Int(32), [4, 3]).cropped(0, 0, 2).sizeInBytes(); // 40 (rows of 4, last row only 2)
   * ```
   */
  sizeInBytes(): number {
    this.#requireDefined("sizeInBytes");
    if (numberOfElements(this.#dims) === 0) return 0;
    const { begin, end } = span(this.#dims);
    return (end - begin) * this.#kind!.bytes;
  }

  /**
   * Whether the coordinates lie inside the Buffer. Fewer coordinates than dimensions test only the first ones;
   * more is an error ("Too many arguments", as Halide).
   *
   * @example
   * ```ts
   * const b = new hl.Buffer(hl.UInt(8), [4, 3]);
   * b.contains([3, 2]); // true
   * b.contains([4, 0]); // false
   * ```
   */
  contains(coords: readonly number[]): boolean {
    this.#requireDefined("contains");
    this.checkList(coords, "contains", "coordinates");
    return coords.every((c, i) => c >= this.#dims[i].min && c < this.#dims[i].min + this.#dims[i].extent);
  }

  // -------------------------------------------------------------------------------------------------------------
  // Views

  /**
   * Restricts dimension `d` to `[min, min + extent)` in place (or, given `[min, extent]` pairs, the first
   * dimensions). A crop must stay inside the current bounds. Returns `this`.
   *
   * @example
   * ```ts
   * const b = new hl.Buffer(hl.UInt(8), [10, 10]);
   * b.crop(0, 2, 5);          // dim 0 is now min 2, extent 5
   * b.crop([[3, 4], [0, 2]]); // dims 0 and 1
   * ```
   */
  crop(d: number, min: number, extent: number): this;
  crop(rect: readonly (readonly [number, number])[]): this;
  crop(a: number | readonly (readonly [number, number])[], min?: number, extent?: number): this {
    this.#requireDefined("crop");
    if (typeof a === "number") {
      this.#crop1(this.#checkDim(a, "crop"), min, extent);
      return this;
    }
    this.checkList(a, "crop", "ranges");
    a.forEach((r, i) => {
      if (!Array.isArray(r) || r.length !== 2) {
        throw new HalideError(`Buffer ${this.#name}: crop expects [min, extent] pairs, got ${describe(r)}`);
      }
      this.#crop1(i, r[0], r[1]);
    });
    return this;
  }

  /**
   * A new view restricted as {@link crop} would; this Buffer is unchanged.
   *
   * @example
   * ```ts
   * const tile = img.cropped([[16, 8], [32, 8]]); // an 8×8 view at (16, 32)
   * ```
   */
  cropped(d: number, min: number, extent: number): Buffer;
  cropped(rect: readonly (readonly [number, number])[]): Buffer;
  cropped(a: number | readonly (readonly [number, number])[], min?: number, extent?: number): Buffer {
    this.#requireDefined("cropped");
    return typeof a === "number" ? this.#clone().crop(a, min!, extent!) : this.#clone().crop(a);
  }

  /**
   * Shifts the coordinates of dimension `d` by `delta` in place (or, given a list, the first dimensions); the data
   * do not move. Returns `this`.
   *
   * @example
   * ```ts
   * const b = new hl.Buffer(hl.UInt(8), [4, 4]);
   * b.translate(0, 10); // dim 0 now spans [10, 13]
   * b.translate([1, 1]);
   * ```
   */
  translate(d: number, delta: number): this;
  translate(deltas: readonly number[]): this;
  translate(a: number | readonly number[], delta?: number): this {
    this.#requireDefined("translate");
    if (typeof a === "number") {
      const d = this.#checkDim(a, "translate");
      this.#moveMin(d, delta, "translate", "delta");
      return this;
    }
    this.checkList(a, "translate", "deltas");
    a.forEach((v, i) => this.#moveMin(i, v, "translate", "delta"));
    return this;
  }

  /**
   * A new view translated as {@link translate} would.
   *
   * @example
   * ```ts
   * const sprite = small.translated([x, y]); // place it before framebuffer.copyFrom(sprite)
   * ```
   */
  translated(d: number, delta: number): Buffer;
  translated(deltas: readonly number[]): Buffer;
  translated(a: number | readonly number[], delta?: number): Buffer {
    this.#requireDefined("translated");
    return typeof a === "number" ? this.#clone().translate(a, delta!) : this.#clone().translate(a);
  }

  /**
   * Replaces the shape of a bounds-query Buffer (one without host memory) with the one a pipeline's bounds query
   * wrote; used by argument packing after a call.
   *
   * @example
   * ```ts
   * q.setQueryShape([{ min: -1, extent: 102, stride: 1 }]);
   * ```
   */
  setQueryShape(dims: readonly { readonly min: number; readonly extent: number; readonly stride: number }[]): void {
    if (this.#storage || dims.length !== this.#dims.length) {
      throw new HalideError(`Buffer ${this.#name}: only a bounds-query buffer's shape is rewritten by a bounds query.`);
    }
    this.#dims = dims.map((d) => ({ min: d.min, extent: d.extent, stride: d.stride }));
  }

  /**
   * Sets the mins of the first `mins.length` dimensions in place (more mins than dimensions: "Too many
   * arguments", as Halide). Returns `this`.
   *
   * @example
   * ```ts
   * new hl.Buffer(hl.UInt(8), [4, 4]).setMin([-2, 5]).dim(1).min; // 5
   * ```
   */
  setMin(mins: readonly number[]): this {
    this.#requireDefined("setMin");
    this.checkList(mins, "setMin", "mins");
    mins.forEach((m, i) => {
      if (!isInt32(m)) {
        throw new HalideError(`Buffer ${this.#name}: setMin: min ${i} must be an int32, got ${describe(m)}`);
      }
      this.#moveMin(i, m - this.#dims[i].min, "setMin", "min");
    });
    return this;
  }

  /**
   * Removes dimension `d` in place, keeping the elements at coordinate `pos` (default: its min). Returns `this`.
   *
   * @example
   * ```ts
   * const rgb = new hl.Buffer(hl.UInt(8), [640, 480, 3]);
   * rgb.slice(2, 1); // the green plane, 2-D
   * ```
   */
  slice(d: number, pos?: number): this {
    this.#requireDefined("slice");
    const i = this.#checkDim(d, "slice");
    const dim = this.#dims[i];
    const p = pos ?? dim.min;
    if (!isInt32(p) || p < dim.min || p >= dim.min + dim.extent) {
      throw new HalideError(
        `Buffer ${this.#name}: cannot slice dimension ${i} at ${describe(p)}: ` +
          `it covers [min=${dim.min}, extent=${dim.extent}]`,
      );
    }
    this.#host += (p - dim.min) * dim.stride * this.#kind!.bytes;
    this.#dims.splice(i, 1);
    return this;
  }

  /**
   * A new view sliced as {@link slice} would.
   *
   * @example
   * ```ts
   * const row = img.sliced(1, 7); // row y = 7, 1-D
   * ```
   */
  sliced(d: number, pos?: number): Buffer {
    this.#requireDefined("sliced");
    return this.#clone().slice(d, pos);
  }

  /**
   * Inserts a new dimension of extent 1 at position `d` (0 ≤ d ≤ dimensions) whose only coordinate is `pos`, in
   * place: the opposite of {@link slice}. Its stride is that of the outermost dimension times its extent (1 for a
   * zero-dimensional Buffer), as Halide. Returns `this`.
   *
   * @example
   * ```ts
   * const b = new hl.Buffer(hl.UInt(8), [4, 3]).embed(1, 17); // b.get([x, 17, y]) is the old b.get([x, y])
   * ```
   */
  embed(d: number, pos = 0): this {
    this.#requireDefined("embed");
    const n = this.#dims.length;
    if (!isInt32(d) || d < 0 || d > n) {
      throw new HalideError(`Buffer ${this.#name}: embed: dimension ${describe(d)} is not in [0, ${n}]`);
    }
    if (!isInt32(pos)) throw new HalideError(`Buffer ${this.#name}: embed: pos must be an int32, got ${describe(pos)}`);
    const last = this.#dims[n - 1];
    const stride = n === 0 ? 1 : last.extent * last.stride;
    if (!isInt32(stride)) {
      throw new HalideError(`Buffer ${this.#name}: embed: the new dimension's stride ${stride} does not fit in int32`);
    }
    this.#dims.splice(d, 0, { min: pos, extent: 1, stride });
    return this;
  }

  /**
   * A new view embedded as {@link embed} would.
   *
   * @example
   * ```ts
   * const planar3 = gray.embedded(2); // a 3-D view with one channel
   * ```
   */
  embedded(d: number, pos = 0): Buffer {
    this.#requireDefined("embedded");
    return this.#clone().embed(d, pos);
  }

  /**
   * Adds a last dimension of min 0 and extent 1 in place (Halide's `add_dimension`). Returns `this`.
   *
   * @example
   * ```ts
   * new hl.Buffer(hl.UInt(8), [4]).addDimension().dimensions; // 2
   * ```
   */
  addDimension(): this {
    this.#requireDefined("addDimension");
    return this.embed(this.#dims.length, 0);
  }

  /**
   * Permutes dimensions in place: `transpose(d1, d2)` swaps two; `transpose(order)` moves old dimension `j` to
   * position `order[j]` (Halide's semantics). The data do not move. Returns `this`.
   *
   * @example
   * ```ts
   * const b = new hl.Buffer(hl.UInt(8), [2, 3, 4]);
   * b.transpose([2, 0, 1]); // extents are now [3, 4, 2]
   * ```
   */
  transpose(d1: number, d2: number): this;
  transpose(order: readonly number[]): this;
  transpose(a: number | readonly number[], d2?: number): this {
    this.#requireDefined("transpose");
    if (typeof a === "number") {
      const i = this.#checkDim(a, "transpose"), j = this.#checkDim(d2, "transpose");
      [this.#dims[i], this.#dims[j]] = [this.#dims[j], this.#dims[i]];
      return this;
    }
    const order = checkPermutation(a, this.#dims.length, `Buffer ${this.#name}: transpose order`);
    this.#dims = permute(this.#dims, order);
    return this;
  }

  /**
   * A new view transposed as {@link transpose} would.
   *
   * @example
   * ```ts
   * const t = img.transposed(0, 1); // t.get([y, x]) === img.get([x, y])
   * ```
   */
  transposed(d1: number, d2: number): Buffer;
  transposed(order: readonly number[]): Buffer;
  transposed(a: number | readonly number[], d2?: number): Buffer {
    this.#requireDefined("transposed");
    return typeof a === "number" ? this.#clone().transpose(a, d2!) : this.#clone().transpose(a);
  }

  /**
   * A new view with the dimensions in reverse order (`v.get([z, y, x])` is `get([x, y, z])`).
   *
   * @example
   * ```ts
   * new hl.Buffer(hl.UInt(8), [4, 3]).reverseAxes().dim(0).extent; // 3
   * ```
   */
  reverseAxes(): Buffer {
    this.#requireDefined("reverseAxes");
    const v = this.#clone();
    v.#dims.reverse();
    return v;
  }

  // -------------------------------------------------------------------------------------------------------------
  // Data

  /**
   * The element at `coords` (one per dimension): a number, a bigint for 64-bit integers, a boolean for Bool.
   * Out-of-range coordinates throw `"index -1 is out of bounds for axis 0 with min=0, extent=4"`.
   *
   * @example
   * ```ts
   * const b = new hl.Buffer(hl.Int(64), [4]);
   * b.get([2]); // 0n
   * ```
   */
  get(coords: readonly number[]): ElementValue {
    return this.#read(this.#byteOffsetOf(coords, "get"));
  }

  /**
   * Stores `value` at `coords` (range-checked as {@link get}). Integer types take integral numbers or bigints
   * they can represent; Bool takes a boolean or 0/1; floats take numbers (rounded to the type). Returns `this`.
   *
   * @example
   * ```ts
   * const b = new hl.Buffer(hl.Bool(), [2]);
   * b.set([1], true).get([1]); // true
   * ```
   */
  set(coords: readonly number[], value: ElementValue): this {
    const v = this.#convert(value, "set");
    this.#write(this.#byteOffsetOf(coords, "set"), v);
    return this;
  }

  /**
   * Stores `value` in every element. Returns `this`.
   *
   * @example
   * ```ts
   * new hl.Buffer(hl.Float(32), [3, 4]).fill(0.5).allEqual(0.5); // true
   * ```
   */
  fill(value: ElementValue): this {
    this.#requireHost("fill");
    const kind = this.#kind!;
    const v = this.#convert(value, "fill");
    const n = numberOfElements(this.#dims);
    if (n > 1 && isDense(this.#dims)) {
      // One element's bit pattern, repeated over the contiguous span by a typed array.
      const scratch = new ArrayBuffer(8);
      kind.write(new DataView(scratch), 0, v);
      const start = this.#host + span(this.#dims).begin * kind.bytes, storage = this.#storage!;
      this.#guardStorage(() => {
        if (kind.bytes === 8) new BigUint64Array(storage, start, n).fill(new BigUint64Array(scratch)[0]);
        else {
          const U = kind.bytes === 1 ? Uint8Array : kind.bytes === 2 ? Uint16Array : Uint32Array;
          new U(storage, start, n).fill(new U(scratch)[0]);
        }
      });
      return this;
    }
    this.#forEachByteOffset((at) => this.#write(at, v));
    return this;
  }

  /**
   * Whether every element equals `value` (converted to the element type first; NaN equals nothing).
   *
   * @example
   * ```ts
   * const b = new hl.Buffer(hl.Int(32), [3, 4]).fill(3);
   * b.allEqual(3); // true
   * ```
   */
  allEqual(value: ElementValue): boolean {
    this.#requireHost("allEqual");
    const scratch = new DataView(new ArrayBuffer(8));
    this.#kind!.write(scratch, 0, this.#convert(value, "allEqual"));
    const target = this.#kind!.read(scratch, 0);
    let equal = true;
    this.#forEachByteOffset((at) => {
      if (equal && this.#read(at) !== target) equal = false;
    });
    return equal;
  }

  /**
   * A deep copy in new dense memory, with the same type, mins and memory nesting order.
   *
   * @example
   * ```ts
   * const c = b.copy();
   * c.set([0, 0], 1); // b is unchanged
   * ```
   */
  copy(): Buffer {
    this.#requireHost("copy");
    return Buffer.makeWithShapeOf(this).copyFrom(this);
  }

  /**
   * Copies the elements of `other` that lie inside this Buffer (the intersection of the two, in coordinates) into
   * this Buffer, as Halide's `copy_from`. Both must have the same type and dimensionality; overlapping memory is
   * handled. Returns `this`.
   *
   * @example
   * ```ts
   * framebuffer.copyFrom(sprite.translated([x, y]));
   * ```
   */
  copyFrom(other: Buffer): this {
    this.#requireHost("copyFrom");
    if (!(other instanceof Buffer)) {
      throw new HalideError(`Buffer ${this.#name}: copyFrom expects an hl.Buffer, got ${describe(other)}`);
    }
    other.#requireHost("copyFrom");
    if (!other.#type!.equals(this.#type!)) {
      throw new HalideError(
        `Buffer ${this.#name}: copyFrom: Buffer ${other.#name} has type ${other.#type}, ` +
          `expected ${this.#type}`,
      );
    }
    if (other.#dims.length !== this.#dims.length) {
      throw new HalideError(
        `Buffer ${this.#name}: copyFrom: Buffer ${other.#name} is ${other.#dims.length}-dimensional, ` +
          `expected ${this.#dims.length} dimensions`,
      );
    }
    const dst = this.#clone();
    let src = other.#clone();
    for (let i = 0; i < this.#dims.length; i++) {
      const lo = Math.max(dst.#dims[i].min, src.#dims[i].min);
      const hi = Math.min(dst.#dims[i].min + dst.#dims[i].extent, src.#dims[i].min + src.#dims[i].extent);
      if (hi <= lo) return this; // no overlap
      dst.#crop1(i, lo, hi - lo);
      src.#crop1(i, lo, hi - lo);
    }
    const bytes = this.#kind!.bytes;
    const n = numberOfElements(dst.#dims);
    const ds = span(dst.#dims), ss = span(src.#dims);
    const dStart = dst.#host + ds.begin * bytes, sStart = src.#host + ss.begin * bytes;
    if (n > 1 && isDense(dst.#dims) && dst.#dims.every((d, i) => d.stride === src.#dims[i].stride)) {
      // Same dense layout: one block copy (TypedArray.set handles overlap within one ArrayBuffer).
      this.#guardStorage(() =>
        new Uint8Array(dst.#storage!, dStart, n * bytes).set(new Uint8Array(src.#storage!, sStart, n * bytes))
      );
      return this;
    }
    if (
      src.#storage === dst.#storage &&
      sStart < dStart + (ds.end - ds.begin) * bytes && dStart < sStart + (ss.end - ss.begin) * bytes
    ) {
      src = src.copy(); // overlapping memory: read from a snapshot
    }
    const copy = RAW_COPY[bytes];
    const dv = dst.#view!, sv = src.#view!;
    this.#guardStorage(() =>
      walk(
        dst.#dims.map((d) => d.extent),
        dst.#dims.map((d) => d.stride * bytes),
        dst.#host,
        src.#dims.map((d) => d.stride * bytes),
        src.#host,
        (a, b) => copy(dv, a, sv, b),
      )
    );
    return this;
  }

  /**
   * Calls `fn(coords)` for every element, dim 0 fastest. `coords` is a fresh array each call.
   *
   * @example
   * ```ts
   * b.forEachElement(([x, y]) => b.set([x, y], x + y));
   * ```
   */
  forEachElement(fn: (coords: number[]) => void): this {
    this.#requireDefined("forEachElement");
    const mins = this.#dims.map((d) => d.min);
    const zeros = mins.map(() => 0);
    walk(this.#dims.map((d) => d.extent), zeros, 0, zeros, 0, (_a, _b, pos) => fn(pos.map((p, i) => p + mins[i])));
    return this;
  }

  /**
   * Calls `fn(value)` for every element, dim 0 fastest; if `fn` returns a value (not `undefined`), it is stored in
   * that element — the counterpart of C++'s by-reference `for_each_value`.
   *
   * @example
   * ```ts
   * let sum = 0;
   * b.forEachValue((v) => { sum += v as number; });
   * b.forEachValue((v) => (v as number) * 2); // doubles every element
   * ```
   */
  forEachValue(fn: (value: ElementValue) => ElementValue | void): this {
    this.#requireHost("forEachValue");
    this.#forEachByteOffset((at) => {
      const r = fn(this.#read(at));
      if (r !== undefined) this.#write(at, this.#convert(r, "forEachValue"));
    });
    return this;
  }

  /**
   * A zero-copy {@link NdArray} view of this Buffer's memory. Axes are reversed by default (axis rule 2:
   * `get([x, y, c])` is array element `[c, y, x]`); `{ reverseAxes: false }` keeps Halide's order. Mins do not
   * cross (rule 7): the array starts at index 0 whatever the Buffer's mins. A zero-dimensional Buffer gives shape
   * `[]`. Bool Buffers give a `Uint8Array`.
   *
   * @example
   * ```ts
   * const b = new hl.Buffer(hl.Int(16), [4, 6]);
   * b.set([1, 2], 42);
   * const v = b.asNdArray(); // shape [6, 4], stride [4, 1]
   * v.data[v.offset + 2 * v.stride[0] + 1 * v.stride[1]]; // 42
   * ```
   */
  asNdArray(options: AsNdArrayOptions = {}): NdArray {
    this.#requireHost("asNdArray");
    const reverseAxes = options?.reverseAxes ?? true;
    const kind = this.#kind!;
    if (kind.array === undefined) {
      throw new HalideError(`Buffer ${this.#name}: asNdArray needs Float16Array, which this runtime lacks`);
    }
    this.assertHostValid();
    const dims = reverseAxes ? [...this.#dims].reverse() : this.#dims;
    const shape = dims.map((d) => d.extent), stride = dims.map((d) => d.stride);
    if (numberOfElements(dims) === 0) return { data: new kind.array(this.#storage!, 0, 0), shape, stride, offset: 0 };
    const { begin, end } = span(dims);
    const data = new kind.array(this.#storage!, this.#host + begin * kind.bytes, end - begin);
    return { data, shape, stride, offset: 0 - begin };
  }

  /**
   * `<halide.Buffer of type int32 shape:[[0,128,1],[0,256,128]]>` (min, extent, stride per dimension), or
   * `<undefined halide.Buffer>`.
   *
   * @example
   * ```ts
   * String(new hl.Buffer(hl.Int(32), [128, 256])); // "<halide.Buffer of type int32 shape:[[0,128,1],[0,256,128]]>"
   * ```
   */
  toString(): string {
    if (this.#type === undefined) return "<undefined halide.Buffer>";
    const shape = this.#dims.map((d) => `[${d.min},${d.extent},${d.stride}]`).join(",");
    return `<halide.Buffer of type ${this.#type} shape:[${shape}]>`;
  }

  /** Shows {@link toString} in `console.log` (Bun, Deno and Node honour this symbol). @example `console.log(buf)` */
  [Symbol.for("nodejs.util.inspect.custom")](): string {
    return this.toString();
  }

  // -------------------------------------------------------------------------------------------------------------
  // Internal accessors for the runtime (JIT argument packing, interpreter)

  /**
   * The memory holding the elements; `undefined` for bounds-query and undefined Buffers. Views share it.
   * Internal: the JIT packs `host = address(storage) + hostByteOffset` into a `halide_buffer_t`.
   *
   * @example
   * ```ts
   * buf.cropped(0, 1, 2).storage === buf.storage; // true
   * ```
   */
  get storage(): ArrayBuffer | undefined {
    return this.#storage;
  }

  /**
   * Byte offset in {@link storage} of the host element, the one whose coordinates are the mins (what
   * `halide_buffer_t.host` points at). Internal, for the runtime.
   *
   * @example
   * ```ts
   * new hl.Buffer(hl.Int(32), [10]).cropped(0, 3, 4).hostByteOffset; // 12
   * ```
   */
  get hostByteOffset(): number {
    return this.#host;
  }

  /**
   * The offset in elements, relative to the host element, of the element at `coords`: `Σ (coords[i] - min_i) ·
   * stride_i`. Not range-checked. Internal, for the runtime and interpreter (see {@link getByOffset}).
   *
   * @example
   * ```ts
   * new hl.Buffer(hl.UInt(8), [4, 3]).elementOffset([1, 2]); // 9
   * ```
   */
  elementOffset(coords: ArrayLike<number>): number {
    let off = 0;
    for (let i = 0; i < this.#dims.length; i++) off += (coords[i] - this.#dims[i].min) * this.#dims[i].stride;
    return off;
  }

  /**
   * Reads the element `offset` elements from the host element (see {@link elementOffset}), through a DataView:
   * no coordinate checks, but never outside the storage (a HalideError then). Internal fast path.
   *
   * @example
   * ```ts
   * b.getByOffset(b.elementOffset([1, 2])) === b.get([1, 2]); // true
   * ```
   */
  getByOffset(offset: number): ElementValue {
    this.#requireHost("getByOffset");
    return this.#read(this.#host + offset * this.#kind!.bytes);
  }

  /**
   * Writes `value` (checked as in {@link set}) at `offset` elements from the host element; see
   * {@link getByOffset}. Internal fast path.
   *
   * @example
   * ```ts
   * b.setByOffset(b.elementOffset([1, 2]), 7);
   * ```
   */
  setByOffset(offset: number, value: ElementValue): void {
    this.#requireHost("setByOffset");
    this.#write(this.#host + offset * this.#kind!.bytes, this.#convert(value, "setByOffset"));
  }

  /**
   * Throws a HalideError unless the Buffer has host memory that is still attached and covers every element (a
   * user's ArrayBuffer may have been transferred or resized since it was wrapped). The runtime calls this before
   * handing `storage` to native code. Internal.
   *
   * @example
   * ```ts
   * buf.assertHostValid(); // then pack storage + hostByteOffset
   * ```
   */
  assertHostValid(): void {
    this.#requireHost("assertHostValid");
    const storage = this.#storage!;
    if ((storage as { detached?: boolean }).detached) {
      throw new HalideError(`Buffer ${this.#name}: its ArrayBuffer has been detached (transferred)`);
    }
    if (numberOfElements(this.#dims) === 0) return;
    const { begin, end } = span(this.#dims);
    const lo = this.#host + begin * this.#kind!.bytes, hi = this.#host + end * this.#kind!.bytes;
    if (lo < 0 || hi > storage.byteLength) {
      throw new HalideError(
        `Buffer ${this.#name}: its elements span bytes [${lo}, ${hi}) but its ArrayBuffer ` +
          `has ${storage.byteLength} bytes`,
      );
    }
  }

  // -------------------------------------------------------------------------------------------------------------
  // Private helpers

  #requireDefined(method: string): void {
    if (this.#type === undefined) throw new HalideError(`Undefined buffer calling method ${method}`);
  }

  #requireHost(method: string): void {
    this.#requireDefined(method);
    if (this.#storage === undefined) {
      throw new HalideError(
        `Buffer ${this.#name}: ${method} needs host memory, but this is a bounds-query ` +
          `buffer (no host memory)`,
      );
    }
  }

  #checkDim(d: unknown, method: string): number {
    const n = this.#dims.length;
    if (!isInt32(d) || d < 0 || d >= n) {
      throw new HalideError(
        `Buffer ${this.#name}: ${method}: dimension ${describe(d)} is out of range ` +
          `(the Buffer is ${n}-dimensional)`,
      );
    }
    return d;
  }

  /** A list with at most one entry per dimension ("Too many arguments" otherwise, as Halide). */
  private checkList(list: unknown, method: string, what: string): asserts list is readonly unknown[] {
    if (!Array.isArray(list)) throw new HalideError(`Buffer ${this.#name}: ${method} expects an array of ${what}`);
    if (list.length > this.#dims.length) {
      throw new HalideError(
        `Too many arguments: Buffer ${this.#name} is ${this.#dims.length}-dimensional but ` +
          `${method} got ${list.length} ${what}`,
      );
    }
  }

  #extentOr1(d: number, method: string): number {
    this.#requireDefined(method);
    return d < this.#dims.length ? this.#dims[d].extent : 1;
  }

  #clone(): Buffer {
    return new Buffer(this);
  }

  #crop1(i: number, min: unknown, extent: unknown): void {
    const d = this.#dims[i];
    if (!isInt32(min) || !isInt32(extent) || extent < 0 || min < d.min || min + extent > d.min + d.extent) {
      throw new HalideError(
        `Buffer ${this.#name}: cannot crop dimension ${i} to [min=${describe(min)}, ` +
          `extent=${describe(extent)}]: it covers [min=${d.min}, extent=${d.extent}]`,
      );
    }
    this.#host += (min - d.min) * d.stride * this.#kind!.bytes;
    d.min = min;
    d.extent = extent;
  }

  #moveMin(i: number, delta: unknown, method: string, what: string): void {
    const d = this.#dims[i];
    if (typeof delta !== "number" || !Number.isInteger(delta)) {
      throw new HalideError(
        `Buffer ${this.#name}: ${method}: ${what} for dimension ${i} must be an integer, ` +
          `got ${describe(delta)}`,
      );
    }
    const min = d.min + delta;
    if (!isInt32(min) || !isInt32(min + Math.max(d.extent - 1, 0))) {
      throw new HalideError(
        `Buffer ${this.#name}: ${method}: dimension ${i} would span [${min}, ` +
          `${min + d.extent - 1}], outside the int32 range`,
      );
    }
    d.min = min;
  }

  #byteOffsetOf(coords: readonly number[], method: string): number {
    this.#requireHost(method);
    const dims = this.#dims;
    if (!Array.isArray(coords) || coords.length !== dims.length) {
      const got = Array.isArray(coords) ? coords.length : describe(coords);
      throw new HalideError(
        `Incorrect number of dimensions: Buffer ${this.#name} is ${dims.length}-dimensional, ` +
          `so ${method} needs ${dims.length} coordinates, but got ${got}`,
      );
    }
    let at = this.#host;
    const bytes = this.#kind!.bytes;
    for (let i = 0; i < dims.length; i++) {
      const c = coords[i], d = dims[i];
      if (!(c >= d.min && c < d.min + d.extent) || !Number.isInteger(c)) {
        if (typeof c === "number" && Number.isInteger(c)) {
          throw new HalideError(`index ${c} is out of bounds for axis ${i} with min=${d.min}, extent=${d.extent}`);
        }
        throw new HalideError(
          `Buffer ${this.#name}: ${method}: coordinate ${i} must be an integer, got ${describe(c)}`,
        );
      }
      at += (c - d.min) * d.stride * bytes;
    }
    return at;
  }

  #convert(value: ElementValue, method: string): number | bigint {
    this.#requireDefined(method);
    const ok = typeof value === "number" || typeof value === "bigint" || typeof value === "boolean";
    const v = ok ? this.#kind!.convert(value) : undefined;
    if (v === undefined) {
      throw new HalideError(
        `Buffer ${this.#name}: ${method}: the value ${describe(value)} cannot be stored in ` +
          `an element of type ${this.#type}`,
      );
    }
    return v;
  }

  #read(at: number): ElementValue {
    try {
      return this.#kind!.read(this.#view!, at);
    } catch (e) {
      throw this.#storageError(e);
    }
  }

  #write(at: number, v: number | bigint): void {
    try {
      this.#kind!.write(this.#view!, at, v);
    } catch (e) {
      throw this.#storageError(e);
    }
  }

  /** Runs `f`, which touches only storage (no user code), turning storage faults into HalideErrors. */
  #guardStorage(f: () => void): void {
    try {
      f();
    } catch (e) {
      throw this.#storageError(e);
    }
  }

  /** The RangeError/TypeError of a detached, shrunk or overrun ArrayBuffer, as a HalideError. */
  #storageError(e: unknown): unknown {
    if (!(e instanceof RangeError || e instanceof TypeError)) return e;
    return new HalideError(
      `Buffer ${this.#name}: access outside its ArrayBuffer (detached, resized, or an ` +
        `offset out of range): ${e.message}`,
    );
  }

  /** Visits the byte offset of every element (dim 0 fastest); `visit` may be user code. */
  #forEachByteOffset(visit: (at: number) => void): void {
    const bytes = this.#kind!.bytes;
    const strides = this.#dims.map((d) => d.stride * bytes);
    walk(this.#dims.map((d) => d.extent), strides, this.#host, strides, 0, visit);
  }
}
