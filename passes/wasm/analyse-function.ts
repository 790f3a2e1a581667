/**
 * What the Wasm splitter needs of one function, in one call: its CFG
 * (cfg-build.ts) and the locals live at each block's entry (liveness.ts), as
 * lists of local indices, the shape the Wasm linker takes; or the reason the
 * function cannot be split. Locals a block reads before any write that are live
 * at the function's entry (declared locals read while still zero) appear in the
 * entry block's list like parameters: a driver that hands them over passes their
 * zero values.
 */
import type { WasmModule } from "../../src/wasm/module.js";
import { buildWasmCfg } from "./cfg-build.js";
import { liveInLists, wasmLiveness } from "./liveness.js";
import type { WasmCfg } from "./wasm-cfg.js";

export type WasmFunctionAnalysis =
  | { readonly ok: true; readonly cfg: WasmCfg; readonly liveIn: readonly (readonly number[])[] }
  | { readonly ok: false; readonly reason: string };

/** The CFG and per-block live-in locals of function `funcIndex` (imports counted first) of `m`. */
export function analyseWasmFunction(m: WasmModule, funcIndex: number): WasmFunctionAnalysis {
  const r = buildWasmCfg(m, funcIndex);
  if (!r.ok) return r;
  const lv = wasmLiveness(r.cfg);
  return { ok: true, cfg: r.cfg, liveIn: liveInLists(lv, r.cfg.blockCount) };
}
