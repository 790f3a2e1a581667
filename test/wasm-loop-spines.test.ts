/**
 * Loop-spine replication (passes/wasm/loop-spines.ts, the `loopSpines` option of
 * splitWasmModule): every piece holding cases of a split interpreter loop gets its
 * own copy of the loop's header, fetch and dispatch, so a step makes at most one
 * tail call. Oracles: V8, wabt and Binaryen validate the split module; the
 * generator's JS reference (bench/wasm) and the unsplit module give the results;
 * the tail calls per step are counted by an instrumented copy of the split module
 * (Binaryen adds a counter at every function's entry), not by the splitter.
 */
import { describe, expect, it } from "vitest";
import binaryen from "binaryen";
import { generateModule } from "../bench/wasm/generate.js";
import { splitWasmModule } from "../src/wasm/split/split-module.js";
import { splitWasmFunction } from "../src/wasm/split/split-function.js";
import { cfgAnalyser } from "../src/wasm/split/analyse.js";
import { section } from "../src/wasm/module.js";
import { readModule } from "../src/wasm/read-module.js";
import { binaryenError, validationErrors, wat2wasm } from "./support/wasm-oracles.js";

type Run = (arg: number) => number;

async function runOf(bytes: Uint8Array): Promise<Run> {
  return (await WebAssembly.instantiate(bytes)).instance.exports.run as Run;
}

/** Function entries (calls and tail calls) per call of `run(arg)`, counted by a global Binaryen adds at every function's start. */
async function entriesPerRun(bytes: Uint8Array, arg: number): Promise<number> {
  const m = binaryen.readBinary(bytes);
  try {
    m.setFeatures(binaryen.Features.All);
    m.addGlobal("entries", binaryen.i32, true, m.i32.const(0));
    m.addGlobalExport("entries", "entries");
    for (let i = 0; i < m.getNumFunctions(); i++) {
      const f = binaryen.getFunctionInfo(m.getFunctionByIndex(i));
      const count = m.global.set("entries", m.i32.add(m.global.get("entries", binaryen.i32), m.i32.const(1)));
      binaryen._BinaryenFunctionSetBody(m.getFunction(f.name), m.block(null, [count, f.body], f.results));
    }
    const { instance } = await WebAssembly.instantiate(m.emitBinary());
    (instance.exports.run as Run)(arg);
    return (instance.exports.entries as WebAssembly.Global).value as number;
  } finally {
    m.dispose();
  }
}

function bodiesWithin(bytes: Uint8Array, max: number): boolean {
  return section(readModule(bytes), "code")!.entries.every((e) => e.raw.length <= max);
}

describe("the generated interpreter (bench/wasm) split with loop spines", () => {
  const ARGS = [0, 1, 77, 5000, 300_000];

  it.each([
    [64 * 1024, 8192],
    [256 * 1024, 16384],
  ])("at %i bytes, split at %i: copies made, every body within the limit, valid, same results as the JS reference; deterministic", async (size, max) => {
    const g = generateModule("interpreter", size);
    const analysis = cfgAnalyser()(readModule(g.bytes), 0, max);
    if (!analysis.ok) throw new Error(analysis.reason);
    const fn = splitWasmFunction({ cfg: analysis.cfg, liveIn: analysis.liveIn, maxSize: max, firstFunction: 1, loopSpines: true, handoverGlobal: () => 0 });
    expect(fn.ok && fn.spineCopies).toBeGreaterThan(3);
    const r = splitWasmModule(g.bytes, { maxSize: max, loopSpines: true });
    expect(r.functions[0]!.refused).toBeUndefined();
    expect(r.functions[0]!.pieces).toBeGreaterThan(3);
    expect(bodiesWithin(r.bytes, max)).toBe(true);
    if (size <= 64 * 1024) expect(validationErrors(r.bytes)).toEqual([]);
    else {
      expect(WebAssembly.validate(r.bytes)).toBe(true);
      expect(binaryenError(r.bytes)).toBeUndefined();
    }
    const run = await runOf(r.bytes);
    expect(ARGS.map(run)).toEqual(ARGS.map((a) => g.reference(a)));
    expect(Buffer.from(splitWasmModule(g.bytes, { maxSize: max, loopSpines: true }).bytes).equals(Buffer.from(r.bytes))).toBe(true);
  });

  it("makes at most one tail call per step where its dispatch is a two-level tree (without the copies: nearly two)", async () => {
    // At 256 KB and 16 KB pieces the dispatch is one table over the tables of case groups (split-tables.ts).
    const g = generateModule("interpreter", 256 * 1024);
    const steps = 200_000;
    const withSpines = await entriesPerRun(splitWasmModule(g.bytes, { maxSize: 16384, loopSpines: true }).bytes, steps);
    const without = await entriesPerRun(splitWasmModule(g.bytes, { maxSize: 16384 }).bytes, steps);
    // The call from JS and the entry into the loop are the only entries beyond one per step.
    expect(withSpines).toBeLessThanOrEqual(steps + 3);
    expect(without).toBeGreaterThan(1.5 * steps);
  });
});

