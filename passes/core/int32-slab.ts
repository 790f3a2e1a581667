/**
 * Typed arrays carved out of shared chunks, for analyses that allocate many
 * small ones: the CFG's per-block and per-label tables, the solver's worklist,
 * frame inference's frames. An ArrayBuffer of more than 64 bytes lives off V8's
 * heap and costs about half a microsecond to create and track whatever its size
 * (measured on Node 20), against a few tens of nanoseconds for a view of an
 * existing one; a frame's locals (24 slots are 96 bytes) or a 40-block CFG's
 * table each got one of their own, and on a method of 70,000 blocks that
 * bookkeeping, not the analysis, dominated; on jython's small bodies the tables
 * of each CFG did. Chunks double from 1 K to 64 K slots, so a small body
 * allocates little; a view keeps its chunk alive, and no slot is handed out
 * twice, so every view starts zeroed. Nothing here knows an instruction set.
 */
export class Int32Slab {
  private chunk = new Int32Array(0);
  private used = 0;
  private next = 1024;

  /** `n` zeroed int32 slots. */
  alloc(n: number): Int32Array {
    const at = this.reserve(n);
    return this.chunk.subarray(at, at + n);
  }

  /** `n` zeroed bytes (rounded up to whole slots of the chunk). */
  uint8(n: number): Uint8Array {
    const at = this.reserve((n + 3) >>> 2);
    return new Uint8Array(this.chunk.buffer, this.chunk.byteOffset + 4 * at, n);
  }

  /** `n` zeroed uint32 slots. */
  uint32(n: number): Uint32Array {
    const at = this.reserve(n);
    return new Uint32Array(this.chunk.buffer, this.chunk.byteOffset + 4 * at, n);
  }

  /** The first `n` values of `a` in new slots. */
  copy(a: ArrayLike<number>, n = a.length): Int32Array {
    const c = this.alloc(n);
    for (let i = 0; i < n; i++) c[i] = a[i]!;
    return c;
  }

  /** Index in the current chunk of `n` fresh slots, starting a new chunk when they do not fit. */
  private reserve(n: number): number {
    if (this.used + n > this.chunk.length) {
      this.chunk = new Int32Array(Math.max(this.next, n));
      this.next = Math.min(this.next * 2, 65536);
      this.used = 0;
    }
    const at = this.used;
    this.used += n;
    return at;
  }
}
