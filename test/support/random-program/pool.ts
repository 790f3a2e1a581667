/**
 * Runs the differential check (differential.ts) over many programs on several
 * child processes (shard-main.ts, run through tsx), each taking batches of
 * programs in turn; one JVM launch per batch. A child that reports nothing for
 * `hangMs` is stuck in the splitter: it is killed, the variant it was splitting
 * is recorded as a hang, and the rest of its batch goes to a fresh child. The
 * children split while the JVMs of other batches run, so two jobs keep two cores
 * busy.
 */
import { fork, type ChildProcess } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import type { SplitLinkMode } from "../../../src/split/split-method.js";
import { emptyStats, mergeStats, type CheckStats } from "./differential.js";
import type { Program } from "./model.js";
import type { BatchRequest, ShardMessage } from "./shard-main.js";

const STARTUP_MS = 60_000;
const shardMain = join(dirname(fileURLToPath(import.meta.url)), "shard-main.ts");

export interface PoolOptions {
  jobs: number;
  batchSize: number;
  /** Modes per program: all of them, or one per program in turn. */
  modes: (p: Program) => SplitLinkMode[];
  hangMs: number;
  /** Called after every batch with the running totals. */
  onBatch?(total: CheckStats): void;
}

export async function runPool(programs: Iterable<Program>, opts: PoolOptions): Promise<CheckStats> {
  const total = emptyStats();
  const work = mkdtempSync(join(tmpdir(), "megasplit-random-"));
  const queue: Program[][] = [];
  const source = programs[Symbol.iterator]();
  let exhausted = false;
  const nextBatch = (): Program[] | undefined => {
    if (queue.length) return queue.shift();
    if (exhausted) return undefined;
    const batch: Program[] = [];
    while (batch.length < opts.batchSize) {
      const n = source.next();
      if (n.done) {
        exhausted = true;
        break;
      }
      batch.push(n.value);
    }
    return batch.length ? batch : undefined;
  };
  let ids = 0;
  const worker = async (): Promise<void> => {
    let child: ChildProcess | undefined;
    try {
      for (let batch = nextBatch(); batch; batch = nextBatch()) {
        const fresh = !child;
        child ??= fork(shardMain, [work], { execArgv: ["--import", "tsx"], stdio: ["ignore", "inherit", "inherit", "ipc"] });
        const c = child;
        const id = ids++;
        const outcome = await new Promise<{ stats: CheckStats } | { hang: { seed: number; tag?: string; mode: SplitLinkMode; limit: number } | undefined; exited?: boolean }>((resolve) => {
          let current: { seed: number; tag?: string; mode: SplitLinkMode; limit: number } | undefined;
          // A fresh child first compiles its modules (seconds on a loaded machine): not a hang.
          let timer = setTimeout(() => resolve({ hang: current }), opts.hangMs + (fresh ? STARTUP_MS : 0));
          const onMessage = (m: ShardMessage) => {
            clearTimeout(timer);
            if (m.kind === "done") {
              c.off("message", onMessage);
              c.off("exit", onExit);
              resolve({ stats: m.stats });
            } else if (m.kind === "jvm") {
              // DiffRunner times out its own cases: no watchdog while the JVM runs.
            } else {
              current = { seed: m.seed, ...(m.tag !== undefined ? { tag: m.tag } : {}), mode: m.mode, limit: m.limit };
              timer = setTimeout(() => resolve({ hang: current }), opts.hangMs);
            }
          };
          const onExit = () => {
            clearTimeout(timer);
            resolve({ hang: current, exited: true });
          };
          c.on("message", onMessage);
          c.once("exit", onExit);
          const req: BatchRequest = { id, programs: batch, modes: batch.map(opts.modes) };
          c.send(req);
        });
        if ("stats" in outcome) {
          mergeStats(total, outcome.stats);
        } else {
          c.kill("SIGKILL");
          child = undefined;
          const at = outcome.hang ? batch.findIndex((p) => p.seed === outcome.hang!.seed && (p.tag ?? "") === (outcome.hang!.tag ?? "")) : 0;
          const stuck = batch[Math.max(at, 0)]!;
          total.programs++;
          total.failures.push({ seed: stuck.seed, ...(stuck.tag !== undefined ? { tag: stuck.tag } : {}), ...(outcome.hang ? { mode: outcome.hang.mode, limit: outcome.hang.limit } : {}), ...(outcome.exited ? { kind: "crash", detail: "the splitting child process ended (see its stderr)" } : { kind: "hang", detail: `no progress for ${opts.hangMs} ms` }) });
          // The child's work on the rest of the batch is lost with it: all but the stuck program go again.
          const rest = batch.filter((p) => p !== stuck);
          if (rest.length) queue.push(rest);
        }
        opts.onBatch?.(total);
      }
    } finally {
      child?.kill();
    }
  };
  try {
    await Promise.all(Array.from({ length: opts.jobs }, worker));
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
  return total;
}
