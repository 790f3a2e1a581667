/**
 * Partition: which blocks of a method go into which piece. Piece 0 is the original
 * method (the driver); pieces 1.. become new methods. Only decides; `link` writes.
 *
 * Units that never split ("atoms", union-find over blocks):
 * - a block that may not be entered from another piece (its entry holds an
 *   uninitialized object or a monitor: `cuttable` is 0) stays with every block that
 *   leads to it, normal or exceptional;
 * - each set of `together` that fits half a piece is one atom;
 * - the blocks `pinned` to the driver (a constructor's code before super(), the
 *   writes of final fields) are placed in piece 0, and with them every atom next
 *   to them that costs piece 0 less than the exit and entry that moving it out
 *   would add (the few bytes computing a final field's value between two writes);
 * - every loop (an SCC of the CFG) whose atoms fit in one piece is merged whole,
 *   outermost first; a loop too big for a piece is opened at its header and its
 *   inner loops are tried in turn, so hot inner loops stay inside one piece;
 * - of a loop too big for a piece, the spine (the blocks every iteration runs:
 *   loop-spine.ts) is one atom when it fits half a piece, and the loop's other
 *   atoms are packed right after it, its regions hottest per byte first, so the
 *   piece holding the loop's header keeps the steps that run most (an
 *   interpreter's dispatch, increment and smallest cases; docs/design/jit-speed.md);
 *   with `regionPieces` (when those loops have few enough regions), every region
 *   left out of piece 0 is a piece of its own, which the driver calls at its exit.
 *
 * Atoms are then packed in reverse postorder, first piece 0 and then fresh pieces,
 * a piece being closed when the next atom does not fit. Fit is decided on an exact
 * incremental account of what the linker will add: for every block entered from
 * another piece its `entryCost` (switch case, loads of the live values), for every
 * distinct block outside the piece that the piece transfers to (normal or exception
 * edge) its `exitCost` (stores, the return of the exit code), plus a fixed per-piece
 * overhead. Unreachable blocks are left out (pieceOf = -1): the linker drops them.
 * With `stubs`, entries and exits are priced by the local slots the piece's own
 * blocks read and write instead of every live one (what the linker really moves).
 *
 * Piece 0 may get its own limit (`driverLimit`), and pieces 1.. theirs
 * (`pieceLimit`), for callers that check the encoded lengths. When an atom alone
 * exceeds a piece, or piece 0 cannot hold its pinned code, the partition fails
 * saying what did not fit, which the caller reports (or retries with finer cuts).
 * Cost: O((blocks + edges) x loop depth), and for the atoms next to pinned code
 * O(those atoms x blocks of piece 0).
 */
import type { BlockGraph } from "./block-graph.js";
import { InternalError } from "../../src/diagnostics.js";
import { loopLayout, RegionOrder } from "./loop-spine.js";
import { allSuccessors, isLoop, stronglyConnectedComponents } from "./loops.js";
import { ClosingPiece } from "./closing-piece.js";
import { OpenPiece } from "./open-piece.js";
import type { PartitionMemo } from "./partition-memo.js";

export const name = "partition";
export const description = "assign blocks to size-limited pieces, keeping uncuttable regions and fitting loops whole";

