/**
 * The text format: disassemble -> assemble round trips over every class of Debian's
 * rhino.jar and asm.jar (canonical dumps equal; byte-identical classes counted),
 * and over the classes ASM wrote of Kotlin's and Scala's standard libraries (byte
 * for byte: `.attributeorder`), the samples assembled and run on the JVM, plain Jasmin input with Jasmin's
 * defaults, exact numeric constants, syntax errors with their line, and
 * deterministic output. Needs `unzip` and `java` (scripts/setup.sh installs both).
 */
import { execFileSync } from "node:child_process";
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { readClass } from "../src/classfile/read.js";
import { writeClass } from "../src/classfile/write.js";
import { Access, findAttribute } from "../src/classfile/model.js";
import { MegasplitError } from "../src/diagnostics.js";
import { assemble } from "../src/text/assemble.js";
import { disassemble } from "../src/text/disassemble.js";
import { readBundle } from "../src/bundle/read.js";
import { canonicalDump } from "./support/canonical.js";
import { corpusJar, type CorpusName } from "./support/corpus.js";

const work = mkdtempSync(join(tmpdir(), "megasplit-text-"));
afterAll(() => rmSync(work, { recursive: true, force: true }));

function classFiles(dir: string): string[] {
  const out: string[] = [];
  for (const name of readdirSync(dir).sort()) {
    const p = join(dir, name);
    if (statSync(p).isDirectory()) out.push(...classFiles(p));
    else if (name.endsWith(".class")) out.push(p);
  }
  return out;
}

function extract(jar: CorpusName): string[] {
  const dir = join(work, jar);
  execFileSync("unzip", ["-q", "-o", corpusJar(jar), "-d", dir]);
  return classFiles(dir);
}

describe("corpus round trip through text", () => {
  for (const jar of ["rhino", "asm"] as const) {
    it(`${jar}.jar: every class assembles back to an equal class`, () => {
      const files = extract(jar);
      expect(files.length).toBeGreaterThan(20);
      let identical = 0;
      const mismatches: string[] = [];
      let symbolicOnly = 0;
      for (const f of files) {
        const bytes = readFileSync(f);
        const cf = readClass(bytes);
        const text = disassemble(cf, { constantPool: true });
        const back = assemble(text, { fileName: f });
        expect(back).toHaveLength(1);
        const dump = canonicalDump(cf);
        if (canonicalDump(back[0]!) !== dump) {
          mismatches.push(f);
          continue;
        }
        if (Buffer.from(writeClass(back[0]!)).equals(bytes)) identical++;
        // Without the pool, text with no raw attributes (whose bytes hold pool indices) assembles too.
        if (!/^\s*\.(attribute|codeattribute) /m.test(dump)) {
          expect(canonicalDump(assemble(dump)[0]!)).toBe(dump);
          symbolicOnly++;
        }
      }
      console.log(`${jar}.jar: ${files.length} classes, ${files.length - mismatches.length} equal, ${identical} byte-identical, ${symbolicOnly} also through pool-less text`);
      expect(mismatches).toEqual([]);
      // Every one to the same bytes: attribute order, empty tables and extended frame forms are kept.
      expect(identical).toBe(files.length);
    });
  }
});

