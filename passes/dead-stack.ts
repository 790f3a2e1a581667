/**
 * Dead operand-stack values dropped where they die (JVMS 2.6.2: `return` and
 * `athrow` discard whatever the operand stack still holds). Some compilers leave
 * values on the stack that no instruction ever takes again: Clojure's namespace
 * loaders (`core__init.load()`, 28 KB) leave each top-level `def`'s Var on the
 * stack, so the stack grows by one slot per form to 887 slots and is discarded
 * by the final `return`. Every value a piece boundary crosses is handed over, so
 * such a method cannot be cut: every block needs hundreds of slots with its
 * entries and exits (W_REFUSED_BLOCK), although none of them is ever read.
 *
 * The pass pops them where they die. For every point (before an instruction) the
 * low-water mark L is the smallest height that any path from it reaches after an
 * instruction's pops before the path returns or throws (a backward problem; an
 * exception edge pops nothing, it discards the stack; `dup` and the like pop
 * what they copy, so a value they read counts as taken). Slots below L at a point
 * are never taken again: dead. Where every slot on the stack is dead (L >= height)
 * and some are still there, pops (`pop`, `pop2` for a long or double) clear them,
 * so the code after runs on an empty stack where the original had those dead
 * values below everything it touches. The number of slots removed at a point
 * must be the same on every path into it: a removal counts in the code its point
 * dominates (over normal edges; the entry and every handler, whose stack starts
 * afresh, are roots with none removed), and one whose region an edge leaves with
 * more removed than the target expects (an `if` arm popping before its `goto`
 * what the other arm keeps) is given up, so the join pops it instead. Declared
 * frames (StackMapTable) lose the bottom slots removed where they stand (at a
 * block's entry, or inside a block after its pops). No pops go right before a
 * `new` (frames name its uninitialized value by its offset), and a method whose
 * unreachable code flows into code with slots removed is left unchanged (the
 * type checker checks unreachable code against its declared frames too).
 * Semantics are unchanged: only values no instruction reads are removed, and
 * `pop` cannot throw.
 *
 * Only methods where some `return` or `athrow` is reached with more on the stack
 * than it takes are looked at further (a value dead only under an endless loop
 * is left alone); for all others the pass returns at once. Cost then: a walk of
 * the stack heights of each block ending in a return or athrow. Otherwise: a
 * replay of every block and one of each block that pops, a backward fixpoint, dominators, and a forward
 * sweep per removal given up (none in the code seen so far but one per `if` whose
 * arms both leave a value).
 */
import type { CodeNode, FrameNode, FrameType, Instruction, MethodBody } from "../src/bytecode/model.js";
import { stackEffect } from "../src/bytecode/descriptors.js";
import { FLAGS, Op, OpFlag } from "../src/bytecode/opcodes.js";
import { newMethodBody } from "../src/bytecode/method-body.js";
import type { ConstantPool } from "../src/classfile/constant-pool.js";
import { isInstruction, opcodeOf } from "./cfg.js";
import { type FrameAnalysis, inferFrames } from "./frames.js";
import { formatBody } from "./inline-subroutines.js";
import type { Pass } from "./pass.js";
import { MegasplitError } from "../src/diagnostics.js";
import { DOUBLE, LONG, TOP } from "./frame-types.js";

export const name = "dead-stack";
export const description = "pop operand-stack values no instruction takes again where they die (values a return or athrow would discard)";

const INFINITY = 0x7fffffff;


/**
 * The body with its dead stack values popped where they die, or undefined when it
 * has none that can be popped. `frames` is an analysis of `body` without errors.
 */
