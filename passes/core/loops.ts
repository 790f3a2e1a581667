/**
 * Strongly connected components of the CFG (or of a subset of its blocks), with
 * an iterative Tarjan: the partitioner keeps loops whole by treating every SCC
 * that fits as one unit, and looks inside an SCC that does not fit for the inner
 * loops (the SCCs left once its header is removed).
 *
 * Edges are the normal successors and the exception edges (block -> handler), as
 * both can carry control around a loop. Not graphlib's `alg.tarjan`: it recurses
 * once per block and overflows Node's stack on a chain of 5,000 blocks, which a
 * big generated method easily has. Cost: O(blocks + edges) per call.
 */
import type { BlockGraph } from "./block-graph.js";

/**
 * Successors of a block through both kinds of edge: the CFG's own list (read only)
 * when no handler covers the block, which is most blocks of a big method.
 */
export function allSuccessors(cfg: BlockGraph, b: number): readonly number[] {
  if (cfg.handlersOf[b]!.length === 0) return cfg.successors[b]!;
  const out = cfg.successors[b]!.slice();
  for (const hi of cfg.handlersOf[b]!) {
    const h = cfg.handlerBlock[hi]!;
    if (!out.includes(h)) out.push(h);
  }
  return out;
}

/**
 * SCCs of the subgraph induced by `members` (all reachable blocks when omitted),
 * each as a list of blocks; components come out in reverse topological order
 * (a component before the ones that can reach it), as Tarjan finds them.
 */
export function stronglyConnectedComponents(cfg: BlockGraph, members?: Uint8Array): number[][] {
  const n = cfg.blockCount;
  const inSet = members ?? cfg.reachable;
  const index = new Int32Array(n).fill(-1);
  const low = new Int32Array(n);
  const onStack = new Uint8Array(n);
  const stack: number[] = [];
  /** Where each block went on `stack`. */
  const stackPos = new Int32Array(n);
  const result: number[][] = [];
  const succ: (readonly number[])[] = new Array(n);
  let counter = 0;
  const callStack: number[] = [];
  const edgePos: number[] = [];
  for (let root = 0; root < n; root++) {
    if (!inSet[root] || index[root]! >= 0) continue;
    callStack.push(root);
    edgePos.push(0);
    index[root] = low[root] = counter++;
    stackPos[root] = stack.length;
    stack.push(root);
    onStack[root] = 1;
    while (callStack.length > 0) {
      const v = callStack[callStack.length - 1]!;
      const vs = (succ[v] ??= allSuccessors(cfg, v).filter((w) => inSet[w]));
      const i = edgePos[edgePos.length - 1]!;
      if (i < vs.length) {
        edgePos[edgePos.length - 1] = i + 1;
        const w = vs[i]!;
        if (index[w]! < 0) {
          index[w] = low[w] = counter++;
          stackPos[w] = stack.length;
          stack.push(w);
          onStack[w] = 1;
          callStack.push(w);
          edgePos.push(0);
        } else if (onStack[w]) {
          low[v] = Math.min(low[v]!, index[w]!);
        }
        continue;
      }
      callStack.pop();
      edgePos.pop();
      if (callStack.length > 0) {
        const parent = callStack[callStack.length - 1]!;
        low[parent] = Math.min(low[parent]!, low[v]!);
      }
      if (low[v] === index[v]) {
        // v and everything above it on the stack, in pop order; built at its size
        // (a pushed-to list reserves room for 17: most components are one block).
        const component = new Array<number>(stack.length - stackPos[v]!);
        for (let k = 0; k < component.length; k++) {
          const w = stack.pop()!;
          onStack[w] = 0;
          component[k] = w;
        }
        result.push(component);
      }
    }
  }
  return result;
}

/** True when the component is a loop: more than one block, or a block that jumps to itself. */
export function isLoop(cfg: BlockGraph, component: readonly number[]): boolean {
  if (component.length > 1) return true;
  const b = component[0]!;
  return allSuccessors(cfg, b).includes(b);
}
