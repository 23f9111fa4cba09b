// Generators in TypeScript: a port of Halide's pystub.py (Generator.call composition of the simple and complex
// generators; callable.py's uses of generators are in tests/ports/callable.test.ts), and Halide's errors for
// misusing the Generator API.
import { describe, expect, it } from "bun:test";
import * as hl from "../../mod.ts";
import { throwsHalide } from "../schedule/helpers.ts";
import { SimpleTs } from "./generators/simple.ts";
import { ComplexTs } from "./generators/complex.ts";

const x = new hl.Var("x"), y = new hl.Var("y");

/** pystub.py's _realize_and_check: a 2x2 realization of f (f(x, y) = 3.5 + offset + 123 + x + y). */
function realizeAndCheck(f: hl.Func | hl.Func[], offset = 0): void {
  expect(f).toBeInstanceOf(hl.Func);
  const b = new hl.Buffer(hl.Float(32), [2, 2]);
  (f as hl.Func).realize(b);
  expect(b.get([0, 0])).toBe(3.5 + offset + 123);
  expect(b.get([0, 1])).toBe(4.5 + offset + 123);
  expect(b.get([1, 0])).toBe(4.5 + offset + 123);
  expect(b.get([1, 1])).toBe(5.5 + offset + 123);
}

function simpleInput(): hl.Buffer {
  const b = new hl.Buffer(hl.UInt(8), [2, 2]).fill(123);
  b.forEachElement(([i, j]) => b.set([i, j], 123 + i + j));
  return b;
}

describe("pystub.py: Generator.call composes a generator as Funcs", () => {
  it("test_simple: inputs by position, by name, mixed, with generator params", () => {
    const bIn = simpleInput();
    realizeAndCheck(SimpleTs.call(bIn, 3.5));
    realizeAndCheck(SimpleTs.call({ buffer_input: bIn, float_arg: 3.5 }));
    realizeAndCheck(SimpleTs.call({ float_arg: 3.5, buffer_input: bIn }));
    const gp = { offset: 42 };
    realizeAndCheck(SimpleTs.call(bIn, 3.5, { generatorParams: gp }), 42);
    realizeAndCheck(SimpleTs.call({ generatorParams: gp, buffer_input: bIn, float_arg: 3.5 }), 42);
    realizeAndCheck(SimpleTs.call({ buffer_input: bIn, generatorParams: gp, float_arg: 3.5 }), 42);
    realizeAndCheck(SimpleTs.call(bIn, { float_arg: 3.5, generatorParams: gp }), 42);
    // An ImageParam and a Param work as well as a Buffer and a literal.
    const input = new hl.ImageParam(hl.UInt(8), 2, "buffer_input").set(bIn);
    realizeAndCheck(SimpleTs.call(input, new hl.Param(hl.Float(32), "f", 3.5)));
  });

  it("test_simple: the failure modes", () => {
    const bIn = simpleInput();
    throwsHalide(() => SimpleTs.call(bIn, 3.5, 4), "allows at most 2 positional args, but 3 were specified.");
    throwsHalide(() => SimpleTs.call(bIn), "requires 2 args, but 1 were specified.");
    throwsHalide(() => SimpleTs.call(hl.f32(3.141592), "happy"), "Input buffer_input requires an ImageParam or Buffer argument");
    throwsHalide(
      () => SimpleTs.call(bIn, { float_arg: "bogus" }),
      "Input float_arg requires a Param (or scalar literal) argument when using call",
    );
    throwsHalide(() => SimpleTs.call(bIn, 3.5, { float_arg: 4.5 }), "Input float_arg specified multiple times.");
    throwsHalide(() => SimpleTs.call(bIn, 3.5, { generatorParams: [1, 2, 3] }), "generatorParams must be a dict");
    throwsHalide(() => SimpleTs.call(bIn, 3.5, { generatorParams: { foo: 0 } }), "has no GeneratorParam");
    throwsHalide(
      () => SimpleTs.call({ buzzer_input: bIn, float_arg: 3.5, generatorParams: { offset: 42 } }),
      "Unknown input 'buzzer_input' specified via keyword argument",
    );
    throwsHalide(
      () => SimpleTs.call({ buffer_input: bIn, float_arg: 3.5, nonexistent_generator_param: "wat" }),
      "Unknown input 'nonexistent_generator_param' specified via keyword argument",
    );
    throwsHalide(
      () => SimpleTs.call(new hl.Buffer(hl.Float(32), [2, 2]), 3.5),
      "Type mismatch for buffer_input:0: expected uint8 saw float32",
    );
    throwsHalide(() => SimpleTs.call(new hl.Buffer(hl.UInt(8), [2]), 3.5), "Dimensions mismatch for buffer_input: expected 2 saw 1");
  });

  function constantImage(type: hl.Type): hl.Buffer {
    const b = new hl.Buffer(type, [32, 32, 3], "constant_image");
    b.forEachElement(([i, j, k]) => b.set([i, j, k], i + j + k));
    return b;
  }

  for (const extraInputName of ["", "foo_input"]) {
    it(`test_complex${extraInputName ? ` with extra input ${extraInputName}` : ""}`, () => {
      const image = constantImage(hl.UInt(8)), image16 = constantImage(hl.UInt(16));
      const floatArg = 1.25, intArg = 33;
      const gp: Record<string, unknown> = {
        "simple_input.type": hl.UInt(8),
        "tuple_output.type": [hl.Float(32), hl.Float(32)],
        "untyped_buffer_input.type": hl.UInt(8),
        "untyped_buffer_output.dim": 3,
        "untyped_buffer_output.type": hl.UInt(8),
        vectorize: true,
      };
      const named: Record<string, unknown> = {
        typed_buffer_input: image,
        untyped_buffer_input: image,
        simple_input: image,
        float_arg: floatArg,
        int_arg: intArg,
        generatorParams: gp,
      };
      if (extraInputName) {
        gp.extra_input_name = extraInputName;
        named[extraInputName] = image16;
      }
      const r = ComplexTs.call(named) as hl.Func[];
      expect(r).toHaveLength(7);
      const [simpleOutput, tupleOutput, typedOutput, untypedOutput, staticOutput, scalarOutput, extraOutput] = r;

      const same = (b: hl.Buffer, type: hl.Type, want: (c: number[]) => number) => {
        expect(b.type.equals(type)).toBe(true);
        let bad = 0;
        b.forEachElement((c) => {
          if (b.get(c) !== want(c)) bad++;
        });
        expect(bad).toBe(0);
      };
      same(simpleOutput.realize([32, 32, 3]), hl.Float(32), (c) => image.get(c) as number);
      const [t0, t1] = tupleOutput.realizeTuple([32, 32, 3]);
      same(t0, hl.Float(32), (c) => (image.get(c) as number) * floatArg);
      same(t1, hl.Float(32), (c) => (image.get(c) as number) * floatArg + intArg);
      same(typedOutput.realize([32, 32, 3]), hl.Float(32), (c) => image.get(c) as number);
      same(untypedOutput.realize([32, 32, 3]), hl.UInt(8), (c) => image.get(c) as number);
      same(staticOutput.realize([4, 4, 1]), hl.UInt(8), (c) => (image.get(c) as number) + 42);
      const scalar = scalarOutput.realize([]);
      expect(scalar.type.equals(hl.Float(32))).toBe(true);
      expect(scalar.get([])).toBe(34.25);
      same(extraOutput.realize([32, 32]), hl.Float(64), ([i, j]) => (extraInputName ? i + j + 1 : 0));
    });
  }
});

