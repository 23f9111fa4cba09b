// Realization: sizes of 0 to 4 dimensions, existing buffers with mins, crops, Tuples, the checks on output and
// input buffers (types, dimensions, strides, bounds), unbounded accesses, and the compiled-pipeline cache.
import { describe, expect, it } from "bun:test";
import * as hl from "../../mod.ts";
import { pipelineOf } from "../../src/lang/pipeline.ts";

const compiledOf = (f: hl.Func) => pipelineOf(f).compiled();
import { errorOf, expectCorrectGuarded, mismatchVsInterpreter, T, throwsHalide, tile, vars } from "./helpers.ts";

const [x, y, z, w] = vars("x", "y", "z", "w");

describe("realize(sizes)", () => {
  it("zero dimensions: realize([]) gives a scalar buffer", () => {
    const f = new hl.Func("zero_d");
    f.at().set(hl.i32(6).mul(7));
    const out = f.realize([]);
    expect(out.dimensions).toBe(0);
    expect(out.get([])).toBe(42);
  });

  it("one to four dimensions, every element, mins 0 and dense strides", () => {
    const all = [x, y, z, w];
    const sizes = [7, 5, 4, 3];
    for (let d = 1; d <= 4; d++) {
      const f = new hl.Func(`dims_${"abcd"[d - 1]}`);
      const args = all.slice(0, d);
      f.at(...args).set(args.reduce((acc: hl.Expr, v, i) => acc.add(v.mul(10 ** i)), hl.i32(1)));
      const out = f.realize(sizes.slice(0, d));
      expect(out.dimensions).toBe(d);
      let stride = 1;
      for (let i = 0; i < d; i++) {
        expect(out.dim(i)).toEqual({ min: 0, extent: sizes[i], stride, max: sizes[i] - 1 });
        stride *= sizes[i];
      }
      let wrong = 0;
      out.forEachElement((c) => {
        if (out.get(c) !== 1 + c.reduce((a, v, i) => a + v * 10 ** i, 0)) wrong++;
      });
      expect(wrong).toBe(0);
    }
  });

  it("the buffer has the Func's type and name", () => {
    const f = new hl.Func("typed_out");
    f.at(x).set(hl.u16(x).mul(3));
    const out = f.realize([10]);
    expect(out.type.toString()).toBe("uint16");
    expect(out.name).toBe("typed_out");
    expect(out.get([9])).toBe(27);
  });

  it("an extent of zero computes nothing and is no error, even with a split the extent is smaller than", () => {
    const f = new hl.Func("empty");
    f.at(x, y).set(x.add(y));
    f.split(x, new hl.Var("xo"), new hl.Var("xi"), 8).vectorize(new hl.Var("xi"));
    const out = f.realize([0, 5]);
    expect(out.dim(0).extent).toBe(0);
    expect(out.numberOfElements()).toBe(0);
  });

  it("the wrong number of sizes is a HalideError naming the Func", () => {
    const f = new hl.Func("two_d");
    f.at(x, y).set(x);
    throwsHalide(() => f.realize([4]), "two_d", "2 dimensions", "1 size");
    throwsHalide(() => f.realize([4, 4, 4]), "two_d");
  });

  it("negative or non-integer sizes are HalideErrors", () => {
    const f = new hl.Func("bad_sizes");
    f.at(x).set(x);
    errorOf(() => f.realize([-1]));
    errorOf(() => f.realize([2.5]));
  });

  it("realizing an undefined Func is a HalideError", () => {
    throwsHalide(() => new hl.Func("never_defined").realize([3]), "undefined Func");
  });
});

