/**
 * Fuzzing the splitter with classes it was never meant to see: corpus classes,
 * mutated as in class-reader.test.ts, that the reader still accepts, split at a
 * random limit from 64 bytes in a random link mode with the internal checker on,
 * and written. A method the splitter cannot handle must be refused with a reason,
 * bad bytecode must be a coded error, and nothing may throw anything else: an
 * AssertionError here is a splitter bug that mutated input reached.
 */
import fc from "fast-check";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { readClass } from "../../src/classfile/read.js";
import { writeClass } from "../../src/classfile/write.js";
import { createClassHierarchy, type LoadedClassHierarchy } from "../../src/hierarchy/hierarchy.js";
import { splitClass } from "../../src/split/split-class.js";
import { FUZZ_SEED, reportRuns, runsFor } from "./budget.js";
import { codedOrValue } from "./expect-coded.js";
import { applyCase, mutatedCaseArb } from "./mutate.js";
import { classSeeds, type ClassSeeds } from "./seeds.js";

let seeds: ClassSeeds;
let hierarchy: LoadedClassHierarchy;
beforeAll(async () => {
  // Small classes keep a case cheap; their methods are still over a 64-byte limit.
  seeds = await classSeeds(["asm", "rhino", "jython", "antlr4", "groovy"], 8, 12_000, 400);
  const bundleClasses = new Map<string, Uint8Array>();
  for (const b of seeds.bytes) {
    const cf = readClass(b);
    bundleClasses.set(cf.constantPool.className(cf.thisClass), b);
  }
  hierarchy = await createClassHierarchy({ bundleClasses });
});
afterAll(() => hierarchy?.close());

const MODES = ["auto", "direct", "switch", "indy"] as const;

describe("fuzz: splitting mutated classes", () => {
  it("is a split, a refusal or a coded error, never a crash", () => {
    const runs = runsFor("class bytes: split at small limits");
    let ran = 0;
    let split = 0;
    let refused = 0;
    fc.assert(
      fc.property(mutatedCaseArb(seeds.bytes.length, 2), fc.integer({ min: 64, max: 1024 }), fc.constantFrom(...MODES), (c, maxSize, link) => {
        ran++;
        const cf = codedOrValue(() => readClass(applyCase(c, seeds.bytes, seeds.fields)));
        if (cf === undefined) return;
        const result = codedOrValue(() => splitClass(cf, { maxSize, link, hierarchy, verify: true }));
        if (result === undefined) return;
        for (const r of result.reports) r.result.kind === "split" ? split++ : refused++;
        codedOrValue(() => writeClass(result.classFile));
        if (result.helper) codedOrValue(() => writeClass(result.helper!));
      }),
      { numRuns: runs, seed: FUZZ_SEED },
    );
    expect(ran).toBe(runs);
    expect(split).toBeGreaterThan(runs / 10);
    reportRuns("class bytes: split at small limits", ran, `${split} methods split, ${refused} refused`);
  });
});
