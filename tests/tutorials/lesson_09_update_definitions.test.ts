// Port of Halide's lesson 9 (update definitions): each pipeline of the lesson, with its schedules, checked
// against the lesson's plain loops written in TypeScript. The lesson's gray.png is replaced by a seeded
// synthetic 160×150 uint8 image.
import { describe, expect, it } from "bun:test";
import * as hl from "../../mod.ts";

const x = new hl.Var("x"), y = new hl.Var("y");
const W = 160, H = 150;
const input = new hl.Buffer(hl.UInt(8), [W, H], "lesson9_input");
input.forEachElement(([i, j]) => input.set([i, j], (i * 37 + j * 91 + ((i * j) % 13) * 11) & 255));

/** Compares a 2-D result with `want(x, y)` everywhere; returns the first difference, or "". */
function diff2(out: hl.Buffer, want: (x: number, y: number) => number): string {
  for (let j = 0; j < out.height; j++) {
    for (let i = 0; i < out.width; i++) {
      const got = Number(out.get([i, j])), w = want(i, j);
      if (got !== w) return `(${i}, ${j}) is ${got} instead of ${w}`;
    }
  }
  return "";
}

/** A 1-D result as an array. */
function values(out: hl.Buffer): number[] {
  return Array.from({ length: out.width }, (_, i) => Number(out.get([i])));
}

