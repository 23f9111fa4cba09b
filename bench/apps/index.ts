/**
 * The app suite: the apps that run, in benchmark order, and those waiting for language features.
 *
 * @example
 * ```ts
 * import { APPS, PENDING_APPS } from "./index.ts";
 * console.log(APPS.map((a) => a.name), PENDING_APPS.map((a) => a.pending));
 * ```
 *
 * @module
 */
import type { App, PendingApp } from "./app.ts";
import { blur } from "./blur/app.ts";
import { unsharp } from "./unsharp/app.ts";
import { harris } from "./harris/app.ts";

/** The apps the harness runs (each also has tests in tests/apps/). */
export const APPS: readonly App[] = [blur, unsharp, harris] as unknown as App[];

/** Written against the reductions API (API.md §1–§3) but not run until update definitions exist. */
export const PENDING_APPS: readonly PendingApp[] = [];
