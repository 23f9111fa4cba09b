/**
 * Benchmark: the 3×3 uint16 box blur of Halide's `apps/blur`, on a 1536×2560 input, under several schedules,
 * against a plain TypeScript implementation and — when Python can import `halide` — against Halide itself
 * (`bench/blur_halide.py`, same algorithm, same schedules, same timing method).
 *
 * ```
 * blur_x(x, y) = (input(x, y) + input(x+1, y) + input(x+2, y)) / 3
 * blur_y(x, y) = (blur_x(x, y) + blur_x(x, y+1) + blur_x(x, y+2)) / 3      over (1536-2) × (2560-2)
 * ```
 *
 * As in `apps/blur`, the stencil reads to the right and downwards and the output is 2 pixels smaller than the
 * input in each dimension, so no boundary condition is needed. Every output is checked against the plain
 * TypeScript one before anything is timed (and again after). Timing: `--warmup` untimed runs, then `--runs` timed
 * runs of `realize` into a preallocated output, taken in rounds of five that alternate between halide-ts, Halide
 * (a long-lived Python child process answering requests) and plain TypeScript, so that load from other processes
 * on the machine falls on all of them alike. The table reports the minimum (Halide's convention) and the median,
 * megapixels of output per second at the minimum, and the JIT compile time. halide-ts has no public
 * `compileJit` yet, so its compile time is the first `realize` minus the median steady-state `realize`; both
 * sides first compile a trivial pipeline so that one-time JIT set-up is reported apart. Results also go to a
 * JSON file (default `out/bench_blur.json`).
 *
 * @example
 * ```sh
 * bun bench/blur.ts --runs 30            # or: npm run bench:blur -- --runs 30
 * deno run -A bench/blur.ts --runs 30
 * bun bench/blur.ts --dump out/blur_ir   # also writes our LLVM IR (HALIDE_TS_DUMP) and Halide's .stmt/.ll/.s
 * ```
 *
 * @module
 */
import { type ChildProcessWithoutNullStreams, spawn, spawnSync } from "node:child_process";
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import process from "node:process";
import { createInterface } from "node:readline";
import * as hl from "../mod.ts";

/** Command-line options. */
interface Options {
  runs: number;
  warmup: number;
  width: number;
  height: number;
  json: string;
  halide: boolean;
  dump: string;
}

/** Timings of one implementation, in milliseconds. */
interface Timing {
  min_ms: number;
  median_ms: number;
  mpix_per_s: number;
  compile_ms: number | null;
  samples_ms: number[];
}

/** One schedule, run by halide-ts and (optionally) by Halide. */
interface Row {
  schedule: string;
  description: string;
  ours: Timing;
  halide: Timing | null;
}

/** The first line `bench/blur_halide.py --serve` prints. */
interface HalideHeader {
  halide_version: string;
  target: string;
  jit_setup_ms: number;
  compiled: { schedule: string; compile_ms: number }[];
}

const HERE = path.dirname(new URL(import.meta.url).pathname);
const ROOT = path.resolve(HERE, "..");

function parseOptions(argv: readonly string[]): Options {
  const o: Options = {
    runs: 30,
    warmup: 3,
    width: 1536,
    height: 2560,
    json: path.join(ROOT, "out", "bench_blur.json"),
    halide: true,
    dump: "",
  };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i],
      next = () => {
        const v = argv[++i];
        if (v === undefined) throw new Error(`${a} needs a value`);
        return v;
      };
    const positive = (v: string) => {
      const n = Number(v);
      if (!Number.isInteger(n) || n < 1) throw new Error(`${a} needs a positive integer, got ${v}`);
      return n;
    };
    if (a === "--runs") o.runs = positive(next());
    else if (a === "--warmup") o.warmup = positive(next());
    else if (a === "--width") o.width = positive(next());
    else if (a === "--height") o.height = positive(next());
    else if (a === "--json") o.json = path.resolve(next());
    else if (a === "--dump") o.dump = path.resolve(next());
    else if (a === "--no-halide") o.halide = false;
    else if (a === "-h" || a === "--help") {
      console.log(
        "usage: bench/blur.ts [--runs N] [--warmup N] [--width W] [--height H] [--json FILE] [--dump DIR] [--no-halide]",
      );
      process.exit(0);
    } else throw new Error(`unknown option ${a}`);
  }
  if (o.width < 20 || o.height < 36) throw new Error("the input must be at least 20×36 (vectors of 16, strips of 32)");
  return o;
}

// ---------------------------------------------------------------------------------------------------------------
// The algorithm and its schedules

