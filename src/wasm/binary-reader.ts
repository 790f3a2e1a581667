/**
 * A bounds-checked cursor over WebAssembly binary data (core spec, Binary Format,
 * "Values": bytes, LEB128 integers, floats, names, vectors).
 *
 * Every malformed value is a {@link MegasplitError} with the byte offset in the
 * module: `E_TRUNCATED` when the data ends early, `E_WASM_MALFORMED` for an integer
 * too long or too large for its type, or a name that is not UTF-8.
 *
 * For lossless round trips it can log the width of every LEB128 it reads: while
 * `log` is set, each width is appended to it and `padded` turns true when one was
 * longer than its value needed. A section or instruction keeps the log only when
 * `padded` is true; {@link WasmWriter} replays it.
 */
import { ErrorCodes, MegasplitError } from "../diagnostics.js";
import { isPadded } from "./leb128.js";

const utf8 = new TextDecoder("utf-8", { fatal: true });

export class WasmReader {
  pos: number;
  /** Widths of the LEB128s read since logging started, or null when not logging. */
  log: number[] | null = null;
  /** Whether a LEB128 logged since the last {@link startLog} was over-long. */
  padded = false;
  constructor(
    readonly bytes: Uint8Array,
    start = 0,
    readonly end = bytes.length,
    /** Added to positions in error locations (where `bytes` starts in the module). */
    readonly base = 0,
  ) {
    this.pos = start;
  }

  get atEnd(): boolean {
    return this.pos >= this.end;
  }

  /** Starts (or restarts) logging LEB128 widths into a fresh log. */
  startLog(): void {
    this.log = [];
    this.padded = false;
  }

  /** Empties the log, keeping its array (one log reused per instruction). */
  clearLog(): void {
    if (this.log === null) this.log = [];
    else this.log.length = 0;
    this.padded = false;
  }

  /** Stops logging; returns the log when something read was over-long. */
  takeLog(): number[] | undefined {
    const log = this.padded && this.log !== null ? this.log : undefined;
    this.log = null;
    this.padded = false;
    return log;
  }

  malformed(message: string, at = this.pos): never {
    throw new MegasplitError(ErrorCodes.WASM_MALFORMED, message, { offset: this.base + at });
  }

  private need(n: number, what: string): number {
    const p = this.pos;
    if (n > this.end - p) {
      throw new MegasplitError(ErrorCodes.TRUNCATED, `unexpected end of data reading ${what}`, { offset: this.base + p });
    }
    this.pos = p + n;
    return p;
  }

  u8(what = "byte"): number {
    return this.bytes[this.need(1, what)]!;
  }

  peek(what = "byte"): number {
    if (this.pos >= this.end) this.need(1, what);
    return this.bytes[this.pos]!;
  }

  /** A view (not a copy) of the next `n` bytes. */
  take(n: number, what = "bytes"): Uint8Array {
    const p = this.need(n, what);
    return this.bytes.subarray(p, p + n);
  }

  private logWidth(start: number, signed: boolean): void {
    const width = this.pos - start;
    if (this.log === null) return;
    this.log.push(width);
    if (!this.padded && isPadded(this.bytes, this.pos, width, signed)) this.padded = true;
  }

  /** An unsigned LEB128 of at most `bits` bits (32 or 64; 64-bit values must stay below 2^53). */
  unsigned(bits: 32 | 64, what: string): number {
    const start = this.pos;
    const maxBytes = Math.ceil(bits / 7);
    let result = 0;
    let scale = 1;
    for (let i = 0; ; i++) {
      if (i === maxBytes) this.malformed(`${what}: integer representation too long`, start);
      const b = this.u8(what);
      if (i === maxBytes - 1 && b >> (bits - 7 * i) !== 0) this.malformed(`${what}: integer too large`, start);
      result += (b & 0x7f) * scale;
      scale *= 128;
      if ((b & 0x80) === 0) break;
    }
    if (result > Number.MAX_SAFE_INTEGER) this.malformed(`${what}: ${bits}-bit value beyond 2^53 is not supported`, start);
    this.logWidth(start, false);
    return result;
  }

  /** A u32 size field, not logged: its width is kept by whoever owns the sized content. */
  size(what: string): { value: number; width: number } {
    const log = this.log;
    this.log = null;
    const start = this.pos;
    const value = this.u32(what);
    this.log = log;
    return { value, width: this.pos - start };
  }

  u32(what = "u32"): number {
    return this.unsigned(32, what);
  }

  /** A signed LEB128 of at most `bits` bits (32 or 33) as a number. */
  signed(bits: 32 | 33, what: string): number {
    const start = this.pos;
    const maxBytes = Math.ceil(bits / 7);
    let result = 0;
    let scale = 1;
    let b = 0;
    for (let i = 0; ; i++) {
      if (i === maxBytes) this.malformed(`${what}: integer representation too long`, start);
      b = this.u8(what);
      result += (b & 0x7f) * scale;
      scale *= 128;
      if ((b & 0x80) === 0) break;
    }
    if (b & 0x40) result -= scale;
    if (result < -(2 ** (bits - 1)) || result >= 2 ** (bits - 1)) this.malformed(`${what}: integer too large`, start);
    this.logWidth(start, true);
    return result;
  }

  s32(what = "s32"): number {
    return this.signed(32, what);
  }

  s64(what = "s64"): bigint {
    const start = this.pos;
    let result = 0n;
    let shift = 0n;
    let b = 0;
    for (let i = 0; ; i++) {
      if (i === 10) this.malformed(`${what}: integer representation too long`, start);
      b = this.u8(what);
      result |= BigInt(b & 0x7f) << shift;
      shift += 7n;
      if ((b & 0x80) === 0) break;
    }
    if (b & 0x40) result -= 1n << shift;
    if (result < -(1n << 63n) || result >= 1n << 63n) this.malformed(`${what}: integer too large`, start);
    this.logWidth(start, true);
    return result;
  }

  /** A name: a vector of bytes that must be UTF-8. */
  name(what = "name"): string {
    const n = this.u32(`${what} length`);
    const start = this.pos;
    const bytes = this.take(n, what);
    try {
      return utf8.decode(bytes);
    } catch {
      return this.malformed(`${what} is not valid UTF-8`, start);
    }
  }

  /** A vector: its u32 count, then `item` that many times. */
  vec<T>(what: string, item: () => T): T[] {
    const n = this.u32(`${what} count`);
    if (n > this.end - this.pos) this.malformed(`${what} count ${n} exceeds the remaining ${this.end - this.pos} bytes`);
    const out: T[] = new Array(n);
    for (let i = 0; i < n; i++) out[i] = item();
    return out;
  }
}
