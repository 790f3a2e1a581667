/**
 * Encodes a {@link MethodBody} back into a Code attribute (JVMS 4.7.3, instruction
 * formats of JVMS 6.5), choosing the shortest form of every instruction and laying
 * out branches by iterative relaxation.
 *
 * Forms: xload/xstore with index <= 3 become xload_n/xstore_n; an index > 255 (or
 * an iinc whose index > 255 or delta outside s1) takes `wide`; ldc with index > 255
 * becomes ldc_w. A goto/jsr whose distance does not fit s2 becomes goto_w/jsr_w; a
 * conditional that does not fit becomes the inverted conditional jumping 8 bytes
 * forward over a goto_w to the target (ifeq <-> ifne, ifnull <-> ifnonnull, ...).
 * Widening decisions are sticky: every iteration lays out the code with the
 * current decisions (switch padding recomputed from each switch's offset), then
 * widens every short branch that is out of range; the set of wide branches only
 * grows, so it terminates after at most (number of branches + 1) iterations, and in
 * practice after one or two.
 *
 * Nested attributes are written in a fixed order: LineNumberTable (if the body has
 * `line` nodes), LocalVariableTable, LocalVariableTypeTable (if present),
 * StackMapTable (if `hasStackMapTable`), then `otherAttributes` as they are;
 * or in the order the body recorded (`attributeOrder`, kept by the disassembler
 * for ASM's StackMapTable-first order). Attribute names are found in the pool, or
 * added with `cp.addUtf8`.
 *
 * StackMapTable frames keep their recorded form; only `offsetDelta` is recomputed
 * (first frame: its offset; later ones: offset - previous - 1). The classfile
 * model has no separate extended forms: the class writer picks the encoding at
 * write time (a `same` frame with offsetDelta > 63 is written as
 * same_frame_extended, a `same_locals_1_stack_item` with offsetDelta > 63 as
 * same_locals_1_stack_item_frame_extended).
 *
 * Positions with nothing after them: `line` and `frame` nodes after the last
 * instruction describe no instruction and are dropped. `frame` nodes are also
 * ignored when `hasStackMapTable` is false (versions < 50 have no such table).
 *
 * Errors found before layout (bad operands, unplaced labels) carry `opts.where`
 * without a pc, since no offset exists yet; errors about u2 overflows carry the pc.
 *
 * Limits: code_length is u4 in memory and not limited here (the class writer
 * refuses more than 65,535 bytes). Exception-table, LineNumberTable and
 * LocalVariable(Type)Table pcs and lengths are u2 in the class file, but only code
 * longer than 65,535 bytes has larger ones: the in-memory attribute keeps them (the
 * splitter decodes it back) and the class writer refuses them. A frame offset
 * delta above 65,535 is E_CODE_TOO_LARGE.
 *
 * Errors in the body (E_BRANCH_TARGET for a label that is referenced but never
 * placed, placed twice, or two frames at one offset; E_BAD_OPCODE / E_BAD_OPERAND
 * for an opcode or operand that its node kind cannot carry) are MegasplitErrors,
 * since bodies also come from the text assembler.
 *
 * `encodedCodeLength` gives a body's code length alone (the same classification
 * and relaxation, nothing written, no constant added).
 *
 * Cost: one classification pass over the nodes, O(nodes) per relaxation
 * iteration on typed arrays, one pass writing into an exactly sized Uint8Array.
 * The per-node typed arrays are module-level scratch, reused across calls
 * (encodeBody is synchronous and not re-entrant); they keep the size of the
 * largest body seen up to a million nodes, larger bodies allocate their own.
 */
import type { Attribute, CodeAttribute, ExceptionTableEntry, LineNumberEntry, LocalVariableEntry, StackMapFrame } from "../classfile/model.js";
import type { ConstantPool } from "../classfile/constant-pool.js";
import { ErrorCodes, MegasplitError, type ErrorCode, type Location, InternalError, unreachable } from "../diagnostics.js";
import type { CodeNode, FrameNode, LocalVariable, MethodBody, NestedAttributeKind } from "./model.js";
import { FORMAT_CODE, Fmt, NORMAL_OP, OPCODES, Op, invertCondition } from "./opcodes.js";
import { decodeBody } from "./decode.js";
import { SharedVerificationTypes } from "./shared-verification-types.js";

export interface EncodeOptions {
  /** Attached to every error (class, method...). */
  where?: Location;
}

/**
 * Node kinds as small integers. The classification pass records one per node, so
 * that relaxation and writing switch on a typed array: reading `kind` from nodes
 * of a dozen shapes is a megamorphic load, once per node per pass. Kinds from
 * SIMPLE on are laid out with their `fixedSize`.
 */
