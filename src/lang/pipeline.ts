/**
 * Compiling and running pipelines: `Pipeline`, the compiled-pipeline cache, and the binding of arguments
 * (output Buffers, the Buffers bound to ImageParams, the values of Params) for a call of the native code.
 *
 * @module
 */
import { HalideError } from "../error.ts";
import type { FunctionDef } from "../ir/function.ts";
import { exprToString } from "../ir/printer.ts";
import { lowerPipeline, type LoweredPipeline, orderArguments, type PipelineArg, type Requirement } from "../lower/lower.ts";
import { jitCompile, type JitPipeline } from "../codegen/jit.ts";
import { type OutputKind, writeOutputFile } from "../codegen/aot.ts";
import { loweredStmtText, Module } from "./module.ts";
import { stmtToHtml } from "../lower/stmt_html.ts";
import { loopNestText } from "../lower/loop_nest_text.ts";
import { Buffer } from "../runtime/buffer.ts";
import { CallFrame } from "../runtime/args.ts";
import { type Callable, makeCallable } from "../runtime/callable.ts";
import { type ExprLike, toIR } from "./expr.ts";
import type { Func } from "./func.ts";
import { ImageParam, Param, type Versioned } from "./param.ts";
import { getJitTargetFromEnvironment, getTargetFromEnvironment, type Target, TargetFeature } from "./target.ts";

/** A compiled pipeline, the versions of everything it was compiled from, and how many requirements it checks. */
interface CacheEntry {
  readonly jp: JitPipeline;
  readonly target: string;
  readonly versions: ReadonlyMap<Versioned, number>;
  readonly requirements: number;
}

function versionsOf(lp: LoweredPipeline): Map<Versioned, number> {
  const deps: Versioned[] = [...lp.funcs];
  for (const a of lp.args) {
    const dep = a.kind === "scalar" ? a.param : a.source;
    if (dep instanceof Param || dep instanceof ImageParam) deps.push(dep);
  }
  return new Map(deps.map((d) => [d, d.version]));
}

function upToDate(entry: CacheEntry, requirements: number, target: Target): boolean {
  if (entry.requirements !== requirements || entry.target !== target.toString()) return false;
  for (const [f, v] of entry.versions) if (f.version !== v) return false;
  return true;
}

/**
 * A pipeline: one or more output Funcs and everything they call, compiled once (JIT, on first use, or whenever
 * a definition, schedule, Param range or ImageParam constraint changed) and run many times.
 *
 * @example
 * ```ts
 * const p = new hl.Pipeline(blurY);
 * const [out] = p.realize([640, 480]);
 * ```
 */
export class Pipeline {
  readonly #outputs: readonly Func[];
  readonly #requirements: Requirement[] = [];
  #customPrint?: (line: string) => void;
  #cache?: CacheEntry;

  /** A pipeline computing `outputs` (one Func or a list). */
  constructor(outputs: Func | readonly Func[]) {
    const list = Array.isArray(outputs) ? [...outputs] : [outputs as Func];
    if (list.length === 0) throw new HalideError("A Pipeline needs at least one output Func.");
    for (const f of list) {
      if (!f.defined()) throw new HalideError(`Can't make a Pipeline with undefined Func ${f.name}.`);
    }
    this.#outputs = list;
  }

  /** `<halide.Pipeline ['f']>` (Python's repr). */
  toString(): string {
    return `<halide.Pipeline [${this.#outputs.map((f) => `'${f.name}'`).join(",")}]>`;
  }

  /**
   * The loop nest of the pipeline in Halide's format (see `Func.loopNest`).
   *
   * @example
   * ```ts
   * console.log(p.loopNest());
   * ```
   */
  loopNest(): string {
    return loopNestText(this.outputDefs);
  }
  /** Prints {@link Pipeline.loopNest}. @example `p.printLoopNest()` */
  printLoopNest(): void {
    console.log(this.loopNest());
  }

