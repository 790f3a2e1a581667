/**
 * Loop-spine replication for split interpreter loops (issue 14): a transform of a
 * partitioned WasmCfg (wasm-cfg.ts, pieces from passes/core/partition.ts), run
 * before the linker (link.ts) writes the pieces as functions.
 *
 * An interpreter is a loop whose blocks do not fit one piece: its spine (the loop
 * header, the fetch, the dispatch `br_table`s; and a latch every case falls into)
 * sits in one piece P0 and its cases in others. Without this transform every step
 * whose case is outside P0 makes two tail calls: P0's dispatch -> the case's piece
 * -> back to the header in P0. With it, every piece Q holding cases that branch
 * back into the spine gets its own copy of the spine blocks, with fresh block
 * numbers, and Q's branches into the spine go to Q's copy. A case then continues
 * in Q's copy of the header and dispatch: the next case is a branch when it is in
 * Q, one `return_call` when it is elsewhere.
 *
 * So that each piece is entered once per loop (one function, a reducible loop:
 * stackify.ts, regions.ts), each piece Q holding a copy gets an entry block that
 * branches on a selector local (added after the others) to Q's dispatch targets,
 * the `br_table` targets of the spine that lie in Q (core spec, "Control
 * Instructions", `br_table`). Every spine table, original or copy, reaches a target
 * in such a piece through a block of its own piece that sets the selector to the
 * target's number and branches to Q's entry block: a branch inside Q's function, or
 * the one `return_call` into it. The original spine is left for the loop's entry
 * from outside it; its tables lead into the entry blocks too.
 *
 * Every re-pointed edge goes to an exact copy of its old target whose own edges go
 * to the same blocks or their copies, or to an entry block that branches, on the
 * number just set, to the old target; so the program is unchanged. The copies are
 * priced before the partition (`spineLoops`: the spine's blocks, a naming block and
 * an entry-table slot per dispatch target, exit stubs; taken from every piece's
 * budget; the spine is given to the partition as a `together` set); the caller still
 * checks the encoded sizes. Liveness must be recomputed on the result (the
 * selector local is new). Deterministic: loops in the order of their headers,
 * pieces ascending, spine blocks in walk order.
 *
 * Measured (bench/wasm, the generated 1 MB interpreter at 65,536 bytes, 22-25
 * pieces): function entries per step 1.94 -> 0.98, yet the steady state is slower
 * in V8 (main-thread CPU per 3M-step round, --no-liftoff 104 -> 127 ms, default
 * tiering 99 -> 130, --liftoff-only 285 -> 367). Why (bench/wasm/transfer-shapes.mjs,
 * hand-built interpreters, --no-liftoff): a tail call V8 predicts costs about 1 ns
 * (all cases in one bucket function: two transfers a step, 14.0 against 12.8 ns
 * unsplit); what costs is the bucket dispatch, a second unpredictable indirect
 * branch a step (32 buckets: 19.0 ns). Spines keep both tables and add a stub
 * per bucket to every copy (21.8 ns); one `return_call_indirect` on the opcode into
 * a function per case, one indirect branch a step, runs at 0.98-0.99x of the
 * unsplit function. At 6.6 MB (a three-level dispatch tree, 1,024 targets) the
 * copy is over a third of a 65,536-byte piece and none is made. So the option that
 * enables it (`loopSpines`) is off by default.
 */
import { assert } from "../../src/diagnostics.js";
import { stronglyConnectedComponents, isLoop } from "../core/loops.js";
import { blockGraphOf } from "./cfg-graph.js";
import { instr } from "./instr.js";
import { exitStubBytes, partitionLocalAccess, TABLE_BYTES_PER_TARGET } from "./link-costs.js";
import { terminatorTargets, type Terminator, type WasmBlock, type WasmCfg } from "./wasm-cfg.js";

/** A loop that may be given spine copies: its header and its blocks. */
export interface SpineLoop {
  readonly header: number;
  readonly inLoop: Uint8Array;
}

/** The spine's copy (blocks and stubs) may take up to 1 / MAX_SPINE_SHARE of a piece's budget. */
const MAX_SPINE_SHARE = 3;

/**
 * The spine of `loop`: from its header, forward along `goto` and `if` edges that
 * stay in the loop up to and including each `br_table` block and the upper tables
 * of its tree when split-tables.ts made one (not the lowest); back from the header
 * through a chain of `goto` latches each the only in-loop predecessor of the next.
 * With `pieceOf`, undefined when a spine block is outside the header's piece.
 * Undefined without a table (not a dispatch loop). In walk order, header first.
 */
