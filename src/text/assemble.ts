/**
 * The assembler: text in our Jasmin-based syntax to ClassFile models (JVMS 4),
 * method bodies encoded by `bytecode/encode.ts` (shortest forms, widened branches;
 * no 65,535-byte limit here, the class writer enforces it).
 *
 * Syntax, one directive or instruction per line, `;` comments:
 *   .version MAJOR MINOR           exact mode (what the disassembler writes)
 *   .bytecode MAJOR.MINOR          JasminXT's version directive
 *   .const [i] = Kind operands     pre-filled pool slot (raw indices: Utf8 "s" | b"..",
 *                                  Integer, Float, Long, Double, Class [n], String [n],
 *                                  Fieldref/Methodref/InterfaceMethodref [c] [nt],
 *                                  NameAndType [n] [d], MethodHandle kind [r],
 *                                  MethodType [d], Dynamic/InvokeDynamic bsm [nt],
 *                                  Module/Package [n])
 *   .class FLAGS Name | .interface FLAGS Name | .super Name | .nosuper | .implements Name
 *   .source F | .signature S | .synthetic | .deprecated | .nesthost C | .nestmembers C...
 *   .innerclasses / Inner|0 Outer|0 Name|0 FLAGS... / .end innerclasses
 *   .bootstrapmethods / [handle] [arg]... / .end bootstrapmethods
 *   .attribute Name b"..."         any attribute, raw
 *   .field FLAGS name desc [= value]   then optionally attribute lines and .end field
 *   .method FLAGS name(desc) ... .end method   (or FLAGS "name" desc)
 *     .throws C | .limit stack N | .limit locals N | .line N
 *     .catch C|all from La to Lb using Lh
 *     .var N is name desc [signature S] from La to Lb | .vartype N is name sig from La to Lb
 *     .stack same | same_locals_1_stack_item T | chop N | append T... | full locals T... stack T...
 *       (same_frame_extended, same_locals_1_stack_item_frame_extended T: the extended forms)
 *       (T = Top Integer Float Double Long Null UninitializedThis, Object C, Uninitialized L)
 *     .stackmaptable (an empty StackMapTable) | .codeattribute Name b"..."
 *     .attributeorder K... (the Code attribute's nested attributes in this order, each
 *       table named written even when empty; K = LineNumberTable LocalVariableTable
 *       LocalVariableTypeTable StackMapTable, each once, or other)
 *     Label: | instructions in Jasmin syntax (see `constants.ts` for constant operands)
 *   .end class                     (optional for the last class of a file)
 * Names are bare words or quoted strings; `[i]` names a pool entry wherever a
 * constant, class or name stands.
 *
 * Jasmin compatibility: without `.version`, version 45.3 (or `.bytecode`), ACC_SUPER
 * is added to classes, `.interface` adds ACC_ABSTRACT, and a missing `.super` means
 * java/lang/Object (with `.version` too, except for java/lang/Object and modules).
 * A method without `.limit` gets max_stack/max_locals computed (`limits.ts`).
 * The Code attribute goes where the method's first code line stands among its
 * attributes; attributes otherwise keep text order. Errors are E_ASM_SYNTAX with
 * the line. Cost: linear in the text, plus one deep-key pass over a pre-filled pool.
 * This file parses; a `.stack` line is `assemble-frame.ts`, what parsing records
 * is `assemble-plan.ts`, and turning a plan into a ClassFile is `assemble-build.ts`.
 */
import type { BootstrapMethod, ClassFile, CpEntry, InnerClassEntry } from "../classfile/model.js";
import { decodeModifiedUtf8, encodeModifiedUtf8 } from "../classfile/mutf8.js";
import type { Handler, Instruction, Label, LocalVariable } from "../bytecode/model.js";
import { Op, opcodeByMnemonic } from "../bytecode/opcodes.js";
import {
  type ConstSpec,
  Cursor,
  parseBootstrap,
  parseClassRef,
  parseConstant,
  parseFieldRef,
  parseIndexRef,
  parseMethodRef,
  splitDescriptor,
} from "./constants.js";
import { NEWARRAY_TYPES } from "./disassemble.js";
import { type FlagPlace, parseFlag } from "./flags.js";
import { type SourceLine, type Token, bytesOfToken, syntaxError, tokenize } from "./lexer.js";
import { descriptorSlots } from "./limits.js";
import { bitsOfDouble, bitsOfFloat, parseNumber } from "./numbers.js";
import { buildClass } from "./assemble-build.js";
import { parseAttributeOrder, parseFrame } from "./assemble-frame.js";
import { type AttrPlan, type ClassPlan, type CodePlan, type MemberPlan, newCodePlan, type Resolver } from "./assemble-plan.js";

