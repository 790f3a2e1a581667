/**
 * The verification types of frame inference (JVMS 4.10.1.2) and the small pieces
 * every frame consumer shares: the type constants and the interning `TypeTable`,
 * a `Frame` (locals and stack as Int32Arrays, a long or double taking two slots,
 * the second `top`), the verifier's merge, the method's initial frame (JVMS
 * 4.10.1.6), the type `ldc` pushes, exact max_locals, the StackMapTable's slot
 * compression (JVMS 4.7.4).
 *
 * Types are small integers: top, int, float, long, double, null,
 * uninitializedThis, then interned ids, even for object types (an internal name
 * or an array descriptor) and odd for uninitialized(new site). `frames.ts` runs
 * the analysis; `frame-interpreter.ts` is its transfer function.
 */
import type { FrameType, MethodBody } from "../src/bytecode/model.js";
import { Op } from "../src/bytecode/opcodes.js";
import { parseMethodDescriptor } from "../src/bytecode/descriptors.js";
import type { ConstantPool } from "../src/classfile/constant-pool.js";
import { Access } from "../src/classfile/model.js";
import type { ClassHierarchy, PassContext } from "./pass.js";

/** A verification type: one of the constants below, or an id from a {@link TypeTable}. */
export type VType = number;
export const TOP = 0;
export const INT = 1;
export const FLOAT = 2;
export const LONG = 3;
export const DOUBLE = 4;
export const NULL = 5;
export const UNINITIALIZED_THIS = 6;
/** Two kinds met on the stack at a join: an error, never in a valid frame. */
export const CONFLICT = 7;
export const FIRST_ID = 8;

export const OBJECT = "java/lang/Object";
export const THROWABLE = "java/lang/Throwable";

/** Interned object and uninitialized types of one analysis. Object ids are even, uninitialized ids odd. */
export class TypeTable {
  private readonly names: string[] = [];
  private readonly ids = new Map<string, number>();
  private readonly descriptors = new Map<string, VType>();

  /** The object type of an internal name or array descriptor. */
  object(name: string): VType {
    let id = this.ids.get(name);
    if (id === undefined) {
      id = FIRST_ID + 2 * this.names.length;
      this.names.push(name);
      this.ids.set(name, id);
    }
    return id;
  }
  /** uninitialized(site), where `site` is the node index of the `new`. */
  uninitialized(site: number): VType {
    return FIRST_ID + 1 + 2 * site;
  }
  isObject(t: VType): boolean {
    return t >= FIRST_ID && (t & 1) === 0;
  }
  isUninitialized(t: VType): boolean {
    return t >= FIRST_ID && (t & 1) === 1;
  }
  /** The internal name or array descriptor of an object type. */
  nameOf(t: VType): string {
    return this.names[(t - FIRST_ID) >> 1]!;
  }
  /** The node index of the `new` of an uninitialized type. */
  siteOf(t: VType): number {
    return (t - FIRST_ID - 1) >> 1;
  }
  /** The type of a value of a field descriptor (booleans, bytes, chars and shorts are int). */
  fromDescriptor(d: string): VType {
    let t = this.descriptors.get(d);
    if (t === undefined) {
      switch (d.charCodeAt(0)) {
        case 0x4a: // J
          t = LONG;
          break;
        case 0x44: // D
          t = DOUBLE;
          break;
        case 0x46: // F
          t = FLOAT;
          break;
        case 0x4c: // L
          t = this.object(d.slice(1, -1));
          break;
        case 0x5b: // [
          t = this.object(d);
          break;
        default:
          t = INT;
      }
      this.descriptors.set(d, t);
    }
    return t;
  }
  /** Text of a type as frames print it: I F J D null top uninitializedThis uninitialized(#n) Lname; [desc. */
  format(t: VType): string {
    switch (t) {
      case TOP:
        return "top";
      case INT:
        return "I";
      case FLOAT:
        return "F";
      case LONG:
        return "J";
      case DOUBLE:
        return "D";
      case NULL:
        return "null";
      case UNINITIALIZED_THIS:
        return "uninitializedThis";
      case CONFLICT:
        return "conflict";
    }
    if (this.isUninitialized(t)) return `uninitialized(#${this.siteOf(t)})`;
    const n = this.nameOf(t);
    return n.charCodeAt(0) === 0x5b ? n : `L${n};`;
  }
}

/** The types of the locals (max_locals slots) and the stack (height slots, bottom first). */
export interface Frame {
  readonly locals: Int32Array;
  readonly stack: Int32Array;
}

/** Type is null or an object type (an initialized reference). */
export function isInitializedRef(t: VType): boolean {
  return t === NULL || (t >= FIRST_ID && (t & 1) === 0);
}

export function isWide(t: VType): boolean {
  return t === LONG || t === DOUBLE;
}

const LOCAL_SIZE: Record<number, number> = { [Op.LLOAD]: 2, [Op.DLOAD]: 2, [Op.LSTORE]: 2, [Op.DSTORE]: 2 };

