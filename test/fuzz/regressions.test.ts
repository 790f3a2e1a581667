/**
 * Inputs the fuzzers found that once hung or crashed megasplit, kept as plain
 * tests: each must now end promptly with a coded diagnostic.
 */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { assemble } from "../../src/text/assemble.js";
import { errorOf } from "../support/expect-error.js";

describe("fuzz regressions", () => {
  it("asm: a loop that pushes one more value on every turn (no .limit stack) is E_FRAME, not an endless max_stack walk", () => {
    // test/filetests/stackmap/old-class.j with one `iload_2` duplicated inside the loop.
    const text = readFileSync(join(import.meta.dirname, "..", "filetests", "stackmap", "old-class.j"), "utf8").replace("    iload_2\n    iaload\n", "    iload_2\n    iload_2\n    iaload\n");
    expect(text).not.toBe(readFileSync(join(import.meta.dirname, "..", "filetests", "stackmap", "old-class.j"), "utf8"));
    const e = errorOf(() => assemble(text, { fileName: "old-class.j" }));
    expect(e.code).toBe("E_FRAME");
    expect(e.diagnostic.location).toMatchObject({ className: "Old", method: "sum([I)I" });
    expect(e.diagnostic.message).toContain("grows on every turn of a loop");
  });
});
