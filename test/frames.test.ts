/**
 * Frame inference (passes/frames.ts) and the StackMapTable writer
 * (passes/stackmap.ts) on small hand-written methods: `new` with branches before
 * its `<init>`, constructors calling this(...), long/double slots reused, nested
 * and overlapping try ranges, a handler that is also a loop head, switches,
 * reference merges through a fake hierarchy, uninitializedThis, declared frames as
 * facts, unreachable code, every compressed frame form, and scaling on a 1 MB
 * method. The framed classes are then loaded and linked by HotSpot under
 * -Xverify:all, which is the real judge of the frames.
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { decodeBody } from "../src/bytecode/decode.js";
import type { CodeNode, MethodBody } from "../src/bytecode/model.js";
import { Op } from "../src/bytecode/opcodes.js";
import { type ClassFile, codeOf } from "../src/classfile/model.js";
import { writeClass } from "../src/classfile/write.js";
import { assemble } from "../src/text/assemble.js";
import { formatFrames, inferFrames } from "../passes/frames.js";
import { type ClassHierarchy, type PassContext, methodContext } from "../passes/pass.js";
import { computeStackMapFrames, formatFramedBody, recomputeClassFrames, upgradeClass, withoutFrames } from "../passes/stackmap.js";
import { generateLongMethod } from "./support/long-method.js";
import { linkAll } from "./support/jvm.js";

/** A fake hierarchy: class -> super class; names in INTERFACES are interfaces. */
const SUPER: Record<string, string> = {
  "java/lang/Throwable": "java/lang/Object",
  "java/lang/Exception": "java/lang/Throwable",
  "java/lang/RuntimeException": "java/lang/Exception",
  "java/lang/IllegalStateException": "java/lang/RuntimeException",
  "java/lang/IllegalArgumentException": "java/lang/RuntimeException",
  "java/io/IOException": "java/lang/Exception",
  "java/lang/Number": "java/lang/Object",
  "java/lang/Integer": "java/lang/Number",
  "java/lang/Long": "java/lang/Number",
  "java/lang/String": "java/lang/Object",
  "java/lang/StringBuilder": "java/lang/Object",
};
const INTERFACES = new Set(["java/lang/Runnable", "java/lang/CharSequence", "java/lang/Comparable"]);

function chain(c: string): string[] {
  const out = [c];
  while (c !== "java/lang/Object") {
    c = SUPER[c] ?? "java/lang/Object";
    out.push(c);
  }
  return out;
}

const fakeHierarchy: ClassHierarchy = {
  isAssignable: (to, from) => to === from || INTERFACES.has(to) || chain(from).includes(to),
  commonSuperClass(a, b) {
    if (a === b) return a;
    if (INTERFACES.has(a) || INTERFACES.has(b) || a.startsWith("[") || b.startsWith("[")) return "java/lang/Object";
    const above = chain(a);
    return chain(b).find((c) => above.includes(c))!;
  },
};

function classOf(text: string): ClassFile {
  const [cf] = assemble(text);
  return cf!;
}

function methodOf(cf: ClassFile, name: string): { body: MethodBody; ctx: PassContext } {
  const m = cf.methods.find((x) => cf.constantPool.utf8(x.nameIndex) === name)!;
  const ctx = methodContext(cf, m, { hierarchy: fakeHierarchy });
  return { body: decodeBody(codeOf(m)!, cf.constantPool, ctx.where), ctx };
}

/** The frames of one method as `formatFrames` prints them. */
function framesOf(text: string, name: string): string {
  const { body, ctx } = methodOf(classOf(text), name);
  return formatFrames(inferFrames(body, ctx));
}

/** The StackMapTable written for one method, as `formatFramedBody` prints it. */
function tableOf(text: string, name: string): string {
  const { body, ctx } = methodOf(classOf(text), name);
  return formatFramedBody(computeStackMapFrames(withoutFrames(body), ctx), ctx);
}

const work = mkdtempSync(join(tmpdir(), "megasplit-frames-unit-"));
afterAll(() => rmSync(work, { recursive: true, force: true }));

function header(name: string, version = "52 0", superName = "java/lang/Object"): string {
  return `.version ${version}\n.class public super ${name}\n.super ${superName}\n`;
}

