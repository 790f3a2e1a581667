#!/usr/bin/env node
/**
 * jit-probe: where the steady state's CPU goes in HotSpot's compiled code, by
 * source line, for several builds of one workload class side by side (the unsplit
 * method under -XX:-DontCompileHugeMethods against megasplit's split, say). Each
 * variant runs bench/jit-unlock/Harness.java under `perf record -e cycles:u` with
 * -XX:+DebugNonSafepoints and -XX:CompileCommand=print on the methods named by
 * <method-filter>, so HotSpot prints every compiled body's code range and, for
 * each stretch of machine code, the bytecode index and source line it came from
 * (no disassembler plugin needed: the listing's annotations are enough). The
 * samples of the Harness's timed slice (the last 2 s of the run) are attributed to
 * the compiled body and the line of the last annotation at or before their
 * address. Prints, per variant, samples per 1,000 ops (the Harness's steady wall
 * time per op) by compiled body; then per bucket of source lines (and "no line":
 * code megasplit added, whose instructions carry no line) against the first
 * variant. Only `perf` is needed (Debian `linux-perf`, user-space cycles: a
 * perf_event_paranoid of 2 allows them). A script for investigations, not a
 * benchmark: jit-speed.md says what it showed.
 *
 *   node bench/jit-probe/perf-lines.mjs <class> <whole-ops> <method-filter> [--bucket 100] name=<classpath>[@<jvm flags>] ...
 *
 * Classpaths separate entries with ':'; JVM flags in `@...` separate with ','.
 */
import { execFileSync, spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const here = dirname(fileURLToPath(import.meta.url));
const args = process.argv.slice(2);
const bucketAt = args.indexOf("--bucket");
const bucket = bucketAt >= 0 ? Number(args.splice(bucketAt, 2)[1]) : 100;
const [cls, whole, filter, ...specs] = args;
if (!cls || !whole || !filter || specs.length === 0 || !(bucket > 0)) {
  console.error("usage: perf-lines.mjs <class> <whole-ops> <method-filter> [--bucket N] name=<classpath>[@flags] ...");
  process.exit(2);
}
if (spawnSync("perf", ["--version"]).status !== 0) {
  console.error("perf-lines: `perf` is not on PATH (Debian: apt-get install linux-perf)");
  process.exit(2);
}
const work = mkdtempSync(join(tmpdir(), "perf-lines-"));
execFileSync("javac", ["-d", work, join(here, "../jit-unlock/Harness.java")]);

/** Compiled bodies in a -XX:CompileCommand=print listing: name, code range, and (address, line) annotations in order. */
function compiledBodies(listing) {
  const bodies = [];
  let cur;
  let at;
  for (const l of listing.split("\n")) {
    let m;
    if ((m = /^Compiled method \((c\d)\)\s+\d+\s+\d+\s+(%?)\s*\d\s+(\S+)/.exec(l))) {
      cur = { name: `${m[3]} ${m[1]}${m[2] ? " OSR" : ""}`, lo: 0n, hi: 0n, marks: [] };
      bodies.push(cur);
      at = undefined;
    } else if (cur && (m = /main code\s+\[(0x[0-9a-f]+),(0x[0-9a-f]+)\]/.exec(l))) {
      cur.lo = BigInt(m[1]);
      cur.hi = BigInt(m[2]);
    } else if (cur && (m = /^\s+(0x[0-9a-f]+):/.exec(l))) {
      at = BigInt(m[1]);
    } else if (cur && at !== undefined && (m = /; - (?:\(reexecute\) )?\S+@\d+ \(line (\d+)\)/.exec(l))) {
      // The innermost frame comes first: one line per address.
      if (cur.marks.at(-1)?.at !== at) cur.marks.push({ at, line: Number(m[1]) });
    }
  }
  for (const b of bodies) b.marks.sort((x, y) => (x.at < y.at ? -1 : x.at > y.at ? 1 : 0));
  return bodies;
}

function lineAt(body, ip) {
  let lo = 0;
  let hi = body.marks.length - 1;
  let k = -1;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    if (body.marks[mid].at <= ip) {
      k = mid;
      lo = mid + 1;
    } else hi = mid - 1;
  }
  return k < 0 ? -1 : body.marks[k].line;
}

