/**
 * Builds the loop nest of a whole pipeline from the Funcs' compute and store levels (Halide's
 * `schedule_functions` plus the region part of bounds inference): the output's nest first, then each Func that
 * is not inlined, consumers before producers, injected at its compute level as
 *
 *     let f.s0.x.min = …, f.s0.x.extent = …    (the region its consumers in this loop need, rounded out to
 *                                              its bounds and alignments)
 *     produce f { f's loop nest }  consume f { the loop's previous body }
 *
 * and wrapped at its store level in a `Realize` of the region all its uses inside that loop need; with
 * `hoistStorage`, the level its storage is allocated at is marked too (`hoist_storage.ts`).
 *
 * @module
 */
import { HalideError } from "../error.ts";
import { arith, cmp, constTrue, type Expr, i32Imm, isConst, logical, variable } from "../ir/expr.ts";
import type { FunctionDef } from "../ir/function.ts";
import { foldArith, type Interval } from "../ir/interval.ts";
import { mapExprChildren, mapStmtChildren } from "../ir/mutate.ts";
import { type BoundAlignment, type LoopLevelSpec, loopLevelName } from "../ir/schedule.ts";
import { simplify } from "../ir/simplify.ts";
import { block, type For, letStmt, type Stmt } from "../ir/stmt.ts";
import { Int } from "../ir/type.ts";
import { regionsTouched } from "./bounds.ts";
import { inlineCalls } from "./inline.ts";
import { wrappedDefinition } from "./wrappers.ts";
import { buildLoopNest, loopName, type Range, type StageDefinition } from "./loop_nest.ts";
import { errorMessage } from "./error_message.ts";
import { hoistedStorage } from "./hoist_storage.ts";

const i32 = Int(32);

/**
 * Whether calls to `f` are inlined: every Func but the outputs with the default schedule, except those with
 * update definitions, which are computed where they are used instead (around each statement that calls them).
 */
export function isInlined(f: FunctionDef, outputs: FunctionDef | readonly FunctionDef[]): boolean {
  const isOutput = Array.isArray(outputs) ? outputs.includes(f) : f === outputs;
  return !isOutput && f.funcSchedule.compute.kind === "inlined" && f.updates.length === 0;
}

/** The stages of `f` (pure definition, then updates), as lowering sees them (wrappers applied). */
function stagesOf(f: FunctionDef): StageDefinition[] {
  return Array.from({ length: f.updates.length + 1 }, (_, k) => wrappedDefinition(f, k));
}

/**
 * The Funcs of the pipeline computing `outputs`, producers before consumers (an output that another output reads
 * comes before it).
 *
 * @example
 * ```ts
 * realizationOrder(out).map((f) => f.name); // ["input_clamped", "blur_x", "blur_y"]
 * ```
 */
export function realizationOrder(outputs: FunctionDef | readonly FunctionDef[]): FunctionDef[] {
  const order: FunctionDef[] = [];
  const state = new Map<FunctionDef, "visiting" | "done">();
  const visit = (f: FunctionDef): void => {
    if (state.get(f) === "done") return;
    if (state.get(f) === "visiting") throw new HalideError(`Func ${f.name} depends on itself.`);
    if (!f.defined) throw new HalideError(`Can't call Func "${f.name}" because it has not yet been defined.`);
    state.set(f, "visiting");
    const go = (e: Expr): Expr => {
      if (e.kind === "Call" && e.callType === "Halide" && e.func && e.func !== f) visit(e.func);
      return mapExprChildren(e, go);
    };
    for (const st of stagesOf(f)) [...st.args, ...st.values, ...(st.predicate ? [st.predicate] : [])].forEach(go);
    state.set(f, "done");
    order.push(f);
  };
  (Array.isArray(outputs) ? outputs : [outputs as FunctionDef]).forEach(visit);
  return order;
}

/**
 * `let <base>.min = …, <base>.max = …, <base>.extent = <base>.max - <base>.min + 1` for each dimension of
 * `region` (`base(a)` names the dimension), around `body`. The extent is written in terms of the two variables
 * so that bounds inference can see that a loop over it ends at `<base>.max` (see `bounds.ts`), and so that it
 * follows when sliding window moves the min; with `constantExtents` an extent that simplifies to a constant is
 * that constant (a storage size known at compile time).
 */
