#!/usr/bin/env node
/**
 * jit-probe: runs bench/jit-unlock/Harness.java on several builds of one workload
 * class, alternating (the order rotates each round), and prints each run's steady
 * state (thread CPU per op) and whole run (the Harness's fixed ops from a cold JVM,
 * process CPU: compilation included), and the medians with their ratio to the
 * first variant (first time / variant time: above 1 = faster than the first). Every run
 * must print the same checksum. Used for gen-controls.mjs's controls against the
 * unsplit method under -XX:-DontCompileHugeMethods and megasplit's split.
 *
 *   node bench/jit-probe/harness-ab.mjs <class> <whole-ops> <runs> name=<classpath>[@<jvm flags>] ...
 *
 * Classpaths separate entries with ':'; JVM flags in `@...` separate with ','.
 * Warm-up 3 s and timing 2 s, as bench/jit-unlock/run.mjs.
 */
import { execFileSync, spawnSync } from "node:child_process";
import { mkdtempSync } from "node:fs";
import { loadavg, tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { median } from "../lib/median.mjs";

const here = dirname(fileURLToPath(import.meta.url));
const [cls, whole, runsArg, ...specs] = process.argv.slice(2);
if (!cls || !whole || !runsArg || specs.length === 0) {
  console.error("usage: harness-ab.mjs <class> <whole-ops> <runs> name=<classpath>[@flags] ...");
  process.exit(2);
}
const harness = mkdtempSync(join(tmpdir(), "harness-ab-"));
execFileSync("javac", ["-d", harness, join(here, "../jit-unlock/Harness.java")]);
const variants = specs.map((s) => {
  const [name, rest] = s.split(/=(.*)/s);
  const [cp, flags] = rest.split("@");
  return { name, cp, flags: flags ? flags.split(",") : [], steady: [], wholeCpu: [] };
});
const checksums = new Set();
for (let run = 0; run < Number(runsArg); run++) {
  const order = variants.map((_, i) => variants[(i + run) % variants.length]);
  for (const v of order) {
    const args = [...v.flags, "-cp", `${harness}:${v.cp}`, "Harness", cls, whole, "3", "2"];
    const r = spawnSync("java", args, { encoding: "utf8", maxBuffer: 1 << 26 });
    const line = r.stderr.split("\n").find((l) => l.startsWith("checksum "));
    if (r.status !== 0 || !line) throw new Error(`java ${args.join(" ")} failed:\n${r.stderr}`);
    checksums.add(line.split(" ")[1]);
    v.steady.push(Number(line.match(/steady-ns\/op ([\d.]+)/)[1]) / 1000);
    v.wholeCpu.push(Number(line.match(/whole-cpu-ms (\d+)/)[1]));
    console.log(`run ${run + 1} ${v.name.padEnd(10)} ${v.steady.at(-1).toFixed(1).padStart(9)} us/op  whole ${String(v.wholeCpu.at(-1)).padStart(6)} ms cpu  (load ${loadavg()[0].toFixed(1)}) ${line.match(/warm-s .*/)[0]}`);
  }
}
const base = median(variants[0].steady);
const baseWhole = median(variants[0].wholeCpu);
console.log(`medians: steady (us/op, thread CPU) and whole run (ms, process CPU); ratio = ${variants[0].name} / variant (above 1 = faster)`);
for (const v of variants) {
  const m = median(v.steady);
  const w = median(v.wholeCpu);
  console.log(
    `  ${v.name.padEnd(10)} ${m.toFixed(1).padStart(9)}   ${(base / m).toFixed(3)}x   whole ${String(w).padStart(6)} ms ${(baseWhole / w).toFixed(2)}x   runs ${v.steady.map((s) => s.toFixed(1)).join(" / ")}`,
  );
}
console.log(checksums.size === 1 ? `checksum ${[...checksums][0]} in every run` : `CHECKSUMS DIFFER: ${[...checksums].join(" ")}`);
if (checksums.size !== 1) process.exitCode = 1;
