/**
 * `mapClassEntries` on worker threads gives the same jar, byte for byte, as the
 * sequential path (re-encode every class in this thread, deflate while writing),
 * whatever the number of workers; a MegasplitError from the transform is one
 * diagnostic for its entry, which is kept unchanged.
 */
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { isClassEntry, withData } from "../src/bundle/bundle.js";
import { encodeJar } from "../src/bundle/jar.js";
import { mapClassEntries } from "../src/bundle/parallel.js";
import { readBundle } from "../src/bundle/read.js";
import { reencodeClassBytes } from "../src/bytecode/reencode-class.js";
import { corpusJar } from "./support/corpus.js";

const reencode = { module: fileURLToPath(new URL("../src/bytecode/reencode-class.ts", import.meta.url)), export: "reencodeClassBytes" };

describe("mapClassEntries", () => {
  it("writes the same jar as the sequential path, with 0, 2 and 3 workers", async () => {
    const { bundle } = await readBundle(corpusJar("asm"));
    const sequential = encodeJar({ ...bundle, entries: bundle.entries.map((e) => (isClassEntry(e) ? withData(e, reencodeClassBytes(e.data)) : e)) });
    // Classes whose re-encoded bytes are identical are no change (withData keeps them).
    const differing = bundle.entries.filter((e) => isClassEntry(e) && Buffer.compare(reencodeClassBytes(e.data), e.data) !== 0).length;
    for (const workers of [0, 2, 3]) {
      const r = await mapClassEntries(bundle, reencode, { workers, minClasses: 0 });
      expect(r.workers).toBe(workers);
      expect(r.changed).toBe(differing);
      expect(r.diagnostics).toEqual([]);
      expect(Buffer.compare(encodeJar(r.bundle), sequential)).toBe(0);
    }
    // Workers started before the bundle is there (it is still being read).
    const early = await mapClassEntries(readBundle(corpusJar("asm")).then((x) => x.bundle), reencode, { workers: 2, minClasses: 0 });
    expect(early.workers).toBe(2);
    expect(Buffer.compare(encodeJar(early.bundle), sequential)).toBe(0);
  });

  it("reports a refused class once, keeps it unchanged, and agrees with the in-thread path", async () => {
    const { bundle } = await readBundle(corpusJar("asm"));
    const transform = {
      module: fileURLToPath(new URL("./support/failing-transform.ts", import.meta.url)),
      export: "reencodeUnlessNamed",
      options: { failOn: "/ClassReader.class" },
    };
    const inThread = await mapClassEntries(bundle, transform, { workers: 0 });
    const pooled = await mapClassEntries(bundle, transform, { workers: 2, minClasses: 0 });
    expect(pooled.diagnostics).toEqual(inThread.diagnostics);
    expect(pooled.diagnostics).toHaveLength(1);
    expect(pooled.diagnostics[0]!.location.entry).toBe("org/objectweb/asm/ClassReader.class");
    const refused = pooled.bundle.entries.find((e) => e.name === "org/objectweb/asm/ClassReader.class")!;
    expect(refused.modified).toBe(false);
    expect(pooled.changed).toBe(inThread.changed);
    expect(Buffer.compare(encodeJar(pooled.bundle), encodeJar(inThread.bundle))).toBe(0);
  });

  it("rejects a transform that is not exported", async () => {
    const { bundle } = await readBundle(corpusJar("asm"));
    await expect(mapClassEntries(bundle, { ...reencode, export: "noSuchExport" }, { workers: 2, minClasses: 0 })).rejects.toThrow(/noSuchExport/);
  });
});
