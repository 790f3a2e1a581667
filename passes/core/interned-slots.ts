/**
 * One read-only Int32Array per distinct content, carved from a slab: for an
 * analysis that keeps many arrays of equal content and never writes a kept one.
 * Frame inference keeps every block's input locals while the solver runs; on a
 * generated method of a million blocks those are a few distinct contents of 300
 * slots each, and a slab copy per block was most of the analysis's live memory
 * (issue 10). `of` answers the array kept first with the content asked, else a
 * copy kept from then on; the argument itself is never kept, so it may be a
 * scratch buffer. Cost: one hash over the slots per call, a comparison per
 * collision. Nothing here knows an instruction set.
 */
import type { Int32Slab } from "./int32-slab.js";

export class InternedSlots {
  private readonly byHash = new Map<number, Int32Array[]>();

  constructor(private readonly slab: Int32Slab) {}

  /** The kept array with the content of `a`: one met before, or a new copy of `a`. */
  of(a: Int32Array): Int32Array {
    const h = hashOf(a);
    let bucket = this.byHash.get(h);
    if (bucket === undefined) {
      bucket = [];
      this.byHash.set(h, bucket);
    }
    for (let k = 0; k < bucket.length; k++) if (sameSlots(bucket[k]!, a)) return bucket[k]!;
    const kept = this.slab.copy(a);
    bucket.push(kept);
    return kept;
  }
}

/** FNV-1a over the length and the slots, as a small integer. */
function hashOf(a: Int32Array): number {
  let h = Math.imul(0x811c9dc5 ^ a.length, 0x01000193);
  for (let i = 0; i < a.length; i++) h = Math.imul(h ^ a[i]!, 0x01000193);
  return h & 0x3fffffff;
}

function sameSlots(a: Int32Array, b: Int32Array): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}
