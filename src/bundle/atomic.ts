/**
 * Atomic file output: readers of a path see either the old file or the complete
 * new one, never a partial write; a failed or interrupted write leaves no
 * temporary file; and files written together (an output jar and its mapping, the
 * files of a directory) are replaced together or not at all.
 *
 * An {@link AtomicBatch} stages each file in a temporary sibling (same directory,
 * so the final rename stays on one file system, where POSIX rename(2) is atomic),
 * written and flushed with fsync. Nothing visible changes until `commit`, which
 * renames every staged file over its target; a target that existed is first
 * hard-linked to a backup name, so that a rename failing part-way through the
 * commit puts back the files already replaced. A failure while staging (disk
 * full, permission denied, read-only file system) removes every temporary file
 * and leaves every target as it was. While files are staged, SIGINT, SIGTERM and
 * SIGHUP remove them before the process dies of the signal as it would have.
 * Only a kill that runs no handler (SIGKILL, power loss) can leave a temporary
 * file; its name, `.<name>.<pid>.<counter>.megasplit-tmp`, says what it is.
 *
 * Cost: one write, one fsync and one rename per file, and a link and an unlink per
 * file replaced.
 *
 * Tests inject faults with `MEGASPLIT_TEST_WRITE_FAULT=<n>:<errno code>`: the n-th
 * file staged by the process fails with that code (ENOSPC, EROFS, EACCES, EIO, ...)
 * after half of its bytes are written, as a full disk would (`WAIT` instead of a
 * code: it stops there until a signal comes, for the tests of interruption).
 */
import { rmSync } from "node:fs";
import { link, mkdir, open, rename, rm } from "node:fs/promises";
import { basename, dirname, join } from "node:path";

let counter = 0;

/** The temporary sibling used while writing `path`. */
function temporaryPathFor(path: string, role: "tmp" | "old"): string {
  return join(dirname(path), `.${basename(path)}.${process.pid}.${counter++}.megasplit-${role}`);
}

/** Temporary files staged and not yet renamed or removed, across batches: what a signal must clean up. */
const live = new Set<string>();
const SIGNALS = ["SIGINT", "SIGTERM", "SIGHUP"] as const;

function onSignal(signal: NodeJS.Signals): void {
  for (const p of live) rmSync(p, { force: true });
  live.clear();
  unwatchSignals();
  process.kill(process.pid, signal); // no listener left: the default action, as without us
}

let watching = false;
function watchSignals(): void {
  if (watching) return;
  watching = true;
  for (const s of SIGNALS) process.on(s, onSignal);
}
function unwatchSignals(): void {
  if (!watching) return;
  watching = false;
  for (const s of SIGNALS) process.off(s, onSignal);
}
function track(path: string): void {
  live.add(path);
  watchSignals();
}
function untrack(path: string): void {
  live.delete(path);
  if (live.size === 0) unwatchSignals();
}

let staged = 0;

/** The injected fault for the file being staged now, if the test asked for one (see the file comment). */
function injectedFault(): string | undefined {
  staged++;
  const spec = process.env.MEGASPLIT_TEST_WRITE_FAULT;
  if (!spec) return undefined;
  const [n, code] = spec.split(":");
  return Number(n) === staged ? (code ?? "EIO") : undefined;
}

function faultError(code: string, path: string): NodeJS.ErrnoException {
  const e: NodeJS.ErrnoException = new Error(`${code}: injected write failure, write '${path}'`);
  e.code = code;
  e.path = path;
  return e;
}

/** Files staged to be replaced together. */
export class AtomicBatch {
  private readonly files: { path: string; tmp: string }[] = [];
  private done = false;

  /** Writes `data` to a temporary sibling of `path` and flushes it; `path` itself is not touched yet. */
  async stage(path: string, data: Uint8Array): Promise<void> {
    if (this.done) throw new Error("this batch was committed or aborted already");
    await mkdir(dirname(path), { recursive: true });
    const tmp = temporaryPathFor(path, "tmp");
    track(tmp);
    try {
      const handle = await open(tmp, "wx", 0o644);
      try {
        const fault = injectedFault();
        if (fault !== undefined) {
          await handle.write(data.subarray(0, data.length >> 1));
          if (fault === "WAIT") await new Promise((resolve) => setTimeout(resolve, 2 ** 31 - 1)); // until a signal
          throw faultError(fault, tmp);
        }
        await handle.writeFile(data);
        await handle.sync();
      } finally {
        await handle.close();
      }
    } catch (e) {
      await rm(tmp, { force: true });
      untrack(tmp);
      throw e;
    }
    this.files.push({ path, tmp });
  }

  /**
   * Renames every staged file over its target, in the order staged. If a rename
   * fails, the targets already replaced get their old content back (or are removed
   * if they did not exist) and the error is thrown.
   */
  async commit(): Promise<void> {
    if (this.done) throw new Error("this batch was committed or aborted already");
    this.done = true;
    const replaced: { path: string; backup?: string }[] = [];
    try {
      for (const f of this.files) {
        const backup = temporaryPathFor(f.path, "old");
        let hasOld = true;
        try {
          await link(f.path, backup);
        } catch (e) {
          if ((e as NodeJS.ErrnoException).code !== "ENOENT") throw e;
          hasOld = false;
        }
        if (hasOld) track(backup);
        try {
          await rename(f.tmp, f.path);
        } catch (e) {
          if (hasOld) await rm(backup, { force: true }), untrack(backup);
          throw e;
        }
        untrack(f.tmp);
        replaced.push(hasOld ? { path: f.path, backup } : { path: f.path });
      }
    } catch (e) {
      for (const r of replaced.reverse()) {
        if (r.backup !== undefined) await rename(r.backup, r.path).catch(() => {});
        else await rm(r.path, { force: true });
        if (r.backup !== undefined) untrack(r.backup);
      }
      await this.removeTemporaries();
      throw e;
    }
    for (const r of replaced) {
      if (r.backup === undefined) continue;
      await rm(r.backup, { force: true });
      untrack(r.backup);
    }
  }

  /** Removes every staged temporary file; the targets stay as they were. */
  async abort(): Promise<void> {
    this.done = true;
    await this.removeTemporaries();
  }

  private async removeTemporaries(): Promise<void> {
    for (const f of this.files) {
      await rm(f.tmp, { force: true });
      untrack(f.tmp);
    }
  }
}

/** Replaces one file atomically (see {@link AtomicBatch}). */
export async function writeFileAtomic(path: string, data: Uint8Array): Promise<void> {
  await writeFilesAtomic([{ path, data }]);
}

/** Replaces several files together: all of them, or (on any failure) none. */
export async function writeFilesAtomic(files: readonly { path: string; data: Uint8Array }[]): Promise<void> {
  const batch = new AtomicBatch();
  try {
    for (const f of files) await batch.stage(f.path, f.data);
  } catch (e) {
    await batch.abort();
    throw e;
  }
  await batch.commit();
}