export function dropDeadStack(body: MethodBody, frames: FrameAnalysis, cp: ConstantPool): MethodBody | undefined {
  const { cfg } = frames;
  const nodes = body.nodes;
  if (!leavesValues(body, frames, cp)) return undefined;
  // Height before each instruction and the height after its pops, from the analysis.
  const before = new Int32Array(nodes.length);
  const afterPops = new Int32Array(nodes.length);
  for (let b = 0; b < cfg.blockCount; b++) {
    if (!cfg.reachable[b]) continue;
    frames.replay(b, (node, _locals, _stack, height) => {
      before[node] = height;
      afterPops[node] = height - stackEffect(nodes[node] as Instruction, cp).pop;
    });
  }
  const low = lowWaterMarks(frames, afterPops);
  const removal = removals(frames, before, low);
  if (!removal) return undefined;
  const { removedIn, points } = removal;
  const popsBefore = new Map<number, Instruction[]>();
  const withPoints = new Set([...points].map((i) => cfg.blockOfNode[i]!));
  for (const b of cfg.reversePostorder) {
    if (!withPoints.has(b)) continue;
    let removed = removedIn[b]!;
    frames.replay(b, (node, _locals, stack, height) => {
      if (!points.has(node)) return;
      popsBefore.set(node, popsFor(stack, removed, height));
      removed = height;
    });
  }
  if (popsBefore.size === 0) return undefined;
  // Unreachable code is still type-checked against its declared frames (JVMS 4.10.1): one that falls or jumps into code with slots removed would no longer match it.
  for (let b = 0; b < cfg.blockCount; b++) {
    if (!cfg.reachable[b] && cfg.successors[b]!.some((s) => cfg.reachable[s] && removedIn[s]! > 0)) return undefined;
  }
  const out: CodeNode[] = [];
  // Slots removed at the current position of the block last entered: a declared frame inside a block (not a branch target) comes after some of its pops.
  let block = -1;
  let removed = 0;
  for (let i = 0; i < nodes.length; i++) {
    const n = nodes[i]!;
    if (n.kind === "frame") {
      const next = nextInstruction(nodes, i);
      const b = next < nodes.length ? cfg.blockOfNode[next]! : -1;
      const r = b < 0 || !cfg.reachable[b] ? 0 : b !== block ? removedIn[b]! : removed;
      const frame = r === 0 ? n.frame : withoutBottomSlots(n.frame, r);
      if (!frame) return undefined;
      out.push(frame === n.frame ? n : { kind: "frame", frame });
      continue;
    }
    if (!isInstruction(n)) {
      out.push(n);
      continue;
    }
    const b = cfg.blockOfNode[i]!;
    if (b !== block) {
      block = b;
      removed = cfg.reachable[b] ? removedIn[b]! : 0;
    }
    const pops = popsBefore.get(i);
    if (pops) {
      out.push(...pops);
      removed = before[i]!;
    }
    out.push(n);
  }
  return newMethodBody({ ...body, nodes: out });
}

/**
 * Where the dead slots go, and how many are gone at each block's entry. A point
 * where every slot is dead (low >= height) may pop them; the slots it removes
 * stay removed in the code it dominates, so the count at a block's entry is the
 * count at the end of its immediate dominator (over normal edges; the entry and
 * every handler, whose stack starts afresh, are roots with none removed). An edge
 * from a block with more removed than its target expects leaves the region of a
 * removal point that does not dominate the target (one arm of an `if` popping what
 * the other keeps): such points are given up and the counts computed again, until
 * every edge agrees. Undefined when no point is left.
 */
function removals(frames: FrameAnalysis, before: Int32Array, low: Int32Array): { removedIn: Int32Array; points: Set<number> } | undefined {
  const { cfg } = frames;
  const nodes = cfg.body.nodes;
  const idom = immediateDominators(cfg);
  const order = cfg.reversePostorder;
  const candidates: number[][] = [];
  for (let b = 0; b < cfg.blockCount; b++) {
    const list: number[] = [];
    if (cfg.reachable[b]) for (let i = cfg.blockStart[b]!; i < cfg.blockEnd[b]!; i++) if (isInstruction(nodes[i]!) && before[i]! > 0 && low[i]! >= before[i]! && !isNew(nodes[i]!)) list.push(i);
    candidates.push(list);
  }
  const given = new Set<number>();
  const removedIn = new Int32Array(cfg.blockCount);
  const removedOut = new Int32Array(cfg.blockCount);
  for (;;) {
    // In reverse postorder of the CFG a block's immediate dominator comes first.
    for (const b of order) {
      const d = idom[b]!;
      let r = d < 0 ? 0 : removedOut[d]!;
      removedIn[b] = r;
      for (const i of candidates[b]!) if (!given.has(i) && before[i]! > r) r = before[i]!;
      removedOut[b] = r;
    }
    let changed = false;
    for (const b of order) {
      for (const s of cfg.successors[b]!) {
        if (removedOut[b] === removedIn[s]) continue;
        // Give up the removals above the target's count between b and the target's immediate dominator.
        const stop = idom[s]!;
        for (let x = b; x >= 0 && x !== stop; x = idom[x]!) {
          for (const i of candidates[x]!) if (before[i]! > removedIn[s]! && !given.has(i)) {
            given.add(i);
            changed = true;
          }
        }
      }
    }
    if (!changed) break;
  }
  const points = new Set<number>();
  for (const list of candidates) for (const i of list) if (!given.has(i)) points.add(i);
  // A point whose height is what is already removed pops nothing.
  for (const b of order) {
    let r = removedIn[b]!;
    for (const i of candidates[b]!) {
      if (!points.has(i)) continue;
      if (before[i]! > r) r = before[i]!;
      else points.delete(i);
    }
  }
  return points.size > 0 ? { removedIn, points } : undefined;
}

