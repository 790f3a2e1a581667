/**
 * `megasplit asm <file.j...> -o <dir|jar> [--max-size N] [--no-split]`: assembles
 * text (Jasmin syntax, extended; old Jasmin's and Sable's forms too) into class
 * files. The output is a jar when its name ends in .jar or .zip, else a directory;
 * each class goes to `<internal name>.class`.
 *
 * Every method longer than `--max-size` (default 8000, as `split`) is split as it
 * is assembled: the method never has to fit a class file first, so a compiler's
 * 200 KB method in text comes out as legal classes, with the mapping written next
 * to the output (`<output>.mapping`, only when something was split). A method that
 * cannot be split is reported and kept whole, and a class that is then over the
 * JVM's limit is an error. `--no-split` writes every class as assembled.
 *
 * A file that fails to assemble is reported with its line and skipped; the classes
 * of the other files are still written. All classes of one call are split together,
 * so they may refer to each other in frame merges.
 */
import { readFile } from "node:fs/promises";
import { writeFileAtomic } from "../bundle/atomic.js";
import { type BundleEntry, newEntry } from "../bundle/bundle.js";
import { writeBundle } from "../bundle/write.js";
import type { ClassFile } from "../classfile/model.js";
import { writeClass } from "../classfile/write.js";
import { asDiagnostic, ErrorCodes, MegasplitError } from "../diagnostics.js";
import { splitClasses } from "../api/split.js";
import { assemble } from "../text/assemble.js";
import type { Reporter } from "./report.js";

export interface AsmCommandOptions {
  output: string;
  /** Largest method written; longer ones are split (default 8000). */
  maxSize?: number;
  /** false with --no-split: write the classes as assembled. */
  split?: boolean;
}

export async function asmCommand(files: string[], opts: AsmCommandOptions, r: Reporter): Promise<number> {
  const classes: { file: string; cf: ClassFile }[] = [];
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
      const assembled = assemble(text, { fileName: file });
      for (const cf of assembled) {
        const name = `${cf.constantPool.className(cf.thisClass)}.class`;
        if (names.has(name)) throw new MegasplitError(ErrorCodes.USAGE, `class ${name} is defined twice`, { bundle: file });
        names.add(name);
      }
      for (const cf of assembled) classes.push({ file, cf });
    } catch (e) {
      r.diagnostic(asDiagnostic(e, { bundle: file }));
    }
  }
  const entries: BundleEntry[] = [];
  let mapping: string | undefined;
  if (opts.split === false) {
    for (const { file, cf } of classes) {
      try {
        entries.push(newEntry(`${cf.constantPool.className(cf.thisClass)}.class`, writeClass(cf, { where: { bundle: file } })));
      } catch (e) {
        r.diagnostic(asDiagnostic(e, { bundle: file }));
      }
    }
  } else if (classes.length > 0) {
    const result = await splitClasses(
      classes.map((c) => c.cf),
      { maxSize: opts.maxSize ?? 8000 },
    );
    const fileOf = new Map(classes.map((c) => [c.cf.constantPool.className(c.cf.thisClass), c.file]));
    r.all(result.diagnostics.map((d) => (d.location.className && fileOf.has(d.location.className) ? { ...d, location: { bundle: fileOf.get(d.location.className)!, ...d.location } } : d)));
    for (const c of result.classes) entries.push(newEntry(c.fileName, c.bytes));
    for (const m of result.methods) {
      if (m.result.kind !== "split") continue;
      const s = m.result;
      const largest = Math.max(s.driverLength, ...s.pieces.map((p) => p.codeLength));
      process.stdout.write(`split ${m.className}.${m.method}: ${m.originalLength} bytes -> driver ${s.driverLength} + ${s.pieces.length} pieces (largest ${largest})${m.pieceClass ? `, pieces in ${m.pieceClass}` : ""}\n`);
    }
    if (result.methods.some((m) => m.result.kind === "split")) mapping = result.mapping;
  }
  if (entries.length > 0) {
    const kind = /\.(jar|zip)$/i.test(opts.output) ? "jar" : "directory";
    await writeBundle({ kind, entries }, opts.output, { kind });
    if (mapping !== undefined) await writeFileAtomic(`${opts.output}.mapping`, new TextEncoder().encode(mapping));
  }
  return r.finish();
}
