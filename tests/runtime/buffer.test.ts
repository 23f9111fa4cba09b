// Unit tests of hl.Buffer (API.md §4): every method and every error message. Several mirror Halide's
// python_bindings/test/correctness/buffer.py.
import { describe, expect, it } from "bun:test";
import * as hl from "../../mod.ts";

const dims = (b: hl.Buffer) =>
  Array.from({ length: b.dimensions }, (_, i) => {
    const d = b.dim(i);
    return [d.min, d.extent, d.stride];
  });

/** The HalideError thrown by `f` (fails the test if none, or another kind of error). */
function errorOf(f: () => unknown): hl.HalideError {
  try {
    f();
  } catch (e) {
    if (e instanceof hl.HalideError) return e;
    throw new Error(`expected a HalideError, got ${e}`);
  }
  throw new Error("expected a HalideError, nothing was thrown");
}

describe("construction", () => {
  it("allocates dense zeroed memory, dim 0 innermost", () => {
    const b = new hl.Buffer(hl.Int(32), [128, 256]);
    expect(dims(b)).toEqual([[0, 128, 1], [0, 256, 128]]);
    expect(b.type.equals(hl.Int(32))).toBe(true);
    expect(b.dimensions).toBe(2);
    expect(b.storage!.byteLength).toBe(128 * 256 * 4);
    expect(b.hostByteOffset).toBe(0);
    expect(b.allEqual(0)).toBe(true);
    expect(b.defined()).toBe(true);
  });

  it("names buffers b<N> uniquely unless given a name", () => {
    const a = new hl.Buffer(hl.UInt(8), [2]), b = new hl.Buffer(hl.UInt(8), [2]);
    expect(a.name).toMatch(/^b\d+$/);
    expect(b.name).toMatch(/^b\d+$/);
    expect(a.name).not.toBe(b.name);
    expect(new hl.Buffer(hl.UInt(8), [2], "input").name).toBe("input");
    expect(new hl.Buffer(hl.UInt(8), [2], { name: "x" }).name).toBe("x");
    expect(new hl.Buffer(hl.UInt(8), [2], "").name).toMatch(/^b\d+$/);
    expect(a.setName("renamed").name).toBe("renamed");
    expect(() => a.setName("")).toThrow("setName expects a non-empty string");
  });

  it("honours storageOrder as Halide (test_reorder)", () => {
    const [W, H, C, Z] = [7, 5, 3, 2];
    const a = new hl.Buffer(hl.UInt(8), [W, H, C], { storageOrder: [2, 0, 1] });
    expect(dims(a)).toEqual([[0, W, C], [0, H, W * C], [0, C, 1]]);
    const b = new hl.Buffer(hl.UInt(8), [W, H, C, Z], { storageOrder: [2, 3, 0, 1] });
    expect(dims(b)).toEqual([[0, W, C * Z], [0, H, W * C * Z], [0, C, 1], [0, Z, C]]);
    const b2 = new hl.Buffer(hl.UInt(8), [C, Z, W, H]).transpose([2, 3, 0, 1]);
    expect(dims(b2)).toEqual(dims(b));
    // Python's positional form.
    expect(dims(new hl.Buffer(hl.UInt(8), [W, H, C, Z], [2, 3, 0, 1], "p"))).toEqual(dims(b));
    expect(new hl.Buffer(hl.UInt(8), [W, H, C, Z], [2, 3, 0, 1], "p").name).toBe("p");
  });

  it("rejects bad sizes, types and storage orders", () => {
    expect(() => new hl.Buffer(hl.UInt(8), [-1])).toThrow("new hl.Buffer: size 0 must be an integer in [0, 2^31-1]");
    expect(() => new hl.Buffer(hl.UInt(8), [2, 1.5])).toThrow("size 1 must be an integer");
    expect(() => new hl.Buffer(hl.UInt(8), [2 ** 31])).toThrow("size 0 must be an integer in [0, 2^31-1]");
    expect(() => new hl.Buffer(hl.UInt(8), 3 as unknown as number[])).toThrow("sizes must be an array of extents");
    expect(() => new hl.Buffer(hl.BFloat(16), [2])).toThrow("Buffers of type bfloat16 are not supported");
    expect(() => new hl.Buffer(hl.Handle(), [2])).toThrow("unsupported Buffer element type handle");
    expect(() => new hl.Buffer(hl.Int(32, 4), [2])).toThrow("unsupported Buffer element type int32x4");
    expect(() => new hl.Buffer(hl.Int(32), [2, 3], { storageOrder: [0, 0] })).toThrow(
      "new hl.Buffer: storageOrder must be a permutation of 0..1, got [0, 0]",
    );
    expect(() => new hl.Buffer(hl.Int(32), [2, 3], { storageOrder: [1] })).toThrow("must be a permutation of 0..1");
    expect(() => new hl.Buffer(new Int32Array(4) as unknown as hl.Type, [4])).toThrow(
      "use hl.Buffer.from(array) to wrap a typed array or ndarray",
    );
  });

  it("checks strides and total size for overflow instead of wrapping", () => {
    expect(() => new hl.Buffer(hl.UInt(8), [65536, 65536, 2])).toThrow(
      "new hl.Buffer: the stride of dimension 2 (4294967296) does not fit in int32",
    );
    expect(() => new hl.Buffer(hl.Int(64), [2 ** 31 - 1, 2 ** 31 - 1])).toThrow(
      "new hl.Buffer: the buffer's size (about 3.69e+19 bytes) is too large to allocate",
    );
    expect(() => new hl.Buffer(hl.UInt(8), [2 ** 31 - 1, 2 ** 22])).toThrow("new hl.Buffer: could not allocate");
  });

  it("handles a several-hundred-megabyte buffer with byte offsets beyond 2^28", () => {
    const b = new hl.Buffer(hl.UInt(8), [16384, 20000]); // 312.5 MiB, untouched pages
    expect(b.sizeInBytes()).toBe(16384 * 20000);
    b.set([16383, 19999], 200);
    expect(b.get([16383, 19999])).toBe(200);
    const v = b.cropped([[16000, 384], [19000, 1000]]);
    expect(v.hostByteOffset).toBe(19000 * 16384 + 16000);
    expect(v.get([16383, 19999])).toBe(200);
    expect(v.elementOffset([16383, 19999])).toBe(999 * 16384 + 383);
    const q = hl.Buffer.makeBoundsQuery(hl.Int(32), [65536, 32768]);
    expect(q.sizeInBytes()).toBe(2 ** 33);
  });

  it("makes undefined buffers with new Buffer()", () => {
    const u = new hl.Buffer();
    expect(u.defined()).toBe(false);
    expect(String(u)).toBe("<undefined halide.Buffer>");
    expect(() => u.dim(0)).toThrow("Undefined buffer calling method dim");
    expect(() => u.type).toThrow("Undefined buffer calling method type");
    expect(() => u.get([])).toThrow("Undefined buffer calling method get");
    expect(new hl.Buffer(u).defined()).toBe(false);
  });

  it("new Buffer(other) is a shallow view: same storage, axes, mins and strides", () => {
    const b1 = new hl.Buffer(hl.Int(16), [4, 6, 8], { storageOrder: [1, 0, 2] }).translated([3, -2, 1]);
    b1.set([4, 0, 4], 17);
    const b2 = new hl.Buffer(b1);
    expect(dims(b2)).toEqual(dims(b1));
    expect(b2.storage).toBe(b1.storage);
    expect(b2.hostByteOffset).toBe(b1.hostByteOffset);
    expect(b2.get([4, 0, 4])).toBe(17);
    expect(b2.name).not.toBe(b1.name);
    expect(new hl.Buffer(b1, "view").name).toBe("view");
    b2.crop(0, 4, 2); // its own dims
    expect(b1.dim(0).extent).toBe(4);
    const bq = hl.Buffer.makeBoundsQuery(hl.Int(16), [4, 6]).setMin([2, 3]);
    const bqCopy = new hl.Buffer(bq);
    expect(dims(bqCopy)).toEqual([[2, 4, 1], [3, 6, 4]]);
    expect(bqCopy.storage).toBeUndefined();
    expect(() => new hl.Buffer(b1, 3 as unknown as string)).toThrow("name must be a string");
  });
});