const NEW_TERNARY = `${header("NewTernary")}
.method public static make(Z)Ljava/lang/Integer;
    new java/lang/Integer
    dup
    iload_0
    ifeq L0
    iconst_1
    goto L1
L0:
    iconst_2
L1:
    invokespecial java/lang/Integer/<init>(I)V
    areturn
.end method
`;

const THIS_CTOR = `${header("ThisCtor")}
.method static flag()Z
    iconst_1
    ireturn
.end method

.method public <init>(I)V
    aload_0
    invokespecial java/lang/Object/<init>()V
    return
.end method

.method public <init>()V
    aload_0
    invokestatic ThisCtor/flag()Z
    ifeq L0
    iconst_1
    goto L1
L0:
    iconst_2
L1:
    invokespecial ThisCtor/<init>(I)V
    aload_0
    invokestatic ThisCtor/flag()Z
    ifeq L2
    aconst_null
    pop
L2:
    return
.end method
`;

const LONG_REUSE = `${header("LongReuse")}
.method public static f(Z)I
    lconst_1
    lstore_1
    iload_0
    ifeq L0
    iconst_3
    istore_2
    goto L1
L0:
    dconst_1
    dstore_1
L1:
    iload_0
    ifeq L2
    iconst_5
    istore_1
    iload_1
    ireturn
L2:
    lconst_0
    lstore_2
    iconst_0
    ireturn
.end method
`;

const TRY_RANGES = `${header("TryRanges")}
.method static g()V
    return
.end method

.method public static f(Ljava/lang/String;)I
    .catch java/lang/IllegalStateException from L0 to L2 using L3
    .catch java/lang/IllegalArgumentException from L1 to L4 using L5
    .catch all from L0 to L4 using L6
    iconst_0
    istore_1
L0:
    invokestatic TryRanges/g()V
    ldc "x"
    astore_2
L1:
    invokestatic TryRanges/g()V
    iconst_1
    istore_2
L2:
    invokestatic TryRanges/g()V
L4:
    iload_1
    ireturn
L3:
    astore_2
    iconst_2
    ireturn
L5:
    astore_3
    iconst_3
    ireturn
L6:
    athrow
.end method
`;

const HANDLER_LOOP = `${header("HandlerLoop")}
.method static g(I)V
    return
.end method

.method public static f(I)I
    .catch java/lang/Exception from L0 to L1 using L2
    goto L0
L2:
    astore_1
    iinc 0 -1
L0:
    iload_0
    ifle L3
    iload_0
    invokestatic HandlerLoop/g(I)V
    new java/lang/IllegalStateException
    dup
    invokespecial java/lang/IllegalStateException/<init>()V
    iload_0
    iconst_5
    if_icmpne L1
    goto L2
L1:
    athrow
L3:
    iload_0
    ireturn
.end method
`;

const SWITCHES = `${header("Switches")}
.method public static f(I)Ljava/lang/Object;
    aconst_null
    astore_1
    iload_0
    tableswitch 0 2
        L0
        L1
        L2
        default : L3
L0:
    ldc "zero"
    astore_1
    goto L4
L1:
    iload_0
    invokestatic java/lang/Integer/valueOf(I)Ljava/lang/Integer;
    astore_1
    goto L4
L2:
    lconst_1
    invokestatic java/lang/Long/valueOf(J)Ljava/lang/Long;
    astore_1
    goto L4
L3:
    iload_0
    lookupswitch
        7 : L5
        100 : L4
        default : L4
L5:
    fconst_1
    fstore_1
    aconst_null
    areturn
L4:
    aload_1
    areturn
.end method
`;

const MERGES = `${header("Merges")}
.method public static f(ILjava/lang/Runnable;Ljava/lang/String;)Ljava/lang/Object;
    iload_0
    ifeq L0
    new java/lang/Integer
    dup
    iconst_1
    invokespecial java/lang/Integer/<init>(I)V
    astore_3
    aload_1
    goto L1
L0:
    lconst_1
    invokestatic java/lang/Long/valueOf(J)Ljava/lang/Long;
    astore_3
    aload_2
L1:
    astore 4
    iload_0
    ifeq L2
    aconst_null
    goto L3
L2:
    aload_2
L3:
    astore 5
    aload_3
    areturn
.end method
`;

