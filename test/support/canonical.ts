/**
 * The canonical dump used by corpus tests to compare classes: the disassembly
 * without the constant pool. It is independent of pool order and of the
 * ldc/ldc_w, goto/goto_w and label-id choices (the decoder normalises them), and
 * of the encoding choices the text keeps for exact round trips (the Code
 * attribute's `.attributeorder`, frames in an extended form their offset did not
 * need: dropped and shortened here), so two classes with equal dumps mean the
 * same thing to the JVM (class, field and method attribute order included; the
 * order of a Code attribute's own tables is not shown). Raw attributes are shown as
 * their bytes, pool indices and all, so compare classes that share a pool layout
 * when they carry such attributes. Cost: one disassembly.
 */
import type { ClassFile } from "../../src/classfile/model.js";
import { disassemble } from "../../src/text/disassemble.js";

export function canonicalDump(cf: ClassFile): string {
  return disassemble(cf, { constantPool: false })
    .replace(/^ *\.attributeorder .*\n/gm, "")
    .replace(/^( *\.stack same(?:_locals_1_stack_item)?)_frame_extended\b/gm, "$1");
}
