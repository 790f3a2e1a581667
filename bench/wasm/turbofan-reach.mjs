#!/usr/bin/env node
/**
 * bench/wasm/turbofan-reach.mjs: the steady state of the UNSPLIT interpreter's
 * optimised code for each generator `reach` (bench/wasm/interpreter.ts), the
 * reference the split's steady state is held against in
 * bench/wasm/results-first-call.md. TurboFan takes about a minute of CPU on the
 * 6.6 MiB function, and its body is the same bytes for every reach (only the
 * program in memory differs), so one `node --no-liftoff` child
 * (turbofan-reach-child.mjs) compiles it once, from a copy of the module that also
 * exports its memory, and runs every reach's program in turn, rotating the order
 * each round; each call is checked against the generator's JS reference.
 * `--runs` children, medians of each child's rounds after the warm-up, then the
 * median over children; main-thread CPU ms (wall beside it). A script, not a test.
 *
 *   node bench/wasm/turbofan-reach.mjs [--size 6.6m] [--reach all,1024,256,64,16,1] [--steps 3000000]
 *                                      [--rounds 6] [--warm 1] [--runs 1] [--flags --no-liftoff] [--timeout 900]
 */
import { spawnSync } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
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
    reach: { type: "string", default: "all,1024,256,64,16,1" },
    steps: { type: "string", default: "3000000" },
    rounds: { type: "string", default: "6" },
    warm: { type: "string", default: "1" },
    runs: { type: "string", default: "1" },
    flags: { type: "string", default: "--no-liftoff" },
    timeout: { type: "string", default: "900" },
  },
});
const size = parseSize(opt.size);
if (size === undefined) throw new Error(`bad --size ${opt.size}`);
const steps = Number(opt.steps);
const { generateModule } = await import(pathToFileURL(join(here, "generate.ts")).href);
const { readModule } = await import(pathToFileURL(join(root, "src/wasm/read-module.ts")).href);
const { writeModule } = await import(pathToFileURL(join(root, "src/wasm/write-module.ts")).href);

const work = mkdtempSync(join(tmpdir(), "megasplit-turbofan-reach-"));
process.on("exit", () => rmSync(work, { recursive: true, force: true }));

const programArgs = [];
let moduleFile;
for (const r of opt.reach.split(",")) {
  const m = generateModule("interpreter", size, undefined, r === "all" ? {} : { reach: Number(r) });
  const mod = readModule(m.bytes);
  const data = mod.sections.find((s) => s.kind === "data").segments[0].bytes;
  const programFile = join(work, `program-${r}.bin`);
  writeFileSync(programFile, data);
  programArgs.push(`${r}=${programFile}=${m.reference(steps)}`);
  if (!moduleFile) {
    // The same body for every reach: one module, with the memory exported so the child can swap programs.
    mod.sections.find((s) => s.kind === "export").exports.push({ name: "memory", kind: 2, index: 0 });
    moduleFile = join(work, "unsplit-exported-memory.wasm");
    writeFileSync(moduleFile, writeModule(mod, { canonical: true }));
  }
  console.log(`reach ${r}: ${m.describe}`);
}

const children = [];
for (let run = 0; run < Number(opt.runs); run++) {
  const args = [...opt.flags.split(" ").filter(Boolean), join(here, "turbofan-reach-child.mjs"), moduleFile, String(steps), opt.rounds, opt.warm, ...programArgs];
  const r = spawnSync(process.execPath, args, { encoding: "utf8", timeout: Number(opt.timeout) * 1000, maxBuffer: 1 << 24 });
  if (!(r.signal === "SIGKILL" && r.stdout.trim().startsWith("{"))) {
    console.error(`turbofan-reach: child failed: ${r.error?.code ?? r.status ?? r.signal} ${(r.stderr || "").trim().split("\n").slice(-3).join(" | ")}`);
    process.exit(1);
  }
  const res = JSON.parse(r.stdout.trim().split("\n").pop());
  children.push(res);
  console.log(`run ${run + 1}: compile + first call ${res.compileFirstMs.thread.toFixed(0)} ms main-thread CPU; ${Object.entries(res.byProgram).map(([n, xs]) => `${n} ${median(xs.map((x) => x.thread)).toFixed(1)}`).join(", ")}   (load average ${loadavg()[0].toFixed(1)})`);
}
console.log(`\nnode ${process.version}; ${cpus().length} CPUs, load average ${loadavg().map((x) => x.toFixed(1)).join(" ")}; flags ${opt.flags}; interpreter ${opt.size}, ${steps} steps a call; ${opt.rounds} rounds a child (${opt.warm} left out), medians over ${children.length} child(ren)`);
console.log(`${"reach".padEnd(6)} ${"thread ms".padStart(10)} ${"wall ms".padStart(9)}`);
for (const name of Object.keys(children[0].byProgram)) {
  const of = (clock) => median(children.map((c) => median(c.byProgram[name].map((x) => x[clock]))));
  console.log(`${name.padEnd(6)} ${of("thread").toFixed(1).padStart(10)} ${of("wall").toFixed(1).padStart(9)}`);
}
