/**
 * `Callable`: a compiled pipeline as a plain function of its arguments, in the order given at compile time or by
 * name. Buffers follow the array axis rules (an `hl.Buffer` passes as it is, with its mins; any other array is
 * wrapped with its axes reversed); scalars are checked against and converted to the argument's type.
 *
 * @module
 */
import { HalideError } from "../error.ts";
import type { Type } from "../ir/type.ts";
import { CallFrame } from "./args.ts";
import { Buffer, type ElementValue, type NdArrayLike, type TypedArray } from "./buffer.ts";

/** One argument of a Callable as the caller sees it. */
export interface CallableArgument {
  readonly name: string;
  readonly kind: "scalar" | "buffer";
  readonly type: Type;
  readonly dimensions: number;
  readonly isOutput: boolean;
}

/** What a Callable needs from compiled code: its arguments in calling order, and the entry point. */
export interface CallableTarget {
  readonly name: string;
  /** Every argument of the native code; those with `fixed` set are bound at compile time and hidden from callers. */
  readonly args: readonly (CallableArgument & { readonly fixed?: Buffer })[];
  call(argv: BigUint64Array): number;
}

/**
 * A compiled pipeline as a function: `callable(in1, param, out)` positionally, or
 * `callable.call([in1], { scale: 2, out })` mixing positional and named arguments. Output buffers are named
 * after their Func. Throws a HalideError for a wrong count, an unknown or repeated name, a value of the wrong type,
 * or a failure inside the pipeline.
 *
 * @example
 * ```ts
 * const brighten = f.compileToCallable([input, gain]);
 * brighten(inBuf, 1.5, outBuf);
 * brighten.call([inBuf], { gain: 2, f: outBuf });
 * ```
 */
export interface Callable {
  (...args: unknown[]): void;
  /** Calls with positional arguments followed by named ones (Python's keyword arguments). */
  call(positional: readonly unknown[], named?: Readonly<Record<string, unknown>>): void;
  /** The arguments, in positional order (inputs as given at compile time, then the outputs), by public name. */
  readonly arguments: readonly CallableArgument[];
}

/**
 * Makes a Callable over compiled code `target`: callers pass the arguments that are not fixed, in order.
 *
 * @example
 * ```ts
 * const c = makeCallable({ name: "f", call: jp.call, args: [{ name: "f", kind: "buffer", type, dimensions: 2, isOutput: true }] });
 * ```
 */
export function makeCallable(target: CallableTarget): Callable {
  const fixed = target.args.flatMap((a, i) => (a.fixed ? [[i, a.fixed] as const] : []));
  const nativeIndex = target.args.flatMap((a, i) => (a.fixed ? [] : [i]));
  const args: readonly CallableArgument[] = nativeIndex.map((i) => target.args[i]);
  const scalars = args.map((a) => (a.kind === "scalar" ? Buffer.makeScalar(a.type, a.name) : undefined));
  const frame = new CallFrame(target.args.length);
  const byName = new Map(args.map((a, i) => [publicName(a.name), i]));

  const run = (values: readonly unknown[]) => {
    for (const [i, b] of fixed) frame.setBuffer(i, b);
    values.forEach((v, i) => {
      const bound = bind(args[i], v, scalars[i]);
      if (args[i].kind === "scalar") frame.setScalar(nativeIndex[i], bound);
      else frame.setBuffer(nativeIndex[i], bound);
    });
    frame.run(target.call, target.name);
  };

  const callable = ((...values: unknown[]) => {
    if (values.length !== args.length) {
      throw new HalideError(`Expected exactly ${args.length} positional arguments, but saw ${values.length}.`);
    }
    run(values);
  }) as Callable;
  Object.defineProperty(callable, "call", {
    value: (positional: readonly unknown[], named: Readonly<Record<string, unknown>> = {}) => {
      if (positional.length > args.length) {
        throw new HalideError(`Expected at most ${args.length} positional arguments, but saw ${positional.length}.`);
      }
      const values: unknown[] = [...positional];
      const given = new Set(positional.map((_, i) => i));
      for (const [key, value] of Object.entries(named)) {
        const i = byName.get(key);
        if (i === undefined) throw new HalideError(`Unknown argument '${key}' specified via keyword.`);
        if (given.has(i)) throw new HalideError(`Argument ${key} specified multiple times.`);
        given.add(i);
        values[i] = value;
      }
      args.forEach((a, i) => {
        if (!given.has(i)) {
          throw new HalideError(`Argument ${publicName(a.name)} was not specified by either positional or keyword argument.`);
        }
      });
      run(values);
    },
  });
  Object.defineProperty(callable, "arguments", { value: args.map(({ name, kind, type, dimensions, isOutput }) => ({ name: publicName(name), kind, type, dimensions, isOutput })) });
  return callable;
}

/** The name callers use: without the `$n` suffix that makes argument names unique. */
function publicName(name: string): string {
  return name.replace(/\$\d+$/, "");
}

function isNdArrayLike(v: unknown): v is NdArrayLike | TypedArray {
  return ArrayBuffer.isView(v) || (typeof v === "object" && v !== null && "data" in v && "shape" in v);
}

/** Converts `value` for argument `a` (`slot` holds a scalar's value). */
function bind(a: CallableArgument, value: unknown, slot: Buffer | undefined): Buffer {
  const name = publicName(a.name);
  if (a.kind === "scalar") {
    storeScalar(slot!, value, `Argument ${name}`);
    return slot!;
  }
  let b: Buffer;
  if (value instanceof Buffer) b = value;
  else if (isNdArrayLike(value)) b = Buffer.from(value);
  else throw new HalideError(`Argument ${name} must be an hl.Buffer or an array, not ${describe(value)}.`);
  const kind = a.isOutput ? "Output" : "Input";
  if (!b.type.equals(a.type)) {
    throw new HalideError(`${kind} buffer ${name} has type ${a.type} but type of the buffer passed in is ${b.type}`);
  }
  if (b.dimensions !== a.dimensions) {
    throw new HalideError(
      `${kind} buffer ${name} requires a buffer of exactly ${a.dimensions} dimensions, but the buffer passed in has ${b.dimensions} dimensions`,
    );
  }
  return b;
}

/**
 * Stores `value` in the 0-dimensional Buffer `slot` (a scalar argument's memory), checked against its type; a value
 * the type cannot hold is a HalideError naming `owner`.
 *
 * @example
 * ```ts
 * storeScalar(Buffer.makeScalar(hl.UInt(8)), 300, "Param level"); // HalideError: … can't hold the value 300.
 * ```
 */
export function storeScalar(slot: Buffer, value: unknown, owner: string): void {
  const ok = typeof value === "number" || typeof value === "bigint" || typeof value === "boolean";
  try {
    if (!ok) throw new Error();
    slot.set([], value as ElementValue);
  } catch {
    throw new HalideError(`${owner} of type ${slot.type} can't hold the value ${describe(value)}.`);
  }
}

function describe(v: unknown): string {
  if (typeof v === "string") return JSON.stringify(v);
  if (typeof v === "bigint") return `${v}n`;
  if (typeof v === "object" && v !== null) return `an object of class ${v.constructor?.name ?? "Object"}`;
  return String(v);
}
