// Hand-computed edge cases of every operation of the interpreter, for every type family: wraparound, INT_MIN,
// division by zero and by negative divisors, NaN/Inf, float16/bfloat16 rounding, shifts by negative and large
// amounts, saturation bounds, lerp endpoints. Each expected value is worked out in the comment beside it or
// follows from the rule named in the test's title.
import { describe, expect, it } from "bun:test";
import { HalideError } from "../../src/error.ts";
import { Intrinsic } from "../../src/ir/expr.ts";
import { BFloat, Bool, Float, Int, type Type, UInt } from "../../src/ir/type.ts";
import { evalExpr, type Value } from "../../src/interp/eval.ts";
import {
  castValue,
  evalIntrinsic,
  intrinsicNames,
  toValue,
  valueFromBits,
  valueToBits,
} from "../../src/interp/scalar.ts";
import { castOf, intr, k, op, reinterpretOf } from "./helpers.ts";

const [i8, i16, i32, i64] = [Int(8), Int(16), Int(32), Int(64)];
const [u8, u16, u32, u64] = [UInt(8), UInt(16), UInt(32), UInt(64)];
const [f16, bf16, f32, f64] = [Float(16), BFloat(16), Float(32), Float(64)];
const b1 = Bool();
const I64_MIN = -(2n ** 63n), I64_MAX = 2n ** 63n - 1n, U64_MAX = 2n ** 64n - 1n;

/** Runs a table of [title, actual thunk, expected] cases as one test each (NaN expected means "is NaN"). */
function table(cases: [string, () => Value, Value][]): void {
  for (const [title, run, expected] of cases) {
    it(title, () => {
      const got = run();
      if (typeof expected === "number" && Number.isNaN(expected)) expect(got).toBeNaN();
      else expect(got).toBe(expected);
    });
  }
}

describe("value representation", () => {
  table([
    ["Int(64) constants are bigint", () => evalExpr(k(i64, 5)), 5n],
    ["UInt(32) constants are numbers", () => evalExpr(k(u32, 4294967295)), 4294967295],
    ["Bool constants are booleans", () => evalExpr(k(b1, true)), true],
    ["float16 constants are rounded to float16", () => evalExpr(k(f16, 0.1)), 0.0999755859375],
    ["toValue converts a number to Int(64)", () => toValue(i64, 3), 3n],
    ["toValue accepts 1 for Bool", () => toValue(b1, 1), true],
  ]);
  it("toValue rejects values outside the type", () => {
    expect(() => toValue(u8, 256)).toThrow(HalideError);
    expect(() => toValue(i32, 1.5)).toThrow("1.5 is not a value of type int32");
    expect(() => toValue(b1, 2)).toThrow(HalideError);
    expect(() => toValue(f32, 1n)).toThrow(HalideError);
    expect(() => toValue(Int(128), 0)).toThrow("wider than 64 bits");
  });
});

describe("Add, Sub, Mul wrap around", () => {
  table([
    ["int8 127 + 1 = -128", () => op("Add", i8, 127, 1), -128],
    ["int8 -128 - 1 = 127", () => op("Sub", i8, -128, 1), 127],
    ["int8 16 * 16 = 0", () => op("Mul", i8, 16, 16), 0],
    ["int8 -128 * -1 = -128", () => op("Mul", i8, -128, -1), -128],
    ["uint8 200 + 100 = 44", () => op("Add", u8, 200, 100), 44],
    ["uint8 0 - 1 = 255", () => op("Sub", u8, 0, 1), 255],
    ["int16 32767 + 1 = -32768", () => op("Add", i16, 32767, 1), -32768],
    ["uint16 65535 * 65535 = 1", () => op("Mul", u16, 65535, 65535), 1], // 2^32 - 2^17 + 1
    ["int32 INT_MAX + 1 = INT_MIN", () => op("Add", i32, 2147483647, 1), -2147483648],
    ["int32 65536 * 65536 = 0", () => op("Mul", i32, 65536, 65536), 0],
    ["int32 46341 * 46341 wraps", () => op("Mul", i32, 46341, 46341), -2147479015], // 2147488281 - 2^32
    ["uint32 0 - 1 = 2^32 - 1", () => op("Sub", u32, 0, 1), 4294967295],
    ["uint32 (2^32-1)^2 = 1", () => op("Mul", u32, 4294967295, 4294967295), 1],
    ["int64 INT64_MAX + 1 = INT64_MIN", () => op("Add", i64, I64_MAX, 1n), I64_MIN],
    ["int64 INT64_MIN * -1 = INT64_MIN", () => op("Mul", i64, I64_MIN, -1n), I64_MIN],
    ["uint64 0 - 1 = 2^64 - 1", () => op("Sub", u64, 0n, 1n), U64_MAX],
    ["float32 2^24 + 1 = 2^24", () => op("Add", f32, 16777216, 1), 16777216],
    ["float32 0.1 + 0.2 = 0.3f", () => op("Add", f32, 0.1, 0.2), 0.30000001192092896],
    ["float16 2048 + 1 = 2048 (tie to even)", () => op("Add", f16, 2048, 1), 2048],
    ["float16 2048 + 3 = 2052 (tie to even)", () => op("Add", f16, 2048, 3), 2052],
    ["float16 65504 + 16 overflows to Inf", () => op("Add", f16, 65504, 16), Infinity],
    ["bfloat16 256 + 1 = 256 (tie to even)", () => op("Add", bf16, 256, 1), 256],
    ["bfloat16 256 * 1.0078125 = 258", () => op("Mul", bf16, 256, 1.0078125), 258],
    ["float64 2^53 + 1 = 2^53", () => op("Add", f64, 2 ** 53, 1), 2 ** 53],
    ["float32 Inf - Inf is NaN", () => op("Sub", f32, Infinity, Infinity), NaN],
  ]);
});

