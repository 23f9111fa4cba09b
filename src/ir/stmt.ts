/**
 * Immutable statement nodes of the IR: the loop nests that lowering produces and codegen consumes.
 *
 * @module
 */
import type { BufferSource, Expr } from "./expr.ts";
import type { Partition } from "./schedule.ts";
import type { FunctionDef } from "./function.ts";
import type { MemoryType } from "./schedule.ts";
import type { Type } from "./type.ts";

/** How a loop runs. */
export type ForType = "Serial" | "Parallel" | "Vectorized" | "Unrolled";

/** `for (name = min; name < min + extent; name++) body`. */
export interface For {
  readonly kind: "For";
  readonly name: string;
  readonly min: Expr;
  readonly extent: Expr;
  readonly forType: ForType;
  readonly body: Stmt;
  /** The loop's partitioning policy (absent: Auto). */
  readonly partition?: Partition;
}
/** `let name = value in body`. */
export interface LetStmt {
  readonly kind: "LetStmt";
  readonly name: string;
  readonly value: Expr;
  readonly body: Stmt;
}
/** Multi-dimensional store into a Func's realization (before storage flattening). */
export interface Provide {
  readonly kind: "Provide";
  readonly name: string;
  readonly values: readonly Expr[];
  readonly args: readonly Expr[];
  readonly func: FunctionDef;
  /** An `atomic()` update: the read-modify-write of the value must be atomic (parallel iterations may collide). */
  readonly atomic?: boolean;
}
/** Store into a flattened buffer. */
export interface Store {
  readonly kind: "Store";
  readonly name: string;
  readonly value: Expr;
  readonly index: Expr;
  readonly predicate: Expr;
  readonly image?: BufferSource;
  /** The store and the loads of the same element in `value` form one atomic read-modify-write. */
  readonly atomic?: boolean;
}
/** Storage for a Func's values over a box of its domain (before flattening). */
export interface Realize {
  readonly kind: "Realize";
  readonly name: string;
  readonly types: readonly Type[];
  readonly bounds: readonly { readonly min: Expr; readonly extent: Expr }[];
  readonly condition: Expr;
  readonly body: Stmt;
  readonly func: FunctionDef;
  /**
   * Set when the storage is allocated further out (`hoistStorage`, see `src/lower/hoist_storage.ts`): storage
   * flattening then allocates nothing here.
   */
  readonly hoisted?: boolean;
}
/**
 * A flat allocation of `extents` elements of `type`, live in `body`. `memoryType` (absent: `Auto`) is where the
 * schedule asks for it (`storeIn`): `Stack` and `Register` in the function's frame when the size is a small
 * compile-time constant (the extents are then `IntImm`s), `Heap` always from the heap, `Auto` as codegen sees fit.
 */
export interface Allocate {
  readonly kind: "Allocate";
  readonly name: string;
  readonly type: Type;
  readonly extents: readonly Expr[];
  readonly condition: Expr;
  readonly body: Stmt;
  readonly memoryType?: MemoryType;
}
/** Marks where the producer or the consumer of `name` runs. */
export interface ProducerConsumer {
  readonly kind: "ProducerConsumer";
  readonly name: string;
  readonly isProducer: boolean;
  readonly body: Stmt;
}
/** Sequential composition. */
export interface Block {
  readonly kind: "Block";
  readonly stmts: readonly Stmt[];
}
/** Conditional. */
export interface IfThenElse {
  readonly kind: "IfThenElse";
  readonly cond: Expr;
  readonly thenCase: Stmt;
  readonly elseCase?: Stmt;
}
/** Evaluates an expression for its side effects. */
export interface Evaluate {
  readonly kind: "Evaluate";
  readonly value: Expr;
}
/** Fails the pipeline with `message` (an Expr evaluating to an error code after codegen) unless `cond`. */
export interface AssertStmt {
  readonly kind: "AssertStmt";
  readonly cond: Expr;
  readonly message: Expr;
}

/** Every statement node. */
export type Stmt =
  | For
  | LetStmt
  | Provide
  | Store
  | Realize
  | Allocate
  | ProducerConsumer
  | Block
  | IfThenElse
  | Evaluate
  | AssertStmt;

/** @example `forLoop("x", min, extent, "Serial", body)` */
export function forLoop(name: string, min: Expr, extent: Expr, forType: ForType, body: Stmt, partition?: Partition): For {
  const loop: For = { kind: "For", name, min, extent, forType, body };
  return partition && partition !== "Auto" ? { ...loop, partition } : loop;
}
/** @example `letStmt("t", value, body)` */
export function letStmt(name: string, value: Expr, body: Stmt): LetStmt {
  return { kind: "LetStmt", name, value, body };
}
/** Flattens nested blocks and drops empty ones. @example `block([a, b])` */
export function block(stmts: readonly Stmt[]): Stmt {
  const out: Stmt[] = [];
  for (const s of stmts) {
    if (s.kind === "Block") out.push(...s.stmts);
    else out.push(s);
  }
  return out.length === 1 ? out[0] : { kind: "Block", stmts: out };
}
/** @example `ifThenElse(cond, body)` */
export function ifThenElse(cond: Expr, thenCase: Stmt, elseCase?: Stmt): IfThenElse {
  return elseCase ? { kind: "IfThenElse", cond, thenCase, elseCase } : { kind: "IfThenElse", cond, thenCase };
}
/** @example `evaluate(call)` */
export function evaluateStmt(value: Expr): Evaluate {
  return { kind: "Evaluate", value };
}
