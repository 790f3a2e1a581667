/**
 * What both linkers share (`heap-frame.ts`, values through heap-frame arrays, and
 * `parameters.ts`, values as parameters of tail calls): what crosses each cut, the
 * entries of every piece, and the copy of a piece's own blocks with transfers out of
 * the piece sent to exit labels, exception ranges reproduced over the blocks copied
 * (JVMS 4.7.3 exception_table, in table order), and line and local-variable rows cut
 * to them (JVMS 4.7.12, 4.7.13, 4.7.14). Frames are not written here: the stackmap
 * pass recomputes them for every body. Cost: linear in the method.
 */
import type { CodeNode, Handler, Instruction, Label, LocalVariable, MethodBody } from "../../src/bytecode/model.js";
import { FLAGS, Op, OpFlag } from "../../src/bytecode/opcodes.js";
import { SharedNodes } from "../../src/bytecode/shared-nodes.js";
import { AssertionError, assert } from "../../src/diagnostics.js";
import { type ControlFlowGraph, isInstruction, opcodeOf } from "../cfg.js";
import type { Frame, TypeTable } from "../frames.js";
import { KIND_DOUBLE, KIND_LONG, kindOfType } from "./frame-arrays.js";
import { isLive, type Liveness, type SlotSet } from "../liveness.js";
import { SequenceIds } from "../core/sequence-ids.js";
import { allSuccessors } from "../core/loops.js";
import type { Partition } from "../core/partition.js";
import { newMethodBody } from "../../src/bytecode/method-body.js";
import { jumpTo, switchTo, withLocalIndex } from "../../src/bytecode/node-shapes.js";

/** What one cut moves: locals (slot, kind, type) and stack slots (bottom first). */
export interface CutShape {
  locals: { slot: number; kind: number; type: number }[];
  stack: { kind: number; type: number }[];
}

/** Slots a value of this kind takes (JVMS 2.6.1). */
export const slotsOf = (kind: number): number => (kind === KIND_LONG || kind === KIND_DOUBLE ? 2 : 1);

/** The kind of a verification type that crosses a cut. */
function kindOf(t: number, types: TypeTable): number {
  const kind = kindOfType(t, types);
  if (kind === -2) throw new AssertionError(`a value of type ${types.format(t)} cannot cross a cut`);
  return kind;
}

/**
 * The shape of the cut before each block: its live, typed locals and its stack.
 * Read only: blocks entered with the same frame (equal frames are one object,
 * `shared-frames.ts`) and the same live set share one shape. A shape lists every
 * live local as an object, so one per block was a large part of the link's live
 * heap where hundreds of locals are live (parser-actions at 16 MB: tens of
 * thousands of entries and exit targets, a few hundred distinct shapes).
 */
export function cutShapes(frameAt: (block: number) => Frame, liveness: Liveness, types: TypeTable): (block: number) => CutShape {
  const cache = new Map<number, CutShape>();
  const liveIds = new SequenceIds();
  const byFrame = new Map<Frame, Map<number, CutShape>>();
  return (block) => {
    let s = cache.get(block);
    if (s) return s;
    const f = frameAt(block);
    const live = liveness.liveIn[block]!;
    let shapes = byFrame.get(f);
    if (shapes === undefined) byFrame.set(f, (shapes = new Map()));
    const liveId = liveIds.idOf(live, live.length);
    s = shapes.get(liveId);
    if (s === undefined) shapes.set(liveId, (s = shapeOfCut(f, live, types)));
    cache.set(block, s);
    return s;
  };
}

function shapeOfCut(f: Frame, live: SlotSet, types: TypeTable): CutShape {
  const locals: CutShape["locals"] = [];
  for (let slot = 0; slot < f.locals.length; slot++) {
    const t = f.locals[slot]!;
    const kind = kindOf(t, types);
    if (kind < 0 || !isLive(live, slot)) continue;
    locals.push({ slot, kind, type: t });
    if (slotsOf(kind) === 2) slot++;
  }
  const stack: CutShape["stack"] = [];
  for (let i = 0; i < f.stack.length; i++) {
    const t = f.stack[i]!;
    const kind = kindOf(t, types);
    assert(kind >= 0, "top on the operand stack at a cut");
    stack.push({ kind, type: t });
    if (slotsOf(kind) === 2) i++;
  }
  return { locals, stack };
}

