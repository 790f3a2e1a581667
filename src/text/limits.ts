/**
 * max_stack and max_locals for assembled methods that give no `.limit` (JVMS
 * 4.7.3): what plain Jasmin input relies on.
 *
 * max_locals covers the parameters (`this` included), every local an instruction
 * or a local-variable row touches, long/double taking two slots. max_stack is the
 * largest operand-stack depth reached by a walk over the control flow from the
 * entry and every handler (depth 1 at a handler), with stack effects from the
 * opcode table and, for field, invoke and multianewarray instructions, from the
 * descriptors (JVMS 4.10.1.9). Unreachable code does not count. jsr pushes its
 * return address at the target; control after jsr resumes at the depth before it.
 * Where heights differ at a join the larger one counts; no path without a cycle
 * can be deeper than one slot per push in the method, so a depth past that bound
 * is a loop that grows the stack on every turn (unverifiable code, which the walk
 * would otherwise follow for ever): E_FRAME. Cost: O(instructions + edges) when
 * heights agree at every join (all verifiable code); at most O(instructions x
 * bound) otherwise.
 */
import type { ConstantPool } from "../classfile/constant-pool.js";
import { ErrorCodes, MegasplitError, type Location } from "../diagnostics.js";
import { isInstruction, type Instruction, type Label, type MethodBody } from "../bytecode/model.js";
import { OPCODES, OpFlag, Op, VARIABLE_STACK } from "../bytecode/opcodes.js";

/** Slots of one field descriptor, or of a method descriptor's parameters and return type. */
export function descriptorSlots(desc: string): { args: number; ret: number } {
  if (!desc.startsWith("(")) return { args: 0, ret: desc === "J" || desc === "D" ? 2 : desc === "V" ? 0 : 1 };
  let args = 0;
  let i = 1;
  while (i < desc.length && desc[i] !== ")") {
    const c = desc[i]!;
    if (c === "J" || c === "D") {
      args += 2;
      i++;
      continue;
    }
    args += 1;
    while (desc[i] === "[") i++;
    if (desc[i] === "L") {
      const semi = desc.indexOf(";", i);
      i = semi < 0 ? desc.length : semi + 1;
    } else i++;
  }
  const r = desc.slice(i + 1);
  return { args, ret: r === "J" || r === "D" ? 2 : r === "V" ? 0 : 1 };
}

export function computeMaxLocals(body: MethodBody, descriptor: string, isStatic: boolean): number {
  let max = descriptorSlots(descriptor).args + (isStatic ? 0 : 1);
  const touch = (n: number): void => {
    if (n > max) max = n;
  };
  // An index loop: for-of over a whole method's nodes allocated an iterator result per node (gigabytes of garbage at 16 MB).
  for (let ni = 0, allNodes = body.nodes; ni < allNodes.length; ni++) {
    const n = allNodes[ni]!;
    if (n.kind === "local") {
      const wide = n.op === Op.LLOAD || n.op === Op.DLOAD || n.op === Op.LSTORE || n.op === Op.DSTORE;
      touch(n.index + (wide ? 2 : 1));
    } else if (n.kind === "iinc") touch(n.index + 1);
  }
  return max;
}