describe("Div and Mod are Euclidean for integers", () => {
  table([
    ["7 / 2 = 3", () => op("Div", i32, 7, 2), 3],
    ["-7 / 2 = -4", () => op("Div", i32, -7, 2), -4],
    ["7 / -2 = -3", () => op("Div", i32, 7, -2), -3],
    ["-7 / -2 = 4", () => op("Div", i32, -7, -2), 4],
    ["7 % 2 = 1", () => op("Mod", i32, 7, 2), 1],
    ["-7 % 2 = 1", () => op("Mod", i32, -7, 2), 1],
    ["7 % -2 = 1", () => op("Mod", i32, 7, -2), 1],
    ["-7 % -2 = 1", () => op("Mod", i32, -7, -2), 1],
    ["int32 x / 0 = 0", () => op("Div", i32, 5, 0), 0],
    ["int32 x % 0 = 0", () => op("Mod", i32, -5, 0), 0],
    ["uint8 x / 0 = 0", () => op("Div", u8, 200, 0), 0],
    ["int64 x % 0 = 0", () => op("Mod", i64, 7n, 0n), 0n],
    ["int8 INT_MIN / -1 wraps to INT_MIN", () => op("Div", i8, -128, -1), -128],
    ["int32 INT_MIN / -1 wraps to INT_MIN", () => op("Div", i32, -2147483648, -1), -2147483648],
    ["int64 INT_MIN / -1 wraps to INT_MIN", () => op("Div", i64, I64_MIN, -1n), I64_MIN],
    ["int32 INT_MIN % -1 = 0", () => op("Mod", i32, -2147483648, -1), 0],
    ["uint8 255 / 16 = 15", () => op("Div", u8, 255, 16), 15],
    ["uint32 2^32-1 % 10 = 5", () => op("Mod", u32, 4294967295, 10), 5],
    ["int64 -7 / 2 = -4", () => op("Div", i64, -7n, 2n), -4n],
    ["int16 -32768 % 3 = 1", () => op("Mod", i16, -32768, 3), 1], // -32768 = 3 * -10923 + 1
  ]);
});

describe("Div and Mod of floats", () => {
  table([
    ["1 / 0 = Inf", () => op("Div", f32, 1, 0), Infinity],
    ["-1 / 0 = -Inf", () => op("Div", f32, -1, 0), -Infinity],
    ["0 / 0 is NaN", () => op("Div", f32, 0, 0), NaN],
    ["float32 1 / 3 is rounded to float32", () => op("Div", f32, 1, 3), 0.3333333432674408],
    ["5.5 mod 2 = 1.5", () => op("Mod", f32, 5.5, 2), 1.5],
    ["-5.5 mod 2 = 0.5", () => op("Mod", f32, -5.5, 2), 0.5],
    ["5.5 mod -2 = -0.5", () => op("Mod", f32, 5.5, -2), -0.5],
    ["float16 7 mod 3 = 1", () => op("Mod", f16, 7, 3), 1],
    ["float64 -1 mod 0.75 = 0.5", () => op("Mod", f64, -1, 0.75), 0.5],
    ["x mod 0 is NaN", () => op("Mod", f32, 1, 0), NaN],
  ]);
});

describe("Min and Max", () => {
  table([
    ["int8 min(-128, 127)", () => op("Min", i8, -128, 127), -128],
    ["uint64 max(0, 2^64-1)", () => op("Max", u64, 0n, U64_MAX), U64_MAX],
    ["uint32 max is unsigned", () => op("Max", u32, 4294967295, 1), 4294967295],
    ["min(NaN, 1) = 1 (second operand)", () => op("Min", f32, NaN, 1), 1],
    ["min(1, NaN) is NaN (second operand)", () => op("Min", f32, 1, NaN), NaN],
    ["max(NaN, 1) = 1 (second operand)", () => op("Max", f32, NaN, 1), 1],
    ["max(1, NaN) is NaN (second operand)", () => op("Max", f32, 1, NaN), NaN],
    ["min(-0, 0) = +0 (second operand)", () => op("Min", f64, -0, 0), 0],
    ["max(-Inf, 3) = 3", () => op("Max", f16, -Infinity, 3), 3],
    ["Bool max(false, true)", () => op("Max", b1, false, true), true],
  ]);
});

describe("comparisons", () => {
  table([
    ["NaN == NaN is false", () => op("EQ", f32, NaN, NaN), false],
    ["NaN != NaN is true", () => op("NE", f32, NaN, NaN), true],
    ["NaN < 1 is false", () => op("LT", f32, NaN, 1), false],
    ["NaN >= 1 is false", () => op("GE", f64, NaN, 1), false],
    ["-0 == 0", () => op("EQ", f32, -0, 0), true],
    ["uint32 2^32-1 > 0", () => op("GT", u32, 4294967295, 0), true],
    ["int64 -1 < 0", () => op("LT", i64, -1n, 0n), true],
    ["uint64 2^64-1 > 2^63", () => op("GT", u64, U64_MAX, 2n ** 63n), true],
    ["Bool false < true", () => op("LT", b1, false, true), true],
    ["int8 -1 <= -1", () => op("LE", i8, -1, -1), true],
  ]);
});

describe("Cast between integer types wraps", () => {
  table([
    ["int32 300 → uint8 44", () => castOf(u8, i32, 300), 44],
    ["uint8 200 → int8 -56", () => castOf(i8, u8, 200), -56],
    ["int32 -1 → uint32 2^32-1", () => castOf(u32, i32, -1), 4294967295],
    ["uint64 2^64-1 → int64 -1", () => castOf(i64, u64, U64_MAX), -1n],
    ["int8 -1 → uint64 2^64-1", () => castOf(u64, i8, -1), U64_MAX],
    ["int64 2^32+5 → int32 5", () => castOf(i32, i64, 2n ** 32n + 5n), 5],
    ["int32 2 → Bool false (low bit)", () => castOf(b1, i32, 2), false],
    ["int32 3 → Bool true (low bit)", () => castOf(b1, i32, 3), true],
    ["Bool true → int32 1", () => castOf(i32, b1, true), 1],
    ["Bool true → int64 1", () => castOf(i64, b1, true), 1n],
    ["Bool true → float32 1", () => castOf(f32, b1, true), 1],
  ]);
});

