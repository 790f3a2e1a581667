/**
 * Frame inference at the level of the JVM's type-checking verifier (JVMS 4.10.1):
 * the verification type of every local and operand-stack slot at the entry of every
 * reachable block, a forward problem on the one solver (`dataflow.ts`), with the
 * exact max_stack and max_locals as by-products.
 *
 * Types are small integers (`VType`): top, int, float, long, double, null,
 * uninitializedThis, and interned ids for object types (an internal name or an
 * array descriptor) and for uninitialized(new site), the site being the node index
 * of the `new`. A long or double takes two slots, the second one `top` (JVMS
 * 4.10.1.2); stack slots are modelled the same way, so dup2 and friends work on
 * slots. A frame is two Int32Arrays; a block that does not write locals shares its
 * input's locals array, so the cost of most transfers is the stack copy.
 *
 * Lattice and merge: identical types stay; null merges with a reference into that
 * reference; two object types merge through `ClassHierarchy.commonSuperClass`
 * (interfaces give java/lang/Object, as HotSpot's verifier treats them); any other
 * pair becomes top in a local and an error (E_FRAME) on the stack, as does a stack
 * height mismatch. Initial frame from the descriptor and flags (JVMS 4.10.1.6):
 * `this` is uninitializedThis in `<init>` except in java/lang/Object. The `<init>`
 * call on uninitializedThis or uninitialized(new) replaces every occurrence in
 * locals and stack with the initialized class (JVMS 4.10.1.9 invokespecial).
 *
 * Exception edges: a handler's entry gets the merge of the locals before every
 * instruction of each covered block (and after every `<init>` call, which HotSpot
 * checks too) and a stack of [catch type, or java/lang/Throwable] (JVMS 4.10.1.6,
 * handlersAreLegal / instructionSatisfiesHandlers). Only slots a block writes are
 * merged as it goes, so this costs O(stores), not O(instructions x locals).
 *
 * Declared frames: when asked (the default when the body has `frame` nodes), the
 * StackMapTable's frames are expanded (JVMS 4.7.4: same, same_locals_1_stack_item,
 * chop, append, full, each relative to the previous one, the first to the initial
 * frame) and replace the inferred state wherever they stand, as the verifier does;
 * a block that starts with one reports the declared frame as its entry. This is
 * what makes the result match javac's. Without them everything is inferred.
 *
 * Errors in the code (stack underflow, a stack height or kind mismatch at a join,
 * jsr/ret that `inline-subroutines` has not removed) are E_FRAME diagnostics in the
 * result; inference continues past them with `top`. Declared frames that do not
 * accept what flows into them (JVMS 4.10.1.4 frameIsAssignable, checked on the
 * merged input, which is equivalent since merges are least upper bounds) are
 * reported separately, so the writer can check the frames it wrote. This is not a verifier: it
 * does not check that operands have the types instructions require.
 *
 * Cost: O(sweeps x (blocks x locals + instructions)); reducible code converges in
 * two or three sweeps, so a 1 MB method takes well under a second.
 */
import type { FrameNode, FrameType, Instruction, MethodBody } from "../src/bytecode/model.js";
import { OPCODES, Op } from "../src/bytecode/opcodes.js";
import { parseMethodDescriptor, slotsOf } from "../src/bytecode/descriptors.js";
import type { ConstantPool } from "../src/classfile/constant-pool.js";
import { Access } from "../src/classfile/model.js";
import { type Diagnostic, ErrorCodes } from "../src/diagnostics.js";
import { labelNames } from "../src/text/disassemble.js";
import { blockHeaders, buildCfg, isInstruction, type ControlFlowGraph } from "./cfg.js";
import { solve, type DataflowProblem } from "./core/dataflow.js";
import type { ClassHierarchy, Pass, PassContext } from "./pass.js";

export const name = "frames";
export const description = "verification types of locals and stack at every block entry (JVMS 4.10.1), max stack and max locals";

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
const FIRST_ID = 8;

export const OBJECT = "java/lang/Object";
const THROWABLE = "java/lang/Throwable";

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

interface Fact extends Frame {
  /** Stack heights differed at a join into this block. */
  readonly mismatch?: true;
}

