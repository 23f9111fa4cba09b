import { describe, expect, it } from "bun:test";
import { spawnSync } from "node:child_process";
import process from "node:process";
import { native } from "../../ffi/native.ts";
import { ensureJitRuntime } from "../../src/codegen/llvm_target.ts";
import { maxThreads, runtimeSymbols } from "../../src/codegen/runtime.ts";
import { distinct, parForTester, threadCount } from "./runtime_fixture.ts";

/** Runs `fn` with a fresh pool of `threads` threads, then restores the previous setting (and a fresh pool). */
function withPool<T>(threads: number, fn: () => T): T {
  const t = parForTester();
  t.shutdown();
  const old = t.setNumThreads(threads);
  try {
    return fn();
  } finally {
    t.shutdown();
    t.setNumThreads(old);
  }
}

function expectAllOnce(counts: Int32Array): void {
  expect(counts.filter((c) => c !== 1).length).toBe(0);
}

interface ChildReport {
  numThreads: number;
  status: number;
  allOnce: boolean;
  ranOn: number;
  created: number;
  nestedStatus: number;
  nestedAllOnce: boolean;
}

/** Runs runtime_fixture.ts in a new process of the same runtime, with extra environment variables. */
function runChild(env: Record<string, string>): ChildReport {
  const script = new URL("./runtime_fixture.ts", import.meta.url).pathname;
  const args = native.runtime === "deno" ? ["run", "-A", "--no-check", script] : [script];
  const r = spawnSync(process.execPath, args, { env: { ...process.env, ...env }, encoding: "utf8", timeout: 60000 });
  if (r.status !== 0) throw new Error(`child process failed (status ${r.status}): ${r.stderr}`);
  const lines = r.stdout.trim().split("\n");
  return JSON.parse(lines[lines.length - 1]) as ChildReport;
}

describe("native runtime: loading", () => {
  it("is added to the JIT once and exports the thread-pool ABI", () => {
    const a = ensureJitRuntime();
    const b = ensureJitRuntime();
    expect(b).toBe(a);
    for (const name of runtimeSymbols) expect(a[name]).toBeGreaterThan(0n);
  });
});

describe("native runtime: halide_do_par_for", () => {
  it("runs every index exactly once", () => {
    const r = parForTester().run({ min: 0, extent: 1000 });
    expect(r.status).toBe(0);
    expectAllOnce(r.counts);
    expect(Array.from(r.out)).toEqual(Array.from({ length: 1000 }, (_, i) => i * 2));
  });

  it("handles a negative min", () => {
    const r = parForTester().run({ min: -500, extent: 1000 });
    expect(r.status).toBe(0);
    expectAllOnce(r.counts);
    expect(Array.from(r.out)).toEqual(Array.from({ length: 1000 }, (_, k) => (k - 500) * 2));
  });

  it("runs nothing for zero and negative extents", () => {
    for (const extent of [0, -1, -1000]) {
      const r = parForTester().run({ min: 3, extent });
      expect(r.status).toBe(0);
      expect(r.counts[0]).toBe(0);
    }
  });

  it("runs a loop of one index", () => {
    const r = parForTester().run({ min: 41, extent: 1 });
    expect(r.status).toBe(0);
    expect(Array.from(r.counts)).toEqual([1]);
    expect(Array.from(r.out)).toEqual([82]);
  });

  it("runs large extents", () => {
    const r = parForTester().run({ min: -7, extent: 1_000_000 });
    expect(r.status).toBe(0);
    expectAllOnce(r.counts);
    expect(r.out[999_999]).toBe((1_000_000 - 8) * 2);
  });

  it("runs loops that end at the top of the int32 range", () => {
    const min = 2 ** 31 - 1000;
    const r = parForTester().run({ min, extent: 1000 });
    expect(r.status).toBe(0);
    expectAllOnce(r.counts);
    expect(r.out[999]).toBe(((2 ** 31 - 1) * 2) | 0);
  });

  it("runs on several threads when the pool has several", () => {
    const { tids, counts } = withPool(
      4,
      () => parForTester().run({ min: 0, extent: 32, sleepMicros: 3000, threadIds: true }),
    );
    expectAllOnce(counts);
    const threads = distinct(tids!);
    expect(threads).toBeGreaterThanOrEqual(2);
    expect(threads).toBeLessThanOrEqual(4);
  });

  it("runs every loop on the calling thread with a one-thread pool", () => {
    const { tids, counts } = withPool(1, () => parForTester().run({ min: 0, extent: 64, threadIds: true }));
    expectAllOnce(counts);
    expect(distinct(tids!)).toBe(1);
  });
});

describe("native runtime: nested parallel loops", () => {
  const shapes: number[][] = [[8, 8], [3, 200], [200, 3], [2, 2, 2, 2, 2, 2, 2, 2], [5, 4, 3, 2]];

  for (const threads of [1, 2, 3, 8]) {
    it(`run every inner index once (outer × inner) with ${threads} thread(s)`, () => {
      withPool(threads, () => {
        for (const shape of shapes) {
          const r = parForTester().nested(shape);
          expect(r.status).toBe(0);
          expect(r.counts.length).toBe(shape.reduce((a, b) => a * b, 1));
          expectAllOnce(r.counts);
        }
        // Leaves that take a while, so that owners really wait for attached workers.
        const slow = parForTester().nested([4, 4, 4], { sleepMicros: 200 });
        expect(slow.status).toBe(0);
        expectAllOnce(slow.counts);
      });
    });
  }

  it("return an error from an inner loop through the outer one", () => {
    const t = parForTester();
    const r = t.nested([6, 6, 6], { failLeaf: 100 });
    expect(r.status).toBe(-7);
    expect(r.counts[100]).toBe(1);
    expect(r.counts.filter((c) => c > 1).length).toBe(0);
    const again = t.nested([6, 6, 6]);
    expect(again.status).toBe(0);
    expectAllOnce(again.counts);
  });
});

