// Properties of the scalar semantics, checked with fast-check (fixed seed) against independent definitions:
// exact bigint arithmetic, the algebraic identities of Euclidean division, clamps of exact results, Halide's own
// lerp reference (test/correctness/lerp.cpp), and the engine's Math.f16round / Float16Array for float16.
import { describe, expect, it } from "bun:test";
import fc from "fast-check";
import { Intrinsic, type IntrinsicName } from "../../src/ir/expr.ts";
import { BFloat, Float, Int, type Type, UInt } from "../../src/ir/type.ts";
import {
  binaryOp,
  castValue,
  evalIntrinsic,
  roundFloat,
  toValue,
  type Value,
  valueFromBits,
  valueToBits,
} from "../../src/interp/scalar.ts";
import { FC } from "./helpers.ts";

const intTypes: Type[] = [Int(8), Int(16), Int(32), Int(64), UInt(8), UInt(16), UInt(32), UInt(64)];
const narrowIntTypes = intTypes.filter((t) => t.bits <= 32);

/** A random exact integer of type `t`, biased toward the edges of its range. */
function intOf(t: Type): fc.Arbitrary<bigint> {
  const lo = t.minInt(), hi = t.maxInt();
  return fc.oneof(
    { weight: 3, arbitrary: fc.bigInt({ min: lo, max: hi }) },
    { weight: 1, arbitrary: fc.constantFrom(lo, hi, 0n, 1n, hi - 1n, t.isInt() ? -1n : 2n, lo + 1n) },
    { weight: 1, arbitrary: fc.bigInt({ min: lo > -300n ? lo : -300n, max: hi < 300n ? hi : 300n }) },
  );
}
const v = (t: Type, x: bigint): Value => toValue(t, x);
const asBig = (x: Value): bigint => (typeof x === "bigint" ? x : BigInt(x as number));
const wrapTo = (t: Type, x: bigint): bigint => (t.isInt() ? BigInt.asIntN(t.bits, x) : BigInt.asUintN(t.bits, x));
const clampTo = (t: Type, x: bigint): bigint => (x < t.minInt() ? t.minInt() : x > t.maxInt() ? t.maxInt() : x);
const floorDiv = (a: bigint, b: bigint): bigint => (a % b !== 0n && (a < 0n) !== (b < 0n) ? a / b - 1n : a / b);
const wide = (t: Type): Type => t.withBits(t.bits * 2);
const call = (name: IntrinsicName, rt: Type, types: Type[], args: Value[]) => evalIntrinsic(name, rt, types, args);

/** Runs `check` for every type in `types` on pairs of random values. */
function forPairs(types: Type[], check: (t: Type, a: bigint, b: bigint) => void): void {
  for (const t of types) {
    fc.assert(fc.property(intOf(t), intOf(t), (a, b) => check(t, a, b)), FC);
  }
}

describe("integer arithmetic", () => {
  it("Add, Sub, Mul equal the exact result wrapped (the number fast path agrees with bigint)", () => {
    forPairs(intTypes, (t, a, b) => {
      expect(asBig(binaryOp("Add", t, v(t, a), v(t, b)))).toBe(wrapTo(t, a + b));
      expect(asBig(binaryOp("Sub", t, v(t, a), v(t, b)))).toBe(wrapTo(t, a - b));
      expect(asBig(binaryOp("Mul", t, v(t, a), v(t, b)))).toBe(wrapTo(t, a * b));
    });
  });
  it("Euclidean division: a == b*(a/b) + a%b and 0 <= a%b < |b| (b != 0)", () => {
    forPairs(intTypes, (t, a, b) => {
      const q = asBig(binaryOp("Div", t, v(t, a), v(t, b))), r = asBig(binaryOp("Mod", t, v(t, a), v(t, b)));
      if (b === 0n) {
        expect([q, r]).toEqual([0n, 0n]);
        return;
      }
      expect(wrapTo(t, b * q + r)).toBe(a); // exact except INT_MIN / -1, whose quotient wraps
      expect(r >= 0n && r < (b < 0n ? -b : b)).toBe(true);
      if (b > 0n) expect(q).toBe(floorDiv(a, b));
    });
  });
  it("div_round_to_zero and mod_round_to_zero: a == b*q + r, |r| < |b|, r has the sign of a", () => {
    forPairs(intTypes.filter((t) => t.isInt()), (t, a, b) => {
      const q = asBig(call(Intrinsic.divRoundToZero, t, [t, t], [v(t, a), v(t, b)]));
      const r = asBig(call(Intrinsic.modRoundToZero, t, [t, t], [v(t, a), v(t, b)]));
      if (b === 0n) return;
      expect(wrapTo(t, b * q + r)).toBe(a);
      expect((r < 0n ? -r : r) < (b < 0n ? -b : b)).toBe(true);
      expect(r === 0n || (r < 0n) === (a < 0n)).toBe(true);
    });
  });
  it("Min and Max are the smaller and the larger", () => {
    forPairs(intTypes, (t, a, b) => {
      expect(asBig(binaryOp("Min", t, v(t, a), v(t, b)))).toBe(a < b ? a : b);
      expect(asBig(binaryOp("Max", t, v(t, a), v(t, b)))).toBe(a > b ? a : b);
      expect(binaryOp("LT", t, v(t, a), v(t, b))).toBe(a < b);
    });
  });
});

