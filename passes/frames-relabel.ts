/**
 * The frame analysis of a body that differs from an analysed one only by labels
 * inserted before some nodes (`withCutLabels` in src/split/cut-points.ts), without
 * inferring again: node indices are shifted by the labels inserted before them, the
 * CFG's per-node and per-label arrays are remapped (a label belongs to the block of
 * the next instruction at or after it, as `buildCfg` places it), uninitialized(new
 * site) types name the moved site, and every other type and limit is the analysed
 * one's. Labels nobody branches to change no block,
 * no frame and no type, so the result equals `inferFrames` on the new body; the
 * frames test checks that on real code. Cost: O(nodes + labels).
 */
import type { MethodBody } from "../src/bytecode/model.js";
import { Op } from "../src/bytecode/opcodes.js";
import type { ControlFlowGraph } from "./cfg.js";
import type { Frame, FrameAnalysis } from "./frames.js";
import { SharedFrames } from "./shared-frames.js";

/**
 * `a` (of the body `newBody` was made from) as the analysis of `newBody`, which
 * has one more label before each old node index in `insertedBefore` (ascending
 * new labels, in node order, numbered from the old body's labelCount).
 */
export function relabelFrames(a: FrameAnalysis, newBody: MethodBody, insertedBefore: ReadonlySet<number>): FrameAnalysis {
  if (insertedBefore.size === 0) return a;
  const old = a.cfg;
  const oldNodes = old.body.nodes;
  const n = oldNodes.length;
  // newIndex[o]: where old node o sits now; oldIndex[i]: the old node at new index i, or -1 for an inserted label.
  const newIndex = new Int32Array(n + 1);
  const oldIndex = new Int32Array(newBody.nodes.length).fill(-1);
  let shift = 0;
  for (let o = 0; o < n; o++) {
    if (insertedBefore.has(o)) shift++;
    newIndex[o] = o + shift;
    oldIndex[o + shift] = o;
  }
  newIndex[n] = n + shift;
  const cfg = relabelCfg(old, newBody, newIndex);
  // uninitialized(site) names the node index of its `new`, which moved too.
  const types = a.types;
  const map = (t: number): number => (types.isUninitialized(t) ? types.uninitialized(newIndex[types.siteOf(t)]!) : t);
  const mapSlots = (slots: ArrayLike<number>, length = slots.length): Int32Array => {
    const out = new Int32Array(length);
    for (let i = 0; i < length; i++) out[i] = map(slots[i]!);
    return out;
  };
  const mapFrame = (f: Frame): Frame => ({ locals: mapSlots(f.locals), stack: mapSlots(f.stack) });
  const hasUninitialized = (slots: ArrayLike<number>): boolean => {
    for (let i = 0; i < slots.length; i++) if (types.isUninitialized(slots[i]!)) return true;
    return false;
  };
  /** `f` itself when no type in it names a site (most frames), else its remapped copy. */
  const mapShared = (f: Frame): Frame => (hasUninitialized(f.locals) || hasUninitialized(f.stack) ? mapFrame(f) : f);
  // The new blocks that cuts start inside an old block are asked for one by one: one
  // replay of the old block keeps the frames before every instruction a cut label
  // precedes (a replay per question was quadratic in a long block).
  // Kept read only, so equal ones are one object (`shared-frames.ts`).
  const byBlock = new Map<number, Map<number, Frame>>();
  const cutShared = new SharedFrames();
  const cutFrames = (b: number): Map<number, Frame> => {
    let m = byBlock.get(b);
    if (m) return m;
    m = new Map();
    const kept = m;
    let shiftBefore = -1;
    a.replay(b, (node, locals, stack, height) => {
      const shiftHere = newIndex[node]! - node;
      if (shiftHere !== shiftBefore) kept.set(node, cutShared.of(locals, stack, height));
      shiftBefore = shiftHere;
    });
    byBlock.set(b, m);
    return m;
  };
  // The entry frames, remapped when first asked: the splitter asks frameBefore, and a
  // copy of every block's entry frame (300 live locals in parser-actions) was held for nothing.
  let entry: (Frame | undefined)[] | undefined;
  let namesSites: boolean | undefined;
  // Fields named one by one in inferFrames' order (no spread of `a`: a spread calls
  // its getters and gives the result a shape of its own).
  return {
    cfg,
    types: a.types,
    get entry() {
      return (entry ??= a.entry.map((f) => (f ? mapFrame(f) : undefined)));
    },
    declared: a.declared,
    initial: a.initial,
    maxStack: a.maxStack,
    maxLocals: a.maxLocals,
    errors: a.errors,
    rejectedFrames: a.rejectedFrames,
    replay(block, visit) {
      // Without a `new` or a declared frame no type names a site, and the states pass
      // through as they are; otherwise they are remapped into two buffers reused for
      // every instruction (the visitor reads them during the call, as it reads the
      // interpreter's own). A copy per instruction was most of cutQuality's time.
      if (!(namesSites ??= mayNameSites(oldNodes))) {
        a.replay(block, (node, locals, stack, height) => visit(newIndex[node]!, locals, stack, height));
        return;
      }
      const mappedLocals = new Int32Array(a.maxLocals);
      const mappedStack: number[] = [];
      a.replay(block, (node, locals, stack, height) => {
        for (let i = 0; i < locals.length; i++) mappedLocals[i] = map(locals[i]!);
        for (let i = 0; i < height; i++) mappedStack[i] = map(stack[i]!);
        mappedStack.length = height;
        visit(newIndex[node]!, locals.length === mappedLocals.length ? mappedLocals : mappedLocals.subarray(0, locals.length), mappedStack, height);
      });
    },
    frameBefore(node) {
      const o = oldIndex[node] ?? -1;
      if (o < 0) return undefined;
      const kept = cutFrames(old.blockOfNode[o]!).get(o);
      if (kept) return mapFrame(kept);
      // a.frameBefore answers a fresh copy: remapped in place, not copied again.
      const f = a.frameBefore(o);
      if (f) {
        for (let i = 0; i < f.locals.length; i++) f.locals[i] = map(f.locals[i]!);
        for (let i = 0; i < f.stack.length; i++) f.stack[i] = map(f.stack[i]!);
      }
      return f;
    },
    sharedFrameBefore(node) {
      const o = oldIndex[node] ?? -1;
      if (o < 0) return undefined;
      const kept = cutFrames(old.blockOfNode[o]!).get(o);
      if (kept) return mapShared(kept);
      const f = a.sharedFrameBefore(o);
      return f && mapShared(f);
    },
  };
}

