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
 * `new`, added when the body has none there.
 *
 * Unreachable code (javac never emits it, other generators do): removed, with its
 * line entries, and every exception-table row left covering no instruction dropped;
 * labels stay in place so tables referring to them still resolve. ASM instead
 * keeps the bytes as nop...athrow with a full frame; we re-lay out the code anyway,
 * so removing it is simpler and never needs a frame for code no one runs. The CFG
 * reports it as W_UNREACHABLE.
 *
 * Errors: code whose frames cannot be inferred (E_FRAME, see `frames.ts`) makes
 * `computeStackMapFrames` throw the first one; the class drivers keep such a
 * method as it was and report the diagnostic (`recomputeClassFrames`) or fail the
 * class (`upgradeClass`, which cannot leave a pre-50 method without frames).
 *
 * Cost: inference (see `frames.ts`) plus one pass over the nodes; a body with
 * unreachable code is inferred twice.
 */
import type { CodeNode, FrameNode, FrameType, Handler, MethodBody } from "../src/bytecode/model.js";
import { decodeBody } from "../src/bytecode/decode.js";
import { encodeBody } from "../src/bytecode/encode.js";
import { FLAGS, OpFlag } from "../src/bytecode/opcodes.js";
import { type ClassFile, type MethodInfo, codeOf } from "../src/classfile/model.js";
import { asDiagnostic, type Diagnostic, MegasplitError } from "../src/diagnostics.js";
import { branchTargets, isInstruction, opcodeOf } from "./cfg.js";
import { DOUBLE, FLOAT, type FrameAnalysis, INT, LONG, NULL, TOP, UNINITIALIZED_THIS, type VType, compressSlots, firstInstruction, inferFrames } from "./frames.js";
import { hasSubroutines, inlineSubroutines } from "./inline-subroutines.js";
import { computeLiveness, isLive } from "./liveness.js";
import { type ClassHierarchy, type Pass, type PassContext, methodContext } from "./pass.js";
import { labelNames } from "../src/text/disassemble.js";

export const name = "stackmap";
export const description = "write StackMapTable frames at jump targets, handlers and after unconditional transfers; set max stack and locals";

export interface StackMapOptions {
  /**
   * Keep every local the inference typed, as ASM does. By default a local that is
   * dead at a frame (no path reads it before writing it, `liveness.ts`) and outside
   * every LocalVariableTable range there becomes top: javac's frames list the
   * variables in scope, and a dead, out-of-scope slot is what they leave out.
   */
  keepDeadLocals?: boolean;
}

/**
 * Which locals a frame at a block's entry lists: live ones, ones a
 * LocalVariableTable row covers there, and uninitializedThis (its flag must not
 * disappear, JVMS 4.10.1.4 frameIsAssignable); the rest become top.
 */
function localsToKeep(body: MethodBody, a: FrameAnalysis, ctx: PassContext): (b: number, locals: Int32Array) => Int32Array {
  const live = computeLiveness(body, a.cfg);
  const { cfg } = a;
  const rows = (body.localVariables ?? []).map((v) => ({ from: cfg.labelNode[v.start]!, to: cfg.labelNode[v.end]!, index: v.index }));
  void ctx;
  return (b, locals) => {
    const set = live.liveIn[b]!;
    const at = firstInstruction(cfg, b);
    let out = locals;
    for (let i = 0; i < locals.length; i++) {
      const t = locals[i]!;
      if (t === TOP || t === UNINITIALIZED_THIS) continue;
      const wide = t === LONG || t === DOUBLE;
      if (isLive(set, i) || (wide && isLive(set, i + 1))) continue;
      if (rows.some((r) => r.index === i && r.from <= at && at < r.to)) continue;
      if (out === locals) out = locals.slice();
      out[i] = TOP;
      if (wide) out[i + 1] = TOP;
    }
    return out;
  };
}

/** Removes unreachable instructions (and their line entries) and the handler rows that then cover nothing. */
function withoutUnreachableCode(body: MethodBody, a: FrameAnalysis): MethodBody {
  const { cfg } = a;
  const nodes: CodeNode[] = [];
  for (let i = 0; i < body.nodes.length; i++) {
    const node = body.nodes[i]!;
    if (!cfg.reachable[cfg.blockOfNode[i]!] && node.kind !== "label") continue;
    nodes.push(node);
  }
  // A row stays when an instruction lies between its start and end labels.
  const position = new Int32Array(body.labelCount).fill(-1);
  const instructionsBefore = new Int32Array(nodes.length + 1);
  for (let i = 0; i < nodes.length; i++) {
    const node = nodes[i]!;
    if (node.kind === "label") position[node.label] = i;
    instructionsBefore[i + 1] = instructionsBefore[i]! + (isInstruction(node) ? 1 : 0);
  }
  const handlers: Handler[] = body.handlers.filter((h) => instructionsBefore[position[h.end]!]! > instructionsBefore[position[h.start]!]!);
  return { ...body, nodes, handlers };
}

