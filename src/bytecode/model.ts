/**
 * The decoded form of a method body (JVMS 4.7.3 Code, chapter 6 instructions):
 * a flat list of nodes in code order, with symbolic labels in place of offsets.
 *
 * Instructions are normalised as ASM does: `iload_0` is `iload 0`, `wide` is implied
 * by a large index, `ldc_w` is `ldc`, `goto_w`/`jsr_w` are `goto`/`jsr`. The encoder
 * picks the short or wide form from the operands and the distances, so a decoded
 * body can be edited freely and re-encoded. Constant-pool references stay indices
 * into the class's pool.
 *
 * Nodes are values: edit a body by writing new nodes, never by changing one in
 * place, and never tell two equal nodes apart by identity. One node object may
 * stand at many positions, of one body or of several (the decoder shares equal
 * operand-only instructions, `shared-nodes.ts`; the linker copies nodes into
 * pieces as they are).
 *
 * Pseudo-nodes carry what the Code attribute says about positions: `label` marks a
 * position, `line` starts a LineNumberTable entry, `frame` is a StackMapTable entry
 * (kept in its original compressed form; frame computation is a later pass).
 * Exception handlers and local-variable ranges refer to labels.
 */
import type { StackMapFrame, VerificationType } from "../classfile/model.js";

/** A position in the node list; label ids are dense small integers per body. */
export type Label = number;

export type Instruction =
  /** An opcode with no operands (nop, iadd, areturn, athrow, monitorenter, ...). */
  | { kind: "simple"; op: number }
  /** xload/xstore/ret with an explicit local index (short and wide forms folded in). */
  | { kind: "local"; op: number; index: number }
  | { kind: "iinc"; index: number; delta: number }
  /** bipush, sipush (value) and newarray (value = the atype code). */
  | { kind: "int"; op: number; value: number }
  /** ldc (ldc_w folded in), ldc2_w, get/put field/static, invokevirtual/special/static, new, anewarray, checkcast, instanceof. */
  | { kind: "cp"; op: number; index: number }
  | { kind: "invokeinterface"; index: number; count: number }
  | { kind: "invokedynamic"; index: number }
  | { kind: "multianewarray"; index: number; dims: number }
  /** Conditional branches, goto, jsr (wide forms folded in). */
  | { kind: "jump"; op: number; target: Label }
  | { kind: "tableswitch"; low: number; high: number; defaultTarget: Label; targets: Label[] }
  | { kind: "lookupswitch"; defaultTarget: Label; keys: number[]; targets: Label[] };

/** A verification type whose `uninitialized` offset became the label of its `new`. */
export type FrameType = Exclude<VerificationType, { tag: "uninitialized" }> | { tag: "uninitialized"; label: Label };

/**
 * A StackMapTable frame in its original compressed form, with labels for `new`
 * sites (JVMS 4.7.4); `extended` as in the class-file model's StackMapFrame.
 */
export type FrameNode =
  | { type: "same"; extended?: true }
  | { type: "same_locals_1_stack_item"; stack: FrameType; extended?: true }
  | { type: "chop"; chop: number }
  | { type: "append"; locals: FrameType[] }
  | { type: "full"; locals: FrameType[]; stack: FrameType[] };

export type CodeNode =
  | Instruction
  | { kind: "label"; label: Label }
  | { kind: "line"; line: number }
  | { kind: "frame"; frame: FrameNode };

/** Whether a node is an instruction (takes code bytes), not a label, line or frame marker. */
export function isInstruction(n: CodeNode): n is Instruction {
  const k = n.kind;
  return k !== "label" && k !== "line" && k !== "frame";
}

export interface Handler {
  start: Label;
  end: Label;
  handler: Label;
  /** Class constant index, 0 for any. */
  catchType: number;
}

export interface LocalVariable {
  start: Label;
  end: Label;
  nameIndex: number;
  /** Descriptor (LocalVariableTable) or signature (LocalVariableTypeTable) index. */
  descriptorIndex: number;
  index: number;
}

export interface MethodBody {
  maxStack: number;
  maxLocals: number;
  nodes: CodeNode[];
  /** How many label ids are in use (labels are 0..labelCount-1). */
  labelCount: number;
  handlers: Handler[];
  /** LocalVariableTable rows, in table order; undefined when the method has none. */
  localVariables?: LocalVariable[];
  /** LocalVariableTypeTable rows. */
  localVariableTypes?: LocalVariable[];
  /**
   * Whether the original had a StackMapTable (even an empty one), so the encoder
   * writes one back.
   */
  hasStackMapTable: boolean;
  /**
   * Code attributes other than LineNumberTable, LocalVariable(Type)Table and
   * StackMapTable, kept raw. Offsets inside them are not remapped (e.g. type
   * annotations); they are dropped by a pass that moves code.
   */
  otherAttributes: import("../classfile/model.js").Attribute[];
  /**
   * The order the Code attribute's nested attributes came in ("other" standing for
   * the next of `otherAttributes`), kept only when a caller asks (`decodeBody`'s
   * `keepAttributeOrder`: the disassembler, so that text assembles back to the same
   * bytes) and it differs from the encoder's fixed order (ASM writes the
   * StackMapTable first) or a line or variable table is empty. The encoder writes
   * the attributes in this order (the assembler writes every table named, even
   * empty); the splitter never asks for it, so its bodies are written in the fixed
   * order.
   */
  attributeOrder?: readonly NestedAttributeKind[] | undefined;
}

/** A slot of {@link MethodBody.attributeOrder}. */
export type NestedAttributeKind = "LineNumberTable" | "LocalVariableTable" | "LocalVariableTypeTable" | "StackMapTable" | "other";

/** The encoder's fixed order of the nested attributes it builds (those of `otherAttributes` follow, in their order). */
export const FIXED_ATTRIBUTE_ORDER: readonly NestedAttributeKind[] = ["LineNumberTable", "LocalVariableTable", "LocalVariableTypeTable", "StackMapTable"];

export type { StackMapFrame };
