/**
 * The differential check of random programs: each program is built
 * (build.ts), split in-process in each requested link mode at a random limit
 * (log-uniform from 64 bytes up to its longest method, so some limits cut every
 * method and some only the biggest), and then the unsplit program and every
 * split of it run in one JVM batch (runner.ts) under -Xverify:all. A split must
 * link and print exactly what the unsplit program printed.
 *
 * What counts: a program x limit x mode is one variant. A refusal is allowed and
 * counted under its code and reason (numbers blanked, so the same reason
 * groups); a refusal without a code, or one that is a broken invariant in
 * disguise (frames or code the splitter could not handle, on code the JVM
 * verified) is a failure, and so is an exception out of the splitter (an
 * InternalError included) or an error diagnostic. The limits of a program depend only on its seed, so a
 * failure replays from (seed, mode).
 */
import { mkdirSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { codeOf } from "../../../src/classfile/model.js";
import { readClass } from "../../../src/classfile/read.js";
import type { SplitLinkMode } from "../../../src/split/split-method.js";
import { prng } from "../prng.js";
import { buildProgram } from "./build.js";
import type { Program } from "./model.js";
import { runCases, type Case } from "./runner.js";
import { splitProgram } from "./split.js";

export const MIN_LIMIT = 64;

export interface Failure {
  seed: number;
  tag?: string;
  mode?: SplitLinkMode;
  limit?: number;
  kind: "original" | "build" | "crash" | "hang" | "internal refusal" | "mismatch";
  detail: string;
}

export interface CheckStats {
  programs: number;
  variants: number;
  /** Methods cut into pieces, over all variants. */
  splitMethods: number;
  /** Variants in which at least one method was split. */
  variantsSplit: number;
  /** Variants in which a driver calls a case region's piece at its exit (split.ts `caseCalls`). */
  variantsCaseCalls: number;
  /** Refusal reason (numbers blanked) -> count. */
  refusals: Record<string, number>;
  /** Total class-file bytes of the unsplit programs. */
  bytes: number;
  failures: Failure[];
}

export function emptyStats(): CheckStats {
  return { programs: 0, variants: 0, splitMethods: 0, variantsSplit: 0, variantsCaseCalls: 0, refusals: {}, bytes: 0, failures: [] };
}

export function mergeStats(into: CheckStats, s: CheckStats): CheckStats {
  into.programs += s.programs;
  into.variants += s.variants;
  into.splitMethods += s.splitMethods;
  into.variantsSplit += s.variantsSplit;
  into.variantsCaseCalls += s.variantsCaseCalls;
  into.bytes += s.bytes;
  for (const [k, v] of Object.entries(s.refusals)) into.refusals[k] = (into.refusals[k] ?? 0) + v;
  into.failures.push(...s.failures);
  return into;
}

/** The limit for `mode` of the program drawn from `seed`: log-uniform in [64, longest method]. */
export function limitFor(seed: number, mode: SplitLinkMode, longest: number): number {
  const r = prng((seed * 31 + mode.length * 7 + mode.charCodeAt(0)) >>> 0);
  r();
  const top = Math.max(longest, MIN_LIMIT + 1);
  return Math.floor(MIN_LIMIT * Math.pow(top / MIN_LIMIT, r()));
}

function longestMethod(classes: ReadonlyMap<string, Uint8Array>): number {
  let max = 0;
  for (const bytes of classes.values()) for (const m of readClass(bytes).methods) max = Math.max(max, codeOf(m)?.code.length ?? 0);
  return max;
}

/** A refusal's group: its code and its reason with the numbers blanked. */
export function refusalKey(code: string | undefined, reason: string): string {
  return `${code ?? "(no code)"} ${reason.replace(/-?\d+(\.\d+)?/g, "N").replace(/Infinity/g, "N").slice(0, 100)}`;
}

/**
 * Refusals that only a bug gives on code the JVM verified: none without a code,
 * frames the splitter could not compute, code it could not decode or encode.
 */
const INTERNAL_CODES = new Set([undefined, "W_REFUSED_FRAMES", "W_REFUSED_BAD_CODE"]);

function tagOf(x: { tag?: string }): { tag?: string } {
  return x.tag !== undefined ? { tag: x.tag } : {};
}

function writeClasses(dir: string, classes: ReadonlyMap<string, Uint8Array>): void {
  for (const [name, bytes] of classes) {
    const path = join(dir, `${name}.class`);
    mkdirSync(join(path, ".."), { recursive: true });
    writeFileSync(path, bytes);
  }
}

interface Pending {
  seed: number;
  tag?: string;
  original: string;
  variants: { name: string; mode: SplitLinkMode; limit: number }[];
}

/** Splits and runs `programs` (one JVM batch), adding what happened to the stats. */
/** `onSplit` hears of each split before it starts, and of the JVM run (limit -1). */
export async function checkPrograms(programs: readonly Program[], modes: readonly SplitLinkMode[] | ((index: number) => readonly SplitLinkMode[]), workDir: string, onSplit?: (p: Program, mode: SplitLinkMode, limit: number) => void): Promise<CheckStats> {
  const stats = emptyStats();
  const cases: Case[] = [];
  const pending: Pending[] = [];
  rmSync(workDir, { recursive: true, force: true });
  mkdirSync(workDir, { recursive: true });
  for (const [index, p] of programs.entries()) {
    stats.programs++;
    let built;
    try {
      built = await buildProgram(p);
    } catch (e) {
      stats.failures.push({ seed: p.seed, ...tagOf(p), kind: "build", detail: String(e) });
      continue;
    }
    for (const b of built.classes.values()) stats.bytes += b.length;
    const longest = longestMethod(built.classes);
    const id = `${p.seed}${p.tag ?? ""}`;
    const item: Pending = { seed: p.seed, ...tagOf(p), original: `${id}-original`, variants: [] };
    writeClasses(join(workDir, item.original), built.classes);
    cases.push({ name: item.original, dir: join(workDir, item.original) });
    for (const mode of typeof modes === "function" ? modes(index) : modes) {
      const limit = p.limit ?? limitFor(p.seed, mode, longest);
      stats.variants++;
      onSplit?.(p, mode, limit);
      let outcome;
      try {
        outcome = await splitProgram(built.classes, limit, mode);
      } catch (e) {
        stats.failures.push({ seed: p.seed, ...tagOf(p), mode, limit, kind: "crash", detail: e instanceof Error ? (e.stack ?? e.message) : String(e) });
        continue;
      }
      if (outcome.errors.length) {
        stats.failures.push({ seed: p.seed, ...tagOf(p), mode, limit, kind: "crash", detail: outcome.errors.join("\n") });
        continue;
      }
      stats.splitMethods += outcome.split;
      if (outcome.split > 0) stats.variantsSplit++;
      if (outcome.caseCalls > 0) stats.variantsCaseCalls++;
      for (const { method, code, reason } of outcome.refusals) {
        if (INTERNAL_CODES.has(code)) stats.failures.push({ seed: p.seed, ...tagOf(p), mode, limit, kind: "internal refusal", detail: `${method}: ${code ?? "(no code)"}: ${reason}` });
        const key = refusalKey(code, reason);
        stats.refusals[key] = (stats.refusals[key] ?? 0) + 1;
      }
      if (outcome.split === 0) continue;
      const name = `${id}-${mode}-${limit}`;
      writeClasses(join(workDir, name), outcome.classes);
      cases.push({ name, dir: join(workDir, name) });
      item.variants.push({ name, mode, limit });
    }
    pending.push(item);
  }
  if (programs.length) onSplit?.(programs[0]!, "auto", -1);
  const results = await runCases(workDir, cases);
  for (const item of pending) {
    const expected = results.get(item.original) ?? "(no result)";
    if (/^(LINK|TIMEOUT|JVM ENDED|RUNNER)/.test(expected)) {
      stats.failures.push({ seed: item.seed, ...tagOf(item), kind: "original", detail: expected });
      continue;
    }
    for (const v of item.variants) {
      const actual = results.get(v.name) ?? "(no result)";
      if (actual !== expected) stats.failures.push({ seed: item.seed, ...tagOf(item), mode: v.mode, limit: v.limit, kind: "mismatch", detail: `expected ${expected}\n  actual ${actual}` });
    }
  }
  rmSync(workDir, { recursive: true, force: true });
  return stats;
}
