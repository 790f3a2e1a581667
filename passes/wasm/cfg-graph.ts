/**
 * The `BlockGraph` side of a WebAssembly CFG (passes/core/block-graph.ts), from
 * the blocks' terminators: successors (each target once, in terminator order),
 * predecessors, reachability from block 0 and a reverse postorder. Wasm code has
 * no exception handlers here (functions with them are refused), so `handlersOf`
 * is empty for every block and `handlerBlock` is empty.
 *
 * Iterative depth-first search (no recursion: a CFG of a million blocks in a chain
 * would overflow the call stack). Cost O(blocks + edges).
 */
import type { BlockGraph } from "../core/block-graph.js";
import { terminatorTargets, type Terminator } from "./wasm-cfg.js";

const NO_HANDLERS: readonly number[] = [];

export function blockGraphOf(terms: readonly Terminator[]): BlockGraph {
  const n = terms.length;
  // Arrays of exact length: at a million blocks, arrays grown by push (16 slots
  // reserved each) took several times the memory of the whole CFG.
  const successors: (readonly number[])[] = new Array(n);
  const predCount = new Int32Array(n);
  const seenBy = new Int32Array(n);
  for (let b = 0; b < n; b++) {
    const targets = terminatorTargets(terms[b]!);
    let distinct = 0;
    for (const t of targets) {
      if (seenBy[t] === b + 1) continue;
      seenBy[t] = b + 1;
      distinct++;
      predCount[t]!++;
    }
    if (distinct === targets.length) successors[b] = targets;
    else {
      const succ: number[] = new Array(distinct);
      let k = 0;
      for (const t of targets) if (seenBy[t] === b + 1) {
        seenBy[t] = -1;
        succ[k++] = t;
      }
      successors[b] = succ;
    }
  }
  const predecessors: number[][] = new Array(n);
  for (let b = 0; b < n; b++) predecessors[b] = new Array(predCount[b]!);
  predCount.fill(0);
  for (let b = 0; b < n; b++) for (const s of successors[b]!) predecessors[s]![predCount[s]!++] = b;
  const reachable = new Uint8Array(n);
  const postorder = new Int32Array(n);
  let count = 0;
  if (n > 0) {
    const stackBlock = new Int32Array(n);
    const stackNext = new Int32Array(n);
    let sp = 0;
    stackBlock[0] = 0;
    reachable[0] = 1;
    sp = 1;
    while (sp > 0) {
      const b = stackBlock[sp - 1]!;
      const succ = successors[b]!;
      const k = stackNext[sp - 1]!;
      if (k < succ.length) {
        stackNext[sp - 1] = k + 1;
        const s = succ[k]!;
        if (!reachable[s]) {
          reachable[s] = 1;
          stackBlock[sp] = s;
          stackNext[sp] = 0;
          sp++;
        }
      } else {
        postorder[count++] = b;
        sp--;
      }
    }
  }
  const reversePostorder = new Int32Array(count);
  for (let i = 0; i < count; i++) reversePostorder[i] = postorder[count - 1 - i]!;
  const handlersOf: (readonly number[])[] = new Array(n).fill(NO_HANDLERS);
  return { blockCount: n, successors, predecessors, handlersOf, handlerBlock: new Int32Array(0), reachable, reversePostorder };
}
