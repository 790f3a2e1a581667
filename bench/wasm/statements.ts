/**
 * bench/wasm/statements.ts: the little statement language both generators are
 * made of, kept as data so that one program is written twice, independently: as
 * WebAssembly instructions (through bench/wasm/emit.ts, our codec) and as a JS
 * evaluator with JS's own i32 arithmetic (`|0`, `Math.imul`, `>>>`), which the tests
 * use as the oracle for what the engine computes.
 *
 * Registers are i32 locals (register r is local r + 1: local 0 is the function's
 * parameter). A statement is one fixed-width record of {@link RECORD} ints:
 *   ASSIGN op dst a bIsConst b   rDst = rA <op> (rB or the constant b)
 *   IF     reg mask value nThen nElse   if ((rReg & mask) == value) {nThen records} else {nElse}
 *   JUMP   reg                   pc = (pc + (rReg & 255)) & pcMask (the interpreter's jump)
 * The then and else records follow the IF record, so a program is a flat array.
 * Semantics are the core spec's i32 instructions (Numerics: iadd, isub, imul, ixor,
 * ior, iand, ishl, ishr_u, ishr_s, irotl, irotr; shift counts taken modulo 32).
 */
import { op, type BodyEmitter } from "./emit.js";
import type { OpInfo } from "../../src/wasm/opcodes.js";

export const RECORD = 6;
const ASSIGN = 0;
const IF = 1;
const JUMP = 2;

interface AluOp {
  readonly info: OpInfo;
  readonly weight: number;
  readonly js: (a: number, b: number) => number;
}

/** The i32 operators, weighted so that long runs keep their entropy (mostly add, xor, rotations, odd multiplications). */
const ALU: readonly AluOp[] = [
  { info: op("i32.add"), weight: 3, js: (a, b) => (a + b) | 0 },
  { info: op("i32.sub"), weight: 2, js: (a, b) => (a - b) | 0 },
  { info: op("i32.xor"), weight: 3, js: (a, b) => a ^ b },
  { info: op("i32.mul"), weight: 2, js: (a, b) => Math.imul(a, b) },
  { info: op("i32.rotl"), weight: 2, js: (a, b) => (a << (b & 31)) | (a >>> (32 - (b & 31))) },
  { info: op("i32.rotr"), weight: 1, js: (a, b) => (a >>> (b & 31)) | (a << (32 - (b & 31))) },
  { info: op("i32.or"), weight: 1, js: (a, b) => a | b },
  { info: op("i32.and"), weight: 1, js: (a, b) => a & b },
  { info: op("i32.shl"), weight: 1, js: (a, b) => a << (b & 31) },
  { info: op("i32.shr_u"), weight: 1, js: (a, b) => (a >>> (b & 31)) | 0 },
  { info: op("i32.shr_s"), weight: 1, js: (a, b) => a >> (b & 31) },
];
const ALU_DRAW: number[] = ALU.flatMap((o, i) => Array<number>(o.weight).fill(i));
const MUL = ALU.findIndex((o) => o.info.name === "i32.mul");
const SHIFTS = new Set(ALU.map((o, i) => (/sh|rot/.test(o.info.name) ? i : -1)).filter((i) => i >= 0));
/** Operators that, with a constant or another register, are a bijection of the register they update. */
const INVERTIBLE = ["i32.add", "i32.sub", "i32.xor", "i32.mul", "i32.rotl", "i32.rotr"].map((n) => ALU.findIndex((o) => o.info.name === n));
const I32_AND = op("i32.and");
const I32_ADD = op("i32.add");
const I32_EQ = op("i32.eq");
const ELSE = op("else");
const END = op("end");

/** mulberry32: a small, well-mixed 32-bit PRNG, so the same seed always gives the same program. */
export function prng(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s + 0x6d2b79f5) >>> 0;
    let t = s;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return (t ^ (t >>> 14)) >>> 0;
  };
}

/** A growable array of statement records. */
export class Program {
  private data = new Int32Array(1 << 12);
  length = 0;

  push(a: number, b: number, c: number, d: number, e: number, f: number): number {
    if (this.length + RECORD > this.data.length) {
      const bigger = new Int32Array(this.data.length * 2);
      bigger.set(this.data);
      this.data = bigger;
    }
    const at = this.length;
    this.data.set([a, b, c, d, e, f], at);
    this.length += RECORD;
    return at;
  }

  patch(at: number, field: number, value: number): void {
    this.data[at + field] = value;
  }

  /** The records, trimmed. */
  records(): Int32Array {
    return this.data.slice(0, this.length);
  }
}

/** What a generator allows in its statements. */
export interface StatementMenu {
  /** Registers r0..r(regs-1) are read and written. */
  readonly regs: number;
  /** Largest nesting of IF records (0: none). */
  readonly maxIfDepth: number;
  /** Percent of statements that are an IF (when nesting allows). */
  readonly ifPercent: number;
  /** The register holding the interpreter's pc, for JUMP records (undefined: no jumps). */
  readonly pcReg?: number;
  /** Percent of statements that are a JUMP (when pcReg is set). */
  readonly jumpPercent?: number;
  readonly pcMask?: number;
}

/**
 * Writes statements into both forms at once: each {@link next} draws one
 * statement, appends its record(s) to `program` and its instructions to `body`.
 */
export class StatementWriter {
  constructor(
    readonly body: BodyEmitter,
    readonly program: Program,
    readonly menu: StatementMenu,
    readonly random: () => number,
  ) {}

