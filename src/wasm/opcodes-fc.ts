/**
 * The 0xFC-prefixed opcodes (core spec, Binary Format, "Numeric Instructions" and
 * "Memory/Table Instructions"): saturating float-to-int conversions, bulk memory
 * and table operations. One row per sub-opcode: number, name, immediate kind.
 */
import type { OpcodeRow } from "./opcodes.js";

export const FC_OPCODES: readonly OpcodeRow[] = [
  [0x00, "i32.trunc_sat_f32_s", "none"],
  [0x01, "i32.trunc_sat_f32_u", "none"],
  [0x02, "i32.trunc_sat_f64_s", "none"],
  [0x03, "i32.trunc_sat_f64_u", "none"],
  [0x04, "i64.trunc_sat_f32_s", "none"],
  [0x05, "i64.trunc_sat_f32_u", "none"],
  [0x06, "i64.trunc_sat_f64_s", "none"],
  [0x07, "i64.trunc_sat_f64_u", "none"],
  [0x08, "memory.init", "data,memory"],
  [0x09, "data.drop", "data"],
  [0x0a, "memory.copy", "memory,memory"],
  [0x0b, "memory.fill", "memory"],
  [0x0c, "table.init", "elem,table"],
  [0x0d, "elem.drop", "elem"],
  [0x0e, "table.copy", "table,table"],
  [0x0f, "table.grow", "table"],
  [0x10, "table.size", "table"],
  [0x11, "table.fill", "table"],
];
