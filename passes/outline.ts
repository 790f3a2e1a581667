/**
 * Outline: moves a region of a method into a new method that the method calls and
 * that returns to it, for the regions the trampoline cannot cut (JVMS 4.10.1.9,
 * 2.11.10): the arguments of a `new T(...)` while the uninitialized object waits
 * on the stack (or of a constructor's super(...)/this(...) while uninitializedThis
 * does), and the body of a `synchronized` block while the frame holds the
 * monitor. A call keeps the caller's frame alive, so the uninitialized object (on
 * the operand stack below the region's values) and the monitor (held by the
 * caller) never leave it; the region itself can then be split like any method.
 *
 * The region is single-entry: blocks reached from its entry block, through normal
 * and exception edges, without passing a stop block; a block also entered from
 * outside is left out (and what only it reaches). The region never touches the
 * operand stack below the height it starts with (the base), nor reads a local
 * that holds an uninitialized object.
 *
 * Calling convention, as for pieces (`link/heap-frame.ts`, shared through `link/frame-arrays.ts`): `static int region(<frame arrays>)`.
 * The caller stores the locals the region reads (or may write, to keep them on
 * paths that do not), calls, and dispatches on the exit index the region returns:
 * a normal exit reloads the locals the region wrote and the values it left above
 * the base; an exceptional exit (a handler outside the region caught what the
 * region threw; not one listed after a catch-all that covers the same code, which
 * never catches there, JVMS 2.10) drops the base, pushes the exception and goes to
 * the handler; a `return` inside the region returns the stored value. Exceptions no handler of
 * the region's blocks catches propagate out of the call, which no handler covers.
 * The caller allocates the arrays once, at its start. Cost: linear in the method.
 */
import type { CodeNode, Handler, Instruction, Label, LocalVariable, MethodBody } from "../src/bytecode/model.js";
import { stackEffect } from "../src/bytecode/descriptors.js";
import { newMethodBody } from "../src/bytecode/method-body.js";
import { FLAGS, Op, OpFlag } from "../src/bytecode/opcodes.js";
import { parseMethodDescriptor } from "../src/bytecode/descriptors.js";
import type { ConstantPool } from "../src/classfile/constant-pool.js";
import { type ControlFlowGraph, firstInstruction, isInstruction, opcodeOf } from "./cfg.js";
import { DOUBLE, LONG, NULL, UNINITIALIZED_THIS, type Frame, type FrameAnalysis } from "./frames.js";
import { emitLoadFromFrame, emitNewFrameArrays, emitReturnFromFrame, emitStoreToFrame, frameDescriptor, KIND_DOUBLE, KIND_LONG, KIND_REF, kindOfDescriptor, kindOfType, local, pushInt as pushConstant, simple } from "./link/frame-arrays.js";
import { isLive, type Liveness } from "./liveness.js";
import { caughtBefore } from "./monitors.js";
import { allSuccessors } from "./core/loops.js";

export const name = "outline";
export const description = "move an uncuttable region (constructor arguments, synchronized body) into a called method";

export interface OutlineInput {
  body: MethodBody;
  cfg: ControlFlowGraph;
  frames: FrameAnalysis;
  liveness: Liveness;
  cp: ConstantPool;
  className: string;
  /** The class holding the region method and whether it is an interface (InterfaceMethodref, JVMS 4.4.2); default: `className`, a class. */
  pieceOwner?: { className: string; isInterface: boolean };
  /** The original method's descriptor (for a `return` inside the region). */
  descriptor: string;
  regionName: string;
  maxLocals: number;
  maxStack: number;
  entry: number;
  stop: ReadonlySet<number>;
  /** A fresh synthetic line for the call site (see `link/heap-frame.ts`); none when absent. */
  syntheticLine?: () => number | undefined;
}

export type OutlineResult =
  | { ok: true; parent: MethodBody; region: MethodBody; regionDescriptor: string; blocks: number; callLine?: number }
  | { ok: false; reason: string };

interface Slot {
  slot: number;
  kind: number;
  type: number;
}

type Exit = { kind: "normal"; block: number } | { kind: "handler"; block: number; catchType: number } | { kind: "return" };

const kindOf = kindOfType;

