// Native (JIT-compiled) operators against the reference interpreter, one pipeline per (operation, types), on random
// inputs of every type with their edge values: arithmetic, comparisons, logic, select, bitwise operations, shifts,
// abs/absd, bit counts, clamp and mux. See harness.ts for the method and the exactness rules applied.
import { describe, expect, it } from "bun:test";
import fc from "fast-check";
import * as hl from "../../mod.ts";
import {
  ALL_TYPES,
  BOOL,
  check,
  columns,
  F32,
  FLOAT_TYPES,
  I16,
  I32,
  I8,
  INT_TYPES,
  intArb,
  intValue,
  NUMERIC_TYPES,
  runCase,
  SINT_TYPES,
  typesLabel,
  U16,
  U32,
  U8,
  UINT_TYPES,
  type Value,
} from "./harness.ts";

type Binary = (a: hl.Expr, b: hl.Expr) => hl.Expr;

/** One case per type: `op(a, b)` with both operands of that type. */
function binaryCases(name: string, root: string, types: readonly hl.Type[], op: Binary, equalBias = true) {
  for (const t of types) {
    it(`${name} ${t}`, () => {
      const label = `${name} ${typesLabel([t, t])}`;
      check({ label, op: root, inputs: columns(label, [t, t], { equalBias }), build: ([a, b]) => op(a, b) });
    });
  }
}

/** Divisors biased toward 0, ±1, small values and the extremes. */
function divisorArb(t: hl.Type): fc.Arbitrary<Value> {
  return fc.oneof(
    { weight: 3, arbitrary: intArb(t) },
    { weight: 2, arbitrary: fc.constantFrom(0n, 1n, ...(t.isInt() ? [-1n, -2n] : [2n])) },
  ).map((v) => intValue(t, v));
}

describe("arithmetic operators", () => {
  binaryCases("add", "Add", NUMERIC_TYPES, (a, b) => a.add(b));
  binaryCases("sub", "Sub", NUMERIC_TYPES, (a, b) => a.sub(b));
  binaryCases("mul", "Mul", NUMERIC_TYPES, (a, b) => a.mul(b));
  binaryCases("min", "Min", ALL_TYPES, (a, b) => hl.min(a, b));
  binaryCases("max", "Max", ALL_TYPES, (a, b) => hl.max(a, b));
  for (const t of NUMERIC_TYPES) {
    for (const [name, op] of [["div", hl.div], ["mod", hl.mod]] as const) {
      it(`${name} ${t} (Euclidean; x/0 = x%0 = 0; INT_MIN / -1 wraps)`, () => {
        const label = `${name} ${typesLabel([t, t])}`;
        const arbs = t.isFloat() ? undefined : [undefined, divisorArb(t)];
        check({
          label,
          op: name === "div" ? "Div" : "Mod",
          inputs: columns(label, [t, t], { arbs, equalBias: true }),
          build: ([a, b]) => op(a, b),
        });
      });
    }
  }
  for (const t of INT_TYPES) {
    // LLVM turns division by a constant into multiplications and shifts: a different code path.
    it(`div and mod ${t} by constant divisors`, () => {
      const divisors = t.isInt()
        ? [0, -1, 3, -7, 16, Number(t.maxInt() > 2n ** 31n ? 2n ** 31n - 1n : t.maxInt())]
        : [0, 3, 16, 255];
      for (const k of divisors) {
        const label = `div mod ${t} by the constant ${k}`;
        check({
          label,
          op: "bitwise_xor",
          inputs: columns(label, [t], { n: 120 }),
          build: ([a]) => a.div(k).bitXor(a.mod(k)),
        });
      }
    });
  }
  for (const t of NUMERIC_TYPES) {
    it(`neg ${t} (0 - a)`, () => {
      const label = `neg ${t}`;
      check({ label, op: "Sub", inputs: columns(label, [t]), build: ([a]) => hl.neg(a) });
    });
  }
});

describe("comparisons", () => {
  const ops: [string, Binary][] = [
    ["lt", (a, b) => a.lt(b)],
    ["le", (a, b) => a.le(b)],
    ["gt", (a, b) => a.gt(b)],
    ["ge", (a, b) => a.ge(b)],
    ["eq", (a, b) => a.eq(b)],
    ["ne", (a, b) => a.ne(b)],
  ];
  for (const [name, op] of ops) binaryCases(name, name.toUpperCase(), ALL_TYPES, op);
});

