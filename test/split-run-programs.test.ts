/**
 * Real programs behave the same after splitting (issue #11 point 4, "run, not only
 * link"): three more Debian corpora are split and then run, with the split jar on the
 * classpath in place of the original, and their output compared byte for byte with
 * the unsplit program's (the oracle; both runs must succeed).
 *
 * - Groovy (groovy-all.jar: the compiler, runtime and the json/xml modules) split
 *   at 1,024 bytes and at 4,096 compiles and runs test/groovy/features.groovy:
 *   classes, closures, GStrings, collections, a sieve and a quicksort, builders,
 *   JSON, and a second script compiled at run time by GroovyShell. Groovy's largest
 *   method is 5,732 bytes, so at the default 8,000 nothing would be split; 4,096 is
 *   the limit that splits the large methods into few pieces.
 * - The ANTLR 4 tool (antlr4.jar: its grammar parsers are ANTLR 3 generated code;
 *   the 35 methods over 8,000 bytes are its Unicode property tables, loaded because
 *   the expression grammar uses \p{...}) split at 1,024 and at 8,000 generates the Java
 *   (with visitors and listeners) and the Python 3 parsers of two grammars written
 *   here (test/antlr: an expression language and JSON); every generated file is
 *   compared with the unsplit tool's.
 * - Jython (jython.jar: the interpreter, its ANTLR 3 generated Python parser and
 *   the precompiled standard library, whose module bodies are its largest methods)
 *   split at 1,024 and at 8,000 runs test/python/features.py: classes, generators,
 *   closures, a small search, decimal, datetime, argparse, minidom, pickle, json,
 *   and source compiled at run time with compile()/exec.
 *
 * Each jar is split once per limit (with the internal verifier on), and the
 * class-load log of every split run proves that classes holding split methods are
 * the ones that ran. The JVM runs are asynchronous, so the unsplit runs overlap the
 * splitting. Cost on 2 loaded cores (load average 10+), measured: 80-105 s for the
 * file (Groovy 1,024: 18 s, 4,096: 4 s; ANTLR 1,024: 15 s, 8,000: 5 s; Jython
 * 1,024: 45 s, 8,000: 15 s), mostly splitting with the verifier on.
 */
import { execFile } from "node:child_process";
import { mkdtempSync, readdirSync, readFileSync, realpathSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { delimiter, join, relative } from "node:path";
import { promisify } from "node:util";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { corpusClasspath, corpusJar, jdkTool } from "./support/corpus.js";
import { refusalLines, splitJar, type SplitJarResult } from "./support/split-jar.js";

const exec = promisify(execFile);

const work = mkdtempSync(join(tmpdir(), "megasplit-runs-"));
afterAll(() => rmSync(work, { recursive: true, force: true }));

/** Package groovy installs groovy-all beside groovy.jar (corpus.ts names the latter). */
function groovyAllJar(): string {
  return realpathSync(join(corpusJar("groovy"), "..", "groovy-all.jar"));
}

interface Run {
  stdout: string;
  stderr: string;
  /** Binary names of the classes loaded from the jar under test. */
  loaded: Set<string>;
}

/** Runs `main` with `jar` first on the classpath; logs the classes loaded from it. */
async function runJava(jar: string, deps: string[], main: string, args: string[], tag: string, jvmArgs: string[] = []): Promise<Run> {
  const log = join(work, `${tag}.classes.log`);
  const { stdout, stderr } = await exec(jdkTool("java"), [...jvmArgs, `-Xlog:class+load=info:file=${log}`, "-cp", [jar, ...deps].join(delimiter), main, ...args], {
    cwd: work,
    encoding: "utf8",
    maxBuffer: 1 << 26,
  });
  const loaded = new Set<string>();
  for (const line of readFileSync(log, "utf8").split("\n")) {
    const m = /\]\s(\S+) source: (?:file:|jar:file:)?(.*?)(?:!\/.*)?$/.exec(line);
    if (m && m[2] === jar) loaded.add(m[1]!);
  }
  return { stdout, stderr, loaded };
}

