/**
 * A real program behaves the same after splitting: Rhino's jar split at the stress
 * limit of 1,024 bytes, in each link mode (the internal verifier checking every
 * body written), links under -Xverify:all, and Rhino in
 * interpreted (-opt -1) and compiled (-opt 9) mode running the esprima parser over
 * esprima's own source (138 KB) prints a byte-identical AST. Splitting twice gives
 * identical bytes.
 */
import { execFileSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { corpusClasspath, corpusJar } from "./support/corpus.js";
import { linkAll } from "./support/jvm.js";
import { refusalLines, splitJar, type SplitJarResult } from "./support/split-jar.js";

const work = mkdtempSync(join(tmpdir(), "megasplit-rhino-"));
afterAll(() => rmSync(work, { recursive: true, force: true }));

const ESPRIMA = "/usr/share/javascript/esprima/esprima.js";
const PARSER = join(__dirname, "js", "parse-with-esprima.js");

function runEsprima(jar: string, opt: number): string {
  return execFileSync("java", ["-Xss8m", "-cp", jar, "org.mozilla.javascript.tools.shell.Main", "-opt", String(opt), PARSER, ESPRIMA, ESPRIMA], {
    encoding: "utf8",
    maxBuffer: 1 << 30,
  });
}

describe("Rhino split at 1024 bytes", () => {
  const expected = new Map<number, string>();
  beforeAll(() => {
    for (const opt of [-1, 9]) expected.set(opt, runEsprima(corpusJar("rhino"), opt));
  });

  for (const link of ["switch", "direct", "indy"] as const) {
    describe(`link ${link}`, () => {
      let split: SplitJarResult;
      beforeAll(async () => {
        split = await splitJar(corpusJar("rhino"), work, `rhino-${link}.jar`, { maxSize: 1024, link, classpath: corpusClasspath("rhino") });
        console.log(`rhino ${link}: ${split.split} methods split into ${split.pieces} pieces, ${split.refused} refused`, refusalLines(split));
      });

      it("splits every one of the 36 methods over the limit, and every class links", async () => {
        expect(refusalLines(split)).toEqual([]);
        expect(split.split).toBe(36);
        const linked = await linkAll(split.path, { classpath: corpusClasspath("rhino") });
        expect(linked.failures).toEqual([]);
        expect(linked.linked).toBe(549);
      });

      for (const opt of [-1, 9]) {
        it(`runs esprima over a 138 KB script with -opt ${opt} and prints the identical AST`, () => {
          const actual = runEsprima(split.path, opt);
          expect(actual.length).toBeGreaterThan(1_000_000);
          expect(actual === expected.get(opt)).toBe(true);
        });
      }
    });
  }

  it("gives identical bytes when splitting twice", async () => {
    const a = await splitJar(corpusJar("rhino"), work, "a.jar", { maxSize: 1024, link: "auto" });
    const b = await splitJar(corpusJar("rhino"), work, "b.jar", { maxSize: 1024, link: "auto" });
    expect(Buffer.compare(readFileSync(a.path), readFileSync(b.path))).toBe(0);
    expect(a.result.mapping.toString()).toBe(b.result.mapping.toString());
  });
});
