/**
 * bench/wasm/emit.ts: writes WebAssembly instructions straight into a byte buffer
 * through our codec (src/wasm/instructions.ts `writeInstr` over a `WasmWriter`),
 * without keeping an instruction list: the generators write function bodies of
 * several megabytes, and a list of millions of `Instr` objects would cost far more
 * memory and time than the bytes. Core spec, Binary Format, "Instructions" and
 * "Code Section" (a body is its local declarations, then the expression).
 *
 * Only the opcodes the generators use are named here; each is looked up once in
 * the opcode table (src/wasm/opcodes.ts), so a wrong name fails at load time.
 */
import { WasmWriter } from "../../src/wasm/binary-writer.js";
import { writeInstr, type Imm } from "../../src/wasm/instructions.js";
import { opInfo, type OpInfo } from "../../src/wasm/opcodes.js";
import { SINGLE_BYTE_OPCODES } from "../../src/wasm/opcodes-core.js";
import { I32 } from "../../src/wasm/types.js";

const BY_NAME = new Map<string, OpInfo>();
for (const [code, name] of SINGLE_BYTE_OPCODES) if (!BY_NAME.has(name)) BY_NAME.set(name, opInfo(0, code)!);

/** The single-byte opcode named `name` in the text format. */
export function op(name: string): OpInfo {
  const info = BY_NAME.get(name);
  if (!info) throw new Error(`bench/wasm/emit: no single-byte opcode named ${name}`);
  return info;
}

const EMPTY_BLOCK = { kind: "empty" } as const;
const LOCAL_GET = op("local.get");
const LOCAL_SET = op("local.set");
const I32_CONST = op("i32.const");

/** A function body being written: local declarations first, then instructions, then `end`. */
export class BodyEmitter {
  readonly w = new WasmWriter(true, 1 << 16);

  /** Starts the body with `count` i32 locals (after the parameters). */
  constructor(i32Locals: number) {
    this.w.u32(1).u32(i32Locals);
    this.w.u8(I32);
  }

  /** Bytes written so far (the body's size when it is finished). */
  get size(): number {
    return this.w.length;
  }

  ins(info: OpInfo, imm?: Imm): this {
    writeInstr(this.w, { op: info, imm });
    return this;
  }

  get(local: number): this {
    return this.ins(LOCAL_GET, local);
  }

  set(local: number): this {
    return this.ins(LOCAL_SET, local);
  }

  const(value: number): this {
    return this.ins(I32_CONST, value | 0);
  }

  /** `block`, `loop` or `if` with no parameters and no results. */
  open(kind: "block" | "loop" | "if"): this {
    return this.ins(op(kind), EMPTY_BLOCK);
  }

  toBytes(): Uint8Array {
    return this.w.toBytes();
  }
}
