/**
 * max_stack of a body built without `.limit stack` (src/text/limits.ts,
 * JVMS 4.7.3): the walk over node indices, where labels, lines and frames stand
 * between instructions and a jump lands on the first instruction after its label.
 * Expected depths are counted by hand from the opcode table's stack effects.
 */
import { describe, expect, it } from "vitest";
import { computeMaxStack } from "../src/text/limits.js";
import { ConstantPool } from "../src/classfile/constant-pool.js";
import { Op } from "../src/bytecode/opcodes.js";
import type { CodeNode, Handler, MethodBody } from "../src/bytecode/model.js";
import { MegasplitError } from "../src/diagnostics.js";

const simple = (op: number): CodeNode => ({ kind: "simple", op });
const iload = (index: number): CodeNode => ({ kind: "local", op: Op.ILOAD, index });
const label = (l: number): CodeNode => ({ kind: "label", label: l });
const line = (n: number): CodeNode => ({ kind: "line", line: n });

function body(nodes: CodeNode[], labelCount: number, handlers: Handler[] = []): MethodBody {
  return { maxStack: 0, maxLocals: 4, nodes, labelCount, handlers, hasStackMapTable: false, otherAttributes: [] };
}

describe("computeMaxStack", () => {
  it("follows jumps and switch targets past labels and lines to the deepest path", () => {
    // 0: iload 0; tableswitch -> L1 (push 3 more: depth 3) | L2 (push 1: depth 1) | default L3
    const nodes: CodeNode[] = [
      line(1), iload(0),
      { kind: "tableswitch", low: 0, high: 1, defaultTarget: 3, targets: [1, 2] },
      label(1), line(2), label(4), simple(Op.ICONST_1), simple(Op.ICONST_2), simple(Op.ICONST_3), simple(Op.IADD), simple(Op.IADD), simple(Op.IRETURN),
      label(2), line(3), simple(Op.ICONST_0), simple(Op.IRETURN),
      label(3), line(4), label(5), simple(Op.ICONST_0), simple(Op.IRETURN),
    ];
    expect(computeMaxStack(body(nodes, 6), new ConstantPool())).toBe(3);
  });

  it("counts a handler at depth one and ignores code no path reaches", () => {
    const nodes: CodeNode[] = [
      label(0), simple(Op.ICONST_0), simple(Op.IRETURN), label(1),
      // unreachable: four pushes
      simple(Op.ICONST_0), simple(Op.ICONST_0), simple(Op.ICONST_0), simple(Op.ICONST_0), simple(Op.POP2), simple(Op.POP2), simple(Op.RETURN),
      label(2), line(9), simple(Op.DUP), simple(Op.ATHROW),
    ];
    expect(computeMaxStack(body(nodes, 3, [{ start: 0, end: 1, handler: 2, catchType: 0 }]), new ConstantPool())).toBe(2);
  });

  it("refuses a loop that grows the stack on every turn (E_FRAME)", () => {
    const nodes: CodeNode[] = [label(0), line(1), simple(Op.ICONST_0), { kind: "jump", op: Op.GOTO, target: 0 }];
    expect(() => computeMaxStack(body(nodes, 1), new ConstantPool())).toThrow(MegasplitError);
  });
});
