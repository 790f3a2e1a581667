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
 *   A piece of one entry whose block finds one `int` on the stack (a bucket's
 *   switch key) and whose driver calls it straight takes that int as its `entry`
 *   argument instead (`takesKey`): the driver's straight exits pass it without
 *   the frame's store and load.
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
 * - Region pieces (a dispatch loop's case regions, one piece each: partition.ts
 *   `regionPieces`): a piece only the driver transfers into is called right at the
 *   driver's exit into it (`directCall`). No code ever names such a piece, so its
 *   slot in the dispatch loop's switch (or in a dispatcher's) is a trap. After any
 *   call of a piece in a driver that calls straight, a piece that can only return
 *   to one driver block (the loop head) has its code dropped and the driver goes
 *   there (`emitAfterCall`).
 * - Exception ranges are reproduced per piece over its own blocks, in table order;
 *   a handler in another piece is reached through the exit stub of its block,
 *   which spills the caught exception like any stack value.
 * Unreachable blocks are dropped. Frames are not written here: the stackmap pass
 * recomputes them for every body. Cost: linear in the method plus the stubs.
 */
import type { CodeNode, Instruction, Label, MethodBody } from "../../src/bytecode/model.js";
import { Op } from "../../src/bytecode/opcodes.js";
import { assert } from "../../src/diagnostics.js";
import { opcodeOf } from "../cfg.js";
import { NULL } from "../frames.js";
import { blockCopier, type CopiedBlocks, lazyLabels, newBody as newBodyOf } from "./blocks.js";
import { emitLoadFromFrame, emitNewFrameArrays, emitReturnFromFrame, emitStoreToFrame, KIND_DOUBLE, KIND_INT, KIND_LONG, KIND_REF, local, pushInt as pushConstant, pushZero, simple } from "./frame-arrays.js";
import { type HeapFramePlan, planHeapFrame } from "./heap-frame-plan.js";
import { isLive } from "../liveness.js";
import { dispatcherCode, emitTrap, fastReturnTargets, onlyReturnBlock, piecesOnlyTheDriverEnters, STRAIGHT_CALL_PIECES } from "./driver-calls.js";
import type { CallSite, LinkedMethod, LinkedPiece, LinkInput } from "./link-types.js";
import { inLowSlots, residentLowSlots } from "./low-slots.js";
import { loopingBlocks, residentLocals, rewriteResidentAccesses, withoutResidentRows, type ResidentKinds } from "./resident-locals.js";

export const name = "link";
export const description = "write the driver and the pieces of a partitioned method, re-coding transfers between pieces";

/**
 * Links a planned partition. With `onPiece`, each piece goes to it as soon as it is
 * written (then the dispatchers, after the driver) and `pieces` comes back empty: a
 * caller that encodes there keeps one piece body alive at a time instead of all of
 * them (at 16 MB, thousands of bodies, about a gigabyte of nodes).
 */
export function linkMethod(input: LinkInput, onPiece?: (piece: LinkedPiece) => void): LinkedMethod {
  const plan = planHeapFrame(input);
  const w = new HeapFrameWriter(input, plan);
  const pieces: LinkedPiece[] = [];
  for (let p = 1; p < input.partition.pieceBlocks.length; p++) {
    const piece = w.piece(p);
    if (!onPiece) pieces.push(piece);
    else {
      // Its labels are all allocated by now: later ones belong to other bodies.
      piece.body.labelCount = w.labelCount;
      onPiece(piece);
    }
  }
  const driver = w.driver(pieces);
  driver.labelCount = w.labelCount;
  for (const piece of pieces) piece.body.labelCount = w.labelCount;
  if (onPiece) {
    for (const dispatcher of pieces) onPiece(dispatcher);
    pieces.length = 0;
  }
  return { driver, pieces, kinds: plan.kinds, callSites: w.callSites };
}

/** Per body: where the arrays live, how original locals are shifted, where temps are. */
interface Layout {
  arraySlot: number[]; // by kind
  shift: number;
  /** Two slots for a value being spilled, then one for the exit code. */
  temp: number;
  /** Locals a piece keeps in the frame arrays (resident-locals.ts): its stubs do not move them. */
  resident?: ResidentKinds;
}

/** The driver's call sites: labels by slot, and the slot that calls piece q. */
interface DispatchSlots {
  labels: Label[];
  grouped: boolean;
  group: number;
  slotOf(q: number): number;
  /** The point of piece q's call site after its first argument (for a piece that `takesKey`), made on first use. */
  keyCall(q: number): Label;
}

/**
 * How an exit group leaves: what each target pushes (`isCode`: a code
 * `(piece << 16) | entry`), the key of its group, and the group's tail.
 */
