/**
 * Sequential final stores in a constructor: the `<init>` variant of
 * `final-stores.ts`. Since class version 53 only `<init>` may execute the
 * `putfield`s of its class's final instance fields (JVMS 6.5 putfield), so they
 * stay in it; the code computing each value moves into a static piece that takes
 * `this` and the live values it reads as parameters and returns the value:
 *
 *     <init>:  aload_0; aload_0; aload_1 ...; invokestatic piece$j(LThis;...)T; putfield F_k
 *     piece$j(LThis; ...): the code computing value k; areturn
 *
 * (8 bytes a write, plus one or two a value passed). A segment (the code between
 * two such writes) stays in the constructor as it is when it cannot move: it runs
 * before `super(...)`/`this(...)` (`this` is uninitialized, JVMS 4.10.1.9), it sets
 * a local that a later segment reads (a piece returns one value only), or its
 * receiver is not a plain `aload_0` pushed on an empty stack and left alone until
 * the store. Parameters are the locals the segment reads that are live at its
 * start, renumbered from 0 in slot order; the segment's other locals follow them.
 *
 * Segments that a branch crosses (`this.f = c ? a : b` written as two stores), or
 * that return before the end, stay in place together, and so does any segment
 * that does not start on an empty stack.
 *
 * Applies when: no exception handlers, no monitors, no jsr/ret, and at least one
 * segment can move. `linkInitStores` returns undefined otherwise. Cost: linear in
 * the method (one liveness pass).
 */
import type { CodeNode, Instruction, LocalVariable, MethodBody } from "../../src/bytecode/model.js";
import { Op } from "../../src/bytecode/opcodes.js";
import { slotsOf } from "../../src/bytecode/descriptors.js";
import type { ConstantPool } from "../../src/classfile/constant-pool.js";
import { branchTargets, buildCfg, isInstruction } from "../cfg.js";
import { kindOfDescriptor, simple } from "./frame-arrays.js";
import { computeLiveness, liveSlots } from "../liveness.js";
import type { CallSite, LinkedMethod } from "./link-types.js";
import { newBody } from "./blocks.js";
import { newMethodBody } from "../../src/bytecode/method-body.js";
import { withLocalIndex } from "../../src/bytecode/node-shapes.js";

export interface InitStoresInput {
  body: MethodBody;
  cp: ConstantPool;
  className: string;
  /** `name:descriptor` of the class's final instance fields. */
  finals: ReadonlySet<string>;
  /** Fresh piece names, in order. */
  pieceName: () => string;
  syntheticLine?: () => number | undefined;
  driverName: string;
  /** Operand-stack slots before node `i` (JVMS 2.6.2); -1 if unreachable. */
  stackHeightBefore: (i: number) => number;
  /** The field descriptor of local `slot` before node `i`; undefined for top or an uninitialized object. */
  localDescriptor: (i: number, slot: number) => string | undefined;
  /** Whether `this` is initialized before node `i` (super(...) or this(...) has run). */
  thisInitialized: (i: number) => boolean;
}

interface Segment {
  from: number;
  /** The store (a putfield), or nodes.length for the tail. */
  to: number;
  /** The field's descriptor, or "V" for the tail. */
  type: string;
  /** The receiver's `aload_0`, for a segment that can move. */
  receiver: number;
  moves: boolean;
}

/** Ops that could reach below the value to the receiver. */
const SHUFFLES = new Set<number>([Op.SWAP, Op.DUP_X1, Op.DUP_X2, Op.DUP2, Op.DUP2_X1, Op.DUP2_X2, Op.POP2]);

const isLoad = (n: CodeNode): n is Extract<Instruction, { kind: "local" }> => n.kind === "local" && n.op >= Op.ILOAD && n.op <= Op.ALOAD;
const isStore = (n: CodeNode): n is Extract<Instruction, { kind: "local" }> => n.kind === "local" && n.op >= Op.ISTORE && n.op <= Op.ASTORE;
const loadOf = (d: string): number => Op.ILOAD + kindOfDescriptor(d);
const returnOf = (d: string): number => (d === "V" ? Op.RETURN : Op.IRETURN + kindOfDescriptor(d));

