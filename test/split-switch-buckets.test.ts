/**
 * A `tableswitch` in a loop too large for one piece is cut into a switch on the
 * key's bucket and one switch per bucket (src/split/cut-points.ts
 * `splitLargeSwitches`). The method here folds an array of keys through a
 * 700-case switch over keys -300..399 (each case its own arithmetic), split at
 * 8,000 bytes (buckets of 128 keys) and at 2,000 bytes (buckets of 32 keys). `main`
 * passes every key of the table, the keys around it, the extremes of `int` (where
 * `key - low` overflows) and pseudo-random keys, and prints a checksum; the split
 * classes link under -Xverify:all and print what the unsplit ones print (the JVM is
 * the oracle). The split holds the bucket switch (a `tableswitch` from 0 whose
 * targets are `tableswitch`es of consecutive key ranges), every key of the table
 * in exactly one bucket. The same switch outside a loop stays a tree of range
 * tests (`pick`, whose split must hold no bucket switch).
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { codeOf, type ClassFile } from "../src/classfile/model.js";
import { decodeBody } from "../src/bytecode/decode.js";
import { Op } from "../src/bytecode/opcodes.js";
import { linkAll } from "./support/jvm.js";
import { compileJava, expectSameRun, runJava, type RunResult } from "./support/hard-case.js";
import { classIn, splitJar, splitReportOf } from "./support/split-jar.js";

const work = mkdtempSync(join(tmpdir(), "megasplit-buckets-"));
afterAll(() => rmSync(work, { recursive: true, force: true }));

const LOW = -300;
const CASES = 700;

function switchSource(): string {
  const arms = (value: (i: number) => string) => Array.from({ length: CASES }, (_, i) => `      case ${LOW + i}: ${value(i)}`).join("\n");
  return `package sw;
public final class Main {
  static long fold(int[] keys) {
    long h = 17;
    for (int i = 0; i < keys.length; i++) {
      int k = keys[i];
      switch (k) {
${arms((i) => `h = h * 31 + k * ${(i % 97) + 3} + ${i * 7919}; break;`)}
      default: h = h * 31 - k;
      }
    }
    return h;
  }
  static int pick(int k) {
    switch (k) {
${arms((i) => `return k * ${(i % 89) + 5} + ${i * 104729};`)}
      default: return -k;
    }
  }
  public static void main(String[] args) {
    int[] keys = new int[${CASES + 400 + 8} + 100000];
    int n = 0;
    for (int k = ${LOW - 200}; k < ${LOW + CASES + 200}; k++) keys[n++] = k;
    int[] edges = { Integer.MIN_VALUE, Integer.MIN_VALUE + 1, Integer.MIN_VALUE + 300, Integer.MAX_VALUE, Integer.MAX_VALUE - 299, -1, 0, 1 };
    for (int k : edges) keys[n++] = k;
    int s = 12345;
    while (n < keys.length) {
      s = s * 1103515245 + 12345;
      keys[n++] = (s >> 4) % 1000;
    }
    long p = 0;
    for (int k : keys) p = p * 31 + pick(k);
    System.out.println("checksum " + fold(keys) + " " + p);
  }
}
`;
}

/** The `tableswitch` nodes of the methods of `cf` whose names start with `prefix` (the method and its pieces), with whether `ishr` precedes each. */
function tableSwitches(cf: ClassFile, prefix: string) {
  return cf.methods
    .filter((m) => cf.constantPool.utf8(m.nameIndex).startsWith(prefix))
    .flatMap((m) => {
      const nodes = decodeBody(codeOf(m)!, cf.constantPool).nodes.filter((n) => n.kind !== "label" && n.kind !== "line");
      return nodes.flatMap((n, i) => (n.kind === "tableswitch" ? [{ ...n, afterShift: i > 0 && nodes[i - 1]!.kind === "simple" && (nodes[i - 1] as { op: number }).op === Op.ISHR }] : []));
    });
}

describe("a large tableswitch cut into buckets", () => {
  const classes = join(work, "classes");
  let expected: RunResult;
  beforeAll(() => {
    const src = join(work, "src", "sw", "Main.java");
    mkdirSync(join(work, "src", "sw"), { recursive: true });
    writeFileSync(src, switchSource());
    compileJava([src], classes);
    expected = runJava(classes, "sw.Main", { jvm: ["-Xverify:all"] });
    expect(expected.status).toBe(0);
    expect(expected.stdout).toMatch(/^checksum -?\d+ -?\d+\n$/);
  });

  for (const [maxSize, link] of [[8000, "auto"], [8000, "switch"], [2000, "auto"]] as const) {
    it(`at ${maxSize} bytes, link ${link}: links and prints the same; the loop's switch goes by buckets, the other by range tests`, async () => {
      const split = await splitJar(classes, work, `sw-${maxSize}-${link}.jar`, { maxSize, link });
      expect(split.result.diagnostics).toEqual([]);
      for (const method of ["fold([I)J", "pick(I)I"]) {
        expect(splitReportOf(split, "sw/Main", method).originalLength).toBeGreaterThan(8000);
      }
      const cf = classIn(split, "sw/Main");
      // The bucket switch: `ishr; tableswitch` from 0 over a few targets.
      const isBucketSwitch = (n: { low: number; high: number; afterShift: boolean }) => n.afterShift && n.low === 0 && n.high > 0 && n.high < CASES / 8;
      // The loop's switch: the bucket switch, and every key of the table in exactly one bucket.
      const switches = tableSwitches(cf, "fold");
      expect(switches.some(isBucketSwitch)).toBe(true);
      const covered = new Map<number, number>();
      // Buckets start at LOW + a multiple of their size (16 keys or more); the other
      // switches of the split (the bucket switch, pieces' entry switches from 0 or 1) do not.
      for (const n of switches) if (n.low >= LOW && (n.low - LOW) % 16 === 0) for (let k = n.low; k <= n.high; k++) covered.set(k, (covered.get(k) ?? 0) + 1);
      const ranges = switches.map((n) => `${n.low}..${n.high}`).join(" ");
      for (let k = LOW; k < LOW + CASES; k++) expect(covered.get(k), `key ${k} in the switches ${ranges}`).toBe(1);
      // The switch outside a loop: a tree of range tests, no bucket switch.
      expect(tableSwitches(cf, "pick").some(isBucketSwitch)).toBe(false);
      const linked = await linkAll(split.path);
      expect(linked.failures).toEqual([]);
      expectSameRun(runJava(split.path, "sw.Main", { jvm: ["-Xverify:all"] }), expected);
    });
  }
});
