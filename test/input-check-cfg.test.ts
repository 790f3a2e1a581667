/**
 * One CFG for the splitter's input check and its passes' frame analysis
 * (src/split/split-method.ts `checkInputFrames`, passes/method-analyses.ts): a
 * body with declared frames is checked on its own CFG with the frame nodes left
 * unused, and the passes' analysis with the declared frames takes that CFG
 * instead of building it again; its frames are those of an analysis that builds
 * its own. Inconsistent code is still reported with the nodes numbered without
 * the frame nodes, as before the CFG was shared (the check infers it again
 * without them to say where).
 */
import { describe, expect, it } from "vitest";
import { assemble } from "../src/text/assemble.js";
import { codeOf } from "../src/classfile/model.js";
import { decodeBody } from "../src/bytecode/decode.js";
import { buildCfg } from "../passes/cfg.js";
import { inferFrames } from "../passes/frames.js";
import { MethodAnalyses } from "../passes/method-analyses.js";
import { methodContext } from "../passes/pass.js";
import { withoutFrames } from "../passes/stackmap.js";
import { splitMethod } from "../src/split/split-method.js";

/** `f(Z)I` with a declared frame at the join; `bad`: the paths reach it with stacks of different heights. */
function framed(bad: boolean) {
  const cf = assemble(`.class public T
.super java/lang/Object
.method public static f(Z)I
    .limit stack 2
    .limit locals 1
    iload_0
    ifeq L0
    ${bad ? "iconst_1" : "nop"}
L0:
    .stack same
    iconst_2
    ireturn
.end method
`)[0]!;
  const method = cf.methods[0]!;
  return { cf, method, body: decodeBody(codeOf(method)!, cf.constantPool), ctx: methodContext(cf, method) };
}

describe("one CFG for the input check and the passes", () => {
  it("gives the passes' frame analysis the checked CFG, with the frames of an analysis of its own", () => {
    const { body, ctx } = framed(false);
    expect(body.nodes.some((n) => n.kind === "frame")).toBe(true);
    const { cfg } = buildCfg(body, ctx.where);
    expect(inferFrames(body, ctx, { useDeclaredFrames: false, cfg }).errors).toEqual([]);
    const shared = new MethodAnalyses(ctx, body, { cfg });
    expect(shared.frames.cfg).toBe(cfg);
    const own = inferFrames(body, ctx);
    expect(own.cfg).not.toBe(cfg);
    expect(shared.frames.entry).toEqual(own.entry);
    expect(shared.frames.declared).toEqual(own.declared);
    expect([shared.frames.maxStack, shared.frames.maxLocals]).toEqual([own.maxStack, own.maxLocals]);
  });

  it("reports inconsistent code with the nodes numbered without the frame nodes", () => {
    const { cf, body, ctx } = framed(true);
    const before = inferFrames(withoutFrames(body), ctx).errors[0]!.message;
    // The frame node before the join's instruction shifts it by one in the framed body.
    expect(inferFrames(body, ctx, { useDeclaredFrames: false }).errors[0]!.message).not.toBe(before);
    const r = splitMethod(cf, 0, { maxSize: 64, link: "auto" }, new Set());
    expect(r.kind).not.toBe("split");
    if (r.kind !== "split") expect(r.reason).toBe(`E_FRAME: the method's code is inconsistent, so it cannot be split: ${before}`);
  });
});