/** Blocks that need a frame: jump and switch targets, handler entries, code after an unconditional transfer. */
function framedBlocks(a: FrameAnalysis): Uint8Array {
  const { cfg } = a;
  const body = cfg.body;
  const need = new Uint8Array(cfg.blockCount);
  for (const node of body.nodes) {
    if (node.kind === "jump" || node.kind === "tableswitch" || node.kind === "lookupswitch") {
      for (const t of branchTargets(node)) need[cfg.blockOfLabel[t]!] = 1;
    }
  }
  for (let h = 0; h < body.handlers.length; h++) need[cfg.handlerBlock[h]!] = 1;
  for (let b = 1; b < cfg.blockCount; b++) {
    const last = body.nodes[cfg.blockLastInstruction[b - 1]!]!;
    if (isInstruction(last) && FLAGS[opcodeOf(last)]! & OpFlag.NO_FALLTHROUGH) need[b] = 1;
  }
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
  let a = inferFrames(body, ctx);
  if (a.errors.length > 0) throw new MegasplitError(a.errors[0]!.code, a.errors[0]!.message, a.errors[0]!.location);
  if (a.cfg.reachable.some((r) => r === 0)) {
    body = withoutUnreachableCode(body, a);
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

  // Frames by the node index of their block's first instruction.
  const frameAt = new Map<number, FrameNode>();
  const keep = opts.keepDeadLocals ? undefined : localsToKeep(body, a, ctx);
  let prev = compressSlots(a.initial.locals);
  for (let b = 0; b < cfg.blockCount; b++) {
    if (!need[b]) continue;
    const f = a.entry[b]!;
    const locals = compressSlots(keep ? keep(b, f.locals) : f.locals);
    const stack = compressSlots(f.stack, false);
    let frame: FrameNode;
    const d = locals.length - prev.length;
    if (stack.length === 0 && d === 0 && sameList(locals, prev)) frame = { type: "same" };
    else if (stack.length === 1 && d === 0 && sameList(locals, prev)) frame = { type: "same_locals_1_stack_item", stack: frameType(stack[0]!) };
    else if (stack.length === 0 && d < 0 && d >= -3 && sameList(locals, prev, locals.length)) frame = { type: "chop", chop: -d };
    else if (stack.length === 0 && d > 0 && d <= 3 && sameList(prev, locals, prev.length)) frame = { type: "append", locals: locals.slice(prev.length).map(frameType) };
    else frame = { type: "full", locals: locals.map(frameType), stack: stack.map(frameType) };
    frameAt.set(firstInstruction(cfg, b), frame);
    prev = locals;
  }

  const out: CodeNode[] = [];
  for (let i = 0; i < nodes.length; i++) {
    const node = nodes[i]!;
    if (node.kind === "frame") continue;
    if (isInstruction(node)) {
      const label = siteLabel.get(i);
      if (label !== undefined && label >= body.labelCount) out.push({ kind: "label", label });
      const frame = frameAt.get(i);
      if (frame) out.push({ kind: "frame", frame });
    }
    out.push(node);
  }
  return { ...body, nodes: out, labelCount, maxStack: a.maxStack, maxLocals: a.maxLocals, hasStackMapTable: frameAt.size > 0 };
}

/** The body without its `frame` nodes (what the frames were computed from is then only the code). */
export function withoutFrames(body: MethodBody): MethodBody {
  return { ...body, nodes: body.nodes.filter((n) => n.kind !== "frame"), hasStackMapTable: false };
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
 * computed frames, for the type-checking verifier. Throws E_FRAME (or the
 * inliner's error) when a method cannot be framed. Classes already at or above
 * `targetMajor` have their frames recomputed and keep their version.
 */
export function upgradeClass(cf: ClassFile, hierarchy: ClassHierarchy | undefined, targetMajor = 51): ClassFile {
  const framed = recomputeClassFrames(cf, hierarchy, { strict: true });
  if (cf.majorVersion >= targetMajor) return framed;
  return { ...framed, majorVersion: targetMajor, minorVersion: 0 };
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
  for (const node of body.nodes) {
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