describe("Cast from float to integer truncates, then wraps (narrow targets via int32; others saturate to 64 bits)", () => {
  table([
    ["-2.7 → int32 -2", () => castOf(i32, f32, -2.7), -2],
    ["2.7 → int32 2", () => castOf(i32, f32, 2.7), 2],
    ["255.9 → uint8 255", () => castOf(u8, f32, 255.9), 255],
    ["NaN → int32 0", () => castOf(i32, f32, NaN), 0],
    ["300.5 → uint8 44 (wraps)", () => castOf(u8, f32, 300.5), 44],
    ["-1.5 → uint8 255 (wraps through int32)", () => castOf(u8, f32, -1.5), 255],
    ["-3e9 → uint8 0 (beyond int32: saturates to uint64 first)", () => castOf(u8, f64, -3e9), 0],
    ["3e9 → int32 wraps", () => castOf(i32, f64, 3e9), -1294967296],
    ["1e19 → int64 saturates", () => castOf(i64, f64, 1e19), I64_MAX],
    ["-Inf → int64 INT64_MIN", () => castOf(i64, f32, -Infinity), I64_MIN],
    ["Inf → uint64 2^64-1", () => castOf(u64, f32, Infinity), U64_MAX],
    ["2^63 → uint64 exactly", () => castOf(u64, f64, 2 ** 63), 2n ** 63n],
    ["1.5 → Bool true", () => castOf(b1, f32, 1.5), true],
    ["2.0 → Bool false", () => castOf(b1, f32, 2), false],
    ["float16 -65504 → int16 -32768 (wraps: -65504 + 65536 = 32)", () => castOf(i16, f16, -65504), 32],
  ]);
});

describe("Cast between float types and from integers rounds once, to nearest-even", () => {
  table([
    ["float32 65520 → float16 Inf", () => castOf(f16, f32, 65520), Infinity],
    ["float32 65519 → float16 65504", () => castOf(f16, f32, 65519), 65504],
    ["float64 0.1 → float32", () => castOf(f32, f64, 0.1), 0.10000000149011612],
    ["float32 1e-8 → float16 0", () => castOf(f16, f32, 1e-8), 0],
    ["float32 3e-8 → float16 2^-24", () => castOf(f16, f32, 3e-8), 2 ** -24],
    ["float64 1 + 2^-8 + 2^-30 → bfloat16 rounds up", () => castOf(bf16, f64, 1 + 2 ** -8 + 2 ** -30), 1.0078125],
    ["float32 1 + 2^-8 → bfloat16 1 (tie to even)", () => castOf(bf16, f32, 1 + 2 ** -8), 1],
    ["float16 → float64 exact", () => castOf(f64, f16, 0.1), 0.0999755859375],
    ["float64 NaN → float16 NaN", () => castOf(f16, f64, NaN), NaN],
    ["int32 16777217 → float32 16777216", () => castOf(f32, i32, 16777217), 16777216],
    ["int32 16777219 → float32 16777220", () => castOf(f32, i32, 16777219), 16777220],
    [
      "int64 2^60+2^36+1 → float32 2^60+2^37 (no double rounding)",
      () => castOf(f32, i64, 2n ** 60n + 2n ** 36n + 1n),
      2 ** 60 + 2 ** 37,
    ],
    ["int32 65520 → float16 Inf", () => castOf(f16, i32, 65520), Infinity],
    ["uint16 2049 → float16 2048", () => castOf(f16, u16, 2049), 2048],
    [
      "int32 2^24+2^16+1 → bfloat16 2^24+2^17 (no double rounding)",
      () => castOf(bf16, i32, 2 ** 24 + 2 ** 16 + 1),
      2 ** 24 + 2 ** 17,
    ],
    ["int64 2^53+1 → float64 2^53", () => castOf(f64, i64, 2n ** 53n + 1n), 2 ** 53],
    ["uint64 2^64-1 → float64 2^64", () => castOf(f64, u64, U64_MAX), 2 ** 64],
  ]);
});

describe("Reinterpret", () => {
  table([
    ["float32 1 → uint32", () => reinterpretOf(u32, f32, 1), 0x3f800000],
    ["uint32 0xc0000000 → float32 -2", () => reinterpretOf(f32, u32, 0xc0000000), -2],
    ["uint8 255 → int8 -1", () => reinterpretOf(i8, u8, 255), -1],
    ["uint16 0x3c00 → float16 1", () => reinterpretOf(f16, u16, 0x3c00), 1],
    ["float16 -0 → uint16 0x8000", () => reinterpretOf(u16, f16, -0), 0x8000],
    ["float16 2^-24 → uint16 1", () => reinterpretOf(u16, f16, 2 ** -24), 1],
    ["float16 65504 → uint16 0x7bff", () => reinterpretOf(u16, f16, 65504), 0x7bff],
    ["uint16 0x7c01 → float16 NaN", () => reinterpretOf(f16, u16, 0x7c01), NaN],
    ["bfloat16 1 → uint16 0x3f80", () => reinterpretOf(u16, bf16, 1), 0x3f80],
    ["uint64 → float64 1", () => reinterpretOf(f64, u64, 0x3ff0000000000000n), 1],
    ["float64 -2 → uint64", () => reinterpretOf(u64, f64, -2), 0xc000000000000000n],
    ["float32 NaN → int32 canonical quiet NaN", () => reinterpretOf(i32, f32, NaN), 0x7fc00000],
    ["int64 -1 → float64 NaN", () => reinterpretOf(f64, i64, -1n), NaN],
  ]);
  it("round-trips bit patterns through valueToBits/valueFromBits", () => {
    expect(valueToBits(f16, -2)).toBe(0xc000n);
    expect(valueFromBits(i8, 0xffn)).toBe(-1);
    expect(valueFromBits(bf16, 0xbf80n)).toBe(-1);
  });
});

describe("bitwise intrinsics", () => {
  table([
    ["int8 -1 & 15", () => intr(Intrinsic.bitwiseAnd, i8, [i8, -1], [i8, 15]), 15],
    ["uint8 0xf0 | 0x0f", () => intr(Intrinsic.bitwiseOr, u8, [u8, 0xf0], [u8, 0x0f]), 255],
    ["int32 -1 ^ 1", () => intr(Intrinsic.bitwiseXor, i32, [i32, -1], [i32, 1]), -2],
    ["uint8 ~0", () => intr(Intrinsic.bitwiseNot, u8, [u8, 0]), 255],
    ["int64 ~0", () => intr(Intrinsic.bitwiseNot, i64, [i64, 0n]), -1n],
    ["uint32 ~0", () => intr(Intrinsic.bitwiseNot, u32, [u32, 0]), 4294967295],
    ["Bool true & false", () => intr(Intrinsic.bitwiseAnd, b1, [b1, true], [b1, false]), false],
    ["Bool ~true", () => intr(Intrinsic.bitwiseNot, b1, [b1, true]), false],
  ]);
});