describe("classes ASM wrote, round trip through text", () => {
  // ASM writes a Code attribute's StackMapTable before its LineNumberTable and
  // LocalVariableTable; the encoder's fixed order puts it last. `.attributeorder`
  // keeps the order, so these come back byte for byte (without it: 65% of
  // kotlin-stdlib's classes and 18% of scala-library's), and with them the one
  // class of each that has a frame in an extended form its offset did not need.
  for (const jar of ["/usr/share/java/kotlin-stdlib.jar", "/usr/share/java/scala-library.jar"]) {
    it(`${jar}: every class assembles back to the same bytes`, async () => {
      const { bundle } = await readBundle(jar); // installed by scripts/setup.sh (packages kotlin, scala)
      const classes = bundle.entries.filter((e) => e.name.endsWith(".class") && !e.name.endsWith("module-info.class"));
      expect(classes.length).toBeGreaterThan(500);
      let identical = 0;
      let ordered = 0;
      const mismatches: string[] = [];
      for (const e of classes) {
        const cf = readClass(e.data);
        const text = disassemble(cf, { constantPool: true });
        if (text.includes(".attributeorder")) ordered++;
        const back = assemble(text, { fileName: e.name })[0]!;
        if (canonicalDump(back) !== canonicalDump(cf)) mismatches.push(e.name);
        else if (Buffer.from(writeClass(back)).equals(e.data)) identical++;
      }
      console.log(`${jar}: ${classes.length} classes, ${ordered} with .attributeorder, ${identical} byte-identical`);
      expect(mismatches).toEqual([]);
      expect(ordered).toBeGreaterThan(classes.length / 4);
      expect(identical).toBe(classes.length);
    });
  }

  /** The head of a class A with one method `static int f(int)`, whose body the test gives. */
  const STATIC_F_OF_INT = [".version 52 0", ".class public A", ".super java/lang/Object", ".method static f(I)I", "    .limit stack 1", "    .limit locals 1"];

  it("the order is the text's: named kinds in that order, the others where `other` stands", () => {
    const text = [
      ...STATIC_F_OF_INT,
      "    .var 0 is x I from L0 to L1",
      '    .codeattribute Extra b"\\x01"',
      "    .attributeorder other StackMapTable LocalVariableTable LineNumberTable",
      "L0:",
      "    .line 7",
      "    iload_0",
      "    ifeq L1",
      "    .line 8",
      "    iconst_1",
      "    ireturn",
      "L1:",
      "    .stack same",
      "    iconst_0",
      "    ireturn",
      ".end method",
    ].join("\n");
    const cf = assemble(text)[0]!;
    const code = findAttribute(cf.methods[0]!.attributes, "Code")!;
    expect(code.attributes.map((a) => cf.constantPool.utf8(a.nameIndex))).toEqual(["Extra", "StackMapTable", "LocalVariableTable", "LineNumberTable"]);
    // Disassembled again, the same order is printed; without the line, the fixed order.
    expect(disassemble(cf)).toContain(".attributeorder other StackMapTable LocalVariableTable LineNumberTable");
    const fixed = assemble(text.replace(/^ {4}\.attributeorder .*\n/m, ""))[0]!;
    const fixedCode = findAttribute(fixed.methods[0]!.attributes, "Code")!;
    expect(fixedCode.attributes.map((a) => fixed.constantPool.utf8(a.nameIndex))).toEqual(["LineNumberTable", "LocalVariableTable", "StackMapTable", "Extra"]);
    expect(disassemble(fixed)).not.toContain(".attributeorder");
  });

  it("a frame marked extended whose offset needs the extended form anyway is one frame: the same model, text and bytes after a round trip", () => {
    const pad = Array.from({ length: 70 }, () => "    nop");
    const text = [...STATIC_F_OF_INT, "    iload_0", "    ifeq L1", ...pad, "L1:", "    .stack same_frame_extended", "    iconst_0", "    ireturn", ".end method"].join("\n");
    const cf = assemble(text)[0]!;
    const frames = (c: typeof cf) => {
      const code = findAttribute(c.methods[0]!.attributes, "Code")!;
      const smt = code.attributes.find((a) => a.kind === "StackMapTable");
      return smt?.kind === "StackMapTable" ? smt.frames : [];
    };
    expect(frames(cf)).toEqual([{ type: "same", offsetDelta: 74 }]);
    const back = readClass(writeClass(cf));
    expect(frames(back)).toEqual(frames(cf));
    expect(disassemble(back)).toContain(".stack same\n");
  });

  it("keeps empty line and variable tables and frames in an extended form the offset did not need", () => {
    const text = [
      ...STATIC_F_OF_INT,
      "    .attributeorder LineNumberTable LocalVariableTable StackMapTable",
      "    iload_0",
      "    ifeq L1",
      "    iload_0",
      "    ifeq L2",
      "    iconst_1",
      "    ireturn",
      "L1:",
      "    .stack same_frame_extended",
      "    iconst_0",
      "L2:",
      "    .stack same_locals_1_stack_item_frame_extended Integer",
      "    ireturn",
      ".end method",
    ].join("\n");
    const cf = assemble(text)[0]!;
    const code = findAttribute(cf.methods[0]!.attributes, "Code")!;
    expect(code.attributes.map((a) => cf.constantPool.utf8(a.nameIndex))).toEqual(["LineNumberTable", "LocalVariableTable", "StackMapTable"]);
    const bytes = writeClass(cf);
    const back = readClass(bytes);
    const backCode = findAttribute(back.methods[0]!.attributes, "Code")!;
    const tables = backCode.attributes.map((a) => ("entries" in a ? a.entries.length : a.kind));
    expect(tables).toEqual([0, 0, "StackMapTable"]);
    // The frames' types as written: 251 (same_frame_extended) and 247, though both deltas are under 64.
    const smt = backCode.attributes.find((a) => a.kind === "StackMapTable")!;
    expect(smt.kind === "StackMapTable" && smt.frames.map((f) => [f.type, f.offsetDelta, "extended" in f && f.extended])).toEqual([
      ["same", 10, true],
      ["same_locals_1_stack_item", 0, true],
    ]);
    expect(disassemble(back)).toContain(".stack same_frame_extended");
    expect(disassemble(back)).toContain(".stack same_locals_1_stack_item_frame_extended Integer");
    expect(Buffer.from(writeClass(assemble(disassemble(back, { constantPool: true }))[0]!)).equals(Buffer.from(bytes))).toBe(true);
  });
});

