/**
 * The partition memo (passes/core/partition-memo.ts): partitions of one graph
 * that differ only in the driver's and the pieces' allowances (as the splitter's
 * driver and piece fills ask) build the edges and atoms once, and each result
 * equals the partition computed without the memo; a new block-size table or limit
 * builds the atoms again. The graph: a chain of blocks with a loop in it and two
 * pinned blocks (the packing then also bridges the code between them, reading the
 * kept atoms' union-find).
 */
import { describe, expect, it } from "vitest";
import { decodeBody } from "../src/bytecode/decode.js";
import { codeOf } from "../src/classfile/model.js";
import { assemble } from "../src/text/assemble.js";
import { buildCfg, type ControlFlowGraph } from "../passes/cfg.js";
import { partition, type Memo } from "../passes/core/partition.js";
import { PartitionMemo } from "../passes/core/partition-memo.js";
import { uniformPartitionInput } from "./support/partition-input.js";

/** Thirty blocks in a row, blocks 10 to 13 a loop (a counter in local 0). */
const METHOD = `.method public static f(I)V
  .limit stack 2
  .limit locals 1
${Array.from({ length: 30 }, (_, i) => (i === 13 ? `B13:\n  iinc 0 1\n  iload_0\n  bipush 10\n  if_icmplt B10\n  goto B14` : `B${i}:\n  nop\n  goto B${i + 1}`)).join("\n")}
B30:
  return
.end method`;

function cfg(): ControlFlowGraph {
  const [cf] = assemble(`.class public T\n.super java/lang/Object\n${METHOD}\n`);
  return buildCfg(decodeBody(codeOf(cf!.methods[0]!)!, cf!.constantPool)).cfg;
}

describe("partition memo", () => {
  const g = cfg();
  const pinned = new Uint8Array(g.blockCount);
  pinned[3] = pinned[6] = 1;
  const base = uniformPartitionInput(g, { size: 12, pinned });
  const allowances = [
    {},
    { driverLimit: 130 },
    { pieceLimit: 120 },
    { driverLimit: 115, pieceLimit: 140 },
    { driverLimit: 100, pieceLimit: 100 },
  ];

  it("builds the atoms once for allowances that change, each result as without the memo", () => {
    const memo: Memo = new PartitionMemo();
    for (const a of allowances) {
      const input = { ...base, ...a };
      const memoised = partition(input, memo);
      expect(memoised.ok).toBe(true);
      expect(memoised).toEqual(partition(input));
    }
    expect(memo.atomsBuilt).toBe(1);
    // The partitions are not all the same: the allowances do move blocks.
    const shapes = new Set(allowances.map((a) => JSON.stringify(partition({ ...base, ...a }, memo))));
    expect(shapes.size).toBeGreaterThan(1);
    expect(memo.atomsBuilt).toBe(1);
  });

  it("builds them again for another block-size table or limit, and finds both later", () => {
    const memo: Memo = new PartitionMemo();
    const bigger = { ...base, blockSize: new Int32Array(g.blockCount).fill(14) };
    const lower = { ...base, limit: 90 };
    for (const input of [base, bigger, lower, base, bigger, lower]) expect(partition(input, memo)).toEqual(partition(input));
    expect(memo.atomsBuilt).toBe(3);
  });
});
