/**
 * Splitting a method compiled with local variable tables (javac -g): every body
 * written keeps its LocalVariableTable and LocalVariableTypeTable at no more rows
 * than the original had, and the class loads and runs under -Xverify:all. The
 * splitter once restated each row once per block it covered, so a body of a big
 * method with a few hundred rows got hundreds of thousands; the u2 length wrapped
 * and the JVM refused the class ("LocalVariableTable has wrong length", JVMS
 * 4.7.13). The program here has method-wide variables (one of them generic, for
 * the type table) live across a loop around a switch whose cases declare their
 * own block-scoped variables, so each row spans many blocks and pieces. And the
 * last guard: a body handed to the final encoder with more rows than a u2 counts
 * is written without the table (a W_LOCALS_TABLE_DROPPED warning) and still runs.
 */
import { execFileSync } from "node:child_process";
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type ClassFile, codeOf } from "../src/classfile/model.js";
import { readClass } from "../src/classfile/read.js";
import { writeClass } from "../src/classfile/write.js";
import { decodeBody } from "../src/bytecode/decode.js";
import { encodeFinal, withCode } from "../src/split/encode-split.js";
import type { Diagnostic } from "../src/diagnostics.js";
import { jdkTool } from "./support/corpus.js";
import { expectSameRun, runJava, type RunResult } from "./support/hard-case.js";
import { classIn, splitJar } from "./support/split-jar.js";

const work = mkdtempSync(join(tmpdir(), "megasplit-lvt-"));
afterAll(() => rmSync(work, { recursive: true, force: true }));

/** `lvt.Main.run(int)`: a loop around a switch of `cases` cases, each with block-scoped variables, and method-wide ones. */
function source(cases: number): string {
  const arms: string[] = [];
  for (let k = 0; k < cases; k++) {
    arms.push(`        case ${k}: {
          int a${k} = i * ${k + 3} + (int) (acc & 0xff);
          long b${k} = acc ^ (a${k} * ${2 * k + 1}L);
          String s${k} = names.get((a${k} & 0x7fffffff) % names.size());
          for (int j${k} = 0; j${k} < (i & 3); j${k}++) b${k} += s${k}.length() * j${k};
          acc += b${k} + s${k}.hashCode();
          seen.add(s${k});
          break;
        }`);
  }
  return `package lvt;
import java.util.ArrayList;
import java.util.List;
public final class Main {
  static long run(int n) {
    List<String> names = new ArrayList<>();
    for (int q = 0; q < 7; q++) names.add("n" + q);
    List<String> seen = new ArrayList<>();
    long acc = 17;
    for (int i = 0; i < n; i++) {
      switch ((int) ((acc >>> 3) % ${cases}) ^ (i & 1)) {
${arms.join("\n")}
        default:
          acc = acc * 31 + i;
      }
    }
    return acc + seen.size();
  }
  public static void main(String[] args) {
    for (int n : new int[] {0, 1, 5, 100, 2000}) System.out.println(n + " " + run(n));
  }
}
`;
}

/** Rows of the LocalVariableTable and LocalVariableTypeTable of each method of `cf` that has code. */
function tableRows(cf: ClassFile): Map<string, { vars: number; types: number }> {
  const out = new Map<string, { vars: number; types: number }>();
  for (const m of cf.methods) {
    const code = codeOf(m);
    if (!code) continue;
    let vars = 0;
    let types = 0;
    for (const a of code.attributes) {
      if (a.kind === "LocalVariableTable") vars += a.entries.length;
      if (a.kind === "LocalVariableTypeTable") types += a.entries.length;
    }
    out.set(cf.constantPool.utf8(m.nameIndex), { vars, types });
  }
  return out;
}

