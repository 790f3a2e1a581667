/**
 * bench/wasm/trace-first-call-child.mjs: one module's first call taken apart, in a
 * fresh `node` started by bench/wasm/trace-first-call.mjs with the V8 flags under
 * test (usually with --trace-wasm-compilation-times, whose lines it interleaves
 * with its own markers). Phases, each in main-thread CPU (Linux schedstat) and
 * wall ms:
 *   - validate: `WebAssembly.validate` of the bytes (decoding and validating every
 *     body; V8 does the same inside `new WebAssembly.Module` unless
 *     --wasm-lazy-validation);
 *   - compile: `new WebAssembly.Module` (or `await WebAssembly.compile` with
 *     COMPILE `async`): validation and, with lazy compilation, no code yet;
 *   - instantiate;
 *   - round 1 (the first call proper: lazy compilation of every function it
 *     reaches, then running), rounds 2..ROUNDS.
 * Before the first round and after each round it prints `@@mark NAME` on stdout,
 * so the parent can tell which compilations happened in which round. Every round
 * must return CHECKSUM. Ends with one JSON line, then SIGKILL (a normal exit would
 * wait for V8's background TurboFan jobs).
 *
 *   stdbuf -oL node [v8 flags] bench/wasm/trace-first-call-child.mjs FILE.wasm STEPS ROUNDS CHECKSUM [sync|async]
 */
import { readFileSync } from "node:fs";
import { processMs, threadMs } from "../lib/cpu-clocks.mjs";

const [file, stepsText, roundsText, checksumText, compileMode = "sync"] = process.argv.slice(2);
const bytes = readFileSync(file);
const steps = Number(stepsText);
const rounds = Number(roundsText);
const expected = Number(checksumText);

const now = () => ({ wall: performance.now(), thread: threadMs(), process: processMs() });
const since = (a) => {
  const b = now();
  return { wall: b.wall - a.wall, thread: b.thread - a.thread, process: b.process - a.process };
};
const mark = (name) => process.stdout.write(`@@mark ${name}\n`);

const phases = {};
let t = now();
if (!WebAssembly.validate(bytes)) process.exit(3);
phases.validate = since(t);
t = now();
const module = compileMode === "async" ? await WebAssembly.compile(bytes) : new WebAssembly.Module(bytes);
phases.compile = since(t);
t = now();
const instance = compileMode === "async" ? await WebAssembly.instantiate(module, {}) : new WebAssembly.Instance(module, {});
phases.instantiate = since(t);
const run = instance.exports.run;
const roundTimes = [];
mark("round-1");
for (let r = 1; r <= rounds; r++) {
  t = now();
  const got = run(steps);
  roundTimes.push(since(t));
  mark(`end-${r}`);
  if (got !== expected) {
    console.error(`round ${r}: run(${steps}) returned ${got}, the JS reference ${expected}`);
    process.exit(3);
  }
}
console.log(JSON.stringify({ phases, rounds: roundTimes }));
process.kill(process.pid, "SIGKILL");
