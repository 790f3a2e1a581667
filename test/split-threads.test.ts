/**
 * `splitBundle` on worker threads (src/split/split-job.ts over src/bundle/job-pool.ts)
 * gives what the one-thread split gives, byte for byte: entries (names, order,
 * bytes), the mapping text, the reports and the diagnostics. The bundle is Debian's
 * ASM jar (every class over 1,024 bytes of a method is split, on both threads)
 * plus a version-51 interface whose huge `<clinit>` needs a helper class, twice:
 * at its own path and again under META-INF/versions/9/. Both copies would name
 * their helper `Tables$megasplit`; a one-by-one pass gives the second
 * `Tables$megasplit2`, and so must the threaded one (each thread only knows the
 * bundle's own names, so the class is split again knowing the earlier helper).
 * The same again with the worker started before the bundle was known
 * (`startSplitWorkers`, as the CLI does for a large input). Both use the worker
 * however little there is to split (`alwaysUseWorkers`); and without that option a
 * split this small runs in one thread, the early worker ended unused. With
 * `deflateAhead` (src/split/deflate-ahead.ts: changed entries deflated on the zlib
 * helper thread while the split runs, as the CLI does for a jar) the written jar is
 * the same bytes as without it, in one thread and with a worker.
 */
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type Bundle, newEntry } from "../src/bundle/bundle.js";
import { encodeJar } from "../src/bundle/jar.js";
import { readBundle } from "../src/bundle/read.js";
import { splitBundle, type BundleSplit } from "../src/split/split-bundle.js";
import { startSplitWorkers } from "../src/split/split-job.js";
import { assembleCase, oldInterfaceCaseText } from "./support/interface-case.js";

const ASM = "/usr/share/java/asm.jar";
const work = mkdtempSync(join(tmpdir(), "megasplit-threads-"));
afterAll(() => rmSync(work, { recursive: true, force: true }));

let bundle: Bundle;
beforeAll(async () => {
  const asm = (await readBundle(ASM)).bundle;
  const names = assembleCase(oldInterfaceCaseText("old51", 51, 3000, 600), join(work, "old51"));
  const extra = names.flatMap((name) => {
    const data = new Uint8Array(readFileSync(join(work, "old51", `${name}.class`)));
    return [newEntry(`${name}.class`, data), newEntry(`META-INF/versions/9/${name}.class`, data)];
  });
  bundle = { ...asm, entries: [...asm.entries, ...extra] };
}, 60_000);

/** Everything a split returns, as comparable plain data. */
function summary(r: BundleSplit) {
  return {
    entries: r.bundle.entries.map((e) => [e.name, Buffer.from(e.data).toString("base64")]),
    mapping: r.mapping.toString(),
    reports: JSON.stringify(r.reports),
    diagnostics: r.diagnostics,
  };
}

describe("splitBundle with worker threads", () => {
  it("writes what one thread writes, a helper-name clash included", async () => {
    const one = await splitBundle(bundle, { maxSize: 1024, link: "auto", name: "bundle", workers: 0 });
    // A bundle this small is split in one thread unless told otherwise.
    const two = await splitBundle(bundle, { maxSize: 1024, link: "auto", name: "bundle", workers: 1, alwaysUseWorkers: true });
    const split = one.reports.filter((r) => r.result.kind === "split");
    expect(split.length).toBeGreaterThanOrEqual(8);
    const names = one.bundle.entries.map((e) => e.name);
    expect(names).toContain("old51/Tables$megasplit.class");
    expect(names).toContain("META-INF/versions/9/old51/Tables$megasplit2.class");
    expect(summary(two)).toEqual(summary(one));
    // Workers started ahead (what the CLI does for a large input) get the init by message.
    const early = await splitBundle(bundle, { maxSize: 1024, link: "auto", name: "bundle", started: startSplitWorkers(1), alwaysUseWorkers: true });
    expect(summary(early)).toEqual(summary(one));
    const endedUnused = startSplitWorkers(1);
    const small = await splitBundle(bundle, { maxSize: 1024, link: "auto", name: "bundle", started: endedUnused });
    expect(summary(small)).toEqual(summary(one));
    expect(endedUnused.initSent).toBe(false);
  }, 180_000);

  it("writes the same jar with deflate-ahead, in one thread and with a worker", async () => {
    const opts = { maxSize: 1024, link: "auto", name: "bundle" } as const;
    const plain = encodeJar((await splitBundle(bundle, { ...opts, workers: 0 })).bundle);
    for (const workers of [0, 1]) {
      const ahead = await splitBundle(bundle, { ...opts, workers, alwaysUseWorkers: workers > 0, deflateAhead: true });
      expect(Buffer.compare(encodeJar(ahead.bundle), plain)).toBe(0);
    }
  }, 180_000);
});
