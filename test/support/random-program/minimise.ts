/**
 * Delta-debugging of a failing random program down to the fewest blocks that
 * still fail the same way (same kind: mismatch, crash, hang, ...), at the mode
 * and limit of the failure. Each round tries every program with one block (and
 * everything nested in it) removed, all in one pool run (pool.ts, so a hanging
 * candidate is killed, not waited for); then all the removals that still failed
 * alone, together, and keeps that when it still fails, else the smallest single
 * one. It stops when no single removal fails, so the result is 1-minimal:
 * removing any one more block makes the failure go away. Cost: about
 * (rounds x blocks) variants; a candidate is a split and a few JVM cases.
 */
import type { SplitLinkMode } from "../../../src/split/split-method.js";
import type { Failure } from "./differential.js";
import { blockCount, childLists, PARTS, type Block, type Program } from "./model.js";
import { runPool } from "./pool.js";

/** `p` without the blocks whose depth-first indices are in `drop` (and what is nested in them). */
export function withoutBlocks(p: Program, drop: ReadonlySet<number>): Program {
  const copy = JSON.parse(JSON.stringify(p)) as Program;
  let seen = 0;
  const filter = (list: Block[]): Block[] =>
    list.filter((b) => {
      if (drop.has(seen++)) {
        for (const child of childLists(b)) countSkipped(child);
        return false;
      }
      for (const child of childLists(b)) child.splice(0, child.length, ...filter(child));
      return true;
    });
  const countSkipped = (list: Block[]): void => {
    for (const b of list) {
      seen++;
      for (const child of childLists(b)) countSkipped(child);
    }
  };
  for (const part of PARTS) copy.parts[part] = filter(copy.parts[part]);
  return copy;
}

export interface Minimised {
  program: Program;
  failure: Failure;
  rounds: number;
}

export async function minimise(p: Program, failure: Failure, opts: { hangMs: number; jobs: number; log?: (line: string) => void }): Promise<Minimised> {
  const mode: SplitLinkMode = failure.mode ?? "auto";
  let best: Program = { ...p, limit: failure.limit ?? p.limit };
  let bestFailure = failure;
  let rounds = 0;
  const stillFails = async (candidates: Program[]) => {
    const tagged = candidates.map((c, i) => ({ ...c, tag: `-r${rounds}c${i}` }));
    const stats = await runPool(tagged, { jobs: opts.jobs, batchSize: 20, modes: () => [mode], hangMs: opts.hangMs });
    const out = new Map<number, Failure>();
    for (const f of stats.failures) {
      const i = tagged.findIndex((c) => c.tag === f.tag);
      if (i >= 0 && f.kind === failure.kind && !out.has(i)) out.set(i, f);
    }
    return out;
  };
  for (;;) {
    rounds++;
    const total = blockCount(best);
    if (total === 0) break;
    const singles = Array.from({ length: total }, (_, k) => withoutBlocks(best, new Set([k])));
    const failing = await stillFails(singles);
    opts.log?.(`round ${rounds}: ${total} blocks, ${singles.length} candidates, ${failing.size} still fail`);
    if (failing.size === 0) break;
    // Every removal that failed alone, all at once: usually still failing, and then a big step.
    if (failing.size > 1) {
      const all = withoutBlocks(best, new Set(failing.keys()));
      const together = await stillFails([all]);
      if (together.size === 1) {
        best = all;
        bestFailure = together.get(0)!;
        opts.log?.(`  all ${failing.size} removals together still fail: ${blockCount(best)} blocks`);
        continue;
      }
    }
    const [k, f] = [...failing].sort((a, b) => blockCount(singles[a[0]]!) - blockCount(singles[b[0]]!))[0]!;
    best = singles[k]!;
    bestFailure = f;
  }
  return { program: best, failure: bestFailure, rounds };
}
