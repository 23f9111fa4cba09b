/**
 * Generators in TypeScript, after Halide's Python generators (`_generator_helpers.py`): a class whose fields
 * declare compile-time parameters, inputs and outputs, and whose `generate()` defines the outputs. The same class
 * is compiled ahead of time (`halide-ts gen`, {@link Generator.compileToModule}), JIT-compiled into a Callable
 * ({@link Generator.compileToCallable}), or composed into another pipeline as Funcs ({@link Generator.call}).
 *
 * ```ts
 * class Brighten extends hl.Generator {
 *   offset = hl.GeneratorParam(0);
 *   input = hl.InputBuffer(hl.UInt(8), 2);
 *   scale = hl.InputScalar(hl.Float(32));
 *   output = hl.OutputBuffer(hl.UInt(8), 2);
 *   generate() {
 *     const x = new hl.Var("x"), y = new hl.Var("y");
 *     this.output.at(x, y).set(hl.u8Sat(this.input.at(x, y).add(this.offset).mul(this.scale)));
 *   }
 * }
 * hl.registerGenerator("brighten", Brighten);
 * ```
 *
 * The field helpers return declarations typed as what the fields hold once the generator is built: before
 * `configure()` runs, each GeneratorParam field is replaced by its value (a boolean, number, string, Type or list
 * of Types), and before `generate()`, each input by an `ImageParam` or `Param` and each output by a typed `Func`,
 * all named after the field. Untyped inputs and outputs get their type and dimensionality from the generator
 * params `<name>.type` and `<name>.dim`. Inputs come first in the compiled function's arguments, in declaration
 * order, then the outputs.
 *
 * @module
 */
import { HalideError } from "../error.ts";
import { Bool, Float, Int, Type, UInt } from "../ir/type.ts";
import { Buffer } from "../runtime/buffer.ts";
import type { Callable } from "../runtime/callable.ts";
import type { ExprLike } from "./expr.ts";
import { Func } from "./func.ts";
import type { Module } from "./module.ts";
import { ImageParam, Param } from "./param.ts";
import { Pipeline } from "./pipeline.ts";
import { getTargetFromEnvironment, Target } from "./target.ts";

/** The value of a GeneratorParam. */
export type GeneratorParamValue = boolean | number | string | Type | Type[];

/** The stages of a generator's life, in order (Halide's `_Stage`). */
const Stage = {
  created: 0,
  gpCreated: 1,
  gpReplaced: 2,
  ioCreated: 3,
  configureCalled: 4,
  ioReplaced: 5,
  pipelineBuilt: 6,
} as const;
type Stage = typeof Stage[keyof typeof Stage];

// ------------------------------------------------------------------------------------------- declarations

/** A GeneratorParam field before the generator replaces it with its value. */
class GeneratorParamDecl {
  constructor(readonly defaultValue: GeneratorParamValue) {}
}

/** An input or output field before the generator replaces it. `types` empty or `dimensions` -1: unspecified. */
class IODecl {
  constructor(
    readonly kind: "InputBuffer" | "InputScalar" | "OutputBuffer" | "OutputScalar",
    readonly types: readonly Type[],
    readonly dimensions: number,
  ) {}
  get isInput(): boolean {
    return this.kind === "InputBuffer" || this.kind === "InputScalar";
  }
}

function checkType(t: unknown, what: string): Type {
  if (!(t instanceof Type)) throw new HalideError(`Expected a Halide Type for ${what}, but saw: ${describe(t)}`);
  return t;
}

function typeList(types: Type | readonly Type[] | undefined, what: string): Type[] {
  if (types === undefined) return [];
  return (Array.isArray(types) ? [...types] : [types]).map((t) => checkType(t, what));
}

function dimensionsOf(dimensions: number | undefined, what: string): number {
  if (dimensions === undefined) return -1;
  if (!Number.isInteger(dimensions) || dimensions < 0) {
    throw new HalideError(`The dimensions of ${what} must be a non-negative integer, not ${describe(dimensions)}.`);
  }
  return dimensions;
}

