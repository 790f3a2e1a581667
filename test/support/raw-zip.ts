/**
 * A zip archive written byte by byte (PKWARE APPNOTE 4.3), so names and fields can
 * be anything at all: hostile paths, odd timestamps, raw extras. Tests use it to
 * build inputs no zip library would produce.
 */
import { Buffer } from "node:buffer";
import { crc32, deflateRawSync } from "node:zlib";

export interface RawEntry {
  name: string | Uint8Array;
  data: Uint8Array;
  method?: 0 | 8;
  dosTime?: number;
  dosDate?: number;
  extra?: Uint8Array;
  comment?: string;
}

export function rawZip(entries: RawEntry[], archiveComment = ""): Uint8Array {
  const parts: Buffer[] = [];
  const central: Buffer[] = [];
  let offset = 0;
  for (const e of entries) {
    const name = typeof e.name === "string" ? Buffer.from(e.name, "utf8") : Buffer.from(e.name);
    const method = e.method ?? 0;
    const body = method === 8 ? deflateRawSync(e.data) : Buffer.from(e.data);
    const extra = Buffer.from(e.extra ?? new Uint8Array(0));
    const comment = Buffer.from(e.comment ?? "", "utf8");
    const crc = crc32(e.data);
    const local = Buffer.alloc(30);
    local.writeUInt32LE(0x04034b50, 0);
    local.writeUInt16LE(20, 4);
    local.writeUInt16LE(0x800, 6);
    local.writeUInt16LE(method, 8);
    local.writeUInt16LE(e.dosTime ?? 0, 10);
    local.writeUInt16LE(e.dosDate ?? 0x21, 12);
    local.writeUInt32LE(crc, 14);
    local.writeUInt32LE(body.length, 18);
    local.writeUInt32LE(e.data.length, 22);
    local.writeUInt16LE(name.length, 26);
    local.writeUInt16LE(extra.length, 28);
    const c = Buffer.alloc(46);
    c.writeUInt32LE(0x02014b50, 0);
    c.writeUInt16LE(0x314, 4);
    c.writeUInt16LE(20, 6);
    c.writeUInt16LE(0x800, 8);
    c.writeUInt16LE(method, 10);
    c.writeUInt16LE(e.dosTime ?? 0, 12);
    c.writeUInt16LE(e.dosDate ?? 0x21, 14);
    c.writeUInt32LE(crc, 16);
    c.writeUInt32LE(body.length, 20);
    c.writeUInt32LE(e.data.length, 24);
    c.writeUInt16LE(name.length, 28);
    c.writeUInt16LE(extra.length, 30);
    c.writeUInt16LE(comment.length, 32);
    c.writeUInt32LE((0o100644 << 16) >>> 0, 38);
    c.writeUInt32LE(offset, 42);
    parts.push(local, name, extra, body);
    central.push(c, name, extra, comment);
    offset += local.length + name.length + extra.length + body.length;
  }
  const cd = Buffer.concat(central);
  const ac = Buffer.from(archiveComment, "utf8");
  const end = Buffer.alloc(22);
  end.writeUInt32LE(0x06054b50, 0);
  end.writeUInt16LE(entries.length, 8);
  end.writeUInt16LE(entries.length, 10);
  end.writeUInt32LE(cd.length, 12);
  end.writeUInt32LE(offset, 16);
  end.writeUInt16LE(ac.length, 20);
  return new Uint8Array(Buffer.concat([...parts, cd, end, ac]));
}
