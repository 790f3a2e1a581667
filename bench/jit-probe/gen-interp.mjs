#!/usr/bin/env node
/**
 * jit-probe: writes `Loop.java`, an interpreter loop with light cases: one `for`
 * around a `switch` of `cases` opcodes, each case two short int expressions on
 * four registers held in locals, then `break` to the loop head. The program is a
 * fixed pseudo-random opcode array, so every run computes the same checksum. With
 * 335 cases the `run` method is about 8.7 KB of bytecode: just over HotSpot's
 * 8,000-byte limit, the commonest real case of an interpreter that stops being
 * compiled. `main` runs `run(program, steps)` `calls` times and prints the checksum.
 *
 *   node bench/jit-probe/gen-interp.mjs <out-dir> [cases=335] [steps=1000000] [calls=20]
 */
import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";

const [outDir, casesArg, stepsArg, callsArg] = process.argv.slice(2);
if (!outDir) {
  console.error("usage: gen-interp.mjs <out-dir> [cases] [steps] [calls]");
  process.exit(2);
}
const CASES = Number(casesArg ?? 335);
const STEPS = Number(stepsArg ?? 1000000);
const CALLS = Number(callsArg ?? 20);
let state = 0x2545f491;
const rnd = (n) => {
  state = (Math.imul(state, 1103515245) + 12345) >>> 0;
  return (state >>> 8) % n;
};
const R = ["a", "b", "c", "d"];
const ops = ["+", "-", "*", "^", "|", "&"];
const lines = [];
for (let k = 0; k < CASES; k++) {
  const stmt = () => {
    const d = R[rnd(4)], x = R[rnd(4)], y = R[rnd(4)];
    return `${d} = (${x} ${ops[rnd(ops.length)]} ${y}) ${ops[rnd(3)]} ${rnd(1000) + 1};`;
  };
  lines.push(`        case ${k}: ${stmt()} ${stmt()} break;`);
}
const src = `public final class Loop {
  static int run(int[] program, int steps) {
    int a = 1, b = 2, c = 3, d = 4;
    int pc = 0;
    for (int i = 0; i < steps; i++) {
      int op = program[pc];
      pc = (pc + 1) & (program.length - 1);
      switch (op) {
${lines.join("\n")}
        default: a++;
      }
    }
    return a ^ b ^ c ^ d;
  }

  public static void main(String[] args) {
    int[] program = new int[4096];
    int s = 12345;
    for (int i = 0; i < program.length; i++) {
      s = s * 1103515245 + 12345;
      program[i] = ((s >>> 8) & 0x7fffffff) % ${CASES};
    }
    int sum = 0;
    for (int k = 0; k < ${CALLS}; k++) sum = sum * 31 + run(program, ${STEPS});
    System.out.println("checksum " + sum);
  }
}
`;
mkdirSync(outDir, { recursive: true });
writeFileSync(join(outDir, "Loop.java"), src);
