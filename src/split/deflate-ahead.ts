/**
 * Deflating a split's new class bytes while the split goes on, for a caller that
 * writes a jar: each class a job changed (and each helper class) is queued for
 * zlib as its job finishes, and the batches run on the zlib helper thread
 * (`BatchQueue`, src/bundle/zlib-thread.ts) while this thread splits the next
 * classes. With one split thread the second core was idle until the write, which
 * then deflated every changed class from zero. The entries are handed to the
 * writer with their compressed bytes (`withDeflatedData`): the same bytes the
 * writer would produce (zlib's defaults either way), which it reuses only while
 * the entry's data is the data deflated here. Bytes that are not used (a class
 * split again, content that came back unchanged) only cost the deflate.
 */
import { type BundleEntry, withData } from "../bundle/bundle.js";
import { withDeflatedData } from "../bundle/jar.js";
import { BatchQueue, type Deflated } from "../bundle/zlib-thread.js";

/** Batches the helper thread may hold at once: this thread is busy splitting and cannot send more until it yields. */
const MAX_BATCHES_OUT = 64;

export class DeflateAhead {
  private readonly queue = new BatchQueue<Deflated>("deflate", MAX_BATCHES_OUT);
  private readonly pending = new Map<Uint8Array, [Promise<Deflated[]>, number]>();

  /** Queues `data` (a job's new class bytes) for deflating. */
  add(data: Uint8Array): void {
    if (!this.pending.has(data)) this.pending.set(data, this.queue.add(data));
  }

  /** Deflates what is still queued (shared with the helper thread); call once, after the last `add`. */
  finish(): Promise<void> {
    return this.queue.finish();
  }

  /** `withData(entry, data)`, carrying the compressed bytes when `data` was queued (after `finish`). */
  async withData(entry: BundleEntry, data: Uint8Array): Promise<BundleEntry> {
    const at = this.pending.get(data);
    if (at === undefined) return withData(entry, data);
    const d = (await at[0])[at[1]]!;
    return withDeflatedData(entry, data, d.compressed, d.crc);
  }
}
