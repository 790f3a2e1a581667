/**
 * inline-subroutines end to end: methods compiled the javac-1.4 way (class version
 * 49, jsr/ret, no frames) are inlined, checked with the internal verifier,
 * re-encoded and run on the JVM under -Xverify:all next to the original (HotSpot
 * still runs jsr/ret at version 49 with its old verifier); both must print the
 * same. Then the tables (handlers, lines, local variables) of the copies, the
 * placeholder for a subroutine that does not start with astore, and the malformed
 * cases (E_SUBROUTINE). Needs `java` (scripts/setup.sh installs it).
 */
import { execFileSync } from "node:child_process";
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { assemble } from "../src/text/assemble.js";
import { writeClass } from "../src/classfile/write.js";
import { readClass } from "../src/classfile/read.js";
import { decodeBody } from "../src/bytecode/decode.js";
import { encodeBody } from "../src/bytecode/encode.js";
import type { MethodBody } from "../src/bytecode/model.js";
import { Op } from "../src/bytecode/opcodes.js";
import { codeOf, type ClassFile, type MethodInfo } from "../src/classfile/model.js";
import { MegasplitError } from "../src/diagnostics.js";
import { methodContext, type PassContext } from "../passes/pass.js";
import { hasSubroutines, inlineSubroutines, inlineSubroutinesPass } from "../passes/inline-subroutines.js";
import { assertVerified, verifyBody } from "../passes/verify.js";

