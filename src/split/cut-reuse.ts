/**
 * One split attempt's cut body and its analyses, kept for the next attempt of the
 * same method (docs/design/splitter.md, "The attempt loop"). The cut depends on the
 * method, the budget and how finely to cut, and on the constant pool only through
 * the constants it adds (the integer keys of a large switch split in two, JVMS
 * 4.4.4). Every attempt starts from a fresh clone of the method's pool
 * (`attempt-pools.ts`), so an attempt with the same budget and fineness as the one
 * before (a driver fill or piece fill: only the partition's allowances change)
 * would build the same cut again and add the same constants at the same indices.
 * It gets the kept cut instead, and the constants are added to its pool in the
 * same order, which gives them the same indices (checked: a different index is a
 * broken invariant, E_INTERNAL). On jython.jar at `--max-size 1024`, 674 of 1,833
 * attempts cut again what the attempt before had cut.
 *
 * The cut is only kept for bodies below `MAX_KEPT_NODES` nodes: at several
 * megabytes its analyses take hundreds of megabytes, which the attempt loop
 * releases before encoding the pieces.
 */
import type { ConstantPool } from "../classfile/constant-pool.js";
import type { CpEntry } from "../classfile/model.js";
import { assert } from "../diagnostics.js";
import type { Refusal } from "./refusal.js";

/** Bodies with more nodes than this build their cut again each attempt rather than keep it alive. */
export const MAX_KEPT_NODES = 200_000;

/** What a cut was made for: the same key gives the same cut. */
export interface CutKey {
  budget: number;
  fine: number;
}

export class CutReuse<C extends object> {
  private kept: { key: CutKey; cut: C; added: (CpEntry | undefined)[]; from: number } | undefined;

  /** `keep`: whether cuts of this method may be kept (see `MAX_KEPT_NODES`). */
  constructor(private readonly keep: boolean) {}

  /**
   * The cut for `key` in the attempt's `pool`: the kept one when it was made for
   * the same key (its constants added to `pool`), else `make()`'s, kept for the
   * next attempt.
   */
  cut(key: CutKey, pool: ConstantPool, make: () => C | Refusal): C | Refusal {
    const kept = this.kept;
    if (kept && kept.key.budget === key.budget && kept.key.fine === key.fine) {
      assert(pool.count === kept.from, "cut reuse: the attempt's pool does not start where the kept cut's did");
      for (let i = 0; i < kept.added.length; i++) {
        const e = kept.added[i];
        if (e === undefined) continue; // the slot after a Long or Double
        const index = pool.add(e);
        assert(index === kept.from + i, "cut reuse: a constant of the kept cut got another index");
      }
      return kept.cut;
    }
    this.kept = undefined;
    const from = pool.count;
    const made = make();
    if (this.keep && !("kind" in made)) this.kept = { key: { ...key }, cut: made, added: pool.entries.slice(from), from };
    return made;
  }
}
