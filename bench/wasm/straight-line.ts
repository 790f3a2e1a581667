/**
 * bench/wasm/straight-line.ts: the straight-line huge function (the template
 * style code generators emit): `(func $run (param $seed i32) (result i32))` sets
 * eight register locals from the seed, then runs one long sequence of i32
 * statements over them, about one in twelve an if/else on a register's low bits
 * (nested at most twice), with no loop, and returns a checksum of the registers.
 * The body comes within a statement of the requested size. The JS reference runs
 * the same statement records (bench/wasm/statements.ts).
 */
import { BodyEmitter, op } from "./emit.js";
import { checksumJs, emitChecksum, Program, prng, RECORD, runStatements, StatementWriter } from "./statements.js";
import type { Workload } from "./workload.js";

const REGS = 8;
const SCALE = [0x2545f491, 0x6a09e667, -0x4498517b, 0x3c6ef372, -0x5ab00ac6, 0x510e527f, -0x64fa9774, 0x1f83d9ab];
const OFFSET = [1, 0x9e3779b9 | 0, 77, 0x7f4a7c15, -3, 0x5be0cd19, 12345, -0x16b07d4d];

export function straightLineWorkload(bodySize: number, seed = 14): Workload {
  const random = prng(seed);
  const body = new BodyEmitter(REGS);
  for (let r = 0; r < REGS; r++) body.get(0).const(SCALE[r]!).ins(op("i32.mul")).const(OFFSET[r]!).ins(op("i32.add")).set(r + 1);

  const tail = new BodyEmitter(0);
  const tailStart = tail.size;
  emitChecksum(tail, REGS);
  tail.ins(op("end"));
  const tailSize = tail.size - tailStart;

  const program = new Program();
  const writer = new StatementWriter(body, program, { regs: REGS, maxIfDepth: 2, ifPercent: 8 }, random);
  while (body.size < bodySize - tailSize) writer.next();
  emitChecksum(body, REGS);
  body.ins(op("end"));

  const records = program.records();
  const reference = (seedArg: number): number => {
    const regs = new Int32Array(REGS);
    for (let r = 0; r < REGS; r++) regs[r] = (Math.imul(seedArg, SCALE[r]!) + OFFSET[r]!) | 0;
    runStatements(records, 0, records.length, regs);
    return checksumJs(regs, REGS);
  };
  return { shape: "straight-line", body: body.toBytes(), reference, describe: `straight-line: ${records.length / RECORD} statement records` };
}
