/**
 * A `tableswitch` too large for one piece is cut into a switch on the key's bucket
 * and one switch per bucket (src/split/cut-points.ts `splitLargeSwitches`). The
 * method here is a 700-case switch over keys -300..399, each case returning its
 * own value, split at 8,000 bytes (buckets of 128 keys) and at 2,000 bytes
 * (buckets of 32 keys). `main` calls it with every key of the
 * table, the keys around it, the extremes of `int` (where `key - low` overflows)
 * and pseudo-random keys, and prints a checksum; the split classes link under
 * -Xverify:all and print what the unsplit ones print (the JVM is the oracle).
 * The split driver holds the bucket switch: a `tableswitch` from 0 whose
 * targets are `tableswitch`es of consecutive key ranges.
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { codeOf } from "../src/classfile/model.js";
import { decodeBody } from "../src/bytecode/decode.js";
import { linkAll } from "./support/jvm.js";
import { compileJava, expectSameRun, runJava, type RunResult } from "./support/hard-case.js";
import { classIn, splitJar } from "./support/split-jar.js";

const work = mkdtempSync(join(tmpdir(), "megasplit-buckets-"));
afterAll(() => rmSync(work, { recursive: true, force: true }));

const LOW = -300;
const CASES = 700;

function switchSource(): string {
  const cases = Array.from({ length: CASES }, (_, i) => `      case ${LOW + i}: return k * ${(i % 97) + 3} + ${i * 7919};`);
  return `package sw;
public final class Main {
  static int pick(int k) {
    switch (k) {
${cases.join("\n")}
      default: return -k;
    }
  }
  public static void main(String[] args) {
    long h = 17;
    for (int k = ${LOW - 200}; k < ${LOW + CASES + 200}; k++) h = h * 31 + pick(k);
    int[] edges = { Integer.MIN_VALUE, Integer.MIN_VALUE + 1, Integer.MIN_VALUE + 300, Integer.MAX_VALUE, Integer.MAX_VALUE - 299, -1, 0, 1 };
    for (int k : edges) h = h * 31 + pick(k);
    int s = 12345;
    for (int i = 0; i < 100000; i++) {
      s = s * 1103515245 + 12345;
      h = h * 31 + pick((s >> 4) % 1000);
    }
    System.out.println("checksum " + h);
  }
}
`;
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
    expect(expected.stdout).toMatch(/^checksum -?\d+\n$/);
  });

  for (const [maxSize, link] of [[8000, "auto"], [8000, "switch"], [2000, "auto"]] as const) {
    it(`at ${maxSize} bytes, link ${link}: links and prints the same; the driver switches on the bucket`, async () => {
      const split = await splitJar(classes, work, `sw-${maxSize}-${link}.jar`, { maxSize, link });
      expect(split.result.diagnostics).toEqual([]);
      const report = split.result.reports.find((r) => r.className === "sw/Main" && r.method === "pick(I)I");
      if (report?.result.kind !== "split") throw new Error(`sw/Main.pick was not split: ${report?.result.kind === "refused" ? report.result.reason : "not considered"}`);
      expect(report.result.originalLength).toBeGreaterThan(8000);
      const cf = classIn(split, "sw/Main");
      const switches = cf.methods
        .filter((m) => cf.constantPool.utf8(m.nameIndex).startsWith("pick"))
        .flatMap((m) => decodeBody(codeOf(m)!, cf.constantPool).nodes.filter((n) => n.kind === "tableswitch"));
      // The bucket switch, and every key of the table in exactly one bucket switch.
      const bucketSwitch = switches.find((n) => n.kind === "tableswitch" && n.low === 0 && n.high > 0 && n.targets.length < CASES / 8);
      expect(bucketSwitch).toBeDefined();
      const covered = new Map<number, number>();
      // (No bucket starts at key 0: a switch from 0 is the bucket switch or a piece's entry switch.)
      for (const n of switches) if (n.kind === "tableswitch" && n.low >= LOW && n.low !== 0) for (let k = n.low; k <= n.high; k++) covered.set(k, (covered.get(k) ?? 0) + 1);
      for (let k = LOW; k < LOW + CASES; k++) expect(covered.get(k)).toBe(1);
      const linked = await linkAll(split.path);
      expect(linked.failures).toEqual([]);
      expectSameRun(runJava(split.path, "sw.Main", { jvm: ["-Xverify:all"] }), expected);
    });
  }
});
