/**
 * Code generation: a lowered pipeline (Stmt + arguments) → an LLVM module built through the LLVM C API.
 *
 * The module defines `name(void *user_context, args...)` returning 0 or a negative error code, and the
 * wrapper `int name_argv(void **args)` that JavaScript calls: `args[0]` is the user context (whose first
 * fields are the error-message buffer and its size), `args[i]` for a buffer argument is its `halide_buffer_t*`
 * and for a scalar argument a pointer to the value.
 *
 * @module
 */
import type { Handle } from "../../ffi/native.ts";
import type { LLVMSymbols } from "../../ffi/llvm.ts";
import { HalideError, internalError } from "../error.ts";
import { type Call, type Expr, Intrinsic } from "../ir/expr.ts";
import type { Stmt } from "../ir/stmt.ts";
import { Float, type Type } from "../ir/type.ts";
import type { LoweredPipeline } from "../lower/lower.ts";
import { llvm } from "./llvm_target.ts";

/** Byte offsets in `halide_buffer_t` and `halide_dimension_t` (64-bit targets). */
export const bufferLayout = {
  host: 16,
  typeCode: 32,
  typeBits: 33,
  typeLanes: 34,
  dimensions: 36,
  dim: 40,
  size: 56,
  dimSize: 16,
  dimMin: 0,
  dimExtent: 4,
  dimStride: 8,
} as const;

const IntPred = { EQ: 32, NE: 33, UGT: 34, UGE: 35, ULT: 36, ULE: 37, SGT: 38, SGE: 39, SLT: 40, SLE: 41 } as const;
const RealPred = { OEQ: 1, OGT: 2, OGE: 3, OLT: 4, OLE: 5, ONE: 6, UNO: 8, UNE: 14 } as const;
const Linkage = { External: 0, Private: 9 } as const;

type V = Handle;

/** Math functions with an LLVM intrinsic of the same meaning. */
const llvmMath: Partial<Record<string, string>> = {
  [Intrinsic.sqrt]: "llvm.sqrt",
  [Intrinsic.sin]: "llvm.sin",
  [Intrinsic.cos]: "llvm.cos",
  [Intrinsic.exp]: "llvm.exp",
  [Intrinsic.log]: "llvm.log",
  [Intrinsic.pow]: "llvm.pow",
  [Intrinsic.floor]: "llvm.floor",
  [Intrinsic.ceil]: "llvm.ceil",
  [Intrinsic.round]: "llvm.roundeven",
  [Intrinsic.trunc]: "llvm.trunc",
};
/** Math functions taken from the C math library (`asinf` / `asin`). */
const libmMath = new Set<string>([
  Intrinsic.tan, Intrinsic.asin, Intrinsic.acos, Intrinsic.atan, Intrinsic.atan2, Intrinsic.sinh, Intrinsic.cosh,
  Intrinsic.tanh, Intrinsic.asinh, Intrinsic.acosh, Intrinsic.atanh,
]);

/**
 * Builds the LLVM module for a lowered pipeline in context `ctx`.
 *
 * @example
 * ```ts
 * const mod = emitPipelineModule(lp, mc.ctx, "x86_64-unknown-linux-gnu", dataLayoutOf(tm), target);
 * ```
 */
export function emitPipelineModule(
  lp: LoweredPipeline,
  ctx: Handle,
  triple: string,
  dataLayout: string,
  fnAttributes: Readonly<Record<string, string>>,
): Handle {
  return new Emitter(ctx, lp.name, triple, dataLayout, fnAttributes).emitPipeline(lp);
}

class Emitter {
  private readonly fn: LLVMSymbols;
  private readonly mod: V;
  private readonly b: V;
  private readonly i1: V;
  private readonly i8: V;
  private readonly i32: V;
  private readonly i64: V;
  private readonly ptr: V;
  private func: V = null;
  private readonly scope = new Map<string, V>();
  private readonly hosts = new Map<string, V>();
  private errorBuffer: V = null;
  private errorBufferSize: V = null;
  private strings = 0;

