/**
 * Storage flattening: multi-dimensional `Provide`s, Func calls and image calls become 1-D `Store`s and `Load`s
 * into buffers, indexed `Σ (coord_d − buf.min.d) · buf.stride.d` from the host pointer (which points at the
 * element at the buffer's mins, as in `halide_buffer_t`). Each `Realize` becomes an `Allocate` per Tuple element
 * (in the schedule's `storeIn` memory) with dense strides in the Func's storage order (`reorderStorage`;
 * dimension 0 innermost by default) — or only the strides when its allocation was hoisted (`hoist_storage.ts`).
 *
 * @module
 */
import { HalideError } from "../error.ts";
import { arith, type BufferSource, constTrue, type Expr, i32Imm, load, variable } from "../ir/expr.ts";
import type { FunctionDef } from "../ir/function.ts";
import { mapExprChildren, mapStmtChildren } from "../ir/mutate.ts";
import { type MemoryType, storageDims } from "../ir/schedule.ts";
import { block, letStmt, type Stmt } from "../ir/stmt.ts";
import { Int } from "../ir/type.ts";

const i32 = Int(32);

/**
 * The flat element index of `coords` in the buffer named `name`.
 *
 * @example
 * ```ts
 * flatIndex("in", [x, y]); // (x - in.min.0) * in.stride.0 + (y - in.min.1) * in.stride.1
 * ```
 */
export function flatIndex(name: string, coords: readonly Expr[]): Expr {
  const terms = coords.map((c, d) =>
    arith("Mul", arith("Sub", c, variable(i32, `${name}.min.${d}`)), variable(i32, `${name}.stride.${d}`))
  );
  return terms.reduce((a, b) => arith("Add", a, b), i32Imm(0) as Expr);
}

/**
 * The buffer names of a Func's values: `f` for a single value, `f.0`, `f.1`, … for a Tuple.
 *
 * @example
 * ```ts
 * bufferNames(f); // ["f"]
 * ```
 */
export function bufferNames(f: FunctionDef): string[] {
  const n = f.outputTypes.length;
  return n === 1 ? [f.name] : Array.from({ length: n }, (_, i) => `${f.name}.${i}`);
}

/**
 * Flattens `s` for the pipeline whose outputs are `outputs` (stored in the pipeline's output buffers); `imageName`
 * gives the argument name of an input image.
 *
 * @example
 * ```ts
 * flattenStorage(nest, out, (img) => img.name);
 * ```
 */
export function flattenStorage(
  s: Stmt,
  outputs: FunctionDef | readonly FunctionDef[],
  imageName: (b: BufferSource) => string,
): Stmt {
  const live = new Set<FunctionDef>(Array.isArray(outputs) ? outputs : [outputs as FunctionDef]);
  const storage = (f: FunctionDef, use: string): string[] => {
    if (!live.has(f)) {
      throw new HalideError(
        `Func ${f.name} is ${use} outside the loop where it is computed; compute it at a loop that encloses all ` +
          `of its uses (or at root).`,
      );
    }
    return bufferNames(f);
  };
  const fe = (e: Expr): Expr => {
    const m = mapExprChildren(e, fe);
    if (m.kind !== "Call") return m;
    if (m.callType === "Image" && m.image) {
      const name = imageName(m.image);
      return load(m.type, name, flatIndex(name, m.args), constTrue(), m.image);
    }
    if (m.callType === "Halide" && m.func) {
      const name = storage(m.func, "used")[m.valueIndex];
      return load(m.type, name, flatIndex(name, m.args), constTrue());
    }
    return m;
  };
  const fs = (n: Stmt): Stmt => {
    if (n.kind === "Provide") {
      const names = storage(n.func, "provided");
      const args = n.args.map(fe);
      const values = n.values.map(fe);
      // A Tuple's values are all computed before any is stored (an update may read what it overwrites).
      const temps = values.map((v, i) => (values.length > 1 ? variable(v.type, `${n.name}.value.${i}`) : v));
      const stores: Stmt = block(temps.map((v, i) => ({
        kind: "Store",
        name: names[i],
        value: v,
        index: flatIndex(names[i], args),
        predicate: constTrue(),
        ...(n.atomic ? { atomic: true } : {}),
      })));
      return values.length > 1 ? values.reduceRight<Stmt>((body, v, i) => letStmt(`${n.name}.value.${i}`, v, body), stores) : stores;
    }
    if (n.kind !== "Realize") return mapStmtChildren(n, fe, fs);
    live.add(n.func);
    let body = fs(n.body);
    live.delete(n.func);
    const f = n.func;
    const memoryType = hostMemoryType(f);
    // Storage order: dimension indices, innermost first.
    const order = storageDims(f.args, f.funcSchedule).map((sd) => f.args.indexOf(sd.var));
    bufferNames(f).forEach((name, i) => {
      if (!n.hoisted) {
        const extents = n.bounds.map((b) => b.extent);
        body = { kind: "Allocate", name, type: n.types[i], extents, condition: n.condition, body, ...memoryType };
      }
      // Dense strides in storage order; mins are the realized region's.
      for (let k = order.length - 1; k >= 0; k--) {
        const [d, prev] = [order[k], order[k - 1]];
        const stride = k === 0
          ? i32Imm(1)
          : arith("Mul", variable(i32, `${name}.stride.${prev}`), variable(i32, `${name}.extent.${prev}`));
        body = letStmt(`${name}.stride.${d}`, stride, body);
      }
      for (let d = n.bounds.length - 1; d >= 0; d--) {
        body = letStmt(`${name}.min.${d}`, n.bounds[d].min, letStmt(`${name}.extent.${d}`, n.bounds[d].extent, body));
      }
    });
    return body;
  };
  return fs(s);
}

/** `{ memoryType }` for a Func with a `storeIn` memory other than Auto (a HalideError for non-host memories). */
function hostMemoryType(f: FunctionDef): { memoryType?: MemoryType } {
  const m = f.funcSchedule.memoryType;
  if (!m || m === "Auto") return {};
  if (m !== "Heap" && m !== "Stack" && m !== "Register") {
    throw new HalideError(
      `Func ${f.name} is stored in MemoryType.${m}, which exists only on GPU and DSP targets; on the host use ` +
        `Auto, Heap, Stack or Register.`,
    );
  }
  return { memoryType: m };
}
