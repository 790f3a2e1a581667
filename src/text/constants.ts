/**
 * Constants in the text format (JVMS 4.4): symbolic constant specs, their text,
 * and their resolution to constant-pool indices.
 *
 * A {@link ConstSpec} is a constant by value (`Class java/lang/String`, a method
 * ref, `5L`...) or by pool index (`[12]`). Both sides agree on one *deep key* per
 * value: the printer computes it for every pool entry, the assembler for every spec,
 * so a symbolic reference resolves to the first pool entry with the same value,
 * exactly the entry the printer would name symbolically. When an instruction uses a
 * later duplicate entry (or one whose names cannot be written symbolically), the
 * printer writes `[index]` instead, when the pool is printed: this is what makes a
 * text round trip with `.const` lines byte-exact.
 *
 * Text forms (operands of ldc and bootstrap arguments): `5`, `5L`, `1.5f`, `1.5`,
 * `"str"`, `Class name`, `MethodType desc`, `MethodHandle kind ref`,
 * `Dynamic name desc bsm`, and `[n]`. A bootstrap specifier is
 * `kind ref { arg ... }` (or `[n] { ... }`), where kind is a JVMS 5.4.3.5 reference
 * kind spelled as the instruction (`getfield` ... `invokeinterface`, and
 * `newinvokespecial`) and ref is `Owner/name(desc)` for methods or `Owner/name desc`
 * for fields, preceded by `InterfaceMethod` (or `Method`) when the ref's kind is not
 * the usual one for that reference kind.
 *
 * Cost: deep keys are memoised per pool index, so keying a whole pool is linear in
 * its size (times the length of the names).
 */
import type { BootstrapMethod, CpEntry } from "../classfile/model.js";
import type { ConstantPool } from "../classfile/constant-pool.js";
import { encodeModifiedUtf8 } from "../classfile/mutf8.js";
import { type Token, quoteName, quoteString } from "./lexer.js";
import { formatDouble, formatFloat, formatLong, parseNumber } from "./numbers.js";

export type MemberKind = "Fieldref" | "Methodref" | "InterfaceMethodref";

export interface BsmSpec {
  handle: ConstSpec;
  args: ConstSpec[];
}

export type ConstSpec =
  | { t: "index"; index: number }
  | { t: "Utf8"; value: string }
  | { t: "Integer"; value: number }
  | { t: "Float"; bits: number }
  | { t: "Long"; value: bigint }
  | { t: "Double"; bits: bigint }
  | { t: "Class"; name: string }
  | { t: "String"; value: string }
  | { t: "NameAndType"; name: string; desc: string }
  | { t: MemberKind; owner: string; name: string; desc: string }
  | { t: "MethodHandle"; refKind: number; ref: ConstSpec }
  | { t: "MethodType"; desc: string }
  | { t: "Dynamic" | "InvokeDynamic"; name: string; desc: string; bsm: BsmSpec };

/** JVMS 5.4.3.5 reference kinds 1..9, spelled as the instructions they behave like. */
export const REF_KIND_NAMES = ["", "getfield", "getstatic", "putfield", "putstatic", "invokevirtual", "invokestatic", "invokespecial", "newinvokespecial", "invokeinterface"];

/** The member kind a method handle of `refKind` usually names. */
function usualMemberKind(refKind: number): MemberKind {
  return refKind <= 4 ? "Fieldref" : refKind === 9 ? "InterfaceMethodref" : "Methodref";
}

// ---- deep keys ----

function strKey(tag: string, s: string): string {
  return `${tag}${s.length}:${s}`;
}

export function specKey(s: ConstSpec, resolveIndexKey: (i: number) => string): string {
  switch (s.t) {
    case "index":
      return resolveIndexKey(s.index);
    case "Utf8":
      return strKey("U", s.value);
    case "Integer":
      return `I${s.value | 0};`;
    case "Float":
      return `F${s.bits | 0};`;
    case "Long":
      return `J${BigInt.asIntN(64, s.value)};`;
    case "Double":
      return `D${BigInt.asIntN(64, s.bits)};`;
    case "Class":
      return strKey("C", s.name);
    case "String":
      return strKey("S", s.value);
    case "NameAndType":
      return `N${strKey("", s.name)}${strKey("", s.desc)}`;
    case "Fieldref":
    case "Methodref":
    case "InterfaceMethodref":
      return `${s.t[0]}${s.t.length}${strKey("", s.owner)}${strKey("", s.name)}${strKey("", s.desc)}`;
    case "MethodHandle":
      return `H${s.refKind}(${specKey(s.ref, resolveIndexKey)})`;
    case "MethodType":
      return strKey("T", s.desc);
    case "Dynamic":
    case "InvokeDynamic":
      return `${s.t === "Dynamic" ? "Y" : "Z"}${strKey("", s.name)}${strKey("", s.desc)}${bsmKey(s.bsm, resolveIndexKey)}`;
  }
}

