// Param and ImageParam (API.md §5; Halide's Python PyParam.cpp / PyImageParam.cpp, reference §1.8–§1.9): every
// scalar type through a compiled pipeline, value checks, ranges ("Parameter p is 5 but must be at most 3"),
// estimates; ImageParam binding, shape Exprs used by the algorithm, constraints ("Constraint violated: …") and the
// input region checks ("Input buffer input is accessed at 5, which is beyond the max (4) in dimension 0").
import { describe, expect, it } from "bun:test";
import * as hl from "../../mod.ts";
import { pipelineOf } from "../../src/lang/pipeline.ts";
import { errorOf, Problems, throwsHalide } from "../schedule/helpers.ts";

const x = new hl.Var("x"), y = new hl.Var("y"), c = new hl.Var("c");
const compiledOf = (f: hl.Func) => pipelineOf(f).compiled();

type Value = number | bigint | boolean;

/** The values of a 1-D buffer. */
function values(b: hl.Buffer): Value[] {
  return Array.from({ length: b.dim(0).extent }, (_, i) => b.get([b.dim(0).min + i]) as Value);
}

/** A 2-D Int32 buffer with `b(x, y) = 100 * x + y` over the given region. */
function ramp2(extents: [number, number], mins: [number, number] = [0, 0], name?: string): hl.Buffer {
  const b = new hl.Buffer(hl.Int(32), extents, name);
  b.setMin(mins);
  b.forEachElement(([i, j]) => b.set([i, j], 100 * i + j));
  return b;
}

/** Halide's `p + cast(t, x)` for x = 0, 1, 2: wrapping for integers, rounding to the type for floats. */
function expectedSum(t: hl.Type, v: Value): Value[] {
  return [0, 1, 2].map((i) => {
    if (t.isBool()) return i === 1 ? !v : v;
    if (t.isFloat()) {
      const s = (v as number) + i;
      return t.bits === 32 ? Math.fround(s) : t.bits === 16 ? f16Round(s) : s;
    }
    const wide = BigInt(v as number | bigint) + BigInt(i);
    const r = t.isUInt() ? BigInt.asUintN(t.bits, wide) : BigInt.asIntN(t.bits, wide);
    return t.bits === 64 ? r : Number(r);
  });
}

/** Rounds to the nearest float16 (ties to even); enough for the magnitudes used here (normal numbers). */
function f16Round(v: number): number {
  if (v === 0 || !Number.isFinite(v)) return v;
  const e = Math.floor(Math.log2(Math.abs(v)));
  const ulp = 2 ** (e - 10);
  const q = v / ulp, r = Math.round(q);
  const even = Math.abs(q - Math.trunc(q)) === 0.5 ? 2 * Math.round(q / 2) : r;
  return even * ulp;
}

/** Every scalar type a Param can hold, with values that exercise its extremes (wrapping, rounding). */
const SCALARS: [hl.Type, Value[]][] = [
  [hl.UInt(8), [0, 200, 255]],
  [hl.UInt(16), [65535, 1234]],
  [hl.UInt(32), [4294967295, 3000000000]],
  [hl.UInt(64), [2n ** 64n - 1n, 0n, 7]],
  [hl.Int(8), [-128, 127, -1]],
  [hl.Int(16), [-32768, 32767]],
  [hl.Int(32), [-2147483648, 2147483647, 5]],
  [hl.Int(64), [-(2n ** 63n), 2n ** 63n - 1n, -5]],
  [hl.Float(16), [0.5, -1024, 2048]],
  [hl.Float(32), [1.5, -3.25, 16777216, 0.1]],
  [hl.Float(64), [0.1, 1e300, -2.5]],
  [hl.Bool(), [true, false]],
];

/** What get() returns after set(v). */
function stored(t: hl.Type, v: Value): Value {
  if (t.isBool()) return v;
  if (t.isFloat()) return t.bits === 32 ? Math.fround(v as number) : t.bits === 16 ? f16Round(v as number) : v;
  return t.bits === 64 ? BigInt(v as number | bigint) : v;
}

