/**
 * Shapes the splitter used to refuse at the 1,024-byte stress limit (issue 4,
 * "Refusals are rare and explained"), end to end on generated javac programs
 * (--release 17, class version 61): each is split with `splitBundle` in the link
 * modes switch and auto, must link under -Xverify:all and print byte-for-byte
 * what the unsplit classes print.
 *
 * - super(...) and this(...) whose arguments are huge array literals: the code
 *   computing them runs while uninitializedThis waits on the stack, and is
 *   outlined into a called method (src/split/regions.ts).
 * - a table of `new Lazy(new Object[] {...})` entries inside one array literal
 *   (javax.swing's LookAndFeel defaults): the outlined arguments leave short
 *   stretches holding an uninitialized object, which must not glue the code on
 *   either side of them into one atom (src/split/cut-points.ts).
 * - final fields written from <clinit> and <init> between big computations: only
 *   the stores stay in the original method, the computations move to pieces.
 * - enums of 110, 135 and 160 constants and a table of static finals (one
 *   computed by a conditional, one by a loop with its own locals): each value is
 *   computed by a piece that returns it, and <clinit> keeps only calls and stores
 *   (passes/link/final-stores.ts), 8, 7 or 6 bytes a write.
 * - an enum of 260 constants: every store must stay in <clinit> and together
 *   they exceed the limit even at 6 bytes each; the refusal (W_REFUSED_FINAL_FIELDS)
 *   says so, with the count of writes and the computed bound.
 */
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { decodeBody } from "../src/bytecode/decode.js";
import { Op } from "../src/bytecode/opcodes.js";
import { codeOf } from "../src/classfile/model.js";
import { readClass } from "../src/classfile/read.js";
import { cutPoints, finalFieldsGuarded, withCutLabels, writesOwnFinal } from "../src/split/cut-points.js";
import { cutQuality } from "../src/split/cut-quality.js";
import { buildCfg, isInstruction } from "../passes/cfg.js";
import { inferFrames } from "../passes/frames.js";
import { methodContext } from "../passes/pass.js";
import { linkAll } from "./support/jvm.js";
import { compileJava, expectSameRun, runJava } from "./support/hard-case.js";
import { classIn, refusalLines, splitJar, splitReportOf, type SplitJarResult } from "./support/split-jar.js";

const work = mkdtempSync(join(tmpdir(), "megasplit-stress-"));
afterAll(() => rmSync(work, { recursive: true, force: true }));

const MAX = 1024;
const LINKS = ["switch", "auto"] as const;

function words(n: number, salt: number): string[] {
  return Array.from({ length: n }, (_, i) => JSON.stringify(`w${(i * 7919 + salt) % 10007}${i % 5 === 0 ? "\u00e9" : ""}`));
}

/** super(...) and this(...) with array literals of several KB as arguments. */
function superArgsSource(): string {
  const ints = Array.from({ length: 500 }, (_, i) => ((i * 104729) % 65521) - 30000);
  return `package superargs;

class Base {
  private final long digest;
  Base(int seed, String[] names, int[] values) {
    long d = seed;
    for (String s : names) d = d * 31 + s.hashCode();
    for (int v : values) d = d * 17 + v;
    digest = d;
  }
  long digest() { return digest; }
}

public class Main extends Base {
  final String how;
  Main(int seed) {
    this(seed, new String[] {${words(260, 1).join(", ")}});
  }
  Main(int seed, String[] names) {
    super(seed + names.length, names, new int[] {${ints.join(", ")}});
    how = "names " + names.length + " first " + names[0];
  }
  public static void main(String[] args) {
    for (int s = 0; s < 3; s++) {
      Main m = new Main(s);
      System.out.println(m.how + " " + m.digest());
    }
  }
}
`;
}

/** One array literal of `new Lazy(new Object[] {...})` entries, as javax.swing's defaults tables. */
function lazyTableSource(): string {
  const entries: string[] = [];
  for (let k = 0; k < 14; k++) {
    const pairs = words(36 + (k % 4) * 12, k).map((w, i) => (i % 2 === 0 ? w : `"action${k}-${i}"`));
    entries.push(`      "key${k}", new Lazy(new Object[] {${pairs.join(", ")}})`);
    if (k % 3 === 0) entries.push(`      "plain${k}", Integer.valueOf(${k * 11})`);
  }
  return `package lazytable;

import java.util.Arrays;

public class Main {
  static final class Lazy {
    final Object[] bindings;
    Lazy(Object[] bindings) { this.bindings = bindings; }
    @Override public String toString() { return "Lazy" + bindings.length + "/" + Arrays.hashCode(bindings); }
  }

  static Object[] defaults(int bias) {
    Object[] table = new Object[] {
${entries.join(",\n")}
    };
    table[1] = bias == 0 ? table[1] : "biased";
    return table;
  }

  public static void main(String[] args) {
    for (int bias = 0; bias < 2; bias++) System.out.println(Arrays.toString(defaults(bias)));
  }
}
`;
}

