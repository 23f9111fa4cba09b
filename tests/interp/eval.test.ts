// The evaluator: environments, Let scoping, vectors (Ramp, Broadcast, Shuffle, VectorReduce, Select, Cast,
// Reinterpret), calls to Funcs (memoized, Tuples), image reads, parameters, and every error path.
import { describe, expect, it } from "bun:test";
import { HalideError } from "../../src/error.ts";
import {
  arith,
  broadcast,
  call,
  callIntrinsic,
  cast,
  cmp,
  constTrue,
  type Expr,
  i32Imm,
  Intrinsic,
  letExpr,
  load,
  logical,
  not,
  ramp,
  reinterpret,
  select,
  shuffle,
  stringImm,
  variable,
  vectorReduce,
} from "../../src/ir/expr.ts";
import { FunctionDef } from "../../src/ir/function.ts";
import { Bool, Float, Int, UInt } from "../../src/ir/type.ts";
import { evalExpr, evalFunc, evalLanes, type ImageData, Interpreter } from "../../src/interp/eval.ts";
import { k } from "./helpers.ts";

const i32 = Int(32);
const x = variable(i32, "x"), y = variable(i32, "y");
const add = (a: Expr, b: Expr) => arith("Add", a, b);
const mul = (a: Expr, b: Expr) => arith("Mul", a, b);

/** A Func `name(args) = values`. */
function func(name: string, args: string[], values: Expr[]): FunctionDef {
  const fn = new FunctionDef(name);
  fn.define(args, values);
  return fn;
}
/** A call to value `valueIndex` of `fn`. */
function callFunc(fn: FunctionDef, args: Expr[], valueIndex = 0): Expr {
  return call(fn.pure.values[valueIndex].type, fn.name, args, "Halide", { func: fn, valueIndex });
}
/** A 1-D uint8 image whose value at x is `f(x)`, counting reads. */
function image(name: string, f: (x: number) => number): ImageData & { reads: number } {
  const img = { name, type: UInt(8), dimensions: 1, reads: 0, get: ([px]: number[]) => (img.reads++, f(px) & 255) };
  return img;
}
const imageCall = (img: ImageData, args: Expr[]) => call(img.type, img.name, args, "Image", { image: img });

describe("variables and environments", () => {
  it("reads free variables from a plain object or a Map", () => {
    expect(evalExpr(add(x, y), { x: 3, y: 4 })).toBe(7);
    expect(evalExpr(add(x, y), new Map([["x", 3], ["y", -4]]))).toBe(-1);
  });
  it("converts supplied values to the variable's type", () => {
    expect(evalExpr(variable(Int(64), "n"), { n: 3 })).toBe(3n);
    expect(evalExpr(variable(Bool(), "p"), { p: 1 })).toBe(true);
    expect(evalExpr(variable(Float(16), "h"), { h: 0.1 })).toBe(0.0999755859375);
  });
  it("reports a missing variable or parameter by name", () => {
    expect(() => evalExpr(add(x, y), { x: 1 })).toThrow("no value for variable y");
    const p = variable(Float(32), "gain", { name: "gain", type: Float(32) });
    expect(() => evalExpr(p)).toThrow("no value for parameter gain");
  });
  it("reports values that do not fit the variable's type", () => {
    expect(() => evalExpr(variable(UInt(8), "b"), { b: 300 })).toThrow("300 is not a value of type uint8");
    expect(() => evalExpr(x, { x: [1, 2] })).toThrow("Variable x has type int32, but was given 2 lane value(s).");
  });
  it("reads a parameter from its get() when the environment lacks it", () => {
    const param = { name: "offset", type: i32, get: () => 5 };
    expect(evalExpr(add(variable(i32, "offset", param), i32Imm(1)))).toBe(6);
    expect(evalExpr(add(variable(i32, "offset", param), i32Imm(1)), { offset: 10 })).toBe(11);
  });
});

