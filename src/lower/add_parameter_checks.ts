/**
 * Assertions that scalar parameters lie in their ranges (`Param.setRange`), in Halide's words: "Parameter p is
 * 300 but must be at most 255".
 *
 * @module
 */
import { cmp, type ScalarSource, variable } from "../ir/expr.ts";
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
    const value = variable(p.type, p.name, p);
    const out: Stmt[] = [];
    if (min) {
      out.push({
        kind: "AssertStmt",
        cond: cmp("GE", value, min),
        message: errorMessage([`Parameter ${p.name} is `, value, " but must be at least ", min]),
      });
    }
    if (max) {
      out.push({
        kind: "AssertStmt",
        cond: cmp("LE", value, max),
        message: errorMessage([`Parameter ${p.name} is `, value, " but must be at most ", max]),
      });
    }
    return out;
  });
  return block([...checks, body]);
}
