/**
 * Where the driver of a heap-frame split calls its pieces (docs/design/jit-speed.md
 * rules 7 and 9), read off the partition alone: which pieces only the driver
 * transfers into (an interpreter's case regions, entered from the dispatch `switch`
 * and nowhere else), the one driver block a piece can return to, and the few driver
 * blocks worth testing after a call; and the code of a dispatcher method, for
 * pieces too many for the driver to call each itself. heap-frame.ts writes the
 * calls. Cost: linear in the blocks and edges.
 */
import type { CodeNode, Label } from "../../src/bytecode/model.js";
import { Op } from "../../src/bytecode/opcodes.js";
import type { ControlFlowGraph } from "../cfg.js";
import { local, simple } from "./frame-arrays.js";
import type { Partition } from "../core/partition.js";
import { allSuccessors } from "../core/loops.js";

type OkPartition = Extract<Partition, { ok: true }>;

/** Most driver blocks a piece may return to for the driver to test them one by one after calling it. */
const FAST_RETURNS = 2;

/** Fewest pieces (the driver not counted) of a loop-resident split whose driver calls them straight. */
export const STRAIGHT_CALL_PIECES = 3;

/**
 * Per piece, 1 when every transfer into it comes from the driver (normal or
 * exception edges) and it does not hold the method's entry: called at the
 * driver's exits, no exit code ever names it.
 */
export function piecesOnlyTheDriverEnters(cfg: ControlFlowGraph, partition: OkPartition): Uint8Array {
  const only = new Uint8Array(partition.pieceBlocks.length).fill(1);
  only[0] = 0;
  for (let x = 0; x < cfg.blockCount; x++) {
    if (!cfg.reachable[x]) continue;
    const px = partition.pieceOf[x]!;
    if (px === 0) continue;
    for (const s of allSuccessors(cfg, x)) if (partition.pieceOf[s] !== px) only[partition.pieceOf[s]!] = 0;
  }
  only[partition.pieceOf[0]!] = 0;
  return only;
}

/** The one driver block piece q can return to (no other exit, no `return` or `athrow`: a case ending in `break`), or -1. */
export function onlyReturnBlock(cfg: ControlFlowGraph, partition: OkPartition, q: number): number {
  let only = -1;
  for (const x of partition.pieceBlocks[q]!) {
    const succ = allSuccessors(cfg, x);
    if (succ.length === 0) return -1;
    for (const s of succ) {
      if (partition.pieceOf[s] === q) continue;
      if (partition.pieceOf[s] !== 0 || (only >= 0 && only !== s)) return -1;
      only = s;
    }
  }
  return only;
}

/** The driver blocks piece q's blocks branch to, in block order, when at most `FAST_RETURNS`; else undefined. */
export function fastReturnTargets(cfg: ControlFlowGraph, partition: OkPartition, q: number): number[] | undefined {
  const targets = new Set<number>();
  for (const b of partition.pieceBlocks[q]!) {
    for (const s of allSuccessors(cfg, b)) if (partition.pieceOf[s] === 0) targets.add(s);
    if (targets.size > FAST_RETURNS) return undefined;
  }
  return [...targets].sort((x, y) => x - y);
}

/**
 * A switch slot no code takes (a piece the driver calls at its exits is never named
 * by a code): `aconst_null; athrow` at `label`, which throws if it ever ran.
 */
export function emitTrap(out: CodeNode[], label: Label): void {
  out.push({ kind: "label", label });
  out.push(simple(Op.ACONST_NULL));
  out.push(simple(Op.ATHROW));
}

/**
 * `static int dispatch(int code, arrays)`: calls the piece the code names, among
 * first..last (`code >>> 16`), with the code's entry and the arrays, and returns
 * what it returns; any other code comes back unchanged. `call` writes the call. A
 * piece `unnamed` says no code names (the driver calls it at its exits) gets no call:
 * its case is a trap.
 */
export function dispatcherCode(
  first: number,
  last: number,
  kinds: readonly number[],
  newLabel: () => Label,
  pushInt: (out: CodeNode[], v: number) => void,
  unnamed: (piece: number) => boolean,
  call: (out: CodeNode[], piece: number) => void,
): CodeNode[] {
  const d: CodeNode[] = [];
  const calls: number[] = [];
  for (let p = first; p <= last; p++) if (!unnamed(p)) calls.push(p);
  const callLabel = new Map(calls.map((p) => [p, newLabel()]));
  const fallback = newLabel();
  const trap = calls.length < last - first + 1 ? newLabel() : undefined;
  d.push(local(Op.ILOAD, 0));
  d.push({ kind: "int", op: Op.BIPUSH, value: 16 });
  d.push(simple(Op.IUSHR));
  const targets = Array.from({ length: last - first + 1 }, (_, i) => callLabel.get(first + i) ?? trap!);
  d.push({ kind: "tableswitch", low: first, high: last, defaultTarget: fallback, targets });
  if (trap !== undefined) emitTrap(d, trap);
  for (const p of calls) {
    d.push({ kind: "label", label: callLabel.get(p)! });
    d.push(local(Op.ILOAD, 0));
    pushInt(d, 0xffff);
    d.push(simple(Op.IAND));
    kinds.forEach((_, i) => d.push(local(Op.ALOAD, 1 + i)));
    call(d, p);
    d.push(simple(Op.IRETURN));
  }
  d.push({ kind: "label", label: fallback });
  d.push(local(Op.ILOAD, 0));
  d.push(simple(Op.IRETURN));
  return d;
}
