/**
 * Link with parameters: the shape of a split method whose transfers between pieces
 * can never repeat (the piece graph, with exception edges, is acyclic and nothing
 * returns into the driver's own blocks). Live locals and the spilled operand stack
 * then travel as arguments of calls in tail position, and the original method's
 * return value as the calls' result; no heap frame is allocated (docs/design/
 * splitter.md, "Parameters").
 *
 * Shape (JVMS 2.6 frames, 4.3.3 descriptors, 4.10.1 verification):
 * - Piece q is `static R piece(l0 … l(n-1), s0 … s(k-1) [, int entry])` with R the
 *   original return type. Parameter `l_i` is local slot i of the original method,
 *   at slot i of the piece too, so the piece's code keeps the original numbering
 *   and an entry loads nothing: locals live into any of the piece's entries become
 *   parameters of their kind (a reference typed as the entries agree, else
 *   `Object` and a `checkcast` at the entry), slots no entry needs are `int` holes.
 *   `s_i` are the operand-stack values live across the cut; `entry` selects the
 *   entry (a `tableswitch`) when the piece has several.
 * - A transfer into another piece goes through an exit stub: spill the stack into
 *   temporaries, push the target's parameters (the live locals, a zero or null for
 *   holes and for values the target entry does not need), the stack values and the
 *   entry, call, and return the result. Targets that push the same way share a stub.
 * - `return` instructions stay as they are: a piece returns the method's value.
 * - The driver keeps its own blocks (code that must stay in the method) and leaves
 *   through the same stubs.
 * The stack grows by one frame per transfer, bounded by the longest chain in the
 * acyclic piece graph. A piece needs at most 255 parameter slots (JVMS 4.3.3);
 * `tailLayouts` says when a partition can be linked this way. Cost: linear in the
 * method plus the stubs.
 */
import type { CodeNode, Label } from "../../src/bytecode/model.js";
import { Op } from "../../src/bytecode/opcodes.js";
import { parseMethodDescriptor } from "../../src/bytecode/descriptors.js";
import { NULL } from "../frames.js";
import { KIND_REF, kindOfDescriptor, local, pushInt as pushConstant, pushZero, simple } from "./frame-arrays.js";
import { blockCopier, cutShapes, type CutShape, lazyLabels, newBody, pieceEntries, slotsOf } from "./blocks.js";
import { allSuccessors } from "../core/loops.js";
import type { CallSite, LinkedMethod, LinkInput } from "./link-types.js";

export type TailLinkInput = Omit<LinkInput, "maxSpill" | "mode" | "directOk" | "flatDispatch" | "dispatchGroup" | "indyCallSite" | "dispatcherName">;

/** One parameter of a piece: a value of this kind; `type` is its verification type, or -1 for `Object` (checked at entries). */
interface ParamValue {
  kind: number;
  type: number;
}

/** The parameters of one piece. */
export interface TailLayout {
  /** Per local slot below `width`: the value passed there (a wide one takes the next slot too), or undefined for a hole (an `int`). */
  locals: (ParamValue | undefined)[];
  width: number;
  stack: ParamValue[];
  hasEntry: boolean;
  descriptor: string;
  /** Parameter slots in all (at most 255). */
  slots: number;
}

const PRIMITIVE_DESCRIPTORS = ["I", "J", "F", "D"];
const OBJECT = "java/lang/Object";

/**
 * The parameter layout of every piece (index 0, the driver, has none), or the reason
 * this partition cannot be linked with parameters.
 */
