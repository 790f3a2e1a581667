/**
 * Fuzzing the assembler (`megasplit asm`): Jasmin texts (the filetests, and the
 * disassembly of corpus classes, with and without `--pool`) mutated line by line
 * and token by token, and arbitrary text, go through `assemble` and `writeClass`
 * as the CLI does. Each either gives class files or throws a coded error
 * (E_ASM_SYNTAX with its line, mostly); what it writes must read back.
 */
import fc from "fast-check";
import { beforeAll, describe, expect, it } from "vitest";
import { readClass } from "../../src/classfile/read.js";
import { writeClass } from "../../src/classfile/write.js";
import { assemble } from "../../src/text/assemble.js";
import { disassemble } from "../../src/text/disassemble.js";
import { FUZZ_SEED, reportRuns, runsFor } from "./budget.js";
import { codedOrValue } from "./expect-coded.js";
import { classSeeds, jasminSeeds } from "./seeds.js";
import { applyText, mutatedTextArb, tokenPool } from "./text-mutate.js";

let texts: string[];
let pool: string[];
beforeAll(async () => {
  const classes = await classSeeds(["asm", "rhino", "jython"], 6, 6_000);
  texts = [...jasminSeeds().map((s) => s.text), ...classes.bytes.flatMap((b) => [disassemble(readClass(b)), disassemble(readClass(b), { constantPool: true })])];
  pool = tokenPool(texts);
});

/** What `megasplit asm` does with a text; returns how many classes it gave. */
function throughTheAssembler(text: string): number {
  const classes = codedOrValue(() => assemble(text, { fileName: "fuzz.j" }));
  if (classes === undefined) return 0;
  let written = 0;
  for (const cf of classes) {
    const bytes = codedOrValue(() => writeClass(cf, { where: { bundle: "fuzz.j" } }));
    if (bytes === undefined) continue;
    // What the assembler writes, the reader reads (or rejects with a code: a mutated text may name a bad constant).
    codedOrValue(() => readClass(bytes));
    written++;
  }
  return written;
}

describe("fuzz: Jasmin text", () => {
  it("the seeds assemble", () => {
    expect(texts.length).toBeGreaterThan(20);
    for (const t of texts) expect(throughTheAssembler(t)).toBeGreaterThan(0);
  });

  it("mutated and arbitrary texts assemble or fail with a code, never crash", () => {
    const runs = runsFor("jasmin text: assemble and write");
    let ran = 0;
    let assembled = 0;
    fc.assert(
      fc.property(fc.oneof({ weight: 9, arbitrary: mutatedTextArb(texts.length).map((c) => applyText(c, texts, pool)) }, { weight: 1, arbitrary: fc.string({ maxLength: 200 }) }), (text) => {
        ran++;
        if (throughTheAssembler(text) > 0) assembled++;
      }),
      { numRuns: runs, seed: FUZZ_SEED },
    );
    expect(ran).toBe(runs);
    expect(assembled).toBeGreaterThan(runs / 10);
    reportRuns("jasmin text: assemble and write", ran, `${assembled} assembled`);
  });
});