/** The region, its accesses and its exits: everything both bodies are written from. */
interface RegionPlan {
  inR: Uint8Array;
  blocks: number[];
  entryFrame: Frame;
  base: number;
  loadIn: Slot[];
  exits: Exit[];
  exitIndex: Map<string, number>;
  exitSlots: Map<number, Slot[]>;
  exitStack: Map<number, Slot[]>;
  md: ReturnType<typeof parseMethodDescriptor>;
  retKind: number;
  kinds: number[];
  spillBase: number;
  returnIndex: number;
  frameLength: number;
  regionDescriptor: string;
}

/** Labels of the two bodies: one numbering, shared, as both come from one body. */
interface Labels {
  newLabel: () => Label;
  labelOf: (b: number) => Label;
  endLabel: Map<number, Label>;
  count: () => number;
}

export function outlineRegion(input: OutlineInput): OutlineResult {
  const plan = planRegion(input);
  if (typeof plan === "string") return { ok: false, reason: plan };
  let labelCount = input.body.labelCount;
  const newLabel = (): Label => labelCount++;
  const startLabel = new Map<number, Label>();
  const labels: Labels = {
    newLabel,
    labelOf: (b) => {
      let l = startLabel.get(b);
      if (l === undefined) startLabel.set(b, (l = newLabel()));
      return l;
    },
    endLabel: new Map(),
    count: () => labelCount,
  };
  const { body } = input;
  const region = writeRegion(input, plan, labels);
  const caller = writeCaller(input, plan, labels);
  if (typeof caller === "string") return { ok: false, reason: caller };
  const inR = plan.inR;
  const order = callerOrder(input.cfg, inR, input.entry);
  const pLocals = varsIn(input, labels, body.localVariables, order, 0);
  const pTypes = varsIn(input, labels, body.localVariableTypes, order, 0);
  const parent = newMethodBody({
    ...body,
    nodes: caller.nodes,
    labelCount: labels.count(),
    handlers: caller.handlers,
    ...(pLocals ? { localVariables: pLocals } : {}),
    ...(pTypes ? { localVariableTypes: pTypes } : {}),
    otherAttributes: [],
  });
  const regionBody = newMethodBody({
    maxStack: 0,
    maxLocals: 0,
    nodes: region.nodes,
    labelCount: labels.count(),
    handlers: region.handlers,
    ...(region.locals ? { localVariables: region.locals } : {}),
    ...(region.localTypes ? { localVariableTypes: region.localTypes } : {}),
    hasStackMapTable: body.hasStackMapTable,
    otherAttributes: [],
  });
  const callLine = caller.callLine;
  return { ok: true, parent, region: regionBody, regionDescriptor: plan.regionDescriptor, blocks: plan.blocks.length, ...(callLine !== undefined ? { callLine } : {}) };
}

/** The region, what it reads and writes, and its exits; a reason when it cannot be outlined. */
function planRegion(input: OutlineInput): RegionPlan | string {
  const { cfg, frames, liveness } = input;
  const e = input.entry;
  const found = regionBlocks(cfg, e, input.stop);
  if (typeof found === "string") return found;
  const { inR, blocks } = found;
  const entryFrame = frames.frameBefore(firstInstruction(cfg, e));
  if (!entryFrame) return "no frame at the region's entry";
  const base = entryFrame.stack.length;
  const access = regionAccess(input, blocks, base);
  if (typeof access === "string") return access;
  const { used, written } = access;
  const loadIn = slotsIn(frames, entryFrame, liveness.liveIn[e]!, (s) => used[s] === 1 || written[s] === 1);
  if (typeof loadIn === "string") return loadIn;
  const found2 = regionExits(input, inR, blocks, base, written);
  if (typeof found2 === "string") return found2;
  const { exits, exitIndex, exitSlots, exitStack } = found2;
  const md = parseMethodDescriptor(input.descriptor);
  const retKind = md.returnType === "V" ? -1 : kindOfDescriptor(md.returnType);
  // Frame arrays.
  const used_kinds = new Set<number>();
  for (const s of loadIn) used_kinds.add(s.kind);
  for (const list of exitSlots.values()) for (const s of list) used_kinds.add(s.kind);
  for (const list of exitStack.values()) for (const s of list) used_kinds.add(s.kind);
  if (exits.some((x) => x.kind === "return") && retKind >= 0) used_kinds.add(retKind);
  const kinds = [...used_kinds].sort((a, b) => a - b);
  const spillBase = input.maxLocals;
  const returnIndex = spillBase + input.maxStack + 1;
  return {
    inR,
    blocks,
    entryFrame,
    base,
    loadIn,
    exits,
    exitIndex,
    exitSlots,
    exitStack,
    md,
    retKind,
    kinds,
    spillBase,
    returnIndex,
    frameLength: returnIndex + 2,
    regionDescriptor: frameDescriptor(kinds),
  };
}

