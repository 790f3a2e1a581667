/**
 * Big-endian byte reading and writing, the encoding of every class-file structure
 * (JVMS 4.1: u1, u2, u4 are unsigned big-endian).
 *
 * {@link ByteReader} checks bounds on every read and reports a short read as
 * `E_TRUNCATED` at the offending offset, so malformed input never surfaces as a
 * RangeError. It reads with shifts rather than a DataView: a reader is made for
 * every parsed attribute, and a DataView per reader cost more than the parsing. {@link ByteWriter} grows by doubling; writes are amortised O(1).
 */
import { ErrorCodes, MegasplitError, type Location } from "./diagnostics.js";

export class ByteReader {
  pos: number;
  constructor(
    readonly bytes: Uint8Array,
    start = 0,
    readonly end = bytes.length,
    /** Location attached to truncation errors. */
    readonly where: Location = {},
  ) {
    this.pos = start;
  }

  get remaining(): number {
    return this.end - this.pos;
  }

  private need(n: number, what: string): number {
    const p = this.pos;
    if (p + n > this.end) {
      throw new MegasplitError(ErrorCodes.TRUNCATED, `unexpected end of data reading ${what}`, { ...this.where, offset: p });
    }
    this.pos = p + n;
    return p;
  }

  u1(what = "u1"): number {
    return this.bytes[this.need(1, what)]!;
  }
  u2(what = "u2"): number {
    const p = this.need(2, what);
    const b = this.bytes;
    return (b[p]! << 8) | b[p + 1]!;
  }
  u4(what = "u4"): number {
    return this.s4(what) >>> 0;
  }
  s4(what = "s4"): number {
    const p = this.need(4, what);
    const b = this.bytes;
    return (b[p]! << 24) | (b[p + 1]! << 16) | (b[p + 2]! << 8) | b[p + 3]!;
  }
  s8(what = "s8"): bigint {
    const high = this.s4(what);
    const low = this.s4(what) >>> 0;
    return (BigInt(high) << 32n) | BigInt(low);
  }
  /** A view (not a copy) of the next n bytes. */
  slice(n: number, what = "bytes"): Uint8Array {
    const p = this.need(n, what);
    return this.bytes.subarray(p, p + n);
  }
  skip(n: number, what = "bytes"): void {
    this.need(n, what);
  }
}

export class ByteWriter {
  private buf: Uint8Array;
  private view: DataView;
  length = 0;
  constructor(initialCapacity = 256) {
    this.buf = new Uint8Array(Math.max(16, initialCapacity));
    this.view = new DataView(this.buf.buffer);
  }

  private ensure(n: number): number {
    const p = this.length;
    const need = p + n;
    if (need > this.buf.length) {
      let cap = this.buf.length * 2;
      while (cap < need) cap *= 2;
      const nb = new Uint8Array(cap);
      nb.set(this.buf.subarray(0, p));
      this.buf = nb;
      this.view = new DataView(nb.buffer);
    }
    this.length = need;
    return p;
  }

  u1(v: number): this {
    const p = this.ensure(1);
    this.buf[p] = v & 0xff;
    return this;
  }
  u2(v: number): this {
    const p = this.ensure(2);
    this.view.setUint16(p, v & 0xffff);
    return this;
  }
  u4(v: number): this {
    const p = this.ensure(4);
    this.view.setUint32(p, v >>> 0);
    return this;
  }
  s4(v: number): this {
    const p = this.ensure(4);
    this.view.setInt32(p, v | 0);
    return this;
  }
  s8(v: bigint): this {
    const p = this.ensure(8);
    this.view.setBigInt64(p, BigInt.asIntN(64, v));
    return this;
  }
  bytes(b: Uint8Array): this {
    const p = this.ensure(b.length); // may reallocate `buf`: read it afterwards
    this.buf.set(b, p);
    return this;
  }
  /** Overwrites a u4 already written at `at` (for lengths known only afterwards). */
  patchU4(at: number, v: number): void {
    this.view.setUint32(at, v >>> 0);
  }
  /** Forgets what was written, keeping the buffer (a writer reused for many outputs allocates once). */
  reset(): this {
    this.length = 0;
    return this;
  }
  /** A copy of what was written. */
  toBytes(): Uint8Array {
    return this.buf.slice(0, this.length);
  }
}
