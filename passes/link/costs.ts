/**
 * The link cost model: what the linker will add to a piece for every block entered
 * from another piece and for every group of exits, per handover (heap frame or
 * parameters), in bytes, as the arrays `passes/core/partition.ts` takes. The
 * partition works on these upper bounds; the splitter encodes the result and
 * partitions again with a smaller budget when an estimate was short.
 *
 * The constants are the byte counts of the stubs `heap-frame.ts` and
 * `parameters.ts` write (a tableswitch case and a goto per entry, an exit code
 * push and a goto per exit, a frame array's loads and stores per live value);
 * keep them in step with those files. Cost: one pass over the body and one over
 * the live slots of each reachable block.
 */
import type { MethodBody } from "../../src/bytecode/model.js";
import { maxEncodedSize } from "../../src/bytecode/size-bound.js";
import { isInstruction, type ControlFlowGraph } from "../cfg.js";
import { NULL, TOP, type Frame, type FrameAnalysis } from "../frames.js";
import { liveSlots, type Liveness, type SlotSet } from "../liveness.js";
import { SequenceIds } from "../core/sequence-ids.js";
import { STRAIGHT_CALL_PIECES } from "./driver-calls.js";

/** A piece method's fixed cost: its entry switch and return. */
export const PIECE_OVERHEAD = 24;
const ENTRY_TAIL = 9; // tableswitch case + goto
const EXIT_TAIL = 8; // code push + goto to the group's stub
const GROUP_TAIL = 20; // istore/iload of the code, and the return or the call
/**
 * With exit codes pushed without the constant pool (`heap-frame.ts`, `wideCodes`):
 * per target the piece and the entry (sipush each) and a goto; per group the
 * swap, bipush 16, ishl, ior that make them one code.
 */
const EXIT_TAIL_WIDE = 3 + 3 + 5;
const GROUP_COMBINE = 1 + 2 + 1 + 1;
const PER_STACK_LOAD = 10;
const PER_STACK_STORE = 14;
const TAIL_PER_STACK = 5; // a temporary's store and load, a checkcast
const TAIL_GROUP = 12; // the entry's load, the call, the return, a goto
/** The driver's fixed cost with parameters: the first tail call and its return. */
export const TAIL_DRIVER = 24;
/**
 * Region pieces (partition.ts `regionPieces`): at most this many regions of kept
 * spines get a piece each (a few constants per piece in the class's pool), and a
 * driver exit into a region's root costs this much more than a code push: the
 * entry, the frame arrays, the call, the `pop` or test of its code, a `goto`. Only
 * splits the driver calls straight (`STRAIGHT_CALL_PIECES` pieces or more) keep them.
 */
export const REGION_PIECES = Object.freeze({ max: 512, callCost: 8, minPieces: STRAIGHT_CALL_PIECES });
/** Bytes of the driver per call site into a piece or dispatcher. */
export const DISPATCH_SITE = 24;

/** Bytes to push an array index (iconst_n, bipush, sipush). */
function indexCost(i: number): number {
  return i <= 5 ? 1 : i <= 127 ? 2 : 3;
}
/** Bytes of an xload/xstore of a local (short form, u1, wide). */
function localCost(slot: number): number {
  return slot <= 3 ? 1 : slot <= 255 ? 2 : 4;
}

/** Bytes of an entry's load of a live local from the frame arrays (a reference also casts). */
export function loadCost(slot: number, ref: boolean): number {
  return 2 + indexCost(slot) + 1 + (ref ? 3 : 0) + localCost(slot + 6);
}
/** Bytes of an exit's store of a live local into the frame arrays. */
export function storeCost(slot: number): number {
  return 2 + indexCost(slot) + localCost(slot + 6) + 1;
}
/** The load list of every block with no live local (shared, never written). */
const NO_LOADS: SlotCost[] = [];

/** What the cost model reads of a cut body. */
export interface LinkAnalyses {
  readonly body: MethodBody;
  readonly cfg: ControlFlowGraph;
  readonly frames: FrameAnalysis;
  readonly liveness: Liveness;
  /** Types at the entry of every reachable block (undefined for unreachable ones). */
  readonly entryFrame: readonly Frame[];
}

