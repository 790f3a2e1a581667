/**
 * Link: writes the code of a partitioned method, the driver (the original method's
 * new body) and one body per piece, re-coding every transfer between pieces so the
 * stack never grows without bound (docs/design/splitter.md).
 *
 * Shape (JVMS 2.6 frames, 4.10.1 verification):
 * - Every piece is `static int piece(int entry, <frame arrays>)`. The frame arrays
 *   (`int[] long[] float[] double[] Object[]`, only the kinds the method moves) hold
 *   what crosses a cut: local slot n at index n, operand-stack slot i at
 *   `maxLocals + i`, the return value at `returnIndex`.
 * - A piece starts with a `tableswitch` on `entry` (when it has several entries);
 *   each entry loads the locals live into its block (typed by the frame analysis,
 *   `checkcast` for references), pushes any spilled stack, and jumps to the block.
 *   Piece code keeps the original local numbering shifted past the parameters.
 * - A transfer to a block of another piece goes through an exit stub of the source
 *   piece: spill the stack, store the live locals, then either return the target's
 *   code `(piece << 16) | entry` (`switch` mode) or, for a transfer that cannot
 *   repeat, call the target piece and return its result (`direct` mode). A
 *   `return` in a piece stores its value and returns -1.
 * - The driver allocates the arrays, runs its own blocks with their original local
 *   numbering, and loops: it calls the piece a code names and takes the code it
 *   returns, until -1, when it returns the stored value. Its own blocks are entered
 *   from the loop like any piece's.
 * - Exception ranges are reproduced per piece over its own blocks, in table order;
 *   a handler in another piece is reached through the exit stub of its block,
 *   which spills the caught exception like any stack value.
 * Unreachable blocks are dropped. Frames are not written here: the stackmap pass
 * recomputes them for every body. Cost: linear in the method plus the stubs.
 */
import type { CodeNode, Instruction, Label, MethodBody } from "../../src/bytecode/model.js";
import { Op } from "../../src/bytecode/opcodes.js";
import { parseMethodDescriptor } from "../../src/bytecode/descriptors.js";
import type { ConstantPool } from "../../src/classfile/constant-pool.js";
import type { ControlFlowGraph } from "../cfg.js";
import { opcodeOf } from "../cfg.js";
import { NULL, type Frame, type TypeTable } from "../frames.js";
import { blockCopier, cutShapes, lazyLabels, localsOfBlocks, newBody as newBodyOf, pieceEntries } from "./blocks.js";
import { allSuccessors } from "../core/loops.js";
import {
  ARRAY_DESCRIPTORS,
  KIND_DOUBLE,
  KIND_LONG,
  KIND_REF,
  kindOfDescriptor,
  local,
  NEWARRAY_TYPE,
  pushInt as pushConstant,
  pushZero,
  simple,
} from "./frame-arrays.js";
import { isLive, type Liveness } from "../liveness.js";
import type { Partition } from "../core/partition.js";

export const name = "link";
export const description = "write the driver and the pieces of a partitioned method, re-coding transfers between pieces";

export type LinkMode = "switch" | "direct";