function regionLets(
  f: FunctionDef,
  base: (a: string) => string,
  region: readonly Interval[],
  body: Stmt,
  constantExtents = false,
): Stmt {
  let s = body;
  f.args.forEach((a, d) => {
    const iv = region[d];
    if (!iv.min || !iv.max) {
      throw new HalideError(`Func ${f.name} may be accessed in an unbounded way in dimension ${d}; clamp the coordinates.`);
    }
    const n = base(a);
    const size = (lo: Expr, hi: Expr) => foldArith("Add", foldArith("Sub", hi, lo), i32Imm(1));
    const known = constantExtents ? simplify(size(iv.min, iv.max)) : undefined;
    const extent = known && isConst(known) ? known : size(variable(i32, `${n}.min`), variable(i32, `${n}.max`));
    s = letStmt(`${n}.min`, iv.min, letStmt(`${n}.max`, iv.max, letStmt(`${n}.extent`, extent, s)));
  });
  return s;
}

/** The variables of the region lets `regionLets` defines with names from `base`. */
function regionVars(f: FunctionDef, base: (a: string) => string): Range[] {
  return f.args.map((a) => ({
    min: variable(i32, `${base(a)}.min`),
    max: variable(i32, `${base(a)}.max`),
    extent: variable(i32, `${base(a)}.extent`),
  }));
}

/** The name of `Var.outermost()`: the level just outside a stage's outermost loop. */
const OUTERMOST = "__outermost";

/**
 * `level` with a reference to "any stage" (-1, `computeAt(f, v)`) resolved as Halide matches it: the last stage of
 * the Func with a loop over `v` inside which `user` is used (else the last stage with such a loop).
 */
function resolveStage(level: LoopLevelSpec, funcs: readonly FunctionDef[], s: Stmt, user: FunctionDef): LoopLevelSpec {
  if (level.kind !== "at" || level.stage >= 0) return level;
  const target = funcs.find((g) => g.name === level.func);
  if (!target) return { ...level, stage: 0 };
  const stages = Array.from({ length: target.updates.length + 1 }, (_, k) => target.updates.length - k);
  const withLoop = stages.filter((k) =>
    level.loop === OUTERMOST || target.stageSchedule(k).dims.some((d) => d.name === level.loop || d.name.endsWith(`.${level.loop}`))
  );
  const uses = (k: number) => stageUses(target, k, s, user);
  return { ...level, stage: withLoop.find(uses) ?? withLoop[0] ?? target.updates.length };
}

/** For a level naming "any stage" of a Func (-1), each stage with that loop inside which `user` is used. */
function usingStages(level: LoopLevelSpec, funcs: readonly FunctionDef[], s: Stmt, user: FunctionDef): LoopLevelSpec[] {
  if (level.kind !== "at" || level.stage >= 0) return [];
  const target = funcs.find((g) => g.name === level.func);
  if (!target) return [];
  const dimMatches = (k: number) => target.stageSchedule(k).dims.some((d) => d.name === level.loop || d.name.endsWith(`.${level.loop}`));
  const stages = Array.from({ length: target.updates.length + 1 }, (_, k) => k).filter(dimMatches);
  return stages.filter((k) => stageUses(target, k, s, user)).map((k) => ({ ...level, stage: k }));
}

/** Whether a loop of stage `k` of `target` in `s` contains a use of `user`. */
function stageUses(target: FunctionDef, k: number, s: Stmt, user: FunctionDef): boolean {
  let used = false;
  const go = (n: Stmt): Stmt => {
    if (n.kind === "For" && n.name.startsWith(`${target.name}.s${k}.`) && regionsTouched(n.body).calls.has(user)) used = true;
    return used ? n : mapStmtChildren(n, (e) => e, go);
  };
  go(s);
  return used;
}

/**
 * Applies `edit` to the body of the loop `level` names in `s` (or to `s` itself for the root level, or to a
 * stage's outermost loop for `Var.outermost()`); throws a HalideError listing the legal levels if there is no
 * such loop. The inlined level of a Func with update definitions (which cannot be inlined) is each statement of
 * another Func that calls it.
 */
function atLevel(s: Stmt, level: LoopLevelSpec, f: FunctionDef, funcs: readonly FunctionDef[], edit: (body: Stmt) => Stmt): Stmt {
  if (level.kind === "root") return edit(s);
  if (level.kind === "inlined") return atCallingStatements(s, f, edit);
  const target = funcs.find((g) => g.name === level.func);
  const stage = level.stage;
  if (target && stage > target.updates.length) {
    throw new HalideError(`Func "${f.name}" is computed or stored at ${loopLevelName(level)}, but ${target.name} has no stage ${stage}.`);
  }
  const dim = target?.stageSchedule(stage).dims.find((d) => d.name === level.loop || d.name.endsWith(`.${level.loop}`));
  // Without a loop of its own, Var.outermost() is the level around the stage's outermost loop.
  const outermost = !dim && level.loop === OUTERMOST;
  const loop = target && (dim || outermost) ? loopName(target, stage, dim?.name ?? "") : undefined;
  let found = false;
  const go = (n: Stmt): Stmt => {
    if (n.kind === "For" && (outermost ? n.name.startsWith(loop!) : n.name === loop)) {
      found = true;
      return outermost ? edit(n) : { ...n, body: edit(n.body) };
    }
    return mapStmtChildren(n, (e) => e, go);
  };
  const out = loop ? go(s) : s;
  if (!found) throw illegalLevel(f, level, s);
  return out;
}

