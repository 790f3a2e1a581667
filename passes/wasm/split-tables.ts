/**
 * Splits the huge `br_table`s of a WasmCfg (wasm-cfg.ts) into trees of small
 * ones, so that an interpreter's dispatch block, whose every case is an exit of
 * that one block, can be spread over pieces (issue 14). Without it a block ending
 * in a table over 9,362 cases needs a stub per case in whatever piece holds it,
 * and fits in none.
 *
 * Core spec, "Control Instructions", `br_table l* l_N`: it pops an i32 `i` and
 * branches to `l*[i]` when `i` (unsigned) is below the table's length, else to
 * `l_N`. A table whose entries and exit stubs (priced as link-costs.ts prices
 * them, with the live values of each target) exceed a quarter of the function
 * limit becomes a tree of tables. Its upper levels have fan-out F, the largest
 * power of two whose table with F exit stubs fits that quarter; its lowest level
 * has fan-out L <= F, the largest power of two whose every run of L consecutive
 * cases (the code only the case's target leads to: exclusive-regions.ts) fits it
 * too, so a table of the lowest level goes into a piece with its cases (the
 * caller gets those tables, `leaves`, for the partition to keep each with its
 * cases). The root's fan-out R >= F is chosen as F is but against half the limit
 * instead of a quarter (the root stays in the piece of the code before it): when N / L lowest tables are at most R, the
 * root branches to them directly (a bucket switch, `key >> log2 L`, over one table
 * per bucket), so a step of an interpreter whose root sits in the loop's piece
 * makes one transfer into its bucket's piece and one back, not one more through a
 * middle level (bench/wasm at 6.6 MB: 2.53 function entries a step with three
 * levels, BENCHMARKS.md). Fan-outs are powers of two so that a level's index is a
 * shift and a mask of the original one:
 * - the original block keeps its code, then `local.tee $k; i32.const s;
 *   i32.shr_u` and a table over its subtrees, each covering 2^s consecutive
 *   indices (s = log2 L + j log2 F, the smallest giving at most R subtrees);
 * - each new block does `local.get $k; [i32.const s'; i32.shr_u;] i32.const
 *   2^(s-s')-1; i32.and` and a table over its own subtrees (2^s' indices each),
 *   and the lowest level's tables (s' = 0) branch to the original targets.
 * Every table of the tree has the original default as its own default, and a
 * subtree past the last index is that default, so every index at or past N (a
 * negative i32 is a huge unsigned one) still reaches the default; a subtree whose
 * indices all go to one block is that block itself. `$k` is one i32 local added
 * after the others, shared by all trees of the function (each tree writes it
 * before reading it). New blocks are appended in depth-first order; the block
 * graph is recomputed (cfg-graph.ts); liveness must be computed on the result.
 * Deterministic. Cost: per table split, O(targets x (tree depth + log F)) and
 * one exclusive-regions pass O(blocks + edges); one liveness pass (liveness.ts)
 * when some table might be over its budget.
 */
import { assert } from "../../src/diagnostics.js";
import { WasmWriter } from "../../src/wasm/binary-writer.js";
import type { Instr } from "../../src/wasm/instructions.js";
import { blockGraphOf } from "./cfg-graph.js";
import { exclusiveRegions } from "./exclusive-regions.js";
import { instr } from "./instr.js";
import { codeSize, exitStubBytes, partitionLocalAccess, TABLE_BYTES_PER_TARGET } from "./link-costs.js";
import { liveInLists, wasmLiveness } from "./liveness.js";
import type { Terminator, WasmBlock, WasmCfg } from "./wasm-cfg.js";

type TableTerminator = Extract<Terminator, { kind: "table" }>;

/** The smallest fan-out a tree is built with, whatever the budget. */
const MIN_FAN_OUT = 2;

/** The bytes a table spends on its targets in the piece holding it when every target is an exit: entries plus one stub per distinct target. */
function tableBytes(t: TableTerminator, exitBytes: (target: number) => number): number {
  let bytes = TABLE_BYTES_PER_TARGET * (t.targets.length + 1);
  for (const target of new Set([...t.targets, t.default])) bytes += exitBytes(target);
  return bytes;
}

/** The largest power of two (at least 2) whose table entries and exit stubs of `perTarget` bytes each fit `budget`. */
export function fanOutFor(budget: number, perTarget: number): number {
  let f = MIN_FAN_OUT;
  while (2 * f * perTarget <= budget) f *= 2;
  return f;
}

