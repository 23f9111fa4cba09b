/**
 * Runtime error messages in the IR: a `print`-style intrinsic call whose arguments are string pieces and
 * values, formatted by the generated code when an assertion fails.
 *
 * @module
 */
import { callIntrinsic, type Expr, Int, Intrinsic, stringImm } from "../ir/expr.ts";

/**
 * The message Expr of an `AssertStmt`, from literal pieces and values.
 *
 * @example
 * ```ts
 * errorMessage(["Input buffer b is accessed at ", idx, ", which is beyond the max"]);
 * ```
 */
export function errorMessage(parts: readonly (string | Expr)[]): Expr {
  const args = parts.map((p) => (typeof p === "string" ? stringImm(p) : p));
  return callIntrinsic(Intrinsic.print, Int(32), args);
}