describe("logical operators and select", () => {
  it("and, or, not of bools", () => {
    for (const [name, op] of [["and", hl.and], ["or", hl.or]] as const) {
      const label = `${name} bool bool`;
      check({
        label,
        op: name === "and" ? "And" : "Or",
        inputs: columns(label, [BOOL, BOOL]),
        build: ([a, b]) => op(a, b),
      });
    }
    check({ label: "not bool", op: "Not", inputs: columns("not bool", [BOOL]), build: ([a]) => hl.not(a) });
  });
  for (const t of ALL_TYPES) {
    it(`select(bool, ${t}, ${t})`, () => {
      const label = `select ${typesLabel([BOOL, t, t])}`;
      check({ label, op: "Select", inputs: columns(label, [BOOL, t, t]), build: ([c, a, b]) => hl.select(c, a, b) });
    });
  }
  it("select with several conditions picks the first true one", () => {
    const label = "select4 bool int32 bool int32 int32";
    check({
      label,
      op: "Select",
      inputs: columns(label, [BOOL, I32, BOOL, I32, I32]),
      build: ([c1, a, c2, b, d]) => hl.select(c1, a, c2, b, d),
    });
  });
});

describe("bitwise operators", () => {
  binaryCases("bitAnd", "bitwise_and", INT_TYPES, (a, b) => a.bitAnd(b), false);
  binaryCases("bitOr", "bitwise_or", INT_TYPES, (a, b) => a.bitOr(b), false);
  binaryCases("bitXor", "bitwise_xor", INT_TYPES, (a, b) => a.bitXor(b), false);
  for (const t of INT_TYPES) {
    it(`bitNot ${t}`, () => {
      const label = `bitNot ${t}`;
      check({ label, op: "bitwise_not", inputs: columns(label, [t]), build: ([a]) => hl.bitNot(a) });
    });
  }
  it("bitAnd/bitOr/bitXor of bools are &&, || and !=", () => {
    for (
      const [name, op, root] of [["bitAnd", hl.bitAnd, "And"], ["bitOr", hl.bitOr, "Or"], [
        "bitXor",
        hl.bitXor,
        "NE",
      ]] as const
    ) {
      const label = `${name} bool bool`;
      check({ label, op: root, inputs: columns(label, [BOOL, BOOL]), build: ([a, b]) => op(a, b) });
    }
  });
});

/** Shift amounts: mostly in range, sometimes at or beyond the width (undefined, computed but not compared). */
function amountArb(t: hl.Type): fc.Arbitrary<Value> {
  const w = BigInt(t.bits);
  const lo = t.isInt() ? -w - 2n : 0n;
  return fc.oneof(
    { weight: 6, arbitrary: fc.bigInt({ min: lo, max: w + 2n }) },
    { weight: 1, arbitrary: intArb(t) },
  ).map((v) => intValue(t, v));
}

describe("shifts", () => {
  // Unsigned amounts of the value's width, and signed amounts (negative ones shift the other way).
  for (const t of INT_TYPES) {
    for (const amountType of [t.withCode(hl.TypeCode.UInt), t.withCode(hl.TypeCode.Int)]) {
      for (const [name, op] of [["shl", hl.shl], ["shr", hl.shr]] as const) {
        // Shifting a signed value by an unsigned amount (and vice versa) needs the value's own signedness: the
        // language only widens the narrower operand, so the amount's type may differ in signedness.
        it(`${name} ${t} by ${amountType}`, () => {
          const label = `${name} ${typesLabel([t, amountType])}`;
          check({
            label,
            op: name === "shl" ? "shift_left" : "shift_right",
            inputs: columns(label, [t, amountType], { arbs: [undefined, amountArb(amountType)] }),
            build: ([a, b]) => op(a, b),
          });
        });
      }
    }
  }
  it("shifts by a narrower amount type widen the amount (uint8 by uint16 is done in 16 bits)", () => {
    const label = "shl uint16 uint8";
    check({
      label,
      op: "shift_left",
      inputs: columns(label, [U16, U8], { arbs: [undefined, amountArb(U8)] }),
      build: ([a, b]) => hl.shl(a, b),
    });
  });
  it("literal amounts, positive and negative (a negative literal shifts the other way)", () => {
    for (const t of [U8, I8, I32, hl.Int(64), hl.UInt(64)]) {
      for (const k of [0, 1, 3, -3, t.bits - 1, -(t.bits - 1)]) {
        const label = `shl ${t} by literal ${k}`;
        check({
          label,
          op: "bitwise_xor",
          inputs: columns(label, [t], { n: 40 }),
          build: ([a]) => hl.shl(a, k).bitXor(hl.shr(a, k)),
        });
      }
    }
  });
});

