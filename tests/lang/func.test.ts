// Var, Func, FuncRef and pure definitions (API.md §2–§3), image calls on Buffers, and evaluate. Error messages
// follow Halide's Func.cpp / Function.cpp.
import { describe, expect, it } from "bun:test";
import * as hl from "../../mod.ts";
import { throwsHalide, typeOf, x, y, z } from "./helpers.ts";

const { Float, Int, UInt } = hl;

describe("Var", () => {
  it("has a name, Int(32) type and prints as its name", () => {
    const v = new hl.Var("v_name");
    expect(v.name).toBe("v_name");
    expect(v.type.toString()).toBe("int32");
    expect(v.toString()).toBe("v_name");
    expect(v.toIR()).toEqual({ kind: "Variable", type: Int(32), name: "v_name" });
    expect(v).toBeInstanceOf(hl.ExprOps);
  });
  it("is auto-named uniquely", () => {
    const a = new hl.Var(), b = new hl.Var();
    expect(a.name).toMatch(/^v\d+$/);
    expect(a.name === b.name).toBe(false);
  });
  it("compares by name", () => {
    expect(new hl.Var("q").sameAs(new hl.Var("q"))).toBe(true);
    expect(x.sameAs(y)).toBe(false);
  });
  it("knows implicit variables and the placeholder", () => {
    expect(hl.Var.implicit(3).name).toBe("_3");
    expect(hl.Var.implicit(3).isImplicit()).toBe(true);
    expect(hl.Var.implicit(3).implicitIndex()).toBe(3);
    expect(x.isImplicit()).toBe(false);
    expect(x.implicitIndex()).toBe(-1);
    expect(hl._.name).toBe("_");
    expect(hl._.isPlaceholder()).toBe(true);
    expect(hl._.isImplicit()).toBe(true); // as in Halide: "_" has the implicit form
    expect(hl._0.name).toBe("_0");
    expect(hl._9.name).toBe("_9");
    expect(hl.Var.outermost().name).toBe("__outermost");
    expect(hl.Var.outermost().isImplicit()).toBe(false);
  });
});

describe("Func construction and names", () => {
  it("uses the given name the first time, then makes it unique", () => {
    const a = new hl.Func("uniq_name_test"), b = new hl.Func("uniq_name_test");
    expect(a.name).toBe("uniq_name_test");
    expect(b.name).toBe("uniq_name_test$1");
    expect(new hl.Func().name).toMatch(/^f\d+$/);
    expect(new hl.Func("g7").name).toMatch(/^g7\$\d+$/); // looks like a generated name
  });
  it("rejects bad names", () => {
    throwsHalide(() => new hl.Func("a.b"), `Func name "a.b" is invalid. Func names may not contain the character '.'`);
    throwsHalide(() => new hl.Func(""), "A Func may not have an empty name.");
  });
  it("typed Funcs know their types and dimensions before definition", () => {
    const f = new hl.Func(UInt(8), 2, "typed");
    expect(f.defined()).toBe(false);
    expect(f.type.toString()).toBe("uint8");
    expect(f.types.map(String)).toEqual(["uint8"]);
    expect(f.outputs).toBe(1);
    expect(f.dimensions).toBe(2);
    expect(f.at(x, y).type.toString()).toBe("uint8");
    const t = new hl.Func([Int(32), Float(32)], 1, "typed_tuple");
    expect(t.outputs).toBe(2);
    expect(t.at(x).types.map(String)).toEqual(["int32", "float32"]);
    throwsHalide(() => t.type, `Can't call Func::type on Func "typed_tuple" because it returns a Tuple.`);
    throwsHalide(() => t.at(x).type, `Can't call type() on call to Func "typed_tuple" because it returns a Tuple.`);
    throwsHalide(
      () => new hl.Func(UInt(8), -1),
      "A typed Func needs a non-negative integer number of dimensions, got -1.",
    );
    throwsHalide(() => new hl.Func([], 1), "A typed Func needs at least one Type.");
  });
  it("from an Expr defines a Func over its implicit variables", () => {
    const f = new hl.Func(hl._0.add(hl._1));
    expect(f.dimensions).toBe(2);
    expect(f.toString()).toMatch(/^f\d+\(_0, _1\) = \(_0 \+ _1\)$/);
    const k = new hl.Func(5);
    expect(k.dimensions).toBe(0);
    expect(k.value().toString()).toBe("5");
  });
  it("from a Buffer reads the buffer", () => {
    const b = new hl.Buffer(UInt(8), [4, 3], "func_from_buffer");
    const f = new hl.Func(b);
    expect(f.dimensions).toBe(2);
    expect(f.type.toString()).toBe("uint8");
    expect(f.value().toString()).toBe("func_from_buffer(_0, _1)");
  });
});

