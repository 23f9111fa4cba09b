// Port of Halide's python_bindings/tutorial/lesson_08_scheduling_2.py: a producer and a consumer, scheduled
// inline, at the root, inside the consumer's rows or points, stored at the root but computed per row or per point
// (sliding window, and storage folded to the two rows still live), in tiles, and in the lesson's final
// tiled/parallel/vectorized schedule. Each is checked against plain TypeScript: the values, the points the
// producer evaluates (the lesson's trace_stores, read through the Pipeline's custom print function: each line is
// `value p x y`), and the loop nest.
import { describe, expect, it } from "bun:test";
import * as hl from "../../mod.ts";
import { visitStmt } from "../../src/ir/mutate.ts";
import { lowerPipeline } from "../../src/lower/lower.ts";
import { expectCorrectGuarded, tile } from "../schedule/helpers.ts";

const x = new hl.Var("x"), y = new hl.Var("y");
const f32 = Math.fround;

/** producer(x, y) = sqrt(x·y) (as float32), printing `value p x y` when `traced`. */
function pipeline(name: string, traced = true): { producer: hl.Func; consumer: hl.Func } {
  const producer = new hl.Func(`producer_${name}`), consumer = new hl.Func(`consumer_${name}`);
  const value = hl.sqrt(x.mul(y));
  producer.at(x, y).set(traced ? hl.print(value, "p", x, y) : value);
  consumer.at(x, y).set(
    producer.at(x, y).add(producer.at(x, y.add(1))).add(producer.at(x.add(1), y)).add(producer.at(x.add(1), y.add(1))),
  );
  return { producer, consumer };
}

/** The lesson's reference: consumer(x, y) in float32, summed in the same order. */
function expected(xx: number, yy: number): number {
  const p = (i: number, j: number) => f32(Math.sqrt(i * j));
  return f32(f32(f32(p(xx, yy) + p(xx, yy + 1)) + p(xx + 1, yy)) + p(xx + 1, yy + 1));
}

/** Realizes `consumer` over `w`×`h`, checks every value, and returns the producer points it evaluated, in order. */
function run(consumer: hl.Func, w: number, h: number): [number, number][] {
  const lines: string[] = [];
  const [out] = new hl.Pipeline(consumer).setCustomPrint((line) => lines.push(line)).realize([w, h]);
  let wrong = "";
  out.forEachElement(([i, j]) => {
    if (!wrong && out.get([i, j]) !== expected(i, j)) {
      wrong = `(${i}, ${j}) is ${out.get([i, j])}, not ${expected(i, j)}`;
    }
  });
  expect(wrong).toBe("");
  return lines.map((l) => {
    const m = /^\S+ p (-?\d+) (-?\d+)$/.exec(l);
    expect(m).not.toBeNull();
    return [Number(m![1]), Number(m![2])];
  });
}

const key = ([i, j]: [number, number]) => `${i},${j}`;

/** Every point of [0, w) × [0, h), each once, row by row. */
function rows(w: number, h: number): [number, number][] {
  const pts: [number, number][] = [];
  for (let j = 0; j < h; j++) for (let i = 0; i < w; i++) pts.push([i, j]);
  return pts;
}

/** The sizes of the allocations of buffer `name` in the lowered pipeline of `f` (each size once: loop partitioning
 * may copy a loop body with its allocation). */
function allocationSizes(f: hl.Func, name: string): string[] {
  const sizes: string[] = [];
  visitStmt(lowerPipeline(f.fn).body, () => false, (n) => {
    if (n.kind === "Allocate" && n.name === name) {
      sizes.push(n.extents.map((e) => (e.kind === "IntImm" ? `${e.value}` : "?")).join("x"));
    }
  });
  return [...new Set(sizes)];
}

