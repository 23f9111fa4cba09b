/**
 * Loop partitioning (Halide's `PartitionLoops`): a serial loop whose body clamps or guards an index that moves with the
 * loop variable — the `min` of a ShiftInwards tail, the `if (likely(…))` of a GuardWithIf tail, the
 * `max(min(x, w - 1), 0)` of a boundary condition — is split into a prologue, a steady state and an epilogue:
 *
 *     for x in [min, prologue_end)          original body
 *     for x in [prologue_end, epilogue)     body with every such min/max/guard replaced by the side that holds
 *     for x in [epilogue, min + extent)     original body
 *
 * `partition(v, Partition.Never)` keeps a loop whole; `Always` partitions it even when parallel, and makes a loop with
 * nothing to partition an error. A candidate is `min(e, c)`, `max(e, c)` or a `likely` comparison of `e` and `c`, where `e` is affine in the loop
 * variable with a positive step (for a vector, a Ramp whose lanes increase; its extreme lane is used) and `c` does not
 * change within the loop. Each gives a range of the loop variable where it simplifies; the steady state is the
 * intersection. The steady state of a typical pipeline then carries no clamps and no tail tests. Outer loops are
 * partitioned first, so that inner loops see the simpler bounds of the steady state. Parallel loops are left
 * whole: a clamp evaluated once per task costs nothing, and each copy would be another task function.
 *
 * @module
 */
import { HalideError } from "../error.ts";
import { arith, constFalse, constTrue, type Expr, i32Imm, Intrinsic, isIntrinsic, stripLikely, variable } from "../ir/expr.ts";
import { equalExprs } from "../ir/equality.ts";
import { mapExprChildren, mapStmtChildren, mentionsVariable, substitute } from "../ir/mutate.ts";
import { simplify } from "../ir/simplify.ts";
import { block, forLoop, type For, letStmt, type Stmt } from "../ir/stmt.ts";
import { Int } from "../ir/type.ts";

const i32 = Int(32);

/** Where a candidate simplifies: `v >= bound` (a prologue ends there) or `v <= bound` (an epilogue starts after). */
interface Boundary {
  readonly side: "lower" | "upper";
  readonly bound: Expr;
  /**
   * Whether the candidate fails at every value beyond the bound (a scalar without inner loop variables); for a
   * vector or an inner loop's range only the extreme lane or iteration is known to fail there.
   */
  readonly exact: boolean;
}

/** What the analysis of one loop knows: the loop variable, and the let-bound values visible inside the loop. */
interface Context {
  readonly v: string;
  /** Values of variables bound inside the loop (already in terms of variables bound outside it, and `v`). */
  readonly lets: ReadonlyMap<string, Expr>;
  /**
   * Variables of the loops inside the loop, which cannot be expressed in its terms; with their range when it does
   * not change within the loop (a candidate that holds at the extreme of that range holds throughout).
   */
  readonly opaque: ReadonlyMap<string, { readonly min: Expr; readonly max: Expr } | undefined>;
}

/**
 * Partitions every serial loop of `s` that has candidates (see the module documentation).
 *
 * @example
 * ```ts
 * const steady = partitionLoops(vectorizeLoops(unrollLoops(flat)));
 * ```
 */
export function partitionLoops(s: Stmt): Stmt {
  return partitionIn(s, new Map());
}

/** {@link partitionLoops} with the values of the enclosing lets (to recognize loops of one iteration). */
function partitionIn(s: Stmt, lets: ReadonlyMap<string, Expr>): Stmt {
  if (s.kind === "LetStmt") {
    const inner = new Map(lets).set(s.name, substitute(s.value, lets));
    const body = partitionIn(s.body, inner);
    return body === s.body ? s : { ...s, body };
  }
  const recurse = (c: Stmt) => partitionIn(c, lets);
  if (s.kind !== "For" || s.partition === "Never") return mapStmtChildren(s, (e) => e, recurse);
  if (s.forType !== "Serial" && s.partition !== "Always") return mapStmtChildren(s, (e) => e, recurse);
  // Outer loops first: their steady states resolve clamps in the bounds of inner loops. A loop of at most one
  // iteration has no steady state worth a copy of its body.
  const extent = simplify(substitute(s.extent, lets));
  if (extent.kind === "IntImm" && extent.value <= 1n) return mapStmtChildren(s, (e) => e, recurse);
  return partition(s, recurse);
}

