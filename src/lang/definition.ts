/**
 * Recording definitions, with Halide's checks and messages: the pure definition `f(x, y) = value`
 * ({@link definePure}) and update definitions `f(args) = values` made after it ({@link defineUpdate}), whose
 * left-hand side may hold any Int(32) Exprs and whose Exprs may use one reduction domain.
 *
 * @module
 */
import { HalideError } from "../error.ts";
import * as ir from "../ir/expr.ts";
import type { FunctionDef } from "../ir/function.ts";
import { mapExprChildren, visitExpr } from "../ir/mutate.ts";
import { callsFn, canParallelizeRVar, type ReductionDomain } from "../ir/reduction.ts";
import type { Dim, StageSchedule } from "../ir/schedule.ts";
import { Int, type Type } from "../ir/type.ts";
import { lowerRandom, nextRandomTag } from "./random.ts";
import { Var } from "./var.ts";

function printTypes(types: readonly Type[]): string {
  return types.length === 1 ? `${types[0]}` : `(${types.join(", ")})`;
}

/** Calls `f` on each direct child of `e`. */
function forEachChild(e: ir.Expr, f: (child: ir.Expr) => void): void {
  mapExprChildren(e, (c) => {
    f(c);
    return c;
  });
}

/**
 * The largest implicit-variable index + 1 used in `values` (Halide's CountImplicitVars).
 *
 * @example
 * ```ts
 * countImplicitVars([hl._1.add(1).toIR()]); // 2
 * ```
 */
export function countImplicitVars(values: readonly ir.Expr[]): number {
  let count = 0;
  const go = (e: ir.Expr): void => {
    if (e.kind === "Variable") count = Math.max(count, Var.implicitIndex(e.name) + 1);
    else forEachChild(e, go);
  };
  values.forEach(go);
  return count;
}

/** What {@link checkVars} learns of a definition: the one reduction domain it uses, if any. */
interface VarCheck {
  rdom?: ReductionDomain;
}

/**
 * Checks that every variable in `value` is a pure argument, a parameter, a reduction variable (all from one
 * domain) or bound by an enclosing `Let` (Halide's CheckVars), and that calls of the Func itself have its pure
 * arguments in their places (`selfArgs[i]`, "" where the left-hand side has no pure variable).
 */
function checkVars(fn: FunctionDef, pureArgs: ReadonlySet<string>, value: ir.Expr, check: VarCheck, selfArgs?: readonly string[]): void {
  const go = (e: ir.Expr, bound: ReadonlySet<string>): void => {
    if (e.kind === "Variable") {
      if (e.param || bound.has(e.name) || pureArgs.has(e.name)) return;
      if (e.rdom) {
        if (check.rdom && check.rdom !== e.rdom) {
          throw new HalideError(`Multiple reduction domains found in definition of Func "${fn.name}"`);
        }
        check.rdom = e.rdom;
        return;
      }
      if (check.rdom?.vars.some((v) => v.name === e.name)) return;
      throw new HalideError(`Undefined variable "${e.name}" in definition of Func "${fn.name}"`);
    }
    if (e.kind === "Let") {
      go(e.value, bound);
      go(e.body, new Set([...bound, e.name]));
      return;
    }
    if (selfArgs && e.kind === "Call" && e.callType === "Halide" && e.func === fn) {
      e.args.forEach((a, i) => {
        if (selfArgs[i] !== "" && !(a.kind === "Variable" && !a.param && !a.rdom && a.name === selfArgs[i])) {
          throw new HalideError(
            `In definition of Func "${fn.name}":\nAll of a function's recursive references to itself must contain the ` +
              `same pure variables in the same places as on the left-hand-side.`,
          );
        }
      });
    }
    forEachChild(e, (c) => go(c, bound));
  };
  go(value, new Set());
}

/** Freezes every Func that `exprs` call, except `self`: their definitions are final once used. */
function freezeCalled(exprs: readonly ir.Expr[], self: FunctionDef): void {
  for (const e of exprs) {
    visitExpr(e, (n) => {
      if (n.kind === "Call" && n.callType === "Halide" && n.func && n.func !== self) n.func.freeze();
    });
  }
}

function checkTypes(fn: FunctionDef, values: readonly ir.Expr[]): void {
  if (!fn.requiredTypes) return;
  const types = values.map((v) => v.type);
  const match = types.length === fn.requiredTypes.length && types.every((t, i) => t.equals(fn.requiredTypes![i]));
  if (!match) {
    throw new HalideError(
      `Func "${fn.name}" is constrained to only hold values of type ${printTypes(fn.requiredTypes)} but is ` +
        `defined with values of type ${printTypes(types)}.`,
    );
  }
}

/**
 * Validates and records `fn(lhs…) = values`, as Halide's `FuncRef::operator=` + `Function::define`. Implicit
 * variables used on the right become arguments where the placeholder `_` stands on the left.
 *
 * @example
 * ```ts
 * definePure(f.fn, ["x", "y"], -1, [x.add(y).toIR()]);
 * ```
 */
