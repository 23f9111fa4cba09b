// The exactness table: complete, its "defined" predicates mark Halide's undefined corners, and withinTolerance
// applies ulps, relative tolerance, NaN and signed-zero rules.
import { describe, expect, it } from "bun:test";
import { Intrinsic } from "../../src/ir/expr.ts";
import { BFloat, Float, Int, UInt } from "../../src/ir/type.ts";
import { exactness, withinTolerance } from "../../src/interp/exactness.ts";

const i32 = Int(32), u8 = UInt(8), f32 = Float(32);

describe("exactness table", () => {
  it("has a rule for every intrinsic and every operator node", () => {
    const names = [
      ...Object.values(Intrinsic),
      ...["Cast", "Reinterpret", "Add", "Sub", "Mul", "Div", "Mod", "Min", "Max", "EQ", "NE", "LT", "LE", "GT", "GE"],
      ...["And", "Or", "Not", "Select", "Ramp", "Broadcast", "Shuffle", "VectorReduce"],
    ];
    for (const name of names) expect(Object.keys(exactness)).toContain(name);
  });
  it("integer and IEEE operations are exact; approximations have tolerances", () => {
    expect(exactness.Add.ulps).toBe(0);
    expect(exactness.sqrt.ulps).toBe(0);
    expect(exactness.sin.ulps).toBeGreaterThan(0);
    expect(exactness.fast_inverse.relative).toBeGreaterThan(0);
  });
});

describe("defined inputs", () => {
  it("shifts are defined for amounts below the width", () => {
    const shl = exactness.shift_left.defined!;
    expect(shl([1, 31], [i32, i32], i32)).toBe(true);
    expect(shl([1, 32], [i32, i32], i32)).toBe(false);
    expect(shl([1, -32], [i32, i32], i32)).toBe(false);
    expect(exactness.widening_shift_left.defined!([1, 9], [u8, u8], UInt(16))).toBe(true);
    expect(exactness.rounding_shift_right.defined!([1, 8], [u8, u8], u8)).toBe(false);
  });
  it("float → integer casts are defined when the truncated value fits (narrow targets: fits int32)", () => {
    const cast = exactness.Cast.defined!;
    expect(cast([255.9], [f32], u8)).toBe(true);
    expect(cast([256], [f32], u8)).toBe(true); // wraps through int32
    expect(cast([3e9], [f32], u8)).toBe(false);
    expect(cast([3e9], [f32], i32)).toBe(false);
    expect(cast([-0.5], [f32], u8)).toBe(true);
    expect(cast([NaN], [f32], i32)).toBe(false);
    expect(cast([300], [i32], u8)).toBe(true); // integer casts always wrap
  });
  it("truncating division excludes division by zero and INT_MIN / -1", () => {
    const div = exactness.div_round_to_zero.defined!;
    expect(div([7, 0], [i32, i32], i32)).toBe(false);
    expect(div([-2147483648, -1], [i32, i32], i32)).toBe(false);
    expect(div([-2147483647, -1], [i32, i32], i32)).toBe(true);
    expect(div([-(2n ** 63n), -1n], [Int(64), Int(64)], Int(64))).toBe(false);
  });
  it("lerp with integer values needs a float weight in [0, 1]", () => {
    const lerp = exactness.lerp.defined!;
    expect(lerp([0, 255, 1.5], [u8, u8, f32], u8)).toBe(false);
    expect(lerp([0, 255, 1], [u8, u8, f32], u8)).toBe(true);
    expect(lerp([0, 1, 1.5], [f32, f32, f32], f32)).toBe(true);
  });
  it("saturating_cast of NaN to an integer is undefined", () => {
    expect(exactness.saturating_cast.defined!([NaN], [f32], i32)).toBe(false);
    expect(exactness.saturating_cast.defined!([1e10], [f32], i32)).toBe(true);
  });
});

describe("withinTolerance", () => {
  it("compares integers and Bools exactly", () => {
    expect(withinTolerance(3, 3, i32, exactness.sin)).toBe(true);
    expect(withinTolerance(3, 4, i32, exactness.sin)).toBe(false);
    expect(withinTolerance(1n, 1n, Int(64), exactness.Add)).toBe(true);
    expect(withinTolerance(true, false, UInt(1), exactness.EQ)).toBe(false);
  });
  it("treats NaN as equal to NaN and -0 as equal to +0", () => {
    expect(withinTolerance(NaN, NaN, f32, exactness.Add)).toBe(true);
    expect(withinTolerance(NaN, 0, f32, exactness.sin)).toBe(false);
    expect(withinTolerance(0, -0, f32, exactness.Add)).toBe(true);
  });
  it("counts ulps in the result type", () => {
    expect(withinTolerance(1, 1 + 2 ** -23, f32, exactness.Add)).toBe(false);
    expect(withinTolerance(1, 1 + 2 ** -23, f32, exactness.sin)).toBe(true); // 1 ulp
    expect(withinTolerance(1, 1 + 5 * 2 ** -23, f32, exactness.sin)).toBe(false); // 5 ulps
    expect(withinTolerance(1, 1 + 2 ** -10, Float(16), exactness.sin)).toBe(true); // 1 float16 ulp
    expect(withinTolerance(1, 1 + 2 ** -7, BFloat(16), exactness.sin)).toBe(true); // 1 bfloat16 ulp
    expect(withinTolerance(2 ** -140, 2 ** -140 + 2 ** -149, f32, exactness.sin)).toBe(true); // subnormal ulp
    expect(withinTolerance(Infinity, 3e38, f32, exactness.sin)).toBe(false);
  });
  it("applies relative tolerances of approximations", () => {
    expect(withinTolerance(0.25, 0.25 * (1 + 2 ** -12), f32, exactness.fast_inverse)).toBe(true);
    expect(withinTolerance(0.25, 0.25 * (1 + 2 ** -8), f32, exactness.fast_inverse)).toBe(false);
  });
});
