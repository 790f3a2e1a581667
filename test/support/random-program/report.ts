/**
 * Text for the outcome of a differential run (test and soak print the same):
 * the headline `N programs, M mismatches` (every failing variant counts: a
 * different output, a class that does not verify, a crash, a hang, an internal
 * error dressed as a refusal), variants and splits, and the refusals by reason.
 */
import type { CheckStats } from "./differential.js";

export function headline(s: CheckStats): string {
  return `${s.programs} programs, ${s.failures.length} mismatches`;
}

export function summary(s: CheckStats): string {
  const kinds = new Map<string, number>();
  for (const f of s.failures) kinds.set(f.kind, (kinds.get(f.kind) ?? 0) + 1);
  const lines = [
    headline(s) + (kinds.size ? ` (${[...kinds].map(([k, n]) => `${k}: ${n}`).join(", ")})` : ""),
    `${s.variants} variants (program x limit x mode), ${s.variantsSplit} with a method split (${s.splitMethods} methods split), ${s.variantsCaseCalls} calling case pieces at their exits, ${(s.bytes / 1024).toFixed(0)} KB of classes`,
    `refusals (${Object.values(s.refusals).reduce((a, b) => a + b, 0)}), by code and reason:`,
    ...Object.entries(s.refusals)
      .sort((a, b) => b[1] - a[1])
      .map(([k, n]) => `  ${String(n).padStart(6)}  ${k}`),
  ];
  for (const f of s.failures.slice(0, 20)) lines.push(`FAIL seed ${f.seed}${f.tag ?? ""} ${f.mode ?? ""} ${f.limit ?? ""} ${f.kind}: ${f.detail.split("\n").slice(0, 4).join(" | ")}`);
  return lines.join("\n");
}
