/**
 * The control-flow graph: blocks split at try-range boundaries, exception edges in
 * exception-table order, reachability and its diagnostics, reverse postorder, and
 * the same invariants on the >1 MB generated method (checked, not timed).
 */
import { describe, expect, it } from "vitest";
import { codeOf } from "../src/classfile/model.js";
import { decodeBody } from "../src/bytecode/decode.js";
import type { MethodBody } from "../src/bytecode/model.js";
import { ErrorCodes } from "../src/diagnostics.js";
import { assemble } from "../src/text/assemble.js";
import { buildCfg, type ControlFlowGraph } from "../passes/cfg.js";
import { generateLongMethod } from "./support/long-method.js";
import { bodyOf } from "./support/method-text.js";


/** Every invariant of a CFG that does not depend on the method (plain checks: this runs on 36,000 blocks). */
function checkInvariants(cfg: ControlFlowGraph): void {
  const n = cfg.blockCount;
  const problems: string[] = [];
  const check = (ok: boolean, what: string) => {
    if (!ok && problems.length < 10) problems.push(what);
  };
  for (let b = 0; b < n; b++) {
    check(cfg.blockStart[b]! <= cfg.blockLastInstruction[b]! && cfg.blockLastInstruction[b]! < cfg.blockEnd[b]!, `block ${b} bounds`);
    if (b + 1 < n) check(cfg.blockEnd[b] === cfg.blockStart[b + 1], `block ${b} end`);
    for (const s of cfg.successors[b]!) check(cfg.predecessors[s]!.includes(b), `edge ${b}->${s} without predecessor`);
    for (const p of cfg.predecessors[b]!) check(cfg.successors[p]!.includes(b), `predecessor ${p} of ${b} without edge`);
    for (const hi of cfg.handlersOf[b]!) check(cfg.exceptionPredecessors[cfg.handlerBlock[hi]!]!.includes(b), `exception edge ${b}->h${hi}`);
  }
  check(cfg.blockEnd[n - 1] === cfg.body.nodes.length, "last block end");
  // RPO: each reachable block exactly once, entry first, and reachability closed under both edge kinds.
  const seen = new Uint8Array(n);
  for (const b of cfg.reversePostorder) {
    check(cfg.reachable[b] === 1 && seen[b] === 0, `rpo block ${b}`);
    seen[b] = 1;
  }
  check(cfg.reversePostorder[0] === 0, "rpo starts at the entry");
  check(cfg.reversePostorder.length === cfg.reachable.reduce((a, r) => a + r, 0), "rpo covers the reachable blocks");
  for (let b = 0; b < n; b++) {
    if (!cfg.reachable[b]) continue;
    for (const s of cfg.successors[b]!) check(cfg.reachable[s] === 1, `successor ${s} of reachable ${b}`);
    for (const hi of cfg.handlersOf[b]!) check(cfg.reachable[cfg.handlerBlock[hi]!] === 1, `handler of reachable ${b}`);
  }
  expect(problems).toEqual([]);
}

