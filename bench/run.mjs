#!/usr/bin/env node
/**
 * bench/run.mjs: `npm run bench -- NAME [args...]` runs bench/NAME/run.mjs with the
 * given arguments after checking that the build exists; `npm run bench` alone lists
 * the benchmarks. Exits with the benchmark's status (non-zero only when it could not
 * run: benchmarks assert nothing about time).
 */
import { spawnSync } from "node:child_process";
import { existsSync, readdirSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const here = dirname(fileURLToPath(import.meta.url));
const names = readdirSync(here, { withFileTypes: true })
  .filter((d) => d.isDirectory() && existsSync(join(here, d.name, "run.mjs")))
  .map((d) => d.name)
  .sort();
const [name, ...args] = process.argv.slice(2);
if (!name || !names.includes(name)) {
  if (name) console.error(`bench: no benchmark named ${name}`);
  console.error(`usage: npm run bench -- NAME [args...]\nbenchmarks: ${names.join(", ")}`);
  process.exit(name ? 2 : 0);
}
if (!existsSync(join(here, "..", "dist", "src", "cli", "main.js"))) {
  console.error("bench: dist/ is missing: run `npm run setup` (or `npm run build`) first");
  process.exit(2);
}
const r = spawnSync(process.execPath, [join(here, name, "run.mjs"), ...args], { stdio: "inherit" });
process.exit(r.status ?? 1);
