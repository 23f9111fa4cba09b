/**
 * Storage hoisting (`hoistStorage`; Halide's `HoistedStorage` nodes and the `HoistStorage` step of storage
 * flattening). Building the loop nest marks a hoisted realization (`Realize.hoisted`) and the statement at the
 * hoist level with `let <f>.hoisted_storage = 0 in …`; this pass, after storage folding (which shrinks
 * realizations), replaces each marker with the allocations of `f`, once for all the iterations of the loops in
 * between: each dimension as large as the largest extent it takes there. The realization keeps its own region
 * (mins and strides); storage flattening allocates nothing for it.
 *
 * @module
 */
import { HalideError } from "../error.ts";
import { constTrue, type Expr, i32Imm } from "../ir/expr.ts";
import type { FunctionDef } from "../ir/function.ts";
import { mapStmtChildren, visitStmt } from "../ir/mutate.ts";
import { simplify } from "../ir/simplify.ts";
import { type Allocate, letStmt, type Realize, type Stmt } from "../ir/stmt.ts";
import { boundsWithin } from "./bounds.ts";
import { bufferNames } from "./flatten.ts";

const marker = (f: FunctionDef) => `${f.name}.hoisted_storage`;

/**
 * `body` marked as the place where the (hoisted) storage of `f` is allocated.
 *
 * @example
 * ```ts
 * const s = hoistedStorage(f, loopBody); // let f.hoisted_storage = 0 in loopBody
 * ```
 */
export function hoistedStorage(f: FunctionDef, body: Stmt): Stmt {
  return letStmt(marker(f), i32Imm(0), body);
}

/**
 * Places the allocations of hoisted realizations where their markers are (before storage flattening).
 *
 * @example
 * ```ts
 * const s2 = hoistStorage(nest); // allocate f[…] where hoistStorage said
 * ```
 */
export function hoistStorage(s: Stmt): Stmt {
  const go = (n: Stmt): Stmt => {
    const m = mapStmtChildren(n, (e) => e, go);
    if (m.kind !== "LetStmt") return m;
    let hoisted: Realize | undefined;
    visitStmt(m.body, () => false, (c) => {
      if (c.kind === "Realize" && c.hoisted && marker(c.func) === m.name) hoisted = c;
    });
    return hoisted ? allocate(hoisted, m.body) : m;
  };
  return go(s);
}

/** `body` inside the allocations of `r`, sized for the largest realization of `r` inside `body`. */
function allocate(r: Realize, body: Stmt): Stmt {
  const extents = boundsWithin(body, (n) => (n === r ? r.bounds.map((b) => b.extent) : undefined)) ?? [];
  const largest: Expr[] = extents.map((iv) => {
    if (!iv.max) {
      throw new HalideError(
        `Couldn't infer the upper bound for the storage size of ${r.name}, whose storage is hoisted; consider ` +
          `bounding it with bound() or boundExtent().`,
      );
    }
    return simplify(iv.max);
  });
  const memoryType = r.func.funcSchedule.memoryType;
  return bufferNames(r.func).reduce((inner: Stmt, name, i) => {
    const alloc: Allocate = {
      kind: "Allocate",
      name,
      type: r.types[i],
      extents: largest,
      condition: constTrue(),
      body: inner,
    };
    return memoryType && memoryType !== "Auto" ? { ...alloc, memoryType } : alloc;
  }, body);
}
