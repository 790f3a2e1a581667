#!/usr/bin/env node
/**
 * bench/transfers: what one cross-piece transfer costs in a compiled hot loop, for
 * each link mode (auto, direct, switch, indy) and each hand-over (parameters, heap
 * frame), against the same loop unsplit. generate.mjs writes two workloads with the
 * same few-hundred-byte loop body (LoopAcross: the loop runs across the pieces, so
 * every mode uses the heap frame; CallSplit: the loop calls a split method once per
 * iteration, one transfer per call, parameters under direct/auto); javac compiles
 * them and the built CLI splits them at a small --max-size (default 650: the 763-
 * and 703-byte methods become a driver and one piece). Modes whose class bytes equal
 * another's are measured once.
 *
 * Every configuration first runs once under -XX:+PrintCompilation and
 * -XX:+UnlockDiagnosticVMOptions -XX:+PrintInlining: the table says which tier each
 * split method reached and what C1/C2 decided at the call sites into them (inlined,
 * or why not). Then all run alternating, default flags, `runs` times: each JVM calls
 * run(n) `rounds` times and reports the median CPU ns per iteration over the last
 * half of the rounds (steady state) and the wall ns per iteration over all rounds
 * (interpretation and compilation included). The checksum of every run must equal the
 * unsplit one's (a difference stops the benchmark). Prints medians and speed relative
 * to the unsplit loop (unsplit time / split time: 1.00 = as fast, the target for
 * --link auto is 0.80 or more) and writes a chart. Asserts nothing about time;
 * exits non-zero only when it could not run (a missing tool, a failed build, split
 * or run, a differing checksum).
 *
 * `--baseline DIR` (a checkout whose dist/ is built, e.g. a worktree of an older
 * commit) also splits both workloads with DIR's CLI in every link mode and runs
 * those splits as more configurations ("link L (baseline)") in the same
 * alternation, under the same checksum; a last table prints this checkout's split
 * against the baseline's of the same link mode, steady and whole (above 1 = this
 * checkout's is faster): correct but slower is a regression.
 *
 *   npm run bench -- transfers [--runs 5] [--rounds 60] [--n 300000] [--max-size 650] [--statements 36]
 *                              [--baseline DIR] [--chart FILE]
 */