type ExitWay = { push?: number; isCode?: true; keepsStack?: true; key: string; tail: (out: CodeNode[]) => void };

/**
 * Writes the pieces, dispatchers and driver of a planned heap-frame link. Labels,
 * constants and synthetic lines are allocated in emission order, which fixes the
 * output bytes: keep the order of the calls.
 */
class HeapFrameWriter {
  labelCount: number;
  readonly callSites: CallSite[] = [];
  private readonly objectClassIndex = new Map<number, number>();
  private readonly copyBlocks: ReturnType<typeof blockCopier>;
  private readonly owner: { className: string; isInterface: boolean };
  private looping: Uint8Array | undefined;

  constructor(
    private readonly input: LinkInput,
    private readonly plan: HeapFramePlan,
  ) {
    this.labelCount = input.body.labelCount;
    this.owner = input.pieceOwner ?? { className: input.className, isInterface: false };
    this.copyBlocks = blockCopier(input.body, input.cfg, input.partition, this.newLabel);
  }

  private readonly newLabel = (): Label => this.labelCount++;

  private pushInt(out: CodeNode[], v: number): void {
    pushConstant(out, v, this.input.cp);
  }

  private classIndexOf(t: number): number {
    let i = this.objectClassIndex.get(t);
    if (i === undefined) this.objectClassIndex.set(t, (i = this.input.cp.addClass(this.input.types.nameOf(t))));
    return i;
  }

  /** The code a body returns to send control to block `b`: `(piece << 16) | entry`. */
  private codeOf(b: number): number {
    return (this.input.partition.pieceOf[b]! << 16) | this.plan.entryIndex[b]!;
  }

  private emitLoadValue(out: CodeNode[], L: Layout, kind: number, type: number, index: number): void {
    const cast = kind === KIND_REF && type !== NULL && this.input.types.nameOf(type) !== "java/lang/Object";
    emitLoadFromFrame(out, L.arraySlot, kind, index, this.input.cp, cast ? () => this.classIndexOf(type) : undefined);
  }

  /** `frame[x] = local x` */
  private emitWriteThrough(out: CodeNode[], L: Layout, x: number, kind: number): void {
    emitStoreToFrame(out, L.arraySlot, kind, x, x, this.input.cp);
  }

  /**
   * Entry stub of body `p`: loads what block `b` needs, then jumps to it; with
   * `keyArg`, its one stack value is the `entry` argument (`takesKey`).
   */
  private emitEntry(out: CodeNode[], L: Layout, b: number, target: Label, p: number, keyArg = false): void {
    const { shapeOf, owned, loadedAt, spillBase } = this.plan;
    const types = this.input.types;
    const s = shapeOf(b);
    for (const l of s.locals) {
      if (p === 0 && owned[l.slot]) {
        if (l.kind !== KIND_REF || !loadedAt.get(b)?.[l.slot]) continue;
        // Still right, but typed by the loop's merge: narrow it again for the block.
        if (l.type === NULL) out.push(simple(Op.ACONST_NULL));
        else if (types.nameOf(l.type) === "java/lang/Object") continue;
        else {
          out.push(local(Op.ALOAD, l.slot));
          out.push({ kind: "cp", op: Op.CHECKCAST, index: this.classIndexOf(l.type) });
        }
        out.push(local(Op.ASTORE, l.slot));
        continue;
      }
      if (!loadedAt.get(b)?.[l.slot] || this.isResident(L, l.slot)) continue;
      if (l.type === NULL) out.push(simple(Op.ACONST_NULL));
      else this.emitLoadValue(out, L, l.kind, l.type, l.slot);
      out.push(local(Op.ISTORE + l.kind, l.slot + L.shift));
    }
    let depth = 0;
    for (const v of s.stack) {
      if (keyArg) out.push(local(Op.ILOAD, 0));
      else if (v.type === NULL) out.push(simple(Op.ACONST_NULL));
      else this.emitLoadValue(out, L, v.kind, v.type, spillBase + depth);
      depth += v.kind === KIND_LONG || v.kind === KIND_DOUBLE ? 2 : 1;
    }
    out.push({ kind: "jump", op: Op.GOTO, target });
  }

  private isResident(L: Layout, slot: number): boolean {
    return L.resident !== undefined && L.resident[slot]! >= 0;
  }

  /** The live locals of block `b` that body `p` stores when it leaves for `b` (not those resident in the frame). */
  private savedLocals(b: number, p: number, L: Layout) {
    return this.plan.shapeOf(b).locals.filter((l) => this.plan.savedAt[p]!.get(b)?.[l.slot] && !this.isResident(L, l.slot));
  }

