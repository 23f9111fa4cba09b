// A generator for the ts-binding tests: a lookup table compiled into the library, a requirement, a parallel
// vectorized loop, a scalar input and an input of any layout. output(x, y) = u8_sat((255 - input(x, y)) * gain).
import * as hl from "../../../mod.ts";

const x = new hl.Var("x"), y = new hl.Var("y");

export class LutTs extends hl.Generator {
  input = hl.InputBuffer(hl.UInt(8), 2);
  gain = hl.InputScalar(hl.Float(32));
  output = hl.OutputBuffer(hl.UInt(8), 2);

  generate(): void {
    const invert = new hl.Buffer(hl.UInt(8), [256], "invert");
    invert.forEachElement(([i]) => invert.set([i], 255 - i));
    this.addRequirement(this.gain.ge(0), "gain must not be negative, got", this.gain);
    this.input.dim(0).setStride(undefined); // any layout of the input
    this.output.at(x, y).set(hl.u8Sat(hl.f32(invert.at(hl.i32(this.input.at(x, y)))).mul(this.gain)));
    const xi = new hl.Var("xi");
    this.output.split(x, x, xi, 16, hl.TailStrategy.GuardWithIf).vectorize(xi).parallel(y);
  }
}

hl.registerGenerator("lutts", LutTs);
