// Random schedules (fast-check, fixed seed): sequences of split / fuse / tile / reorder / rename / vectorize /
// unroll / parallel / serial with random factors and tail strategies, applied through the public API to Funcs of
// 1 to 3 dimensions and several types (some reading an input buffer), realized into a crop with non-zero mins
// of a guarded buffer, and compared with the reference interpreter.
//
// A model of the schedule predicts the loop names (checked against splitVars) and whether Halide guarantees
// success: every split is GuardWithIf/Predicate*, or ShiftInwards/Auto with an extent at least the factor, or
// RoundUp with an extent that is a multiple of it. Then realize must succeed with every value right; otherwise it
// may instead fail with a clean bounds HalideError, but must never write outside the crop (or anything at all
// when it fails). Vectorizing or unrolling a loop whose extent is not constant (a fused loop, say) must be a
// compile-time HalideError.
import { describe, expect, it } from "bun:test";
import fc from "fast-check";
import * as hl from "../../mod.ts";
import { ALL_TAILS, GUARDING_TAILS, guardedMismatch, realizeGuarded, type Region, T, tile } from "./helpers.ts";

const FC = { seed: 0x5c4ed, numRuns: 80 };

const KINDS = ["split", "fuse", "tile", "reorder", "rename", "vectorize", "unroll", "parallel", "serial"] as const;
type Kind = (typeof KINDS)[number];

interface OpSeed {
  kind: Kind;
  a: number;
  b: number;
  perm: number[];
  factor: number;
  factor2: number;
  tail: hl.TailStrategy;
  withFactor: boolean;
  name: number;
}

const opSeed: fc.Arbitrary<OpSeed> = fc.record({
  kind: fc.constantFrom(...KINDS),
  a: fc.nat(),
  b: fc.nat(),
  perm: fc.array(fc.nat(), { minLength: 2, maxLength: 4 }),
  factor: fc.integer({ min: 1, max: 8 }),
  factor2: fc.integer({ min: 1, max: 4 }),
  tail: fc.constantFrom(...ALL_TAILS),
  withFactor: fc.boolean(),
  name: fc.nat(),
});

type LoopType = "Serial" | "Vectorized" | "Unrolled" | "Parallel";

/** A loop of the model: its user-visible name, its kind and, if known at compile time, its constant extent. */
interface Loop {
  name: string;
  forType: LoopType;
  constExtent?: number;
}

/** A recorded transformation, to compute run-time extents once the sizes are known. */
type Step =
  | { kind: "split"; old: string; outer: string; inner: string; factor: number; tail: hl.TailStrategy }
  | { kind: "fuse"; inner: string; outer: string; fused: string }
  | { kind: "rename"; old: string; renamed: string };

/** A small pool of names, so that names of loops that were split or fused away get reused. */
const POOL = ["x", "y", "z", "a", "b", "c", "d", "e", "g", "h"];

const FOR_TYPE = { vectorize: "Vectorized", unroll: "Unrolled", parallel: "Parallel" } as const;

class Model {
  loops: Loop[];
  steps: Step[] = [];
  log: string[] = [];
  constructor(readonly f: hl.Func, args: string[]) {
    this.loops = args.map((name) => ({ name, forType: "Serial" }));
  }
  private taken(n: string): boolean {
    return this.loops.some((l) => l.name === n);
  }
  /** A name no current loop has (picked from the pool by `seed`), avoiding `also`. */
  freshName(seed: number, also: string[] = []): string {
    const free = POOL.filter((n) => !this.taken(n) && !also.includes(n));
    return free.length ? free[seed % free.length] : `n${this.steps.length}_${also.length}`;
  }
  private v(n: string): hl.Var {
    return new hl.Var(n);
  }
  private idx(n: number): number {
    return n % this.loops.length;
  }

