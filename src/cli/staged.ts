/**
 * A file written in two steps, so that two outputs (the split bundle and its
 * mapping) appear together or not at all: `stage` writes and fsyncs the bytes to a
 * temporary sibling (the directory must already be writable: a failure here
 * happens before anything else is written), `commit` renames it into place
 * (POSIX rename(2), atomic on one file system), `abort` removes it.
 */
import { mkdir, open, rename, rm } from "node:fs/promises";
import { basename, dirname, join } from "node:path";

export interface StagedFile {
  commit(): Promise<void>;
  abort(): Promise<void>;
}

export async function stage(path: string, data: Uint8Array): Promise<StagedFile> {
  await mkdir(dirname(path), { recursive: true });
  const tmp = join(dirname(path), `.${basename(path)}.${process.pid}.staged.megasplit-tmp`);
  try {
    const handle = await open(tmp, "w", 0o644);
    try {
      await handle.writeFile(data);
      await handle.sync();
    } finally {
      await handle.close();
    }
  } catch (e) {
    await rm(tmp, { force: true });
    throw e;
  }
  return {
    commit: () => rename(tmp, path),
    abort: () => rm(tmp, { force: true }),
  };
}
