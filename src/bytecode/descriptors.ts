/**
 * Field and method descriptors (JVMS 4.3): parsing into types, slot counts, and the
 * stack effect of the instructions whose effect depends on one (field access,
 * invoke*, multianewarray). Analyses use `stackEffect` for any instruction; for the
 * rest it reads the opcode table.
 *
 * A "slot" is a local-variable or operand-stack word: long and double take two
 * (JVMS 2.6.1, 2.6.2). Descriptors are cached per string, so repeated lookups on a
 * large method cost one map probe. Malformed descriptors are E_BAD_OPERAND.
 */
import type { ConstantPool } from "../classfile/constant-pool.js";
import { ErrorCodes, MegasplitError } from "../diagnostics.js";
import type { Instruction } from "./model.js";
import { OPCODES, VARIABLE_STACK } from "./opcodes.js";

/** A field descriptor: `I`, `J`, `Ljava/lang/String;`, `[[I`... */
export type FieldDescriptor = string;

export interface MethodDescriptor {
  params: FieldDescriptor[];
  /** `V` for void. */
  returnType: FieldDescriptor;
  /** Slots taken by the parameters (without `this`). */
  paramSlots: number;
  /** Slots of the return value: 0, 1 or 2. */
  returnSlots: number;
}

/** 2 for long and double, 0 for void, 1 for everything else. */
export function slotsOf(d: FieldDescriptor): number {
  const c = d.charCodeAt(0);
  return c === 74 /* J */ || c === 68 /* D */ ? 2 : c === 86 /* V */ ? 0 : 1;
}

/** End index (exclusive) of the field descriptor starting at `i`, or -1 when malformed. */
function fieldEnd(s: string, i: number): number {
  while (s.charCodeAt(i) === 91 /* [ */) i++;
  switch (s[i]) {
    case "B":
    case "C":
    case "D":
    case "F":
    case "I":
    case "J":
    case "S":
    case "Z":
      return i + 1;
    case "L": {
      const semi = s.indexOf(";", i);
      return semi > i + 1 ? semi + 1 : -1;
    }
    default:
      return -1;
  }
}

export function isFieldDescriptor(s: string): boolean {
  return s.length > 0 && fieldEnd(s, 0) === s.length;
}

const methodCache = new Map<string, MethodDescriptor>();

export function parseMethodDescriptor(desc: string): MethodDescriptor {
  const cached = methodCache.get(desc);
  if (cached) return cached;
  if (desc[0] !== "(") throw new MegasplitError(ErrorCodes.BAD_OPERAND, `malformed method descriptor ${desc}`);
  const params: string[] = [];
  let i = 1;
  let paramSlots = 0;
  while (desc[i] !== ")") {
    const end = fieldEnd(desc, i);
    if (end < 0) throw new MegasplitError(ErrorCodes.BAD_OPERAND, `malformed method descriptor ${desc}`);
    const p = desc.slice(i, end);
    params.push(p);
    paramSlots += slotsOf(p);
    i = end;
  }
  const returnType = desc.slice(i + 1);
  if (returnType !== "V" && !isFieldDescriptor(returnType)) throw new MegasplitError(ErrorCodes.BAD_OPERAND, `malformed method descriptor ${desc}`);
  const md: MethodDescriptor = { params, returnType, paramSlots, returnSlots: slotsOf(returnType) };
  methodCache.set(desc, md);
  return md;
}

export interface StackEffect {
  pop: number;
  push: number;
}

/** Slots popped and pushed by an instruction (JVMS 6.5), descriptors resolved through the pool. */
export function stackEffect(insn: Instruction, cp: ConstantPool): StackEffect {
  switch (insn.kind) {
    case "invokeinterface":
    case "invokedynamic":
    case "cp": {
      const op = insn.kind === "invokeinterface" ? 0xb9 : insn.kind === "invokedynamic" ? 0xba : insn.op;
      const row = OPCODES[op]!;
      if (row.pop !== VARIABLE_STACK) return row;
      if (op >= 0xb2 && op <= 0xb5) {
        const size = slotsOf(cp.memberRef(insn.index).descriptor);
        // getstatic, putstatic, getfield, putfield
        return op === 0xb2 ? { pop: 0, push: size } : op === 0xb3 ? { pop: size, push: 0 } : op === 0xb4 ? { pop: 1, push: size } : { pop: 1 + size, push: 0 };
      }
      const descriptor = op === 0xba ? invokeDynamicDescriptor(cp, insn.index) : cp.memberRef(insn.index).descriptor;
      const md = parseMethodDescriptor(descriptor);
      const receiver = op === 0xb8 || op === 0xba ? 0 : 1;
      return { pop: md.paramSlots + receiver, push: md.returnSlots };
    }
    case "multianewarray":
      return { pop: insn.dims, push: 1 };
    case "iinc":
      return { pop: 0, push: 0 };
    case "tableswitch":
    case "lookupswitch":
      return { pop: 1, push: 0 };
    default:
      return OPCODES[insn.op]!;
  }
}

export function invokeDynamicDescriptor(cp: ConstantPool, index: number): string {
  const e = cp.expect(index, "InvokeDynamic");
  return cp.nameAndType(e.nameAndTypeIndex).descriptor;
}
