#!/usr/bin/env node
/**
 * bench/jit-unlock: what splitting at HotSpot's JIT limit buys at run time, on a
 * suite of workloads (workloads.mjs: interpreter loops with light and heavy cases
 * at about 8.5, 20 and 60 KB, JavaScript compiled by Rhino, dynamic Groovy,
 * Spark-style code compiled by Janino, a method with more than 255 live slots).
 * Each workload is generated, compiled, checked to have its method over 8,000
 * bytes (`megasplit inspect`), split with the built CLI at the default limit
 * (`--link auto`, and other link modes with `--links`; the split must change the
 * class and leave no method over the limit), then run by Harness.java in one
 * invocation, alternating (the order rotates each round): the original with
 * default flags (HotSpot never compiles a method over 8,000 bytes), the original
 * with -XX:-DontCompileHugeMethods, and the split classes with default flags. Each
 * run reports the whole run (a fixed number of ops from a cold JVM: start-up,
 * interpretation and JIT compilation included; process CPU time, compiler and GC
 * threads included, which the ratios use because a shared machine distorts wall
 * time most, and wall time since the JVM started) and the steady state (median
 * over slices of thread CPU time per op after a warm-up that lasts until the
 * compiler threads are idle and at least twice the whole run's ops, so callers
 * of the method reach their last tier too). All runs of a workload
 * must print the same checksum. It prints every run, the medians, the split
 * version's speed relative to the other two (above 1 = split faster; targets:
 * >= 0.9x of -XX:-DontCompileHugeMethods, >= 1.0x of the original), and what the
 * JIT compiled (-XX:+PrintCompilation, one extra run of each configuration after
 * the timed ones, with -Xverify:all on the split classes); for a workload that
 * misses a target (with the first of --links) it saves an excerpt of
 * -XX:+PrintInlining to evidence/<workload>.txt (and removes a stale one when it
 * meets both). Charts (bench/lib/chart.mjs): chart.svg (steady
 * state) and chart-whole.svg (whole run). A script, not a test: it asserts
 * nothing about time, and exits non-zero only when it could not run (a missing
 * tool, a build or split failure, a crash, differing checksums).
 *
 * `--baseline DIR` (a checkout whose dist/ is built, e.g. a worktree of an older
 * commit) also splits each workload with DIR's CLI (same --link; the same checks)
 * and runs it as one more configuration, "split --link L (baseline)", in the same
 * alternation and under the same checksum; the tables then print this checkout's
 * split against the baseline's, steady state and whole run (above 1 = this
 * checkout's split is faster): correct but slower is a regression.
 *
 *   npm run bench -- jit-unlock [--only rhino,interp-light] [--runs 3] [--warm 3] [--time 2]
 *                               [--links auto,direct,switch] [--baseline DIR] [--no-evidence] [--no-chart]
 */
import { execFileSync, spawnSync } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, statSync, writeFileSync } from "node:fs";
import { cpus, loadavg, tmpdir } from "node:os";
import { dirname, join, relative } from "node:path";
import { fileURLToPath } from "node:url";
import { parseArgs } from "node:util";
import { baselineOf, cliOf, verboseFlag } from "../lib/baseline.mjs";
import { writeBarChart } from "../lib/chart.mjs";
import { compilationSummary, inliningExcerpt } from "./jit-log.mjs";
import { WORKLOADS } from "./workloads.mjs";

const here = dirname(fileURLToPath(import.meta.url));
const root = join(here, "../..");
const cli = cliOf(root);
const { values: opt } = parseArgs({
  options: {
    only: { type: "string" },
    runs: { type: "string", default: "3" },
    warm: { type: "string", default: "3" },
    time: { type: "string", default: "2" },
    links: { type: "string", default: "auto" },
    baseline: { type: "string" },
    "no-evidence": { type: "boolean", default: false },
    "no-chart": { type: "boolean", default: false },
  },
});
const runs = Number(opt.runs);
const links = opt.links.split(",");
const fail = (msg) => {
  console.error(`bench/jit-unlock: ${msg}`);
  process.exit(2);
};
const selected = opt.only ? WORKLOADS.filter((w) => opt.only.split(",").some((o) => w.name.startsWith(o))) : WORKLOADS;
if (selected.length === 0) fail(`--only ${opt.only} matches none of ${WORKLOADS.map((w) => w.name).join(", ")}`);
if (!existsSync(cli)) fail("dist/src/cli/main.js is missing: run `npm run setup` (or `npm run build`) first");
for (const w of selected) for (const jar of w.jars) if (!existsSync(jar)) fail(`${w.name} needs ${jar}: run \`npm run setup\``);
const baseline = opt.baseline ? baselineOf(opt.baseline, "bench/jit-unlock") : undefined;

