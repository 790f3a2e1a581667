/**
 * Dead operand-stack values (passes/dead-stack.ts): a method that leaves values on
 * the stack which nothing takes again, as Clojure's namespace loaders do (every
 * top-level form's result stays until the final `return` discards it), is split
 * after those values are popped where they die.
 *
 * The program is Jasmin generated here, class version 52 with its declared
 * frames (every branch target lists the whole stack, dead values included):
 * `load(I)V` runs a prologue shaped like Clojure's `ns` (a value left, then an
 * `if` whose arms leave one more each: the arm that pops before its `goto` must
 * give its pop up to the join), then units that leave a long, a String (after
 * `dup` hands it to a call) or an int (with an if/else above it), then a division
 * in a try block whose handler returns without taking the exception. The stack
 * grows to about 160 slots; no value in it is ever read again.
 *
 * The oracle is the JVM: the split classes link under -Xverify:all and print what
 * the unsplit classes print, in every link mode. The pass itself is checked on the
 * decoded method: its result keeps its declared frames valid (our frame inference
 * with the declared frames reports no rejected frame) and needs a few slots of
 * stack where the original needed 160; methods without dead values are left as
 * they are. Without the pass `load` is refused at 1,024 bytes (W_REFUSED_BLOCK:
 * every block would carry the dead values across its entries and exits).
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { assemble } from "../src/text/assemble.js";
import { codeOf } from "../src/classfile/model.js";
import { decodeBody } from "../src/bytecode/decode.js";
import { encodeBody } from "../src/bytecode/encode.js";
import { writeClass } from "../src/classfile/write.js";
import { dropDeadStack } from "../passes/dead-stack.js";
import { inferFrames } from "../passes/frames.js";
import { buildCfg } from "../passes/cfg.js";
import { methodContext } from "../passes/pass.js";
import { verifyAfter } from "../passes/verify-transform.js";
import { assembleInto, expectSameRun, runJava, type RunResult } from "./support/hard-case.js";
import { refusalLines, splitJar, splitReportOf } from "./support/split-jar.js";
import { DEAD_STACK_CLASS as CLASS, deadStackProgram } from "./support/dead-stack-program.js";

const UNITS = 120;

describe("dropDeadStack on a method that leaves values on the stack", () => {
  const cf = assemble(deadStackProgram(UNITS))[0]!;
  const bodyOf = (name: string) => {
    const m = cf.methods.find((x) => cf.constantPool.utf8(x.nameIndex) === name)!;
    const ctx = methodContext(cf, m, {});
    return { ctx, body: decodeBody(codeOf(m)!, cf.constantPool, ctx.where) };
  };
  const analyse = (name: string) => {
    const { ctx, body } = bodyOf(name);
    return { ctx, body, frames: inferFrames(body, ctx, { useDeclaredFrames: false, cfg: buildCfg(body, ctx.where).cfg }) };
  };

  it("pops every dead value where it dies: a few slots of stack instead of about 160, declared frames still valid", () => {
    const { ctx, body, frames } = analyse("load");
    expect(frames.errors).toEqual([]);
    expect(frames.maxStack).toBeGreaterThan(150);
    const trimmed = dropDeadStack(body, frames, ctx.cp);
    expect(trimmed).toBeDefined();
    const after = inferFrames(trimmed!, ctx, { useDeclaredFrames: true });
    expect(after.errors).toEqual([]);
    expect(after.rejectedFrames).toEqual([]);
    expect(after.maxStack).toBeLessThanOrEqual(6);
    // The internal verifier on the result (frames recomputed, every instruction's operands checked).
    verifyAfter(trimmed!, ctx, "dead-stack", true);
    const pops = (b: typeof body) => b.nodes.filter((n) => n.kind === "simple" && (n.op === 0x57 || n.op === 0x58)).length;
    // One pop per unit at least (a long's is one pop2), the prologue's and the handler's.
    expect(pops(trimmed!) - pops(body)).toBeGreaterThanOrEqual(UNITS + 2);
  });

  it("leaves methods without dead values as they are", () => {
    for (const name of ["note", "main"]) {
      const { ctx, body, frames } = analyse(name);
      expect(dropDeadStack(body, frames, ctx.cp), name).toBeUndefined();
    }
  });
});

describe("a method that leaves values on the stack, split", () => {
  const work = mkdtempSync(join(tmpdir(), "megasplit-dead-stack-"));
  afterAll(() => rmSync(work, { recursive: true, force: true }));
  const classes = join(work, "classes");
  let expected: RunResult;
  beforeAll(() => {
    assembleInto(deadStackProgram(UNITS), classes);
    expected = runJava(classes, "deadstack.Main", { jvm: ["-Xverify:all"] });
  });

  it("the unsplit program runs", () => {
    expect(expected.status).toBe(0);
    expect(expected.stdout.split("\n").filter((l) => l !== "")).toHaveLength(2);
  });

  for (const link of ["switch", "direct", "auto", "indy"] as const) {
    it(`splits load at 1,024 bytes (--link ${link}), links under -Xverify:all and prints the same`, async () => {
      const split = await splitJar(classes, work, `split-${link}.jar`, { maxSize: 1024, link });
      expect(refusalLines(split)).toEqual([]);
      const report = splitReportOf(split, CLASS, "load(I)V");
      expect(report.originalLength).toBeGreaterThan(2000);
      expect(report.pieces.length).toBeGreaterThanOrEqual(2);
      expectSameRun(runJava(split.path, "deadstack.Main", { jvm: ["-Xverify:all"] }), expected);
    });
  }
});

/**
 * The pass's own output written as a class (its declared frames as the pass left
 * them, not recomputed as a split does), run by the JVM under -Xverify:all against
 * the input. Three shapes a review found the frames wrong in: unreachable code
 * whose frame falls into a join that lost slots (the method is now left as it is),
 * a declared frame inside a block after a pop (not a branch target, which javac never
 * writes), and a dead value right before a `new` whose label an `Uninitialized`
 * frame names (no pops go before a `new`).
 */
