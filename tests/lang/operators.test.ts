// The operator methods and the elementwise free functions of API.md §6 (except math): result types, printed IR,
// and every error path, following Halide's IROperator.cpp.
import { describe, expect, it } from "bun:test";
import * as hl from "../../mod.ts";
import { of, throwsHalide, typeOf, x, y } from "./helpers.ts";

const { Bool, Float, Int, UInt } = hl;
const p = x.lt(1), q = y.gt(2);

describe("operator methods and their free-function forms", () => {
  // [method result, free-function result, printed form, type]
  const cases: [string, hl.Expr, hl.Expr, string, string][] = [
    ["add", x.add(y), hl.add(x, y), "(x + y)", "int32"],
    ["sub", x.sub(y), hl.sub(x, y), "(x - y)", "int32"],
    ["mul", x.mul(y), hl.mul(x, y), "(x*y)", "int32"],
    ["div", x.div(y), hl.div(x, y), "(x/y)", "int32"],
    ["mod", x.mod(y), hl.mod(x, y), "(x % y)", "int32"],
    ["neg", x.neg(), hl.neg(x), "(0 - x)", "int32"],
    ["lt", x.lt(y), hl.lt(x, y), "(x < y)", "bool"],
    ["le", x.le(y), hl.le(x, y), "(x <= y)", "bool"],
    ["gt", x.gt(y), hl.gt(x, y), "(x > y)", "bool"],
    ["ge", x.ge(y), hl.ge(x, y), "(x >= y)", "bool"],
    ["eq", x.eq(y), hl.eq(x, y), "(x == y)", "bool"],
    ["ne", x.ne(y), hl.ne(x, y), "(x != y)", "bool"],
    ["and", p.and(q), hl.and(p, q), "((x < 1) && (y > 2))", "bool"],
    ["or", p.or(q), hl.or(p, q), "((x < 1) || (y > 2))", "bool"],
    ["not", p.not(), hl.not(p), "!(x < 1)", "bool"],
    ["bitAnd", x.bitAnd(y), hl.bitAnd(x, y), "(x & y)", "int32"],
    ["bitOr", x.bitOr(y), hl.bitOr(x, y), "(x | y)", "int32"],
    ["bitXor", x.bitXor(y), hl.bitXor(x, y), "(x ^ y)", "int32"],
    ["bitNot", x.bitNot(), hl.bitNot(x), "~x", "int32"],
    ["shl", x.shl(y), hl.shl(x, y), "(x << y)", "int32"],
    ["shr", x.shr(y), hl.shr(x, y), "(x >> y)", "int32"],
    ["pow", x.pow(y), hl.pow(x, y), "pow(float32(x), float32(y))", "float32"],
  ];
  for (const [name, method, free, text, type] of cases) {
    it(name, () => {
      expect(method.toString()).toBe(text);
      expect(free.toString()).toBe(text);
      expect(method.type.toString()).toBe(type);
      expect(method).toBeInstanceOf(hl.Expr);
    });
  }

  it("logicalNot is not", () => {
    expect(hl.logicalNot(p).toString()).toBe("!(x < 1)");
  });

  it("keeps integer division and modulo as Div/Mod nodes (Euclidean meaning)", () => {
    expect(x.div(2).node.kind).toBe("Div");
    expect(x.mod(-3).node.kind).toBe("Mod");
    expect(typeOf(of(Float(32)).mod(2))).toBe("float32");
  });

  it("refuses JavaScript arithmetic on expressions", () => {
    throwsHalide(() => +x, "Can't convert the Halide expression x to a JavaScript number");
    throwsHalide(() => (x as unknown as number) < 3, "Use the operator methods");
    expect(`${x.add(1)}`).toBe("(x + 1)");
  });
});

describe("logical operators", () => {
  it("require booleans", () => {
    throwsHalide(() => x.and(p), "Logical and of non-boolean value x of type int32.");
    throwsHalide(() => p.or(y), "Logical or of non-boolean value y of type int32.");
    throwsHalide(() => x.not(), "Logical not of non-boolean value x of type int32.");
  });
  it("accept boolean literals and 0/1", () => {
    expect(p.and(true).toString()).toBe("((x < 1) && true)");
    expect(p.or(0).toString()).toBe("((x < 1) || false)");
  });
});

