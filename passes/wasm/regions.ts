/**
 * Single-entry regions of a partitioned WebAssembly CFG: the functions a piece
 * becomes when each of its entries gets its own function (form B of the design
 * brief: real multiple entry points, one function per entry, no selector).
 *
 * A piece (passes/core/partition.ts) may be entered from other pieces at several
 * blocks. Each such block, and the CFG's entry, starts a region; a block of the
 * piece joins the region of its predecessors when they all lie in one region, and
 * otherwise starts a region of its own (it is entered from two regions, so it
 * would otherwise be emitted twice), and so does each block of `alsoEntries` (the
 * targets of an indirect dispatch, entered through a funcref table). The result partitions the reachable blocks:
 * every edge into a region from outside it enters at the region's entry, which
 * therefore dominates the region, so each region is one function whose body is
 * the region's blocks, stackified from its entry.
 *
 * Cost: O((blocks + edges) x sweeps), a sweep per change of a block's region in
 * reverse postorder (loops need a second sweep for their back edges).
 */
import { assert } from "../../src/diagnostics.js";
import type { BlockGraph } from "../core/block-graph.js";

export interface Regions {
  /** The entry block of each reachable block's region; -1 for unreachable blocks. */
  readonly regionOf: Int32Array;
  /** Region entries in reverse postorder (the CFG's entry first). */
  readonly entries: number[];
  /** Each region's blocks in reverse postorder, by entry. */
  readonly members: Map<number, number[]>;
}

export function singleEntryRegions(cfg: BlockGraph, pieceOf: Int32Array, alsoEntries: Iterable<number> = []): Regions {
  const n = cfg.blockCount;
  const rpo = cfg.reversePostorder;
  const entry = rpo[0]!;
  const isEntry = new Uint8Array(n);
  isEntry[entry] = 1;
  for (const b of alsoEntries) if (cfg.reachable[b]) isEntry[b] = 1;
  for (const b of rpo) for (const p of cfg.predecessors[b]!) if (cfg.reachable[p] && pieceOf[p] !== pieceOf[b]) isEntry[b] = 1;
  const regionOf = new Int32Array(n).fill(-1);
  let sweeps = 0;
  for (let changed = true; changed; ) {
    changed = false;
    assert(++sweeps <= 4 * n + 4, "singleEntryRegions: no fixed point");
    for (const b of rpo) {
      let region = -1;
      if (isEntry[b]) region = b;
      else {
        for (const p of cfg.predecessors[b]!) {
          const r = regionOf[p]!;
          if (!cfg.reachable[p] || r === -1 || r === region) continue;
          if (region === -1) region = r;
          else {
            // Entered from two regions: a region of its own.
            isEntry[b] = 1;
            region = b;
            break;
          }
        }
      }
      if (region !== regionOf[b]) {
        regionOf[b] = region;
        changed = true;
      }
    }
  }
  const entries: number[] = [];
  const members = new Map<number, number[]>();
  for (const b of rpo) {
    if (isEntry[b]) {
      entries.push(b);
      members.set(b, []);
    }
  }
  for (const b of rpo) members.get(regionOf[b]!)!.push(b);
  return { regionOf, entries, members };
}