describe("shifts", () => {
  table([
    ["int8 1 << 7 = -128", () => intr(Intrinsic.shiftLeft, i8, [i8, 1], [u8, 7]), -128],
    ["uint8 255 << 1 = 254", () => intr(Intrinsic.shiftLeft, u8, [u8, 255], [u8, 1]), 254],
    ["int8 -128 >> 1 = -64 (arithmetic)", () => intr(Intrinsic.shiftRight, i8, [i8, -128], [u8, 1]), -64],
    ["uint8 128 >> 7 = 1 (logical)", () => intr(Intrinsic.shiftRight, u8, [u8, 128], [u8, 7]), 1],
    ["1 << -1 shifts right: 0", () => intr(Intrinsic.shiftLeft, i32, [i32, 1], [i32, -1]), 0],
    ["-8 << -2 shifts right: -2", () => intr(Intrinsic.shiftLeft, i32, [i32, -8], [i32, -2]), -2],
    ["1 >> -3 shifts left: 8", () => intr(Intrinsic.shiftRight, i32, [i32, 1], [i32, -3]), 8],
    ["uint8 1 << 8 = 0 (amount = width)", () => intr(Intrinsic.shiftLeft, u8, [u8, 1], [u8, 8]), 0],
    ["int8 -1 >> 9 = -1 (amount > width)", () => intr(Intrinsic.shiftRight, i8, [i8, -1], [u8, 9]), -1],
    ["int8 64 >> 9 = 0 (amount > width)", () => intr(Intrinsic.shiftRight, i8, [i8, 64], [u8, 9]), 0],
    ["int8 -5 << -128 shifts right by 128: -1", () => intr(Intrinsic.shiftLeft, i8, [i8, -5], [i8, -128]), -1],
    ["int64 1 << 63 = INT64_MIN", () => intr(Intrinsic.shiftLeft, i64, [i64, 1n], [u64, 63n]), I64_MIN],
    ["uint64 huge amount", () => intr(Intrinsic.shiftLeft, u64, [u64, 1n], [u64, U64_MAX]), 0n],
  ]);
});

describe("abs, absd, popcount, count_leading_zeros, count_trailing_zeros", () => {
  table([
    ["abs(int8 -128) = uint8 128", () => intr(Intrinsic.abs, u8, [i8, -128]), 128],
    ["abs(int32 INT_MIN) = uint32 2^31", () => intr(Intrinsic.abs, u32, [i32, -2147483648]), 2147483648],
    ["abs(int64 INT_MIN) = uint64 2^63", () => intr(Intrinsic.abs, u64, [i64, I64_MIN]), 2n ** 63n],
    ["abs(uint8 200) = 200", () => intr(Intrinsic.abs, u8, [u8, 200]), 200],
    ["abs(float32 -0) = 0", () => intr(Intrinsic.abs, f32, [f32, -0]), 0],
    ["abs(float32 -Inf) = Inf", () => intr(Intrinsic.abs, f32, [f32, -Infinity]), Infinity],
    ["abs(float16 NaN) is NaN", () => intr(Intrinsic.abs, f16, [f16, NaN]), NaN],
    ["absd(int8 -128, 127) = uint8 255", () => intr(Intrinsic.absd, u8, [i8, -128], [i8, 127]), 255],
    ["absd(uint8 3, 250) = 247", () => intr(Intrinsic.absd, u8, [u8, 3], [u8, 250]), 247],
    ["absd(int64 min, max) = 2^64-1", () => intr(Intrinsic.absd, u64, [i64, I64_MIN], [i64, I64_MAX]), U64_MAX],
    ["absd(float32 1, 3.5) = 2.5", () => intr(Intrinsic.absd, f32, [f32, 1], [f32, 3.5]), 2.5],
    ["popcount(uint8 255) = 8", () => intr(Intrinsic.popcount, u8, [u8, 255]), 8],
    ["popcount(int8 -1) = 8", () => intr(Intrinsic.popcount, i8, [i8, -1]), 8],
    ["popcount(int32 0) = 0", () => intr(Intrinsic.popcount, i32, [i32, 0]), 0],
    ["popcount(uint64 2^64-1) = 64", () => intr(Intrinsic.popcount, u64, [u64, U64_MAX]), 64n],
    ["clz(uint8 0) = 8", () => intr(Intrinsic.countLeadingZeros, u8, [u8, 0]), 8],
    ["clz(uint8 1) = 7", () => intr(Intrinsic.countLeadingZeros, u8, [u8, 1]), 7],
    ["clz(int8 -1) = 0", () => intr(Intrinsic.countLeadingZeros, i8, [i8, -1]), 0],
    ["clz(int32 1) = 31", () => intr(Intrinsic.countLeadingZeros, i32, [i32, 1]), 31],
    ["clz(uint64 1) = 63", () => intr(Intrinsic.countLeadingZeros, u64, [u64, 1n]), 63n],
    ["ctz(uint16 0) = 16", () => intr(Intrinsic.countTrailingZeros, u16, [u16, 0]), 16],
    ["ctz(int32 INT_MIN) = 31", () => intr(Intrinsic.countTrailingZeros, i32, [i32, -2147483648]), 31],
    ["ctz(uint8 12) = 2", () => intr(Intrinsic.countTrailingZeros, u8, [u8, 12]), 2],
  ]);
});

