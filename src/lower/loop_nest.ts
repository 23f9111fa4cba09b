/**
 * Builds the loop nest that computes a Func over the region of its output buffer(s): one serial loop per
 * dimension, innermost dimension 0, around a `Provide` of the Func's values.
 *
 * @module
 */
import { type Expr, variable } from "../ir/expr.ts";
import type { FunctionDef } from "../ir/function.ts";
import { substitute } from "../ir/mutate.ts";
import { forLoop, type Stmt } from "../ir/stmt.ts";
import { Int } from "../ir/type.ts";

/** The name of the loop over pure variable `v` of stage `stage` of `f`: `f.s0.x`. */
export function loopName(f: FunctionDef, stage: number, v: string): string {
  return `${f.name}.s${stage}.${v}`;
}

/**
 * The loop nest for `f` over the buffer named `region` (its `region.min.d` / `region.extent.d` symbols),
 * with `values` (already inlined) as the values provided.
 *
 * @example
 * ```ts
 * const s = buildLoopNest(f, [inlinedValue], "f");
 * ```
 */
export function buildLoopNest(f: FunctionDef, values: readonly Expr[], region: string): Stmt {
  const args = f.args;
  const i32 = Int(32);
  const loopVars = new Map(args.map((a) => [a, variable(i32, loopName(f, 0, a)) as Expr]));
  const provided = values.map((v) => substitute(v, loopVars));
  let body: Stmt = { kind: "Provide", name: f.name, values: provided, args: args.map((a) => loopVars.get(a)!), func: f };
  args.forEach((a, d) => {
    body = forLoop(loopName(f, 0, a), variable(i32, `${region}.min.${d}`), variable(i32, `${region}.extent.${d}`), "Serial", body);
  });
  return body;
}
