/**
 * The control-flow graph of a method body: basic blocks over the node list, with
 * normal and exception edges, as side tables indexed by dense block ids.
 *
 * A block is a run of nodes [blockStart, blockEnd) holding at least one
 * instruction. Blocks start at the first instruction, at every label that is a
 * branch or switch target, a handler entry, or a try-range boundary (so every block
 * lies wholly inside or outside each range, JVMS 4.7.3 exception_table), and after
 * every instruction that ends a block (branch, switch, return, athrow, ret, jsr).
 * Pseudo-nodes before a block's first instruction belong to it; pseudo-nodes after
 * the last instruction of the method belong to the last block.
 *
 * Normal successors are in a fixed order: fall-through first, then branch targets
 * in operand order (switch: default, then cases), duplicates removed. jsr has two
 * successors (the subroutine, and the return point after it); `ret` has none:
 * subroutines are inlined by `inline-subroutines` before any analysis that cares.
 * Exception edges go from every block a handler covers to the handler's block, in
 * exception-table order, whether or not the block can throw: the verifier checks
 * handler frames against every instruction in range (JVMS 4.10.1.6).
 *
 * Also computed: reachability from the entry through both kinds of edge, and a
 * reverse postorder of the reachable blocks (iterative DFS: no recursion, so a
 * million-block method is fine). Unreachable blocks are reported as W_UNREACHABLE
 * diagnostics, never silently dropped. Cost: O(nodes + edges).
 */
import { isInstruction, type CodeNode, type Instruction, type MethodBody } from "../src/bytecode/model.js";
import { FLAGS, OpFlag } from "../src/bytecode/opcodes.js";
import type { ConstantPool } from "../src/classfile/constant-pool.js";
import { AssertionError, type Diagnostic, ErrorCodes, type Location, MegasplitError, warning } from "../src/diagnostics.js";
import { labelNames } from "../src/text/disassemble.js";
import { instructionLines, type OperandText } from "../src/text/instruction-text.js";
import type { Pass } from "./pass.js";
import type { BlockGraph } from "./core/block-graph.js";
import { Int32Slab } from "./core/int32-slab.js";

/** The JVM block graph: the neutral `BlockGraph` plus where each block lies in the body. */
export interface ControlFlowGraph extends BlockGraph {
  readonly body: MethodBody;
  readonly blockCount: number;
  /** First node index of each block. */
  readonly blockStart: Int32Array;
  /** One past the last node index of each block. */
  readonly blockEnd: Int32Array;
  /** Node index of each block's last instruction. */
  readonly blockLastInstruction: Int32Array;
  /** Block of every node. */
  readonly blockOfNode: Int32Array;
  /** Node index of every label; -1 for a label that is not placed. */
  readonly labelNode: Int32Array;
  /** Block holding every label; `blockCount` for a label after the last instruction. */
  readonly blockOfLabel: Int32Array;
  /** Normal successors, in the order described above. */
  readonly successors: readonly (readonly number[])[];
  readonly predecessors: readonly (readonly number[])[];
  /** Indices into `body.handlers` of the handlers covering each block, in table order. */
  readonly handlersOf: readonly (readonly number[])[];
  /** Block of each handler's entry. */
  readonly handlerBlock: Int32Array;
  /** Blocks with an exception edge into each block. */
  readonly exceptionPredecessors: readonly (readonly number[])[];
  /** 1 for blocks reachable from the entry. */
  readonly reachable: Uint8Array;
  /** Reachable blocks in reverse postorder (entry first). */
  readonly reversePostorder: Int32Array;
  /** True when control can run past the last instruction (a verifier error). */
  readonly fallsOffEnd: boolean;
}

export const name = "cfg";
export const description = "basic blocks with normal and exception edges, reachability and reverse postorder";

/** Re-exported for the passes that import it from here: the model's own predicate. */
export { isInstruction };

/** Node index of a block's first instruction (a block holds at least one). */
export function firstInstruction(cfg: ControlFlowGraph, b: number): number {
  const nodes = cfg.body.nodes;
  let i = cfg.blockStart[b]!;
  while (!isInstruction(nodes[i]!)) i++;
  return i;
}

