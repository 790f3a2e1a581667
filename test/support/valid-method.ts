/**
 * A deterministic generator of a valid, verifiable static method of a requested
 * size, for scaling measurements of the analyses (bench/analyses) and for tests
 * that need a big method the JVM accepts: `static long run(int seed)` in class
 * `ValidMethod`, returning a checksum of everything it computed.
 *
 * Shape: a prologue (`sum = 0`), then units, then an epilogue (`return sum`).
 * A unit is 3 to 5 items drawn from a fixed set of templates, each a piece of
 * structured code that starts and ends with an empty stack: counted nested loops
 * (back edges) whose inner body is another template; if/else diamonds whose arms
 * leave a String or a StringBuilder in the same slot (joined by the hierarchy as
 * Object); tableswitch and lookupswitch; long/double/float arithmetic with lcmp and
 * dcmpg branches; allocation with new/dup/invokespecial whose constructor argument is
 * a ternary (a join with uninitialized(new) twice on the stack); StringBuilder
 * concatenation; JDK calls (static, virtual, interface); try/catch of
 * ArithmeticException; and a retry loop whose head is an exception handler (the
 * handler rethrows inside its own range, so the back edge is an exception edge).
 * Units are laid out zig-zag (execution order 0, 2, 4, ... from the front, 1, 3,
 * 5, ... from the back), every unit ending with a goto to the next one, so the
 * gotos between units span from the whole method down to one unit: in methods
 * over 32 KB many of them need goto_w, and the encoder widens them.
 *
 * Invariants: every block is reachable; the code verifies (HotSpot, -Xverify:all)
 * once frames are computed; max_locals is LOCALS (24) at every size: slot 0 is
 * the seed, slots 4-5 the long checksum, every other slot is scratch that a
 * template writes before it reads it, with types that change from template to
 * template (int/float in one slot, long/double in one pair, String, StringBuilder,
 * ArrayList, exceptions in reference slots). Loops run 2 to 3 times, so the method
 * runs in a few milliseconds even interpreted. Exception-table pcs are u2 in the
 * class file, so only units laid out in about the first 62 KB contain try/catch
 * templates and ternaries in constructor arguments (whose frames name the `new` by
 * its u2 offset): most of a 64 KB method, a sixteenth of a 1 MB one. So even the
 * 1 MB method can be written (with enforceJvmLimits off) and read back. The same size
 * gives the same body; a fresh ConstantPool is built each call.
 *
 * Cost: the body is O(size); hitting the size needs a few encodings (each linear).
 * `validMethodClass` adds frame computation (passes/stackmap.ts), which runs frame
 * inference two or three times and liveness once.
 */
import { ConstantPool } from "../../src/classfile/constant-pool.js";
import { Access, type ClassFile, type MethodInfo } from "../../src/classfile/model.js";
import type { CodeNode, Handler, Label, MethodBody } from "../../src/bytecode/model.js";
import { Op } from "../../src/bytecode/opcodes.js";
import { encodeBody } from "../../src/bytecode/encode.js";
import { CachedClassHierarchy, type ClassSource } from "../../src/hierarchy/hierarchy.js";
import { computeStackMapFrames } from "../../passes/stackmap.js";
import { methodContext, type ClassHierarchy } from "../../passes/pass.js";
import { prng } from "./prng.js";

export const CLASS_NAME = "ValidMethod";
export const METHOD_NAME = "run";
export const METHOD_DESCRIPTOR = "(I)J";
/** max_locals of the generated method, whatever its size. */
export const LOCALS = 24;
/** Handlers and uninitialized(new) frames are placed in units the layout puts within about this many bytes (u2 pcs). */
const TRY_ZONE = 62 * 1024;
/** A unit's average encoded size (measured: 129 to 728 bytes, mean 338), for placing the try zone. */
const UNIT_BYTES = 340;

export interface ValidMethod {
  /** The body without frames (computeStackMapFrames adds them). */
  body: MethodBody;
  cp: ConstantPool;
  /** Units generated. */
  units: number;
  /** Encoded code length in bytes (at most the requested size). */
  codeBytes: number;
}


function doubleBits(x: number): bigint {
  const v = new DataView(new ArrayBuffer(8));
  v.setFloat64(0, x);
  return v.getBigUint64(0);
}

