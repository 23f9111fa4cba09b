/**
 * Lowering: a Func DAG and its schedules → one loop-nest Stmt plus the pipeline's argument list. This file is
 * the table of contents of the compiler; each pass lives in its own module.
 *
 * @module
 */
import { block, type Stmt } from "../ir/stmt.ts";
import {
  type BufferSource,
  cmp,
  constTrue,
  type Expr,
  i32Imm,
  isConst,
  logical,
  type ScalarSource,
  variable,
} from "../ir/expr.ts";
import type { FunctionDef } from "../ir/function.ts";
import { mapStmtChildren, substituteInStmt, visitExpr, visitStmt } from "../ir/mutate.ts";
import { defaultConstraints, type DimConstraint } from "../ir/schedule.ts";
import { simplifyStmt } from "../ir/simplify.ts";
import { union } from "../ir/interval.ts";
import { Int, type Type } from "../ir/type.ts";
import { HalideError } from "../error.ts";
import { realizationOrder, schedulePipeline } from "./schedule_functions.ts";
import { regionsTouched } from "./bounds.ts";
import { addImageChecks } from "./add_image_checks.ts";
import { addParameterChecks } from "./add_parameter_checks.ts";
import { errorMessage } from "./error_message.ts";
import { exprToString } from "../ir/printer.ts";
import { bufferNames, flattenStorage } from "./flatten.ts";
import { hoistStorage } from "./hoist_storage.ts";
import { slidingWindow } from "./sliding_window.ts";
import { storageFolding } from "./storage_folding.ts";
import { constantLoopExtents, unrollLoops } from "./unroll.ts";
import { vectorizeLoops } from "./vectorize.ts";
import { partitionLoops } from "./partition_loops.ts";
import { loopCarry } from "./loop_carry.ts";

/** A buffer argument of a compiled pipeline. */
export interface BufferArg {
  readonly kind: "buffer";
  readonly name: string;
  readonly type: Type;
  readonly dimensions: number;
  readonly isOutput: boolean;
  /** For inputs: the Buffer used directly in the algorithm, or the ImageParam bound when the pipeline runs. */
  readonly source?: BufferSource;
}
/** A scalar argument of a compiled pipeline (a Param). */
export interface ScalarArg {
  readonly kind: "scalar";
  readonly name: string;
  readonly type: Type;
  readonly param: ScalarSource;
}
/** A pipeline argument. */
export type PipelineArg = BufferArg | ScalarArg;

/** The result of lowering: the body of the pipeline function and its arguments, in calling order. */
export interface LoweredPipeline {
  readonly name: string;
  readonly body: Stmt;
  readonly args: readonly PipelineArg[];
  /** Every Func of the pipeline (producers first); the compiled code is valid while none of them changes. */
  readonly funcs: readonly FunctionDef[];
}

/** A condition checked when the pipeline runs (`Pipeline.addRequirement`), with its message parts. */
export interface Requirement {
  readonly cond: Expr;
  readonly message: readonly (string | Expr)[];
}

/** Target-dependent choices of lowering. */
export interface LowerOptions {
  /** Leave out every assertion (the `NoAsserts` target feature): bad input is then undefined behaviour. */
  readonly noAsserts?: boolean;
}

/**
 * Lowers the pipeline whose output is `output` (default schedule: everything inlined into the output),
 * with the `requirements` of `Pipeline.addRequirement` checked first.
 *
 * @example
 * ```ts
 * const lp = lowerPipeline(f.fn);
 * console.log(stmtToString(lp.body));
 * ```
 */
