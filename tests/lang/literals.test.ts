// Halide's literal typing (API.md §1 "Literal typing", halide_api.md §1.0) and match_types (IROperator.cpp).
import { describe, expect, it } from "bun:test";
import * as hl from "../../mod.ts";
import { of, throwsHalide, typeOf, x, y } from "./helpers.ts";

const { Bool, Float, Int, UInt, BFloat } = hl;

describe("a literal alone", () => {
  it("types booleans, bigints and numbers", () => {
    expect(typeOf(true)).toBe("bool");
    expect(typeOf(false)).toBe("bool");
    expect(typeOf(5n)).toBe("int64");
    expect(typeOf(-(2n ** 63n))).toBe("int64");
    expect(typeOf(0)).toBe("int32");
    expect(typeOf(-7)).toBe("int32");
    expect(typeOf(2 ** 31 - 1)).toBe("int32");
    expect(typeOf(-(2 ** 31))).toBe("int32");
    expect(typeOf(2 ** 31)).toBe("int64");
    expect(typeOf(-(2 ** 31) - 1)).toBe("int64");
    expect(typeOf(0.5)).toBe("float32");
    expect(typeOf(NaN)).toBe("float32");
    expect(typeOf(Infinity)).toBe("float32");
    // An integer beyond int64 can only be a float.
    expect(typeOf(2 ** 70)).toBe("float32");
  });

  it("prints constants Halide-style", () => {
    expect(new hl.Expr(3).toString()).toBe("3");
    expect(new hl.Expr(2 ** 40).toString()).toBe("(int64)1099511627776");
    expect(new hl.Expr(5n).toString()).toBe("(int64)5");
    expect(new hl.Expr(true).toString()).toBe("true");
    expect(new hl.Expr(false).toString()).toBe("false");
    expect(new hl.Expr(0.5).toString()).toBe("0.500000f");
    expect(new hl.Expr(1e-9).toString()).toBe("1.000000e-09f");
    expect(hl.f64(0.25).toString()).toBe("0.250000");
    expect(new hl.Expr('a"b\n').toString()).toBe('"a\\"b\\n"');
  });

  it("rounds a non-integral number to float32", () => {
    const e = new hl.Expr(0.1);
    expect(e.node.kind).toBe("FloatImm");
    expect((e.node as { value: number }).value).toBe(Math.fround(0.1));
  });

  it("rejects a bigint beyond int64", () => {
    throwsHalide(() => new hl.Expr(2n ** 63n), "Integer constant 9223372036854775808 does not fit in int64");
  });

  it("rejects values that are not Expr-like", () => {
    throwsHalide(() => x.add("1" as unknown as number), 'but got the string "1"');
    throwsHalide(() => x.add(undefined as unknown as number), "but got undefined");
    throwsHalide(() => x.add({} as unknown as number), "an object of class Object");
  });
});

describe("a literal with an Expr", () => {
  it("takes the Expr's type when it is an int32-range integer", () => {
    expect(typeOf(of(UInt(16)).add(2))).toBe("uint16");
    expect(of(UInt(16)).add(2).toString()).toBe("(uint16(x) + (uint16)2)");
    expect(typeOf(of(Int(8)).mul(-3))).toBe("int8");
    expect(typeOf(of(UInt(8)).lt(255))).toBe("bool");
    expect(of(UInt(8)).lt(255).toString()).toBe("(uint8(x) < (uint8)255)");
    expect(typeOf(of(Float(32)).add(1))).toBe("float32");
    expect(typeOf(of(Float(64)).sub(3))).toBe("float64");
    expect(typeOf(of(Int(64)).add(1))).toBe("int64");
    // On either side.
    expect(hl.sub(2, of(UInt(8))).toString()).toBe("((uint8)2 - uint8(x))");
    expect(typeOf(hl.add(1, of(Float(16))))).toBe("float16");
  });

  it("errors when the integer is not representable in the Expr's type", () => {
    throwsHalide(
      () => of(UInt(8)).add(300),
      "Integer constant 300 will be implicitly coerced to type uint8, which changes its value to (uint8)44.",
    );
    throwsHalide(() => of(UInt(8)).add(-1), "Integer constant -1 will be implicitly coerced to type uint8");
    throwsHalide(() => hl.mul(128, of(Int(8))), "Integer constant 128 will be implicitly coerced to type int8");
    throwsHalide(() => of(Bool()).eq(2), "Integer constant 2 will be implicitly coerced to type bool");
    throwsHalide(
      () => of(Float(32)).add(16777217),
      "Integer constant 16777217 will be implicitly coerced to type float32, which changes its value to 16777216.000000f.",
    );
    throwsHalide(() => of(Float(16)).add(4097), "Integer constant 4097 will be implicitly coerced to type float16");
  });

  it("makes an integer outside int32 an int64 Expr, then matches types", () => {
    expect(typeOf(hl.i32(0).add(0x80000000))).toBe("int64");
    expect(typeOf(of(UInt(8)).add(2 ** 40))).toBe("int64");
    expect(typeOf(of(UInt(64)).add(2 ** 40))).toBe("int64");
    expect(typeOf(of(Float(32)).add(2 ** 40))).toBe("float32");
  });

  it("gives a non-integral number the type of a float Expr, else float32", () => {
    expect(typeOf(of(Float(64)).add(0.1))).toBe("float64");
    expect(of(Float(64)).add(0.1).toString()).toBe("(float64(x) + 0.100000)");
    const c = (of(Float(64)).add(0.1).node as { b: { value: number } }).b.value;
    expect(c).toBe(0.1); // exact, not float32(0.1)
    expect(typeOf(of(Float(16)).mul(0.5))).toBe("float16");
    expect(of(Float(16)).mul(0.5).toString()).toBe("(float16(x)*0.500000h)");
    expect(typeOf(of(UInt(8)).add(0.5))).toBe("float32");
    expect(of(UInt(8)).add(0.5).toString()).toBe("(float32(uint8(x)) + 0.500000f)");
    expect(typeOf(x.mul(1.5))).toBe("float32");
  });

  it("treats a bigint as int64 and a boolean as bool, then matches types", () => {
    expect(typeOf(of(UInt(8)).add(1n))).toBe("int64");
    expect(typeOf(of(UInt(64)).add(1n))).toBe("int64");
    expect(typeOf(of(Float(32)).add(1n))).toBe("float32");
    expect(typeOf(x.add(true))).toBe("int32");
    expect(x.add(true).toString()).toBe("(x + 1)");
    expect(typeOf(x.lt(1).and(true))).toBe("bool");
  });

  it("types two literals each alone, then matches them", () => {
    expect(typeOf(hl.add(1, 2))).toBe("int32");
    expect(typeOf(hl.add(1, 2.5))).toBe("float32");
    expect(typeOf(hl.add(1, 2n))).toBe("int64");
    expect(hl.add(1, 2).toString()).toBe("(1 + 2)");
  });
});