/** The tree of one table: its new blocks appended to `blocks`, the root's extra code and terminator returned, its lowest tables listed in `leaves`. */
class TableTree {
  private readonly leafBits: number;
  private readonly upperBits: number;
  private readonly rootBits: number;
  constructor(
    private readonly table: TableTerminator,
    fanOut: FanOut,
    private readonly local: number,
    private readonly blocks: WasmBlock[],
    private readonly leaves: number[],
  ) {
    this.leafBits = Math.log2(fanOut.leaf);
    this.upperBits = Math.log2(fanOut.upper);
    this.rootBits = Math.log2(fanOut.root);
    for (const bits of [this.leafBits, this.upperBits, this.rootBits]) assert(Number.isInteger(bits) && bits >= 1, `split-tables: fan-out ${2 ** bits} is not a power of two`);
  }

  /** The shift of the root's index: its subtrees cover 2^shift indices each (the lowest level's L, times the upper F per level above), at most R of them. */
  private rootShift(): number {
    let shift = this.leafBits;
    while (2 ** (shift + this.rootBits) < this.table.targets.length) shift += this.upperBits;
    return shift;
  }

  /** How many bits of the index a table whose subtrees cover 2^shift indices each leaves to its children's tables. */
  private childShift(shift: number): number {
    return shift === this.leafBits ? 0 : shift - this.upperBits;
  }

  /** The root: code appended to the block (the index is on the stack) and its new terminator. */
  root(): { code: Instr[]; term: TableTerminator } {
    const shift = this.rootShift();
    const code = [instr("local.tee", this.local), instr("i32.const", shift), instr("i32.shr_u")];
    const term = this.level(0, shift, 2 ** this.rootBits);
    assert(term.targets.length * 2 ** shift >= this.table.targets.length, "split-tables: the root's table does not cover every index");
    return { code, term };
  }

  /** A table over at most `most` subtrees of 2^shift indices each starting at `lo`. */
  private level(lo: number, shift: number, most: number): TableTerminator {
    const n = this.table.targets.length;
    const span = 2 ** shift;
    const count = Math.min(most, Math.ceil((n - lo) / span));
    const targets: number[] = new Array(count);
    for (let j = 0; j < count; j++) targets[j] = this.subtree(lo + j * span, shift);
    return { kind: "table", targets, default: this.table.default };
  }

  /** The block that indices [lo, lo + 2^shift) branch to: an original target, or a new table of the tree. */
  private subtree(lo: number, shift: number): number {
    const { targets, default: dflt } = this.table;
    if (shift === 0) return targets[lo]!;
    const end = lo + 2 ** shift;
    const same = targets[lo]!;
    let uniform = end <= targets.length || same === dflt;
    for (let i = lo + 1; uniform && i < Math.min(end, targets.length); i++) uniform = targets[i] === same;
    if (uniform) return same;
    const index = this.blocks.length;
    // Reserved before the children so that the tree's blocks come out in depth-first preorder.
    this.blocks.push({ code: [], term: { kind: "unreachable" } });
    const childShift = this.childShift(shift);
    const code = [instr("local.get", this.local)];
    if (childShift > 0) code.push(instr("i32.const", childShift), instr("i32.shr_u"));
    else this.leaves.push(index);
    const fanOut = 2 ** (shift - childShift);
    code.push(instr("i32.const", fanOut - 1), instr("i32.and"));
    this.blocks[index] = { code, term: this.level(lo, childShift, fanOut) };
    return index;
  }
}

/** Fan-outs of a tree: its lowest level's L, its middle levels' F, its root's R (L <= F <= R). */
interface FanOut {
  readonly leaf: number;
  readonly upper: number;
  readonly root: number;
}

/** Bytes of a block as the partition will about price it (link-costs.ts): its code, its terminator, the `block` ... `end` around it. */
function blockBytes(block: WasmBlock, access: number, w: WasmWriter): number {
  const term = block.term.kind === "table" ? TABLE_BYTES_PER_TARGET * (block.term.targets.length + 1) + 2 * access + 6 : 8;
  return codeSize(block.code, access, w) + term + 6;
}

