// Callable (API.md §5 and §4 rules 3–4; Halide's Python PyCallable.cpp, reference §1.16): positional and named
// arguments with Python's error messages, Halide's buffer checks, scalar conversion, hl.Buffer (raw, mins kept)
// versus arrays (axes reversed), the bounds-query protocol, robustness under many failing calls, and Callables
// used concurrently from Workers.
import { describe, expect, it } from "bun:test";
import ndarray from "ndarray";
import * as hl from "../../mod.ts";
import { errorOf, isDeno, Problems, throwsHalide } from "../schedule/helpers.ts";

const x = new hl.Var("x"), y = new hl.Var("y");

/** Python's SimplePy generator: simple_output(x, y) = f32(offset + buffer_input(x, y)) + float_arg. */
function simple(offset = 0) {
  const bufferInput = new hl.ImageParam(hl.UInt(8), 2, "buffer_input");
  const floatArg = new hl.Param(hl.Float(32), "float_arg");
  const out = new hl.Func("simple_output");
  out.at(x, y).set(hl.f32(bufferInput.at(x, y).add(offset)).add(floatArg));
  return { run: out.compileToCallable([bufferInput, floatArg]), bufferInput, floatArg, out };
}

function filled(t: hl.Type, sizes: number[], v: number): hl.Buffer {
  const b = new hl.Buffer(t, sizes);
  b.fill(v);
  return b;
}

describe("Callable: calling conventions (Python's test_simple)", () => {
  const { run } = simple();
  const bIn = filled(hl.UInt(8), [2, 2], 123);
  const bOut = new hl.Buffer(hl.Float(32), [2, 2]);
  const check = (v: number) => {
    expect(bOut.allEqual(v)).toBe(true);
    bOut.fill(0);
  };

  it("arguments: inputs in the given order, then the output named after its Func", () => {
    expect(run.arguments.map((a) => [a.name, a.kind, a.type.toString(), a.dimensions, a.isOutput])).toEqual([
      ["buffer_input", "buffer", "uint8", 2, false],
      ["float_arg", "scalar", "float32", 0, false],
      ["simple_output", "buffer", "float32", 2, true],
    ]);
  });

  it("positional, keyword (natural and other order), positional + keyword", () => {
    run(bIn, 3.5, bOut);
    check(126.5);
    run.call([], { buffer_input: bIn, float_arg: 3.5, simple_output: bOut });
    check(126.5);
    run.call([], { float_arg: 3.5, simple_output: bOut, buffer_input: bIn });
    check(126.5);
    run.call([bIn], { simple_output: bOut, float_arg: 3.5 });
    check(126.5);
    run.call([bIn, 3.5], { simple_output: bOut });
    check(126.5);
    run.call([bIn, 3.5, bOut]);
    check(126.5);
  });

  it("the GeneratorParam-like offset changes the compiled code", () => {
    simple(42).run(bIn, 3.5, bOut);
    check(168.5);
  });

  it("Python's count and name errors, word for word", () => {
    throwsHalide(() => run.call([bIn, 3.5, 4, bOut]), /^Expected at most 3 positional arguments, but saw 4\.$/);
    throwsHalide(() => run(bIn), /^Expected exactly 3 positional arguments, but saw 1\.$/);
    throwsHalide(() => run(bIn, 3.5, bOut, bOut), /^Expected exactly 3 positional arguments, but saw 4\.$/);
    throwsHalide(() => run(), /^Expected exactly 3 positional arguments, but saw 0\.$/);
    throwsHalide(
      () => run.call([], { buffer_input: bIn, float_arg: 3.5, funk_input: bOut }),
      /^Unknown argument 'funk_input' specified via keyword\.$/,
    );
    throwsHalide(
      () => run.call([], { float_arg: 3.5, simple_output: bOut }),
      /^Argument buffer_input was not specified by either positional or keyword argument\.$/,
    );
    throwsHalide(
      () => run.call([bIn], { buffer_input: bIn, float_arg: 3.5, simple_output: bOut }),
      /^Argument buffer_input specified multiple times\.$/,
    );
    throwsHalide(
      () => run.call([bIn, 3.5]),
      /^Argument simple_output was not specified by either positional or keyword argument\.$/,
    );
    expect(bOut.allEqual(0)).toBe(true); // nothing ran
  });

  it("values that can't be converted (positional and named) are HalideErrors naming the argument", () => {
    expect(errorOf(() => run(hl.f32(3.141592), "happy", bOut)).message).toContain("buffer_input");
    expect(errorOf(() => run(bIn, "happy", bOut)).message).toContain("float_arg");
    expect(errorOf(() => run.call([bIn, 3.5], { simple_output: "bogus" })).message).toContain("simple_output");
    expect(errorOf(() => run(bIn, 3.5, undefined)).message).toContain("simple_output");
    expect(errorOf(() => run(bIn, null, bOut)).message).toContain("float_arg");
    expect(errorOf(() => run({ shape: [2, 2] }, 3.5, bOut)).message).toContain("buffer_input");
  });
});

