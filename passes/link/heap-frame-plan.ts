/**
 * The heap frame's plan for one partition, before any code is written: what
 * crosses each cut (the live locals and stack values with their kinds), which
 * frame arrays the method needs and so the pieces' descriptor, and which locals
 * each transfer moves: an exit stores only the live locals its body may have
 * written on the way, an entry loads only what the blocks it reaches use, and the
 * locals only the driver writes stay in the driver's own slots (written through
 * to the frame where a piece reads them). `heap-frame.ts` writes the code.
 * Cost: per piece, one walk over its blocks per exit target and per entry.
 */
import { Op } from "../../src/bytecode/opcodes.js";
import { parseMethodDescriptor } from "../../src/bytecode/descriptors.js";
import { allSuccessors } from "../core/loops.js";
import { isLive } from "../liveness.js";
import { type CutShape, cutShapes, localsOfBlocks, pieceEntries } from "./blocks.js";
import { frameDescriptor, KIND_DOUBLE, KIND_LONG, KIND_REF, kindOfDescriptor } from "./frame-arrays.js";
import type { LinkInput } from "./link-types.js";

/** What crosses the cuts of a partition and which locals each transfer moves. */
export interface HeapFramePlan {
  md: ReturnType<typeof parseMethodDescriptor>;
  /** Kind of the return value in the frame arrays, or -1 for void. */
  returnKind: number;
  spillBase: number;
  returnIndex: number;
  frameLength: number;
  shapeOf: (block: number) => CutShape;
  entries: number[][];
  entryIndex: Int32Array;
  /** The frame-array kinds in use, in parameter order. */
  kinds: number[];
  pieceDescriptor: string;
  paramSlots: number;
  /** Per body and exit target: the locals stored there. */
  savedAt: Map<number, Uint8Array>[];
  /** Per entry block: the locals loaded there. */
  loadedAt: Map<number, Uint8Array>;
  /** Locals only the driver writes, with one kind: they stay in the driver's own slots. */
  owned: Uint8Array;
  ownedKind: Int8Array;
  /** Owned locals some piece loads: written through to the frame. */
  writeThrough: Uint8Array;
}

export function planHeapFrame(input: LinkInput): HeapFramePlan {
  const { cfg, partition } = input;
  const pieceCount = partition.pieceBlocks.length;
  const md = parseMethodDescriptor(input.descriptor);
  const returnKind = md.returnType === "V" ? -1 : kindOfDescriptor(md.returnType);
  const spillBase = input.maxLocals;
  const returnIndex = spillBase + input.maxSpill;
  const shapeOf = cutShapes(input.frameAt, input.liveness, input.types);
  const { entries, isEntry, entryIndex } = pieceEntries(cfg, partition);
  // Which kinds of array the method needs.
  const used = new Set<number>();
  for (let b = 0; b < cfg.blockCount; b++) {
    if (!isEntry[b]) continue;
    const s = shapeOf(b);
    for (const l of s.locals) used.add(l.kind);
    for (const v of s.stack) used.add(v.kind);
  }
  if (returnKind >= 0 && pieceCount > 1) used.add(returnKind);
  if (input.loopResident) for (const k of input.loopResident) if (k >= 0) used.add(k);
  const kinds = [...used].sort((a, b) => a - b);
  const paramSlots = md.paramSlots + (input.isStatic ? 0 : 1);
  const width = input.maxLocals + 2;
  const blockLocals = localsOfBlocks(input.body, cfg);
  const { useOf, defOf } = usesAndDefs(input, blockLocals, paramSlots);
  const { savedAt, loadedAt } = transferSets(input, entries, useOf, defOf, paramSlots, width);
  const { owned, ownedKind } = ownedLocals(input, md, defOf, savedAt, width);
  const writeThrough = new Uint8Array(width);
  for (let p = 1; p < pieceCount; p++) for (const e of entries[p]!) for (const l of shapeOf(e).locals) if (owned[l.slot] && loadedAt.get(e)![l.slot]) writeThrough[l.slot] = 1;
  keepDriverParameters(input, entries, savedAt, loadedAt, blockLocals.writes, paramSlots, width);
  return {
    md,
    returnKind,
    spillBase,
    returnIndex,
    frameLength: returnIndex + 2,
    shapeOf,
    entries,
    entryIndex,
    kinds,
    pieceDescriptor: frameDescriptor(kinds, "I"),
    paramSlots,
    savedAt,
    loadedAt,
    owned,
    ownedKind,
    writeThrough,
  };
}

/** Per placed block: the locals it reads, and those it writes (block 0 also writes the parameters). */
function usesAndDefs(input: LinkInput, blockLocals: { reads: number[][]; writes: number[][] }, paramSlots: number) {
  const { cfg, partition } = input;
  const useOf: (number[] | undefined)[] = new Array(cfg.blockCount);
  const defOf: (number[] | undefined)[] = new Array(cfg.blockCount);
  for (let b = 0; b < cfg.blockCount; b++) {
    if (partition.pieceOf[b]! < 0) continue;
    const u = blockLocals.reads[b]!;
    const d = blockLocals.writes[b]!.slice();
    if (b === 0) for (let k = 0; k < paramSlots; k++) d.push(k);
    useOf[b] = u;
    defOf[b] = d;
  }
  return { useOf, defOf };
}

