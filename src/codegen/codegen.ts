/**
 * Code generation: a lowered pipeline (Stmt + arguments) → an LLVM module built through the LLVM C API.
 *
 * The module defines the pipeline's body, `i32 body(ptr user_context, args...)` (buffers as `halide_buffer_t*`,
 * scalars by value), returning 0 or one of Halide's negative error codes. A {@link PipelineAbi} names the body,
 * says where failure messages and `print` output go, and adds the entry points that callers use
 * (`entry_points.ts`): the JavaScript argv wrapper of the JIT, or Halide's C ABI for ahead-of-time code.
 *
 * @module
 */
import type { Handle } from "../../ffi/native.ts";
import { HalideError, internalError } from "../error.ts";
import { asAffineLanes, asConstInt, BufferCall, type Call, type Expr, Intrinsic, stringImm, variable } from "../ir/expr.ts";
import { equalExprs } from "../ir/equality.ts";
import { mapExprChildren, substitute, visitExpr } from "../ir/mutate.ts";
import { exprToString } from "../ir/printer.ts";
import type { Stmt } from "../ir/stmt.ts";
import { MemoryType } from "../ir/schedule.ts";
import { Float, Int, type Type, UInt } from "../ir/type.ts";
import type { LoweredPipeline } from "../lower/lower.ts";
import { Builder, IntPred, utf8, type V } from "./builder.ts";
import { emitIntrinsic } from "./intrinsics.ts";
import { llvm } from "./llvm_target.ts";
import { userContextLayout } from "../runtime/args.ts";

/**
 * Where a pipeline's failure messages and `print` lines go: `"user_context"` writes them into the buffers of the
 * JavaScript user context (`src/runtime/args.ts`), `"runtime"` hands them to the native runtime's `halide_error`
 * and `halide_print` (the C ABI, where the user context is the caller's own pointer).
 */
export type Reporting = "user_context" | "runtime";

/** An LLVM function and its function type. */
export interface LLVMFunction {
  readonly fn: V;
  readonly type: V;
}

/**
 * How a pipeline is packaged in its module: the name and visibility of its body, where it reports, and the entry
 * points that call the body.
 *
 * @example
 * ```ts
 * const abi: PipelineAbi = { bodyName: "f", exported: true, reporting: "user_context", addEntries: () => {} };
 * ```
 */
export interface PipelineAbi {
  readonly bodyName: string;
  /** Whether the body is visible outside the module (else it has internal linkage). */
  readonly exported: boolean;
  readonly reporting: Reporting;
  /** Adds the entry points, given the builder of the module and the body. */
  addEntries(bld: Builder, body: LLVMFunction): void;
}

/**
 * The size of the stack buffer that formats a message for `halide_error` / `halide_print`.
 *
 * @example
 * ```ts
 * const buffer = fn.LLVMBuildAlloca(b, fn.LLVMArrayType(i8, messageBufferBytes), "message");
 * ```
 */
export const messageBufferBytes = 4096;

/**
 * Halide's error codes (`halide_error_code_t`) that generated code returns.
 *
 * @example
 * ```ts
 * ErrorCode.requirementFailed; // -27
 * ```
 */
export const ErrorCode = {
  genericError: -1,
  explicitBoundsTooSmall: -2,
  badType: -3,
  accessOutOfBounds: -4,
  bufferAllocationTooLarge: -5,
  constraintsMakeRequiredRegionSmaller: -7,
  constraintViolated: -8,
  paramTooSmall: -9,
  paramTooLarge: -10,
  outOfMemory: -11,
  bufferArgumentIsNull: -12,
  foldFactorTooSmall: -26,
  requirementFailed: -27,
  bufferExtentsNegative: -28,
  badDimensions: -43,
} as const;

/** The error code of each kind of assertion the lowering passes emit, recognized by the start of its message. */
const assertionCodes: readonly (readonly [RegExp, number])[] = [
  [/^Requirement Failed/, ErrorCode.requirementFailed],
  [/^(Input|Output) buffer .* is accessed at/, ErrorCode.accessOutOfBounds],
  [/^Constraint violated/, ErrorCode.constraintViolated],
  [/^Applying the constraints/, ErrorCode.constraintsMakeRequiredRegionSmaller],
  [/^The extents for buffer/, ErrorCode.bufferExtentsNegative],
  [/^Parameter .* but must be at least/, ErrorCode.paramTooSmall],
  [/^Parameter .* but must be at most/, ErrorCode.paramTooLarge],
  [/^Bounds given for/, ErrorCode.explicitBoundsTooSmall],
  [/^The fold factor/, ErrorCode.foldFactorTooSmall],
];

/** Halide's error code for a failed assertion whose message is made of `parts`. */
function assertionCode(parts: readonly Expr[]): number {
  const text = parts.map((p) => (p.kind === "StringImm" ? p.value : "?")).join("");
  return assertionCodes.find(([re]) => re.test(text))?.[1] ?? ErrorCode.genericError;
}

/**
 * A private constant global holding the NUL-terminated string `s` (LLVM makes the name `str` unique).
 *
 * @example
 * ```ts
 * const fmt = globalString(bld, "%d\n");
 * ```
 */
export function globalString(bld: Builder, s: string): V {
  const { fn, ctx } = bld;
  const bytes = utf8(s);
  const init = fn.LLVMConstStringInContext(ctx, bytes, new TextEncoder().encode(s).length, 0);
  const g = fn.LLVMAddGlobal(bld.mod, fn.LLVMTypeOf(init), "str");
  fn.LLVMSetInitializer(g, init);
  fn.LLVMSetGlobalConstant(g, 1);
  fn.LLVMSetLinkage(g, Linkage.Private);
  return g;
}

/**
 * Formats `format` (printf-style) with `values` into `buffer` ({@link messageBufferBytes} bytes) and passes it to
 * the runtime function `runtimeFn` (`halide_error` or `halide_print`) with `userContext`.
 *
 * @example
 * ```ts
 * reportToRuntime(bld, "halide_error", nullContext, buf, globalString(bld, "Buffer argument %s is NULL"), [name]);
 * ```
 */