describe("widening intrinsics", () => {
  table([
    ["widening_add uint8 255 + 255 = uint16 510", () => intr(Intrinsic.wideningAdd, u16, [u8, 255], [u8, 255]), 510],
    [
      "widening_add int8 -128 + -128 = int16 -256",
      () => intr(Intrinsic.wideningAdd, i16, [i8, -128], [i8, -128]),
      -256,
    ],
    [
      "widening_add int32 max + max = int64",
      () => intr(Intrinsic.wideningAdd, i64, [i32, 2147483647], [i32, 2147483647]),
      4294967294n,
    ],
    ["widening_sub uint8 0 - 255 = int16 -255", () => intr(Intrinsic.wideningSub, i16, [u8, 0], [u8, 255]), -255],
    [
      "widening_sub uint32 0 - max = int64",
      () => intr(Intrinsic.wideningSub, i64, [u32, 0], [u32, 4294967295]),
      -4294967295n,
    ],
    ["widening_mul int8 × uint8 = int16 -32640", () => intr(Intrinsic.wideningMul, i16, [i8, -128], [u8, 255]), -32640],
    [
      "widening_mul uint16 max² = uint32",
      () => intr(Intrinsic.wideningMul, u32, [u16, 65535], [u16, 65535]),
      4294836225,
    ],
    [
      "widening_mul int32 INT_MIN² = int64 2^62",
      () => intr(Intrinsic.wideningMul, i64, [i32, -2147483648], [i32, -2147483648]),
      2n ** 62n,
    ],
    [
      "widening_mul float16 × float16 = float32 exact",
      () => intr(Intrinsic.wideningMul, f32, [f16, 3], [f16, 0.1]),
      0.2999267578125,
    ],
    ["widening_shift_left uint8 255 << 8", () => intr(Intrinsic.wideningShiftLeft, u16, [u8, 255], [u8, 8]), 65280],
    ["widening_shift_left int8 -128 << 7", () => intr(Intrinsic.wideningShiftLeft, i16, [i8, -128], [u8, 7]), -16384],
    ["widening_shift_right int8 -128 >> 1", () => intr(Intrinsic.wideningShiftRight, i16, [i8, -128], [u8, 1]), -64],
    [
      "widening_shift_right by a negative amount shifts left",
      () => intr(Intrinsic.wideningShiftRight, i16, [i8, 1], [i8, -3]),
      8,
    ],
    [
      "widen_right_add uint16 65535 + uint8 1 wraps",
      () => intr(Intrinsic.widenRightAdd, u16, [u16, 65535], [u8, 1]),
      0,
    ],
    ["widen_right_mul int16 300 × int8 -100", () => intr(Intrinsic.widenRightMul, i16, [i16, 300], [i8, -100]), -30000],
    [
      "widen_right_sub int32 INT_MIN - 1 wraps",
      () => intr(Intrinsic.widenRightSub, i32, [i32, -2147483648], [i16, 1]),
      2147483647,
    ],
  ]);
});

describe("rounding shifts", () => {
  const rsr = Intrinsic.roundingShiftRight, rsl = Intrinsic.roundingShiftLeft;
  table([
    ["uint8 5 >> 1 rounds 2.5 up to 3", () => intr(rsr, u8, [u8, 5], [u8, 1]), 3],
    ["uint8 4 >> 1 = 2", () => intr(rsr, u8, [u8, 4], [u8, 1]), 2],
    ["uint8 255 >> 1 = 128 (no overflow)", () => intr(rsr, u8, [u8, 255], [u8, 1]), 128],
    ["int8 -5 >> 1 rounds -2.5 up to -2", () => intr(rsr, i8, [i8, -5], [u8, 1]), -2],
    ["int8 -6 >> 2 rounds -1.5 up to -1", () => intr(rsr, i8, [i8, -6], [u8, 2]), -1],
    ["int8 -7 >> 2 rounds -1.75 to -2", () => intr(rsr, i8, [i8, -7], [u8, 2]), -2],
    ["int8 127 >> 0 = 127", () => intr(rsr, i8, [i8, 127], [u8, 0]), 127],
    ["int8 3 >> -2 shifts left: 12", () => intr(rsr, i8, [i8, 3], [i8, -2]), 12],
    ["int8 64 >> -1 wraps to -128", () => intr(rsr, i8, [i8, 64], [i8, -1]), -128],
    ["uint8 200 >> 8 = round(200/256) = 1", () => intr(rsr, u8, [u8, 200], [u8, 8]), 1],
    ["int32 INT_MAX >> 1 = 2^30", () => intr(rsr, i32, [i32, 2147483647], [u32, 1]), 1073741824],
    ["rounding_shift_left(5, -1) = rounding_shift_right(5, 1) = 3", () => intr(rsl, i8, [i8, 5], [i8, -1]), 3],
    ["rounding_shift_left(uint8 3, 2) = 12", () => intr(rsl, u8, [u8, 3], [u8, 2]), 12],
    ["rounding_shift_left(uint8 200, 1) wraps to 144", () => intr(rsl, u8, [u8, 200], [u8, 1]), 144],
  ]);
});

describe("saturating intrinsics", () => {
  const sc = Intrinsic.saturatingCast;
  table([
    ["int8 100 + 100 = 127", () => intr(Intrinsic.saturatingAdd, i8, [i8, 100], [i8, 100]), 127],
    ["int8 -100 + -100 = -128", () => intr(Intrinsic.saturatingAdd, i8, [i8, -100], [i8, -100]), -128],
    ["uint8 200 + 100 = 255", () => intr(Intrinsic.saturatingAdd, u8, [u8, 200], [u8, 100]), 255],
    ["int64 max + 1 = max", () => intr(Intrinsic.saturatingAdd, i64, [i64, I64_MAX], [i64, 1n]), I64_MAX],
    ["uint64 max + max = max", () => intr(Intrinsic.saturatingAdd, u64, [u64, U64_MAX], [u64, U64_MAX]), U64_MAX],
    [
      "float32 saturating_add is plain addition",
      () => intr(Intrinsic.saturatingAdd, f32, [f32, 3e38], [f32, 3e38]),
      Infinity,
    ],
    ["uint8 3 - 5 = 0", () => intr(Intrinsic.saturatingSub, u8, [u8, 3], [u8, 5]), 0],
    ["int8 -100 - 100 = -128", () => intr(Intrinsic.saturatingSub, i8, [i8, -100], [i8, 100]), -128],
    [
      "int32 INT_MAX - -1 = INT_MAX",
      () => intr(Intrinsic.saturatingSub, i32, [i32, 2147483647], [i32, -1]),
      2147483647,
    ],
    ["int32 1000 → int8 127", () => intr(sc, i8, [i32, 1000]), 127],
    ["int32 -1000 → int8 -128", () => intr(sc, i8, [i32, -1000]), -128],
    ["int8 -5 → uint8 0", () => intr(sc, u8, [i8, -5]), 0],
    ["int64 2^40 → uint32 max", () => intr(sc, u32, [i64, 2n ** 40n]), 4294967295],
    ["uint32 max → int32 INT_MAX", () => intr(sc, i32, [u32, 4294967295]), 2147483647],
    ["uint64 max → int64 max", () => intr(sc, i64, [u64, U64_MAX]), I64_MAX],
    ["float32 300.7 → uint8 255", () => intr(sc, u8, [f32, 300.7]), 255],
    ["float32 -3.5 → uint8 0", () => intr(sc, u8, [f32, -3.5]), 0],
    ["float32 254.9 → uint8 254", () => intr(sc, u8, [f32, 254.9]), 254],
    ["float32 -7.9 → int8 -7", () => intr(sc, i8, [f32, -7.9]), -7],
    ["float32 NaN → int32 0", () => intr(sc, i32, [f32, NaN]), 0],
    ["float32 Inf → int16 32767", () => intr(sc, i16, [f32, Infinity]), 32767],
    ["float64 1e300 → int64 max", () => intr(sc, i64, [f64, 1e300]), I64_MAX],
    ["float32 2^32 → uint32 max", () => intr(sc, u32, [f32, 2 ** 32]), 4294967295],
    ["float32 1e6 → float16 Inf", () => intr(sc, f16, [f32, 1e6]), Infinity],
    ["float32 NaN → float16 NaN", () => intr(sc, f16, [f32, NaN]), NaN],
    ["uint32 max → float16 Inf (int → float is a plain cast)", () => intr(sc, f16, [u32, 4294967295]), Infinity],
    ["int32 5 → Bool true", () => intr(sc, b1, [i32, 5]), true],
    ["int32 -3 → Bool false", () => intr(sc, b1, [i32, -3]), false],
  ]);
});

