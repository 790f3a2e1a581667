/**
 * One WebAssembly instruction: its opcode row and immediates, decoded from and
 * encoded to the binary format (core spec, Binary Format, "Instructions"; the
 * immediates of each kind as opcodes.ts lists them).
 *
 * Lossless: when an instruction was read with an over-long LEB128 (a linker's
 * five-byte relocated call index, an over-long sub-opcode), `lebs` holds the width
 * of each LEB128 it contains, in encoding order, and {@link encodeInstr} writes
 * them back at those widths. An instruction built or changed by a transform has
 * no `lebs` and is written in shortest form.
 */
import type { WasmReader } from "./binary-reader.js";
import type { WasmWriter } from "./binary-writer.js";
import { ErrorCodes, MegasplitError, unreachable } from "../diagnostics.js";
import { isPrefix, opInfo, type OpInfo } from "./opcodes.js";
import { readBlockType, readValType, writeBlockType, writeValType, type BlockType, type ValType } from "./types.js";

/** A memory operand: `flags` is the alignment exponent, plus 0x40 when `memory` is given. */
export interface MemArg {
  readonly flags: number;
  readonly memory: number;
  readonly offset: number;
}

/** A try_table catch clause: 0 catch, 1 catch_ref, 2 catch_all, 3 catch_all_ref. */
export interface CatchClause {
  readonly kind: number;
  readonly tag: number;
  readonly label: number;
}

export type Imm =
  | undefined
  | number
  | bigint
  | Uint8Array
  | BlockType
  | readonly [number, number]
  | { readonly labels: readonly number[]; readonly default: number }
  | MemArg
  | { readonly mem: MemArg; readonly lane: number }
  | readonly ValType[]
  | { readonly block: BlockType; readonly catches: readonly CatchClause[] }
  | { readonly flags: number; readonly label: number; readonly from: number; readonly to: number };

export interface Instr {
  readonly op: OpInfo;
  /** Shaped by `op.imm`: a number for one index, a pair for two, an object for the rest. */
  readonly imm: Imm;
  /** Widths of this instruction's LEB128s as read, when one was over-long. */
  readonly lebs?: readonly number[];
}

function readMemArg(r: WasmReader): MemArg {
  const flags = r.u32("alignment");
  const memory = flags & 0x40 ? r.u32("memory index") : 0;
  return { flags, memory, offset: r.unsigned(64, "offset") };
}

function writeMemArg(w: WasmWriter, m: MemArg): void {
  w.u32(m.flags);
  if (m.flags & 0x40) w.u32(m.memory);
  w.u32(m.offset);
}

function readCatch(r: WasmReader): CatchClause {
  const at = r.pos;
  const kind = r.u8("catch kind");
  if (kind > 3) r.malformed(`bad catch kind ${kind}`, at);
  const tag = kind < 2 ? r.u32("tag index") : 0;
  return { kind, tag, label: r.u32("label") };
}

/** The opcode at the reader's position (prefix and sub-opcode consumed). */
export function readOpcode(r: WasmReader): OpInfo {
  const at = r.pos;
  const b = r.u8("opcode");
  const prefix = isPrefix(b) ? b : 0;
  const code = prefix ? r.u32("sub-opcode") : b;
  const info = opInfo(prefix, code);
  if (!info) {
    const shown = prefix ? `0x${prefix.toString(16)} ${code}` : `0x${b.toString(16)}`;
    throw new MegasplitError(ErrorCodes.WASM_OPCODE, `unknown opcode ${shown}`, { offset: r.base + at });
  }
  return info;
}

