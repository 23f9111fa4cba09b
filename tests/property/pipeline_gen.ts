// Random multi-stage pipelines for the schedule-equivalence property (see schedule_equivalence.test.ts).
//
// A pipeline is generated as *seeds* (small records of naturals) that are interpreted against what exists: a
// call's source `src` picks, modulo the number of candidates, among the earlier Funcs (the most recent first) and
// the input buffers. Seeds shrink independently and toward 0, which means "the simplest choice": a call of the
// previous Func at the same coordinates, no extra terms, the first type.
//
// The pipeline has 1–5 Funcs f0…f{n-1} over the same 1–3 dimensions (x, y, c), fed by 1–2 input Buffers. The last
// Func is the output. Every Func calls at least one producer (its `main` call), optionally combined with an extra
// expression tree of pointwise integer/float operations (exact ones only: no transcendental math), casts across
// types, selects, constants, the coordinates themselves and more calls. Each call argument is the coordinate
// itself, a stencil shift (x ± k), a downsample (2x, 2x+1), an upsample (x/2), or a data-dependent index
// clamp(int32(p(x, y)), lo, hi) through another producer p. A Func may be a Tuple of two values.
//
// Interpreting the seeds gives a `PipelineSpec` (sources and types resolved), from which (1) the region of every
// Func and input that a schedule may touch is computed (`regions`), so that input Buffers are made just large
// enough, and (2) the Funcs are built with the public API (`buildPipeline`).
import fc from "fast-check";
import * as hl from "../../mod.ts";

// ---------------------------------------------------------------------------------------------------------------
// Types

/** The element types of Funcs and inputs. */
export const TYPES: readonly hl.Type[] = [
  hl.Int(32),
  hl.UInt(8),
  hl.Float(32),
  hl.Int(16),
  hl.UInt(16),
  hl.Float(64),
  hl.Int(8),
  hl.UInt(32),
  hl.Int(64),
];

/** The names of the pure variables by dimension. */
export const VAR_NAMES = ["x", "y", "c"] as const;

// ---------------------------------------------------------------------------------------------------------------
// Seeds

/** One call argument: how the coordinate of dimension d of the caller becomes the callee's coordinate. */
export type IdxSeed =
  | { readonly k: "id" }
  | { readonly k: "shift"; readonly by: number }
  | { readonly k: "down"; readonly odd: boolean }
  | { readonly k: "up" }
  | { readonly k: "dd"; readonly src: number; readonly elem: number; readonly lo: number; readonly span: number };

/** A call of a producer (a Func or an input), with one argument seed per dimension. */
export interface CallSeed {
  readonly src: number;
  readonly elem: number;
  readonly idx: readonly IdxSeed[];
}

/** An expression tree. */
export type Node =
  | { readonly k: "call"; readonly call: CallSeed }
  | { readonly k: "var"; readonly d: number }
  | { readonly k: "const"; readonly v: number; readonly half: boolean }
  | { readonly k: "cast"; readonly via: number; readonly a: Node }
  | { readonly k: "bin"; readonly op: number; readonly a: Node; readonly b: Node }
  | { readonly k: "sel"; readonly cmp: number; readonly a: Node; readonly b: Node; readonly t: Node; readonly f: Node };

/** One Func: its type, its main call, and optionally an extra term and a second Tuple element. */
export interface FuncSeed {
  readonly type: number;
  readonly main: CallSeed;
  readonly op: number;
  readonly extra: Node | null;
  readonly second: { readonly type: number; readonly value: Node } | null;
}

/** A whole pipeline. */
export interface PipelineSeed {
  readonly dims: number;
  readonly inputs: readonly number[];
  readonly funcs: readonly FuncSeed[];
}

const idxArb: fc.Arbitrary<IdxSeed> = fc.oneof(
  { weight: 5, arbitrary: fc.constant<IdxSeed>({ k: "id" }) },
  {
    weight: 4,
    arbitrary: fc.integer({ min: -3, max: 3 }).filter((b) => b !== 0).map((by): IdxSeed => ({ k: "shift", by })),
  },
  { weight: 1, arbitrary: fc.boolean().map((odd): IdxSeed => ({ k: "down", odd })) },
  { weight: 1, arbitrary: fc.constant<IdxSeed>({ k: "up" }) },
  {
    weight: 1,
    arbitrary: fc.record({
      k: fc.constant("dd" as const),
      src: fc.nat({ max: 6 }),
      elem: fc.nat({ max: 1 }),
      lo: fc.integer({ min: -4, max: 4 }),
      span: fc.nat({ max: 12 }),
    }),
  },
);

