/**
 * Test programs for test/split-interfaces.test.ts, as Jasmin text (our assembler's
 * syntax) so that the class version, the interface flags and the constant pool
 * are exactly what each case needs: an interface with a huge static method and a
 * huge default method (version 61 or 52); a version-51 interface whose huge
 * `<clinit>` fills `static final` arrays (straight-line, so no StackMapTable is
 * needed before the split); and a version-61 class whose constant pool is filled
 * to within a few entries of 65,535 by fields with distinct constant values, with
 * a huge instance method that reaches private members, a protected member of a
 * superclass in another package, and its superclass's method through invokespecial.
 *
 * Every huge method computes a long checksum of its argument through arithmetic,
 * if/else, small counted loops, string hashes and calls, one `.line` per unit, so
 * a run prints numbers that change if any piece misbehaves. Frames (version 50 and
 * up) are computed by passes/stackmap.ts after assembling. Deterministic: the same
 * arguments give the same text.
 */
import { mkdirSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { assemble } from "../../src/text/assemble.js";
import { writeClass } from "../../src/classfile/write.js";
import { decodeBody } from "../../src/bytecode/decode.js";
import { encodeBody } from "../../src/bytecode/encode.js";
import { Access, type ClassFile, codeOf } from "../../src/classfile/model.js";
import { computeStackMapFrames } from "../../passes/stackmap.js";
import { methodContext } from "../../passes/pass.js";
import { prng } from "./prng.js";

/** Extra unit templates a case adds to the checksum body (`A` is the long accumulator slot, `S` the seed). */
export type ExtraUnit = (n: number, slots: { S: number; A: number }) => string[];

/**
 * The body of `long name(int seed)`: `units` units, each starting at its own line
 * `firstLine + k`. `self` is 1 for an instance method (slot 0 is `this`).
 */
export function checksumBody(units: number, seed: number, self: 0 | 1, firstLine: number, extras: ExtraUnit[] = [], fixed: Record<number, ExtraUnit> = {}): string[] {
  const rnd = prng(seed);
  const S = self, A = self + 1, I = self + 3;
  const out: string[] = [`    iload ${S}`, "    i2l", "    ldc2_w 31", "    lmul", `    lstore ${A}`];
  const long = () => String(BigInt(Math.floor(rnd() * 2 ** 31)) * 7919n + 1n);
  for (let n = 0; n < units; n++) {
    out.push(`    .line ${firstLine + n}`);
    const kind = Math.floor(rnd() * (4 + extras.length));
    if (fixed[n]) {
      out.push(...fixed[n]!(n, { S, A }));
      continue;
    }
    switch (kind) {
      case 0:
        out.push(`    lload ${A}`, `    ldc2_w ${long()}`, "    lmul", `    iload ${S}`, "    i2l", "    ladd", `    lload ${A}`, "    bipush 13", "    lushr", "    lxor", `    lstore ${A}`);
        break;
      case 1: {
        const v = 64 + Math.floor(rnd() * 1000);
        out.push(`    lload ${A}`, "    l2i", `    sipush ${v}`, "    iand", `    sipush ${v >> 1}`, `    if_icmplt Else${n}`);
        out.push(`    lload ${A}`, `    ldc2_w ${long()}`, "    ladd", `    lstore ${A}`, `    goto Join${n}`);
        out.push(`Else${n}:`, `    lload ${A}`, `    ldc2_w ${long()}`, "    lxor", `    lstore ${A}`, `Join${n}:`);
        break;
      }
      case 2:
        out.push("    iconst_0", `    istore ${I}`, `Loop${n}:`, `    iload ${I}`, "    iconst_3", `    if_icmpge Done${n}`);
        out.push(`    lload ${A}`, `    iload ${I}`, "    i2l", "    ladd", `    ldc2_w ${long()}`, "    lmul", `    lstore ${A}`, `    iinc ${I} 1`, `    goto Loop${n}`, `Done${n}:`);
        break;
      case 3:
        out.push(`    lload ${A}`, `    ldc "w${n}-${Math.floor(rnd() * 1e6)}"`, "    invokevirtual java/lang/String/hashCode()I", "    i2l", "    lxor", `    lstore ${A}`);
        break;
      default:
        out.push(...extras[kind - 4]!(n, { S, A }));
    }
  }
  out.push(`    lload ${A}`, "    lreturn");
  return out;
}

/** `System.out.println(<long on the stack>)` around `push`. */
function printLong(push: string[]): string[] {
  return ["    getstatic java/lang/System/out Ljava/io/PrintStream;", ...push, "    invokevirtual java/io/PrintStream/println(J)V"];
}

/**
 * Package `pkg`: interface `Calc` (version `version`) with `static long big(int)`
 * and `default long dflt(int)` of `units` units each, a private static `mix(J)J`
 * both call, and an abstract `k()I` the default method calls on `this`; class
 * `Main` implements it and prints both methods for seeds 0..3.
 */
export function interfaceCaseText(pkg: string, version: number, units: number): string {
  const mix: ExtraUnit = (_n, { A }) => [`    lload ${A}`, `    invokestatic InterfaceMethod ${pkg}/Calc/mix(J)J`, `    lstore ${A}`];
  const k: ExtraUnit = (_n, { A }) => [`    lload ${A}`, "    aload_0", `    invokeinterface ${pkg}/Calc/k()I 1`, "    i2l", "    ladd", `    lstore ${A}`];
  const main: string[] = [];
  for (let s = 0; s < 4; s++) {
    main.push(...printLong([`    bipush ${s * 17}`, `    invokestatic InterfaceMethod ${pkg}/Calc/big(I)J`]));
    main.push(...printLong([`    new ${pkg}/Main`, "    dup", `    invokespecial ${pkg}/Main/<init>()V`, `    bipush ${s * 17}`, `    invokevirtual ${pkg}/Main/dflt(I)J`]));
  }
  return `; Generated by test/support/interface-case.ts (interfaceCaseText)
.version ${version} 0
.source Calc.java
.interface public abstract ${pkg}/Calc
.super java/lang/Object

.method private static mix(J)J
    lload_0
    lload_0
    bipush 17
    lshl
    lxor
    lreturn
.end method

.method public abstract k()I
.end method

.method public static big(I)J
${checksumBody(units, 1, 0, 10, [mix]).join("\n")}
.end method

.method public dflt(I)J
${checksumBody(units, 2, 1, 10 + units, [mix, k]).join("\n")}
.end method
.end class

.version ${version} 0
.source Main.java
.class public super ${pkg}/Main
.super java/lang/Object
.implements ${pkg}/Calc

.method public <init>()V
    aload_0
    invokespecial java/lang/Object/<init>()V
    return
.end method

.method public k()I
    bipush 7
    ireturn
.end method

.method public static main([Ljava/lang/String;)V
${main.join("\n")}
    return
.end method
.end class
`;
}

/**
 * Package `pkg`: interface `Tables` (version `version`, below 52) whose `<clinit>`
 * fills `static final int[] INTS` (`ints` values) and `String[] NAMES` (`names`
 * values) element by element and computes `static final long DIGEST` from them,
 * all straight-line; class `Main` prints their hashes, lengths, the digest and
 * whether the fields are final.
 */
export function oldInterfaceCaseText(pkg: string, version: number, ints: number, names: number): string {
  const rnd = prng(version);
  const clinit: string[] = [`    sipush ${ints}`, "    newarray int"];
  for (let i = 0; i < ints; i++) {
    if (i % 40 === 0) clinit.push(`    .line ${10 + i / 40}`);
    clinit.push("    dup", `    sipush ${i}`, `    ldc ${Math.floor(rnd() * 2 ** 31) - 2 ** 30}`, "    iastore");
  }
  clinit.push(`    putstatic ${pkg}/Tables/INTS [I`, `    sipush ${names}`, "    anewarray java/lang/String");
  for (let i = 0; i < names; i++) {
    if (i % 40 === 0) clinit.push(`    .line ${1000 + i / 40}`);
    clinit.push("    dup", `    sipush ${i}`, `    ldc "n${i}-${Math.floor(rnd() * 1e9)}"`, "    aastore");
  }
  clinit.push(
    `    putstatic ${pkg}/Tables/NAMES [Ljava/lang/String;`,
    `    getstatic ${pkg}/Tables/INTS [I`,
    "    invokestatic java/util/Arrays/hashCode([I)I",
    "    i2l",
    "    ldc2_w 1000003",
    "    lmul",
    `    getstatic ${pkg}/Tables/NAMES [Ljava/lang/String;`,
    "    invokestatic java/util/Arrays/hashCode([Ljava/lang/Object;)I",
    "    i2l",
    "    ladd",
    `    putstatic ${pkg}/Tables/DIGEST J`,
    "    return",
  );
  const isFinal = (field: string) => [
    "    getstatic java/lang/System/out Ljava/io/PrintStream;",
    `    ldc Class ${pkg}/Tables`,
    `    ldc "${field}"`,
    "    invokevirtual java/lang/Class/getDeclaredField(Ljava/lang/String;)Ljava/lang/reflect/Field;",
    "    invokevirtual java/lang/reflect/Field/getModifiers()I",
    "    invokevirtual java/io/PrintStream/println(I)V",
  ];
  return `; Generated by test/support/interface-case.ts (oldInterfaceCaseText)
.version ${version} 0
.source Tables.java
.interface public abstract ${pkg}/Tables
.super java/lang/Object
.field public static final INTS [I
.field public static final NAMES [Ljava/lang/String;
.field public static final DIGEST J

.method static <clinit>()V
    .limit stack 8
    .limit locals 0
${clinit.join("\n")}
.end method
.end class

.version ${version} 0
.source Main.java
.class public super ${pkg}/Main
.super java/lang/Object

.method public static main([Ljava/lang/String;)V
    getstatic java/lang/System/out Ljava/io/PrintStream;
    getstatic ${pkg}/Tables/INTS [I
    invokestatic java/util/Arrays/hashCode([I)I
    invokevirtual java/io/PrintStream/println(I)V
    getstatic java/lang/System/out Ljava/io/PrintStream;
    getstatic ${pkg}/Tables/INTS [I
    arraylength
    invokevirtual java/io/PrintStream/println(I)V
    getstatic java/lang/System/out Ljava/io/PrintStream;
    getstatic ${pkg}/Tables/NAMES [Ljava/lang/String;
    invokestatic java/util/Arrays/hashCode([Ljava/lang/Object;)I
    invokevirtual java/io/PrintStream/println(I)V
    getstatic java/lang/System/out Ljava/io/PrintStream;
    getstatic ${pkg}/Tables/NAMES [Ljava/lang/String;
    sipush ${names - 1}
    aaload
    invokevirtual java/io/PrintStream/println(Ljava/lang/String;)V
    getstatic java/lang/System/out Ljava/io/PrintStream;
    getstatic ${pkg}/Tables/DIGEST J
    invokevirtual java/io/PrintStream/println(J)V
${["INTS", "NAMES", "DIGEST"].flatMap(isFinal).join("\n")}
    return
.end method
.end class
`;
}

/**
 * Package `pkg`: class `Big extends <pkg>base/Base` (version `version`) with the huge
 * `long run(int)`, a private `priv(I)I` and a private static `counter` it uses,
 * calls of Base's protected `base(I)I` (through invokespecial and, inherited,
 * through invokevirtual on Big), and `main` printing `run` for seeds 0..3 and the
 * counter. `nestHost` makes Big a nest member of `<pkg>/Outer` (also written);
 * otherwise (from version 55) Big is the host of a nest with `Big$Inner`, which
 * reads the counter.
 * The constant pool is filled by `fillConstantPool` after assembling.
 */
export function nestCaseText(pkg: string, units: number, nestHost: boolean, version = 61): string {
  const base = `${pkg}base/Base`;
  const priv: ExtraUnit = (_n, { S, A }) => [`    lload ${A}`, "    aload_0", `    iload ${S}`, `    invokevirtual ${pkg}/Big/priv(I)I`, "    i2l", "    ladd", `    lstore ${A}`];
  const counter: ExtraUnit = () => [`    getstatic ${pkg}/Big/counter I`, "    iconst_1", "    iadd", `    putstatic ${pkg}/Big/counter I`];
  const superCall: ExtraUnit = (_n, { S, A }) => [`    lload ${A}`, "    aload_0", `    iload ${S}`, `    invokespecial ${base}/base(I)I`, "    i2l", "    ladd", `    lstore ${A}`];
  const inherited: ExtraUnit = (_n, { S, A }) => [`    lload ${A}`, "    aload_0", `    iload ${S}`, `    invokevirtual ${pkg}/Big/base(I)I`, "    i2l", "    lxor", `    lstore ${A}`];
  const third = Math.floor(units / 3);
  const inner = !nestHost && version >= 55;
  const main: string[] = [];
  for (let s = 0; s < 4; s++) {
    main.push(...printLong([`    new ${pkg}/Big`, "    dup", `    invokespecial ${pkg}/Big/<init>()V`, `    bipush ${s * 13}`, `    invokevirtual ${pkg}/Big/run(I)J`]));
  }
  main.push("    getstatic java/lang/System/out Ljava/io/PrintStream;", `    getstatic ${pkg}/Big/counter I`, "    invokevirtual java/io/PrintStream/println(I)V");
  if (inner) main.push("    getstatic java/lang/System/out Ljava/io/PrintStream;", `    invokestatic ${pkg}/Big$Inner/peek()I`, "    invokevirtual java/io/PrintStream/println(I)V");
  return `; Generated by test/support/interface-case.ts (nestCaseText)
.version 61 0
.source Base.java
.class public super ${base}
.super java/lang/Object

.method public <init>()V
    aload_0
    invokespecial java/lang/Object/<init>()V
    return
.end method

.method protected base(I)I
    iload_1
    bipush 11
    imul
    ireturn
.end method
.end class

.version ${version} 0
.source Big.java
.class public super ${pkg}/Big
.super ${base}
${nestHost ? `.nesthost ${pkg}/Outer\n` : inner ? `.nestmembers ${pkg}/Big$Inner\n` : ""}.field private static counter I

.method public <init>()V
    aload_0
    invokespecial ${base}/<init>()V
    return
.end method

.method private priv(I)I
    iload_1
    iconst_3
    imul
    ireturn
.end method

.method public run(I)J
${checksumBody(units, 3, 1, 10, [priv, counter], { [third]: superCall, [third + 1]: inherited, [2 * third]: inherited, [2 * third + 1]: superCall }).join("\n")}
.end method

.method public static main([Ljava/lang/String;)V
${main.join("\n")}
    return
.end method
.end class
${
  inner
    ? `
.version 61 0
.class public super ${pkg}/Big$Inner
.super java/lang/Object
.nesthost ${pkg}/Big

.method static peek()I
    getstatic ${pkg}/Big/counter I
    ireturn
.end method
.end class
`
    : nestHost
      ? `
.version 61 0
.class public super ${pkg}/Outer
.super java/lang/Object
.nestmembers ${pkg}/Big
.end class
`
      : ""
}`;
}

/** Adds `static final int` fields with distinct constant values until the pool has `free` slots left. */
export function fillConstantPool(cf: ClassFile, free: number): number {
  const cp = cf.constantPool;
  const desc = cp.addUtf8("I");
  const cv = cp.addUtf8("ConstantValue");
  let k = 0;
  // Each field adds a Utf8 name and an Integer.
  while (cp.count + 2 <= 65535 - free) {
    cf.fields.push({
      accessFlags: Access.STATIC | Access.FINAL,
      nameIndex: cp.addUtf8(`filler${k}`),
      descriptorIndex: desc,
      attributes: [{ kind: "ConstantValue", nameIndex: cv, valueIndex: cp.addInteger(0x5eed0000 + k) }],
    });
    k++;
  }
  return k;
}

/**
 * Assembles `text` into `outDir` (one class file per class), with frames computed
 * for every method with branches of a class of version 50 and up; `edit` may
 * change a class before it is written.
 */
export function assembleCase(text: string, outDir: string, edit?: (cf: ClassFile, name: string) => void): string[] {
  const names: string[] = [];
  for (const cf of assemble(text)) {
    const cp = cf.constantPool;
    const name = cp.className(cf.thisClass);
    if (cf.majorVersion >= 50) {
      cf.methods = cf.methods.map((m) => {
        const code = codeOf(m);
        if (!code) return m;
        const body = decodeBody(code, cp);
        if (!body.nodes.some((n) => n.kind === "jump" || n.kind === "tableswitch" || n.kind === "lookupswitch")) return m;
        const framed = computeStackMapFrames(body, methodContext(cf, m));
        const encoded = encodeBody({ ...framed, hasStackMapTable: true }, cp);
        return { ...m, attributes: m.attributes.map((a) => (a === code ? { ...encoded, nameIndex: code.nameIndex } : a)) };
      });
    }
    edit?.(cf, name);
    const path = join(outDir, `${name}.class`);
    mkdirSync(dirname(path), { recursive: true });
    writeFileSync(path, writeClass(cf));
    names.push(name);
  }
  return names;
}