describe("bitwise operators", () => {
  it("give a literal the other operand's type", () => {
    expect(of(UInt(8)).bitAnd(0x0f).toString()).toBe("(uint8(x) & (uint8)15)");
    expect(typeOf(hl.bitOr(1, of(UInt(16))))).toBe("uint16");
    throwsHalide(() => of(UInt(8)).bitAnd(256), "Integer constant 256 will be implicitly coerced to type uint8");
  });
  it("widen to the wider operand of the same signedness", () => {
    expect(typeOf(of(UInt(8)).bitXor(of(UInt(32), y)))).toBe("uint32");
    expect(typeOf(of(Int(64)).bitAnd(x))).toBe("int64");
  });
  it("are logical operators on bools", () => {
    expect(p.bitAnd(q).toString()).toBe("((x < 1) && (y > 2))");
    expect(p.bitOr(q).toString()).toBe("((x < 1) || (y > 2))");
    expect(p.bitXor(q).toString()).toBe("((x < 1) != (y > 2))");
  });
  it("reject floats and mixed signedness", () => {
    throwsHalide(() => hl.f32(x).bitAnd(1), "The first argument to bitwise and must be an integer or unsigned integer");
    throwsHalide(() => x.bitOr(0.5), "The second argument to bitwise or must be an integer or unsigned integer");
    throwsHalide(
      () => x.bitXor(of(UInt(8), y)),
      "Arguments to bitwise xor must both be signed or both be unsigned.\nLHS type: int32 RHS type: uint8",
    );
    throwsHalide(() => hl.f32(x).bitNot(), "Argument to bitwise not must be an integer or unsigned integer");
  });
});

describe("shifts", () => {
  it("make a literal amount an unsigned constant of the value's width", () => {
    expect(x.shl(2).toString()).toBe("(x << (uint32)2)");
    expect(of(UInt(8)).shr(3).toString()).toBe("(uint8(x) >> (uint8)3)");
    expect(typeOf(of(Int(16)).shl(1))).toBe("int16");
  });
  it("shift the other way for a negative literal", () => {
    expect(x.shl(-2).toString()).toBe("(x >> (uint32)2)");
    expect(x.shr(-1).toString()).toBe("(x << (uint32)1)");
  });
  it("widen the narrower operand and keep signed amounts", () => {
    expect(of(UInt(8)).shl(y).toString()).toBe("(uint32(uint8(x)) << y)"); // each keeps its signedness
    expect(typeOf(x.shl(of(UInt(8), y)))).toBe("int32");
    expect(hl.shl(1, x).toString()).toBe("(1 << x)");
  });
  it("check the literal fits and the operands are integers", () => {
    throwsHalide(() => of(UInt(8)).shl(256), "Integer constant 256 will be implicitly coerced to type uint8");
    throwsHalide(() => hl.f32(x).shl(1), "The first argument to shift left must be an integer or unsigned integer");
    throwsHalide(() => x.shr(hl.f32(y)), "The second argument to shift right must be an integer or unsigned integer");
  });
});

describe("pow", () => {
  it("multiplies for a constant integer exponent, in the base's type", () => {
    expect(x.pow(2).toString()).toBe("(x*x)");
    expect(x.pow(3).toString()).toBe("((x*x)*x)");
    expect(x.pow(4).toString()).toBe("((x*x)*(x*x))");
    expect(x.pow(1).toString()).toBe("x");
    expect(x.pow(0).toString()).toBe("1");
    expect(hl.f32(x).pow(-2).toString()).toBe("(1.000000f/(float32(x)*float32(x)))");
    expect(typeOf(of(UInt(8)).pow(2))).toBe("uint8");
  });
  it("computes in float32, float64 or float16 otherwise", () => {
    expect(typeOf(hl.f32(x).pow(hl.f32(y)))).toBe("float32");
    expect(hl.f32(x).pow(0.5).toString()).toBe("pow(float32(x), 0.500000f)");
    expect(hl.f64(x).pow(0.1).toString()).toBe("pow(float64(x), 0.100000)");
    expect(typeOf(hl.f64(x).pow(hl.f32(y)))).toBe("float64");
    expect(typeOf(of(Float(16)).pow(y))).toBe("float16");
    expect(typeOf(of(UInt(8)).pow(0.5))).toBe("float32");
  });
});

