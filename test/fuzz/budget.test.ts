/**
 * The fuzz budget: at least 100,000 cases in all (issue 11). Each fuzz file checks
 * that it ran exactly its row of FUZZ_BUDGET and prints `fuzz: N cases of ...`;
 * this prints the total.
 */
import { describe, expect, it } from "vitest";
import { FUZZ_BUDGET, runsFor, type FuzzTarget } from "./budget.js";

describe("fuzz budget", () => {
  it("adds up to at least 100,000 cases", () => {
    const total = (Object.keys(FUZZ_BUDGET) as FuzzTarget[]).reduce((s, t) => s + runsFor(t), 0);
    process.stdout.write(`fuzz: ${total} cases in all across ${Object.keys(FUZZ_BUDGET).length} targets (test/fuzz/*.test.ts)\n`);
    expect(total).toBeGreaterThanOrEqual(100_000);
  });
});
