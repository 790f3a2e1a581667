/**
 * splitWasmModule's option `dispatch: "indirect-root"` (src/wasm/split/analyse.ts):
 * a huge dispatch `br_table` becomes the tree of tables (passes/wasm/split-tables.ts)
 * and the tree's root, when it dispatches to many buckets (over an eighth of the
 * limit), is written as one `return_call_indirect` into the bucket tables' functions.
 * Judged by the engine, not by the splitter: on bench/wasm's 6.6 MiB interpreter
 * (32,768 handlers, a root over 1,024 buckets at the default 65,536-byte limit) the
 * split module has a new funcref table with one element per bucket plus the default
 * (the tree has none), validates in V8, and `run(steps)` returns what the
 * generator's JS reference computes. Where no root is that large (256 KiB at 16,384
 * bytes) the output is the tree's byte for byte, and so it is where a table is large
 * but not split into a tree (24 and 32 KiB at 16,384 bytes: a `br_table` between an
 * eighth and a quarter of the limit, which an earlier version wrongly made an
 * indirect call into a function per case). Cost: about 30 s (two splits of
 * the 6.6 MiB function).
 */
import { describe, expect, it } from "vitest";
import { generateModule } from "../bench/wasm/generate.js";
import { section } from "../src/wasm/module.js";
import { readModule } from "../src/wasm/read-module.js";
import { splitWasmModule } from "../src/wasm/split/split-module.js";

const SIZE_6_6M = Math.round(6.6 * (1 << 20));

describe("dispatch indirect-root", () => {
  it("at 6.6 MiB writes the root as one indirect call into the buckets, and runs as the reference", async () => {
    const g = generateModule("interpreter", SIZE_6_6M);
    const tree = splitWasmModule(g.bytes, { maxSize: 65536 });
    const root = splitWasmModule(g.bytes, { maxSize: 65536, dispatch: "indirect-root" });
    expect(section(readModule(tree.bytes), "table")).toBeUndefined();
    const tables = section(readModule(root.bytes), "table")!.tables;
    expect(tables.length).toBe(1);
    expect(tables[0]!.limits.min).toBe(1025);
    expect(root.functions[0]!.pieces).toBeGreaterThan(1);
    expect(WebAssembly.validate(root.bytes)).toBe(true);
    const { instance } = await WebAssembly.instantiate(root.bytes);
    const run = instance.exports.run as (steps: number) => number;
    for (const steps of [0, 1, 1000, 200_000]) expect(run(steps)).toBe(g.reference(steps));
  }, 120_000);

  it("leaves a function whose tree has no large root as the tree writes it", () => {
    const g = generateModule("interpreter", 256 * 1024);
    const tree = splitWasmModule(g.bytes, { maxSize: 16384 });
    const root = splitWasmModule(g.bytes, { maxSize: 16384, dispatch: "indirect-root" });
    expect(tree.functions[0]!.pieces).toBeGreaterThan(1);
    expect(Buffer.from(root.bytes).equals(Buffer.from(tree.bytes))).toBe(true);
  });

  it.each([24, 32])("leaves a %i KiB function's table that the tree did not split as a br_table", (kib) => {
    const g = generateModule("interpreter", kib * 1024);
    const tree = splitWasmModule(g.bytes, { maxSize: 16384 });
    const root = splitWasmModule(g.bytes, { maxSize: 16384, dispatch: "indirect-root" });
    expect(tree.functions[0]!.pieces).toBeGreaterThan(1);
    expect(section(readModule(root.bytes), "table")).toBeUndefined();
    expect(Buffer.from(root.bytes).equals(Buffer.from(tree.bytes))).toBe(true);
  });
});
