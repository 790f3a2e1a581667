/**
 * The transfer function of frame inference: an interpreter of one block over
 * verification types (JVMS 4.10.1.9, instruction by instruction), with the state
 * (locals, operand stack, its height) held in fields so that a block runs without
 * allocating. `frames.ts` drives it through the dataflow solver and replays blocks
 * with it for `frameBefore`.
 *
 * The locals array is shared with the input fact until the block writes a slot
 * (copy on write, into a scratch buffer of the interpreter, reused by every run).
 * So a fact `run` returns may hold that buffer, or the `acc` one below: it is valid
 * until the next run (`isScratch` says so), and a caller that stores it copies it
 * out (frames.ts keeps one copy per content for the solver's inputs). Most outputs
 * are merged into an input that exists and die there; a new slab copy per writing
 * block was most of the array buffers a 1 MB parser-actions analysis allocated
 * (issue 10). With `collect`, the merge of the locals before every instruction
 * (and after every `<init>` call, which HotSpot checks too) is
 * kept in `acc` for the handlers covering the block; only slots written since the
 * last merge are merged, so this costs O(stores), not O(instructions x locals).
 * An error (stack underflow, jsr/ret left in, an `<init>` on something not
 * uninitialized) is reported once per node and inference continues with `top`.
 */
import type { Instruction, MethodBody } from "../src/bytecode/model.js";
import { OPCODES, Op } from "../src/bytecode/opcodes.js";
import { parseMethodDescriptor, slotsOf } from "../src/bytecode/descriptors.js";
import type { ConstantPool } from "../src/classfile/constant-pool.js";
import type { ControlFlowGraph } from "./cfg.js";
import { constantType, DOUBLE, FLOAT, type Frame, INT, isWide, LONG, NULL, OBJECT, TOP, type TypeTable, UNINITIALIZED_THIS, type VType } from "./frame-types.js";
import type { Int32Slab } from "./core/int32-slab.js";

/** A dataflow fact: a frame, and whether stack heights differed at a join into its block. */
export interface Fact extends Frame {
  readonly mismatch?: true;
}

/** The merge of one slot's two types; `onStack` selects CONFLICT over TOP. */
export type Merge = (a: VType, b: VType, onStack: boolean) => VType;

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

/** A field reference as the interpreter uses it. */
interface FieldUse {
  readonly descriptor: string;
  /** Slots of the value: 2 for long and double. */
  readonly slots: number;
  /** The value's type, interned when first pushed. */
  type: VType | undefined;
}

/** A method reference or invokedynamic call site as the interpreter uses it. */
interface MethodUse {
  readonly isInit: boolean;
  readonly paramSlots: number;
  /** The return descriptor; undefined for void. */
  readonly returnType: string | undefined;
  /** The returned type, interned when first pushed. */
  returns: VType | undefined;
}

const NEWARRAY_DESCRIPTOR: Record<number, string> = { 4: "[Z", 5: "[C", 6: "[F", 7: "[D", 8: "[B", 9: "[S", 10: "[I", 11: "[J" };

/** `into` holding a copy of `from`, reallocated when the lengths differ. */
function copyInto(into: Int32Array, from: Int32Array): Int32Array {
  const to = into.length === from.length ? into : new Int32Array(from.length);
  to.set(from);
  return to;
}

/** Most blocks end with an empty stack; they share one (facts are never written). */
const EMPTY_STACK = new Int32Array(0);

export class FrameInterpreter {
  /** The operand stack, one entry per slot; `sp` is its height. */
  readonly stack: number[] = [];
  sp = 0;
  locals: Int32Array;
  /** Whether `locals` is this block's own copy (the scratch buffer). */
  private ownLocals = false;
  /** Where a block's writes to the locals go, and where `acc` is collected: reused by every run. */
  private scratchLocals: Int32Array = new Int32Array(0);
  private scratchAcc: Int32Array = new Int32Array(0);
  /** Slots written since the last flush into the handler accumulator. */
  private readonly dirty: number[] = [];
  /** With `collect`: the merge of the locals so far, for the handlers. */
  acc: Int32Array | undefined;
  maxStack = 0;
  /**
   * Field and method references by constant-pool index, resolved once per analysis:
   * the pool builds a new object per call and a method descriptor is parsed through
   * a map keyed by the whole string. A Map, not an array: indices up to 65,535 made
   * a sparse array slow dictionary storage (as much profile time as the interpreter).
   */
  private readonly fieldRefs = new Map<number, FieldUse>();
  private readonly methodRefs = new Map<number, MethodUse>();
  /** Apart from methodRefs, so an index of the wrong kind still fails the pool's kind check. */
  private readonly callSites = new Map<number, MethodUse>();

