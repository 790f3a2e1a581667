/**
 * The JVM opcode table (JVMS 6.5, with 4.10.1.9 for the stack effects): one row
 * per defined opcode 0x00..0xC9, as data. Decoder, encoder, printer and analyses
 * all read this table; nothing else lists opcodes.
 *
 * Invariants: `OPCODES[op]` is defined exactly for 0 <= op <= 0xC9 and its
 * `opcode` equals `op`; mnemonics are unique. 0xCA (breakpoint) and 0xFE/0xFF
 * (impdep1/2) are reserved for debuggers and JVM internals and may not appear in
 * a class file (JVMS 6.2), so they have no row, nor do the undefined 0xCB..0xFD.
 *
 * Stack effects are in slots (long and double take two). Where the effect depends
 * on a descriptor (field access, invoke*, multianewarray) the row says
 * `VARIABLE_STACK` and a later pass computes it from the constant pool. `ldc` and
 * `ldc2_w` are fixed (1 and 2 slots): JVMS restricts ldc to category-1 constants
 * and ldc2_w to category-2 ones, dynamic constants included.
 *
 * Cost: the table is built once at module load (202 rows) plus a few typed-array
 * side tables (format code, fixed size, flags) that the hot decode/encode loops
 * index instead of touching row objects.
 */
import { InternalError } from "../diagnostics.js";

/** Operand layouts after the opcode byte (JVMS 6.5 "Format"). */
export type OperandFormat =
  /** No operands. */
  | "none"
  /** u1 local-variable index (xload, xstore, ret). */
  | "local_u1"
  /** Signed byte immediate (bipush). */
  | "s1"
  /** Signed 16-bit immediate (sipush). */
  | "s2"
  /** u1 constant-pool index (ldc). */
  | "cp_u1"
  /** u2 constant-pool index. */
  | "cp_u2"
  /** Signed 16-bit branch offset relative to the opcode. */
  | "branch_s2"
  /** Signed 32-bit branch offset (goto_w, jsr_w). */
  | "branch_s4"
  /** u1 local index, s1 increment. */
  | "iinc"
  /** Padding to a 4-byte boundary, then default, low, high, offsets. */
  | "tableswitch"
  /** Padding, then default, npairs, (key, offset) pairs. */
  | "lookupswitch"
  /** u2 cp index, u1 count, u1 zero. */
  | "invokeinterface"
  /** u2 cp index, two zero bytes. */
  | "invokedynamic"
  /** u2 cp index, u1 dimensions. */
  | "multianewarray"
  /** u1 array type code 4..11 (newarray). */
  | "atype"
  /** A modified opcode and a u2 index (and s2 increment for iinc). */
  | "wide";

/** Numeric codes for {@link OperandFormat}, for switch dispatch in hot loops. */
export const Fmt = {
  none: 0,
  local_u1: 1,
  s1: 2,
  s2: 3,
  cp_u1: 4,
  cp_u2: 5,
  branch_s2: 6,
  branch_s4: 7,
  iinc: 8,
  tableswitch: 9,
  lookupswitch: 10,
  invokeinterface: 11,
  invokedynamic: 12,
  multianewarray: 13,
  atype: 14,
  wide: 15,
} as const satisfies Record<OperandFormat, number>;

/** Instruction length in bytes (opcode included) per format; 0 = variable. */
const FORMAT_SIZE: Record<OperandFormat, number> = {
  none: 1,
  local_u1: 2,
  s1: 2,
  s2: 3,
  cp_u1: 2,
  cp_u2: 3,
  branch_s2: 3,
  branch_s4: 5,
  iinc: 3,
  tableswitch: 0,
  lookupswitch: 0,
  invokeinterface: 5,
  invokedynamic: 5,
  multianewarray: 4,
  atype: 2,
  wide: 0,
};

