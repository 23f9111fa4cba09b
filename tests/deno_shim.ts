/**
 * Maps the subset of `bun:test` that the suite uses onto `Deno.test`, so the same test files run under both
 * runtimes (deno.json's import map points `bun:test` here). Tests must use only the matchers defined below.
 *
 * @module
 */
// deno-lint-ignore-file no-explicit-any
const Deno = (globalThis as any).Deno;

const prefix: string[] = [];
const beforeAllHooks: (() => unknown)[][] = [[]];

/** Groups tests; names are joined with " > ". */
export function describe(name: string, body: () => void): void {
  prefix.push(name);
  beforeAllHooks.push([]);
  try {
    body();
  } finally {
    prefix.pop();
    beforeAllHooks.pop();
  }
}

/** Runs `fn` once before the tests of the enclosing describe block (lazily, before the first one). */
export function beforeAll(fn: () => unknown): void {
  let done: Promise<unknown> | undefined;
  beforeAllHooks[beforeAllHooks.length - 1].push(() => (done ??= Promise.resolve(fn())));
}

/** Bun runs afterAll hooks; under Deno resources are released at exit, so this only records the hook. */
export function afterAll(_fn: () => unknown): void {}

type TestFn = () => unknown | Promise<unknown>;

/** Declares one test. The optional third argument (a timeout in ms, or options) is accepted and ignored. */
export function it(name: string, fn: TestFn, _timeout?: number | { timeout?: number }): void {
  const hooks = beforeAllHooks.flat();
  Deno.test({
    name: [...prefix, name].join(" > "),
    sanitizeResources: false,
    sanitizeOps: false,
    async fn() {
      for (const h of hooks) await h();
      await fn();
    },
  });
}
/** Alias of {@link it}. */
export const test = it;

function fmt(v: unknown): string {
  try {
    return typeof v === "bigint" ? `${v}n` : typeof v === "string" ? JSON.stringify(v) : String(Deno.inspect(v));
  } catch {
    return String(v);
  }
}

function deepEqual(a: unknown, b: unknown): boolean {
  if (Object.is(a, b)) return true;
  if (typeof a !== typeof b || a === null || b === null || typeof a !== "object") return false;
  if (ArrayBuffer.isView(a) && ArrayBuffer.isView(b)) {
    const x = a as unknown as ArrayLike<unknown>, y = b as unknown as ArrayLike<unknown>;
    return a.constructor === b.constructor && x.length === y.length &&
      Array.from(x).every((v, i) => Object.is(v, y[i]));
  }
  if (Array.isArray(a) !== Array.isArray(b)) return false;
  const ka = Object.keys(a as object).filter((k) => (a as any)[k] !== undefined);
  const kb = Object.keys(b as object).filter((k) => (b as any)[k] !== undefined);
  if (ka.length !== kb.length) return false;
  return ka.every((k) => deepEqual((a as any)[k], (b as any)[k]));
}

class Expectation {
  constructor(private readonly actual: unknown, private readonly negate = false) {}
  get not(): Expectation {
    return new Expectation(this.actual, !this.negate);
  }
  private assert(ok: boolean, what: string): void {
    if (ok === this.negate) throw new Error(`expected ${fmt(this.actual)} ${this.negate ? "not " : ""}${what}`);
  }
  toBe(v: unknown): void {
    this.assert(Object.is(this.actual, v), `to be ${fmt(v)}`);
  }
  toEqual(v: unknown): void {
    this.assert(deepEqual(this.actual, v), `to equal ${fmt(v)}`);
  }
  toStrictEqual(v: unknown): void {
    this.toEqual(v);
  }
  toBeCloseTo(v: number, digits = 2): void {
    this.assert(Math.abs((this.actual as number) - v) < 10 ** -digits / 2, `to be close to ${v}`);
  }
  toBeGreaterThan(v: number | bigint): void {
    this.assert((this.actual as number) > v, `to be > ${fmt(v)}`);
  }
  toBeGreaterThanOrEqual(v: number | bigint): void {
    this.assert((this.actual as number) >= v, `to be >= ${fmt(v)}`);
  }
  toBeLessThan(v: number | bigint): void {
    this.assert((this.actual as number) < v, `to be < ${fmt(v)}`);
  }
  toBeLessThanOrEqual(v: number | bigint): void {
    this.assert((this.actual as number) <= v, `to be <= ${fmt(v)}`);
  }
  toBeUndefined(): void {
    this.assert(this.actual === undefined, "to be undefined");
  }
  toBeDefined(): void {
    this.assert(this.actual !== undefined, "to be defined");
  }
  toBeNull(): void {
    this.assert(this.actual === null, "to be null");
  }
  toBeTruthy(): void {
    this.assert(!!this.actual, "to be truthy");
  }
  toBeFalsy(): void {
    this.assert(!this.actual, "to be falsy");
  }
  toBeNaN(): void {
    this.assert(Number.isNaN(this.actual), "to be NaN");
  }
  toBeInstanceOf(c: abstract new (...args: any[]) => unknown): void {
    this.assert(this.actual instanceof c, `to be an instance of ${c.name}`);
  }
  toHaveLength(n: number): void {
    this.assert((this.actual as { length: number }).length === n, `to have length ${n}`);
  }
  toContain(v: unknown): void {
    const a = this.actual as string | unknown[];
    this.assert(typeof a === "string" ? a.includes(v as string) : a.includes(v), `to contain ${fmt(v)}`);
  }
  toMatch(re: RegExp | string): void {
    const s = this.actual as string;
    this.assert(typeof re === "string" ? s.includes(re) : re.test(s), `to match ${re}`);
  }
  toThrow(expected?: string | RegExp | (abstract new (...args: any[]) => unknown)): void {
    let thrown: unknown, didThrow = false;
    try {
      (this.actual as () => unknown)();
    } catch (e) {
      thrown = e;
      didThrow = true;
    }
    let ok = didThrow;
    if (didThrow && expected !== undefined) {
      const msg = thrown instanceof Error ? thrown.message : String(thrown);
      if (typeof expected === "string") ok = msg.includes(expected);
      else if (expected instanceof RegExp) ok = expected.test(msg);
      else ok = thrown instanceof expected;
    }
    const got = didThrow ? ` (threw ${thrown instanceof Error ? thrown.message : fmt(thrown)})` : " (did not throw)";
    if (ok === this.negate) {
      throw new Error(`expected function ${this.negate ? "not " : ""}to throw ${expected ?? ""}${got}`);
    }
  }
}

/** Creates an expectation. */
export function expect(actual: unknown): Expectation {
  return new Expectation(actual);
}