describe("min and max", () => {
  it("are variadic, folded from the right", () => {
    expect(hl.min(x, y).toString()).toBe("min(x, y)");
    expect(hl.max(x, y, 0).toString()).toBe("max(x, max(y, 0))");
    expect(hl.min(x, 1, y, 2).toString()).toBe("min(x, min(1, min(y, 2)))");
  });
  it("type literals like the operators", () => {
    expect(hl.max(of(UInt(8)), 3).toString()).toBe("max(uint8(x), (uint8)3)");
    expect(typeOf(hl.min(of(Float(32)), 1))).toBe("float32");
    expect(typeOf(hl.min(x, of(Float(64), y)))).toBe("float64");
  });
  it("need at least two arguments", () => {
    throwsHalide(() => hl.min(x), "min() must have at least 2 arguments");
    throwsHalide(() => hl.max(), "max() must have at least 2 arguments");
  });
});

describe("clamp", () => {
  it("is max(min(a, hi), lo) with bounds cast losslessly", () => {
    expect(hl.clamp(x, 0, 10).toString()).toBe("max(min(x, 10), 0)");
    expect(hl.clamp(of(UInt(8)), 0, 255).toString()).toBe("max(min(uint8(x), (uint8)255), (uint8)0)");
    expect(typeOf(hl.clamp(hl.f32(x), 0, 1))).toBe("float32");
    expect(hl.clamp(hl.f64(x), 0.1, 0.9).toString()).toBe("max(min(float64(x), 0.900000), 0.100000)");
    expect(hl.clamp(x, of(UInt(8), y), of(Int(16), y)).toString()).toBe(
      "max(min(x, int32(int16(y))), int32(uint8(y)))",
    );
  });
  it("errors when a bound does not fit the value's type", () => {
    throwsHalide(
      () => hl.clamp(of(UInt(8)), 0, 300),
      "Type mismatch in call to clamp. First argument (uint8(x)) has type uint8, but third argument (300) has " +
        "type int32. Use an explicit cast.",
    );
    throwsHalide(() => hl.clamp(of(UInt(8)), -1, 3), "but second argument (-1) has type int32");
    throwsHalide(() => hl.clamp(x, 0, hl.f32(y)), "third argument (float32(y)) has type float32");
    throwsHalide(() => hl.clamp(x, 0.5, 3), "second argument (0.500000f) has type float32");
  });
});

describe("abs and absd", () => {
  it("abs of a signed int is the unsigned type of the same width", () => {
    expect(typeOf(hl.abs(of(Int(8))))).toBe("uint8");
    expect(typeOf(hl.abs(x))).toBe("uint32");
    expect(hl.abs(x).toString()).toBe("abs(x)");
    expect(typeOf(hl.abs(hl.f32(x)))).toBe("float32");
    expect(typeOf(hl.abs(-3))).toBe("uint32");
  });
  it("abs of an unsigned value is a no-op (with a warning)", () => {
    const warn = console.warn;
    const seen: unknown[] = [];
    console.warn = (...args: unknown[]) => seen.push(...args);
    try {
      const u = of(UInt(16));
      expect(hl.abs(u)).toBeInstanceOf(hl.Expr);
      expect(hl.abs(u).toString()).toBe("uint16(x)");
    } finally {
      console.warn = warn;
    }
    expect(seen[0]).toBe("Warning: abs of an unsigned type is a no-op");
  });
  it("absd returns unsigned for ints and abs(a - b) for floats", () => {
    expect(typeOf(hl.absd(x, y))).toBe("uint32");
    expect(hl.absd(x, y).toString()).toBe("absd(x, y)");
    expect(typeOf(hl.absd(of(Int(16)), 3))).toBe("uint16");
    expect(typeOf(hl.absd(of(UInt(8)), of(UInt(8), y)))).toBe("uint8");
    expect(hl.absd(hl.f32(x), 1).toString()).toBe("abs((float32(x) - 1.000000f))");
  });
});

