/**
 * The stackifier (passes/wasm/stackify.ts) on hand-made CFGs (a diamond, nested
 * loops, a loop with several exits, table terminators, irreducible graphs) and on
 * random graphs: each is emitted in the structured form and in the dispatch form,
 * the module validates in V8, wabt and Binaryen, and both functions return what
 * a JavaScript interpreter of the CFG returns for every argument tried.
 */
import { describe, expect, it } from "vitest";
import { stackify, type Stackified } from "../passes/wasm/stackify.js";
import type { WasmCfg } from "../passes/wasm/wasm-cfg.js";
import { I32 } from "../src/wasm/types.js";
import { validationErrors } from "./support/wasm-oracles.js";
import { block, cfgOf, goto, iff, interpretCfg, moduleOf, randomCfg, ret, table } from "./support/wasm-blocks.js";

function emit(cfg: WasmCfg, form?: "dispatch"): { s: Stackified; extra: number } {
  let extra = 0;
  const first = cfg.localTypes.length;
  const s = stackify({ blocks: cfg.blocks, entry: 0 }, () => first + extra++, form);
  return { s, extra };
}

/** Both forms of `cfg` in one module, validated, run on every argument pair; returns the structured form's shape. */
async function check(cfg: WasmCfg, args: number[][]): Promise<Stackified["form"]> {
  const structured = emit(cfg);
  const dispatch = emit(cfg, "dispatch");
  const params = cfg.localTypes.slice(0, cfg.paramCount);
  const locals = (extra: number) => [...cfg.localTypes.slice(cfg.paramCount), ...new Array(extra).fill(I32)];
  const bytes = moduleOf([
    { params, results: [...cfg.results], locals: locals(structured.extra), code: structured.s.code, export: "s" },
    { params, results: [...cfg.results], locals: locals(dispatch.extra), code: dispatch.s.code, export: "d" },
  ]);
  expect(validationErrors(bytes)).toEqual([]);
  const { instance } = await WebAssembly.instantiate(bytes);
  const s = instance.exports.s as (...a: number[]) => number;
  const d = instance.exports.d as (...a: number[]) => number;
  for (const a of args) {
    const expected = interpretCfg(cfg, a);
    expect(expected).not.toBe("fuel");
    expect([s(...a), d(...a)]).toEqual([expected, expected]);
  }
  return structured.s.form;
}

const pairs = [[0, 0], [1, 2], [5, 3], [7, 11], [-4, 9], [20, 1], [3, 100]];

