/**
 * The WebAssembly opcode table as data (core spec, Binary Format,
 * "Instructions"): every row of opcodes-core.ts (single byte) and of the prefixed
 * tables (0xFB aggregates, 0xFC numeric/bulk, 0xFD SIMD, 0xFE atomics), indexed
 * for decoding by (prefix, code) and carrying what the codec needs: the
 * text-format name and the kind of immediates that follow the opcode.
 */
import { SINGLE_BYTE_OPCODES } from "./opcodes-core.js";
import { FC_OPCODES } from "./opcodes-fc.js";
import { FB_OPCODES, FE_OPCODES } from "./opcodes-gc-atomic.js";
import { FD_OPCODES } from "./opcodes-simd.js";

/**
 * What follows an opcode. A single index kind (`label`, `func`, ...) is one u32;
 * a pair (`type,table`, ...) is two u32 in that order; `memarg` is the alignment
 * flags (bit 6: a memory index follows), the memory index, the offset; `lane` and
 * `byte` are one raw byte; `v128` and `shuffle` sixteen raw bytes; `i32`/`i64`
 * signed LEB128; `f32`/`f64` raw little-endian bytes.
 */
export type ImmKind =
  | "none"
  | "block"
  | "label"
  | "func"
  | "local"
  | "global"
  | "table"
  | "tag"
  | "type"
  | "data"
  | "elem"
  | "memory"
  | "type,table"
  | "data,memory"
  | "memory,memory"
  | "elem,table"
  | "table,table"
  | "type,field"
  | "type,u32"
  | "type,data"
  | "type,elem"
  | "type,type"
  | "br_table"
  | "memarg"
  | "memarg,lane"
  | "lane"
  | "byte"
  | "i32"
  | "i64"
  | "f32"
  | "f64"
  | "v128"
  | "shuffle"
  | "select_t"
  | "heaptype"
  | "try_table"
  | "br_on_cast";

/** One row of an opcode table: (sub-)opcode, text-format name, immediate kind. */
export type OpcodeRow = readonly [code: number, name: string, imm: ImmKind];

export interface OpInfo {
  /** 0 for a single-byte opcode, else the prefix byte (0xFB, 0xFC, 0xFD, 0xFE). */
  readonly prefix: number;
  /** The byte, or the u32 sub-opcode after the prefix. */
  readonly code: number;
  readonly name: string;
  readonly imm: ImmKind;
}

function index(prefix: number, rows: readonly OpcodeRow[]): (OpInfo | undefined)[] {
  const out: (OpInfo | undefined)[] = [];
  for (const [code, name, imm] of rows) out[code] = { prefix, code, name, imm };
  return out;
}

const SINGLE = index(0, SINGLE_BYTE_OPCODES);
const PREFIXED = new Map<number, (OpInfo | undefined)[]>([
  [0xfb, index(0xfb, FB_OPCODES)],
  [0xfc, index(0xfc, FC_OPCODES)],
  [0xfd, index(0xfd, FD_OPCODES)],
  [0xfe, index(0xfe, FE_OPCODES)],
]);

/** The opcode `code` (after `prefix`, or alone when prefix is 0), or undefined. */
export function opInfo(prefix: number, code: number): OpInfo | undefined {
  return prefix === 0 ? SINGLE[code] : PREFIXED.get(prefix)?.[code];
}

/** Whether `byte` starts a prefixed opcode. */
export function isPrefix(byte: number): boolean {
  return PREFIXED.has(byte);
}

/** Every opcode of the tables, single-byte first, then by prefix. */
export function allOpcodes(): OpInfo[] {
  const out: OpInfo[] = SINGLE.filter((o): o is OpInfo => o !== undefined);
  for (const table of PREFIXED.values()) for (const o of table) if (o) out.push(o);
  return out;
}