/** Final fields (static and instance) written between big computations. */
function finalsSource(): string {
  const a = Array.from({ length: 420 }, (_, i) => ((i * 7919) % 30011) - 15000);
  const d = Array.from({ length: 380 }, (_, i) => ((i * 131) % 9973) - 4000);
  const e = Array.from({ length: 300 }, (_, i) => (i * 37) % 1001);
  return `package finals;

import java.util.Arrays;

public final class Tables {
  static final int[] A;
  static final String B;
  static final long C;
  static final int[] D;
  final int[] e;
  final long f;

  static {
    A = new int[] {${a.join(", ")}};
    B = "a" + A.length + "/" + A[7];
    long c = 17;
    for (int v : A) c = c * 31 + v;
    C = c;
    D = new int[] {${d.join(", ")}};
  }

  Tables(int seed) {
    e = new int[] {${e.join(", ")}};
    long x = seed;
    for (int v : e) x = x * 131 + v;
    f = x;
  }

  public static void main(String[] args) {
    System.out.println(Arrays.hashCode(A) + " " + B + " " + C + " " + Arrays.hashCode(D));
    for (int s = 0; s < 2; s++) {
      Tables t = new Tables(s);
      System.out.println(Arrays.hashCode(t.e) + " " + t.f);
    }
  }
}
`;
}

/** An enum of `count` constants: one store per constant, all in <clinit>. */
function bigEnumSource(count = 260, pkg = "bigenum"): string {
  const names = Array.from({ length: count }, (_, i) => `C${i}(${(i * 37) % 101})`);
  return `package ${pkg};

public enum Kind {
  ${names.join(", ")};
  final int weight;
  Kind(int weight) { this.weight = weight; }
  public static void main(String[] args) {
    long s = 0;
    for (Kind k : values()) s = s * 7 + k.weight + k.ordinal();
    System.out.println(values().length + " " + s);
  }
}
`;
}

function build(name: string, file: string, text: string): string {
  const src = join(work, "src", file);
  mkdirSync(dirname(src), { recursive: true });
  writeFileSync(src, text);
  return compileJava([src], join(work, name));
}

/** The decoded code of `method` (name + descriptor) of `className` in the split jar. */
function codeIn(split: SplitJarResult, className: string, method: string) {
  const cf = classIn(split, className);
  const m = cf.methods.find((x) => cf.constantPool.utf8(x.nameIndex) + cf.constantPool.utf8(x.descriptorIndex) === method)!;
  const body = decodeBody(codeOf(m)!, cf.constantPool);
  const ops = body.nodes.flatMap((n) => ("op" in n ? [{ op: n.op, ref: n.kind === "cp" && (n.op === Op.PUTSTATIC || n.op === Op.PUTFIELD) ? cf.constantPool.memberRef(n.index).name : undefined }] : []));
  return { length: codeOf(m)!.code.length, ops };
}

interface Case {
  name: string;
  dir: string;
  file: string;
  source: () => string;
  mainClass: string;
  /** Methods that must be split (class, name + descriptor). */
  split: [string, string][];
  check?(split: SplitJarResult, classes: string): void;
}