const MAIN = `; Subroutines compiled the javac-1.4 way (class version 49, jsr/ret, no frames).
; main runs every method m in 0..6 with x in 0..2 through t(m, x), which prints
; the result or the message of a RuntimeException.
.version 49 0
.class public Main
.super java/lang/Object

.method static p(Ljava/lang/String;)V
    .limit stack 2
    .limit locals 1
    getstatic java/lang/System/out Ljava/io/PrintStream;
    aload_0
    invokevirtual java/io/PrintStream/println(Ljava/lang/String;)V
    return
.end method

; try { if (x == 0) return "zero"; if (x == 1) throw new RuntimeException("boom"); p("body"); }
; finally { p("finally"); } return "done";   (jsr from the return, the normal exit and the catch-any handler)
.method static tryFinally(I)Ljava/lang/String;
    .limit stack 3
    .limit locals 4
    .var 0 is x I from Start to Last
    .catch all from Start to End using Any
Start:
    .line 10
    iload_0
    ifne NotZero
    ldc "zero"
    astore_1
    jsr Fin
    aload_1
    areturn
NotZero:
    .line 11
    iload_0
    iconst_1
    if_icmpne Body
    new java/lang/RuntimeException
    dup
    ldc "boom"
    invokespecial java/lang/RuntimeException/<init>(Ljava/lang/String;)V
    athrow
Body:
    .line 12
    ldc "body"
    invokestatic Main/p(Ljava/lang/String;)V
End:
    jsr Fin
    ldc "done"
    areturn
Any:
    astore_2
    jsr Fin
    aload_2
    athrow
Fin:
    .line 14
    astore_3
    ldc "finally"
    invokestatic Main/p(Ljava/lang/String;)V
    ret 3
Last:
.end method

; try { p("try"); if (x == 1) throw new RuntimeException("n1"); }
; finally { try { p("outer finally"); if (x == 2) throw new RuntimeException("n2"); } finally { p("inner finally"); } }
; return "nested done";   (the inner try/finally, with its own handler, lives in the outer subroutine)
.method static nested(I)Ljava/lang/String;
    .limit stack 3
    .limit locals 5
    .catch all from A to B using Any1
    .catch all from C to D using Any2
A:
    ldc "try"
    invokestatic Main/p(Ljava/lang/String;)V
    iload_0
    iconst_1
    if_icmpne B
    new java/lang/RuntimeException
    dup
    ldc "n1"
    invokespecial java/lang/RuntimeException/<init>(Ljava/lang/String;)V
    athrow
B:
    jsr Fin1
    ldc "nested done"
    areturn
Any1:
    astore_1
    jsr Fin1
    aload_1
    athrow
Fin1:
    astore_2
C:
    ldc "outer finally"
    invokestatic Main/p(Ljava/lang/String;)V
    iload_0
    iconst_2
    if_icmpne D
    new java/lang/RuntimeException
    dup
    ldc "n2"
    invokespecial java/lang/RuntimeException/<init>(Ljava/lang/String;)V
    athrow
D:
    jsr Fin2
    ret 2
Any2:
    astore_3
    jsr Fin2
    aload_3
    athrow
Fin2:
    astore 4
    ldc "inner finally"
    invokestatic Main/p(Ljava/lang/String;)V
    ret 4
.end method

; try { p("body"); if (x == 0) return "early"; } finally { p("finally throws"); throw new IllegalStateException("from finally"); }
; The subroutine never returns: no ret, it ends in athrow.
.method static finallyThrows(I)Ljava/lang/String;
    .limit stack 3
    .limit locals 3
    .catch all from A to B using Any
A:
    ldc "body"
    invokestatic Main/p(Ljava/lang/String;)V
    iload_0
    ifne B
    ldc "early"
    astore_1
    jsr Fin
    aload_1
    areturn
B:
    jsr Fin
    ldc "late"
    areturn
Any:
    astore_1
    jsr Fin
    aload_1
    athrow
Fin:
    astore_2
    ldc "finally throws"
    invokestatic Main/p(Ljava/lang/String;)V
    new java/lang/IllegalStateException
    dup
    ldc "from finally"
    invokespecial java/lang/IllegalStateException/<init>(Ljava/lang/String;)V
    athrow
.end method

; A subroutine called twice in a row, with branches and a loop meeting at its one
; ret, and a try/catch of its own (HotSpot's old verifier rejects a subroutine
; with two rets: "Multiple returns to single jsr").
.method static branches(I)Ljava/lang/String;
    .limit stack 2
    .limit locals 3
    .catch java/lang/NumberFormatException from P to Q using NFE
    jsr Sub
    jsr Sub
    ldc "branches done"
    areturn
Sub:
    astore_1
    iload_0
    ifeq Zero
    iconst_0
    istore_2
Loop:
    iload_2
    iload_0
    if_icmpge Ret
    ldc "loop"
    invokestatic Main/p(Ljava/lang/String;)V
    iinc 2 1
    goto Loop
Zero:
P:
    ldc "x"
    invokestatic java/lang/Integer/parseInt(Ljava/lang/String;)I
    pop
Q:
    goto Ret
NFE:
    pop
    ldc "nfe"
    invokestatic Main/p(Ljava/lang/String;)V
Ret:
    ret 1
.end method

; A ret in a nested subroutine returning from the outer one (JVMS 4.10.2.5 allows
; returning through several subroutines at once).
.method static multiLevel(I)Ljava/lang/String;
    .limit stack 2
    .limit locals 3
    jsr Outer
    ldc "multi done"
    areturn
Outer:
    astore_1
    ldc "outer"
    invokestatic Main/p(Ljava/lang/String;)V
    jsr Inner
    ldc "never"
    invokestatic Main/p(Ljava/lang/String;)V
    ret 1
Inner:
    astore_2
    ldc "inner"
    invokestatic Main/p(Ljava/lang/String;)V
    ret 1
.end method

; A subroutine whose first instruction is not astore: it pops its return address
; and throws, so the inlined jsr pushes a placeholder for the pop.
.method static popper(I)Ljava/lang/String;
    .limit stack 3
    .limit locals 1
    iload_0
    iconst_2
    if_icmpne Skip
    jsr Thrower
Skip:
    ldc "no throw"
    areturn
Thrower:
    pop
    new java/lang/RuntimeException
    dup
    ldc "thrower"
    invokespecial java/lang/RuntimeException/<init>(Ljava/lang/String;)V
    athrow
.end method

.method static call(II)Ljava/lang/String;
    .limit stack 2
    .limit locals 2
    iload_1
    iload_0
    tableswitch 0 4
        M0
        M1
        M2
        M3
        M4
        default : M5
M0:
    invokestatic Main/tryFinally(I)Ljava/lang/String;
    areturn
M1:
    invokestatic Main/nested(I)Ljava/lang/String;
    areturn
M2:
    invokestatic Main/finallyThrows(I)Ljava/lang/String;
    areturn
M3:
    invokestatic Main/branches(I)Ljava/lang/String;
    areturn
M4:
    invokestatic Main/multiLevel(I)Ljava/lang/String;
    areturn
M5:
    invokestatic Main/popper(I)Ljava/lang/String;
    areturn
.end method

.method static t(II)V
    .limit stack 3
    .limit locals 3
    .catch java/lang/RuntimeException from A to B using H
    getstatic java/lang/System/out Ljava/io/PrintStream;
    iload_0
    iconst_3
    imul
    iload_1
    iadd
    invokevirtual java/io/PrintStream/println(I)V
A:
    iload_0
    iload_1
    invokestatic Main/call(II)Ljava/lang/String;
    invokestatic Main/p(Ljava/lang/String;)V
B:
    return
H:
    invokevirtual java/lang/Throwable/getMessage()Ljava/lang/String;
    invokestatic Main/p(Ljava/lang/String;)V
    return
.end method

.method public static main([Ljava/lang/String;)V
    .limit stack 2
    .limit locals 3
    iconst_0
    istore_1
Outer:
    iload_1
    bipush 6
    if_icmpge Done
    iconst_0
    istore_2
Inner:
    iload_2
    iconst_3
    if_icmpge Next
    iload_1
    iload_2
    invokestatic Main/t(II)V
    iinc 2 1
    goto Inner
Next:
    iinc 1 1
    goto Outer
Done:
    return
.end method
.end class
`;