describe("Callable: buffer checks (Halide's messages)", () => {
  const { run } = simple();
  const bIn = filled(hl.UInt(8), [4, 3], 1);
  const bOut = new hl.Buffer(hl.Float(32), [4, 3]);

  it("wrong element types and dimensionalities, input and output", () => {
    throwsHalide(
      () => run(new hl.Buffer(hl.UInt(16), [4, 3]), 1, bOut),
      /^Input buffer buffer_input has type uint8 but type of the buffer passed in is uint16$/,
    );
    throwsHalide(
      () => run(new hl.Buffer(hl.UInt(8), [12]), 1, bOut),
      /^Input buffer buffer_input requires a buffer of exactly 2 dimensions, but the buffer passed in has 1 dimensions$/,
    );
    throwsHalide(
      () => run(bIn, 1, new hl.Buffer(hl.Float(64), [4, 3])),
      /^Output buffer simple_output has type float32 but type of the buffer passed in is float64$/,
    );
    throwsHalide(
      () => run(bIn, 1, new hl.Buffer(hl.Float(32), [4, 3, 1])),
      /^Output buffer simple_output requires a buffer of exactly 2 dimensions, but the buffer passed in has 3 dimensions$/,
    );
  });

  it("an input smaller than the output is Halide's region error; nothing is written", () => {
    const out = new hl.Buffer(hl.Float(32), [5, 3]);
    throwsHalide(
      () => run(bIn, 1, out),
      /^Input buffer buffer_input is accessed at 4, which is beyond the max \(3\) in dimension 0$/,
    );
    expect(out.allEqual(0)).toBe(true);
  });

  it("the default dim(0).stride == 1 applies to inputs and outputs", () => {
    throwsHalide(
      () => run(filled(hl.UInt(8), [3, 4], 1).transposed(0, 1), 1, bOut),
      "Constraint violated: buffer_input.stride.0 (3) == 1 (1)",
    );
    throwsHalide(
      () => run(bIn, 1, new hl.Buffer(hl.Float(32), [3, 4]).transposed(0, 1)),
      /^Constraint violated: simple_output(\$\d+)?\.stride\.0 \(3\) == 1 \(1\)$/,
    );
  });
});