describe("select", () => {
  it("chooses between two values", () => {
    expect(hl.select(p, x, y).toString()).toBe("select((x < 1), x, y)");
    expect(typeOf(hl.select(p, of(UInt(8)), 0))).toBe("uint8");
    expect(hl.select(p, 1, 0.5).toString()).toBe("select((x < 1), 1.000000f, 0.500000f)");
    expect(hl.select(true, x, y).toString()).toBe("select(true, x, y)");
    expect(hl.select(1, x, y).toString()).toBe("select(true, x, y)");
  });
  it("is variadic: the first true condition wins", () => {
    expect(hl.select(x.lt(0), -1, x.gt(0), 1, 0).toString()).toBe("select((x < 0), -1, select((x > 0), 1, 0))");
  });
  it("selects Tuples element by element", () => {
    const r = hl.select(p, [x, 1], [y, 2]);
    expect(r.map(String)).toEqual(["select((x < 1), x, y)", "select((x < 1), 1, 2)"]);
    const s = hl.select([p, q], [x, y], [y, x]);
    expect(s.map(String)).toEqual(["select((x < 1), x, y)", "select((y > 2), y, x)"]);
    const m = hl.select(p, [x, y], q, [1, 2], [3, 4]);
    expect(m[1].toString()).toBe("select((x < 1), y, select((y > 2), 2, 4))");
  });
  it("checks its arguments", () => {
    throwsHalide(() => hl.select(p, x), "select() must have at least 3 arguments");
    throwsHalide(() => hl.select(p, x, q, y), "select() must have an odd number of arguments");
    throwsHalide(() => hl.select(x, 1, 2), "The first argument to a select must be a boolean:\n  x has type int32");
    throwsHalide(
      () => hl.select(p, of(UInt(8)), hl.f32(y)),
      "The second and third arguments to a select do not have a matching type:\n  uint8(x) has type uint8\n" +
        "  float32(y) has type float32",
    );
    throwsHalide(() => hl.select(p, of(UInt(8)), 256), "Integer constant 256 will be implicitly coerced to type uint8");
    throwsHalide(() => hl.select(p, [x, y], y), "select(): Expected Tuple but got Expr: y");
    throwsHalide(() => hl.select(p, x, [y]), "select(): Expected Expr but got Tuple: (y)");
    throwsHalide(() => hl.select([p], [x], q, [y], [x, y]), "select(): Expected Tuple but got Expr: (y > 2)");
    throwsHalide(
      () => hl.select(p, [x, y], [x]),
      "select() on Tuples requires all Tuples to have identical sizes.",
    );
  });
});

describe("mux", () => {
  it("builds a mux intrinsic call", () => {
    const m = hl.mux(x, [y, 2, 3]);
    expect(m.toString()).toBe("mux(x, y, 2, 3)");
    expect(m.type.toString()).toBe("int32");
    expect(hl.mux(x, [of(UInt(8), y), 0, 255]).toString()).toBe("mux(x, uint8(y), (uint8)0, (uint8)255)");
    expect(hl.mux(x, [y]).toString()).toBe("y");
  });
  it("muxes Tuples element by element", () => {
    const r = hl.mux(x, [[1, 2], [3, 4]]);
    expect(r.map(String)).toEqual(["mux(x, 1, 3)", "mux(x, 2, 4)"]);
  });
  it("checks its arguments", () => {
    throwsHalide(() => hl.mux(x, []), "mux() requires a non-empty vector of values");
    throwsHalide(() => hl.mux(x, [y, hl.f32(y)]), "mux() requires all the values to have the same type");
    throwsHalide(() => hl.mux(hl.f32(x), [1, 2]), "mux() index must be an integer");
    throwsHalide(() => hl.mux(x, [[1, 2], [3]]), "mux() on Tuples requires all Tuples to have identical sizes.");
  });
});