export interface AssembleOptions {
  /** Shown in error locations. */
  fileName?: string;
}

export function assemble(text: string, opts: AssembleOptions = {}): ClassFile[] {
  const lines = tokenize(text, opts.fileName);
  const p = new Parser(lines, opts.fileName);
  return p.file();
}

/** Mnemonics of the original Jasmin (and of Sable's jasmin, which compilers still emit) for JVMS opcodes. */
const JASMIN_ALIASES = new Map([["invokenonvirtual", "invokespecial"]]);

const METHOD_ATTR_DIRECTIVES = new Set([".throws", ".signature", ".deprecated", ".synthetic", ".attribute"]);
const FIELD_ATTR_DIRECTIVES = new Set([".signature", ".deprecated", ".synthetic", ".attribute", ".value"]);

class Parser {
  private i = 0;
  constructor(
    private readonly lines: SourceLine[],
    private readonly fileName: string | undefined,
  ) {}

  private readonly fail: (message: string, line: number) => never = (message, line) => syntaxError(message, line, this.fileName);

  private cursor(l: SourceLine, from = 1): Cursor {
    const c = new Cursor(l.tokens, l.line, this.fail);
    c.pos = from;
    return c;
  }

  file(): ClassFile[] {
    const out: ClassFile[] = [];
    while (this.i < this.lines.length) {
      const plan = this.classPlan();
      out.push(this.build(plan));
    }
    if (out.length === 0) this.fail("no class in the input", 1);
    return out;
  }

  // ---- class level ----

  private classPlan(): ClassPlan {
    const first = this.lines[this.i]!;
    const plan: ClassPlan = { line: first.line, exact: false, consts: new Map(), flags: 0, jasminInterface: false, interfaces: [], attrs: [], fields: [], methods: [] };
    while (this.i < this.lines.length) {
      const l = this.lines[this.i]!;
      const head = l.tokens[0]!;
      const d = head.kind === "word" ? head.text : "";
      const c: Cursor = this.cursor(l);
      this.i++;
      switch (d) {
        case ".version":
          if (plan.version) c.fail("a second version directive");
          plan.version = { major: c.int("a major version", 0, 0xffff), minor: c.int("a minor version", 0, 0xffff) };
          plan.exact = true;
          c.end();
          break;
        case ".bytecode": {
          const w = c.word("a version MAJOR.MINOR");
          const m = /^(\d+)(?:\.(\d+))?$/.exec(w);
          if (!m) c.fail(`bad version '${w}'`);
          if (plan.version) c.fail("a second version directive");
          plan.version = { major: Number(m[1]), minor: Number(m[2] ?? 0) };
          c.end();
          break;
        }
        case ".const":
          this.constLine(c, plan);
          break;
        case ".class":
        case ".interface": {
          if (plan.name) c.fail("a second .class in one class (end the first with .end class)");
          const rest = l.tokens.slice(1);
          if (rest.length === 0) c.fail("expected a class name");
          plan.flags = this.flags(rest.slice(0, -1), "class", l.line);
          c.pos = l.tokens.length - 1;
          plan.name = parseClassRef(c);
          if (plan.name.t === "Class") plan.nameText = plan.name.name;
          if (d === ".interface") plan.jasminInterface = true;
          break;
        }
        case ".super":
          if (plan.superSpec !== undefined) c.fail("a second .super");
          plan.superSpec = parseClassRef(c);
          c.end();
          break;
        case ".nosuper":
          plan.superSpec = null;
          c.end();
          break;
        case ".implements":
          plan.interfaces.push({ spec: parseClassRef(c), line: l.line });
          c.end();
          break;
        case ".source":
        case ".signature":
        case ".synthetic":
        case ".deprecated":
        case ".nesthost":
        case ".nestmembers":
        case ".attribute":
          plan.attrs.push(this.simpleAttribute(d, c));
          break;
        case ".innerclasses":
          c.end();
          plan.attrs.push(this.innerClasses(l.line));
          break;
        case ".bootstrapmethods":
          c.end();
          if (plan.bsmTable) c.fail("a second .bootstrapmethods");
          plan.bsmTable = { rows: this.bootstrapTable(), line: l.line };
          plan.attrs.push({ line: l.line, build: (r) => ({ kind: "BootstrapMethods", nameIndex: r.resolve({ t: "Utf8", value: "BootstrapMethods" }, l.line), methods: r.pb.bsms }) });
          break;
        case ".field":
          plan.fields.push(this.field(l, c));
          break;
        case ".method":
          plan.methods.push(this.method(l, c));
          break;
        case ".end": {
          const w = c.word("'class'");
          if (w !== "class") c.fail(`unexpected .end ${w} at class level`);
          c.end();
          if (!plan.name) c.fail(".end class before .class");
          return plan;
        }
        default:
          c.fail(d.startsWith(".") ? `unknown directive ${d}` : `'${head.text}' outside a method`);
      }
    }
    if (!plan.name) this.fail("no .class directive", plan.line);
    return plan;
  }

