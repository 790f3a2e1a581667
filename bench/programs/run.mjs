#!/usr/bin/env node
/**
 * bench/programs: real programs nobody here wrote, run on their own jars and on those
 * jars split at the default limit (8,000 bytes), to answer the question a user who
 * splits a whole jar asks: does the split program run slower? Each program runs
 * three ways in one invocation, alternating: the original jar with default flags,
 * the original with -XX:-DontCompileHugeMethods (HotSpot's best on the unsplit
 * methods), and the split jar with default flags.
 *
 *   ecj     ECJ 3.16 (Debian libecj-java) compiling the 692 source files of the JDK's
 *           own XSLTC, XPath and serializer (java.xml in src.zip) with -8; its
 *           ClassFile.traverse (8,859 bytes, the stack-map walk over every method
 *           it writes) is over the limit.
 *   scalac  scalac 2.11 -optimise on test/scala/features.scala; the optimiser's
 *           bytecode reader ICodeReader.parseInstruction$1 (12,317 bytes) is over.
 *   kotlinc Kotlin 1.3 compiling test/kotlin/features.kt; four tables over the limit.
 *   xsltc   Xalan's XSLTC compiling a generated stylesheet of 200 XPath tests (its
 *           CUP parser's action method, 15,854 bytes, runs once per reduction), then
 *           transforming a generated document with it.
 *
 * Per configuration and run, two JVMs (Repeat.java): a whole run (one unit of work
 * in a fresh JVM, wall and CPU time of the process from /usr/bin/time: start-up,
 * interpretation and JIT compilation included, as a user's single compile pays
 * them) and a steady run (the unit `--iterations` times in one JVM; the median wall
 * time of the last half). Every run's output (class files, the transform's result)
 * must be byte-identical to the original's: a difference stops the benchmark.
 * Before the timed runs, one JVM per configuration runs the steady run's units under
 * -XX:+PrintCompilation and the table says the highest tier each split method (or
 * the driver and its pieces) reached:
 * whether the JIT compiled it at all is what splitting at 8,000 is for.
 *
 * Prints medians and ratios (reference time / split time: above 1 = the split jar is
 * faster) and writes two charts. Asserts nothing about time; exits non-zero only
 * when it could not run (a missing tool or jar, a failed split, run or comparison).
 *
 *   npm run bench -- programs [--runs 3] [--iterations 16] [--only ecj,xsltc] [--chart-dir DIR] [--no-chart]
 */
import { execFileSync, spawnSync } from "node:child_process";
import { createHash } from "node:crypto";
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, realpathSync, rmSync, statSync, writeFileSync } from "node:fs";
import { cpus, loadavg, tmpdir } from "node:os";
import { dirname, join, relative } from "node:path";
import { fileURLToPath } from "node:url";
import { parseArgs } from "node:util";
import { cliOf } from "../lib/baseline.mjs";
import { writeBarChart } from "../lib/chart.mjs";
import { median } from "../lib/median.mjs";

const here = dirname(fileURLToPath(import.meta.url));
const root = join(here, "../..");
const cli = cliOf(root);
const { values: opts } = parseArgs({
  options: {
    runs: { type: "string", default: "3" },
    iterations: { type: "string", default: "16" },
    only: { type: "string" },
    "chart-dir": { type: "string", default: here },
    "no-chart": { type: "boolean", default: false },
  },
});
const fail = (message) => {
  console.error(`bench/programs: ${message}`);
  process.exit(2);
};
const count = (name) => {
  const n = Number(opts[name]);
  if (!Number.isInteger(n) || n < 1) fail(`--${name} must be a whole number of at least 1, not ${opts[name]}`);
  return n;
};
const runs = count("runs");
const iterations = count("iterations");
if (!existsSync(cli)) fail("dist/src/cli/main.js is missing: run `npm run build` first");
if (!existsSync("/usr/bin/time")) fail("/usr/bin/time is missing: run `npm run setup`");

const java = "/usr/share/java";
const kotlinLib = "/usr/share/kotlin/kotlinc/lib";
const SRC_ZIP = "/usr/lib/jvm/openjdk-17/lib/src.zip";
const work = mkdtempSync(join(tmpdir(), "megasplit-programs-"));
process.on("exit", () => rmSync(work, { recursive: true, force: true }));
// Interrupted: exit, so that the handler above removes the work directory.
for (const signal of ["SIGINT", "SIGTERM"]) process.on(signal, () => process.exit(130));
const sh = (cmd, args, options = {}) => execFileSync(cmd, args, { encoding: "utf8", maxBuffer: 1 << 28, ...options });
const real = (path) => {
  if (!existsSync(path)) fail(`${path} is missing: run \`npm run setup\``);
  return realpathSync(path);
};

