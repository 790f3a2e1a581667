/**
 * The globals that carry values beyond 255 through a tail-call transfer of split
 * functions (passes/wasm/link.ts explains the scheme): one mutable global per
 * value type and ordinal, shared by every transfer of the module, appended to the
 * global section (created, in its place in section order, when the module has
 * none) and initialised to zero (core spec, "Modules", globals and constant
 * expressions). Indices follow the imported and defined globals, in the order
 * they were first asked for, so the module stays deterministic.
 */
import { instr, zeroOf } from "../../../passes/wasm/instr.js";
import { internalError } from "../../diagnostics.js";
import { section, type Global, type Section, type WasmModule } from "../module.js";
import type { ValType } from "../types.js";

/** Sections that follow the global section (core spec, "Modules": export, start, element, data count, code, data). */
const AFTER_GLOBALS = new Set([7, 8, 9, 12, 10, 11]);

export class HandoverGlobals {
  private readonly byKey = new Map<string, number>();
  private readonly added: Global[] = [];
  private readonly first: number;

  constructor(private readonly m: WasmModule) {
    const imported = section(m, "import")?.imports.filter((i) => i.desc.kind === 3).length ?? 0;
    this.first = imported + (section(m, "global")?.globals.length ?? 0);
  }

  /** The global carrying the `ordinal`-th value of `type` of a transfer. */
  readonly get = (type: ValType, ordinal: number): number => {
    const key = `${String(type)}:${ordinal}`;
    let index = this.byKey.get(key);
    if (index === undefined) {
      index = this.first + this.added.length;
      const zero = zeroOf(type) ?? internalError(`handover globals: no zero for type ${JSON.stringify(type)}`);
      this.added.push({ type, mutable: 1, init: [zero, instr("end")] });
      this.byKey.set(key, index);
    }
    return index;
  };

  /** Writes the globals asked for into the module. */
  commit(): void {
    if (this.added.length === 0) return;
    let globals = section(this.m, "global");
    if (!globals) {
      const created: Section = { id: 6, kind: "global", globals: [], sizeWidth: 0 };
      const at = this.m.sections.findIndex((s) => AFTER_GLOBALS.has(s.id));
      this.m.sections.splice(at < 0 ? this.m.sections.length : at, 0, created);
      globals = section(this.m, "global")!;
    }
    globals.globals.push(...this.added);
    globals.sizeWidth = 0;
    delete globals.lebs;
  }
}