const WORDS = ["alpha", "beta", "gamma", "delta", "epsilon", "zeta", "eta", "theta", "iota", "kappa", "lambda", "mu", "nu", "xi", "omicron", "pi"];

// Slots (see the file comment): 0 seed (I), 4-5 sum (J); the rest scratch.
const SEED = 0, I = 1, J = 2, ACC = 3, SUM = 4, D = 6, F = 8, A = 9, B = 10, K = 11, T = 12, EXC = 14, Q = 15, G = 16, W = 17, LIST = 19, R = 20, RX = 21, X = 22, Y = 23;

/** Builds the method's nodes unit by unit into per-unit node lists. */
class Generator {
  labelCount = 0;
  handlers: Handler[] = [];
  private out: CodeNode[] = [];
  private readonly rnd: () => number;
  private readonly c: ReturnType<typeof constants>;

  constructor(readonly cp: ConstantPool) {
    this.rnd = prng(0x5eed);
    this.c = constants(cp);
  }

  int(lo: number, hi: number): number {
    return lo + Math.floor(this.rnd() * (hi - lo + 1));
  }
  label(): Label {
    return this.labelCount++;
  }
  place(l: Label): void {
    this.out.push({ kind: "label", label: l });
  }
  s(op: number): void {
    this.out.push({ kind: "simple", op });
  }
  ld(op: number, index: number): void {
    this.out.push({ kind: "local", op, index });
  }
  iconst(v: number): void {
    if (v >= -1 && v <= 5) this.s(Op.ICONST_0 + v);
    else if (v >= -128 && v <= 127) this.out.push({ kind: "int", op: Op.BIPUSH, value: v });
    else if (v >= -32768 && v <= 32767) this.out.push({ kind: "int", op: Op.SIPUSH, value: v });
    else this.cpOp(Op.LDC, this.cp.addInteger(v));
  }
  cpOp(op: number, index: number): void {
    this.out.push({ kind: "cp", op, index });
  }
  jump(op: number, target: Label): void {
    this.out.push({ kind: "jump", op, target });
  }
  iinc(index: number, delta: number): void {
    this.out.push({ kind: "iinc", index, delta });
  }
  /** sum += (long) <int on the stack> */
  addIntToSum(): void {
    this.s(Op.I2L);
    this.ld(Op.LLOAD, SUM);
    this.s(Op.LADD);
    this.ld(Op.LSTORE, SUM);
  }
  /** sum = sum * 31 + <long on the stack> */
  addLongToSum(): void {
    this.ld(Op.LLOAD, SUM);
    this.cpOp(Op.LDC2_W, this.c.l31);
    this.s(Op.LMUL);
    this.s(Op.LADD);
    this.ld(Op.LSTORE, SUM);
  }

  /** One unit: its nodes, starting at `start` and ending with a goto to `next`. */
  unit(start: Label, next: Label, zone: boolean): CodeNode[] {
    this.out = [];
    this.place(start);
    const items = this.int(3, 5);
    for (let k = 0; k < items; k++) {
      if (this.rnd() < 0.3) this.loops(zone);
      else this.leaf(zone);
    }
    this.jump(Op.GOTO, next);
    return this.out;
  }

  leaf(zone: boolean): void {
    const n = zone ? 9 : 7;
    switch (this.int(0, n - 1)) {
      case 0:
        return this.arithmetic();
      case 1:
        return this.diamond();
      case 2:
        return this.tableSwitch();
      case 3:
        return this.lookupSwitch();
      case 4:
        return this.ternaryConstructor(zone);
      case 5:
        return this.concatenation();
      case 6:
        return this.jdkCalls();
      case 7:
        return this.tryCatch();
      default:
        return this.retryLoop();
    }
  }

  /** for (i = 0; i < n; i++) for (j = 0; j < m; j++) { acc = i * j + seed; sum += acc; <leaf> } */
  loops(zone: boolean): void {
    const outerHead = this.label(), outerEnd = this.label(), innerHead = this.label(), innerEnd = this.label();
    this.iconst(0);
    this.ld(Op.ISTORE, I);
    this.place(outerHead);
    this.ld(Op.ILOAD, I);
    this.iconst(this.int(2, 3));
    this.jump(Op.IF_ICMPGE, outerEnd);
    this.iconst(0);
    this.ld(Op.ISTORE, J);
    this.place(innerHead);
    this.ld(Op.ILOAD, J);
    this.iconst(this.int(1, 3));
    this.jump(Op.IF_ICMPGE, innerEnd);
    this.ld(Op.ILOAD, I);
    this.ld(Op.ILOAD, J);
    this.s(Op.IMUL);
    this.ld(Op.ILOAD, SEED);
    this.s(Op.IADD);
    this.ld(Op.ISTORE, ACC);
    this.ld(Op.ILOAD, ACC);
    this.addIntToSum();
    this.leaf(zone);
    this.iinc(J, 1);
    this.jump(Op.GOTO, innerHead);
    this.place(innerEnd);
    this.iinc(I, 1);
    this.jump(Op.GOTO, outerHead);
    this.place(outerEnd);
  }

