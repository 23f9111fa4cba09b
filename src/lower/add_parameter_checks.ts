/**
 * Assertions that scalar parameters lie in their ranges (`Param.setRange`), in Halide's words: "Parameter p is
 * 300 but must be at most 255".
 *
 * @module
 */
import { cast, cmp, type Expr, type ScalarSource, variable } from "../ir/expr.ts";
import { Float } from "../ir/type.ts";
import { block, type Stmt } from "../ir/stmt.ts";
import { errorMessage } from "./error_message.ts";

/**
 * `body` preceded by the range checks of `params`.
 *
 * @example
 * ```ts
 * const s = addParameterChecks(body, [radius]);   // radius.setRange(0, 16)
 * ```
 */
export function addParameterChecks(body: Stmt, params: readonly ScalarSource[]): Stmt {
  const checks: Stmt[] = params.flatMap((p) => {
    const { min, max } = p.range?.() ?? {};
    const param = variable(p.type, p.name, p);
    // Halide reports float parameters and their bounds as doubles.
    const shown = (e: Expr) => (p.type.isFloat() ? cast(Float(64), e) : e);
    const out: Stmt[] = [];
    if (min) {
      out.push({
        kind: "AssertStmt",
        cond: cmp("GE", param, min),
        message: errorMessage([`Parameter ${p.name} is `, shown(param), " but must be at least ", shown(min)]),
      });
    }
    if (max) {
      out.push({
        kind: "AssertStmt",
        cond: cmp("LE", param, max),
        message: errorMessage([`Parameter ${p.name} is `, shown(param), " but must be at most ", shown(max)]),
      });
    }
    return out;
  });
  return block([...checks, body]);
}
