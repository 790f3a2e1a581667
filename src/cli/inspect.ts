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
import { formatWasmInspection, inspectWasm, isWasmFile, readWasmFile, type WasmInspection } from "./wasm-input.js";

export async function inspectCommand(inputs: string[], opts: { limit: number; json?: boolean }, r: Reporter): Promise<number> {
  const bundles: { name: string; bundle: Bundle }[] = [];
  const modules: WasmInspection[] = [];
  for (const input of inputs) {
    try {
      if (await isWasmFile(input)) {
        modules.push(inspectWasm(input, await readWasmFile(input), opts.limit));
        continue;
      }
      const { bundle, diagnostics } = await readBundle(input);
      r.all(diagnostics);
      bundles.push({ name: input, bundle });
    } catch (e) {
      r.diagnostic(asDiagnostic(e, { bundle: input }));
    }
  }
  if (bundles.length === 0 && modules.length === 0) return r.finish();
  const report = bundles.length > 0 ? inspectBundles(bundles, opts.limit) : undefined;
  if (report) r.all(report.diagnostics);
  if (opts.json) {
    const wasm = modules.length > 0 ? { wasm: modules } : {};
    process.stdout.write(JSON.stringify({ ...report, ...wasm, diagnostics: r.diagnostics }, null, 2) + "\n");
  } else {
    const parts = [...(report ? [formatInspectReport(report)] : []), ...modules.map(formatWasmInspection)];
    process.stdout.write(parts.join("\n\n") + "\n");
  }
  return r.finish();
}