describe("Buffer.from", () => {
  it("reverses axes by default and shares memory (test_ndarray_to_buffer)", () => {
    const a = { data: new Int32Array(200 * 300).fill(1), shape: [200, 300] };
    const b = hl.Buffer.from(a, { name: "float32_test_buffer" });
    expect(b.name).toBe("float32_test_buffer");
    expect(b.type.equals(hl.Int(32))).toBe(true);
    expect(b.allEqual(1)).toBe(true);
    expect(dims(b)).toEqual([[0, 300, 1], [0, 200, 300]]);
    a.data[12 * 300 + 34] = 56;
    expect(b.get([34, 12])).toBe(56);
    b.set([56, 34], 12);
    expect(a.data[34 * 300 + 56]).toBe(12);
    expect(b.storage).toBe(a.data.buffer);
  });

  it("keeps the order with reverseAxes: false", () => {
    const a = { data: new Int32Array(200 * 300), shape: [200, 300] };
    const b = hl.Buffer.from(a, { reverseAxes: false });
    expect(dims(b)).toEqual([[0, 200, 300], [0, 300, 1]]);
    a.data[12 * 300 + 34] = 56;
    expect(b.get([12, 34])).toBe(56);
  });

  it("wraps a bare typed array as 1-D, honouring its byteOffset", () => {
    const ab = new ArrayBuffer(64);
    const t = new Float64Array(ab, 16, 4);
    t[2] = 2.5;
    const b = hl.Buffer.from(t);
    expect(dims(b)).toEqual([[0, 4, 1]]);
    expect(b.hostByteOffset).toBe(16);
    expect(b.get([2])).toBe(2.5);
    expect(b.storage).toBe(ab);
  });

  it("maps every typed array class to its element type", () => {
    const cases: [hl.TypedArray, string][] = [
      [new Int8Array(1), "int8"],
      [new Uint8Array(1), "uint8"],
      [new Uint8ClampedArray(1), "uint8"],
      [new Int16Array(1), "int16"],
      [new Uint16Array(1), "uint16"],
      [new Int32Array(1), "int32"],
      [new Uint32Array(1), "uint32"],
      [new BigInt64Array(1), "int64"],
      [new BigUint64Array(1), "uint64"],
      [new Float16Array(1), "float16"],
      [new Float32Array(1), "float32"],
      [new Float64Array(1), "float64"],
    ];
    for (const [arr, t] of cases) expect(hl.Buffer.from(arr).type.toString()).toBe(t);
  });

  it("accepts negative strides (a reversed view)", () => {
    const data = Int32Array.from([0, 1, 2, 3, 4, 5]);
    const b = hl.Buffer.from({ data, shape: [6], stride: [-1], offset: 5 });
    expect(dims(b)).toEqual([[0, 6, -1]]);
    expect(b.get([0])).toBe(5);
    expect(b.get([5])).toBe(0);
    expect(b.hostByteOffset).toBe(20);
  });

  it("accepts interleaved strides (test_interleaved_ndarray)", () => {
    const [w, h, c] = [7, 13, 3];
    const b = hl.Buffer.from({ data: new Uint8Array(w * h * c), shape: [w, h, c], stride: [c, w * c, 1] });
    expect(dims(b)).toEqual([[0, c, 1], [0, h, w * c], [0, w, c]]);
  });

  it("makes zero-dimensional buffers from shape []", () => {
    const b = hl.Buffer.from({ data: Float32Array.from([1, 2, 3]), shape: [], offset: 2 });
    expect(b.dimensions).toBe(0);
    expect(b.get([])).toBe(3);
  });

  it("rejects what it cannot represent", () => {
    const data = new Int32Array(12);
    expect(() => hl.Buffer.from({ data, shape: [3, 4], stride: [4, 1.5] })).toThrow(
      "hl.Buffer.from: stride[1] = 1.5 is not a whole number of elements",
    );
    expect(() => hl.Buffer.from({ data, shape: [1, 1], stride: [2 ** 31, 1] })).toThrow(
      "Out of range dimensions in buffer conversion: stride[0] = 2147483648 does not fit in int32",
    );
    expect(() => hl.Buffer.from({ data, shape: [2 ** 31, 0] })).toThrow(
      "Out of range dimensions in buffer conversion: shape[0] = 2147483648 > 2^31-1",
    );
    expect(() => hl.Buffer.from({ data, shape: [3, -4] })).toThrow("shape[1] must be a non-negative integer");
    expect(() => hl.Buffer.from({ data, shape: [2, 2 ** 31 - 1, 2] })).toThrow(
      "Out of range dimensions in buffer conversion: the C-order stride of axis 0 (4294967294) does not fit in int32",
    );
    expect(() => hl.Buffer.from({ data, shape: [3, 4], stride: [4] })).toThrow(
      "stride must be an array of 2 element strides",
    );
    expect(() => hl.Buffer.from({ data, shape: [3, 4], offset: 1 })).toThrow(
      "hl.Buffer.from: the array addresses elements 1..12 of its data, which has 12 elements",
    );
    expect(() => hl.Buffer.from({ data, shape: [4], stride: [-1] })).toThrow("addresses elements -3..0");
    expect(() => hl.Buffer.from({ data, shape: [3], offset: -1 })).toThrow("offset must be a non-negative integer");
    expect(() => hl.Buffer.from({ data: [1, 2, 3], shape: [3] } as unknown as hl.NdArrayLike)).toThrow(
      "data must be a typed array (not a DataView or a plain Array)",
    );
    expect(() => hl.Buffer.from(new DataView(new ArrayBuffer(4)) as unknown as hl.TypedArray)).toThrow(
      "data must be a typed array",
    );
    expect(() => hl.Buffer.from(new Int32Array(new SharedArrayBuffer(16)))).toThrow(
      "arrays over a SharedArrayBuffer are not supported",
    );
    expect(() => hl.Buffer.from(new hl.Buffer(hl.UInt(8), [2]) as unknown as hl.TypedArray)).toThrow(
      "use new hl.Buffer(other) for a view of it",
    );
    expect(() => hl.Buffer.from(42 as unknown as hl.TypedArray)).toThrow("expected a typed array or an ndarray-like");
    // A zero-size array addresses nothing, so any offset is fine.
    expect(hl.Buffer.from({ data: new Int32Array(0), shape: [0, 5], offset: 3 }).numberOfElements()).toBe(0);
  });
});

