// Port of Halide's python_bindings/test/generators/addconstantpy_generator.py: a scalar of every type added to
// buffers of every type, two requirements, and aliases that preset the extra_int generator param.
import * as hl from "../../../mod.ts";

const x = new hl.Var("x"), y = new hl.Var("y"), z = new hl.Var("z");

export class AddConstantTs extends hl.Generator {
  extra_int = hl.GeneratorParam(0);

  scalar_uint1 = hl.InputScalar(hl.Bool());
  scalar_uint8 = hl.InputScalar(hl.UInt(8));
  scalar_uint16 = hl.InputScalar(hl.UInt(16));
  scalar_uint32 = hl.InputScalar(hl.UInt(32));
  scalar_uint64 = hl.InputScalar(hl.UInt(64));
  scalar_int8 = hl.InputScalar(hl.Int(8));
  scalar_int16 = hl.InputScalar(hl.Int(16));
  scalar_int32 = hl.InputScalar(hl.Int(32));
  scalar_int64 = hl.InputScalar(hl.Int(64));
  scalar_float = hl.InputScalar(hl.Float(32));
  scalar_double = hl.InputScalar(hl.Float(64));

  input_uint8 = hl.InputBuffer(hl.UInt(8), 1);
  input_uint16 = hl.InputBuffer(hl.UInt(16), 1);
  input_uint32 = hl.InputBuffer(hl.UInt(32), 1);
  input_uint64 = hl.InputBuffer(hl.UInt(64), 1);
  input_int8 = hl.InputBuffer(hl.Int(8), 1);
  input_int16 = hl.InputBuffer(hl.Int(16), 1);
  input_int32 = hl.InputBuffer(hl.Int(32), 1);
  input_int64 = hl.InputBuffer(hl.Int(64), 1);
  input_float = hl.InputBuffer(hl.Float(32), 1);
  input_double = hl.InputBuffer(hl.Float(64), 1);
  input_half = hl.InputBuffer(hl.Float(16), 1);
  input_2d = hl.InputBuffer(hl.Int(8), 2);
  input_3d = hl.InputBuffer(hl.Int(8), 3);

  output_uint8 = hl.OutputBuffer(hl.UInt(8), 1);
  output_uint16 = hl.OutputBuffer(hl.UInt(16), 1);
  output_uint32 = hl.OutputBuffer(hl.UInt(32), 1);
  output_uint64 = hl.OutputBuffer(hl.UInt(64), 1);
  output_int8 = hl.OutputBuffer(hl.Int(8), 1);
  output_int16 = hl.OutputBuffer(hl.Int(16), 1);
  output_int32 = hl.OutputBuffer(hl.Int(32), 1);
  output_int64 = hl.OutputBuffer(hl.Int(64), 1);
  output_float = hl.OutputBuffer(hl.Float(32), 1);
  output_double = hl.OutputBuffer(hl.Float(64), 1);
  output_half = hl.OutputBuffer(hl.Float(16), 1);
  output_2d = hl.OutputBuffer(hl.Int(8), 2);
  output_3d = hl.OutputBuffer(hl.Int(8), 3);

  generate(): void {
    this.addRequirement(this.scalar_int32.ne(0));
    this.addRequirement(this.scalar_int32.gt(0), "negative values are bad", this.scalar_int32);

    this.output_uint8.at(x).set(this.input_uint8.at(x).add(this.scalar_uint8));
    this.output_uint16.at(x).set(this.input_uint16.at(x).add(this.scalar_uint16));
    this.output_uint32.at(x).set(this.input_uint32.at(x).add(this.scalar_uint32));
    this.output_uint64.at(x).set(this.input_uint64.at(x).add(this.scalar_uint64));
    this.output_int8.at(x).set(this.input_int8.at(x).add(this.scalar_int8));
    this.output_int16.at(x).set(this.input_int16.at(x).add(this.scalar_int16));
    this.output_int32.at(x).set(this.input_int32.at(x).add(this.scalar_int32));
    this.output_int64.at(x).set(this.input_int64.at(x).add(this.scalar_int64));
    this.output_float.at(x).set(this.input_float.at(x).add(this.scalar_float));
    this.output_double.at(x).set(this.input_double.at(x).add(this.scalar_double));
    this.output_half.at(x).set(this.input_half.at(x).add(hl.cast(hl.Float(16), this.scalar_float)));
    this.output_2d.at(x, y).set(this.input_2d.at(x, y).add(this.scalar_int8));
    this.output_3d.at(x, y, z).set(this.input_3d.at(x, y, z).add(this.scalar_int8).add(this.extra_int));
  }
}

hl.registerGenerator("addconstantts", AddConstantTs);
hl.registerGenerator("addconstantts_with_offset_42", AddConstantTs, { extra_int: 42 });
hl.registerGenerator("addconstantts_with_negative_offset", AddConstantTs, { extra_int: -1 });