/**
 * Declares a generator parameter: a compile-time value with a default, settable per build (`halide-ts gen …
 * name=value`, `generatorParams`). Its type is the default's: boolean, number (JavaScript does not tell integers
 * from floats), string, a Type or a list of Types. The field holds the value once the generator is built.
 *
 * @example
 * ```ts
 * class G extends hl.Generator {
 *   parallel = hl.GeneratorParam(true);
 *   scale = hl.GeneratorParam(1.0);
 *   rotation = hl.GeneratorParam("none");
 *   // ...
 * }
 * ```
 */
export function GeneratorParam(defaultValue: boolean): boolean;
export function GeneratorParam(defaultValue: number): number;
export function GeneratorParam(defaultValue: string): string;
export function GeneratorParam(defaultValue: Type): Type;
export function GeneratorParam(defaultValue: readonly Type[]): Type[];
export function GeneratorParam(defaultValue: GeneratorParamValue | readonly Type[]): GeneratorParamValue {
  const ok = ["boolean", "number", "string"].includes(typeof defaultValue) || defaultValue instanceof Type ||
    (Array.isArray(defaultValue) && defaultValue.every((t) => t instanceof Type));
  if (!ok) throw new HalideError(`A GeneratorParam's default must be a boolean, number, string, Type or list of Types, not ${describe(defaultValue)}.`);
  if (typeof defaultValue === "number" && !Number.isFinite(defaultValue)) {
    throw new HalideError(`A GeneratorParam's default must be a finite number, not ${defaultValue}.`);
  }
  return new GeneratorParamDecl(Array.isArray(defaultValue) ? [...defaultValue] : defaultValue as GeneratorParamValue) as unknown as GeneratorParamValue;
}

/**
 * Declares a buffer input of the given element type and dimensionality (either may be left undefined and set
 * through the generator params `<name>.type` / `<name>.dim`). The field holds an `ImageParam` once built.
 *
 * @example
 * ```ts
 * input = hl.InputBuffer(hl.UInt(8), 2);
 * ```
 */
export function InputBuffer(type?: Type, dimensions?: number): ImageParam {
  return new IODecl("InputBuffer", typeList(type, "an InputBuffer"), dimensionsOf(dimensions, "an InputBuffer")) as unknown as ImageParam;
}

/**
 * Declares a scalar input (type undefined: set through `<name>.type`). The field holds a `Param` once built.
 *
 * @example
 * ```ts
 * scale = hl.InputScalar(hl.Float(32));
 * ```
 */
export function InputScalar(type?: Type): Param {
  return new IODecl("InputScalar", typeList(type, "an InputScalar"), 0) as unknown as Param;
}

/**
 * Declares a buffer output: its element type (a list of Types for a Tuple output) and dimensionality, either
 * possibly undefined (set through `<name>.type` / `<name>.dim`). The field holds a typed `Func` once built.
 *
 * @example
 * ```ts
 * output = hl.OutputBuffer(hl.Float(32), 3);
 * pair = hl.OutputBuffer([hl.Float(32), hl.Int(32)], 2);
 * ```
 */
export function OutputBuffer(types?: Type | readonly Type[], dimensions?: number): Func {
  return new IODecl("OutputBuffer", typeList(types, "an OutputBuffer"), dimensionsOf(dimensions, "an OutputBuffer")) as unknown as Func;
}

/**
 * Declares a zero-dimensional output (a single value). The field holds a typed, zero-dimensional `Func`.
 *
 * @example
 * ```ts
 * total = hl.OutputScalar(hl.Float(32));
 * ```
 */
export function OutputScalar(types?: Type | readonly Type[]): Func {
  return new IODecl("OutputScalar", typeList(types, "an OutputScalar"), 0) as unknown as Func;
}

// ----------------------------------------------------------------------------------------- requirements

