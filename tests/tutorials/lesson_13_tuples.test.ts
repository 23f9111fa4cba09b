// Port of Halide's tutorial lesson 13 (tutorial/lesson_13_tuples.cpp and its Python twin): Funcs that compute
// several values per point. A collection as an extra dimension (select / mux over a channel Var), as separate
// Funcs, and as a Tuple: realized into one Buffer per element, indexed with elem(i), reduced with Tuple update
// definitions (an argmax by hand and with hl.argmax), and used as a user-defined type (complex numbers, to draw
// the Mandelbrot set with an argmin). Each pipeline is checked against plain TypeScript doing the same float32
// arithmetic in the same order.
import { describe, expect, it } from "bun:test";
import * as hl from "../../mod.ts";
import { throwsHalide } from "../schedule/helpers.ts";

const x = new hl.Var("x"), y = new hl.Var("y"), c = new hl.Var("c");
const f32 = Math.fround;

/**
 * "" if every element of `b` equals `want(coords)` (within `tolerance`, for transcendental functions whose
 * float32 results may differ from JavaScript's by an ulp), else the first difference.
 */
function mismatch(b: hl.Buffer, want: (coords: number[]) => number, tolerance = 0): string {
  let first = "";
  b.forEachElement((coords) => {
    const got = b.get(coords) as number;
    if (!first && !(Math.abs(got - want(coords)) <= tolerance)) first = `[${coords}] is ${got}, not ${want(coords)}`;
  });
  return first;
}

/** One float32 ulp at magnitude 1: the tolerance for sin and cos in [-1, 1]. */
const ULP1 = 2 ** -23;

describe("tutorial lesson 13: collections of values", () => {
  it("a channel dimension, by select and by mux, and a Func of it bounded and unrolled", () => {
    const colorImage = new hl.Func("lesson13_color_image");
    colorImage.at(x, y, c).set(hl.select(c.eq(0), 245, c.eq(1), 42, 132));
    const colorMux = new hl.Func("lesson13_color_mux");
    colorMux.at(x, y, c).set(hl.mux(c, [245, 42, 132]));
    const brighter = new hl.Func("lesson13_brighter");
    brighter.at(x, y, c).set(colorImage.at(x, y, c).add(10));
    brighter.bound(c, 0, 3).unroll(c);

    const rgb = [245, 42, 132];
    expect(mismatch(colorImage.realize([3, 2, 3]), ([, , k]) => rgb[k])).toBe("");
    expect(mismatch(brighter.realize([3, 2, 3]), ([, , k]) => rgb[k] + 10)).toBe("");
    expect(brighter.loopNest()).toMatch(/^produce lesson13_brighter:\n {2}unrolled c in \[0, 2\]:\n {4}for y:\n {6}for x:/);
    // The channel dimension is infinite like any other: outside [0, 3), select and mux both give the last value.
    const outside = new hl.Buffer(hl.Int(32), [1, 1, 5]);
    outside.setMin([0, 0, -1]);
    colorImage.realize(outside);
    expect([-1, 0, 1, 2, 3].map((k) => outside.get([0, 0, k]))).toEqual([132, 245, 42, 132, 132]);
    colorMux.realize(outside);
    expect([-1, 0, 1, 2, 3].map((k) => outside.get([0, 0, k]))).toEqual([132, 245, 42, 132, 132]);
    // The bound is checked: brighter cannot be realized over more than the three channels it is bounded to.
    throwsHalide(
      () => brighter.realize([1, 1, 4]),
      /Bounds given for lesson13_brighter(\$\d+)? in c \(from 0 to 2\) do not cover required region \(from 0 to 3\)/,
    );
  });

  it("an array of Funcs, one per value", () => {
    const funcArray = [new hl.Func("lesson13_fa0"), new hl.Func("lesson13_fa1"), new hl.Func("lesson13_fa2")];
    funcArray[0].at(x, y).set(x.add(y));
    funcArray[1].at(x, y).set(hl.sin(x));
    funcArray[2].at(x, y).set(hl.cos(y));
    expect(mismatch(funcArray[0].realize([4, 3]), ([i, j]) => i + j)).toBe("");
    expect(mismatch(funcArray[1].realize([4, 3]), ([i]) => Math.sin(i), ULP1)).toBe("");
    expect(mismatch(funcArray[2].realize([4, 3]), ([, j]) => Math.cos(j), ULP1)).toBe("");
  });
});

