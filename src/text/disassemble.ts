/**
 * The disassembler: a ClassFile as deterministic text in our Jasmin-based syntax,
 * the golden format of every test (syntax summary in `assemble.ts`).
 *
 * Everything in the class is shown: version, flags, members, every attribute in
 * its original order (known ones as directives, the rest as `.attribute "Name"
 * b"..."`), and each method body decoded (JVMS 4.7.3, chapter 6) with symbolic
 * constants, labels, handlers, line numbers, local variables and stack-map frames
 * (JVMS 4.7.4) in place. With `constantPool: true` the pool is printed too, as
 * `.const [i] = ...` lines with raw indices, and `[i]` references replace symbolic
 * operands wherever a symbolic one would resolve to another entry; that text
 * assembles back to an equal class, byte-identical when the encoder's choices match
 * the original's. Without the pool, the text does not depend on pool order, on
 * ldc/ldc_w or goto/goto_w choices, or on label ids: labels are named L0, L1, ...
 * in code order and only where something refers to them. This is the canonical dump.
 *
 * Code that cannot be decoded (a branch into an instruction...) is shown as a raw
 * `Code` attribute with a comment saying why. Cost: linear in the class size (plus
 * deep keys of the pool when it is printed).
 */
import type { Attribute, ClassFile, CodeAttribute, MemberInfo } from "../classfile/model.js";
import { Access } from "../classfile/model.js";
import type { BootstrapMethod } from "../classfile/model.js";
import { decodeBody } from "../bytecode/decode.js";
import type { CodeNode, FrameNode, FrameType, Label, MethodBody } from "../bytecode/model.js";
import { Op } from "../bytecode/opcodes.js";
import { ByteWriter } from "../bytes.js";
import { writeAttribute } from "../classfile/attributes.js";
import { MegasplitError } from "../diagnostics.js";
import { PoolView } from "./constants.js";
import { formatFlags } from "./flags.js";
import { quoteBytes, quoteName, quoteString } from "./lexer.js";
import { instructionLines, type OperandText } from "./instruction-text.js";

export interface DisassembleOptions {
  /**
   * Only the method(s) with this name, or this name + descriptor; the class's
   * fields and attributes are then left out too (a view, not a class to reassemble).
   */
  method?: string;
  /** Print the constant pool (`.const` lines) and index references, for exact round trips. */
  constantPool?: boolean;
  /**
   * Extra comment lines to show at labels of a method body (e.g. computed frames).
   * `methodIndex` is the index in `cf.methods`; keys are label ids of `body`.
   */
  annotate?: (methodIndex: number, body: MethodBody) => ReadonlyMap<Label, readonly string[]> | undefined;
}

export const NEWARRAY_TYPES = ["", "", "", "", "boolean", "char", "float", "double", "byte", "short", "int", "long"];

const INDENT = "    ";

export function disassemble(cf: ClassFile, opts: DisassembleOptions = {}): string {
  const cp = cf.constantPool;
  const bsmAttr = cf.attributes.find((a) => a.kind === "BootstrapMethods");
  const bsms: readonly BootstrapMethod[] = bsmAttr?.kind === "BootstrapMethods" ? bsmAttr.methods : [];
  const indexed = opts.constantPool === true;
  const view = new PoolView(cp, bsms, indexed);
  const p = new Printer(view, indexed);
  const out: string[] = [];

  out.push(`.version ${cf.majorVersion} ${cf.minorVersion}`);
  if (indexed) {
    for (let i = 1; i < cp.count; i++) {
      if (cp.entries[i] === undefined) continue;
      out.push(`.const [${i}] = ${view.constLine(i)}${p.constComment(i)}`);
    }
  }
  const className = cp.className(cf.thisClass);
  out.push(joinWords(".class", ...formatFlags(cf.accessFlags, "class"), view.className(cf.thisClass)));
  if (cf.superClass !== 0) out.push(`.super ${view.className(cf.superClass)}`);
  else if (!superMayDefaultToNone(className, cf.accessFlags)) out.push(".nosuper");
  for (const i of cf.interfaces) out.push(`.implements ${view.className(i)}`);
  const onlyMethods = opts.method !== undefined;
  if (!onlyMethods) for (const a of cf.attributes) p.attribute(a, "class", out, "");

  if (!onlyMethods) for (const f of cf.fields) {
    out.push("");
    p.field(f, out);
  }
  cf.methods.forEach((m, mi) => {
    if (opts.method !== undefined && !methodMatches(cf, mi, opts.method)) return;
    out.push("");
    p.method(m, mi, className, out, opts.annotate);
  });
  out.push(".end class");
  return `${out.join("\n")}\n`;
}