/** Partitions `loop` if it has candidates; `inside` then processes the body of each piece. */
function partition(loop: For, inside: (body: Stmt) => Stmt): Stmt {
  const ctx: Context = { v: loop.name, lets: new Map(), opaque: new Map() };
  const bounds: Boundary[] = [];
  const steadyBody = resolvedBody(loop.body, ctx, "steady", (b) => bounds.push(b));
  if (bounds.length === 0) {
    if (loop.partition === "Always") {
      throw new HalideError(`Loop Partition Policy is set to Always for ${loop.name}, but no loop partitioning was performed.`);
    }
    return { ...loop, body: inside(loop.body) };
  }
  const end = arith("Add", loop.min, loop.extent);
  const clampTo = (e: Expr, lo: Expr, hi: Expr) => simplify(arith("Max", arith("Min", e, hi), lo));
  const lowers = bounds.filter((b) => b.side === "lower").map((b) => b.bound);
  const uppers = bounds.filter((b) => b.side === "upper").map((b) => simplify(arith("Add", b.bound, i32Imm(1))));
  const [pName, eName] = [`${loop.name}.prologue_end`, `${loop.name}.epilogue_start`];
  const pEnd = variable(i32, pName), eStart = variable(i32, eName);
  const piece = (from: Expr, to: Expr, body: Stmt): Stmt => {
    const inner = inside(body);
    // A piece whose guards all failed does nothing.
    return inner.kind === "Block" && inner.stmts.length === 0 ? inner : forLoop(loop.name, from, simplify(arith("Sub", to, from)), loop.forType, inner);
  };
  const pValue = lowers.length ? clampTo(lowers.reduce((a, b) => arith("Max", a, b)), loop.min, end) : loop.min;
  const eValue = uppers.length ? clampTo(uppers.reduce((a, b) => arith("Min", a, b)), pEnd, end) : end;
  // A prologue or epilogue that is empty whatever the sizes (constant bounds) is left out.
  const prologue = !sameConstant(pValue, loop.min), epilogue = !sameConstant(eValue, simplify(end));
  // Where all candidates of one side share one boundary, the prologue (or epilogue) lies entirely on its far side:
  // there the guards are false and the clamps take their other operand (an RDom predicate's dead iterations go).
  const single = (side: Boundary["side"]) => {
    const bs = bounds.filter((b) => b.side === side);
    return bs.length > 0 && bs.every((b) => b.exact && equalExprs(b.bound, bs[0].bound));
  };
  const outside = (side: Boundary["side"]) => (single(side) ? resolvedBody(loop.body, ctx, side, () => {}) : loop.body);
  const loops = block([
    ...(prologue ? [piece(loop.min, pEnd, outside("lower"))] : []),
    piece(pEnd, eStart, steadyBody),
    ...(epilogue ? [piece(eStart, end, outside("upper"))] : []),
  ]);
  return letStmt(pName, pValue, letStmt(eName, eValue, loops));
}

/**
 * `s` inside the loop being partitioned with its candidates resolved: in the steady state every candidate is
 * replaced by the value it has there and every guard that holds by its then-branch; on the far side of the
 * `lower` or `upper` boundary, the candidates of that side by their other value (guards by nothing). `found`
 * receives each candidate's boundary. The walk is post-order, so a candidate's operands are resolved first
 * (`max(min(x, w - 1), 0)` resolves to `x` when both boundaries hold), and it tracks the lets and inner loops on
 * the way down.
 */
function resolvedBody(s: Stmt, ctx: Context, where: "steady" | Boundary["side"], found: (b: Boundary) => void): Stmt {
  const expr = (e: Expr, c: Context): Expr => {
    const go = (n: Expr): Expr => {
      const m = mapExprChildren(n, go);
      const candidate = candidateOf(m, c);
      if (!candidate) return m;
      found(candidate.boundary);
      if (where === "steady") return candidate.steady;
      return candidate.boundary.side === where && candidate.boundary.exact ? candidate.outside : m;
    };
    return go(e);
  };
  const stmt = (n: Stmt, c: Context): Stmt => {
    if (n.kind === "LetStmt") {
      const value = expr(n.value, c);
      const lets = new Map(c.lets);
      lets.set(n.name, substitute(value, c.lets));
      const body = stmt(n.body, { ...c, lets });
      return value === n.value && body === n.body ? n : { ...n, value, body };
    }
    if (n.kind === "For") {
      const [min, extent] = [expr(n.min, c), expr(n.extent, c)];
      const [lo, count] = [simplify(substitute(min, c.lets)), simplify(substitute(extent, c.lets))];
      const fixed = ![lo, count].some((b) => mentions(b, c.v) || mentionsAny(b, c.opaque));
      const range = fixed ? { min: lo, max: simplify(arith("Sub", arith("Add", lo, count), i32Imm(1))) } : undefined;
      const body = stmt(n.body, { ...c, opaque: new Map(c.opaque).set(n.name, range) });
      return min === n.min && extent === n.extent && body === n.body ? n : { ...n, min, extent, body };
    }
    if (n.kind === "IfThenElse") {
      const cond = expr(n.cond, c);
      if (cond.kind === "IntImm" && cond.value === 1n) return stmt(n.thenCase, c);
      if (cond.kind === "IntImm" && cond.value === 0n) return n.elseCase ? stmt(n.elseCase, c) : block([]);
    }
    return mapStmtChildren(n, (e) => expr(e, c), (x) => stmt(x, c));
  };
  return stmt(s, ctx);
}

/** A candidate: where it resolves, what it resolves to there, and what it is beyond its boundary. */
interface Candidate {
  readonly boundary: Boundary;
  readonly steady: Expr;
  readonly outside: Expr;
}