  private flags(tokens: readonly Token[], place: FlagPlace, line: number): number {
    let flags = 0;
    for (const t of tokens) {
      const bit = t.kind === "word" ? parseFlag(t.text, place) : undefined;
      if (bit === undefined) this.fail(`'${t.text}' is not a ${place === "inner" ? "inner class" : place} access flag`, line);
      flags |= bit;
    }
    return flags;
  }

  private constLine(c: Cursor, plan: ClassPlan): void {
    const index = parseIndexRef(c);
    if (index === undefined || index < 1 || index > 0xfffe) c.fail("expected [index] after .const");
    c.keyword("=");
    const kind = c.word("a constant kind");
    const ref = (): number => {
      const r = parseIndexRef(c);
      if (r === undefined) c.fail("expected [index]");
      return r;
    };
    let entry: CpEntry;
    switch (kind) {
      case "Utf8": {
        const t = c.next("a string");
        if (t.kind === "word") c.fail("expected a quoted string");
        entry = t.kind === "bytes" ? utf8FromBytes(bytesOfToken(t)) : { kind: "Utf8", value: t.text, bytes: encodeModifiedUtf8(t.text) };
        break;
      }
      case "Integer":
      case "Float":
      case "Long":
      case "Double": {
        const s = parseConstant(c, kind === "Integer" || kind === "Float" ? "ldc" : "ldc2");
        if (s.t === "Integer" && kind === "Float") entry = { kind: "Float", bits: bitsOfFloat(s.value) };
        else if (s.t === "Long" && kind === "Double") entry = { kind: "Double", bits: bitsOfDouble(Number(s.value)) };
        else if (s.t !== kind) c.fail(`a ${kind} constant cannot hold this value`);
        else if (s.t === "Integer") entry = { kind: "Integer", value: s.value };
        else if (s.t === "Float") entry = { kind: "Float", bits: s.bits };
        else if (s.t === "Long") entry = { kind: "Long", value: s.value };
        else entry = { kind: "Double", bits: (s as { bits: bigint }).bits };
        break;
      }
      case "Class":
      case "Module":
      case "Package":
        entry = { kind, nameIndex: ref() };
        break;
      case "String":
        entry = { kind, stringIndex: ref() };
        break;
      case "Fieldref":
      case "Methodref":
      case "InterfaceMethodref":
        entry = { kind, classIndex: ref(), nameAndTypeIndex: ref() };
        break;
      case "NameAndType":
        entry = { kind, nameIndex: ref(), descriptorIndex: ref() };
        break;
      case "MethodHandle":
        entry = { kind, referenceKind: c.int("a reference kind", 1, 9), referenceIndex: ref() };
        break;
      case "MethodType":
        entry = { kind, descriptorIndex: ref() };
        break;
      case "Dynamic":
      case "InvokeDynamic":
        entry = { kind, bootstrapMethodAttrIndex: c.int("a bootstrap method index", 0, 0xffff), nameAndTypeIndex: ref() };
        break;
      default:
        c.fail(`unknown constant kind '${kind}'`);
    }
    c.end();
    if (plan.consts.has(index)) c.fail(`constant [${index}] is given twice`);
    plan.consts.set(index, { entry, line: c.line });
  }