export function reportToRuntime(
  bld: Builder,
  runtimeFn: "halide_error" | "halide_print",
  userContext: V,
  buffer: V,
  format: V,
  values: readonly V[],
): void {
  const { fn, b, ptr, i32, i64 } = bld;
  const snprintf = bld.declare("snprintf", i32, [ptr, i64, ptr], true);
  const args = [buffer, bld.constInt(i64, messageBufferBytes), format, ...values];
  fn.LLVMBuildCall2(b, snprintf.type, snprintf.fn, args, args.length, "");
  const report = bld.declare(runtimeFn, fn.LLVMVoidTypeInContext(bld.ctx), [ptr, ptr]);
  fn.LLVMBuildCall2(b, report.type, report.fn, [userContext, buffer], 2, "");
}

/**
 * Adds the string function attributes `attrs` (`target-cpu`, `target-features`…) and `nounwind` to `f`.
 *
 * @example
 * ```ts
 * addFunctionAttributes(bld, entry.fn, functionAttributes(llvmTargetFor(target)));
 * ```
 */
export function addFunctionAttributes(bld: Builder, f: V, attrs: Readonly<Record<string, string>>): void {
  const { fn, ctx } = bld;
  for (const [k, v] of Object.entries(attrs)) {
    const kb = utf8(k), vb = utf8(v);
    fn.LLVMAddAttributeAtIndex(f, -1, fn.LLVMCreateStringAttribute(ctx, kb, kb.length, vb, vb.length));
  }
  const nounwind = utf8("nounwind");
  const kind = fn.LLVMGetEnumAttributeKindForName(nounwind, nounwind.length);
  if (kind !== 0) fn.LLVMAddAttributeAtIndex(f, -1, fn.LLVMCreateEnumAttribute(ctx, kind, 0));
}

/** Byte offsets in `halide_buffer_t` and `halide_dimension_t` (64-bit targets). */
export const bufferLayout = {
  host: 16,
  dim: 40,
  dimSize: 16,
  dimMin: 0,
  dimExtent: 4,
  dimStride: 8,
} as const;

const Linkage = { Internal: 8, Private: 9 } as const;

/** Whether `e` loads from buffer `name`. */
function mentionsLoadOf(e: Expr, name: string): boolean {
  let found = false;
  visitExpr(e, (n) => void (found ||= n.kind === "Load" && n.name === name));
  return found;
}

/** `e` with every load of `name[index]` replaced by `by`. */
function replaceLoads(e: Expr, name: string, index: Expr, by: Expr): Expr {
  const go = (n: Expr): Expr => (n.kind === "Load" && n.name === name && equalExprs(n.index, index) ? by : mapExprChildren(n, go));
  return go(e);
}
/** The largest `Auto` allocation of constant size placed on the stack (Halide's limit). */
const stackAllocationLimit = 16n * 1024n;
/** The largest `Stack`/`Register` allocation placed on the stack (larger ones go to the heap). */
const explicitStackLimit = 1n << 20n;
const AtomicRMW = { Xchg: 0, Add: 1, Sub: 2, Max: 7, Min: 8, UMax: 9, UMin: 10, FAdd: 11 } as const;
const SeqCst = 7;

/**
 * Builds the LLVM module for a lowered pipeline in context `ctx`, packaged as `abi` says.
 *
 * @example
 * ```ts
 * const mod = emitPipelineModule(lp, ctx, attrs, jsAbi(lp, attrs, false));
 * ```
 */
export function emitPipelineModule(
  lp: LoweredPipeline,
  ctx: Handle,
  fnAttributes: Readonly<Record<string, string>>,
  abi: PipelineAbi,
): Handle {
  const { fn } = llvm();
  const mod = fn.LLVMModuleCreateWithNameInContext(lp.name, ctx);
  const emitter = new Emitter(new Builder(ctx, mod), fnAttributes, abi.reporting);
  try {
    emitter.emitPipeline(lp, abi);
  } catch (e) {
    fn.LLVMDisposeModule(mod);
    throw e;
  } finally {
    emitter.dispose();
  }
  return mod;
}

/** The per-function state of the emitter (a pipeline function, or the task function of a parallel loop). */
interface FunctionState {
  func: V;
  /** The first block, holding the allocas; it branches to the body when the function is finished. */
  allocas: V;
  userContext: V;
  /** The stack buffer that formats messages for the runtime (created on first use). */
  messageBuffer?: V;
  scope: Map<string, V>;
  hosts: Map<string, V>;
  /** The heap allocations live at the current point, freed by a failure's early return. */
  live: V[];
}

class Emitter {
  private f!: FunctionState;
  private tasks = 0;
  private pipelineName = "";
  /** Above 0 while emitting a buffer index (see {@link Emitter.indexExpr}). */
  private indexDepth = 0;
  /** The `halide_dimension_t` array of each buffer argument (for the bounds-query protocol). */
  private readonly shapes = new Map<string, V>();

  constructor(
    private readonly bld: Builder,
    private readonly fnAttributes: Readonly<Record<string, string>>,
    private readonly reporting: Reporting,
  ) {}

  dispose(): void {
    this.bld.dispose();
  }

  /**
   * The pipeline body `int body(void *user_context, args…)`, buffers as `halide_buffer_t*` and scalars by
   * value (Bool as i1), and the entry points of `abi`.
   */
  emitPipeline(lp: LoweredPipeline, abi: PipelineAbi): void {
    const { fn, b, ptr, i32 } = this.bld;
    const argTypes = lp.args.map((a) => (a.kind === "buffer" ? ptr : this.bld.llvmType(a.type)));
    const main = this.bld.declare(abi.bodyName, i32, [ptr, ...argTypes]);
    if (!abi.exported) fn.LLVMSetLinkage(main.fn, Linkage.Internal);
    this.pipelineName = abi.bodyName;
    this.beginFunction(main.fn, new Map(), new Map());
    lp.args.forEach((arg, i) => {
      const value = fn.LLVMGetParam(main.fn, i + 1);
      if (arg.kind === "buffer") this.unpackBuffer(arg.name, arg.dimensions, value);
      else this.f.scope.set(arg.name, value);
    });
    this.stmt(lp.body);
    fn.LLVMBuildRet(b, this.bld.constInt(i32, 0));
    this.endFunction();
    abi.addEntries(this.bld, main);
  }