/** An interpreter loop in WAT: 40 cases of 20 statements on registers a and b, each branching straight back to the loop header. */
function smallInterpreter(): { wasm: Uint8Array; mirror: (n: number) => number } {
  const cases = 40;
  const OPS = 20;
  const caseOps = (k: number) =>
    Array.from({ length: OPS }, (_, j) => `local.get $b i32.const ${k * 31 + j * 7 + 1} i32.mul local.get $a i32.xor local.set $a local.get $a i32.const ${j + 3} i32.rotl local.set $b`).join("\n");
  let inner = `(block $c0 local.get $i local.get $a i32.xor i32.const ${cases} i32.rem_u br_table ${Array.from({ length: cases }, (_, k) => `$c${k}`).join(" ")} $c0)`;
  for (let k = 0; k < cases; k++) inner = `(block $c${k + 1} ${inner}\n${caseOps(k)}\nlocal.get $i i32.const 1 i32.add local.set $i br $top)`;
  const wat = `(module (func (export "run") (param $n i32) (result i32) (local $i i32) (local $a i32) (local $b i32)
    i32.const 12345 local.set $a
    (block $done (loop $top
      local.get $i local.get $n i32.ge_u br_if $done
      ${inner}
      unreachable))
    local.get $a local.get $b i32.add))`;
  const mirror = (n: number): number => {
    let a = 12345;
    let b = 0;
    for (let i = 0; i < n; i++) {
      const k = ((i ^ a) >>> 0) % cases;
      for (let j = 0; j < OPS; j++) {
        a = Math.imul(b, k * 31 + j * 7 + 1) ^ a;
        b = ((a << (j + 3)) | (a >>> (32 - (j + 3)))) | 0;
      }
    }
    return (a + b) | 0;
  };
  return { wasm: wat2wasm(wat), mirror };
}

describe("a small interpreter loop across pieces with loop spines", () => {
  const { wasm, mirror } = smallInterpreter();
  const MAX = 6000;
  const r = splitWasmModule(wasm, { maxSize: MAX, loopSpines: true });

  it("splits into pieces that validate in V8, wabt and Binaryen, each within the limit, and compute the JS mirror's result", async () => {
    expect(r.functions[0]!.refused).toBeUndefined();
    expect(r.functions[0]!.pieces).toBeGreaterThanOrEqual(3);
    expect(bodiesWithin(r.bytes, MAX)).toBe(true);
    expect(validationErrors(r.bytes)).toEqual([]);
    const run = await runOf(r.bytes);
    for (const n of [0, 1, 2, 39, 1000]) expect(run(n)).toBe(mirror(n));
  });

  it("has spine copies (fewer than 1.1 function entries per step)", async () => {
    expect(await entriesPerRun(r.bytes, 10_000)).toBeLessThan(11_000);
  });

  it("runs 10^7 iterations of the loop across pieces without stack growth", async () => {
    const run = await runOf(r.bytes);
    expect(run(10_000_000)).toBe(mirror(10_000_000));
  });
});
