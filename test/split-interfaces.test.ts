/**
 * The splitter on "the rest of the JVM" (issue 4, point 7), end to end on the real
 * JVM: each case is a program generated as Jasmin text (test/support/interface-case.ts),
 * split with `splitBundle` in each link mode, linked under -Xverify:all (no
 * failure) and run against the unsplit program (same transcript). The cases:
 *
 * - interfaces of version 61 and 52 with a huge static and a huge default method:
 *   the pieces are private static synthetic methods of the interface, called
 *   through InterfaceMethodref constants;
 * - interfaces of version 51 and 49 with a huge `<clinit>` filling static final
 *   arrays: the pieces go into a helper class `Tables$megasplit` (same package and
 *   version), the writes of the finals stay in the interface's `<clinit>`, and
 *   the mapping retraces a frame of the helper to the interface's `<clinit>`;
 * - a version-61 class whose constant pool is within 60 entries of 65,535 with a
 *   huge method: the pieces go into a nest-mate helper (NestHost/NestMembers),
 *   super calls and a protected member inherited from another package stay in
 *   the class;
 * - the same class as a nest member of another class, or of version 54: refused,
 *   with the counts.
 */
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { Access, type ClassFile, codeOf, findAttribute } from "../src/classfile/model.js";
import { readClass } from "../src/classfile/read.js";
import { decodeBody } from "../src/bytecode/decode.js";
import { Op } from "../src/bytecode/opcodes.js";
import { MappingIndex, readMapping, retraceText } from "../runtime/retrace/index.js";
import { linkAll } from "./support/jvm.js";
import { expectSameRun, runJava, type RunResult } from "./support/hard-case.js";
import { classIn, splitJar, type SplitJarResult } from "./support/split-jar.js";
import { assembleCase, fillConstantPool, interfaceCaseText, nestCaseText, oldInterfaceCaseText } from "./support/interface-case.js";

const work = mkdtempSync(join(tmpdir(), "megasplit-iface-"));
afterAll(() => rmSync(work, { recursive: true, force: true }));

const LINKS = ["switch", "direct", "auto"] as const;

function methodNames(cf: ClassFile): string[] {
  return cf.methods.map((m) => cf.constantPool.utf8(m.nameIndex));
}

/** Instructions of every method of `cf` named `method`, as `op owner.name` strings for member references. */
function memberCalls(cf: ClassFile, method: string): string[] {
  const out: string[] = [];
  for (const m of cf.methods) {
    if (cf.constantPool.utf8(m.nameIndex) !== method) continue;
    const body = decodeBody(codeOf(m)!, cf.constantPool);
    for (const n of body.nodes) {
      if (n.kind !== "cp" || n.op < Op.GETSTATIC || n.op > Op.INVOKESTATIC) continue;
      const ref = cf.constantPool.memberRef(n.index);
      out.push(`${n.op} ${ref.owner}.${ref.name}`);
    }
  }
  return out;
}

interface Program {
  dir: string;
  expected: RunResult;
}

function program(name: string, text: string, mainClass: string, edit?: (cf: ClassFile, name: string) => void): () => Program {
  let p: Program | undefined;
  return () => {
    if (p) return p;
    const dir = join(work, name);
    assembleCase(text, dir, edit);
    const expected = runJava(dir, mainClass, { jvm: ["-Xverify:all"] });
    expect(expected.stderr).toBe("");
    expect(expected.status).toBe(0);
    expect(expected.stdout.length).toBeGreaterThan(0);
    p = { dir, expected };
    return p;
  };
}

async function splitAndRun(p: Program, name: string, link: (typeof LINKS)[number], maxSize: number, mainClass: string): Promise<SplitJarResult> {
  const split = await splitJar(p.dir, work, `${name}-${link}.jar`, { maxSize, link });
  expect(split.result.diagnostics).toEqual([]);
  const linked = await linkAll(split.path);
  expect(linked.failures).toEqual([]);
  expect(linked.linked).toBeGreaterThan(1);
  expectSameRun(runJava(split.path, mainClass, { jvm: ["-Xverify:all"] }), p.expected);
  return split;
}