describe("match_types for two Exprs", () => {
  // [left, right, result]: every pair of type categories.
  const cases: [hl.Type, hl.Type, string][] = [
    [Int(32), Int(32), "int32"],
    [Bool(), UInt(8), "uint8"],
    [UInt(8), Bool(), "uint8"],
    [Bool(), Int(8), "int8"],
    [Bool(), Float(32), "float32"],
    [UInt(8), UInt(16), "uint16"],
    [UInt(32), UInt(8), "uint32"],
    [UInt(8), Int(8), "int8"],
    [Int(8), UInt(8), "int8"],
    [UInt(8), Int(16), "int16"],
    [UInt(16), Int(8), "int16"],
    [UInt(32), Int(32), "int32"],
    [UInt(64), Int(32), "int64"],
    [Int(8), Int(16), "int16"],
    [Int(64), Int(32), "int64"],
    [UInt(8), Float(32), "float32"],
    [Float(32), Int(32), "float32"],
    [Int(64), Float(16), "float16"],
    [Float(64), UInt(64), "float64"],
    [Float(16), Float(32), "float32"],
    [Float(64), Float(32), "float64"],
    [Float(32), Float(64), "float64"],
    [BFloat(16), Float(16), "float16"],
    [BFloat(16), Float(32), "float32"],
    [Int(32), BFloat(16), "bfloat16"],
  ];
  for (const [a, b, result] of cases) {
    it(`${a} with ${b} is ${result}`, () => {
      expect(typeOf(hl.add(of(a), of(b, y)))).toBe(result);
      expect(typeOf(hl.lt(of(a), of(b, y)))).toBe("bool");
    });
  }

  it("inserts the casts Halide inserts", () => {
    expect(hl.add(of(UInt(8)), of(UInt(16), y)).toString()).toBe("(uint16(uint8(x)) + uint16(y))");
    expect(hl.add(of(UInt(8)), of(Int(8), y)).toString()).toBe("(int8(uint8(x)) + int8(y))");
    expect(hl.max(of(Int(16)), of(Float(32), y)).toString()).toBe("max(float32(int16(x)), float32(y))");
  });

  it("broadcasts a scalar against a vector", () => {
    const v = hl.Expr.fromIR({ kind: "Variable", type: Int(32, 4), name: "v" });
    expect(typeOf(v.add(x))).toBe("int32x4");
    expect(v.add(x).toString()).toBe("(v + x4(x))");
    expect(typeOf(v.add(hl.f32(x)))).toBe("float32x4");
    const w = hl.Expr.fromIR({ kind: "Variable", type: Int(32, 8), name: "w" });
    throwsHalide(() => v.add(w), "Can't match types of differing widths");
  });

  it("refuses arithmetic on handles", () => {
    const h = hl.Expr.fromIR({ kind: "Variable", type: hl.Handle(), name: "h" });
    throwsHalide(() => h.add(x), "Can't do arithmetic on opaque pointer types: h, x");
    throwsHalide(
      () => h.add(1),
      "Integer constant 1 will be implicitly coerced to type handle, but Halide does not support pointer arithmetic.",
    );
  });
});
