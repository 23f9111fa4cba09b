// The HTML view of a lowered pipeline (src/lower/stmt_html.ts): a well-formed, self-contained page with the
// signature on top, every loop present and collapsible, expressions escaped and coloured.
import { describe, expect, it } from "bun:test";
import * as hl from "../../mod.ts";
import { lowerPipeline } from "../../src/lower/lower.ts";
import { escapeHtml, stmtToHtml } from "../../src/lower/stmt_html.ts";
import { arith, cmp, constTrue, i32Imm, logical, stringImm, variable } from "../../src/ir/expr.ts";
import { block, evaluateStmt, forLoop, ifThenElse, type Stmt } from "../../src/ir/stmt.ts";
import { Int } from "../../src/ir/type.ts";

/** Tags that have no closing tag. */
const VOID = new Set(["meta", "br", "hr", "img", "input", "link"]);

/**
 * Checks that every element is closed in order and that nothing but tags contains a raw `<`; returns the open
 * element names seen, in document order. Script and style contents are skipped.
 */
function checkWellFormed(html: string): string[] {
  const body = html.replace(/<(script|style)>[\s\S]*?<\/\1>/g, "<$1></$1>").replace(/^<!DOCTYPE html>/, "");
  const stack: string[] = [], seen: string[] = [];
  let last = 0;
  for (const m of body.matchAll(/<(\/?)([a-zA-Z][a-zA-Z0-9]*)((?:\s+[a-zA-Z-]+(?:="[^"<>]*")?)*)\s*>/g)) {
    const text = body.slice(last, m.index);
    if (/[<>]/.test(text)) throw new Error(`raw < or > in text: ${JSON.stringify(text.slice(0, 80))}`);
    last = m.index! + m[0].length;
    const [, closing, name] = m;
    if (closing) {
      const open = stack.pop();
      if (open !== name) throw new Error(`</${name}> closes <${open}>`);
    } else if (!VOID.has(name)) {
      stack.push(name);
      seen.push(name);
    }
  }
  if (/[<>]/.test(body.slice(last))) throw new Error("raw < or > after the last tag");
  if (stack.length) throw new Error(`unclosed: ${stack.join(", ")}`);
  return seen;
}

function loopNames(s: Stmt): string[] {
  switch (s.kind) {
    case "For":
      return [s.name, ...loopNames(s.body)];
    case "LetStmt":
    case "Realize":
    case "Allocate":
    case "ProducerConsumer":
      return loopNames(s.body);
    case "Block":
      return s.stmts.flatMap(loopNames);
    case "IfThenElse":
      return [...loopNames(s.thenCase), ...(s.elseCase ? loopNames(s.elseCase) : [])];
    default:
      return [];
  }
}

/** A two-stage blur with a tiled, vectorized, parallel schedule: a loop nest several levels deep. */
function blurPipeline() {
  const input = new hl.Buffer(hl.UInt(16), [64, 48], "html_in");
  const x = new hl.Var("x"), y = new hl.Var("y"), xi = new hl.Var("xi"), yi = new hl.Var("yi");
  const bx = new hl.Func("html_blur_x"), by = new hl.Func("html_blur_y");
  bx.at(x, y).set(input.at(x, y).add(input.at(x.add(1), y)).add(input.at(x.add(2), y)).div(3));
  by.at(x, y).set(bx.at(x, y).add(bx.at(x, y.add(1))).add(bx.at(x, y.add(2))).div(3));
  by.tile(x, y, xi, yi, 16, 8).vectorize(xi, 8).parallel(y);
  bx.computeAt(by, x).vectorize(x, 8);
  return lowerPipeline(by.fn);
}

describe("stmtToHtml", () => {
  const lp = blurPipeline();
  const html = stmtToHtml(lp);

  it("is a complete, well-formed page", () => {
    expect(html.startsWith("<!DOCTYPE html>\n<html")).toBe(true);
    expect(html.trimEnd().endsWith("</html>")).toBe(true);
    const tags = checkWellFormed(html);
    expect(tags).toContain("details");
    expect(tags).toContain("summary");
    expect(html).toContain('<meta charset="utf-8">');
  });

  it("is self-contained (no external resources)", () => {
    expect(html).not.toMatch(/\s(src|href)=/);
    expect(html).not.toMatch(/https?:\/\//);
    expect(html).not.toContain("@import");
    expect(html).toContain("<style>");
    expect(html).toContain("<script>");
  });

  it("starts with the pipeline signature", () => {
    const sig = html.slice(html.indexOf('<div class="sig">'), html.indexOf('<div class="tools">'));
    expect(sig).toContain("html_blur_y");
    expect(sig).toContain('data-n="html_in"');
    expect(sig).toContain("uint16");
    expect(sig).toContain("output");
    expect(html.indexOf('class="sig"')).toBeLessThan(html.indexOf('class="code"'));
  });

  it("contains every loop name, each loop as a collapsible block", () => {
    const names = loopNames(lp.body);
    expect(names.length).toBeGreaterThanOrEqual(5);
    for (const n of names) {
      expect(html).toContain(`<span class="lv n" data-n="${escapeHtml(n)}">${escapeHtml(n)}</span>`);
    }
    expect((html.match(/<details class="blk loop /g) ?? []).length).toBe(names.length);
    expect(html).toContain('class="blk loop parallel"');
    expect(html).toContain('class="blk loop serial"');
    expect((html.match(/<details/g) ?? []).length).toBe((html.match(/<summary>/g) ?? []).length);
  });

  it("makes produce, consume and allocate blocks collapsible", () => {
    expect(html).toMatch(
      /<details class="blk produce" open><summary><span class="kw">produce<\/span> <span class="buf n" data-n="html_blur_x">/,
    );
    expect(html).toContain('<details class="blk consume" open>');
    expect(html).toContain('<details class="blk alloc" open>');
  });

  it("folds long runs of assertions", () => {
    expect(html).toMatch(/<details class="blk asserts nb"><summary>/);
    const unfolded = stmtToHtml(lp, { foldAssertionsFrom: Infinity });
    expect(unfolded).not.toContain("blk asserts");
    checkWellFormed(unfolded);
  });

  it("colours keywords, types, numbers, strings, buffers and intrinsic calls", () => {
    for (const cls of ["kw", "ty", "num", "str", "buf n", "call", "lv n", "var n", "op"]) {
      expect(html).toContain(`<span class="${cls}"`);
    }
    expect(html).toContain('<span class="call">ramp</span>(');
    expect(html).toContain('<span class="ty">uint16</span>');
    expect(html).toContain('<span class="buf n" data-n="html_in">html_in</span>[');
  });
});

describe("stmtToHtml escaping and control flow", () => {
  const i32 = Int(32);
  const v = (n: string) => variable(i32, n);
  // for (i, 0, 10) { for (j, 0, 4) { if (i < j && j <= 3) {...} else if (i > 2) {...} else {...} } }
  const cond = logical("And", cmp("LT", v("i"), v("j")), cmp("LE", v("j"), i32Imm(3)));
  const body = ifThenElse(
    cond,
    evaluateStmt(arith("Add", v("i"), v("j"))),
    ifThenElse(cmp("GT", v("i"), i32Imm(2)), evaluateStmt(v("i")), evaluateStmt(stringImm('<b>"x" & y</b>'))),
  );
  const nest = forLoop("i", i32Imm(0), i32Imm(10), "Serial", forLoop("j", i32Imm(0), i32Imm(4), "Unrolled", body));
  const html = stmtToHtml(
    {
      name: "esc<&>",
      args: [],
      body: block([nest, { kind: "AssertStmt", cond: constTrue(), message: stringImm("a<b") }]),
    },
    { title: "t <&> t" },
  );

  it("escapes < and & in expressions, strings and names", () => {
    checkWellFormed(html);
    expect(html).toContain("&lt;");
    expect(html).toContain("&amp;&amp;");
    expect(html).toContain('<span class="op">&lt;=</span>');
    expect(html).toContain('<span class="op">&amp;&amp;</span>');
    expect(html).toContain("&lt;b&gt;\\&quot;x\\&quot; &amp; y&lt;/b&gt;");
    expect(html).toContain("<title>t &lt;&amp;&gt; t</title>");
    expect(html).toContain("esc&lt;&amp;&gt;");
    expect(html).not.toContain("<b>");
  });

  it("renders if / else if / else as one block with a section per branch", () => {
    expect((html.match(/<details class="blk if" open>/g) ?? []).length).toBe(1);
    expect(html).toContain('<div class="else">} <span class="kw">else</span> <span class="kw">if</span> (');
    expect(html).toContain('<div class="else">} <span class="kw">else</span> {</div>');
    expect(html).toContain('<span class="kw">unrolled</span> (<span class="lv n" data-n="j">j</span>');
  });

  it("keeps a short run of assertions unfolded", () => {
    expect(html).not.toContain("blk asserts");
    expect(html).toContain('<span class="kw">assert</span>(');
  });

  it("escapeHtml escapes the five special characters", () => {
    expect(escapeHtml(`a < b && c > "d" 'e'`)).toBe("a &lt; b &amp;&amp; c &gt; &quot;d&quot; &#39;e&#39;");
  });
});
