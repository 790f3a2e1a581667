/**
 * A file written in two steps, so that two outputs (the split bundle and its
 * mapping) appear together or not at all: `stage` writes and fsyncs the bytes to a
 * temporary sibling (the directory must already be writable: a failure here
 * happens before anything else is written), `commit` renames it into place
 * (POSIX rename(2), atomic on one file system), `abort` removes it.
 */
import { AtomicBatch } from "../bundle/atomic.js";

export interface StagedFile {
  commit(): Promise<void>;
  abort(): Promise<void>;
}

export async function stage(path: string, data: Uint8Array): Promise<StagedFile> {
  // One file of an AtomicBatch: removed on a signal, rolled back if the rename fails.
  const batch = new AtomicBatch();
  try {
    await batch.stage(path, data);
  } catch (e) {
    await batch.abort();
    throw e;
  }
  return { commit: () => batch.commit(), abort: () => batch.abort() };
}
