/**
 * Unrolling: a loop marked `Unrolled` with constant extent N becomes N copies of its body, each with the loop
 * variable bound to `min + i`.
 *
 * @module
 */
import { HalideError } from "../error.ts";
import { asConstInt, i32Imm } from "../ir/expr.ts";
import { foldArith } from "../ir/interval.ts";
import { mapStmtChildren } from "../ir/mutate.ts";
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