  constructor(
    private readonly ctx: V,
    name: string,
    triple: string,
    dataLayout: string,
    private readonly fnAttributes: Readonly<Record<string, string>>,
  ) {
    this.fn = llvm().fn;
    const fn = this.fn;
    this.mod = fn.LLVMModuleCreateWithNameInContext(name, ctx);
    fn.LLVMSetTarget(this.mod, triple);
    fn.LLVMSetDataLayout(this.mod, dataLayout);
    this.b = fn.LLVMCreateBuilderInContext(ctx);
    this.i1 = fn.LLVMInt1TypeInContext(ctx);
    this.i8 = fn.LLVMInt8TypeInContext(ctx);
    this.i32 = fn.LLVMInt32TypeInContext(ctx);
    this.i64 = fn.LLVMInt64TypeInContext(ctx);
    this.ptr = fn.LLVMPointerTypeInContext ? fn.LLVMPointerTypeInContext(ctx, 0) : internalError("no opaque pointers");
  }

  emitPipeline(lp: LoweredPipeline): V {
    const fn = this.fn;
    try {
      const paramTypes = [this.ptr, ...lp.args.map(() => this.ptr)];
      const fnType = fn.LLVMFunctionType(this.i32, paramTypes, paramTypes.length, 0);
      this.func = fn.LLVMAddFunction(this.mod, lp.name, fnType);
      this.addFunctionAttributes(this.func);
      fn.LLVMPositionBuilderAtEnd(this.b, fn.LLVMAppendBasicBlockInContext(this.ctx, this.func, "entry"));
      const uctx = fn.LLVMGetParam(this.func, 0);
      this.errorBuffer = this.loadField(this.ptr, uctx, 0, "error_buffer");
      this.errorBufferSize = this.loadField(this.i32, uctx, 8, "error_buffer_size");
      lp.args.forEach((arg, i) => this.unpackBuffer(arg.name, arg.dimensions, fn.LLVMGetParam(this.func, i + 1)));
      this.stmt(lp.body);
      fn.LLVMBuildRet(this.b, this.constInt(this.i32, 0));
      this.emitArgvWrapper(lp.name, fnType, paramTypes.length);
      return this.mod;
    } finally {
      fn.LLVMDisposeBuilder(this.b);
    }
  }

  private addFunctionAttributes(f: V): void {
    const fn = this.fn;
    for (const [k, v] of Object.entries(this.fnAttributes)) {
      const kb = new TextEncoder().encode(k), vb = new TextEncoder().encode(v);
      const attr = fn.LLVMCreateStringAttribute(this.ctx, copyBytes(kb), kb.length, copyBytes(vb), vb.length);
      fn.LLVMAddAttributeAtIndex(f, -1, attr);
    }
    this.enumAttribute(f, -1, "nounwind");
  }

  private enumAttribute(f: V, index: number, name: string): void {
    const bytes = new TextEncoder().encode(name);
    const kind = this.fn.LLVMGetEnumAttributeKindForName(copyBytes(bytes), bytes.length);
    if (kind !== 0) this.fn.LLVMAddAttributeAtIndex(f, index, this.fn.LLVMCreateEnumAttribute(this.ctx, kind, 0));
  }

  private emitArgvWrapper(name: string, fnType: V, nParams: number): void {
    const fn = this.fn;
    const wrapperType = fn.LLVMFunctionType(this.i32, [this.ptr], 1, 0);
    const w = fn.LLVMAddFunction(this.mod, `${name}_argv`, wrapperType);
    this.addFunctionAttributes(w);
    fn.LLVMPositionBuilderAtEnd(this.b, fn.LLVMAppendBasicBlockInContext(this.ctx, w, "entry"));
    const argv = fn.LLVMGetParam(w, 0);
    const args = Array.from({ length: nParams }, (_, i) => this.loadField(this.ptr, argv, 8 * i, `arg${i}`));
    const r = fn.LLVMBuildCall2(this.b, fnType, this.func, args, args.length, "");
    fn.LLVMBuildRet(this.b, r);
  }

