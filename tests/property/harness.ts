// One case of the schedule-equivalence property: build a random pipeline, apply a random schedule, realize it over
// random output sizes and mins (into a crop of a larger buffer whose guard band must stay untouched), and compare
// every element bit-identically (NaN equals NaN, -0 differs from +0) with the reference interpreter evaluating the
// same Funcs with no schedule. A failure throws an Error whose message is a readable reproduction.
import fc from "fast-check";
import * as hl from "../../mod.ts";
import { Interpreter } from "../../src/interp/eval.ts";
import {
  type Box,
  buildPipeline,
  makeInput,
  pipelineArb,
  type PipelineSeed,
  regions,
  resolvePipeline,
} from "./pipeline_gen.ts";
import { applySchedule, scheduleArb, type ScheduleSeed } from "./schedule_gen.ts";

type Value = number | bigint | boolean;

/** A whole case. */
export interface Case {
  readonly pipeline: PipelineSeed;
  readonly schedule: ScheduleSeed;
  /** Output extents and mins, per dimension (the first `dims` are used). */
  readonly extents: readonly number[];
  readonly mins: readonly number[];
  /** Guard band around the output crop (0: a plain Buffer with `setMin`). */
  readonly band: number;
  /** Seed of the input data. */
  readonly dataSeed: number;
}

const MAX_EXTENT = [48, 20, 6];

/** Cases over `dims` dimensions (1–3 if not given). */
export function caseArb(dims?: number): fc.Arbitrary<Case> {
  return fc.record({
    pipeline: pipelineArb(dims),
    schedule: scheduleArb,
    // Mostly extents of at least a few elements (small ones make many schedules of the output fail cleanly).
    extents: fc.tuple(...MAX_EXTENT.map((max) =>
      fc.oneof(
        { weight: 1, arbitrary: fc.integer({ min: 1, max }) },
        { weight: 2, arbitrary: fc.integer({ min: Math.min(8, max), max }) },
      )
    ) as [fc.Arbitrary<number>, fc.Arbitrary<number>, fc.Arbitrary<number>]),
    mins: fc.tuple(fc.integer({ min: -9, max: 9 }), fc.integer({ min: -9, max: 9 }), fc.integer({ min: -3, max: 3 })),
    band: fc.constantFrom(0, 1, 3),
    dataSeed: fc.nat(),
  });
}

/** How a case ended (a failure throws instead). */
export type Outcome =
  | "ok"
  | "ok-wild"
  | "output-bounds"
  | "ok-padded"
  | "rejected-at-schedule"
  | "rejected-at-realize"
  | "too-large";

/** Tallies of outcomes and schedule features over a run. */
export class Stats {
  readonly outcomes = new Map<string, number>();
  readonly features = new Map<string, number>();
  readonly shapes = new Map<string, number>();
  /** The reproduction of the first case of each outcome other than "ok", for a look at what happens. */
  readonly examples = new Map<string, string>();
  runs = 0;
  ms = 0;
  /** The largest amount by which a realize claimed more of an input than the model's bound. */
  maxOvershoot = 0;
  add(m: Map<string, number>, k: string): void {
    m.set(k, (m.get(k) ?? 0) + 1);
  }
  accepted(): number {
    return ["ok", "ok-wild", "output-bounds", "ok-padded"].reduce(
      (a, k) => a + (this.outcomes.get(k) ?? 0),
      0,
    );
  }
  rejected(): number {
    return (this.outcomes.get("rejected-at-schedule") ?? 0) + (this.outcomes.get("rejected-at-realize") ?? 0);
  }
  summary(): string {
    const fmt = (m: Map<string, number>) => [...m].sort((a, b) => b[1] - a[1]).map(([k, v]) => `${k}=${v}`).join(" ");
    return `${this.runs} cases in ${(this.ms / 1000).toFixed(1)} s; accepted ${this.accepted()}, rejected ` +
      `${this.rejected()}; largest input overshoot ${this.maxOvershoot}\n  outcomes: ${fmt(this.outcomes)}\n  shapes: ${
        fmt(this.shapes)
      }\n  directives: ` +
      fmt(this.features);
  }
}

/** Options for sanity-checking the checker itself. */
export interface RunOptions {
  /** Perturbs the oracle (a deliberately wrong expected value), to show that a mismatch is caught. */
  readonly wrongOracle?: boolean;
}

