/**
 * The splitter on the shapes of code that are hardest to cut (issue: hard cases),
 * end to end: each case is a small program (Java compiled with javac --release 17,
 * or Jasmin where javac cannot produce the bytecode) that prints a deterministic
 * transcript. Its classes are split with `splitBundle` at a limit small enough to
 * cut the interesting method into at least three pieces, in each link mode
 * (switch, direct, auto); the split jar must link under -Xverify:all and print
 * byte-for-byte what the unsplit classes print, and the mapping must name every
 * piece. The cases: a loop spanning pieces run 10^8 times under -Xss256k; try/
 * catch/finally with range and handlers in different pieces; constructors with
 * ternaries before super() and in constructor arguments; a 60 KB <clinit> filling
 * static final tables of a version-61 class; 300 live local slots; synchronized
 * method and block; jsr/ret in a version-49 class.
 *
 * The limits differ per case because some shapes cost more at a cut: every value
 * live across a cut is stored at the exit and loaded at the entry (300 slots need
 * about 4 KB each way), and the driver holds the dispatch over all pieces and the
 * final-field writes, so the 60 KB <clinit> needs 4 KB.
 */
import { readFileSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { readBundle } from "../src/bundle/read.js";
import { linkAll } from "./support/jvm.js";
import { assembleInto, bigClinitSource, compileJava, expectSameRun, manyParamsSource, manySlotsSource, runJava, type RunResult } from "./support/hard-case.js";
import type { Handover } from "../src/split/split-method.js";
import { methodsAtLine, splitJar, type SplitJarResult } from "./support/split-jar.js";

const here = dirname(fileURLToPath(import.meta.url));
const sources = join(here, "hard-cases");
const work = mkdtempSync(join(tmpdir(), "megasplit-hard-"));
afterAll(() => rmSync(work, { recursive: true, force: true }));

const LINKS = ["switch", "direct", "auto"] as const;

interface HardCase {
  name: string;
  /** Writes the case's classes into `dir`. */
  build(dir: string): void;
  mainClass: string;
  /** Internal name of the class and name+descriptor of the method that must be split. */
  className: string;
  method: string;
  maxSize: number | ((link: (typeof LINKS)[number]) => number);
  jvm?: string[];
  /** How the method's own body must hand live values to its pieces, per link mode. */
  handover?(link: (typeof LINKS)[number]): Handover;
  /** Further checks on one split (its classes, report and mapping). */
  check?(split: SplitJarResult, mapping: string, link: (typeof LINKS)[number], maxSize: number): void | Promise<void>;
}

function javaCase(dirName: string): (dir: string) => void {
  return (dir) => void compileJava([join(sources, dirName, "Main.java")], dir);
}

function generatedJava(file: string, text: string): (dir: string) => void {
  return (dir) => {
    const src = join(work, "generated", file);
    mkdirSync(dirname(src), { recursive: true });
    writeFileSync(src, text);
    compileJava([src], dir);
  };
}

/** Source line (1-based) of the first line of `file` containing `marker`. */
function lineOf(file: string, marker: string): number {
  const i = readFileSync(file, "utf8").split("\n").findIndex((l) => l.includes(marker));
  if (i < 0) throw new Error(`${marker} not in ${file}`);
  return i + 1;
}

function classVersion(bytes: Uint8Array): number {
  return (bytes[6]! << 8) | bytes[7]!;
}

/** The bytes of class `className` as the split jar holds them on disk. */
async function splitClassBytes(split: SplitJarResult, className: string): Promise<Uint8Array> {
  const { bundle } = await readBundle(split.path);
  const entry = bundle.entries.find((e) => e.name === `${className}.class`);
  if (!entry) throw new Error(`${className}.class not in ${split.path}`);
  return entry.data;
}

const trycatchSource = join(sources, "trycatch", "Main.java");

const CASES: HardCase[] = [
  {
    name: "a loop spanning pieces, 10^8 iterations under -Xss256k",
    build: javaCase("loop"),
    mainClass: "loop.Main",
    className: "loop/Main",
    method: "run(I)J",
    maxSize: 512,
    jvm: ["-Xss256k"],
    // A transfer that repeats returns to the driver loop: values travel in the heap frame.
    handover: () => "heap frame",
  },
  {
    name: "try/catch/finally with range and handlers in different pieces, exceptions from every piece",
    build: javaCase("trycatch"),
    mainClass: "trycatch.Main",
    className: "trycatch/Main",
    method: "work(II)I",
    maxSize: 1024,
    check(split) {
      const place = (marker: string) => methodsAtLine(split, "trycatch/Main", lineOf(trycatchSource, marker));
      const throwPlaces = new Set(Array.from({ length: 18 }, (_, p) => place(`if (where == ${p}) `)).flat());
      expect(throwPlaces.size).toBeGreaterThanOrEqual(3);
      // Points 0, 6, 12 (IllegalStateException) and 1, 7, 13 (division by zero) reach the first handler.
      const handler = place(`" caught1 "`);
      const elsewhere = [0, 1, 6, 7, 12, 13].filter((p) => place(`if (where == ${p}) `).every((x) => !handler.includes(x)));
      expect(elsewhere.length).toBeGreaterThan(0);
    },
  },
  {
    name: "a constructor with ternaries before super() and in constructor arguments of its long body",
    build: javaCase("ctor"),
    mainClass: "ctor.Main",
    className: "ctor/Main",
    method: "<init>(ZIII)V",
    maxSize: 1024,
  },
  {
    name: "a 60 KB <clinit> filling static final tables of a version-61 class",
    build: generatedJava("clinit/Tables.java", bigClinitSource()),
    mainClass: "clinit.Tables",
    className: "clinit/Tables",
    method: "<clinit>()V",
    maxSize: 4096,
    async check(split) {
      const report = split.result.reports.find((r) => r.method === "<clinit>()V")!;
      expect(report.originalLength).toBeGreaterThan(60_000);
      expect(classVersion(await splitClassBytes(split, "clinit/Tables"))).toBe(61);
    },
  },
  {
    name: "150 long/double locals (over 255 slots) live across every cut",
    build: generatedJava("slots/Main.java", manySlotsSource()),
    mainClass: "slots.Main",
    className: "slots/Main",
    method: "run(J)Ljava/lang/String;",
    maxSize: 8000,
    // 300 slots cannot be parameters (at most 255): they travel in the heap frame.
    handover: () => "heap frame",
  },
  {
    name: "120 parameters of every kind (168 slots) handed over as parameters (in the heap frame with switch)",
    build: generatedJava("params/Main.java", manyParamsSource()),
    mainClass: "params.Main",
    className: "params/Main",
    method: `build(${"IJDLjava/lang/String;[I".repeat(24)})Ljava/lang/String;`,
    // With `switch` every entry loads 168 slots from the heap frame: that needs a larger limit.
    // (At 3072 the piece fill, src/split/piece-fill.ts, now makes 2 pieces of the 3; 2560 makes 9.)
    maxSize: (link) => (link === "switch" ? 2560 : 1024),
    // Forward-only code: tail calls with parameters, except where every transfer returns to the driver.
    handover: (link) => (link === "switch" ? "heap frame" : "parameters"),
    async check(split, _mapping, link, maxSize) {
      // The instance method (with `this` among its parameters) is linked the same way.
      const inst = split.result.reports.find((r) => r.className === "params/Main" && r.method.startsWith("describe("))?.result;
      if (inst?.kind !== "split") throw new Error(`params/Main.describe was not split: ${inst?.kind === "refused" ? inst.reason : "not considered"}`);
      expect(inst.handover[0]).toBe(link === "switch" ? "heap frame" : "parameters");
      expect(inst.driverLength).toBeLessThanOrEqual(maxSize);
      for (const p of inst.pieces) expect(p.codeLength).toBeLessThanOrEqual(maxSize);
    },
  },
  {
    name: "a synchronized method holding a synchronized block",
    build: javaCase("sync"),
    mainClass: "sync.Main",
    className: "sync/Main",
    method: "inc(JZ)J",
    maxSize: 768,
  },
  {
    name: "jsr/ret subroutines in a version-49 class",
    build: (dir) => void assembleInto(readFileSync(join(sources, "jsr", "Main.j"), "utf8"), dir, "Main.j"),
    mainClass: "jsr.Main",
    className: "jsr/Main",
    method: "run(I)I",
    maxSize: 512,
    async check(split) {
      expect(classVersion(await splitClassBytes(split, "jsr/Main"))).toBe(49);
    },
  },
];

for (const [index, c] of CASES.entries()) {
  describe(`hard case ${index + 1}: ${c.name}`, () => {
    const classes = join(work, `case${index + 1}`);
    let expected: RunResult;
    beforeAll(() => {
      c.build(classes);
      expected = runJava(classes, c.mainClass, { jvm: ["-Xverify:all", ...(c.jvm ?? [])] });
      expect(expected.status).toBe(0);
      expect(expected.stderr).toBe("");
      expect(expected.stdout.length).toBeGreaterThan(0);
    });

    for (const link of LINKS) {
      const maxSize = typeof c.maxSize === "number" ? c.maxSize : c.maxSize(link);
      it(`link ${link}: splits ${c.method} into >= 3 pieces at ${maxSize} bytes, links, and prints the same transcript`, async () => {
        const split = await splitJar(classes, work, `case${index + 1}-${link}.jar`, { maxSize, link });
        expect(split.result.diagnostics).toEqual([]);
        const report = split.result.reports.find((r) => r.className === c.className && r.method === c.method);
        expect(report, `${c.className}.${c.method} was not considered`).toBeDefined();
        if (report!.result.kind !== "split") throw new Error(`${c.className}.${c.method} refused: ${report!.result.reason}`);
        const pieces = report!.result.pieces;
        expect(pieces.length).toBeGreaterThanOrEqual(3);
        for (const p of pieces) expect(p.codeLength).toBeLessThanOrEqual(maxSize);
        if (c.handover) expect(report!.result.handover[0]).toBe(c.handover(link));
        expect(report!.result.driverLength).toBeLessThanOrEqual(maxSize);

        const mapping = split.result.mapping.toString();
        const methodName = c.method.slice(0, c.method.indexOf("("));
        expect(mapping).toContain(`${c.className.replace(/\//g, ".")} -> ${c.className.replace(/\//g, ".")}:`);
        for (const p of pieces) expect(mapping).toMatch(new RegExp(` ${methodName.replace(/[$<>]/g, "\\$&")}\\(.*\\)(:\\d+:\\d+)? -> ${p.name.replace(/[$<>]/g, "\\$&")}$`, "m"));

        const linked = await linkAll(split.path);
        expect(linked.failures).toEqual([]);
        expect(linked.linked).toBeGreaterThan(0);

        expectSameRun(runJava(split.path, c.mainClass, { jvm: ["-Xverify:all", ...(c.jvm ?? [])] }), expected);
        await c.check?.(split, mapping, link, maxSize);
      });
    }
  });
}