/** One live local a stub moves, and the bytes its load or store costs. */
export interface SlotCost {
  slot: number;
  cost: number;
}

/** Per-block and per-exit-group costs for both handovers. */
export interface LinkCostTables {
  /** Upper bound of each block's encoded size. */
  blockSize: Int32Array;
  /** Per block: what its code grows by in a heap-frame piece other than the driver (`shiftedLocalsExtra`). */
  heapFramePieceExtra: Int32Array;
  /** Per block: the exit stub's cost for one target. */
  exitCost: Int32Array;
  /** Per block: its exit group (targets saving the same values share the stores). */
  exitGroup: Int32Array;
  heapFrame: {
    entryCost: Int32Array;
    groupCost: Int32Array;
    /** Entry cost without the loads of live locals, and those loads (partition's exact `stubs`). */
    entryBase: Int32Array;
    entryLoads: SlotCost[][];
    groupBase: Int32Array;
    groupStores: SlotCost[][];
  };
  parameters: { entryCost: Int32Array; groupCost: Int32Array };
}

/**
 * The most slots a heap-frame piece puts before the original locals: the entry
 * index and one frame array per kind (`heap-frame.ts`, its layout's `shift`).
 * The stubs' loads and stores above are priced at this shift too.
 */
const HEAP_FRAME_SHIFT = 6;

/**
 * Per block: the bytes its code grows by when every local is renumbered `shift`
 * slots up, as a heap-frame piece does (the driver keeps the numbering): a
 * short form becomes two bytes (`iload_1` -> `iload 7`) and an index pushed past
 * 255 takes `wide` (JVMS 6.5 wide), for loads, stores and `iinc`. Without it a
 * piece of an interpreter, whose cases work on low-numbered registers, came out
 * about one byte per block over its estimate (8,252 bytes priced at 7,999), and
 * every such split took one more attempt at a smaller budget.
 */
export function shiftedLocalsExtra(body: MethodBody, cfg: ControlFlowGraph, shift: number): Int32Array {
  const extra = new Int32Array(cfg.blockCount);
  for (let b = 0; b < cfg.blockCount; b++) {
    for (let i = cfg.blockStart[b]!; i < cfg.blockEnd[b]!; i++) {
      const node = body.nodes[i]!;
      if (node.kind === "local" || node.kind === "iinc") extra[b]! += maxEncodedSize({ ...node, index: node.index + shift }) - maxEncodedSize(node);
    }
  }
  return extra;
}

/** Upper bounds of every block's encoded size. */
export function blockSizes(body: MethodBody, cfg: ControlFlowGraph): Int32Array {
  const blockSize = new Int32Array(cfg.blockCount);
  for (let b = 0; b < cfg.blockCount; b++) {
    for (let i = cfg.blockStart[b]!; i < cfg.blockEnd[b]!; i++) {
      const node = body.nodes[i]!;
      if (isInstruction(node)) blockSize[b]! += maxEncodedSize(node);
    }
  }
  return blockSize;
}

/** What an entry into a block and an exit to it cost, the same for every block with one entry frame and one live set. */
interface EntryFigures {
  group: number;
  loads: SlotCost[];
  entryBase: number;
  entryCost: number;
  tailEntryCost: number;
}

/**
 * The heap frame's entries load every live local from the frame arrays (and the
 * stack values from the spill area); its exit groups store them. With parameters
 * an entry loads only the stack, and an exit pushes every slot up to the highest
 * live one (holes as zeros) and calls. Blocks with the same entry frame object
 * (equal frames are one: passes/shared-frames.ts) and equal live sets get one
 * computation, so a method with 300 live locals over 800,000 blocks does not
 * list its live slots per block.
 */