describe("Let", () => {
  it("binds a name in its body, shadowing outer bindings", () => {
    // let x = 1 in (let x = x + 1 in x * 10)
    const e = letExpr("x", i32Imm(1), letExpr("x", add(x, i32Imm(1)), mul(x, i32Imm(10))));
    expect(evalExpr(e, { x: 100 })).toBe(20);
  });
  it("binds vector values", () => {
    const v = variable(Int(32, 4), "v");
    expect(evalLanes(letExpr("v", ramp(i32Imm(0), i32Imm(2), 4), add(v, v)))).toEqual([0, 4, 8, 12]);
  });
});

describe("logic and Select", () => {
  it("evaluates And, Or, Not", () => {
    const p = variable(Bool(), "p"), q = variable(Bool(), "q");
    const rows = [[false, false], [false, true], [true, false], [true, true]] as const;
    expect(rows.map(([a, b]) => evalExpr(logical("And", p, q), { p: a, q: b }))).toEqual([false, false, false, true]);
    expect(rows.map(([a, b]) => evalExpr(logical("Or", p, q), { p: a, q: b }))).toEqual([false, true, true, true]);
    expect(evalExpr(not(p), { p: false })).toBe(true);
  });
  it("selects lane-wise, with a scalar or a vector condition", () => {
    const v = ramp(i32Imm(0), i32Imm(1), 4), w = broadcast(i32Imm(-1), 4);
    expect(evalLanes(select(cmp("LT", v, broadcast(i32Imm(2), 4)), v, w))).toEqual([0, 1, -1, -1]);
    expect(evalLanes(select(constTrue(), v, w))).toEqual([0, 1, 2, 3]);
    expect(evalExpr(select(cmp("GT", x, i32Imm(0)), x, i32Imm(0)), { x: -5 })).toBe(0);
  });
});

describe("vectors", () => {
  it("Ramp computes base + i*stride in the element type (wrapping)", () => {
    expect(evalLanes(ramp(i32Imm(10), i32Imm(-1), 4))).toEqual([10, 9, 8, 7]);
    expect(evalLanes(ramp(k(UInt(8), 250), k(UInt(8), 3), 3))).toEqual([250, 253, 0]);
    expect(evalLanes(ramp(k(Float(32), 0.5), k(Float(32), 0.25), 3))).toEqual([0.5, 0.75, 1]);
  });
  it("a Ramp of vectors and a Broadcast of a vector concatenate", () => {
    const base = ramp(i32Imm(0), i32Imm(10), 2); // [0, 10]
    expect(evalLanes(ramp(base, broadcast(i32Imm(1), 2), 3))).toEqual([0, 10, 1, 11, 2, 12]);
    expect(evalLanes(broadcast(base, 3))).toEqual([0, 10, 0, 10, 0, 10]);
  });
  it("Shuffle selects from the concatenated vectors", () => {
    const a = ramp(i32Imm(0), i32Imm(1), 4), b = ramp(i32Imm(100), i32Imm(1), 4);
    expect(evalLanes(shuffle([a, b], [0, 4, 1, 5]))).toEqual([0, 100, 1, 101]);
    expect(evalLanes(shuffle([a], [3, 2, 1, 0]))).toEqual([3, 2, 1, 0]);
    expect(() => evalLanes(shuffle([a], [4]))).toThrow("Shuffle index 4 is out of range [0, 4).");
  });
  it("VectorReduce combines groups of adjacent lanes", () => {
    const v = ramp(i32Imm(1), i32Imm(1), 8); // 1..8
    expect(evalLanes(vectorReduce("Add", v, 2))).toEqual([10, 26]);
    expect(evalLanes(vectorReduce("Mul", v, 1))).toEqual([40320]);
    expect(evalLanes(vectorReduce("Min", v, 4))).toEqual([1, 3, 5, 7]);
    expect(evalLanes(vectorReduce("Max", v, 2))).toEqual([4, 8]);
    const u8s = ramp(k(UInt(8), 200), k(UInt(8), 20), 2); // [200, 220]
    expect(evalLanes(vectorReduce("Add", u8s, 1))).toEqual([164]); // 420 mod 256
    const bits = cmp("LT", v, broadcast(i32Imm(3), 8)); // [T, T, F, F, F, F, F, F]
    expect(evalLanes(vectorReduce("And", bits, 4))).toEqual([true, false, false, false]);
    expect(evalLanes(vectorReduce("Or", bits, 2))).toEqual([true, false]);
  });
  it("Cast and Reinterpret work lane-wise and across lanes", () => {
    const v = ramp(i32Imm(254), i32Imm(1), 3);
    expect(evalLanes(cast(UInt(8, 3), v))).toEqual([254, 255, 0]);
    const bytes = shuffle([broadcast(k(UInt(8), 0x78), 1), broadcast(k(UInt(8), 0x56), 1)], [0, 1]);
    expect(evalLanes(reinterpret(UInt(16), bytes))).toEqual([0x5678]);
    expect(evalLanes(reinterpret(UInt(8, 4), k(UInt(32), 0x12345678)))).toEqual([0x78, 0x56, 0x34, 0x12]);
  });
  it("intrinsics broadcast scalar arguments across lanes", () => {
    const v = ramp(k(UInt(8), 250), k(UInt(8), 1), 4);
    const e = callIntrinsic(Intrinsic.saturatingAdd, UInt(8, 4), [v, broadcast(k(UInt(8), 3), 4)]);
    expect(evalLanes(e)).toEqual([253, 254, 255, 255]);
  });
  it("evalExpr refuses vectors and points to evalLanes", () => {
    expect(() => evalExpr(broadcast(i32Imm(1), 2))).toThrow("use evalLanes");
  });
});

