/**
 * Picks the region of a method to outline (`passes/outline.ts`): the largest one
 * the trampoline may not cut that is too big to stay in one piece, i.e. the
 * arguments of a `new` while the uninitialized object waits on the stack (JVMS
 * 4.10.1.9), the arguments of a constructor's super(...)/this(...) call while
 * uninitializedThis waits below them (when they do not read it), the statements
 * before that call while uninitializedThis waits in local 0, or the body of a
 * `synchronized` block (JVMS 2.11.10). Finds them
 * with one replay of the frame analysis, cuts the body at the region's entry and
 * exits, and asks the outline pass to move it. The same replay records where a
 * piece may be entered (`CutQualityRecorder`, cut-quality.ts), which the first cut
 * of the body takes instead of replaying every block again. Cost: a frame
 * analysis per attempt.
 */
import type { Instruction, MethodBody } from "../bytecode/model.js";
import { parseMethodDescriptor } from "../bytecode/descriptors.js";
import { Op } from "../bytecode/opcodes.js";
import { maxCodeSize, maxEncodedSize } from "../bytecode/size-bound.js";
import { Access, type ClassFile, type MethodInfo } from "../classfile/model.js";
import { buildCfg, isInstruction, opcodeOf } from "../../passes/cfg.js";
import { type FrameAnalysis, inferFrames, UNINITIALIZED_THIS } from "../../passes/frames.js";
import { computeLiveness } from "../../passes/liveness.js";
import { outlineRegion } from "../../passes/outline.js";
import type { PassContext } from "../../passes/pass.js";
import { monitorDepth } from "../../passes/monitors.js";
import { withCutLabels } from "./cut-points.js";
import { CutQualityRecorder } from "./cut-quality.js";
import { freshName, nextSyntheticLine } from "./names.js";

/**
 * Finds the largest region the trampoline may not cut that is too big to stay in
 * one piece: the arguments of a `new` (from after its `dup` to its `<init>` call),
 * of a super()/this() call (from after the load of uninitializedThis to the call)
 * or the body of a `synchronized` block (from after `monitorenter` to the
 * `monitorexit`s at its level), and outlines it into a called method.
 */
