/**
 * The WebAssembly codec on real modules nobody here wrote: every .wasm file of
 * QuickJS (`@jitl/quickjs-wasmfile-release-sync` and `-debug-sync`) and of SQLite
 * (`sql.js`), all from npm. Read and written unchanged, each is byte-identical,
 * also with every function body decoded and encoded from its instructions;
 * written canonically (every section and body re-encoded, every integer in
 * shortest form: the debug QuickJS, with the linker's padded indices, shrinks) it
 * validates in V8, wabt and Binaryen. Both canonical QuickJS builds evaluate
 * JavaScript and the canonical SQLite runs SQL with output identical to the
 * originals', each loaded by its package's own loader with the module bytes
 * swapped.
 */
import { readFileSync } from "node:fs";
import { basename } from "node:path";
import { describe, expect, it } from "vitest";
import releaseVariant from "@jitl/quickjs-wasmfile-release-sync";
import debugVariant from "@jitl/quickjs-wasmfile-debug-sync";
import { decodeBody, encodeBody } from "../src/wasm/body.js";
import { section } from "../src/wasm/module.js";
import { readModule } from "../src/wasm/read-module.js";
import { writeModule } from "../src/wasm/write-module.js";
import { firstDifference, validationErrors } from "./support/wasm-oracles.js";
import { packageFile, packageWasmFiles, WASM_PACKAGES } from "./support/wasm-packages.js";
import { quickjsOutputs, sqlOutputs } from "./support/wasm-workloads.js";

const files = WASM_PACKAGES.flatMap((pkg) => packageWasmFiles(pkg).map((path) => ({ pkg, path })));

function canonicalOf(bytes: Uint8Array): Uint8Array {
  return writeModule(readModule(bytes), { canonical: true, decodeAll: true });
}

describe("the packages ship modules", () => {
  it("finds QuickJS's and SQLite's .wasm files", () => {
    for (const pkg of WASM_PACKAGES) expect(packageWasmFiles(pkg).length).toBeGreaterThan(0);
  });
});

describe.each(files)("$pkg: $path", ({ pkg, path }) => {
  const original = new Uint8Array(readFileSync(path));

  it("reads and writes back byte-identical, unchanged and with every body decoded and encoded", () => {
    expect(firstDifference(writeModule(readModule(original)), original)).toBe(-1);
    expect(firstDifference(writeModule(readModule(original), { decodeAll: true }), original)).toBe(-1);
  });

  it("decodes every function body and encodes it back to the same bytes", () => {
    const entries = section(readModule(original), "code")!.entries;
    expect(entries.length).toBeGreaterThan(100);
    let differing = 0;
    for (const e of entries) if (!Buffer.from(encodeBody(decodeBody(e.raw, e.offset))).equals(e.raw)) differing++;
    expect(differing).toBe(0);
  });

  it(`written canonically, validates in V8, wabt and Binaryen (${basename(path)})`, () => {
    const canonical = canonicalOf(original);
    // The -O0 build keeps wasm-ld's five-byte padded indices: its canonical form is shorter.
    if (pkg === "@jitl/quickjs-wasmfile-debug-sync") expect(canonical.length).toBeLessThan(original.length - 50_000);
    expect(validationErrors(canonical)).toEqual([]);
  });
});

describe.each([
  ["@jitl/quickjs-wasmfile-release-sync", releaseVariant],
  ["@jitl/quickjs-wasmfile-debug-sync", debugVariant],
])("QuickJS (%s), re-encoded", (pkg, variant) => {
  it("evaluates JavaScript with output identical to the original module's", async () => {
    const original = packageFile(pkg, "dist/emscripten-module.wasm");
    const expected = await quickjsOutputs(variant, original);
    expect(expected[2]).toBe("ok 6765");
    expect(await quickjsOutputs(variant, canonicalOf(original))).toEqual(expected);
  });
});

describe("SQLite (sql.js), re-encoded", () => {
  it("runs SQL with output identical to the original module's", async () => {
    const original = packageFile("sql.js", "dist/sql-wasm.wasm");
    const expected = await sqlOutputs(original);
    expect(expected).toContain("2000");
    expect(await sqlOutputs(canonicalOf(original))).toBe(expected);
  });
});