describe("introspection of an undefined Func", () => {
  const f = new hl.Func("undef_f");
  it("errors like Halide", () => {
    expect(f.defined()).toBe(false);
    expect(f.args()).toEqual([]);
    expect(f.toString()).toBe("<undefined Func undef_f>");
    throwsHalide(() => f.value(), "Can't call Func::value() on an undefined Func.");
    throwsHalide(() => f.values(), "Can't call Func::values() on an undefined Func.");
    throwsHalide(
      () => f.type,
      `Can't call Func::type on Func "undef_f" because it is undefined or has no type requirements.`,
    );
    throwsHalide(() => f.types, `Can't call Func::types on Func "undef_f"`);
    throwsHalide(() => f.outputs, `Can't call Func::outputs on Func "undef_f"`);
    throwsHalide(
      () => f.dimensions,
      `Can't call Func::dimensions on Func "undef_f" because it is undefined or has no dimension requirements.`,
    );
    throwsHalide(
      () => f.at(x).type,
      `Can't call type() on call to Func "undef_f" because it is undefined or has no type requirements.`,
    );
    throwsHalide(() => f.at(x).add(1), `Can't call Func "undef_f" because it has not yet been defined.`);
    throwsHalide(() => f.at(x).elem(0), `Can't call Func "undef_f" because it has not yet been defined.`);
    throwsHalide(() => f.realize([4]), "Can't realize undefined Func.");
    throwsHalide(() => f.realizeTuple([4]), "Can't realize undefined Func.");
    expect(f.at(x, 1).toString()).toBe("undef_f(x, 1)");
  });
});

