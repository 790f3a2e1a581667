/**
 * Byte-identity check for behaviour-preserving refactors: builds a base revision in
 * a temporary git worktree, splits every corpus input the tests use with the base
 * build and with this checkout's build (`dist/`, so run `npm run build` first), in
 * every link mode at --max-size 1024 and 8000, and compares the written output
 * (jar or class directory) and mapping file byte for byte. Prints one row per
 * input, limit and mode; exits 1 on any difference, 2 on a usage or setup error.
 *
 *   npx tsx scripts/compare-split-output.ts --base e50d5e2 [--quick] [--jobs 2]
 *     [--corpus rhino,asm] [--limits 1024,8000] [--modes auto,direct,switch,indy]
 *     [--keep]
 *
 * `--quick`: rhino, asm and antlr4 only (both limits, all modes). The full set adds
 * groovy, jython and the JDK modules jdk.compiler and java.desktop (extracted by
 * test/support/corpus.ts). Not part of `npm test`: the full set runs 112 splits and
 * takes tens of minutes on a loaded 2-core machine; run it with `nice`.
 */
import { execFileSync, spawn } from "node:child_process";
import { cpSync, existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, symlinkSync } from "node:fs";
import { tmpdir } from "node:os";
import { delimiter, dirname, join, relative, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { corpusClasspath, corpusJar, extractModule, type CorpusName } from "../test/support/corpus.js";

const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), "..");

interface Args {
  base: string;
  quick: boolean;
  jobs: number;
  corpus?: string[];
  limits: number[];
  modes: string[];
  keep: boolean;
}

function parseArgs(argv: string[]): Args {
  const a: Args = { base: "", quick: false, jobs: 2, limits: [1024, 8000], modes: ["auto", "direct", "switch", "indy"], keep: false };
  for (let i = 0; i < argv.length; i++) {
    const k = argv[i]!;
    const v = () => {
      const x = argv[++i];
      if (x === undefined) usage(`${k} needs a value`);
      return x!;
    };
    if (k === "--base") a.base = v();
    else if (k === "--quick") a.quick = true;
    else if (k === "--keep") a.keep = true;
    else if (k === "--jobs") a.jobs = Math.max(1, Number(v()));
    else if (k === "--corpus") a.corpus = v().split(",");
    else if (k === "--limits") a.limits = v().split(",").map(Number);
    else if (k === "--modes") a.modes = v().split(",");
    else usage(`unknown option ${k}`);
  }
  if (!a.base) usage("--base <rev> is required");
  return a;
}

function usage(msg: string): never {
  process.stderr.write(`compare-split-output: ${msg}\nusage: npx tsx scripts/compare-split-output.ts --base <rev> [--quick] [--jobs N] [--corpus a,b] [--limits 1024,8000] [--modes auto,direct,switch,indy] [--keep]\n`);
  process.exit(2);
}

interface Input {
  name: string;
  path: string;
  classpath: string[];
  /** Output is a jar (else a directory). */
  jar: boolean;
}

const QUICK = ["rhino", "asm", "antlr4"];
const FULL = [...QUICK, "groovy", "jython", "jdk.compiler", "java.desktop"];

function inputOf(name: string): Input {
  if (name.includes(".")) return { name, path: extractModule(name), classpath: [], jar: false };
  return { name, path: corpusJar(name as CorpusName), classpath: corpusClasspath(name as CorpusName), jar: true };
}

/** A built checkout of `rev` in a temporary worktree, sharing this checkout's node_modules. */
function buildBase(rev: string): { dir: string; cleanup: () => void } {
  const dir = mkdtempSync(join(tmpdir(), "megasplit-base-"));
  rmSync(dir, { recursive: true, force: true });
  execFileSync("git", ["worktree", "add", "--detach", dir, rev], { cwd: repoRoot, stdio: ["ignore", "ignore", "inherit"] });
  const cleanup = () => {
    try {
      execFileSync("git", ["worktree", "remove", "--force", dir], { cwd: repoRoot, stdio: "ignore" });
    } catch {
      rmSync(dir, { recursive: true, force: true });
    }
  };
  try {
    symlinkSync(join(repoRoot, "node_modules"), join(dir, "node_modules"), "dir");
    execFileSync(join(repoRoot, "node_modules", ".bin", "tsc"), ["-p", "tsconfig.json"], { cwd: dir, stdio: "inherit" });
  } catch (e) {
    cleanup();
    throw e;
  }
  return { dir, cleanup };
}

interface Run {
  ok: boolean;
  out: string;
  mapping: string;
  stderr: string;
  ms: number;
}

function split(build: string, input: Input, limit: number, mode: string, outDir: string): Promise<Run> {
  const out = join(outDir, input.jar ? "out.jar" : "out");
  const mapping = join(outDir, "out.mapping");
  const args = [join(build, "dist", "src", "cli", "main.js"), "split", input.path, "-o", out, "--max-size", String(limit), "--link", mode, "--mapping", mapping];
  if (input.classpath.length > 0) args.push("--classpath", input.classpath.join(delimiter));
  const t0 = Date.now();
  return new Promise((res) => {
    const child = spawn(process.execPath, ["--max-old-space-size=4096", ...args], { stdio: ["ignore", "ignore", "pipe"] });
    let stderr = "";
    child.stderr.on("data", (d: Buffer) => {
      if (stderr.length < 4000) stderr += d.toString();
    });
    child.on("close", (code) => res({ ok: code === 0 || existsSync(mapping), out, mapping, stderr, ms: Date.now() - t0 }));
  });
}

