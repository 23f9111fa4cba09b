// Shared machinery of the JIT property tests: each case JIT-compiles ONE pipeline `f(x) = op(a(x), b(x), …)` over
// 1-D input Buffers filled with fast-check-generated values (fixed seeds, edge values first), realizes it, and
// compares every element with the reference interpreter evaluating the same Func (src/interp), under the
// exactness rule of the pipeline's root operation (src/interp/exactness.ts): inputs where `defined` is false are
// computed (they must not crash) but not compared. A failing case throws an Error whose message is a minimal
// reproduction: the operation, the types, the failing input values (with float bit patterns), the expected and the
// native value, and whether the first failing input alone, in a fresh one-element pipeline, fails the same way.
import fc from "fast-check";
import * as hl from "../../mod.ts";
import { Interpreter } from "../../src/interp/eval.ts";
import { type Exactness, exactness, type OperationName, withinTolerance } from "../../src/interp/exactness.ts";
import { roundFloat, type Value, valueFromBits, valueToBits } from "../../src/interp/scalar.ts";
import type { Expr as IRExpr } from "../../src/ir/expr.ts";
import { visitStmt } from "../../src/ir/mutate.ts";
import { lowerPipeline } from "../../src/lower/lower.ts";

export type { Value };

// ---------------------------------------------------------------------------------------------------------------
// Types

export const BOOL = hl.Bool();
export const U8 = hl.UInt(8), U16 = hl.UInt(16), U32 = hl.UInt(32), U64 = hl.UInt(64);
export const I8 = hl.Int(8), I16 = hl.Int(16), I32 = hl.Int(32), I64 = hl.Int(64);
export const F16 = hl.Float(16), F32 = hl.Float(32), F64 = hl.Float(64);

export const UINT_TYPES: readonly hl.Type[] = [U8, U16, U32, U64];
export const SINT_TYPES: readonly hl.Type[] = [I8, I16, I32, I64];
export const INT_TYPES: readonly hl.Type[] = [...UINT_TYPES, ...SINT_TYPES];
export const FLOAT_TYPES: readonly hl.Type[] = [F16, F32, F64];
export const NUMERIC_TYPES: readonly hl.Type[] = [...INT_TYPES, ...FLOAT_TYPES];
/** Every scalar type the code generator supports (bfloat16 is not one of them). */
export const ALL_TYPES: readonly hl.Type[] = [BOOL, ...NUMERIC_TYPES];

/** Number of random elements per input column (edge values and edge combinations come on top). */
export const N_RANDOM = 240;

/** A fixed seed per case label (FNV-1a), so every case sees different but reproducible values. */
export function seedOf(label: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < label.length; i++) h = Math.imul(h ^ label.charCodeAt(i), 0x01000193);
  return h >>> 0;
}

/** `n` values of `arb`, reproducibly (fast-check with a fixed seed). */
export function sample<T>(arb: fc.Arbitrary<T>, n: number, seed: number): T[] {
  return fc.sample(arb, { seed, numRuns: n });
}

// ---------------------------------------------------------------------------------------------------------------
// Values

/** The canonical Value of type `t` for an exact integer (number for ≤ 32 bits, bigint above, boolean for Bool). */
export function intValue(t: hl.Type, v: bigint): Value {
  if (t.isBool()) return (v & 1n) === 1n;
  return t.bits > 32 ? v : Number(v);
}

/** The value of float type `t` with bit pattern `bits`. */
export function floatFromBits(t: hl.Type, bits: bigint): number {
  return valueFromBits(t, bits) as number;
}

/** Interesting integers of type `t`: the extremes, 0, ±1, 2, and powers of two with their neighbours. */
export function intEdges(t: hl.Type): bigint[] {
  if (t.isBool()) return [0n, 1n];
  const lo = t.minInt(), hi = t.maxInt();
  const out = [0n, 1n, 2n, hi, hi - 1n, lo, lo + 1n, 7n, hi / 2n, hi / 2n + 1n];
  if (t.isInt()) out.push(-1n, -2n, -7n, lo / 2n, lo / 2n - 1n);
  return [...new Set(out)].filter((v) => v >= lo && v <= hi);
}