/** Halide's name rule: a C identifier without a leading `_` or `__` anywhere, and not a reserved key of call(). */
const nameRule = /^(?!.*__)[A-Za-z0-9][A-Za-z0-9_]*$/;
const reservedNames = new Set(["generatorParams", "generator_params", "target"]);

function checkValidName(name: string): string {
  if (!nameRule.test(name) || reservedNames.has(name)) {
    throw new HalideError(`The name '${name}' is not valid for a GeneratorParam, Input, or Output.`);
  }
  return name;
}

/** The types and dimensionality an input or output must have. */
class Requirement {
  constructor(readonly name: string, readonly types: readonly Type[], readonly dimensions: number) {
    if (types.length === 0) {
      throw new HalideError(
        `No type has been specified for ${name}. Try specifying one in code, or by setting '${name}.type' as a GeneratorParam.`,
      );
    }
    if (dimensions < 0) {
      throw new HalideError(
        `No dimensionality has been specified for ${name}. Try specifying one in code, or by setting '${name}.dim' as a GeneratorParam.`,
      );
    }
  }

  check(types: readonly Type[], dimensions: number): void {
    if (types.length !== this.types.length) {
      throw new HalideError(`Type mismatch for ${this.name}: expected ${this.types.length} types but saw ${types.length}`);
    }
    types.forEach((t, i) => {
      if (!t.equals(this.types[i])) throw new HalideError(`Type mismatch for ${this.name}:${i}: expected ${this.types[i]} saw ${t}`);
    });
    if (dimensions !== this.dimensions) {
      throw new HalideError(`Dimensions mismatch for ${this.name}: expected ${this.dimensions} saw ${dimensions}`);
    }
  }
}

/** Type names a GeneratorParam value may use (Halide's list, plus the 64-bit integers). */
const typeNames: Readonly<Record<string, Type>> = {
  bool: Bool(), float16: Float(16), float32: Float(32), float64: Float(64), int8: Int(8), int16: Int(16),
  int32: Int(32), int64: Int(64), uint8: UInt(8), uint16: UInt(16), uint32: UInt(32), uint64: UInt(64),
};

function parseTypeList(name: string, value: unknown): Type[] {
  if (value instanceof Type) return [value];
  if (Array.isArray(value)) return value.map((t) => checkType(t, `GeneratorParam ${name}`));
  return String(value).split(",").map((s) => {
    const t = typeNames[s.trim()];
    if (!t) throw new HalideError(`The value ${s} cannot be parsed as a Type.`);
    return t;
  });
}

/** `value` (from code, or a string from the command line) as a value of the GeneratorParam `name`'s type. */
function parseGeneratorParam(name: string, defaultValue: GeneratorParamValue, value: unknown): GeneratorParamValue {
  if (typeof defaultValue === "boolean") {
    if (typeof value === "boolean") return value;
    if (value === "true" || value === "false") return value === "true";
    throw new HalideError(`The GeneratorParam ${name} is a bool; the value ${describe(value)} is neither true nor false.`);
  }
  if (typeof defaultValue === "number") {
    const n = typeof value === "number" ? value : typeof value === "string" && value.trim() !== "" ? Number(value) : NaN;
    if (!Number.isFinite(n)) throw new HalideError(`The GeneratorParam ${name} is a number; the value ${describe(value)} is not one.`);
    return n;
  }
  if (typeof defaultValue === "string") {
    if (["string", "number", "boolean"].includes(typeof value)) return String(value);
    throw new HalideError(`The GeneratorParam ${name} is a string; the value ${describe(value)} is not one.`);
  }
  const types = parseTypeList(name, value);
  if (defaultValue instanceof Type) {
    if (types.length !== 1) throw new HalideError(`The GeneratorParam ${name} is a single Type, not ${types.length} of them.`);
    return types[0];
  }
  return types;
}

