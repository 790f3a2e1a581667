/**
 * bench/jit-unlock's generated interpreter (`generate.mjs`) compiled by javac for a
 * test, and what the unsplit class prints for each step count: the oracle the split
 * classes are run against.
 */
import { execFileSync } from "node:child_process";
import { join } from "node:path";
import { expect } from "vitest";
import { compileJava, runJava, type RunResult } from "./hard-case.js";

/** Writes `Interp` with `cases` cases of `weight` into `work`/src, compiles it to `work`/classes and runs it once per step count. */
export function generatedInterpreter(work: string, cases: number, weight: "light" | "heavy", stepCounts: readonly string[]): { classes: string; expected: RunResult[] } {
  const src = join(work, "src");
  const classes = join(work, "classes");
  execFileSync(process.execPath, ["bench/jit-unlock/generate.mjs", src, String(cases), "--weight", weight, "--steps", "1000"], { stdio: "ignore" });
  compileJava([join(src, "Interp.java")], classes);
  const expected = stepCounts.map((steps) => {
    const r = runJava(classes, "Interp", { args: [steps] });
    expect(r.status).toBe(0);
    expect(r.stdout).toMatch(/checksum/);
    return r;
  });
  return { classes, expected };
}
