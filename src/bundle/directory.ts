/**
 * Directory trees of class files (and resources) as bundles.
 *
 * Reading walks the tree and returns every regular file as an entry named by its
 * path relative to the root with forward slashes, sorted by that path (plain
 * code-unit order) so the result never depends on the order the file system
 * lists names. Symbolic links to files are followed; links to directories are
 * not, so a link loop cannot make the walk endless. Empty directories are not
 * entries.
 *
 * Writing puts each entry under the output root: every file is staged as a
 * temporary sibling first, then all are renamed into place (`atomic.ts`), so a
 * failure while writing leaves every file as it was. The directory itself is not
 * replaced: that keeps unrelated files already in it and allows writing over the
 * input directory in place. Cost: one read or one atomic
 * write per file.
 */
import { mkdir, readdir, readFile, stat } from "node:fs/promises";
import { join } from "node:path";
import { ErrorCodes, fail } from "../diagnostics.js";
import { zipPathProblem } from "./jar.js";
import type { Bundle, BundleEntry } from "./bundle.js";
import { AtomicBatch } from "./atomic.js";

async function walk(root: string, rel: string, out: string[]): Promise<void> {
  const dirents = await readdir(rel ? join(root, rel) : root, { withFileTypes: true });
  for (const d of dirents) {
    const childRel = rel ? `${rel}/${d.name}` : d.name;
    if (d.isDirectory()) await walk(root, childRel, out);
    else if (d.isFile()) out.push(childRel);
    else if (d.isSymbolicLink()) {
      const s = await stat(join(root, childRel)).catch(() => undefined);
      if (s?.isFile()) out.push(childRel);
    }
  }
}

export async function readDirectory(root: string): Promise<Bundle> {
  const names: string[] = [];
  await walk(root, "", names);
  names.sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
  const entries: BundleEntry[] = [];
  for (const name of names) {
    const data = new Uint8Array(await readFile(join(root, ...name.split("/"))));
    entries.push({ name, data, modified: false });
  }
  return { kind: "directory", source: root, entries };
}

/**
 * Writes every entry under `root`; a name that would land outside it is E_ZIP_PATH.
 * With a batch the files are only staged in it (the caller commits); without, all
 * are staged and then committed together.
 */
export async function writeDirectory(bundle: Bundle, root: string, batch?: AtomicBatch): Promise<void> {
  const own = batch ?? new AtomicBatch();
  try {
    await stageDirectory(bundle, root, own);
  } catch (e) {
    await own.abort();
    throw e;
  }
  if (!batch) await own.commit();
}

async function stageDirectory(bundle: Bundle, root: string, batch: AtomicBatch): Promise<void> {
  for (const e of bundle.entries) {
    const problem = zipPathProblem(e.name);
    if (problem !== undefined) fail(ErrorCodes.ZIP_PATH, `refusing to write ${JSON.stringify(e.name)} (${problem})`, { bundle: root, entry: e.name });
    const path = join(root, ...e.name.split("/"));
    if (e.name.endsWith("/")) await mkdir(path, { recursive: true });
    else await batch.stage(path, e.data);
  }
}
