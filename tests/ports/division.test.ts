// Port of Halide's python_bindings/test/correctness/division.py. Python's `a / b` is `a.div(b)` (Halide's
// division: Euclidean for integers); Python's `a // b` is the same for integers and `hl.floor(a.div(b))` for floats
// (API.md §1). test_division_gpu (evaluate_may_gpu) has no counterpart.
import { describe, expect, it } from "bun:test";
import * as hl from "../../mod.ts";

const f32 = new hl.Param(hl.Float(32), "f32", -32.0);
const f64 = new hl.Param(hl.Float(64), "f64", 64.0);
const i16 = new hl.Param(hl.Int(16), "i16", -16);
const i32 = new hl.Param(hl.Int(32), "i32", 32);
const u16 = new hl.Param(hl.UInt(16), "u16", 16);
const u32 = new hl.Param(hl.UInt(32), "u32", 32);

/** Python's `//`: floor division for floats, Halide's division (which already floors) for integers. */
function floordiv(a: hl.ExprLike, b: hl.ExprLike): hl.Expr {
  const q = hl.div(a, b);
  return q.type.isFloat() ? hl.floor(q) : q;
}
const typeOf = (e: hl.Expr) => e.type;

describe("division.py", () => {
  it("test_types: the operand types unify as in match_types()", () => {
    expect(typeOf(f32.div(f64)).equals(hl.Float(64))).toBe(true);
    expect(typeOf(floordiv(f32, f64)).equals(hl.Float(64))).toBe(true);
    expect(typeOf(i16.div(i32)).equals(hl.Int(32))).toBe(true);
    expect(typeOf(floordiv(i16, i32)).equals(hl.Int(32))).toBe(true);
    expect(typeOf(u16.div(u32)).equals(hl.UInt(32))).toBe(true);
    expect(typeOf(floordiv(u16, u32)).equals(hl.UInt(32))).toBe(true);
    // int / uint -> int
    expect(typeOf(u16.div(i32)).equals(hl.Int(32))).toBe(true);
    expect(typeOf(floordiv(i32, u16)).equals(hl.Int(32))).toBe(true);
    // any / float -> float, float / any -> float
    expect(typeOf(u16.div(f32)).equals(hl.Float(32))).toBe(true);
    expect(typeOf(floordiv(u16, f32)).equals(hl.Float(32))).toBe(true);
    expect(typeOf(i16.div(f64)).equals(hl.Float(64))).toBe(true);
    expect(typeOf(floordiv(i16, f64)).equals(hl.Float(64))).toBe(true);
  });

  it("test_division: Halide's semantics, not JavaScript's", () => {
    expect(hl.evaluate(f32.div(f64))).toBe(-0.5);
    expect(hl.evaluate(floordiv(f32, f64))).toBe(-1.0);
    expect(hl.evaluate(i16.div(i32))).toBe(-1);
    expect(hl.evaluate(floordiv(i16, i32))).toBe(-1);
    expect(hl.evaluate(i32.div(i16))).toBe(-2);
    expect(hl.evaluate(u16.div(u32))).toBe(0);
    expect(hl.evaluate(floordiv(u16, u32))).toBe(0);
    expect(hl.evaluate(u16.div(i32))).toBe(0);
    expect(hl.evaluate(floordiv(i32, u16))).toBe(2);
    expect(hl.evaluate(u16.div(f32))).toBe(-0.5);
    expect(hl.evaluate(floordiv(u16, f32))).toBe(-1.0);
    expect(hl.evaluate(i16.div(f64))).toBe(-0.25);
    expect(hl.evaluate(floordiv(i16, f64))).toBe(-1.0);
  });

  it("test_division_tupled: the same through evaluate of a Tuple", () => {
    expect(hl.evaluate([f32.div(f64), floordiv(f32, f64)])).toEqual([-0.5, -1.0]);
    expect(hl.evaluate([i16.div(i32), floordiv(i16, i32), i32.div(i16)])).toEqual([-1, -1, -2]);
    expect(hl.evaluate([u16.div(u32), floordiv(u16, u32)])).toEqual([0, 0]);
    expect(hl.evaluate([u16.div(i32), floordiv(i32, u16)])).toEqual([0, 2]);
    expect(hl.evaluate([u16.div(f32), floordiv(u16, f32)])).toEqual([-0.5, -1.0]);
    expect(hl.evaluate([i16.div(f64), floordiv(i16, f64)])).toEqual([-0.25, -1.0]);
  });

  it("the Params' values are read when evaluated (changing them changes the results)", () => {
    const a = new hl.Param(hl.Int(32), "a", -7), b = new hl.Param(hl.Int(32), "b", 2);
    expect(hl.evaluate([a.div(b), a.mod(b)])).toEqual([-4, 1]);
    b.set(-2);
    expect(hl.evaluate([a.div(b), a.mod(b)])).toEqual([4, 1]);
    b.set(0);
    expect(hl.evaluate([a.div(b), a.mod(b)])).toEqual([0, 0]);
  });
});
