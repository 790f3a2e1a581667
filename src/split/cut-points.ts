/**
 * Where the splitter may and wants to cut a method, before any partition: labels
 * that force a block boundary (long straight-line code cut into chunks, at places
 * another piece may enter, preferably with an empty stack; a long stretch no
 * other piece may enter, such as a constructor's arguments, cut off from the code
 * around it; final-field writes of version-53+ classes isolated, the value on the
 * stack across the cut, so that only the store stays in the original method, JVMS
 * 6.5 putfield/putstatic), switches too large for one piece turned into trees of
 * smaller ones, and the monitors held at each block's entry (JVMS 2.11.10:
 * structured locking forbids moving a monitor region's code to another frame).
 * Cost: linear in the method.
 */
import type { CodeNode, MethodBody } from "../bytecode/model.js";
import { FLAGS, Op, OpFlag } from "../bytecode/opcodes.js";
import { maxEncodedSize } from "../bytecode/size-bound.js";
import { Access, type ClassFile } from "../classfile/model.js";
import { type ControlFlowGraph, isInstruction, opcodeOf } from "../../passes/cfg.js";
import { pushInt as pushConstant } from "../../passes/link/frame-arrays.js";
import type { PassContext } from "../../passes/pass.js";
import { newMethodBody } from "../bytecode/method-body.js";
import type { CutQuality } from "./cut-quality.js";

/** Inserts a label before every node index in `before`; returns the body and the new labels. */
export function withCutLabels(body: MethodBody, before: ReadonlySet<number>): { body: MethodBody; leaders: Set<number> } {
  if (before.size === 0) return { body, leaders: new Set() };
  const nodes: CodeNode[] = [];
  const leaders = new Set<number>();
  let labelCount = body.labelCount;
  body.nodes.forEach((n, i) => {
    if (before.has(i)) {
      const label = labelCount++;
      leaders.add(label);
      nodes.push({ kind: "label", label });
    }
    nodes.push(n);
  });
  return { body: newMethodBody({ ...body, nodes, labelCount }), leaders };
}

/** Most cases a switch keeps whole at `fine` (larger ones become a tree of such leaves): a leaf's table is at most budget/8 bytes. */
export function switchLeafCases(budget: number, fine: number): number {
  return Math.max(fine > 1 ? 3 : 8, Math.floor(budget / 32 / fine));
}

/**
 * Rewrites every switch with more than `maxCases` cases into smaller switches,
 * so that no single instruction, and no block's fan-out, is too large for a piece.
 * A `tableswitch` inside a loop (a later jump goes back above it, as javac lays out
 * an interpreter's `for` around its dispatch) becomes two levels when that fits: a
 * switch on the key's bucket
 * (`dup; push low; isub; push k; ishr; tableswitch`, buckets of 2^k keys) whose
 * targets are one `tableswitch` per bucket over its own keys. Every bucket is then
 * one region of a dispatch loop (loop-spine.ts: the child of the spine's switch in
 * the dominator tree), so a piece can hold a bucket with its cases and a moved step
 * costs one transfer; a binary tree of range tests nests the buckets instead, and
 * a step could pass through two or three pieces (measured on bench/jit-unlock's
 * light 20 KB interpreter: 1.27 piece calls per step with the tree). Any key outside
 * every bucket reaches the default (the bucket's own switch checks the key), so no
 * overflow of `key - low` can misroute it. Other switches become a tree of range
 * tests (`dup; push mid; if_icmpge high-half`), whose leaves, halves of halves,
 * are smaller than full buckets (a bucket of 32 keys outgrew a 1,024-byte piece
 * with its exit stubs in Rhino's NativeObject.execIdCall, where the tree fits).
 * Semantics are unchanged: each key reaches the same target, every other key the
 * same default.
 */
export function splitLargeSwitches(body: MethodBody, maxCases: number, cp: PassContext["cp"]): MethodBody {
  return splitLargeSwitchesTraced(body, maxCases, cp).body;
}