  /**
   * Exit stub body of body `p`: spills the stack (unless the way out `keepsStack`,
   * passing it to a piece that `takesKey`) and stores the live locals of block `b` it wrote.
   */
  private emitSaves(out: CodeNode[], L: Layout, b: number, p: number, keepsStack: boolean): void {
    const s = this.plan.shapeOf(b);
    let depth = 0;
    for (const v of s.stack) depth += v.kind === KIND_LONG || v.kind === KIND_DOUBLE ? 2 : 1;
    for (let i = keepsStack ? -1 : s.stack.length - 1; i >= 0; i--) {
      const v = s.stack[i]!;
      depth -= v.kind === KIND_LONG || v.kind === KIND_DOUBLE ? 2 : 1;
      out.push(local(Op.ISTORE + v.kind, L.temp));
      emitStoreToFrame(out, L.arraySlot, v.kind, this.plan.spillBase + depth, L.temp, this.input.cp);
    }
    for (const l of this.savedLocals(b, p, L)) emitStoreToFrame(out, L.arraySlot, l.kind, l.slot, l.slot + L.shift, this.input.cp);
  }

  /**
   * Exit stubs: per target, push its code (or entry) and jump to a stub shared by
   * every target that stores the same values and leaves the same way, which saves
   * them, takes the code back and leaves. A switch whose cases lie in other pieces
   * then costs a few bytes per case, not a store sequence per case. With
   * `wideCodes`, a target pushes a code as its piece and its entry (`sipush`
   * each, no constant) and the group's stub joins them: `swap; bipush 16; ishl; ior`.
   */
  private emitExits(out: CodeNode[], L: Layout, p: number, exitLabels: Map<number, Label>, how: (b: number) => ExitWay): void {
    const groups = new Map<string, { label: Label; block: number; carries: boolean; joins: boolean; keepsStack: boolean; tail: (out: CodeNode[]) => void }>();
    for (const [b, label] of exitLabels) {
      const h = how(b);
      const s = this.plan.shapeOf(b);
      const key = `${h.key}|${this.savedLocals(b, p, L).map((l) => `${l.slot}:${l.kind}`).join(",")}|${s.stack.map((v) => v.kind).join(",")}`;
      const joins = this.input.wideCodes === true && h.isCode === true;
      let g = groups.get(key);
      if (!g) groups.set(key, (g = { label: this.newLabel(), block: b, carries: h.push !== undefined, joins, keepsStack: h.keepsStack === true, tail: h.tail }));
      assert(g.joins === joins, "an exit group mixes codes with other pushes");
      assert(g.keepsStack === (h.keepsStack === true), "an exit group mixes kept and spilled stacks");
      out.push({ kind: "label", label });
      if (joins) {
        this.pushInt(out, h.push! >>> 16);
        this.pushInt(out, h.push! & 0xffff);
      } else if (h.push !== undefined) this.pushInt(out, h.push);
      out.push({ kind: "jump", op: Op.GOTO, target: g.label });
    }
    for (const g of groups.values()) {
      out.push({ kind: "label", label: g.label });
      if (g.joins) {
        out.push(simple(Op.SWAP));
        out.push({ kind: "int", op: Op.BIPUSH, value: 16 });
        out.push(simple(Op.ISHL));
        out.push(simple(Op.IOR));
      }
      if (g.carries) out.push(local(Op.ISTORE, L.temp + 2));
      this.emitSaves(out, L, g.block, p, g.keepsStack);
      if (g.carries) out.push(local(Op.ILOAD, L.temp + 2));
      g.tail(out);
    }
  }

  private pushArrays(out: CodeNode[], L: Layout): void {
    for (const k of this.plan.kinds) out.push(local(Op.ALOAD, L.arraySlot[k]!));
  }

  private ownerRef(name: string): number {
    return this.input.cp.addMemberRef(this.owner.isInterface ? "InterfaceMethodref" : "Methodref", this.owner.className, name, this.plan.pieceDescriptor);
  }

  private pieceRef(p: number): number {
    return this.ownerRef(this.input.pieceNames[p]!);
  }

  /** Marks the next instruction as a call site of `caller` into `callee` (a synthetic line). */
  private callSite(out: CodeNode[], caller: string, callee: string): void {
    const line = this.input.syntheticLine?.();
    if (line === undefined) return;
    out.push({ kind: "line", line });
    this.callSites.push({ caller, line, callee, calleeDescriptor: this.plan.pieceDescriptor });
  }

  private emitBlocks(p: number, L: Layout, out: CodeNode[], exitLabel: (b: number) => Label, emitReturn: (out: CodeNode[], insn: Instruction) => void): CopiedBlocks {
    return this.copyBlocks(p, L.shift, out, exitLabel, emitReturn);
  }

  private newBody(nodesOut: CodeNode[], parts: Parameters<typeof newBodyOf>[2]): MethodBody {
    return newBodyOf(this.input.body, nodesOut, parts);
  }

