/**
 * Assembler text for the leaf blocks of a random program (model.ts): straight-
 * line arithmetic, throws, scratch-slot reuse and calls. Each leaf draws its
 * instructions from its own seed, so it emits the same code wherever it sits.
 * Every leaf starts and ends with an empty operand stack and folds what it
 * computed into the checksum (`mix*`), so any difference in any value shows in
 * the program's output.
 */
import { prng } from "../prng.js";
import type { EmitContext } from "./emit-context.js";

export type Rand = () => number;

export function pick<T>(r: Rand, xs: readonly T[]): T {
  return xs[Math.floor(r() * xs.length)]!;
}

export function int(r: Rand, lo: number, hi: number): number {
  return lo + Math.floor(r() * (hi - lo + 1));
}

/** The shortest push of an int constant. */
export function pushInt(k: number): string {
  if (k >= -1 && k <= 5) return k === -1 ? "iconst_m1" : `iconst_${k}`;
  if (k >= -128 && k <= 127) return `bipush ${k}`;
  if (k >= -32768 && k <= 32767) return `sipush ${k}`;
  return `ldc ${k}`;
}

/** checksum = checksum * 1000003 + (long) <int on the stack>. */
export function mixIntTop(c: EmitContext): void {
  c.emit("i2l");
  mixLongTop(c);
}

/** checksum = checksum * 1000003 + <long on the stack>. */
export function mixLongTop(c: EmitContext): void {
  c.emit(`lload ${c.layout.checksum}`, "ldc2_w 1000003L", "lmul", "ladd", `lstore ${c.layout.checksum}`);
}

/** Folds the string form of the exception in `slot` (class and message) into the checksum. */
export function mixException(c: EmitContext, slot: number): void {
  c.emit(`aload ${slot}`, "invokevirtual java/lang/Object/toString()Ljava/lang/String;", "invokevirtual java/lang/String/hashCode()I");
  mixIntTop(c);
}

const INT_OPS = ["iadd", "isub", "imul", "ixor", "iand", "ior", "ishl", "ishr", "iushr"];
const LONG_OPS = ["ladd", "lsub", "lmul", "lxor", "land", "lor"];
const DOUBLE_OPS = ["dadd", "dsub", "dmul", "ddiv"];

/** 3 to 10 operations over the state, some of which throw now and then (division by zero, array bounds). */
export function emitArith(c: EmitContext, seed: number): void {
  const r = prng(seed);
  const { ints, longs, doubles } = c.layout;
  const I = () => pick(r, ints);
  const L = () => pick(r, longs);
  const D = () => pick(r, doubles);
  const n = int(r, 3, 10);
  for (let k = 0; k < n; k++) {
    switch (int(r, 0, 12)) {
      case 0:
      case 1:
        c.emit(`iload ${I()}`, `iload ${I()}`, pick(r, INT_OPS), `istore ${I()}`);
        break;
      case 2:
        c.emit(`iinc ${I()} ${int(r, -128, 127)}`);
        break;
      case 3:
        c.emit(`lload ${L()}`, `lload ${L()}`, pick(r, LONG_OPS), `lstore ${L()}`);
        break;
      case 4:
        c.emit(`lload ${L()}`, `iload ${I()}`, pick(r, ["lshl", "lshr", "lushr"]), `lstore ${L()}`);
        break;
      case 5:
        c.emit(`iload ${I()}`, "i2l", `lload ${L()}`, "ladd", `lstore ${L()}`);
        break;
      case 6:
        c.emit(`dload ${D()}`, `dload ${D()}`, pick(r, DOUBLE_OPS), `dstore ${D()}`);
        break;
      case 7:
        c.emit(`iload ${I()}`, "i2d", `dload ${D()}`, "dadd", `dstore ${D()}`);
        break;
      case 8:
        c.emit(`dload ${D()}`, pick(r, ["d2i", "d2l\n    l2i"]), `iload ${I()}`, "iadd", `istore ${I()}`);
        break;
      case 9:
        // Division by zero when the divisor is a multiple of the modulus.
        c.emit(`iload ${I()}`, `iload ${I()}`, pushInt(int(r, 13, 41)), "irem", pick(r, ["idiv", "irem"]), `istore ${I()}`);
        break;
      case 10:
        c.emit(`lload ${L()}`, `lload ${L()}`, `ldc2_w ${int(r, 11, 37)}L`, "lrem", "ldiv", `lstore ${L()}`);
        break;
      case 11: {
        // Index 0..15 into 14 to 16 elements: past the end now and then (ArrayIndexOutOfBoundsException).
        const len = int(r, 14, 16);
        c.emit(pushInt(len), "newarray int", `iload ${I()}`, "bipush 15", "iand", "iaload", `iload ${I()}`, "iadd", `istore ${I()}`);
        break;
      }
      default:
        c.emit(`lload ${L()}`, `lload ${L()}`, "lcmp", `iload ${I()}`, "iadd", `istore ${I()}`);
    }
  }
  for (let k = int(r, 1, 2); k > 0; k--) {
    const which = int(r, 0, 2);
    if (which === 0) {
      c.emit(`iload ${I()}`);
      mixIntTop(c);
    } else if (which === 1) {
      c.emit(`lload ${L()}`);
      mixLongTop(c);
    } else {
      c.emit(`dload ${D()}`, "d2l");
      mixLongTop(c);
    }
  }
}