describe("Callable: scalars are checked against and converted to the argument's type", () => {
  it("each scalar type: in-range values pass (bigint or number for 64-bit), others are HalideErrors", () => {
    const cases: [hl.Type, unknown[], unknown[]][] = [
      [hl.UInt(8), [0, 255], [256, -1, 1.5, "1"]],
      [hl.Int(16), [-32768, 42], [70000, 1.5, "happy", null]],
      [hl.Int(32), [-2147483648, 7], [2 ** 31, NaN, undefined]],
      [hl.UInt(32), [4294967295], [-1]],
      [hl.Int(64), [-(2n ** 63n), 5, 2n ** 40n], [2n ** 63n, 0.5]],
      [hl.UInt(64), [2n ** 64n - 1n, 3], [-1n, -1]],
      [hl.Float(32), [1.5, 3, -0.25], ["1.5", {}]],
      [hl.Float(64), [0.1, 1e300], [[1]]],
      [hl.Bool(), [true, false, 0, 1], [2, "true"]],
    ];
    const problems = new Problems();
    for (const [t, good, bad] of cases) {
      const p = new hl.Param(t, "s");
      const f = new hl.Func(`echo_${t}`);
      f.at().set(p);
      const run = f.compileToCallable([p]);
      const out = hl.Buffer.makeScalar(t);
      for (const v of good) {
        problems.check(`${t} accepts ${String(v)}`, () => {
          run(v, out);
          const want = t.isBool()
            ? Boolean(v)
            : t.isFloat()
            ? (t.bits === 32 ? Math.fround(v as number) : v)
            : t.bits === 64
            ? BigInt(v as number | bigint)
            : v;
          expect(out.get([])).toBe(want);
        });
      }
      for (const v of bad) {
        problems.check(`${t} rejects ${typeof v === "bigint" ? `${v}n` : JSON.stringify(v)}`, () => {
          expect(errorOf(() => run(v, out)).message).toContain("s");
        });
      }
    }
    expect(problems.list).toEqual([]);
  });

  it("a Callable's scalar arguments are independent of the Param's own value", () => {
    const p = new hl.Param(hl.Int(32), "indep", 100);
    const f = new hl.Func("indep_f");
    f.at(x).set(x.add(p));
    const run = f.compileToCallable([p]);
    const out = new hl.Buffer(hl.Int(32), [2]);
    run(5, out);
    expect([out.get([0]), out.get([1])]).toEqual([5, 6]);
    expect(p.get()).toBe(100);
    expect(f.realize([1]).get([0])).toBe(100);
  });
});