describe("static constructors", () => {
  it("makeScalar (test_scalar_buffers)", () => {
    const b = hl.Buffer.makeScalar(hl.Float(32), "s");
    expect(b.dimensions).toBe(0);
    expect(b.name).toBe("s");
    b.fill(0);
    b.set([], 2.5);
    expect(b.get([])).toBe(2.5);
    b.fill(32);
    expect(b.get([])).toBe(32);
    expect(String(b)).toBe("<halide.Buffer of type float32 shape:[]>");
    expect(b.numberOfElements()).toBe(1);
    expect(b.sizeInBytes()).toBe(4);
  });

  it("makeInterleaved (test_make_interleaved)", () => {
    const [w, h, c] = [7, 13, 3];
    const b = hl.Buffer.makeInterleaved(hl.UInt(8), w, h, c);
    expect(dims(b)).toEqual([[0, w, c], [0, h, w * c], [0, c, 1]]);
    const a = b.asNdArray();
    expect(a.shape).toEqual([c, h, w]);
    expect(a.stride).toEqual([1, w * c, c]);
    expect(a.data).toBeInstanceOf(Uint8Array);
  });

  it("makeBoundsQuery has a shape but no host memory", () => {
    const q = hl.Buffer.makeBoundsQuery(hl.Int(16), [4, 6], "q");
    expect(dims(q)).toEqual([[0, 4, 1], [0, 6, 4]]);
    expect(q.storage).toBeUndefined();
    expect(q.name).toBe("q");
    expect(() => q.get([0, 0])).toThrow("Buffer q: get needs host memory, but this is a bounds-query buffer");
    expect(() => q.asNdArray()).toThrow("Buffer q: asNdArray needs host memory");
    expect(() => q.fill(0)).toThrow("fill needs host memory");
    expect(() => q.copy()).toThrow("copy needs host memory");
    expect(q.cropped(0, 1, 2).setMin([5, 5]).dim(0).min).toBe(5);
  });

  it("makeWithShapeOf keeps type, mins and memory nesting order", () => {
    const src = hl.Buffer.makeInterleaved(hl.UInt(16), 4, 5, 3).translated([10, 20, 0]);
    const dst = hl.Buffer.makeWithShapeOf(src, "dst");
    expect(dims(dst)).toEqual([[10, 4, 3], [20, 5, 12], [0, 3, 1]]);
    expect(dst.type.equals(hl.UInt(16))).toBe(true);
    expect(dst.storage).not.toBe(src.storage);
    expect(dst.name).toBe("dst");
    const cropped = new hl.Buffer(hl.Int(32), [10, 10]).cropped([[2, 3], [4, 5]]);
    expect(dims(hl.Buffer.makeWithShapeOf(cropped))).toEqual([[2, 3, 1], [4, 5, 3]]);
    const empty = hl.Buffer.makeWithShapeOf(new hl.Buffer(hl.Int(8), [0, 5]));
    expect([empty.hostByteOffset, empty.numberOfElements()]).toEqual([0, 0]);
    const fromQuery = hl.Buffer.makeWithShapeOf(hl.Buffer.makeBoundsQuery(hl.Int(8), [2, 3]));
    expect(fromQuery.storage!.byteLength).toBe(6);
    expect(() => hl.Buffer.makeWithShapeOf({} as hl.Buffer)).toThrow("expected an hl.Buffer");
  });
});

