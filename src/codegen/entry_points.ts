/**
 * The entry points of a compiled pipeline: the functions that callers use, which unpack their arguments and call
 * the pipeline's body (`codegen.ts`).
 *
 * - **JavaScript** (the JIT and the `ts` output of ahead-of-time compilation): `int name_argv(void **argv)`,
 *   where `argv[0]` is the JavaScript user context (error and print buffers, `src/runtime/args.ts`) and
 *   `argv[i]` for a buffer argument is its `halide_buffer_t*` and for a scalar a pointer to the value.
 * - **Halide's C ABI** (object files and libraries): `int name(args...)` with buffers as `halide_buffer_t*` and
 *   scalars by value (`bool`, `uint16_t` for float16), `int name_argv(void **args)` (the same arguments through
 *   pointers, without a user context), and `const halide_filter_metadata_t *name_metadata(void)`. `name` checks
 *   that each buffer is non-null and has the right type and dimensionality, and the body reports failures through
 *   the runtime's `halide_error` with a null user context.
 *
 * The Buffers an algorithm reads directly (`hl.Buffer`s rather than ImageParams) are arguments of the body; the
 * JIT passes them at each call, while compiled libraries embed a copy of each as constant data, so they are not
 * arguments of the library's entry points ({@link isEmbedded}).
 *
 * @module
 */
import { HalideError } from "../error.ts";
import { type Type, TypeCode } from "../ir/type.ts";
import type { BufferArg, LoweredPipeline, PipelineArg } from "../lower/lower.ts";
import { Buffer } from "../runtime/buffer.ts";
import { type Builder, IntPred, type V } from "./builder.ts";
import {
  addFunctionAttributes,
  ErrorCode,
  globalString,
  type LLVMFunction,
  messageBufferBytes,
  type PipelineAbi,
  reportToRuntime,
} from "./codegen.ts";

const Linkage = { Internal: 8, Private: 9 } as const;

/** Offsets in `halide_buffer_t` of the fields the C entry checks (64-bit targets). */
const typeField = { code: 32, bits: 33, lanes: 34, dimensions: 36 } as const;

/** Halide's `halide_argument_kind_t`. */
const ArgumentKind = { inputScalar: 0, inputBuffer: 1, outputBuffer: 2 } as const;

/**
 * Whether `a` is a Buffer the algorithm reads directly, which compiled libraries embed as constant data.
 *
 * @example
 * ```ts
 * const callerArgs = lp.args.filter((a) => !isEmbedded(a));
 * ```
 */
export function isEmbedded(a: PipelineArg): a is BufferArg & { source: Buffer } {
  return a.kind === "buffer" && !a.isOutput && a.source instanceof Buffer;
}

/**
 * The arguments callers of a compiled library pass (all but the embedded Buffers), in order.
 *
 * @example
 * ```ts
 * libraryArgs(lp).map((a) => a.name); // ["input", "scale", "brighten"]
 * ```
 */
export function libraryArgs(lp: LoweredPipeline): PipelineArg[] {
  return lp.args.filter((a) => !isEmbedded(a));
}

/**
 * The ABI of JIT-compiled pipelines: the body is `name(user_context, args...)` and `name_argv` takes the
 * JavaScript user context and a pointer per argument. With `embedBuffers` (the `ts` output) the Buffers the
 * algorithm reads are embedded rather than passed.
 *
 * @example
 * ```ts
 * const mod = emitPipelineModule(lp, ctx, attrs, jsAbi(lp, attrs, false));
 * ```
 */
export function jsAbi(lp: LoweredPipeline, attrs: Readonly<Record<string, string>>, embedBuffers: boolean): PipelineAbi {
  return {
    bodyName: embedBuffers ? `${lp.name}_impl` : lp.name,
    exported: !embedBuffers,
    reporting: "user_context",
    addEntries: (bld, body) => {
      const embedded = embedBuffers ? embedAll(bld, lp) : new Map<string, V>();
      const w = entryFunction(bld, `${lp.name}_argv`, [bld.ptr], attrs);
      const argv = bld.fn.LLVMGetParam(w.fn, 0);
      const passed = lp.args.filter((a) => !embedded.has(a.name));
      const values = new Map(passed.map((a, i) => [a.name, loadArgument(bld, argv, i + 1, a, a.type)]));
      const userContext = loadPointer(bld, argv, 0, "user_context");
      returnCall(bld, body, [userContext, ...lp.args.map((a) => embedded.get(a.name) ?? values.get(a.name)!)]);
    },
  };
}

/**
 * Halide's C ABI for ahead-of-time code (see the module docs), for a pipeline compiled for target `targetName`
 * (recorded in the metadata).
 *
 * @example
 * ```ts
 * const mod = emitPipelineModule(lp, ctx, attrs, cAbi(lp, attrs, "x86-64-linux-avx2"));
 * ```
 */