/** Behaviour flags; a row's `flags` is a bit set of these. */
export const OpFlag = {
  /** Has one or more branch-target operands (jumps and switches). */
  BRANCH: 1 << 0,
  /** A two-way branch: jumps or falls through (if*). */
  CONDITIONAL: 1 << 1,
  /** Always transfers to its one target (goto, goto_w, jsr, jsr_w). */
  UNCONDITIONAL: 1 << 2,
  /** tableswitch, lookupswitch. */
  SWITCH: 1 << 3,
  /** xreturn, return. */
  RETURN: 1 << 4,
  /** athrow. */
  THROW: 1 << 5,
  /** The instruction is the last of its basic block (any branch, switch, return, athrow, ret). */
  ENDS_BLOCK: 1 << 6,
  /** Control never reaches the next instruction directly (goto, jsr, switch, return, athrow, ret). */
  NO_FALLTHROUGH: 1 << 7,
  /** jsr, jsr_w, ret: the subroutine mechanism (versions < 51 only). */
  SUBROUTINE: 1 << 8,
  /** Reads a local variable (explicit index, or `impliedLocal`). */
  READS_LOCAL: 1 << 9,
  /** Writes a local variable. */
  WRITES_LOCAL: 1 << 10,
  /** May complete abruptly with an exception other than VirtualMachineError (JVMS 2.10). */
  CAN_THROW: 1 << 11,
} as const;

/** Marks a stack effect that depends on a descriptor. */
export const VARIABLE_STACK = -1;

export interface OpcodeInfo {
  opcode: number;
  mnemonic: string;
  format: OperandFormat;
  /** Bytes including the opcode; 0 for tableswitch, lookupswitch and wide. */
  size: number;
  /** Slots popped, or VARIABLE_STACK. */
  pop: number;
  /** Slots pushed, or VARIABLE_STACK. */
  push: number;
  flags: number;
  /** The local index an `xload_n`/`xstore_n` implies; undefined otherwise. */
  impliedLocal?: number;
  /**
   * The opcode this one is normalised to in the decoded model (iload_0 -> iload,
   * ldc_w -> ldc, goto_w -> goto, jsr_w -> jsr); the opcode itself otherwise.
   */
  normal: number;
}

// ---- building the table ----

const { BRANCH, CONDITIONAL, UNCONDITIONAL, SWITCH, RETURN, THROW, ENDS_BLOCK, NO_FALLTHROUGH, SUBROUTINE, READS_LOCAL, WRITES_LOCAL, CAN_THROW } = OpFlag;
const V = VARIABLE_STACK;
const COND = BRANCH | CONDITIONAL | ENDS_BLOCK;
const RET = RETURN | ENDS_BLOCK | NO_FALLTHROUGH | CAN_THROW; // IllegalMonitorStateException (JVMS 6.5 ireturn)

const rows: OpcodeInfo[] = [];

function def(opcode: number, mnemonic: string, format: OperandFormat, pop: number, push: number, flags = 0, normal = opcode, impliedLocal?: number): void {
  const row: OpcodeInfo = { opcode, mnemonic, format, size: FORMAT_SIZE[format], pop, push, flags, normal };
  if (impliedLocal !== undefined) row.impliedLocal = impliedLocal;
  rows[opcode] = row;
}

/** xload/xstore families: the explicit form followed by its four _n forms. */
function localFamily(explicit: number, firstShort: number, name: string, pop: number, push: number, flags: number): void {
  def(explicit, name, "local_u1", pop, push, flags);
  for (let n = 0; n < 4; n++) def(firstShort + n, `${name}_${n}`, "none", pop, push, flags, explicit, n);
}

def(0x00, "nop", "none", 0, 0);
def(0x01, "aconst_null", "none", 0, 1);
def(0x02, "iconst_m1", "none", 0, 1);
for (let i = 0; i <= 5; i++) def(0x03 + i, `iconst_${i}`, "none", 0, 1);
def(0x09, "lconst_0", "none", 0, 2);
def(0x0a, "lconst_1", "none", 0, 2);
def(0x0b, "fconst_0", "none", 0, 1);
def(0x0c, "fconst_1", "none", 0, 1);
def(0x0d, "fconst_2", "none", 0, 1);
def(0x0e, "dconst_0", "none", 0, 2);
def(0x0f, "dconst_1", "none", 0, 2);
def(0x10, "bipush", "s1", 0, 1);
def(0x11, "sipush", "s2", 0, 1);
// ldc of a Class, MethodType, MethodHandle or dynamic constant resolves and can fail.
def(0x12, "ldc", "cp_u1", 0, 1, CAN_THROW);
def(0x13, "ldc_w", "cp_u2", 0, 1, CAN_THROW, 0x12);
def(0x14, "ldc2_w", "cp_u2", 0, 2, CAN_THROW);

localFamily(0x15, 0x1a, "iload", 0, 1, READS_LOCAL);
localFamily(0x16, 0x1e, "lload", 0, 2, READS_LOCAL);
localFamily(0x17, 0x22, "fload", 0, 1, READS_LOCAL);
localFamily(0x18, 0x26, "dload", 0, 2, READS_LOCAL);
localFamily(0x19, 0x2a, "aload", 0, 1, READS_LOCAL);

