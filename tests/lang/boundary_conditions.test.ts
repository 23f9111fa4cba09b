// hl.BoundaryConditions: the behaviour of Halide's test/correctness/boundary_conditions.cpp (and the Python
// bindings' boundary_conditions.py) — each condition over Buffer, ImageParam and Func sources, realized over a
// region larger than the source (negative and far-away coordinates), every element compared with a plain
// TypeScript reference; several schedules, 2-D and 3-D, unbounded dimensions, several types, the error cases, and
// the lowered statement of a vectorized repeatEdge (loop partitioning).
import { describe, expect, it } from "bun:test";
import * as hl from "../../mod.ts";
import { lowerPipeline } from "../../src/lower/lower.ts";
import { stmtToString } from "../../src/ir/printer.ts";
import { loopsNamed, throwsHalide } from "../schedule/helpers.ts";

const BC = hl.BoundaryConditions;
const [x, y, z] = [new hl.Var("x"), new hl.Var("y"), new hl.Var("z")];
const [xo, yo, xi, yi] = [new hl.Var("xo"), new hl.Var("yo"), new hl.Var("xi"), new hl.Var("yi")];

// ------------------------------------------------------------------------------------------------ reference

type Kind = "constantExterior" | "repeatEdge" | "repeatImage" | "mirrorImage" | "mirrorInterior";
const KINDS: Kind[] = ["constantExterior", "repeatEdge", "repeatImage", "mirrorImage", "mirrorInterior"];
const EXTERIOR = 42;

/** Euclidean remainder (0 ≤ r < |m|; 0 for m = 0, as Halide's). */
function emod(a: number, m: number): number {
  if (m === 0) return 0;
  const r = a % m;
  return r < 0 ? r + Math.abs(m) : r;
}

/**
 * Where coordinate `c` reads from under `kind` in a dimension bounded by `[min, extent]`, written from the
 * definitions (not from Halide's code): undefined means the exterior value.
 */
function sourceCoord(kind: Kind, c: number, [min, extent]: readonly [number, number]): number | undefined {
  const max = min + extent - 1;
  const inside = c >= min && c <= max;
  switch (kind) {
    case "constantExterior":
      return inside ? c : undefined;
    case "repeatEdge":
      return Math.min(Math.max(c, min), max);
    case "repeatImage":
      return min + emod(c - min, extent);
    case "mirrorImage": { // … 1 0 | 0 1 … (n-1) | (n-1) …: period 2n
      const t = emod(c - min, 2 * extent);
      return min + (t < extent ? t : 2 * extent - 1 - t);
    }
    case "mirrorInterior": { // … 2 1 | 0 1 … (n-1) | (n-2) …: period 2(n-1)
      if (extent === 1) return min;
      const t = emod(c - min, 2 * (extent - 1));
      return min + (t < extent ? t : 2 * (extent - 1) - t);
    }
  }
}

type Range = readonly [number, number];
type Read = (coords: number[]) => number;

/** The reference value at `coords`; `ranges[d]` undefined = an unbounded dimension. */
function expectedAt(kind: Kind, coords: number[], ranges: readonly (Range | undefined)[], read: Read): number {
  const mapped = coords.map((c, d) => (ranges[d] ? sourceCoord(kind, c, ranges[d]!) : c));
  return mapped.some((c) => c === undefined) ? EXTERIOR : read(mapped as number[]);
}

// ------------------------------------------------------------------------------------------------ harness

type Source = hl.Buffer | hl.ImageParam | hl.Func;
type Schedule = (f: hl.Func, vars: hl.Var[]) => void;

const SCHEDULES: Record<string, Schedule> = {
  default: () => {},
  "vectorize(x, 8)": (f) => void f.vectorize(x, 8),
  "tile 16x8, vectorize 4, parallel": (f, vars) => {
    f.tile(x, y, xo, yo, xi, yi, 16, 8).vectorize(xi, 4).parallel(vars.length > 2 ? vars[2] : yo);
  },
};

/** `hl.BoundaryConditions[kind]` (with the exterior value for constantExterior). */
function make(kind: Kind, source: Source, bounds?: hl.Bounds): hl.Func {
  return kind === "constantExterior" ? BC.constantExterior(source, EXTERIOR, bounds) : BC[kind](source, bounds);
}