describe("halving intrinsics and mul_shift_right", () => {
  table([
    ["halving_add uint8 255, 255 = 255", () => intr(Intrinsic.halvingAdd, u8, [u8, 255], [u8, 255]), 255],
    ["halving_add uint8 255, 0 = 127", () => intr(Intrinsic.halvingAdd, u8, [u8, 255], [u8, 0]), 127],
    ["halving_add int8 -128, -1 = -65 (floor)", () => intr(Intrinsic.halvingAdd, i8, [i8, -128], [i8, -1]), -65],
    ["rounding_halving_add uint8 255, 0 = 128", () => intr(Intrinsic.roundingHalvingAdd, u8, [u8, 255], [u8, 0]), 128],
    [
      "rounding_halving_add int8 -128, -1 = -64",
      () => intr(Intrinsic.roundingHalvingAdd, i8, [i8, -128], [i8, -1]),
      -64,
    ],
    ["halving_sub uint8 0, 255 = -128 wrapped to 128", () => intr(Intrinsic.halvingSub, u8, [u8, 0], [u8, 255]), 128],
    ["halving_sub int8 -128, 127 = -128", () => intr(Intrinsic.halvingSub, i8, [i8, -128], [i8, 127]), -128],
    ["halving_sub int8 127, -128 = 127", () => intr(Intrinsic.halvingSub, i8, [i8, 127], [i8, -128]), 127],
    [
      "mul_shift_right uint8 255*255 >> 8 = 254",
      () => intr(Intrinsic.mulShiftRight, u8, [u8, 255], [u8, 255], [u8, 8]),
      254,
    ],
    [
      "mul_shift_right int16 (-2^15)² >> 15 saturates",
      () => intr(Intrinsic.mulShiftRight, i16, [i16, -32768], [i16, -32768], [u16, 15]),
      32767,
    ],
    [
      "mul_shift_right int16 -2^15 × 32767 >> 15",
      () => intr(Intrinsic.mulShiftRight, i16, [i16, -32768], [i16, 32767], [u16, 15]),
      -32767,
    ],
    [
      "mul_shift_right uint8 200*2 >> 0 saturates",
      () => intr(Intrinsic.mulShiftRight, u8, [u8, 200], [u8, 2], [u8, 0]),
      255,
    ],
    [
      "mul_shift_right int8 -3*1 >> 1 = -2 (floor)",
      () => intr(Intrinsic.mulShiftRight, i8, [i8, -3], [i8, 1], [u8, 1]),
      -2,
    ],
    [
      "rounding_mul_shift_right uint8 255*255 >> 8 = 254",
      () => intr(Intrinsic.roundingMulShiftRight, u8, [u8, 255], [u8, 255], [u8, 8]),
      254,
    ],
    [
      "rounding_mul_shift_right int16 3 >> 1 = 2",
      () => intr(Intrinsic.roundingMulShiftRight, i16, [i16, 3], [i16, 1], [u16, 1]),
      2,
    ],
    [
      "rounding_mul_shift_right int16 -3 >> 1 = -1",
      () => intr(Intrinsic.roundingMulShiftRight, i16, [i16, -3], [i16, 1], [u16, 1]),
      -1,
    ],
    [
      "rounding_mul_shift_right int32 (-2^31)² >> 31 saturates",
      () => intr(Intrinsic.roundingMulShiftRight, i32, [i32, -2147483648], [i32, -2147483648], [u32, 31]),
      2147483647,
    ],
  ]);
});

describe("div_round_to_zero and mod_round_to_zero", () => {
  table([
    ["-7 / 2 = -3", () => intr(Intrinsic.divRoundToZero, i32, [i32, -7], [i32, 2]), -3],
    ["7 / -2 = -3", () => intr(Intrinsic.divRoundToZero, i32, [i32, 7], [i32, -2]), -3],
    ["x / 0 = 0", () => intr(Intrinsic.divRoundToZero, i32, [i32, 7], [i32, 0]), 0],
    ["INT_MIN / -1 wraps", () => intr(Intrinsic.divRoundToZero, i32, [i32, -2147483648], [i32, -1]), -2147483648],
    ["int64 -7 / 2 = -3", () => intr(Intrinsic.divRoundToZero, i64, [i64, -7n], [i64, 2n]), -3n],
    ["-7 % 2 = -1", () => intr(Intrinsic.modRoundToZero, i32, [i32, -7], [i32, 2]), -1],
    ["7 % -2 = 1", () => intr(Intrinsic.modRoundToZero, i32, [i32, 7], [i32, -2]), 1],
    ["x % 0 = 0", () => intr(Intrinsic.modRoundToZero, i32, [i32, 7], [i32, 0]), 0],
    ["int8 -128 % -1 = 0", () => intr(Intrinsic.modRoundToZero, i8, [i8, -128], [i8, -1]), 0],
  ]);
});