describe("pure definitions", () => {
  it("defines and introspects", () => {
    const f = new hl.Func("pure_f");
    f.at(x, y).set(x.add(y));
    expect(f.defined()).toBe(true);
    expect(f.dimensions).toBe(2);
    expect(f.args().map((v) => v.name)).toEqual(["x", "y"]);
    expect(f.args()[0]).toBeInstanceOf(hl.Var);
    expect(f.value().toString()).toBe("(x + y)");
    expect(f.values().map(String)).toEqual(["(x + y)"]);
    expect(f.type.toString()).toBe("int32");
    expect(f.types.map(String)).toEqual(["int32"]);
    expect(f.outputs).toBe(1);
    expect(f.toString()).toBe("pure_f(x, y) = (x + y)");
    expect(f.fn.name).toBe("pure_f");
    expect(f.fn.args).toEqual(["x", "y"]);
  });
  it("accepts literal values", () => {
    const f = new hl.Func("lit_f");
    f.at(x).set(3);
    expect(typeOf(f.at(x))).toBe("int32");
    const g = new hl.Func("lit_g");
    g.at(x).set(0.5);
    expect(g.type.toString()).toBe("float32");
    const h = new hl.Func("lit_h");
    h.at(x).set(true);
    expect(h.type.toString()).toBe("bool");
  });
  it("calls a defined Func as a Halide Call", () => {
    const f = new hl.Func("callee");
    f.at(x, y).set(x.mul(y));
    const ref = f.at(x.add(1), 2);
    expect(ref).toBeInstanceOf(hl.FuncRef);
    expect(ref.toString()).toBe("callee((x + 1), 2)");
    const call = ref.toIR();
    expect(call.kind).toBe("Call");
    if (call.kind !== "Call") return;
    expect(call.callType).toBe("Halide");
    expect(call.func).toBe(f.fn);
    expect(call.valueIndex).toBe(0);
    expect(call.name).toBe("callee");
    const g = new hl.Func("caller");
    g.at(x, y).set(f.at(x, y).add(f.at(y, x)));
    expect(g.toString()).toBe("caller(x, y) = (callee(x, y) + callee(y, x))");
  });
  it("casts narrower integer arguments to int32 and rejects others", () => {
    const f = new hl.Func("argf");
    f.at(x).set(x);
    expect(f.at(hl.u8(y)).toString()).toBe("argf(int32(uint8(y)))");
    expect(f.at(hl.u8(3)).toString()).toBe("argf(3)");
    throwsHalide(
      () => f.at(hl.f32(y)),
      `Implicit cast from float32 to int in argument 1 in call to "argf" is not allowed. Use an explicit cast.`,
    );
    throwsHalide(() => f.at(0.5), "Implicit cast from float32 to int in argument 1");
    throwsHalide(() => f.at(hl.u32(y)), "Implicit cast from uint32 to int");
    throwsHalide(() => f.at(hl.i64(y)), "Implicit cast from int64 to int");
  });
  it("checks the argument count against a defined Func", () => {
    const f = new hl.Func("arity");
    f.at(x, y).set(x);
    throwsHalide(() => f.at(x), `Func "arity" was called with 1 arguments, but was defined with 2`);
    throwsHalide(() => f.at(x, y, z), `Func "arity" was called with 3 arguments, but was defined with 2`);
  });
  it("rejects undefined variables on the right", () => {
    const f = new hl.Func("undefvar");
    throwsHalide(() => f.at(x).set(x.add(y)), `Undefined variable "y" in definition of Func "undefvar"`);
    expect(f.defined()).toBe(false);
  });
  it("allows Let-bound names and parameters", () => {
    const f = new hl.Func("letf");
    const body = hl.Expr.fromIR({
      kind: "Let",
      type: Int(32),
      name: "t",
      value: x.mul(2).node,
      body: { kind: "Variable", type: Int(32), name: "t" },
    });
    f.at(x).set(body);
    expect(f.value().toString()).toBe("(let t = (x*2) in t)");
    const g = new hl.Func("paramf");
    const p = hl.Expr.fromIR({ kind: "Variable", type: Float(32), name: "p", param: { name: "p", type: Float(32) } });
    g.at(x).set(p.mul(x));
    expect(g.type.toString()).toBe("float32");
    const h = new hl.Func("letscope");
    const escaped = hl.Expr.fromIR({
      kind: "Add",
      type: Int(32),
      a: body.node,
      b: { kind: "Variable", type: Int(32), name: "t" },
    });
    throwsHalide(() => h.at(x).set(escaped), `Undefined variable "t" in definition of Func "letscope"`);
  });
  it("requires Vars on the left", () => {
    const f = new hl.Func("lhs");
    throwsHalide(() => f.at(x.add(1)).set(x), `Argument 1 in initial definition of "lhs" is not a Var.`);
    throwsHalide(() => f.at(x, 0).set(x), `Argument 2 in initial definition of "lhs" is not a Var.`);
  });
  it("rejects repeated Vars on the left", () => {
    const f = new hl.Func("dup");
    throwsHalide(
      () => f.at(x, x).set(x),
      `In pure definition of Func "dup":\nIn left-hand-side of definition, arguments 1 and 0 both have the name "x"`,
    );
  });
  it("makes a second definition an update definition", () => {
    const f = new hl.Func("twice");
    f.at(x).set(x);
    f.at(x).set(f.at(x).add(1));
    expect(f.numUpdateDefinitions()).toBe(1);
    expect(f.realize([3]).get([2])).toBe(3);
  });
  it("checks a typed Func's type and dimensionality", () => {
    const f = new hl.Func(UInt(8), 2, "typedf");
    throwsHalide(
      () => f.at(x, y).set(x),
      `Func "typedf" is constrained to only hold values of type uint8 but is defined with values of type int32.`,
    );
    throwsHalide(
      () => f.at(x).set(hl.u8(x)),
      `Func "typedf" is constrained to have exactly 2 dimensions, but is defined with 1 dimensions.`,
    );
    f.at(x, y).set(hl.u8(x.add(y)));
    expect(f.type.toString()).toBe("uint8");
    const t = new hl.Func([Int(32), Float(32)], 1, "typedt");
    throwsHalide(
      () => t.at(x).set([x, x]),
      `Func "typedt" is constrained to only hold values of type (int32, float32) but is defined with values of type (int32, int32).`,
    );
    throwsHalide(() => t.at(x).set(x), "but is defined with values of type int32.");
  });
  it("defines zero-dimensional Funcs with at()", () => {
    const f = new hl.Func("lang_zero_d");
    f.at().set(42);
    expect(f.dimensions).toBe(0);
    expect(f.toString()).toBe("lang_zero_d() = 42");
    expect(f.at().toString()).toBe("lang_zero_d()");
    throwsHalide(() => f.at(x), `Func "lang_zero_d" was called with 1 arguments, but was defined with 0`);
  });
  it("rejects an empty Tuple", () => {
    throwsHalide(() => new hl.Func("empty").at(x).set([]), "A Func can't be defined with an empty Tuple.");
  });
});