function runSample(name: string): string {
  const dir = join(work, `sample-${name}`);
  execFileSync("mkdir", ["-p", dir]);
  const [cf] = assemble(readFileSync(join("samples", `${name}.j`), "utf8"), { fileName: `${name}.j` });
  writeFileSync(join(dir, `${name}.class`), writeClass(cf!));
  // The re-disassembled sample is a fixed point of the text format.
  const text = disassemble(cf!, { constantPool: true });
  expect(disassemble(assemble(text)[0]!, { constantPool: true })).toBe(text);
  return execFileSync("java", ["-Xverify:all", "-cp", dir, name], { encoding: "utf8" });
}

describe("samples", () => {
  it("Hello.j prints Hello, world!", () => {
    expect(runSample("Hello")).toBe("Hello, world!\n");
  });
  it("Loop.j runs its loop, switch and handler", () => {
    expect(runSample("Loop")).toBe("zero\none\ntwo\nmany\ncaught / by zero\n");
  });
  it("Fib.j (version 52, frames, invokedynamic) runs", () => {
    expect(runSample("Fib")).toBe("fib(50) = 12586269025\n");
  });
});

describe("plain Jasmin", () => {
  const plain = `
.source Plain.j
.interface public Shape
.method public abstract area()D
.end method
.end class

.class public Plain
; no .super: java/lang/Object
.implements Shape
.field public static final SIZE I = 7
.field private ratio F = 2
.field private big J = 5
.method public <init>()V
    aload_0
    invokespecial java/lang/Object/<init>()V
    return
.end method
.method public area()D
    .throws java/lang/IllegalStateException
    ldc2_w 1.5
    ldc 2.5
    f2d
    dadd
    ldc2_w 5
    l2d
    dadd
    dreturn
.end method
.method public static max(II)I
    .var 0 is a I from Start to End
Start:
    iload_0
    iload_1
    if_icmpge First
    iload_1
    ireturn
First:
    iload_0
End:
    ireturn
.end method
.end class
`;
  it("assembles with Jasmin's defaults", () => {
    const [shape, cls] = assemble(plain, { fileName: "Plain.j" });
    expect(shape!.majorVersion).toBe(45);
    expect(shape!.minorVersion).toBe(3);
    expect(shape!.accessFlags).toBe(Access.PUBLIC | Access.INTERFACE | Access.ABSTRACT);
    expect(cls!.accessFlags).toBe(Access.PUBLIC | Access.SUPER);
    expect(cls!.constantPool.className(cls!.superClass)).toBe("java/lang/Object");
    expect(findAttribute(cls!.attributes, "SourceFile")).toBeUndefined();
    expect(findAttribute(shape!.attributes, "SourceFile")).toBeDefined();
    const text = disassemble(cls!);
    expect(text).toContain(".field public static final SIZE I = 7");
    expect(text).toContain(".field private ratio F = 2.0f");
    expect(text).toContain(".field private big J = 5L");
    expect(text).toContain("    ldc2_w 1.5\n    ldc 2.5f\n");
    expect(text).toContain("    ldc2_w 5L\n");
    expect(text).toContain(".limit stack 4\n    .limit locals 1\n");
    expect(text).toContain(".var 0 is a I from L0 to L2");
    expect(text).toContain(".throws java/lang/IllegalStateException");
    // The written classes load and verify (the old verifier: no stack maps at 45.3).
    const dir = join(work, "plain");
    execFileSync("mkdir", ["-p", dir]);
    writeFileSync(join(dir, "Shape.class"), writeClass(shape!));
    writeFileSync(join(dir, "Plain.class"), writeClass(cls!));
    writeFileSync(
      join(dir, "UsePlain.java"),
      "public class UsePlain { public static void main(String[] a) { System.out.println(new Plain().area() + \" \" + Plain.max(3, 9) + \" \" + Plain.SIZE); } }",
    );
    execFileSync("javac", ["-cp", dir, "-d", dir, join(dir, "UsePlain.java")]);
    expect(execFileSync("java", ["-Xverify:all", "-cp", dir, "UsePlain"], { encoding: "utf8" })).toBe("9.0 9 7\n");
  });
});

