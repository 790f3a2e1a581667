/**
 * The blocks only one block leads to: from a root, every block all of whose
 * reachable predecessors already lie in the root's region joins it (a case of a
 * dispatch table with its if/else arms and their join; a loop inside the case
 * stays out, its header having a predecessor behind it). Used by split-tables.ts
 * to size the cases under one table of a tree and to keep each table of the tree
 * with its cases in one piece of the partition (passes/core/partition.ts,
 * `together`).
 *
 * Roots are taken in order; a block already in an earlier root's region stays
 * there. Cost O(blocks + edges) for all roots together: each block joins at most
 * once, and each edge is looked at when its source joins.
 */
import type { BlockGraph } from "../core/block-graph.js";

/** For each root in order, its region's blocks (the root first, then in the order they joined); a root already taken gives an empty list. */
export function exclusiveRegions(g: BlockGraph, roots: readonly number[]): number[][] {
  const n = g.blockCount;
  const owner = new Int32Array(n).fill(-1);
  const stamp = new Int32Array(n).fill(-1);
  const inRegion = new Int32Array(n);
  const predCount = new Int32Array(n).fill(-1);
  const reachablePreds = (b: number): number => {
    if (predCount[b] === -1) {
      let k = 0;
      for (const p of g.predecessors[b]!) if (g.reachable[p]) k++;
      predCount[b] = k;
    }
    return predCount[b]!;
  };
  const out: number[][] = [];
  roots.forEach((root, i) => {
    const region: number[] = [];
    out.push(region);
    if (owner[root] !== -1) return;
    owner[root] = i;
    region.push(root);
    for (let k = 0; k < region.length; k++) {
      for (const s of g.successors[region[k]!]!) {
        if (owner[s] !== -1) continue;
        if (stamp[s] !== i) {
          stamp[s] = i;
          inRegion[s] = 0;
        }
        if (++inRegion[s]! === reachablePreds(s)) {
          owner[s] = i;
          region.push(s);
        }
      }
    }
  });
  return out;
}
