// Native fixed-point and integer helper operations against the reference interpreter, one pipeline per
// (operation, types): the widening_* and widen_right_* families, rounding shifts, saturating add/sub, halving
// add/sub, (rounding) mul-shift-right, division rounding to zero, and lerp with every value/weight type pairing.
import { describe, it } from "bun:test";
import fc from "fast-check";
import * as hl from "../../mod.ts";
import {
  BOOL,
  check,
  columns,
  F16,
  F32,
  F64,
  I16,
  I32,
  I64,
  I8,
  INT_TYPES,
  intArb,
  intValue,
  NUMERIC_TYPES,
  SINT_TYPES,
  typesLabel,
  U16,
  U32,
  U64,
  U8,
  UINT_TYPES,
  type Value,
} from "./harness.ts";

type Binary = (a: hl.Expr, b: hl.Expr) => hl.Expr;
const narrowInts = INT_TYPES.filter((t) => t.bits <= 32);

/** Shift amounts of type `t`: mostly within ±(limit + 2), sometimes anything. */
function amountArb(t: hl.Type, limit: number): fc.Arbitrary<Value> {
  const w = BigInt(limit);
  return fc.oneof(
    { weight: 6, arbitrary: fc.bigInt({ min: t.isInt() ? -w - 2n : 0n, max: w + 2n }) },
    { weight: 1, arbitrary: intArb(t) },
  ).map((v) => intValue(t, v < t.minInt() ? t.minInt() : v > t.maxInt() ? t.maxInt() : v));
}

function binary(
  name: string,
  root: string,
  types: readonly hl.Type[],
  op: Binary,
  arbs?: (fc.Arbitrary<Value> | undefined)[],
) {
  const label = `${name} ${typesLabel(types)}`;
  check({ label, op: root, inputs: columns(label, types, { arbs, equalBias: true }), build: ([a, b]) => op(a, b) });
}

describe("widening operations", () => {
  const ops: [string, string, Binary][] = [
    ["wideningAdd", "widening_add", hl.wideningAdd],
    ["wideningSub", "widening_sub", hl.wideningSub],
    ["wideningMul", "widening_mul", hl.wideningMul],
  ];
  for (const [name, root, op] of ops) {
    for (const t of [...narrowInts, BOOL, F16, F32]) {
      it(`${name} ${t} ${t}`, () => binary(name, root, [t, t], op));
    }
  }
  for (const [a, b] of [[U8, I8], [I8, U8], [U16, I16], [I16, U16], [U32, I32], [I32, U32]]) {
    it(`wideningMul ${a} ${b} (mixed signedness)`, () => binary("wideningMul", "widening_mul", [a, b], hl.wideningMul));
  }
  for (const t of narrowInts) {
    for (const amount of [t.withCode(hl.TypeCode.UInt), t.withCode(hl.TypeCode.Int)]) {
      for (
        const [name, root, op] of [
          ["wideningShiftLeft", "widening_shift_left", hl.wideningShiftLeft],
          ["wideningShiftRight", "widening_shift_right", hl.wideningShiftRight],
        ] as const
      ) {
        it(`${name} ${t} by ${amount}`, () =>
          binary(name, root, [t, amount], op, [undefined, amountArb(amount, 2 * t.bits)]));
      }
    }
  }
  for (const [wide, narrow] of [[U16, U8], [I16, I8], [U32, U16], [I32, I16], [U64, U32], [I64, I32]]) {
    for (
      const [name, root, op] of [
        ["widenRightAdd", "widen_right_add", hl.widenRightAdd],
        ["widenRightSub", "widen_right_sub", hl.widenRightSub],
        ["widenRightMul", "widen_right_mul", hl.widenRightMul],
      ] as const
    ) {
      it(`${name} ${wide} ${narrow}`, () => binary(name, root, [wide, narrow], op));
    }
  }
});

describe("rounding shifts", () => {
  for (const t of INT_TYPES) {
    for (const amount of [t.withCode(hl.TypeCode.UInt), t.withCode(hl.TypeCode.Int)]) {
      for (
        const [name, root, op] of [
          ["roundingShiftLeft", "rounding_shift_left", hl.roundingShiftLeft],
          ["roundingShiftRight", "rounding_shift_right", hl.roundingShiftRight],
        ] as const
      ) {
        it(`${name} ${t} by ${amount}`, () =>
          binary(name, root, [t, amount], op, [undefined, amountArb(amount, t.bits)]));
      }
    }
  }
  it("roundingShiftRight by literal amounts", () => {
    for (const t of [U8, I8, I16, U32, I64]) {
      for (const k of [1, 4, t.bits - 1, -2]) {
        const label = `roundingShiftRight ${t} by literal ${k}`;
        check({
          label,
          op: k > 0 ? "rounding_shift_right" : "rounding_shift_left",
          inputs: columns(label, [t], { n: 60 }),
          build: ([a]) => hl.roundingShiftRight(a, k),
        });
      }
    }
  });
});

