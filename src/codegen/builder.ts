/**
 * A thin layer over LLVM's IRBuilder that speaks Halide types: LLVM types and constants of a Halide `Type`
 * (scalar or vector), casts, comparisons, Halide's division, wide-integer helpers, and calls to LLVM
 * intrinsics and libm. Code generation for statements, expressions and intrinsics is built on it.
 *
 * @module
 */
import type { Handle } from "../../ffi/native.ts";
import type { LLVMSymbols } from "../../ffi/llvm.ts";
import { HalideError, internalError } from "../error.ts";
import { Float, Int, type Type } from "../ir/type.ts";
import { llvm } from "./llvm_target.ts";

/** An LLVM value, type or block handle. */
export type V = Handle;

/** `LLVMIntPredicate` values. */
export const IntPred = { EQ: 32, NE: 33, UGT: 34, UGE: 35, ULT: 36, ULE: 37, SGT: 38, SGE: 39, SLT: 40, SLE: 41 } as const;
/** `LLVMRealPredicate` values. */
export const RealPred = { OEQ: 1, OGT: 2, OGE: 3, OLT: 4, OLE: 5, ONE: 6, ORD: 7, UNO: 8, UNE: 14 } as const;

/** A comparison operator of the IR. */
export type CmpOpName = "EQ" | "NE" | "LT" | "LE" | "GT" | "GE";

const encoder = new TextEncoder();

/**
 * A copy of a string's UTF-8 bytes in its own ArrayBuffer (stable for native code), without a terminator.
 *
 * @example
 * ```ts
 * const b = utf8("llvm.sqrt"); fn.LLVMLookupIntrinsicID(b, b.length);
 * ```
 */
export function utf8(s: string): Uint8Array {
  const bytes = encoder.encode(s);
  const out = new Uint8Array(new ArrayBuffer(Math.max(1, bytes.length)), 0, bytes.length);
  out.set(bytes);
  return out;
}

/**
 * Builds instructions into one module at the builder's insertion point.
 *
 * @example
 * ```ts
 * const bld = new Builder(ctx, mod);
 * const sum = bld.fn.LLVMBuildAdd(bld.b, x, bld.constOf(Int(32), 1), "");
 * ```
 */
export class Builder {
  readonly fn: LLVMSymbols = llvm().fn;
  readonly b: V;
  readonly i1: V;
  readonly i8: V;
  readonly i32: V;
  readonly i64: V;
  readonly ptr: V;
  readonly double: V;

  constructor(readonly ctx: V, readonly mod: V) {
    const fn = this.fn;
    this.b = fn.LLVMCreateBuilderInContext(ctx);
    this.i1 = fn.LLVMInt1TypeInContext(ctx);
    this.i8 = fn.LLVMInt8TypeInContext(ctx);
    this.i32 = fn.LLVMInt32TypeInContext(ctx);
    this.i64 = fn.LLVMInt64TypeInContext(ctx);
    this.double = fn.LLVMDoubleTypeInContext(ctx);
    this.ptr = fn.LLVMPointerTypeInContext ? fn.LLVMPointerTypeInContext(ctx, 0) : internalError("no opaque pointers");
  }

  /** Releases the IRBuilder. */
  dispose(): void {
    this.fn.LLVMDisposeBuilder(this.b);
  }

