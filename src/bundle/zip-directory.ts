/**
 * The central directory of a zip archive held in memory (PKWARE APPNOTE 6.3.x,
 * 4.3.7 local file header, 4.3.12 central directory file header): every record in
 * order, each either an entry located in the archive (name, metadata, its raw
 * compressed bytes as a view, its recorded size) or the diagnostic that skips it.
 * Nothing is inflated here: `jar.ts` inflates every entry of a bundle it reads,
 * `hierarchy/lazy-jar.ts` only the class files a hierarchy asks for, and both
 * check an inflated entry with {@link checkInflated}, so the two agree on which
 * entries exist and what they hold.
 *
 * Names are checked here (yauzl's `decodeStrings` would abort the whole archive on
 * the first hostile name; we want one E_ZIP_PATH per bad entry and the rest kept).
 * Memory is bounded by what the archive records: an entry over
 * {@link JarReadLimits.maxEntryBytes}, or one that takes the recorded inflated
 * total over {@link JarReadLimits.maxTotalBytes} (a zip bomb whose entries share
 * their compressed bytes), is E_ZIP_TOO_LARGE. yauzl finds the central directory;
 * its records are read here directly when they are plain (no zip64 fields,
 * nothing yauzl would reject), else walked with yauzl. Cost: O(size of the
 * central directory); the entries' bytes are views, not copies.
 */
import yauzl from "yauzl";
import { ErrorCodes, thrownMessage, type Diagnostic } from "../diagnostics.js";
import type { BundleEntry, ZipEntryMeta } from "./bundle.js";

export const STORED = 0;
export const DEFLATED = 8;
const FLAG_ENCRYPTED = 0x1;

/**
 * Why a zip entry name is unsafe to extract, or undefined when it is fine.
 * Backslashes are read as separators for this check only (a Windows extractor
 * would), so `..\x` and `\x` are rejected while `a\b.txt` is kept as named.
 */
export function zipPathProblem(name: string): string | undefined {
  if (name.length === 0) return "empty name";
  if (name.includes("\0")) return "NUL character in name";
  const slashed = name.includes("\\") ? name.replace(/\\/g, "/") : name;
  if (slashed.startsWith("/")) return "absolute path";
  if (/^[A-Za-z]:/.test(slashed)) return "drive-letter path";
  if (slashed.includes("..") && slashed.split("/").includes("..")) return "path climbs out with '..'";
  return undefined;
}

/** How much a jar may inflate to; a bundle is held in memory whole. */
export interface JarReadLimits {
  /** The largest recorded size of one deflated entry (default 1 GiB). */
  maxEntryBytes: number;
  /** The largest sum of the recorded sizes of the deflated entries kept (default 3 GiB). */
  maxTotalBytes: number;
}

export const DEFAULT_JAR_LIMITS: JarReadLimits = { maxEntryBytes: 2 ** 30, maxTotalBytes: 3 * 2 ** 30 };

/** An entry found in the archive, not inflated yet. */
export interface LocatedEntry {
  name: string;
  /** Offset of its local header, for diagnostics. */
  offset: number;
  meta: ZipEntryMeta;
  /** Its bytes as stored in the archive (a view). */
  compressed: Uint8Array;
  /** Its recorded uncompressed size. */
  size: number;
}

/** One central-directory record, in order: an entry, or why it is skipped. */
export type ZipSlot = { diagnostic: Diagnostic } | LocatedEntry;

export type ZipDirectory =
  | { slots: ZipSlot[]; comment: Uint8Array; directoryError?: Diagnostic }
  /** Not a zip archive yauzl can open. */
  | { openError: Diagnostic };

export interface WalkOptions {
  limits?: JarReadLimits;
  /** Called once the archive opened, before the walk. */
  onOpen?: () => void;
  /** Called for each deflated entry as it is found (to start inflating it early), with its index in `slots`. */
  onDeflated?: (entry: LocatedEntry, slot: number) => void;
}

/** An E_ZIP_CORRUPT diagnostic in `source`. */
export function zipCorrupt(source: string, message: string, entry?: string, offset?: number): Diagnostic {
  return {
    code: ErrorCodes.ZIP_CORRUPT,
    severity: "error",
    message,
    location: { bundle: source, ...(entry !== undefined ? { entry } : {}), ...(offset !== undefined ? { offset } : {}) },
  };
}

/** `b` as a plain Uint8Array (yauzl hands out Buffers). */
function u8(b: Uint8Array): Uint8Array {
  return Buffer.isBuffer(b) ? new Uint8Array(b.buffer, b.byteOffset, b.byteLength) : b;
}

/**
 * A plain Uint8Array over bytes start..end of `buf`: what the bundle model holds,
 * and made directly (Buffer#subarray builds a Buffer, several times slower, which
 * counts at thousands of entries).
 */
function view(buf: Buffer, start: number, end: number): Uint8Array {
  return new Uint8Array(buf.buffer, buf.byteOffset + start, end - start);
}

const utf8 = new TextDecoder("utf-8");