/** Applies `edit` to every statement of another Func that calls `f` (Halide's computation of an inlined update). */
function atCallingStatements(s: Stmt, f: FunctionDef, edit: (body: Stmt) => Stmt): Stmt {
  const go = (n: Stmt): Stmt => {
    if (n.kind === "Provide" && n.name !== f.name && regionsTouched(n).calls.has(f)) return edit(n);
    return mapStmtChildren(n, (e) => e, go);
  };
  return go(s);
}

function illegalLevel(f: FunctionDef, level: LoopLevelSpec, s: Stmt): HalideError {
  const legal = ["root"];
  const go = (n: Stmt): Stmt => {
    if (n.kind === "For" && regionsTouched(n.body).calls.has(f)) legal.push(n.name);
    return mapStmtChildren(n, (e) => e, go);
  };
  go(s);
  return new HalideError(
    `Func "${f.name}" is computed or stored at ${loopLevelName(level)}, which is not a loop inside which it is ` +
      `used. Legal locations for ${f.name} are: ${legal.join(", ")}.`,
  );
}

/**
 * The region to compute for `f` given the `required` one: a dimension with an explicit bound is computed over
 * the bound, with an assertion (Halide's message) that the bound covers what is required; an aligned one
 * (`alignBounds`) is rounded outwards to the alignment.
 */
function boundedRegion(f: FunctionDef, required: readonly Interval[]): { region: Interval[]; checks: Stmt[] } {
  const checks: Stmt[] = [];
  const region = required.map((iv, d) => {
    const align = f.funcSchedule.align?.find((a) => a.var === f.args[d]);
    const b = f.funcSchedule.bounds?.find((x) => x.var === f.args[d]);
    if (align && iv.min && iv.max && !b) return alignedInterval(iv.min, iv.max, align);
    if (!b || !iv.min || !iv.max) return iv;
    const min = b.min ?? iv.min;
    const max = foldArith("Sub", foldArith("Add", min, b.extent), i32Imm(1));
    checks.push({
      kind: "AssertStmt",
      cond: logical("And", cmp("LE", min, iv.min), cmp("LE", iv.max, max)),
      message: errorMessage([
        `Bounds given for ${f.name} in ${f.args[d]} (from `, min, ` to `, max, `) do not cover required region (from `,
        iv.min, ` to `, iv.max, `)`,
      ]),
    });
    return { min, max };
  });
  return { region, checks };
}

/**
 * `[min, max]` rounded outwards so that the min is ≡ remainder (mod modulus) and the extent a multiple of the
 * modulus (division rounds down, as Halide's).
 */
function alignedInterval(min: Expr, max: Expr, { modulus, remainder }: BoundAlignment): Interval {
  const down = (e: Expr) => foldArith("Mul", arith("Div", e, modulus), modulus);
  const r = simplify(remainder);
  const lo = foldArith("Add", down(foldArith("Sub", min, r)), r);
  // max + 1 rounded up to ≡ r, minus one.
  const end = foldArith("Sub", foldArith("Add", max, i32Imm(1)), r);
  const hi = foldArith("Sub", foldArith("Add", down(foldArith("Sub", foldArith("Add", end, modulus), i32Imm(1))), r), i32Imm(1));
  return { min: simplify(lo), max: simplify(hi) };
}

function unionIv(a: Interval | undefined, b: Interval | undefined): Interval {
  if (!a || !b) return a ?? b ?? { min: undefined, max: undefined };
  const both = (x: Expr | undefined, y: Expr | undefined, op: "Min" | "Max") => (x && y ? foldArith(op, x, y) : undefined);
  return { min: both(a.min, b.min, "Min"), max: both(a.max, b.max, "Max") };
}

/** Halide's warning for a Func some of whose definitions are scheduled but an update is not. */
function warnUnscheduledUpdates(f: FunctionDef): void {
  const touched = Array.from({ length: f.updates.length + 1 }, (_, k) => f.stageSchedule(k).touched === true);
  if (!touched.includes(true)) return;
  touched.slice(1).forEach((t, i) => {
    if (!t) {
      console.warn(
        `Warning: Update definition ${i} of function ${f.name} has not been scheduled, even though some other ` +
          `definitions have been. You may have forgotten to schedule it. If this was intentional, call ` +
          `${f.name}.update(${i}).unscheduled() to suppress this warning.`,
      );
    }
  });
}

