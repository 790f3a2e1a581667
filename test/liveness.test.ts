/**
 * Liveness: reads and writes of one and two slots, iinc, liveness carried through
 * exception edges into protected code, `liveBefore` at every node, and on the
 * >1 MB generated method a check that the result satisfies the dataflow
 * equations, recomputed instruction by instruction by an independent transfer,
 * and that the solver stayed near-linear (counted steps, never wall time).
 */
import { describe, expect, it } from "vitest";
import { codeOf } from "../src/classfile/model.js";
import { decodeBody } from "../src/bytecode/decode.js";
import type { CodeNode, MethodBody } from "../src/bytecode/model.js";
import { OPCODES } from "../src/bytecode/opcodes.js";
import { assemble } from "../src/text/assemble.js";
import { buildCfg } from "../passes/cfg.js";
import { computeLiveness, formatSlots, isLive, liveSlots, type Liveness } from "../passes/liveness.js";
import { methodContext } from "../passes/pass.js";
import { generateLongMethod } from "./support/long-method.js";
import { bodyOf } from "./support/method-text.js";


function liveness(body: MethodBody): Liveness {
  return computeLiveness(body, buildCfg(body).cfg);
}

/** The node index of the n-th instruction (pseudo-nodes skipped). */
function nthInstruction(body: MethodBody, n: number): number {
  let k = -1;
  for (let i = 0; i < body.nodes.length; i++) {
    const kind = body.nodes[i]!.kind;
    if (kind !== "label" && kind !== "line" && kind !== "frame" && ++k === n) return i;
  }
  throw new Error(`no instruction ${n}`);
}

/** An independent reading of the JVMS: which slots an instruction reads and writes. */
function readsWrites(node: CodeNode): { reads: number[]; writes: number[] } {
  if (node.kind === "iinc") return { reads: [node.index], writes: [node.index] };
  if (node.kind !== "local") return { reads: [], writes: [] };
  const m = OPCODES[node.op]!.mnemonic;
  const slots = m[0] === "l" || m[0] === "d" ? [node.index, node.index + 1] : [node.index];
  if (m === "ret" || m.endsWith("load")) return { reads: slots, writes: [] };
  return { reads: [], writes: slots };
}

/** The members of a 0/1 array as "a,b,c". */
function members(flags: Uint8Array): string {
  let s = "";
  for (let x = 0; x < flags.length; x++) if (flags[x]) s += s === "" ? `${x}` : `,${x}`;
  return s;
}

