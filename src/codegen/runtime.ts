/**
 * The native runtime that parallel loops run on: a pthread thread pool written in LLVM's textual IR, parsed by
 * the compiler itself (no C toolchain). One copy is added to the process-wide JIT (`ensureJitRuntime` in
 * `llvm_target.ts`) and shared by every JIT-compiled pipeline; ahead-of-time libraries link a copy each
 * (`LLVMParseIRInContext` + `LLVMLinkModules2`).
 *
 * ## ABI (Halide's)
 * - `i32 halide_do_par_for(ptr user_context, ptr task, i32 min, i32 extent, ptr closure)` runs
 *   `i32 task(ptr user_context, i32 index, ptr closure)` once for every index in `[min, min + extent)`, spread
 *   over the pool; the calling thread works on its own loop too. It returns 0, or the first non-zero value a
 *   task returned; once a task has failed, indices nobody has started yet are skipped.
 * - `i32 halide_set_num_threads(i32 n)` sets the thread count of pools created from now on (`n <= 0`: the
 *   default) and returns the previous setting. A running pool keeps its size until
 *   `halide_shutdown_thread_pool`.
 * - `void halide_shutdown_thread_pool()` stops and joins the workers; the next parallel loop starts a new pool.
 *   Must not be called from inside a task.
 *
 * - `void halide_error(ptr user_context, ptr message)` reports a failure: it calls the handler installed with
 *   `ptr halide_set_error_handler(ptr handler)` (which returns the previous one), by default one that prints
 *   `Error: <message>` and a newline through `halide_print`. Ahead-of-time pipelines call it before returning a
 *   negative error code.
 * - `void halide_print(ptr user_context, ptr text)` writes text (the lines of `hl.print`, error messages) through
 *   the function installed with `ptr halide_set_custom_print(ptr print)`, by default to standard error, as
 *   Halide's runtime does. A null handler restores the default.
 *
 * Thread count: `HL_NUM_THREADS` if it holds a positive integer, else `sysconf(_SC_NPROCESSORS_ONLN)`,
 * clamped to [1, {@link maxThreads}]. As in Halide, the count includes the thread calling `halide_do_par_for`,
 * so a pool of N threads has N - 1 workers, created lazily on the first parallel loop with `pthread_create`.
 * With one thread there are no workers and loops run serially on the caller.
 *
 * ## Design
 * All pool state lives in one global, `@halide_tp` (the mutex first, then two condition variables, the list of
 * active jobs, counters and the worker handles). Its address is passed to the pthread functions, so the
 * optimizer must assume every pthread call may read and write any of it: no load of shared state is ever
 * cached across a lock, unlock or wait. glibc's `pthread_mutex_t` / `pthread_cond_t` (40 / 48 bytes on x86-64,
 * 48 / 48 on aarch64) are valid when zero-filled; each gets a 128-byte, 64-byte-aligned slot.
 *
 * A parallel loop is a *job*, a struct on the stack of the thread that called `halide_do_par_for` (its owner):
 * `{task, closure, user_context, next, end, error, attached, link}`.
 * - `next` (i64) is the next unclaimed index. Any thread claims one with `atomicrmw add next, 1`; a result
 *   `>= end` means the job has no work left. 64-bit arithmetic cannot overflow however many threads overshoot.
 * - A task that fails records its result in `error` with `cmpxchg 0 → result` (so the first one wins) and
 *   raises `next` to `end` (`atomicrmw max`), which makes every later claim fail: unstarted indices are skipped.
 * - `attached` counts the workers currently claiming from the job, and `link` chains the jobs of the global
 *   active list. Both are only touched with the mutex held.
 *
 * Owner (`halide_do_par_for`): under the mutex, push the job onto the active list and signal up to
 * `extent - 1` sleeping workers; unlock; claim and run indices until a claim fails; lock; unlink the job; wait on
 * the `job_done` condition until `attached == 0`; unlock; return `error`.
 *
 * Worker: with the mutex held, look for a listed job whose `next < end`. If there is one, `attached += 1`,
 * unlock, claim and run indices of that job until a claim fails, lock, `attached -= 1` (broadcasting `job_done`
 * when it reaches 0) and look again. If there is none: exit if the pool is shutting down, else sleep on the
 * `wake_workers` condition. No thread spins.
 *
 * Memory: a job is only reachable through the active list (under the mutex) and by the workers attached to it;
 * the owner returns only after unlinking it and seeing `attached == 0` under the mutex, so no thread touches a
 * job after its owner's stack frame is gone. The mutex also orders every write a task made before its worker
 * detached before the owner's return.
 *
 * ## Why nested loops cannot deadlock
 * A thread blocks in exactly two places: a worker with no job to join sleeps (it holds up nobody), and an owner
 * whose loop has no unclaimed index waits for the workers attached to it. An owner never waits while its own
 * job still has unclaimed indices — it runs them itself — so every job progresses even with zero workers
 * (`HL_NUM_THREADS=1`) and however many owners are blocked. An attached worker is running one task of the job;
 * if that task is itself blocked, it is blocked as the owner of a *nested* job that the task created. So each
 * "waits for" edge goes from a job to a job created inside one of its tasks: the edges follow the (finite,
 * acyclic) nesting tree downwards and can never form a cycle. By induction from the innermost loops, whose tasks
 * do not wait at all, every job finishes. The argument needs two rules that the code keeps: an owner waiting
 * for its workers never picks up another job's tasks (so nothing unrelated sits on its stack), and a worker only
 * joins a job from its idle loop, with nothing else on its stack.
 *
 * No wake-up is lost: workers are signalled with the mutex held after the job is listed, and a worker checks the
 * list under the mutex before it sleeps; likewise `attached` changes and the owner's check of it are under the
 * mutex, and the last worker to detach broadcasts `job_done`.
 *
 * The IR uses opaque pointers (`ptr`) and only constructs that parse identically on LLVM 15 through 22.
 * Pthread and libc functions are resolved from the process (the JIT's process symbol generator, or the system
 * linker for AOT). No JavaScript is ever called: workers run only this code and the JIT-compiled tasks.
 *
 * @module
 */

