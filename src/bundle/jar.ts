/**
 * Jar and zip archives: reading into a {@link Bundle}, writing one back, and the
 * jar-signature rule.
 *
 * Reading uses yauzl on the whole archive in memory, with our own name checks
 * (yauzl's `decodeStrings` would abort the whole archive on the first hostile
 * name; we want one E_ZIP_PATH per bad entry and the rest kept). Each entry's raw
 * compressed bytes are taken from the archive in memory and inflated in batches
 * (`zlib-thread.ts`: on a helper thread for a large archive, overlapping the walk
 * of the central directory), and size and CRC are checked, so a damaged entry is
 * one E_ZIP_CORRUPT, not a crash. Memory is bounded by what the archive records,
 * never by what its deflate streams would expand to: an entry inflates to at most
 * its recorded size (more is E_ZIP_CORRUPT, found without inflating further), and
 * an entry over {@link JarReadLimits.maxEntryBytes}, or one that takes the
 * inflated total over {@link JarReadLimits.maxTotalBytes} (a zip bomb whose
 * entries share their compressed bytes), is E_ZIP_TOO_LARGE and skipped. yauzl finds the central directory; its records
 * are read here directly when they are plain (no zip64 fields, nothing yauzl
 * would reject), else walked with yauzl.
 *
 * Writing lays the archive out directly from the entry metadata: the original
 * compressed bytes, method and CRC for untouched entries (changed entries are
 * deflated again with zlib if they were deflated, stored if stored), exact DOS
 * words, raw names, extras and comments, no data descriptors, and the archive
 * comment. No zip library writes this faithfully: fflate and yazl always emit data
 * descriptors (which the JDK's `ZipInputStream` rejects on stored entries), take
 * times from local-time `Date`s, regenerate extra fields and cannot pass through
 * compressed bytes with their original headers; so only the container layout (two
 * header records and an end record) is ours, and compression is zlib's. Output depends only on the bundle (no clock, no environment), so the
 * same bundle gives the same bytes. Cost: O(archive size) plus deflate of changed
 * entries. Spec: PKWARE APPNOTE 6.3.x sections 4.3 and 4.4; JAR File Specification
 * ("Signed JAR File").
 */
import { crc32, deflateRawSync } from "node:zlib";
import yauzl from "yauzl";
import { ErrorCodes, warning, type Diagnostic, thrownMessage } from "../diagnostics.js";
import { isClassEntry, withData, type Bundle, type BundleEntry, type ZipEntryMeta } from "./bundle.js";
import { BatchQueue, warmUpZlibThread, type Deflated, type Inflated } from "./zlib-thread.js";

const STORED = 0;
const DEFLATED = 8;
const FLAG_ENCRYPTED = 0x1;
const FLAG_DATA_DESCRIPTOR = 0x8;
const FLAG_UTF8 = 0x800;
/** 1980-01-01 00:00:00, the DOS epoch: the timestamp of entries that never had one. */
const DOS_EPOCH_DATE = (1 << 5) | 1;
const DOS_EPOCH_TIME = 0;

// ---------------------------------------------------------------------------
// Names

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

// ---------------------------------------------------------------------------
// Reading

export interface ReadResult {
  bundle: Bundle;
  diagnostics: Diagnostic[];
}

/** How much a jar may inflate to; a bundle is held in memory whole. */
export interface JarReadLimits {
  /** The largest recorded size of one deflated entry (default 1 GiB). */
  maxEntryBytes: number;
  /** The largest sum of the recorded sizes of the deflated entries kept (default 3 GiB). */
  maxTotalBytes: number;
}

export const DEFAULT_JAR_LIMITS: JarReadLimits = { maxEntryBytes: 2 ** 30, maxTotalBytes: 3 * 2 ** 30 };

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

/**
 * One central-directory record, in order: a diagnostic, or an entry whose bytes
 * are stored or are item `index` of an inflate batch.
 */
type Slot =
  | { diagnostic: Diagnostic }
  | { name: string; offset: number; meta: ZipEntryMeta; compressed: Uint8Array; size: number; batch?: Promise<Inflated[]>; index: number };

/**
 * Reads a zip archive held in memory. `source` names it in diagnostics. Entries are
 * inflated in batches (`BatchQueue`: on the zlib helper thread for a large
 * archive, from while the central directory is still being walked, and in this
 * thread too once it is); sizes and CRCs are checked once all are in, and entries
 * and diagnostics come out in central-directory order.
 */
