/**
 * A lowered pipeline as one self-contained HTML page, for reading what the compiler made of a schedule: the
 * pipeline's signature at the top, then the loop nest with syntax colouring (keywords, types, numbers, strings,
 * buffer and Func names, intrinsic calls, loop variables) in which every loop, `produce`/`consume`, `realize`,
 * `allocate` and `if` is a collapsible `<details>` block. Long runs of assertions start folded. Inline CSS and a
 * few lines of inline JavaScript (expand/collapse all; click a name to highlight every use); no external
 * resources, so the file can be opened anywhere or attached to a bug report.
 *
 * Statements follow the text printer's layout (`src/ir/printer.ts`), and expressions are exactly its text
 * (`exprToString`), coloured by a small lexer, so the page and `stmtToString` never disagree about syntax.
 *
 * @module
 */
import { exprToString } from "../ir/printer.ts";
import type { Expr } from "../ir/expr.ts";
import type { ForType, IfThenElse, Stmt } from "../ir/stmt.ts";
import type { LoweredPipeline } from "./lower.ts";

/**
 * Options for {@link stmtToHtml}.
 *
 * @example
 * ```ts
 * stmtToHtml(lp, { title: "blur, tiled", foldAssertionsFrom: Infinity }); // never fold assertions
 * ```
 */
export interface StmtHtmlOptions {
  /** The page title (default: `"<pipeline name> — lowered statement"`). */
  readonly title?: string;
  /** Consecutive assertions folded into one closed block when there are at least this many (default 3). */
  readonly foldAssertionsFrom?: number;
}

/**
 * What {@link stmtToHtml} reads from a lowered pipeline: its name, arguments and body. A whole
 * {@link LoweredPipeline} fits, and so does a hand-built statement.
 *
 * @example
 * ```ts
 * const page = stmtToHtml({ name: "loop", args: [], body: forLoop("i", i32Imm(0), i32Imm(8), "Serial", body) });
 * ```
 */
export type StmtHtmlInput = Pick<LoweredPipeline, "name" | "args" | "body">;

/**
 * Renders a lowered pipeline as a self-contained HTML page (a complete document, UTF-8).
 *
 * CSS classes used for colouring: `kw` keywords, `ty` types, `num` numbers, `str` strings, `buf` buffers and
 * Funcs, `call` intrinsic and extern calls, `lv` loop variables, `var` other names, `op` operators.
 *
 * @example
 * ```ts
 * import { writeFileSync } from "node:fs";
 * import { lowerPipeline } from "./lower.ts";
 * import { stmtToHtml } from "./stmt_html.ts";
 *
 * const lp = lowerPipeline(blurY.fn);          // blurY: an hl.Func
 * writeFileSync("blur_y.html", stmtToHtml(lp));
 * ```
 */
export function stmtToHtml(lp: StmtHtmlInput, options: StmtHtmlOptions = {}): string {
  const page = new PageWriter(collectNames(lp), options.foldAssertionsFrom ?? 3);
  page.stmt(lp.body);
  const title = options.title ?? `${lp.name} — lowered statement`;
  const { loops, blocks } = page.counts;
  return [
    "<!DOCTYPE html>",
    '<html lang="en">',
    "<head>",
    '<meta charset="utf-8">',
    `<title>${escapeHtml(title)}</title>`,
    `<style>${STYLE}</style>`,
    "</head>",
    "<body>",
    '<header class="top">',
    `<div class="sig">${signature(lp)}</div>`,
    `<div class="tools"><button type="button" data-open="1">expand all</button> ` +
    `<button type="button" data-open="0">collapse all</button> ` +
    `<span class="note">${loops} loop${loops === 1 ? "" : "s"}, ${blocks} collapsible block${
      blocks === 1 ? "" : "s"
    }; ` +
    `click a name to highlight it</span></div>`,
    "</header>",
    `<main class="code">${page.html.join("")}</main>`,
    `<script>${SCRIPT}</script>`,
    "</body>",
    "</html>",
    "",
  ].join("\n");
}

/**
 * Escapes text for HTML element content and attribute values (`&`, `<`, `>`, `"`, `'`).
 *
 * @example
 * ```ts
 * escapeHtml("a < b && c"); // "a &lt; b &amp;&amp; c"
 * ```
 */
export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => ENTITIES[c]);
}

const ENTITIES: Readonly<Record<string, string>> = {
  "&": "&amp;",
  "<": "&lt;",
  ">": "&gt;",
  '"': "&quot;",
  "'": "&#39;",
};

// ---------------------------------------------------------------------------------------------------------------
// Names: which identifiers are buffers/Funcs and which are loop variables