/**
 * Every stage of `f` in order (`stages`, already inlined), each over its region: the last over `last`; each
 * earlier one over the region of the stage after it grown by what that stage reads of `f` (`let f.s<k>.x.min = …`
 * around them all, as Halide's bounds inference gives every stage the box its consumers, including later
 * stages of the same Func, need).
 */
function produceStages(f: FunctionDef, stages: readonly StageDefinition[], last: readonly Range[], constantExtents = false): Stmt {
  const n = stages.length - 1;
  const regionOf = (k: number) => (k === n ? last : regionVars(f, (a) => loopName(f, k, a)));
  const nests = stages.map((def, k) => buildLoopNest(f, k, def, regionOf(k)));
  let s = block(nests);
  for (let k = 0; k < n; k++) {
    const reads = regionsTouched(nests[k + 1]).calls.get(f);
    const after = regionOf(k + 1).map((r): Interval => ({ min: r.min, max: r.max ?? foldArith("Sub", foldArith("Add", r.min, r.extent), i32Imm(1)) }));
    s = regionLets(f, (a) => loopName(f, k, a), after.map((iv, d) => (reads ? unionIv(iv, reads[d]) : iv)), s, constantExtents);
  }
  return s;
}

/**
 * The loop nest of the pipeline computing `outs`, each over its region in `regions` (per output dimension).
 * Calls to inlined Funcs are inlined; calls to the others remain, and their values are stored by `Realize`s.
 *
 * @example
 * ```ts
 * const nest = schedulePipeline([out], [region]);
 * ```
 */
