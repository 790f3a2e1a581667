/**
 * Splitting WebAssembly functions: the linker (passes/wasm/link.ts) over the
 * partition, through splitWasmFunction. Hand-made and random CFGs are split at
 * small limits; the driver and its pieces make a module that validates in V8,
 * wabt and Binaryen, every body is within the limit, and the driver returns what
 * a JavaScript interpreter of the CFG returns. A loop whose body spans pieces runs
 * 10^7 iterations (tail calls: no stack growth) and matches a JavaScript mirror.
 * The module rewrite (splitWasmModuleWith, CFG handed in) keeps other bodies byte
 * for byte, names the pieces and runs the same; 300 live values across cuts go
 * 255 as parameters and the rest through globals, and the result matches a mirror.
 * A generated loop around a br_table, written as WAT, goes through the whole
 * pipeline (CFG builder, liveness, partition, linker): split into several pieces,
 * it returns what the unsplit module and a mirror return, for 10^7 iterations too.
 * `megasplit split module.wasm` writes such a module, reports as for class files
 * (summary, --verbose lines, --json, refusals as warnings, --strict).
 */
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { runCli } from "./support/cli.js";
import { randomFunctionsModule } from "./support/wasm-random-function.js";
import { splitWasmFunction } from "../src/wasm/split/split-function.js";
import type { WasmBlock, WasmCfg } from "../passes/wasm/wasm-cfg.js";
import { validationErrors, wat2wasm } from "./support/wasm-oracles.js";
import { block, cfgOf, code, goto, iff, interpretCfg, liveInOf, moduleOf, moduleOfBodies, randomCfg, ret } from "./support/wasm-blocks.js";
import { splitWasmModule, splitWasmModuleWith } from "../src/wasm/split/split-module.js";
import { stackify } from "../passes/wasm/stackify.js";
import { instr } from "../passes/wasm/instr.js";
import { internalError } from "../src/diagnostics.js";
import { section, type Section, type WasmModule } from "../src/wasm/module.js";
import { functionNames } from "../src/wasm/name-section.js";
import { readModule } from "../src/wasm/read-module.js";
import { writeModule } from "../src/wasm/write-module.js";
import { I32 } from "../src/wasm/types.js";

