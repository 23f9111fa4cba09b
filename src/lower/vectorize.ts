/**
 * Vectorization: a loop marked `Vectorized` with constant extent N becomes straight-line code on N-lane vectors.
 * The loop variable becomes `Ramp(min, 1, N)` and every expression that depends on it is widened; affine index
 * arithmetic stays in Ramp form (`Ramp + Broadcast`, `Ramp * Broadcast`) so codegen sees dense loads and stores.
 * A guard that depends on the lane (a GuardWithIf tail) becomes the predicate of the dense loads and stores it
 * guards (masked loads and stores in codegen). A body this pass cannot vectorize otherwise (other control flow that
 * depends on the lane, predicated gathers) falls back to a serial loop.
 *
 * @module
 */
import { HalideError } from "../error.ts";
import {
  asConstInt,
  type Binary,
  broadcast,
  callIntrinsic,
  cmp,
  type Expr,
  Intrinsic,
  isBinary,
  logical,
  ramp,
  stripLikely,
  variable,
} from "../ir/expr.ts";
import { ifThenElse } from "../ir/stmt.ts";
import { Bool } from "../ir/type.ts";
import { foldArith } from "../ir/interval.ts";
import { mapExprChildren, mapStmtChildren, visitStmt } from "../ir/mutate.ts";
import type { For, Stmt } from "../ir/stmt.ts";

/** Thrown internally when a body needs the serial fallback. */
class CannotVectorize extends Error {}

/** Widens scalar `e` to `lanes` lanes (a Broadcast), leaving vectors alone. */
function widen(e: Expr, lanes: number): Expr {
  return e.type.lanes === lanes ? e : broadcast(e, lanes);
}

function isVector(e: Expr): boolean {
  return e.type.lanes > 1;
}

/** `a op b` where at least one side is a vector, keeping Ramps affine where possible. */
function vectorBinary(e: Binary, a: Expr, b: Expr, lanes: number): Expr {
  const kind = e.kind;
  if (kind === "Add" || kind === "Sub") {
    if (a.kind === "Ramp" && !isVector(b)) return ramp(foldArith(kind, a.base, b), a.stride, lanes);
    if (kind === "Add" && b.kind === "Ramp" && !isVector(a)) return ramp(foldArith("Add", a, b.base), b.stride, lanes);
    if (a.kind === "Ramp" && b.kind === "Ramp") {
      return ramp(foldArith(kind, a.base, b.base), foldArith(kind, a.stride, b.stride), lanes);
    }
  }
  if (kind === "Mul") {
    if (a.kind === "Ramp" && !isVector(b)) return ramp(foldArith("Mul", a.base, b), foldArith("Mul", a.stride, b), lanes);
    if (b.kind === "Ramp" && !isVector(a)) return ramp(foldArith("Mul", a, b.base), foldArith("Mul", a, b.stride), lanes);
  }
  if (a.kind === "Broadcast" && b.kind === "Broadcast") {
    return broadcast({ ...e, a: a.value, b: b.value, type: e.type } as Expr, lanes);
  }
  const wa = widen(a, lanes), wb = widen(b, lanes);
  const laneType = kind === "EQ" || kind === "NE" || kind === "LT" || kind === "LE" || kind === "GT" || kind === "GE"
    ? e.type.withLanes(lanes)
    : wa.type;
  return { ...e, a: wa, b: wb, type: laneType } as Expr;
}

