/**
 * The bytecode codec: decodeBody/encodeBody round trips, shortest-form choice,
 * branch widening, pseudo-node placement, and the documented error codes.
 */
import { describe, it, expect } from "vitest";
import type { Attribute, ClassFile, CodeAttribute, ExceptionTableEntry, StackMapFrame } from "../src/classfile/model.js";
import { writeClass } from "../src/classfile/write.js";
import { ConstantPool } from "../src/classfile/constant-pool.js";
import type { CodeNode, MethodBody } from "../src/bytecode/model.js";
import { decodeBody } from "../src/bytecode/decode.js";
import { encodeBody, reencodeMethodCode } from "../src/bytecode/encode.js";
import { OPCODES, Op } from "../src/bytecode/opcodes.js";
import { generateLongMethod } from "./support/long-method.js";
import { errorOf } from "./support/expect-error.js";

// ---- helpers ----

function codeAttr(bytes: number[] | Uint8Array, more: Partial<CodeAttribute> = {}): CodeAttribute {
  return { kind: "Code", nameIndex: 0, maxStack: 4, maxLocals: 4, code: Uint8Array.from(bytes), exceptionTable: [], attributes: [], ...more };
}

/** A pool whose entries 1..300 are Integers, followed by one entry of each kind the tests use. */
function testPool() {
  const cp = new ConstantPool();
  for (let i = 0; i < 300; i++) cp.addInteger(i + 7000);
  const ids = {
    string: cp.addString("s"),
    cls: cp.addClass("java/lang/Object"),
    field: cp.addMemberRef("Fieldref", "A", "f", "I"),
    method: cp.addMemberRef("Methodref", "A", "m", "()V"),
    imethod: cp.addMemberRef("InterfaceMethodref", "I", "m", "(I)V"),
    long: cp.addLong(5n),
    indy: cp.add({ kind: "InvokeDynamic", bootstrapMethodAttrIndex: 0, nameAndTypeIndex: cp.addNameAndType("x", "()V") }),
    arr: cp.addClass("[[J"),
  };
  return { cp, ids };
}

function body(nodes: CodeNode[], more: Partial<MethodBody> = {}): MethodBody {
  let labelCount = 0;
  for (const n of nodes) if (n.kind === "label") labelCount = Math.max(labelCount, n.label + 1);
  return { maxStack: 4, maxLocals: 4, nodes, labelCount, handlers: [], hasStackMapTable: false, otherAttributes: [], ...more };
}

function hex(b: Uint8Array): string {
  return Array.from(b, (x) => x.toString(16).padStart(2, "0")).join(" ");
}

/** Instruction start offsets, by the opcode table (independent of the decoder). */
function instructionStarts(code: Uint8Array): number[] {
  const dv = new DataView(code.buffer, code.byteOffset, code.byteLength);
  const starts: number[] = [];
  let pc = 0;
  while (pc < code.length) {
    starts.push(pc);
    const op = code[pc]!;
    const size = OPCODES[op]!.size;
    if (size > 0) pc += size;
    else if (op === Op.WIDE) pc += code[pc + 1] === Op.IINC ? 6 : 4;
    else {
      const p = (pc + 4) & ~3;
      if (op === Op.TABLESWITCH) pc = p + 12 + 4 * (dv.getInt32(p + 8) - dv.getInt32(p + 4) + 1);
      else pc = p + 8 + 8 * dv.getInt32(p + 4);
    }
  }
  return starts;
}


function stripRaw(attrs: Attribute[]): unknown[] {
  return attrs.map((a) => ({ ...a, raw: undefined }));
}

// ---- the long method ----

