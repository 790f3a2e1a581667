/**
 * bench/lib/baseline.mjs: the CLI of another checkout, for benchmarks that time
 * this checkout's split against a baseline's in one invocation (`--baseline DIR`:
 * DIR is a checkout whose dist/ is built, e.g. `git worktree add ../base e50d5e2`
 * then `npx tsc -p tsconfig.json` in it). Older CLIs differ: before the CLI
 * overhaul (e50d5e2 and earlier) `split` printed one line per method always and
 * had no `--verbose` or `--threads`, so callers ask `verboseFlag` rather than
 * passing the option blindly. `label` names the baseline by its commit, so the
 * tables and charts say what was compared.
 */
import { execFileSync } from "node:child_process";
import { existsSync } from "node:fs";
import { join, resolve } from "node:path";

/** The built CLI of a checkout. */
export const cliOf = (dir) => join(dir, "dist/src/cli/main.js");

/** `["--verbose"]` if the CLI has that option (it then prints per-method lines only with it), else `[]`. */
export function verboseFlag(cli) {
  return execFileSync(process.execPath, [cli, "--help"], { encoding: "utf8" }).includes("--verbose") ? ["--verbose"] : [];
}

/**
 * The baseline checkout named by `--baseline DIR`: its CLI and a label (the
 * commit's short hash, or the directory when it is not a git checkout). Exits with
 * status 2 when DIR has no built CLI: the benchmark could not run as asked.
 */
export function baselineOf(dir, bench) {
  const abs = resolve(dir);
  const cli = cliOf(abs);
  if (!existsSync(cli)) {
    console.error(`${bench}: ${cli} is missing: build the baseline first (\`npx tsc -p tsconfig.json\` in ${abs})`);
    process.exit(2);
  }
  let label = abs;
  try {
    label = execFileSync("git", ["-C", abs, "rev-parse", "--short", "HEAD"], { encoding: "utf8", stdio: ["ignore", "pipe", "ignore"] }).trim();
  } catch {
    // not a git checkout: the directory names it
  }
  return { cli, label };
}
