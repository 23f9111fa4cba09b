// The checks of Halide's python_bindings/test/correctness/addconstant_test.py, for any implementation of the
// addconstant generator (a JIT Callable, or the function a generated ts binding exports): a scalar of every type
// added to arrays of every type (whose axes are reversed), and the two requirements failing. Returns the problems
// found, as text (none: an empty list).

/** An implementation: the 11 scalars, the 13 inputs, then the 13 outputs. */
export type AddConstant = (...args: unknown[]) => void;

type Numeric = number | bigint;
interface Lane {
  readonly label: string;
  readonly input: { readonly length: number; readonly [i: number]: Numeric };
  readonly output: { readonly length: number; readonly [i: number]: Numeric };
  readonly scalar: Numeric;
  /** The sum in the lane's type (wrapped, or rounded), as the pipeline computes it. */
  readonly sum: (a: Numeric, b: Numeric) => Numeric;
  /** Floats: compared within 0.0001, as the Python test does. */
  readonly approximate?: boolean;
}

const wrapInt = (bits: number, signed: boolean) => (a: Numeric, b: Numeric) =>
  Number(signed ? BigInt.asIntN(bits, BigInt(a) + BigInt(b)) : BigInt.asUintN(bits, BigInt(a) + BigInt(b)));
const wrapBig = (bits: number, signed: boolean) => (a: Numeric, b: Numeric) =>
  signed ? BigInt.asIntN(bits, BigInt(a) + BigInt(b)) : BigInt.asUintN(bits, BigInt(a) + BigInt(b));

/** Runs addconstant_test.py's test(impl, offset). */
export function checkAddConstant(impl: AddConstant, offset: number): string[] {
  const problems: string[] = [];
  const scalars = {
    u1: true, u8: 3, u16: 49153, u32: 65537, u64: 5724968371n, i8: -7, i16: -30712, i32: 98901, i64: -8163465847n,
    float: 3.14159, double: 1.61803,
  };
  const lanes: Lane[] = [
    { label: "u8", input: Uint8Array.of(0, 1, 2), output: new Uint8Array(3), scalar: scalars.u8, sum: wrapInt(8, false) },
    { label: "u16", input: Uint16Array.of(0, 256, 512), output: new Uint16Array(3), scalar: scalars.u16, sum: wrapInt(16, false) },
    { label: "u32", input: Uint32Array.of(0, 65536, 131072), output: new Uint32Array(3), scalar: scalars.u32, sum: wrapInt(32, false) },
    { label: "u64", input: BigUint64Array.of(0n, 4294967296n, 8589934592n), output: new BigUint64Array(3), scalar: scalars.u64, sum: wrapBig(64, false) },
    { label: "i8", input: Int8Array.of(1, -2, 3), output: new Int8Array(3), scalar: scalars.i8, sum: wrapInt(8, true) },
    { label: "i16", input: Int16Array.of(1, -256, 512), output: new Int16Array(3), scalar: scalars.i16, sum: wrapInt(16, true) },
    { label: "i32", input: Int32Array.of(1, -65536, 131072), output: new Int32Array(3), scalar: scalars.i32, sum: wrapInt(32, true) },
    { label: "i64", input: BigInt64Array.of(0n, -4294967296n, 8589934592n), output: new BigInt64Array(3), scalar: scalars.i64, sum: wrapBig(64, true) },
    { label: "float", input: Float32Array.of(3.14, 2.718, 1.618), output: new Float32Array(3), scalar: scalars.float, sum: (a, b) => Math.fround(Number(a) + Math.fround(Number(b))), approximate: true },
    { label: "double", input: Float64Array.of(3.14, 2.718, 1.618), output: new Float64Array(3), scalar: scalars.double, sum: (a, b) => Number(a) + Number(b), approximate: true },
    { label: "half", input: Float16Array.of(3.14, 2.718, 1.618), output: new Float16Array(3), scalar: scalars.float, sum: (a, b) => Math.f16round(Number(a) + Math.f16round(Number(b))), approximate: true },
  ];
  const input2d = Int8Array.of(1, 2, 3, 4, 5, 6), output2d = new Int8Array(6);
  const input3d = Int8Array.of(1, 2, 3, 4, 5, 6, 7, 8), output3d = new Int8Array(8);
  const call = (i32: number) =>
    impl(
      scalars.u1, scalars.u8, scalars.u16, scalars.u32, scalars.u64, scalars.i8, scalars.i16, i32, scalars.i64,
      scalars.float, scalars.double,
      ...lanes.map((l) => l.input), { data: input2d, shape: [2, 3] }, { data: input3d, shape: [2, 2, 2] },
      ...lanes.map((l) => l.output), { data: output2d, shape: [2, 3] }, { data: output3d, shape: [2, 2, 2] },
    );
  call(scalars.i32);
  for (const l of lanes) {
    for (let i = 0; i < 3; i++) {
      const want = l.sum(l.input[i], l.scalar), got = l.output[i];
      const ok = l.approximate ? Math.abs(Number(got) - Number(want)) < 0.0001 : got === want;
      if (!ok) problems.push(`${l.label}[${i}]: ${got} instead of ${want}`);
    }
  }
  input2d.forEach((v, i) => {
    if (output2d[i] !== v + scalars.i8) problems.push(`2d[${i}]: ${output2d[i]} instead of ${v + scalars.i8}`);
  });
  input3d.forEach((v, i) => {
    if (output3d[i] !== v + scalars.i8 + offset) problems.push(`3d[${i}]: ${output3d[i]} instead of ${v + scalars.i8 + offset}`);
  });
  // The requirements: scalar_int32 != 0, then scalar_int32 > 0 with a message.
  const expectations: [number, string][] = [
    [0, "Requirement Failed: ((scalar_int32 != 0))"],
    [-1, "Requirement Failed: ((scalar_int32 > 0)) negative values are bad -1"],
  ];
  for (const [i32, message] of expectations) {
    try {
      call(i32);
      problems.push(`scalar_int32 = ${i32}: no error`);
    } catch (e) {
      const text = `${(e as Error).constructor.name}: ${(e as Error).message}`;
      if (text !== `HalideError: ${message}`) problems.push(`scalar_int32 = ${i32}: ${text}`);
    }
  }
  return problems;
}