export interface PartitionInput {
  cfg: BlockGraph;
  /** Upper bound of the encoded size of each block (in piece 0, the driver). */
  blockSize: Int32Array;
  /**
   * What a block's code grows by in any other piece, when the link renumbers a
   * piece's locals (the heap frame shifts them past its parameters); none if absent.
   */
  pieceExtra?: Int32Array;
  /** Bytes a piece spends to be entered at the block from another piece. */
  entryCost: Int32Array;
  /** Bytes a piece spends per block it transfers into when that block lies in another piece. */
  exitCost: Int32Array;
  /**
   * Transfers into blocks of one group share a stub (the same values to store):
   * the group's cost is paid once per piece that leaves into any of them.
   */
  exitGroup?: Int32Array;
  groupCost?: Int32Array;
  /** 0 for blocks that may not be entered from another piece. */
  cuttable: Uint8Array;
  /**
   * Sets of blocks to keep in one atom, each when it fits half a piece (a table of
   * a split Wasm `br_table` with its cases: passes/wasm/split-tables.ts).
   */
  together?: readonly (readonly number[])[];
  /**
   * Keep no loop whole and no spine (every block its own atom unless an uncuttable
   * one glues it to its predecessors): the last resort when a loop kept whole, or
   * its spine, does not fit a piece once its entries and exits are priced.
   */
  openLoops?: boolean;
  /** 1 for blocks that must stay in the original method. */
  pinned: Uint8Array;
  /** What the pinned blocks are, for the reason given when they do not fit. */
  pinnedCode?: string;
  /** The byte limit of every method, the driver included. */
  limit: number;
  /**
   * The byte limit of piece 0 (default: `limit`). A caller that checks the encoded
   * driver afterwards may allow more when the estimates of its stubs (upper bounds)
   * are what refuses the pinned code.
   */
  driverLimit?: number;
  /**
   * The byte limit of pieces 1.. when they are packed (default: `limit`). A caller
   * that checks the encoded pieces afterwards may allow more when the estimates
   * (upper bounds) packed into more pieces than their encoded lengths need. Atoms
   * (loops kept whole, spines) are still sized against `limit`.
   */
  pieceLimit?: number;
  /**
   * Stub costs from what a piece's code touches, tighter than `entryCost` and
   * `groupCost` (which move every live value): the linker loads at an entry only
   * slots the piece's blocks read or write, and stores at an exit only slots they
   * write (piece 0 also its parameters), so these bound its stubs too. With them an
   * entry costs `entryBase` plus the loads of the slots touched, a group `groupBase`
   * plus the stores of the slots written.
   */
  stubs?: {
    reads: readonly (readonly number[])[];
    writes: readonly (readonly number[])[];
    /** Slots piece 0 has written before its first block (the parameters). */
    writtenAtStart: readonly number[];
    entryBase: Int32Array;
    /** Per block: the live slots an entry there may load, with the bytes of each load. */
    entryLoads: readonly { slot: number; cost: number }[][];
    groupBase: Int32Array;
    /** Per group: the live slots an exit may store, with the bytes of each store. */
    groupStores: readonly { slot: number; cost: number }[][];
    /** Number of local slots. */
    width: number;
  };
  /**
   * Region pieces: when the loops whose spine was kept have at most `max` regions
   * (cases) in all, every region left out of piece 0 gets a piece of its own, which
   * the driver calls right at its exit (heap-frame.ts `directCall`): an exit into a
   * region's root costs `callCost` more. Kept when that makes `minPieces` pieces or
   * more besides the driver (the driver calls them at its exits only then).
   */
  regionPieces?: { max: number; callCost: number; minPieces: number };
  /** Fixed bytes of every new piece (entry switch header, prologue). */
  pieceOverhead: number;
  /** Fixed bytes of the driver (frame allocation, dispatch loop, return). */
  driverOverhead: number;
}

export type Partition =
  | {
      ok: true;
      /** Piece of every block; -1 for unreachable blocks. */
      pieceOf: Int32Array;
      /** Blocks of each piece, in reverse postorder. */
      pieceBlocks: number[][];
      /** The estimated encoded size of each piece (driver overhead included for piece 0). */
      pieceCost: number[];
      /** Edges (normal and exceptional) between blocks of different pieces. */
      crossEdges: number;
      /** Loops too big for one piece whose spine was kept whole (loop-spine.ts). */
      spinedLoops: number;
      /** Whether each region of those loops outside piece 0 has a piece of its own (`regionPieces`). */
      regionPieces: boolean;
    }
  | {
      ok: false;
      /** What did not fit: the pinned code (with piece 0), one block, a region that cannot be cut, a loop. */
      what: "pinned" | "block" | "region" | "loop";
      reason: string;
      blocks: number[];
      size: number;
    };

