/**
 * The outline pass (src/split/regions.ts, passes/outline.ts) moves a region the
 * trampoline cannot cut (here a `synchronized` body, JVMS 2.11.10) into a called
 * method, and leaves in its place a call sequence that stores the locals the region
 * reads and reloads those it writes. That sequence stays inside the monitor. When it
 * is larger than the code it replaces (a small region reading two hundred locals),
 * outlining makes the method larger and leaves a bigger uncuttable region behind,
 * which the pass then outlined again, around the call sequence itself, until its
 * depth limit (twelve times, the method growing each time), and the method was
 * refused with an estimate from the last of those bodies (W_REFUSED_BLOCK, "a
 * single block of 80 bytes needs 1033 bytes", at 1,024). Such an outline is no
 * longer taken, and the partition keeps the region whole in a piece that takes the
 * two hundred values as parameters: the method splits. A region of the same size
 * that reads two locals is still outlined and split. javac output (--release 17),
 * in the link modes switch and auto, run under -Xverify:all.
 */
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { readBundle } from "../src/bundle/read.js";
import { decodeBody } from "../src/bytecode/decode.js";
import { codeOf } from "../src/classfile/model.js";
import { readClass } from "../src/classfile/read.js";
import { outlineLargestRegion } from "../src/split/regions.js";
import { methodContext } from "../passes/pass.js";
import { compileJava, expectSameRun, runJava } from "./support/hard-case.js";
import { splitJar, splitReportOf, type SplitJarResult } from "./support/split-jar.js";

const LIMIT = 1024;
const WIDE = 200;

/** `wide`: 200 locals, then a synchronized sum of all of them; `narrow`: a synchronized chain over two locals. */
function source(): string {
  const decls = Array.from({ length: WIDE }, (_, i) => `    int v${i} = seed * ${(i * 37) % 101 + 2} + ${i};`).join("\n");
  const sum = Array.from({ length: WIDE }, (_, i) => `v${i}`).join(" + ");
  const chain = Array.from({ length: 160 }, (_, i) => `      s = s * ${(i % 29) + 3} + (b ^ ${i});`).join("\n");
  const before = Array.from({ length: 60 }, (_, i) => `    a = a * ${(i % 13) + 5} + ${i * 7};`).join("\n");
  return `package wideregion;

public class Main {
  static final Object LOCK = new Object();

  static int wide(int seed) {
${decls}
    int s;
    synchronized (LOCK) {
      s = ${sum};
    }
    return s ^ v0 ^ v${WIDE - 1};
  }

  static int narrow(int seed) {
    int a = seed;
${before}
    int b = a ^ 0x5bd1e995;
    int s = seed;
    synchronized (LOCK) {
${chain}
    }
    return s + a;
  }

  public static void main(String[] args) {
    for (int seed = 0; seed < 5; seed++) System.out.println(wide(seed) + " " + narrow(seed));
  }
}
`;
}

const work = mkdtempSync(join(tmpdir(), "megasplit-outline-progress-"));
afterAll(() => rmSync(work, { recursive: true, force: true }));

for (const link of ["switch", "auto"] as const) {
  describe(`an outline that would only grow the method is not taken (link ${link})`, () => {
    let classes: string;
    let split: SplitJarResult;
    beforeAll(async () => {
      const dir = join(work, link);
      mkdirSync(join(dir, "src", "wideregion"), { recursive: true });
      const file = join(dir, "src", "wideregion", "Main.java");
      writeFileSync(file, source());
      classes = compileJava([file], join(dir, "classes"));
      split = await splitJar(classes, dir, "split.jar", { maxSize: LIMIT, link });
    }, 120_000);

    function methodOf(name: string) {
      const cf = readClass(readFileSync(join(classes, "wideregion", "Main.class")));
      const method = cf.methods.find((m) => cf.constantPool.utf8(m.nameIndex) === name)!;
      const ctx = methodContext(cf, method);
      return { cf, method, ctx, body: decodeBody(codeOf(method)!, cf.constantPool) };
    }

    it("leaves the wide region in place, and outlines the narrow one", () => {
      const wide = methodOf("wide");
      expect(codeOf(wide.method)!.code.length).toBeGreaterThan(LIMIT);
      expect(outlineLargestRegion(wide.cf, wide.method, wide.body, wide.ctx, LIMIT, "wide", new Set())).toBeUndefined();
      const narrow = methodOf("narrow");
      expect(codeOf(narrow.method)!.code.length).toBeGreaterThan(LIMIT);
      const outlined = outlineLargestRegion(narrow.cf, narrow.method, narrow.body, narrow.ctx, LIMIT, "narrow", new Set());
      expect(outlined).toBeDefined();
      expect(outlined!.region.nodes.length).toBeGreaterThan(outlined!.parent.nodes.length / 2);
    });

    it("splits both methods, the wide one without an outlined region", async () => {
      expect(split.refused).toBe(0);
      const wide = splitReportOf(split, "wideregion/Main", "wide(I)I");
      expect(wide.pieces.length).toBeGreaterThan(0);
      expect(wide.pieces.filter((p) => p.name.includes("$region$"))).toEqual([]);
      const narrow = splitReportOf(split, "wideregion/Main", "narrow(I)I");
      expect(narrow.pieces.some((p) => p.name.includes("$region$"))).toBe(true);
      const { bundle } = await readBundle(split.path);
      const cf = readClass(bundle.entries.find((e) => e.name === "wideregion/Main.class")!.data);
      for (const m of cf.methods) expect(codeOf(m)?.code.length ?? 0).toBeLessThanOrEqual(LIMIT);
    });

    it("runs as the unsplit classes do", () => {
      expectSameRun(runJava(split.path, "wideregion.Main", { jvm: ["-Xverify:all"] }), runJava(classes, "wideregion.Main", { jvm: ["-Xverify:all"] }));
    });
  });
}