/** Vectorizes `e` where the variables in `vectors` are vectors of `lanes` lanes. */
function vectorizeExpr(e: Expr, vectors: ReadonlyMap<string, Expr>, lanes: number): Expr {
  const go = (n: Expr): Expr => vectorizeExpr(n, vectors, lanes);
  if (isBinary(e)) {
    const a = go(e.a), b = go(e.b);
    if (!isVector(a) && !isVector(b)) return a === e.a && b === e.b ? e : { ...e, a, b };
    return vectorBinary(e, a, b, lanes);
  }
  switch (e.kind) {
    case "Variable":
      return vectors.get(e.name) ?? e;
    case "Let": {
      const value = go(e.value);
      if (!isVector(value)) {
        const inner = new Map(vectors);
        inner.delete(e.name);
        const body = vectorizeExpr(e.body, inner, lanes);
        return body === e.body && value === e.value ? e : { ...e, value, body, type: body.type };
      }
      const inner = new Map(vectors);
      // Ramps and Broadcasts are substituted, so affine index arithmetic downstream still sees them.
      const cheap = value.kind === "Ramp" || value.kind === "Broadcast";
      inner.set(e.name, cheap ? value : variable(value.type, e.name));
      const body = vectorizeExpr(e.body, inner, lanes);
      return cheap ? body : { ...e, value, body, type: body.type };
    }
    case "Not": {
      const a = go(e.a);
      return isVector(a) ? { ...e, a, type: a.type } : a === e.a ? e : { ...e, a };
    }
    case "Cast":
    case "Reinterpret": {
      const value = go(e.value);
      if (!isVector(value)) return value === e.value ? e : { ...e, value };
      if (value.kind === "Broadcast") return broadcast({ ...e, value: value.value }, lanes);
      return { ...e, value, type: e.type.withLanes(lanes) };
    }
    case "Select": {
      const cond = go(e.cond), t = go(e.trueValue), f = go(e.falseValue);
      if (!isVector(cond) && !isVector(t) && !isVector(f)) {
        return cond === e.cond && t === e.trueValue && f === e.falseValue ? e : { ...e, cond, trueValue: t, falseValue: f };
      }
      const wt = widen(t, lanes), wf = widen(f, lanes);
      return { ...e, cond, trueValue: wt, falseValue: wf, type: wt.type };
    }
    case "Load": {
      const index = go(e.index);
      if (!isVector(index)) return index === e.index ? e : { ...e, index };
      return { ...e, index, predicate: widen(go(e.predicate), lanes), type: e.type.withLanes(lanes) };
    }
    case "Call": {
      const args = e.args.map(go);
      if (!args.some(isVector)) return args.every((a, i) => a === e.args[i]) ? e : { ...e, args };
      // Impure intrinsics (print, require) and lane-dependent control flow stay scalar.
      if (e.callType !== "PureIntrinsic" || e.name === Intrinsic.ifThenElse) throw new CannotVectorize();
      return { ...e, args: args.map((a) => (a.kind === "StringImm" ? a : widen(a, lanes))), type: e.type.withLanes(lanes) };
    }
    case "Ramp":
    case "Broadcast":
    case "Shuffle":
    case "VectorReduce":
      throw new CannotVectorize();
    default:
      return mapExprChildren(e, go);
  }
}

function vectorizeStmt(s: Stmt, vectors: ReadonlyMap<string, Expr>, lanes: number): Stmt {
  const goE = (e: Expr) => vectorizeExpr(e, vectors, lanes);
  switch (s.kind) {
    case "Store": {
      const index = goE(s.index), value = goE(s.value);
      // Lanes of an atomic update may hit the same element: it stays a serial loop of atomic stores.
      if (s.atomic && isVector(index)) throw new CannotVectorize();
      if (!isVector(index)) {
        if (isVector(value)) throw new CannotVectorize();
        return index === s.index && value === s.value ? s : { ...s, index, value };
      }
      return { ...s, index, value: widen(value, lanes), predicate: widen(goE(s.predicate), lanes) };
    }
    case "LetStmt": {
      const value = goE(s.value);
      const inner = new Map(vectors);
      const cheap = value.kind === "Ramp" || value.kind === "Broadcast";
      if (isVector(value)) inner.set(s.name, cheap ? value : variable(value.type, s.name));
      else inner.delete(s.name);
      const body = vectorizeStmt(s.body, inner, lanes);
      return cheap ? body : { ...s, value, body };
    }
    case "Block":
      return { ...s, stmts: s.stmts.map((c) => vectorizeStmt(c, vectors, lanes)) };
    case "IfThenElse":
    case "AssertStmt":
    case "Evaluate": {
      const r = mapStmtChildren(s, goE, (c) => vectorizeStmt(c, vectors, lanes));
      // A guard that depends on the lane (a GuardWithIf tail): its body runs with that guard as the predicate of
      // every store and load in it.
      if (r.kind === "IfThenElse" && !r.elseCase && isVector(r.cond)) {
        const mask = stripLikely(r.cond), all = allLanes(mask);
        const masked = predicated(r.thenCase, mask, lanes);
        // When every lane passes (the steady state, which loop partitioning separates), no masks are needed.
        return all ? ifThenElse(callIntrinsic(Intrinsic.likely, Bool(), [all]), r.thenCase, masked) : masked;
      }
      let lanesUsed = false;
      visitStmt(r, (e) => void (lanesUsed ||= isVector(e)), () => {});
      const cond = r.kind === "IfThenElse" ? r.cond : r.kind === "AssertStmt" ? r.cond : undefined;
      if (cond && isVector(cond)) throw new CannotVectorize();
      if (r.kind === "Evaluate" && lanesUsed) throw new CannotVectorize();
      return r;
    }
    case "For":
      // A loop inside a vectorized loop: its bounds may not depend on the lanes.
      if (isVector(goE(s.min)) || isVector(goE(s.extent))) throw new CannotVectorize();
      return { ...s, body: vectorizeStmt(s.body, vectors, lanes) };
    default:
      throw new CannotVectorize();
  }
}

