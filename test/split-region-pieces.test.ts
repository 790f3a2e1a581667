/**
 * Region pieces (passes/core/partition.ts `regionPieces`, passes/link/heap-frame.ts
 * `directCall`; docs/design/jit-speed.md rule 9): an interpreter whose dispatch loop
 * does not fit one piece keeps the loop and the cases that fit in the driver, and
 * every case it leaves out becomes a piece of its own, which the driver calls right
 * at the `switch` label that leaves for it (no exit code, no dispatch-loop round
 * trip, no entry switch in the piece) and, since the case can only go back to the
 * loop head, continues there after the call. The interpreter is bench/jit-unlock's
 * generated heavy one at 200 cases (20 KB, the `interp-heavy-20k` workload), split
 * at 8,000 bytes in the link modes that write the heap frame. The split classes link
 * under -Xverify:all and print, for several step counts, the checksum the unsplit
 * class prints (the JVM is the oracle).
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { codeOf, type ClassFile } from "../src/classfile/model.js";
import { decodeBody } from "../src/bytecode/decode.js";
import type { CodeNode } from "../src/bytecode/model.js";
import { Op } from "../src/bytecode/opcodes.js";
import { linkAll } from "./support/jvm.js";
import { expectSameRun, runJava, type RunResult } from "./support/hard-case.js";
import { generatedInterpreter } from "./support/generated-interpreter.js";
import { classIn, splitJar, splitReportOf } from "./support/split-jar.js";
import { corpusClasspath, corpusJar } from "./support/corpus.js";

const work = mkdtempSync(join(tmpdir(), "megasplit-region-pieces-"));
afterAll(() => rmSync(work, { recursive: true, force: true }));

const STEPS = ["1", "1000", "100000"];

/** The code of method `name` of `cf`, without labels and line numbers. */
function codeNodes(cf: ClassFile, name: string): CodeNode[] {
  const m = cf.methods.find((x) => cf.constantPool.utf8(x.nameIndex) === name)!;
  return decodeBody(codeOf(m)!, cf.constantPool).nodes.filter((n) => n.kind !== "label" && n.kind !== "line");
}

/** The name of the method an `invokestatic` node calls, or undefined. */
function callee(cf: ClassFile, n: CodeNode | undefined): string | undefined {
  if (n?.kind !== "cp" || n.op !== Op.INVOKESTATIC) return undefined;
  return cf.constantPool.memberRef(n.index).name;
}

describe("region pieces: the driver calls each case it left out at its label", () => {
  let classes = "";
  let expected: RunResult[] = [];
  beforeAll(() => {
    ({ classes, expected } = generatedInterpreter(work, 200, "heavy", STEPS));
  });

  for (const link of ["auto", "switch", "direct", "indy"] as const) {
    it(`at 8000 bytes, link ${link}: one piece per case left out, each called once, at its exit; links and prints the same`, async () => {
      const split = await splitJar(classes, work, `interp-${link}.jar`, { maxSize: 8000, link });
      expect(split.result.diagnostics).toEqual([]);
      const report = splitReportOf(split, "Interp", "run([II)J");
      expect(report.driverLength).toBeLessThanOrEqual(8000);
      const cf = classIn(split, "Interp");
      const pieces = cf.methods.map((m) => cf.constantPool.utf8(m.nameIndex)).filter((n) => n.startsWith("run$split$"));
      // 200 cases of about 100 bytes: the driver holds some 60, the rest are pieces of one case each.
      expect(pieces.length).toBeGreaterThan(100);
      // A case piece has one entry: no switch on the entry argument first.
      const oneEntry = pieces.filter((name) => codeNodes(cf, name)[1]?.kind !== "tableswitch");
      const driver = codeNodes(cf, "run");
      const calls = new Map<string, number>();
      const dropsCode = new Set<string>();
      driver.forEach((n, i) => {
        const name = callee(cf, n);
        if (!name?.startsWith("run$split$")) return;
        calls.set(name, (calls.get(name) ?? 0) + 1);
        // A case returns to the loop head only: its code is dropped and the driver goes on there.
        if (driver[i + 1]?.kind === "simple" && (driver[i + 1] as { op: number }).op === Op.POP) dropsCode.add(name);
      });
      // Every piece is called at the driver's exits into it (none through the dispatch loop's call sites), a case once.
      expect([...calls.keys()].sort()).toEqual([...pieces].sort());
      for (const name of dropsCode) expect(calls.get(name), name).toBe(1);
      // All but the code after the loop (entered where the loop ends and where the program returns): the cases.
      expect(oneEntry.length).toBeGreaterThanOrEqual(pieces.length - 1);
      expect(dropsCode.size).toBeGreaterThanOrEqual(pieces.length - 1);
      for (const name of dropsCode) expect(oneEntry).toContain(name);
      const linked = await linkAll(split.path);
      expect(linked.failures).toEqual([]);
      STEPS.forEach((steps, i) => expectSameRun(runJava(split.path, "Interp", { jvm: ["-Xverify:all"], args: [steps] }), expected[i]!));
    });
  }
});

describe("region pieces behind dispatcher methods", () => {
  it("asm.jar at 1024 bytes: no piece is called both at a driver's exits and by a dispatcher (no code names the first)", async () => {
    const split = await splitJar(corpusJar("asm"), work, "asm-1024.jar", { maxSize: 1024, link: "auto", classpath: corpusClasspath("asm") });
    const both: string[] = [];
    let mixed = 0;
    for (const entry of split.result.bundle.entries) {
      if (!entry.name.endsWith(".class")) continue;
      const cf = classIn(split, entry.name.slice(0, -".class".length));
      const fromDrivers = new Set<string>();
      const fromDispatchers = new Set<string>();
      for (const m of cf.methods) {
        const code = codeOf(m);
        const name = cf.constantPool.utf8(m.nameIndex);
        if (!code || name.includes("$split$")) continue;
        const into = name.includes("$dispatch$") ? fromDispatchers : fromDrivers;
        for (const n of decodeBody(code, cf.constantPool).nodes) {
          const c = callee(cf, n);
          if (c?.includes("$split$")) into.add(c);
        }
      }
      if (fromDrivers.size > 0 && fromDispatchers.size > 0) mixed++;
      for (const piece of fromDrivers) if (fromDispatchers.has(piece)) both.push(`${entry.name} ${piece}`);
    }
    // Some driver calls pieces at its exits and dispatches others through dispatcher methods.
    expect(mixed).toBeGreaterThan(0);
    expect(both).toEqual([]);
    const linked = await linkAll(split.path);
    expect(linked.failures).toEqual([]);
  });
});
