/**
 * Re-emits blocks of a WasmCfg as one structured function body in the simplest
 * form that is always valid, whatever the shape of the graph (irreducible
 * included): a label local and a dispatch loop.
 *
 *     loop $dispatch
 *       block $b(m-1) ... block $b1 block $b0
 *         local.get $label  br_table 0 1 ... m-1
 *       end  code of block 0, its terminator
 *       end  code of block 1, its terminator
 *       ...
 *     end
 *     unreachable
 *
 * A transfer to block j sets `$label` to j and branches to `$dispatch` (or falls
 * through when j is laid out next). `return`, `unreachable` and tail calls are
 * emitted as they are. Blocks are numbered by their position in the layout
 * (`entry` first, so the zero-initialised label starts there). This is the
 * round-trip test of the CFG builder and the linker's fallback for a piece it
 * cannot structure; a transfer to a block outside the emitted set is the caller's
 * (`leave`), which must emit code that leaves the function.
 *
 * The CFG invariant (empty operand stack at block entry) is what makes this
 * valid: every block's code is typed from an empty stack, and its terminator finds
 * exactly its operands. The label local is the body's last local
 * (index `cfg.localTypes.length`).
 */
import type { FuncBody, LocalDecl } from "../../src/wasm/body.js";
import { assert, internalError } from "../../src/diagnostics.js";
import type { Instr } from "../../src/wasm/instructions.js";
import { opInfo, type OpInfo } from "../../src/wasm/opcodes.js";
import { I32, type BlockType, type ValType } from "../../src/wasm/types.js";
import { typeKey } from "./stack-types.js";
import type { Terminator, WasmCfg } from "./wasm-cfg.js";

export interface DispatchOptions {
  /** The code of a transfer from block `from` to `target`, which is not emitted here; it must leave the function. */
  readonly leave?: (from: number, target: number) => readonly Instr[];
}

function op(code: number): OpInfo {
  const o = opInfo(0, code);
  assert(o, `opcode 0x${code.toString(16)} missing from the table`);
  return o;
}

const EMPTY_BLOCK: BlockType = { kind: "empty" };
const BLOCK: Instr = { op: op(0x02), imm: EMPTY_BLOCK };
const LOOP: Instr = { op: op(0x03), imm: EMPTY_BLOCK };
const IF: Instr = { op: op(0x04), imm: EMPTY_BLOCK };
const ELSE: Instr = { op: op(0x05), imm: undefined };
const END: Instr = { op: op(0x0b), imm: undefined };
const UNREACHABLE: Instr = { op: op(0x00), imm: undefined };
const RETURN: Instr = { op: op(0x0f), imm: undefined };
const BR = op(0x0c);
const BR_TABLE = op(0x0e);
const I32_CONST = op(0x41);
const I32_LT_U: Instr = { op: op(0x49), imm: undefined };
const I32_SUB: Instr = { op: op(0x6b), imm: undefined };
const I32_EQZ: Instr = { op: op(0x45), imm: undefined };

/** The most labels V8 takes in one br_table (kV8MaxWasmFunctionBrTableSize). */
export const MAX_BR_TABLE = 65520;
const LOCAL_GET = op(0x20);
const LOCAL_SET = op(0x21);

/** Run-length local declarations of `types`. */
export function localDecls(types: readonly ValType[]): LocalDecl[] {
  const out: LocalDecl[] = [];
  for (const t of types) {
    const last = out[out.length - 1];
    if (last && typeKey(last.type) === typeKey(t)) out[out.length - 1] = { count: last.count + 1, type: t };
    else out.push({ count: 1, type: t });
  }
  return out;
}

class DispatchEmitter {
  readonly code: Instr[] = [];
  private readonly slot: Int32Array;
  private readonly setLabel: Instr;
  private readonly getLabel: Instr;
  private readonly brs: Instr[] = [];
  constructor(
    private readonly cfg: WasmCfg,
    private readonly order: readonly number[],
    private readonly opts: DispatchOptions,
  ) {
    this.slot = new Int32Array(cfg.blockCount).fill(-1);
    order.forEach((b, i) => (this.slot[b] = i));
    const label = cfg.localTypes.length;
    this.setLabel = { op: LOCAL_SET, imm: label };
    this.getLabel = { op: LOCAL_GET, imm: label };
  }

  private br(depth: number): Instr {
    return (this.brs[depth] ??= { op: BR, imm: depth });
  }

  /** A transfer from layout position `i` to block `target`, `depth` labels inside the dispatch loop. */
  private edge(i: number, target: number, depth: number, mayFallThrough: boolean): void {
    const j = this.slot[target]!;
    if (j < 0) {
      if (!this.opts.leave) internalError(`block ${target} is outside the emitted set and no leave hook was given`);
      for (const ins of this.opts.leave(this.order[i]!, target)) this.code.push(ins);
      return;
    }
    if (mayFallThrough && j === i + 1) return;
    this.code.push({ op: I32_CONST, imm: j }, this.setLabel, this.br(depth));
  }

