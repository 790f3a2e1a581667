#!/usr/bin/env node
/**
 * bench/throughput: how long `megasplit split` takes on a real jar (default
 * Debian's jython.jar), as a whole process, at the default limit and at
 * `--max-size 1024` (every method over 1 KB split: 1,159 methods of jython), against
 * ASM rewriting the same jar with COMPUTE_FRAMES (bench/lib/AsmRoundTrip.java
 * --frames: every method re-encoded and its frames recomputed, the jar re-zipped). The three run
 * alternating in one invocation; each is timed as a whole process (start-up, JIT
 * warm-up and writing the jar included) and its peak resident memory read by
 * /usr/bin/time (Debian's `time`, installed by `npm run setup`), with its CPU time
 * (user + system: on a loaded machine the steadier figure; wall time shows what
 * the worker threads buy). Prints every run
 * with the load average, the medians, the ratios megasplit / ASM (the targets:
 * default limit at most 0.5, --max-size 1024 at most 1.0) and writes a chart. The
 * output of every megasplit run must be byte-identical to that of its first run
 * (the same input gives the same bytes); a difference stops the benchmark.
 *
 * `--baseline DIR` also times the CLI of another checkout (DIR/dist/src/cli/main.js,
 * e.g. a worktree of main) in the same alternation (its runs, too, must each write
 * what its first did) and says whether it writes the same bytes as this checkout:
 * before/after figures for a change, from one invocation. Different bytes are
 * reported, not fatal: a baseline from before a partition change (e.g. e50d5e2)
 * rightly splits differently.
 * `--threads N` passes `--threads N` to this checkout's CLI only (with `--baseline .`
 * that compares N threads against the default in one invocation).
 *
 *   npm run bench -- throughput [--runs 5] [--jar PATH] [--baseline DIR] [--threads N] [--chart FILE]
 */