/** The largest thread count a pool can have (Halide's `MAX_THREADS`); larger requests are clamped to it. */
export const maxThreads = 256;

/**
 * The runtime's exported functions (their names, the ABI that generated code calls).
 *
 * @example
 * ```ts
 * for (const name of runtimeSymbols) console.log(name); // halide_do_par_for, ...
 * ```
 */
export const runtimeSymbols = [
  "halide_do_par_for",
  "halide_set_num_threads",
  "halide_shutdown_thread_pool",
  "halide_error",
  "halide_set_error_handler",
  "halide_print",
  "halide_set_custom_print",
] as const;

/**
 * The name of one of the runtime's exported functions.
 *
 * @example
 * ```ts
 * const name: RuntimeSymbol = "halide_do_par_for";
 * ```
 */
export type RuntimeSymbol = typeof runtimeSymbols[number];

/**
 * The declaration a pipeline module needs to call the thread pool (generated code calls `halide_do_par_for`).
 *
 * @example
 * ```ts
 * const text = `${parForDeclaration}\ndefine i32 @f(ptr %t) { ... }`;
 * ```
 */
export const parForDeclaration = "declare i32 @halide_do_par_for(ptr, ptr, i32, i32, ptr)";

/**
 * The IR of a runtime function `report(user_context, text)` that calls the handler held in global `slot` (or
 * `fallback` when it is null), and of `setter(handler)`, which installs a handler and returns the previous one.
 */
function handlerFunctions(report: string, setter: string, slot: string, fallback: string): string {
  return String.raw`define weak void @${report}(ptr %user_context, ptr %text) {
entry:
  %h = call ptr @halide_handler_or(ptr @${slot}, ptr @${fallback})
  call void %h(ptr %user_context, ptr %text)
  ret void
}

define weak ptr @${setter}(ptr %handler) {
entry:
  %old = atomicrmw xchg ptr @${slot}, ptr %handler seq_cst
  %none = icmp eq ptr %old, null
  %r = select i1 %none, ptr @${fallback}, ptr %old
  ret ptr %r
}
`;
}

/**
 * The thread-pool runtime as LLVM textual IR, without target triple or data layout (the caller sets both for
 * the target before verifying and optimizing it).
 *
 * @example
 * ```ts
 * const bytes = cString(runtimeIR);
 * const buf = fn.LLVMCreateMemoryBufferWithMemoryRangeCopy(bytes, bytes.length - 1, "halide_runtime");
 * fn.LLVMParseIRInContext(ctx, buf, modOut, msgOut);
 * ```
 */