function describe(v: unknown): string {
  if (typeof v === "string") return JSON.stringify(v);
  if (typeof v === "bigint") return `${v}n`;
  if (v instanceof Type) return v.toString();
  if (Array.isArray(v)) return `[${v.map(describe).join(", ")}]`;
  if (typeof v === "object" && v !== null) {
    const s = String(v);
    return s === "[object Object]" ? `an object of class ${v.constructor?.name ?? "Object"}` : s;
  }
  return String(v);
}

// --------------------------------------------------------------------------------------------- registry

/** The options of a generator instance. */
export interface GeneratorOptions {
  /** The target to compile for (default: `HL_TARGET`, else the host). */
  readonly target?: Target | string;
  /** Values of GeneratorParams (and `<name>.type` / `<name>.dim` of untyped inputs and outputs) by name. */
  readonly generatorParams?: Readonly<Record<string, unknown>>;
}

/** A generator class (a subclass of {@link Generator}). */
export type GeneratorClass<G extends Generator = Generator> = new (options?: GeneratorOptions) => G;

interface Registration {
  readonly cls: GeneratorClass;
  /** Preset GeneratorParams (an alias). */
  readonly params: Readonly<Record<string, unknown>>;
}

const registry = new Map<string, Registration>();
const registeredNames = new WeakMap<GeneratorClass, string>();
/** The registration each instance made by {@link createGenerator} was made from, and its name. */
const instanceRegistrations = new WeakMap<Generator, Registration & { readonly name: string }>();

/**
 * Registers generator class `cls` under `name` (for `halide-ts gen -g name` and {@link createGenerator}); with
 * `aliasParams`, registers an alias: the same class with those GeneratorParams preset (Halide's `@hl.alias`).
 *
 * @example
 * ```ts
 * hl.registerGenerator("brighten", Brighten);
 * hl.registerGenerator("brighten_by_two", Brighten, { offset: 2 });
 * ```
 */
export function registerGenerator(name: string, cls: GeneratorClass, aliasParams: Readonly<Record<string, unknown>> = {}): void {
  checkValidName(name);
  if (typeof cls !== "function" || !(cls.prototype instanceof Generator)) {
    throw new HalideError(`registerGenerator("${name}", …) needs a class extending hl.Generator.`);
  }
  if (!isPlainObject(aliasParams)) throw new HalideError(`The Generator alias ${name} specifies something other than a dict.`);
  if (registry.has(name)) throw new HalideError(`The Generator name ${name} is already in use.`);
  registry.set(name, { cls, params: { ...aliasParams } });
  if (!registeredNames.has(cls)) registeredNames.set(cls, name);
}

/**
 * The names of the registered generators, in registration order.
 *
 * @example
 * ```ts
 * hl.registeredGenerators(); // ["brighten", "brighten_by_two"]
 * ```
 */
export function registeredGenerators(): string[] {
  return [...registry.keys()];
}

/**
 * A new instance of the generator registered as `name` (with an alias's preset GeneratorParams applied first).
 *
 * @example
 * ```ts
 * const run = hl.createGenerator("brighten", { generatorParams: { offset: 3 } }).compileToCallable();
 * ```
 */
export function createGenerator(name: string, options: GeneratorOptions = {}): Generator {
  const r = registry.get(name);
  if (!r) {
    const known = registeredGenerators();
    throw new HalideError(`There is no generator named '${name}'${known.length ? `; the registered ones are ${known.join(", ")}` : ""}.`);
  }
  const g = new r.cls(options);
  instanceRegistrations.set(g, { ...r, name });
  return g;
}

function isPlainObject(v: unknown): v is Record<string, unknown> {
  return typeof v === "object" && v !== null && Object.getPrototypeOf(v) === Object.prototype;
}

// ------------------------------------------------------------------------------------------- Generator

/** An input or output of a built generator, in calling order. */
interface ArgInfo {
  readonly name: string;
  readonly decl: IODecl;
}