export interface FrameAnalysis {
  readonly cfg: ControlFlowGraph;
  readonly types: TypeTable;
  /** Frame at each block's entry; undefined for unreachable blocks. */
  readonly entry: readonly (Frame | undefined)[];
  /** 1 where the block's entry is a declared (StackMapTable) frame. */
  readonly declared: Uint8Array;
  /** The method's initial frame (JVMS 4.10.1.6). */
  readonly initial: Frame;
  /** Largest stack height (slots) over reachable code and declared frames. */
  readonly maxStack: number;
  /** Slots used by the parameters, any load, store, iinc or ret, and declared frames. */
  readonly maxLocals: number;
  /** E_FRAME errors, one per offending instruction or join. */
  readonly errors: Diagnostic[];
  /**
   * E_FRAME, one per declared frame that does not accept what flows into it (JVMS
   * 4.10.1.4 frameIsAssignable: every slot assignable, same stack height, the
   * uninitializedThis flag kept); the type checker would reject these.
   */
  readonly rejectedFrames: Diagnostic[];
  /** The frame before an instruction node of a reachable block (replays its block). */
  frameBefore(node: number): Frame | undefined;
  /** Replays a reachable block, calling `visit` before each instruction with the current state. */
  replay(block: number, visit: (node: number, locals: Int32Array, stack: readonly number[], height: number) => void): void;
}

export interface InferOptions {
  /** Use the body's `frame` nodes as facts (default: whether it has any). */
  useDeclaredFrames?: boolean;
}

/** Type is null or an object type (an initialized reference). */
function isInitializedRef(t: VType): boolean {
  return t === NULL || (t >= FIRST_ID && (t & 1) === 0);
}

function isWide(t: VType): boolean {
  return t === LONG || t === DOUBLE;
}

const LOCAL_SIZE: Record<number, number> = { [Op.LLOAD]: 2, [Op.DLOAD]: 2, [Op.LSTORE]: 2, [Op.DSTORE]: 2 };

/**
 * The type an instruction with a fixed result pushes, per opcode; -1 for none or
 * for instructions handled one by one.
 */
const RESULT = new Int8Array(256).fill(-1);
{
  const set = (from: number, to: number, t: VType) => RESULT.fill(t, from, to + 1);
  set(Op.ICONST_M1, Op.ICONST_5, INT);
  set(Op.LCONST_0, Op.LCONST_1, LONG);
  set(Op.FCONST_0, Op.FCONST_2, FLOAT);
  set(Op.DCONST_0, Op.DCONST_1, DOUBLE);
  set(Op.BIPUSH, Op.SIPUSH, INT);
  RESULT[Op.IALOAD] = INT;
  RESULT[Op.LALOAD] = LONG;
  RESULT[Op.FALOAD] = FLOAT;
  RESULT[Op.DALOAD] = DOUBLE;
  set(Op.BALOAD, Op.SALOAD, INT);
  const ilfd = [INT, LONG, FLOAT, DOUBLE];
  for (let op = Op.IADD; op <= Op.DNEG; op++) RESULT[op] = ilfd[(op - Op.IADD) % 4]!;
  for (let op = Op.ISHL; op <= Op.LXOR; op++) RESULT[op] = (op - Op.ISHL) % 2 === 0 ? INT : LONG;
  const conv = [LONG, FLOAT, DOUBLE, INT, FLOAT, DOUBLE, INT, LONG, DOUBLE, INT, LONG, FLOAT, INT, INT, INT];
  conv.forEach((t, i) => (RESULT[Op.I2L + i] = t));
  set(Op.LCMP, Op.DCMPG, INT);
  RESULT[Op.ARRAYLENGTH] = INT;
  RESULT[Op.INSTANCEOF] = INT;
}

const NEWARRAY_DESCRIPTOR: Record<number, string> = { 4: "[Z", 5: "[C", 6: "[F", 7: "[D", 8: "[B", 9: "[S", 10: "[I", 11: "[J" };