export function bsmKey(b: BsmSpec, resolveIndexKey: (i: number) => string): string {
  let k = `B(${specKey(b.handle, resolveIndexKey)}`;
  for (const a of b.args) k += `,${specKey(a, resolveIndexKey)}`;
  return `${k})`;
}

/**
 * Read-only view of a pool for printing: deep keys, which entries are the first of
 * their value, and the text of constant operands.
 */
export class PoolView {
  /** Memoised deep keys by index; grows with the pool. */
  private readonly keys: (string | undefined)[] = [];
  private readonly inProgress = new Set<number>();
  private firstOfKey: Map<string, number> | undefined;

  constructor(
    readonly cp: ConstantPool,
    readonly bsms: readonly BootstrapMethod[],
    /** Whether `.const` lines are printed, so `[n]` references are allowed. */
    readonly indexed: boolean,
  ) {}

  entry(i: number): CpEntry | undefined {
    return i > 0 ? this.cp.entries[i] : undefined;
  }

  /** The deep key of entry i (its value, independent of pool layout). */
  keyOf(i: number): string {
    const k = this.keys[i];
    if (k !== undefined) return k;
    const e = this.entry(i);
    if (e === undefined || this.inProgress.has(i)) return `#${i};`;
    this.inProgress.add(i);
    const key = specKey(this.specOf(i), (j) => this.keyOf(j));
    this.inProgress.delete(i);
    this.keys[i] = key;
    return key;
  }

  /** The entry as a spec one level deep (components stay `index` specs, resolved by keyOf). */
  specOf(i: number): ConstSpec {
    const e = this.entry(i);
    const cp = this.cp;
    if (e === undefined) return { t: "index", index: i };
    switch (e.kind) {
      case "Utf8":
        return utf8IsCanonical(e) ? { t: "Utf8", value: e.value } : { t: "index", index: i };
      case "Integer":
        return { t: "Integer", value: e.value };
      case "Float":
        return { t: "Float", bits: e.bits };
      case "Long":
        return { t: "Long", value: e.value };
      case "Double":
        return { t: "Double", bits: e.bits };
      case "Class":
        return this.canonicalUtf8(e.nameIndex) ? { t: "Class", name: cp.utf8(e.nameIndex) } : { t: "index", index: i };
      case "String":
        return this.canonicalUtf8(e.stringIndex) ? { t: "String", value: cp.utf8(e.stringIndex) } : { t: "index", index: i };
      case "NameAndType":
        return this.canonicalUtf8(e.nameIndex) && this.canonicalUtf8(e.descriptorIndex)
          ? { t: "NameAndType", name: cp.utf8(e.nameIndex), desc: cp.utf8(e.descriptorIndex) }
          : { t: "index", index: i };
      case "Fieldref":
      case "Methodref":
      case "InterfaceMethodref": {
        const c = cp.expect(e.classIndex, "Class");
        const nt = cp.expect(e.nameAndTypeIndex, "NameAndType");
        if (!this.canonicalUtf8(c.nameIndex) || !this.canonicalUtf8(nt.nameIndex) || !this.canonicalUtf8(nt.descriptorIndex)) return { t: "index", index: i };
        return { t: e.kind, owner: cp.utf8(c.nameIndex), name: cp.utf8(nt.nameIndex), desc: cp.utf8(nt.descriptorIndex) };
      }
      case "MethodHandle":
        return { t: "MethodHandle", refKind: e.referenceKind, ref: { t: "index", index: e.referenceIndex } };
      case "MethodType":
        return this.canonicalUtf8(e.descriptorIndex) ? { t: "MethodType", desc: cp.utf8(e.descriptorIndex) } : { t: "index", index: i };
      case "Dynamic":
      case "InvokeDynamic": {
        const nt = cp.expect(e.nameAndTypeIndex, "NameAndType");
        const b = this.bsms[e.bootstrapMethodAttrIndex];
        if (b === undefined || !this.canonicalUtf8(nt.nameIndex) || !this.canonicalUtf8(nt.descriptorIndex)) return { t: "index", index: i };
        return {
          t: e.kind,
          name: cp.utf8(nt.nameIndex),
          desc: cp.utf8(nt.descriptorIndex),
          bsm: { handle: { t: "index", index: b.methodRef }, args: b.arguments.map((a) => ({ t: "index", index: a })) },
        };
      }
      case "Module":
      case "Package":
        return { t: "index", index: i };
    }
  }