/** Random integers of type `t`, biased toward the edges of its range, small values, and powers of two. */
export function intArb(t: hl.Type): fc.Arbitrary<bigint> {
  if (t.isBool()) return fc.bigInt({ min: 0n, max: 1n });
  const lo = t.minInt(), hi = t.maxInt();
  const clampTo = (v: bigint) => (v < lo ? lo : v > hi ? hi : v);
  return fc.oneof(
    { weight: 4, arbitrary: fc.bigInt({ min: lo, max: hi }) },
    { weight: 1, arbitrary: fc.constantFrom(...intEdges(t)) },
    { weight: 2, arbitrary: fc.bigInt({ min: clampTo(-40n), max: clampTo(40n) }) },
    {
      weight: 2,
      arbitrary: fc.tuple(fc.integer({ min: 0, max: t.bits - 1 }), fc.constantFrom(-1n, 0n, 1n), fc.boolean())
        .map(([k, d, neg]) => clampTo((neg && t.isInt() ? -1n : 1n) * (1n << BigInt(k)) + d)),
    },
  );
}

/** Special values of every float type. */
const FLOAT_SPECIALS = [0, -0, 1, -1, 2, -2, 0.5, -0.5, 1.5, -1.5, 2.5, -2.5, 3.5, NaN, Infinity, -Infinity];

/** Largest finite value, smallest normal and smallest subnormal of a float type. */
export function floatLimits(t: hl.Type): { max: number; minNormal: number; minSub: number } {
  if (t.bits === 16) return { max: 65504, minNormal: 2 ** -14, minSub: 2 ** -24 };
  if (t.bits === 32) return { max: 3.4028234663852886e38, minNormal: 2 ** -126, minSub: 2 ** -149 };
  return { max: Number.MAX_VALUE, minNormal: 2 ** -1022, minSub: Number.MIN_VALUE };
}

/** Edge values of float type `t`: specials, extremes, subnormals, and the integer-range boundaries casts care about. */
export function floatEdges(t: hl.Type): number[] {
  const { max, minNormal, minSub } = floatLimits(t);
  const base = [
    ...FLOAT_SPECIALS.slice(0, 8),
    minSub,
    max,
    -max,
    ...FLOAT_SPECIALS.slice(8),
    minNormal,
    -minNormal,
    -minSub,
    minNormal - minSub,
    255.5,
    -128.5,
    65504,
    -65504,
    2 ** 31,
    -(2 ** 31),
    2 ** 31 - 1,
    2 ** 32,
    2 ** 63,
    -(2 ** 63),
    2 ** 64,
    0.49999997,
    -0.49999997,
    1e-3,
  ];
  return [...new Set(base.map((v) => roundFloat(t, v)))];
}

/** Random doubles spanning every magnitude (random bit patterns) plus ordinary values, rounded to `t`. */
export function floatArb(t: hl.Type, range?: { min: number; max: number }): fc.Arbitrary<number> {
  const r = (v: number) => roundFloat(t, v);
  if (range) {
    return fc.oneof(
      { weight: 6, arbitrary: fc.double({ min: range.min, max: range.max, noNaN: true }).map(r) },
      { weight: 1, arbitrary: fc.constantFrom(...floatEdges(t).filter((v) => v >= range.min && v <= range.max)) },
      { weight: 1, arbitrary: fc.integer({ min: Math.ceil(range.min), max: Math.floor(range.max) }).map(r) },
    );
  }
  const bitsArb = t.bits === 16
    ? fc.integer({ min: 0, max: 0xffff }).map((b) => floatFromBits(t, BigInt(b)))
    : t.bits === 32
    ? fc.integer({ min: 0, max: 0xffffffff }).map((b) => floatFromBits(t, BigInt(b)))
    : fc.bigInt({ min: 0n, max: 2n ** 64n - 1n }).map((b) => floatFromBits(t, b));
  const { max } = floatLimits(t);
  return fc.oneof(
    { weight: 2, arbitrary: bitsArb },
    { weight: 1, arbitrary: fc.constantFrom(...floatEdges(t)) },
    { weight: 3, arbitrary: fc.double({ min: -1000, max: 1000, noNaN: true }).map(r) },
    { weight: 1, arbitrary: fc.integer({ min: -70000, max: 70000 }).map((k) => r(k + 0.5)) },
    { weight: 1, arbitrary: fc.double({ min: -max, max, noNaN: true }).map(r) },
    { weight: 1, arbitrary: fc.double({ min: -1, max: 1, noNaN: true }).map((v) => r(v * floatLimits(t).minNormal)) },
  );
}

/** Random values (as canonical Values) of any supported scalar type. */
export function valueArb(t: hl.Type): fc.Arbitrary<Value> {
  if (t.isFloat()) return floatArb(t);
  return intArb(t).map((v) => intValue(t, v));
}

/** Edge values of any supported scalar type. */
export function edgeValues(t: hl.Type): Value[] {
  if (t.isFloat()) return floatEdges(t);
  return intEdges(t).map((v) => intValue(t, v));
}

