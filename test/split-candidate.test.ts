/**
 * Split candidates (src/split/split-candidate.ts): a deferred candidate measures
 * its bodies by layout and encodes them only in `finish`. Checked: the measured
 * lengths are the JVMS instruction sizes; `finish` writes the same bytes and the
 * same constants as encoding at once (what the attempt loop did before); and a
 * body with unreachable code, which the frame writer turns into `nop ... athrow`,
 * is reported as measured wrong (the attempt loop then encodes every attempt at
 * once) instead of being kept with a length the loop never checked.
 */
import { describe, expect, it } from "vitest";
import { decodeBody } from "../src/bytecode/decode.js";
import { type ClassFile, codeOf } from "../src/classfile/model.js";
import { assemble } from "../src/text/assemble.js";
import type { LinkedMethod } from "../passes/link/link-types.js";
import { splitCandidate } from "../src/split/split-candidate.js";

/** Class T with static methods m (the driver's) and p (a piece's body), each given as Jasmin text. */
function classWith(driverText: string, pieceText: string): { cf: ClassFile; linked: LinkedMethod } {
  const method = (name: string, text: string) => `.method public static ${name}()V\n.limit stack 2\n.limit locals 1\n${text}\n.end method\n`;
  const cf = assemble(`.class public T\n.super java/lang/Object\n.bytecode 52.0\n${method("m", driverText)}${method("p", pieceText)}`)[0]!;
  const body = (i: number) => decodeBody(codeOf(cf.methods[i]!)!, cf.constantPool);
  return { cf, linked: { driver: body(0), pieces: [{ name: "m$split$1", descriptor: "()V", body: body(1) }], kinds: [], callSites: [] } };
}

const shape = { crossEdges: 1, handover: ["parameters" as const], blocksPerPiece: [1, 1], callSites: [] };

/** `cf` with a pool of its own, as every split attempt has. */
const attemptClass = (cf: ClassFile): ClassFile => ({ ...cf, constantPool: cf.constantPool.clone() });

describe("split candidates", () => {
  it("measure their bodies by instruction sizes and encode them as an eager candidate does", () => {
    // A branch target after a goto: the frame writer adds frames, which take no code bytes.
    const driver = "iconst_0\nifeq L\nsipush 1000\npop\nL:\nnew java/lang/StringBuilder\npop\nreturn";
    const piece = "ldc \"text\"\npop\ngetstatic java/lang/System/out Ljava/io/PrintStream;\npop\nreturn";
    const { cf, linked } = classWith(driver, piece);
    const code = codeOf(cf.methods[0]!)!;
    const eagerClass = attemptClass(cf);
    const deferredClass = attemptClass(cf);
    const eager = splitCandidate(eagerClass, cf.methods[0]!, linked, {}, code.nameIndex, shape, false);
    const deferred = splitCandidate(deferredClass, cf.methods[0]!, linked, {}, code.nameIndex, shape, true);
    // iconst_0 1, ifeq 3, sipush 3, pop 1, new 3, pop 1, return 1; ldc 2, pop 1, getstatic 3, pop 1, return 1
    expect(deferred.driverLength).toBe(13);
    expect(deferred.pieces.map((p) => p.codeLength)).toEqual([8]);
    expect(deferredClass.constantPool.count).toBe(cf.constantPool.count); // nothing encoded yet
    const a = eager.finish()!;
    const b = deferred.finish()!;
    expect(b).toBeDefined();
    expect([b.driverLength, b.pieces[0]!.codeLength]).toEqual([13, 8]);
    const codeBytes = (s: typeof a) => [s.driver, ...s.pieces.map((p) => p.method)].map((m) => Buffer.from(codeOf(m)!.code).toString("hex"));
    expect(codeBytes(b)).toEqual(codeBytes(a));
    const frames = (s: typeof a) => JSON.stringify(codeOf(s.driver)!.attributes.filter((x) => x.kind === "StackMapTable"));
    expect(frames(a)).toContain("StackMapTable");
    expect(frames(b)).toEqual(frames(a));
    expect(deferredClass.constantPool.entries).toEqual(eagerClass.constantPool.entries);
  });

  it("report a body whose unreachable code the frame writer shortens as measured wrong", () => {
    // sipush 1000 (3 bytes) and pop after the goto are unreachable: written as nop (1) and athrow (1).
    const { cf, linked } = classWith("goto L\nsipush 1000\npop\nL:\nreturn", "return");
    const code = codeOf(cf.methods[0]!)!;
    const deferred = splitCandidate(attemptClass(cf), cf.methods[0]!, linked, {}, code.nameIndex, shape, true);
    expect(deferred.driverLength).toBe(3 + 3 + 1 + 1);
    expect(deferred.finish()).toBeUndefined();
    const eager = splitCandidate(attemptClass(cf), cf.methods[0]!, linked, {}, code.nameIndex, shape, false);
    expect(eager.driverLength).toBe(3 + 1 + 1 + 1);
    expect(eager.finish()!.driverLength).toBe(6);
  });
});
