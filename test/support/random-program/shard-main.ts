/**
 * A child process of the differential pool (pool.ts): receives batches of
 * programs over IPC, checks each batch (differential.ts) and sends back its
 * stats. Before each split it reports which (seed, mode, limit) it starts, so
 * the parent can name the variant when the splitter hangs and it has to kill
 * this process.
 */
import { join } from "node:path";
import type { SplitLinkMode } from "../../../src/split/split-method.js";
import { checkPrograms } from "./differential.js";
import type { Program } from "./model.js";

export interface BatchRequest {
  id: number;
  programs: Program[];
  /** The link modes of each program. */
  modes: SplitLinkMode[][];
}

export type ShardMessage =
  | { kind: "split"; seed: number; tag?: string; mode: SplitLinkMode; limit: number }
  /** The batch's JVM runs now (it times out cases itself). */
  | { kind: "jvm" }
  | { kind: "done"; id: number; stats: Awaited<ReturnType<typeof checkPrograms>> };

const workDir = process.argv[2]!;
const send = (m: ShardMessage) => process.send!(m);

// The parent went away (killed, or its test timed out): stop rather than split for nobody.
process.on("disconnect", () => process.exit(0));

process.on("message", (req: BatchRequest) => {
  checkPrograms(req.programs, (i) => req.modes[i]!, join(workDir, `batch-${req.id}`), (p, mode, limit) => send(limit < 0 ? { kind: "jvm" } : { kind: "split", seed: p.seed, ...(p.tag !== undefined ? { tag: p.tag } : {}), mode, limit })).then(
    (stats) => send({ kind: "done", id: req.id, stats }),
    (e) => {
      process.stderr.write(`shard failed: ${e instanceof Error ? e.stack : String(e)}\n`);
      process.exit(2);
    },
  );
});
