/**
 * The frame arrays of a loop-resident driver in the one-byte local slots
 * (passes/link/low-slots.ts): which slots are free and which array takes which
 * (`residentLowSlots`, shared by the size estimate and the linker), and the renaming
 * itself (`inLowSlots`): only into slots no instruction touches (a long's second
 * slot counts), every access of a moved local renamed, the debug rows of a taken
 * slot dropped and the others kept. The split's behaviour is checked where the
 * shape occurs: test/split-dispatch-loop.test.ts (every link mode, -Xverify:all).
 */
import { describe, expect, it } from "vitest";
import type { CodeNode, LocalVariable } from "../src/bytecode/model.js";
import { Op } from "../src/bytecode/opcodes.js";
import { ConstantPool } from "../src/classfile/constant-pool.js";
import { KIND_INT, KIND_LONG, KIND_REF } from "../passes/link/frame-arrays.js";
import { inLowSlots, residentLowSlots } from "../passes/link/low-slots.js";

const local = (op: number, index: number): CodeNode => ({ kind: "local", op, index });
const slotsOf = (nodes: CodeNode[]) => nodes.map((n) => (n.kind === "local" || n.kind === "iinc" ? n.index : -1));

describe("residentLowSlots", () => {
  it("gives the free slots from the parameters to 3, lowest first, to the kinds with the most resident accesses", () => {
    // Slot 0 a parameter; 1 and 2 resident ints; 3 not resident; 4 a resident long.
    const resident = Int8Array.from([-1, KIND_INT, KIND_INT, -1, KIND_LONG, -1]);
    const nodes = [local(Op.ILOAD, 1), local(Op.ILOAD, 2), local(Op.LLOAD, 4), local(Op.LLOAD, 4), local(Op.LLOAD, 4), local(Op.ILOAD, 3)];
    const slot = residentLowSlots(nodes, resident, 1);
    expect(slot[KIND_LONG]).toBe(1); // three accesses
    expect(slot[KIND_INT]).toBe(2); // two
    expect(slot[KIND_REF]).toBe(-1); // no resident reference
  });

  it("counts the second slot of a resident long as free, and no slot of a parameter", () => {
    const resident = Int8Array.from([KIND_INT, -1, KIND_LONG, -1]);
    const slot = residentLowSlots([local(Op.ILOAD, 0), local(Op.LLOAD, 2), local(Op.LSTORE, 2)], resident, 1);
    // Slot 0 is a parameter, 1 is not resident: 2 and 3 (the long's halves) are free.
    expect(slot[KIND_LONG]).toBe(2);
    expect(slot[KIND_INT]).toBe(3);
  });

  it("does not count a slot that an access of a local that is not resident names, also as a long's second slot", () => {
    // javac reused slots 2-3: first a long `t` (not resident), then int registers; slot 3 is resident, 2 is not.
    const resident = Int8Array.from([-1, -1, -1, KIND_INT, -1]);
    const nodes = [local(Op.LSTORE, 2), local(Op.LLOAD, 2), local(Op.ILOAD, 3), local(Op.ILOAD, 3)];
    expect(residentLowSlots(nodes, resident, 1)[KIND_INT]).toBe(-1);
    // Without the long, slot 3 is free for the int array.
    expect(residentLowSlots(nodes.slice(2), resident, 1)[KIND_INT]).toBe(3);
  });

  it("leaves every array where it is when no slot from the parameters to 3 is resident", () => {
    const slot = residentLowSlots([local(Op.ILOAD, 5)], Int8Array.from([-1, -1, -1, -1, -1, KIND_INT]), 0);
    expect([...slot]).toEqual([-1, -1, -1, -1, -1]);
  });
});

describe("inLowSlots", () => {
  const cp = new ConstantPool();
  const name = cp.addUtf8("x");
  const intType = cp.addUtf8("I");
  const longType = cp.addUtf8("J");
  const row = (index: number, descriptorIndex: number): LocalVariable => ({ start: 0, end: 1, nameIndex: name, descriptorIndex, index });

  it("renames every access of a moved local into a slot no instruction touches", () => {
    const nodes = [local(Op.ASTORE, 10), local(Op.ALOAD, 10), local(Op.ILOAD, 5), { kind: "iinc", index: 5, delta: 1 } as CodeNode, local(Op.ALOAD, 11)];
    const out = inLowSlots(nodes, { localVariables: undefined, localVariableTypes: undefined }, new Map([[10, 2], [11, 3]]), cp);
    expect(slotsOf(out.nodes)).toEqual([2, 2, 5, 5, 3]);
    expect(slotsOf(nodes)).toEqual([10, 10, 5, 5, 11]); // the input is not changed
  });

  it("does not move into a slot an instruction touches, also as a long's second slot", () => {
    const nodes = [local(Op.LLOAD, 2), local(Op.ALOAD, 10), local(Op.ALOAD, 11), local(Op.ISTORE, 1)];
    const out = inLowSlots(nodes, { localVariables: undefined, localVariableTypes: undefined }, new Map([[10, 3], [11, 1]]), cp);
    expect(out.nodes).toBe(nodes); // 3 is lload 2's second slot, 1 is stored
  });

  it("drops the debug rows of a taken slot, a long's row over it included, and keeps the others", () => {
    const nodes = [local(Op.ALOAD, 10)];
    const rows = { localVariables: [row(1, longType), row(2, intType), row(4, intType)], localVariableTypes: [row(2, intType)] };
    const out = inLowSlots(nodes, rows, new Map([[10, 2]]), cp);
    expect(out.rows.localVariables!.map((v) => v.index)).toEqual([4]);
    expect(out.rows.localVariableTypes).toEqual([]);
  });
});