/**
 * The one list of every block with no predecessor, handler or the like: per-block
 * lists are exact-size arrays and the empty ones are all this one (frozen), which
 * keeps a million-block CFG compact.
 */
const NONE: readonly number[] = Object.freeze([]);

/** The opcode of an instruction node. */
export function opcodeOf(n: Instruction): number {
  switch (n.kind) {
    case "iinc":
      return 0x84;
    case "invokeinterface":
      return 0xb9;
    case "invokedynamic":
      return 0xba;
    case "multianewarray":
      return 0xc5;
    case "tableswitch":
      return 0xaa;
    case "lookupswitch":
      return 0xab;
    default:
      return n.op;
  }
}

/** Labels an instruction may transfer to, in operand order. */
export function branchTargets(n: Instruction): readonly number[] {
  switch (n.kind) {
    case "jump":
      return [n.target];
    case "tableswitch":
    case "lookupswitch":
      return [n.defaultTarget, ...n.targets];
    default:
      return [];
  }
}

export interface CfgResult {
  cfg: ControlFlowGraph;
  diagnostics: Diagnostic[];
}

export interface CfgOptions {
  /** Labels that start a block even though nothing jumps there (the splitter's cut points). */
  extraLeaders?: ReadonlySet<number>;
  /**
   * Where the CFG's tables are carved from (`core/int32-slab.ts`): frame inference
   * passes its own, so a small body's CFG and frames share one buffer.
   */
  slab?: Int32Slab;
}

export function buildCfg(body: MethodBody, where: Location = {}, opts: CfgOptions = {}): CfgResult {
  const slab = opts.slab ?? new Int32Slab();
  const blocks = carveBlocks(body, where, opts, slab);
  const { blockCount, blockOfLabel } = blocks;
  const blockOfTarget = (label: number): number => {
    const b = blockOfLabel[label]!;
    if (b >= blockCount) throw new MegasplitError(ErrorCodes.BRANCH_TARGET, `label ${label} is a jump or handler target after the last instruction`, where);
    return b;
  };

  const { successors, predecessors, fallsOffEnd } = normalEdges(body, blocks, blockOfTarget, slab);
  const { handlerBlock, handlersOf, exceptionPredecessors } = exceptionEdges(body, blockCount, blockOfLabel, blockOfTarget, slab);
  const { reachable, reversePostorder } = reachability(blockCount, successors, handlersOf, handlerBlock, slab);
  return {
    cfg: {
      body,
      blockCount,
      blockStart: blocks.blockStart,
      blockEnd: blocks.blockEnd,
      blockLastInstruction: blocks.blockLastInstruction,
      blockOfNode: blocks.blockOfNode,
      labelNode: blocks.labelNode,
      blockOfLabel,
      successors,
      predecessors,
      handlersOf,
      handlerBlock,
      exceptionPredecessors,
      reachable,
      reversePostorder,
      fallsOffEnd,
    },
    diagnostics: cfgDiagnostics(blockCount, reachable, fallsOffEnd, where),
  };
}

/** Where blocks start and end: labels branched to (or extra leaders) and instructions that end a block. */
interface Blocks {
  blockCount: number;
  labelNode: Int32Array;
  blockStart: Int32Array;
  blockEnd: Int32Array;
  blockLastInstruction: Int32Array;
  blockOfNode: Int32Array;
  blockOfLabel: Int32Array;
}