  /** Piece `p`: its entry switch and stubs, its blocks, and its exit stubs. */
  piece(p: number): LinkedPiece {
    const { input, plan } = this;
    const { kinds, returnKind, returnIndex, entries } = plan;
    const arraySlot: number[] = [];
    kinds.forEach((k, i) => (arraySlot[k] = 1 + i));
    const shift = 1 + kinds.length;
    const L: Layout = { arraySlot, shift, temp: shift + input.maxLocals };
    this.looping ??= loopingBlocks(input.cfg, input.partition.pieceOf);
    L.resident = residentLocals({
      cfg: input.cfg,
      nodes: input.body.nodes,
      plan,
      p,
      blocks: input.partition.pieceBlocks[p]!,
      looping: this.looping,
      pieceOf: input.partition.pieceOf,
      maxLocals: input.maxLocals,
      arraySlot,
      shift,
    });
    const loopResident = input.loopResident;
    if (loopResident) for (let x = 0; x < loopResident.length; x++) if (loopResident[x]! >= 0) L.resident[x] = loopResident[x]!;
    const out: CodeNode[] = [];
    const { labels: exitLabels, labelOf: exitLabel } = lazyLabels(this.newLabel);
    const entryStubs = entries[p]!.map(() => this.newLabel());
    if (entryStubs.length > 1) {
      out.push(local(Op.ILOAD, 0));
      out.push({ kind: "tableswitch", low: 0, high: entryStubs.length - 1, defaultTarget: entryStubs[0]!, targets: entryStubs });
    }
    let blocksOut: CodeNode[] = [];
    // A `return` stores its value in the frame and returns -1.
    const emitted = this.emitBlocks(p, L, blocksOut, exitLabel, (o, insn) => {
      if (opcodeOf(insn) !== Op.RETURN) {
        o.push(local(Op.ISTORE + returnKind, L.temp));
        emitStoreToFrame(o, L.arraySlot, returnKind, returnIndex, L.temp, this.input.cp);
      }
      o.push(simple(Op.ICONST_M1));
      o.push(simple(Op.IRETURN));
    });
    blocksOut = rewriteResidentAccesses(blocksOut, L.resident, arraySlot, shift, input.cp);
    const keyArg = this.takesKey(p);
    entries[p]!.forEach((b, i) => {
      out.push({ kind: "label", label: entryStubs[i]! });
      this.emitEntry(out, L, b, emitted.blockLabel(b), p, keyArg);
    });
    for (const n of blocksOut) out.push(n);
    this.emitExits(out, L, p, exitLabels, (b) => this.pieceExit(L, p, b));
    const rows = { handlers: emitted.handlers, localVariables: withoutResidentRows(emitted.localVariables, L.resident, shift), localVariableTypes: withoutResidentRows(emitted.localVariableTypes, L.resident, shift) };
    return { name: input.pieceNames[p]!, descriptor: plan.pieceDescriptor, body: this.newBody(out, rows) };
  }

  /**
   * How piece `p` leaves for block `b`: a call of the target piece (through an indy
   * call site when one is bound) where the transfer cannot repeat in `direct` mode,
   * else returning the target's code to the driver.
   */
  private pieceExit(L: Layout, p: number, b: number): ExitWay {
    const { input, plan } = this;
    const q = input.partition.pieceOf[b]!;
    if (input.mode === "direct" && q !== 0 && input.directOk?.(p, q)) {
      const callTail = (t: CodeNode[]): void => {
        this.pushArrays(t, L);
        this.callSite(t, input.pieceNames[p]!, input.pieceNames[q]!);
        t.push({ kind: "cp", op: Op.INVOKESTATIC, index: this.pieceRef(q) });
        t.push(simple(Op.IRETURN));
      };
      if (this.takesKey(q)) return { keepsStack: true, key: `callkey${q}`, tail: callTail };
      const site = input.indyCallSite?.(q, plan.entryIndex[b]!, plan.entries[q]!.length, plan.pieceDescriptor);
      if (site !== undefined) {
        return {
          key: `indy${q}:${plan.entryIndex[b]}`,
          tail: (t) => {
            this.pushArrays(t, L);
            this.callSite(t, input.pieceNames[p]!, input.pieceNames[q]!);
            t.push({ kind: "invokedynamic", index: site });
            t.push(simple(Op.IRETURN));
          },
        };
      }
      return { push: plan.entryIndex[b]!, key: `call${q}`, tail: callTail };
    }
    return { push: this.codeOf(b), isCode: true, key: "return", tail: (t) => t.push(simple(Op.IRETURN)) };
  }

