/**
 * splitBundle releases what it opens: the class hierarchy it builds reads the JDK's
 * `lib/modules` image through a file descriptor, and a compiler or a long test run
 * calls splitBundle thousands of times in one process. Found by the soak
 * (scripts/soak.ts), whose shard process ran out of descriptors ("EMFILE: too many
 * open files") after ~20,000 programs, holding 1,914 descriptors of `lib/modules`.
 * Linux only (counts /proc/self/fd), as CI is.
 */
import { execFileSync } from "node:child_process";
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { splitBundle } from "../src/split/split-bundle.js";

const work = mkdtempSync(join(tmpdir(), "megasplit-resources-"));
afterAll(() => rmSync(work, { recursive: true, force: true }));

/** A class whose `run` is a long straight line over a loop, well over 600 bytes. */
function longClass(): Uint8Array {
  const lines = Array.from({ length: 120 }, (_, i) => `      s = s * 31 + (i ^ ${i * 7919}) % ${i + 3};`).join("\n");
  writeFileSync(join(work, "Long.java"), `public class Long {\n  public static int run(int n) {\n    int s = 0;\n    for (int i = 0; i < n; i++) {\n${lines}\n    }\n    return s;\n  }\n}\n`);
  execFileSync("javac", ["-d", work, join(work, "Long.java")]);
  return new Uint8Array(readFileSync(join(work, "Long.class")));
}

const openDescriptors = (): number => readdirSync("/proc/self/fd").length;

describe("splitBundle and file descriptors", () => {
  it("leaves none open after a split that built a hierarchy over the JDK image", async () => {
    const data = longClass();
    const bundle = { kind: "class" as const, source: join(work, "Long.class"), entries: [{ name: "Long.class", data }] };
    // The first call loads modules and warms up whatever keeps descriptors for good (V8, vitest's pipes).
    const first = await splitBundle(bundle, { maxSize: 600 });
    expect(first.reports.some((r) => r.result.kind === "split")).toBe(true);
    const before = openDescriptors();
    for (let i = 0; i < 30; i++) {
      const r = await splitBundle(bundle, { maxSize: 600 });
      expect(r.reports.some((x) => x.result.kind === "split")).toBe(true);
    }
    // 30 calls that each leaked the image's descriptor would leave 30 more open.
    expect(openDescriptors() - before).toBeLessThan(5);
  }, 120_000);

  it("leaves none open after splits on worker threads (each builds its own hierarchy)", async () => {
    const data = longClass();
    const bundle = { kind: "class" as const, source: join(work, "Long.class"), entries: [{ name: "Long.class", data }] };
    await splitBundle(bundle, { maxSize: 600, workers: 1, alwaysUseWorkers: true });
    const before = openDescriptors();
    for (let i = 0; i < 10; i++) {
      const r = await splitBundle(bundle, { maxSize: 600, workers: 1, alwaysUseWorkers: true });
      expect(r.reports.some((x) => x.result.kind === "split")).toBe(true);
    }
    expect(openDescriptors() - before).toBeLessThan(5);
  }, 300_000);
});
