/**
 * A split class carries the constants of the split it keeps, not those of the
 * attempts before it (src/split/attempt-pools.ts). The oracle is ASM's: a class
 * read by its ClassReader and written by a fresh ClassWriter gets a pool of only
 * the entries something refers to (test/java/PoolCount.java); a split class must
 * have no more unused entries than the original had. The dispatch loop at 8,000
 * bytes takes several attempts (driver fill), in `auto` (heap frame, direct calls,
 * bound `invokedynamic` entries) and `switch`; Rhino at 1,024 bytes has 36
 * methods split, many after retries and piece fill (counted without the debug
 * attributes, whose dropped variable rows leave names behind). The split classes
 * still link under -Xverify:all.
 * Needs libasm-java (scripts/setup.sh installs it). Cost: ~20 s.
 */
import { execFileSync } from "node:child_process";
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, describe, expect, it } from "vitest";
import { corpusJar, jdkTool } from "./support/corpus.js";
import { dispatchLoopSource } from "./support/dispatch-loop.js";
import { compileJava } from "./support/hard-case.js";
import { compileJavaHelper } from "./support/java-helper.js";
import { linkAll } from "./support/jvm.js";
import { splitJar } from "./support/split-jar.js";

const work = mkdtempSync(join(tmpdir(), "megasplit-pool-"));
afterAll(() => rmSync(work, { recursive: true, force: true }));

const ASM = corpusJar("asm");
const source = resolve(dirname(fileURLToPath(import.meta.url)), "java/PoolCount.java");

/**
 * Per class of `jar`: entries the pool holds that nothing refers to, by ASM's count;
 * with `skipDebug`, what the debug attributes alone name counts as unused too.
 */
function unusedEntries(jar: string, skipDebug = false): Map<string, number> {
  const bin = compileJavaHelper(source, [ASM]);
  const out = execFileSync(jdkTool("java"), ["-cp", `${ASM}:${bin}`, "PoolCount", ...(skipDebug ? ["--skip-debug"] : []), jar], { encoding: "utf8", maxBuffer: 1 << 26 });
  const unused = new Map<string, number>();
  for (const line of out.trim().split("\n")) {
    const [name, ours, rebuilt] = line.split(" ");
    unused.set(name!, Number(ours) - Number(rebuilt));
  }
  return unused;
}

describe("the constant pool of a split class", () => {
  const classes = join(work, "classes");
  const src = join(work, "src", "interp", "Main.java");
  mkdirSync(dirname(src), { recursive: true });
  writeFileSync(src, dispatchLoopSource("interp", 335, 2000, 1));
  compileJava([src], classes);
  const originalJar = join(work, "interp.jar");
  execFileSync(jdkTool("jar"), ["cf", originalJar, "-C", classes, "."]);

  for (const link of ["auto", "switch"] as const) {
    it(`holds no unused entry after the dispatch loop's driver fill (8,000 bytes, link ${link})`, async () => {
      expect(unusedEntries(originalJar).get("interp/Main")).toBe(0);
      const split = await splitJar(classes, work, `interp-${link}.jar`, { maxSize: 8000, link });
      expect(split.split).toBe(1);
      expect(unusedEntries(split.path).get("interp/Main")).toBe(0);
      expect((await linkAll(split.path)).failures).toEqual([]);
    });
  }

  it("has no more unused entries than the original, in every class of Rhino split at 1,024 bytes", async () => {
    const rhino = corpusJar("rhino");
    const split = await splitJar(rhino, work, "rhino-1024.jar", { maxSize: 1024, link: "auto" });
    expect(split.split).toBeGreaterThan(30);
    // Without the debug attributes: a split drops the variable-table rows of locals
    // that live in the frame arrays (passes/link/loop-resident.ts), whose names stay
    // in the pool (4 classes of Rhino); every other entry must still be used.
    const before = unusedEntries(rhino, true);
    const after = unusedEntries(split.path, true);
    const grown = [...after].filter(([name, n]) => n > (before.get(name) ?? 0)).map(([name, n]) => `${name}: ${before.get(name) ?? 0} -> ${n}`);
    expect(grown).toEqual([]);
  }, 120_000);
});