export function schedulePipeline(
  outs: readonly FunctionDef[],
  regions: readonly (readonly { min: Expr; extent: Expr }[])[],
): Stmt {
  const funcs = realizationOrder(outs);
  const inline = (f: FunctionDef) => isInlined(f, outs);
  const inlined = (f: FunctionDef) =>
    stagesOf(f).map((st): StageDefinition => {
      const go = (e: Expr) => inlineCalls(e, inline, [f]);
      return { ...st, args: st.args.map(go), values: st.values.map(go), predicate: st.predicate && go(st.predicate) };
    });
  // Each output is computed over its buffer's region, or over its explicit bounds (which must cover the buffer),
  // in realization order (an output that another one reads first).
  let s = block(funcs.filter((f) => outs.includes(f)).map((output) => {
    const outputRegion = regions[outs.indexOf(output)];
    const required = outputRegion.map((r) => ({ min: r.min, max: foldArith("Sub", foldArith("Add", r.min, r.extent), i32Imm(1)) }));
    const { region: bounded, checks } = boundedRegion(output, required);
    const outRegion = bounded.map((iv, d) =>
      iv === required[d] || !iv.min || !iv.max
        ? outputRegion[d]
        : { min: iv.min, max: iv.max, extent: foldArith("Add", foldArith("Sub", iv.max, iv.min), i32Imm(1)) }
    );
    return block([...checks, produceStages(output, inlined(output), outRegion)]);
  }));
  funcs.forEach(warnUnscheduledUpdates);
  for (const f of [...funcs].reverse()) {
    const isInlineLevel = f.funcSchedule.compute.kind === "inlined";
    if (isInlineLevel && f.funcSchedule.hoist && f.funcSchedule.hoist.kind !== "inlined") {
      throw new HalideError(
        `Func "${f.name}" is scheduled hoistStorage(), but is inlined. Funcs that use hoistStorage must also call ` +
          `computeRoot or computeAt.`,
      );
    }
    const storeLevel = f.funcSchedule.store;
    if (isInlineLevel && !outs.includes(f) && storeLevel.kind !== "inlined") {
      const which = storeLevel.kind === "root" ? "storeRoot" : "storeAt";
      throw new HalideError(
        `Func "${f.name}" is scheduled ${which}(), but is inlined. Funcs that use ${which} must also call ` +
          `${storeLevel.kind === "root" ? "computeRoot or " : ""}computeAt.`,
      );
    }
    if (outs.includes(f) || inline(f)) continue;
    // A Func whose every use was inlined away (e.g. only an unused Tuple element called it) computes nothing.
    if (!regionsTouched(s).calls.has(f)) continue;
    const compute = resolveStage(f.funcSchedule.compute, funcs, s, f);
    const store = f.funcSchedule.store.kind === "inlined" ? compute : resolveStage(f.funcSchedule.store, funcs, s, f);
    const last = f.updates.length;
    const computed = (a: string) => loopName(f, last, a);
    // Computed at each statement that calls it (an update Func left inline), its region never slides: constant
    // extents (a single point per call, typically) let a vectorized caller widen it to one value per lane.
    const perCall = compute.kind === "inlined";
    const stages = inlined(f);
    const computeHere = (body: Stmt): Stmt => {
      const required = regionsTouched(body).calls.get(f);
      if (!required) throw illegalLevel(f, compute, s);
      const { region, checks } = boundedRegion(f, required);
      const last = perCall
        ? region.map((iv) => ({ min: iv.min!, max: iv.max!, extent: simplify(foldArith("Add", foldArith("Sub", iv.max!, iv.min!), i32Imm(1))) }))
        : regionVars(f, computed);
      const produce = produceStages(f, stages, last, perCall);
      return regionLets(f, computed, region, block([
        ...checks,
        { kind: "ProducerConsumer", name: f.name, isProducer: true, body: produce },
        { kind: "ProducerConsumer", name: f.name, isProducer: false, body },
      ]), perCall);
    };
    const storeHere = (body: Stmt): Stmt => {
      const used = regionsTouched(body);
      // The storage holds everything computed inside this loop, and everything read.
      const stored = f.args.map((_, d) => unionIv(used.calls.get(f)?.[d], used.provided.get(f.name)?.[d]));
      const realized = (a: string) => `${f.name}.${a}.realized`;
      const bounds = regionVars(f, realized).map(({ min, extent }) => ({ min, extent }));
      const realize: Stmt = { kind: "Realize", name: f.name, types: f.outputTypes, bounds, condition: constTrue(), body, func: f };
      return regionLets(f, realized, stored, realize, true);
    };
    if (compute.kind === "inlined") {
      s = atLevel(s, compute, f, funcs, (body) => storeHere(computeHere(body)));
      continue;
    }
    // `computeAt(g, v)` names the loop over v of every stage of g: a Func used by several of them is computed (and,
    // stored there too, stored) in each.
    const everyStage = usingStages(f.funcSchedule.compute, funcs, s, f);
    const storedWithCompute = f.funcSchedule.store.kind === "inlined" || f.funcSchedule.store === f.funcSchedule.compute;
    if (everyStage.length > 1 && storedWithCompute) {
      for (const level of everyStage) s = atLevel(s, level, f, funcs, (body) => storeHere(computeHere(body)));
      continue;
    }
    s = atLevel(s, compute, f, funcs, computeHere);
    s = atLevel(s, store, f, funcs, storeHere);
    const hoist = f.funcSchedule.hoist && resolveStage(f.funcSchedule.hoist, funcs, s, f);
    if (hoist && hoist.kind !== "inlined" && loopLevelName(hoist) !== loopLevelName(store)) {
      s = atLevel(s, hoist, f, funcs, (body) => hoistStorageTo(body, f, hoist, store));
    }
  }
  return s;
}
/**
 * Marks the realization of `f` inside `body` as hoisted, and `body` as where its storage is allocated (see
 * `hoist_storage.ts`). `body` must enclose the store level, with no parallel loop between it and the compute
 * level (iterations running at once would share the storage).
 */
function hoistStorageTo(body: Stmt, f: FunctionDef, hoist: LoopLevelSpec, store: LoopLevelSpec): Stmt {
  let found = false;
  const parallel: string[] = [];
  const go = (n: Stmt, loops: readonly For[]): Stmt => {
    if (n.kind === "Realize" && n.func === f) {
      found = true;
      return { ...n, hoisted: true, body: go(n.body, loops) };
    }
    if (n.kind === "ProducerConsumer" && n.isProducer && n.name === f.name) {
      parallel.push(...loops.filter((l) => l.forType !== "Serial" && l.forType !== "Unrolled").map((l) => l.name));
      return n;
    }
    return mapStmtChildren(n, (e) => e, (c) => go(c, n.kind === "For" ? [...loops, n] : loops));
  };
  const out = go(body, []);
  if (!found) {
    throw new HalideError(
      `Func "${f.name}" has its storage hoisted to ${loopLevelName(hoist)}, which is not a loop at or outside its ` +
        `store level (${loopLevelName(store)}); hoistStorage must name a loop that encloses storeAt.`,
    );
  }
  if (parallel.length) {
    throw new HalideError(
      `Func "${f.name}" storage is hoisted outside the parallel loop over ${parallel[0]} but computed within it. ` +
        `This is a potential race condition.`,
    );
  }
  return hoistedStorage(f, out);
}
