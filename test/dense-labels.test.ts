/**
 * withDenseLabels (src/bytecode/dense-labels.ts): a body whose label ids are
 * sparse, as a piece cut from a many-megabyte method keeps them, comes back with
 * `labelCount` equal to the labels it uses, and every reference (jumps, switch
 * targets, handlers, local-variable ranges, `new` sites of frames) still names the
 * node position it named before. encodeFinal applies it to every body a split
 * writes, so the analyses there (CFG, frames, stack map) cost what the piece
 * costs, not what the whole method's labels cost.
 */
import { describe, expect, it } from "vitest";
import { withDenseLabels } from "../src/bytecode/dense-labels.js";
import type { CodeNode, Label, MethodBody } from "../src/bytecode/model.js";
import { Op } from "../src/bytecode/opcodes.js";

/** Node index of each label's `label` node. */
function placed(body: MethodBody): Map<Label, number> {
  const at = new Map<Label, number>();
  body.nodes.forEach((n, i) => n.kind === "label" && at.set(n.label, i));
  return at;
}

/** Every label reference of the body, as the node position it names, in a fixed order. */
function referencedPositions(body: MethodBody): number[] {
  const at = placed(body);
  const out: number[] = [];
  const ref = (l: Label) => out.push(at.get(l) ?? -1);
  for (const n of body.nodes) {
    if (n.kind === "jump") ref(n.target);
    else if (n.kind === "tableswitch" || n.kind === "lookupswitch") [n.defaultTarget, ...n.targets].forEach(ref);
    else if (n.kind === "frame" && n.frame.type === "full") for (const t of [...n.frame.locals, ...n.frame.stack]) if (t.tag === "uninitialized") ref(t.label);
  }
  for (const h of body.handlers) [h.start, h.end, h.handler].forEach(ref);
  for (const v of body.localVariables ?? []) [v.start, v.end].forEach(ref);
  return out;
}

const L = (label: number): CodeNode => ({ kind: "label", label });

describe("withDenseLabels", () => {
  // Labels as a piece of a big method keeps them: ids in the hundred thousands, out of order.
  const sparse: MethodBody = {
    maxStack: 4,
    maxLocals: 2,
    labelCount: 300_000,
    nodes: [
      L(250_000),
      { kind: "line", line: 7 },
      { kind: "local", op: Op.ILOAD, index: 0 },
      { kind: "tableswitch", low: 0, high: 1, defaultTarget: 120_001, targets: [170_000, 120_001] },
      L(170_000),
      { kind: "cp", op: Op.NEW, index: 3 },
      { kind: "frame", frame: { type: "full", locals: [{ tag: "int" }], stack: [{ tag: "uninitialized", label: 170_000 }] } },
      { kind: "jump", op: Op.GOTO, target: 250_000 },
      L(120_001),
      L(299_999),
      { kind: "simple", op: Op.ICONST_0 },
      { kind: "simple", op: Op.IRETURN },
      L(5),
    ],
    handlers: [{ start: 250_000, end: 120_001, handler: 299_999, catchType: 0 }],
    localVariables: [{ start: 250_000, end: 5, nameIndex: 1, descriptorIndex: 2, index: 0 }],
    hasStackMapTable: true,
    otherAttributes: [],
  };

  it("numbers the labels the body uses 0..k-1 and keeps what every reference points at", () => {
    const dense = withDenseLabels(sparse);
    const labels = dense.nodes.flatMap((n) => (n.kind === "label" ? [n.label] : []));
    expect(dense.labelCount).toBe(5);
    expect([...labels].sort((a, b) => a - b)).toEqual([0, 1, 2, 3, 4]);
    expect(dense.nodes.length).toBe(sparse.nodes.length);
    expect(dense.nodes.map((n) => n.kind)).toEqual(sparse.nodes.map((n) => n.kind));
    expect(referencedPositions(dense)).toEqual(referencedPositions(sparse));
    expect(referencedPositions(dense)).not.toContain(-1);
    // Everything but labels is untouched.
    expect(dense.nodes[1]).toEqual({ kind: "line", line: 7 });
    expect(dense.handlers[0]!.catchType).toBe(0);
    expect(dense.localVariables![0]!.nameIndex).toBe(1);
  });

  it("gives a body whose labels are already dense back as it is", () => {
    const dense = withDenseLabels(sparse);
    expect(withDenseLabels(dense)).toBe(dense);
  });
});