/** `e` as a candidate (see the module documentation), or undefined. */
function candidateOf(e: Expr, ctx: Context): Candidate | undefined {
  if (e.kind === "Min" || e.kind === "Max") {
    // min(a, b) is a where a <= b; max(a, b) is a where a >= b — whichever operand is the moving one.
    const op = e.kind === "Min" ? "LE" : "GE";
    for (const [moving, fixed] of [[e.a, e.b], [e.b, e.a]]) {
      const boundary = solve(moving, op, fixed, ctx);
      if (boundary) return { boundary, steady: stripLikely(moving), outside: stripLikely(fixed) };
    }
    return undefined;
  }
  if (isIntrinsic(e, Intrinsic.likely) && e.type.isScalar()) {
    const c = e.args[0];
    if ((c.kind === "LE" || c.kind === "LT" || c.kind === "GE" || c.kind === "GT") && c.a.type.equals(i32)) {
      const op = c.kind === "LE" || c.kind === "LT" ? "LE" : "GE";
      // a < b is a <= b - 1; a > b is a >= b + 1.
      const fixed = c.kind === "LT" ? arith("Sub", c.b, i32Imm(1)) : c.kind === "GT" ? arith("Add", c.b, i32Imm(1)) : c.b;
      const boundary = solve(c.a, op, fixed, ctx);
      if (boundary) return { boundary, steady: constTrue(), outside: constFalse() };
    }
  }
  return undefined;
}

/**
 * The values of the loop variable `v` for which `moving op fixed` holds, when `moving` is affine in `v` with a
 * positive step and `fixed` does not depend on the loop: `v <= ⌊(fixed - e0)/k⌋` for "LE", `v >= ⌈(fixed - e0)/k⌉`
 * for "GE", where `moving = k·v + e0`. For vectors the extreme lane of a Ramp is compared with a Broadcast.
 */
function solve(moving: Expr, op: "LE" | "GE", fixed: Expr, ctx: Context): Boundary | undefined {
  let m = stripLikely(moving), f = fixed;
  if (m.type.isVector()) {
    if (m.kind !== "Ramp" || f.kind !== "Broadcast") return undefined;
    const stride = simplify(substitute(m.stride, ctx.lets));
    if (stride.kind !== "IntImm" || stride.value < 0n) return undefined;
    m = op === "LE" ? arith("Add", m.base, arith("Mul", m.stride, i32Imm(m.lanes - 1))) : m.base;
    f = f.value;
  }
  if (!m.type.equals(i32) || !f.type.equals(i32)) return undefined;
  const c = simplify(substitute(f, ctx.lets));
  const plain = simplify(substitute(m, ctx.lets));
  const exact = !moving.type.isVector() && !mentionsAny(plain, ctx.opaque);
  const e = atExtremes(plain, op, ctx);
  if (!e || mentions(c, ctx.v) || mentionsAny(c, ctx.opaque) || !mentions(e, ctx.v)) return undefined;
  const at = (x: Expr) => simplify(substitute(e, new Map([[ctx.v, x]])));
  const v = variable(i32, ctx.v);
  const step = simplify(arith("Sub", at(arith("Add", v, i32Imm(1))), e));
  const e0 = at(i32Imm(0));
  if (step.kind !== "IntImm" || step.value <= 0n || mentions(e0, ctx.v)) return undefined;
  // Affine: the value at v must be e0 + step·v.
  if (simplify(arith("Sub", e, arith("Add", e0, arith("Mul", v, step)))).kind !== "IntImm") return undefined;
  const k = i32Imm(Number(step.value));
  const diff = arith("Sub", c, e0);
  return op === "LE"
    ? { side: "upper", bound: simplify(arith("Div", diff, k)), exact }
    : { side: "lower", bound: simplify(arith("Div", arith("Add", diff, arith("Sub", k, i32Imm(1))), k)), exact };
}

/**
 * `e` with each inner loop variable it uses replaced by the end of that loop's range where `e` is largest ("LE":
 * the condition must hold there) or smallest ("GE"); undefined if a variable has no fixed range or `e` is not
 * affine in it.
 */
function atExtremes(e: Expr, op: "LE" | "GE", ctx: Context): Expr | undefined {
  let out = e;
  for (const [w, range] of ctx.opaque) {
    if (!mentions(out, w)) continue;
    if (!range) return undefined;
    const at = (x: Expr) => simplify(substitute(out, new Map([[w, x]])));
    const wv = variable(i32, w);
    const step = simplify(arith("Sub", at(arith("Add", wv, i32Imm(1))), out));
    if (step.kind !== "IntImm" || mentions(simplify(arith("Sub", out, arith("Mul", wv, step))), w)) return undefined;
    out = at((step.value >= 0n) === (op === "LE") ? range.max : range.min);
  }
  return out;
}

function sameConstant(a: Expr, b: Expr): boolean {
  return a.kind === "IntImm" && b.kind === "IntImm" && a.value === b.value;
}

function mentions(e: Expr, name: string): boolean {
  return mentionsVariable(e, (n) => n === name);
}

function mentionsAny(e: Expr, names: ReadonlyMap<string, unknown>): boolean {
  return names.size > 0 && mentionsVariable(e, (n) => names.has(n));
}

