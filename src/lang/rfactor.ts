/**
 * `rfactor`: splits an associative update into an intermediate Func that reduces over some of the reduction
 * variables for every value of the others (now pure variables, so parallel or vectorized), and a merge that
 * reduces the intermediate over the rest — Halide's `Stage::rfactor`.
 *
 *     f(x) = f(x) + g(r.x, r.y)              rfactor(r.y, u)  →   intm(x, u) = 0
 *                                                                  intm(x, u) = intm(x, u) + g(r.x, u)
 *                                                                  f(x) = f(x) + intm(x, r.y)
 *
 * @module
 */
import { HalideError } from "../error.ts";
import * as ir from "../ir/expr.ts";
import type { FunctionDef } from "../ir/function.ts";
import { substitute } from "../ir/mutate.ts";
import { foldArith } from "../ir/interval.ts";
import { type Associativity, canParallelizeRVar, proveAssociativity, ReductionDomain } from "../ir/reduction.ts";
import type { Dim, StageSchedule } from "../ir/schedule.ts";
import { Int, type Type } from "../ir/type.ts";
import { type Expr, type ExprLike, wrap } from "./expr.ts";
import { Func } from "./func.ts";
import * as op from "./operators.ts";
import { RVar } from "./rdom.ts";
import { Var } from "./var.ts";

/** The identity of an associative operation on `t` (what an empty reduction gives). */
function identity(a: Associativity["ops"][number], t: Type): ExprLike {
  if (a.kind === "select") return wrap(ir.makeConst(t, 0));
  switch (a.op) {
    case "Add":
      return wrap(ir.makeConst(t, 0));
    case "Mul":
      return wrap(ir.makeConst(t, 1));
    case "Min":
      return t.max();
    case "Max":
      return t.min();
    case "And":
      return true;
    case "Or":
      return false;
  }
}

/** The identity of element `i` of a select-style (argmin/argmax) Tuple: the worst key, anything elsewhere. */
function selectIdentity(ops: Associativity["ops"], i: number, t: Type): ExprLike {
  const a = ops[i];
  if (a.kind !== "select" || i !== a.key) return identity(a, t);
  return a.cmp === "LT" || a.cmp === "LE" ? t.max() : t.min();
}

/** Combines `current` (one Expr per Tuple element) with `incoming` as the proven operation does. */
function combine(ops: Associativity["ops"], current: readonly ExprLike[], incoming: readonly ExprLike[]): Expr[] {
  return ops.map((a, i) => {
    if (a.kind === "select") {
      const cmp = { LT: op.lt, LE: op.le, GT: op.gt, GE: op.ge }[a.cmp];
      return op.select(cmp(incoming[a.key], current[a.key]), incoming[i], current[i]);
    }
    const f = { Add: op.add, Mul: op.mul, Min: op.min, Max: op.max, And: op.and, Or: op.or }[a.op];
    return f(current[i], incoming[i]);
  });
}

/** A reduction loop of a stage after its splits: the loop's name, the name users give it, and its range. */
interface LoopRVar {
  readonly name: string;
  readonly base: string;
  readonly min: ir.Expr;
  readonly extent: ir.Expr;
}

/**
 * The reduction loops of stage `sched` (splits of RVars applied, innermost first), each original RVar as an
 * expression of them, and the conditions the splits' tails add. Fused or renamed RVars, and splits of pure
 * variables, are not supported by rfactor here.
 */
function projectRVars(rdom: ReductionDomain, sched: StageSchedule, where: string) {
  const ranges = new Map<string, { min: ir.Expr; extent: ir.Expr }>(rdom.vars.map((v) => [v.name, { min: v.min, extent: v.extent }]));
  const values = new Map<string, ir.Expr>(rdom.vars.map((v) => [v.name, ir.variable(Int(32), v.name)]));
  const guards: ir.Expr[] = [];
  for (const sp of sched.splits) {
    if (sp.kind !== "split" || !ranges.has(sp.old)) {
      throw new HalideError(`In schedule for ${where}: rfactor() supports splits of RVars only; apply other loop directives after rfactor()`);
    }
    const { min, extent } = ranges.get(sp.old)!;
    ranges.delete(sp.old);
    const f = sp.factor;
    ranges.set(sp.outer, { min: ir.i32Imm(0), extent: foldArith("Div", foldArith("Sub", foldArith("Add", extent, f), ir.i32Imm(1)), f) });
    ranges.set(sp.inner, { min: ir.i32Imm(0), extent: f });
    const value = foldArith("Add", foldArith("Add", foldArith("Mul", ir.variable(Int(32), sp.outer), f), ir.variable(Int(32), sp.inner)), min);
    const [e, k] = [ir.asConstInt(extent), ir.asConstInt(f)];
    if (e === undefined || k === undefined || e % k !== 0n) guards.push(ir.cmp("LT", value, foldArith("Add", min, extent)));
    for (const [name, v] of values) values.set(name, substitute(v, new Map([[sp.old, value]])));
  }
  const loops: LoopRVar[] = sched.dims.filter((d) => ranges.has(d.name)).map((d) => ({
    name: d.name,
    base: d.name.slice(d.name.lastIndexOf(".") + 1),
    ...ranges.get(d.name)!,
  }));
  const expand = (e: ir.Expr) => substitute(e, values);
  return { loops, expand, guards };
}

/**
 * Rewrites update `stage - 1` of `fn` by rfactoring the reduction loops in `preserved` (RVars of its domain, or
 * loops an RVar was split into, each paired with the pure Var that replaces it) into a new intermediate Func,
 * which it returns. `where` names the stage in messages.
 *
 * @example
 * ```ts
 * const intm = rfactorStage(f.fn, 1, [[r.y, u]], "f.update(0)");
 * intm.computeRoot().update(0).parallel(u);
 * ```
 */
