/**
 * The funcref tables that split functions' indirect dispatches call through
 * (passes/wasm/indirect-dispatch.ts, link.ts): one new table per dispatch, of
 * exactly its elements (the target functions in index order, then the default's),
 * filled by an active element segment. Core spec, "Modules": tables and element
 * segments; a module may have several tables (reference types, Wasm 2.0), so a new
 * table leaves the module's own tables, their imports, exports, `elem` segments and
 * `table.grow`s as they were: its index follows the imported and defined tables.
 * The table section and the element section are created, in their places in
 * section order, when the module has none; a segment for table 0 (a module without
 * tables) is written in the MVP form (flags 0), any other with an explicit table
 * index (flags 2). Indices are handed out in the order the splits succeed, so the
 * module stays deterministic.
 */
import { instr } from "../../../passes/wasm/instr.js";
import type { DispatchTable, IndirectCall } from "../../../passes/wasm/link.js";
import { section, type ElemSegment, type Section, type Table, type WasmModule } from "../module.js";
import type { ValType } from "../types.js";

/** Sections after the table section (memory, tag, global, export, start, element, data count, code, data). */
const AFTER_TABLES = new Set([5, 13, 6, 7, 8, 9, 12, 10, 11]);
/** Sections after the element section (data count, code, data). */
const AFTER_ELEMENTS = new Set([12, 10, 11]);
const FUNCREF = 0x70;

export class DispatchTables {
  private readonly tables: Table[] = [];
  private readonly segments: ElemSegment[] = [];
  private readonly first: number;

  constructor(private readonly m: WasmModule) {
    const imported = section(m, "import")?.imports.filter((i) => i.desc.kind === 1).length ?? 0;
    this.first = imported + (section(m, "table")?.tables.length ?? 0);
  }

  /** The call of the `ordinal`-th dispatch of the function being split: the next tables, and the type of `params` -> its results. */
  callFor(typeOf: (params: readonly ValType[]) => number): (ordinal: number, params: readonly ValType[]) => IndirectCall {
    return (ordinal, params) => ({ table: this.first + this.tables.length + ordinal, type: typeOf(params) });
  }

  /** Records the tables of a split that succeeded (their indices as `callFor` gave them). */
  accept(tables: readonly DispatchTable[]): void {
    for (const t of tables) {
      const size = t.funcs.length;
      this.tables.push({ type: FUNCREF, limits: { flags: 1, min: size, max: size } });
      const offset = [instr("i32.const", 0), instr("end")];
      this.segments.push(t.table === 0 ? { flags: 0, offset, funcs: t.funcs } : { flags: 2, table: t.table, offset, elemKind: 0, funcs: t.funcs });
    }
  }

  /** Writes the tables and segments accepted into the module. */
  commit(): void {
    if (this.tables.length === 0) return;
    if (!section(this.m, "table")) this.place({ id: 4, kind: "table", tables: [], sizeWidth: 0 }, AFTER_TABLES);
    if (!section(this.m, "element")) this.place({ id: 9, kind: "element", segments: [], sizeWidth: 0 }, AFTER_ELEMENTS);
    const tables = section(this.m, "table")!;
    const elements = section(this.m, "element")!;
    tables.tables.push(...this.tables);
    elements.segments.push(...this.segments);
    for (const s of [tables, elements] as Section[]) {
      s.sizeWidth = 0;
      delete s.lebs;
    }
  }

  /** Inserts `s` before the first section of `after` (or last). */
  private place(s: Section, after: ReadonlySet<number>): void {
    const at = this.m.sections.findIndex((x) => after.has(x.id));
    this.m.sections.splice(at < 0 ? this.m.sections.length : at, 0, s);
  }
}