export function outlineLargestRegion(
  cf: ClassFile,
  method: MethodInfo,
  body: MethodBody,
  ctx: PassContext,
  maxSize: number,
  base: string,
  taken: Set<string>,
  lines?: { next: number },
  bodyFrames?: FrameAnalysis,
): { parent: MethodBody; region: MethodBody; name: string; descriptor: string; callLine?: number } | undefined {
  const nodes = body.nodes;
  const frames = bodyFrames ?? inferFrames(body, ctx);
  if (frames.errors.length > 0) return undefined;
  const fcfg = frames.cfg;
  const depthIn = monitorDepth(fcfg);
  const sizeBefore = new Int32Array(nodes.length + 1);
  for (let i = 0; i < nodes.length; i++) {
    const n = nodes[i]!;
    sizeBefore[i + 1] = sizeBefore[i]! + (isInstruction(n) ? maxEncodedSize(n) : 0);
  }
  interface Candidate {
    entry: number;
    stops: number[];
    span: number;
  }
  const candidates: Candidate[] = [];
  const initOf = new Map<number, number[]>();
  const newNodes: number[] = [];
  const monitorEnters: { node: number; level: number }[] = [];
  const monitorExits = new Map<number, number[]>();
  // In a constructor: loads of uninitializedThis (with the stack height before
  // them) and the super()/this() calls (with the height of their receiver).
  const thisLoads: { node: number; height: number }[] = [];
  const superCalls: { node: number; receiver: number }[] = [];
  // The same replay records where another piece may enter, for the first cut of this body (cut-quality.ts).
  const quality = new CutQualityRecorder(body, frames, depthIn);
  for (let b = 0; b < fcfg.blockCount; b++) {
    if (!fcfg.reachable[b]) continue;
    let depth = depthIn[b]!;
    quality.enterBlock(b);
    frames.replay(b, (node, locals, stack, height) => {
      quality.visit(node, locals, stack, height);
      const n = nodes[node] as Instruction;
      if (n.kind === "cp" && n.op === Op.NEW) newNodes.push(node);
      if (n.kind === "local" && n.op === Op.ALOAD && locals[n.index] === UNINITIALIZED_THIS) thisLoads.push({ node, height });
      if (n.kind === "cp" && n.op === Op.INVOKESPECIAL) {
        const ref = ctx.cp.memberRef(n.index);
        if (ref.name === "<init>") {
          const at = height - 1 - parseMethodDescriptor(ref.descriptor).paramSlots;
          const receiver = stack[at];
          if (receiver === UNINITIALIZED_THIS) superCalls.push({ node, receiver: at });
          if (receiver !== undefined && frames.types.isUninitialized(receiver)) {
            const site = frames.types.siteOf(receiver);
            const list = initOf.get(site) ?? [];
            list.push(node);
            initOf.set(site, list);
          }
        }
      }
      const op = isInstruction(n) ? opcodeOf(n) : -1;
      if (op === Op.MONITORENTER) monitorEnters.push({ node, level: ++depth });
      else if (op === Op.MONITOREXIT) {
        const list = monitorExits.get(depth) ?? [];
        list.push(node);
        monitorExits.set(depth, list);
        depth = Math.max(0, depth - 1);
      }
    });
  }
  quality.finish();
  const nextInstruction = (i: number): number => {
    let j = i + 1;
    while (j < nodes.length && !isInstruction(nodes[j]!)) j++;
    return j;
  };
  for (const site of newNodes) {
    const inits = initOf.get(site);
    if (!inits || inits.length === 0) continue;
    const dup = nextInstruction(site);
    const d = nodes[dup];
    if (!d || d.kind !== "simple" || d.op !== Op.DUP) continue;
    const entry = nextInstruction(dup);
    const last = Math.max(...inits);
    if (entry >= last) continue;
    candidates.push({ entry, stops: inits, span: sizeBefore[last]! - sizeBefore[entry]! });
  }
  candidates.push(...superCandidates(superCalls, thisLoads, nextInstruction, sizeBefore));
  candidates.push(...monitorCandidates(monitorEnters, monitorExits, nextInstruction, sizeBefore));
  candidates.sort((a, b) => b.span - a.span || a.entry - b.entry);
  if (process.env.MEGASPLIT_DEBUG) process.stderr.write(`candidates ${ctx.where.method}: ${candidates.map((c) => c.span).join(",")}\n`);
  for (const c of candidates) {
    if (c.span <= maxSize / 2) break;
    const cut = withCutLabels(body, new Set([c.entry, ...c.stops]));
    const b1 = cut.body;
    const { cfg } = buildCfg(b1, ctx.where, { extraLeaders: cut.leaders });
    const f1 = inferFrames(b1, ctx);
    if (f1.errors.length > 0) continue;
    const liveness = computeLiveness(b1, cfg);
    // Inserted labels shift node indices by the number of labels placed before them.
    const shifted = (i: number) => i + [c.entry, ...c.stops].filter((x) => x <= i).length;
    const entryBlock = cfg.blockOfNode[shifted(c.entry)]!;
    const stop = new Set(c.stops.map((x) => cfg.blockOfNode[shifted(x)]!));
    const name = freshName(base, "region", new Set(taken));
    const r = outlineRegion({
      body: b1,
      cfg,
      frames: f1,
      liveness,
      cp: ctx.cp,
      className: ctx.className,
      pieceOwner: { className: ctx.className, isInterface: (cf.accessFlags & Access.INTERFACE) !== 0 },
      descriptor: ctx.descriptor,
      regionName: name,
      maxLocals: Math.max(f1.maxLocals, body.maxLocals),
      maxStack: Math.max(f1.maxStack, body.maxStack),
      entry: entryBlock,
      stop,
      ...(lines ? { syntheticLine: () => nextSyntheticLine(lines) } : {}),
    });
    if (!r.ok) {
      if (process.env.MEGASPLIT_DEBUG) process.stderr.write(`outline ${ctx.where.method} span ${c.span}: ${r.reason}\n`);
      continue;
    }
    // The call that replaces the region stays where the region was, inside what could
    // not be cut: when storing and reloading the region's locals around it costs more
    // than the code it moves (hundreds of live values around a small region), the
    // method only grows, and outlining again would outline the call sequence itself.
    if (maxCodeSize(r.parent.nodes) >= sizeBefore[nodes.length]!) {
      if (process.env.MEGASPLIT_DEBUG) process.stderr.write(`outline ${ctx.where.method} span ${c.span}: the call sequence is larger than the region\n`);
      continue;
    }
    taken.add(name);
    return { parent: r.parent, region: r.region, name, descriptor: r.regionDescriptor, ...(r.callLine !== undefined ? { callLine: r.callLine } : {}) };
  }
  return undefined;
}