describe("tutorial lesson 13: Tuple-valued Funcs", () => {
  const multiValued = new hl.Func("lesson13_multi_valued");
  multiValued.at(x, y).set([x.add(y), hl.sin(x.mul(y))]);

  it("realizeTuple gives one Buffer per element, of each element's type", () => {
    expect(multiValued.outputs).toBe(2);
    expect(multiValued.types.map(String)).toEqual(["int32", "float32"]);
    const [im0, im1] = multiValued.realizeTuple([80, 60]);
    expect([im0.type.toString(), im1.type.toString()]).toEqual(["int32", "float32"]);
    expect(im0.get([30, 40])).toBe(30 + 40);
    expect(im1.get([30, 40])).toBeCloseTo(Math.sin(30 * 40), 6);
    // The lesson's C: both values are computed in one loop nest, into separate arrays.
    const multi0 = new Int32Array(80 * 60), multi1 = new Float32Array(80 * 60);
    for (let j = 0; j < 60; j++) {
      for (let i = 0; i < 80; i++) {
        multi0[i + 80 * j] = i + j;
        multi1[i + 80 * j] = Math.sin(i * j);
      }
    }
    expect(mismatch(im0, ([i, j]) => multi0[i + 80 * j])).toBe("");
    expect(mismatch(im1, ([i, j]) => multi1[i + 80 * j], ULP1)).toBe("");
    expect(multiValued.loopNest()).toBe(
      ["produce lesson13_multi_valued:", "  for y:", "    for x:", "      lesson13_multi_valued(...) = ..."].join("\n"),
    );
  });

  it("realizeTuple fills existing Buffers; realize on a Tuple Func points to realizeTuple", () => {
    const im0 = new hl.Buffer(hl.Int(32), [80, 60]), im1 = new hl.Buffer(hl.Float(32), [80, 60]);
    multiValued.realizeTuple([im0, im1]);
    expect(im0.get([30, 40])).toBe(70);
    expect(im1.get([30, 40])).toBeCloseTo(Math.sin(1200), 6);
    throwsHalide(() => multiValued.realize([80, 60]), /use realizeTuple\(\)/);
  });

  it("a call of a Tuple Func is not an Expr: its elements are, through elem(i)", () => {
    const multiValued2 = new hl.Func("lesson13_multi_valued_2");
    multiValued2.at(x, y).set([x.add(y), hl.sin(x.mul(y))]);
    const bad = new hl.Func("lesson13_bad_consumer");
    throwsHalide(() => bad.at(x, y).set(multiValued2.at(x, y).add(10)), /because lesson13_multi_valued_2 returns a Tuple\. Use \.elem\(i\)/);
    const integerPart = multiValued2.at(x, y).elem(0);
    const floatingPart = multiValued2.at(x, y).elem(1);
    const consumer = new hl.Func("lesson13_consumer");
    consumer.at(x, y).set([integerPart.add(10), floatingPart.add(hl.f32(10))]);
    const [a, b] = consumer.realizeTuple([9, 7]);
    expect(mismatch(a, ([i, j]) => i + j + 10)).toBe("");
    expect(mismatch(b, ([i, j]) => Math.sin(i * j) + 10, 10 * ULP1)).toBe("");
  });
});

describe("tutorial lesson 13: Tuple reductions", () => {
  const inputFunc = new hl.Func("lesson13_input_func");
  inputFunc.at(x).set(hl.sin(x));
  const input = inputFunc.realize([100]);
  const inputAt = (i: number) => input.get([i]) as number;

  /** The lesson's C loop: the first index of the largest value, and the value. */
  function referenceArgMax(): [number, number] {
    let index = 0, best = inputAt(0);
    for (let k = 1; k < 100; k++) {
      const oldIndex = index, oldMax = best;
      const newIndex = oldMax < inputAt(k) ? k : oldIndex;
      const newMax = Math.max(inputAt(k), oldMax);
      // Every value is computed before any is stored.
      index = newIndex;
      best = newMax;
    }
    return [index, best];
  }

  it("an argmax by hand: a Tuple update reads both old values before storing either", () => {
    expect(input.type.toString()).toBe("float32");
    const argMax = new hl.Func("lesson13_arg_max");
    argMax.at().set([0, input.at(0)]);
    const r = new hl.RDom([[1, 99]], "am");
    const oldIndex = argMax.at().elem(0), oldMax = argMax.at().elem(1);
    const newIndex = hl.select(oldMax.lt(input.at(r)), r, oldIndex);
    const newMax = hl.max(input.at(r), oldMax);
    argMax.at().set([newIndex, newMax]);
    const [r0, r1] = argMax.realizeTuple([]);
    expect([r0.type.toString(), r1.type.toString()]).toEqual(["int32", "float32"]);
    const want = referenceArgMax();
    expect([r0.get([]), r1.get([])]).toEqual(want);
    expect(want[0]).toBe(33); // sin is largest near 33 = 5.25·2π, over 0..99
    expect(argMax.loopNest()).toBe(
      ["produce lesson13_arg_max:", "  lesson13_arg_max(...) = ...", "  for am$x in [1, 99]:", "    lesson13_arg_max(...) = ..."].join("\n"),
    );
  });

  it("the built-in argmax and argmin give [index, value], the first one on ties", () => {
    const r = new hl.RDom([[0, 100]]);
    const f = new hl.Func("lesson13_builtin_arg");
    f.at().set([...hl.argmax(input.at(r)), ...hl.argmin(input.at(r))]);
    let minIndex = 0;
    for (let k = 1; k < 100; k++) if (inputAt(k) < inputAt(minIndex)) minIndex = k;
    expect(f.realizeTuple([]).map((b) => b.get([]))).toEqual([...referenceArgMax(), minIndex, inputAt(minIndex)]);
    // Ties: the first point wins.
    const flat = new hl.Func("lesson13_ties");
    const rt = new hl.RDom([[0, 10]]);
    flat.at().set([...hl.argmax(rt.div(4)), ...hl.argmin(rt.div(4))]);
    expect(flat.realizeTuple([]).map((b) => b.get([]))).toEqual([8, 2, 0, 0]);
  });
});