  /** Starts emitting function `func` whose first parameter is the user context. */
  private beginFunction(func: V, scope: Map<string, V>, hosts: Map<string, V>): void {
    const { fn, b } = this.bld;
    addFunctionAttributes(this.bld, func, this.fnAttributes);
    const allocas = fn.LLVMAppendBasicBlockInContext(this.bld.ctx, func, "allocas");
    const body = fn.LLVMAppendBasicBlockInContext(this.bld.ctx, func, "entry");
    this.f = { func, allocas, userContext: fn.LLVMGetParam(func, 0), scope, hosts, live: [] };
    fn.LLVMPositionBuilderAtEnd(b, body);
  }

  /** Closes the alloca block of the current function. */
  private endFunction(): void {
    const { fn, b } = this.bld;
    const here = fn.LLVMGetInsertBlock(b);
    fn.LLVMPositionBuilderAtEnd(b, this.f.allocas);
    fn.LLVMBuildBr(b, fn.LLVMGetNextBasicBlock(this.f.allocas));
    fn.LLVMPositionBuilderAtEnd(b, here);
  }

  /** A stack slot of type `t`, allocated once in the function's first block. */
  private alloca(t: V, name: string): V {
    const { fn, b } = this.bld;
    const here = fn.LLVMGetInsertBlock(b);
    fn.LLVMPositionBuilderAtEnd(b, this.f.allocas);
    const slot = fn.LLVMBuildAlloca(b, t, name);
    fn.LLVMPositionBuilderAtEnd(b, here);
    return slot;
  }

  /** The message buffer of the current function (see {@link FunctionState.messageBuffer}). */
  private messageBuffer(): V {
    this.f.messageBuffer ??= this.alloca(this.bld.fn.LLVMArrayType(this.bld.i8, messageBufferBytes), "message");
    return this.f.messageBuffer;
  }

  private loadField(t: V, base: V, offset: number, name: string): V {
    const { fn, b, i8, i64 } = this.bld;
    const p = offset === 0 ? base : fn.LLVMBuildInBoundsGEP2(b, i8, base, [this.bld.constInt(i64, offset)], 1, "");
    return fn.LLVMBuildLoad2(b, t, p, name);
  }

  private unpackBuffer(name: string, dims: number, buf: V): void {
    const L = bufferLayout, { ptr, i32 } = this.bld;
    this.f.hosts.set(name, this.loadField(ptr, buf, L.host, `${name}.host`));
    const dim = this.loadField(ptr, buf, L.dim, `${name}.dim`);
    this.shapes.set(name, dim);
    for (let d = 0; d < dims; d++) {
      for (const [field, off] of [["min", L.dimMin], ["extent", L.dimExtent], ["stride", L.dimStride]] as const) {
        const v = `${name}.${field}.${d}`;
        this.f.scope.set(v, this.loadField(i32, dim, d * L.dimSize + off, v));
      }
    }
  }

  // ------------------------------------------------------------------------------------------- statements
  private stmt(s: Stmt): void {
    const { fn, b } = this.bld;
    switch (s.kind) {
      case "Block":
        s.stmts.forEach((c) => this.stmt(c));
        return;
      case "LetStmt":
        this.withBinding(s.name, this.expr(s.value), () => this.stmt(s.body));
        return;
      case "For":
        if (s.forType === "Parallel") this.emitParallelFor(s.name, s.min, s.extent, s.body);
        else this.emitFor(s.name, s.min, s.extent, s.body);
        return;
      case "Store":
        if (s.atomic && !s.value.type.isVector()) this.atomicStore(s.name, s.value, s.index);
        else this.store(s.name, s.value, s.index, s.predicate);
        return;
      case "IfThenElse": {
        const after = this.newBlock("after_if");
        const thenBB = this.newBlock("then"), elseBB = s.elseCase ? this.newBlock("else") : after;
        fn.LLVMBuildCondBr(b, this.expr(s.cond), thenBB, elseBB);
        for (const [bb, body] of [[thenBB, s.thenCase], [elseBB, s.elseCase]] as const) {
          if (!body) continue;
          fn.LLVMPositionBuilderAtEnd(b, bb);
          this.stmt(body);
          fn.LLVMBuildBr(b, after);
        }
        fn.LLVMPositionBuilderAtEnd(b, after);
        return;
      }
      case "AssertStmt":
        this.failUnless(this.expr(s.cond), s.message.kind === "Call" ? s.message.args : [s.message]);
        return;
      case "Evaluate":
        this.expr(s.value);
        return;
      case "ProducerConsumer":
        this.stmt(s.body);
        return;
      case "Allocate":
        if (this.onStack(s.type, s.extents, s.memoryType)) this.allocateOnStack(s.name, s.type, s.extents, s.body);
        else this.allocate(s.name, s.type, s.extents, s.body);
        return;
      default:
        internalError(`${s.kind} reached code generation`);
    }
  }

  private newBlock(name: string): V {
    return this.bld.fn.LLVMAppendBasicBlockInContext(this.bld.ctx, this.f.func, name);
  }

  private withBinding<T>(name: string, value: V, body: () => T): T {
    const scope = this.f.scope;
    const prev = scope.get(name);
    scope.set(name, value);
    try {
      return body();
    } finally {
      if (prev === undefined) scope.delete(name);
      else scope.set(name, prev);
    }
  }

