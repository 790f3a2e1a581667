/**
 * Reading and writing attribute_info (JVMS 4.7).
 *
 * Known attributes are parsed into typed records keeping their `raw` info bytes, so
 * the writer can copy them unchanged. Which names are parsed depends on where the
 * attribute stands (class, field, method, Code), as the JVM ignores an attribute in
 * a place it does not belong. An attribute whose length overruns its container is an
 * error (`E_ATTR_LENGTH`); a known attribute whose content is malformed is kept as
 * raw bytes with a `W_ATTR_MALFORMED` warning, except Code, which the tool cannot do
 * without and which therefore fails the class.
 *
 * StackMapTable frames (JVMS 4.7.4) are read into their logical form; the writer
 * chooses the smallest encoding of each (e.g. same_frame_extended only when the
 * offset delta exceeds 63), which reproduces what javac and ASM write.
 */
import { ByteReader, ByteWriter } from "../bytes.js";
import { type Diagnostic, ErrorCodes, MegasplitError, type Location, warning } from "../diagnostics.js";
import type { ConstantPool } from "./constant-pool.js";
import type {
  Attribute,
  CodeAttribute,
  LocalVariableEntry,
  StackMapFrame,
  VerificationType,
} from "./model.js";

export type AttributeContext = "class" | "field" | "method" | "code";

/**
 * Where attribute errors point: the class (`where`) and, while a method's
 * attributes are read or written, that method. The method is kept as its two
 * constant-pool indices and named only when an error or warning is reported
 * (building a location per method cost more than writing most methods).
 */
export interface MemberContext {
  where: Location;
  cp?: ConstantPool;
  /** The method's name_index; 0 or absent outside methods. */
  methodName?: number;
  methodDescriptor?: number;
}

/** The location an error inside the current method or class reports. */
export function locate(ctx: MemberContext): Location {
  if (!ctx.methodName || !ctx.cp) return ctx.where;
  return { ...ctx.where, method: ctx.cp.utf8(ctx.methodName) + ctx.cp.utf8(ctx.methodDescriptor ?? 0) };
}

export interface ReadContext extends MemberContext {
  cp: ConstantPool;
  diagnostics: Diagnostic[];
}

const PARSED: Record<AttributeContext, ReadonlySet<string>> = {
  class: new Set(["SourceFile", "BootstrapMethods", "NestHost", "NestMembers", "InnerClasses", "Signature", "Synthetic", "Deprecated"]),
  field: new Set(["ConstantValue", "Signature", "Synthetic", "Deprecated"]),
  method: new Set(["Code", "Exceptions", "Signature", "Synthetic", "Deprecated"]),
  code: new Set(["LineNumberTable", "LocalVariableTable", "LocalVariableTypeTable", "StackMapTable"]),
};

/** Reads `attributes_count` then that many attribute_info structures. */
export function readAttributes(r: ByteReader, context: AttributeContext, ctx: ReadContext): Attribute[] {
  const count = r.u2("attributes_count");
  const out: Attribute[] = new Array(count);
  for (let i = 0; i < count; i++) out[i] = readAttribute(r, context, ctx);
  return out;
}

function readAttribute(r: ByteReader, context: AttributeContext, ctx: ReadContext): Attribute {
  const start = r.pos;
  const nameIndex = r.u2("attribute_name_index");
  const length = r.u4("attribute_length");
  if (length > r.remaining) {
    throw new MegasplitError(ErrorCodes.ATTR_LENGTH, `attribute length ${length} overruns its container (${r.remaining} bytes left)`, {
      ...locate(ctx),
      offset: start,
    });
  }
  const raw = r.slice(length);
  const name = ctx.cp.utf8(nameIndex);
  if (!PARSED[context].has(name)) return { kind: "Raw", nameIndex, raw };
  // The body reader reports truncation with the class's location; the catch below
  // turns that into an error or warning located in the method.
  const body = new ByteReader(r.bytes, r.pos - length, r.pos, ctx.where);
  try {
    const a = parseKnown(name, nameIndex, raw, body, ctx);
    if (body.remaining !== 0) {
      throw new MegasplitError(ErrorCodes.ATTR_LENGTH, `${name} attribute has ${body.remaining} bytes after its content`, { ...locate(ctx), offset: body.pos });
    }
    return a;
  } catch (e) {
    if (!(e instanceof MegasplitError) || name === "Code") {
      if (e instanceof MegasplitError && e.code === ErrorCodes.TRUNCATED) {
        throw new MegasplitError(ErrorCodes.ATTR_LENGTH, `Code attribute content does not fit its length ${length}`, { ...locate(ctx), offset: start });
      }
      throw e;
    }
    ctx.diagnostics.push(warning(ErrorCodes.ATTR_MALFORMED, `${name} attribute is malformed (${e.diagnostic.message}); kept as raw bytes`, { ...locate(ctx), offset: start }));
    return { kind: "Raw", nameIndex, raw };
  }
}

