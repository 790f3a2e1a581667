/**
 * The WebAssembly module codec (src/wasm/) on modules assembled by wabt from
 * test/wasm/kitchen-sink.wat: read and written unchanged, the bytes are identical
 * (with wabt's canonical LEB128s and with its five-byte padded ones); every body
 * decoded and encoded, identical again; written canonically (every integer
 * re-encoded, every body from its instructions), the module validates in V8, wabt
 * and Binaryen and every export returns what the original's returns. Malformed
 * input gives stable codes with byte offsets.
 */
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { decodeBody, encodeBody } from "../src/wasm/body.js";
import { readModule } from "../src/wasm/read-module.js";
import { writeModule } from "../src/wasm/write-module.js";
import { section } from "../src/wasm/module.js";
import { functionNames } from "../src/wasm/name-section.js";
import { opInfo } from "../src/wasm/opcodes.js";
import { errorOf } from "./support/expect-error.js";
import { firstDifference, validationErrors, wat2wasm } from "./support/wasm-oracles.js";
import { runExports } from "./support/wasm-run.js";

const wat = readFileSync(new URL("./wasm/kitchen-sink.wat", import.meta.url), "utf8");

describe.each([
  ["canonical LEB128s", true],
  ["padded LEB128s", false],
])("kitchen-sink module with %s", (_label, canonicalLebs) => {
  const original = wat2wasm(wat, canonicalLebs);

  it("is valid to begin with (the oracles accept it), and each oracle rejects it made ill-typed", () => {
    expect(validationErrors(original)).toEqual([]);
    const m = readModule(original);
    const sq = section(m, "code")!.entries[0]!;
    const bad = original.slice();
    const at = sq.raw.byteOffset - original.byteOffset + sq.raw.length - 2;
    expect(bad[at]).toBe(0x6c); // i32.mul, the last instruction of $sq
    bad[at] = 0x7e; // i64.mul on two i32 operands
    expect(validationErrors(bad).map((e) => e.split(":")[0])).toEqual(["V8", "wabt", "binaryen"]);
  });

  it("reads and writes back byte-identical, with and without decoding every body", () => {
    expect(firstDifference(writeModule(readModule(original)), original)).toBe(-1);
    expect(firstDifference(writeModule(readModule(original), { decodeAll: true }), original)).toBe(-1);
  });

  it("re-encodes every body byte-identical from its instructions", () => {
    for (const e of section(readModule(original), "code")!.entries) expect(encodeBody(decodeBody(e.raw, e.offset))).toEqual(e.raw);
  });

  it("written canonically, validates and runs the same", async () => {
    const canonical = writeModule(readModule(original), { canonical: true, decodeAll: true });
    if (!canonicalLebs) expect(canonical.length).toBeLessThan(original.length);
    expect(validationErrors(canonical)).toEqual([]);
    for (const arg of [0, 5, 77]) expect(await runExports(canonical, arg)).toEqual(await runExports(original, arg));
  });

  it("decodes the name section's function and local names", () => {
    const m = readModule(original);
    const names = functionNames(section(m, "name")!.names);
    const plain = [...names.entries()].map(([i, n]) => `${i} ${n.replace(/^\$/, "")}`);
    expect(plain).toEqual(expect.arrayContaining(["0 log", "1 sq", "2 twice", "3 pair"]));
  });
});

describe("edited modules (padded LEB128s, so the recorded widths must not get in the way)", () => {
  const original = wat2wasm(wat, false);

  it("a changed body and a renamed function are written, validate, and behave as edited", async () => {
    const m = readModule(original);
    const sq = section(m, "code")!.entries[0]!;
    const body = decodeBody(sq.raw, sq.offset);
    const mul = body.code.findIndex((i) => i.op.name === "i32.mul");
    sq.body = { ...body, code: body.code.map((ins, k) => (k === mul ? { op: opInfo(0, 0x6a)!, imm: undefined } : ins)) }; // i32.add
    const names = section(m, "name")!;
    for (const sub of names.names.subsections) if ("functions" in sub) sub.functions = sub.functions.map(([i, n]) => [i, i === 1 ? "a much longer name for sq" : n] as const);
    delete names.lebs;
    const edited = writeModule(m);
    expect(validationErrors(edited)).toEqual([]);
    expect(functionNames(section(readModule(edited), "name")!.names).get(1)).toBe("a much longer name for sq");
    const before = await runExports(original, 9);
    const after = await runExports(edited, 9);
    expect([before["tail"], after["tail"]]).toEqual(["81", "18"]); // tail is return_call $sq
    expect({ ...after, tail: before["tail"], tail_indirect: before["tail_indirect"], tables: before["tables"] }).toEqual(before);
  });
});

describe("malformed modules", () => {
  const good = wat2wasm(wat);

  it("refuses a file without the magic", () => {
    expect(errorOf(() => readModule(new Uint8Array([0x7f, 0x45, 0x4c, 0x46]))).code).toBe("E_WASM_MAGIC");
  });

  it("reports a truncated module with the offset of the section that overruns", () => {
    const e = errorOf(() => readModule(good.subarray(0, good.length - 3)));
    expect(e.code).toBe("E_TRUNCATED");
    expect(e.diagnostic.location.offset).toBeGreaterThan(8);
  });

  it("reports an unknown section id at its offset", () => {
    const bad = new Uint8Array([...good.subarray(0, 8), 0x2a, 0x00]);
    const e = errorOf(() => readModule(bad));
    expect([e.code, e.diagnostic.location.offset]).toEqual(["E_WASM_MALFORMED", 8]);
  });

  it("reports an unknown opcode at its offset in the module", () => {
    const m = readModule(good);
    const entry = section(m, "code")!.entries[0]!;
    const raw = entry.raw.slice();
    raw[raw.length - 2] = 0xff; // the last instruction before the final `end` of $sq (i32.mul)
    const e = errorOf(() => decodeBody(raw, entry.offset));
    expect([e.code, e.diagnostic.location.offset]).toEqual(["E_WASM_OPCODE", entry.offset + raw.length - 2]);
  });
});
