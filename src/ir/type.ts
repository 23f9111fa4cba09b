/**
 * Halide's scalar and vector types: a code (int, uint, float, handle, bfloat), a bit width and a lane count.
 * The numeric codes are those of `halide_type_code_t` in the runtime ABI.
 *
 * @module
 */
import { check } from "../error.ts";

/**
 * Type codes, numbered as in the C ABI's `halide_type_code_t`.
 *
 * @example
 * ```ts
 * new Type(TypeCode.UInt, 8, 1).toString(); // "uint8"
 * ```
 */
export const TypeCode = { Int: 0, UInt: 1, Float: 2, Handle: 3, BFloat: 4 } as const;
/** A member of {@link TypeCode}. */
export type TypeCode = (typeof TypeCode)[keyof typeof TypeCode];

const codeNames: Record<TypeCode, string> = { 0: "int", 1: "uint", 2: "float", 3: "handle", 4: "bfloat" };

/**
 * An immutable Halide type. Bool is `uint1`. Use the constructors {@link Int}, {@link UInt}, {@link Float},
 * {@link Bool}, {@link BFloat}, {@link Handle} rather than `new Type`.
 *
 * @example
 * ```ts
 * const t = UInt(8);
 * t.withLanes(16).toString(); // "uint8x16"
 * t.canRepresent(255);        // true
 * ```
 */
export class Type {
  constructor(readonly code: TypeCode, readonly bits: number, readonly lanes: number = 1) {
    check(Number.isInteger(bits) && bits > 0 && bits <= 255, `Invalid number of bits for a Type: ${bits}`);
    check(Number.isInteger(lanes) && lanes > 0 && lanes <= 65536, `Invalid number of lanes for a Type: ${lanes}`);
  }
  /** Bytes per element (rounded up). @example `Int(32).bytes() // 4` */
  bytes(): number {
    return (this.bits + 7) >> 3;
  }
  /** @example `Float(32).isFloat() // true` */
  isFloat(): boolean {
    return this.code === TypeCode.Float || this.code === TypeCode.BFloat;
  }
  /** @example `BFloat(16).isBFloat() // true` */
  isBFloat(): boolean {
    return this.code === TypeCode.BFloat;
  }
  /** @example `Int(8).isInt() // true` */
  isInt(): boolean {
    return this.code === TypeCode.Int;
  }
  /** True for unsigned integers other than Bool. @example `UInt(8).isUInt() // true` */
  isUInt(): boolean {
    return this.code === TypeCode.UInt && this.bits > 1;
  }
  /** @example `Bool().isBool() // true` */
  isBool(): boolean {
    return this.code === TypeCode.UInt && this.bits === 1;
  }
  /** @example `Handle().isHandle() // true` */
  isHandle(): boolean {
    return this.code === TypeCode.Handle;
  }
  /** @example `Int(32, 8).isVector() // true` */
  isVector(): boolean {
    return this.lanes > 1;
  }
  /** @example `Int(32).isScalar() // true` */
  isScalar(): boolean {
    return this.lanes === 1;
  }
  /** Integer of either signedness, including Bool. @example `Bool().isIntOrUInt() // true` */
  isIntOrUInt(): boolean {
    return this.code === TypeCode.Int || this.code === TypeCode.UInt;
  }
  /** @example `Int(32).withBits(8).toString() // "int8"` */
  withBits(bits: number): Type {
    return new Type(this.code, bits, this.lanes);
  }
  /** @example `Int(32).withLanes(4).toString() // "int32x4"` */
  withLanes(lanes: number): Type {
    return new Type(this.code, this.bits, lanes);
  }
  /** @example `Int(32).withCode(TypeCode.UInt).toString() // "uint32"` */
  withCode(code: TypeCode): Type {
    return new Type(code, this.bits, this.lanes);
  }
  /** The scalar type of one lane. @example `Float(32, 8).elementOf().toString() // "float32"` */
  elementOf(): Type {
    return this.lanes === 1 ? this : new Type(this.code, this.bits, 1);
  }
  /** @example `Int(8).equals(Int(8)) // true` */
  equals(other: Type): boolean {
    return this.code === other.code && this.bits === other.bits && this.lanes === other.lanes;
  }
  /**
   * Whether every value of `other` (a Type) or the given constant is exactly representable in this type.
   *
   * @example
   * ```ts
   * UInt(8).canRepresent(256);      // false
   * Int(32).canRepresent(UInt(16)); // true
   * Float(32).canRepresent(0.5);    // true
   * ```
   */
  canRepresent(other: Type | number | bigint): boolean {
    if (other instanceof Type) return typeCanRepresent(this, other);
    if (typeof other === "bigint") {
      if (this.isIntOrUInt()) return other >= (this.minInt()) && other <= (this.maxInt());
      if (this.isFloat()) return this.canRepresent(Number(other)) && BigInt(Number(other)) === other;
      return false;
    }
    if (this.isIntOrUInt()) {
      return Number.isInteger(other) && BigInt(other) >= this.minInt() && BigInt(other) <= this.maxInt();
    }
    if (this.isFloat()) {
      if (Number.isNaN(other) || !Number.isFinite(other)) return true;
      if (this.bits === 64) return true;
      if (this.bits === 32 && !this.isBFloat()) return Math.fround(other) === other;
      return roundToFloatBits(other, this) === other;
    }
    return false;
  }
  /** Largest integer value (as bigint) of an int/uint type. @example `UInt(8).maxInt() // 255n` */
  maxInt(): bigint {
    check(this.isIntOrUInt(), `maxInt of non-integer type ${this}`);
    return this.code === TypeCode.Int ? (1n << BigInt(this.bits - 1)) - 1n : (1n << BigInt(this.bits)) - 1n;
  }
  /** Smallest integer value (as bigint) of an int/uint type. @example `Int(8).minInt() // -128n` */
  minInt(): bigint {
    check(this.isIntOrUInt(), `minInt of non-integer type ${this}`);
    return this.code === TypeCode.Int ? -(1n << BigInt(this.bits - 1)) : 0n;
  }
  /** `"int32"`, `"uint8"`, `"float32x8"`, `"bool"`, `"handle"`. @example `Bool(4).toString() // "boolx4"` */
  toString(): string {
    const base = this.isBool() ? "bool" : this.isHandle() ? "handle" : `${codeNames[this.code]}${this.bits}`;
    return this.lanes === 1 ? base : `${base}x${this.lanes}`;
  }
}

