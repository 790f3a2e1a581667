/**
 * bench/wasm/child.mjs: one configuration of bench/wasm, run in a fresh `node`
 * (started by run.mjs with the V8 flags under test, so nothing compiled or tiered
 * up by an earlier configuration carries over). Reads a module, then times
 *   - the first call: compile (`new WebAssembly.Module`, or with COMPILE `async`
 *     `await WebAssembly.compile` and `await WebAssembly.instantiate`; V8 compiles
 *     lazily, so most of the compilation happens at the first call) + instantiate +
 *     the first round;
 *   - each later round.
 * Three clocks: wall time; the main thread's CPU time (Linux schedstat, in ns:
 * what the caller waits for on a quiet machine, and what a shared one distorts
 * least); the process's CPU time (V8's background compiler threads included: the
 * whole work, for the first call). Without schedstat the thread clock falls back
 * to the process one (`threadClock` says which).
 * A round is one call `run(arg)` for the interpreter (arg = steps) or `calls`
 * calls `run(0..calls-1)` for the straight-line shape, whose results are folded
 * with xor; every round must give the same checksum. Prints one JSON line, then
 * kills itself (SIGKILL: run.mjs expects it) rather than wait for background
 * compilation to finish:
 *   {"compileMs","first":{wall,thread,process},"later":[{wall,thread,process}...],"checksum","threadClock"}
 *
 *   node [v8 flags] bench/wasm/child.mjs FILE.wasm interpreter|straight-line ARG CALLS ROUNDS [sync|async]
 */
import { readFileSync } from "node:fs";
import { processMs, threadClock, threadMs } from "../lib/cpu-clocks.mjs";

const [file, shape, argText, callsText, roundsText, compileMode = "sync"] = process.argv.slice(2);
const bytes = readFileSync(file);
const arg = Number(argText);
const calls = Number(callsText);
const rounds = Number(roundsText);

const now = () => ({ wall: performance.now(), thread: threadMs(), process: processMs() });
const since = (a) => {
  const b = now();
  return { wall: b.wall - a.wall, thread: b.thread - a.thread, process: b.process - a.process };
};

const start = now();
const module = compileMode === "async" ? await WebAssembly.compile(bytes) : new WebAssembly.Module(bytes);
const instance = compileMode === "async" ? await WebAssembly.instantiate(module, {}) : new WebAssembly.Instance(module, {});
const compileMs = performance.now() - start.wall;
const run = instance.exports.run;

const round = () => {
  if (shape === "interpreter") return run(arg);
  let folded = 0;
  for (let i = 0; i < calls; i++) folded ^= run(i);
  return folded;
};

const checksum = round();
const first = since(start);
const later = [];
for (let r = 1; r < rounds; r++) {
  const s = now();
  const c = round();
  later.push(since(s));
  if (c !== checksum) {
    console.error(`round ${r + 1} returned ${c}, the first ${checksum}`);
    process.exit(3);
  }
}
console.log(JSON.stringify({ compileMs, first, later, checksum, threadClock }));
// A normal exit waits for V8's background compile jobs: TurboFan on a 6.6 MB body
// runs for over a minute of CPU after the last round. The measurements are out
// (stdout to a pipe is synchronous on Linux), so the process ends here.
process.kill(process.pid, "SIGKILL");
