/**
 * The frame analysis (JVMS 4.10.1) of a body whose large switches
 * `splitLargeSwitches` (src/split/cut-points.ts) rewrote as trees of range tests
 * and smaller switches, from the analysis of the body before, without solving
 * again: on a 16 MB method with 300 live locals that inference was a large share
 * of the attempt that splits its dispatch switch.
 *
 * Why the frames are known: the rewrite replaces one switch instruction by code
 * that reads only the key on top of the stack (`dup`, constants, `isub`, `ishr`,
 * `if_icmpge`, `tableswitch`, `pop`, `goto`), writes no local, and reaches the
 * switch's own targets with the state the switch left (the key popped). So every
 * block of the old body keeps its entry frame (its incoming states are the same
 * states), and every block the rewrite adds is entered, from one predecessor
 * inside the tree, with the state before the old switch (the key still on top):
 * after `dup; push; if_icmpge` or `dup; ...; ishr; tableswitch` the stack is back
 * to that height. The largest stack height is the old one or two above the
 * height before a switch rewritten. Handler ranges still cover the same code, and
 * the added code writes no local, so handler entries do not change. Node indices
 * after a rewritten switch shift, and uninitialized(new site) types name their
 * site's new index.
 *
 * The result is `inferFrames` on the new body with these entries given as the
 * solution (`InferOptions.known`): the CFG, the declared frames, replay and the
 * rest are built as usual. The derivation is used only when the old analysis had
 * no errors and no rejected declared frames; anything it cannot place (a block of
 * the new body that does not start where an old one did, a reachable block the old
 * analysis had no frame for) makes it give up, and the solver runs.
 * test/frames-switch-split.test.ts compares it with inference.
 */
import type { MethodBody } from "../src/bytecode/model.js";
import { firstInstruction } from "./cfg.js";
import type { ControlFlowGraph } from "./cfg.js";
import { type Frame, type FrameAnalysis, inferFrames } from "./frames.js";
import type { PassContext } from "./pass.js";

/** A switch rewritten: its node index in the old body, the nodes [from, to) replacing it in the new one. */
export interface RewrittenSwitch {
  readonly node: number;
  readonly from: number;
  readonly to: number;
}

/** Frames of `newBody` (the old body with `rewritten` switches replaced, in node order) from `old`'s. */
export function switchSplitFrames(old: FrameAnalysis, newBody: MethodBody, rewritten: readonly RewrittenSwitch[], ctx: PassContext): FrameAnalysis {
  if (rewritten.length === 0 || old.errors.length > 0 || old.rejectedFrames.length > 0) return inferFrames(newBody, ctx);
  const oldNodes = old.cfg.body.nodes;
  // oldIndex[i]: the old node at new index i, or -1 inside a rewritten switch's code; switchAt[i]: that switch's old index.
  const oldIndex = new Int32Array(newBody.nodes.length).fill(-1);
  const switchAt = new Int32Array(newBody.nodes.length).fill(-1);
  const newIndex = new Int32Array(oldNodes.length);
  let i = 0;
  let k = 0;
  for (let o = 0; o < oldNodes.length; o++) {
    const r = rewritten[k];
    if (r && r.node === o) {
      newIndex[o] = r.from;
      switchAt.fill(o, r.from, r.to);
      i = r.to;
      k++;
      continue;
    }
    newIndex[o] = i;
    oldIndex[i++] = o;
  }
  if (i !== newBody.nodes.length || k !== rewritten.length) return inferFrames(newBody, ctx);
  const types = old.types;
  const mapType = (t: number): number => (types.isUninitialized(t) ? types.uninitialized(newIndex[types.siteOf(t)]!) : t);
  // Each distinct old frame copied once into arrays of its own: the old frames are views of
  // the old analysis' slab chunks, and keeping them would keep those chunks (with every
  // intermediate state of the old solve) alive after the old analysis is dropped.
  const copies = new Map<Frame, Frame>();
  const remap = (f: Frame): Frame => {
    let c = copies.get(f);
    if (c === undefined) {
      c = { locals: f.locals.map(mapType), stack: f.stack.map(mapType) };
      copies.set(f, c);
    }
    return c;
  };
  let maxStack = old.maxStack;
  const beforeSwitch = new Map<number, Frame | undefined>();
  const stateBefore = (o: number): Frame | undefined => {
    if (!beforeSwitch.has(o)) {
      const f = old.sharedFrameBefore(o);
      beforeSwitch.set(o, f && remap(f));
      // dup and one constant above the height before the switch (the key on top).
      if (f && f.stack.length + 2 > maxStack) maxStack = f.stack.length + 2;
    }
    return beforeSwitch.get(o);
  };
  for (const r of rewritten) stateBefore(r.node);
  const entries = (cfg: ControlFlowGraph): (Frame | undefined)[] | undefined => {
    const out: (Frame | undefined)[] = new Array(cfg.blockCount);
    for (let b = 0; b < cfg.blockCount; b++) {
      if (!cfg.reachable[b]) continue;
      const first = firstInstruction(cfg, b);
      const o = oldIndex[first]!;
      let f: Frame | undefined;
      if (o >= 0) {
        const ob = old.cfg.blockOfNode[o]!;
        if (firstInstruction(old.cfg, ob) !== o) return undefined;
        const e = old.entry[ob];
        f = e && remap(e);
      } else f = stateBefore(switchAt[first]!);
      if (!f) return undefined;
      out[b] = f;
    }
    return out;
  };
  return inferFrames(newBody, ctx, { known: { types, entries, maxStack } });
}
