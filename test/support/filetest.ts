/**
 * Filetests (Cranelift `.clif`, Binaryen `test/lit`): a Jasmin text file in our
 * assembler's syntax whose expected output sits in the file itself.
 *
 * Format of `test/filetests/<pass>/<name>.j`:
 *   line 1        `; pass: <pass>`  (must equal the folder name and a registered pass,
 *                 or a splitter view of src/split/pass-views.ts)
 *   line 2        optionally `; options: key=value ...`, handed to the pass as
 *                 `ctx.options` (the splitter views read max-size, link, handover)
 *   then          any Jasmin text: one or more classes, comments welcome
 *   last part     a line `; expect:` followed only by comment lines, the expected
 *                 output with `; ` in front of each line (`;` alone for an empty one).
 * The runner assembles the text (everything before `; expect:`), decodes the Code
 * attribute of every method with code, in class and method order, runs the pass on
 * it and renders the result with `pass.format`. Per method the output is a line
 * `method <Class>.<name><descriptor>`, the formatted result, then every diagnostic the
 * pass reported as `<severity> <code>: <message>`. A pass that throws a
 * MegasplitError renders `<severity> <code>: <message>` instead of a result, so
 * negative tests (the verifier) use the same format.
 *
 * Label names in the output are the disassembler's (L0, L1, ... in code order, only
 * labels something refers to). Writing the input with exactly those names keeps
 * input and expectation readable side by side.
 *
 * A mismatch fails with a unified-style diff (expected `-`, actual `+`).
 * `MEGASPLIT_UPDATE_FILETESTS=1` rewrites the expectation blocks instead; every
 * rewritten expectation must then be read and checked by hand before committing.
 *
 * Passes that need a class hierarchy get the real `CachedClassHierarchy` over a
 * small fixed set of JDK classes (Object, Throwable and its usual subclasses,
 * String, Number/Integer, Cloneable, Serializable, Comparable, CharSequence) plus
 * the classes of the file itself; no JDK on disk is needed, so results do not
 * depend on the machine. Cost: linear in the file.
 */
import { readFileSync, writeFileSync } from "node:fs";
import { assemble } from "../../src/text/assemble.js";
import { decodeBody } from "../../src/bytecode/decode.js";
import { codeOf, type ClassFile } from "../../src/classfile/model.js";
import { MegasplitError, type Diagnostic } from "../../src/diagnostics.js";
import { CachedClassHierarchy } from "../../src/hierarchy/hierarchy.js";
import { mapSource } from "../../src/hierarchy/sources.js";
import { methodContext, type ClassHierarchy } from "../../passes/pass.js";
import { passByName } from "../../passes/registry.js";
import { splitViewByName } from "../../src/split/pass-views.js";

export const UPDATE_ENV = "MEGASPLIT_UPDATE_FILETESTS";

export interface Filetest {
  /** The pass named on the first line. */
  pass: string;
  /** Settings from an optional second line `; options: key=value ...` (e.g. `max-size=64 link=switch`). */
  options: Record<string, string>;
  /** The Jasmin text: everything before the `; expect:` line. */
  input: string;
  /** The expectation lines without their `; ` prefix; undefined when the file has no `; expect:` line. */
  expected: string[] | undefined;
}

const EXPECT_LINE = "; expect:";

export function parseFiletest(text: string, path = "<filetest>"): Filetest {
  const lines = text.replace(/\r\n/g, "\n").split("\n");
  const m = /^;\s*pass:\s*(\S+)\s*$/.exec(lines[0] ?? "");
  if (!m) throw new Error(`${path}: the first line must be "; pass: <name>"`);
  const options: Record<string, string> = {};
  const o = /^;\s*options:(.*)$/.exec(lines[1] ?? "");
  if (o) {
    for (const word of o[1]!.trim().split(/\s+/).filter(Boolean)) {
      const eq = word.indexOf("=");
      if (eq <= 0) throw new Error(`${path}: option "${word}" is not key=value`);
      options[word.slice(0, eq)] = word.slice(eq + 1);
    }
  }
  const at = lines.lastIndexOf(EXPECT_LINE);
  if (at < 0) return { pass: m[1]!, options, input: text, expected: undefined };
  const rest = lines.slice(at + 1);
  while (rest.length > 0 && rest[rest.length - 1] === "") rest.pop();
  const expected = rest.map((l, i) => {
    if (l === ";") return "";
    if (!l.startsWith("; ")) throw new Error(`${path}: line ${at + 2 + i} after "${EXPECT_LINE}" is not a "; " comment`);
    return l.slice(2);
  });
  return { pass: m[1]!, options, input: lines.slice(0, at).join("\n"), expected };
}

