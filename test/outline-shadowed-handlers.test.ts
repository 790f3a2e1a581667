/**
 * An outlined `synchronized` body inside a try (passes/outline.ts): javac covers the
 * body with its own catch-all (which releases the monitor and rethrows) and, after
 * it in the exception table, with the enclosing try's handlers. The first entry
 * that matches is taken (JVMS 2.10), so from inside the body the enclosing handlers
 * never catch. The outline gave them exits all the same: the caller then branched
 * from code holding the monitor to the enclosing handler, whose monitor depth
 * (passes/monitors.ts) rose to one, so it could not start a piece and was glued to
 * every block its try covers; a loop around the try became one uncuttable region of
 * 5,080 bytes and the method was refused (W_REFUSED_REGION at 2,000, 2,500 and 3,000
 * bytes). Found by the dispatch programs of the random-program check (seed 79 at
 * 1,298 bytes). Now such handlers get no exit, and the method splits and runs as
 * before, the exception thrown inside the monitor still caught by the enclosing
 * try. javac output (--release 17), link modes auto and switch, -Xverify:all.
 */
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { decodeBody } from "../src/bytecode/decode.js";
import { codeOf } from "../src/classfile/model.js";
import { readClass } from "../src/classfile/read.js";
import { outlineLargestRegion } from "../src/split/regions.js";
import { buildCfg } from "../passes/cfg.js";
import { monitorDepth } from "../passes/monitors.js";
import { methodContext } from "../passes/pass.js";
import { compileJava, expectSameRun, runJava, type RunResult } from "./support/hard-case.js";
import { splitJar, splitReportOf } from "./support/split-jar.js";

const LIMIT = 2000;

/** A loop in a try: a switch of eight big cases, then a synchronized body of 150 statements that may throw. */
function source(): string {
  const cases = Array.from({ length: 8 }, (_, c) => {
    const body = Array.from({ length: 30 }, (_, k) => `            acc = (acc ^ (acc >>> 11)) * ${2 * ((c * 7 + k) % 23) + 3} + (i ^ ${c * 100 + k});`).join("\n");
    return `          case ${c}:\n${body}\n            break;`;
  }).join("\n");
  const sync = Array.from({ length: 150 }, (_, k) => `          acc = (acc ^ (acc >>> 13)) * ${2 * (k % 19) + 5} + ${k * 3 + 1};`).join("\n");
  return `package shadowed;

public class Main {
  static final Object LOCK = new Object();

  static String run(int seed) {
    int acc = seed;
    int calls = 0;
    String caught = "none";
    try {
      for (int i = 0; i < 40; i++) {
        switch ((acc ^ i) & 7) {
${cases}
        }
        synchronized (LOCK) {
          calls++;
${sync}
          if (Math.floorMod(acc, 23) == 5) throw new IllegalStateException("at " + i);
        }
      }
    } catch (IllegalStateException e) {
      caught = e.getMessage();
    }
    return acc + " " + calls + " " + caught;
  }

  public static void main(String[] args) {
    for (int seed = 0; seed < 12; seed++) System.out.println(run(seed));
  }
}
`;
}

const work = mkdtempSync(join(tmpdir(), "megasplit-shadowed-"));
afterAll(() => rmSync(work, { recursive: true, force: true }));

describe("an outlined synchronized body inside a try", () => {
  let classes: string;
  let expected: RunResult;
  beforeAll(() => {
    mkdirSync(join(work, "src", "shadowed"), { recursive: true });
    const file = join(work, "src", "shadowed", "Main.java");
    writeFileSync(file, source());
    classes = compileJava([file], join(work, "classes"));
    expected = runJava(classes, "shadowed.Main", { jvm: ["-Xverify:all"] });
  }, 120_000);

  it("gets no exit to the enclosing try's handler, which stays outside the monitor in the caller", () => {
    const cf = readClass(readFileSync(join(classes, "shadowed", "Main.class")));
    const method = cf.methods.find((m) => cf.constantPool.utf8(m.nameIndex) === "run")!;
    const ctx = methodContext(cf, method);
    const body = decodeBody(codeOf(method)!, cf.constantPool);
    const outlined = outlineLargestRegion(cf, method, body, ctx, LIMIT, "run", new Set());
    expect(outlined).toBeDefined();
    // The region catches with its own catch-all only: no entry for IllegalStateException.
    expect(outlined!.region.handlers.length).toBeGreaterThan(0);
    expect(outlined!.region.handlers.every((h) => h.catchType === 0)).toBe(true);
    // In the caller, the enclosing handler is entered holding no monitor.
    const parent = outlined!.parent;
    const { cfg } = buildCfg(parent, ctx.where);
    const depth = monitorDepth(cfg);
    const caught = parent.handlers.filter((h) => h.catchType !== 0 && cf.constantPool.className(h.catchType) === "java/lang/IllegalStateException");
    expect(caught.length).toBeGreaterThan(0);
    for (const h of caught) expect(depth[cfg.blockOfLabel[h.handler]!]).toBe(0);
  });

  it("throws inside the monitor and catches outside it on some seeds (the path the change is about runs)", () => {
    expect(expected.stdout).toMatch(/ at \d+\n/);
    expect(expected.stdout).toMatch(/ none\n/);
  });

  for (const link of ["auto", "switch"] as const) {
    it(`splits at ${LIMIT} bytes (link ${link}) and runs as the unsplit class does`, async () => {
      const split = await splitJar(classes, work, `split-${link}.jar`, { maxSize: LIMIT, link });
      expect(split.refused).toBe(0);
      const report = splitReportOf(split, "shadowed/Main", "run(I)Ljava/lang/String;");
      expect(report.pieces.some((p) => p.name.includes("$region$"))).toBe(true);
      expectSameRun(runJava(split.path, "shadowed.Main", { jvm: ["-Xverify:all"] }), expected);
    }, 120_000);
  }
});