describe("lerp", () => {
  const L = Intrinsic.lerp;
  table([
    ["uint8 weight 0 gives zero_val", () => intr(L, u8, [u8, 0], [u8, 255], [u8, 0]), 0],
    ["uint8 weight 255 gives one_val", () => intr(L, u8, [u8, 0], [u8, 255], [u8, 255]), 255],
    ["uint8 weight 128 of 0..255 = 128", () => intr(L, u8, [u8, 0], [u8, 255], [u8, 128]), 128],
    // W = trunc(255 * 0.5) = 127: (42*128 + 69*127 + 127) / 255 = 55.9 → 55; swapped: 56.05 → 56.
    ["uint8 42..69 at 0.5f = 55", () => intr(L, u8, [u8, 42], [u8, 69], [f32, 0.5]), 55],
    ["uint8 69..42 at 0.5f = 56", () => intr(L, u8, [u8, 69], [u8, 42], [f32, 0.5]), 56],
    ["uint8 float weight 0 gives zero_val", () => intr(L, u8, [u8, 10], [u8, 200], [f32, 0]), 10],
    ["uint8 float weight 1 gives one_val", () => intr(L, u8, [u8, 10], [u8, 200], [f32, 1]), 200],
    ["int8 -128..127 at 128/255 = 0", () => intr(L, i8, [i8, -128], [i8, 127], [u8, 128]), 0],
    ["int8 -128..127 at 255/255 = 127", () => intr(L, i8, [i8, -128], [i8, 127], [u8, 255]), 127],
    ["int8 127..-128 at 0 = 127", () => intr(L, i8, [i8, 127], [i8, -128], [u8, 0]), 127],
    ["uint16 values, uint8 weight 1 scales to 257", () => intr(L, u16, [u16, 0], [u16, 65535], [u8, 1]), 257],
    ["uint8 values, uint16 weight 65535 = one_val", () => intr(L, u8, [u8, 0], [u8, 255], [u16, 65535]), 255],
    ["uint8 values, uint16 weight 257 = 1/255", () => intr(L, u8, [u8, 0], [u8, 255], [u16, 257]), 1],
    ["uint8 values, Bool weight true = one_val", () => intr(L, u8, [u8, 3], [u8, 9], [b1, true]), 9],
    [
      "uint32 values, uint32 weight max = one_val",
      () => intr(L, u32, [u32, 0], [u32, 4294967295], [u32, 4294967295]),
      4294967295,
    ],
    [
      "int32 values, float weight 1 = one_val",
      () => intr(L, i32, [i32, -2147483648], [i32, 2147483647], [f32, 1]),
      2147483647,
    ],
    [
      "int32 values, float weight 0 = zero_val",
      () => intr(L, i32, [i32, -2147483648], [i32, 2147483647], [f32, 0]),
      -2147483648,
    ],
    ["Bool values, uint8 weight 127 = zero_val", () => intr(L, b1, [b1, false], [b1, true], [u8, 127]), false],
    ["Bool values, uint8 weight 128 = one_val", () => intr(L, b1, [b1, false], [b1, true], [u8, 128]), true],
    ["Bool values, float weight 0.5 = zero_val", () => intr(L, b1, [b1, false], [b1, true], [f32, 0.5]), false],
    ["float32 0..10 at 0.25 = 2.5", () => intr(L, f32, [f32, 0], [f32, 10], [f32, 0.25]), 2.5],
    ["float32 1..3 at uint8 255 = 3", () => intr(L, f32, [f32, 1], [f32, 3], [u8, 255]), 3],
    ["float32 weights beyond [0, 1] extrapolate", () => intr(L, f32, [f32, 0], [f32, 10], [f32, 2]), 20],
    ["float16 0..1 at 0.5 = 0.5", () => intr(L, f16, [f16, 0], [f16, 1], [f16, 0.5]), 0.5],
  ]);
  it("float values with an integer weight use w / (2^bits - 1)", () => {
    expect(intr(L, f64, [f64, 0], [f64, 10], [u8, 51]) as number).toBeCloseTo(2, 12);
  });
  it("rejects 64-bit integer values and signed weights", () => {
    expect(() => intr(L, i64, [i64, 0n], [i64, 1n], [u8, 1])).toThrow("64-bit");
    expect(() => intr(L, u8, [u8, 0], [u8, 1], [i8, 1])).toThrow("weight must be an unsigned integer or a float");
  });
});

describe("other intrinsics", () => {
  table([
    ["likely is the identity", () => intr(Intrinsic.likely, i32, [i32, 42]), 42],
    ["likely_if_innermost is the identity", () => intr(Intrinsic.likelyIfInnermost, b1, [b1, true]), true],
    ["mux picks by index", () => intr(Intrinsic.mux, i32, [i32, 1], [i32, 10], [i32, 20], [i32, 30]), 20],
    [
      "mux gives the last value for a negative index (Halide's select chain)",
      () => intr(Intrinsic.mux, i32, [i32, -1], [i32, 10], [i32, 20], [i32, 30]),
      30,
    ],
    [
      "mux gives the last value for a large index",
      () => intr(Intrinsic.mux, i32, [i32, 5], [i32, 10], [i32, 20], [i32, 30]),
      30,
    ],
    ["if_then_else", () => intr(Intrinsic.ifThenElse, i32, [b1, false], [i32, 1], [i32, 2]), 2],
  ]);
  it("impure intrinsics are reported, not evaluated", () => {
    for (const name of [Intrinsic.undef, Intrinsic.random, Intrinsic.print, Intrinsic.require] as const) {
      expect(() => intr(name, i32, [i32, 1])).toThrow(`${name}: the interpreter cannot evaluate it`);
    }
  });
});