const BOUNDS =
  /^(Output|Input) buffer (\S+) is accessed at -?\d+, which is (beyond the max|before the min) \(-?\d+\) in dimension \d+/;
/** Inputs larger than this (elements) make the case be skipped as "too-large". */
const MAX_INPUT_ELEMENTS = 1 << 21;

/** A value of the same type that differs from `v` (fills the output before realizing, so missing writes show). */
function perturb(t: hl.Type, v: Value): Value {
  if (typeof v === "bigint") return v ^ 1n;
  if (typeof v === "boolean") return !v;
  if (t.isFloat()) return Number.isNaN(v) ? 0 : v === 0 ? 1 : -v;
  return t.isUInt() && t.bits === 32 ? (v ^ 1) >>> 0 : v ^ 1;
}
/** An arbitrary fixed value of type `t` for the guard band. */
function sentinel(t: hl.Type): Value {
  return t.isFloat() ? 12345.5 : t.bits > 32 ? 0x5an : 0x5a;
}
function show(v: Value): string {
  return typeof v === "bigint" ? `${v}n` : Object.is(v, -0) ? "-0" : String(v);
}

/** The pieces of a reproduction. */
interface Repro {
  dims: number;
  inputs: string[];
  defs: string[];
  schedule: string[];
  realize: string;
}

function reproText(r: Repro): string {
  return [
    "// Pipeline",
    `const [${["x", "y", "c"].slice(0, r.dims).join(", ")}] = [${
      ["x", "y", "c"].slice(0, r.dims).map((n) => `new hl.Var("${n}")`).join(", ")
    }];`,
    ...r.inputs,
    ...r.defs,
    "// Schedule",
    ...r.schedule,
    "// Realize",
    r.realize,
  ].join("\n");
}

/**
 * Runs one case; returns its outcome, or throws an Error with a reproduction when the compiled pipeline and the
 * interpreter disagree, a legal schedule is rejected, or anything but a HalideError is thrown.
 */
