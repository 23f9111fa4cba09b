// A small generator for the command-line tests: output(x, y) = x + scale * y, vectorized and parallel.
import * as hl from "../../../mod.ts";

const x = new hl.Var("x"), y = new hl.Var("y");

export class GradientTs extends hl.Generator {
  scale = hl.GeneratorParam(1);
  output = hl.OutputBuffer(hl.Int(32), 2);

  generate(): void {
    this.output.at(x, y).set(x.add(y.mul(this.scale)));
    this.output.vectorize(x, 8).parallel(y);
  }
}

hl.registerGenerator("gradientts", GradientTs);
