/**
 * Piece fill (src/split/piece-fill.ts): a loop-free method of null-aware
 * expressions in the style of Spark's generated code (`if (!isNull_N)` around
 * each value), whose first partition, priced by upper bounds (every `goto` 5
 * bytes, stubs at their widest), puts the code after the driver in two pieces
 * although their encoded lengths fit one. The split keeps one piece, links under
 * -Xverify:all and prints what the unsplit class prints (the JVM is the oracle).
 * At 2,200 bytes in link mode auto, values as parameters: the first partition's
 * pieces are encoded at 1,724 + 345 bytes (estimated 2,162 + 475), the fill's one
 * piece at 1,805.
 * The partition's `pieceLimit` itself is checked on a chain of blocks.
 */
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { decodeBody } from "../src/bytecode/decode.js";
import { codeOf } from "../src/classfile/model.js";
import { readClass } from "../src/classfile/read.js";
import { assemble } from "../src/text/assemble.js";
import { partitionOnce } from "../src/split/partition-and-link.js";
import { buildCfg } from "../passes/cfg.js";
import { partition } from "../passes/core/partition.js";
import { methodContext } from "../passes/pass.js";
import { linkAll } from "./support/jvm.js";
import { compileJava, expectSameRun, runJava, type RunResult } from "./support/hard-case.js";
import { splitJar, splitReportOf } from "./support/split-jar.js";
import { prng } from "./support/prng.js";
import { uniformPartitionInput } from "./support/partition-input.js";

const work = mkdtempSync(join(tmpdir(), "megasplit-piecefill-"));
afterAll(() => rmSync(work, { recursive: true, force: true }));

/** `fill.Main`: `row(a, b, nulls)` evaluates `exprs` null-aware expressions over two inputs and folds every fifth. */
function nullAwareSource(exprs: number): string {
  const rnd = prng(0x9f11);
  const pick = (n: number) => Math.floor(rnd() * n);
  const body: string[] = [];
  for (let e = 0; e < exprs; e++) {
    const l = e === 0 ? "a" : `value_${pick(e)}`;
    const ln = e === 0 ? "((nulls & 1) != 0)" : `isNull_${pick(e)}`;
    const r = pick(3) === 0 ? "b" : `${pick(1000) + 1}L`;
    const op = ["+", "-", "*", "^"][pick(4)];
    body.push(`boolean isNull_${e} = ${ln};`);
    body.push(`long value_${e} = -1L;`);
    body.push(`if (!isNull_${e}) { value_${e} = ${l} ${op} ${r}; if (value_${e} > ${pick(5000)}L) value_${e} -= ${pick(90) + 7}L; }`);
  }
  const fold = Array.from({ length: Math.ceil(exprs / 5) }, (_, k) => `if (!isNull_${k * 5}) h = h * 31L + value_${k * 5};`);
  return `package fill;
public final class Main {
  static long row(long a, long b, int nulls) {
    ${body.join("\n    ")}
    long h = 17L;
    ${fold.join("\n    ")}
    return h;
  }
  public static void main(String[] args) {
    for (int c = 0; c < 6; c++) System.out.println("checksum " + c + " " + row(c * 7919L, c * 104729L - 3, c));
  }
}
`;
}

describe("piece fill", () => {
  const classes = join(work, "classes");
  let expected: RunResult;
  beforeAll(() => {
    const src = join(work, "src", "fill", "Main.java");
    mkdirSync(join(work, "src", "fill"), { recursive: true });
    writeFileSync(src, nullAwareSource(80));
    compileJava([src], classes);
    expected = runJava(classes, "fill.Main", { jvm: ["-Xverify:all"] });
    expect(expected.status).toBe(0);
    expect(expected.stdout.split("\n").filter((l) => l.startsWith("checksum")).length).toBe(6);
  });

  it("the first partition makes two pieces after the driver; the split keeps one, which links and runs the same", async () => {
    const maxSize = 2200;
    const cf = readClass(readFileSync(join(classes, "fill", "Main.class")));
    const method = cf.methods.find((m) => cf.constantPool.utf8(m.nameIndex) === "row")!;
    const code = codeOf(method)!;
    expect(code.code.length).toBeGreaterThan(maxSize);
    const first = partitionOnce(cf, method, decodeBody(code, cf.constantPool), methodContext(cf, method), { maxSize, link: "auto", verify: true }, "parameters");
    if ("kind" in first || !first.part.ok) throw new Error("the first attempt's partition failed");
    expect(first.part.pieceBlocks.length).toBe(3);

    const split = await splitJar(classes, work, "fill.jar", { maxSize, link: "auto" });
    expect(split.result.diagnostics).toEqual([]);
    const report = splitReportOf(split, "fill/Main", "row(JJI)J");
    expect(report.handover).toEqual(["parameters"]);
    expect(report.pieces.length).toBe(1);
    expect(report.pieces[0]!.codeLength).toBeLessThanOrEqual(maxSize);
    const linked = await linkAll(split.path);
    expect(linked.failures).toEqual([]);
    expectSameRun(runJava(split.path, "fill.Main", { jvm: ["-Xverify:all"] }), expected);
  });

  it("pieceLimit lets pieces 1.. hold more without changing the driver", () => {
    const [cf] = assemble(`.class public T\n.super java/lang/Object\n.method public static f()V\n  .limit stack 1\n  .limit locals 1\n${Array.from({ length: 20 }, (_, i) => `B${i}:\n  nop\n  goto B${i + 1}`).join("\n")}\nB20:\n  return\n.end method\n`);
    const cfg = buildCfg(decodeBody(codeOf(cf!.methods[0]!)!, cf!.constantPool)).cfg;
    const base = uniformPartitionInput(cfg);
    const tight = partition(base);
    const loose = partition({ ...base, pieceLimit: 200 });
    if (!tight.ok || !loose.ok) throw new Error("partition failed");
    expect(loose.pieceBlocks[0]).toEqual(tight.pieceBlocks[0]);
    expect(loose.pieceBlocks.length).toBeLessThan(tight.pieceBlocks.length);
    for (let p = 1; p < tight.pieceBlocks.length; p++) expect(tight.pieceCost[p]).toBeLessThanOrEqual(100);
    for (let p = 1; p < loose.pieceBlocks.length; p++) expect(loose.pieceCost[p]).toBeLessThanOrEqual(200);
    expect(Math.max(...loose.pieceCost.slice(1))).toBeGreaterThan(100);
  });
});
