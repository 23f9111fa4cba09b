/**
 * Language methods on classes that live in lower layers, added here so those layers need not import the
 * language: `buf.at(...)` on `Buffer` (src/runtime) and `t.max()` / `t.min()` on `Type` (src/ir). TypeScript's
 * declaration merging makes the methods visible to the type checker; importing this module installs them.
 *
 * @module
 */
import { HalideError } from "../error.ts";
import * as ir from "../ir/expr.ts";
import { Type } from "../ir/type.ts";
import { Buffer } from "../runtime/buffer.ts";
import { type Expr, type ExprLike, wrap } from "./expr.ts";
import { imageCall } from "./func.ts";

declare module "../runtime/buffer.ts" {
  interface Buffer {
    /**
     * An expression reading this buffer at the given coordinates inside a pipeline (an image call). Pass one
     * coordinate per dimension, or use `hl._` for the remaining ones.
     *
     * @example
     * ```ts
     * const input = new hl.Buffer(hl.UInt(8), [640, 480], "input");
     * f.at(x, y).set(input.at(x, y).add(1));
     * ```
     */
    at(...args: ExprLike[]): Expr;
  }
}

declare module "../ir/type.ts" {
  interface Type {
    /**
     * The largest value of this type as an Expr (+infinity for floats).
     *
     * @example
     * ```ts
     * hl.UInt(8).max().toString(); // "(uint8)255"
     * ```
     */
    max(): Expr;
    /**
     * The smallest value of this type as an Expr (-infinity for floats).
     *
     * @example
     * ```ts
     * hl.Int(8).min().toString(); // "(int8)-128"
     * ```
     */
    min(): Expr;
  }
}

Buffer.prototype.at = function (this: Buffer, ...args: ExprLike[]): Expr {
  return imageCall(this, args);
};

/** The extreme value of a type as IR (`which` = "max" or "min"), broadcast for vector types. */
function extreme(t: Type, which: "max" | "min"): Expr {
  const elem = t.elementOf();
  let value: ir.Expr;
  if (elem.isFloat()) value = ir.floatImm(elem, which === "max" ? Infinity : -Infinity);
  else if (elem.isIntOrUInt()) value = ir.intImm(elem, which === "max" ? elem.maxInt() : elem.minInt());
  else throw new HalideError(`Type ${t} has no ${which === "max" ? "maximum" : "minimum"} value.`);
  return wrap(t.isVector() ? ir.broadcast(value, t.lanes) : value);
}

Type.prototype.max = function (this: Type): Expr {
  return extreme(this, "max");
};
Type.prototype.min = function (this: Type): Expr {
  return extreme(this, "min");
};