describe("split of a method with local variable tables", () => {
  const classes = join(work, "classes");
  let expected: RunResult;
  let original: { vars: number; types: number };
  beforeAll(() => {
    const src = join(work, "src", "lvt");
    mkdirSync(src, { recursive: true });
    writeFileSync(join(src, "Main.java"), source(60));
    execFileSync(jdkTool("javac"), ["--release", "17", "-g", "-d", classes, join(src, "Main.java")], { stdio: ["ignore", "ignore", "pipe"] });
    original = tableRows(readClass(readFileSync(join(classes, "lvt", "Main.class")))).get("run")!;
    expected = runJava(classes, "lvt.Main", { jvm: ["-Xverify:all"] });
    expect(expected.status).toBe(0);
    expect(expected.stdout.split("\n").length).toBe(6);
  });

  for (const link of ["switch", "direct"] as const) {
    it(`link ${link}: every body keeps at most the original rows, and the class runs under -Xverify:all`, async () => {
      // The shape this guards: hundreds of rows, each spanning many blocks.
      expect(original.vars).toBeGreaterThan(200);
      expect(original.types).toBeGreaterThan(0);
      const split = await splitJar(classes, work, `lvt-${link}.jar`, { maxSize: 1500, link });
      expect(split.result.diagnostics).toEqual([]);
      const report = split.result.reports.find((r) => r.className === "lvt/Main" && r.method === "run(I)J");
      if (report?.result.kind !== "split") throw new Error(`lvt/Main.run(I)J was not split: ${JSON.stringify(report?.result)}`);
      expect(report.result.pieces.length).toBeGreaterThanOrEqual(3);

      const rows = tableRows(classIn(split, "lvt/Main"));
      const bodies = ["run", ...report.result.pieces.map((p) => p.name)];
      for (const name of bodies) {
        const r = rows.get(name);
        expect(r, name).toBeDefined();
        expect(r!.vars, `${name} LocalVariableTable rows`).toBeLessThanOrEqual(original.vars);
        expect(r!.types, `${name} LocalVariableTypeTable rows`).toBeLessThanOrEqual(original.types);
      }
      // The tables are kept, not dropped: the pieces together still name the variables.
      expect(bodies.reduce((n, b) => n + rows.get(b)!.vars, 0)).toBeGreaterThanOrEqual(original.vars);

      expectSameRun(runJava(split.path, "lvt.Main", { jvm: ["-Xverify:all"] }), expected);
    });
  }
});

describe("a body whose local variable table would pass 65,535 rows", () => {
  it("is written without that table, with W_LOCALS_TABLE_DROPPED, and the class runs under -Xverify:all", () => {
    const dir = join(work, "drop");
    const src = join(work, "drop-src");
    mkdirSync(src, { recursive: true });
    writeFileSync(join(src, "Drop.java"), "public final class Drop { public static void main(String[] a) { int s = 0; for (int i = 0; i < 10; i++) s += i; System.out.println(s); } }\n");
    execFileSync(jdkTool("javac"), ["--release", "17", "-g", "-d", dir, join(src, "Drop.java")], { stdio: ["ignore", "ignore", "pipe"] });
    const cf = readClass(readFileSync(join(dir, "Drop.class")));
    const index = cf.methods.findIndex((m) => cf.constantPool.utf8(m.nameIndex) === "main");
    const m = cf.methods[index]!;
    const code = codeOf(m)!;
    const body = decodeBody(code, cf.constantPool);
    const rows = body.localVariables!;
    // 70,000 rows restating the method's own: more than a u2 length can count.
    const many = Array.from({ length: 70_000 }, (_, k) => rows[k % rows.length]!);
    const diagnostics: Diagnostic[] = [];
    const written = encodeFinal(cf, m, { ...body, localVariables: many }, { diagnostics }, code.nameIndex);
    expect(diagnostics.map((d) => d.code)).toEqual(["W_LOCALS_TABLE_DROPPED"]);
    expect(diagnostics[0]!.location.method).toBe("main([Ljava/lang/String;)V");
    expect(written.attributes.some((a) => a.kind === "LocalVariableTable")).toBe(false);
    expect(written.attributes.some((a) => a.kind === "LocalVariableTypeTable")).toBe(false);
    cf.methods[index] = withCode(m, written);
    writeFileSync(join(dir, "Drop.class"), writeClass(cf));
    const run = runJava(dir, "Drop", { jvm: ["-Xverify:all"] });
    expect(run).toEqual({ status: 0, stdout: "45\n", stderr: "" });
  });
});
