/**
 * Wrappers (`f.in(g)`, `f.in()`, `f.cloneIn(g)`, `image.in()`): the values of a Func as lowering sees them, with each
 * call redirected to the wrapper registered for it — a Func call to the callee's wrapper for this consumer, an image
 * call to the image's wrapper. Wrappers compute the same values, so only schedules see them.
 *
 * @module
 */
import { call, type Expr, variable } from "../ir/expr.ts";
import { Int } from "../ir/type.ts";
import type { StageDefinition } from "./loop_nest.ts";
import type { FunctionDef } from "../ir/function.ts";
import { mapExprChildren } from "../ir/mutate.ts";

/** `e` (part of a definition of `f`) with each call redirected to its wrapper for `f`; `f`'s reads of itself stay. */
function redirectCalls(f: FunctionDef, e: Expr): Expr {
  const go = (n: Expr): Expr => {
    const m = mapExprChildren(n, go);
    if (m.kind !== "Call") return m;
    if (m.callType === "Halide" && m.func && m.func !== f) {
      const w = m.func.wrapperFor(f);
      return w ? call(m.type, w.name, m.args, "Halide", { func: w, valueIndex: m.valueIndex }) : m;
    }
    if (m.callType === "Image" && m.image?.wrapper) {
      const w = m.image.wrapper();
      return w && w !== f ? call(m.type, w.name, m.args, "Halide", { func: w, valueIndex: 0 }) : m;
    }
    return m;
  };
  return go(e);
}

/**
 * `f`'s (pure) values with calls redirected to their wrappers for `f`.
 *
 * @example
 * ```ts
 * wrappedValues(blurY.fn); // calls to blur_x become calls to blur_x_in_blur_y after blurX.in(blurY)
 * ```
 */
export function wrappedValues(f: FunctionDef): readonly Expr[] {
  return f.pure.values.map((v) => redirectCalls(f, v));
}

/**
 * Definition `stage` of `f` (0: the pure one, `i + 1`: update `i`) as lowering sees it: left-hand side, values,
 * and for updates the reduction domain's variables and predicate, with calls redirected to their wrappers.
 *
 * @example
 * ```ts
 * const { args, values, rvars, predicate } = wrappedDefinition(hist.fn, 1);
 * ```
 */
export function wrappedDefinition(f: FunctionDef, stage: number): StageDefinition {
  if (stage === 0) return { args: f.args.map((a) => variable(Int(32), a)), values: wrappedValues(f) };
  const u = f.updates[stage - 1];
  return {
    args: u.args.map((a) => redirectCalls(f, a)),
    values: u.values.map((v) => redirectCalls(f, v)),
    rvars: u.rdom?.vars,
    predicate: u.rdom && redirectCalls(f, u.rdom.predicate),
  };
}