/** Whether method `index` of `cf` is named `wanted` (a name, or name + descriptor). */
export function methodMatches(cf: ClassFile, index: number, wanted: string): boolean {
  const m = cf.methods[index]!;
  const name = cf.constantPool.utf8(m.nameIndex);
  return wanted === name || wanted === name + cf.constantPool.utf8(m.descriptorIndex);
}

/** When `.super` is absent the assembler uses none only for java/lang/Object and modules. */
export function superMayDefaultToNone(className: string, accessFlags: number): boolean {
  return className === "java/lang/Object" || (accessFlags & Access.MODULE) !== 0;
}

function joinWords(...words: string[]): string {
  return words.join(" ");
}

class Printer {
  constructor(
    readonly view: PoolView,
    readonly indexed: boolean,
  ) {}

  get cp() {
    return this.view.cp;
  }

  /** A Utf8 operand: its text, or `[i]` when a symbolic one would not name entry i. */
  utf8(i: number): string {
    const e = this.view.entry(i);
    if (e === undefined || e.kind !== "Utf8") return `[${i}]`;
    if (this.indexed && !this.view.isFirst(i)) return `[${i}]`;
    const spec = this.view.specOf(i);
    if (spec.t !== "Utf8") return this.indexed ? `[${i}]` : quoteName(e.value);
    return quoteName(spec.value);
  }

  constComment(i: number): string {
    const e = this.view.entry(i)!;
    switch (e.kind) {
      case "Class":
      case "String":
      case "MethodType":
      case "Fieldref":
      case "Methodref":
      case "InterfaceMethodref":
      case "NameAndType": {
        const s = this.view.specOf(i);
        if (s.t === "Class") return `  ; ${quoteName(s.name)}`;
        if (s.t === "String") return `  ; ${quoteString(s.value)}`;
        if (s.t === "MethodType") return `  ; ${quoteName(s.desc)}`;
        if (s.t === "NameAndType") return `  ; ${quoteName(s.name)} ${quoteName(s.desc)}`;
        if (s.t === "Fieldref" || s.t === "Methodref" || s.t === "InterfaceMethodref") return `  ; ${quoteName(`${s.owner}/${s.name}`)} ${quoteName(s.desc)}`;
        return "";
      }
      default:
        return "";
    }
  }

