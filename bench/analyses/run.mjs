#!/usr/bin/env node
/**
 * bench/analyses: how the per-method analyses scale. Builds the valid method of
 * test/support/valid-method.ts (code that HotSpot verifies, every block reachable,
 * 24 locals at every size) at about 64 KB, 256 KB and 1 MB of bytecode, with its
 * StackMapTable computed by passes/stackmap.ts, encodes it once, then times decode
 * (decodeBody of the Code attribute), CFG (buildCfg), liveness (computeLiveness) and
 * frame inference (inferFrames on the decoded body, whose declared frames are facts,
 * as for any class javac wrote; the notes add inference from the code alone, with
 * the frames stripped, which is what the StackMapTable writer runs first).
 * Each step runs after a warm-up at least `runs` times, and more while the step's
 * total stays under a second (up to 500 runs; the small sizes get many), and the
 * best time is printed (the machine may be shared; the minimum is the least
 * disturbed figure; the header gives the load average), with ms per KB
 * and that figure relative to the smallest size: near-linear growth shows as a
 * ratio near 1. Per-block figures (us per block, solver steps per block) are the
 * ones to compare when the mix of code changes with size: exception handlers can
 * only cover the first 64 KB (u2 pcs), so the larger methods have fewer of them.
 * Writes bench/analyses/chart.svg (bench/lib/chart.mjs): us per KB of each step at
 * each size (equal bars within a step = linear growth).
 * A script, not a test: it asserts nothing about time. It imports the TypeScript
 * sources, so it re-runs itself under tsx (a dev dependency) when started without.
 *
 *   npm run bench -- analyses [runs]      (or: node --import tsx bench/analyses/run.mjs [runs])
 */
import os from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { writeBarChart } from "../lib/chart.mjs";
import { runUnderTsx } from "../lib/under-tsx.mjs";

const here = dirname(fileURLToPath(import.meta.url));
const root = runUnderTsx(import.meta.url);
const load = (p) => import(pathToFileURL(join(root, p)).href);

const { validMethodClass } = await load("test/support/valid-method.ts");
const { decodeBody } = await load("src/bytecode/decode.ts");
const { codeOf } = await load("src/classfile/model.ts");
const { buildCfg } = await load("passes/cfg.ts");
const { computeLiveness } = await load("passes/liveness.ts");
const { methodContext } = await load("passes/pass.ts");
const { inferFrames } = await load("passes/frames.ts");
const { withoutFrames } = await load("passes/stackmap.ts");

const runs = Number(process.argv[2] ?? 7);
const targets = [64, 256, 1024]; // KB

/** The valid method at about `kb` KB: its Code attribute, decoded body and pass context. */
function methodOfSize(kb) {
  const { classFile } = validMethodClass(kb * 1024);
  const method = classFile.methods[0];
  const code = codeOf(method);
  const cp = classFile.constantPool;
  const body = decodeBody(code, cp);
  return { body, cp, code, ctx: () => methodContext(classFile, method) };
}

function best(xs) {
  const s = [...xs].sort((a, b) => a - b);
  return s[0];
}

/** Best of at least `runs` runs, and of as many more as fit in `budgetMs` (small sizes get many, so one quiet run is likely). */
const budgetMs = 1000;
function time(fn) {
  fn(); // warm-up
  const ms = [];
  let result;
  let total = 0;
  while (ms.length < runs || (total < budgetMs && ms.length < 500)) {
    const t0 = process.hrtime.bigint();
    result = fn();
    const t = Number(process.hrtime.bigint() - t0) / 1e6;
    ms.push(t);
    total += t;
  }
  return { ms: best(ms), result };
}

const methods = targets.map(methodOfSize);

// Warm every step up on the 1 MB method first, so the smallest size is not timed half-compiled.
{
  const { body, cp, code, ctx } = methods[methods.length - 1];
  decodeBody(code, cp);
  const cfg = buildCfg(body).cfg;
  computeLiveness(body, cfg);
  inferFrames(body, ctx());
  inferFrames(withoutFrames(body), ctx());
}

const steps = ["decode", "cfg", "liveness", "frames"];
const rows = [];
for (const { body, cp, code, ctx } of methods) {
  const size = code.code.length / 1024;
  const t = {};
  const notes = [];
  t.decode = time(() => decodeBody(code, cp)).ms;
  const cfgRun = time(() => buildCfg(body).cfg);
  t.cfg = cfgRun.ms;
  const cfg = cfgRun.result;
  const blocks = cfg.blockCount;
  const reachable = cfg.reachable.reduce((a, r) => a + r, 0);
  const live = time(() => computeLiveness(body, cfg));
  t.liveness = live.ms;
  const f = time(() => inferFrames(body, ctx()));
  t.frames = f.ms;
  const bare = withoutFrames(body);
  const g = time(() => inferFrames(bare, ctx()));
  const us = (ms) => ((ms * 1000) / blocks).toFixed(2);
  notes.push(`${blocks} blocks (${reachable} reachable), ${body.handlers.length} handlers, ${f.result.maxLocals} locals`);
  notes.push(`us per block: cfg ${us(t.cfg)}, liveness ${us(t.liveness)} (${(live.result.steps / blocks).toFixed(2)} steps), frames ${us(t.frames)}, frames from code alone ${us(g.ms)}`);
  notes.push(`${f.result.errors.length + g.result.errors.length} frame errors`);
  t["frames from code"] = g.ms;
  rows.push({ size, t, notes });
}

const pad = (s, n) => String(s).padStart(n);
console.log(`bench/analyses: best of at least ${runs} runs (and of as many as fit in ${budgetMs} ms) after a warm-up, node ${process.version}, load average ${os.loadavg()[0].toFixed(1)} on ${os.cpus().length} CPUs`);
console.log(`${pad("KB", 7)}  ${steps.map((s) => `${pad(s + " ms", 12)} ${pad("ms/KB", 7)} ${pad("x", 5)}`).join("  ")}`);
for (const r of rows) {
  const cells = steps.map((s) => {
    const perKb = r.t[s] / r.size;
    const base = rows[0].t[s] / rows[0].size;
    return `${pad(r.t[s].toFixed(1), 12)} ${pad(perKb.toFixed(3), 7)} ${pad((perKb / base).toFixed(2), 5)}`;
  });
  console.log(`${pad(r.size.toFixed(0), 7)}  ${cells.join("  ")}   ${r.notes.join("; ")}`);
}
console.log("x = ms/KB relative to the smallest method (1.00 = linear)");

const chartSteps = [...steps, "frames from code"];
const chart = writeBarChart(join(here, "chart.svg"), {
  title: "bench/analyses: us per KB of bytecode (equal bars = linear; lower is better)",
  unit: "us/KB",
  groups: chartSteps,
  series: rows.map((r) => `${r.size.toFixed(0)} KB method`),
  values: chartSteps.map((s) => rows.map((r) => (r.t[s] * 1000) / r.size)),
  note: `best of at least ${runs} runs; node ${process.version}, ${os.cpus().length} CPUs, load average ${os.loadavg()[0].toFixed(1)}`,
});
console.log(`chart: ${chart.slice(root.length + 1)}`);
