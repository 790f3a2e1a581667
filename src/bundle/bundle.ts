/**
 * The bundle model: the ordered entries of a class file, a directory tree or a jar,
 * with enough zip metadata to write an archive back faithfully.
 *
 * Invariants: entry names are relative, use forward slashes and never climb out
 * (`jar.ts`, `zipPathProblem`, rejects hostile names with E_ZIP_PATH before an entry gets here);
 * `data` is always the uncompressed content. Entries are immutable values:
 * {@link withData} returns a new entry marked `modified` and without the original
 * compressed bytes (or the entry itself when the new content is identical), so a writer can pass bytes through only for untouched
 * entries. Building an entry by spreading (`{...e, data}`) is a mistake the writer
 * still survives: it checks the CRC (and that the entry is not `modified`) before
 * reusing compressed bytes. Everything here is O(1) per call except
 * {@link withData}, which compares the new content with the old.
 * Zip structures: PKWARE APPNOTE 6.3.x, sections 4.3.7 (local header), 4.3.12
 * (central header), 4.4.6 (DOS time/date); multi-release jars: JAR File
 * Specification, "Multi-release JAR files".
 */

/** What a bundle was read from, and what a writer produces. */
export type BundleKind = "class" | "directory" | "jar";

/** The zip fields of one entry that a faithful rewrite must keep. */
export interface ZipEntryMeta {
  /** APPNOTE 4.4.5: 0 = stored, 8 = deflated. */
  readonly compression: number;
  /** CRC-32 of the uncompressed content, as recorded in the archive. */
  readonly crc32: number;
  /** Raw MS-DOS time and date words (APPNOTE 4.4.6), kept as-is so they round-trip exactly. */
  readonly dosTime: number;
  readonly dosDate: number;
  /** General purpose bit flag (APPNOTE 4.4.4); bit 3 (data descriptor) is not reproduced. */
  readonly flags: number;
  readonly versionMadeBy: number;
  readonly versionNeeded: number;
  readonly internalAttributes: number;
  readonly externalAttributes: number;
  /** The central-directory extra field, raw. */
  readonly extra: Uint8Array;
  /** The local-header extra field, raw (it may differ from the central one). */
  readonly localExtra: Uint8Array;
  /** The entry comment, raw. */
  readonly comment: Uint8Array;
}

export interface BundleEntry {
  /** Relative path with forward slashes; a trailing slash marks a directory entry. */
  readonly name: string;
  /** Uncompressed content. */
  readonly data: Uint8Array;
  /** Present for entries read from a zip archive. */
  readonly zip?: ZipEntryMeta;
  /** The original compressed bytes (method `zip.compression`); only while `data` is the original. */
  readonly compressed?: Uint8Array;
  /** True once the content was replaced. */
  readonly modified: boolean;
}

export interface Bundle {
  readonly kind: BundleKind;
  /** The path it was read from, for diagnostics. */
  readonly source?: string;
  readonly entries: readonly BundleEntry[];
  /** The archive comment (zip only), raw. */
  readonly comment?: Uint8Array;
}

/** A new entry with new content; the original compressed bytes are dropped. */
export function withData(entry: BundleEntry, data: Uint8Array): BundleEntry {
  // Content that comes back identical is not a change: the entry keeps its
  // original compressed bytes and stays unmodified (no signature is dropped).
  if (data === entry.data || (data.length === entry.data.length && Buffer.compare(data, entry.data) === 0)) return entry;
  const { compressed: _dropped, ...rest } = entry;
  return { ...rest, data, modified: true };
}

/** A new bundle with the same kind, source and comment but other entries. */
export function withEntries(bundle: Bundle, entries: readonly BundleEntry[]): Bundle {
  return { ...bundle, entries };
}

/** A fresh entry (not read from anywhere), e.g. a generated helper class. */
export function newEntry(name: string, data: Uint8Array): BundleEntry {
  return { name, data, modified: true };
}

export function isDirectoryEntry(entry: BundleEntry): boolean {
  return entry.name.endsWith("/");
}

/** A class file entry: a non-directory whose name ends in `.class`. */
export function isClassEntry(entry: BundleEntry): boolean {
  return !isDirectoryEntry(entry) && entry.name.endsWith(".class");
}

const VERSIONED = /^META-INF\/versions\/([1-9][0-9]*)\/(.+)$/;

/** `META-INF/versions/N/...` -> N; undefined for unversioned entries. */
export function multiReleaseVersion(name: string): number | undefined {
  const m = VERSIONED.exec(name);
  return m ? Number(m[1]) : undefined;
}

/** The path a class loader sees: `META-INF/versions/11/a/B.class` -> `a/B.class`. */
export function logicalPath(name: string): string {
  const m = VERSIONED.exec(name);
  return m ? m[2]! : name;
}

/** The internal class name a class entry should define: `a/B.class` -> `a/B`. */
export function entryClassName(name: string): string {
  const p = logicalPath(name);
  return p.endsWith(".class") ? p.slice(0, -".class".length) : p;
}
