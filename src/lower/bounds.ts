/**
 * Bounds inference: the region of every Func and input image that a statement reads, and of every Func it
 * writes, by interval arithmetic over its loops. Let-bound values are substituted symbolically and simplified
 * (src/ir/simplify.ts) before intervals are taken, so quantities that move together stay correlated — the
 * extent `max - min + 1` of a region whose ends both follow a loop variable is a constant, not an interval.
 * Only loop variables (and variables narrowed by guards) range over intervals; the regions come out in the
 * variables visible outside the statement.
 *
 * @module
 */
import { HalideError } from "../error.ts";
import { type BufferSource, constTrue, type Expr, i32Imm, Intrinsic, isIntrinsic, logical, not, select } from "../ir/expr.ts";
import type { FunctionDef } from "../ir/function.ts";
import { boundsOf, foldArith, type Interval, union } from "../ir/interval.ts";
import { mapExprChildren, mentionsVariable, substitute } from "../ir/mutate.ts";
import { simplify } from "../ir/simplify.ts";
import type { Stmt } from "../ir/stmt.ts";
import { Int } from "../ir/type.ts";

/** What a statement touches. Maps keep first-use order. */
export interface Regions {
  /** Regions of input images read. */
  readonly images: Map<BufferSource, Interval[]>;
  /** Regions of Funcs read (calls that survived inlining). */
  readonly calls: Map<FunctionDef, Interval[]>;
  /** Regions of Funcs written, by Func name. */
  readonly provided: Map<string, Interval[]>;
  /**
   * For an image (by source) or a written Func (by name) touched only inside branches whose conditions do not
   * change within the statement (specializations): the condition under which it is touched at all.
   */
  readonly usedWhen: Map<BufferSource | string, Expr>;
}

/** Intervals of the loop (and guard-narrowed) variables, and the symbolic values of let-bound ones. */
interface Env {
  readonly intervals: ReadonlyMap<string, Interval>;
  readonly defs: ReadonlyMap<string, Expr>;
}

function unite<K>(m: Map<K, Interval[]>, key: K, box: Interval[]): void {
  const prev = m.get(key);
  m.set(key, prev ? prev.map((iv, d) => union(iv, box[d])) : box);
}

/** `e` with every let-bound variable replaced by its (already resolved) value, simplified. */
function resolve(e: Expr, env: Env): Expr {
  return simplify(substitute(e, env.defs));
}

/** The interval of `e` in `env`. */
function bounds(e: Expr, env: Env): Interval {
  const iv = boundsOf(resolve(e, env), env.intervals);
  return { min: iv.min && simplify(iv.min), max: iv.max && simplify(iv.max) };
}

function withInterval(env: Env, name: string, iv: Interval): Env {
  const intervals = new Map(env.intervals);
  intervals.set(name, iv);
  if (!env.defs.has(name)) return { ...env, intervals };
  const defs = new Map(env.defs);
  defs.delete(name);
  return { ...env, intervals, defs };
}

function withDef(env: Env, name: string, value: Expr): Env {
  const defs = new Map(env.defs);
  defs.set(name, resolve(value, env));
  if (!env.intervals.has(name)) return { ...env, defs };
  const intervals = new Map(env.intervals);
  intervals.delete(name);
  return { ...env, intervals, defs };
}

/**
 * The regions `s` reads and writes, for values of the variables bound outside `s` treated as symbols.
 *
 * @example
 * ```ts
 * const { images, calls, provided } = regionsTouched(loopNest);
 * ```
 */
export function regionsTouched(s: Stmt): Regions {
  return walk(s);
}

/**
 * The interval of each expression that `pick` returns at a statement inside `s` (united over every statement it
 * returns expressions for), with the variables bound inside `s` ranging over their loops and let-bound values
 * substituted, as {@link regionsTouched} sees them: bounds in the variables visible outside `s`.
 *
 * @example
 * ```ts
 * // The largest extents of the realization of f over the loops inside `body`:
 * boundsWithin(body, (n) => (n.kind === "Realize" && n.name === "f" ? n.bounds.map((b) => b.extent) : undefined));
 * ```
 */
