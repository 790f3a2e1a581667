/**
 * The JVM accepts what the codec writes: every class of the Debian corpus jars,
 * with every method forced through decode -> encode, loads and links in HotSpot
 * with verification on (test/java/LinkAll.java under -Xverify:all). The original
 * jars link with zero failures on the same classpath, so any failure is ours.
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { isClassEntry, withData } from "../src/bundle/bundle.js";
import { readBundle } from "../src/bundle/read.js";
import { writeBundle } from "../src/bundle/write.js";
import { reencodeClass } from "../src/bytecode/reencode-class.js";
import { readClass } from "../src/classfile/read.js";
import { writeClass } from "../src/classfile/write.js";
import { CORPUS_NAMES, corpusClasspath, corpusJar } from "./support/corpus.js";
import { linkAll } from "./support/jvm.js";

const work = mkdtempSync(join(tmpdir(), "megasplit-link-"));
afterAll(() => rmSync(work, { recursive: true, force: true }));

describe("re-encoded corpus links with verification on", () => {
  for (const name of CORPUS_NAMES) {
    it(`${name}: every re-encoded class links`, async () => {
      const { bundle } = await readBundle(corpusJar(name));
      let classes = 0;
      const entries = bundle.entries.map((e) => {
        if (!isClassEntry(e)) return e;
        classes++;
        return withData(e, writeClass(reencodeClass(readClass(e.data))));
      });
      const out = join(work, `${name}.jar`);
      await writeBundle({ ...bundle, entries }, out, { kind: "jar" });
      const result = await linkAll(out, { classpath: corpusClasspath(name) });
      console.log(`${name}: ${result.linked} classes linked, ${result.failures.length} failures`);
      expect(result.failures).toEqual([]);
      expect(result.linked).toBe(classes);
    });
  }
});
