/**
 * Serialises the class-file model back to bytes (JVMS 4.1).
 *
 * Members and attributes that carry `raw` bytes are copied verbatim; everything
 * else is encoded from its fields. With `enforceJvmLimits` (the default) a Code
 * attribute over 65,535 bytes fails with `E_CODE_TOO_LARGE` naming the class,
 * method and size; library users building methods bigger than any class file can
 * hold turn it off. Cost: linear in the output size.
 */
import { ByteWriter } from "../bytes.js";
import { ErrorCodes, MegasplitError, type Location } from "../diagnostics.js";
import { locate, writeAttributes, type WriteContext } from "./attributes.js";
import type { ConstantPool } from "./constant-pool.js";
import { type ClassFile, codeOf, type MemberInfo } from "./model.js";

export interface WriteOptions {
  /** Refuse methods whose code exceeds 65,535 bytes (default true). */
  enforceJvmLimits?: boolean;
  where?: Location;
}

export function writeClass(cf: ClassFile, opts: WriteOptions = {}): Uint8Array {
  const cp = cf.constantPool;
  const className = safeClassName(cf);
  const where: Location = { ...opts.where, className };
  const ctx: WriteContext = { cp, where, methodName: 0, methodDescriptor: 0, enforceJvmLimits: opts.enforceJvmLimits ?? true };
  const w = scratchWriter.reset();
  w.u4(0xcafebabe).u2(cf.minorVersion).u2(cf.majorVersion);
  writeConstantPool(w, cp);
  w.u2(cf.accessFlags).u2(cf.thisClass).u2(cf.superClass);
  w.u2(cf.interfaces.length);
  for (const i of cf.interfaces) w.u2(i);
  writeMembers(w, cf.fields, cp, ctx, false);
  writeMembers(w, cf.methods, cp, ctx, true);
  writeAttributes(w, cf.attributes, ctx);
  return w.toBytes();
}

function safeClassName(cf: ClassFile): string | undefined {
  try {
    return cf.constantPool.className(cf.thisClass);
  } catch {
    return undefined;
  }
}

/**
 * One writer for every class: it keeps the buffer of the largest class written so
 * far, so a class costs one allocation (the exact-size copy `toBytes` returns)
 * instead of a presized buffer plus that copy. Safe because writeClass is
 * synchronous and not re-entrant.
 */
const scratchWriter = new ByteWriter(64 * 1024);

function writeMembers(w: ByteWriter, members: readonly MemberInfo[], cp: ConstantPool, ctx: WriteContext, areMethods: boolean): void {
  w.u2(members.length);
  for (const m of members) {
    if (areMethods) {
      // Name and descriptor must be Utf8 entries; the method is named only if an error needs it (see `locate`).
      if (cp.entries[m.nameIndex]?.kind !== "Utf8") cp.utf8(m.nameIndex);
      if (cp.entries[m.descriptorIndex]?.kind !== "Utf8") cp.utf8(m.descriptorIndex);
      ctx.methodName = m.nameIndex;
      ctx.methodDescriptor = m.descriptorIndex;
      const code = codeOf(m);
      if (code && ctx.enforceJvmLimits && code.code.length > 65535) {
        throw new MegasplitError(ErrorCodes.CODE_TOO_LARGE, `method code is ${code.code.length} bytes, over the JVM's limit of 65535`, locate(ctx));
      }
    }
    if (m.raw !== undefined) {
      w.bytes(m.raw);
      continue;
    }
    w.u2(m.accessFlags).u2(m.nameIndex).u2(m.descriptorIndex);
    writeAttributes(w, m.attributes, ctx);
  }
  ctx.methodName = 0;
  ctx.methodDescriptor = 0;
}

function writeConstantPool(w: ByteWriter, cp: ConstantPool): void {
  const entries = cp.entries;
  w.u2(entries.length);
  for (let i = 1; i < entries.length; i++) {
    const e = entries[i];
    if (e === undefined) continue;
    switch (e.kind) {
      case "Utf8":
        w.u1(1).u2(e.bytes.length).bytes(e.bytes);
        break;
      case "Integer":
        w.u1(3).s4(e.value);
        break;
      case "Float":
        w.u1(4).s4(e.bits);
        break;
      case "Long":
        w.u1(5).s8(e.value);
        break;
      case "Double":
        w.u1(6).s8(e.bits);
        break;
      case "Class":
        w.u1(7).u2(e.nameIndex);
        break;
      case "String":
        w.u1(8).u2(e.stringIndex);
        break;
      case "Fieldref":
        w.u1(9).u2(e.classIndex).u2(e.nameAndTypeIndex);
        break;
      case "Methodref":
        w.u1(10).u2(e.classIndex).u2(e.nameAndTypeIndex);
        break;
      case "InterfaceMethodref":
        w.u1(11).u2(e.classIndex).u2(e.nameAndTypeIndex);
        break;
      case "NameAndType":
        w.u1(12).u2(e.nameIndex).u2(e.descriptorIndex);
        break;
      case "MethodHandle":
        w.u1(15).u1(e.referenceKind).u2(e.referenceIndex);
        break;
      case "MethodType":
        w.u1(16).u2(e.descriptorIndex);
        break;
      case "Dynamic":
        w.u1(17).u2(e.bootstrapMethodAttrIndex).u2(e.nameAndTypeIndex);
        break;
      case "InvokeDynamic":
        w.u1(18).u2(e.bootstrapMethodAttrIndex).u2(e.nameAndTypeIndex);
        break;
      case "Module":
        w.u1(19).u2(e.nameIndex);
        break;
      case "Package":
        w.u1(20).u2(e.nameIndex);
        break;
    }
  }
}