const work = mkdtempSync(join(tmpdir(), "megasplit-jit-unlock-"));
const sh = (cmd, args) => execFileSync(cmd, args, { encoding: "utf8", stdio: ["ignore", "pipe", "pipe"] });
const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const classFiles = (dir) =>
  readdirSync(dir, { recursive: true }).filter((f) => f.endsWith(".class")).sort();
try {
  sh("javac", ["-d", join(work, "harness"), join(here, "Harness.java")]);
} catch (e) {
  fail(`javac could not compile Harness.java (is a JDK installed? run \`npm run setup\`): ${e.message}`);
}

// The CLI prints one line per split method only with --verbose (older builds,
// a baseline's perhaps, printed it always and have no such option).
const verbose = verboseFlag(cli);
const baseVerbose = baseline ? verboseFlag(baseline.cli) : [];

/**
 * Splits `orig` into `out` with a CLI at --link `link`, prints its report's first
 * line, fails unless some class changed and no method is left over 8,000 bytes
 * (this checkout's inspect judges both splits), and returns the class bytes.
 */
function splitWith(w, tool, flags, orig, out, link, tag) {
  const report = sh(process.execPath, [tool, "split", orig, "-o", `${out}/`, "--link", link, ...flags]);
  const first = report.split("\n").find((l) => l.startsWith("split ")) ?? report.split("\n")[0];
  console.log(`--link ${link}${tag}: ${first.replace(/^split \S+: /, "")}`);
  const bytes = Buffer.concat(bytesOf(out));
  if (Buffer.compare(bytes, Buffer.concat(bytesOf(orig))) === 0) fail(`${w.name}: --link ${link}${tag} left every class unchanged`);
  const over = sh(process.execPath, [cli, "inspect", out, "--limit", "8000"]);
  if (!/ 0 over 8000/.test(over)) fail(`${w.name}: --link ${link}${tag} left a method over 8,000 bytes:\n${over}`);
  return bytes;
}
const bytesOf = (dir) => classFiles(dir).map((f) => readFileSync(join(dir, f)));

/** Builds, inspects and splits one workload; returns its configurations. */
function prepare(w) {
  const src = join(work, w.name, "src");
  const orig = join(work, w.name, "orig");
  w.build(here, src, orig);
  const inspect = sh(process.execPath, [cli, "inspect", orig, "--limit", "8000"]);
  const [cls, name] = w.method.split("::");
  const line = inspect.split("\n").find((l) => l.includes(`${cls}.${name}(`));
  if (!line) fail(`${w.name}: ${w.method} is not over 8,000 bytes:\n${inspect}`);
  console.log(`original: ${line.trim().replace(/\s+/g, " ")}`);
  const cp = (dir) => [join(work, "harness"), dir, ...w.jars].join(":");
  const configs = [
    { name: "original", flags: [], cp: cp(orig) },
    { name: "original -XX:-DontCompileHugeMethods", flags: ["-XX:-DontCompileHugeMethods"], cp: cp(orig) },
  ];
  const seen = [];
  for (const link of links) {
    const out = join(work, w.name, `split-${link}`);
    const bytes = splitWith(w, cli, verbose, orig, out, link, "");
    const same = seen.find((s) => Buffer.compare(s.bytes, bytes) === 0);
    if (same) {
      console.log(`--link ${link}: identical class bytes to --link ${same.link}, measured once`);
      continue;
    }
    seen.push({ link, bytes });
    configs.push({ name: `split --link ${link}`, flags: [], cp: cp(out), split: true });
    if (!baseline) continue;
    // The baseline's split of the same link mode, paired with this one for the ratios.
    const baseOut = join(work, w.name, `baseline-${link}`);
    const baseBytes = splitWith(w, baseline.cli, baseVerbose, orig, baseOut, link, ` (baseline ${baseline.label})`);
    if (Buffer.compare(baseBytes, bytes) === 0) console.log(`--link ${link} (baseline ${baseline.label}): identical class bytes to this checkout's (measured anyway: the ratio shows the noise)`);
    configs[configs.length - 1].pair = configs.length;
    configs.push({ name: `split --link ${link} (baseline)`, flags: [], cp: cp(baseOut), split: true, baseline: true });
  }
  return configs;
}

