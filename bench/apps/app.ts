/**
 * What every benchmark app provides, and the helpers they share: seeded synthetic inputs, dense typed-array views of
 * Buffers, and the all-`computeRoot` schedule.
 *
 * An app is one of Halide's `apps/` pipelines written with halide-ts's public API: its algorithm (`define`), Halide's
 * hand-written CPU schedule (`schedules.hand`), optional extra schedules, a plain-TypeScript implementation of the
 * same algorithm (`plain`), and, where a well-kept JavaScript image library does the same job, that library
 * (`library`). The harness (`bench/harness.ts`) and the tests (`tests/apps/`) drive apps only through this
 * interface.
 *
 * @example
 * ```ts
 * import { APPS } from "./index.ts";
 * const blur = APPS.find((a) => a.name === "blur")!;
 * const inputs = blur.makeInputs(blur.testSize, 1);
 * const p = blur.define(inputs, blur.testSize);
 * blur.schedules.hand(p, blur.testSize);
 * const out = p.output.realize(outputBuffer(blur, blur.testSize));
 * ```
 *
 * @module
 */
import * as hl from "../../mod.ts";

/** Sizes of an app's main input, in Halide order (x, y, c…). */
export type Size = readonly number[];

/** One instance of an app's algorithm: its output Func and every Func it defines. */
export interface Defined {
  /** The Func realized into the output buffer. */
  readonly output: hl.Func;
  /**
   * Every Func of the algorithm other than the output (boundary-condition wrappers excepted), for the
   * all-`computeRoot` schedule.
   */
  readonly stages: readonly hl.Func[];
}

/**
 * Schedules an instance of the algorithm in place. Declared as a method type, whose parameters TypeScript checks
 * bivariantly, so that an `App<BlurFuncs>` is an `App` wherever the harness takes any app.
 */
export type Schedule<D extends Defined> = { schedule(d: D, size: Size): void }["schedule"];

/** How the output is compared with a reference. `exact`: bit for bit; otherwise within a bound. */
export type Tolerance =
  | { readonly kind: "exact" }
  /** |got − want| ≤ `abs` for every element (integer outputs computed in floating point). */
  | { readonly kind: "abs"; readonly abs: number }
  /** |got − want| ≤ `rel` · max|want| over the whole output (floating-point outputs). */
  | { readonly kind: "rel"; readonly rel: number };

/** A JavaScript library that does the same job, as a variant of the benchmark. */
export interface Library {
  /** Package name and what it runs, e.g. `sharp convolve 3×3`. */
  readonly label: string;
  /** Why its output differs from the app's (it is checked against `tolerance`, not exactly). */
  readonly note: string;
  /** Loads the library (undefined when it is not installed) and returns a runner writing into `out`. */
  prepare(inputs: readonly hl.Buffer[], out: hl.Buffer): Promise<(() => Promise<void>) | undefined>;
  /** How close its output must be to the app's plain TypeScript output. */
  readonly tolerance: Tolerance;
}

/** An app of the suite. */
export interface App<D extends Defined = Defined> {
  readonly name: string;
  /** One line: what the pipeline computes. */
  readonly summary: string;
  /** The main input's size for benchmarks (Halide's standard 1536×2560 unless the app says otherwise). */
  readonly standardSize: Size;
  /** A small size for the tests. */
  readonly testSize: Size;
  /** Synthetic inputs, the same for the same seed and size. */
  makeInputs(size: Size, seed: number): hl.Buffer[];
  /** Type, mins and extents of the output for an input of `size`. */
  outputShape(size: Size): { type: hl.Type; mins: number[]; extents: number[] };
  /** The algorithm over `inputs` (a fresh set of Funcs every call). */
  define(inputs: readonly hl.Buffer[], size: Size): D;
  /** `hand` (Halide's CPU schedule) and any extra named schedules; `root` is added by {@link rootSchedule}. */
  readonly schedules: { readonly hand: Schedule<D> } & Readonly<Record<string, Schedule<D>>>;
  /** The hand schedule as Halide writes it, and where ours departs from it and why. */
  readonly handNotes: string;
  /**
   * The same algorithm in plain TypeScript: a runner writing `out` (dense, mins as in {@link outputShape}), with
   * any scratch memory allocated once, here.
   */
  plain(inputs: readonly hl.Buffer[], out: hl.Buffer, size: Size): () => void;
  /** How outputs are compared with the interpreter and with {@link plain}. */
  readonly tolerance: Tolerance;
  /**
   * How close Halide 14's output must be to the plain TypeScript one, when looser than `tolerance`, and why
   * (Halide contracts and reassociates float arithmetic by default; halide-ts keeps IEEE order).
   */
  readonly halide14?: { readonly tolerance: Tolerance; readonly note: string };
  readonly library?: Library;
  /** Output pixels counted for megapixels/s (channels excluded). */
  pixels(size: Size): number;
}

/** An app whose algorithm needs language features that are not there yet: listed, never silently skipped. */
export interface PendingApp {
  readonly name: string;
  readonly summary: string;
  /** What it waits for. */
  readonly pending: string;
}

