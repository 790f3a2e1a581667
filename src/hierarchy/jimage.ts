/**
 * Reads the JDK's run-time image `$JAVA_HOME/lib/modules` (the "jimage" container
 * that jlink writes) directly, so the class hierarchy can see JDK classes without
 * an extraction step or the `jimage` tool.
 *
 * Layout (OpenJDK `jdk.internal.jimage`: ImageHeader, BasicImageReader,
 * ImageLocation, ImageStringsReader, decompressor/*): a 7-word header (magic
 * 0xCAFEDADA, version major<<16|minor = 1.0, flags, resource count, table length,
 * locations size, strings size), then the redirect table (table length s4), the
 * offsets table (table length u4), the location attribute streams and the string
 * table (NUL-terminated modified UTF-8). Together they form the index; resource
 * content starts right after it, at `indexSize + OFFSET`. Header and tables are in
 * the byte order of the machine that built the image (little-endian on x86_64);
 * we detect it from the magic. Attribute values inside a location stream and
 * resource content are big-endian / raw.
 *
 * A name is found by a perfect hash (jlink's PerfectHashBuilder): the FNV-style
 * hash of its modified UTF-8 bytes, seed 0x01000193, picks a redirect slot; a
 * negative slot is `-1 - index`, a positive one a second seed to rehash with, zero
 * means absent. The location found there is then compared with the name, because
 * the hash only ever answers "maybe".
 *
 * Invariants: the index (about 1.5 MB for a full JDK) is read once at open; content
 * is read on demand with positioned reads, so opening costs a few milliseconds and
 * a class costs one `readSync`. Strings, locations and the package -> module map
 * are cached. Compressed resources (`jlink --compress`) carry a 29-byte header in
 * image byte order (magic 0xCAFEFAFA); the "zip" decompressor is zlib and is
 * supported through node:zlib, "compact-cp" (string sharing) is reported as an
 * E_IO error naming it.
 * The reader keeps a file descriptor open until {@link JImage.close}.
 */
import { closeSync, fstatSync, openSync, readSync } from "node:fs";
import { inflateSync } from "node:zlib";
import { ErrorCodes, MegasplitError } from "../diagnostics.js";
import { decodeModifiedUtf8, encodeModifiedUtf8 } from "../classfile/mutf8.js";

const IMAGE_MAGIC = 0xcafedada;
const MAJOR_VERSION = 1;
const HEADER_SIZE = 7 * 4;
const HASH_MULTIPLIER = 0x01000193;
const COMPRESSED_MAGIC = 0xcafefafa;
const COMPRESSED_HEADER_SIZE = 29;

/** ImageLocation attribute kinds; a stream byte is `kind << 3 | (length - 1)`, kind 0 ends it. */
const Attr = { END: 0, MODULE: 1, PARENT: 2, BASE: 3, EXTENSION: 4, OFFSET: 5, COMPRESSED: 6, UNCOMPRESSED: 7, COUNT: 8 } as const;

export interface JImageHeader {
  majorVersion: number;
  minorVersion: number;
  flags: number;
  resourceCount: number;
  tableLength: number;
  locationsSize: number;
  stringsSize: number;
  /** Size of header + tables + locations + strings; content offsets are relative to it. */
  indexSize: number;
  littleEndian: boolean;
}

/** One decoded location: the name parts and where the content is. */
export interface JImageLocation {
  module: string;
  parent: string;
  base: string;
  extension: string;
  /** Offset of the content relative to the end of the index. */
  offset: number;
  /** 0 when the content is stored uncompressed. */
  compressedSize: number;
  uncompressedSize: number;
}

export interface JImage {
  readonly path: string;
  readonly header: JImageHeader;
  /** The bytes of `/<module>/<internalName>.class`, or undefined. */
  find(module: string, classInternalName: string): Uint8Array | undefined;
  /** A class by internal name, wherever its package lives. */
  findClass(internalName: string): { module: string; bytes: Uint8Array } | undefined;
  /** The module defining a package (`java/lang` or `java.lang`), or undefined. */
  moduleOfPackage(packageName: string): string | undefined;
  /** The content of a resource by full name, e.g. `/java.base/java/lang/Object.class`. */
  resource(fullName: string): Uint8Array | undefined;
  /** The decoded location of a resource, or undefined. */
  location(fullName: string): JImageLocation | undefined;
  /** Every resource's full name, in table order (lazy). */
  entries(): IterableIterator<string>;
  /** Releases the file descriptor; later reads throw. */
  close(): void;
}