function parseKnown(name: string, nameIndex: number, raw: Uint8Array, r: ByteReader, ctx: ReadContext): Attribute {
  const { cp } = ctx;
  switch (name) {
    case "Code":
      return readCode(nameIndex, raw, r, ctx);
    case "LineNumberTable": {
      const n = r.u2();
      const entries = new Array(n);
      for (let i = 0; i < n; i++) entries[i] = { startPc: r.u2(), line: r.u2() };
      return { kind: "LineNumberTable", nameIndex, raw, entries };
    }
    case "LocalVariableTable":
    case "LocalVariableTypeTable": {
      const n = r.u2();
      const entries: LocalVariableEntry[] = new Array(n);
      for (let i = 0; i < n; i++) {
        entries[i] = { startPc: r.u2(), length: r.u2(), nameIndex: r.u2(), descriptorIndex: r.u2(), index: r.u2() };
        cp.expect(entries[i]!.nameIndex, "Utf8");
        cp.expect(entries[i]!.descriptorIndex, "Utf8");
      }
      return { kind: name, nameIndex, raw, entries };
    }
    case "StackMapTable":
      return { kind: "StackMapTable", nameIndex, raw, frames: readFrames(r, ctx) };
    case "BootstrapMethods": {
      const n = r.u2();
      const methods = new Array(n);
      for (let i = 0; i < n; i++) {
        const methodRef = r.u2();
        cp.expect(methodRef, "MethodHandle");
        const k = r.u2();
        const args: number[] = new Array(k);
        for (let j = 0; j < k; j++) args[j] = r.u2();
        methods[i] = { methodRef, arguments: args };
      }
      return { kind: "BootstrapMethods", nameIndex, raw, methods };
    }
    case "SourceFile":
      return { kind: "SourceFile", nameIndex, raw, sourceFileIndex: checked(cp, r.u2(), "Utf8") };
    case "Signature":
      return { kind: "Signature", nameIndex, raw, signatureIndex: checked(cp, r.u2(), "Utf8") };
    case "NestHost":
      return { kind: "NestHost", nameIndex, raw, hostClassIndex: checked(cp, r.u2(), "Class") };
    case "NestMembers":
      return { kind: "NestMembers", nameIndex, raw, classes: readClassList(r, cp) };
    case "Exceptions":
      return { kind: "Exceptions", nameIndex, raw, exceptions: readClassList(r, cp) };
    case "InnerClasses": {
      const n = r.u2();
      const classes = new Array(n);
      for (let i = 0; i < n; i++) {
        classes[i] = { innerClassInfoIndex: r.u2(), outerClassInfoIndex: r.u2(), innerNameIndex: r.u2(), innerClassAccessFlags: r.u2() };
      }
      return { kind: "InnerClasses", nameIndex, raw, classes };
    }
    case "ConstantValue":
      return { kind: "ConstantValue", nameIndex, raw, valueIndex: checked(cp, r.u2(), "Integer", "Float", "Long", "Double", "String") };
    case "Synthetic":
      return { kind: "Synthetic", nameIndex, raw };
    case "Deprecated":
      return { kind: "Deprecated", nameIndex, raw };
    default:
      return { kind: "Raw", nameIndex, raw };
  }
}

function checked(cp: ConstantPool, index: number, ...kinds: Parameters<ConstantPool["expect"]>[1][]): number {
  cp.expect(index, ...kinds);
  return index;
}

function readClassList(r: ByteReader, cp: ConstantPool): number[] {
  const n = r.u2();
  const out: number[] = new Array(n);
  for (let i = 0; i < n; i++) out[i] = checked(cp, r.u2(), "Class");
  return out;
}

function readCode(nameIndex: number, raw: Uint8Array, r: ByteReader, ctx: ReadContext): CodeAttribute {
  const maxStack = r.u2("max_stack");
  const maxLocals = r.u2("max_locals");
  const codeLength = r.u4("code_length");
  if (codeLength === 0) {
    throw new MegasplitError(ErrorCodes.ATTR_LENGTH, "Code attribute has code_length 0", { ...locate(ctx), offset: r.pos - 4 });
  }
  const code = r.slice(codeLength, "code");
  const n = r.u2("exception_table_length");
  const exceptionTable = new Array(n);
  for (let i = 0; i < n; i++) {
    const e = { startPc: r.u2(), endPc: r.u2(), handlerPc: r.u2(), catchType: r.u2() };
    if (e.catchType !== 0) ctx.cp.expect(e.catchType, "Class");
    exceptionTable[i] = e;
  }
  const attributes = readAttributes(r, "code", ctx);
  return { kind: "Code", nameIndex, raw, maxStack, maxLocals, code, exceptionTable, attributes };
}