const callArb: fc.Arbitrary<CallSeed> = fc.record({
  src: fc.nat({ max: 6 }),
  elem: fc.nat({ max: 1 }),
  idx: fc.array(idxArb, { minLength: 3, maxLength: 3 }),
});

const nodeArb: fc.Arbitrary<Node> = fc.letrec<{ node: Node }>((tie) => ({
  node: fc.oneof(
    { maxDepth: 3, depthSize: "small", withCrossShrink: true },
    { weight: 4, arbitrary: callArb.map((call): Node => ({ k: "call", call })) },
    { weight: 1, arbitrary: fc.nat({ max: 2 }).map((d): Node => ({ k: "var", d })) },
    {
      weight: 1,
      arbitrary: fc.record({
        k: fc.constant("const" as const),
        v: fc.integer({ min: -9, max: 9 }),
        half: fc.boolean(),
      }),
    },
    {
      weight: 1,
      arbitrary: fc.record({ k: fc.constant("cast" as const), via: fc.nat({ max: TYPES.length - 1 }), a: tie("node") }),
    },
    {
      weight: 3,
      arbitrary: fc.record({ k: fc.constant("bin" as const), op: fc.nat({ max: 12 }), a: tie("node"), b: tie("node") }),
    },
    {
      weight: 1,
      arbitrary: fc.record({
        k: fc.constant("sel" as const),
        cmp: fc.nat({ max: 5 }),
        a: tie("node"),
        b: tie("node"),
        t: tie("node"),
        f: tie("node"),
      }),
    },
  ),
})).node;

const funcArb: fc.Arbitrary<FuncSeed> = fc.record({
  type: fc.nat({ max: TYPES.length - 1 }),
  main: callArb,
  op: fc.nat({ max: 12 }),
  extra: fc.option(nodeArb, { nil: null, freq: 2 }),
  // A Tuple of two values for about one Func in eight.
  second: fc.oneof(
    { weight: 7, arbitrary: fc.constant(null) },
    { weight: 1, arbitrary: fc.record({ type: fc.nat({ max: TYPES.length - 1 }), value: nodeArb }) },
  ),
});

/** Pipelines of 1–5 Funcs over `dims` dimensions (1–3 if not given). */
export function pipelineArb(dims?: number): fc.Arbitrary<PipelineSeed> {
  return fc.record({
    dims: dims === undefined ? fc.integer({ min: 1, max: 3 }) : fc.constant(dims),
    inputs: fc.array(fc.nat({ max: TYPES.length - 1 }), { minLength: 1, maxLength: 2 }),
    funcs: fc.array(funcArb, { minLength: 1, maxLength: 5 }),
  });
}

// ---------------------------------------------------------------------------------------------------------------
// Resolved pipelines

/** A producer: Func `i` or input `i`. */
export type Src = { readonly kind: "func"; readonly i: number } | { readonly kind: "input"; readonly i: number };

/** A call argument with its sources resolved. */
export type Idx =
  | { readonly k: "id" }
  | { readonly k: "shift"; readonly by: number }
  | { readonly k: "down"; readonly odd: boolean }
  | { readonly k: "up" }
  | { readonly k: "dd"; readonly src: Src; readonly elem: number; readonly lo: number; readonly hi: number };

/** A call with its source resolved. */
export interface Call {
  readonly src: Src;
  readonly elem: number;
  readonly idx: readonly Idx[];
}

/** A resolved Func. */
export interface FuncSpec {
  readonly types: readonly hl.Type[];
  /** The value trees (one per Tuple element); calls are resolved. */
  readonly values: readonly RNode[];
}

/** A resolved expression tree. */
export type RNode =
  | { readonly k: "call"; readonly call: Call }
  | { readonly k: "var"; readonly d: number }
  | { readonly k: "const"; readonly v: number; readonly half: boolean }
  | { readonly k: "cast"; readonly via: hl.Type; readonly a: RNode }
  | { readonly k: "bin"; readonly op: number; readonly a: RNode; readonly b: RNode }
  | {
    readonly k: "sel";
    readonly cmp: number;
    readonly a: RNode;
    readonly b: RNode;
    readonly t: RNode;
    readonly f: RNode;
  };

/** A resolved pipeline: Funcs in definition order (producers first), the last one the output. */
export interface PipelineSpec {
  readonly dims: number;
  readonly inputs: readonly hl.Type[];
  readonly funcs: readonly FuncSpec[];
}

