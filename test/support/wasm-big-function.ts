/**
 * A generated WebAssembly function as large as the ones issue 14 is about: a
 * `(param i32) (result i32)` body of `segments` repetitions of a pattern (~30
 * instructions each) that keeps a value below a block, branches out of it with a
 * value, runs an if/else and a small loop, all on a running total in local 1.
 * 100,000 segments are about 3 million instructions and 8 MB of code. Built as
 * instructions, not text (wabt's text parser cannot hold it).
 */
import { opInfo } from "../../src/wasm/opcodes.js";
import type { Instr } from "../../src/wasm/instructions.js";
import type { FuncBody } from "../../src/wasm/body.js";
import type { BlockType } from "../../src/wasm/types.js";

const cache = new Map<string, Instr>();
function ins(code: number, imm?: unknown): Instr {
  const key = `${code}:${typeof imm === "object" ? JSON.stringify(imm) : String(imm)}`;
  let i = cache.get(key);
  if (!i) {
    i = { op: opInfo(0, code)!, imm: imm as Instr["imm"] };
    cache.set(key, i);
  }
  return i;
}

const I32_RESULT: BlockType = { kind: "value", type: 0x7f };
const EMPTY: BlockType = { kind: "empty" };

export function bigFunctionBody(segments: number): FuncBody {
  const code: Instr[] = [];
  const c = (k: number) => ({ op: opInfo(0, 0x41)!, imm: k }) as Instr;
  for (let k = 0; k < segments; k++) {
    code.push(
      ins(0x20, 1),
      ins(0x02, I32_RESULT),
      ins(0x20, 0), c(k & 0xffff), ins(0x73),
      ins(0x20, 0), c(3), ins(0x71),
      ins(0x0d, 0),
      c(7), ins(0x6c),
      ins(0x0b),
      ins(0x6a), ins(0x21, 1),
      ins(0x20, 0), c(1), ins(0x71),
      ins(0x04, EMPTY),
      ins(0x20, 1), c(k & 0xff), ins(0x6a), ins(0x21, 1),
      ins(0x05),
      ins(0x03, EMPTY),
      ins(0x20, 1), c(1), ins(0x76), ins(0x22, 1),
      c(1000), ins(0x4b),
      ins(0x0d, 0),
      ins(0x0b),
      ins(0x0b),
    );
  }
  code.push(ins(0x20, 1), ins(0x0b));
  return { locals: [{ count: 1, type: 0x7f }], code };
}
