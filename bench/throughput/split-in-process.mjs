#!/usr/bin/env node
/**
 * bench/throughput/split-in-process.mjs: the splitter's own CPU, in one process.
 * Reads a jar once (`readBundle`), then calls `splitBundle` on it N times in this
 * thread (`workers: 0`), and prints the CPU time (process.cpuUsage: user + system,
 * GC threads included) of each call: the first is cold (V8 still compiling the
 * splitter), the later ones warm. Also prints a signature of each result (entries,
 * output bytes, methods split, pieces, cross-piece edges) so two builds can be checked to agree.
 * Whole-process figures (start-up, jar writing, worker threads) are
 * bench/throughput/run.mjs's; this isolates `splitBundle`. A script, not a test.
 *
 *   node bench/throughput/split-in-process.mjs [--dist DIR] [--jar PATH] [--max-size N] [--calls N]
 */
import { resolve } from "node:path";
import { pathToFileURL } from "node:url";
import { parseArgs } from "node:util";

const { values: opts } = parseArgs({
  options: {
    dist: { type: "string", default: resolve(import.meta.dirname, "../../dist") },
    jar: { type: "string", default: "/usr/share/java/jython.jar" },
    "max-size": { type: "string", default: "1024" },
    calls: { type: "string", default: "4" },
  },
});
const imp = (p) => import(pathToFileURL(resolve(opts.dist, p)).href);
const { readBundle } = await imp("src/bundle/read.js");
const { splitBundle } = await imp("src/split/split-bundle.js");

const cpuMs = () => {
  const u = process.cpuUsage();
  return (u.user + u.system) / 1000;
};
const { bundle } = await readBundle(opts.jar);
const maxSize = Number(opts["max-size"]);
const figures = [];
for (let call = 0; call < Number(opts.calls); call++) {
  const before = cpuMs();
  const result = await splitBundle(bundle, { maxSize, workers: 0 });
  const ms = cpuMs() - before;
  figures.push(ms);
  const bytes = result.bundle.entries.reduce((n, e) => n + e.data.length, 0);
  const split = result.reports.filter((r) => r.result.kind === "split");
  const pieces = split.reduce((n, r) => n + r.result.pieces.length, 0);
  const edges = split.reduce((n, r) => n + r.result.crossEdges, 0);
  console.log(`call ${call + 1} (${call === 0 ? "cold" : "warm"}): ${ms.toFixed(0)} ms cpu  sig entries=${result.bundle.entries.length} bytes=${bytes} split=${split.length} pieces=${pieces} edges=${edges}`);
}
const warm = figures.slice(1).sort((a, b) => a - b);
if (warm.length > 0) console.log(`cold ${figures[0].toFixed(0)} ms, warm median ${warm[Math.floor(warm.length / 2)].toFixed(0)} ms`);
