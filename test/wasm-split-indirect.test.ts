/**
 * passes/wasm/indirect-dispatch.ts with link.ts and src/wasm/split/dispatch-tables.ts:
 * with the option `dispatch: "indirect"`, a dispatch `br_table` too big for a piece is written as one `return_call_indirect`
 * through a new funcref table into a function per target (issue 14). Judged by the
 * engine and the validators, never by the splitter itself: every split module
 * validates in V8, wabt and Binaryen and returns, for keys in range, at and past the
 * table's length and negative (huge unsigned), what the unsplit module returns in V8.
 * The generated loops have cases that fall through into the next case (a direct
 * transfer into a dispatch target, which passes zero for the values it does not
 * read), values live at some cases only, and a default block. Also checked: a module
 * with an imported and a defined table, an element segment and a `call_indirect` of
 * its own keeps them (the new table comes after); a module without tables gets a
 * table section and an MVP element segment; the split is deterministic; the `tree`
 * option keeps the tree of tables (no indirect call); an externref live at a case
 * is handed over; which tables are chosen (chooseIndirectDispatches on hand-made CFGs);
 * QuickJS split at 300 bytes (dozens of functions get an indirect dispatch) validates
 * and evaluates JavaScript as the original does.
 */
import { describe, expect, it } from "vitest";
import { section, type WasmModule } from "../src/wasm/module.js";
import { readModule } from "../src/wasm/read-module.js";
import { decodeBody } from "../src/wasm/body.js";
import { splitWasmModule, type WasmSplitOptions } from "../src/wasm/split/split-module.js";
import { validationErrors, wat2wasm } from "./support/wasm-oracles.js";
import { block, cfgOf, goto, ret, table } from "./support/wasm-blocks.js";
import { chooseIndirectDispatches } from "../passes/wasm/indirect-dispatch.js";
import { I32 } from "../src/wasm/types.js";
import releaseVariant from "@jitl/quickjs-wasmfile-release-sync";
import { packageFile } from "./support/wasm-packages.js";
import { quickjsOutputs } from "./support/wasm-workloads.js";

interface LoopOptions {
  readonly cases: number;
  /** An imported table, a defined one, an element segment and a call_indirect through them. */
  readonly ownTables?: boolean;
  /** An externref parameter read by one case (a reference live at a target). */
  readonly liveReference?: boolean;
}

/** A loop around a br_table over `cases` cases plus a default, with fall-throughs and values live at some cases only. */
function dispatchLoop(o: LoopOptions): string {
  let x = 0x2545f491;
  const rnd = (k: number): number => ((x = (Math.imul(x, 1103515245) + 12345) >>> 0), (x >>> 8) % k);
  const ops = ["i32.add", "i32.sub", "i32.mul", "i32.xor"];
  const vars = ["$a", "$b", "$c"];
  const caseCode = (k: number): string => {
    const lines: string[] = [];
    for (let j = 0; j < 8; j++) lines.push(`local.get ${vars[rnd(3)]} i32.const ${rnd(1000)} ${ops[rnd(4)]} local.get ${vars[rnd(3)]} i32.add local.set ${vars[rnd(3)]}`);
    // $d is read by some cases only: live at those targets, zero-passed at the others.
    if (k % 7 === 3) lines.push("local.get $a local.get $d i32.add local.set $a");
    // A scratch value that is not live at the case's entry.
    if (k % 5 === 2) lines.push("local.get $b i32.const 3 i32.shl local.set $t local.get $c local.get $t i32.xor local.set $c");
    if (o.ownTables && k % 11 === 4) lines.push("local.get $a local.get $c i32.const 1 i32.and call_indirect 0 (type $h) local.get $b local.get $c i32.const 3 i32.rem_u call_indirect $own (type $h) i32.add local.set $b");
    if (o.liveReference && k === 1) lines.push("local.get $r ref.is_null local.get $a i32.add local.set $a");
    // Every fourth case falls through into the next one.
    if (k % 4 !== 1 || k === o.cases - 1) lines.push("br $next");
    return lines.join("\n");
  };
  const n = o.cases;
  // Flat block ... end (wabt's parser recurses on folded expressions): case k's code follows the end of block $c(k).
  const opens = Array.from({ length: n }, (_, k) => `block $c${n - 1 - k}`).join(" ");
  const dispatch = `local.get $a local.get $i i32.xor i32.const ${n + 5} i32.rem_u i32.const 2 i32.sub br_table ${Array.from({ length: n }, (_, k) => `$c${k}`).join(" ")} $dflt`;
  const cases = Array.from({ length: n }, (_, k) => `end\n${caseCode(k)}`).join("\n");
  const inner = `block $next block $dflt ${opens} ${dispatch}\n${cases}\nend local.get $c i32.const 77 i32.add local.set $c end`;
  const tables = o.ownTables
    ? `(import "env" "tbl" (table 2 funcref)) (table $own (export "own") 3 funcref)
       (func $h0 (type $h) local.get 0 i32.const 3 i32.mul) (func $h1 (type $h) local.get 0 i32.const 11 i32.add) (func $h2 (type $h) local.get 0 i32.const -1 i32.xor)
       (elem (table 0) (i32.const 0) func $h0 $h1) (elem (table $own) (i32.const 0) func $h2 $h1 $h0)`
    : "";
  const ref = o.liveReference ? "(param $r externref)" : "";
  return `(module (type $h (func (param i32) (result i32))) ${tables}
  (memory 1)
  (func (export "run") (param $n i32) (param $s i32) ${ref} (result i32) (local $i i32) (local $a i32) (local $b i32) (local $c i32) (local $d i32) (local $t i32)
    local.get $s local.set $a  local.get $s i32.const 7 i32.mul local.set $b  i32.const 3 local.set $c  local.get $s i32.const 99 i32.xor local.set $d
    (block $done (loop $top
      local.get $i local.get $n i32.ge_s br_if $done
      ${inner}
      local.get $i i32.const 1 i32.add local.set $i
      br $top))
    local.get $a local.get $b i32.xor local.get $c i32.add local.get $d i32.add))`;
}