const arrayLoads: [string, number][] = [["iaload", 1], ["laload", 2], ["faload", 1], ["daload", 2], ["aaload", 1], ["baload", 1], ["caload", 1], ["saload", 1]];
arrayLoads.forEach(([name, push], i) => def(0x2e + i, name, "none", 2, push, CAN_THROW));

localFamily(0x36, 0x3b, "istore", 1, 0, WRITES_LOCAL);
localFamily(0x37, 0x3f, "lstore", 2, 0, WRITES_LOCAL);
localFamily(0x38, 0x43, "fstore", 1, 0, WRITES_LOCAL);
localFamily(0x39, 0x47, "dstore", 2, 0, WRITES_LOCAL);
localFamily(0x3a, 0x4b, "astore", 1, 0, WRITES_LOCAL);

const arrayStores: [string, number][] = [["iastore", 3], ["lastore", 4], ["fastore", 3], ["dastore", 4], ["aastore", 3], ["bastore", 3], ["castore", 3], ["sastore", 3]];
arrayStores.forEach(([name, pop], i) => def(0x4f + i, name, "none", pop, 0, CAN_THROW));

def(0x57, "pop", "none", 1, 0);
def(0x58, "pop2", "none", 2, 0);
def(0x59, "dup", "none", 1, 2);
def(0x5a, "dup_x1", "none", 2, 3);
def(0x5b, "dup_x2", "none", 3, 4);
def(0x5c, "dup2", "none", 2, 4);
def(0x5d, "dup2_x1", "none", 3, 5);
def(0x5e, "dup2_x2", "none", 4, 6);
def(0x5f, "swap", "none", 2, 2);

// Binary arithmetic: i, l, f, d variants in that order for add, sub, mul, div, rem.
const arith = ["add", "sub", "mul", "div", "rem"];
arith.forEach((name, k) => {
  const base = 0x60 + 4 * k;
  // Only integer division and remainder throw (ArithmeticException on zero).
  const intThrows = name === "div" || name === "rem" ? CAN_THROW : 0;
  def(base, `i${name}`, "none", 2, 1, intThrows);
  def(base + 1, `l${name}`, "none", 4, 2, intThrows);
  def(base + 2, `f${name}`, "none", 2, 1);
  def(base + 3, `d${name}`, "none", 4, 2);
});
def(0x74, "ineg", "none", 1, 1);
def(0x75, "lneg", "none", 2, 2);
def(0x76, "fneg", "none", 1, 1);
def(0x77, "dneg", "none", 2, 2);
// Long shifts take an int shift count: 2 + 1 slots in, 2 out.
def(0x78, "ishl", "none", 2, 1);
def(0x79, "lshl", "none", 3, 2);
def(0x7a, "ishr", "none", 2, 1);
def(0x7b, "lshr", "none", 3, 2);
def(0x7c, "iushr", "none", 2, 1);
def(0x7d, "lushr", "none", 3, 2);
def(0x7e, "iand", "none", 2, 1);
def(0x7f, "land", "none", 4, 2);
def(0x80, "ior", "none", 2, 1);
def(0x81, "lor", "none", 4, 2);
def(0x82, "ixor", "none", 2, 1);
def(0x83, "lxor", "none", 4, 2);
def(0x84, "iinc", "iinc", 0, 0, READS_LOCAL | WRITES_LOCAL);

const conversions: [string, number, number][] = [
  ["i2l", 1, 2], ["i2f", 1, 1], ["i2d", 1, 2],
  ["l2i", 2, 1], ["l2f", 2, 1], ["l2d", 2, 2],
  ["f2i", 1, 1], ["f2l", 1, 2], ["f2d", 1, 2],
  ["d2i", 2, 1], ["d2l", 2, 2], ["d2f", 2, 1],
  ["i2b", 1, 1], ["i2c", 1, 1], ["i2s", 1, 1],
];
conversions.forEach(([name, pop, push], i) => def(0x85 + i, name, "none", pop, push));

def(0x94, "lcmp", "none", 4, 1);
def(0x95, "fcmpl", "none", 2, 1);
def(0x96, "fcmpg", "none", 2, 1);
def(0x97, "dcmpl", "none", 4, 1);
def(0x98, "dcmpg", "none", 4, 1);