describe("realize(dst) into an existing buffer", () => {
  it("honours the buffer's mins: f(x) = x is written at the right coordinates", () => {
    const f = new hl.Func("at_mins");
    f.at(x).set(x);
    const dst = new hl.Buffer(hl.Int(32), [6], "dst").setMin([-3]);
    expect(f.realize(dst)).toBe(dst);
    expect([-3, -2, -1, 0, 1, 2].map((i) => dst.get([i]))).toEqual([-3, -2, -1, 0, 1, 2]);
    const far = new hl.Buffer(hl.Int(32), [4], "far").setMin([1000]);
    f.realize(far);
    expect([1000, 1001, 1002, 1003].map((i) => far.get([i]))).toEqual([1000, 1001, 1002, 1003]);
  });

  it("honours mins in every dimension of a 3-D buffer", () => {
    const f = new hl.Func("at_mins_3d");
    f.at(x, y, z).set(x.add(y.mul(100)).add(z.mul(10000)));
    const dst = new hl.Buffer(hl.Int(32), [3, 4, 2], "dst3").setMin([5, -2, 7]);
    f.realize(dst);
    let wrong = 0;
    dst.forEachElement(([i, j, k]) => {
      if (dst.get([i, j, k]) !== i + 100 * j + 10000 * k) wrong++;
    });
    expect(wrong).toBe(0);
  });

  it("writes only the crop of a larger buffer (the guard band around it is untouched)", () => {
    const f = new hl.Func("into_crop");
    f.at(x, y).set(x.mul(3).sub(y));
    expectCorrectGuarded(f, [[0, 6], [0, 4]]);
    expectCorrectGuarded(f, [[4, 5], [-3, 7]]);
    expectCorrectGuarded(f, [[-10, 1], [2, 1]]);
  });

  it("writes a crop in the middle of a 1-D buffer and nothing else", () => {
    const f = new hl.Func("crop_1d");
    f.at(x).set(x.mul(2));
    const big = new hl.Buffer(hl.Int(32), [12], "big").fill(-1);
    f.realize(big.cropped(0, 4, 5));
    expect(Array.from({ length: 12 }, (_, i) => big.get([i]))).toEqual([-1, -1, -1, -1, 8, 10, 12, 14, 16, -1, -1, -1]);
  });

  it("writes into a view whose rows run backwards (negative stride in dimension 1)", () => {
    const f = new hl.Func("flipped");
    f.at(x, y).set(x.add(y.mul(10)));
    const data = new Int32Array(12);
    // 3 rows of 4: row r of the array is y = 2 - r.
    const dst = hl.Buffer.from({ data, shape: [3, 4], stride: [-4, 1], offset: 8 });
    expect(dst.dim(1).stride).toBe(-4);
    f.realize(dst);
    expect(Array.from(data)).toEqual([20, 21, 22, 23, 10, 11, 12, 13, 0, 1, 2, 3]);
  });

  it("a dst of the wrong type is a HalideError in Halide's words, naming the output", () => {
    const f = new hl.Func("int_func");
    f.at(x).set(x);
    throwsHalide(
      () => f.realize(new hl.Buffer(hl.UInt(8), [4], "bytes_out")),
      /^Output buffer int_func(\$\d+)? has type int32 but type of the buffer passed in is uint8$/,
    );
  });

  it("a dst with the wrong number of dimensions is a HalideError in Halide's words", () => {
    const f = new hl.Func("one_d");
    f.at(x).set(x);
    throwsHalide(
      () => f.realize(new hl.Buffer(hl.Int(32), [4, 4], "square_out")),
      /Output buffer one_d(\$\d+)? requires a buffer of exactly 1 dimensions, but the buffer passed in has 2 dimensions/,
    );
    throwsHalide(() => f.realize(hl.Buffer.makeScalar(hl.Int(32), "scalar_out")), "but the buffer passed in has 0 dimensions");
  });

  it("a bounds-query dst (no host memory) is a HalideError naming the buffer", () => {
    const f = new hl.Func("needs_memory");
    f.at(x).set(x);
    throwsHalide(() => f.realize(hl.Buffer.makeBoundsQuery(hl.Int(32), [4], "query_out")), "query_out");
  });

  it("a dst whose dim(0) stride is not 1 violates Halide's default constraint, and nothing is written", () => {
    const f = new hl.Func("strided_out");
    f.at(x, y).set(x.add(y));
    const storage = new hl.Buffer(hl.Int(32), [4, 5], "storage").fill(-7);
    const transposed = storage.transposed(0, 1); // dim 0 now has stride 4
    expect(transposed.dim(0).stride).toBe(4);
    throwsHalide(() => f.realize(transposed), "Constraint violated: strided_out.stride.0 (4) == 1 (1)");
    expect(storage.allEqual(-7)).toBe(true);
  });

  it("an interleaved dst (dim(0) stride 3) violates the constraint too", () => {
    const f = new hl.Func("rgb_out");
    f.at(x, y, z).set(hl.u8(x.add(z)));
    const rgb = hl.Buffer.makeInterleaved(hl.UInt(8), 4, 4, 3);
    throwsHalide(() => f.realize(rgb), "Constraint violated: rgb_out.stride.0 (3) == 1 (1)");
  });

  it("a schedule realized into a buffer with mins computes exactly the region asked for", () => {
    const f = new hl.Func("scheduled_mins");
    f.at(x, y).set(x.mul(y).add(x));
    const [xo, xi, yo, yi] = vars("xo", "xi", "yo", "yi");
    tile(f)(x, y, xo, yo, xi, yi, 4, 3).vectorize(xi).parallel(yo);
    expectCorrectGuarded(f, [[-9, 13], [5, 7]]);
    expectCorrectGuarded(f, [[100, 4], [-50, 3]]);
  });
});