describe("the placeholder _ and implicit variables", () => {
  const f = new hl.Func("implicit_src");
  f.at(x, y).set(x.add(y));
  it("expands in calls to the callee's remaining dimensions", () => {
    expect(f.at(hl._).toString()).toBe("implicit_src(_0, _1)");
    expect(f.at(x, hl._).toString()).toBe("implicit_src(x, _0)");
    expect(f.at(hl._, x).toString()).toBe("implicit_src(_0, x)");
    expect(f.at(x, y, hl._).toString()).toBe("implicit_src(x, y)");
  });
  it("adds the implicit variables of the right to the left", () => {
    const g = new hl.Func("implicit_g");
    g.at(hl._).set(f.at(hl._).mul(2));
    expect(g.toString()).toBe("implicit_g(_0, _1) = (implicit_src(_0, _1)*2)");
    expect(g.dimensions).toBe(2);
    const h = new hl.Func("implicit_h");
    h.at(z, hl._).set(f.at(hl._).add(z));
    expect(h.args().map((v) => v.name)).toEqual(["z", "_0", "_1"]);
    const k = new hl.Func("implicit_k");
    k.at(hl._0).set(hl._0);
    expect(k.toString()).toBe("implicit_k(_0) = _0");
  });
  it("needs the placeholder on the left when the right uses implicit variables", () => {
    const g = new hl.Func("implicit_bad");
    throwsHalide(
      () => g.at(x).set(f.at(hl._)),
      "Right-hand-side of definition of implicit_bad uses implicit variables, but the left-hand-side does not contain the placeholder symbol '_'.",
    );
  });
});