export function spineOf(cfg: WasmCfg, loop: SpineLoop, pieceOf?: Int32Array): number[] | undefined {
  const { header, inLoop } = loop;
  const home = pieceOf?.[header];
  const seen = new Set<number>([header]);
  const order = [header];
  let tables = 0;
  // The lowest tables of a split br_table's tree, each kept with its cases (split-tables.ts, `together`).
  const lowest = new Set((cfg.together ?? []).map((g) => g[0]!));
  for (let i = 0; i < order.length; i++) {
    const t = cfg.blocks[order[i]!]!.term;
    if (t.kind === "table") tables++;
    for (const s of terminatorTargets(t)) {
      if (!inLoop[s] || seen.has(s)) continue;
      // A table's targets are the cases, or the upper tables of its tree (they are spine too).
      if (t.kind === "table" && (cfg.blocks[s]!.term.kind !== "table" || lowest.has(s))) continue;
      if (pieceOf && pieceOf[s] !== home) return undefined;
      seen.add(s);
      order.push(s);
    }
  }
  if (tables === 0) return undefined;
  for (let b = header; ; ) {
    const preds = cfg.predecessors[b]!.filter((p) => inLoop[p]);
    if (preds.length !== 1) break;
    const p = preds[0]!;
    if (seen.has(p) || cfg.blocks[p]!.term.kind !== "goto" || (pieceOf && pieceOf[p] !== home)) break;
    seen.add(p);
    order.push(p);
    b = p;
  }
  return order;
}

/**
 * Bytes of a copy of `spine` in one of the `pieces` pieces its loop needs, as
 * link-costs.ts prices blocks and stubs (`blockSize`: the partition's): its blocks,
 * for each target of a table the block naming it and its entry in an entry
 * block's table, and an exit stub per other target, at most one per piece for a
 * table's targets.
 */
function copyBytes(cfg: WasmCfg, liveIn: readonly (readonly number[])[], spine: readonly number[], blockSize: Int32Array, pieces: number): number {
  const access = partitionLocalAccess(cfg.localTypes.length + 1);
  const members = new Set(spine);
  let bytes = access + 6 + 6; // the entry block: local.get, the table's fixed part, its block/end
  let tableTargets = 0;
  let widest = 0;
  for (const b of spine) {
    const t = cfg.blocks[b]!.term;
    bytes += blockSize[b]!;
    for (const s of new Set(terminatorTargets(t))) {
      if (members.has(s)) continue;
      if (t.kind !== "table") {
        bytes += exitStubBytes(liveIn[s]!.length, access);
        continue;
      }
      // i32.const, local.set, br and its block/end; a slot of the entry table.
      bytes += 5 + access + 3 + 6 + TABLE_BYTES_PER_TARGET;
      tableTargets++;
      widest = Math.max(widest, liveIn[s]!.length + 1);
    }
  }
  return bytes + Math.min(tableTargets, pieces) * exitStubBytes(widest, access);
}

/**
 * The loops worth giving spine copies at this budget: loops (outermost strongly
 * connected components) larger than `budget`, with a dispatch spine whose copy
 * costs at most a third of it; the bytes to keep free in every piece for a
 * copy (the largest of theirs); and their spines, for the partition to keep each
 * in one piece (`together`).
 */
export function spineLoops(cfg: WasmCfg, liveIn: readonly (readonly number[])[], blockSize: Int32Array, budget: number): { loops: SpineLoop[]; reserve: number; spines: number[][] } {
  const rpoIndex = new Int32Array(cfg.blockCount).fill(-1);
  cfg.reversePostorder.forEach((b, i) => (rpoIndex[b] = i));
  const loops: SpineLoop[] = [];
  const spines: number[][] = [];
  let reserve = 0;
  for (const component of stronglyConnectedComponents(cfg)) {
    if (!isLoop(cfg, component)) continue;
    let size = 0;
    for (const b of component) size += blockSize[b]!;
    if (size <= budget) continue;
    // The header: the component's first block in reverse postorder.
    const header = component.reduce((a, b) => (rpoIndex[b]! < rpoIndex[a]! ? b : a));
    const inLoop = new Uint8Array(cfg.blockCount);
    for (const b of component) inLoop[b] = 1;
    const loop = { header, inLoop };
    const spine = spineOf(cfg, loop);
    if (!spine) continue;
    const bytes = copyBytes(cfg, liveIn, spine, blockSize, Math.ceil((2 * size) / budget) + 1);
    if (bytes * MAX_SPINE_SHARE > budget) continue;
    loops.push(loop);
    spines.push(spine);
    reserve = Math.max(reserve, bytes);
  }
  loops.sort((a, b) => a.header - b.header);
  spines.sort((a, b) => a[0]! - b[0]!);
  return { loops, reserve, spines };
}

export interface Replicated {
  readonly cfg: WasmCfg;
  readonly pieceOf: Int32Array;
  /** Spine copies made (one per loop and piece). */
  readonly copies: number;
}

