/**
 * Decodes a Code attribute (JVMS 4.7.3, instructions of JVMS 6.5) into a
 * {@link MethodBody}: instructions normalised as described in `model.ts`, offsets
 * replaced by labels, and the positional attributes (LineNumberTable 4.7.12,
 * LocalVariable(Type)Table 4.7.13/14, StackMapTable 4.7.4) turned into nodes or
 * label-based rows.
 *
 * Labels: one per distinct offset that anything refers to (branch and switch
 * targets, handler start/end/handler, line starts, local-variable start and
 * start+length, frame offsets, and the `new` of every uninitialized(offset)
 * verification type). Ids are dense, 0..labelCount-1, in increasing offset order,
 * so label order is code order. A label may sit at code_length (a handler or
 * local-variable range that runs to the end).
 *
 * Order of pseudo-nodes at one offset, fixed: `label`, then every `line` whose
 * start_pc is this offset (all LineNumberTable attributes merged, entries in table
 * order, attributes in attribute order), then the `frame`, then the instruction.
 * Line entries therefore come out sorted by pc (stable), so a re-encoded
 * LineNumberTable may list rows in a different order than an unsorted original.
 * Several LocalVariable(Type)Table attributes are concatenated.
 *
 * Errors (MegasplitError, location = `where` + pc): an undefined opcode or a
 * `wide` of a non-wideable one is E_BAD_OPCODE; an instruction running past the
 * end is E_TRUNCATED; any offset that is out of range or not an instruction
 * boundary is E_BRANCH_TARGET (the model cannot represent a position inside an
 * instruction, so this is strict even where HotSpot is not, e.g. line tables).
 * Operands: newarray type outside 4..11, multianewarray with 0 dimensions,
 * invokeinterface with count 0, nonzero reserved bytes of invokeinterface and
 * invokedynamic, tableswitch low > high and negative lookupswitch npairs are
 * E_BAD_OPERAND: HotSpot rejects them too, and the reserved bytes have no place
 * in the model. Lenient where HotSpot is (or where nothing is lost): nonzero
 * switch padding (legal since version 51; re-encoded as zeros), unsorted
 * lookupswitch keys (kept in order), handler ranges with start >= end (kept).
 * Constant-pool operands are checked for kind only (E_CP_INDEX / E_CP_KIND).
 *
 * Cost: one pass over the bytes building instruction nodes (one object per
 * instruction, plus a targets array per switch), then O(code length) typed-array
 * passes for boundaries and labels, then one pass interleaving pseudo-nodes.
 */
import type { CodeAttribute, LineNumberEntry, StackMapFrame, VerificationType, Attribute, LocalVariableEntry } from "../classfile/model.js";
import type { ConstantPool } from "../classfile/constant-pool.js";
import type { CpKind } from "../classfile/model.js";
import { ErrorCodes, MegasplitError, type ErrorCode, type Location } from "../diagnostics.js";
import type { CodeNode, FrameNode, FrameType, Handler, Instruction, LocalVariable, MethodBody } from "./model.js";
import { FORMAT_CODE, Fmt, OPCODES, isWideable } from "./opcodes.js";

/** Bits per constant-pool kind, so an operand check is one lookup and one AND. */
const KIND_BIT: Record<CpKind, number> = {
  Utf8: 1 << 0,
  Integer: 1 << 1,
  Float: 1 << 2,
  Long: 1 << 3,
  Double: 1 << 4,
  Class: 1 << 5,
  String: 1 << 6,
  Fieldref: 1 << 7,
  Methodref: 1 << 8,
  InterfaceMethodref: 1 << 9,
  NameAndType: 1 << 10,
  MethodHandle: 1 << 11,
  MethodType: 1 << 12,
  Dynamic: 1 << 13,
  InvokeDynamic: 1 << 14,
  Module: 1 << 15,
  Package: 1 << 16,
};
const K = KIND_BIT;
const LDC_KINDS = K.Integer | K.Float | K.String | K.Class | K.MethodType | K.MethodHandle | K.Dynamic;
const LDC2_KINDS = K.Long | K.Double | K.Dynamic;
const FIELD_KINDS = K.Fieldref;
const VIRTUAL_KINDS = K.Methodref;
// invokespecial/invokestatic may name interface methods from version 52 on.
const SPECIAL_STATIC_KINDS = K.Methodref | K.InterfaceMethodref;
const CLASS_KINDS = K.Class;

