/**
 * A small, valid class file built through the model (not from a compiler), for
 * tests that corrupt bytes at known places. `class Tiny { static int f(int x) {
 * return x + 1; } }` with a LineNumberTable and a SourceFile attribute.
 */
import { ConstantPool } from "../../src/classfile/constant-pool.js";
import type { ClassFile } from "../../src/classfile/model.js";
import { writeClass } from "../../src/classfile/write.js";

export function tinyClassModel(): ClassFile {
  const cp = new ConstantPool();
  const thisClass = cp.addClass("Tiny");
  const superClass = cp.addClass("java/lang/Object");
  const code = new Uint8Array([0x1a, 0x04, 0x60, 0xac]); // iload_0 iconst_1 iadd ireturn
  return {
    minorVersion: 0,
    majorVersion: 52,
    constantPool: cp,
    accessFlags: 0x21,
    thisClass,
    superClass,
    interfaces: [],
    fields: [{ accessFlags: 0x0a, nameIndex: cp.addUtf8("counter"), descriptorIndex: cp.addUtf8("J"), attributes: [] }],
    methods: [
      {
        accessFlags: 0x08,
        nameIndex: cp.addUtf8("f"),
        descriptorIndex: cp.addUtf8("(I)I"),
        attributes: [
          {
            kind: "Code",
            nameIndex: cp.addUtf8("Code"),
            maxStack: 2,
            maxLocals: 1,
            code,
            exceptionTable: [],
            attributes: [{ kind: "LineNumberTable", nameIndex: cp.addUtf8("LineNumberTable"), entries: [{ startPc: 0, line: 1 }] }],
          },
        ],
      },
    ],
    attributes: [{ kind: "SourceFile", nameIndex: cp.addUtf8("SourceFile"), sourceFileIndex: cp.addUtf8("Tiny.java") }],
  };
}

export function tinyClassBytes(): Uint8Array {
  return writeClass(tinyClassModel());
}
