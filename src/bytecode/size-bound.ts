/**
 * Upper bounds on encoded instruction sizes (JVMS 6.5 formats), for planning before
 * the encoder has laid anything out: the partitioner sums them to keep pieces under
 * a byte limit whatever the encoder later chooses. Bounds assume the widest form a
 * position can force: wide locals and iinc, ldc_w, goto_w / jsr_w (5 bytes), a
 * far conditional rewritten as an inverted branch over goto_w (8 bytes), and the
 * maximum switch padding (3 bytes). Cost: O(1) per instruction.
 */
import { type CodeNode, type Instruction, isInstruction } from "./model.js";

export function maxEncodedSize(insn: Instruction): number {
  switch (insn.kind) {
    case "simple":
      return 1;
    case "local":
      return insn.index <= 3 && insn.op !== 0xa9 ? 1 : insn.index <= 255 ? 2 : 4;
    case "iinc":
      return insn.index <= 255 && insn.delta >= -128 && insn.delta <= 127 ? 3 : 6;
    case "int":
      return insn.op === 0x11 ? 3 : 2;
    case "cp":
      return insn.op === 0x12 ? (insn.index <= 255 ? 2 : 3) : 3;
    case "invokeinterface":
    case "invokedynamic":
      return 5;
    case "multianewarray":
      return 4;
    case "jump":
      return insn.op === 0xa7 || insn.op === 0xa8 ? 5 : 8;
    case "tableswitch":
      return 1 + 3 + 12 + 4 * insn.targets.length;
    case "lookupswitch":
      return 1 + 3 + 8 + 8 * insn.targets.length;
  }
}

/** An upper bound of the encoded length of `nodes` (`maxEncodedSize` per instruction). */
export function maxCodeSize(nodes: readonly CodeNode[]): number {
  let bytes = 0;
  for (let i = 0; i < nodes.length; i++) {
    const n = nodes[i]!;
    if (isInstruction(n)) bytes += maxEncodedSize(n);
  }
  return bytes;
}