/** A generated stylesheet of `tests` XPath tests and a document of `items` items for XSLTC. */
function xsltcInputs(dir, tests = 200, items = 300) {
  const xsl = ['<?xml version="1.0"?>', '<xsl:stylesheet version="1.0" xmlns:xsl="http://www.w3.org/1999/XSL/Transform">', '<xsl:output method="text"/>', '<xsl:template match="/">'];
  for (let i = 0; i < tests; i++) {
    xsl.push(
      `<xsl:if test="count(//item[@n &gt; ${i * 7} and (@kind = 'a' or contains(@name, 'x${i % 10}'))]) + sum(//item[position() mod ${(i % 7) + 2} = 1]/@n) * ${i} &gt; string-length(concat(//item[1]/@name, substring-before(//item[2]/@name, '-'), ${i}))">`,
      `<xsl:value-of select="format-number(sum(//item[@kind='b']/@n) div (${i} + 1), '0.00')"/><xsl:text>;</xsl:text></xsl:if>`,
    );
  }
  xsl.push("</xsl:template>", "</xsl:stylesheet>", "");
  let x = 12345;
  const next = (n) => ((x = (x * 1103515245 + 12345) % 2147483648), x % n);
  const doc = ["<items>"];
  for (let i = 0; i < items; i++) doc.push(`<item name="n${i}-x${next(10)}" kind="${"abcde"[next(5)]}" n="${next(1000)}"/>`);
  doc.push("</items>", "");
  writeFileSync(join(dir, "tests.xsl"), xsl.join("\n"));
  writeFileSync(join(dir, "items.xml"), doc.join("\n"));
}

/**
 * The programs: `jar` is split (with `splitClasspath` for its hierarchy), `deps` join
 * it on the classpath unsplit; `prepare` writes the inputs once; `args(out)` is the
 * unit of work writing into the directory `out`, whose files are compared.
 */
const PROGRAMS = [
  {
    name: "ecj",
    what: "ECJ 3.16 compiling java.xml's XSLTC/XPath/serializer sources (692 files, -8)",
    kind: "ecj",
    jar: () => real(`${java}/ecj.jar`),
    deps: () => [],
    prepare(dir) {
      const src = join(dir, "src");
      mkdirSync(src);
      sh("jar", ["xf", real(SRC_ZIP), "java.xml/com/sun/org/apache/xalan", "java.xml/com/sun/org/apache/xml", "java.xml/com/sun/org/apache/xpath"], { cwd: src });
      const files = filesUnder(src).filter((f) => f.endsWith(".java"));
      writeFileSync(join(dir, "files.txt"), files.map((f) => join(src, f)).join("\n"));
    },
    args: (dir, out) => ["-8", "-nowarn", "-d", out, `@${join(dir, "files.txt")}`],
  },
  {
    name: "scalac",
    what: "scalac 2.11 -optimise compiling test/scala/features.scala",
    kind: "scalac",
    jar: () => real(`${java}/scala-compiler.jar`),
    deps: () => ["scala-reflect", "scala-library", "scala-xml_2.11", "scala-parser-combinators_2.11"].map((n) => real(`${java}/${n}.jar`)),
    prepare() {},
    args: (_dir, out) => ["-optimise", "-nowarn", "-classpath", [real(`${java}/scala-library.jar`), real(`${java}/scala-xml_2.11.jar`)].join(":"), "-d", out, join(root, "test/scala/features.scala")],
  },
  {
    name: "kotlinc",
    what: "Kotlin 1.3 compiling test/kotlin/features.kt",
    kind: "kotlinc",
    jar: () => real(`${java}/kotlin-compiler.jar`),
    deps: () => ["kotlin-stdlib", "kotlin-reflect", "kotlin-script-runtime", "trove4j", "annotations-13.0"].map((n) => real(`${kotlinLib}/${n}.jar`)),
    prepare() {},
    args: (_dir, out) => ["-nowarn", "-no-stdlib", "-no-reflect", "-classpath", real(`${kotlinLib}/kotlin-stdlib.jar`), "-d", out, join(root, "test/kotlin/features.kt")],
  },
  {
    name: "xsltc",
    what: "XSLTC compiling a stylesheet of 200 XPath tests, then one transform",
    kind: "xsltc",
    jar: () => real(`${java}/xalan2.jar`),
    deps: () => [real(`${java}/serializer.jar`)],
    prepare: (dir) => xsltcInputs(dir),
    args: (dir, out) => [join(dir, "tests.xsl"), join(dir, "items.xml"), join(out, "result.txt")],
  },
];

/** Every file under `dir`, as paths relative to it, sorted. */
function filesUnder(dir) {
  return readdirSync(dir, { recursive: true, encoding: "utf8" })
    .filter((f) => statSync(join(dir, f)).isFile())
    .sort();
}

