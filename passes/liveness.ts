/**
 * Liveness of local-variable slots (JVMS 2.6.1): which slots may be read before
 * being written on some path from a point, at every block entry and exit, and on
 * demand before any node. A backward problem on the one solver (`core/dataflow.ts`).
 *
 * Per instruction: xload/ret read their slot, xstore writes it, iinc reads then
 * writes it; lload/dload read two slots (n and n+1) and lstore/dstore write both,
 * since a category-2 value occupies both (JVMS 2.6.1). Exceptions: the solver hands
 * the transfer the joined live-in of the handlers covering the block, and it is
 * unioned in before every instruction of the block (any of them may throw, and the
 * CFG makes every block lie wholly inside or outside each range), so a slot a
 * handler reads stays live across the whole protected code. `ret` (only left in
 * code that `inline-subroutines` has not run on) is treated soundly: its block
 * flows into the return point of every `jsr`, solved to a fixpoint around the
 * solver because those are not CFG edges.
 *
 * Invariants: sets are bitsets (Uint32Array, one bit per slot, `words` words) over
 * `slotCount` slots, max_locals widened to cover every slot the code touches (so
 * malformed code never indexes out of range). Unreachable blocks have empty sets.
 * Result sets are read only: blocks whose sets are equal share one view.
 * Results are side tables indexed by block id; nothing is stored on the body.
 *
 * Cost: one scan computes each block's gen (read before written) and kill sets,
 * then each transfer is O(words): gen | (out & ~kill) | handlerIn. Reducible code
 * converges in a few sweeps, so the whole is O(nodes + sweeps x blocks x words).
 * `liveBefore` re-walks one block: O(block length x words).
 */
import type { CodeNode, MethodBody } from "../src/bytecode/model.js";
import { FLAGS, OPCODES, Op, OpFlag } from "../src/bytecode/opcodes.js";
import type { ConstantPool } from "../src/classfile/constant-pool.js";
import { type ControlFlowGraph, blockHeaders, buildCfg } from "./cfg.js";
import { solve, type DataflowResult } from "./core/dataflow.js";
import { SequenceIds } from "./core/sequence-ids.js";
import type { Pass, PassContext } from "./pass.js";

export const name = "liveness";
export const description = "live local slots at every block entry and exit (two slots for long/double, through exception edges)";

/** A set of local slots: bit `s & 31` of word `s >>> 5`. */
export type SlotSet = Uint32Array;

export interface Liveness {
  readonly cfg: ControlFlowGraph;
  /** Slots tracked: max_locals, or more when the code touches slots beyond it. */
  readonly slotCount: number;
  /** Words per set. */
  readonly words: number;
  /** Slots live at each block's entry (empty for unreachable blocks). */
  readonly liveIn: readonly SlotSet[];
  /** Slots live at each block's exit (empty for unreachable blocks). */
  readonly liveOut: readonly SlotSet[];
  /** Slots live just before node `nodeIndex` (for a pseudo-node: before the next instruction). */
  liveBefore(nodeIndex: number): SlotSet;
  /** Block transfers the solver ran (for scaling measurements). */
  readonly steps: number;
}

/** How an instruction touches locals: the first slot, how many slots (1 or 2), read and/or written. */
interface LocalAccess {
  slot: number;
  width: 1 | 2;
  reads: boolean;
  writes: boolean;
}

const access: LocalAccess = { slot: 0, width: 1, reads: false, writes: false };

/**
 * The local access of a node into the shared `access` record, or false. Handles the
 * normalised forms of the model and, defensively, the `xload_n` forms (impliedLocal).
 */
function localAccessOf(node: CodeNode): boolean {
  let op: number;
  let slot: number;
  if (node.kind === "local") {
    op = node.op;
    slot = node.index;
  } else if (node.kind === "iinc") {
    access.slot = node.index;
    access.width = 1;
    access.reads = access.writes = true;
    return true;
  } else if (node.kind === "simple") {
    const row = OPCODES[node.op];
    if (row?.impliedLocal === undefined) return false;
    op = row.normal;
    slot = row.impliedLocal;
  } else {
    return false;
  }
  const flags = FLAGS[op]!;
  access.slot = slot;
  access.width = op === Op.LLOAD || op === Op.DLOAD || op === Op.LSTORE || op === Op.DSTORE ? 2 : 1;
  access.reads = (flags & OpFlag.READS_LOCAL) !== 0;
  access.writes = (flags & OpFlag.WRITES_LOCAL) !== 0;
  return access.reads || access.writes;
}