const LABEL = 0;
const LINE = 1;
const FRAME = 2;
const JUMP = 3;
const TABLESWITCH = 4;
const LOOKUPSWITCH = 5;
const SIMPLE = 6;
const LOCAL = 7;
const IINC = 8;
const INT = 9;
const CP = 10;
const INVOKEINTERFACE = 11;
const INVOKEDYNAMIC = 12;
const MULTIANEWARRAY = 13;

/** The node of a kind, for reading fields after switching on its recorded kind code. */
type NodeOf<K extends CodeNode["kind"]> = Extract<CodeNode, { kind: K }>;

const U2_MAX = 0xffff;

/**
 * Scratch arrays reused across calls: per-call typed-array allocation dominated
 * small methods. Safe because encodeBody is synchronous and not re-entrant; every
 * array is cleared over the range it uses before use.
 */
const scratch = {
  kindCode: new Uint8Array(1024),
  conditional: new Uint8Array(1024),
  wide: new Uint8Array(1024),
  fixedSize: new Int32Array(1024),
  offsetOf: new Int32Array(1025),
  labelPlaced: new Uint8Array(1024),
  labelOffset: new Int32Array(1024),
};
/**
 * Bodies up to this many nodes or labels use the kept scratch; a larger one gets
 * arrays of its own, dropped with the call (a 16 MB method's would otherwise stay
 * allocated for the life of the process: 11 bytes a node, 150 MB).
 */
const SCRATCH_KEPT = 1 << 20;

/** Scratch arrays for n nodes and labelCount labels (one array per role: views cost more than they save). */
function scratchFor(n: number, labelCount: number): typeof scratch {
  if (n > SCRATCH_KEPT || labelCount > SCRATCH_KEPT) {
    return {
      kindCode: new Uint8Array(n),
      conditional: new Uint8Array(n),
      wide: new Uint8Array(n),
      fixedSize: new Int32Array(n),
      offsetOf: new Int32Array(n + 1),
      labelPlaced: new Uint8Array(labelCount),
      labelOffset: new Int32Array(labelCount),
    };
  }
  if (scratch.kindCode.length < n) {
    const cap = Math.max(n, scratch.kindCode.length * 2);
    scratch.kindCode = new Uint8Array(cap);
    scratch.conditional = new Uint8Array(cap);
    scratch.wide = new Uint8Array(cap);
    scratch.fixedSize = new Int32Array(cap);
    scratch.offsetOf = new Int32Array(cap + 1);
  }
  if (scratch.labelPlaced.length < labelCount) {
    const cap = Math.max(labelCount, scratch.labelPlaced.length * 2);
    scratch.labelPlaced = new Uint8Array(cap);
    scratch.labelOffset = new Int32Array(cap);
  }
  return scratch;
}

/**
 * Attribute-name indices per pool. `cp.addUtf8` builds the pool's whole key map on
 * first use, which cost more than encoding the code itself when re-encoding every
 * method of a jar; a single scan for the five names is cheaper. The pool only
 * grows and its entries never change, so a found index stays valid. A pool that
 * already has its key map (a split's clones: one per method and attempt) is not
 * scanned: each name is looked up there once (a scan of each clone was a pass over
 * thousands of entries per method). Both answer the first entry holding the name's
 * bytes.
 */
const ATTRIBUTE_NAMES = ["Code", "LineNumberTable", "LocalVariableTable", "LocalVariableTypeTable", "StackMapTable"] as const;
type AttributeName = (typeof ATTRIBUTE_NAMES)[number];
const attributeNameCache = new WeakMap<ConstantPool, Map<AttributeName, number>>();
function attributeNameIndex(cp: ConstantPool, name: AttributeName): number {
  let names = attributeNameCache.get(cp);
  if (names === undefined) {
    names = new Map();
    attributeNameCache.set(cp, names);
    if (cp.hasKeyMap) return lookUp(cp, names, name);
    const entries = cp.entries;
    for (let i = 1; i < entries.length; i++) {
      const e = entries[i];
      // Only the canonical (one byte per ASCII char) encoding is what addUtf8 would return.
      if (e !== undefined && e.kind === "Utf8" && e.bytes.length === e.value.length && e.bytes.length >= 4 && e.bytes.length <= 22) {
        const v = e.value as AttributeName;
        if ((ATTRIBUTE_NAMES as readonly string[]).includes(v) && !names.has(v)) names.set(v, i);
      }
    }
  }
  return lookUp(cp, names, name);
}

