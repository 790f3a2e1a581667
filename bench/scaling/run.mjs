#!/usr/bin/env node
/**
 * bench/scaling: time and peak memory to split each generated mega-method
 * (samples/generators/: clinit tables, template, interpreter, nested
 * conditionals, parser actions) at 64 KB, 256 KB, 1 MB, 4 MB and 16 MB of bytecode,
 * through the library API (`splitClass` from "megasplit"), one child process per
 * measurement (measure.mjs), so each figure is a whole process: its peak RSS and
 * its wall time include Node's start and building the input; `split` is the
 * splitClass call alone. Runs alternate over sizes and generators; with --runs N
 * the medians are printed; --parallel N runs N children at once (CPU time is what
 * the ratios use). Targets (issue #10): 16 MB under 30 s and 2 GB, and the
 * 16 MB split time at most 20x the 1 MB one. Writes bench/scaling/chart.svg.
 *
 *   npm run bench -- scaling [--runs N] [--sizes 64K,1M] [--generators template,interpreter] [--timeout SECONDS]
 *
 * Sizes are measured in the order given and reported by size; a child that runs
 * past --timeout (default 600 s) is killed and reported as such. Exits 1 when any
 * child failed (crashed, killed, or its split did not succeed), after the table.
 */
import { spawn } from "node:child_process";
import { cpus, loadavg } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { writeBarChart } from "../lib/chart.mjs";
import { median as medianOf } from "../lib/median.mjs";

const here = dirname(fileURLToPath(import.meta.url));
const args = process.argv.slice(2);
const opt = (name, def) => {
  const i = args.indexOf(`--${name}`);
  return i >= 0 ? args[i + 1] : def;
};
const parseSize = (s) => Math.round(Number.parseFloat(s) * (/M$/i.test(s) ? 1 << 20 : /K$/i.test(s) ? 1024 : 1));
const sizes = opt("sizes", "64K,256K,1M,4M,16M").split(",").map((s) => ({ label: s, bytes: parseSize(s) }));
const generators = opt("generators", "clinit-tables,template,interpreter,nested-conditionals,parser-actions").split(",");
const runs = Number(opt("runs", "1"));
const timeoutMs = Number(opt("timeout", "600")) * 1000;

/** One child: the measurement's JSON line plus the wall time, or why it failed. */
function measure(generator, bytes) {
  return new Promise((resolve) => {
    const start = performance.now();
    const child = spawn(process.execPath, ["--max-old-space-size=8192", join(here, "measure.mjs"), generator, String(bytes)], { stdio: ["ignore", "pipe", "pipe"] });
    let out = "";
    let err = "";
    child.stdout.on("data", (d) => (out += d));
    child.stderr.on("data", (d) => (err += d));
    const timer = setTimeout(() => child.kill("SIGKILL"), timeoutMs);
    child.on("close", (code, signal) => {
      clearTimeout(timer);
      const wallMs = performance.now() - start;
      const line = out.trim().split("\n").pop();
      let r;
      try {
        r = JSON.parse(line);
      } catch {
        r = { generator, failure: signal === "SIGKILL" ? `killed after ${Math.round(wallMs / 1000)} s` : (err.trim().split("\n").find((l) => /Error|error/.test(l)) ?? `exit ${code}`).slice(0, 160) };
      }
      resolve({ ...r, wallMs, ok: code === 0 });
    });
  });
}

const median = (xs) => medianOf(xs.filter((x) => Number.isFinite(x))); // a failed run has no figure

const parallel = Number(opt("parallel", "1"));
const results = new Map(); // `${generator} ${label}` -> runs
const jobs = [];
for (let run = 0; run < runs; run++) for (const size of sizes) for (const g of generators) jobs.push({ run, size, g });
async function worker() {
  for (let job = jobs.shift(); job; job = jobs.shift()) {
    const { run, size, g } = job;
    const r = await measure(g, size.bytes);
    const key = `${g} ${size.label}`;
    results.set(key, [...(results.get(key) ?? []), r]);
    const desc = r.failure ? `FAILED: ${r.failure}` : `${(r.bytes / 1024).toFixed(0)} KB, split ${(r.splitMs / 1000).toFixed(2)} s wall ${(r.splitCpuMs / 1000).toFixed(2)} s CPU (peak ${r.peakSplitRssMb} MB), mapping ${(r.mappingMs / 1000).toFixed(2)} s, whole ${(r.wallMs / 1000).toFixed(2)} s, peak ${r.peakRssMb} MB, ${r.pieces} pieces${r.ok ? "" : ` (${r.result}: ${r.reason ?? ""})`}`;
    process.stderr.write(`run ${run + 1}/${runs} ${key}: ${desc}\n`);
  }
}
await Promise.all(Array.from({ length: parallel }, worker));

