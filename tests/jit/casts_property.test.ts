// Native conversions against the reference interpreter: `cast` and `saturatingCast` between every pair of the
// twelve supported types (bool, [u]int8..64, float16/32/64), `reinterpret` between every pair of equal width
// (bit-exact against the input's bit pattern), the concise casts, bfloat16's clean rejection, and constant folding
// of casts in the language layer (which must give what the same cast computes at run time).
import { describe, expect, it } from "bun:test";
import fc from "fast-check";
import * as hl from "../../mod.ts";
import { evalExpr } from "../../src/interp/eval.ts";
import { castValue, evalIntrinsic } from "../../src/interp/scalar.ts";
import {
  ALL_TYPES,
  BOOL,
  check,
  columns,
  edgeValues,
  F16,
  F32,
  F64,
  fmt,
  I16,
  I32,
  I64,
  I8,
  intValue,
  opName,
  rawBits,
  sample,
  seedOf,
  U16,
  U32,
  U64,
  U8,
  type Value,
  valueArb,
} from "./harness.ts";

/** Values straddling the rounding points of `t`'s conversion to a float with `p` significant bits. */
function tieArb(t: hl.Type): fc.Arbitrary<Value> {
  if (!t.isIntOrUInt() || t.bits < 16) return valueArb(t);
  const precisions = [11, 24, 53].filter((p) => p < t.bits);
  if (!precisions.length) return valueArb(t);
  return fc.tuple(fc.constantFrom(...precisions), fc.nat(), fc.nat(), fc.constantFrom(-1n, 0n, 1n), fc.boolean()).map(
    ([p, kr, r, d, neg]) => {
      const top = t.bits - (t.isInt() ? 2 : 1);
      const k = p + (kr % Math.max(1, top - p + 1));
      const step = 1n << BigInt(k - p + 1);
      const base = (1n << BigInt(k)) + BigInt(r % 2 ** Math.min(30, p - 1)) * step;
      let v = base + step / 2n + d;
      if (neg && t.isInt()) v = -v;
      return intValue(t, v < t.minInt() ? t.minInt() : v > t.maxInt() ? t.maxInt() : v);
    },
  );
}

/** Float values near the rounding points of narrower float types, and near the integer types' ranges. */
function floatSourceArb(from: hl.Type, to: hl.Type): fc.Arbitrary<Value> {
  const mids = fc.tuple(fc.integer({ min: 0, max: 0x7bff }), fc.constantFrom(-1, 0, 1), fc.boolean()).map(
    ([bits, d, neg]) => {
      // The midpoint between the float16 with these bits and the next one, nudged by a relative 2^-30.
      const lo = decodeF16(bits), hi = decodeF16(bits + 1);
      const mid = (lo + hi) / 2 * (1 + d * 2 ** -30);
      return neg ? -mid : mid;
    },
  );
  const ranges = fc.tuple(fc.constantFrom(8, 16, 31, 32, 63, 64), fc.double({ min: -1.01, max: 1.01, noNaN: true }))
    .map(
      ([b, f]) => f * 2 ** b,
    );
  // Midpoints between adjacent float32 values, nudged by a relative 2^-40 (exact in float64).
  const mids32 = fc.tuple(fc.integer({ min: 0, max: 0x7f7ffffe }), fc.constantFrom(-1, 0, 1), fc.boolean()).map(
    ([bits, d, neg]) => {
      const view = new DataView(new ArrayBuffer(4));
      view.setUint32(0, bits);
      const lo = view.getFloat32(0);
      view.setUint32(0, bits + 1);
      const mid = (lo + view.getFloat32(0)) / 2 * (1 + d * 2 ** -40);
      return neg ? -mid : mid;
    },
  );
  const arbs: fc.Arbitrary<Value>[] = [valueArb(from), ranges];
  if (to.isFloat() && to.bits < from.bits) arbs.push(to.bits === 16 ? mids : mids32);
  return fc.oneof(...arbs);
}

function decodeF16(bits: number): number {
  const e = (bits >> 10) & 0x1f, m = bits & 0x3ff;
  return e === 0 ? m * 2 ** -24 : (1 + m / 1024) * 2 ** (e - 15);
}

/** The source column for a conversion from `from` to `to`. */
function sourceArb(from: hl.Type, to: hl.Type): fc.Arbitrary<Value> {
  if (from.isFloat()) return floatSourceArb(from, to);
  if (to.isFloat()) return fc.oneof(valueArb(from), tieArb(from));
  return valueArb(from);
}