/** `name`'s index from `names`, else added to (or found in) the pool and remembered. */
function lookUp(cp: ConstantPool, names: Map<AttributeName, number>, name: AttributeName): number {
  let index = names.get(name);
  if (index === undefined) {
    index = cp.addUtf8(name);
    names.set(name, index);
  }
  return index;
}

export function encodeBody(body: MethodBody, cp: ConstantPool, opts: EncodeOptions = {}): CodeAttribute {
  const fail = failAt(opts.where ?? {});
  const { layoutArrays, codeLength, positional, checkLabel } = layOut(body, fail);
  const { nodes, kindCode, offsetOf, labelOffset } = layoutArrays;
  const out = writeCode(layoutArrays, codeLength);

  // ---- exception table ----
  const offsetOfLabel = (label: number, what: string): number => {
    checkLabel(label, what);
    return labelOffset[label]!;
  };
  // Loops rather than Array.prototype.map here and below: an inlined `map` whose
  // receiver's elements kind changes (empty vs filled tables) sent this function
  // into a deoptimization loop, thousands of deopts in one jar.
  const handlers = body.handlers;
  const exceptionTable: ExceptionTableEntry[] = [];
  for (let k = 0; k < handlers.length; k++) {
    const h = handlers[k]!;
    exceptionTable.push({
      startPc: u2Pc(offsetOfLabel(h.start, "exception range start"), "exception range start"),
      endPc: u2Pc(offsetOfLabel(h.end, "exception range end"), "exception range end"),
      handlerPc: u2Pc(offsetOfLabel(h.handler, "exception handler"), "exception handler"),
      catchType: h.catchType,
    });
  }

  const attributes = encodeNestedAttributes(body, cp, { nodes, kindCode, offsetOf, positional, codeLength }, offsetOfLabel, fail);

  return {
    kind: "Code",
    nameIndex: attributeNameIndex(cp, "Code"),
    maxStack: body.maxStack,
    maxLocals: body.maxLocals,
    code: out,
    exceptionTable,
    attributes,
  };
}

/**
 * The code length `encodeBody` gives `body` (JVMS 4.7.3 code_length), without
 * writing the code or its attributes and without touching a constant pool: the
 * classification and relaxation `encodeBody` starts with. Frame and line nodes
 * take no bytes, so a body has the same length with or without its frames.
 */
export function encodedCodeLength(body: MethodBody, opts: EncodeOptions = {}): number {
  return layOut(body, failAt(opts.where ?? {})).codeLength;
}

function failAt(where: Location): Fail {
  return (errorCode: ErrorCode, message: string, pc?: number): never => {
    throw new MegasplitError(errorCode, message, pc === undefined ? { ...where } : { ...where, pc });
  };
}

/** Classification and relaxation of `body` into the scratch arrays (valid until the next call). */
function layOut(body: MethodBody, fail: Fail): { layoutArrays: Layout; codeLength: number; positional: number[]; checkLabel: (label: number, what: string) => void } {
  const nodes = body.nodes;
  const n = nodes.length;
  const labelCount = body.labelCount;

  // ---- classify: kind code and fixed size of every node ----
  // Scratch arrays may be longer than needed: only 0..n-1 (0..n for offsetOf) and
  // 0..labelCount-1 are cleared and used. `kindCode` is written for every node;
  // `conditional` (for jumps: 1 if the branch widens to 8 bytes, 0 for goto/jsr
  // widening to 5) and `fixedSize` for every node that reads them; `offsetOf` and
  // `labelOffset` are written by relax.
  const { kindCode, conditional, wide, fixedSize, offsetOf, labelPlaced, labelOffset } = scratchFor(n, labelCount);
  wide.fill(0, 0, n);
  labelPlaced.fill(0, 0, labelCount);
  const jumps: number[] = [];
  const switches: number[] = [];
  /** Indices of `line` and `frame` nodes, for the nested attributes. */
  const positional: number[] = [];
  const checkLabel = (label: number, what: string): void => {
    if (!(label >= 0 && label < labelCount) || labelPlaced[label] === 0) fail(ErrorCodes.BRANCH_TARGET, `${what} refers to label ${label}, which is not placed in the body`);
  };

  classify(nodes, labelCount, { kindCode, conditional, fixedSize, labelPlaced }, jumps, switches, positional, fail);
  for (let k = 0; k < jumps.length; k++) {
    const node = nodes[jumps[k]!] as NodeOf<"jump">;
    checkLabel(node.target, mnemonic(node.op));
  }
  for (let k = 0; k < switches.length; k++) {
    const node = nodes[switches[k]!] as NodeOf<"tableswitch" | "lookupswitch">;
    checkLabel(node.defaultTarget, node.kind);
    const targets = node.targets;
    for (let t = 0; t < targets.length; t++) checkLabel(targets[t]!, node.kind);
  }

  // ---- relaxation ----
  const layoutArrays: Layout = { nodes, kindCode, fixedSize, conditional, wide, jumps, offsetOf, labelOffset };
  const codeLength = relax(layoutArrays);
  return { layoutArrays, codeLength, positional, checkLabel };
}

