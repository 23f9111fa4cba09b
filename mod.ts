/**
 * halide-ts: Halide's language for fast image and array pipelines, for Bun and Deno. Algorithms are pure
 * functions over an infinite integer domain (Funcs of Vars); schedules say how to compute them; the compiler
 * JIT-compiles them to native code through the system's libLLVM.
 *
 * @example
 * ```ts
 * import * as hl from "halide-ts";
 * const x = new hl.Var("x"), y = new hl.Var("y");
 * const f = new hl.Func("f");
 * f.at(x, y).set(x.add(y));
 * const out = f.realize([4, 4]);
 * console.log(out.get([2, 3])); // 5
 * ```
 *
 * @module
 */

// --- errors
export { HalideError } from "./src/error.ts";

// --- types
export { BFloat, Bool, Float, Handle, Int, Type, TypeCode, UInt } from "./src/ir/type.ts";

// --- language (src/lang)
export { Expr, ExprOps } from "./src/lang/expr.ts";
export type { ExprLike } from "./src/lang/expr.ts";
export { _, _0, _1, _2, _3, _4, _5, _6, _7, _8, _9, Var } from "./src/lang/var.ts";
export { RDom, RVar } from "./src/lang/rdom.ts";
export { evaluate, Func, FuncRef, FuncTupleElementRef } from "./src/lang/func.ts";
export { Stage, TailStrategy, type VarOrRVar } from "./src/lang/stage.ts";
export { Partition } from "./src/ir/schedule.ts";
export { MemoryType } from "./src/lang/func.ts";
export { LoopLevel } from "./src/lang/loop_level.ts";
export { Dimension, OutputImageParam } from "./src/lang/buffer_param.ts";
export { ImageParam, Param } from "./src/lang/param.ts";
export { Pipeline } from "./src/lang/pipeline.ts";
export { Module } from "./src/lang/module.ts";
export type { OutputKind } from "./src/codegen/aot.ts";
export {
  createGenerator,
  Generator,
  GeneratorParam,
  InputBuffer,
  InputScalar,
  OutputBuffer,
  OutputScalar,
  registeredGenerators,
  registerGenerator,
} from "./src/lang/generator.ts";
export type { GeneratorClass, GeneratorOptions, GeneratorParamValue } from "./src/lang/generator.ts";
export type { Callable, CallableArgument } from "./src/runtime/callable.ts";
export type { FuncSource, Scalar } from "./src/lang/func.ts";
export {
  abs,
  absd,
  add,
  and,
  bitAnd,
  bitNot,
  bitOr,
  bitXor,
  cast,
  clamp,
  countLeadingZeros,
  countTrailingZeros,
  div,
  divRoundToZero,
  eq,
  f32,
  f64,
  ge,
  gt,
  halvingAdd,
  halvingSub,
  i16,
  i16Sat,
  i32,
  i32Sat,
  i64,
  i64Sat,
  i8,
  i8Sat,
  le,
  lerp,
  likely,
  likelyIfInnermost,
  logicalNot,
  lt,
  max,
  min,
  mod,
  modRoundToZero,
  mul,
  mulShiftRight,
  mux,
  ne,
  neg,
  not,
  or,
  popcount,
  pow,
  print,
  printWhen,
  reinterpret,
  require,
  roundingHalvingAdd,
  roundingMulShiftRight,
  roundingShiftLeft,
  roundingShiftRight,
  saturatingAdd,
  saturatingCast,
  saturatingSub,
  select,
  shl,
  shr,
  sub,
  u16,
  u16Sat,
  u32,
  u32Sat,
  u64,
  u64Sat,
  u8,
  u8Sat,
  undef,
  wideningAdd,
  wideningMul,
  wideningShiftLeft,
  wideningShiftRight,
  wideningSub,
  widenRightAdd,
  widenRightMul,
  widenRightSub,
} from "./src/lang/operators.ts";
export {
  acos,
  acosh,
  asin,
  asinh,
  atan,
  atan2,
  atanh,
  ceil,
  cos,
  cosh,
  erf,
  exp,
  fastCos,
  fastExp,
  fastInverse,
  fastInverseSqrt,
  fastLog,
  fastPow,
  fastSin,
  floor,
  fract,
  hypot,
  isFinite,
  isInf,
  isNan,
  log,
  round,
  sin,
  sinh,
  sqrt,
  tan,
  tanh,
  trunc,
} from "./src/lang/math.ts";
export { randomFloat, randomInt, randomUint } from "./src/lang/random.ts";
import "./src/lang/augment.ts"; // installs buf.at(...) and Type.max()/min()

// --- buffers (src/runtime)
export { Buffer } from "./src/runtime/buffer.ts";
export type {
  AsNdArrayOptions,
  BufferDimension,
  BufferOptions,
  ElementValue,
  FromOptions,
  NdArray,
  NdArrayLike,
  TypedArray,
} from "./src/runtime/buffer.ts";

// --- pipelines and targets
export {
  getHostTarget,
  getJitTargetFromEnvironment,
  getTargetFromEnvironment,
  Target,
  TargetArch,
  TargetFeature,
  TargetOS,
  TargetProcessorTune,
} from "./src/lang/target.ts";

// --- boundary conditions and lambda
export * as BoundaryConditions from "./src/lang/boundary_conditions.ts";
export type { BoundarySource, Bounds, BoundsRange } from "./src/lang/boundary_conditions.ts";
export { lambda } from "./src/lang/lambda.ts";
export type { LambdaArgs } from "./src/lang/lambda.ts";

// --- inline reductions
export { argmax, argmin, maximum, minimum, product, sum } from "./src/lang/inline_reductions.ts";
