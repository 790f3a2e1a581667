/**
 * A refused method as the user sees it: a warning whose code names the reason
 * (docs/errors.md lists them) and, for `--json`, a structured payload: the code,
 * the reason in words, the pc when one instruction is to blame, and any numbers
 * the refusal rests on (for final-field writes, the lower bound it proves).
 */
import { type Diagnostic, warning } from "../diagnostics.js";
import type { BundleMethodReport } from "../split/split-bundle.js";
import type { Refusal } from "../split/refusal.js";

export type RefusalPayload = Omit<Refusal, "kind">;

export function refusalOf(rep: BundleMethodReport): RefusalPayload {
  const r = rep.result;
  if (r.kind !== "refused") throw new Error("refusalOf: not a refusal");
  const { kind: _kind, ...rest } = r;
  return rest;
}

export function refusalDiagnostic(rep: BundleMethodReport, bundle: string): Diagnostic {
  const p = refusalOf(rep);
  return warning(p.code, `left unchanged (${rep.originalLength} bytes): ${p.reason}`, {
    bundle,
    entry: rep.entry,
    className: rep.className,
    method: rep.method,
    ...(p.pc !== undefined ? { pc: p.pc } : {}),
  });
}