for (const version of [61, 52]) {
  describe(`an interface of version ${version} with a huge static and a huge default method`, () => {
    const pkg = `iface${version}`;
    const get = program(pkg, interfaceCaseText(pkg, version, 1100), `${pkg}.Main`);
    beforeAll(() => void get());
    for (const link of LINKS) {
      it(`link ${link}: pieces are private static synthetic methods of the interface, called through InterfaceMethodref`, async () => {
        const split = await splitAndRun(get(), pkg, link, 2048, `${pkg}.Main`);
        const calc = classIn(split, `${pkg}/Calc`);
        expect(calc.majorVersion).toBe(version);
        for (const method of ["big(I)J", "dflt(I)J"]) {
          const r = split.result.reports.find((x) => x.className === `${pkg}/Calc` && x.method === method)!;
          if (r.result.kind !== "split") throw new Error(`${method} refused: ${r.result.reason}`);
          expect(r.pieceClass).toBeUndefined();
          expect(r.result.pieces.length).toBeGreaterThanOrEqual(3);
          const names = methodNames(calc);
          for (const p of r.result.pieces) {
            expect(names).toContain(p.name);
            const m = calc.methods.find((x) => calc.constantPool.utf8(x.nameIndex) === p.name)!;
            expect(m.accessFlags & (Access.PRIVATE | Access.STATIC | Access.SYNTHETIC | Access.PUBLIC)).toBe(Access.PRIVATE | Access.STATIC | Access.SYNTHETIC);
          }
        }
        // No Methodref names a method of the interface (JVMS 4.4.2: InterfaceMethodref).
        const cp = calc.constantPool;
        const wrong = cp.entries.flatMap((e, i) => (e?.kind === "Methodref" && cp.memberRef(i).owner === `${pkg}/Calc` ? [cp.memberRef(i).name] : []));
        expect(wrong).toEqual([]);
        expect(cp.entries.some((e, i) => e?.kind === "InterfaceMethodref" && cp.memberRef(i).name.includes("$split$"))).toBe(true);
      });
    }
  });
}

