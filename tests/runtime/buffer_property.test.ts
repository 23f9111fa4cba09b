// Property tests of hl.Buffer against tiny plain-TypeScript models: a strided array (data, shape, stride, offset)
// for the conversions, and an enumerated map "coordinates → storage element" for the views, whose operations are
// defined by what they do to coordinates rather than to strides. Axis rules 1, 2, 5, 6 and 7 of API.md §4.
import { describe, expect, it } from "bun:test";
import fc from "fast-check";
import ndarray from "ndarray";
import * as hl from "../../mod.ts";
import { float16Bits, float16FromBits } from "../../src/runtime/buffer.ts";

/** Fixed seed: the run is reproducible. */
const FC = { seed: 0x5eed, numRuns: 1000 };

// ---------------------------------------------------------------------------------------------------------------
// Model 1: a strided array over an Int32Array whose element k holds k (so a value names its storage element).

interface Strided {
  data: Int32Array;
  shape: number[];
  stride: number[];
  offset: number;
}

const flat = (a: { stride: readonly number[]; offset: number }, idx: readonly number[]) =>
  idx.reduce((o, v, i) => o + v * a.stride[i], a.offset);

function allIndices(shape: readonly number[]): number[][] {
  let out: number[][] = [[]];
  for (const e of shape) out = out.flatMap((p) => Array.from({ length: e }, (_, i) => [...p, i]));
  return out;
}

const iota = (n: number) => Int32Array.from({ length: n }, (_, i) => i);

const extentArb = fc.oneof({ weight: 9, arbitrary: fc.integer({ min: 1, max: 4 }) }, {
  weight: 1,
  arbitrary: fc.constant(0),
});

/** Random shapes (0–4 dims), storage orders, gaps, negative and (rarely) zero strides, and offsets. */
const stridedArb: fc.Arbitrary<Strided> = fc.integer({ min: 0, max: 4 }).chain((n) => {
  const perDim = <T>(arb: fc.Arbitrary<T>) => fc.array(arb, { minLength: n, maxLength: n });
  return fc.record({
    shape: perDim(extentArb),
    order: fc.shuffledSubarray([...Array(n).keys()], { minLength: n, maxLength: n }),
    negative: perDim(fc.boolean()),
    gap: perDim(fc.integer({ min: 1, max: 2 })),
    zero: perDim(fc.integer({ min: 0, max: 15 })),
    pre: fc.nat(3),
    post: fc.nat(3),
  }).map(({ shape, order, negative, gap, zero, pre, post }) => {
    const stride = new Array<number>(n).fill(0);
    let s = 1;
    for (const k of order) {
      stride[k] = (negative[k] ? -s : s) * (zero[k] === 0 ? 0 : 1);
      s *= Math.max(shape[k], 1) * gap[k];
    }
    let lo = 0, hi = 0;
    shape.forEach((e, i) => {
      const far = Math.max(e - 1, 0) * stride[i];
      if (far < 0) lo += far;
      else hi += far;
    });
    const offset = pre - lo;
    return { data: iota(offset + hi + 1 + post), shape, stride, offset };
  });
});

const typedArrayCtors = [
  Int8Array,
  Uint8Array,
  Uint8ClampedArray,
  Int16Array,
  Uint16Array,
  Int32Array,
  Uint32Array,
  Float16Array,
  Float32Array,
  Float64Array,
  BigInt64Array,
  BigUint64Array,
] as const;