/**
 * The local file header at `offset` (APPNOTE 4.3.7), read directly: the archive is
 * in memory, and thousands of entries make yauzl's asynchronous reader cost more
 * than the parsing.
 */
function localHeader(buf: Buffer, offset: number): { fileDataStart: number; extraField: Uint8Array } {
  if (offset + 30 > buf.length || buf.readUInt32LE(offset) !== 0x04034b50) throw new Error(`no local file header at offset ${offset}`);
  const nameLength = buf.readUInt16LE(offset + 26);
  const extraLength = buf.readUInt16LE(offset + 28);
  const extraStart = offset + 30 + nameLength;
  if (extraStart + extraLength > buf.length) throw new Error(`local file header at offset ${offset} runs past the end of the archive`);
  return { fileDataStart: extraStart + extraLength, extraField: view(buf, extraStart, extraStart + extraLength) };
}

/** The fields of a central-directory file header (APPNOTE 4.3.12) the reader uses, named as yauzl names them. */
interface CdRecord {
  versionMadeBy: number;
  versionNeededToExtract: number;
  generalPurposeBitFlag: number;
  compressionMethod: number;
  lastModFileTime: number;
  lastModFileDate: number;
  crc32: number;
  compressedSize: number;
  uncompressedSize: number;
  internalFileAttributes: number;
  externalFileAttributes: number;
  relativeOffsetOfLocalHeader: number;
  /** Raw bytes (yauzl with `decodeStrings: false`). */
  fileName: Uint8Array;
  extraFieldRaw: Uint8Array;
  fileComment: Uint8Array;
}

const CENTRAL_HEADER = 0x02014b50;

/**
 * The central directory's file headers, read straight from the archive in memory
 * from where yauzl found the directory when it opened the archive: yauzl's own
 * walk reads each record asynchronously, which cost more than inflating the jar.
 * Checks what yauzl's walk checks and returns undefined on anything it would
 * reject or treat specially (a bad signature, a record past the end, zip64 size or
 * offset fields, strong encryption, a malformed extra field, a stored entry whose
 * sizes differ); the caller then walks with yauzl, so such archives get exactly
 * yauzl's errors. O(size of the central directory).
 */
function centralDirectory(buf: Buffer, start: number, count: number): CdRecord[] | undefined {
  const records: CdRecord[] = [];
  let p = start;
  for (let i = 0; i < count; i++) {
    if (p + 46 > buf.length || buf.readUInt32LE(p) !== CENTRAL_HEADER) return undefined;
    const flags = buf.readUInt16LE(p + 8);
    const method = buf.readUInt16LE(p + 10);
    const compressedSize = buf.readUInt32LE(p + 20);
    const uncompressedSize = buf.readUInt32LE(p + 24);
    const nameLength = buf.readUInt16LE(p + 28);
    const extraLength = buf.readUInt16LE(p + 30);
    const commentLength = buf.readUInt16LE(p + 32);
    const localOffset = buf.readUInt32LE(p + 42);
    if (flags & 0x40) return undefined;
    if (compressedSize === 0xffffffff || uncompressedSize === 0xffffffff || localOffset === 0xffffffff) return undefined;
    if (method === STORED && compressedSize !== uncompressedSize) return undefined;
    const nameStart = p + 46;
    const extraStart = nameStart + nameLength;
    const commentStart = extraStart + extraLength;
    const end = commentStart + commentLength;
    if (end > buf.length) return undefined;
    for (let q = extraStart; q < commentStart - 3; ) {
      const next = q + 4 + buf.readUInt16LE(q + 2);
      if (next > commentStart) return undefined;
      q = next;
    }
    records.push({
      versionMadeBy: buf.readUInt16LE(p + 4),
      versionNeededToExtract: buf.readUInt16LE(p + 6),
      generalPurposeBitFlag: flags,
      compressionMethod: method,
      lastModFileTime: buf.readUInt16LE(p + 12),
      lastModFileDate: buf.readUInt16LE(p + 14),
      crc32: buf.readUInt32LE(p + 16),
      compressedSize,
      uncompressedSize,
      internalFileAttributes: buf.readUInt16LE(p + 36),
      externalFileAttributes: buf.readUInt32LE(p + 38),
      relativeOffsetOfLocalHeader: localOffset,
      fileName: view(buf, nameStart, extraStart),
      extraFieldRaw: view(buf, extraStart, commentStart),
      fileComment: view(buf, commentStart, end),
    });
    p = end;
  }
  return records;
}

