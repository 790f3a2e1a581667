/**
 * Parses a class file (JVMS 4.1) into the model of `model.ts`.
 *
 * Checks what the rest of the tool relies on: magic, a major version in 45..69,
 * every constant-pool cross-reference (kinds and bounds, JVMS 4.4), the kinds of
 * this_class/super_class/interfaces and member names, attribute lengths, and that
 * nothing trails the last attribute. Members and attributes keep their raw bytes
 * (views into the input, not copies) so that writing back is byte-identical.
 * Bytecode itself is decoded lazily by `bytecode/decode.ts`, and the text of a
 * CONSTANT_Utf8 when first asked for. Cost: linear in size.
 */
import { ByteReader } from "../bytes.js";
import { type Diagnostic, ErrorCodes, MegasplitError, type Location } from "../diagnostics.js";
import { type AttributeContext, readAttributes, type ReadContext } from "./attributes.js";
import { ConstantPool } from "./constant-pool.js";
import { type ClassFile, type CpEntry, type MemberInfo } from "./model.js";
import { decodeModifiedUtf8 } from "./mutf8.js";

export const MIN_MAJOR = 45;
export const MAX_MAJOR = 69;

export interface ReadOptions {
  /** Where errors point (bundle and entry). */
  where?: Location;
  /** Collects warnings (malformed attributes kept raw). */
  diagnostics?: Diagnostic[];
}

export function readClass(bytes: Uint8Array, opts: ReadOptions = {}): ClassFile {
  const where: Location = { ...opts.where };
  const r = new ByteReader(bytes, 0, bytes.length, where);
  const magic = r.u4("magic");
  if (magic !== 0xcafebabe) {
    throw new MegasplitError(ErrorCodes.BAD_MAGIC, `bad magic 0x${magic.toString(16).padStart(8, "0")}, not a class file`, { ...where, offset: 0 });
  }
  const minorVersion = r.u2("minor_version");
  const majorVersion = r.u2("major_version");
  if (majorVersion < MIN_MAJOR || majorVersion > MAX_MAJOR) {
    throw new MegasplitError(ErrorCodes.BAD_VERSION, `class version ${majorVersion}.${minorVersion} is outside ${MIN_MAJOR}..${MAX_MAJOR}`, { ...where, offset: 4 });
  }
  const constantPool = readConstantPool(r, where);
  constantPool.where = where;
  constantPool.validate();
  const accessFlags = r.u2("access_flags");
  const thisClass = r.u2("this_class");
  const className = constantPool.className(thisClass);
  const classWhere: Location = { ...where, className };
  constantPool.where = classWhere;
  const superClass = r.u2("super_class");
  if (superClass !== 0) constantPool.className(superClass);
  const ni = r.u2("interfaces_count");
  const interfaces: number[] = new Array(ni);
  for (let i = 0; i < ni; i++) {
    interfaces[i] = r.u2("interface");
    constantPool.className(interfaces[i]!);
  }
  const ctx: ReadContext = { cp: constantPool, where: classWhere, methodName: 0, methodDescriptor: 0, diagnostics: opts.diagnostics ?? [] };
  const fields = readMembers(r, "field", ctx);
  const methods = readMembers(r, "method", ctx);
  const attributes = readAttributes(r, "class", ctx);
  if (r.remaining !== 0) {
    throw new MegasplitError(ErrorCodes.TRAILING_BYTES, `${r.remaining} bytes follow the last class attribute`, { ...classWhere, offset: r.pos });
  }
  constantPool.where = classWhere;
  return { minorVersion, majorVersion, constantPool, accessFlags, thisClass, superClass, interfaces, fields, methods, attributes };
}