/** A switch `splitLargeSwitches` rewrote: its node index before, and the nodes [from, to) that replace it after. */
export interface ReplacedSwitch {
  node: number;
  from: number;
  to: number;
}

/** {@link splitLargeSwitches}, also saying which switches it rewrote, in node order (none: `body` itself). */
export function splitLargeSwitchesTraced(body: MethodBody, maxCases: number, cp: PassContext["cp"]): { body: MethodBody; replaced: ReplacedSwitch[] } {
  const replaced: ReplacedSwitch[] = [];
  if (!body.nodes.some((n) => (n.kind === "tableswitch" && n.targets.length > maxCases) || (n.kind === "lookupswitch" && n.keys.length > maxCases))) return { body, replaced };
  let labelCount = body.labelCount;
  const pushInt = (out: CodeNode[], v: number) => pushConstant(out, v, cp);
  // Buckets of 2^shift keys, the most that fit one switch.
  const shift = 31 - Math.clz32(Math.max(1, maxCases));
  const buckets = (keys: number[], targets: number[], dflt: number, out: CodeNode[]) => {
    const low = keys[0]!;
    const leaves: { label: number; from: number }[] = [];
    for (let from = 0; from < keys.length; from += 1 << shift) leaves.push({ label: labelCount++, from });
    const outside = labelCount++;
    out.push({ kind: "simple", op: Op.DUP });
    if (low !== 0) {
      pushInt(out, low);
      out.push({ kind: "simple", op: Op.ISUB });
    }
    pushInt(out, shift);
    out.push({ kind: "simple", op: Op.ISHR });
    out.push({ kind: "tableswitch", low: 0, high: leaves.length - 1, defaultTarget: outside, targets: leaves.map((l) => l.label) });
    out.push({ kind: "label", label: outside });
    out.push({ kind: "simple", op: Op.POP });
    out.push({ kind: "jump", op: Op.GOTO, target: dflt });
    for (const { label, from } of leaves) {
      const to = Math.min(keys.length, from + (1 << shift));
      out.push({ kind: "label", label });
      out.push({ kind: "tableswitch", low: keys[from]!, high: keys[to - 1]!, defaultTarget: dflt, targets: targets.slice(from, to) });
    }
  };
  const looping = inLoopSpan(body);
  const emit = (out: CodeNode[], keys: number[], targets: number[], dflt: number, dense: boolean, inLoop = false) => {
    if (dense && inLoop && keys.length > maxCases && Math.ceil(keys.length / (1 << shift)) <= maxCases) {
      buckets(keys, targets, dflt, out);
      return;
    }
    if (keys.length <= maxCases) {
      if (dense) out.push({ kind: "tableswitch", low: keys[0]!, high: keys[keys.length - 1]!, defaultTarget: dflt, targets });
      else out.push({ kind: "lookupswitch", defaultTarget: dflt, keys, targets });
      return;
    }
    const half = keys.length >> 1;
    const high = labelCount++;
    out.push({ kind: "simple", op: Op.DUP });
    pushInt(out, keys[half]!);
    out.push({ kind: "jump", op: Op.IF_ICMPGE, target: high });
    emit(out, keys.slice(0, half), targets.slice(0, half), dflt, dense);
    out.push({ kind: "label", label: high });
    emit(out, keys.slice(half), targets.slice(half), dflt, dense);
  };
  const nodes: CodeNode[] = [];
  // An index loop: for-of over a whole method's nodes allocated an iterator result per node (gigabytes of garbage at 16 MB).
  for (let ni = 0, allNodes = body.nodes; ni < allNodes.length; ni++) {
    const n = allNodes[ni]!;
    const from = nodes.length;
    if (n.kind === "tableswitch" && n.targets.length > maxCases) {
      emit(nodes, n.targets.map((_, i) => n.low + i), n.targets, n.defaultTarget, true, looping[ni] === 1);
    } else if (n.kind === "lookupswitch" && n.keys.length > maxCases) {
      emit(nodes, n.keys, n.targets, n.defaultTarget, false);
    } else {
      nodes.push(n);
      continue;
    }
    replaced.push({ node: ni, from, to: nodes.length });
  }
  return { body: newMethodBody({ ...body, nodes, labelCount }), replaced };
}

