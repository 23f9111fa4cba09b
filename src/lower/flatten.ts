/**
 * Storage flattening: multi-dimensional `Provide`s and image calls become 1-D `Store`s and `Load`s into
 * buffers, indexed `Σ (coord_d − buf.min.d) · buf.stride.d` from the host pointer (which points at the element
 * at the buffer's mins, as in `halide_buffer_t`).
 *
 * @module
 */
import { HalideError } from "../error.ts";
import { arith, type BufferSource, constTrue, type Expr, i32Imm, load, variable } from "../ir/expr.ts";
import { mapExprChildren, mapStmtChildren } from "../ir/mutate.ts";
import { block, type Stmt } from "../ir/stmt.ts";
import { Int } from "../ir/type.ts";

/**
 * The flat element index of `coords` in the buffer named `name`.
 *
 * @example
 * ```ts
 * flatIndex("in", [x, y]); // (x - in.min.0) * in.stride.0 + (y - in.min.1) * in.stride.1
 * ```
 */
export function flatIndex(name: string, coords: readonly Expr[]): Expr {
  const i32 = Int(32);
  const terms = coords.map((c, d) =>
    arith("Mul", arith("Sub", c, variable(i32, `${name}.min.${d}`)), variable(i32, `${name}.stride.${d}`))
  );
  return terms.reduce((a, b) => arith("Add", a, b), i32Imm(0) as Expr);
}

/**
 * Flattens `s`. `outputNames(func)` gives the buffer name of each value of a provided Func; `imageName(src)`
 * the argument name of an input image.
 *
 * @example
 * ```ts
 * flattenStorage(loopNest, (f) => [f.name], (img) => img.name);
 * ```
 */
export function flattenStorage(
  s: Stmt,
  outputNames: (funcName: string) => readonly string[],
  imageName: (b: BufferSource) => string,
): Stmt {
  const fe = (e: Expr): Expr => {
    const m = mapExprChildren(e, fe);
    if (m.kind === "Call" && m.callType === "Image" && m.image) {
      const name = imageName(m.image);
      return load(m.type, name, flatIndex(name, m.args), constTrue(), m.image);
    }
    if (m.kind === "Call" && m.callType === "Halide") {
      throw new HalideError(`Internal error: call to ${m.name} survived inlining`);
    }
    return m;
  };
  const fs = (n: Stmt): Stmt => {
    if (n.kind !== "Provide") return mapStmtChildren(n, fe, fs);
    const names = outputNames(n.name);
    const args = n.args.map(fe);
    return block(n.values.map((v, i) => ({
      kind: "Store",
      name: names[i],
      value: fe(v),
      index: flatIndex(names[i], args),
      predicate: constTrue(),
    })));
  };
  return fs(s);
}
