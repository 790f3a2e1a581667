/**
 * The model of a WebAssembly module (core spec, Binary Format, "Modules"): the
 * sections in file order, custom sections in place, each known section decoded
 * into plain data. Function bodies stay raw bytes until someone decodes them.
 *
 * Lossless: a section keeps the widths of its LEB128s when one was over-long
 * (`lebs`, replayed by the writer in the order it writes them) and the width of
 * its own size field (`sizeWidth`); a custom section other than `name` is its raw
 * payload. A transform that changes a section should drop its `lebs` (the widths
 * would still give a valid encoding, only not the shortest).
 */
import type { FuncBody } from "./body.js";
import type { Instr } from "./instructions.js";
import type { GlobalType, Limits, RecGroup, TagType, ValType } from "./types.js";
import type { NameSection } from "./name-section.js";

export type ConstExpr = readonly Instr[];

export type ImportDesc =
  | { readonly kind: 0; readonly type: number }
  | { readonly kind: 1; readonly table: TableType }
  | { readonly kind: 2; readonly memory: Limits }
  | { readonly kind: 3; readonly global: GlobalType }
  | { readonly kind: 4; readonly tag: TagType };

export interface Import {
  readonly module: string;
  readonly name: string;
  readonly desc: ImportDesc;
}

export interface TableType {
  readonly type: ValType;
  readonly limits: Limits;
}

/** A table definition; `init` when written in the 3.0 form 0x40 0x00 (an initial value). */
export interface Table extends TableType {
  readonly init?: ConstExpr;
}

export interface Global extends GlobalType {
  readonly init: ConstExpr;
}

/** An export: kind 0 func, 1 table, 2 memory, 3 global, 4 tag. */
export interface Export {
  readonly name: string;
  readonly kind: number;
  readonly index: number;
}

/**
 * An element segment with its encoding flags (0..7): bit 0 passive or declarative,
 * bit 1 an explicit table (active) or declarative (passive), bit 2 expressions
 * instead of function indices. Fields absent from the encoding are undefined.
 */
export interface ElemSegment {
  readonly flags: number;
  readonly table?: number;
  readonly offset?: ConstExpr;
  /** The element kind byte (0x00 funcref) of flags 1, 2, 3. */
  readonly elemKind?: number;
  /** The reference type of flags 5, 6, 7. */
  readonly type?: ValType;
  readonly funcs?: readonly number[];
  readonly exprs?: readonly ConstExpr[];
}

/** A data segment: flags 0 active (memory 0), 1 passive, 2 active with a memory index. */
export interface DataSegment {
  readonly flags: number;
  readonly memory?: number;
  readonly offset?: ConstExpr;
  readonly bytes: Uint8Array;
}

/** One function body of the code section: its raw bytes (after the size), decoded on demand. */
export interface CodeEntry {
  /** The body's bytes as read (a view into the module). */
  readonly raw: Uint8Array;
  /** Where `raw` starts in the module (for error locations). */
  readonly offset: number;
  /** Width of the body's size field as read. */
  readonly sizeWidth: number;
  /** The decoded body; when set, the writer encodes it instead of copying `raw`. */
  body?: FuncBody;
}

interface SectionBase {
  /** Width of the section's size field as read (0 for a new section: shortest). */
  sizeWidth: number;
  /** Widths of the section's LEB128s as read, when one was over-long. */
  lebs?: readonly number[];
}

export type Section = SectionBase &
  (
    | { readonly id: 0; readonly kind: "custom"; readonly name: string; readonly payload: Uint8Array }
    | { readonly id: 0; readonly kind: "name"; names: NameSection }
    | { readonly id: 1; readonly kind: "type"; groups: RecGroup[] }
    | { readonly id: 2; readonly kind: "import"; imports: Import[] }
    | { readonly id: 3; readonly kind: "function"; types: number[] }
    | { readonly id: 4; readonly kind: "table"; tables: Table[] }
    | { readonly id: 5; readonly kind: "memory"; memories: Limits[] }
    | { readonly id: 6; readonly kind: "global"; globals: Global[] }
    | { readonly id: 7; readonly kind: "export"; exports: Export[] }
    | { readonly id: 8; readonly kind: "start"; func: number }
    | { readonly id: 9; readonly kind: "element"; segments: ElemSegment[] }
    | { readonly id: 10; readonly kind: "code"; entries: CodeEntry[] }
    | { readonly id: 11; readonly kind: "data"; segments: DataSegment[] }
    | { readonly id: 12; readonly kind: "datacount"; count: number }
    | { readonly id: 13; readonly kind: "tag"; tags: TagType[] }
  );

export type SectionKind = Section["kind"];
export type SectionOf<K extends SectionKind> = Extract<Section, { kind: K }>;

export interface WasmModule {
  readonly version: number;
  readonly sections: Section[];
}

/** The first section of kind `kind`, if any. */
export function section<K extends SectionKind>(m: WasmModule, kind: K): SectionOf<K> | undefined {
  return m.sections.find((s) => s.kind === kind) as SectionOf<K> | undefined;
}

/** The module's imports of functions (they come first in the function index space). */
export function importedFunctionCount(m: WasmModule): number {
  return section(m, "import")?.imports.filter((i) => i.desc.kind === 0).length ?? 0;
}
