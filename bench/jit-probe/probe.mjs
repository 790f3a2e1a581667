#!/usr/bin/env node
/**
 * jit-probe: what HotSpot does with one program, unsplit and split, side by side.
 *
 *   node bench/jit-probe/probe.mjs time <main-class> <reps> <runs> name=<classpath>[@<jvm flags>] ...
 *     alternates the variants `runs` times; each run is one JVM running `main` of
 *     <main-class> <reps> times through Repeat (bench/jit-probe/Repeat.java).
 *     Prints per variant the medians over runs of: the whole run (first repetition,
 *     compile and warm-up included; and the JVM's process CPU), the steady state
 *     (median of the second half of the repetitions, CPU time of the running
 *     thread), and each variant's ratio to the first variant.
 *   node bench/jit-probe/probe.mjs log <main-class> <reps> <classpath> <method-filter> [jvm flags...]
 *     runs once with -XX:+PrintCompilation -XX:+PrintInlining and summarises, per
 *     method whose name contains <method-filter>: compilations by tier (OSR marked),
 *     'made not entrant' (deopts), COMPILE SKIPPED reasons, and every inlining
 *     decision at its call sites with HotSpot's reason.
 *
 * Classpaths separate entries with ':'; JVM flags in `@...` separate with ','.
 * <main-class> may carry arguments for main after colons: `Interp:count:2000000`.
 * CPU times come from the JVM (ThreadMXBean), so a loaded machine disturbs them
 * less than wall time; wall time is printed too.
 */
import { spawnSync } from "node:child_process";
import { existsSync, mkdirSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { median } from "../lib/median.mjs";

const here = dirname(fileURLToPath(import.meta.url));
const classes = join(here, "classes");
function ensureHarness() {
  if (existsSync(join(classes, "Repeat.class"))) return;
  mkdirSync(classes, { recursive: true });
  const r = spawnSync("javac", ["-d", classes, join(here, "Repeat.java")], { stdio: "inherit" });
  if (r.status !== 0) throw new Error("javac Repeat.java failed");
}

function runOnce(cp, flags, main, reps) {
  // `Class:arg1:arg2` passes arguments to main.
  const [cls, ...mainArgs] = main.split(":");
  const args = [...flags, "-cp", `${classes}:${cp}`, "Repeat", cls, String(reps), ...mainArgs];
  const r = spawnSync("java", args, { encoding: "utf8", maxBuffer: 1 << 28 });
  if (r.status !== 0) throw new Error(`java ${args.join(" ")} failed:\n${r.stderr}`);
  return r.stdout;
}

function time(main, reps, runs, variants) {
  const parsed = variants.map((v) => {
    const [name, rest] = v.split(/=(.*)/s);
    const [cp, flags] = rest.split("@");
    return { name, cp, flags: flags ? flags.split(",") : [], first: [], steady: [], proc: [], wall: [], out: new Set() };
  });
  for (let run = 0; run < runs; run++) {
    for (const v of parsed) {
      const out = runOnce(v.cp, v.flags, main, reps);
      const reps_ = [...out.matchAll(/^rep \d+ cpu-ms ([\d.]+) wall-ms ([\d.]+)$/gm)].map((m) => [Number(m[1]), Number(m[2])]);
      const total = out.match(/^process cpu-ms ([\d.]+) uptime-ms ([\d.]+)/m);
      v.out.add(out.split("\n").filter((l) => !/^(rep|process) /.test(l)).join("\n"));
      v.first.push(reps_[0][0]);
      v.steady.push(median(reps_.slice(Math.floor(reps_.length / 2)).map((x) => x[0])));
      v.proc.push(total ? Number(total[1]) : NaN);
      v.wall.push(total ? Number(total[2]) : NaN);
      process.stderr.write(`run ${run + 1} ${v.name}: first ${reps_[0][0]} ms, steady ${v.steady.at(-1)} ms\n`);
    }
  }
  const base = parsed[0];
  console.log(`${main} x${reps} reps, ${runs} alternating runs; medians (ms); ratio = ${base.name} time / variant time (higher is faster)`);
  console.log("variant".padEnd(14) + "steady-cpu  first-rep-cpu  process-cpu  process-wall  ratio-steady  ratio-first  ratio-proc");
  for (const v of parsed) {
    const r = (a, b) => (median(a) / median(b)).toFixed(2);
    console.log(
      v.name.padEnd(14) +
        [median(v.steady), median(v.first), median(v.proc), median(v.wall)].map((x) => x.toFixed(1).padStart(12)).join(" ") +
        [r(base.steady, v.steady), r(base.first, v.first), r(base.proc, v.proc)].map((x) => x.padStart(12)).join(" "),
    );
  }
  const outs = new Set(parsed.map((v) => [...v.out].join("\n--\n")));
  console.log(outs.size === 1 ? "same output from every variant" : "OUTPUT DIFFERS between variants");
  if (outs.size !== 1) process.exitCode = 1;
}

function log(main, reps, cp, filter, flags) {
  const out = runOnce(cp, ["-XX:+UnlockDiagnosticVMOptions", "-XX:+PrintCompilation", "-XX:+PrintInlining", ...flags], main, reps);
  const comp = new Map();
  const get = (m) => comp.get(m) ?? comp.set(m, { tiers: [], notEntrant: 0, skipped: [], inline: new Map() }).get(m);
  let current = null;
  for (const line of out.split("\n")) {
    const c = line.match(/^\s*\d+\s+\d+\s+([%sbn!]*)\s*(\d)\s+(\S+)(?: @ (\d+))?\s+\((\d+) bytes\)(.*)$/);
    if (c) {
      const [, marks, tier, method, osrBci, size, rest] = c;
      current = method.includes(filter) ? method : null;
      if (!current) continue;
      const e = get(method);
      e.size = size;
      if (/made not entrant/.test(rest)) e.notEntrant++;
      else if (/COMPILE SKIPPED/.test(rest)) e.skipped.push(`tier ${tier}: ${rest.trim()}`);
      else e.tiers.push(`${tier}${marks.includes("%") ? `%@${osrBci}` : ""}`);
      continue;
    }
    const s = line.match(/COMPILE SKIPPED: (.*)$/);
    if (s && current) get(current).skipped.push(s[1]);
    const i = line.match(/^\s+(?:\S+\s+)*@ (\d+)\s+(\S+) \((\d+) bytes\)\s+(.*)$/);
    if (i && current) {
      const key = `${i[2]} (${i[3]} B) -> ${i[4].trim()}`;
      const e = get(current);
      e.inline.set(key, (e.inline.get(key) ?? 0) + 1);
    }
  }
  for (const [m, e] of comp) {
    console.log(`${m} (${e.size} bytes): compiled ${e.tiers.join(" ") || "never"}; made not entrant ${e.notEntrant}`);
    for (const s of e.skipped) console.log(`  COMPILE SKIPPED ${s}`);
    for (const [k, n] of e.inline) console.log(`  x${n} ${k}`);
  }
}

const [mode, ...rest] = process.argv.slice(2);
ensureHarness();
if (mode === "time" && rest.length >= 4) time(rest[0], Number(rest[1]), Number(rest[2]), rest.slice(3));
else if (mode === "log" && rest.length >= 4) log(rest[0], Number(rest[1]), rest[2], rest[3], rest.slice(4));
else {
  console.error("usage: probe.mjs time <main> <reps> <runs> name=<cp>[@flags] ... | probe.mjs log <main> <reps> <cp> <filter> [flags]");
  process.exitCode = 2;
}