describe("casts", () => {
  it("cast converts and folds constants", () => {
    expect(hl.cast(UInt(8), x.mul(2)).toString()).toBe("uint8((x*2))");
    expect(hl.cast(Int(32), x).toString()).toBe("x");
    expect(hl.cast(UInt(8), 300).toString()).toBe("(uint8)44");
    expect(hl.cast(UInt(8), new hl.Expr(300)).toString()).toBe("(uint8)44");
    expect(hl.cast(Int(8), 2.9).toString()).toBe("(int8)2");
    expect(hl.cast(Int(8), -2.9).toString()).toBe("(int8)-2");
    expect(hl.cast(Bool(), 2).toString()).toBe("false"); // the low bit, as the run-time cast (scalar.ts)
    expect(hl.cast(Bool(), 3).toString()).toBe("true");
    expect(hl.cast(Bool(), 0.0).toString()).toBe("false");
    expect(hl.cast(Float(64), 0.1).toString()).toBe("0.100000");
    expect((hl.cast(Float(64), 0.1).node as { value: number }).value).toBe(0.1);
    expect(hl.cast(UInt(64), 2n ** 64n - 1n).toString()).toBe("(uint64)18446744073709551615");
    expect(hl.cast(Float(32), true).toString()).toBe("1.000000f");
    // Narrow targets wrap through int32 (as code generation does); beyond int32 the result is undefined and the
    // cast is left to run time.
    expect(hl.cast(Int(8), 1000.5).toString()).toBe("(int8)-24");
    expect(hl.cast(Int(8), 3e9 + 0.5).toString()).toMatch(/^int8\(/);
  });
  it("cast refuses handles", () => {
    const h = hl.Expr.fromIR({ kind: "Variable", type: hl.Handle(), name: "h" });
    throwsHalide(() => hl.cast(hl.Handle(), x), `Can't cast "x" to a handle.`);
    throwsHalide(() => hl.cast(Int(64), h), `Can't cast handle "h" to type int64.`);
  });
  it("reinterpret keeps the bits", () => {
    expect(hl.reinterpret(UInt(32), hl.f32(x)).toString()).toBe("reinterpret<uint32>(float32(x))");
    expect(typeOf(hl.reinterpret(Float(64), hl.i64(x)))).toBe("float64");
    throwsHalide(
      () => hl.reinterpret(UInt(16), x),
      "Reinterpret cast from type int32 which has 32 bits, to type uint16 which has 16 bits",
    );
  });
  it("saturatingCast is an intrinsic of the target type", () => {
    expect(hl.saturatingCast(UInt(8), x).toString()).toBe("saturating_cast(x)");
    expect(typeOf(hl.saturatingCast(Int(16), hl.f32(x)))).toBe("int16");
    throwsHalide(() => hl.saturatingCast(hl.Handle(), x), "Can't saturating_cast x of type int32 to handle");
  });

  const concise: [string, (e: hl.ExprLike) => hl.Expr, string, string][] = [
    ["f64", hl.f64, "float64", "float64(x)"],
    ["f32", hl.f32, "float32", "float32(x)"],
    ["i64", hl.i64, "int64", "int64(x)"],
    ["i32", hl.i32, "int32", "x"],
    ["i16", hl.i16, "int16", "int16(x)"],
    ["i8", hl.i8, "int8", "int8(x)"],
    ["u64", hl.u64, "uint64", "uint64(x)"],
    ["u32", hl.u32, "uint32", "uint32(x)"],
    ["u16", hl.u16, "uint16", "uint16(x)"],
    ["u8", hl.u8, "uint8", "uint8(x)"],
    ["i8Sat", hl.i8Sat, "int8", "saturating_cast(x)"],
    ["u8Sat", hl.u8Sat, "uint8", "saturating_cast(x)"],
    ["i16Sat", hl.i16Sat, "int16", "saturating_cast(x)"],
    ["u16Sat", hl.u16Sat, "uint16", "saturating_cast(x)"],
    ["i32Sat", hl.i32Sat, "int32", "saturating_cast(x)"],
    ["u32Sat", hl.u32Sat, "uint32", "saturating_cast(x)"],
    ["i64Sat", hl.i64Sat, "int64", "saturating_cast(x)"],
    ["u64Sat", hl.u64Sat, "uint64", "saturating_cast(x)"],
  ];
  for (const [name, f, type, text] of concise) {
    it(`concise cast ${name}`, () => {
      expect(typeOf(f(x))).toBe(type);
      expect(f(x).toString()).toBe(text);
      expect(typeOf(f(3))).toBe(type);
    });
  }
  it("concise casts of literals are exact constants", () => {
    expect((hl.f64(0.1).node as { value: number }).value).toBe(0.1);
    expect(hl.f32(2).toString()).toBe("2.000000f");
    expect(hl.u8(300).toString()).toBe("(uint8)44");
    expect(hl.u64(2n ** 63n).toString()).toBe("(uint64)9223372036854775808");
  });
  it("concise casts keep the lanes of a vector", () => {
    const v = hl.Expr.fromIR({ kind: "Variable", type: Int(32, 4), name: "v" });
    expect(typeOf(hl.u8(v))).toBe("uint8x4");
    expect(typeOf(hl.u8Sat(v))).toBe("uint8x4");
  });
});

describe("integer helpers", () => {
  it("lerp", () => {
    const a = of(UInt(8)), b = of(UInt(8), y);
    expect(hl.lerp(a, b, of(UInt(8), x)).toString()).toBe("lerp(uint8(x), uint8(y), uint8(x))");
    expect(typeOf(hl.lerp(a, b, 0.25))).toBe("uint8");
    expect(hl.lerp(0, b, 0.5).toString()).toBe("lerp((uint8)0, uint8(y), 0.500000f)");
    expect(typeOf(hl.lerp(new hl.Expr(0), hl.f32(y), 0.5))).toBe("float32");
    throwsHalide(
      () => hl.lerp(a, hl.f32(y), 0.5),
      "Can't lerp between uint8(x) of type uint8 and float32(y) of different type float32",
    );
    throwsHalide(
      () => hl.lerp(a, b, 1),
      "A lerp weight must be an unsigned integer or a float, but lerp weight 1 has type int32.",
    );
    throwsHalide(() => hl.lerp(hl.i64(x), hl.i64(y), 0.5), "Lerping between 64-bit integers is not supported");
    throwsHalide(
      () => hl.lerp(a, b, 1.5),
      "Floating-point weight for lerp with integer arguments is 1.5, which is not in the range [0.0, 1.0].",
    );
  });
  it("popcount, countLeadingZeros, countTrailingZeros keep the type", () => {
    expect(hl.popcount(of(UInt(8))).toString()).toBe("popcount(uint8(x))");
    expect(typeOf(hl.popcount(of(UInt(8))))).toBe("uint8");
    expect(hl.countLeadingZeros(x).toString()).toBe("count_leading_zeros(x)");
    expect(hl.countTrailingZeros(of(Int(16))).toString()).toBe("count_trailing_zeros(int16(x))");
    throwsHalide(() => hl.popcount(hl.f32(x)), "Argument to popcount must be an integer");
    throwsHalide(() => hl.countLeadingZeros(hl.f32(x)), "Argument to countLeadingZeros must be an integer");
    throwsHalide(() => hl.countTrailingZeros(hl.f64(x)), "Argument to countTrailingZeros must be an integer");
  });
  it("divRoundToZero and modRoundToZero", () => {
    expect(hl.divRoundToZero(x, 3).toString()).toBe("div_round_to_zero(x, 3)");
    expect(hl.modRoundToZero(x, y).toString()).toBe("mod_round_to_zero(x, y)");
    expect(hl.divRoundToZero(of(UInt(8)), 3).toString()).toBe("(uint8(x)/(uint8)3)");
    expect(hl.modRoundToZero(of(UInt(8)), 3).toString()).toBe("(uint8(x) % (uint8)3)");
    throwsHalide(
      () => hl.divRoundToZero(hl.f32(x), 2),
      "First argument to divRoundToZero is not an integer: float32(x)",
    );
    throwsHalide(() => hl.modRoundToZero(x, 0.5), "First argument to modRoundToZero is not an integer");
  });
});

describe("fixed-point operations", () => {
  const u8a = of(UInt(8)), u8b = of(UInt(8), y), i8b = of(Int(8), y);
  it("widening ops double the width", () => {
    expect(hl.wideningAdd(u8a, u8b).toString()).toBe("widening_add(uint8(x), uint8(y))");
    expect(typeOf(hl.wideningAdd(u8a, u8b))).toBe("uint16");
    expect(typeOf(hl.wideningAdd(of(Int(16)), 1))).toBe("int32");
    expect(typeOf(hl.wideningSub(u8a, u8b))).toBe("int16");
    expect(typeOf(hl.wideningSub(of(Int(32)), 1))).toBe("int64");
    expect(typeOf(hl.wideningMul(u8a, u8b))).toBe("uint16");
    expect(typeOf(hl.wideningMul(u8a, i8b))).toBe("int16");
    expect(typeOf(hl.wideningMul(i8b, u8a))).toBe("int16");
    expect(typeOf(hl.wideningMul(of(UInt(16)), u8b))).toBe("uint32");
    expect(typeOf(hl.wideningMul(hl.f32(x), of(Int(16), y)))).toBe("float64");
    expect(typeOf(hl.wideningAdd(of(Bool()), of(Bool(), y)))).toBe("uint8");
    expect(typeOf(hl.wideningAdd(of(Float(16)), of(Float(16), y)))).toBe("float32");
    expect(typeOf(hl.wideningAdd(of(hl.BFloat(16)), of(hl.BFloat(16), y)))).toBe("float32");
  });
  it("widening shifts take a literal as an unsigned constant and flip negative ones", () => {
    expect(hl.wideningShiftLeft(u8a, 4).toString()).toBe("widening_shift_left(uint8(x), (uint8)4)");
    expect(typeOf(hl.wideningShiftLeft(u8a, 4))).toBe("uint16");
    expect(hl.wideningShiftLeft(u8a, -4).toString()).toBe("widening_shift_right(uint8(x), (uint8)4)");
    expect(typeOf(hl.wideningShiftRight(of(Int(16)), y))).toBe("int64");
    throwsHalide(() => hl.wideningShiftLeft(u8a, 256), "Integer constant 256 will be implicitly coerced to type uint8");
    throwsHalide(
      () => hl.wideningShiftLeft(hl.f32(x), 1),
      "The first argument to wideningShiftLeft must be an integer or unsigned integer, but float32(x) has type float32.",
    );
    throwsHalide(
      () => hl.roundingShiftRight(x, hl.f32(y)),
      "The second argument to roundingShiftRight must be an integer",
    );
  });
  it("rounding shifts keep the type", () => {
    expect(hl.roundingShiftRight(of(UInt(16)), 4).toString()).toBe("rounding_shift_right(uint16(x), (uint16)4)");
    expect(hl.roundingShiftLeft(x, -2).toString()).toBe("rounding_shift_right(x, (uint32)2)");
    expect(typeOf(hl.roundingShiftLeft(u8a, y))).toBe("uint32");
  });
  it("widenRight ops need a first operand twice as wide as the second", () => {
    expect(hl.widenRightAdd(of(UInt(16)), u8b).toString()).toBe("widen_right_add(uint16(x), uint8(y))");
    expect(typeOf(hl.widenRightMul(of(Int(32)), of(Int(16), y)))).toBe("int32");
    expect(typeOf(hl.widenRightSub(of(UInt(16)), u8b))).toBe("uint16");
    throwsHalide(() => hl.widenRightAdd(u8a, u8b), "widenRightAdd type mismatch");
    throwsHalide(() => hl.widenRightMul(hl.f32(x), u8b), "widenRightMul only defined for integer types");
    throwsHalide(() => hl.widenRightSub(of(Int(64)), of(Int(64), y)), "widenRightSub of large Expr");
  });
  it("refuse 64-bit inputs to widening ops", () => {
    throwsHalide(
      () => hl.wideningAdd(hl.i64(x), hl.i64(y)),
      "wideningAdd of int64 values (int64(x), int64(y)) is not supported: the result would need 128 bits.",
    );
    throwsHalide(() => hl.wideningSub(hl.u64(x), 1), "wideningSub of uint64 values");
    throwsHalide(() => hl.wideningMul(hl.f64(x), hl.f64(y)), "wideningMul of float64 values");
    throwsHalide(() => hl.wideningShiftLeft(hl.i64(x), 1), "wideningShiftLeft of int64 values");
    throwsHalide(() => hl.wideningShiftRight(hl.u64(x), y), "wideningShiftRight of uint64 values");
  });
  it("widening_mul of int and float promotes losslessly or errors", () => {
    throwsHalide(
      () => hl.wideningMul(hl.f32(x), hl.i32(y)),
      "wideningMul: cannot promote RHS of type int32 to float32.\nPlease use an explicit cast.",
    );
    throwsHalide(
      () => hl.wideningMul(hl.i64(y), hl.f32(x)),
      "wideningMul: cannot promote LHS of type int64 to float32.",
    );
  });
  const same: [string, (a: hl.ExprLike, b: hl.ExprLike) => hl.Expr, string][] = [
    ["saturatingAdd", hl.saturatingAdd, "saturating_add"],
    ["saturatingSub", hl.saturatingSub, "saturating_sub"],
    ["halvingAdd", hl.halvingAdd, "halving_add"],
    ["roundingHalvingAdd", hl.roundingHalvingAdd, "rounding_halving_add"],
    ["halvingSub", hl.halvingSub, "halving_sub"],
  ];
  for (const [name, f, ir] of same) {
    it(`${name} keeps the matched type`, () => {
      expect(f(u8a, u8b).toString()).toBe(`${ir}(uint8(x), uint8(y))`);
      expect(typeOf(f(u8a, 3))).toBe("uint8");
      expect(typeOf(f(u8a, i8b))).toBe("int8");
    });
  }
  it("mulShiftRight and roundingMulShiftRight", () => {
    expect(hl.mulShiftRight(u8a, u8b, 8).toString()).toBe("mul_shift_right(uint8(x), uint8(y), (uint8)8)");
    expect(typeOf(hl.roundingMulShiftRight(of(Int(16)), of(Int(16), y), 15))).toBe("int16");
    expect(typeOf(hl.mulShiftRight(u8a, u8b, of(UInt(16), z())))).toBe("uint16");
    throwsHalide(() => hl.mulShiftRight(u8a, u8b, x), "mulShiftRight shift must be unsigned");
    throwsHalide(() => hl.roundingMulShiftRight(u8a, u8b, y), "roundingMulShiftRight shift must be unsigned");
    throwsHalide(
      () => hl.mulShiftRight(u8a, u8b, 256),
      "Integer constant 256 will be implicitly coerced to type uint8",
    );
  });
});

function z(): hl.Var {
  return new hl.Var("z");
}

describe("hints, undef, print and require", () => {
  it("likely and likelyIfInnermost wrap a value", () => {
    expect(hl.likely(p).toString()).toBe("likely((x < 1))");
    expect(typeOf(hl.likely(x))).toBe("int32");
    expect(hl.likelyIfInnermost(x).toString()).toBe("likely_if_innermost(x)");
  });
  it("undef is an impure intrinsic of the given type", () => {
    const u = hl.undef(Float(32));
    expect(u.toString()).toBe("undef()");
    expect(u.type.toString()).toBe("float32");
    expect((u.node as { callType: string }).callType).toBe("Intrinsic");
  });
  it("print returns its first argument's type", () => {
    const e = hl.print(x.mul(2), "<- x times", 2.5);
    expect(e.toString()).toBe('print((x*2), "<- x times", 2.500000f)');
    expect(typeOf(e)).toBe("int32");
    expect((e.node as { callType: string }).callType).toBe("Intrinsic");
    throwsHalide(() => hl.print(), "print() needs at least one argument");
  });
  it("printWhen prints only when the condition holds", () => {
    const e = hl.printWhen(x.eq(3), x, "is three");
    expect(e.toString()).toBe('if_then_else((x == 3), print(x, "is three"), x)');
    expect(typeOf(e)).toBe("int32");
    throwsHalide(() => hl.printWhen(x, x), "printWhen condition x must be boolean, but has type int32.");
    throwsHalide(() => hl.printWhen(p), "printWhen() needs at least one argument");
  });
  it("require returns the value and carries the message", () => {
    const e = hl.require(x.gt(0), x.div(2), "x must be positive, got", x);
    expect(e.toString()).toBe('require((x > 0), (x/2), "x must be positive, got", x)');
    expect(typeOf(e)).toBe("int32");
    throwsHalide(() => hl.require(x, 1), "Require condition must be a boolean type, but x has type int32.");
  });
});
