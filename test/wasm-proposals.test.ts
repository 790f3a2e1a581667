/**
 * The WebAssembly codec on instructions and types of the 3.0 additions that
 * Node 20's V8 does not enable by default and wabt.js cannot read (GC types and
 * instructions, try_table/throw_ref, typed function references, relaxed SIMD):
 * Binaryen assembles test/wasm/proposals.wat and judges the result. Read and
 * written unchanged the module is byte-identical, every body decoded or not; the
 * decoder sees every instruction the text uses; written canonically it validates
 * in Binaryen.
 */
import { readFileSync } from "node:fs";
import binaryen from "binaryen";
import { describe, expect, it } from "vitest";
import { decodeBody } from "../src/wasm/body.js";
import { section } from "../src/wasm/module.js";
import { readModule } from "../src/wasm/read-module.js";
import { writeModule } from "../src/wasm/write-module.js";
import { binaryenError, firstDifference } from "./support/wasm-oracles.js";

function assemble(text: string): Uint8Array {
  const m = binaryen.parseText(text);
  try {
    m.setFeatures(binaryen.Features.All);
    expect(m.validate()).toBe(1);
    return m.emitBinary();
  } finally {
    m.dispose();
  }
}

describe("3.0 additions (GC, try_table, typed function references, relaxed SIMD)", () => {
  const original = assemble(readFileSync(new URL("./wasm/proposals.wat", import.meta.url), "utf8"));

  it("reads and writes back byte-identical, with and without decoding every body", () => {
    expect(firstDifference(writeModule(readModule(original)), original)).toBe(-1);
    expect(firstDifference(writeModule(readModule(original), { decodeAll: true }), original)).toBe(-1);
  });

  it("decodes each instruction the text uses", () => {
    const names = new Set<string>();
    for (const e of section(readModule(original), "code")!.entries) for (const i of decodeBody(e.raw, e.offset).code) names.add(i.op.name);
    for (const n of ["try_table", "throw", "throw_ref", "call_ref", "return_call_ref", "f32x4.relaxed_madd", "struct.new", "struct.get", "array.new", "array.len", "ref.cast null", "ref.test", "ref.i31", "i31.get_s", "br_on_null", "br_on_cast", "ref.as_non_null"]) {
      expect(names).toContain(n);
    }
  });

  it("written canonically, validates in Binaryen", () => {
    expect(binaryenError(writeModule(readModule(original), { canonical: true, decodeAll: true }))).toBeUndefined();
  });
});