export function cAbi(lp: LoweredPipeline, attrs: Readonly<Record<string, string>>, targetName: string): PipelineAbi {
  return {
    bodyName: `${lp.name}_impl`,
    exported: false,
    reporting: "runtime",
    addEntries: (bld, body) => {
      const embedded = embedAll(bld, lp);
      const entry = addCEntry(bld, body, lp, attrs, embedded);
      addCArgv(bld, entry, lp, attrs);
      addMetadata(bld, lp, attrs, targetName);
    },
  };
}

/** The C type of a scalar argument as LLVM passes it: Bool as a byte, float16 as its bits. */
function cScalarType(bld: Builder, t: Type): V {
  if (t.isBool()) return bld.i8;
  if (t.isFloat() && t.bits === 16) return bld.fn.LLVMIntTypeInContext(bld.ctx, 16);
  return bld.llvmType(t);
}

/** A C-typed scalar value converted to the body's type. */
function fromCScalar(bld: Builder, t: Type, v: V): V {
  const { fn, b } = bld;
  if (t.isBool()) return fn.LLVMBuildICmp(b, IntPred.NE, v, bld.constInt(bld.i8, 0), "");
  if (t.isFloat() && t.bits === 16) return fn.LLVMBuildBitCast(b, v, bld.llvmType(t), "");
  return v;
}

/** `int name(args...)`: checks each buffer, then calls the body with a null user context. */
function addCEntry(
  bld: Builder,
  body: LLVMFunction,
  lp: LoweredPipeline,
  attrs: Readonly<Record<string, string>>,
  embedded: ReadonlyMap<string, V>,
): LLVMFunction {
  const { fn, ptr } = bld;
  const passed = libraryArgs(lp);
  const entry = entryFunction(bld, lp.name, passed.map((a) => (a.kind === "buffer" ? ptr : cScalarType(bld, a.type))), attrs);
  const message = fn.LLVMBuildAlloca(bld.b, fn.LLVMArrayType(bld.i8, messageBufferBytes), "message");
  const params = new Map(passed.map((a, i) => [a.name, fn.LLVMGetParam(entry.fn, i)]));
  for (const a of passed) if (a.kind === "buffer") checkBuffer(bld, a, params.get(a.name)!, message);
  const args = lp.args.map((a) => embedded.get(a.name) ?? fromCScalar(bld, a.type, params.get(a.name)!));
  returnCall(bld, body, [fn.LLVMConstPointerNull(ptr), ...args]);
  return entry;
}

/** `int name_argv(void **args)`: a pointer per argument (to a scalar's value), calling `name`. */
function addCArgv(bld: Builder, entry: LLVMFunction, lp: LoweredPipeline, attrs: Readonly<Record<string, string>>): void {
  const w = entryFunction(bld, `${lp.name}_argv`, [bld.ptr], attrs);
  const argv = bld.fn.LLVMGetParam(w.fn, 0);
  returnCall(bld, entry, libraryArgs(lp).map((a, i) => loadArgument(bld, argv, i, a, undefined)));
}

/**
 * Argument `a` from slot `i` of an argv array: the buffer pointer itself, or the scalar the slot points at —
 * converted to `bodyType` when given (Bool bytes become i1), else left in its C representation.
 */
function loadArgument(bld: Builder, argv: V, i: number, a: PipelineArg, bodyType: Type | undefined): V {
  const { fn, b } = bld;
  const p = loadPointer(bld, argv, i, a.name);
  if (a.kind === "buffer") return p;
  const v = fn.LLVMBuildLoad2(b, a.type.isBool() ? bld.i8 : cScalarType(bld, a.type), p, a.name);
  return bodyType ? fromCScalar(bld, bodyType, v) : v;
}

function loadPointer(bld: Builder, argv: V, i: number, name: string): V {
  const { fn, b, i8, i64, ptr } = bld;
  const at = i === 0 ? argv : fn.LLVMBuildInBoundsGEP2(b, i8, argv, [bld.constInt(i64, 8 * i)], 1, "");
  return fn.LLVMBuildLoad2(b, ptr, at, name);
}

/**
 * Declares an exported function with `attrs` and positions the builder in its entry block. A name the module
 * already uses (a C library function the pipeline calls, say) is an error.
 */
function entryFunction(
  bld: Builder,
  name: string,
  params: readonly V[],
  attrs: Readonly<Record<string, string>>,
  returns: V = bld.i32,
): LLVMFunction {
  if (bld.fn.LLVMGetNamedFunction(bld.mod, name) !== null) {
    throw new HalideError(`The function name ${name} clashes with a function the generated code uses; choose another name.`);
  }
  const f = bld.declare(name, returns, params);
  addFunctionAttributes(bld, f.fn, attrs);
  bld.fn.LLVMPositionBuilderAtEnd(bld.b, bld.fn.LLVMAppendBasicBlockInContext(bld.ctx, f.fn, "entry"));
  return f;
}