/**
 * Immediate dominator of every reachable block over normal edges, with the entry
 * and every handler entry as roots (-1); unreachable blocks -1. Cooper, Harvey and
 * Kennedy's iteration over a depth-first postorder of that graph.
 */
function immediateDominators(cfg: FrameAnalysis["cfg"]): Int32Array {
  const n = cfg.blockCount;
  const isRoot = new Uint8Array(n);
  if (n > 0) isRoot[0] = 1;
  for (let b = 0; b < n; b++) for (const h of cfg.handlersOf[b]!) isRoot[cfg.handlerBlock[h]!] = 1;
  // Postorder number of each block (-1: not reached from a root by normal edges).
  const post = new Int32Array(n).fill(-1);
  const visited = new Uint8Array(n);
  const postorder: number[] = [];
  for (let r = 0; r < n; r++) {
    if (!isRoot[r] || visited[r] || !cfg.reachable[r]) continue;
    const stack: [number, number][] = [[r, 0]];
    visited[r] = 1;
    while (stack.length > 0) {
      const top = stack[stack.length - 1]!;
      const succ = cfg.successors[top[0]]!;
      if (top[1] < succ.length) {
        const s = succ[top[1]++]!;
        if (!visited[s]) {
          visited[s] = 1;
          stack.push([s, 0]);
        }
      } else {
        post[top[0]] = postorder.length;
        postorder.push(top[0]);
        stack.pop();
      }
    }
  }
  const VIRTUAL = n;
  const idom = new Int32Array(n + 1).fill(-2);
  idom[VIRTUAL] = VIRTUAL;
  const number = (b: number) => (b === VIRTUAL ? postorder.length : post[b]!);
  const intersect = (a: number, b: number): number => {
    while (a !== b) {
      while (number(a) < number(b)) a = idom[a]!;
      while (number(b) < number(a)) b = idom[b]!;
    }
    return a;
  };
  for (let changed = true; changed; ) {
    changed = false;
    for (let k = postorder.length - 1; k >= 0; k--) {
      const b = postorder[k]!;
      let d = isRoot[b] ? VIRTUAL : -2;
      for (const p of cfg.predecessors[b]!) {
        if (post[p]! < 0 || idom[p] === -2) continue;
        d = d === -2 ? p : intersect(p, d);
      }
      if (d !== -2 && idom[b] !== d) {
        idom[b] = d;
        changed = true;
      }
    }
  }
  const out = new Int32Array(n).fill(-1);
  for (let b = 0; b < n; b++) out[b] = idom[b] === VIRTUAL || idom[b]! < 0 ? -1 : idom[b]!;
  return out;
}

/** Whether some return or athrow is reached with more slots than it takes: only then can a value be dead. */
function leavesValues(body: MethodBody, frames: FrameAnalysis, cp: ConstantPool): boolean {
  const { cfg } = frames;
  const nodes = body.nodes;
  for (let b = 0; b < cfg.blockCount; b++) {
    const entry = frames.entry[b];
    if (!entry || !cfg.reachable[b]) continue;
    const lastNode = cfg.blockLastInstruction[b]!;
    const last = nodes[lastNode] as Instruction;
    if (!(FLAGS[opcodeOf(last)]! & (OpFlag.RETURN | OpFlag.THROW))) continue;
    // The height before the last instruction, from the block's entry: no frame copied.
    let height = entry.stack.length;
    for (let i = cfg.blockStart[b]!; i < lastNode; i++) {
      const n = nodes[i]!;
      if (!isInstruction(n)) continue;
      const e = stackEffect(n, cp);
      height += e.push - e.pop;
    }
    if (height > stackEffect(last, cp).pop) return true;
  }
  return false;
}