/** The blocks each piece is entered at (from another piece, or the method's start), sorted, and each one's index. */
export interface PieceEntries {
  entries: number[][];
  isEntry: Uint8Array;
  entryIndex: Int32Array;
}

export function pieceEntries(cfg: ControlFlowGraph, partition: Extract<Partition, { ok: true }>): PieceEntries {
  const pieceOf = partition.pieceOf;
  const entries: number[][] = Array.from({ length: partition.pieceBlocks.length }, () => []);
  const isEntry = new Uint8Array(cfg.blockCount);
  const markEntry = (b: number) => {
    if (!isEntry[b]) {
      isEntry[b] = 1;
      entries[pieceOf[b]!]!.push(b);
    }
  };
  if (pieceOf[0] !== 0) markEntry(0);
  for (let b = 0; b < cfg.blockCount; b++) {
    if (pieceOf[b]! < 0) continue;
    for (const s of allSuccessors(cfg, b)) if (pieceOf[s] !== pieceOf[b]) markEntry(s);
  }
  for (const list of entries) list.sort((a, b) => a - b);
  const entryIndex = new Int32Array(cfg.blockCount).fill(-1);
  for (const list of entries) list.forEach((b, i) => (entryIndex[b] = i));
  return { entries, isEntry, entryIndex };
}

/** The blocks of one body, copied: their handlers, variable rows, and the label of each block. */
export interface CopiedBlocks {
  handlers: Handler[];
  localVariables: LocalVariable[] | undefined;
  localVariableTypes: LocalVariable[] | undefined;
  blockLabel: (b: number) => Label;
}

/**
 * A copier of pieces' blocks: `copy(p, shift, out, exitLabel, emitReturn)` appends
 * the nodes of piece `p`'s blocks to `out` in original order, locals shifted by
 * `shift`, transfers out of the piece sent to `exitLabel(target block)`, returns
 * replaced by what `emitReturn` writes.
 */
