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
import { type Associativity, canParallelizeRVar, proveAssociativity } from "../ir/reduction.ts";
import type { Dim } from "../ir/schedule.ts";
import { Int, type Type } from "../ir/type.ts";
import { type Expr, type ExprLike, wrap } from "./expr.ts";
import { Func } from "./func.ts";
import * as op from "./operators.ts";
import { RDom, type RVar } from "./rdom.ts";
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

/**
 * Rewrites update `stage - 1` of `fn` by rfactoring the reduction variables in `preserved` (each paired with the
 * pure Var that replaces it) into a new intermediate Func, which it returns. `where` names the stage in messages.
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
  if (sched.splits.length > 0) {
    throw new HalideError(`In schedule for ${where}: rfactor() must come before the stage's other loop directives (split, fuse, tile, rename)`);
  }
  for (const [rv, v] of preserved) {
    if (!rdom || !rdom.vars.some((d) => d.name === rv.name)) {
      throw new HalideError(
        `In schedule for ${where}: can't perform rfactor() on ${rv.name} since either it is not in the reduction ` +
          `domain, or has already been consumed by another scheduling directive\nVars: ${dims}`,
      );
    }
    if (sched.dims.some((d) => d.name === v.name) || fn.args.includes(v.name)) {
      throw new HalideError(`In schedule for ${where}: can't perform rfactor() on ${rv.name} because the name ${v.name} is already used elsewhere in the Func's schedule.\nVars: ${dims}`);
    }
  }
  const isPreserved = (name: string) => preserved.some(([rv]) => rv.name === name);
  const vars = rdom!.vars;
  if (!proof.commutative) {
    // Without commutativity only the outermost reduction variables can be factored out.
    const firstKept = vars.findIndex((d) => !isPreserved(d.name));
    const innerPreserved = vars.findIndex((d, i) => isPreserved(d.name) && i < vars.length - 1 && vars.slice(i + 1).some((o) => !isPreserved(o.name)));
    if (firstKept >= 0 && innerPreserved >= 0) {
      throw new HalideError(
        `In schedule for ${where}: can't rfactor an inner dimension ${vars[innerPreserved].name} without rfactoring the outer ` +
          `dimensions, since the operator is non-commutative.\nVars: ${dims}`,
      );
    }
  }

  // The intermediate: f's pure variables plus one per preserved RVar; reduces over the other RVars.
  const pureVars = fn.args.map((a) => new Var(a));
  const us = preserved.map(([, v]) => v);
  const kept = vars.filter((d) => !isPreserved(d.name));
  const keptDom = kept.length ? new RDom(kept.map((d) => [wrap(d.min), wrap(d.extent)] as [Expr, Expr]), `${rdom!.name}_intm`) : undefined;
  const toIntm = new Map<string, ir.Expr>([
    ...preserved.map(([rv, v]) => [rv.name, v.toIR()] as [string, ir.Expr]),
    ...kept.map((d, i) => [d.name, keptDom!.dim(i).toIR()] as [string, ir.Expr]),
  ]);
  const intm = new Func(`${fn.name}_intm`);
  const types = fn.outputTypes;
  const init = types.map((t, i) => selectIdentity(proof.ops, i, t));
  intm.at(...pureVars, ...us).set(init.length === 1 ? init[0] : init);
  const lhs = [...def.args.map((a) => wrap(substitute(a, toIntm))), ...us];
  if (keptDom && rdom!.predicate.kind !== "IntImm") keptDom.where(wrap(substitute(rdom!.predicate, toIntm)));
  const self = intm.at(...lhs);
  const current = types.length === 1 ? [self] : types.map((_, i) => self.elem(i));
  const incoming = proof.ops.map((a) => wrap(substitute(a.y, toIntm)));
  const values = combine(proof.ops, current, incoming);
  intm.at(...lhs).set(values.length === 1 ? values[0] : values);

  // f's update becomes the merge: for every point of f, reduce the intermediate over the preserved RVars.
  const mergeDom = new RDom(
    preserved.map(([rv]) => {
      const d = vars.find((x) => x.name === rv.name)!;
      return [wrap(d.min), wrap(d.extent)] as [Expr, Expr];
    }),
    `${rdom!.name}_merge`,
  );
  mergeDom.domain.freeze();
  const argsIR = fn.args.map((a) => ir.variable(Int(32), a));
  const call = (i: number) => ir.call(types[i], fn.name, argsIR, "Halide", { func: fn, valueIndex: i });
  const fromIntm = intm.at(...pureVars, ...preserved.map((_, i) => mergeDom.dim(i)));
  const mergeValues = combine(
    proof.ops,
    types.map((_, i) => wrap(call(i))),
    types.map((_, i) => (types.length === 1 ? fromIntm : fromIntm.elem(i))),
  ).map((e) => e.toIR());
  intm.fn.freeze();
  const merge = { args: argsIR, values: mergeValues, rdom: mergeDom.domain };
  const mergeDims: Dim[] = [
    ...mergeDom.domain.vars.map((v): Dim => ({
      name: v.name,
      forType: "Serial",
      dimType: canParallelizeRVar(v.name, fn, merge) ? "PureRVar" : "ImpureRVar",
    })),
    ...fn.args.map((name): Dim => ({ name, forType: "Serial" })),
  ];
  fn.replaceUpdate(stage - 1, merge, { dims: mergeDims, splits: [], touched: true });
  return intm;
}