describe("calls to Funcs", () => {
  it("evaluates the callee's pure definition at the call's coordinates", () => {
    const f = func("f", ["x"], [mul(x, i32Imm(2))]);
    const g = func("g", ["x", "y"], [add(callFunc(f, [x]), callFunc(f, [add(y, i32Imm(1))]))]);
    expect(evalFunc(g, [3, 4])).toEqual([16]); // 2*3 + 2*5
    expect(evalFunc(f, [21])).toEqual([42]);
  });
  it("returns one value per Tuple element, and calls read the requested element", () => {
    const t = func("t", ["x"], [x, cast(Float(32), mul(x, x))]);
    expect(evalFunc(t, [-3])).toEqual([-3, 9]);
    const u = func("u", ["x"], [add(callFunc(t, [x], 0), cast(i32, callFunc(t, [x], 1)))]);
    expect(evalFunc(u, [4])).toEqual([20]);
  });
  it("does not see the caller's variables, only its own arguments and the parameters", () => {
    const scale = variable(i32, "scale", { name: "scale", type: i32 });
    const f = func("f", ["x"], [mul(x, scale)]);
    const g = func("g", ["y"], [callFunc(f, [y])]);
    expect(evalFunc(g, [5], { scale: 3 })).toEqual([15]);
    const h = func("h", ["x"], [y]); // y is free in h
    expect(() => new Interpreter().evalLanes(callFunc(h, [i32Imm(0)]), { y: 1 })).toThrow("no value for variable y");
  });
  it("memoizes Func values, so a chain of stencils stays linear", () => {
    const input = image("input", (px) => px * 7);
    let prev = func("f0", ["x"], [cast(i32, imageCall(input, [x]))]);
    for (let level = 1; level <= 25; level++) {
      // Each level reads the previous one twice: 2^25 evaluations without memoization.
      const sum = add(callFunc(prev, [add(x, i32Imm(-1))]), callFunc(prev, [add(x, i32Imm(1))]));
      prev = func(`f${level}`, ["x"], [arith("Div", sum, i32Imm(2))]);
    }
    const interp = new Interpreter();
    const [out] = interp.evalFunc(prev, [0]);
    expect(typeof out).toBe("number");
    expect(input.reads).toBe(26); // the odd x in -25..25
    interp.evalFunc(prev, [2]);
    expect(input.reads).toBe(27); // only x = 27 is new
  });
  it("evaluates vector calls lane by lane", () => {
    const f = func("f", ["x"], [mul(x, x)]);
    const v = ramp(i32Imm(0), i32Imm(1), 4);
    expect(evalLanes(call(Int(32, 4), "f", [v], "Halide", { func: f }))).toEqual([0, 1, 4, 9]);
  });
  it("reports wrong coordinate counts, undefined Funcs and self-reference", () => {
    const f = func("f", ["x", "y"], [add(x, y)]);
    expect(() => evalFunc(f, [1])).toThrow("Func f has 2 dimension(s) but was evaluated at 1 coordinate(s).");
    expect(() => evalFunc(f, [1.5, 2])).toThrow("1.5 is not a value of type int32");
    expect(() => evalFunc(new FunctionDef("nothing"), [])).toThrow("Func nothing is not defined.");
    const loop = new FunctionDef("loop");
    loop.define(["x"], [call(i32, "loop", [add(x, i32Imm(1))], "Halide", { func: loop })]);
    expect(() => evalFunc(loop, [0])).toThrow("The definition of Func loop depends on itself.");
    expect(() => evalExpr(call(i32, "ghost", [], "Halide"))).toThrow("Call to ghost has no Func definition attached.");
  });
});