describe("long method (> 1 MB)", () => {
  const { body: generated, cp } = generateLongMethod(7);
  const c1 = encodeBody(generated, cp);
  const t0 = performance.now();
  const b2 = decodeBody(c1, cp);
  const t1 = performance.now();
  const c2 = encodeBody(b2, cp);
  const t2 = performance.now();
  const b3 = decodeBody(c2, cp);
  const c3 = encodeBody(b3, cp);
  console.log(`long method: ${c1.code.length} bytes, ${b2.nodes.length} nodes; decode ${(t1 - t0).toFixed(1)} ms, encode ${(t2 - t1).toFixed(1)} ms`);

  it("is over 1 MB", () => {
    expect(c1.code.length).toBeGreaterThan(1 << 20);
  });

  it("round-trips decode->encode->decode->encode byte-exactly", () => {
    expect(Buffer.from(c2.code).equals(Buffer.from(c1.code))).toBe(true);
    expect(Buffer.from(c3.code).equals(Buffer.from(c2.code))).toBe(true);
    expect(c2.exceptionTable).toEqual(c1.exceptionTable);
    expect(c3.exceptionTable).toEqual(c2.exceptionTable);
    expect(c2.attributes).toEqual(c1.attributes);
    expect(c3.attributes).toEqual(c2.attributes);
    expect(b3).toEqual(b2);
  });

  it("keeps every nested table", () => {
    const kinds = c1.attributes.map((a) => a.kind);
    expect(kinds).toEqual(["LineNumberTable", "LocalVariableTable", "LocalVariableTypeTable", "StackMapTable"]);
    expect(c1.exceptionTable.length).toBe(generated.handlers.length);
    expect(b2.localVariables!.length).toBe(generated.localVariables!.length);
    const frames = (c1.attributes[3] as { frames: StackMapFrame[] }).frames;
    expect(frames.length).toBe(generated.nodes.filter((n) => n.kind === "frame").length);
    expect(frames.some((f) => f.type === "full" && f.stack.some((t) => t.tag === "uninitialized"))).toBe(true);
  });

  it("widens far branches: goto_w both ways and inverted conditionals over goto_w", () => {
    const code = c1.code;
    const dv = new DataView(code.buffer, code.byteOffset, code.byteLength);
    let forward = 0;
    let backward = 0;
    let inverted = 0;
    let wideLocal = 0;
    let wideIinc = 0;
    let ldcW = 0;
    for (const pc of instructionStarts(code)) {
      const op = code[pc]!;
      if (op === Op.GOTO_W) {
        const d = dv.getInt32(pc + 1);
        if (d > 32767) forward++;
        if (d < -32768) backward++;
      }
      const isConditional = (op >= Op.IFEQ && op <= Op.IF_ACMPNE) || op === Op.IFNULL || op === Op.IFNONNULL;
      if (isConditional && dv.getInt16(pc + 1) === 8 && code[pc + 3] === Op.GOTO_W) inverted++;
      if (op === Op.WIDE) code[pc + 1] === Op.IINC ? wideIinc++ : wideLocal++;
      if (op === Op.LDC_W) ldcW++;
    }
    expect(forward).toBeGreaterThan(0);
    expect(backward).toBeGreaterThan(0);
    expect(inverted).toBeGreaterThan(0);
    expect(wideLocal).toBeGreaterThan(0);
    expect(wideIinc).toBeGreaterThan(0);
    expect(ldcW).toBeGreaterThan(0);
  });

  it("decodes switches with far targets", () => {
    const sw = b2.nodes.filter((n) => n.kind === "tableswitch" || n.kind === "lookupswitch");
    expect(sw.map((n) => n.kind).sort()).toEqual(["lookupswitch", "tableswitch"]);
  });

  it("is deterministic", () => {
    const again = generateLongMethod(7);
    expect(Buffer.from(encodeBody(again.body, again.cp).code).equals(Buffer.from(c1.code))).toBe(true);
  });
});

// ---- instruction formats ----

