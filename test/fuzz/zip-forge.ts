/**
 * Zip archives forged field by field for the fuzz and bomb tests: every recorded
 * size, CRC and offset is whatever the test says, entries may share one
 * compressed stream (overlapping local headers, the "non-recursive zip bomb"), and
 * nothing is checked. `zeroBomb` builds a raw deflate stream that inflates to a
 * chosen number of zero bytes without ever holding them: a byte-aligned
 * full-flushed block of zeros repeated, then an empty final block (RFC 1951 3.2.3).
 */
import { Buffer } from "node:buffer";
import { constants, crc32, deflateRawSync } from "node:zlib";

export interface ForgedEntry {
  name: string;
  /** The bytes after the local header: stored data or a raw deflate stream. */
  body: Uint8Array;
  method: 0 | 8;
  /** What the headers record. */
  uncompressedSize: number;
  crc: number;
  /** Point this entry's central record at the local header of entry `sharesWith` (no local header of its own). */
  sharesWith?: number;
}

/** An entry recorded truthfully. */
export function honestEntry(name: string, data: Uint8Array, method: 0 | 8 = 8): ForgedEntry {
  return { name, body: method === 8 ? new Uint8Array(deflateRawSync(data)) : data, method, uncompressedSize: data.length, crc: crc32(data) };
}

export function forgeZip(entries: ForgedEntry[]): Uint8Array {
  const parts: Buffer[] = [];
  const central: Buffer[] = [];
  const offsets: number[] = [];
  let offset = 0;
  entries.forEach((e, i) => {
    const name = Buffer.from(e.name, "utf8");
    if (e.sharesWith !== undefined) offsets.push(offsets[e.sharesWith]!);
    else {
      offsets.push(offset);
      const local = Buffer.alloc(30);
      local.writeUInt32LE(0x04034b50, 0);
      local.writeUInt16LE(20, 4);
      local.writeUInt16LE(0x800, 6);
      local.writeUInt16LE(e.method, 8);
      local.writeUInt16LE(0x21, 12);
      local.writeUInt32LE(e.crc >>> 0, 14);
      local.writeUInt32LE(e.body.length, 18);
      local.writeUInt32LE(e.uncompressedSize >>> 0, 22);
      local.writeUInt16LE(name.length, 26);
      parts.push(local, name, Buffer.from(e.body));
      offset += 30 + name.length + e.body.length;
    }
    const c = Buffer.alloc(46);
    c.writeUInt32LE(0x02014b50, 0);
    c.writeUInt16LE(0x314, 4);
    c.writeUInt16LE(20, 6);
    c.writeUInt16LE(0x800, 8);
    c.writeUInt16LE(e.method, 10);
    c.writeUInt16LE(0x21, 14);
    c.writeUInt32LE(e.crc >>> 0, 16);
    c.writeUInt32LE(e.body.length, 20);
    c.writeUInt32LE(e.uncompressedSize >>> 0, 24);
    c.writeUInt16LE(name.length, 28);
    c.writeUInt32LE((0o100644 << 16) >>> 0, 38);
    c.writeUInt32LE(offsets[i]!, 42);
    central.push(c, name);
  });
  const cd = Buffer.concat(central);
  const end = Buffer.alloc(22);
  end.writeUInt32LE(0x06054b50, 0);
  end.writeUInt16LE(entries.length, 8);
  end.writeUInt16LE(entries.length, 10);
  end.writeUInt32LE(cd.length, 12);
  end.writeUInt32LE(offset, 16);
  return new Uint8Array(Buffer.concat([...parts, cd, end]));
}

/** A raw deflate stream of `megabytes` MiB of zeros, about 1 KB per MiB. */
export function zeroBomb(megabytes: number): Uint8Array {
  const block = deflateRawSync(Buffer.alloc(1 << 20), { finishFlush: constants.Z_FULL_FLUSH });
  const out = Buffer.alloc(block.length * megabytes + 2);
  for (let k = 0; k < megabytes; k++) block.copy(out, k * block.length);
  // BFINAL=1, BTYPE=01 (fixed Huffman), then end-of-block (7 zero bits).
  out[out.length - 2] = 0x03;
  out[out.length - 1] = 0x00;
  return new Uint8Array(out);
}