/** Splits `cfg` at `maxSize`; the module with the driver (export "f") and the pieces, and how many pieces. */
type EntryForm = "auto" | "functions" | "selector";
function splitModule(cfg: WasmCfg, maxSize: number): { bytes: Uint8Array; pieces: number; sizes: number[] };
function splitModule(cfg: WasmCfg, maxSize: number, allowRefusal: true, entryForm?: EntryForm): { bytes: Uint8Array; pieces: number; sizes: number[] } | { refused: string };
function splitModule(cfg: WasmCfg, maxSize: number, allowRefusal = false, entryForm: EntryForm = "auto"): { bytes: Uint8Array; pieces: number; sizes: number[] } | { refused: string } {
  const r = splitWasmFunction({ cfg, liveIn: liveInOf(cfg), maxSize, firstFunction: 1, entryForm });
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

  it("an entry block that a later piece branches back to: the driver hands over to it, a local read before any write starts at zero", async () => {
    // b0 is the loop header: local 2 counts (from its default 0), local 3 accumulates; the body spans pieces.
    const steps = 10;
    const blocks: WasmBlock[] = [block("local.get 2; i32.const 1; i32.add; local.set 2", goto(1))];
    for (let k = 0; k < steps; k++) blocks.push(block(`local.get 3; local.get 2; i32.const ${k * 37 + 1}; i32.mul; i32.xor; local.get 1; i32.add; local.set 3`, goto(k + 2)));
    blocks.push(block("local.get 2; local.get 0; i32.lt_s", iff(0, steps + 2)));
    blocks.push(block("local.get 3", ret));
    const cfg = cfgOf(blocks, 2, 2);
    const direct = splitWasmFunction({ cfg, liveIn: liveInOf(cfg), maxSize: 90, firstFunction: 1 });
    expect(direct.ok && direct.driver.form).toBe("stub");
    const s = splitModule(cfg, 90);
    expect(s.pieces).toBeGreaterThanOrEqual(2);
    expect(validationErrors(s.bytes)).toEqual([]);
    const f = (await WebAssembly.instantiate(s.bytes)).instance.exports.f as (a: number, b: number) => number;
    for (const [a, b] of [[0, 0], [1, 5], [10, 3], [1000, -7]]) expect(f(a!, b!)).toBe(interpretCfg(cfg, [a!, b!], 1e7));
  });

  it.each(["functions", "selector"] as const)("300 random graphs (irreducible ones included) split at small limits agree with the interpreter (pieces with several entries as %s)", async (entryForm) => {
    let split = 0;
    const refusals: string[] = [];
    for (let seed = 1; seed <= 300; seed++) {
      const cfg = randomCfg(seed, 16 + (seed % 13));
      const limit = 220 + (seed % 5) * 40;
      const s = splitModule(cfg, limit, true, entryForm);
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

describe("splitWasmModuleWith (the module rewrite, with the CFG handed in)", () => {
  // func 0: imported env.log; func 1: small, exported "small"; func 2: the long loop, exported "f", called by func 1.
  const { cfg, mirror } = longLoop(12);
  const loop = stackify({ blocks: cfg.blocks, entry: 0 }, () => internalError("no scratch expected"));
  const smallCode = code("local.get 0; local.get 1; call 2; i32.const 1; i32.add");
  function original(): Uint8Array {
    const sig = { explicit: false, types: [{ supers: [], comp: { kind: "func" as const, params: [I32, I32], results: [I32] } }] };
    const logSig = { explicit: false, types: [{ supers: [], comp: { kind: "func" as const, params: [I32], results: [] } }] };
    const sections: Section[] = [
      { id: 1, kind: "type", groups: [sig, logSig], sizeWidth: 0 },
      { id: 2, kind: "import", imports: [{ module: "env", name: "log", desc: { kind: 0, type: 1 } }], sizeWidth: 0 },
      { id: 3, kind: "function", types: [0, 0], sizeWidth: 0 },
      { id: 7, kind: "export", exports: [{ name: "small", kind: 0, index: 1 }, { name: "f", kind: 0, index: 2 }], sizeWidth: 0 },
      {
        id: 10,
        kind: "code",
        entries: [
          { raw: new Uint8Array(0), offset: 0, sizeWidth: 0, body: { locals: [], code: [...smallCode, instr("end")] } },
          { raw: new Uint8Array(0), offset: 0, sizeWidth: 0, body: { locals: [{ count: 2, type: I32 }], code: [...loop.code, instr("end")] } },
        ],
        sizeWidth: 0,
      },
      { id: 0, kind: "name", names: { subsections: [{ id: 1, functions: [[0, "log"], [1, "small"], [2, "loop"]], sizeWidth: 0 }, { id: 2, locals: [[2, [[0, "n"], [1, "p"], [2, "acc"]]]], sizeWidth: 0 }] }, sizeWidth: 0 },
    ];
    return writeModule({ version: 1, sections });
  }
  const analyse = (_m: WasmModule, index: number) => {
    expect(index).toBe(2);
    return { ok: true as const, cfg, liveIn: liveInOf(cfg) };
  };

  it("splits the function over the limit, keeps the others byte for byte, names the pieces, and runs the same", async () => {
    const input = original();
    const before = readModule(input);
    const bigSize = section(before, "code")!.entries[1]!.raw.length;
    const r = splitWasmModuleWith(input, { maxSize: 120 }, analyse);
    expect(r.functions).toEqual([{ index: 2, name: "loop", size: bigSize, pieces: r.functions[0]!.pieces }]);
    expect(r.functions[0]!.pieces).toBeGreaterThanOrEqual(2);
    expect(validationErrors(r.bytes)).toEqual([]);
    const after = readModule(r.bytes);
    const entries = section(after, "code")!.entries;
    expect(Buffer.from(entries[0]!.raw).equals(Buffer.from(section(before, "code")!.entries[0]!.raw))).toBe(true);
    for (const e of entries) expect(e.raw.length).toBeLessThanOrEqual(120);
    expect(section(after, "export")!.exports).toEqual(section(before, "export")!.exports);
    const names = functionNames(section(after, "name")!.names);
    expect(names.get(2)).toBe("loop");
    for (let n = 1; n <= r.functions[0]!.pieces; n++) expect(names.get(2 + n)).toBe(`loop$split$${n}`);
    const { instance } = await WebAssembly.instantiate(r.bytes, { env: { log: () => {} } });
    const f = instance.exports.f as (a: number, b: number) => number;
    const small = instance.exports.small as (a: number, b: number) => number;
    expect(f(1000, 7)).toBe(mirror(1000, 7));
    expect(small(55, -3)).toBe((mirror(55, -3) + 1) | 0);
    // Deterministic.
    expect(Buffer.from(splitWasmModuleWith(input, { maxSize: 120 }, analyse).bytes).equals(Buffer.from(r.bytes))).toBe(true);
  });

  it("leaves a module with nothing over the limit byte-identical", () => {
    const input = original();
    const r = splitWasmModuleWith(input, { maxSize: 100_000 }, analyse);
    expect(r.functions).toEqual([]);
    expect(Buffer.from(r.bytes).equals(Buffer.from(input))).toBe(true);
  });

  it("reports a refusal and keeps the function as it was", () => {
    const input = original();
    const r = splitWasmModuleWith(input, { maxSize: 120 }, () => ({ ok: false, reason: "no CFG (test)" }));
    expect(r.functions).toEqual([{ index: 2, name: "loop", size: section(readModule(input), "code")!.entries[1]!.raw.length, pieces: 0, refused: "no CFG (test)" }]);
    expect(Buffer.from(r.bytes).equals(Buffer.from(input))).toBe(true);
  });
});

describe("more than 255 live values across a cut", () => {
  // local 0 = n; locals 1..300 = v_k; 301 = sum; 302 = loop counter. v_k = n*k; 5 times: each group j updates v_k = v_k*3 + j; return the sum.
  const V = 300;
  const groups = 4;
  const per = V / groups;
  const ks = (j: number) => Array.from({ length: per }, (_, i) => 1 + j * per + i);
  const blocks: WasmBlock[] = [];
  // 0..3 init, 4 loop header, 5..8 update groups, 9..11 partial sums, 12 return.
  for (let j = 0; j < groups; j++) blocks.push(block(ks(j).map((k) => `local.get 0; i32.const ${k}; i32.mul; local.set ${k}`).join("; "), goto(j + 1)));
  blocks.push(block("local.get 302; i32.const 5; i32.lt_s", iff(5, 9)));
  for (let j = 0; j < groups; j++) {
    const update = ks(j).map((k) => `local.get ${k}; i32.const 3; i32.mul; i32.const ${j + 1}; i32.add; local.set ${k}`).join("; ");
    blocks.push(block(j === groups - 1 ? `${update}; local.get 302; i32.const 1; i32.add; local.set 302` : update, goto(j === groups - 1 ? 4 : 6 + j)));
  }
  for (let j = 0; j < 3; j++) blocks.push(block(Array.from({ length: V / 3 }, (_, i) => `local.get 301; local.get ${1 + j * (V / 3) + i}; i32.add; local.set 301`).join("; "), goto(10 + j)));
  blocks.push(block("local.get 301", ret));
  const cfg = cfgOf(blocks, 1, V + 2);
  const mirror = (n: number): number => {
    const v = Array.from({ length: V + 1 }, (_, k) => Math.imul(n, k));
    for (let r = 0; r < 5; r++) for (let j = 0; j < groups; j++) for (const k of ks(j)) v[k] = (Math.imul(v[k]!, 3) + j + 1) | 0;
    let sum = 0;
    for (let k = 1; k <= V; k++) sum = (sum + v[k]!) | 0;
    return sum;
  };

  it("hands the values beyond 255 over in globals, and the split module computes the same", async () => {
    const whole = stackify({ blocks: cfg.blocks, entry: 0 }, () => internalError("no scratch expected"));
    const input = moduleOf([{ params: [I32], results: [I32], locals: new Array(V + 2).fill(I32), code: whole.code, export: "f" }]);
    const r = splitWasmModuleWith(input, { maxSize: 4000 }, () => ({ ok: true, cfg, liveIn: liveInOf(cfg) }));
    expect(r.functions[0]!.refused).toBeUndefined();
    expect(r.functions[0]!.pieces).toBeGreaterThanOrEqual(3);
    expect(validationErrors(r.bytes)).toEqual([]);
    const after = readModule(r.bytes);
    expect(section(after, "global")!.globals.length).toBeGreaterThanOrEqual(V + 2 - 255 - 1);
    for (const e of section(after, "code")!.entries) expect(e.raw.length).toBeLessThanOrEqual(4000);
    const f = (await WebAssembly.instantiate(r.bytes)).instance.exports.f as (n: number) => number;
    for (const n of [0, 1, 7, -123456]) expect(f(n)).toBe(mirror(n));
  });

  it("without globals, refuses rather than cut where more than 255 values are live", () => {
    const s = splitWasmFunction({ cfg, liveIn: liveInOf(cfg), maxSize: 4000, firstFunction: 1 });
    expect(s.ok ? "split" : s.reason).toMatch(/more than 255 live values/);
  });
});

/**
 * A generated interpreter-like function: a loop around a br_table over `cases`
 * cases, each a run of straight-line i32 arithmetic on locals a, b, c; its WAT
 * and a JavaScript mirror computing the same.
 */
function generatedSwitch(cases: number, opsPerCase: number, seed: number): { wat: string; mirror: (n: number, s: number) => number } {
  let x = seed;
  const rnd = (k: number) => ((x = (Math.imul(x, 1103515245) + 12345) >>> 0), (x >>> 8) % k);
  const vars = ["a", "b", "c"] as const;
  const ops = ["i32.add", "i32.sub", "i32.mul", "i32.xor"] as const;
  type Op = { dst: number; src: number; op: number; k: number };
  const body: Op[][] = Array.from({ length: cases }, () => Array.from({ length: opsPerCase }, () => ({ dst: rnd(3), src: rnd(3), op: rnd(4), k: rnd(1000) })));
  const caseWat = (c: Op[]) => c.map((o) => `local.get $${vars[o.src]} i32.const ${o.k} ${ops[o.op]} local.get $${vars[o.dst]} i32.add local.set $${vars[o.dst]}`).join("\n");
  let inner = `(block $c0 local.get $a local.get $i i32.xor i32.const ${cases} i32.rem_u br_table ${Array.from({ length: cases }, (_, k) => `$c${k}`).join(" ")} $c0)`;
  for (let k = 0; k < cases; k++) inner = `(block $c${k + 1} ${inner}\n${caseWat(body[k]!)}\nbr $next)`.replace(`(block $c${cases} `, "(block $next ");
  const wat = `(module (func (export "run") (param $n i32) (param $s i32) (result i32) (local $i i32) (local $a i32) (local $b i32) (local $c i32)
    local.get $s local.set $a  local.get $s i32.const 7 i32.mul local.set $b  i32.const 3 local.set $c
    (block $done (loop $top
      local.get $i local.get $n i32.ge_s br_if $done
      ${inner}
      local.get $i i32.const 1 i32.add local.set $i
      br $top))
    local.get $a local.get $b i32.xor local.get $c i32.add))`;
  const mirror = (n: number, s: number): number => {
    const v = [s, Math.imul(s, 7), 3];
    for (let i = 0; i < n; i++) {
      const k = ((v[0]! ^ i) >>> 0) % cases;
      for (const o of body[k]!) {
        const y = v[o.src]!;
        const r = o.op === 0 ? (y + o.k) | 0 : o.op === 1 ? (y - o.k) | 0 : o.op === 2 ? Math.imul(y, o.k) : y ^ o.k;
        v[o.dst] = (r + v[o.dst]!) | 0;
      }
    }
    return ((v[0]! ^ v[1]!) + v[2]!) | 0;
  };
  return { wat, mirror };
}

describe("splitWasmModule on a generated loop around a br_table (the CFG builder, liveness, partition, linker together)", () => {
  const { wat, mirror } = generatedSwitch(24, 12, 17);
  const original = wat2wasm(wat);
  const r = splitWasmModule(original, { maxSize: 700 });

  it("splits into several pieces that validate, each within the limit", () => {
    expect(section(readModule(original), "code")!.entries[0]!.raw.length).toBeGreaterThan(2000);
    expect(r.functions).toHaveLength(1);
    expect(r.functions[0]!.refused).toBeUndefined();
    expect(r.functions[0]!.pieces).toBeGreaterThanOrEqual(4);
    expect(validationErrors(r.bytes)).toEqual([]);
    for (const e of section(readModule(r.bytes), "code")!.entries) expect(e.raw.length).toBeLessThanOrEqual(700);
  });

  it("returns what the unsplit function and a JavaScript mirror return", async () => {
    const run = async (bytes: Uint8Array) => (await WebAssembly.instantiate(bytes)).instance.exports.run as (n: number, s: number) => number;
    const [before, after] = [await run(original), await run(r.bytes)];
    for (const [n, s] of [[0, 1], [1, 2], [100, 12345], [5000, -7]]) {
      expect(after(n!, s!)).toBe(before(n!, s!));
      expect(after(n!, s!)).toBe(mirror(n!, s!));
    }
  });

  it("writes pieces entered at several cases as one function with a selector (form A) on request, one function per entry (form B) by default below 16 entries: same results", async () => {
    const selector = splitWasmModule(original, { maxSize: 700, entryForm: "selector" });
    const perEntry = splitWasmModule(original, { maxSize: 700, entryForm: "functions" });
    expect(perEntry.functions[0]!.pieces).toBeGreaterThan(selector.functions[0]!.pieces);
    // Every piece here has fewer than 16 entries (SELECTOR_MIN_ENTRIES): the default is form B.
    expect(Buffer.from(r.bytes).equals(Buffer.from(perEntry.bytes))).toBe(true);
    for (const bytes of [selector.bytes, perEntry.bytes]) {
      expect(validationErrors(bytes)).toEqual([]);
      const run = (await WebAssembly.instantiate(bytes)).instance.exports.run as (n: number, s: number) => number;
      for (const [n, s] of [[0, 1], [100, 12345], [5000, -7]]) expect(run(n!, s!)).toBe(mirror(n!, s!));
    }
  });

  it("runs 10^7 iterations of the loop across pieces without stack overflow", async () => {
    const run = (await WebAssembly.instantiate(r.bytes)).instance.exports.run as (n: number, s: number) => number;
    const unsplit = (await WebAssembly.instantiate(original)).instance.exports.run as (n: number, s: number) => number;
    expect(run(10_000_000, 99)).toBe(unsplit(10_000_000, 99));
  });
});

describe("megasplit split module.wasm", () => {
  const { wat, mirror } = generatedSwitch(24, 12, 5);
  const dir = mkdtempSync(join(tmpdir(), "megasplit-wasm-split-"));
  const input = join(dir, "gen.wasm");
  writeFileSync(input, wat2wasm(wat));

  it("writes a split module that runs the same, with a summary line and a line per function in --verbose", async () => {
    const out = join(dir, "out.wasm");
    const r = runCli(["split", input, "-o", out, "--max-size", "700", "--verbose"]);
    expect(r.stderr).toBe("");
    expect(r.status).toBe(0);
    expect(r.stdout).toMatch(/^split func 0: \d+ bytes -> driver \+ \d+ pieces$/m);
    expect(r.stdout).toMatch(/^1 function split into \d+ pieces, none refused; module bytes/m);
    const bytes = new Uint8Array(readFileSync(out));
    expect(validationErrors(bytes)).toEqual([]);
    const run = (await WebAssembly.instantiate(bytes)).instance.exports.run as (n: number, s: number) => number;
    expect(run(1000, 3)).toBe(mirror(1000, 3));
  });

  it("prints the report as JSON, and a refusal as a warning (--strict: exit status 4)", () => {
    const out = join(dir, "json.wasm");
    const j = runCli(["split", input, "-o", out, "--max-size", "700", "--json"]);
    expect(j.status).toBe(0);
    const report = JSON.parse(j.stdout) as { maxSize: number; functions: Array<{ index: number; status: string; pieces: number }>; summary: { split: number } };
    expect(report.maxSize).toBe(700);
    expect(report.functions).toEqual([expect.objectContaining({ index: 0, status: "split" })]);
    expect(report.summary.split).toBe(1);
    // At 64 bytes the dispatch block cannot fit with its exits.
    const refused = runCli(["split", input, "-o", join(dir, "tiny.wasm"), "--max-size", "64", "--strict"]);
    expect(refused.stderr).toMatch(/warning W_SPLIT_REFUSED/);
    expect(refused.status).toBe(4);
  });

  it("refuses a --max-size over the engines' function body limit as a usage error, writing nothing", () => {
    const out = join(dir, "over.wasm");
    const r = runCli(["split", input, "-o", out, "--max-size", "7654322"]);
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(/E_USAGE: --max-size must be an integer from 64 to 7654321 for a \.wasm module/);
    expect(existsSync(out)).toBe(false);
  });

  it("defaults to a 65536-byte limit for a module (nothing to split here: the output is the input)", () => {
    const out = join(dir, "same.wasm");
    const r = runCli(["split", input, "-o", out]);
    expect(r.status).toBe(0);
    expect(Buffer.from(readFileSync(out)).equals(readFileSync(input))).toBe(true);
  });
});

describe("splitWasmModule on a function of every value kind (multi-value results, i64/f32/f64/v128, externref, memory, tables, an existing tail call)", () => {
  const steps = Array.from({ length: 14 }, (_, k) => `
      local.get $x i64.const ${k * 977 + 3} i64.mul local.get $i i64.extend_i32_u i64.add local.set $x
      local.get $d f64.const ${k}.25 f64.add f64.sqrt local.get $f f64.promote_f32 f64.add local.set $d
      local.get $f f32.const 1.5 f32.mul f32.const ${k + 1} f32.div local.set $f
      local.get $v local.get $v i32x4.add v128.const i32x4 ${k} 1 2 3 i32x4.sub local.set $v
      i32.const ${k * 4} local.get $i i32.store offset=64
      local.get $i i32.const ${k} i32.const 1 call_indirect (type $bin) local.set $i`).join("\n");
  const wat = `(module
    (type $bin (func (param i32 i32) (result i32)))
    (memory 1)
    (table 2 funcref) (elem (i32.const 0) $add $xor)
    (func $add (type $bin) local.get 0 local.get 1 i32.add)
    (func $xor (type $bin) local.get 0 local.get 1 i32.xor)
    (func $finish (param i64 f64 i32 externref) (result i64 f64)
      local.get 0 local.get 2 i64.extend_i32_s i64.add
      local.get 1 local.get 3 ref.is_null f64.convert_i32_u f64.add)
    (func (export "run") (param $n i32) (param $r externref) (result i64 f64)
      (local $i i32) (local $x i64) (local $d f64) (local $f f32) (local $v v128)
      f32.const 2 local.set $f
      (block $done (loop $top
        local.get $i local.get $n i32.ge_u br_if $done
        ${steps}
        local.get $i i32.const 1 i32.add local.set $i
        br $top))
      local.get $x local.get $v i64x2.extract_lane 0 i64.add
      local.get $d
      i32.const 64 i32.load
      local.get $r
      return_call $finish))`;
  const original = wat2wasm(wat);

  it("splits, validates, and returns what the unsplit module returns", async () => {
    const r = splitWasmModule(original, { maxSize: 600 });
    expect(r.functions.map((f) => f.refused)).toEqual([undefined]);
    expect(r.functions[0]!.pieces).toBeGreaterThanOrEqual(3);
    expect(validationErrors(r.bytes)).toEqual([]);
    const run = async (bytes: Uint8Array) => (await WebAssembly.instantiate(bytes)).instance.exports.run as (n: number, r: unknown) => [bigint, number];
    const [before, after] = [await run(original), await run(r.bytes)];
    for (const [n, ref] of [[0, null], [1, {}], [7, null], [300, "x"]] as const) expect(after(n, ref)).toEqual(before(n, ref));
  });
});

describe("splitWasmModule on random functions (values below blocks, branches with values, loops with parameters, early returns)", () => {
  /** Every export's result (or trap) for a range of inputs. */
  async function results(bytes: Uint8Array): Promise<string[]> {
    const { instance } = await WebAssembly.instantiate(bytes);
    const out: string[] = [];
    for (const [name, f] of Object.entries(instance.exports)) {
      for (const x of [-7, -1, 0, 1, 2, 3, 5, 17, 100, 12345]) {
        try {
          out.push(`${name}(${x}) = ${(f as (x: number) => number)(x)}`);
        } catch (e) {
          out.push(`${name}(${x}) threw ${String(e)}`);
        }
      }
    }
    return out;
  }

  it.each([1, 2, 3, 4, 5, 6])("seed %i: 12 functions split at 250 and 600 bytes give the original's results", async (seed) => {
    const original = wat2wasm(randomFunctionsModule(seed, 12, 6));
    const expected = await results(original);
    for (const maxSize of [250, 600]) {
      const r = splitWasmModule(original, { maxSize });
      // Every function over the limit splits (at 600 a few are under it and stay as they are).
      expect(r.functions.length).toBeGreaterThanOrEqual(10);
      expect(r.functions.filter((f) => f.refused !== undefined)).toEqual([]);
      expect(validationErrors(r.bytes)).toEqual([]);
      expect(await results(r.bytes)).toEqual(expected);
    }
  });
});