  /**
   * A parallel loop: the body becomes a task function `i32 task(user_context, index, closure)` run by
   * `halide_do_par_for` on the native thread pool. The closure is a struct of every value in scope and every
   * buffer's host pointer; a failing task's error code comes back and is returned.
   */
  private emitParallelFor(name: string, minE: Expr, extentE: Expr, body: Stmt): void {
    const { fn, b, ptr, i32, ctx } = this.bld;
    const min = this.expr(minE), extent = this.expr(extentE);
    const captured = [...this.f.scope].map(([k, v]) => ({ k, v, host: false }))
      .concat([...this.f.hosts].map(([k, v]) => ({ k, v, host: true })));
    const types = captured.map((c) => fn.LLVMTypeOf(c.v));
    const closureType = fn.LLVMStructTypeInContext(ctx, types, types.length, 0);
    const closure = this.alloca(closureType, `${name}.closure`);
    captured.forEach((c, i) => fn.LLVMBuildStore(b, c.v, fn.LLVMBuildStructGEP2(b, closureType, closure, i, "")));

    const task = this.bld.declare(`${this.pipelineName}.par_for.${name}.${this.tasks++}`, i32, [ptr, i32, ptr]);
    fn.LLVMSetLinkage(task.fn, Linkage.Internal);
    const outer = this.f;
    const outerBlock = fn.LLVMGetInsertBlock(b);
    this.beginFunction(task.fn, new Map(), new Map());
    const env = fn.LLVMGetParam(task.fn, 2);
    captured.forEach((c, i) => {
      const v = fn.LLVMBuildLoad2(b, types[i], fn.LLVMBuildStructGEP2(b, closureType, env, i, ""), c.k);
      (c.host ? this.f.hosts : this.f.scope).set(c.k, v);
    });
    this.withBinding(name, fn.LLVMGetParam(task.fn, 1), () => this.stmt(body));
    fn.LLVMBuildRet(b, this.bld.constInt(i32, 0));
    this.endFunction();
    this.f = outer;
    fn.LLVMPositionBuilderAtEnd(b, outerBlock);

    const parFor = this.bld.declare("halide_do_par_for", i32, [ptr, ptr, i32, i32, ptr]);
    const args = [this.f.userContext, task.fn, min, extent, closure];
    const status = fn.LLVMBuildCall2(b, parFor.type, parFor.fn, args, args.length, "");
    const ok = this.newBlock(`${name}.par_for_ok`), failed = this.newBlock(`${name}.par_for_failed`);
    fn.LLVMBuildCondBr(b, fn.LLVMBuildICmp(b, IntPred.EQ, status, this.bld.constInt(i32, 0), ""), ok, failed);
    fn.LLVMPositionBuilderAtEnd(b, failed);
    for (const host of this.f.live) this.free(host);
    fn.LLVMBuildRet(b, status);
    fn.LLVMPositionBuilderAtEnd(b, ok);
  }

  private emitFor(name: string, minE: Expr, extentE: Expr, body: Stmt): void {
    const { fn, b, i32 } = this.bld;
    const min = this.expr(minE), extent = this.expr(extentE);
    const end = fn.LLVMBuildAdd(b, min, extent, `${name}.end`);
    const pre = fn.LLVMGetInsertBlock(b);
    const loop = this.newBlock(`${name}.loop`), after = this.newBlock(`${name}.after`);
    fn.LLVMBuildCondBr(b, fn.LLVMBuildICmp(b, IntPred.SLT, min, end, ""), loop, after);
    fn.LLVMPositionBuilderAtEnd(b, loop);
    const phi = fn.LLVMBuildPhi(b, i32, name);
    this.withBinding(name, phi, () => this.stmt(body));
    const next = fn.LLVMBuildNSWAdd(b, phi, this.bld.constInt(i32, 1), `${name}.next`);
    const latch = fn.LLVMGetInsertBlock(b);
    fn.LLVMAddIncoming(phi, [min, next], [pre, latch], 2);
    fn.LLVMBuildCondBr(b, fn.LLVMBuildICmp(b, IntPred.SLT, next, end, ""), loop, after);
    fn.LLVMPositionBuilderAtEnd(b, after);
  }

  /** The address of element `index` (a scalar Int(32) value) of buffer `name`. */
  private elementPointer(name: string, t: Type, index: V): V {
    return this.gep(name, t, this.bld.fn.LLVMBuildSExt(this.bld.b, index, this.bld.i64, ""));
  }

  /** The address of element `index` (an Int(64) value) of buffer `name`. */
  private gep(name: string, t: Type, index64: V): V {
    const { fn, b } = this.bld;
    const host = this.f.hosts.get(name) ?? internalError(`unknown buffer ${name}`);
    return fn.LLVMBuildInBoundsGEP2(b, this.bld.memType(t.elementOf()), host, [index64], 1, "");
  }

  /**
   * The address of element `index` (a scalar Int(32) Expr) of buffer `name`, its sums, differences and products
   * computed in 64 bits: they cannot overflow (see {@link indexExpr}), and LLVM then sees an affine 64-bit address
   * it can strength-reduce and unroll, where one extension of a 32-bit sum (which its optimizations may have
   * reassociated without `nsw`) hides the recurrence.
   */
  private addressOf(name: string, t: Type, index: Expr): V {
    const { fn, b, i64 } = this.bld;
    const wide = (e: Expr): V => {
      if ((e.kind === "Add" || e.kind === "Sub" || e.kind === "Mul") && e.type.equals(Int(32))) {
        return this.bld.arith(e.kind, Int(64), wide(e.a), wide(e.b), true);
      }
      if (e.kind === "IntImm") return this.bld.constInt(i64, Number(e.value));
      return fn.LLVMBuildSExt(b, this.indexExpr(e), i64, "");
    };
    return this.gep(name, t, wide(index));
  }

  /**
   * An element index of a buffer access. Its int32 additions, subtractions and multiplications cannot overflow
   * (every access is inside a buffer of fewer than 2^31 bytes, which the checks before the loops guarantee), so they
   * are emitted `nsw`, as Halide does: LLVM can then widen the index once and step pointers instead of
   * re-extending it at every access.
   */
  private indexExpr(e: Expr): V {
    this.indexDepth++;
    try {
      return this.expr(e);
    } finally {
      this.indexDepth--;
    }
  }

  /** The lane mask of a vector access's predicate, or undefined when it is always true. */
  private mask(predicate: Expr): V | undefined {
    if (predicate.type.isScalar()) return undefined;
    if (predicate.kind === "Broadcast" && asConstInt(predicate.value) === 1n) return undefined;
    return this.expr(predicate);
  }

  /** The base index of a dense (stride-1 Ramp) vector index, if it is one. */
  private denseBase(index: Expr): Expr | undefined {
    const affine = asAffineLanes(index);
    return affine?.stride === 1n ? affine.base : undefined;
  }