describe("image calls", () => {
  it("reads image.get(coords), converted to the call's type", () => {
    const img = image("img", (px) => px + 1);
    expect(evalExpr(imageCall(img, [add(x, i32Imm(1))]), { x: 254 })).toBe(0); // (256) & 255
    expect(evalExpr(imageCall(img, [x]), { x: 9 })).toBe(10);
  });
  it("prefers data passed in the images option (e.g. for ImageParams)", () => {
    const param = { name: "in", type: UInt(8), dimensions: 1 }; // an ImageParam-like source without data
    const e = call(UInt(8), "in", [x], "Image", { image: param });
    expect(() => evalExpr(e, { x: 0 })).toThrow("no data for image in; pass it in the images option");
    expect(evalExpr(e, { x: 2 }, { in: image("in", (px) => 40 + px) })).toBe(42);
    expect(evalExpr(e, { x: 2 }, new Map([["in", image("in", () => 1)]]))).toBe(1);
  });
  it("rejects non-scalar and out-of-type values", () => {
    const odd = { name: "odd", type: UInt(8), dimensions: 1, get: () => ({}) as unknown as number };
    expect(() => evalExpr(imageCall(odd, [i32Imm(0)]))).toThrow("Image odd returned a non-scalar value at [0].");
    const big = { name: "big", type: UInt(8), dimensions: 1, get: () => 300 };
    expect(() => evalExpr(imageCall(big, [i32Imm(0)]))).toThrow("300 is not a value of type uint8");
  });
});

describe("what the interpreter does not evaluate", () => {
  it("reports impure intrinsics, loads, strings and extern calls", () => {
    const printCall = callIntrinsic(Intrinsic.print, i32, [x, stringImm("x =")]);
    expect(() => evalExpr(printCall, { x: 1 })).toThrow("print: the interpreter cannot evaluate it");
    expect(() => evalExpr(load(i32, "buf", i32Imm(0), constTrue()))).toThrow("cannot evaluate Load of buf");
    expect(() => evalExpr(stringImm("hi"))).toThrow(HalideError);
    expect(() => evalExpr(call(Float(32), "sinf", [k(Float(32), 1)], "PureExtern"))).toThrow(
      "cannot call the extern function sinf",
    );
  });
  it("if_then_else evaluates only the chosen operand", () => {
    const printCall = callIntrinsic(Intrinsic.print, i32, [x]);
    const e = (c: boolean) => callIntrinsic(Intrinsic.ifThenElse, i32, [k(Bool(), c), x, printCall]);
    expect(evalExpr(e(true), { x: 7 })).toBe(7);
    expect(() => evalExpr(e(false), { x: 7 })).toThrow("print");
  });
});
