// The IR printer (src/ir/printer.ts): every expression and statement node, Halide-style.
import { describe, expect, it } from "bun:test";
import * as ir from "../../src/ir/expr.ts";
import { FunctionDef } from "../../src/ir/function.ts";
import { exprToString, stmtToString } from "../../src/ir/printer.ts";
import * as st from "../../src/ir/stmt.ts";
import { BFloat, Bool, Float, Handle, Int, UInt } from "../../src/ir/type.ts";

const x = ir.variable(Int(32), "x");
const y = ir.variable(Int(32), "y");
const i = (v: number) => ir.i32Imm(v);
const show = exprToString;

describe("exprToString", () => {
  it("prints constants", () => {
    expect(show(i(-3))).toBe("-3");
    expect(show(ir.intImm(UInt(8), 44))).toBe("(uint8)44");
    expect(show(ir.intImm(Int(64), -5))).toBe("(int64)-5");
    expect(show(ir.intImm(Int(16), 7))).toBe("(int16)7");
    expect(show(ir.makeConst(Bool(), 1))).toBe("true");
    expect(show(ir.makeConst(Bool(), 0))).toBe("false");
    expect(show(ir.floatImm(Float(32), 1.5))).toBe("1.500000f");
    expect(show(ir.floatImm(Float(64), -2))).toBe("-2.000000");
    expect(show(ir.floatImm(Float(16), 0.25))).toBe("0.250000h");
    expect(show(ir.floatImm(BFloat(16), 1))).toBe("(bfloat16)1.000000");
    expect(show(ir.floatImm(Float(64), 1e-7))).toBe("1.000000e-07");
    expect(show(ir.floatImm(Float(64), 1.5e-300))).toBe("1.500000e-300");
    expect(show(ir.floatImm(Float(32), Infinity))).toBe("inff");
    expect(show(ir.floatImm(Float(64), -Infinity))).toBe("-inf");
    expect(show(ir.floatImm(Float(32), NaN))).toBe("nanf");
    expect(show(ir.stringImm('tab\there "q" \\ \x01'))).toBe('"tab\\there \\"q\\" \\\\ \\x01"');
  });
  it("prints casts, variables and arithmetic", () => {
    expect(show(ir.cast(UInt(8), ir.arith("Mul", x, i(2))))).toBe("uint8((x*2))");
    expect(show(ir.reinterpret(Float(32), x))).toBe("reinterpret<float32>(x)");
    const ops: [ir.ArithOp | ir.CmpOp, string][] = [
      ["Add", "(x + y)"],
      ["Sub", "(x - y)"],
      ["Mul", "(x*y)"],
      ["Div", "(x/y)"],
      ["Mod", "(x % y)"],
      ["Min", "min(x, y)"],
      ["Max", "max(x, y)"],
      ["EQ", "(x == y)"],
      ["NE", "(x != y)"],
      ["LT", "(x < y)"],
      ["LE", "(x <= y)"],
      ["GT", "(x > y)"],
      ["GE", "(x >= y)"],
    ];
    for (const [op, text] of ops) {
      const e = op === "Add" || op === "Sub" || op === "Mul" || op === "Div" || op === "Mod" || op === "Min" ||
          op === "Max"
        ? ir.arith(op, x, y)
        : ir.cmp(op, x, y);
      expect(show(e)).toBe(text);
    }
    const p = ir.cmp("LT", x, y), q = ir.cmp("GT", x, i(0));
    expect(show(ir.logical("And", p, q))).toBe("((x < y) && (x > 0))");
    expect(show(ir.logical("Or", p, q))).toBe("((x < y) || (x > 0))");
    expect(show(ir.not(p))).toBe("!(x < y)");
    expect(show(ir.select(p, x, y))).toBe("select((x < y), x, y)");
    expect(show(ir.letExpr("t", x, ir.arith("Add", ir.variable(Int(32), "t"), i(1))))).toBe("(let t = x in (t + 1))");
  });
  it("prints loads, vectors and shuffles", () => {
    expect(show(ir.load(Float(32), "buf", x, ir.constTrue()))).toBe("buf[x]");
    expect(show(ir.load(Float(32), "buf", x, ir.cmp("LT", x, i(4))))).toBe("(buf[x] if (x < 4))");
    const r = ir.ramp(x, i(1), 4);
    expect(show(r)).toBe("ramp(x, 1, 4)");
    expect(show(ir.broadcast(x, 8))).toBe("x8(x)");
    const a = ir.variable(Int(32, 4), "a"), b = ir.variable(Int(32, 4), "b");
    expect(show(ir.shuffle([a, b], [0, 1, 2, 3, 4, 5, 6, 7]))).toBe("concat_vectors(a, b)");
    expect(show(ir.shuffle([a, b], [0, 4, 1, 5, 2, 6, 3, 7]))).toBe("interleave_vectors(a, b)");
    expect(show(ir.shuffle([a], [2]))).toBe("extract_element(a, 2)");
    expect(show(ir.shuffle([a], [1, 3]))).toBe("slice_vectors(a, 1, 2, 2)");
    expect(show(ir.shuffle([a, b], [3, 0, 6]))).toBe("shuffle(a, b, 3, 0, 6)");
    expect(show(ir.vectorReduce("Add", a, 1))).toBe("(int32)vector_reduce_add(a)");
  });
  it("prints calls", () => {
    const fn = new FunctionDef("f");
    fn.define(["x"], [x]);
    expect(show(ir.call(Int(32), "f", [x, y], "Halide", { func: fn }))).toBe("f(x, y)");
    const tuple = new FunctionDef("t");
    tuple.define(["x"], [x, ir.cast(Float(32), x)]);
    expect(show(ir.call(Float(32), "t", [x], "Halide", { func: tuple, valueIndex: 1 }))).toBe("t(x)[1]");
    expect(show(ir.call(Int(32), "t", [x], "Halide", { func: tuple, valueIndex: 0 }))).toBe("t(x)[0]");
    expect(show(ir.call(UInt(8), "in", [x, y], "Image"))).toBe("in(x, y)");
    expect(show(ir.callIntrinsic(ir.Intrinsic.bitwiseAnd, Int(32), [x, y]))).toBe("(x & y)");
    expect(show(ir.callIntrinsic(ir.Intrinsic.bitwiseOr, Int(32), [x, y]))).toBe("(x | y)");
    expect(show(ir.callIntrinsic(ir.Intrinsic.bitwiseXor, Int(32), [x, y]))).toBe("(x ^ y)");
    expect(show(ir.callIntrinsic(ir.Intrinsic.shiftLeft, Int(32), [x, y]))).toBe("(x << y)");
    expect(show(ir.callIntrinsic(ir.Intrinsic.shiftRight, Int(32), [x, y]))).toBe("(x >> y)");
    expect(show(ir.callIntrinsic(ir.Intrinsic.bitwiseNot, Int(32), [x]))).toBe("~x");
    expect(show(ir.callIntrinsic(ir.Intrinsic.abs, UInt(32), [x]))).toBe("abs(x)");
    expect(show(ir.call(Int(32), "bitwise_and", [x, y], "Extern"))).toBe("bitwise_and(x, y)");
    expect(show(ir.call(Handle(), "h", [], "Extern"))).toBe("h()");
  });
});

