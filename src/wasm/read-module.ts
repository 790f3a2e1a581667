/**
 * Reads a WebAssembly module (core spec, Binary Format, "Modules"): the magic and
 * version, then every section in file order into the model of module.ts. Known
 * sections (1..13, tags included) are decoded; custom sections are kept as raw
 * payloads in place, except `name`, decoded when it parses (a malformed name
 * section stays a raw custom section, as engines ignore it). Function bodies are
 * sliced, not decoded (body.ts decodes one on demand).
 *
 * Malformed input is a MegasplitError with the byte offset: `E_WASM_MAGIC`,
 * `E_TRUNCATED`, `E_WASM_MALFORMED`, `E_WASM_OPCODE`.
 */
import { ErrorCodes, MegasplitError } from "../diagnostics.js";
import { WasmReader } from "./binary-reader.js";
import { readExpr } from "./body.js";
import type { CodeEntry, DataSegment, ElemSegment, Import, ImportDesc, Section, Table, WasmModule } from "./module.js";
import { readNameSection } from "./name-section.js";
import { isWasm } from "./magic.js";
import { readGlobalType, readLimits, readRecGroup, readTagType, readValType } from "./types.js";

export { isWasm, WASM_MAGIC } from "./magic.js";

export function readModule(bytes: Uint8Array): WasmModule {
  if (!isWasm(bytes)) throw new MegasplitError(ErrorCodes.WASM_MAGIC, "not a WebAssembly module (no \\0asm magic)", { offset: 0 });
  const r = new WasmReader(bytes);
  r.take(4, "magic");
  const v = r.take(4, "version");
  const version = v[0]! | (v[1]! << 8) | (v[2]! << 16) | (v[3]! << 24);
  if (version !== 1) throw new MegasplitError(ErrorCodes.WASM_MALFORMED, `unsupported binary format version ${version >>> 0}`, { offset: 4 });
  const sections: Section[] = [];
  while (!r.atEnd) {
    const idAt = r.pos;
    const id = r.u8("section id");
    const size = r.size("section size");
    if (size.value > r.end - r.pos) {
      throw new MegasplitError(ErrorCodes.TRUNCATED, `section ${id} of ${size.value} bytes runs past the end of the module`, { offset: idAt });
    }
    const body = new WasmReader(bytes, r.pos, r.pos + size.value);
    sections.push(readSection(body, id, size.width, idAt));
    if (!body.atEnd) body.malformed(`section ${id} has ${body.end - body.pos} bytes after its content`);
    r.pos = body.end;
  }
  return { version, sections };
}

function readSection(r: WasmReader, id: number, sizeWidth: number, idAt: number): Section {
  if (id === 0) return readCustom(r, sizeWidth);
  r.startLog();
  const s = readKnown(r, id, sizeWidth, idAt);
  const lebs = r.takeLog();
  if (lebs) s.lebs = lebs;
  return s;
}

function readCustom(r: WasmReader, sizeWidth: number): Section {
  const start = r.pos;
  const name = r.name("custom section name");
  if (name === "name") {
    const named = new WasmReader(r.bytes, start, r.end);
    named.startLog();
    try {
      named.name();
      const names = readNameSection(named);
      const lebs = named.takeLog();
      r.pos = r.end;
      return lebs ? { id: 0, kind: "name", names, sizeWidth, lebs } : { id: 0, kind: "name", names, sizeWidth };
    } catch (e) {
      if (!(e instanceof MegasplitError)) throw e;
    }
  }
  const payload = r.bytes.subarray(start, r.end);
  r.pos = r.end;
  return { id: 0, kind: "custom", name, payload, sizeWidth };
}

