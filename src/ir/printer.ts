/**
 * Human-readable text for IR, in the style of Halide's `IRPrinter`: binary operators are fully parenthesized
 * (`(x + 1)`, `(x*2)`), calls and casts look like function calls (`f(x, y)`, `uint8((x*2))`, `select(c, a, b)`),
 * non-int32 integer constants carry their type (`(uint8)44`), float constants print with six decimals and a
 * suffix (`1.500000f` for float32, `1.500000h` for float16, none for float64). Statements print as an indented
 * loop nest (`for (x, 0, 10) {...}`, `let`, `produce f {...}`, `f[index] = value`, `allocate`, `if`, `assert`).
 *
 * @module
 */
import { type Call, type Expr, isBinary, type Shuffle } from "./expr.ts";
import type { ForType, Stmt } from "./stmt.ts";
import type { Type } from "./type.ts";

/** Infix spellings of the binary nodes and of the bitwise intrinsics. */
const infix: Readonly<Record<string, string>> = {
  Add: " + ",
  Sub: " - ",
  Mul: "*",
  Div: "/",
  Mod: " % ",
  EQ: " == ",
  NE: " != ",
  LT: " < ",
  LE: " <= ",
  GT: " > ",
  GE: " >= ",
  And: " && ",
  Or: " || ",
  bitwise_and: " & ",
  bitwise_or: " | ",
  bitwise_xor: " ^ ",
  shift_left: " << ",
  shift_right: " >> ",
};

const forKeyword: Readonly<Record<ForType, string>> = {
  Serial: "for",
  Parallel: "parallel",
  Vectorized: "vectorized",
  Unrolled: "unrolled",
};

/**
 * Prints a number as C++'s `std::fixed` does (six decimals), switching to scientific notation for tiny
 * magnitudes as Halide does; infinities and NaN print as `inf`, `-inf`, `nan`.
 */
function formatFloat(v: number): string {
  if (Number.isNaN(v)) return "nan";
  if (!Number.isFinite(v)) return v > 0 ? "inf" : "-inf";
  if (v !== 0 && Math.log10(Math.abs(v)) < -6) {
    // C++ prints at least two exponent digits: 1.000000e-07.
    return v.toExponential(6).replace(/e([+-])(\d)$/, "e$10$2");
  }
  return Object.is(v, -0) ? "-0.000000" : v.toFixed(6);
}

function quote(s: string): string {
  let out = '"';
  for (const ch of s) {
    const c = ch.codePointAt(0)!;
    if (c >= 0x20 && c <= 0x7e && ch !== "\\" && ch !== '"') out += ch;
    else if (ch === '"') out += '\\"';
    else if (ch === "\\") out += "\\\\";
    else if (ch === "\t") out += "\\t";
    else if (ch === "\r") out += "\\r";
    else if (ch === "\n") out += "\\n";
    else out += `\\x${c.toString(16).toUpperCase().padStart(2, "0")}`;
  }
  return out + '"';
}

function list(es: readonly Expr[]): string {
  return es.map(exprToString).join(", ");
}

/** The named form of a shuffle, as Halide prints the common patterns. */
function shuffleToString(e: Shuffle): string {
  const n = e.indices.length;
  const total = e.vectors.reduce((s, v) => s + v.type.lanes, 0);
  const vs = list(e.vectors);
  const sameLanes = e.vectors.every((v) => v.type.lanes === e.vectors[0].type.lanes);
  const lanes = e.vectors[0].type.lanes;
  if (e.vectors.length > 1 && n === total && e.indices.every((x, i) => x === i)) return `concat_vectors(${vs})`;
  if (e.vectors.length > 1 && sameLanes && n === total) {
    const k = e.vectors.length;
    if (e.indices.every((x, i) => x === (i % k) * lanes + Math.floor(i / k))) return `interleave_vectors(${vs})`;
  }
  if (n === 1) return `extract_element(${vs}, ${e.indices[0]})`;
  const stride = n > 1 ? e.indices[1] - e.indices[0] : 1;
  if (e.indices.every((x, i) => x === e.indices[0] + i * stride)) {
    return `slice_vectors(${vs}, ${e.indices[0]}, ${stride}, ${n})`;
  }
  return `shuffle(${vs}, ${e.indices.join(", ")})`;
}

function callToString(e: Call): string {
  const op = infix[e.name];
  if (op !== undefined && e.args.length === 2 && e.callType === "PureIntrinsic") {
    return `(${exprToString(e.args[0])}${op}${exprToString(e.args[1])})`;
  }
  if (e.name === "bitwise_not" && e.callType === "PureIntrinsic") return `~${exprToString(e.args[0])}`;
  const text = `${e.name}(${list(e.args)})`;
  if (e.callType === "Halide" && e.func) {
    const isTuple = e.func.defined && e.func.outputTypes.length > 1;
    if (isTuple || e.valueIndex !== 0) return `${text}[${e.valueIndex}]`;
  }
  return text;
}

function typePrefix(t: Type): string {
  return `(${t})`;
}

/**
 * Prints an expression on one line.
 *
 * @example
 * ```ts
 * exprToString(arith("Add", variable(Int(32), "x"), i32Imm(1))); // "(x + 1)"
 * exprToString(cast(UInt(8), y));                                // "uint8(y)"
 * exprToString(intImm(UInt(8), 44));                             // "(uint8)44"
 * ```
 */
