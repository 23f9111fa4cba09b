// Native math functions (API.md §6) against the reference interpreter, in float16, float32 and float64 where the
// language allows them: every input is compared under the function's exactness rule (transcendentals within a
// few ulps, rounding functions and sqrt exact). The fast approximations and erf are built from ordinary arithmetic,
// so native code must reproduce the interpreter bit for bit on their domain; they are also checked against the
// true function within the tolerance Halide documents for them.
import { describe, expect, it } from "bun:test";
import fc from "fast-check";
import * as hl from "../../mod.ts";
import { check, columns, F16, F32, F64, FLOAT_TYPES, floatArb, fmt, I32, runCase, U8, type Value } from "./harness.ts";

type Unary = (x: hl.ExprLike) => hl.Expr;

/** Random values of `t`: half the time anything (specials included), half the time in the function's domain. */
function domainArb(t: hl.Type, min: number, max: number): fc.Arbitrary<Value> {
  return fc.oneof(floatArb(t), floatArb(t, { min, max }));
}

describe("math functions, native vs interpreter", () => {
  const unary: [string, string, Unary, number, number][] = [
    ["sqrt", "sqrt", hl.sqrt, 0, 1e6],
    ["sin", "sin", hl.sin, -10, 10],
    ["cos", "cos", hl.cos, -10, 10],
    ["tan", "tan", hl.tan, -4, 4],
    ["asin", "asin", hl.asin, -1.1, 1.1],
    ["acos", "acos", hl.acos, -1.1, 1.1],
    ["atan", "atan", hl.atan, -20, 20],
    ["sinh", "sinh", hl.sinh, -12, 12],
    ["cosh", "cosh", hl.cosh, -12, 12],
    ["tanh", "tanh", hl.tanh, -10, 10],
    ["asinh", "asinh", hl.asinh, -100, 100],
    ["acosh", "acosh", hl.acosh, 0.5, 100],
    ["atanh", "atanh", hl.atanh, -1.1, 1.1],
    ["exp", "exp", hl.exp, -20, 12],
    ["log", "log", hl.log, -1, 1000],
    ["floor", "floor", hl.floor, -100, 100],
    ["ceil", "ceil", hl.ceil, -100, 100],
    ["round", "round", hl.round, -100, 100],
    ["trunc", "trunc", hl.trunc, -100, 100],
    ["fract", "Sub", hl.fract, -100, 100],
    ["isNan", "is_nan", hl.isNan, -1, 1],
    ["isInf", "is_inf", hl.isInf, -1, 1],
    ["isFinite", "is_finite", hl.isFinite, -1, 1],
  ];
  for (const [name, root, fn, min, max] of unary) {
    for (const t of FLOAT_TYPES) {
      it(`${name} ${t}`, () => {
        const label = `${name} ${t}`;
        check({
          label,
          op: root,
          inputs: columns(label, [t], { arbs: [domainArb(t, min, max)], n: 300 }),
          build: ([a]) => fn(a),
        });
      });
    }
  }
  for (const t of FLOAT_TYPES) {
    it(`atan2 ${t}`, () => {
      const label = `atan2 ${t} ${t}`;
      check({
        label,
        op: "atan2",
        inputs: columns(label, [t, t], { equalBias: true }),
        build: ([y, x]) => hl.atan2(y, x),
      });
    });
    it(`hypot ${t}`, () => {
      const label = `hypot ${t} ${t}`;
      check({ label, op: "sqrt", inputs: columns(label, [t, t]), build: ([a, b]) => hl.hypot(a, b) });
    });
    it(`pow ${t} (C pow: pow(1, y) = 1, pow(-1, ±inf) = 1, negative base with integral exponent)`, () => {
      const label = `pow ${t} ${t}`;
      const base = fc.oneof(floatArb(t), floatArb(t, { min: -4, max: 30 }));
      const exponent = fc.oneof(floatArb(t), floatArb(t, { min: -6, max: 6 }), fc.integer({ min: -5, max: 5 }));
      check({
        label,
        op: "pow",
        inputs: columns(label, [t, t], { arbs: [base, exponent] }),
        build: ([a, b]) => hl.pow(a, b),
      });
    });
  }
  it("pow with a constant integer exponent multiplies (or divides) in the base's own type", () => {
    for (
      const [t, k, root] of [[I32, 3, "Mul"], [U8, 2, "Mul"], [F32, -2, "Div"], [F64, 4, "Mul"], [F16, 5, "Mul"], [
        I32,
        -1,
        "Div",
      ]] as const
    ) {
      const label = `pow ${t} by the constant ${k}`;
      const o = check({ label, op: root, inputs: columns(label, [t], { n: 80 }), build: ([a]) => hl.pow(a, k) });
      expect(o.resultType.toString()).toBe(t.toString());
    }
  });
  it("integer arguments are converted to float32 first", () => {
    for (
      const [name, fn] of [["sqrt", hl.sqrt], ["sin", hl.sin], ["exp", hl.exp], ["floor", hl.floor], [
        "round",
        hl.round,
      ]] as const
    ) {
      for (const t of [U8, I32]) {
        const label = `${name} ${t}`;
        const o = check({ label, op: name, inputs: columns(label, [t], { n: 80 }), build: ([a]) => fn(a) });
        expect(o.resultType.toString()).toBe("float32");
      }
    }
  });
});

