/**
 * A fast, allocation-free check of a class file (JVMS 4.1) that tells a split
 * whether the class can be copied unchanged without building its model: most
 * classes of a jar have no method over the limit, and `readClass` (read.ts) built
 * thousands of entry, member and attribute objects for each only to look at code
 * lengths.
 *
 * `scanClass` answers with the total code length of the methods over the limit
 * (0: none, copy the class as it is) or {@link SCAN_IRREGULAR}. It is exact where
 * it answers a length: a class gets one only when `readClass` would read it
 * without an error and without a warning, i.e. it checks everything `readClass`
 * checks: magic and major version (45..69), the constant pool's tags and every
 * cross-reference's bounds and kind (JVMS 4.4), this_class, super_class,
 * interfaces, member names and descriptors, every attribute's length within its
 * container, the content of each attribute `readClass` parses in its place
 * (JVMS 4.7: Code with its exception table and nested attributes, StackMapTable
 * frames and verification types, LineNumberTable, LocalVariable(Type)Table,
 * BootstrapMethods, SourceFile, Signature, NestHost, NestMembers, Exceptions,
 * InnerClasses, ConstantValue, Synthetic, Deprecated), each parsed attribute
 * ending exactly at its length, no code_length 0, and no byte after the last
 * class attribute. Anything else it does not vouch for: an error, a case that
 * would warn, an attribute name that is not plain ASCII, a Long or Double in the
 * pool's last slot. Those are irregular, and the caller reads the class with
 * `readClass`, which reports them with its usual codes and locations. So a scan
 * never changes what is reported, only who finds that there is nothing to report.
 *
 * Cost: one pass over the bytes plus one over the pool; two typed arrays per call.
 */
import { MAX_MAJOR, MIN_MAJOR } from "./read.js";

/** `scanClass`'s answer for a class it does not vouch for: read it with `readClass`. */
export const SCAN_IRREGULAR = -1;

// Constant-pool tags (JVMS 4.4, table 4.4-B).
const UTF8 = 1;
const INTEGER = 3;
const FLOAT = 4;
const LONG = 5;
const DOUBLE = 6;
const CLASS = 7;
const STRING = 8;
const FIELDREF = 9;
const METHODREF = 10;
const INTERFACE_METHODREF = 11;
const NAME_AND_TYPE = 12;
const METHOD_HANDLE = 15;
const METHOD_TYPE = 16;
const DYNAMIC = 17;
const INVOKE_DYNAMIC = 18;
const MODULE = 19;
const PACKAGE = 20;

/** Bytes of each tag's entry after the tag byte (0: unknown tag; Utf8 has its own length). */
const ENTRY_SIZE = [0, 0, 0, 4, 4, 8, 8, 2, 2, 4, 4, 4, 4, 0, 0, 3, 2, 4, 4, 2, 2];

