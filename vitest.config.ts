import { defineConfig } from "vitest/config";

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
  },
});
