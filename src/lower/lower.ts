/**
 * Lowering: a Func DAG and its schedules → one loop-nest Stmt plus the pipeline's argument list. This file is
 * the table of contents of the compiler; each pass lives in its own module.
 *
 * @module
 */
import { block, ifThenElse, type Stmt } from "../ir/stmt.ts";
import { type BufferSource, cmp, type Expr, i32Imm, logical, variable } from "../ir/expr.ts";
import type { FunctionDef } from "../ir/function.ts";
import { Int, type Type } from "../ir/type.ts";
import { inlineAllCalls } from "./inline.ts";
import { buildLoopNest } from "./loop_nest.ts";
import { imageBoundsChecks, requiredImageRegions } from "./image_checks.ts";
import { flattenStorage } from "./flatten.ts";

/** A buffer argument of a compiled pipeline. */
export interface BufferArg {
  readonly kind: "buffer";
  readonly name: string;
  readonly type: Type;
  readonly dimensions: number;
  readonly isOutput: boolean;
  /** For inputs bound at compile time (a Buffer used directly in the algorithm). */
  readonly source?: BufferSource;
}
/** A pipeline argument (scalar parameters come with the Param issue). */
export type PipelineArg = BufferArg;

/** The result of lowering: the body of the pipeline function and its arguments, in calling order. */
export interface LoweredPipeline {
  readonly name: string;
  readonly body: Stmt;
  readonly args: readonly PipelineArg[];
}

/**
 * The buffer names of a Func's outputs: `f` for a single value, `f.0`, `f.1`, … for a Tuple.
 *
 * @example
 * ```ts
 * outputBufferNames(f); // ["f"]
 * ```
 */
export function outputBufferNames(f: FunctionDef): string[] {
  const n = f.outputTypes.length;
  return n === 1 ? [f.name] : Array.from({ length: n }, (_, i) => `${f.name}.${i}`);
}

/**
 * Lowers the pipeline whose output is `output` (default schedule: everything inlined into the output).
 *
 * @example
 * ```ts
 * const lp = lowerPipeline(f.fn);
 * console.log(stmtToString(lp.body));
 * ```
 */
export function lowerPipeline(output: FunctionDef): LoweredPipeline {
  const outNames = outputBufferNames(output);
  // 1. Inline every Func into the output.
  const values = output.pure.values.map((v) => inlineAllCalls(v, [output]));
  // 2. The loop nest over the output buffer's region.
  const nest = buildLoopNest(output, values, outNames[0]);
  // 3. Bounds inference for the input images, and the assertions that they cover what is read.
  const regions = requiredImageRegions(nest);
  const imageNames = uniqueImageNames(regions.map((r) => r.image), new Set(outNames));
  const nameOf = (b: BufferSource) => imageNames.get(b)!;
  const checks = imageBoundsChecks(regions, nameOf);
  // 4. Storage flattening.
  const flat = flattenStorage(nest, () => outNames, nameOf);
  const guarded = checks.length ? ifThenElse(nonEmpty(outNames[0], output.dimensions), block(checks)) : undefined;
  const body = guarded ? block([guarded, flat]) : flat;
  const args: PipelineArg[] = [
    ...regions.map(({ image }) => ({
      kind: "buffer" as const,
      name: nameOf(image),
      type: image.type,
      dimensions: image.dimensions,
      isOutput: false,
      source: image,
    })),
    ...outNames.map((name, i) => ({
      kind: "buffer" as const,
      name,
      type: output.outputTypes[i],
      dimensions: output.dimensions,
      isOutput: true,
    })),
  ];
  return { name: output.name, body, args };
}

/** `extent.0 > 0 && extent.1 > 0 && …` for the buffer `name` (true for zero dimensions). */
function nonEmpty(name: string, dims: number): Expr {
  const conds = Array.from({ length: dims }, (_, d) => cmp("GT", variable(Int(32), `${name}.extent.${d}`), i32Imm(0)));
  return conds.reduce<Expr>((a, b) => logical("And", a, b), cmp("EQ", i32Imm(0), i32Imm(0)));
}

function uniqueImageNames(images: readonly BufferSource[], taken: Set<string>): Map<BufferSource, string> {
  const out = new Map<BufferSource, string>();
  for (const img of images) {
    let name = img.name, k = 1;
    while (taken.has(name)) name = `${img.name}$${k++}`;
    taken.add(name);
    out.set(img, name);
  }
  return out;
}