/** The image's hash of a name (ImageStringsReader.hashCode): FNV over modified UTF-8, positive. */
export function jimageHash(name: string, seed = HASH_MULTIPLIER): number {
  const bytes = encodeModifiedUtf8(name);
  let h = seed | 0;
  for (let i = 0; i < bytes.length; i++) h = Math.imul(h, HASH_MULTIPLIER) ^ bytes[i]!;
  return h & 0x7fffffff;
}

function ioError(path: string, message: string): MegasplitError {
  return new MegasplitError(ErrorCodes.IO, message, { bundle: path });
}

export function openJimage(path: string): JImage {
  let fd: number;
  try {
    fd = openSync(path, "r");
  } catch (e) {
    throw ioError(path, `cannot open jimage: ${e instanceof Error ? e.message : String(e)}`);
  }
  try {
    return new JImageReader(path, fd);
  } catch (e) {
    closeSync(fd);
    throw e;
  }
}

class JImageReader implements JImage {
  readonly header: JImageHeader;
  private fd: number | undefined;
  private readonly fileSize: number;
  private readonly index: Buffer;
  private readonly redirect: Int32Array;
  private readonly offsets: Uint32Array;
  private readonly locationsStart: number;
  private readonly stringsStart: number;
  private readonly strings = new Map<number, string>();
  private readonly packageModules = new Map<string, string | undefined>();
  private packageScan: Map<string, string> | undefined;

  constructor(
    readonly path: string,
    fd: number,
  ) {
    this.fd = fd;
    this.fileSize = fstatSync(fd).size;
    const head = this.readAt(0, HEADER_SIZE);
    if (head.length < HEADER_SIZE) throw ioError(path, "not a jimage file: shorter than its header");
    let littleEndian: boolean;
    if (head.readUInt32LE(0) === IMAGE_MAGIC) littleEndian = true;
    else if (head.readUInt32BE(0) === IMAGE_MAGIC) littleEndian = false;
    else throw ioError(path, `not a jimage file: magic 0x${head.readUInt32BE(0).toString(16).padStart(8, "0")}`);
    const word = (i: number) => (littleEndian ? head.readUInt32LE(i * 4) : head.readUInt32BE(i * 4));
    const version = word(1);
    const tableLength = word(4);
    const locationsSize = word(5);
    const stringsSize = word(6);
    const indexSize = HEADER_SIZE + tableLength * 8 + locationsSize + stringsSize;
    this.header = {
      majorVersion: version >>> 16,
      minorVersion: version & 0xffff,
      flags: word(2),
      resourceCount: word(3),
      tableLength,
      locationsSize,
      stringsSize,
      indexSize,
      littleEndian,
    };
    if (this.header.majorVersion !== MAJOR_VERSION) {
      throw ioError(path, `unsupported jimage version ${this.header.majorVersion}.${this.header.minorVersion}`);
    }
    if (indexSize > this.fileSize) throw ioError(path, `corrupt jimage: index of ${indexSize} bytes in a ${this.fileSize}-byte file`);
    this.index = this.readAt(0, indexSize);
    // Copy the two tables into typed arrays in host order (the image may be foreign-endian).
    this.redirect = new Int32Array(tableLength);
    this.offsets = new Uint32Array(tableLength);
    const redirectStart = HEADER_SIZE;
    const offsetsStart = redirectStart + tableLength * 4;
    for (let i = 0; i < tableLength; i++) {
      this.redirect[i] = littleEndian ? this.index.readInt32LE(redirectStart + i * 4) : this.index.readInt32BE(redirectStart + i * 4);
      this.offsets[i] = littleEndian ? this.index.readUInt32LE(offsetsStart + i * 4) : this.index.readUInt32BE(offsetsStart + i * 4);
    }
    this.locationsStart = offsetsStart + tableLength * 4;
    this.stringsStart = this.locationsStart + locationsSize;
  }

