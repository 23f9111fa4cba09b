/**
 * Bounds inference for the pipeline's buffers and the assertions that guard them: computes the region of every
 * input buffer the pipeline reads and of every output it writes (interval arithmetic over the loop nest), and
 * checks that each buffer covers it, so a too-small buffer is a clean runtime error instead of an out-of-bounds
 * access.
 *
 * @module
 */
import { HalideError } from "../error.ts";
import { type BufferSource, cmp, type Expr, i32Imm, variable } from "../ir/expr.ts";
import { boundsOf, foldArith, type Interval, union } from "../ir/interval.ts";
import { mapExprChildren } from "../ir/mutate.ts";
import type { Stmt } from "../ir/stmt.ts";
import { Int } from "../ir/type.ts";
import { errorMessage } from "./error_message.ts";

/** The region of one input image the pipeline reads, per dimension. */
export interface ImageRegion {
  readonly image: BufferSource;
  readonly region: Interval[];
}

/** What a loop nest touches: the images it reads and the region of each Func it provides. */
export interface AccessedRegions {
  readonly images: ImageRegion[];
  readonly provided: ReadonlyMap<string, Interval[]>;
}

/**
 * Every image read in `s` (with the union of the regions read, in first-use order) and the region written of
 * each provided Func.
 *
 * @example
 * ```ts
 * const { images, provided } = accessedRegions(loopNest);
 * ```
 */
export function accessedRegions(s: Stmt): AccessedRegions {
  const found = new Map<BufferSource, Interval[]>();
  const provided = new Map<string, Interval[]>();
  const unite = (prev: Interval[] | undefined, box: Interval[]) => (prev ? prev.map((iv, d) => union(iv, box[d])) : box);
  const visitExpr = (e: Expr, scope: Map<string, Interval>): void => {
    if (e.kind === "Let") {
      visitExpr(e.value, scope);
      const inner = new Map(scope);
      inner.set(e.name, boundsOf(e.value, scope));
      visitExpr(e.body, inner);
      return;
    }
    if (e.kind === "Call" && e.callType === "Image" && e.image) {
      found.set(e.image, unite(found.get(e.image), e.args.map((a) => boundsOf(a, scope))));
    }
    mapExprChildren(e, (c) => (visitExpr(c, scope), c));
  };
  const visitStmt = (n: Stmt, scope: Map<string, Interval>): void => {
    switch (n.kind) {
      case "For": {
        const inner = new Map(scope);
        const max = foldArith("Sub", foldArith("Add", n.min, n.extent), i32Imm(1));
        inner.set(n.name, { min: n.min, max });
        visitStmt(n.body, inner);
        return;
      }
      case "Provide":
        n.values.forEach((v) => visitExpr(v, scope));
        n.args.forEach((v) => visitExpr(v, scope));
        provided.set(n.name, unite(provided.get(n.name), n.args.map((a) => boundsOf(a, scope))));
        return;
      case "LetStmt": {
        visitExpr(n.value, scope);
        const inner = new Map(scope);
        inner.set(n.name, boundsOf(n.value, scope));
        visitStmt(n.body, inner);
        return;
      }
      case "IfThenElse":
        visitExpr(n.cond, scope);
        visitStmt(n.thenCase, scope);
        if (n.elseCase) visitStmt(n.elseCase, scope);
        return;
      case "Block":
        n.stmts.forEach((c) => visitStmt(c, scope));
        return;
      default:
        throw new HalideError(`Internal error: unexpected ${n.kind} in bounds inference`);
    }
  };
  visitStmt(s, new Map());
  return { images: [...found].map(([image, region]) => ({ image, region })), provided };
}

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