describe("Param: every scalar type round-trips through a compiled pipeline", () => {
  it("f(x) = p + x (Bool: p, !p, p) for each type and value; changing the value never recompiles", () => {
    const problems = new Problems();
    for (const [t, vals] of SCALARS) {
      problems.check(t.toString(), () => {
        const p = new hl.Param(t, `p_${t}`, vals[0]);
        expect(p.type.equals(t)).toBe(true);
        const f = new hl.Func(`sum_${t}`);
        f.at(x).set(t.isBool() ? hl.select(x.eq(1), hl.logicalNot(p), p) : p.add(hl.cast(t, x)));
        expect(f.type.equals(t)).toBe(true);
        const code = compiledOf(f);
        for (const v of vals) {
          p.set(v);
          expect(p.get()).toStrictEqual(stored(t, v));
          expect(values(f.realize([3]))).toStrictEqual(expectedSum(t, v));
          expect(compiledOf(f)).toBe(code);
        }
      });
    }
    expect(problems.list).toEqual([]);
  });

  it("the initial value is 0 (0n for 64-bit integers, false for Bool) and the constructor's value is stored", () => {
    expect(new hl.Param(hl.Int(32), "zero").get()).toBe(0);
    expect(new hl.Param(hl.Float(32), "zerof").get()).toBe(0);
    expect(new hl.Param(hl.Int(64), "zero64").get()).toBe(0n);
    expect(new hl.Param(hl.UInt(64), "zerou64").get()).toBe(0n);
    expect(new hl.Param(hl.Bool(), "zerob").get()).toBe(false);
    expect(new hl.Param(hl.UInt(8), "v", 42).get()).toBe(42);
    expect(new hl.Param(hl.Float(64), "v64", 0.1).get()).toBe(0.1);
    expect(new hl.Param(hl.Float(32), "v32", 0.1).get()).toBe(Math.fround(0.1));
  });

  it("64-bit integers: bigint in and out, numbers accepted when exact; values beyond 2^53 are exact", () => {
    const p = new hl.Param(hl.Int(64), "big");
    p.set(5);
    expect(p.get()).toBe(5n);
    p.set(2 ** 60);
    expect(p.get()).toBe(2n ** 60n);
    const f = new hl.Func("big_f");
    f.at(x).set(p.mul(3).add(x));
    p.set(2n ** 61n + 1n);
    expect(values(f.realize([2]))).toEqual([3n * (2n ** 61n + 1n), 3n * (2n ** 61n + 1n) + 1n]);
    const u = new hl.Param(hl.UInt(64), "bigu", 2n ** 64n - 2n);
    const g = new hl.Func("bigu_f");
    g.at(x).set(u.add(hl.u64(x)));
    expect(values(g.realize([3]))).toEqual([2n ** 64n - 2n, 2n ** 64n - 1n, 0n]);
  });

  it("bool Params accept booleans and 0/1", () => {
    const b = new hl.Param(hl.Bool(), "flag");
    b.set(1);
    expect(b.get()).toBe(true);
    b.set(0);
    expect(b.get()).toBe(false);
    b.set(true);
    expect(b.get()).toBe(true);
  });

  it("values the type cannot hold are HalideErrors naming the Param, and the old value is kept", () => {
    const cases: [hl.Type, unknown][] = [
      [hl.UInt(8), 300],
      [hl.UInt(8), -1],
      [hl.UInt(8), 2.5],
      [hl.Int(8), 128],
      [hl.Int(16), -32769],
      [hl.Int(32), 1.5],
      [hl.Int(32), 2 ** 31],
      [hl.Int(32), NaN],
      [hl.Int(32), Infinity],
      [hl.UInt(32), -1],
      [hl.Int(64), 2n ** 63n],
      [hl.UInt(64), -1n],
      [hl.UInt(64), 2n ** 64n],
      [hl.Bool(), 2],
      [hl.Int(32), "5"],
      [hl.Float(32), "1.5"],
      [hl.Float(32), undefined],
      [hl.Int(32), null],
      [hl.Int(32), { value: 1 }],
      [hl.Int(32), [1]],
    ];
    const problems = new Problems();
    for (const [t, v] of cases) {
      problems.check(`${t} ${typeof v === "bigint" ? `${v}n` : JSON.stringify(v) ?? String(v)}`, () => {
        const p = new hl.Param(t, "level", t.isBool() ? true : t.bits === 64 ? 9n : 9);
        const before = p.get();
        const e = errorOf(() => p.set(v as hl.Scalar));
        expect(e.message).toContain("level");
        expect(p.get()).toStrictEqual(before);
      });
    }
    expect(problems.list).toEqual([]);
  });

  it("a bad initial value in the constructor is a HalideError too", () => {
    expect(errorOf(() => new hl.Param(hl.UInt(8), "init", 256)).message).toContain("init");
  });

  it("constructor checks: empty name, vector type; names are unique when omitted", () => {
    expect(() => new hl.Param(hl.Int(32), "")).toThrow(hl.HalideError);
    expect(() => new hl.Param(hl.Int(32, 4), "vec")).toThrow(hl.HalideError);
    const a = new hl.Param(hl.Int(32)), b = new hl.Param(hl.Int(32));
    expect(a.name).not.toBe(b.name);
    expect(a.name.length).toBeGreaterThan(0);
  });

  it("prints as Python's repr and is usable as an Expr with Halide's literal typing", () => {
    const p = new hl.Param(hl.UInt(16), "gain");
    expect(p.toString()).toBe("<halide.Param 'gain' type uint16>");
    expect(p.add(2).type.toString()).toBe("uint16");
    expect(hl.add(2, p).type.toString()).toBe("uint16");
    expect(p.mul(hl.f32(0.5)).type.toString()).toBe("float32");
    expect(new hl.Expr(p).type.toString()).toBe("uint16");
    expect(p.lt(3).type.toString()).toBe("bool");
    p.set(7);
    expect(hl.evaluate(p.mul(6))).toBe(42);
  });

  it("two Params with the same value type in one pipeline stay distinct", () => {
    const a = new hl.Param(hl.Int(32), "a", 3), b = new hl.Param(hl.Int(32), "b", 40);
    const f = new hl.Func("two_params");
    f.at(x).set(a.mul(x).add(b));
    expect(values(f.realize([3]))).toEqual([40, 43, 46]);
    a.set(-1);
    b.set(0);
    expect(values(f.realize([3]))).toEqual([0, -1, -2]);
  });
});