// ---------------------------------------------------------------------------------------------------------------
// erf and the fast approximations

/** erf in double, to about 1e-15: the everywhere-positive series 2/√π·e^{-x²}·Σ 2^n x^{2n+1} / (2n+1)!!. */
function erfReference(x: number): number {
  if (Number.isNaN(x)) return NaN;
  const a = Math.abs(x);
  if (a > 6) return Math.sign(x);
  let term = a, sum = a;
  for (let n = 1; n < 400 && term > sum * 1e-17; n++) {
    term *= (2 * a * a) / (2 * n + 1);
    sum += term;
  }
  return Math.sign(x) * (2 / Math.sqrt(Math.PI)) * Math.exp(-a * a) * sum;
}

/**
 * The largest error of `fn` natively over the inputs, measured as |native - true| / max(|true|, floor): a relative
 * error above `floor` and an absolute one (scaled by 1/floor) below it — floor = 1 gives the absolute error of a
 * function bounded by 1, floor = 2^-126 the relative error of float32 results that are not subnormal.
 */
function maxError(
  fn: (args: hl.Expr[]) => hl.Expr,
  truth: (...v: number[]) => number,
  inputs: { type: hl.Type; values: number[] }[],
  label: string,
  floor: number,
): { err: number; worst: string } {
  const o = runCase({ label, inputs, build: fn });
  let err = 0, worst = "";
  for (let i = 0; i < inputs[0].values.length; i++) {
    const args = inputs.map((c) => c.values[i]);
    const want = truth(...args), got = o.output.get([i]) as number;
    const e = Math.abs(got - want) / Math.max(Math.abs(want), floor);
    if (!(e <= err)) {
      err = e;
      worst = `${label}(${args.map((v) => fmt(F32, v)).join(", ")}) = ${fmt(o.resultType, got)}, true value ${want}`;
    }
  }
  return { err, worst };
}

const f32 = (v: number) => Math.fround(v);
const uniform = (label: string, min: number, max: number, n = 400): number[] =>
  fc.sample(fc.double({ min, max, noNaN: true }).map(f32), { seed: label.length * 7919 + 1, numRuns: n });