describe("tutorial lesson 8: multi-stage pipelines", () => {
  it("default: the producer is inlined, evaluated four times per consumer point", () => {
    const { consumer } = pipeline("default");
    const points = run(consumer, 4, 4);
    const want: [number, number][] = rows(4, 4).flatMap(([i, j]) => [[i, j], [i, j + 1], [i + 1, j], [i + 1, j + 1]]);
    expect(points.map(key).sort()).toEqual(want.map(key).sort());
    expect(consumer.loopNest()).toBe(
      ["produce consumer_default:", "  for y:", "    for x:", "      consumer_default(...) = ..."].join("\n"),
    );
  });

  it("producer.computeRoot(): all 5x5 producer points first, each once", () => {
    const { producer, consumer } = pipeline("root");
    producer.computeRoot();
    expect(run(consumer, 4, 4)).toEqual(rows(5, 5));
    expect(consumer.loopNest()).toContain("store producer_root:\n    produce producer_root:");
  });

  it("producer.computeAt(consumer, y): two rows per consumer row, rows computed twice", () => {
    const { producer, consumer } = pipeline("y");
    producer.computeAt(consumer, y);
    const want: [number, number][] = [];
    for (let j = 0; j < 4; j++) for (let py = j; py < j + 2; py++) for (let px = 0; px < 5; px++) want.push([px, py]);
    expect(run(consumer, 4, 4)).toEqual(want);
    expect(allocationSizes(consumer, producer.name)).toEqual(["?x2"]);
  });

  it("producer.storeRoot().computeAt(consumer, y): sliding window, each row once, in two rows of storage", () => {
    const { producer, consumer } = pipeline("root_y");
    producer.storeRoot().computeAt(consumer, y);
    // The lesson's C: rows y and y + 1, skipping row y after the first iteration.
    const want: [number, number][] = [];
    for (let j = 0; j < 4; j++) {
      for (let py = j; py < j + 2; py++) {
        if (j > 0 && py === j) continue;
        for (let px = 0; px < 5; px++) want.push([px, py]);
      }
    }
    expect(run(consumer, 4, 4)).toEqual(want);
    expect(want).toEqual(rows(5, 5));
    // Folded: producer_storage[py & 1][px].
    expect(allocationSizes(consumer, producer.name)).toEqual(["?x2"]);
    expect(consumer.loopNest()).toBe(
      [
        "produce consumer_root_y:",
        "  store producer_root_y:",
        "    for y:",
        "      produce producer_root_y:",
        "        for y:",
        "          for x:",
        "            producer_root_y(...) = ...",
        "      consume producer_root_y:",
        "        for x:",
        "          consumer_root_y(...) = ...",
      ].join("\n"),
    );
  });

  it("producer.storeRoot().computeAt(consumer, x): sliding in both dimensions, each point once", () => {
    const { producer, consumer } = pipeline("root_x");
    producer.storeRoot().computeAt(consumer, x);
    // The lesson's C, point by point.
    const want: [number, number][] = [];
    for (let j = 0; j < 4; j++) {
      for (let i = 0; i < 4; i++) {
        if (j === 0 && i === 0) want.push([i, j]);
        if (j === 0) want.push([i + 1, j]);
        if (i === 0) want.push([i, j + 1]);
        want.push([i + 1, j + 1]);
      }
    }
    expect(run(consumer, 4, 4).map(key).sort()).toEqual(want.map(key).sort());
    expect(want.map(key).sort()).toEqual(rows(5, 5).map(key).sort());
    // Two rows of storage, as in the lesson (x is not folded: the y window keeps every column).
    expect(allocationSizes(consumer, producer.name)).toEqual(["?x2"]);
  });

  it("tiles: computeAt(consumer, x_outer) recomputes the tile borders", () => {
    const { producer, consumer } = pipeline("tile");
    const [xo, yo, xi, yi] = [
      new hl.Var("x_outer"),
      new hl.Var("y_outer"),
      new hl.Var("x_inner"),
      new hl.Var("y_inner"),
    ];
    tile(consumer)(x, y, xo, yo, xi, yi, 4, 4);
    producer.computeAt(consumer, xo);
    const want: [number, number][] = [];
    for (let ty = 0; ty < 2; ty++) {
      for (let tx = 0; tx < 2; tx++) {
        for (let py = ty * 4; py < ty * 4 + 5; py++) for (let px = tx * 4; px < tx * 4 + 5; px++) want.push([px, py]);
      }
    }
    expect(run(consumer, 8, 8)).toEqual(want);
    expect(allocationSizes(consumer, producer.name)).toEqual(["5x5"]);
  });

  it("the final schedule: y split by 16 in parallel, x vectorized, the producer stored per strip, computed per row", () => {
    const schedule = (producer: hl.Func, consumer: hl.Func) => {
      const yo = new hl.Var("yo"), yi = new hl.Var("yi");
      consumer.split(y, yo, yi, 16).parallel(yo).vectorize(x, 4);
      producer.storeAt(consumer, yo).computeAt(consumer, yi).vectorize(x, 4);
    };
    const { producer, consumer } = pipeline("mixed", false);
    schedule(producer, consumer);
    // The lesson's size; then a crop with non-zero mins and sizes that are not multiples of 4 and 16.
    const out = consumer.realize([160, 160]);
    let wrong = "";
    out.forEachElement(([i, j]) => {
      if (!wrong && out.get([i, j]) !== expected(i, j)) wrong = `(${i}, ${j})`;
    });
    expect(wrong).toBe("");
    expectCorrectGuarded(consumer, [[3, 37], [5, 41]]);
    expect(allocationSizes(consumer, producer.name)).toEqual(["?x2"]);
    // Traced over 32x32 (two strips): each strip computes its 17 rows once (vectors of 4 over 33 columns, the
    // last one shifted inwards, so 36 evaluations per row).
    const traced = pipeline("mixed_traced");
    schedule(traced.producer, traced.consumer);
    const points = run(traced.consumer, 32, 32);
    expect(points).toHaveLength(2 * 17 * 36);
    expect(new Set(points.map(key)).size).toBe(33 * 33);
  });
});
