/**
 * `inspect`: the first thing a user runs. Lists every method whose bytecode is longer
 * than a limit, largest first, with its class version and whether it is over
 * HotSpot's JIT limit (8,000 bytes, `HugeMethodLimit`) or the JVM's hard limit
 * (65,535 bytes, JVMS 4.7.3), and per-bundle totals.
 *
 * Only class headers, the constant pool and Code attribute lengths are read; no
 * bytecode is decoded, so a whole JDK module is inspected in a second or two.
 * A class that cannot be read becomes a diagnostic; the rest of the bundle is
 * still inspected.
 */
import { type Bundle, isClassEntry } from "./bundle/bundle.js";
import { asDiagnostic, type Diagnostic } from "./diagnostics.js";
import { codeOf, type ClassFile } from "./classfile/model.js";
import { readClass } from "./classfile/read.js";

/** HotSpot does not JIT-compile methods over this many bytes (HugeMethodLimit). */
export const JIT_LIMIT = 8000;
/** code_length must be below 65536 (JVMS 4.7.3). */
export const JVM_LIMIT = 65535;

export interface MethodSize {
  bundle: string;
  entry: string;
  className: string;
  /** name + descriptor */
  method: string;
  size: number;
  majorVersion: number;
  minorVersion: number;
  overJitLimit: boolean;
  overJvmLimit: boolean;
}

export interface BundleTotals {
  bundle: string;
  classes: number;
  methodsWithCode: number;
  /** Methods above the requested limit. */
  overLimit: number;
  overJitLimit: number;
  overJvmLimit: number;
  largest: number;
  unreadable: number;
}

export interface InspectReport {
  limit: number;
  methods: MethodSize[];
  totals: BundleTotals[];
  diagnostics: Diagnostic[];
}

/** Method sizes of one class, all of them (the caller filters). */
export function methodSizes(cf: ClassFile, bundle: string, entry: string): MethodSize[] {
  const cp = cf.constantPool;
  const className = cp.className(cf.thisClass);
  const out: MethodSize[] = [];
  for (const m of cf.methods) {
    const code = codeOf(m);
    if (!code) continue;
    const size = code.code.length;
    out.push({
      bundle,
      entry,
      className,
      method: cp.utf8(m.nameIndex) + cp.utf8(m.descriptorIndex),
      size,
      majorVersion: cf.majorVersion,
      minorVersion: cf.minorVersion,
      overJitLimit: size > JIT_LIMIT,
      overJvmLimit: size > JVM_LIMIT,
    });
  }
  return out;
}

/** Inspects bundles already read; `limit` selects the methods listed. */
export function inspectBundles(bundles: readonly { name: string; bundle: Bundle }[], limit = JIT_LIMIT): InspectReport {
  const report: InspectReport = { limit, methods: [], totals: [], diagnostics: [] };
  for (const { name, bundle } of bundles) {
    const t: BundleTotals = { bundle: name, classes: 0, methodsWithCode: 0, overLimit: 0, overJitLimit: 0, overJvmLimit: 0, largest: 0, unreadable: 0 };
    for (const entry of bundle.entries) {
      if (!isClassEntry(entry)) continue;
      let sizes: MethodSize[];
      try {
        sizes = methodSizes(readClass(entry.data, { where: { bundle: name, entry: entry.name }, diagnostics: report.diagnostics }), name, entry.name);
      } catch (e) {
        report.diagnostics.push(asDiagnostic(e, { bundle: name, entry: entry.name }));
        t.unreadable++;
        continue;
      }
      t.classes++;
      for (const s of sizes) {
        t.methodsWithCode++;
        if (s.overJitLimit) t.overJitLimit++;
        if (s.overJvmLimit) t.overJvmLimit++;
        if (s.size > t.largest) t.largest = s.size;
        if (s.size > limit) {
          t.overLimit++;
          report.methods.push(s);
        }
      }
    }
    report.totals.push(t);
  }
  // Largest first; ties broken by name so output is deterministic.
  report.methods.sort(
    (a, b) => b.size - a.size || cmp(a.bundle, b.bundle) || cmp(a.className, b.className) || cmp(a.method, b.method) || cmp(a.entry, b.entry),
  );
  return report;
}

function cmp(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** The human-readable table. */
export function formatInspectReport(r: InspectReport): string {
  const lines: string[] = [];
  const w = Math.max(4, ...r.methods.map((m) => String(m.size).length));
  const many = r.totals.length > 1;
  lines.push(`${count(r.methods.length, "method")} over ${r.limit} bytes`);
  if (r.methods.length > 0) lines.push(`${"size".padStart(w)}  version  method${many ? "  (bundle)" : ""}`);
  for (const m of r.methods) {
    const flags = [m.overJitLimit ? ">8000" : "", m.overJvmLimit ? ">65535" : ""].filter(Boolean).join(" ");
    lines.push(`${String(m.size).padStart(w)}  ${`v${m.majorVersion}`.padEnd(7)}  ${m.className}.${m.method}${flags ? `  [${flags}]` : ""}${many ? `  (${m.bundle})` : ""}`);
  }
  for (const t of r.totals) {
    lines.push(
      `${t.bundle}: ${count(t.classes, "class", "classes")}, ${count(t.methodsWithCode, "method")} with code, ` +
        (r.limit !== JIT_LIMIT && r.limit !== JVM_LIMIT ? `${t.overLimit} over ${r.limit}, ` : "") +
        `${t.overJitLimit} over 8000, ${t.overJvmLimit} over 65535, largest ${t.largest}` +
        (t.unreadable ? `, ${t.unreadable} unreadable` : ""),
    );
  }
  return lines.join("\n");
}

function count(n: number, one: string, many = `${one}s`): string {
  return `${n} ${n === 1 ? one : many}`;
}
