/**
 * The command line's manners, case by case (issue 12): every bad input, every
 * usage error, `-o` naming the input, and a failed write, each with its exit
 * status, its code, its message, and a check that no output file was created or
 * changed. Then what good runs print: the summary, `--json` with diagnostics and
 * refusal payloads, `--strict`, `--in-place` keeping the old mapping, the
 * manifest's Class-Path. Inputs are tiny (one javac run, hand-made zips), so the
 * whole file runs in a few seconds.
 */
import { execFileSync } from "node:child_process";
import { createHash } from "node:crypto";
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { runCli, runCliAsync } from "./support/cli.js";
import { compileJava } from "./support/hard-case.js";
import { rawZip } from "./support/raw-zip.js";
import { tinyClassBytes } from "./support/tiny-class.js";

const work = mkdtempSync(join(tmpdir(), "megasplit-cli-table-"));
afterAll(() => rmSync(work, { recursive: true, force: true }));

/** Every file under `dir` with a hash of its content: what "nothing changed" compares. */
function snapshot(dir: string): Record<string, string> {
  const out: Record<string, string> = {};
  const walk = (d: string, rel: string) => {
    for (const name of readdirSync(d)) {
      const p = join(d, name);
      if (statSync(p).isDirectory()) walk(p, `${rel}${name}/`);
      else out[`${rel}${name}`] = createHash("sha256").update(readFileSync(p)).digest("hex");
    }
  };
  walk(dir, "");
  return out;
}

function expectNoStackTrace(text: string): void {
  expect(text).not.toMatch(/^\s+at .+:\d+:\d+\)?$/m);
  expect(text).not.toContain("internal error");
}

/** Each diagnostic line `error CODE: ...` / `warning CODE: ...` of stderr. */
function diagnosticLines(stderr: string): string[] {
  return stderr.split("\n").filter((l) => /^(error|warning) [EW]_[A-Z_]+: /.test(l));
}

const good = tinyClassBytes();
let dir: string;
let big: string;
let enumDir: string;

beforeAll(() => {
  dir = join(work, "in");
  mkdirSync(dir);
  const src = join(work, "src");
  mkdirSync(src);
  // Big.f is ~2,800 bytes of straight-line code: it splits at 1,024.
  const body = Array.from({ length: 400 }, (_, i) => `    x = x * 31 + ${i};`).join("\n");
  writeFileSync(join(src, "Big.java"), `public class Big {\n  public static int f(int x) {\n${body}\n    return x;\n  }\n}\n`);
  // An enum of 260 constants: <clinit> must keep 260 final-field writes, more than 1,024 bytes at any size.
  const constants = Array.from({ length: 260 }, (_, i) => `C${i}`).join(", ");
  writeFileSync(join(src, "E260.java"), `public enum E260 { ${constants} }\n`);
  const classes = compileJava([join(src, "Big.java"), join(src, "E260.java")], join(work, "classes"));
  big = join(classes, "Big.class");
  enumDir = join(work, "enum");
  mkdirSync(enumDir);
  for (const f of readdirSync(classes)) if (f.startsWith("E260")) writeFileSync(join(enumDir, f), readFileSync(join(classes, f)));

  writeFileSync(join(dir, "text.jar"), "hello, this is not a jar\n");
  writeFileSync(join(dir, "module.wasm"), Uint8Array.from([0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00]));
  writeFileSync(join(dir, "empty.jar"), "");
  const jar = rawZip([
    { name: "META-INF/MANIFEST.MF", data: Buffer.from("Manifest-Version: 1.0\r\n\r\n") },
    { name: "Big.class", data: readFileSync(big), method: 8 },
  ]);
  writeFileSync(join(dir, "good.jar"), jar);
  writeFileSync(join(dir, "corrupt.jar"), jar.subarray(0, 60));
  writeFileSync(join(dir, "Short.class"), good.subarray(0, 40));
  writeFileSync(join(dir, "Magic.class"), Uint8Array.from(good, (b, i) => (i === 0 ? 0 : b)));
  writeFileSync(
    join(dir, "mixed.jar"),
    rawZip([
      { name: "Big.class", data: readFileSync(big), method: 8 },
      { name: "cut/Short.class", data: good.subarray(0, 40) },
      { name: "readme.txt", data: Buffer.from("kept") },
    ]),
  );
  writeFileSync(join(dir, "a-file"), "a file where a directory is expected\n");
  mkdirSync(join(work, "elsewhere"));
}, 60_000);