function carveBlocks(body: MethodBody, where: Location, opts: CfgOptions, slab: Int32Slab): Blocks {
  const nodes = body.nodes;
  const n = nodes.length;
  const labelCount = body.labelCount;
  const labelNode = slab.alloc(labelCount).fill(-1);
  // Labels that start a block: marked in the same walk that places labels, and
  // checked once it is done (a target out of range or not placed: see below).
  const leaderLabel = slab.uint8(labelCount);
  let targetOutOfRange = false;
  const lead = (t: number) => {
    if (t < labelCount) leaderLabel[t] = 1;
    else targetOutOfRange = true;
  };
  for (let i = 0; i < n; i++) {
    const node = nodes[i]!;
    const kind = node.kind;
    if (kind === "label") labelNode[node.label] = i;
    else if (kind === "jump") lead(node.target);
    else if (kind === "tableswitch" || kind === "lookupswitch") {
      lead(node.defaultTarget);
      for (let k = 0, ts = node.targets; k < ts.length; k++) lead(ts[k]!);
    }
  }
  for (const h of body.handlers) {
    lead(h.start);
    lead(h.end);
    lead(h.handler);
  }
  let unplaced = targetOutOfRange;
  for (let l = 0; l < labelCount && !unplaced; l++) if (leaderLabel[l] && labelNode[l]! < 0) unplaced = true;
  if (unplaced) reportUnplacedTarget(body, labelNode, where);
  if (opts.extraLeaders) for (const l of opts.extraLeaders) leaderLabel[l] = 1;

  // Carve blocks.
  const starts: number[] = [];
  const lasts: number[] = [];
  const blockOfNode = slab.alloc(n);
  let current = -1;
  let previousInstruction = -1;
  let endsBlock = true; // the previous instruction ended its block, or a leader label followed it
  for (let i = 0; i < n; i++) {
    const node = nodes[i]!;
    // The kind read once (a megamorphic load): labels, lines and frames are the pseudo-nodes.
    const kind = node.kind;
    if (kind === "label") {
      if (leaderLabel[node.label]) endsBlock = true;
      continue;
    }
    if (kind === "line" || kind === "frame") continue;
    if (endsBlock) {
      // Every pseudo-node since the previous instruction belongs to the new block:
      // its labels, and the line that a cut label may have been inserted after.
      starts.push(previousInstruction + 1);
      lasts.push(i);
      current++;
      endsBlock = false;
    }
    lasts[current] = i;
    previousInstruction = i;
    if (FLAGS[opcodeOf(node)]! & OpFlag.ENDS_BLOCK) endsBlock = true;
  }
  const blockCount = starts.length;
  if (blockCount === 0) throw new MegasplitError(ErrorCodes.BRANCH_TARGET, "method body has no instructions", where);
  const blockStart = slab.copy(starts);
  const blockEnd = slab.alloc(blockCount);
  for (let b = 0; b < blockCount; b++) blockEnd[b] = b + 1 < blockCount ? blockStart[b + 1]! : n;
  const blockLastInstruction = slab.copy(lasts);
  for (let b = 0; b < blockCount; b++) blockOfNode.fill(b, blockStart[b]!, blockEnd[b]!);

  // A label belongs to the block of the next instruction at or after it; past the last one, to "the end".
  const blockOfLabel = slab.alloc(body.labelCount).fill(blockCount);
  const lastInstructionNode = blockLastInstruction[blockCount - 1]!;
  for (let l = 0; l < body.labelCount; l++) {
    const p = labelNode[l]!;
    if (p >= 0 && p <= lastInstructionNode) blockOfLabel[l] = blockOfNode[p]!;
  }
  return { blockCount, labelNode, blockStart, blockEnd, blockLastInstruction, blockOfNode, blockOfLabel };
}

/**
 * Throws the error of the first target label (branch and switch targets in node
 * order, then handler labels) that is not placed; called only when one is.
 */
function reportUnplacedTarget(body: MethodBody, labelNode: Int32Array, where: Location): never {
  const labelAt = (label: number): void => {
    const p = label < labelNode.length ? labelNode[label]! : -1;
    if (p < 0) throw new MegasplitError(ErrorCodes.BRANCH_TARGET, `label ${label} is used but not placed`, where);
  };
  for (const node of body.nodes) {
    if (node.kind === "jump" || node.kind === "tableswitch" || node.kind === "lookupswitch") for (const t of branchTargets(node)) labelAt(t);
  }
  for (const h of body.handlers) {
    labelAt(h.start);
    labelAt(h.end);
    labelAt(h.handler);
  }
  throw new AssertionError("cfg: a target label was found unplaced, then placed");
}


