/**
 * The reference interpreter: evaluates IR expressions and Func definitions directly, with no schedule, using the
 * scalar semantics of `scalar.ts`. It is the oracle that compiled pipelines are property-tested against.
 *
 * - Scalars are {@link Value}s; a vector expression evaluates to an array with one Value per lane
 *   ({@link Interpreter.evalLanes}).
 * - A call to a Func evaluates the callee's pure definition at the call's coordinates (memoized per
 *   {@link Interpreter}, so stencils over stencils stay linear); a call to an image reads `image.get(coords)`.
 * - Free variables come from an environment ({@link Env}): a plain object or a Map from names to Values (or to
 *   arrays of lane Values for vector variables). A scalar parameter not in the environment is read from its
 *   `param.get()` when the parameter object has one (the language layer's `Param`).
 *
 * @example
 * ```ts
 * const x = variable(Int(32), "x");
 * evalExpr(arith("Div", x, i32Imm(-2)), { x: 7 }); // -3 (Euclidean)
 * ```
 *
 * @module
 */
import { HalideError } from "../error.ts";
import type { BufferSource, Call, Expr, FloatImm, IntImm, Variable } from "../ir/expr.ts";
import type { FunctionDef } from "../ir/function.ts";
import { Int, type Type } from "../ir/type.ts";
import { binaryOp, castValue, evalIntrinsic, reinterpretLanes, toValue, type Value } from "./scalar.ts";

export type { Value } from "./scalar.ts";

/**
 * Values of free variables by name: a {@link Value} for a scalar variable, an array of lane values for a vector
 * variable. Values are checked against (and converted to) the variable's type when read, so `3` works for an
 * Int(64) variable and `1` for a Bool.
 *
 * @example
 * ```ts
 * const env: Env = { x: 3, y: 4, v: [0, 1, 2, 3] };
 * ```
 */
export type Env = ReadonlyMap<string, Value | readonly Value[]> | { readonly [name: string]: Value | readonly Value[] };

/**
 * An input image the interpreter can read: a Buffer, or anything with its shape and a `get` (coordinates in
 * Halide order, dim 0 first).
 *
 * @example
 * ```ts
 * const ramp: ImageData = { name: "in", type: UInt(8), dimensions: 1, get: ([x]) => x & 255 };
 * ```
 */
export interface ImageData extends BufferSource {
  get(coords: number[]): Value;
}

/**
 * Options of an {@link Interpreter}.
 *
 * @example
 * ```ts
 * const options: InterpreterOptions = { env: { gain: 2.5 }, images: { input: someBuffer } };
 * ```
 */
export interface InterpreterOptions {
  /** Values of scalar parameters (and of any variable free in the evaluated expressions), by name. */
  readonly env?: Env;
  /** Image data by image name; takes precedence over the `image` object of Image calls (use it for ImageParams). */
  readonly images?: ReadonlyMap<string, ImageData> | { readonly [name: string]: ImageData };
}

/**
 * Let-bound and argument names visible at a point of evaluation (innermost first). `checked` entries hold
 * canonical lanes computed by the interpreter; the others hold user-supplied values, converted when read.
 */
interface Scope {
  readonly name: string;
  readonly lanes: readonly Value[];
  readonly checked: boolean;
  readonly parent: Scope | undefined;
}

/** Canonical values of constant nodes, converted once per node. */
const constants = new WeakMap<Expr, readonly Value[]>();
function constant(e: IntImm | FloatImm): readonly Value[] {
  let lanes = constants.get(e);
  if (lanes === undefined) constants.set(e, lanes = [toValue(e.type.elementOf(), e.value)]);
  return lanes;
}

function lookupIn<T>(
  m: ReadonlyMap<string, T> | { readonly [name: string]: T } | undefined,
  name: string,
): T | undefined {
  if (m === undefined) return undefined;
  if (m instanceof Map) return m.get(name);
  const o = m as { readonly [name: string]: T };
  return Object.hasOwn(o, name) ? o[name] : undefined;
}

function isValue(x: unknown): x is Value {
  return typeof x === "number" || typeof x === "bigint" || typeof x === "boolean";
}

/** Converts a user-supplied scalar or lane array to canonical lanes of type `t`. */
function toLanes(t: Type, raw: Value | readonly Value[], what: string): Value[] {
  const list: readonly Value[] = Array.isArray(raw) ? raw : [raw as Value];
  if (list.length !== t.lanes) {
    throw new HalideError(`${what} has type ${t}, but was given ${list.length} lane value(s).`);
  }
  const elem = t.elementOf();
  return list.map((v) => toValue(elem, v));
}