function readFrames(r: ByteReader, ctx: ReadContext): StackMapFrame[] {
  const n = r.u2();
  const frames: StackMapFrame[] = new Array(n);
  for (let i = 0; i < n; i++) {
    const t = r.u1("frame_type");
    if (t < 64) frames[i] = { type: "same", offsetDelta: t };
    else if (t < 128) frames[i] = { type: "same_locals_1_stack_item", offsetDelta: t - 64, stack: readVType(r, ctx) };
    else if (t < 247) throw new MegasplitError(ErrorCodes.ATTR_LENGTH, `reserved stack map frame type ${t}`, { ...locate(ctx), offset: r.pos - 1 });
    else if (t === 247) {
      const offsetDelta = r.u2();
      const stack = readVType(r, ctx);
      frames[i] = offsetDelta < 64 ? { type: "same_locals_1_stack_item", offsetDelta, stack, extended: true } : { type: "same_locals_1_stack_item", offsetDelta, stack };
    } else if (t < 251) frames[i] = { type: "chop", offsetDelta: r.u2(), chop: 251 - t };
    else if (t === 251) {
      const offsetDelta = r.u2();
      frames[i] = offsetDelta < 64 ? { type: "same", offsetDelta, extended: true } : { type: "same", offsetDelta };
    }
    else if (t < 255) {
      const offsetDelta = r.u2();
      const locals = new Array(t - 251);
      for (let j = 0; j < locals.length; j++) locals[j] = readVType(r, ctx);
      frames[i] = { type: "append", offsetDelta, locals };
    } else {
      const offsetDelta = r.u2();
      const nl = r.u2();
      const locals = new Array(nl);
      for (let j = 0; j < nl; j++) locals[j] = readVType(r, ctx);
      const ns = r.u2();
      const stack = new Array(ns);
      for (let j = 0; j < ns; j++) stack[j] = readVType(r, ctx);
      frames[i] = { type: "full", offsetDelta, locals, stack };
    }
  }
  return frames;
}

const SIMPLE_VTYPES: readonly VerificationType[] = [
  { tag: "top" },
  { tag: "int" },
  { tag: "float" },
  { tag: "double" },
  { tag: "long" },
  { tag: "null" },
  { tag: "uninitializedThis" },
];

function readVType(r: ByteReader, ctx: ReadContext): VerificationType {
  const tag = r.u1("verification_type_info");
  if (tag < 7) return SIMPLE_VTYPES[tag]!;
  if (tag === 7) return { tag: "object", classIndex: checked(ctx.cp, r.u2(), "Class") };
  if (tag === 8) return { tag: "uninitialized", offset: r.u2() };
  throw new MegasplitError(ErrorCodes.ATTR_LENGTH, `unknown verification type tag ${tag}`, { ...locate(ctx), offset: r.pos - 1 });
}

// ---------------------------------------------------------------- writing

export interface WriteContext extends MemberContext {
  /** Refuse code longer than 65,535 bytes (the JVM's limit). */
  enforceJvmLimits: boolean;
}

export function writeAttributes(w: ByteWriter, attrs: readonly Attribute[], ctx: WriteContext): void {
  w.u2(attrs.length);
  for (const a of attrs) writeAttribute(w, a, ctx);
}

export function writeAttribute(w: ByteWriter, a: Attribute, ctx: WriteContext): void {
  if (a.kind === "Code") checkCodeLength(a, ctx);
  w.u2(a.nameIndex);
  if (a.raw !== undefined) {
    w.u4(a.raw.length).bytes(a.raw);
    return;
  }
  const lengthAt = w.length;
  w.u4(0);
  writeAttributeInfo(w, a, ctx);
  w.patchU4(lengthAt, w.length - lengthAt - 4);
}

function checkCodeLength(a: CodeAttribute, ctx: WriteContext): void {
  if (ctx.enforceJvmLimits && a.code.length > 65535) {
    throw new MegasplitError(ErrorCodes.CODE_TOO_LARGE, `method code is ${a.code.length} bytes, over the JVM's limit of 65535`, locate(ctx));
  }
}

function u2Checked(w: ByteWriter, v: number, what: string, ctx: WriteContext): void {
  if (v < 0 || v > 0xffff || !Number.isInteger(v)) {
    throw new MegasplitError(ErrorCodes.CODE_TOO_LARGE, `${what} ${v} does not fit in a u2`, locate(ctx));
  }
  w.u2(v);
}

