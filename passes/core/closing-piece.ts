/**
 * The piece being closed by the partition's packing, priced exactly while atoms
 * are taken back out of it. When a piece closes over its limit (its transfers
 * into blocks not placed yet are only counted then), the packing gives back the
 * atoms admitted last, one at a time, until it fits; recomputing the exact cost
 * (`PieceCosting.exact` in partition.ts) over the whole piece after each one
 * made that O(atoms given back x piece size) per piece: about 100 atoms of a
 * 300-block piece for every piece of a switch whose cases all leave into one
 * block with 300 live locals (bench/scaling parser-actions).
 *
 * This keeps the running figures instead: per block of the piece, its
 * predecessors outside it; per block outside it, the edges the piece has into it;
 * per exit group, the targets of the piece in it. Taking an atom out then costs
 * O(the atom's edges). It answers exactly what `exact` answers (the same integer,
 * so the same partition): the overhead, the piece's blocks, the entry cost of
 * each block with a predecessor outside the piece (or the method entry, in a
 * piece other than 0), the exit cost of each distinct block outside the piece it
 * transfers to (placed or not) and the cost of each distinct exit group among
 * them. Only without `stubs`: stub prices depend on the slots the whole piece
 * touches, and the caller recomputes. Invariants: blocks of the piece have
 * `pieceOf === p`, every other block does not change piece while it is closed.
 */
import type { PartitionInput } from "./partition.js";

export class ClosingPiece {
  /** For blocks of the piece: predecessors outside it. */
  private readonly outside: Int32Array;
  /** For blocks outside the piece: edges from the piece into them. */
  private readonly targetRefs: Int32Array;
  /** For exit groups: targets of the piece in them. */
  private readonly groupRefs: Int32Array;
  private readonly touchedTargets: number[] = [];
  private readonly touchedGroups: number[] = [];
  /** Marks the blocks of the atom being taken out. */
  private readonly atomStamp: Int32Array;
  private stamp = 0;
  private p = -1;
  /** The piece's exact cost with what it holds. */
  cost = 0;

  constructor(
    private readonly input: PartitionInput,
    private readonly edges: { succ: readonly (readonly number[])[]; pred: readonly (readonly number[])[] },
    private readonly pieceOf: Int32Array,
  ) {
    const n = input.cfg.blockCount;
    this.outside = new Int32Array(n);
    this.targetRefs = new Int32Array(n);
    this.atomStamp = new Int32Array(n);
    let groups = 0;
    if (input.exitGroup) for (let b = 0; b < n; b++) groups = Math.max(groups, input.exitGroup[b]! + 1);
    this.groupRefs = new Int32Array(groups);
  }

  /** Starts closing piece `p` holding `blocks` (marked as p in pieceOf); returns its exact cost. */
  open(p: number, blocks: readonly number[], overhead: number): number {
    const { input, pieceOf, outside, targetRefs } = this;
    const { pred, succ } = this.edges;
    for (const t of this.touchedTargets) targetRefs[t] = 0;
    for (const g of this.touchedGroups) this.groupRefs[g] = 0;
    this.touchedTargets.length = 0;
    this.touchedGroups.length = 0;
    this.p = p;
    let cost = overhead;
    const extra = p !== 0 ? input.pieceExtra : undefined;
    for (const b of blocks) {
      cost += input.blockSize[b]! + (extra ? extra[b]! : 0);
      let out = 0;
      for (const q of pred[b]!) if (pieceOf[q] !== p) out++;
      outside[b] = out;
      if (this.isEntry(b)) cost += input.entryCost[b]!;
      for (const s of succ[b]!) if (pieceOf[s] !== p) cost += this.addTargetRef(s);
    }
    this.cost = cost;
    return cost;
  }

  /** Takes `atom` out of the piece (the caller has just marked its blocks unplaced); returns the new exact cost. */
  remove(atom: readonly number[]): number {
    const { input, pieceOf, outside, targetRefs, atomStamp } = this;
    const { pred, succ } = this.edges;
    const p = this.p;
    const stamp = ++this.stamp;
    for (const b of atom) atomStamp[b] = stamp;
    const extra = p !== 0 ? input.pieceExtra : undefined;
    let cost = this.cost;
    for (const b of atom) {
      cost -= input.blockSize[b]! + (extra ? extra[b]! : 0);
      if (this.isEntry(b)) cost -= input.entryCost[b]!;
      outside[b] = 0;
      for (const s of succ[b]!) {
        if (atomStamp[s] === stamp) continue;
        if (pieceOf[s] === p) {
          // A block of the piece gains a predecessor outside it.
          const wasEntry = this.isEntry(s);
          outside[s]!++;
          if (!wasEntry) cost += input.entryCost[s]!;
        } else {
          targetRefs[s]!--;
          if (targetRefs[s] === 0) cost -= this.targetCost(s, -1);
        }
      }
    }
    // The atom's blocks become targets of the edges the rest of the piece has into them.
    for (const b of atom) for (const q of pred[b]!) if (pieceOf[q] === p) cost += this.addTargetRef(b);
    this.cost = cost;
    return cost;
  }

  private isEntry(b: number): boolean {
    return this.outside[b]! > 0 || (b === 0 && this.p !== 0);
  }

  /** Counts one more edge into `t`; returns what that adds (its exit, and its group's stub, when they are new). */
  private addTargetRef(t: number): number {
    const refs = this.targetRefs;
    if (refs[t] === 0) this.touchedTargets.push(t);
    refs[t]!++;
    return refs[t] === 1 ? this.targetCost(t, 1) : 0;
  }

  /** The exit cost of target `t` joining (+1) or leaving (-1) the piece's targets, with its group's when that changes. */
  private targetCost(t: number, change: 1 | -1): number {
    const input = this.input;
    let cost = input.exitCost[t]!;
    if (input.exitGroup) {
      const g = input.exitGroup[t]!;
      if (this.groupRefs[g] === 0) this.touchedGroups.push(g);
      this.groupRefs[g]! += change;
      if ((change === 1 && this.groupRefs[g] === 1) || (change === -1 && this.groupRefs[g] === 0)) cost += input.groupCost![g]!;
    }
    return cost;
  }
}