/**
 * Per node: 1 when a jump or switch after it targets a label at or before it, so
 * that the node lies in a loop as compilers lay loops out (a backward jump closes
 * it). Exception edges are not counted. Cost: one pass from the end.
 */
function inLoopSpan(body: MethodBody): Uint8Array {
  const nodes = body.nodes;
  const labelAt = new Int32Array(body.labelCount).fill(-1);
  for (let i = 0; i < nodes.length; i++) {
    const n = nodes[i]!;
    if (n.kind === "label") labelAt[n.label] = i;
  }
  const span = new Uint8Array(nodes.length);
  let earliest = Infinity; // the earliest label a later jump targets
  for (let i = nodes.length - 1; i >= 0; i--) {
    if (earliest <= i) span[i] = 1;
    const n = nodes[i]!;
    if (n.kind === "jump") earliest = Math.min(earliest, labelAt[n.target]!);
    else if (n.kind === "tableswitch" || n.kind === "lookupswitch") {
      earliest = Math.min(earliest, labelAt[n.defaultTarget]!);
      for (const t of n.targets) earliest = Math.min(earliest, labelAt[t]!);
    }
  }
  return span;
}

/**
 * Final fields of the class whose writes must stay in the original method: since
 * class version 53 HotSpot throws IllegalAccessError when a final field is written
 * outside `<init>` (instance) or `<clinit>` (static) of its class; older classes may
 * write them from any method of the class.
 */
export function finalFieldsGuarded(cf: ClassFile): Set<string> {
  const out = new Set<string>();
  if (cf.majorVersion < 53) return out;
  const cp = cf.constantPool;
  for (const f of cf.fields) if (f.accessFlags & Access.FINAL) out.add(cp.utf8(f.nameIndex) + ":" + cp.utf8(f.descriptorIndex));
  return out;
}

/** Node indices where the splitter wants a block to start. */
export function cutPoints(body: MethodBody, ctx: PassContext, chunk: number, where: CutQuality, finals: Set<string> = finalFieldsGuarded(ctx.classFile)): Set<number> {
  const cp = ctx.cp;
  const out = new Set<number>();
  const nodes = body.nodes;
  // Labels that start blocks anyway: branch and switch targets, handler bounds.
  const leaders = new Set<number>();
  for (let ni = 0; ni < nodes.length; ni++) {
    const n = nodes[ni]!;
    if (n.kind === "jump") leaders.add(n.target);
    else if (n.kind === "tableswitch" || n.kind === "lookupswitch") for (const t of [n.defaultTarget, ...n.targets]) leaders.add(t);
  }
  for (const h of body.handlers) leaders.add(h.start).add(h.end).add(h.handler);
  // Stretches no other piece may enter (an uninitialized object or a monitor is
  // held), in node order: a long one gets a cut right before it (at its `new` or
  // `monitorenter`), and any one a cut right after it once the code since the
  // last cut is a quarter chunk, so that the atom the partition cannot cut is the
  // stretch and little more, not the stretch and the code on either side (a
  // constructor's outlined arguments leave a short stretch between long runs).
  const aroundLongStretch = new Set<number>();
  {
    let before = -1;
    let start = -1;
    let size = 0;
    for (let i = 0; i < nodes.length; i++) {
      const n = nodes[i]!;
      if (!isInstruction(n)) continue;
      if (!where.enterable[i]) {
        if (start < 0) start = i;
        size += maxEncodedSize(n);
      } else {
        if (start >= 0 && size >= chunk / 4) {
          if (before >= 0) aroundLongStretch.add(before);
          aroundLongStretch.add(i);
        }
        start = -1;
        size = 0;
        before = i;
      }
    }
  }
  let run = 0;
  let inStretch = false;
  for (let i = 0; i < nodes.length; i++) {
    const n = nodes[i]!;
    if (n.kind === "label" && leaders.has(n.label)) run = 0;
    if (!isInstruction(n)) continue;
    const leavesStretch = inStretch && where.enterable[i] === 1;
    inStretch = where.enterable[i] === 0;
    if (run > 0 && (aroundLongStretch.has(i) || (leavesStretch && run >= chunk / 4))) {
      out.add(i);
      run = 0;
    }
    if (n.kind === "cp" && (n.op === Op.PUTFIELD || n.op === Op.PUTSTATIC) && finals.size > 0) {
      const ref = cp.memberRef(n.index);
      if (ref.owner === ctx.className && finals.has(ref.name + ":" + ref.descriptor)) {
        out.add(i);
        // The instruction after the write starts a block too.
        let j = i + 1;
        while (j < nodes.length && !isInstruction(nodes[j]!)) j++;
        if (j < nodes.length) out.add(j);
        run = 0;
        continue;
      }
    }
    const size = maxEncodedSize(n);
    // Past the chunk, cut at the first place another piece may enter: no
    // uninitialized object and no monitor; an empty stack if one comes soon.
    if (run + size > chunk && run > 0 && where.enterable[i] && (where.stackHeight[i] === 0 || run + size > chunk * 1.5)) {
      out.add(i);
      run = 0;
    }
    run += size;
    if (FLAGS[opcodeOf(n)]! & OpFlag.ENDS_BLOCK) run = 0;
  }
  return out;
}