/**
 * `s` (already vectorized) executed only in the lanes where `mask` holds: stores and loads get `mask` as their
 * predicate. Only dense vector accesses can be predicated (codegen's masked loads and stores); anything else — a
 * gather, a scalar load that might be out of range when no lane is active, control flow — needs the serial
 * fallback.
 */
function predicated(s: Stmt, mask: Expr, lanes: number): Stmt {
  const and = (p: Expr) => (p.kind === "Broadcast" && asConstInt(p.value) === 1n ? mask : logical("And", widen(p, lanes), mask));
  const loads = (e: Expr): Expr => {
    const m = mapExprChildren(e, loads);
    if (m.kind !== "Load") return m;
    if (!isVector(m) || !isDense(m.index)) throw new CannotVectorize();
    return { ...m, predicate: and(m.predicate) };
  };
  switch (s.kind) {
    case "Store":
      if (!isDense(s.index)) throw new CannotVectorize();
      return { ...s, value: loads(s.value), predicate: and(s.predicate) };
    case "LetStmt":
      return { ...s, value: loads(s.value), body: predicated(s.body, mask, lanes) };
    case "Block":
      return { ...s, stmts: s.stmts.map((c) => predicated(c, mask, lanes)) };
    default:
      throw new CannotVectorize();
  }
}

/**
 * A scalar condition that holds exactly when every lane of `mask` does, for a comparison of an increasing Ramp
 * with a Broadcast (a tail guard): the extreme lane's comparison. Undefined for other masks.
 */
function allLanes(mask: Expr): Expr | undefined {
  if (mask.kind !== "LE" && mask.kind !== "LT" && mask.kind !== "GE" && mask.kind !== "GT") return undefined;
  const { a, b } = mask;
  if (a.kind !== "Ramp" || b.kind !== "Broadcast") return undefined;
  const stride = asConstInt(a.stride);
  if (stride === undefined || stride < 0n) return undefined;
  const upper = mask.kind === "LE" || mask.kind === "LT";
  const lane = upper ? foldArith("Add", a.base, foldArith("Mul", a.stride, { kind: "IntImm", type: a.base.type, value: BigInt(a.lanes - 1) })) : a.base;
  return cmp(mask.kind, lane, b.value);
}

function isDense(index: Expr): boolean {
  return index.kind === "Ramp" && asConstInt(index.stride) === 1n;
}

function vectorizeLoop(loop: For): Stmt {
  const lanes = Number(asConstInt(loop.extent));
  if (!Number.isInteger(lanes) || lanes < 1) {
    throw new HalideError(`Internal error: vectorized loop ${loop.name} has a non-constant extent`);
  }
  if (lanes === 1) return { ...loop, forType: "Serial" };
  try {
    const v = ramp(loop.min, { kind: "IntImm", type: loop.min.type, value: 1n }, lanes);
    return vectorizeStmt(loop.body, new Map([[loop.name, v]]), lanes);
  } catch (e) {
    if (e instanceof CannotVectorize) return { ...loop, forType: "Serial" };
    throw e;
  }
}

/**
 * Replaces every `Vectorized` loop in `s` by its vectorized body (innermost loops first).
 *
 * @example
 * ```ts
 * const v = vectorizeLoops(flattened);
 * ```
 */
export function vectorizeLoops(s: Stmt): Stmt {
  const go = (n: Stmt): Stmt => {
    const m = mapStmtChildren(n, (e) => e, go);
    return m.kind === "For" && m.forType === "Vectorized" ? vectorizeLoop(m) : m;
  };
  return go(s);
}
