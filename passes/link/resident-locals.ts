/**
 * Frame-resident locals of a heap-frame piece (docs/design/jit-speed.md, "wide-live
 * and spark-janino"). A piece normally loads at each entry every local its blocks
 * use from the frame arrays into its own slots, and stores at each exit every local
 * it wrote back into them. For a piece that runs a long straight stretch of a loop
 * body (the loop goes round through the driver) that is one array load plus one
 * spill at the entry and one spill reload plus one array store at the exit per
 * local, on top of the work: HotSpot's C2 cannot keep hundreds of values in
 * registers, so a method with many live values already runs from stack slots, and
 * the stubs double that memory traffic. Here such a local lives in the frame array
 * for the whole piece instead: `xload n` becomes `aload frame; push n; xaload`,
 * `xstore n` becomes `aload frame; swap; push n; swap; xastore` (`dup_x2; pop` twice
 * for a long or double), `iinc n d` a load, add and store, and the piece's entry
 * and exit stubs no longer move it: measured on bench/jit-unlock's wide-live, the
 * array costs about what spilled locals cost, and the split went from 0.64x to
 * 0.95x of the unsplit method's compiled speed.
 *
 * The result is the same: every entry loads from the frame what the piece reads
 * before writing, and every exit stores into it what the piece wrote and the
 * target may read (`heap-frame-plan.ts`), so the frame element equals the local at
 * every entry and exit; in between only this piece runs (a `direct` transfer is a
 * call in tail position, a handler in another piece is reached through an exit),
 * and the arrays belong to one invocation of the method.
 *
 * Only straight-line pieces (no block of the piece goes on to two blocks of it: no
 * branch, switch or handler inside): in branchy pieces (spark-janino's expressions
 * guarded by `if (!isNull)`) reading a value from the array at every use instead
 * of once at the entry was measured slower. In such a piece a local slot is
 * resident (p >= 1) when: every instruction of the
 * piece that names it is a load, store or `iinc` of one primitive kind (int, long,
 * float, double; references need a `checkcast` at every load and stay in slots,
 * and so does a slot a `ret` or `aload`/`astore` names); it has that kind at every
 * entry of the piece where it is live and at every exit that stores it; some
 * entry loads it or some exit stores it; none of its accesses lies in a loop
 * inside the piece (an inner loop keeps its counters in registers); and its
 * rewritten accesses take no more bytes than the stub loads and stores they save
 * (so a piece never outgrows the partition's estimate). JVM link only (JVMS 2.6.1
 * local variables, 6.5 xaload/xastore, dup_x2, swap).
 */
import type { CodeNode, Instruction, LocalVariable } from "../../src/bytecode/model.js";
import { Op } from "../../src/bytecode/opcodes.js";
import type { ControlFlowGraph } from "../cfg.js";
import type { BlockGraph } from "../core/block-graph.js";
import { allSuccessors, isLoop, stronglyConnectedComponents } from "../core/loops.js";
import { KIND_DOUBLE, KIND_LONG, KIND_REF, local, pushInt, simple } from "./frame-arrays.js";
import type { HeapFramePlan } from "./heap-frame-plan.js";
import type { ConstantPool } from "../../src/classfile/constant-pool.js";

/** Per local slot: the kind it is resident with in a piece, or -1. */
export type ResidentKinds = Int8Array;

/**
 * Bytes `rewriteResidentAccesses` writes for an access of local `x` of kind `k`
 * whose frame array an `aload` of `arrayBytes` pushes.
 */
export function residentAccessBytes(n: Instruction, x: number, k: number, arrayBytes: number): number {
  const base = arrayBytes + pushBytes(x);
  if (n.kind === "iinc") return base + 4 + pushBytes(n.delta);
  if (accessOf(n).writes) return base + (k === KIND_LONG || k === KIND_DOUBLE ? 5 : 3);
  return base + 1;
}

/** Bytes of pushing an int constant (`pushInt`; an `ldc_w` at most). */
function pushBytes(v: number): number {
  if (v >= -1 && v <= 5) return 1;
  if (v >= -128 && v <= 127) return 2;
  return 3;
}