export function lowerPipeline(
  outputOrOutputs: FunctionDef | readonly FunctionDef[],
  requirements: readonly Requirement[] = [],
  options: LowerOptions = {},
): LoweredPipeline {
  const outputs: readonly FunctionDef[] = Array.isArray(outputOrOutputs) ? outputOrOutputs : [outputOrOutputs as FunctionDef];
  checkOutputs(outputs);
  const i32 = Int(32);
  const funcs = realizationOrder(outputs);
  // 1–2. The loop nest: each output's loops over its buffer's region, with every Func that is not inlined
  //      computed and stored at its levels (regions from bounds inference).
  // Constant constraints on an output (`outputBuffer().dim(d).setExtent(8)`) are known while building the loops.
  const regions = outputs.map((output) => {
    const first = bufferNames(output)[0];
    const fixed = output.outputTypes.length === 1 ? output.outputConstraints : [];
    return output.args.map((_, d) => {
      const { min, extent } = fixed[d] ?? {};
      return {
        min: min && isConst(min) ? min : variable(i32, `${first}.min.${d}`) as Expr,
        extent: extent && isConst(extent) ? extent : variable(i32, `${first}.extent.${d}`) as Expr,
      };
    });
  });
  //      Then sliding window and storage folding, for Funcs stored outside the loop they are computed in.
  const scheduled = schedulePipeline(outputs, regions);
  const nest = storageFolding(slidingWindow(scheduled));
  // 3. The regions of the inputs read and of the outputs written (before sliding window, which only computes less
  //    but leaves regions harder to bound), and the inputs and parameters the pipeline uses.
  const { images, provided, calls, usedWhen } = regionsTouched(scheduled);
  const required: Stmt[] = requirements.map(({ cond, message }) => ({
    kind: "AssertStmt",
    cond,
    message: errorMessage([`Requirement Failed: (${exprToString(cond)})`, ...message.flatMap((m) => [" ", m])]),
  }));
  const { buffers: inputs, scalars } = pipelineInputs(block([...required, nest]), [...images.keys()], outputs, funcs);
  const outNames = outputs.flatMap(bufferNames);
  const imageNames = uniqueImageNames(inputs, new Set([...outNames, ...funcs.flatMap(bufferNames)]));
  const nameOf = (b: BufferSource) => imageNames.get(b)!;
  const args: PipelineArg[] = [
    ...inputs.map((image) => ({
      kind: "buffer" as const,
      name: nameOf(image),
      type: image.type,
      dimensions: image.dimensions,
      isOutput: false,
      source: image,
    })),
    ...scalars.map((param) => ({ kind: "scalar" as const, name: param.name, type: param.type, param })),
    ...outputs.flatMap((output) =>
      bufferNames(output).map((name, i) => ({
        kind: "buffer" as const,
        name,
        type: output.outputTypes[i],
        dimensions: output.dimensions,
        isOutput: true,
      }))
    ),
  ];
  // The output Func of each output buffer (kept out of the arguments, which compiled code keeps alive).
  const outputOf = new Map(outputs.flatMap((f) => bufferNames(f).map((n) => [n, f] as const)));
  // 4. Storage flattening, with the buffer constraints that are constants (such as the default dense dimension 0)
  //    substituted, so that vectorization sees dense accesses.
  const constants = new Map(args.flatMap((a) =>
    a.kind !== "buffer" ? [] : constraintsOf(a, outputOf.get(a.name)).flatMap((c, d) =>
      (["min", "extent", "stride"] as const).flatMap((f) => {
        const value = c[f];
        return value && isConst(value) ? [[`${a.name}.${f}.${d}`, value] as const] : [];
      })
    )
  ));
  const flat = simplifyStmt(substituteInStmt(flattenStorage(hoistStorage(nest), outputs, nameOf), constants));
  // 5. Unrolling and vectorization, then loop partitioning (steady states without clamps and tail tests), then loop
  //    carry (a scan keeps the previous iteration's value in a register).
  const loops = loopCarry(partitionLoops(vectorizeLoops(unrollLoops(constantLoopExtents(flat)))));
  // 6. The checks of the arguments and the bounds-query protocol: each input covers the region read, each output
  //    the region written and read (only meaningful when the outputs are not empty), and every constraint holds.
  const touchedOutput = (f: FunctionDef) => {
    const w = provided.get(f.name), r = calls.get(f);
    return w && r ? w.map((iv, d) => union(iv, r[d])) : w ?? r;
  };
  const checked = addImageChecks(
    loops,
    args.flatMap((a) =>
      a.kind !== "buffer" ? [] : [{
        name: a.name,
        display: a.source?.name ?? a.name,
        isOutput: a.isOutput,
        dimensions: a.dimensions,
        constraints: constraintsOf(a, outputOf.get(a.name)),
        touched: a.isOutput ? touchedOutput(outputOf.get(a.name)!) : images.get(a.source!),
        usedWhen: usedWhen.get(a.isOutput ? outputOf.get(a.name)!.name : a.source!),
      }]
    ),
    outputs.map((f) => nonEmpty(bufferNames(f)[0], f.dimensions)).reduce((x, y) => logical("And", x, y)),
  );
  const body = simplifyStmt(block([...required, addParameterChecks(checked, scalars)]));
  return { name: outputs[0].name, body: options.noAsserts ? removeAssertions(body) : body, args, funcs };
}

