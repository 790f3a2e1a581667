/**
 * The random-program soak: `npm run soak -- --count N [--seed S] [--jobs J]
 * [--all-modes] [--dispatch | --dead-stack] [--minutes M] [--out DIR]`. Draws programs
 * S .. S+N-1 (test/support/random-program; with --dispatch, interpreter-shaped ones
 * whose run() is a dispatch loop; with --dead-stack, ones whose run() leaves values on
 * the stack that nothing takes again), splits each in-process at a random limit in one link mode
 * (in turn: switch, direct, indy, auto; all four with --all-modes), runs the
 * unsplit and split classes in batched JVMs under -Xverify:all, and prints
 * `N programs, M mismatches` with the refusals by reason (with --minutes M, no
 * program is drawn after M minutes, and N is what ran). Each failure prints
 * its seed; the first few are delta-debugged to the fewest blocks that still
 * fail, and written to DIR (default soak-failures/) as assembler text (.j) and
 * as the program tree (.json, replayable). Exit status 1 when anything failed.
 */
import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { Command } from "commander";
import { programText } from "../test/support/random-program/emit-class.js";
import { generateProgram, type ProgramShape } from "../test/support/random-program/generate.js";
import { minimise } from "../test/support/random-program/minimise.js";
import { blockCount, type Program } from "../test/support/random-program/model.js";
import { runPool } from "../test/support/random-program/pool.js";
import { headline, summary } from "../test/support/random-program/report.js";
import { LINK_MODES } from "../test/support/random-program/split.js";

const opts = new Command()
  .name("soak")
  .option("--count <n>", "programs to draw", "10000")
  .option("--seed <s>", "first seed", "1")
  .option("--jobs <j>", "child processes splitting in parallel", "2")
  .option("--batch <b>", "programs per JVM launch", "50")
  .option("--all-modes", "split every program in all four link modes")
  .option("--dispatch", "draw interpreter-shaped programs (run() is a dispatch loop)")
  .option("--dead-stack", "draw programs whose run() leaves values on the stack that nothing takes again")
  .option("--hang-ms <ms>", "a split that reports nothing this long is a hang", "300000")
  .option("--minimise <k>", "delta-debug at most this many failures", "3")
  .option("--out <dir>", "where minimised failures are written", "soak-failures")
  .option("--minutes <m>", "draw no new program after this many minutes (the count is then what ran)")
  .parse()
  .opts();

const count = Number(opts.count);
const shape: ProgramShape = opts.dispatch ? "dispatch" : opts.deadStack ? "dead-stack" : "mixed";
const first = Number(opts.seed);
const started = Date.now();

const deadline = opts.minutes === undefined ? Infinity : started + Number(opts.minutes) * 60_000;

function* programs(): Generator<Program> {
  for (let i = 0; i < count && Date.now() < deadline; i++) yield generateProgram(first + i, shape);
}

const stats = await runPool(programs(), {
  jobs: Number(opts.jobs),
  batchSize: Number(opts.batch),
  hangMs: Number(opts.hangMs),
  modes: (p) => (opts.allModes ? [...LINK_MODES] : [LINK_MODES[p.seed % LINK_MODES.length]!]),
  onBatch: (t) => process.stderr.write(`\r${t.programs}/${count} programs, ${t.failures.length} mismatches, ${((Date.now() - started) / 1000).toFixed(0)} s`),
});
process.stderr.write("\n");
console.log(summary(stats));

const seen = new Set<number>();
for (const f of stats.failures) {
  if (seen.has(f.seed) || seen.size >= Number(opts.minimise)) continue;
  seen.add(f.seed);
  const original = generateProgram(f.seed, shape);
  console.log(`minimising seed ${f.seed} (${f.kind}, ${f.mode ?? "-"} at ${f.limit ?? "-"}), ${blockCount(original)} blocks`);
  const m = await minimise(original, f, { hangMs: Number(opts.hangMs), jobs: Number(opts.jobs), log: (l) => console.log(`  ${l}`) });
  mkdirSync(opts.out, { recursive: true });
  const base = join(opts.out, `seed-${f.seed}-${f.kind.replace(/ /g, "-")}-${f.mode ?? "none"}-${m.program.limit ?? f.limit ?? 0}`);
  writeFileSync(`${base}.json`, JSON.stringify(m.program, null, 1) + "\n");
  writeFileSync(`${base}.j`, `; ${f.kind} in --link ${f.mode} at --max-size ${m.program.limit ?? f.limit}: ${m.failure.detail.split("\n").join(" | ")}\n${programText(m.program)}`);
  console.log(`seed ${f.seed}: minimised to ${blockCount(m.program)} blocks in ${m.rounds} rounds: ${base}.j (${m.failure.detail.split("\n")[0]})`);
}
console.log(headline(stats));
process.exitCode = stats.failures.length ? 1 : 0;
