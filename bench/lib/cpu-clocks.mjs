/**
 * bench/lib/cpu-clocks.mjs: the clocks the benchmark children read. `threadMs` is
 * the main thread's CPU time from Linux's schedstat (ns, the first field of
 * /proc/self/task/<pid>/schedstat: what the caller waits for, and what a shared
 * machine distorts least); without schedstat it falls back to the process's CPU
 * time (`threadClock` says which). `processMs` is the whole process's CPU time,
 * V8's background compiler threads included.
 */
import { existsSync, readFileSync } from "node:fs";

/** The process's user + system CPU time, ms. */
export function processMs() {
  const u = process.cpuUsage();
  return (u.user + u.system) / 1000;
}

const schedstat = `/proc/self/task/${process.pid}/schedstat`;

/** "schedstat" when the main thread's own CPU time can be read, else "process". */
export const threadClock = existsSync(schedstat) ? "schedstat" : "process";

/** The main thread's CPU time, ms (the process's when schedstat is missing). */
export const threadMs = threadClock === "schedstat" ? () => Number(readFileSync(schedstat, "utf8").split(" ")[0]) / 1e6 : processMs;
