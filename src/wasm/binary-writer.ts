/**
 * A growable buffer that writes WebAssembly binary values (core spec, Binary
 * Format, "Values"): bytes, LEB128 integers, names, vectors.
 *
 * Lossless re-encoding: while `pads` is set, the k-th LEB128 written takes at
 * least `pads[k]` bytes (the widths a {@link WasmReader} logged when the same
 * structure was read), so a structure written unchanged is byte-identical to what
 * was read, and one that changed is still valid (a wider value takes the bytes it
 * needs). `canonical` turns every width off: the shortest encodings everywhere.
 */
import { putSigned, putSigned64, putUnsigned, signedWidth, signedWidth64, unsignedWidth } from "./leb128.js";

const utf8 = new TextEncoder();

export class WasmWriter {
  private buf: Uint8Array;
  length = 0;
  /** Minimum widths of the LEB128s to write, in order, or undefined. */
  pads: readonly number[] | undefined;
  private padAt = 0;
  constructor(
    /** Ignore recorded widths: write every integer in its shortest form. */
    readonly canonical = false,
    initialCapacity = 1024,
  ) {
    this.buf = new Uint8Array(initialCapacity);
  }

  /** Replays `pads` (or nothing) for the LEB128s written from now on. */
  setPads(pads: readonly number[] | undefined): void {
    this.pads = this.canonical ? undefined : pads;
    this.padAt = 0;
  }

  private ensure(n: number): number {
    const p = this.length;
    if (p + n > this.buf.length) {
      let cap = this.buf.length * 2;
      while (cap < p + n) cap *= 2;
      const nb = new Uint8Array(cap);
      nb.set(this.buf.subarray(0, p));
      this.buf = nb;
    }
    this.length = p + n;
    return p;
  }

  private width(needed: number): number {
    if (this.pads === undefined) return needed;
    const recorded = this.pads[this.padAt++] ?? 0;
    return recorded > needed ? recorded : needed;
  }

  u8(v: number): this {
    const at = this.ensure(1);
    this.buf[at] = v;
    return this;
  }

  bytes(b: Uint8Array): this {
    const p = this.ensure(b.length);
    this.buf.set(b, p);
    return this;
  }

  /** Unsigned LEB128 (u32, or u64 below 2^53). */
  u32(v: number): this {
    const w = this.width(unsignedWidth(v));
    const at = this.ensure(w); // may reallocate `buf`: read it afterwards
    putUnsigned(this.buf, at, v, w);
    return this;
  }

  /**
   * Writes what `content` writes, preceded by its byte size as a u32 of at least
   * `width` bytes (the width read, or 0 for the shortest).
   */
  sized(width: number, content: () => void): this {
    const start = this.length;
    content();
    const size = this.length - start;
    const w = Math.max(unsignedWidth(size), this.canonical ? 0 : width);
    this.ensure(w);
    this.buf.copyWithin(start + w, start, start + size);
    putUnsigned(this.buf, start, size, w);
    return this;
  }

  /** Signed LEB128 (s32, s33). */
  s32(v: number): this {
    const w = this.width(signedWidth(v));
    const at = this.ensure(w);
    putSigned(this.buf, at, v, w);
    return this;
  }

  s64(v: bigint): this {
    const w = this.width(signedWidth64(v));
    const at = this.ensure(w);
    putSigned64(this.buf, at, v, w);
    return this;
  }

  name(s: string): this {
    const b = utf8.encode(s);
    return this.u32(b.length).bytes(b);
  }

  vec<T>(items: readonly T[], item: (x: T) => void): this {
    this.u32(items.length);
    for (const x of items) item(x);
    return this;
  }

  /** A view of what was written (valid until the next write). */
  view(): Uint8Array {
    return this.buf.subarray(0, this.length);
  }

  toBytes(): Uint8Array {
    return this.buf.slice(0, this.length);
  }
}
