/**
 * Code generation for the pure intrinsics of the IR (`Intrinsic` in src/ir/expr.ts): bit operations, shifts,
 * the widening / halving / rounding / saturating families, lerp, and math. Each reproduces the definition in
 * `src/interp/scalar.ts`; integer results are computed exactly in a wide enough integer type and then wrapped
 * or saturated, which LLVM folds into native instructions where the target has them.
 *
 * @module
 */
import { HalideError } from "../error.ts";
import { type Call, Intrinsic } from "../ir/expr.ts";
import { Float, Int, type Type, UInt } from "../ir/type.ts";
import { type Builder, IntPred, RealPred, type V } from "./builder.ts";

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

/** A signed integer type of `bits` bits with the lanes of `t`. */
function signed(t: Type, bits: number): Type {
  return Int(bits, t.lanes);
}

/**
 * `a << b` (or `a >> -b` for negative signed `b`) in `a`'s type `t`, with the exact result for every amount:
 * shifting left by the width or more gives 0, shifting right gives 0 or −1 (by sign).
 */
function shift(bld: Builder, dir: "left" | "right", t: Type, a: V, bt: Type, b: V): V {
  const fn = bld.fn, bb = bld.b;
  const bits = t.bits;
  // The magnitude of the amount, clamped to `bits` in b's own type before changing width.
  const zero = bld.constOf(bt, 0);
  const neg = bt.isInt() ? fn.LLVMBuildICmp(bb, IntPred.SLT, b, zero, "") : null;
  const mag = neg ? bld.select(neg, fn.LLVMBuildNeg(bb, b, ""), b) : b;
  // |INT_MIN| is INT_MIN again; compared unsigned it is still a huge amount.
  const ut = bt.withCode(UInt(8).code);
  const cap = bt.bits > 1 && bits < 2 ** bt.bits - 1 ? bits : undefined;
  const capped = cap === undefined ? mag : bld.minMax("Min", ut, mag, bld.constOf(ut, cap));
  const amount = bld.resize(ut, Math.max(bits, 1), capped);
  const amt = bits === bt.bits ? capped : amount;
  const tooFar = fn.LLVMBuildICmp(bb, IntPred.UGE, amt, bld.constOf(t.withCode(UInt(8).code), bits), "");
  const left = bld.select(tooFar, bld.constOf(t, 0), fn.LLVMBuildShl(bb, a, amt, ""));
  const rightInRange = (t.isInt() ? fn.LLVMBuildAShr : fn.LLVMBuildLShr)(bb, a, amt, "");
  const rightFar = t.isInt() ? fn.LLVMBuildAShr(bb, a, bld.constOf(t, bits - 1), "") : bld.constOf(t, 0);
  const right = bld.select(tooFar, rightFar, rightInRange);
  if (!neg) return dir === "left" ? left : right;
  return dir === "left" ? bld.select(neg, right, left) : bld.select(neg, left, right);
}

/** `round(a / 2^b)` with ties toward +∞ for b > 0, and `a << -b` for b ≤ 0, wrapped to `t` (`rounding_shift_right`). */
function roundingShiftRight(bld: Builder, t: Type, a: V, bt: Type, b: V): V {
  const fn = bld.fn, bb = bld.b;
  // a + 2^(b-1) with b ≤ bits + 1 needs two more bits than a.
  const W = signed(t, t.bits + 2);
  const wa = bld.resize(t, W.bits, a);
  // Work with the amount in W, clamped to [-(bits), bits + 1]; beyond those the result no longer changes.
  const wb = bld.minMax("Max", W, bld.minMax("Min", W, bld.resize(bt, W.bits, b), bld.constOf(W, t.bits + 1)), bld.constOf(W, -t.bits));
  const positive = fn.LLVMBuildICmp(bb, IntPred.SGT, wb, bld.constOf(W, 0), "");
  const one = bld.constOf(W, 1);
  const safeAmount = bld.select(positive, wb, one);
  const half = fn.LLVMBuildShl(bb, one, fn.LLVMBuildSub(bb, safeAmount, one, ""), "");
  const rounded = fn.LLVMBuildAShr(bb, fn.LLVMBuildAdd(bb, wa, half, ""), safeAmount, "");
  const down = bld.resize(W, t.bits, rounded);
  const up = shift(bld, "left", t, a, W, fn.LLVMBuildNeg(bb, wb, ""));
  return bld.select(positive, down, up);
}

