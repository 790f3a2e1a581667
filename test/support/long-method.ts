/**
 * A deterministic generator of a very long method body for codec tests: more than
 * 1 MB of bytecode in several thousand blocks, with forward and backward branches
 * that span more than 32 KB (so the encoder must widen gotos and invert
 * conditionals), a tableswitch and a lookupswitch with far targets, exception
 * handlers, line numbers, LocalVariable(Type)Table rows, wide locals and iinc, ldc
 * of constants past index 255, and a StackMapTable with every frame form
 * (including uninitialized(new) types).
 *
 * The code is shaped like real bytecode but is not meant to verify: stack
 * heights and frame contents are not consistent. Only positions matter here.
 * Everything pc-sized that the class file stores as u2 (handlers, line numbers,
 * local-variable rows) is kept inside the first 64 KB; frames occur everywhere
 * because only their deltas are u2.
 *
 * The same seed gives the same body; a fresh ConstantPool is built each call.
 */
import { ConstantPool } from "../../src/classfile/constant-pool.js";
import type { CodeNode, FrameNode, Handler, Label, LocalVariable, MethodBody } from "../../src/bytecode/model.js";
import { Op } from "../../src/bytecode/opcodes.js";
import { prng } from "./prng.js";

export interface LongMethod {
  body: MethodBody;
  cp: ConstantPool;
  /** Blocks that contain at least one far (> 32 KB) branch, for the test's information. */
  farBranches: number;
}


/**
 * `blockCount` scales the method (36,000 blocks: about 1 MB; anything from 400
 * blocks up is well formed, far targets are clamped into range).
 */
