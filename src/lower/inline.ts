/**
 * Inlining: replaces every call to a Func by the Func's value at the call's arguments. With the default
 * schedule every Func but the output is inlined.
 *
 * @module
 */
import { HalideError } from "../error.ts";
import { type Expr, letExpr } from "../ir/expr.ts";
import type { FunctionDef } from "../ir/function.ts";
import { mapExprChildren, substitute } from "../ir/mutate.ts";

/**
 * Inlines all Halide calls in `e` (recursively), binding each callee argument with a `Let` so argument
 * expressions are evaluated once.
 *
 * @example
 * ```ts
 * inlineAllCalls(output.pure.values[0]);
 * ```
 */
export function inlineAllCalls(e: Expr, stack: readonly FunctionDef[] = []): Expr {
  const go = (n: Expr): Expr => {
    const m = mapExprChildren(n, go);
    if (m.kind !== "Call" || m.callType !== "Halide" || !m.func) return m;
    const fn = m.func;
    if (stack.includes(fn)) throw new HalideError(`Func ${fn.name} calls itself.`);
    if (!fn.defined) throw new HalideError(`Can't call Func "${fn.name}" because it has not yet been defined.`);
    const { args, values } = fn.pure;
    const body = inlineAllCalls(values[m.valueIndex], [...stack, fn]);
    // Bind arguments to fresh names so the callee's Vars cannot capture the caller's.
    const fresh = args.map((a, i) => `${fn.name}.${a}$${i}`);
    const renamed = substitute(body, new Map(args.map((a, i) => [a, { kind: "Variable", type: m.args[i].type, name: fresh[i] } as Expr])));
    return fresh.reduceRight<Expr>((acc, name, i) => letExpr(name, m.args[i], acc), renamed);
  };
  return go(e);
}