  private loadField(t: V, base: V, offset: number, name: string): V {
    const fn = this.fn;
    const p = offset === 0 ? base : fn.LLVMBuildInBoundsGEP2(this.b, this.i8, base, [this.constInt(this.i64, offset)], 1, "");
    return fn.LLVMBuildLoad2(this.b, t, p, name);
  }

  private unpackBuffer(name: string, dims: number, buf: V): void {
    const L = bufferLayout;
    this.hosts.set(name, this.loadField(this.ptr, buf, L.host, `${name}.host`));
    const dim = this.loadField(this.ptr, buf, L.dim, `${name}.dim`);
    for (let d = 0; d < dims; d++) {
      for (const [field, off] of [["min", L.dimMin], ["extent", L.dimExtent], ["stride", L.dimStride]] as const) {
        const v = `${name}.${field}.${d}`;
        this.scope.set(v, this.loadField(this.i32, dim, d * L.dimSize + off, v));
      }
    }
  }

  // ------------------------------------------------------------------------------------------------ types
  private scalarType(t: Type): V {
    const fn = this.fn, c = this.ctx;
    if (t.isHandle()) return this.ptr;
    if (t.isBFloat()) throw new HalideError("bfloat16 arithmetic is not supported by halide-ts's code generator");
    if (t.isFloat()) {
      if (t.bits === 16) return fn.LLVMHalfTypeInContext(c);
      if (t.bits === 32) return fn.LLVMFloatTypeInContext(c);
      if (t.bits === 64) return fn.LLVMDoubleTypeInContext(c);
      throw new HalideError(`Unsupported float type ${t}`);
    }
    return fn.LLVMIntTypeInContext(c, t.bits);
  }
  private llvmType(t: Type): V {
    const s = this.scalarType(t.elementOf());
    return t.lanes === 1 ? s : this.fn.LLVMVectorType(s, t.lanes);
  }
  /** In-memory type: Bool is stored as one byte. */
  private memType(t: Type): V {
    return t.isBool() ? (t.lanes === 1 ? this.i8 : this.fn.LLVMVectorType(this.i8, t.lanes)) : this.llvmType(t);
  }

  private constInt(t: V, v: number | bigint): V {
    return this.fn.LLVMConstInt(t, BigInt.asUintN(64, BigInt(v)), 0);
  }
  /** A constant of Halide type `t` (broadcast for vectors). */
  private constOf(t: Type, v: number | bigint): V {
    const s = t.elementOf();
    let c: V;
    if (s.isFloat()) c = this.fn.LLVMConstReal(this.scalarType(s), Number(v));
    else if (s.bits > 64) c = this.constWide(s, BigInt(v));
    else c = this.constInt(this.scalarType(s), v);
    return t.lanes === 1 ? c : this.fn.LLVMConstVector(Array(t.lanes).fill(c), t.lanes);
  }
  private constWide(t: Type, v: bigint): V {
    const words = new BigUint64Array(new ArrayBuffer(Math.ceil(t.bits / 64) * 8));
    let x = BigInt.asUintN(t.bits, v);
    for (let i = 0; i < words.length; i++, x >>= 64n) words[i] = BigInt.asUintN(64, x);
    return this.fn.LLVMConstIntOfArbitraryPrecision(this.scalarType(t), words.length, words);
  }