/** The file with its expectation block replaced by `actual`. */
export function withExpectation(test: Filetest, actual: readonly string[]): string {
  const input = test.input.replace(/\n*$/, "");
  return `${input}\n\n${EXPECT_LINE}\n${actual.map((l) => (l === "" ? ";" : `; ${l}`)).join("\n")}\n`;
}

/** The JDK classes the default hierarchy knows: name, super class, interface? */
const JDK_CLASSES: readonly [string, string | undefined, boolean?][] = [
  ["java/lang/Object", undefined],
  ["java/lang/Throwable", "java/lang/Object"],
  ["java/lang/Exception", "java/lang/Throwable"],
  ["java/lang/Error", "java/lang/Throwable"],
  ["java/lang/RuntimeException", "java/lang/Exception"],
  ["java/lang/ArithmeticException", "java/lang/RuntimeException"],
  ["java/lang/IllegalStateException", "java/lang/RuntimeException"],
  ["java/lang/IllegalArgumentException", "java/lang/RuntimeException"],
  ["java/lang/NullPointerException", "java/lang/RuntimeException"],
  ["java/lang/IndexOutOfBoundsException", "java/lang/RuntimeException"],
  ["java/io/IOException", "java/lang/Exception"],
  ["java/lang/String", "java/lang/Object"],
  ["java/lang/StringBuilder", "java/lang/Object"],
  ["java/lang/Number", "java/lang/Object"],
  ["java/lang/Integer", "java/lang/Number"],
  ["java/lang/Long", "java/lang/Number"],
  ["java/lang/Cloneable", "java/lang/Object", true],
  ["java/io/Serializable", "java/lang/Object", true],
  ["java/lang/Comparable", "java/lang/Object", true],
  ["java/lang/CharSequence", "java/lang/Object", true],
];

let jdkStubs: Map<string, ClassFile> | undefined;

function jdkStubClasses(): Map<string, ClassFile> {
  if (jdkStubs) return jdkStubs;
  const text = JDK_CLASSES.map(([name, sup, itf]) =>
    [".version 52 0", `${itf ? ".interface public abstract" : ".class public"} ${name}`, sup ? `.super ${sup}` : ".nosuper", ".end class"].join("\n"),
  ).join("\n");
  jdkStubs = new Map(assemble(text, { fileName: "<jdk stubs>" }).map((cf) => [cf.constantPool.className(cf.thisClass), cf]));
  return jdkStubs;
}

/** The default hierarchy of a filetest: the file's own classes, then the JDK stubs. */
export function filetestHierarchy(classes: readonly ClassFile[]): ClassHierarchy {
  const own = new Map<string, ClassFile>(classes.map((cf) => [cf.constantPool.className(cf.thisClass), cf]));
  return new CachedClassHierarchy([mapSource(own, "filetest"), mapSource(jdkStubClasses(), "jdk stubs")]);
}

function diagnosticLine(d: Diagnostic): string {
  return `${d.severity} ${d.code}: ${d.message}${d.location.pc !== undefined ? ` (pc ${d.location.pc})` : ""}`;
}