/** Successors and predecessors by normal edges, and whether control can run past the last instruction. */
function normalEdges(body: MethodBody, blocks: Blocks, blockOfTarget: (label: number) => number, slab: Int32Slab) {
  const nodes = body.nodes;
  const { blockCount, blockLastInstruction } = blocks;
  // Normal edges. Lists are built at their exact size (a pushed-to array reserves
  // room for 17), and the empty ones share NONE.
  let fallsOffEnd = false;
  const successors: (readonly number[])[] = new Array(blockCount);
  const predecessorCount = slab.alloc(blockCount);
  // The switch whose successor list last took each block (b + 1): dedupes a switch's
  // targets in O(1) each (a generated tableswitch can have 100,000 of them).
  const listedBy = slab.alloc(blockCount);
  for (let b = 0; b < blockCount; b++) {
    const last = nodes[blockLastInstruction[b]!] as Instruction;
    const op = opcodeOf(last);
    const flags = FLAGS[op]!;
    // jsr continues after itself once the subroutine returns; every other
    // no-fall-through instruction (goto, switch, return, athrow, ret) does not.
    let next = -1;
    if (!(flags & OpFlag.NO_FALLTHROUGH) || op === 0xa8 || op === 0xc9) {
      if (b + 1 < blockCount) next = b + 1;
      else fallsOffEnd = true;
    }
    let succ: number[] | readonly number[];
    if (last.kind === "jump") {
      const t = blockOfTarget(last.target);
      succ = next < 0 || next === t ? [t] : [next, t];
    } else if (last.kind === "tableswitch" || last.kind === "lookupswitch") {
      const list: number[] = next < 0 ? [] : [next];
      if (next >= 0) listedBy[next] = b + 1;
      for (const t of branchTargets(last)) {
        const s = blockOfTarget(t);
        if (listedBy[s] === b + 1) continue;
        listedBy[s] = b + 1;
        list.push(s);
      }
      succ = list;
    } else succ = next < 0 ? NONE : [next];
    successors[b] = succ;
    for (let k = 0; k < succ.length; k++) predecessorCount[succ[k]!]!++;
  }
  const predecessors: (readonly number[])[] = new Array(blockCount);
  for (let b = 0; b < blockCount; b++) predecessors[b] = predecessorCount[b] === 0 ? NONE : new Array<number>(predecessorCount[b]!);
  const filled = predecessorCount.fill(0);
  for (let b = 0; b < blockCount; b++) {
    const succ = successors[b]!;
    for (let k = 0; k < succ.length; k++) {
      const s = succ[k]!;
      (predecessors[s] as number[])[filled[s]!++] = b;
    }
  }

  return { successors, predecessors, fallsOffEnd };
}

/** Exception edges: the handlers covering each block and the blocks with an edge into each handler block. */
function exceptionEdges(body: MethodBody, blockCount: number, blockOfLabel: Int32Array, blockOfTarget: (label: number) => number, slab: Int32Slab) {
  // Exception edges: handlersOf in table order; exceptionPredecessors per handler
  // block in table order, then block order, each block once.
  const handlerCount = body.handlers.length;
  const handlerBlock = slab.alloc(handlerCount);
  const handlerFrom = slab.alloc(handlerCount);
  const handlerTo = slab.alloc(handlerCount);
  const coverCount = slab.alloc(blockCount);
  for (let hi = 0; hi < handlerCount; hi++) {
    const h = body.handlers[hi]!;
    handlerBlock[hi] = blockOfTarget(h.handler);
    const from = (handlerFrom[hi] = blockOfLabel[h.start]!);
    const to = (handlerTo[hi] = blockOfLabel[h.end]!);
    for (let b = from; b < to; b++) coverCount[b]!++;
  }
  const handlersOf: (readonly number[])[] = new Array(blockCount);
  for (let b = 0; b < blockCount; b++) handlersOf[b] = coverCount[b] === 0 ? NONE : [];
  const exceptionPredecessors: (readonly number[])[] = new Array(blockCount).fill(NONE);
  // The last handler block each block was added to as an exception predecessor,
  // per pass over the handlers of one handler block: skips duplicates in O(1).
  const addedTo = slab.alloc(blockCount).fill(-1);
  const handlersInto = new Map<number, number[]>();
  for (let hi = 0; hi < handlerCount; hi++) {
    for (let b = handlerFrom[hi]!; b < handlerTo[hi]!; b++) (handlersOf[b] as number[]).push(hi);
    const hb = handlerBlock[hi]!;
    const list = handlersInto.get(hb);
    if (list) list.push(hi);
    else handlersInto.set(hb, [hi]);
  }
  for (const [hb, his] of handlersInto) {
    const preds: number[] = [];
    for (const hi of his) {
      for (let b = handlerFrom[hi]!; b < handlerTo[hi]!; b++) {
        if (addedTo[b] === hb) continue;
        addedTo[b] = hb;
        preds.push(b);
      }
    }
    if (preds.length > 0) exceptionPredecessors[hb] = preds;
  }

  return { handlerBlock, handlersOf, exceptionPredecessors };
}

