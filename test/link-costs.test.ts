/**
 * The link cost model (passes/link/costs.ts) must be an upper bound of what the
 * linker writes. Here: the growth of a block's code in a heap-frame piece, whose
 * locals are renumbered past the piece's parameters (JVMS 6.5: one-byte forms
 * exist for slots 0-3 only, `wide` is needed past 255), checked against the code
 * length the assembler writes for the renumbered instructions.
 */
import { describe, expect, it } from "vitest";
import { codeOf } from "../src/classfile/model.js";
import { assemble } from "../src/text/assemble.js";
import { buildCfg } from "../passes/cfg.js";
import { shiftedLocalsExtra } from "../passes/link/costs.js";
import { bodyOf } from "./support/method-text.js";

const PROLOGUE = "    .limit stack 2\n    .limit locals 300\n";

/** The encoded code length of a static method of these instructions and a return. */
function codeLength(text: string): number {
  const cf = assemble(`.class public T\n.super java/lang/Object\n.method public static m()V\n${PROLOGUE}${text}\n    return\n.end method\n`)[0]!;
  return codeOf(cf.methods[0]!)!.code.length;
}

describe("shiftedLocalsExtra (locals renumbered 6 slots up, as in a heap-frame piece)", () => {
  const cases: [string, string, string][] = [
    ["iload_1 -> iload 7", "    iload_1\n    pop", "    iload 7\n    pop"],
    ["lload_2 -> lload 8", "    lload_2\n    pop2", "    lload 8\n    pop2"],
    ["istore 200 -> istore 206", "    iconst_0\n    istore 200", "    iconst_0\n    istore 206"],
    ["aload 252 -> wide aload 258", "    aload 252\n    pop", "    aload 258\n    pop"],
    ["iinc 250 1 -> wide iinc 256 1", "    iinc 250 1", "    iinc 256 1"],
    ["iinc 3 1 -> iinc 9 1 (no growth)", "    iinc 3 1", "    iinc 9 1"],
  ];
  for (const [name, before, after] of cases) {
    it(`prices ${name} as the assembler encodes it`, () => {
      const body = bodyOf(`${PROLOGUE}${before}\n    return`, "m()V");
      const extra = shiftedLocalsExtra(body, buildCfg(body).cfg, 6).reduce((s, x) => s + x, 0);
      expect(extra).toBe(codeLength(after) - codeLength(before));
    });
  }
});