function setBit(s: SlotSet, slot: number): void {
  s[slot >>> 5]! |= 1 << (slot & 31);
}

function clearBit(s: SlotSet, slot: number): void {
  s[slot >>> 5]! &= ~(1 << (slot & 31));
}

/** Whether `slot` is in `set`. */
export function isLive(set: SlotSet, slot: number): boolean {
  const w = slot >>> 5;
  return w < set.length && (set[w]! & (1 << (slot & 31))) !== 0;
}

/** The slots of a set, ascending. */
export function liveSlots(set: SlotSet): number[] {
  const out: number[] = [];
  for (let w = 0; w < set.length; w++) {
    let bits = set[w]!;
    while (bits !== 0) {
      const low = bits & -bits;
      out.push(w * 32 + 31 - Math.clz32(low));
      bits ^= low;
    }
  }
  return out;
}

/** `{0, 2, 3}`: the text form used by `format` and `disasm --frames`. */
export function formatSlots(set: SlotSet): string {
  return `{${liveSlots(set).join(", ")}}`;
}

/** Applies one node backward to `live` (live-after becomes live-before). */
function stepBack(live: SlotSet, node: CodeNode): void {
  if (!localAccessOf(node)) return;
  const { slot, width, reads, writes } = access;
  if (writes) for (let k = 0; k < width; k++) clearBit(live, slot + k);
  if (reads) for (let k = 0; k < width; k++) setBit(live, slot + k);
}

function isCfg(x: PassContext | ControlFlowGraph): x is ControlFlowGraph {
  return (x as ControlFlowGraph).blockCount !== undefined;
}

/**
 * Liveness of `body`. Given a context, builds the CFG (its diagnostics go to
 * `ctx.diagnostics`); given a CFG of this body, uses it.
 */
export function computeLiveness(body: MethodBody, from: PassContext | ControlFlowGraph): Liveness {
  let cfg: ControlFlowGraph;
  if (isCfg(from)) {
    cfg = from;
  } else {
    const r = buildCfg(body, from.where);
    from.diagnostics.push(...r.diagnostics);
    cfg = r.cfg;
  }
  const nodes = body.nodes;
  const n = cfg.blockCount;

  // Slot range: max_locals, widened to whatever the code touches.
  let slotCount = body.maxLocals;
  for (let i = 0; i < nodes.length; i++) {
    if (localAccessOf(nodes[i]!)) slotCount = Math.max(slotCount, access.slot + access.width);
  }
  const words = Math.max(1, (slotCount + 31) >>> 5);
  const { gen, kill } = genKill(nodes, cfg, words);
  const sets = new SetPool(words, n);
  const result = solveLiveness(nodes, cfg, sets, gen, kill);

  const { liveIn, liveOut } = distinctSets(sets, result, n);
  return {
    cfg,
    slotCount,
    words,
    liveIn,
    liveOut,
    steps: result.steps,
    liveBefore: (nodeIndex: number) => liveBeforeNode(nodes, cfg, liveIn, liveOut, words, nodeIndex),
  };
}

/**
 * The solved sets as views, one per distinct content, in a pool of their own: the
 * solver makes a new set wherever a transfer changes one, so a method of a million
 * blocks leaves about as many sets (and the solver's pool, grown by doubling) for a
 * few hundred distinct contents. Unreachable blocks get a fresh empty set each.
 * Sets are read only, so blocks with equal sets share one.
 */