  constructor(
    private readonly body: MethodBody,
    private readonly cfg: ControlFlowGraph,
    private readonly cp: ConstantPool,
    private readonly className: string,
    private readonly types: TypeTable,
    private readonly slab: Int32Slab,
    private readonly merge: Merge,
    /** Declared frames by node index (see frames.ts), which replace the state where they stand. */
    private readonly declaredAt: readonly (Fact | undefined)[],
    private readonly error: (node: number, message: string) => void,
    initialLocals: Int32Array,
  ) {
    this.locals = initialLocals;
  }

  /**
   * Runs block `b` from `fact`. With `collect`, keeps the merge of the locals before
   * every instruction (and after every `<init>`) in `acc`, for the handlers.
   * `visit` is called before each instruction with the state in the fields.
   */
  run(b: number, fact: Fact, collect: boolean, visit?: (node: number) => void): Fact {
    const { cfg, slab, dirty, stack } = this;
    const nodes = this.body.nodes;
    this.locals = fact.locals;
    this.ownLocals = false;
    this.sp = 0;
    const st = fact.stack;
    for (let i = 0; i < st.length; i++) stack[this.sp++] = st[i]!;
    this.acc = collect ? (this.scratchAcc = copyInto(this.scratchAcc, this.locals)) : undefined;
    dirty.length = 0;
    const last = cfg.blockLastInstruction[b]!;
    let started = false;
    for (let i = cfg.blockStart[b]!, end = cfg.blockEnd[b]!; i < end; i++) {
      const node = nodes[i]!;
      if (node.kind === "label" || node.kind === "line") continue;
      if (node.kind === "frame") {
        // A frame before the first instruction is the block's entry (see declaredEntry);
        // one after the last describes no instruction of this block.
        const d = started && i < last ? this.declaredAt[i] : undefined;
        if (d !== undefined) {
          this.locals = d.locals;
          this.ownLocals = false;
          this.sp = 0;
          for (let k = 0; k < d.stack.length; k++) stack[this.sp++] = d.stack[k]!;
          if (this.acc) for (let k = 0; k < this.locals.length; k++) dirty.push(k);
        }
        continue;
      }
      started = true;
      if (this.acc && dirty.length > 0) this.flush();
      visit?.(i);
      this.execute(i, node);
      if (this.acc && dirty.length > 0 && node.kind === "cp" && node.op === Op.INVOKESPECIAL) this.flush();
    }
    return { locals: this.locals, stack: this.sp === 0 ? EMPTY_STACK : slab.copy(stack, this.sp) };
  }

  private push(t: VType): void {
    this.stack[this.sp++] = t;
    if (isWide(t)) this.stack[this.sp++] = TOP;
    if (this.sp > this.maxStack) this.maxStack = this.sp;
  }

  private pop(node: number): VType {
    if (this.sp === 0) {
      this.error(node, "stack underflow");
      return TOP;
    }
    return this.stack[--this.sp]!;
  }

  private popN(node: number, n: number): void {
    if (this.sp < n) {
      this.error(node, "stack underflow");
      this.sp = 0;
    } else this.sp -= n;
  }

  private writable(): void {
    if (!this.ownLocals) {
      this.locals = this.scratchLocals = copyInto(this.scratchLocals, this.locals);
      this.ownLocals = true;
    }
  }

  /** Whether `locals` is one of the scratch buffers a run's result may hold (see the top of the file). */
  isScratch(locals: Int32Array): boolean {
    return locals === this.scratchLocals || locals === this.scratchAcc;
  }

  private setLocal(i: number, t: VType): void {
    this.writable();
    const locals = this.locals;
    const acc = this.acc;
    if (i > 0 && isWide(locals[i - 1]!)) {
      locals[i - 1] = TOP;
      if (acc) this.dirty.push(i - 1);
    }
    locals[i] = t;
    if (acc) this.dirty.push(i);
    if (isWide(t)) {
      locals[i + 1] = TOP;
      if (acc) this.dirty.push(i + 1);
    }
  }

  private flush(): void {
    const acc = this.acc!;
    for (const i of this.dirty) {
      const m = this.merge(acc[i]!, this.locals[i]!, false);
      acc[i] = m;
    }
    this.dirty.length = 0;
  }

  /** An `<init>` call: every copy of the receiver in locals and stack becomes the initialized class. */
  private initialize(node: number, receiver: VType): void {
    const types = this.types;
    let init: VType;
    if (receiver === UNINITIALIZED_THIS) init = types.object(this.className);
    else if (types.isUninitialized(receiver)) {
      const site = this.body.nodes[types.siteOf(receiver)];
      if (!site || site.kind !== "cp" || site.op !== Op.NEW) {
        this.error(node, "uninitialized type does not come from a new");
        return;
      }
      init = types.object(this.cp.className(site.index));
    } else {
      this.error(node, `<init> called on ${types.format(receiver)}`);
      return;
    }
    for (let i = 0; i < this.locals.length; i++) {
      if (this.locals[i] === receiver) {
        this.writable();
        this.locals[i] = init;
        if (this.acc) this.dirty.push(i);
      }
    }
    for (let i = 0; i < this.sp; i++) if (this.stack[i] === receiver) this.stack[i] = init;
  }

