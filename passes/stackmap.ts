/**
 * The StackMapTable writer (JVMS 4.7.4 encoding, 4.10.1 placement): from the frames
 * `frames.ts` infers, a new body with one `frame` node at every block that needs
 * one, max_stack and max_locals set, and class-level drivers that drop and
 * recompute every method's frames, or upgrade a pre-50 class to version 51.
 *
 * Placement, as javac and ASM do it: a frame at every jump or switch target, every
 * exception-handler entry, and every instruction that follows an unconditional
 * transfer (goto, switch, return, athrow), which is where the type checker has no
 * incoming state of its own (JVMS 4.10.1.6 mergedCodeIsTypeSafe after a goto).
 * Nothing else gets one, so a body already framed by javac gets frames at the same
 * offsets.
 *
 * Form: the smallest relative to the previous frame (the first: to the method's
 * initial frame), tried in order same, same_locals_1_stack_item, chop (1-3 locals
 * fewer), append (1-3 more), full. Locals are compared as verification-type lists:
 * a long or double is one entry (its second slot implied) and trailing tops are
 * trimmed, as javac writes them. uninitialized(new) types refer to a label at the
 * `new`, added when the body has none there. By default locals are written as
 * javac would: dead ones outside every LocalVariableTable row as top, ones inside
 * a row with its declared type where that is sound (see {@link StackMapOptions}).
 *
 * Unreachable code (javac never emits it, ASM-based generators do): treated as ASM
 * treats it, so such classes keep their shape and frames: every maximal run of
 * unreachable instructions becomes nop...nop athrow (same instruction count, labels,
 * lines and local-variable rows kept) under a frame `full [] [java/lang/Throwable]`,
 * and exception-table rows are split around the run (a row left covering nothing
 * is dropped): the handler's frame could not accept the run's empty locals.
 *
 * Errors: code whose frames cannot be inferred (E_FRAME, see `frames.ts`) makes
 * `computeStackMapFrames` throw the first one; the class drivers keep such a
 * method as it was and report the diagnostic (`recomputeClassFrames`) or fail the
 * class (`upgradeClass`, which cannot leave a pre-50 method without frames).
 *
 * Cost: inference (see `frames.ts`) plus one pass over the nodes; a body with
 * unreachable code is inferred twice; javac-style frames add liveness and one more
 * inference that checks them.
 */
import type { CodeNode, FrameNode, FrameType, Handler, MethodBody } from "../src/bytecode/model.js";
import { decodeBody } from "../src/bytecode/decode.js";
import { encodeBody } from "../src/bytecode/encode.js";
import { FLAGS, Op, OpFlag } from "../src/bytecode/opcodes.js";
import { parseMethodDescriptor } from "../src/bytecode/descriptors.js";
import { Access, type ClassFile, type MethodInfo, codeOf } from "../src/classfile/model.js";
import { asDiagnostic, assert, type Diagnostic, MegasplitError } from "../src/diagnostics.js";
import { branchTargets, firstInstruction, isInstruction, opcodeOf } from "./cfg.js";
import { DOUBLE, FLOAT, type Frame, type FrameAnalysis, INT, LONG, NULL, TOP, UNINITIALIZED_THIS, type VType, compressSlots, inferFrames } from "./frames.js";
import { hasSubroutines, inlineSubroutines } from "./inline-subroutines.js";
import { computeLiveness, isLive } from "./liveness.js";
import { type ClassHierarchy, type Pass, type PassContext, methodContext } from "./pass.js";
import { labelNames } from "../src/text/disassemble.js";
import { newMethodBody } from "../src/bytecode/method-body.js";

export const name = "stackmap";
export const description = "write StackMapTable frames at jump targets, handlers and after unconditional transfers; set max stack and locals";

export interface StackMapOptions {
  /**
   * Write every local as inferred, as ASM does. By default frames follow javac:
   * a local that is dead at the frame (no path reads it before writing it,
   * `liveness.ts`) and outside every LocalVariableTable row becomes top, and a
   * reference local inside a row is written with the row's declared type when the
   * inferred one is assignable to it (javac's frames list the variables in scope,
   * with their declared types). Such frames are kept only when inference with
   * them as facts finds every one accepting what flows in (a lying
   * LocalVariableTable, or code from other compilers, can break that); otherwise
   * the method gets every local as inferred.
   */
  asInferred?: boolean;
  /** The former name of {@link asInferred}. */
  keepDeadLocals?: boolean;
}

