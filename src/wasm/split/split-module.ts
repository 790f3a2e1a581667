/**
 * Splits every over-sized function of a WebAssembly module (issue 14): each
 * function body over `maxSize` bytes (the code section's body size: local
 * declarations and instructions) is rebuilt as a driver, which keeps the
 * function's index, type, exports, table entries and name, and new functions
 * appended after all others, reached from it by `return_call` (core spec 3.0, tail
 * calls; src/wasm/split/split-function.ts does one function).
 *
 * The module changes only where it must: every other body is copied byte for byte
 * (with its size field), every section but type, function, code and name is
 * written as read. The type section gains a function type per new signature (an
 * existing lone function type of the same numeric signature is reused); the
 * function and code sections gain the new functions; the name section names each
 * `<orig>$split$<n>` (`<orig>` the function's name, or `func<index>`; a name
 * section is added when there is none, unless one is there that did not parse) and drops the local names of split
 * functions (their locals were renumbered); the global section gains the globals
 * that carry values beyond 255 through a transfer (handover-globals.ts), when a
 * split needs them; the table and element sections gain a funcref table and its
 * segment per indirect dispatch (dispatch-tables.ts). A function that cannot be split is
 * left as it was and reported with the reason. Output depends only on the input.
 */
import { importedFunctionCount, section, type CodeEntry, type Section, type WasmModule } from "../module.js";
import { encodeBody } from "../body.js";
import { functionNames, type NameMap, type NameSection } from "../name-section.js";
import { readModule } from "../read-module.js";
import { writeModule } from "../write-module.js";
import type { RecGroup, ValType } from "../types.js";
import type { WasmCfg } from "../../../passes/wasm/wasm-cfg.js";
import { splitWasmFunction } from "./split-function.js";
import { HandoverGlobals } from "./handover-globals.js";
import { DispatchTables } from "./dispatch-tables.js";
import { cfgAnalyser, type DispatchMode } from "./analyse.js";
import type { EntryForm } from "../../../passes/wasm/link.js";
import { checkWasmSplitOptions } from "./check-options.js";

export interface WasmFunctionReport {
  /** Function index (imports counted first). */
  readonly index: number;
  readonly name?: string;
  /** The body's size before splitting. */
  readonly size: number;
  /** New functions written for it (0 when refused). */
  readonly pieces: number;
  /** Why it was left as it was. */
  readonly refused?: string;
}

export interface WasmSplitOptions {
  /** Largest function body written, in bytes. */
  readonly maxSize: number;
  /**
   * How a piece entered at several blocks is written: `functions`, a function per
   * entry; `selector`, one function with an i32 selector parameter and an entry
   * `br_table`; `auto` (default), the selector from 16 entries on (passes/wasm/link.ts, SELECTOR_MIN_ENTRIES).
   */
  readonly entryForm?: EntryForm;
  /** Copy a split dispatch loop's spine into every piece holding its cases (passes/wasm/loop-spines.ts); default false (measured slower). */
  readonly loopSpines?: boolean;
  /**
   * How a dispatch `br_table` too big for a piece is split: `tree` (default), a tree
   * of small tables (passes/wasm/split-tables.ts); `indirect`, one
   * `return_call_indirect` through a new funcref table into a function per target
   * (passes/wasm/indirect-dispatch.ts) where its live values allow, else a tree.
   * `indirect` runs faster once its functions have TurboFan code but tiers up one
   * small function at a time under V8's default tiering (BENCHMARKS.md, bench/wasm).
   * `indirect-root`: the tree, with each tree's root written as one
   * `return_call_indirect` into its bucket tables (bench/wasm/results-first-call.md).
   */
  readonly dispatch?: DispatchMode;
}

export interface WasmSplitResult {
  readonly bytes: Uint8Array;
  /** One report per function over `maxSize`, by index. */
  readonly functions: WasmFunctionReport[];
}

/** A function's CFG and the locals live at each block's entry, or why it has none. */
export type FunctionAnalysis =
  | { readonly ok: true; readonly cfg: WasmCfg; readonly liveIn: readonly (readonly number[])[] }
  | { readonly ok: false; readonly reason: string };

/** Builds the analysis of function `funcIndex` of `m` (the CFG builder and liveness), for a split at `maxSize` bytes. */
export type FunctionAnalyser = (m: WasmModule, funcIndex: number, maxSize: number) => FunctionAnalysis;

/** Function types by signature: the module's lone function types, then the ones added. */
class TypeTable {
  private readonly byKey = new Map<string, number>();
  readonly added: RecGroup[] = [];
  private count = 0;
  constructor(groups: readonly RecGroup[]) {
    for (const g of groups) {
      const t = g.types[0]!;
      if (!g.explicit && g.types.length === 1 && t.prefix === undefined && t.comp.kind === "func") {
        const key = TypeTable.key(t.comp.params, t.comp.results);
        if (key !== undefined && !this.byKey.has(key)) this.byKey.set(key, this.count);
      }
      this.count += g.types.length;
    }
  }
  /** Only numeric signatures are shared: a reference type's meaning depends on its group. */
  private static key(params: readonly ValType[], results: readonly ValType[]): string | undefined {
    if (![...params, ...results].every((t) => typeof t === "number")) return undefined;
    return `${params.join(",")}->${results.join(",")}`;
  }
  indexOf(params: readonly ValType[], results: readonly ValType[]): number {
    const key = TypeTable.key(params, results);
    const known = key === undefined ? undefined : this.byKey.get(key);
    if (known !== undefined) return known;
    const index = this.count++;
    this.added.push({ explicit: false, types: [{ supers: [], comp: { kind: "func", params, results } }] });
    if (key !== undefined) this.byKey.set(key, index);
    return index;
  }
}

