/**
 * Delta-debugging of a failing random program down to the fewest blocks that
 * still fail the same way (same kind: mismatch, crash, hang, ...), at the mode
 * and limit of the failure. Each round tries every program with one block (and
 * everything nested in it) removed, all in one pool run (pool.ts, so a hanging
 * candidate is killed, not waited for), and keeps the smallest that still
 * fails; it stops when no single removal fails. Greedy, so the result is
 * 1-minimal: removing any one more block makes the failure go away. Cost:
 * rounds x candidates variants; a candidate is a split and a few JVM cases.
 */
import type { SplitLinkMode } from "../../../src/split/split-method.js";
import type { Failure } from "./differential.js";
import { blockCount, childLists, PARTS, type Block, type Program } from "./model.js";
import { runPool } from "./pool.js";

/** Every program with exactly one block of `p` removed. */
export function oneRemoved(p: Program): Program[] {
  const out: Program[] = [];
  const clone = (): Program => JSON.parse(JSON.stringify(p)) as Program;
  // Address blocks by their position in a depth-first walk, then remove the k-th in a fresh copy.
  const total = blockCount(p);
  for (let k = 0; k < total; k++) {
    const copy = clone();
    let seen = 0;
    const removeIn = (list: Block[]): boolean => {
      for (let i = 0; i < list.length; i++) {
        if (seen++ === k) {
          list.splice(i, 1);
          return true;
        }
        for (const child of childLists(list[i]!)) if (removeIn(child)) return true;
      }
      return false;
    };
    for (const part of PARTS) if (removeIn(copy.parts[part])) break;
    out.push(copy);
  }
  return out;
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
  for (;;) {
    rounds++;
    const candidates = oneRemoved(best).map((c, i) => ({ ...c, tag: `-r${rounds}c${i}` }));
    if (candidates.length === 0) break;
    const stats = await runPool(candidates, { jobs: opts.jobs, batchSize: 20, modes: () => [mode], hangMs: opts.hangMs });
    const failing = stats.failures
      .filter((f) => f.kind === failure.kind)
      .map((f) => ({ f, c: candidates.find((c) => c.tag === f.tag)! }))
      .filter((x) => x.c)
      .sort((a, b) => blockCount(a.c) - blockCount(b.c));
    opts.log?.(`round ${rounds}: ${blockCount(best)} blocks, ${candidates.length} candidates, ${failing.length} still fail`);
    if (failing.length === 0) break;
    const { tag: _tag, ...next } = failing[0]!.c;
    best = next;
    bestFailure = failing[0]!.f;
  }
  return { program: best, failure: bestFailure, rounds };
}
