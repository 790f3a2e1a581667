/**
 * `megasplit asm <file.j...> -o <dir|jar>`: assembles text into class files. The
 * output is a jar when its name ends in .jar or .zip, else a directory; each class
 * goes to `<internal name>.class`. A file that fails to assemble is reported with
 * its line and skipped; the classes of the other files are still written.
 */
import { readFile } from "node:fs/promises";
import { type BundleEntry, newEntry } from "../bundle/bundle.js";
import { writeBundle } from "../bundle/write.js";
import { writeClass } from "../classfile/write.js";
import { asDiagnostic, ErrorCodes, MegasplitError } from "../diagnostics.js";
import { assemble } from "../text/assemble.js";
import type { Reporter } from "./report.js";

export async function asmCommand(files: string[], opts: { output: string }, r: Reporter): Promise<number> {
  const entries: BundleEntry[] = [];
  const names = new Set<string>();
  for (const file of files) {
    let text: string;
    try {
      text = await readFile(file, "utf8");
    } catch (e) {
      r.diagnostic(new MegasplitError(ErrorCodes.IO, `cannot read ${file}: ${e instanceof Error ? e.message : String(e)}`, { bundle: file }).diagnostic);
      continue;
    }
    try {
      for (const cf of assemble(text, { fileName: file })) {
        const name = `${cf.constantPool.className(cf.thisClass)}.class`;
        if (names.has(name)) throw new MegasplitError(ErrorCodes.USAGE, `class ${name} is defined twice`, { bundle: file });
        names.add(name);
        entries.push(newEntry(name, writeClass(cf, { where: { bundle: file } })));
      }
    } catch (e) {
      r.diagnostic(asDiagnostic(e, { bundle: file }));
    }
  }
  if (entries.length > 0) {
    const kind = /\.(jar|zip)$/i.test(opts.output) ? "jar" : "directory";
    await writeBundle({ kind, entries }, opts.output, { kind });
  }
  return r.finish();
}