describe("widening and saturating intrinsics", () => {
  it("widening_add/sub/mul equal the exact result (sub and mixed-sign mul are signed)", () => {
    forPairs(narrowIntTypes, (t, a, b) => {
      const w = wide(t), sw = w.withCode(Int(8).code);
      expect(asBig(call(Intrinsic.wideningAdd, w, [t, t], [v(t, a), v(t, b)]))).toBe(a + b);
      expect(asBig(call(Intrinsic.wideningSub, sw, [t, t], [v(t, a), v(t, b)]))).toBe(a - b);
      expect(asBig(call(Intrinsic.wideningMul, w, [t, t], [v(t, a), v(t, b)]))).toBe(a * b);
    });
    for (const [s, u] of [[Int(8), UInt(8)], [Int(16), UInt(16)], [Int(32), UInt(32)]]) {
      fc.assert(
        fc.property(intOf(s), intOf(u), (a, b) => {
          expect(asBig(call(Intrinsic.wideningMul, wide(s), [s, u], [v(s, a), v(u, b)]))).toBe(a * b);
        }),
        FC,
      );
    }
  });
  it("saturating_add/sub equal the clamp of the exact result", () => {
    forPairs(intTypes, (t, a, b) => {
      expect(asBig(call(Intrinsic.saturatingAdd, t, [t, t], [v(t, a), v(t, b)]))).toBe(clampTo(t, a + b));
      expect(asBig(call(Intrinsic.saturatingSub, t, [t, t], [v(t, a), v(t, b)]))).toBe(clampTo(t, a - b));
    });
  });
  it("saturating_cast between integer types is the clamp", () => {
    for (const from of intTypes) {
      fc.assert(
        fc.property(intOf(from), fc.constantFrom(...intTypes), (a, to) => {
          expect(asBig(call(Intrinsic.saturatingCast, to, [from], [v(from, a)]))).toBe(clampTo(to, a));
        }),
        FC,
      );
    }
  });
  it("saturating_cast from float is the clamp of the truncation", () => {
    fc.assert(
      fc.property(fc.double({ noNaN: true, min: -1e20, max: 1e20 }), fc.constantFrom(...intTypes), (x, to) => {
        const f = Math.fround(x);
        expect(asBig(call(Intrinsic.saturatingCast, to, [Float(32)], [f]))).toBe(clampTo(to, BigInt(Math.trunc(f))));
      }),
      FC,
    );
  });
  it("halving ops are the floor of the exact half; halving_sub wraps", () => {
    forPairs(intTypes, (t, a, b) => {
      expect(asBig(call(Intrinsic.halvingAdd, t, [t, t], [v(t, a), v(t, b)]))).toBe(floorDiv(a + b, 2n));
      expect(asBig(call(Intrinsic.roundingHalvingAdd, t, [t, t], [v(t, a), v(t, b)]))).toBe(floorDiv(a + b + 1n, 2n));
      expect(asBig(call(Intrinsic.halvingSub, t, [t, t], [v(t, a), v(t, b)]))).toBe(wrapTo(t, floorDiv(a - b, 2n)));
    });
  });
  it("mul_shift_right and rounding_mul_shift_right clamp the (rounded) exact quotient", () => {
    for (const t of narrowIntTypes) {
      const qt = t.withCode(UInt(8).code);
      fc.assert(
        fc.property(intOf(t), intOf(t), fc.integer({ min: 0, max: 2 * t.bits - 1 }), (a, b, q) => {
          const p = a * b, d = 2n ** BigInt(q);
          expect(asBig(call(Intrinsic.mulShiftRight, t, [t, t, qt], [v(t, a), v(t, b), v(qt, BigInt(q))])))
            .toBe(clampTo(t, floorDiv(p, d)));
          // Round half up: floor(p/d + 1/2) = floor((2p + d) / 2d).
          expect(asBig(call(Intrinsic.roundingMulShiftRight, t, [t, t, qt], [v(t, a), v(t, b), v(qt, BigInt(q))])))
            .toBe(clampTo(t, floorDiv(2n * p + d, 2n * d)));
        }),
        FC,
      );
    }
  });
});

