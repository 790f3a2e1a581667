/**
 * Ids for sequences of integers, numbered by first appearance, without building a
 * string key per sequence: a hash picks a bucket and the sequences in it are
 * compared element by element. The link cost model groups blocks by their live
 * locals this way; with hundreds of live locals over hundreds of thousands of
 * blocks, string keys were most of its time. Not part of any spec: a plain
 * hash-consing table. Elements are 32-bit words (int32 or uint32: a liveness
 * bitset's words are numbered as they are). Cost: O(length) per question.
 */
export class SequenceIds {
  private readonly buckets = new Map<number, number[]>();
  private readonly sequences: Int32Array[] = [];

  /** How many distinct sequences have ids. */
  get size(): number {
    return this.sequences.length;
  }

  /** The id of the first `length` elements of `seq`, a new one (the next number) if they are new. */
  idOf(seq: ArrayLike<number>, length: number): number {
    let h = 0x811c9dc5 ^ length;
    for (let i = 0; i < length; i++) h = Math.imul(h ^ seq[i]!, 0x01000193);
    let bucket = this.buckets.get(h);
    if (bucket === undefined) this.buckets.set(h, (bucket = []));
    for (const id of bucket) if (sameElements(this.sequences[id]!, seq, length)) return id;
    const id = this.sequences.length;
    const copy = new Int32Array(length);
    for (let i = 0; i < length; i++) copy[i] = seq[i]!;
    this.sequences.push(copy);
    bucket.push(id);
    return id;
  }
}

/** Compared as 32-bit words, as they are kept: a Uint32Array's element with bit 31 set equals its Int32 copy. */
function sameElements(a: Int32Array, b: ArrayLike<number>, length: number): boolean {
  if (a.length !== length) return false;
  for (let i = 0; i < length; i++) if (a[i] !== (b[i]! | 0)) return false;
  return true;
}