  /** long, double and float arithmetic, with lcmp/dcmpg/fcmpl branches; slot W is a double or a long. */
  arithmetic(): void {
    const c = this.c;
    this.ld(Op.ILOAD, SEED);
    this.s(Op.I2D);
    this.cpOp(Op.LDC2_W, this.cp.addDoubleBits(doubleBits(1 + this.int(1, 40) / 8)));
    this.s(Op.DMUL);
    this.ld(Op.DSTORE, D);
    this.ld(Op.ILOAD, SEED);
    this.s(Op.I2F);
    this.s(Op.FCONST_2);
    this.s(Op.FMUL);
    this.ld(Op.FSTORE, this.rnd() < 0.5 ? F : X);
    const wAsLong = this.rnd() < 0.5;
    if (wAsLong) {
      this.ld(Op.LLOAD, SUM);
      this.cpOp(Op.LDC2_W, this.cp.addLong(BigInt(this.int(3, 1000)) * 2n + 1n));
      this.s(Op.LREM);
      this.ld(Op.LSTORE, W);
      this.ld(Op.LLOAD, W);
      this.ld(Op.LLOAD, SUM);
      this.s(Op.LXOR);
      this.ld(Op.LSTORE, T);
    } else {
      this.ld(Op.DLOAD, D);
      this.ld(Op.DLOAD, D);
      this.s(Op.DMUL);
      this.cpOp(Op.LDC2_W, c.d325);
      this.s(Op.DADD);
      this.ld(Op.DSTORE, W);
      this.ld(Op.DLOAD, W);
      this.s(Op.D2L);
      this.ld(Op.LSTORE, T);
    }
    const skip = this.label();
    this.ld(Op.LLOAD, T);
    this.ld(Op.LLOAD, SUM);
    this.s(Op.LCMP);
    this.jump(Op.IFGE, skip);
    this.ld(Op.LLOAD, T);
    this.iconst(this.int(1, 50));
    this.s(Op.LSHL);
    this.ld(Op.LSTORE, T);
    this.place(skip);
    const skip2 = this.label();
    this.ld(Op.DLOAD, D);
    this.s(Op.DCONST_1);
    this.s(Op.DCMPG);
    this.jump(Op.IFLE, skip2);
    this.ld(Op.LLOAD, T);
    this.s(Op.LCONST_1);
    this.s(Op.LADD);
    this.ld(Op.LSTORE, T);
    this.place(skip2);
    this.ld(Op.LLOAD, T);
    this.addLongToSum();
  }

  /** if (seed & m) { a = "word"; k = a.length() } else { a = new StringBuilder("word"); k = n }; sum += k + a.toString().length() */
  diamond(): void {
    const c = this.c;
    const other = this.label(), join = this.label();
    this.ld(Op.ILOAD, SEED);
    this.iconst(1 << this.int(0, 4));
    this.s(Op.IAND);
    this.jump(Op.IFEQ, other);
    this.cpOp(Op.LDC, this.word());
    this.ld(Op.ASTORE, A);
    this.ld(Op.ALOAD, A);
    this.cpOp(Op.INVOKEVIRTUAL, c.stringLength);
    this.ld(Op.ISTORE, K);
    this.jump(Op.GOTO, join);
    this.place(other);
    this.cpOp(Op.NEW, c.sb);
    this.s(Op.DUP);
    this.cpOp(Op.LDC, this.word());
    this.cpOp(Op.INVOKESPECIAL, c.sbInitString);
    this.ld(Op.ASTORE, A);
    this.iconst(this.int(-200, 200));
    this.ld(Op.ISTORE, K);
    this.place(join);
    this.ld(Op.ILOAD, K);
    this.addIntToSum();
    this.ld(Op.ALOAD, A);
    this.cpOp(Op.INVOKEVIRTUAL, c.objectToString);
    this.cpOp(Op.INVOKEVIRTUAL, c.stringLength);
    this.addIntToSum();
  }

