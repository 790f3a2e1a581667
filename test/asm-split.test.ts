/**
 * `megasplit asm` as compilers use it: real Jasmin (the examples of Debian's
 * jasmin-sable, the reference assembler, and Sable/Soot-style generated code)
 * assembles to the same instructions as jasmin-sable's (javap -c, constant-pool
 * indices aside), and a 170 KB Jasmin method is split as it is assembled: the
 * classes pass the verifier (-Xverify:all) and print the value computed in
 * TypeScript, which jasmin-sable's own classes print for the same program at a
 * size it can write; the mapping is written next to the output. `--no-split`
 * keeps the old behaviour: E_CODE_TOO_LARGE, nothing written.
 * Needs jasmin-sable (scripts/setup.sh installs it). Cost: ~15 s (two javap runs,
 * a 170 KB split, five JVM starts).
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { execFileSync } from "node:child_process";
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, relative } from "node:path";
import { runCli } from "./support/cli.js";
import { jdkTool } from "./support/corpus.js";
import { runJava } from "./support/hard-case.js";
import { linkAll } from "./support/jvm.js";
import { expectedOutput, jasminClass } from "./support/jasmin-method.js";

const EXAMPLES = "/usr/share/doc/jasmin-sable/examples";
const JASMIN = "/usr/bin/jasmin";

let work: string;
beforeAll(() => {
  work = mkdtempSync(join(tmpdir(), "megasplit-asm-"));
});
afterAll(() => {
  if (work) rmSync(work, { recursive: true, force: true });
});

/** jasmin-sable assembling `files` into `out`. */
function sableJasmin(out: string, files: string[]): void {
  expect(existsSync(JASMIN), "jasmin-sable is missing: run `npm run setup`").toBe(true);
  // It exits 0 even when a file has errors: what it wrote is what counts.
  execFileSync(JASMIN, ["-d", out, ...files], { stdio: "pipe" });
}

function classFiles(dir: string): string[] {
  const out: string[] = [];
  const walk = (d: string): void => {
    for (const e of readdirSync(d, { withFileTypes: true })) {
      if (e.isDirectory()) walk(join(d, e.name));
      else if (e.name.endsWith(".class")) out.push(relative(dir, join(d, e.name)));
    }
  };
  walk(dir);
  return out.sort();
}

/** javap -c of every class, constant-pool indices removed (the two pools are ordered differently). */
function instructions(dir: string, files: string[]): string {
  const text = execFileSync(jdkTool("javap"), ["-c", "-p", "-s", "-constants", ...files.map((f) => join(dir, f))], { encoding: "utf8", maxBuffer: 1 << 26 });
  return text
    .split("\n")
    .filter((l) => !l.startsWith("Classfile ") && !l.startsWith("Compiled from"))
    .map((l) => l.replace(/#\d+(\.#\d+)?/g, "").replace(/ +/g, " "))
    .join("\n");
}

describe("asm accepts real Jasmin", () => {
  it("assembles every jasmin-sable example to the instructions jasmin-sable writes", () => {
    expect(existsSync(EXAMPLES), "jasmin-sable's examples are missing: run `npm run setup`").toBe(true);
    const sources = readdirSync(EXAMPLES).filter((f) => f.endsWith(".j")).map((f) => join(EXAMPLES, f));
    expect(sources.length).toBeGreaterThanOrEqual(15);
    const theirs = join(work, "sable-examples");
    const ours = join(work, "our-examples");
    sableJasmin(theirs, sources);
    const r = runCli(["asm", ...sources, "-o", ours]);
    expect(r.stderr).toBe("");
    expect(r.status).toBe(0);
    // jasmin-sable rejects HelloWeb.j's quoted field name (`.field private "font" ...`),
    // which the original Jasmin accepts, and so does asm.
    const files = classFiles(theirs);
    expect(classFiles(ours)).toEqual([...files, "HelloWeb.class"].sort());
    expect(instructions(ours, files)).toBe(instructions(theirs, files));
  });

  it("runs a small generated program as jasmin-sable's classes do, with the value computed here", () => {
    const source = join(work, "Small.j");
    writeFileSync(source, jasminClass("JSmall", 200));
    const theirs = join(work, "sable-small");
    sableJasmin(theirs, [source]);
    const ours = join(work, "our-small");
    expect(runCli(["asm", source, "-o", ours]).status).toBe(0);
    const expected = expectedOutput(200);
    expect(runJava(theirs, "JSmall").stdout).toBe(expected);
    expect(runJava(ours, "JSmall", { jvm: ["-Xverify:all"] }).stdout).toBe(expected);
  });
});

describe("asm splits on the way", () => {
  const UNITS = 5_700;

  it("splits a 170 KB Jasmin method; the classes verify and print the expected value; the mapping is next to the output", async () => {
    const source = join(work, "Big.j");
    writeFileSync(source, jasminClass("JBig", UNITS));
    const out = join(work, "big");
    const r = runCli(["asm", source, "-o", out]);
    expect(r.stderr).toBe("");
    expect(r.status).toBe(0);
    const m = /^split JBig\.main\(\[Ljava\/lang\/String;\)V: (\d+) bytes -> driver (\d+) \+ (\d+) pieces \(largest (\d+)\)$/m.exec(r.stdout);
    expect(m, r.stdout).not.toBeNull();
    expect(Number(m![1])).toBeGreaterThan(170_000);
    expect(Number(m![4])).toBeLessThanOrEqual(8000);
    expect(readFileSync(`${out}.mapping`, "utf8")).toContain(`1:${UNITS}:void main(java.lang.String[]):1:${UNITS} -> main`);
    const linked = await linkAll(out);
    expect(linked.failures).toEqual([]);
    expect(linked.linked).toBe(1);
    const run = runJava(out, "JBig", { jvm: ["-Xverify:all"] });
    expect(run.stderr).toBe("");
    expect(run.stdout).toBe(expectedOutput(UNITS));
  });

  it("honours --max-size, and --no-split refuses the method as before and writes nothing", () => {
    const source = join(work, "Mid.j");
    writeFileSync(source, jasminClass("JMid", 600)); // about 18 KB
    const at = join(work, "mid-20000");
    const whole = runCli(["asm", source, "-o", at, "--max-size", "20000"]);
    expect(whole.status).toBe(0);
    expect(whole.stdout).toBe("");
    expect(existsSync(`${at}.mapping`)).toBe(false);
    const cut = runCli(["asm", source, "-o", join(work, "mid-4000"), "--max-size", "4000"]);
    expect(cut.stdout).toMatch(/largest [1-3]?\d{1,3}\)$/m);
    const big = join(work, "Big2.j");
    writeFileSync(big, jasminClass("JBig2", UNITS));
    const out = join(work, "nosplit");
    const r = runCli(["asm", big, "-o", out, "--no-split"]);
    expect(r.status).not.toBe(0);
    expect(r.stderr).toContain("E_CODE_TOO_LARGE");
    expect(existsSync(out)).toBe(false);
  });
});
