/**
 * The partitioner on small CFGs with chosen costs: what fits stays in the driver,
 * straight-line code is packed in order under the limit, a loop that fits stays in
 * one piece (and is cut when told to, `openLoops`, the last resort when it does not
 * fit with its exits), a block that may not be entered from elsewhere stays with its
 * predecessors, pinned blocks stay in the driver (with the small code between
 * them when moving it out costs more), pinned code over the driver's limit is
 * refused saying what it is, and an oversized uncuttable region is refused with
 * its blocks.
 */
import { describe, expect, it } from "vitest";
import { decodeBody } from "../src/bytecode/decode.js";
import { codeOf } from "../src/classfile/model.js";
import { assemble } from "../src/text/assemble.js";
import { buildCfg, type ControlFlowGraph } from "../passes/cfg.js";
import { isLoop, stronglyConnectedComponents } from "../passes/core/loops.js";
import { partition } from "../passes/core/partition.js";
import { uniformPartitionInput } from "./support/partition-input.js";

function cfgOf(methodText: string): ControlFlowGraph {
  const [cf] = assemble(`.class public T\n.super java/lang/Object\n${methodText}\n`);
  const m = cf!.methods[0]!;
  return buildCfg(decodeBody(codeOf(m)!, cf!.constantPool)).cfg;
}

const input = uniformPartitionInput;

/** Ten blocks in a row: each ends in a goto to the next. */
const chain = `.method public static f()V
  .limit stack 1
  .limit locals 1
${Array.from({ length: 10 }, (_, i) => `B${i}:\n  nop\n  goto B${i + 1}`).join("\n")}
B10:
  return
.end method`;

/** An entry block, a loop of three blocks, an exit. */
const loop = `.method public static f(I)V
  .limit stack 2
  .limit locals 1
  iconst_0
  istore_0
Head:
  iload_0
  bipush 10
  if_icmpge Done
  iinc 0 1
  goto Mid
Mid:
  nop
  goto Head
Done:
  return
.end method`;

