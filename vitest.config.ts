import { BaseSequencer, type TestSpecification } from "vitest/node";
import { defineConfig } from "vitest/config";

/**
 * The longest files first, so that the two workers finish together: on a clean
 * clone (CI) vitest has no durations cached and would start them in any order, and
 * a 7-minute file started last leaves one core idle for minutes. The list is the
 * measured order (full run, 2026-12-03: split-corpus 423 s, random-programs 373 s,
 * wasm-split-real 188 s, split-rhino 154 s, split-run-programs 119 s, corpus-frames
 * 81 s, cli-table 74 s, split-javac 69 s); every other file keeps vitest's order.
 */
const LONGEST_FIRST = [
  "split-corpus",
  "random-programs",
  "wasm-split-real",
  "split-rhino",
  "split-run-programs",
  "corpus-frames",
  "cli-table",
  "split-javac",
  "wasm-split-indirect-root",
];

class LongestFirst extends BaseSequencer {
  override async sort(files: TestSpecification[]): Promise<TestSpecification[]> {
    const rank = (f: TestSpecification) => {
      const i = LONGEST_FIRST.findIndex((name) => f.moduleId.endsWith(`/${name}.test.ts`));
      return i < 0 ? LONGEST_FIRST.length : i;
    };
    const sorted = await super.sort(files);
    return sorted.map((f, i) => ({ f, i })).sort((a, b) => rank(a.f) - rank(b.f) || a.i - b.i).map((x) => x.f);
  }
}

// Corpus tests read tens of thousands of classes and start JVMs: generous timeouts,
// and at most two workers because CI machines have two cores. Every body a splitter
// transform produces is verified right after it (passes/verify-transform.ts).
export default defineConfig({
  test: {
    include: ["test/**/*.test.ts"],
    testTimeout: 600_000,
    hookTimeout: 600_000,
    pool: "forks",
    maxWorkers: 2,
    env: { MEGASPLIT_VERIFY_PASSES: "1" },
    sequence: { sequencer: LongestFirst },
  },
});