describe("Callable: hl.Buffer passes raw (mins kept), arrays are reversed (API.md §4 rules 3–4)", () => {
  const im = new hl.ImageParam(hl.Int(32), 2, "img");
  const f = new hl.Func("plus_one");
  f.at(x, y).set(im.at(x, y).add(1000 * 1000).add(x.mul(0)));
  const run = f.compileToCallable([im]);

  it("hl.Buffers with mins: the output region and the input region are in the buffers' coordinates", () => {
    const inBuf = new hl.Buffer(hl.Int(32), [4, 3]);
    inBuf.setMin([10, 20]);
    inBuf.forEachElement(([i, j]) => inBuf.set([i, j], 100 * i + j));
    const out = new hl.Buffer(hl.Int(32), [2, 2]);
    out.setMin([11, 21]);
    run(inBuf, out);
    expect(out.get([11, 21])).toBe(1000000 + 1121);
    expect(out.get([12, 22])).toBe(1000000 + 1222);
    const outside = new hl.Buffer(hl.Int(32), [2, 2]); // min 0: outside the input
    throwsHalide(
      () => run(inBuf, outside),
      /^Input buffer img is accessed at 0, which is before the min \(10\) in dimension 0$/,
    );
  });

  it("ndarrays (C order [rows, cols]) are reversed: a[j][i] is (x = i, y = j); so are ndarray outputs", () => {
    const data = Int32Array.from({ length: 24 }, (_, k) => k);
    const a = ndarray(data, [4, 6]);
    const out = new hl.Buffer(hl.Int(32), [6, 4]);
    run(a, out);
    expect(out.get([5, 0])).toBe(1000000 + a.get(0, 5));
    expect(out.get([0, 1])).toBe(1000000 + a.get(1, 0));
    const outArr = ndarray(new Int32Array(24), [4, 6]);
    run(a, outArr);
    for (let j = 0; j < 4; j++) for (let i = 0; i < 6; i++) expect(outArr.get(j, i)).toBe(1000000 + a.get(j, i));
  });

  it("an ndarray view with min-free offset (a crop) and a transposed (non-contiguous) ndarray", () => {
    const a = ndarray(Int32Array.from({ length: 24 }, (_, k) => k), [4, 6]);
    const crop = a.hi(3, 5).lo(1, 2); // rows 1..2, cols 2..4: shape [2, 3], offset 8
    const out = new hl.Buffer(hl.Int(32), [3, 2]);
    run(crop, out);
    expect(out.get([0, 0])).toBe(1000000 + a.get(1, 2));
    expect(out.get([2, 1])).toBe(1000000 + a.get(2, 4));
    // a.transpose(1, 0) has shape [6, 4] and strides [1, 6]; reversed, Halide's dim 0 has stride 6.
    throwsHalide(
      () => run(a.transpose(1, 0), new hl.Buffer(hl.Int(32), [4, 6])),
      "Constraint violated: img.stride.0 (6) == 1 (1)",
    );
  });

  it("with the stride constraint cleared a transposed ndarray and a reversed (negative stride) one work", () => {
    const im2 = new hl.ImageParam(hl.Int(32), 2, "img2");
    im2.dim(0).setStride(undefined);
    const g = new hl.Func("copy_any");
    g.at(x, y).set(im2.at(x, y));
    const run2 = g.compileToCallable([im2]);
    const a = ndarray(Int32Array.from({ length: 24 }, (_, k) => k), [4, 6]);
    const t = a.transpose(1, 0); // t.get(i, j) = a.get(j, i); as a Halide buffer: (x = j, y = i)
    const out = new hl.Buffer(hl.Int(32), [4, 6]);
    run2(t, out);
    out.forEachElement(([xx, yy]) => expect(out.get([xx, yy])).toBe(t.get(yy, xx)));
    const r = a.step(1, -1); // columns reversed: dim 0 has stride -1
    const out2 = new hl.Buffer(hl.Int(32), [6, 4]);
    run2(r, out2);
    out2.forEachElement(([xx, yy]) => expect(out2.get([xx, yy])).toBe(r.get(yy, xx)));
  });

  it("a bare TypedArray is 1-D", () => {
    const v = new hl.ImageParam(hl.Float(32), 1, "vec");
    const g = new hl.Func("halve");
    g.at(x).set(v.at(x).div(2));
    const run1 = g.compileToCallable([v]);
    const out = new Float32Array(4);
    run1(new Float32Array([2, 4, 6, 8]), out);
    expect(Array.from(out)).toEqual([1, 2, 3, 4]);
    throwsHalide(
      () => run1(new Float64Array(4), out),
      /^Input buffer vec has type float32 but type of the buffer passed in is float64$/,
    );
    throwsHalide(
      () => run1(new Float32Array(3), out),
      /^Input buffer vec is accessed at 3, which is beyond the max \(2\) in dimension 0$/,
    );
  });
});