describe("conversions (axis rules 1, 2, 5, 6, 7)", () => {
  it("Buffer.from: element identity under both reverseAxes settings, mins 0, memory shared", () => {
    fc.assert(
      fc.property(stridedArb, fc.boolean(), (a, rev) => {
        const b = hl.Buffer.from(a, { reverseAxes: rev });
        const n = a.shape.length;
        expect(b.dimensions).toBe(n);
        expect(b.storage).toBe(a.data.buffer);
        for (let i = 0; i < n; i++) {
          const d = b.dim(rev ? n - 1 - i : i);
          expect([d.min, d.extent, d.stride]).toEqual([0, a.shape[i], a.stride[i]]);
        }
        const all = allIndices(a.shape);
        for (const idx of all) {
          expect(b.get(rev ? [...idx].reverse() : idx)).toBe(a.data[flat(a, idx)]);
        }
        if (all.length > 0) {
          const idx = all[all.length >> 1];
          b.set(rev ? [...idx].reverse() : idx, -7);
          expect(a.data[flat(a, idx)]).toBe(-7);
        }
      }),
      FC,
    );
  });

  it("round trips Buffer.from(a, r1).asNdArray(r2) keep every element's address, for every dtype", () => {
    fc.assert(
      fc.property(
        stridedArb,
        fc.constantFrom(...typedArrayCtors),
        fc.nat(3),
        fc.boolean(),
        fc.boolean(),
        (a, Ctor, pad, r1, r2) => {
          const bpe = Ctor.BYTES_PER_ELEMENT;
          const ab = new ArrayBuffer((a.data.length + pad) * bpe);
          const arr = {
            data: new Ctor(ab, pad * bpe, a.data.length),
            shape: a.shape,
            stride: a.stride,
            offset: a.offset,
          };
          const v = hl.Buffer.from(arr, { reverseAxes: r1 }).asNdArray({ reverseAxes: r2 });
          const rev = <T>(x: T[]) => (r1 === r2 ? x : [...x].reverse());
          expect(v.shape).toEqual(rev(a.shape));
          expect(v.stride).toEqual(rev(a.stride));
          expect(v.data.buffer).toBe(ab);
          expect(v.data.constructor).toBe(Ctor === Uint8ClampedArray ? Uint8Array : Ctor);
          const address = (
            t: { data: { byteOffset: number }; stride: readonly number[]; offset: number },
            i: number[],
          ) => t.data.byteOffset + flat(t, i) * bpe;
          for (const idx of allIndices(a.shape)) {
            const va = address(v, rev(idx));
            expect(va).toBe(address(arr, idx));
            expect(va >= v.data.byteOffset && va < v.data.byteOffset + v.data.byteLength).toBe(true);
          }
        },
      ),
      FC,
    );
  });

  it("objects made by the ndarray package are NdArrayLike, whatever views they are", () => {
    const viewArb = fc.integer({ min: 1, max: 4 }).chain((n) =>
      fc.record({
        shape: fc.array(fc.integer({ min: 1, max: 4 }), { minLength: n, maxLength: n }),
        perm: fc.shuffledSubarray([...Array(n).keys()], { minLength: n, maxLength: n }),
        steps: fc.array(fc.constantFrom(1, 1, -1, 2, -2), { minLength: n, maxLength: n }),
        lo: fc.array(fc.nat(2), { minLength: n, maxLength: n }),
        pick: fc.array(fc.option(fc.nat(3), { freq: 3 }), { minLength: n, maxLength: n }),
      })
    );
    fc.assert(
      fc.property(viewArb, fc.boolean(), ({ shape, perm, steps, lo, pick }, rev) => {
        const size = shape.reduce((p, e) => p * e, 1);
        let view = ndarray(Float64Array.from({ length: size }, (_, i) => i), shape);
        view = view.transpose(...perm).step(...steps);
        view = view.lo(...lo.map((l: number, i: number) => Math.min(l, Math.max(view.shape[i] - 1, 0))));
        view = view.pick(...pick.map((p: number | null, i: number) => (p === null ? null : p % view.shape[i])));
        const b = hl.Buffer.from(view, { reverseAxes: rev });
        expect(b.storage).toBe(view.data.buffer);
        const back = b.asNdArray({ reverseAxes: rev });
        const nd2 = ndarray(back.data, back.shape, back.stride, back.offset);
        for (const idx of allIndices(view.shape)) {
          expect(b.get(rev ? [...idx].reverse() : idx)).toBe(view.get(...idx));
          expect(nd2.get(...idx)).toBe(view.get(...idx));
        }
      }),
      FC,
    );
  });

  it("zero-dimensional buffers are shape [] on the array side", () => {
    fc.assert(
      fc.property(fc.nat(5), fc.boolean(), (offset, rev) => {
        const data = iota(6);
        const b = hl.Buffer.from({ data, shape: [], offset }, { reverseAxes: rev });
        expect(b.dimensions).toBe(0);
        expect(b.get([])).toBe(offset);
        const v = b.asNdArray({ reverseAxes: rev });
        expect(v.shape).toEqual([]);
        expect(v.data[v.offset]).toBe(offset);
      }),
      FC,
    );
  });
});

