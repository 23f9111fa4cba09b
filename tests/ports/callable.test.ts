// Port of Halide's python_bindings/test/correctness/callable.py, with its generators written as halide-ts
// generators ("simplepy" is tests/aot/generators/simple.ts).
import { describe, expect, it } from "bun:test";
import ndarray from "ndarray";
import * as hl from "../../mod.ts";
import { throwsHalide } from "../schedule/helpers.ts";
import { SimpleTs } from "../aot/generators/simple.ts";

const x = new hl.Var("x"), y = new hl.Var("y");

describe("callable.py", () => {
  it("test_callable", () => {
    const pInt16 = new hl.Param(hl.Int(16), undefined, 42);
    const pFloat = new hl.Param(hl.Float(32), undefined, 1.0);
    const pImg = new hl.ImageParam(hl.UInt(8), 2);
    const f = new hl.Func("f");
    f.at(x, y).set(pImg.at(x, y).add(hl.u8(pInt16.div(pFloat))));

    const in1 = new hl.Buffer(hl.UInt(8), [10, 10]), in2 = new hl.Buffer(hl.UInt(8), [10, 10]);
    for (let i = 0; i < 10; i++) {
      for (let j = 0; j < 10; j++) {
        in1.set([i, j], i + j * 10);
        in2.set([i, j], i * 10 + j);
      }
    }
    const c = f.compileToCallable([pImg, pInt16, pFloat]);
    const out1 = new hl.Buffer(hl.UInt(8), [10, 10]);
    c(in1, 42, 1.0, out1);
    const out2 = new hl.Buffer(hl.UInt(8), [10, 10]);
    c(in2, 22, 2.0, out2);
    const out3 = new hl.Buffer(hl.UInt(8), [10, 10]);
    c(in1, 12, 1.0, out3);
    const out4 = new hl.Buffer(hl.UInt(8), [10, 10]);
    c(in2, 16, 1.0, out4);
    for (let i = 0; i < 10; i++) {
      for (let j = 0; j < 10; j++) {
        expect(out1.get([i, j])).toBe(i + j * 10 + 42);
        expect(out2.get([i, j])).toBe(i * 10 + j + 11);
        expect(out3.get([i, j])).toBe(i + j * 10 + 12);
        expect(out4.get([i, j])).toBe(i * 10 + j + 16);
      }
    }

    const inBounds = hl.Buffer.makeBoundsQuery(hl.UInt(8), [1, 1]);
    const outBounds = hl.Buffer.makeBoundsQuery(hl.UInt(8), [20, 20]);
    c(inBounds, 42, 1.0, outBounds);
    expect(inBounds.dim(0).extent).toBe(20);
    expect(inBounds.dim(1).extent).toBe(20);
    expect(in1.dim(0).extent).toBe(10);
    expect(in1.dim(1).extent).toBe(10);
  });

  /** test_simple, with callables of the "simplepy" generator (tests/aot/generators/simple.ts) made by `factory`. */
  function testSimple(factory: (generatorParams: Record<string, unknown>) => hl.Callable): void {
    const bIn = new hl.Buffer(hl.UInt(8), [2, 2]);
    bIn.fill(123);
    const floatIn = 3.5;
    const bOut = new hl.Buffer(hl.Float(32), [2, 2]);
    const check = (offset = 0) => {
      for (const [i, j] of [[0, 0], [0, 1], [1, 0], [1, 1]]) expect(bOut.get([i, j])).toBe(floatIn + offset + 123);
      bOut.fill(0);
    };
    const simple = factory({});

    // Positional arguments
    simple(bIn, floatIn, bOut);
    check();
    // Keyword arguments: natural order, then a weird one
    simple.call([], { buffer_input: bIn, float_arg: floatIn, simple_output: bOut });
    check();
    simple.call([], { float_arg: floatIn, simple_output: bOut, buffer_input: bIn });
    check();
    // Positional + keywords
    simple.call([bIn], { simple_output: bOut, float_arg: floatIn });
    check();
    simple.call([bIn, floatIn], { simple_output: bOut });
    check();

    // With the GeneratorParam offset = 42 (given as a string, as on a command line)
    const k = 42;
    const simple42 = factory({ offset: String(k) });
    simple42(bIn, floatIn, bOut);
    check(k);

    // Failure modes
    throwsHalide(() => simple.call([bIn, floatIn, 4, bOut]), "Expected at most 3 positional arguments, but saw 4.");
    throwsHalide(() => simple(bIn), "Expected exactly 3 positional arguments, but saw 1.");
    // Python's cast failure reads "... is not an instance of ..."; halide-ts names the argument (API.md §5).
    throwsHalide(() => simple(hl.f32(3.141592), "happy", bOut), "buffer_input");
    throwsHalide(() => simple.call([bIn, floatIn], { simple_output: "bogus" }), "simple_output");
    throwsHalide(
      () => simple.call([], { buffer_input: bIn, float_arg: floatIn, funk_input: bOut }),
      "Unknown argument 'funk_input' specified via keyword.",
    );
    throwsHalide(
      () => simple.call([], { float_arg: floatIn, simple_output: bOut }),
      "Argument buffer_input was not specified by either positional or keyword argument.",
    );
    throwsHalide(
      () => simple.call([bIn], { buffer_input: bIn, float_arg: floatIn, simple_output: bOut }),
      "Argument buffer_input specified multiple times.",
    );
  }

  it("test_simple via create_callable_from_generator (hl.createGenerator)", () => {
    testSimple((generatorParams) => hl.createGenerator("simplets", { target: hl.getJitTargetFromEnvironment(), generatorParams }).compileToCallable());
  });

  it("test_simple via the generator class's compileToCallable", () => {
    testSimple((generatorParams) => new SimpleTs({ generatorParams }).compileToCallable());
  });

  it("test_callable_buffer_conventions: arrays always reverse axes, whatever their strides", () => {
    // A generator that echoes the extents and strides of its input buffer to two output buffers.
    class EchoDims extends hl.Generator {
      input = hl.InputBuffer(hl.Int(32), 3);
      output_extents = hl.OutputBuffer(hl.Int(32), 1);
      output_strides = hl.OutputBuffer(hl.Int(32), 1);
      generate(): void {
        this.input.dim(0).setStride(undefined); // so that any stride can be echoed
        const d = new hl.Var("d");
        const dims = [0, 1, 2].map((i) => this.input.dim(i));
        this.output_extents.at(d).set(hl.mux(d, dims.map((dim) => dim.extent())));
        this.output_strides.at(d).set(hl.mux(d, dims.map((dim) => dim.stride())));
      }
    }
    const run = new EchoDims({ target: "host-debug" }).compileToCallable();
    const extents = new hl.Buffer(hl.Int(32), [3]), strides = new hl.Buffer(hl.Int(32), [3]);
    const got = () => [[0, 1, 2].map((i) => extents.get([i])), [0, 1, 2].map((i) => strides.get([i]))];

    // C-contiguous (ndarray's default)
    const inputC = ndarray(new Int32Array(16 * 12 * 3), [16, 12, 3]);
    run(inputC, extents, strides);
    expect(got()).toEqual([[3, 12, 16], [1, 3, 36]]);

    // F-contiguous: reversed too
    const inputF = ndarray(new Int32Array(16 * 12 * 3), [16, 12, 3], [1, 16, 192]);
    run(inputF, extents, strides);
    expect(got()).toEqual([[3, 12, 16], [192, 16, 1]]);

    // Non-contiguous: numpy's transpose (1, 0, 2) has shape (12, 16, 3), strides (3, 36, 1)
    run(inputC.transpose(1, 0, 2), extents, strides);
    expect(got()).toEqual([[3, 16, 12], [1, 36, 3]]);

    // Negative strides: [::-1, :, :]
    run(inputC.step(-1, 1, 1), extents, strides);
    expect(got()).toEqual([[3, 12, 16], [1, 3, -36]]);

    // An hl.Buffer is not reversed (rule 3)
    const hb = new hl.Buffer(hl.Int(32), [3, 12, 16]);
    run(hb, extents, strides);
    expect(got()).toEqual([[3, 12, 16], [1, 3, 36]]);
  });
});