class UnionFind {
  readonly parent: Int32Array;
  /** Per root: the summed weight of its set (what `atomSize` adds up), kept through unions. */
  readonly weight: Float64Array;
  constructor(n: number, weight?: Float64Array) {
    this.parent = new Int32Array(n);
    for (let i = 0; i < n; i++) this.parent[i] = i;
    this.weight = weight ?? new Float64Array(n);
  }
  find(x: number): number {
    const p = this.parent;
    while (p[x] !== x) {
      p[x] = p[p[x]!]!;
      x = p[x]!;
    }
    return x;
  }
  union(a: number, b: number): void {
    const ra = this.find(a);
    const rb = this.find(b);
    if (ra === rb) return;
    const [root, child] = ra < rb ? [ra, rb] : [rb, ra];
    this.parent[child] = root;
    this.weight[root] = this.weight[root]! + this.weight[child]!;
  }
}

/** The block graph as the packing reads it: successors (normal and exception), predecessors, rank in reverse postorder. */
interface Edges {
  succ: readonly (readonly number[])[];
  pred: readonly (readonly number[])[];
  rank: Int32Array;
}

/** Atoms in packing order, and which of them hold pinned blocks. */
interface Atoms {
  uf: UnionFind;
  atoms: number[][];
  pinnedAtom: Set<number>;
  spinedLoops: number;
  /** Region root of a block off a kept spine; -1 if none. */
  regionOf: (b: number) => number;
  /** Whether each region left out of piece 0 gets a piece of its own (`regionPieces`). */
  regionPieces: boolean;
}

type Failure = Extract<Partition, { ok: false }>;

/** What `partition` keeps for the next partition of the same graph (partition-memo.ts). */
export type Memo = PartitionMemo<Edges, Atoms>;

/**
 * `memo`: the edges and atoms of earlier partitions of `input.cfg`, taken where they
 * are the same (partition-memo.ts). With region pieces the packing is kept only when
 * it fits and leaves at least `regionPieces.minPieces` pieces (fewer are not called
 * at the driver's exits, so one piece per region would buy nothing); else the atoms
 * are packed as without them.
 */
export function partition(input: PartitionInput, memo?: Memo): Partition {
  const edges = memo ? memo.edges(input.cfg, () => edgesOf(input.cfg)) : edgesOf(input.cfg);
  const atoms = memo ? memo.atoms(input, () => atomsOf(input, edges)) : atomsOf(input, edges);
  if (atoms.regionPieces) {
    const exitCost = input.exitCost.slice();
    for (let b = 0; b < input.cfg.blockCount; b++) if (atoms.regionOf(b) === b) exitCost[b] = exitCost[b]! + input.regionPieces!.callCost;
    const byRegion = packAll({ ...input, exitCost }, edges, atoms);
    if (byRegion.ok && byRegion.pieceBlocks.length - 1 >= input.regionPieces!.minPieces) return byRegion;
  }
  return packAll(input, edges, atoms.regionPieces ? { ...atoms, regionPieces: false } : atoms);
}

/** Packs the atoms into pieces and counts the cross edges. */
function packAll(input: PartitionInput, edges: Edges, atoms: Atoms): Partition {
  const pieceOf = new Int32Array(input.cfg.blockCount).fill(-1);
  const costing = new PieceCosting(input, edges, pieceOf);
  const packed = packPieces(input, edges, atoms, costing, pieceOf);
  if (!packed.ok) return packed;
  const { pieceBlocks, pieceCost } = packed;
  if (pieceBlocks.length === 0) {
    pieceBlocks.push([]);
    pieceCost.push(input.driverOverhead);
  }
  // Costs of earlier pieces were taken before later pieces were placed; blocks
  // placed later only turned "unplaced" into "other piece", which was already
  // counted as outside, so they are final.
  let crossEdges = 0;
  for (let b = 0; b < input.cfg.blockCount; b++) for (const s of edges.succ[b]!) if (pieceOf[b] !== pieceOf[s]) crossEdges++;
  for (const list of pieceBlocks) list.sort((a, b) => edges.rank[a]! - edges.rank[b]!);
  return { ok: true, pieceOf, pieceBlocks, pieceCost, crossEdges, spinedLoops: atoms.spinedLoops, regionPieces: atoms.regionPieces };
}