export function blockCopier(body: MethodBody, cfg: ControlFlowGraph, partition: Extract<Partition, { ok: true }>, newLabel: () => Label) {
  const nodes = body.nodes;
  const pieceOf = partition.pieceOf;
  // A label after each block copied ends exception ranges and variable rows; a body
  // with neither gets none (a million-block method: a node and a map entry each).
  const needsEnds = body.handlers.length > 0 || body.localVariables !== undefined || body.localVariableTypes !== undefined;
  // A shifted load or store is one node per (opcode, new index) for all pieces, as the decoder shares them.
  const shifted = new SharedNodes();
  // The source line in effect at each block's first instruction: a block copied
  // after stubs must say its line again, since line tables go by position.
  const lineAtStart = new Int32Array(cfg.blockCount).fill(-1);
  const blockStartsWithLine = new Uint8Array(cfg.blockCount);
  {
    let line = -1;
    for (let b = 0; b < cfg.blockCount; b++) {
      let leading = true;
      for (let i = cfg.blockStart[b]!; i < cfg.blockEnd[b]!; i++) {
        const node = nodes[i]!;
        if (isInstruction(node)) {
          if (leading) lineAtStart[b] = line;
          leading = false;
        } else if (node.kind === "line") {
          line = node.line;
          if (leading) blockStartsWithLine[b] = 1;
        }
      }
    }
  }

  return function copy(
    p: number,
    shift: number,
    out: CodeNode[],
    exitLabel: (b: number) => Label,
    emitReturn: (out: CodeNode[], insn: Instruction) => void,
  ): CopiedBlocks {
    const blocks = partition.pieceBlocks[p]!.slice().sort((a, b) => a - b);
    const startLabel = new Map<number, Label>();
    const endLabel = new Map<number, Label>();
    const blockLabel = (b: number): Label => {
      let l = startLabel.get(b);
      if (l === undefined) startLabel.set(b, (l = newLabel()));
      return l;
    };
    const targetOf = (label: Label): Label => {
      const tb = cfg.blockOfLabel[label]!;
      return pieceOf[tb] === p ? label : exitLabel(tb);
    };
    // Appends `insn` as this piece has it; straight to `out`, without an array per node (16 MB of code is millions of them).
    const rewrite = (insn: Instruction, isLast: boolean): void => {
      switch (insn.kind) {
        case "local":
          out.push(shift ? shifted.local(insn.op, insn.index + shift) : insn);
          return;
        case "iinc":
          out.push(shift ? withLocalIndex(insn, insn.index + shift) : insn);
          return;
        case "jump":
          assert(isLast, "a jump in the middle of a block");
          out.push(jumpTo(insn, targetOf(insn.target)));
          return;
        case "tableswitch":
        case "lookupswitch":
          out.push(switchTo(insn, targetOf(insn.defaultTarget), insn.targets.map(targetOf)));
          return;
        case "simple":
          if (FLAGS[insn.op]! & OpFlag.RETURN) emitReturn(out, insn);
          else out.push(insn);
          return;
        default:
          out.push(insn);
      }
    };
    blocks.forEach((b, i) => {
      out.push({ kind: "label", label: blockLabel(b) });
      if (!blockStartsWithLine[b] && lineAtStart[b]! >= 0) out.push({ kind: "line", line: lineAtStart[b]! });
      const last = cfg.blockLastInstruction[b]!;
      for (let n = cfg.blockStart[b]!; n < cfg.blockEnd[b]!; n++) {
        const node = nodes[n]!;
        if (node.kind === "frame") continue;
        if (!isInstruction(node)) {
          out.push(node);
          continue;
        }
        rewrite(node, n === last);
      }
      const lastInsn = nodes[last] as Instruction;
      const op = opcodeOf(lastInsn);
      const fallsThrough = !(FLAGS[op]! & OpFlag.NO_FALLTHROUGH) || op === Op.JSR || op === Op.JSR_W;
      if (fallsThrough && b + 1 < cfg.blockCount) {
        const next = b + 1;
        if (pieceOf[next] !== p) out.push({ kind: "jump", op: Op.GOTO, target: exitLabel(next) });
        else if (blocks[i + 1] !== next) out.push({ kind: "jump", op: Op.GOTO, target: blockLabel(next) });
      }
      if (!needsEnds) return;
      const end = newLabel();
      endLabel.set(b, end);
      out.push({ kind: "label", label: end });
    });

    // Exception ranges over this body's blocks, in table order.
    const handlers = exceptionRanges(body, cfg, blocks, (hb) => (pieceOf[hb] === p ? undefined : exitLabel(hb)), blockLabel, (b) => endLabel.get(b)!);

    // Local variable ranges of this body's blocks, cut to the blocks here. The
    // original start and end labels are kept where they fall inside a block (the
    // frame writer trusts a range to mean "assigned here"), block bounds elsewhere.
    // The blocks of one row copied here are consecutive in `blocks`, and so adjacent
    // in the output: one row each, never one per block (a table restated per block
    // grows as rows x blocks and wraps its u2 count, JVMS 4.7.13).
    const shiftVars = (vars: LocalVariable[] | undefined): LocalVariable[] | undefined => {
      if (!vars) return undefined;
      const rows: LocalVariable[] = [];
      for (const v of vars) {
        const from = cfg.blockOfLabel[v.start]!;
        const to = cfg.blockOfLabel[v.end]!;
        const endInside = to < cfg.blockCount && cfg.labelNode[v.end]! > cfg.blockStart[to]!;
        const covered = blocks.filter((b) => b >= from && b <= to && (b !== to || endInside));
        if (covered.length === 0) continue;
        const first = covered[0]!;
        const last = covered[covered.length - 1]!;
        rows.push({ ...v, start: first === from ? v.start : blockLabel(first), end: last === to ? v.end : endLabel.get(last)!, index: v.index + shift });
      }
      return rows;
    };
    return { handlers, localVariables: shiftVars(body.localVariables), localVariableTypes: shiftVars(body.localVariableTypes), blockLabel };
  };
}

/**
 * The exception table of a body made of `blocks` (in their order there), in the
 * original table's order: one row per run of consecutive blocks a handler covers,
 * from the run's first block's label to the label after its last. `away(handler
 * block)` is the label to catch at when the handler is not among these blocks (its
 * exit stub), else undefined. One pass over the blocks' handler lists, not one scan
 * of the blocks per handler.
 */