const work = mkdtempSync(join(tmpdir(), "megasplit-jsr-"));
afterAll(() => rmSync(work, { recursive: true, force: true }));

function run(dir: string, cf: ClassFile): string {
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, "Main.class"), writeClass(cf));
  return execFileSync("java", ["-Xverify:all", "-Xshare:off", "-cp", dir, "Main"], { encoding: "utf8" });
}

/** Every method with subroutines inlined, verified and re-encoded; the class keeps its version. */
function inlineClass(cf: ClassFile): { cf: ClassFile; inlined: Map<string, MethodBody> } {
  const inlined = new Map<string, MethodBody>();
  const methods = cf.methods.map((m): MethodInfo => {
    const code = codeOf(m);
    if (!code) return m;
    const ctx = methodContext(cf, m);
    const body = decodeBody(code, cf.constantPool, ctx.where);
    if (!hasSubroutines(body)) return m;
    const result = inlineSubroutines(body, ctx);
    assertVerified(result, ctx, "inline-subroutines");
    expect(hasSubroutines(result)).toBe(false);
    inlined.set(ctx.methodName, result);
    const attributes = m.attributes.map((a) => (a.kind === "Code" ? encodeBody(result, cf.constantPool, { where: ctx.where }) : a));
    return { accessFlags: m.accessFlags, nameIndex: m.nameIndex, descriptorIndex: m.descriptorIndex, attributes };
  });
  return { cf: { ...cf, methods }, inlined };
}

function method(text: string, name: string): { body: MethodBody; ctx: PassContext } {
  const [cf] = assemble(text);
  const m = cf!.methods.find((x) => cf!.constantPool.utf8(x.nameIndex) === name)!;
  const ctx = methodContext(cf!, m);
  return { body: decodeBody(codeOf(m)!, cf!.constantPool, ctx.where), ctx };
}