  /** switch ((seed + c) & 3) { case 0..3 } with one fall-through case. */
  tableSwitch(): void {
    const join = this.label();
    const cases = [this.label(), this.label(), this.label(), this.label()];
    const dflt = this.label();
    this.ld(Op.ILOAD, SEED);
    this.iconst(this.int(0, 100));
    this.s(Op.IADD);
    this.iconst(3);
    this.s(Op.IAND);
    this.out.push({ kind: "tableswitch", low: 0, high: 3, defaultTarget: dflt, targets: cases });
    for (let k = 0; k < 4; k++) {
      this.place(cases[k]!);
      this.iconst(this.int(-1000, 1000));
      this.ld(Op.ISTORE, Y);
      if (k !== 3) this.jump(Op.GOTO, join); // case 3 falls through into the default
    }
    this.place(dflt);
    this.ld(Op.ILOAD, SEED);
    this.ld(Op.ISTORE, Y);
    this.place(join);
    this.ld(Op.ILOAD, Y);
    this.addIntToSum();
  }

  /** switch ((seed * c) % 7) with sparse keys; slot X is an int here (a float elsewhere). */
  lookupSwitch(): void {
    const join = this.label(), dflt = this.label();
    const keys = [-5, -1, 0, 3, 6, 1000 + this.int(0, 1000)];
    const targets = keys.map(() => this.label());
    this.ld(Op.ILOAD, SEED);
    this.iconst(this.int(2, 30000));
    this.s(Op.IMUL);
    this.iconst(7);
    this.s(Op.IREM);
    this.out.push({ kind: "lookupswitch", defaultTarget: dflt, keys, targets });
    for (const t of targets) {
      this.place(t);
      this.ld(Op.ILOAD, SEED);
      this.iconst(this.int(1, 99));
      this.s(this.rnd() < 0.5 ? Op.IXOR : Op.ISUB);
      this.ld(Op.ISTORE, X);
      this.jump(Op.GOTO, join);
    }
    this.place(dflt);
    this.iconst(this.int(-50, 50));
    this.ld(Op.ISTORE, X);
    this.place(join);
    this.ld(Op.ILOAD, X);
    this.addIntToSum();
  }

  /**
   * b = new StringBuilder(seed odd ? "w1" : "w2"); list = new ArrayList(seed < 0 ? 4 : 8);
   * list.add(b); list.add(seed); sum += list.size() + b.length(). Outside the zone the
   * arguments are constants: a frame inside a ternary names the `new` by its offset, a u2.
   */
  ternaryConstructor(zone: boolean): void {
    const c = this.c;
    this.cpOp(Op.NEW, c.sb);
    this.s(Op.DUP);
    if (zone) {
      const even = this.label(), init = this.label();
      this.ld(Op.ILOAD, SEED);
      this.iconst(1);
      this.s(Op.IAND);
      this.jump(Op.IFEQ, even);
      this.cpOp(Op.LDC, this.word());
      this.jump(Op.GOTO, init);
      this.place(even);
      this.cpOp(Op.LDC, this.word());
      this.place(init); // stack: uninitialized(new) uninitialized(new) String
    } else this.cpOp(Op.LDC, this.word());
    this.cpOp(Op.INVOKESPECIAL, c.sbInitString);
    this.ld(Op.ASTORE, B);
    this.cpOp(Op.NEW, c.arrayList);
    this.s(Op.DUP);
    if (zone) {
      const pos = this.label(), init2 = this.label();
      this.ld(Op.ILOAD, SEED);
      this.jump(Op.IFGE, pos);
      this.iconst(4);
      this.jump(Op.GOTO, init2);
      this.place(pos);
      this.iconst(this.int(6, 20));
      this.place(init2);
    } else this.iconst(this.int(6, 20));
    this.cpOp(Op.INVOKESPECIAL, c.arrayListInit);
    this.ld(Op.ASTORE, LIST);
    this.ld(Op.ALOAD, LIST);
    this.ld(Op.ALOAD, B);
    this.out.push({ kind: "invokeinterface", index: c.listAdd, count: 2 });
    this.s(Op.POP);
    this.ld(Op.ALOAD, LIST);
    this.ld(Op.ILOAD, SEED);
    this.cpOp(Op.INVOKESTATIC, c.integerValueOf);
    this.out.push({ kind: "invokeinterface", index: c.listAdd, count: 2 });
    this.s(Op.POP);
    this.ld(Op.ALOAD, LIST);
    this.out.push({ kind: "invokeinterface", index: c.listSize, count: 1 });
    this.ld(Op.ALOAD, B);
    this.cpOp(Op.INVOKEVIRTUAL, c.sbLength);
    this.s(Op.IADD);
    this.addIntToSum();
  }