  /** Loads `t` (scalar or vector) at `index` of buffer `name`: one vector load when dense, else lane by lane. */
  private load(name: string, t: Type, index: Expr, predicate: Expr): V {
    const bld = this.bld, { fn, b } = bld;
    const mask = this.mask(predicate);
    if (mask) {
      // A predicated dense load (vectorize.ts only predicates dense accesses): masked-off lanes touch no memory.
      const ptr = this.addressOf(name, t, this.denseBase(index)!);
      const align = bld.constInt(bld.i32, t.elementOf().bytes());
      const raw = bld.callIntrinsic("llvm.masked.load", [bld.memType(t), bld.ptr], [ptr, align, mask, fn.LLVMGetUndef(bld.memType(t))]);
      return t.isBool() ? fn.LLVMBuildICmp(b, IntPred.NE, raw, bld.constOf(UInt(8, t.lanes), 0), "") : raw;
    }
    const loadAt = (ptr: V, lt: Type) => {
      const v = fn.LLVMBuildLoad2(b, bld.memType(lt), ptr, "");
      fn.LLVMSetAlignment(v, lt.elementOf().bytes());
      return v;
    };
    let raw: V;
    const base = t.isVector() ? this.denseBase(index) : undefined;
    if (!t.isVector()) raw = loadAt(this.addressOf(name, t, index), t);
    else if (base) raw = loadAt(this.addressOf(name, t, base), t);
    else {
      const indices = this.indexExpr(index);
      raw = fn.LLVMGetUndef(bld.memType(t));
      for (let i = 0; i < t.lanes; i++) {
        const lane = bld.constInt(bld.i32, i);
        const v = loadAt(this.elementPointer(name, t, fn.LLVMBuildExtractElement(b, indices, lane, "")), t.elementOf());
        raw = fn.LLVMBuildInsertElement(b, raw, v, lane, "");
      }
    }
    return t.isBool() ? fn.LLVMBuildICmp(b, IntPred.NE, raw, bld.constOf(UInt(8, t.lanes), 0), "") : raw;
  }

  /** Stores `valueE` at `indexE` of buffer `name`: one vector store when dense, else lane by lane. */
  private store(name: string, valueE: Expr, indexE: Expr, predicate: Expr): void {
    const bld = this.bld, { fn, b } = bld;
    const t = valueE.type;
    let value = this.expr(valueE);
    if (t.isBool()) value = fn.LLVMBuildZExt(b, value, bld.memType(t), "");
    const mask = this.mask(predicate);
    if (mask) {
      const ptr = this.addressOf(name, t, this.denseBase(indexE)!);
      bld.callIntrinsic("llvm.masked.store", [bld.memType(t), bld.ptr], [value, ptr, bld.constInt(bld.i32, t.elementOf().bytes()), mask]);
      return;
    }
    const storeAt = (v: V, ptr: V, lt: Type) => {
      fn.LLVMSetAlignment(fn.LLVMBuildStore(b, v, ptr), lt.elementOf().bytes());
    };
    const base = t.isVector() ? this.denseBase(indexE) : undefined;
    if (!t.isVector()) storeAt(value, this.addressOf(name, t, indexE), t);
    else if (base) storeAt(value, this.addressOf(name, t, base), t);
    else {
      const indices = this.indexExpr(indexE);
      for (let i = 0; i < t.lanes; i++) {
        const lane = bld.constInt(bld.i32, i);
        const ptr = this.elementPointer(name, t, fn.LLVMBuildExtractElement(b, indices, lane, ""));
        storeAt(fn.LLVMBuildExtractElement(b, value, lane, ""), ptr, t.elementOf());
      }
    }
  }

  /**
   * Stores `valueE` at `name[indexE]` atomically with respect to the loads of that same element inside it (an
   * `atomic()` update, `f(i) = op(f(i), e)`): one `atomicrmw` for `+ - min max` of integers and `+` of floats,
   * else a compare-and-exchange loop that recomputes the value from the element it last saw.
   */
  private atomicStore(name: string, valueE: Expr, indexE: Expr): void {
    const bld = this.bld, { fn, b } = bld;
    const t = valueE.type;
    const ptr = this.addressOf(name, t, indexE);
    const isSelf = (e: Expr) => e.kind === "Load" && e.name === name && equalExprs(e.index, indexE);
    const v = valueE as Expr & { a?: Expr; b?: Expr };
    const other = v.a && v.b ? (isSelf(v.a) ? v.b : isSelf(v.b) && v.kind !== "Sub" ? v.a : undefined) : undefined;
    const rmw = other && !t.isBool() ? this.rmwOp(v.kind, t) : undefined;
    if (rmw !== undefined && !mentionsLoadOf(other!, name)) {
      fn.LLVMSetAlignment(fn.LLVMBuildAtomicRMW(b, rmw, ptr, this.expr(other!), SeqCst, 0), t.bytes());
      return;
    }
    // Compare-and-exchange on the element's bits until no other thread wrote it in between.
    const bitsT = bld.llvmType(UInt(t.bits === 1 ? 8 : t.bits));
    const mem = bld.memType(t);
    const first = fn.LLVMBuildLoad2(b, mem, ptr, "");
    fn.LLVMSetAlignment(first, t.bytes());
    const entry = fn.LLVMGetInsertBlock(b), loop = this.newBlock("atomic_retry"), done = this.newBlock("atomic_done");
    fn.LLVMBuildBr(b, loop);
    fn.LLVMPositionBuilderAtEnd(b, loop);
    const old = fn.LLVMBuildPhi(b, mem, "");
    const oldName = `${name}.atomic_old`;
    const replaced = replaceLoads(valueE, name, indexE, variable(t, oldName));
    let updated = this.withBinding(oldName, t.isBool() ? fn.LLVMBuildTrunc(b, old, bld.llvmType(t), "") : old, () => this.expr(replaced));
    if (t.isBool()) updated = fn.LLVMBuildZExt(b, updated, mem, "");
    const asBits = (x: V) => (t.isFloat() ? fn.LLVMBuildBitCast(b, x, bitsT, "") : x);
    const pair = fn.LLVMBuildAtomicCmpXchg(b, ptr, asBits(old), asBits(updated), SeqCst, SeqCst, 0);
    const seenBits = fn.LLVMBuildExtractValue(b, pair, 0, "");
    const seen = t.isFloat() ? fn.LLVMBuildBitCast(b, seenBits, mem, "") : seenBits;
    fn.LLVMBuildCondBr(b, fn.LLVMBuildExtractValue(b, pair, 1, ""), done, loop);
    const retry = fn.LLVMGetInsertBlock(b);
    fn.LLVMAddIncoming(old, [first, seen], [entry, retry], 2);
    fn.LLVMPositionBuilderAtEnd(b, done);
  }