  private canonicalUtf8(i: number): boolean {
    const e = this.entry(i);
    return e !== undefined && e.kind === "Utf8" && utf8IsCanonical(e);
  }

  /** Whether a symbolic spelling of entry i resolves back to i. */
  isFirst(i: number): boolean {
    if (!this.firstOfKey) {
      const m = new Map<string, number>();
      for (let j = 1; j < this.cp.count; j++) {
        if (this.entry(j) === undefined) continue;
        const k = this.keyOf(j);
        if (!m.has(k)) m.set(k, j);
      }
      this.firstOfKey = m;
    }
    return this.firstOfKey.get(this.keyOf(i)) === i;
  }

  /** `[i]` when the pool is printed and a symbolic form would not name exactly entry i. */
  private mustIndex(i: number, symbolicOk: boolean): boolean {
    if (!this.indexed) return false;
    return !symbolicOk || !this.isFirst(i);
  }

  /** Text of entry i as a loadable constant (ldc operand, bootstrap argument). */
  constant(i: number): string {
    const e = this.entry(i);
    if (e === undefined) return `[${i}]`;
    const spec = this.specOf(i);
    if (spec.t === "index" || this.mustIndex(i, true)) return this.indexed ? `[${i}]` : this.fallback(i);
    switch (spec.t) {
      case "Integer":
        return String(spec.value);
      case "Float":
        return formatFloat(spec.bits);
      case "Long":
        return formatLong(spec.value);
      case "Double":
        return formatDouble(spec.bits);
      case "String":
        return quoteString(spec.value);
      case "Class":
        return `Class ${quoteName(spec.name)}`;
      case "MethodType":
        return `MethodType ${quoteName(spec.desc)}`;
      case "MethodHandle":
        return `MethodHandle ${this.handle(i)}`;
      case "Dynamic": {
        const d = e as Extract<CpEntry, { kind: "Dynamic" | "InvokeDynamic" }>;
        return `Dynamic ${quoteName(spec.name)} ${quoteName(spec.desc)} ${this.bootstrap(d.bootstrapMethodAttrIndex)}`;
      }
      default:
        return this.indexed ? `[${i}]` : this.fallback(i);
    }
  }

  /** A method handle without its `MethodHandle` keyword: `kind [marker] ref`. */
  handle(i: number): string {
    const e = this.entry(i);
    if (e === undefined || e.kind !== "MethodHandle" || e.referenceKind < 1 || e.referenceKind > 9) return `[${i}]`;
    if (this.indexed && !this.isFirst(i)) return `[${i}]`;
    const refKind = e.referenceKind;
    const ref = this.entry(e.referenceIndex);
    if (ref === undefined || (ref.kind !== "Fieldref" && ref.kind !== "Methodref" && ref.kind !== "InterfaceMethodref")) return `[${i}]`;
    const isField = refKind <= 4;
    if (isField !== (ref.kind === "Fieldref") && this.indexed) return `[${i}]`;
    const member = isField ? this.field(e.referenceIndex) : this.method(e.referenceIndex, usualMemberKind(refKind));
    if (member.startsWith("[") && /^\[\d+\]$/.test(member)) return `[${i}]`;
    return `${REF_KIND_NAMES[refKind]} ${member}`;
  }

  /** A bootstrap specifier: `handle { args }`. */
  bootstrap(bsmIndex: number): string {
    const b = this.bsms[bsmIndex];
    if (b === undefined) return `<bad bootstrap index ${bsmIndex}>`;
    const h = this.handle(b.methodRef);
    let out = `${h} {`;
    for (const a of b.arguments) out += ` ${this.constant(a)}`;
    return `${out} }`;
  }