export function linkCostTables(a: LinkAnalyses): LinkCostTables {
  const { cfg, liveness } = a;
  const n = cfg.blockCount;
  const entryCost = new Int32Array(n);
  const tailEntryCost = new Int32Array(n);
  const exitCost = new Int32Array(n);
  const exitGroup = new Int32Array(n);
  const entryLoads: SlotCost[][] = new Array(n).fill(NO_LOADS);
  const entryBase = new Int32Array(n);
  const tables = new GroupTables(a.frames);
  // Per entry frame object, the figures by live set (numbered by content: a few words each).
  const liveSetIds = new SequenceIds();
  const figuresOf = new Map<Frame, EntryFigures[]>();
  for (let b = 0; b < n; b++) {
    if (!cfg.reachable[b]) continue;
    const f = a.entryFrame[b]!;
    const live = liveness.liveIn[b]!;
    const liveId = liveSetIds.idOf(live, live.length);
    let byLiveSet = figuresOf.get(f);
    if (byLiveSet === undefined) figuresOf.set(f, (byLiveSet = []));
    let figures = byLiveSet[liveId];
    if (figures === undefined) byLiveSet[liveId] = figures = tables.figures(f, live);
    if (figures.loads.length > 0) entryLoads[b] = figures.loads;
    entryBase[b] = figures.entryBase;
    entryCost[b] = figures.entryCost;
    tailEntryCost[b] = figures.tailEntryCost;
    // Per target a code and a jump; the stores are shared by targets that save the same values.
    exitCost[b] = EXIT_TAIL;
    exitGroup[b] = figures.group;
  }
  return {
    blockSize: blockSizes(a.body, cfg),
    heapFramePieceExtra: shiftedLocalsExtra(a.body, cfg, HEAP_FRAME_SHIFT),
    exitCost,
    exitGroup,
    heapFrame: {
      entryCost,
      groupCost: Int32Array.from(tables.groupCosts),
      entryBase,
      entryLoads,
      groupBase: Int32Array.from(tables.groupBase),
      groupStores: tables.groupStores,
    },
    parameters: { entryCost: tailEntryCost, groupCost: Int32Array.from(tables.tailGroupCosts) },
  };
}

/**
 * The exit groups and load lists of one cost table, numbered by first
 * appearance. Blocks with the same live values share one list of loads
 * (read-only): a method with hundreds of live locals over a million blocks would
 * otherwise hold a load object per live local per block. Both groupings key on
 * integer sequences (slot * 2 + is-reference; stack height then live slots), not
 * strings.
 */
class GroupTables {
  private readonly groups = new SequenceIds();
  private readonly loadListIds = new SequenceIds();
  private readonly loadLists: SlotCost[][] = [];
  private readonly key: number[] = [];
  readonly groupCosts: number[] = [];
  readonly tailGroupCosts: number[] = [];
  readonly groupStores: SlotCost[][] = [];
  readonly groupBase: number[] = [];

  constructor(private readonly frames: FrameAnalysis) {}

  /** The figures of a block entered with frame `f` and live set `liveIn`; a new group or load list when they are new. */
  figures(f: Frame, liveIn: SlotSet): EntryFigures {
    const { frames, key } = this;
    const live = liveSlots(liveIn);
    const liveList = live.filter((slot) => slot < f.locals.length && f.locals[slot] !== TOP);
    const stackValues = f.stack.length;
    let loads = 0;
    for (let k = 0; k < liveList.length; k++) {
      const slot = liveList[k]!;
      const ref = frames.types.isObject(f.locals[slot]!);
      loads += loadCost(slot, ref);
      key[k] = slot * 2 + (ref ? 1 : 0);
    }
    const loadId = this.loadListIds.idOf(key, liveList.length);
    if (loadId === this.loadLists.length) this.loadLists.push(liveList.map((slot) => ({ slot, cost: loadCost(slot, frames.types.isObject(f.locals[slot]!)) })));
    const entryBase = ENTRY_TAIL + stackValues * PER_STACK_LOAD;
    const nulls = liveList.filter((slot) => f.locals[slot] === NULL).length;
    key[0] = stackValues;
    for (let k = 0; k < live.length; k++) key[k + 1] = live[k]!;
    const group = this.groups.idOf(key, live.length + 1);
    if (group === this.groupCosts.length) this.addGroup(liveList, stackValues);
    return {
      group,
      loads: this.loadLists[loadId]!,
      entryBase,
      entryCost: entryBase + loads,
      tailEntryCost: ENTRY_TAIL + stackValues * TAIL_PER_STACK + nulls * 3,
    };
  }

