/**
 * The one instruction printer: an instruction as its mnemonic and operands in our
 * disassembly syntax (JVMS 6.5 operand order), used by the disassembler for method
 * bodies and by the analyses' text views (CFG block headers, liveness, frames).
 *
 * The printer fixes the shape (which operands an instruction has, in which order,
 * labels by the caller's names); an {@link OperandText} decides how operands that
 * point into the constant pool are named, and whether they are shown at all. The
 * disassembler's full form names every operand so the text assembles back; the
 * short form of the block headers names classes and members as `owner/name` and
 * leaves out what would only clutter a one-line header (ldc constants, call sites,
 * switch tables). Cost: linear in the instruction's operands.
 */
import type { Instruction, Label } from "../bytecode/model.js";
import { OPCODES, Op } from "../bytecode/opcodes.js";

/** How one view names pool operands; `undefined` leaves the operand out. */
export interface OperandText {
  /** The operand of a `cp` instruction (ldc, field and method references, class references). */
  cp(op: number, index: number): string | undefined;
  /** invokeinterface's operands (the method reference, and the count when the view shows it). */
  invokeinterface(index: number, count: number): string | undefined;
  invokedynamic(index: number): string | undefined;
  /** multianewarray's class (its dimension count always follows). */
  className(index: number): string | undefined;
  /** newarray's element type. */
  newarrayType(value: number): string;
  /** Whether switches list their cases (one row each, then `default`) or print the mnemonic alone. */
  switchCases: boolean;
}

export function mnemonic(op: number): string {
  return OPCODES[op]?.mnemonic ?? `<opcode ${op}>`;
}

/**
 * The instruction's text: its first line, then (for switches when the view lists
 * cases) one row per case and the default, each starting with `indent`.
 */
export function instructionLines(insn: Instruction, L: (l: Label) => string, operands: OperandText, indent: string): string[] {
  const words = (...ws: (string | undefined)[]): string[] => [ws.filter((w) => w !== undefined).join(" ")];
  switch (insn.kind) {
    case "simple":
      return words(mnemonic(insn.op));
    case "local":
      return words(mnemonic(insn.op), String(insn.index));
    case "iinc":
      return words("iinc", String(insn.index), String(insn.delta));
    case "int":
      return insn.op === Op.NEWARRAY ? words("newarray", operands.newarrayType(insn.value)) : words(mnemonic(insn.op), String(insn.value));
    case "cp":
      return words(mnemonic(insn.op), operands.cp(insn.op, insn.index));
    case "invokeinterface":
      return words("invokeinterface", operands.invokeinterface(insn.index, insn.count));
    case "invokedynamic":
      return words("invokedynamic", operands.invokedynamic(insn.index));
    case "multianewarray":
      return words("multianewarray", operands.className(insn.index), String(insn.dims));
    case "jump":
      return words(mnemonic(insn.op), L(insn.target));
    case "tableswitch":
      if (!operands.switchCases) return words("tableswitch");
      return [`tableswitch ${insn.low} ${insn.high}`, ...insn.targets.map((t) => `${indent}${L(t)}`), `${indent}default : ${L(insn.defaultTarget)}`];
    case "lookupswitch":
      if (!operands.switchCases) return words("lookupswitch");
      return ["lookupswitch", ...insn.keys.map((k, i) => `${indent}${k} : ${L(insn.targets[i]!)}`), `${indent}default : ${L(insn.defaultTarget)}`];
  }
}
