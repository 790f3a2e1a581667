/**
 * `megasplit inspect <inputs...> [--limit N] [--json]`: methods above a size,
 * largest first, with class version and JIT/JVM-limit flags, and per-bundle totals.
 * An input that cannot be read at all is reported and skipped; the others are
 * still inspected, and nothing is printed when none could be read. `--json`
 * carries every diagnostic, those of unreadable inputs included.
 */
import type { Bundle } from "../bundle/bundle.js";
import { readBundle } from "../bundle/read.js";
import { asDiagnostic } from "../diagnostics.js";
import { formatInspectReport, inspectBundles } from "../inspect.js";
import type { Reporter } from "./report.js";

export async function inspectCommand(inputs: string[], opts: { limit: number; json?: boolean }, r: Reporter): Promise<number> {
  const bundles: { name: string; bundle: Bundle }[] = [];
  for (const input of inputs) {
    try {
      const { bundle, diagnostics } = await readBundle(input);
      r.all(diagnostics);
      bundles.push({ name: input, bundle });
    } catch (e) {
      r.diagnostic(asDiagnostic(e, { bundle: input }));
    }
  }
  if (bundles.length === 0) return r.finish();
  const report = inspectBundles(bundles, opts.limit);
  r.all(report.diagnostics);
  process.stdout.write((opts.json ? JSON.stringify({ ...report, diagnostics: r.diagnostics }, null, 2) : formatInspectReport(report)) + "\n");
  return r.finish();
}
