// The histogram-equalization example's pipeline against plain TypeScript on a small image.
import { describe, expect, it } from "bun:test";
import * as hl from "../../mod.ts";
import { equalization } from "../../examples/histogram_equalization.ts";

describe("examples/histogram_equalization.ts", () => {
  it("equalizes like the plain cumulative-histogram remap", () => {
    const [w, h] = [37, 23];
    const input = new hl.Buffer(hl.UInt(8), [w, h], "heq_test_input");
    input.forEachElement(([x, y]) => input.set([x, y], 100 + ((x * 7 + y * 3 + ((x * y) % 5)) % 40)));
    const { output } = equalization(input);
    const out = output.realize([w, h]);
    const hist = new Array(256).fill(0);
    input.forEachValue((v) => {
      hist[Number(v)]++;
    });
    const cdf = hist.map((_, i) => hist.slice(0, i + 1).reduce((a, b) => a + b, 0));
    let wrong = 0;
    out.forEachElement(([x, y]) => {
      if (out.get([x, y]) !== Math.floor((cdf[Number(input.get([x, y]))] * 255) / (w * h))) wrong++;
    });
    expect(wrong).toBe(0);
    let max = 0;
    out.forEachValue((v) => {
      max = Math.max(max, Number(v));
    });
    expect(max).toBe(255); // the brightest input level maps to white
  });
});