/**
 * The locals a frame at a block's entry lists, javac's way (see
 * {@link StackMapOptions}). `this` and the parameters are kept (in scope for the
 * whole method), and so is uninitializedThis: its flag must not disappear
 * (JVMS 4.10.1.4 frameIsAssignable). Sound because a dead slot is never read
 * before being written, and a declared type is only used when every value the
 * inference found is assignable to it (the code after the frame was compiled
 * against that type).
 */
function javacLocals(body: MethodBody, a: FrameAnalysis, ctx: PassContext): (b: number, locals: Int32Array) => Int32Array {
  const live = computeLiveness(body, a.cfg);
  const { cfg, types } = a;
  const cp = ctx.cp;
  const rows = (body.localVariables ?? []).map((v) => ({ from: cfg.labelNode[v.start]!, to: cfg.labelNode[v.end]!, index: v.index, descriptor: cp.utf8(v.descriptorIndex) }));
  const parameters = parseMethodDescriptor(ctx.descriptor).paramSlots + (ctx.method.accessFlags & Access.STATIC ? 0 : 1);
  const hierarchy = ctx.hierarchy;
  return (b, locals) => {
    const set = live.liveIn[b]!;
    const at = firstInstruction(cfg, b);
    let out = locals;
    const write = (i: number, t: number) => {
      if (out === locals) out = locals.slice();
      out[i] = t;
    };
    for (let i = 0; i < locals.length; i++) {
      const t = locals[i]!;
      if (t === TOP || t === UNINITIALIZED_THIS) continue;
      const row = rows.find((r) => r.index === i && r.from <= at && at < r.to);
      if (row) {
        const d = row.descriptor;
        if (hierarchy && (t === NULL || types.isObject(t)) && (d.startsWith("L") || d.startsWith("["))) {
          const declared = types.fromDescriptor(d);
          if (declared !== t && (t === NULL || hierarchy.isAssignable(types.nameOf(declared), types.nameOf(t)))) write(i, declared);
        }
        continue;
      }
      if (i < parameters) continue;
      const wide = t === LONG || t === DOUBLE;
      if (isLive(set, i) || (wide && isLive(set, i + 1))) continue;
      write(i, TOP);
      if (wide) write(i + 1, TOP);
    }
    return out;
  };
}

/**
 * Unreachable code as ASM leaves it: each maximal run of unreachable blocks becomes
 * `nop ... nop athrow` (one instruction for each one it replaces, labels and lines
 * kept), to get the frame `full locals [] stack [java/lang/Throwable]`; exception
 * rows lose the parts that covered such runs (split around them, and dropped when
 * nothing is left), since the handler's frame could not accept the empty locals.
 */
function neutralizeUnreachable(body: MethodBody, a: FrameAnalysis): MethodBody {
  const { cfg } = a;
  const nodes: CodeNode[] = [];
  let labelCount = body.labelCount;
  // Dead runs as instruction-index intervals, with the labels placed at their ends.
  const runs: { from: number; to: number; startLabel: number; endLabel: number }[] = [];
  const instructionIndexOfLabel = new Int32Array(body.labelCount + 2 * cfg.blockCount);
  let instructions = 0;
  for (let b = 0; b < cfg.blockCount; b++) {
    const dead = !cfg.reachable[b];
    const runStart = dead && (b === 0 || cfg.reachable[b - 1]);
    const runEnd = dead && (b + 1 === cfg.blockCount || cfg.reachable[b + 1]);
    if (runStart) {
      const label = labelCount++;
      nodes.push({ kind: "label", label });
      instructionIndexOfLabel[label] = instructions;
      runs.push({ from: instructions, to: -1, startLabel: label, endLabel: -1 });
    }
    const lastInRun = runEnd ? cfg.blockLastInstruction[b]! : -1;
    for (let i = cfg.blockStart[b]!; i < cfg.blockEnd[b]!; i++) {
      const node = body.nodes[i]!;
      if (node.kind === "frame") continue;
      if (node.kind === "label") instructionIndexOfLabel[node.label] = instructions;
      if (dead && isInstruction(node)) {
        nodes.push({ kind: "simple", op: i === lastInRun ? Op.ATHROW : Op.NOP });
        instructions++;
        if (i === lastInRun) {
          const label = labelCount++;
          nodes.push({ kind: "label", label });
          instructionIndexOfLabel[label] = instructions;
          const run = runs[runs.length - 1]!;
          run.to = instructions;
          run.endLabel = label;
        }
        continue;
      }
      nodes.push(node);
      if (isInstruction(node)) instructions++;
    }
  }
  const handlers: Handler[] = [];
  for (const h of body.handlers) {
    const end = instructionIndexOfLabel[h.end]!;
    let at = instructionIndexOfLabel[h.start]!;
    let from = h.start;
    for (const r of runs) {
      if (r.to <= at || r.from >= end) continue;
      if (r.from > at) handlers.push({ ...h, start: from, end: r.startLabel });
      at = r.to;
      from = r.endLabel;
    }
    if (at < end) handlers.push({ ...h, start: from, end: h.end });
  }
  return newMethodBody({ ...body, nodes, labelCount, handlers });
}