/**
 * The base class of generators (see the module docs). Subclasses declare fields with {@link GeneratorParam},
 * {@link InputBuffer}, {@link InputScalar}, {@link OutputBuffer} and {@link OutputScalar}, may override
 * `configure()` (to add inputs and outputs with {@link Generator.addInput} / {@link Generator.addOutput}) and
 * must implement `generate()`.
 *
 * @example
 * ```ts
 * const run = new Brighten({ generatorParams: { offset: 2 } }).compileToCallable();
 * run(inputBuffer, 1.5, outputBuffer);
 * ```
 */
export abstract class Generator {
  #stage: Stage = Stage.created;
  readonly #target: Target;
  readonly #params: Readonly<Record<string, unknown>>;
  #autoscheduler = "";
  readonly #autoschedulerExtra = new Map<string, unknown>();
  readonly #gps = new Map<string, GeneratorParamDecl>();
  readonly #gpValues = new Map<string, unknown>();
  readonly #unhandled = new Map<string, unknown>();
  readonly #requirements = new Map<string, Requirement>();
  readonly #inputs: ArgInfo[] = [];
  readonly #outputs: ArgInfo[] = [];
  readonly #replacements = new Map<string, ImageParam | Param>();
  readonly #pipelineRequirements: [ExprLike, (ExprLike | string)[]][] = [];
  #inConfigure = false;
  #pipeline?: Pipeline;

  /** A generator for `options.target` with `options.generatorParams`. */
  constructor(options: GeneratorOptions = {}) {
    const given: unknown = options;
    if (!isPlainObject(given)) throw new HalideError(`A Generator's options must be a plain object, not ${describe(given)}.`);
    const target: unknown = options.target, params: unknown = options.generatorParams ?? {};
    if (!isPlainObject(params)) throw new HalideError("generatorParams must be a dict (a plain object)");
    if (target === undefined) this.#target = getTargetFromEnvironment();
    else if (typeof target === "string") this.#target = new Target(target);
    else if (target instanceof Target) this.#target = target;
    else throw new HalideError(`A Generator's target must be a Target or a string, not ${describe(target)}.`);
    this.#params = params;
  }

  /** Defines the outputs (called once, after `configure`, with every field replaced). */
  abstract generate(): void;

  /** Adds inputs and outputs that depend on GeneratorParams (optional; GeneratorParams hold their values here). */
  configure(): void {}

  /** The target this generator compiles for. @example `this.target.hasFeature(hl.TargetFeature.AVX2)` */
  get target(): Target {
    return this.#target;
  }

  /** Whether an autoscheduler was requested (the `autoscheduler` generator param). @example `if (!this.usingAutoscheduler()) f.parallel(y)` */
  usingAutoscheduler(): boolean {
    return this.#autoscheduler !== "";
  }

  /** The natural vector width of `type` on the target. @example `f.vectorize(x, this.naturalVectorSize(hl.Float(32)))` */
  naturalVectorSize(type: Type): number {
    return this.#target.naturalVectorSize(type);
  }