describe("stmtToString", () => {
  const store = (v: ir.Expr) => ({ kind: "Store", name: "f", value: v, index: x, predicate: ir.constTrue() }) as const;
  it("prints loops, lets and producer/consumer blocks", () => {
    const s = st.forLoop("x", i(0), i(10), "Serial", st.letStmt("t", ir.arith("Mul", x, i(2)), store(x)));
    expect(stmtToString(s)).toBe("for (x, 0, 10) {\n  let t = (x*2)\n  f[x] = x\n}\n");
    const kinds: [st.ForType, string][] = [["Parallel", "parallel"], ["Vectorized", "vectorized"], [
      "Unrolled",
      "unrolled",
    ]];
    for (const [forType, word] of kinds) {
      expect(stmtToString(st.forLoop("y", i(0), y, forType, store(x)))).toBe(`${word} (y, 0, y) {\n  f[x] = x\n}\n`);
    }
    const pc: st.Stmt = { kind: "ProducerConsumer", name: "f", isProducer: true, body: store(i(1)) };
    const cc: st.Stmt = { kind: "ProducerConsumer", name: "f", isProducer: false, body: st.evaluateStmt(x) };
    expect(stmtToString(st.block([pc, cc]))).toBe("produce f {\n  f[x] = 1\n}\nconsume f {\n  x\n}\n");
  });
  it("prints stores, provides, realizations and allocations", () => {
    const pred: st.Stmt = { kind: "Store", name: "g", value: y, index: x, predicate: ir.cmp("LT", x, i(3)) };
    expect(stmtToString(pred)).toBe("predicate ((x < 3))\n  g[x] = y\n");
    const fn = new FunctionDef("p");
    const provide: st.Stmt = { kind: "Provide", name: "p", values: [x, y], args: [x, y], func: fn };
    expect(stmtToString(provide)).toBe("p(x, y) = {x, y}\n");
    const one: st.Stmt = { kind: "Provide", name: "p", values: [x], args: [x], func: fn };
    const realize: st.Stmt = {
      kind: "Realize",
      name: "p",
      types: [Int(32)],
      bounds: [{ min: i(0), extent: i(10) }, { min: y, extent: i(4) }],
      condition: ir.constTrue(),
      body: one,
      func: fn,
    };
    expect(stmtToString(realize)).toBe("realize p([0, 10], [y, 4]) {\n  p(x) = x\n}\n");
    expect(stmtToString({ ...realize, condition: ir.cmp("GT", y, i(0)) })).toContain(
      "realize p([0, 10], [y, 4]) if (y > 0) {",
    );
    const alloc: st.Stmt = {
      kind: "Allocate",
      name: "buf",
      type: Float(32),
      extents: [i(10), y],
      condition: ir.constTrue(),
      body: store(x),
    };
    expect(stmtToString(alloc)).toBe("allocate buf[float32 * 10 * y]\nf[x] = x\n");
    expect(stmtToString({ ...alloc, condition: ir.cmp("GT", y, i(0)) })).toBe(
      "allocate buf[float32 * 10 * y] if (y > 0)\nf[x] = x\n",
    );
  });
  it("prints conditionals, asserts and evaluations", () => {
    const c1 = ir.cmp("LT", x, i(0)), c2 = ir.cmp("GT", x, i(9));
    expect(stmtToString(st.ifThenElse(c1, store(i(0))))).toBe("if ((x < 0)) {\n  f[x] = 0\n}\n");
    expect(stmtToString(st.ifThenElse(c1, store(i(0)), st.ifThenElse(c2, store(i(9)), store(x))))).toBe(
      "if ((x < 0)) {\n  f[x] = 0\n} else if ((x > 9)) {\n  f[x] = 9\n} else {\n  f[x] = x\n}\n",
    );
    const assertion: st.Stmt = { kind: "AssertStmt", cond: c1, message: ir.stringImm("bad") };
    expect(stmtToString(assertion)).toBe('assert((x < 0), "bad")\n');
    expect(stmtToString(st.evaluateStmt(ir.callIntrinsic(ir.Intrinsic.print, Int(32), [x])))).toBe("print(x)\n");
  });
});
