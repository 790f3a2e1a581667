/**
 * WebAssembly types and their binary encoding (core spec, Binary Format, "Types"):
 * number, vector and reference value types (with the typed references of 3.0,
 * `(ref null? ht)` with an s33 heap type), block types, recursive groups of
 * function, struct and array types (multi-value results included), limits,
 * table, memory, global and tag types.
 *
 * Lossless: the one-byte shorthand of a reference type (0x70 `funcref`) and its
 * long form (0x63 0x70 `(ref null func)`) are kept apart, as are the optional
 * `sub`/`sub final`/`rec` wrappers, so a type section is written back as read.
 */
import type { WasmReader } from "./binary-reader.js";
import type { WasmWriter } from "./binary-writer.js";

/** A reference type in long form: 0x63 (nullable) or 0x64, then an s33 heap type. */
export interface RefType {
  readonly nullable: boolean;
  /** A type index (>= 0) or an abstract heap type as its negative s33 value (0x70 func is -16). */
  readonly heap: number;
}

/**
 * A value type: one byte (0x7F i32, 0x7E i64, 0x7D f32, 0x7C f64, 0x7B v128, or an
 * abstract reference shorthand 0x69..0x74 such as 0x70 funcref, 0x6F externref),
 * or a {@link RefType}. A storage type may also be 0x78 (i8) or 0x77 (i16).
 */
export type ValType = number | RefType;

export const I32 = 0x7f;
export const I64 = 0x7e;
export const F32 = 0x7d;
export const F64 = 0x7c;
export const V128 = 0x7b;

const SHORTHANDS = new Set([0x7f, 0x7e, 0x7d, 0x7c, 0x7b, 0x74, 0x73, 0x72, 0x71, 0x70, 0x6f, 0x6e, 0x6d, 0x6c, 0x6b, 0x6a, 0x69]);
const PACKED = new Set([0x78, 0x77]);

/** Whether `byte` starts a value type (so a block type is not a type index). */
export function startsValType(byte: number): boolean {
  return SHORTHANDS.has(byte) || byte === 0x63 || byte === 0x64;
}

export function readValType(r: WasmReader, packedAllowed = false): ValType {
  const at = r.pos;
  const b = r.u8("value type");
  if (SHORTHANDS.has(b) || (packedAllowed && PACKED.has(b))) return b;
  if (b === 0x63 || b === 0x64) return { nullable: b === 0x63, heap: r.signed(33, "heap type") };
  return r.malformed(`bad value type 0x${b.toString(16)}`, at);
}

export function writeValType(w: WasmWriter, t: ValType): void {
  if (typeof t === "number") w.u8(t);
  else w.u8(t.nullable ? 0x63 : 0x64).s32(t.heap);
}

/** A block type: none (0x40), one result type, or a type index (s33 >= 0). */
export type BlockType = { readonly kind: "empty" } | { readonly kind: "value"; readonly type: ValType } | { readonly kind: "index"; readonly index: number };

export function readBlockType(r: WasmReader): BlockType {
  const b = r.peek("block type");
  if (b === 0x40) {
    r.u8();
    return { kind: "empty" };
  }
  if (startsValType(b)) return { kind: "value", type: readValType(r) };
  const at = r.pos;
  const index = r.signed(33, "block type index");
  if (index < 0) r.malformed(`bad block type ${index}`, at);
  return { kind: "index", index };
}

export function writeBlockType(w: WasmWriter, bt: BlockType): void {
  if (bt.kind === "empty") w.u8(0x40);
  else if (bt.kind === "value") writeValType(w, bt.type);
  else w.s32(bt.index);
}

export interface FieldType {
  readonly type: ValType;
  /** 0 const, 1 var. */
  readonly mutable: number;
}

export type CompType =
  | { readonly kind: "func"; readonly params: readonly ValType[]; readonly results: readonly ValType[] }
  | { readonly kind: "struct"; readonly fields: readonly FieldType[] }
  | { readonly kind: "array"; readonly field: FieldType };

export interface SubType {
  /** 0x50 `sub`, 0x4F `sub final`, or undefined when the composite type stands alone. */
  readonly prefix?: 0x50 | 0x4f;
  readonly supers: readonly number[];
  readonly comp: CompType;
}

