/**
 * The module-level facts that typing one function body needs (core spec,
 * Validation, "Contexts"): the defined types (recursive groups flattened into the
 * type index space), each function's type (imports first, then the function
 * section), and the value type of each global, the reference type and address
 * type of each table, the address type of each memory (bit 2 of the limits flags:
 * 64-bit addresses). Built once per module and cached, so typing thousands of
 * functions does not rescan the sections.
 */
import { section, type WasmModule } from "../../src/wasm/module.js";
import { I32, I64, type CompType, type SubType, type ValType } from "../../src/wasm/types.js";

export interface FuncType {
  readonly params: readonly ValType[];
  readonly results: readonly ValType[];
}

export interface ModuleTypes {
  /** Every defined type, by type index. */
  readonly types: readonly SubType[];
  /** The type index of every function, imports first. */
  readonly funcTypeIndex: readonly number[];
  readonly importedFuncs: number;
  readonly globals: readonly ValType[];
  readonly tables: readonly { readonly elem: ValType; readonly addr: ValType }[];
  /** The address type of every memory (i32, or i64 for memory64). */
  readonly memoryAddr: readonly ValType[];
  /**
   * Whether the module writes a typed reference type anywhere in its types,
   * imports, tables or globals (function references, 3.0). When neither it nor
   * the function's locals and code use one, a `ref.func` is typed `funcref` as in
   * 2.0, so a spill local never needs a type an engine without typed references
   * (Node 20's V8) would reject.
   */
  readonly typedRefs: boolean;
}

const cache = new WeakMap<WasmModule, ModuleTypes>();

function addrOf(flags: number): ValType {
  return flags & 4 ? I64 : I32;
}

function isTyped(t: ValType): boolean {
  return typeof t !== "number";
}

function compTypes(c: CompType): readonly ValType[] {
  if (c.kind === "func") return [...c.params, ...c.results];
  if (c.kind === "struct") return c.fields.map((f) => f.type);
  return [c.field.type];
}

/** The facts of `m`, computed once per module object. */
export function moduleTypes(m: WasmModule): ModuleTypes {
  const known = cache.get(m);
  if (known) return known;
  const types = (section(m, "type")?.groups ?? []).flatMap((g) => g.types);
  const funcTypeIndex: number[] = [];
  const globals: ValType[] = [];
  const tables: { elem: ValType; addr: ValType }[] = [];
  const memoryAddr: ValType[] = [];
  for (const imp of section(m, "import")?.imports ?? []) {
    const d = imp.desc;
    if (d.kind === 0) funcTypeIndex.push(d.type);
    else if (d.kind === 1) tables.push({ elem: d.table.type, addr: addrOf(d.table.limits.flags) });
    else if (d.kind === 2) memoryAddr.push(addrOf(d.memory.flags));
    else if (d.kind === 3) globals.push(d.global.type);
  }
  const importedFuncs = funcTypeIndex.length;
  for (const t of section(m, "function")?.types ?? []) funcTypeIndex.push(t);
  for (const t of section(m, "table")?.tables ?? []) tables.push({ elem: t.type, addr: addrOf(t.limits.flags) });
  for (const l of section(m, "memory")?.memories ?? []) memoryAddr.push(addrOf(l.flags));
  for (const g of section(m, "global")?.globals ?? []) globals.push(g.type);
  const typedRefs = [...globals, ...tables.map((t) => t.elem)].some(isTyped) || types.some((t) => compTypes(t.comp).some(isTyped));
  const result: ModuleTypes = { types, funcTypeIndex, importedFuncs, globals, tables, memoryAddr, typedRefs };
  cache.set(m, result);
  return result;
}

/** The function type at type index `index`, or undefined when it is not a function type. */
export function funcTypeAt(mt: ModuleTypes, index: number): FuncType | undefined {
  const comp: CompType | undefined = mt.types[index]?.comp;
  return comp?.kind === "func" ? comp : undefined;
}