/** The schedules compared, in table order. The names match `blur_halide.py`. */
const SCHEDULES: readonly { name: string; description: string; apply: (s: BlurFuncs) => void }[] = [
  {
    name: "apps_blur",
    description: "apps/blur CPU schedule: blur_y.split(y,y,yi,32).parallel(y).vectorize(x,16); " +
      "blur_x.storeAt(blur_y,y).computeAt(blur_y,x).vectorize(x,16)",
    apply: ({ blurX, blurY, x, y, yi }) => {
      blurY.split(y, y, yi, 32).parallel(y).vectorize(x, 16);
      blurX.storeAt(blurY, y).computeAt(blurY, x).vectorize(x, 16);
    },
  },
  {
    name: "strip",
    description: "same strips, blur_x.computeAt(blur_y,y).vectorize(x,16): 34 rows of blur_x per 32 output rows",
    apply: ({ blurX, blurY, x, y, yi }) => {
      blurY.split(y, y, yi, 32).parallel(y).vectorize(x, 16);
      blurX.computeAt(blurY, y).vectorize(x, 16);
    },
  },
  {
    name: "inline",
    description:
      "default schedule: blur_x inlined, serial loops, no vectorize (LLVM's loop vectorizer still vectorizes them)",
    apply: () => {},
  },
  {
    name: "root",
    description: "blur_x.computeRoot(), serial loops, no vectorize (LLVM's loop vectorizer still vectorizes them)",
    apply: ({ blurX }) => void blurX.computeRoot(),
  },
];

interface BlurFuncs {
  blurX: hl.Func;
  blurY: hl.Func;
  x: hl.Var;
  y: hl.Var;
  yi: hl.Var;
}

/** A fresh blur pipeline reading `input` (the same definition as apps/blur). */
function defineBlur(input: hl.Buffer): BlurFuncs {
  const x = new hl.Var("x"), y = new hl.Var("y"), yi = new hl.Var("yi");
  const blurX = new hl.Func("blur_x"), blurY = new hl.Func("blur_y");
  blurX.at(x, y).set(input.at(x, y).add(input.at(x.add(1), y)).add(input.at(x.add(2), y)).div(3));
  blurY.at(x, y).set(blurX.at(x, y).add(blurX.at(x, y.add(1))).add(blurX.at(x, y.add(2))).div(3));
  return { blurX, blurY, x, y, yi };
}

/**
 * The plain TypeScript blur (two passes through a full-size temporary, as apps/blur's `test.cpp` reference).
 * uint16 sums wrap, as they do in Halide.
 */
function blurPlain(src: Uint16Array, w: number, h: number, tmp: Uint16Array, dst: Uint16Array): void {
  const ow = w - 2, oh = h - 2;
  for (let y = 0; y < h; y++) {
    const row = y * w, trow = y * ow;
    for (let x = 0; x < ow; x++) {
      tmp[trow + x] = ((src[row + x] + src[row + x + 1] + src[row + x + 2]) & 0xffff) / 3;
    }
  }
  for (let y = 0; y < oh; y++) {
    const r0 = y * ow, r1 = r0 + ow, r2 = r1 + ow;
    for (let x = 0; x < ow; x++) dst[r0 + x] = ((tmp[r0 + x] + tmp[r1 + x] + tmp[r2 + x]) & 0xffff) / 3;
  }
}

// ---------------------------------------------------------------------------------------------------------------
// Timing helpers

function median(xs: readonly number[]): number {
  const s = [...xs].sort((a, b) => a - b), m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
}

/** `n` timed calls of `fn`, in milliseconds. */
function timeRuns(fn: () => void, n: number): number[] {
  const samples: number[] = [];
  for (let i = 0; i < n; i++) {
    const t0 = performance.now();
    fn();
    samples.push(performance.now() - t0);
  }
  return samples;
}

function timing(samples: number[], pixels: number, compileMs: number | null): Timing {
  const min = Math.min(...samples);
  return {
    min_ms: min,
    median_ms: median(samples),
    mpix_per_s: pixels / 1e6 / (min / 1e3),
    compile_ms: compileMs,
    samples_ms: samples,
  };
}

/** Index of the first element where `a` and `b` differ, or -1. */
function firstDifference(a: Uint16Array, b: Uint16Array): number {
  if (a.length !== b.length) return 0;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return i;
  return -1;
}

function check(label: string, got: Uint16Array, want: Uint16Array, ow: number): void {
  const i = firstDifference(got, want);
  if (i >= 0) {
    throw new Error(
      `${label}: output differs from the plain TypeScript blur at (${i % ow}, ${Math.floor(i / ow)}): ` +
        `${got[i]} != ${want[i]}`,
    );
  }
}

