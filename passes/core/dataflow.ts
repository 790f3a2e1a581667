/**
 * The one dataflow solver: a worklist over the CFG's blocks, forward or backward,
 * with the lattice and transfer functions plugged in (as ASM's Analyzer takes an
 * Interpreter, Binaryen's MonotoneCFGAnalyzer a lattice). Liveness and frame
 * inference both run on it.
 *
 * Facts are per block: `input` at block entry, `output` at block exit. A block not
 * yet reached has `undefined` facts (the lattice's bottom needs no value).
 *
 * Forward: input(entry) = boundary; input(b) = join of output(p) over normal
 * predecessors and of `exceptional(p, handler, input(p))` over exception edges into
 * b; output(b) = transfer(b, input(b)).
 *
 * Backward: output(b) = join of input(s) over normal successors (boundary for a
 * block without any); input(b) = transfer(b, output(b), handlerInput) where
 * handlerInput is the join of the inputs of the handlers covering b, handed to the
 * transfer so it can account for an exception at any instruction in the block.
 *
 * Blocks are processed in reverse postorder (forward) or postorder (backward) and
 * re-queued only when a fact they depend on changed, so reducible graphs converge
 * in a few sweeps. Termination needs a lattice of finite height and monotone
 * transfers; `maxSteps` guards against a bug. Cost: O(blocks + edges) to flatten
 * the CFG's lists, then O(sweeps x (blocks + edges)) calls; the worklist is a
 * bitset over ranks (O(1) per operation, see RankedWorklist).
 */
import { AssertionError } from "../../src/diagnostics.js";
import type { BlockGraph } from "./block-graph.js";
import { Int32Slab } from "./int32-slab.js";

export interface DataflowProblem<F> {
  readonly direction: "forward" | "backward";
  /** Forward: the fact at the entry block. Backward: the fact after a block with no normal successor. */
  boundary(block: number): F;
  /** Least upper bound; may return `a` itself when `b` adds nothing. */
  join(a: F, b: F): F;
  equal(a: F, b: F): boolean;
  /**
   * Forward: output from input. Backward: input from output, and the joined input
   * of the handlers covering the block (undefined when none is covered or reached).
   */
  transfer(block: number, fact: F, handlerInput?: F): F;
  /** Forward only: the fact an exception edge carries from `block` into handler `handlerIndex`. */
  exceptional?(block: number, handlerIndex: number, input: F): F;
  /**
   * Forward only. When given, the facts `transfer` and `exceptional` return may be
   * scratch that the next transfer overwrites: the solver passes each through
   * `keep` before storing it as a block's input (`keep` answers a fact that stays
   * valid, the same one when it already does), and `output` stays empty.
   */
  keep?(fact: F): F;
}

export interface DataflowResult<F> {
  input: (F | undefined)[];
  /** Empty for a forward problem with `keep` (its outputs are scratch). */
  output: (F | undefined)[];
  /** How many block transfers ran (for scaling measurements). */
  steps: number;
}

/** `slab`: where the solver's tables are carved from (a caller's, to share one buffer; see `int32-slab.ts`). */
export function solve<F>(cfg: BlockGraph, problem: DataflowProblem<F>, maxSteps = 1_000_000_000, slab: Int32Slab = new Int32Slab()): DataflowResult<F> {
  return problem.direction === "forward" ? solveForward(cfg, problem, maxSteps, slab) : solveBackward(cfg, problem, maxSteps, slab);
}

/**
 * A queue of blocks ordered by a priority rank, each present at most once: pop
 * gives the queued block of least rank. Ranks are a permutation of 0..R-1 (R
 * reachable blocks), so the queue is a bitset over ranks and a cursor at the
 * lowest word that may hold a bit: push and pop are O(1) apart from the cursor's
 * walk forward over empty words, which a push below the cursor restarts; that
 * walk is at most 1/32 of the ranks a re-queued loop spans, which the solver
 * visits anyway. (A binary heap gave the same order in O(log blocks) per
 * operation, which showed at a million blocks.)
 */
class RankedWorklist {
  private readonly bits: Uint32Array;
  private readonly blockAt: Int32Array;
  private cursor = 0;
  private count = 0;
  constructor(
    private readonly rank: Int32Array,
    slab: Int32Slab,
  ) {
    let r = 0;
    for (let b = 0; b < rank.length; b++) if (rank[b]! !== UNRANKED && rank[b]! >= r) r = rank[b]! + 1;
    this.blockAt = slab.alloc(r);
    for (let b = 0; b < rank.length; b++) if (rank[b]! !== UNRANKED) this.blockAt[rank[b]!] = b;
    this.bits = slab.uint32((r + 31) >>> 5);
    this.cursor = this.bits.length;
  }
  get size(): number {
    return this.count;
  }
  push(b: number): void {
    const r = this.rank[b]!;
    if (r === UNRANKED) throw new AssertionError(`dataflow: block ${b} is not reachable but was queued`);
    const w = r >>> 5;
    const bit = 1 << (r & 31);
    if (this.bits[w]! & bit) return;
    this.bits[w]! |= bit;
    this.count++;
    if (w < this.cursor) this.cursor = w;
  }
  pop(): number {
    const bits = this.bits;
    let w = this.cursor;
    while (bits[w] === 0) w++;
    this.cursor = w;
    const x = bits[w]!;
    const low = x & -x;
    bits[w] = x ^ low;
    this.count--;
    return this.blockAt[(w << 5) + 31 - Math.clz32(low)]!;
  }
}

const UNRANKED = 0x7fffffff;

/**
 * Per-block lists flattened: the items of block b are items[at[b]..at[b + 1]).
 * The solver's inner loops then read two compact arrays in place of one small
 * array object per block scattered over the heap, which on a method of 70,000
 * blocks (visited in reverse postorder, not memory order) missed the cache.
 */
