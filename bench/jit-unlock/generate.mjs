#!/usr/bin/env node
/**
 * bench/jit-unlock interpreter generator: writes `Interp.java`, a
 * bytecode-interpreter-style class whose static method `run(int[] program, int
 * steps)` is one loop around a `tableswitch` of `cases` opcodes. Heavy cases (the
 * default) do varied interpreter work, 4 to 7 micro-operations each: int and long
 * registers held in locals, a 64-slot operand stack and a 256-slot memory array,
 * unconditional, conditional and computed jumps, and occasional calls (small static
 * helpers and JDK intrinsics), about 100 bytes of bytecode a case. Light cases
 * (`--weight light`) are one or two register operations and the pc update, a
 * handful of bytecodes (about 25 bytes a case): the shape where the dispatch itself
 * dominates. Everything is drawn from fixed menus with a seeded PRNG, so the same
 * arguments always give the same source; the case count sets the method's size
 * (check with `megasplit inspect`). The program is a deterministic array of
 * two-word instructions (opcode, operand), about two per opcode.
 *
 * The class is a workload of Harness.java: `applyAsLong(i)` runs `--steps`
 * interpreter steps (default 100,000) and returns the interpreter's checksum.
 *
 *   node bench/jit-unlock/generate.mjs <out-dir> [cases=200] [seed] [--weight light|heavy] [--steps N]
 *   javac -d classes <out-dir>/Interp.java
 *   java -cp classes Interp 1000000          # one call, prints its checksum
 */
import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { parseArgs } from "node:util";

const { values: opt, positionals } = parseArgs({
  allowPositionals: true,
  options: { weight: { type: "string", default: "heavy" }, steps: { type: "string", default: "100000" } },
});
const [outDir, casesArg, seedArg] = positionals;
if (!outDir || !["light", "heavy"].includes(opt.weight)) {
  console.error("usage: node bench/jit-unlock/generate.mjs <out-dir> [cases=200] [seed] [--weight light|heavy] [--steps N]");
  process.exit(2);
}
const CASES = Number(casesArg ?? 200);
const SEED = Number(seedArg ?? 20240611);
const LIGHT = opt.weight === "light";
const STEPS = Number(opt.steps);
// Program length in ints (two words an instruction), a power of two with about
// two instructions per opcode and at least 1,024 instructions.
let LEN = 2048;
while (LEN < 4 * CASES) LEN *= 2;

// Small deterministic PRNG (mulberry32).
let state = SEED >>> 0;
function rnd() {
  state = (state + 0x6d2b79f5) >>> 0;
  let t = state;
  t = Math.imul(t ^ (t >>> 15), t | 1);
  t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
  return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
}
const pick = (xs) => xs[Math.floor(rnd() * xs.length)];
const int = (lo, hi) => lo + Math.floor(rnd() * (hi - lo + 1));
const REG = ["a", "b", "c", "d"];
const reg = () => pick(REG);
const two = () => {
  const r = reg();
  let s = reg();
  while (s === r) s = reg();
  return [r, s];
};
const K = () => String(int(1, 0x7fff));
const S = () => String(int(1, 31));
const OPERAND = "program[pc + 1]";
const NEXT = `pc = (pc + 2) & ${LEN - 1};`;
// Unconditional jumps go forward (by 1 to 32 instructions, wrapping around), so
// the program cannot close a cycle that no register decides to leave;
// conditional jumps go anywhere.
const JUMP = `pc = (pc + 2 + ((${OPERAND} & 31) << 1)) & ${LEN - 1};`;
const FAR = `pc = (${OPERAND} & ${LEN / 2 - 1}) << 1;`;

// The micro-operations a case is made of; each returns Java statements.
const OPS = [
  () => { const [r, s] = two(); return `${r} = ${r} * ${int(3, 99) | 1} + ${s};`; },
  () => { const [r, s] = two(); return `${r} ^= ${s} >>> ${S()};`; },
  () => { const r = reg(); const s = int(1, 31); return `${r} = (${r} << ${s}) | (${r} >>> ${32 - s});`; },
  () => `x += (long) ${reg()} * ${K()}L;`,
  () => `y = (y ^ x) * 0x9E3779B97F4A7C15L;`,
  () => `y += x >> ${int(1, 63)};`,
  () => `x ^= y << ${int(1, 63)} | ${reg()};`,
  () => { const [r, s] = two(); return `${r} -= mem[(${s} + ${K()}) & 255];`; },
  () => { const [r, s] = two(); return `mem[(${r} ^ ${K()}) & 255] = ${s} + ${reg()};`; },
  () => `stack[sp] = ${reg()} + ${K()}; sp = (sp + 1) & 63;`,
  () => `sp = (sp - 1) & 63; ${reg()} += stack[sp];`,
  () => `{ int t = stack[(sp - 1) & 63]; sp = (sp - 1) & 63; stack[(sp - 1) & 63] ${pick(["+", "-", "*", "^", "|", "&"])}= t; }`,
  () => { const [r, s] = two(); return `${r} = mix(${r}, ${s});`; },
  () => `x = mixLong(x, ${reg()});`,
  () => { const r = reg(); return `${r} = Integer.rotateLeft(${r}, ${reg()});`; },
  () => `${reg()} += Integer.bitCount(${reg()});`,
  () => `${reg()} ^= Long.hashCode(x + y);`,
  () => { const [r, s] = two(); return `if (${r} > ${s}) { ${reg()} += ${K()}; } else { ${reg()} ^= ${K()}; }`; },
  () => `${reg()} += ${OPERAND};`,
  () => { const [r, s] = two(); return `${r} = ${s} / ((${reg()} & 7) + 1);`; },
  () => { const [r, s] = two(); return `${r} = ${s} % ((${reg()} & 15) + 3) + ${OPERAND};`; },
  () => `x += ${OPERAND} ^ (long) ${reg()} << ${int(1, 40)};`,
  () => `mem[${OPERAND} & 255] ^= (int) (x >>> ${int(1, 32)});`,
];