describe("computeLiveness", () => {
  it("reads and writes two slots for long and double, one for the rest", () => {
    const body = bodyOf(`
    .limit stack 4
    .limit locals 6
    lload_0
    dload_2
    pop2
    lstore_3
    iload 5
    pop
    lload_3
    pop2
    return`, "m(JDI)V");
    const l = liveness(body);
    expect(liveSlots(l.liveIn[0]!)).toEqual([0, 1, 2, 3, 5]);
    // Before lstore_3 slot 3-4 is dead: it is written before lload_3 reads it.
    expect(liveSlots(l.liveBefore(nthInstruction(body, 3)))).toEqual([5]);
    expect(liveSlots(l.liveBefore(nthInstruction(body, 6)))).toEqual([3, 4]);
    expect(formatSlots(l.liveBefore(nthInstruction(body, 8)))).toBe("{}");
  });

  it("treats iinc as a read and a write", () => {
    const body = bodyOf(`
    .limit stack 1
    .limit locals 1
    iinc 0 1
    iconst_0
    istore_0
    return`, "m(I)V");
    const l = liveness(body);
    expect(liveSlots(l.liveIn[0]!)).toEqual([0]);
    expect(isLive(l.liveBefore(nthInstruction(body, 1)), 0)).toBe(false);
  });

  it("keeps what a handler reads live across the whole protected range", () => {
    // x (slot 1) is overwritten inside the try; the handler reads it, so it is
    // live before the store and after it, up to the end of the range.
    const body = bodyOf(`
    .limit stack 2
    .limit locals 2
    .catch java/lang/ArithmeticException from L0 to L1 using L2
    iconst_1
    istore_1
L0:
    iload_0
    iconst_2
    idiv
    istore_1
    iload_0
    iconst_3
    idiv
    pop
L1:
    return
L2:
    pop
    iload_1
    ireturn`, "m(I)I");
    const l = liveness(body);
    const cfg = l.cfg;
    const tryBlock = cfg.blockOfNode[nthInstruction(body, 2)]!;
    expect(cfg.handlersOf[tryBlock]).toEqual([0]);
    expect(liveSlots(l.liveIn[tryBlock]!)).toEqual([0, 1]);
    for (let k = 2; k <= 9; k++) expect(isLive(l.liveBefore(nthInstruction(body, k)), 1), `instruction ${k}`).toBe(true);
    // Outside the range the store of 1 kills it: nothing reads 1 at entry.
    expect(liveSlots(l.liveIn[0]!)).toEqual([0]);
    expect(liveSlots(l.liveOut[tryBlock]!)).toEqual([]);
  });

  it("carries a handler's reads through a handler that is also a loop head", () => {
    const body = bodyOf(`
    .limit stack 2
    .limit locals 1
    .catch java/lang/RuntimeException from L1 to L2 using L0
    goto L1
L0:
    pop
    iinc 0 1
L1:
    bipush 100
    iload_0
    idiv
    istore_0
    iload_0
L2:
    ireturn`, "m(I)I");
    const l = liveness(body);
    for (let b = 0; b < 3; b++) expect(liveSlots(l.liveIn[b]!), `block ${b}`).toEqual([0]);
    // After `istore_0` inside the try, 0 is still live because of the handler.
    expect(isLive(l.liveBefore(nthInstruction(body, 7)), 0)).toBe(true);
  });

  it("runs from a pass context too, reporting the CFG's diagnostics there", () => {
    const cf = assemble(`.class public T\n.super java/lang/Object\n.method public static m()V\n.limit stack 1\n.limit locals 1\nreturn\niconst_0\nistore_0\nreturn\n.end method\n`)[0]!;
    const body = decodeBody(codeOf(cf.methods[0]!)!, cf.constantPool);
    const ctx = methodContext(cf, cf.methods[0]!);
    const l = computeLiveness(body, ctx);
    expect(l.cfg.blockCount).toBe(2);
    expect(ctx.diagnostics.map((d) => d.code)).toEqual(["W_UNREACHABLE"]);
    expect(liveSlots(l.liveIn[1]!)).toEqual([]);
  });

  it("satisfies the dataflow equations on the >1 MB generated method, in near-linear steps", () => {
    const { body } = generateLongMethod();
    const { cfg } = buildCfg(body);
    const l = computeLiveness(body, cfg);
    const slots = l.slotCount;
    const problems: string[] = [];
    const live = new Uint8Array(slots);
    for (let b = 0; b < cfg.blockCount; b++) {
      if (!cfg.reachable[b]) continue;
      // out(b) = union of in(s) over normal successors.
      live.fill(0);
      for (const s of cfg.successors[b]!) for (const x of liveSlots(l.liveIn[s]!)) live[x] = 1;
      const out = liveSlots(l.liveOut[b]!);
      if (out.join() !== members(live)) problems.push(`out(${b})`);
      // in(b) by walking the instructions backward, with every covering handler's input at each one.
      const handlerIn: number[] = [];
      for (const hi of cfg.handlersOf[b]!) handlerIn.push(...liveSlots(l.liveIn[cfg.handlerBlock[hi]!]!));
      for (let i = cfg.blockEnd[b]! - 1; i >= cfg.blockStart[b]!; i--) {
        const node = body.nodes[i]!;
        if (node.kind === "label" || node.kind === "line" || node.kind === "frame") continue;
        const { reads, writes } = readsWrites(node);
        for (const x of writes) live[x] = 0;
        for (const x of reads) live[x] = 1;
        for (const x of handlerIn) live[x] = 1;
      }
      if (liveSlots(l.liveIn[b]!).join() !== members(live)) problems.push(`in(${b})`);
      if (problems.length > 5) break;
    }
    expect(problems).toEqual([]);
    // A handful of sweeps over the blocks, not one per block.
    expect(l.steps).toBeLessThan(20 * cfg.blockCount);
  });
});
