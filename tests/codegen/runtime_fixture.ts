/**
 * Test fixture for the thread-pool runtime: JIT-compiles small IR modules that call `halide_do_par_for`, and
 * wraps them for JavaScript. Imported by `runtime.test.ts`; run as a script it is the child process of the
 * `HL_NUM_THREADS` tests and prints one JSON line describing what it observed.
 *
 * @module
 */
import { readdirSync } from "node:fs";
import { cString, native } from "../../ffi/native.ts";
import {
  addToJit,
  createTargetMachine,
  dataLayoutOf,
  ensureJitRuntime,
  hostLLVMTarget,
  type JitModule,
  llvm,
  newModuleContext,
  optimizeModule,
  outCell,
  takeMessage,
  verifyModule,
} from "../../src/codegen/llvm_target.ts";
import { parForDeclaration } from "../../src/codegen/runtime.ts";

let serial = 0;

/**
 * Parses, verifies, optimizes (O3) and JIT-compiles IR text. Every `@$` in the text becomes a prefix unique to
 * this module (all modules share one JITDylib, so names must not repeat). Returns the module and its prefix.
 */
export function jitIR(text: string): { jm: JitModule; prefix: string } {
  ensureJitRuntime();
  const prefix = `rt_test${++serial}_`;
  const { fn } = llvm();
  const target = hostLLVMTarget();
  const tm = createTargetMachine(target);
  const mc = newModuleContext();
  const bytes = cString(text.replaceAll("@$", `@${prefix}`));
  const buf = fn.LLVMCreateMemoryBufferWithMemoryRangeCopy(bytes, bytes.length - 1, prefix);
  const modOut = outCell(), msgOut = outCell();
  const failed = fn.LLVMParseIRInContext(mc.ctx, buf, modOut, msgOut);
  const msg = takeMessage(fn, native.handleAt(msgOut[0]));
  if (failed) throw new Error(`test IR does not parse: ${msg}`);
  const mod = native.handleAt(modOut[0]);
  fn.LLVMSetTarget(mod, target.triple);
  fn.LLVMSetDataLayout(mod, dataLayoutOf(tm));
  verifyModule(mod);
  optimizeModule(mod, tm);
  fn.LLVMDisposeTargetMachine(tm);
  return { jm: addToJit(mod, mc), prefix };
}

/**
 * `@$run(ptr args)` calls `halide_do_par_for(@$task, min, extent, closure = args)`; args are i64 slots:
 * 0 counts (i32[extent], atomically incremented per index), 1 out (i32[extent] ← index * 2), 2 thread ids
 * (i64[extent] ← pthread_self(), or 0), 3 min, 4 extent, 5..6 [failFrom, failTo): indices that return
 * -1 - (index - min), 7 microseconds each task sleeps.
 *
 * `@$nested(ptr args)` runs one parallel loop per level, each task of a level running the next level's loop;
 * args: 0 counts (one i32 per leaf, row-major over the levels), 1 extents (i32[levels]), 2 levels,
 * 3 leaf that fails with -7 (or -1), 4 microseconds each leaf sleeps.
 */