/** The outputs of one pipeline must be distinct, defined, and not Tuples of different shapes from each other. */
function checkOutputs(outputs: readonly FunctionDef[]): void {
  if (outputs.length === 0) throw new HalideError("A pipeline needs at least one output Func.");
  outputs.forEach((f, i) => {
    if (outputs.indexOf(f) !== i) throw new HalideError(`Func ${f.name} is listed twice among the pipeline's outputs.`);
  });
}

/**
 * `lp` with its arguments in the order a caller passes them: `params` first (every Param and ImageParam the
 * pipeline uses, each once; those it does not use become arguments the code ignores), then the Buffers the
 * algorithm reads directly (bound when compiled), then the outputs.
 *
 * @example
 * ```ts
 * const ordered = orderArguments(lowerPipeline(f.fn), [input, gain]);
 * ordered.args.map((a) => a.name); // ["input", "gain", "f"]
 * ```
 */
export function orderArguments(lp: LoweredPipeline, params: readonly (ScalarSource | BufferSource)[]): LoweredPipeline {
  const seen = new Set<string>();
  const given = params.map((p): PipelineArg => {
    if (seen.has(p.name)) throw new HalideError(`Argument ${p.name} appears more than once in the argument list.`);
    seen.add(p.name);
    const used = lp.args.find((a) => (a.kind === "scalar" ? a.param : a.source) === p);
    if (used) return used;
    if (lp.args.some((a) => a.name === p.name)) {
      throw new HalideError(`Argument ${p.name} has the same name as another input or output of pipeline ${lp.name}.`);
    }
    return "dimensions" in p
      ? { kind: "buffer", name: p.name, type: p.type, dimensions: p.dimensions, isOutput: false, source: p }
      : { kind: "scalar", name: p.name, type: p.type, param: p };
  });
  const rest = lp.args.filter((a) => !given.includes(a));
  for (const a of rest) {
    if (a.kind === "scalar") {
      throw new HalideError(`Generated code refers to parameter ${a.name}, which was not found in the argument list.`);
    }
    if (!a.isOutput && a.source?.constraints) {
      throw new HalideError(`Generated code refers to image parameter ${a.name}, which was not found in the argument list.`);
    }
  }
  return { ...lp, args: [...given, ...rest.filter((a) => a.kind === "buffer" && !a.isOutput), ...rest.filter((a) => a.kind === "buffer" && a.isOutput)] };
}

/** `s` without its AssertStmts. */
function removeAssertions(s: Stmt): Stmt {
  const go = (n: Stmt): Stmt => (n.kind === "AssertStmt" ? block([]) : mapStmtChildren(n, (e) => e, go));
  return go(s);
}

/**
 * The constraints on a buffer argument: those of `output` (the Func of an output buffer), an ImageParam's, or the
 * default (dimension 0 dense).
 */
