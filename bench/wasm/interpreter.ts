/**
 * bench/wasm/interpreter.ts: the interpreter-shaped huge function of issue 14,
 * `(func $run (param $steps i32) (result i32))`: a loop that fetches a 16-bit
 * opcode from a program in linear memory (65,536 opcodes at address 0, drawn by a
 * seeded PRNG with the skew of real opcode frequencies: see logUniformRank, the
 * handlers in random order), advances the pc, and dispatches with one `br_table` over N cases;
 * each case is a few i32 statements on seven register locals (sometimes an if/else,
 * sometimes a jump that moves the pc by a register's low byte) and branches back to
 * the loop. After `steps` steps it returns a checksum of the registers and the pc.
 *
 * Layout (core spec, "Control Instructions": `br_table` to the i-th enclosing block
 * lands after that block's `end`, where case i's code is):
 *   block  loop  [steps == 0 -> exit; steps -= 1]
 *     block x N  [fetch, pc += 1]  br_table 0..N-1
 *     end case_0 br N-1  end case_1 br N-2 ... end case_N-1 br 0
 *   end end  checksum
 * The case count grows with the requested size (about 112 bytes a case) up to
 * 32,768 cases; past that the cases get longer. The body comes within a statement
 * of the requested size. The JS reference runs the same statement records.
 *
 * `reach` (default: every case) limits the program to the `reach` hottest handlers
 * (ranks 0..reach-1, still skewed as 1/(rank+1) and spread over the body by the same
 * shuffle): a step then only ever runs those handlers (pc jumps stay inside the
 * program), so a split module's first call reaches only their pieces. The PRNG is
 * drawn exactly as often either way, so the function body is byte-identical for every
 * `reach` and only the program in memory differs; without `reach` (or with one at
 * least the case count) the whole module is the same as before the option existed.
 */
import { BodyEmitter, op } from "./emit.js";
import { checksumJs, emitChecksum, Program, prng, RECORD, runStatements, StatementWriter } from "./statements.js";
import type { Workload } from "./workload.js";

const PROGRAM_LENGTH = 1 << 16;
const PC_MASK = PROGRAM_LENGTH - 1;
const REGS = 7;
const PC = 7;
const LOCALS = 8;
const BYTES_PER_CASE = 112;
const MAX_CASES = 32768;
const INITIAL = [0x12345678, -0x3c6ef372, 0x2545f491, 0x6a09e667, -0x4498517b, 0x3c6ef372, 0x510e527f];

/**
 * A rank in [0, n) drawn with probability about proportional to 1 / (rank + 1), as
 * opcode frequencies of real bytecode are: a few handlers run most of the steps.
 * At 6.6 MB (32,768 handlers) the top 64 take 40% of the program, the top 1,024
 * 67%, and 13,634 handlers appear in it at all (the rest are compiled, never run).
 */
function logUniformRank(n: number, random: () => number): number {
  const u = random() / 4294967296;
  return Math.min(n - 1, Math.floor(Math.exp(u * Math.log(n + 1))) - 1);
}

/** 0..n-1 in a random order (Fisher-Yates), so the hot handlers are spread over the whole body. */
function shuffled(n: number, random: () => number): Int32Array {
  const out = Int32Array.from({ length: n }, (_, i) => i);
  for (let i = n - 1; i > 0; i--) {
    const j = random() % (i + 1);
    [out[i], out[j]] = [out[j]!, out[i]!];
  }
  return out;
}

export function interpreterWorkload(bodySize: number, seed = 14, reach?: number): Workload {
  const random = prng(seed);
  const cases = Math.max(8, Math.min(MAX_CASES, Math.round(bodySize / BYTES_PER_CASE)));
  if (reach !== undefined && !(Number.isInteger(reach) && reach >= 1)) throw new RangeError(`reach must be an integer of at least 1, not ${reach}`);
  const drawn = Math.min(cases, reach ?? cases);
  const opcodes = new Uint8Array(PROGRAM_LENGTH * 2);
  const view = new DataView(opcodes.buffer);
  const handlerOfRank = shuffled(cases, random);
  for (let i = 0; i < PROGRAM_LENGTH; i++) view.setUint16(i * 2, handlerOfRank[logUniformRank(drawn, random)]!, true);

  const body = new BodyEmitter(LOCALS);
  INITIAL.forEach((v, r) => body.const(v).set(r + 1));
  body.open("block").open("loop");
  body.get(0).ins(op("i32.eqz")).ins(op("br_if"), 1);
  body.get(0).const(1).ins(op("i32.sub")).set(0);
  for (let i = 0; i < cases; i++) body.open("block");
  body.get(PC + 1).const(1).ins(op("i32.shl")).ins(op("i32.load16_u"), { flags: 1, memory: 0, offset: 0 });
  body.get(PC + 1).const(1).ins(op("i32.add")).const(PC_MASK).ins(op("i32.and")).set(PC + 1);
  body.ins(op("br_table"), { labels: Array.from({ length: cases }, (_, i) => i), default: cases - 1 });

  const tail = new BodyEmitter(0);
  const tailStart = tail.size;
  tail.ins(op("end")).ins(op("end"));
  emitChecksum(tail, LOCALS);
  tail.ins(op("end"));
  const tailSize = tail.size - tailStart;

  const program = new Program();
  const caseStart = new Int32Array(cases + 1);
  const writer = new StatementWriter(body, program, { regs: REGS, maxIfDepth: 1, ifPercent: 6, pcReg: PC, jumpPercent: 8, pcMask: PC_MASK }, random);
  const casesStart = body.size;
  const caseBudget = (bodySize - casesStart - tailSize) / cases;
  for (let i = 0; i < cases; i++) {
    body.ins(op("end"));
    caseStart[i] = program.length;
    const brSize = 3;
    let written = 0;
    while (written < 2 || body.size + brSize < casesStart + (i + 1) * caseBudget) {
      writer.next();
      written++;
    }
    body.ins(op("br"), cases - 1 - i);
  }
  caseStart[cases] = program.length;
  body.ins(op("end")).ins(op("end"));
  emitChecksum(body, LOCALS);
  body.ins(op("end"));

  const records = program.records();
  const reference = (steps: number): number => {
    const regs = new Int32Array(LOCALS);
    regs.set(INITIAL);
    for (let s = 0; s < steps; s++) {
      const opcode = view.getUint16(regs[PC]! * 2, true);
      regs[PC] = (regs[PC]! + 1) & PC_MASK;
      runStatements(records, caseStart[opcode]!, caseStart[opcode + 1]!, regs, PC, PC_MASK);
    }
    return checksumJs(regs, LOCALS);
  };
  const statements = records.length / RECORD;
  return {
    shape: "interpreter",
    body: body.toBytes(),
    data: opcodes,
    reference,
    describe: `interpreter: ${cases} cases, ${statements} statement records, program of ${PROGRAM_LENGTH} opcodes${drawn < cases ? ` over the ${drawn} hottest handlers` : ""}`,
  };
}
