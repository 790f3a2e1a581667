/**
 * src/hierarchy/lazy-jar.ts: a classpath jar read lazily answers every class name
 * as reading the whole jar would (`readJar` + `bundleClassMap`: the same bytes,
 * the same winner among duplicate entries, multi-release versions left out), and
 * reports a damaged entry when it is looked up, not before.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { readJar } from "../src/bundle/jar.js";
import type { Diagnostic } from "../src/diagnostics.js";
import { createClassHierarchy } from "../src/hierarchy/hierarchy.js";
import { lazyJarSource } from "../src/hierarchy/lazy-jar.js";
import { bundleClassMap, classpathSource } from "../src/hierarchy/sources.js";
import { corpusJar, javaHome } from "./support/corpus.js";
import { rawZip } from "./support/raw-zip.js";

const dir = mkdtempSync(join(tmpdir(), "megasplit-lazy-jar-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function file(name: string, bytes: Uint8Array): string {
  const path = join(dir, name);
  writeFileSync(path, bytes);
  return path;
}

const bytesOf = (text: string) => new TextEncoder().encode(text);

describe("lazyJarSource", () => {
  it("answers every class of a real jar with the bytes readJar gives, and nothing else", async () => {
    const path = corpusJar("rhino");
    const whole = await readJar(new Uint8Array(readFileSync(path)), path);
    const expected = bundleClassMap(whole.bundle);
    expect(expected.size).toBeGreaterThan(100);
    const diagnostics: Diagnostic[] = [];
    const lazy = (await lazyJarSource(path, diagnostics))!;
    for (const [name, bytes] of expected) expect(Buffer.compare(lazy.lookup(name) as Uint8Array, bytes), name).toBe(0);
    expect(lazy.lookup("org/mozilla/javascript/NoSuchClass")).toBeUndefined();
    expect(diagnostics).toEqual(whole.diagnostics);
  });

  it("skips a damaged duplicate as readJar does, reporting it only once it is looked up", async () => {
    const good = bytesOf("second, intact");
    const zip = rawZip([
      { name: "p/A.class", data: bytesOf("first, damaged") },
      { name: "p/A.class", data: good, method: 8 },
      { name: "META-INF/versions/11/p/B.class", data: bytesOf("versioned") },
      { name: "../evil.class", data: bytesOf("hostile") },
      { name: "p/C.class", data: bytesOf("never asked for"), method: 8 },
    ]);
    // The first entry is stored: flipping a byte of its data breaks its CRC-32.
    const firstData = 30 + "p/A.class".length;
    zip[firstData] ^= 0xff;
    const path = file("dup.jar", zip);
    const whole = await readJar(zip, path);
    const expected = bundleClassMap(whole.bundle);
    expect([...expected.keys()].sort()).toEqual(["p/A", "p/C"]);

    const diagnostics: Diagnostic[] = [];
    const lazy = (await lazyJarSource(path, diagnostics))!;
    expect(diagnostics.map((d) => d.code)).toEqual(["E_ZIP_PATH"]); // the hostile name, found by the walk
    expect(Buffer.compare(lazy.lookup("p/A") as Uint8Array, expected.get("p/A")!)).toBe(0);
    expect(Buffer.compare(lazy.lookup("p/A") as Uint8Array, good)).toBe(0);
    expect(lazy.lookup("p/B")).toBeUndefined();
    expect(diagnostics.map((d) => [d.code, d.location?.entry])).toEqual([
      ["E_ZIP_PATH", "../evil.class"],
      ["E_ZIP_CORRUPT", "p/A.class"],
    ]);
    lazy.lookup("p/A"); // asked again: answered from what was found, not reported twice
    expect(diagnostics).toHaveLength(2);
    expect(whole.diagnostics.map((d) => d.code).sort()).toEqual(["E_ZIP_CORRUPT", "E_ZIP_PATH"]);
  });

  it("leaves class files, directories, missing paths and non-zip files to readBundle", async () => {
    const diagnostics: Diagnostic[] = [];
    expect(await lazyJarSource(file("A.class", new Uint8Array([0xca, 0xfe, 0xba, 0xbe, 0, 0, 0, 52])), diagnostics)).toBeUndefined();
    expect(await lazyJarSource(dir, diagnostics)).toBeUndefined();
    expect(await lazyJarSource(join(dir, "nope.jar"), diagnostics)).toBeUndefined();
    expect(await lazyJarSource(file("notes.txt", bytesOf("plain text")), diagnostics)).toBeUndefined();
    expect(diagnostics).toEqual([]);
    // Through classpathSource, a missing jar is still reported (by readBundle).
    await classpathSource(join(dir, "nope.jar"), diagnostics);
    expect(diagnostics.map((d) => d.code)).toEqual(["E_IO"]);
  });

  it("reports a jar that is not a readable zip at once, with no classes", async () => {
    const diagnostics: Diagnostic[] = [];
    const lazy = (await lazyJarSource(file("broken.jar", bytesOf("PK but nothing else")), diagnostics))!;
    expect(lazy.lookup("p/A")).toBeUndefined();
    expect(diagnostics.map((d) => d.code)).toEqual(["E_ZIP_CORRUPT"]);
  });

  it("lets a hierarchy merge classes of a classpath jar read lazily", async () => {
    const h = await createClassHierarchy({ classpath: [corpusJar("rhino")], javaHome: javaHome() });
    try {
      expect(h.commonSuperClass("org/mozilla/javascript/NativeArray", "org/mozilla/javascript/NativeObject")).toBe("org/mozilla/javascript/IdScriptableObject");
      expect(h.isAssignable("org/mozilla/javascript/ScriptableObject", "org/mozilla/javascript/NativeArray")).toBe(true);
      expect(h.missing.size).toBe(0);
      expect(h.diagnostics).toEqual([]);
    } finally {
      h.close();
    }
  });
});