  /** One-line attribute directives valid at class, field and method level. */
  private simpleAttribute(d: string, c: Cursor): AttrPlan {
    const line = c.line;
    const named = (name: string, r: Resolver): number => r.resolve({ t: "Utf8", value: name }, line);
    switch (d) {
      case ".source": {
        const s = this.utf8Ref(c);
        c.end();
        return { line, build: (r) => ({ kind: "SourceFile", nameIndex: named("SourceFile", r), sourceFileIndex: r.resolve(s, line) }) };
      }
      case ".signature": {
        const s = this.utf8Ref(c);
        c.end();
        return { line, build: (r) => ({ kind: "Signature", nameIndex: named("Signature", r), signatureIndex: r.resolve(s, line) }) };
      }
      case ".synthetic":
        c.end();
        return { line, build: (r) => ({ kind: "Synthetic", nameIndex: named("Synthetic", r) }) };
      case ".deprecated":
        c.end();
        return { line, build: (r) => ({ kind: "Deprecated", nameIndex: named("Deprecated", r) }) };
      case ".nesthost": {
        const s = parseClassRef(c);
        c.end();
        return { line, build: (r) => ({ kind: "NestHost", nameIndex: named("NestHost", r), hostClassIndex: r.resolve(s, line) }) };
      }
      case ".nestmembers": {
        const specs: ConstSpec[] = [];
        while (!c.atEnd) specs.push(parseClassRef(c));
        return { line, build: (r) => ({ kind: "NestMembers", nameIndex: named("NestMembers", r), classes: specs.map((s) => r.resolve(s, line)) }) };
      }
      case ".attribute":
      case ".codeattribute": {
        const name = this.utf8Ref(c);
        const t = c.next("a byte string");
        if (t.kind !== "bytes") c.fail('expected a byte string b"..."');
        const raw = bytesOfToken(t);
        c.end();
        return { line, build: (r) => ({ kind: "Raw", nameIndex: r.resolve(name, line), raw }) };
      }
      default:
        return c.fail(`unknown directive ${d}`);
    }
  }

  private utf8Ref(c: Cursor): ConstSpec {
    const index = parseIndexRef(c);
    if (index !== undefined) return { t: "index", index };
    return { t: "Utf8", value: c.name("a name") };
  }

  private innerClasses(line: number): AttrPlan {
    const rows: { inner: ConstSpec | 0; outer: ConstSpec | 0; name: ConstSpec | 0; flags: number; line: number }[] = [];
    for (;;) {
      const l = this.lines[this.i++];
      if (!l) this.fail("missing .end innerclasses", line);
      const c: Cursor = this.cursor(l, 0);
      if (l.tokens[0]!.kind === "word" && l.tokens[0]!.text === ".end") {
        c.pos = 1;
        c.keyword("innerclasses");
        c.end();
        break;
      }
      const zeroOr = (f: () => ConstSpec): ConstSpec | 0 => {
        const t = c.peek();
        if (t?.kind === "word" && t.text === "0") {
          c.pos++;
          return 0;
        }
        return f();
      };
      const inner = zeroOr(() => parseClassRef(c));
      const outer = zeroOr(() => parseClassRef(c));
      const name = zeroOr(() => this.utf8Ref(c));
      rows.push({ inner, outer, name, flags: this.flags(l.tokens.slice(c.pos), "inner", l.line), line: l.line });
    }
    return {
      line,
      build: (r) => {
        const idx = (s: ConstSpec | 0, l: number): number => (s === 0 ? 0 : r.resolve(s, l));
        const classes: InnerClassEntry[] = rows.map((x) => ({
          innerClassInfoIndex: idx(x.inner, x.line),
          outerClassInfoIndex: idx(x.outer, x.line),
          innerNameIndex: idx(x.name, x.line),
          innerClassAccessFlags: x.flags,
        }));
        return { kind: "InnerClasses", nameIndex: r.resolve({ t: "Utf8", value: "InnerClasses" }, line), classes };
      },
    };
  }

  private bootstrapTable(): BootstrapMethod[] {
    const rows: BootstrapMethod[] = [];
    for (;;) {
      const l = this.lines[this.i++];
      if (!l) this.fail("missing .end bootstrapmethods", this.lines[this.lines.length - 1]?.line ?? 1);
      const c: Cursor = this.cursor(l, 0);
      if (l.tokens[0]!.kind === "word" && l.tokens[0]!.text === ".end") {
        c.pos = 1;
        c.keyword("bootstrapmethods");
        c.end();
        return rows;
      }
      const refs: number[] = [];
      while (!c.atEnd) {
        const r = parseIndexRef(c);
        if (r === undefined) c.fail("expected [index]");
        refs.push(r);
      }
      rows.push({ methodRef: refs[0]!, arguments: refs.slice(1) });
    }
  }