interface Names {
  /** Buffers, Funcs and allocations: coloured `buf` where they are called or indexed. */
  readonly buffers: ReadonlySet<string>;
  /** Loop variables: coloured `lv`. */
  readonly loops: ReadonlySet<string>;
}

function collectNames(lp: StmtHtmlInput): Names {
  const buffers = new Set(lp.args.filter((a) => a.kind === "buffer").map((a) => a.name)), loops = new Set<string>();
  const visit = (s: Stmt): void => {
    switch (s.kind) {
      case "For":
        loops.add(s.name);
        return visit(s.body);
      case "Realize":
      case "Allocate":
      case "ProducerConsumer":
        buffers.add(s.name);
        return visit(s.body);
      case "Provide":
      case "Store":
        buffers.add(s.name);
        return;
      case "LetStmt":
        return visit(s.body);
      case "Block":
        return s.stmts.forEach(visit);
      case "IfThenElse":
        visit(s.thenCase);
        if (s.elseCase) visit(s.elseCase);
        return;
      case "Evaluate":
      case "AssertStmt":
        return;
    }
  };
  visit(lp.body);
  return { buffers, loops };
}

// ---------------------------------------------------------------------------------------------------------------
// Expressions: the text printer's output, coloured token by token

/** Keywords that can appear inside printed expressions and statement headers. */
const KEYWORDS: ReadonlySet<string> = new Set([
  "let",
  "in",
  "if",
  "else",
  "for",
  "parallel",
  "vectorized",
  "unrolled",
  "produce",
  "consume",
  "realize",
  "allocate",
  "assert",
  "predicate",
  "true",
  "false",
  "func",
]);

const TYPE_NAME = /^(?:u?int|float|bfloat)\d+(?:x\d+)?$|^(?:bool|handle)(?:x\d+)?$/;

/**
 * One token of printed IR: a number (with an optional float suffix), a string with escapes, an identifier (which
 * may contain `.` and `$`, as lowered names do), an operator of one or two characters, whitespace, or any other
 * single character (brackets, commas).
 */
const TOKEN =
  /(\d+(?:\.\d+)?(?:e[+-]\d+)?[fh]?\b)|("(?:[^"\\]|\\.)*")|([A-Za-z_][A-Za-z0-9_.$]*)|(&&|\|\||[<>=!]=|<<|>>|[-+*\/%<>=!&|^~])|(\s+)|([\s\S])/g;

function span(cls: string, text: string): string {
  return `<span class="${cls}">${escapeHtml(text)}</span>`;
}

/** Colours the printed form of IR (an expression or a statement header). */
function highlight(text: string, names: Names): string {
  let out = "";
  for (const m of text.matchAll(TOKEN)) {
    const [tok, num, str, ident, op] = m;
    if (num !== undefined) out += span("num", tok);
    else if (str !== undefined) out += span("str", tok);
    else if (ident !== undefined) out += identifier(ident, text[m.index! + ident.length], names);
    else if (op !== undefined) out += span("op", op);
    else out += escapeHtml(tok);
  }
  return out;
}

function identifier(name: string, next: string | undefined, names: Names): string {
  if (KEYWORDS.has(name)) return span("kw", name);
  if (TYPE_NAME.test(name)) return span("ty", name);
  if (names.buffers.has(name) && (next === "(" || next === "[")) return named("buf", name);
  if (next === "(" || name === "reinterpret") return span("call", name);
  if (next === "[") return named("buf", name);
  return named(names.loops.has(name) ? "lv" : "var", name);
}

/** A name that the page's script can highlight everywhere it occurs. */
function named(cls: string, name: string): string {
  const text = escapeHtml(name);
  return `<span class="${cls} n" data-n="${text}">${text}</span>`;
}

function expr(e: Expr, names: Names): string {
  return highlight(exprToString(e), names);
}

// ---------------------------------------------------------------------------------------------------------------
// Statements

const FOR_KEYWORD: Readonly<Record<ForType, string>> = {
  Serial: "for",
  Parallel: "parallel",
  Vectorized: "vectorized",
  Unrolled: "unrolled",
};

/** One section of a block: its header line (the first is the `<summary>`) and what to write as its body. */
interface Section {
  readonly head: string;
  readonly body: () => void;
}

/** Writes the loop nest as nested `<details>` blocks and one `<div class="ln">` per line. */
class PageWriter {
  readonly html: string[] = [];
  readonly counts = { loops: 0, blocks: 0 };

  constructor(readonly names: Names, readonly foldAssertionsFrom: number) {}

  line(content: string): void {
    this.html.push(`<div class="ln">${content}</div>`);
  }

