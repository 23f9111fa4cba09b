/**
 * `hl.lambda(...vars, value)`: a Func defined in one expression (Halide's `lambda`, Python's `lambda_func`).
 *
 * @module
 */
import { HalideError } from "../error.ts";
import type { ExprLike } from "./expr.ts";
import { Func } from "./func.ts";
import { _, Var } from "./var.ts";

let lambdaCount = 0;

/**
 * The arguments of {@link lambda}: the pure variables, in order, then the value (an ExprLike, or a list for a
 * Tuple-valued Func).
 *
 * @example
 * ```ts
 * const args: hl.LambdaArgs = [x, y, x.add(y)];
 * hl.lambda(...args);
 * ```
 */
export type LambdaArgs = [...vars: Var[], value: ExprLike | readonly ExprLike[]];

/**
 * A new Func named `lambda_N` defined as `f(vars…) = value`. With no variables the Func is zero-dimensional,
 * unless `value` uses implicit variables (`buf.at(hl._)`), which then become its arguments — as `f(_) = value`.
 * `hl._` may also stand among the variables. A list value makes a Tuple-valued Func.
 *
 * @example
 * ```ts
 * const x = new hl.Var("x"), y = new hl.Var("y");
 * const f = hl.lambda(x, y, x.add(y.mul(10)));
 * f.realize([3, 2]).get([2, 1]); // 12
 * hl.lambda(hl.f32(1.5)).realize([]).get([]); // 1.5 (zero-dimensional)
 * hl.lambda(x, [x, x.mul(2)]).realizeTuple([4]); // two Buffers
 * ```
 */
export function lambda(...args: LambdaArgs): Func {
  if (args.length === 0) throw new HalideError("hl.lambda needs at least a value: hl.lambda(...vars, value).");
  const vars = args.slice(0, -1);
  vars.forEach((v, i) => {
    if (!(v instanceof Var)) {
      throw new HalideError(
        `Argument ${i + 1} of hl.lambda is not a Var: every argument but the last (the value) must be a Var.`,
      );
    }
  });
  const value = args[args.length - 1] as ExprLike | readonly ExprLike[];
  const f = new Func(`lambda_${lambdaCount++}`);
  f.at(...(vars.length === 0 ? [_] : vars as Var[])).set(value);
  return f;
}
