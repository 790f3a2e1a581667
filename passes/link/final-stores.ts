/**
 * Sequential final stores: a shape for a `<clinit>` that writes many of its class's
 * final static fields, one after another (enum constants, message tables). Since
 * class version 53 only `<clinit>` may execute those `putstatic`s (JVMS 6.5
 * putstatic), so they stay in it; the trampoline would cost each one an exit, an
 * entry and a round trip through the driver (13 to 20 bytes). Here the code that
 * computes each value moves into a piece that *returns* the value:
 *
 *     <clinit>:  bipush k; invokestatic piece$j(I)T; putstatic F_k   (8 bytes a field)
 *     piece$j(int k): tableswitch k -> the code computing value k; areturn
 *
 * (7 bytes with at most six values a piece, 6 with one and no `k`, for methods
 * with more writes: `maxCases`)
 *
 * so the writes keep their order relative to everything else (each value is
 * computed, then stored, then the next one computed), and no value or local
 * crosses a call except the one returned.
 *
 * Applies when: no exception handlers, no monitors; the stores of final fields of
 * the class split the code into segments that control flow never leaves (every
 * branch target lies in the segment of its branch, only the last segment returns);
 * before each store the stack holds only the value; no local is live across a
 * store (JVMS 2.6.1 locals of one segment are its own). The code after the last
 * store, when there is more than a `return`, is a piece returning void. Pieces
 * keep the segments' line numbers and local-variable rows (shifted past `k`).
 * `linkFinalStores` returns undefined when the method does not have this shape.
 * Cost: linear in the method.
 */
import type { CodeNode, Instruction, LocalVariable, MethodBody } from "../../src/bytecode/model.js";
import { Op } from "../../src/bytecode/opcodes.js";
import { maxEncodedSize } from "../../src/bytecode/size-bound.js";
import { slotsOf } from "../../src/bytecode/descriptors.js";
import type { ConstantPool } from "../../src/classfile/constant-pool.js";
import { branchTargets, buildCfg, isInstruction } from "../cfg.js";
import { kindOfDescriptor, pushInt, simple } from "./frame-arrays.js";
import { computeLiveness, liveSlots } from "../liveness.js";
import type { CallSite, LinkedMethod } from "./link-types.js";
import { newBody } from "./blocks.js";
import { newMethodBody } from "../../src/bytecode/method-body.js";
import { withLocalIndex } from "../../src/bytecode/node-shapes.js";

export interface FinalStoresInput {
  body: MethodBody;
  cp: ConstantPool;
  className: string;
  /** `name:descriptor` of the class's final fields (only `<clinit>` may write them). */
  finals: ReadonlySet<string>;
  /** Bytes a piece may hold. */
  limit: number;
  /**
   * Most segments a piece holds (default: as many as fit). 6 keeps every case an
   * `iconst` (7 bytes a field in `<clinit>`); 1 drops the case altogether (6 bytes,
   * a piece per value).
   */
  maxCases?: number;
  /** Fresh piece names, in order. */
  pieceName: () => string;
  pieceOwner?: { className: string; isInterface: boolean };
  syntheticLine?: () => number | undefined;
  driverName: string;
  /** Operand-stack slots before node `i` (JVMS 2.6.2), from the frame analysis; -1 if unreachable. */
  stackHeightBefore: (i: number) => number;
}

interface Segment {
  from: number; // first node
  to: number; // one past the last node
  /** Descriptor the segment's value has (the field's), or "V" for the tail. */
  type: string;
  size: number;
}

const RETURN_OF = (d: string): number => (d === "V" ? Op.RETURN : Op.IRETURN + kindOfDescriptor(d));

