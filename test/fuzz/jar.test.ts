/**
 * Fuzzing the jar reader (and writer): archives forged entry by entry, with
 * hostile names (`..`, absolute, drive letters, backslashes, NUL, empty),
 * duplicate names, recorded sizes and CRCs that lie, unknown compression methods,
 * entries sharing one compressed stream, small zip bombs, then bytes of the whole
 * archive mutated; and bytes that are no zip at all. The reader must resolve
 * (never reject) with coded diagnostics, keep only safe names, hold each entry at
 * its recorded size, and what it kept must survive the writer and read back the
 * same. Directory inputs with symbolic links (to files, to directories, loops,
 * dangling, out of the tree) are read the same way, from real trees on disk.
 */
import fc from "fast-check";
import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { crc32 } from "node:zlib";
import { afterAll, describe, expect, it } from "vitest";
import { encodeJar, readJar, zipPathProblem } from "../../src/bundle/jar.js";
import { readBundle } from "../../src/bundle/read.js";
import { tinyClassBytes } from "../support/tiny-class.js";
import { FUZZ_SEED, reportRuns, runsFor } from "./budget.js";
import { checkDiagnostics, codedOrValueAsync } from "./expect-coded.js";
import { applyMutation, mutationArb } from "./mutate.js";
import { forgeZip, honestEntry, zeroBomb, type ForgedEntry } from "./zip-forge.js";

const NAMES = [
  "A.class",
  "a/B.class",
  "META-INF/MANIFEST.MF",
  "META-INF/",
  "META-INF/versions/11/a/B.class",
  "../evil.class",
  "a/../../evil",
  "/etc/passwd",
  "C:\\win.class",
  "..\\up.class",
  "a\\b.txt",
  "nul\0byte",
  "",
  "a/./b",
  "ünïcödé/€.class",
  "x".repeat(300),
];
const CONTENTS = [new Uint8Array(0), tinyClassBytes(), new TextEncoder().encode("Manifest-Version: 1.0\r\n\r\n"), new Uint8Array(70_000).fill(0x41)];
const BOMB = zeroBomb(2);

const entryArb: fc.Arbitrary<(previous: ForgedEntry[]) => ForgedEntry> = fc
  .record({
    name: fc.oneof(fc.constantFrom(...NAMES), fc.string({ maxLength: 12 })),
    content: fc.nat({ max: CONTENTS.length - 1 }),
    method: fc.constantFrom<0 | 8>(0, 8, 8),
    lie: fc.constantFrom("none", "none", "none", "size+", "size-", "size0", "sizeMax", "crc", "method", "bomb", "share"),
    share: fc.nat(),
  })
  .map((r) => (previous: ForgedEntry[]): ForgedEntry => {
    const e = honestEntry(r.name, CONTENTS[r.content]!, r.method);
    switch (r.lie) {
      case "size+":
        return { ...e, uncompressedSize: e.uncompressedSize + 1 + (r.share % 5000) };
      case "size-":
        return { ...e, uncompressedSize: Math.max(0, e.uncompressedSize - 1 - (r.share % 5000)) };
      case "size0":
        return { ...e, uncompressedSize: 0 };
      case "sizeMax":
        return { ...e, uncompressedSize: 0xffffffff };
      case "crc":
        return { ...e, crc: (e.crc ^ (1 + r.share)) >>> 0 };
      case "method":
        return { ...e, method: 12 as 8 };
      case "bomb":
        return { name: r.name, body: BOMB, method: 8, uncompressedSize: r.share % 4096, crc: 0 };
      case "share": {
        const owners = previous.map((p, i) => (p.sharesWith === undefined ? i : -1)).filter((i) => i >= 0);
        return owners.length === 0 ? e : { ...previous[owners[r.share % owners.length]!]!, name: r.name, sharesWith: owners[r.share % owners.length]! };
      }
      default:
        return e;
    }
  });

const archiveArb = fc.oneof(
  {
    weight: 9,
    arbitrary: fc.record({ entries: fc.array(entryArb, { maxLength: 6 }), mutations: fc.array(mutationArb, { maxLength: 3 }) }).map(({ entries, mutations }) => {
      const forged: ForgedEntry[] = [];
      for (const make of entries) forged.push(make(forged));
      let bytes = forgeZip(forged);
      for (const m of mutations) bytes = applyMutation(bytes, m, [], [bytes, tinyClassBytes()]);
      return bytes;
    }),
  },
  // Not a zip at all: random bytes, a class file, a zip signature and nothing else.
  { weight: 1, arbitrary: fc.oneof(fc.uint8Array({ maxLength: 200 }), fc.constant(tinyClassBytes()), fc.constant(new Uint8Array([0x50, 0x4b, 3, 4]))) },
);

