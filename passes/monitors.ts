/**
 * Monitor analyses (JVMS 2.11.10 structured locking, 6.5 monitorenter/monitorexit):
 * how many monitors a method holds at each block's entry, and the check that a
 * body never releases a monitor it does not hold. HotSpot keeps a frame's
 * monitors in that frame: a `monitorexit` of a monitor entered by the caller
 * throws IllegalMonitorStateException, and javac's handler that releases the
 * monitor covers itself, so such code loops for ever. The splitter uses the
 * depths to keep monitor regions in one frame (cut points, outlined regions);
 * the between-pass verifier uses the check on every body it writes.
 * Cost: one forward dataflow solve over the blocks.
 */
import { Op } from "../src/bytecode/opcodes.js";
import { type ControlFlowGraph, isInstruction, opcodeOf } from "./cfg.js";
import { solve } from "./core/dataflow.js";

/**
 * Monitors held at each block's entry (max over paths; javac's code is balanced).
 * The depth is capped at the number of monitorenter instructions: no path without
 * a cycle holds more, and a loop that enters a monitor on every turn without
 * leaving it (the verifier accepts it; only structured locking at run time
 * objects) would otherwise climb for ever and the solver never settle.
 *
 * An exception leaves a block for the first handler in table order that catches
 * it (JVMS 2.10), so handlers listed after a catch-all that covers the block
 * never receive it: those edges carry nothing. This matters for a `synchronized`
 * block inside a try: its own catch-all (the one that releases the monitor)
 * takes every exception thrown while the monitor is held, and the enclosing
 * try's handlers run with the monitor already released. Counting those edges
 * raised the depth of the try's handlers, and of everything after them, by one,
 * and an outlined region then paired a monitorenter with the exits of the
 * enclosing monitor (random-program soak seed 161893: a region releasing a
 * monitor its caller held, looping in javac's self-covering handler).
 */
export function monitorDepth(cfg: ControlFlowGraph): Int32Array {
  const nodes = cfg.body.nodes;
  let enters = 0;
  for (let ni = 0; ni < nodes.length; ni++) {
    const n = nodes[ni]!;
    if (isInstruction(n) && opcodeOf(n) === Op.MONITORENTER) enters++;
  }
  // No monitorenter: every depth is 0 (a monitorexit cannot go below it), without the solver.
  if (enters === 0) return new Int32Array(cfg.blockCount);
  const walk = (b: number, depth: number, visit?: (d: number) => void): number => {
    for (let i = cfg.blockStart[b]!; i < cfg.blockEnd[b]!; i++) {
      const n = nodes[i]!;
      if (!isInstruction(n)) continue;
      visit?.(depth);
      const op = opcodeOf(n);
      if (op === Op.MONITORENTER) depth = Math.min(enters, depth + 1);
      else if (op === Op.MONITOREXIT) depth = Math.max(0, depth - 1);
    }
    return depth;
  };
  const result = solve<number>(cfg, {
    direction: "forward",
    boundary: () => 0,
    join: (a, b) => Math.max(a, b),
    equal: (a, b) => a === b,
    transfer: (b, d) => walk(b, d),
    // An exception may leave the block before any of its instructions.
    exceptional: (b, hi, d) => {
      if (caughtBefore(cfg, b, hi)) return 0;
      let max = d;
      walk(b, d, (x) => (max = Math.max(max, x)));
      return max;
    },
  });
  const out = new Int32Array(cfg.blockCount);
  for (let b = 0; b < cfg.blockCount; b++) out[b] = result.input[b] ?? 0;
  return out;
}

/** Whether a catch-all handler covering `block` comes before handler `hi` in the table: then `hi` never catches what `block` throws. */
export function caughtBefore(cfg: ControlFlowGraph, block: number, hi: number): boolean {
  const handlers = cfg.body.handlers;
  for (const h of cfg.handlersOf[block]!) {
    if (h === hi) return false;
    if (handlers[h]!.catchType === 0) return true;
  }
  return false;
}

/**
 * The first `monitorexit` (node index) that every path reaches holding no monitor
 * of this frame, or -1. Balanced code (javac's, and every body the splitter
 * writes from it) has none.
 */
export function unheldMonitorExit(cfg: ControlFlowGraph): number {
  const depth = monitorDepth(cfg);
  const nodes = cfg.body.nodes;
  for (let b = 0; b < cfg.blockCount; b++) {
    if (!cfg.reachable[b]) continue;
    let d = depth[b]!;
    for (let i = cfg.blockStart[b]!; i < cfg.blockEnd[b]!; i++) {
      const n = nodes[i]!;
      if (!isInstruction(n)) continue;
      const op = opcodeOf(n);
      if (op === Op.MONITORENTER) d++;
      else if (op === Op.MONITOREXIT) {
        if (d === 0) return i;
        d--;
      }
    }
  }
  return -1;
}
