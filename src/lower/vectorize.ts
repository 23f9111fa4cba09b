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
  i32Imm,
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
import { simplify } from "../ir/simplify.ts";
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

/**
 * What vectorization knows at a point of the loop body: the variables that are vectors (by name, their vector
 * value), the lane count, and the buffers allocated inside the vectorized loop — widened to one element per lane,
 * the lane innermost.
 */
interface Lanes {
  readonly vectors: ReadonlyMap<string, Expr>;
  readonly lanes: number;
  readonly widened: ReadonlySet<string>;
}

/** The index of element `index` of a widened buffer: one slot per lane, the lane innermost. */
function widenedIndex(vectorIndex: Expr, lanes: number): Expr {
  const perLane = ramp(i32Imm(0), i32Imm(1), lanes);
  const index = uniform(vectorIndex);
  if (!isVector(index)) return ramp(foldArith("Mul", index, i32Imm(lanes)), i32Imm(1), lanes);
  const arith = (kind: "Add" | "Mul", a: Expr, b: Expr) => vectorBinary({ kind, type: a.type, a, b } as Binary, a, b, lanes);
  return arith("Add", arith("Mul", index, broadcast(i32Imm(lanes), lanes)), perLane);
}

/**
 * `e` as a scalar when every lane has the same value (a Broadcast, or a Ramp of stride 0 such as `x - x` of a
 * vector `x`), else `e`.
 */
function uniform(e: Expr): Expr {
  if (e.kind === "Broadcast" && !isVector(e.value)) return e.value;
  if (e.kind === "Ramp" && asConstInt(simplify(e.stride)) === 0n && !isVector(e.base)) return simplify(e.base);
  return e;
}

/** Vectorizes `e` where the variables in `ctx.vectors` are vectors of `ctx.lanes` lanes. */
function vectorizeExpr(e: Expr, ctx: Lanes): Expr {
  const { vectors, lanes } = ctx;
  const go = (n: Expr): Expr => vectorizeExpr(n, ctx);
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
        const body = vectorizeExpr(e.body, { ...ctx, vectors: inner });
        return body === e.body && value === e.value ? e : { ...e, value, body, type: body.type };
      }
      const inner = new Map(vectors);
      // Ramps and Broadcasts are substituted, so affine index arithmetic downstream still sees them.
      const cheap = value.kind === "Ramp" || value.kind === "Broadcast";
      inner.set(e.name, cheap ? value : variable(value.type, e.name));
      const body = vectorizeExpr(e.body, { ...ctx, vectors: inner });
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
      if (ctx.widened.has(e.name)) {
        return { ...e, index: widenedIndex(index, lanes), predicate: widen(go(e.predicate), lanes), type: e.type.withLanes(lanes) };
      }
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

function vectorizeStmt(s: Stmt, ctx: Lanes): Stmt {
  const { vectors, lanes } = ctx;
  const goE = (e: Expr) => vectorizeExpr(e, ctx);
  const goS = (c: Stmt) => vectorizeStmt(c, ctx);
  switch (s.kind) {
    case "Store": {
      const index = goE(s.index), value = goE(s.value);
      if (ctx.widened.has(s.name)) {
        return { ...s, index: widenedIndex(index, lanes), value: widen(value, lanes), predicate: widen(goE(s.predicate), lanes) };
      }
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
      const body = vectorizeStmt(s.body, { ...ctx, vectors: inner });
      return cheap ? body : { ...s, value, body };
    }
    case "Block":
      return { ...s, stmts: s.stmts.map(goS) };
    case "IfThenElse":
    case "AssertStmt":
    case "Evaluate": {
      const r = mapStmtChildren(s, goE, goS);
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
    case "For": {
      // A loop inside a vectorized loop: its bounds may not depend on the lanes, except for a single iteration
      // (a Func computed per point of the vectorized loop), whose variable is then the vector of its mins.
      const min = uniform(goE(s.min)), extent = uniform(goE(s.extent));
      if (isVector(min) && !isVector(extent) && asConstInt(extent) === 1n) {
        const cheap = min.kind === "Ramp" || min.kind === "Broadcast";
        const body = vectorizeStmt(s.body, { ...ctx, vectors: new Map(vectors).set(s.name, cheap ? min : variable(min.type, s.name)) });
        return cheap ? body : { kind: "LetStmt", name: s.name, value: min, body };
      }
      if (isVector(min) || isVector(extent)) throw new CannotVectorize();
      return { ...s, min, extent, body: goS(s.body) };
    }
    case "Allocate": {
      // Storage of a Func computed per point of the vectorized loop: one slot per lane.
      const extents = s.extents.map((e) => uniform(goE(e)));
      if (extents.some(isVector)) throw new CannotVectorize();
      const body = vectorizeStmt(s.body, { ...ctx, widened: new Set([...ctx.widened, s.name]) });
      return { ...s, extents: [...extents, i32Imm(lanes)], body };
    }
    case "ProducerConsumer":
      return { ...s, body: goS(s.body) };
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
    return vectorizeStmt(loop.body, { vectors: new Map([[loop.name, v]]), lanes, widened: new Set() });
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