  /** The `atomicrmw` operation for `kind` on type `t`, if there is one. */
  private rmwOp(kind: Expr["kind"], t: Type): number | undefined {
    if (t.isFloat()) return kind === "Add" ? AtomicRMW.FAdd : undefined;
    const signed = t.isInt();
    switch (kind) {
      case "Add":
        return AtomicRMW.Add;
      case "Sub":
        return AtomicRMW.Sub;
      case "Max":
        return signed ? AtomicRMW.Max : AtomicRMW.UMax;
      case "Min":
        return signed ? AtomicRMW.Min : AtomicRMW.UMin;
      default:
        return undefined;
    }
  }

  /**
   * Unless `cond` holds, reports the message made of `parts` (strings and values) and returns the error code of
   * that kind of assertion from the current function.
   */
  private failUnless(cond: V, parts: readonly Expr[]): void {
    this.failWith(cond, assertionCode(parts), () => this.formatArgs(parts, ""));
  }

  /**
   * Unless `cond` holds, reports the printf-style message `message()` builds (in the failure branch), frees the
   * live heap allocations and returns `code`.
   */
  private failWith(cond: V, code: number, message: () => [string, V[]]): void {
    const { fn, b, i32 } = this.bld;
    const ok = this.newBlock("assert_ok"), fail = this.newBlock("assert_failed");
    fn.LLVMBuildCondBr(b, cond, ok, fail);
    fn.LLVMPositionBuilderAtEnd(b, fail);
    if (this.reporting === "user_context") this.reportToUserContext(message);
    else {
      const [format, values] = message();
      reportToRuntime(this.bld, "halide_error", this.f.userContext, this.messageBuffer(), globalString(this.bld, format), values);
    }
    for (const host of this.f.live) this.free(host);
    fn.LLVMBuildRet(b, this.bld.constInt(i32, code));
    fn.LLVMPositionBuilderAtEnd(b, ok);
  }

  /**
   * Writes the message into the JavaScript user context's error buffer, unless another failure (of any thread)
   * already did: the first one claims the "error reported" flag.
   */
  private reportToUserContext(message: () => [string, V[]]): void {
    const { fn, b, ptr, i8, i32, i64 } = this.bld;
    const report = this.newBlock("assert_report"), done = this.newBlock("assert_return");
    const flag = fn.LLVMBuildInBoundsGEP2(b, i8, this.f.userContext, [this.bld.constInt(i64, userContextLayout.errorReported)], 1, "");
    const previous = fn.LLVMBuildAtomicRMW(b, AtomicRMW.Xchg, flag, this.bld.constInt(i32, 1), SeqCst, 0);
    fn.LLVMBuildCondBr(b, fn.LLVMBuildICmp(b, IntPred.EQ, previous, this.bld.constInt(i32, 0), ""), report, done);
    fn.LLVMPositionBuilderAtEnd(b, report);
    const [format, values] = message();
    const snprintf = this.bld.declare("snprintf", i32, [ptr, i64, ptr], true);
    const buffer = this.loadField(ptr, this.f.userContext, userContextLayout.errorBuffer, "error_buffer");
    const bytes = this.loadField(i32, this.f.userContext, userContextLayout.errorBufferSize, "error_buffer_size");
    const args = [buffer, fn.LLVMBuildZExt(b, bytes, i64, ""), globalString(this.bld, format), ...values];
    fn.LLVMBuildCall2(b, snprintf.type, snprintf.fn, args, args.length, "");
    fn.LLVMBuildBr(b, done);
    fn.LLVMPositionBuilderAtEnd(b, done);
  }

  private free(host: V): void {
    const { fn, b, ptr } = this.bld;
    const free = this.bld.declare("free", fn.LLVMVoidTypeInContext(this.bld.ctx), [ptr]);
    fn.LLVMBuildCall2(b, free.type, free.fn, [host], 1, "");
  }

  /**
   * Heap storage for a Func's realization: `malloc` of the product of the extents (computed in 64 bits and
   * limited to 2^31 - 1 bytes, as Halide), freed after the body.
   */
  private allocate(name: string, t: Type, extents: readonly Expr[], body: Stmt): void {
    const bld = this.bld, { fn, b, ptr, i64 } = bld;
    const elemBytes = t.isBool() ? 1 : t.bytes();
    // An empty region (a producer in iterations that a guard skips) can have a negative extent: allocate nothing.
    const zero32 = bld.constInt(bld.i32, 0);
    const bytes = extents.reduce(
      (acc, e) => fn.LLVMBuildMul(b, acc, fn.LLVMBuildSExt(b, bld.minMax("Max", Int(32), this.expr(e), zero32), i64, ""), ""),
      bld.constInt(i64, elemBytes),
    );
    const limit = bld.constInt(i64, 2 ** 31 - 1);
    const zero = bld.constInt(i64, 0);
    const inRange = fn.LLVMBuildAnd(
      b,
      fn.LLVMBuildICmp(b, IntPred.SLE, bytes, limit, ""),
      fn.LLVMBuildICmp(b, IntPred.SGE, bytes, zero, ""),
      "",
    );
    this.failWith(inRange, ErrorCode.bufferAllocationTooLarge, () => [
      `Total allocation for buffer ${name} is %lld bytes, which exceeds the maximum size of 2^31 - 1`,
      [bytes],
    ]);
    const malloc = bld.declare("malloc", ptr, [i64]);
    const host = fn.LLVMBuildCall2(b, malloc.type, malloc.fn, [bytes], 1, `${name}.host`);
    const gotMemory = fn.LLVMBuildOr(
      b,
      fn.LLVMBuildICmp(b, IntPred.NE, fn.LLVMBuildPtrToInt(b, host, i64, ""), zero, ""),
      fn.LLVMBuildICmp(b, IntPred.EQ, bytes, zero, ""),
      "",
    );
    this.failWith(gotMemory, ErrorCode.outOfMemory, () => [`Out of memory allocating %lld bytes for buffer ${name}`, [bytes]]);
    this.f.hosts.set(name, host);
    this.f.live.push(host);
    this.stmt(body);
    this.f.live.pop();
    this.f.hosts.delete(name);
    this.free(host);
  }