const UNINIT_THIS = `${header("UninitThis", "52 0", "java/lang/Exception")}
.method public <init>(Ljava/lang/String;)V
    aload_0
    aload_1
    ifnonnull L0
    ldc "none"
    goto L1
L0:
    aload_1
L1:
    invokespecial java/lang/Exception/<init>(Ljava/lang/String;)V
    aload_1
    ifnonnull L2
    return
L2:
    return
.end method
`;

describe("frame inference", () => {
  it("new with branches before its <init>: uninitialized(new) on the stack across the diamond", () => {
    expect(framesOf(NEW_TERNARY, "make")).toBe(
      [
        "max_stack 3 max_locals 1",
        "b0: locals [I] stack []",
        "b1: locals [I] stack [uninitialized(#0), uninitialized(#0)]",
        "b2: locals [I] stack [uninitialized(#0), uninitialized(#0)]",
        "b3: locals [I] stack [uninitialized(#0), uninitialized(#0), I]",
        "",
      ].join("\n"),
    );
    expect(tableOf(NEW_TERNARY, "make")).toBe(
      ["max_stack 3 max_locals 1", "L1: full locals [int] stack [uninitialized(L0) uninitialized(L0)]", "L2: full locals [int] stack [uninitialized(L0) uninitialized(L0) int]", ""].join("\n"),
    );
  });

  it("a constructor calling this(...): uninitializedThis until the call, the class after", () => {
    const cf = classOf(THIS_CTOR);
    const m = cf.methods[2]!;
    const ctx = methodContext(cf, m, { hierarchy: fakeHierarchy });
    const a = inferFrames(decodeBody(codeOf(m)!, cf.constantPool), ctx);
    expect(formatFrames(a)).toBe(
      [
        "max_stack 2 max_locals 1",
        "b0: locals [uninitializedThis] stack []",
        "b1: locals [uninitializedThis] stack [uninitializedThis]",
        "b2: locals [uninitializedThis] stack [uninitializedThis]",
        "b3: locals [uninitializedThis] stack [uninitializedThis, I]",
        "b4: locals [LThisCtor;] stack [LThisCtor;]",
        "b5: locals [LThisCtor;] stack [LThisCtor;]",
        "",
      ].join("\n"),
    );
  });

  it("long and double slots reused as other types: halves become top", () => {
    expect(framesOf(LONG_REUSE, "f")).toBe(
      [
        "max_stack 2 max_locals 4",
        "b0: locals [I] stack []",
        "b1: locals [I, J] stack []",
        "b2: locals [I, J] stack []",
        "b3: locals [I] stack []",
        "b4: locals [I] stack []",
        "b5: locals [I] stack []",
        "",
      ].join("\n"),
    );
  });

  it("nested and overlapping try ranges: handler locals merge over every covered instruction", () => {
    expect(framesOf(TRY_RANGES, "f")).toBe(
      [
        "max_stack 1 max_locals 4",
        "b0: locals [Ljava/lang/String;] stack []",
        "b1: locals [Ljava/lang/String;, I] stack []",
        "b2: locals [Ljava/lang/String;, I, Ljava/lang/String;] stack []",
        "b3: locals [Ljava/lang/String;, I, I] stack []",
        "b4: locals [Ljava/lang/String;, I, I] stack []",
        "b5: locals [Ljava/lang/String;, I] stack [Ljava/lang/IllegalStateException;]",
        "b6: locals [Ljava/lang/String;, I] stack [Ljava/lang/IllegalArgumentException;]",
        "b7: locals [Ljava/lang/String;, I] stack [Ljava/lang/Throwable;]",
        "",
      ].join("\n"),
    );
  });

  it("a handler that is also a loop head: the caught type and the jumping one merge", () => {
    expect(framesOf(HANDLER_LOOP, "f")).toContain("b1: locals [I] stack [Ljava/lang/Exception;]");
  });

  it("switches: every case's types merge at the join", () => {
    const text = framesOf(SWITCHES, "f");
    expect(text).toContain("b1: locals [I, null] stack []");
    expect(text).toMatch(/locals \[I, Ljava\/lang\/Object;\] stack \[\]\n$/);
  });

  it("reference merges through the hierarchy: common super class, interfaces to Object, null", () => {
    const text = framesOf(MERGES, "f");
    expect(text).toContain("b3: locals [I, Ljava/lang/Runnable;, Ljava/lang/String;, Ljava/lang/Number;] stack [Ljava/lang/Object;]");
    expect(text).toContain("b6: locals [I, Ljava/lang/Runnable;, Ljava/lang/String;, Ljava/lang/Number;, Ljava/lang/Object;] stack [Ljava/lang/String;]");
  });

  it("uninitializedThis before super(...) in a constructor", () => {
    expect(framesOf(UNINIT_THIS, "<init>")).toBe(
      [
        "max_stack 2 max_locals 2",
        "b0: locals [uninitializedThis, Ljava/lang/String;] stack []",
        "b1: locals [uninitializedThis, Ljava/lang/String;] stack [uninitializedThis]",
        "b2: locals [uninitializedThis, Ljava/lang/String;] stack [uninitializedThis]",
        "b3: locals [uninitializedThis, Ljava/lang/String;] stack [uninitializedThis, Ljava/lang/String;]",
        "b4: locals [LUninitThis;, Ljava/lang/String;] stack []",
        "b5: locals [LUninitThis;, Ljava/lang/String;] stack []",
        "",
      ].join("\n"),
    );
  });

  it("declared frames are the facts where they stand", () => {
    const text = `${header("Declared")}
.method public static f(Ljava/lang/Object;)V
    aload_0
    instanceof java/lang/String
    ifeq L0
    ldc "s"
    astore_0
L0:
    .stack full locals Object java/lang/Object stack
    return
.end method
`;
    expect(framesOf(text, "f")).toContain("b2 (declared): locals [Ljava/lang/Object;] stack []");
  });

  it("reports a declared frame that does not accept what flows in", () => {
    const text = `${header("Rejected")}
.method public static f(Ljava/lang/Object;)V
    .limit stack 1
    .limit locals 1
    aload_0
    instanceof java/lang/String
    ifeq L0
    ldc "s"
    astore_0
L0:
    .stack full locals Object java/lang/String stack
    return
.end method
`;
    const { body, ctx } = methodOf(classOf(text), "f");
    const a = inferFrames(body, ctx);
    expect(a.rejectedFrames.map((d) => d.message)).toEqual(["declared frame of block 2 rejects what flows in (local 0: Ljava/lang/Object; is not assignable to Ljava/lang/String;)"]);
  });

  it("reports a stack height mismatch at a join as E_FRAME", () => {
    const text = `${header("Bad")}
.method public static f(Z)I
    .limit stack 2
    .limit locals 1
    iload_0
    ifeq L0
    iconst_1
L0:
    iconst_2
    ireturn
.end method
`;
    const { body, ctx } = methodOf(classOf(text), "f");
    const a = inferFrames(body, ctx);
    expect(a.errors.map((e) => e.code)).toEqual(["E_FRAME"]);
    expect(() => computeStackMapFrames(body, ctx)).toThrow(/E_FRAME/);
  });

  it("frameBefore replays a block to any instruction", () => {
    const { body, ctx } = methodOf(classOf(NEW_TERNARY), "make");
    const a = inferFrames(body, ctx);
    const invoke = body.nodes.findIndex((n) => n.kind === "cp" && n.op === Op.INVOKESPECIAL);
    const f = a.frameBefore(invoke)!;
    expect(Array.from(f.stack).map((t) => a.types.format(t))).toEqual(["uninitialized(#0)", "uninitialized(#0)", "I"]);
  });
});