interface Case {
  name: string;
  args: () => string[];
  status: number;
  code: string;
  message: RegExp;
}

const bad: Case[] = [
  { name: "a text file named .jar", args: () => ["split", join(dir, "text.jar"), "-o", join(dir, "out.jar")], status: 1, code: "E_INPUT_FORMAT", message: /neither a class file nor a jar\/zip archive: it is text \(starts "hello, this is not a jar"\)/ },
  { name: "a WebAssembly module split into a jar", args: () => ["split", join(dir, "module.wasm"), "-o", join(dir, "out.jar")], status: 2, code: "E_USAGE", message: /the input is a WebAssembly module, written back as one module file/ },
  { name: "an empty file", args: () => ["split", join(dir, "empty.jar"), "-o", join(dir, "out.jar")], status: 1, code: "E_INPUT_FORMAT", message: /the file is empty/ },
  { name: "a corrupt jar", args: () => ["split", join(dir, "corrupt.jar"), "-o", join(dir, "out.jar")], status: 1, code: "E_ZIP_CORRUPT", message: /not a readable zip archive/ },
  { name: "a truncated class file", args: () => ["split", join(dir, "Short.class"), "-o", join(dir, "out.class")], status: 1, code: "E_TRUNCATED", message: /ends|truncated|past the end/i },
  { name: "a class file with a bad magic number", args: () => ["split", join(dir, "Magic.class"), "-o", join(dir, "out.class")], status: 1, code: "E_BAD_MAGIC", message: /CAFEBABE|magic/i },
  { name: "a missing input", args: () => ["split", join(dir, "nope.jar"), "-o", join(dir, "out.jar")], status: 1, code: "E_IO", message: /cannot read input/ },
  { name: "inspect of a text file named .jar", args: () => ["inspect", join(dir, "text.jar")], status: 1, code: "E_INPUT_FORMAT", message: /it is text/ },
  { name: "--max-size out of range", args: () => ["split", join(dir, "good.jar"), "-o", join(dir, "out.jar"), "--max-size", "70000"], status: 2, code: "E_USAGE", message: /--max-size must be an integer from 64 to 65535/ },
  { name: "--max-size not a number", args: () => ["split", join(dir, "good.jar"), "-o", join(dir, "out.jar"), "--max-size", "8k"], status: 2, code: "E_USAGE", message: /--max-size must be an integer/ },
  { name: "--link unknown", args: () => ["split", join(dir, "good.jar"), "-o", join(dir, "out.jar"), "--link", "foo"], status: 2, code: "E_USAGE", message: /'foo' is invalid\. Allowed choices are auto, direct, switch, indy/ },
  { name: "-o missing", args: () => ["split", join(dir, "good.jar")], status: 2, code: "E_USAGE", message: /required option '-o, --output <path>' not specified/ },
  { name: "input missing", args: () => ["split", "-o", join(dir, "out.jar")], status: 2, code: "E_USAGE", message: /missing required argument 'input'/ },
  { name: "an unknown option", args: () => ["split", join(dir, "good.jar"), "-o", join(dir, "out.jar"), "--fast"], status: 2, code: "E_USAGE", message: /unknown option '--fast'/ },
  { name: "an unknown command", args: () => ["splat", join(dir, "good.jar")], status: 2, code: "E_USAGE", message: /unknown command 'splat'/ },
  { name: "--limit negative", args: () => ["inspect", join(dir, "good.jar"), "--limit", "-1"], status: 2, code: "E_USAGE", message: /--limit|unknown option/ },
  { name: "-o naming the input", args: () => ["split", join(dir, "good.jar"), "-o", join(dir, "good.jar")], status: 2, code: "E_USAGE", message: /-o .*good\.jar names the input; write elsewhere, or give --in-place/ },
  { name: "-o naming the input by another path", args: () => ["split", join(dir, "good.jar"), "-o", `${dir}/../in/./good.jar`], status: 2, code: "E_USAGE", message: /names the input/ },
  { name: "--mapping naming the input", args: () => ["split", join(dir, "good.jar"), "-o", join(dir, "out.jar"), "--mapping", join(dir, "good.jar")], status: 2, code: "E_USAGE", message: /--mapping .* names the input/ },
  { name: "--mapping naming the output", args: () => ["split", join(dir, "good.jar"), "-o", join(dir, "out.jar"), "--mapping", join(dir, "out.jar")], status: 2, code: "E_USAGE", message: /the mapping would overwrite the output/ },
  { name: "-o inside the input directory", args: () => ["split", dir, "-o", join(dir, "sub")], status: 2, code: "E_USAGE", message: /names the input directory/ },
  { name: "a write under a regular file", args: () => ["split", join(dir, "good.jar"), "-o", join(dir, "a-file", "out.jar")], status: 1, code: "E_IO", message: /cannot write the mapping: (ENOTDIR|EEXIST)/ },
  { name: "a write under a regular file, mapping elsewhere", args: () => ["split", join(dir, "good.jar"), "-o", join(dir, "a-file", "out.jar"), "--mapping", join(work, "elsewhere", "out.mapping")], status: 1, code: "E_IO", message: /cannot write jar: (ENOTDIR|EEXIST)/ },
];