  split(i: number, outer: string, inner: string, factor: number, tail: hl.TailStrategy): void {
    const old = this.loops[i];
    this.f.split(this.v(old.name), this.v(outer), this.v(inner), factor, tail);
    this.log.push(`split(${old.name}, ${outer}, ${inner}, ${factor}, ${tail})`);
    this.record(i, outer, inner, factor, tail);
  }
  private record(i: number, outer: string, inner: string, factor: number, tail: hl.TailStrategy): void {
    const old = this.loops[i];
    const outerExt = old.constExtent === undefined ? undefined : Math.ceil(old.constExtent / factor);
    // As in Halide, the inner loop keeps the old loop's kind and the outer loop is serial.
    this.loops.splice(i, 1, { name: inner, forType: old.forType, constExtent: factor }, {
      name: outer,
      forType: "Serial",
      constExtent: outerExt,
    });
    this.steps.push({ kind: "split", old: old.name, outer, inner, factor, tail });
  }

  apply(s: OpSeed): void {
    const n = this.loops.length;
    switch (s.kind) {
      case "split": {
        const i = this.idx(s.a);
        const outer = s.withFactor ? this.loops[i].name : this.freshName(s.name);
        const inner = this.freshName(s.name + 1, [outer]);
        this.split(i, outer, inner, s.factor, s.tail);
        return;
      }
      case "fuse": {
        if (n < 2) return;
        const i = s.a % (n - 1);
        const [inner, outer] = [this.loops[i], this.loops[i + 1]];
        const fused = this.freshName(s.name);
        this.f.fuse(this.v(inner.name), this.v(outer.name), this.v(fused));
        this.log.push(`fuse(${inner.name}, ${outer.name}, ${fused})`);
        const ext = inner.constExtent !== undefined && outer.constExtent !== undefined
          ? inner.constExtent * outer.constExtent
          : undefined;
        this.loops.splice(i, 2, { name: fused, forType: inner.forType, constExtent: ext });
        this.steps.push({ kind: "fuse", inner: inner.name, outer: outer.name, fused });
        return;
      }
      case "tile": {
        if (n < 2) return;
        const i = this.idx(s.a);
        const j = (i + 1 + (s.b % (n - 1))) % n;
        const [lx, ly] = [this.loops[i].name, this.loops[j].name];
        const xo = this.freshName(s.name), yo = this.freshName(s.name + 1, [xo]);
        const xi = this.freshName(s.name + 2, [xo, yo]), yi = this.freshName(s.name + 3, [xo, yo, xi]);
        const v = (q: string) => this.v(q);
        if (s.withFactor) tile(this.f)(v(lx), v(ly), v(xo), v(yo), v(xi), v(yi), s.factor, s.factor2, s.tail);
        else tile(this.f)([v(lx), v(ly)], [v(xo), v(yo)], [v(xi), v(yi)], [s.factor, s.factor2], s.tail);
        this.log.push(`tile(${lx}, ${ly}, ${xo}, ${yo}, ${xi}, ${yi}, ${s.factor}, ${s.factor2}, ${s.tail})`);
        this.record(this.loops.findIndex((l) => l.name === lx), xo, xi, s.factor, s.tail);
        this.record(this.loops.findIndex((l) => l.name === ly), yo, yi, s.factor2, s.tail);
        this.reorderModel([xi, yi, xo, yo]);
        return;
      }
      case "reorder": {
        const pool = this.loops.map((l) => l.name);
        const chosen: string[] = [];
        for (const p of s.perm) {
          if (!pool.length) break;
          chosen.push(pool.splice(p % pool.length, 1)[0]);
        }
        this.f.reorder(...chosen.map((q) => this.v(q)));
        this.log.push(`reorder(${chosen.join(", ")})`);
        this.reorderModel(chosen);
        return;
      }
      case "rename": {
        const i = this.idx(s.a);
        const old = this.loops[i].name, renamed = this.freshName(s.name);
        this.f.rename(this.v(old), this.v(renamed));
        this.log.push(`rename(${old}, ${renamed})`);
        this.loops[i] = { ...this.loops[i], name: renamed };
        this.steps.push({ kind: "rename", old, renamed });
        return;
      }
      case "vectorize":
      case "unroll":
      case "parallel": {
        const i = this.idx(s.a);
        const loop = this.loops[i];
        const limit = s.kind === "vectorize" ? 32 : s.kind === "unroll" ? 12 : Infinity;
        const v = this.v(loop.name);
        const useFactor = s.withFactor ||
          (s.kind !== "parallel" && (loop.constExtent === undefined || loop.constExtent > limit));
        // Keep the straight-line code small: the product of all vectorized and unrolled extents stays <= 64.
        if (s.kind !== "parallel" && this.straightLineWork() * (useFactor ? s.factor : loop.constExtent!) > 64) return;
        if (useFactor) {
          if (s.kind === "vectorize") this.f.vectorize(v, s.factor, s.tail);
          else if (s.kind === "unroll") this.f.unroll(v, s.factor, s.tail);
          else this.f.parallel(v, s.factor, s.tail);
          // The new inner loop has a generated name: take it from the Func (it is checked to be new).
          const generated = this.f.splitVars()[i].name;
          expect(this.taken(generated)).toBe(false);
          this.log.push(`${s.kind}(${loop.name}, ${s.factor}, ${s.tail})  // inner loop ${generated}`);
          this.record(i, loop.name, generated, s.factor, s.tail);
          this.loops[s.kind === "parallel" ? i + 1 : i].forType = FOR_TYPE[s.kind];
        } else {
          if (s.kind === "vectorize") this.f.vectorize(v);
          else if (s.kind === "unroll") this.f.unroll(v);
          else this.f.parallel(v);
          this.log.push(`${s.kind}(${loop.name})`);
          loop.forType = FOR_TYPE[s.kind];
        }
        return;
      }
      case "serial": {
        const loop = this.loops[this.idx(s.a)];
        this.f.serial(this.v(loop.name));
        this.log.push(`serial(${loop.name})`);
        loop.forType = "Serial";
        return;
      }
    }
  }

