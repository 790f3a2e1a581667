/**
 * Test helper: Java source of an interpreter's dispatch loop with light cases (the
 * shape of bench/jit-probe/gen-interp.mjs): one `for` around a `switch` of `cases`
 * opcodes, each case two short int expressions on four registers held in locals.
 * 335 cases make `run` about 8.7 KB of bytecode, just over HotSpot's 8,000-byte
 * JIT limit. `main` runs the loop over a fixed pseudo-random program and prints the
 * checksum of every call, so a split that miscomputes any case shows.
 */
export function dispatchLoopSource(pkg: string, cases: number, steps: number, calls: number): string {
  let state = 0x2545f491;
  const rnd = (n: number) => {
    state = (Math.imul(state, 1103515245) + 12345) >>> 0;
    return (state >>> 8) % n;
  };
  const R = ["a", "b", "c", "d"];
  const ops = ["+", "-", "*", "^", "|", "&"];
  const stmt = () => `${R[rnd(4)]} = (${R[rnd(4)]} ${ops[rnd(ops.length)]} ${R[rnd(4)]}) ${ops[rnd(3)]} ${rnd(1000) + 1};`;
  const lines = Array.from({ length: cases }, (_, k) => `        case ${k}: ${stmt()} ${stmt()} break;`);
  return `package ${pkg};

public final class Main {
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
      program[i] = ((s >>> 8) & 0x7fffffff) % ${cases + 1};
    }
    for (int k = 0; k < ${calls}; k++) System.out.println("call " + k + " checksum " + run(program, ${steps} + k));
  }
}
`;
}