  /** a = new StringBuilder().append("w").append(sum).append('-').append(seed).toString(); sum += a.hashCode() */
  concatenation(): void {
    const c = this.c;
    this.cpOp(Op.NEW, c.sb);
    this.s(Op.DUP);
    this.cpOp(Op.INVOKESPECIAL, c.sbInit);
    this.cpOp(Op.LDC, this.word());
    this.cpOp(Op.INVOKEVIRTUAL, c.sbAppendString);
    this.ld(Op.LLOAD, SUM);
    this.cpOp(Op.INVOKEVIRTUAL, c.sbAppendLong);
    this.iconst(45);
    this.cpOp(Op.INVOKEVIRTUAL, c.sbAppendChar);
    this.ld(Op.ILOAD, SEED);
    this.cpOp(Op.INVOKEVIRTUAL, c.sbAppendInt);
    this.cpOp(Op.INVOKEVIRTUAL, c.sbToString);
    const slot = this.rnd() < 0.5 ? A : B;
    this.ld(Op.ASTORE, slot);
    this.ld(Op.ALOAD, slot);
    this.cpOp(Op.INVOKEVIRTUAL, c.stringHashCode);
    this.addIntToSum();
  }

  /** Static JDK calls on int, long, double and float values; slot G is a float, K an int. */
  jdkCalls(): void {
    const c = this.c;
    this.ld(Op.ILOAD, SEED);
    this.iconst(this.int(-100, 100));
    this.cpOp(Op.INVOKESTATIC, c.mathMax);
    this.cpOp(Op.INVOKESTATIC, c.integerBitCount);
    this.ld(Op.ISTORE, K);
    this.ld(Op.LLOAD, SUM);
    this.ld(Op.ILOAD, K);
    this.cpOp(Op.INVOKESTATIC, c.longRotateLeft);
    this.ld(Op.LSTORE, T);
    this.ld(Op.ILOAD, SEED);
    this.s(Op.I2F);
    this.cpOp(Op.INVOKESTATIC, c.mathAbsFloat);
    this.ld(Op.FSTORE, G);
    this.ld(Op.FLOAD, G);
    this.s(Op.F2D);
    this.cpOp(Op.INVOKESTATIC, c.mathSqrt);
    this.cpOp(Op.INVOKESTATIC, c.doubleToLongBits);
    this.ld(Op.LLOAD, T);
    this.s(Op.LADD);
    this.addLongToSum();
  }

  /** try { q = c / (seed % 3) } catch (ArithmeticException e) { q = e.getMessage().length() }; sum += q */
  tryCatch(): void {
    const c = this.c;
    const start = this.label(), end = this.label(), handler = this.label(), after = this.label();
    this.place(start);
    this.iconst(this.int(100, 10000));
    this.ld(Op.ILOAD, SEED);
    this.iconst(3);
    this.s(Op.IREM);
    this.s(Op.IDIV);
    this.ld(Op.ISTORE, Q);
    this.place(end);
    this.jump(Op.GOTO, after);
    this.place(handler);
    this.ld(Op.ASTORE, EXC);
    this.ld(Op.ALOAD, EXC);
    this.cpOp(Op.INVOKEVIRTUAL, c.getMessage);
    this.cpOp(Op.INVOKEVIRTUAL, c.stringLength);
    this.ld(Op.ISTORE, Q);
    this.place(after);
    this.ld(Op.ILOAD, Q);
    this.addIntToSum();
    this.handlers.push({ start, end, handler, catchType: c.arithmetic });
  }