  private arrayComponent(node: number, array: VType): VType {
    const types = this.types;
    if (array === NULL) return NULL;
    if (types.isObject(array)) {
      const n = types.nameOf(array);
      if (n.charCodeAt(0) === 0x5b && n.length > 1) {
        const c = n.charCodeAt(1);
        if (c === 0x4c || c === 0x5b) return types.fromDescriptor(n.slice(1));
      }
    }
    this.error(node, `aaload from ${types.format(array)}`);
    return types.object(OBJECT);
  }

  /** The field reference at `index`. */
  private fieldRef(index: number): FieldUse {
    let f = this.fieldRefs.get(index);
    if (f === undefined) {
      const descriptor = this.cp.memberRef(index).descriptor;
      f = { descriptor, slots: slotsOf(descriptor), type: undefined };
      this.fieldRefs.set(index, f);
    }
    return f;
  }

  /** The type a getfield or getstatic pushes (interned on first use, as before the cache). */
  private fieldType(f: FieldUse): VType {
    return (f.type ??= this.types.fromDescriptor(f.descriptor));
  }

  /** The method reference (or invokedynamic call site) at `index`. */
  private methodRef(index: number, op: number): MethodUse {
    const cache = op === Op.INVOKEDYNAMIC ? this.callSites : this.methodRefs;
    let m = cache.get(index);
    if (m === undefined) {
      let name: string;
      let descriptor: string;
      if (op === Op.INVOKEDYNAMIC) {
        const e = this.cp.expect(index, "InvokeDynamic");
        name = "";
        descriptor = this.cp.nameAndType(e.nameAndTypeIndex).descriptor;
      } else ({ name, descriptor } = this.cp.memberRef(index));
      const md = parseMethodDescriptor(descriptor);
      m = { isInit: name === "<init>", paramSlots: md.paramSlots, returnType: md.returnSlots > 0 ? md.returnType : undefined, returns: undefined };
      cache.set(index, m);
    }
    return m;
  }

  private invoke(node: number, op: number, index: number): void {
    const m = this.methodRef(index, op);
    this.popN(node, m.paramSlots);
    if (op !== Op.INVOKESTATIC && op !== Op.INVOKEDYNAMIC) {
      const receiver = this.pop(node);
      if (op === Op.INVOKESPECIAL && m.isInit) this.initialize(node, receiver);
    }
    if (m.returnType !== undefined) this.push((m.returns ??= this.types.fromDescriptor(m.returnType)));
  }

  /** Applies one instruction to the state (JVMS 4.10.1.9, per instruction). */
  execute(node: number, insn: Instruction): void {
    switch (insn.kind) {
      case "simple":
        this.executeSimple(node, insn.op);
        return;
      case "local":
        this.executeLocal(node, insn.op, insn.index);
        return;
      case "iinc":
        return;
      case "int":
        if (insn.op === Op.NEWARRAY) {
          this.pop(node);
          this.push(this.types.object(NEWARRAY_DESCRIPTOR[insn.value] ?? "[I"));
        } else this.push(INT);
        return;
      case "cp":
        this.executeCp(node, insn.op, insn.index);
        return;
      case "invokeinterface":
        this.invoke(node, Op.INVOKEINTERFACE, insn.index);
        return;
      case "invokedynamic":
        this.invoke(node, Op.INVOKEDYNAMIC, insn.index);
        return;
      case "multianewarray":
        this.popN(node, insn.dims);
        this.push(this.types.object(this.cp.className(insn.index)));
        return;
      case "jump":
        if (insn.op === Op.JSR) {
          this.error(node, "jsr: run inline-subroutines first");
          return;
        }
        this.popN(node, OPCODES[insn.op]!.pop);
        return;
      case "tableswitch":
      case "lookupswitch":
        this.pop(node);
        return;
    }
  }