describe("buildCfg", () => {
  it("starts blocks at try-range boundaries even in straight-line code", () => {
    const body = bodyOf(`
    .limit stack 2
    .limit locals 1
    .catch java/lang/Exception from L0 to L1 using L2
    iconst_1
    istore_0
L0:
    iconst_2
    istore_0
L1:
    iconst_3
    istore_0
    return
L2:
    pop
    return`);
    const { cfg, diagnostics } = buildCfg(body);
    checkInvariants(cfg);
    expect(diagnostics).toEqual([]);
    expect(cfg.blockCount).toBe(4);
    expect(cfg.successors).toEqual([[1], [2], [], []]);
    expect(cfg.handlersOf).toEqual([[], [0], [], []]);
    expect(Array.from(cfg.handlerBlock)).toEqual([3]);
    expect(cfg.exceptionPredecessors[3]).toEqual([1]);
  });

  it("lists exception edges in exception-table order, not by handler position", () => {
    const body = bodyOf(`
    .limit stack 2
    .limit locals 1
    .catch java/lang/ArithmeticException from L0 to L1 using L3
    .catch java/lang/RuntimeException from L0 to L1 using L2
    .catch all from L0 to L1 using L2
L0:
    iconst_1
    iconst_0
    idiv
    pop
L1:
    return
L2:
    athrow
L3:
    pop
    return`);
    const { cfg } = buildCfg(body);
    checkInvariants(cfg);
    expect(cfg.handlersOf[0]).toEqual([0, 1, 2]);
    expect(cfg.handlersOf[0]!.map((hi) => cfg.handlerBlock[hi])).toEqual([3, 2, 2]);
    // One exception predecessor per (block, handler block), however many entries lead there.
    expect(cfg.exceptionPredecessors[2]).toEqual([0]);
  });

  it("orders switch successors default first, cases in operand order, without duplicates", () => {
    const body = bodyOf(`
    .limit stack 1
    .limit locals 1
    iload_0
    lookupswitch
        1 : L1
        2 : L0
        3 : L1
        default : L2
L0:
    return
L1:
    return
L2:
    return`, "m(I)V");
    const { cfg } = buildCfg(body);
    checkInvariants(cfg);
    expect(cfg.successors[0]).toEqual([3, 2, 1]);
  });

  it("reports unreachable blocks and keeps them, with handlers reached only from dead code", () => {
    const body = bodyOf(`
    .limit stack 1
    .limit locals 1
    .catch all from L0 to L1 using L2
    return
L0:
    nop
    goto L0
L1:
    return
L2:
    athrow`);
    const { cfg, diagnostics } = buildCfg(body, { className: "T", method: "m()V" });
    checkInvariants(cfg);
    expect(Array.from(cfg.reachable)).toEqual([1, 0, 0, 0]);
    expect(Array.from(cfg.reversePostorder)).toEqual([0]);
    expect(diagnostics).toEqual([
      { code: ErrorCodes.UNREACHABLE, severity: "warning", message: "unreachable code: blocks 1..3", location: { className: "T", method: "m()V" } },
    ]);
  });

  it("numbers a loop nest in reverse postorder: every edge but the back edges goes forward", () => {
    // for (i..) { for (j..) {} } with the inner loop's exit before its body in code order.
    const body = bodyOf(`
    .limit stack 2
    .limit locals 2
    iconst_0
    istore_0
L0:
    iload_0
    bipush 10
    if_icmpge L3
    iconst_0
    istore_1
L1:
    iload_1
    bipush 10
    if_icmpge L2
    iinc 1 1
    goto L1
L2:
    iinc 0 1
    goto L0
L3:
    return`);
    const { cfg } = buildCfg(body);
    checkInvariants(cfg);
    const rank = new Int32Array(cfg.blockCount);
    cfg.reversePostorder.forEach((b, i) => (rank[b] = i));
    const backEdges: [number, number][] = [];
    for (let b = 0; b < cfg.blockCount; b++) for (const s of cfg.successors[b]!) if (rank[s]! <= rank[b]!) backEdges.push([b, s]);
    // The two loop heads (L0 = block 1, L1 = block 3) are the only back-edge targets.
    expect(backEdges.map(([, s]) => s).sort()).toEqual([1, 3]);
  });

  it("keeps its invariants on the >1 MB generated method", () => {
    const { body } = generateLongMethod();
    const { cfg } = buildCfg(body);
    expect(cfg.blockCount).toBeGreaterThan(36000);
    checkInvariants(cfg);
    // Handlers of the generator cover blocks b..b+4 and b..b+6 of its numbering.
    expect(cfg.handlersOf.filter((h) => h.length > 0).length).toBeGreaterThan(0);
  });
});

describe("cfg: several leader labels between two instructions", () => {
  it("starts the block at the first of them, so every one maps to the block they lead to", async () => {
    const { assemble } = await import("../src/text/assemble.js");
    const { decodeBody } = await import("../src/bytecode/decode.js");
    const { codeOf } = await import("../src/classfile/model.js");
    const { buildCfg } = await import("../passes/cfg.js");
    const [cf] = assemble(`.class public T
.super java/lang/Object
.method public static f(I)I
  .limit stack 1
  .limit locals 1
  iload_0
  ifeq A
  goto B
A:
B:
  iconst_0
  ireturn
.end method
`);
    const body = decodeBody(codeOf(cf!.methods[0]!)!, cf!.constantPool);
    // Two labels at one offset decode as one; insert a second leader by hand, as a transform may.
    const at = body.nodes.findIndex((n) => n.kind === "label" && body.nodes[body.nodes.indexOf(n) + 1]?.kind === "simple");
    const extra = body.labelCount;
    const nodes = [...body.nodes.slice(0, at + 1), { kind: "label" as const, label: extra }, ...body.nodes.slice(at + 1)];
    const withExtra = { ...body, nodes, labelCount: extra + 1 };
    const { cfg } = buildCfg(withExtra, {}, { extraLeaders: new Set([extra]) });
    const first = (nodes[at] as { label: number }).label;
    expect(cfg.blockOfLabel[first]).toBe(cfg.blockOfLabel[extra]);
    expect(cfg.blockStart[cfg.blockOfLabel[extra]!]).toBe(at);
  });
});
