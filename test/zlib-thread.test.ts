/**
 * The zlib helper thread and `BatchQueue` give exactly what zlib gives in this
 * thread (`inflateRawSync`, `deflateRawSync` at the default level), in order,
 * whichever thread ran a batch; a corrupt item is an error for that item only.
 * A process that started the helper and never gave it a batch still exits.
 */
import { crc32, deflateRawSync, inflateRawSync } from "node:zlib";
import { describe, expect, it } from "vitest";
import { availableParallelism } from "node:os";
import { BatchQueue, deflateBatch, helperBatches, inflateBatch, type Deflated, type Inflated } from "../src/bundle/zlib-thread.js";
import { HELPER_JAR_BYTES } from "../src/bundle/jar.js";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { prng } from "./support/prng.js";
import { runCli } from "./support/cli.js";
import { rawZip } from "./support/raw-zip.js";

/** Compressible items of varied sizes, about 3 MB in all (several batches). */
function items(): Uint8Array[] {
  const next = prng(7);
  const out: Uint8Array[] = [];
  for (let i = 0; i < 120; i++) {
    const n = 1 + Math.floor(next() * 50_000);
    const b = new Uint8Array(n);
    for (let k = 0; k < n; k++) b[k] = next() < 0.7 ? 65 + (k % 13) : Math.floor(next() * 256);
    out.push(b);
  }
  return out;
}

describe("zlib helper thread", () => {
  it("deflates and inflates batches to zlib's own bytes, in order", async () => {
    const data = items();
    const before = helperBatches;
    const deflated = await deflateBatch(data);
    expect(deflated).toHaveLength(data.length);
    deflated.forEach((d, i) => {
      expect(Buffer.compare(d.compressed, deflateRawSync(data[i]!))).toBe(0);
      expect(d.crc).toBe(crc32(data[i]!));
    });
    const inflated = await inflateBatch(deflated.map((d) => d.compressed), data.map((d) => d.length));
    expect(inflated).toHaveLength(data.length);
    // With a second core both batches (3 MB each way) ran on the helper thread.
    expect(helperBatches - before).toBe(availableParallelism() >= 2 ? 2 : 0);
    inflated.forEach((r, i) => {
      expect("error" in r).toBe(false);
      if (!("error" in r)) expect(Buffer.compare(r.data, data[i]!)).toBe(0);
    });
  });

  it("reports a corrupt item alone", async () => {
    const data = items();
    const compressed = data.map((d) => new Uint8Array(deflateRawSync(d)));
    compressed[5] = new Uint8Array([0xff, 0xff, 0xff, 0xff]);
    const inflated = await inflateBatch(compressed, data.map((d) => d.length));
    expect("error" in inflated[5]!).toBe(true);
    expect(inflated.filter((r) => "error" in r)).toHaveLength(1);
    expect(Buffer.compare((inflated[6] as { data: Uint8Array }).data, inflateRawSync(compressed[6]!))).toBe(0);
  });

  it("BatchQueue shares the batches and keeps every result in place", async () => {
    const data = items();
    for (const maxOut of [0, 2, Infinity]) {
      const deflate = new BatchQueue<Deflated>("deflate", maxOut);
      const slots = data.map((d) => deflate.add(d));
      await deflate.finish();
      // About 3 MB in batches of 512 KB: several batches to share.
      expect(new Set(slots.map(([batch]) => batch)).size).toBeGreaterThan(2);
      const compressed: Uint8Array[] = [];
      for (const [i, [batch, at]] of slots.entries()) {
        const d = (await batch)[at]!;
        expect(Buffer.compare(d.compressed, deflateRawSync(data[i]!))).toBe(0);
        compressed.push(d.compressed);
      }
      const inflate = new BatchQueue<Inflated>("inflate", maxOut);
      const back = compressed.map((c, i) => inflate.add(c, data[i]!.length));
      await inflate.finish();
      for (const [i, [batch, at]] of back.entries()) {
        const r = (await batch)[at]!;
        expect("data" in r && Buffer.compare(r.data, data[i]!) === 0).toBe(true);
      }
    }
  });

  it("lets a command on a jar of stored entries exit: the helper started, nothing to inflate", () => {
    // Twice the size at which reading starts the helper thread (with a second
    // core: CI has two); every entry stored, so it never gets a batch. Node 20 refs
    // a worker again when a "message" listener is added after unref(): every
    // command on Debian's kotlin-reflect.jar printed its report and never exited.
    expect(availableParallelism(), "the helper thread needs a second core").toBeGreaterThanOrEqual(2);
    const dir = mkdtempSync(join(tmpdir(), "megasplit-stored-"));
    try {
      const next = prng(3);
      const blob = new Uint8Array(2 * HELPER_JAR_BYTES).map(() => Math.floor(next() * 256));
      const jar = join(dir, "stored.jar");
      writeFileSync(jar, rawZip([{ name: "META-INF/MANIFEST.MF", data: new TextEncoder().encode("Manifest-Version: 1.0\r\n\r\n") }, { name: "data/blob.bin", data: blob }]));
      const inspect = runCli(["inspect", jar], { timeoutMs: 60_000 });
      expect(inspect.status, inspect.stderr).toBe(0);
      expect(inspect.stdout).toContain("0 classes");
      const split = runCli(["split", jar, "-o", join(dir, "out.jar")], { timeoutMs: 60_000 });
      expect(split.status, split.stderr).toBe(0);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