  // ------------------------------------------------------------------------------------------- statements
  private stmt(s: Stmt): void {
    const fn = this.fn, b = this.b;
    switch (s.kind) {
      case "Block":
        s.stmts.forEach((c) => this.stmt(c));
        return;
      case "LetStmt":
        this.withBinding(s.name, this.expr(s.value), () => this.stmt(s.body));
        return;
      case "For":
        this.emitFor(s.name, s.min, s.extent, s.body);
        return;
      case "Store": {
        const t = s.value.type;
        if (t.isVector()) throw new HalideError("Vector stores are not supported yet");
        let value = this.expr(s.value);
        if (t.isBool()) value = fn.LLVMBuildZExt(b, value, this.i8, "");
        const p = this.elementPointer(s.name, t, s.index);
        fn.LLVMSetAlignment(fn.LLVMBuildStore(b, value, p), t.bytes());
        return;
      }
      case "IfThenElse": {
        const cond = this.expr(s.cond);
        const thenBB = this.newBlock("then"), elseBB = this.newBlock("else"), after = this.newBlock("after_if");
        fn.LLVMBuildCondBr(b, cond, thenBB, s.elseCase ? elseBB : after);
        fn.LLVMPositionBuilderAtEnd(b, thenBB);
        this.stmt(s.thenCase);
        fn.LLVMBuildBr(b, after);
        fn.LLVMPositionBuilderAtEnd(b, elseBB);
        if (s.elseCase) {
          this.stmt(s.elseCase);
          fn.LLVMBuildBr(b, after);
        } else fn.LLVMBuildUnreachable(b);
        fn.LLVMPositionBuilderAtEnd(b, after);
        return;
      }
      case "AssertStmt": {
        const ok = this.newBlock("assert_ok"), fail = this.newBlock("assert_failed");
        fn.LLVMBuildCondBr(b, this.expr(s.cond), ok, fail);
        fn.LLVMPositionBuilderAtEnd(b, fail);
        this.emitErrorMessage(s.message);
        fn.LLVMBuildRet(b, this.constInt(this.i32, -1));
        fn.LLVMPositionBuilderAtEnd(b, ok);
        return;
      }
      case "Evaluate":
        this.expr(s.value);
        return;
      default:
        internalError(`${s.kind} reached code generation`);
    }
  }

  private newBlock(name: string): V {
    return this.fn.LLVMAppendBasicBlockInContext(this.ctx, this.func, name);
  }

  private withBinding<T>(name: string, value: V, body: () => T): T {
    const prev = this.scope.get(name);
    this.scope.set(name, value);
    try {
      return body();
    } finally {
      if (prev === undefined) this.scope.delete(name);
      else this.scope.set(name, prev);
    }
  }

  private emitFor(name: string, minE: Expr, extentE: Expr, body: Stmt): void {
    const fn = this.fn, b = this.b;
    const min = this.expr(minE), extent = this.expr(extentE);
    const end = fn.LLVMBuildAdd(b, min, extent, `${name}.end`);
    const pre = fn.LLVMGetInsertBlock(b);
    const loop = this.newBlock(`${name}.loop`), after = this.newBlock(`${name}.after`);
    fn.LLVMBuildCondBr(b, fn.LLVMBuildICmp(b, IntPred.SLT, min, end, ""), loop, after);
    fn.LLVMPositionBuilderAtEnd(b, loop);
    const phi = fn.LLVMBuildPhi(b, this.i32, name);
    this.withBinding(name, phi, () => this.stmt(body));
    const next = fn.LLVMBuildNSWAdd(b, phi, this.constInt(this.i32, 1), `${name}.next`);
    const latch = fn.LLVMGetInsertBlock(b);
    fn.LLVMAddIncoming(phi, [min, next], [pre, latch], 2);
    fn.LLVMBuildCondBr(b, fn.LLVMBuildICmp(b, IntPred.SLT, next, end, ""), loop, after);
    fn.LLVMPositionBuilderAtEnd(b, after);
  }