  // ---- members ----

  private field(l: SourceLine, c: Cursor): MemberPlan {
    const toks = l.tokens;
    let eq = toks.findIndex((t, k) => k > 0 && t.kind === "word" && t.text === "=");
    if (eq < 0) eq = toks.length;
    if (eq < 3) c.fail("expected .field FLAGS name descriptor [= value]");
    const flags = this.flags(toks.slice(1, eq - 2), "field", l.line);
    c.pos = eq - 2;
    const name = this.utf8Ref(c);
    const desc = this.utf8Ref(c);
    const descText = desc.t === "Utf8" ? desc.value : "";
    const attrs: AttrPlan[] = [];
    if (eq < toks.length) {
      c.pos = eq + 1;
      attrs.push(this.constantValue(c, descText));
    }
    // A field block: attribute lines up to `.end field`.
    const next = this.lines[this.i];
    const nd = next?.tokens[0]?.text;
    if (next && nd !== undefined && FIELD_ATTR_DIRECTIVES.has(nd) && next.tokens[0]!.kind === "word") {
      for (;;) {
        const a = this.lines[this.i++];
        if (!a) this.fail("missing .end field", l.line);
        const ac: Cursor = this.cursor(a);
        const d = a.tokens[0]!.text;
        if (d === ".end") {
          ac.keyword("field");
          ac.end();
          break;
        }
        if (d === ".value") attrs.push(this.constantValue(ac, descText));
        else if (FIELD_ATTR_DIRECTIVES.has(d)) attrs.push(this.simpleAttribute(d, ac));
        else ac.fail(`${d} is not allowed in a field (end it with .end field)`);
      }
    }
    return { line: l.line, flags, name, desc, descText, attrs };
  }

  private constantValue(c: Cursor, desc: string): AttrPlan {
    const line = c.line;
    const t = c.peek();
    let spec: ConstSpec;
    const n = t?.kind === "word" ? parseNumber(t.text) : undefined;
    if (n && (n.type === "integer" || n.type === "decimal")) {
      c.pos++;
      if (n.type === "integer" && n.suffix === "L") spec = { t: "Long", value: BigInt.asIntN(64, n.value) };
      else if (n.type === "integer" && desc === "J") spec = { t: "Long", value: BigInt.asIntN(64, n.value) };
      else if (desc === "F") spec = n.type === "decimal" ? { t: "Float", bits: n.floatBits } : parseConstant(new Cursor([{ kind: "word", text: `${n.value}f` }], line, this.fail), "plain");
      else if (desc === "D") spec = n.type === "decimal" ? { t: "Double", bits: n.doubleBits } : parseConstant(new Cursor([{ kind: "word", text: `${n.value}d` }], line, this.fail), "plain");
      else if (n.type === "decimal") spec = { t: "Double", bits: n.doubleBits };
      else {
        if (n.value < -0x80000000n || n.value > 0xffffffffn) c.fail(`${n.value} does not fit in an int`);
        spec = { t: "Integer", value: Number(BigInt.asIntN(32, n.value)) };
      }
    } else spec = parseConstant(c, "plain");
    c.end();
    return { line, build: (r) => ({ kind: "ConstantValue", nameIndex: r.resolve({ t: "Utf8", value: "ConstantValue" }, line), valueIndex: r.resolve(spec, line) }) };
  }

