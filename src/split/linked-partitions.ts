/**
 * The partitions an attempt loop has linked, with what linking each one gave
 * (docs/design/splitter.md, "What the attempts share"). A driver fill or piece
 * fill partitions the same cut again with a larger allowance, and the packing
 * often comes out the same (the next atom still does not fit): on jython.jar at
 * `--max-size 1024`, 214 of 1,819 links linked a partition the loop had linked
 * before. Linking is a function of the cut, the partition, the handover, the
 * budget (dispatch sizes), the wide exit codes and the loop-resident locals (a
 * function of the cut and the partition they were found on), and of the
 * attempt's pool, which holds the same constants for the same cut
 * (`cut-reuse.ts`). So the same key gives the same bodies, lengths and call
 * sites, but for the synthetic line numbers, which come from a counter: the
 * repeat takes the earlier attempt's candidate (its lengths are what the fills
 * weigh; on a tie they keep the earlier split, so the repeat is never the one
 * kept) and advances the counter by the lines that link used, as linking again
 * would have. Only for deferred candidates: one encoded while linked reports its
 * warnings then, and a repeat would not. `MEGASPLIT_NO_LINK_REUSE=1` links every
 * attempt (the tests compare the output both ways).
 */
import { LAST_SYNTHETIC_LINE } from "./names.js";

/** What linking a partition depends on besides the cut (compared by identity) and the pool. */
export interface LinkKey {
  handover: "parameters" | "heap frame";
  budget: number;
  wideCodes: boolean;
  /** The partition linked. */
  pieceOf: Int32Array;
  /** The partition the loop-resident locals were found on, when there are any. */
  residentFrom: Int32Array | undefined;
}

/** A candidate linked before, and the synthetic lines its link used. */
export interface Linked<C> {
  candidate: C;
  lines: number;
}

/** The synthetic-line counter after a link that used `used` lines starting at `next`, as the counter stops past LAST_SYNTHETIC_LINE (names.ts): past it a link's use is not known from the counter. */
export function linesAfterLink(next: number, used: number): number {
  return next > LAST_SYNTHETIC_LINE ? next : Math.min(next + used, LAST_SYNTHETIC_LINE + 1);
}

/** Links not made again, over every attempt loop of this thread: for tests and benchmarks. */
export const linkReuse = { found: 0 };

export class LinkedPartitions<C> {
  private cut: object | undefined;
  private readonly linked: { key: LinkKey; candidate: C; lines: number }[] = [];
  private readonly off = process.env["MEGASPLIT_NO_LINK_REUSE"] === "1";

  /** The candidate linked earlier for `key` on `cut`, if any. */
  find(cut: object, key: LinkKey): Linked<C> | undefined {
    if (this.off || cut !== this.cut) return undefined;
    const found = this.linked.find((l) => sameKey(l.key, key));
    if (found) linkReuse.found++;
    return found;
  }

  /**
   * Records what linking `key` on `cut` gave; `linesBefore` and `linesAfter` are the
   * synthetic line counter around the link (undefined without lines). Links of
   * another cut are forgotten: a cut once left is not cut again (the budget only
   * shrinks, the fineness only grows).
   */
  record(cut: object, key: LinkKey, candidate: C, linesBefore: number | undefined, linesAfter: number | undefined): void {
    if (linesAfter !== undefined && linesAfter > LAST_SYNTHETIC_LINE) return;
    if (cut !== this.cut) {
      this.cut = cut;
      this.linked.length = 0;
    }
    this.linked.push({ key, candidate, lines: linesAfter === undefined ? 0 : linesAfter - linesBefore! });
  }
}

function sameKey(a: LinkKey, b: LinkKey): boolean {
  return a.handover === b.handover && a.budget === b.budget && a.wideCodes === b.wideCodes && sameArray(a.pieceOf, b.pieceOf) && sameResident(a.residentFrom, b.residentFrom);
}

function sameResident(a: Int32Array | undefined, b: Int32Array | undefined): boolean {
  return a === undefined || b === undefined ? a === b : sameArray(a, b);
}

function sameArray(a: Int32Array, b: Int32Array): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}