export function linkFinalStores(input: FinalStoresInput): LinkedMethod | undefined {
  const { body, cp } = input;
  const nodes = body.nodes;
  if (body.handlers.length > 0) return undefined;
  // The stores, and the segments between them.
  const stores: number[] = [];
  for (let i = 0; i < nodes.length; i++) {
    const n = nodes[i]!;
    if (n.kind === "simple" && (n.op === Op.MONITORENTER || n.op === Op.MONITOREXIT)) return undefined;
    if (n.kind === "cp" && (n.op === Op.PUTSTATIC || n.op === Op.PUTFIELD)) {
      const ref = cp.memberRef(n.index);
      if (ref.owner === input.className && input.finals.has(`${ref.name}:${ref.descriptor}`)) {
        if (n.op === Op.PUTFIELD) return undefined;
        stores.push(i);
      }
    }
  }
  if (stores.length < 2) return undefined;
  const segments: Segment[] = [];
  let from = 0;
  for (const s of stores) {
    segments.push({ from, to: s, type: cp.memberRef((nodes[s] as Instruction & { index: number }).index).descriptor, size: 0 });
    from = s + 1;
  }
  segments.push({ from, to: nodes.length, type: "V", size: 0 });
  const segmentOf = new Int32Array(nodes.length).fill(-1);
  segments.forEach((seg, k) => {
    for (let i = seg.from; i < seg.to; i++) segmentOf[i] = k;
  });
  const labelSegment = new Int32Array(body.labelCount).fill(-1);
  for (let i = 0; i < nodes.length; i++) {
    const n = nodes[i]!;
    if (n.kind === "label") labelSegment[n.label] = segmentOf[i]!;
  }
  const last = segments.length - 1;
  for (let i = 0; i < nodes.length; i++) {
    const n = nodes[i]!;
    if (!isInstruction(n)) continue;
    const k = segmentOf[i]!;
    if (k < 0) continue; // a store
    segments[k]!.size += maxEncodedSize(n);
    if (n.kind === "jump" || n.kind === "tableswitch" || n.kind === "lookupswitch") {
      if (n.kind === "jump" && (n.op === Op.JSR || n.op === Op.JSR_W)) return undefined;
      for (const t of branchTargets(n)) if (labelSegment[t] !== k) return undefined;
    }
    if (n.kind === "simple" && n.op >= Op.IRETURN && n.op <= Op.RETURN && k !== last) return undefined;
    if (n.kind === "local" && n.op === Op.RET) return undefined;
  }
  for (const s of segments) if (s.size > input.limit * 0.75) return undefined;

  // Nothing but the value crosses a store: the stack holds just it, and no local is
  // live after it (a segment starts a block; its live-in set must be empty).
  const cut = new Set(stores.map((s) => s + 1).filter((i) => i < nodes.length));
  const withLabels: CodeNode[] = [];
  const startLabel = new Map<number, number>();
  let labelCount = body.labelCount;
  nodes.forEach((n, i) => {
    if (cut.has(i)) {
      const label = labelCount++;
      startLabel.set(i, label);
      withLabels.push({ kind: "label", label });
    }
    withLabels.push(n);
  });
  const probe: MethodBody = newMethodBody({ ...body, nodes: withLabels, labelCount });
  const { cfg } = buildCfg(probe, {}, { extraLeaders: new Set(startLabel.values()) });
  const liveness = computeLiveness(probe, cfg);
  for (const label of startLabel.values()) {
    const b = cfg.blockOfLabel[label]!;
    if (b < cfg.blockCount && liveSlots(liveness.liveIn[b]!).length > 0) return undefined;
  }
  for (const [k, i] of stores.entries()) if (input.stackHeightBefore(i) !== slotsOf(segments[k]!.type)) return undefined;

  // Pack segments of one type into pieces.
  const owner = input.pieceOwner ?? { className: input.className, isInterface: false };
  const budget = Math.floor(input.limit * 0.85) - 24;
  const groups: { type: string; segments: number[]; size: number }[] = [];
  segments.forEach((s, k) => {
    if (k === last && onlyReturns(nodes, s)) return;
    const g = groups[groups.length - 1];
    const cost = s.size + 6 + 4; // xreturn, goto slack, a switch case
    if (g && g.type === s.type && g.size + cost <= budget && g.segments.length < (input.maxCases ?? Infinity)) {
      g.segments.push(k);
      g.size += cost;
    } else groups.push({ type: s.type, segments: [k], size: cost });
  });

  const lines = lineBefore(nodes);
  const pieces: LinkedMethod["pieces"] = [];
  const callSites: CallSite[] = [];
  /** Where each segment is: its piece's name and descriptor, and its case. */
  const placed = new Map<number, { name: string; descriptor: string; entry: number }>();
  for (const g of groups) {
    const name = input.pieceName();
    // A piece of one segment takes no case.
    const shift = g.segments.length > 1 ? 1 : 0;
    const descriptor = `(${shift ? "I" : ""})${g.type}`;
    const out: CodeNode[] = [];
    const cases = g.segments.map(() => labelCount++);
    if (shift) {
      out.push({ kind: "local", op: Op.ILOAD, index: 0 });
      out.push({ kind: "tableswitch", low: 0, high: cases.length - 1, defaultTarget: cases[0]!, targets: cases });
    }
    const vars: LocalVariable[] = [];
    const types: LocalVariable[] = [];
    g.segments.forEach((k, e) => {
      const s = segments[k]!;
      placed.set(k, { name, descriptor, entry: shift ? e : -1 });
      out.push({ kind: "label", label: cases[e]! });
      if (lines[s.from]! >= 0 && nodes[s.from]?.kind !== "line") out.push({ kind: "line", line: lines[s.from]! });
      for (let i = s.from; i < s.to; i++) {
        const n = nodes[i]!;
        if (n.kind === "frame") continue;
        out.push(shift && (n.kind === "local" || n.kind === "iinc") ? withLocalIndex(n, n.index + shift) : n);
      }
      if (s.type !== "V") out.push(simple(RETURN_OF(s.type)));
      const inside = (v: LocalVariable) => labelSegment[v.start] === k && labelSegment[v.end] === k;
      for (const v of body.localVariables ?? []) if (inside(v)) vars.push({ ...v, index: v.index + shift });
      for (const v of body.localVariableTypes ?? []) if (inside(v)) types.push({ ...v, index: v.index + shift });
    });
    const pieceBody = newBody(body, out, { handlers: [], ...(body.localVariables ? { localVariables: vars } : {}), ...(body.localVariableTypes ? { localVariableTypes: types } : {}) });
    pieces.push({ name, descriptor, body: pieceBody });
  }

  // The driver: per segment a call, then its store.
  const out: CodeNode[] = [];
  segments.forEach((s, k) => {
    const p = placed.get(k);
    if (p) {
      const line = input.syntheticLine?.();
      if (line !== undefined) {
        out.push({ kind: "line", line });
        callSites.push({ caller: input.driverName, line, callee: p.name, calleeDescriptor: p.descriptor });
      }
      if (p.entry >= 0) pushInt(out, p.entry, cp);
      out.push({ kind: "cp", op: Op.INVOKESTATIC, index: cp.addMemberRef(owner.isInterface ? "InterfaceMethodref" : "Methodref", owner.className, p.name, p.descriptor) });
    }
    if (k < last) {
      if (lines[stores[k]!]! >= 0) out.push({ kind: "line", line: lines[stores[k]!]! });
      out.push(nodes[stores[k]!]!);
    } else out.push(simple(Op.RETURN));
  });
  const driver = newBody(body, out, { handlers: [] });
  driver.labelCount = labelCount;
  for (const piece of pieces) piece.body.labelCount = labelCount;
  return { driver, pieces, kinds: [], callSites };
}

/** The line in effect at each node (-1 before the first). */
function lineBefore(nodes: readonly CodeNode[]): Int32Array {
  const out = new Int32Array(nodes.length);
  let line = -1;
  nodes.forEach((n, i) => {
    if (n.kind === "line") line = n.line;
    out[i] = line;
  });
  return out;
}

/** A tail segment that only returns (labels, lines, frames and a `return`). */
function onlyReturns(nodes: readonly CodeNode[], s: Segment): boolean {
  for (let i = s.from; i < s.to; i++) {
    const n = nodes[i]!;
    if (isInstruction(n) && !(n.kind === "simple" && n.op === Op.RETURN)) return false;
  }
  return true;
}