describe("cast between every pair of types", () => {
  for (const from of ALL_TYPES) {
    for (const to of ALL_TYPES) {
      if (from.equals(to)) continue;
      it(`cast ${from} → ${to}`, () => {
        const label = `cast ${from} ${to}`;
        check({
          label,
          op: "Cast",
          inputs: columns(label, [from], { arbs: [sourceArb(from, to)], n: 300 }),
          build: ([a]) => hl.cast(to, a),
        });
      });
    }
  }
});

describe("saturatingCast between every pair of types", () => {
  for (const from of ALL_TYPES) {
    for (const to of ALL_TYPES) {
      it(`saturatingCast ${from} → ${to}`, () => {
        const label = `saturatingCast ${from} ${to}`;
        check({
          label,
          op: "saturating_cast",
          inputs: columns(label, [from], { arbs: [sourceArb(from, to)], n: 300 }),
          build: ([a]) => hl.saturatingCast(to, a),
        });
      });
    }
  }
  it("the concise casts are casts (u8, i16, f32, …) and saturating casts (u8Sat, i32Sat, …)", () => {
    const concise: [string, (e: hl.ExprLike) => hl.Expr, hl.Type, string][] = [
      ["u8", hl.u8, U8, "Cast"],
      ["u16", hl.u16, U16, "Cast"],
      ["u32", hl.u32, U32, "Cast"],
      ["u64", hl.u64, U64, "Cast"],
      ["i8", hl.i8, I8, "Cast"],
      ["i16", hl.i16, I16, "Cast"],
      ["i32", hl.i32, I32, "Cast"],
      ["i64", hl.i64, I64, "Cast"],
      ["f32", hl.f32, F32, "Cast"],
      ["f64", hl.f64, F64, "Cast"],
      ["u8Sat", hl.u8Sat, U8, "saturating_cast"],
      ["u16Sat", hl.u16Sat, U16, "saturating_cast"],
      ["u32Sat", hl.u32Sat, U32, "saturating_cast"],
      ["u64Sat", hl.u64Sat, U64, "saturating_cast"],
      ["i8Sat", hl.i8Sat, I8, "saturating_cast"],
      ["i16Sat", hl.i16Sat, I16, "saturating_cast"],
      ["i32Sat", hl.i32Sat, I32, "saturating_cast"],
      ["i64Sat", hl.i64Sat, I64, "saturating_cast"],
    ];
    for (const [name, fn, to, root] of concise) {
      const from = to.isFloat() ? I32 : F32;
      const label = `${name} from ${from}`;
      const o = check({
        label,
        op: root,
        inputs: columns(label, [from], { arbs: [sourceArb(from, to)], n: 100 }),
        build: ([a]) => fn(a),
      });
      expect(o.resultType.toString()).toBe(to.toString());
    }
  });
});

/** Pairs of distinct types of equal width (bool has no partner). */
const sameWidth = ALL_TYPES.flatMap((a) =>
  ALL_TYPES.filter((b) => !a.equals(b) && a.bits === b.bits && a.bits > 1).map((b) => [a, b] as const)
);

describe("reinterpret between types of equal width", () => {
  for (const [from, to] of sameWidth) {
    it(`reinterpret ${from} → ${to}: the bits are unchanged (NaN payloads included)`, () => {
      const label = `reinterpret ${from} ${to}`;
      // Edge values, then random bit patterns written directly into the buffer's memory (so floats include NaNs
      // with payloads and either sign, and subnormals; `Buffer.set` would canonicalize NaNs).
      const edges = edgeValues(from);
      const patterns = sample(fc.bigInt({ min: 0n, max: (1n << BigInt(from.bits)) - 1n }), 300, seedOf(label));
      const n = edges.length + patterns.length, bytes = from.bytes();
      const src = new hl.Buffer(from, [n], "src");
      edges.forEach((v, i) => src.set([i], v));
      const dv = new DataView(src.storage!, src.hostByteOffset);
      patterns.forEach((p, k) => {
        for (let j = 0; j < bytes; j++) {
          dv.setUint8((edges.length + k) * bytes + j, Number((p >> BigInt(8 * j)) & 0xffn));
        }
      });
      const x = new hl.Var("x"), f = new hl.Func(`reinterpret_${from}_${to}`);
      f.at(x).set(hl.reinterpret(to, src.at(x)));
      expect(opName(f.value().toIR())).toBe("Reinterpret");
      const out = f.realize([n]);
      const bad: string[] = [];
      for (let i = 0; i < n; i++) {
        const inBits = rawBits(src, i), outBits = rawBits(out, i);
        if (inBits !== outBits) {
          bad.push(`x=${i}: ${from} bits 0x${inBits.toString(16)} → ${to} bits 0x${outBits.toString(16)}`);
        }
        // The interpreter agrees wherever no NaN is involved (it does not represent NaN payloads).
        const v = src.get([i]) as Value, got = out.get([i]) as Value;
        const nan = (u: Value) => typeof u === "number" && Number.isNaN(u);
        if (nan(v) || nan(got)) continue;
        const want = evalExpr(f.value().toIR(), { x: i });
        if (!Object.is(want, got)) {
          bad.push(`x=${i}: ${fmt(from, v)} → interpreter ${fmt(to, want)}, native ${fmt(to, got)}`);
        }
      }
      if (bad.length) throw new Error(`${label}: ${bad.length} mismatches\n  ${bad.slice(0, 6).join("\n  ")}`);
    });
  }
});