/** The producers Func `i` may call, in seed order: the earlier Funcs, most recent first, then the inputs. */
function candidates(i: number, nInputs: number): Src[] {
  const out: Src[] = [];
  for (let j = i - 1; j >= 0; j--) out.push({ kind: "func", i: j });
  for (let m = 0; m < nInputs; m++) out.push({ kind: "input", i: m });
  return out;
}

/** Interprets the seeds. */
export function resolvePipeline(seed: PipelineSeed): PipelineSpec {
  const inputs = seed.inputs.map((t) => TYPES[t]);
  const funcs: FuncSpec[] = [];
  seed.funcs.forEach((fs, i) => {
    const cands = candidates(i, inputs.length);
    const arity = (s: Src) => (s.kind === "input" ? 1 : funcs[s.i].types.length);
    const call = (c: CallSeed): Call => {
      const src = cands[c.src % cands.length];
      const idx = c.idx.slice(0, seed.dims).map((ix): Idx => {
        if (ix.k !== "dd") return ix;
        const s = cands[ix.src % cands.length];
        return { k: "dd", src: s, elem: ix.elem % arity(s), lo: ix.lo, hi: ix.lo + ix.span };
      });
      return { src, elem: c.elem % arity(src), idx };
    };
    const node = (n: Node): RNode => {
      switch (n.k) {
        case "call":
          return { k: "call", call: call(n.call) };
        case "var":
          return { k: "var", d: n.d % seed.dims };
        case "const":
          return n;
        case "cast":
          return { k: "cast", via: TYPES[n.via], a: node(n.a) };
        case "bin":
          return { k: "bin", op: n.op, a: node(n.a), b: node(n.b) };
        case "sel":
          return { k: "sel", cmp: n.cmp, a: node(n.a), b: node(n.b), t: node(n.t), f: node(n.f) };
      }
    };
    const main: RNode = { k: "call", call: call(fs.main) };
    const first = fs.extra ? { k: "bin" as const, op: fs.op, a: main, b: node(fs.extra) } : main;
    const types = [TYPES[fs.type]];
    const values: RNode[] = [first];
    if (fs.second) {
      types.push(TYPES[fs.second.type]);
      values.push(node(fs.second.value));
    }
    funcs.push({ types, values });
  });
  return { dims: seed.dims, inputs, funcs };
}

/** Visits every call of a tree, including the producers of data-dependent indices (as identity calls). */
export function forEachCall(n: RNode, f: (src: Src, idx: readonly Idx[]) => void): void {
  switch (n.k) {
    case "call":
      f(n.call.src, n.call.idx);
      for (const ix of n.call.idx) if (ix.k === "dd") f(ix.src, n.call.idx.map(() => ({ k: "id" })));
      return;
    case "var":
    case "const":
      return;
    case "cast":
      return forEachCall(n.a, f);
    case "bin":
      forEachCall(n.a, f);
      return forEachCall(n.b, f);
    case "sel":
      [n.a, n.b, n.t, n.f].forEach((c) => forEachCall(c, f));
  }
}

/** The Funcs the output depends on (by index, ascending: producers before consumers, the output last). */
export function reachable(spec: PipelineSpec): number[] {
  const n = spec.funcs.length;
  const seen = new Set<number>([n - 1]);
  for (let i = n - 1; i >= 0; i--) {
    if (!seen.has(i)) continue;
    for (const v of spec.funcs[i].values) forEachCall(v, (s) => s.kind === "func" && seen.add(s.i));
  }
  return [...seen].sort((a, b) => a - b);
}

/** Which Funcs call Func `j` directly (by index). */
export function directConsumers(spec: PipelineSpec, live: readonly number[], j: number): number[] {
  return live.filter((i) => {
    let calls = false;
    for (const v of spec.funcs[i].values) forEachCall(v, (s) => (calls ||= s.kind === "func" && s.i === j));
    return calls;
  });
}

// ---------------------------------------------------------------------------------------------------------------
// Regions

/** A closed integer interval per dimension. */
export type Box = [number, number][];

function transform(ix: Idx, [lo, hi]: [number, number]): [number, number] {
  switch (ix.k) {
    case "id":
      return [lo, hi];
    case "shift":
      return [lo + ix.by, hi + ix.by];
    case "down":
      return [2 * lo + (ix.odd ? 1 : 0), 2 * hi + (ix.odd ? 1 : 0)];
    case "up":
      return [Math.floor(lo / 2), Math.floor(hi / 2)];
    case "dd":
      return [ix.lo, ix.hi];
  }
}