/** Whether a body may hold uninitialized(site) types: only a `new` or a declared frame brings one in (JVMS 4.10.1.2). */
function mayNameSites(nodes: MethodBody["nodes"]): boolean {
  for (let i = 0; i < nodes.length; i++) {
    const n = nodes[i]!;
    if (n.kind === "frame" || (n.kind === "cp" && n.op === Op.NEW)) return true;
  }
  return false;
}

function relabelCfg(old: ControlFlowGraph, body: MethodBody, newIndex: Int32Array): ControlFlowGraph {
  const count = old.blockCount;
  const total = body.nodes.length;
  const blockStart = new Int32Array(count);
  const blockEnd = new Int32Array(count);
  const blockLastInstruction = new Int32Array(count);
  for (let b = 0; b < count; b++) {
    blockLastInstruction[b] = newIndex[old.blockLastInstruction[b]!]!;
    // A block starts right after the previous block's last instruction.
    blockStart[b] = b === 0 ? 0 : blockLastInstruction[b - 1]! + 1;
  }
  for (let b = 0; b < count; b++) blockEnd[b] = b + 1 < count ? blockStart[b + 1]! : total;
  const blockOfNode = new Int32Array(total);
  for (let b = 0; b < count; b++) blockOfNode.fill(b, blockStart[b]!, blockEnd[b]!);
  const labelNode = new Int32Array(body.labelCount).fill(-1);
  for (let i = 0; i < total; i++) {
    const node = body.nodes[i]!;
    if (node.kind === "label") labelNode[node.label] = i;
  }
  // A label belongs to the block of the next instruction at or after it; past the last one, to "the end".
  const blockOfLabel = new Int32Array(body.labelCount).fill(count);
  const lastInstructionNode = blockLastInstruction[count - 1]!;
  for (let l = 0; l < body.labelCount; l++) {
    const at = labelNode[l]!;
    if (at >= 0 && at <= lastInstructionNode) blockOfLabel[l] = blockOfNode[at]!;
  }
  return { ...old, body, blockStart, blockEnd, blockLastInstruction, blockOfNode, labelNode, blockOfLabel };
}
