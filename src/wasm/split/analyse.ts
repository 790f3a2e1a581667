/**
 * The analysis split-module.ts needs of each function over the limit: its CFG
 * (passes/wasm/cfg-build.ts: structured control flattened into blocks, values
 * crossing a block boundary in spill locals) and the locals live at each block's
 * entry (passes/wasm/liveness.ts), or the builder's reason for refusing the body
 * (GC, atomics, exception handling...). The module's types are read once per
 * module and shared by all its functions.
 */
import { buildCfgOfBody } from "../../../passes/wasm/cfg-build.js";
import { liveInLists, wasmLiveness } from "../../../passes/wasm/liveness.js";
import { moduleTypes, type ModuleTypes } from "../../../passes/wasm/module-types.js";
import { decodeBody } from "../body.js";
import { section, type WasmModule } from "../module.js";
import type { FunctionAnalyser } from "./split-module.js";

/** A fresh analyser for one module (it caches the module's types). */
export function cfgAnalyser(): FunctionAnalyser {
  let types: { m: WasmModule; mt: ModuleTypes } | undefined;
  return (m, funcIndex) => {
    if (types?.m !== m) types = { m, mt: moduleTypes(m) };
    const mt = types.mt;
    const entry = section(m, "code")!.entries[funcIndex - mt.importedFuncs]!;
    const built = buildCfgOfBody(mt, mt.funcTypeIndex[funcIndex]!, entry.body ?? decodeBody(entry.raw, entry.offset));
    if (!built.ok) return built;
    const lv = wasmLiveness(built.cfg);
    const liveIn = liveInLists(lv, built.cfg.blockCount);
    return { ok: true, cfg: built.cfg, liveIn };
  };
}