function distinctSets(sets: SetPool, result: DataflowResult<number>, n: number): { liveIn: SlotSet[]; liveOut: SlotSet[] } {
  const words = sets.words;
  const solved = sets.pool;
  const ids = new SequenceIds();
  const idAt = new Int32Array(sets.top / words).fill(-1);
  const firstAt: number[] = [];
  const scratch = new Uint32Array(words);
  const idOf = (o: number): number => {
    let id = idAt[o / words]!;
    if (id < 0) {
      for (let w = 0; w < words; w++) scratch[w] = solved[o + w]!;
      id = ids.idOf(scratch, words);
      if (id === firstAt.length) firstAt.push(o);
      idAt[o / words] = id;
    }
    return id;
  };
  const inIds = new Int32Array(n).fill(-1);
  const outIds = new Int32Array(n).fill(-1);
  for (let b = 0; b < n; b++) {
    const i = result.input[b];
    const o = result.output[b];
    if (i !== undefined) inIds[b] = idOf(i);
    if (o !== undefined) outIds[b] = idOf(o);
  }
  const pool = new Uint32Array(Math.max(1, firstAt.length) * words);
  const views: SlotSet[] = [];
  for (let id = 0; id < firstAt.length; id++) {
    pool.set(solved.subarray(firstAt[id]!, firstAt[id]! + words), id * words);
    views.push(pool.subarray(id * words, (id + 1) * words));
  }
  const view = (id: number): SlotSet => (id < 0 ? new Uint32Array(words) : views[id]!);
  const liveIn: SlotSet[] = new Array(n);
  const liveOut: SlotSet[] = new Array(n);
  for (let b = 0; b < n; b++) {
    liveIn[b] = view(inIds[b]!);
    liveOut[b] = view(outIds[b]!);
  }
  return { liveIn, liveOut };
}

/** gen (upward-exposed reads) and kill (writes) per block, one scan backward per block, `words` words a block. */
function genKill(nodes: readonly CodeNode[], cfg: ControlFlowGraph, words: number): { gen: Uint32Array; kill: Uint32Array } {
  const n = cfg.blockCount;
  const gen = new Uint32Array(n * words);
  const kill = new Uint32Array(n * words);
  // Indexed in place: a subarray view per block would cost an object per block.
  for (let b = 0; b < n; b++) {
    const o = b * words;
    for (let i = cfg.blockEnd[b]! - 1; i >= cfg.blockStart[b]!; i--) {
      if (!localAccessOf(nodes[i]!)) continue;
      const { slot, width, reads, writes } = access;
      if (writes) {
        for (let j = 0; j < width; j++) {
          const s = slot + j;
          gen[o + (s >>> 5)]! &= ~(1 << (s & 31));
          kill[o + (s >>> 5)]! |= 1 << (s & 31);
        }
      }
      if (reads) for (let j = 0; j < width; j++) gen[o + ((slot + j) >>> 5)]! |= 1 << ((slot + j) & 31);
    }
  }
  return { gen, kill };
}

/**
 * The solver's facts are offsets of sets in one growing pool, not objects: a
 * method of 70,000 blocks otherwise made hundreds of thousands of small typed
 * arrays, and their garbage collection grew faster than the method. Sets in the
 * pool are never written once made; the result's sets are views made at the end.
 */
class SetPool {
  pool: Uint32Array;
  top = 0;
  /** The empty set. */
  readonly empty: number;

  constructor(
    readonly words: number,
    blocks: number,
  ) {
    // About one set per block is what the solver makes (parser-actions: 51,253 sets
    // for 51,252 blocks); the pool doubles past that. A pool of four per block was
    // 128 MB of array buffer at 16 MB, which alone starts a full collection (V8
    // collects when array-buffer memory grows 64 MB).
    this.pool = new Uint32Array(Math.max(64, (blocks + 16) * words));
    this.empty = this.alloc();
  }

  alloc(): number {
    const words = this.words;
    if (this.top + words > this.pool.length) {
      const grown = new Uint32Array(this.pool.length * 2);
      grown.set(this.pool);
      this.pool = grown;
    }
    const o = this.top;
    this.top += words;
    return o;
  }

  /** a | c; `a` itself when `c` adds nothing. */
  join(a: number, c: number): number {
    const words = this.words;
    let pool = this.pool;
    let w = 0;
    while (w < words && (pool[c + w]! & ~pool[a + w]!) === 0) w++;
    if (w === words) return a;
    const r = this.alloc();
    pool = this.pool;
    for (let k = 0; k < words; k++) pool[r + k] = pool[a + k]! | pool[c + k]!;
    return r;
  }

  equal(a: number, c: number): boolean {
    if (a === c) return true;
    const pool = this.pool;
    for (let w = 0; w < this.words; w++) if (pool[a + w] !== pool[c + w]) return false;
    return true;
  }

  /** gen | (out & ~kill) | handlerIn for the block at offset `o` of gen and kill; `out` itself when equal. */
  transfer(o: number, gen: Uint32Array, kill: Uint32Array, out: number, handlerIn: number | undefined): number {
    const words = this.words;
    let pool = this.pool;
    let w = 0;
    while (w < words && (gen[o + w]! | (pool[out + w]! & ~kill[o + w]!) | (handlerIn !== undefined ? pool[handlerIn + w]! : 0)) === pool[out + w]) w++;
    if (w === words) return out;
    const r = this.alloc();
    pool = this.pool;
    for (let k = 0; k < words; k++) pool[r + k] = gen[o + k]! | (pool[out + k]! & ~kill[o + k]!) | (handlerIn !== undefined ? pool[handlerIn + k]! : 0);
    return r;
  }
}