function returnCall(bld: Builder, f: LLVMFunction, args: readonly V[]): void {
  const { fn, b } = bld;
  fn.LLVMBuildRet(b, fn.LLVMBuildCall2(b, f.type, f.fn, args, args.length, ""));
}

/** The C-ABI checks of a buffer argument: not NULL, then its type, then its dimensionality (Halide's messages). */
function checkBuffer(bld: Builder, a: BufferArg, buf: V, message: V): void {
  const { fn, b, ptr, i8, i32, i64 } = bld;
  const name = escape(a.name.replace(/\$\d+$/, ""));
  const what = `${a.isOutput ? "Output" : "Input"} buffer ${name}`;
  const isNull = fn.LLVMBuildICmp(b, IntPred.EQ, buf, fn.LLVMConstPointerNull(ptr), "");
  failIf(bld, isNull, ErrorCode.bufferArgumentIsNull, message, `Buffer argument ${name} is NULL`, []);

  const field = (t: V, offset: number) => fn.LLVMBuildLoad2(b, t, fn.LLVMBuildInBoundsGEP2(b, i8, buf, [bld.constInt(i64, offset)], 1, ""), "");
  const i16 = fn.LLVMIntTypeInContext(bld.ctx, 16);
  const code = field(i8, typeField.code), bits = field(i8, typeField.bits), lanes = field(i16, typeField.lanes);
  const same = (v: V, t: V, want: number) => fn.LLVMBuildICmp(b, IntPred.EQ, v, bld.constInt(t, want), "");
  const t = a.type;
  const typeOk = fn.LLVMBuildAnd(b, fn.LLVMBuildAnd(b, same(code, i8, t.code), same(bits, i8, t.bits), ""), same(lanes, i16, t.lanes), "");
  const given = `${what} has type ${t} but type of the buffer passed in is %s%u`;
  const format = bld.select(same(lanes, i16, 1), globalString(bld, given), globalString(bld, `${given}x%u`));
  const widened = [fn.LLVMBuildZExt(b, bits, i32, ""), fn.LLVMBuildZExt(b, lanes, i32, "")];
  failIf(bld, fn.LLVMBuildNot(b, typeOk, ""), ErrorCode.badType, message, format, [typeCodeName(bld, code), ...widened]);

  const dims = field(i32, typeField.dimensions);
  failIf(
    bld,
    fn.LLVMBuildNot(b, same(dims, i32, a.dimensions), ""),
    ErrorCode.badDimensions,
    message,
    `${what} requires a buffer of exactly ${a.dimensions} dimensions, but the buffer passed in has %d dimensions`,
    [dims],
  );
}

/** The name Halide's runtime prints for a type code ("int", "uint", "float", "handle", "bfloat"). */
function typeCodeName(bld: Builder, code: V): V {
  const names: readonly [TypeCode, string][] = [
    [TypeCode.Int, "int"], [TypeCode.UInt, "uint"], [TypeCode.Float, "float"], [TypeCode.Handle, "handle"],
    [TypeCode.BFloat, "bfloat"],
  ];
  return names.reduceRight(
    (rest, [c, s]) => bld.select(bld.fn.LLVMBuildICmp(bld.b, IntPred.EQ, code, bld.constInt(bld.i8, c), ""), globalString(bld, s), rest),
    globalString(bld, "bad_type_code"),
  );
}

/** If `cond` holds, reports the message through `halide_error` (null user context) and returns `code`. */
function failIf(bld: Builder, cond: V, code: number, message: V, format: string | V, values: readonly V[]): void {
  const { fn, b, ptr, i32 } = bld;
  const f = fn.LLVMGetBasicBlockParent(fn.LLVMGetInsertBlock(b));
  const fail = fn.LLVMAppendBasicBlockInContext(bld.ctx, f, "check_failed");
  const ok = fn.LLVMAppendBasicBlockInContext(bld.ctx, f, "check_ok");
  fn.LLVMBuildCondBr(b, cond, fail, ok);
  fn.LLVMPositionBuilderAtEnd(b, fail);
  const fmt = typeof format === "string" ? globalString(bld, format) : format;
  reportToRuntime(bld, "halide_error", fn.LLVMConstPointerNull(ptr), message, fmt, values);
  fn.LLVMBuildRet(b, bld.constInt(i32, code));
  fn.LLVMPositionBuilderAtEnd(b, ok);
}

/** `s` with `%` doubled, for use inside a printf format. */
function escape(s: string): string {
  return s.replaceAll("%", "%%");
}