describe("Tuple Funcs", () => {
  const pair = new hl.Func("pair");
  pair.at(x, y).set([x.add(y), hl.f32(x).div(2)]);

  it("realizeTuple(sizes) gives one buffer per element, each with its own type", () => {
    const [a, b] = pair.realizeTuple([5, 3]);
    expect(a.type.toString()).toBe("int32");
    expect(b.type.toString()).toBe("float32");
    expect([a.width, a.height, b.width, b.height]).toEqual([5, 3, 5, 3]);
    expect(a.get([4, 2])).toBe(6);
    expect(b.get([3, 1])).toBe(1.5);
  });

  it("realize on a Tuple Func is a HalideError pointing at realizeTuple", () => {
    throwsHalide(() => pair.realize([5, 3]), "pair", "realizeTuple");
  });

  it("realizeTuple(dst) fills existing buffers and honours their mins", () => {
    const a = new hl.Buffer(hl.Int(32), [3, 2], "pa").setMin([-1, 10]);
    const b = new hl.Buffer(hl.Float(32), [3, 2], "pb").setMin([-1, 10]);
    const out = pair.realizeTuple([a, b]);
    expect(out[0]).toBe(a);
    expect(out[1]).toBe(b);
    expect([a.get([-1, 10]), a.get([1, 11])]).toEqual([9, 12]);
    expect([b.get([-1, 10]), b.get([1, 11])]).toEqual([-0.5, 0.5]);
  });

  it("a Tuple Func with a schedule computes both elements", () => {
    const t = new hl.Func("pair_scheduled");
    t.at(x, y).set([x.mul(y), hl.u8(x.add(y))]);
    const [xo, xi] = vars("xo", "xi");
    t.split(x, xo, xi, 4, T.GuardWithIf).vectorize(xi).parallel(y);
    const [a, b] = t.realizeTuple([8, 5]);
    let wrong = 0;
    a.forEachElement(([i, j]) => {
      if (a.get([i, j]) !== i * j || b.get([i, j]) !== ((i + j) & 255)) wrong++;
    });
    expect(wrong).toBe(0);
  });

  it("wrong dst buffers for a Tuple Func are HalideErrors", () => {
    const a = new hl.Buffer(hl.Int(32), [3, 2], "ta");
    throwsHalide(() => pair.realizeTuple([a]), "pair", "2 values");
    throwsHalide(
      () => pair.realizeTuple([a, new hl.Buffer(hl.Int(32), [3, 2], "tb_int")]),
      /Output buffer pair(\$\d+)?\.1 has type float32 but type of the buffer passed in is int32/,
    );
    throwsHalide(() => pair.realizeTuple([a, new hl.Buffer(hl.Float(32), [4, 2], "tb_wide")]), "same shape");
  });
});

