/**
 * A bucket piece takes its switch key as the entry argument (passes/link/heap-frame.ts
 * `takesKey`; docs/design/jit-speed.md, "The driver's key hand-over"). The
 * interpreter is bench/jit-unlock's generated light one at 660 cases (19.9 KB, the
 * `interp-light-20k` workload), split at 8,000 bytes in the link modes that write
 * the heap frame: its `switch` is cut into buckets of 128 keys, its registers are
 * loop-resident and its driver calls the pieces straight, so a piece that holds a
 * whole bucket (one entry, whose block starts with the key on the stack) reads the
 * key from local 0 instead of from the frame's spill area. The split classes link
 * under -Xverify:all and print, for several step counts, the checksum the unsplit
 * class prints (the JVM is the oracle).
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { codeOf, type ClassFile } from "../src/classfile/model.js";
import { decodeBody } from "../src/bytecode/decode.js";
import { Op } from "../src/bytecode/opcodes.js";
import { linkAll } from "./support/jvm.js";
import { expectSameRun, runJava, type RunResult } from "./support/hard-case.js";
import { generatedInterpreter } from "./support/generated-interpreter.js";
import { classIn, splitJar, splitReportOf } from "./support/split-jar.js";

const work = mkdtempSync(join(tmpdir(), "megasplit-bucket-key-"));
afterAll(() => rmSync(work, { recursive: true, force: true }));

const STEPS = ["1", "1000", "200000"];

/** Names of the pieces of `run` that take the key: one entry (no `iload 0; tableswitch` first), and local 0 read. */
function keyTakingPieces(cf: ClassFile): string[] {
  return cf.methods.flatMap((m) => {
    const name = cf.constantPool.utf8(m.nameIndex);
    if (!name.startsWith("run$split$")) return [];
    const nodes = decodeBody(codeOf(m)!, cf.constantPool).nodes.filter((n) => n.kind !== "label" && n.kind !== "line");
    const readsEntry = (n: (typeof nodes)[number] | undefined) => n?.kind === "local" && n.op === Op.ILOAD && n.index === 0;
    const entrySwitch = readsEntry(nodes[0]) && nodes[1]?.kind === "tableswitch";
    return !entrySwitch && nodes.some((n) => readsEntry(n)) ? [name] : [];
  });
}

describe("a bucket piece takes the switch key as its argument", () => {
  let classes = "";
  let expected: RunResult[] = [];
  beforeAll(() => {
    ({ classes, expected } = generatedInterpreter(work, 660, "light", STEPS));
  });

  for (const link of ["auto", "switch", "direct"] as const) {
    it(`at 8000 bytes, link ${link}: whole-bucket pieces read the key from their argument; links and prints the same`, async () => {
      const split = await splitJar(classes, work, `interp-${link}.jar`, { maxSize: 8000, link });
      expect(split.result.diagnostics).toEqual([]);
      splitReportOf(split, "Interp", "run([II)J");
      const cf = classIn(split, "Interp");
      const pieces = cf.methods.filter((m) => cf.constantPool.utf8(m.nameIndex).startsWith("run$split$")).length;
      expect(pieces).toBeGreaterThanOrEqual(3);
      expect(keyTakingPieces(cf).length, `of ${pieces} pieces`).toBeGreaterThan(0);
      const linked = await linkAll(split.path);
      expect(linked.failures).toEqual([]);
      STEPS.forEach((steps, i) => expectSameRun(runJava(split.path, "Interp", { jvm: ["-Xverify:all"], args: [steps] }), expected[i]!));
    });
  }
});
