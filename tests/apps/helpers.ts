// Shared checks of the app tests: an app's output under a schedule equals the reference interpreter's and the
// plain TypeScript version's, within the app's stated tolerance (exact for integer apps).
import { describe, expect, it } from "bun:test";
import * as hl from "../../mod.ts";
import { Interpreter, type Value } from "../../src/interp/eval.ts";
import {
  type App,
  compareOutputs,
  type Defined,
  outputBuffer,
  rootSchedule,
  type Schedule,
  type Size,
} from "../../bench/apps/app.ts";

/** The interpreter's output of the app's algorithm on `inputs` (schedule-independent). */
export function interpreted(app: App, inputs: hl.Buffer[], size: Size): hl.Buffer {
  const d = app.define(inputs, size);
  const out = outputBuffer(app, size, `${app.name}_interp`);
  const interp = new Interpreter();
  out.forEachElement((c) => out.set(c, interp.evalFunc(d.output.fn, c)[0] as Exclude<Value, bigint>));
  return out;
}

/** The plain TypeScript output on `inputs`. */
export function plainOutput(app: App, inputs: hl.Buffer[], size: Size): hl.Buffer {
  const out = outputBuffer(app, size, `${app.name}_plain`);
  app.plain(inputs, out, size)();
  return out;
}

/** The compiled output of the algorithm under `schedule`. */
export function scheduledOutput<D extends Defined>(
  app: App<D>,
  schedule: Schedule<D>,
  inputs: hl.Buffer[],
  size: Size,
): hl.Buffer {
  const d = app.define(inputs, size);
  schedule(d, size);
  const out = outputBuffer(app, size);
  d.output.realize(out);
  return out;
}

/**
 * Tests of `app` at `size` (default: its test size): the interpreter and the plain TypeScript version agree, and
 * the hand schedule, the all-computeRoot schedule and `extra` schedules all give that output. `extra` is null for
 * an app the compiler cannot yet compile in test time (the app says why): only the first check runs.
 */
export function describeApp<D extends Defined>(
  app: App<D>,
  extra: readonly string[] | null = [],
  size = app.testSize,
): void {
  describe(`app ${app.name} at ${size.join("×")}`, () => {
    const inputs = app.makeInputs(size, 7);
    const want = interpreted(app, inputs, size);
    it("the plain TypeScript version agrees with the interpreter", () => {
      expect(compareOutputs(plainOutput(app, inputs, size), want, app.tolerance)).toBeUndefined();
    });
    if (extra === null) return;
    const schedules: [string, Schedule<D>][] = [
      ["hand", app.schedules.hand],
      ["root", rootSchedule],
      ...extra.map((n): [string, Schedule<D>] => [n, app.schedules[n]]),
    ];
    for (const [name, schedule] of schedules) {
      it(`the ${name} schedule agrees with the interpreter`, () => {
        expect(compareOutputs(scheduledOutput(app, schedule, inputs, size), want, app.tolerance)).toBeUndefined();
      });
    }
  });
}