describe("saturating and halving arithmetic", () => {
  for (const t of [...NUMERIC_TYPES, BOOL]) {
    it(`saturatingAdd ${t}`, () => binary("saturatingAdd", "saturating_add", [t, t], hl.saturatingAdd));
    it(`saturatingSub ${t}`, () => binary("saturatingSub", "saturating_sub", [t, t], hl.saturatingSub));
  }
  for (const t of INT_TYPES) {
    it(`halvingAdd ${t}`, () => binary("halvingAdd", "halving_add", [t, t], hl.halvingAdd));
    it(`roundingHalvingAdd ${t}`, () =>
      binary("roundingHalvingAdd", "rounding_halving_add", [t, t], hl.roundingHalvingAdd));
    it(`halvingSub ${t}`, () => binary("halvingSub", "halving_sub", [t, t], hl.halvingSub));
  }
});

describe("mulShiftRight and roundingMulShiftRight", () => {
  for (const t of INT_TYPES) {
    const q = t.withCode(hl.TypeCode.UInt);
    for (
      const [name, root, op] of [
        ["mulShiftRight", "mul_shift_right", hl.mulShiftRight],
        ["roundingMulShiftRight", "rounding_mul_shift_right", hl.roundingMulShiftRight],
      ] as const
    ) {
      it(`${name} ${t} ${t} by ${q}`, () => {
        const label = `${name} ${typesLabel([t, t, q])}`;
        check({
          label,
          op: root,
          inputs: columns(label, [t, t, q], { arbs: [undefined, undefined, amountArb(q, 2 * t.bits)] }),
          build: ([a, b, s]) => op(a, b, s),
        });
      });
      it(`${name} ${t} ${t} by the literal ${t.bits - 1}`, () => {
        const label = `${name} ${typesLabel([t, t])} literal`;
        check({ label, op: root, inputs: columns(label, [t, t]), build: ([a, b]) => op(a, b, t.bits - 1) });
      });
    }
  }
});

describe("division rounding to zero", () => {
  const divisor = (t: hl.Type) =>
    fc.oneof({ weight: 3, arbitrary: intArb(t) }, { weight: 2, arbitrary: fc.constantFrom(0n, 1n, -1n, 3n, -3n) })
      .map((v) => intValue(t, v));
  for (const t of SINT_TYPES) {
    it(`divRoundToZero and modRoundToZero ${t} (C semantics; x/0 and INT_MIN/-1 not compared)`, () => {
      binary("divRoundToZero", "div_round_to_zero", [t, t], hl.divRoundToZero, [undefined, divisor(t)]);
      binary("modRoundToZero", "mod_round_to_zero", [t, t], hl.modRoundToZero, [undefined, divisor(t)]);
    });
  }
  for (const t of UINT_TYPES) {
    it(`divRoundToZero and modRoundToZero ${t} are Div and Mod`, () => {
      binary("divRoundToZero", "Div", [t, t], hl.divRoundToZero);
      binary("modRoundToZero", "Mod", [t, t], hl.modRoundToZero);
    });
  }
});

describe("lerp", () => {
  const values = [U8, U16, U32, I8, I16, I32, BOOL, F16, F32, F64];
  const weights = [U8, U16, U32, BOOL, F16, F32, F64];
  /** Float weights: mostly in [0, 1] (the defined range for integer values), sometimes anything. */
  const weightArb = (w: hl.Type): fc.Arbitrary<Value> | undefined =>
    w.isFloat()
      ? fc.oneof(
        { weight: 6, arbitrary: fc.double({ min: 0, max: 1, noNaN: true }) },
        { weight: 1, arbitrary: fc.constantFrom(0, 1, 0.5, 0.25, -0, 1.5, -0.5, NaN) },
      )
      : undefined;
  for (const v of values) {
    for (const w of weights) {
      it(`lerp(${v}, ${v}, weight ${w})`, () => {
        const label = `lerp ${typesLabel([v, v, w])}`;
        check({
          label,
          op: "lerp",
          inputs: columns(label, [v, v, w], { arbs: [undefined, undefined, weightArb(w)] }),
          build: ([a, b, c]) => hl.lerp(a, b, c),
        });
      });
    }
  }
  it("lerp with constant weights", () => {
    for (const v of [U8, I16, F32]) {
      for (const k of [0, 0.25, 0.5, 1]) {
        const label = `lerp ${typesLabel([v, v])} by ${k}`;
        // hl.f32: an integral literal is an int32, which is not a valid weight.
        check({
          label,
          op: "lerp",
          inputs: columns(label, [v, v], { n: 60 }),
          build: ([a, b]) => hl.lerp(a, b, hl.f32(k)),
        });
      }
    }
  });
});