/** Which constant kinds each cp_u2 opcode accepts (0 = no cp operand). */
const CP_KINDS_OF_OP = new Int32Array(256);
CP_KINDS_OF_OP[0x12] = LDC_KINDS;
CP_KINDS_OF_OP[0x13] = LDC_KINDS;
CP_KINDS_OF_OP[0x14] = LDC2_KINDS;
for (let op = 0xb2; op <= 0xb5; op++) CP_KINDS_OF_OP[op] = FIELD_KINDS;
CP_KINDS_OF_OP[0xb6] = VIRTUAL_KINDS;
CP_KINDS_OF_OP[0xb7] = SPECIAL_STATIC_KINDS;
CP_KINDS_OF_OP[0xb8] = SPECIAL_STATIC_KINDS;
CP_KINDS_OF_OP[0xb9] = K.InterfaceMethodref;
CP_KINDS_OF_OP[0xba] = K.InvokeDynamic;
for (const op of [0xbb, 0xbd, 0xc0, 0xc1, 0xc5]) CP_KINDS_OF_OP[op] = CLASS_KINDS;

function kindsOf(mask: number): CpKind[] {
  return (Object.keys(KIND_BIT) as CpKind[]).filter((k) => (KIND_BIT[k] & mask) !== 0);
}

function checkCp(cp: ConstantPool, index: number, mask: number): void {
  const e = cp.entries[index];
  if (index > 0 && e !== undefined && (KIND_BIT[e.kind] & mask) !== 0) return;
  // Slow path: let the pool produce its standard E_CP_INDEX / E_CP_KIND error.
  cp.expect(index, ...kindsOf(mask));
}

/** Mutable shapes of the nodes built here; targets hold absolute offsets until labels exist. */
type JumpNode = Extract<Instruction, { kind: "jump" }>;
type TableNode = Extract<Instruction, { kind: "tableswitch" }>;
type LookupNode = Extract<Instruction, { kind: "lookupswitch" }>;