  /** A field reference operand: `Owner/name desc`. */
  field(i: number): string {
    const spec = this.specOf(i);
    if (spec.t !== "Fieldref") return this.indexed ? `[${i}]` : this.fallback(i);
    const ok = !spec.name.includes("/");
    if (this.mustIndex(i, ok)) return `[${i}]`;
    return `${quoteName(`${spec.owner}/${spec.name}`)} ${quoteName(spec.desc)}`;
  }

  /**
   * A method reference operand: `Owner/name(desc)`, preceded by `InterfaceMethod`
   * or `Method` when the entry's kind is not `usual`.
   */
  method(i: number, usual: MemberKind): string {
    const spec = this.specOf(i);
    if (spec.t !== "Methodref" && spec.t !== "InterfaceMethodref") return this.indexed ? `[${i}]` : this.fallback(i);
    const ok = !spec.owner.includes("(") && !spec.name.includes("/") && !spec.name.includes("(") && spec.desc.startsWith("(");
    if (this.mustIndex(i, ok)) return `[${i}]`;
    const joined = quoteName(`${spec.owner}/${spec.name}${spec.desc}`);
    if (spec.t === usual) return joined;
    return `${spec.t === "InterfaceMethodref" ? "InterfaceMethod" : "Method"} ${joined}`;
  }

  /** A class operand (new, checkcast, catch types, frame types...). */
  className(i: number): string {
    const spec = this.specOf(i);
    if (spec.t !== "Class") return this.indexed ? `[${i}]` : this.fallback(i);
    if (this.mustIndex(i, true)) return `[${i}]`;
    return quoteName(spec.name);
  }

  /** The name and descriptor of an InvokeDynamic entry joined, then its bootstrap. */
  invokeDynamic(i: number): string {
    const e = this.entry(i);
    const spec = this.specOf(i);
    if (e === undefined || e.kind !== "InvokeDynamic" || spec.t !== "InvokeDynamic") return this.indexed ? `[${i}]` : this.fallback(i);
    const ok = !spec.name.includes("(") && spec.desc.startsWith("(");
    if (this.mustIndex(i, ok) || this.bsms[e.bootstrapMethodAttrIndex] === undefined) return this.indexed ? `[${i}]` : this.fallback(i);
    return `${quoteName(spec.name + spec.desc)} ${this.bootstrap(e.bootstrapMethodAttrIndex)}`;
  }

  /** Without a printed pool, a best-effort description that is still deterministic. */
  private fallback(i: number): string {
    const e = this.entry(i);
    return e === undefined ? `[${i}]` : quoteString(`${e.kind}:${this.keyOf(i)}`);
  }

  /** The `.const` line body for entry i: its kind and raw operands. */
  constLine(i: number): string {
    const e = this.entry(i)!;
    switch (e.kind) {
      case "Utf8":
        return utf8IsCanonical(e) ? `Utf8 ${quoteString(e.value)}` : `Utf8 ${bytesLiteral(e.bytes)}`;
      case "Integer":
        return `Integer ${e.value}`;
      case "Float":
        return `Float ${formatFloat(e.bits)}`;
      case "Long":
        return `Long ${formatLong(e.value)}`;
      case "Double":
        return `Double ${formatDouble(e.bits)}`;
      case "Class":
      case "Module":
      case "Package":
        return `${e.kind} [${e.nameIndex}]`;
      case "String":
        return `String [${e.stringIndex}]`;
      case "Fieldref":
      case "Methodref":
      case "InterfaceMethodref":
        return `${e.kind} [${e.classIndex}] [${e.nameAndTypeIndex}]`;
      case "NameAndType":
        return `NameAndType [${e.nameIndex}] [${e.descriptorIndex}]`;
      case "MethodHandle":
        return `MethodHandle ${e.referenceKind} [${e.referenceIndex}]`;
      case "MethodType":
        return `MethodType [${e.descriptorIndex}]`;
      case "Dynamic":
      case "InvokeDynamic":
        return `${e.kind} ${e.bootstrapMethodAttrIndex} [${e.nameAndTypeIndex}]`;
    }
  }
}

