/**
 * Lowering: a Func DAG and its schedules → one loop-nest Stmt plus the pipeline's argument list. This file is
 * the table of contents of the compiler; each pass lives in its own module.
 *
 * @module
 */
import { block, ifThenElse, type Stmt } from "../ir/stmt.ts";
import { type BufferSource, cmp, constTrue, type Expr, i32Imm, isConst, logical, variable } from "../ir/expr.ts";
import { exprToString } from "../ir/printer.ts";
import { defaultConstraints } from "../ir/schedule.ts";
import type { FunctionDef } from "../ir/function.ts";
import { substituteInStmt } from "../ir/mutate.ts";
import { simplifyStmt } from "../ir/simplify.ts";
import { Int, type Type } from "../ir/type.ts";
import { realizationOrder, schedulePipeline } from "./schedule_functions.ts";
import { regionsTouched } from "./bounds.ts";
import { boundsChecks } from "./bounds_checks.ts";
import { bufferNames, flattenStorage } from "./flatten.ts";
import { errorMessage } from "./error_message.ts";
import { unrollLoops } from "./unroll.ts";
import { vectorizeLoops } from "./vectorize.ts";

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
  /** Every Func of the pipeline (producers first); the compiled code is valid while none of them changes. */
  readonly funcs: readonly FunctionDef[];
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
  const outNames = bufferNames(output);
  const i32 = Int(32);
  const funcs = realizationOrder(output);
  // 1–2. The loop nest: the output's loops over its buffer's region, with every Func that is not inlined
  //      computed and stored at its levels (regions from bounds inference).
  // Constant constraints on the output (`outputBuffer().dim(d).setExtent(8)`) are known while building the loops.
  const fixed = output.outputTypes.length === 1 ? output.outputConstraints : [];
  const region = output.args.map((_, d) => {
    const { min, extent } = fixed[d] ?? {};
    return {
      min: min && isConst(min) ? min : variable(i32, `${outNames[0]}.min.${d}`) as Expr,
      extent: extent && isConst(extent) ? extent : variable(i32, `${outNames[0]}.extent.${d}`) as Expr,
    };
  });
  const nest = schedulePipeline(output, region);
  // 3. The regions of the inputs read and of the output written, and the assertions that the buffers cover them.
  const { images, provided } = regionsTouched(nest);
  const imageNames = uniqueImageNames([...images.keys()], new Set([...outNames, ...funcs.flatMap(bufferNames)]));
  const nameOf = (b: BufferSource) => imageNames.get(b)!;
  const written = provided.get(output.name) ?? [];
  const checks = [
    ...[...images].flatMap(([image, r]) => boundsChecks("Input", nameOf(image), image.name, r)),
    ...outNames.flatMap((n) => boundsChecks("Output", n, n, written)),
  ];
  // 4. Storage flattening, with the default constraint that dimension 0 of every buffer argument is dense.
  const args: PipelineArg[] = [
    ...[...images.keys()].map((image) => ({
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
  // Buffer constraints: the output's (`outputBuffer().dim(d).set…`), and the default dense dimension 0 of inputs.
  const constraints = args.flatMap((a) =>
    (a.isOutput && output.outputTypes.length === 1 ? output.outputConstraints : defaultConstraints(a.dimensions))
      .flatMap((c, d) =>
        (["min", "extent", "stride"] as const).flatMap((field) => {
          const value = c[field];
          return value ? [{ symbol: `${a.name}.${field}.${d}`, value }] : [];
        })
      )
  );
  const constants = new Map(constraints.filter((c) => isConst(c.value)).map((c) => [c.symbol, c.value]));
  const flat = simplifyStmt(substituteInStmt(flattenStorage(nest, output, nameOf), constants));
  // 5. Unrolling and vectorization.
  const loops = vectorizeLoops(unrollLoops(flat));
  const constraintChecks: Stmt[] = constraints.map(({ symbol, value }) => ({
    kind: "AssertStmt",
    cond: cmp("EQ", variable(i32, symbol), value),
    message: errorMessage([`Constraint violated: ${symbol} (`, variable(i32, symbol), `) == ${exprToString(value)} (`, value, `)`]),
  }));
  const guarded = checks.length ? [ifThenElse(nonEmpty(outNames[0], output.dimensions), block(checks))] : [];
  return { name: output.name, body: block([...constraintChecks, ...guarded, loops]), args, funcs };
}

/** `extent.0 > 0 && extent.1 > 0 && …` for the buffer `name` (true for zero dimensions). */
function nonEmpty(name: string, dims: number): Expr {
  const conds: Expr[] = Array.from({ length: dims }, (_, d) => cmp("GT", variable(Int(32), `${name}.extent.${d}`), i32Imm(0)));
  return conds.length ? conds.reduce((a, b) => logical("And", a, b)) : constTrue();
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