function unite(a: Box | undefined, b: Box): Box {
  return a ? a.map(([lo, hi], d) => [Math.min(lo, b[d][0]), Math.max(hi, b[d][1])]) : b;
}

/**
 * The regions of every Func and input that the pipeline may touch when the output is computed over `out`, if
 * every (non-inlined) Func `i` may compute up to `slack[i][d]` = [below, above] beyond its required region in
 * dimension d (split tails, guarded iterations whose producers are still computed). Inputs are then made exactly
 * as large as this.
 */
export function regions(spec: PipelineSpec, out: Box, slack: ReadonlyMap<number, readonly [number, number][]>): {
  funcs: Map<number, Box>;
  inputs: Map<number, Box>;
} {
  const funcs = new Map<number, Box>(), inputs = new Map<number, Box>();
  const n = spec.funcs.length;
  funcs.set(n - 1, out);
  for (let i = n - 1; i >= 0; i--) {
    const r = funcs.get(i);
    if (!r) continue;
    const s = slack.get(i);
    const ext: Box = r.map(([lo, hi], d) => [lo - (s?.[d][0] ?? 0), hi + (s?.[d][1] ?? 0)]);
    for (const v of spec.funcs[i].values) {
      forEachCall(v, (src, idx) => {
        const box: Box = idx.map((ix, d) => transform(ix, ext[d]));
        const m = src.kind === "func" ? funcs : inputs;
        m.set(src.i, unite(m.get(src.i), box));
      });
    }
  }
  return { funcs, inputs };
}

// ---------------------------------------------------------------------------------------------------------------
// Building the Funcs

const INT_OPS = ["add", "sub", "mul", "min", "max", "div", "mod", "bitAnd", "bitOr", "bitXor", "shl", "shr", "absd"];
const FLOAT_OPS = ["add", "sub", "mul", "min", "max", "div"];
const CMPS = ["lt", "le", "gt", "ge", "eq", "ne"] as const;

/** `e` (of type `from`) converted to `to`, avoiding the undefined float → int conversions (out of range, NaN). */
export function convert(e: hl.Expr, from: hl.Type, to: hl.Type): hl.Expr {
  if (from.equals(to)) return e;
  if (from.isFloat() && !to.isFloat()) {
    // Defined when the truncated value fits the target (via int32 for narrower targets): keep |v| < 1e6, and
    // v > -1 for 32- and 64-bit unsigned targets. NaN fails both comparisons.
    const lo = to.isUInt() && to.bits >= 32 ? -1 : -1e6;
    return hl.cast(to, hl.select(e.gt(lo).and(e.lt(1e6)), e, 0));
  }
  return hl.cast(to, e);
}

/** The Funcs of a pipeline, built with the public API. */
export interface BuiltPipeline {
  readonly funcs: hl.Func[];
  readonly vars: hl.Var[];
}

/**
 * Builds the Funcs of `spec` reading `inputs` (Buffers of the spec's input types and dimensions). Func `i` is
 * named `f{i}` (made unique by the library).
 */
export function buildPipeline(spec: PipelineSpec, inputs: readonly hl.Buffer[]): BuiltPipeline {
  const vars = VAR_NAMES.slice(0, spec.dims).map((n) => new hl.Var(n));
  const funcs: hl.Func[] = [];
  const typeOf = (s: Src, elem: number) => (s.kind === "input" ? spec.inputs[s.i] : spec.funcs[s.i].types[elem]);
  const read = (s: Src, elem: number, args: hl.Expr[] | hl.Var[]): hl.Expr => {
    if (s.kind === "input") return inputs[s.i].at(...args);
    const f = funcs[s.i];
    const ref = f.at(...args);
    return spec.funcs[s.i].types.length > 1 ? hl.cast(typeOf(s, elem), ref.elem(elem)) : hl.cast(typeOf(s, elem), ref);
  };
  const arg = (ix: Idx, v: hl.Var): hl.Expr | hl.Var => {
    switch (ix.k) {
      case "id":
        return v;
      case "shift":
        return v.add(ix.by);
      case "down":
        return ix.odd ? v.mul(2).add(1) : v.mul(2);
      case "up":
        return v.div(2);
      case "dd": {
        const p = read(ix.src, ix.elem, vars);
        return hl.clamp(convert(p, typeOf(ix.src, ix.elem), hl.Int(32)), ix.lo, ix.hi);
      }
    }
  };
  const call = (c: Call): { e: hl.Expr; t: hl.Type } => {
    const args = c.idx.map((ix, d) => arg(ix, vars[d]));
    const allVars = args.every((a) => a instanceof hl.Var);
    return {
      e: read(c.src, c.elem, allVars ? (args as hl.Var[]) : args.map((a) => hl.cast(hl.Int(32), a))),
      t: typeOf(c.src, c.elem),
    };
  };
  const build = (n: RNode, t: hl.Type): hl.Expr => {
    switch (n.k) {
      case "call": {
        const { e, t: from } = call(n.call);
        return convert(e, from, t);
      }
      case "var":
        return hl.cast(t, vars[n.d]);
      case "const":
        return t.isFloat() && n.half ? hl.cast(t, hl.f64(n.v + 0.5)) : hl.cast(t, n.v);
      case "cast":
        return convert(build(n.a, n.via), n.via, t);
      case "bin":
        return binary(n.op, build(n.a, t), build(n.b, t), t);
      case "sel": {
        const cond = build(n.a, t)[CMPS[n.cmp % CMPS.length]](build(n.b, t));
        return hl.select(cond, build(n.t, t), build(n.f, t));
      }
    }
  };
  spec.funcs.forEach((fs, i) => {
    const f = new hl.Func(`f${i}`);
    funcs.push(f);
    const values = fs.values.map((v, k) => build(v, fs.types[k]));
    f.at(...vars).set(values.length === 1 ? values[0] : values);
  });
  return { funcs, vars };
}

