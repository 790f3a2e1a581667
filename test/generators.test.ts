/**
 * The mega-methods compilers really emit (samples/generators/), each at about
 * 100 KB and 1 MB of bytecode: built in memory and split through the package
 * entry ("megasplit", the built dist/), every class written passes HotSpot's
 * verifier (load + link under -Xverify:all), and what `main` prints equals the
 * same program computed here in TypeScript from the generator's data (the tables,
 * template units, interpreter cases, decision tree and parser actions it emits).
 *
 * Each class is generated and split once (beforeAll); the two sizes are linked in
 * two JVM runs. Cost: the five 1 MB splits take about 31 s of CPU (bench/scaling),
 * the 100 KB ones a few seconds, plus twelve JVM starts; with the pass verifier
 * the test setup turns on, a few minutes on an idle 2-core machine.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { splitClass, type MethodReport } from "megasplit";
import { linkAll } from "./support/jvm.js";
import { runJava } from "./support/hard-case.js";
import { interpreterReference } from "./support/interpreter-reference.js";
import * as clinit from "../samples/generators/clinit-tables.mjs";
import * as template from "../samples/generators/template.mjs";
import * as interpreter from "../samples/generators/interpreter.mjs";
import * as nested from "../samples/generators/nested-conditionals.mjs";
import * as parser from "../samples/generators/parser-actions.mjs";

// ---- references: the programs computed in TypeScript (Java int arithmetic) ----

/** java.lang.String.hashCode (UTF-16 code units). */
function stringHash(s: string): number {
  let h = 0;
  for (let i = 0; i < s.length; i++) h = (Math.imul(h, 31) + s.charCodeAt(i)) | 0;
  return h;
}
/** java.util.Arrays.hashCode of an int[] or of an array of elements with these hashes. */
function arrayHash(values: Iterable<number>): number {
  let h = 1;
  for (const v of values) h = (Math.imul(h, 31) + v) | 0;
  return h;
}

function clinitReference(units: number): string {
  const { intArrays, stringArrays, puts } = clinit.layout(units);
  const out: number[] = [];
  intArrays.forEach((n, k) => out.push(arrayHash(Array.from({ length: n }, (_, j) => clinit.intValue(k, j)))));
  stringArrays.forEach((n, k) => out.push(arrayHash(Array.from({ length: n }, (_, j) => stringHash(clinit.stringValue(k, j))))));
  const map = new Map<string, number>();
  for (let i = 0; i < puts; i++) map.set(clinit.putKey(i), clinit.putValue(i));
  let mapHash = 0; // AbstractMap.hashCode: the sum of key.hashCode() ^ value.hashCode()
  for (const [k, v] of map) mapHash = (mapHash + (stringHash(k) ^ v)) | 0;
  out.push(map.size, mapHash);
  return out.map((x) => `${x}\n`).join("");
}

function templateReference(units: number): string {
  let text = "";
  const n = template.ARG;
  for (let i = 0; i < units; i++) {
    const u = template.unit(i);
    if (u.kind === 1) text += String(Math.imul(n, u.factor));
    else if (u.kind === 0 || n > u.threshold) text += u.text;
  }
  return `${text.length}\n${stringHash(text)}\n`;
}

type Tree = { leaf: true; c: number } | { leaf: false; pre: number; t: number; post: number; left: Tree; right: Tree };
function nestedReference(units: number): string {
  const root = nested.tree(units) as Tree;
  const decide = (node: Tree, x: number, y: number): number => {
    if (node.leaf) return y ^ node.c;
    y = (y + node.pre) | 0;
    y = decide(x < node.t ? node.left : node.right, x, y);
    return (Math.imul(y, 3) + node.post) | 0;
  };
  let sum = 0;
  for (let i = 0; i < nested.INPUTS; i++) sum = (sum + decide(root, Math.imul(i, 1_073_741) & ((1 << 30) - 1), i)) | 0;
  return `${sum}\n`;
}

function parserReference(units: number): string {
  let sum = 0;
  for (const p of parser.sampled(units)) {
    const v = Array.from({ length: parser.LOCALS }, (_, k) => (3 * p + k) | 0);
    const a = parser.action(p);
    v[a.d] = (Math.imul(v[a.a]!, v[a.b]!) + a.c) | 0;
    sum = (sum + v.reduce((s, x) => (s + x) | 0, 0)) | 0;
  }
  return `${sum}\n`;
}

// ---- generate, split and write once ----

interface Generator {
  name: string;
  CLASS: string;
  METHOD: string;
  build(units: number): import("megasplit").ClassFile;
  unitsFor(bytes: number): number;
}
const GENERATORS: { gen: Generator; reference: (units: number) => string }[] = [
  { gen: clinit, reference: clinitReference },
  { gen: template, reference: templateReference },
  { gen: interpreter, reference: interpreterReference },
  { gen: nested, reference: nestedReference },
  { gen: parser, reference: parserReference },
];
const SIZES = [{ label: "100 KB", bytes: 100 * 1024 }, { label: "1 MB", bytes: 1024 * 1024 }];

interface Outcome {
  units: number;
  report: MethodReport;
  errors: string[];
}
let work: string;
const outcomes = new Map<string, Outcome>();
const dirOf = (label: string) => join(work, label.replace(" ", ""));

beforeAll(async () => {
  work = mkdtempSync(join(tmpdir(), "megasplit-gen-"));
  for (const size of SIZES) {
    for (const { gen } of GENERATORS) {
      const units = gen.unitsFor(size.bytes);
      const r = await splitClass(gen.build(units));
      for (const c of r.classes) {
        const path = join(dirOf(size.label), c.fileName);
        mkdirSync(dirname(path), { recursive: true });
        writeFileSync(path, c.bytes);
      }
      const report = r.methods.find((m) => m.method.startsWith(`${gen.METHOD}(`))!;
      outcomes.set(`${gen.name} ${size.label}`, { units, report, errors: r.diagnostics.filter((d) => d.severity === "error").map((d) => d.message) });
    }
  }
}, 1_800_000); // ~40 s of CPU (bench/scaling), but a loaded 2-core machine stretches it tenfold

afterAll(() => {
  if (work) rmSync(work, { recursive: true, force: true });
});

describe.each(SIZES)("generated mega-methods at $label", (size) => {
  it("every class written passes the verifier", async () => {
    const linked = await linkAll(dirOf(size.label));
    expect(linked.failures).toEqual([]);
    expect(linked.linked).toBeGreaterThanOrEqual(GENERATORS.length);
  });

  it.each(GENERATORS.map((g) => [g.gen.name, g] as const))("%s: split within the limit, and main prints the reference", (_, { gen, reference }) => {
    const o = outcomes.get(`${gen.name} ${size.label}`)!;
    expect(o.errors).toEqual([]);
    expect(o.report.originalLength).toBeGreaterThan(size.bytes * 0.9);
    expect(o.report.originalLength).toBeLessThan(size.bytes * 1.1);
    expect(o.report.result.kind, o.report.result.kind === "refused" ? o.report.result.reason : "").toBe("split");
    if (o.report.result.kind !== "split") return;
    expect(Math.max(o.report.result.driverLength, ...o.report.result.pieces.map((p) => p.codeLength))).toBeLessThanOrEqual(8000);
    const run = runJava(dirOf(size.label), gen.CLASS.replace("/", "."), { jvm: ["-Xverify:all", "-Xss8m"] });
    expect(run.stderr).toBe("");
    expect(run.stdout).toBe(reference(o.units));
  });
});