export function linkInitStores(input: InitStoresInput): LinkedMethod | undefined {
  const { body } = input;
  if (body.handlers.length > 0) return undefined;
  const stores = finalFieldStores(input);
  if (stores === undefined || stores.length < 2) return undefined;
  const segments = cutSegments(input, stores);
  const { segmentOf, labelSegment } = segmentMaps(body, segments);
  const glued = glueCrossingSegments(body.nodes, segments.length - 1, segmentOf, labelSegment);
  if (glued === undefined) return undefined;
  const { liveAt, labelCount } = livenessAtSegmentStarts(body, segments);
  const params = chooseMovingSegments(input, segments, glued, liveAt);
  if (!segments.some((s) => s.moves)) return undefined;
  return emitPiecesAndConstructor(input, segments, params, labelSegment, labelCount);
}

/** The putfields of the class's final fields, or undefined when a monitor or jsr/ret rules the mode out. */
function finalFieldStores(input: InitStoresInput): number[] | undefined {
  const { body, cp } = input;
  const nodes = body.nodes;
  const stores: number[] = [];
  for (let i = 0; i < nodes.length; i++) {
    const n = nodes[i]!;
    if (n.kind === "simple" && (n.op === Op.MONITORENTER || n.op === Op.MONITOREXIT)) return undefined;
    if (n.kind === "jump" && (n.op === Op.JSR || n.op === Op.JSR_W)) return undefined;
    if (n.kind === "local" && n.op === Op.RET) return undefined;
    if (n.kind === "cp" && n.op === Op.PUTFIELD) {
      const ref = cp.memberRef(n.index);
      if (ref.owner === input.className && input.finals.has(`${ref.name}:${ref.descriptor}`)) stores.push(i);
    }
  }
  return stores;
}

/** One segment per store (the code since the previous store), then the tail. */
function cutSegments(input: InitStoresInput, stores: readonly number[]): Segment[] {
  const nodes = input.body.nodes;
  const segments: Segment[] = [];
  let from = 0;
  for (const s of stores) {
    segments.push({ from, to: s, type: input.cp.memberRef((nodes[s] as { index: number }).index).descriptor, receiver: -1, moves: false });
    from = s + 1;
  }
  segments.push({ from, to: nodes.length, type: "V", receiver: -1, moves: false });
  return segments;
}

/** The segment of every node (-1 for the stores) and of every label. */
function segmentMaps(body: MethodBody, segments: readonly Segment[]): { segmentOf: Int32Array; labelSegment: Int32Array } {
  const nodes = body.nodes;
  const segmentOf = new Int32Array(nodes.length).fill(-1);
  segments.forEach((seg, k) => {
    for (let i = seg.from; i < seg.to; i++) segmentOf[i] = k;
  });
  const labelSegment = new Int32Array(body.labelCount).fill(-1);
  for (let i = 0; i < nodes.length; i++) {
    const n = nodes[i]!;
    if (n.kind === "label") labelSegment[n.label] = segmentOf[i]!;
  }
  return { segmentOf, labelSegment };
}

/**
 * Code that branches from one segment into another, or returns before the end,
 * stays in the constructor as it is: every segment it spans is glued in place.
 * Undefined when a branch targets a store itself.
 */
function glueCrossingSegments(nodes: readonly CodeNode[], last: number, segmentOf: Int32Array, labelSegment: Int32Array): Uint8Array | undefined {
  const glued = new Uint8Array(last + 1);
  for (let i = 0; i < nodes.length; i++) {
    const n = nodes[i]!;
    if (!isInstruction(n) || segmentOf[i]! < 0) continue;
    const k = segmentOf[i]!;
    if (n.kind === "jump" || n.kind === "tableswitch" || n.kind === "lookupswitch") {
      for (const t of branchTargets(n)) {
        const j = labelSegment[t]!;
        if (j === k) continue;
        if (j < 0) return undefined;
        for (let g = Math.min(j, k); g <= Math.max(j, k); g++) glued[g] = 1;
      }
    }
    if (n.kind === "simple" && n.op >= Op.IRETURN && n.op <= Op.RETURN && k !== last) glued[k] = 1;
  }
  return glued;
}

/**
 * The live locals at the start of segment k (empty past the last), from one
 * liveness pass over the body with a label at every segment start so each one is
 * a block start. `labelCount` counts those labels, which the output keeps numbering after.
 */
