/**
 * The operand-stack effect of every WebAssembly instruction whose types follow
 * from its opcode alone (core spec, Validation, "Numeric Instructions", "Vector
 * Instructions", "Memory Instructions"), derived from the text-format name by rule
 * rather than listed: `i32.add` is [i32 i32] -> [i32], `f64.convert_i32_s` is
 * [i32] -> [f64], `i64.lt_u` is [i64 i64] -> [i32], `f32x4.splat` is [f32] -> [v128],
 * `v128.load8_lane` is [addr v128] -> [v128]. Loads and stores pop an address whose
 * type is the memory's (i32, or i64 for memory64), so their effect is built per
 * address type.
 *
 * Instructions whose effect depends on indices or on the stack (locals, globals,
 * calls, tables, `select`, `drop`, references) are typed in stack-types.ts.
 */
import type { OpInfo } from "../../src/wasm/opcodes.js";
import { F32, F64, I32, I64, V128, type ValType } from "../../src/wasm/types.js";

export interface Effect {
  /** What the instruction pops, bottom first (only its length matters to the builder). */
  readonly pops: readonly ValType[];
  readonly pushes: readonly ValType[];
}

const SCALAR: Record<string, ValType> = { i32: I32, i64: I64, f32: F32, f64: F64 };
const LANE: Record<string, ValType> = { i8x16: I32, i16x8: I32, i32x4: I32, i64x2: I64, f32x4: F32, f64x2: F64 };

const SCALAR_UNARY = new Set(["clz", "ctz", "popcnt", "abs", "neg", "ceil", "floor", "trunc", "nearest", "sqrt", "extend8_s", "extend16_s", "extend32_s"]);
const COMPARE = /^(eq|ne|lt|gt|le|ge)(_[su])?$/;
const CONVERSION = /_(i32|i64|f32|f64)(_[su])?$/;

const VECTOR_UNARY = /^(not|abs|neg|popcnt|sqrt|ceil|floor|trunc|nearest|extend_|extadd_pairwise_|convert_|trunc_sat_|demote_|promote_|relaxed_trunc_)/;
const VECTOR_TERNARY = /^(bitselect|relaxed_laneselect|relaxed_madd|relaxed_nmadd|relaxed_dot_i8x16_i7x16_add_s)$/;

function effect(pops: readonly ValType[], pushes: readonly ValType[]): Effect {
  return { pops, pushes };
}

function scalarEffect(t: ValType, op: string): Effect | undefined {
  if (op === "const") return effect([], [t]);
  if (op === "eqz") return effect([t], [I32]);
  if (COMPARE.test(op)) return effect([t, t], [I32]);
  if (SCALAR_UNARY.has(op)) return effect([t], [t]);
  const conv = CONVERSION.exec(op);
  if (conv) return effect([SCALAR[conv[1]!]!], [t]);
  if (/^(add|sub|mul|div|rem|and|or|xor|shl|shr|rotl|rotr|min|max|copysign)(_[su])?$/.test(op)) return effect([t, t], [t]);
  return undefined;
}

function vectorEffect(shape: string, op: string): Effect | undefined {
  const lane = LANE[shape];
  if (op === "splat") return lane === undefined ? undefined : effect([lane], [V128]);
  if (op.startsWith("extract_lane")) return lane === undefined ? undefined : effect([V128], [lane]);
  if (op === "replace_lane") return lane === undefined ? undefined : effect([V128, lane], [V128]);
  if (op === "any_true" || op === "all_true" || op === "bitmask") return effect([V128], [I32]);
  if (op === "shl" || op === "shr_s" || op === "shr_u") return effect([V128, I32], [V128]);
  if (op === "const") return effect([], [V128]);
  if (VECTOR_TERNARY.test(op)) return effect([V128, V128, V128], [V128]);
  if (VECTOR_UNARY.test(op)) return effect([V128], [V128]);
  return effect([V128, V128], [V128]);
}

/** The effect of a load or store (scalar or vector) with address type `addr`, else undefined. */
export function memoryAccessEffect(name: string, addr: ValType): Effect | undefined {
  const dot = name.indexOf(".");
  const shape = name.slice(0, dot);
  const op = name.slice(dot + 1);
  const t = shape === "v128" ? V128 : SCALAR[shape];
  if (t === undefined || !(op.startsWith("load") || op.startsWith("store"))) return undefined;
  if (op.endsWith("_lane")) return op.startsWith("load") ? effect([addr, V128], [V128]) : effect([addr, V128], []);
  return op.startsWith("load") ? effect([addr], [t]) : effect([addr, t], []);
}

/**
 * The effect of a numeric or vector instruction that takes no index, derived from
 * its name; undefined for anything else (the caller types it or refuses).
 */
export function numericEffect(info: OpInfo): Effect | undefined {
  if (info.prefix === 0xfb || info.prefix === 0xfe) return undefined;
  if (info.imm === "memarg" || info.imm === "memarg,lane") return undefined;
  const name = info.name;
  const dot = name.indexOf(".");
  if (dot < 0) return undefined;
  const shape = name.slice(0, dot);
  const op = name.slice(dot + 1);
  const scalar = SCALAR[shape];
  if (scalar !== undefined) return scalarEffect(scalar, op);
  if (shape === "v128" || LANE[shape] !== undefined) {
    if (info.prefix !== 0xfd) return undefined;
    if (op === "shuffle") return effect([V128, V128], [V128]);
    return vectorEffect(shape, op);
  }
  return undefined;
}