function runJava(w, c, extra, ops, warm, time) {
  const r = spawnSync("java", [...c.flags, ...extra, "-cp", c.cp, "Harness", w.entry, String(ops), warm, time], {
    encoding: "utf8",
    maxBuffer: 1 << 28,
  });
  if (r.status !== 0) fail(`${w.name} / ${c.name} failed (exit ${r.status}):\n${r.stdout.slice(-4000)}\n${r.stderr.slice(-4000)}`);
  const m = /checksum (\S+) whole-wall-ms (\d+) whole-cpu-ms (\d+) whole-jit-ms (-?\d+) steady-ns\/op (\S+) steady-wall-ns\/op (\S+) ops (\d+) jit-ms (-?\d+) warm-s (\S+)( warm-up-capped)?/.exec(r.stderr);
  if (!m) fail(`${w.name} / ${c.name}: unexpected output:\n${r.stderr.slice(-2000)}`);
  return {
    checksum: m[1],
    wholeWall: Number(m[2]),
    wholeCpu: Number(m[3]),
    wholeJit: Number(m[4]),
    steady: Number(m[5]) / 1000, // us per op
    warmed: Number(m[9]),
    capped: Boolean(m[10]),
    log: r.stdout,
  };
}

/** Runs one workload's configurations alternating; returns their medians. */
function measure(w, configs) {
  const results = configs.map(() => []);
  const checksums = new Set();
  for (let i = 0; i < runs; i++) {
    const cells = new Array(configs.length);
    for (let j = 0; j < configs.length; j++) {
      const k = (i + j) % configs.length; // rotate who goes first
      const r = runJava(w, configs[k], [], w.whole, opt.warm, opt.time);
      checksums.add(r.checksum);
      results[k].push(r);
      cells[k] = `${r.steady.toFixed(1)} us/op (after ${r.warmed} s warm-up${r.capped ? ", CAPPED: JIT still busy" : ""}), whole ${r.wholeWall} ms wall (cpu ${r.wholeCpu}, jit ${r.wholeJit})`;
    }
    console.log(`run ${i + 1} (load average ${loadavg()[0].toFixed(1)}):`);
    configs.forEach((c, k) => console.log(`  ${c.name.padEnd(38)} ${cells[k]}`));
  }
  if (checksums.size !== 1) fail(`${w.name}: CHECKSUMS DIFFER: ${[...checksums].join(", ")}`);
  console.log(`checksum ${[...checksums][0]} in all ${runs * configs.length} runs`);
  return results.map((rs) => ({
    steady: median(rs.map((r) => r.steady)),
    wholeWall: median(rs.map((r) => r.wholeWall)),
    wholeCpu: median(rs.map((r) => r.wholeCpu)),
    checksum: rs[0].checksum,
  }));
}

/** -XX:+PrintCompilation of each configuration (split ones under -Xverify:all). */
function compilations(w, configs, expect) {
  for (const c of configs) {
    const extra = ["-XX:+PrintCompilation", ...(c.split ? ["-Xverify:all"] : [])];
    const r = runJava(w, c, extra, w.whole, "1", "0.5");
    if (r.checksum !== expect) fail(`${w.name} / ${c.name} with ${extra.join(" ")}: checksum ${r.checksum} != ${expect}`);
    console.log(`  JIT, ${c.name}: ${compilationSummary(r.log, w.method).join("; ")}`);
  }
}