/** Attribute names `readClass` parses, by the place they stand in (attributes.ts `PARSED`). */
const enum Attr {
  Other,
  Code,
  LineNumberTable,
  LocalVariableTable,
  StackMapTable,
  BootstrapMethods,
  SourceFile,
  Signature,
  NestHost,
  NestMembers,
  Exceptions,
  InnerClasses,
  ConstantValue,
  Synthetic,
  Deprecated,
}
const enum Place {
  Class,
  Field,
  Method,
  Code,
}
/** Every attribute name `readClass` parses somewhere. */
const PARSED_NAMES: ReadonlyMap<string, Attr> = new Map([
  ["Code", Attr.Code],
  ["LineNumberTable", Attr.LineNumberTable],
  ["LocalVariableTable", Attr.LocalVariableTable],
  ["LocalVariableTypeTable", Attr.LocalVariableTable],
  ["StackMapTable", Attr.StackMapTable],
  ["BootstrapMethods", Attr.BootstrapMethods],
  ["SourceFile", Attr.SourceFile],
  ["Signature", Attr.Signature],
  ["NestHost", Attr.NestHost],
  ["NestMembers", Attr.NestMembers],
  ["Exceptions", Attr.Exceptions],
  ["InnerClasses", Attr.InnerClasses],
  ["ConstantValue", Attr.ConstantValue],
  ["Synthetic", Attr.Synthetic],
  ["Deprecated", Attr.Deprecated],
]);
/** Which of them it parses in each place (elsewhere they are kept raw, as the JVM ignores them there). */
const PARSED_IN: Record<Place, ReadonlySet<Attr>> = {
  [Place.Class]: new Set([Attr.SourceFile, Attr.BootstrapMethods, Attr.NestHost, Attr.NestMembers, Attr.InnerClasses, Attr.Signature, Attr.Synthetic, Attr.Deprecated]),
  [Place.Field]: new Set([Attr.ConstantValue, Attr.Signature, Attr.Synthetic, Attr.Deprecated]),
  [Place.Method]: new Set([Attr.Code, Attr.Exceptions, Attr.Signature, Attr.Synthetic, Attr.Deprecated]),
  [Place.Code]: new Set([Attr.LineNumberTable, Attr.LocalVariableTable, Attr.StackMapTable]),
};
/** Longer names are none of them. */
const LONGEST_PARSED_NAME = 22;

/** Thrown inside the scan for anything it does not vouch for; never leaves this module. */
const IRREGULAR = Symbol("irregular");

/**
 * The summed code length of the methods whose code is longer than `maxSize`, or
 * {@link SCAN_IRREGULAR} when `readClass` might reject the class or warn about it.
 */
export function scanClass(bytes: Uint8Array, maxSize: number): number {
  try {
    return new ClassScan(bytes, maxSize).run();
  } catch (e) {
    if (e === IRREGULAR) return SCAN_IRREGULAR;
    throw e;
  }
}

class ClassScan {
  private pos = 0;
  /** Tag of each pool slot (0: no entry there). */
  private tags: Uint8Array = new Uint8Array(0);
  /** Offset of each entry's first byte after its tag. */
  private at: Int32Array = new Int32Array(0);
  /** Per Utf8 slot used as an attribute name: 1 + the parsed attribute it names (0: not looked at yet). */
  private names: Uint8Array = new Uint8Array(0);
  private oversize = 0;

  constructor(
    private readonly b: Uint8Array,
    private readonly maxSize: number,
  ) {}

  run(): number {
    const end = this.b.length;
    if (this.u4(end) !== 0xcafebabe) throw IRREGULAR;
    this.skip(2, end);
    const major = this.u2(end);
    if (major < MIN_MAJOR || major > MAX_MAJOR) throw IRREGULAR;
    this.readPool(end);
    this.checkPool();
    this.skip(2, end); // access_flags
    this.expect(this.u2(end), CLASS); // this_class
    const superClass = this.u2(end);
    if (superClass !== 0) this.expect(superClass, CLASS);
    for (let n = this.u2(end); n > 0; n--) this.expect(this.u2(end), CLASS);
    this.members(Place.Field, end);
    this.members(Place.Method, end);
    this.attributes(Place.Class, end);
    if (this.pos !== end) throw IRREGULAR;
    return this.oversize;
  }

  private readPool(end: number): void {
    const count = this.u2(end);
    this.tags = new Uint8Array(Math.max(1, count));
    this.at = new Int32Array(Math.max(1, count));
    this.names = new Uint8Array(Math.max(1, count));
    for (let i = 1; i < count; i++) {
      const tag = this.u1(end);
      const size = tag === UTF8 ? this.u2(end) : tag < ENTRY_SIZE.length ? ENTRY_SIZE[tag]! : 0;
      if (size === 0 && tag !== UTF8) throw IRREGULAR;
      this.tags[i] = tag;
      this.at[i] = this.pos;
      this.skip(size, end);
      if (tag === LONG || tag === DOUBLE) {
        if (i + 1 >= count) throw IRREGULAR; // readClass accepts it; this scan leaves it to readClass
        i++;
      }
    }
  }

