/**
 * Runs the megasplit command line from source (through tsx), as a user would run
 * the built `megasplit` binary: a separate process, its exit code, stdout, stderr.
 */
import { spawn, spawnSync } from "node:child_process";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";

const root = resolve(dirname(fileURLToPath(import.meta.url)), "../..");

export interface CliRun {
  status: number;
  stdout: string;
  stderr: string;
}

/** `timeoutMs`: the process is killed after that long, and its status is -1 (for a test that the process exits by itself at all). */
export function runCli(args: string[], opts: { cwd?: string; timeoutMs?: number } = {}): CliRun {
  const r = spawnSync(process.execPath, ["--import", "tsx", join(root, "src/cli/main.ts"), ...args], {
    cwd: opts.cwd ?? root,
    encoding: "utf8",
    env: { ...process.env, FORCE_COLOR: "0" },
    maxBuffer: 1 << 28,
    ...(opts.timeoutMs !== undefined ? { timeout: opts.timeoutMs } : {}),
  });
  return { status: r.status ?? -1, stdout: r.stdout, stderr: r.stderr };
}

/** `runCli` without blocking the test runner, so that independent runs overlap. */
export function runCliAsync(args: string[], opts: { cwd?: string; env?: Record<string, string> } = {}): Promise<CliRun> {
  return new Promise((resolvePromise, reject) => {
    const child = spawn(process.execPath, ["--import", "tsx", join(root, "src/cli/main.ts"), ...args], {
      cwd: opts.cwd ?? root,
      env: { ...process.env, FORCE_COLOR: "0", ...opts.env },
    });
    let stdout = "";
    let stderr = "";
    child.stdout.setEncoding("utf8").on("data", (s: string) => (stdout += s));
    child.stderr.setEncoding("utf8").on("data", (s: string) => (stderr += s));
    child.on("error", reject);
    child.on("close", (status) => resolvePromise({ status: status ?? -1, stdout, stderr }));
  });
}
