// Vector code generation is a different path (src/lower/vectorize.ts, then LLVM vector instructions): a
// representative subset of the operators, casts and math functions, scheduled `f.vectorize(x, lanes)` with 8 lanes
// (and 16/32 for 8-bit types), must agree with the interpreter under the same rules and be bit-identical to the
// same pipeline compiled with the scalar (default) schedule wherever the operation is defined (float results are
// compared with scalar code directly; integer and Bool results must equal the interpreter exactly, as scalar code
// must). The inputs' length is not a multiple of the lanes, so the tail strategy (ShiftInwards) is exercised too.
import { describe, it } from "bun:test";
import fc from "fast-check";
import * as hl from "../../mod.ts";
import {
  BOOL,
  checkVectorized,
  columns,
  F16,
  F32,
  F64,
  floatArb,
  I16,
  I32,
  I64,
  I8,
  intValue,
  typesLabel,
  U16,
  U32,
  U64,
  U8,
  type Value,
} from "./harness.ts";

type Build = (args: hl.Expr[]) => hl.ExprLike;

function vectorCase(
  name: string,
  root: string,
  types: readonly hl.Type[],
  build: Build,
  lanes: number,
  arbs?: (fc.Arbitrary<Value> | undefined)[],
  skipRow?: (row: readonly Value[]) => boolean,
) {
  const label = `${name} ${typesLabel(types)} x${lanes}`;
  checkVectorized({
    label,
    op: root,
    inputs: columns(label, types, { arbs, equalBias: true, n: 203 }),
    build,
    vectorize: lanes,
    skipRow,
  });
}

const amount = (t: hl.Type, limit: number) =>
  fc.bigInt({ min: t.isInt() ? -BigInt(limit) : 0n, max: BigInt(limit) - 1n }).map((v) => intValue(t, v));