["ifeq", "ifne", "iflt", "ifge", "ifgt", "ifle"].forEach((name, i) => def(0x99 + i, name, "branch_s2", 1, 0, COND));
["if_icmpeq", "if_icmpne", "if_icmplt", "if_icmpge", "if_icmpgt", "if_icmple", "if_acmpeq", "if_acmpne"].forEach((name, i) =>
  def(0x9f + i, name, "branch_s2", 2, 0, COND),
);
def(0xa7, "goto", "branch_s2", 0, 0, BRANCH | UNCONDITIONAL | ENDS_BLOCK | NO_FALLTHROUGH);
// jsr pushes the returnAddress; control comes back to the next instruction only through ret.
def(0xa8, "jsr", "branch_s2", 0, 1, BRANCH | UNCONDITIONAL | SUBROUTINE | ENDS_BLOCK | NO_FALLTHROUGH);
def(0xa9, "ret", "local_u1", 0, 0, SUBROUTINE | READS_LOCAL | ENDS_BLOCK | NO_FALLTHROUGH);
def(0xaa, "tableswitch", "tableswitch", 1, 0, BRANCH | SWITCH | ENDS_BLOCK | NO_FALLTHROUGH);
def(0xab, "lookupswitch", "lookupswitch", 1, 0, BRANCH | SWITCH | ENDS_BLOCK | NO_FALLTHROUGH);
def(0xac, "ireturn", "none", 1, 0, RET);
def(0xad, "lreturn", "none", 2, 0, RET);
def(0xae, "freturn", "none", 1, 0, RET);
def(0xaf, "dreturn", "none", 2, 0, RET);
def(0xb0, "areturn", "none", 1, 0, RET);
def(0xb1, "return", "none", 0, 0, RET);
def(0xb2, "getstatic", "cp_u2", V, V, CAN_THROW);
def(0xb3, "putstatic", "cp_u2", V, V, CAN_THROW);
def(0xb4, "getfield", "cp_u2", V, V, CAN_THROW);
def(0xb5, "putfield", "cp_u2", V, V, CAN_THROW);
def(0xb6, "invokevirtual", "cp_u2", V, V, CAN_THROW);
def(0xb7, "invokespecial", "cp_u2", V, V, CAN_THROW);
def(0xb8, "invokestatic", "cp_u2", V, V, CAN_THROW);
def(0xb9, "invokeinterface", "invokeinterface", V, V, CAN_THROW);
def(0xba, "invokedynamic", "invokedynamic", V, V, CAN_THROW);
def(0xbb, "new", "cp_u2", 0, 1, CAN_THROW);
def(0xbc, "newarray", "atype", 1, 1, CAN_THROW);
def(0xbd, "anewarray", "cp_u2", 1, 1, CAN_THROW);
def(0xbe, "arraylength", "none", 1, 1, CAN_THROW);
def(0xbf, "athrow", "none", 1, 0, THROW | ENDS_BLOCK | NO_FALLTHROUGH | CAN_THROW);
def(0xc0, "checkcast", "cp_u2", 1, 1, CAN_THROW);
def(0xc1, "instanceof", "cp_u2", 1, 1, CAN_THROW);
def(0xc2, "monitorenter", "none", 1, 0, CAN_THROW);
def(0xc3, "monitorexit", "none", 1, 0, CAN_THROW);
def(0xc4, "wide", "wide", 0, 0);
def(0xc5, "multianewarray", "multianewarray", V, 1, CAN_THROW);
def(0xc6, "ifnull", "branch_s2", 1, 0, COND);
def(0xc7, "ifnonnull", "branch_s2", 1, 0, COND);
def(0xc8, "goto_w", "branch_s4", 0, 0, BRANCH | UNCONDITIONAL | ENDS_BLOCK | NO_FALLTHROUGH, 0xa7);
def(0xc9, "jsr_w", "branch_s4", 0, 1, BRANCH | UNCONDITIONAL | SUBROUTINE | ENDS_BLOCK | NO_FALLTHROUGH, 0xa8);

/** The highest opcode a class file may contain (jsr_w). */
export const MAX_OPCODE = 0xc9;

/** Rows indexed by opcode; undefined for opcodes a class file may not contain. */
export const OPCODES: readonly (OpcodeInfo | undefined)[] = Object.freeze(Array.from({ length: 256 }, (_, i) => rows[i]));

export const opcodeByMnemonic: ReadonlyMap<string, OpcodeInfo> = new Map(rows.map((r) => [r.mnemonic, r]));