function binary(op: number, a: hl.Expr, b: hl.Expr, t: hl.Type): hl.Expr {
  if (t.isFloat()) {
    switch (FLOAT_OPS[op % FLOAT_OPS.length]) {
      case "add":
        return a.add(b);
      case "sub":
        return a.sub(b);
      case "mul":
        return a.mul(b);
      case "min":
        return hl.min(a, b);
      case "max":
        return hl.max(a, b);
      default:
        return a.div(b);
    }
  }
  const shift = op % Math.min(4, t.bits);
  switch (INT_OPS[op % INT_OPS.length]) {
    case "add":
      return a.add(b);
    case "sub":
      return a.sub(b);
    case "mul":
      return a.mul(b);
    case "min":
      return hl.min(a, b);
    case "max":
      return hl.max(a, b);
    case "div":
      return a.div(b);
    case "mod":
      return a.mod(b);
    case "bitAnd":
      return a.bitAnd(b);
    case "bitOr":
      return a.bitOr(b);
    case "bitXor":
      return a.bitXor(b);
    case "shl":
      return a.shl(shift).add(b);
    case "shr":
      return a.shr(shift).sub(b);
    default:
      return hl.cast(t, hl.absd(a, b));
  }
}

// ---------------------------------------------------------------------------------------------------------------
// Input data

/** A small deterministic PRNG (mulberry32). */
export function prng(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s + 0x6d2b79f5) >>> 0;
    let t = s;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const FLOAT_SPECIALS = [NaN, Infinity, -Infinity, -0, 0, 1e-40, -3e38, 3e38, 1.5, -2.5];

/** A random value of type `t` (integers over their whole range with small values favoured; floats mostly small). */
export function randomValue(t: hl.Type, rnd: () => number): number | bigint {
  const r = rnd();
  if (t.isFloat()) {
    if (r < 0.05) return FLOAT_SPECIALS[Math.floor(rnd() * FLOAT_SPECIALS.length)];
    if (r < 0.15) {
      const v = (rnd() - 0.5) * 2 ** Math.floor(rnd() * 80 - 40);
      return t.bits === 32 ? Math.fround(v) : v;
    }
    return Math.round((rnd() - 0.5) * 512) / 4;
  }
  const lo = t.minInt(), hi = t.maxInt();
  let v: bigint;
  if (r < 0.5) v = BigInt(Math.floor(rnd() * 64) - 16);
  else if (r < 0.6) v = [lo, hi, lo + 1n, hi - 1n, 0n][Math.floor(rnd() * 5)];
  else v = lo + BigInt(Math.floor(rnd() * 2 ** 26)) * (hi - lo + 1n) / (2n ** 26n);
  if (v < lo) v = lo;
  if (v > hi) v = hi;
  return t.bits > 32 ? v : Number(v);
}

/** An input Buffer of type `t` over `box` (mins honoured), filled from `seed`. */
export function makeInput(t: hl.Type, box: Box, seed: number, name: string): hl.Buffer {
  const b = new hl.Buffer(t, box.map(([lo, hi]) => hi - lo + 1), name);
  b.setMin(box.map(([lo]) => lo));
  const rnd = prng(seed);
  b.forEachElement((c) => b.set(c, randomValue(t, rnd)));
  return b;
}
