/**
 * Exactness end to end (issue 5): a split program's stack traces, retraced with
 * the mapping the split wrote, are the original program's traces line for line.
 * A generated Java program (test/retrace-exact/program.ts) throws from inside
 * split methods — the first piece, a middle piece, a piece reached through the
 * driver's trampoline, a catch stub (caught in one piece, handled and printed in
 * another, wrapped and rethrown), a constructor's split body, a <clinit> piece
 * (ExceptionInInitializerError and the NoClassDefFoundError after it), causes
 * (`Caused by:` with `... N more`) and suppressed exceptions (try-with-resources)
 * — and prints every trace with printStackTrace; the last one is uncaught and goes
 * to stderr. It runs on the JVM unsplit and split (`splitJar`) in each link mode at
 * two limits (512 bytes: pieces behind dispatcher methods; 1024: the driver calls
 * pieces itself); each scenario's section of the split run, retraced by the library
 * (`retraceText`) and by `megasplit retrace`, must equal the unsplit section, and
 * the LineNumberTables must show the throw sites really are in pieces. Real code:
 * Rhino split at 1,024 bytes, a harness (test/retrace-exact/RhinoTrace.java) makes
 * Rhino's lexer, regexp compiler, IR factory and built-ins throw from split
 * methods, and the retraced trace equals unsplit Rhino's.
 */
import { spawnSync } from "node:child_process";
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { codeOf } from "../src/classfile/model.js";
import { loadMappings, MappingIndex, readMapping, retraceText } from "../runtime/retrace/index.js";
import { runCli } from "./support/cli.js";
import { corpusJar, jdkTool } from "./support/corpus.js";
import { compileJava, runJava, type RunResult } from "./support/hard-case.js";
import { classIn, methodsAtLine, splitJar, type SplitJarResult } from "./support/split-jar.js";
import { markerLines, retraceProgram } from "./retrace-exact/program.js";

const here = dirname(fileURLToPath(import.meta.url));
const work = mkdtempSync(join(tmpdir(), "megasplit-retrace-exact-"));
afterAll(() => rmSync(work, { recursive: true, force: true }));

type Link = "switch" | "direct" | "auto" | "indy";

/** Per limit: where the "first" throw point goes (see retraceProgram) and the link modes split at it. */
const LIMITS: { maxSize: number; firstAfter: number; links: Link[] }[] = [
  { maxSize: 512, firstAfter: 20, links: ["switch", "direct", "auto", "indy"] },
  { maxSize: 1024, firstAfter: 75, links: ["switch", "direct"] },
];

/** Scenario name (the program's `== name` header) and the marker of its throw site. */
const SCENARIOS: { name: string; marker?: string; method: string }[] = [
  { name: "first", marker: "first", method: "work" },
  { name: "middle", marker: "middle", method: "work" },
  { name: "loop", marker: "loop", method: "work" },
  { name: "last", marker: "last", method: "work" },
  { name: "no throw", method: "work" },
  { name: "catch stub, explicit throw", marker: "catch-throw", method: "caught" },
  { name: "catch stub, thrown two calls deep", marker: "catch-call", method: "caught" },
  { name: "cause", marker: "cause-wrap", method: "cause" },
  { name: "nested causes", marker: "nested-outer", method: "nested" },
  { name: "suppressed", marker: "twr-body", method: "suppressed" },
  { name: "suppressed, body completes", method: "suppressed" },
  { name: "constructor early", marker: "ctor-early", method: "init" },
  { name: "constructor late", marker: "ctor-late", method: "init" },
  { name: "clinit", marker: "clinit", method: "clinit" },
  { name: "clinit again", method: "clinit" },
];

/** The program's output cut at its `== name` headers. */
function sections(text: string): Map<string, string> {
  const out = new Map<string, string>();
  let name = "";
  for (const line of text.split("\n")) {
    const m = /^== (.*)$/.exec(line);
    if (m) name = m[1]!;
    out.set(name, (out.get(name) ?? "") + line + "\n");
  }
  return out;
}