/** The region: closure from the entry, then drop blocks also entered from outside. */
function regionBlocks(cfg: ControlFlowGraph, e: number, stop: ReadonlySet<number>): { inR: Uint8Array; blocks: number[] } | string {
  const n = cfg.blockCount;
  const succsOf = (b: number): readonly number[] => allSuccessors(cfg, b);
  const predsOf: number[][] = Array.from({ length: n }, () => []);
  for (let b = 0; b < n; b++) if (cfg.reachable[b]) for (const s of new Set(succsOf(b))) predsOf[s]!.push(b);
  const excluded = new Uint8Array(n);
  let inR = new Uint8Array(n);
  for (;;) {
    inR = new Uint8Array(n);
    const work = [e];
    inR[e] = 1;
    while (work.length > 0) {
      const b = work.pop()!;
      for (const s of succsOf(b)) {
        if (inR[s] || excluded[s] || stop.has(s) || s === e) continue;
        inR[s] = 1;
        work.push(s);
      }
    }
    let changed = false;
    for (let b = 0; b < n; b++) {
      if (!inR[b] || b === e) continue;
      if (predsOf[b]!.some((q) => !inR[q])) {
        excluded[b] = 1;
        changed = true;
      }
    }
    if (!changed) break;
  }
  if (predsOf[e]!.some((q) => inR[q])) return "the region's entry is a loop head inside it";
  const blocks: number[] = [];
  for (let b = 0; b < n; b++) if (inR[b]) blocks.push(b);
  if (blocks.length === 0) return "the region is empty";
  return { inR, blocks };
}

/** The locals the region reads and writes; it must not reach below its base on the stack. */
function regionAccess(input: OutlineInput, blocks: readonly number[], base: number): { used: Uint8Array; written: Uint8Array } | string {
  const { cfg, frames, cp } = input;
  const nodes = input.body.nodes;
  const used = new Uint8Array(input.maxLocals + 2);
  const written = new Uint8Array(input.maxLocals + 2);
  let reachesBelow = false;
  for (const b of blocks) {
    frames.replay(cfgBlockOf(frames, cfg, b), (node, _locals, _stack, height) => {
      if (node < cfg.blockStart[b]! || node >= cfg.blockEnd[b]!) return;
      const insn = nodes[node] as Instruction;
      const pop = stackEffect(insn, cp).pop;
      if (height - pop < base) reachesBelow = true;
      if (insn.kind === "local" || insn.kind === "iinc") {
        const wide = insn.kind === "local" && (insn.op === Op.LLOAD || insn.op === Op.DLOAD || insn.op === Op.LSTORE || insn.op === Op.DSTORE);
        const f = FLAGS[insn.kind === "iinc" ? Op.IINC : insn.op]!;
        for (let k = 0; k < (wide ? 2 : 1); k++) {
          if (f & OpFlag.READS_LOCAL) used[insn.index + k] = 1;
          if (f & OpFlag.WRITES_LOCAL) written[insn.index + k] = 1;
        }
      }
    });
  }
  if (reachesBelow) return "the region uses stack values from before it";
  return { used, written };
}

/** The live locals of a frame that `pick` selects, with their kinds; a reason when one holds an uninitialized object. */
function slotsIn(frames: FrameAnalysis, f: Frame, live: Uint32Array, pick: (slot: number) => boolean): Slot[] | string {
  const out: Slot[] = [];
  for (let slot = 0; slot < f.locals.length; slot++) {
    const t = f.locals[slot]!;
    if (!isLive(live, slot) || !pick(slot)) continue;
    const kind = kindOf(t, frames.types);
    if (kind === -1) continue;
    if (kind === -2 || t === UNINITIALIZED_THIS) return `local ${slot} holds an uninitialized object`;
    out.push({ slot, kind, type: t });
    if (kind === KIND_LONG || kind === KIND_DOUBLE) slot++;
  }
  return out;
}