  private method(l: SourceLine, c: Cursor): MemberPlan & { code?: CodePlan } {
    const toks = l.tokens;
    if (toks.length < 2) c.fail("expected .method FLAGS name(descriptor)");
    let name: ConstSpec;
    let desc: ConstSpec;
    let flagEnd: number;
    const beforeLast = toks[toks.length - 2]!;
    if (toks.length >= 3 && (beforeLast.kind === "string" || (beforeLast.kind === "word" && /^\[\d+\]$/.test(beforeLast.text)))) {
      c.pos = toks.length - 2;
      name = this.utf8Ref(c);
      desc = this.utf8Ref(c);
      flagEnd = toks.length - 2;
    } else {
      const last = toks[toks.length - 1]!;
      const { head, desc: d } = splitDescriptor(last.text, c);
      name = { t: "Utf8", value: head };
      desc = { t: "Utf8", value: d };
      flagEnd = toks.length - 1;
    }
    const flags = this.flags(toks.slice(1, flagEnd), "method", l.line);
    const descText = desc.t === "Utf8" ? desc.value : "";
    const plan: MemberPlan & { code?: CodePlan } = { line: l.line, flags, name, desc, descText, attrs: [] };
    for (;;) {
      const m = this.lines[this.i++];
      if (!m) this.fail("missing .end method", l.line);
      const head = m.tokens[0]!;
      const d = head.kind === "word" ? head.text : "";
      const mc: Cursor = this.cursor(m);
      if (d === ".end") {
        mc.keyword("method");
        mc.end();
        break;
      }
      if (METHOD_ATTR_DIRECTIVES.has(d)) {
        if (d === ".throws") this.throwsLine(plan, mc);
        else plan.attrs.push(this.simpleAttribute(d, mc));
        continue;
      }
      plan.code ??= newCodePlan(plan.attrs.length, m.line);
      this.codeLine(plan.code, m);
    }
    return plan;
  }

  /** `.throws C`: each line adds to the method's first Exceptions attribute. */
  private throwsLine(plan: MemberPlan & { throwsList?: { spec: ConstSpec; line: number }[] }, c: Cursor): void {
    const spec = parseClassRef(c);
    c.end();
    if (!plan.throwsList) {
      const list: { spec: ConstSpec; line: number }[] = [];
      plan.throwsList = list;
      const line = c.line;
      plan.attrs.push({
        line,
        build: (r) => ({ kind: "Exceptions", nameIndex: r.resolve({ t: "Utf8", value: "Exceptions" }, line), exceptions: list.map((x) => r.resolve(x.spec, x.line)) }),
      });
    }
    plan.throwsList.push({ spec, line: c.line });
  }

  // ---- code ----

  private label(code: CodePlan, name: string, line: number): Label {
    let l = code.labels.get(name);
    if (!l) {
      l = { id: code.labelCount++, line, placed: false };
      code.labels.set(name, l);
    }
    return l.id;
  }

  private labelRef(code: CodePlan, c: Cursor): Label {
    const w = c.name("a label");
    return this.label(code, w, c.line);
  }

  private codeLine(code: CodePlan, l: SourceLine): void {
    let first = l.tokens[0]!;
    let from = 0;
    if (first.kind === "word" && first.text.endsWith(":") && first.text.length > 1 && !first.text.startsWith(".")) {
      const name = first.text.slice(0, -1);
      const id = this.label(code, name, l.line);
      const rec = code.labels.get(name)!;
      if (rec.placed) this.fail(`label ${name} is defined twice`, l.line);
      rec.placed = true;
      code.nodes.push({ kind: "label", label: id });
      if (l.tokens.length === 1) return;
      from = 1;
      first = l.tokens[1]!;
    }
    const c: Cursor = this.cursor(l, from + 1);
    const d = first.kind === "word" ? first.text : "";
    switch (d) {
      case ".limit": {
        const what = c.word("stack or locals");
        const n = c.int("a limit", 0, 0xffff);
        c.end();
        if (what === "stack") code.maxStack = n;
        else if (what === "locals") code.maxLocals = n;
        else c.fail(`unknown limit '${what}'`);
        return;
      }
      case ".line":
        code.nodes.push({ kind: "line", line: c.int("a line number", 0, 0xffff) });
        c.end();
        return;
      case ".catch": {
        const t = c.peek();
        let catchSpec: ConstSpec | undefined;
        if (t?.kind === "word" && t.text === "all") c.pos++;
        else catchSpec = parseClassRef(c);
        c.keyword("from");
        const start = this.labelRef(code, c);
        c.keyword("to");
        const end = this.labelRef(code, c);
        c.keyword("using");
        const handler = this.labelRef(code, c);
        c.end();
        const h: Handler = { start, end, handler, catchType: 0 };
        code.handlers.push(h);
        if (catchSpec) {
          const spec = catchSpec;
          code.steps.push((r) => (h.catchType = r.resolve(spec, l.line)));
        }
        return;
      }
      case ".var":
      case ".vartype": {
        const index = c.int("a local variable index", 0, 0xffff);
        c.keyword("is");
        const name = this.utf8Ref(c);
        const desc = this.utf8Ref(c);
        let sig: ConstSpec | undefined;
        if (d === ".var" && c.peekWord() === "signature") {
          c.pos++;
          sig = this.utf8Ref(c);
        }
        c.keyword("from");
        const start = this.labelRef(code, c);
        c.keyword("to");
        const end = this.labelRef(code, c);
        c.end();
        const add = (list: LocalVariable[], descSpec: ConstSpec): void => {
          const v: LocalVariable = { start, end, nameIndex: 0, descriptorIndex: 0, index };
          list.push(v);
          code.steps.push((r) => {
            v.nameIndex = r.resolve(name, l.line);
            v.descriptorIndex = r.resolve(descSpec, l.line);
          });
        };
        if (d === ".var") add((code.locals ??= []), desc);
        else add((code.localTypes ??= []), desc);
        if (sig) add((code.localTypes ??= []), sig);
        return;
      }
      case ".stack":
        code.nodes.push({ kind: "frame", frame: parseFrame(code, c, (cc) => this.labelRef(code, cc)) });
        code.hasStackMapTable = true;
        return;
      case ".stackmaptable":
        c.end();
        code.hasStackMapTable = true;
        return;
      case ".codeattribute":
        code.other.push(this.simpleAttribute(".codeattribute", c));
        return;
      case ".attributeorder":
        code.attributeOrder = parseAttributeOrder(c);
        // Every table named is written, even empty (`assemble-build.ts` for the variable tables).
        if (code.attributeOrder.includes("StackMapTable")) code.hasStackMapTable = true;
        return;
      default:
        break;
    }
    if (d.startsWith(".")) c.fail(`unknown directive ${d} in a method`);
    this.instruction(code, first, c);
  }

