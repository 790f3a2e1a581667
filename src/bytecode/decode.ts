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
 * Several LocalVariable(Type)Table attributes are concatenated. Other nested
 * attributes go to `otherAttributes` as they are; verification types other than
 * uninitialized are shared with the class-file model (both are immutable).
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
 * Cost: two passes over the bytes. The first validates and finds boundaries and
 * targets without allocating; labels are then numbered with an O(code length)
 * scan of a typed array; the second builds one object per instruction and
 * pseudo-node (plus the arrays of a switch), already in final order; equal
 * operand-only instructions share one node (`shared-nodes.ts`). Scratch
 * typed arrays are reused across calls (up to 1 MB of code).
 */
import type { Attribute, CodeAttribute, CpKind, LineNumberEntry, LocalVariableEntry, StackMapFrame, VerificationType } from "../classfile/model.js";
import type { ConstantPool } from "../classfile/constant-pool.js";
import { ErrorCodes, MegasplitError, type ErrorCode, type Location, InternalError } from "../diagnostics.js";
import { FIXED_ATTRIBUTE_ORDER, type CodeNode, type FrameNode, type FrameType, type Handler, type Label, type LocalVariable, type MethodBody, type NestedAttributeKind } from "./model.js";
import { FORMAT_CODE, Fmt, IMPLIED_LOCAL, NORMAL_OP, OPCODES, Op, isWideable } from "./opcodes.js";
import { SharedNodes } from "./shared-nodes.js";
import { newMethodBody } from "./method-body.js";

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

/**
 * Scratch arrays reused across calls (per-call typed-array allocation dominated
 * small methods). Safe because decodeBody is synchronous and not re-entrant; the
 * ranges used are cleared or fully written before they are read.
 */
const scratch = { boundary: new Uint8Array(1024), wanted: new Uint8Array(1024), labelAt: new Int32Array(1024) };
/**
 * Code up to this many bytes uses the kept scratch; longer code gets arrays of its
 * own, dropped with the call (6 bytes per code byte: 100 MB kept for the life of
 * the process after one 16 MB method).
 */
const SCRATCH_KEPT = 1 << 20;

/** Grows the scratch arrays to at least `size` entries (one array per role: views cost more than they save). */
function scratchFor(size: number): typeof scratch {
  if (size > SCRATCH_KEPT) return { boundary: new Uint8Array(size), wanted: new Uint8Array(size), labelAt: new Int32Array(size) };
  if (scratch.boundary.length < size) {
    const cap = Math.max(size, scratch.boundary.length * 2);
    scratch.boundary = new Uint8Array(cap);
    scratch.wanted = new Uint8Array(cap);
    scratch.labelAt = new Int32Array(cap);
  }
  return scratch;
}

/** Instruction length per opcode for the fixed-length formats (0 otherwise). */
const FIXED_SIZE = new Uint8Array(256);
for (const row of OPCODES) if (row) FIXED_SIZE[row.opcode] = row.size;

function failAt(errorCode: ErrorCode, message: string, where: Location, pc: number): never {
  throw new MegasplitError(errorCode, message, { ...where, pc });
}

function truncatedAt(op: number, len: number, where: Location, pc: number): never {
  return failAt(ErrorCodes.TRUNCATED, `${OPCODES[op]!.mnemonic} runs past the end of the code (length ${len})`, where, pc);
}

/** The first operand byte of a switch: the next multiple of 4 after the opcode (JVMS 6.5 tableswitch). */
function switchOperands(pc: number): number {
  return (pc + 4) & ~3;
}

/** What a caller of `decodeBody` may ask besides the body. */
export interface DecodeOptions {
  /** Record the nested attributes' order when the encoder's fixed order would change it (`MethodBody.attributeOrder`). */
  keepAttributeOrder?: boolean;
}

const NO_OPTIONS: DecodeOptions = {};