export function runCase(c: Case, stats?: Stats, options: RunOptions = {}): Outcome {
  const spec = resolvePipeline(c.pipeline);
  const dims = spec.dims;
  const extents = c.extents.slice(0, dims), mins = c.mins.slice(0, dims);
  const outBox: Box = mins.map((m, d) => [m, m + extents[d] - 1]);
  const outTypes = spec.funcs[spec.funcs.length - 1].types;
  const repro: Repro = { dims, inputs: [], defs: [], schedule: [], realize: "" };
  const fail = (what: string): never => {
    throw new Error(`${what}\n\nReproduction:\n${reproText(repro)}`);
  };
  const outcome = (o: Outcome, why = ""): Outcome => {
    stats?.add(stats.outcomes, o);
    if (stats && o !== "ok" && !stats.examples.has(o)) stats.examples.set(o, `${why}\n${reproText(repro)}`);
    return o;
  };

  // Build with placeholder inputs first, to learn the schedule's slack, then with inputs of the right size.
  const placeholders = spec.inputs.map((t, m) => new hl.Buffer(t, Array(dims).fill(1), `in${m}`));
  const probe = buildPipeline(spec, placeholders);
  let slack: Map<number, [number, number][]>;
  try {
    slack = applySchedule(spec, probe.funcs, c.schedule, extents, mins, { lines: [] }).slack;
  } catch (e) {
    if (!(e instanceof hl.HalideError)) throw e;
    slack = new Map();
  }
  const reg = regions(spec, outBox, slack);
  let total = 0;
  const inputs = spec.inputs.map((_t, m) => {
    const box = reg.inputs.get(m) ?? Array.from({ length: dims }, (): [number, number] => [0, 0]);
    total += box.reduce((a, [lo, hi]) => a * (hi - lo + 1), 1);
    return box;
  });
  if (total > MAX_INPUT_ELEMENTS) return outcome("too-large");
  stats?.add(stats.shapes, `${dims}-D/${spec.funcs.length} Funcs`);
  let counted = false;
  type Result = Outcome | { retry: { input: number; dim: number; at: number; overshoot: number } };
  const done = (o: Outcome, why = ""): Result => {
    if (o !== "ok" || overshoot === 0) return outcome(o, why);
    if (stats && overshoot >= stats.maxOvershoot) {
      stats.examples.set("largest overshoot", `${overshoot}\n${reproText(repro)}`);
    }
    return outcome("ok-padded", `input overshoot ${overshoot}`);
  };
  let overshoot = 0;
  const attempt = (inputs: Box[]): Result => {
    const buffers = inputs.map((box, m) => makeInput(spec.inputs[m], box, c.dataSeed + m, `in${m}`));
    repro.inputs = buffers.map((b, m) =>
      `const in${m} = new hl.Buffer(hl.${typeCtor(b.type)}, [${
        inputs[m].map(([lo, hi]) => hi - lo + 1)
      }], "in${m}"); ` +
      `in${m}.setMin([${inputs[m].map(([lo]) => lo)}]); // filled by makeInput(type, box, ${c.dataSeed + m}) ` +
      `(tests/property/pipeline_gen.ts)` +
      (b.numberOfElements() <= 64 ? `\n//   values, dimension 0 fastest: ${valuesOf(b)}` : "")
    );
    const { funcs } = buildPipeline(spec, buffers);
    const out = funcs[funcs.length - 1];
    repro.defs = funcs.map((f) => `const ${f.name} = new hl.Func("${f.name}"); // ${f.toString()}`);

    // Schedule.
    const partial = { lines: [] as string[] };
    let applied;
    try {
      applied = applySchedule(spec, funcs, c.schedule, extents, mins, partial);
    } catch (e) {
      repro.schedule = partial.lines;
      if (!(e instanceof hl.HalideError)) fail(`A schedule directive threw a non-HalideError: ${describe(e)}`);
      // Only the wild levels may be illegal; the loop directives are generated to be legal.
      fail(`A legal schedule directive was rejected: ${(e as Error).message}`);
      throw e;
    }
    repro.schedule = applied.lines;
    if (!counted) { for (const f of applied.features) stats?.add(stats.features, f); }
    counted = true;

    // Outputs: crops of larger buffers with a guard band (or plain buffers with setMin), pre-filled so that
    // missing writes and writes outside the crop show.
    const interp = new Interpreter();
    const expected = (k: number, coords: number[]): Value => {
      const v = interp.evalFunc(out.fn, coords)[k] as Value;
      return options.wrongOracle && coords.every((q, d) => q === mins[d]) ? perturb(outTypes[k], v) : v;
    };
    const band = c.band;
    const bigs = outTypes.map((t, k) => {
      const big = new hl.Buffer(t, extents.map((e) => e + 2 * band), `${out.name}_${k}`);
      big.setMin(mins.map((m) => m - band));
      return big;
    });
    const inside = (co: number[]) => co.every((q, d) => q >= mins[d] && q < mins[d] + extents[d]);
    const crops = bigs.map((big, k) => {
      big.forEachElement((co) =>
        big.set(co, inside(co) ? perturb(outTypes[k], expected(k, co)) : sentinel(outTypes[k]))
      );
      return band === 0 ? big : big.cropped(mins.map((m, d) => [m, extents[d]] as [number, number]));
    });
    const outDecl = (k: number) =>
      `const out${k} = new hl.Buffer(hl.${typeCtor(outTypes[k])}, [${extents}]); out${k}.setMin([${mins}]);`;
    repro.realize = outTypes.length === 1
      ? `${outDecl(0)}\n${out.name}.realize(out0);`
      : `${outTypes.map((_, k) => outDecl(k)).join("\n")}\n${out.name}.realizeTuple([${
        outTypes.map((_, k) => `out${k}`)
      }]);`;

    let error: hl.HalideError | undefined;
    try {
      if (outTypes.length === 1) out.realize(crops[0]);
      else out.realizeTuple(crops);
    } catch (e) {
      if (!(e instanceof hl.HalideError)) fail(`realize threw a non-HalideError: ${describe(e)}`);
      error = e as hl.HalideError;
    }
    const guaranteed = applied.guaranteedOver(extents);
    if (error) {
      const m = BOUNDS.exec(error.message);
      const written = firstWrite(bigs, outTypes, inside, expected);
      if (written) fail(`realize failed (${error.message}) but wrote to the output: ${written}`);
      // When the output is computed beyond its buffer, its bounds check fails — or that of an input it then reads
      // beyond the data (the order of the checks is not specified).
      if (m && !guaranteed) return done("output-bounds", error.message);
      // Bounds inference is interval arithmetic and may claim more of an input than the model's bound: give the
      // input what it claims and try again (counted, with the largest overshoot).
      const claim = m && m[1] === "Input"
        ? /^Input buffer in(\d+) is accessed at (-?\d+), which is (beyond the max|before the min) \((-?\d+)\) in dimension (\d+)/
          .exec(error.message)
        : null;
      if (claim && applied.legal) {
        const [k, at, side, limit, d] = [
          Number(claim[1]),
          Number(claim[2]),
          claim[3],
          Number(claim[4]),
          Number(claim[5]),
        ];
        return { retry: { input: k, dim: d, at, overshoot: side === "before the min" ? limit - at : at - limit } };
      }
      if (!applied.legal) return done("rejected-at-realize", error.message);
      fail(
        `realize of a legal schedule failed${
          m && guaranteed ? " although Halide guarantees success for these extents" : ""
        }:\n  ` +
          error.message,
      );
    }
    // Compare.
    let count = 0;
    let first = "";
    bigs.forEach((big, k) => {
      big.forEachElement((co) => {
        const got = big.get(co) as Value;
        const want = inside(co) ? expected(k, co) : sentinel(outTypes[k]);
        if (!Object.is(got, want)) {
          count++;
          if (!first) {
            first =
              `${outTypes.length > 1 ? `value ${k} ` : ""}at [${co}] (${
                inside(co) ? "inside" : "outside"
              } the output)` +
              ` expected ${show(want)} but got ${show(got)}`;
          }
        }
      });
    });
    if (count) {
      fail(
        `${count} element(s) differ from the interpreter; first ${first}` +
          (applied.legal ? "" : " (the schedule has a level the model deems illegal, yet it was accepted)"),
      );
    }
    return done(applied.legal ? "ok" : "ok-wild");
  };
  for (let tries = 0; tries < 12; tries++) {
    const r = attempt(inputs);
    if (typeof r === "string") return r;
    const { input, dim, at } = r.retry;
    overshoot = Math.max(overshoot, r.retry.overshoot);
    if (stats) stats.maxOvershoot = Math.max(stats.maxOvershoot, r.retry.overshoot);
    const [lo, hi] = inputs[input][dim];
    inputs[input][dim] = [Math.min(lo, at), Math.max(hi, at)];
  }
  return fail("realize still claims more input after 12 enlargements");
}

