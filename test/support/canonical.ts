/**
 * The canonical dump used by corpus tests to compare classes: the disassembly
 * without the constant pool. It is independent of pool order and of the
 * ldc/ldc_w, goto/goto_w and label-id choices (the decoder normalises them), so
 * two classes with equal dumps mean the same thing to the JVM, attribute order
 * included. Raw attributes are shown as their bytes, pool indices and all, so
 * compare classes that share a pool layout when they carry such attributes.
 * Cost: one disassembly.
 */
import type { ClassFile } from "../../src/classfile/model.js";
import { disassemble } from "../../src/text/disassemble.js";

export function canonicalDump(cf: ClassFile): string {
  return disassemble(cf, { constantPool: false });
}