describe("instruction formats", () => {
  const { cp, ids } = testPool();

  const cases: [string, CodeNode, string][] = [
    ["simple", { kind: "simple", op: Op.DUP2_X1 }, "5d"],
    ["xload_n", { kind: "local", op: Op.ILOAD, index: 0 }, "1a"],
    ["xload_n (a)", { kind: "local", op: Op.ALOAD, index: 3 }, "2d"],
    ["xstore_n", { kind: "local", op: Op.LSTORE, index: 2 }, "41"],
    ["xstore_n (d)", { kind: "local", op: Op.DSTORE, index: 1 }, "48"],
    ["local u1", { kind: "local", op: Op.FLOAD, index: 4 }, "17 04"],
    ["local u1 max", { kind: "local", op: Op.ASTORE, index: 255 }, "3a ff"],
    ["wide local", { kind: "local", op: Op.ISTORE, index: 256 }, "c4 36 01 00"],
    ["ret", { kind: "local", op: Op.RET, index: 2 }, "a9 02"],
    ["wide ret", { kind: "local", op: Op.RET, index: 300 }, "c4 a9 01 2c"],
    ["iinc", { kind: "iinc", index: 1, delta: -128 }, "84 01 80"],
    ["wide iinc (delta)", { kind: "iinc", index: 1, delta: 200 }, "c4 84 00 01 00 c8"],
    ["wide iinc (index)", { kind: "iinc", index: 300, delta: -1 }, "c4 84 01 2c ff ff"],
    ["bipush", { kind: "int", op: Op.BIPUSH, value: -1 }, "10 ff"],
    ["sipush", { kind: "int", op: Op.SIPUSH, value: -2 }, "11 ff fe"],
    ["newarray", { kind: "int", op: Op.NEWARRAY, value: 10 }, "bc 0a"],
    ["ldc", { kind: "cp", op: Op.LDC, index: 5 }, "12 05"],
    ["ldc_w", { kind: "cp", op: Op.LDC, index: ids.string }, `13 ${hex(Uint8Array.of(ids.string >> 8, ids.string & 255))}`],
    ["ldc2_w", { kind: "cp", op: Op.LDC2_W, index: ids.long }, `14 ${hex(Uint8Array.of(ids.long >> 8, ids.long & 255))}`],
    ["getfield", { kind: "cp", op: Op.GETFIELD, index: ids.field }, `b4 ${hex(Uint8Array.of(ids.field >> 8, ids.field & 255))}`],
    ["invokestatic (interface)", { kind: "cp", op: Op.INVOKESTATIC, index: ids.imethod }, `b8 ${hex(Uint8Array.of(ids.imethod >> 8, ids.imethod & 255))}`],
    ["new", { kind: "cp", op: Op.NEW, index: ids.cls }, `bb ${hex(Uint8Array.of(ids.cls >> 8, ids.cls & 255))}`],
    ["invokeinterface", { kind: "invokeinterface", index: ids.imethod, count: 2 }, `b9 ${hex(Uint8Array.of(ids.imethod >> 8, ids.imethod & 255))} 02 00`],
    ["invokedynamic", { kind: "invokedynamic", index: ids.indy }, `ba ${hex(Uint8Array.of(ids.indy >> 8, ids.indy & 255))} 00 00`],
    ["multianewarray", { kind: "multianewarray", index: ids.arr, dims: 2 }, `c5 ${hex(Uint8Array.of(ids.arr >> 8, ids.arr & 255))} 02`],
  ];
  for (const [name, node, bytes] of cases) {
    it(`${name} encodes as ${bytes} and decodes back`, () => {
      const b = body([node, { kind: "simple", op: Op.RETURN }]);
      const code = encodeBody(b, cp);
      expect(hex(code.code)).toBe(`${bytes} b1`);
      expect(decodeBody(code, cp)).toEqual(b);
    });
  }

  it("folds short and long forms on decode and re-encodes the shortest", () => {
    // iload_2, ldc_w #5, goto_w +5 -> nop, jsr_w, wide iload 3, wide iinc 1 1
    const bytes = [0x1c, 0x13, 0x00, 0x05, 0xc8, 0x00, 0x00, 0x00, 0x05, 0x00, 0xc4, 0x15, 0x00, 0x03, 0xc4, 0x84, 0x00, 0x01, 0x00, 0x01, 0xb1];
    const b = decodeBody(codeAttr(bytes), cp);
    expect(b.nodes).toEqual([
      { kind: "local", op: Op.ILOAD, index: 2 },
      { kind: "cp", op: Op.LDC, index: 5 },
      { kind: "jump", op: Op.GOTO, target: 0 },
      { kind: "label", label: 0 },
      { kind: "simple", op: Op.NOP },
      { kind: "local", op: Op.ILOAD, index: 3 },
      { kind: "iinc", index: 1, delta: 1 },
      { kind: "simple", op: Op.RETURN },
    ]);
    expect(hex(encodeBody(b, cp).code)).toBe("1c 12 05 a7 00 03 00 1d 84 01 01 b1");
    const re = reencodeMethodCode(codeAttr(bytes, { nameIndex: 77 }), cp);
    expect(re.nameIndex).toBe(77);
    expect(hex(re.code)).toBe("1c 12 05 a7 00 03 00 1d 84 01 01 b1");
  });

  it("jsr_w decodes to jsr", () => {
    const b = decodeBody(codeAttr([0xc9, 0, 0, 0, 6, 0xb1, 0x4c, 0xa9, 1]), cp);
    expect(b.nodes[0]).toEqual({ kind: "jump", op: Op.JSR, target: 0 });
    expect(hex(encodeBody(b, cp).code)).toBe("a8 00 04 b1 4c a9 01");
  });

  for (let lead = 0; lead < 4; lead++) {
    it(`switches pad to 4-byte alignment after ${lead} leading byte(s)`, () => {
      const nodes: CodeNode[] = [];
      for (let i = 0; i < lead; i++) nodes.push({ kind: "simple", op: Op.NOP });
      nodes.push({ kind: "tableswitch", low: -1, high: 1, defaultTarget: 0, targets: [0, 1, 0] });
      nodes.push({ kind: "lookupswitch", defaultTarget: 1, keys: [-7, 100], targets: [0, 1] });
      nodes.push({ kind: "label", label: 0 }, { kind: "simple", op: Op.ICONST_0 }, { kind: "label", label: 1 }, { kind: "simple", op: Op.IRETURN });
      const b = body(nodes);
      const code = encodeBody(b, cp);
      const starts = instructionStarts(code.code);
      expect(starts.length).toBe(lead + 4);
      const tsw = starts[lead]!;
      const pad = 3 - (tsw & 3);
      for (let i = 1; i <= pad; i++) expect(code.code[tsw + i]).toBe(0);
      expect((tsw + 1 + pad) % 4).toBe(0);
      expect(decodeBody(code, cp)).toEqual(b);
    });
  }
});

