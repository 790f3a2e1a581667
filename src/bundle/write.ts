/**
 * `writeBundle`: writes a bundle as a jar, a directory tree or a single class
 * file (with any class the split added to its package beside it), always
 * atomically: every file is staged first and all are renamed into place together
 * (`atomic.ts`), so a failure part-way (disk full, permission denied, a signal)
 * leaves the previous output as it was and no temporary file.
 *
 * Jar output keeps entry order, names, DOS timestamps, comments, extra fields and
 * the archive comment, and reuses the original compressed bytes of every entry
 * whose data is unchanged (`jar.ts`); the others are deflated in batches shared
 * with the zlib helper thread (`encodeJarAsync`). A directory or class bundle
 * written as a jar gets deflated entries dated 1980-01-01 (no clock is read:
 * output is deterministic). Signature handling is the caller's decision
 * (`dropSignaturesIfClassesChanged`), because only it knows what it changed.
 */
import { dirname, join } from "node:path";
import { ErrorCodes, fail, MegasplitError, unreachable } from "../diagnostics.js";
import { isDirectoryEntry, type Bundle, type BundleKind } from "./bundle.js";
import { AtomicBatch } from "./atomic.js";
import { writeDirectory } from "./directory.js";
import { encodeJarAsync } from "./jar.js";

export interface WriteOptions {
  kind: BundleKind;
  /**
   * Stage the files in this batch and leave the commit to the caller (who writes
   * more files that must change with them, such as the mapping). Without it the
   * files are staged and committed here; either way, on a failure nothing of the
   * output changes and no temporary file stays.
   */
  batch?: AtomicBatch;
  /** Files replaced together with the output (the mapping of a split): all change, or none. */
  alongside?: readonly { path: string; data: Uint8Array }[];
}

function ioMessage(e: unknown): string {
  return e instanceof Error ? e.message : String(e);
}

export async function writeBundle(bundle: Bundle, outPath: string, options: WriteOptions): Promise<void> {
  const batch = options.batch ?? new AtomicBatch();
  try {
    await stageBundle(bundle, outPath, options.kind, batch);
    for (const f of options.alongside ?? []) {
      try {
        await batch.stage(f.path, f.data);
      } catch (e) {
        fail(ErrorCodes.IO, `cannot write ${f.path}: ${ioMessage(e)}`, { bundle: f.path });
      }
    }
  } catch (e) {
    await batch.abort();
    throw e;
  }
  if (options.batch) return;
  try {
    await batch.commit();
  } catch (e) {
    fail(ErrorCodes.IO, `cannot write ${options.kind === "class" ? "class file" : options.kind}: ${ioMessage(e)}`, { bundle: outPath });
  }
}

async function stageBundle(bundle: Bundle, outPath: string, kind: BundleKind, batch: AtomicBatch): Promise<void> {
  const where = { bundle: outPath };
  switch (kind) {
    case "jar": {
      let bytes: Uint8Array;
      try {
        bytes = await encodeJarAsync(bundle);
      } catch (e) {
        if (e instanceof RangeError) fail(ErrorCodes.IO, `cannot encode jar: ${e.message}`, where);
        throw e;
      }
      try {
        await batch.stage(outPath, bytes);
      } catch (e) {
        fail(ErrorCodes.IO, `cannot write jar: ${ioMessage(e)}`, where);
      }
      return;
    }
    case "directory":
      try {
        await writeDirectory(bundle, outPath, batch);
      } catch (e) {
        if (e instanceof MegasplitError) throw e;
        fail(ErrorCodes.IO, `cannot write directory: ${ioMessage(e)}`, where);
      }
      return;
    case "class": {
      // The class itself at `outPath`; classes of its package the split added (a
      // helper class holding its pieces) beside it, under their own file names.
      const [first, ...more] = bundle.entries.filter((e) => !isDirectoryEntry(e));
      if (!first) fail(ErrorCodes.USAGE, "a single-class output needs an entry, the bundle has none", where);
      const packageOf = (name: string) => name.slice(0, name.lastIndexOf("/") + 1);
      const stray = more.find((e) => packageOf(e.name) !== packageOf(first.name) || !e.name.endsWith(".class"));
      if (stray) fail(ErrorCodes.USAGE, `a single-class output holds only classes of its package; ${stray.name} is not one: write a directory or a jar`, where);
      try {
        await batch.stage(outPath, first.data);
        for (const e of more) await batch.stage(join(dirname(outPath), e.name.slice(e.name.lastIndexOf("/") + 1)), e.data);
      } catch (e) {
        fail(ErrorCodes.IO, `cannot write class file: ${ioMessage(e)}`, where);
      }
      return;
    }
    default:
      unreachable(kind, "unknown bundle kind");
  }
}
