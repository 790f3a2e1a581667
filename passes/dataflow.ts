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
 * transfers; `maxSteps` guards against a bug. Cost: O(sweeps x (blocks + edges)) calls.
 */
import { AssertionError } from "../src/diagnostics.js";
import type { ControlFlowGraph } from "./cfg.js";

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
}

export interface DataflowResult<F> {
  input: (F | undefined)[];
  output: (F | undefined)[];
  /** How many block transfers ran (for scaling measurements). */
  steps: number;
}

export function solve<F>(cfg: ControlFlowGraph, problem: DataflowProblem<F>, maxSteps = 1_000_000_000): DataflowResult<F> {
  return problem.direction === "forward" ? solveForward(cfg, problem, maxSteps) : solveBackward(cfg, problem, maxSteps);
}

/** A queue of blocks ordered by a priority rank, each present at most once. */
class RankedWorklist {
  private readonly queued: Uint8Array;
  private readonly heap: number[] = [];
  constructor(private readonly rank: Int32Array) {
    this.queued = new Uint8Array(rank.length);
  }
  get size(): number {
    return this.heap.length;
  }
  push(b: number): void {
    if (this.queued[b]) return;
    this.queued[b] = 1;
    const h = this.heap;
    let i = h.push(b) - 1;
    const r = this.rank[b]!;
    while (i > 0) {
      const parent = (i - 1) >> 1;
      if (this.rank[h[parent]!]! <= r) break;
      h[i] = h[parent]!;
      i = parent;
    }
    h[i] = b;
  }
  pop(): number {
    const h = this.heap;
    const top = h[0]!;
    const last = h.pop()!;
    if (h.length > 0) {
      let i = 0;
      const r = this.rank[last]!;
      for (;;) {
        const l = 2 * i + 1;
        if (l >= h.length) break;
        const rr = l + 1 < h.length && this.rank[h[l + 1]!]! < this.rank[h[l]!]! ? l + 1 : l;
        if (this.rank[h[rr]!]! >= r) break;
        h[i] = h[rr]!;
        i = rr;
      }
      h[i] = last;
    }
    this.queued[top] = 0;
    return top;
  }
}

function rpoRank(cfg: ControlFlowGraph, reverse: boolean): Int32Array {
  const rank = new Int32Array(cfg.blockCount).fill(0x7fffffff);
  const rpo = cfg.reversePostorder;
  for (let i = 0; i < rpo.length; i++) rank[rpo[i]!] = reverse ? rpo.length - 1 - i : i;
  return rank;
}

function solveForward<F>(cfg: ControlFlowGraph, p: DataflowProblem<F>, maxSteps: number): DataflowResult<F> {
  const input: (F | undefined)[] = new Array(cfg.blockCount).fill(undefined);
  const output: (F | undefined)[] = new Array(cfg.blockCount).fill(undefined);
  const work = new RankedWorklist(rpoRank(cfg, false));
  input[0] = p.boundary(0);
  work.push(0);
  let steps = 0;
  const flowInto = (s: number, fact: F) => {
    const old = input[s];
    const merged = old === undefined ? fact : p.join(old, fact);
    if (old === undefined || !p.equal(old, merged)) {
      input[s] = merged;
      work.push(s);
    }
  };
  while (work.size > 0) {
    const b = work.pop();
    if (++steps > maxSteps) throw new AssertionError(`dataflow did not converge after ${maxSteps} steps`);
    const inFact = input[b]!;
    const out = p.transfer(b, inFact);
    output[b] = out;
    for (const s of cfg.successors[b]!) flowInto(s, out);
    const hs = cfg.handlersOf[b]!;
    for (const hi of hs) {
      const fact = p.exceptional ? p.exceptional(b, hi, inFact) : inFact;
      flowInto(cfg.handlerBlock[hi]!, fact);
    }
  }
  return { input, output, steps };
}

function solveBackward<F>(cfg: ControlFlowGraph, p: DataflowProblem<F>, maxSteps: number): DataflowResult<F> {
  const n = cfg.blockCount;
  const input: (F | undefined)[] = new Array(n).fill(undefined);
  const output: (F | undefined)[] = new Array(n).fill(undefined);
  // Blocks whose handlers include h, per handler block: they depend on h's input.
  // Only handler blocks have such a list (a million empty arrays would dominate).
  const coveredBy: (number[] | undefined)[] = new Array(n);
  for (let b = 0; b < n; b++) {
    const hs = cfg.handlersOf[b]!;
    for (let k = 0; k < hs.length; k++) (coveredBy[cfg.handlerBlock[hs[k]!]!] ??= []).push(b);
  }
  const work = new RankedWorklist(rpoRank(cfg, true));
  for (const b of cfg.reversePostorder) work.push(b);
  let steps = 0;
  while (work.size > 0) {
    const b = work.pop();
    if (++steps > maxSteps) throw new AssertionError(`dataflow did not converge after ${maxSteps} steps`);
    let out: F | undefined;
    const succ = cfg.successors[b]!;
    if (succ.length === 0) out = p.boundary(b);
    for (const s of succ) {
      const f = input[s];
      if (f === undefined) continue;
      out = out === undefined ? f : p.join(out, f);
    }
    if (out === undefined) out = p.boundary(b);
    output[b] = out;
    let handlerIn: F | undefined;
    for (const hi of cfg.handlersOf[b]!) {
      const f = input[cfg.handlerBlock[hi]!];
      if (f !== undefined) handlerIn = handlerIn === undefined ? f : p.join(handlerIn, f);
    }
    const inFact = p.transfer(b, out, handlerIn);
    const old = input[b];
    if (old === undefined || !p.equal(old, inFact)) {
      input[b] = inFact;
      const preds = cfg.predecessors[b]!;
      for (let k = 0; k < preds.length; k++) if (cfg.reachable[preds[k]!]) work.push(preds[k]!);
      const covered = coveredBy[b];
      if (covered) for (let k = 0; k < covered.length; k++) if (cfg.reachable[covered[k]!]) work.push(covered[k]!);
    }
  }
  return { input, output, steps };
}
