/**
 * Splits a built random program in-process with the library, as `megasplit
 * split` does (`splitBundle` over a bundle of its class files, with the internal
 * checker between passes on), at one limit and link mode. Sorts the outcome into
 * what the differential check needs: the classes to run, the methods split, and
 * the refusals with their reasons. An exception out of the splitter is not an
 * outcome: it is the caller's failure to report (an internal error).
 */
import { type Bundle, newEntry } from "../../../src/bundle/bundle.js";
import { decodeBody } from "../../../src/bytecode/decode.js";
import { Op } from "../../../src/bytecode/opcodes.js";
import { codeOf } from "../../../src/classfile/model.js";
import { readClass } from "../../../src/classfile/read.js";
import { splitBundle } from "../../../src/split/split-bundle.js";
import type { SplitLinkMode } from "../../../src/split/split-method.js";
import { LINK_MODE_NAMES } from "../../../passes/link/modes.js";

/** Every link mode, from the registry (passes/link/modes.ts): a new mode is checked without a change here. */
export const LINK_MODES: readonly SplitLinkMode[] = LINK_MODE_NAMES;

export interface SplitOutcome {
  classes: Map<string, Uint8Array>;
  /** Methods cut into pieces. */
  split: number;
  /**
   * Methods that call a piece of theirs and drop the code it returns: a driver
   * calling a case region at the exit into it (region pieces, docs/design/jit-speed.md
   * rule 9), the shape dispatch programs are drawn to reach.
   */
  caseCalls: number;
  /** Per method the splitter refused: its code (`W_REFUSED_…`, undefined if it had none) and reason. */
  refusals: { method: string; code: string | undefined; reason: string }[];
  /** Error diagnostics of the split (a class it could not read or write). */
  errors: string[];
}

export async function splitProgram(classes: ReadonlyMap<string, Uint8Array>, maxSize: number, link: SplitLinkMode): Promise<SplitOutcome> {
  const bundle: Bundle = { kind: "directory", source: "random-program", entries: [...classes].map(([name, data]) => newEntry(`${name}.class`, data)) };
  const result = await splitBundle(bundle, { maxSize, link, name: "random-program", verify: true });
  const out = new Map<string, Uint8Array>();
  for (const e of result.bundle.entries) if (e.name.endsWith(".class")) out.set(e.name.slice(0, -".class".length), e.data);
  return {
    classes: out,
    split: result.reports.filter((r) => r.result.kind === "split").length,
    caseCalls: [...out.values()].reduce((n, bytes) => n + methodsCallingCases(bytes), 0),
    refusals: result.reports.flatMap((r) => (r.result.kind === "refused" ? [{ method: r.method, code: (r.result as { code?: string }).code, reason: r.result.reason }] : [])),
    errors: result.diagnostics.filter((d) => d.severity === "error").map((d) => `${d.code}: ${d.message}`),
  };
}

/** How many methods of a class call a `$split$` method of the class and pop what it returns. */
function methodsCallingCases(bytes: Uint8Array): number {
  const cf = readClass(bytes);
  const pool = cf.constantPool;
  let n = 0;
  for (const m of cf.methods) {
    const code = codeOf(m);
    if (!code) continue;
    const nodes = decodeBody(code, pool).nodes.filter((x) => x.kind !== "label" && x.kind !== "line");
    const calls = nodes.some((x, i) => x.kind === "cp" && x.op === Op.INVOKESTATIC && pool.memberRef(x.index).name.includes("$split$") && nodes[i + 1]?.kind === "simple" && (nodes[i + 1] as { op: number }).op === Op.POP);
    if (calls) n++;
  }
  return n;
}
