/**
 * The WebAssembly opcode table (src/wasm/opcodes*.ts) against the specification's
 * own list of opcodes (test/wasm/spec-opcodes.txt, taken from the spec's
 * instruction index): every opcode the spec defines has a row, and every row is
 * either in the spec's list or one of the two proposals the tables add on
 * purpose (legacy exception handling is in the list's second part; atomics are
 * the 0xFE table of the threads proposal).
 */
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { allOpcodes, opInfo } from "../src/wasm/opcodes.js";

function specOpcodes(): Array<[number, number]> {
  const text = readFileSync(new URL("./wasm/spec-opcodes.txt", import.meta.url), "utf8");
  return text
    .split("\n")
    .filter((l) => l.trim() !== "" && !l.startsWith("#"))
    .map((l) => {
      const parts = l.trim().split(" ").map((h) => parseInt(h, 16));
      return parts.length === 1 ? [0, parts[0]!] : [parts[0]!, parts[1]!];
    });
}

const key = (prefix: number, code: number) => `${prefix.toString(16)}:${code.toString(16)}`;

describe("WebAssembly opcode table", () => {
  const spec = specOpcodes();

  it("has a row for every opcode of the specification", () => {
    expect(spec.length).toBe(499 + 5);
    const missing = spec.filter(([p, c]) => opInfo(p, c) === undefined).map(([p, c]) => key(p, c));
    expect(missing).toEqual([]);
  });

  it("has no row the specification does not define, apart from the threads proposal's atomics", () => {
    const inSpec = new Set(spec.map(([p, c]) => key(p, c)));
    const extra = allOpcodes().filter((o) => !inSpec.has(key(o.prefix, o.code)));
    expect(extra.every((o) => o.prefix === 0xfe)).toBe(true);
    expect(extra.length).toBe(67);
  });

  it("names every row with a text-format name, unique except the two forms of select", () => {
    const names = allOpcodes().map((o) => o.name);
    const dup = names.filter((n, i) => names.indexOf(n) !== i);
    expect(dup).toEqual(["select"]);
    for (const n of names) expect(n).toMatch(/^[a-z0-9_.]+( null)?$/);
  });

  it("gives prefixed opcodes beyond 0x7F their LEB128 sub-opcode value (relaxed SIMD ends at 0x113)", () => {
    expect(opInfo(0xfd, 0x113)?.name).toBe("i32x4.relaxed_dot_i8x16_i7x16_add_s");
    expect(opInfo(0xfd, 0x80)?.name).toBe("i16x8.abs");
    expect(opInfo(0xfd, 0x9a)).toBeUndefined();
  });
});