/**
 * Low-water mark before each instruction: the least height any path from there
 * reaches after an instruction's pops, until it returns or throws. Normal edges
 * only: an exception edge discards the stack without taking a value.
 */
function lowWaterMarks(frames: FrameAnalysis, afterPops: Int32Array): Int32Array {
  const { cfg } = frames;
  const nodes = cfg.body.nodes;
  const low = new Int32Array(nodes.length).fill(INFINITY);
  const lowIn = new Int32Array(cfg.blockCount).fill(INFINITY);
  const queued = new Uint8Array(cfg.blockCount);
  const work: number[] = [];
  for (let k = cfg.reversePostorder.length - 1; k >= 0; k--) {
    work.push(cfg.reversePostorder[k]!);
    queued[cfg.reversePostorder[k]!] = 1;
  }
  // Blocks are taken from the front of `work`: postorder first, so code without loops needs one visit per block.
  for (let w = 0; w < work.length; w++) {
    const b = work[w]!;
    queued[b] = 0;
    let l = INFINITY;
    for (const s of cfg.successors[b]!) l = Math.min(l, lowIn[s]!);
    for (let i = cfg.blockEnd[b]! - 1; i >= cfg.blockStart[b]!; i--) {
      if (!isInstruction(nodes[i]!)) continue;
      l = Math.min(l, afterPops[i]!);
      low[i] = l;
    }
    if (l === lowIn[b]) continue;
    lowIn[b] = l;
    for (const p of cfg.predecessors[b]!) {
      if (!cfg.reachable[p] || queued[p]) continue;
      queued[p] = 1;
      work.push(p);
    }
  }
  return low;
}

/** Pops of the slots [from, height) of `stack`, top first: `pop2` for a long or double. */
function popsFor(stack: readonly number[], from: number, height: number): Instruction[] {
  const pops: Instruction[] = [];
  let h = height;
  while (h > from) {
    const wide = h - 2 >= from && stack[h - 1] === TOP && (stack[h - 2] === LONG || stack[h - 2] === DOUBLE);
    pops.push({ kind: "simple", op: wide ? Op.POP2 : Op.POP });
    h -= wide ? 2 : 1;
  }
  return pops;
}

/** A declared frame whose stack loses its bottom `slots` slots; undefined if it does not hold them. */
function withoutBottomSlots(frame: FrameNode, slots: number): FrameNode | undefined {
  const stack = frame.type === "full" ? frame.stack : frame.type === "same_locals_1_stack_item" ? [frame.stack] : [];
  let dropped = 0;
  let k = 0;
  while (k < stack.length && dropped < slots) dropped += slotsOf(stack[k++]!);
  if (dropped !== slots) return undefined;
  const rest = stack.slice(k);
  if (frame.type === "full") return { type: "full", locals: frame.locals, stack: rest };
  return rest.length === 0 ? { type: "same" } : undefined;
}

function slotsOf(t: FrameType): number {
  return t.tag === "long" || t.tag === "double" ? 2 : 1;
}

/**
 * No pops go right before a `new`: its offset names its uninitialized type in the
 * declared frames (JVMS 4.7.4 Uninitialized_variable_info), and the label that marks
 * it would mark the pops. The next point where everything is dead pops instead.
 */
function isNew(n: CodeNode): boolean {
  return n.kind === "cp" && n.op === Op.NEW;
}

function nextInstruction(nodes: readonly CodeNode[], i: number): number {
  let j = i + 1;
  while (j < nodes.length && !isInstruction(nodes[j]!)) j++;
  return j;
}

/** As a registered pass (filetests): the body with its dead values popped, or the body itself. */
export const deadStackPass: Pass<MethodBody> = {
  name,
  description,
  run(body, ctx) {
    const frames = inferFrames(body, ctx);
    if (frames.errors.length > 0) throw new MegasplitError(frames.errors[0]!.code, frames.errors[0]!.message, frames.errors[0]!.location);
    return dropDeadStack(body, frames, ctx.cp) ?? body;
  },
  format: (result, _body, ctx) => formatBody(result, ctx),
};
