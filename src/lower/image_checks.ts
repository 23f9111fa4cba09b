/**
 * Bounds inference for input images and the assertions that guard them: computes the region of every input
 * buffer the pipeline reads (interval arithmetic over the loop nest) and prepends checks that each buffer
 * covers it, so a too-small input is a clean runtime error instead of an out-of-bounds read.
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

/**
 * Every image read in `s`, with the union of the regions read, in first-use order.
 *
 * @example
 * ```ts
 * const regions = requiredImageRegions(loopNest);
 * ```
 */
export function requiredImageRegions(s: Stmt): ImageRegion[] {
  const found = new Map<BufferSource, Interval[]>();
  const visitExpr = (e: Expr, scope: Map<string, Interval>): void => {
    if (e.kind === "Let") {
      visitExpr(e.value, scope);
      const inner = new Map(scope);
      inner.set(e.name, boundsOf(e.value, scope));
      visitExpr(e.body, inner);
      return;
    }
    if (e.kind === "Call" && e.callType === "Image" && e.image) {
      const box = e.args.map((a) => boundsOf(a, scope));
      const prev = found.get(e.image);
      found.set(e.image, prev ? prev.map((iv, d) => union(iv, box[d])) : box);
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
        return;
      case "Block":
        n.stmts.forEach((c) => visitStmt(c, scope));
        return;
      default:
        throw new HalideError(`Internal error: unexpected ${n.kind} in bounds inference`);
    }
  };
  visitStmt(s, new Map());
  return [...found].map(([image, region]) => ({ image, region }));
}

/**
 * Assertions that each input buffer (named by `nameOf`) covers its required region, in Halide's wording:
 * "Input buffer b is accessed at 10, which is beyond the max (9) in dimension 0".
 *
 * @example
 * ```ts
 * const checks = imageBoundsChecks(regions, (img) => argName.get(img)!);
 * ```
 */
export function imageBoundsChecks(regions: readonly ImageRegion[], nameOf: (b: BufferSource) => string): Stmt[] {
  const i32 = Int(32);
  const out: Stmt[] = [];
  for (const { image, region } of regions) {
    const name = nameOf(image);
    region.forEach((iv, d) => {
      if (!iv.min || !iv.max) {
        throw new HalideError(
          `Buffer ${image.name} may be accessed in an unbounded way in dimension ${d}; ` +
            `clamp the coordinates or use a boundary condition.`,
        );
      }
      const min = variable(i32, `${name}.min.${d}`), extent = variable(i32, `${name}.extent.${d}`);
      const max = foldArith("Sub", foldArith("Add", min, extent), i32Imm(1));
      out.push({
        kind: "AssertStmt",
        cond: cmp("LE", min, iv.min),
        message: errorMessage([`Input buffer ${image.name} is accessed at `, iv.min, `, which is before the min (`, min, `) in dimension ${d}`]),
      });
      out.push({
        kind: "AssertStmt",
        cond: cmp("LE", iv.max, max),
        message: errorMessage([`Input buffer ${image.name} is accessed at `, iv.max, `, which is beyond the max (`, max, `) in dimension ${d}`]),
      });
    });
  }
  return out;
}