/**
 * Realizes `bc` through `hl.lambda(vars, bc(vars))` (as Halide's test) scheduled by `schedule` over `region`
 * (`[min, extent]` per dimension) and compares every element with the reference; "" if all match.
 */
function mismatches(
  kind: Kind,
  bc: hl.Func,
  region: readonly Range[],
  ranges: readonly (Range | undefined)[],
  read: Read,
  type: hl.Type,
  schedule: Schedule = SCHEDULES.default,
): string {
  const vars = [x, y, z].slice(0, region.length);
  const f = hl.lambda(...vars, bc.at(...vars));
  schedule(f, vars);
  const out = new hl.Buffer(type, region.map((r) => r[1]));
  out.setMin(region.map((r) => r[0]));
  f.realize(out);
  let bad = 0, first = "";
  out.forEachElement((coords) => {
    const got = out.get(coords), want = expectedAt(kind, coords, ranges, read);
    if (got !== want) {
      if (bad++ === 0) first = `${kind} at [${coords}]: got ${got}, expected ${want}`;
    }
  });
  return bad === 0 ? "" : `${bad} mismatches; first: ${first}`;
}

/** A Buffer of `type` over `shape` with mins `mins`, filled with `value(coords)`. */
function filled(type: hl.Type, shape: number[], mins: number[], value: (c: number[]) => number): hl.Buffer {
  const b = new hl.Buffer(type, shape, "input");
  b.setMin(mins);
  b.forEachElement((c) => b.set(c, value(c)));
  return b;
}

const W = 32, H = 32;
const TEST_MIN = -25, TEST_EXTENT = 100;
const BIG: Range[] = [[TEST_MIN, TEST_EXTENT], [TEST_MIN, TEST_EXTENT]];
const FULL: Range[] = [[0, W], [0, H]];

/** Halide's input: input(x, y) = (x + y·W) & 255. */
const input = filled(hl.UInt(8), [W, H], [0, 0], ([c, r]) => (c + r * W) & 0xff);
const readInput: Read = (c) => input.get(c) as number;

/** The three source kinds of Halide's test for `input`: Buffer, ImageParam (bound to it), Func with bounds. */
function sources(): { name: string; make: (kind: Kind) => hl.Func }[] {
  const param = new hl.ImageParam(hl.UInt(8), 2, "input_param");
  param.set(input);
  const inputF = new hl.Func("input_f");
  inputF.at(x, y).set(input.at(x, y));
  return [
    { name: "Buffer", make: (kind) => make(kind, input) },
    { name: "ImageParam", make: (kind) => make(kind, param) },
    { name: "Func", make: (kind) => make(kind, inputF, FULL) },
  ];
}

// ------------------------------------------------------------------------------------------------ tests

describe("BoundaryConditions: 2-D uint8 over [-25, 75)², every source and schedule", () => {
  for (const kind of KINDS) {
    for (const [schedName, schedule] of Object.entries(SCHEDULES)) {
      it(`${kind}, ${schedName}`, () => {
        for (const source of sources()) {
          const msg = mismatches(kind, source.make(kind), BIG, FULL, readInput, hl.UInt(8), schedule);
          expect(`${source.name}: ${msg}`).toBe(`${source.name}: `);
        }
      });
    }
  }
});

describe("BoundaryConditions: Halide's other cases", () => {
  it("explicit bounds on a Buffer, and every vector width from 2 to 32", () => {
    for (const kind of KINDS) {
      for (const width of [2, 4, 16, 32]) {
        const msg = mismatches(kind, make(kind, input, FULL), BIG, FULL, readInput, hl.UInt(8), (f) => {
          f.vectorize(x, width);
        });
        expect(`${width}: ${msg}`).toBe(`${width}: `);
      }
    }
  });

  it("an unbounded dimension (undefined, or Python's [undefined, undefined]) is not remapped", () => {
    for (const kind of KINDS) {
      // x unbounded: realize x only over the buffer; y over the large region.
      const undefX = make(kind, input, [undefined, [0, H]]);
      expect(
        mismatches(
          kind,
          undefX,
          [[0, W], BIG[1]],
          [undefined, FULL[1]],
          readInput,
          hl.UInt(8),
          SCHEDULES["vectorize(x, 8)"],
        ),
      )
        .toBe("");
      const undefY = make(kind, input, [[0, W], [undefined, undefined] as unknown as hl.BoundsRange]);
      expect(mismatches(kind, undefY, [BIG[0], [0, H]], [FULL[0], undefined], readInput, hl.UInt(8))).toBe("");
      // Fewer bounds than dimensions: the trailing ones are unbounded (Halide's rule).
      const short = make(kind, input, [[0, W]]);
      expect(mismatches(kind, short, [BIG[0], [3, 5]], [FULL[0], undefined], readInput, hl.UInt(8))).toBe("");
    }
  });

  it("far-away coordinates, on both sides", () => {
    for (const kind of KINDS) {
      const region: Range[] = [[-1_000_003, 40], [999_981, 20]];
      expect(mismatches(kind, make(kind, input), region, FULL, readInput, hl.UInt(8), SCHEDULES["vectorize(x, 8)"]))
        .toBe("");
    }
  });
});