// ---- layout of pseudo-nodes ----

describe("labels, lines, frames", () => {
  const { cp, ids } = testPool();

  it("orders label, lines (table order, tables merged), frame before the instruction", () => {
    // 0: nop  1: new  4: dup  5: goto 1   8: return
    const code = codeAttr([0x00, 0xbb, ids.cls >> 8, ids.cls & 255, 0x59, 0xa7, 0xff, 0xfc, 0xb1], {
      exceptionTable: [{ startPc: 1, endPc: 9, handlerPc: 8, catchType: 0 }],
      attributes: [
        { kind: "LineNumberTable", nameIndex: 0, entries: [{ startPc: 5, line: 30 }, { startPc: 1, line: 10 }, { startPc: 1, line: 11 }] },
        { kind: "LineNumberTable", nameIndex: 0, entries: [{ startPc: 1, line: 12 }] },
        {
          kind: "StackMapTable",
          nameIndex: 0,
          frames: [
            { type: "same", offsetDelta: 1 },
            { type: "full", offsetDelta: 2, locals: [], stack: [{ tag: "uninitialized", offset: 1 }] },
            { type: "same_locals_1_stack_item", offsetDelta: 3, stack: { tag: "object", classIndex: ids.cls } },
          ],
        },
        { kind: "LocalVariableTable", nameIndex: 0, entries: [{ startPc: 4, length: 5, nameIndex: 1, descriptorIndex: 2, index: 0 }] },
        { kind: "Raw", nameIndex: 9, raw: Uint8Array.of(1, 2) },
      ],
    });
    const b = decodeBody(code, cp);
    expect(b.nodes).toEqual([
      { kind: "simple", op: Op.NOP },
      { kind: "label", label: 0 },
      { kind: "line", line: 10 },
      { kind: "line", line: 11 },
      { kind: "line", line: 12 },
      { kind: "frame", frame: { type: "same" } },
      { kind: "cp", op: Op.NEW, index: ids.cls },
      { kind: "label", label: 1 },
      { kind: "frame", frame: { type: "full", locals: [], stack: [{ tag: "uninitialized", label: 0 }] } },
      { kind: "simple", op: Op.DUP },
      { kind: "label", label: 2 },
      { kind: "line", line: 30 },
      { kind: "jump", op: Op.GOTO, target: 0 },
      { kind: "label", label: 3 },
      { kind: "frame", frame: { type: "same_locals_1_stack_item", stack: { tag: "object", classIndex: ids.cls } } },
      { kind: "simple", op: Op.RETURN },
      { kind: "label", label: 4 },
    ]);
    expect(b.labelCount).toBe(5);
    expect(b.handlers).toEqual([{ start: 0, end: 4, handler: 3, catchType: 0 }]);
    expect(b.localVariables).toEqual([{ start: 1, end: 4, nameIndex: 1, descriptorIndex: 2, index: 0 }]);
    expect(b.hasStackMapTable).toBe(true);
    expect(b.otherAttributes.map((a) => a.kind)).toEqual(["Raw"]);

    const out = encodeBody(b, cp);
    expect(hex(out.code)).toBe(hex(code.code));
    expect(out.exceptionTable).toEqual(code.exceptionTable);
    expect(out.attributes.map((a) => a.kind)).toEqual(["LineNumberTable", "LocalVariableTable", "StackMapTable", "Raw"]);
    expect(out.attributes[0]).toMatchObject({ entries: [{ startPc: 1, line: 10 }, { startPc: 1, line: 11 }, { startPc: 1, line: 12 }, { startPc: 5, line: 30 }] });
    expect(out.attributes[0]!.nameIndex).toBe(cp.addUtf8("LineNumberTable"));
    expect(out.attributes[2]).toMatchObject({ frames: (code.attributes[2] as { frames: StackMapFrame[] }).frames });
    expect(out.attributes[3]).toBe(code.attributes[4]);
  });

  it("recomputes frame deltas after code moves, keeping the recorded form", () => {
    const b = body([
      { kind: "jump", op: Op.GOTO, target: 0 },
      { kind: "label", label: 0 },
      { kind: "frame", frame: { type: "same" } },
      { kind: "simple", op: Op.NOP },
      { kind: "frame", frame: { type: "same_locals_1_stack_item", stack: { tag: "int" } } },
      { kind: "simple", op: Op.RETURN },
    ], { hasStackMapTable: true });
    const spread: CodeNode[] = [...b.nodes.slice(0, 3), ...Array.from({ length: 100 }, (): CodeNode => ({ kind: "simple", op: Op.NOP })), ...b.nodes.slice(3)];
    const small = encodeBody(b, cp).attributes[0] as { frames: StackMapFrame[] };
    const big = encodeBody({ ...b, nodes: spread }, cp).attributes[0] as { frames: StackMapFrame[] };
    expect(small.frames).toEqual([{ type: "same", offsetDelta: 3 }, { type: "same_locals_1_stack_item", offsetDelta: 0, stack: { tag: "int" } }]);
    // The second delta exceeds 63: the class writer picks same_locals_1_stack_item_frame_extended.
    expect(big.frames).toEqual([{ type: "same", offsetDelta: 3 }, { type: "same_locals_1_stack_item", offsetDelta: 100, stack: { tag: "int" } }]);
  });

  it("writes an empty StackMapTable when the original had one", () => {
    const b = decodeBody(codeAttr([0xb1], { attributes: [{ kind: "StackMapTable", nameIndex: 0, frames: [] }] }), cp);
    expect(b.hasStackMapTable).toBe(true);
    expect(encodeBody(b, cp).attributes).toMatchObject([{ kind: "StackMapTable", frames: [] }]);
  });

  it("drops lines and frames that follow the last instruction", () => {
    const b = body([{ kind: "simple", op: Op.RETURN }, { kind: "line", line: 3 }, { kind: "frame", frame: { type: "same" } }], { hasStackMapTable: true });
    expect(encodeBody(b, cp).attributes).toMatchObject([{ kind: "StackMapTable", frames: [] }]);
  });

  it("places a label at code_length for ranges that run to the end", () => {
    const b = decodeBody(
      codeAttr([0x00, 0xb1], {
        exceptionTable: [{ startPc: 0, endPc: 2, handlerPc: 1, catchType: 0 }],
        attributes: [{ kind: "LocalVariableTypeTable", nameIndex: 0, entries: [{ startPc: 2, length: 0, nameIndex: 1, descriptorIndex: 2, index: 1 }] }],
      }),
      cp,
    );
    expect(b.nodes.at(-1)).toEqual({ kind: "label", label: 2 });
    expect(b.localVariableTypes).toEqual([{ start: 2, end: 2, nameIndex: 1, descriptorIndex: 2, index: 1 }]);
    const out = encodeBody(b, cp);
    expect(out.exceptionTable).toEqual([{ startPc: 0, endPc: 2, handlerPc: 1, catchType: 0 }]);
    expect(out.attributes).toMatchObject([{ kind: "LocalVariableTypeTable", entries: [{ startPc: 2, length: 0 }] }]);
  });
});