describe("bfloat16", () => {
  it("is rejected by the code generator with a clean HalideError, and the next pipeline still compiles", () => {
    const a = new hl.Buffer(F32, [4], "a").fill(1.5);
    const x = new hl.Var("x");
    const f = new hl.Func("to_bfloat");
    f.at(x).set(hl.cast(F32, hl.cast(hl.BFloat(16), a.at(x))));
    let err: unknown;
    try {
      f.realize([4]);
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(hl.HalideError);
    expect((err as Error).message).toMatch(/bfloat16/);
    const g = new hl.Func("after_bfloat");
    g.at(x).set(a.at(x).mul(2));
    expect(g.realize([4]).get([3])).toBe(3);
  });
  it("cannot be the element type of a Buffer (HalideError)", () => {
    expect(() => new hl.Buffer(hl.BFloat(16), [4])).toThrow(hl.HalideError);
  });
});

describe("constant folding of casts agrees with the run-time cast", () => {
  // The language layer folds `cast(t, constant)` to a constant. Whatever it folds to must be the value the same
  // cast computes at run time (the interpreter's castValue, which native code matches on defined inputs).
  /** The folded casts of constants of type `from` to each of `targets` that differ from the run-time cast. */
  function foldingMismatches(from: hl.Type, targets: readonly hl.Type[]): string[] {
    const values = sample(sourceArb(from, F32), 200, seedOf(`fold ${from}`)).concat(edgeValues(from));
    const bad: string[] = [];
    for (const to of targets) {
      for (const v of values) {
        const c = hl.cast(from, v); // a constant of type `from`
        const k = evalExpr(c.toIR());
        const folded = hl.cast(to, c).toIR();
        if (folded.kind !== "IntImm" && folded.kind !== "FloatImm") continue; // left to run time
        const got = evalExpr(folded), want = castValue(to, from, k);
        const same = Object.is(got, want) || (got === 0 && want === 0) ||
          (typeof got === "number" && typeof want === "number" && Number.isNaN(got) && Number.isNaN(want));
        if (!same) {
          bad.push(`cast(${to}, (${from})${fmt(from, k)}) folds to ${fmt(to, got)}, run time gives ${fmt(to, want)}`);
        }
      }
    }
    return bad;
  }
  for (const from of ALL_TYPES) {
    it(`cast(t, constant ${from}) for every non-bool target type t`, () => {
      const bad = foldingMismatches(from, ALL_TYPES.filter((t) => !t.isBool()));
      if (bad.length) {
        throw new Error(`${bad.length} folded casts differ from the run-time cast:\n  ${bad.slice(0, 8).join("\n  ")}`);
      }
    });
  }
  it("cast(bool, constant) keeps the low bit, as the run-time cast does (scalar.ts: cast(Bool, 2) == false)", () => {
    const bad = ALL_TYPES.filter((t) => !t.isBool()).flatMap((from) => foldingMismatches(from, [BOOL]).slice(0, 2));
    if (bad.length) throw new Error(`folded casts to bool differ from the run-time cast:\n  ${bad.join("\n  ")}`);
  });
  it("saturatingCast of a constant evaluates like the intrinsic", () => {
    for (const to of [U8, I8, U64, I64, F16]) {
      for (const v of [300, -300, 1e20, -1e20, 0.5]) {
        const e = hl.saturatingCast(to, hl.f64(v));
        expect(evalExpr(e.toIR())).toEqual(evalIntrinsic("saturating_cast", to, [F64], [v]));
      }
    }
  });
});