const CASES: Case[] = [
  {
    name: "super(...) and this(...) with array literals of several KB as arguments",
    dir: "superargs",
    file: "superargs/Main.java",
    source: superArgsSource,
    mainClass: "superargs.Main",
    split: [
      ["superargs/Main", "<init>(I)V"],
      ["superargs/Main", "<init>(I[Ljava/lang/String;)V"],
    ],
  },
  {
    name: "a table of new Lazy(new Object[] {...}) entries in one array literal",
    dir: "lazytable",
    file: "lazytable/Main.java",
    source: lazyTableSource,
    mainClass: "lazytable.Main",
    split: [["lazytable/Main", "defaults(I)[Ljava/lang/Object;"]],
  },
  {
    name: "final fields written between big computations keep only their stores in <clinit> and <init>",
    dir: "finals",
    file: "finals/Tables.java",
    source: finalsSource,
    mainClass: "finals.Tables",
    split: [
      ["finals/Tables", "<clinit>()V"],
      ["finals/Tables", "<init>(I)V"],
    ],
    check(split, classes) {
      const original = readClass(readFileSync(join(classes, "finals/Tables.class")));
      for (const [method, op, fields] of [
        ["<clinit>()V", Op.PUTSTATIC, ["A", "B", "C", "D"]],
        ["<init>(I)V", Op.PUTFIELD, ["e", "f"]],
      ] as const) {
        // What is pinned is the store alone: its block holds no other instruction.
        const m = original.methods.find((x) => original.constantPool.utf8(x.nameIndex) + original.constantPool.utf8(x.descriptorIndex) === method)!;
        const ctx = methodContext(original, m);
        const body = decodeBody(codeOf(m)!, original.constantPool);
        const cut = withCutLabels(body, cutPoints(body, ctx, MAX / 3, cutQuality(body, inferFrames(body, ctx))));
        const { cfg } = buildCfg(cut.body, ctx.where, { extraLeaders: cut.leaders });
        const finals = finalFieldsGuarded(original);
        const pinnedBlocks = Array.from({ length: cfg.blockCount }, (_, b) => b).filter((b) => writesOwnFinal(cfg, b, ctx, finals));
        expect(pinnedBlocks.length).toBe(fields.length);
        for (const b of pinnedBlocks) {
          const insns = cut.body.nodes.slice(cfg.blockStart[b]!, cfg.blockEnd[b]!).filter(isInstruction);
          expect(insns.map((x) => x.op)).toEqual([op]);
        }
        // In the driver: every final field written once; the big computations went to pieces.
        const driver = codeIn(split, "finals/Tables", method);
        expect(driver.ops.filter((x) => x.op === op).map((x) => x.ref).sort()).toEqual([...fields].sort());
        const iastores = (ops: { op: number }[]) => ops.filter((x) => x.op === Op.IASTORE).length;
        expect(iastores(driver.ops)).toBeLessThan(iastores(body.nodes.flatMap((n) => ("op" in n ? [n] : []))) / 2);
      }
    },
  },
];

for (const c of CASES) {
  describe(c.name, () => {
    let classes: string;
    let expected: ReturnType<typeof runJava>;
    beforeAll(() => {
      classes = build(c.dir, c.file, c.source());
      expected = runJava(classes, c.mainClass, { jvm: ["-Xverify:all"] });
      expect(expected.status).toBe(0);
      expect(expected.stdout.length).toBeGreaterThan(0);
    });
    for (const link of LINKS) {
      it(`link ${link}: splits at ${MAX} bytes, links, and prints the same transcript`, async () => {
        const split = await splitJar(classes, work, `${c.dir}-${link}.jar`, { maxSize: MAX, link });
        expect(split.result.diagnostics).toEqual([]);
        for (const [className, method] of c.split) {
          const report = split.result.reports.find((r) => r.className === className && r.method === method);
          expect(report, `${className}.${method} was not considered`).toBeDefined();
          if (report!.result.kind !== "split") throw new Error(`${className}.${method} refused: ${report!.result.reason}`);
          expect(report!.result.driverLength).toBeLessThanOrEqual(MAX);
          for (const p of report!.result.pieces) expect(p.codeLength).toBeLessThanOrEqual(MAX);
        }
        expect(refusalLines(split)).toEqual([]);
        const linked = await linkAll(split.path);
        expect(linked.failures).toEqual([]);
        expectSameRun(runJava(split.path, c.mainClass, { jvm: ["-Xverify:all"] }), expected);
        c.check?.(split, classes);
      });
    }
  });
}

describe("an enum of 260 constants at 1024 bytes", () => {
  it("is refused with the count of final-field writes that must stay in <clinit>, and still runs", async () => {
    const classes = build("bigenum", "bigenum/Kind.java", bigEnumSource());
    const split = await splitJar(classes, work, "bigenum.jar", { maxSize: MAX, link: "auto" });
    expect(split.result.diagnostics).toEqual([]);
    const report = split.result.reports.find((r) => r.className === "bigenum/Kind" && r.method === "<clinit>()V");
    if (report?.result.kind !== "refused") throw new Error(`bigenum/Kind.<clinit> was not refused: ${report?.result.kind ?? "not considered"}`);
    // The refused method is written back byte for byte ($values() of the same class is split).
    const rawClinit = (data: Uint8Array) => {
      const cf = readClass(data);
      return Buffer.from(cf.methods.find((m) => cf.constantPool.utf8(m.nameIndex) === "<clinit>")!.raw!);
    };
    const before = readFileSync(join(classes, "bigenum/Kind.class"));
    const after = split.result.bundle.entries.find((e) => e.name === "bigenum/Kind.class")!.data;
    expect(rawClinit(after).equals(rawClinit(before))).toBe(true);
    // 260 constants and $VALUES.
    // Even a piece per value (6 bytes a write) would need 1,566 bytes.
    expect(report.result.code).toBe("W_REFUSED_FINAL_FIELDS");
    expect(report.result.reason).toMatch(/^261 writes of 261 final fields that only <clinit> may execute \(class version 53\+\) take at least 1567 bytes there \(.*: 6 bytes or more a write, plus the return\), over the limit of 1024: no split can fit$/);
    expectSameRun(runJava(split.path, "bigenum.Kind", { jvm: ["-Xverify:all"] }), runJava(classes, "bigenum.Kind", { jvm: ["-Xverify:all"] }));
  });
});

