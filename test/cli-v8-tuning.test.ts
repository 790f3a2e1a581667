/**
 * The CLI's V8 tuning (`src/cli/v8-tuning.ts`): applied by default, left out when
 * `MEGASPLIT_V8_DEFAULTS=1` (the flags it would set are caught, so this process's
 * V8 is not changed), and the flag it sets is one this Node's V8 knows (node
 * refuses an unknown V8 flag on its command line; `setFlagsFromString` would
 * ignore it silently, and the tuning would quietly do nothing).
 */
import { spawnSync } from "node:child_process";
import { describe, expect, it } from "vitest";
import { tuneV8ForCli } from "../src/cli/v8-tuning.js";

describe("tuneV8ForCli", () => {
  it("leaves V8 alone when MEGASPLIT_V8_DEFAULTS=1, sets the inlining budget otherwise", () => {
    const set: string[] = [];
    expect(tuneV8ForCli({ MEGASPLIT_V8_DEFAULTS: "1" }, (f) => set.push(f))).toBe(false);
    expect(set).toEqual([]);
    expect(tuneV8ForCli({ MEGASPLIT_V8_DEFAULTS: "0" }, (f) => set.push(f))).toBe(true);
    expect(set).toEqual(["--max-inlined-bytecode-size-cumulative=230"]);
  });

  it("names a flag this V8 knows", () => {
    // setFlagsFromString ignores an unknown flag silently; node itself refuses one on its command line.
    const r = spawnSync(process.execPath, ["--max-inlined-bytecode-size-cumulative=230", "-e", "0"], { encoding: "utf8" });
    expect(r.stderr).toBe("");
    expect(r.status).toBe(0);
    const bad = spawnSync(process.execPath, ["--max-inlined-bytecode-size-cumulativ=230", "-e", "0"], { encoding: "utf8" });
    expect(bad.status).not.toBe(0);
  });
});
