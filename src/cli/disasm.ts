/**
 * `megasplit disasm <input> [--method NAME] [--class NAME] [--pool]`: the text form
 * of every class in a bundle, in bundle order. A class that cannot be read is
 * reported and skipped; the others are still printed.
 */
import { entryClassName, isClassEntry } from "../bundle/bundle.js";
import { readBundle } from "../bundle/read.js";
import { readClass } from "../classfile/read.js";
import { asDiagnostic, ErrorCodes, MegasplitError } from "../diagnostics.js";
import { disassemble } from "../text/disassemble.js";
import type { Reporter } from "./report.js";

export async function disasmCommand(input: string, opts: { method?: string; class?: string; pool?: boolean }, r: Reporter): Promise<number> {
  const { bundle, diagnostics } = await readBundle(input);
  r.all(diagnostics);
  const wanted = opts.class?.replace(/\./g, "/");
  let printed = 0;
  let matched = 0;
  for (const entry of bundle.entries) {
    if (!isClassEntry(entry)) continue;
    if (wanted !== undefined && entryClassName(entry.name) !== wanted) continue;
    matched++;
    try {
      const cf = readClass(entry.data, { where: { bundle: input, entry: entry.name }, diagnostics: [] });
      const text = disassemble(cf, { method: opts.method, constantPool: opts.pool ?? false });
      if (printed > 0) process.stdout.write("\n");
      if (bundle.kind !== "class") process.stdout.write(`; entry ${entry.name}\n`);
      process.stdout.write(text.endsWith("\n") ? text : text + "\n");
      printed++;
    } catch (e) {
      r.diagnostic(asDiagnostic(e, { bundle: input, entry: entry.name }));
    }
  }
  if (matched === 0) {
    throw new MegasplitError(ErrorCodes.USAGE, wanted ? `no class ${wanted} in ${input}` : `no class files in ${input}`, { bundle: input });
  }
  return r.finish("input");
}