describe("shifts", () => {
  /** A signed shift amount type of the same width as `t`, and a random amount within (-bits, bits). */
  const amounts = (t: Type) => fc.integer({ min: -(t.bits - 1), max: t.bits - 1 }).map(BigInt);
  it("a << b == a * 2^b and a >> b == floor(a / 2^b), wrapped; negative amounts shift the other way", () => {
    for (const t of intTypes) {
      const st = t.withCode(Int(8).code);
      fc.assert(
        fc.property(intOf(t), amounts(t), (a, b) => {
          const left = asBig(call(Intrinsic.shiftLeft, t, [t, st], [v(t, a), v(st, b)]));
          const right = asBig(call(Intrinsic.shiftRight, t, [t, st], [v(t, a), v(st, -b)]));
          const exact = b >= 0n ? wrapTo(t, a * 2n ** b) : floorDiv(a, 2n ** -b);
          expect(left).toBe(exact);
          expect(right).toBe(exact);
        }),
        FC,
      );
    }
  });
  it("rounding_shift_right rounds half up for positive amounts and equals rounding_shift_left of the negation", () => {
    for (const t of intTypes) {
      const st = t.withCode(Int(8).code);
      fc.assert(
        fc.property(intOf(t), amounts(t), (a, b) => {
          const r = asBig(call(Intrinsic.roundingShiftRight, t, [t, st], [v(t, a), v(st, b)]));
          const expected = b > 0n ? floorDiv(2n * a + 2n ** b, 2n ** (b + 1n)) : wrapTo(t, a * 2n ** -b);
          expect(r).toBe(expected);
          expect(asBig(call(Intrinsic.roundingShiftLeft, t, [t, st], [v(t, a), v(st, -b)]))).toBe(r);
        }),
        FC,
      );
    }
  });
  it("widening shifts equal the exact shift in the wide type", () => {
    for (const t of narrowIntTypes) {
      fc.assert(
        fc.property(intOf(t), fc.integer({ min: 0, max: t.bits }).map(BigInt), (a, b) => {
          const ut = t.withCode(UInt(8).code);
          expect(asBig(call(Intrinsic.wideningShiftLeft, wide(t), [t, ut], [v(t, a), v(ut, b)]))).toBe(a * 2n ** b);
          expect(asBig(call(Intrinsic.wideningShiftRight, wide(t), [t, ut], [v(t, a), v(ut, b)])))
            .toBe(floorDiv(a, 2n ** b));
        }),
        FC,
      );
    }
  });
});

