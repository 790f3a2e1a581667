/**
 * Filling the pieces after the driver by encoded length (docs/design/jit-speed.md,
 * "Piece fill"). The partition packs pieces by upper bounds of their encoded
 * sizes (every `goto` 5 bytes, every stub at its widest), so a split whose pieces
 * would fit in fewer methods can come out with one more: spark-janino's two pieces
 * are encoded at 5,775 + 1,709 bytes and priced above 8,000 together. Each extra
 * piece on a hot path costs a call, a dispatch, and the frame stores and reloads
 * of what crosses between the pieces.
 *
 * When the first split that fits has 2 to `MAX_FILLED_PIECES` pieces besides the
 * driver and the sum of their encoded lengths is under the limit times one piece
 * fewer, the split is redone with a larger allowance for those pieces (`slack`,
 * their estimate over the budget; the driver's is unchanged, and piece 0 is
 * packed first, so it keeps its blocks). The first step scales the allowance by
 * how far the estimates were above the encoded lengths; a piece over the limit is
 * an overshoot, after which the steps bisect between the largest allowance that
 * fitted and the smallest that did not. At most `MAX_FILL_TRIES` more attempts.
 * The split kept is the one with the fewest pieces, then the fewest cross-piece
 * edges, among those with the first one's handover; the first one when no retry
 * does better, also when a retry fails in any way.
 *
 * Why only few pieces: every retry is a whole-method attempt (cut, analyses,
 * partition, link, encode), seconds on a method of megabytes; and a merge saves a
 * transfer per run of the code only where that transfer is a large share of the
 * method's transfers, which is the case with a handful of pieces, not with
 * hundreds (a 16 MB method makes thousands).
 */
import type { BodySplit } from "./encode-split.js";
import type { SplitShape } from "./split-candidate.js";

/** Splits with more pieces than this (the driver not counted) are not refilled. */
export const MAX_FILLED_PIECES = 8;
/** Attempts a piece fill may add to the attempt loop. */
export const MAX_FILL_TRIES = 3;

/** `S`: the splits compared (the attempt loop gives candidates, `split-candidate.ts`). */
export class PieceFill<S extends SplitShape = BodySplit> {
  private kept: S | undefined;
  private tries = 0;
  private fit = 1;
  private over: number | undefined;

  constructor(private readonly maxSize: number) {}

  /** The best split that fitted once filling has started; undefined before. */
  best(): S | undefined {
    return this.kept;
  }

  /**
   * A split that fitted, with the partition's estimates of its pieces (1.., in
   * order) and the budget and piece slack it was partitioned with: the slack to
   * try next, or undefined when `best()` (or `result`, if filling never started)
   * is final.
   */
  afterFit(result: S, estimates: readonly number[], budget: number, slack: number): number | undefined {
    if (!this.kept) {
      if (!mayMerge(result, this.maxSize)) return undefined;
      this.kept = result;
    } else if (better(result, this.kept)) this.kept = result;
    this.fit = Math.max(this.fit, slack);
    if (this.tries >= MAX_FILL_TRIES || !mayMerge(this.kept, this.maxSize)) return undefined;
    let next: number;
    if (this.over !== undefined) next = (this.fit + this.over) / 2;
    else {
      const lengths = pieceLengths(result);
      const encoded = lengths.reduce((s, x) => s + x, 0);
      const estimated = estimates.reduce((s, x) => s + x, 0);
      const longest = Math.max(...lengths);
      // Estimate units per encoded byte, at the limit; or fill the longest piece to it.
      const byRatio = ((estimated / encoded) * this.maxSize * 0.98) / budget;
      const byLongest = (slack * this.maxSize * 0.98) / longest;
      next = Math.max(byRatio, byLongest);
    }
    // Steps under 1% of the budget change a piece by a block or two: not worth an attempt.
    if (next <= this.fit * 1.01) return undefined;
    this.tries++;
    return next;
  }

  /** A split with a body over the limit: the slack to try next, or undefined (keep `best()`). Only once filling started. */
  afterOvershoot(slack: number): number | undefined {
    this.over = this.over === undefined ? slack : Math.min(this.over, slack);
    if (this.tries >= MAX_FILL_TRIES) return undefined;
    const next = (this.fit + this.over) / 2;
    if (next <= this.fit * 1.01) return undefined;
    this.tries++;
    return next;
  }
}

/** Whether the pieces besides the driver might fit in one piece fewer by their encoded lengths. */
function mayMerge(result: SplitShape, maxSize: number): boolean {
  const lengths = pieceLengths(result);
  const k = lengths.length;
  if (k < 2 || k > MAX_FILLED_PIECES) return false;
  return lengths.reduce((s, x) => s + x, 0) <= maxSize * (k - 1);
}

/** Encoded lengths of the partition's pieces 1.. (dispatcher methods, listed after them, left out). */
function pieceLengths(result: SplitShape): number[] {
  return result.pieces.slice(0, result.blocksPerPiece.length - 1).map((p) => p.codeLength);
}

/** Fewer pieces, then fewer cross-piece edges, with the same handover. */
function better(a: SplitShape, b: SplitShape): boolean {
  if (a.handover.join() !== b.handover.join()) return false;
  if (a.blocksPerPiece.length !== b.blocksPerPiece.length) return a.blocksPerPiece.length < b.blocksPerPiece.length;
  return a.crossEdges < b.crossEdges;
}