function reachability(blockCount: number, successors: readonly (readonly number[])[], handlersOf: readonly (readonly number[])[], handlerBlock: Int32Array, slab: Int32Slab) {
  // Reachability and reverse postorder (iterative DFS over both kinds of edge).
  const reachable = slab.uint8(blockCount);
  const post: number[] = [];
  const stack: number[] = [0];
  const edgeIndex: number[] = [0];
  reachable[0] = 1;
  const allSuccessors = (b: number): readonly number[] => {
    const hs = handlersOf[b]!;
    if (hs.length === 0) return successors[b]!;
    const out = successors[b]!.slice();
    for (const hi of hs) if (!out.includes(handlerBlock[hi]!)) out.push(handlerBlock[hi]!);
    return out;
  };
  const succCache: (readonly number[] | undefined)[] = new Array(blockCount);
  while (stack.length > 0) {
    const b = stack[stack.length - 1]!;
    const succ = (succCache[b] ??= allSuccessors(b));
    const i = edgeIndex[edgeIndex.length - 1]!;
    if (i < succ.length) {
      edgeIndex[edgeIndex.length - 1] = i + 1;
      const s = succ[i]!;
      if (!reachable[s]) {
        reachable[s] = 1;
        stack.push(s);
        edgeIndex.push(0);
      }
    } else {
      stack.pop();
      edgeIndex.pop();
      post.push(b);
    }
  }
  const reversePostorder = slab.alloc(post.length);
  for (let i = 0, last = post.length - 1; i <= last; i++) reversePostorder[i] = post[last - i]!;

  return { reachable, reversePostorder };
}

/** W_UNREACHABLE per run of unreachable blocks, W_FALLS_OFF_END when control can run past the end. */
function cfgDiagnostics(blockCount: number, reachable: Uint8Array, fallsOffEnd: boolean, where: Location): Diagnostic[] {
  const diagnostics: Diagnostic[] = [];
  for (let b = 0; b < blockCount; b++) {
    if (!reachable[b]) {
      let e = b;
      while (e + 1 < blockCount && !reachable[e + 1]) e++;
      diagnostics.push(warning(ErrorCodes.UNREACHABLE, `unreachable code: blocks ${b}..${e}`, where));
      b = e;
    }
  }
  if (fallsOffEnd && reachable[blockCount - 1]) {
    diagnostics.push(warning(ErrorCodes.FALLS_OFF_END, "control can run past the last instruction", where));
  }

  return diagnostics;
}

/** The instruction nodes of a block, in order. */
export function* blockInstructions(cfg: ControlFlowGraph, b: number): Generator<[number, Instruction]> {
  const nodes = cfg.body.nodes;
  for (let i = cfg.blockStart[b]!; i < cfg.blockEnd[b]!; i++) {
    const node = nodes[i]!;
    if (isInstruction(node)) yield [i, node];
  }
}

// ---- text form (filetests, `disasm --frames`) ----

const CLASS_OPERAND = new Set([0xbb, 0xbd, 0xc0, 0xc1]); // new, anewarray, checkcast, instanceof
const MEMBER_OPERAND = new Set([0xb2, 0xb3, 0xb4, 0xb5, 0xb6, 0xb7, 0xb8]); // field access, invokes

/**
 * The short form of the one instruction printer (src/text/instruction-text.ts), for
 * one-line block headers: classes and members as `owner/name` when `cp` is given
 * (nothing when it is not, or the entry does not resolve), no ldc constants, call
 * sites or switch tables. The disassembler prints the same instructions in full.
 */
