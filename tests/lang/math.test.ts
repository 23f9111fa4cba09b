// The math library of API.md §6: result types (ints become float32, float64/float16 stay), printed IR, the fast
// approximations built from arithmetic, and the error paths.
import { describe, expect, it } from "bun:test";
import * as hl from "../../mod.ts";
import { of, throwsHalide, typeOf, x, y } from "./helpers.ts";

const { Float, Int, UInt, BFloat } = hl;

const unary: [string, (e: hl.ExprLike) => hl.Expr][] = [
  ["sin", hl.sin],
  ["asin", hl.asin],
  ["cos", hl.cos],
  ["acos", hl.acos],
  ["tan", hl.tan],
  ["atan", hl.atan],
  ["sinh", hl.sinh],
  ["asinh", hl.asinh],
  ["cosh", hl.cosh],
  ["acosh", hl.acosh],
  ["tanh", hl.tanh],
  ["atanh", hl.atanh],
  ["sqrt", hl.sqrt],
  ["exp", hl.exp],
  ["log", hl.log],
  ["floor", hl.floor],
  ["ceil", hl.ceil],
  ["trunc", hl.trunc],
];

describe("unary math functions", () => {
  for (const [name, f] of unary) {
    it(name, () => {
      expect(f(x).toString()).toBe(`${name}(float32(x))`);
      expect(typeOf(f(x))).toBe("float32");
      expect(typeOf(f(of(UInt(8))))).toBe("float32");
      expect(typeOf(f(2))).toBe("float32");
      expect(f(hl.f32(x)).toString()).toBe(`${name}(float32(x))`);
      expect(typeOf(f(hl.f64(x)))).toBe("float64");
      expect(f(hl.f64(x)).toString()).toBe(`${name}(float64(x))`);
      expect(typeOf(f(of(Float(16))))).toBe("float16");
      expect(typeOf(f(of(BFloat(16))))).toBe("float32");
      const v = hl.Expr.fromIR({ kind: "Variable", type: Float(64, 4), name: "v" });
      expect(typeOf(f(v))).toBe("float64x4");
    });
  }
});

describe("other math functions", () => {
  it("round is round-half-even; floats keep their type", () => {
    expect(hl.round(x).toString()).toBe("round(float32(x))");
    expect(typeOf(hl.round(hl.f64(x)))).toBe("float64");
    expect(typeOf(hl.round(of(BFloat(16))))).toBe("bfloat16");
  });
  it("fract is x - trunc(x)", () => {
    expect(hl.fract(hl.f32(x)).toString()).toBe("(float32(x) - trunc(float32(x)))");
    expect(typeOf(hl.fract(x))).toBe("float32");
    expect(typeOf(hl.fract(hl.f64(x)))).toBe("float64");
  });
  it("atan2 computes in the type of y", () => {
    expect(hl.atan2(y, x).toString()).toBe("atan2(float32(y), float32(x))");
    expect(hl.atan2(hl.f64(y), x).toString()).toBe("atan2(float64(y), float64(x))");
    expect(typeOf(hl.atan2(y, hl.f64(x)))).toBe("float32");
  });
  it("hypot is sqrt(x*x + y*y)", () => {
    expect(hl.hypot(x, y).toString()).toBe("sqrt(float32(((x*x) + (y*y))))");
    expect(typeOf(hl.hypot(hl.f64(x), y))).toBe("float64");
  });
  it("pow is also a math function", () => {
    expect(typeOf(hl.pow(x, 0.5))).toBe("float32");
    expect(typeOf(hl.pow(hl.f32(x), hl.f32(y)))).toBe("float32");
  });
  it("isNan, isInf, isFinite return bool and need floats", () => {
    expect(hl.isNan(hl.f32(x)).toString()).toBe("is_nan(float32(x))");
    expect(typeOf(hl.isInf(hl.f64(x)))).toBe("bool");
    expect(hl.isFinite(of(BFloat(16))).toString()).toBe("is_finite(float32(bfloat16(x)))");
    throwsHalide(() => hl.isNan(x), "isNan only works for float, but x has type int32.");
    throwsHalide(() => hl.isInf(1), "isInf only works for float");
    throwsHalide(() => hl.isFinite(of(UInt(8))), "isFinite only works for float");
  });
});