function constraintsOf(a: BufferArg, output: FunctionDef | undefined): readonly DimConstraint[] {
  if (!output) return a.source?.constraints?.() ?? defaultConstraints(a.dimensions);
  if (output.outputTypes.length === 1) return output.outputConstraints;
  // The buffers of a Tuple's elements after the first must have the first one's mins and extents.
  const first = bufferNames(output)[0];
  return defaultConstraints(a.dimensions).map((c, d) =>
    a.name === first ? c : { ...c, min: variable(Int(32), `${first}.min.${d}`), extent: variable(Int(32), `${first}.extent.${d}`) }
  );
}

/**
 * The input buffers (those read, then those whose shape is used) and scalar parameters that `nest`, the
 * constraints and the parameter ranges refer to, each once; two different inputs with one name are an error.
 */
function pipelineInputs(
  nest: Stmt,
  read: readonly BufferSource[],
  outputs: readonly FunctionDef[],
  funcs: readonly FunctionDef[],
): { buffers: BufferSource[]; scalars: ScalarSource[] } {
  const buffers = [...read], scalars: ScalarSource[] = [];
  const byName = new Map<string, object>(funcs.map((f) => [f.name, f]));
  const claim = (name: string, owner: object) => {
    const prev = byName.get(name);
    if (prev !== undefined && prev !== owner) {
      throw new HalideError(`Pipeline ${outputs[0].name} uses two different things named "${name}"; give its inputs unique names.`);
    }
    byName.set(name, owner);
  };
  const onExpr = (e: Expr) => {
    if (e.kind !== "Variable" || !e.param) return;
    const field = e.param.bufferField;
    if (field) {
      if (!buffers.includes(field.buffer)) buffers.push(field.buffer);
    } else if (!scalars.includes(e.param)) {
      claim(e.param.name, e.param);
      scalars.push(e.param);
      const { min, max } = e.param.range?.() ?? {};
      if (min) visitExpr(min, onExpr);
      if (max) visitExpr(max, onExpr);
    }
  };
  visitStmt(nest, onExpr, () => {});
  outputs.forEach((f) => f.outputConstraints.forEach((c) => constraintExprs(c).forEach((e) => visitExpr(e, onExpr))));
  for (let i = 0; i < buffers.length; i++) {
    (buffers[i].constraints?.() ?? []).forEach((c) => constraintExprs(c).forEach((e) => visitExpr(e, onExpr)));
  }
  buffers.forEach((b) => {
    if (b.constraints) claim(b.name, b);
  });
  return { buffers, scalars };
}

function constraintExprs(c: DimConstraint): Expr[] {
  return [c.min, c.extent, c.stride].filter((e): e is Expr => e !== undefined);
}

/** `extent.0 > 0 && extent.1 > 0 && …` for the buffer `name` (true for zero dimensions). */
function nonEmpty(name: string, dims: number): Expr {
  const conds: Expr[] = Array.from({ length: dims }, (_, d) => cmp("GT", variable(Int(32), `${name}.extent.${d}`), i32Imm(0)));
  return conds.length ? conds.reduce((a, b) => logical("And", a, b)) : constTrue();
}

/** Argument names for the inputs: an ImageParam keeps its name; a Buffer's is made unique if it must be. */
function uniqueImageNames(images: readonly BufferSource[], taken: Set<string>): Map<BufferSource, string> {
  const out = new Map<BufferSource, string>();
  for (const img of images) {
    if (img.constraints) {
      if (taken.has(img.name)) throw new HalideError(`ImageParam ${img.name} has the same name as a Func or another input.`);
      taken.add(img.name);
      out.set(img, img.name);
      continue;
    }
    let name = img.name, k = 1;
    while (taken.has(name)) name = `${img.name}$${k++}`;
    taken.add(name);
    out.set(img, name);
  }
  return out;
}
