/**
 * Splitting WebAssembly functions: the linker (passes/wasm/link.ts) over the
 * partition, through splitWasmFunction. Hand-made and random CFGs are split at
 * small limits; the driver and its pieces make a module that validates in V8,
 * wabt and Binaryen, every body is within the limit, and the driver returns what
 * a JavaScript interpreter of the CFG returns. A loop whose body spans pieces runs
 * 10^7 iterations (tail calls: no stack growth) and matches a JavaScript mirror.
 */
import { describe, expect, it } from "vitest";
import { splitWasmFunction } from "../src/wasm/split/split-function.js";
import type { WasmBlock, WasmCfg } from "../passes/wasm/wasm-cfg.js";
import { validationErrors } from "./support/wasm-oracles.js";
import { block, cfgOf, goto, iff, interpretCfg, liveInOf, moduleOfBodies, randomCfg, ret } from "./support/wasm-blocks.js";

/** Splits `cfg` at `maxSize`; the module with the driver (export "f") and the pieces, and how many pieces. */
function splitModule(cfg: WasmCfg, maxSize: number): { bytes: Uint8Array; pieces: number; sizes: number[] };
function splitModule(cfg: WasmCfg, maxSize: number, allowRefusal: true): { bytes: Uint8Array; pieces: number; sizes: number[] } | { refused: string };
function splitModule(cfg: WasmCfg, maxSize: number, allowRefusal = false): { bytes: Uint8Array; pieces: number; sizes: number[] } | { refused: string } {
  const r = splitWasmFunction({ cfg, liveIn: liveInOf(cfg), maxSize, firstFunction: 1 });
  if (!r.ok && allowRefusal) return { refused: r.reason };
  if (!r.ok) throw new Error(`refused: ${r.reason}`);
  const results = [...cfg.results];
  const bytes = moduleOfBodies([
    { params: cfg.localTypes.slice(0, cfg.paramCount), results, body: r.driver.body, export: "f" },
    ...r.functions.map((f) => ({ params: f.params, results, body: f.body })),
  ]);
  return { bytes, pieces: r.functions.length, sizes: [r.driver.size, ...r.functions.map((f) => f.size)] };
}

/** A loop of `steps` blocks updating locals 2 (acc) and 3 (i) `p0` times; its JS mirror. */
function longLoop(steps: number): { cfg: WasmCfg; mirror: (n: number, p1: number) => number } {
  const consts = Array.from({ length: steps }, (_, k) => (k * 7919 + 13) % 1000);
  const blocks: WasmBlock[] = [
    block("i32.const 1; local.set 2; i32.const 0; local.set 3", goto(1)),
    block("local.get 3; local.get 0; i32.lt_s", iff(2, steps + 2)),
  ];
  consts.forEach((c, k) => {
    const op = k % 3 === 0 ? "i32.add" : k % 3 === 1 ? "i32.xor" : "i32.mul";
    blocks.push(block(`local.get 2; i32.const ${c}; ${op}; local.get 1; i32.add; local.set 2`, goto(k === steps - 1 ? steps + 3 : 3 + k)));
  });
  blocks.push(block("local.get 2", ret));
  blocks.push(block("local.get 3; i32.const 1; i32.add; local.set 3", goto(1)));
  const mirror = (n: number, p1: number): number => {
    let acc = 1;
    for (let i = 0; i < n; i++) {
      for (let k = 0; k < steps; k++) {
        const c = consts[k]!;
        acc = k % 3 === 0 ? (acc + c) | 0 : k % 3 === 1 ? acc ^ c : Math.imul(acc, c);
        acc = (acc + p1) | 0;
      }
    }
    return acc;
  };
  return { cfg: cfgOf(blocks, 2, 2), mirror };
}

describe("splitWasmFunction", () => {
  it("a loop split across pieces validates, keeps every body within the limit and computes what the interpreter does", async () => {
    const { cfg } = longLoop(12);
    const s = splitModule(cfg, 120);
    expect(s.pieces).toBeGreaterThanOrEqual(2);
    for (const size of s.sizes) expect(size).toBeLessThanOrEqual(120);
    expect(validationErrors(s.bytes)).toEqual([]);
    const f = (await WebAssembly.instantiate(s.bytes)).instance.exports.f as (a: number, b: number) => number;
    for (const [a, b] of [[0, 0], [1, 5], [10, 3], [33, -7]]) expect(f(a!, b!)).toBe(interpretCfg(cfg, [a!, b!]));
  });

  it("a loop across pieces runs 10^7 iterations without growing the stack", async () => {
    const { cfg, mirror } = longLoop(12);
    const s = splitModule(cfg, 120);
    expect(s.pieces).toBeGreaterThanOrEqual(2);
    const f = (await WebAssembly.instantiate(s.bytes)).instance.exports.f as (a: number, b: number) => number;
    expect(f(10_000_000, 3)).toBe(mirror(10_000_000, 3));
  });

  it("300 random graphs (irreducible ones included) split at small limits agree with the interpreter", async () => {
    let split = 0;
    const refusals: string[] = [];
    for (let seed = 1; seed <= 300; seed++) {
      const cfg = randomCfg(seed, 16 + (seed % 13));
      const limit = 220 + (seed % 5) * 40;
      const s = splitModule(cfg, limit, true);
      if ("refused" in s) {
        refusals.push(s.refused);
        continue;
      }
      for (const size of s.sizes) expect(size).toBeLessThanOrEqual(limit);
      if (s.pieces > 0) split++;
      expect(validationErrors(s.bytes)).toEqual([]);
      const f = (await WebAssembly.instantiate(s.bytes)).instance.exports.f as (a: number, b: number) => number;
      for (const [a, b] of [[seed, 7], [-seed, 3], [0, 0]]) expect(f(a!, b!)).toBe(interpretCfg(cfg, [a!, b!]));
    }
    expect(split).toBeGreaterThan(200);
    // At these limits a refusal may only be the partition's: a block or loop too big with its stubs.
    for (const r of refusals) expect(r).toMatch(/^a (single block|loop) /);
    expect(refusals.length).toBeLessThan(10);
  });
});
