// Shared helpers of the schedule and realization tests: the interpreter as oracle, realization into a crop of a
// larger buffer whose guard band must stay untouched, HalideError matchers, and child processes of the same
// runtime (for HL_NUM_THREADS and for reading what pipelines print).
import { expect } from "bun:test";
import { spawnSync } from "node:child_process";
import process from "node:process";
import type { For, Stmt } from "../../src/ir/stmt.ts";
import { mapStmtChildren } from "../../src/ir/mutate.ts";
import * as hl from "../../mod.ts";
import { Interpreter } from "../../src/interp/eval.ts";

export const T = hl.TailStrategy;
/** Every tail strategy of the API. */
export const ALL_TAILS: hl.TailStrategy[] = Object.values(hl.TailStrategy);
/** The tail strategies that never compute outside the split loop's range (always legal on an output). */
export const GUARDING_TAILS: hl.TailStrategy[] = [T.GuardWithIf, T.Predicate, T.PredicateLoads, T.PredicateStores];

/** The HalideError thrown by `f` (fails the test if none, or another kind of error). */
export function errorOf(f: () => unknown): hl.HalideError {
  try {
    f();
  } catch (e) {
    if (e instanceof hl.HalideError) return e;
    throw new Error(`expected a HalideError, got ${e instanceof Error ? `${e.name}: ${e.message}` : String(e)}`);
  }
  throw new Error("expected a HalideError, nothing was thrown");
}

/** Runs `fn` with environment variable `name` set to `value` (or unset), restoring it afterwards. */
export function withEnv<T>(name: string, value: string | undefined, fn: () => T): T {
  const old = process.env[name];
  if (value === undefined) delete process.env[name];
  else process.env[name] = value;
  try {
    return fn();
  } finally {
    if (old === undefined) delete process.env[name];
    else process.env[name] = old;
  }
}

/** Asserts that `f` throws a HalideError whose message contains every fragment (strings) / matches (RegExps). */
export function throwsHalide(f: () => unknown, ...fragments: (string | RegExp)[]): hl.HalideError {
  const e = errorOf(f);
  for (const frag of fragments) {
    if (typeof frag === "string") expect(e.message).toContain(frag);
    else expect(e.message).toMatch(frag);
  }
  return e;
}

/** Halide's output bounds assertion, for any Func name, coordinate and dimension. */
export const OUTPUT_BOUNDS_MESSAGE =
  /^Output buffer \S+ is accessed at -?\d+, which is (beyond the max|before the min) \(-?\d+\) in dimension \d+/;

/** A fresh set of Vars (unique names only within one Func are needed). */
export function vars(...names: string[]): hl.Var[] {
  return names.map((n) => new hl.Var(n));
}

type Value = number | bigint | boolean;

/** A value of the same type as `v` that differs from it (fill for guard bands: any write shows). */
function perturb(t: hl.Type, v: Value): Value {
  if (typeof v === "boolean") return !v;
  if (typeof v === "bigint") return v ^ 1n;
  if (t.isFloat()) return Number.isFinite(v) ? (v === 0 ? 1 : -v) : 0;
  return t.isUInt() && t.bits === 32 ? (v ^ 1) >>> 0 : v ^ 1; // flips the low bit, staying in the type's range
}

/** The values of `f` (value index `k`) at `coords`, per the reference interpreter. */
export class Oracle {
  readonly #interp = new Interpreter();
  constructor(readonly f: hl.Func, readonly k = 0) {}
  at(coords: number[]): Value {
    return this.#interp.evalFunc(this.f.fn, coords)[this.k] as Value;
  }
}

/** A region: per dimension [min, extent]. */
export type Region = [number, number][];

/** What happened when realizing into a crop of a guarded buffer. */
export interface GuardedResult {
  /** The whole buffer (crop plus a band of `band` elements on every side). */
  readonly big: hl.Buffer;
  /** The crop that was passed to realize. */
  readonly crop: hl.Buffer;
  /** The error realize threw, if any (any non-HalideError is rethrown). */
  readonly error?: hl.HalideError;
}

/**
 * Realizes `f` (value `k` of a Tuple Func if `tupleIndex` is given) into the crop `region` of a larger buffer
 * with a guard band of `band` elements on every side. Every element is first filled with a value different from
 * what `f` computes there, so that any write — inside or outside the crop — is visible.
 */
export function realizeGuarded(f: hl.Func, region: Region, band = 2): GuardedResult {
  const oracle = new Oracle(f);
  const t = f.type;
  const big = new hl.Buffer(t, region.map(([, e]) => e + 2 * band), `${f.name}_big`);
  big.setMin(region.map(([m]) => m - band));
  big.forEachElement((c) => big.set(c, perturb(t, oracle.at(c))));
  const crop = big.cropped(region.map(([m, e]) => [m, e] as [number, number]));
  try {
    f.realize(crop);
    return { big, crop };
  } catch (e) {
    if (e instanceof hl.HalideError) return { big, crop, error: e };
    throw e;
  }
}

/**
 * Checks a guarded realization: with `written`, every element of the crop holds `f`'s value and the band is
 * untouched; without, nothing at all was written. Returns "" or a description of the first problem.
 */
