/**
 * Cuts over-long blocks of a WasmCfg (wasm-cfg.ts) so that the partition can put
 * their parts in different pieces: a run of straight-line code longer than a piece
 * (a big initializer, a long unrolled loop body) is otherwise one block too big to
 * place, and its function is refused.
 *
 * A block may end wherever the operand stack is empty (the CFG's invariant at
 * block boundaries, wasm-cfg.ts); heights come from the stack typing of
 * stack-types.ts (core spec, Appendix "Validation Algorithm"). A block longer than
 * `maxChunk` bytes is cut at the last empty-stack point before each `maxChunk`
 * bytes; its first part keeps its number (edges into it stay as they are), the
 * others are appended, each ending in a `goto` to the next, the last with the
 * block's terminator. Code after an instruction the typing cannot type is left
 * whole. The CFG's block graph is recomputed (cfg-graph.ts); liveness must be
 * computed on the result. Cost: O(code) typing steps.
 */
import { WasmWriter } from "../../src/wasm/binary-writer.js";
import type { Instr } from "../../src/wasm/instructions.js";
import type { ValType } from "../../src/wasm/types.js";
import { blockGraphOf } from "./cfg-graph.js";
import { codeSize } from "./link-costs.js";
import type { ModuleTypes } from "./module-types.js";
import { FunctionTyping } from "./stack-types.js";
import type { WasmBlock, WasmCfg } from "./wasm-cfg.js";

/** Instruction indices after which the operand stack is empty, in order, up to the first instruction that cannot be typed. */
function emptyStackPoints(code: readonly Instr[], typing: FunctionTyping): number[] {
  const stack: ValType[] = [];
  const points: number[] = [];
  for (let i = 0; i < code.length; i++) {
    const e = typing.effectOf(code[i]!, stack);
    if (typeof e === "string" || e.pops.length > stack.length) return points;
    stack.length -= e.pops.length;
    for (const t of e.pushes) stack.push(t);
    if (stack.length === 0) points.push(i + 1);
  }
  return points;
}

/** Where to cut `code` (instruction indices starting a new part), each part at most `maxChunk` bytes where the empty-stack points allow. */
function cutPoints(code: readonly Instr[], points: readonly number[], maxChunk: number, w: WasmWriter): number[] {
  const cuts: number[] = [];
  let start = 0;
  let size = 0;
  let p = 0;
  let lastPoint = -1;
  for (let i = 0; i < code.length; i++) {
    size += codeSize([code[i]!], 3, w);
    while (p < points.length && points[p]! <= i + 1) lastPoint = points[p++]!;
    if (size > maxChunk && lastPoint > start && lastPoint < code.length) {
      cuts.push(lastPoint);
      start = lastPoint;
      size = codeSize(code.slice(start, i + 1), 3, w);
    }
  }
  return cuts;
}

/** `cfg` with every block over `maxChunk` bytes cut at empty-stack points; `cfg` itself when none is. */
export function cutLongBlocks(cfg: WasmCfg, mt: ModuleTypes, maxChunk: number): WasmCfg {
  const w = new WasmWriter(true);
  let typing: FunctionTyping | undefined;
  const blocks: WasmBlock[] = cfg.blocks.slice();
  let changed = false;
  for (let b = 0; b < cfg.blocks.length; b++) {
    const block = cfg.blocks[b]!;
    if (codeSize(block.code, 3, w) <= maxChunk) continue;
    typing ??= new FunctionTyping(mt, cfg.localTypes, cfg.blocks.flatMap((x) => x.code));
    const cuts = cutPoints(block.code, emptyStackPoints(block.code, typing), maxChunk, w);
    if (cuts.length === 0) continue;
    changed = true;
    const bounds = [0, ...cuts, block.code.length];
    for (let k = 0; k + 1 < bounds.length; k++) {
      const code = block.code.slice(bounds[k], bounds[k + 1]);
      const last = k + 2 === bounds.length;
      const index = k === 0 ? b : blocks.length - 1;
      const term = last ? block.term : { kind: "goto" as const, target: blocks.length };
      blocks[index] = { code, term };
      if (!last) blocks.push({ code: [], term: block.term });
    }
  }
  if (!changed) return cfg;
  return { ...blockGraphOf(blocks.map((x) => x.term)), blocks, localTypes: cfg.localTypes, paramCount: cfg.paramCount, results: cfg.results };
}