/** Format code per opcode (Fmt values); 255 for undefined opcodes. */
export const FORMAT_CODE: Uint8Array = new Uint8Array(256).fill(255);
/** Flags per opcode, 0 for undefined opcodes. */
export const FLAGS: Uint16Array = new Uint16Array(256);
/** `normal` per opcode (the opcode itself for undefined ones): a typed-array read in the codec's loops. */
export const NORMAL_OP: Uint8Array = Uint8Array.from({ length: 256 }, (_, i) => i);
/** `impliedLocal` per opcode, -1 where there is none. */
export const IMPLIED_LOCAL: Int8Array = new Int8Array(256).fill(-1);
for (const r of rows) {
  FORMAT_CODE[r.opcode] = Fmt[r.format];
  FLAGS[r.opcode] = r.flags;
  NORMAL_OP[r.opcode] = r.normal;
  if (r.impliedLocal !== undefined) IMPLIED_LOCAL[r.opcode] = r.impliedLocal;
}

/** The row for `op`; throws for an undefined opcode (a bug: callers validate input first). */
export function opcodeInfo(op: number): OpcodeInfo {
  const r = OPCODES[op];
  if (r === undefined) throw new InternalError(`undefined opcode ${op}`);
  return r;
}

/**
 * The branch that jumps exactly when `op` does not (ifeq <-> ifne, if_icmplt <->
 * if_icmpge, ifnull <-> ifnonnull, ...). The encoder uses it to widen a far
 * conditional into `!cond +8; goto_w target`.
 */
export function invertCondition(op: number): number {
  if (op >= 0x99 && op <= 0xa6) return ((op - 0x99) ^ 1) + 0x99; // pairs (eq,ne) (lt,ge) (gt,le) ... start at 0x99
  if (op === 0xc6) return 0xc7;
  if (op === 0xc7) return 0xc6;
  throw new InternalError(`${OPCODES[op]?.mnemonic ?? op} is not a conditional branch`);
}