/**
 * The backward problem on the one solver. `ret` blocks flow into every jsr return
 * point (not CFG edges): the solver runs again with the live set after a `ret`
 * grown to the join of the return points' inputs, until it stops growing.
 */
function solveLiveness(nodes: readonly CodeNode[], cfg: ControlFlowGraph, sets: SetPool, gen: Uint32Array, kill: Uint32Array): DataflowResult<number> {
  const n = cfg.blockCount;
  const words = sets.words;
  const retBlocks: number[] = [];
  const returnPoints: number[] = [];
  for (let b = 0; b < n; b++) {
    const last = nodes[cfg.blockLastInstruction[b]!]!;
    if (last.kind === "local" && last.op === Op.RET) retBlocks.push(b);
    if (last.kind === "jump" && last.op === Op.JSR && b + 1 < n) returnPoints.push(b + 1);
  }
  const isRet = new Uint8Array(n);
  for (const b of retBlocks) isRet[b] = 1;
  const EMPTY = sets.empty;
  let afterRet = EMPTY;
  let result;
  for (;;) {
    const boundaryRet = afterRet;
    result = solve<number>(cfg, {
      direction: "backward",
      boundary: (b) => (isRet[b] ? boundaryRet : EMPTY),
      join: (a, c) => sets.join(a, c),
      equal: (a, c) => sets.equal(a, c),
      // A result equal to `out` is `out` itself.
      transfer: (b, out, handlerIn) => sets.transfer(b * words, gen, kill, out, handlerIn),
    });
    if (retBlocks.length === 0) break;
    let next = afterRet;
    for (const p of returnPoints) {
      const f = result.input[p];
      if (f !== undefined) next = sets.join(next, f);
    }
    if (next === afterRet) break;
    afterRet = next;
  }
  return result;
}

/** The live set before one node: the block's live-out stepped back to it, handlers' inputs joined at each instruction. */
function liveBeforeNode(nodes: readonly CodeNode[], cfg: ControlFlowGraph, liveIn: readonly SlotSet[], liveOut: readonly SlotSet[], words: number, nodeIndex: number): SlotSet {
  const b = cfg.blockOfNode[nodeIndex]!;
  const live = liveOut[b]!.slice();
  if (!cfg.reachable[b]) return live;
  let handlerIn: SlotSet | undefined;
  for (const hi of cfg.handlersOf[b]!) {
    const f = liveIn[cfg.handlerBlock[hi]!]!;
    handlerIn = handlerIn === undefined ? f : joinSets(handlerIn, f, words);
  }
  for (let i = cfg.blockEnd[b]! - 1; i >= nodeIndex; i--) {
    const node = nodes[i]!;
    stepBack(live, node);
    if (handlerIn && node.kind !== "label" && node.kind !== "line" && node.kind !== "frame") {
      for (let w = 0; w < words; w++) live[w]! |= handlerIn[w]!;
    }
  }
  return live;
}

function joinSets(a: SlotSet, c: SlotSet, words: number): SlotSet {
  let w = 0;
  while (w < words && (c[w]! & ~a[w]!) === 0) w++;
  if (w === words) return a;
  const r = a.slice();
  for (; w < words; w++) r[w]! |= c[w]!;
  return r;
}

/** Per block: its header (see `blockHeaders` in cfg.ts), then `live in {..} out {..}` or `unreachable`. */
export function formatLiveness(l: Liveness, cp?: ConstantPool): string {
  const out: string[] = [];
  const headers = blockHeaders(l.cfg, cp);
  for (let b = 0; b < l.cfg.blockCount; b++) {
    out.push(headers[b]!);
    out.push(l.cfg.reachable[b] ? `  live in ${formatSlots(l.liveIn[b]!)} out ${formatSlots(l.liveOut[b]!)}` : "  unreachable");
  }
  return out.join("\n");
}

export const livenessPass: Pass<Liveness> = {
  name,
  description,
  run: (body, ctx) => computeLiveness(body, ctx),
  format: (result, _body, ctx) => formatLiveness(result, ctx.cp),
};
