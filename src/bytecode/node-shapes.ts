/**
 * Copies of instruction nodes with one operand changed, written as object
 * literals with the fields in the order `decode.ts` writes them. A spread
 * (`{ ...insn, target }`) gives the copy a hidden class of its own in V8, so a
 * split body mixed decoded and copied nodes of one kind under two shapes and the
 * passes that read them (CFG, frame inference, encoding) saw more shapes per
 * property load. Copies made here have the decoder's field order
 * (test/node-shapes.test.ts checks it). The decoder's loads, stores and pool
 * instructions are frozen shared nodes (shared-nodes.ts), whose frozen shape a
 * copy here does not take: for those kinds the copies share one shape among
 * themselves, not the decoder's.
 */
import type { Instruction, Label } from "./model.js";

type Of<K extends Instruction["kind"]> = Extract<Instruction, { kind: K }>;

/** A jump to `target`. */
export function jumpTo(insn: Of<"jump">, target: Label): Of<"jump"> {
  return { kind: "jump", op: insn.op, target };
}

/** A switch with its targets replaced. */
export function switchTo(insn: Of<"tableswitch"> | Of<"lookupswitch">, defaultTarget: Label, targets: Label[]): Of<"tableswitch"> | Of<"lookupswitch"> {
  if (insn.kind === "tableswitch") return { kind: "tableswitch", low: insn.low, high: insn.high, defaultTarget, targets };
  return { kind: "lookupswitch", defaultTarget, keys: insn.keys, targets };
}

/** A load, store, ret or iinc of local `index` instead. */
export function withLocalIndex<T extends Of<"local"> | Of<"iinc">>(insn: T, index: number): T;
export function withLocalIndex(insn: Of<"local"> | Of<"iinc">, index: number): Of<"local"> | Of<"iinc"> {
  if (insn.kind === "local") return { kind: "local", op: insn.op, index };
  return { kind: "iinc", index, delta: insn.delta };
}

/** An instruction naming constant-pool entry `index` instead. */
export function withPoolIndex(insn: Of<"cp"> | Of<"invokeinterface"> | Of<"invokedynamic"> | Of<"multianewarray">, index: number): Instruction {
  switch (insn.kind) {
    case "cp":
      return { kind: "cp", op: insn.op, index };
    case "invokeinterface":
      return { kind: "invokeinterface", index, count: insn.count };
    case "invokedynamic":
      return { kind: "invokedynamic", index };
    case "multianewarray":
      return { kind: "multianewarray", index, dims: insn.dims };
  }
}
