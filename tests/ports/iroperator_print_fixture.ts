/**
 * Child process of iroperator.test.ts: runs Python's test_print_expr and test_print_when pipelines, whose
 * `print` / `printWhen` output goes to standard output. Each section starts with a line `== <name>`.
 *
 * @module
 */
import * as hl from "../../mod.ts";

const x = new hl.Var("x");

console.log("== print_expr");
const f = new hl.Func("f");
f.at(x).set(hl.print(hl.cast(hl.UInt(8), x), "is what", "the", 1, "and", hl.f32(3.1415), "saw"));
f.realize(new hl.Buffer(hl.UInt(8), [1]));

console.log("== print_when");
const g = new hl.Func("g");
g.at(x).set(hl.printWhen(x.eq(3), hl.cast(hl.UInt(8), x.mul(x)), "is result at", x));
g.realize(new hl.Buffer(hl.UInt(8), [10]));

console.log("== end");
