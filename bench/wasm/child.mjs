/**
 * bench/wasm/child.mjs: one configuration of bench/wasm, run in a fresh `node`
 * (started by run.mjs with the V8 flags under test, so nothing compiled or tiered
 * up by an earlier configuration carries over). Reads a module, then times
 *   - the first call: compile (`new WebAssembly.Module`; V8 compiles lazily, so
 *     most of the compilation happens at the first call) + instantiate + the first
 *     round, wall time and process CPU time (CPU includes V8's background compiler
 *     threads);
 *   - the later rounds, wall and process CPU time each (the steady state is
 *     their median).
 * A round is one call `run(arg)` for the interpreter (arg = steps) or `calls`
 * calls `run(0..calls-1)` for the straight-line shape, whose results are folded
 * with xor; every round must give the same checksum. Prints one JSON line:
 *   {"compileMs","firstMs","firstCpuMs","laterMs":[...],"laterCpuMs":[...],"checksum"}
 *
 *   node [v8 flags] bench/wasm/child.mjs FILE.wasm interpreter|straight-line ARG CALLS ROUNDS
 */
import { readFileSync } from "node:fs";

const [file, shape, argText, callsText, roundsText] = process.argv.slice(2);
const bytes = readFileSync(file);
const arg = Number(argText);
const calls = Number(callsText);
const rounds = Number(roundsText);

const cpuMs = () => {
  const u = process.cpuUsage();
  return (u.user + u.system) / 1000;
};

const cpu0 = cpuMs();
const t0 = performance.now();
const module = new WebAssembly.Module(bytes);
const instance = new WebAssembly.Instance(module, {});
const t1 = performance.now();
const run = instance.exports.run;

const round = () => {
  if (shape === "interpreter") return run(arg);
  let folded = 0;
  for (let i = 0; i < calls; i++) folded ^= run(i);
  return folded;
};

const checksum = round();
const t2 = performance.now();
const firstCpuMs = cpuMs() - cpu0;
const laterMs = [];
const laterCpuMs = [];
for (let r = 1; r < rounds; r++) {
  const s = performance.now();
  const cpu = cpuMs();
  const c = round();
  laterMs.push(performance.now() - s);
  laterCpuMs.push(cpuMs() - cpu);
  if (c !== checksum) {
    console.error(`round ${r + 1} returned ${c}, the first ${checksum}`);
    process.exit(3);
  }
}
console.log(JSON.stringify({ compileMs: t1 - t0, firstMs: t2 - t0, firstCpuMs, laterMs, laterCpuMs, checksum }));
