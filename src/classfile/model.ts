/**
 * The class-file model: plain data mirroring JVMS chapter 4 (ClassFile, cp_info,
 * field_info, method_info, attribute_info), with constant-pool references kept as
 * indices so that nothing is lost between reading and writing.
 *
 * Invariants that make lossless output cheap:
 * - The model is treated as immutable. A pass that changes a method, a field or an
 *   attribute builds a new object; it never edits one that came from a reader.
 * - Objects that came from a reader carry `raw`, the exact bytes they were read
 *   from. The writer copies `raw` verbatim, so an unchanged method inside a changed
 *   class is written byte-for-byte, and an untouched class is byte-identical.
 * - The constant pool only grows (see `constant-pool.ts`): indices read from the
 *   input stay valid, which is what makes copying `raw` bytes correct.
 */

/** JVMS 4.4 constant-pool tags. */
export const CpTag = {
  Utf8: 1,
  Integer: 3,
  Float: 4,
  Long: 5,
  Double: 6,
  Class: 7,
  String: 8,
  Fieldref: 9,
  Methodref: 10,
  InterfaceMethodref: 11,
  NameAndType: 12,
  MethodHandle: 15,
  MethodType: 16,
  Dynamic: 17,
  InvokeDynamic: 18,
  Module: 19,
  Package: 20,
} as const;

export type CpEntry =
  /** `bytes` is the exact modified-UTF-8 encoding; `value` its decoded string. */
  | { kind: "Utf8"; value: string; bytes: Uint8Array }
  | { kind: "Integer"; value: number }
  /** The raw IEEE-754 bits, so NaN payloads survive. */
  | { kind: "Float"; bits: number }
  | { kind: "Long"; value: bigint }
  /** The raw IEEE-754 bits as a signed 64-bit integer. */
  | { kind: "Double"; bits: bigint }
  | { kind: "Class"; nameIndex: number }
  | { kind: "String"; stringIndex: number }
  | { kind: "Fieldref" | "Methodref" | "InterfaceMethodref"; classIndex: number; nameAndTypeIndex: number }
  | { kind: "NameAndType"; nameIndex: number; descriptorIndex: number }
  | { kind: "MethodHandle"; referenceKind: number; referenceIndex: number }
  | { kind: "MethodType"; descriptorIndex: number }
  | { kind: "Dynamic" | "InvokeDynamic"; bootstrapMethodAttrIndex: number; nameAndTypeIndex: number }
  | { kind: "Module" | "Package"; nameIndex: number };

export type CpKind = CpEntry["kind"];

/** JVMS 4.1, 4.5, 4.6 access flags. */
export const Access = {
  PUBLIC: 0x0001,
  PRIVATE: 0x0002,
  PROTECTED: 0x0004,
  STATIC: 0x0008,
  FINAL: 0x0010,
  SUPER: 0x0020,
  SYNCHRONIZED: 0x0020,
  VOLATILE: 0x0040,
  BRIDGE: 0x0040,
  TRANSIENT: 0x0080,
  VARARGS: 0x0080,
  NATIVE: 0x0100,
  INTERFACE: 0x0200,
  ABSTRACT: 0x0400,
  STRICT: 0x0800,
  SYNTHETIC: 0x1000,
  ANNOTATION: 0x2000,
  ENUM: 0x4000,
  MODULE: 0x8000,
  MANDATED: 0x8000,
} as const;

export interface ExceptionTableEntry {
  startPc: number;
  endPc: number;
  handlerPc: number;
  /** Index of a Class constant, or 0 for "any" (finally). */
  catchType: number;
}

export interface LineNumberEntry {
  startPc: number;
  line: number;
}

/** One row of LocalVariableTable (descriptor) or LocalVariableTypeTable (signature). */
export interface LocalVariableEntry {
  startPc: number;
  length: number;
  nameIndex: number;
  /** Descriptor index (LVT) or signature index (LVTT). */
  descriptorIndex: number;
  index: number;
}

/** JVMS 4.10.1.2 verification types as they appear in a StackMapTable. */
export type VerificationType =
  | { tag: "top" }
  | { tag: "int" }
  | { tag: "float" }
  | { tag: "double" }
  | { tag: "long" }
  | { tag: "null" }
  | { tag: "uninitializedThis" }
  | { tag: "object"; classIndex: number }
  /** `offset` is the bytecode offset of the `new` that created the object. */
  | { tag: "uninitialized"; offset: number };