type Fail = (errorCode: ErrorCode, message: string, pc?: number) => never;

/**
 * A pc or length for a u2 table field. Offsets past 65,535 exist only in code
 * longer than the class file allows: the in-memory attribute keeps them (so the
 * splitter can read a method of any length back), and the class writer refuses
 * them with the code length (E_CODE_TOO_LARGE).
 */
function u2Pc(pc: number, _what: string): number {
  return pc;
}

/** What the nested attributes read of the layout: where each line and frame node landed. */
interface Positions {
  nodes: readonly CodeNode[];
  kindCode: Uint8Array;
  offsetOf: Int32Array;
  /** Indices of `line` and `frame` nodes. */
  positional: readonly number[];
  codeLength: number;
}

type OffsetOfLabel = (label: number, what: string) => number;

/**
 * The Code attribute's nested attributes, in the fixed order the header gives
 * (LineNumberTable, LocalVariable(Type)Table, StackMapTable, then the others), or
 * in the body's recorded `attributeOrder`. The names are looked up (or added to
 * the pool) in the fixed order either way.
 */
function encodeNestedAttributes(body: MethodBody, cp: ConstantPool, at: Positions, offsetOfLabel: OffsetOfLabel, fail: Fail): Attribute[] {
  const { nodes, kindCode, offsetOf, positional, codeLength } = at;
  const attributes: Attribute[] = [];
  const lines: LineNumberEntry[] = [];
  const frames: StackMapFrame[] = [];
  let previousFrameOffset = -1;
  const types = new SharedVerificationTypes(offsetOfLabel);
  for (let k = 0; k < positional.length; k++) {
    const i = positional[k]!;
    if (kindCode[i] === LINE) {
      const at = offsetOf[i]!;
      if (at < codeLength) lines.push({ startPc: u2Pc(at, "line number start"), line: (nodes[i] as NodeOf<"line">).line });
    } else if (body.hasStackMapTable) {
      const node = nodes[i] as NodeOf<"frame">;
      const at = offsetOf[i]!;
      if (at >= codeLength) continue;
      if (at === previousFrameOffset) fail(ErrorCodes.BRANCH_TARGET, `two stack map frames at offset ${at}`, at);
      const delta = previousFrameOffset < 0 ? at : at - previousFrameOffset - 1;
      if (delta > U2_MAX) fail(ErrorCodes.CODE_TOO_LARGE, `stack map frame offset delta ${delta} does not fit in u2`, at);
      frames.push(encodeFrame(node.frame, delta, types));
      previousFrameOffset = at;
    }
  }
  if (lines.length > 0 || body.attributeOrder?.includes("LineNumberTable")) attributes.push({ kind: "LineNumberTable", nameIndex: attributeNameIndex(cp, "LineNumberTable"), entries: lines });
  const localRows = (rows: LocalVariable[], what: string): LocalVariableEntry[] => {
    const out: LocalVariableEntry[] = [];
    for (let k = 0; k < rows.length; k++) {
      const r = rows[k]!;
      const start = offsetOfLabel(r.start, `${what} start`);
      const length = offsetOfLabel(r.end, `${what} end`) - start;
      if (length < 0) fail(ErrorCodes.BRANCH_TARGET, `${what} for slot ${r.index} ends before it starts`, start);
      out.push({
        startPc: u2Pc(start, `${what} start`),
        length: u2Pc(length, `${what} length`),
        nameIndex: r.nameIndex,
        descriptorIndex: r.descriptorIndex,
        index: r.index,
      });
    }
    return out;
  };
  if (body.localVariables) {
    attributes.push({ kind: "LocalVariableTable", nameIndex: attributeNameIndex(cp, "LocalVariableTable"), entries: localRows(body.localVariables, "local variable") });
  }
  if (body.localVariableTypes) {
    attributes.push({
      kind: "LocalVariableTypeTable",
      nameIndex: attributeNameIndex(cp, "LocalVariableTypeTable"),
      entries: localRows(body.localVariableTypes, "local variable type"),
    });
  }
  if (body.hasStackMapTable) attributes.push({ kind: "StackMapTable", nameIndex: attributeNameIndex(cp, "StackMapTable"), frames });
  const otherAttributes = body.otherAttributes;
  for (let k = 0; k < otherAttributes.length; k++) attributes.push(otherAttributes[k]!);
  return body.attributeOrder ? inRecordedOrder(attributes, body.attributeOrder, attributes.length - otherAttributes.length) : attributes;
}