  /** Instructions without operands: constants, arithmetic, array access, the stack shuffles, returns. */
  private executeSimple(node: number, op: number): void {
    const r = RESULT[op]!;
    if (r >= 0) {
      this.popN(node, OPCODES[op]!.pop);
      this.push(r);
      return;
    }
    switch (op) {
      case Op.NOP:
        return;
      case Op.ACONST_NULL:
        this.push(NULL);
        return;
      case Op.AALOAD: {
        this.pop(node);
        this.push(this.arrayComponent(node, this.pop(node)));
        return;
      }
      case Op.DUP: {
        const v = this.pop(node);
        this.stack[this.sp++] = v;
        this.stack[this.sp++] = v;
        break;
      }
      case Op.DUP_X1: {
        const v1 = this.pop(node), v2 = this.pop(node);
        this.stack[this.sp++] = v1;
        this.stack[this.sp++] = v2;
        this.stack[this.sp++] = v1;
        break;
      }
      case Op.DUP_X2: {
        const v1 = this.pop(node), v2 = this.pop(node), v3 = this.pop(node);
        this.stack[this.sp++] = v1;
        this.stack[this.sp++] = v3;
        this.stack[this.sp++] = v2;
        this.stack[this.sp++] = v1;
        break;
      }
      case Op.DUP2: {
        const v1 = this.pop(node), v2 = this.pop(node);
        this.stack[this.sp++] = v2;
        this.stack[this.sp++] = v1;
        this.stack[this.sp++] = v2;
        this.stack[this.sp++] = v1;
        break;
      }
      case Op.DUP2_X1: {
        const v1 = this.pop(node), v2 = this.pop(node), v3 = this.pop(node);
        this.stack[this.sp++] = v2;
        this.stack[this.sp++] = v1;
        this.stack[this.sp++] = v3;
        this.stack[this.sp++] = v2;
        this.stack[this.sp++] = v1;
        break;
      }
      case Op.DUP2_X2: {
        const v1 = this.pop(node), v2 = this.pop(node), v3 = this.pop(node), v4 = this.pop(node);
        this.stack[this.sp++] = v2;
        this.stack[this.sp++] = v1;
        this.stack[this.sp++] = v4;
        this.stack[this.sp++] = v3;
        this.stack[this.sp++] = v2;
        this.stack[this.sp++] = v1;
        break;
      }
      case Op.SWAP: {
        const v1 = this.pop(node), v2 = this.pop(node);
        this.stack[this.sp++] = v1;
        this.stack[this.sp++] = v2;
        break;
      }
      default:
        // Array stores, pop, pop2, returns, athrow, monitors: pop only.
        this.popN(node, OPCODES[op]!.pop);
        return;
    }
    if (this.sp > this.maxStack) this.maxStack = this.sp;
    return;
  }

  /** Loads and stores of locals (`ret` is left to inline-subroutines). */
  private executeLocal(node: number, op: number, index: number): void {
    switch (op) {
      case Op.ILOAD:
        this.push(INT);
        return;
      case Op.LLOAD:
        this.push(LONG);
        return;
      case Op.FLOAD:
        this.push(FLOAT);
        return;
      case Op.DLOAD:
        this.push(DOUBLE);
        return;
      case Op.ALOAD:
        this.push(this.locals[index]!);
        return;
      case Op.ISTORE:
        this.pop(node);
        this.setLocal(index, INT);
        return;
      case Op.FSTORE:
        this.pop(node);
        this.setLocal(index, FLOAT);
        return;
      case Op.LSTORE:
        this.popN(node, 2);
        this.setLocal(index, LONG);
        return;
      case Op.DSTORE:
        this.popN(node, 2);
        this.setLocal(index, DOUBLE);
        return;
      case Op.ASTORE:
        this.setLocal(index, this.pop(node));
        return;
      default:
        this.error(node, "ret: run inline-subroutines first");
        return;
    }
  }

  /** Instructions with a constant-pool operand: ldc, fields, invocations, new, type checks. */
  private executeCp(node: number, op: number, index: number): void {
    switch (op) {
      case Op.LDC:
      case Op.LDC2_W:
        this.push(constantType(this.cp, index, this.types));
        return;
      case Op.GETSTATIC:
        this.push(this.fieldType(this.fieldRef(index)));
        return;
      case Op.PUTSTATIC:
        this.popN(node, this.fieldRef(index).slots);
        return;
      case Op.GETFIELD: {
        const f = this.fieldRef(index);
        this.pop(node);
        this.push(this.fieldType(f));
        return;
      }
      case Op.PUTFIELD:
        this.popN(node, this.fieldRef(index).slots + 1);
        return;
      case Op.INVOKEVIRTUAL:
      case Op.INVOKESPECIAL:
      case Op.INVOKESTATIC:
        this.invoke(node, op, index);
        return;
      case Op.NEW:
        this.push(this.types.uninitialized(node));
        return;
      case Op.ANEWARRAY: {
        this.pop(node);
        const c = this.cp.className(index);
        this.push(this.types.object(c.charCodeAt(0) === 0x5b ? `[${c}` : `[L${c};`));
        return;
      }
      case Op.CHECKCAST:
        this.pop(node);
        this.push(this.types.object(this.cp.className(index)));
        return;
      case Op.INSTANCEOF:
        this.pop(node);
        this.push(INT);
        return;
      default:
        this.error(node, `unexpected opcode ${op}`);
        return;
    }
  }
}