describe("Tuples", () => {
  const t = new hl.Func("lang_pair");
  t.at(x).set([x, hl.f32(x).div(2)]);
  it("define several values", () => {
    expect(t.outputs).toBe(2);
    expect(t.types.map(String)).toEqual(["int32", "float32"]);
    expect(t.values().map(String)).toEqual(["x", "(float32(x)/2.000000f)"]);
    expect(t.toString()).toBe("lang_pair(x) = {x, (float32(x)/2.000000f)}");
    throwsHalide(() => t.value(), `Can't call Func::value() on Func "lang_pair", because it has multiple values.`);
    throwsHalide(() => t.type, `Can't call Func::type on Func "lang_pair" because it returns a Tuple.`);
  });
  it("are read element by element", () => {
    const e1 = t.at(x).elem(1);
    expect(e1).toBeInstanceOf(hl.FuncTupleElementRef);
    expect(e1.index).toBe(1);
    expect(e1.type.toString()).toBe("float32");
    expect(e1.toString()).toBe("lang_pair(x)[1]");
    const ir = e1.toIR();
    expect(ir.kind === "Call" && ir.valueIndex).toBe(1);
    const g = new hl.Func("pair_sum");
    g.at(x).set(t.at(x).elem(0).add(t.at(x).elem(1)));
    expect(g.value().toString()).toBe("(float32(lang_pair(x)[0]) + lang_pair(x)[1])");
  });
  it("can't be used as a single Expr", () => {
    throwsHalide(
      () => t.at(x).add(1),
      `Can't convert a reference Func "lang_pair" to an Expr, because lang_pair returns a Tuple. Use .elem(i)`,
    );
    throwsHalide(() => t.at(x).type, `Can't call type() on call to Func "lang_pair" because it returns a Tuple.`);
    expect(t.at(x).size).toBe(2);
    throwsHalide(() => t.at(x).elem(2), `Tuple index out of range in reference to Func "lang_pair".`);
    throwsHalide(() => t.at(x).elem(-1), "Tuple index out of range");
    const s = new hl.Func("single");
    s.at(x).set(x);
    throwsHalide(
      () => s.at(x).elem(0),
      `Can't index into a reference to Func "single", because it does not return a Tuple.`,
    );
  });
  it("are copied whole by a definition from a Tuple FuncRef", () => {
    const c = new hl.Func("pair_copy");
    c.at(x).set(t.at(x));
    expect(c.outputs).toBe(2);
    expect(c.toString()).toBe("pair_copy(x) = {lang_pair(x)[0], lang_pair(x)[1]}");
  });
  it("realize points at realizeTuple", () => {
    throwsHalide(
      () => t.realize([4]),
      `Func "lang_pair" returns a Tuple of 2 values; use realizeTuple() to get one Buffer per element.`,
    );
  });
});

describe("image calls on Buffers", () => {
  const b = new hl.Buffer(UInt(8), [8, 6], "img_in");
  it("read the buffer", () => {
    const e = b.at(x, y);
    expect(e).toBeInstanceOf(hl.Expr);
    expect(e.toString()).toBe("img_in(x, y)");
    expect(e.type.toString()).toBe("uint8");
    const n = e.node;
    expect(n.kind === "Call" && n.callType).toBe("Image");
    expect(n.kind === "Call" && n.image).toBe(b);
    expect(b.at(hl._).toString()).toBe("img_in(_0, _1)");
    expect(b.at(x, hl.u8(y)).toString()).toBe("img_in(x, int32(uint8(y)))");
  });
  it("check the argument count and types", () => {
    throwsHalide(() => b.at(x), `1-argument call to "img_in", which has 2 dimensions.`);
    throwsHalide(() => b.at(x, y, z), `3-argument call to "img_in", which has 2 dimensions.`);
    throwsHalide(() => b.at(x, hl.f32(y)), `Implicit cast from float32 to int in argument 2 in call to "img_in"`);
  });
});

describe("realize and evaluate", () => {
  it("realizes a Func into a new Buffer", () => {
    const f = new hl.Func("realize_me");
    f.at(x, y).set(x.add(y.mul(10)));
    const out = f.realize([4, 3]);
    expect(out.dimensions).toBe(2);
    expect(out.get([2, 1])).toBe(12);
  });
  it("evaluates scalar expressions", () => {
    expect(hl.evaluate(new hl.Expr(3).add(4))).toBe(7);
    expect(hl.evaluate(hl.i64(1).add(2))).toBe(3n);
    expect(hl.evaluate(new hl.Expr(3).lt(4))).toBe(true);
    expect(hl.evaluate([new hl.Expr(1).add(1), hl.f32(0.5).mul(3)])).toEqual([2, 1.5]);
    expect(hl.evaluate(hl.select(new hl.Expr(3).gt(2), 10, 20))).toBe(10);
  });
  it("refuses free variables in evaluate", () => {
    throwsHalide(() => hl.evaluate(x.add(1)), `Undefined variable "x" in definition of Func "evaluate_func_1`);
  });
});