for (const version of [51, 49]) {
  describe(`an interface of version ${version} with a huge <clinit> filling static final arrays`, () => {
    const pkg = `old${version}`;
    const get = program(pkg, oldInterfaceCaseText(pkg, version, 3000, 600), `${pkg}.Main`);
    beforeAll(() => void get());
    for (const link of LINKS) {
      it(`link ${link}: the pieces go into a helper class, the final writes stay in the interface`, async () => {
        const split = await splitAndRun(get(), pkg, link, 2048, `${pkg}.Main`);
        const r = split.result.reports.find((x) => x.className === `${pkg}/Tables` && x.method === "<clinit>()V")!;
        if (r.result.kind !== "split") throw new Error(`<clinit> refused: ${r.result.reason}`);
        const helperName = `${pkg}/Tables$megasplit`;
        expect(r.pieceClass).toBe(helperName);
        expect(r.result.pieces.length).toBeGreaterThanOrEqual(3);

        const tables = classIn(split, `${pkg}/Tables`);
        expect(methodNames(tables)).toEqual(["<clinit>"]);
        expect(tables.majorVersion).toBe(version);
        const driverRefs = memberCalls(tables, "<clinit>");
        for (const f of ["INTS", "NAMES", "DIGEST"]) expect(driverRefs).toContain(`${Op.PUTSTATIC} ${pkg}/Tables.${f}`);
        expect(driverRefs.some((x) => x.startsWith(`${Op.INVOKESTATIC} ${helperName}.`))).toBe(true);

        const helper = classIn(split, helperName);
        expect(helper.majorVersion).toBe(version);
        expect(helper.accessFlags).toBe(Access.FINAL | Access.SUPER | Access.SYNTHETIC);
        expect(helper.constantPool.className(helper.superClass)).toBe("java/lang/Object");
        expect(methodNames(helper).sort()).toEqual(r.result.pieces.map((p) => p.name).sort());
        for (const m of helper.methods) {
          expect(m.accessFlags).toBe(Access.STATIC | Access.SYNTHETIC);
          expect(memberCalls(helper, helper.constantPool.utf8(m.nameIndex)).filter((x) => x.startsWith(`${Op.PUTSTATIC} `))).toEqual([]);
        }
        expect(findAttribute(helper.attributes, "SourceFile")).toBeDefined();
        // The helper's entry follows the class's in the bundle.
        const names = split.result.bundle.entries.map((e) => e.name);
        expect(names.indexOf(`${helperName}.class`)).toBe(names.indexOf(`${pkg}/Tables.class`) + 1);

        // The mapping lists the pieces under the helper, as moved from the interface's <clinit>.
        const mapping = split.result.mapping.toString();
        const javaHelper = helperName.replace(/\//g, ".");
        expect(mapping).toContain(`${javaHelper} -> ${javaHelper}:`);
        for (const p of r.result.pieces) expect(mapping).toMatch(new RegExp(`[ :]void ${pkg}\\.Tables\\.<clinit>\\(\\)(:\\d+:\\d+)? -> ${p.name.replace(/\$/g, "\\$")}$`, "m"));
        // A frame in a piece (called through the dispatcher) retraces to the <clinit> line.
        const piece = r.result.pieces.find((p) => p.lines.length > 0 && !p.name.includes("$dispatch$"))!;
        const chain: string[] = [];
        let callee = piece.name;
        for (;;) {
          const site = r.result.callSites.find((c) => c.callee === callee);
          if (!site) break;
          const owner = site.caller === "<clinit>" ? `${pkg}.Tables` : javaHelper;
          chain.push(`\tat ${owner}.${site.caller}(Tables.java:${site.line})`);
          callee = site.caller;
          if (site.caller === "<clinit>") break;
        }
        expect(chain.length).toBeGreaterThan(0);
        const line = piece.lines[piece.lines.length - 1]!;
        // The line is one the unsplit <clinit> has: the mapping is checked against the input, not against itself.
        const original = readClass(readFileSync(join(get().dir, `${pkg}/Tables.class`)));
        const clinit = original.methods.find((m) => original.constantPool.utf8(m.nameIndex) === "<clinit>")!;
        const originalLines = codeOf(clinit)!.attributes.flatMap((x) => (x.kind === "LineNumberTable" ? x.entries.map((e) => e.line) : []));
        expect(originalLines).toContain(line);
        const trace = [`java.lang.IllegalStateException: boom`, `\tat ${javaHelper}.${piece.name}(Tables.java:${line})`, ...chain, `\tat ${pkg}.Main.main(Main.java)`].join("\n") + "\n";
        const retraced = retraceText(new MappingIndex([readMapping(mapping).mapping]), trace);
        expect(retraced).toBe(`java.lang.IllegalStateException: boom\n\tat ${pkg}.Tables.<clinit>(Tables.java:${line})\n\tat ${pkg}.Main.main(Main.java)\n`);
      });
    }
  });
}

describe("a version-61 class whose constant pool is nearly full, with a huge method", () => {
  const pkg = "nest";
  let filled = 0;
  const get = program(pkg, nestCaseText(pkg, 1500, false), `${pkg}.Big`, (cf, name) => {
    if (name === `${pkg}/Big`) filled = fillConstantPool(cf, 60);
  });
  beforeAll(() => void get());
  for (const link of LINKS) {
    it(`link ${link}: the pieces go into a nest-mate helper; super calls and protected members stay in the class`, async () => {
      const split = await splitAndRun(get(), pkg, link, 1024, `${pkg}.Big`);
      expect(filled).toBeGreaterThan(30_000);
      const r = split.result.reports.find((x) => x.className === `${pkg}/Big` && x.method === "run(I)J")!;
      if (r.result.kind !== "split") throw new Error(`run refused: ${r.result.reason}`);
      const helperName = `${pkg}/Big$megasplit`;
      expect(r.pieceClass).toBe(helperName);
      expect(r.result.pieces.length).toBeGreaterThanOrEqual(3);

      const big = classIn(split, `${pkg}/Big`);
      expect(big.constantPool.count).toBeLessThanOrEqual(65535);
      expect(methodNames(big).sort()).toEqual(["<init>", "main", "priv", "run"]);
      const members = findAttribute(big.attributes, "NestMembers");
      expect(members?.classes.map((c) => big.constantPool.className(c))).toEqual([`${pkg}/Big$Inner`, helperName]);
      const driverRefs = memberCalls(big, "run");
      expect(driverRefs).toContain(`${Op.INVOKESPECIAL} ${pkg}base/Base.base`);
      expect(driverRefs).toContain(`${Op.INVOKEVIRTUAL} ${pkg}/Big.base`);

      const helper = classIn(split, helperName);
      expect(helper.majorVersion).toBe(61);
      const host = findAttribute(helper.attributes, "NestHost");
      expect(host && helper.constantPool.className(host.hostClassIndex)).toBe(`${pkg}/Big`);
      expect(methodNames(helper).sort()).toEqual(r.result.pieces.map((p) => p.name).sort());
      const pieceRefs = helper.methods.flatMap((m) => memberCalls(helper, helper.constantPool.utf8(m.nameIndex)));
      for (const m of helper.methods) expect(m.accessFlags).toBe(Access.PRIVATE | Access.STATIC | Access.SYNTHETIC);
      // Private members of the host are reached from the helper (nest-mates); super calls are not.
      expect(pieceRefs).toContain(`${Op.INVOKEVIRTUAL} ${pkg}/Big.priv`);
      expect(pieceRefs).toContain(`${Op.PUTSTATIC} ${pkg}/Big.counter`);
      expect(pieceRefs.filter((x) => x.startsWith(`${Op.INVOKESPECIAL} `) || x.endsWith(".base"))).toEqual([]);
    });
  }
});

describe("helper classes are deterministic", () => {
  it("splitting the same input twice gives the same bytes and mapping (helper class and nest-mate helper)", async () => {
    for (const [pkg, text, edit] of [
      ["det49", oldInterfaceCaseText("det49", 49, 1500, 300), undefined],
      ["detnest", nestCaseText("detnest", 1500, false), (cf: ClassFile, name: string) => void (name === "detnest/Big" && fillConstantPool(cf, 60))],
    ] as const) {
      const dir = join(work, pkg);
      assembleCase(text, dir, edit);
      const [a, b] = [await splitJar(dir, work, `${pkg}-a.jar`, { maxSize: 1024, link: "auto" }), await splitJar(dir, work, `${pkg}-b.jar`, { maxSize: 1024, link: "auto" })];
      expect(a.result.reports.filter((r) => r.pieceClass !== undefined).length, JSON.stringify(a.result.reports.map((r) => [r.method, r.result.kind === "refused" ? r.result.reason : "split"]))).toBe(1);
      expect(a.result.bundle.entries.map((e) => e.name)).toEqual(b.result.bundle.entries.map((e) => e.name));
      a.result.bundle.entries.forEach((e, i) => expect(Buffer.compare(e.data, b.result.bundle.entries[i]!.data), e.name).toBe(0));
      expect(a.result.mapping.toString()).toBe(b.result.mapping.toString());
    }
  });
});

describe("a nest member whose constant pool is nearly full", () => {
  const pkg = "nestm";
  const get = program(pkg, nestCaseText(pkg, 1500, true), `${pkg}.Big`, (cf, name) => {
    if (name === `${pkg}/Big`) fillConstantPool(cf, 60);
  });
  beforeAll(() => void get());
  it("is refused with the reason and the counts, and left unchanged", async () => {
    const p = get();
    const split = await splitJar(p.dir, work, "nestm.jar", { maxSize: 1024, link: "switch" });
    const r = split.result.reports.find((x) => x.className === `${pkg}/Big` && x.method === "run(I)J")!;
    expect(r.result.kind).toBe("refused");
    if (r.result.kind !== "refused") return;
    expect(r.result.reason).toMatch(
      /^the constant pool would overflow: nestm\/Big has 654\d\d constant-pool entries and the split needs more than the \d+ left \(limit 65,535\); nestm\/Big is a nest member of nestm\/Outer, so a helper class cannot join its nest$/,
    );
    expect(split.result.bundle.entries.map((e) => e.name)).not.toContain(`${pkg}/Big$megasplit.class`);
    expect(split.result.bundle.entries.find((e) => e.name === `${pkg}/Big.class`)!.modified).toBe(false);
    expectSameRun(runJava(split.path, `${pkg}.Big`, { jvm: ["-Xverify:all"] }), p.expected);
  });
});

describe("a class of version 54 whose constant pool is nearly full", () => {
  const pkg = "cp54";
  const get = program(pkg, nestCaseText(pkg, 1500, false, 54), `${pkg}.Big`, (cf, name) => {
    if (name === `${pkg}/Big`) fillConstantPool(cf, 60);
  });
  beforeAll(() => void get());
  it("is refused: a nest-mate helper needs version 55", async () => {
    const p = get();
    const split = await splitJar(p.dir, work, "cp54.jar", { maxSize: 1024, link: "auto" });
    const r = split.result.reports.find((x) => x.className === `${pkg}/Big` && x.method === "run(I)J")!;
    if (r.result.kind !== "refused") throw new Error("run was split");
    expect(r.result.reason).toMatch(
      /^the constant pool would overflow: cp54\/Big has 654\d\d constant-pool entries and the split needs more than the \d+ left \(limit 65,535\); a nest-mate helper class needs class version 55 \(this is 54\)$/,
    );
    expect(split.result.bundle.entries.find((e) => e.name === `${pkg}/Big.class`)!.modified).toBe(false);
    expectSameRun(runJava(split.path, `${pkg}.Big`, { jvm: ["-Xverify:all"] }), p.expected);
  });
});