export function tailLayouts(input: TailLinkInput, acyclic: (from: number, to: number) => boolean): { ok: true; layouts: TailLayout[] } | { ok: false; reason: string } {
  const { cfg, partition, types } = input;
  const pieceOf = partition.pieceOf;
  for (let b = 0; b < cfg.blockCount; b++) {
    const p = pieceOf[b]!;
    if (p < 0) continue;
    for (const t of allSuccessors(cfg, b)) {
      const q = pieceOf[t]!;
      if (q === p || q < 0) continue;
      if (q === 0) return { ok: false, reason: `block ${t} of the driver is entered from piece ${p}` };
      if (!acyclic(p, q)) return { ok: false, reason: `the transfer from piece ${p} to piece ${q} may repeat` };
    }
  }
  const shapeOf = cutShapes(input.frameAt, input.liveness, types);
  const { entries } = pieceEntries(cfg, partition);
  const md = parseMethodDescriptor(input.descriptor);
  const layouts: TailLayout[] = [emptyLayout()];
  const merge = (into: ParamValue | undefined, kind: number, type: number): ParamValue | "conflict" => {
    if (!into) return { kind, type };
    if (into.kind !== kind) return "conflict";
    if (kind === KIND_REF && into.type !== type) return { kind, type: -1 };
    return into;
  };
  for (let q = 1; q < partition.pieceBlocks.length; q++) {
    const locals: (ParamValue | undefined)[] = [];
    const wideHalf = new Set<number>();
    const stack: ParamValue[] = [];
    for (const e of entries[q]!) {
      const s = shapeOf(e);
      for (const l of s.locals) {
        if (l.type === NULL) continue;
        const m = merge(locals[l.slot], l.kind, l.type);
        if (m === "conflict" || wideHalf.has(l.slot) || (slotsOf(l.kind) === 2 && locals[l.slot + 1])) {
          return { ok: false, reason: `local ${l.slot} holds values of different kinds at the entries of piece ${q}` };
        }
        locals[l.slot] = m;
        if (slotsOf(l.kind) === 2) wideHalf.add(l.slot + 1);
      }
      for (let i = 0; i < s.stack.length; i++) {
        const v = s.stack[i]!;
        const m = merge(stack[i], v.kind, v.type === NULL ? -1 : v.type);
        if (m === "conflict") return { ok: false, reason: `the operand stack holds values of different kinds at the entries of piece ${q}` };
        stack[i] = m;
      }
    }
    let width = 0;
    locals.forEach((v, slot) => {
      if (v) width = Math.max(width, slot + slotsOf(v.kind));
    });
    const hasEntry = entries[q]!.length > 1;
    const descriptorOf = (v: ParamValue): string => {
      if (v.kind !== KIND_REF) return PRIMITIVE_DESCRIPTORS[v.kind]!;
      const name = v.type < 0 ? OBJECT : types.nameOf(v.type);
      return name.startsWith("[") ? name : `L${name};`;
    };
    let descriptor = "(";
    for (let slot = 0; slot < width; ) {
      const v = locals[slot];
      descriptor += v ? descriptorOf(v) : "I";
      slot += v ? slotsOf(v.kind) : 1;
    }
    for (const v of stack) descriptor += descriptorOf(v);
    if (hasEntry) descriptor += "I";
    descriptor += `)${md.returnType}`;
    const slots = width + stack.reduce((n, v) => n + slotsOf(v.kind), 0) + (hasEntry ? 1 : 0);
    if (slots > 255) return { ok: false, reason: `piece ${q} would take ${slots} parameter slots (at most 255)` };
    layouts.push({ locals, width, stack, hasEntry, descriptor, slots });
  }
  return { ok: true, layouts };
}

function emptyLayout(): TailLayout {
  return { locals: [], width: 0, stack: [], hasEntry: false, descriptor: "()V", slots: 0 };
}