/** Blocks that need a frame: jump and switch targets, handler entries, code after an unconditional transfer. */
function framedBlocks(a: FrameAnalysis): Uint8Array {
  const { cfg } = a;
  const body = cfg.body;
  const need = new Uint8Array(cfg.blockCount);
  // An index loop: for-of over a whole method's nodes allocated an iterator result per node (gigabytes of garbage at 16 MB).
  for (let ni = 0, allNodes = body.nodes; ni < allNodes.length; ni++) {
    const node = allNodes[ni]!;
    if (node.kind === "jump" || node.kind === "tableswitch" || node.kind === "lookupswitch") {
      for (const t of branchTargets(node)) need[cfg.blockOfLabel[t]!] = 1;
    }
  }
  for (let h = 0; h < body.handlers.length; h++) need[cfg.handlerBlock[h]!] = 1;
  for (let b = 1; b < cfg.blockCount; b++) {
    const last = body.nodes[cfg.blockLastInstruction[b - 1]!]!;
    if (isInstruction(last) && FLAGS[opcodeOf(last)]! & OpFlag.NO_FALLTHROUGH) need[b] = 1;
  }
  // Leftover jumps and handler rows into neutralized code need no frame there.
  for (let b = 0; b < cfg.blockCount; b++) if (!cfg.reachable[b]) need[b] = b === 0 || cfg.reachable[b - 1] ? 1 : 0;
  return need;
}

function sameList(a: readonly number[], b: readonly number[], n = a.length): boolean {
  if (n > a.length || n > b.length) return false;
  for (let i = 0; i < n; i++) if (a[i] !== b[i]) return false;
  return true;
}

/**
 * Writes frames into a new body (see the file comment). The input's own `frame`
 * nodes are facts for inference (JVMS 4.7.4) and are replaced; strip them first to
 * infer from scratch.
 */
export function computeStackMapFrames(body: MethodBody, ctx: PassContext, opts: StackMapOptions = {}): MethodBody {
  if (opts.asInferred || opts.keepDeadLocals) return writeFrames(body, ctx, true);
  // javac's way where the type checker accepts it (checked by inferring again
  // with the written frames as facts), every inferred local otherwise.
  const out = writeFrames(body, ctx, false);
  const check = inferFrames(out, ctx, { useDeclaredFrames: true });
  if (check.errors.length === 0 && check.rejectedFrames.length === 0) return out;
  return writeFrames(body, ctx, true);
}

