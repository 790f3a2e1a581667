/**
 * Builds instructions by their text-format name for the WebAssembly transforms
 * (the stackifier, the linker): `instr("br", 2)`, `instr("local.get", 5)`. The
 * opcode rows come from src/wasm/opcodes.ts; where two rows share a name (the two
 * encodings of `select`) the untyped, single-byte one is meant. Built instructions
 * carry no LEB128 widths, so the writer encodes them in shortest form.
 */
import { internalError } from "../../src/diagnostics.js";
import type { Imm, Instr } from "../../src/wasm/instructions.js";
import { F32, F64, I32, I64, V128, type ValType } from "../../src/wasm/types.js";
import { allOpcodes, type OpInfo } from "../../src/wasm/opcodes.js";

const BY_NAME = new Map<string, OpInfo>();
for (const o of allOpcodes()) if (!BY_NAME.has(o.name)) BY_NAME.set(o.name, o);

/** The opcode row named `name` (the first in table order). */
export function opNamed(name: string): OpInfo {
  return BY_NAME.get(name) ?? internalError(`no opcode named ${name}`);
}

export function instr(name: string, imm?: Imm): Instr {
  return { op: opNamed(name), imm };
}

const EMPTY_BLOCK = { kind: "empty" } as const;

/** `block`, `loop` or `if` with the empty block type ([] -> []). */
export function openEmpty(name: "block" | "loop" | "if"): Instr {
  return instr(name, EMPTY_BLOCK);
}

/**
 * A constant of type `type` (zero, or null for a nullable reference), or undefined
 * for a type without one (a non-nullable reference).
 */
export function zeroOf(type: ValType): Instr | undefined {
  switch (type) {
    case I32:
      return instr("i32.const", 0);
    case I64:
      return instr("i64.const", 0n);
    case F32:
      return instr("f32.const", new Uint8Array(4));
    case F64:
      return instr("f64.const", new Uint8Array(8));
    case V128:
      return instr("v128.const", new Uint8Array(16));
  }
  if (typeof type === "number") return type >= 0x69 && type <= 0x74 ? instr("ref.null", type - 0x80) : undefined;
  return type.nullable ? instr("ref.null", type.heap) : undefined;
}