/**
 * `attributes` (the built tables, then the others from `firstOther` on) in the
 * order the body recorded (`MethodBody.attributeOrder`): each table at its slot,
 * each "other" slot taking the next of the others; what the order does not name
 * follows in the fixed order. The names were added to the pool in the fixed order
 * above, so a pool assembled from text is the same either way.
 */
function inRecordedOrder(attributes: readonly Attribute[], order: readonly NestedAttributeKind[], firstOther: number): Attribute[] {
  const tables = attributes.slice(0, firstOther);
  const others = attributes.slice(firstOther);
  const out: Attribute[] = [];
  let nextOther = 0;
  for (const slot of order) {
    if (slot === "other") {
      if (nextOther < others.length) out.push(others[nextOther++]!);
      continue;
    }
    const at = tables.findIndex((a) => a.kind === slot);
    if (at >= 0) out.push(tables.splice(at, 1)[0]!);
  }
  return [...out, ...tables, ...others.slice(nextOther)];
}

function encodeFrame(f: FrameNode, offsetDelta: number, types: SharedVerificationTypes): StackMapFrame {
  // `extended` only where the short form would do, as the class reader sets it: a delta over 63 is extended anyway.
  switch (f.type) {
    case "same":
      return f.extended && offsetDelta < 64 ? { type: "same", offsetDelta, extended: true } : { type: "same", offsetDelta };
    case "same_locals_1_stack_item": {
      const stack = types.of(f.stack);
      return f.extended && offsetDelta < 64 ? { type: "same_locals_1_stack_item", offsetDelta, stack, extended: true } : { type: "same_locals_1_stack_item", offsetDelta, stack };
    }
    case "chop":
      return { type: "chop", offsetDelta, chop: f.chop };
    case "append":
      return { type: "append", offsetDelta, locals: types.listOf(f.locals) };
    case "full":
      return { type: "full", offsetDelta, locals: types.listOf(f.locals), stack: types.listOf(f.stack) };
  }
}

/**
 * The classification pass: checks every node's operands and label placement,
 * records its kind code and fixed size, and lists the jumps, switches and
 * line/frame nodes. A function of its own (not part of encodeBody) so that it is
 * optimised, and deoptimised, on its own: one large function took long to compile
 * and lost all its optimised code whenever one rare node kind was first seen.
 */