/** Whether a block writes a final field of its class (it must then stay in the driver). */
export function writesOwnFinal(cfg: ControlFlowGraph, b: number, ctx: PassContext, finals: Set<string>): boolean {
  if (finals.size === 0) return false;
  const nodes = cfg.body.nodes;
  for (let i = cfg.blockStart[b]!; i < cfg.blockEnd[b]!; i++) {
    const n = nodes[i]!;
    if (n.kind === "cp" && (n.op === Op.PUTFIELD || n.op === Op.PUTSTATIC)) {
      const ref = ctx.cp.memberRef(n.index);
      if (ref.owner === ctx.className && finals.has(ref.name + ":" + ref.descriptor)) return true;
    }
  }
  return false;
}

/**
 * What a method's pinned blocks are, for a refusal: the code before super() of a
 * constructor (its size given), and the writes of the class's own final fields,
 * with the bytes of the stores alone (JVMS 6.5 putfield/putstatic: since class
 * version 53 only `<init>` or `<clinit>` may write them).
 */
export function describePinned(cfg: ControlFlowGraph, ctx: PassContext, finals: Set<string>, beforeSuperBytes: number): string {
  const fields = new Set<string>();
  let writes = 0;
  const nodes = cfg.body.nodes;
  for (let b = 0; b < cfg.blockCount; b++) {
    if (!cfg.reachable[b] || !writesOwnFinal(cfg, b, ctx, finals)) continue;
    for (let i = cfg.blockStart[b]!; i < cfg.blockEnd[b]!; i++) {
      const n = nodes[i]!;
      if (n.kind !== "cp" || (n.op !== Op.PUTFIELD && n.op !== Op.PUTSTATIC)) continue;
      const ref = ctx.cp.memberRef(n.index);
      if (ref.owner !== ctx.className || !finals.has(ref.name + ":" + ref.descriptor)) continue;
      fields.add(ref.name);
      writes++;
    }
  }
  const parts: string[] = [];
  if (beforeSuperBytes > 0) parts.push(`the ${beforeSuperBytes} bytes before super()`);
  if (writes > 0) {
    const where = ctx.methodName === "<clinit>" ? "<clinit>" : "<init>";
    parts.push(`the ${writes} write${writes === 1 ? "" : "s"} (${writes * 3} bytes) of ${fields.size} final field${fields.size === 1 ? "" : "s"} (only ${where} may write them since class version 53)`);
  }
  return parts.length > 0 ? parts.join(" and ") : "the code that must stay in the original method";
}