function retarget(t: Terminator, to: (b: number) => number): Terminator {
  switch (t.kind) {
    case "goto":
      return { kind: "goto", target: to(t.target) };
    case "if":
      return { kind: "if", then: to(t.then), else: to(t.else) };
    case "table":
      return { kind: "table", targets: t.targets.map(to), default: to(t.default) };
    default:
      return t;
  }
}

/** Gives every piece holding blocks of `loops` that branch into the loop's spine a copy of it (the module comment). */
export function replicateSpines(cfg: WasmCfg, loops: readonly SpineLoop[], pieceOf: Int32Array): Replicated {
  const blocks: WasmBlock[] = cfg.blocks.slice();
  const piece: number[] = Array.from(pieceOf);
  const entrySelector = cfg.localTypes.length;
  const add = (b: WasmBlock, p: number): number => {
    blocks.push(b);
    piece.push(p);
    return blocks.length - 1;
  };
  let copies = 0;
  for (const loop of loops) {
    const spine = spineOf(cfg, loop, pieceOf);
    if (!spine) continue;
    const home = pieceOf[loop.header]!;
    const inSpine = new Set(spine);
    // Pieces whose blocks of the loop branch into the spine, with those blocks.
    const branchers = new Map<number, number[]>();
    for (let b = 0; b < cfg.blockCount; b++) {
      if (!loop.inLoop[b] || inSpine.has(b) || !cfg.reachable[b]) continue;
      if (!cfg.successors[b]!.some((s) => inSpine.has(s))) continue;
      const list = branchers.get(pieceOf[b]!) ?? [];
      list.push(b);
      branchers.set(pieceOf[b]!, list);
    }
    if ([...branchers.keys()].every((p) => p === home)) continue;
    const pieces = [...branchers.keys()].sort((a, b) => a - b);
    // Each copying piece's dispatch targets (outside the spine), in table order: its entry block's table.
    const targetsIn = new Map<number, number[]>(pieces.map((q) => [q, []]));
    const indexOf = new Map<number, number>();
    for (const b of spine) {
      const t = cfg.blocks[b]!.term;
      if (t.kind !== "table") continue;
      for (const x of terminatorTargets(t)) {
        const list = targetsIn.get(pieceOf[x]!);
        if (!list || inSpine.has(x) || indexOf.has(x)) continue;
        indexOf.set(x, list.length);
        list.push(x);
      }
    }
    const entryOf = new Map<number, number>();
    for (const q of pieces) {
      const list = targetsIn.get(q)!;
      if (list.length > 0) entryOf.set(q, add({ code: [instr("local.get", entrySelector)], term: { kind: "table", targets: list, default: list[0]! } }, q));
    }
    // A dispatch target in a piece with an entry block, from a table in piece `from`: a block there naming it to that entry.
    const viaEntry = (from: number) => {
      const made = new Map<number, number>();
      return (x: number): number => {
        const entry = entryOf.get(pieceOf[x]!);
        if (entry === undefined || inSpine.has(x)) return x;
        let s = made.get(x);
        if (s === undefined) s = add({ code: [instr("i32.const", indexOf.get(x)!), instr("local.set", entrySelector)], term: { kind: "goto", target: entry } }, from);
        made.set(x, s);
        return s;
      };
    };
    for (const q of pieces) {
      const copyOf = new Map<number, number>();
      for (const b of spine) copyOf.set(b, add(cfg.blocks[b]!, q)); // terminators re-pointed below
      const toEntry = viaEntry(q);
      for (const b of spine) {
        const { code, term } = cfg.blocks[b]!;
        const inside = (x: number) => copyOf.get(x) ?? x;
        blocks[copyOf.get(b)!] = { code, term: term.kind === "table" ? retarget(term, (x) => inside(toEntry(x))) : retarget(term, inside) };
      }
      for (const b of branchers.get(q)!) blocks[b] = { code: blocks[b]!.code, term: retarget(blocks[b]!.term, (x) => copyOf.get(x) ?? x) };
      copies++;
    }
    // The original spine (the loop's entry from outside) dispatches into the copies too.
    const toEntry = viaEntry(home);
    for (const b of spine) if (cfg.blocks[b]!.term.kind === "table") blocks[b] = { code: cfg.blocks[b]!.code, term: retarget(cfg.blocks[b]!.term, toEntry) };
  }
  if (copies === 0) return { cfg, pieceOf, copies };
  assert(piece.length === blocks.length, "loop-spines: a block without a piece");
  const out: WasmCfg = { ...blockGraphOf(blocks.map((b) => b.term)), blocks, localTypes: [...cfg.localTypes, 0x7f], paramCount: cfg.paramCount, results: cfg.results };
  return { cfg: out, pieceOf: Int32Array.from(piece), copies };
}
