/**
 * Pseudo-random numbers. `randomFloat()` & co. create a `random` intrinsic call tagged with a unique id; when a
 * Func is defined, {@link lowerRandom} replaces each such call by pure integer arithmetic: a hash of the seed, the
 * id, the Func's pure variables and a per-definition tag. The result is therefore a fixed function of the
 * coordinates — the same on every run and under every schedule — and later passes never see `random` calls.
 * This is Halide's `Random.cpp`.
 *
 * @module
 */
import { HalideError } from "../error.ts";
import * as ir from "../ir/expr.ts";
import { Intrinsic } from "../ir/expr.ts";
import { uniqueName } from "../ir/function.ts";
import { mapExprChildren } from "../ir/mutate.ts";
import { exprToString } from "../ir/printer.ts";
import { Float, Int, UInt } from "../ir/type.ts";
import { type Expr, type ExprLike, toIR, wrap } from "./expr.ts";
import * as op from "./ir_operator.ts";

let randomNumberCounter = 0;
let definitionTagCounter = 0;

function randomCall(t: ir.Type, seed: ExprLike | undefined, api: string, unsignedSeedOk: boolean): ir.Expr {
  const args: ir.Expr[] = [];
  if (seed !== undefined) {
    const s = toIR(seed);
    const ok = s.type.equals(Int(32)) || (unsignedSeedOk && s.type.equals(UInt(32)));
    if (!ok) {
      throw new HalideError(
        `The seed passed to ${api} must have type Int(32)${unsignedSeedOk ? " or UInt(32)" : ""}, but instead is ` +
          `${exprToString(s)} of type ${s.type}`,
      );
    }
    args.push(s);
  }
  args.push(ir.i32Imm(randomNumberCounter++));
  return ir.callIntrinsic(Intrinsic.random, t, args);
}

/**
 * A uniform random float in [0, 1], different for every call site and every point of the Func it defines; an
 * Int(32) `seed` varies it further.
 *
 * @example
 * ```ts
 * noise.at(x, y).set(hl.randomFloat());
 * ```
 */
export function randomFloat(seed?: ExprLike): Expr {
  return wrap(randomCall(Float(32), seed, "randomFloat", false));
}
/**
 * A uniform random uint32 (see {@link randomFloat}); the seed may be Int(32) or UInt(32).
 *
 * @example
 * ```ts
 * bits.at(x).set(hl.randomUint(seed));
 * ```
 */
export function randomUint(seed?: ExprLike): Expr {
  return wrap(randomCall(UInt(32), seed, "randomUint", true));
}
/**
 * A uniform random int32 (the bits of {@link randomUint}).
 *
 * @example
 * ```ts
 * r.at(x).set(hl.randomInt());
 * ```
 */
export function randomInt(seed?: ExprLike): Expr {
  return wrap(ir.reinterpret(Int(32), randomCall(UInt(32), seed, "randomInt", true)));
}

// Coefficients of a quadratic permutation polynomial modulo 2^32 (C1 odd, C2 even).
const C0 = 576942909n, C1 = 1121052041n, C2 = 1040796640n;

/** A fixed pseudo-random permutation of uint32 values; constants fold. */
function rng32(x: ir.Expr): ir.Expr {
  const c = ir.asConstInt(x);
  if (c !== undefined) return ir.intImm(UInt(32), BigInt.asUintN(32, (C2 * c + C1) * c + C0));
  return op.arith("Add", op.arith("Mul", op.arith("Add", op.arith("Mul", Number(C2), x), Number(C1)), x), Number(C0));
}

/** Hashes a list of int32/uint32 values into one uint32 by permuting, adding the next value, and permuting again. */
function hashInts(es: readonly ir.Expr[]): ir.Expr {
  let result = rng32(op.cast(UInt(32), es[0]));
  for (const e of es.slice(1)) {
    const r = ir.asConstInt(result), v = ir.asConstInt(e);
    if (r !== undefined && v !== undefined) {
      result = rng32(ir.intImm(UInt(32), r + v));
    } else {
      const name = uniqueName("R");
      result = ir.letExpr(name, op.arith("Add", result, op.cast(UInt(32), e)), rng32(ir.variable(UInt(32), name)));
    }
  }
  // The low bits have a poor period; mix in the high ones.
  return op.bitwise("xor", result, op.shift("right", result, 16));
}

/** A float in [0, 1] from 23 random mantissa bits. */
function hashToFloat(es: readonly ir.Expr[]): ir.Expr {
  const bits = op.bitwise("or", 127 << 23, op.shift("right", hashInts(es), 9));
  // The clamp only helps bounds inference.
  return op.clamp(op.arith("Sub", ir.reinterpret(Float(32), bits), 1), 0, 1);
}

/**
 * A fresh tag for one definition (each definition's random numbers differ).
 *
 * @example
 * ```ts
 * const values = defValues.map((v) => lowerRandom(v, pureVars, nextRandomTag()));
 * ```
 */
export function nextRandomTag(): number {
  return definitionTagCounter++;
}

/**
 * Replaces every `random` call in `e` by its hash of (seed, call id, `freeVars` innermost-last, `tag`).
 * `freeVars` are the definition's variables (pure Vars, and RVars for update definitions), outermost last as in
 * the Func's argument list; they must be Int(32) or UInt(32).
 *
 * @example
 * ```ts
 * lowerRandom(value, [xVar, yVar], nextRandomTag());
 * ```
 */
export function lowerRandom(e: ir.Expr, freeVars: readonly ir.Expr[], tag: number): ir.Expr {
  const extra = [...freeVars].reverse().concat([ir.i32Imm(tag)]);
  const go = (n: ir.Expr): ir.Expr => {
    if (!ir.isIntrinsic(n, Intrinsic.random)) return mapExprChildren(n, go);
    const args = [...n.args, ...extra];
    if (n.type.equals(Float(32))) return hashToFloat(args);
    if (n.type.equals(Int(32))) return op.cast(Int(32), hashInts(args));
    if (n.type.equals(UInt(32))) return hashInts(args);
    throw new HalideError(`The intrinsic random() returns an Int(32), UInt(32) or a Float(32), not ${n.type}.`);
  };
  return go(e);
}
