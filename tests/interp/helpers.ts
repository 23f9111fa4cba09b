// Small builders shared by the interpreter tests: constants of any type and one-node expressions, evaluated
// through the whole interpreter (IR node → evalExpr), so each case also exercises the evaluator's dispatch.
import {
  arith,
  type ArithOp,
  callIntrinsic,
  cast,
  cmp,
  type CmpOp,
  type Expr,
  floatImm,
  intImm,
  type IntrinsicName,
  reinterpret,
} from "../../src/ir/expr.ts";
import type { Type } from "../../src/ir/type.ts";
import { evalExpr, type Value } from "../../src/interp/eval.ts";

/** A constant of scalar type `t` (floats are rounded to the type; integers must fit). */
export function k(t: Type, v: number | bigint | boolean): Expr {
  if (t.isFloat()) return floatImm(t, Number(v));
  return intImm(t, typeof v === "boolean" ? (v ? 1n : 0n) : BigInt(v));
}

/** Evaluates `a op b` on constants of type `t`. */
export function op(kind: ArithOp | CmpOp, t: Type, a: number | bigint | boolean, b: number | bigint | boolean): Value {
  const [x, y] = [k(t, a), k(t, b)];
  return evalExpr(
    kind === "EQ" || kind === "NE" || kind === "LT" || kind === "LE" || kind === "GT" || kind === "GE"
      ? cmp(kind, x, y)
      : arith(kind, x, y),
  );
}

/** Evaluates the intrinsic `name` with result type `rt` on constant arguments given as [type, value] pairs. */
export function intr(name: IntrinsicName, rt: Type, ...args: [Type, number | bigint | boolean][]): Value {
  return evalExpr(callIntrinsic(name, rt, args.map(([t, v]) => k(t, v))));
}

/** Evaluates `cast(to, constant of type from)`. */
export function castOf(to: Type, from: Type, v: number | bigint | boolean): Value {
  return evalExpr(cast(to, k(from, v)));
}

/** Evaluates `reinterpret(to, constant of type from)`. */
export function reinterpretOf(to: Type, from: Type, v: number | bigint | boolean): Value {
  return evalExpr(reinterpret(to, k(from, v)));
}

/** fast-check settings: a fixed seed so that every run is the same. */
export const FC = { seed: 0x1a1de, numRuns: 400 };