/** Where control leaves the region (normal edges, handlers outside it, returns) and what each exit carries. */
function regionExits(input: OutlineInput, inR: Uint8Array, blocks: readonly number[], base: number, written: Uint8Array) {
  const { body, cfg, frames, liveness } = input;
  const exits: Exit[] = [];
  const exitIndex = new Map<string, number>();
  const exitOf = (x: Exit): number => {
    const key = x.kind === "return" ? "return" : `${x.kind}:${x.block}`;
    let i = exitIndex.get(key);
    if (i === undefined) {
      exitIndex.set(key, (i = exits.length));
      exits.push(x);
    }
    return i;
  };
  for (const b of blocks) {
    for (const s of cfg.successors[b]!) if (!inR[s]) exitOf({ kind: "normal", block: s });
    // A handler listed after a catch-all covering the block never catches there (JVMS
    // 2.10): no exit, else the caller would branch from code holding a `synchronized`
    // body's monitor to an enclosing try's handler, raising that handler's depth and
    // gluing everything its range covers into one uncuttable region.
    for (const hi of cfg.handlersOf[b]!) {
      const h = cfg.handlerBlock[hi]!;
      if (!inR[h] && !caughtBefore(cfg, b, hi)) exitOf({ kind: "handler", block: h, catchType: body.handlers[hi]!.catchType });
    }
  }
  const exitSlots = new Map<number, Slot[]>();
  const exitStack = new Map<number, Slot[]>();
  for (const x of exits) {
    if (x.kind === "return") continue;
    const f = frames.frameBefore(firstInstruction(cfg, x.block));
    if (!f) return `no frame at exit block ${x.block}`;
    const s = slotsIn(frames, f, liveness.liveIn[x.block]!, (slot) => written[slot] === 1);
    if (typeof s === "string") return s;
    exitSlots.set(x.block, s);
    const stack: Slot[] = [];
    const from = x.kind === "normal" ? base : 0;
    if (x.kind === "normal" && f.stack.length < base) return "an exit has a shorter stack than the entry";
    for (let i = from; i < f.stack.length; i++) {
      const t = f.stack[i]!;
      const kind = kindOf(t, frames.types);
      if (kind < 0) return "an exit leaves an uninitialized object on the stack";
      stack.push({ slot: i - from, kind, type: t });
      if (kind === KIND_LONG || kind === KIND_DOUBLE) i++;
    }
    exitStack.set(x.block, stack);
  }
  for (const b of blocks) {
    const last = body.nodes[cfg.blockLastInstruction[b]!] as Instruction;
    if (FLAGS[opcodeOf(last)]! & OpFlag.RETURN) exitOf({ kind: "return" });
  }
  return { exits, exitIndex, exitSlots, exitStack };
}

/** Loads a slot's value from the frame (null is pushed, references are checked back to their type). */
function loadSlot(input: OutlineInput, classIndex: Map<number, number>, out: CodeNode[], arraySlot: number[], s: Slot, index: number): void {
  if (s.type === NULL) {
    out.push(simple(Op.ACONST_NULL));
    return;
  }
  const { cp } = input;
  const types = input.frames.types;
  const t = s.kind === KIND_REF ? s.type : NULL;
  const cast = t !== NULL && types.nameOf(t) !== "java/lang/Object";
  emitLoadFromFrame(out, arraySlot, s.kind, index, cp, cast
    ? () => {
        let i = classIndex.get(t);
        if (i === undefined) classIndex.set(t, (i = cp.addClass(types.nameOf(t))));
        return i;
      }
    : undefined);
}

/**
 * The region's body: loads what it reads from the frame, its blocks with locals
 * shifted past the arrays, transfers out of it and returns sent to exit stubs
 * that store what the exit carries and return the exit's index.
 */
