/**
 * The prologue that guards a pipeline's buffer arguments (Halide's `AddImageChecks`), around the body:
 *
 *     let b.min.0.required = …            the region the pipeline reads (inputs) or writes (outputs)
 *     let b.min.0.proposed = …            that region passed through b's constraints
 *     assert(!query(b) || proposed covers required)
 *     if (query(b)) set b's shape to the proposed one      — the bounds-query protocol
 *     if (no buffer is a query) {
 *       assert b.min.0 == its constraint …                  "Constraint violated: …"
 *       assert extents ≥ 0; b covers the required region     "Input buffer b is accessed at …"
 *       body
 *     }
 *
 * A buffer with no host memory is a bounds query: the pipeline computes nothing and instead writes into such
 * buffers the shape it would need (`Pipeline.inferInputBounds` and extern stages rely on this).
 *
 * @module
 */
import { HalideError } from "../error.ts";
import {
  BufferCall,
  call,
  select,
  cmp,
  constFalse,
  type Expr,
  i32Imm,
  isConst,
  logical,
  not,
  stringImm,
  variable,
} from "../ir/expr.ts";
import { foldArith, type Interval } from "../ir/interval.ts";
import { substitute, substituteInStmt } from "../ir/mutate.ts";
import { exprToString } from "../ir/printer.ts";
import type { DimConstraint } from "../ir/schedule.ts";
import { block, evaluateStmt, ifThenElse, letStmt, type Stmt } from "../ir/stmt.ts";
import { Bool, Int } from "../ir/type.ts";
import { errorMessage } from "./error_message.ts";

const i32 = Int(32);
const fields = ["min", "extent", "stride"] as const;

/** One buffer argument as the checks see it. */
export interface CheckedBuffer {
  /** The argument's name in the generated code (its shape variables are `<name>.min.<d>` …). */
  readonly name: string;
  /** The name in messages ("Input buffer <display> is accessed at …"). */
  readonly display: string;
  readonly isOutput: boolean;
  readonly dimensions: number;
  readonly constraints: readonly DimConstraint[];
  /** The region read (inputs) or written (outputs); undefined when the pipeline never touches the data. */
  readonly touched: readonly Interval[] | undefined;
  /** When the data is touched only under a condition (a specialization): the condition. */
  readonly usedWhen?: Expr;
}

const sym = (b: string, field: string, d: number, suffix = "") => variable(i32, `${b}.${field}.${d}${suffix}`);
/** The extent of `[min, max]`. */
const extentOf = (min: Expr, max: Expr) => foldArith("Add", foldArith("Sub", max, min), i32Imm(1));
/** The max of a region from its min and extent. */
const lastOf = (min: Expr, extent: Expr) => foldArith("Sub", foldArith("Add", min, extent), i32Imm(1));

/**
 * Wraps `body` in the buffer checks and the bounds-query protocol for `buffers`. Constraints that are constants
 * or plain variables are also substituted into the body (so loops over a constrained output have known bounds).
 * `guard` (e.g. "the output is not empty") limits the region assertions, whose regions are meaningless otherwise.
 *
 * @example
 * ```ts
 * const s = addImageChecks(loops, [{ name: "in", display: "in", isOutput: false, dimensions: 1,
 *   constraints: defaultConstraints(1), touched: [{ min: lo, max: hi }] }], constTrue());
 * ```
 */
