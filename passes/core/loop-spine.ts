/**
 * The spine of a loop: the blocks every iteration runs. A loop too big for one
 * piece is cut, and where it is cut decides what an iteration costs once the JIT
 * has compiled it: a transfer between pieces is a real call and return (pieces over
 * `FreqInlineSize`, 325 bytes, are not inlined) plus the hand-over of the live
 * values. Packing blocks in reverse postorder puts a `for` loop's increment (its
 * latch, the last block in that order) in the last piece, far from its header, so
 * *every* iteration pays two transfers; an interpreter loop of 8.7 KB measured
 * 19.7 ns a step that way against 12.4 ns unsplit under
 * `-XX:-DontCompileHugeMethods` (docs/design/jit-speed.md).
 *
 * The spine is the header and the blocks that dominate, inside the loop, every
 * block that jumps back to the header: the path an iteration cannot avoid (loop
 * test, instruction fetch, the dispatch `switch`, a shared increment). Keeping it
 * in one piece makes an iteration that stays on that piece's blocks free of
 * transfers; the cases of a dispatch loop are what gets moved out.
 *
 * Dominators are computed on the loop's own subgraph rooted at its header
 * (Cooper, Harvey and Kennedy's iterative algorithm over reverse postorder).
 * Cost: O(blocks + edges) of the loop times the (small) number of passes.
 */
import type { BlockGraph } from "./block-graph.js";
import { allSuccessors } from "./loops.js";

/** Blocks of `loop` (a strongly connected component entered at `header`) that every iteration runs, the header first. */
export function loopSpine(cfg: BlockGraph, loop: readonly number[], header: number): number[] {
  return loopDominators(cfg, loop, header).spine;
}

/**
 * The loop's dominator tree and its spine. Blocks are numbered by their position
 * in `loop` (`local`), and every table is a typed array over those numbers: the
 * loop of an interpreter is most of its method (500,000 blocks at 16 MB), and
 * the partition asks for it once per handover per attempt.
 */
interface LoopDominators {
  /** Loop block -> its index in `loop`. */
  local: Map<number, number>;
  /** Immediate dominator (a local index; the header its own), -1 where the header does not reach. */
  idom: Int32Array;
  spine: number[];
}

/** The loop's dominator tree (immediate dominators, its header its own) and its spine. */
function loopDominators(cfg: BlockGraph, loop: readonly number[], header: number): LoopDominators {
  const m = loop.length;
  const local = new Map<number, number>();
  loop.forEach((b, i) => local.set(b, i));
  // Successors inside the loop, as local indices, in the CFG's order (duplicates kept).
  const succStart = new Int32Array(m + 1);
  const succList: number[] = [];
  for (let i = 0; i < m; i++) {
    for (const s of allSuccessors(cfg, loop[i]!)) {
      const j = local.get(s);
      if (j !== undefined) succList.push(j);
    }
    succStart[i + 1] = succList.length;
  }
  const h = local.get(header)!;

  // Reverse postorder of the loop body from its header, ignoring back edges into it.
  const order: number[] = [];
  const seen = new Uint8Array(m);
  seen[h] = 1;
  const stackBlock: number[] = [h];
  const stackNext: number[] = [succStart[h]!];
  while (stackBlock.length > 0) {
    const top = stackBlock.length - 1;
    const b = stackBlock[top]!;
    if (stackNext[top]! < succStart[b + 1]!) {
      const s = succList[stackNext[top]!++]!;
      if (!seen[s]) {
        seen[s] = 1;
        stackBlock.push(s);
        stackNext.push(succStart[s]!);
      }
      continue;
    }
    order.push(b);
    stackBlock.pop();
    stackNext.pop();
  }
  order.reverse();
  const rank = new Int32Array(m);
  order.forEach((b, i) => (rank[b] = i));
  // Predecessors (reached blocks only, header excluded as a target), in the order of `order`.
  const predCount = new Int32Array(m + 1);
  for (const b of order) for (let k = succStart[b]!; k < succStart[b + 1]!; k++) if (succList[k] !== h) predCount[succList[k]! + 1]!++;
  for (let i = 0; i < m; i++) predCount[i + 1]! += predCount[i]!;
  const predStart = predCount.slice();
  const predList = new Int32Array(predStart[m]!);
  for (const b of order) for (let k = succStart[b]!; k < succStart[b + 1]!; k++) if (succList[k] !== h) predList[predCount[succList[k]!]!++] = b;

  const idom = new Int32Array(m).fill(-1);
  idom[h] = h;
  const intersect = (a: number, b: number): number => {
    while (a !== b) {
      while (rank[a]! > rank[b]!) a = idom[a]!;
      while (rank[b]! > rank[a]!) b = idom[b]!;
    }
    return a;
  };
  for (let changed = true; changed; ) {
    changed = false;
    for (const b of order) {
      if (b === h) continue;
      let d = -1;
      for (let k = predStart[b]!; k < predStart[b + 1]!; k++) {
        const p = predList[k]!;
        if (idom[p]! >= 0) d = d < 0 ? p : intersect(p, d);
      }
      if (d >= 0 && idom[b] !== d) {
        idom[b] = d;
        changed = true;
      }
    }
  }

  // The deepest block dominating every latch, and its dominators up to the header.
  let common = -1;
  for (const b of order) {
    let latch = false;
    for (let k = succStart[b]!; k < succStart[b + 1]!; k++) if (succList[k] === h) latch = true;
    if (latch) common = common < 0 ? b : intersect(b, common);
  }
  if (common < 0) return { local, idom, spine: [header] };
  const spine: number[] = [];
  for (let b = common; ; b = idom[b]!) {
    spine.push(loop[b]!);
    if (b === h) break;
  }
  return { local, idom, spine: spine.reverse() };
}

