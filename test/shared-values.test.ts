/**
 * The sharing tables of the 16 MB memory work: equal operand-only instructions of a
 * decoded body are one node (src/bytecode/shared-nodes.ts) and equal entry frames
 * of a frame analysis one frame (passes/shared-frames.ts). Checked here: what is
 * shared and what is not, that content never changes by sharing (a body decoded
 * with sharing re-encodes to the bytes written by hand, including code over the
 * 1 M-entry scratch threshold), and that frames are looked up by content.
 */
import { describe, expect, it } from "vitest";
import type { CodeAttribute } from "../src/classfile/model.js";
import { ConstantPool } from "../src/classfile/constant-pool.js";
import { decodeBody } from "../src/bytecode/decode.js";
import { encodeBody } from "../src/bytecode/encode.js";
import { Op } from "../src/bytecode/opcodes.js";
import { SharedNodes } from "../src/bytecode/shared-nodes.js";
import { SharedFrames } from "../passes/shared-frames.js";

function codeAttr(bytes: number[]): CodeAttribute {
  return { kind: "Code", nameIndex: 0, maxStack: 4, maxLocals: 300, code: Uint8Array.from(bytes), exceptionTable: [], attributes: [] };
}

/** iload_1, iload 1 (explicit), bipush 7, iadd, istore 2, repeated, then wide iload 300 twice and return. */
function repeatedCode(times: number): number[] {
  const unit = [Op.ILOAD_1, Op.ILOAD, 1, Op.IADD, Op.BIPUSH, 7, Op.IADD, Op.ISTORE, 2];
  const out: number[] = [];
  for (let k = 0; k < times; k++) out.push(...unit);
  out.push(Op.WIDE, Op.ILOAD, 1, 44, Op.WIDE, Op.ILOAD, 1, 44, Op.POP2, Op.RETURN);
  return out;
}

describe("decoded nodes are shared by value", () => {
  it("freezes a shared node: a write in place throws instead of changing every occurrence", () => {
    const body = decodeBody(codeAttr(repeatedCode(2)), new ConstantPool());
    const iload = body.nodes.find((n) => n.kind === "local")! as { index: number };
    expect(() => {
      iload.index = 5;
    }).toThrow(TypeError);
    expect(iload.index).toBe(1);
  });

  it("gives equal operand-only instructions one node and keeps distinct ones apart", () => {
    const body = decodeBody(codeAttr(repeatedCode(3)), new ConstantPool());
    const insns = body.nodes.filter((n) => n.kind !== "label" && n.kind !== "line");
    // iload_1 is normalised to iload 1: the same node as the explicit form.
    expect(insns[0]).toEqual({ kind: "local", op: Op.ILOAD, index: 1 });
    expect(insns[1]).toBe(insns[0]);
    // A unit is six instructions: iload 1, iload 1, iadd, bipush 7, iadd, istore 2.
    expect(insns[2]).toBe(insns[4]); // iadd
    expect(insns[2]).toBe(insns[8]); // iadd of the next unit
    expect(insns[3]).toBe(insns[9]); // bipush 7 of two units
    expect(insns[5]).toBe(insns[11]); // istore 2
    expect(insns[5]).not.toBe(insns[0]);
    const wide = insns.slice(-4, -2);
    expect(wide[0]).toEqual({ kind: "local", op: Op.ILOAD, index: 300 });
    expect(wide[1]).toBe(wide[0]);
  });

  it("re-encodes to the normalised bytes written by hand, below and above the kept scratch size", () => {
    // Normalised: the explicit `iload 1` and `istore 2` come back in their short forms.
    const unit = [Op.ILOAD_1, Op.ILOAD_1, Op.IADD, Op.BIPUSH, 7, Op.IADD, Op.ISTORE_2];
    for (const times of [4, 200_000]) {
      const expected: number[] = [];
      for (let k = 0; k < times; k++) expected.push(...unit);
      expected.push(Op.WIDE, Op.ILOAD, 1, 44, Op.WIDE, Op.ILOAD, 1, 44, Op.POP2, Op.RETURN);
      const cp = new ConstantPool();
      const out = encodeBody(decodeBody(codeAttr(repeatedCode(times)), cp), cp);
      expect(out.code.length).toBe(expected.length);
      expect(Buffer.from(out.code).equals(Buffer.from(expected))).toBe(true);
    }
  });

  it("does not share a local index past 65535 (the encoder refuses it; the key would collide)", () => {
    const t = new SharedNodes();
    const a = t.local(Op.ILOAD, 65536);
    expect(a).toEqual({ kind: "local", op: Op.ILOAD, index: 65536 });
    expect(t.local(Op.ILOAD, 0)).not.toBe(a);
    expect(t.local(Op.ILOAD, 65536)).not.toBe(a);
    expect(t.int(Op.SIPUSH, -32768)).toBe(t.int(Op.SIPUSH, -32768));
    expect(t.int(Op.SIPUSH, -32768)).not.toBe(t.int(Op.SIPUSH, 32767));
  });
});

describe("frames are shared by content", () => {
  it("answers the first frame met with equal slots, and a new one otherwise", () => {
    const t = new SharedFrames();
    const a = { locals: Int32Array.of(1, 2, 3), stack: Int32Array.of() };
    expect(t.share(a)).toBe(a);
    expect(t.share({ locals: Int32Array.of(1, 2, 3), stack: Int32Array.of() })).toBe(a);
    const b = { locals: Int32Array.of(1, 2), stack: Int32Array.of(3) };
    expect(t.share(b)).toBe(b); // same slots in sequence, split differently
    const c = { locals: Int32Array.of(1, 2, 4), stack: Int32Array.of() };
    expect(t.share(c)).toBe(c);
  });

  it("copies what `of` keeps, and reads only the first `height` stack slots", () => {
    const t = new SharedFrames();
    const locals = Int32Array.of(5, 6);
    const stack = [7, 8, 9];
    const f = t.of(locals, stack, 2);
    expect(Array.from(f.locals)).toEqual([5, 6]);
    expect(Array.from(f.stack)).toEqual([7, 8]);
    locals[0] = 99;
    expect(f.locals[0]).toBe(5);
    expect(t.of(Int32Array.of(5, 6), [7, 8], 2)).toBe(f);
    expect(t.share({ locals: Int32Array.of(5, 6), stack: Int32Array.of(7, 8) })).toBe(f);
  });
});