/** A complex number as a pair of float32 Exprs; convertible to and from a Tuple (an array of two Exprs). */
class Complex {
  constructor(readonly real: hl.ExprLike, readonly imag: hl.ExprLike) {}
  /** From a call of a two-valued Func. */
  static fromRef(ref: hl.FuncRef): Complex {
    return new Complex(ref.elem(0), ref.elem(1));
  }
  toTuple(): hl.ExprLike[] {
    return [this.real, this.imag];
  }
  add(o: Complex): Complex {
    return new Complex(hl.add(this.real, o.real), hl.add(this.imag, o.imag));
  }
  mul(o: Complex): Complex {
    return new Complex(
      hl.sub(hl.mul(this.real, o.real), hl.mul(this.imag, o.imag)),
      hl.add(hl.mul(this.real, o.imag), hl.mul(this.imag, o.real)),
    );
  }
  magnitudeSquared(): hl.Expr {
    return hl.add(hl.mul(this.real, this.real), hl.mul(this.imag, this.imag));
  }
}

describe("tutorial lesson 13: Tuples for user-defined types", () => {
  /** The escape iteration of each point, as the lesson's algorithm computes it, in float32. */
  function referenceEscape(i: number, j: number): number {
    const cr = f32(f32(i / 15) - 2.5), ci = f32(f32(j / 6) - 2);
    let re = 0, im = 0;
    // argmin over r in [1, 12] of (|z_r|² < 16): the first r where that is false, else 0 (the initial index).
    for (let r = 1; r <= 12; r++) {
      const nre = f32(f32(f32(re * re) - f32(im * im)) + cr);
      const nim = f32(f32(f32(re * im) + f32(im * re)) + ci);
      [re, im] = [nre, nim];
      if (!(f32(f32(re * re) + f32(im * im)) < 16)) return r;
    }
    return 0;
  }

  it("the Mandelbrot set: 12 complex steps in a Tuple update, the first escape by argmin of a boolean", () => {
    const mandelbrot = new hl.Func("lesson13_mandelbrot");
    const initial = new Complex(x.div(hl.f32(15)).sub(2.5), y.div(hl.f32(6)).sub(hl.f32(2)));
    const t = new hl.Var("t");
    mandelbrot.at(x, y, t).set(new Complex(hl.f32(0), hl.f32(0)).toTuple());
    const r = new hl.RDom([[1, 12]], "steps");
    const current = Complex.fromRef(mandelbrot.at(x, y, r.sub(1)));
    mandelbrot.at(x, y, r).set(current.mul(current).add(initial).toTuple());
    const escapeCondition = Complex.fromRef(mandelbrot.at(x, y, r)).magnitudeSquared().lt(hl.f32(16));
    const firstEscape = hl.argmin(escapeCondition);
    expect(firstEscape).toHaveLength(2);
    const escape = new hl.Func("lesson13_escape");
    escape.at(x, y).set(firstEscape[0]);
    const result = escape.realize([61, 25]);
    expect(result.type.toString()).toBe("int32");
    expect(mismatch(result, ([i, j]) => referenceEscape(i, j))).toBe("");

    // The lesson prints it as ASCII art: symmetric about the middle row, the set itself blank (never escapes).
    const code = " .:-~*={}&%#@";
    const rows: string[] = [];
    for (let j = 0; j < 25; j++) {
      rows.push(Array.from({ length: 61 }, (_, i) => code[result.get([i, j]) as number]).join(""));
    }
    expect(rows.slice(0, 12)).toEqual(rows.slice(13).reverse());
    expect(rows[12]).toMatch(/^-+~\* {20,}/);
    // The escape reduction is computed per pixel and the Mandelbrot steps per step of it (the default for
    // Funcs with updates: innermost in their consumer).
    expect(escape.loopNest()).toMatch(/for steps\$x in \[1, 12\]:\n\s+store lesson13_mandelbrot:/);
  });
});
