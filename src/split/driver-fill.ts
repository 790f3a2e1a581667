/**
 * Filling a driver that holds a loop too big for one piece (docs/design/jit-speed.md,
 * rule 1). The partition packs by upper bounds of encoded sizes (every `goto` 5
 * bytes, every stub at its widest), which left an interpreter's 8.7 KB dispatch loop
 * with a 6.7 KB driver at the 8,000-byte limit: every case that did not fit costs a
 * transfer (a call, a mispredicted entry switch, frame stores and loads) each time
 * it runs. When the partition kept such a loop's spine (`spinedLoops`), the split is
 * redone with a larger allowance for the driver (`slack`, its estimate over the
 * budget) until its *encoded* length is within 3% of the limit: the first step
 * scales by what is left, later ones bisect between the largest allowance that
 * fitted and the smallest that did not. At most four more attempts; the fullest
 * body that fitted is kept, also when a later attempt fails in any way. Methods
 * without a spined loop are not affected, nor splits of more than
 * `MAX_FILLED_DRIVER_PIECES` pieces: there the driver holds a small share of the
 * loop (a 16 MB interpreter makes 4,107 pieces), filling it moves a fraction of
 * a percent of the steps into it, and each retry is a whole-method attempt of
 * tens of seconds.
 */
import type { BodySplit } from "./encode-split.js";
import type { SplitShape } from "./split-candidate.js";

/** Splits with more pieces than this (the driver not counted) do not fill the driver. */
export const MAX_FILLED_DRIVER_PIECES = 64;

/** `S`: the splits compared (the attempt loop gives candidates, `split-candidate.ts`). */
export class DriverFill<S extends SplitShape = BodySplit> {
  private kept: S | undefined;
  private tries = 0;
  private fit = 1;
  private over: number | undefined;

  constructor(private readonly maxSize: number) {}

  /** The fullest body that fitted so far, once filling has started. */
  best(): S | undefined {
    return this.kept;
  }

  /**
   * A body that fitted: returns the slack to try next to fill the driver more, or
   * undefined when this body (or a fuller one kept earlier) is final.
   */
  afterFit(result: S, spinedLoop: boolean, slack: number): number | undefined {
    const fills = spinedLoop && result.blocksPerPiece.length - 1 <= MAX_FILLED_DRIVER_PIECES;
    if (!this.kept || result.driverLength > this.kept.driverLength) this.kept = fills || this.kept ? result : undefined;
    if (!fills || this.tries >= 4 || result.driverLength >= this.maxSize * 0.97) return undefined;
    this.tries++;
    this.fit = slack;
    return this.over ? (this.fit + this.over) / 2 : (slack * this.maxSize * 0.98) / result.driverLength;
  }

  /** A body over the limit: the slack to try next, or undefined (keep `best()`, or shrink the budget if filling never started). */
  afterOvershoot(slack: number): number | undefined {
    if (!this.kept) return undefined;
    this.over = slack;
    if (this.tries >= 4) return undefined;
    this.tries++;
    return (this.fit + this.over) / 2;
  }
}