const NO_EDGES: readonly number[] = Object.freeze([]);

function edgesOf(cfg: BlockGraph): Edges {
  const n = cfg.blockCount;
  const reachable = cfg.reachable;
  const succ: (readonly number[])[] = new Array(n);
  // Predecessor lists at their exact size, in block order (a pushed-to list reserves room for 17).
  const predCount = new Int32Array(n);
  for (let b = 0; b < n; b++) {
    succ[b] = reachable[b] ? allSuccessors(cfg, b) : NO_EDGES;
    for (const s of succ[b]!) predCount[s]!++;
  }
  const pred: number[][] = new Array(n);
  for (let b = 0; b < n; b++) pred[b] = new Array<number>(predCount[b]!);
  predCount.fill(0);
  for (let b = 0; b < n; b++) for (const s of succ[b]!) pred[s]![predCount[s]!++] = b;
  const rank = new Int32Array(n).fill(0x7fffffff);
  cfg.reversePostorder.forEach((b, i) => (rank[b] = i));
  return { succ, pred, rank };
}

/**
 * The atoms: an uncuttable block joins its predecessors, loops that fit in three
 * quarters of a piece are merged whole (outermost first, opening a loop too big
 * at its header, whose spine is then kept whole when it fits half a piece), and
 * atoms are ordered: the entry's, the pinned ones, then by the reverse postorder
 * rank of their first block, except that the regions of a loop whose spine was
 * kept come right after its header, hottest per byte first (loop-spine.ts).
 */
function atomsOf(input: PartitionInput, edges: Edges): Atoms {
  const { cfg, blockSize, entryCost, cuttable, pinned, limit } = input;
  const { pred, rank } = edges;
  const n = cfg.blockCount;
  const reachable = cfg.reachable;
  // A set's weight is what a loop's atom costs: its reachable blocks with their entries.
  const weight = new Float64Array(n);
  const extra = input.pieceExtra;
  for (let b = 0; b < n; b++) if (reachable[b]) weight[b] = blockSize[b]! + (extra ? extra[b]! : 0) + entryCost[b]!;
  const uf = new UnionFind(n, weight);
  for (let b = 0; b < n; b++) {
    if (!reachable[b]) continue;
    if (!cuttable[b]) for (const q of pred[b]!) uf.union(b, q);
  }
  const pieceBudget = limit - input.pieceOverhead;
  const atomSize = (blocks: Iterable<number>): number => {
    const roots = new Set<number>();
    for (const b of blocks) roots.add(uf.find(b));
    let size = 0;
    for (const r of roots) size += uf.weight[r]!;
    return size;
  };
  for (const group of input.together ?? []) {
    const members = group.filter((b) => reachable[b]);
    if (members.length > 1 && atomSize(members) <= pieceBudget * 0.5) for (const b of members) uf.union(members[0]!, b);
  }

  // Keep loops whole where they fit.
  const absorbLoops = (members: Uint8Array) => {
    for (const comp of stronglyConnectedComponents(cfg, members)) {
      if (!isLoop(cfg, comp)) continue;
      // Room is left for the stubs of the loop's entries and exits.
      if (atomSize(comp) <= pieceBudget * 0.75) {
        for (const b of comp) uf.union(comp[0]!, b);
        continue;
      }
      let header = comp[0]!;
      for (const b of comp) if (rank[b]! < rank[header]!) header = b;
      const inner = new Uint8Array(n);
      for (const b of comp) if (b !== header) inner[b] = 1;
      absorbLoops(inner);
      // What every iteration runs stays in one piece when it fits (loop-spine.ts).
      const layout = loopLayout(cfg, comp, header, rank);
      if (layout.spine.length > 1 && atomSize(layout.spine) <= pieceBudget * 0.5) {
        for (const b of layout.spine) uf.union(header, b);
        regions.add(header, layout);
      }
    }
  };
  const regions = new RegionOrder(cfg, rank, blockSize);
  if (!input.openLoops) absorbLoops(reachable);

  const atoms = atomsInOrder(cfg, uf);
  // The pinned atom and the entry block's atom open piece 0.
  const entryRoot = uf.find(0);
  // Atoms holding a pinned block go to piece 0 (each stays its own atom).
  const pinnedAtom = new Set<number>();
  for (let b = 0; b < n; b++) if (reachable[b] && pinned[b]) pinnedAtom.add(uf.find(b));
  const priority = (atom: number[]): [number, number, number, number] => {
    const first = atom[0]!;
    const r = uf.find(first);
    if (r === entryRoot) return [-2, 0, 0, 0];
    if (pinnedAtom.has(r)) return [-1, 0, 0, 0];
    const h = regions.headerOfBlock(first);
    if (h >= 0 && r !== uf.find(h)) return regions.key(first);
    return [rank[first]!, 0, 0, 0];
  };
  // Sorted by key, ties in their order so far; keys in one typed array, not a tuple per atom.
  const keys = new Float64Array(atoms.length * 4);
  atoms.forEach((a, i) => keys.set(priority(a), i * 4));
  const order = Array.from({ length: atoms.length }, (_, i) => i);
  order.sort((i, j) => {
    for (let k = 0; k < 4; k++) if (keys[i * 4 + k] !== keys[j * 4 + k]) return keys[i * 4 + k]! - keys[j * 4 + k]!;
    return i - j;
  });
  const regionPieces = input.regionPieces !== undefined && regions.loops > 0 && regions.regionCount() <= input.regionPieces.max;
  return { uf, atoms: order.map((i) => atoms[i]!), pinnedAtom, spinedLoops: regions.loops, regionOf: (b) => regions.regionOfBlock(b), regionPieces };
}

