/**
 * WebAssembly instructions and types in the text format (core spec, Text Format,
 * "Types" and "Instructions"), flat (plain) form: one instruction per line, its
 * immediates as numbers (indices are numeric; names appear only as comments).
 * Floats print exactly: NaNs with their payload (`nan:0x...`), other values as
 * the shortest decimal that reads back to the same bits.
 */
import type { CatchClause, Instr, MemArg } from "./instructions.js";
import type { BlockType, ValType } from "./types.js";

const VALTYPE_NAMES = new Map<number, string>([
  [0x7f, "i32"], [0x7e, "i64"], [0x7d, "f32"], [0x7c, "f64"], [0x7b, "v128"], [0x78, "i8"], [0x77, "i16"],
  [0x70, "funcref"], [0x6f, "externref"], [0x6e, "anyref"], [0x6d, "eqref"], [0x6c, "i31ref"], [0x6b, "structref"],
  [0x6a, "arrayref"], [0x69, "exnref"], [0x74, "nullexnref"], [0x73, "nullfuncref"], [0x72, "nullexternref"], [0x71, "nullref"],
]);

const HEAP_NAMES = new Map<number, string>([
  [0x70, "func"], [0x6f, "extern"], [0x6e, "any"], [0x6d, "eq"], [0x6c, "i31"], [0x6b, "struct"], [0x6a, "array"],
  [0x69, "exn"], [0x74, "noexn"], [0x73, "nofunc"], [0x72, "noextern"], [0x71, "none"],
]);

/** A heap type: a type index, or an abstract type given as its negative s33 value. */
export function heapTypeText(heap: number): string {
  return heap >= 0 ? String(heap) : (HEAP_NAMES.get(heap + 128) ?? `(;bad heap type ${heap};)`);
}

export function valTypeText(t: ValType): string {
  if (typeof t === "number") return VALTYPE_NAMES.get(t) ?? `(;bad type 0x${t.toString(16)};)`;
  return `(ref ${t.nullable ? "null " : ""}${heapTypeText(t.heap)})`;
}

export function blockTypeText(bt: BlockType): string {
  if (bt.kind === "empty") return "";
  if (bt.kind === "value") return ` (result ${valTypeText(bt.type)})`;
  return ` (type ${bt.index})`;
}

function floatText(bytes: Uint8Array): string {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const wide = bytes.length === 8;
  const value = wide ? view.getFloat64(0, true) : view.getFloat32(0, true);
  if (Number.isNaN(value)) {
    const sign = bytes[bytes.length - 1]! & 0x80 ? "-" : "";
    const payload = wide ? view.getBigUint64(0, true) & 0xfffffffffffffn : BigInt(view.getUint32(0, true) & 0x7fffff);
    return `${sign}nan:0x${payload.toString(16)}`;
  }
  if (value === Infinity) return "inf";
  if (value === -Infinity) return "-inf";
  if (Object.is(value, -0)) return "-0";
  return String(value);
}

function memArgText(m: MemArg): string {
  const memory = m.flags & 0x40 ? ` ${m.memory}` : "";
  const offset = m.offset ? ` offset=${m.offset}` : "";
  return `${memory}${offset} align=${2 ** (m.flags & ~0x40)}`;
}

function catchText(c: CatchClause): string {
  const kind = ["catch", "catch_ref", "catch_all", "catch_all_ref"][c.kind]!;
  return ` (${kind}${c.kind < 2 ? ` ${c.tag}` : ""} ${c.label})`;
}

function v128Text(b: Uint8Array): string {
  const v = new DataView(b.buffer, b.byteOffset, 16);
  return ` i32x4 ${[0, 4, 8, 12].map((i) => "0x" + v.getUint32(i, true).toString(16).padStart(8, "0")).join(" ")}`;
}

/** The immediates of `ins` as text (with a leading space when there are any). */
function immText(ins: Instr): string {
  const imm = ins.imm as never;
  switch (ins.op.imm) {
    case "none":
    case "byte":
      return "";
    case "block":
      return blockTypeText(imm);
    case "label":
    case "func":
    case "local":
    case "global":
    case "table":
    case "tag":
    case "type":
    case "data":
    case "elem":
    case "lane":
    case "i32":
      return ` ${imm as number}`;
    case "memory":
      return imm === 0 ? "" : ` ${imm as number}`;
    case "i64":
      return ` ${(imm as bigint).toString()}`;
    case "type,table": {
      const [type, table] = imm as readonly [number, number];
      return ` ${table} (type ${type})`;
    }
    case "data,memory":
    case "memory,memory":
    case "elem,table":
    case "table,table":
    case "type,field":
    case "type,u32":
    case "type,data":
    case "type,elem":
    case "type,type": {
      const [a, b] = imm as readonly [number, number];
      return ins.op.imm === "elem,table" ? ` ${b} ${a}` : ins.op.imm === "data,memory" ? ` ${b} ${a}` : ` ${a} ${b}`;
    }
    case "br_table": {
      const t = imm as { labels: readonly number[]; default: number };
      return ` ${[...t.labels, t.default].join(" ")}`;
    }
    case "memarg":
      return memArgText(imm);
    case "memarg,lane": {
      const m = imm as { mem: MemArg; lane: number };
      return `${memArgText(m.mem)} ${m.lane}`;
    }
    case "f32":
    case "f64":
      return ` ${floatText(imm)}`;
    case "v128":
      return v128Text(imm);
    case "shuffle":
      return ` ${[...(imm as Uint8Array)].join(" ")}`;
    case "select_t":
      return ` (result ${(imm as readonly ValType[]).map(valTypeText).join(" ")})`;
    case "heaptype":
      return ins.op.name.startsWith("ref.null") ? ` ${heapTypeText(imm)}` : ` (ref ${ins.op.name.endsWith(" null") ? "null " : ""}${heapTypeText(imm)})`;
    case "try_table": {
      const t = imm as { block: BlockType; catches: readonly CatchClause[] };
      return blockTypeText(t.block) + t.catches.map(catchText).join("");
    }
    case "br_on_cast": {
      const c = imm as { flags: number; label: number; from: number; to: number };
      const ref = (nullable: boolean, heap: number) => `(ref ${nullable ? "null " : ""}${heapTypeText(heap)})`;
      return ` ${c.label} ${ref((c.flags & 1) !== 0, c.from)} ${ref((c.flags & 2) !== 0, c.to)}`;
    }
  }
}

/** One instruction in the flat text form. */
export function instrText(ins: Instr): string {
  const name = ins.op.name.endsWith(" null") ? ins.op.name.slice(0, -5) : ins.op.name;
  return name + immText(ins);
}
