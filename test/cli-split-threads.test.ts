/**
 * The CLI's default number of split threads: one per two cores, at least one
 * (`src/cli/split-threads.ts`).
 */
import { describe, expect, it } from "vitest";
import { defaultSplitThreads } from "../src/cli/split-threads.js";

describe("defaultSplitThreads", () => {
  it("is one per two cores, at least one", () => {
    expect([1, 2, 3, 4, 8, 16].map((cores) => defaultSplitThreads(cores))).toEqual([1, 1, 1, 2, 4, 8]);
  });
});