describe("lesson 9: update definitions", () => {
  it("redefines points, rows and columns of a Func, in order", () => {
    const f = new hl.Func("l9_f");
    f.at(x, y).set(x.add(y));
    f.at(3, 7).set(42);
    f.at(x, y).set(f.at(x, y).add(17));
    f.at(x, 3).set(f.at(x, 0).mul(f.at(x, 10)));
    f.at(0, y).set(f.at(0, y).div(f.at(3, y)));
    f.at(x, 17).set(x.add(8));
    f.at(0, y).set(y.mul(8));
    f.at(x, x.add(1)).set(x.add(8));
    f.at(y.div(2), y).set(f.at(0, y).mul(17));
    expect(f.numUpdateDefinitions()).toBe(8);
    const out = f.realize([100, 101]);
    // The same steps on a plain array (Halide's division rounds down).
    const ref = Array.from({ length: 101 }, (_, j) => Array.from({ length: 100 }, (_, i) => i + j));
    ref[7][3] = 42;
    for (const row of ref) row.forEach((v, i) => (row[i] = v + 17));
    for (let i = 0; i < 100; i++) ref[3][i] = ref[0][i] * ref[10][i];
    for (let j = 0; j < 101; j++) ref[j][0] = ref[3][j] === 0 ? 0 : Math.floor(ref[j][0] / ref[j][3]);
    for (let i = 0; i < 100; i++) ref[17][i] = i + 8;
    for (let j = 0; j < 101; j++) ref[j][0] = j * 8;
    for (let i = 0; i < 100; i++) if (i + 1 < 101) ref[i + 1][i] = i + 8;
    for (let j = 0; j < 101; j++) ref[j][Math.floor(j / 2)] = ref[j][0] * 17;
    expect(diff2(out, (i, j) => ref[j][i])).toBe("");
  });

  it("runs an update over a reduction domain in order", () => {
    const g = new hl.Func("l9_g");
    g.at(x, y).set(x.add(y));
    g.at(2, 1).set(42);
    g.at(x, 0).set(g.at(x, 1));
    const ref = [[1, 2, 42, 4], [1, 2, 42, 4], [2, 3, 4, 5], [3, 4, 5, 6]];
    expect(diff2(g.realize([4, 4]), (i, j) => ref[j][i])).toBe("");

    const f = new hl.Func("l9_square_rows");
    f.at(x, y).set(x.add(y));
    const r = new hl.RDom([[0, 50]]);
    f.at(x, r).set(f.at(x, r).mul(f.at(x, r)));
    expect(diff2(f.realize([100, 100]), (i, j) => (j < 50 ? (i + j) * (i + j) : i + j))).toBe("");
  });

  it("computes a histogram with a data-dependent left-hand side", () => {
    const histogram = new hl.Func("l9_histogram");
    histogram.at(x).set(0);
    const r = new hl.RDom([[0, input.width], [0, input.height]]);
    histogram.at(input.at(r.x, r.y)).addAssign(1);
    const want = new Array(256).fill(0);
    for (let j = 0; j < H; j++) for (let i = 0; i < W; i++) want[Number(input.get([i, j]))]++;
    expect(values(histogram.realize([256]))).toEqual(want);
  });

  it("schedules each update definition separately", () => {
    const f = new hl.Func("l9_sched");
    f.at(x, y).set(x.mul(y));
    f.at(x, 1).set(f.at(x, 0));
    f.at(1, y).set(f.at(0, y).add(2));
    f.vectorize(x, 4).parallel(y);
    f.update(0).vectorize(x, 4);
    const yo = new hl.Var("yo"), yi = new hl.Var("yi");
    f.update(1).split(y, yo, yi, 4).parallel(yo);
    const out = f.realize([16, 16]);
    expect(diff2(out, (i, j) => (i === 1 ? 2 : j === 1 ? 0 : i * j))).toBe("");
    // The loop nest shows each stage with its own loops.
    const nest = f.loopNest();
    expect(nest).toMatch(/parallel y:\n\s+for x\.x(\.\w+)?:\n\s+vectorized x\.v\d+ in \[0, 3\]/);
    expect(nest).toMatch(/parallel y\.yo:\n\s+for y\.yi in \[0, 3\]:/);
  });

  it("computes a producer with an update definition inline in its consumer, per point", () => {
    const producer = new hl.Func("l9_prod_a"), consumer = new hl.Func("l9_cons_a");
    producer.at(x).set(x.mul(17));
    producer.at(x).addAssign(1);
    consumer.at(x).set(producer.at(x).mul(2));
    expect(values(consumer.realize([10]))).toEqual(Array.from({ length: 10 }, (_, i) => 2 * (i * 17 + 1)));
  });

  it("computes a producer at the loops of a consumer's pure or update stage", () => {
    // Used only by the pure definition: computed in its loop.
    let producer = new hl.Func("l9_prod_b"), consumer = new hl.Func("l9_cons_b");
    producer.at(x).set(x.mul(17));
    consumer.at(x).set(producer.at(x).mul(2));
    consumer.at(x).addAssign(1);
    producer.computeAt(consumer, x);
    expect(values(consumer.realize([10]))).toEqual(Array.from({ length: 10 }, (_, i) => 2 * i * 17 + 1));
    expect(consumer.loopNest()).toMatch(/for x:\n\s+store l9_prod_b:\n\s+produce l9_prod_b/);

    // Used only by the update: computed in the update's loop.
    producer = new hl.Func("l9_prod_c"), consumer = new hl.Func("l9_cons_c");
    producer.at(x).set(x.mul(17));
    consumer.at(x).set(x);
    consumer.at(x).addAssign(producer.at(x));
    producer.computeAt(consumer, x);
    expect(values(consumer.realize([10]))).toEqual(Array.from({ length: 10 }, (_, i) => i + i * 17));

    // Used by both: computed in each stage's loop over x (computeAt(g, x) names the loop over x of every stage).
    producer = new hl.Func("l9_prod_d"), consumer = new hl.Func("l9_cons_d");
    producer.at(x).set(x.mul(17));
    consumer.at(x).set(producer.at(x).mul(x));
    consumer.at(x).addAssign(producer.at(x));
    producer.computeAt(consumer, x);
    expect(values(consumer.realize([10]))).toEqual(Array.from({ length: 10 }, (_, i) => i * 17 * i + i * 17));
    expect(consumer.loopNest().match(/produce l9_prod_d/g)).toHaveLength(2); // once in each stage's loop over x
  });

  it("computes wrappers of a producer at different update stages' loops", () => {
    const producer = new hl.Func("l9_prod_e");
    producer.at(x, y).set(x.mul(y));
    const wrapper1 = new hl.Func("l9_wrap1"), wrapper2 = new hl.Func("l9_wrap2"), consumer = new hl.Func("l9_cons_e");
    wrapper1.at(x, y).set(producer.at(x, y));
    wrapper2.at(x, y).set(producer.at(x, y));
    consumer.at(x, y).set(x.add(y));
    consumer.at(x, 0).addAssign(wrapper1.at(x, x.sub(1)));
    consumer.at(0, y).addAssign(wrapper2.at(y, y.sub(1)));
    wrapper1.computeAt(consumer, x);
    wrapper2.computeAt(consumer, y);
    const ref = Array.from({ length: 10 }, (_, j) => Array.from({ length: 10 }, (_, i) => i + j));
    for (let i = 0; i < 10; i++) ref[0][i] += i * (i - 1);
    for (let j = 0; j < 10; j++) ref[j][0] += j * (j - 1);
    expect(diff2(consumer.realize([10, 10]), (i, j) => ref[j][i])).toBe("");
  });

  it("computes a producer inside a consumer's reduction loop", () => {
    const producer = new hl.Func("l9_prod_f"), consumer = new hl.Func("l9_cons_f");
    const r = new hl.RDom([[0, 5]]);
    producer.at(x).set(x.mul(17));
    consumer.at(x).set(x.add(10));
    consumer.at(x).addAssign(r.add(producer.at(x.add(r))));
    producer.computeAt(consumer, r);
    const want = Array.from({ length: 10 }, (_, i) => {
      let v = i + 10;
      for (let k = 0; k < 5; k++) v += k + (i + k) * 17;
      return v;
    });
    expect(values(consumer.realize([10]))).toEqual(want);
    expect(consumer.loopNest()).toMatch(/for r\d+\$x in \[0, 4\]:\n\s+store l9_prod_f/);
  });

  it("blurs with a reduction over a clamped input, summed in 32 bits", () => {
    const clamped = hl.BoundaryConditions.repeatEdge(input);
    const r = new hl.RDom([[-2, 5], [-2, 5]]);
    const localSum = new hl.Func("l9_local_sum");
    localSum.at(x, y).set(0);
    localSum.at(x, y).addAssign(clamped.at(x.add(r.x), y.add(r.y)));
    const blurry = new hl.Func("l9_blurry");
    blurry.at(x, y).set(hl.u8(localSum.at(x, y).div(25)));
    const at = (i: number, j: number) => Number(input.get([Math.min(Math.max(i, 0), W - 1), Math.min(Math.max(j, 0), H - 1)]));
    expect(diff2(blurry.realize([W, H]), (i, j) => {
      let s = 0;
      for (let dy = -2; dy <= 2; dy++) for (let dx = -2; dx <= 2; dx++) s += at(i + dx, j + dy);
      return Math.floor(s / 25);
    })).toBe("");
  });

  it("writes the same reduction inline with hl.sum or as an explicit anonymous Func", () => {
    const r = new hl.RDom([[0, 100]]);
    const f1 = new hl.Func("l9_f1");
    f1.at(x).set(hl.sum(r.add(x)).mul(7));
    const f2 = new hl.Func("l9_f2"), anon = new hl.Func("l9_anon");
    anon.at(x).set(0);
    anon.at(x).addAssign(r.add(x));
    f2.at(x).set(anon.at(x).mul(7));
    const want = Array.from({ length: 10 }, (_, i) => (4950 + 100 * i) * 7);
    expect(values(f1.realize([10]))).toEqual(want);
    expect(values(f2.realize([10]))).toEqual(want);
  });
});
