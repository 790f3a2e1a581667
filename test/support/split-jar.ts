/**
 * Test helper: split a jar with the library (as `megasplit split` does) into a
 * temporary file, and summarise what happened.
 */
import { join } from "node:path";
import { readBundle } from "../../src/bundle/read.js";
import { writeBundle } from "../../src/bundle/write.js";
import { splitBundle, type BundleSplit } from "../../src/split/split-bundle.js";
import type { SplitLinkMode } from "../../src/split/split-method.js";

export interface SplitJarResult {
  path: string;
  split: number;
  refused: number;
  pieces: number;
  result: BundleSplit;
}

export async function splitJar(input: string, dir: string, name: string, opts: { maxSize: number; link: SplitLinkMode; classpath?: string[] }): Promise<SplitJarResult> {
  const { bundle } = await readBundle(input);
  const result = await splitBundle(bundle, { maxSize: opts.maxSize, link: opts.link, ...(opts.classpath ? { classpath: opts.classpath } : {}), name: input, verify: true });
  const path = join(dir, name);
  await writeBundle(result.bundle, path, { kind: "jar" });
  const split = result.reports.filter((r) => r.result.kind === "split");
  return { path, split: split.length, refused: result.reports.length - split.length, pieces: split.reduce((n, r) => n + (r.result.kind === "split" ? r.result.pieces.length : 0), 0), result };
}

export function refusalLines(r: SplitJarResult): string[] {
  return r.result.reports.flatMap((x) => (x.result.kind === "refused" ? [`${x.className}.${x.method}: ${x.result.reason}`] : []));
}