function classify(
  nodes: readonly CodeNode[],
  labelCount: number,
  arrays: { kindCode: Uint8Array; conditional: Uint8Array; fixedSize: Int32Array; labelPlaced: Uint8Array },
  jumps: number[],
  switches: number[],
  positional: number[],
  fail: Fail,
): void {
  const { kindCode, conditional, fixedSize, labelPlaced } = arrays;
  const n = nodes.length;
  for (let i = 0; i < n; i++) {
    const node = nodes[i]!;
    switch (node.kind) {
      case "label": {
        const l = node.label;
        if (!(l >= 0 && l < labelCount)) fail(ErrorCodes.BRANCH_TARGET, `label ${l} is outside 0..${labelCount - 1}`);
        if (labelPlaced[l] === 1) fail(ErrorCodes.BRANCH_TARGET, `label ${l} is placed twice`);
        labelPlaced[l] = 1;
        kindCode[i] = LABEL;
        break;
      }
      case "line":
        kindCode[i] = LINE;
        positional.push(i);
        break;
      case "frame":
        kindCode[i] = FRAME;
        positional.push(i);
        break;
      case "simple":
        if (FORMAT_CODE[node.op] !== Fmt.none) fail(ErrorCodes.BAD_OPCODE, `${mnemonic(node.op)} is not an operand-free instruction`);
        kindCode[i] = SIMPLE;
        fixedSize[i] = 1;
        break;
      case "local": {
        const { op, index } = node;
        checkU2(fail, index, "local variable index");
        const isLoadStore = (op >= Op.ILOAD && op <= Op.ALOAD) || (op >= Op.ISTORE && op <= Op.ASTORE);
        if (!isLoadStore && op !== Op.RET) fail(ErrorCodes.BAD_OPCODE, `${mnemonic(op)} does not take a local variable index`);
        kindCode[i] = LOCAL;
        fixedSize[i] = index <= 3 && isLoadStore ? 1 : index <= 255 ? 2 : 4;
        break;
      }
      case "iinc":
        checkU2(fail, node.index, "iinc index");
        if (!(node.delta >= -32768 && node.delta <= 32767)) fail(ErrorCodes.BAD_OPERAND, `iinc delta ${node.delta} does not fit in 16 bits`);
        kindCode[i] = IINC;
        fixedSize[i] = node.index <= 255 && node.delta >= -128 && node.delta <= 127 ? 3 : 6;
        break;
      case "int": {
        const { op, value } = node;
        if (op === Op.BIPUSH) {
          if (!(value >= -128 && value <= 127)) fail(ErrorCodes.BAD_OPERAND, `bipush ${value} does not fit in a byte`);
          fixedSize[i] = 2;
        } else if (op === Op.SIPUSH) {
          if (!(value >= -32768 && value <= 32767)) fail(ErrorCodes.BAD_OPERAND, `sipush ${value} does not fit in 16 bits`);
          fixedSize[i] = 3;
        } else if (op === Op.NEWARRAY) {
          if (!(value >= 4 && value <= 11)) fail(ErrorCodes.BAD_OPERAND, `newarray type ${value} is not 4..11`);
          fixedSize[i] = 2;
        } else fail(ErrorCodes.BAD_OPCODE, `${mnemonic(op)} does not take an immediate int`);
        kindCode[i] = INT;
        break;
      }
      case "cp": {
        const { op, index } = node;
        if (!(index >= 1 && index <= U2_MAX)) fail(ErrorCodes.BAD_OPERAND, `constant-pool index ${index} is not 1..65535`);
        const f = FORMAT_CODE[op];
        if (op === Op.LDC || op === Op.LDC_W) fixedSize[i] = index <= 255 ? 2 : 3;
        else if (f === Fmt.cp_u2) fixedSize[i] = 3;
        else fail(ErrorCodes.BAD_OPCODE, `${mnemonic(op)} does not take a constant-pool index`);
        kindCode[i] = CP;
        break;
      }
      case "invokeinterface":
        checkU2(fail, node.index, "invokeinterface index");
        if (!(node.count >= 1 && node.count <= 255)) fail(ErrorCodes.BAD_OPERAND, `invokeinterface count ${node.count} is not 1..255`);
        kindCode[i] = INVOKEINTERFACE;
        fixedSize[i] = 5;
        break;
      case "invokedynamic":
        checkU2(fail, node.index, "invokedynamic index");
        kindCode[i] = INVOKEDYNAMIC;
        fixedSize[i] = 5;
        break;
      case "multianewarray":
        checkU2(fail, node.index, "multianewarray index");
        if (!(node.dims >= 1 && node.dims <= 255)) fail(ErrorCodes.BAD_OPERAND, `multianewarray dimensions ${node.dims} is not 1..255`);
        kindCode[i] = MULTIANEWARRAY;
        fixedSize[i] = 4;
        break;
      case "jump": {
        const op = node.op;
        if (FORMAT_CODE[op] !== Fmt.branch_s2 && FORMAT_CODE[op] !== Fmt.branch_s4) fail(ErrorCodes.BAD_OPCODE, `${mnemonic(op)} is not a branch`);
        kindCode[i] = JUMP;
        conditional[i] = op === Op.GOTO || op === Op.GOTO_W || op === Op.JSR || op === Op.JSR_W ? 0 : 1;
        jumps.push(i);
        break;
      }
      case "tableswitch":
        if (node.targets.length !== node.high - node.low + 1) {
          fail(ErrorCodes.BAD_OPERAND, `tableswitch ${node.low}..${node.high} has ${node.targets.length} targets`);
        }
        kindCode[i] = TABLESWITCH;
        switches.push(i);
        break;
      case "lookupswitch":
        if (node.keys.length !== node.targets.length) fail(ErrorCodes.BAD_OPERAND, `lookupswitch has ${node.keys.length} keys and ${node.targets.length} targets`);
        kindCode[i] = LOOKUPSWITCH;
        switches.push(i);
        break;
      default:
        unknownNode(node);
    }
  }
}

function checkU2(fail: Fail, v: number, what: string): void {
  if (!(v >= 0 && v <= U2_MAX)) fail(ErrorCodes.BAD_OPERAND, `${what} ${v} is not 0..65535`);
}

