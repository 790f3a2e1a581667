/**
 * Test helper for the real-program runs (test/split-run-programs.test.ts,
 * test/split-clojure.test.ts): runs a program's main class with the jar under test
 * first on the classpath, HotSpot's class-load log and its touched-method list on,
 * so a test can show that the classes holding split methods were loaded from the
 * split jar and that the pieces of split methods were called, and
 * compares two runs' output (what they print, the files they write) byte for byte.
 * A file's work directory goes only once every run it started has ended
 * (`removeAfterRuns`): an unsplit run that a failed test never awaited would
 * otherwise write into it again after `afterAll` removed it.
 */
import { execFile } from "node:child_process";
import { readdirSync, readFileSync, rmSync } from "node:fs";
import { delimiter, join, relative } from "node:path";
import { promisify } from "node:util";
import { expect } from "vitest";
import { jdkTool } from "./corpus.js";
import type { SplitJarResult } from "./split-jar.js";

const exec = promisify(execFile);

export interface Run {
  stdout: string;
  stderr: string;
  /** Binary names of the classes loaded from the jars under test. */
  loaded: Set<string>;
  /** Every method the run called, `owner.name:descriptor` (internal names), from HotSpot's touched-method list. */
  touched: Set<string>;
}

/**
 * JVM options that make HotSpot list, at exit and on stdout, every method the run
 * called; every `runLogged` run has them, and the list goes from stdout into
 * `Run.touched`, so a test can show that the pieces of a split method ran, not only
 * that its class loaded. Diagnostic options of JDK 17, the JDK scripts/setup.sh
 * installs (later JDKs may not have them).
 */
const TOUCHED_METHODS = ["-XX:+UnlockDiagnosticVMOptions", "-XX:+LogTouchedMethods", "-XX:+PrintTouchedMethodsAtExit"];
const TOUCHED_HEADER = "# Method::print_touched_methods version 1\n";

/** The program's own stdout, and the touched-method list HotSpot printed after it. */
function splitTouched(stdout: string, tag: string): { stdout: string; touched: Set<string> } {
  const at = stdout.lastIndexOf(TOUCHED_HEADER);
  if (at < 0) throw new Error(`${tag}: HotSpot printed no touched-method list`);
  const touched = new Set(stdout.slice(at + TOUCHED_HEADER.length).split("\n").filter((l) => l.length > 0));
  return { stdout: stdout.slice(0, at), touched };
}

/**
 * Runs `main` in `work` with `jar` (or these jars, in order) first on the
 * classpath; logs the classes loaded from it (`<work>/<tag>.classes.log`). The
 * program must exit with status `exitCode` (a compiler given wrong sources exits
 * with another than 0); its output is returned either way.
 */
export async function runLogged(work: string, jar: string | string[], deps: string[], main: string, args: string[], tag: string, jvmArgs: string[] = [], exitCode = 0): Promise<Run> {
  const log = join(work, `${tag}.classes.log`);
  const jars = typeof jar === "string" ? [jar] : jar;
  const run = exec(jdkTool("java"), [...jvmArgs, ...TOUCHED_METHODS, `-Xlog:class+load=info:file=${log}`, "-cp", [...jars, ...deps].join(delimiter), main, ...args], {
    cwd: work,
    encoding: "utf8",
    maxBuffer: 1 << 26,
    timeout: RUN_TIMEOUT_MS,
  });
  const { stdout, stderr } = await running(
    exitCode === 0
      ? run
      : run.then(
          () => Promise.reject(new Error(`${tag}: exited with status 0, not ${exitCode}`)),
          (e: { code?: unknown; stdout?: string; stderr?: string }) => (e.code === exitCode && e.stdout !== undefined && e.stderr !== undefined ? { stdout: e.stdout, stderr: e.stderr } : Promise.reject(e)),
        ),
  );
  const loaded = new Set<string>();
  for (const line of readFileSync(log, "utf8").split("\n")) {
    const m = /\]\s(\S+) source: (?:file:|jar:file:)?(.*?)(?:!\/.*)?$/.exec(line);
    if (m && jars.includes(m[2]!)) loaded.add(m[1]!);
  }
  return { ...splitTouched(stdout, tag), stderr, loaded };
}