  private elementPointer(name: string, t: Type, index: Expr): V {
    const host = this.hosts.get(name) ?? internalError(`unknown buffer ${name}`);
    const idx = this.fn.LLVMBuildSExt(this.b, this.expr(index), this.i64, "");
    return this.fn.LLVMBuildInBoundsGEP2(this.b, this.memType(t.elementOf()), host, [idx], 1, "");
  }

  /** Formats an error message (a `print` call of strings and values) into the user context's error buffer. */
  private emitErrorMessage(message: Expr): void {
    const fn = this.fn, b = this.b;
    const parts = message.kind === "Call" ? message.args : [message];
    let format = "";
    const values: V[] = [];
    for (const p of parts) {
      if (p.kind === "StringImm") {
        format += p.value.replaceAll("%", "%%");
      } else if (p.type.isFloat()) {
        format += "%g";
        values.push(fn.LLVMBuildFPExt(b, this.expr(p), fn.LLVMDoubleTypeInContext(this.ctx), ""));
      } else {
        format += p.type.isInt() ? "%lld" : "%llu";
        const v = this.expr(p);
        values.push(p.type.bits >= 64 ? v : p.type.isInt() ? fn.LLVMBuildSExt(b, v, this.i64, "") : fn.LLVMBuildZExt(b, v, this.i64, ""));
      }
    }
    const snprintfType = fn.LLVMFunctionType(this.i32, [this.ptr, this.i64, this.ptr], 3, 1);
    const snprintf = fn.LLVMGetNamedFunction(this.mod, "snprintf") ?? fn.LLVMAddFunction(this.mod, "snprintf", snprintfType);
    const size = fn.LLVMBuildZExt(b, this.errorBufferSize, this.i64, "");
    const args = [this.errorBuffer, size, this.globalString(format), ...values];
    fn.LLVMBuildCall2(b, snprintfType, snprintf, args, args.length, "");
  }

  private globalString(s: string): V {
    const fn = this.fn;
    const bytes = new TextEncoder().encode(s);
    const init = fn.LLVMConstStringInContext(this.ctx, copyBytes(bytes), bytes.length, 0);
    const g = fn.LLVMAddGlobal(this.mod, fn.LLVMTypeOf(init), `str.${this.strings++}`);
    fn.LLVMSetInitializer(g, init);
    fn.LLVMSetGlobalConstant(g, 1);
    fn.LLVMSetLinkage(g, Linkage.Private);
    return g;
  }

  // ------------------------------------------------------------------------------------------ expressions
  private expr(e: Expr): V {
    const fn = this.fn, b = this.b;
    switch (e.kind) {
      case "IntImm":
        return this.constOf(e.type, e.value);
      case "FloatImm":
        return this.constOf(e.type, e.value);
      case "Variable":
        return this.scope.get(e.name) ?? internalError(`Variable ${e.name} is not in scope in code generation`);
      case "Let":
        return this.withBinding(e.name, this.expr(e.value), () => this.expr(e.body));
      case "Cast":
        return this.cast(e.value.type, e.type, this.expr(e.value));
      case "Reinterpret":
        return fn.LLVMBuildBitCast(b, this.expr(e.value), this.llvmType(e.type), "");
      case "Add":
        return (e.type.isFloat() ? fn.LLVMBuildFAdd : fn.LLVMBuildAdd)(b, this.expr(e.a), this.expr(e.b), "");
      case "Sub":
        return (e.type.isFloat() ? fn.LLVMBuildFSub : fn.LLVMBuildSub)(b, this.expr(e.a), this.expr(e.b), "");
      case "Mul":
        return (e.type.isFloat() ? fn.LLVMBuildFMul : fn.LLVMBuildMul)(b, this.expr(e.a), this.expr(e.b), "");
      case "Div":
        return this.divMod(e.type, this.expr(e.a), this.expr(e.b), "div");
      case "Mod":
        return this.divMod(e.type, this.expr(e.a), this.expr(e.b), "mod");
      case "Min":
      case "Max": {
        const x = this.expr(e.a), y = this.expr(e.b);
        const lt = this.compare("LT", e.type, x, y);
        return e.kind === "Min" ? fn.LLVMBuildSelect(b, lt, x, y, "") : fn.LLVMBuildSelect(b, lt, y, x, "");
      }
      case "EQ":
      case "NE":
      case "LT":
      case "LE":
      case "GT":
      case "GE":
        return this.compare(e.kind, e.a.type, this.expr(e.a), this.expr(e.b));
      case "And":
        return fn.LLVMBuildAnd(b, this.expr(e.a), this.expr(e.b), "");
      case "Or":
        return fn.LLVMBuildOr(b, this.expr(e.a), this.expr(e.b), "");
      case "Not":
        return fn.LLVMBuildNot(b, this.expr(e.a), "");
      case "Select":
        return fn.LLVMBuildSelect(b, this.expr(e.cond), this.expr(e.trueValue), this.expr(e.falseValue), "");
      case "Load": {
        if (e.type.isVector()) throw new HalideError("Vector loads are not supported yet");
        const p = this.elementPointer(e.name, e.type, e.index);
        const v = fn.LLVMBuildLoad2(b, this.memType(e.type), p, "");
        fn.LLVMSetAlignment(v, e.type.bytes());
        return e.type.isBool() ? fn.LLVMBuildICmp(b, IntPred.NE, v, this.constInt(this.i8, 0), "") : v;
      }
      case "Call":
        return this.call(e);
      default:
        throw new HalideError(`Code generation does not support ${e.kind} nodes yet`);
    }
  }