  /**
   * r = n; try { throw new IllegalStateException() } catch (ISE e) -> H;
   * H: x = e; sum += r; if (--r > 0) throw x (inside the handler's own range, so H is a loop head).
   */
  retryLoop(): void {
    const c = this.c;
    const s1 = this.label(), e1 = this.label(), h = this.label(), s2 = this.label(), e2 = this.label(), out = this.label();
    this.iconst(this.int(2, 4));
    this.ld(Op.ISTORE, R);
    this.place(s1);
    this.cpOp(Op.NEW, c.illegalState);
    this.s(Op.DUP);
    this.cpOp(Op.INVOKESPECIAL, c.illegalStateInit);
    this.s(Op.ATHROW);
    this.place(e1);
    this.place(h);
    this.ld(Op.ASTORE, RX);
    this.ld(Op.ILOAD, R);
    this.addIntToSum();
    this.iinc(R, -1);
    this.ld(Op.ILOAD, R);
    this.jump(Op.IFLE, out);
    this.place(s2);
    this.ld(Op.ALOAD, RX);
    this.s(Op.ATHROW);
    this.place(e2);
    this.place(out);
    this.handlers.push({ start: s1, end: e1, handler: h, catchType: c.illegalState });
    this.handlers.push({ start: s2, end: e2, handler: h, catchType: c.illegalState });
  }

  word(): number {
    return this.cp.addString(WORDS[this.int(0, WORDS.length - 1)]!);
  }
}

function constants(cp: ConstantPool) {
  const m = (owner: string, name: string, desc: string) => cp.addMemberRef("Methodref", owner, name, desc);
  const SB = "java/lang/StringBuilder";
  return {
    l31: cp.addLong(31n),
    d325: cp.addDoubleBits(doubleBits(3.25)),
    sb: cp.addClass(SB),
    sbInit: m(SB, "<init>", "()V"),
    sbInitString: m(SB, "<init>", "(Ljava/lang/String;)V"),
    sbAppendString: m(SB, "append", "(Ljava/lang/String;)Ljava/lang/StringBuilder;"),
    sbAppendLong: m(SB, "append", "(J)Ljava/lang/StringBuilder;"),
    sbAppendChar: m(SB, "append", "(C)Ljava/lang/StringBuilder;"),
    sbAppendInt: m(SB, "append", "(I)Ljava/lang/StringBuilder;"),
    sbToString: m(SB, "toString", "()Ljava/lang/String;"),
    sbLength: m(SB, "length", "()I"),
    stringLength: m("java/lang/String", "length", "()I"),
    stringHashCode: m("java/lang/String", "hashCode", "()I"),
    objectToString: m("java/lang/Object", "toString", "()Ljava/lang/String;"),
    arrayList: cp.addClass("java/util/ArrayList"),
    arrayListInit: m("java/util/ArrayList", "<init>", "(I)V"),
    listAdd: cp.addMemberRef("InterfaceMethodref", "java/util/List", "add", "(Ljava/lang/Object;)Z"),
    listSize: cp.addMemberRef("InterfaceMethodref", "java/util/List", "size", "()I"),
    integerValueOf: m("java/lang/Integer", "valueOf", "(I)Ljava/lang/Integer;"),
    integerBitCount: m("java/lang/Integer", "bitCount", "(I)I"),
    mathMax: m("java/lang/Math", "max", "(II)I"),
    mathAbsFloat: m("java/lang/Math", "abs", "(F)F"),
    mathSqrt: m("java/lang/Math", "sqrt", "(D)D"),
    longRotateLeft: m("java/lang/Long", "rotateLeft", "(JI)J"),
    doubleToLongBits: m("java/lang/Double", "doubleToLongBits", "(D)J"),
    getMessage: m("java/lang/Throwable", "getMessage", "()Ljava/lang/String;"),
    arithmetic: cp.addClass("java/lang/ArithmeticException"),
    illegalState: cp.addClass("java/lang/IllegalStateException"),
    illegalStateInit: m("java/lang/IllegalStateException", "<init>", "()V"),
  };
}

/** Layout position of the unit executed `e`-th of `n`: 0, 2, 4, ... from the front, 1, 3, 5, ... from the back. */
function layoutPosition(e: number, n: number): number {
  return e % 2 === 0 ? e / 2 : n - 1 - (e - 1) / 2;
}