  private below(n: number): number {
    return this.random() % n;
  }

  /** One statement (an IF with its branches counts as one), at IF nesting `depth`. */
  next(depth = 0): void {
    const m = this.menu;
    const roll = this.below(100);
    if (depth < m.maxIfDepth && roll < m.ifPercent) return this.writeIf(depth);
    if (m.pcReg !== undefined && roll >= 100 - (m.jumpPercent ?? 0)) return this.writeJump();
    this.writeAssign();
  }

  /**
   * Three in four assignments update a state register in place by an invertible
   * step (add, sub or xor of another register or a constant, multiplication by an
   * odd constant, rotation by a constant), so long runs keep depending on the
   * input; the rest compute anything (and, or, shifts, products) into the scratch
   * register, the last one, which later steps mix back in.
   */
  private writeAssign(): void {
    const m = this.menu;
    const scratch = m.regs - 1;
    let opIndex: number, dst: number, a: number, bIsConst: number, b: number;
    if (this.below(4) === 0) {
      opIndex = ALU_DRAW[this.below(ALU_DRAW.length)]!;
      dst = scratch;
      a = this.below(m.regs);
      bIsConst = this.below(2);
      b = bIsConst ? this.random() | 0 : this.below(m.regs);
    } else {
      opIndex = INVERTIBLE[this.below(INVERTIBLE.length)]!;
      dst = a = this.below(scratch);
      bIsConst = opIndex === MUL || SHIFTS.has(opIndex) ? 1 : this.below(2);
      b = bIsConst ? this.random() | 0 : (dst + 1 + this.below(m.regs - 1)) % m.regs;
    }
    if (bIsConst && SHIFTS.has(opIndex)) b = 1 + this.below(31);
    if (bIsConst && opIndex === MUL) b |= 1;
    this.program.push(ASSIGN, opIndex, dst, a, bIsConst, b);
    this.body.get(a + 1);
    if (bIsConst) this.body.const(b);
    else this.body.get(b + 1);
    this.body.ins(ALU[opIndex]!.info).set(dst + 1);
  }

  private writeJump(): void {
    const m = this.menu;
    const reg = this.below(m.regs);
    this.program.push(JUMP, reg, 0, 0, 0, 0);
    const pc = m.pcReg! + 1;
    this.body.get(pc).get(reg + 1).const(255).ins(I32_AND).ins(I32_ADD).const(m.pcMask!).ins(I32_AND).set(pc);
  }

  private writeIf(depth: number): void {
    const reg = this.below(this.menu.regs);
    const mask = this.below(2) ? 3 : 7;
    const value = this.below(mask + 1);
    const at = this.program.push(IF, reg, mask, value, 0, 0);
    this.body.get(reg + 1).const(mask).ins(I32_AND).const(value).ins(I32_EQ).open("if");
    const nThen = 1 + this.below(4);
    for (let i = 0; i < nThen; i++) this.next(depth + 1);
    this.program.patch(at, 4, (this.program.length - at) / RECORD - 1);
    this.body.ins(ELSE);
    const elseStart = this.program.length;
    const nElse = 1 + this.below(4);
    for (let i = 0; i < nElse; i++) this.next(depth + 1);
    this.program.patch(at, 5, (this.program.length - elseStart) / RECORD);
    this.body.ins(END);
  }
}

/**
 * Runs the records `from` to `to` (indices into `records`, multiples of
 * {@link RECORD}) on `regs`, in JS. `pcReg`/`pcMask` serve JUMP records.
 */
export function runStatements(records: Int32Array, from: number, to: number, regs: Int32Array, pcReg = -1, pcMask = 0): void {
  let i = from;
  while (i < to) {
    const kind = records[i]!;
    if (kind === ASSIGN) {
      const a = regs[records[i + 3]!]!;
      const b = records[i + 4] ? records[i + 5]! : regs[records[i + 5]!]!;
      regs[records[i + 2]!] = ALU[records[i + 1]!]!.js(a, b);
      i += RECORD;
    } else if (kind === IF) {
      const thenEnd = i + RECORD + records[i + 4]! * RECORD;
      const elseEnd = thenEnd + records[i + 5]! * RECORD;
      if ((regs[records[i + 1]!]! & records[i + 2]!) === records[i + 3]!) runStatements(records, i + RECORD, thenEnd, regs, pcReg, pcMask);
      else runStatements(records, thenEnd, elseEnd, regs, pcReg, pcMask);
      i = elseEnd;
    } else if (kind === JUMP) {
      regs[pcReg] = (regs[pcReg]! + (regs[records[i + 1]!]! & 255)) & pcMask;
      i += RECORD;
    } else {
      throw new Error(`bench/wasm/statements: bad record kind ${kind} at ${i}`);
    }
  }
}

const FNV_PRIME = 0x01000193;

/** The checksum both forms return: FNV-style fold of r0..r(regs-1). */
export function checksumJs(regs: Int32Array, count: number): number {
  let h = 0x811c9dc5 | 0;
  for (let r = 0; r < count; r++) h = Math.imul(h ^ regs[r]!, FNV_PRIME);
  return h;
}

/** Leaves {@link checksumJs} of registers r0..r(count-1) on the operand stack. */
export function emitChecksum(body: BodyEmitter, count: number): void {
  body.const(0x811c9dc5);
  for (let r = 0; r < count; r++) body.get(r + 1).ins(op("i32.xor")).const(FNV_PRIME).ins(op("i32.mul"));
}
