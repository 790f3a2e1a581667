/**
 * Loop residence: the locals a dispatch loop's pieces share live in the heap
 * frame's arrays for the whole method, the driver included
 * (docs/design/jit-speed.md, "The best a split can do on a uniform interpreter
 * past 8 KB"). When a loop too big for one piece is split by its spine (the
 * driver keeps the loop head, fetch and `switch`; cases go to pieces), every step
 * that runs a moved case copies the registers it touches out of the driver's
 * locals into the frame and back. Measured with hand-written controls of the same
 * interpreters: with the registers kept in locals, no call shape passes 0.66-0.90x
 * of the unsplit method's compiled speed; kept in the frame arrays by the driver
 * too, the same shapes reach 1.0-2.0x. A call out of a method that holds its
 * registers in machine registers pays their spills (C2 has no callee-saved
 * registers) plus the copies; with the registers in memory the call passes the
 * arrays and the callee touches only what its case uses.
 *
 * So, for a partition that keeps a loop's spine (`spinedLoops > 0`) and links
 * through the heap frame, a local slot is loop-resident when it crosses a cut (it
 * is live into a block entered from another piece), some piece other than the
 * driver writes it (locals only the driver writes are `owned` and written through
 * once per store, heap-frame-plan.ts), and every instruction of the method that
 * names it is a load, store or `iinc` of one primitive kind (references would need
 * a `checkcast` at every load). Every body then reads and writes its frame element
 * instead of a local slot (`rewriteResidentAccesses`), and no transfer moves it;
 * the driver writes a resident parameter into the frame once at its start.
 * The frame element is the only home of the value, so it is right at every
 * transfer and in every handler.
 *
 * The rewrite makes blocks larger (an `iload` of 2 bytes becomes 4 to 7), so the
 * partition is redone with block sizes grown by `residenceGrowth`, an upper bound
 * of the rewrite in any body. JVM link only (JVMS 2.6.1, 6.5 xaload/xastore).
 * `MEGASPLIT_NO_LOOP_RESIDENCE=1` turns it off, for measuring it against the
 * copying hand-over (bench/jit-probe/results-loop-residence.txt).
 */
import type { CodeNode } from "../../src/bytecode/model.js";
import type { ControlFlowGraph } from "../cfg.js";
import { allSuccessors } from "../core/loops.js";
import { isLive, type Liveness } from "../liveness.js";
import { accessOf, residentAccessBytes, type ResidentKinds } from "./resident-locals.js";
import { residentLowSlots } from "./low-slots.js";

export interface LoopResidenceInput {
  nodes: readonly CodeNode[];
  cfg: ControlFlowGraph;
  liveness: Liveness;
  pieceOf: Int32Array;
  maxLocals: number;
}

/** The loop-resident locals of a partition (kind per slot, -1 for the others); undefined when there are none. */
export function loopResidentLocals(r: LoopResidenceInput): ResidentKinds | undefined {
  const { nodes, cfg, liveness, pieceOf, maxLocals } = r;
  const kind = new Int8Array(maxLocals).fill(-2); // -2: not accessed, -1: refused
  const writtenInPieces = new Uint8Array(maxLocals);
  for (let b = 0; b < cfg.blockCount; b++) {
    if (pieceOf[b]! < 0) continue;
    for (let i = cfg.blockStart[b]!; i < cfg.blockEnd[b]!; i++) {
      const n = nodes[i]!;
      if (n.kind !== "local" && n.kind !== "iinc") continue;
      const x = n.index;
      if (x >= maxLocals) continue;
      const a = accessOf(n);
      if (a.kind < 0 || (kind[x] !== -2 && kind[x] !== a.kind)) kind[x] = -1;
      else kind[x] = a.kind;
      if (a.writes && pieceOf[b]! > 0) writtenInPieces[x] = 1;
    }
  }
  // The union of what is live into every block entered from another piece.
  const crosses = new Uint32Array(liveness.words);
  for (let b = 0; b < cfg.blockCount; b++) {
    if (pieceOf[b]! < 0) continue;
    for (const t of allSuccessors(cfg, b)) {
      if (pieceOf[t] === pieceOf[b]) continue;
      const live = liveness.liveIn[t]!;
      for (let w = 0; w < live.length; w++) crosses[w]! |= live[w]!;
    }
  }
  const resident = new Int8Array(maxLocals).fill(-1);
  let any = false;
  for (let x = 0; x < maxLocals; x++) {
    if (kind[x]! < 0 || !isLive(crosses, x) || !writtenInPieces[x]) continue;
    resident[x] = kind[x]!;
    any = true;
  }
  return any ? resident : undefined;
}

/** Bytes of `aload n`. */
const aloadBytes = (n: number): number => (n <= 3 ? 1 : n <= 255 ? 2 : 4);

/**
 * Per block: an upper bound of what rewriting its accesses of resident locals
 * adds in the driver (whose frame arrays follow its `maxLocals` locals, or take the
 * one-byte slots of `residentLowSlots`, low-slots.ts) and in a
 * piece (arrays in slots 1-5, kind k's at most at 1 + k), against the shortest
 * form of the original instruction.
 */
export function residenceGrowth(nodes: readonly CodeNode[], cfg: ControlFlowGraph, resident: ResidentKinds, maxLocals: number, paramSlots: number): { driver: Int32Array; piece: Int32Array } {
  const lowSlot = residentLowSlots(nodes, resident, paramSlots);
  const driver = new Int32Array(cfg.blockCount);
  const piece = new Int32Array(cfg.blockCount);
  for (let b = 0; b < cfg.blockCount; b++) {
    for (let i = cfg.blockStart[b]!; i < cfg.blockEnd[b]!; i++) {
      const n = nodes[i]!;
      if (n.kind !== "local" && n.kind !== "iinc") continue;
      const x = n.index;
      const k = x < resident.length ? resident[x]! : -1;
      if (k < 0) continue;
      const was = n.kind === "iinc" ? 3 : x <= 3 ? 1 : 2;
      driver[b] += residentAccessBytes(n, x, k, aloadBytes(lowSlot[k]! >= 0 ? lowSlot[k]! : maxLocals + k)) - was;
      piece[b] += residentAccessBytes(n, x, k, aloadBytes(1 + k)) - was;
    }
  }
  return { driver, piece };
}