describe("input buffers", () => {
  const input = new hl.Buffer(hl.UInt(8), [10, 6], "input");
  input.forEachElement(([i, j]) => input.set([i, j], (i * 7 + j * 3) & 255));

  it("reading within the input's bounds works", () => {
    const f = new hl.Func("shifted_read");
    f.at(x, y).set(hl.u16(input.at(x.add(2), y)).add(input.at(x, y.add(1))));
    const out = f.realize([8, 5]);
    let wrong = 0;
    out.forEachElement(([i, j]) => {
      if (out.get([i, j]) !== (input.get([i + 2, j]) as number) + (input.get([i, j + 1]) as number)) wrong++;
    });
    expect(wrong).toBe(0);
  });

  it("an input too small for what is read: Halide's 'beyond the max' message, per dimension", () => {
    const f = new hl.Func("reads_past_end");
    f.at(x, y).set(input.at(x.add(2), y));
    throwsHalide(() => f.realize([10, 6]), "Input buffer input is accessed at 11, which is beyond the max (9) in dimension 0");
    const g = new hl.Func("reads_past_bottom");
    g.at(x, y).set(input.at(x, y.add(3)));
    throwsHalide(() => g.realize([10, 6]), "Input buffer input is accessed at 8, which is beyond the max (5) in dimension 1");
  });

  it("an input read before its min: Halide's 'before the min' message", () => {
    const f = new hl.Func("reads_before_start");
    f.at(x, y).set(input.at(x.sub(1), y));
    throwsHalide(() => f.realize([5, 5]), "Input buffer input is accessed at -1, which is before the min (0) in dimension 0");
  });

  it("the checks follow the output region: the same pipeline works for a smaller output and fails for a shifted one", () => {
    const f = new hl.Func("reads_at_offset");
    f.at(x, y).set(input.at(x.add(2), y));
    expect(f.realize([8, 6]).get([7, 5])).toBe(input.get([9, 5]));
    const dst = new hl.Buffer(hl.UInt(8), [8, 6], "shifted_dst").setMin([1, 0]);
    throwsHalide(() => f.realize(dst), "Input buffer input is accessed at 10, which is beyond the max (9) in dimension 0");
  });

  it("an input with non-zero mins is checked against them", () => {
    const moved = new hl.Buffer(hl.Int(16), [4], "moved").setMin([10]);
    moved.forEachElement(([i]) => moved.set([i], i * 2));
    const f = new hl.Func("reads_moved");
    f.at(x).set(moved.at(x));
    const dst = new hl.Buffer(hl.Int(16), [4], "moved_dst").setMin([10]);
    f.realize(dst);
    expect([10, 11, 12, 13].map((i) => dst.get([i]))).toEqual([20, 22, 24, 26]);
    throwsHalide(() => f.realize([4]), "Input buffer moved is accessed at 0, which is before the min (10) in dimension 0");
  });

  it("an input whose dim(0) stride is not 1 violates the default constraint", () => {
    const base = new hl.Buffer(hl.Float(32), [6, 6], "tin");
    const t = base.transposed(0, 1);
    const f = new hl.Func("reads_transposed");
    f.at(x, y).set(t.at(x, y));
    throwsHalide(() => f.realize([6, 6]), "Constraint violated:", "stride.0 (6) == 1 (1)");
  });

  it("an unclamped data-dependent index is a compile-time HalideError about unbounded access", () => {
    const index = new hl.Buffer(hl.Int(32), [8], "index");
    const data = new hl.Buffer(hl.Float(32), [8], "data");
    const f = new hl.Func("gather");
    f.at(x).set(data.at(index.at(x)));
    throwsHalide(() => f.realize([8]), "data", "unbounded");
    const g = new hl.Func("float_index");
    g.at(x).set(data.at(hl.i32(hl.f32(x).mul(1.5))));
    throwsHalide(() => g.realize([4]), "data", "unbounded");
  });

  it("clamping the data-dependent index makes it legal, and the gather is right", () => {
    const index = new hl.Buffer(hl.Int(32), [8], "index2");
    const data = new hl.Buffer(hl.Float(32), [8], "data2");
    index.forEachElement(([i]) => index.set([i], (i * 5) % 8));
    data.forEachElement(([i]) => data.set([i], i + 0.25));
    const f = new hl.Func("clamped_gather");
    f.at(x).set(data.at(hl.clamp(index.at(x), 0, 7)));
    const out = f.realize([8]);
    expect(Array.from({ length: 8 }, (_, i) => out.get([i]))).toEqual(
      Array.from({ length: 8 }, (_, i) => ((i * 5) % 8) + 0.25),
    );
  });

  it("an 8-bit data-dependent index is bounded by its type: a buffer of 256 is enough, a smaller one is a runtime error", () => {
    const lut = new hl.Buffer(hl.Int(32), [256], "lut");
    lut.forEachElement(([i]) => lut.set([i], 1000 - i));
    const f = new hl.Func("lookup");
    f.at(x).set(lut.at(input.at(x, 0)));
    const out = f.realize([10]);
    expect(out.get([3])).toBe(1000 - (input.get([3, 0]) as number));
    const small = new hl.Buffer(hl.Int(32), [100], "small_lut");
    const g = new hl.Func("small_lookup");
    g.at(x).set(small.at(input.at(x, 0)));
    throwsHalide(() => g.realize([10]), "Input buffer small_lut is accessed at 255, which is beyond the max (99) in dimension 0");
  });
});