// ---------------------------------------------------------------------------------------------------------------
// Model 2: a view as an explicit map from coordinates to the storage element they name, plus its box.

interface ViewModel {
  mins: number[];
  extents: number[];
  map: Map<string, number>;
}

const key = (c: readonly number[]) => c.join(",");
const coordsOf = (k: string) => (k === "" ? [] : k.split(",").map(Number));

function remap(m: ViewModel, mins: number[], extents: number[], f: (c: number[]) => number[] | undefined): ViewModel {
  const map = new Map<string, number>();
  for (const [k, v] of m.map) {
    const c = f(coordsOf(k));
    if (c) map.set(key(c), v);
  }
  return { mins, extents, map };
}

/** A starting buffer whose int32 storage element k holds k, and its model. */
const startArb: fc.Arbitrary<{ make: () => hl.Buffer; model: ViewModel }> = fc.oneof(
  fc.record({ a: stridedArb, rev: fc.boolean(), mins: fc.array(fc.integer({ min: -5, max: 5 }), { maxLength: 4 }) })
    .map(({ a, rev, mins }) => {
      const n = a.shape.length;
      const m = mins.slice(0, n);
      const shape = rev ? [...a.shape].reverse() : a.shape;
      const map = new Map<string, number>();
      for (const idx of allIndices(a.shape)) {
        const c = (rev ? [...idx].reverse() : idx).map((v, i) => v + (m[i] ?? 0));
        map.set(key(c), a.data[flat(a, idx)]);
      }
      return {
        make: () => hl.Buffer.from(a, { reverseAxes: rev }).setMin(m),
        model: { mins: shape.map((_, i) => m[i] ?? 0), extents: [...shape], map },
      };
    }),
  fc.integer({ min: 0, max: 4 }).chain((n) =>
    fc.record({
      sizes: fc.array(extentArb, { minLength: n, maxLength: n }),
      order: fc.shuffledSubarray([...Array(n).keys()], { minLength: n, maxLength: n }),
    })
  ).map(({ sizes, order }) => {
    const stride: number[] = [];
    let s = 1;
    for (const k of order) {
      stride[k] = s;
      s *= sizes[k];
    }
    const map = new Map<string, number>();
    for (const c of allIndices(sizes)) map.set(key(c), flat({ stride, offset: 0 }, c));
    return {
      make: () => {
        const b = new hl.Buffer(hl.Int(32), sizes, { storageOrder: order });
        const all = new Int32Array(b.storage!);
        all.forEach((_, i) => (all[i] = i));
        return b;
      },
      model: { mins: sizes.map(() => 0), extents: [...sizes], map },
    };
  }),
);

interface Op {
  kind: number;
  r: number[];
  inPlace: boolean;
}
const opArb: fc.Arbitrary<Op> = fc.record({
  kind: fc.integer({ min: 0, max: 10 }),
  r: fc.array(fc.nat(1000), { minLength: 6, maxLength: 6 }),
  inPlace: fc.boolean(),
});

/** A permutation of 0..n-1 drawn from `r` (Fisher–Yates). */
function permutation(n: number, r: number[]): number[] {
  const p = [...Array(n).keys()];
  for (let i = n - 1; i > 0; i--) {
    const j = r[i % r.length] % (i + 1);
    [p[i], p[j]] = [p[j], p[i]];
  }
  return p;
}

/**
 * Applies `op` to the buffer (in place, or as a new view while checking the source is unchanged) and to the model
 * (by its meaning on coordinates). Ops that do not apply to the current shape are skipped.
 */