export function boundsWithin(s: Stmt, pick: (n: Stmt) => readonly Expr[] | undefined): Interval[] | undefined {
  let out: Interval[] | undefined;
  walk(s, (n, env) => {
    const es = pick(n);
    if (!es) return;
    const ivs = es.map((e) => bounds(e, env));
    out = out ? out.map((iv, i) => union(iv, ivs[i])) : ivs;
  });
  return out;
}

function emptyRegions(): Regions {
  return { images: new Map(), calls: new Map(), provided: new Map(), usedWhen: new Map() };
}

/**
 * Adds to `out` what the two branches of `if (c)` touch (`a` when it holds, `b` otherwise): a region touched by
 * both is `select(c, …)` of theirs, and whatever one branch touches is used only under its condition.
 */
function mergeBranches(out: Regions, c: Expr, a: Regions, b: Regions): void {
  const pick = (x: Expr | undefined, y: Expr | undefined) => (x && y ? select(c, x, y) : undefined);
  const mergeMap = <K>(target: Map<K, Interval[]>, ma: Map<K, Interval[]>, mb: Map<K, Interval[]>, used: boolean) => {
    for (const key of new Set([...ma.keys(), ...mb.keys()])) {
      const ba = ma.get(key), bb = mb.get(key);
      const box = ba && bb ? ba.map((iv, d) => ({ min: pick(iv.min, bb[d].min), max: pick(iv.max, bb[d].max) })) : (ba ?? bb)!;
      if (used) {
        const k = key as unknown as BufferSource | string;
        // Under which condition each branch touches it (undefined: always), then under which the `if` does.
        const ua = ba ? a.usedWhen.get(k) ?? constTrue() : undefined, ub = bb ? b.usedWhen.get(k) ?? constTrue() : undefined;
        const both = ua && ub && isConstTrue(ua) && isConstTrue(ub);
        const parts: (Expr | undefined)[] = [ua && logical("And", c, ua), ub && logical("And", not(c), ub)];
        const when = both ? undefined : parts.filter((x): x is Expr => x !== undefined).reduce((x, y) => logical("Or", x, y));
        const touchedBefore = target.has(key), prev = out.usedWhen.get(k);
        if (!when) out.usedWhen.delete(k);
        else if (!touchedBefore) out.usedWhen.set(k, when);
        else if (prev) out.usedWhen.set(k, logical("Or", prev, when));
      }
      unite(target, key, box);
    }
  };
  mergeMap(out.images, a.images, b.images, true);
  mergeMap(out.calls, a.calls, b.calls, false);
  mergeMap(out.provided, a.provided, b.provided, true);
}

function isConstTrue(e: Expr): boolean {
  return e.kind === "IntImm" && e.value === 1n;
}

