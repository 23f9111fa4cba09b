/**
 * Reduction domains: the iteration spaces of update definitions. A {@link ReductionDomain} is a box of
 * {@link ReductionVariable}s (`r$x` over `[min, min + extent)`, …) with a predicate (`where`). Its variables
 * appear in the IR as `Variable` nodes that point back at the domain, so a definition can find the domain it
 * iterates over from its expressions alone, as Halide's `ReductionDomain` does.
 *
 * @module
 */
import { HalideError } from "../error.ts";
import { constTrue, type Expr, logical, type Variable } from "./expr.ts";
import { Int } from "./type.ts";
import { equalExprs } from "./equality.ts";
import type { FunctionDef, UpdateDefinition } from "./function.ts";
import { visitExpr } from "./mutate.ts";

/** One dimension of a reduction domain: `name` runs over `[min, min + extent)` (Int(32) Exprs). */
export interface ReductionVariable {
  readonly name: string;
  readonly min: Expr;
  readonly extent: Expr;
}

/**
 * A reduction domain: dimensions innermost first (iteration order: `vars[0]` fastest) and a predicate that
 * must hold for an iteration to run. The predicate may still grow (`where`) until the domain is used by an
 * update definition, which freezes it.
 *
 * @example
 * ```ts
 * const dom = new ReductionDomain("r", [{ name: "r$x", min: i32Imm(0), extent: i32Imm(10) }]);
 * dom.variable(0).name; // "r$x"
 * ```
 */
export class ReductionDomain {
  #predicates: Expr[] = [];
  #frozen = false;

  constructor(readonly name: string, readonly vars: readonly ReductionVariable[]) {}

  /** The conjunction of the predicates given to {@link ReductionDomain.where} (true if none). */
  get predicate(): Expr {
    return this.#predicates.length === 0 ? constTrue() : this.#predicates.reduce((a, b) => logical("And", a, b));
  }

  /** Whether an update definition uses the domain (its predicate is then fixed). */
  get frozen(): boolean {
    return this.#frozen;
  }

  /** Adds a predicate (conjunctively); `describe` names the domain in the error if it is frozen. */
  where(predicate: Expr, describe: string): void {
    if (this.#frozen) {
      throw new HalideError(
        `${describe} cannot be given a new predicate, because it has already been used in the update definition of ` +
          `some function.`,
      );
    }
    this.#predicates = [...this.#predicates, predicate];
  }

  /** Fixes the predicate: called when an update definition starts using the domain. */
  freeze(): void {
    this.#frozen = true;
  }

  /** The IR variable of dimension `i`. */
  variable(i: number): Variable {
    return { kind: "Variable", type: Int(32), name: this.vars[i].name, rdom: this };
  }
}

/** Whether `e` is `v`, or `v` plus or minus something that is the same in every iteration (constants, Params). */
function isVarPlusInvariant(e: Expr, v: string): boolean {
  const invariant = (x: Expr) => {
    let ok = true;
    visitExpr(x, (n) => void (ok &&= n.kind !== "Variable" || n.param !== undefined));
    return ok;
  };
  if (e.kind === "Variable") return e.name === v && !e.param;
  if (e.kind === "Add") return (isVarPlusInvariant(e.a, v) && invariant(e.b)) || (invariant(e.a) && isVarPlusInvariant(e.b, v));
  if (e.kind === "Sub") return isVarPlusInvariant(e.a, v) && invariant(e.b);
  return false;
}

/**
 * Whether distinct iterations of reduction variable `v` in update `def` of `fn` can never touch the same value
 * (Halide's `can_parallelize_rvar`; a sufficient test): some argument of the left-hand side is `v` plus an
 * invariant, and every read of `fn` in the values and the predicate has the same expression at that position.
 * Such an RVar is "pure": its loop may run in parallel or be vectorized.
 *
 * @example
 * ```ts
 * // f(r) = f(r) * 2 → true;  hist(im(r)) += 1 → false;  f(r) = f(r - 1) + 1 → false
 * canParallelizeRVar("r$x", f.fn, f.fn.updates[0]);
 * ```
 */
export function canParallelizeRVar(v: string, fn: FunctionDef, def: UpdateDefinition): boolean {
  const loads: (readonly Expr[])[] = [];
  for (const e of [...def.values, ...(def.rdom ? [def.rdom.predicate] : [])]) {
    visitExpr(e, (n) => {
      if (n.kind === "Call" && n.callType === "Halide" && n.func === fn) loads.push(n.args);
    });
  }
  return def.args.some((a, i) => isVarPlusInvariant(a, v) && loads.every((l) => equalExprs(l[i], a)));
}

/** The binary operators an associativity proof recognizes, with their identities. */
export type AssociativeOp = "Add" | "Mul" | "Min" | "Max" | "And" | "Or";