export function rfactorStage(fn: FunctionDef, stage: number, preserved: readonly (readonly [RVar, Var])[], where: string): Func {
  if (stage === 0) throw new HalideError(`rfactor() must be called on an update definition`);
  const def = fn.updates[stage - 1];
  const sched = fn.stageSchedule(stage);
  const dims = sched.dims.map((d) => d.name).join(" ");
  const proof = proveAssociativity(fn, def);
  if (!proof) {
    throw new HalideError(`In schedule for ${where}: can't perform rfactor() because we can't prove associativity of the operator\nVars: ${dims}`);
  }
  const rdom = def.rdom;
  if (!rdom) throw new HalideError(`In schedule for ${where}: can't perform rfactor() on an update definition without a reduction domain`);
  const { loops, expand, guards } = projectRVars(rdom, sched, where);
  const find = (rv: RVar) => loops.find((l) => l.name === rv.name || l.base === rv.name);
  for (const [rv, v] of preserved) {
    if (!find(rv)) {
      throw new HalideError(
        `In schedule for ${where}: can't perform rfactor() on ${rv.name} since either it is not in the reduction ` +
          `domain, or has already been consumed by another scheduling directive\nVars: ${dims}`,
      );
    }
    if (sched.dims.some((d) => d.name === v.name) || fn.args.includes(v.name)) {
      throw new HalideError(`In schedule for ${where}: can't perform rfactor() on ${rv.name} because the name ${v.name} is already used elsewhere in the Func's schedule.\nVars: ${dims}`);
    }
  }
  const preservedLoops = preserved.map(([rv]) => find(rv)!);
  const isPreserved = (l: LoopRVar) => preservedLoops.includes(l);
  if (!proof.commutative) {
    // Without commutativity only the outermost reduction loops can be factored out.
    const inner = loops.findIndex((l, i) => isPreserved(l) && loops.slice(i + 1).some((o) => !isPreserved(o)));
    if (inner >= 0) {
      throw new HalideError(
        `In schedule for ${where}: can't rfactor an inner dimension ${loops[inner].name} without rfactoring the outer ` +
          `dimensions, since the operator is non-commutative.\nVars: ${dims}`,
      );
    }
  }

  // The intermediate: f's pure variables plus one per preserved loop; reduces over the other loops (an RDom of
  // them, named as the user names the loops), under the domain's predicate and the splits' tail conditions.
  const pureVars = fn.args.map((a) => new Var(a));
  const us = preserved.map(([, v]) => v);
  const kept = loops.filter((l) => !isPreserved(l));
  const keptDom = kept.length
    ? new ReductionDomain(`${rdom.name}_intm`, kept.map((l) => ({ name: l.base, min: l.min, extent: l.extent })))
    : undefined;
  const toIntm = new Map<string, ir.Expr>([
    ...preservedLoops.map((l, i) => [l.name, us[i].toIR()] as [string, ir.Expr]),
    ...kept.map((l, i) => [l.name, keptDom!.variable(i)] as [string, ir.Expr]),
  ]);
  const inIntm = (e: ir.Expr) => wrap(substitute(expand(e), toIntm));
  const intm = new Func(`${fn.name}_intm`);
  const types = fn.outputTypes;
  const init = types.map((t, i) => selectIdentity(proof.ops, i, t));
  intm.at(...pureVars, ...us).set(init.length === 1 ? init[0] : init);
  const conditions = [...(rdom.predicate.kind === "IntImm" ? [] : [rdom.predicate]), ...guards];
  if (keptDom) conditions.forEach((c) => keptDom.where(inIntm(c).toIR(), where));
  const lhs = [...def.args.map(inIntm), ...us];
  const self = intm.at(...lhs);
  const current = types.length === 1 ? [self] : types.map((_, i) => self.elem(i));
  const incoming = proof.ops.map((a) => inIntm(a.y));
  const combined = combine(proof.ops, current, incoming);
  // With every loop preserved there is no domain left to carry the conditions: they select the update.
  const holds = keptDom || conditions.length === 0 ? undefined : conditions.map(inIntm).reduce((a, b) => op.and(a, b));
  const values = holds ? combined.map((c, i) => op.select(holds, c, current[i])) : combined;
  intm.at(...lhs).set(values.length === 1 ? values[0] : values);

  // f's update becomes the merge: for every point of f, reduce the intermediate over the preserved loops.
  const mergeDom = new ReductionDomain(`${rdom.name}_merge`, preservedLoops.map((l) => ({ name: l.base, min: l.min, extent: l.extent })));
  mergeDom.freeze();
  const argsIR = fn.args.map((a) => ir.variable(Int(32), a));
  const call = (i: number) => ir.call(types[i], fn.name, argsIR, "Halide", { func: fn, valueIndex: i });
  const fromIntm = intm.at(...pureVars, ...preservedLoops.map((_, i) => new RVar(mergeDom.vars[i].name, mergeDom, i)));
  const mergeValues = combine(
    proof.ops,
    types.map((_, i) => wrap(call(i))),
    types.map((_, i) => (types.length === 1 ? fromIntm : fromIntm.elem(i))),
  ).map((e) => e.toIR());
  intm.fn.freeze();
  const merge = { args: argsIR, values: mergeValues, rdom: mergeDom };
  const mergeDims: Dim[] = [
    ...mergeDom.vars.map((v): Dim => ({
      name: v.name,
      forType: "Serial",
      dimType: canParallelizeRVar(v.name, fn, merge) ? "PureRVar" : "ImpureRVar",
    })),
    ...fn.args.map((name): Dim => ({ name, forType: "Serial" })),
  ];
  fn.replaceUpdate(stage - 1, merge, { dims: mergeDims, splits: [], touched: true });
  return intm;
}
