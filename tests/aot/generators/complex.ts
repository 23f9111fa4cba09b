// Port of Halide's python_bindings/test/generators/complexpy_generator.py: typed and untyped inputs and outputs
// (typed through generator params), a Tuple output, a Buffer compiled into the pipeline, a scalar output, inputs
// and outputs added by configure(), and a specialization on a generator param.
import * as hl from "../../../mod.ts";

const x = new hl.Var("x"), y = new hl.Var("y"), c = new hl.Var("c");

export class ComplexTs extends hl.Generator {
  vectorize = hl.GeneratorParam(true);
  extra_input_name = hl.GeneratorParam("");

  typed_buffer_input = hl.InputBuffer(hl.UInt(8), 3);
  untyped_buffer_input = hl.InputBuffer(undefined, 3);
  simple_input = hl.InputBuffer(undefined, 3);
  float_arg = hl.InputScalar(hl.Float(32));
  int_arg = hl.InputScalar(hl.Int(32));

  simple_output = hl.OutputBuffer(hl.Float(32), 3);
  tuple_output = hl.OutputBuffer(undefined, 3);
  typed_buffer_output = hl.OutputBuffer(hl.Float(32), 3);
  untyped_buffer_output = hl.OutputBuffer(undefined, undefined);
  static_compiled_buffer_output = hl.OutputBuffer(hl.UInt(8), 3);
  scalar_output = hl.OutputScalar(hl.Float(32));

  /** Added by configure(). */
  declare readonly extra_output: hl.Func;

  override configure(): void {
    if (this.extra_input_name.length > 0) this.addInput(this.extra_input_name, hl.InputBuffer(hl.UInt(16), 3));
    this.addOutput("extra_output", hl.OutputBuffer(hl.Float(64), 2));
  }

  generate(): void {
    this.simple_output.at(x, y, c).set(hl.f32(this.simple_input.at(x, y, c)));
    this.typed_buffer_output.at(x, y, c).set(hl.f32(this.typed_buffer_input.at(x, y, c)));
    this.untyped_buffer_output.at(x, y, c).set(hl.cast(this.untyped_buffer_output.type, this.untyped_buffer_input.at(x, y, c)));

    const intermediate = new hl.Func("intermediate");
    intermediate.at(x, y, c).set(this.simple_input.at(x, y, c).mul(this.float_arg));
    this.tuple_output.at(x, y, c).set([intermediate.at(x, y, c), intermediate.at(x, y, c).add(this.int_arg)]);

    // Compiled into the generator's product itself: not another input of the compiled function.
    const staticCompiledBuffer = new hl.Buffer(hl.UInt(8), [4, 4, 1]);
    staticCompiledBuffer.forEachElement(([xx, yy, cc]) => staticCompiledBuffer.set([xx, yy, cc], xx + yy + cc + 42));
    this.static_compiled_buffer_output.at(x, y, c).set(staticCompiledBuffer.at(x, y, c));

    const extraInput = (this as unknown as Record<string, hl.ImageParam | undefined>)[this.extra_input_name];
    if (this.extra_input_name.length > 0 && extraInput) this.extra_output.at(x, y).set(hl.f64(extraInput.at(x, y, 0).add(1)));
    else this.extra_output.at(x, y).set(hl.f64(0));

    this.scalar_output.at().set(this.float_arg.add(this.int_arg));

    intermediate.computeAt(this.tuple_output, y).specialize(this.vectorize).vectorize(x, this.naturalVectorSize(hl.Float(32)));
  }
}

hl.registerGenerator("complexts", ComplexTs);
