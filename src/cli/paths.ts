/**
 * The output paths of `split`, checked before anything is read: `-o` may not name
 * the input (nor the mapping name the input or the output) unless `--in-place`;
 * two names are the same file when they resolve to the same path or, for files
 * that exist, to the same device and inode (symbolic and hard links). A
 * directory input written into itself, or into a directory inside it, is the same
 * case. All refusals are usage errors (E_USAGE, exit status 2).
 */
import { existsSync, statSync } from "node:fs";
import { rename } from "node:fs/promises";
import { relative, resolve, isAbsolute } from "node:path";
import { usageError } from "./report.js";

/** Whether two paths name the same file (or the same directory). */
export function samePath(a: string, b: string): boolean {
  if (resolve(a) === resolve(b)) return true;
  try {
    const sa = statSync(a);
    const sb = statSync(b);
    return sa.dev === sb.dev && sa.ino === sb.ino;
  } catch {
    return false;
  }
}

/** Whether `inner` is `outer` or lies inside it. */
function inside(inner: string, outer: string): boolean {
  const rel = relative(resolve(outer), resolve(inner));
  return rel === "" || (!rel.startsWith("..") && !isAbsolute(rel));
}

export function checkOutputPaths(input: string, output: string, mapping: string, inPlace: boolean): void {
  if (samePath(output, mapping)) throw usageError(`the mapping would overwrite the output ${output}: give --mapping another name`);
  if (samePath(mapping, input)) throw usageError(`--mapping ${mapping} names the input: give the mapping another name`);
  if (inPlace) return;
  const dirInput = existsSync(input) && statSync(input).isDirectory();
  if (samePath(output, input) || (dirInput && inside(output, input))) {
    throw usageError(`-o ${output} names the input ${dirInput && !samePath(output, input) ? "directory (or a place inside it)" : ""}`.trimEnd() + `; write elsewhere, or give --in-place to replace it`);
  }
  if (existsSync(`${input}.mapping`) && samePath(output, `${input}.mapping`)) throw usageError(`-o ${output} names the input's mapping; write elsewhere`);
  if (samePath(mapping, `${input}.mapping`) && existsSync(mapping)) {
    throw usageError(`the mapping ${mapping} would replace the input's own mapping; give --mapping another name, or --in-place to keep the old one beside it`);
  }
}

/**
 * With --in-place, a mapping already at `mapping` (the earlier split's) is kept:
 * renamed to `<mapping>.1` (or the next free number). Returns the new name, or
 * undefined when there was none.
 */
export async function keepPreviousMapping(mapping: string): Promise<string | undefined> {
  if (!existsSync(mapping)) return undefined;
  let n = 1;
  while (existsSync(`${mapping}.${n}`)) n++;
  await rename(mapping, `${mapping}.${n}`);
  return `${mapping}.${n}`;
}