/** The method with exactly `units` units. */
function build(units: number, tryUnits: number): { body: MethodBody; cp: ConstantPool; zoneEnd: number } {
  const cp = new ConstantPool();
  const g = new Generator(cp);
  const starts: Label[] = [];
  for (let e = 0; e < units; e++) starts.push(g.label());
  const epilogue = g.label();
  const laidOut: CodeNode[][] = new Array(units);
  for (let e = 0; e < units; e++) {
    const pos = layoutPosition(e, units);
    laidOut[pos] = g.unit(starts[e]!, e + 1 < units ? starts[e + 1]! : epilogue, pos < tryUnits);
  }
  const nodes: CodeNode[] = [
    { kind: "simple", op: Op.LCONST_0 },
    { kind: "local", op: Op.LSTORE, index: SUM },
  ];
  let zoneEnd = nodes.length;
  laidOut.forEach((u, pos) => {
    for (const node of u) nodes.push(node);
    if (pos < tryUnits) zoneEnd = nodes.length;
  });
  nodes.push({ kind: "label", label: epilogue }, { kind: "local", op: Op.LLOAD, index: SUM }, { kind: "simple", op: Op.LRETURN });
  const body: MethodBody = { maxStack: 8, maxLocals: LOCALS, nodes, labelCount: g.labelCount, handlers: g.handlers, hasStackMapTable: false, otherAttributes: [] };
  return { body, cp, zoneEnd };
}

/**
 * An upper bound on the offset where the zone ends: the zone's nodes encoded alone
 * (labels they jump to outside it placed after them), plus 2 bytes per goto that
 * may be goto_w in the whole method but not here.
 */
function zoneBytes(body: MethodBody, cp: ConstantPool, zoneEnd: number): number {
  const nodes = body.nodes.slice(0, zoneEnd);
  const placed = new Set<number>();
  let gotos = 0;
  for (const n of nodes) {
    if (n.kind === "label") placed.add(n.label);
    if (n.kind === "jump") gotos++;
  }
  const tail: CodeNode[] = [];
  for (const n of nodes) {
    const targets = n.kind === "jump" ? [n.target] : n.kind === "tableswitch" || n.kind === "lookupswitch" ? [n.defaultTarget, ...n.targets] : [];
    for (const t of targets) {
      if (placed.has(t)) continue;
      placed.add(t);
      tail.push({ kind: "label", label: t });
    }
  }
  const prefix: MethodBody = { ...body, nodes: [...nodes, ...tail, { kind: "simple", op: Op.RETURN }], handlers: [] };
  return encodeBody(prefix, cp).code.length + 2 * gotos;
}

/**
 * The largest method of whole units whose code is at most `bytes` long (at least
 * one unit). Deterministic: units are drawn from one PRNG stream in execution order.
 */
export function validMethod(bytes: number): ValidMethod {
  const size = (units: number) => {
    // The zone shrinks until every pc in it surely fits in u2.
    for (let tryUnits = Math.floor(TRY_ZONE / UNIT_BYTES); ; tryUnits = Math.floor(tryUnits * 0.9)) {
      const m = build(units, tryUnits);
      if (tryUnits === 0 || zoneBytes(m.body, m.cp, m.zoneEnd) <= 0xffff) return { ...m, codeBytes: encodeBody(m.body, m.cp).code.length };
    }
  };
  let units = 16;
  let m = size(units);
  // Scale by the measured bytes per unit until the size is close, then step down to fit.
  for (let k = 0; k < 4; k++) {
    const next = Math.max(1, Math.floor((units * bytes) / m.codeBytes));
    if (next === units) break;
    units = next;
    m = size(units);
  }
  while (m.codeBytes > bytes && units > 1) {
    units -= Math.max(1, Math.floor(((m.codeBytes - bytes) * units) / m.codeBytes));
    m = size(units);
  }
  return { body: m.body, cp: m.cp, units, codeBytes: m.codeBytes };
}

