/**
 * `halide-ts bench`: the app suite's benchmark. For each app (bench/apps/) and variant — Halide's hand schedule,
 * the naive all-`computeRoot` schedule, any extra schedules of the app, the plain TypeScript version, a JavaScript
 * library that does the same job where there is one, and with `--vs-halide` Halide 14 itself running the same
 * schedules — it reports the JIT compile time, the minimum and median ms after warm-up, megapixels per second and
 * the ratios to the hand schedule, then prints a table and writes a JSON file.
 *
 * Method: every output is checked against the plain TypeScript one (within the app's tolerance) before anything is
 * timed. Timing uses tinybench, in rounds that alternate the order of the variants (Halide's runs, in its own
 * process, are interleaved the same way), so that load from other processes on the machine falls on all of them
 * alike. The number of runs adapts to each variant's speed (at least `--min-runs`, at most `--runs`).
 *
 * @example
 * ```sh
 * bunx halide-ts bench                       # every app, standard sizes
 * bunx halide-ts bench blur harris --vs-halide --json out/bench.json
 * bunx halide-ts bench --quick               # under a minute
 * npm run bench
 * ```
 *
 * @module
 */
import { mkdirSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import process from "node:process";
import { Bench } from "tinybench";
import * as hl from "../mod.ts";
import { hostLLVMTarget, llvm } from "../src/codegen/llvm_target.ts";
import { type App, compareOutputs, outputBuffer, rootSchedule, type Schedule, type Size } from "./apps/app.ts";
import { APPS, PENDING_APPS } from "./apps/index.ts";
import { findHalidePython, HalideServer, NO_HALIDE_NOTE } from "./halide14.ts";

/** Command-line options of `halide-ts bench`. */
export interface BenchOptions {
  apps: string[];
  json: string;
  quick: boolean;
  vsHalide: boolean;
  /** Most timed runs per variant. */
  runs: number;
  /** Fewest timed runs per variant. */
  minRuns: number;
  warmup: number;
  /** Time to spend timing each variant, in ms (the run count adapts to it). */
  budgetMs: number;
}

/** Statistics of one variant. */
export interface VariantResult {
  variant: string;
  kind: "halide-ts" | "plain" | "library" | "halide14";
  compile_ms: number | null;
  min_ms: number;
  median_ms: number;
  mpix_per_s: number;
  /** This variant's time over the hand schedule's (> 1: slower than the hand schedule). */
  vs_hand_min: number;
  vs_hand_median: number;
  /** For halide-ts schedules that Halide 14 also ran: our time over Halide's. */
  vs_halide14_min?: number;
  vs_halide14_median?: number;
  samples_ms: number[];
}

/** Results of one app. */
export interface AppResult {
  app: string;
  summary: string;
  input_size: number[];
  output_pixels: number;
  hand_notes: string;
  variants: VariantResult[];
  notes: string[];
}

const USAGE = `Usage: halide-ts bench [apps…] [options]

Runs the app suite (bench/apps/): per app, Halide's hand schedule, the all-computeRoot schedule, the plain
TypeScript version and (where one does the job) a JavaScript library; compile time, min and median ms,
megapixels/s, ratios to the hand schedule. Apps: ${APPS.map((a) => a.name).join(", ")}
(pending: ${PENDING_APPS.map((a) => a.name).join(", ") || "none"}).

Options:
  --json FILE     write the results there (default out/bench.json)
  --quick         fewer, shorter runs: the whole suite in under a minute
  --vs-halide     also run Halide 14 (python3-halide) on the same schedules; report ours/Halide per app and
                  the geometric mean
  --runs N        at most N timed runs per variant (default 30; --quick: 6)
  --min-runs N    at least N timed runs per variant (default 10; --quick: 2)
  --warmup N      untimed runs per variant after the check (default 3; --quick: 1)
  -h, --help      show this help

Threads: HL_NUM_THREADS (both halide-ts and Halide 14), else one per core.`;

/** Timed runs per variant per round; rounds alternate the order of the variants. */
const RUNS_PER_ROUND = 5;

/**
 * Parses the command line of `halide-ts bench` (without `bench`). Throws a HalideError on a bad option or an
 * unknown app.
 *
 * @example
 * ```ts
 * parseBenchOptions(["blur", "--quick"]).apps; // ["blur"]
 * ```
 */
export function parseBenchOptions(args: readonly string[]): BenchOptions | "help" {
  const o: BenchOptions = {
    apps: [],
    json: path.resolve("out", "bench.json"),
    quick: false,
    vsHalide: false,
    runs: 0,
    minRuns: 0,
    warmup: -1,
    budgetMs: 2000,
  };
  for (let i = 0; i < args.length; i++) {
    const a = args[i];
    const value = () => {
      const v = args[++i];
      if (v === undefined) throw new hl.HalideError(`${a} needs a value`);
      return v;
    };
    const count = (min: number) => {
      const v = value(), n = Number(v);
      if (!Number.isInteger(n) || n < min) throw new hl.HalideError(`${a} needs an integer ≥ ${min}, got ${v}`);
      return n;
    };
    if (a === "-h" || a === "--help") return "help";
    else if (a === "--json") o.json = path.resolve(value());
    else if (a === "--quick") o.quick = true;
    else if (a === "--vs-halide") o.vsHalide = true;
    else if (a === "--runs") o.runs = count(1);
    else if (a === "--min-runs") o.minRuns = count(1);
    else if (a === "--warmup") o.warmup = count(0);
    else if (a.startsWith("-")) throw new hl.HalideError(`unknown option ${a}\n\n${USAGE}`);
    else o.apps.push(a);
  }
  const known = [...APPS, ...PENDING_APPS].map((p) => p.name);
  for (const name of o.apps) {
    if (!known.includes(name)) throw new hl.HalideError(`unknown app '${name}' (apps: ${known.join(", ")})`);
  }
  o.runs ||= o.quick ? 6 : 30;
  o.minRuns = Math.min(o.minRuns || (o.quick ? 2 : 10), o.runs);
  if (o.warmup < 0) o.warmup = o.quick ? 1 : 3;
  if (o.quick) o.budgetMs = 150;
  return o;
}

// ---------------------------------------------------------------------------------------------------------------
// Progress and statistics

/** One status line on stderr, rewritten in place on a terminal. */
function progress(message: string): void {
  if (process.stderr.isTTY) process.stderr.write(`\r\x1b[K${message}`);
  else process.stderr.write(`${message}\n`);
}

function clearProgress(): void {
  if (process.stderr.isTTY) process.stderr.write("\r\x1b[K");
}

function median(xs: readonly number[]): number {
  const s = [...xs].sort((a, b) => a - b), m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
}

function geomean(xs: readonly number[]): number {
  return Math.exp(xs.reduce((s, x) => s + Math.log(x), 0) / xs.length);
}

// ---------------------------------------------------------------------------------------------------------------
// Variants

/** A variant ready to be timed: checked, warmed up. */
interface Runner {
  readonly variant: string;
  readonly kind: VariantResult["kind"];
  readonly compileMs: number | null;
  /** Runs per round. */
  perRound: number;
  readonly samples: number[];
  /** Local runs (timed through tinybench); Halide's are timed in its own process. */
  readonly run?: () => void | Promise<void>;
}

/** Fails with a clear message when `got` is not `want` within the tolerance. */
function check(label: string, got: hl.Buffer, want: hl.Buffer, tol: App["tolerance"]): void {
  const problem = compareOutputs(got, want, tol);
  if (problem) throw new hl.HalideError(`bench: ${label} differs from the plain TypeScript output at ${problem}`);
}

/** Median ms of `n` untimed-for-the-results runs (warm-up), used to size the timed runs. */
async function warmUp(run: () => void | Promise<void>, n: number): Promise<number> {
  const times: number[] = [];
  for (let i = 0; i < Math.max(1, n); i++) {
    const t0 = performance.now();
    await run();
    times.push(performance.now() - t0);
  }
  return median(times);
}

/** Timed runs for a variant that takes `ms` per run. */
function runsFor(ms: number, o: BenchOptions): number {
  return Math.max(o.minRuns, Math.min(o.runs, Math.ceil(o.budgetMs / Math.max(ms, 1e-3))));
}

/** A halide-ts schedule of `app`: compiled (timed), checked against `want`, warmed up. */
async function scheduleRunner(
  app: App,
  name: string,
  schedule: Schedule<ReturnType<App["define"]>>,
  inputs: hl.Buffer[],
  size: Size,
  want: hl.Buffer,
  o: BenchOptions,
): Promise<Runner> {
  const d = app.define(inputs, size);
  schedule(d, size);
  const out = outputBuffer(app, size);
  const t0 = performance.now();
  d.output.compileJit();
  const compileMs = performance.now() - t0;
  d.output.realize(out);
  check(`halide-ts ${name}`, out, want, app.tolerance);
  const run = () => void d.output.realize(out);
  const ms = await warmUp(run, o.warmup);
  return { variant: name, kind: "halide-ts", compileMs, perRound: runsFor(ms, o), samples: [], run };
}

// ---------------------------------------------------------------------------------------------------------------
// One app

/** Measures every variant of `app` at its standard size. */
async function benchApp(app: App, o: BenchOptions, py: string | undefined, step: string): Promise<AppResult> {
  const size = app.standardSize, notes: string[] = [];
  progress(`${step} ${app.name}: inputs ${size.join("×")}, plain TypeScript reference…`);
  const inputs = app.makeInputs(size, 1);
  const want = outputBuffer(app, size, `${app.name}_want`);
  const plainRun = app.plain(inputs, want, size);
  plainRun();
  const plainMs = await warmUp(plainRun, Math.min(o.warmup, 1));
  const runners: Runner[] = [
    { variant: "plain TS", kind: "plain", compileMs: null, perRound: runsFor(plainMs, o), samples: [], run: plainRun },
  ];

  const schedules: [string, Schedule<ReturnType<App["define"]>>][] = [
    ["hand", app.schedules.hand],
    ["root", rootSchedule],
    ...Object.entries(app.schedules).filter(([n]) => n !== "hand"),
  ];
  for (const [name, schedule] of schedules) {
    progress(`${step} ${app.name}: compiling and checking the ${name} schedule…`);
    runners.push(await scheduleRunner(app, name, schedule, inputs, size, want, o));
  }

  if (app.library) {
    const lib = app.library, out = outputBuffer(app, size, `${app.name}_lib`);
    progress(`${step} ${app.name}: ${lib.label}…`);
    const run = await lib.prepare(inputs, out);
    if (!run) notes.push(`${lib.label}: skipped — the package is not installed (npm install).`);
    else {
      await run();
      check(lib.label, out, want, lib.tolerance);
      notes.push(`${lib.label}: ${lib.note} (checked within ${JSON.stringify(lib.tolerance)})`);
      const ms = await warmUp(run, o.warmup);
      runners.push({ variant: lib.label, kind: "library", compileMs: null, perRound: runsFor(ms, o), samples: [], run });
    }
  }

  let server: HalideServer | undefined;
  try {
    if (o.vsHalide && py) {
      progress(`${step} ${app.name}: Halide 14 compiling…`);
      server = await HalideServer.start(py, app, inputs, size, schedules.map(([n]) => n), o.warmup);
      for (const { schedule, compile_ms } of server.header.compiled) {
        check(`Halide 14 ${schedule}`, server.output(app, size, schedule), want, app.halide14?.tolerance ?? app.tolerance);
        if (app.halide14 && schedule === schedules[0][0]) {
          notes.push(`Halide 14: ${app.halide14.note} (checked within ${JSON.stringify(app.halide14.tolerance)})`);
        }
        const ours = runners.find((r) => r.kind === "halide-ts" && r.variant === schedule)!;
        runners.push({ variant: `H14 ${schedule}`, kind: "halide14", compileMs: compile_ms, perRound: ours.perRound, samples: [] });
      }
    }
    await timeRounds(app, runners, server, step);
  } finally {
    server?.close();
  }
  return summarize(app, size, runners, notes);
}

/**
 * Timed runs in rounds: each round gives every variant its share of runs, in an order that reverses every round;
 * local variants run under tinybench, Halide's in its process.
 */
async function timeRounds(app: App, runners: Runner[], server: HalideServer | undefined, step: string): Promise<void> {
  const rounds = Math.max(...runners.map((r) => Math.ceil(r.perRound / RUNS_PER_ROUND)));
  for (const r of runners) r.perRound = Math.ceil(r.perRound / rounds);
  for (let round = 0; round < rounds; round++) {
    progress(`${step} ${app.name}: timing, round ${round + 1}/${rounds}`);
    const order = round % 2 === 0 ? runners : [...runners].reverse();
    for (const r of order) {
      if (r.run) r.samples.push(...await tinybenchSamples(r.variant, r.run, r.perRound));
      else if (server) r.samples.push(...await server.run(r.variant.replace(/^H14 /, ""), r.perRound));
    }
  }
}

/** `n` timed runs of `fn` with tinybench (no warm-up: the variants are warm), in ms. */
async function tinybenchSamples(name: string, fn: () => void | Promise<void>, n: number): Promise<number[]> {
  const bench = new Bench({ iterations: n, time: 0, warmup: false, retainSamples: true, throws: true });
  bench.add(name, fn);
  const [task] = await bench.run();
  const r = task.result;
  if (!("latency" in r) || !r.latency.samples) throw new hl.HalideError(`bench: tinybench gave no samples for ${name}`);
  return [...r.latency.samples];
}

function summarize(app: App, size: Size, runners: Runner[], notes: string[]): AppResult {
  const pixels = app.pixels(size);
  const stats = runners.map((r) => ({ r, min: Math.min(...r.samples), med: median(r.samples) }));
  const hand = stats.find((s) => s.r.kind === "halide-ts" && s.r.variant === "hand")!;
  const variants = stats.map(({ r, min, med }): VariantResult => {
    const v: VariantResult = {
      variant: r.variant,
      kind: r.kind,
      compile_ms: r.compileMs,
      min_ms: min,
      median_ms: med,
      mpix_per_s: pixels / 1e3 / min,
      vs_hand_min: min / hand.min,
      vs_hand_median: med / hand.med,
      samples_ms: r.samples,
    };
    const theirs = stats.find((s) => s.r.kind === "halide14" && s.r.variant === `H14 ${r.variant}`);
    if (r.kind === "halide-ts" && theirs) {
      v.vs_halide14_min = min / theirs.min;
      v.vs_halide14_median = med / theirs.med;
    }
    return v;
  });
  return {
    app: app.name,
    summary: app.summary,
    input_size: [...size],
    output_pixels: pixels,
    hand_notes: app.handNotes,
    variants,
    notes,
  };
}

// ---------------------------------------------------------------------------------------------------------------
// Output

function fmt(n: number | null | undefined, digits: number): string {
  return n === null || n === undefined ? "—" : n.toFixed(digits);
}

/** The results as an aligned text table. */
export function formatTable(results: readonly AppResult[]): string {
  const header = ["app", "variant", "compile ms", "min ms", "median ms", "Mpix/s", "×hand min", "×hand med", "/H14 min", "/H14 med"];
  const rows = results.flatMap((a) =>
    a.variants.map((v) => [
      a.app,
      v.variant,
      fmt(v.compile_ms, 0),
      fmt(v.min_ms, 3),
      fmt(v.median_ms, 3),
      fmt(v.mpix_per_s, 0),
      fmt(v.vs_hand_min, 2),
      fmt(v.vs_hand_median, 2),
      fmt(v.vs_halide14_min, 2),
      fmt(v.vs_halide14_median, 2),
    ])
  );
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i].length)));
  const line = (cells: readonly string[]) =>
    cells.map((c, i) => (i < 2 ? c.padEnd(widths[i]) : c.padStart(widths[i]))).join("  ").trimEnd();
  return [line(header), widths.map((w) => "-".repeat(w)).join("  "), ...rows.map(line)].join("\n");
}