describe("dropDeadStack's output with its declared frames, run", () => {
  const work = mkdtempSync(join(tmpdir(), "megasplit-dead-frames-"));
  afterAll(() => rmSync(work, { recursive: true, force: true }));
  const main = (calls: string[]) => [
    ".method public static main([Ljava/lang/String;)V",
    "    .limit stack 3",
    "    .limit locals 1",
    ...calls,
    "    return",
    ".end method",
  ];
  const printF = (k: number) => ["    getstatic java/lang/System/out Ljava/io/PrintStream;", `    iconst_${k}`, "    invokestatic T/f(I)I", "    invokevirtual java/io/PrintStream/println(I)V"];
  const header = [".version 52 0", ".class public T", ".super java/lang/Object"];
  const cases: { name: string; text: string[]; transformed: boolean }[] = [
    {
      name: "unreachable code falling into a join",
      transformed: false,
      text: [...header, ".method public static f(I)I", "    .limit stack 4", "    .limit locals 1", '    ldc "dead"', "    iload_0", "    ifeq B", "    iinc 0 3", "    goto B", "U:",
        "    .stack full locals Integer stack Object java/lang/String", "    nop", "B:", "    .stack full locals Integer stack Object java/lang/String", "    iload_0", "    iconst_1", "    iadd", "    ireturn", ".end method",
        ...main([...printF(0), ...printF(5)])],
    },
    {
      name: "a declared frame inside a block, after a pop",
      transformed: true,
      text: [...header, ".method public static f(I)I", "    .limit stack 4", "    .limit locals 1", '    ldc "dead"', "    iload_0", "    .stack full locals Integer stack Object java/lang/String Integer", "    iconst_1", "    iadd", "    ireturn", ".end method",
        ...main([...printF(0), ...printF(5)])],
    },
    {
      name: "a dead value before a new named by an Uninitialized frame",
      transformed: true,
      text: [...header, ".method public static f(I)I", "    .limit stack 4", "    .limit locals 1", '    ldc "dead"', "New:", "    new java/lang/Object", "    iload_0", "    ifeq Join", "    nop", "Join:",
        "    .stack full locals Integer stack Object java/lang/String Uninitialized New", "    pop", "    iload_0", "    ireturn", ".end method",
        ...main([...printF(0), ...printF(1)])],
    },
  ];
  for (const c of cases) {
    it(`${c.name}: the JVM accepts the frames and the program prints the same`, () => {
      const dir = join(work, c.name.replace(/\W+/g, "-"));
      assembleInto(c.text.join("\n"), join(dir, "in"));
      const cf = assemble(c.text.join("\n"))[0]!;
      const m = cf.methods.find((x) => cf.constantPool.utf8(x.nameIndex) === "f")!;
      const code = codeOf(m)!;
      const ctx = methodContext(cf, m, {});
      const body = decodeBody(code, cf.constantPool, ctx.where);
      // As the splitter's input check analyses it: the declared frames left unused.
      const frames = inferFrames(body, ctx, { useDeclaredFrames: false, cfg: buildCfg(body, ctx.where).cfg });
      const trimmed = dropDeadStack(body, frames, cf.constantPool);
      expect(trimmed !== undefined).toBe(c.transformed);
      const written = trimmed ? { ...encodeBody(trimmed, cf.constantPool), nameIndex: code.nameIndex } : code;
      const out = { ...cf, methods: cf.methods.map((x) => (x === m ? { ...x, attributes: x.attributes.map((a) => (a === code ? written : a)) } : x)) };
      mkdirSync(join(dir, "out"), { recursive: true });
      writeFileSync(join(dir, "out", "T.class"), writeClass(out));
      const expected = runJava(join(dir, "in"), "T", { jvm: ["-Xverify:all"] });
      expect(expected.status).toBe(0);
      expectSameRun(runJava(join(dir, "out"), "T", { jvm: ["-Xverify:all"] }), expected);
    });
  }
});
