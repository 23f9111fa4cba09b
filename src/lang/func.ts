/**
 * `Func`, the pure function at the heart of Halide, and `FuncRef`, a call or definition site `f.at(x, y)`.
 * This module covers pure definitions (`f.at(x, y).set(value)`), calls, Tuples, introspection, realization (by
 * delegating to `pipeline.ts`), `evaluate`, and image calls (`imageCall`, behind `buf.at(...)`).
 *
 * @module
 */
import { HalideError } from "../error.ts";
import * as ir from "../ir/expr.ts";
import { FunctionDef } from "../ir/function.ts";
import { MemoryType, type Partition, type StorageDim, storageDims } from "../ir/schedule.ts";
export { MemoryType };
import { exprToString } from "../ir/printer.ts";
import { Int, Type } from "../ir/type.ts";
import type { Buffer } from "../runtime/buffer.ts";
import { type Expr, type ExprLike, ExprOps, operand, toIR, wrap } from "./expr.ts";
import { cast } from "./ir_operator.ts";
import { pipelineOf } from "./pipeline.ts";
import type { Callable } from "../runtime/callable.ts";
import type { ImageParam, Param } from "./param.ts";
import type { Target } from "./target.ts";
import type { OutputKind } from "../codegen/aot.ts";
import { countImplicitVars, definePure, defineUpdate } from "./definition.ts";
import * as op from "./operators.ts";
import { LoopLevel } from "./loop_level.ts";
import { OutputImageParam } from "./buffer_param.ts";
import { loopNestText } from "../lower/loop_nest_text.ts";
import { Stage, type TailStrategy, type VarOrRVar } from "./stage.ts";
import { _, Var } from "./var.ts";
import { RDom, RVar } from "./rdom.ts";

// ---------------------------------------------------------------------------------------------------------------
// Names

const nameCounts = new Map<string, number>();

function nextCount(key: string): number {
  const count = nameCounts.get(key) ?? 0;
  nameCounts.set(key, count + 1);
  return count;
}

/**
 * A unique Func name, as Halide's `unique_name`: with no name, `f0`, `f1`, …; a given name is used as is the
 * first time (unless it looks like a generated name) and becomes `name$1`, `name$2`, … afterwards.
 */
function uniqueFuncName(name?: string): string {
  if (name === undefined) return `f${nextCount("\0f")}`;
  if (name === "") throw new HalideError("A Func may not have an empty name.");
  if (name.includes(".")) {
    throw new HalideError(
      `Func name "${name}" is invalid. Func names may not contain the character '.', as it is used internally by ` +
        `Halide as a separator`,
    );
  }
  const sanitized = name.replaceAll("$", "_");
  const looksLikeCharName = name.length > 1 && /^.[0-9$]*$/.test(name);
  const looksLikeStringName = /^[^$]*\$[0-9]*$/.test(name);
  const count = nextCount(sanitized);
  if (count === 0 && !looksLikeCharName && !looksLikeStringName) return name;
  return `${sanitized}$${count}`;
}

// ---------------------------------------------------------------------------------------------------------------
// Call arguments

/**
 * Expands the placeholder `_` in a call's arguments into implicit variables `_0, _1, …` until there are
 * `dimensions` arguments (none are added for an undefined Func). Returns the new list and where `_` was.
 */
function expandPlaceholder(
  args: readonly ExprLike[],
  dimensions: number,
): { args: ExprLike[]; placeholderPos: number; implicitCount: number } {
  const isPlaceholder = (a: ExprLike) =>
    a instanceof Var ? a.isPlaceholder() : a instanceof ExprOps && isVariableNamed(a.toIR(), "_");
  const pos = args.findIndex(isPlaceholder);
  if (pos === -1) return { args: [...args], placeholderPos: -1, implicitCount: 0 };
  const rest = [...args.slice(0, pos), ...args.slice(pos + 1)];
  const count = Math.max(0, dimensions - rest.length);
  const implicit = Array.from({ length: count }, (_, i) => Var.implicit(i));
  return { args: [...rest.slice(0, pos), ...implicit, ...rest.slice(pos)], placeholderPos: pos, implicitCount: count };
}

function isVariableNamed(e: ir.Expr, name: string): boolean {
  return e.kind === "Variable" && e.name === name;
}

/**
 * Converts call arguments to Int(32) IR, as Halide's `check_call_arg_types`: narrower integers are cast, floats and
 * 64-bit or unsigned 32-bit integers are errors asking for an explicit cast.
 */
function callArgs(name: string, args: readonly ExprLike[]): ir.Expr[] {
  return args.map((a, i) => {
    const e = toIR(a);
    const t = e.type;
    if (t.isFloat() || (t.isUInt() && t.bits >= 32) || (t.isInt() && t.bits > 32) || !t.isIntOrUInt()) {
      throw new HalideError(
        `Implicit cast from ${t} to int in argument ${
          i + 1
        } in call to "${name}" is not allowed. Use an explicit cast.`,
      );
    }
    return t.equals(Int(32)) ? e : cast(Int(32), e);
  });
}

/**
 * The IR of `image(args…)`: a `Call` of type "Image" reading `source` (a Buffer, ImageParam, …). The placeholder
 * `_` expands to implicit variables; the argument count must equal the image's dimensionality.
 *
 * @example
 * ```ts
 * imageCall(buffer, [x, y]).toString(); // "input(x, y)"
 * ```
 */
export function imageCall(source: ir.BufferSource, args: readonly ExprLike[]): Expr {
  const expanded = expandPlaceholder(args, source.dimensions).args;
  if (expanded.length !== source.dimensions) {
    throw new HalideError(
      `${expanded.length}-argument call to "${source.name}", which has ${source.dimensions} dimensions.`,
    );
  }
  const irArgs = callArgs(source.name, expanded);
  return wrap(ir.call(source.type, source.name, irArgs, "Image", { image: source }));
}

// ---------------------------------------------------------------------------------------------------------------
// FuncRef

/**
 * A reference `f.at(args…)` to a Func at some coordinates: as an Expr it is a call of `f` (see
 * {@link FuncRef.toIR}); with {@link FuncRef.set} it defines `f`. Create one with {@link Func.at}.
 *
 * @example
 * ```ts
 * f.at(x, y).set(x.add(y));          // definition
 * g.at(x, y).set(f.at(x, y).mul(2)); // call
 * ```
 */
export class FuncRef extends ExprOps {
  /** The Func referenced. */
  readonly func: Func;
  /** The arguments, with the placeholder `_` expanded for a defined Func. */
  readonly args: readonly ExprLike[];
  readonly #placeholderPos: number;
  readonly #implicitCount: number;
  readonly #irArgs: readonly ir.Expr[];

