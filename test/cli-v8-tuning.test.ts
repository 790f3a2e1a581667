/**
 * The CLI's V8 tuning (`src/cli/v8-tuning.ts`): applied by default, left out when
 * `MEGASPLIT_V8_DEFAULTS=1`.
 */
import { describe, expect, it } from "vitest";
import { tuneV8ForCli } from "../src/cli/v8-tuning.js";

describe("tuneV8ForCli", () => {
  it("leaves V8 alone when MEGASPLIT_V8_DEFAULTS=1, applies its setting otherwise", () => {
    expect(tuneV8ForCli({ MEGASPLIT_V8_DEFAULTS: "1" })).toBe(false);
    expect(tuneV8ForCli({})).toBe(true);
  });
});