  /**
   * The Params and ImageParams the pipeline uses, in the order lowering finds them (an argument list for
   * `compileToCallable`).
   *
   * @example
   * ```ts
   * const run = p.compileToCallable(p.inferArguments());
   * ```
   */
  inferArguments(): (Param | ImageParam)[] {
    return lowerPipeline(this.outputDefs, this.#requirements).args.flatMap((a) => {
      const dep = a.kind === "scalar" ? a.param : a.source;
      return dep instanceof Param || dep instanceof ImageParam ? [dep] : [];
    });
  }

  /** The output Funcs. @example `p.outputs()[0].name` */
  outputs(): Func[] {
    return [...this.#outputs];
  }

  private get outputDefs(): FunctionDef[] {
    return this.#outputs.map((f) => f.fn);
  }

  /**
   * Adds a condition checked when the pipeline runs; if it is false the run fails with
   * "Requirement Failed: (cond) message…" (the message parts separated by spaces).
   *
   * @example
   * ```ts
   * p.addRequirement(offset.ge(0), "offset must not be negative, got", offset);
   * ```
   */
  addRequirement(condition: ExprLike, ...message: (ExprLike | string)[]): this {
    const cond = toIR(condition);
    if (!cond.type.isBool() || cond.type.isVector()) {
      throw new HalideError(`A pipeline requirement must be a scalar Bool, not ${cond.type} (${exprToString(cond)}).`);
    }
    this.#requirements.push({ cond, message: message.map((m) => (typeof m === "string" ? m : toIR(m))) });
    return this;
  }

  /**
   * Sends the lines that `hl.print`/`hl.printWhen` produce to `fn` instead of standard output (`undefined`
   * restores stdout). The lines of one call arrive, in order, when the call returns — also when it fails. Up to
   * 4 MiB of output per call is kept; a last line says how much more did not fit.
   *
   * @example
   * ```ts
   * const lines: string[] = [];
   * p.setCustomPrint((line) => lines.push(line));
   * ```
   */
  setCustomPrint(fn: ((line: string) => void) | undefined): this {
    if (fn !== undefined && typeof fn !== "function") throw new HalideError("setCustomPrint takes a function (or undefined).");
    this.#customPrint = fn;
    return this;
  }

  /**
   * JIT-compiles the pipeline now (otherwise the first `realize` does); compiling again is free while nothing
   * changed.
   *
   * @example
   * ```ts
   * p.compileJit();
   * ```
   */
  compileJit(target?: Target): this {
    this.compiled(target);
    return this;
  }

  /** The compiled code for `target` (default: the JIT target from the environment), compiling if needed. */
  compiled(target: Target = getJitTargetFromEnvironment()): JitPipeline {
    const entry = this.#cache;
    if (entry && upToDate(entry, this.#requirements.length, target)) return entry.jp;
    entry?.jp.dispose();
    const lp = this.lowered(target);
    const jp = jitCompile(lp, target);
    this.#cache = { jp, target: target.toString(), versions: versionsOf(lp), requirements: this.#requirements.length };
    jitCode.unregister(this);
    releaseWhenCollected(this, jp);
    return jp;
  }

  /**
   * Compiles the pipeline into a {@link Callable} taking `args` (every Param and ImageParam the pipeline uses,
   * in the order callers pass them; unused ones are accepted and ignored), followed by the output buffers.
   *
   * @example
   * ```ts
   * const run = p.compileToCallable([input, gain]);
   * run(inBuf, 1.5, outBuf);
   * ```
   */
  compileToCallable(args: readonly (Param | ImageParam)[], target: Target = getJitTargetFromEnvironment()): Callable {
    const jp = jitCompile(this.lowered(target, args), target);
    const callable = makeCallable({
      name: jp.name,
      call: jp.call,
      args: jp.args.map((a) => ({
        name: a.name,
        kind: a.kind,
        type: a.type,
        dimensions: a.kind === "buffer" ? a.dimensions : 0,
        isOutput: a.kind === "buffer" && a.isOutput,
        fixed: a.kind === "buffer" && a.source instanceof Buffer ? a.source : undefined,
      })),
    });
    releaseWhenCollected(callable, jp);
    return callable;
  }

  /**
   * Writes the lowered statement (after all lowering passes) to `path`: as text, or as a self-contained HTML
   * page with syntax colouring and collapsible loops (`format = "html"`).
   *
   * @example
   * ```ts
   * p.compileToLoweredStmt("out/blur.html", [input], "html");
   * ```
   */
  compileToLoweredStmt(path: string, args: readonly (Param | ImageParam)[], format: "text" | "html" = "text", target: Target = getTargetFromEnvironment()): void {
    if (format !== "text" && format !== "html") throw new HalideError(`Unknown statement format ${String(format)}; use "text" or "html".`);
    const lp = this.lowered(target, args);
    writeOutputFile(path, format === "html" ? stmtToHtml(lp) : loweredStmtText(lp));
  }

  /**
   * Compiles the pipeline ahead of time for `target` (default: `HL_TARGET`, else the host) as the function
   * `fnName` (default: the first output's name) taking `args` and then the output buffers, and writes each of
   * `outputs` (a path per kind): `object`, `assembly`, `llvm_assembly`, `bitcode`, `c_header`, `static_library`,
   * `stmt`, `stmt_html`, `ts`. The code follows Halide's C ABI (`int fn(halide_buffer_t *in, float p,
   * halide_buffer_t *out)`, `fn_argv`, `fn_metadata`); objects and libraries include the native runtime once
   * unless the target has `no_runtime`. `ts` writes a TypeScript module at its path and the shared library it
   * loads beside it (linked with the system C compiler, `CC` or `cc`).
   *
   * @example
   * ```ts
   * p.compileTo({ static_library: "out/brighten.a", c_header: "out/brighten.h" }, [input, gain], "brighten");
   * ```
   */
  compileTo(
    outputs: Readonly<Partial<Record<OutputKind, string>>>,
    args: readonly (Param | ImageParam)[],
    fnName?: string,
    target?: Target,
  ): void {
    this.compileToModule(args, fnName, target).compile(outputs);
  }

  /**
   * The pipeline lowered for `target` as the function `fnName` taking `args`, not yet written: a {@link Module}.
   *
   * @example
   * ```ts
   * p.compileToModule([input, gain], "brighten").compile({ object: "out/brighten.o" });
   * ```
   */
  compileToModule(args: readonly (Param | ImageParam)[], fnName?: string, target: Target = getTargetFromEnvironment()): Module {
    const lp = this.lowered(target, args);
    return new Module({ ...lp, name: fnName === undefined || fnName === "" ? lp.name.replace(/\$\d+$/, "") : fnName }, target);
  }

  /** Writes an object file (with the runtime). See {@link Pipeline.compileTo}. @example `p.compileToObject("f.o", [input])` */
  compileToObject(path: string, args: readonly (Param | ImageParam)[], fnName?: string, target?: Target): void {
    this.compileTo({ object: path }, args, fnName, target);
  }
  /** Writes the native assembly. See {@link Pipeline.compileTo}. @example `p.compileToAssembly("f.s", [input])` */
  compileToAssembly(path: string, args: readonly (Param | ImageParam)[], fnName?: string, target?: Target): void {
    this.compileTo({ assembly: path }, args, fnName, target);
  }
  /** Writes the optimized LLVM IR. See {@link Pipeline.compileTo}. @example `p.compileToLlvmAssembly("f.ll", [input])` */
  compileToLlvmAssembly(path: string, args: readonly (Param | ImageParam)[], fnName?: string, target?: Target): void {
    this.compileTo({ llvm_assembly: path }, args, fnName, target);
  }
  /** Writes LLVM bitcode. See {@link Pipeline.compileTo}. @example `p.compileToBitcode("f.bc", [input])` */
  compileToBitcode(path: string, args: readonly (Param | ImageParam)[], fnName?: string, target?: Target): void {
    this.compileTo({ bitcode: path }, args, fnName, target);
  }
  /** Writes the C header. See {@link Pipeline.compileTo}. @example `p.compileToHeader("f.h", [input], "f")` */
  compileToHeader(path: string, args: readonly (Param | ImageParam)[], fnName?: string, target?: Target): void {
    this.compileTo({ c_header: path }, args, fnName, target);
  }
  /**
   * Writes `prefix.a` (a static library with the runtime) and `prefix.h`. See {@link Pipeline.compileTo}.
   *
   * @example
   * ```ts
   * p.compileToStaticLibrary("out/brighten", [input, gain], "brighten");
   * ```
   */
  compileToStaticLibrary(prefix: string, args: readonly (Param | ImageParam)[], fnName?: string, target?: Target): void {
    this.compileTo({ static_library: `${prefix}.a`, c_header: `${prefix}.h` }, args, fnName, target);
  }
  /**
   * Writes `prefix.o` (an object file with the runtime) and `prefix.h`. See {@link Pipeline.compileTo}.
   *
   * @example
   * ```ts
   * p.compileToFile("out/brighten", [input, gain], "brighten");
   * ```
   */
  compileToFile(prefix: string, args: readonly (Param | ImageParam)[], fnName?: string, target?: Target): void {
    this.compileTo({ object: `${prefix}.o`, c_header: `${prefix}.h` }, args, fnName, target);
  }

  /** The lowered pipeline for `target`, with its arguments in the order `args` when given (see `orderArguments`). */
  private lowered(target: Target, args?: readonly (Param | ImageParam)[]): LoweredPipeline {
    args?.forEach((a, i) => {
      if (!(a instanceof Param) && !(a instanceof ImageParam)) {
        throw new HalideError(`Argument ${i} of the argument list must be a Param or an ImageParam, not ${String(a)}.`);
      }
    });
    const lp = lowerPipeline(this.outputDefs, this.#requirements, { noAsserts: target.hasFeature(TargetFeature.NoAsserts) });
    // As in Halide, a Func's definitions are final once it has been compiled (its schedule may still change).
    lp.funcs.forEach((f) => f.freeze());
    return args ? orderArguments(lp, args) : lp;
  }

  /**
   * Computes the outputs over `sizes` (new dense Buffers with min 0), or into the Buffers `dst` (one per output
   * value; their mins are honoured), with the current values of the Params and the Buffers bound to the
   * ImageParams. Returns one Buffer per output value.
   *
   * @example
   * ```ts
   * const [out] = p.realize([640, 480]);
   * p.realize([existing]);
   * ```
   */
  realize(sizesOrDst: readonly number[] | readonly Buffer[], target?: Target): Buffer[] {
    const outputs = this.outputDefs;
    const dst = sizesOrDst.length > 0 && sizesOrDst[0] instanceof Buffer
      ? (sizesOrDst as readonly Buffer[])
      : outputs.flatMap((f) => newOutputs(f, sizesOrDst as readonly number[]));
    checkOutputs(outputs, dst, false);
    const jp = this.compiled(target);
    runBound(jp, dst, jp.name, false, new Map(), this.#customPrint);
    return [...dst];
  }

  /**
   * Allocates and binds a Buffer to every ImageParam without one, just large enough (and shaped per its
   * constraints) for computing the outputs over `sizes` or over the shapes of `dst`; Buffers already bound are
   * left alone.
   *
   * @example
   * ```ts
   * p.inferInputBounds([100, 100]);
   * input.get()!.dim(0).extent; // e.g. 102 for a 3-tap stencil
   * ```
   */
  inferInputBounds(sizesOrDst: readonly number[] | readonly Buffer[], target?: Target): void {
    const outputs = this.outputDefs;
    const dst = sizesOrDst.length > 0 && sizesOrDst[0] instanceof Buffer
      ? (sizesOrDst as readonly Buffer[])
      : outputs.flatMap((f) => newOutputs(f, sizesOrDst as readonly number[], true));
    checkOutputs(outputs, dst, true);
    const jp = this.compiled(target);
    const unbound = jp.args.flatMap((a) =>
      a.kind === "buffer" && a.source instanceof ImageParam && a.source.get() === undefined ? [a.source] : []
    );
    const queries = new Map(unbound.map((p) => [p, Buffer.makeBoundsQuery(p.type, new Array(p.dimensions).fill(0), p.name)]));
    // Constraints may relate one buffer's shape to another's: query until the shapes stop changing.
    const shapesNow = () => JSON.stringify([...queries.values(), ...dst].map((b) => [shapeOf(b), stridesOf(b)]));
    let shapes = shapesNow(), converged = false;
    for (let pass = 0; pass < 16 && !converged; pass++) {
      runBound(jp, dst, jp.name, true, queries);
      const now = shapesNow();
      converged = now === shapes;
      shapes = now;
    }
    if (!converged) {
      throw new HalideError(
        "Inferring input bounds on Pipeline didn't converge after 16 iterations. There may be unsatisfiable constraints",
      );
    }
    for (const [param, query] of queries) {
      const b = new Buffer(param.type, shapeOf(query).map((d) => d.extent), param.name);
      b.setMin(shapeOf(query).map((d) => d.min));
      param.set(b);
    }
  }
}

function stridesOf(b: Buffer): number[] {
  return Array.from({ length: b.dimensions }, (_, d) => b.dim(d).stride);
}

function shapeOf(b: Buffer): { min: number; extent: number }[] {
  return Array.from({ length: b.dimensions }, (_, d) => ({ min: b.dim(d).min, extent: b.dim(d).extent }));
}

/**
 * Binds the arguments of `jp` — `dst` for the outputs, the Buffer of each ImageParam (or its entry in `queries`),
 * each Param's value — and runs it. With `allowQuery`, buffers without host memory make it a bounds query.
 */
function runBound(
  jp: JitPipeline,
  dst: readonly Buffer[],
  name: string,
  allowQuery: boolean,
  queries: ReadonlyMap<ImageParam, Buffer> = new Map(),
  onPrint?: (line: string) => void,
): void {
  const frame = new CallFrame(jp.args.length);
  if (onPrint) frame.capturePrints(printCaptureBytes);
  let out = 0;
  jp.args.forEach((arg, i) => {
    if (arg.kind === "scalar") {
      frame.setScalar(i, (arg.param as Param).valueBuffer());
    } else if (arg.isOutput) {
      frame.setBuffer(i, dst[out++]);
    } else {
      frame.setBuffer(i, inputBuffer(arg, allowQuery, queries));
    }
  });
  frame.run(jp.call, name, onPrint);
}

/** The print output kept per call when a custom print function is set. */
const printCaptureBytes = 4 << 20;

function inputBuffer(arg: PipelineArg & { kind: "buffer" }, allowQuery: boolean, queries: ReadonlyMap<ImageParam, Buffer>): Buffer {
  const src = arg.source;
  let b: Buffer | undefined;
  if (src instanceof ImageParam) {
    b = queries.get(src) ?? src.get();
    if (!b) throw new HalideError(`ImageParam ${src.name} is not bound to a Buffer; call ${src.name}.set(buffer) first.`);
  } else if (src instanceof Buffer) {
    b = src;
  } else {
    throw new HalideError(`Input ${arg.name} of the pipeline has no data.`);
  }
  if (b.dimensions !== arg.dimensions) {
    throw new HalideError(`Buffer ${b.name} has ${b.dimensions} dimensions, but the pipeline accesses it with ${arg.dimensions}.`);
  }
  if (!b.storage && !allowQuery) throw new HalideError(`Input buffer ${b.name} is a bounds-query buffer with no host memory.`);
  return b;
}

/** Checks `dst` (one Buffer per value of each output, in order) against the outputs' types and dimensions. */
function checkOutputs(outputs: readonly FunctionDef[], dst: readonly Buffer[], allowQuery: boolean): void {
  const values = outputs.reduce((n, f) => n + f.outputTypes.length, 0);
  if (dst.length !== values) {
    const what = outputs.length === 1 ? `Func ${outputs[0].name} has` : `The pipeline's outputs have`;
    throw new HalideError(`${what} ${values} values but realize was given ${dst.length} buffers.`);
  }
  let next = 0;
  for (const output of outputs) {
    const types = output.outputTypes, first = dst[next];
    types.forEach((t, i) => {
      const b = dst[next++];
      if (!(b instanceof Buffer)) throw new HalideError(`Output ${i} of Func ${output.name} must be an hl.Buffer.`);
      const name = types.length > 1 ? `${output.name}.${i}` : output.name;
      if (!b.type.equals(t)) {
        throw new HalideError(`Output buffer ${name} has type ${t} but type of the buffer passed in is ${b.type}`);
      }
      if (b.dimensions !== output.dimensions) {
        throw new HalideError(
          `Output buffer ${name} requires a buffer of exactly ${output.dimensions} dimensions, but the buffer passed in has ${b.dimensions} dimensions`,
        );
      }
      if (!b.storage && !allowQuery) throw new HalideError(`Output buffer ${b.name} is a bounds-query buffer with no host memory.`);
      for (let d = 0; d < b.dimensions; d++) {
        if (b.dim(d).extent !== first.dim(d).extent || b.dim(d).min !== first.dim(d).min) {
          throw new HalideError(`The output buffers of Tuple Func ${output.name} must all have the same shape.`);
        }
      }
    });
  }
}

function newOutputs(output: FunctionDef, sizes: readonly number[], query = false): Buffer[] {
  if (sizes.length !== output.dimensions) {
    throw new HalideError(
      `Func ${output.name} has ${output.dimensions} dimensions, but realize was given ${sizes.length} sizes.`,
    );
  }
  const n = output.outputTypes.length;
  return output.outputTypes.map((t, i) => {
    const name = n > 1 ? `${output.name}.${i}` : output.name;
    return query ? Buffer.makeBoundsQuery(t, [...sizes], name) : new Buffer(t, [...sizes], name);
  });
}


/** Frees JIT code once nothing can call it any more. */
const jitCode = new FinalizationRegistry<JitPipeline>((jp) => jp.dispose());

function releaseWhenCollected(owner: object, jp: JitPipeline): void {
  jitCode.register(owner, jp, owner);
}

/** The Pipeline of each Func realized directly (`f.realize`), so its compiled code is reused. */
const pipelines = new WeakMap<FunctionDef, Pipeline>();

/**
 * The Pipeline that `f.realize(…)` and friends use for `f` (created on first use and kept with the Func).
 *
 * @example
 * ```ts
 * pipelineOf(f).realize([640, 480]);
 * ```
 */
export function pipelineOf(f: Func): Pipeline {
  let p = pipelines.get(f.fn);
  if (!p) pipelines.set(f.fn, p = new Pipeline(f));
  return p;
}
