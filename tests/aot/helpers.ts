// Shared helpers of the ahead-of-time tests: scratch directories, gcc, and running the programs it builds.
import { spawnSync } from "node:child_process";
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import process from "node:process";
import { isDeno } from "../schedule/helpers.ts";

/** The repository's root directory. */
export const root = new URL("../../", import.meta.url).pathname;

/** A fresh scratch directory. */
export function scratchDir(label: string): string {
  return mkdtempSync(join(tmpdir(), `halide-ts-${label}-`));
}

/** The directory of the C fixtures. */
export const fixtures = new URL("./fixtures/", import.meta.url).pathname;

/** What a child process did. */
export interface Run {
  readonly status: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

/** Runs `cmd` with `args` (and extra environment variables); never throws for a failing status. */
export function run(cmd: string, args: readonly string[], env: Record<string, string> = {}, cwd?: string): Run {
  const r = spawnSync(cmd, args, { encoding: "utf8", env: { ...process.env, ...env }, cwd, timeout: 120000 });
  if (r.error) throw r.error;
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

/** Compiles and links a C program with gcc (warnings are errors); throws with gcc's messages on failure. */
export function gcc(output: string, sources: readonly string[], includeDir: string, libs: readonly string[] = []): void {
  const r = run("gcc", ["-std=c11", "-O1", "-Wall", "-Wextra", "-Werror", "-I", includeDir, "-o", output, ...sources, ...libs, "-lpthread", "-lm"]);
  if (r.status !== 0) throw new Error(`gcc failed:\n${r.stderr}`);
}

/** The "key value…" lines a fixture program printed, by key (the rest of the line). */
export function keyed(stdout: string): Map<string, string> {
  return new Map(stdout.trim().split("\n").map((line) => {
    const space = line.indexOf(" ");
    return space < 0 ? [line, ""] : [line.slice(0, space), line.slice(space + 1)];
  }));
}

/** Runs the TypeScript program `script` with `args` on the runtime running the tests (Deno with every permission). */
export function runTs(script: string, args: readonly string[], env: Record<string, string> = {}): Run {
  return run(process.execPath, [...(isDeno ? ["run", "-A", "--no-check"] : []), script, ...args], env);
}

/** Runs the command line `halide-ts args…` (cli.ts) on the runtime running the tests. */
export function halideTs(...args: string[]): Run {
  return runTs(`${root}cli.ts`, args);
}
