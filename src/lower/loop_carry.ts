/**
 * Loop carry (after Halide's `LoopCarry`): in a serial loop whose body stores `B[idx(v)]` and loads the element the
 * previous iteration stored, `B[idx(v - 1)]` — a scan such as `f(x, r) = f(x, r - 1)·a + f(x, r)·b` — the loaded
 * value is carried from one iteration to the next in a small stack slot (which LLVM keeps in a register) instead
 * of going through memory, removing a store-to-load round trip from the loop's critical path:
 *
 *     allocate B.carry[lanes]                       (only if the loop runs at all)
 *     B.carry[…] = B[idx(min - 1)]
 *     for v: let t = value(B.carry[…]); B[idx(v)] = t; B.carry[…] = t
 *
 * Only loops whose body is (lets around) that one store are transformed, so no other write can intervene.
 *
 * @module
 */
import { broadcast, cmp, constTrue, type Expr, i32Imm, type Load, ramp, variable } from "../ir/expr.ts";
import { equalExprs } from "../ir/equality.ts";
import { foldArith } from "../ir/interval.ts";
import { mapExprChildren, mapStmtChildren, substitute } from "../ir/mutate.ts";
import { simplify } from "../ir/simplify.ts";
import { block, type For, ifThenElse, letStmt, type Stmt, type Store } from "../ir/stmt.ts";
import { Int } from "../ir/type.ts";

/**
 * Carries values between iterations of every serial loop that reads what its previous iteration stored.
 *
 * @example
 * ```ts
 * const carried = loopCarry(partitionLoops(vectorized));
 * ```
 */
export function loopCarry(s: Stmt): Stmt {
  const go = (n: Stmt): Stmt => {
    const m = mapStmtChildren(n, (e) => e, go);
    return m.kind === "For" && m.forType === "Serial" ? carryIn(m) ?? m : m;
  };
  return go(s);
}

/** The store a loop body consists of (under lets), with the lets in order, or undefined. */
function soleStore(body: Stmt): { lets: [string, Expr][]; store: Store } | undefined {
  const lets: [string, Expr][] = [];
  let n = body;
  while (n.kind === "LetStmt") {
    lets.push([n.name, n.value]);
    n = n.body;
  }
  return n.kind === "Store" && !n.atomic && isTrue(predicateScalar(n.predicate)) ? { lets, store: n } : undefined;
}

function isTrue(e: Expr): boolean {
  return e.kind === "IntImm" && e.value === 1n;
}

function carryIn(loop: For): Stmt | undefined {
  const found = soleStore(loop.body);
  if (!found) return undefined;
  const { lets, store } = found;
  // The index in terms of the loop variable and outer variables (the body's lets substituted).
  const resolve = (e: Expr) => simplify(lets.reduceRight((acc, [name, value]) => substitute(acc, new Map([[name, value]])), e));
  const index = resolve(store.index);
  const v = variable(Int(32), loop.name);
  const prevIndex = simplify(substitute(index, new Map([[loop.name, foldArith("Sub", v, i32Imm(1))]])));
  if (equalExprs(prevIndex, index)) return undefined;
  const isPrevious = (e: Expr): e is Load =>
    e.kind === "Load" && e.name === store.name && isTrue(predicateScalar(e.predicate)) && equalExprs(resolve(e.index), prevIndex);
  let uses = 0;
  const countUses = (e: Expr): Expr => (isPrevious(e) ? (uses++, e) : mapExprChildren(e, countUses));
  countUses(store.value);
  lets.forEach(([, value]) => countUses(value));
  if (uses === 0) return undefined;

  const t = store.value.type, lanes = t.lanes;
  const slot = `${store.name}.carry.${loop.name}`;
  const slotIndex = lanes > 1 ? ramp(i32Imm(0), i32Imm(1), lanes) : i32Imm(0);
  const slotPredicate = lanes > 1 ? broadcast(constTrue(), lanes) : constTrue();
  const carried: Load = { kind: "Load", type: t, name: slot, index: slotIndex, predicate: slotPredicate };
  const replace = (e: Expr): Expr => (isPrevious(e) ? carried : mapExprChildren(e, replace));
  const valueName = `${store.name}.carried.${loop.name}`;
  const write = (value: Expr): Stmt => ({ kind: "Store", name: slot, value, index: slotIndex, predicate: slotPredicate });
  const newStore: Stmt = block([
    { ...store, value: variable(t, valueName) },
    write(variable(t, valueName)),
  ]);
  const body = lets.reduceRight<Stmt>(
    (acc, [name, value]) => letStmt(name, replace(value), acc),
    letStmt(valueName, replace(store.value), newStore),
  );
  // Before the loop, the slot holds what the iteration before the first one stored.
  const first = simplify(substitute(prevIndex, new Map([[loop.name, loop.min]])));
  const initial: Load = { kind: "Load", type: t, name: store.name, index: first, predicate: slotPredicate };
  const carriedLoop: Stmt = block([write(initial), { ...loop, body }]);
  return ifThenElse(cmp("GT", loop.extent, i32Imm(0)), {
    kind: "Allocate",
    name: slot,
    type: t.elementOf(),
    extents: [i32Imm(lanes)],
    condition: constTrue(),
    body: carriedLoop,
    memoryType: "Stack",
  });
}

/** A vector predicate of all-true lanes as the scalar `true`. */
function predicateScalar(p: Expr): Expr {
  return p.kind === "Broadcast" ? p.value : p;
}