  private instruction(code: CodePlan, head: Token, c: Cursor): void {
    const mn = head.text;
    const row = head.kind === "word" ? opcodeByMnemonic.get(JASMIN_ALIASES.get(mn) ?? mn) : undefined;
    if (!row) c.fail(`unknown instruction '${mn}'`);
    const op = row.normal;
    const line = c.line;
    const push = (n: Instruction): void => {
      code.nodes.push(n);
    };
    const cpInsn = (opcode: number, spec: ConstSpec): void => {
      const n: Instruction = { kind: "cp", op: opcode, index: 0 };
      push(n);
      code.steps.push((r) => ((n as { index: number }).index = r.resolve(spec, line)));
    };
    switch (row.format) {
      case "none":
        push(row.impliedLocal !== undefined ? { kind: "local", op, index: row.impliedLocal } : { kind: "simple", op });
        break;
      case "local_u1":
        push({ kind: "local", op, index: c.int("a local variable index", 0, 0xffff) });
        break;
      case "s1":
        push({ kind: "int", op, value: c.int("a byte value", -128, 127) });
        break;
      case "s2":
        push({ kind: "int", op, value: c.int("a short value", -32768, 32767) });
        break;
      case "atype": {
        const w = c.word("an array element type");
        let t = NEWARRAY_TYPES.indexOf(w);
        if (t < 4) {
          const n = parseNumber(w);
          if (n?.type === "integer" && n.value >= 4n && n.value <= 11n) t = Number(n.value);
          else c.fail(`unknown array type '${w}'`);
        }
        push({ kind: "int", op, value: t });
        break;
      }
      case "cp_u1":
      case "cp_u2":
        if (op === Op.LDC || op === Op.LDC2_W) {
          const spec = parseConstant(c, op === Op.LDC2_W ? "ldc2" : "ldc");
          const wide = spec.t === "Long" || spec.t === "Double" || (spec.t === "Dynamic" && (spec.desc === "J" || spec.desc === "D"));
          cpInsn(spec.t === "index" ? op : wide ? Op.LDC2_W : Op.LDC, spec);
        } else if (op >= Op.GETSTATIC && op <= Op.PUTFIELD) cpInsn(op, parseFieldRef(c));
        else if (op >= Op.INVOKEVIRTUAL && op <= Op.INVOKESTATIC) cpInsn(op, parseMethodRef(c, "Methodref"));
        else cpInsn(op, parseClassRef(c));
        break;
      case "branch_s2":
      case "branch_s4":
        push({ kind: "jump", op, target: this.labelRef(code, c) });
        break;
      case "iinc":
        push({ kind: "iinc", index: c.int("a local variable index", 0, 0xffff), delta: c.int("an increment", -32768, 32767) });
        break;
      case "invokeinterface": {
        const spec = parseMethodRef(c, "InterfaceMethodref");
        let count: number;
        if (c.atEnd) {
          if (spec.t !== "InterfaceMethodref" && spec.t !== "Methodref") c.fail("invokeinterface by index needs its count");
          count = descriptorSlots((spec as { desc: string }).desc).args + 1;
        } else count = c.int("an argument count", 1, 255);
        const n: Instruction = { kind: "invokeinterface", index: 0, count };
        push(n);
        code.steps.push((r) => ((n as { index: number }).index = r.resolve(spec, line)));
        break;
      }
      case "invokedynamic": {
        let spec: ConstSpec;
        const index = parseIndexRef(c);
        if (index !== undefined) spec = { t: "index", index };
        else {
          const joined = c.name("name(descriptor)");
          const { head: name, desc } = splitDescriptor(joined, c);
          spec = { t: "InvokeDynamic", name, desc, bsm: parseBootstrap(c) };
        }
        const n: Instruction = { kind: "invokedynamic", index: 0 };
        push(n);
        code.steps.push((r) => ((n as { index: number }).index = r.resolve(spec, line)));
        break;
      }
      case "multianewarray": {
        const spec = parseClassRef(c);
        const n: Instruction = { kind: "multianewarray", index: 0, dims: c.int("a dimension count", 1, 255) };
        push(n);
        code.steps.push((r) => ((n as { index: number }).index = r.resolve(spec, line)));
        break;
      }
      case "tableswitch":
        this.tableswitch(code, c);
        return;
      case "lookupswitch":
        this.lookupswitch(code, c);
        return;
      case "wide":
        c.fail("write the instruction without 'wide': the assembler picks the form");
    }
    c.end();
  }

