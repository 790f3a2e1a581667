#!/usr/bin/env node
/**
 * bench/jit-unlock: what splitting buys at run time. Generates the ~20 KB
 * interpreter method of generate.mjs (a loop around a 200-case tableswitch),
 * compiles it with javac, splits it with the built CLI (`megasplit split`,
 * default --max-size 8000, --link auto; also --link direct and switch, measured
 * separately only when their bytes differ from auto), and runs it hot, alternating
 * in one invocation: the original with default flags (HotSpot never compiles a
 * method over 8,000 bytes), the original with -XX:-DontCompileHugeMethods, and the
 * split class with default flags. Each run warms up, then times calls of
 * run(program, 100000); the checksums of all runs must be identical. Prints every
 * run, the medians of ns per interpreter step (CPU time of the benchmark thread;
 * wall-clock alongside), and the split version's speed relative to the other two
 * (above 1 = split faster; the target is 0.9x or better of
 * -XX:-DontCompileHugeMethods). With ASM (Debian's libasm-java) present it also
 * counts the piece calls per interpreter step (CountPieceCalls.java). A script,
 * not a test: it asserts nothing about time.
 *
 *   npm run build && node bench/jit-unlock/run.mjs [runs=5] [warm-seconds=10] [time-seconds=5]
 */
import { execFileSync, spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { cpus, loadavg, tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const here = dirname(fileURLToPath(import.meta.url));
const root = join(here, "../..");
const cli = join(root, "dist/src/cli/main.js");
const runs = Number(process.argv[2] ?? 5);
const warm = String(process.argv[3] ?? 10);
const time = String(process.argv[4] ?? 5);
const asmJar = "/usr/share/java/asm.jar";
if (!existsSync(cli)) {
  console.error("dist/src/cli/main.js is missing: run `npm run build` first");
  process.exit(2);
}

const work = mkdtempSync(join(tmpdir(), "megasplit-jit-unlock-"));
const sh = (cmd, args) => execFileSync(cmd, args, { encoding: "utf8" });
const dir = (name) => join(work, name);

sh(process.execPath, [join(here, "generate.mjs"), dir("src")]);
sh("javac", ["-d", dir("orig"), join(dir("src"), "Interp.java")]);
const size = sh(process.execPath, [cli, "inspect", dir("orig"), "--limit", "8000"]).split("\n").find((l) => l.includes("Interp.run"));
console.log(`original: ${size.trim()}`);

const links = ["auto", "direct", "switch"];
const splitReport = {};
for (const link of links) {
  const out = sh(process.execPath, [cli, "split", dir("orig"), "-o", `${dir(`split-${link}`)}/`, "--link", link, "--mapping", dir(`split-${link}.mapping`)]);
  splitReport[link] = out.split("\n")[0];
  console.log(`--link ${link}: ${splitReport[link]}`);
}
const bytes = (link) => readFileSync(join(dir(`split-${link}`), "Interp.class"));
const configs = [
  { name: "original, default flags", args: ["-cp", dir("orig")] },
  { name: "original, -XX:-DontCompileHugeMethods", args: ["-XX:-DontCompileHugeMethods", "-cp", dir("orig")] },
  { name: "split (link auto), default flags", args: ["-cp", dir("split-auto")] },
];
for (const link of ["direct", "switch"]) {
  if (Buffer.compare(bytes(link), bytes("auto")) === 0) console.log(`--link ${link}: identical class bytes to --link auto, measured once`);
  else configs.push({ name: `split (link ${link}), default flags`, args: ["-cp", dir(`split-${link}`)] });
}

if (existsSync(asmJar)) {
  const tools = dir("tools");
  sh("javac", ["-cp", asmJar, "-d", tools, join(here, "CountPieceCalls.java")]);
  for (const link of links) {
    if (link !== "auto" && Buffer.compare(bytes(link), bytes("auto")) === 0) continue;
    const counted = dir(`counted-${link}`);
    sh("java", ["-cp", `${asmJar}:${tools}`, "CountPieceCalls", "instrument", join(dir(`split-${link}`), "Interp.class"), join(counted, "Interp.class")]);
    console.log(`--link ${link}: ${sh("java", ["-cp", `${asmJar}:${tools}:${counted}`, "CountPieceCalls", "run", "1000000"]).trim()}`);
  }
} else {
  console.log(`(${asmJar} missing: piece calls per step not counted)`);
}

const parse = (out) => {
  const m = /checksum (\S+)\s+ns\/step (\S+)\s+wall-ns\/step (\S+)\s+calls (\d+)/.exec(out);
  if (!m) throw new Error(`unexpected output: ${out}`);
  return { checksum: m[1], cpu: Number(m[2]), wall: Number(m[3]), calls: Number(m[4]) };
};
const results = configs.map(() => []);
const checksums = new Set();
console.log(`${runs} runs per configuration, alternating; each: warm up ${warm} s, then time ${time} s`);
for (let i = 0; i < runs; i++) {
  const line = [];
  configs.forEach((c, k) => {
    const r = spawnSync("java", [...c.args, "Interp", warm, time], { encoding: "utf8" });
    if (r.status !== 0) throw new Error(`${c.name} failed:\n${r.stdout}\n${r.stderr}`);
    const p = parse(r.stdout);
    checksums.add(p.checksum);
    results[k].push(p);
    line.push(`${p.cpu.toFixed(2)}`);
  });
  console.log(`run ${i + 1}: ns/step ${line.join(" | ")}   (load average ${loadavg()[0].toFixed(1)})`);
}
if (checksums.size !== 1) {
  console.log(`CHECKSUMS DIFFER: ${[...checksums].join(", ")}`);
  process.exit(1);
}
const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const med = results.map((rs) => ({ cpu: median(rs.map((r) => r.cpu)), wall: median(rs.map((r) => r.wall)) }));
console.log(`checksum ${[...checksums][0]} in all ${runs * configs.length} runs`);
configs.forEach((c, k) => {
  console.log(`  ${c.name.padEnd(42)} median ns/step ${med[k].cpu.toFixed(2).padStart(8)} cpu, ${med[k].wall.toFixed(2).padStart(8)} wall`);
});
const speed = (k, ref) => (med[ref].cpu / med[k].cpu).toFixed(2);
for (let k = 2; k < configs.length; k++) {
  console.log(`${configs[k].name}: speed ${speed(k, 0)}x of original default, ${speed(k, 1)}x of -XX:-DontCompileHugeMethods (target >= 0.9x)`);
}
console.log(`${spawnSync("java", ["-version"], { encoding: "utf8" }).stderr.split("\n")[1]}; ${cpus().length} CPUs`);
rmSync(work, { recursive: true, force: true });