/** The verifier's view of the JDK classes the method uses (what HotSpot's merge would find). */
export function smallHierarchy(): CachedClassHierarchy {
  const supers: Record<string, string | undefined> = {
    "java/lang/Object": undefined,
    "java/lang/String": "java/lang/Object",
    "java/lang/AbstractStringBuilder": "java/lang/Object",
    "java/lang/StringBuilder": "java/lang/AbstractStringBuilder",
    "java/lang/Number": "java/lang/Object",
    "java/lang/Integer": "java/lang/Number",
    "java/lang/Throwable": "java/lang/Object",
    "java/lang/Exception": "java/lang/Throwable",
    "java/lang/RuntimeException": "java/lang/Exception",
    "java/lang/ArithmeticException": "java/lang/RuntimeException",
    "java/lang/IllegalStateException": "java/lang/RuntimeException",
    "java/util/AbstractCollection": "java/lang/Object",
    "java/util/AbstractList": "java/util/AbstractCollection",
    "java/util/ArrayList": "java/util/AbstractList",
  };
  const interfaces = new Set(["java/util/List", "java/util/Collection", "java/lang/CharSequence"]);
  const classes = new Map<string, ClassFile>();
  const model = (name: string, superName: string | undefined, isInterface: boolean): ClassFile => {
    const cp = new ConstantPool();
    return {
      minorVersion: 0, majorVersion: 52, constantPool: cp,
      accessFlags: isInterface ? Access.INTERFACE | Access.ABSTRACT | Access.PUBLIC : Access.PUBLIC,
      thisClass: cp.addClass(name), superClass: superName === undefined ? 0 : cp.addClass(superName),
      interfaces: [], fields: [], methods: [], attributes: [],
    };
  };
  for (const [name, s] of Object.entries(supers)) classes.set(name, model(name, s, false));
  for (const name of interfaces) classes.set(name, model(name, "java/lang/Object", true));
  const source: ClassSource = { name: "valid-method", lookup: (n) => classes.get(n) };
  return new CachedClassHierarchy([source]);
}

/**
 * The class around a generated method of at most `bytes` bytes of code:
 * `public class ValidMethod { public static long run(int seed); public static void
 * main(String[] a) { System.out.println(run(Integer.parseInt(a[0]))); } }`, version
 * 52, with a StackMapTable computed by passes/stackmap.ts (`hierarchy`: the
 * small one above unless given, e.g. the real JDK's). Over 65,535 bytes it can only
 * be written with `enforceJvmLimits: false` (and not loaded).
 */
export function validMethodClass(bytes: number, hierarchy: ClassHierarchy = smallHierarchy()): { classFile: ClassFile; method: ValidMethod; framed: MethodBody } {
  const method = validMethod(bytes);
  const cp = method.cp;
  const runInfo: MethodInfo = { accessFlags: Access.PUBLIC | Access.STATIC, nameIndex: cp.addUtf8(METHOD_NAME), descriptorIndex: cp.addUtf8(METHOD_DESCRIPTOR), attributes: [] };
  const classFile: ClassFile = {
    minorVersion: 0, majorVersion: 52, constantPool: cp, accessFlags: Access.PUBLIC | Access.SUPER,
    thisClass: cp.addClass(CLASS_NAME), superClass: cp.addClass("java/lang/Object"),
    interfaces: [], fields: [], methods: [runInfo], attributes: [],
  };
  const framed = computeStackMapFrames(method.body, methodContext(classFile, runInfo, { hierarchy }));
  runInfo.attributes.push(encodeBody(framed, cp));

  const mainCode: CodeNode[] = [
    { kind: "cp", op: Op.GETSTATIC, index: cp.addMemberRef("Fieldref", "java/lang/System", "out", "Ljava/io/PrintStream;") },
    { kind: "local", op: Op.ALOAD, index: 0 },
    { kind: "simple", op: Op.ICONST_0 },
    { kind: "simple", op: Op.AALOAD },
    { kind: "cp", op: Op.INVOKESTATIC, index: cp.addMemberRef("Methodref", "java/lang/Integer", "parseInt", "(Ljava/lang/String;)I") },
    { kind: "cp", op: Op.INVOKESTATIC, index: cp.addMemberRef("Methodref", CLASS_NAME, METHOD_NAME, METHOD_DESCRIPTOR) },
    { kind: "cp", op: Op.INVOKEVIRTUAL, index: cp.addMemberRef("Methodref", "java/io/PrintStream", "println", "(J)V") },
    { kind: "simple", op: Op.RETURN },
  ];
  const mainBody: MethodBody = { maxStack: 4, maxLocals: 1, nodes: mainCode, labelCount: 0, handlers: [], hasStackMapTable: false, otherAttributes: [] };
  classFile.methods.push({
    accessFlags: Access.PUBLIC | Access.STATIC,
    nameIndex: cp.addUtf8("main"),
    descriptorIndex: cp.addUtf8("([Ljava/lang/String;)V"),
    attributes: [encodeBody(mainBody, cp)],
  });
  return { classFile, method, framed };
}