describe("abs, absd and bit counts", () => {
  for (const t of [...SINT_TYPES, ...FLOAT_TYPES]) {
    it(`abs ${t}`, () => {
      const label = `abs ${t}`;
      check({ label, op: "abs", inputs: columns(label, [t]), build: ([a]) => hl.abs(a) });
    });
  }
  binaryCases("absd", "absd", [...INT_TYPES, BOOL], (a, b) => hl.absd(a, b));
  binaryCases("absd", "abs", FLOAT_TYPES, (a, b) => hl.absd(a, b)); // abs(a - b) for floats
  for (const t of [...INT_TYPES, BOOL]) {
    for (
      const [name, op] of [
        ["popcount", hl.popcount],
        ["countLeadingZeros", hl.countLeadingZeros],
        ["countTrailingZeros", hl.countTrailingZeros],
      ] as const
    ) {
      it(`${name} ${t}`, () => {
        const label = `${name} ${t}`;
        const root = {
          popcount: "popcount",
          countLeadingZeros: "count_leading_zeros",
          countTrailingZeros: "count_trailing_zeros",
        }[name];
        check({ label, op: root, inputs: columns(label, [t]), build: ([a]) => op(a) });
      });
    }
  }
});

describe("clamp and mux", () => {
  for (const t of NUMERIC_TYPES) {
    it(`clamp ${t} between two ${t} values`, () => {
      const label = `clamp ${typesLabel([t, t, t])}`;
      check({
        label,
        op: "Max",
        inputs: columns(label, [t, t, t], { equalBias: true }),
        build: ([a, lo, hi]) => hl.clamp(a, lo, hi),
      });
    });
  }
  for (
    const [index, value] of [
      [I32, F32],
      [U8, U8],
      [I8, I16],
      [U32, U32],
      [BOOL, I32],
      [I16, BOOL],
      [U16, hl.Float(64)],
      [I8, hl.UInt(64)],
    ] as const
  ) {
    it(`mux(${index}, [4 ${value} values]) — out-of-range indices pick the last value`, () => {
      const label = `mux ${typesLabel([index, value, value, value, value])}`;
      const indexArb = fc.bigInt({ min: index.isInt() ? -3n : 0n, max: index.isBool() ? 1n : 6n }).map((v) =>
        intValue(index, v)
      );
      check({
        label,
        op: "mux",
        inputs: columns(label, [index, value, value, value, value], { arbs: [indexArb] }),
        build: ([i, ...vs]) => hl.mux(i, vs),
      });
    });
  }
});

describe("the property tests can fail", () => {
  it("a wrong reference is reported with the failing inputs, expected and native values", () => {
    const label = "add uint8 uint8 (deliberately wrong reference)";
    const c = {
      label,
      inputs: columns(label, [U8, U8], { n: 20 }),
      build: ([a, b]: hl.Expr[]) => a.add(b),
      reference: (row: readonly Value[]) => (row[0] as number) + (row[1] as number), // no wrap-around
    };
    const o = runCase(c);
    expect(o.mismatches.length).toBeGreaterThan(0);
    let message = "";
    try {
      check(c);
    } catch (e) {
      message = (e as Error).message;
    }
    expect(message).toContain("add uint8 uint8");
    expect(message).toContain("expected");
    expect(message).toContain("native");
    expect(message).toContain("reproduces alone");
  });
  it("a pipeline whose root is not the expected operation is reported", () => {
    const label = "add reported as sub";
    expect(() => check({ label, op: "Sub", inputs: columns(label, [U8, U8], { n: 4 }), build: ([a, b]) => a.add(b) }))
      .toThrow("root operation is Add, expected Sub");
  });
  it("every type list above is non-empty and distinct", () => {
    expect(new Set(ALL_TYPES.map(String)).size).toBe(12);
    expect(UINT_TYPES.length + SINT_TYPES.length).toBe(INT_TYPES.length);
    expect([I8, I16, I32, U32].every((t) => NUMERIC_TYPES.includes(t))).toBe(true);
  });
});
