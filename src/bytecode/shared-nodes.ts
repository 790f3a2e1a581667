/**
 * One node object per distinct operand-only instruction of a body being decoded
 * (JVMS 6.5 instructions whose operands are a local index, an immediate or a
 * constant-pool index): `decode.ts` asks here instead of allocating a node per
 * occurrence, so the thousands of `iload 1`, `iadd` or `ldc #12` of a generated
 * method share one object each.
 *
 * Nodes are values (model.ts): no pass mutates one or tells two equal nodes
 * apart by identity; a pass that changes an instruction writes a new node (the
 * block copier renumbering a local). Sharing them is therefore invisible to
 * every pass and to the encoder, and it is what the decoded body of a method of
 * many megabytes spends most of its heap on (the 1 MB template generator: 560,000
 * of its 826,000 nodes are one of about 1,000 distinct instructions).
 *
 * Shared nodes are frozen: a pass that wrote one in place would change every
 * occurrence, so it throws instead (a TypeError in these strict modules, an
 * internal error to the user), and freezing the few distinct nodes costs nothing.
 *
 * Labels, lines, frames, jumps and switches are not shared: each is distinct by
 * its label or position. A table lives for one decode (no global cache); the
 * block copier of the linker (passes/link/blocks.ts) keeps one for the loads and
 * stores it renumbers, and every body a linker writes (`newBody` there) gets one
 * for its stubs' loads, stores and pushes.
 */
import type { CodeNode, Instruction } from "./model.js";

type Simple = Extract<Instruction, { kind: "simple" }>;
type Local = Extract<Instruction, { kind: "local" }>;
type Int = Extract<Instruction, { kind: "int" }>;
type Cp = Extract<Instruction, { kind: "cp" }>;

/** Per decode: the shared node of each operand-only instruction met so far. */
export class SharedNodes {
  private readonly simples: (Simple | undefined)[] = new Array<Simple | undefined>(256).fill(undefined);
  private readonly locals = new Map<number, Local>();
  private readonly ints = new Map<number, Int>();
  private readonly cps = new Map<number, Cp>();

  simple(op: number): Simple {
    return (this.simples[op] ??= Object.freeze({ kind: "simple", op }) as Simple);
  }

  /** `op` (0..255) with a local index (0..65535; a larger one, which the encoder refuses, is not shared). */
  local(op: number, index: number): Local {
    if (index > 0xffff) return { kind: "local", op, index };
    const key = op * 65536 + index;
    let n = this.locals.get(key);
    if (n === undefined) this.locals.set(key, (n = Object.freeze({ kind: "local", op, index }) as Local));
    return n;
  }

  /** bipush, sipush or newarray: `value` in -32768..32767. */
  int(op: number, value: number): Int {
    const key = op * 65536 + (value + 32768);
    let n = this.ints.get(key);
    if (n === undefined) this.ints.set(key, (n = Object.freeze({ kind: "int", op, value }) as Int));
    return n;
  }

  /** `node` itself, or the shared node equal to it when it is an operand-only instruction with operands in range. */
  of(node: CodeNode): CodeNode {
    switch (node.kind) {
      case "simple":
        return this.simple(node.op);
      case "local":
        return this.local(node.op, node.index);
      case "int":
        return node.value >= -32768 && node.value <= 32767 ? this.int(node.op, node.value) : node;
      case "cp":
        return node.index >= 0 && node.index <= 0xffff ? this.cp(node.op, node.index) : node;
      default:
        return node;
    }
  }

  /** `op` (0..255) with a constant-pool index (1..65535). */
  cp(op: number, index: number): Cp {
    const key = op * 65536 + index;
    let n = this.cps.get(key);
    if (n === undefined) this.cps.set(key, (n = Object.freeze({ kind: "cp", op, index }) as Cp));
    return n;
  }
}