describe("the compiled-pipeline cache", () => {
  it("realizing the same Func twice does not recompile", () => {
    const f = new hl.Func("cached");
    f.at(x, y).set(x.mul(y));
    const first = f.realize([16, 16]);
    const jp = compiledOf(f);
    const second = f.realize([16, 16]);
    expect(compiledOf(f)).toBe(jp);
    // Other sizes and other dst buffers use the same compiled code.
    f.realize([3, 40]);
    f.realize(new hl.Buffer(hl.Int(32), [5, 5]).setMin([-2, 7]));
    expect(compiledOf(f)).toBe(jp);
    expect(second.get([15, 15])).toBe(225);
    expect(first.get([3, 5])).toBe(15);
  });

  it("changing the schedule recompiles, and the values stay the same", () => {
    const f = new hl.Func("rescheduled");
    f.at(x, y).set(x.mul(31).bitXor(y.mul(17)));
    const base = f.realize([37, 11]);
    const jp0 = compiledOf(f);
    const [xo, xi, yo, yi] = vars("xo", "xi", "yo", "yi");
    f.split(x, xo, xi, 8).vectorize(xi);
    const jp1 = compiledOf(f);
    expect(jp1).not.toBe(jp0);
    const a = f.realize([37, 11]);
    f.split(y, yo, yi, 2).unroll(yi).parallel(yo);
    const jp2 = compiledOf(f);
    expect(jp2).not.toBe(jp1);
    const b = f.realize([37, 11]);
    expect(compiledOf(f)).toBe(jp2);
    let wrong = 0;
    base.forEachElement((c) => {
      if (a.get(c) !== base.get(c) || b.get(c) !== base.get(c)) wrong++;
    });
    expect(wrong).toBe(0);
  });

  it("a directive that fails validation leaves the schedule (and the compiled code) as it was", () => {
    const f = new hl.Func("kept");
    f.at(x).set(x.add(1));
    f.realize([8]);
    const jp = compiledOf(f);
    errorOf(() => f.split(x, new hl.Var("a"), new hl.Var("a"), 4));
    errorOf(() => f.vectorize(new hl.Var("nowhere")));
    expect(compiledOf(f)).toBe(jp);
    expect(f.splitVars().map((v) => v.name)).toEqual(["x", "__outermost"]);
  });

  it("an input buffer's new contents are used by the cached pipeline", () => {
    const input = new hl.Buffer(hl.Int(32), [4], "mutable_input");
    const f = new hl.Func("reads_mutable");
    f.at(x).set(input.at(x).mul(2));
    input.fill(1);
    expect(f.realize([4]).get([2])).toBe(2);
    const jp = compiledOf(f);
    input.fill(21);
    expect(f.realize([4]).get([2])).toBe(42);
    expect(compiledOf(f)).toBe(jp);
  });

  it("after a failed realize (bounds error) the same compiled pipeline still works", () => {
    const f = new hl.Func("fails_then_works");
    f.at(x).set(x);
    f.split(x, new hl.Var("xo"), new hl.Var("xi"), 8, T.RoundUp);
    throwsHalide(() => f.realize([5]), "Output buffer fails_then_works is accessed at 7, which is beyond the max (4)");
    const jp = compiledOf(f);
    expect(mismatchVsInterpreter(f, [16])).toBe("");
    expect(compiledOf(f)).toBe(jp);
  });
});
