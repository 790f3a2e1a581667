/**
 * Splits one WebAssembly function given its CFG (passes/wasm/wasm-cfg.ts) and
 * liveness: prices the blocks (passes/wasm/link-costs.ts), partitions them
 * (passes/core/partition.ts), links the pieces as functions calling each other by
 * `return_call` (passes/wasm/link.ts), encodes every body and checks it against
 * the limit. The cost model bounds most pieces, but a piece entered at several
 * blocks becomes several functions with stubs between them, and shared stubs and
 * the stackifier's wrappers vary: when an encoded body is over the limit, the
 * partition is redone at four fifths of the budget, a few times, before refusing;
 * so is a partition that failed on a loop it kept whole (a smaller budget opens it).
 *
 * A refusal is a reason (the partition's, the linker's, or the sizes reached),
 * never an exception; bugs of our own are InternalErrors.
 */
import { encodeBody } from "../body.js";
import { partition } from "../../../passes/core/partition.js";
import { MAX_TRANSFER_PARAMS, wasmPartitionInput } from "../../../passes/wasm/link-costs.js";
import { linkWasm, type DispatchTable, type LinkedFunction, type WasmLinkInput } from "../../../passes/wasm/link.js";
import { replicateSpines, spineLoops } from "../../../passes/wasm/loop-spines.js";
import { liveInLists, wasmLiveness } from "../../../passes/wasm/liveness.js";

/** What one function's split takes: the linker's input without the partition, plus the size limit. */
export interface FunctionSplitInput extends Pick<WasmLinkInput, "cfg" | "liveIn" | "firstFunction" | "handoverGlobal" | "entryForm" | "indirectTable"> {
  /** Largest body size written (the body's size field: local declarations and code). */
  readonly maxSize: number;
  /**
   * Give every piece holding cases of a split dispatch loop its own copy of the loop's spine
   * (passes/wasm/loop-spines.ts). Off by default: it halves the tail calls of the generated
   * interpreter but measured slower in V8 (BENCHMARKS.md, bench/wasm).
   */
  readonly loopSpines?: boolean;
}

export interface EncodedFunction extends LinkedFunction {
  /** The body's encoded size. */
  readonly size: number;
}

export type FunctionSplit =
  | { readonly ok: true; readonly driver: EncodedFunction; readonly functions: EncodedFunction[]; readonly tables: DispatchTable[]; readonly attempts: number; readonly spineCopies: number }
  | { readonly ok: false; readonly reason: string };

const ATTEMPTS = 6;

function encoded(f: LinkedFunction): EncodedFunction {
  return { ...f, size: encodeBody(f.body, true).length };
}

export function splitWasmFunction(input: FunctionSplitInput): FunctionSplit {
  let budget = input.maxSize;
  let largest = 0;
  for (let attempt = 1; attempt <= ATTEMPTS; attempt++) {
    const priced = wasmPartitionInput(input.cfg, input.liveIn, budget, input.handoverGlobal !== undefined);
    // Room in every piece for a copy of a dispatch loop's spine, which is kept in one piece (not with an indirect dispatch: no tree to copy).
    const spines = input.loopSpines !== true || input.cfg.indirect !== undefined ? { loops: [], reserve: 0, spines: [] } : spineLoops(input.cfg, input.liveIn, priced.blockSize, budget);
    const p = partition(spines.loops.length === 0 ? priced : { ...priced, limit: budget - spines.reserve, together: [...(priced.together ?? []), ...spines.spines] });
    // A loop kept whole that outgrew a piece with its stubs: a smaller budget opens it.
    if (!p.ok && p.what === "loop" && attempt < ATTEMPTS) {
      budget = Math.floor(budget * 0.8);
      continue;
    }
    if (!p.ok) {
      // In Wasm the only blocks that may not be entered from another piece are those with too many live values.
      const why = p.what === "region" ? `a region whose blocks have more than ${MAX_TRANSFER_PARAMS} live values to hand over (so it is entered only from its predecessors) needs over ${budget} bytes` : p.reason;
      return { ok: false, reason: attempt === 1 ? why : `${why} (at a budget of ${budget} bytes, after functions came out over ${input.maxSize})` };
    }
    const replicated = replicateSpines(input.cfg, spines.loops, p.pieceOf);
    const liveIn = replicated.copies === 0 ? input.liveIn : liveInLists(wasmLiveness(replicated.cfg), replicated.cfg.blockCount);
    const linked = linkWasm({
      cfg: replicated.cfg,
      liveIn,
      pieceOf: replicated.pieceOf,
      firstFunction: input.firstFunction,
      ...(input.handoverGlobal ? { handoverGlobal: input.handoverGlobal } : {}),
      ...(input.entryForm ? { entryForm: input.entryForm } : {}),
      ...(input.indirectTable ? { indirectTable: input.indirectTable } : {}),
    });
    if (!linked.ok) return linked;
    const driver = encoded(linked.driver);
    const functions = linked.functions.map(encoded);
    largest = Math.max(driver.size, ...functions.map((f) => f.size));
    if (largest <= input.maxSize) return { ok: true, driver, functions, tables: linked.tables, attempts: attempt, spineCopies: replicated.copies };
    budget = Math.floor(budget * 0.8);
  }
  return { ok: false, reason: `after ${ATTEMPTS} partitions the largest function is still ${largest} bytes, over ${input.maxSize}` };
}