describe("fast approximations", () => {
  const f = hl.f32(x);
  it("fastSin/fastCos are float polynomials built from arithmetic", () => {
    for (const g of [hl.fastSin, hl.fastCos]) {
      const e = g(f);
      expect(typeOf(e)).toBe("float32");
      expect(e.node.kind).toBe("Select");
      expect(e.toString()).toContain("floor((float32(x)*0.636620f))");
    }
    expect(typeOf(hl.fastSin(x))).toBe("float32");
  });
  it("fastLog and fastExp need Float(32)", () => {
    expect(typeOf(hl.fastLog(f))).toBe("float32");
    expect(hl.fastLog(f).toString()).toContain("reinterpret<int32>(float32(x))");
    expect(typeOf(hl.fastExp(f))).toBe("float32");
    expect(hl.fastExp(f).toString()).toContain("reinterpret<float32>");
    throwsHalide(() => hl.fastLog(x), "fastLog only works for Float(32), but x has type int32.");
    throwsHalide(() => hl.fastExp(hl.f64(x)), "fastExp only works for Float(32)");
  });
  it("fastPow is exp(log(x)*y), or multiplication for a constant integer exponent", () => {
    const e = hl.fastPow(f, 2.2);
    expect(typeOf(e)).toBe("float32");
    expect(e.toString()).toMatch(/^select\(\(float32\(x\) == 0.000000f\), 0.000000f, /);
    expect(hl.fastPow(f, 2).toString()).toBe("(float32(x)*float32(x))");
    expect(typeOf(hl.fastPow(x, y))).toBe("float32");
  });
  it("fastInverse and fastInverseSqrt take float32 or float16", () => {
    expect(hl.fastInverse(f).toString()).toBe("fast_inverse(float32(x))");
    expect(typeOf(hl.fastInverseSqrt(of(Float(16))))).toBe("float16");
    throwsHalide(() => hl.fastInverse(x), "fastInverse only takes float16 or float32 arguments, but x has type int32.");
    throwsHalide(() => hl.fastInverseSqrt(hl.f64(x)), "fastInverseSqrt only takes float16 or float32 arguments");
  });
  it("erf takes float32 only", () => {
    const e = hl.erf(f);
    expect(typeOf(e)).toBe("float32");
    expect(e.toString()).toMatch(/^\(select\(\(float32\(x\) < 0.000000f\), -1.000000f, 1.000000f\)\*select\(/);
    throwsHalide(() => hl.erf(x), "erf only takes float32 arguments, but x has type int32.");
    throwsHalide(() => hl.erf(hl.f64(x)), "erf only takes float32 arguments");
  });
});

describe("random numbers", () => {
  it("are random intrinsics of float32 / uint32 / int32 before definition", () => {
    expect(typeOf(hl.randomFloat())).toBe("float32");
    expect(typeOf(hl.randomUint())).toBe("uint32");
    expect(typeOf(hl.randomInt())).toBe("int32");
    expect(hl.randomFloat(x).toString()).toMatch(/^random\(x, \d+\)$/);
    expect(hl.randomInt().toString()).toMatch(/^reinterpret<int32>\(random\(\d+\)\)$/);
    expect(typeOf(hl.randomUint(hl.u32(x)))).toBe("uint32");
  });
  it("check the seed type", () => {
    throwsHalide(
      () => hl.randomFloat(hl.u32(x)),
      "The seed passed to randomFloat must have type Int(32), but instead is uint32(x) of type uint32",
    );
    throwsHalide(() => hl.randomUint(hl.f32(x)), "The seed passed to randomUint must have type Int(32) or UInt(32)");
    throwsHalide(() => hl.randomInt(of(Int(16))), "The seed passed to randomInt must have type Int(32) or UInt(32)");
  });
  it("become a hash of the pure variables when a Func is defined", () => {
    const f = new hl.Func("noise");
    f.at(x, y).set(hl.randomFloat());
    const text = f.value().toString();
    expect(text).not.toContain("random(");
    expect(text).toContain("uint32(x)");
    expect(text).toContain("uint32(y)");
    expect(typeOf(f.value())).toBe("float32");
    const g = new hl.Func("bits");
    g.at(x).set([hl.randomInt(), hl.randomUint()]);
    expect(g.types.map(String)).toEqual(["int32", "uint32"]);
    expect(g.values()[0].toString()).not.toContain("random(");
  });
});

describe("Type.max and Type.min", () => {
  it("give the extreme values as Exprs", () => {
    expect(UInt(8).max().toString()).toBe("(uint8)255");
    expect(UInt(8).min().toString()).toBe("(uint8)0");
    expect(Int(8).min().toString()).toBe("(int8)-128");
    expect(Int(32).max().toString()).toBe("2147483647");
    expect(UInt(64).max().toString()).toBe("(uint64)18446744073709551615");
    expect(Float(32).max().toString()).toBe("inff");
    expect(Float(64).min().toString()).toBe("-inf");
    expect(hl.Bool().max().toString()).toBe("true");
    expect(typeOf(Int(16, 4).max())).toBe("int16x4");
    throwsHalide(() => hl.Handle().max(), "Type handle has no maximum value.");
  });
});

describe("erf at the extremes", () => {
  it("is ±1 for huge and infinite arguments (Halide's polynomial would give NaN)", () => {
    expect(hl.evaluate(hl.erf(hl.f32(1e9)))).toBe(1);
    expect(hl.evaluate(hl.erf(hl.f32(-Infinity)))).toBe(-1);
    expect(hl.evaluate(hl.erf(hl.f32(Infinity)))).toBe(1);
    expect(Math.abs((hl.evaluate(hl.erf(hl.f32(0.5))) as number) - 0.5204998778)).toBeLessThan(1e-6);
  });
});