function writeRegion(input: OutlineInput, plan: RegionPlan, labels: Labels) {
  const { body, cfg, cp } = input;
  const nodes = body.nodes;
  const n = cfg.blockCount;
  const { inR, blocks, loadIn, exits, exitIndex, exitSlots, exitStack, kinds, retKind, returnIndex, spillBase } = plan;
  const { newLabel, labelOf, endLabel } = labels;
  const classIndex = new Map<number, number>();
  const pushInt = (out: CodeNode[], v: number) => pushConstant(out, v, cp);
  const rArray: number[] = [];
  kinds.forEach((k, i) => (rArray[k] = i));
  const shift = kinds.length;
  const rTemp = shift + input.maxLocals;
  const rOut: CodeNode[] = [];
  for (const s of loadIn) {
    loadSlot(input, classIndex, rOut, rArray, s, s.slot);
    rOut.push(local(Op.ISTORE + s.kind, s.slot + shift));
  }
  rOut.push({ kind: "jump", op: Op.GOTO, target: labelOf(input.entry) });
  const exitLabels = exits.map(() => newLabel());
  const targetIn = (label: Label): Label => {
    const tb = cfg.blockOfLabel[label]!;
    return inR[tb] ? label : exitLabels[exitIndex.get(`normal:${tb}`)!]!;
  };
  for (const b of blocks) {
    rOut.push({ kind: "label", label: labelOf(b) });
    for (let i = cfg.blockStart[b]!; i < cfg.blockEnd[b]!; i++) {
      const node = nodes[i]!;
      if (node.kind === "frame") continue;
      if (!isInstruction(node)) {
        rOut.push(node);
        continue;
      }
      switch (node.kind) {
        case "local":
        case "iinc":
          rOut.push({ ...node, index: node.index + shift });
          break;
        case "jump":
          rOut.push({ ...node, target: targetIn(node.target) });
          break;
        case "tableswitch":
        case "lookupswitch":
          rOut.push({ ...node, defaultTarget: targetIn(node.defaultTarget), targets: node.targets.map(targetIn) });
          break;
        case "simple":
          if (FLAGS[node.op]! & OpFlag.RETURN) {
            if (node.op !== Op.RETURN) {
              rOut.push(local(Op.ISTORE + retKind, rTemp));
              emitStoreToFrame(rOut, rArray, retKind, returnIndex, rTemp, cp);
            }
            pushInt(rOut, exitIndex.get("return")!);
            rOut.push(simple(Op.IRETURN));
          } else rOut.push(node);
          break;
        default:
          rOut.push(node);
      }
    }
    const lastInsn = nodes[cfg.blockLastInstruction[b]!] as Instruction;
    const flags = FLAGS[opcodeOf(lastInsn)]!;
    if (!(flags & OpFlag.NO_FALLTHROUGH) && b + 1 < n) {
      const next = b + 1;
      if (!inR[next]) rOut.push({ kind: "jump", op: Op.GOTO, target: exitLabels[exitIndex.get(`normal:${next}`)!]! });
      else if (blocks[blocks.indexOf(b) + 1] !== next) rOut.push({ kind: "jump", op: Op.GOTO, target: labelOf(next) });
    }
    const end = newLabel();
    endLabel.set(b, end);
    rOut.push({ kind: "label", label: end });
  }
  exits.forEach((x, j) => {
    rOut.push({ kind: "label", label: exitLabels[j]! });
    if (x.kind === "return") return; // never a jump target: returns are rewritten in place
    const stack = exitStack.get(x.block)!;
    for (let i = stack.length - 1; i >= 0; i--) {
      const s = stack[i]!;
      rOut.push(local(Op.ISTORE + s.kind, rTemp));
      emitStoreToFrame(rOut, rArray, s.kind, spillBase + s.slot, rTemp, cp);
    }
    for (const s of exitSlots.get(x.block)!) emitStoreToFrame(rOut, rArray, s.kind, s.slot, s.slot + shift, cp);
    pushInt(rOut, j);
    rOut.push(simple(Op.IRETURN));
  });
  const rHandlers: Handler[] = [];
  body.handlers.forEach((h, hi) => {
    const hb = cfg.handlerBlock[hi]!;
    const covered = blocks.filter((b) => cfg.handlersOf[b]!.includes(hi) && (inR[hb] || !caughtBefore(cfg, b, hi)));
    if (covered.length === 0) return;
    const handler = inR[hb] ? h.handler : exitLabels[exitIndex.get(`handler:${hb}`)!]!;
    for (const b of covered) rHandlers.push({ start: labelOf(b), end: endLabel.get(b)!, handler, catchType: h.catchType });
  });
  // Computed now: the caller reuses the entry block's end label for its call site.
  const regionOrder = blocks.filter((b) => cfg.reachable[b]);
  const locals = varsIn(input, labels, body.localVariables, regionOrder, shift);
  const localTypes = varsIn(input, labels, body.localVariableTypes, regionOrder, shift);
  return { nodes: rOut, handlers: rHandlers, locals, localTypes };
}