/** Relative paths of regular files under `dir`, sorted. */
function filesUnder(dir: string): string[] {
  const out: string[] = [];
  const walk = (d: string) => {
    for (const e of readdirSync(d, { withFileTypes: true })) {
      const p = join(d, e.name);
      if (e.isDirectory()) walk(p);
      else out.push(relative(dir, p));
    }
  };
  walk(dir);
  return out.sort();
}

/** Undefined when identical, else what differs first. */
function difference(a: string, b: string): string | undefined {
  const ea = existsSync(a);
  const eb = existsSync(b);
  if (!ea || !eb) return ea === eb ? undefined : `${ea ? "head" : "base"} has no ${a.split("/").pop()}`;
  if (statSync(a).isDirectory()) {
    const fa = filesUnder(a);
    const fb = filesUnder(b);
    if (fa.join("\n") !== fb.join("\n")) return `file lists differ (${fa.length} vs ${fb.length} files)`;
    for (const f of fa) if (!readFileSync(join(a, f)).equals(readFileSync(join(b, f)))) return `${f} differs`;
    return undefined;
  }
  return readFileSync(a).equals(readFileSync(b)) ? undefined : `${a.split("/").pop()} differs`;
}

interface Row {
  input: string;
  limit: number;
  mode: string;
  result: string;
  baseMs: number;
  headMs: number;
  same: boolean;
}

async function compareOne(base: string, head: string, input: Input, limit: number, mode: string, work: string): Promise<Row> {
  const dir = mkdtempSync(join(work, `${input.name}-${limit}-${mode}-`));
  const [b, h] = await Promise.all([split(base, input, limit, mode, join(dir, "base")).catch(fail), split(head, input, limit, mode, join(dir, "head")).catch(fail)]);
  const diffs = [difference(b.out, h.out), difference(b.mapping, h.mapping)].filter((x): x is string => x !== undefined);
  if (b.ok !== h.ok) diffs.push(`base ${b.ok ? "succeeded" : "failed"}, head ${h.ok ? "succeeded" : "failed"}: ${(h.ok ? b : h).stderr.split("\n")[0]}`);
  if (!b.ok && !h.ok && diffs.length === 0) diffs.push(`both failed: ${h.stderr.split("\n")[0]}`);
  const same = diffs.length === 0 && b.ok && h.ok;
  rmSync(dir, { recursive: true, force: true });
  return { input: input.name, limit, mode, result: same ? "identical" : diffs.join("; "), baseMs: b.ms, headMs: h.ms, same };
}

function fail(e: unknown): Run {
  return { ok: false, out: "", mapping: "", stderr: String(e), ms: 0 };
}

async function main(): Promise<void> {
  const args = parseArgs(process.argv.slice(2));
  const names = args.corpus ?? (args.quick ? QUICK : FULL);
  if (!existsSync(join(repoRoot, "dist", "src", "cli", "main.js"))) usage("no dist/ in this checkout: run `npm run build` first");
  const inputs = names.map(inputOf);
  const base = buildBase(args.base);
  const work = mkdtempSync(join(tmpdir(), "megasplit-compare-"));
  // A snapshot of this checkout's build, so rebuilding while the check runs does not mix two builds.
  const head = join(work, "head-build");
  cpSync(join(repoRoot, "dist"), join(head, "dist"), { recursive: true });
  cpSync(join(repoRoot, "package.json"), join(head, "package.json"));
  symlinkSync(join(repoRoot, "node_modules"), join(head, "node_modules"), "dir");
  const rows: Row[] = [];
  try {
    // Each job runs the base and the head split side by side, so `jobs` jobs use 2*jobs processes.
    const todo = inputs.flatMap((input) => args.limits.flatMap((limit) => args.modes.map((mode) => ({ input, limit, mode }))));
    let next = 0;
    const worker = async () => {
      while (next < todo.length) {
        const t = todo[next++]!;
        const row = await compareOne(base.dir, head, t.input, t.limit, t.mode, work);
        rows.push(row);
        process.stderr.write(`${row.same ? "same" : "DIFF"} ${row.input} ${row.limit} ${row.mode}: ${row.result}\n`);
      }
    };
    await Promise.all(Array.from({ length: Math.max(1, Math.floor(args.jobs / 2)) }, worker));
  } finally {
    if (!args.keep) rmSync(work, { recursive: true, force: true });
    base.cleanup();
  }
  const order = (r: Row) => `${names.indexOf(r.input).toString().padStart(2, "0")} ${String(r.limit).padStart(6, "0")} ${args.modes.indexOf(r.mode)}`;
  rows.sort((a, b) => (order(a) < order(b) ? -1 : 1));
  const header = `${"input".padEnd(14)} ${"limit".padStart(5)} ${"mode".padEnd(7)} ${"base s".padStart(7)} ${"head s".padStart(7)}  result`;
  process.stdout.write(`base ${args.base} vs ${execFileSync("git", ["rev-parse", "--short", "HEAD"], { cwd: repoRoot, encoding: "utf8" }).trim()} (its dist/, copied at the start)\n${header}\n`);
  for (const r of rows) {
    process.stdout.write(`${r.input.padEnd(14)} ${String(r.limit).padStart(5)} ${r.mode.padEnd(7)} ${(r.baseMs / 1000).toFixed(1).padStart(7)} ${(r.headMs / 1000).toFixed(1).padStart(7)}  ${r.result}\n`);
  }
  const bad = rows.filter((r) => !r.same).length;
  process.stdout.write(`${rows.length - bad} of ${rows.length} identical\n`);
  process.exit(bad > 0 ? 1 : 0);
}

main().catch((e) => {
  process.stderr.write(`compare-split-output: ${e instanceof Error ? e.stack : String(e)}\n`);
  process.exit(2);
});