/**
 * Which locals travel at each transfer. The frame arrays keep values between
 * transfers, so a body stores at an exit only the live locals it may have written
 * on the way there (the blocks that reach the exit), and loads at an entry only
 * what the blocks it reaches read or write, or may store at an exit they reach
 * (so every path has a value to store). The driver writes the parameters at the
 * method's start. Sets are per block, so a case of an interpreter's switch moves
 * only the registers that case touches.
 */
function transferSets(
  input: LinkInput,
  entries: number[][],
  useOf: readonly (number[] | undefined)[],
  defOf: readonly (number[] | undefined)[],
  paramSlots: number,
  width: number,
): { savedAt: Map<number, Uint8Array>[]; loadedAt: Map<number, Uint8Array> } {
  const { cfg, partition, liveness } = input;
  const pieceOf = partition.pieceOf;
  const savedAt: Map<number, Uint8Array>[] = [];
  const loadedAt = new Map<number, Uint8Array>();
  for (let p = 0; p < partition.pieceBlocks.length; p++) {
    const blocks = partition.pieceBlocks[p]!;
    const preds = new Map<number, number[]>();
    const exitsFrom = new Map<number, number[]>();
    // Lists appended in place: a join that every case of a switch reaches has hundreds of predecessors in one piece.
    const append = (m: Map<number, number[]>, key: number, value: number): void => {
      const list = m.get(key);
      if (list === undefined) m.set(key, [value]);
      else list.push(value);
    };
    for (const b of blocks) {
      for (const t of allSuccessors(cfg, b)) {
        if (pieceOf[t] === p) append(preds, t, b);
        else append(exitsFrom, b, t);
      }
    }
    const targets = new Map<number, Uint8Array>();
    const sourcesOf = new Map<number, number[]>();
    for (const [b, ts] of exitsFrom) for (const t of ts) append(sourcesOf, t, b);
    if (p === 0 && pieceOf[0] !== 0) append(sourcesOf, 0, -1);
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
        for (const t of allSuccessors(cfg, b)) if (pieceOf[t] === p) work.push(t);
      }
      loadedAt.set(e, need);
    }
  }
  return { savedAt, loadedAt };
}

/**
 * Locals only the driver writes, always with one kind (an interpreter's arrays,
 * a loop bound): the driver writes each store of one through to the frame (and
 * the parameters at its start), so no exit stores them and no driver entry
 * reloads them; its own local stays right across every call. They are set to a
 * zero or null at the start, so the verifier sees them assigned at the loop.
 * Clears them from the driver's exit stores (`savedAt[0]`).
 */
function ownedLocals(
  input: LinkInput,
  md: ReturnType<typeof parseMethodDescriptor>,
  defOf: readonly (number[] | undefined)[],
  savedAt: Map<number, Uint8Array>[],
  width: number,
): { owned: Uint8Array; ownedKind: Int8Array } {
  const { cfg, partition } = input;
  const owned = new Uint8Array(width);
  const ownedKind = new Int8Array(width).fill(-1);
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
  // An index loop: for-of over a whole method's nodes allocated an iterator result per node (gigabytes of garbage at 16 MB).
  for (let ni = 0, allNodes = input.body.nodes; ni < allNodes.length; ni++) {
    const n = allNodes[ni]!;
    if (n.kind === "iinc") note(n.index, 0);
    else if (n.kind === "local" && n.op >= Op.ISTORE && n.op <= Op.ASTORE) note(n.index, n.op - Op.ISTORE);
  }
  const writtenInPieces = new Uint8Array(width);
  for (let b = 0; b < cfg.blockCount; b++) if (partition.pieceOf[b]! > 0) for (const x of defOf[b]!) writtenInPieces[x] = 1;
  for (let x = 0; x < input.maxLocals; x++) owned[x] = ownedKind[x]! >= 0 && !conflict[x] && !writtenInPieces[x] ? 1 : 0;
  // `this` of a constructor is uninitialized at the start: it travels as before.
  if (input.driverName === "<init>") owned[0] = 0;
  for (const st of savedAt[0]!.values()) for (let x = 0; x < width; x++) if (owned[x]) st[x] = 0;
  return { owned, ownedKind };
}

/**
 * The driver's own locals outlive its calls: a parameter that no piece stores and
 * nothing writes again in the driver still holds its value, with its declared
 * type, when control comes back, so it is neither loaded nor narrowed.
 */
function keepDriverParameters(
  input: LinkInput,
  entries: number[][],
  savedAt: Map<number, Uint8Array>[],
  loadedAt: Map<number, Uint8Array>,
  writes: number[][],
  paramSlots: number,
  width: number,
): void {
  const { cfg, partition } = input;
  const pieceCount = partition.pieceBlocks.length;
  const storedByPieces = new Uint8Array(width);
  for (let p = 1; p < pieceCount; p++) for (const st of savedAt[p]!.values()) for (let x = 0; x < width; x++) if (st[x]) storedByPieces[x] = 1;
  const writtenInDriver = new Uint8Array(width);
  for (let b = 0; b < cfg.blockCount; b++) if (partition.pieceOf[b] === 0) for (const x of writes[b]!) writtenInDriver[x] = 1;
  for (const e of entries[0]!) {
    const need = loadedAt.get(e)!;
    for (let x = 0; x < paramSlots; x++) if (!storedByPieces[x] && !writtenInDriver[x]) need[x] = 0;
  }
}