describe("Callable: bounds queries", () => {
  it("query buffers get the shape they need written back; real buffers are left alone; nothing is computed", () => {
    const im = new hl.ImageParam(hl.UInt(8), 2, "st_in");
    const f = new hl.Func("stencil_out");
    f.at(x, y).set(im.at(x.sub(1), y.add(2)).add(im.at(x.add(1), y)));
    const run = f.compileToCallable([im]);
    const q = hl.Buffer.makeBoundsQuery(hl.UInt(8), [0, 0]);
    const out = new hl.Buffer(hl.UInt(8), [8, 5]);
    out.setMin([3, -1]);
    out.fill(77);
    run(q, out);
    expect([q.dim(0).min, q.dim(0).extent, q.dim(1).min, q.dim(1).extent]).toEqual([2, 10, -1, 7]);
    expect(q.dim(0).stride).toBe(1);
    expect(q.dim(1).stride).toBe(10);
    expect(out.allEqual(77)).toBe(true);
    expect([out.dim(0).min, out.dim(0).extent]).toEqual([3, 8]);
    // now with real memory of that shape the call computes
    const real = new hl.Buffer(hl.UInt(8), [10, 7]);
    real.setMin([2, -1]);
    real.fill(5);
    run(real, out);
    expect(out.allEqual(10)).toBe(true);
  });

  it("an output query gets the constrained output shape (o.dim(0).setBounds(0, 16))", () => {
    const im = new hl.ImageParam(hl.UInt(8), 1, "oq_in");
    const f = new hl.Func("oq_out");
    f.at(x).set(im.at(x));
    f.outputBuffer().dim(0).setBounds(0, 16);
    const run = f.compileToCallable([im]);
    const qIn = hl.Buffer.makeBoundsQuery(hl.UInt(8), [1]);
    const qOut = hl.Buffer.makeBoundsQuery(hl.UInt(8), [5]);
    qOut.setMin([3]);
    run(qIn, qOut);
    expect([qOut.dim(0).min, qOut.dim(0).extent]).toEqual([0, 16]);
    expect([qIn.dim(0).min, qIn.dim(0).extent]).toEqual([0, 16]); // the body sees the constrained output shape
  });

  it("a query in one argument with real buffers elsewhere computes nothing and reports its shape", () => {
    const a = new hl.ImageParam(hl.Float(32), 1, "qa"), b = new hl.ImageParam(hl.Float(32), 1, "qb");
    const f = new hl.Func("two_in");
    f.at(x).set(a.at(x).add(b.at(x.mul(3))));
    const run = f.compileToCallable([a, b]);
    const realA = new hl.Buffer(hl.Float(32), [4]);
    const qb = hl.Buffer.makeBoundsQuery(hl.Float(32), [1]);
    const out = new hl.Buffer(hl.Float(32), [4]);
    out.fill(-1);
    run(realA, qb, out);
    expect([qb.dim(0).min, qb.dim(0).extent]).toEqual([0, 10]);
    expect(out.allEqual(-1)).toBe(true);
  });
});

describe("Callable: argument lists", () => {
  it("unused Params and ImageParams are accepted (and ignored)", () => {
    const used = new hl.Param(hl.Int(32), "used");
    const spare = new hl.Param(hl.Float(64), "spare"), spareImg = new hl.ImageParam(hl.UInt(16), 3, "spare_img");
    const f = new hl.Func("uses_one");
    f.at(x).set(x.mul(used));
    const run = f.compileToCallable([spare, used, spareImg]);
    expect(run.arguments.map((a) => a.name)).toEqual(["spare", "used", "spare_img", "uses_one"]);
    const out = new hl.Buffer(hl.Int(32), [3]);
    run(0.5, 7, new hl.Buffer(hl.UInt(16), [1, 1, 1]), out);
    expect([out.get([0]), out.get([1]), out.get([2])]).toEqual([0, 7, 14]);
    run.call([], { used: 2, uses_one: out, spare: 1, spare_img: new hl.Buffer(hl.UInt(16), [2, 2, 2]) });
    expect(out.get([2])).toBe(4);
  });

  it("a Param or ImageParam the pipeline uses but the list lacks is Halide's error", () => {
    const p = new hl.Param(hl.Float(32), "p");
    const im = new hl.ImageParam(hl.UInt(8), 2, "im");
    const f = new hl.Func("needs_p");
    f.at(x).set(p.add(x));
    throwsHalide(
      () => f.compileToCallable([]),
      /^Generated code refers to parameter p, which was not found in the argument list\./,
    );
    const g = new hl.Func("needs_im");
    g.at(x).set(im.at(x, 0));
    throwsHalide(
      () => g.compileToCallable([p]),
      /^Generated code refers to image parameter im, which was not found in the argument list\./,
    );
    const h = new hl.Func("needs_shape");
    h.at(x).set(im.width.add(x));
    throwsHalide(
      () => h.compileToCallable([]),
      "Generated code refers to image parameter im, which was not found in the argument list.",
    );
  });

  it("the list must hold Params and ImageParams, each once", () => {
    const p = new hl.Param(hl.Int(32), "dup");
    const f = new hl.Func("dup_f");
    f.at(x).set(p);
    expect(() => f.compileToCallable([p, p])).toThrow(hl.HalideError);
    expect(() => f.compileToCallable([p, "q" as unknown as hl.Param])).toThrow(hl.HalideError);
  });

  it("a Tuple-valued Func has one output per value, named <func>.<i>", () => {
    const k = new hl.Param(hl.Float(32), "k");
    const t = new hl.Func("tup");
    t.at(x).set([x, hl.f32(x).mul(k)]);
    const run = t.compileToCallable([k]);
    expect(run.arguments.map((a) => a.name)).toEqual(["k", "tup.0", "tup.1"]);
    const o0 = new hl.Buffer(hl.Int(32), [3]), o1 = new hl.Buffer(hl.Float(32), [3]);
    run(2, o0, o1);
    expect([o0.get([2]), o1.get([2])]).toEqual([2, 4]);
    run.call([0.5], { "tup.1": o1, "tup.0": o0 });
    expect(o1.get([2])).toBe(1);
    throwsHalide(
      () => run(2, o1, o0),
      /^Output buffer tup\.0 has type int32 but type of the buffer passed in is float32$/,
    );
  });

  it("Pipeline.compileToCallable keeps the Pipeline's requirements", () => {
    const n = new hl.Param(hl.Int(32), "n");
    const f = new hl.Func("req_callable");
    f.at(x).set(x.add(n));
    const p = new hl.Pipeline(f);
    p.addRequirement(n.ge(0), "n must not be negative:", n);
    const run = p.compileToCallable([n]);
    const out = new hl.Buffer(hl.Int(32), [2]);
    run(3, out);
    expect(out.get([1])).toBe(4);
    throwsHalide(() => run(-2, out), /^Requirement Failed: \(.*\) n must not be negative: -2$/);
  });

  it("a Callable is a snapshot: rescheduling or redefining the Func later does not change it", () => {
    const f = new hl.Func("snap");
    f.at(x).set(x.mul(2));
    const run = f.compileToCallable([]);
    f.vectorize(x, 4);
    const out = new hl.Buffer(hl.Int(32), [5]);
    run(out);
    expect(out.get([4])).toBe(8);
    expect(f.realize([5]).get([4])).toBe(8);
  });
});