describe("Param ranges and estimates", () => {
  it("setRange violations are run-time HalideErrors in Halide's words; in range runs", () => {
    const p = new hl.Param(hl.Int(32), "p", 5);
    p.setRange(0, 3);
    const f = new hl.Func("ranged");
    f.at(x).set(p.add(x));
    throwsHalide(() => f.realize([2]), /^Parameter p is 5 but must be at most 3/);
    p.set(-1);
    throwsHalide(() => f.realize([2]), /^Parameter p is -1 but must be at least 0/);
    const code = compiledOf(f);
    p.set(3);
    expect(values(f.realize([2]))).toEqual([3, 4]);
    p.set(0);
    expect(values(f.realize([2]))).toEqual([0, 1]);
    expect(compiledOf(f)).toBe(code);
  });

  it("setMinValue / setMaxValue separately; undefined clears; changing the range recompiles", () => {
    const p = new hl.Param(hl.Int(32), "lim", -3);
    const f = new hl.Func("limited");
    f.at(x).set(p.add(x));
    const before = compiledOf(f);
    p.setMinValue(0);
    throwsHalide(() => f.realize([2]), /^Parameter lim is -3 but must be at least 0/);
    expect(compiledOf(f)).not.toBe(before);
    p.setMinValue(undefined);
    expect(values(f.realize([2]))).toEqual([-3, -2]);
    p.setMaxValue(-4);
    throwsHalide(() => f.realize([2]), /^Parameter lim is -3 but must be at most -4/);
    p.setMaxValue(undefined);
    expect(p.minValue()).toBeUndefined();
    expect(p.maxValue()).toBeUndefined();
    expect(values(f.realize([2]))).toEqual([-3, -2]);
  });

  it("range getters are Exprs of the Param's type", () => {
    const p = new hl.Param(hl.UInt(8), "r8");
    p.setRange(10, 20);
    expect(p.minValue()!.type.toString()).toBe("uint8");
    expect(hl.evaluate(p.minValue()!)).toBe(10);
    expect(hl.evaluate(p.maxValue()!)).toBe(20);
  });

  it("ranges of other types: float32, float64, int64, uint64, int8, uint8 (Halide's messages)", () => {
    const cases: [hl.Type, Value, number, number, RegExp][] = [
      // Halide prints float limits with %e ("5.500000e+00"): only the shape of the message is checked here.
      [hl.Float(32), 5.5, 0, 3, /^Parameter pf is 5\.5\S* but must be at most 3(\.0+)?\S*$/],
      [hl.Float(64), -0.25, 0, 3, /^Parameter pf is -(0\.25|2\.50*e-01)\S* but must be at least 0\S*$/],
      [hl.Int(64), 10n ** 15n, 0, 1000, /^Parameter pf is 1000000000000000 but must be at most 1000/],
      [hl.UInt(64), 2n ** 63n, 0, 1000, /^Parameter pf is 9223372036854775808 but must be at most 1000/],
      [hl.Int(8), -5, -3, 3, /^Parameter pf is -5 but must be at least -3/],
      [hl.UInt(8), 200, 0, 100, /^Parameter pf is 200 but must be at most 100/],
    ];
    const problems = new Problems();
    for (const [t, v, lo, hi, msg] of cases) {
      problems.check(t.toString(), () => {
        const p = new hl.Param(t, "pf", v);
        p.setRange(lo, hi);
        const f = new hl.Func(`ranged_${t}`);
        f.at(x).set(hl.f64(p).add(x));
        throwsHalide(() => f.realize([1]), msg);
      });
    }
    expect(problems.list).toEqual([]);
  });

  it("a range may depend on another Param", () => {
    const lo = new hl.Param(hl.Int(32), "lo", 0);
    const q = new hl.Param(hl.Int(32), "q", 2);
    q.setRange(lo, 10);
    const f = new hl.Func("dep_range");
    f.at(x).set(q.add(x));
    expect(values(f.realize([2]))).toEqual([2, 3]);
    lo.set(5);
    throwsHalide(() => f.realize([2]), /^Parameter q is 2 but must be at least 5/);
  });

  it("estimates are stored as Exprs of the Param's type (not checked)", () => {
    const p = new hl.Param(hl.Float(32), "est", 100);
    expect(p.estimate()).toBeUndefined();
    p.setEstimate(3);
    expect(p.estimate()!.type.toString()).toBe("float32");
    expect(hl.evaluate(p.estimate()!)).toBe(3);
    const f = new hl.Func("est_f");
    f.at(x).set(p.add(hl.f32(x)));
    expect(values(f.realize([2]))).toEqual([100, 101]);
  });
});

