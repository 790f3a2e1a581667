/**
 * `megasplit inspect <inputs...> [--limit N] [--json]`: methods above a size,
 * largest first, with class version and JIT/JVM-limit flags, and per-bundle totals.
 */
import { readBundle } from "../bundle/read.js";
import { formatInspectReport, inspectBundles } from "../inspect.js";
import type { Reporter } from "./report.js";

export async function inspectCommand(inputs: string[], opts: { limit: number; json?: boolean }, r: Reporter): Promise<number> {
  const bundles = [];
  for (const input of inputs) {
    const { bundle, diagnostics } = await readBundle(input);
    r.all(diagnostics);
    bundles.push({ name: input, bundle });
  }
  const report = inspectBundles(bundles, opts.limit);
  r.all(report.diagnostics);
  process.stdout.write((opts.json ? JSON.stringify(report, null, 2) : formatInspectReport(report)) + "\n");
  return r.finish();
}
