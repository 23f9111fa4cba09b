/**
 * The one error type every layer of halide-ts throws for user-visible failures.
 *
 * @example
 * ```ts
 * try { f.realize([-1]); } catch (e) { if (e instanceof HalideError) console.log(e.message); }
 * ```
 */
export class HalideError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "HalideError";
  }
}

/**
 * Throws a HalideError when `cond` is false. Internal helper for argument validation.
 *
 * @example
 * ```ts
 * check(factor > 0, `split factor must be positive, got ${factor}`);
 * ```
 */
export function check(cond: unknown, message: string | (() => string)): asserts cond {
  if (!cond) throw new HalideError(typeof message === "string" ? message : message());
}

/**
 * Reports a compiler bug (an invariant that user input cannot break) as a HalideError.
 *
 * @example
 * ```ts
 * if (node.kind === undefined) internalError("node without kind");
 * ```
 */
export function internalError(message: string): never {
  throw new HalideError(`Internal error: ${message}`);
}
