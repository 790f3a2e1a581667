/**
 * splitWasmModule's choice options (src/wasm/split/check-options.ts): an unknown
 * `dispatch` or `entryForm` is refused with MegasplitError E_USAGE, naming the
 * option, the value and the allowed values, before anything is split (it used to
 * fall back to the default silently); so is a `maxSize` that is not an integer
 * from 16 to the engines' body limit; every known value is accepted, and an
 * explicit default (`tree`, `auto`) writes the same bytes as no option.
 */
import { describe, expect, it } from "vitest";
import { generateModule } from "../bench/wasm/generate.js";
import { ErrorCodes, MegasplitError } from "../src/diagnostics.js";
import { splitWasmModule, type WasmSplitOptions } from "../src/wasm/split/split-module.js";

const module64k = generateModule("interpreter", 64 * 1024).bytes;
const MAX = 16384;

/** The error splitWasmModule throws with these options, or undefined. */
function errorOf(options: WasmSplitOptions): unknown {
  try {
    splitWasmModule(module64k, options);
  } catch (e) {
    return e;
  }
  return undefined;
}

describe("splitWasmModule option checks", () => {
  it.each([
    ["dispatch", "indirct", /dispatch must be tree or indirect or indirect-root, not "indirct"/],
    ["dispatch", "", /dispatch must be tree or indirect or indirect-root, not ""/],
    ["entryForm", "selectors", /entryForm must be auto or functions or selector, not "selectors"/],
  ])("refuses %s %j with E_USAGE", (name, value, message) => {
    const e = errorOf({ maxSize: MAX, [name]: value } as unknown as WasmSplitOptions);
    expect(e).toBeInstanceOf(MegasplitError);
    expect((e as MegasplitError).code).toBe(ErrorCodes.USAGE);
    expect((e as Error).message).toMatch(message);
  });

  it.each([[Number.NaN], [1.5], [15], [-1], [7_654_322], ["4000"]])("refuses maxSize %j with E_USAGE", (maxSize) => {
    const e = errorOf({ maxSize } as unknown as WasmSplitOptions);
    expect(e).toBeInstanceOf(MegasplitError);
    expect((e as MegasplitError).code).toBe(ErrorCodes.USAGE);
    expect((e as Error).message).toMatch(/maxSize must be an integer from 16 to 7654321/);
  });

  it("accepts maxSize at both ends of its range", () => {
    const atLimit = splitWasmModule(module64k, { maxSize: 7_654_321 });
    expect(atLimit.functions).toEqual([]);
    expect(Buffer.from(atLimit.bytes).equals(Buffer.from(module64k))).toBe(true);
    expect(WebAssembly.validate(splitWasmModule(module64k, { maxSize: 16 }).bytes)).toBe(true);
  });

  it("accepts every known value and splits the function", () => {
    for (const options of [{ dispatch: "tree" }, { dispatch: "indirect" }, { entryForm: "auto" }, { entryForm: "functions" }, { entryForm: "selector" }] as const) {
      const r = splitWasmModule(module64k, { maxSize: MAX, ...options });
      expect(r.functions[0]!.pieces).toBeGreaterThan(1);
      expect(WebAssembly.validate(r.bytes)).toBe(true);
    }
  });

  it("an explicit default writes the same bytes as no option", () => {
    const plain = Buffer.from(splitWasmModule(module64k, { maxSize: MAX }).bytes);
    expect(Buffer.from(splitWasmModule(module64k, { maxSize: MAX, dispatch: "tree" }).bytes).equals(plain)).toBe(true);
    expect(Buffer.from(splitWasmModule(module64k, { maxSize: MAX, entryForm: "auto" }).bytes).equals(plain)).toBe(true);
  });
});