export function addImageChecks(body: Stmt, buffers: readonly CheckedBuffer[], guard: Expr): Stmt {
  const required: [string, Expr][] = [], constrained: [string, Expr][] = [], proposed: [string, Expr][] = [];
  const proposedAsserts: Stmt[] = [], rewrites: Stmt[] = [], constraintAsserts: Stmt[] = [], regionAsserts: Stmt[] = [];
  const replaceInBody = new Map<string, Expr>();
  const toRequired = new Map<string, Expr>();
  let anyQuery: Expr = constFalse();

  for (const b of buffers) {
    for (let d = 0; d < b.dimensions; d++) {
      for (const f of fields) toRequired.set(`${b.name}.${f}.${d}`, sym(b.name, f, d, ".required"));
    }
  }
  for (const b of buffers) {
    const kind = b.isOutput ? "Output" : "Input";
    const query = call(Bool(), BufferCall.isBoundsQuery, [stringImm(b.name)], "Extern");
    anyQuery = anyQuery.kind === "IntImm" ? query : logical("Or", anyQuery, query);
    const shape: Expr[] = [];
    for (let d = 0; d < b.dimensions; d++) {
      const iv = b.touched?.[d];
      if (iv && (!iv.min || !iv.max)) {
        throw new HalideError(
          `${kind} buffer ${b.display} may be accessed in an unbounded way in dimension ${d}; ` +
            `clamp the coordinates or use a boundary condition.`,
        );
      }
      const [min, extent] = [sym(b.name, "min", d), sym(b.name, "extent", d)];
      // Touched only under a condition: when it does not hold, nothing is required beyond the buffer itself.
      const when = (e: Expr, otherwise: Expr) => (b.usedWhen ? select(b.usedWhen, e, otherwise) : e);
      required.push(
        [`${b.name}.min.${d}.required`, iv ? when(iv.min!, min) : min],
        [`${b.name}.extent.${d}.required`, iv ? when(extentOf(iv.min!, iv.max!), extent) : extent],
        [`${b.name}.stride.${d}.required`, d === 0 ? i32Imm(1) : foldArith("Mul", sym(b.name, "stride", d - 1, ".required"), sym(b.name, "extent", d - 1, ".required"))],
      );
      for (const f of fields) {
        const c = b.constraints[d]?.[f];
        const name = `${b.name}.${f}.${d}`;
        if (!c) {
          proposed.push([`${name}.proposed`, sym(b.name, f, d, ".required")]);
          continue;
        }
        constrained.push([`${name}.constrained`, c]);
        proposed.push([`${name}.proposed`, substitute(c, toRequired)]);
        if (isConst(c) || c.kind === "Variable") replaceInBody.set(name, c);
        constraintAsserts.push({
          kind: "AssertStmt",
          cond: cmp("EQ", variable(i32, name), variable(i32, `${name}.constrained`)),
          message: errorMessage([`Constraint violated: ${name} (`, variable(i32, name), `) == ${exprToString(c)} (`, variable(i32, `${name}.constrained`), `)`]),
        });
      }
      shape.push(sym(b.name, "min", d, ".proposed"), sym(b.name, "extent", d, ".proposed"), sym(b.name, "stride", d, ".proposed"));
      const reqMin = sym(b.name, "min", d, ".required"), reqLast = lastOf(reqMin, sym(b.name, "extent", d, ".required"));
      const propMin = sym(b.name, "min", d, ".proposed"), propLast = lastOf(propMin, sym(b.name, "extent", d, ".proposed"));
      proposedAsserts.push({
        kind: "AssertStmt",
        cond: logical("Or", not(query), logical("And", cmp("LE", propMin, reqMin), cmp("GE", propLast, reqLast))),
        message: errorMessage([
          `Applying the constraints on ${kind} buffer ${b.display} to the required region made it smaller in dimension ${d}. Required size: `,
          reqMin, " to ", reqLast, ". Constrained size: ", propMin, " to ", propLast, ".",
        ]),
      });
      regionAsserts.push({
        kind: "AssertStmt",
        cond: cmp("GE", extent, i32Imm(0)),
        message: errorMessage([`The extents for buffer ${b.display} dimension ${d} is negative (`, extent, ")"]),
      });
      if (!iv) continue;
      const what = `${kind} buffer ${b.display} is accessed at `;
      const actualMax = lastOf(min, extent);
      regionAsserts.push(
        {
          kind: "AssertStmt",
          cond: cmp("LE", min, reqMin),
          message: errorMessage([what, reqMin, `, which is before the min (`, min, `) in dimension ${d}`]),
        },
        {
          kind: "AssertStmt",
          cond: cmp("LE", reqLast, actualMax),
          message: errorMessage([what, reqLast, `, which is beyond the max (`, actualMax, `) in dimension ${d}`]),
        },
      );
    }
    rewrites.push(ifThenElse(query, evaluateStmt(call(i32, BufferCall.setBounds, [stringImm(b.name), ...shape], "Extern"))));
  }

  const checked = block([
    ...constraintAsserts,
    ...(regionAsserts.length ? [ifThenElse(guard, block(regionAsserts))] : []),
    substituteInStmt(body, replaceInBody),
  ]);
  let s = block([...proposedAsserts, ...rewrites, ifThenElse(not(anyQuery), checked)]);
  for (const [name, value] of [...required, ...constrained, ...proposed].reverse()) s = letStmt(name, value, s);
  return s;
}