function readKnown(r: WasmReader, id: number, sizeWidth: number, idAt: number): Section {
  switch (id) {
    case 1:
      return { id: 1, kind: "type", groups: r.vec("types", () => readRecGroup(r)), sizeWidth };
    case 2:
      return { id: 2, kind: "import", imports: r.vec("imports", () => readImport(r)), sizeWidth };
    case 3:
      return { id: 3, kind: "function", types: r.vec("functions", () => r.u32("type index")), sizeWidth };
    case 4:
      return { id: 4, kind: "table", tables: r.vec("tables", () => readTable(r)), sizeWidth };
    case 5:
      return { id: 5, kind: "memory", memories: r.vec("memories", () => readLimits(r)), sizeWidth };
    case 6:
      return { id: 6, kind: "global", globals: r.vec("globals", () => ({ ...readGlobalType(r), init: readExpr(r, false) })), sizeWidth };
    case 7:
      return { id: 7, kind: "export", exports: r.vec("exports", () => ({ name: r.name("export name"), kind: r.u8("export kind"), index: r.u32("export index") })), sizeWidth };
    case 8:
      return { id: 8, kind: "start", func: r.u32("start function"), sizeWidth };
    case 9:
      return { id: 9, kind: "element", segments: r.vec("element segments", () => readElem(r)), sizeWidth };
    case 10:
      return { id: 10, kind: "code", entries: r.vec("function bodies", () => readCodeEntry(r)), sizeWidth };
    case 11:
      return { id: 11, kind: "data", segments: r.vec("data segments", () => readData(r)), sizeWidth };
    case 12:
      return { id: 12, kind: "datacount", count: r.u32("data count"), sizeWidth };
    case 13:
      return { id: 13, kind: "tag", tags: r.vec("tags", () => readTagType(r)), sizeWidth };
    default:
      return r.malformed(`unknown section id ${id}`, idAt);
  }
}

function readImport(r: WasmReader): Import {
  const module = r.name("import module");
  const name = r.name("import name");
  const at = r.pos;
  const kind = r.u8("import kind");
  let desc: ImportDesc;
  if (kind === 0) desc = { kind, type: r.u32("type index") };
  else if (kind === 1) desc = { kind, table: { type: readValType(r), limits: readLimits(r) } };
  else if (kind === 2) desc = { kind, memory: readLimits(r) };
  else if (kind === 3) desc = { kind, global: readGlobalType(r) };
  else if (kind === 4) desc = { kind, tag: readTagType(r) };
  else return r.malformed(`bad import kind ${kind}`, at);
  return { module, name, desc };
}

function readTable(r: WasmReader): Table {
  if (r.peek("table") === 0x40) {
    r.u8();
    const at = r.pos;
    if (r.u8("table reserved byte") !== 0) r.malformed("table with an initial value: reserved byte is not 0", at);
    const type = readValType(r);
    const limits = readLimits(r);
    return { type, limits, init: readExpr(r, false) };
  }
  return { type: readValType(r), limits: readLimits(r) };
}

function readElem(r: WasmReader): ElemSegment {
  const at = r.pos;
  const flags = r.u32("element segment flags");
  if (flags > 7) r.malformed(`bad element segment flags ${flags}`, at);
  const active = (flags & 1) === 0;
  const table = active && flags & 2 ? r.u32("table index") : undefined;
  const offset = active ? readExpr(r, false) : undefined;
  const usesExprs = (flags & 4) !== 0;
  const hasKind = (flags & 3) !== 0;
  const elemKind = hasKind && !usesExprs ? r.u8("element kind") : undefined;
  const type = hasKind && usesExprs ? readValType(r) : undefined;
  if (usesExprs) return { flags, table, offset, type, exprs: r.vec("element expressions", () => readExpr(r, false)) };
  return { flags, table, offset, elemKind, funcs: r.vec("element functions", () => r.u32("function index")) };
}

function readData(r: WasmReader): DataSegment {
  const at = r.pos;
  const flags = r.u32("data segment flags");
  if (flags > 2) r.malformed(`bad data segment flags ${flags}`, at);
  const memory = flags === 2 ? r.u32("memory index") : undefined;
  const offset = flags !== 1 ? readExpr(r, false) : undefined;
  const n = r.u32("data length");
  return { flags, memory, offset, bytes: r.take(n, "data bytes") };
}

function readCodeEntry(r: WasmReader): CodeEntry {
  const size = r.size("function body size");
  const offset = r.base + r.pos;
  return { raw: r.take(size.value, "function body"), offset, sizeWidth: size.width };
}