/** Runs the pass of a filetest over every method with code; the output lines. */
export function runFiletest(test: Filetest, path = "<filetest>"): string[] {
  const pass = passByName(test.pass) ?? splitViewByName(test.pass);
  if (!pass) throw new Error(`${path}: no pass named "${test.pass}" in passes/registry.ts or src/split/pass-views.ts`);
  const classes = assemble(test.input, { fileName: path });
  const hierarchy = filetestHierarchy(classes);
  const out: string[] = [];
  for (const cf of classes) {
    for (const m of cf.methods) {
      const code = codeOf(m);
      if (!code) continue;
      const ctx = methodContext(cf, m, { hierarchy, options: test.options });
      out.push(`method ${ctx.className}.${ctx.methodName}${ctx.descriptor}`);
      try {
        const body = decodeBody(code, cf.constantPool, ctx.where);
        const result = pass.run(body, ctx);
        const text = pass.format(result, body, ctx);
        if (text !== "") out.push(...text.replace(/\n$/, "").split("\n"));
      } catch (e) {
        if (!(e instanceof MegasplitError)) throw e;
        ctx.diagnostics.push(e.diagnostic);
      }
      for (const d of ctx.diagnostics) out.push(diagnosticLine(d));
    }
  }
  return out;
}

/**
 * A unified-style line diff (`-` expected, `+` actual, ` ` common), with a few lines
 * of context around each change. LCS by dynamic programming: filetests are small.
 */
export function unifiedDiff(expected: readonly string[], actual: readonly string[], context = 3): string {
  const n = expected.length;
  const m = actual.length;
  const lcs = Array.from({ length: n + 1 }, () => new Uint32Array(m + 1));
  for (let i = n - 1; i >= 0; i--) {
    for (let j = m - 1; j >= 0; j--) {
      lcs[i]![j] = expected[i] === actual[j] ? lcs[i + 1]![j + 1]! + 1 : Math.max(lcs[i + 1]![j]!, lcs[i]![j + 1]!);
    }
  }
  const ops: { tag: " " | "-" | "+"; text: string; a: number; b: number }[] = [];
  let i = 0;
  let j = 0;
  while (i < n || j < m) {
    if (i < n && j < m && expected[i] === actual[j]) ops.push({ tag: " ", text: expected[i]!, a: i++, b: j++ });
    else if (i < n && (j === m || lcs[i + 1]![j]! >= lcs[i]![j + 1]!)) ops.push({ tag: "-", text: expected[i]!, a: i++, b: j });
    else ops.push({ tag: "+", text: actual[j]!, a: i, b: j++ });
  }
  const out: string[] = ["--- expected", "+++ actual"];
  let k = 0;
  while (k < ops.length) {
    if (ops[k]!.tag === " ") {
      k++;
      continue;
    }
    // A hunk: from `context` lines before this change to `context` lines after the last change near it.
    const start = Math.max(0, k - context);
    let end = k;
    let lastChange = k;
    while (end < ops.length && end - lastChange <= 2 * context) {
      if (ops[end]!.tag !== " ") lastChange = end;
      end++;
    }
    end = Math.min(ops.length, lastChange + context + 1);
    const hunk = ops.slice(start, end);
    const aLen = hunk.filter((o) => o.tag !== "+").length;
    const bLen = hunk.filter((o) => o.tag !== "-").length;
    out.push(`@@ -${hunk[0]!.a + 1},${aLen} +${hunk[0]!.b + 1},${bLen} @@`);
    for (const o of hunk) out.push(`${o.tag}${o.text}`);
    k = end;
  }
  return out.join("\n");
}

export interface FiletestOutcome {
  ok: boolean;
  /** What to show on failure: a diff, or why there is no expectation. */
  message: string;
  updated: boolean;
}

/** Runs one file; in update mode rewrites its expectation when it differs. */
export function checkFiletest(path: string, update = process.env[UPDATE_ENV] === "1"): FiletestOutcome {
  const text = readFileSync(path, "utf8");
  const test = parseFiletest(text, path);
  const actual = runFiletest(test, path);
  const same = test.expected !== undefined && test.expected.length === actual.length && test.expected.every((l, i) => l === actual[i]);
  if (same) return { ok: true, message: "", updated: false };
  if (update) {
    writeFileSync(path, withExpectation(test, actual));
    return { ok: true, message: `${path}: expectation rewritten`, updated: true };
  }
  if (test.expected === undefined) {
    return { ok: false, message: `${path}: no "${EXPECT_LINE}" block; run with ${UPDATE_ENV}=1 to write one, then check it by hand`, updated: false };
  }
  return { ok: false, message: `${path}: output differs from the expectation (${UPDATE_ENV}=1 rewrites it)\n${unifiedDiff(test.expected, actual)}`, updated: false };
}