const EXPECTED = [
  ["0", "finally", "zero"],
  ["1", "finally", "boom"],
  ["2", "body", "finally", "done"],
  ["3", "try", "outer finally", "inner finally", "nested done"],
  ["4", "try", "outer finally", "inner finally", "n1"],
  ["5", "try", "outer finally", "inner finally", "n2"],
  ["6", "body", "finally throws", "from finally"],
  ["7", "body", "finally throws", "from finally"],
  ["8", "body", "finally throws", "from finally"],
  ["9", "nfe", "nfe", "branches done"],
  ["10", "loop", "loop", "branches done"],
  ["11", "loop", "loop", "loop", "loop", "branches done"],
  ["12", "outer", "inner", "multi done"],
  ["13", "outer", "inner", "multi done"],
  ["14", "outer", "inner", "multi done"],
  ["15", "no throw"],
  ["16", "no throw"],
  ["17", "thrower"],
]
  .flat()
  .join("\n");

describe("inline-subroutines on the JVM", () => {
  const [original] = assemble(MAIN, { fileName: "Main.j" });
  const { cf: inlinedClass, inlined } = inlineClass(original!);

  it("inlines every method with jsr/ret into code the verifier accepts, and both versions print the same", () => {
    expect([...inlined.keys()]).toEqual(["tryFinally", "nested", "finallyThrows", "branches", "multiLevel", "popper"]);
    const before = run(join(work, "jsr"), original!);
    expect(before).toBe(`${EXPECTED}\n`);
    const bytes = writeClass(inlinedClass);
    const back = readClass(bytes);
    expect(back.majorVersion).toBe(49);
    for (const m of back.methods) {
      const ctx = methodContext(back, m);
      const body = decodeBody(codeOf(m)!, back.constantPool, ctx.where);
      expect(hasSubroutines(body), ctx.methodName).toBe(false);
      expect(verifyBody(body, ctx), ctx.methodName).toEqual([]);
    }
    expect(run(join(work, "inlined"), inlinedClass)).toBe(before);
  });

  it("copies the subroutine once per jsr site, with its lines and local-variable rows", () => {
    const body = inlined.get("tryFinally")!;
    const lines = body.nodes.filter((n) => n.kind === "line").map((n) => (n.kind === "line" ? n.line : 0));
    expect(lines).toEqual([10, 11, 12, 14, 14, 14]);
    // .var 0 covers the whole method: the main row and one row per copy.
    expect(body.localVariables!.length).toBe(4);
    expect(body.localVariables!.every((v) => v.index === 0)).toBe(true);
    // The return address is never stored: no astore 3 is left.
    expect(body.nodes.some((n) => n.kind === "local" && n.op === Op.ASTORE && n.index === 3)).toBe(false);
    expect(body.hasStackMapTable).toBe(false);
  });

  it("duplicates a handler inside a subroutine for every copy, nested copies per calling copy", () => {
    const body = inlined.get("nested")!;
    // Fin1 is called from 2 sites; each copy holds the catch-any of the inner try and calls Fin2 twice.
    expect(body.handlers.length).toBe(3);
    const prints = body.nodes.filter((n) => n.kind === "cp" && n.op === Op.LDC).length;
    // "try", "n1", "nested done", 2 x ("outer finally", "n2"), 4 x "inner finally"
    expect(prints).toBe(3 + 2 * 2 + 4);
    // Each handler row's entry is the copy's own handler code (astore 3 right after it).
    const labelAt = new Map<number, number>();
    body.nodes.forEach((n, i) => n.kind === "label" && labelAt.set(n.label, i));
    const entries = body.handlers.slice(1).map((h) => labelAt.get(h.handler)!);
    expect(new Set(entries).size).toBe(2);
  });

  it("pushes a placeholder when the subroutine does not start with astore", () => {
    const body = inlined.get("popper")!;
    const i = body.nodes.findIndex((n) => n.kind === "simple" && n.op === Op.ACONST_NULL);
    expect(i).toBeGreaterThanOrEqual(0);
    expect(body.nodes[i + 1]).toMatchObject({ kind: "jump", op: Op.GOTO });
    expect(body.maxStack).toBe(3);
  });
});