  /**
   * A collapsible block: the first section's header as the summary, each section's body indented, later
   * headers (`} else {`) between them, and a closing `}` line when `braces`.
   */
  block(kind: string, sections: readonly Section[], { open = true, braces = true } = {}): void {
    this.counts.blocks++;
    this.html.push(`<details class="blk ${kind}${braces ? "" : " nb"}"${open ? " open" : ""}>`);
    sections.forEach(({ head, body }, i) => {
      this.html.push(i === 0 ? `<summary>${head}</summary>` : `<div class="else">${head}</div>`);
      this.html.push('<div class="body">');
      body();
      this.html.push("</div>");
    });
    if (braces) this.html.push('<div class="close">}</div>');
    this.html.push("</details>");
  }

  stmt(s: Stmt): void {
    const x = (e: Expr) => expr(e, this.names);
    const braced = (kind: string, head: string, body: Stmt) =>
      this.block(kind, [{ head, body: () => this.stmt(body) }]);
    switch (s.kind) {
      case "For":
        this.counts.loops++;
        return braced(
          `loop ${s.forType.toLowerCase()}`,
          `${span("kw", FOR_KEYWORD[s.forType])} (${named("lv", s.name)}, ${x(s.min)}, ${x(s.extent)}) {`,
          s.body,
        );
      case "LetStmt":
        this.line(`${span("kw", "let")} ${named("var", s.name)} ${span("op", "=")} ${x(s.value)}`);
        return this.stmt(s.body);
      case "Provide": {
        const values = s.values.length === 1 ? x(s.values[0]) : `{${s.values.map(x).join(", ")}}`;
        return this.line(`${named("buf", s.name)}(${s.args.map(x).join(", ")}) ${span("op", "=")} ${values}`);
      }
      case "Store": {
        const store = `${named("buf", s.name)}[${x(s.index)}] ${span("op", "=")} ${x(s.value)}`;
        if (isTrue(s.predicate)) return this.line(store);
        const head = `${span("kw", "predicate")} (${x(s.predicate)})`;
        return this.block("pred", [{ head, body: () => this.line(store) }], { braces: false });
      }
      case "Realize": {
        const bounds = s.bounds.map((b) => `[${x(b.min)}, ${x(b.extent)}]`).join(", ");
        return braced(
          "realize",
          `${span("kw", "realize")} ${named("buf", s.name)}(${bounds})${condition(s.condition, x)} {`,
          s.body,
        );
      }
      case "Allocate": {
        const size = [span("ty", `${s.type}`), ...s.extents.map(x)].join(` ${span("op", "*")} `);
        return braced(
          "alloc",
          `${span("kw", "allocate")} ${named("buf", s.name)}[${size}]${condition(s.condition, x)} {`,
          s.body,
        );
      }
      case "ProducerConsumer": {
        const word = s.isProducer ? "produce" : "consume";
        return braced(word, `${span("kw", word)} ${named("buf", s.name)} {`, s.body);
      }
      case "Block":
        return this.sequence(s.stmts);
      case "IfThenElse":
        return this.ifChain(s);
      case "Evaluate":
        return this.line(x(s.value));
      case "AssertStmt":
        return this.line(`${span("kw", "assert")}(${x(s.cond)}, ${x(s.message)})`);
    }
  }

  /** A sequence, with long runs of assertions folded into one closed block. */
  sequence(stmts: readonly Stmt[]): void {
    for (let i = 0; i < stmts.length;) {
      let j = i;
      while (j < stmts.length && stmts[j].kind === "AssertStmt") j++;
      if (j - i >= this.foldAssertionsFrom) {
        const run = stmts.slice(i, j);
        const head = `${span("kw", "assert")} ${span("note", `\u2026 ${run.length} assertions`)}`;
        this.block("asserts", [{ head, body: () => run.forEach((a) => this.stmt(a)) }], { open: false, braces: false });
        i = j;
      } else {
        this.stmt(stmts[i++]);
      }
    }
  }

  /** `if (c) { … } else if (d) { … } else { … }` as one block with a section per branch. */
  ifChain(s: IfThenElse): void {
    const x = (e: Expr) => expr(e, this.names);
    const sections: Section[] = [{ head: `${span("kw", "if")} (${x(s.cond)}) {`, body: () => this.stmt(s.thenCase) }];
    for (let rest = s.elseCase; rest;) {
      const branch: Stmt = rest;
      if (branch.kind === "IfThenElse") {
        sections.push({
          head: `} ${span("kw", "else")} ${span("kw", "if")} (${x(branch.cond)}) {`,
          body: () => this.stmt(branch.thenCase),
        });
        rest = branch.elseCase;
      } else {
        sections.push({ head: `} ${span("kw", "else")} {`, body: () => this.stmt(branch) });
        rest = undefined;
      }
    }
    this.block("if", sections);
  }
}