/** Geometric means of ours/Halide 14 over the apps' hand schedules, when measured. */
function halideGeomean(results: readonly AppResult[]): { min: number; median: number; apps: number } | undefined {
  const hands = results.map((a) => a.variants.find((v) => v.variant === "hand" && v.vs_halide14_min !== undefined))
    .filter((v): v is VariantResult => v !== undefined);
  if (hands.length === 0) return undefined;
  return {
    min: geomean(hands.map((v) => v.vs_halide14_min!)),
    median: geomean(hands.map((v) => v.vs_halide14_median!)),
    apps: hands.length,
  };
}

function environment(): Record<string, unknown> {
  const lib = llvm(), t = hostLLVMTarget();
  const runtime = "Deno" in globalThis ? `deno ${process.versions.deno}` : `bun ${process.versions.bun}`;
  return {
    runtime,
    libllvm: `${lib.version} (${lib.path})`,
    cpu: `${os.cpus()[0]?.model ?? "?"} × ${os.cpus().length} (${t.cpu})`,
    host_target: `${hl.getHostTarget()}`,
    hl_num_threads: process.env.HL_NUM_THREADS ?? null,
    load_average: os.loadavg(),
  };
}

/**
 * Runs `halide-ts bench` with `args` (without `bench`) and returns the exit status.
 *
 * @example
 * ```ts
 * const status = await bench(["blur", "--quick"]);
 * ```
 */
