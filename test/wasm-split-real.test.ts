/**
 * splitWasmModule on real modules nobody here wrote, at stress limits where
 * hundreds of functions split: QuickJS (release and -O0 debug builds) and SQLite
 * (sql.js). The split module validates in V8, wabt and Binaryen, every function
 * that was split comes out within the limit, the functions at or under it keep
 * their bytes, and each module runs its workload (JavaScript snippets, an SQL
 * script) with output identical to the original's; a second split gives the
 * same bytes.
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
  ["@jitl/quickjs-wasmfile-release-sync", releaseVariant, 300, 200],
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
