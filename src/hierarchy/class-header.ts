/**
 * The part of a class file the class hierarchy needs: its name, super class,
 * interfaces and whether it is an interface (JVMS 4.1 access_flags, this_class,
 * super_class, interfaces; the constant pool of JVMS 4.4 only as far as needed to
 * resolve those names).
 *
 * Reading a JDK or classpath class this way walks the constant pool once, skipping
 * every entry by its tag's size and decoding only the Utf8 entries that name the
 * class and its supertypes; fields, methods and attributes are never touched. That
 * is several times cheaper than `readClass`, which validates everything. Bad input
 * throws a MegasplitError (E_BAD_MAGIC, E_TRUNCATED, E_CP_TAG, E_CP_INDEX,
 * E_CP_KIND) like the full reader does.
 */
import { ByteReader } from "../bytes.js";
import { decodeModifiedUtf8 } from "../classfile/mutf8.js";
import { Access, CpTag, type ClassFile } from "../classfile/model.js";
import { ErrorCodes, MegasplitError, type Location } from "../diagnostics.js";

export interface ClassInfo {
  /** Internal name (`java/lang/String`). */
  name: string;
  /** Undefined only for java/lang/Object (and module-info). */
  superName: string | undefined;
  interfaces: string[];
  isInterface: boolean;
}

/** Reads name, super class, interfaces and the interface flag from class bytes. */
export function readClassHeader(bytes: Uint8Array, where: Location = {}): ClassInfo {
  const r = new ByteReader(bytes, 0, bytes.length, where);
  const magic = r.u4("magic");
  if (magic !== 0xcafebabe) {
    throw new MegasplitError(ErrorCodes.BAD_MAGIC, `bad magic 0x${magic.toString(16).padStart(8, "0")}, not a class file`, { ...where, offset: 0 });
  }
  r.skip(4, "version");
  const count = r.u2("constant_pool_count");
  // Per slot: the tag, and for Utf8 the offset of its length, for Class its name index.
  const tags = new Uint8Array(count);
  const values = new Int32Array(count);
  for (let i = 1; i < count; i++) {
    const at = r.pos;
    const tag = r.u1("cp tag");
    tags[i] = tag;
    switch (tag) {
      case CpTag.Utf8:
        values[i] = r.pos;
        r.skip(r.u2("utf8 length"), "utf8 bytes");
        break;
      case CpTag.Class:
        values[i] = r.u2("class name_index");
        break;
      case CpTag.String:
      case CpTag.MethodType:
      case CpTag.Module:
      case CpTag.Package:
        r.skip(2);
        break;
      case CpTag.MethodHandle:
        r.skip(3);
        break;
      case CpTag.Integer:
      case CpTag.Float:
      case CpTag.Fieldref:
      case CpTag.Methodref:
      case CpTag.InterfaceMethodref:
      case CpTag.NameAndType:
      case CpTag.Dynamic:
      case CpTag.InvokeDynamic:
        r.skip(4);
        break;
      case CpTag.Long:
      case CpTag.Double:
        r.skip(8);
        i++;
        break;
      default:
        throw new MegasplitError(ErrorCodes.CP_TAG, `constant-pool tag ${tag} at slot ${i} is not defined by JVMS 4.4`, { ...where, offset: at });
    }
  }
  const className = (index: number, what: string): string => {
    if (index <= 0 || index >= count || tags[index] !== CpTag.Class) {
      throw new MegasplitError(ErrorCodes.CP_KIND, `${what} #${index} is not a Class constant`, where);
    }
    const nameIndex = values[index]!;
    if (nameIndex <= 0 || nameIndex >= count || tags[nameIndex] !== CpTag.Utf8) {
      throw new MegasplitError(ErrorCodes.CP_KIND, `Class constant #${index} names #${nameIndex}, not a Utf8 constant`, where);
    }
    const at = values[nameIndex]!;
    const length = (bytes[at]! << 8) | bytes[at + 1]!;
    return decodeModifiedUtf8(bytes.subarray(at + 2, at + 2 + length));
  };
  const accessFlags = r.u2("access_flags");
  const name = className(r.u2("this_class"), "this_class");
  const superIndex = r.u2("super_class");
  const superName = superIndex === 0 ? undefined : className(superIndex, "super_class");
  const n = r.u2("interfaces_count");
  const interfaces: string[] = new Array(n);
  for (let i = 0; i < n; i++) interfaces[i] = className(r.u2("interface"), "interface");
  return { name, superName, interfaces, isInterface: (accessFlags & Access.INTERFACE) !== 0 };
}

/** The same facts from an already parsed class. */
export function classInfoOf(cf: ClassFile): ClassInfo {
  const cp = cf.constantPool;
  return {
    name: cp.className(cf.thisClass),
    superName: cf.superClass === 0 ? undefined : cp.className(cf.superClass),
    interfaces: cf.interfaces.map((i) => cp.className(i)),
    isInterface: (cf.accessFlags & Access.INTERFACE) !== 0,
  };
}