/**
 * One stack_map_frame, with its encoding form kept (JVMS 4.7.4).
 * `offsetDelta` is as stored; the frame's offset is derived by the reader.
 * `extended`: the frame came in its extended form (same_frame_extended,
 * same_locals_1_stack_item_frame_extended) although its offset delta fits the
 * short one, and is written so again (a delta over 63 takes it anyway).
 */
export type StackMapFrame =
  | { type: "same"; offsetDelta: number; extended?: true }
  | { type: "same_locals_1_stack_item"; offsetDelta: number; stack: VerificationType; extended?: true }
  | { type: "chop"; offsetDelta: number; chop: number }
  | { type: "append"; offsetDelta: number; locals: VerificationType[] }
  | { type: "full"; offsetDelta: number; locals: VerificationType[]; stack: VerificationType[] };

export interface BootstrapMethod {
  methodRef: number;
  arguments: number[];
}

export interface InnerClassEntry {
  innerClassInfoIndex: number;
  outerClassInfoIndex: number;
  innerNameIndex: number;
  innerClassAccessFlags: number;
}

interface AttrBase {
  /** Index of the attribute's name in the constant pool. */
  nameIndex: number;
  /** The attribute's info bytes as read (absent on attributes built by a pass). */
  raw?: Uint8Array;
}

export interface CodeAttribute extends AttrBase {
  kind: "Code";
  maxStack: number;
  maxLocals: number;
  /** The bytecode. Its length may exceed 65,535 in memory; only the JVM writer refuses that. */
  code: Uint8Array;
  exceptionTable: ExceptionTableEntry[];
  attributes: Attribute[];
}

export type Attribute =
  | CodeAttribute
  | (AttrBase & { kind: "LineNumberTable"; entries: LineNumberEntry[] })
  | (AttrBase & { kind: "LocalVariableTable"; entries: LocalVariableEntry[] })
  | (AttrBase & { kind: "LocalVariableTypeTable"; entries: LocalVariableEntry[] })
  | (AttrBase & { kind: "StackMapTable"; frames: StackMapFrame[] })
  | (AttrBase & { kind: "BootstrapMethods"; methods: BootstrapMethod[] })
  | (AttrBase & { kind: "SourceFile"; sourceFileIndex: number })
  | (AttrBase & { kind: "Signature"; signatureIndex: number })
  | (AttrBase & { kind: "NestHost"; hostClassIndex: number })
  | (AttrBase & { kind: "NestMembers"; classes: number[] })
  | (AttrBase & { kind: "Exceptions"; exceptions: number[] })
  | (AttrBase & { kind: "InnerClasses"; classes: InnerClassEntry[] })
  | (AttrBase & { kind: "ConstantValue"; valueIndex: number })
  | (AttrBase & { kind: "Synthetic" })
  | (AttrBase & { kind: "Deprecated" })
  /** Any other attribute, and any known attribute whose content was malformed. */
  | (AttrBase & { kind: "Raw"; raw: Uint8Array });

export type AttributeKind = Attribute["kind"];
export type AttributeOf<K extends AttributeKind> = Extract<Attribute, { kind: K }>;

/** field_info and method_info share one shape (JVMS 4.5, 4.6). */
export interface MemberInfo {
  accessFlags: number;
  nameIndex: number;
  descriptorIndex: number;
  attributes: Attribute[];
  /** The whole member_info as read; copied verbatim by the writer when present. */
  raw?: Uint8Array;
}
export type FieldInfo = MemberInfo;
export type MethodInfo = MemberInfo;

export interface ClassFile {
  minorVersion: number;
  majorVersion: number;
  constantPool: import("./constant-pool.js").ConstantPool;
  accessFlags: number;
  thisClass: number;
  superClass: number;
  interfaces: number[];
  fields: FieldInfo[];
  methods: MethodInfo[];
  attributes: Attribute[];
}

export function findAttribute<K extends AttributeKind>(attrs: readonly Attribute[], kind: K): AttributeOf<K> | undefined {
  for (const a of attrs) if (a.kind === kind) return a as AttributeOf<K>;
  return undefined;
}

export function codeOf(m: MethodInfo): CodeAttribute | undefined {
  return findAttribute(m.attributes, "Code");
}
