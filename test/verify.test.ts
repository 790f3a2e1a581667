/**
 * The internal verifier (passes/verify.ts): each kind of violation on a body broken
 * on purpose (assembled from text, or edited after decoding when the assembler or
 * the codec cannot express the breakage), and no violation at all on every method
 * of two real jars, as decoded and after decode -> encode -> decode.
 */
import { describe, expect, it } from "vitest";
import { assemble } from "../src/text/assemble.js";
import { decodeBody } from "../src/bytecode/decode.js";
import { encodeBody } from "../src/bytecode/encode.js";
import type { MethodBody } from "../src/bytecode/model.js";
import { codeOf, type ClassFile } from "../src/classfile/model.js";
import { AssertionError } from "../src/diagnostics.js";
import { methodContext, type PassContext } from "../passes/pass.js";
import { assertVerified, verifyBody, type ViolationKind } from "../passes/verify.js";
import { methodsWithCode } from "./support/corpus.js";

function method(text: string, name: string): { body: MethodBody; ctx: PassContext; cf: ClassFile } {
  const [cf] = assemble(text);
  const m = cf!.methods.find((x) => cf!.constantPool.utf8(x.nameIndex) === name)!;
  const ctx = methodContext(cf!, m);
  return { body: decodeBody(codeOf(m)!, cf!.constantPool, ctx.where), ctx, cf: cf! };
}

function cls(version: number, ...methods: string[]): string {
  return [`.version ${version} 0`, ".class public T", ".super java/lang/Object", ...methods, ".end class"].join("\n");
}

const kinds = (body: MethodBody, ctx: PassContext): ViolationKind[] => verifyBody(body, ctx).map((v) => v.kind);