/** The verifier's merge of two types of one slot; `onStack` selects CONFLICT over TOP for incompatible kinds. */
function makeMerge(types: TypeTable, hierarchy: ClassHierarchy | undefined): (a: VType, b: VType, onStack: boolean) => VType {
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
function constantType(cp: ConstantPool, index: number, types: TypeTable): VType {
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
  for (const n of body.nodes) {
    let end = 0;
    if (n.kind === "local") end = n.index + (LOCAL_SIZE[n.op] ?? 1);
    else if (n.kind === "iinc") end = n.index + 1;
    if (end > max) max = end;
  }
  return max;
}

/** Slots a frame node's locals take once expanded (long/double count two). */
function slotCount(ts: readonly FrameType[]): number {
  let n = 0;
  for (const t of ts) n += t.tag === "long" || t.tag === "double" ? 2 : 1;
  return n;
}

/**
 * Int32Arrays carved out of shared chunks. A frame's locals (24 slots are 96
 * bytes) would otherwise each get an off-heap buffer of their own, which V8 tracks
 * one by one: on a method of 70,000 blocks that bookkeeping, not the analysis,
 * dominated and grew faster than the method. Chunks double from 1 K to 64 K
 * slots, so a small method allocates little; an array is a view that keeps its
 * chunk alive, and is never handed out twice.
 */
class Int32Slab {
  private chunk = new Int32Array(0);
  private used = 0;
  private next = 1024;
  alloc(n: number): Int32Array {
    if (this.used + n > this.chunk.length) {
      this.chunk = new Int32Array(Math.max(this.next, n));
      this.next = Math.min(this.next * 2, 65536);
      this.used = 0;
    }
    const a = this.chunk.subarray(this.used, this.used + n);
    this.used += n;
    return a;
  }
  copy(a: ArrayLike<number>, n = a.length): Int32Array {
    const c = this.alloc(n);
    for (let i = 0; i < n; i++) c[i] = a[i]!;
    return c;
  }
}

const EMPTY_STACK = new Int32Array(0);

export function inferFrames(body: MethodBody, ctx: PassContext, opts: InferOptions = {}): FrameAnalysis {
  const { cfg } = buildCfg(body, ctx.where);
  const slab = new Int32Slab();
  const nodes = body.nodes;
  const cp = ctx.cp;
  const types = new TypeTable();
  const merge = makeMerge(types, ctx.hierarchy);
  const errors = new Map<number, string>();
  const error = (node: number, message: string) => {
    if (!errors.has(node)) errors.set(node, message);
  };
  const useDeclared = opts.useDeclaredFrames ?? nodes.some((n) => n.kind === "frame");

  // ---- sizes and declared frames ----
  let maxLocals = localsUsed(body, ctx);
  const frameNodes: number[] = [];
  if (useDeclared) {
    for (let i = 0; i < nodes.length; i++) if (nodes[i]!.kind === "frame") frameNodes.push(i);
    // A chop can only shorten and an append only lengthen what came before, so the
    // largest full/append frame bounds every frame's slots.
    let cur = initialFrame(ctx, types, maxLocals).locals.length;
    let running = parseMethodDescriptor(ctx.descriptor).paramSlots + (ctx.method.accessFlags & Access.STATIC ? 0 : 1);
    for (const i of frameNodes) {
      const f = (nodes[i] as { frame: FrameNode }).frame;
      if (f.type === "full") running = slotCount(f.locals);
      else if (f.type === "append") running += slotCount(f.locals);
      if (running > cur) cur = running;
    }
    if (cur > maxLocals) maxLocals = cur;
  }
  const initial = initialFrame(ctx, types, maxLocals);

  // Sites of `new` (node index of the instruction after a label), for declared uninitialized types.
  const siteOfLabel = (label: number): number => {
    let p = cfg.labelNode[label] ?? -1;
    while (p >= 0 && p < nodes.length && !isInstruction(nodes[p]!)) p++;
    return p;
  };
  const frameTypeToV = (t: FrameType): VType => {
    switch (t.tag) {
      case "top":
        return TOP;
      case "int":
        return INT;
      case "float":
        return FLOAT;
      case "long":
        return LONG;
      case "double":
        return DOUBLE;
      case "null":
        return NULL;
      case "uninitializedThis":
        return UNINITIALIZED_THIS;
      case "object":
        return types.object(cp.className(t.classIndex));
      case "uninitialized":
        return types.uninitialized(siteOfLabel(t.label));
    }
  };
  const expandSlots = (ts: readonly VType[], length: number): Int32Array => {
    const out = slab.alloc(length);
    let i = 0;
    for (const t of ts) {
      out[i++] = t;
      if (isWide(t)) out[i++] = TOP;
    }
    return out;
  };
  /** Declared frames by node index, expanded (JVMS 4.7.4); `frameNodes` lists where they are. */
  const declaredAt: (Fact | undefined)[] = new Array(useDeclared ? nodes.length : 0);
  if (useDeclared) {
    let prev: VType[] = compressSlots(initial.locals);
    for (const i of frameNodes) {
      const f = (nodes[i] as { frame: FrameNode }).frame;
      let locals = prev;
      let stack: VType[] = [];
      switch (f.type) {
        case "same":
          break;
        case "same_locals_1_stack_item":
          stack = [frameTypeToV(f.stack)];
          break;
        case "chop":
          locals = prev.slice(0, Math.max(0, prev.length - f.chop));
          break;
        case "append":
          locals = prev.concat(f.locals.map(frameTypeToV));
          break;
        case "full":
          locals = f.locals.map(frameTypeToV);
          stack = f.stack.map(frameTypeToV);
          break;
      }
      prev = locals;
      let height = 0;
      for (const t of stack) height += isWide(t) ? 2 : 1;
      declaredAt[i] = { locals: expandSlots(locals, maxLocals), stack: expandSlots(stack, height) };
    }
  }

  // Member references by constant-pool index: the pool builds a new object per call.
  const memberRefs: ({ owner: string; name: string; descriptor: string } | undefined)[] = [];
  const memberRef = (index: number) => (memberRefs[index] ??= cp.memberRef(index));

  // Catch types per handler.
  const catchType = body.handlers.map((h) => types.object(h.catchType === 0 ? THROWABLE : cp.className(h.catchType)));

  // ---- the transfer: one interpreter over a block ----
  let maxStack = 0;
  if (useDeclared) for (const i of frameNodes) if (declaredAt[i]!.stack.length > maxStack) maxStack = declaredAt[i]!.stack.length;
  const stack: number[] = [];
  let sp = 0;
  let locals: Int32Array = initial.locals;
  let ownLocals = false;
  /** Slots written since the last flush into the handler accumulator. */
  const dirty: number[] = [];
  let acc: Int32Array | undefined;

  const push = (t: VType) => {
    stack[sp++] = t;
    if (isWide(t)) stack[sp++] = TOP;
    if (sp > maxStack) maxStack = sp;
  };
  const pop = (node: number): VType => {
    if (sp === 0) {
      error(node, "stack underflow");
      return TOP;
    }
    return stack[--sp]!;
  };
  const popN = (node: number, n: number) => {
    if (sp < n) {
      error(node, "stack underflow");
      sp = 0;
    } else sp -= n;
  };
  const writable = () => {
    if (!ownLocals) {
      locals = slab.copy(locals);
      ownLocals = true;
    }
  };
  const setLocal = (i: number, t: VType) => {
    writable();
    if (i > 0 && isWide(locals[i - 1]!)) {
      locals[i - 1] = TOP;
      if (acc) dirty.push(i - 1);
    }
    locals[i] = t;
    if (acc) dirty.push(i);
    if (isWide(t)) {
      locals[i + 1] = TOP;
      if (acc) dirty.push(i + 1);
    }
  };
  const flush = () => {
    for (const i of dirty) {
      const m = merge(acc![i]!, locals[i]!, false);
      acc![i] = m;
    }
    dirty.length = 0;
  };
  const initialize = (node: number, receiver: VType) => {
    let init: VType;
    if (receiver === UNINITIALIZED_THIS) init = types.object(ctx.className);
    else if (types.isUninitialized(receiver)) {
      const site = nodes[types.siteOf(receiver)];
      if (!site || site.kind !== "cp" || site.op !== Op.NEW) {
        error(node, "uninitialized type does not come from a new");
        return;
      }
      init = types.object(cp.className(site.index));
    } else {
      error(node, `<init> called on ${types.format(receiver)}`);
      return;
    }
    for (let i = 0; i < locals.length; i++) {
      if (locals[i] === receiver) {
        writable();
        locals[i] = init;
        if (acc) dirty.push(i);
      }
    }
    for (let i = 0; i < sp; i++) if (stack[i] === receiver) stack[i] = init;
  };
  const arrayComponent = (node: number, array: VType): VType => {
    if (array === NULL) return NULL;
    if (types.isObject(array)) {
      const n = types.nameOf(array);
      if (n.charCodeAt(0) === 0x5b && n.length > 1) {
        const c = n.charCodeAt(1);
        if (c === 0x4c || c === 0x5b) return types.fromDescriptor(n.slice(1));
      }
    }
    error(node, `aaload from ${types.format(array)}`);
    return types.object(OBJECT);
  };

  const execute = (node: number, insn: Instruction) => {
    switch (insn.kind) {
      case "simple": {
        const op = insn.op;
        const r = RESULT[op]!;
        if (r >= 0) {
          popN(node, OPCODES[op]!.pop);
          push(r);
          return;
        }
        switch (op) {
          case Op.NOP:
            return;
          case Op.ACONST_NULL:
            push(NULL);
            return;
          case Op.AALOAD: {
            pop(node);
            push(arrayComponent(node, pop(node)));
            return;
          }
          case Op.DUP: {
            const v = pop(node);
            stack[sp++] = v;
            stack[sp++] = v;
            break;
          }
          case Op.DUP_X1: {
            const v1 = pop(node), v2 = pop(node);
            stack[sp++] = v1;
            stack[sp++] = v2;
            stack[sp++] = v1;
            break;
          }
          case Op.DUP_X2: {
            const v1 = pop(node), v2 = pop(node), v3 = pop(node);
            stack[sp++] = v1;
            stack[sp++] = v3;
            stack[sp++] = v2;
            stack[sp++] = v1;
            break;
          }
          case Op.DUP2: {
            const v1 = pop(node), v2 = pop(node);
            stack[sp++] = v2;
            stack[sp++] = v1;
            stack[sp++] = v2;
            stack[sp++] = v1;
            break;
          }
          case Op.DUP2_X1: {
            const v1 = pop(node), v2 = pop(node), v3 = pop(node);
            stack[sp++] = v2;
            stack[sp++] = v1;
            stack[sp++] = v3;
            stack[sp++] = v2;
            stack[sp++] = v1;
            break;
          }
          case Op.DUP2_X2: {
            const v1 = pop(node), v2 = pop(node), v3 = pop(node), v4 = pop(node);
            stack[sp++] = v2;
            stack[sp++] = v1;
            stack[sp++] = v4;
            stack[sp++] = v3;
            stack[sp++] = v2;
            stack[sp++] = v1;
            break;
          }
          case Op.SWAP: {
            const v1 = pop(node), v2 = pop(node);
            stack[sp++] = v1;
            stack[sp++] = v2;
            break;
          }
          default:
            // Array stores, pop, pop2, returns, athrow, monitors: pop only.
            popN(node, OPCODES[op]!.pop);
            return;
        }
        if (sp > maxStack) maxStack = sp;
        return;
      }
      case "local": {
        const { op, index } = insn;
        switch (op) {
          case Op.ILOAD:
            push(INT);
            return;
          case Op.LLOAD:
            push(LONG);
            return;
          case Op.FLOAD:
            push(FLOAT);
            return;
          case Op.DLOAD:
            push(DOUBLE);
            return;
          case Op.ALOAD:
            push(locals[index]!);
            return;
          case Op.ISTORE:
            pop(node);
            setLocal(index, INT);
            return;
          case Op.FSTORE:
            pop(node);
            setLocal(index, FLOAT);
            return;
          case Op.LSTORE:
            popN(node, 2);
            setLocal(index, LONG);
            return;
          case Op.DSTORE:
            popN(node, 2);
            setLocal(index, DOUBLE);
            return;
          case Op.ASTORE:
            setLocal(index, pop(node));
            return;
          default:
            error(node, "ret: run inline-subroutines first");
            return;
        }
      }
      case "iinc":
        return;
      case "int":
        if (insn.op === Op.NEWARRAY) {
          pop(node);
          push(types.object(NEWARRAY_DESCRIPTOR[insn.value] ?? "[I"));
        } else push(INT);
        return;
      case "cp": {
        const op = insn.op;
        switch (op) {
          case Op.LDC:
          case Op.LDC2_W:
            push(constantType(cp, insn.index, types));
            return;
          case Op.GETSTATIC:
            push(types.fromDescriptor(memberRef(insn.index).descriptor));
            return;
          case Op.PUTSTATIC:
            popN(node, slotsOf(memberRef(insn.index).descriptor));
            return;
          case Op.GETFIELD:
            pop(node);
            push(types.fromDescriptor(memberRef(insn.index).descriptor));
            return;
          case Op.PUTFIELD:
            popN(node, slotsOf(memberRef(insn.index).descriptor) + 1);
            return;
          case Op.INVOKEVIRTUAL:
          case Op.INVOKESPECIAL:
          case Op.INVOKESTATIC:
            invoke(node, op, memberRef(insn.index));
            return;
          case Op.NEW:
            push(types.uninitialized(node));
            return;
          case Op.ANEWARRAY: {
            pop(node);
            const c = cp.className(insn.index);
            push(types.object(c.charCodeAt(0) === 0x5b ? `[${c}` : `[L${c};`));
            return;
          }
          case Op.CHECKCAST:
            pop(node);
            push(types.object(cp.className(insn.index)));
            return;
          case Op.INSTANCEOF:
            pop(node);
            push(INT);
            return;
          default:
            error(node, `unexpected opcode ${op}`);
            return;
        }
      }
      case "invokeinterface":
        invoke(node, Op.INVOKEINTERFACE, memberRef(insn.index));
        return;
      case "invokedynamic": {
        const e = cp.expect(insn.index, "InvokeDynamic");
        invoke(node, Op.INVOKEDYNAMIC, { name: "", descriptor: cp.nameAndType(e.nameAndTypeIndex).descriptor });
        return;
      }
      case "multianewarray":
        popN(node, insn.dims);
        push(types.object(cp.className(insn.index)));
        return;
      case "jump":
        if (insn.op === Op.JSR) {
          error(node, "jsr: run inline-subroutines first");
          return;
        }
        popN(node, OPCODES[insn.op]!.pop);
        return;
      case "tableswitch":
      case "lookupswitch":
        pop(node);
        return;
    }
  };
  const invoke = (node: number, op: number, ref: { name: string; descriptor: string }) => {
    const md = parseMethodDescriptor(ref.descriptor);
    popN(node, md.paramSlots);
    if (op !== Op.INVOKESTATIC && op !== Op.INVOKEDYNAMIC) {
      const receiver = pop(node);
      if (op === Op.INVOKESPECIAL && ref.name === "<init>") initialize(node, receiver);
    }
    if (md.returnSlots > 0) push(types.fromDescriptor(md.returnType));
  };

  /**
   * Runs block `b` from `fact`. With `collect`, keeps the merge of the locals before
   * every instruction (and after every `<init>`) in `acc`, for the handlers.
   */
  const run = (b: number, fact: Fact, collect: boolean, visit?: (node: number) => void): Fact => {
    locals = fact.locals;
    ownLocals = false;
    sp = 0;
    const st = fact.stack;
    for (let i = 0; i < st.length; i++) stack[sp++] = st[i]!;
    acc = collect ? slab.copy(locals) : undefined;
    dirty.length = 0;
    const last = cfg.blockLastInstruction[b]!;
    let started = false;
    for (let i = cfg.blockStart[b]!, end = cfg.blockEnd[b]!; i < end; i++) {
      const node = nodes[i]!;
      if (node.kind === "label" || node.kind === "line") continue;
      if (node.kind === "frame") {
        // A frame before the first instruction is the block's entry (see declaredEntry);
        // one after the last describes no instruction of this block.
        const d = started && i < last ? declaredAt[i] : undefined;
        if (d !== undefined) {
          locals = d.locals;
          ownLocals = false;
          sp = 0;
          for (let k = 0; k < d.stack.length; k++) stack[sp++] = d.stack[k]!;
          if (acc) for (let k = 0; k < locals.length; k++) dirty.push(k);
        }
        continue;
      }
      started = true;
      if (acc && dirty.length > 0) flush();
      visit?.(i);
      execute(i, node);
      if (acc && dirty.length > 0 && node.kind === "cp" && node.op === Op.INVOKESPECIAL) flush();
    }
    // Most blocks end with an empty stack; they share one (facts are never written).
    return { locals, stack: sp === 0 ? EMPTY_STACK : slab.copy(stack, sp) };
  };

  // Where a block starts with a declared frame, that frame is its entry.
  const declaredEntry: (Fact | undefined)[] = new Array(cfg.blockCount);
  const declared = new Uint8Array(cfg.blockCount);
  if (useDeclared) for (const i of frameNodes) {
    const f = declaredAt[i]!;
    const b = cfg.blockOfNode[i]!;
    if (i <= firstInstruction(cfg, b)) {
      declaredEntry[b] = f;
      declared[b] = 1;
    }
  }

  const handlerLocals: (Int32Array | undefined)[] = new Array(cfg.blockCount);
  const catchStack: (Int32Array | undefined)[] = new Array(catchType.length);
  const problem: DataflowProblem<Fact> = {
    direction: "forward",
    boundary: () => initial,
    join(a, b) {
      let l = a.locals;
      const al = a.locals;
      const bl = b.locals;
      if (al !== bl) {
        for (let i = 0; i < al.length; i++) {
          const x = al[i]!;
          const y = bl[i]!;
          if (x === y) continue;
          const m = merge(x, y, false);
          if (m !== x) {
            if (l === al) l = slab.copy(al);
            l[i] = m;
          }
        }
      }
      let s = a.stack;
      let mismatch = a.mismatch;
      if (a.stack.length !== b.stack.length) mismatch = true;
      else {
        for (let i = 0; i < s.length; i++) {
          const x = a.stack[i]!;
          const y = b.stack[i]!;
          if (x === y) continue;
          const m = merge(x, y, true);
          if (m !== x) {
            if (s === a.stack) s = slab.copy(a.stack);
            s[i] = m;
          }
        }
      }
      if (l === a.locals && s === a.stack && mismatch === a.mismatch) return a;
      return mismatch ? { locals: l, stack: s, mismatch } : { locals: l, stack: s };
    },
    equal(a, b) {
      return a === b || (a.mismatch === b.mismatch && sameArray(a.locals, b.locals) && sameArray(a.stack, b.stack));
    },
    transfer(b, fact) {
      const collect = cfg.handlersOf[b]!.length > 0;
      const out = run(b, declaredEntry[b] ?? fact, collect);
      if (collect) handlerLocals[b] = acc;
      acc = undefined;
      return out;
    },
    exceptional(b, hi) {
      return { locals: handlerLocals[b]!, stack: (catchStack[hi] ??= Int32Array.of(catchType[hi]!)) };
    },
  };
  const result = solve(cfg, problem);

  const entry: (Frame | undefined)[] = new Array(cfg.blockCount);
  for (let b = 0; b < cfg.blockCount; b++) {
    if (!cfg.reachable[b]) continue;
    const d = declaredEntry[b];
    const f = result.input[b];
    if (d) entry[b] = d;
    else if (f) {
      entry[b] = f;
      const at = firstInstruction(cfg, b);
      if (f.mismatch) error(at, "stack heights differ where control flow joins");
      else if (f.stack.includes(CONFLICT)) error(at, "stack types of different kinds meet where control flow joins");
    }
  }

  // Declared frames must accept the merge of what flows in: if the merge is
  // assignable, so is every incoming state, and conversely (merges are least upper bounds).
  const hierarchy = ctx.hierarchy;
  const assignable = (from: VType, to: VType): boolean => {
    if (from === to || to === TOP) return true;
    if (!types.isObject(to)) return false;
    if (from === NULL) return true;
    if (!types.isObject(from)) return false;
    const target = types.nameOf(to);
    return hierarchy ? hierarchy.isAssignable(target, types.nameOf(from)) : target === OBJECT;
  };
  const rejected: string[] = [];
  for (let b = 0; b < cfg.blockCount; b++) {
    const d = declaredEntry[b];
    const f = result.input[b];
    if (!d || !f || !cfg.reachable[b]) continue;
    let why: string | undefined;
    if (f.mismatch || f.stack.length !== d.stack.length) why = "stack height";
    else if (f.locals.includes(UNINITIALIZED_THIS) && !d.locals.includes(UNINITIALIZED_THIS)) why = "uninitializedThis flag";
    else {
      for (let i = 0; i < d.locals.length && !why; i++) if (!assignable(f.locals[i]!, d.locals[i]!)) why = `local ${i}: ${types.format(f.locals[i]!)} is not assignable to ${types.format(d.locals[i]!)}`;
      for (let i = 0; i < d.stack.length && !why; i++) if (!assignable(f.stack[i]!, d.stack[i]!)) why = `stack ${i}: ${types.format(f.stack[i]!)} is not assignable to ${types.format(d.stack[i]!)}`;
    }
    if (why) rejected.push(`declared frame of block ${b} rejects what flows in (${why})`);
  }

  const where = ctx.where;
  const diagnostics: Diagnostic[] = [...errors].map(([node, message]) => ({
    code: ErrorCodes.FRAME,
    severity: "error",
    message: `${message} (node ${node})`,
    location: { ...where },
  }));

  const replay = (block: number, visit: (node: number, locals: Int32Array, stack: readonly number[], height: number) => void) => {
    const f = entry[block];
    if (!f) return;
    run(block, f, false, (node) => visit(node, locals, stack, sp));
  };
  return {
    cfg,
    types,
    entry,
    declared,
    initial,
    maxStack,
    maxLocals,
    errors: diagnostics,
    rejectedFrames: rejected.map((message) => ({ code: ErrorCodes.FRAME, severity: "error", message, location: { ...where } })),
    replay,
    frameBefore(node) {
      let out: Frame | undefined;
      replay(cfg.blockOfNode[node]!, (i, l, s, h) => {
        if (i === node) out = { locals: l.slice(), stack: Int32Array.from(s.slice(0, h)) };
      });
      return out;
    },
  };
}

function sameArray(a: Int32Array, b: Int32Array): boolean {
  if (a === b) return true;
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

/** Node index of a block's first instruction. */
export function firstInstruction(cfg: ControlFlowGraph, b: number): number {
  const nodes = cfg.body.nodes;
  let i = cfg.blockStart[b]!;
  while (!isInstruction(nodes[i]!)) i++;
  return i;
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

/**
 * One line per block: `b3: locals [I, J, Ljava/lang/String;] stack [null]`
 * (trailing tops left out, declared frames marked). With `cp`, each block is
 * introduced by its CFG header (label and first/last instruction) as in the cfg
 * and liveness filetests, and the frame follows indented.
 */
export function formatFrames(a: FrameAnalysis, cp?: ConstantPool): string {
  const lines: string[] = [`max_stack ${a.maxStack} max_locals ${a.maxLocals}`];
  const headers = cp ? blockHeaders(a.cfg, cp) : undefined;
  // uninitialized(site) by the disassembler's name of the label at the `new`, when there is one.
  const names = cp ? labelNames(a.cfg.body) : undefined;
  const nodes = a.cfg.body.nodes;
  const format = (t: VType): string => {
    if (names && a.types.isUninitialized(t)) {
      for (let p = a.types.siteOf(t) - 1; p >= 0 && !isInstruction(nodes[p]!); p--) {
        const n = nodes[p]!;
        const name = n.kind === "label" ? names.get(n.label) : undefined;
        if (name !== undefined) return `uninitialized(${name})`;
      }
    }
    return a.types.format(t);
  };
  for (let b = 0; b < a.cfg.blockCount; b++) {
    const f = a.entry[b];
    const head = headers ? `${headers[b]}\n  ` : `b${b}${a.declared[b] ? " (declared)" : ""}: `;
    if (!f) {
      lines.push(`${head}unreachable`);
      continue;
    }
    const l = compressSlots(f.locals).map(format);
    const s = compressSlots(f.stack, false).map(format);
    lines.push(`${head}${headers && a.declared[b] ? "declared " : ""}locals [${l.join(", ")}] stack [${s.join(", ")}]`);
  }
  for (const e of a.errors) lines.push(`error ${e.message}`);
  return lines.join("\n") + "\n";
}

export const framesPass: Pass<FrameAnalysis> = {
  name,
  description,
  run: (body, ctx) => inferFrames(body, ctx),
  format: (result, _body, ctx) => formatFrames(result, ctx.cp),
};