const testModule = String.raw`
${parForDeclaration}
declare i64 @pthread_self()
declare i32 @usleep(i32)

define internal i32 @$task(ptr %uc, i32 %i, ptr %cl) {
entry:
  %counts = load ptr, ptr %cl, align 8
  %outs.p = getelementptr inbounds i64, ptr %cl, i64 1
  %outs = load ptr, ptr %outs.p, align 8
  %tids.p = getelementptr inbounds i64, ptr %cl, i64 2
  %tids = load ptr, ptr %tids.p, align 8
  %min.p = getelementptr inbounds i64, ptr %cl, i64 3
  %min64 = load i64, ptr %min.p, align 8
  %min = trunc i64 %min64 to i32
  %k = sub i32 %i, %min
  %k64 = sext i32 %k to i64
  %cp = getelementptr inbounds i32, ptr %counts, i64 %k64
  %old = atomicrmw add ptr %cp, i32 1 seq_cst
  %v = mul i32 %i, 2
  %op = getelementptr inbounds i32, ptr %outs, i64 %k64
  store i32 %v, ptr %op, align 4
  %want.tid = icmp ne ptr %tids, null
  br i1 %want.tid, label %tid, label %sleep.check
tid:
  %self = call i64 @pthread_self()
  %tp = getelementptr inbounds i64, ptr %tids, i64 %k64
  store i64 %self, ptr %tp, align 8
  br label %sleep.check
sleep.check:
  %us.p = getelementptr inbounds i64, ptr %cl, i64 7
  %us64 = load i64, ptr %us.p, align 8
  %us = trunc i64 %us64 to i32
  %nap = icmp ne i32 %us, 0
  br i1 %nap, label %sleep, label %fail.check
sleep:
  %z = call i32 @usleep(i32 %us)
  br label %fail.check
fail.check:
  %lo.p = getelementptr inbounds i64, ptr %cl, i64 5
  %lo = load i64, ptr %lo.p, align 8
  %hi.p = getelementptr inbounds i64, ptr %cl, i64 6
  %hi = load i64, ptr %hi.p, align 8
  %i64 = sext i32 %i to i64
  %ge = icmp sge i64 %i64, %lo
  %lt = icmp slt i64 %i64, %hi
  %fails = and i1 %ge, %lt
  br i1 %fails, label %fail, label %ok
fail:
  %code = sub i32 -1, %k
  ret i32 %code
ok:
  ret i32 0
}

define i32 @$run(ptr %args) {
entry:
  %min.p = getelementptr inbounds i64, ptr %args, i64 3
  %min64 = load i64, ptr %min.p, align 8
  %min = trunc i64 %min64 to i32
  %ext.p = getelementptr inbounds i64, ptr %args, i64 4
  %ext64 = load i64, ptr %ext.p, align 8
  %ext = trunc i64 %ext64 to i32
  %r = call i32 @halide_do_par_for(ptr null, ptr @$task, i32 %min, i32 %ext, ptr %args)
  ret i32 %r
}

; Closure of one level: { ptr counts, ptr extents, i32 level, i32 levels, i32 base, i32 failLeaf, i32 usec }.
%nest = type { ptr, ptr, i32, i32, i32, i32, i32 }

define internal i32 @$nest_task(ptr %uc, i32 %i, ptr %cl) {
entry:
  %counts = load ptr, ptr %cl, align 8
  %ext.p = getelementptr inbounds %nest, ptr %cl, i32 0, i32 1
  %extents = load ptr, ptr %ext.p, align 8
  %level.p = getelementptr inbounds %nest, ptr %cl, i32 0, i32 2
  %level = load i32, ptr %level.p, align 4
  %levels.p = getelementptr inbounds %nest, ptr %cl, i32 0, i32 3
  %levels = load i32, ptr %levels.p, align 4
  %base.p = getelementptr inbounds %nest, ptr %cl, i32 0, i32 4
  %base = load i32, ptr %base.p, align 4
  %fail.p = getelementptr inbounds %nest, ptr %cl, i32 0, i32 5
  %fail = load i32, ptr %fail.p, align 4
  %us.p = getelementptr inbounds %nest, ptr %cl, i32 0, i32 6
  %us = load i32, ptr %us.p, align 4
  %lv64 = sext i32 %level to i64
  %e.p = getelementptr inbounds i32, ptr %extents, i64 %lv64
  %e = load i32, ptr %e.p, align 4
  %scaled = mul i32 %base, %e
  %flat = add i32 %scaled, %i
  %next = add i32 %level, 1
  %inner = icmp slt i32 %next, %levels
  br i1 %inner, label %recurse, label %leaf
recurse:
  %c2 = alloca %nest, align 8
  store ptr %counts, ptr %c2, align 8
  %c2.ext = getelementptr inbounds %nest, ptr %c2, i32 0, i32 1
  store ptr %extents, ptr %c2.ext, align 8
  %c2.level = getelementptr inbounds %nest, ptr %c2, i32 0, i32 2
  store i32 %next, ptr %c2.level, align 4
  %c2.levels = getelementptr inbounds %nest, ptr %c2, i32 0, i32 3
  store i32 %levels, ptr %c2.levels, align 4
  %c2.base = getelementptr inbounds %nest, ptr %c2, i32 0, i32 4
  store i32 %flat, ptr %c2.base, align 4
  %c2.fail = getelementptr inbounds %nest, ptr %c2, i32 0, i32 5
  store i32 %fail, ptr %c2.fail, align 4
  %c2.us = getelementptr inbounds %nest, ptr %c2, i32 0, i32 6
  store i32 %us, ptr %c2.us, align 4
  %n64 = sext i32 %next to i64
  %ne.p = getelementptr inbounds i32, ptr %extents, i64 %n64
  %ne = load i32, ptr %ne.p, align 4
  %r = call i32 @halide_do_par_for(ptr %uc, ptr @$nest_task, i32 0, i32 %ne, ptr %c2)
  ret i32 %r
leaf:
  %f64 = sext i32 %flat to i64
  %cp = getelementptr inbounds i32, ptr %counts, i64 %f64
  %old = atomicrmw add ptr %cp, i32 1 seq_cst
  %nap = icmp ne i32 %us, 0
  br i1 %nap, label %sleep, label %check
sleep:
  %z = call i32 @usleep(i32 %us)
  br label %check
check:
  %bad = icmp eq i32 %flat, %fail
  %code = select i1 %bad, i32 -7, i32 0
  ret i32 %code
}

define i32 @$nested(ptr %args) {
entry:
  %c = alloca %nest, align 8
  %counts = load ptr, ptr %args, align 8
  store ptr %counts, ptr %c, align 8
  %ext.a = getelementptr inbounds i64, ptr %args, i64 1
  %extents = load ptr, ptr %ext.a, align 8
  %c.ext = getelementptr inbounds %nest, ptr %c, i32 0, i32 1
  store ptr %extents, ptr %c.ext, align 8
  %c.level = getelementptr inbounds %nest, ptr %c, i32 0, i32 2
  store i32 0, ptr %c.level, align 4
  %lv.a = getelementptr inbounds i64, ptr %args, i64 2
  %lv64 = load i64, ptr %lv.a, align 8
  %levels = trunc i64 %lv64 to i32
  %c.levels = getelementptr inbounds %nest, ptr %c, i32 0, i32 3
  store i32 %levels, ptr %c.levels, align 4
  %c.base = getelementptr inbounds %nest, ptr %c, i32 0, i32 4
  store i32 0, ptr %c.base, align 4
  %f.a = getelementptr inbounds i64, ptr %args, i64 3
  %f64 = load i64, ptr %f.a, align 8
  %fail = trunc i64 %f64 to i32
  %c.fail = getelementptr inbounds %nest, ptr %c, i32 0, i32 5
  store i32 %fail, ptr %c.fail, align 4
  %us.a = getelementptr inbounds i64, ptr %args, i64 4
  %us64 = load i64, ptr %us.a, align 8
  %us = trunc i64 %us64 to i32
  %c.us = getelementptr inbounds %nest, ptr %c, i32 0, i32 6
  store i32 %us, ptr %c.us, align 4
  %e0 = load i32, ptr %extents, align 4
  %r = call i32 @halide_do_par_for(ptr null, ptr @$nest_task, i32 0, i32 %e0, ptr %c)
  ret i32 %r
}
`;

