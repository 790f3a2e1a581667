/**
 * Jar and zip archives: reading into a {@link Bundle}, writing one back, and the
 * jar-signature rule.
 *
 * Reading walks the central directory with `zip-directory.ts` (one E_ZIP_PATH per
 * hostile name, sizes bounded by what the archive records, E_ZIP_TOO_LARGE past
 * the limits), inflates every entry in batches (`zlib-thread.ts`: on a helper
 * thread for a large archive, overlapping the walk of the central directory), each
 * to at most its recorded size, and checks size and CRC, so a damaged entry is one
 * E_ZIP_CORRUPT, not a crash.
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
import { ErrorCodes, warning, type Diagnostic } from "../diagnostics.js";
import { isClassEntry, withData, type Bundle, type BundleEntry } from "./bundle.js";
import { BatchQueue, warmUpZlibThread, type Deflated, type Inflated } from "./zlib-thread.js";
import { checkInflated, DEFAULT_JAR_LIMITS, DEFLATED, type JarReadLimits, STORED, walkZipDirectory, zipCorrupt } from "./zip-directory.js";

const FLAG_DATA_DESCRIPTOR = 0x8;
const FLAG_UTF8 = 0x800;
/** 1980-01-01 00:00:00, the DOS epoch: the timestamp of entries that never had one. */
const DOS_EPOCH_DATE = (1 << 5) | 1;
const DOS_EPOCH_TIME = 0;

// ---------------------------------------------------------------------------
// Reading

export { DEFAULT_JAR_LIMITS, type JarReadLimits, zipPathProblem } from "./zip-directory.js";

export interface ReadResult {
  bundle: Bundle;
  diagnostics: Diagnostic[];
}

/** A jar at least this long starts the zlib helper thread as its directory is opened (when there is a second core). */
export const HELPER_JAR_BYTES = 512 * 1024;

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
  // At most two batches out on the helper while the directory is walked (this thread
  // cannot hand out more until the walk ends), then shared.
  const inflater = new BatchQueue<Inflated>("inflate", 2);
  const batches = new Map<number, [batch: Promise<Inflated[]>, index: number]>();
  const directory = await walkZipDirectory(bytes, source, {
    limits,
    // Start the helper thread now, so that it is up by the first full batch.
    onOpen: () => bytes.length >= HELPER_JAR_BYTES && warmUpZlibThread(),
    onDeflated: (e, slot) => batches.set(slot, inflater.add(e.compressed, e.size)),
  });
  if ("openError" in directory) {
    diagnostics.push(directory.openError);
    return { bundle: { kind: "jar", source, entries }, diagnostics };
  }
  await inflater.finish();
  for (const [k, slot] of directory.slots.entries()) {
    if ("diagnostic" in slot) {
      diagnostics.push(slot.diagnostic);
      continue;
    }
    const batch = batches.get(k);
    let checked;
    if (batch === undefined) checked = checkInflated(source, slot, slot.compressed, crc32(slot.compressed));
    else {
      const r = (await batch[0])[batch[1]]!;
      checked = "error" in r ? { diagnostic: zipCorrupt(source, `cannot read entry: ${r.error}; entry skipped`, slot.name, slot.offset) } : checkInflated(source, slot, r.data, r.crc);
    }
    if ("diagnostic" in checked) diagnostics.push(checked.diagnostic);
    else entries.push(checked);
  }
  if (directory.directoryError !== undefined) diagnostics.push(directory.directoryError);
  return { bundle: { kind: "jar", source, entries, comment: directory.comment }, diagnostics };
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
  // Content that came back unchanged keeps the entry, and with it its original compressed bytes.
  if (e !== entry) predeflated.set(e, { data, compressed, crc });
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