function writeAttributeInfo(w: ByteWriter, a: Attribute, ctx: WriteContext): void {
  switch (a.kind) {
    case "Code": {
      u2Checked(w, a.maxStack, "max_stack", ctx);
      u2Checked(w, a.maxLocals, "max_locals", ctx);
      w.u4(a.code.length).bytes(a.code);
      u2Checked(w, a.exceptionTable.length, "exception_table_length", ctx);
      for (const e of a.exceptionTable) {
        u2Checked(w, e.startPc, "exception start_pc", ctx);
        u2Checked(w, e.endPc, "exception end_pc", ctx);
        u2Checked(w, e.handlerPc, "exception handler_pc", ctx);
        w.u2(e.catchType);
      }
      writeAttributes(w, a.attributes, ctx);
      return;
    }
    case "LineNumberTable":
      u2Checked(w, a.entries.length, "line_number_table_length", ctx);
      for (let k = 0; k < a.entries.length; k++) {
        const e = a.entries[k]!;
        u2Checked(w, e.startPc, "line number start_pc", ctx);
        w.u2(e.line);
      }
      return;
    case "LocalVariableTable":
    case "LocalVariableTypeTable":
      u2Checked(w, a.entries.length, `${a.kind} length`, ctx);
      for (const e of a.entries) {
        u2Checked(w, e.startPc, "local variable start_pc", ctx);
        u2Checked(w, e.length, "local variable length", ctx);
        w.u2(e.nameIndex).u2(e.descriptorIndex).u2(e.index);
      }
      return;
    case "StackMapTable":
      writeFrames(w, a.frames, ctx);
      return;
    case "BootstrapMethods":
      w.u2(a.methods.length);
      for (const m of a.methods) {
        w.u2(m.methodRef).u2(m.arguments.length);
        for (const x of m.arguments) w.u2(x);
      }
      return;
    case "SourceFile":
      w.u2(a.sourceFileIndex);
      return;
    case "Signature":
      w.u2(a.signatureIndex);
      return;
    case "NestHost":
      w.u2(a.hostClassIndex);
      return;
    case "NestMembers":
      w.u2(a.classes.length);
      for (const c of a.classes) w.u2(c);
      return;
    case "Exceptions":
      w.u2(a.exceptions.length);
      for (const c of a.exceptions) w.u2(c);
      return;
    case "InnerClasses":
      w.u2(a.classes.length);
      for (const c of a.classes) w.u2(c.innerClassInfoIndex).u2(c.outerClassInfoIndex).u2(c.innerNameIndex).u2(c.innerClassAccessFlags);
      return;
    case "ConstantValue":
      w.u2(a.valueIndex);
      return;
    case "Synthetic":
    case "Deprecated":
      return;
    case "Raw":
      w.bytes(a.raw);
      return;
  }
}

function writeFrames(w: ByteWriter, frames: readonly StackMapFrame[], ctx: WriteContext): void {
  w.u2(frames.length);
  for (const f of frames) {
    const d = f.offsetDelta;
    if (d < 0 || d > 0xffff) throw new MegasplitError(ErrorCodes.CODE_TOO_LARGE, `stack map offset delta ${d} does not fit in a u2`, locate(ctx));
    switch (f.type) {
      case "same":
        if (d < 64 && !f.extended) w.u1(d);
        else w.u1(251).u2(d);
        break;
      case "same_locals_1_stack_item":
        if (d < 64 && !f.extended) w.u1(64 + d);
        else w.u1(247).u2(d);
        writeVType(w, f.stack, ctx);
        break;
      case "chop":
        w.u1(251 - f.chop).u2(d);
        break;
      case "append":
        w.u1(251 + f.locals.length).u2(d);
        for (const t of f.locals) writeVType(w, t, ctx);
        break;
      case "full":
        w.u1(255).u2(d).u2(f.locals.length);
        for (const t of f.locals) writeVType(w, t, ctx);
        w.u2(f.stack.length);
        for (const t of f.stack) writeVType(w, t, ctx);
        break;
    }
  }
}

const VTYPE_TAG = { top: 0, int: 1, float: 2, double: 3, long: 4, null: 5, uninitializedThis: 6, object: 7, uninitialized: 8 } as const;

function writeVType(w: ByteWriter, t: VerificationType, ctx: WriteContext): void {
  w.u1(VTYPE_TAG[t.tag]);
  if (t.tag === "object") w.u2(t.classIndex);
  else if (t.tag === "uninitialized") u2Checked(w, t.offset, "uninitialized(new) offset", ctx);
}
