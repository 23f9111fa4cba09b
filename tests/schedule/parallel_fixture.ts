/**
 * Parallel pipelines shared by parallel.test.ts and its child processes. Each case is a Func with a parallel
 * schedule and the plain-TypeScript value it must compute. Run as a script (the child of the HL_NUM_THREADS
 * tests), it realizes every case and prints one JSON line: per case a checksum of the result (or the error).
 *
 * @module
 */
import * as hl from "../../mod.ts";

/** A parallel pipeline and its expected values. */
export interface ParallelCase {
  readonly name: string;
  readonly sizes: number[];
  build(): hl.Func;
  expected(c: number[]): number;
}

const v = (n: string) => new hl.Var(n);

export const cases: ParallelCase[] = [
  {
    name: "rows",
    sizes: [97, 61],
    build() {
      const [x, y] = [v("x"), v("y")];
      const f = new hl.Func("par_rows");
      f.at(x, y).set(x.mul(y).bitXor(x.add(y.mul(7))));
      return f.parallel(y);
    },
    expected: ([x, y]) => (x * y) ^ (x + y * 7),
  },
  {
    name: "nested",
    sizes: [200, 33],
    build() {
      const [x, y, xo, xi] = [v("x"), v("y"), v("xo"), v("xi")];
      const f = new hl.Func("par_nested");
      f.at(x, y).set(x.mul(3).sub(y.mul(5)));
      return f.split(x, xo, xi, 16).vectorize(xi, 8).parallel(y).parallel(xo);
    },
    expected: ([x, y]) => x * 3 - y * 5,
  },
  {
    name: "task_size",
    sizes: [40, 103],
    build() {
      const [x, y] = [v("x"), v("y")];
      const f = new hl.Func("par_tasks");
      f.at(x, y).set(x.add(y.mul(1000)));
      return f.parallel(y, 7).vectorize(x, 4);
    },
    expected: ([x, y]) => x + y * 1000,
  },
  {
    name: "fused",
    sizes: [23, 29],
    build() {
      const [x, y, t] = [v("x"), v("y"), v("t")];
      const f = new hl.Func("par_fused");
      f.at(x, y).set(x.sub(y).mul(x.add(2)));
      return f.fuse(x, y, t).parallel(t);
    },
    expected: ([x, y]) => (x - y) * (x + 2),
  },
  {
    name: "three_levels",
    sizes: [16, 12, 9],
    build() {
      const [x, y, z, xo, xi] = [v("x"), v("y"), v("z"), v("xo"), v("xi")];
      const f = new hl.Func("par_3d");
      f.at(x, y, z).set(x.add(y.mul(100)).add(z.mul(10000)));
      return f.split(x, xo, xi, 4).parallel(z).parallel(y).parallel(xo).unroll(xi);
    },
    expected: ([x, y, z]) => x + y * 100 + z * 10000,
  },
  {
    name: "bytes",
    sizes: [300, 20],
    build() {
      const [x, y] = [v("x"), v("y")];
      const f = new hl.Func("par_bytes");
      f.at(x, y).set(hl.u8(x.mul(7).add(y.mul(13))));
      return f.vectorize(x, 32).parallel(y, 3);
    },
    expected: ([x, y]) => (x * 7 + y * 13) & 255,
  },
];

/** An order-sensitive checksum of every element (in Halide order, dim 0 fastest). */
export function checksum(b: hl.Buffer): number {
  let h = 2166136261;
  b.forEachElement((c) => {
    h = Math.imul(h ^ Number(b.get(c)), 16777619) >>> 0;
  });
  return h;
}

/** The checksum the case must produce, from its plain-TypeScript values. */
export function expectedChecksum(c: ParallelCase): number {
  const b = new hl.Buffer(hl.Int(32), c.sizes);
  b.forEachElement((coords) => b.set(coords, c.expected(coords)));
  return checksum(b);
}

/** Realizes every case: name → checksum, or "error: message". */
export function runAll(): Record<string, number | string> {
  const out: Record<string, number | string> = {};
  for (const c of cases) {
    try {
      out[c.name] = checksum(c.build().realize(c.sizes));
    } catch (e) {
      out[c.name] = `error: ${e instanceof Error ? e.message : String(e)}`;
    }
  }
  // A requirement that fails on many rows of a parallel loop.
  const [x, y] = [v("x"), v("y")];
  const f = new hl.Func("par_require");
  f.at(x, y).set(hl.require(y.lt(10), x.add(y), "row too large"));
  f.parallel(y);
  try {
    f.realize([8, 64]);
    out.require = "no error";
  } catch (e) {
    out.require = e instanceof hl.HalideError ? `HalideError: ${e.message}` : `other: ${String(e)}`;
  }
  return out;
}

if (import.meta.main) console.log(JSON.stringify(runAll()));