import { execFileSync, spawnSync } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { cpus, loadavg, tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { parseArgs } from "node:util";
import { baselineOf, cliOf } from "../lib/baseline.mjs";
import { writeBarChart } from "../lib/chart.mjs";
import { median } from "../lib/median.mjs";

const here = dirname(fileURLToPath(import.meta.url));
const root = join(here, "../..");
const { values: opts } = parseArgs({
  options: {
    runs: { type: "string", default: "5" },
    jar: { type: "string", default: "/usr/share/java/jython.jar" },
    baseline: { type: "string" },
    chart: { type: "string", default: join(here, "chart.svg") },
    threads: { type: "string" },
  },
});
const runs = Number(opts.runs);
const asmJar = "/usr/share/java/asm.jar";
const timeBin = "/usr/bin/time";
for (const [path, why] of [
  [cliOf(root), "run `npm run build` first"],
  [asmJar, "install libasm-java (`npm run setup`)"],
  [timeBin, "install Debian's `time` (`npm run setup`)"],
  [opts.jar, "install jython (`npm run setup`) or pass --jar"],
]) {
  if (!existsSync(path)) {
    console.error(`bench/throughput: ${path} is missing: ${why}`);
    process.exit(2);
  }
}

const baseline = opts.baseline ? baselineOf(opts.baseline, "bench/throughput") : undefined;

const work = mkdtempSync(join(tmpdir(), "megasplit-throughput-"));
const classes = join(work, "classes");
mkdirSync(classes);
execFileSync("javac", ["-d", classes, "-cp", asmJar, join(here, "../lib/AsmRoundTrip.java")]);

const sides = [{ name: "ASM COMPUTE_FRAMES", cmd: "java", args: (out) => ["-cp", `${asmJar}:${classes}:${opts.jar}`, "AsmRoundTrip", "--frames", opts.jar, out] }];
const builds = [{ tag: opts.threads ? ` --threads ${opts.threads}` : "", cli: cliOf(root), extra: opts.threads ? ["--threads", opts.threads] : [] }];
if (baseline) builds.push({ tag: " (baseline)", cli: baseline.cli, extra: [] });
for (const limit of [8000, 1024]) {
  for (const b of builds) {
    const extra = limit === 8000 ? [] : ["--max-size", String(limit)];
    sides.push({ name: `split ${limit === 8000 ? "default" : `--max-size ${limit}`}${b.tag}`, limit, baseline: b !== builds[0], cmd: process.execPath, args: (out) => [b.cli, "split", opts.jar, "-o", out, ...extra, ...b.extra] });
  }
}

/** Runs one side as a whole process under /usr/bin/time: wall ms, CPU ms (user + system, all threads) and peak RSS in MB. */
function timed(side, out) {
  const t0 = process.hrtime.bigint();
  const r = spawnSync(timeBin, ["-f", "maxrss-kb %M cpu-s %U %S", side.cmd, ...side.args(out)], { encoding: "utf8", maxBuffer: 1 << 26 });
  const ms = Number(process.hrtime.bigint() - t0) / 1e6;
  if (r.status !== 0) throw new Error(`${side.name} failed (status ${r.status}):\n${r.stdout.slice(-2000)}\n${r.stderr.slice(-2000)}`);
  const m = /maxrss-kb (\d+) cpu-s (\S+) (\S+)/.exec(r.stderr);
  if (!m) throw new Error(`${side.name}: no /usr/bin/time line in its stderr`);
  return { ms, cpu: (Number(m[2]) + Number(m[3])) * 1000, mb: Number(m[1]) / 1024, stdout: r.stdout };
}

const results = sides.map(() => []);
const firstOutput = new Map(); // side index -> the bytes of its first run
for (let i = 0; i < runs; i++) {
  const line = [];
  sides.forEach((side, s) => {
    const out = join(work, `out-${s}.jar`);
    const r = timed(side, out);
    results[s].push(r);
    if (side.limit) {
      // Deterministic output: every run of a side writes what its first did.
      const bytes = readFileSync(out);
      const first = firstOutput.get(s);
      if (!first) firstOutput.set(s, bytes);
      else if (Buffer.compare(first, bytes) !== 0) throw new Error(`${side.name} (run ${i + 1}) wrote different bytes from its run 1`);
    }
    line.push(`${side.name} ${r.ms.toFixed(0)} ms (cpu ${r.cpu.toFixed(0)}) ${r.mb.toFixed(0)} MB`);
  });
  console.log(`run ${i + 1}: ${line.join(", ")}   (load average ${loadavg()[0].toFixed(1)})`);
}
const ms = results.map((rs) => median(rs.map((r) => r.ms)));
const mb = results.map((rs) => median(rs.map((r) => r.mb)));
const cpu = results.map((rs) => median(rs.map((r) => r.cpu)));
const asmInfo = results[0][0].stdout.split("\n")[0].replace(/^iteration 1: \d+ ms /, "");
// The CLI's summary: its last line (older CLIs: "...; wrote X"), or the line before "wrote X and X.mapping".
const splitInfo = (s) => results[s][0].stdout.trim().split("\n").filter((l) => !l.startsWith("wrote ")).at(-1).replace(/; wrote .*/, "");
console.log(`input: ${opts.jar}; node ${process.version}, ${cpus().length} CPUs, ${runs} alternating runs`);
console.log(`ASM: ${asmInfo}`);
sides.forEach((side, s) => side.limit && console.log(`${side.name}: ${splitInfo(s)}`));
console.log(`${"".padEnd(34)} ${"wall ms".padStart(10)} ${"x ASM".padStart(7)} ${"cpu ms".padStart(8)} ${"x ASM".padStart(7)} ${"peak MB".padStart(8)} ${"x ASM".padStart(7)}`);
sides.forEach((side, s) =>
  console.log(`${side.name.padEnd(34)} ${ms[s].toFixed(0).padStart(10)} ${(ms[s] / ms[0]).toFixed(2).padStart(7)} ${cpu[s].toFixed(0).padStart(8)} ${(cpu[s] / cpu[0]).toFixed(2).padStart(7)} ${mb[s].toFixed(0).padStart(8)} ${(mb[s] / mb[0]).toFixed(2).padStart(7)}`),
);
console.log("medians; targets (wall time): split default <= 0.50x ASM's, split --max-size 1024 <= 1.00x; cpu = user + system time of all the process's threads");
const sameAsBaseline = sides.flatMap((side, s) => {
  if (!side.baseline) return [];
  const mine = sides.findIndex((x) => x.limit === side.limit && !x.baseline);
  return [`${Buffer.compare(firstOutput.get(s), firstOutput.get(mine)) === 0 ? "identical" : "DIFFERENT"} at ${side.limit}`];
});
console.log(`outputs: every megasplit run wrote the same jar as its side's first run${baseline ? `; the baseline's against this checkout's: ${sameAsBaseline.join(", ")}` : ""}`);

writeBarChart(opts.chart, {
  title: "bench/throughput: megasplit split vs ASM COMPUTE_FRAMES on jython.jar",
  unit: "median per whole process",
  groups: ["wall time (ms)", "CPU time (ms)", "peak RSS (MB)"],
  series: sides.map((s) => s.name),
  values: [ms, cpu, mb],
  labels: [ms, cpu, mb].map((row) => row.map((v, s) => (s ? `${(v / row[0]).toFixed(2)}x` : null))),
  note: `${cpus().length} CPUs, load average ${loadavg()[0].toFixed(1)} at the end; medians of ${runs} alternating runs; node ${process.version}`,
});
console.log(`chart: ${opts.chart}`);
rmSync(work, { recursive: true, force: true });
