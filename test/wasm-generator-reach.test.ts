/**
 * The interpreter generator's option `reach` (bench/wasm/interpreter.ts), which
 * limits the program to the hottest handlers so that bench/wasm can measure a first
 * call that reaches few pieces. Checked here: without the option the module is
 * byte for byte what the generator wrote before the option existed (SHA-256 of the
 * output of main at bb72713, computed there at 64 KiB, 1 MiB and 6.6 MiB), and a
 * `reach` at least the case count changes nothing; with a smaller `reach` the
 * function body is the same bytes and only the program differs, the program holds
 * at most `reach` distinct opcodes (the pc only ever reads the program, so no other
 * handler runs), and V8 runs it to the JS reference's result. Cost: about 6 s.
 */
import { createHash } from "node:crypto";
import { describe, expect, it } from "vitest";
import { generateModule } from "../bench/wasm/generate.js";
import { section } from "../src/wasm/module.js";
import { readModule } from "../src/wasm/read-module.js";

const sha256 = (bytes: Uint8Array): string => createHash("sha256").update(bytes).digest("hex");
const SIZE_6_6M = Math.round(6.6 * (1 << 20));

/** Computed with main's generator (commit bb72713), before `reach` existed. */
const MAIN_HASHES: ReadonlyArray<readonly [number, string]> = [
  [64 * 1024, "1967b8153d0bb5aa31567829ace67c52f4e9bf3b30793fff7887ecc21deb7f34"],
  [1024 * 1024, "31dbc84978a5ca220bba91472310c7f5bee7bc0a1382133767c6d5795e23c504"],
  [SIZE_6_6M, "7be6889bf28ae46d8c1aa77d9712e4bc6cd1c3fb50dccb8542f704fefefebf29"],
];

const bodyOf = (bytes: Uint8Array): Uint8Array => section(readModule(bytes), "code")!.entries[0]!.raw;
const programOf = (bytes: Uint8Array): Uint8Array => section(readModule(bytes), "data")!.segments[0]!.bytes;
const distinctOpcodes = (program: Uint8Array): Set<number> => {
  const view = new DataView(program.buffer, program.byteOffset, program.byteLength);
  const seen = new Set<number>();
  for (let i = 0; i < program.length; i += 2) seen.add(view.getUint16(i, true));
  return seen;
};

describe("interpreter generator, option reach", () => {
  it.each(MAIN_HASHES)("without it, the module at %i body bytes is main's byte for byte", (size, hash) => {
    expect(sha256(generateModule("interpreter", size).bytes)).toBe(hash);
  });

  it("a reach of the case count or more is the default module", () => {
    const base = generateModule("interpreter", 64 * 1024);
    const cases = Number(/(\d+) cases/.exec(base.describe)![1]);
    expect(cases).toBe(585);
    for (const reach of [cases, cases + 1, 1 << 20]) expect(sha256(generateModule("interpreter", 64 * 1024, 14, { reach }).bytes)).toBe(MAIN_HASHES[0]![1]);
  });

  describe.each([1, 16, 256, 4096])("reach %i at 1 MiB (9,362 cases)", (reach) => {
    const base = generateModule("interpreter", 1024 * 1024);
    const limited = generateModule("interpreter", 1024 * 1024, 14, { reach });

    it("keeps the function body byte for byte and changes only the program", () => {
      expect(Buffer.from(bodyOf(limited.bytes)).equals(Buffer.from(bodyOf(base.bytes)))).toBe(true);
      expect(Buffer.from(programOf(limited.bytes)).equals(Buffer.from(programOf(base.bytes)))).toBe(false);
    });

    it("puts at most reach distinct handlers in the program (all of them up to a few hundred)", () => {
      const limitedSet = distinctOpcodes(programOf(limited.bytes));
      expect(limitedSet.size).toBeLessThanOrEqual(reach);
      if (reach <= 256) expect(limitedSet.size).toBe(reach);
      // The unlimited program reaches thousands: the option is what narrows it.
      expect(distinctOpcodes(programOf(base.bytes)).size).toBeGreaterThan(4096);
      for (const opcode of limitedSet) expect(opcode).toBeLessThan(9362);
    });

    it("runs in V8 to the JS reference's result", async () => {
      const { instance } = await WebAssembly.instantiate(limited.bytes);
      const run = instance.exports.run as (steps: number) => number;
      for (const steps of [1, 1000, 100_000]) expect(run(steps)).toBe(limited.reference(steps));
      expect(limited.reference(100_000)).not.toBe(base.reference(100_000));
    });
  });

  it("refuses a reach below 1 or not an integer, and on the straight-line shape", () => {
    expect(() => generateModule("interpreter", 64 * 1024, 14, { reach: 0 })).toThrow(/reach must be an integer/);
    expect(() => generateModule("interpreter", 64 * 1024, 14, { reach: 2.5 })).toThrow(/reach must be an integer/);
    expect(() => generateModule("straight-line", 64 * 1024, 14, { reach: 16 })).toThrow(/interpreter shape/);
  });
});
