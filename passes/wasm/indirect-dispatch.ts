/**
 * Chooses the huge `br_table`s of a WasmCfg (wasm-cfg.ts) that the linker writes
 * as one `return_call_indirect` on the table's index (issue 14: an interpreter's
 * dispatch at one indirect branch a step, as in the unsplit function), instead of
 * the tree of small tables of split-tables.ts.
 *
 * Core spec, "Control Instructions": `br_table l* l_N` pops an i32 `i` and branches
 * to `l*[i]` when `i` (unsigned) is below the table's length, else to `l_N`;
 * `return_call_indirect x y` (tail calls, 3.0) pops an i32, calls the function in
 * table `x` at that index, which must have type `y`, and returns its results. The
 * linker (link.ts) writes the dispatch block's code, then `local.set $k`, every
 * value live at some target (the union U, ascending: the common signature of the
 * targets' functions), the index clamped to N (`$k <u N ? $k : N`, a `select`, so
 * the default is the table's last element) and `return_call_indirect` through a
 * new funcref table of N + 1 elements, one function per distinct target (form B,
 * with U as parameters; a direct transfer into one of them from elsewhere passes
 * zero for the values of U not live there). No tree, no per-target stubs: the
 * partition is priced accordingly (link-costs.ts).
 *
 * A table is chosen when split-tables.ts would split it (its entries and exit
 * stubs are over a quarter of the limit), U has at most 255 values, each of a
 * one-byte type (a number, a vector or an abstract reference such as externref:
 * each has a zero, and split-module.ts shares such signatures; a reference type
 * with a type index is left to the tree), no target is the function's entry block or the
 * dispatch block itself, and no target is also a target of another chosen table
 * (its function has one signature). The chosen tables are found by terminator
 * identity, which split-tables.ts (for tables it skips) and cut-blocks.ts (which
 * moves a terminator to the last part of a cut block) keep, so the choice is made
 * on the built CFG and attached to the final one. Deterministic; cost one liveness
 * pass when some table is over the budget, O(targets) per table.
 */
import { exitStubBytes, MAX_TRANSFER_PARAMS, partitionLocalAccess, TABLE_BYTES_PER_TARGET } from "./link-costs.js";
import { liveInLists, wasmLiveness } from "./liveness.js";
import type { Terminator, WasmCfg } from "./wasm-cfg.js";

type TableTerminator = Extract<Terminator, { kind: "table" }>;

/** A dispatch block the linker ends in `return_call_indirect`. */
export interface IndirectDispatch {
  /** The block whose `table` terminator is written as the indirect call. */
  readonly block: number;
  /** The union of the locals live at its targets, ascending: every target function's parameters. */
  readonly params: readonly number[];
  /** The i32 local (added to the CFG's locals) that holds the index while the arguments are pushed. */
  readonly key: number;
}

/** The tables to write as an indirect call, each with its parameters, by terminator. */
export type IndirectChoice = ReadonlyMap<TableTerminator, readonly number[]>;

/** The bytes a table over `n` targets costs in the partition when every target is an exit (as split-tables.ts prices it). */
function treeBytes(t: TableTerminator, exitBytes: (target: number) => number): number {
  let bytes = TABLE_BYTES_PER_TARGET * (t.targets.length + 1);
  for (const target of new Set([...t.targets, t.default])) bytes += exitBytes(target);
  return bytes;
}

/** The tables of `cfg` over a quarter of `limit` that can be written as one indirect call (the header's conditions). */
export function chooseIndirectDispatches(cfg: WasmCfg, limit: number): IndirectChoice {
  const budget = Math.max(1, Math.floor(limit / 4));
  const access = partitionLocalAccess(cfg.localTypes.length + 1);
  const cheapest = exitStubBytes(0, access);
  const chosen = new Map<TableTerminator, readonly number[]>();
  const candidates: number[] = [];
  for (let b = 0; b < cfg.blockCount; b++) {
    const t = cfg.blocks[b]!.term;
    if (t.kind === "table" && cfg.reachable[b] && treeBytes(t, () => cheapest) > budget) candidates.push(b);
  }
  if (candidates.length === 0) return chosen;
  const liveIn = liveInLists(wasmLiveness(cfg), cfg.blockCount);
  const exitBytes = (target: number): number => exitStubBytes(liveIn[target]!.length, access);
  const claimed = new Set<number>();
  for (const b of candidates) {
    const t = cfg.blocks[b]!.term as TableTerminator;
    if (treeBytes(t, exitBytes) <= budget) continue;
    const targets = new Set([...t.targets, t.default]);
    if (targets.has(0) || targets.has(b) || [...targets].some((x) => claimed.has(x))) continue;
    const union = new Set<number>();
    for (const x of targets) for (const l of liveIn[x]!) union.add(l);
    if (union.size > MAX_TRANSFER_PARAMS || [...union].some((l) => typeof cfg.localTypes[l] !== "number")) continue;
    for (const x of targets) claimed.add(x);
    chosen.set(t, [...union].sort((x, y) => x - y));
  }
  return chosen;
}

/** `cfg` (after the transforms that keep terminators) with the chosen tables attached and one i32 key local added; `cfg` itself when none was chosen. */
export function attachIndirectDispatches(cfg: WasmCfg, chosen: IndirectChoice): WasmCfg {
  if (chosen.size === 0) return cfg;
  const key = cfg.localTypes.length;
  const indirect: IndirectDispatch[] = [];
  for (let b = 0; b < cfg.blockCount; b++) {
    const t = cfg.blocks[b]!.term;
    const params = t.kind === "table" ? chosen.get(t) : undefined;
    if (params && cfg.reachable[b]) indirect.push({ block: b, params, key });
  }
  if (indirect.length === 0) return cfg;
  return { ...cfg, localTypes: [...cfg.localTypes, 0x7f], indirect };
}

/** The targets of every indirect dispatch of `cfg` (each starts a function of its own). */
export function indirectTargets(cfg: WasmCfg): Map<number, IndirectDispatch> {
  const out = new Map<number, IndirectDispatch>();
  for (const d of cfg.indirect ?? []) {
    const t = cfg.blocks[d.block]!.term as TableTerminator;
    for (const x of [...t.targets, t.default]) out.set(x, d);
  }
  return out;
}
