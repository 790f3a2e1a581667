/**
 * Statements before super(...) (src/split/regions.ts): a constructor may compute
 * before it calls the superclass constructor, as long as it does not use `this`
 * (JVMS 4.10.1.9: uninitializedThis may only be stored to its own class's fields
 * or passed to <init>); JVM languages emit such code, and Java writes it since its
 * flexible constructor bodies (JEP 513). That code cannot leave the constructor's
 * frame by a transfer (local 0 holds uninitializedThis, which no other method may
 * receive), so the partition pins it, and over the limit the constructor was
 * refused (W_REFUSED_PINNED "the N bytes before super() must stay in the original
 * method"). It is now outlined as a region, from the first instruction to the
 * load of the receiver (when the stack is empty there): a call keeps
 * uninitializedThis in the caller, and the region, a static method, is split like
 * any other. Assembled constructors (Jasmin text, class version 61, with stack-map
 * frames computed by the writer), every link mode, -Xverify:all; the random-program
 * check found the shape (mixed program of seed 87 at 1,052 bytes, kept as a
 * regression in test/random-programs.test.ts).
 */
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { decodeBody } from "../src/bytecode/decode.js";
import { Op } from "../src/bytecode/opcodes.js";
import { codeOf } from "../src/classfile/model.js";
import { readClass } from "../src/classfile/read.js";
import { outlineLargestRegion } from "../src/split/regions.js";
import { methodContext } from "../passes/pass.js";
import { assembleInto, expectSameRun, runJava, type RunResult } from "./support/hard-case.js";
import { splitJar, splitReportOf } from "./support/split-jar.js";

const LIMIT = 1024;
const STATEMENTS = 180;

/**
 * `pre.Main(int seed)`: 180 statements mixing the seed into locals 2 and 3 (one
 * of them throws for a seed of 7), a branch, then `super()` and a field store;
 * `main` constructs it for seeds 0..9 and prints the field or the exception.
 */
function source(): string {
  const statements = Array.from({ length: STATEMENTS }, (_, k) =>
    k % 2 === 0 ? `  iload_2\n  sipush ${(k * 97) % 3000 + 3}\n  imul\n  iload_1\n  ixor\n  istore_2` : `  iload_3\n  iload_2\n  iadd\n  bipush ${k % 31}\n  ishl\n  istore_3`,
  ).join("\n");
  return `.class public pre/Main
.super java/lang/Object
.field private final v I

.method public <init>(I)V
  .limit stack 4
  .limit locals 4
  iload_1
  istore_2
  iconst_1
  istore_3
${statements.slice(0, statements.length / 2)}
  iload_1
  bipush 7
  if_icmpne Go
  new java/lang/IllegalArgumentException
  dup
  ldc "seven"
  invokespecial java/lang/IllegalArgumentException/<init>(Ljava/lang/String;)V
  athrow
Go:
${statements.slice(statements.length / 2)}
  aload_0
  invokespecial java/lang/Object/<init>()V
  aload_0
  iload_2
  iload_3
  ixor
  putfield pre/Main/v I
  return
.end method

.method public static main([Ljava/lang/String;)V
  .limit stack 4
  .limit locals 2
  iconst_0
  istore_0
Loop:
  iload_0
  bipush 10
  if_icmpge Done
  getstatic java/lang/System/out Ljava/io/PrintStream;
  new pre/Main
  dup
  iload_0
  invokespecial pre/Main/<init>(I)V
  getfield pre/Main/v I
  invokevirtual java/io/PrintStream/println(I)V
Next:
  iinc 0 1
  goto Loop
Caught:
  astore_1
  getstatic java/lang/System/out Ljava/io/PrintStream;
  aload_1
  invokevirtual java/lang/Throwable/getMessage()Ljava/lang/String;
  invokevirtual java/io/PrintStream/println(Ljava/lang/String;)V
  goto Next
Done:
  return
.catch java/lang/IllegalArgumentException from Loop to Next using Caught
.end method
`;
}

const work = mkdtempSync(join(tmpdir(), "megasplit-before-super-"));
afterAll(() => rmSync(work, { recursive: true, force: true }));

describe("statements before super(...)", () => {
  const classes = join(work, "classes");
  let expected: RunResult;
  beforeAll(() => {
    assembleInto(source(), classes, "Main.j");
    expected = runJava(classes, "pre.Main", { jvm: ["-Xverify:all"] });
  });

  it("run before the split: ten lines, one the exception thrown before super()", () => {
    expect(expected.status).toBe(0);
    const lines = expected.stdout.trim().split("\n");
    expect(lines.length).toBe(10);
    expect(lines[7]).toBe("seven");
  });

  it("are the region outlined: from the first instruction to the receiver's load", () => {
    const cf = readClass(readFileSync(join(classes, "pre", "Main.class")));
    const method = cf.methods.find((m) => cf.constantPool.utf8(m.nameIndex) === "<init>")!;
    expect(codeOf(method)!.code.length).toBeGreaterThan(LIMIT);
    const ctx = methodContext(cf, method);
    const body = decodeBody(codeOf(method)!, cf.constantPool);
    const outlined = outlineLargestRegion(cf, method, body, ctx, LIMIT, "init", new Set());
    expect(outlined).toBeDefined();
    // The caller keeps the super() call (its one invokespecial) and the field store; the
    // region holds the statements and the exception's constructor call.
    const inits = (b: typeof body) => b.nodes.filter((n) => n.kind === "cp" && n.op === Op.INVOKESPECIAL).map((n) => cf.constantPool.memberRef((n as { index: number }).index).owner);
    expect(inits(outlined!.parent)).toEqual(["java/lang/Object"]);
    expect(inits(outlined!.region)).toEqual(["java/lang/IllegalArgumentException"]);
    expect(outlined!.region.nodes.length).toBeGreaterThan(STATEMENTS * 5);
  });

  for (const link of ["auto", "direct", "switch", "indy"] as const) {
    it(`split at ${LIMIT} bytes (link ${link}): no refusal, same output`, async () => {
      const split = await splitJar(classes, work, `split-${link}.jar`, { maxSize: LIMIT, link });
      expect(split.refused).toBe(0);
      const report = splitReportOf(split, "pre/Main", "<init>(I)V");
      expect(report.pieces.some((p) => p.name.includes("$region$"))).toBe(true);
      expectSameRun(runJava(split.path, "pre.Main", { jvm: ["-Xverify:all"] }), expected);
    }, 120_000);
  }
});