  attribute(a: Attribute, place: "class" | "field" | "method", out: string[], indent: string): void {
    const cp = this.cp;
    switch (a.kind) {
      case "SourceFile":
        out.push(`${indent}.source ${this.utf8(a.sourceFileIndex)}`);
        return;
      case "Signature":
        out.push(`${indent}.signature ${this.utf8(a.signatureIndex)}`);
        return;
      case "Synthetic":
        out.push(`${indent}.synthetic`);
        return;
      case "Deprecated":
        out.push(`${indent}.deprecated`);
        return;
      case "NestHost":
        out.push(`${indent}.nesthost ${this.view.className(a.hostClassIndex)}`);
        return;
      case "NestMembers":
        out.push(joinWords(`${indent}.nestmembers`, ...a.classes.map((c) => this.view.className(c))));
        return;
      case "InnerClasses":
        out.push(`${indent}.innerclasses`);
        for (const c of a.classes) {
          const inner = c.innerClassInfoIndex === 0 ? "0" : this.view.className(c.innerClassInfoIndex);
          const outer = c.outerClassInfoIndex === 0 ? "0" : this.view.className(c.outerClassInfoIndex);
          const name = c.innerNameIndex === 0 ? "0" : this.utf8(c.innerNameIndex);
          out.push(joinWords(`${indent}${INDENT}${inner}`, outer, name, ...formatFlags(c.innerClassAccessFlags, "inner")));
        }
        out.push(`${indent}.end innerclasses`);
        return;
      case "BootstrapMethods":
        // Without the pool, bootstrap methods are shown where they are used.
        if (!this.indexed) return;
        out.push(`${indent}.bootstrapmethods`);
        for (const m of a.methods) out.push(joinWords(`${indent}${INDENT}[${m.methodRef}]`, ...m.arguments.map((x) => `[${x}]`)));
        out.push(`${indent}.end bootstrapmethods`);
        return;
      case "Exceptions":
        if (a.exceptions.length === 0) break;
        for (const c of a.exceptions) out.push(`${indent}.throws ${this.view.className(c)}`);
        return;
      case "ConstantValue":
        out.push(`${indent}.value ${this.view.constant(a.valueIndex)}`);
        return;
      case "Code":
      case "LineNumberTable":
      case "LocalVariableTable":
      case "LocalVariableTypeTable":
      case "StackMapTable":
      case "Raw":
        break;
    }
    void place;
    const raw = a.raw ?? rawOf(a, cp);
    out.push(`${indent}.attribute ${this.utf8(a.nameIndex)} ${quoteBytes(raw)}`);
  }

  field(f: MemberInfo, out: string[]): void {
    const desc = this.cp.utf8(f.descriptorIndex);
    let header = joinWords(".field", ...formatFlags(f.accessFlags, "field"), this.utf8(f.nameIndex), this.utf8(f.descriptorIndex));
    let rest = f.attributes;
    const first = rest[0];
    if (first?.kind === "ConstantValue") {
      header += ` = ${this.fieldValue(first.valueIndex, desc)}`;
      rest = rest.slice(1);
    }
    out.push(header);
    if (rest.length === 0) return;
    for (const a of rest) {
      if (a.kind === "ConstantValue") out.push(`${INDENT}.value ${this.fieldValue(a.valueIndex, desc)}`);
      else this.attribute(a, "field", out, INDENT);
    }
    out.push(".end field");
  }

  /** A ConstantValue as the parser reads it for a field of type `desc`. */
  private fieldValue(i: number, desc: string): string {
    const e = this.view.entry(i);
    const text = this.view.constant(i);
    if (e?.kind === "Integer" && (desc === "J" || desc === "F" || desc === "D")) return this.indexed ? `[${i}]` : `${text}i`;
    if (e?.kind === "Double" && desc === "F" && !text.startsWith("[")) return `${text}d`;
    return text;
  }

  method(m: MemberInfo, methodIndex: number, className: string, out: string[], annotate: DisassembleOptions["annotate"]): void {
    const cp = this.cp;
    const name = cp.utf8(m.nameIndex);
    const desc = cp.utf8(m.descriptorIndex);
    const nameText = this.utf8(m.nameIndex);
    const descText = this.utf8(m.descriptorIndex);
    const joinable = nameText === name && !name.includes("(") && descText === desc && desc.startsWith("(") && quoteName(name + desc) === name + desc;
    const flags = formatFlags(m.accessFlags, "method");
    out.push(joinable ? joinWords(".method", ...flags, name + desc) : joinWords(".method", ...flags, nameText.startsWith("[") ? nameText : quoteString(name), descText));
    const codeAt = m.attributes.findIndex((a) => a.kind === "Code");
    m.attributes.forEach((a, ai) => {
      if (ai !== codeAt) {
        this.attribute(a, "method", out, INDENT);
        return;
      }
      const code = a as CodeAttribute;
      let body: MethodBody;
      try {
        body = decodeBody(code, cp, { className, method: name + desc }, { keepAttributeOrder: true });
      } catch (e) {
        if (!(e instanceof MegasplitError) || code.raw === undefined) throw e;
        out.push(`${INDENT}; code not decoded: ${e.diagnostic.code} ${e.diagnostic.message.replace(/\s+/g, " ")}`);
        out.push(`${INDENT}.attribute ${this.utf8(code.nameIndex)} ${quoteBytes(code.raw)}`);
        return;
      }
      this.body(body, out, annotate?.(methodIndex, body));
    });
    out.push(".end method");
  }