export function computeMaxStack(body: MethodBody, cp: ConstantPool, where: Location = {}): number {
  // Depths are kept per node index, and a label resolves to the first instruction at
  // or after it, so no list of the instructions is built: at 16 MB of bytecode that
  // list (and its growth) was a third of the heap building a method through addMethod.
  const nodes = body.nodes;
  const n = nodes.length;
  const labelAt = new Int32Array(body.labelCount).fill(-1);
  for (let ni = n - 1, next = n; ni >= 0; ni--) {
    const node = nodes[ni]!;
    if (isInstruction(node)) next = ni;
    else if (node.kind === "label") labelAt[node.label] = next;
  }
  const depth = new Int32Array(n).fill(-1);
  const work: number[] = [];
  let max = 0;
  // The deepest an acyclic path can go: a handler's one slot plus every push.
  let bound = 1;
  for (let ni = 0; ni < n; ni++) {
    const node = nodes[ni]!;
    if (isInstruction(node)) bound += Math.max(0, effect(node, cp));
  }
  /** The instruction at node index `at` or the first after it; `n` past the last. */
  const instructionFrom = (at: number): number => {
    while (at < n && !isInstruction(nodes[at]!)) at++;
    return at;
  };
  const reach = (at: number, d: number): void => {
    if (at < 0 || at >= n || depth[at]! >= d) return;
    if (d > bound) {
      throw new MegasplitError(ErrorCodes.FRAME, `the operand stack grows on every turn of a loop (stack heights differ where control flow joins, past ${bound} slots); no max_stack fits, give .limit stack`, where);
    }
    depth[at] = d;
    if (d > max) max = d;
    work.push(at);
  };
  const target = (l: Label): number => labelAt[l] ?? -1;
  reach(instructionFrom(0), 0);
  for (const h of body.handlers) reach(target(h.handler), 1);
  while (work.length > 0) {
    const at = work.pop()!;
    const insn = nodes[at] as Instruction;
    const d = depth[at]!;
    const after = d + effect(insn, cp);
    if (after > max) max = after;
    const op = "op" in insn ? insn.op : insn.kind === "invokeinterface" ? Op.INVOKEINTERFACE : insn.kind === "invokedynamic" ? Op.INVOKEDYNAMIC : insn.kind === "multianewarray" ? Op.MULTIANEWARRAY : insn.kind === "iinc" ? Op.IINC : insn.kind === "tableswitch" ? Op.TABLESWITCH : Op.LOOKUPSWITCH;
    const flags = OPCODES[op]?.flags ?? 0;
    if (insn.kind === "jump") {
      reach(target(insn.target), after);
      if (op === Op.JSR) reach(instructionFrom(at + 1), d);
    } else if (insn.kind === "tableswitch" || insn.kind === "lookupswitch") {
      reach(target(insn.defaultTarget), after);
      const targets = insn.targets;
      for (let k = 0; k < targets.length; k++) reach(target(targets[k]!), after);
    }
    if ((flags & OpFlag.NO_FALLTHROUGH) === 0) reach(instructionFrom(at + 1), after);
  }
  return max;
}

/** Net stack effect in slots. */
function effect(insn: Instruction, cp: ConstantPool): number {
  switch (insn.kind) {
    case "invokeinterface":
      return memberEffect(cp, insn.index, true);
    case "invokedynamic": {
      const e = cp.entries[insn.index];
      if (e?.kind !== "InvokeDynamic") return 0;
      const s = descriptorSlots(cp.nameAndType(e.nameAndTypeIndex).descriptor);
      return s.ret - s.args;
    }
    case "multianewarray":
      return 1 - insn.dims;
    case "iinc":
      return 0;
    case "tableswitch":
    case "lookupswitch":
      return -1;
    default:
      break;
  }
  const row = OPCODES[insn.op];
  if (!row) return 0;
  if (row.pop !== VARIABLE_STACK && row.push !== VARIABLE_STACK) return row.push - row.pop;
  switch (insn.op) {
    case Op.GETSTATIC:
    case Op.PUTSTATIC:
    case Op.GETFIELD:
    case Op.PUTFIELD: {
      if (insn.kind !== "cp") return 0;
      const e = cp.entries[insn.index];
      if (e?.kind !== "Fieldref") return 0;
      const size = descriptorSlots(cp.nameAndType(e.nameAndTypeIndex).descriptor).ret;
      if (insn.op === Op.GETSTATIC) return size;
      if (insn.op === Op.PUTSTATIC) return -size;
      if (insn.op === Op.GETFIELD) return size - 1;
      return -size - 1;
    }
    default:
      return insn.kind === "cp" ? memberEffect(cp, insn.index, insn.op !== Op.INVOKESTATIC) : 0;
  }
}

function memberEffect(cp: ConstantPool, index: number, hasReceiver: boolean): number {
  const e = cp.entries[index];
  if (e?.kind !== "Methodref" && e?.kind !== "InterfaceMethodref") return 0;
  const s = descriptorSlots(cp.nameAndType(e.nameAndTypeIndex).descriptor);
  return s.ret - s.args - (hasReceiver ? 1 : 0);
}