  /** Use {@link Func.at}. */
  constructor(func: Func, args: readonly ExprLike[]) {
    super();
    const fn = func.fn;
    args.forEach((a) => operand(a)); // validates JavaScript callers' arguments
    const expanded = expandPlaceholder(args, fn.defined ? fn.dimensions : 0);
    if (fn.defined && expanded.args.length !== fn.dimensions) {
      throw new HalideError(
        `Func "${fn.name}" was called with ${expanded.args.length} arguments, but was defined with ${fn.dimensions}`,
      );
    }
    this.func = func;
    this.args = expanded.args;
    this.#placeholderPos = expanded.placeholderPos;
    this.#implicitCount = expanded.implicitCount;
    this.#irArgs = expanded.args.every((a) => a instanceof Var)
      ? expanded.args.map((a) => (a as Var).toIR())
      : callArgs(fn.name, expanded.args);
  }

  #checkDefined(): FunctionDef {
    const fn = this.func.fn;
    if (!fn.defined) throw new HalideError(`Can't call Func "${fn.name}" because it has not yet been defined.`);
    return fn;
  }

  /**
   * The IR call of Tuple element `index` (0 for a single-valued Func); errors if the Func is undefined.
   *
   * @example
   * ```ts
   * pair.at(x).callIR(1).valueIndex; // 1
   * ```
   */
  callIR(index: number): ir.Call {
    const fn = this.#checkDefined();
    return ir.call(fn.outputTypes[index], fn.name, this.#irArgs, "Halide", { func: fn, valueIndex: index });
  }

  /**
   * The IR `Call` (call type "Halide") of the Func's value. Errors if the Func is undefined or a Tuple (use
   * {@link FuncRef.elem}).
   *
   * @example
   * ```ts
   * f.at(x).toIR().kind; // "Call"
   * ```
   */
  toIR(): ir.Expr {
    const fn = this.#checkDefined();
    if (fn.outputTypes.length !== 1) {
      throw new HalideError(
        `Can't convert a reference Func "${fn.name}" to an Expr, because ${fn.name} returns a Tuple. ` +
          `Use .elem(i) to select a Tuple element.`,
      );
    }
    return this.callIR(0);
  }

  /** The types the referenced Func holds (known before definition for a typed Func). */
  #knownTypes(api: string): readonly Type[] {
    const fn = this.func.fn;
    const types = fn.defined ? fn.outputTypes : fn.requiredTypes;
    if (!types || types.length === 0) {
      throw new HalideError(
        `Can't call ${api} on call to Func "${fn.name}" because it is undefined or has no type requirements.`,
      );
    }
    return types;
  }
  /** The value type (errors for a Tuple). @example `f.at(x).type.toString() // "int32"` */
  override get type(): Type {
    const types = this.#knownTypes("type()");
    if (types.length > 1) {
      throw new HalideError(`Can't call type() on call to Func "${this.func.name}" because it returns a Tuple.`);
    }
    return types[0];
  }
  /** The types of all Tuple elements. @example `f.at(x).types.length // 2 for a pair` */
  get types(): readonly Type[] {
    return this.#knownTypes("types()");
  }
  /** The number of values (Tuple size). @example `f.at(x).size // 1` */
  get size(): number {
    return this.#knownTypes("size").length;
  }

  /**
   * Tuple element `i` of the call.
   *
   * @example
   * ```ts
   * pair.at(x).set([x, x.mul(2)]);
   * g.at(x).set(pair.at(x).elem(1));
   * ```
   */
  elem(i: number): FuncTupleElementRef {
    const fn = this.#checkDefined();
    const n = fn.outputTypes.length;
    if (n === 1) {
      throw new HalideError(`Can't index into a reference to Func "${fn.name}", because it does not return a Tuple.`);
    }
    if (!Number.isInteger(i) || i < 0 || i >= n) {
      throw new HalideError(`Tuple index out of range in reference to Func "${fn.name}".`);
    }
    return new FuncTupleElementRef(this, i);
  }

  /**
   * Defines the Func: `f.at(x, y).set(value)` or a Tuple `set([a, b])`. The first definition is the pure one: every
   * argument on the left must be a Var (the placeholder `_` stands for the implicit variables used on the right),
   * and only those Vars (and parameters) may appear on the right. Later ones are update definitions: the left
   * may hold any Int(32) Exprs, RVars of one RDom may appear on both sides, and the values must keep the pure
   * definition's types. Returns the Stage of the definition, to schedule it. A FuncRef of a Tuple-valued Func
   * copies all its elements.
   *
   * @example
   * ```ts
   * f.at(x, y).set(x.add(y));
   * g.at(x).set([x, hl.f32(x).div(2)]);
   * f.at(r.x, 0).set(f.at(r.x, 0).mul(2));      // an update definition
   * ```
   */
  set(value: ExprLike | readonly ExprLike[]): Stage {
    const fn = this.func.fn;
    if (fn.defined) {
      return new Stage(fn, defineUpdate(fn, this.#irArgs, valuesOf(value), this.#implicitCount));
    }
    this.args.forEach((a, i) => {
      if (!(a instanceof Var)) {
        throw new HalideError(`Argument ${i + 1} in initial definition of "${fn.name}" is not a Var.`);
      }
    });
    definePure(fn, (this.args as Var[]).map((v) => v.name), this.#placeholderPos, valuesOf(value));
    return new Stage(fn, 0);
  }

  /**
   * `f(args) = f(args) + value` (Tuples element-wise). On an undefined Func it first gives the pure definition
   * `0` (in the value's type, or the Func's declared type) over the Vars on the left (fresh Vars elsewhere).
   *
   * @example
   * ```ts
   * hist.at(hl.clamp(input.at(r.x, r.y), 0, 255)).addAssign(1);
   * ```
   */
  addAssign(value: ExprLike | readonly ExprLike[]): Stage {
    return this.#compound(value, 0, op.add);
  }
  /** `f(args) = f(args) - value`; the implicit pure definition is 0. @example `f.at(r).subAssign(1)` */
  subAssign(value: ExprLike | readonly ExprLike[]): Stage {
    return this.#compound(value, 0, op.sub);
  }
  /** `f(args) = f(args) * value`; the implicit pure definition is 1. @example `f.at(x).mulAssign(g.at(r, x))` */
  mulAssign(value: ExprLike | readonly ExprLike[]): Stage {
    return this.#compound(value, 1, op.mul);
  }
  /** `f(args) = f(args) / value`; the implicit pure definition is 1. @example `f.at(x).divAssign(2)` */
  divAssign(value: ExprLike | readonly ExprLike[]): Stage {
    return this.#compound(value, 1, op.div);
  }

  /** The update `self = combine(self, value)`, after giving an undefined Func the pure definition `init`. */
  #compound(value: ExprLike | readonly ExprLike[], init: number, combine: (a: ExprLike, b: ExprLike) => Expr): Stage {
    const fn = this.func.fn;
    const rhs = valuesOf(value);
    let ref: FuncRef = this;
    if (!fn.defined) {
      // The left-hand side with the placeholder's implicit variables, then the pure definition over its Vars.
      const implicit = countImplicitVars(rhs);
      const args = [...this.args];
      if (this.#placeholderPos !== -1) args.splice(this.#placeholderPos, 0, ...Array.from({ length: implicit }, (_, i) => Var.implicit(i)));
      const pureArgs = args.map((a) => {
        const e = toIR(a);
        return e.kind === "Variable" && !e.param && !e.rdom ? new Var(e.name) : new Var();
      });
      const types = fn.requiredTypes ?? rhs.map((v) => v.type);
      this.func.at(...pureArgs).set(types.map((t) => wrap(ir.makeConst(t, init))));
      ref = this.func.at(...args);
    }
    const n = fn.outputTypes.length;
    if (rhs.length !== n) {
      throw new HalideError(
        `In update definition ${fn.updates.length} of Func "${fn.name}":
Number of tuple elements for update ` +
          `definition must match number of tuple elements for pure definition.`,
      );
    }
    const current = (i: number): ExprLike => (n === 1 ? ref : ref.elem(i));
    const values = rhs.map((v, i) => combine(current(i), wrap(v)));
    return ref.set(n === 1 ? values[0] : values);
  }

  /** Prints `f(x, y)` (works before the Func is defined). @example `f.at(x, 1).toString() // "f(x, 1)"` */
  override toString(): string {
    return `${this.func.name}(${this.#irArgs.map(exprToString).join(", ")})`;
  }
}

/** The right-hand side of a definition as IR values: an array is a Tuple; a Tuple FuncRef expands. */
function valuesOf(value: ExprLike | readonly ExprLike[]): ir.Expr[] {
  if (Array.isArray(value)) return (value as readonly ExprLike[]).map(toIR);
  if (value instanceof FuncRef && value.func.fn.defined && value.func.fn.outputTypes.length > 1) {
    return value.func.fn.outputTypes.map((_, i) => value.callIR(i));
  }
  return [toIR(value as ExprLike)];
}

/**
 * One element of a Tuple-valued call, `f.at(x).elem(i)`; as an Expr it is the call with value index `i`.
 *
 * @example
 * ```ts
 * g.at(x).set(pair.at(x).elem(0).add(pair.at(x).elem(1)));
 * ```
 */
export class FuncTupleElementRef extends ExprOps {
  /** Use {@link FuncRef.elem}. */
  constructor(readonly ref: FuncRef, readonly index: number) {
    super();
  }
  /** The call of element `index`. @example `pair.at(x).elem(1).toIR()` */
  toIR(): ir.Expr {
    return this.ref.callIR(this.index);
  }
}

// ---------------------------------------------------------------------------------------------------------------
// Func

/**
 * Something a Func can be made from by `new Func(source)`: indexed with `at` like a Buffer or ImageParam.
 *
 * @example
 * ```ts
 * const src: hl.FuncSource = new hl.Buffer(hl.UInt(8), [4, 4]);
 * ```
 */
export interface FuncSource {
  readonly dimensions: number;
  at(...args: ExprLike[]): ExprLike;
}

function isFuncSource(x: unknown): x is FuncSource {
  return typeof x === "object" && x !== null && !(x instanceof ExprOps) &&
    typeof (x as FuncSource).at === "function" && typeof (x as FuncSource).dimensions === "number";
}

/**
 * A pure function from integer coordinates to values (or Tuples of values): the unit of a Halide algorithm.
 * Define it with `f.at(x, y).set(value)`, call it with `f.at(…)`, compute it with `realize`.
 *
 * @example
 * ```ts
 * const x = new hl.Var("x"), y = new hl.Var("y");
 * const f = new hl.Func("f");
 * f.at(x, y).set(x.add(y));
 * f.realize([4, 4]).get([2, 3]); // 5
 * ```
 */
export class Func {
  /** The underlying definition (shared with the IR: calls to this Func point at it). */
  readonly fn: FunctionDef;

  /** An undefined Func named `name` (made unique), or `f0`, `f1`, … if omitted. */
  constructor(name?: string);
  /** An undefined Func that must be defined with values of `type` (or these Tuple types) over `dimensions` Vars. */
  constructor(type: Type | readonly Type[], dimensions: number, name?: string);
  /**
   * A Func defined as `value` (its implicit variables become the arguments), or reading a Buffer/ImageParam:
   * `new Func(buf)` is `f.at(_).set(buf.at(_))`.
   */
  constructor(value: ExprLike | FuncSource);
  constructor(a?: string | Type | readonly Type[] | ExprLike | FuncSource, dimensions?: number, name?: string) {
    if (a instanceof Type || Array.isArray(a)) {
      const types = a instanceof Type ? [a] : [...(a as readonly Type[])];
      if (types.length === 0 || !types.every((t) => t instanceof Type)) {
        throw new HalideError("A typed Func needs at least one Type.");
      }
      if (!Number.isInteger(dimensions) || dimensions! < 0) {
        throw new HalideError(`A typed Func needs a non-negative integer number of dimensions, got ${dimensions}.`);
      }
      this.fn = new FunctionDef(uniqueFuncName(name));
      this.fn.requiredTypes = types;
      this.fn.requiredDimensions = dimensions;
    } else if (a === undefined || typeof a === "string") {
      this.fn = new FunctionDef(uniqueFuncName(a));
    } else if (isFuncSource(a)) {
      this.fn = new FunctionDef(uniqueFuncName());
      this.at(_).set(a.at(_));
    } else {
      this.fn = new FunctionDef(uniqueFuncName());
      this.at(_).set(a as ExprLike);
    }
  }

  /** The (unique) name. @example `new hl.Func("blur").name // "blur"` */
  get name(): string {
    return this.fn.name;
  }
  /** Whether the Func has a definition. @example `f.defined() // false before f.at(x).set(…)` */
  defined(): boolean {
    return this.fn.defined;
  }
  /**
   * The number of dimensions (known before definition for a typed Func).
   * @example `f.dimensions // 2`
   */
  get dimensions(): number {
    if (!this.fn.defined && this.fn.requiredDimensions === undefined) {
      throw new HalideError(
        `Can't call Func::dimensions on Func "${this.name}" because it is undefined or has no dimension requirements.`,
      );
    }
    return this.fn.dimensions;
  }
  /** The pure arguments as Vars (empty before definition). @example `f.args().map((v) => v.name) // ["x", "y"]` */
  args(): Var[] {
    return this.fn.defined ? this.fn.args.map((a) => new Var(a)) : [];
  }
  /** The value of a non-Tuple Func. @example `f.value().toString() // "(x + y)"` */
  value(): Expr {
    if (!this.fn.defined) {
      throw new HalideError(
        "Can't call Func::value() on an undefined Func. To check if a Func is defined, call Func::defined()",
      );
    }
    if (this.fn.pure.values.length !== 1) {
      throw new HalideError(`Can't call Func::value() on Func "${this.name}", because it has multiple values.`);
    }
    return wrap(this.fn.pure.values[0]);
  }
  /** All values (one per Tuple element). @example `f.values().length // 1` */
  values(): Expr[] {
    if (!this.fn.defined) {
      throw new HalideError(
        "Can't call Func::values() on an undefined Func. To check if a Func is defined, call Func::defined().",
      );
    }
    return this.fn.pure.values.map(wrap);
  }
  #types(api: string): readonly Type[] {
    const types = this.fn.defined ? this.fn.outputTypes : this.fn.requiredTypes;
    if (!types || types.length === 0) {
      throw new HalideError(
        `Can't call Func::${api} on Func "${this.name}" because it is undefined or has no type requirements.`,
      );
    }
    return types;
  }
  /** The value type of a non-Tuple Func. @example `f.type.toString() // "int32"` */
  get type(): Type {
    const types = this.#types("type");
    if (types.length > 1) {
      throw new HalideError(`Can't call Func::type on Func "${this.name}" because it returns a Tuple.`);
    }
    return types[0];
  }
  /** The value types, one per Tuple element. @example `pair.types.map(String) // ["int32", "float32"]` */
  get types(): Type[] {
    return [...this.#types("types")];
  }
  /** The number of values (1, or the Tuple size). @example `pair.outputs // 2` */
  get outputs(): number {
    return this.#types("outputs").length;
  }

  /**
   * A reference to this Func at the given coordinates, to call it or define it. `f.at()` for a zero-dimensional
   * Func; `hl._` stands for all remaining dimensions.
   *
   * @example
   * ```ts
   * f.at(x, y).set(x.add(y));
   * const e = f.at(x.add(1), y);
   * ```
   */
  at(...args: ExprLike[]): FuncRef {
    return new FuncRef(this, args);
  }

  #checkRealizable(): void {
    if (!this.fn.defined) throw new HalideError("Can't realize undefined Func.");
  }

  /**
   * Computes the Func over `sizes` (a new Buffer with mins 0), or into an existing Buffer `dst` (its mins are
   * honoured). A Tuple-valued Func must use {@link Func.realizeTuple}.
   *
   * @example
   * ```ts
   * const out = f.realize([640, 480]);
   * f.realize(existingBuffer);
   * ```
   */
  realize(sizesOrDst: readonly number[] | Buffer, target?: Target): Buffer {
    this.#checkRealizable();
    const n = this.fn.outputTypes.length;
    if (n > 1) {
      throw new HalideError(
        `Func "${this.name}" returns a Tuple of ${n} values; use realizeTuple() to get one Buffer per element.`,
      );
    }
    const dst = Array.isArray(sizesOrDst) ? (sizesOrDst as readonly number[]) : [sizesOrDst as Buffer];
    return pipelineOf(this).realize(dst, target)[0];
  }

  /**
   * Computes every Tuple element: one Buffer per element, over `sizes` or into the Buffers `dst`.
   *
   * @example
   * ```ts
   * const [a, b] = pair.realizeTuple([100]);
   * ```
   */
  realizeTuple(sizesOrDst: readonly number[] | readonly Buffer[], target?: Target): Buffer[] {
    this.#checkRealizable();
    return pipelineOf(this).realize(sizesOrDst, target);
  }

  /**
   * JIT-compiles this Func's pipeline now rather than at the first `realize`.
   *
   * @example
   * ```ts
   * f.compileJit();
   * ```
   */
  compileJit(target?: Target): this {
    this.#checkRealizable();
    pipelineOf(this).compileJit(target);
    return this;
  }

  /**
   * Compiles this Func's pipeline into a function of `args` (Params and ImageParams) followed by the output
   * buffer(s). See {@link Pipeline.compileToCallable}.
   *
   * @example
   * ```ts
   * const run = f.compileToCallable([input, gain]);
   * run(inBuf, 2.0, outBuf);
   * ```
   */
  compileToCallable(args: readonly (Param | ImageParam)[], target?: Target): Callable {
    this.#checkRealizable();
    return pipelineOf(this).compileToCallable(args, target);
  }

  /**
   * The Params and ImageParams this Func's pipeline uses. See {@link Pipeline.inferArguments}.
   *
   * @example
   * ```ts
   * const run = f.compileToCallable(f.inferArguments());
   * ```
   */
  inferArguments(): (Param | ImageParam)[] {
    this.#checkRealizable();
    return pipelineOf(this).inferArguments();
  }

  /**
   * Writes the lowered statement as text or HTML. See {@link Pipeline.compileToLoweredStmt}.
   *
   * @example
   * ```ts
   * blurY.compileToLoweredStmt("out/blur_y.html", [input], "html");
   * ```
   */
  compileToLoweredStmt(path: string, args: readonly (Param | ImageParam)[], format: "text" | "html" = "text", target?: Target): void {
    this.#checkRealizable();
    pipelineOf(this).compileToLoweredStmt(path, args, format, target);
  }

  /**
   * Writes the optimized LLVM IR. See {@link Pipeline.compileToLlvmAssembly}.
   *
   * @example
   * ```ts
   * f.compileToLlvmAssembly("out/f.ll", [input]);
   * ```
   */
  compileToLlvmAssembly(path: string, args: readonly (Param | ImageParam)[], fnName?: string, target?: Target): void {
    this.#checkRealizable();
    pipelineOf(this).compileToLlvmAssembly(path, args, fnName, target);
  }

  /**
   * Writes the native assembly. See {@link Pipeline.compileToAssembly}.
   *
   * @example
   * ```ts
   * f.compileToAssembly("out/f.s", [input]);
   * ```
   */
  compileToAssembly(path: string, args: readonly (Param | ImageParam)[], fnName?: string, target?: Target): void {
    this.#checkRealizable();
    pipelineOf(this).compileToAssembly(path, args, fnName, target);
  }

  /**
   * Compiles this Func's pipeline ahead of time and writes each output kind to its path. See
   * {@link Pipeline.compileTo}.
   *
   * @example
   * ```ts
   * f.compileTo({ object: "out/f.o", c_header: "out/f.h" }, [input, gain], "f");
   * ```
   */
  compileTo(outputs: Readonly<Partial<Record<OutputKind, string>>>, args: readonly (Param | ImageParam)[], fnName?: string, target?: Target): void {
    this.#checkRealizable();
    pipelineOf(this).compileTo(outputs, args, fnName, target);
  }
  /** Writes an object file. See {@link Pipeline.compileTo}. @example `f.compileToObject("out/f.o", [input])` */
  compileToObject(path: string, args: readonly (Param | ImageParam)[], fnName?: string, target?: Target): void {
    this.compileTo({ object: path }, args, fnName, target);
  }
  /** Writes LLVM bitcode. See {@link Pipeline.compileTo}. @example `f.compileToBitcode("out/f.bc", [input])` */
  compileToBitcode(path: string, args: readonly (Param | ImageParam)[], fnName?: string, target?: Target): void {
    this.compileTo({ bitcode: path }, args, fnName, target);
  }
  /** Writes the C header. See {@link Pipeline.compileTo}. @example `f.compileToHeader("out/f.h", [input], "f")` */
  compileToHeader(path: string, args: readonly (Param | ImageParam)[], fnName?: string, target?: Target): void {
    this.compileTo({ c_header: path }, args, fnName, target);
  }
  /** Writes `prefix.a` and `prefix.h`. See {@link Pipeline.compileTo}. @example `f.compileToStaticLibrary("out/f", [input])` */
  compileToStaticLibrary(prefix: string, args: readonly (Param | ImageParam)[], fnName?: string, target?: Target): void {
    this.#checkRealizable();
    pipelineOf(this).compileToStaticLibrary(prefix, args, fnName, target);
  }
  /** Writes `prefix.o` and `prefix.h`. See {@link Pipeline.compileTo}. @example `f.compileToFile("out/f", [input])` */
  compileToFile(prefix: string, args: readonly (Param | ImageParam)[], fnName?: string, target?: Target): void {
    this.#checkRealizable();
    pipelineOf(this).compileToFile(prefix, args, fnName, target);
  }

  /**
   * Binds a Buffer of just the right shape to every ImageParam that has none, for realizing over `sizes` or into
   * `dst`. See {@link Pipeline.inferInputBounds}.
   *
   * @example
   * ```ts
   * blur.inferInputBounds([640, 480]);
   * input.get()!.width; // 642
   * ```
   */
  inferInputBounds(sizesOrDst: readonly number[] | Buffer | readonly Buffer[], target?: Target): void {
    this.#checkRealizable();
    const dst = Array.isArray(sizesOrDst) ? sizesOrDst : [sizesOrDst as Buffer];
    pipelineOf(this).inferInputBounds(dst as readonly number[] | readonly Buffer[], target);
  }

  // ------------------------------------------------------------------------------------------- scheduling
  // The loop directives act on the pure definition's Stage (see stage.ts for their meaning) and return `this`.

  /** Whether the Func has update definitions. @example `hist.hasUpdateDefinition() // true` */
  hasUpdateDefinition(): boolean {
    return this.fn.defined && this.fn.updates.length > 0;
  }
  /** The number of update definitions. @example `f.numUpdateDefinitions() // 2` */
  numUpdateDefinitions(): number {
    return this.fn.defined ? this.fn.updates.length : 0;
  }
  /**
   * The Stage of update definition `i`, to schedule it.
   *
   * @example
   * ```ts
   * f.update(0).vectorize(x, 8).parallel(y);
   * ```
   */
  update(i = 0): Stage {
    if (!Number.isInteger(i) || i < 0 || i >= this.numUpdateDefinitions()) {
      throw new HalideError(`Call to update with index larger than last defined update stage for Func "${this.name}".`);
    }
    return new Stage(this.fn, i + 1);
  }
  /** The Stage of the pure definition. @example `f.stage().split(x, xo, xi, 8)` */
  stage(): Stage {
    if (!this.fn.defined) throw new HalideError(`Func ${this.name} must be defined before it can be scheduled.`);
    return new Stage(this.fn, 0);
  }
  /** {@link Stage.partition}. @example `f.partition(x, hl.Partition.Never)` */
  partition(v: VarOrRVar, policy: Partition): this {
    this.stage().partition(v, policy);
    return this;
  }
  /** {@link Stage.neverPartition}. @example `f.neverPartition([x])` */
  neverPartition(vars: readonly VarOrRVar[]): this {
    this.stage().neverPartition(vars);
    return this;
  }
  /** {@link Stage.alwaysPartition}. @example `f.alwaysPartition([x])` */
  alwaysPartition(vars: readonly VarOrRVar[]): this {
    this.stage().alwaysPartition(vars);
    return this;
  }
  /** {@link Stage.specialize}. @example `f.specialize(w.ge(64)).vectorize(x, 16)` */
  specialize(condition: ExprLike): Stage {
    return this.stage().specialize(condition);
  }
  /** {@link Stage.specializeFail}. @example `f.specializeFail("unsupported width")` */
  specializeFail(message: string): this {
    this.stage().specializeFail(message);
    return this;
  }
  /** {@link Stage.split}. @example `f.split(x, xo, xi, 8)` */
  split(old: VarOrRVar, outer: VarOrRVar, inner: VarOrRVar, factor: ExprLike, tail?: TailStrategy): this {
    this.stage().split(old, outer, inner, factor, tail);
    return this;
  }
  /** {@link Stage.fuse}. @example `f.fuse(x, y, xy)` */
  fuse(inner: VarOrRVar, outer: VarOrRVar, fused: VarOrRVar): this {
    this.stage().fuse(inner, outer, fused);
    return this;
  }
  /** {@link Stage.tile}: `tile(x, y, xo, yo, xi, yi, xf, yf, tail?)`, `tile(x, y, xi, yi, xf, yf, tail?)` or the list forms. @example `f.tile(x, y, xi, yi, 8, 8)` */
  tile(x: VarOrRVar, y: VarOrRVar, xo: VarOrRVar, yo: VarOrRVar, xi: VarOrRVar, yi: VarOrRVar, xf: ExprLike, yf: ExprLike, tail?: TailStrategy): this;
  tile(x: VarOrRVar, y: VarOrRVar, xi: VarOrRVar, yi: VarOrRVar, xf: ExprLike, yf: ExprLike, tail?: TailStrategy): this;
  tile(vars: readonly VarOrRVar[], outers: readonly VarOrRVar[], inners: readonly VarOrRVar[], factors: readonly ExprLike[], tail?: TailStrategy): this;
  tile(vars: readonly VarOrRVar[], inners: readonly VarOrRVar[], factors: readonly ExprLike[], tail?: TailStrategy): this;
  tile(...args: unknown[]): this {
    (this.stage().tile as (...a: unknown[]) => Stage)(...args);
    return this;
  }
  /** {@link Stage.reorder}, innermost first. @example `f.reorder(y, x)` */
  reorder(...vars: VarOrRVar[]): this {
    this.stage().reorder(...vars);
    return this;
  }
  /** {@link Stage.rename}. @example `f.rename(x, xx)` */
  rename(old: VarOrRVar, renamed: VarOrRVar): this {
    this.stage().rename(old, renamed);
    return this;
  }
  /** {@link Stage.vectorize}. @example `f.vectorize(x, 8)` */
  vectorize(v: VarOrRVar, factor?: ExprLike, tail?: TailStrategy): this {
    this.stage().vectorize(v, factor, tail);
    return this;
  }
  /** {@link Stage.unroll}. @example `f.unroll(x, 4)` */
  unroll(v: VarOrRVar, factor?: ExprLike, tail?: TailStrategy): this {
    this.stage().unroll(v, factor, tail);
    return this;
  }
  /** {@link Stage.parallel}. @example `f.parallel(y)` */
  parallel(v: VarOrRVar, taskSize?: ExprLike, tail?: TailStrategy): this {
    this.stage().parallel(v, taskSize, tail);
    return this;
  }
  /** {@link Stage.serial}. @example `f.serial(y)` */
  serial(v: VarOrRVar): this {
    this.stage().serial(v);
    return this;
  }
  /** {@link Stage.atomic} for the pure definition. @example `f.atomic()` */
  atomic(overrideAssociativityTest = false): this {
    this.stage().atomic(overrideAssociativityTest);
    return this;
  }
  /** {@link Stage.allowRaceConditions} for the pure definition. @example `f.allowRaceConditions()` */
  allowRaceConditions(): this {
    this.stage().allowRaceConditions();
    return this;
  }
  /**
   * Computes this Func inside the loop over `v` of Func `f` (as needed by each iteration), or at a LoopLevel.
   * Storage goes at the same level unless {@link Func.storeAt} says otherwise.
   *
   * @example
   * ```ts
   * blurX.computeAt(blurY, y);
   * ```
   */
  computeAt(f: Func | LoopLevel, v?: Var | RVar | RDom): this {
    const level = this.#level(f, v, "computeAt");
    this.fn.setFuncSchedule({ ...this.fn.funcSchedule, compute: level.spec });
    return this;
  }
  /** Stores this Func's values at a loop outside its compute level (or at a LoopLevel). @example `f.storeAt(g, y)` */
  storeAt(f: Func | LoopLevel, v?: Var | RVar | RDom): this {
    const level = this.#level(f, v, "storeAt");
    this.fn.setFuncSchedule({ ...this.fn.funcSchedule, store: level.spec });
    return this;
  }
  /** Computes all of this Func that any consumer needs, before the consumers run. @example `f.computeRoot()` */
  computeRoot(): this {
    return this.computeAt(LoopLevel.root());
  }
  /** Stores this Func at the root of the pipeline. @example `f.storeRoot().computeAt(g, y)` */
  storeRoot(): this {
    return this.storeAt(LoopLevel.root());
  }
  /** Inlines this Func into its uses (the default). @example `f.computeInline()` */
  computeInline(): this {
    this.fn.setFuncSchedule({ ...this.fn.funcSchedule, compute: { kind: "inlined" }, store: { kind: "inlined" } });
    return this;
  }

  /**
   * Computes this Func over exactly `[min, min + extent)` in dimension `v` (checked at run time to cover what is
   * needed). A constant extent lets splits of `v` have constant sizes.
   *
   * @example
   * ```ts
   * f.bound(c, 0, 3).unroll(c);
   * ```
   */
  bound(v: Var, min: ExprLike, extent: ExprLike): this {
    return this.#bound(v, toIR(min), toIR(extent), "bound");
  }
  /** Like {@link Func.bound} with only the extent fixed (the min is what consumers need). @example `f.boundExtent(x, 8)` */
  boundExtent(v: Var, extent: ExprLike): this {
    return this.#bound(v, undefined, toIR(extent), "boundExtent");
  }

  #bound(v: Var, min: ir.Expr | undefined, extent: ir.Expr, what: string): this {
    if (!this.fn.defined) throw new HalideError(`Func ${this.name} must be defined before calling ${what}.`);
    if (!(v instanceof Var) || !this.fn.args.includes(v.name)) {
      throw new HalideError(`Can't bound variable ${String((v as Var)?.name ?? v)} of ${this.name} because it is not one of its pure variables (${this.fn.args.join(", ")}).`);
    }
    const asInt = (e: ir.Expr, which: string) => {
      if (!e.type.isIntOrUInt() || !Int(32).canRepresent(e.type)) {
        throw new HalideError(`The ${which} of a bound on ${this.name}.${v.name} must be an int32, not ${e.type}.`);
      }
      return cast(Int(32), e);
    };
    const bounds = (this.fn.funcSchedule.bounds ?? []).filter((b) => b.var !== v.name);
    const b = { var: v.name, extent: asInt(extent, "extent"), ...(min ? { min: asInt(min, "min") } : {}) };
    this.fn.setFuncSchedule({ ...this.fn.funcSchedule, bounds: [...bounds, b] });
    return this;
  }

  // ------------------------------------------------------------------------------------------- storage

  /**
   * Lays out the storage of this Func with `vars` in this order, innermost (densest) first, whatever the loop
   * order. As Halide's `reorder_storage`, each pair is put in order by swapping it among the storage dimensions;
   * the others keep their places. The values computed do not change. Ignored when the Func is the output.
   *
   * @example
   * ```ts
   * rgb.reorderStorage(c, x, y); // interleaved: c densest
   * ```
   */
  reorderStorage(...vars: (Var | readonly Var[])[]): this {
    const list = vars.flat() as Var[];
    const fn = this.#definedFor("reorderStorage");
    if (list.length < 2) throw new HalideError(`In schedule for ${this.name}, reorderStorage needs at least two variables.`);
    let dims = [...storageDims(fn.args, fn.funcSchedule)];
    list.forEach((v, i) => {
      this.#storageIndex(dims, v, "reorder the storage of");
      if (list.findIndex((w) => w.name === v.name) !== i) {
        throw new HalideError(`In schedule for ${this.name}, call to reorderStorage references ${v.name} twice.`);
      }
    });
    // Halide's pairwise rule: each variable goes inside all those listed after it.
    for (let i = 0; i < list.length; i++) {
      for (let j = i + 1; j < list.length; j++) {
        const a = dims.findIndex((d) => d.var === list[i].name), b = dims.findIndex((d) => d.var === list[j].name);
        if (a > b) {
          dims = [...dims];
          [dims[a], dims[b]] = [dims[b], dims[a]];
        }
      }
    }
    fn.setFuncSchedule({ ...fn.funcSchedule, storage: dims });
    return this;
  }

  /**
   * Expands the region computed of this Func along `v` so that it starts at a coordinate ≡ `remainder` (mod
   * `modulus`) and its extent is a multiple of `modulus` — e.g. so that a split of `v` by `modulus` has no tail.
   *
   * @example
   * ```ts
   * g.computeRoot().alignBounds(x, 2).unroll(x, 2);
   * ```
   */
  alignBounds(v: Var, modulus: ExprLike, remainder: ExprLike = 0): this {
    const fn = this.#definedFor("alignBounds");
    if (!(v instanceof Var) || !fn.args.includes(v.name)) {
      const name = String((v as Var)?.name ?? v);
      throw new HalideError(
        `Can't align bounds of variable ${name} of function ${this.name} because ${name} is not one of the pure ` +
          `variables of ${this.name} (${fn.args.join(", ")}).`,
      );
    }
    const m = this.#int32(toIR(modulus), `the modulus of alignBounds(${v.name})`);
    const mc = ir.asConstInt(m);
    if (mc !== undefined && mc <= 0n) {
      throw new HalideError(`Can't align bounds of ${this.name}.${v.name}: the modulus must be positive, not ${mc}.`);
    }
    const r = ir.arith("Mod", this.#int32(toIR(remainder), `the remainder of alignBounds(${v.name})`), m);
    const align = (fn.funcSchedule.align ?? []).filter((a) => a.var !== v.name);
    fn.setFuncSchedule({ ...fn.funcSchedule, align: [...align, { var: v.name, modulus: m, remainder: r }] });
    return this;
  }

  /**
   * Folds the storage of this Func along `v` into `extent` slots, indexed modulo `extent` — a circular buffer.
   * Legal when the Func is stored outside a serial loop (`storeRoot`/`storeAt` outside `computeAt`) along which
   * the region it uses moves monotonically in `v`; lowering checks that (a HalideError otherwise), and each
   * iteration checks at run time that its region fits in `extent`. Halide also folds automatically where it can.
   * The direction (`forward`, towards larger coordinates) is recorded for Halide compatibility; lowering finds it.
   *
   * @example
   * ```ts
   * producer.storeRoot().computeAt(consumer, y).foldStorage(y, 2);
   * ```
   */
  foldStorage(v: Var, extent: ExprLike, forward = true): this {
    const fn = this.#definedFor("foldStorage");
    const dims = [...storageDims(fn.args, fn.funcSchedule)];
    const i = this.#storageIndex(dims, v, "fold the storage of");
    const factor = this.#int32(toIR(extent), `the fold factor of ${v.name}`);
    const c = ir.asConstInt(factor);
    if (c !== undefined && c <= 0n) {
      throw new HalideError(
        `Can't fold storage of ${this.name} over dimension ${v.name} because the fold factor must be positive, not ${c}.`,
      );
    }
    dims[i] = { var: v.name, fold: { factor, forward: forward !== false } };
    fn.setFuncSchedule({ ...fn.funcSchedule, storage: dims });
    return this;
  }

  /**
   * The expected range `[min, min + extent)` of pure variable `v` when this Func is an output, for the
   * autoscheduler (not a constraint; `setEstimates` gives all at once).
   *
   * @example
   * ```ts
   * out.setEstimate(x, 0, 1536).setEstimate(y, 0, 2560);
   * ```
   */
  setEstimate(v: Var, min: ExprLike, extent: ExprLike): this {
    const fn = this.#definedFor("setEstimate");
    if (!(v instanceof Var) || !fn.args.includes(v.name)) {
      throw new HalideError(`Can't set an estimate of ${String(v)} for Func ${this.name}: it is not one of its Vars (${fn.args.join(", ")}).`);
    }
    const int32 = (what: string, e: ExprLike) => {
      const ir = toIR(e);
      if (!ir.type.isIntOrUInt() || !Int(32).canRepresent(ir.type)) {
        throw new HalideError(`The estimated ${what} of ${v.name} for Func ${this.name} must be an int32, not ${ir.type}.`);
      }
      return cast(Int(32), ir);
    };
    const rest = (fn.funcSchedule.estimates ?? []).filter((e) => e.var !== v.name);
    fn.setFuncSchedule({ ...fn.funcSchedule, estimates: [...rest, { var: v.name, min: int32("min", min), extent: int32("extent", extent) }] });
    return this;
  }
  /** {@link Func.setEstimate} for every dimension in order. @example `out.setEstimates([[0, 1536], [0, 2560]])` */
  setEstimates(ranges: readonly (readonly [ExprLike, ExprLike])[]): this {
    const fn = this.#definedFor("setEstimates");
    if (ranges.length !== fn.args.length) {
      throw new HalideError(`Func ${this.name} has ${fn.args.length} dimensions, but setEstimates was given ${ranges.length} ranges.`);
    }
    ranges.forEach(([min, extent], d) => this.setEstimate(new Var(fn.args[d]), min, extent));
    return this;
  }

  /**
   * A wrapper of this Func: a new Func computing the same values (`wrapper(x, …) = f(x, …)`) that calls to this Func
   * go through instead — from `consumers` only, or from every consumer when none is given. Schedule the wrapper to
   * stage the data (copy a tile of `f` into a local buffer, vectorize the copy, …). Asking again for the same
   * consumers returns the same wrapper.
   *
   * @example
   * ```ts
   * const local = input.in(blur);            // blur reads input through `local`
   * local.computeAt(blur, xo).vectorize(x, 8);
   * ```
   */
  in(consumers?: Func | readonly Func[]): Func {
    const fn = this.#definedFor("in");
    return this.#wrap("in", consumers, (name) => {
      const w = new Func(name);
      const vars = fn.args.map((a) => new Var(a));
      const ref = this.at(...vars);
      w.at(...vars).set(fn.outputTypes.length === 1 ? ref : fn.outputTypes.map((_, i) => ref.elem(i)));
      return w;
    });
  }

  /**
   * A copy of this Func for `consumers`: the same definition and schedule under a new name, so that it can be
   * scheduled differently for them (calls from `consumers` go to the copy).
   *
   * @example
   * ```ts
   * const forG = f.cloneIn(g);
   * forG.computeAt(g, x);   // f stays computeRoot for its other consumers
   * ```
   */
  cloneIn(consumers: Func | readonly Func[]): Func {
    const fn = this.#definedFor("cloneIn");
    return this.#wrap("cloneIn", consumers, (name) => {
      const clone = new Func(name);
      const vars = fn.args.map((a) => new Var(a));
      const values = fn.pure.values.map(wrap);
      clone.at(...vars).set(values.length === 1 ? values[0] : values);
      clone.fn.setSchedule(fn.schedule);
      clone.fn.setFuncSchedule(fn.funcSchedule);
      return clone;
    });
  }

  /** Registers (or finds) the wrapper made by `make` for `consumers` (all of them when undefined). */
  #wrap(api: string, consumers: Func | readonly Func[] | undefined, make: (name: string) => Func): Func {
    const fn = this.fn;
    const list = consumers === undefined ? undefined : Array.isArray(consumers) ? [...consumers] : [consumers as Func];
    if (list) {
      if (list.length === 0) throw new HalideError(`${api} of Func ${this.name} needs at least one consumer Func.`);
      for (const c of list) {
        if (!(c instanceof Func)) throw new HalideError(`${api} of Func ${this.name} takes Funcs, not ${String(c)}.`);
        if (c.fn === fn) throw new HalideError(`Func ${this.name} can't be wrapped for calls from itself.`);
      }
    }
    const keys = list ? list.map((c) => c.fn.name) : [""];
    const existing = keys.map((k) => fn.wrapper(k));
    if (existing[0] && existing.every((w) => w === existing[0])) return wrappers.get(existing[0])!;
    const suffix = list ? `_${api === "in" ? "in" : "clone_in"}_${list.map((c) => c.name).join("_")}` : "_global_wrapper";
    const w = make(`${this.name}${suffix}`);
    wrappers.set(w.fn, w);
    for (const k of keys) fn.setWrapper(k, w.fn);
    return w;
  }

  /**
   * Where this Func's storage lives: `hl.MemoryType.Stack` (in the function's frame, when its size is a small
   * compile-time constant), `Heap`, `Register`, or `Auto` (the default).
   *
   * @example
   * ```ts
   * f.computeAt(g, x).storeIn(hl.MemoryType.Stack);
   * ```
   */
  storeIn(memoryType: MemoryType): this {
    const fn = this.#definedFor("storeIn");
    if (!Object.values(MemoryType).includes(memoryType)) {
      throw new HalideError(`storeIn of Func ${this.name} needs an hl.MemoryType, not ${String(memoryType)}.`);
    }
    fn.setFuncSchedule({ ...fn.funcSchedule, memoryType });
    return this;
  }

  /**
   * Allocates this Func's storage at a loop outside its store level (or at a LoopLevel), once for all the
   * iterations in between, sized for the largest; it is still computed and stored as before.
   *
   * @example
   * ```ts
   * f.computeAt(g, x).hoistStorage(g, hl.Var.outermost());
   * ```
   */
  hoistStorage(f: Func | LoopLevel, v?: Var | RVar | RDom): this {
    const level = this.#level(f, v, "hoistStorage");
    this.fn.setFuncSchedule({ ...this.fn.funcSchedule, hoist: level.spec });
    return this;
  }
  /** {@link Func.hoistStorage} to the root of the pipeline. @example `f.computeAt(g, x).hoistStorageRoot()` */
  hoistStorageRoot(): this {
    return this.hoistStorage(LoopLevel.root());
  }

  #definedFor(what: string): FunctionDef {
    if (!this.fn.defined) throw new HalideError(`Func ${this.name} must be defined before calling ${what}.`);
    return this.fn;
  }

  #storageIndex(dims: readonly StorageDim[], v: Var, what: string): number {
    const i = v instanceof Var ? dims.findIndex((d) => d.var === v.name) : -1;
    if (i < 0) {
      throw new HalideError(
        `In schedule for ${this.name}, could not find var ${String((v as Var)?.name ?? v)} to ${what}; its ` +
          `storage dimensions are ${dims.map((d) => d.var).join(", ")}.`,
      );
    }
    return i;
  }

  #int32(e: ir.Expr, what: string): ir.Expr {
    if (!e.type.isIntOrUInt() || !Int(32).canRepresent(e.type)) {
      throw new HalideError(`In schedule for ${this.name}, ${what} must be an int32, not ${e.type}.`);
    }
    return cast(Int(32), e);
  }

  #level(f: Func | LoopLevel, v: Var | RVar | RDom | undefined, what: string): LoopLevel {
    if (!this.fn.defined) throw new HalideError(`Func ${this.name} must be defined before calling ${what}.`);
    if (f instanceof LoopLevel) return f;
    if (!(f instanceof Func) || !(v instanceof Var || v instanceof RVar || v instanceof RDom)) {
      throw new HalideError(`${this.name}.${what}(f, v) needs a Func and one of its Vars, or a LoopLevel.`);
    }
    if (f === this) throw new HalideError(`Func ${this.name} cannot be computed or stored inside its own loops.`);
    return new LoopLevel(f, v);
  }

  /**
   * The loop nest of the pipeline computing this Func, as text: loop order and kinds, and where each Func is
   * produced, stored and consumed.
   *
   * @example
   * ```ts
   * console.log(f.loopNest());
   * ```
   */
  loopNest(): string {
    if (!this.fn.defined) throw new HalideError(`Can't print the loop nest of undefined Func ${this.name}.`);
    return loopNestText(this.fn);
  }
  /** Prints {@link Func.loopNest} to standard output. @example `f.printLoopNest()` */
  printLoopNest(): void {
    console.log(this.loopNest());
  }

  /**
   * The output buffer of this Func when it is a pipeline's output, for constraints (`dim(0).setStride(undefined)`
   * clears the default dense-dimension-0 requirement).
   *
   * @example
   * ```ts
   * f.outputBuffer().dim(0).setStride(undefined);
   * ```
   */
  outputBuffer(): OutputImageParam {
    const fn = this.fn;
    if (!fn.defined) throw new HalideError(`Can't access output buffer of undefined Func ${this.name}.`);
    if (fn.outputTypes.length !== 1) {
      throw new HalideError(`Func ${this.name} is a Tuple; its outputs are ${fn.name}.0, ${fn.name}.1, … (not yet exposed).`);
    }
    return new OutputImageParam({
      name: fn.name,
      dimensions: fn.dimensions,
      constraints: () => fn.outputConstraints,
      setConstraints: (c) => fn.setOutputConstraints(c),
    });
  }

  /** The loop variables of the pure definition, innermost first. @example `f.splitVars()` */
  splitVars(): (Var | RVar)[] {
    return this.stage().splitVars();
  }

  /**
   * The definition as text, `f(x, y) = (x + y)` (Tuples as `{a, b}`), or `<undefined Func f>`.
   *
   * @example
   * ```ts
   * f.toString(); // "f(x, y) = (x + y)"
   * ```
   */
  toString(): string {
    if (!this.fn.defined) return `<undefined Func ${this.name}>`;
    const { args, values } = this.fn.pure;
    const rhs = values.length === 1 ? exprToString(values[0]) : `{${values.map(exprToString).join(", ")}}`;
    return `${this.name}(${args.join(", ")}) = ${rhs}`;
  }
}

