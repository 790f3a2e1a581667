/**
 * Function bodies and constant expressions (core spec, Binary Format, "Code
 * Section": a body is its local declarations, then an expression; "Expressions":
 * instructions up to the `end` that closes the outermost block).
 *
 * Decoding a body keeps each instruction's LEB128 widths when one was over-long
 * and the local declarations' widths likewise, so {@link encodeBody} gives back the
 * bytes that were read; `canonical` writers give the shortest form instead.
 */
import { WasmReader } from "./binary-reader.js";
import { WasmWriter } from "./binary-writer.js";
import { readInstr, writeInstr, type Instr } from "./instructions.js";
import { readValType, writeValType, type ValType } from "./types.js";

export interface LocalDecl {
  readonly count: number;
  readonly type: ValType;
}

export interface FuncBody {
  readonly locals: readonly LocalDecl[];
  /** Every instruction, the final `end` included. */
  readonly code: readonly Instr[];
  /** LEB128 widths of the local declarations, when one was over-long. */
  readonly lebs?: readonly number[];
}

/** Opcodes that open a block closed by `end` (or, for `try`, by `delegate`). */
const OPENS = new Set(["block", "loop", "if", "try", "try_table"]);

/**
 * Reads instructions until the `end` that closes the expression. With `perInstr`,
 * each instruction gets its own LEB128 widths; without, the reader's current log
 * (a section's) goes on collecting them.
 */
export function readExpr(r: WasmReader, perInstr: boolean): Instr[] {
  const code: Instr[] = [];
  let depth = 0;
  const outer = r.log;
  const outerPadded = r.padded;
  for (;;) {
    if (perInstr) r.clearLog();
    let ins = readInstr(r);
    if (perInstr && r.padded) ins = { ...ins, lebs: r.log!.slice() };
    code.push(ins);
    const name = ins.op.name;
    if (OPENS.has(name)) depth++;
    else if (name === "end" || name === "delegate") {
      if (depth === 0) {
        if (name === "delegate") r.malformed("delegate outside a try block");
        break;
      }
      depth--;
    }
  }
  if (perInstr) {
    r.log = outer;
    r.padded = outerPadded;
  }
  return code;
}

export function writeExpr(w: WasmWriter, code: readonly Instr[], perInstr: boolean): void {
  for (const ins of code) {
    if (perInstr) w.setPads(ins.lebs);
    writeInstr(w, ins);
  }
  if (perInstr) w.setPads(undefined);
}

/** Decodes one body (the bytes after its size) that starts at `offset` in the module. */
export function decodeBody(raw: Uint8Array, offset = 0): FuncBody {
  const r = new WasmReader(raw, 0, raw.length, offset);
  r.startLog();
  const locals = r.vec("local declarations", () => ({ count: r.u32("local count"), type: readValType(r) }));
  const lebs = r.takeLog();
  if (locals.reduce((n, l) => n + l.count, 0) > 0xffffffff) r.malformed("more than 2^32 - 1 locals", 0);
  const code = readExpr(r, true);
  if (!r.atEnd) r.malformed("bytes after the end of the function body");
  return lebs ? { locals, code, lebs } : { locals, code };
}

/** Encodes a body (without its size) into `w`. */
export function writeBody(w: WasmWriter, body: FuncBody): void {
  w.setPads(body.lebs);
  w.vec(body.locals, (l) => {
    w.u32(l.count);
    writeValType(w, l.type);
  });
  writeExpr(w, body.code, true);
}

export function encodeBody(body: FuncBody, canonical = false): Uint8Array {
  const w = new WasmWriter(canonical);
  writeBody(w, body);
  return w.toBytes();
}