  /** ConstantPool.validate: every reference between entries. */
  private checkPool(): void {
    const { tags, at } = this;
    for (let i = 1; i < tags.length; i++) {
      const p = at[i]!;
      switch (tags[i]) {
        case CLASS:
        case MODULE:
        case PACKAGE:
        case STRING:
        case METHOD_TYPE:
          this.expect(this.at2(p), UTF8);
          break;
        case FIELDREF:
        case METHODREF:
        case INTERFACE_METHODREF:
          this.expect(this.at2(p), CLASS);
          this.expect(this.at2(p + 2), NAME_AND_TYPE);
          break;
        case NAME_AND_TYPE:
          this.expect(this.at2(p), UTF8);
          this.expect(this.at2(p + 2), UTF8);
          break;
        case METHOD_HANDLE: {
          const kind = this.b[p]!;
          const ref = this.at2(p + 1);
          if (kind < 1 || kind > 9) throw IRREGULAR;
          if (kind <= 4) this.expect(ref, FIELDREF);
          else this.expectEither(ref, METHODREF, INTERFACE_METHODREF);
          break;
        }
        case DYNAMIC:
        case INVOKE_DYNAMIC:
          this.expect(this.at2(p + 2), NAME_AND_TYPE);
          break;
        default:
          break;
      }
    }
  }

  private members(place: Place, end: number): void {
    for (let n = this.u2(end); n > 0; n--) {
      this.skip(2, end); // access_flags
      this.expect(this.u2(end), UTF8);
      this.expect(this.u2(end), UTF8);
      this.attributes(place, end);
    }
  }

  /** attributes_count and the attributes, all within `end` (their container's end). */
  private attributes(place: Place, end: number): void {
    for (let n = this.u2(end); n > 0; n--) {
      const nameIndex = this.u2(end);
      const length = this.u4(end);
      if (length > end - this.pos) throw IRREGULAR;
      this.expect(nameIndex, UTF8);
      const attrEnd = this.pos + length;
      const kind = this.attributeKind(nameIndex, place);
      if (kind === Attr.Other) this.pos = attrEnd;
      else this.parsed(kind, attrEnd);
      if (this.pos !== attrEnd) throw IRREGULAR;
    }
  }

  /** Which parsed attribute the Utf8 entry `index` names in `place`. */
  private attributeKind(index: number, place: Place): Attr {
    let known = this.names[index]!;
    if (known === 0) {
      known = this.nameOf(index) + 1;
      this.names[index] = known;
    }
    const kind: Attr = known - 1;
    return PARSED_IN[place].has(kind) ? kind : Attr.Other;
  }

  /** The parsed attribute the Utf8 entry `index` spells; a name not plain ASCII is irregular. */
  private nameOf(index: number): Attr {
    const p = this.at[index]!;
    const length = this.at2(p - 2);
    let name = "";
    for (let k = p; k < p + length; k++) {
      const c = this.b[k]!;
      if (c === 0 || c >= 0x80) throw IRREGULAR; // lenient decoding could make a known name of it
      if (length <= LONGEST_PARSED_NAME) name += String.fromCharCode(c);
    }
    return length <= LONGEST_PARSED_NAME ? (PARSED_NAMES.get(name) ?? Attr.Other) : Attr.Other;
  }

