/**
 * The cost model the WebAssembly partition is priced with (the arrays of
 * passes/core/partition.ts's PartitionInput), in bytes of the function bodies
 * link.ts writes (core spec, Binary Format: instructions, LEB128 immediates).
 *
 * - A block costs its instructions as encoded, a local access at the width of the
 *   largest local index any function can have (link.ts renumbers locals), its
 *   terminator (a `br`/`br_if` with a two-byte depth, an `if ... else ... end`, a
 *   `br_table` with a stub per target) and the `block`/`loop` ... `end` around it.
 * - Leaving a piece for a block costs a stub: `local.get` of each value live
 *   there, `return_call` with a five-byte function index, its `block`/`end`.
 * - Entering a piece at a block starts a function: its local declarations and
 *   body size field.
 * Values beyond 255 at an entry go through globals (link.ts): a `global.set` per
 * value in the stub and a `global.get` in the callee's prologue. Without globals,
 * or with more than 255 live references, such a block may not be entered from
 * another piece (`cuttable` 0).
 * - An indirect dispatch (indirect-dispatch.ts) costs its call, and its targets
 *   no exit stub when nothing else leads to them.
 * Upper bounds, so a partition that fits gives functions that fit, except when a
 * piece's region split (regions.ts) adds stubs; the caller checks the encoded
 * sizes and retries.
 */
import { WasmWriter } from "../../src/wasm/binary-writer.js";
import { writeInstr, type Instr } from "../../src/wasm/instructions.js";
import type { PartitionInput } from "../core/partition.js";
import { isReducible } from "./stackify.js";
import type { Terminator, WasmCfg } from "./wasm-cfg.js";

/** Most values one transfer may hand over as parameters. */
export const MAX_TRANSFER_PARAMS = 255;

/** Bytes of `local.get`/`set`/`tee` of any local in a function with up to `locals` locals. */
function localAccess(locals: number): number {
  let width = 1;
  for (let v = locals; v >= 0x80; v = Math.floor(v / 0x80)) width++;
  return 1 + width;
}

const LOCAL_OPS = new Set(["local.get", "local.set", "local.tee"]);

export function codeSize(code: readonly Instr[], access: number, w = new WasmWriter(true)): number {
  let size = 0;
  for (const i of code) {
    if (LOCAL_OPS.has(i.op.name)) {
      size += access;
      continue;
    }
    w.length = 0;
    writeInstr(w, i);
    size += w.length;
  }
  return size;
}

function terminatorSize(t: Terminator, access: number, w: WasmWriter, dispatch: boolean): number {
  switch (t.kind) {
    case "goto":
      // A br, or in the dispatch form an i32.const, local.set and br.
      return dispatch ? 3 + access + 3 : 3;
    case "if":
      // br_if + br, or if/else/end/unreachable around two branches.
      return dispatch ? 4 + 2 * (3 + access + 3) : 8;
    case "table": {
      const n = t.targets.length + 1;
      // Selector to a scratch local and back, the table with 2-byte depths, per target a stub's block and end
      // (what follows a stub is the branch: a target's code, counted with it, or an exit, counted as one).
      return 2 * access + 6 + TABLE_BYTES_PER_TARGET * n;
    }
    case "return":
    case "unreachable":
      return 1;
    case "tail":
      return codeSize([t.instr], access, w);
  }
}

/** Bytes of the stub that leaves a piece for a block with `live` values live at its entry. */
export function exitStubBytes(live: number, access: number): number {
  return live * access + Math.max(0, live - MAX_TRANSFER_PARAMS) * 4 + 6 + 3;
}

/** Bytes a `br_table` spends per target (its depth, the stub's `block` and `end`), as the terminator cost below counts them. */
export const TABLE_BYTES_PER_TARGET = 4;

/** Access width of a function with `localCount` locals, as the partition input prices it (a few scratch locals added). */
export function partitionLocalAccess(localCount: number): number {
  return localAccess(localCount + 8);
}

/**
 * An indirect dispatch (indirect-dispatch.ts) costs its block's code, the key's
 * `local.set`, the arguments, the clamp and the call, not a table; its targets are
 * always entered through the funcref table, so a target no other block leads to
 * costs no exit stub.
 */
function priceIndirectDispatches(cfg: WasmCfg, access: number, w: WasmWriter, blockSize: Int32Array, exitCost: Int32Array): void {
  for (const d of cfg.indirect ?? []) {
    // local.set, the arguments, local.get/i32.const(5)/local.get/i32.const(5)/i32.lt_u/select, return_call_indirect (11).
    blockSize[d.block] = codeSize(cfg.blocks[d.block]!.code, access, w) + (d.params.length + 4) * access + 12 + 11 + 6;
    const t = cfg.blocks[d.block]!.term;
    if (t.kind !== "table") continue;
    for (const x of new Set([...t.targets, t.default])) if (cfg.predecessors[x]!.every((p) => p === d.block || !cfg.reachable[p])) exitCost[x] = 0;
  }
}

/** The partition's input for `cfg` at `limit` bytes per function; `globals` when values beyond 255 may be handed over in globals. */
export function wasmPartitionInput(cfg: WasmCfg, liveIn: readonly (readonly number[])[], limit: number, globals: boolean): PartitionInput {
  const n = cfg.blockCount;
  const access = partitionLocalAccess(cfg.localTypes.length);
  const w = new WasmWriter(true);
  // An irreducible graph may give irreducible pieces, written in the larger dispatch form.
  const dispatch = !isReducible({ blocks: cfg.blocks, entry: cfg.reversePostorder[0]! });
  const blockSize = new Int32Array(n);
  const entryCost = new Int32Array(n);
  const exitCost = new Int32Array(n);
  const cuttable = new Uint8Array(n);
  for (let b = 0; b < n; b++) {
    const blk = cfg.blocks[b]!;
    // The block's code, its terminator, the `block`/`loop` ... `end` (+ `unreachable`) around it.
    blockSize[b] = codeSize(blk.code, access, w) + terminatorSize(blk.term, access, w, dispatch) + 6;
    const live = liveIn[b]!.length;
    const viaGlobals = Math.max(0, live - MAX_TRANSFER_PARAMS);
    const references = liveIn[b]!.filter((l) => typeof cfg.localTypes[l] !== "number").length;
    // A global.get/set with a three-byte index next to each local access.
    entryCost[b] = 16 + (viaGlobals > 0 ? 6 + viaGlobals * (access + 4) : 0);
    exitCost[b] = exitStubBytes(live, access);
    cuttable[b] = live <= MAX_TRANSFER_PARAMS || (globals && references <= MAX_TRANSFER_PARAMS) ? 1 : 0;
  }
  priceIndirectDispatches(cfg, access, w, blockSize, exitCost);
  return {
    cfg,
    blockSize,
    entryCost,
    exitCost,
    cuttable,
    ...(cfg.together ? { together: cfg.together } : {}),
    pinned: new Uint8Array(n),
    limit,
    pieceOverhead: 16,
    driverOverhead: 16,
  };
}