import { execFileSync, spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { cpus, loadavg, tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { parseArgs } from "node:util";
import { baselineOf, cliOf } from "../lib/baseline.mjs";
import { writeBarChart } from "../lib/chart.mjs";
import { median } from "../lib/median.mjs";

const here = dirname(fileURLToPath(import.meta.url));
const cli = cliOf(join(here, "../.."));
const { values: opts } = parseArgs({
  options: {
    runs: { type: "string", default: "5" },
    rounds: { type: "string", default: "60" },
    n: { type: "string", default: "300000" },
    "max-size": { type: "string", default: "650" },
    statements: { type: "string", default: "36" },
    baseline: { type: "string" },
    chart: { type: "string", default: join(here, "chart.svg") },
  },
});
if (!existsSync(cli)) {
  console.error("bench/transfers: dist/src/cli/main.js is missing: run `npm run build` first");
  process.exit(2);
}
const baseline = opts.baseline ? baselineOf(opts.baseline, "bench/transfers") : undefined;
const runs = Number(opts.runs);
const work = mkdtempSync(join(tmpdir(), "megasplit-transfers-"));
const sh = (cmd, args) => execFileSync(cmd, args, { encoding: "utf8", maxBuffer: 1 << 28 });
const dir = (name) => join(work, name);

sh(process.execPath, [join(here, "generate.mjs"), dir("src"), opts.statements]);
sh("javac", ["-d", dir("orig"), join(dir("src"), "LoopAcross.java"), join(dir("src"), "CallSplit.java")]);

const WORKLOADS = [
  { cls: "LoopAcross", method: "run(IJ)J", what: "loop across pieces" },
  { cls: "CallSplit", method: "step(JI)J", what: "loop calling a split method" },
];
const LINKS = ["auto", "direct", "switch", "indy"];

/**
 * The builds split: this checkout's and, with --baseline, the baseline's (its
 * --json report has the same fields). Split reports per build and link mode: the
 * workload's method as --json describes it.
 */
const builds = [{ tag: "", cli, prefix: "split" }, ...(baseline ? [{ tag: " (baseline)", cli: baseline.cli, prefix: "baseline" }] : [])];
const reports = {};
for (const b of builds) {
  for (const link of LINKS) {
    const out = dir(`${b.prefix}-${link}`);
    reports[`${b.prefix}-${link}`] = JSON.parse(sh(process.execPath, [b.cli, "split", dir("orig"), "-o", `${out}/`, "--max-size", opts["max-size"], "--link", link, "--json", "--mapping", `${out}.mapping`])).methods;
  }
}
const shape = (w, b, link) => {
  const m = reports[`${b.prefix}-${link}`].find((x) => x.className === w.cls && x.method === w.method);
  if (!m || m.status !== "split") return undefined;
  return { pieces: m.pieces.length, driver: m.driverLength, lengths: m.pieces.map((p) => p.length), edges: m.crossEdges, handover: [...new Set(m.handover)].join("+") };
};

/** One configuration per workload, build and distinct split: unsplit first. */
const configs = [];
for (const w of WORKLOADS) {
  configs.push({ w, name: "unsplit", cp: dir("orig") });
  for (const b of builds) {
    const seen = new Map();
    for (const link of LINKS) {
      const s = shape(w, b, link);
      if (!s) {
        console.log(`${w.cls} --link ${link}${b.tag}: not split at --max-size ${opts["max-size"]}`);
        continue;
      }
      const bytes = readFileSync(join(dir(`${b.prefix}-${link}`), `${w.cls}.class`)).toString("base64");
      const same = seen.get(bytes);
      if (same) {
        same.links.push(link);
        continue;
      }
      const c = { w, name: `link ${link}${b.tag}`, tag: b.tag, links: [link], cp: dir(`${b.prefix}-${link}`), shape: s, bytes };
      seen.set(bytes, c);
      configs.push(c);
    }
  }
}
const label = (c) => (c.links ? `link ${c.links.join("/")}${c.tag}` : c.name);
for (const c of configs) {
  if (c.shape) {
    const s = c.shape;
    console.log(`${c.w.cls} --${label(c)}: driver ${s.driver} + ${s.pieces} piece(s) [${s.lengths.join(", ")}], ${s.edges} cross-piece edge(s), values as ${s.handover}`);
  }
}
// This checkout's split of a link mode against the baseline's split of the same mode.
const pairOf = (c) => configs.find((x) => x.w === c.w && x.tag && x.links.includes(c.links[0]));

const java = (c, extra, rounds, n) => {
  const r = spawnSync("java", [...extra, "-cp", c.cp, c.w.cls, String(rounds), String(n)], { encoding: "utf8", maxBuffer: 1 << 28 });
  if (r.status !== 0) throw new Error(`${c.w.cls} ${c.name} failed:\n${r.stdout.slice(-2000)}\n${r.stderr.slice(-2000)}`);
  return r;
};

/**
 * What the JIT did with the workload's own methods: the highest tier each reached
 * (PrintCompilation; `%` = on-stack replacement) and, per callee, the inlining
 * decisions printed at call sites into it, with counts (C1 and C2 both print:
 * "callee is too large" is C1's MaxInlineSize rule at tier 3, "hot method too big"
 * C2's FreqInlineSize rule, "inline (hot)" C2 inlining it).
 */
function jitSummary(c) {
  // HotSpot's diagnostics go to stderr, so they cannot interleave with the checksum line on stdout.
  const r = java(c, ["-XX:+UnlockDiagnosticVMOptions", "-XX:+DisplayVMOutputToStderr", "-XX:+PrintCompilation", "-XX:+PrintInlining"], 20, 200000);
  const out = r.stderr;
  const tiers = new Map();
  const inlining = new Map();
  const compileLine = new RegExp(`^\\s*\\d+\\s+\\d+\\s+([%sbn! ]*)\\s+(\\d)\\s+${c.w.cls}::(\\S+)`);
  const inlineLine = new RegExp(`@ \\d+\\s+${c.w.cls}::(\\S+) \\(\\d+ bytes\\)\\s+(.*)$`);
  for (const line of out.split("\n")) {
    const m = compileLine.exec(line);
    if (m && !line.includes("made not entrant")) {
      const key = m[3] + (m[1].includes("%") ? " (OSR)" : "");
      tiers.set(key, Math.max(tiers.get(key) ?? 0, Number(m[2])));
      continue;
    }
    const i = inlineLine.exec(line);
    if (i) {
      const per = inlining.get(i[1]) ?? new Map();
      const msg = i[2].trim() || "(no reason printed)";
      per.set(msg, (per.get(msg) ?? 0) + 1);
      inlining.set(i[1], per);
    }
  }
  const t = [...tiers].map(([k, v]) => `${k} t${v}`).join(", ");
  const inl = [...inlining].map(([callee, per]) => `${callee}: ${[...per].map(([msg, k]) => `${msg} x${k}`).join("; ")}`).join(" | ");
  const checksum = /^checksum (\S+)/.exec(r.stdout)?.[1];
  return { tiers: t, inlining: inl || "no call sites into the class's methods compiled", checksum };
}
for (const c of configs) {
  c.jit = jitSummary(c);
  // Same rounds and n for every configuration of a workload: the split must compute what the unsplit did.
  const ref = configs.find((x) => x.w === c.w).jit.checksum;
  if (!c.jit.checksum || c.jit.checksum !== ref) throw new Error(`${c.w.cls} ${c.name} under -XX:+PrintInlining: checksum ${c.jit.checksum} differs from the unsplit ${ref}`);
}

const parse = (out) => {
  const m = /checksum (\S+) steady-ns (\S+) whole-ns (\S+)/.exec(out);
  if (!m) throw new Error(`unexpected output: ${out}`);
  return { checksum: m[1], steady: Number(m[2]), whole: Number(m[3]) };
};
for (const c of configs) c.results = [];
for (let r = 0; r < runs; r++) {
  const line = [];
  for (const c of configs) {
    const res = parse(java(c, [], opts.rounds, opts.n).stdout);
    const ref = configs.find((x) => x.w === c.w).results[0] ?? res;
    if (res.checksum !== ref.checksum) throw new Error(`${c.w.cls} ${c.name}: checksum ${res.checksum} differs from the unsplit ${ref.checksum}`);
    c.results.push(res);
    line.push(`${c.w.cls} ${c.name} ${res.steady.toFixed(2)}/${res.whole.toFixed(2)}`);
  }
  console.log(`run ${r + 1} (steady/whole ns per iteration): ${line.join(", ")}   (load average ${loadavg()[0].toFixed(1)})`);
}
for (const c of configs) {
  c.steady = median(c.results.map((x) => x.steady));
  c.whole = median(c.results.map((x) => x.whole));
}
const base = (c) => configs.find((x) => x.w === c.w);

console.log(`\nnode ${process.version}, ${spawnSync("java", ["-version"], { encoding: "utf8" }).stderr.split("\n")[0]}; ${cpus().length} CPUs, load average ${loadavg().map((x) => x.toFixed(1)).join(" ")}`);
console.log(`--max-size ${opts["max-size"]}, ${opts.statements} statements a body, ${opts.rounds} rounds of ${opts.n} iterations a run, medians of ${runs} alternating runs; speed = unsplit time / split time (target for auto: >= 0.80)`);
const head = `${"workload".padEnd(12)} ${"config".padEnd(40)} ${"shape".padEnd(48)} ${"steady ns".padStart(9)} ${"speed".padStart(6)} ${"+ns/iter".padStart(8)} ${"whole ns".padStart(9)} ${"speed".padStart(6)}`;
console.log(head);
for (const c of configs) {
  const s = c.shape;
  const shapeText = s ? `${s.pieces + 1} methods (${s.driver}+${s.lengths.join("+")} B), ${s.edges} edge(s), ${s.handover}` : "one method";
  const name = label(c);
  console.log(
    `${c.w.cls.padEnd(12)} ${name.padEnd(40)} ${shapeText.padEnd(48)} ${c.steady.toFixed(2).padStart(9)} ${(base(c).steady / c.steady).toFixed(2).padStart(6)} ${(c.steady - base(c).steady).toFixed(2).padStart(8)} ${c.whole.toFixed(2).padStart(9)} ${(base(c).whole / c.whole).toFixed(2).padStart(6)}`,
  );
}
console.log("+ns/iter: steady ns per iteration above the unsplit loop's, i.e. the cost of the iteration's transfers");
console.log("\nJIT (one run with -XX:+PrintCompilation -XX:+PrintInlining, 20 rounds; t4 = C2; at call sites \"callee is too large\" is C1 (MaxInlineSize 35), \"hot method too big\" C2 (FreqInlineSize 325), \"inline (hot)\" C2 inlined it):");
for (const c of configs) console.log(`${c.w.cls} ${label(c)}: tiers ${c.jit.tiers}\n    inlining: ${c.jit.inlining}`);
if (baseline) {
  console.log(`\nThis checkout's split against the baseline's (${baseline.label}) of the same link mode, same runs (ratio = baseline time / this time: above 1 = faster now, below 1 = a regression):`);
  console.log(`${"workload".padEnd(12)} ${"config".padEnd(40)} ${"steady ns".padStart(9)} ${"baseline".padStart(9)} ${"ratio".padStart(6)} ${"whole ns".padStart(9)} ${"baseline".padStart(9)} ${"ratio".padStart(6)}  bytes`);
  for (const c of configs) {
    if (!c.links || c.tag) continue;
    const p = pairOf(c);
    if (!p) {
      console.log(`${c.w.cls.padEnd(12)} ${label(c).padEnd(40)} the baseline did not split it`);
      continue;
    }
    console.log(
      `${c.w.cls.padEnd(12)} ${label(c).padEnd(40)} ${c.steady.toFixed(2).padStart(9)} ${p.steady.toFixed(2).padStart(9)} ${(p.steady / c.steady).toFixed(2).padStart(6)} ${c.whole.toFixed(2).padStart(9)} ${p.whole.toFixed(2).padStart(9)} ${(p.whole / c.whole).toFixed(2).padStart(6)}  ${p.bytes === c.bytes ? "identical" : "differ"}`,
    );
  }
}

const seriesNames = ["unsplit", ...builds.flatMap((b) => LINKS.map((l) => `link ${l}${b.tag}`))];
const groups = [];
const values = [];
const labels = [];
for (const w of WORKLOADS) {
  for (const metric of ["steady", "whole"]) {
    groups.push(`${w.cls} ${metric}`);
    const row = seriesNames.map((name) => {
      const c = configs.find((x) => x.w === w && (name === "unsplit" ? x.name === "unsplit" : x.links?.some((l) => `link ${l}${x.tag}` === name)));
      return c ? c[metric] : null;
    });
    values.push(row);
    labels.push(row.map((v, i) => (i > 0 && v ? `${(row[0] / v).toFixed(2)}x` : null)));
  }
}
writeBarChart(opts.chart, {
  title: "bench/transfers: ns per loop iteration, unsplit vs split in two (lower is better)",
  unit: "ns/iteration",
  groups,
  series: seriesNames,
  values,
  labels,
  note: `--max-size ${opts["max-size"]}; labels: speed vs unsplit${baseline ? `; baseline = ${baseline.label}` : ""}; medians of ${runs} alternating runs; ${cpus().length} CPUs, load average ${loadavg()[0].toFixed(1)}`,
});
console.log(`chart: ${opts.chart}`);
rmSync(work, { recursive: true, force: true });