/** The immediates of `op` at the reader's position. */
export function readImm(r: WasmReader, op: OpInfo): Imm {
  const k = op.imm;
  switch (k) {
    case "none":
      return undefined;
    case "block":
      return readBlockType(r);
    case "label":
    case "func":
    case "local":
    case "global":
    case "table":
    case "tag":
    case "type":
    case "data":
    case "elem":
    case "memory":
      return r.u32(k);
    case "type,table":
    case "data,memory":
    case "memory,memory":
    case "elem,table":
    case "table,table":
    case "type,field":
    case "type,u32":
    case "type,data":
    case "type,elem":
    case "type,type":
      return [r.u32(k), r.u32(k)];
    case "br_table": {
      const labels = r.vec("br_table", () => r.u32("label"));
      return { labels, default: r.u32("default label") };
    }
    case "memarg":
      return readMemArg(r);
    case "memarg,lane":
      return { mem: readMemArg(r), lane: r.u8("lane") };
    case "lane":
    case "byte":
      return r.u8(k);
    case "i32":
      return r.s32("i32 constant");
    case "i64":
      return r.s64("i64 constant");
    case "f32":
      return r.take(4, "f32 constant");
    case "f64":
      return r.take(8, "f64 constant");
    case "v128":
    case "shuffle":
      return r.take(16, k);
    case "select_t":
      return r.vec("select types", () => readValType(r));
    case "heaptype":
      return r.signed(33, "heap type");
    case "try_table": {
      const block = readBlockType(r);
      return { block, catches: r.vec("catch clauses", () => readCatch(r)) };
    }
    case "br_on_cast": {
      const flags = r.u8("cast flags");
      const label = r.u32("label");
      return { flags, label, from: r.signed(33, "heap type"), to: r.signed(33, "heap type") };
    }
    default:
      return unreachable(k);
  }
}

/** Reads one instruction (the caller manages the reader's LEB128 log). */
export function readInstr(r: WasmReader): Instr {
  const op = readOpcode(r);
  return { op, imm: readImm(r, op) };
}

/** Writes one instruction's opcode and immediates (the caller sets the writer's pads). */
export function writeInstr(w: WasmWriter, ins: Instr): void {
  const op = ins.op;
  if (op.prefix) w.u8(op.prefix).u32(op.code);
  else w.u8(op.code);
  const k = op.imm;
  const imm = ins.imm as never;
  switch (k) {
    case "none":
      return;
    case "block":
      return writeBlockType(w, imm);
    case "label":
    case "func":
    case "local":
    case "global":
    case "table":
    case "tag":
    case "type":
    case "data":
    case "elem":
    case "memory":
      w.u32(imm);
      return;
    case "type,table":
    case "data,memory":
    case "memory,memory":
    case "elem,table":
    case "table,table":
    case "type,field":
    case "type,u32":
    case "type,data":
    case "type,elem":
    case "type,type": {
      const [a, b] = imm as readonly [number, number];
      w.u32(a).u32(b);
      return;
    }
    case "br_table": {
      const t = imm as { labels: readonly number[]; default: number };
      w.vec(t.labels, (l) => w.u32(l)).u32(t.default);
      return;
    }
    case "memarg":
      return writeMemArg(w, imm);
    case "memarg,lane": {
      const m = imm as { mem: MemArg; lane: number };
      writeMemArg(w, m.mem);
      w.u8(m.lane);
      return;
    }
    case "lane":
    case "byte":
      w.u8(imm);
      return;
    case "i32":
    case "heaptype":
      w.s32(imm);
      return;
    case "i64":
      w.s64(imm);
      return;
    case "f32":
    case "f64":
    case "v128":
    case "shuffle":
      w.bytes(imm);
      return;
    case "select_t":
      w.vec(imm as readonly ValType[], (t) => writeValType(w, t));
      return;
    case "try_table": {
      const t = imm as { block: BlockType; catches: readonly CatchClause[] };
      writeBlockType(w, t.block);
      w.vec(t.catches, (c) => {
        w.u8(c.kind);
        if (c.kind < 2) w.u32(c.tag);
        w.u32(c.label);
      });
      return;
    }
    case "br_on_cast": {
      const c = imm as { flags: number; label: number; from: number; to: number };
      w.u8(c.flags).u32(c.label).s32(c.from).s32(c.to);
      return;
    }
    default:
      return unreachable(k);
  }
}
