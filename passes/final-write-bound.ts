/**
 * The lower bound behind a final-field refusal: how many bytes the writes of a
 * class's own final fields take at the least in the one method allowed to run
 * them (`<clinit>` for static, `<init>` for instance fields, since class version
 * 53: JVMS 6.5 putfield/putstatic). If the bound exceeds the size limit, no
 * split can leave that method under the limit, whatever the partition.
 *
 * Counted per write (one putfield/putstatic of an own final field, in code order):
 * - the store itself, 3 bytes;
 * - for putfield, the receiver: 1 byte (`aload_0`);
 * - its value: the cheaper of the value's own code (the instructions since the
 *   previous such write, receiver excepted, at their shortest encoding) and a call
 *   that returns it (3 bytes, plus 1 byte for each distinct local that code reads,
 *   passed as an argument).
 * Plus 1 byte for the method's return. The model is that of every split megasplit
 * (or a compiler) can make: a value leaves the method only through a call; it does
 * not count values stashed in static fields or dynamic constants (`ldc` of a
 * CONSTANT_Dynamic), which would change what the class shares between threads or
 * needs class version 55. Cost: one pass over the body.
 */
import type { Instruction, MethodBody } from "../src/bytecode/model.js";
import { Op } from "../src/bytecode/opcodes.js";
import { maxEncodedSize } from "../src/bytecode/size-bound.js";
import type { ConstantPool } from "../src/classfile/constant-pool.js";
import { isInstruction } from "./cfg.js";

export interface FinalWriteBound {
  /** Stores of the class's own final fields in the method. */
  writes: number;
  /** Distinct final fields they write. */
  fields: number;
  /** The fewest bytes any one write takes. */
  fewestPerWrite: number;
  /** The sum over every write, plus the return: no split of the method is shorter. */
  bound: number;
}

/** Shortest encoding of an instruction (branches 3 bytes, switches without padding). */
function minEncodedSize(insn: Instruction): number {
  switch (insn.kind) {
    case "jump":
      return insn.op === Op.GOTO_W || insn.op === Op.JSR_W ? 5 : 3;
    case "tableswitch":
    case "lookupswitch":
      return maxEncodedSize(insn) - 3;
    default:
      return maxEncodedSize(insn);
  }
}

const isLoad = (insn: Instruction): boolean => insn.kind === "local" && insn.op >= Op.ILOAD && insn.op <= Op.ALOAD;

/** Undefined when the method writes none of the class's final fields. */
export function finalWriteBound(body: MethodBody, cp: ConstantPool, className: string, finals: ReadonlySet<string>): FinalWriteBound | undefined {
  let writes = 0;
  let total = 1; // the return
  let fewest = Infinity;
  const fields = new Set<string>();
  // The code since the previous write: its bytes, the locals it loads (with counts), its first instruction.
  let valueBytes = 0;
  const reads = new Map<number, number>();
  let first: Instruction | undefined;
  // An index loop: for-of over a whole method's nodes allocated an iterator result per node (gigabytes of garbage at 16 MB).
  for (let ni = 0, allNodes = body.nodes; ni < allNodes.length; ni++) {
    const n = allNodes[ni]!;
    if (!isInstruction(n)) continue;
    const insn = n as Instruction;
    if (insn.kind === "cp" && (insn.op === Op.PUTFIELD || insn.op === Op.PUTSTATIC)) {
      const ref = cp.memberRef(insn.index);
      if (ref.owner === className && finals.has(`${ref.name}:${ref.descriptor}`)) {
        const instance = insn.op === Op.PUTFIELD;
        let bytes = valueBytes;
        // javac pushes the receiver first: it is counted apart, and is not a read of the value.
        if (instance && first?.kind === "local" && first.op === Op.ALOAD && first.index === 0) {
          bytes -= 1;
          reads.set(0, reads.get(0)! - 1);
        }
        const passed = [...reads.values()].filter((c) => c > 0).length;
        const cost = 3 + (instance ? 1 : 0) + Math.min(bytes, 3 + passed);
        writes++;
        fields.add(ref.name);
        total += cost;
        fewest = Math.min(fewest, cost);
        valueBytes = 0;
        reads.clear();
        first = undefined;
        continue;
      }
    }
    first ??= insn;
    valueBytes += minEncodedSize(insn);
    if (isLoad(insn) || insn.kind === "iinc") {
      const slot = (insn as { index: number }).index;
      reads.set(slot, (reads.get(slot) ?? 0) + 1);
    }
  }
  if (writes === 0) return undefined;
  return { writes, fields: fields.size, fewestPerWrite: fewest, bound: total };
}

/** The bound in words, for a refusal message. */
export function describeBound(b: FinalWriteBound, limit: number, where: "<clinit>" | "<init>"): string {
  const verdict = b.bound > limit ? `over the limit of ${limit}: no split can fit` : `under the limit of ${limit}`;
  return (
    `${b.writes} write${b.writes === 1 ? "" : "s"} of ${b.fields} final field${b.fields === 1 ? "" : "s"} that only ${where} may execute ` +
    `(class version 53+) take at least ${b.bound} bytes there (each its store, receiver and the cheaper of its value's code ` +
    `or a call returning it: ${b.fewestPerWrite} bytes or more a write, plus the return), ${verdict}`
  );
}