/** Static finals whose values need a conditional and a loop with locals of its own. */
function finalTableSource(): string {
  const fields = Array.from({ length: 70 }, (_, i) =>
    i % 10 === 3
      ? `  static final int F${i} = Integer.getInteger("megasplit.f${i}", ${i}) > ${i / 2} ? ${i * 3} : -${i};`
      : i % 10 === 7
        ? `  static final int[] F${i} = fill(${i});`
        : `  static final String F${i} = "v${i}:" + Integer.toHexString(${i * 7919});`,
  );
  return `package finaltable;

public final class Table {
${fields.join("\n")}
  static final long[] SQUARES;
  static {
    long[] a = new long[40];
    for (int i = 0; i < a.length; i++) a[i] = (long) i * i + F3;
    SQUARES = a;
  }
  static int[] fill(int n) {
    int[] a = new int[n % 9 + 1];
    for (int i = 0; i < a.length; i++) a[i] = i * n;
    return a;
  }
  public static void main(String[] args) {
    StringBuilder out = new StringBuilder();
${Array.from({ length: 70 }, (_, i) => `    out.append(${i % 10 === 7 ? `java.util.Arrays.toString(F${i})` : `F${i}`}).append(' ');`).join("\n")}
    out.append(java.util.Arrays.toString(SQUARES));
    System.out.println(out);
  }
}
`;
}

describe("static finals written one after another at 1024 bytes", () => {
  for (const [what, pkg, mainClass, source, writes, bytesPerWrite] of [
    ["an enum of 110 constants", "midenum", "midenum.Kind", () => bigEnumSource(110, "midenum"), 111, 8],
    // 8 bytes a write would not fit: at most six values a piece (7 bytes), then one (6 bytes).
    ["an enum of 135 constants", "enum135", "enum135.Kind", () => bigEnumSource(135, "enum135"), 136, 7],
    ["an enum of 160 constants", "enum160", "enum160.Kind", () => bigEnumSource(160, "enum160"), 161, 6],
    ["a table of 71 static finals, computed by conditionals and loops", "finaltable", "finaltable.Table", finalTableSource, 71, 8],
  ] as const) {
    it(`${what}: pieces return each value, <clinit> keeps only the calls and stores (${bytesPerWrite} bytes a write), and runs the same`, async () => {
      const classes = build(pkg, `${pkg}/${mainClass.split(".")[1]}.java`, source());
      const className = mainClass.replace(".", "/");
      const split = await splitJar(classes, work, `${pkg}.jar`, { maxSize: MAX, link: "auto" });
      expect(split.result.diagnostics).toEqual([]);
      const linked = await linkAll(split.path);
      expect(linked.failures).toEqual([]);
      expect(linked.linked).toBeGreaterThan(0);
      const report = splitReportOf(split, className, "<clinit>()V");
      expect(report.handover).toEqual(["return values"]);
      expect(report.pieces.length).toBeGreaterThanOrEqual(2);
      for (const p of report.pieces) expect(p.codeLength).toBeLessThanOrEqual(MAX);
      const driver = codeIn(split, className, "<clinit>()V");
      expect(driver.length).toBeLessThanOrEqual(MAX);
      // Only pushes of the case, calls, the stores (every field once, in order) and the return.
      expect(driver.ops.filter((o) => o.op === Op.PUTSTATIC).length).toBe(writes);
      expect(driver.ops.every((o) => [Op.PUTSTATIC, Op.INVOKESTATIC, Op.BIPUSH, Op.SIPUSH, Op.RETURN].includes(o.op) || (o.op >= Op.ICONST_0 && o.op <= Op.ICONST_5))).toBe(true);
      const pushes = driver.ops.filter((o) => o.op !== Op.PUTSTATIC && o.op !== Op.INVOKESTATIC && o.op !== Op.RETURN);
      if (bytesPerWrite === 7) expect(pushes.every((o) => o.op >= Op.ICONST_0 && o.op <= Op.ICONST_5)).toBe(true);
      if (bytesPerWrite === 6) {
        expect(pushes).toEqual([]);
        for (const p of report.pieces) expect(p.descriptor.startsWith("()")).toBe(true);
      }
      if (bytesPerWrite === 8) expect(report.pieces.some((p) => p.descriptor.startsWith("(I)"))).toBe(true);
      expectSameRun(runJava(split.path, mainClass, { jvm: ["-Xverify:all"] }), runJava(classes, mainClass, { jvm: ["-Xverify:all"] }));
    });
  }
});