// ---- widening ----

describe("branch widening", () => {
  const { cp } = testPool();
  const nops = (n: number): CodeNode[] => Array.from({ length: n }, () => ({ kind: "simple", op: Op.NOP }) as CodeNode);

  it("keeps a branch of exactly +32767 short and widens +32768", () => {
    for (const [gap, wide] of [[32764, false], [32765, true]] as const) {
      // goto at 0 (3 bytes), gap nops, target at 3 + gap.
      const b = body([{ kind: "jump", op: Op.GOTO, target: 0 }, ...nops(gap), { kind: "label", label: 0 }, { kind: "simple", op: Op.RETURN }]);
      const code = encodeBody(b, cp).code;
      expect(code[0]).toBe(wide ? Op.GOTO_W : Op.GOTO);
      expect(decodeBody(encodeBody(b, cp), cp)).toEqual(b);
    }
  });

  it("keeps a backward branch of exactly -32768 short", () => {
    for (const [gap, wide] of [[32768, false], [32769, true]] as const) {
      const b = body([{ kind: "label", label: 0 }, ...nops(gap), { kind: "jump", op: Op.GOTO, target: 0 }, { kind: "simple", op: Op.RETURN }]);
      expect(encodeBody(b, cp).code[gap]).toBe(wide ? Op.GOTO_W : Op.GOTO);
    }
  });

  it("widens a far conditional into the inverted conditional over goto_w", () => {
    const b = body([
      { kind: "label", label: 0 },
      { kind: "jump", op: Op.IFNULL, target: 1 },
      ...nops(40000),
      { kind: "jump", op: Op.IF_ICMPLT, target: 0 },
      { kind: "label", label: 1 },
      { kind: "simple", op: Op.RETURN },
    ]);
    const code = encodeBody(b, cp).code;
    expect(hex(code.subarray(0, 8))).toBe(`c7 00 08 c8 ${hex(Uint8Array.of(0, 0, (40000 + 8 + 8 - 3) >> 8, (40000 + 8 + 8 - 3) & 255))}`);
    const back = 8 + 40000;
    expect(code[back]).toBe(Op.IF_ICMPGE);
    expect(code[back + 3]).toBe(Op.GOTO_W);
    expect(new DataView(code.buffer).getInt32(back + 4)).toBe(-(back + 3));
    // Re-decoding shows the inverted form explicitly; re-encoding it is stable.
    const again = encodeBody(decodeBody(encodeBody(b, cp), cp), cp);
    expect(hex(again.code)).toBe(hex(code));
  });

  it("widens jsr to jsr_w", () => {
    const b = body([{ kind: "jump", op: Op.JSR, target: 0 }, { kind: "simple", op: Op.RETURN }, ...nops(40000), { kind: "label", label: 0 }, { kind: "local", op: Op.ASTORE, index: 1 }, { kind: "local", op: Op.RET, index: 1 }]);
    expect(encodeBody(b, cp).code[0]).toBe(Op.JSR_W);
  });

  it("reaches a fixed point when widening pushes other branches out of range", () => {
    // Branches i < k-1 span exactly +32767 and the last one's span, which they all
    // include; only the last is out of range at first, and widening it pushes the rest out.
    const nodes: CodeNode[] = [];
    const k = 20;
    for (let i = 0; i < k; i++) nodes.push({ kind: "jump", op: Op.IFEQ, target: i });
    nodes.push(...nops(32767 - 3 * k));
    for (let i = 0; i < k - 1; i++) nodes.push({ kind: "label", label: i }, { kind: "int", op: Op.SIPUSH, value: i });
    // The switch's padding changes each time the code before it grows by 5 bytes.
    nodes.push({ kind: "tableswitch", low: 0, high: 0, defaultTarget: 0, targets: [k - 1] });
    nodes.push({ kind: "label", label: k - 1 }, { kind: "simple", op: Op.RETURN });
    const b = body(nodes);
    const code = encodeBody(b, cp);
    const starts = instructionStarts(code.code);
    expect(starts.slice(0, 2 * k).map((pc) => code.code[pc])).toEqual(Array.from({ length: 2 * k }, (_, i) => (i % 2 === 0 ? Op.IFNE : Op.GOTO_W)));
    expect(decodeBody(code, cp).nodes.filter((n) => n.kind === "jump").length).toBe(2 * k);
    expect(hex(encodeBody(decodeBody(code, cp), cp).code)).toBe(hex(code.code));
  });
});

