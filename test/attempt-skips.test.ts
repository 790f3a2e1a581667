/**
 * A partition an attempt loop has linked is not linked again
 * (src/split/linked-partitions.ts): a driver fill (the interpreter's dispatch
 * loop, 6,000 bytes at a 2,000-byte limit) and a piece fill (a static
 * initializer's tables, 3,000 bytes at 1,024) each partition a cut again into a
 * partition linked before. The split takes the earlier link, and the class
 * written, the reports and the synthetic lines are byte for byte those of the
 * same split with every attempt linked (`MEGASPLIT_NO_LINK_REUSE=1`).
 */
import { afterEach, describe, expect, it } from "vitest";
import * as interpreter from "../samples/generators/interpreter.mjs";
import * as tables from "../samples/generators/clinit-tables.mjs";
import type { ClassFile } from "../src/classfile/model.js";
import { writeClass } from "../src/classfile/write.js";
import { splitClass } from "../src/split/split-class.js";
import { linkReuse } from "../src/split/linked-partitions.js";

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
    ["a driver fill (interpreter, 6,000 bytes at 2,000)", () => interpreter.buildFor(6000), 2000],
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