function livenessAtSegmentStarts(body: MethodBody, segments: readonly Segment[]): { liveAt: (k: number) => Set<number>; labelCount: number } {
  const nodes = body.nodes;
  const last = segments.length - 1;
  const withLabels: CodeNode[] = [];
  const startLabel: number[] = [];
  let labelCount = body.labelCount;
  const starts = new Set(segments.map((s) => s.from));
  const labelAt = new Map<number, number>();
  nodes.forEach((n, i) => {
    if (starts.has(i)) {
      const label = labelCount++;
      labelAt.set(i, label);
      withLabels.push({ kind: "label", label });
    }
    withLabels.push(n);
  });
  if (starts.has(nodes.length)) {
    const label = labelCount++;
    labelAt.set(nodes.length, label);
    withLabels.push({ kind: "label", label });
  }
  for (const seg of segments) startLabel.push(labelAt.get(seg.from)!);
  const probe: MethodBody = newMethodBody({ ...body, nodes: withLabels, labelCount });
  const { cfg } = buildCfg(probe, {}, { extraLeaders: new Set(startLabel) });
  const liveness = computeLiveness(probe, cfg);
  const liveAt = (k: number): Set<number> => {
    if (k > last) return new Set();
    const b = cfg.blockOfLabel[startLabel[k]!]!;
    return b < cfg.blockCount ? new Set(liveSlots(liveness.liveIn[b]!)) : new Set();
  };
  return { liveAt, labelCount };
}

function firstInsn(nodes: readonly CodeNode[], seg: Segment): number {
  for (let i = seg.from; i < seg.to; i++) if (isInstruction(nodes[i]!)) return i;
  return -1;
}

/**
 * Marks the segments that can move (the header's conditions) and records their
 * receivers; returns each segment's parameter slots (empty for one that stays).
 */
function chooseMovingSegments(input: InitStoresInput, segments: Segment[], glued: Uint8Array, liveAt: (k: number) => Set<number>): number[][] {
  const nodes = input.body.nodes;
  const last = segments.length - 1;
  const params: number[][] = [];
  segments.forEach((seg, k) => {
    params.push([]);
    const f = firstInsn(nodes, seg);
    if (f < 0 || glued[k] || input.stackHeightBefore(f) !== 0) return;
    for (let i = seg.from; i < seg.to; i++) if (isInstruction(nodes[i]!) && !input.thisInitialized(i)) return;
    const liveOut = liveAt(k + 1);
    for (let i = seg.from; i < seg.to; i++) {
      const n = nodes[i]!;
      if ((isStore(n) || n.kind === "iinc") && liveOut.has(n.index)) return;
    }
    if (k < last) {
      const r = movableReceiver(input, seg);
      if (r < 0) return;
      seg.receiver = r;
    } else if (nodes.slice(seg.from, seg.to).every((n) => !isInstruction(n) || (n.kind === "simple" && n.op === Op.RETURN))) return;
    const live = liveAt(k);
    const read = new Set<number>();
    for (let i = seg.from; i < seg.to; i++) {
      const n = nodes[i]!;
      if (i !== seg.receiver && (isLoad(n) || n.kind === "iinc") && live.has(n.index)) read.add(n.index);
    }
    const slots = [...read].sort((a, b) => a - b);
    for (const s of slots) if (input.localDescriptor(f, s) === undefined) return;
    seg.moves = true;
    params[k] = slots;
  });
  return params;
}

/**
 * The store's receiver: the last `aload_0` pushed on an empty stack, when the
 * stack holds it and the value at the store and nothing below the value touches
 * it; -1 otherwise.
 */
function movableReceiver(input: InitStoresInput, seg: Segment): number {
  const nodes = input.body.nodes;
  let r = -1;
  for (let i = seg.from; i < seg.to; i++) {
    const n = nodes[i]!;
    if (n.kind === "local" && n.op === Op.ALOAD && n.index === 0 && input.stackHeightBefore(i) === 0) r = i;
  }
  if (r < 0 || input.stackHeightBefore(seg.to) !== 1 + slotsOf(seg.type)) return -1;
  for (let i = r + 1; i < seg.to; i++) {
    const n = nodes[i]!;
    if (!isInstruction(n)) continue;
    if (input.stackHeightBefore(i) < 1 || (n.kind === "simple" && SHUFFLES.has(n.op))) return -1;
  }
  return r;
}

/**
 * The constructor with every moving segment replaced by its call (receiver,
 * arguments, invokestatic, the store), and one piece per moving segment.
 * Undefined when a piece would need more than 255 locals.
 */