  private readAt(position: number, length: number): Buffer {
    if (this.fd === undefined) throw ioError(this.path, "jimage is closed");
    const buf = Buffer.allocUnsafe(length);
    let done = 0;
    while (done < length) {
      const n = readSync(this.fd, buf, done, length - done, position + done);
      if (n === 0) break;
      done += n;
    }
    return done === length ? buf : buf.subarray(0, done);
  }

  private string(offset: number): string {
    let s = this.strings.get(offset);
    if (s !== undefined) return s;
    if (offset >= this.header.stringsSize) throw ioError(this.path, `corrupt jimage: string offset ${offset} out of range`);
    const start = this.stringsStart + offset;
    const end = this.index.indexOf(0, start);
    if (end < 0 || end > this.stringsStart + this.header.stringsSize) throw ioError(this.path, `corrupt jimage: unterminated string at ${offset}`);
    s = decodeModifiedUtf8(this.index.subarray(start, end));
    this.strings.set(offset, s);
    return s;
  }

  /** The attribute values of the location at `offset` in the locations area. */
  private attributes(offset: number): number[] {
    const values = [0, 0, 0, 0, 0, 0, 0, 0];
    const limit = this.locationsStart + this.header.locationsSize;
    let p = this.locationsStart + offset;
    while (p < limit) {
      const data = this.index[p++]!;
      const kind = data >>> 3;
      if (kind === Attr.END) break;
      if (kind >= Attr.COUNT) throw ioError(this.path, `corrupt jimage: attribute kind ${kind} at location ${offset}`);
      const length = (data & 7) + 1;
      if (p + length > limit) throw ioError(this.path, `corrupt jimage: attribute runs past the locations at ${offset}`);
      let v = 0;
      for (let j = 0; j < length; j++) v = v * 256 + this.index[p++]!;
      values[kind] = v;
    }
    return values;
  }

  private decodeLocation(offset: number): JImageLocation {
    const a = this.attributes(offset);
    return {
      module: a[Attr.MODULE] ? this.string(a[Attr.MODULE]!) : "",
      parent: a[Attr.PARENT] ? this.string(a[Attr.PARENT]!) : "",
      base: this.string(a[Attr.BASE]!),
      extension: a[Attr.EXTENSION] ? this.string(a[Attr.EXTENSION]!) : "",
      offset: a[Attr.OFFSET]!,
      compressedSize: a[Attr.COMPRESSED]!,
      uncompressedSize: a[Attr.UNCOMPRESSED]!,
    };
  }

  private static fullName(l: JImageLocation): string {
    let s = l.module ? `/${l.module}/` : "";
    if (l.parent) s += `${l.parent}/`;
    s += l.base;
    if (l.extension) s += `.${l.extension}`;
    return s;
  }

  location(fullName: string): JImageLocation | undefined {
    const count = this.header.tableLength;
    if (count === 0) return undefined;
    const slot = this.redirect[jimageHash(fullName) % count]!;
    let index: number;
    if (slot < 0) index = -1 - slot;
    else if (slot > 0) index = jimageHash(fullName, slot) % count;
    else return undefined;
    if (index >= count) return undefined;
    const loc = this.decodeLocation(this.offsets[index]!);
    return JImageReader.fullName(loc) === fullName ? loc : undefined;
  }