  /** Comparison `a op b` of two values of Halide type `t`. Float comparisons are ordered except `!=`. */
  private compare(op: "EQ" | "NE" | "LT" | "LE" | "GT" | "GE", t: Type, a: V, c: V): V {
    const fn = this.fn;
    if (t.isFloat()) {
      const pred = { EQ: RealPred.OEQ, NE: RealPred.UNE, LT: RealPred.OLT, LE: RealPred.OLE, GT: RealPred.OGT, GE: RealPred.OGE }[op];
      return fn.LLVMBuildFCmp(this.b, pred, a, c, "");
    }
    const signed = t.isInt();
    const pred = {
      EQ: IntPred.EQ,
      NE: IntPred.NE,
      LT: signed ? IntPred.SLT : IntPred.ULT,
      LE: signed ? IntPred.SLE : IntPred.ULE,
      GT: signed ? IntPred.SGT : IntPred.UGT,
      GE: signed ? IntPred.SGE : IntPred.UGE,
    }[op];
    return fn.LLVMBuildICmp(this.b, pred, a, c, "");
  }

  /**
   * Halide's division and modulo. Integers: Euclidean (the remainder is never negative), and x/0 = x%0 = 0;
   * the divisor is made safe first so no instruction can trap (including INT_MIN / -1, which wraps).
   * Floats: IEEE division; modulo is `a - b * floor(a / b)`.
   */
  private divMod(t: Type, a: V, c: V, which: "div" | "mod"): V {
    const fn = this.fn, b = this.b;
    if (t.isFloat()) {
      const q = fn.LLVMBuildFDiv(b, a, c, "");
      if (which === "div") return q;
      const fl = this.callLLVMIntrinsic("llvm.floor", [this.llvmType(t)], [q]);
      return fn.LLVMBuildFSub(b, a, fn.LLVMBuildFMul(b, c, fl, ""), "");
    }
    const zero = this.constOf(t, 0), one = this.constOf(t, 1);
    const isZero = fn.LLVMBuildICmp(b, IntPred.EQ, c, zero, "");
    if (!t.isInt()) {
      const safe = fn.LLVMBuildSelect(b, isZero, one, c, "");
      const r = (which === "div" ? fn.LLVMBuildUDiv : fn.LLVMBuildURem)(b, a, safe, "");
      return fn.LLVMBuildSelect(b, isZero, zero, r, "");
    }
    const minusOne = this.constOf(t, -1);
    const isMinusOne = fn.LLVMBuildICmp(b, IntPred.EQ, c, minusOne, "");
    const safe = fn.LLVMBuildSelect(b, fn.LLVMBuildOr(b, isZero, isMinusOne, ""), one, c, "");
    const q0 = fn.LLVMBuildSDiv(b, a, safe, "");
    const r0 = fn.LLVMBuildSRem(b, a, safe, "");
    const rNeg = fn.LLVMBuildICmp(b, IntPred.SLT, r0, zero, "");
    const bNeg = fn.LLVMBuildICmp(b, IntPred.SLT, safe, zero, "");
    if (which === "mod") {
      const absB = fn.LLVMBuildSelect(b, bNeg, fn.LLVMBuildNeg(b, safe, ""), safe, "");
      const r = fn.LLVMBuildSelect(b, rNeg, fn.LLVMBuildAdd(b, r0, absB, ""), r0, "");
      return fn.LLVMBuildSelect(b, isZero, zero, r, "");
    }
    // Remainder negative: step the quotient down (positive divisor) or up (negative divisor).
    const step = fn.LLVMBuildSelect(b, bNeg, one, minusOne, "");
    const q1 = fn.LLVMBuildSelect(b, rNeg, fn.LLVMBuildAdd(b, q0, step, ""), q0, "");
    const q2 = fn.LLVMBuildSelect(b, isMinusOne, fn.LLVMBuildNeg(b, a, ""), q1, "");
    return fn.LLVMBuildSelect(b, isZero, zero, q2, "");
  }

