/**
 * Cut quality recorded once (src/split/cut-quality.ts): the outline search's
 * replay of a body records where another piece may enter it, and the splitter's
 * first cut of that body with those frames takes the recorded quality instead of
 * replaying every block again; the recorded quality equals the one a replay of a
 * fresh frame analysis computes. The method holds a monitor around a `new` whose
 * object is uninitialized while its argument is pushed: nodes of every kind.
 */
import { describe, expect, it } from "vitest";
import { assemble } from "../src/text/assemble.js";
import { codeOf } from "../src/classfile/model.js";
import { decodeBody } from "../src/bytecode/decode.js";
import { methodContext } from "../passes/pass.js";
import { inferFrames } from "../passes/frames.js";
import { cutQuality, recordedCutQuality } from "../src/split/cut-quality.js";
import { outlineLargestRegion } from "../src/split/regions.js";

const CLASS = `.class public T
.super java/lang/Object
.method public static m(Ljava/lang/Object;)V
    .limit stack 4
    .limit locals 3
    .catch all from L0 to L1 using L2
    aload_0
    dup
    astore_1
    monitorenter
L0:
    new java/lang/StringBuilder
    dup
    ldc "x"
    invokespecial java/lang/StringBuilder/<init>(Ljava/lang/String;)V
    astore_2
    aload_1
    monitorexit
L1:
    goto L3
L2:
    astore_2
    aload_1
    monitorexit
    aload_2
    athrow
L3:
    return
.end method
`;

function method() {
  const cf = assemble(CLASS)[0]!;
  const m = cf.methods[0]!;
  const body = decodeBody(codeOf(m)!, cf.constantPool);
  return { cf, m, body, ctx: methodContext(cf, m) };
}

describe("cut quality recorded once", () => {
  it("is recorded by the outline search's replay and equals a replay of fresh frames", () => {
    const { cf, m, body, ctx } = method();
    const frames = inferFrames(body, ctx);
    expect(recordedCutQuality(body, frames)).toBeUndefined();
    // A limit far above the method: no region to outline, the replay still runs.
    expect(outlineLargestRegion(cf, m, body, ctx, 8000, "m", new Set(), undefined, frames)).toBeUndefined();
    const recorded = recordedCutQuality(body, frames);
    expect(recorded).toBeDefined();
    // The cut takes the recorded object, not a replay of its own.
    expect(cutQuality(body, frames)).toBe(recorded);
    const fresh = cutQuality(body, inferFrames(body, ctx));
    expect(fresh).not.toBe(recorded);
    expect(recorded).toEqual(fresh);
    // Worked out by hand from JVMS 2.11.10 and 4.10.1.9, node by node (labels are 0, 0):
    // aload_0 dup astore_1 monitorenter | L0 | new dup ldc invokespecial astore_2 aload_1
    // monitorexit | L1 | goto | L2 | astore_2 aload_1 monitorexit aload_2 athrow | L3 | return.
    // Enterable until the monitor is taken and again once it is released on either path;
    // the handler holds it until its monitorexit; heights as the operand stack has them.
    expect(Array.from(recorded!.enterable)).toEqual([1, 1, 1, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1, 0, 0, 0, 0, 1, 1, 0, 1]);
    expect(Array.from(recorded!.stackHeight)).toEqual([0, 1, 2, 1, 0, 0, 1, 2, 3, 1, 0, 1, 0, 0, 0, 1, 0, 1, 0, 1, 0, 0]);
  });

  it("is recorded for the body it was computed on only", () => {
    const { body, ctx } = method();
    const frames = inferFrames(body, ctx);
    const q = cutQuality(body, frames);
    expect(cutQuality(body, frames)).toBe(q);
    const copy = { ...body, nodes: body.nodes.slice() };
    expect(recordedCutQuality(copy, frames)).toBeUndefined();
  });
});