/** An input column: its type and one value per element. */
export interface Column {
  readonly type: hl.Type;
  readonly values: readonly Value[];
}

/**
 * Columns for an operation on `types` (one per operand): first the cross product of the operands' edge values
 * (capped), then `N_RANDOM` random rows; with `equalBias`, a later operand sometimes repeats the first one (so
 * comparisons and min/max see ties, and subtraction sees zero).
 */
export function columns(
  label: string,
  types: readonly hl.Type[],
  opts: {
    arbs?: readonly (fc.Arbitrary<Value> | undefined)[];
    edges?: readonly (readonly Value[] | undefined)[];
    equalBias?: boolean;
    n?: number;
  } = {},
): Column[] {
  const seed = seedOf(label);
  const edges = types.map((t, i) => opts.edges?.[i] ?? edgeValues(t));
  // Cross product of edges, at most ~576 rows (a prefix of each list for 2+ operands).
  const rows: Value[][] = [];
  const limit = types.length <= 1 ? 1000 : Math.max(2, Math.floor(576 ** (1 / types.length)));
  const cross = (i: number, acc: Value[]) => {
    if (i === types.length) return void rows.push(acc);
    for (const v of edges[i].slice(0, limit)) cross(i + 1, [...acc, v]);
  };
  cross(0, []);
  const n = opts.n ?? N_RANDOM;
  const random = types.map((t, i) => sample(opts.arbs?.[i] ?? valueArb(t), n, seed + 7919 * i));
  const ties = opts.equalBias ? sample(fc.integer({ min: 0, max: 5 }), n, seed + 13) : [];
  for (let k = 0; k < n; k++) {
    rows.push(types.map((t, i) => {
      const v = random[i][k];
      // Equal operands when the types agree (one row in six).
      if (i > 0 && opts.equalBias && ties[k] === 0 && t.equals(types[0])) return random[0][k];
      return v;
    }));
  }
  return types.map((t, i) => ({ type: t, values: rows.map((r) => r[i]) }));
}

// ---------------------------------------------------------------------------------------------------------------
// Formatting

/** Hexadecimal bit pattern of a float value of type `t` (NaN: canonical). */
function hexBits(t: hl.Type, v: number): string {
  return `0x${valueToBits(t, v).toString(16).padStart(t.bits / 4, "0")}`;
}

/** A Value for a message: bigints with `n`, -0 as "-0", floats with their bit pattern. */
export function fmt(t: hl.Type, v: Value | undefined): string {
  if (v === undefined) return "undefined";
  if (typeof v === "bigint") return `${v}n`;
  if (typeof v === "boolean") return String(v);
  if (t.isFloat()) return `${Object.is(v, -0) ? "-0" : String(v)} (${hexBits(t, v)})`;
  return String(v);
}

// ---------------------------------------------------------------------------------------------------------------
// Running a case

/** The description of one property case: an operation on typed input columns. */
export interface Case {
  /** e.g. "add uint8 uint8" (also the seed of its random values). */
  readonly label: string;
  readonly inputs: readonly Column[];
  /** The pipeline's value from the inputs at x (`a.at(x)`, …). */
  readonly build: (args: hl.Expr[]) => hl.ExprLike;
  /** The rule applied to the root node (default: `exactness[root operation]`). */
  readonly rule?: Exactness;
  /** `f.vectorize(x, lanes)` (the default schedule otherwise). */
  readonly vectorize?: number;
  /** Compare against this reference instead of the interpreter (args: input values of the row). */
  readonly reference?: (row: readonly Value[]) => Value;
  /**
   * The operation the root of the pipeline must be (an IR node kind or intrinsic name), checked so that the
   * language layer cannot silently build a different operation that the interpreter would then agree with.
   */
  readonly op?: string;
  /** Rows (input values) to leave uncompared, beyond the root rule's `defined` (e.g. outside an approximation's domain). */
  readonly skipRow?: (row: readonly Value[]) => boolean;
}

/** The scalar values of one input row and what both sides computed. */
export interface Mismatch {
  readonly index: number;
  readonly row: readonly Value[];
  readonly rootArgs: readonly Value[];
  readonly expected: Value;
  readonly actual: Value;
}

/** The outcome of a case: the compiled Func, the native output and the mismatching elements. */
export interface Outcome {
  readonly func: hl.Func;
  readonly output: hl.Buffer;
  readonly resultType: hl.Type;
  readonly op: string;
  readonly mismatches: readonly Mismatch[];
  /** Number of elements compared (those where the operation is defined). */
  readonly compared: number;
}

let funcCounter = 0;

/** The operation name of an IR node, as the exactness table names it. */
export function opName(e: IRExpr): OperationName {
  return (e.kind === "Call" ? e.name : e.kind) as OperationName;
}