export function exprToString(e: Expr): string {
  if (isBinary(e)) {
    return e.kind === "Min" || e.kind === "Max"
      ? `${e.kind.toLowerCase()}(${exprToString(e.a)}, ${exprToString(e.b)})`
      : `(${exprToString(e.a)}${infix[e.kind]}${exprToString(e.b)})`;
  }
  switch (e.kind) {
    case "IntImm":
      if (e.type.isBool()) return e.value ? "true" : "false";
      return e.type.isInt() && e.type.bits === 32 ? `${e.value}` : `${typePrefix(e.type)}${e.value}`;
    case "FloatImm": {
      const text = formatFloat(e.value);
      if (e.type.isBFloat()) return `${typePrefix(e.type)}${text}`;
      return e.type.bits === 32 ? `${text}f` : e.type.bits === 16 ? `${text}h` : text;
    }
    case "StringImm":
      return quote(e.value);
    case "Cast":
      return `${e.type}(${exprToString(e.value)})`;
    case "Reinterpret":
      return `reinterpret<${e.type}>(${exprToString(e.value)})`;
    case "Variable":
      return e.name;
    case "Not":
      return `!${exprToString(e.a)}`;
    case "Select":
      return `select(${list([e.cond, e.trueValue, e.falseValue])})`;
    case "Let":
      return `(let ${e.name} = ${exprToString(e.value)} in ${exprToString(e.body)})`;
    case "Load": {
      const text = `${e.name}[${exprToString(e.index)}]`;
      return isConstTrue(e.predicate) ? text : `(${text} if ${exprToString(e.predicate)})`;
    }
    case "Ramp":
      return `ramp(${exprToString(e.base)}, ${exprToString(e.stride)}, ${e.lanes})`;
    case "Broadcast":
      return `x${e.lanes}(${exprToString(e.value)})`;
    case "Shuffle":
      return shuffleToString(e);
    case "VectorReduce":
      return `${typePrefix(e.type)}vector_reduce_${e.op.toLowerCase()}(${exprToString(e.value)})`;
    case "Call":
      return callToString(e);
  }
}

function isConstTrue(e: Expr): boolean {
  if (e.kind === "Broadcast") return isConstTrue(e.value);
  return e.kind === "IntImm" && e.type.isBool() && e.value === 1n;
}

const INDENT = "  ";

function printStmt(s: Stmt, depth: number, out: string[]): void {
  const pad = INDENT.repeat(depth);
  const braced = (header: string, body: Stmt): void => {
    out.push(`${pad}${header} {\n`);
    printStmt(body, depth + 1, out);
    out.push(`${pad}}\n`);
  };
  switch (s.kind) {
    case "For":
      braced(`${forKeyword[s.forType]} (${s.name}, ${exprToString(s.min)}, ${exprToString(s.extent)})`, s.body);
      return;
    case "LetStmt":
      out.push(`${pad}let ${s.name} = ${exprToString(s.value)}\n`);
      printStmt(s.body, depth, out);
      return;
    case "Provide": {
      const values = s.values.length === 1 ? exprToString(s.values[0]) : `{${list(s.values)}}`;
      out.push(`${pad}${s.name}(${list(s.args)}) = ${values}\n`);
      return;
    }
    case "Store": {
      const store = `${s.name}[${exprToString(s.index)}] = ${exprToString(s.value)}\n`;
      if (isConstTrue(s.predicate)) out.push(`${pad}${store}`);
      else out.push(`${pad}predicate (${exprToString(s.predicate)})\n${pad}${INDENT}${store}`);
      return;
    }
    case "Realize": {
      const bounds = s.bounds.map((b) => `[${exprToString(b.min)}, ${exprToString(b.extent)}]`).join(", ");
      const cond = isConstTrue(s.condition) ? "" : ` if ${exprToString(s.condition)}`;
      braced(`realize ${s.name}(${bounds})${cond}`, s.body);
      return;
    }
    case "Allocate": {
      const size = [`${s.type}`, ...s.extents.map(exprToString)].join(" * ");
      const cond = isConstTrue(s.condition) ? "" : ` if ${exprToString(s.condition)}`;
      out.push(`${pad}allocate ${s.name}[${size}]${cond}\n`);
      printStmt(s.body, depth, out);
      return;
    }
    case "ProducerConsumer":
      braced(`${s.isProducer ? "produce" : "consume"} ${s.name}`, s.body);
      return;
    case "Block":
      for (const child of s.stmts) printStmt(child, depth, out);
      return;
    case "IfThenElse": {
      out.push(`${pad}if (${exprToString(s.cond)}) {\n`);
      printStmt(s.thenCase, depth + 1, out);
      let rest = s.elseCase;
      while (rest && rest.kind === "IfThenElse") {
        out.push(`${pad}} else if (${exprToString(rest.cond)}) {\n`);
        printStmt(rest.thenCase, depth + 1, out);
        rest = rest.elseCase;
      }
      if (rest) {
        out.push(`${pad}} else {\n`);
        printStmt(rest, depth + 1, out);
      }
      out.push(`${pad}}\n`);
      return;
    }
    case "Evaluate":
      out.push(`${pad}${exprToString(s.value)}\n`);
      return;
    case "AssertStmt":
      out.push(`${pad}assert(${exprToString(s.cond)}, ${exprToString(s.message)})\n`);
      return;
  }
}

/**
 * Prints a statement as an indented loop nest (two spaces per level), one line per statement.
 *
 * @example
 * ```ts
 * stmtToString(forLoop("x", i32Imm(0), i32Imm(10), "Serial", evaluateStmt(x)));
 * // "for (x, 0, 10) {\n  x\n}\n"
 * ```
 */
export function stmtToString(s: Stmt): string {
  const out: string[] = [];
  printStmt(s, 0, out);
  return out.join("");
}