function apply(b: hl.Buffer, m: ViewModel, op: Op): [hl.Buffer, ViewModel] {
  const n = m.extents.length, [r0, r1, r2, r3] = op.r;
  const view = (inPlace: (x: hl.Buffer) => hl.Buffer, newView: (x: hl.Buffer) => hl.Buffer) => {
    if (op.inPlace) {
      expect(inPlace(b)).toBe(b);
      return b;
    }
    const before = String(b);
    const nb = newView(b);
    expect(String(b)).toBe(before);
    expect(nb).not.toBe(b);
    return nb;
  };
  const set = (arr: number[], i: number, v: number) => arr.map((x, j) => (j === i ? v : x));
  switch (op.kind) {
    case 0:
    case 1: { // crop one dimension, or the first k
      if (n === 0) return [b, m];
      const k = op.kind === 0 ? 1 : 1 + (r0 % n);
      const d0 = op.kind === 0 ? r1 % n : 0;
      const ranges: [number, number][] = [];
      let mins = m.mins, extents = m.extents;
      for (let d = d0; d < d0 + k; d++) {
        const lo = r2 % (m.extents[d] + 1), ext = (r3 + d) % (m.extents[d] - lo + 1);
        ranges.push([m.mins[d] + lo, ext]);
        mins = set(mins, d, m.mins[d] + lo);
        extents = set(extents, d, ext);
      }
      const nb = op.kind === 0
        ? view((x) => x.crop(d0, ...ranges[0]), (x) => x.cropped(d0, ...ranges[0]))
        : view((x) => x.crop(ranges), (x) => x.cropped(ranges));
      return [
        nb,
        remap(m, mins, extents, (c) => c.every((v, i) => v >= mins[i] && v < mins[i] + extents[i]) ? c : undefined),
      ];
    }
    case 2:
    case 3: { // translate one dimension, or the first k
      if (n === 0) return [b, m];
      const deltas = op.kind === 2
        ? m.mins.map((_, i) => (i === r0 % n ? (r1 % 11) - 5 : 0))
        : m.mins.slice(0, 1 + (r0 % n)).map((_, i) => ((r1 + i * r2) % 11) - 5);
      const nb = op.kind === 2
        ? view((x) => x.translate(r0 % n, deltas[r0 % n]), (x) => x.translated(r0 % n, deltas[r0 % n]))
        : view((x) => x.translate(deltas), (x) => x.translated(deltas));
      const dv = (i: number) => deltas[i] ?? 0;
      return [nb, remap(m, m.mins.map((v, i) => v + dv(i)), m.extents, (c) => c.map((v, i) => v + dv(i)))];
    }
    case 4: { // setMin of the first k dimensions (in place only)
      const mins = m.mins.slice(0, r0 % (n + 1)).map((_, i) => ((r1 + 7 * i) % 11) - 5);
      expect(b.setMin(mins)).toBe(b);
      const newMins = m.mins.map((v, i) => mins[i] ?? v);
      return [b, remap(m, newMins, m.extents, (c) => c.map((v, i) => v - m.mins[i] + newMins[i]))];
    }
    case 5: { // slice
      if (n === 0) return [b, m];
      const d = r0 % n;
      if (m.extents[d] === 0) return [b, m];
      const atMin = r2 % 3 === 0;
      const pos = atMin ? m.mins[d] : m.mins[d] + (r1 % m.extents[d]);
      const nb = atMin
        ? view((x) => x.slice(d), (x) => x.sliced(d))
        : view((x) => x.slice(d, pos), (x) => x.sliced(d, pos));
      const drop = (a: number[]) => a.filter((_, i) => i !== d);
      return [nb, remap(m, drop(m.mins), drop(m.extents), (c) => (c[d] === pos ? drop(c) : undefined))];
    }
    case 6: { // embed
      if (n === 4) return [b, m];
      const d = r0 % (n + 1), pos = (r1 % 7) - 3;
      const nb = view((x) => x.embed(d, pos), (x) => x.embedded(d, pos));
      const ins = (a: number[], v: number) => [...a.slice(0, d), v, ...a.slice(d)];
      return [nb, remap(m, ins(m.mins, pos), ins(m.extents, 1), (c) => ins(c, pos))];
    }
    case 7: { // transpose(d1, d2)
      if (n === 0) return [b, m];
      const d1 = r0 % n, d2 = r1 % n;
      const nb = view((x) => x.transpose(d1, d2), (x) => x.transposed(d1, d2));
      const swap = (a: number[]) => a.map((v, i) => (i === d1 ? a[d2] : i === d2 ? a[d1] : v));
      return [nb, remap(m, swap(m.mins), swap(m.extents), swap)];
    }
    case 8: { // transpose(order): old dimension j moves to position order[j]
      const order = permutation(n, op.r);
      const nb = view((x) => x.transpose(order), (x) => x.transposed(order));
      const move = (a: number[]) => {
        const out = new Array<number>(n);
        a.forEach((v, j) => (out[order[j]] = v));
        return out;
      };
      return [nb, remap(m, move(m.mins), move(m.extents), move)];
    }
    case 9: { // reverseAxes (a new view)
      const before = String(b);
      const nb = b.reverseAxes();
      expect(String(b)).toBe(before);
      const rev = (a: number[]) => [...a].reverse();
      return [nb, remap(m, rev(m.mins), rev(m.extents), rev)];
    }
    default: // new hl.Buffer(other): same everything
      return [new hl.Buffer(b), m];
  }
}