describe("erf and the fast approximations, native vs interpreter (bit-exact: plain arithmetic)", () => {
  const cases: [
    string,
    string,
    (a: hl.Expr[]) => hl.Expr,
    fc.Arbitrary<Value>[],
    ((row: readonly Value[]) => boolean)?,
  ][] = [
    ["erf", "Mul", ([a]) => hl.erf(a), [floatArb(F32)]],
    // The range reductions convert floor(x·c) to int32: outside |x| < 2^31/c that is undefined (not compared).
    ["fastSin", "Select", ([a]) => hl.fastSin(a), [domainArb(F32, -100, 100)], ([v]) => !(Math.abs(v as number) < 1e9)],
    ["fastCos", "Select", ([a]) => hl.fastCos(a), [domainArb(F32, -100, 100)], ([v]) => !(Math.abs(v as number) < 1e9)],
    ["fastLog", "Add", ([a]) => hl.fastLog(a), [domainArb(F32, 0, 1e6)]],
    ["fastExp", "Mul", ([a]) => hl.fastExp(a), [domainArb(F32, -87, 88)], ([v]) => !(Math.abs(v as number) < 1e9)],
    [
      "fastPow",
      "Select",
      ([a, b]) => hl.fastPow(a, b),
      [domainArb(F32, 0, 100), domainArb(F32, -5, 5)],
      // log(x)·y beyond ±1e9 makes fast_exp's conversion to int32 undefined.
      ([x, y]) => !(Math.abs(Math.log(Math.abs(x as number)) * (y as number)) < 1e9),
    ],
    ["fastInverse", "fast_inverse", ([a]) => hl.fastInverse(a), [floatArb(F32)]],
    ["fastInverseSqrt", "fast_inverse_sqrt", ([a]) => hl.fastInverseSqrt(a), [domainArb(F32, 0, 1e6)]],
  ];
  for (const [name, root, build, arbs, skipRow] of cases) {
    it(`${name} float32`, () => {
      const label = `${name} float32`;
      const types = arbs.map(() => F32);
      check({ label, op: root, inputs: columns(label, types, { arbs, n: 300 }), build, skipRow });
    });
  }
  it("fastInverse and fastInverseSqrt of float16", () => {
    for (const [name, fn] of [["fastInverse", hl.fastInverse], ["fastInverseSqrt", hl.fastInverseSqrt]] as const) {
      const label = `${name} float16`;
      check({
        label,
        op: name === "fastInverse" ? "fast_inverse" : "fast_inverse_sqrt",
        inputs: columns(label, [F16]),
        build: ([a]) => fn(a),
      });
    }
  });
});