describe("verifyBody finds", () => {
  it("nothing wrong in a clean body", () => {
    const { body, ctx } = method(cls(49, ".method static f(I)I", ".limit stack 2", ".limit locals 1", "iload_0", "ifeq L", "iconst_1", "ireturn", "L:", "iconst_2", "ireturn", ".end method"), "f");
    expect(verifyBody(body, ctx)).toEqual([]);
    expect(() => assertVerified(body, ctx)).not.toThrow();
  });

  it("stack heights that disagree at a join", () => {
    const { body, ctx } = method(cls(49, ".method static f(I)I", ".limit stack 3", ".limit locals 1", "iload_0", "iload_0", "ifeq L", "iconst_1", "L:", "iconst_2", "ireturn", ".end method"), "f");
    const v = verifyBody(body, ctx);
    expect(v.map((x) => x.kind)).toEqual(["stack-join"]);
    expect(v[0]!.message).toMatch(/disagree at a join \(.*1 from node .*, 2 from node/);
  });

  it("a stack underflow", () => {
    const { body, ctx } = method(cls(49, ".method static f()I", ".limit stack 2", ".limit locals 0", "iconst_1", "iadd", "ireturn", ".end method"), "f");
    expect(kinds(body, ctx)).toEqual(["stack-underflow"]);
  });

  it("a height above max_stack", () => {
    const { body, ctx } = method(cls(49, ".method static f()J", ".limit stack 3", ".limit locals 0", "lconst_1", "lconst_1", "ladd", "lreturn", ".end method"), "f");
    expect(kinds(body, ctx)).toEqual(["stack-overflow"]);
  });

  it("locals at or above max_locals, the second slot of a long included, and parameters that do not fit", () => {
    const { body, ctx } = method(cls(49, ".method f(J)V", ".limit stack 2", ".limit locals 3", "lload 2", "pop2", "iinc 3 1", "return", ".end method"), "f");
    const v = verifyBody(body, ctx);
    expect(v.map((x) => x.kind)).toEqual(["local", "local"]);
    expect(v[0]!.message).toContain("local 2..3");
    const tight = { ...body, maxLocals: 2 };
    expect(kinds(tight, ctx)).toContain("local");
    expect(verifyBody(tight, ctx)[0]!.message).toMatch(/parameters take 3 local slots/);
  });

  it("a branch to a label that is not placed, and a label placed twice", () => {
    const { body, ctx } = method(cls(49, ".method static f(I)V", ".limit stack 1", ".limit locals 1", "iload_0", "ifeq L", "L:", "return", ".end method"), "f");
    const unplaced: MethodBody = { ...body, nodes: body.nodes.filter((node) => node.kind !== "label") };
    expect(kinds(unplaced, ctx)).toEqual(["label"]);
    const label = body.nodes.find((node) => node.kind === "label")!;
    const twice: MethodBody = { ...body, nodes: [label, ...body.nodes] };
    expect(kinds(twice, ctx)).toEqual(["label"]);
  });

  it("an empty handler range, and a handler whose labels are not placed", () => {
    const { body, ctx } = method(
      cls(49, ".method static f()V", ".limit stack 1", ".limit locals 0", ".catch all from A to B using H", "A:", "nop", "B:", "return", "H:", "athrow", ".end method"),
      "f",
    );
    expect(verifyBody(body, ctx)).toEqual([]);
    const h = body.handlers[0]!;
    expect(kinds({ ...body, handlers: [{ ...h, start: h.end, end: h.start }] }, ctx)).toEqual(["handler"]);
    expect(kinds({ ...body, handlers: [{ ...h, end: h.start }] }, ctx)).toEqual(["handler"]);
    expect(kinds({ ...body, handlers: [{ ...h, handler: body.labelCount + 5 }] }, ctx)).toEqual(["label"]);
  });

  it("missing stack map frames at a branch target, after a goto and at a handler", () => {
    const { body, ctx } = method(
      cls(
        52,
        ".method static f(I)I",
        ".limit stack 1",
        ".limit locals 1",
        ".catch java/lang/RuntimeException from A to B using H",
        "A:",
        "iload_0",
        "ifeq L",
        "iconst_1",
        "B:",
        "ireturn",
        "L:",
        ".stack same",
        "iconst_2",
        "ireturn",
        "H:",
        ".stack same_locals_1_stack_item Object java/lang/RuntimeException",
        "pop",
        "iconst_3",
        "ireturn",
        ".end method",
      ),
      "f",
    );
    expect(body.hasStackMapTable).toBe(true);
    expect(verifyBody(body, ctx)).toEqual([]);
    const frameless: MethodBody = { ...body, nodes: body.nodes.filter((node) => node.kind !== "frame") };
    const v = verifyBody(frameless, ctx);
    expect(v.map((x) => x.kind)).toEqual(["frame", "frame"]);
    expect(v.map((x) => x.message.replace(/.*no stack map frame at /, ""))).toEqual(["a branch target", "an instruction after an unconditional transfer"]);
    // Without a StackMapTable nothing is required.
    expect(verifyBody({ ...frameless, hasStackMapTable: false }, ctx)).toEqual([]);
  });

  it("control running past the last instruction", () => {
    const { body, ctx } = method(cls(49, ".method static f()V", ".limit stack 1", ".limit locals 0", "iconst_0", "pop", ".end method"), "f");
    expect(kinds(body, ctx)).toEqual(["falls-off-end"]);
  });

  it("nothing wrong in a javac-1.4 try/finally with jsr/ret (heights through subroutines)", () => {
    const { body, ctx } = method(
      cls(
        49,
        ".method static f(I)I",
        ".limit stack 2",
        ".limit locals 4",
        ".catch all from A to B using Any",
        "A:",
        "iload_0",
        "istore_1",
        "jsr Fin",
        "iload_1",
        "ireturn",
        "B:",
        "Any:",
        "astore_2",
        "jsr Fin",
        "aload_2",
        "athrow",
        "Fin:",
        "astore_3",
        "iinc 0 1",
        "ret 3",
        ".end method",
      ),
      "f",
    );
    expect(verifyBody(body, ctx)).toEqual([]);
  });

  it("assertVerified throws an AssertionError listing the violations", () => {
    const { body, ctx } = method(cls(49, ".method static f()I", ".limit stack 2", ".limit locals 0", "iconst_1", "iadd", "ireturn", ".end method"), "f");
    expect(() => assertVerified(body, ctx, "some-pass")).toThrow(AssertionError);
    expect(() => assertVerified(body, ctx, "some-pass")).toThrow(/after some-pass.*\n  stack-underflow: node 1 \(iadd\)/);
  });
});

describe("verifyBody on real jars", () => {
  for (const jar of ["rhino", "asm"]) {
    it(`${jar}.jar: every method clean, decoded and after decode -> encode -> decode`, async () => {
      let methods = 0;
      const failures: string[] = [];
      for await (const { cf, m, code } of methodsWithCode(`/usr/share/java/${jar}.jar`)) {
        methods++;
        const ctx = methodContext(cf, m);
        const body = decodeBody(code, cf.constantPool, ctx.where);
        const first = verifyBody(body, ctx);
        const again = decodeBody(encodeBody(body, cf.constantPool.clone(), { where: ctx.where }), cf.constantPool, ctx.where);
        const second = verifyBody(again, ctx);
        for (const v of [...first, ...second]) failures.push(`${ctx.className}.${ctx.methodName}${ctx.descriptor}: ${v.kind}: ${v.message}`);
      }
      console.log(`${jar}.jar: ${methods} methods verified twice`);
      expect(methods).toBeGreaterThan(500);
      expect(failures.slice(0, 20)).toEqual([]);
    });
  }
});
