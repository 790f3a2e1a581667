/**
 * Frames match javac, and the JVM accepts them. For every method of the Debian
 * corpus jars and of the JDK modules java.base, java.desktop and jdk.compiler that
 * has a StackMapTable, the table is dropped and recomputed from scratch
 * (`recomputeClassFrames`: nothing of the original frames is used, only the code
 * and the class hierarchy) and compared frame by frame with javac's, expanded to
 * full locals and stack at the same instruction; the count and percentage of
 * identical frames are printed. Differences remain where javac's declared types
 * cannot be recovered: no LocalVariableTable row (a stack entry, a class without
 * -g), a declared type the written frames could not keep (the method then gets
 * every local as inferred), and frames of ASM-generated classes (jython's
 * compiled modules, much of groovy), which list dead locals that we drop.
 * Classes of version 49 and below are upgraded to version 51 with
 * inferred frames (`upgradeClass`). The re-framed jars (and jdk.compiler, as a
 * patched module) then load and link under -Xverify:all with zero failures; the
 * original jars link with zero failures on the same classpath, so any failure is
 * ours.
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join, relative } from "node:path";
import { readFileSync } from "node:fs";
import { afterAll, describe, expect, it } from "vitest";
import { isClassEntry, withData } from "../src/bundle/bundle.js";
import { readBundle } from "../src/bundle/read.js";
import { writeBundle } from "../src/bundle/write.js";
import { decodeBody } from "../src/bytecode/decode.js";
import type { FrameNode, FrameType, MethodBody } from "../src/bytecode/model.js";
import type { ConstantPool } from "../src/classfile/constant-pool.js";
import { type ClassFile, codeOf, findAttribute } from "../src/classfile/model.js";
import { readClass } from "../src/classfile/read.js";
import { writeClass } from "../src/classfile/write.js";
import { type Diagnostic, formatDiagnostic } from "../src/diagnostics.js";
import { createClassHierarchy } from "../src/hierarchy/hierarchy.js";
import { isInstruction } from "../passes/cfg.js";
import { compressSlots, DOUBLE, FLOAT, INT, LONG, TypeTable, UNINITIALIZED_THIS, initialFrame } from "../passes/frames.js";
import { type ClassHierarchy, methodContext } from "../passes/pass.js";
import { recomputeClassFrames, upgradeClass } from "../passes/stackmap.js";
import { CORPUS_NAMES, type CorpusName, corpusClasspath, corpusJar, extractModule, javaHome, moduleClassFiles } from "./support/corpus.js";
import { linkAll } from "./support/jvm.js";

const work = mkdtempSync(join(tmpdir(), "megasplit-frames-"));
afterAll(() => rmSync(work, { recursive: true, force: true }));

/**
 * Share of recomputed frames identical to javac's, at least (measured 2026-11-21,
 * rounded down; raise as inference gets closer). Where they differ the frame is
 * still one the verifier accepts (the linked corpora link), typed differently
 * (jython and groovy differ most).
 */
const MIN_IDENTICAL: Record<string, number> = {
  rhino: 0.962,
  asm: 0.999,
  jython: 0.745,
  groovy: 0.863,
  antlr4: 0.982,
  janino: 0.988,
  "java.base": 0.97,
  "java.desktop": 0.973,
  "jdk.compiler": 0.986,
};

/** Corpora whose re-framed classes must link (janino too: it costs little). */
const LINKED = new Set<string>(["rhino", "asm", "jython", "groovy", "antlr4", "janino", "jdk.compiler"]);

/** Each frame of a body, expanded (JVMS 4.7.4) to `locals | stack` text, by the ordinal of its instruction. */
function expandedFrames(body: MethodBody, cp: ConstantPool, initial: readonly string[]): Map<number, string> {
  const ordinalOfLabel = new Map<number, number>();
  let ordinal = 0;
  for (const n of body.nodes) {
    if (n.kind === "label") ordinalOfLabel.set(n.label, ordinal);
    else if (isInstruction(n)) ordinal++;
  }
  const text = (t: FrameType): string => (t.tag === "object" ? cp.className(t.classIndex) : t.tag === "uninitialized" ? `uninitialized(#${ordinalOfLabel.get(t.label)})` : t.tag);
  const out = new Map<number, string>();
  let prev = initial.slice();
  ordinal = 0;
  for (const n of body.nodes) {
    if (isInstruction(n)) ordinal++;
    if (n.kind !== "frame") continue;
    const f: FrameNode = n.frame;
    let locals = prev;
    let stack: string[] = [];
    if (f.type === "same_locals_1_stack_item") stack = [text(f.stack)];
    else if (f.type === "chop") locals = prev.slice(0, prev.length - f.chop);
    else if (f.type === "append") locals = prev.concat(f.locals.map(text));
    else if (f.type === "full") {
      locals = f.locals.map(text);
      stack = f.stack.map(text);
    }
    prev = locals;
    out.set(ordinal, `${locals.join(",")} | ${stack.join(",")}`);
  }
  return out;
}

function initialLocals(cf: ClassFile, m: ClassFile["methods"][number]): string[] {
  const ctx = methodContext(cf, m);
  const types = new TypeTable();
  const names: Record<number, string> = { [INT]: "int", [FLOAT]: "float", [LONG]: "long", [DOUBLE]: "double", [UNINITIALIZED_THIS]: "uninitializedThis" };
  return compressSlots(initialFrame(ctx, types, 256).locals).map((t) => names[t] ?? types.nameOf(t));
}