/** The result of {@link proveAssociativity} for one update definition. */
export interface Associativity {
  /** Whether the combining operator is commutative as well (reduction loops may then be reordered). */
  readonly commutative: boolean;
  /**
   * Per Tuple element: how the new value combines the old one with the update's contribution `y` — a binary
   * operator, or for argmin/argmax-style Tuples, `select(c, y, old)` where `c` compares element `key`.
   */
  readonly ops: readonly ({ readonly kind: "binary"; readonly op: AssociativeOp; readonly y: Expr } | {
    readonly kind: "select";
    readonly key: number;
    readonly cmp: "LT" | "LE" | "GT" | "GE";
    readonly y: Expr;
  })[];
}

/** Whether `e` is a call of `fn` at `args`, value `index`. */
function isSelfCall(e: Expr, fn: FunctionDef, args: readonly Expr[], index: number): boolean {
  return e.kind === "Call" && e.callType === "Halide" && e.func === fn && e.valueIndex === index &&
    e.args.every((a, i) => equalExprs(a, args[i]));
}

/**
 * Whether `e` calls `fn`.
 *
 * @example
 * ```ts
 * callsFn(f.at(x.sub(1)).toIR(), f.fn); // true
 * ```
 */
export function callsFn(e: Expr, fn: FunctionDef): boolean {
  let found = false;
  visitExpr(e, (n) => void (found ||= n.kind === "Call" && n.func === fn));
  return found;
}

/**
 * Proves, by pattern, that update `def` of `fn` combines each value with an associative operator (Halide's
 * `prove_associativity`, for the common cases): `f(args) = op(f(args), y)` or `op(y, f(args))` with `op` one of
 * `+ * min max && ||` and `y` not reading `fn`; or an argmin/argmax Tuple, every element `select(y_k < f_k(args),
 * y_i, f_i(args))`. Undefined when no pattern matches.
 *
 * @example
 * ```ts
 * proveAssociativity(f.fn, f.fn.updates[0])?.ops[0]; // { kind: "binary", op: "Add", y: … } for f(x) += g(r, x)
 * ```
 */
export function proveAssociativity(fn: FunctionDef, def: UpdateDefinition): Associativity | undefined {
  const binaryOps: readonly AssociativeOp[] = ["Add", "Mul", "Min", "Max", "And", "Or"];
  const single = def.values.map((v, i) => {
    if (!binaryOps.includes(v.kind as AssociativeOp)) return undefined;
    const { a, b } = v as Expr & { a: Expr; b: Expr };
    const [self, y] = isSelfCall(a, fn, def.args, i) ? [a, b] : isSelfCall(b, fn, def.args, i) ? [b, a] : [];
    return self && y && !callsFn(y, fn) ? { kind: "binary" as const, op: v.kind as AssociativeOp, y } : undefined;
  });
  if (single.every((s) => s !== undefined)) return { commutative: true, ops: single };
  // argmin / argmax: every element is select(cond, y_i, self_i) with one condition comparing element `key`.
  const selects = def.values.map((v, i) => v.kind === "Select" && isSelfCall(v.falseValue, fn, def.args, i) ? v : undefined);
  if (selects.some((s) => s === undefined)) return undefined;
  const cond = selects[0]!.cond;
  if (!selects.every((s) => equalExprs(s!.cond, cond))) return undefined;
  if (cond.kind !== "LT" && cond.kind !== "LE" && cond.kind !== "GT" && cond.kind !== "GE") return undefined;
  const cmp = cond.kind as "LT" | "LE" | "GT" | "GE";
  const key = selects.findIndex((s, i) => isSelfCall(cond.b, fn, def.args, i) && equalExprs(cond.a, s!.trueValue));
  if (key < 0 || selects.some((s) => callsFn(s!.trueValue, fn))) return undefined;
  return {
    commutative: false,
    ops: selects.map((s) => ({ kind: "select" as const, key, cmp, y: s!.trueValue })),
  };
}

/**
 * Whether update `def` of `fn` just scatters values that neither read `fn` nor depend on the reduction domain
 * (`f(g(r)) = 4`): any order of its iterations gives the same result (Halide's `is_const_assignment`).
 *
 * @example
 * ```ts
 * isConstAssignment(f.fn, f.fn.updates[0]); // true for f(clamp(im(r), 0, 9)) = 1
 * ```
 */
export function isConstAssignment(fn: FunctionDef, def: UpdateDefinition): boolean {
  let rvarInValues = false;
  for (const v of def.values) visitExpr(v, (n) => void (rvarInValues ||= n.kind === "Variable" && n.rdom !== undefined));
  return !rvarInValues && ![...def.args, ...def.values].some((e) => callsFn(e, fn));
}