  /** A new group's stores: those of the first block that has its signature. */
  private addGroup(liveList: readonly number[], stackValues: number): void {
    const storeList = liveList.map((slot) => ({ slot, cost: storeCost(slot) }));
    const stores = storeList.reduce((sum, x) => sum + x.cost, 0);
    this.groupCosts.push(GROUP_TAIL + stores + stackValues * PER_STACK_STORE);
    this.groupBase.push(GROUP_TAIL + stackValues * PER_STACK_STORE);
    this.groupStores.push(storeList);
    let pushes = 0;
    const width = liveList.length > 0 ? liveList[liveList.length - 1]! + 2 : 0;
    const isLive = new Set(liveList);
    for (let slot = 0; slot < width; slot++) pushes += isLive.has(slot) ? localCost(slot) : 1;
    this.tailGroupCosts.push(TAIL_GROUP + pushes + stackValues * TAIL_PER_STACK);
  }
}

/**
 * The heap frame's exit costs when codes are pushed without the constant pool (a
 * method whose distinct codes would overflow it): a dearer exit per target and a
 * few bytes more per group; the entry costs are unchanged.
 */
export function wideCodeCosts(tables: LinkCostTables): Pick<LinkCostTables, "exitCost"> & { groupCost: Int32Array; groupBase: Int32Array } {
  return {
    exitCost: new Int32Array(tables.exitCost.length).fill(EXIT_TAIL_WIDE),
    groupCost: tables.heapFrame.groupCost.map((c) => c + GROUP_COMBINE),
    groupBase: tables.heapFrame.groupBase.map((c) => c + GROUP_COMBINE),
  };
}

/** Largest stack height at the entry of a block that may be cut (the heap frame's spill area). */
export function maxSpill(entryFrame: readonly Frame[], cuttable: Uint8Array): number {
  let spill = 0;
  for (let b = 0; b < cuttable.length; b++) if (cuttable[b] && entryFrame[b] && entryFrame[b]!.stack.length > spill) spill = entryFrame[b]!.stack.length;
  return spill;
}

/**
 * How many pieces the driver calls directly before it calls dispatcher methods
 * instead: each call site costs about 24 bytes of the driver, so they may take an
 * eighth of the limit; a dispatcher holds as many call sites as fit in a method.
 */
export function flatDispatchFor(limit: number): number {
  return Math.max(2, Math.floor(limit / 8 / DISPATCH_SITE));
}

/** Pieces per dispatcher method under `budget`. */
export function dispatchGroupFor(budget: number): number {
  return Math.max(2, Math.floor((budget - 64) / DISPATCH_SITE));
}

/** What the partition is priced with for one handover: entry costs per block, group costs, the driver's fixed cost. */
export function handoverCosts(tables: LinkCostTables, handover: "parameters" | "heap frame", budget: number): { entryCost: Int32Array; groupCost: Int32Array; driverOverhead: number } {
  return handover === "parameters"
    ? { entryCost: tables.parameters.entryCost, groupCost: tables.parameters.groupCost, driverOverhead: TAIL_DRIVER }
    : { entryCost: tables.heapFrame.entryCost, groupCost: tables.heapFrame.groupCost, driverOverhead: heapFrameDriverOverhead(tables.blockSize, budget) };
}

/**
 * The heap frame driver's fixed cost: allocating the frame arrays, the entry
 * switch, and a call site per piece (or per dispatcher, once the pieces are more
 * than the driver calls directly), for the pieces a first estimate expects.
 */
export function heapFrameDriverOverhead(blockSize: Int32Array, budget: number): number {
  const total = blockSize.reduce((s, x) => s + x, 0);
  const estimatedPieces = Math.ceil(total / Math.max(1, budget * 0.7)) + 1;
  return 120 + (estimatedPieces <= flatDispatchFor(budget) ? estimatedPieces * DISPATCH_SITE : Math.ceil(estimatedPieces / Math.floor((budget - 64) / DISPATCH_SITE)) * 16 + 16);
}