/**
 * The sets of `uf` as lists of blocks in reverse postorder, the lists in the order
 * of their first block; each list built at its size (most atoms are one block, and
 * a pushed-to list reserves room for 17).
 */
function atomsInOrder(cfg: BlockGraph, uf: UnionFind): number[][] {
  const rpo = cfg.reversePostorder;
  const atomOfRoot = new Int32Array(cfg.blockCount).fill(-1);
  const atomOf = new Int32Array(rpo.length);
  const sizes: number[] = [];
  for (let k = 0; k < rpo.length; k++) {
    const r = uf.find(rpo[k]!);
    if (atomOfRoot[r]! < 0) {
      atomOfRoot[r] = sizes.length;
      sizes.push(0);
    }
    const a = (atomOf[k] = atomOfRoot[r]!);
    sizes[a]!++;
  }
  const atoms = sizes.map((size) => new Array<number>(size));
  const filled = new Int32Array(sizes.length);
  for (let k = 0; k < rpo.length; k++) {
    const a = atomOf[k]!;
    atoms[a]![filled[a]!++] = rpo[k]!;
  }
  return atoms;
}

/**
 * What a piece costs: its blocks, an entry for each block entered from another
 * piece, an exit per target outside it and a stub per exit group. With `stubs`,
 * entries and groups are priced by the slots the piece's blocks touch and write,
 * marked with a generation number per costing.
 */
class PieceCosting {
  private readonly touched: Int32Array;
  private readonly written: Int32Array;
  private generation = 0;

  constructor(
    private readonly input: PartitionInput,
    private readonly edges: Edges,
    private readonly pieceOf: Int32Array,
  ) {
    const width = input.stubs ? input.stubs.width : 0;
    this.touched = new Int32Array(width);
    this.written = new Int32Array(width);
  }

  private markSlots(p: number, lists: readonly (readonly number[])[]): void {
    const stubs = this.input.stubs;
    if (!stubs) return;
    const { touched, written } = this;
    const generation = ++this.generation;
    if (p === 0) for (const x of stubs.writtenAtStart) touched[x] = written[x] = generation;
    for (const list of lists) {
      for (const b of list) {
        for (const x of stubs.reads[b]!) touched[x] = generation;
        for (const x of stubs.writes[b]!) touched[x] = written[x] = generation;
      }
    }
  }

  private entryCostOf(b: number): number {
    const stubs = this.input.stubs;
    if (!stubs) return this.input.entryCost[b]!;
    let cost = stubs.entryBase[b]!;
    for (const l of stubs.entryLoads[b]!) if (this.touched[l.slot] === this.generation) cost += l.cost;
    return cost;
  }