// Measured in the order given (--sizes 1M,16M,... puts the ratio's cells first); reported by size.
sizes.sort((a, b) => a.bytes - b.bytes);
const pad = (s, n) => String(s).padStart(n);
console.log(`bench/scaling: ${runs === 1 ? "one run" : `medians of ${runs} alternating runs`} per cell, one process each; node ${process.version}, ${cpus().length} CPUs, load average ${loadavg()[0].toFixed(1)}`);
console.log(`${"generator".padEnd(20)}${pad("size", 6)}${pad("KB", 9)}${pad("split s", 10)}${pad("CPU s", 9)}${pad("x 1M", 7)}${pad("whole s", 10)}${pad("split MB", 10)}${pad("peak MB", 9)}${pad("pieces", 8)}${pad("mapping s", 11)}${pad("mapping KB", 12)}`);
const chartGroups = [];
const chartValues = [];
const chartLabels = [];
for (const g of generators) {
  const base = median((results.get(`${g} 1M`) ?? []).filter((r) => r.ok).map((r) => r.splitCpuMs));
  const row = [];
  const labels = [];
  for (const size of sizes) {
    const rs = results.get(`${g} ${size.label}`) ?? [];
    const ok = rs.filter((r) => r.ok);
    if (ok.length === 0) {
      console.log(`${g.padEnd(20)}${pad(size.label, 6)}  ${rs[0]?.failure ?? `${rs[0]?.result}: ${rs[0]?.reason ?? ""}`}`);
      row.push(NaN);
      labels.push(null);
      continue;
    }
    const split = median(ok.map((r) => r.splitMs));
    const splitCpu = median(ok.map((r) => r.splitCpuMs));
    const ratio = Number.isFinite(base) ? splitCpu / base : NaN;
    console.log(
      `${g.padEnd(20)}${pad(size.label, 6)}${pad((median(ok.map((r) => r.bytes)) / 1024).toFixed(0), 9)}${pad((split / 1000).toFixed(2), 10)}${pad((splitCpu / 1000).toFixed(2), 9)}${pad(Number.isFinite(ratio) ? ratio.toFixed(1) : "", 7)}` +
        `${pad((median(ok.map((r) => r.wallMs)) / 1000).toFixed(2), 10)}${pad(median(ok.map((r) => r.peakSplitRssMb)).toFixed(0), 10)}${pad(median(ok.map((r) => r.peakRssMb)).toFixed(0), 9)}${pad(median(ok.map((r) => r.pieces)), 8)}` +
        `${pad((median(ok.map((r) => r.mappingMs)) / 1000).toFixed(2), 11)}${pad(median(ok.map((r) => r.mappingKb)).toFixed(0), 12)}`,
    );
    row.push(splitCpu / 1000);
    labels.push(size.label === "16M" && Number.isFinite(ratio) ? `${ratio.toFixed(1)}x` : null);
  }
  chartGroups.push(g);
  chartValues.push(row);
  chartLabels.push(labels);
}
console.log("split s = wall time of splitClass, CPU s = its CPU time; x 1M = CPU time over the same generator's at 1 MB (target at 16M: at most 20); whole = the child process's wall time (start, build, split, mapping); split MB = peak RSS before the mapping is rendered, peak MB = after");
writeBarChart(join(here, "chart.svg"), {
  title: "bench/scaling: CPU seconds to split one generated method (lower is better)",
  unit: "CPU s (splitClass)",
  groups: chartGroups,
  series: sizes.map((s) => s.label),
  values: chartValues,
  labels: chartLabels,
  note: `${runs === 1 ? "one run" : `medians of ${runs} runs`} per cell; ${cpus().length} CPUs shared, load average ${loadavg()[0].toFixed(1)}; labels: 16 MB time / 1 MB time`,
});
console.log(`chart: ${join("bench/scaling", "chart.svg")}`);
// A child that failed (crashed, killed, or its split did not succeed) is a measurement that could not run.
const failed = [...results].flatMap(([key, rs]) => rs.filter((r) => !r.ok).map(() => key));
if (failed.length > 0) {
  process.stderr.write(`bench/scaling: ${failed.length} of ${runs * sizes.length * generators.length} runs failed: ${[...new Set(failed)].join(", ")}\n`);
  process.exitCode = 1;
}