function readMembers(r: ByteReader, context: AttributeContext, ctx: ReadContext): MemberInfo[] {
  const n = r.u2(`${context}s_count`);
  const out: MemberInfo[] = new Array(n);
  for (let i = 0; i < n; i++) {
    const start = r.pos;
    const accessFlags = r.u2("access_flags");
    const nameIndex = r.u2("name_index");
    const descriptorIndex = r.u2("descriptor_index");
    ctx.cp.expect(nameIndex, "Utf8");
    ctx.cp.expect(descriptorIndex, "Utf8");
    // Errors in a method's attributes name the method (see `locate`); a field's name the class.
    if (context === "method") {
      ctx.methodName = nameIndex;
      ctx.methodDescriptor = descriptorIndex;
    }
    const attributes = readAttributes(r, context, ctx);
    out[i] = { accessFlags, nameIndex, descriptorIndex, attributes, raw: r.bytes.subarray(start, r.pos) };
  }
  ctx.methodName = 0;
  ctx.methodDescriptor = 0;
  return out;
}

/**
 * A CONSTANT_Utf8 whose text is decoded when first read: most names of a class the
 * splitter leaves alone are never looked at, and decoding every one was a third of
 * reading a class. Decoding is lenient (never throws, see mutf8.ts), so nothing is
 * found later that reading now would have found. A class rather than an object
 * literal with a getter (a closure per entry, and slower property access
 * everywhere): `value` lives on the prototype, so spreading or structured-cloning
 * the entry would lose it (nothing does either to constant-pool entries).
 */
function utf8Entry(bytes: Uint8Array): CpEntry {
  return new LazyUtf8(bytes) as CpEntry;
}

class LazyUtf8 {
  readonly kind = "Utf8";
  private text: string | undefined = undefined;
  constructor(readonly bytes: Uint8Array) {}
  get value(): string {
    return (this.text ??= decodeModifiedUtf8(this.bytes));
  }
}

function readConstantPool(r: ByteReader, where: Location): ConstantPool {
  const count = r.u2("constant_pool_count");
  const entries: (CpEntry | undefined)[] = new Array(Math.max(1, count)).fill(undefined);
  for (let i = 1; i < count; i++) {
    const at = r.pos;
    const tag = r.u1("constant pool tag");
    let e: CpEntry;
    switch (tag) {
      case 1: {
        const len = r.u2("utf8 length");
        const bytes = r.slice(len, "utf8 bytes");
        e = utf8Entry(bytes);
        break;
      }
      case 3:
        e = { kind: "Integer", value: r.s4() };
        break;
      case 4:
        e = { kind: "Float", bits: r.s4() };
        break;
      case 5:
        e = { kind: "Long", value: r.s8() };
        break;
      case 6:
        e = { kind: "Double", bits: r.s8() };
        break;
      case 7:
        e = { kind: "Class", nameIndex: r.u2() };
        break;
      case 8:
        e = { kind: "String", stringIndex: r.u2() };
        break;
      case 9:
        e = { kind: "Fieldref", classIndex: r.u2(), nameAndTypeIndex: r.u2() };
        break;
      case 10:
        e = { kind: "Methodref", classIndex: r.u2(), nameAndTypeIndex: r.u2() };
        break;
      case 11:
        e = { kind: "InterfaceMethodref", classIndex: r.u2(), nameAndTypeIndex: r.u2() };
        break;
      case 12:
        e = { kind: "NameAndType", nameIndex: r.u2(), descriptorIndex: r.u2() };
        break;
      case 15:
        e = { kind: "MethodHandle", referenceKind: r.u1(), referenceIndex: r.u2() };
        break;
      case 16:
        e = { kind: "MethodType", descriptorIndex: r.u2() };
        break;
      case 17:
        e = { kind: "Dynamic", bootstrapMethodAttrIndex: r.u2(), nameAndTypeIndex: r.u2() };
        break;
      case 18:
        e = { kind: "InvokeDynamic", bootstrapMethodAttrIndex: r.u2(), nameAndTypeIndex: r.u2() };
        break;
      case 19:
        e = { kind: "Module", nameIndex: r.u2() };
        break;
      case 20:
        e = { kind: "Package", nameIndex: r.u2() };
        break;
      default:
        throw new MegasplitError(ErrorCodes.CP_TAG, `unknown constant-pool tag ${tag} at entry ${i}`, { ...where, offset: at });
    }
    entries[i] = e;
    if (tag === 5 || tag === 6) i++;
  }
  if (entries.length > count && count > 0) entries.length = count; // a trailing long/double overran the count
  return new ConstantPool(entries);
}