  /** `static int dispatch(int code, arrays)`: calls the piece the code names, among first..last, but none `calledAtExit`. */
  private dispatcherBody(first: number, last: number, self: string, calledAtExit: (q: number) => boolean): MethodBody {
    const code = dispatcherCode(first, last, this.plan.kinds, this.newLabel, (d, v) => this.pushInt(d, v), calledAtExit, (d, p) => {
      this.callSite(d, self, this.input.pieceNames[p]!);
      d.push({ kind: "cp", op: Op.INVOKESTATIC, index: this.pieceRef(p) });
    });
    return this.newBody(code, { handlers: [] });
  }

  /**
   * The driver: allocates the frame arrays, runs its own blocks, and loops calling
   * the piece (or dispatcher) a code names until -1. Dispatchers it needs are
   * appended to `pieces`.
   */
  driver(pieces: LinkedPiece[]): MethodBody {
    const { input, plan } = this;
    const out: CodeNode[] = [];
    const arraySlot: number[] = [];
    plan.kinds.forEach((k, i) => (arraySlot[k] = input.maxLocals + i));
    const codeSlot = input.maxLocals + plan.kinds.length;
    const L: Layout = { arraySlot, shift: 0, temp: codeSlot + 1, ...(input.loopResident ? { resident: input.loopResident } : {}) };
    this.driverPrologue(out, L);
    const loop = this.newLabel();
    const { labels: exitLabels, labelOf: exitLabel } = lazyLabels(this.newLabel);
    this.driverOwnedLocals(out, L);
    if (input.partition.pieceOf[0] !== 0) out.push({ kind: "jump", op: Op.GOTO, target: exitLabel(0) });
    const driverEntryStubs = plan.entries[0]!.map(() => this.newLabel());
    const blocksFrom = out.length;
    const emitted = this.emitBlocks(0, L, out, exitLabel, (o, insn) => o.push(insn));
    this.writeThroughStores(out, L, blocksFrom);
    if (L.resident) out.splice(blocksFrom, out.length - blocksFrom, ...rewriteResidentAccesses(out.slice(blocksFrom), L.resident, arraySlot, 0, input.cp));
    const slots = this.dispatchSlots();
    this.emitExits(out, L, 0, exitLabels, (b) => {
      const q = input.partition.pieceOf[b]!;
      if (this.calledAtExit(q, L)) return this.directCall(L, b, q, codeSlot, loop, driverEntryStubs);
      const next = this.straightToCall(L, b, slots);
      if (next !== undefined && this.takesKey(next)) {
        // The key stays on the stack as the call's first argument.
        const call = slots.keyCall(next);
        return { keepsStack: true, key: `keyslot${next}`, tail: (t) => t.push({ kind: "jump", op: Op.GOTO, target: call }) };
      }
      return {
        push: this.codeOf(b),
        isCode: true,
        key: next === undefined ? "loop" : `slot${next}`,
        tail: (t) => {
          t.push(local(Op.ISTORE, codeSlot));
          t.push({ kind: "jump", op: Op.GOTO, target: next === undefined ? loop : slots.labels[next]! });
        },
      };
    });
    const ret = this.newLabel();
    this.driverLoop(out, L, { loop, ret, codeSlot, driverEntryStubs, emitted, slots }, pieces);
    this.driverReturn(out, arraySlot, ret);
    if (!L.resident) return this.newBody(out, emitted);
    const rows = { localVariables: withoutResidentRows(emitted.localVariables, L.resident, 0), localVariableTypes: withoutResidentRows(emitted.localVariableTypes, L.resident, 0) };
    // A loop-resident driver's frame arrays go into the one-byte slots its registers left (low-slots.ts).
    const lowSlot = residentLowSlots(input.body.nodes, L.resident, plan.paramSlots);
    const moves = new Map<number, number>();
    for (const k of plan.kinds) if (lowSlot[k]! >= 0) moves.set(arraySlot[k]!, lowSlot[k]!);
    const low = inLowSlots(out, rows, moves, input.cp);
    return this.newBody(low.nodes, { handlers: emitted.handlers, ...low.rows });
  }

  /**
   * The driver's call sites: one per piece, or, when that would crowd the driver,
   * one per group of pieces calling a dispatcher method; slot 0 is the driver's
   * own entries. Their labels exist before the exits that jump to them.
   */
  private dispatchSlots(): DispatchSlots {
    const { input } = this;
    const pieceCount = input.partition.pieceBlocks.length;
    const group = input.dispatchGroup ?? pieceCount;
    const grouped = this.grouped();
    const count = grouped ? 1 + Math.ceil((pieceCount - 1) / group) : pieceCount;
    const labels = Array.from({ length: count }, () => this.newLabel());
    const keyCalls = new Map<number, Label>();
    const keyCall = (q: number): Label => {
      let l = keyCalls.get(q);
      if (l === undefined) keyCalls.set(q, (l = this.newLabel()));
      return l;
    };
    return { labels, grouped, group, slotOf: (q) => (grouped ? 1 + Math.floor((q - 1) / group) : q), keyCall };
  }