/** -XX:+PrintInlining of a configuration that missed, saved as evidence. */
function inliningEvidence(w, c, text, expect) {
  const flags = ["-XX:+UnlockDiagnosticVMOptions", "-XX:+PrintCompilation", "-XX:+PrintInlining"];
  const r = runJava(w, c, flags, w.whole, "1", "0.5");
  if (r.checksum !== expect) fail(`${w.name} / ${c.name} with ${flags.join(" ")}: checksum ${r.checksum} != ${expect}`);
  const file = join(here, "evidence", `${w.name}.txt`);
  mkdirSync(dirname(file), { recursive: true });
  const body = [
    `# bench/jit-unlock evidence for ${w.name} (${c.name}): ${text}`,
    `# java ${[...c.flags, ...flags].join(" ")} -cp ... Harness ${w.entry} ${w.whole} 1 0.5`,
    "# PrintCompilation summary:",
    ...compilationSummary(r.log, w.method).map((l) => `#   ${l}`),
    "# PrintInlining decisions mentioning the method and its pieces (first 40, de-duplicated):",
    ...inliningExcerpt(r.log, w.method),
    "",
  ].join("\n");
  writeFileSync(file, body);
  console.log(`  evidence: ${relative(root, file)}`);
}

const table = [];
console.log(
  `bench/jit-unlock: ${selected.length} workloads, ${runs} alternating runs each; whole run = fixed ops from a cold JVM, ` +
    `then warm-up >= ${opt.warm} s and >= 2 x whole ops (until the JIT is quiet, at most ${20 * Number(opt.warm)} s) and steady state over ${opt.time} s; ${cpus().length} CPUs, load average ${loadavg()[0].toFixed(1)}`,
);
for (const w of selected) {
  console.log(`\n== ${w.name}: ${w.about}; whole run = ${w.whole} ops`);
  const configs = prepare(w);
  const med = measure(w, configs);
  configs.forEach((c, k) =>
    console.log(`  ${c.name.padEnd(38)} median steady ${med[k].steady.toFixed(1).padStart(9)} us/op   whole ${String(med[k].wholeWall).padStart(6)} ms wall, ${String(med[k].wholeCpu).padStart(6)} ms cpu`),
  );
  compilations(w, configs, med[0].checksum);
  configs.forEach((c, k) => {
    if (!c.split || c.baseline) return;
    const vsHuge = med[1].steady / med[k].steady;
    const vsOrig = med[0].steady / med[k].steady;
    const wholeVsHuge = med[1].wholeCpu / med[k].wholeCpu;
    const wholeVsOrig = med[0].wholeCpu / med[k].wholeCpu;
    const meets = vsHuge >= 0.9 && vsOrig >= 1.0;
    console.log(
      `  ${c.name}: steady ${vsHuge.toFixed(2)}x of -XX:-DontCompileHugeMethods (target >= 0.9), ${vsOrig.toFixed(2)}x of original (>= 1.0); ` +
        `whole run (process CPU) ${wholeVsHuge.toFixed(2)}x and ${wholeVsOrig.toFixed(2)}x   ${meets ? "MEETS" : "MISSES"}`,
    );
    const row = { workload: w.name, config: c.name, med: [med[0], med[1], med[k]], vsHuge, vsOrig, wholeVsHuge, wholeVsOrig, meets };
    if (c.pair !== undefined) {
      const b = med[c.pair];
      Object.assign(row, { base: b, vsBase: b.steady / med[k].steady, wholeVsBase: b.wholeCpu / med[k].wholeCpu });
      console.log(
        `  ${c.name} vs the baseline's (${baseline.label}): steady ${row.vsBase.toFixed(2)}x, whole run (process CPU) ${row.wholeVsBase.toFixed(2)}x (above 1 = this checkout's split is faster)`,
      );
    }
    table.push(row);
    const evidence = join(here, "evidence", `${w.name}.txt`);
    if (opt["no-evidence"] || c.name !== `split --link ${links[0]}`) return;
    if (!meets) inliningEvidence(w, c, `steady ${vsHuge.toFixed(2)}x of -XX:-DontCompileHugeMethods, ${vsOrig.toFixed(2)}x of original`, med[0].checksum);
    else if (existsSync(evidence) && statSync(evidence).isFile()) rmSync(evidence); // from an earlier run that missed
  });
}

