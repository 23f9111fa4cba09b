/**
 * Benchmark: the cost of one call of a pipeline compiled ahead of time through its generated TypeScript binding
 * (the `ts` output), against the same pipeline as a JIT Callable and a direct `realize`. The pipeline is tiny
 * (`out(x, y) = in(x, y) + offset` over 4×4 uint8), so the time is almost all per-call overhead: checking and
 * packing the arguments, the FFI call, the native entry's checks. Arguments are `hl.Buffer`s, and (binding only)
 * arrays, which are wrapped with their axes reversed at each call.
 *
 * Timing: `--warmup` calls, then `--rounds` rounds of `--calls` calls each per variant, the variants alternating
 * round by round; the table gives the minimum and median over rounds of the mean time per call, in microseconds.
 *
 * @example
 * ```sh
 * bun bench/aot_call.ts
 * deno run -A bench/aot_call.ts --rounds 30 --calls 20000
 * ```
 *
 * @module
 */
import { mkdtempSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import process from "node:process";
import { pathToFileURL } from "node:url";
import * as hl from "../mod.ts";

function option(name: string, fallback: number): number {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? Number(process.argv[i + 1]) : fallback;
}
const rounds = option("rounds", 20), calls = option("calls", 10000), warmup = option("warmup", 2000);

const x = new hl.Var("x"), y = new hl.Var("y");
const input = new hl.ImageParam(hl.UInt(8), 2, "input");
const offset = new hl.Param(hl.UInt(8), "offset");
const f = new hl.Func("add_offset");
f.at(x, y).set(input.at(x, y).add(offset));

const dir = mkdtempSync(path.join(os.tmpdir(), "halide-ts-bench-"));
f.compileTo({ ts: path.join(dir, "add_offset.ts") }, [input, offset], "add_offset");
const binding = (await import(pathToFileURL(path.join(dir, "add_offset.ts")).href)).add_offset as hl.Callable;
const jit = f.compileToCallable([input, offset]);

const inBuf = new hl.Buffer(hl.UInt(8), [4, 4]).fill(7), outBuf = new hl.Buffer(hl.UInt(8), [4, 4]);
const inArray = { data: new Uint8Array(16).fill(7), shape: [4, 4] }, outArray = { data: new Uint8Array(16), shape: [4, 4] };

const variants: [string, () => void][] = [
  ["ts binding, hl.Buffer", () => binding(inBuf, 3, outBuf)],
  ["ts binding, arrays", () => binding(inArray, 3, outArray)],
  ["JIT Callable, hl.Buffer", () => jit(inBuf, 3, outBuf)],
  ["realize into hl.Buffer", () => {
    input.set(inBuf);
    offset.set(3);
    f.realize(outBuf);
  }],
];

for (const [, run] of variants) for (let i = 0; i < warmup; i++) run();
if (outBuf.get([1, 1]) !== 10 || outArray.data[5] !== 10) throw new Error("wrong result");

const samples = new Map<string, number[]>(variants.map(([name]) => [name, []]));
for (let r = 0; r < rounds; r++) {
  for (const [name, run] of variants) {
    const t0 = performance.now();
    for (let i = 0; i < calls; i++) run();
    samples.get(name)!.push(((performance.now() - t0) * 1000) / calls);
  }
}

const runtime = "Bun" in globalThis ? `Bun ${(globalThis as { Bun?: { version: string } }).Bun!.version}` : `Deno ${Deno.version.deno}`;
console.log(`per-call time in µs, ${runtime}, ${rounds} rounds × ${calls} calls (4×4 uint8 pipeline)`);
console.log(`${"variant".padEnd(26)}${"min".padStart(8)}${"median".padStart(8)}`);
for (const [name, times] of samples) {
  const sorted = [...times].sort((a, b) => a - b);
  console.log(`${name.padEnd(26)}${sorted[0].toFixed(2).padStart(8)}${sorted[Math.floor(sorted.length / 2)].toFixed(2).padStart(8)}`);
}
rmSync(dir, { recursive: true, force: true });