describe("vectorized operators agree with the interpreter and with scalar code", () => {
  for (const t of [U8, I8, U16, I16, U32, I32, U64, I64, F16, F32, F64]) {
    it(`arithmetic, comparison and select ${t} x8`, () => {
      vectorCase("add", "Add", [t, t], ([a, b]) => a.add(b), 8);
      vectorCase("mul", "Mul", [t, t], ([a, b]) => a.mul(b), 8);
      vectorCase("div", "Div", [t, t], ([a, b]) => a.div(b), 8);
      vectorCase("mod", "Mod", [t, t], ([a, b]) => a.mod(b), 8);
      vectorCase("min", "Min", [t, t], ([a, b]) => hl.min(a, b), 8);
      vectorCase("select-cmp", "Select", [t, t], ([a, b]) => hl.select(a.ge(b), a, b.sub(a)), 8);
    });
  }
  for (const t of [U8, I8]) {
    for (const lanes of [16, 32]) {
      it(`8-bit operations ${t} x${lanes}`, () => {
        vectorCase("add", "Add", [t, t], ([a, b]) => a.add(b), lanes);
        vectorCase("mul", "Mul", [t, t], ([a, b]) => a.mul(b), lanes);
        vectorCase("max", "Max", [t, t], ([a, b]) => hl.max(a, b), lanes);
        vectorCase("lt", "LT", [t, t], ([a, b]) => a.lt(b), lanes);
        vectorCase("select", "Select", [BOOL, t, t], ([c, a, b]) => hl.select(c, a, b), lanes);
        vectorCase("absd", "absd", [t, t], ([a, b]) => hl.absd(a, b), lanes);
        vectorCase("saturatingAdd", "saturating_add", [t, t], ([a, b]) => hl.saturatingAdd(a, b), lanes);
        vectorCase(
          "roundingHalvingAdd",
          "rounding_halving_add",
          [t, t],
          ([a, b]) => hl.roundingHalvingAdd(a, b),
          lanes,
        );
        vectorCase("shr", "shift_right", [t, I8], ([a, b]) => hl.shr(a, b), lanes, [undefined, amount(I8, 8)]);
      });
    }
  }
  for (const t of [U8, I16, U64, I64]) {
    it(`bitwise operations, shifts and bit counts ${t} x8`, () => {
      const signed = t.withCode(hl.TypeCode.Int);
      vectorCase("bitXor", "bitwise_xor", [t, t], ([a, b]) => a.bitXor(b), 8);
      vectorCase("shl", "shift_left", [t, signed], ([a, b]) => hl.shl(a, b), 8, [undefined, amount(signed, t.bits)]);
      vectorCase("shr", "shift_right", [t, signed], ([a, b]) => hl.shr(a, b), 8, [undefined, amount(signed, t.bits)]);
      vectorCase("popcount", "popcount", [t], ([a]) => hl.popcount(a), 8);
      vectorCase("countLeadingZeros", "count_leading_zeros", [t], ([a]) => hl.countLeadingZeros(a), 8);
    });
  }
  for (const t of [U8, I16, U32, I32]) {
    it(`fixed-point operations ${t} x8`, () => {
      const u = t.withCode(hl.TypeCode.UInt);
      vectorCase("saturatingSub", "saturating_sub", [t, t], ([a, b]) => hl.saturatingSub(a, b), 8);
      vectorCase("halvingSub", "halving_sub", [t, t], ([a, b]) => hl.halvingSub(a, b), 8);
      vectorCase("wideningMul", "widening_mul", [t, t], ([a, b]) => hl.wideningMul(a, b), 8);
      vectorCase("wideningShiftLeft", "widening_shift_left", [t, u], ([a, b]) => hl.wideningShiftLeft(a, b), 8, [
        undefined,
        amount(u, t.bits),
      ]);
      vectorCase("roundingShiftRight", "rounding_shift_right", [t, u], ([a, b]) => hl.roundingShiftRight(a, b), 8, [
        undefined,
        amount(u, t.bits),
      ]);
      vectorCase("mulShiftRight", "mul_shift_right", [t, t], ([a, b]) => hl.mulShiftRight(a, b, t.bits - 1), 8);
      if (t.bits < 32) {
        vectorCase(
          "roundingMulShiftRight",
          "rounding_mul_shift_right",
          [t, t],
          ([a, b]) => hl.roundingMulShiftRight(a, b, t.bits - 1),
          8,
        );
        vectorCase("lerp", "lerp", [t, t, u], ([a, b, w]) => hl.lerp(a, b, w), 8);
        vectorCase("lerp-f32", "lerp", [t, t, F32], ([a, b, w]) => hl.lerp(a, b, w), 8, [
          undefined,
          undefined,
          fc.double({ min: 0, max: 1, noNaN: true }),
        ]);
        vectorCase("lerp-const", "lerp", [t, t], ([a, b]) => hl.lerp(a, b, hl.f32(0.25)), 8);
      }
    });
  }
  it("bool operations x8 and x32", () => {
    for (const lanes of [8, 32]) {
      vectorCase("and", "And", [BOOL, BOOL], ([a, b]) => hl.and(a, b), lanes);
      vectorCase("not", "Not", [BOOL], ([a]) => hl.not(a), lanes);
      vectorCase("select", "Select", [BOOL, BOOL, BOOL], ([c, a, b]) => hl.select(c, a, b), lanes);
    }
  });
  it("mux, clamp and float lerp x8", () => {
    const index = fc.bigInt({ min: -2n, max: 5n }).map((v) => intValue(I8, v));
    vectorCase("mux", "mux", [I8, F32, F32, F32], ([i, a, b, c]) => hl.mux(i, [a, b, c]), 8, [index]);
    vectorCase("clamp", "Max", [I16, I16, I16], ([a, lo, hi]) => hl.clamp(a, lo, hi), 8);
    vectorCase("lerp", "lerp", [F32, F32, U8], ([a, b, w]) => hl.lerp(a, b, w), 8);
  });
});

