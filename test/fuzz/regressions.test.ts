/**
 * Inputs the fuzzers found that once hung or crashed megasplit, kept as plain
 * tests: each must now end promptly with a coded diagnostic.
 */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { createClassHierarchy } from "../../src/hierarchy/hierarchy.js";
import { splitClass } from "../../src/split/split-class.js";
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

  it("split: a loop that enters a monitor on every turn and never leaves it is split or refused, not an endless monitor-depth analysis", async () => {
    // Found by mutating rhino's NodeTransformer (`istore 11` became `monitorenter; fconst_0`).
    const adds = "    iload_2\n    iload_1\n    iadd\n    istore_2\n".repeat(40);
    const text = `.version 49 0\n.class public MonitorLoop\n.super java/lang/Object\n.method public static f(Ljava/lang/Object;I)I\n    .limit stack 4\n    .limit locals 3\n    iconst_0\n    istore_2\nL0:\n    aload_0\n    monitorenter\n${adds}    iinc 1 -1\n    iload_1\n    ifgt L0\n    iload_2\n    ireturn\n.end method\n.end class\n`;
    const [cf] = assemble(text, { fileName: "MonitorLoop.j" });
    const hierarchy = await createClassHierarchy({});
    try {
      const { reports } = splitClass(cf!, { maxSize: 64, link: "auto", hierarchy, verify: true });
      expect(reports).toHaveLength(1);
      expect(reports[0]!.result.kind).toBe("refused");
    } finally {
      hierarchy.close();
    }
  });
});
