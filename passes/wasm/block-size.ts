/**
 * Encoded byte size of each block of a WasmCfg, for the partition
 * (passes/core/partition.ts, `blockSize`): the block's code as the codec writes
 * it (core spec, Binary Format, "Instructions"; each instruction at the LEB128
 * widths it was read with, so never less than the canonical size), plus an upper
 * bound of its terminator as the dispatch emitter (dispatch-emit.ts) writes it,
 * every index and constant counted at the five bytes an LEB128 u32 may take.
 *
 * Cost: one encoding pass over the code, into one reused buffer.
 */
import { WasmWriter } from "../../src/wasm/binary-writer.js";
import { writeInstr } from "../../src/wasm/instructions.js";
import type { Terminator, WasmCfg } from "./wasm-cfg.js";

/** `opcode` + a u32 of at most five bytes. */
const OP_U32 = 6;
/** `i32.const j; local.set $label; br $dispatch`. */
export const TRANSFER_BOUND = 3 * OP_U32;

/** Upper bound of the bytes the dispatch form spends on terminator `t`. */
export function terminatorSizeBound(t: Terminator): number {
  switch (t.kind) {
    case "goto":
      return TRANSFER_BOUND;
    case "if":
      return 2 + TRANSFER_BOUND + 1 + TRANSFER_BOUND + 1;
    case "table": {
      const cases = new Set([...t.targets, t.default]).size;
      const brTable = 1 + 5 + 5 * (t.targets.length + 1);
      return 2 * OP_U32 + cases * 2 + brTable + cases * (1 + TRANSFER_BOUND);
    }
    case "return":
    case "unreachable":
      return 1;
    case "tail": {
      const w = new WasmWriter(false, 32);
      w.setPads(t.instr.lebs);
      writeInstr(w, t.instr);
      return w.length;
    }
  }
}

/** Bytes of each block: its code as written plus its terminator's bound. */
export function wasmBlockSizes(cfg: WasmCfg): Int32Array {
  const sizes = new Int32Array(cfg.blockCount);
  const w = new WasmWriter(false, 1 << 16);
  for (let b = 0; b < cfg.blockCount; b++) {
    const block = cfg.blocks[b]!;
    w.length = 0;
    for (const ins of block.code) {
      w.setPads(ins.lebs);
      writeInstr(w, ins);
    }
    w.setPads(undefined);
    sizes[b] = w.length + terminatorSizeBound(block.term);
  }
  return sizes;
}
