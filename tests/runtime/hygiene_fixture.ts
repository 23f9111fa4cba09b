// Child process of hygiene.test.ts (it needs an explicit garbage collector): compiles and drops many distinct
// pipelines, and runs many failing calls that allocate, printing JSON figures for the test to check.
import * as hl from "../../mod.ts";
import process from "node:process";

const gc = async () => {
  for (let i = 0; i < 3; i++) {
    const g = (globalThis as { Bun?: { gc(full: boolean): void }; gc?: () => void });
    if (g.Bun) g.Bun.gc(true);
    else g.gc?.();
    await new Promise((r) => setTimeout(r, 5));
  }
};
const rssMB = () => process.memoryUsage().rss / 2 ** 20;
const x = new hl.Var("x"), y = new hl.Var("y");

// 1. Distinct pipelines, each realized once and dropped: the Funcs (and with them the JIT code) are collected.
let collected = 0;
const registry = new FinalizationRegistry(() => collected++);
const pipelines = Number(process.argv[2] ?? 200);
let rssAfterWarmup = 0;
for (let i = 0; i < pipelines; i++) {
  const f = new hl.Func(`distinct_${i}`);
  f.at(x).set(x.mul(i).add(1));
  f.vectorize(x, 8);
  if (f.realize([16]).get([3]) !== 3 * i + 1) throw new Error(`pipeline ${i} computed a wrong value`);
  registry.register(f, i);
  if (i === 50) {
    await gc();
    rssAfterWarmup = rssMB();
  }
}
await gc();
const compileGrowthMB = rssMB() - rssAfterWarmup;

// 2. A pipeline whose 4 MB intermediate is live when a requirement fails: the failure must free it.
const limit = new hl.Param(hl.Int(32), "limit", 1 << 30);
const g = new hl.Func("intermediate"), h = new hl.Func("checked");
g.at(x, y).set(x.add(y));
h.at(x, y).set(hl.require(g.at(x, y).lt(limit), g.at(x, y), "too large"));
g.computeRoot();
const out = new hl.Buffer(hl.Int(32), [1000, 1000]);
h.realize(out);
limit.set(100);
let failures = 0;
await gc();
const before = rssMB();
for (let i = 0; i < 300; i++) {
  try {
    h.realize(out);
  } catch (e) {
    if (e instanceof hl.HalideError && e.message.includes("too large")) failures++;
  }
}
await gc();
const failureGrowthMB = rssMB() - before;
limit.set(1 << 30);
const healthy = h.realize(out).get([5, 7]) === 12;
console.log(JSON.stringify({ pipelines, collected, compileGrowthMB, failures, failureGrowthMB, healthy }));