/**
 * How a loop too big for one piece should be packed: its spine, and the rest cut
 * into *regions*, each the blocks a spine block's child in the dominator tree
 * dominates (one case of a dispatch `switch` with all its inner branches). A region
 * is entered only through its root, so moving it out whole costs one transfer each
 * time it runs; its `heat` is how often its root runs per iteration, estimated
 * statically: the header runs once, a block hands its count out evenly among its
 * distinct normal successors inside the loop (a branch 1/2 each, a switch of k
 * targets 1/k each), back edges and exception edges carry nothing. The header's
 * piece is filled with the regions that run most per byte (a dispatch `switch` cut
 * into buckets by `splitLargeSwitches` makes each bucket's switch a region with
 * its cases, so a piece holding a bucket runs a moved step in one transfer), each
 * region's blocks kept together.
 */
export interface LoopLayout {
  spine: number[];
  /** Region root of every loop block off the spine. */
  regionOf: Map<number, number>;
  /** Estimated runs per iteration of each region root. */
  heat: Map<number, number>;
}

export function loopLayout(cfg: BlockGraph, loop: readonly number[], header: number, rank: Int32Array): LoopLayout {
  const { local, idom, spine } = loopDominators(cfg, loop, header);
  const m = loop.length;
  const onSpine = new Uint8Array(m);
  for (const b of spine) onSpine[local.get(b)!] = 1;
  const weight = new Float64Array(m);
  weight[local.get(header)!] = 1;
  // Distinct normal successors per block, first occurrence first (a stamp per block asked).
  const stamp = new Int32Array(m);
  const next: number[] = [];
  const ordered = [...loop].sort((a, b) => rank[a]! - rank[b]!);
  ordered.forEach((b, k) => {
    const w = weight[local.get(b)!]!;
    next.length = 0;
    for (const s of cfg.successors[b]!) {
      const j = local.get(s);
      if (j === undefined || stamp[j] === k + 1) continue;
      stamp[j] = k + 1;
      if (s !== header && rank[s]! > rank[b]!) next.push(j);
    }
    for (const j of next) weight[j] = weight[j]! + w / next.length;
  });
  // Each block's region root: the block below the spine on its dominator path (found once per block).
  const root = new Int32Array(m).fill(-1);
  const path: number[] = [];
  const regionOf = new Map<number, number>();
  const heat = new Map<number, number>();
  for (let i = 0; i < m; i++) {
    if (onSpine[i] || idom[i]! < 0) continue;
    let r = i;
    path.length = 0;
    while (root[r]! < 0 && !onSpine[idom[r]!]) {
      path.push(r);
      r = idom[r]!;
    }
    const found = root[r]! >= 0 ? root[r]! : r;
    root[r] = found;
    for (const x of path) root[x] = found;
    regionOf.set(loop[i]!, loop[found]!);
    heat.set(loop[found]!, weight[found]!);
  }
  return { spine, regionOf, heat };
}

/**
 * Packing order of the atoms of the loops whose spine was kept whole: right after
 * the loop's header, regions hottest per byte first, each region's atoms together
 * in reverse postorder. `key` gives a sortable tuple for an atom's first block, or
 * undefined for a block of no such loop (or of the spine itself).
 */
export class RegionOrder {
  private readonly headerOf: Int32Array;
  private readonly regionOf: Int32Array;
  private readonly heat: Float64Array;
  private regionSize: Map<number, number> | undefined;
  loops = 0;

  constructor(
    private readonly cfg: BlockGraph,
    private readonly rank: Int32Array,
    private readonly blockSize: Int32Array,
  ) {
    this.headerOf = new Int32Array(cfg.blockCount).fill(-1);
    this.regionOf = new Int32Array(cfg.blockCount).fill(-1);
    this.heat = new Float64Array(cfg.blockCount);
  }

  /** Records a loop whose spine was kept in one piece; an outer loop recorded later overrides an inner one. */
  add(header: number, layout: LoopLayout): void {
    this.loops++;
    for (const [b, root] of layout.regionOf) {
      this.headerOf[b] = header;
      this.regionOf[b] = root;
      this.heat[root] = layout.heat.get(root)!;
    }
  }

  /** How many regions the recorded loops have (reachable blocks' regions). */
  regionCount(): number {
    const roots = new Set<number>();
    for (let x = 0; x < this.cfg.blockCount; x++) if (this.cfg.reachable[x] && this.headerOf[x]! >= 0) roots.add(this.regionOf[x]!);
    return roots.size;
  }

  /** Root of the region `b` lies in, off a kept spine; -1 if none. */
  regionOfBlock(b: number): number {
    return this.headerOf[b]! >= 0 ? this.regionOf[b]! : -1;
  }

  /** Header of the spined loop `b` lies in, off its spine; -1 if none. */
  headerOfBlock(b: number): number {
    return this.headerOf[b]!;
  }

  key(b: number): [number, number, number, number] {
    if (!this.regionSize) {
      this.regionSize = new Map();
      for (let x = 0; x < this.cfg.blockCount; x++) {
        const r = this.regionOf[x]!;
        if (this.cfg.reachable[x] && r >= 0) this.regionSize.set(r, (this.regionSize.get(r) ?? 0) + this.blockSize[x]!);
      }
    }
    const region = this.regionOf[b]!;
    const h = this.headerOf[b]!;
    return [this.rank[h]! + 0.5, -this.heat[region]! / (1 + this.regionSize.get(region)!), this.rank[region]!, this.rank[b]!];
  }
}