describe("stackify on hand-made CFGs", () => {
  it("a diamond", async () => {
    const cfg = cfgOf(
      [
        block("local.get 0", iff(1, 2)),
        block("local.get 1; i32.const 2; i32.mul; local.set 2", goto(3)),
        block("local.get 1; i32.const 7; i32.sub; local.set 2", goto(3)),
        block("local.get 2; i32.const 1; i32.add", ret),
      ],
      2,
      1,
    );
    expect(await check(cfg, pairs)).toBe("structured");
  });

  it("nested loops", async () => {
    // for (i = 0; i < p0; i++) for (j = 0; j < p1; j++) acc += i * j + 1
    const cfg = cfgOf(
      [
        block("i32.const 0; local.set 2; i32.const 0; local.set 4", goto(1)),
        block("local.get 2; local.get 0; i32.lt_s", iff(2, 6)),
        block("i32.const 0; local.set 3", goto(3)),
        block("local.get 3; local.get 1; i32.lt_s", iff(4, 5)),
        block("local.get 4; local.get 2; local.get 3; i32.mul; i32.add; i32.const 1; i32.add; local.set 4; local.get 3; i32.const 1; i32.add; local.set 3", goto(3)),
        block("local.get 2; i32.const 1; i32.add; local.set 2", goto(1)),
        block("local.get 4", ret),
      ],
      2,
      3,
    );
    expect(await check(cfg, pairs)).toBe("structured");
  });

  it("a loop with several exits", async () => {
    // i counts up; leaves when acc > p1 (returns acc), when i == p0 (returns -i), when acc is 13 (returns 1000)
    const cfg = cfgOf(
      [
        block("i32.const 0; local.set 2; i32.const 0; local.set 3", goto(1)),
        block("local.get 3; local.get 2; i32.add; local.set 3; local.get 3; local.get 1; i32.gt_s", iff(5, 2)),
        block("local.get 2; local.get 0; i32.eq", iff(6, 3)),
        block("local.get 3; i32.const 13; i32.eq", iff(7, 4)),
        block("local.get 2; i32.const 1; i32.add; local.set 2", goto(1)),
        block("local.get 3", ret),
        block("i32.const 0; local.get 2; i32.sub", ret),
        block("i32.const 1000", ret),
      ],
      2,
      2,
    );
    expect(await check(cfg, [...pairs, [10, 1000], [100, 12]])).toBe("structured");
  });

  it("table terminators: shared targets, a target that is a loop header, a default", async () => {
    // loop: k = i % 5; switch k { 0,3 -> add; 1 -> mul; 2 -> back to the loop header; default -> xor }
    const cfg = cfgOf(
      [
        block("i32.const 0; local.set 2; i32.const 1; local.set 3", goto(1)),
        block("local.get 2; local.get 0; i32.lt_s", iff(2, 7)),
        block("local.get 2; i32.const 1; i32.add; local.set 2; local.get 2; i32.const 5; i32.rem_u", table([3, 4, 1, 3], 5)),
        block("local.get 3; local.get 1; i32.add; local.set 3", goto(6)),
        block("local.get 3; i32.const 3; i32.mul; local.set 3", goto(6)),
        block("local.get 3; i32.const 21; i32.xor; local.set 3", goto(1)),
        block("local.get 3; i32.const 1; i32.add; local.set 3", goto(1)),
        block("local.get 3", ret),
      ],
      2,
      2,
    );
    expect(await check(cfg, pairs)).toBe("structured");
  });

  it("a table whose targets are all blocks it dominates alone", async () => {
    const cfg = cfgOf(
      [
        block("local.get 0; i32.const 3; i32.and", table([1, 2, 3], 4)),
        block("i32.const 10", ret),
        block("local.get 1; i32.const 2; i32.mul", ret),
        block("local.get 1", iff(1, 4)),
        block("i32.const 40", ret),
      ],
      2,
      0,
    );
    expect(await check(cfg, pairs)).toBe("structured");
  });

  it("an irreducible loop (two entries) falls back to the dispatch form", async () => {
    // b0 enters the b1/b2 cycle at either block
    const cfg = cfgOf(
      [
        block("i32.const 0; local.set 2; local.get 0; i32.const 1; i32.and", iff(1, 2)),
        block("local.get 2; i32.const 3; i32.add; local.set 2; local.get 2; local.get 1; i32.gt_s", iff(3, 2)),
        block("local.get 2; i32.const 2; i32.mul; i32.const 1; i32.add; local.set 2; local.get 2; local.get 1; i32.gt_s", iff(3, 1)),
        block("local.get 2", ret),
      ],
      2,
      1,
    );
    expect(await check(cfg, pairs.map(([a, b]) => [a!, Math.abs(b!)]))).toBe("dispatch");
  });
});

describe("stackify on random graphs", () => {
  it("200 random graphs, reducible and not, agree with the interpreter in both forms", async () => {
    const forms = { structured: 0, dispatch: 0 };
    for (let seed = 1; seed <= 200; seed++) {
      const cfg = randomCfg(seed, 3 + (seed % 9));
      forms[await check(cfg, [[seed, 7], [-seed, 3], [0, 0]])]++;
    }
    // Both shapes were exercised.
    expect(forms.structured).toBeGreaterThan(20);
    expect(forms.dispatch).toBeGreaterThan(20);
  });
});