describe("ImageParam: binding", () => {
  it("shape, name and Python's repr", () => {
    const im = new hl.ImageParam(hl.UInt(16), 2, "input");
    expect(im.toString()).toBe("<halide.ImageParam 'input', dims: 2, type: uint16>");
    expect(im.name).toBe("input");
    expect(im.dimensions).toBe(2);
    expect(im.type.toString()).toBe("uint16");
    expect(im.get()).toBeUndefined();
    expect(() => im.dim(2)).toThrow(hl.HalideError);
    expect(() => im.dim(-1)).toThrow(hl.HalideError);
    expect(() => new hl.ImageParam(hl.UInt(8), -1, "neg")).toThrow(hl.HalideError);
    expect(() => new hl.ImageParam(hl.UInt(8), 1.5, "frac")).toThrow(hl.HalideError);
    const auto1 = new hl.ImageParam(hl.UInt(8), 1), auto2 = new hl.ImageParam(hl.UInt(8), 1);
    expect(auto1.name).not.toBe(auto2.name);
  });

  it("set/get/reset; a Buffer of the wrong type or dimensionality, or a non-Buffer, is a HalideError", () => {
    const im = new hl.ImageParam(hl.Int(32), 2, "img");
    const b = new hl.Buffer(hl.Int(32), [3, 2]);
    expect(im.set(b)).toBe(im);
    expect(im.get()).toBe(b);
    expect(errorOf(() => im.set(new hl.Buffer(hl.UInt(8), [3, 2]))).message).toContain("img");
    expect(errorOf(() => im.set(new hl.Buffer(hl.Int(32), [3]))).message).toContain("img");
    expect(errorOf(() => im.set(new hl.Buffer(hl.Int(32), [3, 2, 1]))).message).toContain("img");
    expect(errorOf(() => im.set(new Int32Array(6) as unknown as hl.Buffer)).message).toContain("img");
    expect(im.get()).toBe(b); // a failed set keeps the binding
    im.reset();
    expect(im.get()).toBeUndefined();
  });

  it("realizing with an unbound ImageParam is a HalideError naming it", () => {
    const im = new hl.ImageParam(hl.UInt(8), 1, "unbound_in");
    const f = new hl.Func("reads_unbound");
    f.at(x).set(im.at(x));
    expect(errorOf(() => f.realize([4])).message).toContain("unbound_in");
    const b = new hl.Buffer(hl.UInt(8), [4]);
    b.fill(9);
    im.set(b);
    expect(values(f.realize([4]))).toEqual([9, 9, 9, 9]);
    im.reset();
    expect(errorOf(() => f.realize([4])).message).toContain("unbound_in");
  });

  it("binding another Buffer (other size, other mins) does not recompile", () => {
    const im = new hl.ImageParam(hl.Int(32), 2, "rebind");
    const f = new hl.Func("rebind_f");
    f.at(x, y).set(im.at(x, y).add(1));
    im.set(ramp2([4, 4]));
    expect(f.realize([2, 2]).get([1, 1])).toBe(102);
    const code = compiledOf(f);
    im.set(ramp2([8, 3], [-2, 5]));
    const out = new hl.Buffer(hl.Int(32), [8, 3]);
    out.setMin([-2, 5]);
    f.realize(out);
    expect(out.get([-2, 5])).toBe(-200 + 5 + 1);
    expect(out.get([5, 7])).toBe(500 + 7 + 1);
    expect(compiledOf(f)).toBe(code);
  });

  it("a zero-dimensional ImageParam", () => {
    const im = new hl.ImageParam(hl.UInt(16), 0, "scalar_in");
    const f = new hl.Func("scalar_f");
    f.at().set(im.at().mul(2));
    const s = hl.Buffer.makeScalar(hl.UInt(16));
    s.set([], 300);
    im.set(s);
    expect(f.realize([]).get([])).toBe(600);
  });

  it("a 3-D ImageParam read across dimensions (transpose plus channel arithmetic)", () => {
    const im = new hl.ImageParam(hl.UInt(8), 3, "rgb");
    const f = new hl.Func("swap_xy");
    f.at(x, y, c).set(im.at(y, x, hl.sub(2, c)));
    const b = new hl.Buffer(hl.UInt(8), [4, 3, 3]);
    b.forEachElement(([i, j, k]) => b.set([i, j, k], i * 50 + j * 10 + k));
    im.set(b);
    const out = f.realize([3, 4, 3]);
    out.forEachElement(([i, j, k]) => expect(out.get([i, j, k])).toBe(b.get([j, i, 2 - k])));
  });
});