  /**
   * Whether an allocation lives in the function's stack frame, as in Halide: a constant size, and `Stack` or
   * `Register` memory (up to 1 MiB), or `Auto` up to 16 KiB; everything else is on the heap.
   */
  private onStack(t: Type, extents: readonly Expr[], memory: MemoryType | undefined): boolean {
    let bytes = BigInt(t.isBool() ? 1 : t.bytes());
    for (const e of extents) {
      const n = asConstInt(e);
      if (n === undefined) return false;
      bytes *= n > 0n ? n : 0n;
    }
    // Explicit stack storage is still bounded, so that a worker thread's stack cannot overflow.
    if (memory === MemoryType.Stack || memory === MemoryType.Register) return bytes <= explicitStackLimit;
    return (memory === undefined || memory === MemoryType.Auto) && bytes <= stackAllocationLimit;
  }

  /** Storage in the stack frame (allocated once, in the entry block of the current function). */
  private allocateOnStack(name: string, t: Type, extents: readonly Expr[], body: Stmt): void {
    const { fn } = this.bld;
    const count = extents.reduce((a, e) => a * Math.max(Number(asConstInt(e)), 0), 1);
    const slot = this.alloca(fn.LLVMArrayType(this.bld.memType(t.elementOf()), Math.max(count, 1)), `${name}.stack`);
    fn.LLVMSetAlignment(slot, 32);
    this.f.hosts.set(name, slot);
    this.stmt(body);
    this.f.hosts.delete(name);
  }

  /** A printf format string and its arguments for message parts (strings verbatim, values formatted). */
  private formatArgs(parts: readonly Expr[], separator: string): [string, V[]] {
    const pieces: string[] = [];
    const values: V[] = [];
    for (const p of parts) {
      if (p.kind === "StringImm") {
        pieces.push(p.value.replaceAll("%", "%%"));
      } else if (p.type.isFloat()) {
        // As Halide's runtime: doubles in scientific notation, narrower floats with six decimals.
        pieces.push(p.type.bits === 64 ? "%e" : "%f");
        values.push(this.bld.cast(p.type, Float(64), this.expr(p)));
      } else if (p.type.isBool()) {
        pieces.push("%s");
        values.push(this.bld.fn.LLVMBuildSelect(this.bld.b, this.expr(p), this.globalString("true"), this.globalString("false"), ""));
      } else {
        pieces.push(p.type.isInt() ? "%lld" : "%llu");
        values.push(this.bld.resize(p.type, 64, this.expr(p)));
      }
    }
    return [pieces.join(separator), values];
  }

  private globalString(s: string): V {
    return globalString(this.bld, s);
  }

  // ------------------------------------------------------------------------------------------ expressions
  private expr(e: Expr): V {
    const bld = this.bld, { fn, b } = bld;
    switch (e.kind) {
      case "IntImm":
      case "FloatImm":
        return bld.constOf(e.type, e.value);
      case "Variable":
        return this.f.scope.get(e.name) ?? internalError(`Variable ${e.name} is not in scope in code generation`);
      case "Let":
        // A let-bound affine vector (a Ramp, say, once loop partitioning has removed a clamp around it) is
        // substituted, so that the accesses indexed by it are still recognized as dense.
        if (e.value.type.isVector() && asAffineLanes(e.value)) {
          return this.expr(substitute(e.body, new Map([[e.name, e.value]])));
        }
        return this.withBinding(e.name, this.expr(e.value), () => this.expr(e.body));
      case "Cast":
        return bld.cast(e.value.type, e.type, this.expr(e.value));
      case "Reinterpret":
        return fn.LLVMBuildBitCast(b, this.expr(e.value), bld.llvmType(e.type), "");
      case "Add":
      case "Sub":
      case "Mul": {
        const nsw = this.indexDepth > 0 && e.type.elementOf().isInt() && e.type.bits === 32;
        return bld.arith(e.kind, e.type, this.expr(e.a), this.expr(e.b), nsw);
      }
      case "Div":
      case "Mod":
        return bld.divMod(e.type, this.expr(e.a), this.expr(e.b), e.kind === "Div" ? "div" : "mod");
      case "Min":
      case "Max":
        return bld.minMax(e.kind, e.type, this.expr(e.a), this.expr(e.b));
      case "EQ":
      case "NE":
      case "LT":
      case "LE":
      case "GT":
      case "GE":
        return bld.compare(e.kind, e.a.type, this.expr(e.a), this.expr(e.b));
      case "And":
        return fn.LLVMBuildAnd(b, this.expr(e.a), this.expr(e.b), "");
      case "Or":
        return fn.LLVMBuildOr(b, this.expr(e.a), this.expr(e.b), "");
      case "Not":
        return fn.LLVMBuildNot(b, this.expr(e.a), "");
      case "Select":
        return bld.select(this.expr(e.cond), this.expr(e.trueValue), this.expr(e.falseValue));
      case "Load":
        return this.load(e.name, e.type, e.index, e.predicate);
      case "Broadcast":
        return bld.broadcast(this.expr(e.value), e.lanes);
      case "Ramp": {
        const et = e.base.type;
        const steps = bld.constVector(et, Array.from({ length: e.lanes }, (_, i) => i));
        const stride = bld.broadcast(this.expr(e.stride), e.lanes);
        const nsw = this.indexDepth > 0 && et.isInt() && et.bits === 32;
        return bld.arith("Add", e.type, bld.broadcast(this.expr(e.base), e.lanes), bld.arith("Mul", e.type, stride, steps, nsw), nsw);
      }
      case "Call":
        return this.call(e);
      default:
        throw new HalideError(`Code generation does not support ${e.kind} nodes yet`);
    }
  }

  private call(e: Call): V {
    if (e.callType === "Extern") return this.bufferCall(e);
    if (e.callType !== "PureIntrinsic" && e.callType !== "Intrinsic") {
      internalError(`${e.callType} call to ${e.name} reached code generation`);
    }
    switch (e.name) {
      case Intrinsic.print:
        return this.print(e.args);
      case Intrinsic.require: {
        // Halide's message: "Requirement Failed: (cond) args…", the arguments separated by spaces.
        const [cond, value, ...message] = e.args;
        const head = stringImm(`Requirement Failed: (${exprToString(cond)})`);
        this.failWith(this.expr(cond), ErrorCode.requirementFailed, () => this.formatArgs([head, ...message], " "));
        return this.expr(value);
      }
      case Intrinsic.ifThenElse:
        return this.ifThenElseExpr(e);
      default:
        return emitIntrinsic(this.bld, e, e.args.map((a) => this.expr(a)));
    }
  }