function shortOperands(cp: ConstantPool | undefined): OperandText {
  const sym = (f: (cp: ConstantPool) => string): string | undefined => {
    if (cp === undefined) return undefined;
    try {
      return f(cp);
    } catch {
      return undefined;
    }
  };
  const member = (index: number) => sym((cp) => `${cp.memberRef(index).owner}/${cp.memberRef(index).name}`);
  return {
    cp: (op, index) => (CLASS_OPERAND.has(op) ? sym((cp) => cp.className(index)) : MEMBER_OPERAND.has(op) ? member(index) : undefined),
    invokeinterface: (index) => member(index),
    invokedynamic: () => undefined,
    className: (index) => sym((cp) => cp.className(index)),
    newarrayType: (value) => String(value),
    switchCases: false,
  };
}

/**
 * A short text of an instruction: mnemonic and operands as the disassembler names
 * them (labels by `names`, classes and members symbolically when `cp` is given).
 */
export function instructionText(node: Instruction, names: ReadonlyMap<number, string>, cp?: ConstantPool): string {
  return instructionLines(node, (l) => names.get(l) ?? `L?${l}`, shortOperands(cp), "")[0]!;
}

/**
 * One header per block: `b3 L2: iload 1 .. ifeq L4` — the block id, the name of
 * the label at its start (as the disassembler names it: L0, L1... in code order,
 * only for labels something refers to), its first and last instruction.
 */
export function blockHeaders(cfg: ControlFlowGraph, cp?: ConstantPool): string[] {
  const body = cfg.body;
  const names = labelNames(body);
  const out: string[] = [];
  for (let b = 0; b < cfg.blockCount; b++) {
    let label: string | undefined;
    let first = -1;
    for (let i = cfg.blockStart[b]!; i < cfg.blockEnd[b]!; i++) {
      const node = body.nodes[i]!;
      if (node.kind === "label" && label === undefined) label = names.get(node.label);
      if (isInstruction(node)) {
        first = i;
        break;
      }
    }
    const last = cfg.blockLastInstruction[b]!;
    const text = (i: number) => instructionText(body.nodes[i] as Instruction, names, cp);
    const span = first === last ? text(first) : `${text(first)} .. ${text(last)}`;
    out.push(`b${b}${label === undefined ? "" : ` ${label}`}: ${span}`);
  }
  return out;
}

/** The header of one block (see {@link blockHeaders}); O(method) per call. */
export function blockHeader(cfg: ControlFlowGraph, b: number, cp?: ConstantPool): string {
  return blockHeaders(cfg, cp)[b]!;
}

/**
 * The CFG as text: per block its header, `-> ` normal successors (`(none)` for a
 * block that leaves the method), `catch -> ` handler blocks in table order with their
 * catch types, `unreachable` when no path reaches it; then the reverse postorder.
 */
export function formatCfg(cfg: ControlFlowGraph, cp?: ConstantPool): string {
  const headers = blockHeaders(cfg, cp);
  const out: string[] = [];
  const catchName = (hi: number): string => {
    const t = cfg.body.handlers[hi]!.catchType;
    if (t === 0) return "any";
    try {
      return cp ? cp.className(t) : `#${t}`;
    } catch {
      return `#${t}`;
    }
  };
  for (let b = 0; b < cfg.blockCount; b++) {
    out.push(headers[b]!);
    const succ = cfg.successors[b]!;
    out.push(`  -> ${succ.length === 0 ? "(none)" : succ.map((s) => `b${s}`).join(" ")}`);
    const hs = cfg.handlersOf[b]!;
    if (hs.length > 0) out.push(`  catch -> ${hs.map((hi) => `b${cfg.handlerBlock[hi]} (${catchName(hi)})`).join(" ")}`);
    if (!cfg.reachable[b]) out.push("  unreachable");
  }
  out.push(`rpo: ${Array.from(cfg.reversePostorder, (b) => `b${b}`).join(" ")}`);
  return out.join("\n");
}

export const cfgPass: Pass<ControlFlowGraph> = {
  name,
  description,
  run(body, ctx) {
    const r = buildCfg(body, ctx.where);
    ctx.diagnostics.push(...r.diagnostics);
    return r.cfg;
  },
  format: (cfg, _body, ctx) => formatCfg(cfg, ctx.cp),
};