/** The lane `i` of an operand that is either a vector of `lanes` lanes or a scalar broadcast to it. */
function lane(values: readonly Value[], i: number): Value {
  return values.length === 1 ? values[0] : values[i];
}

/**
 * A memo table keyed by tuples of integers, as nested Maps (integer keys hash without building strings; a string
 * key per Func call dominated the interpreter's run time).
 */
class TupleMemo {
  readonly #root = new Map<number, unknown>();
  get(keys: readonly number[]): Value | undefined {
    let node: unknown = this.#root;
    for (const k of keys) {
      node = (node as Map<number, unknown>).get(k);
      if (node === undefined) return undefined;
    }
    return node as Value;
  }
  set(keys: readonly number[], v: Value): void {
    let node = this.#root;
    for (let i = 0; i < keys.length - 1; i++) {
      let next = node.get(keys[i]) as Map<number, unknown> | undefined;
      if (next === undefined) node.set(keys[i], next = new Map());
      node = next;
    }
    node.set(keys[keys.length - 1], v);
  }
}

/** `[f(0), …, f(n-1)]`. */
function lanewise(n: number, f: (i: number) => Value): Value[] {
  if (n === 1) return [f(0)];
  const out = new Array<Value>(n);
  for (let i = 0; i < n; i++) out[i] = f(i);
  return out;
}

/**
 * An evaluation session. Func values are memoized per session, so evaluate all points of a test with one
 * Interpreter; make a new one when parameter values or images change.
 *
 * @example
 * ```ts
 * const interp = new Interpreter({ env: { offset: 3 }, images: { input: buf } });
 * for (let x = 0; x < 100; x++) out[x] = interp.evalFunc(f.fn, [x])[0];
 * ```
 */
export class Interpreter {
  readonly #env: Env | undefined;
  readonly #images: InterpreterOptions["images"];
  /** Per Func: [valueIndex, ...coords] → value. */
  readonly #cache = new Map<FunctionDef, TupleMemo>();
  /** Funcs whose definitions are being evaluated (a pure definition cannot depend on itself). */
  readonly #active = new Set<FunctionDef>();
  /** Per Func with updates: [valueIndex, ...coords] → the value after all its updates. */
  readonly #finalCache = new Map<FunctionDef, TupleMemo>();
  /** Per Func with updates: `stage:slice` → the values that update wrote in that slice, by point. */
  readonly #slices = new Map<FunctionDef, Map<string, Map<string, Value[]>>>();
  /** The updates being run per Func (innermost last; running one needs earlier stages), and what each has written. */
  readonly #running = new Map<FunctionDef, { readonly stage: number; readonly written: Map<string, Value[]> }[]>();

  constructor(options: InterpreterOptions = {}) {
    this.#env = options.env;
    this.#images = options.images;
  }

  /**
   * Evaluates a scalar expression. `locals` binds additional free variables (e.g. the pure variables of a
   * definition) on top of the session's environment.
   *
   * @example
   * ```ts
   * new Interpreter().evalExpr(arith("Add", intImm(UInt(8), 200), intImm(UInt(8), 100))); // 44
   * ```
   */
  evalExpr(e: Expr, locals?: Env): Value {
    if (e.type.lanes !== 1) {
      throw new HalideError(`evalExpr evaluates scalars; ${e.type} has ${e.type.lanes} lanes (use evalLanes).`);
    }
    return this.evalLanes(e, locals)[0];
  }

