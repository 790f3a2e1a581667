/**
 * The huge-function generators of bench/wasm (bench/wasm/generate.ts), judged by
 * the engine and the validators, not by themselves: each shape at 64 KB and 1 MB of
 * function body is accepted by V8 (`WebAssembly.validate`) and Binaryen (and wabt at
 * 64 KB: wabt's recursive validator overflows its stack on the 9,362 nested blocks
 * of the 1 MB interpreter's dispatch), our reader finds one body of the requested
 * size, and `run` returns what the generator's JS reference implementation of the
 * same program computes, for several arguments. Past V8's limit (7,654,321 body
 * bytes) the module is refused with V8's "maximum function size" message, while
 * the same generator just under the limit validates: the refusal is the size.
 * Cost: about 10 s of CPU.
 */
import { describe, expect, it } from "vitest";
import { generateModule, OVER_V8_LIMIT, SHAPES, V8_MAX_FUNCTION_BODY, type WorkloadShape } from "../bench/wasm/generate.js";
import { section } from "../src/wasm/module.js";
import { readModule } from "../src/wasm/read-module.js";
import { binaryenError, wabtError } from "./support/wasm-oracles.js";

const ARGS: Record<WorkloadShape, number[]> = {
  interpreter: [0, 1, 2, 1000, 100_000],
  "straight-line": [0, 1, -1, 12345, 0x7fffffff],
};
const SIZES = [64 * 1024, 1024 * 1024];

describe.each(SHAPES)("%s generator", (shape) => {
  describe.each(SIZES)("at %i body bytes", (size) => {
    const m = generateModule(shape, size);

    it("has one exported function whose body is the requested size (within one statement)", () => {
      const code = section(readModule(m.bytes), "code")!;
      expect(code.entries.length).toBe(1);
      expect(code.entries[0]!.raw.length).toBe(m.bodySize);
      expect(Math.abs(m.bodySize - size)).toBeLessThan(400);
    });

    it("validates in V8 and Binaryen (and wabt at 64 KB)", () => {
      expect(WebAssembly.validate(m.bytes)).toBe(true);
      expect(binaryenError(m.bytes)).toBeUndefined();
      if (size <= 64 * 1024) expect(wabtError(m.bytes)).toBeUndefined();
    });

    it("runs and returns what the JS reference computes", async () => {
      const { instance } = await WebAssembly.instantiate(m.bytes);
      const run = instance.exports.run as (arg: number) => number;
      const results = ARGS[shape].map((arg) => run(arg));
      expect(results).toEqual(ARGS[shape].map((arg) => m.reference(arg)));
      // The arguments matter: a program that ignored its input would pass the line above too easily.
      expect(new Set(results).size).toBe(results.length);
    });
  });

  it("is deterministic: the same arguments give the same bytes, another seed other bytes", () => {
    const a = generateModule(shape, 64 * 1024);
    expect(Buffer.from(generateModule(shape, 64 * 1024).bytes).equals(Buffer.from(a.bytes))).toBe(true);
    expect(Buffer.from(generateModule(shape, 64 * 1024, 15).bytes).equals(Buffer.from(a.bytes))).toBe(false);
  });
});

describe("past V8's function size limit", () => {
  it("a body over 8 MB is refused by V8 with its function size message", () => {
    const m = generateModule("straight-line", OVER_V8_LIMIT);
    expect(m.bodySize).toBeGreaterThan(8 * 1024 * 1024);
    expect(WebAssembly.validate(m.bytes)).toBe(false);
    let refusal: unknown;
    try {
      new WebAssembly.Module(m.bytes);
    } catch (e) {
      refusal = e;
    }
    expect(refusal).toBeInstanceOf(WebAssembly.CompileError);
    expect((refusal as Error).message).toMatch(new RegExp(`^WebAssembly\\.Module\\(\\): size ${m.bodySize} > maximum function size ${V8_MAX_FUNCTION_BODY} @\\+\\d+$`));
  });

  it("the same generator just under the limit validates, so the refusal is the size", () => {
    const m = generateModule("straight-line", V8_MAX_FUNCTION_BODY - 1000);
    expect(m.bodySize).toBeLessThanOrEqual(V8_MAX_FUNCTION_BODY);
    expect(WebAssembly.validate(m.bytes)).toBe(true);
  });
});
