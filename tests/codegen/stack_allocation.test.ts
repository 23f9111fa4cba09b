// Where realizations live: small constant-size ones in the stack frame, others (and storeIn(Heap)) on the heap.
import { describe, expect, it } from "bun:test";
import * as hl from "../../mod.ts";
import { emitLlvmAssembly } from "../../src/codegen/jit.ts";
import { lowerPipeline } from "../../src/lower/lower.ts";
import { mismatchVsInterpreter } from "../schedule/helpers.ts";

const x = new hl.Var("x"), y = new hl.Var("y");

function pipeline(name: string): { producer: hl.Func; consumer: hl.Func } {
  const producer = new hl.Func(`${name}_producer`), consumer = new hl.Func(`${name}_consumer`);
  producer.at(x, y).set(x.mul(y));
  consumer.at(x, y).set(producer.at(x, y).add(producer.at(x.add(1), y)));
  const [xo, xi] = [new hl.Var("xo"), new hl.Var("xi")];
  consumer.split(x, xo, xi, 8);
  producer.computeAt(consumer, xo); // 9 × 1 int32: a constant size
  return { producer, consumer };
}

const ir = (f: hl.Func) => emitLlvmAssembly(lowerPipeline(f.fn), hl.getHostTarget());

describe("stack and heap allocations", () => {
  it("a small constant-size realization is on the stack (no malloc), and correct", () => {
    const { consumer } = pipeline("small");
    const text = ir(consumer);
    expect(text).not.toContain("@malloc");
    expect(mismatchVsInterpreter(consumer, [32, 5])).toBe("");
  });

  it("storeIn(Heap) keeps it on the heap; a size known only at run time is on the heap too", () => {
    const { producer, consumer } = pipeline("heap");
    producer.storeIn(hl.MemoryType.Heap);
    expect(ir(consumer)).toContain("@malloc");
    expect(mismatchVsInterpreter(consumer, [32, 5])).toBe("");
    const root = pipeline("root");
    root.producer.computeRoot();
    expect(ir(root.consumer)).toContain("@malloc");
  });

  it("storeIn(Stack) over the Auto limit is on the stack, up to 1 MiB", () => {
    const producer = new hl.Func("big_producer"), consumer = new hl.Func("big_consumer");
    producer.at(x, y).set(x.add(y));
    consumer.at(x, y).set(producer.at(x, y));
    producer.computeAt(consumer, y).storeIn(hl.MemoryType.Stack);
    consumer.outputBuffer().dim(0).setExtent(8192); // 32 KiB of int32 per row
    expect(ir(consumer)).not.toContain("@malloc");
    expect(consumer.realize([8192, 3]).get([8000, 2])).toBe(8002);
  });
});