export function linkTail(input: TailLinkInput, layouts: TailLayout[]): LinkedMethod {
  const { body, cfg, types, partition, cp } = input;
  const pieceOf = partition.pieceOf;
  const pieceCount = partition.pieceBlocks.length;
  const md = parseMethodDescriptor(input.descriptor);
  const returnOp = md.returnType === "V" ? Op.RETURN : Op.IRETURN + kindOfDescriptor(md.returnType);
  let labelCount = body.labelCount;
  const newLabel = (): Label => labelCount++;
  const shapeOf = cutShapes(input.frameAt, input.liveness, types);
  const { entries, entryIndex } = pieceEntries(cfg, partition);
  const copyBlocks = blockCopier(body, cfg, partition, newLabel);
  const pushInt = (out: CodeNode[], v: number) => pushConstant(out, v, cp);
  const checkcastTo = (out: CodeNode[], type: number) => {
    const name = types.nameOf(type);
    if (name !== OBJECT) out.push({ kind: "cp", op: Op.CHECKCAST, index: cp.addClass(name) });
  };
  const callSites: CallSite[] = [];
  const owner = input.pieceOwner ?? { className: input.className, isInterface: false };
  const pieceRef = (q: number) =>
    cp.addMemberRef(owner.isInterface ? "InterfaceMethodref" : "Methodref", owner.className, input.pieceNames[q]!, layouts[q]!.descriptor);

  /** Where a body's temporaries start: past its own locals and parameters. */
  const stackSlotsOf = (L: TailLayout) => L.stack.reduce((n, v) => n + slotsOf(v.kind), 0);

  /**
   * Exit stubs of body `p` (caller `callerName`): per target block, the entry (when
   * the target piece has several) into a temporary and a jump to the stub shared by
   * every target that passes the same values, which spills the stack, pushes the
   * target's parameters, calls it and returns its result.
   */
  const emitExits = (out: CodeNode[], p: number, callerName: string, exitLabels: Map<number, Label>, tempBase: number) => {
    const groups = new Map<string, { label: Label; block: number }>();
    const entryTemp = tempBase;
    for (const [b, label] of exitLabels) {
      const q = pieceOf[b]!;
      const Lq = layouts[q]!;
      const s = shapeOf(b);
      const passed = new Set(s.locals.filter((l) => l.type !== NULL).map((l) => l.slot));
      const key = `${q}|${[...passed].sort((x, y) => x - y).join(",")}|${s.stack.length}`;
      let g = groups.get(key);
      if (!g) groups.set(key, (g = { label: newLabel(), block: b }));
      out.push({ kind: "label", label });
      if (Lq.hasEntry) {
        pushInt(out, entryIndex[b]!);
        out.push(local(Op.ISTORE, entryTemp));
      }
      out.push({ kind: "jump", op: Op.GOTO, target: g.label });
    }
    for (const g of groups.values()) {
      const b = g.block;
      const q = pieceOf[b]!;
      const Lq = layouts[q]!;
      const s: CutShape = shapeOf(b);
      out.push({ kind: "label", label: g.label });
      // Spill the stack, top first, into temporaries past the entry's.
      const stackTemp: number[] = [];
      let next = entryTemp + 1;
      for (const v of s.stack) {
        stackTemp.push(next);
        next += slotsOf(v.kind);
      }
      for (let i = s.stack.length - 1; i >= 0; i--) out.push(local(Op.ISTORE + s.stack[i]!.kind, stackTemp[i]!));
      const live = new Map(s.locals.filter((l) => l.type !== NULL).map((l) => [l.slot, l]));
      for (let slot = 0; slot < Lq.width; ) {
        const v = Lq.locals[slot];
        if (v && live.has(slot)) out.push(local(Op.ILOAD + v.kind, slot));
        else pushZero(out, v ? v.kind : 0);
        slot += v ? slotsOf(v.kind) : 1;
      }
      Lq.stack.forEach((v, i) => {
        if (i < s.stack.length) out.push(local(Op.ILOAD + v.kind, stackTemp[i]!));
        else pushZero(out, v.kind);
      });
      if (Lq.hasEntry) out.push(local(Op.ILOAD, entryTemp));
      const line = input.syntheticLine?.();
      if (line !== undefined) {
        out.push({ kind: "line", line });
        callSites.push({ caller: callerName, line, callee: input.pieceNames[q]!, calleeDescriptor: Lq.descriptor });
      }
      out.push({ kind: "cp", op: Op.INVOKESTATIC, index: pieceRef(q) });
      out.push(simple(returnOp));
    }
  };

  /** Temporaries of a body start past the original locals and its own parameters. */
  const tempBaseOf = (L: TailLayout) => Math.max(input.maxLocals, L.width + stackSlotsOf(L) + (L.hasEntry ? 1 : 0));

  // ---- pieces ----
  const pieces: LinkedMethod["pieces"] = [];
  for (let q = 1; q < pieceCount; q++) {
    const L = layouts[q]!;
    const out: CodeNode[] = [];
    const { labels: exitLabels, labelOf: exitLabel } = lazyLabels(newLabel);
    const stubs = entries[q]!.map(() => newLabel());
    const stackBase = L.width;
    if (L.hasEntry) {
      out.push(local(Op.ILOAD, stackBase + stackSlotsOf(L)));
      out.push({ kind: "tableswitch", low: 0, high: stubs.length - 1, defaultTarget: stubs[0]!, targets: stubs });
    }
    const blocksOut: CodeNode[] = [];
    const copied = copyBlocks(q, 0, blocksOut, exitLabel, (o, insn) => o.push(insn));
    entries[q]!.forEach((e, i) => {
      out.push({ kind: "label", label: stubs[i]! });
      const s = shapeOf(e);
      // The stack parameters first: a null local past `width` may share their slots.
      let slot = stackBase;
      s.stack.forEach((v, j) => {
        if (v.type === NULL) out.push(simple(Op.ACONST_NULL));
        else {
          out.push(local(Op.ILOAD + v.kind, slot));
          if (v.kind === KIND_REF && L.stack[j]!.type < 0) checkcastTo(out, v.type);
        }
        slot += slotsOf(v.kind);
      });
      for (const l of s.locals) {
        if (l.type === NULL) {
          out.push(simple(Op.ACONST_NULL));
          out.push(local(Op.ASTORE, l.slot));
        } else if (l.kind === KIND_REF && L.locals[l.slot]!.type < 0 && types.nameOf(l.type) !== OBJECT) {
          out.push(local(Op.ALOAD, l.slot));
          checkcastTo(out, l.type);
          out.push(local(Op.ASTORE, l.slot));
        }
      }
      out.push({ kind: "jump", op: Op.GOTO, target: copied.blockLabel(e) });
    });
    out.push(...blocksOut);
    emitExits(out, q, input.pieceNames[q]!, exitLabels, tempBaseOf(L));
    pieces.push({ name: input.pieceNames[q]!, descriptor: L.descriptor, body: newBody(body, out, copied) });
  }

  // ---- the driver: its own blocks, leaving through the same stubs ----
  const out: CodeNode[] = [];
  const { labels: exitLabels, labelOf: exitLabel } = lazyLabels(newLabel);
  if (pieceOf[0] !== 0) out.push({ kind: "jump", op: Op.GOTO, target: exitLabel(0) });
  const copied = copyBlocks(0, 0, out, exitLabel, (o, insn) => o.push(insn));
  emitExits(out, 0, input.driverName, exitLabels, input.maxLocals);
  const driver = newBody(body, out, copied);
  driver.labelCount = labelCount;
  for (const piece of pieces) piece.body.labelCount = labelCount;
  return { driver, pieces, kinds: [], callSites };
}