export async function bench(args: readonly string[]): Promise<number> {
  try {
    return await runBench(args);
  } catch (e) {
    if (!(e instanceof hl.HalideError)) throw e;
    clearProgress();
    console.error(`halide-ts bench: ${e.message}`);
    return 1;
  }
}

async function runBench(args: readonly string[]): Promise<number> {
  const o = parseBenchOptions(args);
  if (o === "help") {
    console.log(USAGE);
    return 0;
  }
  const chosen = o.apps.length ? o.apps : [...APPS, ...PENDING_APPS].map((a) => a.name);
  const apps = APPS.filter((a) => chosen.includes(a.name));
  const pending = PENDING_APPS.filter((a) => chosen.includes(a.name));
  const env = environment();
  console.log(
    `halide-ts bench${o.quick ? " --quick" : ""}: ${env.runtime}; libLLVM ${env.libllvm}; ${env.cpu}; ` +
      `HL_NUM_THREADS=${env.hl_num_threads ?? "(cores)"}; load average ${os.loadavg().map((l) => l.toFixed(2)).join(" ")}`,
  );
  const py = o.vsHalide ? findHalidePython() : undefined;
  const halideNote = !o.vsHalide ? "" : py ? `Halide 14 via ${py}` : NO_HALIDE_NOTE;
  if (halideNote) console.log(halideNote);

  // One-time JIT set-up (libLLVM, target, the native runtime), not charged to the first app's compile time.
  const setup0 = performance.now();
  const warm = new hl.Func("jit_warmup"), wx = new hl.Var("x");
  warm.at(wx).set(wx.add(1));
  warm.realize([8]);
  const jitSetupMs = performance.now() - setup0;

  const results: AppResult[] = [];
  const t0 = performance.now();
  for (const [i, app] of apps.entries()) results.push(await benchApp(app, o, py, `[${i + 1}/${apps.length}]`));
  clearProgress();

  console.log("");
  console.log(formatTable(results));
  console.log(
    "min/median in ms after warm-up; Mpix/s = output megapixels per second at the minimum; ×hand = time over the " +
      "hand schedule's; /H14 = our time over Halide 14's for the same schedule (> 1: slower)",
  );
  const gm = halideGeomean(results);
  if (gm) {
    console.log(
      `geometric mean of ours/Halide 14 over ${gm.apps} hand schedule(s): ${gm.min.toFixed(2)} at the minimum, ` +
        `${gm.median.toFixed(2)} at the median`,
    );
  }
  for (const a of results) for (const n of a.notes) console.log(`${a.app}: ${n}`);
  for (const p of pending) console.log(`${p.name}: pending — ${p.pending}`);
  console.log(`one-time JIT set-up ${jitSetupMs.toFixed(0)} ms; total ${((performance.now() - t0) / 1e3).toFixed(1)} s`);

  mkdirSync(path.dirname(o.json), { recursive: true });
  const json = {
    date: new Date().toISOString(),
    options: { quick: o.quick, vs_halide: o.vsHalide, runs: o.runs, min_runs: o.minRuns, warmup: o.warmup },
    environment: { ...env, load_average_after: os.loadavg() },
    halide14: halideNote || null,
    jit_setup_ms: jitSetupMs,
    compile_time_method: "halide-ts: Func.compileJit(); Halide 14: Func.compile_jit(); both after a one-time JIT " +
      "set-up with a trivial pipeline",
    geomean_vs_halide14: gm ?? null,
    apps: results,
    pending: pending.map((p) => ({ app: p.name, summary: p.summary, pending: p.pending })),
  };
  writeFileSync(o.json, JSON.stringify(json, null, 2) + "\n");
  console.log(`wrote ${path.relative(process.cwd(), o.json) || o.json}`);
  return 0;
}

if (import.meta.main) process.exit(await bench(process.argv.slice(2)));