/** Smallest source line each method of `className` carries. */
function firstLines(split: SplitJarResult, className: string): Map<string, number> {
  const cf = classIn(split, className);
  const out = new Map<string, number>();
  for (const m of cf.methods) {
    const lines = codeOf(m)?.attributes.flatMap((a) => (a.kind === "LineNumberTable" ? a.entries.map((e) => e.line) : [])) ?? [];
    if (lines.length > 0) out.set(cf.constantPool.utf8(m.nameIndex), Math.min(...lines));
  }
  return out;
}

const classOf = (method: string) => (method === "init" ? "rx/Big" : method === "clinit" ? "rx/Init" : "rx/Main");
const isPiece = (name: string) => /\$split\$\d+$/.test(name);

/** The frame lines of the first trace of a section. */
function firstTraceFrames(section: string): string[] {
  const lines = section.split("\n");
  const start = lines.findIndex((l) => /^\S+(Exception|Error)/.test(l));
  const out: string[] = [];
  for (let i = start + 1; i < lines.length && /^\tat /.test(lines[i]!); i++) out.push(lines[i]!);
  return out;
}

for (const { maxSize, firstAfter, links } of LIMITS) describe(`retrace exactness: a generated program throwing from methods split at ${maxSize} bytes`, () => {
  const source = retraceProgram(firstAfter);
  const markers = markerLines(source);
  const classes = join(work, `classes-${maxSize}`);
  let expected: RunResult;
  let expectedSections: Map<string, string>;

  beforeAll(() => {
    const src = join(work, `src-${maxSize}`, "rx", "Main.java");
    mkdirSync(dirname(src), { recursive: true });
    writeFileSync(src, source);
    compileJava([src], classes);
    expected = runJava(classes, "rx.Main");
    expectedSections = sections(expected.stdout);
    // The last scenario is uncaught: the default handler prints it to stderr.
    expect(expected.status).toBe(1);
    expect(expected.stderr).toMatch(/^Exception in thread "main" java\.lang\.IllegalStateException: middle /);
    expect([...expectedSections.keys()].filter((k) => k !== "")).toEqual(SCENARIOS.map((s) => s.name));
  });

  it("the original traces show what each scenario is about", () => {
    const s = (name: string) => expectedSections.get(name)!;
    expect(s("nested causes")).toMatch(/Caused by: .*\n(\tat .*\n)+\t\.\.\. \d+ more\nCaused by: .*\n(\tat .*\n)+\t\.\.\. \d+ more\n/);
    expect(s("suppressed")).toMatch(/\tSuppressed: java\.lang\.IllegalArgumentException: close b\n\t\tat rx\.Res\.close.*\n\t\tat .*\n\t\t\.\.\. \d+ more\n/);
    expect(s("clinit")).toMatch(/^java\.lang\.ExceptionInInitializerError\n(.*\n)*Caused by: java\.lang\.IllegalStateException: clinit .*\n\tat rx\.Init\.<clinit>/m);
    expect(s("clinit again")).toContain("java.lang.NoClassDefFoundError: Could not initialize class rx.Init");
    expect(s("catch stub, explicit throw")).toMatch(/handled .*\njava\.lang\.IllegalArgumentException: inner (.*\n)+java\.lang\.IllegalStateException: wrapped (.*\n)+Caused by: java\.lang\.IllegalArgumentException: inner /);
    expect(s("no throw")).toMatch(/^== no throw\n-?\d+\nno exception\n$/);
  });

  for (const link of links) {
    describe(`link ${link}`, () => {
      let split: SplitJarResult;
      let actual: RunResult;
      let raw: Map<string, string>;
      let library: Map<string, string>;
      let cli: Map<string, string>;
      let cliStderr: string;

      beforeAll(async () => {
        split = await splitJar(classes, work, `rx-${link}-${maxSize}.jar`, { maxSize, link });
        expect(split.result.diagnostics).toEqual([]);
        const mappingText = split.result.mapping.toString();
        const mappingPath = join(work, `rx-${link}-${maxSize}.mapping`);
        writeFileSync(mappingPath, mappingText);
        actual = runJava(split.path, "rx.Main");
        const index = new MappingIndex([readMapping(mappingText).mapping]);
        raw = sections(actual.stdout);
        library = sections(retraceText(index, actual.stdout));
        const outFile = join(work, `rx-${link}-${maxSize}.out`);
        const errFile = join(work, `rx-${link}-${maxSize}.err`);
        writeFileSync(outFile, actual.stdout);
        writeFileSync(errFile, actual.stderr);
        const rOut = runCli(["retrace", mappingPath, outFile]);
        expect(rOut.stderr).toBe("");
        expect(rOut.status).toBe(0);
        cli = sections(rOut.stdout);
        const rErr = runCli(["retrace", mappingPath, errFile]);
        expect(rErr.status).toBe(0);
        cliStderr = rErr.stdout;
      });

      it("splits every big method, and every throw site is in a piece, never in the driver", () => {
        const names = split.result.reports.filter((r) => r.result.kind === "split").map((r) => `${r.className}.${r.method}`);
        expect(names.sort()).toEqual(["rx/Big.<init>(I)V", "rx/Init.<clinit>()V", "rx/Main.caught(I)I", "rx/Main.cause(I)I", "rx/Main.nested(I)I", "rx/Main.suppressed(I)I", "rx/Main.work(I)I"]);
        for (const [marker, line] of markers) {
          // Res.close and Main.deeper are small methods that are not split.
          if (marker === "close" || marker === "deep") continue;
          const cls = marker.startsWith("ctor") ? "rx/Big" : marker === "clinit" ? "rx/Init" : "rx/Main";
          const at = methodsAtLine(split, cls, line);
          expect(at.length, `@${marker} (line ${line})`).toBeGreaterThan(0);
          expect(at.filter((m) => !isPiece(m)), `@${marker} (line ${line}) is in ${at.join(", ")}`).toEqual([]);
        }
        // "first" throws from work's first piece: the one holding the method's earliest moved line.
        const first = [...firstLines(split, "rx/Main")].filter(([m]) => /^work\$split\$/.test(m)).sort((a, b) => a[1] - b[1])[0]![0];
        expect(methodsAtLine(split, "rx/Main", markers.get("first")!)).toEqual([first]);
        // Catch stubs: the handler (printing and wrapping) is in another piece than the throws it catches.
        const handler = methodsAtLine(split, "rx/Main", markers.get("catch-print")!);
        for (const m of ["catch-throw", "catch-call"]) expect(methodsAtLine(split, "rx/Main", markers.get(m)!).filter((p) => handler.includes(p))).toEqual([]);
      });

      it("the split run prints the same transcript apart from the frames", () => {
        expect(actual.status).toBe(expected.status);
        expect([...raw.keys()]).toEqual([...expectedSections.keys()]);
        const strip = (t: string) => t.split("\n").filter((l) => !/^\s*(at |\.\.\. \d+ more)/.test(l)).join("\n");
        expect(strip(actual.stdout)).toBe(strip(expected.stdout));
      });

      for (const sc of SCENARIOS) {
        it(`${sc.name}: the retraced trace is the original trace (library and CLI)`, () => {
          const want = expectedSections.get(sc.name)!;
          const got = raw.get(sc.name)!;
          if (sc.marker) {
            // The split trace really shows piece frames of the method, so the retrace has work to do.
            const prefix = `${classOf(sc.method).replace("/", ".")}.${sc.method}$split$`;
            expect(got).toContain(prefix);
            expect(got).not.toBe(want);
          }
          expect(library.get(sc.name)).toBe(want);
          expect(cli.get(sc.name)).toBe(want);
        });
      }

      it("the shape of the split traces: trampoline and direct chains", () => {
        const frames = (name: string) => firstTraceFrames(raw.get(name)!);
        const callerOfPiece = (name: string) => {
          const f = frames(name);
          const i = f.findIndex((l) => /\$split\$\d+\(/.test(l));
          expect(i, name).toBeGreaterThanOrEqual(0);
          return f[i + 1]!;
        };
        const trampoline = /\tat rx\.Main\.work(\$dispatch\$\d+)?\(/;
        // A loop spanning pieces: its back edge goes through the driver's dispatch loop in every mode.
        expect(callerOfPiece("loop")).toMatch(trampoline);
        if (link === "switch") {
          for (const name of ["first", "middle", "loop", "last"]) expect(callerOfPiece(name), name).toMatch(trampoline);
        } else {
          // direct, auto, indy: the middle piece is reached by a chain of tail calls from the first one.
          expect(callerOfPiece("middle")).toMatch(/\tat rx\.Main\.work\$split\$\d+\(Main\.java:\d+\)/);
        }
        // Both ways into a piece are exercised: through a dispatcher method, and from the driver itself.
        expect(raw.get("middle")).toMatch(/\tat rx\.Main\.work\$dispatch\$\d+\(/);
        if (maxSize === 1024) expect(actual.stdout).toMatch(/\tat rx\.Main\.(\w+)\$split\$\d+\(.*\)\n\tat rx\.Main\.\1\(/);
      });

      it("the uncaught exception on stderr retraces to the original (CLI)", () => {
        expect(actual.stderr).toMatch(/\$split\$/);
        expect(cliStderr).toBe(expected.stderr);
      });
    });
  }
});

const RHINO = corpusJar("rhino");

describe("retrace exactness: Rhino split at 1024 bytes", () => {
  const harness = join(work, "rhino-harness");
  let expected: string;
  beforeAll(() => {
    mkdirSync(harness, { recursive: true });
    const r = spawnSync(jdkTool("javac"), ["--release", "17", "-cp", RHINO, "-d", harness, join(here, "retrace-exact", "RhinoTrace.java")], { encoding: "utf8" });
    expect(r.status, r.stderr).toBe(0);
    expected = runJava(`${RHINO}:${harness}`, "RhinoTrace").stdout;
    expect(expected).toContain("org.mozilla.javascript.EvaluatorException: unterminated string literal");
  });

  for (const link of ["switch", "direct"] as const) {
    it(`link ${link}: errors raised inside split lexer, regexp, IR and built-in methods retrace to unsplit Rhino's traces`, () => {
      const out = join(work, `rhino-${link}.jar`);
      const split = runCli(["split", RHINO, "-o", out, "--max-size", "1024", "--link", link, "--verbose"]);
      expect(split.status, split.stderr).toBe(0);
      // The report line of every method says how its values travel: with switch through
      // the heap frame (forward-only methods too), with direct as parameters where no
      // transfer repeats.
      const lines = split.stdout.split("\n").filter((l) => l.startsWith("split "));
      expect(lines.length).toBe(36);
      for (const l of lines) expect(l).toMatch(/, values as (parameters|heap frame)( and (parameters|heap frame))?$/);
      expect(lines.some((l) => l.endsWith("values as heap frame"))).toBe(true);
      expect(lines.some((l) => l.endsWith("values as parameters"))).toBe(link === "direct");
      const run = runJava(`${out}:${harness}`, "RhinoTrace");
      expect(run.status).toBe(0);
      // Each of these split methods is on a printed trace (both -opt -1 and -opt 9), through
      // a piece; with direct, NativeDate.execIdCall's throw (line 493) lands in the code its
      // driver keeps, so that one shows the driver's frame only.
      const methods = ["TokenStream.getToken", "regexp.NativeRegExp.parseTerm", "IRFactory.transform", "NativeString.execIdCall", "NativeObject.execIdCall", "NativeDate.execIdCall"];
      const frameOf = (m: string, piece: boolean) => new RegExp(`\\tat org\\.mozilla\\.javascript\\.${m.replace(/\./g, "\\.")}${piece ? "\\$split\\$\\d+" : ""}\\(`);
      for (const m of methods) expect(run.stdout).toMatch(frameOf(m, false));
      const throughPieces = link === "direct" ? methods.filter((m) => m !== "NativeDate.execIdCall") : methods;
      expect(methods.filter((m) => frameOf(m, true).test(run.stdout))).toEqual(throughPieces);
      expect(run.stdout).not.toBe(expected);
      const mapping = `${out}.mapping`;
      if (link === "switch") {
        expect(retraceText(loadMappings([mapping]).index, run.stdout)).toBe(expected);
      } else {
        const traceFile = join(work, `rhino-${link}.txt`);
        writeFileSync(traceFile, run.stdout);
        const r = runCli(["retrace", mapping, traceFile]);
        expect(r.status, r.stderr).toBe(0);
        expect(r.stdout).toBe(expected);
      }
    });
  }
});
