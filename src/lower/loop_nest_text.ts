/**
 * The loop nest of a pipeline as text (`Func.loopNest()` / `printLoopNest()`): the order of the loops, their
 * kinds, and where each Func is produced and consumed — as Halide's `print_loop_nest` shows it.
 *
 * @module
 */
import { asConstInt, type Expr, variable } from "../ir/expr.ts";
import type { FunctionDef } from "../ir/function.ts";
import type { Stmt } from "../ir/stmt.ts";
import { Int } from "../ir/type.ts";
import { schedulePipeline } from "./schedule_functions.ts";

const kinds = { Serial: "for", Parallel: "parallel", Vectorized: "vectorized", Unrolled: "unrolled" } as const;

/**
 * The loop nest computing `output`, one line per loop, produce/consume block and store.
 *
 * @example
 * ```ts
 * loopNestText(f.fn);
 * // produce f:
 * //   parallel y:
 * //     for x.x:
 * //       vectorized x.v0 in [0, 7]:
 * //         f(...) = ...
 * ```
 */
export function loopNestText(outputs: FunctionDef | readonly FunctionDef[]): string {
  const i32 = Int(32);
  const outs: readonly FunctionDef[] = Array.isArray(outputs) ? outputs : [outputs as FunctionDef];
  const regions = outs.map((output) =>
    output.args.map((_, d) => ({
      min: variable(i32, `${output.name}.min.${d}`) as Expr,
      extent: variable(i32, `${output.name}.extent.${d}`) as Expr,
    }))
  );
  const lines: string[] = [`produce ${outs.map((o) => o.name).join(", ")}:`];
  const walk = (s: Stmt, depth: number): void => {
    const pad = "  ".repeat(depth);
    switch (s.kind) {
      case "For": {
        const name = s.name.replace(/^[^.]*\.s\d+\./, "");
        const extent = asConstInt(s.extent);
        const range = extent !== undefined && asConstInt(s.min) !== undefined
          ? ` in [${asConstInt(s.min)}, ${asConstInt(s.min)! + extent - 1n}]`
          : "";
        lines.push(`${pad}${kinds[s.forType]} ${name}${range}:`);
        walk(s.body, depth + 1);
        return;
      }
      case "ProducerConsumer":
        lines.push(`${pad}${s.isProducer ? "produce" : "consume"} ${s.name}:`);
        walk(s.body, depth + 1);
        return;
      case "Realize":
        lines.push(`${pad}store ${s.name}:`);
        walk(s.body, depth + 1);
        return;
      case "Provide":
        lines.push(`${pad}${s.name}(...) = ...`);
        return;
      case "Block":
        s.stmts.forEach((c) => walk(c, depth));
        return;
      case "LetStmt":
        walk(s.body, depth);
        return;
      case "IfThenElse":
        walk(s.thenCase, depth);
        if (s.elseCase) walk(s.elseCase, depth);
        return;
      default:
        return;
    }
  };
  walk(schedulePipeline(outs, regions), 1);
  return lines.join("\n");
}