describe("float math", () => {
  table([
    ["sqrt(2) in float32", () => intr(Intrinsic.sqrt, f32, [f32, 2]), 1.4142135381698608],
    ["sqrt(2) in float16", () => intr(Intrinsic.sqrt, f16, [f16, 2]), 1.4140625],
    ["sqrt(-1) is NaN", () => intr(Intrinsic.sqrt, f32, [f32, -1]), NaN],
    ["sin(0) = 0", () => intr(Intrinsic.sin, f32, [f32, 0]), 0],
    ["sin(1) in float16", () => intr(Intrinsic.sin, f16, [f16, 1]), 0.84130859375],
    ["cos(0) = 1", () => intr(Intrinsic.cos, f64, [f64, 0]), 1],
    ["atan2(1, 1) = pi/4 in float32", () => intr(Intrinsic.atan2, f32, [f32, 1], [f32, 1]), 0.7853981852531433],
    ["atan2(0, -1) = pi", () => intr(Intrinsic.atan2, f64, [f64, 0], [f64, -1]), Math.PI],
    ["exp(0) = 1", () => intr(Intrinsic.exp, f32, [f32, 0]), 1],
    ["exp(1) in bfloat16", () => intr(Intrinsic.exp, bf16, [bf16, 1]), 2.71875],
    ["exp(100) overflows float32", () => intr(Intrinsic.exp, f32, [f32, 100]), Infinity],
    ["log(0) = -Inf", () => intr(Intrinsic.log, f32, [f32, 0]), -Infinity],
    ["log(-1) is NaN", () => intr(Intrinsic.log, f32, [f32, -1]), NaN],
    ["pow(2, 10) = 1024", () => intr(Intrinsic.pow, f32, [f32, 2], [f32, 10]), 1024],
    ["pow(1, NaN) = 1 (C semantics)", () => intr(Intrinsic.pow, f32, [f32, 1], [f32, NaN]), 1],
    ["pow(-1, Inf) = 1 (C semantics)", () => intr(Intrinsic.pow, f64, [f64, -1], [f64, Infinity]), 1],
    ["pow(0, -1) = Inf", () => intr(Intrinsic.pow, f32, [f32, 0], [f32, -1]), Infinity],
    ["pow(-8, 1/3) is NaN", () => intr(Intrinsic.pow, f64, [f64, -8], [f64, 1 / 3]), NaN],
    ["asin(2) is NaN", () => intr(Intrinsic.asin, f32, [f32, 2]), NaN],
    ["atanh(1) = Inf", () => intr(Intrinsic.atanh, f32, [f32, 1]), Infinity],
    ["floor(-0.5) = -1", () => intr(Intrinsic.floor, f32, [f32, -0.5]), -1],
    ["ceil(-0.5) = -0", () => intr(Intrinsic.ceil, f32, [f32, -0.5]), -0],
    ["trunc(-2.7) = -2", () => intr(Intrinsic.trunc, f32, [f32, -2.7]), -2],
    ["round(0.5) = 0 (ties to even)", () => intr(Intrinsic.round, f32, [f32, 0.5]), 0],
    ["round(1.5) = 2", () => intr(Intrinsic.round, f32, [f32, 1.5]), 2],
    ["round(2.5) = 2", () => intr(Intrinsic.round, f32, [f32, 2.5]), 2],
    ["round(-0.5) = -0", () => intr(Intrinsic.round, f32, [f32, -0.5]), -0],
    ["round(-1.5) = -2", () => intr(Intrinsic.round, f64, [f64, -1.5]), -2],
    ["round(-2.5) = -2", () => intr(Intrinsic.round, f64, [f64, -2.5]), -2],
    ["round(3.5) = 4", () => intr(Intrinsic.round, f16, [f16, 3.5]), 4],
    ["round(2.4999999) = 2", () => intr(Intrinsic.round, f64, [f64, 2.4999999]), 2],
    ["round(2^52 + 1) is itself", () => intr(Intrinsic.round, f64, [f64, 2 ** 52 + 1]), 2 ** 52 + 1],
    ["is_nan(NaN)", () => intr(Intrinsic.isNan, b1, [f32, NaN]), true],
    ["is_nan(Inf)", () => intr(Intrinsic.isNan, b1, [f32, Infinity]), false],
    ["is_inf(-Inf)", () => intr(Intrinsic.isInf, b1, [f16, -Infinity]), true],
    ["is_inf(1)", () => intr(Intrinsic.isInf, b1, [f32, 1]), false],
    ["is_finite(Inf)", () => intr(Intrinsic.isFinite, b1, [f64, Infinity]), false],
    ["is_finite(NaN)", () => intr(Intrinsic.isFinite, b1, [f32, NaN]), false],
    ["is_finite(1)", () => intr(Intrinsic.isFinite, b1, [f32, 1]), true],
    ["fast_inverse(4) = 0.25 (exact value)", () => intr(Intrinsic.fastInverse, f32, [f32, 4]), 0.25],
    ["fast_inverse(0) = Inf", () => intr(Intrinsic.fastInverse, f32, [f32, 0]), Infinity],
    ["fast_inverse_sqrt(4) = 0.5 (exact value)", () => intr(Intrinsic.fastInverseSqrt, f32, [f32, 4]), 0.5],
  ]);
});

describe("type errors", () => {
  it("names the intrinsic and the offending argument", () => {
    expect(() => intr(Intrinsic.sqrt, i32, [i32, 4])).toThrow("sqrt: argument 0 has type int32, but must be a float.");
    expect(() => intr(Intrinsic.bitwiseAnd, f32, [f32, 1], [f32, 1])).toThrow("bitwise_and: argument 0");
    expect(() => intr(Intrinsic.popcount, u8)).toThrow("popcount: expected 1 arguments, got 0.");
    expect(() => evalIntrinsic("no_such_thing", i32, [], [])).toThrow("does not know the intrinsic no_such_thing");
    expect(() => intr(Intrinsic.halvingAdd, f32, [f32, 1], [f32, 2])).toThrow(HalideError);
  });
  it("rejects types without a value representation", () => {
    expect(() => castValue(Float(8), f32, 1)).toThrow("Unsupported float type");
  });
});

it("every intrinsic of the IR has a definition", () => {
  const names = intrinsicNames();
  for (const name of Object.values(Intrinsic)) expect(names).toContain(name);
});

/** Types for the remaining sanity check: `castValue` is the identity on canonical values. */
const allTypes: Type[] = [b1, i8, i16, i32, i64, u8, u16, u32, u64, f16, bf16, f32, f64];
it("casting a value to its own type is the identity", () => {
  for (const t of allTypes) {
    const v = toValue(t, t.isBool() ? true : t.isFloat() ? 0.5 : t.bits > 32 ? 7n : 7);
    expect(castValue(t, t, v)).toBe(v);
  }
});