export function definePure(fn: FunctionDef, lhs: readonly string[], placeholderPos: number, rawValues: readonly ir.Expr[]): void {
  const where = `In pure definition of Func "${fn.name}":\n`;
  if (rawValues.length === 0) throw new HalideError(`${where}A Func can't be defined with an empty Tuple.`);
  const args = [...lhs];
  const implicitCount = countImplicitVars(rawValues);
  if (implicitCount > 0 && placeholderPos !== -1) {
    args.splice(placeholderPos, 0, ...Array.from({ length: implicitCount }, (_, i) => Var.implicit(i).name));
  }
  for (let i = 0; i < implicitCount; i++) {
    if (!args.includes(Var.implicit(i).name)) {
      throw new HalideError(
        `Right-hand-side of definition of ${fn.name} uses implicit variables, but the left-hand-side does not ` +
          `contain the placeholder symbol '_'.`,
      );
    }
  }
  const pureArgs = new Set(args);
  const check: VarCheck = {};
  for (const v of rawValues) checkVars(fn, pureArgs, v, check);
  if (check.rdom) throw new HalideError(`${where}Reduction domain referenced in pure function definition.`);
  args.forEach((a, i) => {
    const j = args.indexOf(a);
    if (j < i) {
      throw new HalideError(`${where}In left-hand-side of definition, arguments ${i} and ${j} both have the name "${a}"`);
    }
  });
  const tag = nextRandomTag();
  const argVars = args.map((a) => ir.variable(Int(32), a));
  const values = rawValues.map((v) => lowerRandom(v, argVars, tag));
  checkTypes(fn, values);
  if (fn.requiredDimensions !== undefined && fn.requiredDimensions !== args.length) {
    throw new HalideError(
      `Func "${fn.name}" is constrained to have exactly ${fn.requiredDimensions} dimensions, but is defined with ` +
        `${args.length} dimensions.`,
    );
  }
  freezeCalled(values, fn);
  fn.define(args, values);
}

/** Whether `e` is the plain (non-parameter, non-reduction) variable `name`. */
function isPureVar(e: ir.Expr, name: string): boolean {
  return e.kind === "Variable" && !e.param && !e.rdom && e.name === name;
}

/**
 * Validates and records the update definition `fn(args…) = values` (Halide's `Function::define_update`):
 * dimensionality, Tuple size and types must match the pure definition; the pure variables on the left are those at
 * their own positions; the right may use those, parameters and one reduction domain (which this freezes).
 * `implicitCount` is the number of implicit variables the left-hand side's placeholder stands for. Returns the
 * new stage's index.
 *
 * @example
 * ```ts
 * defineUpdate(hist.fn, [clampedPixel], [hist.at(clampedPixel).add(1).toIR()], 0);
 * ```
 */
export function defineUpdate(fn: FunctionDef, args: readonly ir.Expr[], rawValues: readonly ir.Expr[], implicitCount: number): number {
  const idx = fn.updates.length;
  const where = `In update definition ${idx} of Func "${fn.name}":\n`;
  if (fn.frozen) {
    throw new HalideError(
      `Func ${fn.name} cannot be given a new update definition, because it has already been realized, used in the ` +
        `definition of another Func, or been the target of a wrapper via in()/clone_in().`,
    );
  }
  const used = countImplicitVars(rawValues);
  if (used > implicitCount) {
    throw new HalideError(
      `The update definition of ${fn.name} uses ${used} implicit variables, but the initial definition uses only ` +
        `${implicitCount} implicit variables.`,
    );
  }
  if (args.length !== fn.dimensions) {
    throw new HalideError(`${where}Dimensionality of update definition must match dimensionality of pure definition.`);
  }
  const pureTypes = fn.outputTypes;
  if (rawValues.length !== pureTypes.length) {
    throw new HalideError(
      `${where}Number of tuple elements for update definition must match number of tuple elements for pure definition.`,
    );
  }
  rawValues.forEach((v, i) => {
    if (!v.type.equals(pureTypes[i])) {
      const what = pureTypes.length > 1 ? `Tuple element ${i} of update definition has type` : `Update definition has type`;
      throw new HalideError(`${where}${what} ${v.type}, but pure definition has type ${pureTypes[i]}`);
    }
  });
  const selfArgs = args.map((a, i) => (isPureVar(a, fn.args[i]) ? fn.args[i] : ""));
  const pureArgs = new Set(selfArgs.filter((a) => a !== ""));
  const check: VarCheck = {};
  for (const e of [...args, ...rawValues]) checkVars(fn, pureArgs, e, check, selfArgs);
  const rdom = check.rdom;
  if (rdom) checkVars(fn, pureArgs, rdom.predicate, check, selfArgs);
  freezeCalled([...args, ...rawValues, ...(rdom ? [rdom.predicate] : [])], fn);
  rdom?.freeze();

  const tag = nextRandomTag();
  const free = [...[...pureArgs].map((a) => ir.variable(Int(32), a)), ...(rdom?.vars.map((_, i) => rdom.variable(i)) ?? [])];
  const lhs = args.map((a) => lowerRandom(a, free, tag));
  const values = rawValues.map((v) => lowerRandom(v, free, tag));
  const selfReference = values.some((v) => callsFn(v, fn));
  if (!rdom && !selfReference && selfArgs.every((a) => a !== "")) {
    console.warn(
      `Warning: ${where}Update definition completely hides earlier definitions, because all the arguments are pure, ` +
        `it contains no self-references, and no reduction domain. This may be an accidental re-definition of an ` +
        `already-defined function.`,
    );
  }
  const def = { args: lhs, values, rdom };
  // Reduction variables innermost (dimension 0 fastest), then the pure variables.
  const dims: Dim[] = [
    ...(rdom?.vars.map((v): Dim => ({
      name: v.name,
      forType: "Serial",
      dimType: canParallelizeRVar(v.name, fn, def) ? "PureRVar" : "ImpureRVar",
    })) ?? []),
    ...[...pureArgs].map((name): Dim => ({ name, forType: "Serial" })),
  ];
  const schedule: StageSchedule = { dims, splits: [] };
  fn.addUpdate(def, schedule);
  return idx + 1;
}
