/**
 * Monitor analyses (passes/monitors.ts): the monitors held at each block's entry,
 * with an exception going only to the first handler in table order that catches
 * it (JVMS 2.10), and the structured-locking check the between-pass verifier runs.
 * The methods are written as javac compiles `synchronized` blocks: a catch-all
 * that releases the monitor, covering the body and itself.
 */
import { describe, expect, it } from "vitest";
import type { MethodBody } from "../src/bytecode/model.js";
import { buildCfg } from "../passes/cfg.js";
import { monitorDepth, unheldMonitorExit } from "../passes/monitors.js";
import { bodyOf } from "./support/method-text.js";

/** The depth at the entry of the block holding the n-th instruction (a block's first, in the uses below). */
function depthAt(body: MethodBody, instruction: number): number {
  const { cfg } = buildCfg(body);
  const depth = monitorDepth(cfg);
  let k = -1;
  for (let i = 0; i < body.nodes.length; i++) {
    const kind = body.nodes[i]!.kind;
    if (kind !== "label" && kind !== "line" && kind !== "frame" && ++k === instruction) return depth[cfg.blockOfNode[i]!]!;
  }
  throw new Error(`no instruction ${instruction}`);
}

/** First instructions of the blocks checked below (instructions counted from 0 in NESTED). */
const AT = { L1: 8, L3: 14, L6: 20, L11: 21, L9: 24 };

// synchronized (a) { try { synchronized (b) { work } } catch (Throwable t) { h } after }
const NESTED = `
    .limit stack 2
    .limit locals 6
    .catch all from L1 to L2 using L3
    .catch all from L3 to L4 using L3
    .catch java/lang/Throwable from L0 to L5 using L6
    .catch all from L7 to L8 using L9
    .catch all from L9 to L10 using L9
    aload_0
    dup
    astore_2
    monitorenter
L7:
L0:
    aload_1
    dup
    astore_3
    monitorenter
L1:
    aload_1
    invokevirtual java/lang/Object/hashCode()I
    pop
    aload_3
    monitorexit
L2:
    goto L5
L3:
    astore 4
    aload_3
    monitorexit
L4:
    aload 4
    athrow
L5:
    goto L11
L6:
    astore 5
L11:
    aload_2
    monitorexit
L8:
    return
L9:
    astore 4
    aload_2
    monitorexit
L10:
    aload 4
    athrow`;

describe("monitorDepth", () => {
  it("counts what javac's nested synchronized blocks hold", () => {
    const body = bodyOf(NESTED, "m(Ljava/lang/Object;Ljava/lang/Object;)V");
    expect(depthAt(body, AT.L1)).toBe(2);
    expect(depthAt(body, AT.L3)).toBe(2);
    expect(depthAt(body, AT.L11)).toBe(1);
    expect(depthAt(body, AT.L9)).toBe(1);
  });

  it("gives a try's handler the monitors held outside the inner synchronized block, not inside it", () => {
    // Every exception thrown while b is held goes to b's catch-all (L3), which
    // comes first in the table; the try's handler (L6) runs with only a held.
    // Counting the edge from b's body into L6 gave 2, and so L11's exit of a
    // was taken for an exit of b (random-program soak seed 161893).
    const body = bodyOf(NESTED, "m(Ljava/lang/Object;Ljava/lang/Object;)V");
    expect(depthAt(body, AT.L6)).toBe(1);
  });

  it("still counts an edge into a handler listed before the catch-all", () => {
    const reordered = NESTED.replace(
      "    .catch all from L1 to L2 using L3\n    .catch all from L3 to L4 using L3\n    .catch java/lang/Throwable from L0 to L5 using L6\n",
      "    .catch java/lang/Throwable from L0 to L5 using L6\n    .catch all from L1 to L2 using L3\n    .catch all from L3 to L4 using L3\n",
    );
    expect(reordered).not.toBe(NESTED);
    const body = bodyOf(reordered, "m(Ljava/lang/Object;Ljava/lang/Object;)V");
    expect(depthAt(body, AT.L6)).toBe(2);
  });
});

describe("unheldMonitorExit", () => {
  it("finds none in javac's balanced code", () => {
    const body = bodyOf(NESTED, "m(Ljava/lang/Object;Ljava/lang/Object;)V");
    expect(unheldMonitorExit(buildCfg(body).cfg)).toBe(-1);
  });

  it("finds a monitorexit of a monitor the frame never entered (an outlined region releasing its caller's)", () => {
    const body = bodyOf(
      `
    .limit stack 1
    .limit locals 1
    aload_0
    invokevirtual java/lang/Object/hashCode()I
    pop
    aload_0
    monitorexit
    return`,
      "m(Ljava/lang/Object;)V",
    );
    const at = unheldMonitorExit(buildCfg(body).cfg);
    expect(at).toBeGreaterThanOrEqual(0);
    expect(body.nodes[at]).toMatchObject({ kind: "simple" });
  });
});