export function decodeBody(code: CodeAttribute, cp: ConstantPool, where: Location = {}, opts: DecodeOptions = NO_OPTIONS): MethodBody {
  const b = code.code;
  const len = b.length;

  // Scratch arrays may be longer than len + 1; only 0..len is cleared and used.
  const { boundary, wanted, labelAt } = scratchFor(len + 1);
  /** boundary: 1 at every instruction start, and at len (the "end" position). */
  boundary.fill(0, 0, len + 1);
  /** wanted: 1 where a label is needed. */
  wanted.fill(0, 0, len + 1);
  /** labelAt: label id per offset, -1 where there is none (written for 0..len below). */

  // ---- pass 1: validate instructions, find boundaries and branch targets (no allocation) ----
  /** (target, pc of the branching instruction) pairs, checked once every boundary is known. */
  const branchTargets: number[] = [];
  scanInstructions(b, cp, where, boundary, branchTargets);
  boundary[len] = 1;

  /** Marks `offset` as needing a label; `allowEnd` admits code_length (exclusive range ends). */
  const want = (offset: number, allowEnd: boolean, what: string, pcForError: number): void => {
    if (offset < 0 || offset > len || (offset === len && !allowEnd) || boundary[offset] === 0) {
      failAt(ErrorCodes.BRANCH_TARGET, `${what} ${offset} is not an instruction boundary (code length ${len})`, where, pcForError);
    }
    wanted[offset] = 1;
  };

  for (let i = 0; i < branchTargets.length; i += 2) want(branchTargets[i]!, false, "branch target", branchTargets[i + 1]!);

  // ---- exception table ----
  // Indexed loops over model arrays throughout: for-of and Array.prototype.map over
  // arrays whose elements kind varies (empty vs filled) kept deoptimizing.
  for (let k = 0; k < code.exceptionTable.length; k++) {
    const h = code.exceptionTable[k]!;
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
  for (let k = 0; k < code.attributes.length; k++) {
    const a = code.attributes[k]!;
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
        // JVMS allows one; a second one is kept as it came, not interpreted.
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
  for (let pass = 0; pass < 2; pass++) {
    const rows = pass === 0 ? lvRows : lvtRows;
    if (!rows) continue;
    for (let k = 0; k < rows.length; k++) {
      const r = rows[k]!;
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
      if (f.type === "same" || f.type === "chop") continue;
      const types = frameTypesOf(f);
      for (let k = 0; k < types.length; k++) {
        const t = types[k]!;
        if (t.tag === "uninitialized") want(t.offset, false, "uninitialized(new) offset", offset);
      }
    }
  }

  // ---- dense labels in offset order ----
  let labelCount = 0;
  for (let o = 0; o <= len; o++) labelAt[o] = wanted[o] === 1 ? labelCount++ : -1;

  // ---- pass 2: build nodes, pseudo-nodes first at each offset ----
  const nodes = buildNodes(b, labelAt, lineEntries, frames, frameOffsets);

  // Loops, not Array.prototype.map: see the note on the exception table in encode.ts.
  const handlers: Handler[] = [];
  for (let k = 0; k < code.exceptionTable.length; k++) {
    const h = code.exceptionTable[k]!;
    handlers.push({ start: labelAt[h.startPc]!, end: labelAt[h.endPc]!, handler: labelAt[h.handlerPc]!, catchType: h.catchType });
  }
  const toLocals = (rows: readonly LocalVariableEntry[]): LocalVariable[] => {
    const out: LocalVariable[] = [];
    for (let k = 0; k < rows.length; k++) {
      const r = rows[k]!;
      out.push({ start: labelAt[r.startPc]!, end: labelAt[r.startPc + r.length]!, nameIndex: r.nameIndex, descriptorIndex: r.descriptorIndex, index: r.index });
    }
    return out;
  };

  const maxStack = code.maxStack;
  const maxLocals = code.maxLocals;
  const hasStackMapTable = frames !== undefined;
  // One shape for every body, with or without the optional tables (method-body.ts).
  const localVariables = lvRows === undefined ? undefined : toLocals(lvRows);
  const localVariableTypes = lvtRows === undefined ? undefined : toLocals(lvtRows);
  const attributeOrder = opts.keepAttributeOrder ? orderIfNotFixed(code.attributes) : undefined;
  return newMethodBody({ maxStack, maxLocals, nodes, labelCount, handlers, localVariables, localVariableTypes, hasStackMapTable, otherAttributes, attributeOrder });
}

/**
 * The Code attribute's nested attributes in the order they came (one slot per
 * table the encoder writes: a second table of a kind is merged into the first,
 * or, for a StackMapTable, kept among the others), or undefined when the
 * encoder's fixed order gives the same and no line or variable table is empty
 * (text cannot show an empty table but by naming it in this order).
 */
function orderIfNotFixed(attributes: readonly Attribute[]): NestedAttributeKind[] | undefined {
  const order: NestedAttributeKind[] = [];
  const seen = new Set<NestedAttributeKind>();
  let emptyTable = false;
  for (const a of attributes) {
    const kind: NestedAttributeKind = FIXED_ATTRIBUTE_ORDER.includes(a.kind as NestedAttributeKind) ? (a.kind as NestedAttributeKind) : "other";
    if ("entries" in a && a.entries.length === 0) emptyTable = true;
    if (kind !== "other" && seen.has(kind)) {
      if (kind === "StackMapTable") order.push("other");
      continue;
    }
    seen.add(kind);
    order.push(kind);
  }
  const fixed = [...FIXED_ATTRIBUTE_ORDER.filter((k) => seen.has(k)), ...order.filter((k) => k === "other")];
  return !emptyTable && order.every((k, i) => k === fixed[i]) ? undefined : order;
}

/**
 * Pass 2: one node per instruction and pseudo-node, in final order. A function of
 * its own so that it is optimised (and deoptimised, when a rare instruction format
 * is first met) apart from the rest of decodeBody.
 */
function buildNodes(
  b: Uint8Array,
  labelAt: Int32Array,
  lineEntries: readonly LineNumberEntry[] | undefined,
  frames: readonly StackMapFrame[] | undefined,
  frameOffsets: Int32Array | undefined,
): CodeNode[] {
  const len = b.length;
  const nodes: CodeNode[] = [];
  const shared = new SharedNodes();
  let lineIdx = 0;
  const lineCount = lineEntries ? lineEntries.length : 0;
  let frameIdx = 0;
  const frameCount = frames ? frames.length : 0;
  let pc = 0;
  for (;;) {
    const label = labelAt[pc]!;
    if (label >= 0) nodes.push({ kind: "label", label });
    while (lineIdx < lineCount && lineEntries![lineIdx]!.startPc === pc) nodes.push({ kind: "line", line: lineEntries![lineIdx++]!.line });
    if (frameIdx < frameCount && frameOffsets![frameIdx] === pc) nodes.push({ kind: "frame", frame: frameNode(frames![frameIdx++]!, labelAt) });
    if (pc >= len) break;
    const op = b[pc]!;
    // Pass 1 validated every operand, so this switch only reads.
    switch (FORMAT_CODE[op]) {
      case Fmt.none: {
        const implied = IMPLIED_LOCAL[op]!;
        nodes.push(implied >= 0 ? shared.local(NORMAL_OP[op]!, implied) : shared.simple(op));
        pc += 1;
        break;
      }
      case Fmt.local_u1:
        nodes.push(shared.local(op, b[pc + 1]!));
        pc += 2;
        break;
      case Fmt.s1:
        nodes.push(shared.int(op, (b[pc + 1]! << 24) >> 24));
        pc += 2;
        break;
      case Fmt.s2:
        nodes.push(shared.int(op, ((b[pc + 1]! << 24) >> 16) | b[pc + 2]!));
        pc += 3;
        break;
      case Fmt.atype:
        nodes.push(shared.int(op, b[pc + 1]!));
        pc += 2;
        break;
      case Fmt.cp_u1:
        nodes.push(shared.cp(op, b[pc + 1]!));
        pc += 2;
        break;
      case Fmt.cp_u2:
        nodes.push(shared.cp(NORMAL_OP[op]!, (b[pc + 1]! << 8) | b[pc + 2]!));
        pc += 3;
        break;
      case Fmt.branch_s2:
        nodes.push({ kind: "jump", op, target: labelAt[pc + (((b[pc + 1]! << 24) >> 16) | b[pc + 2]!)]! });
        pc += 3;
        break;
      case Fmt.branch_s4:
        nodes.push({ kind: "jump", op: NORMAL_OP[op]!, target: labelAt[pc + s4(b, pc + 1)]! });
        pc += 5;
        break;
      case Fmt.iinc:
        nodes.push({ kind: "iinc", index: b[pc + 1]!, delta: (b[pc + 2]! << 24) >> 24 });
        pc += 3;
        break;
      case Fmt.invokeinterface:
        nodes.push({ kind: "invokeinterface", index: (b[pc + 1]! << 8) | b[pc + 2]!, count: b[pc + 3]! });
        pc += 5;
        break;
      case Fmt.invokedynamic:
        nodes.push({ kind: "invokedynamic", index: (b[pc + 1]! << 8) | b[pc + 2]! });
        pc += 5;
        break;
      case Fmt.multianewarray:
        nodes.push({ kind: "multianewarray", index: (b[pc + 1]! << 8) | b[pc + 2]!, dims: b[pc + 3]! });
        pc += 4;
        break;
      case Fmt.tableswitch: {
        const p = switchOperands(pc);
        const defaultTarget = labelAt[pc + s4(b, p)]!;
        const low = s4(b, p + 4);
        const high = s4(b, p + 8);
        const n = high - low + 1;
        const targets: Label[] = new Array<Label>(n);
        for (let i = 0, q = p + 12; i < n; i++, q += 4) targets[i] = labelAt[pc + s4(b, q)]!;
        nodes.push({ kind: "tableswitch", low, high, defaultTarget, targets });
        pc = p + 12 + 4 * n;
        break;
      }
      case Fmt.lookupswitch: {
        const p = switchOperands(pc);
        const defaultTarget = labelAt[pc + s4(b, p)]!;
        const npairs = s4(b, p + 4);
        const keys: number[] = new Array<number>(npairs);
        const targets: Label[] = new Array<Label>(npairs);
        for (let i = 0, q = p + 8; i < npairs; i++, q += 8) {
          keys[i] = s4(b, q);
          targets[i] = labelAt[pc + s4(b, q + 4)]!;
        }
        nodes.push({ kind: "lookupswitch", defaultTarget, keys, targets });
        pc = p + 8 + 8 * npairs;
        break;
      }
      case Fmt.wide:
        if (b[pc + 1] === Op.IINC) {
          nodes.push({ kind: "iinc", index: (b[pc + 2]! << 8) | b[pc + 3]!, delta: ((b[pc + 4]! << 24) >> 16) | b[pc + 5]! });
          pc += 6;
        } else {
          nodes.push(shared.local(b[pc + 1]!, (b[pc + 2]! << 8) | b[pc + 3]!));
          pc += 4;
        }
        break;
      default:
        throw new InternalError(`decodeBody: opcode ${op} at ${pc} passed validation`);
    }
  }

  return nodes;
}

function frameType(t: VerificationType, labelAt: Int32Array): FrameType {
  return t.tag === "uninitialized" ? { tag: "uninitialized", label: labelAt[t.offset]! } : t;
}

function frameTypes(ts: readonly VerificationType[], labelAt: Int32Array): FrameType[] {
  const out: FrameType[] = [];
  for (let k = 0; k < ts.length; k++) out.push(frameType(ts[k]!, labelAt));
  return out;
}

function frameNode(f: StackMapFrame, labelAt: Int32Array): FrameNode {
  switch (f.type) {
    case "same":
      return f.extended ? { type: "same", extended: true } : { type: "same" };
    case "same_locals_1_stack_item":
      return f.extended ? { type: "same_locals_1_stack_item", stack: frameType(f.stack, labelAt), extended: true } : { type: "same_locals_1_stack_item", stack: frameType(f.stack, labelAt) };
    case "chop":
      return { type: "chop", chop: f.chop };
    case "append":
      return { type: "append", locals: frameTypes(f.locals, labelAt) };
    case "full":
      return { type: "full", locals: frameTypes(f.locals, labelAt), stack: frameTypes(f.stack, labelAt) };
  }
}

/**
 * Pass 1: checks every instruction (opcode, length, operands, constant kinds),
 * marks instruction starts in `boundary` and appends (target, pc) pairs for every
 * branch and switch target to `branchTargets`. Allocates nothing per instruction.
 */
function scanInstructions(b: Uint8Array, cp: ConstantPool, where: Location, boundary: Uint8Array, branchTargets: number[]): void {
  const len = b.length;
  let pc = 0;
  try {
    while (pc < len) {
      const op = b[pc]!;
      boundary[pc] = 1;
      let next = pc + FIXED_SIZE[op]!;
      switch (FORMAT_CODE[op]) {
        case Fmt.none:
        case Fmt.local_u1:
        case Fmt.s1:
        case Fmt.s2:
        case Fmt.iinc:
          if (next > len) truncatedAt(op, len, where, pc);
          break;
        case Fmt.atype: {
          if (next > len) truncatedAt(op, len, where, pc);
          const atype = b[pc + 1]!;
          if (atype < 4 || atype > 11) failAt(ErrorCodes.BAD_OPERAND, `newarray with array type ${atype} (must be 4..11)`, where, pc);
          break;
        }
        case Fmt.cp_u1:
          if (next > len) truncatedAt(op, len, where, pc);
          checkCp(cp, b[pc + 1]!, CP_KINDS_OF_OP[op]!);
          break;
        case Fmt.cp_u2:
          if (next > len) truncatedAt(op, len, where, pc);
          checkCp(cp, (b[pc + 1]! << 8) | b[pc + 2]!, CP_KINDS_OF_OP[op]!);
          break;
        case Fmt.branch_s2:
          if (next > len) truncatedAt(op, len, where, pc);
          branchTargets.push(pc + (((b[pc + 1]! << 24) >> 16) | b[pc + 2]!), pc);
          break;
        case Fmt.branch_s4:
          if (next > len) truncatedAt(op, len, where, pc);
          branchTargets.push(pc + s4(b, pc + 1), pc);
          break;
        case Fmt.invokeinterface:
          if (next > len) truncatedAt(op, len, where, pc);
          if (b[pc + 3] === 0) failAt(ErrorCodes.BAD_OPERAND, "invokeinterface with argument count 0", where, pc);
          if (b[pc + 4] !== 0) failAt(ErrorCodes.BAD_OPERAND, `invokeinterface with nonzero fourth operand byte ${b[pc + 4]}`, where, pc);
          checkCp(cp, (b[pc + 1]! << 8) | b[pc + 2]!, CP_KINDS_OF_OP[op]!);
          break;
        case Fmt.invokedynamic:
          if (next > len) truncatedAt(op, len, where, pc);
          if (b[pc + 3] !== 0 || b[pc + 4] !== 0) failAt(ErrorCodes.BAD_OPERAND, "invokedynamic with nonzero reserved operand bytes", where, pc);
          checkCp(cp, (b[pc + 1]! << 8) | b[pc + 2]!, CP_KINDS_OF_OP[op]!);
          break;
        case Fmt.multianewarray:
          if (next > len) truncatedAt(op, len, where, pc);
          if (b[pc + 3] === 0) failAt(ErrorCodes.BAD_OPERAND, "multianewarray with 0 dimensions", where, pc);
          checkCp(cp, (b[pc + 1]! << 8) | b[pc + 2]!, CP_KINDS_OF_OP[op]!);
          break;
        case Fmt.tableswitch: {
          const p = switchOperands(pc);
          if (p + 12 > len) truncatedAt(op, len, where, pc);
          const low = s4(b, p + 4);
          const high = s4(b, p + 8);
          if (low > high) failAt(ErrorCodes.BAD_OPERAND, `tableswitch with low ${low} > high ${high}`, where, pc);
          next = p + 12 + 4 * (high - low + 1);
          if (next > len) truncatedAt(op, len, where, pc);
          branchTargets.push(pc + s4(b, p), pc);
          for (let q = p + 12; q < next; q += 4) branchTargets.push(pc + s4(b, q), pc);
          break;
        }
        case Fmt.lookupswitch: {
          const p = switchOperands(pc);
          if (p + 8 > len) truncatedAt(op, len, where, pc);
          const npairs = s4(b, p + 4);
          if (npairs < 0) failAt(ErrorCodes.BAD_OPERAND, `lookupswitch with ${npairs} pairs`, where, pc);
          next = p + 8 + 8 * npairs;
          if (next > len) truncatedAt(op, len, where, pc);
          branchTargets.push(pc + s4(b, p), pc);
          for (let q = p + 8; q < next; q += 8) branchTargets.push(pc + s4(b, q + 4), pc);
          break;
        }
        case Fmt.wide: {
          if (pc + 2 > len) truncatedAt(op, len, where, pc);
          const inner = b[pc + 1]!;
          if (!isWideable(inner)) {
            failAt(ErrorCodes.BAD_OPCODE, `wide applied to ${OPCODES[inner]?.mnemonic ?? `undefined opcode 0x${inner.toString(16)}`}`, where, pc);
          }
          next = pc + (inner === Op.IINC ? 6 : 4);
          if (next > len) truncatedAt(op, len, where, pc);
          break;
        }
        default:
          failAt(ErrorCodes.BAD_OPCODE, `undefined opcode 0x${op.toString(16).padStart(2, "0")}`, where, pc);
      }
      pc = next;
    }
  } catch (e) {
    // Constant-pool errors know the class but not the instruction.
    if (e instanceof MegasplitError) throw e.within({ ...where, pc });
    throw e;
  }
}

/** The verification types a frame mentions (for finding uninitialized offsets). */
function frameTypesOf(f: StackMapFrame): readonly VerificationType[] {
  switch (f.type) {
    case "same":
    case "chop":
      return [];
    case "same_locals_1_stack_item":
      return [f.stack];
    case "append":
      return f.locals;
    case "full":
      return f.stack.length === 0 ? f.locals : f.locals.concat(f.stack);
  }
}

function s4(b: Uint8Array, p: number): number {
  return (b[p]! << 24) | (b[p + 1]! << 16) | (b[p + 2]! << 8) | b[p + 3]!;
}