describe("native runtime: errors", () => {
  it("returns the failing task's result", () => {
    const r = parForTester().run({ min: 0, extent: 1000, failFrom: 500, failTo: 501 });
    expect(r.status).toBe(-501);
    expect(r.counts[500]).toBe(1);
    expect(r.counts.filter((c) => c > 1).length).toBe(0);
  });

  it("returns the first error when many tasks fail, and may skip the rest", () => {
    const r = parForTester().run({ min: 10, extent: 1000, failFrom: 110, failTo: 1010, sleepMicros: 20 });
    const failed = -r.status - 1; // The fixture's tasks return -1 - (index - min).
    expect(failed).toBeGreaterThanOrEqual(100);
    expect(failed).toBeLessThan(1000);
    expect(r.counts[failed]).toBe(1);
    expect(r.counts.filter((c) => c > 1).length).toBe(0);
    expect(r.counts.slice(0, 100).every((c) => c <= 1)).toBe(true);
  });

  it("stays healthy: the next loop succeeds", () => {
    const t = parForTester();
    for (let i = 0; i < 20; i++) {
      expect(t.run({ min: 0, extent: 100, failFrom: 0, failTo: 100 }).status).toBeLessThan(0);
    }
    const r = t.run({ min: 0, extent: 1000 });
    expect(r.status).toBe(0);
    expectAllOnce(r.counts);
  });
});

describe("native runtime: thread count and lifetime", () => {
  it("halide_set_num_threads returns the previous value, clamps, and resets with 0", () => {
    const t = parForTester();
    const initial = t.numThreads();
    expect(initial).toBeGreaterThanOrEqual(1);
    try {
      expect(t.setNumThreads(5)).toBe(initial);
      expect(t.setNumThreads(100000)).toBe(5);
      expect(t.numThreads()).toBe(maxThreads);
      t.setNumThreads(0);
      const reset = t.numThreads();
      expect(reset).toBeGreaterThanOrEqual(1);
      expect(reset).toBeLessThanOrEqual(maxThreads);
    } finally {
      t.setNumThreads(initial);
    }
  });

  it("does not leak threads over many loops", () => {
    const t = parForTester();
    const threads = t.numThreads();
    t.shutdown();
    const before = threadCount();
    for (let i = 0; i < 2000; i++) {
      const r = t.run({ min: i, extent: 1 + (i % 17) });
      if (r.status !== 0) throw new Error(`loop ${i} failed`);
    }
    for (let i = 0; i < 200; i++) t.nested([3, 3]);
    expect(threadCount() - before).toBeLessThanOrEqual(threads);
  });

  it("shutdown joins the workers and the next loop starts a new pool", () => {
    withPool(3, () => {
      const t = parForTester();
      const before = threadCount();
      for (let cycle = 0; cycle < 20; cycle++) {
        const r = t.run({ min: 0, extent: 64 });
        expect(r.status).toBe(0);
        expectAllOnce(r.counts);
        expect(threadCount() - before).toBeLessThanOrEqual(3);
        t.shutdown();
        t.shutdown(); // A second shutdown (no pool) does nothing.
      }
      expect(threadCount() - before).toBeLessThanOrEqual(1);
    });
  });
});

describe("native runtime: HL_NUM_THREADS", () => {
  it("HL_NUM_THREADS=1 runs every loop on the calling thread", () => {
    const r = runChild({ HL_NUM_THREADS: "1" });
    expect(r.numThreads).toBe(1);
    expect(r.status).toBe(0);
    expect(r.allOnce).toBe(true);
    expect(r.ranOn).toBe(1);
    expect(r.created).toBeLessThanOrEqual(0);
    expect(r.nestedStatus).toBe(0);
    expect(r.nestedAllOnce).toBe(true);
  }, 60000);

  it("HL_NUM_THREADS=3 makes pools of three threads", () => {
    const r = runChild({ HL_NUM_THREADS: "3" });
    expect(r.numThreads).toBe(3);
    expect(r.status).toBe(0);
    expect(r.allOnce).toBe(true);
    expect(r.ranOn).toBeGreaterThanOrEqual(2);
    expect(r.ranOn).toBeLessThanOrEqual(3);
    expect(r.created).toBeGreaterThanOrEqual(1);
    expect(r.created).toBeLessThanOrEqual(3);
    expect(r.nestedStatus).toBe(0);
    expect(r.nestedAllOnce).toBe(true);
  }, 60000);

  it("ignores an HL_NUM_THREADS that is not a positive integer", () => {
    const r = runChild({ HL_NUM_THREADS: "zero" });
    expect(r.numThreads).toBeGreaterThanOrEqual(1);
    expect(r.status).toBe(0);
    expect(r.allOnce).toBe(true);
  }, 60000);
});