/** Classes (binary names) that hold at least one split method. */
function splitClasses(split: SplitJarResult): Set<string> {
  return new Set(split.result.reports.filter((r) => r.result.kind === "split").map((r) => r.className.replace(/\//g, ".")));
}

/** Every file under `root`, by relative path, with its contents. */
function filesUnder(root: string): Map<string, Buffer> {
  const out = new Map<string, Buffer>();
  const walk = (d: string) => {
    for (const e of readdirSync(d, { withFileTypes: true }).sort((a, b) => (a.name < b.name ? -1 : 1))) {
      const p = join(d, e.name);
      if (e.isDirectory()) walk(p);
      else out.set(relative(root, p), readFileSync(p));
    }
  };
  walk(root);
  return out;
}

function expectSameRun(actual: Run, expected: Run): void {
  expect(actual.stdout === expected.stdout, "stdout differs").toBe(true);
  expect(actual.stderr === expected.stderr, `stderr differs:\n${actual.stderr}`).toBe(true);
}

describe("Groovy split, compiling and running a script", () => {
  const SCRIPT = join(__dirname, "groovy", "features.groovy");
  const runGroovy = (jar: string, tag: string) => runJava(jar, corpusClasspath("groovy"), "groovy.ui.GroovyMain", [SCRIPT], tag);
  let expected: Promise<Run>;
  beforeAll(() => {
    expected = runGroovy(groovyAllJar(), "groovy-stock");
    expected.catch(() => undefined);
  });

  for (const maxSize of [1024, 4096]) {
    it(`at ${maxSize} bytes prints the same output as the unsplit Groovy`, async () => {
      const split = await splitJar(groovyAllJar(), work, `groovy-${maxSize}.jar`, { maxSize, link: "auto", classpath: corpusClasspath("groovy") });
      console.log(`groovy-all at ${maxSize}: ${split.split} methods split into ${split.pieces} pieces, ${split.refused} refused`, refusalLines(split));
      expect(refusalLines(split)).toEqual([]);
      expect(split.split).toBeGreaterThan(0);
      const actual = await runGroovy(split.path, `groovy-${maxSize}`);
      const stock = await expected;
      expect(stock.stdout).toContain("shell: tree size=63 depth=6");
      expectSameRun(actual, stock);
      const ran = [...splitClasses(split)].filter((c) => actual.loaded.has(c));
      console.log(`groovy-all at ${maxSize}: ${ran.length} classes holding split methods loaded`);
      expect(ran.length).toBeGreaterThan(0);
    });
  }
});

describe("ANTLR 4 tool split, generating parsers", () => {
  const GRAMMARS = ["Expr.g4", "Json.g4"].map((g) => join(__dirname, "antlr", g));
  const TARGETS = [
    ["-visitor", "-listener", "-package", "demo.parse"],
    ["-Dlanguage=Python3", "-visitor"],
  ];

  /** Generates both targets into `<work>/<tag>`; returns the runs and the files. */
  async function generate(jar: string, tag: string): Promise<{ runs: Run[]; files: Map<string, Buffer> }> {
    const out = join(work, tag);
    const runs = await Promise.all(TARGETS.map((t, i) => runJava(jar, corpusClasspath("antlr4"), "org.antlr.v4.Tool", ["-o", join(out, `target${i}`), ...t, ...GRAMMARS], `${tag}-${i}`)));
    return { runs, files: filesUnder(out) };
  }

  let expected: Promise<{ runs: Run[]; files: Map<string, Buffer> }>;
  beforeAll(() => {
    expected = generate(corpusJar("antlr4"), "antlr-stock");
    expected.catch(() => undefined);
  });

  for (const maxSize of [1024, 8000]) {
    it(`at ${maxSize} bytes generates the same files as the unsplit tool`, async () => {
      const split = await splitJar(corpusJar("antlr4"), work, `antlr4-${maxSize}.jar`, { maxSize, link: "auto", classpath: corpusClasspath("antlr4") });
      console.log(`antlr4 at ${maxSize}: ${split.split} methods split into ${split.pieces} pieces, ${split.refused} refused`, refusalLines(split));
      expect(refusalLines(split)).toEqual([]);
      expect(split.split).toBeGreaterThan(0);
      const actual = await generate(split.path, `antlr-${maxSize}`);
      const stock = await expected;
      // Java: lexer, parser, listener, base listener, visitor, base visitor, .tokens x2, .interp x2, per grammar.
      expect([...stock.files.keys()].filter((f) => f.endsWith("ExprParser.java") || f.endsWith("JsonParser.py")).length).toBe(2);
      expect([...actual.files.keys()]).toEqual([...stock.files.keys()]);
      for (const [name, data] of stock.files) expect(Buffer.compare(actual.files.get(name)!, data), name).toBe(0);
      actual.runs.forEach((r, i) => expectSameRun(r, stock.runs[i]!));
      const classes = splitClasses(split);
      const ran = [...classes].filter((c) => actual.runs.some((r) => r.loaded.has(c)));
      console.log(`antlr4 at ${maxSize}: ${ran.length} of ${classes.size} classes holding split methods loaded`);
      expect(ran.length).toBeGreaterThan(0);
    });
  }
});

describe("Jython split, running a Python script", () => {
  const SCRIPT = join(__dirname, "python", "features.py");
  // No package cache written under the user's home: both runs start from the same state.
  const runJython = (jar: string, tag: string) => runJava(jar, corpusClasspath("jython"), "org.python.util.jython", [SCRIPT], tag, ["-Dpython.cachedir.skip=true"]);
  let expected: Promise<Run>;
  beforeAll(() => {
    expected = runJython(corpusJar("jython"), "jython-stock");
    expected.catch(() => undefined);
  });

  for (const maxSize of [1024, 8000]) {
    it(`at ${maxSize} bytes prints the same output as the unsplit Jython`, async () => {
      const split = await splitJar(corpusJar("jython"), work, `jython-${maxSize}.jar`, { maxSize, link: "auto", classpath: corpusClasspath("jython") });
      console.log(`jython at ${maxSize}: ${split.split} methods split into ${split.pieces} pieces, ${split.refused} refused`, refusalLines(split));
      expect(refusalLines(split)).toEqual([]);
      expect(split.split).toBeGreaterThan(0);
      const actual = await runJython(split.path, `jython-${maxSize}`);
      const stock = await expected;
      expect(stock.stdout).toContain("exec: [0, 75025, 12586269025L");
      expectSameRun(actual, stock);
      const classes = splitClasses(split);
      const ran = [...classes].filter((c) => actual.loaded.has(c));
      console.log(`jython at ${maxSize}: ${ran.length} of ${classes.size} classes holding split methods loaded`);
      // The module bodies of the standard library the script imports are among the largest methods.
      for (const module of ["decimal$py", "datetime$py", "argparse$py"]) expect(ran).toContain(module);
    });
  }
});