export interface LinkInput {
  body: MethodBody;
  cfg: ControlFlowGraph;
  /** Types at the entry of a block (its first instruction), from the frame analysis. */
  frameAt(block: number): Frame;
  types: TypeTable;
  liveness: Liveness;
  partition: Extract<Partition, { ok: true }>;
  cp: ConstantPool;
  className: string;
  /**
   * The class holding the pieces and dispatchers, and whether it is an interface
   * (calls into an interface's methods need InterfaceMethodref, JVMS 4.4.2);
   * default: `className`, a class.
   */
  pieceOwner?: { className: string; isInterface: boolean };
  /** The original method's descriptor and whether it is static. */
  descriptor: string;
  isStatic: boolean;
  /** max_locals of the original body (the frame's local area). */
  maxLocals: number;
  /** Largest stack height at any cut (the frame's spill area). */
  maxSpill: number;
  /** Names of pieces 1..n (index 0 unused). */
  pieceNames: string[];
  /** Name of the method whose body becomes the driver. */
  driverName: string;
  mode: LinkMode;
  /** In `direct` mode: whether piece `from` may call piece `to` (the transfer cannot repeat). */
  directOk?: (from: number, to: number) => boolean;
  /** Most pieces the driver calls itself; beyond, it calls dispatcher methods. */
  flatDispatch?: number;
  /** Pieces per dispatcher method. */
  dispatchGroup?: number;
  /**
   * For a direct transfer into piece `piece` at `entry` (of `entries`): an
   * InvokeDynamic constant binding the entry (`indy` linking), or undefined for
   * a plain `invokestatic` with the entry as argument.
   */
  indyCallSite?: (piece: number, entry: number, entries: number, pieceDescriptor: string) => number | undefined;
  /**
   * A fresh line number above every real line of the class, given to each call
   * into a piece or dispatcher so a retrace tool can tell the call sites apart
   * (R8's outline call sites). Without it, call sites carry no line of their own.
   */
  syntheticLine?: () => number | undefined;
  /** Fresh name of dispatcher method k (k >= 1). */
  dispatcherName?: (k: number) => string;
}

/** A call from one written method into a piece or dispatcher, at a synthetic line. */
export interface CallSite {
  /** Name of the calling method: the driver (the original name) or a piece. */
  caller: string;
  line: number;
  callee: string;
  calleeDescriptor: string;
}

export interface LinkedMethod {
  driver: MethodBody;
  pieces: { name: string; descriptor: string; body: MethodBody }[];
  /** The frame-array kinds in use, in parameter order. */
  kinds: number[];
  callSites: CallSite[];
}

