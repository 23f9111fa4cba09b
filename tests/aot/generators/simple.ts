// Port of Halide's python_bindings/test/generators/simplepy_generator.py: the canonical small generator.
import * as hl from "../../../mod.ts";

const x = new hl.Var("x"), y = new hl.Var("y");

export class SimpleTs extends hl.Generator {
  offset = hl.GeneratorParam(0);

  buffer_input = hl.InputBuffer(hl.UInt(8), 2);
  float_arg = hl.InputScalar(hl.Float(32));

  simple_output = hl.OutputBuffer(hl.Float(32), 2);

  generate(): void {
    this.simple_output.at(x, y).set(hl.f32(this.buffer_input.at(x, y).add(this.offset)).add(this.float_arg));
    this.simple_output.computeRoot();
  }
}

hl.registerGenerator("simplets", SimpleTs);