  /** Converts value `v` from Halide type `from` to `to` (same lanes). */
  private cast(from: Type, to: Type, v: V): V {
    const fn = this.fn, b = this.b, T = this.llvmType(to);
    if (from.equals(to)) return v;
    if (to.isBool()) {
      return from.isFloat()
        ? fn.LLVMBuildFCmp(b, RealPred.UNE, v, this.constOf(from, 0), "")
        : fn.LLVMBuildICmp(b, IntPred.NE, v, this.constOf(from, 0), "");
    }
    if (from.isFloat() && to.isFloat()) {
      return (to.bits > from.bits ? fn.LLVMBuildFPExt : fn.LLVMBuildFPTrunc)(b, v, T, "");
    }
    if (from.isFloat()) return (to.isInt() ? fn.LLVMBuildFPToSI : fn.LLVMBuildFPToUI)(b, v, T, "");
    if (to.isFloat()) return (from.isInt() ? fn.LLVMBuildSIToFP : fn.LLVMBuildUIToFP)(b, v, T, "");
    if (to.bits === from.bits) return v;
    if (to.bits < from.bits) return fn.LLVMBuildTrunc(b, v, T, "");
    return (from.isInt() ? fn.LLVMBuildSExt : fn.LLVMBuildZExt)(b, v, T, "");
  }

  private callLLVMIntrinsic(name: string, overloads: readonly V[], args: readonly V[]): V {
    const fn = this.fn;
    const nameBytes = new TextEncoder().encode(name);
    const id = fn.LLVMLookupIntrinsicID(copyBytes(nameBytes), nameBytes.length);
    if (id === 0) internalError(`LLVM has no intrinsic ${name}`);
    const decl = fn.LLVMGetIntrinsicDeclaration(this.mod, id, overloads, overloads.length);
    const type = fn.LLVMIntrinsicGetType(this.ctx, id, overloads, overloads.length);
    return fn.LLVMBuildCall2(this.b, type, decl, args, args.length, "");
  }

