#!/usr/bin/env node
/**
 * bench/wasm/trace-first-call.mjs: where the first call of the interpreter goes,
 * unsplit and split, for some generator `reach` values (bench/wasm/interpreter.ts).
 * For each configuration a fresh child (trace-first-call-child.mjs, under
 * `stdbuf -oL` so V8's trace lines and the child's round markers stay in order) runs
 * with the flag set under test plus --trace-wasm-compilation-times and reports, in
 * main-thread CPU ms (wall and process CPU beside): `WebAssembly.validate` of the
 * bytes, `new WebAssembly.Module` (validation; code comes lazily), instantiation,
 * each round of `--steps` steps. From the trace, per round: how many functions V8
 * compiled with Liftoff (lazily, on the main thread, at their first call) and with
 * TurboFan (tier-up, on background threads), their body bytes and the sum of V8's
 * own per-function times (whole ms each, truncated, so an underestimate for many
 * small functions). `first - later` is the first round minus the median later one:
 * what the first call pays beyond running. `--variants split` skips the unsplit
 * module (under --no-liftoff it compiles for about a minute). Medians over `--runs` for the times, the
 * trace counts from the first run. Checksums against the generator's JS reference.
 * A script, not a test: it asserts nothing about time.
 *
 *   node bench/wasm/trace-first-call.mjs [--size 6.6m] [--reach all,16,1] [--max-size 65536]
 *        [--flags default,liftoff-only] [--compile sync] [--dispatch tree|indirect|indirect-root] [--variants unsplit,split]
 *        [--steps 3000000] [--rounds 4] [--runs 1] [--timeout 600]
 */
import { spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { cpus, loadavg, tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { parseArgs } from "node:util";
import { median } from "../lib/median.mjs";
import { parseSize } from "../lib/sizes.mjs";
import { runUnderTsx } from "../lib/under-tsx.mjs";

const here = dirname(fileURLToPath(import.meta.url));
const root = runUnderTsx(import.meta.url);
const { values: opt } = parseArgs({
  options: {
    size: { type: "string", default: "6.6m" },
    reach: { type: "string", default: "all,16,1" },
    "max-size": { type: "string", default: "65536" },
    flags: { type: "string", default: "default,liftoff-only" },
    compile: { type: "string", default: "sync" },
    dispatch: { type: "string" },
    variants: { type: "string", default: "unsplit,split" },
    steps: { type: "string", default: "3000000" },
    rounds: { type: "string", default: "4" },
    runs: { type: "string", default: "1" },
    timeout: { type: "string", default: "600" },
  },
});
const FLAG_SETS = { default: [], "liftoff-only": ["--liftoff-only"], "no-liftoff": ["--no-liftoff"], "lazy-validation": ["--wasm-lazy-validation"] };
const size = parseSize(opt.size);
if (size === undefined) throw new Error(`bad --size ${opt.size}`);
const steps = Number(opt.steps);
const flagNames = opt.flags.split(",");
for (const f of flagNames) if (!(f in FLAG_SETS)) throw new Error(`unknown flag set ${f} (${Object.keys(FLAG_SETS).join(", ")})`);
const splitterPath = join(root, "dist/src/wasm/split/split-module.js");
if (!existsSync(splitterPath)) throw new Error(`${splitterPath} does not exist: build first (npx tsc -p tsconfig.json)`);
const { splitWasmModule } = await import(pathToFileURL(splitterPath).href);
const { generateModule } = await import(pathToFileURL(join(here, "generate.ts")).href);

const work = mkdtempSync(join(tmpdir(), "megasplit-trace-first-call-"));
process.on("exit", () => rmSync(work, { recursive: true, force: true }));

const TRACE = /^Compiled function \S+#(\d+) using (Liftoff|TurboFan), took (\d+) ms .*bodysize (\d+)/;
/** Splits a child's stdout at its markers; per segment and tier: functions, body bytes, ms. */
function parseTrace(stdout) {
  const segments = { compile: {} };
  let current = "compile";
  for (const line of stdout.split("\n")) {
    const markMatch = /^@@mark (\S+)/.exec(line);
    if (markMatch) {
      current = markMatch[1] === "round-1" ? "round 1" : `round ${Number(markMatch[1].slice(4)) + 1}`;
      segments[current] ??= {};
      continue;
    }
    const m = TRACE.exec(line);
    if (!m) continue;
    const tier = (segments[current][m[2]] ??= { functions: 0, bytes: 0, ms: 0 });
    tier.functions++;
    tier.ms += Number(m[3]);
    tier.bytes += Number(m[4]);
  }
  return segments;
}

function runChild(file, flags, checksum) {
  const args = ["-oL", process.execPath, ...FLAG_SETS[flags], "--trace-wasm-compilation-times", join(here, "trace-first-call-child.mjs"), file, String(steps), opt.rounds, String(checksum), opt.compile];
  const r = spawnSync("stdbuf", args, { encoding: "utf8", timeout: Number(opt.timeout) * 1000, maxBuffer: 1 << 28 });
  const last = r.stdout.trim().split("\n").pop() ?? "";
  if (!(r.signal === "SIGKILL" && last.startsWith("{"))) throw new Error(`child failed (${r.error?.code ?? r.status ?? r.signal}): ${(r.stderr || "").trim().split("\n").slice(-3).join(" | ")}`);
  return { ...JSON.parse(last), trace: parseTrace(r.stdout) };
}

const rows = [];
for (const reach of opt.reach.split(",")) {
  const m = generateModule("interpreter", size, undefined, reach === "all" ? {} : { reach: Number(reach) });
  const checksum = m.reference(steps);
  const split = splitWasmModule(m.bytes, { maxSize: Number(opt["max-size"]), ...(opt.dispatch ? { dispatch: opt.dispatch } : {}) });
  const files = { unsplit: join(work, `unsplit-${reach}.wasm`), split: join(work, `split-${reach}.wasm`) };
  writeFileSync(files.unsplit, m.bytes);
  writeFileSync(files.split, split.bytes);
  console.log(`reach ${reach}: ${m.describe}; split: ${split.functions.map((f) => `${f.pieces} pieces`).join(", ")}, ${split.bytes.length} bytes`);
  for (const flags of flagNames) {
    for (const variant of opt.variants.split(",")) {
      const results = [];
      for (let run = 0; run < Number(opt.runs); run++) results.push(runChild(files[variant], flags, checksum));
      const med = (pick) => median(results.map(pick));
      const later = (r) => median(r.rounds.slice(1).map((x) => x.thread));
      const row = {
        reach, flags, variant,
        validate: med((r) => r.phases.validate.thread),
        compile: med((r) => r.phases.compile.thread),
        instantiate: med((r) => r.phases.instantiate.thread),
        first: med((r) => r.rounds[0].thread),
        firstProcess: med((r) => r.rounds[0].process),
        later: med(later),
        trace: results[0].trace,
      };
      row.overhead = row.first - row.later;
      rows.push(row);
      const t1 = row.trace["round 1"] ?? {};
      console.log(`  ${flags} ${variant}: validate ${row.validate.toFixed(0)}, compile ${row.compile.toFixed(0)}, instantiate ${row.instantiate.toFixed(1)}, round 1 ${row.first.toFixed(0)} (process ${row.firstProcess.toFixed(0)}), later ${row.later.toFixed(1)}; round 1: Liftoff ${t1.Liftoff?.functions ?? 0} fns ${t1.Liftoff?.bytes ?? 0} B ${t1.Liftoff?.ms ?? 0} ms, TurboFan ${t1.TurboFan?.functions ?? 0} fns ${t1.TurboFan?.ms ?? 0} ms   (load ${loadavg()[0].toFixed(1)})`);
    }
  }
}

console.log(`\nnode ${process.version}; ${cpus().length} CPUs, load average ${loadavg().map((x) => x.toFixed(1)).join(" ")}; interpreter ${opt.size}, ${steps} steps a round, split dispatch ${opt.dispatch ?? "default"}, ${opt.rounds} rounds a child, compile ${opt.compile}, medians of ${opt.runs} run(s); main-thread CPU ms`);
const head = ["reach", "flags", "variant", "validate", "compile", "inst", "round 1", "later", "1st-later", "LO fns r1", "LO KB r1", "LO ms r1", "TF fns r1", "TF ms r1", "TF fns r2+"];
console.log(head.join(" | "));
for (const r of rows) {
  const t1 = r.trace["round 1"] ?? {};
  const laterTf = Object.entries(r.trace).filter(([k]) => k.startsWith("round ") && k !== "round 1").reduce((n, [, v]) => n + (v.TurboFan?.functions ?? 0), 0);
  const cells = [r.reach, r.flags, r.variant, r.validate.toFixed(0), r.compile.toFixed(0), r.instantiate.toFixed(1), r.first.toFixed(0), r.later.toFixed(1), r.overhead.toFixed(0), t1.Liftoff?.functions ?? 0, ((t1.Liftoff?.bytes ?? 0) / 1024).toFixed(0), t1.Liftoff?.ms ?? 0, t1.TurboFan?.functions ?? 0, t1.TurboFan?.ms ?? 0, laterTf];
  console.log(cells.join(" | "));
}
console.log("validate: WebAssembly.validate; compile: new WebAssembly.Module; inst: instantiate; round 1: the first call of run(steps); later: median of rounds 2..; LO/TF: functions compiled by Liftoff/TurboFan during round 1 (V8's trace, whole ms each), KB of their bodies; TF fns r2+: TurboFan compilations reported in later rounds");
