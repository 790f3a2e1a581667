/**
 * Deflate-ahead (`src/split/deflate-ahead.ts`): entries handed over with bytes
 * deflated during the split encode to the same jar as entries the writer deflates
 * itself, whether the content changed, came back unchanged (as a copy or as the
 * very same array), or was never queued, and a batch large enough for the zlib
 * helper thread gives the same bytes too. The entries "read" from a jar carry
 * bytes compressed at another level than the writer's, so keeping them and
 * deflating again are told apart.
 */
import { crc32, deflateRawSync } from "node:zlib";
import { describe, expect, it } from "vitest";
import { newEntry, withData, type Bundle, type BundleEntry } from "../src/bundle/bundle.js";
import { encodeJar, encodeJarAsync } from "../src/bundle/jar.js";
import { DeflateAhead } from "../src/split/deflate-ahead.js";

function bytes(n: number, seed: number): Uint8Array {
  const b = new Uint8Array(n);
  let x = seed;
  for (let i = 0; i < n; i++) {
    x = (x * 1103515245 + 12345) >>> 0;
    b[i] = (x >>> 24) % 7; // compressible, not constant
  }
  return b;
}

/** An entry as read from a jar: its zip metadata and its bytes as that jar compressed them. */
function readEntry(name: string, data: Uint8Array): BundleEntry {
  const compressed = deflateRawSync(data, { level: 1 });
  const none = new Uint8Array(0);
  const zip = { compression: 8, crc32: crc32(data), dosTime: 0, dosDate: 0x21, flags: 0, versionMadeBy: 20, versionNeeded: 20, internalAttributes: 0, externalAttributes: 0, extra: none, localExtra: none, comment: none };
  return { ...newEntry(name, data), zip, modified: false, compressed: new Uint8Array(compressed) };
}

const jar = (entries: BundleEntry[]): Bundle => ({ kind: "jar", entries });

describe("DeflateAhead", () => {
  it("hands over entries that encode to the writer's own bytes", async () => {
    const original = [readEntry("a/A.class", bytes(3000, 1)), readEntry("a/B.class", bytes(5000, 2)), readEntry("a/C.class", bytes(700, 3)), readEntry("a/D.class", bytes(1200, 7))];
    const changedA = bytes(3100, 4);
    const sameB = original[1]!.data.slice(); // content that comes back unchanged
    const sameD = original[3]!.data; // the very same array back
    const helper = bytes(900, 5);
    // Large enough to go to the helper thread in one batch.
    const big = Array.from({ length: 12 }, (_, k) => bytes(80_000, 10 + k));

    const ahead = new DeflateAhead();
    for (const d of [changedA, sameB, sameD, helper, ...big]) ahead.add(d);
    await ahead.finish();
    const withAhead = [
      await ahead.withData(original[0]!, changedA),
      await ahead.withData(original[1]!, sameB),
      await ahead.withData(original[2]!, bytes(800, 6)), // not queued
      await ahead.withData(original[3]!, sameD),
      await ahead.withData(newEntry("a/A$pieces.class", helper), helper),
      ...(await Promise.all(big.map((d, k) => ahead.withData(newEntry(`b/Big${k}.class`, d), d)))),
    ];
    const plain = [
      withData(original[0]!, changedA),
      withData(original[1]!, sameB),
      withData(original[2]!, bytes(800, 6)),
      withData(original[3]!, sameD),
      newEntry("a/A$pieces.class", helper),
      ...big.map((d, k) => newEntry(`b/Big${k}.class`, d)),
    ];
    expect(withAhead[1]).toBe(original[1]); // unchanged content keeps the entry (and its original bytes)
    expect(withAhead[3]).toBe(original[3]);
    // ...and writes the bytes it was read with, as a copy of it that deflate-ahead never saw does.
    expect(Buffer.compare(encodeJar(jar([withAhead[3]!])), encodeJar(jar([{ ...original[3]! }])))).toBe(0);
    const expected = encodeJar(jar(plain));
    expect(Buffer.compare(encodeJar(jar(withAhead)), expected)).toBe(0);
    expect(Buffer.compare(await encodeJarAsync(jar(withAhead)), expected)).toBe(0);
  });
});