// ---- errors ----

describe("decode errors", () => {
  const { cp, ids } = testPool();
  const where = { className: "p/C", method: "m()V" };
  const cases: [string, number[], Partial<CodeAttribute>, string, number][] = [
    ["undefined opcode", [0x00, 0xcb], {}, "E_BAD_OPCODE", 1],
    ["breakpoint", [0xca], {}, "E_BAD_OPCODE", 0],
    ["impdep1", [0x00, 0x00, 0xfe], {}, "E_BAD_OPCODE", 2],
    ["wide nop", [0xc4, 0x00, 0x00, 0x00], {}, "E_BAD_OPCODE", 0],
    ["branch into an instruction", [0x10, 0x01, 0xa7, 0xff, 0xff, 0xb1], {}, "E_BRANCH_TARGET", 2],
    ["branch before the code", [0xa7, 0xff, 0xff, 0xb1], {}, "E_BRANCH_TARGET", 0],
    ["branch to code_length", [0x00, 0xa7, 0x00, 0x03], {}, "E_BRANCH_TARGET", 1],
    ["switch target inside an instruction", [0xaa, 0, 0, 0, 0, 0, 0, 9, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0x10, 0xb1], {}, "E_BRANCH_TARGET", 0],
    ["handler inside an instruction", [0x10, 0x01, 0xb1], { exceptionTable: [{ startPc: 0, endPc: 2, handlerPc: 1, catchType: 0 }] }, "E_BRANCH_TARGET", 1],
    ["handler end past the code", [0x00, 0xb1], { exceptionTable: [{ startPc: 0, endPc: 3, handlerPc: 1, catchType: 0 }] }, "E_BRANCH_TARGET", 3],
    ["line start at code_length", [0x00, 0xb1], { attributes: [{ kind: "LineNumberTable", nameIndex: 0, entries: [{ startPc: 2, line: 1 }] }] }, "E_BRANCH_TARGET", 2],
    ["local variable end inside", [0x10, 0x01, 0xb1], { attributes: [{ kind: "LocalVariableTable", nameIndex: 0, entries: [{ startPc: 0, length: 1, nameIndex: 1, descriptorIndex: 2, index: 0 }] }] }, "E_BRANCH_TARGET", 0],
    ["frame offset inside", [0x10, 0x01, 0xb1], { attributes: [{ kind: "StackMapTable", nameIndex: 0, frames: [{ type: "same", offsetDelta: 1 }] }] }, "E_BRANCH_TARGET", 1],
    ["uninitialized offset inside", [0x10, 0x01, 0xb1], { attributes: [{ kind: "StackMapTable", nameIndex: 0, frames: [{ type: "same_locals_1_stack_item", offsetDelta: 2, stack: { tag: "uninitialized", offset: 1 } }] }] }, "E_BRANCH_TARGET", 2],
    ["truncated sipush", [0x00, 0x11, 0x01], {}, "E_TRUNCATED", 1],
    ["truncated goto_w", [0xc8, 0, 0], {}, "E_TRUNCATED", 0],
    ["truncated wide", [0x00, 0xc4], {}, "E_TRUNCATED", 1],
    ["truncated wide iinc", [0xc4, 0x84, 0, 1, 0], {}, "E_TRUNCATED", 0],
    ["truncated tableswitch header", [0x00, 0xaa, 0, 0, 0, 0, 0, 0], {}, "E_TRUNCATED", 1],
    ["truncated tableswitch table", [0xaa, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1, 0, 0, 0, 0], {}, "E_TRUNCATED", 0],
    ["truncated lookupswitch", [0xab, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1, 0, 0, 0, 0], {}, "E_TRUNCATED", 0],
    ["newarray type 3", [0x03, 0xbc, 0x03, 0xb0], {}, "E_BAD_OPERAND", 1],
    ["tableswitch low > high", [0xaa, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1, 0, 0, 0, 0, 0xb1], {}, "E_BAD_OPERAND", 0],
    ["lookupswitch negative npairs", [0xab, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff, 0xff, 0xff, 0xb1], {}, "E_BAD_OPERAND", 0],
    ["multianewarray 0 dims", [0xc5, ids.arr >> 8, ids.arr & 255, 0], {}, "E_BAD_OPERAND", 0],
    ["invokeinterface count 0", [0xb9, ids.imethod >> 8, ids.imethod & 255, 0, 0], {}, "E_BAD_OPERAND", 0],
    ["invokeinterface 4th byte", [0xb9, ids.imethod >> 8, ids.imethod & 255, 1, 1], {}, "E_BAD_OPERAND", 0],
    ["invokedynamic reserved bytes", [0xba, ids.indy >> 8, ids.indy & 255, 0, 1], {}, "E_BAD_OPERAND", 0],
    ["getfield of an Integer", [0x00, 0xb4, 0x00, 0x01, 0xb1], {}, "E_CP_KIND", 1],
    ["ldc_w of a Fieldref", [0x13, ids.field >> 8, ids.field & 255], {}, "E_CP_KIND", 0],
    ["invokevirtual of an InterfaceMethodref", [0xb6, ids.imethod >> 8, ids.imethod & 255], {}, "E_CP_KIND", 0],
    ["new of index 0", [0x00, 0x00, 0xbb, 0x00, 0x00], {}, "E_CP_INDEX", 2],
    ["ldc past the pool", [0x13, 0xff, 0xff], {}, "E_CP_INDEX", 0],
  ];
  for (const [name, bytes, more, code, pc] of cases) {
    it(`${name}: ${code} at pc ${pc}`, () => {
      const e = errorOf(() => decodeBody(codeAttr(bytes, more), cp, where));
      expect(e.code).toBe(code);
      expect(e.diagnostic.location).toMatchObject({ ...where, pc });
    });
  }

  it("accepts nonzero switch padding and unsorted lookupswitch keys (HotSpot does too)", () => {
    const bytes = [0x00, 0xab, 0x07, 0x07, 0, 0, 0, 0x1b, 0, 0, 0, 2, 0, 0, 0, 9, 0, 0, 0, 0x1b, 0, 0, 0, 1, 0, 0, 0, 0x1b, 0xb1];
    const b = decodeBody(codeAttr(bytes), cp);
    expect(b.nodes[1]).toEqual({ kind: "lookupswitch", defaultTarget: 0, keys: [9, 1], targets: [0, 0] });
    bytes[2] = bytes[3] = 0;
    expect(hex(encodeBody(b, cp).code)).toBe(hex(Uint8Array.from(bytes)));
  });

  it("accepts an empty exception range (kept, as HotSpot reports it at link time)", () => {
    const b = decodeBody(codeAttr([0x00, 0xb1], { exceptionTable: [{ startPc: 1, endPc: 1, handlerPc: 0, catchType: 0 }] }), cp);
    expect(encodeBody(b, cp).exceptionTable).toEqual([{ startPc: 1, endPc: 1, handlerPc: 0, catchType: 0 } satisfies ExceptionTableEntry]);
  });
});

