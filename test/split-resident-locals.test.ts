/**
 * Frame-resident locals (passes/link/resident-locals.ts): a method with more live
 * values than parameters can carry (ints, longs, floats and doubles: 310 slots)
 * across a loop whose straight-line body is too big for one piece, so every piece
 * of the body is one straight run that the loop re-enters each round through the
 * driver. Split at 8,000 and 3,000 bytes in every link mode, the pieces access the
 * locals they move in the frame arrays (the stores' `swap` and `dup_x2` patterns,
 * which the unsplit method does not contain), link under -Xverify:all and print
 * what the unsplit class prints (the JVM is the oracle).
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { codeOf, type ClassFile } from "../src/classfile/model.js";
import { readClass } from "../src/classfile/read.js";
import { decodeBody } from "../src/bytecode/decode.js";
import { Op } from "../src/bytecode/opcodes.js";
import { readFileSync } from "node:fs";
import { linkAll } from "./support/jvm.js";
import { compileJava, expectSameRun, runJava, type RunResult } from "./support/hard-case.js";
import { classIn, splitJar, splitReportOf } from "./support/split-jar.js";
import { prng } from "./support/prng.js";

const work = mkdtempSync(join(tmpdir(), "megasplit-resident-"));
afterAll(() => rmSync(work, { recursive: true, force: true }));

/** `wide.Main`: `mix(seed, rounds)` keeps 120 ints, 40 longs, 30 floats and 30 doubles live over a loop of `statements` statements. */
function wideSource(statements: number): string {
  const rnd = prng(0x5151);
  const pick = (n: number) => Math.floor(rnd() * n);
  const [I, J, F, D] = [120, 40, 30, 30];
  const decls = [
    ...Array.from({ length: I }, (_, k) => `int i${k} = seed[${k % 16}] + ${k};`),
    ...Array.from({ length: J }, (_, k) => `long j${k} = seed[${k % 16}] * ${k + 3}L;`),
    ...Array.from({ length: F }, (_, k) => `float f${k} = seed[${k % 16}] * 0.5f + ${k};`),
    ...Array.from({ length: D }, (_, k) => `double d${k} = seed[${k % 16}] * 0.25 + ${k};`),
  ];
  const body: string[] = [];
  for (let s = 0; s < statements; s++) {
    switch (pick(6)) {
      case 0: body.push(`i${s % I} = i${s % I} * ${pick(50) * 2 + 3} + i${pick(I)};`); break;
      case 1: body.push(`i${pick(I)} += ${pick(200) - 100};`); break; // iinc
      case 2: body.push(`j${s % J} = (j${s % J} ^ (j${pick(J)} >>> ${1 + pick(40)})) + i${pick(I)};`); break;
      case 3: body.push(`f${s % F} = f${s % F} * 0.75f + (i${pick(I)} & 1023);`); break;
      case 4: body.push(`d${s % D} = d${s % D} * 0.5 + j${pick(J)} % 1000 + f${pick(F)};`); break;
      default: body.push(`i${s % I} ^= i${pick(I)} >>> ${1 + pick(30)};`);
    }
  }
  const fold = [
    ...Array.from({ length: I }, (_, k) => `h = h * 31L + i${k};`),
    ...Array.from({ length: J }, (_, k) => `h = h * 31L + j${k};`),
    ...Array.from({ length: F }, (_, k) => `h = h * 31L + Float.floatToIntBits(f${k});`),
    ...Array.from({ length: D }, (_, k) => `h = h * 31L + Double.doubleToLongBits(d${k});`),
  ];
  return `package wide;
public final class Main {
  static long mix(int[] seed, int rounds) {
    ${decls.join("\n    ")}
    for (int r = 0; r < rounds; r++) {
      ${body.join("\n      ")}
    }
    long h = 17L;
    ${fold.join("\n    ")}
    return h;
  }
  public static void main(String[] args) {
    int[] seed = new int[16];
    for (int c = 0; c < 5; c++) {
      for (int k = 0; k < 16; k++) seed[k] = k * 7919 + c * 104729;
      System.out.println("checksum " + c + " " + mix(seed, 50 + c));
    }
  }
}
`;
}

/** How many `swap` and `dup_x2` instructions the methods of `cf` named by `which` hold. */
function storePatterns(cf: ClassFile, which: (name: string) => boolean): { swap: number; dupX2: number } {
  const n = { swap: 0, dupX2: 0 };
  for (const m of cf.methods) {
    const code = codeOf(m);
    if (!code || !which(cf.constantPool.utf8(m.nameIndex))) continue;
    for (const node of decodeBody(code, cf.constantPool).nodes) {
      if (node.kind !== "simple") continue;
      if (node.op === Op.SWAP) n.swap++;
      if (node.op === Op.DUP_X2) n.dupX2++;
    }
  }
  return n;
}

describe("locals kept in the frame arrays by straight-line pieces", () => {
  const classes = join(work, "classes");
  let expected: RunResult;
  beforeAll(() => {
    const src = join(work, "src", "wide", "Main.java");
    mkdirSync(join(work, "src", "wide"), { recursive: true });
    writeFileSync(src, wideSource(700));
    compileJava([src], classes);
    expected = runJava(classes, "wide.Main", { jvm: ["-Xverify:all"] });
    expect(expected.status).toBe(0);
    expect(expected.stdout.split("\n").filter((l) => l.startsWith("checksum")).length).toBe(5);
    const original = readClass(readFileSync(join(classes, "wide", "Main.class")));
    expect(storePatterns(original, () => true)).toEqual({ swap: 0, dupX2: 0 });
  });

  for (const [maxSize, link] of [[8000, "auto"], [8000, "switch"], [8000, "direct"], [3000, "auto"], [3000, "indy"]] as const) {
    it(`at ${maxSize} bytes, link ${link}: pieces store into the frame, link and print the same`, async () => {
      const split = await splitJar(classes, work, `wide-${maxSize}-${link}.jar`, { maxSize, link });
      expect(split.result.diagnostics).toEqual([]);
      const report = splitReportOf(split, "wide/Main", "mix([II)J");
      expect(report.originalLength).toBeGreaterThan(8000);
      expect(report.handover).toEqual(["heap frame"]);
      const patterns = storePatterns(classIn(split, "wide/Main"), (name) => name.startsWith("mix$split$"));
      expect(patterns.swap).toBeGreaterThan(100); // int and float stores
      expect(patterns.dupX2).toBeGreaterThan(20); // long and double stores
      const linked = await linkAll(split.path);
      expect(linked.failures).toEqual([]);
      expectSameRun(runJava(split.path, "wide.Main", { jvm: ["-Xverify:all"] }), expected);
    });
  }
});
