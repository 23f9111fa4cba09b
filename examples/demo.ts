/**
 * The main demo: the first example of Halide's Python documentation, scheduled `vectorize(x, 8).parallel(y)`,
 * JIT-compiled and realized on 512×512×3,
 * written to `out/example.png`, with the JIT compile time and the realize time, next to the same computation as
 * a plain TypeScript loop.
 *
 *   bun examples/demo.ts          (or: npm run demo)
 *   deno run -A examples/demo.ts
 */
import { mkdirSync } from "node:fs";
import * as hl from "../mod.ts";
import { imwrite } from "../imageio.ts";

const edge = 512;
const k = 20 / edge;

// Algorithm: f(x, y, c) = u8(sin(x·((c+1)/3)·k) · cos(y·((c+1)/3)·k) · 255).
// JavaScript cannot tell 3.0 from 3, so the float literal is written hl.f32(3).
const x = new hl.Var("x"), y = new hl.Var("y"), c = new hl.Var("c");
const f = new hl.Func("f");
const e = hl.sin(x.mul(c.add(1).div(hl.f32(3))).mul(k)).mul(hl.cos(y.mul(c.add(1).div(hl.f32(3))).mul(k)));
f.at(x, y, c).set(hl.cast(hl.UInt(8), e.mul(255)));

// Schedule: 8-wide SIMD vectors along x, rows in parallel on the native thread pool.
f.vectorize(x, 8).parallel(y);

// The first realize JIT-compiles the pipeline; later ones reuse the compiled code.
let t = performance.now();
f.realize([8, 8, 3]);
const compileMs = performance.now() - t;
const runs = 20;
const times: number[] = [];
let buf = f.realize([edge, edge, 3]);
for (let i = 0; i < runs; i++) {
  t = performance.now();
  buf = f.realize([edge, edge, 3]);
  times.push(performance.now() - t);
}

// The same computation as a plain TypeScript loop, float32 like the pipeline.
const plain = new Uint8Array(edge * edge * 3);
const plainTimes: number[] = [];
for (let i = 0; i < Math.min(runs, 5); i++) {
  t = performance.now();
  for (let ch = 0; ch < 3; ch++) {
    const s = Math.fround(Math.fround(ch + 1) / 3);
    for (let yy = 0; yy < edge; yy++) {
      const cy = Math.fround(Math.cos(Math.fround(Math.fround(yy * s) * Math.fround(k))));
      for (let xx = 0; xx < edge; xx++) {
        const sx = Math.fround(Math.sin(Math.fround(Math.fround(xx * s) * Math.fround(k))));
        plain[(ch * edge + yy) * edge + xx] = Math.trunc(Math.fround(Math.fround(sx * cy) * 255));
      }
    }
  }
  plainTimes.push(performance.now() - t);
}

// The pipeline and the loop agree wherever float32 sin/cos round the same way (libm and JavaScript may differ
// by an ulp, which can move a pixel by one).
let same = 0;
for (let ch = 0; ch < 3; ch++) {
  for (let yy = 0; yy < edge; yy++) {
    for (let xx = 0; xx < edge; xx++) if (buf.get([xx, yy, ch]) === plain[(ch * edge + yy) * edge + xx]) same++;
  }
}

mkdirSync("out", { recursive: true });
imwrite("out/example.png", buf);

const min = (a: number[]) => Math.min(...a);
const median = (a: number[]) => [...a].sort((p, q) => p - q)[a.length >> 1];
const runtime = "Bun" in globalThis ? `Bun ${(globalThis as { Bun?: { version: string } }).Bun!.version}` : "Deno";
console.log(`halide-ts demo on ${runtime}: f(x, y, c) over ${edge}×${edge}×3, written to out/example.png`);
console.log(`  JIT compile:              ${compileMs.toFixed(1)} ms`);
console.log(`  realize (min / median):   ${min(times).toFixed(2)} / ${median(times).toFixed(2)} ms over ${runs} runs`);
console.log(`  plain TypeScript loop:    ${min(plainTimes).toFixed(2)} / ${median(plainTimes).toFixed(2)} ms`);
console.log(`  speed-up (min):           ${(min(plainTimes) / min(times)).toFixed(1)}×`);
console.log(`  pixels equal to the loop: ${same} of ${3 * edge * edge}`);