describe("bit counting", () => {
  it("popcount(x) + popcount(~x) is the width; clz and ctz bound the set bits", () => {
    for (const t of intTypes) {
      fc.assert(
        fc.property(intOf(t), (a) => {
          const x = v(t, a), n = BigInt(t.bits);
          const pc = asBig(call(Intrinsic.popcount, t, [t], [x]));
          const notX = call(Intrinsic.bitwiseNot, t, [t], [x]);
          expect(pc + asBig(call(Intrinsic.popcount, t, [t], [notX]))).toBe(n);
          const bits = BigInt.asUintN(t.bits, a);
          expect(asBig(call(Intrinsic.countLeadingZeros, t, [t], [x]))).toBe(
            n - BigInt(bits === 0n ? 0 : bits.toString(2).length),
          );
          const ctz = asBig(call(Intrinsic.countTrailingZeros, t, [t], [x]));
          expect(bits === 0n ? ctz === n : (bits >> ctz) % 2n === 1n && bits % 2n ** ctz === 0n).toBe(true);
        }),
        FC,
      );
    }
  });
});

describe("lerp", () => {
  /** Halide's test/correctness/lerp.cpp reference: the double-precision blend, rounded half away from zero. */
  const reference = (z: number, o: number, w: number) => {
    const full = z * (1 - w) + o * w;
    return Math.trunc(full < 0 ? full - 0.5 : full + 0.5) + 0; // + 0 turns -0 into 0
  };
  it("matches Halide's reference for 8-bit values and weights (uint8 and float k/255 weights)", () => {
    const byte = fc.integer({ min: 0, max: 255 });
    fc.assert(
      fc.property(byte, byte, byte, fc.boolean(), (z, o, w, signed) => {
        const t = signed ? Int(8) : UInt(8), zz = signed ? z - 128 : z, oo = signed ? o - 128 : o;
        expect(call(Intrinsic.lerp, t, [t, t, UInt(8)], [zz, oo, w])).toBe(reference(zz, oo, w / 255));
        const fw = Math.fround(w * Math.fround(1 / 255)); // the test's float weight k * (1/255.0f)
        expect(call(Intrinsic.lerp, t, [t, t, Float(32)], [zz, oo, fw])).toBe(reference(zz, oo, fw));
      }),
      { ...FC, numRuns: 3000 },
    );
  });
  it("weight 0 gives zero_val and the full weight gives one_val, for every value and weight type", () => {
    const weights: Type[] = [UInt(8), UInt(16), UInt(32), Float(32)];
    for (const t of narrowIntTypes) {
      fc.assert(
        fc.property(intOf(t), intOf(t), fc.constantFrom(...weights), (z, o, wt) => {
          const full = wt.isFloat() ? 1 : wt.bits === 32 ? 4294967295 : 2 ** wt.bits - 1;
          expect(asBig(call(Intrinsic.lerp, t, [t, t, wt], [v(t, z), v(t, o), 0]))).toBe(z);
          expect(asBig(call(Intrinsic.lerp, t, [t, t, wt], [v(t, z), v(t, o), full]))).toBe(o);
        }),
        FC,
      );
    }
  });
  it("integer lerp stays between its endpoints", () => {
    for (const t of narrowIntTypes) {
      fc.assert(
        fc.property(intOf(t), intOf(t), fc.integer({ min: 0, max: 65535 }), (z, o, w) => {
          const r = asBig(call(Intrinsic.lerp, t, [t, t, UInt(16)], [v(t, z), v(t, o), w]));
          expect(r >= (z < o ? z : o) && r <= (z < o ? o : z)).toBe(true);
        }),
        FC,
      );
    }
  });
});