describe("BoundaryConditions: 3-D, other types, other mins", () => {
  it("float32 ImageParam bound to a Buffer with non-zero mins (bounds are its shape Exprs)", () => {
    const buf = filled(hl.Float(32), [7, 5, 3], [-3, 4, 1], ([a, b, c]) => a * 0.25 + b * 10 + c * 1000);
    const param = new hl.ImageParam(hl.Float(32), 3, "fparam");
    param.set(buf);
    const ranges: Range[] = [[-3, 7], [4, 5], [1, 3]];
    const region: Range[] = [[-20, 40], [-9, 30], [-4, 9]];
    const read: Read = (c) => buf.get(c) as number;
    for (const kind of KINDS) {
      const schedule: Schedule = (f) => void f.vectorize(x, 8).parallel(z);
      expect(mismatches(kind, make(kind, param), region, ranges, read, hl.Float(32), schedule)).toBe("");
    }
  });

  it("int16 Buffer with explicit bounds smaller than the buffer (a window of it)", () => {
    const buf = filled(hl.Int(16), [10, 9, 4], [0, 0, 0], ([a, b, c]) => a - 20 * b + 300 * c - 500);
    const ranges: Range[] = [[2, 6], [1, 5], [1, 2]];
    const region: Range[] = [[-13, 37], [-11, 30], [-3, 8]];
    for (const kind of KINDS) {
      const bc = make(kind, buf, ranges);
      expect(
        mismatches(
          kind,
          bc,
          region,
          ranges,
          (c) => buf.get(c) as number,
          hl.Int(16),
          SCHEDULES["tile 16x8, vectorize 4, parallel"],
        ),
      )
        .toBe("");
    }
  });

  it("a computed int32 Func, bounded by symbolic Params", () => {
    const f = new hl.Func("computed");
    f.at(x, y).set(x.mul(x).sub(y.mul(7)));
    const lo = new hl.Param(hl.Int(32), "lo", -4), n = new hl.Param(hl.Int(32), "n", 9);
    const ranges: Range[] = [[-4, 9], [3, 1]]; // a one-wide range in y: mirrorInterior's degenerate case
    for (const kind of KINDS) {
      const bc = make(kind, f, [[lo, n], [3, 1]]);
      expect(mismatches(kind, bc, [[-40, 80], [-3, 9]], ranges, ([a, b]) => a * a - b * 7, hl.Int(32))).toBe("");
    }
  });

  it("a computed float32 Func: a non-integral exterior value takes the Func's type", () => {
    const f = new hl.Func("ramp_f");
    f.at(x).set(hl.f32(x).div(4));
    const g = BC.constantExterior(f, 0.5, [[0, 10]]);
    const out = hl.lambda(x, g.at(x)).realize([14]);
    expect(out.get([9])).toBe(2.25);
    expect(out.get([10])).toBe(0.5);
  });

  it("Tuple-valued Funcs: constantExterior with one value per element, remapping conditions read every element", () => {
    const pair = new hl.Func("pair");
    pair.at(x, y).set([x.add(y.mul(100)), hl.f32(x).mul(0.5)]);
    const bounds: hl.Bounds = [[0, 4], [0, 3]];
    const padded = BC.constantExterior(pair, [-1, hl.f32(-2)], bounds);
    const [a, b] = hl.lambda(x, y, padded.at(x, y)).realizeTuple([6, 4]);
    expect([a.get([3, 2]), b.get([3, 2])]).toEqual([203, 1.5]);
    expect([a.get([4, 2]), b.get([4, 2])]).toEqual([-1, -2]);
    expect([a.get([1, 3]), b.get([1, 3])]).toEqual([-1, -2]);
    const mirrored = BC.mirrorImage(pair, bounds);
    expect(mirrored.outputs).toBe(2);
    const [c, d] = hl.lambda(x, y, mirrored.at(x, y)).realizeTuple([6, 5]);
    expect([c.get([5, 4]), d.get([5, 4])]).toEqual([2 + 100 * 1, 1]);
  });
});