/** Bytes of an xload/xstore of a slot (short, plain or wide form). */
function localBytes(slot: number): number {
  return slot <= 3 ? 1 : slot <= 255 ? 2 : 4;
}

function iincBytes(slot: number, delta: number): number {
  return slot <= 255 && delta >= -128 && delta <= 127 ? 3 : 6;
}

/** The primitive kind an instruction accesses a local with, or -1 (a reference, `ret`), and whether it writes. */
export function accessOf(insn: Instruction): { kind: number; writes: boolean } {
  if (insn.kind === "iinc") return { kind: 0, writes: true };
  if (insn.kind !== "local") return { kind: -1, writes: false };
  if (insn.op >= Op.ILOAD && insn.op < Op.ILOAD + KIND_REF) return { kind: insn.op - Op.ILOAD, writes: false };
  if (insn.op >= Op.ISTORE && insn.op < Op.ISTORE + KIND_REF) return { kind: insn.op - Op.ISTORE, writes: true };
  return { kind: -1, writes: false };
}

export interface ResidentInput {
  cfg: ControlFlowGraph;
  nodes: readonly CodeNode[];
  plan: HeapFramePlan;
  /** The piece (>= 1) and its blocks. */
  p: number;
  blocks: readonly number[];
  /** 1 for blocks in a loop inside their own piece (`loopingBlocks`). */
  looping: Uint8Array;
  pieceOf: Int32Array;
  maxLocals: number;
  /** Slot of each kind's frame array in the piece, and the shift of its locals. */
  arraySlot: readonly number[];
  shift: number;
}

/** Which locals of a piece live in the frame arrays (-1: none of them). */
export function residentLocals(r: ResidentInput): ResidentKinds {
  const { cfg, nodes, plan, p, blocks, looping, maxLocals, arraySlot, shift } = r;
  const resident = new Int8Array(maxLocals).fill(-1);
  if (!straightLine(cfg, r.pieceOf, p, blocks)) return resident;
  const kind = new Int8Array(maxLocals).fill(-2); // -2: not accessed yet, -1: refused
  const growth = new Int32Array(maxLocals);
  const arrayBytes = (k: number): number => (arraySlot[k]! <= 3 ? 1 : 2);
  for (const b of blocks) {
    for (let i = cfg.blockStart[b]!; i < cfg.blockEnd[b]!; i++) {
      const n = nodes[i]!;
      if (n.kind !== "local" && n.kind !== "iinc") continue;
      const x = n.index;
      const a = accessOf(n);
      if (kind[x] === -1) continue;
      if (a.kind < 0 || looping[b] || (kind[x] !== -2 && kind[x] !== a.kind)) {
        kind[x] = -1;
        continue;
      }
      kind[x] = a.kind;
      const k = a.kind;
      growth[x] += residentAccessBytes(n, x, k, arrayBytes(k)) - (n.kind === "iinc" ? iincBytes(x + shift, n.delta) : localBytes(x + shift));
    }
  }
  // The bytes the stubs spend on each local: entry loads, and one exit store.
  const saving = new Int32Array(maxLocals);
  const moved = new Uint8Array(maxLocals);
  for (const b of plan.entries[p]!) {
    const loaded = plan.loadedAt.get(b);
    for (const l of plan.shapeOf(b).locals) {
      if (kind[l.slot]! >= 0 && kind[l.slot] !== l.kind) kind[l.slot] = -1;
      if (!loaded?.[l.slot]) continue;
      moved[l.slot] = 1;
      saving[l.slot] += arrayBytes(l.kind) + pushBytes(l.slot) + 1 + localBytes(l.slot + shift);
    }
  }
  const stored = new Uint8Array(maxLocals);
  for (const [b, saved] of plan.savedAt[p]!) {
    for (const l of plan.shapeOf(b).locals) {
      if (!saved[l.slot]) continue;
      if (kind[l.slot]! >= 0 && kind[l.slot] !== l.kind) kind[l.slot] = -1;
      moved[l.slot] = 1;
      if (!stored[l.slot]) saving[l.slot] += arrayBytes(l.kind) + pushBytes(l.slot) + localBytes(l.slot + shift) + 1;
      stored[l.slot] = 1;
    }
  }
  for (let x = 0; x < maxLocals; x++) {
    const k = kind[x]!;
    if (k < 0 || !moved[x] || growth[x]! > saving[x]! || arraySlot[k] === undefined) continue;
    resident[x] = k;
  }
  return resident;
}