describe("shape", () => {
  const b = new hl.Buffer(hl.UInt(8), [4, 3, 2]).translated([10, 20, 30]);

  it("dim(i) gives min, extent, stride, max", () => {
    expect(b.dim(1)).toEqual({ min: 20, extent: 3, stride: 4, max: 22 });
    expect(() => b.dim(3)).toThrow("dim: dimension 3 is out of range (the Buffer is 3-dimensional)");
    expect(() => b.dim(-1)).toThrow("dimension -1 is out of range");
    expect(() => b.dim(0.5)).toThrow("dimension 0.5 is out of range");
  });

  it("width height channels left right top bottom", () => {
    expect([b.width, b.height, b.channels]).toEqual([4, 3, 2]);
    expect([b.left, b.right, b.top, b.bottom]).toEqual([10, 13, 20, 22]);
    const s = hl.Buffer.makeScalar(hl.UInt(8));
    expect([s.width, s.height, s.channels]).toEqual([1, 1, 1]);
    expect(() => s.left).toThrow("dim: dimension 0 is out of range (the Buffer is 0-dimensional)");
    expect(() => new hl.Buffer(hl.UInt(8), [4]).top).toThrow("dimension 1 is out of range");
  });

  it("numberOfElements and sizeInBytes", () => {
    expect(b.numberOfElements()).toBe(24);
    expect(b.sizeInBytes()).toBe(24);
    const i32 = new hl.Buffer(hl.Int(32), [4, 3]);
    expect(i32.cropped(0, 0, 2).sizeInBytes()).toBe(40);
    expect(hl.Buffer.from({ data: new Int16Array(6), shape: [6], stride: [-1], offset: 5 }).sizeInBytes()).toBe(12);
    expect(new hl.Buffer(hl.Int(32), [4, 0]).sizeInBytes()).toBe(0);
    expect(new hl.Buffer(hl.Int(32), [4, 0]).numberOfElements()).toBe(0);
  });

  it("contains", () => {
    expect(b.contains([13, 22, 31])).toBe(true);
    expect(b.contains([14, 22, 31])).toBe(false);
    expect(b.contains([9])).toBe(false);
    expect(b.contains([10])).toBe(true);
    expect(b.contains([])).toBe(true);
    expect(() => b.contains([0, 0, 0, 0])).toThrow("Too many arguments");
  });

  it("toString, also for console.log", () => {
    const inspect = (b as unknown as Record<symbol, () => string>)[Symbol.for("nodejs.util.inspect.custom")];
    expect(inspect.call(b)).toBe(String(b));
    expect(String(new hl.Buffer(hl.Int(32), [128, 256]))).toBe(
      "<halide.Buffer of type int32 shape:[[0,128,1],[0,256,128]]>",
    );
    expect(String(new hl.Buffer(hl.Bool(), [2]).translated([-1]))).toBe(
      "<halide.Buffer of type bool shape:[[-1,2,1]]>",
    );
  });
});