  private groupCostOf(g: number): number {
    const stubs = this.input.stubs;
    if (!stubs) return this.input.groupCost![g]!;
    let cost = stubs.groupBase[g]!;
    for (const l of stubs.groupStores[g]!) if (this.written[l.slot] === this.generation) cost += l.cost;
    return cost;
  }

  private exitsCost(targets: Set<number>): number {
    const input = this.input;
    let cost = 0;
    const groups = new Set<number>();
    for (const t of targets) {
      cost += input.exitCost[t]!;
      if (input.exitGroup) groups.add(input.exitGroup[t]!);
    }
    for (const g of groups) cost += this.groupCostOf(g);
    return cost;
  }

  /** Exact cost of piece p given its blocks: every block outside counts as outside. */
  exact(p: number, blocks: readonly number[], overhead: number): number {
    const { pieceOf } = this;
    const { pred, succ } = this.edges;
    const blockSize = this.input.blockSize;
    const extra = p !== 0 ? this.input.pieceExtra : undefined;
    this.markSlots(p, [blocks]);
    let cost = overhead;
    const targets = new Set<number>();
    for (const b of blocks) {
      cost += blockSize[b]! + (extra ? extra[b]! : 0);
      let entry = b === 0 && p !== 0;
      for (const q of pred[b]!) if (pieceOf[q] !== p) entry = true;
      if (entry) cost += this.entryCostOf(b);
      for (const s of succ[b]!) if (pieceOf[s] !== p) targets.add(s);
    }
    return cost + this.exitsCost(targets);
  }

  /** Cost of piece p with `atom` added, not counting transfers into unplaced blocks. */
  optimistic(p: number, blocks: readonly number[], atom: readonly number[], overhead: number): number {
    const { pieceOf } = this;
    const { pred, succ } = this.edges;
    const blockSize = this.input.blockSize;
    for (const b of atom) pieceOf[b] = p;
    this.markSlots(p, [blocks, atom]);
    let cost = overhead;
    const targets = new Set<number>();
    const extra = p !== 0 ? this.input.pieceExtra : undefined;
    for (const list of [blocks, atom]) {
      for (const b of list) {
        cost += blockSize[b]! + (extra ? extra[b]! : 0);
        let entry = b === 0 && p !== 0;
        for (const q of pred[b]!) if (pieceOf[q] !== p) entry = true;
        if (entry) cost += this.entryCostOf(b);
        for (const s of succ[b]!) if (pieceOf[s] !== p && pieceOf[s]! >= 0) targets.add(s);
      }
    }
    for (const b of atom) pieceOf[b] = -1;
    return cost + this.exitsCost(targets);
  }
}

/**
 * Packing. A piece's cost is exact for what is decided: its blocks, the blocks
 * of it entered from elsewhere, and its transfers into blocks already placed in
 * other pieces. Transfers into blocks not placed yet are left out when admitting
 * an atom (they may still join the piece: a switch and its cases), and counted
 * when the piece closes; if it is then over budget, the atoms admitted last go
 * back to the queue until it fits (priced incrementally: closing-piece.ts).
 */