describe("vectorized casts agree with the interpreter and with scalar code", () => {
  const pairs: [hl.Type, hl.Type, number][] = [
    [U8, F32, 16],
    [F32, U8, 8],
    [I8, I32, 32],
    [I32, I8, 8],
    [U16, F16, 8],
    [F16, I16, 8],
    [F16, F32, 8],
    [F32, F16, 8],
    [F64, F32, 8],
    [F64, I64, 8],
    [U64, F64, 8],
    [I64, F32, 8],
    [U32, F32, 8],
    [F32, U32, 8],
    [BOOL, U8, 16],
    [U8, BOOL, 32],
    [F32, BOOL, 8],
  ];
  for (const [from, to, lanes] of pairs) {
    it(`cast and saturatingCast ${from} → ${to} x${lanes}`, () => {
      vectorCase("cast", "Cast", [from], ([a]) => hl.cast(to, a), lanes);
      vectorCase("saturatingCast", "saturating_cast", [from], ([a]) => hl.saturatingCast(to, a), lanes);
    });
  }
  it("reinterpret float32 ↔ uint32 and float16 → int16 x8", () => {
    vectorCase("reinterpret", "Reinterpret", [F32], ([a]) => hl.reinterpret(U32, a), 8);
    vectorCase("reinterpret", "Reinterpret", [U32], ([a]) => hl.reinterpret(F32, a), 8);
    vectorCase("reinterpret", "Reinterpret", [F16], ([a]) => hl.reinterpret(I16, a), 8);
  });
});

describe("vectorized math agrees with the interpreter and with scalar code", () => {
  for (const t of [F16, F32, F64]) {
    it(`sqrt, sin, floor, round, isNan ${t} x8`, () => {
      vectorCase("sqrt", "sqrt", [t], ([a]) => hl.sqrt(a), 8);
      vectorCase("sin", "sin", [t], ([a]) => hl.sin(a), 8, [floatArb(t, { min: -10, max: 10 })]);
      vectorCase("floor", "floor", [t], ([a]) => hl.floor(a), 8);
      vectorCase("round", "round", [t], ([a]) => hl.round(a), 8);
      vectorCase("isNan", "is_nan", [t], ([a]) => hl.isNan(a), 8);
    });
  }
  it("atan2, exp, log, pow, abs, isFinite float32 x8", () => {
    const small = [floatArb(F32, { min: -10, max: 10 })];
    vectorCase("atan2", "atan2", [F32, F32], ([a, b]) => hl.atan2(a, b), 8);
    vectorCase("exp", "exp", [F32], ([a]) => hl.exp(a), 8, small);
    vectorCase("log", "log", [F32], ([a]) => hl.log(a), 8);
    vectorCase("pow", "pow", [F32, F32], ([a, b]) => hl.pow(a, b), 8, small.concat(small));
    vectorCase("abs", "abs", [F32], ([a]) => hl.abs(a), 8);
    vectorCase("isFinite", "is_finite", [F32], ([a]) => hl.isFinite(a), 8);
  });
  it("erf and the fast approximations float32 x8", () => {
    const domain = [floatArb(F32, { min: -50, max: 50 })];
    // The range reductions convert to int32: undefined beyond |x| ~ 2^31 (not compared).
    const huge = ([v]: readonly Value[]) => !(Math.abs(v as number) < 1e9);
    vectorCase("erf", "Mul", [F32], ([a]) => hl.erf(a), 8, domain);
    vectorCase("fastSin", "Select", [F32], ([a]) => hl.fastSin(a), 8, domain, huge);
    vectorCase("fastExp", "Mul", [F32], ([a]) => hl.fastExp(a), 8, domain, huge);
    vectorCase("fastLog", "Add", [F32], ([a]) => hl.fastLog(a), 8);
    vectorCase("fastInverse", "fast_inverse", [F32], ([a]) => hl.fastInverse(a), 8);
    vectorCase("fastInverseSqrt", "fast_inverse_sqrt", [F32], ([a]) => hl.fastInverseSqrt(a), 8);
  });
});
