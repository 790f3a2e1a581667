/**
 * The piece being filled by the partition's packing, priced incrementally. The
 * packing asks, for every atom in turn, what the open piece would cost with it
 * (`PieceCosting.optimistic` in partition.ts); recomputing that over the whole
 * piece made packing O(atoms x piece size), minutes on a method of many
 * megabytes. This keeps the running figures instead (per block of the piece, its
 * predecessors outside it; per block of a closed piece, the edges the piece has
 * into it; per exit group, the targets of the piece in it), so a question costs
 * O(the atom's edges) and admitting an atom the same.
 *
 * It answers exactly what `optimistic` answers (the same integer, so the same
 * partition): the piece's overhead, its blocks, the entry cost of each block with
 * a predecessor outside it (or the method entry, in a piece other than 0), and the
 * exit cost of each distinct target already placed in another piece plus the cost
 * of each distinct exit group among them. Only without `stubs`: stub prices then
 * depend on the slots the whole piece touches, and the caller recomputes.
 * Invariants: blocks of the piece have `pieceOf === p`; blocks of closed pieces do
 * not change piece while it is open; unplaced blocks are -1. Scratch state is
 * reset by undoing what was touched, so opening a piece costs O(its size).
 */
import type { PartitionInput } from "./partition.js";

export class OpenPiece {
  /** For blocks of the piece: predecessors outside it. */
  private readonly outside: Int32Array;
  /** For blocks of other pieces: edges from the piece into them. */
  private readonly targetRefs: Int32Array;
  /** For exit groups: targets of the piece in them. */
  private readonly groupRefs: Int32Array;
  private readonly touchedTargets: number[] = [];
  private readonly touchedGroups: number[] = [];
  /** Scratch for one question: blocks of the atom (stamp), its decrements and new targets and groups. */
  private readonly atomStamp: Int32Array;
  private readonly seenStamp: Int32Array;
  private readonly groupStamp: Int32Array;
  private readonly decrement: Int32Array;
  private stamp = 0;
  private p = -1;
  /** The piece's cost with what it holds. */
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
    this.seenStamp = new Int32Array(n);
    this.decrement = new Int32Array(n);
    let groups = 0;
    if (input.exitGroup) for (let b = 0; b < n; b++) groups = Math.max(groups, input.exitGroup[b]! + 1);
    this.groupRefs = new Int32Array(groups);
    this.groupStamp = new Int32Array(groups);
  }

  /** Starts piece `p` holding `blocks` (already marked as p in pieceOf). */
  open(p: number, blocks: readonly number[], overhead: number): void {
    for (const t of this.touchedTargets) this.targetRefs[t] = 0;
    for (const g of this.touchedGroups) this.groupRefs[g] = 0;
    this.touchedTargets.length = 0;
    this.touchedGroups.length = 0;
    this.p = p;
    this.cost = overhead;
    this.admit(blocks, true);
  }

  /** The cost with `atom` (unplaced) added, as `optimistic` computes it. */
  costWith(atom: readonly number[]): number {
    return this.cost + this.delta(atom, false);
  }

  /** Adds `atom`, whose blocks the caller has just marked as this piece. */
  add(atom: readonly number[]): void {
    this.admit(atom, false);
  }

  private admit(atom: readonly number[], opening: boolean): void {
    this.cost += opening ? this.delta(atom, true, true) : this.delta(atom, true);
  }

  /**
   * What `atom` adds to the cost. Without `commit` its blocks are unplaced (-1);
   * with it they are already marked as the piece, and the running figures move.
   * `opening` adds the blocks of a piece being opened, in any order.
   */
  private delta(atom: readonly number[], commit: boolean, opening = false): number {
    const { input, pieceOf, outside, targetRefs, groupRefs, atomStamp, seenStamp, groupStamp, decrement } = this;
    const { pred, succ } = this.edges;
    const p = this.p;
    const stamp = ++this.stamp;
    for (const b of atom) atomStamp[b] = stamp;
    const inPiece = (q: number): boolean => pieceOf[q] === p || atomStamp[q] === stamp;
    let delta = 0;
    const changed: number[] = [];
    const extra = p !== 0 ? input.pieceExtra : undefined;
    for (const b of atom) {
      delta += input.blockSize[b]! + (extra ? extra[b]! : 0);
      let out = 0;
      for (const q of pred[b]!) if (!inPiece(q)) out++;
      if (commit) outside[b] = out;
      if (out > 0 || (b === 0 && p !== 0)) delta += input.entryCost[b]!;
      for (const s of succ[b]!) {
        if (atomStamp[s] === stamp) continue;
        const ps = pieceOf[s]!;
        if (ps === p) {
          // A block of the piece loses an outside predecessor.
          if (decrement[s] === 0) changed.push(s);
          decrement[s]!++;
        } else if (ps >= 0) {
          if (targetRefs[s] === 0 && seenStamp[s] !== stamp) {
            seenStamp[s] = stamp;
            delta += input.exitCost[s]!;
            if (input.exitGroup) {
              const g = input.exitGroup[s]!;
              if (groupRefs[g] === 0 && groupStamp[g] !== stamp) {
                groupStamp[g] = stamp;
                delta += input.groupCost![g]!;
              }
              if (commit) {
                if (groupRefs[g] === 0) this.touchedGroups.push(g);
                groupRefs[g]!++;
              }
            }
          }
          if (commit) {
            if (targetRefs[s] === 0) this.touchedTargets.push(s);
            targetRefs[s]!++;
          }
        }
      }
    }
    for (const c of changed) {
      const d = decrement[c]!;
      decrement[c] = 0;
      if (opening) continue; // opening counts every block's outside predecessors itself
      const before = outside[c]!;
      const wasEntry = before > 0 || (c === 0 && p !== 0);
      const isEntry = before - d > 0 || (c === 0 && p !== 0);
      if (wasEntry && !isEntry) delta -= input.entryCost[c]!;
      if (commit) outside[c] = before - d;
    }
    return delta;
  }
}