describe("Callable: robustness and cost", () => {
  it("a thousand failing calls (each kind of failure, with its message each time), then a correct one", () => {
    const { run } = simple();
    const bIn = filled(hl.UInt(8), [4, 4], 1);
    const bOut = new hl.Buffer(hl.Float(32), [4, 4]);
    const small = filled(hl.UInt(8), [2, 4], 1);
    const wrongType = new hl.Buffer(hl.Int(8), [4, 4]);
    const failures: [() => unknown, string][] = [
      [() => run(bIn, 1), "Expected exactly 3 positional arguments, but saw 2."],
      [() => run.call([bIn], { nope: 1 }), "Unknown argument 'nope' specified via keyword."],
      [() => run(bIn, "x", bOut), "float_arg"],
      [
        () => run(wrongType, 1, bOut),
        "Input buffer buffer_input has type uint8 but type of the buffer passed in is int8",
      ],
      [
        () => run(small, 1, bOut),
        "Input buffer buffer_input is accessed at 3, which is beyond the max (1) in dimension 0",
      ],
    ];
    let wrong = 0;
    for (let i = 0; i < 1000; i++) {
      const [call, message] = failures[i % failures.length];
      try {
        call();
        wrong++;
      } catch (e) {
        if (!(e instanceof hl.HalideError) || !e.message.includes(message)) wrong++;
      }
    }
    expect(wrong).toBe(0);
    run(bIn, 0.25, bOut);
    expect(bOut.allEqual(1.25)).toBe(true);
  });

  it("per-call overhead (reported, not asserted)", () => {
    const im = new hl.ImageParam(hl.UInt(8), 2, "ovh_in");
    const k = new hl.Param(hl.Int(32), "ovh_k");
    const f = new hl.Func("ovh");
    f.at(x, y).set(im.at(x, y).add(hl.u8(k)));
    const run = f.compileToCallable([im, k]);
    const b = filled(hl.UInt(8), [4, 4], 1), o = new hl.Buffer(hl.UInt(8), [4, 4]);
    const arr = ndarray(new Uint8Array(16), [4, 4]), oArr = ndarray(new Uint8Array(16), [4, 4]);
    const time = (n: number, fn: () => void) => {
      const t0 = performance.now();
      for (let i = 0; i < n; i++) fn();
      return ((performance.now() - t0) * 1000) / n;
    };
    time(200, () => run(b, 1, o)); // warm-up (and the first realize compiles)
    im.set(b);
    k.set(1);
    f.realize(o);
    const raw = time(3000, () => run(b, 1, o));
    const named = time(3000, () => run.call([b], { ovh_k: 1, ovh: o }));
    const arrays = time(3000, () => run(arr, 1, oArr));
    const realize = time(1000, () => {
      im.set(b);
      k.set(1);
      f.realize(o);
    });
    console.log(
      `[${isDeno ? "deno" : "bun"}] Callable per-call overhead (4x4 u8): positional hl.Buffer ${raw.toFixed(1)} µs, ` +
        `named ${named.toFixed(1)} µs, ndarray ${arrays.toFixed(1)} µs; Func.realize into a Buffer ${
          realize.toFixed(1)
        } µs`,
    );
    expect(o.allEqual(2)).toBe(true);
    expect(oArr.data[15]).toBe(1);
  });
});

