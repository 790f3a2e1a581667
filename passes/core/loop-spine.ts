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

/** The loop's dominator tree (immediate dominators, its header its own) and its spine. */
function loopDominators(cfg: BlockGraph, loop: readonly number[], header: number): { idom: Map<number, number>; spine: number[] } {
  const inLoop = new Set(loop);
  const succ = new Map<number, number[]>();
  for (const b of loop) succ.set(b, allSuccessors(cfg, b).filter((s) => inLoop.has(s)));

  // Reverse postorder of the loop body from its header, ignoring back edges into it.
  const order: number[] = [];
  const seen = new Set<number>([header]);
  const stack: [number, number][] = [[header, 0]];
  while (stack.length > 0) {
    const top = stack[stack.length - 1]!;
    const next = succ.get(top[0])!;
    if (top[1] < next.length) {
      const s = next[top[1]++]!;
      if (!seen.has(s)) {
        seen.add(s);
        stack.push([s, 0]);
      }
      continue;
    }
    order.push(top[0]);
    stack.pop();
  }
  order.reverse();
  const rank = new Map<number, number>();
  order.forEach((b, i) => rank.set(b, i));
  const preds = new Map<number, number[]>();
  for (const b of order) for (const s of succ.get(b)!) if (s !== header) (preds.get(s) ?? preds.set(s, []).get(s)!).push(b);

  const idom = new Map<number, number>([[header, header]]);
  const intersect = (a: number, b: number): number => {
    while (a !== b) {
      while (rank.get(a)! > rank.get(b)!) a = idom.get(a)!;
      while (rank.get(b)! > rank.get(a)!) b = idom.get(b)!;
    }
    return a;
  };
  for (let changed = true; changed; ) {
    changed = false;
    for (const b of order) {
      if (b === header) continue;
      let d = -1;
      for (const p of preds.get(b) ?? []) if (idom.has(p)) d = d < 0 ? p : intersect(p, d);
      if (d >= 0 && idom.get(b) !== d) {
        idom.set(b, d);
        changed = true;
      }
    }
  }

  // The deepest block dominating every latch, and its dominators up to the header.
  let common = -1;
  for (const b of order) if (succ.get(b)!.includes(header)) common = common < 0 ? b : intersect(b, common);
  if (common < 0) return { idom, spine: [header] };
  const spine: number[] = [];
  for (let b = common; ; b = idom.get(b)!) {
    spine.push(b);
    if (b === header) break;
  }
  return { idom, spine: spine.reverse() };
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
  const { idom, spine } = loopDominators(cfg, loop, header);
  const onSpine = new Set(spine);
  const inLoop = new Set(loop);
  const weight = new Map<number, number>(loop.map((b) => [b, 0]));
  weight.set(header, 1);
  const ordered = [...loop].sort((a, b) => rank[a]! - rank[b]!);
  for (const b of ordered) {
    const w = weight.get(b)!;
    const next = [...new Set(cfg.successors[b]!)].filter((s) => inLoop.has(s) && s !== header && rank[s]! > rank[b]!);
    for (const s of next) weight.set(s, weight.get(s)! + w / next.length);
  }
  const regionOf = new Map<number, number>();
  const heat = new Map<number, number>();
  for (const b of loop) {
    if (onSpine.has(b) || !idom.has(b)) continue;
    let r = b;
    while (!onSpine.has(idom.get(r)!)) r = idom.get(r)!;
    regionOf.set(b, r);
    heat.set(r, weight.get(r)!);
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