// How a case moves pc: mostly the next instruction, sometimes a jump.
function pcUpdate() {
  const r = rnd();
  if (r < 0.7) return NEXT;
  if (r < 0.8) return JUMP;
  if (r < 0.95) {
    const [p, q] = two();
    return `if ((${p} & ${int(1, 255)}) < (${q} & ${int(1, 255)})) ${FAR} else ${NEXT}`;
  }
  return `pc = (pc + 2 + ((${reg()} & 3) << 1)) & ${LEN - 1};`;
}

// Light cases: one or two of these (a handful of bytecodes each), no calls.
const LIGHT_OPS = [
  () => { const [r, s] = two(); return `${r} += ${s};`; },
  () => `${reg()} ^= ${K()};`,
  () => { const r = reg(); return `${r} = ${r} * ${int(3, 99) | 1};`; },
  () => { const [r, s] = two(); return `${r} -= ${s} >>> ${S()};`; },
  () => `x += ${reg()};`,
  () => `${reg()} += ${OPERAND};`,
  () => { const [r, s] = two(); return `mem[${r} & 255] = ${s};`; },
];
function lightPcUpdate() {
  const r = rnd();
  if (r < 0.85) return NEXT;
  if (r < 0.93) return JUMP;
  const [p, q] = two();
  return `if ((${p} & ${int(1, 255)}) < (${q} & ${int(1, 255)})) ${FAR} else ${NEXT}`;
}

const cases = [];
for (let i = 0; i < CASES; i++) {
  const n = LIGHT ? int(1, 2) : int(4, 7);
  const body = [];
  for (let j = 0; j < n; j++) body.push(LIGHT ? pick(LIGHT_OPS)() : pick(OPS)());
  body.push(LIGHT ? lightPcUpdate() : pcUpdate());
  cases.push(`        case ${i}: {\n${body.map((s) => `          ${s}`).join("\n")}\n          break;\n        }`);
}

const java = `// Generated by bench/jit-unlock/generate.mjs (cases ${CASES}, seed ${SEED}, ${opt.weight} cases); do not edit.
public final class Interp implements java.util.function.LongUnaryOperator {
  static final int LEN = ${LEN};
  static final int[] PROGRAM = program();

  /** One op of bench/jit-unlock's Harness: ${STEPS} interpreter steps. */
  public long applyAsLong(long i) {
    return run(PROGRAM, ${STEPS});
  }

  static int mix(int p, int q) {
    int h = p * 0x9E3779B1 + q;
    return h ^ (h >>> 16);
  }

  static long mixLong(long v, int q) {
    v ^= q;
    v *= 0xBF58476D1CE4E5B9L;
    return v ^ (v >>> 31);
  }

  public static long run(int[] program, int steps) {
    int pc = 0, a = 1, b = 2, c = 3, d = 4, sp = 0;
    long x = 5L, y = 6L;
    int[] stack = new int[64];
    int[] mem = new int[256];
    for (;;) {
      if (--steps < 0) {
        long h = x * 31 + y;
        h = h * 31 + a; h = h * 31 + b; h = h * 31 + c; h = h * 31 + d; h = h * 31 + sp;
        for (int i = 0; i < 64; i++) h = h * 31 + stack[i];
        for (int i = 0; i < 256; i++) h = h * 31 + mem[i];
        return h;
      }
      switch (program[pc]) {
${cases.join("\n")}
        default:
          throw new IllegalStateException("bad opcode " + program[pc] + " at " + pc);
      }
    }
  }

  static int[] program() {
    int[] p = new int[LEN];
    long s = 42L;
    for (int i = 0; i < LEN; i += 2) {
      s = s * 6364136223846793005L + 1442695040888963407L;
      p[i] = (int) ((s >>> 33) % ${CASES});
      s = s * 6364136223846793005L + 1442695040888963407L;
      p[i + 1] = (int) (s >>> 32);
    }
    return p;
  }

  /** java Interp <steps>: one call without timing, for -Xverify:all or a profiler. */
  public static void main(String[] args) {
    System.out.println("checksum " + Long.toHexString(run(program(), Integer.parseInt(args[0]))));
  }
}
`;

mkdirSync(outDir, { recursive: true });
writeFileSync(join(outDir, "Interp.java"), java);
