/**
 * Writes a module of module.ts back to the binary format (core spec, Binary
 * Format, "Modules"): magic, version, then every section in model order, each
 * with its recorded LEB128 widths (so an unchanged module is byte-identical to
 * the one read), custom sections copied raw, and each function body copied raw
 * unless it was decoded (then encoded from its instructions).
 *
 * Options: `canonical` writes every integer in its shortest form (a different,
 * equivalent module); `decodeAll` encodes every body from its instructions,
 * decoding the ones nobody decoded (a full round trip through the codec).
 */
import { WasmWriter } from "./binary-writer.js";
import { decodeBody, writeBody, writeExpr } from "./body.js";
import type { ElemSegment, ImportDesc, Section, Table, WasmModule } from "./module.js";
import { writeNameSection } from "./name-section.js";
import { writeGlobalType, writeLimits, writeRecGroup, writeTagType, writeValType } from "./types.js";

export interface WriteOptions {
  readonly canonical?: boolean;
  readonly decodeAll?: boolean;
}

export function writeModule(m: WasmModule, opts: WriteOptions = {}): Uint8Array {
  const w = new WasmWriter(opts.canonical ?? false, 1 << 16);
  w.bytes(new Uint8Array([0x00, 0x61, 0x73, 0x6d]));
  w.u8(m.version & 0xff).u8((m.version >>> 8) & 0xff).u8((m.version >>> 16) & 0xff).u8(m.version >>> 24);
  for (const s of m.sections) {
    w.u8(s.id);
    w.sized(s.sizeWidth, () => {
      w.setPads(s.lebs);
      writeSection(w, s, opts.decodeAll ?? false);
      w.setPads(undefined);
    });
  }
  return w.toBytes();
}

function writeSection(w: WasmWriter, s: Section, decodeAll: boolean): void {
  switch (s.kind) {
    case "custom":
      w.bytes(s.payload);
      return;
    case "name":
      w.name("name");
      writeNameSection(w, s.names);
      return;
    case "type":
      w.vec(s.groups, (g) => writeRecGroup(w, g));
      return;
    case "import":
      w.vec(s.imports, (i) => {
        w.name(i.module).name(i.name);
        writeImportDesc(w, i.desc);
      });
      return;
    case "function":
      w.vec(s.types, (t) => w.u32(t));
      return;
    case "table":
      w.vec(s.tables, (t) => writeTable(w, t));
      return;
    case "memory":
      w.vec(s.memories, (l) => writeLimits(w, l));
      return;
    case "global":
      w.vec(s.globals, (g) => {
        writeGlobalType(w, g);
        writeExpr(w, g.init, false);
      });
      return;
    case "export":
      w.vec(s.exports, (e) => w.name(e.name).u8(e.kind).u32(e.index));
      return;
    case "start":
      w.u32(s.func);
      return;
    case "element":
      w.vec(s.segments, (e) => writeElem(w, e));
      return;
    case "code":
      writeCode(w, s, decodeAll);
      return;
    case "data":
      w.vec(s.segments, (d) => {
        w.u32(d.flags);
        if (d.flags === 2) w.u32(d.memory!);
        if (d.flags !== 1) writeExpr(w, d.offset!, false);
        w.u32(d.bytes.length).bytes(d.bytes);
      });
      return;
    case "datacount":
      w.u32(s.count);
      return;
    case "tag":
      w.vec(s.tags, (t) => writeTagType(w, t));
      return;
  }
}

function writeCode(w: WasmWriter, s: Extract<Section, { kind: "code" }>, decodeAll: boolean): void {
  w.u32(s.entries.length);
  for (const e of s.entries) {
    const body = e.body ?? (decodeAll ? decodeBody(e.raw, e.offset) : undefined);
    w.sized(e.sizeWidth, () => {
      if (body) writeBody(w, body);
      else w.bytes(e.raw);
    });
  }
}

function writeImportDesc(w: WasmWriter, d: ImportDesc): void {
  w.u8(d.kind);
  if (d.kind === 0) w.u32(d.type);
  else if (d.kind === 1) {
    writeValType(w, d.table.type);
    writeLimits(w, d.table.limits);
  } else if (d.kind === 2) writeLimits(w, d.memory);
  else if (d.kind === 3) writeGlobalType(w, d.global);
  else writeTagType(w, d.tag);
}

function writeTable(w: WasmWriter, t: Table): void {
  if (t.init) w.u8(0x40).u8(0x00);
  writeValType(w, t.type);
  writeLimits(w, t.limits);
  if (t.init) writeExpr(w, t.init, false);
}

function writeElem(w: WasmWriter, e: ElemSegment): void {
  w.u32(e.flags);
  if (e.table !== undefined) w.u32(e.table);
  if (e.offset) writeExpr(w, e.offset, false);
  if (e.elemKind !== undefined) w.u8(e.elemKind);
  if (e.type !== undefined) writeValType(w, e.type);
  if (e.exprs) w.vec(e.exprs, (x) => writeExpr(w, x, false));
  else w.vec(e.funcs!, (f) => w.u32(f));
}