/** Named opcode constants: `Op.ILOAD`, `Op.GOTO_W`, ... */
export const Op = {
  NOP: 0x00, ACONST_NULL: 0x01, ICONST_M1: 0x02, ICONST_0: 0x03, ICONST_1: 0x04, ICONST_2: 0x05, ICONST_3: 0x06,
  ICONST_4: 0x07, ICONST_5: 0x08, LCONST_0: 0x09, LCONST_1: 0x0a, FCONST_0: 0x0b, FCONST_1: 0x0c, FCONST_2: 0x0d,
  DCONST_0: 0x0e, DCONST_1: 0x0f, BIPUSH: 0x10, SIPUSH: 0x11, LDC: 0x12, LDC_W: 0x13, LDC2_W: 0x14,
  ILOAD: 0x15, LLOAD: 0x16, FLOAD: 0x17, DLOAD: 0x18, ALOAD: 0x19,
  ILOAD_0: 0x1a, ILOAD_1: 0x1b, ILOAD_2: 0x1c, ILOAD_3: 0x1d, LLOAD_0: 0x1e, LLOAD_1: 0x1f, LLOAD_2: 0x20, LLOAD_3: 0x21,
  FLOAD_0: 0x22, FLOAD_1: 0x23, FLOAD_2: 0x24, FLOAD_3: 0x25, DLOAD_0: 0x26, DLOAD_1: 0x27, DLOAD_2: 0x28, DLOAD_3: 0x29,
  ALOAD_0: 0x2a, ALOAD_1: 0x2b, ALOAD_2: 0x2c, ALOAD_3: 0x2d,
  IALOAD: 0x2e, LALOAD: 0x2f, FALOAD: 0x30, DALOAD: 0x31, AALOAD: 0x32, BALOAD: 0x33, CALOAD: 0x34, SALOAD: 0x35,
  ISTORE: 0x36, LSTORE: 0x37, FSTORE: 0x38, DSTORE: 0x39, ASTORE: 0x3a,
  ISTORE_0: 0x3b, ISTORE_1: 0x3c, ISTORE_2: 0x3d, ISTORE_3: 0x3e, LSTORE_0: 0x3f, LSTORE_1: 0x40, LSTORE_2: 0x41, LSTORE_3: 0x42,
  FSTORE_0: 0x43, FSTORE_1: 0x44, FSTORE_2: 0x45, FSTORE_3: 0x46, DSTORE_0: 0x47, DSTORE_1: 0x48, DSTORE_2: 0x49, DSTORE_3: 0x4a,
  ASTORE_0: 0x4b, ASTORE_1: 0x4c, ASTORE_2: 0x4d, ASTORE_3: 0x4e,
  IASTORE: 0x4f, LASTORE: 0x50, FASTORE: 0x51, DASTORE: 0x52, AASTORE: 0x53, BASTORE: 0x54, CASTORE: 0x55, SASTORE: 0x56,
  POP: 0x57, POP2: 0x58, DUP: 0x59, DUP_X1: 0x5a, DUP_X2: 0x5b, DUP2: 0x5c, DUP2_X1: 0x5d, DUP2_X2: 0x5e, SWAP: 0x5f,
  IADD: 0x60, LADD: 0x61, FADD: 0x62, DADD: 0x63, ISUB: 0x64, LSUB: 0x65, FSUB: 0x66, DSUB: 0x67,
  IMUL: 0x68, LMUL: 0x69, FMUL: 0x6a, DMUL: 0x6b, IDIV: 0x6c, LDIV: 0x6d, FDIV: 0x6e, DDIV: 0x6f,
  IREM: 0x70, LREM: 0x71, FREM: 0x72, DREM: 0x73, INEG: 0x74, LNEG: 0x75, FNEG: 0x76, DNEG: 0x77,
  ISHL: 0x78, LSHL: 0x79, ISHR: 0x7a, LSHR: 0x7b, IUSHR: 0x7c, LUSHR: 0x7d, IAND: 0x7e, LAND: 0x7f,
  IOR: 0x80, LOR: 0x81, IXOR: 0x82, LXOR: 0x83, IINC: 0x84,
  I2L: 0x85, I2F: 0x86, I2D: 0x87, L2I: 0x88, L2F: 0x89, L2D: 0x8a, F2I: 0x8b, F2L: 0x8c, F2D: 0x8d,
  D2I: 0x8e, D2L: 0x8f, D2F: 0x90, I2B: 0x91, I2C: 0x92, I2S: 0x93,
  LCMP: 0x94, FCMPL: 0x95, FCMPG: 0x96, DCMPL: 0x97, DCMPG: 0x98,
  IFEQ: 0x99, IFNE: 0x9a, IFLT: 0x9b, IFGE: 0x9c, IFGT: 0x9d, IFLE: 0x9e,
  IF_ICMPEQ: 0x9f, IF_ICMPNE: 0xa0, IF_ICMPLT: 0xa1, IF_ICMPGE: 0xa2, IF_ICMPGT: 0xa3, IF_ICMPLE: 0xa4,
  IF_ACMPEQ: 0xa5, IF_ACMPNE: 0xa6, GOTO: 0xa7, JSR: 0xa8, RET: 0xa9, TABLESWITCH: 0xaa, LOOKUPSWITCH: 0xab,
  IRETURN: 0xac, LRETURN: 0xad, FRETURN: 0xae, DRETURN: 0xaf, ARETURN: 0xb0, RETURN: 0xb1,
  GETSTATIC: 0xb2, PUTSTATIC: 0xb3, GETFIELD: 0xb4, PUTFIELD: 0xb5,
  INVOKEVIRTUAL: 0xb6, INVOKESPECIAL: 0xb7, INVOKESTATIC: 0xb8, INVOKEINTERFACE: 0xb9, INVOKEDYNAMIC: 0xba,
  NEW: 0xbb, NEWARRAY: 0xbc, ANEWARRAY: 0xbd, ARRAYLENGTH: 0xbe, ATHROW: 0xbf, CHECKCAST: 0xc0, INSTANCEOF: 0xc1,
  MONITORENTER: 0xc2, MONITOREXIT: 0xc3, WIDE: 0xc4, MULTIANEWARRAY: 0xc5, IFNULL: 0xc6, IFNONNULL: 0xc7,
  GOTO_W: 0xc8, JSR_W: 0xc9,
} as const;

/** newarray atype codes (JVMS 6.5 newarray, Table 6.5.newarray-A). */
export const ArrayType = { BOOLEAN: 4, CHAR: 5, FLOAT: 6, DOUBLE: 7, BYTE: 8, SHORT: 9, INT: 10, LONG: 11 } as const;

/** Opcodes `wide` may modify (JVMS 6.5 wide). */
export function isWideable(op: number): boolean {
  return (op >= 0x15 && op <= 0x19) || (op >= 0x36 && op <= 0x3a) || op === 0xa9 || op === 0x84;
}
