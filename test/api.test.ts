/**
 * The package entry (`src/index.ts`, what `import … from "megasplit"` gives): every
 * export carries a doc comment, the entry is the facade and nothing more, and the
 * facade's contracts hold in process: a method built in memory far past 64 KB
 * (with line numbers past pc 65,535) comes back as classes within the limit with a
 * mapping that retraces; a class that cannot be written is an error diagnostic,
 * not an exception. Running the result on the JVM is test/package.test.ts's job.
 */
import { describe, expect, it } from "vitest";
import ts from "typescript";
import { resolve } from "node:path";
import * as api from "../src/index.js";

const entry = resolve(__dirname, "../src/index.ts");

describe("package entry", () => {
  it("documents every export", () => {
    const program = ts.createProgram([entry], { module: ts.ModuleKind.NodeNext, moduleResolution: ts.ModuleResolutionKind.NodeNext, target: ts.ScriptTarget.ES2022, noEmit: true, skipLibCheck: true });
    const checker = program.getTypeChecker();
    const source = program.getSourceFile(entry)!;
    const exports = checker.getExportsOfModule(checker.getSymbolAtLocation(source)!);
    expect(exports.length).toBeGreaterThan(40);
    const undocumented: string[] = [];
    for (const sym of exports) {
      const target = sym.flags & ts.SymbolFlags.Alias ? checker.getAliasedSymbol(sym) : sym;
      const docs = [target.getDocumentationComment(checker), sym.getDocumentationComment(checker)].map((d) => ts.displayPartsToString(d).trim());
      if (!docs.some((d) => d.length > 0)) undocumented.push(sym.name);
    }
    expect(undocumented).toEqual([]);
  });

  it("exports the facade: split, build, read/write, text, bundles, retrace", () => {
    for (const name of ["splitClass", "splitClasses", "splitMethod", "splitBundle", "newClass", "addMethod", "readClass", "writeClass", "assemble", "disassemble", "readBundle", "writeBundle", "mappingIndex", "loadMappings", "retraceText", "retraceStream", "retraceLines", "Op", "Access", "ErrorCodes", "MegasplitError", "splitWasmModule"]) {
      expect(typeof (api as Record<string, unknown>)[name], name).not.toBe("undefined");
    }
  });
});

/** `static int f(int)`: `units` times `x = x * 3 + i`, one source line per unit (lines 1..units). */
function straightLine(units: number): api.MethodSpec {
  const code: api.CodeNode[] = [];
  for (let i = 0; i < units; i++) {
    code.push({ kind: "line", line: i + 1 }, { kind: "local", op: api.Op.ILOAD, index: 0 }, { kind: "simple", op: api.Op.ICONST_3 }, { kind: "simple", op: api.Op.IMUL });
    code.push({ kind: "int", op: api.Op.SIPUSH, value: i % 30000 }, { kind: "simple", op: api.Op.IADD }, { kind: "local", op: api.Op.ISTORE, index: 0 });
  }
  code.push({ kind: "local", op: api.Op.ILOAD, index: 0 }, { kind: "simple", op: api.Op.IRETURN });
  return { accessFlags: api.Access.PUBLIC | api.Access.STATIC, name: "f", descriptor: "(I)I", code };
}

describe("splitMethod", () => {
  it("splits a method built in memory past 64 KB, lines past pc 65,535 included, and its mapping retraces", async () => {
    const cf = api.newClass({ name: "t/Gen", sourceFile: "Gen.txt" });
    const units = 20_000; // 8 bytes a unit: 160 KB
    const r = await api.splitMethod(cf, straightLine(units), { maxSize: 8000 });
    expect(r.diagnostics.filter((d) => d.severity === "error")).toEqual([]);
    expect(r.methods).toHaveLength(1);
    const report = r.methods[0]!;
    expect(report.originalLength).toBe(units * 8 + 2);
    expect(report.result.kind).toBe("split");
    expect(r.classes.map((c) => c.fileName)).toEqual(["t/Gen.class"]);
    const out = api.readClass(r.classes[0]!.bytes);
    for (const m of out.methods) expect(api.codeOf(m)!.code.length).toBeLessThanOrEqual(8000);
    if (report.result.kind !== "split") return;
    // A frame in the piece holding the last line retraces to the original method and line.
    const last = report.result.pieces.find((p) => p.lines.includes(units))!;
    expect(last).toBeDefined();
    // The frames of the call chain from f to that piece, at the synthetic call-site lines.
    const frames = [`\tat t.Gen.${last.name}(Gen.txt:${units})`];
    for (let callee = last.name; callee !== "f"; ) {
      const site = report.result.callSites.find((c) => c.callee === callee)!;
      frames.push(`\tat t.Gen.${site.caller}(Gen.txt:${site.line})`);
      callee = site.caller;
    }
    const trace = `java.lang.RuntimeException: x\n${frames.join("\n")}\n`;
    const retraced = api.retraceText(api.mappingIndex(r.mapping), trace);
    expect(retraced).toBe(`java.lang.RuntimeException: x\n\tat t.Gen.f(Gen.txt:${units})\n`);
  });

  it("reports a class it cannot write as an error diagnostic", async () => {
    const cf = api.newClass({ name: "t/Gen" });
    // 72 KB: split at the JVM's limit; left as it is under a larger one, and then not writable.
    const r = await api.splitMethod(cf, straightLine(9000), { maxSize: 65535, link: "switch", javaHome: false });
    expect(r.methods[0]!.result.kind).toBe("split");
    expect(r.classes).toHaveLength(1);
    const notSplit = await api.splitClasses([api.addMethod(cf, straightLine(9000))], { maxSize: 80_000, javaHome: false });
    expect(notSplit.classes).toEqual([]);
    expect(notSplit.diagnostics.map((d) => [d.code, d.severity])).toContainEqual(["E_CODE_TOO_LARGE", "error"]);
  });
});