describe("BoundaryConditions: the Func made", () => {
  it("is named as Halide's and takes the source's variables (implicit ones for Buffers/ImageParams)", () => {
    const f = new hl.Func("named_src");
    f.at(x, y).set(x.add(y));
    const names: Record<Kind, string> = {
      constantExterior: "constant_exterior",
      repeatEdge: "repeat_edge",
      repeatImage: "repeat_image",
      mirrorImage: "mirror_image",
      mirrorInterior: "mirror_interior",
    };
    for (const kind of KINDS) {
      const g = make(kind, f, [[0, 4], [0, 4]]);
      expect(g.name.startsWith(names[kind])).toBe(true);
      expect(g.args().map((v) => v.name)).toEqual(["x", "y"]);
      expect(make(kind, input).args().map((v) => v.name)).toEqual(["_0", "_1"]);
      expect(make(kind, input).type.toString()).toBe("uint8");
    }
  });

  it("can be called with the placeholder and feeds a blur (Halide's lesson 7)", () => {
    const clamped = BC.repeatEdge(input);
    const blur = new hl.Func("blur");
    blur.at(x, y).set(hl.u8(hl.u16(clamped.at(x.sub(1), y)).add(clamped.at(x.add(1), y)).div(2)));
    const out = blur.realize([W, H]);
    expect(out.get([0, 5])).toBe(Math.floor(((5 * W) + (1 + 5 * W)) / 2) & 0xff);
    expect(hl.lambda(hl._, clamped.at(hl._)).realize([2, 2]).get([1, 1])).toBe(33);
  });

  it("constantExterior accepts a Bool, an int64 (bigint) and an Expr of the right type", () => {
    const mask = new hl.Func("mask");
    mask.at(x).set(x.lt(3));
    const m = hl.lambda(x, BC.constantExterior(mask, true, [[0, 5]]).at(x)).realize([7]);
    expect([0, 3, 5, 6].map((i) => m.get([i]))).toEqual([true, false, true, true]);
    const wide = new hl.Func("wide");
    wide.at(x).set(hl.i64(x).mul(3));
    expect(hl.lambda(x, BC.constantExterior(wide, 7n, [[0, 2]]).at(x)).realize([3]).get([2])).toBe(7n);
    const p = new hl.Param(hl.UInt(8), "ext", 9);
    expect(hl.lambda(x, y, BC.constantExterior(input, p).at(x, y)).realize([W + 1, 1]).get([W, 0])).toBe(9);
  });
});

