/**
 * Wrappers (`f.in(g)`, `f.in()`, `f.cloneIn(g)`, `image.in()`): the values of a Func as lowering sees them, with each
 * call redirected to the wrapper registered for it — a Func call to the callee's wrapper for this consumer, an image
 * call to the image's wrapper. Wrappers compute the same values, so only schedules see them.
 *
 * @module
 */
import { call, type Expr } from "../ir/expr.ts";
import type { FunctionDef } from "../ir/function.ts";
import { mapExprChildren } from "../ir/mutate.ts";

/**
 * `f`'s values with calls redirected to their wrappers for `f`.
 *
 * @example
 * ```ts
 * wrappedValues(blurY.fn); // calls to blur_x become calls to blur_x_in_blur_y after blurX.in(blurY)
 * ```
 */
export function wrappedValues(f: FunctionDef): readonly Expr[] {
  const go = (e: Expr): Expr => {
    const m = mapExprChildren(e, go);
    if (m.kind !== "Call") return m;
    if (m.callType === "Halide" && m.func) {
      const w = m.func.wrapperFor(f);
      return w ? call(m.type, w.name, m.args, "Halide", { func: w, valueIndex: m.valueIndex }) : m;
    }
    if (m.callType === "Image" && m.image?.wrapper) {
      const w = m.image.wrapper();
      return w && w !== f ? call(m.type, w.name, m.args, "Halide", { func: w, valueIndex: 0 }) : m;
    }
    return m;
  };
  return f.pure.values.map(go);
}
