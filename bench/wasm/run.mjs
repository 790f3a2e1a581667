#!/usr/bin/env node
/**
 * bench/wasm: what splitting a huge WebAssembly function (issue 14) does to its
 * start-up and its speed in V8. For each shape of bench/wasm/generate.ts
 * (`interpreter`: run(steps), a br_table loop over a program in memory;
 * `straight-line`: run(seed), template-style statements with if/else) and each
 * function body size (64 KB, 256 KB, 1 MB, 4 MB, 6.6 MB), the unsplit module and
 * the module split by `splitWasmModule` (dist/src/wasm/split/split-module.js) at
 * each `--max-size` run in a fresh `node` per configuration (bench/wasm/child.mjs)
 * under three V8 flag sets: default tiering (Liftoff, then TurboFan for hot
 * functions from their next call), `--liftoff-only`, `--no-liftoff` (TurboFan
 * only). Each child reports
 *   - first call: compile + instantiate + the first round, wall, main-thread CPU
 *     and process CPU ms (the last with V8's background compiler threads);
 *   - steady state: the median of the last half of the later rounds, wall and
 *     main-thread CPU ms (with default tiering, TurboFan code is used from the call
 *     after V8 finishes compiling it in the background, which takes a few rounds).
 * A round is one call of `--steps` interpreter steps (default 3,000,000, the
 * issue's reference) or straight-line calls: `--calls` (default 100) at 6.6 MB,
 * more for smaller bodies so that every size runs the same body bytes a round
 * (64 KB: 10,560 calls); a round then lasts tens of milliseconds at least, which
 * the main-thread clock needs (Linux updates it at scheduler ticks, so it can lag
 * by a tick, 1 to 4 ms, when read by the running thread). Configurations alternate
 * (the order rotates each run); medians over `--runs`. Every round of every
 * configuration must return the checksum the generator's JS reference computes
 * (so split and unsplit compute the same). Ratios are unsplit time / split time
 * (above 1 = the split is faster) in main-thread CPU time (what the caller waits
 * for on a quiet machine, and what a shared one distorts least; wall times are
 * printed beside them). Charts (bench/lib/chart.mjs, main-thread CPU): chart.svg
 * (first call) and chart-steady.svg.
 *
 * `--max-size` defaults to 65536 (a comma list measures several): from the unsplit
 * measurements (BENCHMARKS.md, "bench/wasm"), TurboFan compiles a body of 64 KB in tens of
 * milliseconds and its compile time turns superlinear past 256 KB (1.8 s at 1 MB,
 * 70 s at 6.6 MB), so pieces up to 64 KB can tier up one by one during a call.
 *
 * When dist/src/wasm/split/split-module.js does not exist (not built, or the
 * splitter not merged yet) it measures the unsplit side and prints "split: not
 * available". `--splitter FILE` takes `splitWasmModule` from another built module
 * instead (another checkout's dist/src/wasm/split/split-module.js, to compare).
 * `--loop-spines` splits with the option `loopSpines` (passes/wasm/loop-spines.ts);
 * `--entry-form auto|functions|selector` passes the option `entryForm` (link.ts);
 * `--dispatch tree,indirect,indirect-root` splits once per value of the option `dispatch`
 * (passes/wasm/indirect-dispatch.ts), each a variant measured alternately.
 * `--reach all,1024,16` generates the interpreter once per value of the generator's
 * option `reach` (its program runs only that many handlers, the hottest; the
 * function body is the same bytes), each a workload of its own: how much of the
 * first call is paid for what the program reaches (bench/wasm/results-first-call.md).
 * `--compile sync,async` compiles in the child with `new WebAssembly.Module` (sync,
 * the default) or `await WebAssembly.compile` then `WebAssembly.instantiate` (async),
 * each a configuration measured alternately.
 * A script, not a test: it asserts nothing about time; exits non-zero only when
 * it could not run (a generator or split failure, an invalid split
 * module, a configuration that crashed or timed out, a checksum that differs).
 * It imports the TypeScript generators, so it re-runs itself under tsx (a dev
 * dependency) when started without; the timed children are plain `node`.
 *
 *   npm run bench -- wasm [--shapes interpreter,straight-line] [--sizes 64k,256k,1m,4m,6.6m]
 *                         [--flags default,liftoff-only,no-liftoff] [--max-size 65536[,16384...]]
 *                         [--runs 3] [--rounds 10] [--steps 3000000] [--calls 100] [--no-split] [--splitter FILE]
 *                         [--loop-spines] [--entry-form F] [--dispatch tree,indirect] [--reach all,1024,16]
 *                         [--compile sync,async] [--timeout 600] [--chart FILE] [--no-chart]
 */
import { spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { cpus, loadavg, tmpdir } from "node:os";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { parseArgs } from "node:util";
import { writeBarChart } from "../lib/chart.mjs";
import { median } from "../lib/median.mjs";
import { parseSize } from "../lib/sizes.mjs";
import { runUnderTsx } from "../lib/under-tsx.mjs";

const here = dirname(fileURLToPath(import.meta.url));
const root = runUnderTsx(import.meta.url);

const { values: opt } = parseArgs({
  options: {
    shapes: { type: "string", default: "interpreter,straight-line" },
    sizes: { type: "string", default: "64k,256k,1m,4m,6.6m" },
    flags: { type: "string", default: "default,liftoff-only,no-liftoff" },
    "max-size": { type: "string", default: "65536" },
    runs: { type: "string", default: "3" },
    rounds: { type: "string", default: "10" },
    steps: { type: "string", default: "3000000" },
    calls: { type: "string", default: "100" },
    "no-split": { type: "boolean", default: false },
    splitter: { type: "string" },
    "loop-spines": { type: "boolean", default: false },
    "entry-form": { type: "string" },
    dispatch: { type: "string" },
    reach: { type: "string", default: "all" },
    compile: { type: "string", default: "sync" },
    timeout: { type: "string", default: "600" },
    chart: { type: "string", default: join(here, "chart.svg") },
    "no-chart": { type: "boolean", default: false },
  },
});
const fail = (msg) => {
  console.error(`bench/wasm: ${msg}`);
  process.exit(2);
};

/** "64k" -> 65536, "6.6m" -> 6.6 MiB, "1000" -> 1000 (bench/lib/sizes.mjs); a usage error otherwise. */
const sizeOption = (s) => parseSize(s) ?? fail(`bad size ${s}`);
const FLAG_SETS = { default: [], "liftoff-only": ["--liftoff-only"], "no-liftoff": ["--no-liftoff"] };
const { generateModule, SHAPES, V8_MAX_FUNCTION_BODY } = await import(pathToFileURL(join(here, "generate.ts")).href);
const shapes = opt.shapes.split(",");
for (const s of shapes) if (!SHAPES.includes(s)) fail(`unknown shape ${s} (shapes: ${SHAPES.join(", ")})`);
const sizes = opt.sizes.split(",").map((s) => ({ label: s, bytes: sizeOption(s) }));
for (const s of sizes) if (s.bytes > V8_MAX_FUNCTION_BODY) fail(`size ${s.label} is over V8's limit of ${V8_MAX_FUNCTION_BODY} body bytes: V8 would refuse the unsplit module`);
const flagNames = opt.flags.split(",");
for (const f of flagNames) if (!(f in FLAG_SETS)) fail(`unknown flag set ${f} (${Object.keys(FLAG_SETS).join(", ")})`);
const maxSizes = opt["max-size"].split(",").map(Number);
/** `--dispatch indirect,tree`: a split per way of splitting a huge dispatch table (the splitter's option `dispatch`); none given, the splitter's default. */
const dispatches = opt.dispatch ? opt.dispatch.split(",") : [undefined];
/** `--reach all,1024,16`: the interpreter's program over that many handlers (undefined: all). */
const reaches = opt.reach.split(",").map((r) => (r === "all" ? undefined : Number(r)));
for (const r of reaches) if (r !== undefined && !(Number.isInteger(r) && r >= 1)) fail(`bad --reach value ${r} (all, or an integer of at least 1)`);
const compileModes = opt.compile.split(",");
for (const c of compileModes) if (c !== "sync" && c !== "async") fail(`unknown --compile ${c} (sync, async)`);
const runs = Number(opt.runs);
const steps = Number(opt.steps);
const calls = Number(opt.calls);
const CALLS_SIZE = 6.6 * (1 << 20);
/** Straight-line calls a round for a body of `bodySize` bytes: `--calls` at 6.6 MB, scaled to the same bytes run. */
const callsFor = (bodySize) => Math.max(1, Math.round((calls * CALLS_SIZE) / bodySize));
const timeoutMs = Number(opt.timeout) * 1000;
const argOf = (shape) => (shape === "interpreter" ? steps : 0);

/** splitWasmModule from the build, or undefined (and why). */
async function loadSplitter() {
  if (opt["no-split"]) return { why: "--no-split" };
  const path = opt.splitter ? resolve(opt.splitter) : join(root, "dist/src/wasm/split/split-module.js");
  if (!existsSync(path)) return { why: `${path} does not exist` };
  const mod = await import(pathToFileURL(path).href);
  if (typeof mod.splitWasmModule !== "function") return { why: `${path} exports no splitWasmModule` };
  return { split: mod.splitWasmModule };
}
const splitter = await loadSplitter();
if (!splitter.split) console.log(`split: not available (${splitter.why}); measuring the unsplit side only`);

const work = mkdtempSync(join(tmpdir(), "megasplit-wasm-bench-"));
process.on("exit", () => rmSync(work, { recursive: true, force: true }));

/** What every round must return: the JS reference of the generated program. */
const expectedChecksum = (m, shape) => {
  if (shape === "interpreter") return m.reference(steps);
  let folded = 0;
  for (let i = 0; i < callsFor(m.bodySize); i++) folded ^= m.reference(i);
  return folded;
};

// ---- workloads: generate, reference, split ----
const workloads = [];
for (const shape of shapes) {
  for (const size of sizes) for (const reach of shape === "interpreter" ? reaches : [undefined]) {
    const t0 = performance.now();
    const m = generateModule(shape, size.bytes, undefined, reach === undefined ? {} : { reach });
    const genMs = performance.now() - t0;
    const label = `${size.label}${reach === undefined ? "" : ` r${reach}`}`;
    const file = join(work, `${shape}-${label.replace(" ", "-")}.wasm`);
    writeFileSync(file, m.bytes);
    const t1 = performance.now();
    const expected = expectedChecksum(m, shape);
    console.log(`${shape} ${label}: body ${m.bodySize} bytes (${m.describe}), generated in ${genMs.toFixed(0)} ms; JS reference ${expected} in ${(performance.now() - t1).toFixed(0)} ms`);
    const w = { shape, size, label, bodySize: m.bodySize, expected, variants: [{ name: "unsplit", file }] };
    if (splitter.split) {
      for (const maxSize of maxSizes) for (const dispatch of dispatches) {
        let r;
        const label = `${maxSize}${dispatch ? ` ${dispatch}` : ""}`;
        try {
          r = splitter.split(m.bytes, { maxSize, ...(opt["loop-spines"] ? { loopSpines: true } : {}), ...(opt["entry-form"] ? { entryForm: opt["entry-form"] } : {}), ...(dispatch ? { dispatch } : {}) });
        } catch (e) {
          console.error(`bench/wasm: splitWasmModule failed on ${shape} ${size.label} at --max-size ${maxSize}: ${e?.code ? `${e.code} ` : ""}${e?.stack ?? e}`);
          process.exit(1);
        }
        const f = r.functions.map((x) => `#${x.index}${x.name ? ` ${x.name}` : ""} ${x.size} B -> ${x.pieces} piece(s)${x.refused ? ` refused: ${x.refused}` : ""}`).join("; ");
        console.log(`  split --max-size ${label}: ${r.bytes.length} bytes; ${f || "no function reported"}`);
        if (!WebAssembly.validate(r.bytes)) {
          console.error(`bench/wasm: the split of ${shape} ${size.label} at --max-size ${maxSize} does not validate in V8`);
          process.exit(1);
        }
        if (r.functions.some((x) => x.refused) || !r.functions.some((x) => x.pieces > 1)) {
          console.log(`  (not measured: the function was not split)`);
          continue;
        }
        const splitFile = join(work, `${shape}-${w.label.replace(" ", "-")}-split-${label.replace(" ", "-")}.wasm`);
        writeFileSync(splitFile, r.bytes);
        w.variants.push({ name: `split ${label}`, file: splitFile });
      }
    }
    workloads.push(w);
  }
}

// ---- configurations, alternating runs ----
const configs = [];
for (const w of workloads) for (const flags of flagNames) for (const compileMode of compileModes) for (const v of w.variants) configs.push({ w, flags, compileMode, variant: v.name, file: v.file, results: [], failures: [] });

function runChild(c) {
  const args = [...FLAG_SETS[c.flags], join(here, "child.mjs"), c.file, c.w.shape, String(argOf(c.w.shape)), String(callsFor(c.w.bodySize)), opt.rounds, c.compileMode];
  const r = spawnSync(process.execPath, args, { encoding: "utf8", timeout: timeoutMs, maxBuffer: 1 << 24 });
  // The child ends itself with SIGKILL once it printed its line (see child.mjs).
  const printed = r.signal === "SIGKILL" && r.stdout.trim().startsWith("{");
  if (r.error || (r.status !== 0 && !printed)) return { error: r.error?.code === "ETIMEDOUT" ? `timed out after ${opt.timeout} s` : `exit ${r.status ?? r.signal}: ${(r.stderr || "").trim().split("\n").slice(-3).join(" | ")}` };
  return JSON.parse(r.stdout.trim().split("\n").pop());
}

/** The later half of a child's rounds: by then V8 has had time to install optimised code. */
const lastHalf = (xs) => xs.slice(Math.floor(xs.length / 2));
const describeConfig = (c) => `${c.w.shape} ${c.w.label} ${c.flags}${compileModes.length > 1 ? ` ${c.compileMode}` : ""} ${c.variant}`;
for (let run = 0; run < runs; run++) {
  const order = configs.map((_, i) => configs[(i + run) % configs.length]);
  const line = [];
  for (const c of order) {
    if (c.failures.length) continue;
    const res = runChild(c);
    if (res.error) {
      c.failures.push(res.error);
      console.log(`run ${run + 1}: ${describeConfig(c)} FAILED: ${res.error}`);
      continue;
    }
    if (res.checksum !== c.w.expected) {
      console.error(`bench/wasm: ${describeConfig(c)} returned ${res.checksum}, the JS reference ${c.w.expected}`);
      process.exit(1);
    }
    c.results.push(res);
    line.push(`${describeConfig(c)} ${res.first.thread.toFixed(0)}/${median(lastHalf(res.later).map((x) => x.thread)).toFixed(1)}`);
  }
  console.log(`run ${run + 1} (first call / steady ms): ${line.join(", ")}   (load average ${loadavg()[0].toFixed(1)})`);
}
for (const c of configs) {
  const of = (pick) => (c.results.length ? median(c.results.map(pick)) : NaN);
  c.compile = of((x) => x.compileMs);
  for (const clock of ["wall", "thread", "process"]) {
    c[`first_${clock}`] = of((x) => x.first[clock]);
    c[`steady_${clock}`] = of((x) => median(lastHalf(x.later).map((r) => r[clock])));
  }
}

// ---- report ----
const unsplitOf = (c) => configs.find((x) => x.w === c.w && x.flags === c.flags && x.compileMode === c.compileMode && x.variant === "unsplit");
const fmt = (v, d = 1) => (Number.isFinite(v) ? v.toFixed(d) : "n/a");
const ratio = (a, b) => (Number.isFinite(a) && Number.isFinite(b) && b > 0 ? `${(a / b).toFixed(2)}x` : "");
console.log(`\nnode ${process.version}; ${cpus().length} CPUs, load average ${loadavg().map((x) => x.toFixed(1)).join(" ")}`);
console.log(`interpreter: ${steps} steps a round; straight-line: ${calls} calls a round at 6.6 MB, as many body bytes at each size (${workloads.filter((w) => w.shape === "straight-line").map((w) => `${w.size.label}: ${callsFor(w.bodySize)}`).join(", ") || "none"}); ${opt.rounds} rounds a child (the first, then ${Number(opt.rounds) - 1} of which the last half is the steady state); medians of ${runs} alternating runs; ratio = unsplit / split (above 1 = split faster)`);
if (!splitter.split) console.log("split: not available");
const clocks = [...new Set(configs.flatMap((c) => c.results.map((r) => r.threadClock)))];
if (clocks.some((k) => k !== "schedstat")) console.log("main-thread CPU: no /proc schedstat here, so the thread columns are process CPU time");
console.log(`${"shape".padEnd(14)} ${"size".padStart(10)} ${"body B".padStart(8)} ${"flags".padEnd(13)} ${"compile".padEnd(7)} ${"config".padEnd(12)} ${"compile".padStart(8)} ${"first".padStart(7)} ${"thread".padStart(7)} ${"process".padStart(7)} ${"ratio".padStart(6)} ${"steady".padStart(8)} ${"thread".padStart(8)} ${"ratio".padStart(6)}`);
for (const c of configs) {
  const u = unsplitOf(c);
  const isSplit = c.variant !== "unsplit";
  const cells = c.failures.length
    ? `FAILED: ${c.failures[0]}`
    : `${fmt(c.compile).padStart(8)} ${fmt(c.first_wall, 0).padStart(7)} ${fmt(c.first_thread, 0).padStart(7)} ${fmt(c.first_process, 0).padStart(7)} ${(isSplit ? ratio(u.first_thread, c.first_thread) : "").padStart(6)} ${fmt(c.steady_wall).padStart(8)} ${fmt(c.steady_thread).padStart(8)} ${(isSplit ? ratio(u.steady_thread, c.steady_thread) : "").padStart(6)}`;
  console.log(`${c.w.shape.padEnd(14)} ${c.w.label.padStart(10)} ${String(c.w.bodySize).padStart(8)} ${c.flags.padEnd(13)} ${c.compileMode.padEnd(7)} ${c.variant.padEnd(12)} ${cells}`);
}
console.log("ms; compile: new WebAssembly.Module + Instance (async: await WebAssembly.compile + instantiate), wall (V8 compiles lazily: most compilation happens in the first call); first: compile + instantiate + first round, wall, main-thread CPU and process CPU (V8's background compiler threads included); steady: a round, median of the last half of the later rounds, wall and main-thread CPU; ratios (unsplit / split) on main-thread CPU, which a shared machine distorts least");

if (!opt["no-chart"]) {
  const series = ["unsplit", ...maxSizes.map((m) => `split ${m}`)];
  const chartOf = (metric) => {
    const groups = [];
    const values = [];
    const labels = [];
    for (const w of workloads) {
      for (const flags of flagNames) {
        groups.push(`${w.shape === "interpreter" ? "interp" : "straight"} ${w.label} ${flags}`);
        const row = series.map((s) => configs.find((c) => c.w === w && c.flags === flags && c.compileMode === compileModes[0] && c.variant === s)?.[metric] ?? null);
        values.push(row.map((v) => (Number.isFinite(v) ? v : null)));
        labels.push(row.map((v, i) => (i > 0 && Number.isFinite(v) && Number.isFinite(row[0]) ? `${(row[0] / v).toFixed(2)}x` : null)));
      }
    }
    return { groups, values, labels };
  };
  const note = `${splitter.split ? "" : "split: not available; "}interpreter ${steps} steps, straight-line ${calls} calls a round at 6.6 MB (as many bytes at each size); medians of ${runs} alternating runs; node ${process.version}, ${cpus().length} CPUs, load ${loadavg()[0].toFixed(1)}`;
  writeBarChart(opt.chart, { title: "bench/wasm: first call (compile + instantiate + first round), main-thread CPU ms (lower is better)", unit: "ms", series, ...chartOf("first_thread"), note });
  const steadyChart = opt.chart.replace(/\.svg$/, "") + "-steady.svg";
  writeBarChart(steadyChart, { title: "bench/wasm: steady state (median of the last rounds), main-thread CPU ms a round (lower is better)", unit: "ms", series, ...chartOf("steady_thread"), note });
  console.log(`charts: ${opt.chart}, ${steadyChart}`);
}
if (configs.some((c) => c.failures.length)) {
  console.error("bench/wasm: some configurations could not run (FAILED above)");
  process.exit(1);
}