/** The dense uint16 data of a Buffer created with `new hl.Buffer(hl.UInt(16), sizes)`. */
function u16Data(b: hl.Buffer): Uint16Array {
  const { data } = b.asNdArray();
  if (!(data instanceof Uint16Array)) throw new Error("expected a Uint16Array");
  return data;
}

// ---------------------------------------------------------------------------------------------------------------
// Halide (Python) and environment

/** A Python interpreter that can `import halide`, or undefined. */
function findHalidePython(): string | undefined {
  for (const py of [process.env.HALIDE_PYTHON, "python3", "/usr/bin/python3"]) {
    if (!py) continue;
    const r = spawnSync(py, ["-c", "import halide"], { stdio: "ignore" });
    if (r.status === 0) return py;
  }
  return undefined;
}

/**
 * `bench/blur_halide.py --serve` as a child process: it compiles every schedule, writes each output to `dir`
 * and then answers requests for timed runs, so that its runs can be interleaved with ours.
 */
class HalideServer {
  readonly #child: ChildProcessWithoutNullStreams;
  readonly #lines: AsyncIterator<string>;
  #stderr = "";

  constructor(py: string, input: Uint16Array, o: Options, dir: string) {
    const inFile = path.join(dir, "input.u16");
    writeFileSync(inFile, new Uint8Array(input.buffer, input.byteOffset, input.byteLength));
    this.#child = spawn(py, [
      path.join(HERE, "blur_halide.py"),
      "--input",
      inFile,
      "--width",
      `${o.width}`,
      "--height",
      `${o.height}`,
      "--warmup",
      `${o.warmup}`,
      "--out-dir",
      dir,
      "--serve",
      ...(o.dump ? ["--dump", o.dump] : []),
    ]);
    this.#child.stderr.on("data", (d: Uint8Array) => void (this.#stderr += new TextDecoder().decode(d)));
    this.#lines = createInterface({ input: this.#child.stdout })[Symbol.asyncIterator]();
  }

  async #line(): Promise<string> {
    const { value, done } = await this.#lines.next();
    if (done) throw new Error(`blur_halide.py stopped:\n${this.#stderr}`);
    return value;
  }

  /** The header: version, target, compile times (after every schedule has been compiled and run once). */
  async header(): Promise<HalideHeader> {
    return JSON.parse(await this.#line()) as HalideHeader;
  }

  /** `n` timed runs of `schedule`, in milliseconds. */
  async run(schedule: string, n: number): Promise<number[]> {
    this.#child.stdin.write(`${schedule} ${n}\n`);
    return (JSON.parse(await this.#line()) as { samples_ms: number[] }).samples_ms;
  }

  close(): void {
    this.#child.stdin.end("quit\n");
  }
}

function readU16(file: string): Uint16Array {
  const bytes = readFileSync(file);
  return new Uint16Array(bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength));
}

/** `halide-ts info` (runtime, libLLVM, host CPU) run as a child process with the current runtime. */
function halideTsInfo(): Record<string, string> {
  const cli = path.join(ROOT, "cli.ts");
  const isDeno = "Deno" in globalThis;
  const r = spawnSync(process.execPath, isDeno ? ["run", "-A", cli, "info"] : [cli, "info"], { encoding: "utf8" });
  const info: Record<string, string> = {};
  for (const line of (r.stdout ?? "").split("\n")) {
    const m = /^(\w+):\s+(.*)$/.exec(line);
    if (m && m[1] !== "features") info[m[1]] = m[2];
  }
  return info;
}

// ---------------------------------------------------------------------------------------------------------------
// Table

function fmt(n: number | null | undefined, digits = 2): string {
  return n === null || n === undefined ? "—" : n.toFixed(digits);
}

function printTable(rows: readonly Row[], plain: Timing, halideNote: string): void {
  const header = [
    "schedule",
    "ours min",
    "ours med",
    "ours Mpix/s",
    "ours compile",
    "H14 min",
    "H14 med",
    "H14 Mpix/s",
    "H14 compile",
    "ours/H14 min",
    "ours/H14 med",
    "TS/ours min",
  ];
  const lines = rows.map((r) => [
    r.schedule,
    fmt(r.ours.min_ms, 3),
    fmt(r.ours.median_ms, 3),
    fmt(r.ours.mpix_per_s, 0),
    fmt(r.ours.compile_ms, 0),
    fmt(r.halide?.min_ms, 3),
    fmt(r.halide?.median_ms, 3),
    fmt(r.halide?.mpix_per_s, 0),
    fmt(r.halide?.compile_ms, 0),
    r.halide ? fmt(r.ours.min_ms / r.halide.min_ms) + "×" : "—",
    r.halide ? fmt(r.ours.median_ms / r.halide.median_ms) + "×" : "—",
    fmt(plain.min_ms / r.ours.min_ms, 1) + "×",
  ]);
  lines.push([
    "plain TS",
    fmt(plain.min_ms, 3),
    fmt(plain.median_ms, 3),
    fmt(plain.mpix_per_s, 0),
    "—",
    "",
    "",
    "",
    "",
    "",
    "",
    "1.0×",
  ]);
  const widths = header.map((h, i) => Math.max(h.length, ...lines.map((l) => l[i].length)));
  const row = (cells: readonly string[]) =>
    cells.map((c, i) => (i === 0 ? c.padEnd(widths[i]) : c.padStart(widths[i]))).join("  ");
  console.log(row(header));
  console.log(widths.map((w) => "-".repeat(w)).join("  "));
  for (const l of lines) console.log(row(l));
  console.log(
    "times in ms; Mpix/s = output megapixels per second at the minimum; compile in ms (ours: first realize − median realize; H14: compile_jit)",
  );
  console.log("ours/H14 > 1 means halide-ts is slower; TS/ours = speed-up over the plain TypeScript blur");
  if (halideNote) console.log(halideNote);
}

// ---------------------------------------------------------------------------------------------------------------

/** Timed runs per implementation per round; rounds alternate between implementations. */
const RUNS_PER_ROUND = 5;

async function main(): Promise<void> {
  const o = parseOptions(process.argv.slice(2));
  if (o.dump) {
    mkdirSync(o.dump, { recursive: true });
    process.env.HALIDE_TS_DUMP = o.dump; // read by the compiler at each JIT compilation
  }
  const { width: w, height: h } = o, ow = w - 2, oh = h - 2, pixels = ow * oh;
  const runtime = "Deno" in globalThis ? `deno ${process.versions.deno}` : `bun ${process.versions.bun}`;
  const info = halideTsInfo();
  const loadBefore = os.loadavg();
  console.log(
    `blur ${w}×${h} uint16 → ${ow}×${oh}; ${o.warmup} warm-up + ${o.runs} timed runs each, interleaved in ` +
      `rounds of ${RUNS_PER_ROUND}; ${runtime}; libLLVM ${info.libLLVM ?? "?"}; ${os.cpus()[0]?.model ?? "?"} × ` +
      `${os.cpus().length}; HL_NUM_THREADS=${process.env.HL_NUM_THREADS ?? "(cores)"}; load average ` +
      loadBefore.map((l) => l.toFixed(2)).join(" "),
  );

  // Input: deterministic full-range uint16 noise (so the uint16 sums do wrap, and that is checked too).
  const input = new hl.Buffer(hl.UInt(16), [w, h], "input");
  const src = u16Data(input);
  let s = 0x9e3779b9;
  for (let i = 0; i < src.length; i++) {
    s ^= s << 13, s ^= s >>> 17, s ^= s << 5;
    src[i] = s & 0xffff;
  }

  // Plain TypeScript: the reference, and a row of the table.
  const tmp = new Uint16Array(ow * h), want = new Uint16Array(ow * oh), plainOut = new Uint16Array(ow * oh);
  blurPlain(src, w, h, tmp, want);
  const runPlain = () => blurPlain(src, w, h, tmp, plainOut);
  timeRuns(runPlain, o.warmup);
  check("plain TS (after warm-up)", plainOut, want, ow);

  // One-time JIT set-up (libLLVM, target, the native runtime module), measured apart so that it is not charged to
  // the first schedule's compile time. blur_halide.py does the same for Halide.
  const setup0 = performance.now();
  const warm = new hl.Func("jit_warmup"), wx = new hl.Var("x");
  warm.at(wx).set(wx.add(1));
  warm.realize([8]);
  const jitSetupMs = performance.now() - setup0;

  // halide-ts: each schedule on fresh Funcs, compiled (first realize), checked, warmed up.
  const ours = SCHEDULES.map(({ name, description, apply }) => {
    const funcs = defineBlur(input);
    apply(funcs);
    const out = new hl.Buffer(hl.UInt(16), [ow, oh], "out");
    const t0 = performance.now();
    funcs.blurY.realize(out); // compiles
    const first = performance.now() - t0;
    check(`halide-ts ${name}`, u16Data(out), want, ow);
    out.fill(0);
    const run = () => void funcs.blurY.realize(out);
    const steady = timeRuns(run, Math.max(o.warmup, 3));
    check(`halide-ts ${name} (after warm-up)`, u16Data(out), want, ow);
    return { name, description, run, out, compileMs: Math.max(0, first - median(steady)), samples: [] as number[] };
  });

  // Halide through Python, when available: compiled, checked and warmed up in its own process.
  let halideNote = "", header: HalideHeader | null = null, server: HalideServer | null = null;
  const halideSamples = new Map<string, number[]>();
  const py = o.halide ? findHalidePython() : undefined;
  const dir = mkdtempSync(path.join(os.tmpdir(), "halide-ts-blur-"));
  try {
    if (!o.halide) halideNote = "Halide: skipped (--no-halide).";
    else if (!py) {
      halideNote =
        "Halide: skipped — no python3 on PATH (nor /usr/bin/python3, nor $HALIDE_PYTHON) can `import halide` " +
        "(Debian: apt-get install python3-halide).";
    } else {
      server = new HalideServer(py, src, o, dir);
      header = await server.header();
      for (const c of header.compiled) {
        check(`Halide ${c.schedule}`, readU16(path.join(dir, `halide_${c.schedule}.u16`)), want, ow);
        halideSamples.set(c.schedule, []);
      }
      halideNote = `H14 = Halide ${header.halide_version} via ${py} (target ${header.target}); every output verified.`;
    }

    // Timed rounds: every implementation gets RUNS_PER_ROUND runs per round, in an order that alternates, so
    // that load from other processes falls on all of them alike.
    const plainSamples: number[] = [];
    for (let done = 0, round = 0; done < o.runs; done += RUNS_PER_ROUND, round++) {
      const n = Math.min(RUNS_PER_ROUND, o.runs - done);
      plainSamples.push(...timeRuns(runPlain, n));
      for (const impl of ours) {
        const theirs = halideSamples.get(impl.name);
        if (round % 2 === 0) impl.samples.push(...timeRuns(impl.run, n));
        if (server && theirs) theirs.push(...await server.run(impl.name, n));
        if (round % 2 === 1) impl.samples.push(...timeRuns(impl.run, n));
      }
    }
    check("plain TS (after timing)", plainOut, want, ow);
    for (const impl of ours) check(`halide-ts ${impl.name} (after timing)`, u16Data(impl.out), want, ow);

    const plain = timing(plainSamples, pixels, null);
    const rows: Row[] = ours.map((impl) => {
      const theirs = halideSamples.get(impl.name);
      const compiled = header?.compiled.find((c) => c.schedule === impl.name);
      return {
        schedule: impl.name,
        description: impl.description,
        ours: timing(impl.samples, pixels, impl.compileMs),
        halide: theirs && compiled ? timing(theirs, pixels, compiled.compile_ms) : null,
      };
    });

    console.log("");
    printTable(rows, plain, halideNote);
    console.log(
      `one-time JIT set-up before the first pipeline (not in the compile column): ours ${jitSetupMs.toFixed(0)} ms` +
        (header ? `, Halide ${header.jit_setup_ms.toFixed(0)} ms` : ""),
    );
    console.log(
      `load average after: ${os.loadavg().map((l) => l.toFixed(2)).join(" ")} (other processes share these cores)`,
    );
    console.log("schedules:");
    for (const r of rows) console.log(`  ${r.schedule.padEnd(10)} ${r.description}`);

    mkdirSync(path.dirname(o.json), { recursive: true });
    writeFileSync(
      o.json,
      JSON.stringify(
        {
          benchmark: "blur",
          date: new Date().toISOString(),
          input: [w, h],
          output: [ow, oh],
          runs: o.runs,
          warmup: o.warmup,
          runs_per_round: RUNS_PER_ROUND,
          runtime,
          halide_ts: info,
          cpu: os.cpus()[0]?.model,
          cores: os.cpus().length,
          hl_num_threads: process.env.HL_NUM_THREADS ?? null,
          load_average_before: loadBefore,
          load_average_after: os.loadavg(),
          halide: header &&
            { version: header.halide_version, target: header.target, jit_setup_ms: header.jit_setup_ms },
          halide_note: halideNote,
          compile_time_method: "ours: first realize minus the median steady-state realize; Halide: compile_jit(); " +
            "both after a one-time JIT set-up with a trivial pipeline (jit_setup_ms)",
          jit_setup_ms: jitSetupMs,
          plain_ts: plain,
          schedules: rows,
        },
        null,
        2,
      ) + "\n",
    );
    console.log(`\nwrote ${path.relative(process.cwd(), o.json) || o.json}${o.dump ? `; IR dumps in ${o.dump}` : ""}`);
  } finally {
    server?.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

await main();