  /**
   * Straight calls and fast returns are for a loop resident in the frame that runs
   * mostly in its pieces: split into at least `STRAIGHT_CALL_PIECES` pieces. A loop
   * just over the limit (a driver holding most of it and one or two pieces) keeps
   * the dispatch loop: there the straight calls were measured 19% slower
   * (bench/jit-unlock interp-light-8k, 663 against 556 us/op; at 20 KB and 60 KB
   * they gained 5-18%), presumably because they merge the calls into the loop
   * that runs the driver's own cases.
   */
  private straightCalls(): boolean {
    return this.input.loopResident !== undefined && this.input.partition.pieceBlocks.length - 1 >= STRAIGHT_CALL_PIECES;
  }

  /** Whether the driver calls its pieces through dispatcher methods (which pass the code's entry). */
  private grouped(): boolean {
    if (this.isGrouped === undefined) {
      // Pieces called at the driver's exits take no call site in the dispatch loop.
      const pieceCount = this.input.partition.pieceBlocks.length;
      let dispatched = 0;
      for (let q = 1; q < pieceCount; q++) if (!this.enteredOnlyFromDriver(q)) dispatched++;
      this.isGrouped = dispatched > (this.input.flatDispatch ?? pieceCount);
    }
    return this.isGrouped;
  }

  private isGrouped: boolean | undefined;

  private onlyFromDriver: Uint8Array | undefined;

  /** Whether only the driver transfers into piece q (driver-calls.ts), in a split of region pieces with straight calls. */
  private enteredOnlyFromDriver(q: number): boolean {
    const { input } = this;
    if (!input.partition.regionPieces || !this.straightCalls()) return false;
    this.onlyFromDriver ??= piecesOnlyTheDriverEnters(input.cfg, input.partition);
    return this.onlyFromDriver[q] === 1;
  }

  /** Per piece: whether it is called at the driver's exits (1), not (0), not asked yet (-1). */
  private atExit: Int8Array | undefined;

  /** Per piece called so far: the one driver block it can return to, or -1 (`onlyReturnBlock`). */
  private readonly onlyReturnOf = new Map<number, number>();

  /** Piece q is called at the driver's exits into it (its entries load nothing the driver would store); `L` is the driver's. */
  private calledAtExit(q: number, L: Layout): boolean {
    this.atExit ??= new Int8Array(this.input.partition.pieceBlocks.length).fill(-1);
    if (this.atExit[q] === -1) this.atExit[q] = this.enteredOnlyFromDriver(q) && this.plan.entries[q]!.every((b) => this.savedLocals(b, 0, L).length === 0) ? 1 : 0;
    return this.atExit[q] === 1;
  }

  /**
   * The driver's exit into block b of piece q, called right there: the entry (or
   * the switch key the piece takes), the frame arrays, the call, and what any call
   * of a piece does after it (`emitAfterCall`).
   */
  private directCall(L: Layout, b: number, q: number, codeSlot: number, loop: Label, driverEntryStubs: Label[]): ExitWay {
    const { input, plan } = this;
    const keyArg = this.takesKey(q);
    const tail = (t: CodeNode[]): void => {
      if (!keyArg) this.pushInt(t, plan.entryIndex[b]!);
      this.pushArrays(t, L);
      this.callSite(t, input.driverName, input.pieceNames[q]!);
      t.push({ kind: "cp", op: Op.INVOKESTATIC, index: this.pieceRef(q) });
      this.emitAfterCall(t, q, codeSlot, loop, driverEntryStubs);
    };
    return keyArg ? { keepsStack: true, key: `direct${q}:${b}`, tail } : { key: `direct${q}:${b}`, tail };
  }

  /**
   * Whether piece `q` takes the switch key its entry block finds on the stack as
   * its `entry` argument: a straight-called piece (`straightCalls`, flat dispatch)
   * of one entry, whose block starts with one `int` on the stack. An interpreter's
   * bucket piece (a bucket's `tableswitch` on the key, `splitLargeSwitches`) is
   * entered so on every step it runs; passing the key saves the frame's store in
   * the driver and the load in the piece, a round trip through memory on the way
   * to the piece's indirect jump (bench/jit-probe/results-driver-key.txt). The
   * driver's straight exits keep the key on the stack for the call; every other
   * way in (the dispatch loop, after a piece returned the code) spills the key
   * as before and the call site loads it from the frame.
   */
  private takesKey(q: number): boolean {
    if (q === 0 || !this.straightCalls() || this.grouped()) return false;
    const entries = this.plan.entries[q]!;
    if (entries.length !== 1) return false;
    const stack = this.plan.shapeOf(entries[0]!).stack;
    return stack.length === 1 && stack[0]!.kind === KIND_INT;
  }