function walk(s: Stmt, onStmt?: (n: Stmt, env: Env) => void): Regions {
  const root = emptyRegions();
  let out = root;
  const touch = (key: BufferSource | string) => out.usedWhen.delete(key);
  const visitExpr = (e: Expr, env: Env): void => {
    if (e.kind === "Let") {
      visitExpr(e.value, env);
      visitExpr(e.body, withDef(env, e.name, e.value));
      return;
    }
    if (e.kind === "Call") {
      const box = () => e.args.map((a) => bounds(a, env));
      if (e.callType === "Image" && e.image) {
        unite(out.images, e.image, box());
        touch(e.image);
      }
      if (e.callType === "Halide" && e.func) unite(out.calls, e.func, box());
    }
    mapExprChildren(e, (c) => (visitExpr(c, env), c));
  };
  /** Walks `n` into fresh Regions (for one branch). */
  const branch = (n: Stmt | undefined, env: Env): Regions => {
    const saved = out, r = emptyRegions();
    out = r;
    if (n) visitStmt(n, env);
    out = saved;
    return r;
  };
  const visitStmt = (n: Stmt, env: Env): void => {
    onStmt?.(n, env);
    switch (n.kind) {
      case "For": {
        visitExpr(n.min, env);
        visitExpr(n.extent, env);
        const last = foldArith("Sub", foldArith("Add", n.min, n.extent), i32Imm(1));
        visitStmt(n.body, withInterval(env, n.name, { min: bounds(n.min, env).min, max: bounds(last, env).max }));
        return;
      }
      case "LetStmt":
        visitExpr(n.value, env);
        visitStmt(n.body, withDef(env, n.name, n.value));
        return;
      case "Provide":
        n.values.forEach((v) => visitExpr(v, env));
        n.args.forEach((v) => visitExpr(v, env));
        unite(out.provided, n.name, n.args.map((a) => bounds(a, env)));
        touch(n.name);
        return;
      case "IfThenElse": {
        visitExpr(n.cond, env);
        // A condition that is the same throughout (a specialization's): each branch's regions hold only when it
        // is taken. Others (guards that vary with the loops) narrow the variables they bound.
        const cond = resolve(n.cond, env);
        if (!isIntrinsic(n.cond, Intrinsic.likely) && !mentionsVariable(cond, (v) => env.intervals.has(v))) {
          mergeBranches(out, cond, branch(n.thenCase, env), branch(n.elseCase, env));
          return;
        }
        visitStmt(n.thenCase, narrow(env, n.cond));
        if (n.elseCase) visitStmt(n.elseCase, env);
        return;
      }
      case "Block":
        n.stmts.forEach((c) => visitStmt(c, env));
        return;
      case "ProducerConsumer":
        visitStmt(n.body, env);
        return;
      case "Realize":
        n.bounds.forEach((b) => (visitExpr(b.min, env), visitExpr(b.extent, env)));
        visitStmt(n.body, env);
        return;
      case "Allocate":
        n.extents.forEach((e) => visitExpr(e, env));
        visitStmt(n.body, env);
        return;
      case "Evaluate":
      case "AssertStmt":
        visitExpr(n.kind === "Evaluate" ? n.value : n.cond, env);
        return;
      default:
        throw new HalideError(`Internal error: unexpected ${n.kind} in bounds inference`);
    }
  };
  visitStmt(s, { intervals: new Map(), defs: new Map() });
  return root;
}



/**
 * `env` with the range of variable `v` tightened by a condition `v <= e` / `v < e` / `v >= e` / `v > e`
 * (possibly wrapped in `likely`, or a conjunction of such) known to hold — as the guards of GuardWithIf splits
 * are.
 */
function narrow(env: Env, cond: Expr): Env {
  if (cond.kind === "Call" && (cond.name === Intrinsic.likely || cond.name === Intrinsic.likelyIfInnermost)) {
    return narrow(env, cond.args[0]);
  }
  if (cond.kind === "And") return narrow(narrow(env, cond.a), cond.b);
  if (!(cond.kind === "LE" || cond.kind === "LT" || cond.kind === "GE" || cond.kind === "GT")) return env;
  if (cond.a.kind !== "Variable" || !cond.a.type.equals(Int(32))) return env;
  const one = i32Imm(1);
  const def = env.defs.get(cond.a.name);
  if (def) {
    // A let-bound variable stays symbolic, clamped by the guard (exact where the guard holds), so that what is
    // computed from it keeps its correlation with the other ends of the region.
    const lt = cond.kind === "LE" || cond.kind === "LT";
    const limit = cond.kind === "LT" ? foldArith("Sub", cond.b, one) : cond.kind === "GT" ? foldArith("Add", cond.b, one) : cond.b;
    const defs = new Map(env.defs);
    defs.set(cond.a.name, simplify(foldArith(lt ? "Min" : "Max", def, resolve(limit, env))));
    return { ...env, defs };
  }
  const iv = bounds(cond.a, env);
  const bound = bounds(cond.b, env);
  if (cond.kind === "LE" || cond.kind === "LT") {
    const hi = bound.max && (cond.kind === "LT" ? foldArith("Sub", bound.max, one) : bound.max);
    if (!hi) return env;
    return withInterval(env, cond.a.name, { min: iv.min, max: iv.max ? simplify(foldArith("Min", iv.max, hi)) : hi });
  }
  const lo = bound.min && (cond.kind === "GT" ? foldArith("Add", bound.min, one) : bound.min);
  if (!lo) return env;
  return withInterval(env, cond.a.name, { min: iv.min ? simplify(foldArith("Max", iv.min, lo)) : lo, max: iv.max });
}
