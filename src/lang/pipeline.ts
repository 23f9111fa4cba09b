/**
 * Compiling and running pipelines: the bridge from the language layer to lowering, codegen and the JIT.
 *
 * @module
 */
import { HalideError } from "../error.ts";
import type { FunctionDef } from "../ir/function.ts";
import { lowerPipeline } from "../lower/lower.ts";
import { jitCompile, type JitPipeline } from "../codegen/jit.ts";
import { Buffer } from "../runtime/buffer.ts";
import { CallFrame, type RawBuffer } from "../runtime/args.ts";

/** A compiled pipeline and the versions of the Funcs it was compiled from. */
interface CacheEntry {
  readonly jp: JitPipeline;
  readonly versions: ReadonlyMap<FunctionDef, number>;
}
const compiled = new WeakMap<FunctionDef, CacheEntry>();

function upToDate(entry: CacheEntry): boolean {
  for (const [f, v] of entry.versions) if (f.version !== v) return false;
  return true;
}

/**
 * The JIT-compiled pipeline computing `output`, compiled on first use and cached until the definition or the
 * schedule of any of its Funcs changes.
 *
 * @example
 * ```ts
 * const jp = compileFunc(f.fn);
 * console.log(jp.compileMs);
 * ```
 */
export function compileFunc(output: FunctionDef): JitPipeline {
  const cached = compiled.get(output);
  if (cached && upToDate(cached)) return cached.jp;
  cached?.jp.dispose();
  const lp = lowerPipeline(output);
  const jp = jitCompile(lp);
  compiled.set(output, { jp, versions: new Map(lp.funcs.map((f) => [f, f.version])) });
  return jp;
}

function checkOutput(output: FunctionDef, dst: readonly Buffer[]): void {
  const types = output.outputTypes;
  if (dst.length !== types.length) {
    throw new HalideError(`Func ${output.name} has ${types.length} values but realize was given ${dst.length} buffers.`);
  }
  dst.forEach((b, i) => {
    if (!b.type.equals(types[i])) {
      throw new HalideError(`Output buffer ${b.name} has type ${b.type} but Func ${output.name} value ${i} has type ${types[i]}.`);
    }
    if (b.dimensions !== output.dimensions) {
      throw new HalideError(
        `Output buffer ${b.name} has ${b.dimensions} dimensions but Func ${output.name} has ${output.dimensions}.`,
      );
    }
    if (!b.storage) throw new HalideError(`Output buffer ${b.name} is a bounds-query buffer with no host memory.`);
    for (let d = 0; d < b.dimensions; d++) {
      if (b.dim(d).extent !== dst[0].dim(d).extent || b.dim(d).min !== dst[0].dim(d).min) {
        throw new HalideError(`The output buffers of Tuple Func ${output.name} must all have the same shape.`);
      }
    }
  });
}

/**
 * Realizes `output` (one Buffer per Tuple element) over `sizes` (new dense buffers with min 0) or into the
 * existing buffers `dst` (their mins are honoured).
 *
 * @example
 * ```ts
 * const [buf] = realizeFunc(f.fn, [640, 480]);
 * ```
 */
export function realizeFunc(output: FunctionDef, sizesOrDst: readonly number[] | readonly Buffer[]): Buffer[] {
  if (!output.defined) throw new HalideError(`Can't realize undefined Func ${output.name}.`);
  const dst = sizesOrDst.length > 0 && sizesOrDst[0] instanceof Buffer
    ? (sizesOrDst as readonly Buffer[])
    : newOutputs(output, sizesOrDst as readonly number[]);
  checkOutput(output, dst);
  const jp = compileFunc(output);
  const frame = new CallFrame(jp.args.length);
  let out = 0;
  jp.args.forEach((arg, i) => {
    if (arg.isOutput) {
      frame.setBuffer(i, dst[out++]);
      return;
    }
    const src = arg.source as RawBuffer;
    if (src.dimensions !== arg.dimensions) {
      throw new HalideError(`Buffer ${src.name} has ${src.dimensions} dimensions, but the pipeline accesses it with ${arg.dimensions}.`);
    }
    if (!src.storage) throw new HalideError(`Input buffer ${src.name} is a bounds-query buffer with no host memory.`);
    frame.setBuffer(i, src);
  });
  frame.run(jp.call, output.name);
  return [...dst];
}

function newOutputs(output: FunctionDef, sizes: readonly number[]): Buffer[] {
  if (sizes.length !== output.dimensions) {
    throw new HalideError(
      `Func ${output.name} has ${output.dimensions} dimensions, but realize was given ${sizes.length} sizes.`,
    );
  }
  return output.outputTypes.map((t, i) => new Buffer(t, [...sizes], output.outputTypes.length > 1 ? `${output.name}.${i}` : output.name));
}