  private callLibm(name: string, t: Type, args: readonly V[]): V {
    const fn = this.fn;
    if (t.isVector()) throw new HalideError(`Vectorized ${name} is not supported yet`);
    // float16 goes through float32.
    const work = t.bits === 16 ? Float(32) : t;
    const wt = this.llvmType(work);
    const sym = work.bits === 32 ? `${name}f` : name;
    const ftype = fn.LLVMFunctionType(wt, Array(args.length).fill(wt), args.length, 0);
    const f = fn.LLVMGetNamedFunction(this.mod, sym) ?? fn.LLVMAddFunction(this.mod, sym, ftype);
    const wargs = args.map((a) => this.cast(t, work, a));
    return this.cast(work, t, fn.LLVMBuildCall2(this.b, ftype, f, wargs, wargs.length, ""));
  }

  private call(e: Call): V {
    if (e.callType !== "PureIntrinsic" && e.callType !== "Intrinsic") {
      internalError(`${e.callType} call to ${e.name} reached code generation`);
    }
    return this.intrinsic(e);
  }

  private intrinsic(e: Call): V {
    const fn = this.fn, b = this.b, t = e.type;
    const argT = e.args[0]?.type;
    const mathIntrinsic = llvmMath[e.name];
    if (mathIntrinsic) return this.callLLVMIntrinsic(mathIntrinsic, [this.llvmType(t)], e.args.map((a) => this.expr(a)));
    if (libmMath.has(e.name)) return this.callLibm(e.name, t, e.args.map((a) => this.expr(a)));
    const x = () => this.expr(e.args[0]);
    const y = () => this.expr(e.args[1]);
    switch (e.name) {
      case Intrinsic.likely:
      case Intrinsic.likelyIfInnermost:
        return x();
      case Intrinsic.bitwiseAnd:
        return fn.LLVMBuildAnd(b, x(), y(), "");
      case Intrinsic.bitwiseOr:
        return fn.LLVMBuildOr(b, x(), y(), "");
      case Intrinsic.bitwiseXor:
        return fn.LLVMBuildXor(b, x(), y(), "");
      case Intrinsic.bitwiseNot:
        return fn.LLVMBuildNot(b, x(), "");
      case Intrinsic.isNan:
        return fn.LLVMBuildFCmp(b, RealPred.UNO, x(), x(), "");
      case Intrinsic.isInf:
      case Intrinsic.isFinite: {
        const abs = this.callLLVMIntrinsic("llvm.fabs", [this.llvmType(argT)], [x()]);
        const inf = this.constOf(argT, Infinity);
        return fn.LLVMBuildFCmp(b, e.name === Intrinsic.isInf ? RealPred.OEQ : RealPred.OLT, abs, inf, "");
      }
      case Intrinsic.fastInverse:
        return fn.LLVMBuildFDiv(b, this.constOf(t, 1), x(), "");
      case Intrinsic.fastInverseSqrt:
        return fn.LLVMBuildFDiv(b, this.constOf(t, 1), this.callLLVMIntrinsic("llvm.sqrt", [this.llvmType(t)], [x()]), "");
      case Intrinsic.popcount:
      case Intrinsic.countLeadingZeros:
      case Intrinsic.countTrailingZeros: {
        const name = { [Intrinsic.popcount]: "llvm.ctpop", [Intrinsic.countLeadingZeros]: "llvm.ctlz", [Intrinsic.countTrailingZeros]: "llvm.cttz" }[e.name];
        const at = this.llvmType(argT);
        const extra = e.name === Intrinsic.popcount ? [] : [this.constInt(this.i1, 0)];
        const r = this.callLLVMIntrinsic(name, [at], [x(), ...extra]);
        return this.cast(argT.withCode(t.code), t, r);
      }
      default:
        throw new HalideError(`Code generation does not support ${e.name} yet`);
    }
  }
}

/** A copy of `bytes` in its own ArrayBuffer (stable for native code). */
function copyBytes(bytes: Uint8Array): Uint8Array {
  const out = new Uint8Array(new ArrayBuffer(Math.max(1, bytes.length)));
  out.set(bytes);
  return out;
}

