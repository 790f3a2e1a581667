/**
 * Round trip of the Debian corpus jars (rhino, asm, jython, groovy, antlr4, janino):
 * every class written back byte-identical when unchanged, and canonically equal
 * after every method is forced through decode -> encode. Also: the same input
 * gives byte-identical output twice.
 */
import { describe, expect, it } from "vitest";
import { isClassEntry, withData } from "../src/bundle/bundle.js";
import { encodeJar } from "../src/bundle/jar.js";
import { readBundle } from "../src/bundle/read.js";
import { reencodeClass } from "../src/bytecode/reencode-class.js";
import { readClass } from "../src/classfile/read.js";
import { writeClass } from "../src/classfile/write.js";
import { CORPUS_NAMES, corpusJar } from "./support/corpus.js";
import { describeResult, jarClasses, roundTripClasses } from "./support/roundtrip.js";

describe("corpus round trip: Debian jars", () => {
  for (const name of CORPUS_NAMES) {
    it(`${name}: identical when unchanged, canonically equal when re-encoded`, async () => {
      const classes = await jarClasses(corpusJar(name));
      expect(classes.length).toBeGreaterThan(30);
      const r = roundTripClasses(classes);
      console.log(describeResult(name, r));
      expect(r.mismatches).toEqual([]);
      expect(r.identical).toBe(r.classes);
      expect(r.canonicalEqual).toBe(r.classes);
    });
  }

  it("is deterministic: re-encoding rhino.jar twice gives identical jar bytes", async () => {
    const run = async () => {
      const { bundle } = await readBundle(corpusJar("rhino"));
      const entries = bundle.entries.map((e) => (isClassEntry(e) ? withData(e, writeClass(reencodeClass(readClass(e.data)))) : e));
      return encodeJar({ ...bundle, entries });
    };
    const a = await run();
    const b = await run();
    expect(a.length).toBeGreaterThan(100_000);
    expect(Buffer.compare(a, b)).toBe(0);
  });
});