describe("ImageParam: shape Exprs in the algorithm", () => {
  it("f(x) = im(im.width - 1 - x) reverses the input; accessing past it is Halide's region error", () => {
    const im = new hl.ImageParam(hl.UInt(8), 1, "input");
    const f = new hl.Func("reverse");
    f.at(x).set(im.at(im.width.sub(1).sub(x)));
    const b = new hl.Buffer(hl.UInt(8), [5]);
    b.forEachElement(([i]) => b.set([i], i * 10));
    im.set(b);
    expect(values(f.realize([5]))).toEqual([40, 30, 20, 10, 0]);
    throwsHalide(
      () => f.realize([6]),
      /^Input buffer input is accessed at -1, which is before the min \(0\) in dimension 0/,
    );
    const g = new hl.Func("shift");
    g.at(x).set(im.at(x.add(1)));
    throwsHalide(
      () => g.realize([5]),
      /^Input buffer input is accessed at 5, which is beyond the max \(4\) in dimension 0/,
    );
  });

  it("region errors in dimension 1, and before the min of a buffer with non-zero mins", () => {
    const im = new hl.ImageParam(hl.Int(32), 2, "input");
    im.set(ramp2([4, 3], [2, 10]));
    const f = new hl.Func("plain");
    f.at(x, y).set(im.at(x, y));
    const out = new hl.Buffer(hl.Int(32), [4, 4]);
    out.setMin([2, 10]);
    throwsHalide(
      () => f.realize(out),
      /^Input buffer input is accessed at 13, which is beyond the max \(12\) in dimension 1/,
    );
    out.setMin([1, 10]);
    throwsHalide(
      () => f.realize(out),
      /^Input buffer input is accessed at 1, which is before the min \(2\) in dimension 0/,
    );
  });

  it("left/right/top/bottom/width/height/channels follow the bound buffer's mins and extents", () => {
    const im = new hl.ImageParam(hl.Int(32), 3, "geom");
    const g = new hl.Func("geom_f");
    g.at(x).set(
      hl.mux(x, [
        im.left,
        im.right,
        im.top,
        im.bottom,
        im.width,
        im.height,
        im.channels,
        im.dim(2).min(),
        im.dim(2).max(),
      ]),
    );
    const b = new hl.Buffer(hl.Int(32), [5, 4, 3]);
    b.setMin([-2, 7, 1]);
    im.set(b);
    expect(values(g.realize([9]))).toEqual([-2, 2, 7, 10, 5, 4, 3, 1, 3]);
    expect(im.width.toString()).toBe("geom.extent.0");
    expect(im.left.toString()).toBe("geom.min.0");
    expect(im.dim(1).stride().toString()).toBe("geom.stride.1");
  });

  it("strides as Exprs: a dense buffer and a transposed view (stride constraint cleared)", () => {
    const im = new hl.ImageParam(hl.Int(32), 2, "strided");
    im.dim(0).setStride(undefined);
    const f = new hl.Func("strides");
    f.at(x).set(hl.mux(x, [im.dim(0).stride(), im.dim(1).stride()]));
    const b = new hl.Buffer(hl.Int(32), [6, 4]);
    im.set(b);
    expect(values(f.realize([2]))).toEqual([1, 6]);
    im.set(b.transposed(0, 1));
    expect(values(f.realize([2]))).toEqual([6, 1]);
  });

  it("an ImageParam used only through its shape is still a pipeline input (it must be bound)", () => {
    const im = new hl.ImageParam(hl.Float(32), 2, "shape_only");
    const f = new hl.Func("area");
    f.at().set(im.width.mul(im.height));
    expect(errorOf(() => f.realize([])).message).toContain("shape_only");
    im.set(new hl.Buffer(hl.Float(32), [6, 7]));
    expect(f.realize([]).get([])).toBe(42);
  });
});

