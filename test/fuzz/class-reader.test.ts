/**
 * Fuzzing the class reader and everything the CLI does with a class it could
 * read: corpus classes mutated (bit flips, byte writes, counts and lengths set to
 * extremes, truncations, deletions, duplications, splices from other classes) go
 * through what `inspect`, `disasm` and a re-encode do: readClass, methodSizes,
 * disassemble, reencodeClass and writeClass, and the written class is read back.
 * Each step either succeeds or throws a coded MegasplitError; any other exception
 * is a crash, shrunk by fast-check to the fewest mutations.
 */
import fc from "fast-check";
import { beforeAll, describe, expect, it } from "vitest";
import { reencodeClass } from "../../src/bytecode/reencode-class.js";
import { readClass } from "../../src/classfile/read.js";
import { writeClass } from "../../src/classfile/write.js";
import type { Diagnostic } from "../../src/diagnostics.js";
import { methodSizes } from "../../src/inspect.js";
import { disassemble } from "../../src/text/disassemble.js";
import { FUZZ_SEED, reportRuns, runsFor } from "./budget.js";
import { checkDiagnostics, codedOrValue } from "./expect-coded.js";
import { applyCase, mutatedCaseArb } from "./mutate.js";
import { classSeeds, type ClassSeeds } from "./seeds.js";

let seeds: ClassSeeds;
beforeAll(async () => {
  seeds = await classSeeds(["asm", "rhino", "jython", "groovy", "antlr4"], 24, 24_000);
});

/** What the CLI does with class bytes, each step allowed to refuse with a code. */
export function throughTheReader(bytes: Uint8Array): "read" | "rejected" {
  const diagnostics: Diagnostic[] = [];
  const cf = codedOrValue(() => readClass(bytes, { where: { entry: "fuzz.class" }, diagnostics }));
  checkDiagnostics(diagnostics);
  if (cf === undefined) return "rejected";
  codedOrValue(() => methodSizes(cf, "fuzz", "fuzz.class"));
  codedOrValue(() => disassemble(cf, { constantPool: true }));
  codedOrValue(() => disassemble(cf));
  const written = codedOrValue(() => writeClass(cf));
  if (written !== undefined) codedOrValue(() => readClass(written));
  const reencoded = codedOrValue(() => reencodeClass(cf));
  if (reencoded !== undefined) {
    const bytesOut = codedOrValue(() => writeClass(reencoded));
    if (bytesOut !== undefined) codedOrValue(() => readClass(bytesOut));
  }
  return "read";
}

describe("fuzz: class bytes", () => {
  it("the unmutated seeds read, so mutations start from real classes", () => {
    expect(seeds.bytes.length).toBeGreaterThan(100);
    for (const b of seeds.bytes) expect(throughTheReader(b)).toBe("read");
  });

  it("mutated classes are read or rejected with a code, never crash", () => {
    const runs = runsFor("class bytes: read, measure, decode, disassemble, write");
    let ran = 0;
    let read = 0;
    fc.assert(
      fc.property(mutatedCaseArb(seeds.bytes.length), (c) => {
        ran++;
        if (throughTheReader(applyCase(c, seeds.bytes, seeds.fields)) === "read") read++;
      }),
      { numRuns: runs, seed: FUZZ_SEED },
    );
    expect(ran).toBe(runs);
    // Both outcomes are exercised: mutations that the reader accepts reach the codec.
    expect(read).toBeGreaterThan(runs / 20);
    expect(runs - read).toBeGreaterThan(runs / 20);
    reportRuns("class bytes: read, measure, decode, disassemble, write", ran, `${read} read, ${runs - read} rejected`);
  });
});