export async function readJar(bytes: Uint8Array, source: string, limits: JarReadLimits = DEFAULT_JAR_LIMITS): Promise<ReadResult> {
  const diagnostics: Diagnostic[] = [];
  const entries: BundleEntry[] = [];
  const buf = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const corruptDiagnostic = (message: string, entry?: string, offset?: number): Diagnostic => ({
    code: ErrorCodes.ZIP_CORRUPT,
    severity: "error",
    message,
    location: { bundle: source, ...(entry !== undefined ? { entry } : {}), ...(offset !== undefined ? { offset } : {}) },
  });

  let zip: yauzl.ZipFile;
  try {
    zip = await yauzl.fromBufferPromise(buf, { lazyEntries: true, decodeStrings: false, validateEntrySizes: true, strictFileNames: true });
  } catch (e) {
    diagnostics.push(corruptDiagnostic(`not a readable zip archive: ${thrownMessage(e)}`, undefined, 0));
    return { bundle: { kind: "jar", source, entries }, diagnostics };
  }
  // Start the helper thread now, so that it is up by the first full batch.
  if (bytes.length >= 512 * 1024) warmUpZlibThread();
  const archiveComment = u8(zip.comment as unknown as Buffer);
  const slots: Slot[] = [];
  const corrupt = (message: string, entry?: string, offset?: number) => slots.push({ diagnostic: corruptDiagnostic(message, entry, offset) });
  // At most two batches out on the helper while the directory is walked (this thread
  // cannot hand out more until the walk ends), then shared.
  const inflater = new BatchQueue<Inflated>("inflate", 2);
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
      const compressed = view(buf, start, end);
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
      const slot: Slot = { name, offset, meta, compressed, size, index: 0 };
      if (entry.compressionMethod === DEFLATED) {
        // Stored entries are views of the archive: only inflated bytes cost memory.
        if (size > limits.maxEntryBytes) return void tooLarge(`entry records ${size} bytes inflated, over the limit of ${limits.maxEntryBytes}; entry skipped`, name, offset);
        if (inflatedTotal + size > limits.maxTotalBytes) {
          return void tooLarge(`entries inflate to more than ${limits.maxTotalBytes} bytes in all (a zip bomb?); entry of ${size} bytes skipped`, name, offset);
        }
        inflatedTotal += size;
        [slot.batch, slot.index] = inflater.add(compressed, size);
      }
      slots.push(slot);
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
    directoryError = corruptDiagnostic(`central directory unreadable: ${thrownMessage(e)}`, undefined, zip.readEntryCursor as unknown as number);
  } finally {
    zip.close();
  }
  await inflater.finish();
  for (const slot of slots) {
    if ("diagnostic" in slot) {
      diagnostics.push(slot.diagnostic);
      continue;
    }
    const { name, offset, meta } = slot;
    let data: Uint8Array;
    let crc: number;
    if (slot.batch === undefined) {
      data = slot.compressed;
      crc = crc32(data);
    } else {
      const r = (await slot.batch)[slot.index]!;
      if ("error" in r) {
        diagnostics.push(corruptDiagnostic(`cannot read entry: ${r.error}; entry skipped`, name, offset));
        continue;
      }
      data = r.data;
      crc = r.crc;
    }
    if (data.length !== slot.size) {
      diagnostics.push(corruptDiagnostic(`size ${data.length} does not match the recorded ${slot.size}; entry skipped`, name, offset));
      continue;
    }
    if (crc !== meta.crc32) {
      diagnostics.push(corruptDiagnostic("CRC-32 mismatch; entry skipped", name, offset));
      continue;
    }
    entries.push({ name, data, zip: meta, compressed: slot.compressed, modified: false });
  }
  if (directoryError !== undefined) diagnostics.push(directoryError);
  return { bundle: { kind: "jar", source, entries, comment: archiveComment }, diagnostics };
}

// ---------------------------------------------------------------------------
// Signatures

/** `META-INF/X.SF`, `.RSA`, `.DSA`, `.EC` and `META-INF/SIG-*`, as the JDK recognises them (case-insensitive, top level of META-INF). */
export function isSignatureFile(name: string): boolean {
  const upper = name.toUpperCase();
  if (!upper.startsWith("META-INF/")) return false;
  const rest = upper.slice("META-INF/".length);
  if (rest.length === 0 || rest.includes("/")) return false;
  return /\.(SF|RSA|DSA|EC)$/.test(rest) || rest.startsWith("SIG-");
}