function emitPiecesAndConstructor(input: InitStoresInput, segments: readonly Segment[], params: readonly number[][], labelSegment: Int32Array, labelCount: number): LinkedMethod | undefined {
  const { body, cp } = input;
  const nodes = body.nodes;
  const last = segments.length - 1;
  const lines = lineBefore(nodes);
  const pieces: LinkedMethod["pieces"] = [];
  const callSites: CallSite[] = [];
  const out: CodeNode[] = [];
  for (const [k, seg] of segments.entries()) {
    if (!seg.moves) {
      for (let i = seg.from; i < seg.to; i++) if (nodes[i]!.kind !== "frame") out.push(nodes[i]!);
      if (k < last) out.push(nodes[seg.to]!);
      continue;
    }
    const f = firstInsn(nodes, seg);
    const paramSlots = params[k]!;
    const descs = paramSlots.map((s) => input.localDescriptor(f, s)!);
    const map = renumberLocals(nodes, seg, paramSlots, descs);
    if (map === undefined) return undefined;
    const name = input.pieceName();
    const descriptor = `(${descs.join("")})${seg.type}`;
    pieces.push({ name, descriptor, body: pieceBody(body, seg, k, map, lines, labelSegment) });

    // The constructor: receiver, arguments, call, store.
    if (k < last) out.push({ kind: "local", op: Op.ALOAD, index: 0 });
    const line = input.syntheticLine?.();
    if (line !== undefined) {
      out.push({ kind: "line", line });
      callSites.push({ caller: input.driverName, line, callee: name, calleeDescriptor: descriptor });
    }
    paramSlots.forEach((s, j) => out.push({ kind: "local", op: loadOf(descs[j]!), index: s }));
    out.push({ kind: "cp", op: Op.INVOKESTATIC, index: cp.addMemberRef("Methodref", input.className, name, descriptor) });
    if (k < last) {
      if (lines[seg.to]! >= 0) out.push({ kind: "line", line: lines[seg.to]! });
      out.push(nodes[seg.to]!);
    } else out.push(simple(Op.RETURN));
  }
  const driver = newBody(body, out, { handlers: [], ...(body.localVariables ? { localVariables: [] } : {}), ...(body.localVariableTypes ? { localVariableTypes: [] } : {}) });
  driver.labelCount = labelCount;
  for (const p of pieces) p.body.labelCount = labelCount;
  return { driver, pieces, kinds: [], callSites };
}

/** Piece locals: parameters first, in slot order, then the segment's own locals; undefined past 255. */
function renumberLocals(nodes: readonly CodeNode[], seg: Segment, paramSlots: readonly number[], descs: readonly string[]): Map<number, number> | undefined {
  const map = new Map<number, number>();
  let next = 0;
  paramSlots.forEach((s, j) => {
    map.set(s, next);
    next += slotsOf(descs[j]!);
  });
  for (let i = seg.from; i < seg.to; i++) {
    const n = nodes[i]!;
    if ((n.kind === "local" || n.kind === "iinc") && i !== seg.receiver && !map.has(n.index)) {
      map.set(n.index, next);
      next += n.kind === "local" && (n.op === Op.LLOAD || n.op === Op.DLOAD || n.op === Op.LSTORE || n.op === Op.DSTORE) ? 2 : 1;
    }
  }
  return next > 255 ? undefined : map;
}

/** The piece for segment k: its code without the receiver, locals renumbered, returning the value. */
function pieceBody(body: MethodBody, seg: Segment, k: number, map: Map<number, number>, lines: Int32Array, labelSegment: Int32Array): MethodBody {
  const nodes = body.nodes;
  const code: CodeNode[] = [];
  if (lines[seg.from]! >= 0 && nodes[seg.from]?.kind !== "line") code.push({ kind: "line", line: lines[seg.from]! });
  for (let i = seg.from; i < seg.to; i++) {
    const n = nodes[i]!;
    if (n.kind === "frame" || i === seg.receiver) continue;
    code.push(n.kind === "local" || n.kind === "iinc" ? withLocalIndex(n, map.get(n.index)!) : n);
  }
  if (seg.type !== "V") code.push(simple(returnOf(seg.type)));
  const inside = (v: LocalVariable) => labelSegment[v.start] === k && labelSegment[v.end] === k && map.has(v.index);
  const remap = (vs: readonly LocalVariable[] | undefined) => vs?.filter(inside).map((v) => ({ ...v, index: map.get(v.index)! }));
  const vars = remap(body.localVariables);
  const types = remap(body.localVariableTypes);
  return newBody(body, code, { handlers: [], ...(vars ? { localVariables: vars } : {}), ...(types ? { localVariableTypes: types } : {}) });
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