function typeCanRepresent(t: Type, o: Type): boolean {
  if (t.lanes !== o.lanes) return false;
  if (t.equals(o)) return true;
  if (t.isIntOrUInt() && o.isIntOrUInt()) {
    return t.minInt() <= o.minInt() && t.maxInt() >= o.maxInt();
  }
  if (t.isFloat() && !t.isBFloat()) {
    if (o.isFloat() && !o.isBFloat()) return o.bits <= t.bits;
    if (o.isBFloat()) return t.bits >= 32;
    const mantissa = t.bits === 16 ? 11 : t.bits === 32 ? 24 : 53;
    if (o.isIntOrUInt()) return (o.isInt() ? o.bits - 1 : o.bits) <= mantissa;
  }
  if (t.isBFloat()) {
    if (o.isBFloat()) return true;
    if (o.isIntOrUInt()) return (o.isInt() ? o.bits - 1 : o.bits) <= 8;
  }
  return false;
}

/**
 * Rounds a JavaScript number to the nearest value of a float type (float16, bfloat16, float32 or float64),
 * round-to-nearest-even, overflowing to ±Infinity.
 *
 * @example
 * ```ts
 * roundToFloatBits(0.1, Float(16)); // 0.0999755859375
 * ```
 */
export function roundToFloatBits(v: number, t: Type): number {
  if (t.bits === 64) return v;
  if (t.isBFloat()) return roundToBFloat16(v);
  if (t.bits === 32) return Math.fround(v);
  if (Number.isNaN(v) || !Number.isFinite(v) || v === 0) return v;
  // float16: 11-bit significand, exponent range [-14, 15].
  const mant = 11, minExp = -14, maxExp = 15;
  const a = Math.abs(v);
  let e = Math.floor(Math.log2(a));
  if (2 ** e > a) e--;
  if (2 ** (e + 1) <= a) e++;
  const q = 2 ** (Math.max(e, minExp) - (mant - 1));
  const r = a / q, fl = Math.floor(r), diff = r - fl;
  const out = (diff > 0.5 || (diff === 0.5 && fl % 2 === 1) ? fl + 1 : fl) * q;
  const maxVal = (2 - 2 ** (1 - mant)) * 2 ** maxExp;
  return Math.sign(v) * (out > maxVal ? Infinity : out);
}

const scratch = new DataView(new ArrayBuffer(4));

/**
 * Double → bfloat16, rounded once to nearest-even: round to float32, then break a tie on the bfloat16 grid by
 * which side of it the double was (rounding the float32 naively would round twice).
 */
function roundToBFloat16(x: number): number {
  if (!Number.isFinite(x) || x === 0) return x;
  const f = Math.fround(x);
  scratch.setFloat32(0, f);
  const bits = scratch.getUint32(0);
  const low = bits & 0xffff;
  let high = bits - low;
  const tie = low === 0x8000;
  const up = low > 0x8000 || (tie && (x === f ? (high & 0x10000) !== 0 : Math.abs(x) > Math.abs(f)));
  if (up) high += 0x10000; // may carry into the exponent, up to infinity: both are correct
  scratch.setUint32(0, high >>> 0);
  return scratch.getFloat32(0);
}

/** Signed integer type. @example `Int(16).toString() // "int16"` */
export function Int(bits: number, lanes = 1): Type {
  return new Type(TypeCode.Int, bits, lanes);
}
/** Unsigned integer type. @example `UInt(8).toString() // "uint8"` */
export function UInt(bits: number, lanes = 1): Type {
  return new Type(TypeCode.UInt, bits, lanes);
}
/** IEEE float type (16, 32 or 64 bits). @example `Float(32).toString() // "float32"` */
export function Float(bits: number, lanes = 1): Type {
  return new Type(TypeCode.Float, bits, lanes);
}
/** Brain float type. @example `BFloat(16).toString() // "bfloat16"` */
export function BFloat(bits: number, lanes = 1): Type {
  return new Type(TypeCode.BFloat, bits, lanes);
}
/** Boolean type (`uint1`). @example `Bool().toString() // "bool"` */
export function Bool(lanes = 1): Type {
  return new Type(TypeCode.UInt, 1, lanes);
}
/** Opaque pointer type. @example `Handle().toString() // "handle"` */
export function Handle(lanes = 1): Type {
  return new Type(TypeCode.Handle, 64, lanes);
}
