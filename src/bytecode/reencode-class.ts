/**
 * Forces every method of a class through the full codec: decode the bytecode into
 * nodes and labels, encode it back (shortest forms, relaxed branches, offsets of
 * handlers, lines, locals and frames recomputed). Nothing is copied raw, so this is
 * the strongest test of the codec on real classes, and the reference workload of
 * `bench/roundtrip`. Methods without code and everything outside methods are kept.
 * The constant pool may grow (attribute names the input lacked). Cost: linear.
 */
import { codeOf, type Attribute, type ClassFile, type MethodInfo } from "../classfile/model.js";
import { readClass } from "../classfile/read.js";
import { writeClass } from "../classfile/write.js";
import { MegasplitError, type Diagnostic, type Location } from "../diagnostics.js";
import { reencodeMethodCode } from "./encode.js";

export function reencodeClass(cf: ClassFile, where: Location = {}): ClassFile {
  const cp = cf.constantPool;
  // Errors name the method only when one is thrown: a location per method cost
  // more than re-encoding most methods.
  const classWhere: Location = { ...where, className: cp.className(cf.thisClass) };
  const methods: MethodInfo[] = [];
  for (const m of cf.methods) {
    if (codeOf(m) === undefined) {
      methods.push(m);
      continue;
    }
    const attributes: Attribute[] = [];
    try {
      for (const a of m.attributes) attributes.push(a.kind === "Code" ? reencodeMethodCode(a, cp, classWhere) : a);
    } catch (e) {
      if (e instanceof MegasplitError) throw e.within({ ...classWhere, method: cp.utf8(m.nameIndex) + cp.utf8(m.descriptorIndex) });
      throw e;
    }
    methods.push({ accessFlags: m.accessFlags, nameIndex: m.nameIndex, descriptorIndex: m.descriptorIndex, attributes });
  }
  return { ...cf, methods };
}

/**
 * The same on class-file bytes: read, re-encode every method, write. Shaped as a
 * per-class transform for `mapClassEntries` (bundle/parallel.ts), which names it
 * by module and export to run it on worker threads.
 */
export function reencodeClassBytes(data: Uint8Array, context: { where?: Location; diagnostics?: Diagnostic[] } = {}): Uint8Array {
  const where = context.where ?? {};
  const cf = readClass(data, context.diagnostics ? { where, diagnostics: context.diagnostics } : { where });
  return writeClass(reencodeClass(cf, where), { where });
}