describe("exact constants", () => {
  const consts = `
.version 52 0
.class public super K
.method static f()V
    ldc NaN<0x7fc00001>f
    ldc -0.0f
    ldc -Infinityf
    ldc 0.1f
    ldc2_w NaN<0xfff8000000000001>
    ldc2_w -0.0
    ldc2_w Infinity
    ldc2_w 0.1
    ldc2_w -9223372036854775808L
    ldc -2147483648
    ldc "tab\\tquote\\"nul\\u0000\\ud800"
    ldc Class [[I
    ldc MethodType (I)V
    ldc MethodHandle invokestatic InterfaceMethod java/util/List/of()Ljava/util/List;
    return
.end method
`;
  it("keep their exact bits through text", () => {
    const [cf] = assemble(consts);
    const text = disassemble(cf!);
    for (const line of consts.trim().split("\n").filter((l) => l.startsWith("    ld"))) expect(text).toContain(line);
    const cp = cf!.constantPool;
    expect(cp.entries.some((e) => e?.kind === "Float" && e.bits === 0x7fc00001)).toBe(true);
    expect(cp.entries.some((e) => e?.kind === "Double" && e.bits === BigInt.asIntN(64, 0xfff8000000000001n))).toBe(true);
    expect(cp.entries.some((e) => e?.kind === "Double" && e.bits === -0x8000000000000000n)).toBe(true);
    // With the pool printed, the same text comes back.
    const pooled = disassemble(cf!, { constantPool: true });
    expect(disassemble(assemble(pooled)[0]!, { constantPool: true })).toBe(pooled);
  });
});

describe("syntax errors", () => {
  const cases: [string, string, number][] = [
    ["unknown instruction", ".class A\n.method static f()V\n    frobnicate\n.end method\n", 3],
    ["undefined label", ".class A\n.method static f()V\n    goto Nowhere\n    return\n.end method\n", 3],
    ["unterminated string", '.class A\n.method static f()V\n\n    ldc "abc\n.end method\n', 4],
    ["missing .end method", ".class A\n.method static f()V\n    return\n", 2],
    ["bad flag", ".class A\n.method publik static f()V\n.end method\n", 2],
    ["byte out of range", ".class A\n.method static f()V\n    bipush 300\n.end method\n", 3],
    ["label defined twice", ".class A\n.method static f()V\nX:\nX:\n    return\n.end method\n", 4],
    ["tableswitch without default", ".class A\n.method static f()V\n    iload_0\n    tableswitch 0 0\n        X\n", 4],
    ["unknown frame type", ".class A\n.method static f()V\n    return\n    .stack same_extended\n.end method\n", 4],
    ["a table named twice in .attributeorder", ".class A\n.method static f()V\n    .attributeorder LineNumberTable other LineNumberTable\n    return\n.end method\n", 3],
    ["an empty .attributeorder", ".class A\n.method static f()V\n    return\n    .attributeorder\n.end method\n", 4],
    ["unknown attribute kind in .attributeorder", ".class A\n.method static f()V\n    .attributeorder StackMapTable Code\n    return\n.end method\n", 3],
  ];
  for (const [what, text, line] of cases) {
    it(`${what} -> E_ASM_SYNTAX at line ${line}`, () => {
      let err: unknown;
      try {
        assemble(text, { fileName: "bad.j" });
      } catch (e) {
        err = e;
      }
      expect(err).toBeInstanceOf(MegasplitError);
      const d = (err as MegasplitError).diagnostic;
      expect(d.code).toBe("E_ASM_SYNTAX");
      expect(d.location.line).toBe(line);
      expect(d.location.entry).toBe("bad.j");
    });
  }
});

describe("determinism", () => {
  it("the same class gives the same text, with or without the pool", () => {
    const dir = join(work, "det");
    execFileSync("unzip", ["-q", "-o", corpusJar("asm"), "org/objectweb/asm/ClassReader.class", "-d", dir]);
    const bytes = readFileSync(join(dir, "org/objectweb/asm/ClassReader.class"));
    for (const constantPool of [false, true]) {
      const a = disassemble(readClass(bytes), { constantPool });
      const b = disassemble(readClass(bytes), { constantPool });
      expect(a).toBe(b);
    }
    // A method filter and the annotate hook.
    const cf = readClass(bytes);
    const one = disassemble(cf, { method: "readByte", annotate: (_mi, body) => new Map([[0, [`${body.nodes.length} nodes`]]]) });
    expect(one.match(/^\.method /gm)).toHaveLength(1);
    expect(one).toMatch(/^ {4}; \d+ nodes$/m);
  });
});
