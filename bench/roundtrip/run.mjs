#!/usr/bin/env node
/**
 * bench/roundtrip: megasplit's forced full round trip of a jar (default Debian's
 * jython.jar) against ASM's (ClassReader -> ClassWriter(COMPUTE_MAXS), every method
 * re-encoded, re-zipped), each as a whole process, alternating in one invocation.
 * megasplit runs twice per round: as it writes any jar (entries whose bytes come
 * back identical keep their compressed bytes) and with `--redeflate` (every entry
 * deflated afresh, as ASM's side does); both ratios are printed.
 * Prints every run with the load average (other work on the machine distorts the
 * ratio, in our runs by slowing the JVM side more, so only a quiet machine gives a
 * fair one), the medians and the ratio megasplit / ASM (below 1 = faster), and
 * writes bench/roundtrip/chart.svg (bench/lib/chart.mjs).
 *
 *   npm run bench -- roundtrip [jar] [runs]      (after `npm run setup`: dist/, ASM, jython)
 */
import { execFileSync, spawnSync } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, rmSync } from "node:fs";
import { cpus, loadavg, tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { writeBarChart } from "../lib/chart.mjs";

const here = dirname(fileURLToPath(import.meta.url));
const jar = process.argv[2] ?? "/usr/share/java/jython.jar";
const runs = Number(process.argv[3] ?? 5);
const asmJar = "/usr/share/java/asm.jar";
for (const need of [jar, asmJar, join(here, "../../dist/src/index.js")]) {
  if (!existsSync(need)) {
    console.error(`bench/roundtrip: ${need} is missing: run \`npm run setup\``);
    process.exit(2);
  }
}

const work = mkdtempSync(join(tmpdir(), "megasplit-bench-"));
const classes = join(work, "classes");
mkdirSync(classes);
execFileSync("javac", ["-d", classes, "-cp", asmJar, join(here, "../lib/AsmRoundTrip.java")]);

function timed(cmd, args) {
  const t0 = process.hrtime.bigint();
  const r = spawnSync(cmd, args, { encoding: "utf8" });
  const ms = Number(process.hrtime.bigint() - t0) / 1e6;
  if (r.status !== 0) throw new Error(`${cmd} ${args.join(" ")} failed:\n${r.stdout}\n${r.stderr}`);
  return ms;
}

const asm = [];
const ms = [];
const strict = [];
for (let i = 0; i < runs; i++) {
  asm.push(timed("java", ["-cp", `${asmJar}:${classes}`, "AsmRoundTrip", jar, join(work, "asm.jar"), "1"]));
  ms.push(timed(process.execPath, [join(here, "megasplit-roundtrip.mjs"), jar, join(work, "megasplit.jar")]));
  strict.push(timed(process.execPath, [join(here, "megasplit-roundtrip.mjs"), jar, join(work, "megasplit-redeflated.jar"), "--redeflate"]));
  console.log(
    `run ${i + 1}: asm ${asm[i].toFixed(0)} ms, megasplit ${ms[i].toFixed(0)} ms, megasplit --redeflate ${strict[i].toFixed(0)} ms   (load average ${loadavg()[0].toFixed(1)})`,
  );
}
const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const a = median(asm);
const m = median(ms);
const s = median(strict);
console.log(`input: ${jar}; node ${process.version}, ${cpus().length} CPUs`);
console.log(`median whole process: asm ${a.toFixed(0)} ms, megasplit ${m.toFixed(0)} ms, megasplit --redeflate ${s.toFixed(0)} ms`);
console.log(`ratio megasplit/asm: ${(m / a).toFixed(2)}`);
console.log(`ratio megasplit --redeflate/asm: ${(s / a).toFixed(2)}`);
const chart = writeBarChart(join(here, "chart.svg"), {
  title: "bench/roundtrip: whole-process round trip of a jar, median ms (lower is better)",
  unit: "ms",
  groups: [jar.split("/").pop()],
  series: ["ASM ClassReader -> ClassWriter", "megasplit", "megasplit --redeflate"],
  values: [[a, m, s]],
  labels: [[null, `${(m / a).toFixed(2)}x`, `${(s / a).toFixed(2)}x`]],
  note: `medians of ${runs} alternating runs; node ${process.version}, ${cpus().length} CPUs, load average ${loadavg()[0].toFixed(1)}`,
});
console.log(`chart: bench/roundtrip/${chart.split("/").pop()}`);
rmSync(work, { recursive: true, force: true });