describe("Callable: concurrent use from Workers", () => {
  it("three Workers each compile a Callable and call it many times concurrently (one of them parallel)", async () => {
    const workers = [0, 1, 2].map(() =>
      new Worker(new URL("./callable_worker_fixture.ts", import.meta.url), isDeno ? { type: "module" } : undefined)
    );
    type Reply = { id: number; bad?: number; calls?: number; microsPerCall?: number; error?: string };
    const calls = 1500;
    let timer: ReturnType<typeof setTimeout> | undefined;
    try {
      const replies = workers.map((w, id) =>
        new Promise<Reply>((resolve, reject) => {
          w.onmessage = (ev: MessageEvent) => {
            if (!ev.data?.ready) resolve(ev.data as Reply);
          };
          w.onerror = (ev: ErrorEvent) => {
            ev.preventDefault?.();
            reject(new Error(`worker ${id}: ${ev.message}`));
          };
          // Posted at once, before the Worker has loaded halide-ts: importing it must not lose the message.
          w.postMessage({ id, calls, parallel: id === 1 });
        })
      );
      // The main thread keeps calling its own Callable while the workers run.
      const im = new hl.ImageParam(hl.Int(32), 1, "main_in");
      const f = new hl.Func("main_thread");
      f.at(x).set(im.at(x).mul(3));
      const run = f.compileToCallable([im]);
      const inBuf = new hl.Buffer(hl.Int(32), [16]);
      inBuf.forEachElement(([i]) => inBuf.set([i], i));
      const out = new hl.Buffer(hl.Int(32), [16]);
      let mainBad = 0;
      const timeout = new Promise<never>((_, reject) => {
        timer = setTimeout(() => reject(new Error("Workers did not answer within 60 s")), 60000);
      });
      const work = Promise.all(replies);
      let done = false;
      work.then(() => (done = true), () => (done = true));
      while (!done) {
        for (let n = 0; n < 50; n++) {
          run(inBuf, out);
          if (out.get([15]) !== 45) mainBad++;
        }
        await Promise.race([new Promise((r) => setTimeout(r, 1)), timeout]);
      }
      const results = await Promise.race([work, timeout]);
      for (const r of results) {
        expect(r.error).toBeUndefined();
        expect(r.bad).toBe(0);
        expect(r.calls).toBe(calls);
      }
      expect(mainBad).toBe(0);
      console.log(
        `[${isDeno ? "deno" : "bun"}] Workers: ${
          results.map((r) => `#${r.id} ${r.microsPerCall!.toFixed(1)} µs/call`).join(", ")
        }`,
      );
    } finally {
      if (timer !== undefined) clearTimeout(timer);
      for (const w of workers) w.terminate();
    }
  }, 90000);
});