/** Checks a buffer against its model: box, coordinates, elements, shared storage, and its array view. */
function checkView(b: hl.Buffer, m: ViewModel, storage: ArrayBuffer, rev: boolean): void {
  expect(b.storage).toBe(storage);
  expect(b.dimensions).toBe(m.extents.length);
  m.extents.forEach((e, i) => expect([b.dim(i).min, b.dim(i).extent]).toEqual([m.mins[i], e]));
  expect(b.numberOfElements()).toBe(m.map.size);
  let visited = 0;
  b.forEachElement((c) => {
    visited++;
    expect(m.map.has(key(c))).toBe(true);
  });
  expect(visited).toBe(m.map.size);
  const v = b.asNdArray({ reverseAxes: rev });
  const back = hl.Buffer.from(v, { reverseAxes: rev });
  for (const [k, value] of m.map) {
    const c = coordsOf(k);
    expect(b.get(c)).toBe(value);
    expect(b.contains(c)).toBe(true);
    expect(b.hostByteOffset / 4 + b.elementOffset(c)).toBe(value);
    const rel = c.map((x, i) => x - m.mins[i]); // mins never cross (rule 7)
    expect(v.data[flat(v, rev ? [...rel].reverse() : rel)]).toBe(value);
    expect(back.get(rel)).toBe(value);
  }
  if (m.extents.length > 0 && m.extents[0] > 0) {
    const outside = m.mins.map((x, i) => (i === 0 ? x + m.extents[0] : x));
    expect(b.contains(outside)).toBe(false);
    expect(() => b.get(outside)).toThrow(
      `index ${outside[0]} is out of bounds for axis 0 with min=${m.mins[0]}, extent=${m.extents[0]}`,
    );
  }
}

describe("views agree with the coordinate model and share storage", () => {
  it("crop, translate, setMin, slice, embed, transpose, reverseAxes, new Buffer(b) — in place and as new views", () => {
    fc.assert(
      fc.property(startArb, fc.array(opArb, { maxLength: 6 }), fc.boolean(), ({ make, model }, ops, rev) => {
        let b = make();
        const storage = b.storage!;
        let m = model;
        checkView(b, m, storage, rev);
        for (const op of ops) {
          [b, m] = apply(b, m, op);
          checkView(b, m, storage, rev);
        }
      }),
      FC,
    );
  });

  it("fill writes exactly the view's elements; allEqual sees them", () => {
    fc.assert(
      fc.property(startArb, fc.array(opArb, { maxLength: 5 }), ({ make, model }, ops) => {
        let b = make();
        let m = model;
        for (const op of ops) [b, m] = apply(b, m, op);
        const all = new Int32Array(b.storage!);
        const before = Int32Array.from(all);
        const inView = new Set(m.map.values());
        b.fill(-1);
        expect(b.allEqual(-1)).toBe(true);
        all.forEach((v, i) => expect(v).toBe(inView.has(i) ? -1 : before[i]));
      }),
      FC,
    );
  });

  it("copyFrom copies the intersection, also between overlapping views of one storage", () => {
    const boxArb = (n: number) =>
      fc.record({
        sizes: fc.array(extentArb, { minLength: n, maxLength: n }),
        mins: fc.array(fc.integer({ min: -3, max: 3 }), { minLength: n, maxLength: n }),
        order: fc.shuffledSubarray([...Array(n).keys()], { minLength: n, maxLength: n }),
      });
    const caseArb = fc.integer({ min: 0, max: 3 }).chain((n) =>
      fc.record({
        dst: boxArb(n),
        src: boxArb(n),
        sameStorage: fc.boolean(),
        perm: fc.shuffledSubarray([...Array(n).keys()], { minLength: n, maxLength: n }),
        shift: fc.array(fc.integer({ min: -2, max: 2 }), { minLength: n, maxLength: n }),
      })
    );
    fc.assert(
      fc.property(caseArb, ({ dst: d, src: s, sameStorage, perm, shift }) => {
        const dst = new hl.Buffer(hl.Int(32), d.sizes, { storageOrder: d.order }).setMin(d.mins);
        dst.forEachElement((c) => dst.set(c, c.reduce((h, x) => h * 31 + x, 7)));
        let src: hl.Buffer;
        if (sameStorage) {
          src = dst.transposed(perm).translated(shift);
        } else {
          src = new hl.Buffer(hl.Int(32), s.sizes, { storageOrder: s.order }).setMin(s.mins);
          src.forEachElement((c) => src.set(c, 1000 + c.reduce((h, x) => h * 17 + x, 3)));
        }
        const snap = (x: hl.Buffer) => {
          const map = new Map<string, hl.ElementValue>();
          x.forEachElement((c) => map.set(key(c), x.get(c)));
          return map;
        };
        const before = snap(dst), fromSrc = snap(src);
        dst.copyFrom(src);
        dst.forEachElement((c) => {
          const k = key(c);
          expect(dst.get(c)).toBe(fromSrc.has(k) ? fromSrc.get(k)! : before.get(k)!);
        });
      }),
      FC,
    );
  });
});