/** The verifier's merge of two types of one slot; `onStack` selects CONFLICT over TOP for incompatible kinds. */
export function makeMerge(types: TypeTable, hierarchy: ClassHierarchy | undefined): (a: VType, b: VType, onStack: boolean) => VType {
  return (a, b, onStack) => {
    if (a === b) return a;
    if (isInitializedRef(a) && isInitializedRef(b)) {
      if (a === NULL) return b;
      if (b === NULL) return a;
      const x = types.nameOf(a);
      const y = types.nameOf(b);
      return types.object(hierarchy ? hierarchy.commonSuperClass(x, y) : OBJECT);
    }
    return onStack ? CONFLICT : TOP;
  };
}

/** The method's initial frame (JVMS 4.10.1.6 methodInitialStackFrame). */
export function initialFrame(ctx: Pick<PassContext, "className" | "methodName" | "descriptor" | "method">, types: TypeTable, maxLocals: number): Frame {
  const md = parseMethodDescriptor(ctx.descriptor);
  const locals = new Int32Array(maxLocals);
  let i = 0;
  if (!(ctx.method.accessFlags & Access.STATIC)) {
    locals[i++] = ctx.methodName === "<init>" && ctx.className !== OBJECT ? UNINITIALIZED_THIS : types.object(ctx.className);
  }
  for (const p of md.params) {
    const t = types.fromDescriptor(p);
    locals[i++] = t;
    if (isWide(t)) locals[i++] = TOP;
  }
  return { locals, stack: new Int32Array(0) };
}

/** The type `ldc`/`ldc2_w` pushes for a constant (JVMS 4.10.1.9 ldc). */
export function constantType(cp: ConstantPool, index: number, types: TypeTable): VType {
  const e = cp.get(index);
  switch (e.kind) {
    case "Integer":
      return INT;
    case "Float":
      return FLOAT;
    case "Long":
      return LONG;
    case "Double":
      return DOUBLE;
    case "String":
      return types.object("java/lang/String");
    case "Class":
      return types.object("java/lang/Class");
    case "MethodType":
      return types.object("java/lang/invoke/MethodType");
    case "MethodHandle":
      return types.object("java/lang/invoke/MethodHandle");
    case "Dynamic":
      return types.fromDescriptor(cp.nameAndType(e.nameAndTypeIndex).descriptor);
    default:
      return TOP;
  }
}

/** Exact max_locals: parameters (and `this`) plus every slot an instruction names. */
export function localsUsed(body: MethodBody, ctx: Pick<PassContext, "descriptor" | "method">): number {
  let max = parseMethodDescriptor(ctx.descriptor).paramSlots + (ctx.method.accessFlags & Access.STATIC ? 0 : 1);
  // An index loop: for-of over a whole method's nodes allocated an iterator result per node (gigabytes of garbage at 16 MB).
  for (let ni = 0, allNodes = body.nodes; ni < allNodes.length; ni++) {
    const n = allNodes[ni]!;
    let end = 0;
    if (n.kind === "local") end = n.index + (LOCAL_SIZE[n.op] ?? 1);
    else if (n.kind === "iinc") end = n.index + 1;
    if (end > max) max = end;
  }
  return max;
}

/**
 * {@link localsUsed} and the node indices of the body's `frame` nodes, in one walk
 * of the nodes (frame inference needs both; each walk of a piece's nodes reads
 * every node's kind through a megamorphic load).
 */
export function localsAndFrameNodes(body: MethodBody, ctx: Pick<PassContext, "descriptor" | "method">): { maxLocals: number; frameNodes: number[] } {
  let max = parseMethodDescriptor(ctx.descriptor).paramSlots + (ctx.method.accessFlags & Access.STATIC ? 0 : 1);
  const frameNodes: number[] = [];
  for (let ni = 0, allNodes = body.nodes; ni < allNodes.length; ni++) {
    const n = allNodes[ni]!;
    const kind = n.kind;
    let end = 0;
    if (kind === "local") end = n.index + (LOCAL_SIZE[n.op] ?? 1);
    else if (kind === "iinc") end = n.index + 1;
    else if (kind === "frame") frameNodes.push(ni);
    if (end > max) max = end;
  }
  return { maxLocals: max, frameNodes };
}

/** Slots a frame node's locals take once expanded (long/double count two). */
export function slotCount(ts: readonly FrameType[]): number {
  let n = 0;
  for (const t of ts) n += t.tag === "long" || t.tag === "double" ? 2 : 1;
  return n;
}

/**
 * Slots to the list of verification types a frame stores (JVMS 4.7.4): the `top`
 * after a long or double is implied, and trailing tops are trimmed (as javac and
 * ASM write locals).
 */
export function compressSlots(slots: ArrayLike<number>, trimTrailingTop = true): VType[] {
  let n = slots.length;
  if (trimTrailingTop) {
    while (n > 0 && slots[n - 1] === TOP && !(n >= 2 && isWide(slots[n - 2]!))) n--;
  }
  const out: VType[] = [];
  for (let i = 0; i < n; i++) {
    const t = slots[i]!;
    out.push(t);
    if (isWide(t)) i++;
  }
  return out;
}