interface FlatLists {
  at: Int32Array;
  items: Int32Array;
}

function flatten(n: number, lists: readonly (readonly number[])[], slab: Int32Slab, map?: Int32Array): FlatLists {
  const at = slab.alloc(n + 1);
  for (let b = 0; b < n; b++) at[b + 1] = at[b]! + lists[b]!.length;
  const items = slab.alloc(at[n]!);
  for (let b = 0, k = 0; b < n; b++) {
    const l = lists[b]!;
    for (let j = 0; j < l.length; j++) items[k++] = map ? map[l[j]!]! : l[j]!;
  }
  return { at, items };
}

function rpoRank(cfg: BlockGraph, reverse: boolean, slab: Int32Slab): Int32Array {
  const rank = slab.alloc(cfg.blockCount).fill(UNRANKED);
  const rpo = cfg.reversePostorder;
  for (let i = 0; i < rpo.length; i++) rank[rpo[i]!] = reverse ? rpo.length - 1 - i : i;
  return rank;
}

function solveForward<F>(cfg: BlockGraph, p: DataflowProblem<F>, maxSteps: number, slab: Int32Slab): DataflowResult<F> {
  const input: (F | undefined)[] = new Array(cfg.blockCount).fill(undefined);
  const output: (F | undefined)[] = new Array(cfg.blockCount).fill(undefined);
  const work = new RankedWorklist(rpoRank(cfg, false, slab), slab);
  input[0] = p.boundary(0);
  work.push(0);
  let steps = 0;
  const succ = flatten(cfg.blockCount, cfg.successors, slab);
  const hs = flatten(cfg.blockCount, cfg.handlersOf, slab);
  const keep = p.keep ? p.keep.bind(p) : (f: F) => f;
  const flowInto = (s: number, fact: F) => {
    const old = input[s];
    const merged = old === undefined ? fact : p.join(old, fact);
    if (old === undefined || !p.equal(old, merged)) {
      input[s] = keep(merged);
      work.push(s);
    }
  };
  while (work.size > 0) {
    const b = work.pop();
    if (++steps > maxSteps) throw new AssertionError(`dataflow did not converge after ${maxSteps} steps`);
    const inFact = input[b]!;
    const out = p.transfer(b, inFact);
    if (!p.keep) output[b] = out;
    for (let k = succ.at[b]!, end = succ.at[b + 1]!; k < end; k++) flowInto(succ.items[k]!, out);
    for (let k = hs.at[b]!, end = hs.at[b + 1]!; k < end; k++) {
      const hi = hs.items[k]!;
      const fact = p.exceptional ? p.exceptional(b, hi, inFact) : inFact;
      flowInto(cfg.handlerBlock[hi]!, fact);
    }
  }
  return { input, output, steps };
}

function solveBackward<F>(cfg: BlockGraph, p: DataflowProblem<F>, maxSteps: number, slab: Int32Slab): DataflowResult<F> {
  const n = cfg.blockCount;
  const input: (F | undefined)[] = new Array(n).fill(undefined);
  const output: (F | undefined)[] = new Array(n).fill(undefined);
  // Blocks whose handlers include h, per handler block: they depend on h's input.
  const NONE: readonly number[] = [];
  const coveredLists: (number[] | readonly number[])[] = new Array(n).fill(NONE);
  for (let b = 0; b < n; b++) {
    const hs = cfg.handlersOf[b]!;
    for (let k = 0; k < hs.length; k++) {
      const h = cfg.handlerBlock[hs[k]!]!;
      if (coveredLists[h] === NONE) coveredLists[h] = [];
      (coveredLists[h] as number[]).push(b);
    }
  }
  const coveredBy = flatten(n, coveredLists, slab);
  const succ = flatten(n, cfg.successors, slab);
  const preds = flatten(n, cfg.predecessors, slab);
  const handlerBlocks = flatten(n, cfg.handlersOf, slab, cfg.handlerBlock);
  const reachable = cfg.reachable;
  const work = new RankedWorklist(rpoRank(cfg, true, slab), slab);
  for (const b of cfg.reversePostorder) work.push(b);
  let steps = 0;
  while (work.size > 0) {
    const b = work.pop();
    if (++steps > maxSteps) throw new AssertionError(`dataflow did not converge after ${maxSteps} steps`);
    let out: F | undefined;
    const s0 = succ.at[b]!, s1 = succ.at[b + 1]!;
    if (s0 === s1) out = p.boundary(b);
    for (let k = s0; k < s1; k++) {
      const f = input[succ.items[k]!];
      if (f === undefined) continue;
      out = out === undefined ? f : p.join(out, f);
    }
    if (out === undefined) out = p.boundary(b);
    output[b] = out;
    let handlerIn: F | undefined;
    for (let k = handlerBlocks.at[b]!, end = handlerBlocks.at[b + 1]!; k < end; k++) {
      const f = input[handlerBlocks.items[k]!];
      if (f !== undefined) handlerIn = handlerIn === undefined ? f : p.join(handlerIn, f);
    }
    const inFact = p.transfer(b, out, handlerIn);
    const old = input[b];
    if (old === undefined || !p.equal(old, inFact)) {
      input[b] = inFact;
      for (let k = preds.at[b]!, end = preds.at[b + 1]!; k < end; k++) if (reachable[preds.items[k]!]) work.push(preds.items[k]!);
      for (let k = coveredBy.at[b]!, end = coveredBy.at[b + 1]!; k < end; k++) if (reachable[coveredBy.items[k]!]) work.push(coveredBy.items[k]!);
    }
  }
  return { input, output, steps };
}