describe("ImageParam: constraints", () => {
  it("the default dim(0).stride == 1 rejects a transposed buffer; clearing it allows one (correct values)", () => {
    const im = new hl.ImageParam(hl.Int(32), 2, "im");
    const f = new hl.Func("double_it");
    f.at(x, y).set(im.at(x, y).mul(2));
    const t = ramp2([4, 3]).transposed(0, 1); // shape [3, 4], strides [4, 1]
    im.set(t);
    throwsHalide(() => f.realize([3, 4]), /^Constraint violated: im\.stride\.0 \(4\) == 1 \(1\)/);
    const before = compiledOf(f);
    im.dim(0).setStride(undefined);
    const out = f.realize([3, 4]);
    expect(compiledOf(f)).not.toBe(before);
    out.forEachElement(([i, j]) => expect(out.get([i, j])).toBe(2 * (t.get([i, j]) as number)));
    im.dim(0).setStride(1);
    throwsHalide(() => f.realize([3, 4]), "Constraint violated: im.stride.0 (4) == 1 (1)");
  });

  it("a dense (untransposed) buffer with a stride-2 view of dimension 0 needs the constraint cleared", () => {
    const im = new hl.ImageParam(hl.Int(32), 1, "every_other");
    const f = new hl.Func("every_other_f");
    f.at(x).set(im.at(x));
    const data = Int32Array.from({ length: 8 }, (_, i) => i * i);
    const view = hl.Buffer.from({ data, shape: [4], stride: [2] });
    im.set(view);
    throwsHalide(() => f.realize([4]), "Constraint violated: every_other.stride.0 (2) == 1 (1)");
    im.dim(0).setStride(undefined);
    expect(values(f.realize([4]))).toEqual([0, 4, 16, 36]);
  });

  it("setMin, setExtent and setBounds (constants and Exprs of other dimensions)", () => {
    const im = new hl.ImageParam(hl.Int(32), 2, "cons");
    const f = new hl.Func("cons_f");
    f.at(x, y).set(im.at(x, y));
    im.dim(0).setMin(0);
    im.dim(1).setExtent(4);
    im.set(ramp2([3, 4]));
    expect(f.realize([3, 4]).get([2, 3])).toBe(203);
    im.set(ramp2([3, 4], [1, 0]));
    throwsHalide(() => f.realize([2, 4]), /^Constraint violated: cons\.min\.0 \(1\) == 0 \(0\)/);
    im.set(ramp2([3, 3]));
    throwsHalide(() => f.realize([3, 3]), /^Constraint violated: cons\.extent\.1 \(3\) == 4 \(4\)/);
    im.dim(0).setMin(undefined);
    im.dim(1).setBounds(0, im.dim(0).extent().add(1));
    throwsHalide(
      () => f.realize([3, 3]),
      /^Constraint violated: cons\.extent\.1 \(3\) == \(cons\.extent\.0 \+ 1\) \(4\)/,
    );
    im.set(ramp2([3, 4]));
    expect(f.realize([3, 4]).get([1, 2])).toBe(102);
    im.set(ramp2([3, 4], [0, 1]));
    throwsHalide(() => f.realize([3, 4]), /^Constraint violated: cons\.min\.1 \(1\) == 0 \(0\)/);
    im.dim(1).setBounds(undefined, undefined);
    const out = new hl.Buffer(hl.Int(32), [3, 4]);
    out.setMin([0, 1]);
    f.realize(out);
    expect(out.get([2, 4])).toBe(204);
  });

  it("a stride constraint on dimension 1 (rows packed): a cropped view is rejected", () => {
    const im = new hl.ImageParam(hl.Int(32), 2, "packed");
    im.dim(1).setStride(im.dim(0).extent());
    const f = new hl.Func("packed_f");
    f.at(x, y).set(im.at(x, y));
    im.set(ramp2([10, 3]));
    expect(f.realize([10, 3]).get([9, 2])).toBe(902);
    im.set(ramp2([10, 3]).cropped([[0, 5], [0, 3]]));
    throwsHalide(() => f.realize([5, 3]), /^Constraint violated: packed\.stride\.1 \(10\) == packed\.extent\.0 \(5\)/);
  });

  it("constant constraints are usable by the compiled code (a vectorized loop over a fixed width)", () => {
    const im = new hl.ImageParam(hl.Float(32), 1, "fixed");
    im.dim(0).setBounds(0, 16);
    const f = new hl.Func("fixed_f");
    f.at(x).set(im.at(x).mul(0.5));
    f.vectorize(x, 8);
    const b = new hl.Buffer(hl.Float(32), [16]);
    b.forEachElement(([i]) => b.set([i], i));
    im.set(b);
    expect(values(f.realize([16]))).toEqual(Array.from({ length: 16 }, (_, i) => i / 2));
    im.set(new hl.Buffer(hl.Float(32), [17]));
    throwsHalide(() => f.realize([16]), /^Constraint violated: fixed\.extent\.0 \(17\) == 16 \(16\)/);
  });

  it("constraint setters reject non-integer Exprs", () => {
    const im = new hl.ImageParam(hl.UInt(8), 1, "typed_cons");
    expect(() => im.dim(0).setMin(hl.f32(1.5))).toThrow(hl.HalideError);
    expect(() => im.dim(0).setExtent(hl.i64(3))).toThrow(hl.HalideError);
  });

  it("estimates are stored per dimension (setEstimate, setEstimates) and are not constraints", () => {
    const im = new hl.ImageParam(hl.UInt(8), 2, "est_in");
    expect(im.dim(0).estimate()).toBeUndefined();
    im.dim(0).setEstimate(0, 1536);
    expect(hl.evaluate(im.dim(0).estimate()!.extent)).toBe(1536);
    im.setEstimates([[1, 640], [2, 480]]);
    expect(hl.evaluate(im.dim(0).estimate()!.min)).toBe(1);
    expect(hl.evaluate(im.dim(1).estimate()!.extent)).toBe(480);
    expect(() => im.setEstimates([[0, 1]])).toThrow(hl.HalideError);
    const f = new hl.Func("est_user");
    f.at(x, y).set(im.at(x, y));
    const b = new hl.Buffer(hl.UInt(8), [3, 3]);
    b.fill(7);
    im.set(b);
    expect(f.realize([3, 3]).get([2, 2])).toBe(7);
    im.dim(0).setEstimate(undefined, undefined);
    expect(im.dim(0).estimate()).toBeUndefined();
  });
});