describe("views", () => {
  const iota = (sizes: number[]) => {
    const b = new hl.Buffer(hl.Int(32), sizes);
    const a = new Int32Array(b.storage!);
    a.forEach((_, i) => (a[i] = i));
    return b;
  };

  it("crop / cropped, both forms, sharing storage (test_cropped_buffer)", () => {
    const b = iota([10, 10]);
    const c = b.cropped([[5, 5], [5, 5]]);
    expect(dims(c)).toEqual([[5, 5, 1], [5, 5, 10]]);
    expect(c.storage).toBe(b.storage);
    expect(c.hostByteOffset).toBe((5 * 10 + 5) * 4);
    expect(c.get([7, 6])).toBe(67);
    c.set([7, 6], -1);
    expect(b.get([7, 6])).toBe(-1);
    expect(dims(b)).toEqual([[0, 10, 1], [0, 10, 10]]);
    const c2 = b.cropped(0, 0, 5).cropped(1, 0, 5);
    expect(dims(c2)).toEqual([[0, 5, 1], [0, 5, 10]]);
    expect(b.crop(1, 2, 3)).toBe(b);
    expect(dims(b)).toEqual([[0, 10, 1], [2, 3, 10]]);
    expect(b.get([0, 2])).toBe(20);
    b.crop([[1, 2]]);
    expect(dims(b)).toEqual([[1, 2, 1], [2, 3, 10]]);
    expect(b.cropped(0, 3, 0).numberOfElements()).toBe(0);
  });

  it("crop errors", () => {
    const b = new hl.Buffer(hl.UInt(8), [4, 4], "c");
    expect(() => b.crop(0, 2, 3)).toThrow(
      "Buffer c: cannot crop dimension 0 to [min=2, extent=3]: it covers [min=0, extent=4]",
    );
    expect(() => b.crop(0, -1, 2)).toThrow("cannot crop dimension 0 to [min=-1, extent=2]");
    expect(() => b.crop(1, 0, -1)).toThrow("cannot crop dimension 1 to [min=0, extent=-1]");
    expect(() => b.crop(2, 0, 1)).toThrow("Buffer c: crop: dimension 2 is out of range");
    expect(() => b.crop([[0, 1], [0, 1], [0, 1]])).toThrow(
      "Too many arguments: Buffer c is 2-dimensional but crop got 3 ranges",
    );
    expect(() => b.crop([[0, 1, 2] as unknown as [number, number]])).toThrow("crop expects [min, extent] pairs");
    expect(() => b.cropped(0, 1.5, 1)).toThrow("cannot crop dimension 0 to [min=1.5, extent=1]");
    expect(dims(b)).toEqual([[0, 4, 1], [0, 4, 4]]);
  });

  it("translate / translated (test_translated_buffer)", () => {
    const b = iota([10, 10]);
    const t = b.translated(0, -3).translated(1, 3);
    expect(dims(t)).toEqual([[-3, 10, 1], [3, 10, 10]]);
    expect(t.get([-3, 3])).toBe(0);
    expect(t.get([6, 12])).toBe(99);
    const t2 = b.translated([-3, 3]);
    expect(dims(t2)).toEqual(dims(t));
    expect(b.translate([1])).toBe(b);
    expect(b.translate(1, 2).dim(1).min).toBe(2);
    expect(dims(b)).toEqual([[1, 10, 1], [2, 10, 10]]);
    expect(() => b.translate([1, 1, 1])).toThrow("Too many arguments");
    expect(() => b.translate(0, 0.5)).toThrow("translate: delta for dimension 0 must be an integer, got 0.5");
    expect(() => b.translate(0, 2 ** 31)).toThrow("translate: dimension 0 would span");
    expect(() => b.translated(2, 1)).toThrow("translate: dimension 2 is out of range");
  });

  it("setMin (Too many arguments as Halide)", () => {
    const b = iota([4, 4]);
    expect(b.setMin([-2, 5])).toBe(b);
    expect(dims(b)).toEqual([[-2, 4, 1], [5, 4, 4]]);
    expect(b.get([-2, 5])).toBe(0);
    b.setMin([7]);
    expect(dims(b)).toEqual([[7, 4, 1], [5, 4, 4]]);
    expect(() => b.setMin([0, 0, 0])).toThrow("Too many arguments");
    expect(() => b.setMin([0.5])).toThrow("setMin: min 0 must be an int32, got 0.5");
    expect(() => b.setMin([2 ** 31 - 2])).toThrow("setMin: dimension 0 would span [2147483646, 2147483649]");
  });

  it("slice / sliced, at a position or at the min", () => {
    const b = iota([4, 3, 2]).translated([0, 10, 0]);
    const s = b.sliced(1, 11);
    expect(dims(s)).toEqual([[0, 4, 1], [0, 2, 12]]);
    expect(s.get([2, 1])).toBe(2 + 4 + 12);
    expect(dims(b.sliced(1))).toEqual([[0, 4, 1], [0, 2, 12]]);
    expect(b.sliced(1).get([0, 0])).toBe(0);
    expect(b.slice(2, 1)).toBe(b);
    expect(dims(b)).toEqual([[0, 4, 1], [10, 3, 4]]);
    expect(b.hostByteOffset).toBe(48);
    expect(() => b.slice(1, 13)).toThrow(/cannot slice dimension 1 at 13: it covers \[min=10, extent=3\]/);
    expect(() => b.slice(2)).toThrow("slice: dimension 2 is out of range");
    expect(() => hl.Buffer.makeScalar(hl.Int(8)).slice(0)).toThrow("dimension 0 is out of range");
    expect(() => new hl.Buffer(hl.Int(8), [0]).slice(0)).toThrow("cannot slice dimension 0 at 0");
  });

  it("embed / embedded / addDimension", () => {
    const b = iota([4, 3]);
    const e = b.embedded(1, 17);
    expect(dims(e)).toEqual([[0, 4, 1], [17, 1, 12], [0, 3, 4]]);
    expect(e.get([2, 17, 1])).toBe(b.get([2, 1]));
    expect(dims(b.embedded(0))).toEqual([[0, 1, 12], [0, 4, 1], [0, 3, 4]]);
    expect(dims(b.embedded(2, -1))).toEqual([[0, 4, 1], [0, 3, 4], [-1, 1, 12]]);
    expect(dims(hl.Buffer.makeScalar(hl.Int(8)).embed(0, 3))).toEqual([[3, 1, 1]]);
    expect(b.addDimension()).toBe(b);
    expect(dims(b)).toEqual([[0, 4, 1], [0, 3, 4], [0, 1, 12]]);
    expect(() => b.embed(4)).toThrow("embed: dimension 4 is not in [0, 3]");
    expect(() => b.embed(0, 0.5)).toThrow("embed: pos must be an int32, got 0.5");
    const wide = hl.Buffer.makeBoundsQuery(hl.UInt(8), [65536, 32768]);
    expect(() => wide.embed(0)).toThrow("embed: the new dimension's stride 2147483648 does not fit in int32");
  });

  it("transpose / transposed: swap, and order (old dimension j moves to position order[j])", () => {
    const b = iota([2, 3, 4]);
    const t = b.transposed(0, 1);
    expect(dims(t)).toEqual([[0, 3, 2], [0, 2, 1], [0, 4, 6]]);
    expect(t.get([2, 1, 3])).toBe(b.get([1, 2, 3]));
    const p = b.transposed([2, 0, 1]);
    expect(dims(p)).toEqual([[0, 3, 2], [0, 4, 6], [0, 2, 1]]);
    expect(p.get([2, 3, 1])).toBe(b.get([1, 2, 3]));
    expect(b.transpose([1, 2, 0])).toBe(b);
    expect(dims(b)).toEqual([[0, 4, 6], [0, 2, 1], [0, 3, 2]]);
    expect(() => b.transpose([0, 1])).toThrow("transpose order must be a permutation of 0..2, got [0, 1]");
    expect(() => b.transpose([0, 1, 1])).toThrow("must be a permutation of 0..2");
    expect(() => b.transpose(0, 3)).toThrow("transpose: dimension 3 is out of range");
  });

  it("reverseAxes is a new view with reversed dimensions", () => {
    const b = iota([2, 3, 4]).translated([1, 2, 3]);
    const r = b.reverseAxes();
    expect(dims(r)).toEqual([...dims(b)].reverse());
    expect(r.get([5, 4, 2])).toBe(b.get([2, 4, 5]));
    expect(r.storage).toBe(b.storage);
    expect(dims(b)).toEqual([[1, 2, 1], [2, 3, 2], [3, 4, 6]]);
  });
});

