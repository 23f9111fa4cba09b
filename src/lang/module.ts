/**
 * `Module`: a pipeline lowered for one target under one function name, ready to be written as any of the
 * ahead-of-time outputs (`Pipeline.compileToModule`, `Generator.compileToModule`).
 *
 * @module
 */
import { HalideError } from "../error.ts";
import { stmtToString } from "../ir/printer.ts";
import type { LoweredPipeline } from "../lower/lower.ts";
import { stmtToHtml } from "../lower/stmt_html.ts";
import { checkFunctionName, type OutputKind, outputKinds, writeLibraryOutputs, writeOutputFile } from "../codegen/aot.ts";
import { sharedLibraryPathFor, writeTsBinding } from "../codegen/aot_ts.ts";
import type { Target } from "./target.ts";

/**
 * A compiled-but-not-written pipeline: its function name, target and lowered code. `compile` writes outputs.
 *
 * @example
 * ```ts
 * const m = p.compileToModule([input, gain], "brighten");
 * m.compile({ static_library: "out/brighten.a", c_header: "out/brighten.h" });
 * ```
 */
export class Module {
  readonly #lp: LoweredPipeline;
  readonly #target: Target;

  /** A module of the lowered pipeline `lp` (named after its function) for `target`. */
  constructor(lp: LoweredPipeline, target: Target) {
    checkFunctionName(lp.name);
    this.#lp = lp;
    this.#target = target;
  }

  /** The function name. @example `m.name // "brighten"` */
  get name(): string {
    return this.#lp.name;
  }
  /** The target the code is for. @example `m.target.toString()` */
  get target(): Target {
    return this.#target;
  }
  /** The lowered pipeline (for writers that combine several modules). @example `m.lowered.args.length` */
  get lowered(): LoweredPipeline {
    return this.#lp;
  }

  /**
   * Writes each of `outputs` (a path per {@link OutputKind}); the code is compiled once for all of them. `ts`
   * writes the TypeScript module at its path and the shared library it loads beside it (`.so`).
   *
   * @example
   * ```ts
   * m.compile({ object: "out/f.o", c_header: "out/f.h", stmt_html: "out/f.html" });
   * ```
   */
  compile(outputs: Readonly<Partial<Record<OutputKind, string>>>): void {
    for (const [kind, path] of Object.entries(outputs)) {
      if (!outputKinds.includes(kind as OutputKind)) {
        throw new HalideError(`Unknown output kind "${kind}"; the kinds are ${outputKinds.join(", ")}.`);
      }
      if (typeof path !== "string" || path === "") throw new HalideError(`The path of the ${kind} output must be a non-empty string.`);
    }
    const lp = this.#lp;
    if (outputs.stmt) writeOutputFile(outputs.stmt, loweredStmtText(lp));
    if (outputs.stmt_html) writeOutputFile(outputs.stmt_html, stmtToHtml(lp));
    writeLibraryOutputs(lp, this.#target, outputs);
    if (outputs.ts) writeTsBinding([{ lp, modulePath: outputs.ts }], this.#target, sharedLibraryPathFor(outputs.ts));
  }
}

/**
 * The text form of a lowered pipeline: its signature, then the statement.
 *
 * @example
 * ```ts
 * writeFileSync("f.stmt", loweredStmtText(lp));
 * ```
 */
export function loweredStmtText(lp: LoweredPipeline): string {
  const args = lp.args.map((a) => (a.kind === "scalar" ? `${a.type} ${a.name}` : `buffer ${a.name}`));
  return `module name=${lp.name}\nfunc ${lp.name}(${args.join(", ")}) {\n${stmtToString(lp.body)}}\n`;
}
