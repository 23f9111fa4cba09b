// Parallel loops on the native thread pool: the same results with HL_NUM_THREADS=1 and with the default pool
// (child processes of the same runtime), nested parallel loops that do not deadlock, and an assertion that fails
// inside a parallel loop reported once, as a HalideError, with the next realize working.
import { beforeAll, describe, expect, it } from "bun:test";
import * as hl from "../../mod.ts";
import { cases, checksum, expectedChecksum } from "./parallel_fixture.ts";
import { errorOf, expectCorrectGuarded, runScript, tile, vars } from "./helpers.ts";

const [x, y, z] = vars("x", "y", "z");
const [xo, xi, yo, yi] = vars("xo", "xi", "yo", "yi");

function occurrences(s: string, sub: string): number {
  return s.split(sub).length - 1;
}

describe("parallel pipelines in this process", () => {
  for (const c of cases) {
    it(`${c.name}: every element as the plain-TypeScript computation`, () => {
      const out = c.build().realize(c.sizes);
      let wrong = "";
      out.forEachElement((coords) => {
        if (!wrong && Number(out.get(coords)) !== c.expected(coords)) {
          wrong = `at [${coords}] expected ${c.expected(coords)} got ${out.get(coords)}`;
        }
      });
      expect(wrong).toBe("");
      expect(checksum(out)).toBe(expectedChecksum(c));
    });
  }

  it("realizing a parallel pipeline many times in a row gives the same result every time", () => {
    const c = cases[1];
    const f = c.build();
    const want = expectedChecksum(c);
    for (let i = 0; i < 25; i++) expect(checksum(f.realize(c.sizes))).toBe(want);
  });
});

describe("HL_NUM_THREADS (child processes)", () => {
  let single: Record<string, number | string> = {};
  let pooled: Record<string, number | string> = {};
  const script = new URL("./parallel_fixture.ts", import.meta.url).pathname;
  const parse = (out: string) => JSON.parse(out.trim().split("\n").pop()!) as Record<string, number | string>;
  beforeAll(() => {
    single = parse(runScript(script, { HL_NUM_THREADS: "1" }));
    pooled = parse(runScript(script, { HL_NUM_THREADS: undefined }));
  });

  it("one thread and the default pool give identical results, both right", () => {
    const want = Object.fromEntries(cases.map((c) => [c.name, expectedChecksum(c)]));
    const { require: _a, ...s } = single;
    const { require: _b, ...p } = pooled;
    expect(s).toEqual(want);
    expect(p).toEqual(want);
  });

  it("a requirement failing in a parallel loop is one HalideError under both", () => {
    for (const r of [single.require, pooled.require]) {
      expect(String(r)).toMatch(/^HalideError: /);
      expect(occurrences(String(r), "row too large")).toBe(1);
    }
  });

  it("more threads than cores work too", () => {
    const many = parse(runScript(script, { HL_NUM_THREADS: "13" }));
    const want = Object.fromEntries(cases.map((c) => [c.name, expectedChecksum(c)]));
    const { require: _r, ...m } = many;
    expect(m).toEqual(want);
  });
});

describe("assertion failures inside parallel loops", () => {
  it("are reported once as a HalideError, and the next realize works", () => {
    const f = new hl.Func("checked_rows");
    f.at(x, y).set(hl.require(y.lt(50), x.mul(y), "row overflow"));
    f.parallel(y);
    for (let attempt = 0; attempt < 3; attempt++) {
      const e = errorOf(() => f.realize([16, 200]));
      expect(occurrences(e.message, "row overflow")).toBe(1);
    }
    const ok = f.realize([16, 50]);
    expect(ok.get([15, 49])).toBe(15 * 49);
  });

  it("from nested parallel loops (parallel y, parallel xo, vectorized xi)", () => {
    const f = new hl.Func("checked_nested");
    f.at(x, y).set(hl.require(x.add(y).lt(100), x.add(y), "sum overflow"));
    f.split(x, xo, xi, 8).vectorize(xi).parallel(y).parallel(xo);
    const e = errorOf(() => f.realize([128, 64]));
    expect(occurrences(e.message, "sum overflow")).toBe(1);
    const ok = f.realize([64, 32]);
    let wrong = 0;
    ok.forEachElement(([i, j]) => void (ok.get([i, j]) !== i + j && wrong++));
    expect(wrong).toBe(0);
  });

  it("do not break the thread pool for other pipelines", () => {
    const bad = new hl.Func("always_fails");
    bad.at(x, y).set(hl.require(x.lt(0), x, "never true"));
    bad.parallel(y);
    errorOf(() => bad.realize([4, 64]));
    const good = new hl.Func("after_failure");
    good.at(x, y).set(x.sub(y));
    tile(good)(x, y, xo, yo, xi, yi, 8, 8).parallel(yo).parallel(xo);
    expectCorrectGuarded(good, [[0, 64], [0, 64]], 1);
  });

  it("the message has Halide's form: 'Requirement Failed: (condition) message' with the values separated by spaces", () => {
    const f = new hl.Func("require_message");
    f.at(x, y).set(hl.require(x.lt(3), x, "x too large:", x, y));
    f.parallel(y);
    const e = errorOf(() => f.realize([4, 1]));
    // Halide: halide_error_requirement_failed → "Requirement Failed: (<condition>) <message>", the message being
    // the arguments joined by spaces (combine_strings).
    expect(e.message).toMatch(/Requirement Failed: \(.*\) x too large: 3 0\s*$/);
  });
});

describe("nested parallel loops do not deadlock", () => {
  it("parallel y with parallel over the split outer x, many times", () => {
    const f = new hl.Func("nest_many");
    f.at(x, y).set(x.bitXor(y));
    f.split(x, xo, xi, 4).parallel(y).parallel(xo);
    for (let i = 0; i < 20; i++) expectCorrectGuarded(f, [[0, 64], [0, 16]], 1);
  });

  it("three nested parallel levels with tiny task counts and extents of 1", () => {
    const f = new hl.Func("nest_three");
    f.at(x, y, z).set(x.add(y).add(z));
    f.parallel(z).parallel(y).parallel(x);
    expectCorrectGuarded(f, [[0, 3], [0, 2], [0, 5]], 1);
    expectCorrectGuarded(f, [[7, 1], [-2, 1], [4, 1]], 1);
  });

  it("a parallel loop inside an unrolled one and inside a serial loop", () => {
    const f = new hl.Func("nest_unrolled");
    f.at(x, y).set(x.mul(y));
    f.split(y, yo, yi, 4).reorder(x, yo, yi).unroll(yi).parallel(yo);
    expectCorrectGuarded(f, [[0, 10], [0, 16]], 1);
  });
});