  // ---------------------------------------------------------------------------------------------- types
  /** The LLVM type of one lane of `t`. */
  scalarType(t: Type): V {
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
  /** The LLVM type of `t` (a vector type for several lanes). */
  llvmType(t: Type): V {
    const s = this.scalarType(t.elementOf());
    return t.lanes === 1 ? s : this.fn.LLVMVectorType(s, t.lanes);
  }
  /** The in-memory type of `t`: Bool is stored as one byte per lane. */
  memType(t: Type): V {
    return t.isBool() ? (t.lanes === 1 ? this.i8 : this.fn.LLVMVectorType(this.i8, t.lanes)) : this.llvmType(t);
  }

  // ------------------------------------------------------------------------------------------ constants
  /** An integer constant of LLVM type `t` (at most 64 bits). */
  constInt(t: V, v: number | bigint): V {
    return this.fn.LLVMConstInt(t, BigInt.asUintN(64, BigInt(v)), 0);
  }
  /** A constant of Halide type `t` (broadcast for vectors; any integer width). */
  constOf(t: Type, v: number | bigint): V {
    const s = t.elementOf();
    let c: V;
    if (s.isFloat()) c = this.fn.LLVMConstReal(this.scalarType(s), Number(v));
    else if (s.bits > 64) c = this.constWide(s, BigInt(v));
    else c = this.constInt(this.scalarType(s), BigInt.asUintN(s.bits, BigInt(v)));
    return t.lanes === 1 ? c : this.fn.LLVMConstVector(Array(t.lanes).fill(c), t.lanes);
  }
  /** A constant vector of scalar type `t` with the given lanes. */
  constVector(t: Type, values: readonly (number | bigint)[]): V {
    const lanes = values.map((v) => this.constOf(t.elementOf(), v));
    return this.fn.LLVMConstVector(lanes, lanes.length);
  }
  /** `lanes` copies of the scalar value `v`. */
  broadcast(v: V, lanes: number): V {
    const fn = this.fn, b = this.b;
    const vt = fn.LLVMVectorType(fn.LLVMTypeOf(v), lanes);
    const one = fn.LLVMBuildInsertElement(b, fn.LLVMGetUndef(vt), v, this.constInt(this.i32, 0), "");
    const zeros = fn.LLVMConstNull(fn.LLVMVectorType(this.i32, lanes));
    return fn.LLVMBuildShuffleVector(b, one, fn.LLVMGetUndef(vt), zeros, "");
  }
  private constWide(t: Type, v: bigint): V {
    const words = new BigUint64Array(new ArrayBuffer(Math.ceil(t.bits / 64) * 8));
    let x = BigInt.asUintN(t.bits, v);
    for (let i = 0; i < words.length; i++, x >>= 64n) words[i] = BigInt.asUintN(64, x);
    return this.fn.LLVMConstIntOfArbitraryPrecision(this.scalarType(t), words.length, words);
  }

  // ------------------------------------------------------------------------------------ basic operators
  /** `c ? x : y`. */
  select(c: V, x: V, y: V): V {
    return this.fn.LLVMBuildSelect(this.b, c, x, y, "");
  }
  /** Comparison `x op y` of two values of Halide type `t`. Float comparisons are ordered, except `!=`. */
  compare(op: CmpOpName, t: Type, x: V, y: V): V {
    const fn = this.fn;
    if (t.isFloat()) {
      const pred = { EQ: RealPred.OEQ, NE: RealPred.UNE, LT: RealPred.OLT, LE: RealPred.OLE, GT: RealPred.OGT, GE: RealPred.OGE }[op];
      return fn.LLVMBuildFCmp(this.b, pred, x, y, "");
    }
    const s = t.isInt();
    const pred = {
      EQ: IntPred.EQ,
      NE: IntPred.NE,
      LT: s ? IntPred.SLT : IntPred.ULT,
      LE: s ? IntPred.SLE : IntPred.ULE,
      GT: s ? IntPred.SGT : IntPred.UGT,
      GE: s ? IntPred.SGE : IntPred.UGE,
    }[op];
    return fn.LLVMBuildICmp(this.b, pred, x, y, "");
  }
  /** `min`/`max` as Halide defines them: `x < y ? x : y` and `x > y ? x : y` (the second operand wins ties and NaN). */
  minMax(which: "Min" | "Max", t: Type, x: V, y: V): V {
    return this.select(this.compare(which === "Min" ? "LT" : "GT", t, x, y), x, y);
  }
  /** Arithmetic `x op y` on Halide type `t` (integers wrap, unless `noSignedWrap` promises that no overflow happens). */
  arith(op: "Add" | "Sub" | "Mul" | "And" | "Or" | "Xor", t: Type, x: V, y: V, noSignedWrap = false): V {
    const fn = this.fn, f = t.isFloat(), nsw = noSignedWrap && !f;
    const build = {
      Add: f ? fn.LLVMBuildFAdd : nsw ? fn.LLVMBuildNSWAdd : fn.LLVMBuildAdd,
      Sub: f ? fn.LLVMBuildFSub : nsw ? fn.LLVMBuildNSWSub : fn.LLVMBuildSub,
      Mul: f ? fn.LLVMBuildFMul : nsw ? fn.LLVMBuildNSWMul : fn.LLVMBuildMul,
      And: fn.LLVMBuildAnd,
      Or: fn.LLVMBuildOr,
      Xor: fn.LLVMBuildXor,
    }[op];
    return build(this.b, x, y, "");
  }

  /**
   * Halide's division and modulo. Integers: Euclidean (the remainder is never negative), and x/0 = x%0 = 0; the
   * divisor is made safe first so no instruction can trap (INT_MIN / -1 wraps). `roundToZero` gives C's
   * truncating division instead (same zero handling). Floats: IEEE division; modulo is `a - b * floor(a / b)`.
   */
  divMod(t: Type, a: V, c: V, which: "div" | "mod", roundToZero = false): V {
    const fn = this.fn, b = this.b;
    if (t.isFloat()) {
      if (which === "div") return fn.LLVMBuildFDiv(b, a, c, "");
      // a - b * floor(a / b), every step in the arithmetic type (float32 for float16), rounded once at the end.
      const at = t.bits < 32 ? Float(32, t.lanes) : t;
      const [x, y] = [this.cast(t, at, a), this.cast(t, at, c)];
      const fl = this.callIntrinsic("llvm.floor", [this.llvmType(at)], [fn.LLVMBuildFDiv(b, x, y, "")]);
      return this.cast(at, t, fn.LLVMBuildFSub(b, x, fn.LLVMBuildFMul(b, y, fl, ""), ""));
    }
    const zero = this.constOf(t, 0), one = this.constOf(t, 1);
    const isZero = fn.LLVMBuildICmp(b, IntPred.EQ, c, zero, "");
    if (!t.isInt()) {
      const safe = this.select(isZero, one, c);
      return this.select(isZero, zero, (which === "div" ? fn.LLVMBuildUDiv : fn.LLVMBuildURem)(b, a, safe, ""));
    }
    const minusOne = this.constOf(t, -1);
    const isMinusOne = fn.LLVMBuildICmp(b, IntPred.EQ, c, minusOne, "");
    const safe = this.select(fn.LLVMBuildOr(b, isZero, isMinusOne, ""), one, c);
    const q0 = fn.LLVMBuildSDiv(b, a, safe, ""), r0 = fn.LLVMBuildSRem(b, a, safe, "");
    if (roundToZero) {
      const r = which === "div" ? this.select(isMinusOne, fn.LLVMBuildNeg(b, a, ""), q0) : r0;
      return this.select(isZero, zero, r);
    }
    const rNeg = fn.LLVMBuildICmp(b, IntPred.SLT, r0, zero, "");
    const bNeg = fn.LLVMBuildICmp(b, IntPred.SLT, safe, zero, "");
    if (which === "mod") {
      const absB = this.select(bNeg, fn.LLVMBuildNeg(b, safe, ""), safe);
      return this.select(isZero, zero, this.select(rNeg, fn.LLVMBuildAdd(b, r0, absB, ""), r0));
    }
    // A negative remainder steps the quotient down (positive divisor) or up (negative divisor).
    const step = this.select(bNeg, one, minusOne);
    const q1 = this.select(rNeg, fn.LLVMBuildAdd(b, q0, step, ""), q0);
    return this.select(isZero, zero, this.select(isMinusOne, fn.LLVMBuildNeg(b, a, ""), q1));
  }

  /**
   * Converts `v` from Halide type `from` to `to` (same lanes), with the semantics of `src/interp/scalar.ts`:
   * integer casts wrap (a cast to Bool keeps the low bit); float → integer truncates toward zero and, for
   * targets narrower than 32 bits, wraps (via int32); int → float rounds to nearest.
   */
  cast(from: Type, to: Type, v: V): V {
    const fn = this.fn, b = this.b, T = this.llvmType(to);
    if (from.equals(to)) return v;
    if (from.isFloat() && to.isFloat()) {
      if (to.bits === from.bits) return v;
      return (to.bits > from.bits ? fn.LLVMBuildFPExt : fn.LLVMBuildFPTrunc)(b, v, T, "");
    }
    if (from.isFloat()) {
      if (to.bits < 32) {
        const wide = Int(32, to.lanes);
        return fn.LLVMBuildTrunc(b, fn.LLVMBuildFPToSI(b, v, this.llvmType(wide), ""), T, "");
      }
      return (to.isInt() ? fn.LLVMBuildFPToSI : fn.LLVMBuildFPToUI)(b, v, T, "");
    }
    if (to.isFloat()) return (from.isInt() ? fn.LLVMBuildSIToFP : fn.LLVMBuildUIToFP)(b, v, T, "");
    return this.resize(from, to.bits, v);
  }

  /** Sign- or zero-extends (by `from`'s signedness) or truncates an integer value to `bits` bits per lane. */
  resize(from: Type, bits: number, v: V): V {
    const fn = this.fn, T = this.llvmType(from.withBits(bits));
    if (bits === from.bits) return v;
    if (bits < from.bits) return fn.LLVMBuildTrunc(this.b, v, T, "");
    return (from.isInt() ? fn.LLVMBuildSExt : fn.LLVMBuildZExt)(this.b, v, T, "");
  }

  /** Clamps a signed integer `v` of type `wide` to the range of integer type `to`, then truncates to it. */
  saturateTo(wide: Type, to: Type, v: V): V {
    const lo = this.constOf(wide, to.minInt()), hi = this.constOf(wide, to.maxInt());
    const clamped = this.minMax("Min", wide, this.minMax("Max", wide, v, lo), hi);
    return this.resize(wide, to.bits, clamped);
  }

  // ------------------------------------------------------------------------------------------------ calls
  /** Calls the overloaded LLVM intrinsic `name` (e.g. `llvm.sqrt`) with overload types `overloads`. */
  callIntrinsic(name: string, overloads: readonly V[], args: readonly V[]): V {
    const fn = this.fn;
    const nameBytes = utf8(name);
    const id = fn.LLVMLookupIntrinsicID(nameBytes, nameBytes.length);
    if (id === 0) internalError(`LLVM has no intrinsic ${name}`);
    const decl = fn.LLVMGetIntrinsicDeclaration(this.mod, id, overloads, overloads.length);
    const type = fn.LLVMIntrinsicGetType(this.ctx, id, overloads, overloads.length);
    return fn.LLVMBuildCall2(this.b, type, decl, args, args.length, "");
  }

  /** Declares (once) an external function of the module. */
  declare(name: string, ret: V, params: readonly V[], varArgs = false): { fn: V; type: V } {
    const fn = this.fn;
    const type = fn.LLVMFunctionType(ret, params, params.length, varArgs ? 1 : 0);
    return { fn: fn.LLVMGetNamedFunction(this.mod, name) ?? fn.LLVMAddFunction(this.mod, name, type), type };
  }

  /** Calls a C math function (`sinf`/`sin`) lane by lane; float16 goes through float32. */
  callLibm(name: string, t: Type, args: readonly V[]): V {
    const fn = this.fn, b = this.b;
    const work = t.bits === 16 ? Float(32) : t.elementOf();
    const f = this.declare(work.bits === 32 ? `${name}f` : name, this.llvmType(work), args.map(() => this.llvmType(work)));
    const lane = (vals: readonly V[]) => fn.LLVMBuildCall2(b, f.type, f.fn, vals, vals.length, "");
    if (t.lanes === 1) return this.cast(work, t, lane(args.map((a) => this.cast(t, work, a))));
    let out = fn.LLVMGetUndef(this.llvmType(t));
    for (let i = 0; i < t.lanes; i++) {
      const idx = this.constInt(this.i32, i);
      const laneArgs = args.map((a) => this.cast(t.elementOf(), work, fn.LLVMBuildExtractElement(b, a, idx, "")));
      out = fn.LLVMBuildInsertElement(b, out, this.cast(work, t.elementOf(), lane(laneArgs)), idx, "");
    }
    return out;
  }
}
