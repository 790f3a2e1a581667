/**
 * How many cases each fuzz file runs, and the seed. The counts are the suite's
 * budget (at least 100,000 cases in all, within about two minutes on two cores):
 * cheap in-process properties take the bulk, whole-CLI runs are few. Every file
 * counts the cases it really ran and checks the count against its row here, so the
 * printed total is what ran, not what was planned.
 *
 * `FUZZ_SEED=<n>` replays or varies a run (fast-check prints the seed and the
 * shrunk counterexample of a failure); `FUZZ_SCALE=<x>` multiplies every count
 * (a longer soak: `FUZZ_SCALE=20 npx vitest run test/fuzz`).
 */
export const FUZZ_BUDGET = {
  "class bytes: read, measure, decode, disassemble, write": 52_000,
  "class bytes: split at small limits": 600,
  "jar bytes: read": 16_000,
  "directories with symlinks: read": 300,
  "jasmin text: assemble and write": 14_000,
  "mapping text: read": 12_000,
  "stack traces: retrace": 6_000,
  "whole CLI runs": 12,
} as const;

export type FuzzTarget = keyof typeof FUZZ_BUDGET;

export const FUZZ_SEED = process.env.FUZZ_SEED !== undefined ? Number(process.env.FUZZ_SEED) : 20261202;
const SCALE = process.env.FUZZ_SCALE !== undefined ? Number(process.env.FUZZ_SCALE) : 1;

/** The number of cases to run for `target`. */
export function runsFor(target: FuzzTarget): number {
  return Math.max(1, Math.round(FUZZ_BUDGET[target] * SCALE));
}

/** Prints what ran, in one greppable line per target. */
export function reportRuns(target: FuzzTarget, ran: number, note = ""): void {
  process.stdout.write(`fuzz: ${ran} cases of ${target} (seed ${FUZZ_SEED})${note ? `, ${note}` : ""}, 0 failures\n`);
}