/** A private global with initializer `init`. */
function privateGlobal(bld: Builder, name: string, init: V, constant: boolean): V {
  const { fn } = bld;
  const g = fn.LLVMAddGlobal(bld.mod, fn.LLVMTypeOf(init), name);
  fn.LLVMSetInitializer(g, init);
  fn.LLVMSetGlobalConstant(g, constant ? 1 : 0);
  fn.LLVMSetLinkage(g, Linkage.Private);
  return g;
}

/** The `halide_type_t` constant `{code, bits, lanes}` of `t`. */
function typeConstant(bld: Builder, t: Type): V {
  const i16 = bld.fn.LLVMIntTypeInContext(bld.ctx, 16);
  const fields = [bld.constInt(bld.i8, t.code), bld.constInt(bld.i8, t.bits), bld.constInt(i16, t.lanes)];
  return bld.fn.LLVMConstStructInContext(bld.ctx, fields, fields.length, 0);
}

/** Globals for every embedded Buffer of `lp`: its `halide_buffer_t`, by argument name. */
function embedAll(bld: Builder, lp: LoweredPipeline): Map<string, V> {
  return new Map(lp.args.filter(isEmbedded).map((a) => [a.name, embedBuffer(bld, a.name, a.source)]));
}

/**
 * A constant `halide_buffer_t` (with its dimensions and a dense copy of the elements) describing Buffer `src`
 * with its mins.
 */
function embedBuffer(bld: Builder, name: string, src: Buffer): V {
  const { fn, ctx, i32, i64, ptr } = bld;
  const dense = src.copy();
  const elementBytes = dense.type.isBool() ? 1 : dense.type.bytes();
  const bytes = new Uint8Array(dense.storage!, dense.hostByteOffset, dense.numberOfElements() * elementBytes);
  const data = privateGlobal(bld, `${name}.data`, fn.LLVMConstStringInContext(ctx, bytes, bytes.length, 1), true);
  fn.LLVMSetAlignment(data, 64);
  const dimType = fn.LLVMStructTypeInContext(ctx, [i32, i32, i32, i32], 4, 0);
  const dims = Array.from({ length: dense.dimensions }, (_, d) => {
    const { min, extent, stride } = dense.dim(d);
    const fields = [min, extent, stride, 0].map((v) => bld.constInt(i32, v));
    return fn.LLVMConstStructInContext(ctx, fields, fields.length, 0);
  });
  const dimArray = privateGlobal(bld, `${name}.dim`, fn.LLVMConstArray(dimType, dims, dims.length), true);
  const nul = fn.LLVMConstPointerNull(ptr);
  const fields = [
    bld.constInt(i64, 0), nul, data, bld.constInt(i64, 0), typeConstant(bld, dense.type),
    bld.constInt(i32, dense.dimensions), dense.dimensions > 0 ? dimArray : nul, nul,
  ];
  return privateGlobal(bld, `${name}.buffer`, fn.LLVMConstStructInContext(ctx, fields, fields.length, 0), true);
}

/**
 * `const halide_filter_metadata_t *name_metadata(void)`: version 1, the arguments (name, kind, dimensions,
 * type; no scalar defaults or estimates), the target and the name.
 */
function addMetadata(bld: Builder, lp: LoweredPipeline, attrs: Readonly<Record<string, string>>, targetName: string): void {
  const { fn, ctx, i32, ptr } = bld;
  const nul = fn.LLVMConstPointerNull(ptr);
  const args = libraryArgs(lp).map((a) => {
    const kind = a.kind === "scalar"
      ? ArgumentKind.inputScalar
      : (a.isOutput ? ArgumentKind.outputBuffer : ArgumentKind.inputBuffer);
    const fields = [
      globalString(bld, a.name.replace(/\$\d+$/, "")), bld.constInt(i32, kind),
      bld.constInt(i32, a.kind === "buffer" ? a.dimensions : 0), typeConstant(bld, a.type), nul, nul, nul, nul, nul,
    ];
    return fn.LLVMConstStructInContext(ctx, fields, fields.length, 0);
  });
  const argType = args.length > 0 ? fn.LLVMTypeOf(args[0]) : fn.LLVMInt8TypeInContext(ctx);
  const argArray = privateGlobal(bld, `${lp.name}.arguments`, fn.LLVMConstArray(argType, args, args.length), true);
  const fields = [
    bld.constInt(i32, 1), bld.constInt(i32, args.length), argArray, globalString(bld, targetName), globalString(bld, lp.name),
  ];
  const metadata = privateGlobal(bld, `${lp.name}.metadata`, fn.LLVMConstStructInContext(ctx, fields, fields.length, 0), true);
  entryFunction(bld, `${lp.name}_metadata`, [], attrs, ptr);
  fn.LLVMBuildRet(bld.b, metadata);
}