describe("StackMapTable writer", () => {
  it("uses every compressed form, relative to the previous frame", () => {
    const text = `${header("Forms")}
.method public static f(I)I
    iload_0
    ifeq L4
    iconst_1
    istore_1
    iconst_2
    istore_2
    lconst_0
    lstore_3
L0:
    iload_1
    iload_2
    if_icmpge L1
    iinc 1 1
    lload_3
    l2i
    pop
    goto L0
L1:
    iload_1
    iload_0
    iadd
    ifne L2
    iconst_0
    goto L3
L2:
    iconst_1
L3:
    ireturn
L4:
    new java/lang/StringBuilder
    dup
    iload_0
    ifeq L5
    iconst_1
    goto L6
L5:
    iconst_2
L6:
    invokespecial java/lang/StringBuilder/<init>(I)V
    pop
    iconst_0
    ireturn
.end method
`;
    expect(tableOf(text, "f")).toBe(
      [
        "max_stack 3 max_locals 5",
        "L0: append int int long",
        "L1: chop 2",
        "L2: chop 1",
        "L3: same_locals_1_stack_item int",
        "L4: same",
        "L5: full locals [int] stack [uninitialized(L4) uninitialized(L4)]",
        "L6: full locals [int] stack [uninitialized(L4) uninitialized(L4) int]",
        "",
      ].join("\n"),
    );
  });

  it("unreachable code becomes nop...athrow under a full frame, and leaves the handler ranges", () => {
    const text = `${header("Dead")}
.method public static f()I
    .catch java/lang/Exception from L0 to L2 using L3
L0:
    iconst_1
    ireturn
    iconst_2
    ireturn
L2:
    nop
L3:
    pop
    iconst_3
    ireturn
.end method
`;
    const cf = classOf(text);
    const { body, ctx } = methodOf(cf, "f");
    const out = computeStackMapFrames(withoutFrames(body), ctx);
    const ops = out.nodes.filter((n: CodeNode) => n.kind === "simple").map((n) => (n as { op: number }).op);
    expect(ops).toEqual([Op.ICONST_1, Op.IRETURN, Op.NOP, Op.NOP, Op.ATHROW, Op.POP, Op.ICONST_3, Op.IRETURN]);
    expect(out.handlers.length).toBe(1);
    expect(formatFramedBody(out, ctx)).toContain("full locals [] stack [Ljava/lang/Throwable;]");
  });

  it("handles the 1 MB generated method in near-linear time", () => {
    const { body, cp } = generateLongMethod();
    const cf: ClassFile = { minorVersion: 0, majorVersion: 52, constantPool: cp, accessFlags: 0x21, thisClass: cp.addClass("Long"), superClass: cp.addClass("java/lang/Object"), interfaces: [], fields: [], methods: [], attributes: [] };
    const method = { accessFlags: 0x9, nameIndex: cp.addUtf8("m"), descriptorIndex: cp.addUtf8("()V"), attributes: [] };
    const ctx = methodContext(cf, method);
    const t0 = performance.now();
    const a = inferFrames(body, ctx, { useDeclaredFrames: false });
    const ms = performance.now() - t0;
    console.log(`long method: ${body.nodes.length} nodes, ${a.cfg.blockCount} blocks, inferred in ${ms.toFixed(0)} ms`);
    expect(a.entry.filter((f) => f !== undefined).length).toBeGreaterThan(1000);
  });
});

describe("the JVM accepts the frames", () => {
  it("links every class of these tests, re-framed, and old classes upgraded to 51", async () => {
    const texts = [NEW_TERNARY, THIS_CTOR, LONG_REUSE, TRY_RANGES, HANDLER_LOOP, SWITCHES, MERGES, UNINIT_THIS];
    const dir = join(work, "classes");
    mkdirSync(dir, { recursive: true });
    for (const t of texts) {
      const cf = recomputeClassFrames(classOf(t), fakeHierarchy, { strict: true });
      writeFileSync(join(dir, `${cf.constantPool.className(cf.thisClass)}.class`), writeClass(cf));
    }
    // The same code as a version 49 class (no frames), upgraded.
    const old = upgradeClass(classOf(MERGES.replace(".version 52 0", ".version 49 0").replace("Merges", "OldMerges")), fakeHierarchy);
    expect(old.majorVersion).toBe(51);
    writeFileSync(join(dir, "OldMerges.class"), writeClass(old));
    const result = await linkAll(dir);
    expect(result.failures).toEqual([]);
    expect(result.linked).toBe(texts.length + 1);
  });
});
