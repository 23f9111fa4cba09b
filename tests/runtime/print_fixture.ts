// Child process of print.test.ts: JavaScript output and pipeline prints interleave in program order on stdout.
import * as hl from "../../mod.ts";

const x = new hl.Var("x"), y = new hl.Var("y");
const f = new hl.Func("printing");
f.at(x, y).set(hl.printWhen(x.eq(0), x.add(y), "row", y));
f.parallel(y);
console.log("before");
f.realize([4, 3]);
console.log("after");
