/**
 * bench/lib/under-tsx.mjs: a benchmark script that imports the TypeScript sources
 * (the generators of bench/wasm, the analyses) runs itself again under Node's
 * `--import tsx` loader when it was started without it, from the repository root,
 * and exits with the child's status. Call it before importing any `.ts` module.
 */
import { spawnSync } from "node:child_process";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

/** The repository root (two levels above bench/<name>/); when this process runs without tsx, runs `scriptUrl` again with it and exits. */
export function runUnderTsx(scriptUrl) {
  const root = join(dirname(fileURLToPath(scriptUrl)), "../..");
  if (!process.execArgv.some((a) => a.includes("tsx"))) {
    const r = spawnSync(process.execPath, ["--import", "tsx", fileURLToPath(scriptUrl), ...process.argv.slice(2)], { cwd: root, stdio: "inherit" });
    process.exit(r.status ?? 1);
  }
  return root;
}
