/**
 * Unrolling: a loop marked `Unrolled` with constant extent N becomes N copies of its body, each with the loop
 * variable bound to `min + i`.
 *
 * @module
 */
import { HalideError } from "../error.ts";
import { asConstInt, type Expr, i32Imm, isConst } from "../ir/expr.ts";
import { foldArith } from "../ir/interval.ts";
import { mapStmtChildren, substitute } from "../ir/mutate.ts";
import { exprToString } from "../ir/printer.ts";
import { simplify } from "../ir/simplify.ts";
import { block, letStmt, type Stmt } from "../ir/stmt.ts";

/**
 * Replaces every `Unrolled` loop in `s` by straight-line copies of its body.
 *
 * @example
 * ```ts
 * const u = unrollLoops(loopNest);
 * ```
 */
export function unrollLoops(s: Stmt): Stmt {
  const go = (n: Stmt): Stmt => {
    const m = mapStmtChildren(n, (e) => e, go);
    if (m.kind !== "For" || m.forType !== "Unrolled") return m;
    const extent = asConstInt(m.extent);
    if (extent === undefined) throw new HalideError(`Internal error: unrolled loop ${m.name} has a non-constant extent`);
    const copies = Array.from({ length: Number(extent) }, (_, i) => letStmt(m.name, foldArith("Add", m.min, i32Imm(i)), m.body));
    return copies.length === 0 ? block([]) : block(copies);
  };
  return go(s);
}

/**
 * Gives every vectorized and unrolled loop its constant extent, which bounds inference may only have determined
 * through the region lets around it (`unroll(c)` of a Func whose consumer needs 3 channels); a loop whose extent is
 * not constant is a HalideError naming it.
 *
 * @example
 * ```ts
 * const ready = unrollLoops(constantLoopExtents(flat));
 * ```
 */
export function constantLoopExtents(s: Stmt): Stmt {
  const go = (n: Stmt, lets: ReadonlyMap<string, Expr>): Stmt => {
    if (n.kind === "LetStmt") {
      const body = go(n.body, new Map(lets).set(n.name, substitute(n.value, lets)));
      return body === n.body ? n : { ...n, body };
    }
    const m = mapStmtChildren(n, (e) => e, (c) => go(c, lets));
    if (m.kind !== "For" || (m.forType !== "Unrolled" && m.forType !== "Vectorized")) return m;
    if (isConst(m.extent)) return m;
    const extent = simplify(substitute(m.extent, lets));
    if (!isConst(extent)) {
      const what = m.forType === "Vectorized" ? "vectorize" : "unroll";
      const func = m.name.slice(0, m.name.indexOf(".s"));
      throw new HalideError(
        `In schedule for ${func}: can only ${what} a loop of constant extent; ${m.name} has extent ` +
          `${exprToString(extent)}. Split it by a constant first.`,
      );
    }
    return { ...m, extent };
  };
  return go(s, new Map());
}