export const runtimeIR: string = String.raw`
; halide-ts native runtime: the thread pool behind halide_do_par_for. See src/codegen/runtime.ts for the design.
source_filename = "halide_runtime"

; ---------------------------------------------------------------------------------------------------------------
; State. All shared state is in one global whose address escapes to pthread calls (see the module docs).
;   0 mutex            pthread_mutex_t (zero = PTHREAD_MUTEX_INITIALIZER), guards everything but job.next/error
;   1 wake_workers     pthread_cond_t, idle workers sleep on it
;   2 job_done         pthread_cond_t, owners wait on it for the workers attached to their job
;   3 jobs             ptr, head of the list of active jobs (linked through job.link)
;   4 num_workers      i32, worker threads of the running pool
;   5 started          i32, 1 while a pool exists
;   6 shutting_down    i32, 1 while halide_shutdown_thread_pool joins the workers
;   7 desired          i32, thread count for new pools (including the calling thread); 0 = not yet decided
;   8 threads          [256 x i64], pthread_t of each worker
%halide_tp_pool = type { [128 x i8], [128 x i8], [128 x i8], ptr, i32, i32, i32, i32, [256 x i64] }

; A parallel loop, on the stack of the thread that called halide_do_par_for.
;   0 task             i32 (ptr user_context, i32 index, ptr closure)
;   1 closure          ptr
;   2 user_context     ptr
;   3 next             i64, next unclaimed index (atomicrmw add; no lock)
;   4 end              i64, min + extent (read-only once published)
;   5 error            i32, first non-zero task result (cmpxchg from 0)
;   6 attached         i32, workers currently claiming from this job (mutex)
;   7 link             ptr, next job of the active list (mutex)
%halide_tp_job = type { ptr, ptr, ptr, i64, i64, i32, i32, ptr }

@halide_tp = internal global %halide_tp_pool zeroinitializer, align 64
@halide_tp_env_name = private unnamed_addr constant [15 x i8] c"HL_NUM_THREADS\00", align 1

declare i32 @pthread_mutex_lock(ptr)
declare i32 @pthread_mutex_unlock(ptr)
declare i32 @pthread_cond_wait(ptr, ptr)
declare i32 @pthread_cond_signal(ptr)
declare i32 @pthread_cond_broadcast(ptr)
declare i32 @pthread_create(ptr, ptr, ptr, ptr)
declare i32 @pthread_join(i64, ptr)
declare ptr @getenv(ptr)
declare i64 @strtol(ptr, ptr, i32)
declare i64 @sysconf(i32)

; ---------------------------------------------------------------------------------------------------------------
; The default thread count: HL_NUM_THREADS if it starts with a positive integer, else the online cores
; (sysconf(_SC_NPROCESSORS_ONLN) = 84 on Linux), clamped to [1, 256].
define internal i32 @halide_tp_default_threads() {
entry:
  %endp = alloca ptr, align 8
  %s = call ptr @getenv(ptr @halide_tp_env_name)
  %has = icmp ne ptr %s, null
  br i1 %has, label %parse, label %cores

parse:
  %v = call i64 @strtol(ptr %s, ptr %endp, i32 10)
  %e = load ptr, ptr %endp, align 8
  %digits = icmp ne ptr %e, %s
  %positive = icmp sgt i64 %v, 0
  %ok = and i1 %digits, %positive
  br i1 %ok, label %clamp, label %cores

cores:
  %c = call i64 @sysconf(i32 84)
  br label %clamp

clamp:
  %n = phi i64 [ %v, %parse ], [ %c, %cores ]
  %low = icmp slt i64 %n, 1
  %n1 = select i1 %low, i64 1, i64 %n
  %high = icmp sgt i64 %n1, 256
  %n2 = select i1 %high, i64 256, i64 %n1
  %r = trunc i64 %n2 to i32
  ret i32 %r
}

; Starts the pool if there is none: desired - 1 workers (the caller of each loop is the remaining thread).
; A failed pthread_create just leaves the pool smaller. Called with the mutex held.
define internal void @halide_tp_start_locked() {
entry:
  %startedp = getelementptr inbounds %halide_tp_pool, ptr @halide_tp, i32 0, i32 5
  %started = load i32, ptr %startedp, align 4
  %running = icmp ne i32 %started, 0
  br i1 %running, label %done, label %decide

decide:
  %desiredp = getelementptr inbounds %halide_tp_pool, ptr @halide_tp, i32 0, i32 7
  %d0 = load i32, ptr %desiredp, align 4
  %unset = icmp eq i32 %d0, 0
  br i1 %unset, label %set_default, label %spawn_init

set_default:
  %dd = call i32 @halide_tp_default_threads()
  store i32 %dd, ptr %desiredp, align 4
  br label %spawn_init

spawn_init:
  %d = phi i32 [ %d0, %decide ], [ %dd, %set_default ]
  %want = sub i32 %d, 1
  br label %spawn

spawn:
  %i = phi i32 [ 0, %spawn_init ], [ %i1, %create ]
  %more = icmp slt i32 %i, %want
  br i1 %more, label %create, label %finish

create:
  %slot = getelementptr inbounds %halide_tp_pool, ptr @halide_tp, i32 0, i32 8, i32 %i
  %rc = call i32 @pthread_create(ptr %slot, ptr null, ptr @halide_tp_worker_main, ptr null)
  %created = icmp eq i32 %rc, 0
  %i1 = add i32 %i, 1
  br i1 %created, label %spawn, label %finish

finish:
  %nwp = getelementptr inbounds %halide_tp_pool, ptr @halide_tp, i32 0, i32 4
  store i32 %i, ptr %nwp, align 4
  store i32 1, ptr %startedp, align 4
  br label %done

done:
  ret void
}

; Claims and runs indices of %job until a claim fails. Called without the mutex, by the owner or by a worker
; attached to the job. Claims only need atomicity (monotonic): every other ordering comes from the mutex.
define internal void @halide_tp_work_on(ptr %job) {
entry:
  %taskp = getelementptr inbounds %halide_tp_job, ptr %job, i32 0, i32 0
  %task = load ptr, ptr %taskp, align 8
  %closurep = getelementptr inbounds %halide_tp_job, ptr %job, i32 0, i32 1
  %closure = load ptr, ptr %closurep, align 8
  %ucp = getelementptr inbounds %halide_tp_job, ptr %job, i32 0, i32 2
  %uc = load ptr, ptr %ucp, align 8
  %nextp = getelementptr inbounds %halide_tp_job, ptr %job, i32 0, i32 3
  %endp = getelementptr inbounds %halide_tp_job, ptr %job, i32 0, i32 4
  %end = load i64, ptr %endp, align 8
  %errorp = getelementptr inbounds %halide_tp_job, ptr %job, i32 0, i32 5
  br label %claim

claim:
  %i = atomicrmw add ptr %nextp, i64 1 monotonic
  %have = icmp slt i64 %i, %end
  br i1 %have, label %run, label %done

run:
  %index = trunc i64 %i to i32
  %r = call i32 %task(ptr %uc, i32 %index, ptr %closure)
  %failed = icmp ne i32 %r, 0
  br i1 %failed, label %fail, label %claim

fail:
  ; The first failure is kept; raising next to end makes every later claim fail (unstarted indices are skipped).
  %old = cmpxchg ptr %errorp, i32 0, i32 %r monotonic monotonic
  %skipped = atomicrmw max ptr %nextp, i64 %end monotonic
  br label %claim

done:
  ret void
}

; The first listed job that still has unclaimed indices, or null. Called with the mutex held.
define internal ptr @halide_tp_find_work_locked() {
entry:
  %jobsp = getelementptr inbounds %halide_tp_pool, ptr @halide_tp, i32 0, i32 3
  %head = load ptr, ptr %jobsp, align 8
  br label %loop

loop:
  %job = phi ptr [ %head, %entry ], [ %after, %skip ]
  %last = icmp eq ptr %job, null
  br i1 %last, label %none, label %check

check:
  %nextp = getelementptr inbounds %halide_tp_job, ptr %job, i32 0, i32 3
  %next = load atomic i64, ptr %nextp monotonic, align 8
  %endp = getelementptr inbounds %halide_tp_job, ptr %job, i32 0, i32 4
  %end = load i64, ptr %endp, align 8
  %open = icmp slt i64 %next, %end
  br i1 %open, label %found, label %skip

skip:
  %linkp = getelementptr inbounds %halide_tp_job, ptr %job, i32 0, i32 7
  %after = load ptr, ptr %linkp, align 8
  br label %loop

found:
  ret ptr %job

none:
  ret ptr null
}

; Removes %job from the active list. Called with the mutex held.
define internal void @halide_tp_unlink_locked(ptr %job) {
entry:
  %jobsp = getelementptr inbounds %halide_tp_pool, ptr @halide_tp, i32 0, i32 3
  br label %loop

loop:
  ; %pp points at the link that would lead to %job: the list head, then each job's link field.
  %pp = phi ptr [ %jobsp, %entry ], [ %curlink, %advance ]
  %cur = load ptr, ptr %pp, align 8
  %end = icmp eq ptr %cur, null
  br i1 %end, label %done, label %compare

compare:
  %curlink = getelementptr inbounds %halide_tp_job, ptr %cur, i32 0, i32 7
  %is = icmp eq ptr %cur, %job
  br i1 %is, label %remove, label %advance

advance:
  br label %loop

remove:
  %after = load ptr, ptr %curlink, align 8
  store ptr %after, ptr %pp, align 8
  br label %done

done:
  ret void
}

; A worker thread: joins jobs that have unclaimed indices, sleeps when there are none, exits on shutdown.
define internal ptr @halide_tp_worker_main(ptr %unused) {
entry:
  %wake = getelementptr inbounds %halide_tp_pool, ptr @halide_tp, i32 0, i32 1
  %jobdone = getelementptr inbounds %halide_tp_pool, ptr @halide_tp, i32 0, i32 2
  %shutp = getelementptr inbounds %halide_tp_pool, ptr @halide_tp, i32 0, i32 6
  %l0 = call i32 @pthread_mutex_lock(ptr @halide_tp)
  br label %scan

scan:
  ; The mutex is held here.
  %job = call ptr @halide_tp_find_work_locked()
  %found = icmp ne ptr %job, null
  br i1 %found, label %work, label %idle

work:
  %attp = getelementptr inbounds %halide_tp_job, ptr %job, i32 0, i32 6
  %a0 = load i32, ptr %attp, align 4
  %a1 = add i32 %a0, 1
  store i32 %a1, ptr %attp, align 4
  %u1 = call i32 @pthread_mutex_unlock(ptr @halide_tp)
  call void @halide_tp_work_on(ptr %job)
  %l1 = call i32 @pthread_mutex_lock(ptr @halide_tp)
  %a2 = load i32, ptr %attp, align 4
  %a3 = sub i32 %a2, 1
  store i32 %a3, ptr %attp, align 4
  %detached = icmp eq i32 %a3, 0
  br i1 %detached, label %notify, label %scan

notify:
  ; The job's owner may be waiting for its last worker. %job is not touched again.
  %b = call i32 @pthread_cond_broadcast(ptr %jobdone)
  br label %scan

idle:
  %shut = load i32, ptr %shutp, align 4
  %stop = icmp ne i32 %shut, 0
  br i1 %stop, label %exit, label %sleep

sleep:
  %w = call i32 @pthread_cond_wait(ptr %wake, ptr @halide_tp)
  br label %scan

exit:
  %u2 = call i32 @pthread_mutex_unlock(ptr @halide_tp)
  ret ptr null
}

; ---------------------------------------------------------------------------------------------------------------
; Errors and printing, as Halide's runtime: halide_error calls the error handler (by default "Error: <msg>\n"
; through halide_print), halide_print calls the print handler (by default a write to standard error).

@halide_error_handler = internal global ptr @halide_default_error, align 8
@halide_print_handler = internal global ptr @halide_default_print, align 8
@halide_error_format = private unnamed_addr constant [11 x i8] c"Error: %s\0A\00", align 1

declare i64 @strlen(ptr)
declare i64 @write(i32, ptr, i64)
declare i32 @snprintf(ptr, i64, ptr, ...)

define internal void @halide_default_print(ptr %user_context, ptr %text) {
entry:
  %n = call i64 @strlen(ptr %text)
  %w = call i64 @write(i32 2, ptr %text, i64 %n)
  ret void
}

define internal void @halide_default_error(ptr %user_context, ptr %message) {
entry:
  %buf = alloca [4096 x i8], align 1
  %r = call i32 (ptr, i64, ptr, ...) @snprintf(ptr %buf, i64 4096, ptr @halide_error_format, ptr %message)
  call void @halide_print(ptr %user_context, ptr %buf)
  ret void
}

; The handler to use: the installed one, or %default if none (null) is installed.
define internal ptr @halide_handler_or(ptr %slot, ptr %default) {
entry:
  %h = load atomic ptr, ptr %slot acquire, align 8
  %none = icmp eq ptr %h, null
  %r = select i1 %none, ptr %default, ptr %h
  ret ptr %r
}

${handlerFunctions("halide_print", "halide_set_custom_print", "halide_print_handler", "halide_default_print")}
${handlerFunctions("halide_error", "halide_set_error_handler", "halide_error_handler", "halide_default_error")}
; ---------------------------------------------------------------------------------------------------------------
; Exported functions. They are weak, as in Halide's runtime: an application (or another AOT library carrying its
; own copy) may define them, and one definition wins.

define weak i32 @halide_do_par_for(ptr %user_context, ptr %task, i32 %min, i32 %extent, ptr %closure) {
entry:
  %job = alloca %halide_tp_job, align 8
  %many = icmp sgt i32 %extent, 1
  br i1 %many, label %parallel, label %few

few:
  %one = icmp eq i32 %extent, 1
  br i1 %one, label %single, label %nothing

nothing:
  ret i32 0

single:
  %r1 = call i32 %task(ptr %user_context, i32 %min, ptr %closure)
  ret i32 %r1

parallel:
  %wake = getelementptr inbounds %halide_tp_pool, ptr @halide_tp, i32 0, i32 1
  %jobdone = getelementptr inbounds %halide_tp_pool, ptr @halide_tp, i32 0, i32 2
  %jobsp = getelementptr inbounds %halide_tp_pool, ptr @halide_tp, i32 0, i32 3
  %nwp = getelementptr inbounds %halide_tp_pool, ptr @halide_tp, i32 0, i32 4
  %l0 = call i32 @pthread_mutex_lock(ptr @halide_tp)
  call void @halide_tp_start_locked()
  %nw = load i32, ptr %nwp, align 4
  %alone = icmp eq i32 %nw, 0
  br i1 %alone, label %serial_start, label %publish

serial_start:
  ; A one-thread pool: run the loop here, stopping at the first failure.
  %u0 = call i32 @pthread_mutex_unlock(ptr @halide_tp)
  br label %serial

serial:
  %k = phi i32 [ 0, %serial_start ], [ %k1, %serial_next ]
  %sindex = add i32 %min, %k
  %rs = call i32 %task(ptr %user_context, i32 %sindex, ptr %closure)
  %sfailed = icmp ne i32 %rs, 0
  br i1 %sfailed, label %serial_fail, label %serial_next

serial_next:
  %k1 = add i32 %k, 1
  %smore = icmp slt i32 %k1, %extent
  br i1 %smore, label %serial, label %nothing

serial_fail:
  ret i32 %rs

publish:
  %taskp = getelementptr inbounds %halide_tp_job, ptr %job, i32 0, i32 0
  store ptr %task, ptr %taskp, align 8
  %closurep = getelementptr inbounds %halide_tp_job, ptr %job, i32 0, i32 1
  store ptr %closure, ptr %closurep, align 8
  %ucp = getelementptr inbounds %halide_tp_job, ptr %job, i32 0, i32 2
  store ptr %user_context, ptr %ucp, align 8
  %min64 = sext i32 %min to i64
  %extent64 = sext i32 %extent to i64
  %end = add i64 %min64, %extent64
  %nextp = getelementptr inbounds %halide_tp_job, ptr %job, i32 0, i32 3
  store i64 %min64, ptr %nextp, align 8
  %endp = getelementptr inbounds %halide_tp_job, ptr %job, i32 0, i32 4
  store i64 %end, ptr %endp, align 8
  %errorp = getelementptr inbounds %halide_tp_job, ptr %job, i32 0, i32 5
  store i32 0, ptr %errorp, align 4
  %attp = getelementptr inbounds %halide_tp_job, ptr %job, i32 0, i32 6
  store i32 0, ptr %attp, align 4
  %head = load ptr, ptr %jobsp, align 8
  %linkp = getelementptr inbounds %halide_tp_job, ptr %job, i32 0, i32 7
  store ptr %head, ptr %linkp, align 8
  store ptr %job, ptr %jobsp, align 8
  ; Wake at most extent - 1 workers (the owner takes part too); each signal wakes one sleeping worker.
  %helpers = sub i32 %extent, 1
  %fewer = icmp slt i32 %helpers, %nw
  %nwake = select i1 %fewer, i32 %helpers, i32 %nw
  br label %wake_loop

wake_loop:
  %s = phi i32 [ 0, %publish ], [ %s1, %wake_loop ]
  %sig = call i32 @pthread_cond_signal(ptr %wake)
  %s1 = add i32 %s, 1
  %wmore = icmp slt i32 %s1, %nwake
  br i1 %wmore, label %wake_loop, label %published

published:
  %u1 = call i32 @pthread_mutex_unlock(ptr @halide_tp)
  call void @halide_tp_work_on(ptr %job)
  ; No unclaimed index is left: unlist the job, then wait until no worker is attached to it.
  %l1 = call i32 @pthread_mutex_lock(ptr @halide_tp)
  call void @halide_tp_unlink_locked(ptr %job)
  br label %wait_check

wait_check:
  %att = load i32, ptr %attp, align 4
  %busy = icmp ne i32 %att, 0
  br i1 %busy, label %wait, label %finished

wait:
  %wt = call i32 @pthread_cond_wait(ptr %jobdone, ptr @halide_tp)
  br label %wait_check

finished:
  %err = load atomic i32, ptr %errorp monotonic, align 4
  %u2 = call i32 @pthread_mutex_unlock(ptr @halide_tp)
  ret i32 %err
}

define weak i32 @halide_set_num_threads(i32 %n) {
entry:
  %desiredp = getelementptr inbounds %halide_tp_pool, ptr @halide_tp, i32 0, i32 7
  %l = call i32 @pthread_mutex_lock(ptr @halide_tp)
  %d0 = load i32, ptr %desiredp, align 4
  %unset = icmp eq i32 %d0, 0
  br i1 %unset, label %default_old, label %have_old

default_old:
  %dold = call i32 @halide_tp_default_threads()
  br label %have_old

have_old:
  %old = phi i32 [ %d0, %entry ], [ %dold, %default_old ]
  %explicit = icmp sgt i32 %n, 0
  br i1 %explicit, label %clamp, label %reset

clamp:
  %big = icmp sgt i32 %n, 256
  %c = select i1 %big, i32 256, i32 %n
  br label %store

reset:
  %dnew = call i32 @halide_tp_default_threads()
  br label %store

store:
  %new = phi i32 [ %c, %clamp ], [ %dnew, %reset ]
  store i32 %new, ptr %desiredp, align 4
  %u = call i32 @pthread_mutex_unlock(ptr @halide_tp)
  ret i32 %old
}

define weak void @halide_shutdown_thread_pool() {
entry:
  %wake = getelementptr inbounds %halide_tp_pool, ptr @halide_tp, i32 0, i32 1
  %nwp = getelementptr inbounds %halide_tp_pool, ptr @halide_tp, i32 0, i32 4
  %startedp = getelementptr inbounds %halide_tp_pool, ptr @halide_tp, i32 0, i32 5
  %shutp = getelementptr inbounds %halide_tp_pool, ptr @halide_tp, i32 0, i32 6
  %l0 = call i32 @pthread_mutex_lock(ptr @halide_tp)
  %started = load i32, ptr %startedp, align 4
  %shut = load i32, ptr %shutp, align 4
  %running = icmp ne i32 %started, 0
  %quiet = icmp eq i32 %shut, 0
  %stoppable = and i1 %running, %quiet
  br i1 %stoppable, label %stop, label %leave

leave:
  ; No pool, or another thread is already shutting it down.
  %u0 = call i32 @pthread_mutex_unlock(ptr @halide_tp)
  ret void

stop:
  ; Workers finish what they are attached to and exit when they find nothing to do.
  store i32 1, ptr %shutp, align 4
  %b = call i32 @pthread_cond_broadcast(ptr %wake)
  %n = load i32, ptr %nwp, align 4
  %u1 = call i32 @pthread_mutex_unlock(ptr @halide_tp)
  br label %join_check

join_check:
  %i = phi i32 [ 0, %stop ], [ %i1, %join ]
  %more = icmp slt i32 %i, %n
  br i1 %more, label %join, label %reset

join:
  %slot = getelementptr inbounds %halide_tp_pool, ptr @halide_tp, i32 0, i32 8, i32 %i
  %t = load i64, ptr %slot, align 8
  %j = call i32 @pthread_join(i64 %t, ptr null)
  %i1 = add i32 %i, 1
  br label %join_check

reset:
  %l1 = call i32 @pthread_mutex_lock(ptr @halide_tp)
  store i32 0, ptr %nwp, align 4
  store i32 0, ptr %startedp, align 4
  store i32 0, ptr %shutp, align 4
  %u2 = call i32 @pthread_mutex_unlock(ptr @halide_tp)
  ret void
}
`;