describe("BoundaryConditions: errors", () => {
  const f2 = new hl.Func("err_src");
  f2.at(x, y).set(x.add(y));

  it("more bounds than dimensions", () => {
    for (const kind of KINDS) {
      throwsHalide(() => make(kind, f2, [[0, 1], [0, 1], [0, 1]]), "more bounds (3) than dimensions (2)");
    }
    throwsHalide(() => BC.repeatEdge(input, [[0, 1], [0, 1], [0, 1]]), "called with more bounds (3)");
  });

  it("a Func without bounds, or undefined", () => {
    for (const kind of KINDS) throwsHalide(() => make(kind, f2), "needs explicit bounds");
    throwsHalide(() => BC.repeatEdge(new hl.Func("nothing"), [[0, 1]]), `Func "nothing" is undefined`);
  });

  it("bounds that are not int32 ranges", () => {
    throwsHalide(() => BC.repeatEdge(f2, [[0.5, 4]]), "min of dimension 0", "not representable as an int32");
    throwsHalide(() => BC.repeatImage(f2, [[0, 4], [0, hl.f32(x)]]), "extent of dimension 1", "float32");
    throwsHalide(() => BC.mirrorImage(f2, [[0, 2n ** 40n]]), "extent of dimension 0", "int64");
    throwsHalide(() => BC.mirrorInterior(f2, [[0, hl.u32(new hl.Param(hl.Int(32), "q"))]]), "uint32");
    throwsHalide(() => BC.repeatEdge(f2, [[0, true]]), "bool");
    throwsHalide(
      () => BC.repeatEdge(f2, [[0, 4, 5] as unknown as hl.BoundsRange]),
      "must be [min, extent] or undefined",
    );
    throwsHalide(() => BC.repeatEdge(f2, [[0, undefined] as unknown as hl.BoundsRange]), "partially undefined bounds");
    throwsHalide(() => BC.repeatEdge(f2, [["0", 4] as unknown as hl.BoundsRange]), "must be an int32 Expr or number");
    throwsHalide(() => BC.repeatEdge(f2, 4 as unknown as hl.Bounds), "bounds must be a list");
    // Narrower integer types and integral numbers are fine.
    expect(BC.repeatEdge(f2, [[hl.u8(1), hl.i16(4)]]).dimensions).toBe(2);
  });

  it("an exterior value of the wrong type or count", () => {
    throwsHalide(() => BC.constantExterior(input, 0.5), "exterior value 0.5 is not representable as uint8");
    throwsHalide(() => BC.constantExterior(input, 300), "300 is not representable as uint8");
    throwsHalide(() => BC.constantExterior(input, hl.f32(1)), "has type float32, but Func", "has type uint8");
    throwsHalide(() => BC.constantExterior(input, x.add(1)), "has type int32");
    throwsHalide(() => BC.constantExterior(input, [1, 2]), "has 1 value, but the exterior value has 2");
    const pair = new hl.Func("err_pair");
    pair.at(x).set([x, hl.f32(x)]);
    throwsHalide(() => BC.constantExterior(pair, 0, [[0, 4]]), "has 2 values, but the exterior value has 1");
    throwsHalide(
      () => BC.constantExterior(pair, [0, 5n], [[0, 4]]),
      "5 is not representable as float32, the type of element 1 of Func",
    );
    throwsHalide(() => BC.constantExterior(input, "a" as unknown as number), "must be an Expr or a number");
  });

  it("a source that is not a Func, Buffer or ImageParam", () => {
    throwsHalide(() => BC.repeatEdge(3 as unknown as hl.Func), "Invalid arguments to BoundaryConditions.repeatEdge");
    throwsHalide(
      () => BC.repeatEdge(x as unknown as hl.Func, [[0, 1]]),
      "the source must be a Func, Buffer or ImageParam",
    );
  });
});

// ------------------------------------------------------------------------------------------------ lowering

const loops = loopsNamed;

describe("BoundaryConditions: loop partitioning of a vectorized repeatEdge", () => {
  it("1-D: the steady state reads without min/max, the prologue and epilogue clamp", () => {
    const param = new hl.ImageParam(hl.Float(32), 1, "bc_input");
    const f = hl.lambda(x, BC.repeatEdge(param).at(x));
    f.vectorize(x, 8);
    const pieces = loops(lowerPipeline(f.fn).body, `${f.name}.s0.x.x`);
    expect(pieces).toHaveLength(3);
    const steady = stmtToString(pieces[1].body);
    expect(steady).not.toContain("min(");
    expect(steady).not.toContain("max(");
    expect(stmtToString(pieces[0].body)).toContain("max(");
    expect(stmtToString(pieces[2].body)).toContain("min(");
  });

  it("2-D: the steady state of x reads the input at an unclamped ramp", () => {
    const f = hl.lambda(x, y, BC.repeatEdge(input).at(x, y));
    f.vectorize(x, 8);
    const pieces = loops(lowerPipeline(f.fn).body, `${f.name}.s0.x.x`);
    expect(pieces).toHaveLength(3);
    const steady = stmtToString(pieces[1].body);
    expect(steady).not.toMatch(/(min|max)\(ramp/);
    expect(stmtToString(pieces[0].body)).toMatch(/max\(min\(ramp/);
    // Not yet: the clamp of y. Inlining binds the y coordinate by an expression Let inside the x loop, and
    // partition_loops.ts only follows LetStmts, so the y loop is not partitioned and the steady state of x still
    // holds `max(min(<y let>, 31), 0)` (loop-invariant there).
    const out = new hl.Buffer(hl.UInt(8), [TEST_EXTENT, TEST_EXTENT]);
    out.setMin([TEST_MIN, TEST_MIN]);
    f.realize(out);
    expect(out.get([40, -3])).toBe(input.get([31, 0]));
  });
});