function bytesLiteral(b: Uint8Array): string {
  let out = 'b"';
  for (const c of b) out += c >= 0x20 && c < 0x7f && c !== 34 && c !== 92 ? String.fromCharCode(c) : `\\x${c.toString(16).padStart(2, "0")}`;
  return `${out}"`;
}

export function utf8IsCanonical(e: Extract<CpEntry, { kind: "Utf8" }>): boolean {
  const b = e.bytes;
  const v = e.value;
  if (b.length === v.length) {
    let ascii = true;
    for (let i = 0; i < b.length; i++) {
      const c = b[i]!;
      if (c === 0 || c >= 0x80 || c !== v.charCodeAt(i)) {
        ascii = false;
        break;
      }
    }
    if (ascii) return true;
  }
  const enc = encodeModifiedUtf8(v);
  if (enc.length !== b.length) return false;
  for (let i = 0; i < b.length; i++) if (enc[i] !== b[i]) return false;
  return true;
}

// ---- parsing specs from tokens ----

/** A cursor over one line's tokens; errors point at the line. */
export class Cursor {
  pos = 0;
  constructor(
    readonly tokens: readonly Token[],
    readonly line: number,
    private readonly onError: (message: string, line: number) => never,
  ) {}
  get atEnd(): boolean {
    return this.pos >= this.tokens.length;
  }
  peek(): Token | undefined {
    return this.tokens[this.pos];
  }
  peekWord(): string | undefined {
    const t = this.tokens[this.pos];
    return t && t.kind === "word" ? t.text : undefined;
  }
  next(what: string): Token {
    const t = this.tokens[this.pos];
    if (t === undefined) this.fail(`expected ${what} at the end of the line`);
    this.pos++;
    return t;
  }
  /** A name: a word, or a quoted string. */
  name(what: string): string {
    const t = this.next(what);
    if (t.kind === "bytes") this.fail(`expected ${what}, found a byte string`);
    return t.text;
  }
  word(what: string): string {
    const t = this.next(what);
    if (t.kind !== "word") this.fail(`expected ${what}, found a string`);
    return t.text;
  }
  keyword(k: string): void {
    const t = this.next(`'${k}'`);
    if (t.kind !== "word" || t.text !== k) this.fail(`expected '${k}', found '${t.text}'`);
  }
  int(what: string, min = -0x80000000, max = 0xffffffff): number {
    const t = this.word(what);
    const n = parseNumber(t);
    if (!n || n.type !== "integer" || n.suffix !== "" || n.value < BigInt(min) || n.value > BigInt(max)) this.fail(`expected ${what}, found '${t}'`);
    return Number(n.value);
  }
  end(): void {
    const t = this.tokens[this.pos];
    if (t !== undefined) this.fail(`unexpected '${t.text}'`);
  }
  fail(message: string): never {
    return this.onError(message, this.line);
  }
}

const INDEX_RE = /^\[(\d+)\]$/;

/** `[n]` at the cursor, consumed; undefined (nothing consumed) otherwise. */
export function parseIndexRef(c: Cursor): number | undefined {
  const w = c.peekWord();
  if (w === undefined) return undefined;
  const m = INDEX_RE.exec(w);
  if (!m) return undefined;
  c.pos++;
  return Number(m[1]);
}

/** How an undecorated number reads: as ldc (int / float), ldc2_w (long / double), or by value alone. */
export type NumberContext = "ldc" | "ldc2" | "plain";

export function parseConstant(c: Cursor, ctx: NumberContext): ConstSpec {
  const index = parseIndexRef(c);
  if (index !== undefined) return { t: "index", index };
  const t = c.next("a constant");
  if (t.kind === "string") return { t: "String", value: t.text };
  if (t.kind === "bytes") c.fail("a byte string is not a constant");
  switch (t.text) {
    case "Class":
      return { t: "Class", name: c.name("a class name") };
    case "MethodType":
      return { t: "MethodType", desc: c.name("a method descriptor") };
    case "MethodHandle":
      return parseHandle(c);
    case "Dynamic": {
      const name = c.name("a name");
      const desc = c.name("a field descriptor");
      return { t: "Dynamic", name, desc, bsm: parseBootstrap(c) };
    }
    default:
      break;
  }
  const n = parseNumber(t.text);
  if (n === undefined) c.fail(`expected a constant, found '${t.text}'`);
  switch (n.type) {
    case "integer":
      if (n.suffix === "L" || ctx === "ldc2") return { t: "Long", value: BigInt.asIntN(64, n.value) };
      if (n.value < -0x80000000n || n.value > 0xffffffffn) c.fail(`integer ${n.value} does not fit in 32 bits (add L for a long)`);
      return { t: "Integer", value: Number(BigInt.asIntN(32, n.value)) };
    case "float":
      return { t: "Float", bits: n.bits };
    case "double":
      return { t: "Double", bits: n.bits };
    case "decimal":
      return ctx === "ldc" ? { t: "Float", bits: n.floatBits } : { t: "Double", bits: n.doubleBits };
  }
}