describe("float rounding and bit patterns", () => {
  const f16round = (Math as unknown as { f16round?: (x: number) => number }).f16round;
  const anyDouble = fc.oneof(
    fc.double(),
    fc.double({ min: -70000, max: 70000 }),
    fc.double({ min: -1e-4, max: 1e-4 }),
  );
  it("float16 rounding agrees with the engine's Math.f16round", () => {
    if (f16round === undefined) return; // engines without float16 support
    fc.assert(fc.property(anyDouble, (x) => expect(roundFloat(Float(16), x)).toBe(f16round(x))), {
      ...FC,
      numRuns: 5000,
    });
  });
  it("float16 bit patterns agree with Float16Array", () => {
    const F16 = (globalThis as unknown as { Float16Array?: new (b: ArrayBuffer) => { [i: number]: number } })
      .Float16Array;
    if (F16 === undefined) return;
    const buf = new ArrayBuffer(2), halves = new F16(buf), bits = new Uint16Array(buf);
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 0xffff }), (b) => {
        bits[0] = b;
        const x = halves[0];
        const ours = valueFromBits(Float(16), BigInt(b)) as number;
        if (Number.isNaN(x)) expect(ours).toBeNaN();
        else {
          expect(ours).toBe(x);
          expect(valueToBits(Float(16), ours)).toBe(BigInt(b));
        }
      }),
      { ...FC, numRuns: 5000 },
    );
  });
  it("float32 bit patterns agree with Float32Array", () => {
    const f = new Float32Array(1), u = new Uint32Array(f.buffer);
    fc.assert(
      fc.property(fc.float({ noNaN: true }), (x) => {
        f[0] = x;
        expect(valueToBits(Float(32), x)).toBe(BigInt(u[0]));
        expect(valueFromBits(Float(32), BigInt(u[0]))).toBe(x);
      }),
      FC,
    );
  });
  it("bfloat16 rounding is to the nearest bfloat16, ties to even (no double rounding through float32)", () => {
    fc.assert(
      fc.property(fc.double({ min: -1e38, max: 1e38, noNaN: true }), (x) => {
        const r = roundFloat(BFloat(16), x);
        const bits = Number(valueToBits(BFloat(16), r));
        // The neighbours of r in bfloat16 (same sign side); x must be no closer to either.
        for (const nb of [bits - 1, bits + 1]) {
          if ((nb & 0x7fff) === 0x7f80 || nb < 0 || nb > 0xffff || (nb ^ bits) & 0x8000) continue;
          const n = valueFromBits(BFloat(16), BigInt(nb)) as number;
          const dr = Math.abs(x - r), dn = Math.abs(x - n);
          expect(dr <= dn).toBe(true);
          if (dr === dn) expect(bits % 2).toBe(0);
        }
      }),
      { ...FC, numRuns: 3000 },
    );
  });
  it("int64 → float32 rounds the exact integer to nearest-even", () => {
    fc.assert(
      fc.property(fc.bigInt({ min: -(2n ** 63n), max: 2n ** 63n - 1n }), (a) => {
        const r = castValue(Float(32), Int(64), a) as number;
        const exact = BigInt(r), ulp = BigInt(Math.max(1, 2 ** (Math.floor(Math.log2(Math.abs(r) || 1)) - 23)));
        const err = a - exact < 0n ? exact - a : a - exact;
        expect(2n * err <= ulp).toBe(true);
        if (2n * err === ulp) expect((exact / ulp) % 2n).toBe(0n);
      }),
      FC,
    );
  });
  it("float16 and bfloat16 arithmetic computed in float32 gives the same results (no double-rounding error)", () => {
    for (const t of [Float(16), BFloat(16)]) {
      const val = fc.double({ min: -60000, max: 60000, noNaN: true }).map((x) => roundFloat(t, x));
      fc.assert(
        fc.property(val, val, (a, b) => {
          for (const [kind, exact] of [["Add", a + b], ["Sub", a - b], ["Mul", a * b], ["Div", a / b]] as const) {
            const viaF32 = roundFloat(t, Math.fround(exact));
            const r = binaryOp(kind, t, a, b) as number;
            if (Number.isNaN(viaF32)) expect(r).toBeNaN();
            else expect(r).toBe(viaF32);
          }
          const root = Math.sqrt(Math.abs(a));
          expect(evalIntrinsic(Intrinsic.sqrt, t, [t], [Math.abs(a)])).toBe(roundFloat(t, Math.fround(root)));
        }),
        FC,
      );
    }
  });
  it("float Mod equals the exact a - b*floor(a/b) where float32 computes it exactly", () => {
    // Quarters with 11-bit numerators: a/b is close enough that floor(a/b) is right, and the rest is exact.
    const q = fc.integer({ min: -2047, max: 2047 });
    fc.assert(
      fc.property(q, q, (i, j) => {
        fc.pre(j !== 0);
        const expected = (i - j * Math.floor(i / j)) / 4 + 0; // sign of b (or 0)
        expect(binaryOp("Mod", Float(32), i / 4, j / 4)).toBe(expected);
      }),
      FC,
    );
  });
});