describe("element access", () => {
  it("reads and writes every element type", () => {
    const cases: [hl.Type, hl.ElementValue, hl.ElementValue][] = [
      [hl.Bool(), true, true],
      [hl.Bool(), 1, true],
      [hl.UInt(8), 255, 255],
      [hl.UInt(16), 65535, 65535],
      [hl.UInt(32), 4294967295, 4294967295],
      [hl.UInt(64), 2n ** 64n - 1n, 2n ** 64n - 1n],
      [hl.UInt(64), 5, 5n],
      [hl.Int(8), -128, -128],
      [hl.Int(16), -32768, -32768],
      [hl.Int(32), -(2 ** 31), -(2 ** 31)],
      [hl.Int(32), 7n, 7],
      [hl.Int(64), -(2n ** 63n), -(2n ** 63n)],
      [hl.Int(64), 2 ** 60, 2n ** 60n],
      [hl.Float(16), 0.1, 0.0999755859375],
      [hl.Float(16), 65520, Infinity],
      [hl.Float(32), 0.1, Math.fround(0.1)],
      [hl.Float(64), 0.1, 0.1],
      [hl.Float(64), true, 1],
    ];
    for (const [t, v, want] of cases) {
      const b = new hl.Buffer(t, [3]);
      b.set([1], v);
      expect(b.get([1])).toBe(want);
      expect(b.getByOffset(1)).toBe(want);
    }
    expect(new hl.Buffer(hl.Bool(), [1]).get([0])).toBe(false);
    expect(new hl.Buffer(hl.Int(64), [1]).get([0])).toBe(0n);
  });

  it("rejects values the element type cannot hold", () => {
    const u8 = new hl.Buffer(hl.UInt(8), [2], "u");
    expect(() => u8.set([0], 256)).toThrow("Buffer u: set: the value 256 cannot be stored in an element of type uint8");
    expect(() => u8.set([0], -1)).toThrow("the value -1 cannot be stored");
    expect(() => u8.set([0], 1.5)).toThrow("the value 1.5 cannot be stored");
    expect(() => u8.set([0], 300n)).toThrow("the value 300n cannot be stored");
    expect(() => u8.set([0], "1" as unknown as number)).toThrow('the value "1" cannot be stored');
    expect(() => new hl.Buffer(hl.Bool(), [1]).set([0], 2)).toThrow("cannot be stored in an element of type bool");
    expect(() => new hl.Buffer(hl.Int(64), [1]).set([0], 2n ** 63n)).toThrow("cannot be stored");
    expect(() => new hl.Buffer(hl.Int(64), [1]).set([0], 0.5)).toThrow("cannot be stored");
    expect(() => u8.fill(-3)).toThrow("Buffer u: fill: the value -3 cannot be stored");
    expect(u8.allEqual(0)).toBe(true);
  });

  it("range-checks coordinates with Halide's messages (test_oob)", () => {
    const b = new hl.Buffer(hl.Int(16), [4, 6], "oob");
    const msg = (f: () => unknown) => errorOf(f).message;
    expect(msg(() => b.get([-1, 2]))).toBe("index -1 is out of bounds for axis 0 with min=0, extent=4");
    expect(msg(() => b.get([1, 6]))).toBe("index 6 is out of bounds for axis 1 with min=0, extent=6");
    expect(msg(() => b.set([-1, 2], 42))).toBe("index -1 is out of bounds for axis 0 with min=0, extent=4");
    expect(msg(() => b.set([1, 6], 42))).toBe("index 6 is out of bounds for axis 1 with min=0, extent=6");
    expect(msg(() => b.translated([5, 0]).get([4, 0]))).toBe(
      "index 4 is out of bounds for axis 0 with min=5, extent=4",
    );
    expect(msg(() => b.get([1]))).toBe(
      "Incorrect number of dimensions: Buffer oob is 2-dimensional, so get needs 2 coordinates, but got 1",
    );
    expect(msg(() => b.set([1, 2, 3], 0))).toBe(
      "Incorrect number of dimensions: Buffer oob is 2-dimensional, so set needs 2 coordinates, but got 3",
    );
    expect(msg(() => b.get([0.5, 0]))).toBe("Buffer oob: get: coordinate 0 must be an integer, got 0.5");
    expect(msg(() => b.get([0, NaN]))).toBe("Buffer oob: get: coordinate 1 must be an integer, got NaN");
    expect(msg(() => b.get(3 as unknown as number[]))).toContain("but got 3");
  });

  it("fill and allEqual (test_fill_all_equal), dense and strided", () => {
    const b = new hl.Buffer(hl.Int(32), [3, 4]);
    b.fill(3);
    expect(b.allEqual(3)).toBe(true);
    b.set([1, 2], 4);
    expect(b.allEqual(3)).toBe(false);
    const f = new hl.Buffer(hl.Float(32), [4, 4]).fill(0.1);
    expect(f.allEqual(0.1)).toBe(true); // compared after rounding to float32
    expect(f.fill(NaN).allEqual(NaN)).toBe(false);
    const u64 = new hl.Buffer(hl.UInt(64), [5]).fill(2n ** 64n - 2n);
    expect(u64.allEqual(2n ** 64n - 2n)).toBe(true);
    const h = new hl.Buffer(hl.Float(16), [5]).fill(1 / 3);
    expect(h.allEqual(1 / 3)).toBe(true);
    expect(h.get([4])).toBe(0.333251953125);
    const bools = new hl.Buffer(hl.Bool(), [2, 2]).fill(true);
    expect(bools.allEqual(true)).toBe(true);
    expect(bools.allEqual(1)).toBe(true);
    // A strided view: only its elements change.
    const g = new hl.Buffer(hl.Int(16), [4, 4]);
    g.cropped([[1, 2], [1, 2]]).fill(9);
    expect(Array.from(new Int16Array(g.storage!))).toEqual([0, 0, 0, 0, 0, 9, 9, 0, 0, 9, 9, 0, 0, 0, 0, 0]);
    expect(new hl.Buffer(hl.Int(8), [0]).fill(1).allEqual(2)).toBe(true);
  });

  it("forEachElement visits every coordinate, dim 0 fastest (test_for_each_element)", () => {
    const b = new hl.Buffer(hl.Float(32), [3, 4]).translated([1, -1]);
    const seen: number[][] = [];
    expect(b.forEachElement((c) => seen.push(c))).toBe(b);
    expect(seen.length).toBe(12);
    expect(seen.slice(0, 4)).toEqual([[1, -1], [2, -1], [3, -1], [1, 0]]);
    expect(seen[11]).toEqual([3, 2]);
    b.forEachElement(([x, y]) => b.set([x, y], x + y));
    b.forEachElement(([x, y]) => expect(b.get([x, y])).toBe(x + y));
    const s: number[][] = [];
    hl.Buffer.makeScalar(hl.Int(8)).forEachElement((c) => s.push(c));
    expect(s).toEqual([[]]);
    new hl.Buffer(hl.Int(8), [3, 0]).forEachElement(() => {
      throw new Error("no elements");
    });
    hl.Buffer.makeBoundsQuery(hl.Int(8), [2]).forEachElement((c) => s.push(c));
    expect(s.length).toBe(3);
  });

  it("forEachValue reads every value and stores what fn returns", () => {
    const b = new hl.Buffer(hl.Int(32), [3, 2]);
    b.forEachElement(([x, y]) => b.set([x, y], 10 * y + x));
    const vals: hl.ElementValue[] = [];
    b.forEachValue((v) => {
      vals.push(v);
    });
    expect(vals).toEqual([0, 1, 2, 10, 11, 12]);
    b.forEachValue((v) => (v as number) * 2);
    expect(b.get([2, 1])).toBe(24);
    expect(() => b.forEachValue(() => 0.5)).toThrow("forEachValue: the value 0.5 cannot be stored");
    // Errors from the callback pass through unchanged.
    expect(() =>
      b.forEachValue(() => {
        throw new TypeError("mine");
      })
    ).toThrow(TypeError);
  });

  it("copy() is deep and dense with the same mins and nesting order", () => {
    const b = hl.Buffer.makeInterleaved(hl.UInt(8), 4, 3, 3).translated([5, 6, 0]);
    b.forEachElement(([x, y, c]) => b.set([x, y, c], x + 10 * y + c));
    const v = b.cropped(0, 6, 2);
    const c = v.copy();
    expect(dims(c)).toEqual([[6, 2, 3], [6, 3, 6], [0, 3, 1]]);
    expect(c.storage).not.toBe(b.storage);
    expect(c.storage!.byteLength).toBe(18);
    c.forEachElement((p) => expect(c.get(p)).toBe(b.get(p)));
    c.set([6, 6, 0], 0);
    expect(b.get([6, 6, 0])).toBe(66);
    expect(c.name).not.toBe(v.name);
  });

  it("copyFrom copies the intersection (framebuffer.copyFrom(sprite.translated(...)))", () => {
    const fb = new hl.Buffer(hl.Int(32), [6, 4]).fill(0);
    const sprite = new hl.Buffer(hl.Int(32), [3, 3]).fill(7);
    expect(fb.copyFrom(sprite.translated([4, 2]))).toBe(fb);
    const rows = [0, 1, 2, 3].map((y) => [0, 1, 2, 3, 4, 5].map((x) => fb.get([x, y])));
    expect(rows).toEqual([[0, 0, 0, 0, 0, 0], [0, 0, 0, 0, 0, 0], [0, 0, 0, 0, 7, 7], [0, 0, 0, 0, 7, 7]]);
    fb.copyFrom(sprite.translated([10, 10])); // no overlap: nothing happens
    expect(fb.get([0, 0])).toBe(0);
    // Different layouts (a transposed source).
    const src = new hl.Buffer(hl.Int(32), [4, 6]);
    src.forEachElement(([x, y]) => src.set([x, y], 100 * x + y));
    fb.copyFrom(src.transposed(0, 1));
    fb.forEachElement(([x, y]) => expect(fb.get([x, y])).toBe(100 * y + x));
  });

  it("copyFrom handles overlapping memory as a copy from a snapshot", () => {
    const b = new hl.Buffer(hl.Int(32), [8]);
    b.forEachElement(([x]) => b.set([x], x));
    b.copyFrom(b.translated([1])); // b[x] = old b[x - 1] for x >= 1
    expect(Array.from(new Int32Array(b.storage!))).toEqual([0, 0, 1, 2, 3, 4, 5, 6]);
    const c = new hl.Buffer(hl.Int(16), [6]);
    c.forEachElement(([x]) => c.set([x], x));
    const rev = hl.Buffer.from({ data: new Int16Array(c.storage!), shape: [6], stride: [-1], offset: 5 });
    c.copyFrom(rev); // reverse in place
    expect(Array.from(new Int16Array(c.storage!))).toEqual([5, 4, 3, 2, 1, 0]);
  });

  it("copyFrom errors", () => {
    const a = new hl.Buffer(hl.Int(32), [2], "a");
    expect(() => a.copyFrom(new hl.Buffer(hl.Float(32), [2], "f"))).toThrow(
      "Buffer a: copyFrom: Buffer f has type float32, expected int32",
    );
    expect(() => a.copyFrom(new hl.Buffer(hl.Int(32), [2, 2], "m"))).toThrow(
      "Buffer a: copyFrom: Buffer m is 2-dimensional, expected 1 dimensions",
    );
    expect(() => a.copyFrom(hl.Buffer.makeBoundsQuery(hl.Int(32), [2], "q"))).toThrow(
      "Buffer q: copyFrom needs host memory",
    );
    expect(() => a.copyFrom([1, 2] as unknown as hl.Buffer)).toThrow("copyFrom expects an hl.Buffer");
  });
});