const THROWN = ["java/lang/IllegalStateException", "java/lang/IllegalArgumentException", "java/lang/Exception", "java/lang/Error", "java/lang/UnsupportedOperationException", "java/lang/ArithmeticException"];

/** Throws a new exception when an int of the state is a multiple of 2 to 9. */
export function emitThrow(c: EmitContext, seed: number): void {
  const r = prng(seed);
  const skip = c.label();
  const type = pick(r, THROWN);
  c.emit(`iload ${pick(r, c.layout.ints)}`, pushInt(int(r, 3, 13)), "irem", `ifne ${skip}`);
  c.emit(`new ${type}`, "dup", `ldc "t${seed % 10007}"`, `invokespecial ${type}/<init>(Ljava/lang/String;)V`, "athrow");
  c.place(skip);
}

/** Two to four writes of the scratch slots with different types, each read back and mixed. */
export function emitScratch(c: EmitContext, seed: number): void {
  const r = prng(seed);
  const s = c.layout.scratch;
  for (let k = int(r, 2, 4); k > 0; k--) {
    switch (int(r, 0, 3)) {
      case 0: {
        const slot = s + int(r, 0, 2);
        c.emit(`lload ${pick(r, c.layout.longs)}`, `lstore ${slot}`, `lload ${slot}`);
        mixLongTop(c);
        break;
      }
      case 1: {
        const slot = s + int(r, 0, 2);
        c.emit(`dload ${pick(r, c.layout.doubles)}`, `dstore ${slot}`, `dload ${slot}`, "d2l");
        mixLongTop(c);
        break;
      }
      case 2: {
        const slot = s + int(r, 0, 3);
        c.emit(`iload ${pick(r, c.layout.ints)}`, `istore ${slot}`, `iinc ${slot} ${int(r, 1, 9)}`, `iload ${slot}`);
        mixIntTop(c);
        break;
      }
      default: {
        const slot = s + int(r, 0, 3);
        c.emit(`iload ${pick(r, c.layout.ints)}`, "invokestatic java/lang/Integer/valueOf(I)Ljava/lang/Integer;", `astore ${slot}`, `aload ${slot}`, "invokevirtual java/lang/Integer/hashCode()I");
        mixIntTop(c);
      }
    }
  }
}

/** Calls the synchronized static method, constructs an instance and reads its finals, or reads a static final. */
export function emitCall(c: EmitContext, seed: number): void {
  const r = prng(seed);
  const cls = c.className;
  switch (int(r, 0, 2)) {
    case 0:
      c.emit(`iload ${pick(r, c.layout.ints)}`, `invokestatic ${cls}/sm(I)J`);
      mixLongTop(c);
      break;
    case 1:
      c.emit(`new ${cls}`, "dup", `iload ${pick(r, c.layout.ints)}`, `invokespecial ${cls}/<init>(I)V`);
      c.emit(`astore ${c.layout.scratch + 3}`, `aload ${c.layout.scratch + 3}`, `getfield ${cls}/g J`);
      mixLongTop(c);
      c.emit(`aload ${c.layout.scratch + 3}`, `getfield ${cls}/f I`);
      mixIntTop(c);
      break;
    default:
      c.emit(`getstatic ${cls}/SF J`);
      mixLongTop(c);
  }
}