/** The per-node arrays that relaxation and writing share (carved from scratch). */
interface Layout {
  nodes: readonly CodeNode[];
  kindCode: Uint8Array;
  fixedSize: Int32Array;
  conditional: Uint8Array;
  wide: Uint8Array;
  jumps: number[];
  offsetOf: Int32Array;
  labelOffset: Int32Array;
}

/**
 * Lays the code out with the current widening decisions, widens every short
 * branch that is out of range, and repeats until none is; returns the code length.
 * Top-level (not a closure) so that its loop variables stay in registers.
 */
function relax(l: Layout): number {
  const { nodes, kindCode, fixedSize, conditional, wide, jumps, offsetOf, labelOffset } = l;
  const n = nodes.length;
  let codeLength = 0;
  for (;;) {
    let off = 0;
    for (let i = 0; i < n; i++) {
      offsetOf[i] = off;
      switch (kindCode[i]) {
        case LABEL:
          labelOffset[(nodes[i] as NodeOf<"label">).label] = off;
          break;
        case LINE:
        case FRAME:
          break;
        case JUMP:
          off += wide[i] === 0 ? 3 : conditional[i] === 1 ? 8 : 5;
          break;
        case TABLESWITCH: {
          const node = nodes[i] as { targets: number[] };
          off += 1 + (3 - (off & 3)) + 12 + 4 * node.targets.length;
          break;
        }
        case LOOKUPSWITCH: {
          const node = nodes[i] as { targets: number[] };
          off += 1 + (3 - (off & 3)) + 8 + 8 * node.targets.length;
          break;
        }
        default:
          off += fixedSize[i]!;
      }
    }
    offsetOf[n] = off;
    codeLength = off;
    let widened = false;
    for (let k = 0; k < jumps.length; k++) {
      const i = jumps[k]!;
      if (wide[i] === 1) continue;
      const d = labelOffset[(nodes[i] as { target: number }).target]! - offsetOf[i]!;
      if (d < -32768 || d > 32767) {
        wide[i] = 1;
        widened = true;
      }
    }
    if (!widened) break;
  }
  return codeLength;
}

/** Writes the instructions at the offsets `relax` settled on. */
function writeCode(l: Layout, codeLength: number): Uint8Array {
  const { nodes, kindCode, fixedSize, conditional, wide, labelOffset } = l;
  const n = nodes.length;
  const out = new Uint8Array(codeLength);
  let p = 0;
  for (let i = 0; i < n; i++) {
    switch (kindCode[i]) {
      case LABEL:
      case LINE:
      case FRAME:
        break;
      case SIMPLE:
        out[p++] = (nodes[i] as NodeOf<"simple">).op;
        break;
      case LOCAL: {
        const { op, index } = nodes[i] as NodeOf<"local">;
        const size = fixedSize[i];
        if (size === 1) {
          out[p++] = (op >= Op.ISTORE ? Op.ISTORE_0 + (op - Op.ISTORE) * 4 : Op.ILOAD_0 + (op - Op.ILOAD) * 4) + index;
        } else if (size === 2) {
          out[p] = op;
          out[p + 1] = index;
          p += 2;
        } else {
          out[p] = Op.WIDE;
          out[p + 1] = op;
          put2(out, p + 2, index);
          p += 4;
        }
        break;
      }
      case IINC: {
        const node = nodes[i] as NodeOf<"iinc">;
        if (fixedSize[i] === 3) {
          out[p] = Op.IINC;
          out[p + 1] = node.index;
          out[p + 2] = node.delta;
          p += 3;
        } else {
          out[p] = Op.WIDE;
          out[p + 1] = Op.IINC;
          put2(out, p + 2, node.index);
          put2(out, p + 4, node.delta);
          p += 6;
        }
        break;
      }
      case INT: {
        const node = nodes[i] as NodeOf<"int">;
        out[p] = node.op;
        if (node.op === Op.SIPUSH) {
          put2(out, p + 1, node.value);
          p += 3;
        } else {
          out[p + 1] = node.value;
          p += 2;
        }
        break;
      }
      case CP: {
        const node = nodes[i] as NodeOf<"cp">;
        if (fixedSize[i] === 2) {
          out[p] = Op.LDC;
          out[p + 1] = node.index;
          p += 2;
        } else {
          out[p] = node.op === Op.LDC ? Op.LDC_W : node.op;
          put2(out, p + 1, node.index);
          p += 3;
        }
        break;
      }
      case INVOKEINTERFACE: {
        const node = nodes[i] as NodeOf<"invokeinterface">;
        out[p] = Op.INVOKEINTERFACE;
        put2(out, p + 1, node.index);
        out[p + 3] = node.count;
        p += 5; // the fourth operand byte stays 0
        break;
      }
      case INVOKEDYNAMIC: {
        const node = nodes[i] as NodeOf<"invokedynamic">;
        out[p] = Op.INVOKEDYNAMIC;
        put2(out, p + 1, node.index);
        p += 5; // two zero bytes
        break;
      }
      case MULTIANEWARRAY: {
        const node = nodes[i] as NodeOf<"multianewarray">;
        out[p] = Op.MULTIANEWARRAY;
        put2(out, p + 1, node.index);
        out[p + 3] = node.dims;
        p += 4;
        break;
      }
      case JUMP:
        p = writeJump(out, p, nodes[i] as NodeOf<"jump">, wide[i] === 1, conditional[i] === 1, labelOffset);
        break;
      case TABLESWITCH:
        p = writeTableSwitch(out, p, nodes[i] as NodeOf<"tableswitch">, labelOffset);
        break;
      case LOOKUPSWITCH:
        p = writeLookupSwitch(out, p, nodes[i] as NodeOf<"lookupswitch">, labelOffset);
        break;
      default:
        throw new InternalError(`writeCode: kind code ${kindCode[i]} at node ${i}`);
    }
  }
  if (p !== codeLength) throw new InternalError(`encoder size mismatch: wrote ${p} bytes, laid out ${codeLength}`);
  return out;
}