describe("asNdArray", () => {
  it("reverses axes by default and shares storage (test_buffer_to_ndarray / test_numpy_view)", () => {
    const buf = new hl.Buffer(hl.Int(16), [4, 6]);
    buf.set([1, 2], 42);
    const v = buf.asNdArray();
    expect(v.data).toBeInstanceOf(Int16Array);
    expect(v.data.buffer).toBe(buf.storage);
    expect(v.shape).toEqual([6, 4]);
    expect(v.stride).toEqual([4, 1]);
    expect(v.offset).toBe(0);
    expect(v.data[v.offset + 2 * v.stride[0] + 1 * v.stride[1]]).toBe(42);
    const k = buf.asNdArray({ reverseAxes: false });
    expect(k.shape).toEqual([4, 6]);
    expect(k.data[k.offset + 1 * k.stride[0] + 2 * k.stride[1]]).toBe(42);
    v.data[0] = 7;
    expect(buf.get([0, 0])).toBe(7);
  });

  it("drops mins: a cropped buffer's array starts at 0", () => {
    const buf = new hl.Buffer(hl.Int(16), [4, 6]);
    buf.set([1, 2], 3);
    const cropped = buf.cropped(0, 1, 2);
    const v = cropped.asNdArray();
    expect(v.shape).toEqual([6, 2]);
    expect(v.data[v.offset + 2 * v.stride[0] + 0 * v.stride[1]]).toBe(3);
    expect(v.data.byteOffset).toBe(2);
    expect(v.data.length).toBe(22); // exactly the elements the view spans
  });

  it("any storage order, negative strides, zero-size and 0-d buffers", () => {
    const nc = new hl.Buffer(hl.Int(16), [4, 6, 8], { storageOrder: [1, 0, 2] });
    nc.set([1, 2, 3], 99);
    const v = nc.asNdArray();
    expect(v.shape).toEqual([8, 6, 4]);
    expect(v.data[v.offset + 3 * v.stride[0] + 2 * v.stride[1] + 1 * v.stride[2]]).toBe(99);
    const rev = hl.Buffer.from({ data: Float64Array.from([0, 1, 2, 3]), shape: [4], stride: [-1], offset: 3 });
    const r = rev.asNdArray();
    expect(r.stride).toEqual([-1]);
    expect(r.offset).toBe(3);
    expect(r.data[r.offset - 1]).toBe(2);
    const empty = new hl.Buffer(hl.UInt(8), [3, 0]).asNdArray();
    expect(empty.shape).toEqual([0, 3]);
    expect(empty.data.length).toBe(0);
    const s = hl.Buffer.makeScalar(hl.Float(64));
    s.set([], 4.5);
    const sv = s.asNdArray();
    expect(sv.shape).toEqual([]);
    expect(sv.stride).toEqual([]);
    expect(sv.data[sv.offset]).toBe(4.5);
  });

  it("uses the matching typed array class (Bool as Uint8Array, float16 as Float16Array)", () => {
    expect(new hl.Buffer(hl.Bool(), [2]).asNdArray().data).toBeInstanceOf(Uint8Array);
    expect(new hl.Buffer(hl.Float(16), [2]).asNdArray().data).toBeInstanceOf(Float16Array);
    expect(new hl.Buffer(hl.Int(64), [2]).asNdArray().data).toBeInstanceOf(BigInt64Array);
    expect(new hl.Buffer(hl.UInt(32), [2]).asNdArray().data).toBeInstanceOf(Uint32Array);
  });

  it("round-trips through Buffer.from", () => {
    const a = { data: new Uint8Array(24), shape: [2, 3, 4] };
    const v = hl.Buffer.from(a).asNdArray();
    expect(v.shape).toEqual(a.shape);
    expect(v.stride).toEqual([12, 4, 1]);
    expect(v.data.buffer).toBe(a.data.buffer);
    const k = hl.Buffer.from(a, { reverseAxes: false }).asNdArray({ reverseAxes: false });
    expect(k.shape).toEqual(a.shape);
  });
});

