/**
 * The command line on good and bad input: bad classes and hostile zip entries are
 * reported with their stable code and location, the rest of the bundle is still
 * processed, the exit status is non-zero, and no stack trace is ever printed.
 */
import { execFileSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { LINK_MODES } from "../passes/link/modes.js";
import { helpItem } from "../src/cli/help-text.js";
import { runCli } from "./support/cli.js";
import { rawZip } from "./support/raw-zip.js";
import { tinyClassBytes } from "./support/tiny-class.js";

const work = mkdtempSync(join(tmpdir(), "megasplit-cli-"));
afterAll(() => rmSync(work, { recursive: true, force: true }));

const good = tinyClassBytes();
const truncated = good.subarray(0, 40);
const badMagic = Uint8Array.from(good, (b, i) => (i === 0 ? 0 : b));

function brokenJar(): string {
  const path = join(work, "broken.jar");
  writeFileSync(
    path,
    rawZip([
      { name: "META-INF/MANIFEST.MF", data: Buffer.from("Manifest-Version: 1.0\r\n\r\n") },
      { name: "Tiny.class", data: good, method: 8 },
      { name: "cut/Short.class", data: truncated },
      { name: "bad/Magic.class", data: badMagic, method: 8 },
      { name: "../evil.class", data: good },
      { name: "readme.txt", data: Buffer.from("hello") },
    ]),
  );
  return path;
}

function expectNoStackTrace(text: string): void {
  expect(text).not.toMatch(/^\s+at .+\(.*:\d+:\d+\)$/m);
  expect(text).not.toContain("internal error");
}

describe("megasplit CLI", () => {
  const jar = brokenJar();

  it("inspect reports every bad entry with code and location and still inspects the rest", () => {
    const r = runCli(["inspect", jar, "--limit", "0"]);
    expect(r.status).toBe(1);
    expectNoStackTrace(r.stderr);
    expect(r.stderr).toMatch(/E_ZIP_PATH.*\.\.\/evil\.class/);
    expect(r.stderr).toMatch(/E_TRUNCATED.*cut\/Short\.class.*offset \d+/);
    expect(r.stderr).toMatch(/E_BAD_MAGIC.*bad\/Magic\.class/);
    expect(r.stdout).toContain("Tiny.f(I)I");
    expect(r.stdout).toMatch(/1 class, 1 method with code, .*2 unreadable/);
  });

  it("inspect --json is machine-readable and lists sizes", () => {
    const r = runCli(["inspect", jar, "--limit", "0", "--json"]);
    const report = JSON.parse(r.stdout) as { methods: { className: string; method: string; size: number }[]; diagnostics: { code: string }[] };
    expect(report.methods).toEqual([expect.objectContaining({ className: "Tiny", method: "f(I)I", size: 4 })]);
    // Every diagnostic, the zip-level one included.
    expect(report.diagnostics.map((d) => d.code).sort()).toEqual(["E_BAD_MAGIC", "E_TRUNCATED", "E_ZIP_PATH"]);
  });

  it("disasm prints the good class and reports the bad ones", () => {
    const r = runCli(["disasm", jar]);
    expect(r.status).toBe(1);
    expectNoStackTrace(r.stderr);
    expect(r.stdout).toContain(".class public super Tiny");
    expect(r.stdout).toContain("iadd");
    expect(r.stderr).toContain("E_TRUNCATED");
  });

  it("reports a missing input and an unknown class without a stack trace", () => {
    const missing = runCli(["inspect", join(work, "nope.jar")]);
    expect(missing.status).toBe(1);
    expect(missing.stderr).toContain("E_IO");
    expectNoStackTrace(missing.stderr);
    // Asking for a class the input does not have is a usage error (status 2).
    const unknown = runCli(["disasm", jar, "--class", "no.Such"]);
    expect(unknown.status).toBe(2);
    expect(unknown.stderr).toContain("E_USAGE");
  });

  it("asm assembles the good file, reports the bad one with its line, and the output runs", () => {
    const bad = join(work, "Bad.j");
    writeFileSync(bad, ".class public Bad\n.super java/lang/Object\n.method public static f()V\n  frobnicate 3\n.end method\n");
    const out = join(work, "asm-out");
    const r = runCli(["asm", "samples/Hello.j", bad, "-o", out]);
    expect(r.status).toBe(1);
    expectNoStackTrace(r.stderr);
    expect(r.stderr).toMatch(/E_ASM_SYNTAX.*Bad\.j.*line 4/);
    const printed = execFileSync("java", ["-Xverify:all", "-cp", out, "Hello"], { encoding: "utf8" });
    expect(printed.length).toBeGreaterThan(0);
    // The text of what was written disassembles and reassembles to the same bytes.
    const text = runCli(["disasm", join(out, "Hello.class"), "--pool"]);
    expect(text.status).toBe(0);
    const j = join(work, "Hello2.j");
    writeFileSync(j, text.stdout);
    const again = runCli(["asm", j, "-o", join(work, "again.jar")]);
    expect(again.status).toBe(0);
    const listed = execFileSync("unzip", ["-p", join(work, "again.jar"), "Hello.class"]);
    expect(Buffer.compare(listed, readFileSync(join(out, "Hello.class")))).toBe(0);
  });

  it("split --help lists every link mode with what it does, wrapped at 80 columns", () => {
    const r = runCli(["split", "--help"]);
    expect(r.status).toBe(0);
    expect(r.stdout).toContain("\nLink modes (--link):\n");
    const after = r.stdout.slice(r.stdout.indexOf("Link modes (--link):"));
    const escape = (t: string) => t.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
    for (const mode of LINK_MODES) {
      expect(after).toMatch(new RegExp(`^  ${mode.name} +${escape(mode.description.split(" ").slice(0, 3).join(" "))}`, "m"));
      // Every word of the description is there, in order, whatever the wrapping.
      expect(after.replace(/\s+/g, " ")).toContain(` ${mode.name} ${mode.description}`);
    }
    // Each line is a mode's first line or a continuation indented under the descriptions.
    for (const line of after.trimEnd().split("\n").slice(1)) expect(line).toMatch(/^(  [a-z]+ +\S| {10}\S)/);
    for (const line of r.stdout.split("\n")) expect(line.length).toBeLessThanOrEqual(80);
    expect(r.stdout).not.toContain("passes/link");
  });

  it("helpItem wraps under the description and never glues a long term to its first word", () => {
    const text = "one two three four five six seven eight nine ten eleven twelve thirteen fourteen fifteen";
    const item = helpItem("auto", text).split("\n");
    expect(item[0]).toMatch(/^  auto {4}one two/);
    expect(item.length).toBe(2);
    for (const line of item) expect(line.length).toBeLessThanOrEqual(80);
    expect(item[1]).toMatch(/^ {10}\S/);
    expect(item.join(" ").replace(/\s+/g, " ").trim()).toBe(`auto ${text}`);
    expect(helpItem("fallback", "the heap frame")).toBe("  fallback the heap frame");
    expect(helpItem("a-very-long-mode", "x")).toBe("  a-very-long-mode x");
    expect(helpItem("auto", "")).toBe("  auto");
  });
});
