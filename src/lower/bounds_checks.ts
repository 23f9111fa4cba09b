/**
 * The assertions that guard the pipeline's buffers: each input covers the region the pipeline reads and each
 * output the region it writes (regions from `bounds.ts`), so a too-small buffer is a clean runtime error instead
 * of an out-of-bounds access.
 *
 * @module
 */
import { HalideError } from "../error.ts";
import { cmp, i32Imm, variable } from "../ir/expr.ts";
import { foldArith, type Interval } from "../ir/interval.ts";
import type { Stmt } from "../ir/stmt.ts";
import { Int } from "../ir/type.ts";
import { errorMessage } from "./error_message.ts";

/**
 * Assertions that buffer `name` covers `region`, in Halide's wording: "Input buffer b is accessed at 10, which
 * is beyond the max (9) in dimension 0" (`kind` is "Input" or "Output"; `display` is the name users know).
 *
 * @example
 * ```ts
 * const checks = boundsChecks("Input", "b0", "input", region);
 * ```
 */
export function boundsChecks(kind: "Input" | "Output", name: string, display: string, region: readonly Interval[]): Stmt[] {
  const i32 = Int(32);
  const out: Stmt[] = [];
  region.forEach((iv, d) => {
    if (!iv.min || !iv.max) {
      throw new HalideError(
        `${kind} buffer ${display} may be accessed in an unbounded way in dimension ${d}; ` +
          `clamp the coordinates or use a boundary condition.`,
      );
    }
    const min = variable(i32, `${name}.min.${d}`), extent = variable(i32, `${name}.extent.${d}`);
    const max = foldArith("Sub", foldArith("Add", min, extent), i32Imm(1));
    const what = `${kind} buffer ${display} is accessed at `;
    out.push({
      kind: "AssertStmt",
      cond: cmp("LE", min, iv.min),
      message: errorMessage([what, iv.min, `, which is before the min (`, min, `) in dimension ${d}`]),
    });
    out.push({
      kind: "AssertStmt",
      cond: cmp("LE", iv.max, max),
      message: errorMessage([what, iv.max, `, which is beyond the max (`, max, `) in dimension ${d}`]),
    });
  });
  return out;
}