  /**
   * Adds a condition the compiled pipeline checks when it runs (see `Pipeline.addRequirement`).
   *
   * @example
   * ```ts
   * this.addRequirement(this.scale.gt(0), "scale must be positive, got", this.scale);
   * ```
   */
  addRequirement(condition: ExprLike, ...message: (ExprLike | string)[]): void {
    if (this.#stage >= Stage.pipelineBuilt) throw new HalideError("addRequirement() must be called before the pipeline is built.");
    this.#pipelineRequirements.push([condition, message]);
  }

  /**
   * Adds an input named `name` from `configure()` (the generator gets a field of that name).
   *
   * @example
   * ```ts
   * configure() { if (this.extra) this.addInput("extra_input", hl.InputBuffer(hl.UInt(16), 3)); }
   * ```
   */
  addInput(name: string, io: ImageParam | Param): void {
    this.#addFromConfigure("addInput", name, io, true);
  }

  /**
   * Adds an output named `name` from `configure()` (the generator gets a field of that name).
   *
   * @example
   * ```ts
   * configure() { this.addOutput("extra_output", hl.OutputBuffer(hl.Float(64), 2)); }
   * ```
   */
  addOutput(name: string, io: Func): void {
    this.#addFromConfigure("addOutput", name, io, false);
  }

  #addFromConfigure(method: string, name: string, io: unknown, input: boolean): void {
    if (!this.#inConfigure) throw new HalideError(`Can only call ${method}() from the configure() method.`);
    if (name in this) {
      throw new HalideError(`Cannot call ${method}('${name}') because the class already has a member of that name.`);
    }
    if (!(io instanceof IODecl) || io.isInput !== input) {
      const what = input ? "hl.InputBuffer or hl.InputScalar" : "hl.OutputBuffer or hl.OutputScalar";
      throw new HalideError(`Cannot call ${method}() with ${describe(io)}; it takes an ${what}.`);
    }
    this.#addIO(name, io);
  }

  /** The generator's name: the name it was created under, else its class's registered name, else the class name. */
  get #displayName(): string {
    return instanceRegistrations.get(this)?.name ?? registeredNames.get(this.constructor as GeneratorClass) ?? this.constructor.name;
  }

  // ---------------------------------------------------------------------------------------- lifecycle

