/**
 * A partition an attempt loop has linked is not linked again
 * (src/split/linked-partitions.ts): a driver fill (the interpreter's dispatch
 * loop, 9,000 bytes at a 1,024-byte limit; the fixture moves with the partition's
 * rules: 6,000 at 2,000 stopped repeating when the driver's frame arrays took
 * one-byte slots, 12,000 at 1,024 when each case left out of the driver got a piece
 * of its own; this size's repeats were checked, when it was chosen, to happen
 * inside the driver fill, at driver allowances 1.22-1.29) and a piece fill (a static
 * initializer's tables, 3,000 bytes at 1,024) each partition a cut again into a
 * partition linked before. The split takes the earlier link, and the class
 * written, the reports and the synthetic lines are byte for byte those of the
 * same split with every attempt linked (`MEGASPLIT_NO_LINK_REUSE=1`). The
 * synthetic-line counter a repeat advances moves as the calls of a link again
 * would move it, also where it stops past the last line (65,535).
 */
import { afterEach, describe, expect, it } from "vitest";
import * as interpreter from "../samples/generators/interpreter.mjs";
import * as tables from "../samples/generators/clinit-tables.mjs";
import type { ClassFile } from "../src/classfile/model.js";
import { writeClass } from "../src/classfile/write.js";
import { splitClass } from "../src/split/split-class.js";
import { linesAfterLink, linkReuse } from "../src/split/linked-partitions.js";
import { nextSyntheticLine } from "../src/split/names.js";

/** The split class's bytes, its helper's, and the reports (methods, lengths, call sites at their lines). */
function split(build: () => { cf: ClassFile }, maxSize: number) {
  const r = splitClass(build().cf, { maxSize, link: "auto" });
  return {
    bytes: writeClass(r.classFile),
    helper: r.helper ? writeClass(r.helper) : undefined,
    reports: JSON.stringify(r.reports, (_k, v) => (v instanceof Uint8Array ? Array.from(v) : v)),
  };
}

describe("linked partitions", () => {
  afterEach(() => {
    delete process.env["MEGASPLIT_NO_LINK_REUSE"];
  });

  for (const [what, build, maxSize] of [
    ["a driver fill (interpreter, 9,000 bytes at 1,024)", () => interpreter.buildFor(9000), 1024],
    ["a piece fill (clinit tables, 3,000 bytes at 1,024)", () => tables.buildFor(3000), 1024],
  ] as const) {
    it(`takes the earlier link in ${what}, and writes what linking again writes`, () => {
      const before = linkReuse.found;
      const reused = split(build, maxSize);
      expect(linkReuse.found).toBeGreaterThan(before);
      process.env["MEGASPLIT_NO_LINK_REUSE"] = "1";
      const found = linkReuse.found;
      const linkedAgain = split(build, maxSize);
      expect(linkReuse.found).toBe(found);
      expect(reused.reports).toContain('"kind":"split"');
      expect(Buffer.from(reused.bytes).equals(Buffer.from(linkedAgain.bytes))).toBe(true);
      expect(reused.helper === undefined).toBe(linkedAgain.helper === undefined);
      if (reused.helper && linkedAgain.helper) expect(Buffer.from(reused.helper).equals(Buffer.from(linkedAgain.helper))).toBe(true);
      expect(reused.reports).toBe(linkedAgain.reports);
    });
  }
});

describe("the synthetic lines a repeated link takes", () => {
  it("advances the counter as linking again would, stopping past the last line", () => {
    expect(linesAfterLink(100, 5)).toBe(105);
    expect(linesAfterLink(0xfffe, 5)).toBe(0x10000);
    expect(linesAfterLink(0x10000, 5)).toBe(0x10000);
    expect(linesAfterLink(0x10002, 5)).toBe(0x10002);
    // The same as counting the calls of nextSyntheticLine.
    for (const start of [0xfffa, 0xffff, 0x10000]) {
      const lines = { next: start };
      for (let i = 0; i < 8; i++) nextSyntheticLine(lines);
      expect(linesAfterLink(start, 8)).toBe(lines.next);
    }
  });
});