describe("element values", () => {
  it("float16Bits rounds to nearest even exactly as DataView.setFloat16", () => {
    const dv = new DataView(new ArrayBuffer(2));
    const special = [0, -0, 1, -1, 65504, 65519, 65520, -65520, 2 ** -24, 2 ** -25, 3 * 2 ** -26, 2 ** -14, 1 / 3];
    const check = (v: number) => {
      dv.setFloat16(0, v);
      if (Number.isNaN(v)) expect(Number.isNaN(float16FromBits(float16Bits(v)))).toBe(true);
      else expect(float16Bits(v)).toBe(dv.getUint16(0));
    };
    special.forEach(check);
    fc.assert(fc.property(fc.double(), check), { ...FC, numRuns: 2000 });
    fc.assert(fc.property(fc.double({ min: -70000, max: 70000 }), check), { ...FC, numRuns: 2000 });
  });

  it("float16FromBits decodes all 65536 patterns as DataView.getFloat16", () => {
    const dv = new DataView(new ArrayBuffer(2));
    for (let bits = 0; bits < 65536; bits++) {
      dv.setUint16(0, bits);
      const want = dv.getFloat16(0), got = float16FromBits(bits);
      if (!(Object.is(want, got) || (Number.isNaN(want) && Number.isNaN(got)))) {
        throw new Error(`bits ${bits.toString(16)}: want ${want}, got ${got}`);
      }
    }
  });

  it("integers round-trip through set/get exactly when representable, and are rejected otherwise", () => {
    const types: [hl.Type, bigint, bigint][] = [
      [hl.UInt(8), 0n, 255n],
      [hl.UInt(16), 0n, 65535n],
      [hl.UInt(32), 0n, 2n ** 32n - 1n],
      [hl.UInt(64), 0n, 2n ** 64n - 1n],
      [hl.Int(8), -128n, 127n],
      [hl.Int(16), -(2n ** 15n), 2n ** 15n - 1n],
      [hl.Int(32), -(2n ** 31n), 2n ** 31n - 1n],
      [hl.Int(64), -(2n ** 63n), 2n ** 63n - 1n],
    ];
    fc.assert(
      fc.property(fc.constantFrom(...types), fc.bigInt({ min: -(2n ** 65n), max: 2n ** 65n }), ([t, lo, hi], v) => {
        const b = new hl.Buffer(t, [1]);
        if (v < lo || v > hi) {
          expect(() => b.set([0], v)).toThrow("cannot be stored in an element of type");
          return;
        }
        b.set([0], v);
        expect(b.get([0])).toBe(t.bits === 64 ? v : Number(v));
      }),
      { ...FC, numRuns: 500 },
    );
  });
});