/**
 * The regions of each super(...)/this(...) call: its arguments, from after the load
 * of the receiver (the nearest load of uninitializedThis before the call at the
 * receiver's height) to the call; and, when the stack is empty at that load, the
 * statements before it, from the method's first instruction (JVM languages emit
 * them, and Java's flexible constructor bodies, JEP 513). The outline pass refuses
 * a region that reads uninitializedThis (a field store before super(), as some
 * compilers emit).
 */
function superCandidates(
  superCalls: readonly { node: number; receiver: number }[],
  thisLoads: readonly { node: number; height: number }[],
  nextInstruction: (i: number) => number,
  sizeBefore: Int32Array,
): { entry: number; stops: number[]; span: number }[] {
  const out: { entry: number; stops: number[]; span: number }[] = [];
  const first = nextInstruction(-1);
  for (const call of superCalls) {
    let load = -1;
    for (const t of thisLoads) if (t.node < call.node && t.height === call.receiver && t.node > load) load = t.node;
    if (load < 0) continue;
    if (call.receiver === 0 && first < load) out.push({ entry: first, stops: [load], span: sizeBefore[load]! - sizeBefore[first]! });
    const entry = nextInstruction(load);
    if (entry < call.node) out.push({ entry, stops: [call.node], span: sizeBefore[call.node]! - sizeBefore[entry]! });
  }
  return out;
}

/**
 * The bodies of `synchronized` blocks as regions: from after each `monitorenter` to
 * its exits. A block's stops are every later exit at its level (stopping early only
 * makes the region smaller), but its span ends at its own last exit: before the next
 * block entered at the same level, whose exits would otherwise count too (sequential
 * synchronized blocks looked like one region the size of all of them, outlined again
 * and again at a few bytes each).
 */
function monitorCandidates(
  enters: readonly { node: number; level: number }[],
  exitsByLevel: ReadonlyMap<number, readonly number[]>,
  nextInstruction: (i: number) => number,
  sizeBefore: Int32Array,
): { entry: number; stops: number[]; span: number }[] {
  const nextEnterAt = nextAtSameLevel(enters);
  const out: { entry: number; stops: number[]; span: number }[] = [];
  for (const { node, level } of enters) {
    const exits = (exitsByLevel.get(level) ?? []).filter((x) => x > node);
    if (exits.length === 0) continue;
    const entry = nextInstruction(node);
    const own = exits.filter((x) => x < nextEnterAt.get(node)!);
    const last = Math.max(...(own.length > 0 ? own : exits));
    out.push({ entry, stops: exits, span: sizeBefore[last]! - sizeBefore[entry]! });
  }
  return out;
}

/** For each `monitorenter`, the node of the next one entered at the same level (Infinity if none). */
function nextAtSameLevel(enters: readonly { node: number; level: number }[]): Map<number, number> {
  const next = new Map<number, number>();
  const byLevel = new Map<number, number[]>();
  for (const e of enters) {
    const list = byLevel.get(e.level) ?? [];
    list.push(e.node);
    byLevel.set(e.level, list);
  }
  for (const list of byLevel.values()) {
    list.sort((a, b) => a - b);
    list.forEach((n, i) => next.set(n, i + 1 < list.length ? list[i + 1]! : Infinity));
  }
  return next;
}
