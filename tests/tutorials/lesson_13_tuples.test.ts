// Port of Halide's lesson 13 (Tuples): multi-valued Funcs, realizing them, Tuple elements, a Tuple reduction
// (argmax written by hand) and the complex-number Mandelbrot set with an inline argmin, each checked against
// plain TypeScript (float32 arithmetic through Math.fround).
import { describe, expect, it } from "bun:test";
import * as hl from "../../mod.ts";

const x = new hl.Var("x"), y = new hl.Var("y");
const f32 = Math.fround;

describe("lesson 13: Tuples", () => {
  it("defines Funcs with several values and realizes them into one Buffer each", () => {
    const multiValued = new hl.Func("l13_multi");
    multiValued.at(x, y).set([x.add(y), hl.sin(hl.f32(x.mul(y)))]);
    const [im1, im2] = multiValued.realizeTuple([80, 60]);
    expect(im1.type.toString()).toBe("int32");
    expect(im2.type.toString()).toBe("float32");
    expect(im1.get([30, 40])).toBe(70);
    expect(im2.get([30, 40])).toBeCloseTo(Math.sin(1200), 5);
    // Into existing Buffers of the right types.
    const [a, b] = [new hl.Buffer(hl.Int(32), [80, 60]), new hl.Buffer(hl.Float(32), [80, 60])];
    multiValued.realizeTuple([a, b]);
    expect(a.get([30, 40])).toBe(70);
    expect(b.get([30, 40])).toBeCloseTo(Math.sin(1200), 5);
    // A Tuple Func is realized with realizeTuple.
    expect(() => multiValued.realize([4, 4])).toThrow(hl.HalideError);
  });

  it("uses Tuple elements as Exprs in other definitions", () => {
    const multi = new hl.Func("l13_multi2");
    multi.at(x, y).set([x.add(y), hl.sin(hl.f32(x.mul(y)))]);
    const integerPart = multi.at(x, y).elem(0), floatingPart = multi.at(x, y).elem(1);
    expect(integerPart).toBeInstanceOf(hl.FuncTupleElementRef);
    const consumer = new hl.Func("l13_consumer");
    consumer.at(x, y).set([integerPart.add(10), floatingPart.add(hl.f32(10))]);
    const [i, f] = consumer.realizeTuple([8, 8]);
    expect(i.get([3, 4])).toBe(17);
    expect(f.get([3, 4])).toBeCloseTo(Math.sin(12) + 10, 5);
  });

  it("computes an argmax with a Tuple update definition", () => {
    const inputFunc = new hl.Func("l13_input");
    inputFunc.at(x).set(hl.sin(hl.f32(x)));
    const input = inputFunc.realize([100]);
    const argMax = new hl.Func("l13_arg_max");
    argMax.at().set([0, input.at(0)]);
    const r = new hl.RDom([[1, 99]]);
    const oldIndex = argMax.at().elem(0), oldMax = argMax.at().elem(1);
    const newIndex = hl.select(oldMax.gt(input.at(r)), r, oldIndex);
    const newMax = hl.max(input.at(r), oldMax);
    argMax.at().set([newIndex, newMax]);
    // The lesson's loop, literally (it keeps the index while the old maximum is larger).
    let index = 0, best = Number(input.get([0]));
    for (let k = 1; k < 100; k++) {
      const v = Number(input.get([k]));
      index = best > v ? k : index;
      best = Math.max(v, best);
    }
    const [r0, r1] = argMax.realizeTuple([]);
    expect(r0.get([])).toBe(index);
    expect(r1.get([])).toBe(best);
  });

  it("draws the Mandelbrot set with complex numbers as Tuples and an inline argmin", () => {
    /** A complex number as a pair of Exprs, with the operations the lesson defines. */
    class Complex {
      constructor(readonly real: hl.ExprLike, readonly imag: hl.ExprLike) {}
      static of(ref: hl.FuncRef): Complex {
        return new Complex(ref.elem(0), ref.elem(1));
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
      magnitude(): hl.Expr {
        return hl.add(hl.mul(this.real, this.real), hl.mul(this.imag, this.imag));
      }
      tuple(): hl.ExprLike[] {
        return [this.real, this.imag];
      }
    }
    const t = new hl.Var("t");
    const mandelbrot = new hl.Func("l13_mandelbrot");
    const initial = new Complex(hl.f32(x).div(hl.f32(15)).sub(hl.f32(2.5)), hl.f32(y).div(hl.f32(6)).sub(hl.f32(2)));
    mandelbrot.at(x, y, t).set([hl.f32(0), hl.f32(0)]);
    const r = new hl.RDom([[1, 12]]);
    const current = Complex.of(mandelbrot.at(x, y, r.sub(1)));
    mandelbrot.at(x, y, r).set(current.mul(current).add(initial).tuple());
    const escapeCondition = Complex.of(mandelbrot.at(x, y, r)).magnitude().lt(hl.f32(16));
    const firstEscape = hl.argmin(escapeCondition);
    const escape = new hl.Func("l13_escape");
    escape.at(x, y).set(firstEscape[0]);
    const result = escape.realize([61, 25]);
    expect(result.type.toString()).toBe("int32");
    // The same iteration in float32: the first step (of 1…12) whose magnitude is not below 16 (argmin of a Bool:
    // the first false), else 0 (argmin's initial index, when nothing beats the initial value true).
    const want = (i: number, j: number) => {
      const [cr, ci] = [f32(f32(i / 15) - 2.5), f32(f32(j / 6) - 2)];
      let [zr, zi] = [0, 0];
      for (let k = 1; k <= 12; k++) {
        [zr, zi] = [f32(f32(f32(zr * zr) - f32(zi * zi)) + cr), f32(f32(f32(zr * zi) + f32(zi * zr)) + ci)];
        if (!(f32(f32(zr * zr) + f32(zi * zi)) < 16)) return k;
      }
      return 0;
    };
    let picture = "";
    const code = " .:-~*={&%#@";
    for (let j = 0; j < 25; j++) {
      for (let i = 0; i < 61; i++) {
        expect(result.get([i, j])).toBe(want(i, j));
        picture += code[Number(result.get([i, j]))] ?? " ";
      }
      picture += "\n";
    }
    expect(new Set(picture).size).toBeGreaterThan(5); // a picture, not a blank
  });
});