/** The direct operands of an IR node (whose values the `defined` predicates take). */
function operandsOf(e: IRExpr): IRExpr[] {
  switch (e.kind) {
    case "Call":
      return [...e.args];
    case "Cast":
    case "Reinterpret":
      return [e.value];
    case "Not":
      return [e.a];
    case "Select":
      return [e.cond, e.trueValue, e.falseValue];
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
    case "GE":
    case "And":
    case "Or":
      return [e.a, e.b];
    default:
      return [];
  }
}

/** Input buffers holding the columns. */
function makeInputs(inputs: readonly Column[]): hl.Buffer[] {
  return inputs.map((c, i) => {
    const buf = new hl.Buffer(c.type, [c.values.length], `in${i}_${funcCounter}`);
    c.values.forEach((v, k) => buf.set([k], v));
    return buf;
  });
}

/** The raw little-endian bit pattern of element `i` of a dense 1-D buffer. */
export function rawBits(buf: hl.Buffer, i: number): bigint {
  const bytes = buf.type.isBool() ? 1 : buf.type.bytes();
  const dv = new DataView(buf.storage!, buf.hostByteOffset + i * bytes * buf.dim(0).stride, bytes);
  let v = 0n;
  for (let k = bytes - 1; k >= 0; k--) v = (v << 8n) | BigInt(dv.getUint8(k));
  return v;
}

/** Realizes `build` over `inputs` natively (no comparison). */
export function realizeCase(c: Case): { func: hl.Func; output: hl.Buffer; root: IRExpr; x: hl.Var } {
  funcCounter++;
  const n = c.inputs[0].values.length;
  const bufs = makeInputs(c.inputs);
  const x = new hl.Var("x");
  const func = new hl.Func(`f${funcCounter}`);
  const value = new hl.Expr(c.build(bufs.map((b) => b.at(x))));
  func.at(x).set(value);
  if (c.vectorize) func.vectorize(x, c.vectorize);
  let output: hl.Buffer;
  try {
    output = func.realize([n]);
  } catch (e) {
    const types = c.inputs.map((col) => col.type.toString()).join(", ");
    const why = e instanceof Error ? `${e.constructor.name}: ${e.message}` : String(e);
    throw new Error(
      `${c.label}: compiling/running ${opName(value.toIR())}(${types}) → ${value.type}` +
        `${c.vectorize ? ` vectorized x${c.vectorize}` : ""} failed: ${why}`,
    );
  }
  return { func, output, root: value.toIR(), x };
}

/** Runs a case and compares every element with the reference (see the module comment). */
export function runCase(c: Case): Outcome {
  const { func, output, root, x } = realizeCase(c);
  const n = c.inputs[0].values.length;
  const op = opName(root);
  if (c.op !== undefined && c.op !== op) {
    throw new Error(`${c.label}: the pipeline's root operation is ${op}, expected ${c.op}`);
  }
  const rule = c.rule ?? exactness[op];
  if (!rule) throw new Error(`No exactness rule for ${op}`);
  const rt = root.type;
  const interp = new Interpreter();
  const operands = operandsOf(root);
  const argTypes = operands.map((o) => o.type);
  const mismatches: Mismatch[] = [];
  let compared = 0;
  for (let i = 0; i < n; i++) {
    const env = { [x.name]: i };
    const rootArgs = operands.map((o) => interp.evalExpr(o, env));
    if (rule.defined && !rule.defined(rootArgs, argTypes, rt)) continue;
    const row = c.inputs.map((col) => col.values[i]);
    if (c.skipRow?.(row)) continue;
    compared++;
    const expected = c.reference ? c.reference(row) : interp.evalFunc(func.fn, [i])[0];
    const actual = output.get([i]) as Value;
    if (!withinTolerance(expected, actual, rt, rule)) mismatches.push({ index: i, row, rootArgs, expected, actual });
  }
  return { func, output, resultType: rt, op, mismatches, compared };
}