  /**
   * Evaluates an expression of any lane count to one Value per lane.
   *
   * @example
   * ```ts
   * new Interpreter().evalLanes(ramp(i32Imm(10), i32Imm(-1), 4)); // [10, 9, 8, 7]
   * ```
   */
  evalLanes(e: Expr, locals?: Env): Value[] {
    let scope: Scope | undefined;
    if (locals !== undefined) {
      const entries = locals instanceof Map ? [...locals] : Object.entries(locals);
      // Locals are converted to the variable's type when read (conversion is idempotent on canonical values).
      for (const [name, raw] of entries) {
        scope = { name, lanes: Array.isArray(raw) ? raw : [raw as Value], checked: false, parent: scope };
      }
    }
    return [...this.#eval(e, scope)];
  }

  /**
   * Evaluates the pure definition of `fn` at integer coordinates `coords` (one per dimension), returning one
   * Value per Tuple element.
   *
   * @example
   * ```ts
   * const fn = new FunctionDef("f");
   * fn.define(["x"], [arith("Mul", variable(Int(32), "x"), i32Imm(2))]);
   * new Interpreter().evalFunc(fn, [21]); // [42]
   * ```
   */
  evalFunc(fn: FunctionDef, coords: readonly number[]): Value[] {
    const { args, values } = fn.pure;
    if (coords.length !== args.length) {
      throw new HalideError(
        `Func ${fn.name} has ${args.length} dimension(s) but was evaluated at ${coords.length} coordinate(s).`,
      );
    }
    const xs = coords.map((c) => toValue(Int(32), c) as number);
    return values.map((_, i) => this.#funcValue(fn, i, xs));
  }

  /**
   * The value `valueIndex` of `fn` at `coords`, memoized: the pure definition's, or for a Func with update
   * definitions the value after all of them (see {@link Interpreter.#stageValues}). While an update of `fn` is
   * being run, its reads of `fn` see the values written so far.
   */
  #funcValue(fn: FunctionDef, valueIndex: number, coords: readonly number[]): Value {
    if (fn.updates.length === 0) return this.#pureValue(fn, valueIndex, coords);
    const running = this.#running.get(fn)?.at(-1);
    if (running) return (running.written.get(coords.join(",")) ?? this.#stageValues(fn, running.stage - 1, coords))[valueIndex];
    let memo = this.#finalCache.get(fn);
    if (memo === undefined) this.#finalCache.set(fn, memo = new TupleMemo());
    const key = [valueIndex, ...coords];
    const hit = memo.get(key);
    if (hit !== undefined) return hit;
    const v = this.#stageValues(fn, fn.updates.length, coords)[valueIndex];
    memo.set(key, v);
    return v;
  }

  /** The value `valueIndex` of `fn`'s pure definition at `coords`, memoized. */
  #pureValue(fn: FunctionDef, valueIndex: number, coords: readonly number[]): Value {
    let perFunc = this.#cache.get(fn);
    if (perFunc === undefined) this.#cache.set(fn, perFunc = new TupleMemo());
    const key = [valueIndex, ...coords];
    const hit = perFunc.get(key);
    if (hit !== undefined) return hit;
    const { args, values } = fn.pure;
    const def = values[valueIndex];
    if (def === undefined) throw new HalideError(`Func ${fn.name} has no value ${valueIndex}.`);
    if (this.#active.has(fn)) throw new HalideError(`The definition of Func ${fn.name} depends on itself.`);
    let scope: Scope | undefined;
    args.forEach((name, i) => (scope = { name, lanes: [coords[i]], checked: true, parent: scope }));
    this.#active.add(fn);
    try {
      const v = this.#eval(def, scope)[0];
      perFunc.set(key, v);
      return v;
    } finally {
      this.#active.delete(fn);
    }
  }

  /**
   * The values of `fn` at `coords` after stage `stage` (0: the pure definition, `k`: update `k - 1`). An update
   * is run, in order over its whole reduction domain, on the slice of points that share `coords` at its pure
   * variables' positions (its reads of `fn` stay in that slice, as Halide requires); slices are memoized.
   */
  #stageValues(fn: FunctionDef, stage: number, coords: readonly number[]): Value[] {
    if (stage === 0) return fn.pure.values.map((_, i) => this.#pureValue(fn, i, coords));
    const u = fn.updates[stage - 1];
    const pure = u.args.map((a, i) => a.kind === "Variable" && !a.param && !a.rdom && a.name === fn.args[i]);
    const sliceKey = `${stage}:${coords.map((c, i) => (pure[i] ? c : "*")).join(",")}`;
    let slices = this.#slices.get(fn);
    if (slices === undefined) this.#slices.set(fn, slices = new Map());
    let written = slices.get(sliceKey);
    if (written === undefined) {
      written = this.#runUpdate(fn, stage, coords, pure);
      slices.set(sliceKey, written);
    }
    return written.get(coords.join(",")) ?? this.#stageValues(fn, stage - 1, coords);
  }

  /** Runs update `stage - 1` of `fn` on the slice through `coords`; returns the values it wrote, by point. */
  #runUpdate(fn: FunctionDef, stage: number, coords: readonly number[], pure: readonly boolean[]): Map<string, Value[]> {
    const u = fn.updates[stage - 1];
    const written = new Map<string, Value[]>();
    let stack = this.#running.get(fn);
    if (stack === undefined) this.#running.set(fn, stack = []);
    stack.push({ stage, written });
    try {
      let base: Scope | undefined;
      fn.args.forEach((name, i) => {
        if (pure[i]) base = { name, lanes: [coords[i]], checked: true, parent: base };
      });
      const vars = u.rdom?.vars ?? [];
      const run = (scope: Scope | undefined) => {
        if (u.rdom && this.#eval(u.rdom.predicate, scope)[0] !== true) return;
        const at = u.args.map((a) => this.#eval(a, scope)[0] as number);
        const values = u.values.map((v) => this.#eval(v, scope)[0]);
        written.set(at.join(","), values);
      };
      // The outermost reduction variable is the last one; each loop's bounds may use the outer variables.
      const loop = (d: number, scope: Scope | undefined): void => {
        if (d < 0) return run(scope);
        const min = this.#eval(vars[d].min, scope)[0] as number, extent = this.#eval(vars[d].extent, scope)[0] as number;
        for (let i = min; i < min + extent; i++) loop(d - 1, { name: vars[d].name, lanes: [i], checked: true, parent: scope });
      };
      loop(vars.length - 1, base);
      return written;
    } finally {
      stack.pop();
    }
  }

  /** Evaluates `e` to lanes in `scope`. */
  #eval(e: Expr, scope: Scope | undefined): readonly Value[] {
    const ev = (x: Expr): readonly Value[] => this.#eval(x, scope);
    const elem = e.type.elementOf();
    const n = e.type.lanes;
    switch (e.kind) {
      case "IntImm":
      case "FloatImm":
        return constant(e);
      case "StringImm":
        throw new HalideError(`The interpreter cannot evaluate the string "${e.value}" as a value.`);
      case "Cast": {
        const from = e.value.type.elementOf();
        return ev(e.value).map((v) => castValue(elem, from, v));
      }
      case "Reinterpret":
        return reinterpretLanes(elem, e.value.type.elementOf(), ev(e.value));
      case "Add":
      case "Sub":
      case "Mul":
      case "Div":
      case "Mod":
      case "Min":
      case "Max":
      case "EQ":
      case "NE":
      case "LT":
      case "LE":
      case "GT":
      case "GE": {
        const a = ev(e.a), b = ev(e.b), t = e.a.type.elementOf();
        return lanewise(n, (i) => binaryOp(e.kind, t, lane(a, i), lane(b, i)));
      }
      case "And":
      case "Or": {
        const a = ev(e.a), b = ev(e.b), and = e.kind === "And";
        return lanewise(
          n,
          (i) => and ? lane(a, i) === true && lane(b, i) === true : lane(a, i) === true || lane(b, i) === true,
        );
      }
      case "Not":
        return ev(e.a).map((v) => v !== true);
      case "Select": {
        const c = ev(e.cond), t = ev(e.trueValue), f = ev(e.falseValue);
        return lanewise(n, (i) => (lane(c, i) === true ? lane(t, i) : lane(f, i)));
      }
      case "Variable":
        return this.#lookup(e, scope);
      case "Let":
        return this.#eval(e.body, { name: e.name, lanes: ev(e.value), checked: true, parent: scope });
      case "Load":
        throw new HalideError(
          `The interpreter evaluates algorithms, not lowered code: cannot evaluate Load of ${e.name}.`,
        );
      case "Ramp": {
        // Lane i*w + j is base[j] + i*stride[j] (w = lanes of base), computed in the element type.
        const base = ev(e.base), stride = ev(e.stride), w = base.length;
        return lanewise(n, (k) => {
          const i = castValue(elem, Int(32), Math.floor(k / w));
          return binaryOp("Add", elem, base[k % w], binaryOp("Mul", elem, i, stride[k % w]));
        });
      }
      case "Broadcast": {
        const v = ev(e.value);
        return lanewise(n, (k) => v[k % v.length]);
      }
      case "Shuffle": {
        const all = e.vectors.flatMap(ev);
        return e.indices.map((i) => {
          if (i < 0 || i >= all.length) throw new HalideError(`Shuffle index ${i} is out of range [0, ${all.length}).`);
          return all[i];
        });
      }
      case "VectorReduce": {
        const v = ev(e.value), factor = v.length / n;
        if (!Number.isInteger(factor)) {
          throw new HalideError(
            `VectorReduce of ${v.length} lanes to ${n} lanes: not a whole number of lanes per result.`,
          );
        }
        const op = e.op;
        const combine = op === "And"
          ? (a: Value, b: Value) => a === true && b === true
          : op === "Or"
          ? (a: Value, b: Value) => a === true || b === true
          : (a: Value, b: Value) => binaryOp(op, elem, a, b);
        return lanewise(n, (i) => v.slice(i * factor, (i + 1) * factor).reduce(combine));
      }
      case "Call":
        return this.#call(e, ev);
    }
  }

  #lookup(v: Variable, scope: Scope | undefined): readonly Value[] {
    // A Param is never a let or loop variable, even when it shares a name with one.
    const scoped = !(v.param && !v.param.bufferField);
    for (let s = scoped ? scope : undefined; s !== undefined; s = s.parent) {
      if (s.name === v.name) return s.checked ? s.lanes : toLanes(v.type, s.lanes, `Variable ${v.name}`);
    }
    const global = lookupIn(this.#env, v.name);
    if (global !== undefined) return toLanes(v.type, global, `Variable ${v.name}`);
    const param = v.param as { get?: unknown } | undefined;
    if (param !== undefined && typeof param.get === "function") {
      const value: unknown = param.get();
      if (isValue(value)) return toLanes(v.type, value, `Parameter ${v.name}`);
    }
    throw new HalideError(`The interpreter has no value for ${v.param ? "parameter" : "variable"} ${v.name}.`);
  }

  #call(e: Call, ev: (x: Expr) => readonly Value[]): readonly Value[] {
    const n = e.type.lanes;
    switch (e.callType) {
      case "Intrinsic":
        // Every impure intrinsic (print, require, random, undef) is beyond the interpreter: report it by name
        // before evaluating arguments such as message strings.
        return [evalIntrinsic(e.name, e.type, [], [])];
      case "PureIntrinsic": {
        if (e.name === "if_then_else" && e.args.length === 3) {
          // Evaluate only the operand(s) some lane chooses, so that e.g. a print in the other one is not reached.
          const cond = ev(e.args[0]);
          if (cond.every((c) => c === true)) return lanewise(n, (i) => lane(ev(e.args[1]), i));
          if (cond.every((c) => c !== true)) return lanewise(n, (i) => lane(ev(e.args[2]), i));
        }
        const args = e.args.map(ev), types = e.args.map((a) => a.type);
        return lanewise(n, (i) => evalIntrinsic(e.name, e.type, types, args.map((a) => lane(a, i))));
      }
      case "Halide": {
        const fn = e.func;
        if (fn === undefined) throw new HalideError(`Call to ${e.name} has no Func definition attached.`);
        const args = e.args.map(ev);
        return lanewise(n, (i) => this.#funcValue(fn, e.valueIndex, args.map((a) => Number(lane(a, i)))));
      }
      case "Image": {
        const image = lookupIn(this.#images, e.name) ?? ((e.image?.bound ? e.image.bound() : e.image) as ImageData | undefined);
        if (image === undefined || typeof image.get !== "function") {
          throw new HalideError(`The interpreter has no data for image ${e.name}; pass it in the images option.`);
        }
        const args = e.args.map(ev);
        return lanewise(n, (i) => {
          const coords = args.map((a) => Number(lane(a, i)));
          const raw: unknown = image.get(coords);
          if (!isValue(raw)) {
            throw new HalideError(`Image ${e.name} returned a non-scalar value at [${coords.join(", ")}].`);
          }
          return toValue(e.type.elementOf(), raw);
        });
      }
      case "Extern":
      case "PureExtern":
        throw new HalideError(`The interpreter cannot call the extern function ${e.name}.`);
    }
  }
}

/**
 * Evaluates a scalar expression whose free variables and parameters are bound by `env`.
 *
 * @example
 * ```ts
 * const x = variable(Int(32), "x");
 * evalExpr(arith("Mod", x, i32Imm(3)), { x: -7 }); // 2
 * ```
 */
export function evalExpr(e: Expr, env: Env = {}, images?: InterpreterOptions["images"]): Value {
  return new Interpreter({ env, images }).evalExpr(e);
}

/**
 * Evaluates an expression of any lane count to one Value per lane.
 *
 * @example
 * ```ts
 * evalLanes(broadcast(i32Imm(7), 3)); // [7, 7, 7]
 * ```
 */
export function evalLanes(e: Expr, env: Env = {}, images?: InterpreterOptions["images"]): Value[] {
  return new Interpreter({ env, images }).evalLanes(e);
}

/**
 * Evaluates the pure definition of `fn` at `coords`: one Value per Tuple element. `env` binds parameters. For many
 * points, use one {@link Interpreter} so that values of called Funcs are shared.
 *
 * @example
 * ```ts
 * evalFunc(blur.fn, [10, 20], {}, { input: buf }); // [the blurred value at (10, 20)]
 * ```
 */
export function evalFunc(
  fn: FunctionDef,
  coords: readonly number[],
  env: Env = {},
  images?: InterpreterOptions["images"],
): Value[] {
  return new Interpreter({ env, images }).evalFunc(fn, coords);
}
