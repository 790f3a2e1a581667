/**
 * The two corpus round trips of the foundation:
 * (a) read then write, unchanged: the bytes must be identical;
 * (b) every method forced through decode -> encode, written, read back: the
 *     canonical dump must equal the original's (constant-pool order and the
 *     ldc/ldc_w, goto/goto_w choices are normalised away by the dump).
 * Returns counts and the first mismatches with a diff excerpt, so a failing corpus
 * test says which class and where.
 */
import { readFileSync } from "node:fs";
import { isClassEntry } from "../../src/bundle/bundle.js";
import { readBundle } from "../../src/bundle/read.js";
import { reencodeClass } from "../../src/bytecode/reencode-class.js";
import { readClass } from "../../src/classfile/read.js";
import { writeClass } from "../../src/classfile/write.js";
import { canonicalDump } from "./canonical.js";

export interface NamedClass {
  name: string;
  bytes: Uint8Array;
}

export interface RoundTripResult {
  classes: number;
  methodsReencoded: number;
  identical: number;
  canonicalEqual: number;
  /** Byte-identical after the forced re-encode too (informative). */
  reencodedIdentical: number;
  mismatches: string[];
}

export async function jarClasses(path: string): Promise<NamedClass[]> {
  const { bundle, diagnostics } = await readBundle(path);
  if (diagnostics.some((d) => d.severity === "error")) throw new Error(`reading ${path}: ${JSON.stringify(diagnostics)}`);
  return bundle.entries.filter(isClassEntry).map((e) => ({ name: e.name, bytes: e.data }));
}

export function fileClasses(paths: string[], root: string): NamedClass[] {
  return paths.map((p) => ({ name: p.slice(root.length + 1), bytes: new Uint8Array(readFileSync(p)) }));
}

function firstDifference(a: string, b: string): string {
  const la = a.split("\n");
  const lb = b.split("\n");
  for (let i = 0; i < Math.max(la.length, lb.length); i++) {
    if (la[i] !== lb[i]) return `line ${i + 1}: expected ${JSON.stringify(la[i])}, got ${JSON.stringify(lb[i])}`;
  }
  return "no line differs";
}

export function roundTripClasses(classes: readonly NamedClass[]): RoundTripResult {
  const r: RoundTripResult = { classes: 0, methodsReencoded: 0, identical: 0, canonicalEqual: 0, reencodedIdentical: 0, mismatches: [] };
  for (const { name, bytes } of classes) {
    r.classes++;
    const cf = readClass(bytes, { where: { entry: name } });
    const same = writeClass(cf);
    if (Buffer.compare(same, bytes) === 0) r.identical++;
    else if (r.mismatches.length < 20) r.mismatches.push(`${name}: unchanged write is not byte-identical`);

    const reencoded = writeClass(reencodeClass(cf, { entry: name }));
    r.methodsReencoded += cf.methods.filter((m) => m.attributes.some((a) => a.kind === "Code")).length;
    if (Buffer.compare(reencoded, bytes) === 0) r.reencodedIdentical++;
    const expected = canonicalDump(cf);
    const actual = canonicalDump(readClass(reencoded, { where: { entry: name } }));
    if (expected === actual) r.canonicalEqual++;
    else if (r.mismatches.length < 20) r.mismatches.push(`${name}: re-encoded class differs, ${firstDifference(expected, actual)}`);
  }
  return r;
}

export function describeResult(label: string, r: RoundTripResult): string {
  return (
    `${label}: ${r.classes} classes, ${r.identical} byte-identical unchanged, ` +
    `${r.canonicalEqual} canonically equal after re-encoding ${r.methodsReencoded} methods ` +
    `(${r.reencodedIdentical} even byte-identical)`
  );
}