/** No block of the piece goes on to more than one block of it (no branch, no handler inside the piece). */
function straightLine(cfg: ControlFlowGraph, pieceOf: Int32Array, p: number, blocks: readonly number[]): boolean {
  for (const b of blocks) {
    let inside = 0;
    for (const s of allSuccessors(cfg, b)) if (pieceOf[s] === p) inside++;
    if (inside > 1) return false;
  }
  return true;
}

/**
 * Blocks in a loop that stays inside their piece (a cycle of edges, normal or
 * exceptional, between blocks of one piece): SCCs of the graph of same-piece edges.
 */
export function loopingBlocks(cfg: ControlFlowGraph, pieceOf: Int32Array): Uint8Array {
  const n = cfg.blockCount;
  const successors: number[][] = new Array(n);
  for (let b = 0; b < n; b++) successors[b] = cfg.reachable[b] && pieceOf[b]! >= 0 ? allSuccessors(cfg, b).filter((s) => pieceOf[s] === pieceOf[b]) : [];
  const none: readonly number[] = [];
  const samePiece: BlockGraph = {
    blockCount: n,
    successors,
    predecessors: successors.map(() => none),
    handlersOf: successors.map(() => none),
    handlerBlock: new Int32Array(0),
    reachable: cfg.reachable,
    reversePostorder: new Int32Array(0),
  };
  const looping = new Uint8Array(n);
  for (const comp of stronglyConnectedComponents(samePiece)) if (isLoop(samePiece, comp)) for (const b of comp) looping[b] = 1;
  return looping;
}

/**
 * Copies a piece's block code, replacing each access of a resident local (slot
 * `x + shift` in the piece) by an access of its frame element `x`.
 */
export function rewriteResidentAccesses(code: readonly CodeNode[], resident: ResidentKinds, arraySlot: readonly number[], shift: number, cp: ConstantPool): CodeNode[] {
  const out: CodeNode[] = [];
  for (const n of code) {
    if (n.kind !== "local" && n.kind !== "iinc") {
      out.push(n);
      continue;
    }
    const x = n.index - shift;
    const k = x >= 0 && x < resident.length ? resident[x]! : -1;
    if (k < 0) {
      out.push(n);
      continue;
    }
    const array = local(Op.ALOAD, arraySlot[k]!);
    if (n.kind === "iinc") {
      out.push(array);
      pushInt(out, x, cp);
      out.push(simple(Op.DUP2), simple(Op.IALOAD));
      pushInt(out, n.delta, cp);
      out.push(simple(Op.IADD), simple(Op.IASTORE));
    } else if (n.op === Op.ILOAD + k) {
      out.push(array);
      pushInt(out, x, cp);
      out.push(simple(Op.IALOAD + k));
    } else if (k === KIND_LONG || k === KIND_DOUBLE) {
      // value(2) -> frame, value -> frame, x, value
      out.push(array, simple(Op.DUP_X2), simple(Op.POP));
      pushInt(out, x, cp);
      out.push(simple(Op.DUP_X2), simple(Op.POP), simple(Op.IASTORE + k));
    } else {
      out.push(array, simple(Op.SWAP));
      pushInt(out, x, cp);
      out.push(simple(Op.SWAP), simple(Op.IASTORE + k));
    }
  }
  return out;
}

/** Variable rows of the piece without those of resident locals (their slots are never written). */
export function withoutResidentRows(rows: LocalVariable[] | undefined, resident: ResidentKinds, shift: number): LocalVariable[] | undefined {
  if (!rows) return undefined;
  return rows.filter((v) => {
    const x = v.index - shift;
    return !(x >= 0 && x < resident.length && resident[x]! >= 0);
  });
}
