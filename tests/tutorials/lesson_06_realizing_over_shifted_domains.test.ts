// Port of Halide's python_bindings/tutorial/lesson_06_realizing_over_shifted_domains.py: a pipeline realized
// over a domain that does not start at the origin, by realizing into a Buffer whose mins are set. The lesson's
// trace_stores output (the points evaluated) is read through a custom print function of the Pipeline.
import { describe, expect, it } from "bun:test";
import * as hl from "../../mod.ts";
import { expectCorrectGuarded, tile } from "../schedule/helpers.ts";

const x = new hl.Var("x"), y = new hl.Var("y");

/** gradient(x, y) = x + y, printing `value x y` for every point it computes (the lesson's trace_stores). */
function tracedGradient(name: string): hl.Func {
  const g = new hl.Func(name);
  g.at(x, y).set(hl.print(x.add(y), x, y));
  return g;
}

/** Realizes `g` into `dst`, returning the points it evaluated (`value x y` lines). */
function realizeTraced(g: hl.Func, dst: hl.Buffer): string[] {
  const lines: string[] = [];
  new hl.Pipeline(g).setCustomPrint((line) => lines.push(line)).realize([dst]);
  return lines;
}

/** The trace lines of a row-major walk over [x0, x0 + w) × [y0, y0 + h). */
function rowMajor(x0: number, y0: number, w: number, h: number): string[] {
  const out: string[] = [];
  for (let j = y0; j < y0 + h; j++) for (let i = x0; i < x0 + w; i++) out.push(`${i + j} ${i} ${j}`);
  return out;
}

describe("tutorial lesson 6: realizing over shifted domains", () => {
  it("realize into an 8x8 Buffer: evaluates (0, 0) to (7, 7)", () => {
    const g = tracedGradient("gradient_8x8");
    const result = new hl.Buffer(hl.Int(32), [8, 8]);
    expect(realizeTraced(g, result)).toEqual(rowMajor(0, 0, 8, 8));
    for (let yy = 0; yy < 8; yy++) for (let xx = 0; xx < 8; xx++) expect(result.get([xx, yy])).toBe(xx + yy);
  });

  it("a 5x7 Buffer whose top-left corner is (100, 50): evaluates (100, 50) to (104, 56)", () => {
    const g = tracedGradient("gradient_shifted");
    const shifted = new hl.Buffer(hl.Int(32), [5, 7]);
    shifted.setMin([100, 50]);
    expect(realizeTraced(g, shifted)).toEqual(rowMajor(100, 50, 5, 7));
    expect([shifted.dim(0).min, shifted.dim(1).min, shifted.width, shifted.height]).toEqual([100, 50, 5, 7]);
    for (let yy = 50; yy < 57; yy++) for (let xx = 100; xx < 105; xx++) expect(shifted.get([xx, yy])).toBe(xx + yy);
    // Coordinates outside the shifted domain are not in the Buffer.
    expect(() => shifted.get([0, 0])).toThrow();
  });

  it("the same Func realized again over another domain computes only that domain", () => {
    const g = tracedGradient("gradient_twice");
    const a = new hl.Buffer(hl.Int(32), [3, 2]);
    a.setMin([-10, 4]);
    expect(realizeTraced(g, a)).toEqual(rowMajor(-10, 4, 3, 2));
    const b = new hl.Buffer(hl.Int(32), [2, 3]);
    b.setMin([7, -1]);
    expect(realizeTraced(g, b)).toEqual(rowMajor(7, -1, 2, 3));
  });

  it("shifted domains with schedules and producers: the producer's region shifts with the output", () => {
    const producer = new hl.Func("shifted_producer"), consumer = new hl.Func("shifted_consumer");
    producer.at(x, y).set(x.mul(3).sub(y));
    consumer.at(x, y).set(producer.at(x.sub(1), y).add(producer.at(x.add(1), y.add(2))));
    const [xo, yo, xi, yi] = ["xo", "yo", "xi", "yi"].map((n) => new hl.Var(n));
    tile(consumer)(x, y, xo, yo, xi, yi, 4, 4, hl.TailStrategy.GuardWithIf);
    producer.computeAt(consumer, xo);
    expectCorrectGuarded(consumer, [[100, 5], [50, 7]]);
    expectCorrectGuarded(consumer, [[-13, 9], [-6, 11]]);
  });
});