/** `lerp(zero, one, weight)` exactly as src/interp/scalar.ts defines it (Halide's lowering). */
function lerp(bld: Builder, rt: Type, zt: Type, wt: Type, z: V, o: V, w: V): V {
  const fn = bld.fn, bb = bld.b;
  const wMax = wt.isFloat() ? 1 : 2 ** wt.bits - 1;
  if (rt.isBool()) {
    const threshold = wt.isFloat() ? bld.constOf(wt, 0.5) : bld.constOf(wt, Math.floor(wMax / 2));
    return bld.select(bld.compare("GT", wt, w, threshold), o, z);
  }
  const arithType = (t: Type) => (t.isFloat() && t.bits < 32 ? Float(32, t.lanes) : t);
  if (rt.isFloat()) {
    const vt = arithType(rt), wat = arithType(wt);
    const ct = wt.isFloat() && wat.bits > vt.bits ? wat.withLanes(rt.lanes) : vt;
    const weight = wt.isFloat()
      ? bld.cast(wt, ct, w)
      : fn.LLVMBuildFDiv(bb, bld.cast(wt, ct, w), bld.constOf(ct, wMax), "");
    const inverse = fn.LLVMBuildFSub(bb, bld.constOf(ct, 1), weight, "");
    const sum = fn.LLVMBuildFAdd(
      bb,
      fn.LLVMBuildFMul(bb, bld.cast(zt, ct, z), inverse, ""),
      fn.LLVMBuildFMul(bb, bld.cast(zt, ct, o), weight, ""),
      "",
    );
    return bld.cast(ct, rt, sum);
  }
  if (rt.bits > 32) throw new HalideError("lerp between 64-bit integers is not supported.");
  const n = rt.bits, M = 2n ** BigInt(n) - 1n;
  // p = zero·(M − W) + one·W + M/2 < 2^(2n+2): 2n + 3 signed bits hold it.
  const W = signed(rt, 2 * n + 3);
  const U = UInt(n, rt.lanes);
  const bias = rt.isInt() ? 1n << BigInt(n - 1) : 0n;
  // The weight as an n-bit unsigned integer.
  let weight: V;
  if (wt.isFloat()) {
    const f64 = Float(64, rt.lanes);
    const scaled = n === 32
      ? fn.LLVMBuildFMul(bb, bld.cast(wt, f64, w), bld.constOf(f64, 4294967295), "")
      : bld.cast(arithType(wt), f64, fn.LLVMBuildFMul(bb, bld.cast(wt, arithType(wt), w), bld.constOf(arithType(wt), Number(M)), ""));
    // float → uint(n): NaN and ≤ 0 give 0, ≥ 2^64 gives all ones, else truncate and wrap.
    const u64 = UInt(64, rt.lanes);
    const inRange = fn.LLVMBuildFPToUI(bb, scaled, bld.llvmType(u64), "");
    const low = fn.LLVMBuildFCmp(bb, RealPred.OGT, scaled, bld.constOf(f64, 0), "");
    const high = fn.LLVMBuildFCmp(bb, RealPred.OGE, scaled, bld.constOf(f64, 2 ** 64), "");
    const asU64 = bld.select(high, bld.constOf(u64, -1n), bld.select(low, inRange, bld.constOf(u64, 0)));
    weight = bld.resize(u64, n, asU64);
  } else {
    const m = wt.bits, Mw = 2n ** BigInt(m) - 1n;
    const wn = bld.resize(wt.withCode(UInt(8).code), Math.max(n, m), w);
    const wtn = UInt(Math.max(n, m), rt.lanes);
    const scaledW = m === n ? wn : m < n
      ? fn.LLVMBuildMul(bb, wn, bld.constOf(wtn, M / Mw), "")
      : fn.LLVMBuildUDiv(bb, wn, bld.constOf(wtn, Mw / M), "");
    weight = bld.resize(wtn, n, scaledW);
  }
  const toW = (v: V) => fn.LLVMBuildAdd(bb, bld.resize(rt, W.bits, v), bld.constOf(W, bias), "");
  const WW = bld.resize(U, W.bits, weight);
  const inv = fn.LLVMBuildSub(bb, bld.constOf(W, M), WW, "");
  const p = fn.LLVMBuildAdd(bb, fn.LLVMBuildMul(bb, toW(z), inv, ""), fn.LLVMBuildMul(bb, toW(o), WW, ""), "");
  const q = fn.LLVMBuildSDiv(bb, fn.LLVMBuildAdd(bb, p, bld.constOf(W, M / 2n), ""), bld.constOf(W, M), "");
  return fn.LLVMBuildSub(bb, bld.resize(W, n, q), bld.constOf(rt, bias), "");
}

