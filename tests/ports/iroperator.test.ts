// Port of Halide's python_bindings/test/correctness/iroperator.py. Printing runs in a child process of the same
// runtime (print output goes to standard output). test_select_bad_argmax needs an RDom (not in halide-ts yet); its
// type check is kept with a Tuple select whose values do not match. test_mux_tuple spells the Tuple out with
// elem(i).
import { beforeAll, describe, expect, it } from "bun:test";
import * as hl from "../../mod.ts";
import { runScript, throwsHalide } from "../schedule/helpers.ts";

const values = (b: hl.Buffer) => Array.from({ length: b.dim(0).extent }, (_, i) => b.get([i]));

describe("iroperator.py: print and printWhen (child process)", () => {
  let sections = new Map<string, string>();
  beforeAll(() => {
    const out = runScript(new URL("./iroperator_print_fixture.ts", import.meta.url).pathname);
    sections = new Map();
    let current = "";
    for (const line of out.split("\n")) {
      const m = /^== (\S+)$/.exec(line);
      if (m) sections.set(current = m[1], "");
      else if (current) sections.set(current, sections.get(current)! + line + "\n");
    }
  });

  it("test_print_expr", () => {
    expect(sections.get("print_expr")).toBe("0 is what the 1 and 3.141500 saw\n");
  });

  it("test_print_when", () => {
    expect(sections.get("print_when")).toBe("9 is result at 3\n");
  });
});

describe("iroperator.py", () => {
  it("test_select: the first true condition wins", () => {
    const x = new hl.Var();
    const f = new hl.Func();
    f.at(x).set(hl.select(x.eq(0), 31, x.eq(2), x.mul(24), x.eq(2), 999, x));
    expect(values(f.realize([4]))).toEqual([31, 1, 48, 3]);
  });

  it("test_select_bad_argmax (type check only): Tuple values of mismatched types", () => {
    const x = new hl.Var("x");
    throwsHalide(
      () => hl.select(x.gt(0), [hl.f32(1), x], [x, hl.f32(1)] as unknown as hl.Expr),
      "The second and third arguments to a select do not have a matching type",
    );
  });

  it("test_mux", () => {
    const c = new hl.Var();
    const f = new hl.Func();
    f.at(c).set(hl.mux(c, [123, 456, c]));
    expect(values(f.realize([4]))).toEqual([123, 456, 2, 3]);
  });

  it("test_mux_tuple (the Tuple's elements listed)", () => {
    const f = new hl.Func(), g = new hl.Func();
    const x = new hl.Var(), c = new hl.Var();
    g.at(x).set([123, 456, x]);
    f.at(x, c).set(hl.mux(c, [0, 1, 2].map((i) => g.at(x).elem(i))));
    const b = f.realize([1, 4]);
    expect([0, 1, 2, 3].map((i) => b.get([0, i]))).toEqual([123, 456, 0, 0]);
  });

  it("test_minmax: variadic min and max, mixed int and float", () => {
    const x = new hl.Var();
    const f = new hl.Func();
    f.at(x).set(hl.select(
      x.eq(0),
      hl.min(x, 1),
      x.eq(2).or(x.eq(4)),
      hl.i32(hl.min(hl.f32(x), hl.f32(3.2), x.mul(hl.f32(2.1)))),
      x.eq(3),
      hl.max(x, x.mul(3), 1, x.mul(4)),
      x,
    ));
    expect(values(f.realize([5]))).toEqual([0, 1, 2, 12, 3]);
  });
});