  /** The product of the extents of the vectorized and unrolled loops (how much straight-line code there is). */
  straightLineWork(): number {
    return this.loops.reduce(
      (p, l) => (l.forType === "Vectorized" || l.forType === "Unrolled" ? p * (l.constExtent ?? 1) : p),
      1,
    );
  }

  /** A vectorized or unrolled loop whose extent is not a compile-time constant (a compile error), if any. */
  nonConstantLoop(): Loop | undefined {
    return this.loops.find((l) => (l.forType === "Vectorized" || l.forType === "Unrolled") && l.constExtent === undefined);
  }

  private reorderModel(order: string[]): void {
    const slots = order.map((q) => this.loops.findIndex((l) => l.name === q)).sort((p, q) => p - q);
    const moved = order.map((q) => this.loops.find((l) => l.name === q)!);
    slots.forEach((slot, k) => (this.loops[slot] = moved[k]));
  }

  /** Whether Halide guarantees success over these extents (see the file comment). */
  guaranteedOver(args: string[], extents: number[]): boolean {
    const ext = new Map(args.map((a, d) => [a, extents[d]]));
    let ok = true;
    for (const s of this.steps) {
      if (s.kind === "split") {
        const e = ext.get(s.old)!;
        const tail = s.tail === T.Auto ? T.ShiftInwards : s.tail;
        if (tail === T.RoundUp) ok &&= e % s.factor === 0;
        else if (tail === T.ShiftInwards) ok &&= e >= s.factor;
        else ok &&= GUARDING_TAILS.includes(tail);
        ext.set(s.outer, Math.ceil(e / s.factor));
        ext.set(s.inner, s.factor);
      } else if (s.kind === "fuse") {
        ext.set(s.fused, ext.get(s.inner)! * ext.get(s.outer)!);
      } else {
        ext.set(s.renamed, ext.get(s.old)!);
      }
    }
    return ok;
  }
}

const TYPES = [hl.Int(32), hl.UInt(8), hl.Int(16), hl.Float(32), hl.Int(64), hl.Bool()];

interface Case {
  dims: number;
  type: number;
  readsInput: boolean;
  ops: OpSeed[];
  extents: number[];
  mins: number[];
}