export function linkMethod(input: LinkInput): LinkedMethod {
  const { body, cfg, types, liveness, partition, cp } = input;
  const nodes = body.nodes;
  const pieceCount = partition.pieceBlocks.length;
  const md = parseMethodDescriptor(input.descriptor);
  const returnKind = md.returnType === "V" ? -1 : kindOfDescriptor(md.returnType);
  const spillBase = input.maxLocals;
  const returnIndex = spillBase + input.maxSpill;
  const frameLength = returnIndex + 2;
  let labelCount = body.labelCount;
  const newLabel = (): Label => labelCount++;

  // ---- what crosses each cut ----
  const shapeOf = cutShapes(input.frameAt, liveness, types);
  const pieceOf = partition.pieceOf;
  const { entries, isEntry, entryIndex } = pieceEntries(cfg, partition);
  const codeOf = (b: number): number => (pieceOf[b]! << 16) | entryIndex[b]!;

  // Which kinds of array the method needs.
  const used = new Set<number>();
  for (let b = 0; b < cfg.blockCount; b++) {
    if (!isEntry[b]) continue;
    const s = shapeOf(b);
    for (const l of s.locals) used.add(l.kind);
    for (const v of s.stack) used.add(v.kind);
  }
  if (returnKind >= 0 && pieceCount > 1) used.add(returnKind);
  const kinds = [...used].sort((a, b) => a - b);
  const pieceDescriptor = `(I${kinds.map((k) => ARRAY_DESCRIPTORS[k]).join("")})I`;

  const objectClassIndex = new Map<number, number>();
  const classIndexOf = (t: number): number => {
    let i = objectClassIndex.get(t);
    if (i === undefined) objectClassIndex.set(t, (i = cp.addClass(types.nameOf(t))));
    return i;
  };
  const pushInt = (out: CodeNode[], v: number) => pushConstant(out, v, cp);

  /** Per body: where the arrays live, how original locals are shifted, where temps are. */
  interface Layout {
    arraySlot: number[]; // by kind
    shift: number;
    /** Two slots for a value being spilled, then one for the exit code. */
    temp: number;
  }

  const emitLoadValue = (out: CodeNode[], L: Layout, kind: number, type: number, index: number) => {
    out.push(local(Op.ALOAD, L.arraySlot[kind]!));
    pushInt(out, index);
    out.push(simple(Op.IALOAD + kind));
    if (kind === KIND_REF && type !== NULL && types.nameOf(type) !== "java/lang/Object") {
      out.push({ kind: "cp", op: Op.CHECKCAST, index: classIndexOf(type) });
    }
  };

  // Which locals travel at each transfer. The frame arrays keep values between
  // transfers, so a body stores at an exit only the live locals it may have written
  // on the way there (the blocks that reach the exit), and loads at an entry only
  // what the blocks it reaches read or write, or may store at an exit they reach
  // (so every path has a value to store). The driver writes the parameters at the
  // method's start. Sets are per block, so a case of an interpreter's switch moves
  // only the registers that case touches.
  const width = input.maxLocals + 2;
  const paramSlots = md.paramSlots + (input.isStatic ? 0 : 1);
  const blockLocals = localsOfBlocks(body, cfg);
  const useOf: (number[] | undefined)[] = new Array(cfg.blockCount);
  const defOf: (number[] | undefined)[] = new Array(cfg.blockCount);
  for (let b = 0; b < cfg.blockCount; b++) {
    if (pieceOf[b]! < 0) continue;
    const u = blockLocals.reads[b]!;
    const d = blockLocals.writes[b]!.slice();
    if (b === 0) for (let k = 0; k < paramSlots; k++) d.push(k);
    useOf[b] = u;
    defOf[b] = d;
  }
  const succsIn = (b: number): number[] => allSuccessors(cfg, b);
  /** Per body and exit target: the locals stored there. */
  const savedAt: Map<number, Uint8Array>[] = [];
  /** Per entry block: the locals loaded there. */
  const loadedAt = new Map<number, Uint8Array>();
  for (let p = 0; p < pieceCount; p++) {
    const blocks = partition.pieceBlocks[p]!;
    const preds = new Map<number, number[]>();
    const exitsFrom = new Map<number, number[]>();
    for (const b of blocks) {
      for (const t of succsIn(b)) {
        if (pieceOf[t] === p) preds.set(t, [...(preds.get(t) ?? []), b]);
        else exitsFrom.set(b, [...(exitsFrom.get(b) ?? []), t]);
      }
    }
    const targets = new Map<number, Uint8Array>();
    const sourcesOf = new Map<number, number[]>();
    for (const [b, ts] of exitsFrom) for (const t of ts) sourcesOf.set(t, [...(sourcesOf.get(t) ?? []), b]);
    if (p === 0 && pieceOf[0] !== 0) sourcesOf.set(0, [...(sourcesOf.get(0) ?? []), -1]);
    for (const [t, sources] of sourcesOf) {
      const written = new Uint8Array(width);
      const seen = new Set<number>();
      const work = sources.filter((x) => x >= 0);
      if (sources.includes(-1)) for (let k = 0; k < paramSlots; k++) written[k] = 1;
      while (work.length > 0) {
        const b = work.pop()!;
        if (seen.has(b)) continue;
        seen.add(b);
        for (const x of defOf[b]!) written[x] = 1;
        for (const q of preds.get(b) ?? []) work.push(q);
      }
      const live = liveness.liveIn[t]!;
      for (let x = 0; x < width; x++) if (written[x] && !isLive(live, x)) written[x] = 0;
      targets.set(t, written);
    }
    savedAt.push(targets);
    for (const e of entries[p]!) {
      const need = new Uint8Array(width);
      const seen = new Set<number>();
      const work = [e];
      while (work.length > 0) {
        const b = work.pop()!;
        if (seen.has(b)) continue;
        seen.add(b);
        for (const x of useOf[b]!) need[x] = 1;
        for (const x of defOf[b]!) need[x] = 1;
        for (const t of exitsFrom.get(b) ?? []) {
          const st = targets.get(t)!;
          for (let x = 0; x < width; x++) if (st[x]) need[x] = 1;
        }
        for (const t of succsIn(b)) if (pieceOf[t] === p) work.push(t);
      }
      loadedAt.set(e, need);
    }
  }
  // Locals only the driver writes, always with one kind (an interpreter's arrays,
  // a loop bound): the driver writes each store of one through to the frame (and
  // the parameters at its start), so no exit stores them and no driver entry
  // reloads them; its own local stays right across every call. They are set to a
  // zero or null at the start, so the verifier sees them assigned at the loop.
  const owned = new Uint8Array(width);
  const ownedKind = new Int8Array(width).fill(-1);
  {
    const conflict = new Uint8Array(width);
    const note = (x: number, kind: number) => {
      if (ownedKind[x]! >= 0 && ownedKind[x] !== kind) conflict[x] = 1;
      ownedKind[x] = kind;
      if (kind === KIND_LONG || kind === KIND_DOUBLE) conflict[x + 1] = 1;
    };
    const paramKinds = [...(input.isStatic ? [] : [KIND_REF]), ...md.params.map((d) => kindOfDescriptor(d))];
    let slot = 0;
    for (const k of paramKinds) {
      note(slot, k);
      slot += k === KIND_LONG || k === KIND_DOUBLE ? 2 : 1;
    }
    for (const n of nodes) {
      if (n.kind === "iinc") note(n.index, 0);
      else if (n.kind === "local" && n.op >= Op.ISTORE && n.op <= Op.ASTORE) note(n.index, n.op - Op.ISTORE);
    }
    const writtenInPieces = new Uint8Array(width);
    for (let b = 0; b < cfg.blockCount; b++) if (pieceOf[b]! > 0) for (const x of defOf[b]!) writtenInPieces[x] = 1;
    for (let x = 0; x < input.maxLocals; x++) owned[x] = ownedKind[x]! >= 0 && !conflict[x] && !writtenInPieces[x] ? 1 : 0;
    // `this` of a constructor is uninitialized at the start: it travels as before.
    if (input.driverName === "<init>") owned[0] = 0;
    for (const st of savedAt[0]!.values()) for (let x = 0; x < width; x++) if (owned[x]) st[x] = 0;
  }
  /** Owned locals some piece loads: written through to the frame. */
  const writeThrough = new Uint8Array(width);
  for (let p = 1; p < pieceCount; p++) for (const e of entries[p]!) for (const l of shapeOf(e).locals) if (owned[l.slot] && loadedAt.get(e)![l.slot]) writeThrough[l.slot] = 1;

  // The driver's own locals outlive its calls: a parameter that no piece stores and
  // nothing writes again in the driver still holds its value, with its declared
  // type, when control comes back, so it is neither loaded nor narrowed.
  {
    const storedByPieces = new Uint8Array(width);
    for (let p = 1; p < pieceCount; p++) for (const st of savedAt[p]!.values()) for (let x = 0; x < width; x++) if (st[x]) storedByPieces[x] = 1;
    const writtenInDriver = new Uint8Array(width);
    for (let b = 0; b < cfg.blockCount; b++) if (pieceOf[b] === 0) for (const x of blockLocals.writes[b]!) writtenInDriver[x] = 1;
    for (const e of entries[0]!) {
      const need = loadedAt.get(e)!;
      for (let x = 0; x < paramSlots; x++) if (!storedByPieces[x] && !writtenInDriver[x]) need[x] = 0;
    }
  }

  /** `frame[x] = local x` */
  const emitWriteThrough = (out: CodeNode[], L: Layout, x: number, kind: number) => {
    out.push(local(Op.ALOAD, L.arraySlot[kind]!));
    pushInt(out, x);
    out.push(local(Op.ILOAD + kind, x));
    out.push(simple(Op.IASTORE + kind));
  };

  /** Entry stub of body `p`: loads what block `b` needs, then jumps to it. */
  const emitEntry = (out: CodeNode[], L: Layout, b: number, target: Label, p: number) => {
    const s = shapeOf(b);
    for (const l of s.locals) {
      if (p === 0 && owned[l.slot]) {
        if (l.kind !== KIND_REF || !loadedAt.get(b)?.[l.slot]) continue;
        // Still right, but typed by the loop's merge: narrow it again for the block.
        if (l.type === NULL) out.push(simple(Op.ACONST_NULL));
        else if (types.nameOf(l.type) === "java/lang/Object") continue;
        else {
          out.push(local(Op.ALOAD, l.slot));
          out.push({ kind: "cp", op: Op.CHECKCAST, index: classIndexOf(l.type) });
        }
        out.push(local(Op.ASTORE, l.slot));
        continue;
      }
      if (!loadedAt.get(b)?.[l.slot]) continue;
      if (l.type === NULL) out.push(simple(Op.ACONST_NULL));
      else emitLoadValue(out, L, l.kind, l.type, l.slot);
      out.push(local(Op.ISTORE + l.kind, l.slot + L.shift));
    }
    let depth = 0;
    for (const v of s.stack) {
      if (v.type === NULL) out.push(simple(Op.ACONST_NULL));
      else emitLoadValue(out, L, v.kind, v.type, spillBase + depth);
      depth += v.kind === KIND_LONG || v.kind === KIND_DOUBLE ? 2 : 1;
    }
    out.push({ kind: "jump", op: Op.GOTO, target });
  };

  /** The live locals of block `b` that body `p` stores when it leaves for `b`. */
  const savedLocals = (b: number, p: number) => shapeOf(b).locals.filter((l) => savedAt[p]!.get(b)?.[l.slot]);

  /** Exit stub body of body `p`: spills the stack and stores the live locals of block `b` it wrote. */
  const emitSaves = (out: CodeNode[], L: Layout, b: number, p: number) => {
    const s = shapeOf(b);
    let depth = 0;
    for (const v of s.stack) depth += v.kind === KIND_LONG || v.kind === KIND_DOUBLE ? 2 : 1;
    for (let i = s.stack.length - 1; i >= 0; i--) {
      const v = s.stack[i]!;
      depth -= v.kind === KIND_LONG || v.kind === KIND_DOUBLE ? 2 : 1;
      out.push(local(Op.ISTORE + v.kind, L.temp));
      out.push(local(Op.ALOAD, L.arraySlot[v.kind]!));
      pushInt(out, spillBase + depth);
      out.push(local(Op.ILOAD + v.kind, L.temp));
      out.push(simple(Op.IASTORE + v.kind));
    }
    for (const l of savedLocals(b, p)) {
      out.push(local(Op.ALOAD, L.arraySlot[l.kind]!));
      pushInt(out, l.slot);
      out.push(local(Op.ILOAD + l.kind, l.slot + L.shift));
      out.push(simple(Op.IASTORE + l.kind));
    }
  };

  /**
   * Exit stubs: per target, push its code (or entry) and jump to a stub shared by
   * every target that stores the same values and leaves the same way, which saves
   * them, takes the code back and leaves. A switch whose cases lie in other pieces
   * then costs a few bytes per case, not a store sequence per case.
   */
  const emitExits = (
    out: CodeNode[],
    L: Layout,
    p: number,
    exitLabels: Map<number, Label>,
    how: (b: number) => { push?: number; key: string; tail: (out: CodeNode[]) => void },
  ) => {
    const groups = new Map<string, { label: Label; block: number; carries: boolean; tail: (out: CodeNode[]) => void }>();
    for (const [b, label] of exitLabels) {
      const h = how(b);
      const s = shapeOf(b);
      const key = `${h.key}|${savedLocals(b, p).map((l) => `${l.slot}:${l.kind}`).join(",")}|${s.stack.map((v) => v.kind).join(",")}`;
      let g = groups.get(key);
      if (!g) groups.set(key, (g = { label: newLabel(), block: b, carries: h.push !== undefined, tail: h.tail }));
      out.push({ kind: "label", label });
      if (h.push !== undefined) pushInt(out, h.push);
      out.push({ kind: "jump", op: Op.GOTO, target: g.label });
    }
    for (const g of groups.values()) {
      out.push({ kind: "label", label: g.label });
      if (g.carries) out.push(local(Op.ISTORE, L.temp + 2));
      emitSaves(out, L, g.block, p);
      if (g.carries) out.push(local(Op.ILOAD, L.temp + 2));
      g.tail(out);
    }
  };

  const pushArrays = (out: CodeNode[], L: Layout) => {
    for (const k of kinds) out.push(local(Op.ALOAD, L.arraySlot[k]!));
  };
  const owner = input.pieceOwner ?? { className: input.className, isInterface: false };
  const ownerRef = (name: string) => cp.addMemberRef(owner.isInterface ? "InterfaceMethodref" : "Methodref", owner.className, name, pieceDescriptor);
  const pieceRef = (p: number) => ownerRef(input.pieceNames[p]!);
  const callSites: CallSite[] = [];
  /** Marks the next instruction as a call site of `caller` into `callee` (a synthetic line). */
  const callSite = (out: CodeNode[], caller: string, callee: string) => {
    const line = input.syntheticLine?.();
    if (line === undefined) return;
    out.push({ kind: "line", line });
    callSites.push({ caller, line, callee, calleeDescriptor: pieceDescriptor });
  };

  const copyBlocks = blockCopier(body, cfg, partition, newLabel);
  const emitBlocks = (p: number, L: Layout, out: CodeNode[], exitLabel: (b: number) => Label, emitReturn: (out: CodeNode[], insn: Instruction) => void) =>
    copyBlocks(p, L.shift, out, exitLabel, emitReturn);
  const newBody = (nodesOut: CodeNode[], parts: Parameters<typeof newBodyOf>[2]): MethodBody => newBodyOf(body, nodesOut, parts);

  // ---- pieces ----
  const pieces: LinkedMethod["pieces"] = [];
  for (let p = 1; p < pieceCount; p++) {
    const arraySlot: number[] = [];
    kinds.forEach((k, i) => (arraySlot[k] = 1 + i));
    const shift = 1 + kinds.length;
    const L: Layout = { arraySlot, shift, temp: shift + input.maxLocals };
    const out: CodeNode[] = [];
    const { labels: exitLabels, labelOf: exitLabel } = lazyLabels(newLabel);
    const entryStubs = entries[p]!.map(() => newLabel());
    if (entryStubs.length > 1) {
      out.push(local(Op.ILOAD, 0));
      out.push({ kind: "tableswitch", low: 0, high: entryStubs.length - 1, defaultTarget: entryStubs[0]!, targets: entryStubs });
    }
    const blocksOut: CodeNode[] = [];
    const emitted = emitBlocks(p, L, blocksOut, exitLabel, (o, insn) => {
      if (opcodeOf(insn) !== Op.RETURN) {
        o.push(local(Op.ISTORE + returnKind, L.temp));
        o.push(local(Op.ALOAD, L.arraySlot[returnKind]!));
        pushInt(o, returnIndex);
        o.push(local(Op.ILOAD + returnKind, L.temp));
        o.push(simple(Op.IASTORE + returnKind));
      }
      o.push(simple(Op.ICONST_M1));
      o.push(simple(Op.IRETURN));
    });
    entries[p]!.forEach((b, i) => {
      out.push({ kind: "label", label: entryStubs[i]! });
      emitEntry(out, L, b, emitted.blockLabel(b), p);
    });
    out.push(...blocksOut);
    emitExits(out, L, p, exitLabels, (b) => {
      const q = pieceOf[b]!;
      if (input.mode === "direct" && q !== 0 && input.directOk?.(p, q)) {
        const site = input.indyCallSite?.(q, entryIndex[b]!, entries[q]!.length, pieceDescriptor);
        if (site !== undefined) {
          return { key: `indy${q}:${entryIndex[b]}`, tail: (t) => {
            pushArrays(t, L);
            callSite(t, input.pieceNames[p]!, input.pieceNames[q]!);
            t.push({ kind: "invokedynamic", index: site });
            t.push(simple(Op.IRETURN));
          } };
        }
        return { push: entryIndex[b]!, key: `call${q}`, tail: (t) => {
          pushArrays(t, L);
          callSite(t, input.pieceNames[p]!, input.pieceNames[q]!);
          t.push({ kind: "cp", op: Op.INVOKESTATIC, index: pieceRef(q) });
          t.push(simple(Op.IRETURN));
        } };
      }
      return { push: codeOf(b), key: "return", tail: (t) => t.push(simple(Op.IRETURN)) };
    });
    pieces.push({
      name: input.pieceNames[p]!,
      descriptor: pieceDescriptor,
      body: newBody(out, emitted),
    });
  }

  /** `static int dispatch(int code, arrays)`: calls the piece the code names, among first..last. */
  function dispatcherBody(first: number, last: number, self: string): MethodBody {
    const d: CodeNode[] = [];
    const dArray: number[] = [];
    kinds.forEach((k, i) => (dArray[k] = 1 + i));
    const targets = Array.from({ length: last - first + 1 }, () => newLabel());
    const fallback = newLabel();
    d.push(local(Op.ILOAD, 0));
    d.push({ kind: "int", op: Op.BIPUSH, value: 16 });
    d.push(simple(Op.IUSHR));
    d.push({ kind: "tableswitch", low: first, high: last, defaultTarget: fallback, targets });
    for (let p = first; p <= last; p++) {
      d.push({ kind: "label", label: targets[p - first]! });
      d.push(local(Op.ILOAD, 0));
      pushInt(d, 0xffff);
      d.push(simple(Op.IAND));
      for (const k of kinds) d.push(local(Op.ALOAD, dArray[k]!));
      callSite(d, self, input.pieceNames[p]!);
      d.push({ kind: "cp", op: Op.INVOKESTATIC, index: pieceRef(p) });
      d.push(simple(Op.IRETURN));
    }
    d.push({ kind: "label", label: fallback });
    d.push(local(Op.ILOAD, 0));
    d.push(simple(Op.IRETURN));
    return newBody(d, { handlers: [] });
  }

  // ---- the driver ----
  const out: CodeNode[] = [];
  const arraySlot: number[] = [];
  kinds.forEach((k, i) => (arraySlot[k] = input.maxLocals + i));
  const codeSlot = input.maxLocals + kinds.length;
  const L: Layout = { arraySlot, shift: 0, temp: codeSlot + 1 };
  for (const k of kinds) {
    pushInt(out, frameLength);
    if (k === KIND_REF) out.push({ kind: "cp", op: Op.ANEWARRAY, index: cp.addClass("java/lang/Object") });
    else out.push({ kind: "int", op: Op.NEWARRAY, value: NEWARRAY_TYPE[k]! });
    out.push(local(Op.ASTORE, arraySlot[k]!));
  }
  const loop = newLabel();
  const { labels: exitLabels, labelOf: exitLabel } = lazyLabels(newLabel);
  for (let x = 0; x < input.maxLocals; x++) {
    if (!owned[x]) continue;
    const k = ownedKind[x]!;
    if (x < paramSlots) {
      if (writeThrough[x]) emitWriteThrough(out, L, x, k);
    } else if (entries[0]!.some((e) => isLive(liveness.liveIn[e]!, x))) {
      pushZero(out, k);
      out.push(local(Op.ISTORE + k, x));
    }
  }
  if (pieceOf[0] !== 0) out.push({ kind: "jump", op: Op.GOTO, target: exitLabel(0) });
  const driverEntryStubs = entries[0]!.map(() => newLabel());
  const blocksFrom = out.length;
  const emitted = emitBlocks(0, L, out, exitLabel, (o, insn) => o.push(insn));
  // Every store of a written-through local is followed by its copy into the frame.
  for (let i = out.length - 1; i >= blocksFrom; i--) {
    const n = out[i]!;
    const x = n.kind === "iinc" ? n.index : n.kind === "local" && n.op >= Op.ISTORE && n.op <= Op.ASTORE ? n.index : -1;
    if (x < 0 || !writeThrough[x]) continue;
    const copy: CodeNode[] = [];
    emitWriteThrough(copy, L, x, ownedKind[x]!);
    out.splice(i + 1, 0, ...copy);
  }
  emitExits(out, L, 0, exitLabels, (b) => ({
    push: codeOf(b),
    key: "loop",
    tail: (t) => {
      t.push(local(Op.ISTORE, codeSlot));
      t.push({ kind: "jump", op: Op.GOTO, target: loop });
    },
  }));
  const ret = newLabel();
  // The dispatch: a call site per piece, or, when that would crowd the driver,
  // one per group of pieces through dispatcher methods (a two-level table).
  const group = input.dispatchGroup ?? pieceCount;
  const grouped = pieceCount - 1 > (input.flatDispatch ?? pieceCount);
  const slots = grouped ? 1 + Math.ceil((pieceCount - 1) / group) : pieceCount;
  const calls = Array.from({ length: slots }, () => newLabel());
  out.push({ kind: "label", label: loop });
  out.push(local(Op.ILOAD, codeSlot));
  out.push({ kind: "jump", op: Op.IFLT, target: ret });
  out.push(local(Op.ILOAD, codeSlot));
  out.push({ kind: "int", op: Op.BIPUSH, value: 16 });
  out.push(simple(Op.IUSHR));
  if (grouped) {
    // piece 0 -> slot 0; pieces 1..group -> slot 1; ...
    pushInt(out, group - 1);
    out.push(simple(Op.IADD));
    pushInt(out, group);
    out.push(simple(Op.IDIV));
  }
  out.push({ kind: "tableswitch", low: 0, high: slots - 1, defaultTarget: ret, targets: calls });
  // Entries into the driver's own blocks.
  out.push({ kind: "label", label: calls[0]! });
  if (driverEntryStubs.length > 0) {
    out.push(local(Op.ILOAD, codeSlot));
    pushInt(out, 0xffff);
    out.push(simple(Op.IAND));
    out.push({ kind: "tableswitch", low: 0, high: driverEntryStubs.length - 1, defaultTarget: driverEntryStubs[0]!, targets: driverEntryStubs });
    entries[0]!.forEach((b, i) => {
      out.push({ kind: "label", label: driverEntryStubs[i]! });
      emitEntry(out, L, b, emitted.blockLabel(b), 0);
    });
  } else {
    out.push({ kind: "jump", op: Op.GOTO, target: ret });
  }
  for (let slot = 1; slot < slots; slot++) {
    out.push({ kind: "label", label: calls[slot]! });
    out.push(local(Op.ILOAD, codeSlot));
    if (!grouped) {
      pushInt(out, 0xffff);
      out.push(simple(Op.IAND));
    }
    pushArrays(out, L);
    if (grouped) {
      const first = 1 + (slot - 1) * group;
      const last = Math.min(pieceCount - 1, first + group - 1);
      const name = input.dispatcherName!(slot);
      pieces.push({ name, descriptor: pieceDescriptor, body: dispatcherBody(first, last, name) });
      callSite(out, input.driverName, name);
      out.push({ kind: "cp", op: Op.INVOKESTATIC, index: ownerRef(name) });
    } else {
      callSite(out, input.driverName, input.pieceNames[slot]!);
      out.push({ kind: "cp", op: Op.INVOKESTATIC, index: pieceRef(slot) });
    }
    out.push(local(Op.ISTORE, codeSlot));
    out.push({ kind: "jump", op: Op.GOTO, target: loop });
  }
  out.push({ kind: "label", label: ret });
  if (returnKind < 0) out.push(simple(Op.RETURN));
  else {
    const rt = md.returnType;
    out.push(local(Op.ALOAD, arraySlot[returnKind]!));
    pushInt(out, returnIndex);
    out.push(simple(Op.IALOAD + returnKind));
    if (returnKind === KIND_REF && rt !== "Ljava/lang/Object;") {
      out.push({ kind: "cp", op: Op.CHECKCAST, index: cp.addClass(rt[0] === "L" ? rt.slice(1, -1) : rt) });
    }
    out.push(simple(Op.IRETURN + returnKind));
  }

  const driver = newBody(out, emitted);
  driver.labelCount = labelCount;
  for (const piece of pieces) piece.body.labelCount = labelCount;
  return { driver, pieces, kinds, callSites };
}