describe("partition", () => {
  it("keeps a method that fits in the driver alone", () => {
    const cfg = cfgOf(chain);
    const p = partition(input(cfg, { size: 5 }));
    expect(p.ok).toBe(true);
    if (!p.ok) return;
    expect(p.pieceBlocks.length).toBe(1);
    expect([...p.pieceOf]).toEqual(new Array(cfg.blockCount).fill(0));
  });

  it("packs straight-line code in order, every piece under the limit", () => {
    const cfg = cfgOf(chain);
    const p = partition(input(cfg, { size: 30 }));
    expect(p.ok).toBe(true);
    if (!p.ok) return;
    expect(p.pieceBlocks.length).toBeGreaterThan(2);
    for (const cost of p.pieceCost) expect(cost).toBeLessThanOrEqual(100);
    // Order is kept: piece numbers never decrease along the chain.
    for (let b = 1; b < cfg.blockCount; b++) expect(p.pieceOf[b]!).toBeGreaterThanOrEqual(p.pieceOf[b - 1]!);
    // Each cut is one cross edge.
    expect(p.crossEdges).toBe(p.pieceBlocks.length - 1);
    // The recorded costs are the real sums: blocks + entries + exits + overheads.
    const sizes = p.pieceBlocks.map((blocks, i) => {
      const entries = blocks.filter((b) => b === 0 ? i !== 0 : cfg.predecessors[b]!.some((q) => p.pieceOf[q] !== i)).length;
      const exits = new Set(blocks.flatMap((b) => cfg.successors[b]!.filter((s) => p.pieceOf[s] !== i))).size;
      return blocks.length * 30 + entries * 2 + exits * 3 + (i === 0 ? 20 : 5);
    });
    expect(p.pieceCost).toEqual(sizes);
  });

  it("charges pieceExtra to blocks in pieces 1.., never in the driver, and keeps every piece under the limit", () => {
    // A heap-frame piece renumbers its locals (passes/link/costs.ts shiftedLocalsExtra):
    // the same block costs more there than in the driver.
    const cfg = cfgOf(chain);
    const pieceExtra = new Int32Array(cfg.blockCount).fill(7);
    const p = partition(input(cfg, { size: 30, pieceExtra }));
    const plain = partition(input(cfg, { size: 30 }));
    if (!p.ok || !plain.ok) throw new Error("partition failed");
    expect(p.pieceBlocks[0]).toEqual(plain.pieceBlocks[0]);
    const sizes = p.pieceBlocks.map((blocks, i) => {
      const entries = blocks.filter((b) => (b === 0 ? i !== 0 : cfg.predecessors[b]!.some((q) => p.pieceOf[q] !== i))).length;
      const exits = new Set(blocks.flatMap((b) => cfg.successors[b]!.filter((s) => p.pieceOf[s] !== i))).size;
      return blocks.length * (i === 0 ? 30 : 37) + entries * 2 + exits * 3 + (i === 0 ? 20 : 5);
    });
    expect(p.pieceCost).toEqual(sizes);
    for (const cost of p.pieceCost) expect(cost).toBeLessThanOrEqual(100);
    // 37-byte blocks fit two to a piece where 30-byte ones fit three (with their stubs).
    expect(p.pieceBlocks.length).toBeGreaterThan(plain.pieceBlocks.length);
  });

  it("keeps a loop that fits inside one piece", () => {
    const cfg = cfgOf(loop);
    const p = partition(input(cfg, { size: 25, limit: 140 }));
    expect(p.ok).toBe(true);
    if (!p.ok) return;
    const loops = stronglyConnectedComponents(cfg).filter((c) => isLoop(cfg, c));
    expect(loops.length).toBe(1);
    expect(loops[0]!.length).toBe(3);
    const pieces = new Set(loops[0]!.map((b) => p.pieceOf[b]));
    expect(pieces.size).toBe(1);
    expect(p.pieceBlocks.length).toBeGreaterThan(1);
  });

  it("cuts a loop kept whole when asked to (openLoops): it fitted by its blocks, not with its exits", () => {
    const cfg = cfgOf(loop);
    // The loop's blocks (3 x 25 bytes, with their entries) fit three quarters of a piece,
    // but leaving it for the block after it costs 60 bytes, and that block (60 bytes)
    // does not fit beside it either: kept whole it does not fit.
    const done = cfg.blockCount - 1;
    const exitCost = new Int32Array(cfg.blockCount).fill(3);
    exitCost[done] = 60;
    const blockSize = new Int32Array(cfg.blockCount).fill(25);
    blockSize[done] = 60;
    const kept = partition(input(cfg, { blockSize, limit: 140, exitCost }));
    expect(kept.ok).toBe(false);
    if (kept.ok) return;
    expect(kept.what).toBe("loop");
    const open = partition(input(cfg, { blockSize, limit: 140, exitCost, openLoops: true }));
    expect(open.ok).toBe(true);
    if (!open.ok) return;
    const loops = stronglyConnectedComponents(cfg).filter((c) => isLoop(cfg, c));
    expect(new Set(loops[0]!.map((b) => open.pieceOf[b])).size).toBeGreaterThan(1);
    for (const cost of open.pieceCost) expect(cost).toBeLessThanOrEqual(140);
  });

  it("never enters a non-cuttable block from another piece", () => {
    const cfg = cfgOf(chain);
    const cuttable = new Uint8Array(cfg.blockCount).fill(1);
    for (let b = 3; b <= 7; b++) cuttable[b] = 0;
    const p = partition(input(cfg, { size: 15, cuttable }));
    expect(p.ok).toBe(true);
    if (!p.ok) return;
    for (let b = 2; b <= 7; b++) expect(p.pieceOf[b]).toBe(p.pieceOf[2]);
  });

  it("keeps pinned blocks in the driver", () => {
    const cfg = cfgOf(chain);
    const pinned = new Uint8Array(cfg.blockCount);
    pinned[0] = pinned[1] = 1;
    const p = partition(input(cfg, { size: 30, pinned }));
    expect(p.ok && p.pieceOf[0] === 0 && p.pieceOf[1] === 0).toBe(true);
  });

  it("keeps the small code between two pinned blocks in the driver when moving it out costs more", () => {
    const cfg = cfgOf(chain);
    const pinned = new Uint8Array(cfg.blockCount);
    for (const b of [2, 4, 6, 8]) pinned[b] = 1;
    // Cheap code, dear transfers: blocks 3, 5 and 7 stay between the pinned ones.
    const cheap = partition(input(cfg, { size: 5, entryCost: new Int32Array(cfg.blockCount).fill(20), exitCost: new Int32Array(cfg.blockCount).fill(20), pinned, limit: 200 }));
    expect(cheap.ok).toBe(true);
    if (!cheap.ok) return;
    for (const b of [2, 3, 4, 5, 6, 7, 8]) expect(cheap.pieceOf[b]).toBe(0);
    // Dear code, cheap transfers: the code between them is not taken in for its neighbours' sake.
    const size = new Int32Array(cfg.blockCount).fill(60);
    for (const b of [2, 4, 6, 8]) size[b] = 3;
    const dear = partition(input(cfg, { blockSize: size, pinned, limit: 200 }));
    expect(dear.ok).toBe(true);
    if (!dear.ok) return;
    for (const b of [2, 4, 6, 8]) expect(dear.pieceOf[b]).toBe(0);
    expect([3, 5, 7].filter((b) => dear.pieceOf[b] === 0).length).toBeLessThan(3);
  });

  it("refuses pinned code that does not fit, saying what it is; a larger driver limit admits it", () => {
    const cfg = cfgOf(chain);
    const pinned = new Uint8Array(cfg.blockCount);
    for (const b of [2, 4, 6, 8]) pinned[b] = 1;
    const base = { size: 30, pinned, pinnedCode: "the 4 writes (12 bytes) of 4 final fields" };
    const p = partition(input(cfg, base));
    expect(p.ok).toBe(false);
    if (p.ok) return;
    expect(p.what).toBe("pinned");
    expect(p.blocks).toEqual([2, 4, 6, 8]);
    expect(p.reason).toMatch(/^the 4 writes \(12 bytes\) of 4 final fields must stay in the original method; .* an estimated \d+ bytes, over the limit of 100$/);
    const roomy = partition(input(cfg, { ...base, driverLimit: 300 }));
    expect(roomy.ok).toBe(true);
    if (!roomy.ok) return;
    for (const b of [2, 4, 6, 8]) expect(roomy.pieceOf[b]).toBe(0);
    for (const cost of roomy.pieceCost.slice(1)) expect(cost).toBeLessThanOrEqual(100);
  });

  it("refuses an uncuttable region larger than a piece, naming its blocks", () => {
    const cfg = cfgOf(chain);
    const cuttable = new Uint8Array(cfg.blockCount).fill(0);
    cuttable[0] = 1;
    const p = partition(input(cfg, { size: 30, cuttable }));
    expect(p.ok).toBe(false);
    if (p.ok) return;
    expect(p.blocks.length).toBe(cfg.blockCount);
    expect(p.what).toBe("region");
    expect(p.reason).toContain("cannot be cut");
  });
  it("with `stubs`, prices an entry by the live slots the piece touches, not every live slot", () => {
    const cfg = cfgOf(chain);
    const n = cfg.blockCount;
    // Every block has 40 live slots costing 3 bytes each to load or store, but touches only its own slot.
    const live = Array.from({ length: 40 }, (_, slot) => ({ slot, cost: 3 }));
    const base = input(cfg, { size: 30, entryCost: new Int32Array(n).fill(2 + 40 * 3), exitGroup: new Int32Array(n), groupCost: Int32Array.from([1 + 40 * 3]) });
    const pessimistic = partition(base);
    expect(pessimistic.ok).toBe(false);
    if (!pessimistic.ok) expect(pessimistic.what).toBe("block");
    const exact = partition({
      ...base,
      stubs: {
        reads: Array.from({ length: n }, (_, b) => [b]),
        writes: Array.from({ length: n }, (_, b) => [b]),
        writtenAtStart: [],
        entryBase: new Int32Array(n).fill(2),
        entryLoads: Array.from({ length: n }, () => live),
        groupBase: Int32Array.from([1]),
        groupStores: [live],
        width: 42,
      },
    });
    expect(exact.ok).toBe(true);
    if (!exact.ok) return;
    // A piece of k blocks loads k slots at its entry and stores k at its exit: each holds two blocks.
    expect(exact.pieceBlocks.length).toBeGreaterThan(2);
    for (const blocks of exact.pieceBlocks.slice(1)) expect(blocks.length).toBeLessThanOrEqual(2);
    expect(Math.max(...exact.pieceCost)).toBeLessThanOrEqual(100);
  });
});