/** One hash of every file's path and bytes under `dir`, and how many there were. */
function outputDigest(dir) {
  const h = createHash("sha256");
  const files = filesUnder(dir);
  for (const f of files) h.update(`${f}\0`).update(readFileSync(join(dir, f)));
  return { digest: h.digest("hex"), files: files.length };
}

const CONFIGS = [
  { name: "original", flags: [], split: false },
  { name: "original -XX:-DontCompileHugeMethods", flags: ["-XX:-DontCompileHugeMethods"], split: false },
  { name: "split 8000", flags: [], split: true },
];

const selected = opts.only ? opts.only.split(",") : PROGRAMS.map((p) => p.name);
for (const name of selected) if (!PROGRAMS.some((p) => p.name === name)) fail(`no program named ${name} (have: ${PROGRAMS.map((p) => p.name).join(", ")})`);
const programs = PROGRAMS.filter((p) => selected.includes(p.name));

const repeatDir = join(work, "repeat");
sh("javac", ["-d", repeatDir, join(here, "Repeat.java")]);

/** Splits each program's jar at the default limit and records which methods were split. */
for (const p of programs) {
  p.dir = join(work, p.name);
  mkdirSync(p.dir);
  p.prepare(p.dir);
  p.original = p.jar();
  p.split = join(p.dir, `${p.name}-split.jar`);
  const classpath = p.deps().length ? ["--classpath", p.deps().join(":")] : [];
  const report = JSON.parse(sh(process.execPath, [cli, "split", p.original, "-o", p.split, "--json", "--quiet", ...classpath]));
  p.methods = report.methods
    .filter((m) => m.status === "split")
    .map((m) => ({
      className: m.className.replaceAll("/", "."),
      name: m.method.slice(0, m.method.indexOf("(")),
      length: m.originalLength,
      pieces: m.pieces.length,
      // Pieces by their names in the report (a <clinit>'s are clinit$split$N), in the class that holds them.
      pieceClass: (m.pieceClass ?? m.className).replaceAll("/", "."),
      pieceNames: new Set(m.pieces.map((piece) => piece.name)),
    }));
  if (report.methods.some((m) => m.status !== "split")) fail(`${p.name}: a method over the limit was not split`);
}

/** The java command line of `config` running `count` units of program `p` into `out`. */
function javaArgs(p, config, count, out, extra = []) {
  const cp = [config.split ? p.split : p.original, ...p.deps(), repeatDir].join(":");
  return [...config.flags, ...extra, "-cp", cp, "Repeat", String(count), p.kind, ...p.args(p.dir, out)];
}

let outputSeq = 0;
/** Runs one JVM; returns its stdout, and the process's wall and CPU seconds when timed. Checks the output against the original's. */
function runJava(p, config, count, extra = []) {
  const out = join(p.dir, `out-${outputSeq++}`);
  mkdirSync(out);
  const timeFile = join(p.dir, "time.txt");
  const r = spawnSync("/usr/bin/time", ["-f", "%e %U %S", "-o", timeFile, "java", ...javaArgs(p, config, count, out, extra)], { encoding: "utf8", maxBuffer: 1 << 28 });
  if (r.status !== 0) fail(`${p.name} (${config.name}) exited with ${r.status}:\n${r.stderr.slice(-2000)}`);
  const [wall, user, sys] = readFileSync(timeFile, "utf8").trim().split("\n").pop().split(" ").map(Number);
  const got = outputDigest(out);
  rmSync(out, { recursive: true, force: true });
  if (got.files === 0) fail(`${p.name} (${config.name}) wrote no output`);
  p.expected ??= got;
  if (got.digest !== p.expected.digest) fail(`${p.name} (${config.name}) wrote different output (${got.files} files) from the original's (${p.expected.files})`);
  return { stdout: r.stdout, wall, cpu: user + sys };
}

/** The highest tier -XX:+PrintCompilation shows for each split method and for its pieces ("-": never compiled). */
function jitTiers(p, config) {
  const { stdout } = runJava(p, config, iterations, ["-XX:+PrintCompilation"]);
  return p.methods.map((m) => {
    let method = 0;
    let pieces = 0;
    for (const line of stdout.split("\n")) {
      const hit = /^\s*\d+\s+\d+\s+[%sbn! ]*\s(\d)\s+(\S+)::(\S+)/.exec(line);
      if (!hit) continue;
      const tier = Number(hit[1]);
      if (hit[2] === m.className && hit[3] === m.name) method = Math.max(method, tier);
      else if (hit[2] === m.pieceClass && m.pieceNames.has(hit[3])) pieces = Math.max(pieces, tier);
    }
    return config.split ? `${method || "-"}/${pieces || "-"}` : `${method || "-"}`;
  });
}