/**
 * Work still going that writes into a file's work directory (an unsplit run that a
 * failed test never awaited, a split a timed-out test left behind), so that the
 * directory outlives it. `splitJar` and `runLogged` register theirs.
 */
const unfinished = new Set<Promise<unknown>>();
export function running<T>(p: Promise<T>): Promise<T> {
  unfinished.add(p);
  const done = (): void => void unfinished.delete(p);
  p.then(done, done);
  return p;
}

/** Removes a test file's work directory once all work started in it has ended, work started meanwhile included (for `afterAll`). */
export async function removeAfterRuns(work: string): Promise<void> {
  while (unfinished.size > 0) await Promise.allSettled([...unfinished]);
  rmSync(work, { recursive: true, force: true });
}

/** How long a program run may take before it is killed (a hung JVM fails its test instead of the whole file's time). */
const RUN_TIMEOUT_MS = 300_000;

/** Classes (binary names) that hold at least one split method. */
function splitClasses(split: SplitJarResult): Set<string> {
  return new Set(split.result.reports.filter((r) => r.result.kind === "split").map((r) => r.className.replace(/\//g, ".")));
}

/** Classes holding split methods that a program must load: these by name, and at least this many in all. */
export interface MustLoad {
  atLeast: number;
  classes: string[];
}

/**
 * The class-load logs of `runs` show that classes holding split methods ran: every
 * class of `must` loaded from the split jar, and at least `must.atLeast` of them.
 */
export function expectSplitClassesLoaded(label: string, split: SplitJarResult, runs: Run[], must: MustLoad): void {
  const holding = splitClasses(split);
  const loaded = [...holding].filter((c) => runs.some((r) => r.loaded.has(c))).sort();
  console.log(`${label}: ${loaded.length} of ${holding.size} classes holding split methods loaded`);
  for (const c of must.classes) expect(loaded, `${c} holds split methods and must load`).toContain(c);
  expect(loaded.length).toBeGreaterThanOrEqual(must.atLeast);
}

/** Split methods whose pieces a program must call: these (`class.name(descriptor)`), and at least this many in all. */
export interface MustRun {
  atLeast: number;
  methods: string[];
}

/**
 * The touched-method lists of `runs` show that
 * split methods' pieces ran: a piece of every method of `must` was called, and of
 * at least `must.atLeast` split methods.
 */
export function expectSplitPiecesRan(label: string, split: SplitJarResult, runs: Run[], must: MustRun): void {
  const ran: string[] = [];
  let total = 0;
  for (const r of split.result.reports) {
    if (r.result.kind !== "split") continue;
    total++;
    const owner = r.pieceClass ?? r.className;
    if (r.result.pieces.some((p) => runs.some((run) => run.touched.has(`${owner}.${p.name}:${p.descriptor}`)))) ran.push(`${r.className}.${r.method}`);
  }
  console.log(`${label}: pieces of ${ran.length} of ${total} split methods ran`);
  for (const m of must.methods) expect(ran, `a piece of ${m} must run`).toContain(m);
  expect(ran.length).toBeGreaterThanOrEqual(must.atLeast);
}

/** The split program printed what the original did (stdout and stderr). */
export function expectSameOutput(actual: Run, expected: Run): void {
  expect(actual.stdout === expected.stdout, "stdout differs").toBe(true);
  expect(actual.stderr === expected.stderr, `stderr differs:\n${actual.stderr}`).toBe(true);
}

/** Every file under `root`, by relative path, with its bytes. */
export function filesUnder(root: string): Map<string, Buffer> {
  const out = new Map<string, Buffer>();
  const walk = (d: string): void => {
    for (const e of readdirSync(d, { withFileTypes: true })) {
      const p = join(d, e.name);
      if (e.isDirectory()) walk(p);
      else out.set(relative(root, p), readFileSync(p));
    }
  };
  walk(root);
  return out;
}

/** Two runs wrote the same files (a compiler's output): the same names, each with the same bytes. Returns how many. */
export function expectSameFiles(actual: Map<string, Buffer>, expected: Map<string, Buffer>, what: string): number {
  expect([...actual.keys()].sort(), `${what}: file names`).toEqual([...expected.keys()].sort());
  const differing = [...expected].filter(([name, bytes]) => !bytes.equals(actual.get(name)!)).map(([name]) => name);
  expect(differing, `${what}: files whose bytes differ`).toEqual([]);
  return expected.size;
}