  body(body: MethodBody, out: string[], notes: ReadonlyMap<Label, readonly string[]> | undefined): void {
    const view = this.view;
    const names = labelNames(body);
    const L = (l: Label): string => names.get(l) ?? `L?${l}`;
    out.push(`${INDENT}.limit stack ${body.maxStack}`);
    out.push(`${INDENT}.limit locals ${body.maxLocals}`);
    for (const h of body.handlers) {
      const type = h.catchType === 0 ? "all" : view.className(h.catchType);
      out.push(`${INDENT}.catch ${type} from ${L(h.start)} to ${L(h.end)} using ${L(h.handler)}`);
    }
    for (const v of body.localVariables ?? []) {
      out.push(`${INDENT}.var ${v.index} is ${this.utf8(v.nameIndex)} ${this.utf8(v.descriptorIndex)} from ${L(v.start)} to ${L(v.end)}`);
    }
    for (const v of body.localVariableTypes ?? []) {
      out.push(`${INDENT}.vartype ${v.index} is ${this.utf8(v.nameIndex)} ${this.utf8(v.descriptorIndex)} from ${L(v.start)} to ${L(v.end)}`);
    }
    if (body.hasStackMapTable && !body.nodes.some((n) => n.kind === "frame")) out.push(`${INDENT}.stackmaptable`);
    if (body.attributeOrder) out.push(joinWords(`${INDENT}.attributeorder`, ...body.attributeOrder));
    let lastNamed: string | undefined;
    for (const node of body.nodes) {
      if (node.kind === "label") {
        const ns = notes?.get(node.label);
        if (ns) for (const line of ns) out.push(`${INDENT}; ${line}`);
        const name = names.get(node.label);
        if (name !== undefined && name !== lastNamed) {
          out.push(`${name}:`);
          lastNamed = name;
        }
        continue;
      }
      if (node.kind !== "line" && node.kind !== "frame") lastNamed = undefined;
      this.node(node, out, L);
    }
    for (const a of body.otherAttributes) {
      const raw = a.raw ?? rawOf(a, this.cp);
      out.push(`${INDENT}.codeattribute ${this.utf8(a.nameIndex)} ${quoteBytes(raw)}`);
    }
  }

  node(node: Exclude<CodeNode, { kind: "label" }>, out: string[], L: (l: Label) => string): void {
    switch (node.kind) {
      case "line":
        out.push(`${INDENT}.line ${node.line}`);
        return;
      case "frame":
        out.push(`${INDENT}.stack ${this.frame(node.frame, L)}`);
        return;
      default:
        break;
    }
    for (const line of instructionLines(node, L, this.operandText, INDENT)) out.push(INDENT + line);
  }

  /** The full form of the one instruction printer: every operand named so the text assembles back. */
  private readonly operandText: OperandText = {
    cp: (op, index) => this.cpOperand(op, index),
    invokeinterface: (index, count) => `${this.view.method(index, "InterfaceMethodref")} ${count}`,
    invokedynamic: (index) => this.view.invokeDynamic(index),
    className: (index) => this.view.className(index),
    newarrayType: (value) => NEWARRAY_TYPES[value] || String(value),
    switchCases: true,
  };