  /**
   * With loop residence (a dispatch loop's registers in the frame), a driver exit
   * that stores nothing goes straight to the call site of its piece, skipping the
   * dispatch loop's test and switch on the way out (a call that returns to the
   * driver cannot grow the stack); its exit group is then per call site, which
   * repeats no stores. Returns that call site's slot, or undefined (back to the loop).
   * Only where the loop mostly runs in the pieces (`straightCalls`).
   */
  private straightToCall(L: Layout, b: number, slots: DispatchSlots): number | undefined {
    if (!this.straightCalls() || slots.grouped) return undefined;
    if (this.savedLocals(b, 0, L).length > 0) return undefined;
    return slots.slotOf(this.input.partition.pieceOf[b]!);
  }

  /**
   * After the driver's call of piece `q`, with the code it returned on the stack.
   * With loop residence and straight calls, the code goes straight to the entry stub
   * of the driver block it names instead of through the loop's two switches (an
   * interpreter's case piece returns to the loop head every step): when the piece
   * can only return to one driver block, the code is dropped and the driver goes
   * there; else it is tested against each of the (at most `FAST_RETURNS`) driver
   * blocks the piece branches to. Any other code goes back to the dispatch loop.
   */
  private emitAfterCall(out: CodeNode[], q: number, codeSlot: number, loop: Label, driverEntryStubs: Label[]): void {
    const { cfg, partition } = this.input;
    const stubOf = (s: number) => driverEntryStubs[this.plan.entryIndex[s]!]!;
    const straight = this.straightCalls();
    let only = -1;
    if (straight) {
      only = this.onlyReturnOf.get(q) ?? onlyReturnBlock(cfg, partition, q);
      this.onlyReturnOf.set(q, only);
    }
    if (only >= 0) {
      out.push(simple(Op.POP));
      out.push({ kind: "jump", op: Op.GOTO, target: stubOf(only) });
      return;
    }
    out.push(local(Op.ISTORE, codeSlot));
    for (const s of straight ? (fastReturnTargets(cfg, partition, q) ?? []) : []) {
      out.push(local(Op.ILOAD, codeSlot));
      this.pushInt(out, this.codeOf(s));
      out.push({ kind: "jump", op: Op.IF_ICMPEQ, target: stubOf(s) });
    }
    out.push({ kind: "jump", op: Op.GOTO, target: loop });
  }

  /** The frame arrays, `frameLength` long, one per kind in use. */
  private driverPrologue(out: CodeNode[], L: Layout): void {
    emitNewFrameArrays(out, this.plan.kinds, this.plan.frameLength, L.arraySlot, this.input.cp);
  }

  /** Owned parameters some piece loads, and loop-resident ones, are written to the frame; other owned locals live at an entry start as zero or null. */
  private driverOwnedLocals(out: CodeNode[], L: Layout): void {
    const { input, plan } = this;
    for (let x = 0; x < input.maxLocals; x++) {
      // A loop-resident parameter lives in the frame from the start.
      if (x < plan.paramSlots && this.isResident(L, x)) this.emitWriteThrough(out, L, x, L.resident![x]!);
      if (!plan.owned[x]) continue;
      const k = plan.ownedKind[x]!;
      if (x < plan.paramSlots) {
        if (plan.writeThrough[x]) this.emitWriteThrough(out, L, x, k);
      } else if (!this.isResident(L, x) && plan.entries[0]!.some((e) => isLive(input.liveness.liveIn[e]!, x))) {
        // (A loop-resident local is never read from its slot in the driver: no zero to store, and its slot stays free, low-slots.ts.)
        pushZero(out, k);
        out.push(local(Op.ISTORE + k, x));
      }
    }
  }

  /** Every store of a written-through local in the driver's blocks is followed by its copy into the frame. */
  private writeThroughStores(out: CodeNode[], L: Layout, blocksFrom: number): void {
    for (let i = out.length - 1; i >= blocksFrom; i--) {
      const n = out[i]!;
      const x = n.kind === "iinc" ? n.index : n.kind === "local" && n.op >= Op.ISTORE && n.op <= Op.ASTORE ? n.index : -1;
      if (x < 0 || !this.plan.writeThrough[x]) continue;
      const copy: CodeNode[] = [];
      this.emitWriteThrough(copy, L, x, this.plan.ownedKind[x]!);
      out.splice(i + 1, 0, ...copy);
    }
  }