/** Walks the central directory of the archive in `bytes`; `source` names it in diagnostics. */
export async function walkZipDirectory(bytes: Uint8Array, source: string, options: WalkOptions = {}): Promise<ZipDirectory> {
  const limits = options.limits ?? DEFAULT_JAR_LIMITS;
  const buf = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  let zip: yauzl.ZipFile;
  try {
    zip = await yauzl.fromBufferPromise(buf, { lazyEntries: true, decodeStrings: false, validateEntrySizes: true, strictFileNames: true });
  } catch (e) {
    return { openError: zipCorrupt(source, `not a readable zip archive: ${thrownMessage(e)}`, undefined, 0) };
  }
  options.onOpen?.();
  const comment = u8(zip.comment as unknown as Buffer);
  const slots: ZipSlot[] = [];
  const corrupt = (message: string, entry?: string, offset?: number) => slots.push({ diagnostic: zipCorrupt(source, message, entry, offset) });
  let inflatedTotal = 0;
  const tooLarge = (message: string, entry: string, offset: number) =>
    slots.push({ diagnostic: { code: ErrorCodes.ZIP_TOO_LARGE, severity: "error", message, location: { bundle: source, entry, offset } } });
  /** One central-directory record: an entry, or a diagnostic, in order. */
  const take = (entry: CdRecord): void => {
    const name = utf8.decode(entry.fileName);
    const offset = entry.relativeOffsetOfLocalHeader;
    const problem = zipPathProblem(name);
    if (problem !== undefined) {
      slots.push({
        diagnostic: {
          code: ErrorCodes.ZIP_PATH,
          severity: "error",
          message: `unsafe entry name ${JSON.stringify(name)} (${problem}); entry skipped`,
          location: { bundle: source, entry: name, offset },
        },
      });
      return;
    }
    if (entry.generalPurposeBitFlag & FLAG_ENCRYPTED) {
      corrupt("encrypted entry; skipped", name, offset);
      return;
    }
    if (entry.compressionMethod !== STORED && entry.compressionMethod !== DEFLATED) {
      corrupt(`unsupported compression method ${entry.compressionMethod}; entry skipped`, name, offset);
      return;
    }
    try {
      const local = localHeader(buf, entry.relativeOffsetOfLocalHeader);
      // The archive is in memory: take the entry's bytes where the local header says
      // they start, instead of streaming them (thousands of streams cost more than the inflate).
      const start = local.fileDataStart;
      const end = start + entry.compressedSize;
      if (end > buf.length) throw new Error(`entry data runs past the end of the archive (${end} > ${buf.length})`);
      const meta: ZipEntryMeta = {
        compression: entry.compressionMethod,
        crc32: entry.crc32,
        dosTime: entry.lastModFileTime,
        dosDate: entry.lastModFileDate,
        flags: entry.generalPurposeBitFlag,
        versionMadeBy: entry.versionMadeBy,
        versionNeeded: entry.versionNeededToExtract,
        internalAttributes: entry.internalFileAttributes,
        externalAttributes: entry.externalFileAttributes,
        extra: u8(entry.extraFieldRaw),
        localExtra: local.extraField,
        comment: u8(entry.fileComment),
      };
      const size = entry.uncompressedSize;
      const located: LocatedEntry = { name, offset, meta, compressed: view(buf, start, end), size };
      if (entry.compressionMethod === DEFLATED) {
        // Stored entries are views of the archive: only inflated bytes cost memory.
        if (size > limits.maxEntryBytes) return void tooLarge(`entry records ${size} bytes inflated, over the limit of ${limits.maxEntryBytes}; entry skipped`, name, offset);
        if (inflatedTotal + size > limits.maxTotalBytes) {
          return void tooLarge(`entries inflate to more than ${limits.maxTotalBytes} bytes in all (a zip bomb?); entry of ${size} bytes skipped`, name, offset);
        }
        inflatedTotal += size;
        options.onDeflated?.(located, slots.length);
      }
      slots.push(located);
    } catch (e) {
      corrupt(`cannot read entry: ${thrownMessage(e)}; entry skipped`, name, offset);
    }
  };
  let directoryError: Diagnostic | undefined;
  try {
    const records = centralDirectory(buf, zip.readEntryCursor as unknown as number, zip.entryCount);
    if (records !== undefined) for (const r of records) take(r);
    // With decodeStrings off, yauzl hands names and comments over as raw bytes.
    else for await (const entry of zip.eachEntry()) take(entry as unknown as CdRecord);
  } catch (e) {
    // The central directory itself is damaged: keep what was read, report where we stopped.
    directoryError = zipCorrupt(source, `central directory unreadable: ${thrownMessage(e)}`, undefined, zip.readEntryCursor as unknown as number);
  } finally {
    zip.close();
  }
  return { slots, comment, ...(directoryError !== undefined ? { directoryError } : {}) };
}

/**
 * A located entry with its content: the bundle entry, or the E_ZIP_CORRUPT that
 * skips it when its size or CRC-32 is not what the archive records.
 */
export function checkInflated(source: string, e: LocatedEntry, data: Uint8Array, crc: number): BundleEntry | { diagnostic: Diagnostic } {
  if (data.length !== e.size) return { diagnostic: zipCorrupt(source, `size ${data.length} does not match the recorded ${e.size}; entry skipped`, e.name, e.offset) };
  if (crc !== e.meta.crc32) return { diagnostic: zipCorrupt(source, "CRC-32 mismatch; entry skipped", e.name, e.offset) };
  return { name: e.name, data, zip: e.meta, compressed: e.compressed, modified: false };
}
