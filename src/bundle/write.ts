/**
 * `writeBundle`: writes a bundle as a jar, a directory tree or a single class
 * file (with any class the split added to its package beside it), always atomically (see `atomic.ts`; directories are written file by file,
 * see `directory.ts` for why).
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
import { writeFileAtomic } from "./atomic.js";
import { writeDirectory } from "./directory.js";
import { encodeJarAsync } from "./jar.js";

export interface WriteOptions {
  kind: BundleKind;
}

function ioMessage(e: unknown): string {
  return e instanceof Error ? e.message : String(e);
}

export async function writeBundle(bundle: Bundle, outPath: string, options: WriteOptions): Promise<void> {
  const where = { bundle: outPath };
  switch (options.kind) {
    case "jar": {
      let bytes: Uint8Array;
      try {
        bytes = await encodeJarAsync(bundle);
      } catch (e) {
        if (e instanceof RangeError) fail(ErrorCodes.IO, `cannot encode jar: ${e.message}`, where);
        throw e;
      }
      try {
        await writeFileAtomic(outPath, bytes);
      } catch (e) {
        fail(ErrorCodes.IO, `cannot write jar: ${ioMessage(e)}`, where);
      }
      return;
    }
    case "directory":
      try {
        await writeDirectory(bundle, outPath);
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
        await writeFileAtomic(outPath, first.data);
        for (const e of more) await writeFileAtomic(join(dirname(outPath), e.name.slice(e.name.lastIndexOf("/") + 1)), e.data);
      } catch (e) {
        fail(ErrorCodes.IO, `cannot write class file: ${ioMessage(e)}`, where);
      }
      return;
    }
    default:
      unreachable(options.kind, "unknown bundle kind");
  }
}