describe("the Generator API", () => {
  it("GeneratorParams hold their values in configure() and generate(); fields cannot be written afterwards", () => {
    const seen: unknown[] = [];
    class Params extends hl.Generator {
      flag = hl.GeneratorParam(false);
      count = hl.GeneratorParam(3);
      label = hl.GeneratorParam("a");
      type = hl.GeneratorParam(hl.UInt(8));
      types = hl.GeneratorParam([hl.Int(16), hl.Float(32)]);
      out = hl.OutputBuffer(hl.Int(32), 1);
      override configure(): void {
        seen.push(this.flag, this.count, this.label, String(this.type), this.types.map(String));
      }
      generate(): void {
        this.out.at(x).set(x.mul(this.count));
        (this as { count: number }).count = 4;
      }
    }
    throwsHalide(
      () => new Params({ generatorParams: { flag: "true", count: "7", label: "b", type: "float64", types: "uint8,bool" } }).compileToCallable(),
      "Invalid write to field 'count'",
    );
    expect(seen).toEqual([true, 7, "b", "float64", ["uint8", "bool"]]);
    throwsHalide(() => new Params({ generatorParams: { flag: "yes" } }).compileToCallable(), "The GeneratorParam flag is a bool");
    throwsHalide(() => new Params({ generatorParams: { count: "many" } }).compileToCallable(), "The GeneratorParam count is a number");
    throwsHalide(() => new Params({ generatorParams: { type: "int128" } }).compileToCallable(), "The value int128 cannot be parsed as a Type.");
    throwsHalide(() => new Params({ generatorParams: { type: "int8,int16" } }).compileToCallable(), "The GeneratorParam type is a single Type, not 2 of them.");
    throwsHalide(() => hl.GeneratorParam({} as never), "A GeneratorParam's default must be a boolean, number, string, Type or list of Types");
  });

  it("untyped inputs and outputs need their type and dimensions from generator params", () => {
    class Untyped extends hl.Generator {
      input = hl.InputBuffer(undefined, 2);
      output = hl.OutputBuffer(hl.Float(32), undefined);
      generate(): void {
        this.output.at(x, y).set(hl.f32(this.input.at(x, y)));
      }
    }
    throwsHalide(() => new Untyped().compileToCallable(), "No type has been specified for input. Try specifying one in code, or by setting 'input.type' as a GeneratorParam.");
    throwsHalide(
      () => new Untyped({ generatorParams: { "input.type": "uint16" } }).compileToCallable(),
      "No dimensionality has been specified for output. Try specifying one in code, or by setting 'output.dim' as a GeneratorParam.",
    );
    throwsHalide(
      () => new Untyped({ generatorParams: { "input.type": "uint16", "output.dim": 2, "output.type": "int8" } }).compileToCallable(),
      "Cannot set the GeneratorParam output.type for Untyped because the value is explicitly specified in the source.",
    );
    const run = new Untyped({ generatorParams: { "input.type": "uint16", "output.dim": "2" } }).compileToCallable();
    const out = new hl.Buffer(hl.Float(32), [3, 2]);
    run(new hl.Buffer(hl.UInt(16), [3, 2]).fill(500), out);
    expect(out.allEqual(500)).toBe(true);
    expect(run.arguments.map((a) => `${a.name}:${a.type}`)).toEqual(["input:uint16", "output:float32"]);
  });

  it("misuse of inputs, outputs and names", () => {
    class Wrong extends hl.Generator {
      kind = hl.GeneratorParam("ok");
      output = hl.OutputBuffer(hl.Int(32), 1);
      override configure(): void {
        if (this.kind === "input_name") this.addInput("output", hl.InputScalar(hl.Int(32)));
        if (this.kind === "input_type") this.addInput("extra", hl.OutputBuffer(hl.Int(32), 1) as never);
        if (this.kind === "bad_name") this.addOutput("_hidden", hl.OutputBuffer(hl.Int(32), 1));
      }
      generate(): void {
        if (this.kind === "undefined_output") return;
        if (this.kind === "wrong_type") this.output.at(x).set(hl.f32(x));
        else this.output.at(x).set(x);
        if (this.kind === "late_input") this.addInput("late", hl.InputScalar(hl.Int(32)));
      }
    }
    const build = (kind: string) => () => new Wrong({ generatorParams: { kind } }).compileToCallable();
    build("ok")();
    throwsHalide(build("input_name"), "Cannot call addInput('output') because the class already has a member of that name.");
    throwsHalide(build("input_type"), "Cannot call addInput() with");
    throwsHalide(build("bad_name"), "The name '_hidden' is not valid for a GeneratorParam, Input, or Output.");
    throwsHalide(build("undefined_output"), "Output 'output' was not defined.");
    throwsHalide(build("wrong_type"), /Func "output(\$\d+)?" is constrained to only hold values of type int32/);
    throwsHalide(build("late_input"), "Can only call addInput() from the configure() method.");

    class NoOutputs extends hl.Generator {
      input = hl.InputScalar(hl.Int(32));
      generate(): void {}
    }
    throwsHalide(() => new NoOutputs().compileToCallable(), "Generator 'NoOutputs' must declare at least one output.");
    class Twice extends hl.Generator {
      generator_params = hl.GeneratorParam(1);
      out = hl.OutputBuffer(hl.Int(32), 1);
      generate(): void {}
    }
    throwsHalide(() => new Twice().compileToCallable(), "The name 'generator_params' is not valid");
  });

  it("registration: names, aliases, lookups", () => {
    class Reg extends hl.Generator {
      k = hl.GeneratorParam(1);
      out = hl.OutputBuffer(hl.Int(32), 1);
      generate(): void {
        this.out.at(x).set(x.add(this.k));
      }
    }
    hl.registerGenerator("reg_test", Reg);
    hl.registerGenerator("reg_test_plus_10", Reg, { k: 10 });
    expect(hl.registeredGenerators()).toContain("reg_test_plus_10");
    const out = new hl.Buffer(hl.Int(32), [2]);
    hl.createGenerator("reg_test_plus_10").compileToCallable()(out);
    expect([out.get([0]), out.get([1])]).toEqual([10, 11]);
    throwsHalide(() => hl.registerGenerator("reg_test", Reg), "The Generator name reg_test is already in use.");
    throwsHalide(() => hl.registerGenerator("bad__name", Reg), "The name 'bad__name' is not valid");
    throwsHalide(() => hl.registerGenerator("not_a_class", Object as never), "needs a class extending hl.Generator");
    throwsHalide(() => hl.createGenerator("no_such_generator"), "There is no generator named 'no_such_generator'");
    throwsHalide(() => hl.createGenerator("reg_test", { generatorParams: { k: 2, j: 3 } }).compileToCallable(), "Generator reg_test has no GeneratorParam(s) named: [j]");
  });

  it("target, naturalVectorSize and usingAutoscheduler", () => {
    const seen: unknown[] = [];
    class Info extends hl.Generator {
      out = hl.OutputBuffer(hl.UInt(8), 1);
      generate(): void {
        seen.push(String(this.target), this.naturalVectorSize(hl.UInt(8)), this.usingAutoscheduler());
        this.out.at(x).set(hl.u8(x));
      }
    }
    new Info({ target: "x86-64-linux-sse41" }).compileToModule("info");
    new Info({ target: new hl.Target("x86-64-linux-avx2"), generatorParams: { autoscheduler: "Mullapudi2016" } }).compileToModule("info");
    expect(seen).toEqual(["x86-64-linux-sse41", 16, false, "x86-64-linux-avx2", 32, true]);
    throwsHalide(() => new Info({ target: 3 as never }), "A Generator's target must be a Target or a string");
  });
});