const ARGS: readonly (readonly [number, number])[] = [[0, 1], [1, 2], [37, -5], [500, 12345], [4000, -7], [4000, 0x7fffffff]];

/** What `run` returns for each of ARGS, in a fresh instance (a fresh imported table each). */
async function results(bytes: Uint8Array, withRef = false): Promise<number[]> {
  const tbl = new WebAssembly.Table({ initial: 2, element: "anyfunc" });
  const { instance } = await WebAssembly.instantiate(bytes, { env: { tbl } });
  const run = instance.exports.run as (...a: unknown[]) => number;
  return ARGS.map(([n, s]) => (withRef ? run(n, s, null) : run(n, s)));
}

function returnCallIndirects(m: WasmModule): [type: number, table: number][] {
  const out: [number, number][] = [];
  for (const e of section(m, "code")!.entries) for (const i of decodeBody(e.raw).code) if (i.op.name === "return_call_indirect") out.push(i.imm as [number, number]);
  return out;
}

function split(bytes: Uint8Array, options: Partial<WasmSplitOptions> = {}): Uint8Array {
  const r = splitWasmModule(bytes, { maxSize: 1500, dispatch: "indirect", ...options });
  expect(r.functions).toHaveLength(1);
  expect(r.functions[0]!.refused).toBeUndefined();
  for (const e of section(readModule(r.bytes), "code")!.entries) expect(e.raw.length).toBeLessThanOrEqual(options.maxSize ?? 1500);
  expect(validationErrors(r.bytes)).toEqual([]);
  return r.bytes;
}

describe("a dispatch loop of 120 cases in a module without tables", () => {
  const original = wat2wasm(dispatchLoop({ cases: 120 }));
  const bytes = split(original);
  const m = readModule(bytes);

  it("the unsplit module validates (the oracle runs)", () => {
    expect(validationErrors(original)).toEqual([]);
    expect(section(readModule(original), "table")).toBeUndefined();
  });

  it("splits into a function per case entered by one return_call_indirect through a new table 0 of 121 elements (an MVP segment)", () => {
    const calls = returnCallIndirects(m);
    expect(calls).toHaveLength(1);
    expect(calls[0]![1]).toBe(0);
    const tables = section(m, "table")!.tables;
    expect(tables).toHaveLength(1);
    expect(tables[0]!.limits).toMatchObject({ min: 121, max: 121 });
    const segments = section(m, "element")!.segments;
    expect(segments).toHaveLength(1);
    expect(segments[0]!.flags).toBe(0);
    expect(segments[0]!.funcs).toHaveLength(121);
    // Sections in order: the table section before memory, the element section before code.
    const ids = m.sections.filter((s) => s.id !== 0).map((s) => s.id);
    expect(ids.indexOf(4)).toBeLessThan(ids.indexOf(5));
    expect(ids.indexOf(9)).toBeLessThan(ids.indexOf(10));
    // Falls-through join two cases' code; the default is a target too.
    expect(new Set(segments[0]!.funcs).size).toBeGreaterThan(100);
  });

  it("returns what the unsplit module returns, keys past the table and negative included", async () => {
    expect(await results(bytes)).toEqual(await results(original));
  });

  it("is deterministic", () => {
    expect(Buffer.from(split(original)).equals(Buffer.from(bytes))).toBe(true);
  });

  it("with dispatch: tree (the default), keeps a tree of tables: no table added, same results", async () => {
    const tree = split(original, { dispatch: "tree" });
    expect(returnCallIndirects(readModule(tree))).toHaveLength(0);
    expect(section(readModule(tree), "table")).toBeUndefined();
    expect(await results(tree)).toEqual(await results(original));
  });
});