const f = (v, d = 1) => v.toFixed(d);
console.log(`\n| workload | split | original us/op | -XX:-DontCompileHugeMethods us/op | split us/op | split vs Huge | split vs original | whole cpu (wall) ms: original | Huge | split | whole vs Huge | whole vs original |`);
console.log(`|---|---|--:|--:|--:|--:|--:|--:|--:|--:|--:|--:|`);
for (const t of table) {
  const [o, h, s] = t.med;
  console.log(
    `| ${t.workload} | ${t.config.replace("split ", "")} | ${f(o.steady)} | ${f(h.steady)} | ${f(s.steady)} | ${f(t.vsHuge, 2)}x${t.vsHuge < 0.9 ? " (miss)" : ""} | ${f(t.vsOrig, 2)}x${t.vsOrig < 1 ? " (miss)" : ""} | ${o.wholeCpu} (${o.wholeWall}) | ${h.wholeCpu} (${h.wholeWall}) | ${s.wholeCpu} (${s.wholeWall}) | ${f(t.wholeVsHuge, 2)}x | ${f(t.wholeVsOrig, 2)}x |`,
  );
}
if (baseline) {
  console.log(`\nThis checkout's split against the baseline's (${baseline.label}), same runs (ratio = baseline time / this time: above 1 = faster now, below 1 = a regression):`);
  console.log(`| workload | split | split us/op | baseline split us/op | steady vs baseline | whole cpu (wall) ms: split | baseline split | whole vs baseline |`);
  console.log(`|---|---|--:|--:|--:|--:|--:|--:|`);
  for (const t of table) {
    const s = t.med[2];
    console.log(
      `| ${t.workload} | ${t.config.replace("split ", "")} | ${f(s.steady)} | ${f(t.base.steady)} | ${f(t.vsBase, 2)}x | ${s.wholeCpu} (${s.wholeWall}) | ${t.base.wholeCpu} (${t.base.wholeWall}) | ${f(t.wholeVsBase, 2)}x |`,
    );
  }
}
const java = spawnSync("java", ["-version"], { encoding: "utf8" }).stderr.split("\n")[1];
const note = `${java}; ${cpus().length} CPUs, load average ${loadavg()[0].toFixed(1)} at the end; medians of ${runs} alternating runs`;
console.log(`${note}; ${table.filter((t) => t.meets).length} of ${table.length} meet both targets`);

if (!opt["no-chart"] && table.length > 0) {
  const series = ["original", "-XX:-DontCompileHugeMethods", "split at 8000", ...(baseline ? [`split at 8000, baseline ${baseline.label}`] : [])];
  const withBase = (now, base) => (baseline ? [...now, base] : now);
  const baseNote = baseline ? `; the baseline bar's label: this checkout's split's speed vs the baseline's` : "";
  const groups = table.map((t) => (links.length > 1 ? `${t.workload} (${t.config.replace("split --link ", "")})` : t.workload));
  // One chart per figure: steady state (label: vs Huge, target 0.9x) and whole run.
  const charts = [
    { file: "chart.svg", title: "steady state, median CPU us per op", unit: "us/op", metric: "steady", vsHuge: "vsHuge", vsBase: "vsBase", target: " (target >= 0.9x)" },
    { file: "chart-whole.svg", title: "whole run from a cold JVM, median process CPU ms", unit: "ms", metric: "wholeCpu", vsHuge: "wholeVsHuge", vsBase: "wholeVsBase", target: "" },
  ];
  const written = charts.map((c) =>
    writeBarChart(join(here, c.file), {
      title: `bench/jit-unlock: ${c.title} (lower is better)`,
      unit: c.unit,
      groups,
      series,
      values: table.map((t) => withBase(t.med.map((m) => m[c.metric]), t.base?.[c.metric])),
      labels: table.map((t) => withBase([null, null, `${t[c.vsHuge].toFixed(2)}x`], `${t[c.vsBase]?.toFixed(2)}x`)),
      note: `label: split's speed vs -XX:-DontCompileHugeMethods${c.target}${baseNote}. ${note}`,
    }),
  );
  console.log(`charts: ${written.map((f) => relative(root, f)).join(", ")}`);
}
rmSync(work, { recursive: true, force: true });
