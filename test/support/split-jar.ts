/**
 * Test helper: split a jar with the library (as `megasplit split` does) into a
 * temporary file, and summarise what happened.
 */
import { join } from "node:path";
import { readBundle } from "../../src/bundle/read.js";
import { writeBundle } from "../../src/bundle/write.js";
import { type ClassFile, codeOf } from "../../src/classfile/model.js";
import { readClass } from "../../src/classfile/read.js";
import { splitBundle, type BundleSplit } from "../../src/split/split-bundle.js";
import type { MethodReport } from "../../src/split/split-class.js";
import type { SplitLinkMode } from "../../src/split/split-method.js";
import { running } from "./program-run.js";

export interface SplitJarResult {
  path: string;
  split: number;
  refused: number;
  pieces: number;
  result: BundleSplit;
}

export function splitJar(input: string, dir: string, name: string, opts: { maxSize: number; link: SplitLinkMode; classpath?: string[] }): Promise<SplitJarResult> {
  // Registered, so that a test file's work directory outlives a split a timed-out test left writing into it.
  return running(splitAndWrite(input, dir, name, opts));
}

async function splitAndWrite(input: string, dir: string, name: string, opts: { maxSize: number; link: SplitLinkMode; classpath?: string[] }): Promise<SplitJarResult> {
  const { bundle } = await readBundle(input);
  const result = await splitBundle(bundle, { maxSize: opts.maxSize, link: opts.link, ...(opts.classpath ? { classpath: opts.classpath } : {}), name: input, verify: true });
  const path = join(dir, name);
  await writeBundle(result.bundle, path, { kind: "jar" });
  const split = result.reports.filter((r) => r.result.kind === "split");
  return { path, split: split.length, refused: result.reports.length - split.length, pieces: split.reduce((n, r) => n + (r.result.kind === "split" ? r.result.pieces.length : 0), 0), result };
}

/** Class `name` (internal) of the split bundle, read. */
export function classIn(split: SplitJarResult, name: string): ClassFile {
  const entry = split.result.bundle.entries.find((e) => e.name === `${name}.class`);
  if (!entry) throw new Error(`${name}.class not in the split bundle`);
  return readClass(entry.data);
}

/** The split report of `className.method` (method = name + descriptor); throws, with the refusal's reason, unless it was split. */
export function splitReportOf(split: SplitJarResult, className: string, method: string): Extract<MethodReport["result"], { kind: "split" }> {
  const report = split.result.reports.find((r) => r.className === className && r.method === method);
  if (report?.result.kind !== "split") throw new Error(`${className}.${method} was not split: ${report?.result.kind === "refused" ? report.result.reason : "not considered"}`);
  return report.result;
}

export function refusalLines(r: SplitJarResult): string[] {
  return r.result.reports.flatMap((x) => (x.result.kind === "refused" ? [`${x.className}.${x.method}: ${x.result.reason}`] : []));
}

/**
 * Names of the methods of `className` in the split bundle whose own code carries
 * `line` (from their LineNumberTables): where that source line's code went. (The
 * mapping cannot tell: every piece there maps the method's whole span of lines.)
 */
export function methodsAtLine(split: SplitJarResult, className: string, line: number): string[] {
  const cf = classIn(split, className);
  const out: string[] = [];
  for (const m of cf.methods) {
    const code = codeOf(m);
    if (!code) continue;
    const lines = code.attributes.flatMap((a) => (a.kind === "LineNumberTable" ? a.entries.map((e) => e.line) : []));
    if (lines.includes(line)) out.push(cf.constantPool.utf8(m.nameIndex));
  }
  return out;
}
