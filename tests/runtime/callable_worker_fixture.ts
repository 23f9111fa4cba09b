/**
 * Worker of callable.test.ts: on a message `{ id, calls, parallel }` it compiles its own Callable
 * (`f(x, y) = in(x, y) * k + id`, vectorized, and parallel over y if asked), calls it `calls` times with k = 0, 1,
 * …, checks every result, and answers `{ id, bad, calls, microsPerCall }` (or `{ id, error }`).
 *
 * It also posts `{ ready: true }` once its handler is installed. The test posts its job before that: halide-ts loads
 * without top-level await, so the message must not be lost while the Worker imports it.
 *
 * @module
 */
import * as hl from "../../mod.ts";

// deno-lint-ignore no-explicit-any
const scope = self as any;

scope.onmessage = (ev: MessageEvent) => {
  const { id, calls, parallel } = ev.data as { id: number; calls: number; parallel: boolean };
  try {
    const x = new hl.Var("x"), y = new hl.Var("y");
    const input = new hl.ImageParam(hl.Int(32), 2, "input");
    const k = new hl.Param(hl.Int(32), "k");
    const f = new hl.Func(`worker_${id}`);
    f.at(x, y).set(input.at(x, y).mul(k).add(id));
    f.vectorize(x, 8);
    if (parallel) f.parallel(y);
    const run = f.compileToCallable([input, k]);
    const w = 32, h = 16;
    const inBuf = new hl.Buffer(hl.Int(32), [w, h]);
    inBuf.forEachElement(([i, j]) => inBuf.set([i, j], i + 100 * j));
    const out = new hl.Buffer(hl.Int(32), [w, h]);
    let bad = 0;
    const t0 = performance.now();
    for (let n = 0; n < calls; n++) {
      run(inBuf, n, out);
      // Spot checks each call (all corners), a full check every 64 calls.
      const ok = out.get([0, 0]) === id && out.get([w - 1, 0]) === (w - 1) * n + id &&
        out.get([0, h - 1]) === 100 * (h - 1) * n + id && out.get([w - 1, h - 1]) === (w - 1 + 100 * (h - 1)) * n + id;
      if (!ok) bad++;
      if (n % 64 === 0) {
        out.forEachElement(([i, j]) => {
          if (out.get([i, j]) !== (i + 100 * j) * n + id) bad++;
        });
      }
    }
    const microsPerCall = ((performance.now() - t0) * 1000) / calls;
    scope.postMessage({ id, bad, calls, microsPerCall });
  } catch (e) {
    scope.postMessage({ id, error: e instanceof Error ? `${e.name}: ${e.message}` : String(e) });
  }
};
scope.postMessage({ ready: true });