function packPieces(input: PartitionInput, edges: Edges, a: Atoms, costing: PieceCosting, pieceOf: Int32Array): { ok: true; pieceBlocks: number[][]; pieceCost: number[] } | Failure {
  const { limit } = input;
  const { uf, pinnedAtom } = a;
  const pieceBlocks: number[][] = [];
  const pieceCost: number[] = [];
  const queue = a.atoms.slice();
  // Without stub prices the open piece is priced incrementally (same figures as `optimistic`).
  const openPiece = input.stubs ? undefined : new OpenPiece(input, edges, pieceOf);
  // And the piece being closed, while atoms go back to the queue (same figures as `exact`).
  const closingPiece = input.stubs ? undefined : new ClosingPiece(input, edges, pieceOf);
  const state = { qi: 0, bridging: pinnedAtom.size > 0 };
  const bridged = new Set<number>();
  while (state.qi < queue.length) {
    const p = pieceBlocks.length;
    const overhead = p === 0 ? input.driverOverhead : input.pieceOverhead;
    const pieceLimit = p === 0 ? (input.driverLimit ?? limit) : (input.pieceLimit ?? limit);
    const blocks: number[] = [];
    const admitted: number[][] = [];
    openPiece?.open(p, blocks, overhead);
    while (state.qi < queue.length) {
      const atom = queue[state.qi]!;
      const isPinned = pinnedAtom.has(uf.find(atom[0]!));
      if (p > 0 && isPinned) throw new InternalError("pinned atom outside piece 0");
      if (p === 0 && !isPinned && state.bridging && admitted.length > 0) {
        // The pinned atoms are all in: keep next to them what is cheaper there.
        state.bridging = false;
        bridgePinned(input, edges, a, costing, pieceOf, queue, state.qi, blocks, admitted, bridged);
        openPiece?.open(p, blocks, overhead);
        continue;
      }
      // Region pieces: a region of a kept spine's loop closes the piece before anything else.
      if (a.regionPieces && p > 0 && admitted.length > 0 && a.regionOf(atom[0]!) !== a.regionOf(admitted[0]![0]!)) break;
      if (admitted.length > 0 && !isPinned && optimisticCost(openPiece, costing, p, blocks, atom, overhead) > pieceLimit) break;
      for (const b of atom) pieceOf[b] = p;
      for (const b of atom) blocks.push(b);
      openPiece?.add(atom);
      admitted.push(atom);
      state.qi++;
      // Piece 0 may have to close early to keep the pinned code in it.
    }
    let cost = exactOnClosing(closingPiece, costing, p, blocks, overhead);
    while (cost > pieceLimit && admitted.length > 1) {
      const last = admitted[admitted.length - 1]!;
      if (pinnedAtom.has(uf.find(last[0]!)) || bridged.has(uf.find(last[0]!))) break;
      admitted.pop();
      for (const b of last) pieceOf[b] = -1;
      blocks.length -= last.length;
      queue[--state.qi] = last;
      cost = exactWithout(closingPiece, costing, p, blocks, last, overhead);
    }
    if (cost > pieceLimit) {
      const atom = admitted[admitted.length - 1]!;
      const isPinned = pinnedAtom.has(uf.find(atom[0]!));
      if (p === 0 && !isPinned && admitted.length === 1) {
        // The driver cannot hold even the first atom: leave it empty, move on.
        for (const b of atom) pieceOf[b] = -1;
        queue[--state.qi] = atom;
        pieceBlocks.push([]);
        pieceCost.push(costing.exact(0, [], overhead));
        continue;
      }
      return overLimit(input, p, pinnedAtom.size > 0, blocks, atom, cost);
    }
    pieceBlocks.push(blocks);
    pieceCost.push(cost);
  }
  return { ok: true, pieceBlocks, pieceCost };
}

/** Checked against the full recomputation when the test setup verifies passes (passes/verify-transform.ts's variable; the core imports no backend). */
const CHECK_OPEN_PIECE = process.env["MEGASPLIT_VERIFY_PASSES"] === "1";

/** The open piece's cost with `atom`: incremental when it can be, recomputed otherwise. */
function optimisticCost(openPiece: OpenPiece | undefined, costing: PieceCosting, p: number, blocks: readonly number[], atom: readonly number[], overhead: number): number {
  if (!openPiece) return costing.optimistic(p, blocks, atom, overhead);
  const cost = openPiece.costWith(atom);
  if (CHECK_OPEN_PIECE) {
    const full = costing.optimistic(p, blocks, atom, overhead);
    if (full !== cost) throw new InternalError(`open piece ${p} priced ${cost} with an atom of ${atom.length} blocks, the full count ${full}`);
  }
  return cost;
}