function condition(cond: Expr, x: (e: Expr) => string): string {
  return isTrue(cond) ? "" : ` ${span("kw", "if")} ${x(cond)}`;
}

function isTrue(e: Expr): boolean {
  if (e.kind === "Broadcast") return isTrue(e.value);
  return e.kind === "IntImm" && e.type.isBool() && e.value === 1n;
}

function signature(lp: StmtHtmlInput): string {
  const args = lp.args.map((a) =>
    a.kind === "buffer"
      ? `<span class="arg ${a.isOutput ? "out" : "in"}">${named("buf", a.name)}: ${span("ty", `${a.type}`)} ` +
        `${span("note", `buffer[${a.dimensions}]${a.isOutput ? ", output" : ""}`)}</span>`
      : `<span class="arg scalar">${named("var", a.name)}: ${span("ty", `${a.type}`)}</span>`
  );
  return `${span("kw", "func")} ${span("fn", lp.name)}(${args.join(", ")})`;
}

// ---------------------------------------------------------------------------------------------------------------
// Page assets

const STYLE = `
:root { color-scheme: light dark; --bg: #fdfdfb; --fg: #1f2328; --dim: #6e7781; --rule: #d0d7de; --hl: #fff3a3;
  --kw: #a626a4; --ty: #0b7285; --num: #b5520b; --str: #1a7f37; --buf: #0550ae; --call: #8250df; --lv: #c2185b; }
@media (prefers-color-scheme: dark) { :root { --bg: #16181d; --fg: #d8dee9; --dim: #8b949e; --rule: #30363d;
  --hl: #5a4a00; --kw: #d889e6; --ty: #5cc8d6; --num: #f0a45d; --str: #7ee787; --buf: #79b8ff; --call: #c3a6ff;
  --lv: #ff8fb8; } }
body { margin: 0; background: var(--bg); color: var(--fg); font: 13px/1.45 ui-monospace, SFMono-Regular, Menlo, Consolas, monospace; }
.top { position: sticky; top: 0; background: var(--bg); border-bottom: 1px solid var(--rule); padding: 8px 12px; z-index: 1; }
.sig { font-size: 14px; font-weight: 600; white-space: pre-wrap; }
.tools { margin-top: 4px; color: var(--dim); }
.tools button { font: inherit; cursor: pointer; }
.code { padding: 8px 12px 40px; }
.ln, summary, .close, .else { white-space: pre-wrap; overflow-wrap: anywhere; padding-left: 2ch; text-indent: -2ch; }
details > summary { list-style: none; cursor: pointer; }
details > summary::-webkit-details-marker { display: none; }
details > summary::before { content: "\\25BE"; display: inline-block; width: 2ch; text-indent: 0; color: var(--dim); }
details:not([open]) > summary::before { content: "\\25B8"; }
details:not([open]) > summary::after { content: " \\2026 }"; color: var(--dim); }
details.nb:not([open]) > summary::after { content: none; }
.body { margin-left: 0.6ch; padding-left: 1.4ch; border-left: 1px dotted var(--rule); }
.ln, .close, .else { margin-left: 2ch; }
.blk.loop > summary { font-weight: 600; }
.blk.parallel > summary::before, .blk.vectorized > summary::before { color: var(--lv); }
.kw { color: var(--kw); font-weight: 600; } .ty { color: var(--ty); } .num { color: var(--num); }
.str { color: var(--str); } .buf, .fn { color: var(--buf); } .call { color: var(--call); } .lv { color: var(--lv); }
.op { color: var(--dim); } .note { color: var(--dim); font-weight: normal; }
.n { cursor: pointer; } .n.hl { background: var(--hl); border-radius: 2px; }
.arg.out .buf { text-decoration: underline; }
`;

const SCRIPT = `
document.querySelectorAll(".tools button").forEach((b) => b.addEventListener("click", () => {
  document.querySelectorAll("details").forEach((d) => { d.open = b.dataset.open === "1"; });
}));
document.addEventListener("click", (e) => {
  const t = e.target.closest && e.target.closest(".n");
  if (!t) return;
  const on = !t.classList.contains("hl");
  document.querySelectorAll(".n.hl").forEach((s) => s.classList.remove("hl"));
  if (on) document.querySelectorAll(".n").forEach((s) => { if (s.dataset.n === t.dataset.n) s.classList.add("hl"); });
  if (t.closest("summary")) e.preventDefault();
});
`;
