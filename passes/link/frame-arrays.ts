/**
 * The heap frame's calling convention, shared by `heap-frame.ts` (pieces) and
 * `../outline.ts` (called regions): the five kinds of value a frame array holds, in
 * JVM opcode-family order (i, l, f, d, a: `ILOAD + kind`, `IALOAD + kind`,
 * `IRETURN + kind` ... address the right instruction), their array descriptors and
 * `newarray` codes (JVMS 6.5 newarray), the kind of a verification type, and the
 * code both write: a callee's descriptor (`(<leading><one array per kind>)I`),
 * allocating the arrays, moving a value between a local and the frame, and
 * returning the value a callee stored at the return index.
 *
 * Constants are added to the pool in emission order (an index's `ldc` before a
 * cast's class), which fixes the output bytes; keep it.
 */
import type { CodeNode, Instruction } from "../../src/bytecode/model.js";
import type { MethodDescriptor } from "../../src/bytecode/descriptors.js";
import { Op } from "../../src/bytecode/opcodes.js";
import type { ConstantPool } from "../../src/classfile/constant-pool.js";
import { DOUBLE, FLOAT, INT, LONG, NULL, TOP, type TypeTable } from "../frames.js";

export const KIND_INT = 0;
export const KIND_LONG = 1;
export const KIND_FLOAT = 2;
export const KIND_DOUBLE = 3;
export const KIND_REF = 4;
export const ARRAY_DESCRIPTORS = ["[I", "[J", "[F", "[D", "[Ljava/lang/Object;"] as const;
export const NEWARRAY_TYPE = [10, 11, 6, 7] as const;

/** Kind of a verification type: -1 for top (nothing to move), -2 for an uninitialized object. */
export function kindOfType(t: number, types: TypeTable): number {
  switch (t) {
    case TOP:
      return -1;
    case INT:
      return KIND_INT;
    case LONG:
      return KIND_LONG;
    case FLOAT:
      return KIND_FLOAT;
    case DOUBLE:
      return KIND_DOUBLE;
    case NULL:
      return KIND_REF;
  }
  return types.isObject(t) ? KIND_REF : -2;
}

/** Kind of a value of a field descriptor (booleans, bytes, chars, shorts are ints). */
export function kindOfDescriptor(d: string): number {
  switch (d[0]) {
    case "J":
      return KIND_LONG;
    case "F":
      return KIND_FLOAT;
    case "D":
      return KIND_DOUBLE;
    case "L":
    case "[":
      return KIND_REF;
    default:
      return KIND_INT;
  }
}

export const local = (op: number, index: number): Instruction => ({ kind: "local", op, index });
export const simple = (op: number): Instruction => ({ kind: "simple", op });

/** Pushes the zero of a kind (`iconst_0`, `lconst_0`, `fconst_0`, `dconst_0`, `aconst_null`). */
export function pushZero(out: CodeNode[], kind: number): void {
  out.push(simple([Op.ICONST_0, Op.LCONST_0, Op.FCONST_0, Op.DCONST_0, Op.ACONST_NULL][kind]!));
}

/** The shortest push of an int constant: iconst_n, bipush, sipush, or ldc. */
export function pushInt(out: CodeNode[], v: number, cp: ConstantPool): void {
  if (v >= -1 && v <= 5) out.push(simple(Op.ICONST_0 + v));
  else if (v >= -128 && v <= 127) out.push({ kind: "int", op: Op.BIPUSH, value: v });
  else if (v >= -32768 && v <= 32767) out.push({ kind: "int", op: Op.SIPUSH, value: v });
  else out.push({ kind: "cp", op: Op.LDC, index: cp.addInteger(v) });
}

/** The descriptor of a piece or region: `leading` parameters, one array per kind in use, an int result. */
export function frameDescriptor(kinds: readonly number[], leading = ""): string {
  return `(${leading}${kinds.map((k) => ARRAY_DESCRIPTORS[k]).join("")})I`;
}

/** Allocates one array of `length` per kind into local `arraySlot[kind]`. */
export function emitNewFrameArrays(out: CodeNode[], kinds: readonly number[], length: number, arraySlot: readonly number[], cp: ConstantPool): void {
  for (const k of kinds) {
    pushInt(out, length, cp);
    if (k === KIND_REF) out.push({ kind: "cp", op: Op.ANEWARRAY, index: cp.addClass("java/lang/Object") });
    else out.push({ kind: "int", op: Op.NEWARRAY, value: NEWARRAY_TYPE[k]! });
    out.push(local(Op.ASTORE, arraySlot[k]!));
  }
}

/** Pushes `frame[index]` of a kind; `castTo`, called after the load, gives the class a reference is checked against. */
export function emitLoadFromFrame(out: CodeNode[], arraySlot: readonly number[], kind: number, index: number, cp: ConstantPool, castTo?: () => number): void {
  out.push(local(Op.ALOAD, arraySlot[kind]!));
  pushInt(out, index, cp);
  out.push(simple(Op.IALOAD + kind));
  if (castTo) out.push({ kind: "cp", op: Op.CHECKCAST, index: castTo() });
}

/** `frame[index] = local fromLocal`, of a kind. */
export function emitStoreToFrame(out: CodeNode[], arraySlot: readonly number[], kind: number, index: number, fromLocal: number, cp: ConstantPool): void {
  out.push(local(Op.ALOAD, arraySlot[kind]!));
  pushInt(out, index, cp);
  out.push(local(Op.ILOAD + kind, fromLocal));
  out.push(simple(Op.IASTORE + kind));
}

/** Returns from the caller what the callee stored at `returnIndex` (checked back to the declared type), or nothing. */
export function emitReturnFromFrame(out: CodeNode[], arraySlot: readonly number[], md: Pick<MethodDescriptor, "returnType">, returnKind: number, returnIndex: number, cp: ConstantPool): void {
  if (returnKind < 0) {
    out.push(simple(Op.RETURN));
    return;
  }
  const rt = md.returnType;
  emitLoadFromFrame(out, arraySlot, returnKind, returnIndex, cp, returnKind === KIND_REF && rt !== "Ljava/lang/Object;" ? () => cp.addClass(rt[0] === "L" ? rt.slice(1, -1) : rt) : undefined);
  out.push(simple(Op.IRETURN + returnKind));
}