describe("inline-subroutines cases", () => {
  const wrap = (...lines: string[]): string =>
    [".version 49 0", ".class public T", ".super java/lang/Object", ".method static f(I)I", ".limit stack 2", ".limit locals 4", ...lines, ".end method", ".end class"].join("\n");

  it("leaves a body without subroutines as it is", () => {
    const { body, ctx } = method(wrap("iload_0", "ireturn"), "f");
    expect(hasSubroutines(body)).toBe(false);
    expect(inlineSubroutines(body, ctx)).toBe(body);
  });

  it("maps each of two rets of one subroutine to its own caller (legal in JVMS, refused by HotSpot)", () => {
    const { body, ctx } = method(wrap("jsr S", "iconst_1", "ireturn", "S:", "astore_1", "iload_0", "ifeq Z", "ret 1", "Z:", "iinc 0 1", "ret 1"), "f");
    const result = inlineSubroutines(body, ctx);
    expect(hasSubroutines(result)).toBe(false);
    expect(verifyBody(result, ctx)).toEqual([]);
    const text = inlineSubroutinesPass.format(result, body, ctx);
    expect(text.match(/goto L0/g)?.length).toBe(2);
  });

  it("sends a body that falls into main code there with an explicit goto", () => {
    // S never returns: its iinc falls through into M, which main code also reaches.
    const { body, ctx } = method(wrap("goto Start", "S:", "astore_1", "iinc 0 1", "M:", "iload_0", "ireturn", "Start:", "iload_0", "ifeq M", "jsr S", "iconst_1", "ireturn"), "f");
    const result = inlineSubroutines(body, ctx);
    expect(verifyBody(result, ctx)).toEqual([]);
    const text = inlineSubroutinesPass.format(result, body, ctx);
    expect(text).toContain(["L0:", "    iload 0", "    ireturn"].join("\n"));
    expect(text).toContain(["    iinc 0 1", "    goto L0"].join("\n"));
  });

  const code = (f: () => unknown): string | undefined => {
    try {
      f();
    } catch (e) {
      if (e instanceof MegasplitError) return `${e.code}: ${e.diagnostic.message}`;
      throw e;
    }
    return undefined;
  };

  it("rejects a recursive subroutine", () => {
    const { body, ctx } = method(wrap("jsr S", "iconst_1", "ireturn", "S:", "astore_1", "jsr S", "ret 1"), "f");
    expect(code(() => inlineSubroutines(body, ctx))).toMatch(/^E_SUBROUTINE: recursive subroutine/);
  });

  it("rejects a ret outside any subroutine, and one whose local holds no return address", () => {
    const outside = method(wrap("ret 1"), "f");
    expect(code(() => inlineSubroutines(outside.body, outside.ctx))).toMatch(/^E_SUBROUTINE: ret 1 .* is not inside a subroutine/);
    const unknown = method(wrap("jsr S", "iconst_1", "ireturn", "S:", "astore_1", "ret 2"), "f");
    expect(code(() => inlineSubroutines(unknown.body, unknown.ctx))).toMatch(/^E_SUBROUTINE: cannot determine which subroutine ret 2/);
  });

  it("rejects a subroutine entry that main code also reaches", () => {
    const { body, ctx } = method(wrap("iload_0", "ifeq S", "jsr S", "iconst_1", "ireturn", "S:", "iconst_0", "ireturn"), "f");
    expect(code(() => inlineSubroutines(body, ctx))).toMatch(/^E_SUBROUTINE: subroutine at node \d+ is also reached without jsr/);
  });

  it("rejects a subroutine returning past the end of the code", () => {
    const { body, ctx } = method(wrap("goto J", "S:", "astore_1", "ret 1", "J:", "jsr S"), "f");
    expect(code(() => inlineSubroutines(body, ctx))).toMatch(/^E_SUBROUTINE: subroutine .* returns past the end of the code/);
  });
});