/**
 * The naive schedule: every stage `computeRoot()`, serial, no vectorization (the baseline of Li et al. 2018 and
 * of Halide's autoscheduler papers).
 *
 * @example
 * ```ts
 * rootSchedule(app.define(inputs, size));
 * ```
 */
export function rootSchedule(d: Defined): void {
  for (const f of d.stages) f.computeRoot();
}

/**
 * A seeded xorshift32 generator of uint32 values.
 *
 * @example
 * ```ts
 * const next = xorshift(7);
 * next(); // the same sequence for the same seed
 * ```
 */
export function xorshift(seed: number): () => number {
  let s = (seed * 0x9e3779b9 + 0x7f4a7c15) >>> 0 || 1;
  return () => {
    s ^= s << 13;
    s >>>= 0;
    s ^= s >>> 17;
    s ^= s << 5;
    s >>>= 0;
    return s;
  };
}

/**
 * A dense Buffer of `type` and `sizes` filled from a seeded generator: `value(u)` maps a uint32 to the element.
 *
 * @example
 * ```ts
 * const img = seededBuffer(hl.UInt(16), [64, 48], 1, (u) => u & 0xffff, "input");
 * ```
 */
export function seededBuffer(
  type: hl.Type,
  sizes: readonly number[],
  seed: number,
  value: (u: number) => number,
  name: string,
): hl.Buffer {
  const b = new hl.Buffer(type, [...sizes], name);
  const data = dataOf(b), next = xorshift(seed);
  for (let i = 0; i < data.length; i++) data[i] = value(next());
  return b;
}

/** The element array of a dense Buffer (x fastest), typed by its element type. */
export type Data = Uint8Array | Uint16Array | Int32Array | Float32Array;

/**
 * The dense element array of a Buffer made with `new hl.Buffer(type, sizes)`: element (x, y, c) is at
 * `x + w·(y + h·c)` counted from the mins.
 *
 * @example
 * ```ts
 * const px = dataOf(input) as Uint16Array;
 * ```
 */
export function dataOf(b: hl.Buffer): Data {
  const { data } = b.asNdArray();
  if (
    data instanceof Uint8Array || data instanceof Uint16Array || data instanceof Int32Array ||
    data instanceof Float32Array
  ) return data;
  throw new Error(`buffer ${b.name}: unsupported element array ${data.constructor.name}`);
}

/** {@link dataOf} for float32 buffers. */
export function f32Data(b: hl.Buffer): Float32Array {
  const d = dataOf(b);
  if (!(d instanceof Float32Array)) throw new Error(`buffer ${b.name} is not float32`);
  return d;
}

/** {@link dataOf} for uint16 buffers. */
export function u16Data(b: hl.Buffer): Uint16Array {
  const d = dataOf(b);
  if (!(d instanceof Uint16Array)) throw new Error(`buffer ${b.name} is not uint16`);
  return d;
}

/**
 * A fresh dense output Buffer for `app` at input size `size`, with the output's mins.
 *
 * @example
 * ```ts
 * const out = outputBuffer(app, app.testSize);
 * ```
 */
export function outputBuffer(app: App, size: Size, name = `${app.name}_out`): hl.Buffer {
  const { type, mins, extents } = app.outputShape(size);
  return new hl.Buffer(type, extents, name).setMin(mins);
}

/**
 * The first element where `got` differs from `want` beyond `tol`, as a message; undefined if they agree.
 *
 * @example
 * ```ts
 * const problem = compareOutputs(got, want, { kind: "exact" });
 * if (problem) throw new Error(problem);
 * ```
 */
export function compareOutputs(got: hl.Buffer, want: hl.Buffer, tol: Tolerance): string | undefined {
  const a = dataOf(got), b = dataOf(want);
  if (a.length !== b.length) return `sizes differ: ${a.length} elements vs ${b.length}`;
  let bound = 0;
  if (tol.kind === "abs") bound = tol.abs;
  else if (tol.kind === "rel") {
    let scale = 0;
    for (let i = 0; i < b.length; i++) scale = Math.max(scale, Math.abs(b[i]));
    bound = tol.rel * scale;
  }
  let worst = -1, worstErr = 0;
  for (let i = 0; i < a.length; i++) {
    const err = Math.abs(a[i] - b[i]);
    if (!(err <= bound) && !(Number.isNaN(a[i]) && Number.isNaN(b[i])) && (worst < 0 || !(err <= worstErr))) {
      worst = i, worstErr = err;
    }
  }
  if (worst < 0) return undefined;
  return `element ${coordsOf(want, worst)}: ${a[worst]} vs ${b[worst]} (|difference| ${worstErr} > ${bound})`;
}

/** The coordinates (with mins) of the dense element index `i` of `b`, as text. */
function coordsOf(b: hl.Buffer, i: number): string {
  const c: number[] = [];
  for (let d = 0; d < b.dimensions; d++) {
    const { min, extent } = b.dim(d);
    c.push(min + (i % extent));
    i = Math.floor(i / extent);
  }
  return `[${c.join(", ")}]`;
}