function writeFrames(body: MethodBody, ctx: PassContext, keepDeadLocals: boolean): MethodBody {
  let a = inferFrames(body, ctx);
  if (a.errors.length > 0) throw new MegasplitError(a.errors[0]!.code, a.errors[0]!.message, a.errors[0]!.location);
  if (a.cfg.reachable.some((r) => r === 0)) {
    body = neutralizeUnreachable(body, a);
    a = inferFrames(body, ctx);
    if (a.errors.length > 0) throw new MegasplitError(a.errors[0]!.code, a.errors[0]!.message, a.errors[0]!.location);
  }
  const { cfg, types } = a;
  const need = framedBlocks(a);
  const nodes = body.nodes;
  let labelCount = body.labelCount;

  // Labels of `new` sites that frames mention.
  const siteLabel = new Map<number, number>();
  const classIndex = new Map<string, number>();
  const frameType = (t: VType): FrameType => {
    switch (t) {
      case TOP:
        return { tag: "top" };
      case INT:
        return { tag: "int" };
      case FLOAT:
        return { tag: "float" };
      case LONG:
        return { tag: "long" };
      case DOUBLE:
        return { tag: "double" };
      case NULL:
        return { tag: "null" };
      case UNINITIALIZED_THIS:
        return { tag: "uninitializedThis" };
    }
    if (types.isUninitialized(t)) {
      const site = types.siteOf(t);
      let label = siteLabel.get(site);
      if (label === undefined) {
        for (let p = site - 1; p >= 0 && !isInstruction(nodes[p]!); p--) {
          const n = nodes[p]!;
          if (n.kind === "label") label = n.label;
        }
        label ??= labelCount++;
        siteLabel.set(site, label);
      }
      return { tag: "uninitialized", label };
    }
    const name = types.nameOf(t);
    let index = classIndex.get(name);
    if (index === undefined) {
      index = ctx.cp.addClass(name);
      classIndex.set(name, index);
    }
    return { tag: "object", classIndex: index };
  };

  // Frames with the node index of their block's first instruction, ascending (blocks in order).
  const frameAt: number[] = [];
  const frames: FrameNode[] = [];
  const place = (b: number, frame: FrameNode) => {
    frameAt.push(firstInstruction(cfg, b));
    frames.push(frame);
  };
  const keep = keepDeadLocals ? undefined : javacLocals(body, a, ctx);
  let prev = compressSlots(a.initial.locals);
  // Equal entry frames are one object (shared-frames.ts): a run of blocks entered
  // with the same locals compresses them once (300 locals x every block of a piece).
  let lastLocalsIn: Frame["locals"] | undefined;
  let lastLocals: VType[] = [];
  for (let b = 0; b < cfg.blockCount; b++) {
    if (!need[b]) continue;
    const f = a.entry[b];
    if (!f) {
      place(b, { type: "full", locals: [], stack: [frameType(types.object("java/lang/Throwable"))] });
      prev = [];
      continue;
    }
    let locals: VType[];
    if (!keep && f.locals === lastLocalsIn) locals = lastLocals;
    else {
      locals = compressSlots(keep ? keep(b, f.locals) : f.locals);
      if (!keep) [lastLocalsIn, lastLocals] = [f.locals, locals];
    }
    const stack = compressSlots(f.stack, false);
    let frame: FrameNode;
    const d = locals.length - prev.length;
    if (stack.length === 0 && d === 0 && sameList(locals, prev)) frame = { type: "same" };
    else if (stack.length === 1 && d === 0 && sameList(locals, prev)) frame = { type: "same_locals_1_stack_item", stack: frameType(stack[0]!) };
    else if (stack.length === 0 && d < 0 && d >= -3 && sameList(locals, prev, locals.length)) frame = { type: "chop", chop: -d };
    else if (stack.length === 0 && d > 0 && d <= 3 && sameList(prev, locals, prev.length)) frame = { type: "append", locals: locals.slice(prev.length).map(frameType) };
    else frame = { type: "full", locals: locals.map(frameType), stack: stack.map(frameType) };
    place(b, frame);
    prev = locals;
  }

  // Labels added at `new` sites, by node index (most bodies have none: no lookup per node then).
  const addedLabel = new Map<number, number>();
  for (const [site, label] of siteLabel) if (label >= body.labelCount) addedLabel.set(site, label);
  const out: CodeNode[] = [];
  let k = 0;
  for (let i = 0; i < nodes.length; i++) {
    const node = nodes[i]!;
    const kind = node.kind;
    if (kind === "frame") continue;
    if (kind !== "label" && kind !== "line") {
      if (addedLabel.size > 0) {
        const label = addedLabel.get(i);
        if (label !== undefined) out.push({ kind: "label", label });
      }
      if (frameAt[k] === i) out.push({ kind: "frame", frame: frames[k++]! });
    }
    out.push(node);
  }
  assert(k === frames.length, "stackmap: every frame is placed at its block's first instruction");
  return newMethodBody({ ...body, nodes: out, labelCount, maxStack: a.maxStack, maxLocals: a.maxLocals, hasStackMapTable: frames.length > 0 });
}

/**
 * The body without its `frame` nodes (what the frames were computed from is then only
 * the code). A body with none keeps its node array: at 16 MB a copy per call is
 * millions of entries, and pieces, drivers and built methods carry no frames.
 */
export function withoutFrames(body: MethodBody): MethodBody {
  const framed = body.nodes.some((n) => n.kind === "frame");
  return newMethodBody({ ...body, nodes: framed ? body.nodes.filter((n) => n.kind !== "frame") : body.nodes, hasStackMapTable: false });
}

export interface RecomputeOptions {
  /** Receives one diagnostic per method kept as it was. */
  diagnostics?: Diagnostic[];
  /** Throw on the first method whose frames cannot be computed instead of keeping it. */
  strict?: boolean;
}

