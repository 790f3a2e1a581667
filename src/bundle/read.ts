/**
 * `readBundle`: one entry point for every input shape. A directory is read as a
 * tree; a file is recognised by its first bytes, not its extension: `CAFEBABE` is
 * a class file, `PK` a zip/jar. Anything else is tried as a zip (jars with a
 * launcher script prepended still have their central directory at the end);
 * failing that, a file named `*.class` is taken as a class file so that the class
 * reader reports E_BAD_MAGIC on it with a proper location, and any other file is
 * E_INPUT_FORMAT, which says what it looks like instead (text, a WebAssembly
 * module, gzip, ...): nothing is invented from an input that is not what it claims.
 *
 * A path that cannot be read at all throws a MegasplitError (E_IO); problems
 * inside an archive are returned as diagnostics next to the entries that survive.
 * Cost: the input is read into memory once.
 */
import { readFile, stat } from "node:fs/promises";
import { basename } from "node:path";
import { ErrorCodes, fail, type Diagnostic } from "../diagnostics.js";
import { describeContent } from "./sniff.js";
import type { Bundle } from "./bundle.js";
import { readDirectory } from "./directory.js";
import { readJar } from "./jar.js";

export interface ReadBundleResult {
  bundle: Bundle;
  diagnostics: Diagnostic[];
}

function ioMessage(e: unknown): string {
  return e instanceof Error ? e.message : String(e);
}

export async function readBundle(path: string): Promise<ReadBundleResult> {
  let isDir: boolean;
  try {
    isDir = (await stat(path)).isDirectory();
  } catch (e) {
    fail(ErrorCodes.IO, `cannot read input: ${ioMessage(e)}`, { bundle: path });
  }
  if (isDir) {
    try {
      return { bundle: await readDirectory(path), diagnostics: [] };
    } catch (e) {
      fail(ErrorCodes.IO, `cannot read directory: ${ioMessage(e)}`, { bundle: path });
    }
  }
  let bytes: Uint8Array;
  try {
    bytes = new Uint8Array(await readFile(path));
  } catch (e) {
    fail(ErrorCodes.IO, `cannot read input: ${ioMessage(e)}`, { bundle: path });
  }
  const single = (): ReadBundleResult => ({
    bundle: { kind: "class", source: path, entries: [{ name: basename(path), data: bytes, modified: false }] },
    diagnostics: [],
  });
  if (bytes.length >= 4 && bytes[0] === 0xca && bytes[1] === 0xfe && bytes[2] === 0xba && bytes[3] === 0xbe) return single();
  if (bytes.length >= 2 && bytes[0] === 0x50 && bytes[1] === 0x4b) return readJar(bytes, path);
  const asZip = await readJar(bytes, path);
  if (asZip.bundle.entries.length > 0) return asZip;
  if (/\.class$/i.test(path)) return single();
  fail(ErrorCodes.INPUT_FORMAT, `neither a class file nor a jar/zip archive: ${describeContent(bytes)}`, { bundle: path });
}