  /** The content of a parsed attribute (attributes.ts `parseKnown`), ending at `end`. */
  private parsed(kind: Attr, end: number): void {
    switch (kind) {
      case Attr.Code:
        return this.code(end);
      case Attr.LineNumberTable:
        return this.skip(4 * this.u2(end), end);
      case Attr.LocalVariableTable:
        for (let n = this.u2(end); n > 0; n--) {
          this.skip(4, end);
          this.expect(this.u2(end), UTF8);
          this.expect(this.u2(end), UTF8);
          this.skip(2, end);
        }
        return;
      case Attr.StackMapTable:
        return this.frames(end);
      case Attr.BootstrapMethods:
        for (let n = this.u2(end); n > 0; n--) {
          this.expect(this.u2(end), METHOD_HANDLE);
          this.skip(2 * this.u2(end), end);
        }
        return;
      case Attr.SourceFile:
      case Attr.Signature:
        return this.expect(this.u2(end), UTF8);
      case Attr.NestHost:
        return this.expect(this.u2(end), CLASS);
      case Attr.NestMembers:
      case Attr.Exceptions:
        for (let n = this.u2(end); n > 0; n--) this.expect(this.u2(end), CLASS);
        return;
      case Attr.InnerClasses:
        return this.skip(8 * this.u2(end), end);
      case Attr.ConstantValue: {
        const tag = this.tagOf(this.u2(end));
        if (tag !== INTEGER && tag !== FLOAT && tag !== LONG && tag !== DOUBLE && tag !== STRING) throw IRREGULAR;
        return;
      }
      case Attr.Synthetic:
      case Attr.Deprecated:
      case Attr.Other:
        return;
    }
  }

  private code(end: number): void {
    this.skip(4, end); // max_stack, max_locals
    const codeLength = this.u4(end);
    if (codeLength === 0) throw IRREGULAR;
    this.skip(codeLength, end);
    for (let n = this.u2(end); n > 0; n--) {
      this.skip(6, end);
      const catchType = this.u2(end);
      if (catchType !== 0) this.expect(catchType, CLASS);
    }
    this.attributes(Place.Code, end);
    if (codeLength > this.maxSize) this.oversize += codeLength;
  }

  private frames(end: number): void {
    for (let n = this.u2(end); n > 0; n--) {
      const t = this.u1(end);
      if (t < 64) continue;
      if (t < 128) this.verificationType(end);
      else if (t < 247) throw IRREGULAR;
      else if (t === 247) {
        this.skip(2, end);
        this.verificationType(end);
      } else if (t < 252) this.skip(2, end);
      else if (t < 255) {
        this.skip(2, end);
        for (let k = t - 251; k > 0; k--) this.verificationType(end);
      } else {
        this.skip(2, end);
        for (let k = this.u2(end); k > 0; k--) this.verificationType(end);
        for (let k = this.u2(end); k > 0; k--) this.verificationType(end);
      }
    }
  }

  private verificationType(end: number): void {
    const tag = this.u1(end);
    if (tag < 7) return;
    if (tag === 7) this.expect(this.u2(end), CLASS);
    else if (tag === 8) this.skip(2, end);
    else throw IRREGULAR;
  }

  private tagOf(index: number): number {
    return index < this.tags.length ? this.tags[index]! : 0;
  }

  private expect(index: number, tag: number): void {
    if (this.tagOf(index) !== tag) throw IRREGULAR;
  }

  private expectEither(index: number, tag: number, other: number): void {
    const t = this.tagOf(index);
    if (t !== tag && t !== other) throw IRREGULAR;
  }

  private at2(p: number): number {
    return (this.b[p]! << 8) | this.b[p + 1]!;
  }

  private skip(n: number, end: number): void {
    if (n > end - this.pos) throw IRREGULAR;
    this.pos += n;
  }

  private u1(end: number): number {
    if (this.pos + 1 > end) throw IRREGULAR;
    return this.b[this.pos++]!;
  }

  private u2(end: number): number {
    if (this.pos + 2 > end) throw IRREGULAR;
    const v = this.at2(this.pos);
    this.pos += 2;
    return v;
  }

  private u4(end: number): number {
    if (this.pos + 4 > end) throw IRREGULAR;
    const b = this.b;
    const p = this.pos;
    this.pos += 4;
    return ((b[p]! << 24) | (b[p + 1]! << 16) | (b[p + 2]! << 8) | b[p + 3]!) >>> 0;
  }
}
