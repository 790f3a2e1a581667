/**
 * The operand stack of the WebAssembly CFG builder, split between the real stack
 * and spill locals. The abstract stack (`types`, bottom first) is the one of the
 * spec's validation algorithm; its bottom `base` slots are *in locals* and the
 * rest are *materialized* (on the real Wasm stack of the block being built, in
 * order). At a block start every slot is in a local (`base === types.length`), which
 * is how the CFG's invariant (an empty stack at every block entry) is kept.
 *
 * Spill locals: slot `p` holding a value of type `t` lives in the local keyed
 * (p, t), of type `t` made nullable (a non-nullable reference gets
 * `ref.as_non_null` after its reload). Position keys are safe because a position
 * holds one value at a time on any one path: the value at p is popped before
 * another is pushed at p, and the only place two paths disagree about position p
 * (a taken `br_if` edge that moves branch values down to the label's height) gets
 * a block of its own (cfg-build.ts). So the added locals number at most (maximum
 * height at a block boundary) x (distinct types), not one per boundary.
 *
 * Invariant: for every slot p < base, the value is in local (p, types[p]).
 * Reloads are lazy: a slot goes back on the real stack only when an instruction
 * pops it, so a value that waits below a nested block costs one store and one load.
 */
import { opInfo, type OpInfo } from "../../src/wasm/opcodes.js";
import type { Instr } from "../../src/wasm/instructions.js";
import type { ValType } from "../../src/wasm/types.js";
import { assert } from "../../src/diagnostics.js";
import { isNonNullable, nullableOf, typeKey } from "./stack-types.js";

function op(code: number): OpInfo {
  const o = opInfo(0, code);
  assert(o, `opcode 0x${code.toString(16)} missing from the table`);
  return o;
}

const LOCAL_GET = op(0x20);
const LOCAL_SET = op(0x21);
const DROP: Instr = { op: op(0x1a), imm: undefined };
const AS_NON_NULL: Instr = { op: op(0xd4), imm: undefined };

/** Shared `local.get i` / `local.set i` instructions (immutable, so one object per local). */
export class LocalInstrs {
  private readonly gets: Instr[] = [];
  private readonly sets: Instr[] = [];
  get(i: number): Instr {
    return (this.gets[i] ??= { op: LOCAL_GET, imm: i });
  }
  set(i: number): Instr {
    return (this.sets[i] ??= { op: LOCAL_SET, imm: i });
  }
}

export class OperandStack {
  /** The abstract stack's types, bottom first. */
  readonly types: ValType[] = [];
  /** Slots [0, base) are in their spill locals; [base, types.length) on the real stack. */
  base = 0;
  /** Where instructions go: the code of the block being built. */
  out: Instr[] = [];
  /** Types of the locals added so far (their indices start at `firstAdded`). */
  readonly addedTypes: ValType[] = [];
  private readonly spillLocals: Map<number | string, number>[] = [];

  constructor(
    readonly firstAdded: number,
    readonly instrs: LocalInstrs,
  ) {}

  get height(): number {
    return this.types.length;
  }

  /** The spill local of position `p` for a value of type `t`. */
  localFor(p: number, t: ValType): number {
    const stored = nullableOf(t);
    const key = typeKey(stored);
    const byType = (this.spillLocals[p] ??= new Map());
    let local = byType.get(key);
    if (local === undefined) {
      local = this.firstAdded + this.addedTypes.length;
      this.addedTypes.push(stored);
      byType.set(key, local);
    }
    return local;
  }

  /** Emits the store of the real stack's top (slot p) into its own spill local. */
  private store(p: number): void {
    this.out.push(this.instrs.set(this.localFor(p, this.types[p]!)));
  }

  private reload(p: number): void {
    const t = this.types[p]!;
    this.out.push(this.instrs.get(this.localFor(p, t)));
    if (isNonNullable(t)) this.out.push(AS_NON_NULL);
  }

  /** Stores every materialized slot into its own local (the real stack becomes empty). */
  spillAll(): void {
    for (let p = this.types.length - 1; p >= this.base; p--) this.store(p);
    this.base = this.types.length;
  }

  /** Drops every materialized slot (their values are dead). */
  dropAll(): void {
    for (let p = this.types.length - 1; p >= this.base; p--) this.out.push(DROP);
    this.base = this.types.length;
  }

  /** Makes sure the top `k` slots are on the real stack (an instruction is about to pop them). */
  materializeTop(k: number): void {
    const n = this.types.length;
    if (n - this.base >= k) return;
    this.spillAll();
    for (let p = n - k; p < n; p++) this.reload(p);
    this.base = n - k;
  }

  /**
   * Makes the real stack hold exactly the top `k` slots: the ones below are stored
   * in their locals, or dropped when `dropBelow` (a return, a tail call).
   */
  exactTop(k: number, dropBelow: boolean): void {
    const n = this.types.length;
    if (n - this.base === k) return;
    if (n - this.base < k) {
      this.materializeTop(k);
      return;
    }
    for (let p = n - 1; p >= n - k; p--) this.store(p);
    for (let p = n - k - 1; p >= this.base; p--) {
      if (dropBelow) this.out.push(DROP);
      else this.store(p);
    }
    for (let p = n - k; p < n; p++) this.reload(p);
    this.base = n - k;
  }

  /** Emits `local.get from; local.set to` into `code`. */
  copy(code: Instr[], from: number, to: number): void {
    code.push(this.instrs.get(from), this.instrs.set(to));
  }

  pushDrop(): void {
    this.out.push(DROP);
  }

  storeTo(local: number): void {
    this.out.push(this.instrs.set(local));
  }

  /** Sets the stack to `types[0, height)` followed by `top`, everything in locals (a block start). */
  resetTo(height: number, top: readonly ValType[]): void {
    this.types.length = height;
    for (const t of top) this.types.push(t);
    this.base = this.types.length;
  }
}