  #advanceTo(stage: Stage): void {
    const steps: [Stage, () => void][] = [
      [Stage.gpCreated, () => this.#createGeneratorParams()],
      [Stage.gpReplaced, () => this.#replace([...this.#gps.keys()], (name) => this.#gpValues.get(name))],
      [Stage.ioCreated, () => this.#createIO()],
      [Stage.configureCalled, () => this.#callConfigure()],
      [Stage.ioReplaced, () => this.#replace([...this.#inputs, ...this.#outputs].map((a) => a.name), (name) => this.#replacement(name))],
    ];
    for (const [s, step] of steps) {
      if (this.#stage < s && s <= stage) {
        step();
        this.#stage = s;
      }
    }
  }

  /** The enumerable own fields in declaration order (base classes' first, as JavaScript initializes them). */
  #fields(): [string, unknown][] {
    return Object.keys(this).map((k) => [k, (this as Record<string, unknown>)[k]]);
  }

  #createGeneratorParams(): void {
    for (const [name, v] of this.#fields()) {
      if (!(v instanceof GeneratorParamDecl)) continue;
      checkValidName(name);
      this.#gps.set(name, v);
      this.#gpValues.set(name, v.defaultValue);
    }
    for (const [k, v] of Object.entries(instanceRegistrations.get(this)?.params ?? {})) this.#setGeneratorParam(k, v);
    for (const [k, v] of Object.entries(this.#params)) this.#setGeneratorParam(k, v);
  }

  #setGeneratorParam(name: string, value: unknown): void {
    const gp = this.#gps.get(name);
    if (gp) this.#gpValues.set(name, parseGeneratorParam(name, gp.defaultValue, value));
    else if (name === "autoscheduler") this.#autoscheduler = String(value);
    else if (name.startsWith("autoscheduler.")) this.#autoschedulerExtra.set(name.slice("autoscheduler.".length), value);
    else this.#unhandled.set(name, value);
  }

  #createIO(): void {
    for (const [name, v] of this.#fields()) if (v instanceof IODecl) this.#addIO(name, v);
    if (this.#unhandled.size > 0) {
      throw new HalideError(`Generator ${this.#displayName} has no GeneratorParam(s) named: [${[...this.#unhandled.keys()].join(", ")}]`);
    }
  }

  #addIO(name: string, io: IODecl): void {
    checkValidName(name);
    if (this.#requirements.has(name) || this.#gps.has(name)) {
      throw new HalideError(`The name '${name}' is used more than once in Generator ${this.#displayName}.`);
    }
    let types = io.types, dimensions = io.dimensions;
    const typeKey = `${name}.type`, dimKey = `${name}.dim`;
    if (this.#unhandled.has(typeKey)) {
      if (types.length > 0) {
        throw new HalideError(`Cannot set the GeneratorParam ${typeKey} for ${this.#displayName} because the value is explicitly specified in the source.`);
      }
      types = parseTypeList(typeKey, this.#unhandled.get(typeKey));
      this.#unhandled.delete(typeKey);
    }
    if (this.#unhandled.has(dimKey)) {
      if (dimensions !== -1) {
        throw new HalideError(`Cannot set the GeneratorParam ${dimKey} for ${this.#displayName} because the value is explicitly specified in the source.`);
      }
      dimensions = parseGeneratorParam(dimKey, 0, this.#unhandled.get(dimKey)) as number;
      this.#unhandled.delete(dimKey);
      dimensionsOf(dimensions, name);
    }
    if (io.kind === "InputScalar" || io.kind === "InputBuffer") {
      if (types.length > 1) throw new HalideError(`Input ${name} must have one type, not ${types.length}.`);
    }
    this.#requirements.set(name, new Requirement(name, types, dimensions));
    (io.isInput ? this.#inputs : this.#outputs).push({ name, decl: io });
  }

  #callConfigure(): void {
    this.#inConfigure = true;
    try {
      this.configure();
    } finally {
      this.#inConfigure = false;
    }
    if (this.#outputs.length === 0) throw new HalideError(`Generator '${this.#displayName}' must declare at least one output.`);
  }

  /** What replaces input or output `name`: the value bound by `call()`, else a new ImageParam, Param or Func. */
  #replacement(name: string): unknown {
    const bound = this.#replacements.get(name);
    if (bound) return bound;
    const r = this.#requirements.get(name)!;
    const info = [...this.#inputs, ...this.#outputs].find((a) => a.name === name)!;
    switch (info.decl.kind) {
      case "InputBuffer":
        return new ImageParam(r.types[0], r.dimensions, name);
      case "InputScalar":
        return new Param(r.types[0], name);
      default:
        return new Func(r.types, r.dimensions, name);
    }
  }

  /** Replaces each field of `names` with `valueOf(name)`; writing the field afterwards is an error. */
  #replace(names: readonly string[], valueOf: (name: string) => unknown): void {
    for (const name of names) {
      const value = valueOf(name);
      Object.defineProperty(this, name, {
        get: () => value,
        set: () => {
          throw new HalideError(`Invalid write to field '${name}'`);
        },
        enumerable: true,
        configurable: false,
      });
    }
  }

  /** Binds input `name` to a value given to `call()`. */
  #bindInput(name: string, value: unknown): void {
    const info = this.#inputs.find((a) => a.name === name)!;
    const r = this.#requirements.get(name)!;
    if (info.decl.kind === "InputBuffer") {
      if (!(value instanceof Buffer) && !(value instanceof ImageParam)) {
        throw new HalideError(`Input ${name} requires an ImageParam or Buffer argument when using call(), but saw ${describe(value)}`);
      }
      let param: ImageParam;
      if (value instanceof Buffer) {
        if (!value.defined()) throw new HalideError(`Cannot set the value for ${name} to an undefined value.`);
        param = new ImageParam(value.type, value.dimensions, name).set(value);
      } else {
        param = value;
      }
      r.check([param.type], param.dimensions);
      this.#replacements.set(name, param);
      return;
    }
    if (typeof value === "number" || typeof value === "boolean" || typeof value === "bigint") {
      this.#replacements.set(name, new Param(r.types[0], name, value));
      return;
    }
    if (!(value instanceof Param)) {
      throw new HalideError(`Input ${name} requires a Param (or scalar literal) argument when using call(), but saw ${describe(value)}.`);
    }
    r.check([value.type], 0);
    this.#replacements.set(name, value);
  }

  /** Runs `generate()` and checks the outputs; the pipeline, once. */
  #build(): Pipeline {
    if (this.#pipeline) return this.#pipeline;
    this.#advanceTo(Stage.ioReplaced);
    this.generate();
    const funcs = this.#outputs.map(({ name }) => {
      const f = (this as Record<string, unknown>)[name] as Func;
      if (!f.defined()) throw new HalideError(`Output '${name}' was not defined.`);
      this.#requirements.get(name)!.check(f.types, f.dimensions);
      return f;
    });
    const p = new Pipeline(funcs);
    for (const [cond, message] of this.#pipelineRequirements) p.addRequirement(cond, ...message);
    this.#stage = Stage.pipelineBuilt;
    return (this.#pipeline = p);
  }

  /** The built inputs, in calling order. */
  #inputParams(): (ImageParam | Param)[] {
    return this.#inputs.map(({ name }) => (this as Record<string, unknown>)[name] as ImageParam | Param);
  }

  /**
   * The pipeline, built (once) and JIT-compiled into a Callable taking the inputs in declaration order and then
   * the outputs (or all by name).
   *
   * @example
   * ```ts
   * const run = new Brighten().compileToCallable();
   * run(input, 1.5, output);
   * run.call([], { input, scale: 1.5, output });
   * ```
   */
  compileToCallable(): Callable {
    const p = this.#build();
    return p.compileToCallable(this.#inputParams(), this.#target);
  }

  /**
   * The pipeline, built (once) and lowered for the generator's target as the function `fnName` (default: the
   * registered name): a {@link Module} ready to write AOT outputs.
   *
   * @example
   * ```ts
   * new Brighten().compileToModule("brighten").compile({ static_library: "out/brighten.a" });
   * ```
   */
  compileToModule(fnName: string = this.#displayName): Module {
    const p = this.#build();
    return p.compileToModule(this.#inputParams(), fnName, this.#target);
  }

  /**
   * Composes the generator into another pipeline: builds an instance with the given inputs (positional, then by
   * name in a trailing plain object, which may also hold `generatorParams` and `target`) and returns its output
   * Func, or the list of output Funcs. Buffer inputs take a Buffer or ImageParam, scalar inputs a Param or a
   * literal.
   *
   * @example
   * ```ts
   * const f = Brighten.call(inputBuffer, 1.5);
   * const g = Brighten.call(inputBuffer, { scale: 2, generatorParams: { offset: 3 } });
   * ```
   */
  static call<G extends Generator>(this: GeneratorClass<G>, ...args: unknown[]): Func | Func[] {
    const named = args.length > 0 && isPlainObject(args[args.length - 1]) ? args.pop() as Record<string, unknown> : {};
    const { generatorParams = {}, target, ...inputs } = named;
    if (!isPlainObject(generatorParams)) throw new HalideError("generatorParams must be a dict (a plain object)");
    const g = new this({ target: target as Target | string | undefined, generatorParams });
    return g.#call(args, inputs);
  }

  #call(positional: readonly unknown[], named: Readonly<Record<string, unknown>>): Func | Func[] {
    this.#advanceTo(Stage.configureCalled);
    const n = this.#inputs.length;
    if (positional.length > n) {
      throw new HalideError(`Generator '${this.#displayName}' allows at most ${n} positional args, but ${positional.length} were specified.`);
    }
    const given = new Set<string>();
    positional.forEach((v, i) => {
      given.add(this.#inputs[i].name);
      this.#bindInput(this.#inputs[i].name, v);
    });
    for (const [k, v] of Object.entries(named)) {
      if (!this.#inputs.some((a) => a.name === k)) throw new HalideError(`Unknown input '${k}' specified via keyword argument.`);
      if (given.has(k)) throw new HalideError(`Input ${k} specified multiple times.`);
      given.add(k);
      this.#bindInput(k, v);
    }
    if (given.size !== n) throw new HalideError(`Generator '${this.#displayName}' requires ${n} args, but ${given.size} were specified.`);
    this.#build();
    const outputs = this.#outputs.map(({ name }) => (this as Record<string, unknown>)[name] as Func);
    return outputs.length === 1 ? outputs[0] : outputs;
  }
}
