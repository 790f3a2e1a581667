/**
 * Atomic file output: readers of `path` see either the old file or the complete
 * new one, never a partial write, and a failed write leaves no temporary file.
 *
 * The bytes go to a temporary file in the same directory (so the final rename
 * stays on one file system, where POSIX rename(2) is atomic), are flushed with
 * fsync, and the file is renamed over `path`. The temporary name is
 * `.<name>.<pid>.<counter>.megasplit-tmp`; it never reaches the output. Cost: one
 * write, one fsync and one rename per file.
 */
import { open, rename, rm, mkdir } from "node:fs/promises";
import { basename, dirname, join } from "node:path";

let counter = 0;

/** The temporary sibling used while writing `path`. */
function temporaryPathFor(path: string): string {
  return join(dirname(path), `.${basename(path)}.${process.pid}.${counter++}.megasplit-tmp`);
}

export async function writeFileAtomic(path: string, data: Uint8Array): Promise<void> {
  await mkdir(dirname(path), { recursive: true });
  const tmp = temporaryPathFor(path);
  try {
    const handle = await open(tmp, "wx", 0o644);
    try {
      await handle.writeFile(data);
      await handle.sync();
    } finally {
      await handle.close();
    }
    await rename(tmp, path);
  } catch (e) {
    await rm(tmp, { force: true });
    throw e;
  }
}