  private terminator(i: number, t: Terminator, depth: number): void {
    switch (t.kind) {
      case "goto":
        return this.edge(i, t.target, depth, true);
      case "if":
        if (this.slot[t.else] === i + 1) {
          // the false arm falls through to the next block
          this.code.push(IF);
          this.edge(i, t.then, depth + 1, false);
          this.code.push(END);
        } else if (this.slot[t.then] === i + 1) {
          this.code.push(I32_EQZ, IF);
          this.edge(i, t.else, depth + 1, false);
          this.code.push(END);
        } else {
          this.code.push(IF);
          this.edge(i, t.then, depth + 1, false);
          this.code.push(ELSE);
          this.edge(i, t.else, depth + 1, false);
          this.code.push(END);
        }
        return;
      case "table":
        return this.table(i, t.targets, t.default, depth);
      case "return":
        this.code.push(RETURN);
        return;
      case "unreachable":
        this.code.push(UNREACHABLE);
        return;
      case "tail":
        this.code.push(t.instr);
        return;
    }
  }

  /** One nested block per distinct target; a br_table picks the block whose end leads to the target's edge. */
  private table(i: number, targets: readonly number[], dflt: number, depth: number): void {
    const cases: number[] = [];
    const caseOf = new Map<number, number>();
    const caseIndex = (b: number): number => {
      let c = caseOf.get(b);
      if (c === undefined) {
        c = cases.length;
        cases.push(b);
        caseOf.set(b, c);
      }
      return c;
    };
    const labels = targets.map(caseIndex);
    const d = caseIndex(dflt);
    const k = cases.length;
    this.code.push(this.setLabel);
    for (let c = 0; c < k; c++) this.code.push(BLOCK);
    this.code.push(this.getLabel, { op: BR_TABLE, imm: { labels, default: d } });
    for (let c = 0; c < k; c++) {
      this.code.push(END);
      this.edge(i, cases[c]!, depth + (k - 1 - c), false);
    }
  }

  /**
   * The jump from the label to block `label`'s position: one br_table, or for
   * more than {@link MAX_BR_TABLE} blocks one per chunk, each but the last behind
   * an `if` on the label's range (so one label deeper).
   */
  private dispatchTables(m: number): void {
    for (let lo = 0; lo < m; lo += MAX_BR_TABLE) {
      const hi = Math.min(m, lo + MAX_BR_TABLE);
      const last = hi === m;
      const deeper = last ? 0 : 1;
      if (!last) this.code.push(this.getLabel, { op: I32_CONST, imm: hi }, I32_LT_U, IF);
      this.code.push(this.getLabel);
      if (lo > 0) this.code.push({ op: I32_CONST, imm: lo }, I32_SUB);
      const labels: number[] = new Array(hi - lo);
      for (let i = lo; i < hi; i++) labels[i - lo] = i + deeper;
      this.code.push({ op: BR_TABLE, imm: { labels, default: hi - 1 + deeper } });
      if (!last) this.code.push(END);
    }
  }

  emit(): void {
    const m = this.order.length;
    this.code.push(LOOP);
    for (let i = 0; i < m; i++) this.code.push(BLOCK);
    this.dispatchTables(m);
    for (let i = 0; i < m; i++) {
      this.code.push(END);
      const b = this.cfg.blocks[this.order[i]!]!;
      for (const ins of b.code) this.code.push(ins);
      this.terminator(i, b.term, m - 1 - i);
    }
    this.code.push(END, UNREACHABLE, END);
  }
}

/**
 * One function body running `blocks` of `cfg` from `entry` (which must be among
 * them) through a dispatch loop; transfers to other blocks are `opts.leave`'s.
 */
export function emitDispatch(cfg: WasmCfg, blocks: readonly number[], entry: number, opts: DispatchOptions = {}): FuncBody {
  assert(blocks.includes(entry), `entry block ${entry} is not among the blocks to emit`);
  const order = [entry, ...blocks.filter((b) => b !== entry)];
  const e = new DispatchEmitter(cfg, order, opts);
  e.emit();
  const locals = localDecls([...cfg.localTypes.slice(cfg.paramCount), I32]);
  return { locals, code: e.code };
}

/** The whole CFG (its reachable blocks, in reverse postorder) as one dispatch-loop body. */
export function emitWholeDispatch(cfg: WasmCfg): FuncBody {
  return emitDispatch(cfg, Array.from(cfg.reversePostorder), 0);
}