/** The Func object of each wrapper's definition (so that asking again returns the same Func). */
const wrappers = new WeakMap<FunctionDef, Func>();

// ---------------------------------------------------------------------------------------------------------------
// evaluate

/** A scalar value read back from a pipeline. @example `const v: hl.Scalar = hl.evaluate(1);` */
export type Scalar = number | bigint | boolean;

/**
 * Computes an expression with no free variables and returns its value (`bigint` for 64-bit integers,
 * `boolean` for Bool); an array of expressions is evaluated as a Tuple and returns an array.
 *
 * @example
 * ```ts
 * hl.evaluate(hl.sqrt(2));          // 1.4142135381698608
 * hl.evaluate([hl.i64(1), true]);   // [1n, true]
 * ```
 */
export function evaluate(value: ExprLike): Scalar;
export function evaluate(values: readonly ExprLike[]): Scalar[];
export function evaluate(value: ExprLike | readonly ExprLike[]): Scalar | Scalar[] {
  const tuple = Array.isArray(value);
  const f = new Func(`evaluate_func_${tuple ? value.length : 1}`);
  f.at().set(value);
  const buffers = pipelineOf(f).realize([]);
  const read = (b: Buffer) => b.get([]) as Scalar;
  return tuple ? buffers.map(read) : read(buffers[0]);
}
