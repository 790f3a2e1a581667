/**
 * Jars whose recorded sizes lie, or whose honest sizes are more than a bundle may
 * hold: memory and time stay bounded by what the archive records, and each such
 * entry is one diagnostic with its code, the rest of the jar kept. The 4 GiB bomb
 * (4 MB on disk) once drove `split` to 12 GB of memory and `inspect` to spin for
 * over a minute.
 */
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { DEFAULT_JAR_LIMITS, readJar } from "../../src/bundle/jar.js";
import { runCli } from "../support/cli.js";
import { tinyClassBytes } from "../support/tiny-class.js";
import { forgeZip, honestEntry, zeroBomb } from "./zip-forge.js";

const dir = mkdtempSync(join(tmpdir(), "megasplit-bomb-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** `A.class` records 1 KB and inflates to `megabytes` MiB of zeros; `Tiny.class` is fine. */
function lyingJar(megabytes: number): Uint8Array {
  return forgeZip([{ name: "A.class", body: zeroBomb(megabytes), method: 8, uncompressedSize: 1024, crc: 0 }, honestEntry("Tiny.class", tinyClassBytes())]);
}

/** Bytes held by ArrayBuffers (Buffers, typed arrays) now, after a collection when exposed. */
function arrayBufferBytes(): number {
  (globalThis as { gc?: () => void }).gc?.();
  return process.memoryUsage().arrayBuffers;
}

describe("inflation is capped at the recorded size", () => {
  it("a class entry recording 1 KB that inflates to 4 GiB is E_ZIP_CORRUPT, read in bounded memory (helper thread path)", async () => {
    const jar = lyingJar(4096);
    const before = arrayBufferBytes();
    let peak = 0;
    const timer = setInterval(() => (peak = Math.max(peak, process.memoryUsage().arrayBuffers)), 1);
    const { bundle, diagnostics } = await readJar(jar, "bomb.jar");
    clearInterval(timer);
    peak = Math.max(peak, process.memoryUsage().arrayBuffers);
    expect(diagnostics.map((d) => [d.code, d.location.entry])).toEqual([["E_ZIP_CORRUPT", "A.class"]]);
    expect(diagnostics[0]!.message).toContain("more than its recorded size of 1024 bytes");
    expect(bundle.entries.map((e) => e.name)).toEqual(["Tiny.class"]);
    // The archive is 4 MB; without the cap zlib would hold gigabytes.
    expect(peak - before).toBeLessThan(64 * 2 ** 20);
  });

  it("the same on the in-thread path (a batch too small for the helper)", async () => {
    const { bundle, diagnostics } = await readJar(lyingJar(32), "small-bomb.jar");
    expect(diagnostics.map((d) => [d.code, d.location.entry])).toEqual([["E_ZIP_CORRUPT", "A.class"]]);
    expect(diagnostics[0]!.message).toContain("more than its recorded size of 1024 bytes");
    expect(bundle.entries.map((e) => e.name)).toEqual(["Tiny.class"]);
  });

  it("an entry recording 0 bytes that inflates to one is E_ZIP_CORRUPT", async () => {
    const one = honestEntry("B.class", new Uint8Array([7]));
    const { diagnostics } = await readJar(forgeZip([{ ...one, uncompressedSize: 0 }]), "zero.jar");
    expect(diagnostics.map((d) => d.code)).toEqual(["E_ZIP_CORRUPT"]);
  });

  it("`inspect` and `split` of the 4 GiB bomb report E_ZIP_CORRUPT, exit 1 and keep the good class", () => {
    const jar = join(dir, "bomb.jar");
    writeFileSync(jar, lyingJar(4096));
    const inspect = runCli(["inspect", "--limit", "0", jar]);
    expect(inspect.stderr).toMatch(/error E_ZIP_CORRUPT: cannot read entry: inflates to more than its recorded size of 1024 bytes; entry skipped \[.*bomb\.jar, A\.class/);
    expect(inspect.stdout).toContain("Tiny");
    expect(inspect.status).toBe(1);
    const split = runCli(["split", jar, "-o", join(dir, "out.jar")]);
    expect(split.stderr).toContain("error E_ZIP_CORRUPT");
    expect(split.stderr).not.toContain("internal error");
    expect(split.status).toBe(1);
  });
});

describe("limits on what a jar may inflate to", () => {
  it("an entry recording more than maxEntryBytes is E_ZIP_TOO_LARGE, not inflated", async () => {
    const data = new Uint8Array(3 << 20).fill(1);
    const limits = { maxEntryBytes: 2 << 20, maxTotalBytes: 1 << 30 };
    const { bundle, diagnostics } = await readJar(forgeZip([honestEntry("big.bin", data), honestEntry("Tiny.class", tinyClassBytes())]), "big.jar", limits);
    expect(diagnostics.map((d) => [d.code, d.location.entry])).toEqual([["E_ZIP_TOO_LARGE", "big.bin"]]);
    expect(bundle.entries.map((e) => e.name)).toEqual(["Tiny.class"]);
  });

  it("a recorded size of 4 GiB - 1 is over the default limit and costs nothing", async () => {
    expect(DEFAULT_JAR_LIMITS.maxEntryBytes).toBeLessThan(2 ** 32 - 1);
    const { diagnostics } = await readJar(forgeZip([{ name: "huge.bin", body: zeroBomb(1), method: 8, uncompressedSize: 2 ** 32 - 1, crc: 0 }]), "huge.jar");
    expect(diagnostics.map((d) => d.code)).toEqual(["E_ZIP_TOO_LARGE"]);
  });

  it("entries sharing one compressed stream (a non-recursive zip bomb) stop at maxTotalBytes", async () => {
    const mib = zeroBomb(1);
    const entries = [{ name: "e0", body: mib, method: 8 as const, uncompressedSize: 1 << 20, crc: 0 }];
    // The zeros' CRC, so that the entries are honest about their size and content.
    const { crc32 } = await import("node:zlib");
    entries[0]!.crc = crc32(new Uint8Array(1 << 20));
    for (let k = 1; k < 40; k++) entries.push({ ...entries[0]!, name: `e${k}`, sharesWith: 0 } as (typeof entries)[number]);
    const { bundle, diagnostics } = await readJar(forgeZip(entries), "shared.jar", { maxEntryBytes: 1 << 30, maxTotalBytes: 10 << 20 });
    expect(bundle.entries).toHaveLength(10);
    expect(diagnostics).toHaveLength(30);
    expect(new Set(diagnostics.map((d) => d.code))).toEqual(new Set(["E_ZIP_TOO_LARGE"]));
  });
});
