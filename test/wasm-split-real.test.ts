/**
 * splitWasmModule on real modules nobody here wrote, at stress limits where
 * hundreds of functions split: QuickJS (release and -O0 debug builds) and SQLite
 * (sql.js). The split module validates in V8, wabt and Binaryen, every function
 * that was split comes out within the limit, the functions at or under it keep
 * their bytes, and each module runs its workload (JavaScript snippets, an SQL
 * script) with output identical to the original's; a second split gives the
 * same bytes. A generated 1.1 MB function (and, on request, an 8 MB one that V8
 * refuses to compile) splits at the default limit and computes what a JavaScript
 * mirror of it computes.
 */
import { describe, expect, it } from "vitest";
import releaseVariant from "@jitl/quickjs-wasmfile-release-sync";
import debugVariant from "@jitl/quickjs-wasmfile-debug-sync";
import { splitWasmModule, type WasmSplitResult } from "../src/wasm/split/split-module.js";
import { section } from "../src/wasm/module.js";
import { readModule } from "../src/wasm/read-module.js";
import { validationErrors } from "./support/wasm-oracles.js";
import { packageFile } from "./support/wasm-packages.js";
import { quickjsOutputs, sqlOutputs } from "./support/wasm-workloads.js";
import { bigFunctionBody } from "./support/wasm-big-function.js";
import { moduleOfBodies } from "./support/wasm-blocks.js";
import { I32 } from "../src/wasm/types.js";

/** The structural checks every split module passes; returns how many functions split. */
function checkSplit(original: Uint8Array, r: WasmSplitResult, maxSize: number): number {
  expect(validationErrors(r.bytes)).toEqual([]);
  const before = section(readModule(original), "code")!.entries;
  const after = section(readModule(r.bytes), "code")!.entries;
  const imported = section(readModule(original), "import")!.imports.filter((i) => i.desc.kind === 0).length;
  const split = new Set(r.functions.filter((f) => f.refused === undefined).map((f) => f.index - imported));
  before.forEach((e, i) => {
    if (split.has(i)) expect(after[i]!.raw.length).toBeLessThanOrEqual(maxSize);
    else expect(Buffer.from(after[i]!.raw).equals(Buffer.from(e.raw))).toBe(true);
  });
  for (const e of after.slice(before.length)) expect(e.raw.length).toBeLessThanOrEqual(maxSize);
  expect(after.length - before.length).toBe(r.functions.reduce((n, f) => n + f.pieces, 0));
  return split.size;
}

describe.each([
  // At 300 bytes hundreds of functions split (the interpreter's dispatch block cannot fit with its exits);
  // at 20,000 the one function over it, the bytecode interpreter loop, splits into its cases.
  ["@jitl/quickjs-wasmfile-release-sync", releaseVariant, 300, 200],
  ["@jitl/quickjs-wasmfile-release-sync", releaseVariant, 20_000, 1],
  ["@jitl/quickjs-wasmfile-debug-sync", debugVariant, 1000, 150],
])("QuickJS (%s) split at %i bytes", (pkg, variant, maxSize, atLeast) => {
  it("validates, keeps the untouched bodies, and evaluates JavaScript exactly as the original", async () => {
    const original = packageFile(pkg, "dist/emscripten-module.wasm");
    const r = splitWasmModule(original, { maxSize });
    expect(checkSplit(original, r, maxSize)).toBeGreaterThanOrEqual(atLeast);
    const expected = await quickjsOutputs(variant, original);
    expect(expected[2]).toBe("ok 6765");
    expect(await quickjsOutputs(variant, r.bytes)).toEqual(expected);
    // Deterministic: the same input gives the same bytes.
    expect(Buffer.from(splitWasmModule(original, { maxSize }).bytes).equals(Buffer.from(r.bytes))).toBe(true);
  });
});

describe("SQLite (sql.js) split at 300 bytes", () => {
  it("validates, keeps the untouched bodies, and runs SQL exactly as the original", async () => {
    const original = packageFile("sql.js", "dist/sql-wasm.wasm");
    const r = splitWasmModule(original, { maxSize: 300 });
    expect(checkSplit(original, r, 300)).toBeGreaterThanOrEqual(250);
    const expected = await sqlOutputs(original);
    expect(expected).toContain("2000");
    expect(await sqlOutputs(r.bytes)).toBe(expected);
  });
});

/** What the generated function of test/support/wasm-big-function.ts returns for `p`, computed in JavaScript. */
function bigFunctionMirror(segments: number, p: number): number {
  let total = 0;
  for (let k = 0; k < segments; k++) {
    let v = p ^ (k & 0xffff);
    if ((p & 3) === 0) v = Math.imul(v, 7);
    total = (total + v) | 0;
    if (p & 1) total = (total + (k & 0xff)) | 0;
    else {
      do total = total >>> 1;
      while (total > 1000);
      total |= 0;
    }
  }
  return total;
}

async function checkBigFunction(segments: number): Promise<{ originalCompiles: boolean; pieces: number }> {
  const bytes = moduleOfBodies([{ params: [I32], results: [I32], body: bigFunctionBody(segments), export: "f" }]);
  let originalCompiles = true;
  try {
    new WebAssembly.Module(bytes);
  } catch {
    originalCompiles = false;
  }
  const r = splitWasmModule(bytes, { maxSize: 100_000 });
  expect(r.functions[0]!.refused).toBeUndefined();
  expect(validationErrors(r.bytes)).toEqual([]);
  for (const e of section(readModule(r.bytes), "code")!.entries) expect(e.raw.length).toBeLessThanOrEqual(100_000);
  const f = (await WebAssembly.instantiate(r.bytes)).instance.exports.f as (p: number) => number;
  for (const p of [0, 1, 2, 3, 12345]) expect(f(p)).toBe(bigFunctionMirror(segments, p));
  return { originalCompiles, pieces: r.functions[0]!.pieces };
}

describe("a generated function of 1.1 MB (20,000 segments of blocks, branches with values, if/else, loops)", () => {
  it("splits at 100,000 bytes into pieces that validate and compute what a JavaScript mirror does", async () => {
    expect((await checkBigFunction(20_000)).pieces).toBeGreaterThanOrEqual(10);
  });
});

// 8 MB, past the engines' 7,654,321-byte function limit (issue 14's test): about a minute and 2.5 GB.
describe("a generated function of 8 MB, which V8 refuses to compile", () => {
  it("splits into pieces V8 compiles, and they compute what a JavaScript mirror does", async () => {
    const r = await checkBigFunction(140_000);
    expect(r.originalCompiles).toBe(false);
    expect(r.pieces).toBeGreaterThan(100);
  }, 600_000);
});
