// Shared helpers of the language-layer tests.
import { expect } from "bun:test";
import * as hl from "../../mod.ts";

/** The HalideError thrown by `f` (fails the test if none, or another kind of error). */
export function errorOf(f: () => unknown): hl.HalideError {
  try {
    f();
  } catch (e) {
    if (e instanceof hl.HalideError) return e;
    throw new Error(`expected a HalideError, got ${e}`);
  }
  throw new Error("expected a HalideError, nothing was thrown");
}

/** Asserts that `f` throws a HalideError whose message contains `message`. */
export function throwsHalide(f: () => unknown, message: string): void {
  expect(errorOf(f).message).toContain(message);
}

/** The type of an Expr-like, as text. */
export function typeOf(e: hl.ExprLike): string {
  return new hl.Expr(e).type.toString();
}

export const x = new hl.Var("x");
export const y = new hl.Var("y");
export const z = new hl.Var("z");

/** `cast(t, x)`: an Expr of type t that is not a constant. */
export function of(t: hl.Type, v: hl.ExprLike = x): hl.Expr {
  return hl.cast(t, v);
}