/** What one flat parallel loop did. */
export interface RunResult {
  /** The value `halide_do_par_for` returned. */
  status: number;
  /** How many times each index (minus min) ran. */
  counts: Int32Array;
  /** `index * 2` for each index that ran. */
  out: Int32Array;
  /** `pthread_self()` of the thread that ran each index (when asked for). */
  tids?: BigUint64Array;
}

/** Options of {@link ParForTester.run}. */
export interface RunOptions {
  min: number;
  extent: number;
  failFrom?: number;
  failTo?: number;
  sleepMicros?: number;
  threadIds?: boolean;
}

/** The test module, compiled, with the runtime's controls. */
export interface ParForTester {
  run(o: RunOptions): RunResult;
  nested(extents: readonly number[], o?: { failLeaf?: number; sleepMicros?: number }): RunResult;
  setNumThreads(n: number): number;
  shutdown(): void;
  /** The thread count new pools get (reads it without changing it). */
  numThreads(): number;
}

let tester: ParForTester | undefined;

/** Compiles the test module once. */
export function parForTester(): ParForTester {
  if (tester) return tester;
  const rt = ensureJitRuntime();
  const { jm, prefix } = jitIR(testModule);
  const run = native.fnAt(jm.lookup(`${prefix}run`), { args: ["buf"], returns: "i32" });
  const nested = native.fnAt(jm.lookup(`${prefix}nested`), { args: ["buf"], returns: "i32" });
  const setNumThreads = native.fnAt(rt.halide_set_num_threads, { args: ["i32"], returns: "i32" });
  const shutdown = native.fnAt(rt.halide_shutdown_thread_pool, { args: [], returns: "void" });
  const slots = () => new BigUint64Array(new ArrayBuffer(8 * 8));
  return (tester = {
    run(o) {
      const n = Math.max(o.extent, 1);
      const counts = new Int32Array(new ArrayBuffer(4 * n));
      const out = new Int32Array(new ArrayBuffer(4 * n));
      const tids = o.threadIds ? new BigUint64Array(new ArrayBuffer(8 * n)) : undefined;
      const args = slots();
      args[0] = native.addressOfBuffer(counts);
      args[1] = native.addressOfBuffer(out);
      args[2] = tids ? native.addressOfBuffer(tids) : 0n;
      args[3] = BigInt.asUintN(64, BigInt(o.min));
      args[4] = BigInt.asUintN(64, BigInt(o.extent));
      args[5] = BigInt.asUintN(64, BigInt(o.failFrom ?? 0));
      args[6] = BigInt.asUintN(64, BigInt(o.failTo ?? 0));
      args[7] = BigInt(o.sleepMicros ?? 0);
      const status = run(args);
      return { status, counts, out, tids };
    },
    nested(extents, o = {}) {
      const leaves = extents.reduce((a, b) => a * b, 1);
      const counts = new Int32Array(new ArrayBuffer(4 * leaves));
      const ext = new Int32Array(new ArrayBuffer(4 * extents.length));
      ext.set(extents);
      const args = slots();
      args[0] = native.addressOfBuffer(counts);
      args[1] = native.addressOfBuffer(ext);
      args[2] = BigInt(extents.length);
      args[3] = BigInt.asUintN(64, BigInt(o.failLeaf ?? -1));
      args[4] = BigInt(o.sleepMicros ?? 0);
      const status = nested(args);
      return { status, counts, out: counts };
    },
    setNumThreads: (n) => setNumThreads(n),
    shutdown: () => shutdown(),
    numThreads() {
      const current = setNumThreads(1);
      setNumThreads(current);
      return current;
    },
  });
}

/** The number of threads of this process. */
export function threadCount(): number {
  return readdirSync("/proc/self/task").length;
}

/** The number of distinct values of an array. */
export function distinct(xs: ArrayLike<bigint>): number {
  return new Set(Array.from(xs)).size;
}

if (import.meta.main) {
  // Child process of the HL_NUM_THREADS tests: report the pool size, how many threads ran a loop, how many
  // threads the pool created, and whether a nested loop was complete.
  const t = parForTester();
  const numThreads = t.numThreads();
  const before = threadCount();
  const r = t.run({ min: 0, extent: 48, sleepMicros: 2000, threadIds: true });
  const created = threadCount() - before;
  const n = t.nested([6, 5, 4], { sleepMicros: 100 });
  console.log(JSON.stringify({
    numThreads,
    status: r.status,
    allOnce: r.counts.every((c) => c === 1),
    ranOn: distinct(r.tids!),
    created,
    nestedStatus: n.status,
    nestedAllOnce: n.counts.every((c) => c === 1),
  }));
}