  private cpOperand(op: number, index: number): string {
    const view = this.view;
    switch (op) {
      case Op.LDC:
      case Op.LDC_W:
      case Op.LDC2_W:
        return view.constant(index);
      case Op.GETSTATIC:
      case Op.PUTSTATIC:
      case Op.GETFIELD:
      case Op.PUTFIELD:
        return view.field(index);
      case Op.INVOKEVIRTUAL:
      case Op.INVOKESPECIAL:
      case Op.INVOKESTATIC:
        return view.method(index, "Methodref");
      default:
        return view.className(index);
    }
  }

  frame(f: FrameNode, L: (l: Label) => string): string {
    const vt = (t: FrameType): string => this.frameType(t, L);
    switch (f.type) {
      case "same":
        return f.extended ? "same_frame_extended" : "same";
      case "same_locals_1_stack_item":
        return `${f.extended ? "same_locals_1_stack_item_frame_extended" : "same_locals_1_stack_item"} ${vt(f.stack)}`;
      case "chop":
        return `chop ${f.chop}`;
      case "append":
        return joinWords("append", ...f.locals.map(vt));
      case "full":
        return joinWords("full", "locals", ...f.locals.map(vt), "stack", ...f.stack.map(vt));
    }
  }

  private frameType(t: FrameType, L: (l: Label) => string): string {
    switch (t.tag) {
      case "top":
        return "Top";
      case "int":
        return "Integer";
      case "float":
        return "Float";
      case "double":
        return "Double";
      case "long":
        return "Long";
      case "null":
        return "Null";
      case "uninitializedThis":
        return "UninitializedThis";
      case "object":
        return `Object ${this.view.className(t.classIndex)}`;
      case "uninitialized":
        return `Uninitialized ${L(t.label)}`;
    }
  }
}

/**
 * Names for the labels something refers to: L0, L1, ... in code order, one name per
 * position (labels with no instruction between them share it).
 */
export function labelNames(body: MethodBody): Map<Label, string> {
  const used = new Uint8Array(body.labelCount);
  const use = (l: Label): void => {
    if (l >= 0 && l < used.length) used[l] = 1;
  };
  const useType = (t: FrameType): void => {
    if (t.tag === "uninitialized") use(t.label);
  };
  for (const h of body.handlers) {
    use(h.start);
    use(h.end);
    use(h.handler);
  }
  for (const v of body.localVariables ?? []) {
    use(v.start);
    use(v.end);
  }
  for (const v of body.localVariableTypes ?? []) {
    use(v.start);
    use(v.end);
  }
  for (const n of body.nodes) {
    switch (n.kind) {
      case "jump":
        use(n.target);
        break;
      case "tableswitch":
      case "lookupswitch":
        use(n.defaultTarget);
        for (const t of n.targets) use(t);
        break;
      case "frame": {
        const f = n.frame;
        if (f.type === "same_locals_1_stack_item") useType(f.stack);
        else if (f.type === "append") f.locals.forEach(useType);
        else if (f.type === "full") {
          f.locals.forEach(useType);
          f.stack.forEach(useType);
        }
        break;
      }
      default:
        break;
    }
  }
  const names = new Map<Label, string>();
  let count = 0;
  let current: string | undefined;
  for (const n of body.nodes) {
    if (n.kind === "label") {
      if (used[n.label]) {
        current ??= `L${count++}`;
        names.set(n.label, current);
      }
    } else if (n.kind !== "line" && n.kind !== "frame") {
      current = undefined;
    }
  }
  return names;
}

/** The info bytes of an attribute: as read, or as the class writer would encode them. */
function rawOf(a: Attribute, _cp: unknown): Uint8Array {
  if (a.raw !== undefined) return a.raw;
  const w = new ByteWriter();
  writeAttribute(w, a, { where: {}, enforceJvmLimits: false });
  return w.toBytes().subarray(6);
}