/** `kind [InterfaceMethod|Method] ref`, or `[n]`. */
export function parseHandle(c: Cursor): ConstSpec {
  const index = parseIndexRef(c);
  if (index !== undefined) return { t: "index", index };
  const kindName = c.word("a reference kind");
  const refKind = REF_KIND_NAMES.indexOf(kindName);
  if (refKind < 1) c.fail(`unknown reference kind '${kindName}'`);
  const ref = refKind <= 4 ? parseFieldRef(c) : parseMethodRef(c, usualMemberKind(refKind));
  return { t: "MethodHandle", refKind, ref };
}

/** `handle { arg ... }`. */
export function parseBootstrap(c: Cursor): BsmSpec {
  const handle = parseHandle(c);
  c.keyword("{");
  const args: ConstSpec[] = [];
  for (;;) {
    const t = c.peek();
    if (t === undefined) c.fail("expected '}' to close the bootstrap arguments");
    if (t.kind === "word" && t.text === "}") {
      c.pos++;
      break;
    }
    args.push(parseConstant(c, "plain"));
  }
  return { handle, args };
}

/** `Owner/name desc` or `[n]`. */
export function parseFieldRef(c: Cursor): ConstSpec {
  const index = parseIndexRef(c);
  if (index !== undefined) return { t: "index", index };
  const joined = c.name("a field reference Owner/name");
  const slash = joined.lastIndexOf("/");
  if (slash < 0) c.fail(`'${joined}' is not Owner/name`);
  const desc = c.name("a field descriptor");
  return { t: "Fieldref", owner: joined.slice(0, slash), name: joined.slice(slash + 1), desc };
}

/** `[InterfaceMethod|Method] Owner/name(desc)` (or old Jasmin's `Owner.name(desc)`) or `[n]`. */
export function parseMethodRef(c: Cursor, usual: MemberKind): ConstSpec {
  const index = parseIndexRef(c);
  if (index !== undefined) return { t: "index", index };
  let kind = usual;
  const w = c.peekWord();
  if (w === "InterfaceMethod" || w === "Method") {
    kind = w === "Method" ? "Methodref" : "InterfaceMethodref";
    c.pos++;
  }
  const joined = c.name("a method reference Owner/name(desc)");
  const { head, desc } = splitDescriptor(joined, c);
  // Old Jasmin writes `java/lang/Object.<init>()V`; a method name never holds '.' (JVMS 4.2.2).
  const slash = Math.max(head.lastIndexOf("/"), head.lastIndexOf("."));
  if (slash < 0) c.fail(`'${joined}' is not Owner/name(desc)`);
  return { t: kind, owner: head.slice(0, slash), name: head.slice(slash + 1), desc };
}

/** `name(desc)` split at its first parenthesis. */
export function splitDescriptor(joined: string, c: Cursor): { head: string; desc: string } {
  const p = joined.indexOf("(");
  if (p < 0) c.fail(`'${joined}' has no method descriptor`);
  return { head: joined.slice(0, p), desc: joined.slice(p) };
}

/** A class operand: a name or `[n]`. */
export function parseClassRef(c: Cursor): ConstSpec {
  const index = parseIndexRef(c);
  if (index !== undefined) return { t: "index", index };
  return { t: "Class", name: c.name("a class name") };
}

// ---- resolving specs to pool indices ----

/**
 * Turns specs into pool indices: an equal existing entry (by deep key) if any, else
 * a new one appended. Knows the BootstrapMethods table, which it extends likewise.
 */
export class PoolBuilder {
  private view: PoolView | undefined;
  private keyToIndex: Map<string, number> | undefined;
  private bsmKeys: Map<string, number> | undefined;