export function decodeBody(code: CodeAttribute, cp: ConstantPool, where: Location = {}): MethodBody {
  const b = code.code;
  const len = b.length;
  const fail = (errorCode: ErrorCode, message: string, pc: number): never => {
    throw new MegasplitError(errorCode, message, { ...where, pc });
  };

  // ---- pass 1: instructions, with absolute branch offsets ----
  const insns: Instruction[] = [];
  const insnPc = new Int32Array(len + 1);
  /** 1 at every instruction start, and at len (the "end" position). */
  const boundary = new Uint8Array(len + 1);
  /** 1 where a label is needed. */
  const wanted = new Uint8Array(len + 1);
  /** Indices into insns of jumps and switches, whose targets need rewriting. */
  const branching: number[] = [];

  let pc = 0;
  try {
    while (pc < len) {
      const op = b[pc]!;
      const fmt = FORMAT_CODE[op]!;
      boundary[pc] = 1;
      insnPc[insns.length] = pc;
      let node: Instruction;
      let next: number;
      switch (fmt) {
        case Fmt.none: {
          const info = OPCODES[op]!;
          next = pc + 1;
          node = info.impliedLocal !== undefined ? { kind: "local", op: info.normal, index: info.impliedLocal } : { kind: "simple", op };
          break;
        }
        case Fmt.local_u1:
          next = pc + 2;
          if (next > len) truncated(pc, op);
          node = { kind: "local", op, index: b[pc + 1]! };
          break;
        case Fmt.s1:
          next = pc + 2;
          if (next > len) truncated(pc, op);
          node = { kind: "int", op, value: (b[pc + 1]! << 24) >> 24 };
          break;
        case Fmt.s2:
          next = pc + 3;
          if (next > len) truncated(pc, op);
          node = { kind: "int", op, value: ((b[pc + 1]! << 24) >> 16) | b[pc + 2]! };
          break;
        case Fmt.atype: {
          next = pc + 2;
          if (next > len) truncated(pc, op);
          const atype = b[pc + 1]!;
          if (atype < 4 || atype > 11) fail(ErrorCodes.BAD_OPERAND, `newarray with array type ${atype} (must be 4..11)`, pc);
          node = { kind: "int", op, value: atype };
          break;
        }
        case Fmt.cp_u1: {
          next = pc + 2;
          if (next > len) truncated(pc, op);
          const index = b[pc + 1]!;
          checkCp(cp, index, CP_KINDS_OF_OP[op]!);
          node = { kind: "cp", op, index };
          break;
        }
        case Fmt.cp_u2: {
          next = pc + 3;
          if (next > len) truncated(pc, op);
          const index = (b[pc + 1]! << 8) | b[pc + 2]!;
          checkCp(cp, index, CP_KINDS_OF_OP[op]!);
          node = { kind: "cp", op: OPCODES[op]!.normal, index };
          break;
        }
        case Fmt.branch_s2: {
          next = pc + 3;
          if (next > len) truncated(pc, op);
          const target = pc + (((b[pc + 1]! << 24) >> 16) | b[pc + 2]!);
          branching.push(insns.length);
          node = { kind: "jump", op, target };
          break;
        }
        case Fmt.branch_s4: {
          next = pc + 5;
          if (next > len) truncated(pc, op);
          const target = pc + s4(b, pc + 1);
          branching.push(insns.length);
          node = { kind: "jump", op: OPCODES[op]!.normal, target };
          break;
        }
        case Fmt.iinc:
          next = pc + 3;
          if (next > len) truncated(pc, op);
          node = { kind: "iinc", index: b[pc + 1]!, delta: (b[pc + 2]! << 24) >> 24 };
          break;
        case Fmt.invokeinterface: {
          next = pc + 5;
          if (next > len) truncated(pc, op);
          const index = (b[pc + 1]! << 8) | b[pc + 2]!;
          const count = b[pc + 3]!;
          if (count === 0) fail(ErrorCodes.BAD_OPERAND, "invokeinterface with argument count 0", pc);
          if (b[pc + 4] !== 0) fail(ErrorCodes.BAD_OPERAND, `invokeinterface with nonzero fourth operand byte ${b[pc + 4]}`, pc);
          checkCp(cp, index, CP_KINDS_OF_OP[op]!);
          node = { kind: "invokeinterface", index, count };
          break;
        }
        case Fmt.invokedynamic: {
          next = pc + 5;
          if (next > len) truncated(pc, op);
          const index = (b[pc + 1]! << 8) | b[pc + 2]!;
          if (b[pc + 3] !== 0 || b[pc + 4] !== 0) fail(ErrorCodes.BAD_OPERAND, "invokedynamic with nonzero reserved operand bytes", pc);
          checkCp(cp, index, CP_KINDS_OF_OP[op]!);
          node = { kind: "invokedynamic", index };
          break;
        }
        case Fmt.multianewarray: {
          next = pc + 4;
          if (next > len) truncated(pc, op);
          const index = (b[pc + 1]! << 8) | b[pc + 2]!;
          const dims = b[pc + 3]!;
          if (dims === 0) fail(ErrorCodes.BAD_OPERAND, "multianewarray with 0 dimensions", pc);
          checkCp(cp, index, CP_KINDS_OF_OP[op]!);
          node = { kind: "multianewarray", index, dims };
          break;
        }
        case Fmt.tableswitch: {
          // Operands start at the next multiple of 4 counted from the start of the code.
          const p = (pc + 4) & ~3;
          if (p + 12 > len) truncated(pc, op);
          const defaultTarget = pc + s4(b, p);
          const low = s4(b, p + 4);
          const high = s4(b, p + 8);
          if (low > high) fail(ErrorCodes.BAD_OPERAND, `tableswitch with low ${low} > high ${high}`, pc);
          const n = high - low + 1;
          next = p + 12 + 4 * n;
          if (next > len) truncated(pc, op);
          const targets: number[] = new Array<number>(n);
          for (let i = 0, q = p + 12; i < n; i++, q += 4) targets[i] = pc + s4(b, q);
          branching.push(insns.length);
          node = { kind: "tableswitch", low, high, defaultTarget, targets };
          break;
        }
        case Fmt.lookupswitch: {
          const p = (pc + 4) & ~3;
          if (p + 8 > len) truncated(pc, op);
          const defaultTarget = pc + s4(b, p);
          const npairs = s4(b, p + 4);
          if (npairs < 0) fail(ErrorCodes.BAD_OPERAND, `lookupswitch with ${npairs} pairs`, pc);
          next = p + 8 + 8 * npairs;
          if (next > len) truncated(pc, op);
          const keys: number[] = new Array<number>(npairs);
          const targets: number[] = new Array<number>(npairs);
          for (let i = 0, q = p + 8; i < npairs; i++, q += 8) {
            keys[i] = s4(b, q);
            targets[i] = pc + s4(b, q + 4);
          }
          branching.push(insns.length);
          node = { kind: "lookupswitch", defaultTarget, keys, targets };
          break;
        }
        case Fmt.wide: {
          if (pc + 2 > len) truncated(pc, op);
          const inner = b[pc + 1]!;
          if (!isWideable(inner)) fail(ErrorCodes.BAD_OPCODE, `wide applied to ${OPCODES[inner]?.mnemonic ?? `undefined opcode 0x${inner.toString(16)}`}`, pc);
          if (inner === 0x84) {
            next = pc + 6;
            if (next > len) truncated(pc, op);
            node = { kind: "iinc", index: (b[pc + 2]! << 8) | b[pc + 3]!, delta: ((b[pc + 4]! << 24) >> 16) | b[pc + 5]! };
          } else {
            next = pc + 4;
            if (next > len) truncated(pc, op);
            node = { kind: "local", op: inner, index: (b[pc + 2]! << 8) | b[pc + 3]! };
          }
          break;
        }
        default:
          return fail(ErrorCodes.BAD_OPCODE, `undefined opcode 0x${op.toString(16).padStart(2, "0")}`, pc);
      }
      insns.push(node);
      pc = next;
    }
  } catch (e) {
    // Constant-pool errors know the class but not the instruction.
    if (e instanceof MegasplitError) throw e.within({ ...where, pc });
    throw e;
  }
  boundary[len] = 1;
  const insnCount = insns.length;
  insnPc[insnCount] = len;

  function truncated(at: number, op: number): never {
    return fail(ErrorCodes.TRUNCATED, `${OPCODES[op]!.mnemonic} runs past the end of the code (length ${len})`, at);
  }

  /** Marks `offset` as needing a label; `allowEnd` admits code_length (exclusive range ends). */
  const want = (offset: number, allowEnd: boolean, what: string, pcForError: number): void => {
    if (offset < 0 || offset > len || (offset === len && !allowEnd) || boundary[offset] === 0) {
      fail(ErrorCodes.BRANCH_TARGET, `${what} ${offset} is not an instruction boundary (code length ${len})`, pcForError);
    }
    wanted[offset] = 1;
  };

  // ---- targets of jumps and switches ----
  for (const i of branching) {
    const node = insns[i]!;
    const at = insnPc[i]!;
    if (node.kind === "jump") want(node.target, false, "branch target", at);
    else if (node.kind === "tableswitch" || node.kind === "lookupswitch") {
      want(node.defaultTarget, false, "switch default target", at);
      for (const t of node.targets) want(t, false, "switch target", at);
    }
  }

  // ---- exception table ----
  for (const h of code.exceptionTable) {
    want(h.startPc, false, "exception range start", h.startPc);
    want(h.endPc, true, "exception range end", h.endPc);
    want(h.handlerPc, false, "exception handler", h.handlerPc);
  }

  // ---- nested attributes ----
  let lineEntries: LineNumberEntry[] | undefined;
  let lvRows: LocalVariableEntry[] | undefined;
  let lvtRows: LocalVariableEntry[] | undefined;
  let frames: StackMapFrame[] | undefined;
  const otherAttributes: Attribute[] = [];
  for (const a of code.attributes) {
    switch (a.kind) {
      case "LineNumberTable":
        lineEntries = lineEntries ? lineEntries.concat(a.entries) : a.entries.slice();
        break;
      case "LocalVariableTable":
        lvRows = lvRows ? lvRows.concat(a.entries) : a.entries;
        break;
      case "LocalVariableTypeTable":
        lvtRows = lvtRows ? lvtRows.concat(a.entries) : a.entries;
        break;
      case "StackMapTable":
        // JVMS allows one; a second one is kept raw-ish as it came, not interpreted.
        if (frames === undefined) frames = a.frames;
        else otherAttributes.push(a);
        break;
      default:
        otherAttributes.push(a);
    }
  }

  if (lineEntries) {
    let sorted = true;
    for (let i = 0; i < lineEntries.length; i++) {
      const e = lineEntries[i]!;
      want(e.startPc, false, "line number start", e.startPc);
      if (i > 0 && e.startPc < lineEntries[i - 1]!.startPc) sorted = false;
    }
    if (!sorted) lineEntries.sort((x, y) => x.startPc - y.startPc); // stable (ES2019)
  }
  for (const rows of [lvRows, lvtRows]) {
    if (!rows) continue;
    for (const r of rows) {
      // A zero-length range at the very end is representable (both labels at the end).
      want(r.startPc, true, "local variable start", r.startPc);
      want(r.startPc + r.length, true, "local variable end", r.startPc);
    }
  }
  /** Offsets of the frames, in order (strictly increasing by construction). */
  let frameOffsets: Int32Array | undefined;
  if (frames) {
    frameOffsets = new Int32Array(frames.length);
    let offset = -1;
    for (let i = 0; i < frames.length; i++) {
      const f = frames[i]!;
      offset = i === 0 ? f.offsetDelta : offset + f.offsetDelta + 1;
      frameOffsets[i] = offset;
      want(offset, false, "stack map frame offset", offset);
      markUninitialized(f, offset);
    }
  }
  function markUninitialized(f: StackMapFrame, at: number): void {
    const mark = (t: VerificationType): void => {
      if (t.tag === "uninitialized") want(t.offset, false, "uninitialized(new) offset", at);
    };
    switch (f.type) {
      case "same":
      case "chop":
        return;
      case "same_locals_1_stack_item":
        return mark(f.stack);
      case "append":
        for (const t of f.locals) mark(t);
        return;
      case "full":
        for (const t of f.locals) mark(t);
        for (const t of f.stack) mark(t);
        return;
    }
  }

  // ---- dense labels in offset order ----
  const labelAt = new Int32Array(len + 1).fill(-1);
  let labelCount = 0;
  for (let o = 0; o <= len; o++) if (wanted[o] === 1) labelAt[o] = labelCount++;

  for (const i of branching) {
    const node = insns[i]!;
    if (node.kind === "jump") (node as JumpNode).target = labelAt[node.target]!;
    else if (node.kind === "tableswitch" || node.kind === "lookupswitch") {
      const sw = node as TableNode | LookupNode;
      sw.defaultTarget = labelAt[sw.defaultTarget]!;
      const t = sw.targets;
      for (let k = 0; k < t.length; k++) t[k] = labelAt[t[k]!]!;
    }
  }

  const frameType = (t: VerificationType): FrameType => (t.tag === "uninitialized" ? { tag: "uninitialized", label: labelAt[t.offset]! } : t);
  const frameNode = (f: StackMapFrame): FrameNode => {
    switch (f.type) {
      case "same":
        return { type: "same" };
      case "same_locals_1_stack_item":
        return { type: "same_locals_1_stack_item", stack: frameType(f.stack) };
      case "chop":
        return { type: "chop", chop: f.chop };
      case "append":
        return { type: "append", locals: f.locals.map(frameType) };
      case "full":
        return { type: "full", locals: f.locals.map(frameType), stack: f.stack.map(frameType) };
    }
  };

  // ---- interleave pseudo-nodes and instructions ----
  const nodes: CodeNode[] = [];
  let lineIdx = 0;
  const lineCount = lineEntries ? lineEntries.length : 0;
  let frameIdx = 0;
  const frameCount = frames ? frames.length : 0;
  for (let i = 0; i <= insnCount; i++) {
    const at = insnPc[i]!;
    const label = labelAt[at]!;
    if (label >= 0) nodes.push({ kind: "label", label });
    while (lineIdx < lineCount && lineEntries![lineIdx]!.startPc === at) nodes.push({ kind: "line", line: lineEntries![lineIdx++]!.line });
    if (frameIdx < frameCount && frameOffsets![frameIdx] === at) nodes.push({ kind: "frame", frame: frameNode(frames![frameIdx++]!) });
    if (i < insnCount) nodes.push(insns[i]!);
  }

  const handlers: Handler[] = code.exceptionTable.map((h) => ({
    start: labelAt[h.startPc]!,
    end: labelAt[h.endPc]!,
    handler: labelAt[h.handlerPc]!,
    catchType: h.catchType,
  }));
  const toLocal = (r: LocalVariableEntry): LocalVariable => ({
    start: labelAt[r.startPc]!,
    end: labelAt[r.startPc + r.length]!,
    nameIndex: r.nameIndex,
    descriptorIndex: r.descriptorIndex,
    index: r.index,
  });

  const body: MethodBody = {
    maxStack: code.maxStack,
    maxLocals: code.maxLocals,
    nodes,
    labelCount,
    handlers,
    hasStackMapTable: frames !== undefined,
    otherAttributes,
  };
  if (lvRows) body.localVariables = lvRows.map(toLocal);
  if (lvtRows) body.localVariableTypes = lvtRows.map(toLocal);
  return body;
}

function s4(b: Uint8Array, p: number): number {
  return (b[p]! << 24) | (b[p + 1]! << 16) | (b[p + 2]! << 8) | b[p + 3]!;
}
