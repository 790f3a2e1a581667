/**
 * An interpreter's dispatch loop too big for one piece (docs/design/jit-speed.md):
 * split at HotSpot's limit (8,000 bytes, 335 light cases, 8.7 KB) and at a stress
 * limit (2,000 bytes: every piece holds a slice of the cases), in every link mode.
 * The split classes link under -Xverify:all and print what the unsplit ones print
 * (a checksum per call over a pseudo-random program that reaches every case, the
 * default included). At 8,000 the partition's rules show in the report: the driver
 * keeps the loop and is filled close to the limit (before these rules: a 6.7 KB
 * driver, and the loop's increment in the last piece, so that every iteration left
 * the driver). In every split the registers `a`..`d` (slots 2-5), which cases in
 * the pieces write, live in the frame arrays (passes/link/loop-resident.ts): no
 * method of the split loads, stores or increments those slots as primitives any
 * more (the driver's frame arrays take the one-byte slots among them,
 * passes/link/low-slots.ts), while the loop's own counters (only the driver writes
 * them) stay in the driver's locals.
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { linkAll } from "./support/jvm.js";
import { compileJava, expectSameRun, runJava, type RunResult } from "./support/hard-case.js";
import { dispatchLoopSource } from "./support/dispatch-loop.js";
import { classIn, splitJar, splitReportOf } from "./support/split-jar.js";
import { codeOf, type ClassFile } from "../src/classfile/model.js";
import { decodeBody } from "../src/bytecode/decode.js";
import { parseMethodDescriptor } from "../src/bytecode/descriptors.js";
import { Op } from "../src/bytecode/opcodes.js";

const work = mkdtempSync(join(tmpdir(), "megasplit-dispatch-"));
afterAll(() => rmSync(work, { recursive: true, force: true }));

/**
 * Local slots accessed as primitives (iload..dload, istore..dstore, iinc) in the methods of `cf` named by
 * `which`; in the driver's numbering (a piece's slots are shifted past its
 * entry and frame-array parameters, which its descriptor counts).
 */
function localAccesses(cf: ClassFile, which: (name: string) => boolean): Set<number> {
  const slots = new Set<number>();
  for (const m of cf.methods) {
    const code = codeOf(m);
    const name = cf.constantPool.utf8(m.nameIndex);
    if (!code || !which(name)) continue;
    const shift = name.includes("$split$") ? parseMethodDescriptor(cf.constantPool.utf8(m.descriptorIndex)).paramSlots : 0;
    for (const node of decodeBody(code, cf.constantPool).nodes) {
      // Primitive accesses only: the driver's frame arrays may take the registers' free slots (passes/link/low-slots.ts).
      const isAccess = node.kind === "iinc" || (node.kind === "local" && ((node.op >= Op.ILOAD && node.op < Op.ALOAD) || (node.op >= Op.ISTORE && node.op < Op.ASTORE)));
      if (isAccess && node.index >= shift) slots.add(node.index - shift);
    }
  }
  return slots;
}

/** The local slot the driver `run` stores its first `newarray int` into (the int[] frame). */
function intFrameSlot(cf: ClassFile): number | undefined {
  const run = cf.methods.find((m) => cf.constantPool.utf8(m.nameIndex) === "run")!;
  const nodes = decodeBody(codeOf(run)!, cf.constantPool).nodes;
  const at = nodes.findIndex((n) => n.kind === "int" && n.op === Op.NEWARRAY && n.value === 10); // T_INT (JVMS 6.5 newarray)
  const store = nodes.slice(at + 1).find((n) => n.kind === "local");
  return store?.kind === "local" && store.op === Op.ASTORE ? store.index : undefined;
}

describe("an interpreter dispatch loop over the limit", () => {
  const classes = join(work, "classes");
  let expected: RunResult;
  beforeAll(() => {
    const src = join(work, "src", "interp", "Main.java");
    mkdirSync(join(work, "src", "interp"), { recursive: true });
    writeFileSync(src, dispatchLoopSource("interp", 335, 20000, 3));
    compileJava([src], classes);
    expected = runJava(classes, "interp.Main", { jvm: ["-Xverify:all"] });
    expect(expected.status).toBe(0);
    expect(expected.stdout.split("\n").filter((l) => l.includes("checksum")).length).toBe(3);
  });

  for (const [maxSize, link] of [[8000, "auto"], [8000, "switch"], [8000, "direct"], [2000, "auto"], [2000, "switch"]] as const) {
    it(`at ${maxSize} bytes, link ${link}: links and prints the same checksums${maxSize === 8000 ? "; the driver keeps the loop, filled to the limit" : ""}`, async () => {
      const split = await splitJar(classes, work, `interp-${maxSize}-${link}.jar`, { maxSize, link });
      expect(split.result.diagnostics).toEqual([]);
      const r = splitReportOf(split, "interp/Main", "run([II)I");
      expect(r.originalLength).toBeGreaterThan(8000);
      expect(r.driverLength).toBeLessThanOrEqual(maxSize);
      for (const p of r.pieces) expect(p.codeLength).toBeLessThanOrEqual(maxSize);
      if (maxSize === 8000) expect(r.driverLength).toBeGreaterThanOrEqual(0.9 * maxSize);
      else expect(r.pieces.length).toBeGreaterThanOrEqual(4);
      const slots = localAccesses(classIn(split, "interp/Main"), (name) => name === "run" || name.startsWith("run$split$"));
      for (const register of [2, 3, 4, 5]) expect(slots.has(register)).toBe(false);
      expect(slots.has(7)).toBe(true); // the loop counter `i`
      // The driver's int[] frame (its first `newarray int`) is stored into one of the registers' free slots.
      expect(intFrameSlot(classIn(split, "interp/Main"))).toBe(2);
      const linked = await linkAll(split.path);
      expect(linked.failures).toEqual([]);
      expectSameRun(runJava(split.path, "interp.Main", { jvm: ["-Xverify:all"] }), expected);
    });
  }
});