/** Names of the signature files in a bundle, in bundle order. */
export function signatureFilesToDrop(bundle: Bundle): string[] {
  return bundle.entries.filter((e) => isSignatureFile(e.name)).map((e) => e.name);
}

/**
 * When any class entry was modified, signature files no longer match: removes them
 * and warns W_SIGNATURE_REMOVED. The manifest's per-entry digests are left alone;
 * without signature files the JDK does not check them. Unchanged bundles are
 * returned as they are.
 */
export function dropSignaturesIfClassesChanged(bundle: Bundle): { bundle: Bundle; diagnostics: Diagnostic[] } {
  const drop = signatureFilesToDrop(bundle);
  if (drop.length === 0 || !bundle.entries.some((e) => e.modified && isClassEntry(e))) return { bundle, diagnostics: [] };
  const dropped = new Set(drop);
  return {
    bundle: { ...bundle, entries: bundle.entries.filter((e) => !dropped.has(e.name)) },
    diagnostics: [
      warning(ErrorCodes.SIGNATURE_REMOVED, `classes were changed in a signed jar; removed ${drop.join(", ")}`, {
        ...(bundle.source !== undefined ? { bundle: bundle.source } : {}),
      }),
    ],
  };
}

// ---------------------------------------------------------------------------
// Writing

const utf8Encoder = new TextEncoder();
const EMPTY = new Uint8Array(0);

/** Everything the archive records for one entry besides its compressed bytes. */
interface EntryHeader {
  name: Uint8Array;
  compression: number;
  crc: number;
  size: number;
  flags: number;
  dosTime: number;
  dosDate: number;
  versionMadeBy: number;
  versionNeeded: number;
  internalAttributes: number;
  externalAttributes: number;
  extra: Uint8Array;
  localExtra: Uint8Array;
  comment: Uint8Array;
}

/**
 * Entries whose new content was already deflated elsewhere (a worker thread, see
 * `parallel.ts`), with the CRC of that content. A side table rather than a field of
 * the entry: it is keyed by the entry object and checked against the entry's `data`
 * by identity, so an entry rebuilt by spreading, or given other data, is deflated
 * here as usual. The bytes are what `deflateRawSync(data)` gives at the default
 * level, i.e. exactly what {@link encodeEntry} would produce itself.
 */
const predeflated = new WeakMap<BundleEntry, { data: Uint8Array; compressed: Uint8Array; crc: number }>();

/**
 * `withData(entry, data)` that also records `compressed = deflateRawSync(data)` (zlib
 * defaults) and `crc = crc32(data)`, so that writing a jar does not deflate again.
 * The caller guarantees both; only used when the entry is written deflated.
 */
export function withDeflatedData(entry: BundleEntry, data: Uint8Array, compressed: Uint8Array, crc: number): BundleEntry {
  const e = withData(entry, data);
  predeflated.set(e, { data, compressed, crc });
  return e;
}

/** The bytes to store for an entry: the original compressed bytes when still valid, else fresh ones. */
function encodeEntry(entry: BundleEntry): { header: EntryHeader; compressed: Uint8Array } {
  const name = utf8Encoder.encode(entry.name);
  const nonAscii = name.length !== entry.name.length;
  const z = entry.zip;
  const isDir = entry.name.endsWith("/");
  const compression = z ? z.compression : isDir ? STORED : DEFLATED;
  const pre = predeflated.get(entry);
  let crc: number;
  let compressed: Uint8Array;
  if (pre !== undefined && pre.data === entry.data && compression === DEFLATED) {
    crc = pre.crc;
    compressed = pre.compressed;
  } else {
    crc = crc32(entry.data);
    if (z && entry.compressed && crc === z.crc32 && !entry.modified) {
      compressed = entry.compressed;
    } else {
      compressed = compression === DEFLATED ? deflateRawSync(entry.data) : entry.data;
    }
  }
  const header: EntryHeader = {
    name,
    compression,
    crc,
    size: entry.data.length,
    flags: ((z ? z.flags : 0) & ~FLAG_DATA_DESCRIPTOR & 0xffff) | (nonAscii ? FLAG_UTF8 : 0),
    dosTime: z ? z.dosTime : DOS_EPOCH_TIME,
    dosDate: z ? z.dosDate : DOS_EPOCH_DATE,
    versionMadeBy: z ? z.versionMadeBy : 20,
    versionNeeded: z ? z.versionNeeded : compression === DEFLATED ? 20 : 10,
    internalAttributes: z ? z.internalAttributes : 0,
    externalAttributes: z ? z.externalAttributes : 0,
    extra: z ? z.extra : EMPTY,
    localExtra: z ? z.localExtra : EMPTY,
    comment: z ? z.comment : EMPTY,
  };
  return { header, compressed };
}

