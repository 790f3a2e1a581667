/**
 * bench/wasm/turbofan-reach-child.mjs: the child of bench/wasm/turbofan-reach.mjs,
 * run in a fresh `node` with the V8 flags under test (`--no-liftoff`: the unsplit
 * function's optimised code). Compiles and instantiates the module once (it must
 * export its memory as `memory`), then for each round runs every program once, in
 * an order that rotates each round: copies the program to address 0 of the memory
 * and calls `run(steps)`, timing the call in main-thread CPU (Linux schedstat) and
 * wall ms; every call must return the program's expected checksum. The first
 * `--warm` rounds are left out. Prints one JSON line
 *   {"compileFirstMs":{wall,thread},"byProgram":{NAME:[{wall,thread}...]}}
 * then ends itself with SIGKILL (a normal exit would wait for V8's background jobs).
 *
 *   node [v8 flags] bench/wasm/turbofan-reach-child.mjs MODULE.wasm STEPS ROUNDS WARM NAME=PROGRAM.bin=CHECKSUM...
 */
import { readFileSync } from "node:fs";
import { threadMs } from "../lib/cpu-clocks.mjs";

const [file, stepsText, roundsText, warmText, ...programArgs] = process.argv.slice(2);
const steps = Number(stepsText);
const rounds = Number(roundsText);
const warm = Number(warmText);
const programs = programArgs.map((a) => {
  const [name, path, checksum] = a.split("=");
  return { name, bytes: readFileSync(path), checksum: Number(checksum) };
});

const now = () => ({ wall: performance.now(), thread: threadMs() });
const since = (a) => {
  const b = now();
  return { wall: b.wall - a.wall, thread: b.thread - a.thread };
};

const start = now();
const instance = new WebAssembly.Instance(new WebAssembly.Module(readFileSync(file)), {});
const { run, memory } = instance.exports;
const heap = new Uint8Array(memory.buffer);
// The first call compiles the function (lazily, on the main thread under --no-liftoff).
heap.set(programs[0].bytes, 0);
if (run(1) === undefined) process.exit(3);
const compileFirstMs = since(start);

const byProgram = Object.fromEntries(programs.map((p) => [p.name, []]));
for (let r = 0; r < rounds; r++) {
  for (let i = 0; i < programs.length; i++) {
    const p = programs[(i + r) % programs.length];
    heap.set(p.bytes, 0);
    const s = now();
    const got = run(steps);
    const t = since(s);
    if (got !== p.checksum) {
      console.error(`${p.name}: run(${steps}) returned ${got}, the JS reference ${p.checksum}`);
      process.exit(3);
    }
    if (r >= warm) byProgram[p.name].push(t);
  }
}
console.log(JSON.stringify({ compileFirstMs, byProgram }));
process.kill(process.pid, "SIGKILL");