function exceptionRanges(body: MethodBody, cfg: ControlFlowGraph, blocks: readonly number[], away: (handlerBlock: number) => Label | undefined, blockLabel: (b: number) => Label, endLabel: (b: number) => Label): Handler[] {
  const coveredBy = new Map<number, { blocks: number[]; at: number[] }>();
  blocks.forEach((b, i) => {
    for (const hi of cfg.handlersOf[b]!) {
      let c = coveredBy.get(hi);
      if (!c) coveredBy.set(hi, (c = { blocks: [], at: [] }));
      c.blocks.push(b);
      c.at.push(i);
    }
  });
  const handlers: Handler[] = [];
  for (const hi of [...coveredBy.keys()].sort((a, b) => a - b)) {
    const h = body.handlers[hi]!;
    const covered = coveredBy.get(hi)!;
    const handler = away(cfg.handlerBlock[hi]!) ?? h.handler;
    // Covered blocks are consecutive in the original order; split runs anyway for safety.
    const flush = (from: number, to: number) => handlers.push({ start: blockLabel(from), end: endLabel(to), handler, catchType: h.catchType });
    let runStart = 0;
    for (let j = 1; j < covered.blocks.length; j++) {
      if (covered.at[j] !== covered.at[j - 1]! + 1) {
        flush(covered.blocks[runStart]!, covered.blocks[j - 1]!);
        runStart = j;
      }
    }
    flush(covered.blocks[runStart]!, covered.blocks[covered.blocks.length - 1]!);
  }
  return handlers;
}

/** A generated body: its nodes (operand-only instructions shared in place), the handlers and variable rows of its blocks; limits and frames come later. */
export function newBody(
  original: MethodBody,
  nodesOut: CodeNode[],
  parts: { handlers: Handler[]; localVariables?: LocalVariable[] | undefined; localVariableTypes?: LocalVariable[] | undefined },
): MethodBody {
  // Operand-only instructions are one object each (shared-nodes.ts): a piece's stubs
  // load and store the same locals from the same arrays again and again (parser-actions
  // at 16 MB: 12,325 pieces, exit stubs of up to 300 stores, a gigabyte of nodes).
  const shared = new SharedNodes();
  for (let i = 0; i < nodesOut.length; i++) nodesOut[i] = shared.of(nodesOut[i]!);
  return newMethodBody({
    maxStack: 0,
    maxLocals: 0,
    nodes: nodesOut,
    labelCount: 0,
    handlers: parts.handlers,
    localVariables: parts.localVariables,
    localVariableTypes: parts.localVariableTypes,
    hasStackMapTable: original.hasStackMapTable,
    otherAttributes: [],
  });
}

/** Labels made on first use, one per key (the exit stubs of a body, by target block). */
export function lazyLabels(newLabel: () => Label): { labels: Map<number, Label>; labelOf: (key: number) => Label } {
  const labels = new Map<number, Label>();
  return {
    labels,
    labelOf: (key) => {
      let l = labels.get(key);
      if (l === undefined) labels.set(key, (l = newLabel()));
      return l;
    },
  };
}

/**
 * Per block, the local slots its instructions read and those they write (a long or
 * double names two slots, JVMS 2.6.1). The linker moves at a piece's entries and
 * exits only slots its blocks touch, so these bound the stubs' work.
 */
export function localsOfBlocks(body: MethodBody, cfg: ControlFlowGraph): { reads: number[][]; writes: number[][] } {
  const reads: number[][] = [];
  const writes: number[][] = [];
  for (let b = 0; b < cfg.blockCount; b++) {
    const u: number[] = [];
    const d: number[] = [];
    for (let i = cfg.blockStart[b]!; i < cfg.blockEnd[b]!; i++) {
      const n = body.nodes[i]!;
      if (n.kind !== "local" && n.kind !== "iinc") continue;
      const op = n.kind === "iinc" ? Op.IINC : n.op;
      const wide = op === Op.LLOAD || op === Op.DLOAD || op === Op.LSTORE || op === Op.DSTORE;
      for (let k = 0; k < (wide ? 2 : 1); k++) {
        if (FLAGS[op]! & OpFlag.READS_LOCAL) u.push(n.index + k);
        if (FLAGS[op]! & OpFlag.WRITES_LOCAL) d.push(n.index + k);
      }
    }
    reads.push(u);
    writes.push(d);
  }
  return { reads, writes };
}