  /** The {@link BufferCall}s of the bounds-query protocol. */
  private bufferCall(e: Call): V {
    const { fn, b, ptr, i32 } = this.bld;
    const [nameArg, ...values] = e.args;
    const name = nameArg.kind === "StringImm" ? nameArg.value : "";
    const host = this.f.hosts.get(name), shape = this.shapes.get(name);
    if (host === undefined || shape === undefined) internalError(`${e.name} of unknown buffer ${name}`);
    switch (e.name) {
      case BufferCall.isBoundsQuery:
        return fn.LLVMBuildICmp(b, IntPred.EQ, host, fn.LLVMConstPointerNull(ptr), `${name}.is_bounds_query`);
      case BufferCall.setBounds:
        values.forEach((v, i) => {
          const field = fn.LLVMBuildInBoundsGEP2(b, i32, shape, [this.bld.constInt(i32, Math.floor(i / 3) * 4 + (i % 3))], 1, "");
          fn.LLVMBuildStore(b, this.expr(v), field);
        });
        return this.bld.constInt(i32, 0);
      default:
        return internalError(`Extern call to ${e.name} reached code generation`);
    }
  }

  /**
   * `print(a, b, …)`: prints the arguments separated by spaces and a newline; its value is `a`. With runtime
   * reporting the line goes to `halide_print` (at most {@link messageBufferBytes} - 1 bytes of it).
   */
  private print(args: readonly Expr[]): V {
    const [format, values] = this.formatArgs(args, " ");
    const fmt = this.globalString(`${format}\n`);
    if (this.reporting === "runtime") reportToRuntime(this.bld, "halide_print", this.f.userContext, this.messageBuffer(), fmt, values);
    else this.printToUserContext(fmt, values);
    return args[0].kind === "StringImm" ? this.bld.constInt(this.bld.i32, 0) : this.expr(args[0]);
  }

  /**
   * The line goes to stdout (flushed), or, when the user context has a print capture buffer (a custom print
   * function in JavaScript), into that buffer: each line reserves its bytes with an atomic add on the buffer's
   * fill level, so lines from parallel tasks never mix, and lines that do not fit are counted but dropped.
   */
  private printToUserContext(fmt: V, values: readonly V[]): void {
    const { fn, b, ptr, i8, i32, i64 } = this.bld;
    const snprintf = this.bld.declare("snprintf", i32, [ptr, i64, ptr], true);
    const call = (f: { fn: V; type: V }, callArgs: V[]) => fn.LLVMBuildCall2(b, f.type, f.fn, callArgs, callArgs.length, "");
    const field = (offset: number) => fn.LLVMBuildInBoundsGEP2(b, i8, this.f.userContext, [this.bld.constInt(i64, offset)], 1, "");
    const capture = fn.LLVMBuildLoad2(b, ptr, field(userContextLayout.printBuffer), "print_buffer");
    const toStdout = this.newBlock("print_stdout"), toBuffer = this.newBlock("print_capture");
    const fits = this.newBlock("print_fits"), done = this.newBlock("print_done");
    fn.LLVMBuildCondBr(b, fn.LLVMBuildICmp(b, IntPred.EQ, capture, fn.LLVMConstPointerNull(ptr), ""), toStdout, toBuffer);

    fn.LLVMPositionBuilderAtEnd(b, toStdout);
    call(this.bld.declare("printf", i32, [ptr], true), [fmt, ...values]);
    call(this.bld.declare("fflush", i32, [ptr]), [fn.LLVMConstPointerNull(ptr)]);
    fn.LLVMBuildBr(b, done);

    fn.LLVMPositionBuilderAtEnd(b, toBuffer);
    const length = fn.LLVMBuildSExt(b, call(snprintf, [fn.LLVMConstPointerNull(ptr), this.bld.constInt(i64, 0), fmt, ...values]), i64, "");
    const bytes = fn.LLVMBuildAdd(b, length, this.bld.constInt(i64, 1), ""); // with the NUL snprintf writes
    const at = fn.LLVMBuildAtomicRMW(b, AtomicRMW.Add, field(userContextLayout.printUsed), bytes, SeqCst, 0);
    const end = fn.LLVMBuildAdd(b, at, bytes, "");
    const capacity = fn.LLVMBuildLoad2(b, i64, field(userContextLayout.printCapacity), "");
    fn.LLVMBuildCondBr(b, fn.LLVMBuildICmp(b, IntPred.ULE, end, capacity, ""), fits, done);
    fn.LLVMPositionBuilderAtEnd(b, fits);
    call(snprintf, [fn.LLVMBuildInBoundsGEP2(b, i8, capture, [at], 1, ""), bytes, fmt, ...values]);
    fn.LLVMBuildBr(b, done);

    fn.LLVMPositionBuilderAtEnd(b, done);
  }

  /** `if_then_else(c, a, b)`: evaluates only the chosen operand. */
  private ifThenElseExpr(e: Call): V {
    const { fn, b } = this.bld;
    const [c, x, y] = e.args;
    const thenBB = this.newBlock("ite_then"), elseBB = this.newBlock("ite_else"), after = this.newBlock("ite_after");
    fn.LLVMBuildCondBr(b, this.expr(c), thenBB, elseBB);
    const arm = (bb: V, v: Expr): [V, V] => {
      fn.LLVMPositionBuilderAtEnd(b, bb);
      const r = this.expr(v);
      const end = fn.LLVMGetInsertBlock(b);
      fn.LLVMBuildBr(b, after);
      return [r, end];
    };
    const [tv, tEnd] = arm(thenBB, x), [fv, fEnd] = arm(elseBB, y);
    fn.LLVMPositionBuilderAtEnd(b, after);
    const phi = fn.LLVMBuildPhi(b, this.bld.llvmType(e.type), "");
    fn.LLVMAddIncoming(phi, [tv, fv], [tEnd, fEnd], 2);
    return phi;
  }
}