interface SplitDone {
  readonly index: number;
  readonly name: string;
  readonly pieces: number;
}

/**
 * Splits every function body of the module `bytes` over `options.maxSize` bytes
 * into a driver (same index, type, exports) and new functions linked by
 * `return_call`; the others are copied byte for byte. Malformed input throws a
 * MegasplitError, as does a `maxSize` out of range or an unknown `dispatch` or
 * `entryForm` (E_USAGE); a
 * function that cannot be split is reported with the reason.
 */
export function splitWasmModule(bytes: Uint8Array, options: WasmSplitOptions): WasmSplitResult {
  return splitWasmModuleWith(bytes, options, cfgAnalyser(options.dispatch ?? "tree"));
}

/** {@link splitWasmModule} with the CFG and liveness of each function given by `analyse` (tests hand CFGs in). */
export function splitWasmModuleWith(bytes: Uint8Array, options: WasmSplitOptions, analyse: FunctionAnalyser): WasmSplitResult {
  checkWasmSplitOptions(options);
  const m = readModule(bytes);
  const code = section(m, "code");
  const funcs = section(m, "function");
  const types = section(m, "type");
  const names = section(m, "name");
  const byIndex = names ? functionNames(names.names) : new Map<number, string>();
  const imported = importedFunctionCount(m);
  const reports: WasmFunctionReport[] = [];
  if (!code || !funcs || !types) return { bytes: bytes.slice(), functions: reports };
  const table = new TypeTable(types.groups);
  const globals = new HandoverGlobals(m);
  const dispatchTables = new DispatchTables(m);
  const newEntries: CodeEntry[] = [];
  const newTypes: number[] = [];
  const done: SplitDone[] = [];
  let next = imported + code.entries.length;
  code.entries.forEach((entry, defined) => {
    const index = imported + defined;
    const size = entry.raw.length;
    if (size <= options.maxSize) return;
    const name = byIndex.get(index);
    const report = (pieces: number, refused?: string): WasmFunctionReport => ({ index, ...(name === undefined ? {} : { name }), size, pieces, ...(refused === undefined ? {} : { refused }) });
    const analysis = analyse(m, index, options.maxSize);
    if (!analysis.ok) return void reports.push(report(0, analysis.reason));
    const indirectTable = dispatchTables.callFor((params) => table.indexOf(params, analysis.cfg.results));
    const split = splitWasmFunction({ cfg: analysis.cfg, liveIn: analysis.liveIn, maxSize: options.maxSize, firstFunction: next, handoverGlobal: globals.get, indirectTable, ...(options.entryForm ? { entryForm: options.entryForm } : {}), ...(options.loopSpines ? { loopSpines: true } : {}) });
    if (!split.ok) return void reports.push(report(0, split.reason));
    dispatchTables.accept(split.tables);
    code.entries[defined] = bodyEntry(encodeBody(split.driver.body, true));
    for (const f of split.functions) {
      newTypes.push(table.indexOf(f.params, analysis.cfg.results));
      newEntries.push(bodyEntry(encodeBody(f.body, true)));
    }
    next += split.functions.length;
    done.push({ index, name: name ?? `func${index}`, pieces: split.functions.length });
    reports.push(report(split.functions.length));
  });
  if (done.length === 0) return { bytes: bytes.slice(), functions: reports };
  types.groups.push(...table.added);
  globals.commit();
  dispatchTables.commit();
  funcs.types.push(...newTypes);
  code.entries.push(...newEntries);
  for (const s of [types, funcs, code] as Section[]) {
    s.sizeWidth = 0;
    delete s.lebs;
  }
  nameNewFunctions(m, done, imported + funcs.types.length - newTypes.length);
  return { bytes: writeModule(m), functions: reports };
}

function bodyEntry(raw: Uint8Array): CodeEntry {
  return { raw, offset: 0, sizeWidth: 0 };
}

/** Names the new functions (numbered from `first`, in the order of `done`) and drops the local names of split functions. */
function nameNewFunctions(m: WasmModule, done: readonly SplitDone[], first: number): void {
  let names = section(m, "name");
  // A name section that did not parse stays raw; a second one would not be read either.
  if (!names && m.sections.some((s) => s.kind === "custom" && s.name === "name")) return;
  if (!names) {
    names = { id: 0, kind: "name", names: { subsections: [] }, sizeWidth: 0 };
    m.sections.push(names);
  }
  names.sizeWidth = 0;
  delete names.lebs;
  const subs = names.names.subsections;
  let functions = subs.find((s): s is Extract<NameSection["subsections"][number], { functions: NameMap }> => "functions" in s);
  if (!functions) {
    functions = { id: 1, functions: [], sizeWidth: 0 };
    // Subsections go in id order: after the module name, before the rest.
    const at = subs.findIndex((s) => s.id > 1);
    subs.splice(at < 0 ? subs.length : at, 0, functions);
  }
  let index = first;
  for (const d of done) for (let n = 1; n <= d.pieces; n++) functions.functions.push([index++, `${d.name}$split$${n}`]);
  functions.sizeWidth = 0;
  const split = new Set(done.map((d) => d.index));
  for (const s of subs) {
    if (!("locals" in s)) continue;
    s.locals = s.locals.filter(([f]) => !split.has(f));
    s.sizeWidth = 0;
  }
  for (const s of subs) s.sizeWidth = 0;
}
