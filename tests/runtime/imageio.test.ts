import { describe, expect, it } from "bun:test";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import * as hl from "../../mod.ts";
import { imread, imwrite, interleavedToPlanar, planarToInterleaved } from "../../imageio.ts";

const dir = mkdtempSync(`${tmpdir()}/halide-ts-imageio-`);

function pattern(type: hl.Type, sizes: number[]): hl.Buffer {
  const b = new hl.Buffer(type, sizes);
  const max = type.bits === 16 ? 65535 : 255;
  b.forEachElement((p) => b.set(p, (p[0] * 31 + (p[1] ?? 0) * 17 + (p[2] ?? 0) * 101) % (max + 1)));
  return b;
}

function same(a: hl.Buffer, b: hl.Buffer): boolean {
  let ok = a.dimensions === b.dimensions && a.type.equals(b.type);
  a.forEachElement((p) => (ok &&= a.get(p) === b.get(p)));
  return ok;
}

describe("imageio: PNG", () => {
  for (const type of [hl.UInt(8), hl.UInt(16)]) {
    for (const channels of [1, 2, 3, 4]) {
      it(`round-trips a planar ${type} image with ${channels} channel(s)`, () => {
        const img = pattern(type, [13, 7, channels]);
        const path = `${dir}/img_${type}_${channels}.png`;
        imwrite(path, img);
        const back = imread(path);
        expect(back.type.equals(type)).toBe(true);
        expect([back.width, back.height, back.channels]).toEqual([13, 7, channels]);
        expect(same(img, back)).toBe(true);
      });
    }
  }

  it("writes a 2-D buffer as grayscale and reads it back as (x, y, 1)", () => {
    const img = pattern(hl.UInt(8), [5, 4]);
    imwrite(`${dir}/gray.png`, img);
    const back = imread(`${dir}/gray.png`);
    expect(back.dimensions).toBe(3);
    expect(back.channels).toBe(1);
    img.forEachElement(([x, y]) => expect(back.get([x, y, 0])).toBe(img.get([x, y])));
  });

  it("writes a cropped view with mins (only the view's pixels)", () => {
    const img = pattern(hl.UInt(8), [10, 10, 3]).cropped([[2, 5], [3, 4], [0, 3]]);
    imwrite(`${dir}/crop.png`, img);
    const back = imread(`${dir}/crop.png`);
    expect([back.width, back.height]).toEqual([5, 4]);
    expect(back.get([0, 0, 1])).toBe(img.get([2, 3, 1]));
  });

  it("writes what a pipeline computes", () => {
    const [x, y, c] = [new hl.Var("x"), new hl.Var("y"), new hl.Var("c")];
    const f = new hl.Func("imageio_f");
    f.at(x, y, c).set(hl.u8(x.add(y.mul(2)).add(c.mul(50))));
    imwrite(`${dir}/pipeline.png`, f.realize([16, 8, 3]));
    expect(imread(`${dir}/pipeline.png`).get([3, 2, 2])).toBe(107);
  });

  it("converts between planar and interleaved layouts", () => {
    const img = pattern(hl.UInt(8), [6, 5, 3]);
    const inter = planarToInterleaved(img);
    expect(inter.dim(2).stride).toBe(1);
    expect(inter.dim(0).stride).toBe(3);
    expect(same(img, inter)).toBe(true);
    const planar = interleavedToPlanar(inter);
    expect(planar.dim(0).stride).toBe(1);
    expect(same(img, planar)).toBe(true);
  });

  it("rejects what PNG cannot hold, with HalideErrors naming the problem", () => {
    expect(() => imwrite(`${dir}/x.png`, new hl.Buffer(hl.Float(32), [4, 4]))).toThrow("PNG needs uint8 or uint16");
    expect(() => imwrite(`${dir}/x.png`, new hl.Buffer(hl.UInt(8), [4, 4, 5]))).toThrow("PNG needs 1 to 4");
    expect(() => imwrite(`${dir}/x.png`, new hl.Buffer(hl.UInt(8), [4]))).toThrow("expected (x, y) or (x, y, c)");
    expect(() => imwrite(`${dir}/x.jpg`, new hl.Buffer(hl.UInt(8), [4, 4]))).toThrow("only PNG files are supported");
    expect(() => imread(`${dir}/missing.png`)).toThrow(hl.HalideError);
    writeFileSync(`${dir}/garbage.png`, "not a png");
    expect(() => imread(`${dir}/garbage.png`)).toThrow("imread: cannot read");
  });
});