/** A recursive group: `explicit` when written with 0x4E (a lone type is a group of one). */
export interface RecGroup {
  readonly explicit: boolean;
  readonly types: readonly SubType[];
}

function readFieldType(r: WasmReader): FieldType {
  return { type: readValType(r, true), mutable: r.u8("mutability") };
}

function readCompType(r: WasmReader): CompType {
  const at = r.pos;
  const form = r.u8("type form");
  if (form === 0x60) return { kind: "func", params: r.vec("params", () => readValType(r)), results: r.vec("results", () => readValType(r)) };
  if (form === 0x5f) return { kind: "struct", fields: r.vec("fields", () => readFieldType(r)) };
  if (form === 0x5e) return { kind: "array", field: readFieldType(r) };
  return r.malformed(`bad type form 0x${form.toString(16)}`, at);
}

function readSubType(r: WasmReader): SubType {
  const b = r.peek("type");
  if (b === 0x50 || b === 0x4f) {
    r.u8();
    const supers = r.vec("supertypes", () => r.u32("type index"));
    return { prefix: b, supers, comp: readCompType(r) };
  }
  return { supers: [], comp: readCompType(r) };
}

export function readRecGroup(r: WasmReader): RecGroup {
  if (r.peek("type") === 0x4e) {
    r.u8();
    return { explicit: true, types: r.vec("recursive group", () => readSubType(r)) };
  }
  return { explicit: false, types: [readSubType(r)] };
}

function writeFieldType(w: WasmWriter, f: FieldType): void {
  writeValType(w, f.type);
  w.u8(f.mutable);
}

function writeSubType(w: WasmWriter, s: SubType): void {
  if (s.prefix !== undefined) w.u8(s.prefix).vec(s.supers, (i) => w.u32(i));
  const c = s.comp;
  if (c.kind === "func") {
    w.u8(0x60);
    w.vec(c.params, (t) => writeValType(w, t));
    w.vec(c.results, (t) => writeValType(w, t));
  } else if (c.kind === "struct") {
    w.u8(0x5f).vec(c.fields, (f) => writeFieldType(w, f));
  } else {
    w.u8(0x5e);
    writeFieldType(w, c.field);
  }
}

export function writeRecGroup(w: WasmWriter, g: RecGroup): void {
  if (g.explicit) w.u8(0x4e).vec(g.types, (s) => writeSubType(w, s));
  else writeSubType(w, g.types[0]!);
}

/** Limits: flags (bit 0 a maximum, bit 1 shared, bit 2 64-bit addresses), minimum, maximum. */
export interface Limits {
  readonly flags: number;
  readonly min: number;
  readonly max?: number;
}

export function readLimits(r: WasmReader): Limits {
  const at = r.pos;
  const flags = r.u8("limits flags");
  if (flags > 7) r.malformed(`bad limits flags 0x${flags.toString(16)}`, at);
  const bits = flags & 4 ? 64 : 32;
  const min = r.unsigned(bits, "limits minimum");
  return flags & 1 ? { flags, min, max: r.unsigned(bits, "limits maximum") } : { flags, min };
}

export function writeLimits(w: WasmWriter, l: Limits): void {
  w.u8(l.flags).u32(l.min);
  if (l.flags & 1) w.u32(l.max!);
}

export interface GlobalType {
  readonly type: ValType;
  /** 0 const, 1 var (other bits: shared globals). */
  readonly mutable: number;
}

export function readGlobalType(r: WasmReader): GlobalType {
  return { type: readValType(r), mutable: r.u8("global mutability") };
}

export function writeGlobalType(w: WasmWriter, g: GlobalType): void {
  writeValType(w, g.type);
  w.u8(g.mutable);
}

/** A tag type (exception handling): attribute 0 (exception) and a function type index. */
export interface TagType {
  readonly attribute: number;
  readonly type: number;
}

export function readTagType(r: WasmReader): TagType {
  return { attribute: r.u8("tag attribute"), type: r.u32("tag type index") };
}

export function writeTagType(w: WasmWriter, t: TagType): void {
  w.u8(t.attribute).u32(t.type);
}