/**
 * The fan-out of the tree of table `t` (in block `b`): the largest power of two
 * whose table with an exit stub per target fits `budget`, and whose every group
 * of F consecutive indices has cases (the code only their targets lead to) that
 * fit `budget` too, so that a table of the lowest level and its cases go into one
 * piece; at least 2.
 */
function fanOutOf(cfg: WasmCfg, b: number, t: TableTerminator, budget: number, exitBytes: (target: number) => number, access: number): FanOut {
  let widest = 0;
  for (const target of new Set([...t.targets, t.default])) widest = Math.max(widest, exitBytes(target));
  const upper = fanOutFor(budget, TABLE_BYTES_PER_TARGET + widest);
  // The root may take half the limit (twice a quarter): it sits in the piece of the code before the table.
  const root = fanOutFor(2 * budget, TABLE_BYTES_PER_TARGET + widest);
  let leaf = upper;
  // Only targets reached from this table alone carry their cases with them.
  const roots = [...new Set(t.targets)].filter((x) => x !== b && cfg.predecessors[x]!.every((p) => p === b || !cfg.reachable[p]));
  const regions = exclusiveRegions(cfg, roots);
  const w = new WasmWriter(true);
  const caseBytes = new Map<number, number>();
  roots.forEach((root, i) => caseBytes.set(root, regions[i]!.reduce((sum, x) => sum + blockBytes(cfg.blocks[x]!, access, w), 0)));
  const widestGroup = (f: number): number => {
    let most = 0;
    for (let lo = 0; lo < t.targets.length; lo += f) {
      let bytes = 0;
      for (const x of new Set(t.targets.slice(lo, lo + f))) bytes += caseBytes.get(x) ?? 0;
      most = Math.max(most, bytes);
    }
    return most;
  };
  while (leaf > MIN_FAN_OUT && widestGroup(leaf) > budget) leaf /= 2;
  return { leaf, upper, root };
}

export interface SplitTables {
  readonly cfg: WasmCfg;
  /** The new blocks whose tables branch to a split table's own targets (the lowest level of each tree). */
  readonly leaves: readonly number[];
  /** The root table of each tree (the terminator that took the split table's place). */
  readonly roots: ReadonlySet<Terminator>;
}

/**
 * `cfg` with every `br_table` whose entries and exit stubs exceed a quarter of
 * `limit` bytes (except those in `keep`: indirect-dispatch.ts writes them) rewritten as a tree of tables that each fit it, and the tree
 * tables of the lowest level; `cfg` itself when no table is that big.
 */
export function splitLargeTables(cfg: WasmCfg, limit: number, keep: ReadonlySet<Terminator> = new Set()): SplitTables {
  const budget = Math.max(1, Math.floor(limit / 4));
  const access = partitionLocalAccess(cfg.localTypes.length + 1);
  const cheapest = exitStubBytes(0, access);
  const isTable = (t: Terminator): t is TableTerminator => t.kind === "table";
  // Liveness only when some table is over budget even with nothing live at its targets.
  if (!cfg.blocks.some((b) => isTable(b.term) && !keep.has(b.term) && tableBytes(b.term, () => cheapest) > budget)) return { cfg, leaves: [], roots: new Set() };
  const liveIn = liveInLists(wasmLiveness(cfg), cfg.blockCount);
  const exitBytes = (target: number): number => exitStubBytes(liveIn[target]!.length, access);
  const blocks = cfg.blocks.slice();
  const leaves: number[] = [];
  const roots = new Set<Terminator>();
  const local = cfg.localTypes.length;
  for (let b = 0; b < cfg.blocks.length; b++) {
    const term = cfg.blocks[b]!.term;
    if (!isTable(term) || !cfg.reachable[b] || keep.has(term) || tableBytes(term, exitBytes) <= budget) continue;
    const fanOut = fanOutOf(cfg, b, term, budget, exitBytes, access);
    if (term.targets.length <= fanOut.upper) continue;
    const root = new TableTree(term, fanOut, local, blocks, leaves).root();
    blocks[b] = { code: [...cfg.blocks[b]!.code, ...root.code], term: root.term };
    roots.add(root.term);
  }
  if (roots.size === 0) return { cfg, leaves: [], roots };
  const split = { ...blockGraphOf(blocks.map((x) => x.term)), blocks, localTypes: [...cfg.localTypes, 0x7f as const], paramCount: cfg.paramCount, results: cfg.results };
  return { cfg: split, leaves, roots };
}