/** float → integer with saturation: NaN → 0, beyond the range → the nearest limit (`saturating_cast`). */
function saturatingFloatToInt(bld: Builder, from: Type, to: Type, v: V): V {
  const fn = bld.fn, bb = bld.b;
  const f64 = Float(64, to.lanes);
  const x = bld.cast(from, f64, v);
  const lo = Number(to.minInt()), hi = Number(to.maxInt());
  const big = to.withBits(64);
  const conv = (to.isInt() ? fn.LLVMBuildFPToSI : fn.LLVMBuildFPToUI)(bb, x, bld.llvmType(big), "");
  const isNan = fn.LLVMBuildFCmp(bb, RealPred.UNO, x, x, "");
  const atLo = fn.LLVMBuildFCmp(bb, RealPred.OLE, x, bld.constOf(f64, lo), "");
  const atHi = fn.LLVMBuildFCmp(bb, RealPred.OGE, x, bld.constOf(f64, hi), "");
  let r = bld.select(atHi, bld.constOf(big, to.maxInt()), bld.select(atLo, bld.constOf(big, to.minInt()), conv));
  r = bld.select(isNan, bld.constOf(big, 0), r);
  return bld.resize(big, to.bits, r);
}

/**
 * Emits the pure intrinsic `call` whose arguments are already evaluated (`args`).
 *
 * @example
 * ```ts
 * const v = emitIntrinsic(bld, call, call.args.map((a) => emitExpr(a)));
 * ```
 */