/** What every read must give: coded diagnostics, safe names, entries at their recorded sizes; the writer keeps them. */
async function checkRead(bytes: Uint8Array): Promise<number> {
  const { bundle, diagnostics } = await readJar(bytes, "fuzz.jar");
  checkDiagnostics(diagnostics);
  for (const e of bundle.entries) {
    if (zipPathProblem(e.name) !== undefined) throw new Error(`unsafe name kept: ${JSON.stringify(e.name)}`);
    if (crc32(e.data) !== e.zip!.crc32) throw new Error(`entry ${e.name} kept with a CRC that does not match`);
  }
  if (bundle.entries.length > 0) {
    const again = await readJar(await codedOrValueAsync(async () => encodeJar(bundle)) ?? new Uint8Array(0), "again.jar");
    if (again.diagnostics.length > 0) throw new Error(`the written jar reads with diagnostics: ${JSON.stringify(again.diagnostics)}`);
    expect(again.bundle.entries.map((e) => [e.name, Buffer.from(e.data).toString("base64")])).toEqual(bundle.entries.map((e) => [e.name, Buffer.from(e.data).toString("base64")]));
  }
  return bundle.entries.length;
}

const dir = mkdtempSync(join(tmpdir(), "megasplit-fuzz-jar-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe("fuzz: jars", () => {
  it("forged and mutated archives read with coded diagnostics, safe names, and round-trip", async () => {
    const runs = runsFor("jar bytes: read");
    let ran = 0;
    let kept = 0;
    await fc.assert(
      fc.asyncProperty(archiveArb, async (bytes) => {
        ran++;
        kept += await checkRead(bytes);
      }),
      { numRuns: runs, seed: FUZZ_SEED },
    );
    expect(ran).toBe(runs);
    expect(kept).toBeGreaterThan(runs / 4);
    reportRuns("jar bytes: read", ran, `${kept} entries kept`);
  });

  it("directory trees with symbolic links read without a crash, a hang, or a name outside the tree", async () => {
    const runs = runsFor("directories with symlinks: read");
    const outside = join(dir, "outside.class");
    writeFileSync(outside, tinyClassBytes());
    let ran = 0;
    const nodeArb = fc.record({
      path: fc.constantFrom("A.class", "a/B.class", "a/b/C.class", "d/E.txt", "a/link", "loop", "a/b/up"),
      kind: fc.constantFrom("file", "file-link", "dir-link-up", "dir-link-self", "dangling", "outside-link", "dir"),
    });
    await fc.assert(
      fc.asyncProperty(fc.array(nodeArb, { maxLength: 7 }), async (nodes) => {
        const root = join(dir, `tree${ran++}`);
        mkdirSync(root);
        for (const n of nodes) {
          const p = join(root, n.path);
          mkdirSync(join(p, ".."), { recursive: true });
          try {
            if (n.kind === "file") writeFileSync(p, tinyClassBytes());
            else if (n.kind === "dir") mkdirSync(p, { recursive: true });
            else if (n.kind === "file-link") symlinkSync(join(root, "A.class"), p);
            else if (n.kind === "dir-link-up") symlinkSync("..", p);
            else if (n.kind === "dir-link-self") symlinkSync(".", p);
            else if (n.kind === "dangling") symlinkSync(join(root, "nowhere"), p);
            else symlinkSync(outside, p);
          } catch {
            // the path is taken already (by a file or a directory): keep what is there
          }
        }
        const r = await codedOrValueAsync(() => readBundle(root));
        if (r === undefined) return;
        checkDiagnostics(r.diagnostics);
        for (const e of r.bundle.entries) if (zipPathProblem(e.name) !== undefined) throw new Error(`unsafe name ${e.name}`);
        expect(new Set(r.bundle.entries.map((e) => e.name)).size).toBe(r.bundle.entries.length);
      }),
      { numRuns: runs, seed: FUZZ_SEED },
    );
    expect(ran).toBe(runs);
    reportRuns("directories with symlinks: read", ran);
  });
});