/** The exact cost of piece p as it closes, starting the incremental account when there is one. */
function exactOnClosing(closingPiece: ClosingPiece | undefined, costing: PieceCosting, p: number, blocks: readonly number[], overhead: number): number {
  if (!closingPiece) return costing.exact(p, blocks, overhead);
  const cost = closingPiece.open(p, blocks, overhead);
  if (CHECK_OPEN_PIECE) {
    const full = costing.exact(p, blocks, overhead);
    if (full !== cost) throw new InternalError(`closing piece ${p} priced ${cost}, the full count ${full}`);
  }
  return cost;
}

/** The closing piece's exact cost after `atom` went back to the queue: incremental when it can be, recomputed otherwise. */
function exactWithout(closingPiece: ClosingPiece | undefined, costing: PieceCosting, p: number, blocks: readonly number[], atom: readonly number[], overhead: number): number {
  if (!closingPiece) return costing.exact(p, blocks, overhead);
  const cost = closingPiece.remove(atom);
  if (CHECK_OPEN_PIECE) {
    const full = costing.exact(p, blocks, overhead);
    if (full !== cost) throw new InternalError(`closing piece ${p} priced ${cost} without an atom of ${atom.length} blocks, the full count ${full}`);
  }
  return cost;
}

/**
 * Between two pinned blocks (two final-field writes) the code computing the
 * second value costs the driver an exit and an entry if it goes to a piece; a
 * few bytes of it cost less kept in the driver, in place. Takes into piece 0
 * every unplaced atom next to its blocks that lowers its exact cost, until none
 * does. The atoms taken are `bridged`: they stay in piece 0 like pinned ones.
 */
function bridgePinned(
  input: PartitionInput,
  edges: Edges,
  a: Atoms,
  costing: PieceCosting,
  pieceOf: Int32Array,
  queue: number[][],
  qi: number,
  blocks: number[],
  admitted: number[][],
  bridged: Set<number>,
): void {
  let cost = costing.exact(0, blocks, input.driverOverhead);
  for (let changed = true; changed; ) {
    changed = false;
    for (let k = qi; k < queue.length; k++) {
      const atom = queue[k]!;
      let near = false;
      for (const b of atom) for (const q of edges.pred[b]!) if (pieceOf[q] === 0) near = true;
      if (!near) continue;
      for (const b of atom) pieceOf[b] = 0;
      const c = costing.exact(0, [...blocks, ...atom], input.driverOverhead);
      if (c >= cost) {
        for (const b of atom) pieceOf[b] = -1;
        continue;
      }
      cost = c;
      blocks.push(...atom);
      admitted.push(atom);
      bridged.add(a.uf.find(atom[0]!));
      queue.splice(k--, 1);
      changed = true;
    }
  }
}

/** Why a piece could not be closed under the limit: the pinned code, or one atom too big. */
function overLimit(input: PartitionInput, p: number, hasPinned: boolean, blocks: number[], atom: number[], cost: number): Failure {
  const { blockSize, cuttable, pinned, limit } = input;
  const extra = p !== 0 ? input.pieceExtra : undefined;
  const size = atom.reduce((s, b) => s + blockSize[b]! + (extra ? extra[b]! : 0), 0);
  if (p === 0 && hasPinned) {
    // What piece 0 holds now is the pinned code and what is cheaper next to it than elsewhere.
    const pinnedCode = input.pinnedCode ?? "the code that must stay in the original method (before super(), or final-field writes)";
    const reason = `${pinnedCode} must stay in the original method; with the code between that costs less there than the transfers to move it, that is an estimated ${cost} bytes, over the limit of ${limit}`;
    return { ok: false, what: "pinned", reason, blocks: blocks.filter((b) => pinned[b]), size: blocks.reduce((s, b) => s + blockSize[b]!, 0) };
  }
  const what = atom.length === 1 ? "block" : atom.some((b, i) => i > 0 && !cuttable[b]) ? "region" : "loop";
  const described =
    what === "block"
      ? `a single block (block ${atom[0]}) of ${size} bytes`
      : what === "region"
        ? `a region that cannot be cut (blocks ${atom[0]}.., holding an uninitialized object or a monitor)`
        : `a loop (blocks ${atom[0]}..)`;
  return { ok: false, what, reason: `${described} needs ${cost} bytes with its entries and exits, over the limit of ${limit}`, blocks: atom, size };
}