/**
 * The caller: allocates the arrays, keeps its own blocks, and in place of the
 * region's entry stores what the region reads, calls it, and dispatches on the
 * exit index it returns.
 */
function writeCaller(input: OutlineInput, plan: RegionPlan, labels: Labels): { nodes: CodeNode[]; handlers: Handler[]; callLine: number | undefined } | string {
  const { body, cfg, cp } = input;
  const nodes = body.nodes;
  const n = cfg.blockCount;
  const e = input.entry;
  const { inR, loadIn, exits, kinds } = plan;
  const { newLabel, labelOf, endLabel } = labels;
  const pArray: number[] = [];
  kinds.forEach((k, i) => (pArray[k] = input.maxLocals + i));
  const pOut: CodeNode[] = [];
  emitNewFrameArrays(pOut, kinds, plan.frameLength, pArray, cp);
  const regionRef = cp.addMemberRef(input.pieceOwner?.isInterface ? "InterfaceMethodref" : "Methodref", input.pieceOwner?.className ?? input.className, input.regionName, plan.regionDescriptor);
  const callerStubs = exits.map(() => newLabel());
  let callLine: number | undefined;
  for (let b = 0; b < n; b++) {
    if (!cfg.reachable[b]) continue;
    if (inR[b] && b !== e) continue;
    pOut.push({ kind: "label", label: labelOf(b) });
    if (b === e) {
      // Keep the labels that lead into the entry (jumps land on the call).
      for (let i = cfg.blockStart[b]!; i < cfg.blockEnd[b]! && !isInstruction(nodes[i]!); i++) if (nodes[i]!.kind !== "frame") pOut.push(nodes[i]!);
      for (const s of loadIn) emitStoreToFrame(pOut, pArray, s.kind, s.slot, s.slot, cp);
      for (const k of kinds) pOut.push(local(Op.ALOAD, pArray[k]!));
      callLine = input.syntheticLine?.();
      if (callLine !== undefined) pOut.push({ kind: "line", line: callLine });
      pOut.push({ kind: "cp", op: Op.INVOKESTATIC, index: regionRef });
      // A region with no exit only ever throws: nothing follows its call (the
      // verifier still needs the code to end, hence a throw that is never reached).
      if (exits.length === 0) pOut.push(simple(Op.POP), simple(Op.ACONST_NULL), simple(Op.ATHROW));
      else if (exits.length === 1) pOut.push(simple(Op.POP), { kind: "jump", op: Op.GOTO, target: callerStubs[0]! });
      else pOut.push({ kind: "tableswitch", low: 0, high: exits.length - 1, defaultTarget: callerStubs[0]!, targets: callerStubs });
      pOut.push({ kind: "label", label: newLabel() });
      writeExitStubs(input, plan, labels, pOut, pArray, callerStubs);
      continue;
    }
    for (let i = cfg.blockStart[b]!; i < cfg.blockEnd[b]!; i++) {
      const node = nodes[i]!;
      if (node.kind !== "frame") pOut.push(node);
    }
    const lastInsn = nodes[cfg.blockLastInstruction[b]!] as Instruction;
    const flags = FLAGS[opcodeOf(lastInsn)]!;
    // Falling through into the region can only reach its entry, which keeps its place.
    if (!(flags & OpFlag.NO_FALLTHROUGH) && b + 1 < n && inR[b + 1] && b + 1 !== e) return "control falls into the region past its entry";
    const end = newLabel();
    endLabel.set(b, end);
    pOut.push({ kind: "label", label: end });
  }
  const pHandlers: Handler[] = [];
  body.handlers.forEach((h, hi) => {
    for (let b = 0; b < n; b++) {
      if (!cfg.reachable[b] || inR[b] || !cfg.handlersOf[b]!.includes(hi)) continue;
      pHandlers.push({ start: labelOf(b), end: endLabel.get(b)!, handler: h.handler, catchType: h.catchType });
    }
  });
  return { nodes: pOut, handlers: pHandlers, callLine };
}

