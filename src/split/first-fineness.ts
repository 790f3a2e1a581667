/**
 * How finely the first attempt of partition-and-link cuts (`fine`, 1 or 2): a
 * prediction that saves a whole attempt where the first would fail (issue 10).
 *
 * `splitLargeSwitches` (cut-points.ts) turns a switch of more than
 * `switchLeafCases(budget, fine)` cases into a tree whose leaves hold that many. When
 * many values are live at the switch and each case leaves a different set live (a
 * parser's actions, each assigning one of hundreds of locals), a leaf's piece cannot
 * leave into its cases: every case would need an exit stub of its own storing all of
 * them into the heap frame. So the leaf's piece must hold all its cases, be entered
 * with a load of every value and leave where the cases join with a store of every
 * one. When that is over the budget, the first attempt's partition fails on the leaf
 * ("a single block ... needs N bytes with its entries and exits") and the search
 * cuts finer (fine 2) in a new attempt: a new cut, frames, liveness, prices and
 * partitions of the whole method, about a quarter of the 16 MB parser-actions split.
 *
 * The prediction reads the decoded body and its frames (liveness is not known yet):
 * the values are those the frame before the switch holds, priced as the heap frame's
 * stubs load and store them (`loadCost`, `storeCost` of passes/link/costs.ts); a case
 * is the method's bytes (`maxEncodedSize`) over the switch's targets. It predicts a failure only when
 * the loads alone are at least an eighth of the budget: with fewer values the cases'
 * exits can afford a stub, or share one (an interpreter's cases all return to its
 * loop with the same registers live), and the first attempt is kept at fine 1. A
 * wrong prediction either way costs what it did before: an attempt, or finer cuts.
 */
import type { MethodBody } from "../bytecode/model.js";
import { maxCodeSize } from "../bytecode/size-bound.js";
import type { FrameAnalysis } from "../../passes/frames.js";
import { FIRST_ID, NULL, TOP } from "../../passes/frame-types.js";
import { loadCost, PIECE_OVERHEAD, storeCost } from "../../passes/link/costs.js";
import { switchLeafCases } from "./cut-points.js";

/** Bytes of a switch table entry (tableswitch offset; a lookupswitch pays 8). */
const TABLE_ENTRY = 4;
/** The widest load of one local (wide index, a reference's checkcast): gates asking for frames at all. */
const WIDEST_LOAD = 12;

/** The `fine` the first attempt should cut with: 2 when a switch leaf at 1 cannot fit with its cases and stubs. */
export function firstFineness(body: MethodBody, budget: number, frames: () => FrameAnalysis): number {
  const leafCases = switchLeafCases(budget, 1);
  // Cheap gates first: a large switch, and locals enough that their loads could matter.
  if (body.maxLocals * WIDEST_LOAD < budget / 8) return 1;
  const large: number[] = [];
  for (let i = 0, nodes = body.nodes; i < nodes.length; i++) {
    const n = nodes[i]!;
    if ((n.kind === "tableswitch" || n.kind === "lookupswitch") && n.targets.length > leafCases) large.push(i);
  }
  if (large.length === 0) return 1;
  const codeLength = maxCodeSize(body.nodes);
  const analysis = frames();
  for (const at of large) {
    const sw = body.nodes[at]!;
    if (sw.kind !== "tableswitch" && sw.kind !== "lookupswitch") continue;
    const f = analysis.sharedFrameBefore(at);
    if (!f) continue;
    let loads = 0;
    let stores = 0;
    for (let slot = 0; slot < f.locals.length; slot++) {
      const t = f.locals[slot]!;
      if (t === TOP) continue;
      loads += loadCost(slot, t === NULL || t >= FIRST_ID);
      stores += storeCost(slot);
    }
    if (loads < budget / 8) continue;
    const caseBytes = Math.max(1, codeLength / sw.targets.length - TABLE_ENTRY);
    const leafPiece = PIECE_OVERHEAD + loads + stores + leafCases * (TABLE_ENTRY + caseBytes);
    if (leafPiece > budget) return 2;
  }
  return 1;
}

