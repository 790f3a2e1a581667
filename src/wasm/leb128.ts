/**
 * LEB128, the variable-length integer encoding of the WebAssembly binary format
 * (core spec, Binary Format, "Integers": uN unsigned, sN signed two's complement,
 * at most ceil(N/7) bytes, unused bits of the last byte zero or sign copies).
 *
 * The binary format allows an integer to take more bytes than it needs (linkers
 * pad relocated indices to five bytes), so these functions report how many bytes
 * a value took and write a value padded to a requested width: a codec that
 * records the widths it read writes the same bytes back.
 */

/** Bytes the shortest unsigned encoding of `v` (0 <= v < 2^53) takes. */
export function unsignedWidth(v: number): number {
  let n = 1;
  while (v >= 0x80) {
    v = Math.floor(v / 128);
    n++;
  }
  return n;
}

/** Bytes the shortest signed encoding of `v` (a safe integer) takes. */
export function signedWidth(v: number): number {
  let n = 1;
  while (v >= 0x40 || v < -0x40) {
    v = Math.floor(v / 128);
    n++;
  }
  return n;
}

/** Bytes the shortest signed encoding of a 64-bit `v` takes. */
export function signedWidth64(v: bigint): number {
  let n = 1;
  while (v >= 0x40n || v < -0x40n) {
    v >>= 7n;
    n++;
  }
  return n;
}

/** Writes unsigned `v` in exactly `width` bytes (width >= unsignedWidth(v)) at `out[at]`. */
export function putUnsigned(out: Uint8Array, at: number, v: number, width: number): void {
  for (let i = 0; i < width - 1; i++) {
    out[at + i] = (v % 128) | 0x80;
    v = Math.floor(v / 128);
  }
  out[at + width - 1] = v;
}

/** Writes signed `v` in exactly `width` bytes (width >= signedWidth(v)) at `out[at]`. */
export function putSigned(out: Uint8Array, at: number, v: number, width: number): void {
  for (let i = 0; i < width - 1; i++) {
    out[at + i] = (v & 0x7f) | 0x80;
    v = Math.floor(v / 128);
  }
  out[at + width - 1] = v & 0x7f;
}

/** Writes signed 64-bit `v` in exactly `width` bytes at `out[at]`. */
export function putSigned64(out: Uint8Array, at: number, v: bigint, width: number): void {
  for (let i = 0; i < width - 1; i++) {
    out[at + i] = Number(v & 0x7fn) | 0x80;
    v >>= 7n;
  }
  out[at + width - 1] = Number(v & 0x7fn);
}

/**
 * Whether the LEB128 of `width` bytes ending before `end` is longer than its value
 * needs: its last byte adds only zero bits (unsigned), or only copies of the sign
 * bit the byte before already carries (signed).
 */
export function isPadded(bytes: Uint8Array, end: number, width: number, signed: boolean): boolean {
  if (width < 2) return false;
  const last = bytes[end - 1]!;
  if (!signed) return last === 0;
  const signOfPrevious = bytes[end - 2]! & 0x40;
  return (last === 0 && signOfPrevious === 0) || (last === 0x7f && signOfPrevious !== 0);
}