  /** Switch bodies: the lines after the instruction, up to and including `default : L`. */
  private switchLines(what: string, line: number, each: (c: Cursor) => void): Label {
    const code = this.currentCode!;
    for (;;) {
      const l = this.lines[this.i++];
      if (!l) this.fail(`${what} without 'default : label'`, line);
      const c: Cursor = this.cursor(l, 0);
      const w = c.peekWord();
      if (w === "default" || w === "default:") {
        c.pos++;
        if (w === "default") c.keyword(":");
        const t = this.labelRef(code, c);
        c.end();
        return t;
      }
      each(c);
    }
  }

  private currentCode: CodePlan | undefined;

  private tableswitch(code: CodePlan, c: Cursor): void {
    const low = c.int("the low key");
    const high = c.atEnd ? undefined : c.int("the high key");
    c.end();
    const targets: Label[] = [];
    this.currentCode = code;
    const defaultTarget = this.switchLines("tableswitch", c.line, (lc: Cursor) => {
      while (!lc.atEnd) targets.push(this.labelRef(code, lc));
    });
    const hi = high ?? low + targets.length - 1;
    if (hi - low + 1 !== targets.length) c.fail(`tableswitch ${low} ${hi} needs ${hi - low + 1} targets, has ${targets.length}`);
    code.nodes.push({ kind: "tableswitch", low, high: hi, defaultTarget, targets });
  }

  private lookupswitch(code: CodePlan, c: Cursor): void {
    c.end();
    const keys: number[] = [];
    const targets: Label[] = [];
    this.currentCode = code;
    const defaultTarget = this.switchLines("lookupswitch", c.line, (lc: Cursor) => {
      let k = lc.word("a key");
      if (k.endsWith(":")) k = k.slice(0, -1);
      else lc.keyword(":");
      const n = parseNumber(k);
      if (n?.type !== "integer" || n.suffix !== "" || n.value < -0x80000000n || n.value > 0x7fffffffn) lc.fail(`bad lookupswitch key '${k}'`);
      keys.push(Number(n.value));
      targets.push(this.labelRef(code, lc));
      lc.end();
    });
    code.nodes.push({ kind: "lookupswitch", defaultTarget, keys, targets });
  }

  private build(plan: ClassPlan): ClassFile {
    return buildClass(plan, this.fail);
  }
}

function utf8FromBytes(bytes: Uint8Array): CpEntry {
  // Decoded leniently, as the class reader does; the bytes are what gets written.
  return { kind: "Utf8", value: decodeModifiedUtf8(bytes), bytes };
}

