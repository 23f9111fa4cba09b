// Port of Halide's python_bindings/tutorial/lesson_15_generators.py: generators, a structured way to compile
// pipelines ahead of time. `halide-ts gen tests/aot/tutorials/lesson_15_generators.ts -g my_first_generator …`
// compiles them (lesson_15_generators.test.ts runs the lesson's usage script with it).
import * as hl from "../../../mod.ts";

// Instead of writing a main() with an ad-hoc command line as lesson 10 did, we define a class extending
// hl.Generator and register it under a name.
export class MyFirstGenerator extends hl.Generator {
  // The inputs of the pipeline are fields. They appear in the signature of the generated function in the order
  // they are declared.
  offset = hl.InputScalar(hl.UInt(8));
  input_buf = hl.InputBuffer(hl.UInt(8), 2);

  // The output is a field too.
  brighter = hl.OutputBuffer(hl.UInt(8), 2);

  // generate() constructs the pipeline: it defines the outputs.
  generate(): void {
    const x = new hl.Var("x"), y = new hl.Var("y");
    this.brighter.at(x, y).set(this.input_buf.at(x, y).add(this.offset));
    // Schedule it.
    this.brighter.vectorize(x, 16).parallel(y);
  }
}
hl.registerGenerator("my_first_generator", MyFirstGenerator);

// A generator with compile-time parameters, which select variants of the pipeline: whether to parallelize, a
// constant scale factor (documented range 0 to 100), and a rotation given as a string ("none", "cw", "ccw").
type Rotation = "none" | "cw" | "ccw";
const rotations: readonly string[] = ["none", "cw", "ccw"];

export class MySecondGenerator extends hl.Generator {
  parallel = hl.GeneratorParam(true);
  scale = hl.GeneratorParam(1.0);
  rotation = hl.GeneratorParam("none");

  offset = hl.InputScalar(hl.UInt(8));
  input_buf = hl.InputBuffer(hl.UInt(8), 2);

  // The output's type is not given here: it must be set through the "output.type" generator param.
  output = hl.OutputBuffer(undefined, 2);

  generate(): void {
    const x = new hl.Var("x"), y = new hl.Var("y");
    if (!rotations.includes(this.rotation)) throw new hl.HalideError(`Unknown rotation "${this.rotation}".`);
    const rotation = this.rotation as Rotation;

    // The compile-time scale factor and the run-time offset. (hl.f32: the scale is a float even when integral.)
    const brighter = new hl.Func("brighter");
    brighter.at(x, y).set(hl.f32(this.scale).mul(this.input_buf.at(x, y).add(this.offset)));

    const rotated = new hl.Func("rotated");
    if (rotation === "none") rotated.at(x, y).set(brighter.at(x, y));
    else if (rotation === "cw") rotated.at(x, y).set(brighter.at(y, hl.sub(100, x)));
    else rotated.at(x, y).set(brighter.at(hl.sub(100, y), x));

    // Then cast to the requested output type.
    this.output.at(x, y).set(hl.cast(this.output.type, rotated.at(x, y)));

    // The schedule depends on the generator params too. naturalVectorSize picks a vector width for the type on
    // the target being compiled for.
    this.output.vectorize(x, this.naturalVectorSize(this.output.type));
    if (this.parallel) this.output.parallel(y);
    if (rotation !== "none") rotated.computeAt(this.output, y).vectorize(x, this.naturalVectorSize(rotated.types[0]));
  }
}
hl.registerGenerator("my_second_generator", MySecondGenerator);
