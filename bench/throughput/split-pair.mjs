#!/usr/bin/env node
/**
 * bench/throughput/split-pair.mjs: before/after figures for a change to the
 * splitter on a loaded machine. Imports two builds (`dist/` directories, e.g. a
 * worktree of main's and this tree's) into one process, reads the jar once, then
 * calls `splitBundle` (`workers: 0`) alternately with each build, first one then
 * the other, swapping the order every round, and prints the CPU of every call
 * (process.cpuUsage). Each build's first call is cold and left out of the
 * summary: the warm medians and the median over the rounds of B's call over A's,
 * the pairs being close in time, so a load that changes between rounds moves
 * both. Also prints a signature of each result (methods, bytes): the two builds
 * of a byte-identical change print the same. A script, not a test.
 *
 *   node bench/throughput/split-pair.mjs DIST_A DIST_B [ROUNDS=6] [MAX_SIZE=1024] [JAR]
 */
import { loadavg } from "node:os";
import { resolve } from "node:path";
import { pathToFileURL } from "node:url";

const [distA, distB, rounds = "6", maxSize = "1024", jar = "/usr/share/java/jython.jar"] = process.argv.slice(2);
if (!distA || !distB) throw new Error("usage: split-pair.mjs DIST_A DIST_B [ROUNDS] [MAX_SIZE] [JAR]");
const load = async (dist) => ({
  splitBundle: (await import(pathToFileURL(resolve(dist, "src/split/split-bundle.js")).href)).splitBundle,
  readBundle: (await import(pathToFileURL(resolve(dist, "src/bundle/read.js")).href)).readBundle,
});
const builds = { A: await load(distA), B: await load(distB) };
const { bundle } = await builds.A.readBundle(jar);
const cpuMs = () => {
  const u = process.cpuUsage();
  return (u.user + u.system) / 1000;
};
const times = { A: [], B: [] };
for (let round = 0; round < Number(rounds); round++) {
  for (const side of round % 2 === 0 ? ["A", "B"] : ["B", "A"]) {
    const before = cpuMs();
    const r = await builds[side].splitBundle(bundle, { maxSize: Number(maxSize), workers: 0 });
    const ms = cpuMs() - before;
    times[side].push(ms);
    const bytes = r.bundle.entries.reduce((n, e) => n + e.data.length, 0);
    console.log(`round ${round + 1} ${side} ${ms.toFixed(0)} ms cpu  sig methods=${r.reports.length} bytes=${bytes}  load ${loadavg()[0].toFixed(1)}`);
  }
}
const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const ratios = times.A.slice(1).map((a, i) => times.B[i + 1] / a);
if (ratios.length > 0) {
  console.log(`cold A ${times.A[0].toFixed(0)} B ${times.B[0].toFixed(0)} ms (the first call of the process pays for both: compare colds with split-in-process.mjs --calls 1)`);
  console.log(`warm median A ${median(times.A.slice(1)).toFixed(0)} B ${median(times.B.slice(1)).toFixed(0)} ms; B/A per round ${ratios.map((r) => r.toFixed(3)).join(" ")}, median ${median(ratios).toFixed(3)}`);
}
