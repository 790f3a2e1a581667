/**
 * The valid-method generator (test/support/valid-method.ts) makes what the scaling
 * benchmark needs: at about 60 KB its class links under -Xverify:all (HotSpot's
 * verifier is the oracle for the frames computed by passes/stackmap.ts) and runs,
 * returning the same checksum for the same seed and another for another seed; at
 * 64 KB, 256 KB and 1 MB every block is reachable, frame inference finds no error
 * (from the code alone and with the computed frames as facts), max_locals stays
 * 24, liveness converges, and the class written without the JVM's size limit
 * reads back with the same verdict (every u2 pc fits). Cost: three JVM starts and about 10 s of analysis.
 */
import { execFileSync } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { decodeBody } from "../src/bytecode/decode.js";
import { codeOf } from "../src/classfile/model.js";
import { readClass } from "../src/classfile/read.js";
import { writeClass } from "../src/classfile/write.js";
import { buildCfg } from "../passes/cfg.js";
import { inferFrames } from "../passes/frames.js";
import { computeLiveness } from "../passes/liveness.js";
import { methodContext } from "../passes/pass.js";
import { jdkTool } from "./support/corpus.js";
import { linkAll } from "./support/jvm.js";
import { CLASS_NAME, LOCALS, smallHierarchy, validMethod, validMethodClass } from "./support/valid-method.js";

const work = mkdtempSync(join(tmpdir(), "megasplit-valid-method-"));
afterAll(() => rmSync(work, { recursive: true, force: true }));

describe("valid-method generator", () => {
  it("is deterministic and fits the requested size", () => {
    const a = validMethod(20_000);
    const b = validMethod(20_000);
    expect(a.codeBytes).toBeLessThanOrEqual(20_000);
    expect(a.codeBytes).toBeGreaterThan(19_000);
    expect(b.codeBytes).toBe(a.codeBytes);
    expect(JSON.stringify(b.body.nodes)).toBe(JSON.stringify(a.body.nodes));
  });

  it("at 60 KB links under -Xverify:all and runs to a deterministic checksum", async () => {
    const { classFile, method } = validMethodClass(60 * 1024);
    expect(method.codeBytes).toBeGreaterThan(58 * 1024);
    expect(method.codeBytes).toBeLessThanOrEqual(60 * 1024);
    expect(method.body.handlers.length).toBeGreaterThan(100);
    writeFileSync(join(work, `${CLASS_NAME}.class`), writeClass(classFile));
    expect(await linkAll(work)).toEqual({ linked: 1, failures: [] });
    const run = (seed: number) =>
      execFileSync(jdkTool("java"), ["-Xverify:all", "-XX:+UseSerialGC", "-cp", work, CLASS_NAME, String(seed)], { encoding: "utf8" }).trim();
    const first = run(7);
    expect(first).toMatch(/^-?\d+$/);
    expect(run(7)).toBe(first);
    expect(run(8)).not.toBe(first);
  }, 60_000);

  for (const kb of [64, 256, 1024]) {
    it(`at ${kb} KB is fully reachable, frames infer without errors, liveness converges`, () => {
      const { classFile, method, framed } = validMethodClass(kb * 1024);
      expect(method.codeBytes).toBeGreaterThan((kb - 2) * 1024);
      const ctx = methodContext(classFile, classFile.methods[0]!, { hierarchy: smallHierarchy() });
      const { cfg, diagnostics } = buildCfg(method.body);
      expect(diagnostics).toEqual([]);
      expect(cfg.reachable.every((r) => r === 1)).toBe(true);
      const inferred = inferFrames(method.body, ctx);
      expect(inferred.errors).toEqual([]);
      expect(inferred.maxLocals).toBe(LOCALS);
      const checked = inferFrames(framed, ctx);
      expect(checked.errors).toEqual([]);
      expect(checked.rejectedFrames).toEqual([]);
      expect(checked.declared.some((d) => d === 1)).toBe(true);
      const live = computeLiveness(method.body, cfg);
      expect(live.slotCount).toBe(LOCALS);
      expect(live.steps).toBeLessThan(4 * cfg.blockCount);
      // Every pc the class file stores as u2 (handlers, uninitialized(new) offsets) fits:
      // the class, written without the JVM's code-size limit, reads back to the same frames.
      const back = readClass(writeClass(classFile, { enforceJvmLimits: false }));
      const decoded = decodeBody(codeOf(back.methods[0]!)!, back.constantPool);
      const again = inferFrames(decoded, methodContext(back, back.methods[0]!, { hierarchy: smallHierarchy() }));
      expect(again.errors).toEqual([]);
      expect(again.rejectedFrames).toEqual([]);
    }, 120_000);
  }
});