export function generateLongMethod(seed = 1, blockCount = 36000): LongMethod {
  const rnd = prng(seed);
  const int = (lo: number, hi: number): number => lo + Math.floor(rnd() * (hi - lo + 1));
  const pick = <T>(xs: readonly T[]): T => xs[int(0, xs.length - 1)]!;

  const cp = new ConstantPool();
  // 300 int constants so that some ldc indices exceed 255 (ldc_w).
  const ints: number[] = [];
  for (let i = 0; i < 300; i++) ints.push(cp.addInteger(100000 + i));
  const str = cp.addString("hello");
  const cls = cp.addClass("java/lang/StringBuilder");
  const exc = cp.addClass("java/lang/RuntimeException");
  const field = cp.addMemberRef("Fieldref", "Gen", "counter", "I");
  const method = cp.addMemberRef("Methodref", "java/lang/StringBuilder", "<init>", "()V");
  const imethod = cp.addMemberRef("InterfaceMethodref", "java/lang/Runnable", "run", "()V");
  const longConst = cp.addLong(1n << 40n);
  const doubleConst = cp.addDoubleBits(0x400921fb54442d18n);
  const nt = cp.addNameAndType("make", "()Ljava/lang/Runnable;");
  const indy = cp.add({ kind: "InvokeDynamic", bootstrapMethodAttrIndex: 0, nameAndTypeIndex: nt });
  const arrayClass = cp.addClass("[[I");
  const lvName = cp.addUtf8("x");
  const lvDesc = cp.addUtf8("I");
  const lvSig = cp.addUtf8("TT;");

  let labelCount = 0;
  const newLabel = (): Label => labelCount++;
  const blockLabel: Label[] = [];
  for (let b = 0; b < blockCount; b++) blockLabel.push(newLabel());

  const nodes: CodeNode[] = [];
  const handlers: Handler[] = [];
  const localVariables: LocalVariable[] = [];
  const localVariableTypes: LocalVariable[] = [];
  let farBranches = 0;
  /** Blocks below this index are surely inside the first 64 KB (blocks are at most ~140 bytes). */
  const earlyBlocks = 300;
  /** A `new` label whose object is still uninitialized at the next block start. */
  let pendingNew: Label | undefined;

  const conditionals = [Op.IFEQ, Op.IFNE, Op.IFLT, Op.IFGE, Op.IFGT, Op.IFLE, Op.IF_ICMPEQ, Op.IF_ICMPNE, Op.IF_ICMPLT, Op.IF_ICMPGE,
    Op.IF_ICMPGT, Op.IF_ICMPLE, Op.IF_ACMPEQ, Op.IF_ACMPNE, Op.IFNULL, Op.IFNONNULL];
  const simples = [Op.IADD, Op.ISUB, Op.IMUL, Op.DUP, Op.POP, Op.SWAP, Op.I2L, Op.L2I, Op.LCMP, Op.DUP2_X1, Op.ARRAYLENGTH, Op.NOP, Op.ICONST_M1, Op.ICONST_5, Op.ACONST_NULL];
  const loads = [Op.ILOAD, Op.LLOAD, Op.FLOAD, Op.DLOAD, Op.ALOAD];
  const stores = [Op.ISTORE, Op.LSTORE, Op.FSTORE, Op.DSTORE, Op.ASTORE];

  /** A block index `distance` blocks away, clamped into range. */
  const blockAt = (from: number, distance: number): number => Math.max(0, Math.min(blockCount - 1, from + distance));

  const frameFor = (b: number): FrameNode => {
    if (pendingNew !== undefined) {
      const label = pendingNew;
      pendingNew = undefined;
      return { type: "full", locals: [{ tag: "int" }, { tag: "top" }], stack: [{ tag: "uninitialized", label }, { tag: "uninitialized", label }] };
    }
    switch (b % 5) {
      case 0:
        return { type: "same" };
      case 1:
        return { type: "same_locals_1_stack_item", stack: { tag: "object", classIndex: exc } };
      case 2:
        return { type: "append", locals: [{ tag: "int" }, { tag: "long" }] };
      case 3:
        return { type: "chop", chop: 2 };
      default:
        return { type: "full", locals: [{ tag: "uninitializedThis" }, { tag: "double" }], stack: [{ tag: "null" }, { tag: "float" }] };
    }
  };

  for (let b = 0; b < blockCount; b++) {
    nodes.push({ kind: "label", label: blockLabel[b]! });
    if (b < earlyBlocks && b % 3 === 0) nodes.push({ kind: "line", line: 10 + b });
    if (b % 2 === 0) nodes.push({ kind: "frame", frame: frameFor(b) });

    // A fixed prefix gives every block at least 12 bytes, so 3000 blocks span > 32 KB.
    nodes.push({ kind: "int", op: Op.SIPUSH, value: int(-32768, 32767) });
    nodes.push({ kind: "local", op: Op.ISTORE, index: int(256, 399) }); // wide istore
    nodes.push({ kind: "iinc", index: int(0, 399), delta: int(-2000, 2000) }); // often wide
    nodes.push({ kind: "cp", op: Op.LDC, index: pick(ints) }); // ldc or ldc_w

    const count = int(2, 12);
    for (let k = 0; k < count; k++) {
      const r = rnd();
      if (r < 0.25) nodes.push({ kind: "simple", op: pick(simples) });
      else if (r < 0.4) nodes.push({ kind: "local", op: pick(loads), index: int(0, 6) });
      else if (r < 0.5) nodes.push({ kind: "local", op: pick(stores), index: int(0, 300) });
      else if (r < 0.55) nodes.push({ kind: "int", op: Op.BIPUSH, value: int(-128, 127) });
      else if (r < 0.6) nodes.push({ kind: "cp", op: pick([Op.GETSTATIC, Op.PUTFIELD] as const), index: field });
      else if (r < 0.65) nodes.push({ kind: "cp", op: Op.INVOKESPECIAL, index: method });
      else if (r < 0.68) nodes.push({ kind: "invokeinterface", index: imethod, count: 1 });
      else if (r < 0.7) nodes.push({ kind: "invokedynamic", index: indy });
      else if (r < 0.72) nodes.push({ kind: "multianewarray", index: arrayClass, dims: 2 });
      else if (r < 0.75) nodes.push({ kind: "cp", op: pick([Op.LDC2_W, Op.LDC2_W] as const), index: pick([longConst, doubleConst]) });
      else if (r < 0.78) nodes.push({ kind: "int", op: Op.NEWARRAY, value: int(4, 11) });
      else if (r < 0.8) nodes.push({ kind: "cp", op: pick([Op.CHECKCAST, Op.INSTANCEOF, Op.ANEWARRAY] as const), index: cls });
      else if (r < 0.83) nodes.push({ kind: "cp", op: Op.LDC, index: str });
      else if (r < 0.93) {
        // A near branch, forward or backward.
        nodes.push({ kind: "jump", op: pick(conditionals), target: blockLabel[blockAt(b, int(-20, 20))]! });
      } else {
        // A far branch: 3000..6000 blocks away, beyond any s2 offset.
        const distance = int(3000, 6000) * (rnd() < 0.5 ? -1 : 1);
        const target = blockAt(b, distance);
        if (Math.abs(target - b) >= 3000) farBranches++;
        nodes.push({ kind: "jump", op: rnd() < 0.5 ? Op.GOTO : pick(conditionals), target: blockLabel[target]! });
      }
    }

    if (b === 40) {
      // Both switches, with near and far targets.
      const targets: Label[] = [];
      for (let k = 0; k < 8; k++) targets.push(blockLabel[k % 2 === 0 ? blockAt(b, k + 1) : blockAt(b, 4000 + k)]!);
      nodes.push({ kind: "tableswitch", low: -2, high: 5, defaultTarget: blockLabel[b + 1]!, targets });
    }
    if (b === 41) {
      const keys = [-1000000, -5, 0, 7, 42, 1 << 30];
      nodes.push({ kind: "lookupswitch", defaultTarget: blockLabel[blockAt(b, 5000 - b)]!, keys, targets: keys.map((_, k) => blockLabel[blockAt(b, k * 900 - 20)]!) });
    }
    if (b % 97 === 5) {
      // An object under construction live across the next block start.
      const l = newLabel();
      nodes.push({ kind: "label", label: l });
      nodes.push({ kind: "cp", op: Op.NEW, index: cls });
      nodes.push({ kind: "simple", op: Op.DUP });
      pendingNew = l; // consumed by the next block that has a frame
    }
    if (b < earlyBlocks && b % 50 === 10) {
      // try { blocks b..b+5 } catch (RuntimeException) at block b+7; finally-style catch-all at b+9.
      handlers.push({ start: blockLabel[b]!, end: blockLabel[b + 5]!, handler: blockLabel[b + 7]!, catchType: exc });
      handlers.push({ start: blockLabel[b]!, end: blockLabel[b + 7]!, handler: blockLabel[b + 9]!, catchType: 0 });
    }
    if (b < earlyBlocks && b % 60 === 0) {
      localVariables.push({ start: blockLabel[b]!, end: blockLabel[b + 30]!, nameIndex: lvName, descriptorIndex: lvDesc, index: 300 + (b % 7) });
    }
    if (b === 100) localVariableTypes.push({ start: blockLabel[b]!, end: blockLabel[b + 10]!, nameIndex: lvName, descriptorIndex: lvSig, index: 3 });
  }
  nodes.push({ kind: "simple", op: Op.RETURN });

  const body: MethodBody = {
    maxStack: 10,
    maxLocals: 400,
    nodes,
    labelCount,
    handlers,
    localVariables,
    localVariableTypes,
    hasStackMapTable: true,
    otherAttributes: [],
  };
  return { body, cp, farBranches };
}