export function emitIntrinsic(bld: Builder, call: Call, args: readonly V[]): V {
  const fn = bld.fn, bb = bld.b, rt = call.type;
  const ts = call.args.map((a) => a.type);
  const [a, b, c] = args;
  const [at, bt] = ts;
  const mathIntrinsic = llvmMath[call.name];
  if (mathIntrinsic) return bld.callIntrinsic(mathIntrinsic, [bld.llvmType(rt)], args);
  if (libmMath.has(call.name)) return bld.callLibm(call.name, rt, args);
  /** Sign/zero-extends argument i to a signed type of `bits` bits. */
  const wide = (i: number, bits: number) => bld.resize(ts[i], bits, args[i]);
  switch (call.name) {
    case Intrinsic.likely:
    case Intrinsic.likelyIfInnermost:
      return a;
    case Intrinsic.bitwiseAnd:
      return fn.LLVMBuildAnd(bb, a, b, "");
    case Intrinsic.bitwiseOr:
      return fn.LLVMBuildOr(bb, a, b, "");
    case Intrinsic.bitwiseXor:
      return fn.LLVMBuildXor(bb, a, b, "");
    case Intrinsic.bitwiseNot:
      return fn.LLVMBuildNot(bb, a, "");
    case Intrinsic.shiftLeft:
      return shift(bld, "left", at, a, bt, b);
    case Intrinsic.shiftRight:
      return shift(bld, "right", at, a, bt, b);
    case Intrinsic.abs:
      if (at.isFloat()) return bld.callIntrinsic("llvm.fabs", [bld.llvmType(at)], [a]);
      if (!at.isInt()) return a;
      return bld.callIntrinsic("llvm.abs", [bld.llvmType(at)], [a, bld.constInt(bld.i1, 0)]);
    case Intrinsic.absd: {
      if (at.isFloat()) return bld.callIntrinsic("llvm.fabs", [bld.llvmType(at)], [fn.LLVMBuildFSub(bb, a, b, "")]);
      const lt = bld.compare("LT", at, a, b);
      return bld.select(lt, fn.LLVMBuildSub(bb, b, a, ""), fn.LLVMBuildSub(bb, a, b, ""));
    }
    case Intrinsic.popcount:
    case Intrinsic.countLeadingZeros:
    case Intrinsic.countTrailingZeros: {
      const name = call.name === Intrinsic.popcount ? "llvm.ctpop" : call.name === Intrinsic.countLeadingZeros ? "llvm.ctlz" : "llvm.cttz";
      const extra = call.name === Intrinsic.popcount ? [] : [bld.constInt(bld.i1, 0)];
      const r = bld.callIntrinsic(name, [bld.llvmType(at)], [a, ...extra]);
      return bld.resize(at.withCode(UInt(8).code), rt.bits, r);
    }
    case Intrinsic.wideningAdd:
    case Intrinsic.wideningSub:
    case Intrinsic.wideningMul: {
      const op = call.name === Intrinsic.wideningAdd ? "Add" : call.name === Intrinsic.wideningSub ? "Sub" : "Mul";
      if (rt.isFloat()) return bld.arith(op, rt, bld.cast(at, rt, a), bld.cast(bt, rt, b));
      return bld.arith(op, rt, wide(0, rt.bits), wide(1, rt.bits));
    }
    case Intrinsic.widenRightAdd:
    case Intrinsic.widenRightSub:
    case Intrinsic.widenRightMul: {
      const op = call.name === Intrinsic.widenRightAdd ? "Add" : call.name === Intrinsic.widenRightSub ? "Sub" : "Mul";
      return bld.arith(op, rt, a, wide(1, rt.bits));
    }
    case Intrinsic.wideningShiftLeft:
      return shift(bld, "left", rt, wide(0, rt.bits), bt, b);
    case Intrinsic.wideningShiftRight:
      return shift(bld, "right", rt, wide(0, rt.bits), bt, b);
    case Intrinsic.roundingShiftRight:
      return roundingShiftRight(bld, at, a, bt, b);
    case Intrinsic.roundingShiftLeft: {
      const W = signed(bt, bt.bits + 1);
      return roundingShiftRight(bld, at, a, W, fn.LLVMBuildNeg(bb, bld.resize(bt, W.bits, b), ""));
    }
    case Intrinsic.saturatingAdd:
    case Intrinsic.saturatingSub: {
      const add = call.name === Intrinsic.saturatingAdd;
      if (rt.isFloat()) return bld.arith(add ? "Add" : "Sub", rt, a, b);
      const name = `llvm.${at.isInt() ? "s" : "u"}${add ? "add" : "sub"}.sat`;
      return bld.callIntrinsic(name, [bld.llvmType(at)], [a, b]);
    }
    case Intrinsic.saturatingCast: {
      if (rt.isFloat()) return bld.cast(at, rt, a);
      if (at.isFloat()) return saturatingFloatToInt(bld, at, rt, a);
      const W = signed(rt, Math.max(at.bits, rt.bits) + 2);
      return bld.saturateTo(W, rt, wide(0, W.bits));
    }
    case Intrinsic.halvingAdd:
    case Intrinsic.roundingHalvingAdd:
    case Intrinsic.halvingSub: {
      const W = signed(rt, rt.bits + 2);
      const sub = call.name === Intrinsic.halvingSub;
      let s = bld.arith(sub ? "Sub" : "Add", W, wide(0, W.bits), wide(1, W.bits));
      if (call.name === Intrinsic.roundingHalvingAdd) s = bld.arith("Add", W, s, bld.constOf(W, 1));
      return bld.resize(W, rt.bits, fn.LLVMBuildAShr(bb, s, bld.constOf(W, 1), ""));
    }
    case Intrinsic.mulShiftRight:
    case Intrinsic.roundingMulShiftRight: {
      const W = signed(rt, 2 * Math.max(at.bits, bt.bits) + 4);
      const product = bld.arith("Mul", W, wide(0, W.bits), wide(1, W.bits));
      const qt = ts[2];
      const shifted = call.name === Intrinsic.mulShiftRight
        ? shift(bld, "right", W, product, qt, c)
        : roundingShiftRight(bld, W, product, qt, c);
      return bld.saturateTo(W, rt, shifted);
    }
    case Intrinsic.divRoundToZero:
      return bld.divMod(at, a, b, "div", true);
    case Intrinsic.modRoundToZero:
      return bld.divMod(at, a, b, "mod", true);
    case Intrinsic.lerp:
      return lerp(bld, rt, at, ts[2], a, b, c);
    case Intrinsic.mux: {
      const last = args.length - 2;
      let r = args[args.length - 1];
      // v[index], or the last value for any other index (negative included), as Halide's select chain.
      for (let i = last - 1; i >= 0; i--) {
        r = bld.select(fn.LLVMBuildICmp(bb, IntPred.EQ, a, bld.constOf(at, i), ""), args[i + 1], r);
      }
      return r;
    }
    case Intrinsic.isNan:
      return fn.LLVMBuildFCmp(bb, RealPred.UNO, a, a, "");
    case Intrinsic.isInf:
    case Intrinsic.isFinite: {
      const abs = bld.callIntrinsic("llvm.fabs", [bld.llvmType(at)], [a]);
      const pred = call.name === Intrinsic.isInf ? RealPred.OEQ : RealPred.OLT;
      return fn.LLVMBuildFCmp(bb, pred, abs, bld.constOf(at, Infinity), "");
    }
    case Intrinsic.fastInverse:
      return fn.LLVMBuildFDiv(bb, bld.constOf(rt, 1), a, "");
    case Intrinsic.fastInverseSqrt:
      return fn.LLVMBuildFDiv(bb, bld.constOf(rt, 1), bld.callIntrinsic("llvm.sqrt", [bld.llvmType(rt)], [a]), "");
    default:
      throw new HalideError(`Code generation does not support the intrinsic ${call.name}.`);
  }
}