const caseArb: fc.Arbitrary<Case> = fc.integer({ min: 1, max: 3 }).chain((dims) =>
  fc.record({
    dims: fc.constant(dims),
    type: fc.nat({ max: TYPES.length - 1 }),
    readsInput: fc.boolean(),
    ops: fc.array(opSeed, { minLength: 1, maxLength: 6 }),
    extents: fc.array(fc.integer({ min: 1, max: dims === 3 ? 7 : 13 }), { minLength: dims, maxLength: dims }),
    mins: fc.array(fc.integer({ min: -4, max: 4 }), { minLength: dims, maxLength: dims }),
  })
);

const INPUT_MARGIN = 40;

/** The Func of a case: distinct values everywhere, optionally reading a stencil of an input buffer. */
function buildFunc(c: Case): { f: hl.Func; args: string[] } {
  const args = ["x", "y", "z"].slice(0, c.dims);
  const v = args.map((a) => new hl.Var(a));
  const t = TYPES[c.type];
  let e: hl.Expr = v.reduce((acc: hl.Expr, vi, d) => acc.add(vi.mul([7, 131, 1009][d])), hl.i32(3));
  if (c.readsInput) {
    // Enough input around the output region for every shift the schedule might cause within its margin.
    const input = new hl.Buffer(hl.Int(16), c.extents.map((n) => n + 2 * INPUT_MARGIN), "input");
    input.setMin(c.mins.map((m) => m - INPUT_MARGIN));
    input.forEachElement((co) => input.set(co, co.reduce((a, q, d) => a * 31 + q * (d + 3), 17) % 30000));
    const shifted = v.map((vi, d) => (d === 0 ? vi.add(1) : vi));
    e = e.add(hl.i32(input.at(...v)).mul(2)).sub(hl.i32(input.at(...shifted)));
  }
  const f = new hl.Func("random_schedule");
  if (t.isBool()) f.at(...v).set(e.mod(3).eq(1));
  else if (t.isFloat()) f.at(...v).set(hl.cast(t, e).mul(0.5));
  else f.at(...v).set(hl.cast(t, e));
  return { f, args };
}

describe("random schedules (fast-check, fixed seed)", () => {
  it("agree with the interpreter, never write outside the output, and succeed when Halide guarantees it", () => {
    const details = fc.check(
      fc.property(caseArb, (c) => {
        const { f, args } = buildFunc(c);
        const model = new Model(f, args);
        for (const s of c.ops) model.apply(s);
        const context = () => `${f.type} ${args.join(",")}; ${model.log.join("; ")}; region ${JSON.stringify(region)}`;
        const region: Region = c.mins.map((m, d) => [m, c.extents[d]]);
        expect(f.splitVars().map((q) => q.name)).toEqual([...model.loops.map((l) => l.name), "__outermost"]);
        const r = realizeGuarded(f, region, 1);
        const bad = model.nonConstantLoop();
        if (bad) {
          // Vectorizing or unrolling a loop of non-constant extent (e.g. fused with a loop over the output) is a
          // compile error, before anything runs.
          if (!r.error || !r.error.message.includes(f.name) || !/constant extent/.test(r.error.message)) {
            throw new Error(`expected a constant-extent error for loop ${bad.name}, got ${r.error?.message ?? "success"}\n  ${context()}`);
          }
          const untouched = guardedMismatch(f, r, region, false);
          if (untouched) throw new Error(`${untouched}\n  ${context()}`);
          return;
        }
        if (r.error) {
          const ok = /^(Output|Input) buffer \S+ is accessed at -?\d+, which is (beyond the max|before the min)/.test(
            r.error.message,
          );
          if (!ok) throw new Error(`unexpected error: ${r.error.message}\n  ${context()}`);
          if (model.guaranteedOver(args, c.extents)) {
            throw new Error(`realize failed where Halide guarantees success: ${r.error.message}\n  ${context()}`);
          }
        }
        const problem = guardedMismatch(f, r, region, r.error === undefined);
        if (problem) throw new Error(`${problem}\n  ${context()}`);
      }),
      FC,
    );
    if (details.failed) {
      const cause = details.errorInstance instanceof Error ? details.errorInstance.message : String(details.errorInstance);
      throw new Error(`${fc.defaultReportMessage(details)}\n\nFailure: ${cause}`);
    }
  });
});