describe("erf and the fast approximations, native vs the true function (Halide's documented accuracy)", () => {
  const minNormal = 2 ** -126;
  it("fastSin and fastCos: absolute error below 1e-5 on [-100, 100]", () => {
    const xs = uniform("fastSinCos", -100, 100);
    const s = maxError(([a]) => hl.fastSin(a), Math.sin, [{ type: F32, values: xs }], "fastSin", 1);
    const c = maxError(([a]) => hl.fastCos(a), Math.cos, [{ type: F32, values: xs }], "fastCos", 1);
    if (!(s.err < 1e-5)) throw new Error(`fastSin absolute error ${s.err}: ${s.worst}`);
    if (!(c.err < 1e-5)) throw new Error(`fastCos absolute error ${c.err}: ${c.worst}`);
  });
  it("fastLog: accurate to the last 5 bits of the mantissa (relative 2^-18), absolute 2^-20 near x = 1", () => {
    const xs = [
      ...uniform("fastLog", 1e-30, 1e30),
      ...uniform("fastLog2", 0.001, 0.9),
      ...uniform("fastLog3", 1.1, 1000),
    ];
    const e = maxError(([a]) => hl.fastLog(a), Math.log, [{ type: F32, values: xs }], "fastLog", minNormal);
    if (!(e.err < 2 ** -18)) throw new Error(`fastLog relative error ${e.err} (> 2^-18): ${e.worst}`);
    // Near x = 1 the result tends to 0 and a relative bound is meaningless; there the absolute error counts.
    const near = maxError(
      ([a]) => hl.fastLog(a),
      Math.log,
      [{ type: F32, values: uniform("fastLog1", 0.9, 1.1) }],
      "fastLog",
      1,
    );
    if (!(near.err < 2 ** -20)) throw new Error(`fastLog absolute error near 1: ${near.err}: ${near.worst}`);
  });
  it("fastExp: relative error 2^-18 on [-40, 40]; worse approaching overflow (2^-17 up to ±87)", () => {
    const typical = maxError(
      ([a]) => hl.fastExp(a),
      Math.exp,
      [{ type: F32, values: uniform("fastExp", -40, 40) }],
      "fastExp",
      minNormal,
    );
    if (!(typical.err < 2 ** -18)) throw new Error(`fastExp relative error ${typical.err} (> 2^-18): ${typical.worst}`);
    const wide = maxError(
      ([a]) => hl.fastExp(a),
      Math.exp,
      [{ type: F32, values: uniform("fastExpWide", -87, 87) }],
      "fastExp",
      minNormal,
    );
    if (!(wide.err < 2 ** -17)) throw new Error(`fastExp relative error ${wide.err} (> 2^-17): ${wide.worst}`);
  });
  it("fastPow: relative error 2^-16 for x in (0, 100], y in [-4, 4] (log and exp errors compound)", () => {
    const xs = uniform("fastPowX", 1e-3, 100), ys = uniform("fastPowY", -4, 4);
    const e = maxError(
      ([a, b]) => hl.fastPow(a, b),
      Math.pow,
      [{ type: F32, values: xs }, { type: F32, values: ys }],
      "fastPow",
      minNormal,
    );
    if (!(e.err < 2 ** -16)) throw new Error(`fastPow relative error ${e.err} (> 2^-16): ${e.worst}`);
  });
  it("fastInverse and fastInverseSqrt: relative error below 2^-10 (the exactness table's rule)", () => {
    const xs = uniform("fastInverse", 1e-6, 1e6);
    const inv = maxError(
      ([a]) => hl.fastInverse(a),
      (v) => 1 / v,
      [{ type: F32, values: xs }],
      "fastInverse",
      minNormal,
    );
    const rsq = maxError(
      ([a]) => hl.fastInverseSqrt(a),
      (v) => 1 / Math.sqrt(v),
      [{ type: F32, values: xs }],
      "fastInverseSqrt",
      minNormal,
    );
    if (!(inv.err < 2 ** -10)) throw new Error(`fastInverse relative error ${inv.err}: ${inv.worst}`);
    if (!(rsq.err < 2 ** -10)) throw new Error(`fastInverseSqrt relative error ${rsq.err}: ${rsq.worst}`);
  });
  it("erf: accurate to the last three bits of the mantissa (relative 2^-20 for normal results)", () => {
    // (Like Halide's halide_erf, the |x| > 1 polynomial overflows to NaN for |x| beyond about 1e7 and at ±inf.)
    const xs = [
      ...uniform("erf", -4, 4),
      ...uniform("erf large", -1e6, 1e6, 100),
      0,
      -0,
      1e-30,
      0.5,
      1,
      -1,
      1.0000001,
      1.001,
      10,
      -1e6,
    ];
    const e = maxError(([a]) => hl.erf(a), erfReference, [{ type: F32, values: xs }], "erf", minNormal);
    if (!(e.err < 2 ** -20)) throw new Error(`erf relative error ${e.err} (> 2^-20): ${e.worst}`);
  });
  it("the reference erf is right (erf(0.5), erf(1), erf(-2) to 1e-15)", () => {
    expect(Math.abs(erfReference(0.5) - 0.5204998778130465)).toBeLessThan(1e-15);
    expect(Math.abs(erfReference(1) - 0.8427007929497149)).toBeLessThan(1e-15);
    expect(Math.abs(erfReference(-2) + 0.9953222650189527)).toBeLessThan(1e-15);
  });
});

describe("math functions reject what the language does not allow", () => {
  it("erf and the fast approximations take float32 only (fastInverse/fastInverseSqrt: float16 too)", () => {
    const a = new hl.Buffer(F64, [1], "a");
    const x = new hl.Var("x");
    expect(() => hl.erf(a.at(x))).toThrow(hl.HalideError);
    expect(() => hl.fastLog(a.at(x))).toThrow(hl.HalideError);
    expect(() => hl.fastExp(a.at(x))).toThrow(hl.HalideError);
    expect(() => hl.fastInverse(a.at(x))).toThrow(hl.HalideError);
    expect(() => hl.isNan(hl.cast(I32, a.at(x)))).toThrow(hl.HalideError);
  });
});