/** The first element written (changed) in any output, or "". */
function firstWrite(
  bigs: hl.Buffer[],
  types: readonly hl.Type[],
  inside: (co: number[]) => boolean,
  expected: (k: number, co: number[]) => Value,
): string {
  let first = "";
  bigs.forEach((big, k) =>
    big.forEachElement((co) => {
      if (first) return;
      const before = inside(co) ? perturb(types[k], expected(k, co)) : sentinel(types[k]);
      const got = big.get(co) as Value;
      if (!Object.is(got, before)) first = `[${co}] = ${show(got)}`;
    })
  );
  return first;
}

function valuesOf(b: hl.Buffer): string {
  const vs: string[] = [];
  b.forEachElement((c) => {
    vs.push(show(b.get(c) as Value));
  });
  return `[${vs.join(", ")}]`;
}

function typeCtor(t: hl.Type): string {
  return t.isFloat() ? `Float(${t.bits})` : t.isUInt() ? `UInt(${t.bits})` : `Int(${t.bits})`;
}

function describe(e: unknown): string {
  return e instanceof Error ? `${e.name}: ${e.message}\n${e.stack ?? ""}` : String(e);
}

/**
 * Checks the property over `numRuns` cases from `seed`; throws with fast-check's report (seed, path, the
 * shrunk counterexample) and the reproduction of the shrunk case.
 */
export function checkProperty(
  arb: fc.Arbitrary<Case>,
  params: { seed: number; numRuns: number; path?: string },
  stats: Stats,
  options: RunOptions = {},
): void {
  const t0 = performance.now();
  const details = fc.check(
    fc.property(arb, (c) => {
      stats.runs++;
      runCase(c, stats, options);
    }),
    { ...params, endOnFailure: false },
  );
  stats.ms += performance.now() - t0;
  if (details.failed) {
    const cause = details.errorInstance instanceof Error
      ? details.errorInstance.message
      : String(details.errorInstance);
    throw new Error(`${fc.defaultReportMessage(details)}\n\nFailure: ${cause}`);
  }
}
