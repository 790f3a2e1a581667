/**
 * The README's "Use it from a compiler" example is samples/from-a-compiler.mjs,
 * character for character, and it works: run with Node (it imports "megasplit",
 * which resolves to this package's built entry), it writes classes that the JVM
 * verifies (-Xverify:all) and runs, printing the value computed here in
 * TypeScript. Needs the build (dist/), as `npm run setup` leaves it. Cost: one
 * 200 KB split (~3 s) and two JVM starts.
 */
import { describe, expect, it } from "vitest";
import { execFileSync } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { linkAll } from "./support/jvm.js";
import { runJava } from "./support/hard-case.js";

const root = resolve(__dirname, "..");
const sample = join(root, "samples/from-a-compiler.mjs");

describe("samples/from-a-compiler.mjs", () => {
  it("is the README's example", () => {
    const readme = readFileSync(join(root, "README.md"), "utf8");
    const section = readme.slice(readme.indexOf("## Use it from a compiler"));
    const block = /```js\n([\s\S]*?)```/.exec(section);
    expect(block?.[1]).toBe(readFileSync(sample, "utf8"));
  });

  it("splits a 200 KB generated method; the classes verify and print what the method computes", async () => {
    expect(existsSync(join(root, "dist/src/index.js")), "dist/ is missing: run `npm run build`").toBe(true);
    const dir = mkdtempSync(join(tmpdir(), "megasplit-sample-"));
    try {
      const out = join(dir, "out");
      const log = execFileSync(process.execPath, [sample, out], { cwd: root, encoding: "utf8" });
      const m = /^main: (\d+) bytes -> (\d+) pieces$/m.exec(log);
      expect(m, log).not.toBeNull();
      expect(Number(m![1])).toBeGreaterThan(190_000);
      expect(readFileSync(`${out}.mapping`, "utf8")).toContain("void main(java.lang.String[])");
      const linked = await linkAll(out);
      expect(linked.failures).toEqual([]);
      expect(linked.linked).toBe(1);
      let x = 0;
      for (let i = 0; i < 22_000; i++) x = (Math.imul(x, 31) + (i % 1000)) | 0;
      const run = runJava(out, "demo.Generated", { jvm: ["-Xverify:all"] });
      expect(run.stderr).toBe("");
      expect(run.stdout).toBe(`${x}\n`);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
