/**
 * The Halide 14 side of the benchmark: `bench/halide14/serve.py` in a long-lived Python child process that
 * compiles an app with Halide's own bindings (Debian's `python3-halide`), writes each schedule's output for checking,
 * and answers requests for timed runs, so that its runs interleave with ours.
 *
 * @example
 * ```ts
 * const py = findHalidePython();
 * if (py) {
 *   const server = await HalideServer.start(py, app, inputs, size, ["hand"], 3);
 *   const samples = await server.run("hand", 5);
 *   server.close();
 * }
 * ```
 *
 * @module
 */
import { type ChildProcessWithoutNullStreams, spawn, spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import process from "node:process";
import { createInterface } from "node:readline";
import * as hl from "../mod.ts";
import { type App, dataOf, outputBuffer, type Size } from "./apps/app.ts";

const HERE = path.dirname(new URL(import.meta.url).pathname);

/** What serve.py prints once everything is compiled, run once and warmed up. */
export interface HalideHeader {
  halide_version: string;
  target: string;
  jit_setup_ms: number;
  compiled: { schedule: string; compile_ms: number }[];
}

/**
 * A Python interpreter that can `import halide` (`$HALIDE_PYTHON`, `python3`, `/usr/bin/python3`), or undefined.
 *
 * @example
 * ```ts
 * if (!findHalidePython()) console.log("no python3-halide");
 * ```
 */
export function findHalidePython(): string | undefined {
  for (const py of [process.env.HALIDE_PYTHON, "python3", "/usr/bin/python3"]) {
    if (!py) continue;
    const r = spawnSync(py, ["-c", "import halide"], { stdio: "ignore" });
    if (r.status === 0) return py;
  }
  return undefined;
}

/** The note printed when no Python can import halide. */
export const NO_HALIDE_NOTE = "Halide 14: skipped — no python3 on PATH (nor /usr/bin/python3, nor $HALIDE_PYTHON) can " +
  "`import halide` (Debian: apt-get install python3-halide).";

/** serve.py for one app. */
export class HalideServer {
  readonly #child: ChildProcessWithoutNullStreams;
  readonly #lines: AsyncIterator<string>;
  readonly #dir: string;
  #stderr = "";
  /** Set by {@link start}. */
  header!: HalideHeader;

  private constructor(py: string, dir: string) {
    this.#dir = dir;
    this.#child = spawn(py, [path.join(HERE, "halide14", "serve.py"), dir]);
    this.#child.stderr.on("data", (d: Uint8Array) => void (this.#stderr += new TextDecoder().decode(d)));
    this.#lines = createInterface({ input: this.#child.stdout })[Symbol.asyncIterator]();
  }

  /**
   * Writes the inputs and the manifest, starts serve.py and waits until it has compiled `schedules` (those
   * bench/halide14/<app>.py has) and warmed them up.
   */
  static async start(
    py: string,
    app: App,
    inputs: readonly hl.Buffer[],
    size: Size,
    schedules: readonly string[],
    warmup: number,
  ): Promise<HalideServer> {
    const dir = mkdtempSync(path.join(os.tmpdir(), `halide-ts-bench-${app.name}-`));
    const out = outputBuffer(app, size);
    const files = inputs.map((b, i) => {
      const file = `input${i}.bin`, data = dataOf(b);
      writeFileSync(path.join(dir, file), new Uint8Array(data.buffer, data.byteOffset, data.byteLength));
      return { file, type: `${b.type}`, extents: extentsOf(b) };
    });
    const { type, mins, extents } = app.outputShape(size);
    const manifest = {
      app: app.name,
      inputs: files,
      output: { type: `${type}`, mins, extents, bytes: out.sizeInBytes() },
      schedules,
      warmup,
    };
    writeFileSync(path.join(dir, "manifest.json"), JSON.stringify(manifest));
    const server = new HalideServer(py, dir);
    server.header = JSON.parse(await server.#line()) as HalideHeader;
    return server;
  }

  async #line(): Promise<string> {
    const { value, done } = await this.#lines.next();
    if (done) throw new Error(`bench/halide14/serve.py stopped:\n${this.#stderr}`);
    return value;
  }

  /** Halide's output of `schedule` (after its first run), in a Buffer shaped like the app's output. */
  output(app: App, size: Size, schedule: string): hl.Buffer {
    const out = outputBuffer(app, size, `halide_${schedule}`);
    const data = dataOf(out), bytes = readFileSync(path.join(this.#dir, `halide_${schedule}.bin`));
    new Uint8Array(data.buffer, data.byteOffset, data.byteLength).set(bytes);
    return out;
  }

  /** `n` timed runs of `schedule`, in milliseconds. */
  async run(schedule: string, n: number): Promise<number[]> {
    this.#child.stdin.write(`${schedule} ${n}\n`);
    return (JSON.parse(await this.#line()) as { samples_ms: number[] }).samples_ms;
  }

  /** Stops the child and removes its files. */
  close(): void {
    this.#child.stdin.end("quit\n");
    rmSync(this.#dir, { recursive: true, force: true });
  }
}

function extentsOf(b: hl.Buffer): number[] {
  return Array.from({ length: b.dimensions }, (_, d) => b.dim(d).extent);
}