describe("runtime accessors", () => {
  it("storage, hostByteOffset and elementOffset describe the halide_buffer_t", () => {
    const b = new hl.Buffer(hl.Int(32), [10, 10]).translated([1, 1]);
    expect(b.elementOffset([1, 1])).toBe(0);
    expect(b.elementOffset([3, 2])).toBe(12);
    const v = b.cropped([[2, 3], [4, 5]]);
    expect(v.storage).toBe(b.storage);
    expect(v.hostByteOffset).toBe((3 * 10 + 1) * 4);
    expect(v.elementOffset([2, 4])).toBe(0);
    v.setByOffset(v.elementOffset([3, 5]), 11);
    expect(b.get([3, 5])).toBe(11);
    expect(v.getByOffset(11)).toBe(11);
    expect(() => v.setByOffset(0, 0.5)).toThrow("setByOffset: the value 0.5 cannot be stored");
    expect(() => v.getByOffset(1000)).toThrow("access outside its ArrayBuffer");
  });

  it("assertHostValid detects detached and shrunk storage", () => {
    const ab = new ArrayBuffer(16, { maxByteLength: 64 });
    const b = hl.Buffer.from(new Int32Array(ab, 0, 4), { name: "user" });
    b.assertHostValid();
    ab.resize(8);
    expect(() => b.assertHostValid()).toThrow(
      "Buffer user: its elements span bytes [0, 16) but its ArrayBuffer has 8 bytes",
    );
    expect(() => b.get([3])).toThrow("Buffer user: access outside its ArrayBuffer");
    const ab2 = new ArrayBuffer(8);
    const c = hl.Buffer.from(new Uint8Array(ab2), { name: "moved" });
    structuredClone(ab2, { transfer: [ab2] });
    expect(() => c.assertHostValid()).toThrow("Buffer moved: its ArrayBuffer has been detached (transferred)");
    expect(() => c.get([0])).toThrow("Buffer moved: access outside its ArrayBuffer");
    expect(() => c.fill(1)).toThrow("Buffer moved: access outside its ArrayBuffer");
    expect(() => hl.Buffer.makeBoundsQuery(hl.Int(8), [1]).assertHostValid()).toThrow("needs host memory");
  });

  it("is an IR image source { name, type, dimensions }", () => {
    const b = new hl.Buffer(hl.UInt(16), [3, 3, 3], "im");
    const src: { readonly name: string; readonly type: hl.Type; readonly dimensions: number } = b;
    expect([src.name, src.type.toString(), src.dimensions]).toEqual(["im", "uint16", 3]);
  });
});