describe("a dispatch loop of 120 cases in a module with an imported and a defined table, segments and call_indirects", () => {
  const original = wat2wasm(dispatchLoop({ cases: 120, ownTables: true }));
  const bytes = split(original);

  it("adds table 2 after the module's own, with an element segment naming it, and leaves the module's tables and segments as they were", () => {
    const before = readModule(original);
    const m = readModule(bytes);
    expect(returnCallIndirects(m).map(([, table]) => table)).toEqual([2]);
    expect(section(m, "table")!.tables.slice(0, 1)).toEqual(section(before, "table")!.tables);
    expect(section(m, "table")!.tables).toHaveLength(2);
    const segments = section(m, "element")!.segments;
    expect(segments.slice(0, 2)).toEqual(section(before, "element")!.segments);
    expect(segments[2]).toMatchObject({ flags: 2, table: 2 });
  });

  it("returns what the unsplit module returns (its own call_indirects included)", async () => {
    expect(await results(bytes)).toEqual(await results(original));
    const tbl = new WebAssembly.Table({ initial: 2, element: "anyfunc" });
    const { instance } = await WebAssembly.instantiate(bytes, { env: { tbl } });
    expect((instance.exports.own as WebAssembly.Table).length).toBe(3);
    expect(tbl.length).toBe(2);
  });
});

describe("a dispatch loop with an externref live at a case", () => {
  const original = wat2wasm(dispatchLoop({ cases: 120, liveReference: true }));

  it("hands the reference over in the common signature (an abstract reference type has a null) and returns what the unsplit module returns", async () => {
    const bytes = split(original);
    expect(returnCallIndirects(readModule(bytes))).toHaveLength(1);
    expect(await results(bytes, true)).toEqual(await results(original, true));
  });
});

describe("chooseIndirectDispatches", () => {
  // Block 0: the key; block 1: a table over 200 targets (blocks 2..201, each reading local 1), default block 2.
  const cases = Array.from({ length: 200 }, (_, k) => block(`local.get 1; i32.const ${k}; i32.add; return`, ret));
  const blocks = [block("local.get 0", goto(1)), block("local.get 0", table(cases.map((_, k) => k + 2), 2)), ...cases];
  const cfg = cfgOf(blocks, 1, 1);

  it("chooses a table over the budget whose targets' values are numbers or abstract references, with their union as parameters", () => {
    const chosen = chooseIndirectDispatches(cfg, 1000);
    expect([...chosen.values()]).toEqual([[1]]);
    expect(chooseIndirectDispatches({ ...cfg, localTypes: [I32, 0x6f] }, 1000).size).toBe(1);
    // Under the budget (a quarter of the limit): left to the partition.
    expect(chooseIndirectDispatches(cfg, 1 << 20).size).toBe(0);
  });

  it("refuses a value of a reference type with a type index (its signature would not be shared), and a target that is the entry block", () => {
    expect(chooseIndirectDispatches({ ...cfg, localTypes: [I32, { nullable: true, heap: 0 }] }, 1000).size).toBe(0);
    const toEntry = cfgOf([block("local.get 0", goto(1)), block("local.get 0", table([0, ...cases.map((_, k) => k + 2)], 2)), ...cases], 1, 1);
    expect(chooseIndirectDispatches(toEntry, 1000).size).toBe(0);
  });
});

describe("QuickJS (release) split at 300 bytes with dispatch: indirect", () => {
  it("gets indirect dispatches in dozens of functions, validates, and evaluates JavaScript as the original", async () => {
    const original = packageFile("@jitl/quickjs-wasmfile-release-sync", "dist/emscripten-module.wasm");
    const bytes = splitWasmModule(original, { maxSize: 300, dispatch: "indirect" }).bytes;
    const m = readModule(bytes);
    expect(returnCallIndirects(m).length).toBeGreaterThan(20);
    expect(validationErrors(bytes)).toEqual([]);
    expect(await quickjsOutputs(releaseVariant, bytes)).toEqual(await quickjsOutputs(releaseVariant, original));
  }, 300_000);
});