/**
 * Drops every method's StackMapTable and computes it from scratch (inlining
 * jsr/ret subroutines first where there are any). The constant pool is cloned
 * (frames add Class entries), so `cf` is unchanged.
 */
export function recomputeClassFrames(cf: ClassFile, hierarchy: ClassHierarchy | undefined, opts: RecomputeOptions = {}): ClassFile {
  const cp = cf.constantPool.clone();
  const out: ClassFile = { ...cf, constantPool: cp };
  out.methods = cf.methods.map((m): MethodInfo => {
    const code = codeOf(m);
    if (!code) return m;
    const ctx = methodContext(out, m, hierarchy ? { hierarchy } : {});
    try {
      let body = withoutFrames(decodeBody(code, cp, ctx.where));
      if (hasSubroutines(body)) body = inlineSubroutines(body, ctx);
      const framed = computeStackMapFrames(body, ctx);
      const encoded = encodeBody(framed, cp, { where: ctx.where });
      const attributes = m.attributes.map((attr) => (attr === code ? { ...encoded, nameIndex: code.nameIndex } : attr));
      return { accessFlags: m.accessFlags, nameIndex: m.nameIndex, descriptorIndex: m.descriptorIndex, attributes };
    } catch (e) {
      if (opts.strict) throw e;
      opts.diagnostics?.push(asDiagnostic(e, ctx.where));
      return m;
    }
  });
  return out;
}

/**
 * A pre-50 class (no StackMapTable, maybe jsr/ret) as a `targetMajor` class with
 * computed frames, for the type-checking verifier, and ACC_ABSTRACT on an
 * interface, which older versions did not require. Throws E_FRAME (or the
 * inliner's error) when a method cannot be framed. Classes already at or above
 * `targetMajor` have their frames recomputed and keep their version.
 */
export function upgradeClass(cf: ClassFile, hierarchy: ClassHierarchy | undefined, targetMajor = 51): ClassFile {
  const framed = recomputeClassFrames(cf, hierarchy, { strict: true });
  if (cf.majorVersion >= targetMajor) return framed;
  // From version 50 HotSpot enforces JVMS 4.1: an interface is also ACC_ABSTRACT
  // (old compilers left it out of package-info "interfaces").
  const accessFlags = cf.accessFlags & Access.INTERFACE ? cf.accessFlags | Access.ABSTRACT : cf.accessFlags;
  return { ...framed, accessFlags, majorVersion: targetMajor, minorVersion: 0 };
}

export const stackmapPass: Pass<MethodBody> = {
  name,
  description,
  run: (body, ctx) => computeStackMapFrames(withoutFrames(body), ctx),
  format: (result, _body, ctx) => formatFramedBody(result, ctx),
};

/**
 * max_stack, max_locals and one line per frame node: the label at its position (the
 * disassembler's names) or the instruction's ordinal, then the frame as written.
 */
export function formatFramedBody(body: MethodBody, ctx: PassContext): string {
  const lines = [`max_stack ${body.maxStack} max_locals ${body.maxLocals}`];
  const names = labelNames(body);
  const cp = ctx.cp;
  const t = (x: FrameType): string => {
    switch (x.tag) {
      case "object": {
        const n = cp.className(x.classIndex);
        return n.startsWith("[") ? n : `L${n};`;
      }
      case "uninitialized":
        return `uninitialized(${names.get(x.label) ?? `L?${x.label}`})`;
      default:
        return x.tag;
    }
  };
  let index = 0;
  let here: string | undefined;
  for (let ni = 0, allNodes = body.nodes; ni < allNodes.length; ni++) {
    const node = allNodes[ni]!;
    if (node.kind === "label") here ??= names.get(node.label);
    if (isInstruction(node)) {
      index++;
      here = undefined;
    }
    if (node.kind !== "frame") continue;
    const f = node.frame;
    const what =
      f.type === "same"
        ? "same"
        : f.type === "same_locals_1_stack_item"
          ? `same_locals_1_stack_item ${t(f.stack)}`
          : f.type === "chop"
            ? `chop ${f.chop}`
            : f.type === "append"
              ? `append ${f.locals.map(t).join(" ")}`
              : `full locals [${f.locals.map(t).join(" ")}] stack [${f.stack.map(t).join(" ")}]`;
    lines.push(`${here ?? `#${index}`}: ${what}`);
  }
  return lines.join("\n") + "\n";
}