/** A readable report of a failing outcome, with a one-element reproduction of the first mismatch. */
export function describeFailure(c: Case, o: Outcome, what = "native vs interpreter"): string {
  const types = c.inputs.map((col) => col.type.toString()).join(", ");
  const rule = c.rule ?? exactness[o.op as OperationName];
  const lines = [
    `${what}: ${c.label} — root operation ${o.op}(${types}) → ${o.resultType}` +
    (c.vectorize ? `, vectorize(x, ${c.vectorize})` : ", scalar"),
    `  rule: ulps=${rule.ulps}${rule.relative !== undefined ? `, relative=${rule.relative}` : ""} (${rule.note})`,
    `  ${o.mismatches.length} of ${o.compared} compared elements differ; the first ones:`,
  ];
  for (const m of o.mismatches.slice(0, 6)) {
    const ins = m.row.map((v, i) => `${c.inputs[i].type} ${fmt(c.inputs[i].type, v)}`).join(", ");
    lines.push(
      `    x=${m.index}: inputs (${ins}) → expected ${fmt(o.resultType, m.expected)}, native ${
        fmt(o.resultType, m.actual)
      }`,
    );
  }
  // Minimal reproduction: the first failing row alone (repeated to fill one vector).
  const first = o.mismatches[0];
  if (first) {
    const copies = Math.max(1, c.vectorize ?? 1);
    const alone: Case = {
      ...c,
      label: `${c.label} (alone)`,
      inputs: c.inputs.map((col, i) => ({ type: col.type, values: Array(copies).fill(first.row[i]) })),
    };
    try {
      const again = runCase(alone);
      lines.push(
        again.mismatches.length
          ? `  reproduces alone: ${c.label} on inputs (${
            first.row.map((v, i) => fmt(c.inputs[i].type, v)).join(", ")
          }) ` +
            `gives ${fmt(o.resultType, again.mismatches[0].actual)}, expected ${
              fmt(o.resultType, again.mismatches[0].expected)
            }`
          : "  does NOT reproduce on the first failing input alone (depends on neighbouring elements?)",
      );
    } catch (e) {
      lines.push(`  one-element reproduction threw: ${e instanceof Error ? e.message : String(e)}`);
    }
  }
  return lines.join("\n");
}

/** Runs a case and throws a descriptive Error if any compared element differs. Returns the outcome. */
export function check(c: Case): Outcome {
  const o = runCase(c);
  if (o.compared === 0) throw new Error(`${c.label}: no element was compared (the inputs are all undefined)`);
  if (o.mismatches.length) throw new Error(describeFailure(c, o));
  return o;
}

/**
 * Checks a vectorized schedule: against the reference like {@link check}, and — for float results, whose rules
 * allow ±0, NaN payloads or ulps of difference — element by element bit-identical to the same pipeline compiled
 * with the default (scalar) schedule, wherever the operation is defined. (Integer and Bool results must equal the
 * interpreter exactly, the standard the scalar code is held to, so they are identical to scalar code already.)
 */
export function checkVectorized(c: Case & { vectorize: number }, againstScalar?: boolean): void {
  const vec = check(c);
  // The lowered loop must really be vector code (the vectorizer falls back to a serial loop when it cannot).
  let widest = 1;
  visitStmt(lowerPipeline(vec.func.fn).body, (e) => void (widest = Math.max(widest, e.type.lanes)), () => {});
  if (widest !== c.vectorize) {
    throw new Error(
      `${c.label}: the lowered pipeline has ${widest}-lane expressions, not ${c.vectorize} (serial fallback?)`,
    );
  }
  if (!(againstScalar ?? vec.resultType.isFloat())) return;
  const scalar = runCase({ ...c, vectorize: undefined, label: `${c.label} scalar` });
  const rule = c.rule ?? exactness[vec.op as OperationName];
  const interp = new Interpreter();
  const root = vec.func.value().toIR();
  const operands = operandsOf(root);
  const t = vec.resultType;
  const diffs: string[] = [];
  for (let i = 0; i < c.inputs[0].values.length; i++) {
    if (c.skipRow?.(c.inputs.map((col) => col.values[i]))) continue;
    if (rule.defined) {
      const args = operands.map((o) => interp.evalExpr(o, { x: i }));
      if (!rule.defined(args, operands.map((o) => o.type), t)) continue;
    }
    const a = rawBits(vec.output, i), b = rawBits(scalar.output, i);
    const bothNaN = t.isFloat() && Number.isNaN(vec.output.get([i])) && Number.isNaN(scalar.output.get([i]));
    if (a !== b && !bothNaN) {
      const row = c.inputs.map((col) => fmt(col.type, col.values[i])).join(", ");
      diffs.push(`    x=${i}: inputs (${row}): vectorized 0x${a.toString(16)}, scalar 0x${b.toString(16)}`);
    }
  }
  if (diffs.length) {
    throw new Error(
      `vectorized vs scalar: ${c.label}, vectorize(x, ${c.vectorize}): ${diffs.length} elements differ\n` +
        diffs.slice(0, 6).join("\n"),
    );
  }
}

/** A short label for a list of types: "uint8 int16". */
export function typesLabel(types: readonly hl.Type[]): string {
  return types.map((t) => t.toString()).join(" ");
}