console.log(`bench/programs: ${runs} alternating runs, ${iterations} iterations per steady run, node ${process.version}, ${cpus().length} CPUs, load average ${loadavg()[0].toFixed(1)}`);
console.log(spawnSync("java", ["-version"], { encoding: "utf8" }).stderr.split("\n")[0]);
for (const p of programs) {
  console.log(`\n${p.name}: ${p.what}`);
  for (const m of p.methods) console.log(`  split: ${m.className}.${m.name} (${m.length} bytes) -> driver + ${m.pieces} piece(s)`);
  const tiers = CONFIGS.map((c) => jitTiers(p, c));
  console.log(`  highest tier reached (PrintCompilation, ${iterations} units in one JVM; split: method/pieces; - = never compiled):`);
  p.methods.forEach((m, i) => console.log(`    ${m.name.padEnd(32)} ${CONFIGS.map((c, k) => `${c.name}: ${tiers[k][i]}`).join("   ")}`));
}

/** results[program][config] = { whole: [s], cpu: [s], steady: [ms] } */
const results = programs.map(() => CONFIGS.map(() => ({ whole: [], cpu: [], steady: [] })));
for (let r = 0; r < runs; r++) {
  for (const [pi, p] of programs.entries()) {
    for (const [ci, c] of CONFIGS.entries()) {
      const whole = runJava(p, c, 1);
      const steady = runJava(p, c, iterations);
      const times = /times (.*)/.exec(steady.stdout)[1].split(" ").map(Number);
      const last = median(times.slice(Math.floor(times.length / 2)));
      results[pi][ci].whole.push(whole.wall);
      results[pi][ci].cpu.push(whole.cpu);
      results[pi][ci].steady.push(last);
      console.log(`run ${r + 1} ${p.name.padEnd(8)} ${c.name.padEnd(38)} whole ${whole.wall.toFixed(2)} s wall ${whole.cpu.toFixed(2)} s cpu   steady ${last} ms/unit   (${times.join(" ")})`);
    }
  }
}

const fmt = (x, d = 2) => x.toFixed(d);
console.log(`\nmedians of ${runs} runs; ratio = reference / split (above 1.00: the split jar is faster)`);
console.log(`${"program".padEnd(9)}${"configuration".padEnd(40)}${"whole s".padStart(9)}${"cpu s".padStart(8)}${"steady ms".padStart(11)}`);
const summary = [];
for (const [pi, p] of programs.entries()) {
  const m = CONFIGS.map((_, ci) => ({ whole: median(results[pi][ci].whole), cpu: median(results[pi][ci].cpu), steady: median(results[pi][ci].steady) }));
  for (const [ci, c] of CONFIGS.entries()) console.log(`${p.name.padEnd(9)}${c.name.padEnd(40)}${fmt(m[ci].whole).padStart(9)}${fmt(m[ci].cpu).padStart(8)}${fmt(m[ci].steady, 0).padStart(11)}`);
  const [orig, huge, split] = m;
  const row = { p, m, whole: orig.whole / split.whole, cpu: orig.cpu / split.cpu, steady: orig.steady / split.steady, steadyHuge: huge.steady / split.steady, wholeHuge: huge.whole / split.whole };
  summary.push(row);
  console.log(`${"".padEnd(9)}split vs original: whole ${fmt(row.whole)}x, cpu ${fmt(row.cpu)}x, steady ${fmt(row.steady)}x;  vs -XX:-DontCompileHugeMethods: whole ${fmt(row.wholeHuge)}x, steady ${fmt(row.steadyHuge)}x`);
}

if (!opts["no-chart"]) {
  const note = `${runs} alternating runs, medians; ${cpus().length} CPUs, load average ${loadavg()[0].toFixed(1)}; label: original / split`;
  const series = CONFIGS.map((c) => c.name);
  const groups = summary.map((s) => s.p.name);
  writeBarChart(join(opts["chart-dir"], "chart.svg"), {
    title: `bench/programs: steady state, ms per unit (last ${iterations - Math.floor(iterations / 2)} of ${iterations}; lower is better)`,
    unit: "ms",
    groups,
    series,
    values: summary.map((s) => s.m.map((x) => x.steady)),
    labels: summary.map((s) => [null, null, `${fmt(s.steady)}x`]),
    note,
  });
  writeBarChart(join(opts["chart-dir"], "chart-whole.svg"), {
    title: "bench/programs: whole run, s of wall time, one unit in a fresh JVM (lower is better)",
    unit: "s",
    groups,
    series,
    values: summary.map((s) => s.m.map((x) => x.whole)),
    labels: summary.map((s) => [null, null, `${fmt(s.whole)}x`]),
    note,
  });
  console.log(`charts: ${relative(process.cwd(), join(opts["chart-dir"], "chart.svg"))}, chart-whole.svg`);
}