const results = [];
for (const [n, spec] of specs.entries()) {
  const [name, rest] = spec.split(/=(.*)/s);
  const [cp, flags] = rest.split("@");
  const data = join(work, `${n}.data`);
  const jvm = [...(flags ? flags.split(",") : []), "-XX:+UnlockDiagnosticVMOptions", "-XX:+DebugNonSafepoints", "-XX:CompileCommand=quiet", `-XX:CompileCommand=print,${filter}`];
  const r = spawnSync("perf", ["record", "-q", "-e", "cycles:u", "-o", data, "--", "java", ...jvm, "-cp", `${work}:${cp}`, "Harness", cls, whole, "3", "2"], { encoding: "utf8", maxBuffer: 1 << 30 });
  const out = `${r.stdout}\n${r.stderr}`;
  const stat = /checksum (\S+) .*steady-wall-ns\/op (\S+)/.exec(out);
  if (r.status !== 0 || !stat) {
    console.error(`perf-lines: ${name} did not run (status ${r.status})\n${out.slice(-2000)}`);
    process.exit(1);
  }
  const samples = execFileSync("perf", ["script", "-i", data, "-F", "time,ip"], { encoding: "utf8", maxBuffer: 1 << 30, stdio: ["ignore", "pipe", "ignore"] })
    .trim()
    .split("\n")
    .map((l) => l.trim().split(/\s+/))
    .map(([t, ip]) => [Number.parseFloat(t), BigInt(`0x${ip}`)]);
  const end = samples.at(-1)[0];
  const slice = samples.filter(([t]) => t >= end - 2.0 && t < end - 0.1);
  const ops = 1.9e9 / Number(stat[2]);
  const bodies = compiledBodies(out);
  const byBody = new Map();
  const byBucket = new Map();
  let elsewhere = 0;
  for (const [, ip] of slice) {
    const b = bodies.find((x) => ip >= x.lo && ip < x.hi);
    if (!b) {
      elsewhere++;
      continue;
    }
    byBody.set(b.name, (byBody.get(b.name) ?? 0) + 1);
    const line = lineAt(b, ip);
    const key = line < 0 ? -1 : Math.floor(line / bucket) * bucket;
    byBucket.set(key, (byBucket.get(key) ?? 0) + 1);
  }
  const per = (c) => (1000 * c) / ops;
  results.push({ name, checksum: stat[1], nsPerOp: Number(stat[2]), per, byBody, byBucket, elsewhere, total: slice.length });
}
rmSync(work, { recursive: true, force: true });

console.log(`samples per 1,000 ops in the timed slice (cycles:u; ops from each run's steady wall time per op)`);
for (const v of results) {
  console.log(`\n${v.name}: ${(v.nsPerOp / 1000).toFixed(1)} us/op, checksum ${v.checksum}, ${v.per(v.total).toFixed(0)} samples/1000 ops, ${v.per(v.elsewhere).toFixed(0)} outside the printed bodies`);
  for (const [b, c] of [...v.byBody].sort((x, y) => y[1] - x[1])) console.log(`  ${v.per(c).toFixed(0).padStart(7)}  ${b}`);
}
const keys = [...new Set(results.flatMap((v) => [...v.byBucket.keys()]))].sort((a, b) => a - b);
console.log(`\nby source line (buckets of ${bucket}; "no line": code without a line, megasplit's stubs), samples/1000 ops`);
console.log(["lines".padEnd(12), ...results.map((v) => v.name.padStart(12)), ...results.slice(1).map((v) => `${v.name}-${results[0].name}`.padStart(16))].join(" "));
for (const k of keys) {
  const cells = results.map((v) => v.per(v.byBucket.get(k) ?? 0));
  const label = k < 0 ? "no line" : `${k}-${k + bucket - 1}`;
  console.log([label.padEnd(12), ...cells.map((c) => c.toFixed(0).padStart(12)), ...cells.slice(1).map((c) => (c - cells[0]).toFixed(0).padStart(16))].join(" "));
}
const sums = results.map((v) => v.per([...v.byBucket.values()].reduce((a, b) => a + b, 0)));
console.log(["all".padEnd(12), ...sums.map((c) => c.toFixed(0).padStart(12)), ...sums.slice(1).map((c) => (c - sums[0]).toFixed(0).padStart(16))].join(" "));
if (new Set(results.map((v) => v.checksum)).size !== 1) {
  console.error("perf-lines: the variants printed different checksums");
  process.exit(1);
}
