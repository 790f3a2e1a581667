/**
 * The analysis split-module.ts needs of each function over the limit: its CFG
 * (passes/wasm/cfg-build.ts: structured control flattened into blocks, values
 * crossing a block boundary in spill locals) and the locals live at each block's
 * entry (passes/wasm/liveness.ts), or the builder's reason for refusing the body
 * (GC, atomics, exception handling...). A `br_table` whose entries and exit stubs
 * need more than a quarter of the limit is written, on request, as one
 * `return_call_indirect` into a function per target (passes/wasm/indirect-dispatch.ts)
 * when the values live at its targets allow, else becomes a tree of smaller tables
 * (passes/wasm/split-tables.ts), so an interpreter's dispatch can be spread over
 * pieces with its cases. Blocks longer than a quarter of the limit
 * are cut where the operand stack is empty (passes/wasm/cut-blocks.ts), so long
 * straight-line code can be spread over pieces. The module's types are read once
 * per module and shared by all its functions.
 */
import { buildCfgOfBody } from "../../../passes/wasm/cfg-build.js";
import { liveInLists, wasmLiveness } from "../../../passes/wasm/liveness.js";
import { moduleTypes, type ModuleTypes } from "../../../passes/wasm/module-types.js";
import { cutLongBlocks } from "../../../passes/wasm/cut-blocks.js";
import { splitLargeTables } from "../../../passes/wasm/split-tables.js";
import { exclusiveRegions } from "../../../passes/wasm/exclusive-regions.js";
import { attachIndirectDispatches, chooseIndirectDispatches } from "../../../passes/wasm/indirect-dispatch.js";
import { decodeBody } from "../body.js";
import { section, type WasmModule } from "../module.js";
import type { FunctionAnalyser } from "./split-module.js";

/** How a huge dispatch table is written: a tree of tables, one indirect call, or a tree whose root is an indirect call (split-module.ts, option `dispatch`). */
export const DISPATCH_MODES = ["tree", "indirect", "indirect-root"] as const;
export type DispatchMode = (typeof DISPATCH_MODES)[number];

/**
 * A fresh analyser for one module (it caches the module's types). With `indirect`,
 * huge dispatch tables are written as one indirect call where they can be; with
 * `indirect-root`, they first become trees and the root table of each tree that is
 * over an eighth of the limit is written as one indirect call into its
 * bucket tables (so a call compiles the buckets it reaches, not the pieces around
 * the root's stubs).
 */
export function cfgAnalyser(dispatch: DispatchMode = "tree"): FunctionAnalyser {
  let types: { m: WasmModule; mt: ModuleTypes } | undefined;
  return (m, funcIndex, maxSize) => {
    if (types?.m !== m) types = { m, mt: moduleTypes(m) };
    const mt = types.mt;
    const entry = section(m, "code")!.entries[funcIndex - mt.importedFuncs]!;
    const built = buildCfgOfBody(mt, mt.funcTypeIndex[funcIndex]!, entry.body ?? decodeBody(entry.raw, entry.offset));
    if (!built.ok) return built;
    // Huge tables become trees of small ones; straight-line runs longer than a quarter of a piece are cut where the stack is empty.
    const early = dispatch === "indirect" ? chooseIndirectDispatches(built.cfg, maxSize) : new Map();
    const tables = splitLargeTables(built.cfg, maxSize, new Set(early.keys()));
    // A tree's root may take half a piece (split-tables.ts): a root over an eighth of the limit is one that dispatches to many buckets.
    // Only roots: a table the tree split left alone (under a quarter of the limit) or a middle level stays a br_table.
    const chosen = dispatch === "indirect-root" ? onlyRoots(chooseIndirectDispatches(tables.cfg, Math.floor(maxSize / 2)), tables.roots) : early;
    const cut = attachIndirectDispatches(cutLongBlocks(tables.cfg, mt, Math.max(32, Math.floor(maxSize / 4))), chosen);
    // Each table of a tree's lowest level with its cases, for the partition to keep in one piece.
    const cfg = tables.leaves.length === 0 ? cut : { ...cut, together: exclusiveRegions(cut, tables.leaves).filter((r) => r.length > 1) };
    const lv = wasmLiveness(cfg);
    return { ok: true, cfg, liveIn: liveInLists(lv, cfg.blockCount) };
  };
}

/** The choices among `chosen` whose table is the root of a tree. */
function onlyRoots<T, V>(chosen: ReadonlyMap<T, V>, roots: ReadonlySet<T>): Map<T, V> {
  return new Map([...chosen].filter(([t]) => roots.has(t)));
}
