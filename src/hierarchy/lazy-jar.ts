/**
 * A classpath jar as a {@link ClassSource} that inflates a class file only when the
 * hierarchy asks for it. A hierarchy reads the headers of the few classes its frame
 * merges meet, while a classpath can hold tens of megabytes of jars (jython's
 * manifest names 23, 25 MB compressed): inflating all of them cost every thread
 * that builds a hierarchy more than the splitting of a whole jar at the default
 * limit, before its first class.
 *
 * What a lookup answers is what `bundleClassMap(readJar(...))` would hold: the
 * central directory is walked by the same code (`zip-directory.ts`: the same
 * names, limits and skipped entries), base entries only (multi-release versions
 * left out), and of several entries for one class the first that inflates with the
 * recorded size and CRC-32 (`checkInflated`). What differs is when problems are
 * reported: those of the directory at once, into `diagnostics`, and an entry that
 * fails to inflate or check when it is first looked up (then into the same list,
 * as the hierarchy reports a corrupt class header); an entry never asked for is
 * never inflated, so never reported. Cost: the file is read once and kept
 * compressed; O(central directory) to open; a lookup inflates one entry, once.
 * Spec: PKWARE APPNOTE 6.3.x 4.3 (via zip-directory.ts).
 */
import { readFile } from "node:fs/promises";
import { crc32 } from "node:zlib";
import { entryClassName, multiReleaseVersion } from "../bundle/bundle.js";
import { checkInflated, DEFLATED, type LocatedEntry, walkZipDirectory, zipCorrupt } from "../bundle/zip-directory.js";
import { inflateOne } from "../bundle/zlib-thread.js";
import type { Diagnostic } from "../diagnostics.js";
import type { ClassSource } from "./sources.js";

/**
 * The jar at `path` as a lazy class source, or undefined when `path` is not a file
 * that starts like a zip archive (a directory, a class file, an unreadable path, a
 * jar behind a launcher script): the caller then reads it whole with `readBundle`,
 * which reports what is wrong with it.
 */
export async function lazyJarSource(path: string, diagnostics: Diagnostic[]): Promise<ClassSource | undefined> {
  let bytes: Uint8Array;
  try {
    bytes = await readFile(path);
  } catch {
    return undefined;
  }
  if (bytes.length < 2 || bytes[0] !== 0x50 || bytes[1] !== 0x4b) return undefined; // "PK"
  const directory = await walkZipDirectory(bytes, path);
  const candidates = new Map<string, LocatedEntry[]>();
  if ("openError" in directory) diagnostics.push(directory.openError);
  else {
    for (const slot of directory.slots) {
      if ("diagnostic" in slot) {
        diagnostics.push(slot.diagnostic);
        continue;
      }
      if (slot.name.endsWith("/") || !slot.name.endsWith(".class") || multiReleaseVersion(slot.name) !== undefined) continue;
      const name = entryClassName(slot.name);
      const list = candidates.get(name);
      if (list) list.push(slot);
      else candidates.set(name, [slot]);
    }
    if (directory.directoryError) diagnostics.push(directory.directoryError);
  }
  const found = new Map<string, Uint8Array | undefined>();
  const lookup = (internalName: string): Uint8Array | undefined => {
    if (found.has(internalName)) return found.get(internalName);
    let data: Uint8Array | undefined;
    for (const entry of candidates.get(internalName) ?? []) {
      const checked = inflated(path, entry);
      if ("diagnostic" in checked) diagnostics.push(checked.diagnostic);
      else {
        data = checked.data;
        break;
      }
    }
    found.set(internalName, data);
    return data;
  };
  return { name: path, lookup };
}

/** One entry's content, checked against its recorded size and CRC-32. */
function inflated(path: string, entry: LocatedEntry): { data: Uint8Array } | { diagnostic: Diagnostic } {
  if (entry.meta.compression !== DEFLATED) return checkInflated(path, entry, entry.compressed, crc32(entry.compressed));
  const r = inflateOne(entry.compressed, entry.size);
  if ("error" in r) return { diagnostic: zipCorrupt(path, `cannot read entry: ${r.error}; entry skipped`, entry.name, entry.offset) };
  return checkInflated(path, entry, r.data, r.crc);
}