  private content(loc: JImageLocation, name: string): Uint8Array {
    const start = this.header.indexSize + loc.offset;
    const stored = loc.compressedSize !== 0 ? loc.compressedSize : loc.uncompressedSize;
    if (start + stored > this.fileSize) throw ioError(this.path, `corrupt jimage: ${name} extends past the end of the file`);
    let bytes: Buffer = this.readAt(start, stored);
    if (loc.compressedSize === 0) return new Uint8Array(bytes.buffer, bytes.byteOffset, bytes.length);
    // Compressed: one header per compression layer, outermost first (Decompressor.decompressResource).
    for (;;) {
      if (bytes.length < COMPRESSED_HEADER_SIZE) break;
      const le = this.header.littleEndian;
      const magic = le ? bytes.readUInt32LE(0) : bytes.readUInt32BE(0);
      if (magic !== COMPRESSED_MAGIC) break;
      const uncompressed = Number(le ? bytes.readBigUInt64LE(12) : bytes.readBigUInt64BE(12));
      const plugin = this.string(le ? bytes.readUInt32LE(20) : bytes.readUInt32BE(20));
      if (plugin !== "zip") {
        throw ioError(this.path, `${name} is compressed with the jimage "${plugin}" plugin, which megasplit does not decode (only "zip"); rebuild the image without --compress=1 or use an uncompressed JDK`);
      }
      let out: Buffer;
      try {
        out = inflateSync(bytes.subarray(COMPRESSED_HEADER_SIZE));
      } catch (e) {
        throw ioError(this.path, `corrupt jimage: cannot inflate ${name}: ${e instanceof Error ? e.message : String(e)}`);
      }
      if (out.length !== uncompressed) throw ioError(this.path, `corrupt jimage: ${name} inflates to ${out.length} bytes, expected ${uncompressed}`);
      bytes = out;
    }
    if (bytes.length !== loc.uncompressedSize) throw ioError(this.path, `corrupt jimage: ${name} decompresses to ${bytes.length} bytes, expected ${loc.uncompressedSize}`);
    return new Uint8Array(bytes.buffer, bytes.byteOffset, bytes.length);
  }

  resource(fullName: string): Uint8Array | undefined {
    const loc = this.location(fullName);
    return loc ? this.content(loc, fullName) : undefined;
  }

  find(module: string, classInternalName: string): Uint8Array | undefined {
    return this.resource(`/${module}/${classInternalName}.class`);
  }

  moduleOfPackage(packageName: string): string | undefined {
    const dotted = packageName.replace(/\//g, ".");
    if (this.packageModules.has(dotted)) return this.packageModules.get(dotted);
    const module = this.modulesFromPackageEntry(dotted) ?? this.scanPackages().get(dotted);
    this.packageModules.set(dotted, module);
    return module;
  }

  /**
   * jlink writes one `/packages/<pkg>` resource per package: pairs of image-order
   * words (isEmpty, module name string offset). The non-empty module defines it.
   */
  private modulesFromPackageEntry(dotted: string): string | undefined {
    const content = this.resource(`/packages/${dotted}`);
    if (!content || content.length % 8 !== 0) return undefined;
    const view = new DataView(content.buffer, content.byteOffset, content.byteLength);
    const le = this.header.littleEndian;
    let fallback: string | undefined;
    for (let p = 0; p < content.length; p += 8) {
      const isEmpty = view.getUint32(p, le);
      const module = this.string(view.getUint32(p + 4, le));
      if (isEmpty === 0) return module;
      fallback ??= module;
    }
    return fallback;
  }

  /** Fallback when an image has no /packages entries: the parents of every class resource. */
  private scanPackages(): Map<string, string> {
    if (this.packageScan) return this.packageScan;
    const map = new Map<string, string>();
    for (const off of this.offsets) {
      if (off === 0) continue;
      const loc = this.decodeLocation(off);
      if (loc.extension !== "class" || !loc.module || !loc.parent) continue;
      const dotted = loc.parent.replace(/\//g, ".");
      if (!map.has(dotted)) map.set(dotted, loc.module);
    }
    this.packageScan = map;
    return map;
  }

  findClass(internalName: string): { module: string; bytes: Uint8Array } | undefined {
    const slash = internalName.lastIndexOf("/");
    if (slash <= 0) return undefined;
    const module = this.moduleOfPackage(internalName.slice(0, slash));
    if (module === undefined) return undefined;
    const bytes = this.find(module, internalName);
    return bytes ? { module, bytes } : undefined;
  }

  *entries(): IterableIterator<string> {
    for (const off of this.offsets) {
      if (off === 0) continue;
      yield JImageReader.fullName(this.decodeLocation(off));
    }
  }

  close(): void {
    if (this.fd !== undefined) closeSync(this.fd);
    this.fd = undefined;
  }
}