/** Would {@link encodeEntry} deflate this entry afresh (no valid compressed bytes to reuse)? */
function needsDeflate(entry: BundleEntry): boolean {
  const z = entry.zip;
  const compression = z ? z.compression : entry.name.endsWith("/") ? STORED : DEFLATED;
  if (compression !== DEFLATED) return false;
  const pre = predeflated.get(entry);
  if (pre !== undefined && pre.data === entry.data) return false;
  return !(z && entry.compressed && !entry.modified);
}

/**
 * {@link encodeJar}, after deflating the entries that need it in batches shared
 * between this thread and the zlib helper thread (`BatchQueue`). The same bytes.
 */
export async function encodeJarAsync(bundle: Bundle): Promise<Uint8Array> {
  checkEntryCount(bundle);
  const queue = new BatchQueue<Deflated>("deflate", 2);
  const pending: [index: number, batch: Promise<Deflated[]>, at: number][] = [];
  bundle.entries.forEach((e, i) => {
    if (needsDeflate(e)) pending.push([i, ...queue.add(e.data)]);
  });
  if (pending.length === 0) return encodeJar(bundle);
  await queue.finish();
  const entries = bundle.entries.slice();
  for (const [i, batch, at] of pending) {
    const r = (await batch)[at]!;
    entries[i] = withDeflatedData(entries[i]!, entries[i]!.data, r.compressed, r.crc);
  }
  return encodeJar({ ...bundle, entries });
}

/** Encodes a bundle as a zip archive. Deterministic: same bundle, same bytes. */
export function encodeJar(bundle: Bundle): Uint8Array {
  checkEntryCount(bundle);
  const encoded = bundle.entries.map(encodeEntry);
  return layOutArchive(encoded, bundle.comment ?? EMPTY);
}

function checkEntryCount(bundle: Bundle): void {
  if (bundle.entries.length > 0xffff) throw new RangeError(`${bundle.entries.length} entries need zip64, which megasplit does not write`);
}

/**
 * Writes local headers (without data descriptors), data, central headers and the
 * end record from the entry metadata. O(archive size).
 */
function layOutArchive(entries: { header: EntryHeader; compressed: Uint8Array }[], archiveComment: Uint8Array): Uint8Array {
  let total = 22 + archiveComment.length;
  for (const { header: h, compressed } of entries) {
    total += 30 + h.name.length + h.localExtra.length + compressed.length + 46 + h.name.length + h.extra.length + h.comment.length;
  }
  if (total > 0xffffffff) throw new RangeError("the archive needs zip64, which megasplit does not write");
  const out = new Uint8Array(total);
  const v = new DataView(out.buffer);
  let p = 0;
  const u16 = (x: number) => (v.setUint16(p, x, true), (p += 2));
  const u32 = (x: number) => (v.setUint32(p, x >>> 0, true), (p += 4));
  const bytes = (b: Uint8Array) => (out.set(b, p), (p += b.length));
  const offsets: number[] = [];
  for (const { header: h, compressed } of entries) {
    offsets.push(p);
    u32(0x04034b50);
    u16(h.versionNeeded), u16(h.flags), u16(h.compression), u16(h.dosTime), u16(h.dosDate);
    u32(h.crc), u32(compressed.length), u32(h.size);
    u16(h.name.length), u16(h.localExtra.length);
    bytes(h.name), bytes(h.localExtra), bytes(compressed);
  }
  const cdStart = p;
  entries.forEach(({ header: h, compressed }, i) => {
    u32(0x02014b50);
    u16(h.versionMadeBy), u16(h.versionNeeded), u16(h.flags), u16(h.compression), u16(h.dosTime), u16(h.dosDate);
    u32(h.crc), u32(compressed.length), u32(h.size);
    u16(h.name.length), u16(h.extra.length), u16(h.comment.length);
    u16(0), u16(h.internalAttributes), u32(h.externalAttributes), u32(offsets[i]!);
    bytes(h.name), bytes(h.extra), bytes(h.comment);
  });
  const cdSize = p - cdStart;
  u32(0x06054b50), u16(0), u16(0), u16(entries.length), u16(entries.length), u32(cdSize), u32(cdStart), u16(archiveComment.length);
  bytes(archiveComment);
  return out;
}