export function guardedMismatch(f: hl.Func, r: GuardedResult, region: Region, written: boolean): string {
  const oracle = new Oracle(f);
  const t = f.type;
  let problem = "";
  let count = 0;
  r.big.forEachElement((c) => {
    const inside = c.every((v, d) => v >= region[d][0] && v < region[d][0] + region[d][1]);
    const want = oracle.at(c);
    const expected = written && inside ? want : perturb(t, want);
    const got = r.big.get(c) as Value;
    if (!Object.is(got, expected)) {
      count++;
      if (!problem) {
        const what = inside && written
          ? (Object.is(got, perturb(t, want)) ? " (never written)" : "")
          : ` (the pipeline wrote ${want} there)`;
        problem = `at [${c}] (${inside ? "inside" : "outside"} the crop) expected ${expected} but found ${got}${what}`;
      }
    }
  });
  return count ? `${count} wrong element(s); first ${problem}` : "";
}

/** Realizes into a guarded crop and asserts success with every value right and the band untouched. */
export function expectCorrectGuarded(f: hl.Func, region: Region, band = 2): void {
  const r = realizeGuarded(f, region, band);
  if (r.error) throw new Error(`realize of ${f.name} over ${JSON.stringify(region)} failed: ${r.error.message}`);
  expect(guardedMismatch(f, r, region, true)).toBe("");
}

/** Realizes into a guarded crop and asserts a clean output-bounds HalideError with nothing written. */
export function expectOutputBoundsError(f: hl.Func, region: Region, band = 2): hl.HalideError {
  const r = realizeGuarded(f, region, band);
  if (!r.error) throw new Error(`realize of ${f.name} over ${JSON.stringify(region)} succeeded; expected an error`);
  expect(r.error.message).toMatch(OUTPUT_BOUNDS_MESSAGE);
  expect(r.error.message).toContain(`Output buffer ${f.name} is accessed at`);
  expect(guardedMismatch(f, r, region, false)).toBe("");
  return r.error;
}

/** Realizes `f` over `sizes` and compares every element with the interpreter; returns "" or the first mismatch. */
export function mismatchVsInterpreter(f: hl.Func, sizes: number[]): string {
  const out = f.realize(sizes);
  const oracle = new Oracle(f);
  let first = "";
  let count = 0;
  out.forEachElement((c) => {
    const want = oracle.at(c), got = out.get(c) as Value;
    if (!Object.is(want, got)) {
      count++;
      if (!first) first = `at [${c}] expected ${want} but got ${got}`;
    }
  });
  return count ? `${count} wrong element(s); first ${first}` : "";
}

/** Whether the tests run under Deno. */
export const isDeno = "Deno" in globalThis;

/**
 * Output of a child process of the same runtime running `script` (a path) with extra environment variables.
 * `exposeGc` makes `globalThis.gc` available under Deno (Bun always has `Bun.gc`).
 */
export function runScript(
  script: string,
  env: Record<string, string | undefined> = {},
  args: string[] = [],
  exposeGc = false,
): string {
  const denoFlags = exposeGc ? ["--v8-flags=--expose-gc"] : [];
  const runtimeArgs = isDeno ? ["run", "-A", "--no-check", ...denoFlags, script, ...args] : [script, ...args];
  const childEnv: Record<string, string> = {};
  for (const [k, v] of Object.entries({ ...process.env, ...env })) if (v !== undefined) childEnv[k] = v;
  const r = spawnSync(process.execPath, runtimeArgs, { env: childEnv, encoding: "utf8", timeout: 60000 });
  if (r.status !== 0) {
    throw new Error(`child process ${script} failed (status ${r.status}, signal ${r.signal}): ${r.stderr}`);
  }
  return r.stdout;
}

/**
 * Runs each check and collects failures as `label: message` (so one test reports every failing case of a
 * matrix instead of stopping at the first). Use with `expect(problems).toEqual([])`.
 */
export class Problems {
  readonly list: string[] = [];
  check(label: string, fn: () => void): void {
    try {
      fn();
    } catch (e) {
      this.list.push(`${label}: ${e instanceof Error ? e.message : String(e)}`);
    }
  }
}

/**
 * `f.tile` with every overload API.md §3 documents (9- and 7-argument forms, list forms with and without outer
 * loops), returning `f`. Func.tile is declared `tile(...args: Parameters<Stage["tile"]>)`, and `Parameters` of
 * an overloaded method keeps only its last overload, so `f.tile(x, y, xo, yo, xi, yi, 8, 8)` does not type-check
 * (a reported bug; tile_overloads.test.ts calls Func.tile directly to show it). The tests go through this helper
 * so that the rest of them type-check.
 */
export function tile(f: hl.Func): FuncTile {
  return (...args: unknown[]) => (f.tile as (...a: unknown[]) => hl.Func)(...args);
}

/** The overloads of Func.tile in API.md §3, each returning the Func. */
export interface FuncTile {
  (x: hl.Var, y: hl.Var, xo: hl.Var, yo: hl.Var, xi: hl.Var, yi: hl.Var, xf: hl.ExprLike, yf: hl.ExprLike, tail?: hl.TailStrategy): hl.Func;
  (x: hl.Var, y: hl.Var, xi: hl.Var, yi: hl.Var, xf: hl.ExprLike, yf: hl.ExprLike, tail?: hl.TailStrategy): hl.Func;
  (vars: hl.Var[], outers: hl.Var[], inners: hl.Var[], factors: hl.ExprLike[], tail?: hl.TailStrategy): hl.Func;
  (vars: hl.Var[], inners: hl.Var[], factors: hl.ExprLike[], tail?: hl.TailStrategy): hl.Func;
}

/** The loops named `name` in a lowered statement, in order (loop partitioning makes several). */
export function loopsNamed(s: Stmt, name: string): For[] {
  const out: For[] = [];
  const go = (n: Stmt): Stmt => {
    if (n.kind === "For" && n.name === name) out.push(n);
    return mapStmtChildren(n, (e) => e, go);
  };
  go(s);
  return out;
}