interface Tally {
  classes: number;
  upgraded: number;
  methods: number;
  identicalTables: number;
  frames: number;
  identicalFrames: number;
  diagnostics: Diagnostic[];
}

/** Recomputes one class (upgrading it when older than 50) and counts frames equal to the original's. */
function reframe(bytes: Uint8Array, hierarchy: ClassHierarchy, t: Tally): Uint8Array {
  const cf = readClass(bytes);
  t.classes++;
  let out: ClassFile;
  if (cf.majorVersion < 50) {
    out = upgradeClass(cf, hierarchy, 51);
    t.upgraded++;
  } else {
    out = recomputeClassFrames(cf, hierarchy, { diagnostics: t.diagnostics });
  }
  cf.methods.forEach((m, i) => {
    const code = codeOf(m);
    if (!code || !findAttribute(code.attributes, "StackMapTable")) return;
    const newCode = codeOf(out.methods[i]!)!;
    const initial = initialLocals(cf, m);
    const before = expandedFrames(decodeBody(code, cf.constantPool), cf.constantPool, initial);
    const after = expandedFrames(decodeBody(newCode, out.constantPool), out.constantPool, initial);
    t.methods++;
    let same = before.size === after.size;
    for (const [at, frame] of before) {
      t.frames++;
      if (after.get(at) === frame) t.identicalFrames++;
      else same = false;
    }
    if (same) t.identicalTables++;
  });
  return writeClass(out);
}

function report(name: string, t: Tally): string {
  const pct = t.frames === 0 ? "n/a" : ((100 * t.identicalFrames) / t.frames).toFixed(2) + "%";
  return `${name}: ${t.classes} classes (${t.upgraded} upgraded from < 50 to 51), ${t.methods} methods with a StackMapTable, ${t.identicalTables} tables identical; frames identical to javac's ${t.identicalFrames}/${t.frames} = ${pct}`;
}

const totals: Tally = { classes: 0, upgraded: 0, methods: 0, identicalTables: 0, frames: 0, identicalFrames: 0, diagnostics: [] };
function addTotals(t: Tally): void {
  for (const k of ["classes", "upgraded", "methods", "identicalTables", "frames", "identicalFrames"] as const) totals[k] += t[k];
}
afterAll(() => console.log(report("all corpora", totals)));

describe("frames match javac and link: Debian jars", () => {
  for (const name of CORPUS_NAMES) {
    it(`${name}: frames recomputed from scratch, old classes upgraded, all link`, async () => {
      const jar = corpusJar(name as CorpusName);
      const classpath = corpusClasspath(name as CorpusName);
      const hierarchy = await createClassHierarchy({ classpath: [jar, ...classpath], javaHome: javaHome() });
      const { bundle } = await readBundle(jar);
      const t: Tally = { classes: 0, upgraded: 0, methods: 0, identicalTables: 0, frames: 0, identicalFrames: 0, diagnostics: [] };
      const entries = bundle.entries.map((e) => (isClassEntry(e) ? withData(e, reframe(e.data, hierarchy, t)) : e));
      hierarchy.close();
      console.log(report(name, t));
      addTotals(t);
      expect(t.diagnostics.map(formatDiagnostic)).toEqual([]);
      expect(t.identicalFrames / t.frames).toBeGreaterThanOrEqual(MIN_IDENTICAL[name]!);
      if (!LINKED.has(name)) return;
      const out = join(work, `${name}.jar`);
      await writeBundle({ ...bundle, entries }, out, { kind: "jar" });
      const result = await linkAll(out, { classpath });
      console.log(`${name}: ${result.linked} classes linked, ${result.failures.length} failures`);
      expect(result.failures).toEqual([]);
      expect(result.linked).toBe(t.classes);
    });
  }
});

describe("frames match javac: JDK modules", () => {
  for (const module of ["java.base", "java.desktop", "jdk.compiler"]) {
    it(`${module}: frames recomputed from scratch${LINKED.has(module) ? ", all link" : ""}`, async () => {
      const root = extractModule(module);
      const hierarchy = await createClassHierarchy({ javaHome: javaHome() });
      const t: Tally = { classes: 0, upgraded: 0, methods: 0, identicalTables: 0, frames: 0, identicalFrames: 0, diagnostics: [] };
      const dir = join(work, module);
      const link = LINKED.has(module);
      for (const file of moduleClassFiles(module)) {
        const bytes = reframe(readFileSync(file), hierarchy, t);
        if (!link) continue;
        const target = join(dir, relative(root, file));
        mkdirSync(dirname(target), { recursive: true });
        writeFileSync(target, bytes);
      }
      hierarchy.close();
      console.log(report(module, t));
      addTotals(t);
      expect(t.diagnostics.map(formatDiagnostic)).toEqual([]);
      expect(t.identicalFrames / t.frames).toBeGreaterThanOrEqual(MIN_IDENTICAL[module]!);
      if (!link) return;
      const result = await linkAll(dir, { module });
      console.log(`${module}: ${result.linked} classes linked, ${result.failures.length} failures`);
      expect(result.failures).toEqual([]);
      expect(result.linked).toBe(t.classes);
    });
  }
});