/** Writes a jump at p in its laid-out form (short, goto_w/jsr_w, or inverted conditional over goto_w); returns the next pc. */
function writeJump(out: Uint8Array, p: number, node: NodeOf<"jump">, isWide: boolean, isConditional: boolean, labelOffset: Int32Array): number {
  const target = labelOffset[node.target]!;
  const op = NORMAL_OP[node.op]!; // goto_w/jsr_w given explicitly are laid out like goto/jsr
  if (!isWide) {
    out[p] = op;
    put2(out, p + 1, target - p);
    return p + 3;
  }
  if (!isConditional) {
    out[p] = op === Op.GOTO ? Op.GOTO_W : Op.JSR_W;
    put4(out, p + 1, target - p);
    return p + 5;
  }
  out[p] = invertCondition(op);
  put2(out, p + 1, 8);
  out[p + 3] = Op.GOTO_W;
  put4(out, p + 4, target - (p + 3));
  return p + 8;
}

/** Writes a tableswitch at `at` (padding left zero: the array is zero-filled); returns the next pc. */
function writeTableSwitch(out: Uint8Array, at: number, node: NodeOf<"tableswitch">, labelOffset: Int32Array): number {
  out[at] = Op.TABLESWITCH;
  let p = at + 1 + (3 - (at & 3));
  put4(out, p, labelOffset[node.defaultTarget]! - at);
  put4(out, p + 4, node.low);
  put4(out, p + 8, node.high);
  p += 12;
  const targets = node.targets;
  for (let k = 0; k < targets.length; k++) {
    put4(out, p, labelOffset[targets[k]!]! - at);
    p += 4;
  }
  return p;
}

/** Writes a lookupswitch at `at` (padding left zero); returns the next pc. */
function writeLookupSwitch(out: Uint8Array, at: number, node: NodeOf<"lookupswitch">, labelOffset: Int32Array): number {
  out[at] = Op.LOOKUPSWITCH;
  let p = at + 1 + (3 - (at & 3));
  const { keys, targets } = node;
  put4(out, p, labelOffset[node.defaultTarget]! - at);
  put4(out, p + 4, keys.length);
  p += 8;
  for (let k = 0; k < keys.length; k++) {
    put4(out, p, keys[k]!);
    put4(out, p + 4, labelOffset[targets[k]!]! - at);
    p += 8;
  }
  return p;
}

function put2(out: Uint8Array, p: number, v: number): void {
  out[p] = v >> 8;
  out[p + 1] = v;
}

function put4(out: Uint8Array, p: number, v: number): void {
  out[p] = v >> 24;
  out[p + 1] = v >> 16;
  out[p + 2] = v >> 8;
  out[p + 3] = v;
}

/** decode + encode: the Code attribute in canonical (shortest-form) encoding. */
export function reencodeMethodCode(code: CodeAttribute, cp: ConstantPool, where?: Location): CodeAttribute {
  const out = encodeBody(decodeBody(code, cp, where), cp, where ? { where } : {});
  out.nameIndex = code.nameIndex; // a fresh object: set, not spread (this runs for every method of a jar)
  return out;
}

function mnemonic(op: number): string {
  return OPCODES[op]?.mnemonic ?? `opcode ${op}`;
}

function unknownNode(node: never): never {
  return unreachable(node, "unknown node");
}