  constructor(
    readonly cp: ConstantPool,
    /** The class's bootstrap methods, extended in place. */
    readonly bsms: BootstrapMethod[],
  ) {}

  private indexKey = (i: number): string => {
    if (!(i > 0 && i < this.cp.count) || this.cp.entries[i] === undefined) return `#${i};`;
    return this.poolView().keyOf(i);
  };

  private poolView(): PoolView {
    this.view ??= new PoolView(this.cp, this.bsms, true);
    return this.view;
  }

  private map(): Map<string, number> {
    if (!this.keyToIndex) {
      const m = new Map<string, number>();
      const v = this.poolView();
      for (let i = 1; i < this.cp.count; i++) {
        if (this.cp.entries[i] === undefined) continue;
        const k = v.keyOf(i);
        if (!m.has(k)) m.set(k, i);
      }
      this.keyToIndex = m;
    }
    return this.keyToIndex;
  }

  resolve(s: ConstSpec, fail: (message: string) => never): number {
    if (s.t === "index") {
      if (!(s.index > 0 && s.index < this.cp.count) || this.cp.entries[s.index] === undefined) fail(`constant-pool index [${s.index}] is not an entry`);
      return s.index;
    }
    const m = this.map();
    const key = specKey(s, this.indexKey);
    const found = m.get(key);
    if (found !== undefined) return found;
    const entry = this.build(s, fail);
    const index = this.cp.add(entry);
    if (!m.has(key)) m.set(key, index);
    return index;
  }

  private build(s: Exclude<ConstSpec, { t: "index" }>, fail: (message: string) => never): CpEntry {
    const utf8 = (v: string): number => this.resolve({ t: "Utf8", value: v }, fail);
    switch (s.t) {
      case "Utf8":
        return { kind: "Utf8", value: s.value, bytes: encodeModifiedUtf8(s.value) };
      case "Integer":
        return { kind: "Integer", value: s.value | 0 };
      case "Float":
        return { kind: "Float", bits: s.bits | 0 };
      case "Long":
        return { kind: "Long", value: BigInt.asIntN(64, s.value) };
      case "Double":
        return { kind: "Double", bits: BigInt.asIntN(64, s.bits) };
      case "Class":
        return { kind: "Class", nameIndex: utf8(s.name) };
      case "String":
        return { kind: "String", stringIndex: utf8(s.value) };
      case "NameAndType":
        return { kind: "NameAndType", nameIndex: utf8(s.name), descriptorIndex: utf8(s.desc) };
      case "Fieldref":
      case "Methodref":
      case "InterfaceMethodref":
        return {
          kind: s.t,
          classIndex: this.resolve({ t: "Class", name: s.owner }, fail),
          nameAndTypeIndex: this.resolve({ t: "NameAndType", name: s.name, desc: s.desc }, fail),
        };
      case "MethodHandle":
        return { kind: "MethodHandle", referenceKind: s.refKind, referenceIndex: this.resolve(s.ref, fail) };
      case "MethodType":
        return { kind: "MethodType", descriptorIndex: utf8(s.desc) };
      case "Dynamic":
      case "InvokeDynamic":
        return {
          kind: s.t,
          bootstrapMethodAttrIndex: this.bootstrap(s.bsm, fail),
          nameAndTypeIndex: this.resolve({ t: "NameAndType", name: s.name, desc: s.desc }, fail),
        };
    }
  }

  /** The index of an equal bootstrap method, appending one if there is none. */
  bootstrap(b: BsmSpec, fail: (message: string) => never): number {
    if (!this.bsmKeys) {
      const m = new Map<string, number>();
      this.bsms.forEach((x, i) => {
        const k = bsmKey({ handle: { t: "index", index: x.methodRef }, args: x.arguments.map((a) => ({ t: "index", index: a })) }, this.indexKey);
        if (!m.has(k)) m.set(k, i);
      });
      this.bsmKeys = m;
    }
    const k = bsmKey(b, this.indexKey);
    const found = this.bsmKeys.get(k);
    if (found !== undefined) return found;
    const methodRef = this.resolve(b.handle, fail);
    const args = b.args.map((a) => this.resolve(a, fail));
    this.bsms.push({ methodRef, arguments: args });
    this.bsmKeys.set(k, this.bsms.length - 1);
    return this.bsms.length - 1;
  }
}