describe("encode errors", () => {
  const { cp } = testPool();
  const where = { className: "p/C", method: "m()V" };

  it("rejects a jump to a label that is never placed", () => {
    const e = errorOf(() => encodeBody(body([{ kind: "jump", op: Op.GOTO, target: 0 }], { labelCount: 1 }), cp, { where }));
    expect(e.code).toBe("E_BRANCH_TARGET");
    expect(e.diagnostic.location).toMatchObject(where);
  });

  it("rejects a label placed twice", () => {
    const e = errorOf(() => encodeBody(body([{ kind: "label", label: 0 }, { kind: "simple", op: Op.NOP }, { kind: "label", label: 0 }]), cp));
    expect(e.code).toBe("E_BRANCH_TARGET");
  });

  it("rejects two frames at one offset", () => {
    const b = body([{ kind: "frame", frame: { type: "same" } }, { kind: "frame", frame: { type: "same" } }, { kind: "simple", op: Op.RETURN }], { hasStackMapTable: true });
    expect(errorOf(() => encodeBody(b, cp)).code).toBe("E_BRANCH_TARGET");
  });

  it("rejects operands a node cannot carry", () => {
    expect(errorOf(() => encodeBody(body([{ kind: "int", op: Op.BIPUSH, value: 128 }]), cp)).code).toBe("E_BAD_OPERAND");
    expect(errorOf(() => encodeBody(body([{ kind: "simple", op: Op.GOTO }]), cp)).code).toBe("E_BAD_OPCODE");
    expect(errorOf(() => encodeBody(body([{ kind: "local", op: Op.IADD, index: 1 }]), cp)).code).toBe("E_BAD_OPCODE");
    expect(errorOf(() => encodeBody(body([{ kind: "iinc", index: 1, delta: 40000 }]), cp)).code).toBe("E_BAD_OPERAND");
  });

  it("keeps table pcs past 65535 in memory (code over 64 KB) and reads them back; the class writer refuses them", () => {
    const big = Array.from({ length: 70000 }, () => ({ kind: "simple", op: Op.NOP }) as CodeNode);
    const ok = encodeBody(body([...big, { kind: "simple", op: Op.RETURN }]), cp);
    expect(ok.code.length).toBe(70001);

    const handler = body([...big, { kind: "label", label: 0 }, { kind: "simple", op: Op.RETURN }, { kind: "label", label: 1 }], {
      handlers: [{ start: 0, end: 1, handler: 0, catchType: 0 }],
    });
    const h = encodeBody(handler, cp, { where });
    expect(h.exceptionTable).toEqual([{ startPc: 70000, endPc: 70001, handlerPc: 70000, catchType: 0 }]);
    expect(decodeBody(h, cp).handlers).toHaveLength(1);

    const line = body([...big, { kind: "line", line: 9 }, { kind: "simple", op: Op.RETURN }]);
    const l = encodeBody(line, cp);
    expect(l.attributes.find((a) => a.kind === "LineNumberTable")).toMatchObject({ entries: [{ startPc: 70000, line: 9 }] });
    expect(decodeBody(l, cp).nodes.filter((n) => n.kind === "line")).toEqual([{ kind: "line", line: 9 }]);

    const lv = body([{ kind: "label", label: 0 }, ...big, { kind: "label", label: 1 }, { kind: "simple", op: Op.RETURN }], {
      localVariables: [{ start: 0, end: 1, nameIndex: 1, descriptorIndex: 2, index: 0 }],
    });
    expect(encodeBody(lv, cp).attributes.find((a) => a.kind === "LocalVariableTable")).toMatchObject({ entries: [{ startPc: 0, length: 70000 }] });
    // The class writer: the code length first, then (limits off) each u2 table field.
    const withCode = (code: CodeAttribute): ClassFile => ({ ...classOf(cp), methods: [{ accessFlags: 9, nameIndex: cp.addUtf8("m"), descriptorIndex: cp.addUtf8("()V"), attributes: [{ ...code, nameIndex: cp.addUtf8("Code") }] }] });
    expect(errorOf(() => writeClass(withCode(l))).code).toBe("E_CODE_TOO_LARGE");
    expect(errorOf(() => writeClass(withCode(l), { enforceJvmLimits: false })).message).toContain("line number start_pc 70000");
    expect(errorOf(() => writeClass(withCode(h), { enforceJvmLimits: false })).message).toContain("exception start_pc 70000");
  });
});

/** An empty public class named T over `cp`. */
function classOf(cp: ConstantPool): ClassFile {
  return { minorVersion: 0, majorVersion: 52, constantPool: cp, accessFlags: 0x21, thisClass: cp.addClass("T"), superClass: cp.addClass("java/lang/Object"), interfaces: [], fields: [], methods: [], attributes: [] };
}

describe("decoded attributes keep nothing stale", () => {
  it("drops raw from rebuilt tables", () => {
    const { cp } = testPool();
    const code = codeAttr([0xb1], { attributes: [{ kind: "LineNumberTable", nameIndex: 0, entries: [{ startPc: 0, line: 1 }], raw: Uint8Array.of(0, 1, 0, 0, 0, 1) }] });
    const out = encodeBody(decodeBody(code, cp), cp);
    expect(out.raw).toBeUndefined();
    expect(out.attributes[0]!.raw).toBeUndefined();
    expect(stripRaw(out.attributes)).toEqual([{ kind: "LineNumberTable", nameIndex: cp.addUtf8("LineNumberTable"), entries: [{ startPc: 0, line: 1 }], raw: undefined }]);
  });
});
