/**
 * The size of every function body of a module (core spec, Binary Format, "Code
 * Section": the byte size that precedes each body), with its function index (the
 * imports counted first) and its name from the name section, largest first: what
 * `megasplit inspect` lists for a .wasm file. Engines refuse a body over
 * {@link ENGINE_BODY_LIMIT} bytes (the limit V8, SpiderMonkey and JSC share).
 */
import { importedFunctionCount, section, type WasmModule } from "./module.js";
import { functionNames } from "./name-section.js";

export const ENGINE_BODY_LIMIT = 7_654_321;

export interface FunctionSize {
  readonly index: number;
  readonly name?: string;
  readonly size: number;
}

export function functionSizes(m: WasmModule): FunctionSize[] {
  const names = section(m, "name");
  const byIndex = names ? functionNames(names.names) : new Map<number, string>();
  const first = importedFunctionCount(m);
  const entries = section(m, "code")?.entries ?? [];
  const out = entries.map((e, i): FunctionSize => {
    const name = byIndex.get(first + i);
    return name === undefined ? { index: first + i, size: e.raw.length } : { index: first + i, name, size: e.raw.length };
  });
  return out.sort((a, b) => b.size - a.size || a.index - b.index);
}