  /**
   * The dispatch loop: a call site per piece, or, when that would crowd the driver,
   * one per group of pieces through dispatcher methods (a two-level table); slot 0
   * enters the driver's own blocks.
   */
  private driverLoop(
    out: CodeNode[],
    L: Layout,
    at: { loop: Label; ret: Label; codeSlot: number; driverEntryStubs: Label[]; emitted: CopiedBlocks; slots: DispatchSlots },
    pieces: LinkedPiece[],
  ): void {
    const { input, plan } = this;
    const { loop, ret, codeSlot, driverEntryStubs, emitted } = at;
    const pieceCount = input.partition.pieceBlocks.length;
    const { grouped, group, labels: calls } = at.slots;
    const slots = calls.length;
    out.push({ kind: "label", label: loop });
    out.push(local(Op.ILOAD, codeSlot));
    out.push({ kind: "jump", op: Op.IFLT, target: ret });
    out.push(local(Op.ILOAD, codeSlot));
    out.push({ kind: "int", op: Op.BIPUSH, value: 16 });
    out.push(simple(Op.IUSHR));
    if (grouped) {
      // piece 0 -> slot 0; pieces 1..group -> slot 1; ...
      this.pushInt(out, group - 1);
      out.push(simple(Op.IADD));
      this.pushInt(out, group);
      out.push(simple(Op.IDIV));
    }
    // A slot whose pieces are all called at the driver's exits is never taken: no code names them.
    const firstOf = (slot: number) => (grouped ? 1 + (slot - 1) * group : slot);
    const lastOf = (slot: number) => (grouped ? Math.min(pieceCount - 1, firstOf(slot) + group - 1) : slot);
    const dead = Array.from({ length: slots }, (_, slot) => {
      if (slot === 0) return false;
      for (let q = firstOf(slot); q <= lastOf(slot); q++) if (!this.calledAtExit(q, L)) return false;
      return true;
    });
    const trap = dead.some((d) => d) ? this.newLabel() : undefined;
    out.push({ kind: "tableswitch", low: 0, high: slots - 1, defaultTarget: ret, targets: calls.map((c, slot) => (dead[slot] ? trap! : c)) });
    // Entries into the driver's own blocks.
    out.push({ kind: "label", label: calls[0]! });
    if (driverEntryStubs.length > 0) {
      out.push(local(Op.ILOAD, codeSlot));
      this.pushInt(out, 0xffff);
      out.push(simple(Op.IAND));
      out.push({ kind: "tableswitch", low: 0, high: driverEntryStubs.length - 1, defaultTarget: driverEntryStubs[0]!, targets: driverEntryStubs });
      plan.entries[0]!.forEach((b, i) => {
        out.push({ kind: "label", label: driverEntryStubs[i]! });
        this.emitEntry(out, L, b, emitted.blockLabel(b), 0);
      });
    } else {
      out.push({ kind: "jump", op: Op.GOTO, target: ret });
    }
    if (trap !== undefined) emitTrap(out, trap);
    for (let slot = 1; slot < slots; slot++) {
      if (dead[slot]) continue;
      out.push({ kind: "label", label: calls[slot]! });
      if (!grouped && this.takesKey(slot)) {
        // Entered from the dispatch loop: the key was spilled into the frame.
        emitLoadFromFrame(out, L.arraySlot, KIND_INT, plan.spillBase, input.cp);
        out.push({ kind: "label", label: at.slots.keyCall(slot) });
      } else {
        out.push(local(Op.ILOAD, codeSlot));
        if (!grouped) {
          this.pushInt(out, 0xffff);
          out.push(simple(Op.IAND));
        }
      }
      this.pushArrays(out, L);
      if (grouped) {
        const name = input.dispatcherName!(slot);
        pieces.push({ name, descriptor: plan.pieceDescriptor, body: this.dispatcherBody(firstOf(slot), lastOf(slot), name, (q) => this.calledAtExit(q, L)) });
        this.callSite(out, input.driverName, name);
        out.push({ kind: "cp", op: Op.INVOKESTATIC, index: this.ownerRef(name) });
      } else {
        this.callSite(out, input.driverName, input.pieceNames[slot]!);
        out.push({ kind: "cp", op: Op.INVOKESTATIC, index: this.pieceRef(slot) });
      }
      if (grouped) {
        out.push(local(Op.ISTORE, codeSlot));
        out.push({ kind: "jump", op: Op.GOTO, target: loop });
      } else this.emitAfterCall(out, slot, codeSlot, loop, driverEntryStubs);
    }
  }

  /** At -1: return the value a piece stored in the frame (checked back to the declared type). */
  private driverReturn(out: CodeNode[], arraySlot: number[], ret: Label): void {
    const { returnKind, returnIndex, md } = this.plan;
    out.push({ kind: "label", label: ret });
    emitReturnFromFrame(out, arraySlot, md, returnKind, returnIndex, this.input.cp);
  }
}
