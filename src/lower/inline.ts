/**
 * Inlining: replaces calls to Funcs scheduled inline (the default) by the Func's value at the call's arguments.
 *
 * @module
 */
import { HalideError } from "../error.ts";
import { type Expr, letExpr } from "../ir/expr.ts";
import type { FunctionDef } from "../ir/function.ts";
import { mapExprChildren, substitute } from "../ir/mutate.ts";
import { wrappedValues } from "./wrappers.ts";

/**
 * Inlines, recursively, the calls in `e` to every Func for which `inline(f)` holds, binding each callee
 * argument with a `Let` so argument expressions are evaluated once. `stack` is the chain of Funcs being
 * inlined (to report a Func that calls itself).
 *
 * @example
 * ```ts
 * inlineCalls(output.pure.values[0], (f) => f.funcSchedule.compute.kind === "inlined");
 * ```
 */
export function inlineCalls(e: Expr, inline: (f: FunctionDef) => boolean, stack: readonly FunctionDef[] = []): Expr {
  const go = (n: Expr): Expr => {
    const m = mapExprChildren(n, go);
    if (m.kind !== "Call" || m.callType !== "Halide" || !m.func) return m;
    const fn = m.func;
    if (!fn.defined) throw new HalideError(`Can't call Func "${fn.name}" because it has not yet been defined.`);
    if (!inline(fn)) return m;
    if (stack.includes(fn)) throw new HalideError(`Func ${fn.name} calls itself.`);
    const args = fn.args;
    const body = inlineCalls(wrappedValues(fn)[m.valueIndex], inline, [...stack, fn]);
    // Bind arguments to fresh names so the callee's Vars cannot capture the caller's.
    const fresh = args.map((a, i) => `${fn.name}.${a}$${i}`);
    const renamed = substitute(body, new Map(args.map((a, i) => [a, { kind: "Variable", type: m.args[i].type, name: fresh[i] } as Expr])));
    return fresh.reduceRight<Expr>((acc, name, i) => letExpr(name, m.args[i], acc), renamed);
  };
  return go(e);
}
