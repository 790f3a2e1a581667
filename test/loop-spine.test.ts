/**
 * A loop too big for one piece (an interpreter's dispatch loop): the blocks every
 * iteration runs (header, dispatch switch, shared increment) stay in one piece, and
 * the cases packed next to them are the ones that run most per byte; a loop that
 * fits is unaffected. Oracle: the dominators of the loop worked out by hand on a
 * five-case `for`/`switch` loop.
 */
import { describe, expect, it } from "vitest";
import { decodeBody } from "../src/bytecode/decode.js";
import { codeOf } from "../src/classfile/model.js";
import { assemble } from "../src/text/assemble.js";
import { buildCfg, type ControlFlowGraph } from "../passes/cfg.js";
import { loopLayout, loopSpine } from "../passes/core/loop-spine.js";
import { isLoop, stronglyConnectedComponents } from "../passes/core/loops.js";
import { partition } from "../passes/core/partition.js";
import { uniformPartitionInput } from "./support/partition-input.js";

/** for (i = 0; i < n; i++) switch (op) { five cases, C4 the biggest }; every case breaks to the increment. */
const dispatch = `.class public T
.super java/lang/Object
.method public static f(II)I
  .limit stack 2
  .limit locals 3
  iconst_0
  istore_2
Head:
  iload_2
  iload_1
  if_icmpge Done
  iload_0
  tableswitch 0
    C0
    C1
    C2
    C3
    C4
    default : Inc
C0:
  iinc 0 1
  goto Inc
C1:
  iinc 0 2
  goto Inc
C2:
  iinc 0 3
  goto Inc
C3:
  iinc 0 4
  goto Inc
C4:
  iinc 0 5
  goto Inc
Inc:
  iinc 2 1
  goto Head
Done:
  iload_0
  ireturn
.end method
`;

function cfgOf(text: string): ControlFlowGraph {
  const [cf] = assemble(text);
  return buildCfg(decodeBody(codeOf(cf!.methods[0]!)!, cf!.constantPool)).cfg;
}

/** Block starting at the instruction that follows label-like landmarks, found by successor shape. */
function shape(cfg: ControlFlowGraph) {
  const loop = stronglyConnectedComponents(cfg).find((c) => isLoop(cfg, c))!;
  const sw = loop.find((b) => cfg.successors[b]!.length >= 5)!;
  const head = loop.find((b) => cfg.successors[b]!.includes(cfg.blockCount - 1) || cfg.successors[b]!.some((s) => !loop.includes(s)))!;
  const inc = loop.find((b) => cfg.successors[b]!.includes(head) && b !== head)!;
  const cases = cfg.successors[sw]!.filter((s) => s !== inc);
  return { loop, head, sw, inc, cases };
}

describe("loop spine", () => {
  it("is the header, the dispatch and the shared increment", () => {
    const cfg = cfgOf(dispatch);
    const { loop, head, sw, inc, cases } = shape(cfg);
    expect(cases.length).toBe(5);
    expect(loopSpine(cfg, loop, head)).toEqual([head, sw, inc]);
    const rank = new Int32Array(cfg.blockCount);
    cfg.reversePostorder.forEach((b, i) => (rank[b] = i));
    const layout = loopLayout(cfg, loop, head, rank);
    expect(layout.spine).toEqual([head, sw, inc]);
    // Each case is its own region, entered once in six iterations (five cases and the default).
    expect([...layout.regionOf.entries()].sort()).toEqual(cases.map((c) => [c, c]).sort());
    for (const c of cases) expect(layout.heat.get(c)).toBeCloseTo(1 / 6, 9);
  });

  it("keeps the spine in one piece and moves the biggest case out first", () => {
    const cfg = cfgOf(dispatch);
    const { head, sw, inc, cases } = shape(cfg);
    const n = cfg.blockCount;
    const blockSize = new Int32Array(n).fill(10);
    const big = cases[4]!;
    blockSize[big] = 40;
    const p = partition(uniformPartitionInput(cfg, { blockSize, limit: 110 }));
    expect(p.ok).toBe(true);
    if (!p.ok) return;
    expect(p.spinedLoops).toBe(1);
    expect(new Set([head, sw, inc].map((b) => p.pieceOf[b])).size).toBe(1);
    const home = p.pieceOf[head]!;
    // The four small cases fit beside the spine; the big one does not.
    for (const c of cases.slice(0, 4)) expect(p.pieceOf[c]).toBe(home);
    expect(p.pieceOf[big]).not.toBe(home);
  });

  it("with region pieces, gives each case left out of the driver a piece of its own, within the most regions and the fewest pieces allowed", () => {
    const cfg = cfgOf(dispatch);
    const { head, cases } = shape(cfg);
    const blockSize = new Int32Array(cfg.blockCount).fill(10);
    for (const c of cases) blockSize[c] = 30;
    const piecesOfCases = (regionPieces?: { max: number; callCost: number; minPieces: number }) => {
      const p = partition(uniformPartitionInput(cfg, { blockSize, limit: 160, ...(regionPieces ? { regionPieces } : {}) }));
      if (!p.ok) throw new Error(p.reason);
      const home = p.pieceOf[head]!;
      const out = cases.filter((c) => p.pieceOf[c] !== home);
      return { p, out, pieces: new Set(out.map((c) => p.pieceOf[c])) };
    };
    const packed = piecesOfCases();
    expect(packed.p.regionPieces).toBe(false);
    // Without region pieces the cases left out share pieces.
    expect(packed.out.length).toBeGreaterThanOrEqual(2);
    expect(packed.pieces.size).toBeLessThan(packed.out.length);
    const own = piecesOfCases({ max: 5, callCost: 0, minPieces: 1 });
    expect(own.p.regionPieces).toBe(true);
    expect(own.out).toEqual(packed.out);
    expect(own.pieces.size).toBe(own.out.length);
    for (const q of own.pieces) expect(own.p.pieceBlocks[q!]!.length).toBe(1);
    // Five regions, more than `max`: packed as before.
    const over = piecesOfCases({ max: 4, callCost: 0, minPieces: 1 });
    expect(over.p.regionPieces).toBe(false);
    expect(Array.from(over.p.pieceOf)).toEqual(Array.from(packed.p.pieceOf));
    // Fewer pieces than `minPieces` (the driver would not call them at its exits): packed as before.
    const few = piecesOfCases({ max: 5, callCost: 0, minPieces: own.p.pieceBlocks.length });
    expect(few.p.regionPieces).toBe(false);
    expect(Array.from(few.p.pieceOf)).toEqual(Array.from(packed.p.pieceOf));
    // The call at the driver's exit is priced: fewer cases stay in the driver.
    const priced = piecesOfCases({ max: 5, callCost: 12, minPieces: 1 });
    expect(priced.out.length).toBeGreaterThan(own.out.length);
  });

  it("leaves a loop that fits one piece alone", () => {
    const cfg = cfgOf(dispatch);
    const p = partition(uniformPartitionInput(cfg, { limit: 1000 }));
    expect(p.ok && p.spinedLoops === 0 && p.pieceBlocks.length === 1).toBe(true);
  });
});