// One case at a time: each checks that the input directory is as it was, which a
// neighbour's transient staging file would break if they ran side by side.
describe("bad input and usage errors: status, code, message, nothing written", () => {
  for (const c of bad) {
    it(c.name, async () => {
      const before = snapshot(dir);
      const r = await runCliAsync(c.args());
      expect(r.status, r.stderr).toBe(c.status);
      expectNoStackTrace(r.stderr);
      const lines = diagnosticLines(r.stderr);
      // One diagnostic, reported once, with its code and message; never the whole help.
      expect(lines, r.stderr).toHaveLength(1);
      expect(lines[0]).toMatch(new RegExp(`^error ${c.code}: `));
      expect(lines[0]).toMatch(c.message);
      expect(r.stderr).not.toContain("Usage:");
      expect(r.stdout).toBe("");
      expect(snapshot(dir)).toEqual(before);
      expect(readdirSync(join(work, "elsewhere"))).toEqual([]);
    });
  }
});

describe("good runs", () => {
  it("a jar with a truncated class: the rest is split and written, the bad class reported once and left out", () => {
    const out = join(work, "mixed-out.jar");
    const r = runCli(["split", join(dir, "mixed.jar"), "-o", out, "--max-size", "1024"]);
    expect(r.status, r.stderr).toBe(1);
    const lines = diagnosticLines(r.stderr);
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(/^error E_TRUNCATED: .*\[.*mixed\.jar, cut\/Short\.class/);
    const listed = execFileSync("unzip", ["-Z1", out], { encoding: "utf8" }).trim().split("\n");
    expect(listed).toEqual(["Big.class", "readme.txt"]);
    expect(r.stdout).toMatch(/^1 method split into \d+ pieces, none refused; class bytes /m);
  });

  it("prints one summary with pieces, refusals by code, bytes and time; --verbose adds a line per method", () => {
    const out = join(work, "big-out.class");
    const r = runCli(["split", big, "-o", out, "--max-size", "1024"]);
    expect(r.status, r.stderr).toBe(0);
    expect(r.stderr).toBe("");
    expect(r.stdout).toMatch(/^1 method split into (\d+) pieces, none refused; class bytes [\d,]+ bytes -> [\d,]+ bytes \(\+\d+\.\d%\); \d+\.\d s\nwrote .*big-out\.class and .*big-out\.class\.mapping\n$/);
    const v = runCli(["split", big, "-o", out, "--max-size", "1024", "--verbose"]);
    expect(v.stdout).toMatch(/^split Big\.f\(I\)I: \d+ bytes -> driver \d+ \+ \d+ pieces/m);
    const q = runCli(["split", big, "-o", out, "--max-size", "1024", "--quiet"]);
    expect(q.status).toBe(0);
    expect(q.stdout + q.stderr).toBe("");
  });

  it("a refusal is a warning with its own code; --strict makes it exit status 4; --json carries it with its payload", () => {
    const out = join(work, "enum-out");
    const r = runCli(["split", enumDir, "-o", out, "--max-size", "1024"]);
    expect(r.status, r.stderr).toBe(0);
    const lines = diagnosticLines(r.stderr);
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(/^warning W_REFUSED_FINAL_FIELDS: left unchanged \(\d+ bytes\): .*\[.*E260\.class, class E260, method <clinit>\(\)V\]$/);
    // $values() is split; <clinit> is refused.
    expect(r.stdout).toMatch(/^1 method split into \d+ pieces, 1 refusal \(1 W_REFUSED_FINAL_FIELDS\); /);
    const strict = runCli(["split", enumDir, "-o", out, "--max-size", "1024", "--strict"]);
    expect(strict.status).toBe(4);
    expect(strict.stderr).toContain("1 method refused (--strict)");
    const json = runCli(["split", enumDir, "-o", out, "--max-size", "1024", "--json"]);
    const report = JSON.parse(json.stdout) as {
      methods: { status: string; code?: string; reason?: string }[];
      summary: { refusedByCode: Record<string, number> };
      diagnostics: { code: string; severity: string; location: { className?: string } }[];
    };
    expect(report.methods.filter((m) => m.status === "refused")).toEqual([
      expect.objectContaining({ code: "W_REFUSED_FINAL_FIELDS", detail: { writes: 261, fields: 261, fewestBytesPerWrite: 6, bound: 1567, limit: 1024 } }),
    ]);
    expect(report.summary.refusedByCode).toEqual({ W_REFUSED_FINAL_FIELDS: 1 });
    expect(report.diagnostics).toEqual([expect.objectContaining({ code: "W_REFUSED_FINAL_FIELDS", severity: "warning", location: expect.objectContaining({ className: "E260" }) })]);
  });

  it("--json carries input errors too", () => {
    const r = runCli(["split", join(dir, "mixed.jar"), "-o", join(work, "mixed-json.jar"), "--json"]);
    const report = JSON.parse(r.stdout) as { diagnostics: { code: string }[]; unreadable: string[] };
    expect(report.diagnostics.map((d) => d.code)).toEqual(["E_TRUNCATED"]);
    expect(report.unreadable).toEqual(["cut/Short.class"]);
  });

  it("--in-place replaces the input and keeps the earlier mapping", () => {
    const jar = join(work, "inplace.jar");
    writeFileSync(jar, readFileSync(join(dir, "good.jar")));
    const first = runCli(["split", join(dir, "good.jar"), "-o", jar, "--max-size", "4000"]);
    expect(first.status, first.stderr).toBe(0);
    // Nothing over 4,000 bytes: the first mapping is empty of splits.
    const emptyMapping = readFileSync(`${jar}.mapping`, "utf8");
    const second = runCli(["split", jar, "-o", jar, "--in-place", "--max-size", "1024"]);
    expect(second.status, second.stderr).toBe(0);
    expect(readFileSync(`${jar}.mapping.1`, "utf8")).toBe(emptyMapping);
    const mapping = readFileSync(`${jar}.mapping`, "utf8");
    expect(mapping).toContain("Big -> Big:");
    // A third run finds nothing more to split: the mapping that explains the jar stays.
    const third = runCli(["split", jar, "-o", jar, "--in-place", "--max-size", "1024"]);
    expect(third.status, third.stderr).toBe(0);
    expect(third.stdout).toMatch(/the mapping .* was kept: nothing new to map/);
    expect(readFileSync(`${jar}.mapping`, "utf8")).toBe(mapping);
    expect(existsSync(`${jar}.mapping.2`)).toBe(false);
  });

  it("the jar's manifest Class-Path joins the classpath, with a note in verbose output", () => {
    const sub = join(work, "cp");
    mkdirSync(sub, { recursive: true });
    writeFileSync(join(sub, "dep.jar"), rawZip([{ name: "Tiny.class", data: good }]));
    const jar = join(sub, "app.jar");
    writeFileSync(
      jar,
      rawZip([
        { name: "META-INF/MANIFEST.MF", data: Buffer.from("Manifest-Version: 1.0\r\nClass-Path: dep.jar lib/missing\r\n .jar\r\n\r\n") },
        { name: "Big.class", data: readFileSync(big) },
      ]),
    );
    const r = runCli(["split", jar, "-o", join(work, "app-out.jar"), "--max-size", "1024", "--verbose"]);
    expect(r.status, r.stderr).toBe(0);
    expect(r.stderr).toContain(`note: classpath: ${join(sub, "dep.jar")} (from the manifest's Class-Path)`);
    expect(r.stderr).toContain(`note: classpath: ${join(sub, "lib", "missing.jar")} named by the manifest's Class-Path does not exist; not used`);
  });

  it("inspect reports an unreadable input and still inspects the others", () => {
    const r = runCli(["inspect", join(dir, "text.jar"), join(dir, "good.jar"), "--limit", "100"]);
    expect(r.status).toBe(1);
    expect(diagnosticLines(r.stderr)).toEqual([expect.stringMatching(/^error E_INPUT_FORMAT: .*text\.jar\]$/)]);
    expect(r.stdout).toMatch(/good\.jar: 1 class, 2 methods with code,/);
    const json = JSON.parse(runCli(["inspect", join(dir, "text.jar"), join(dir, "good.jar"), "--json"]).stdout) as { diagnostics: { code: string }[] };
    expect(json.diagnostics.map((d) => d.code)).toEqual(["E_INPUT_FORMAT"]);
  });

  it("inspect has a header line and singular words; disasm --method prints only matching classes and methods", () => {
    const r = runCli(["inspect", join(dir, "good.jar"), "--limit", "100"]);
    expect(r.stdout.split("\n").slice(0, 3)).toEqual(["1 method over 100 bytes", "size  version  method", expect.stringMatching(/^\d+  v61      Big\.f\(I\)I$/)]);
    expect(r.stdout).toMatch(/good\.jar: 1 class, 2 methods with code,/);
    const both = join(work, "both.jar");
    writeFileSync(both, rawZip([{ name: "Tiny.class", data: good }, { name: "Big.class", data: readFileSync(big) }]));
    const d = runCli(["disasm", both, "--method", "f"]);
    expect(d.status, d.stderr).toBe(0);
    expect(d.stdout.match(/^\.class /gm)).toHaveLength(2); // Tiny.f and Big.f
    const only = runCli(["disasm", both, "--method", "<init>"]);
    expect(only.stdout.match(/^\.method /gm)).toHaveLength(1); // only Big has a constructor
    expect(only.stdout).not.toContain("Tiny");
    const none = runCli(["disasm", both, "--method", "nothing"]);
    expect(none.status).toBe(2);
    expect(none.stderr).toMatch(/^error E_USAGE: no method nothing in /m);
  });
});