/**
 * The caller's stub per exit: a `return` returns the stored value; a handler exit
 * drops the base and pushes the exception; then the values left above the base
 * and the locals the region wrote are reloaded and control goes on.
 */
function writeExitStubs(input: OutlineInput, plan: RegionPlan, labels: Labels, pOut: CodeNode[], pArray: number[], callerStubs: Label[]): void {
  const { cp } = input;
  const { exits, exitStack, exitSlots, retKind, returnIndex, spillBase, md } = plan;
  const baseSlots = plan.entryFrame.stack;
  const classIndex = new Map<number, number>();
  exits.forEach((x, j) => {
    pOut.push({ kind: "label", label: callerStubs[j]! });
    if (x.kind === "return") {
      emitReturnFromFrame(pOut, pArray, md, retKind, returnIndex, cp);
      return;
    }
    if (x.kind === "handler") {
      // The handler starts with only the exception on the stack: drop the base.
      for (let i = baseSlots.length - 1; i >= 0; i--) {
        if (i > 0 && (baseSlots[i - 1] === LONG || baseSlots[i - 1] === DOUBLE)) {
          pOut.push(simple(Op.POP2));
          i--;
        } else pOut.push(simple(Op.POP));
      }
    }
    for (const s of exitStack.get(x.block)!) loadSlot(input, classIndex, pOut, pArray, s, spillBase + s.slot);
    for (const s of exitSlots.get(x.block)!) {
      loadSlot(input, classIndex, pOut, pArray, s, s.slot);
      pOut.push(local(Op.ISTORE + s.kind, s.slot));
    }
    pOut.push({ kind: "jump", op: Op.GOTO, target: labels.labelOf(x.block) });
  });
}

/**
 * The variable rows of the blocks in `order` (the blocks of one body in output
 * order, -1 where that body writes code of its own between two of them), shifted,
 * one row per run of covered blocks adjacent in the output: never one per block (a
 * table restated per block grows as rows x blocks and wraps its u2 count, JVMS 4.7.13).
 */
function varsIn(input: OutlineInput, labels: Labels, vars: LocalVariable[] | undefined, order: readonly number[], shiftBy: number): LocalVariable[] | undefined {
  if (!vars) return undefined;
  const { cfg } = input;
  const n = cfg.blockCount;
  const out: LocalVariable[] = [];
  for (const v of vars) {
    const from = cfg.blockOfLabel[v.start]!;
    const to = cfg.blockOfLabel[v.end]!;
    const endInside = to < n && cfg.labelNode[v.end]! > cfg.blockStart[to]!;
    let first = -1;
    let last = -1;
    const flush = () => {
      if (first >= 0) out.push({ ...v, start: first === from ? v.start : labels.labelOf(first), end: last === to ? v.end : labels.endLabel.get(last)!, index: v.index + shiftBy });
      first = -1;
    };
    for (const b of order) {
      if (b < 0 || b < from || b > to || (b === to && !endInside)) {
        flush();
        continue;
      }
      if (first < 0) first = b;
      last = b;
    }
    flush();
  }
  return out;
}

/** The caller's own blocks in output order, -1 at the region's entry, where the call and its exit stubs go. */
function callerOrder(cfg: ControlFlowGraph, inR: ArrayLike<number>, entry: number): number[] {
  const order: number[] = [];
  for (let b = 0; b < cfg.blockCount; b++) {
    if (!cfg.reachable[b]) continue;
    if (b === entry) order.push(-1);
    else if (!inR[b]) order.push(b);
  }
  return order;
}

/** The frame analysis has its own CFG: the block there that holds our block's first instruction. */
function cfgBlockOf(frames: FrameAnalysis, cfg: ControlFlowGraph, b: number): number {
  return frames.cfg.blockOfNode[firstInstruction(cfg, b)]!;
}
