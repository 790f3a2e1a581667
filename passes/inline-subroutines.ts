/**
 * jsr/ret elimination (JVMS 4.10.2.5 subroutines; `jsr`, `jsr_w`, `ret` in 6.5):
 * every `jsr` site gets its own copy of the subroutine it calls, so the result has
 * no subroutines and can be typed by the frames pass (class versions >= 51 forbid
 * jsr/ret, JVMS 4.9.1). Only old class files (< 51) need it.
 *
 * Regions: the main code is what the entry reaches when a `jsr` is followed to its
 * return point only (never into the subroutine), plus handlers covering main code.
 * A subroutine's body is what its entry reaches the same way, stopping at `ret`
 * and at main code, plus handlers whose range covers body code and whose entry is
 * not main code. Main code stays in place; each subroutine instance (one per jsr
 * site, recursively: a jsr inside an instance makes a child instance) is appended
 * after it, its instructions in original order, so fall-through inside a body is
 * kept and a body falling into main code gets an explicit `goto`. Code neither in
 * the main code nor in any body of a live subroutine is unreachable and dropped
 * (its labels stay in place, so tables referring to them still resolve).
 *
 * Return addresses: when the subroutine's first instruction is `astore r` and
 * nothing but `jsr` targets it (what every compiler emits), the copy drops that
 * store and the `jsr` becomes a bare `goto`; the return address never exists (as
 * ASM's JSRInlinerAdapter effectively does, and without a dead local the frames
 * pass would have to type). Otherwise the jsr becomes `aconst_null; goto` and the
 * copied code stores the placeholder as it stored the address. `ret n` becomes a
 * `goto` to the return point of the innermost enclosing instance whose return
 * address lives in local n (so a `ret` of an outer subroutine's address from a
 * nested one returns through both, as JVMS allows). Stack heights only shrink or
 * stay, so max_stack and max_locals are kept.
 *
 * Tables: every exception-table row keeps its main-code range when that range still
 * holds an instruction, and gains one row per maximal run of copied instructions it
 * covered, right after it, so for every copy the matching handlers are those of the
 * original instruction in the same order (JVMS 2.10 picks the first match); the
 * handler is the instance's copy when the handler code is part of the body, the
 * main code otherwise. LocalVariable(Type)Table rows are copied the same way. Line
 * numbers are copied with the code (stack traces in finally blocks stay exact).
 * Frames are dropped and `hasStackMapTable` is false: the frames pass recomputes
 * them. Code attributes with raw offsets (type annotations) are dropped.
 *
 * Errors (MegasplitError E_SUBROUTINE, at ctx.where): a recursive subroutine, a
 * `ret` in main code or whose local holds no enclosing instance's return address,
 * a jsr target that main code also reaches, a subroutine returning or running
 * past the end of the code, an expansion above MAX_INLINED_NODES nodes.
 *
 * Cost: O(nodes) to find main code, O(nodes + handlers x rounds) per distinct
 * subroutine body, then linear in the output, which is the sum of the instance
 * sizes: exponential in the nesting depth of finally blocks (k sites per level
 * give k^depth copies), as with every inliner.
 */
import type { CodeNode, Handler, Instruction, Label, LocalVariable, MethodBody } from "../src/bytecode/model.js";
import { FLAGS, Op, OpFlag } from "../src/bytecode/opcodes.js";
import { encodeBody } from "../src/bytecode/encode.js";
import { disassemble } from "../src/text/disassemble.js";
import { ErrorCodes, MegasplitError } from "../src/diagnostics.js";
import { branchTargets, isInstruction, opcodeOf } from "./cfg.js";
import type { Pass, PassContext } from "./pass.js";

export const name = "inline-subroutines";
export const description = "replace jsr/ret subroutines by one copy per call site (class versions < 51)";

/** Upper bound on the inlined body, so a pathological nesting fails instead of exhausting memory. */
export const MAX_INLINED_NODES = 20_000_000;

/** True when the body has a jsr or ret. */
export function hasSubroutines(body: MethodBody): boolean {
  for (const n of body.nodes) {
    if ((n.kind === "jump" && n.op === Op.JSR) || (n.kind === "local" && n.op === Op.RET)) return true;
  }
  return false;
}

/** One subroutine: its entry instruction and body (node indices of instructions, ascending). */
interface Subroutine {
  entry: number;
  members: Uint8Array;
  list: number[];
  /** Local of the return address when the first instruction is `astore r`. */
  raLocal: number | undefined;
  /** Whether the jsr drops the `astore r` (and pushes nothing). */
  dropsStore: boolean;
}

/** One copy of a subroutine, made for one jsr site. */
interface Instance {
  sub: Subroutine;
  parent: Instance | undefined;
  /** Where `ret` goes; undefined when the jsr was the last instruction. */
  returnLabel: Label | undefined;
  entryLabel: Label;
  labels: Map<Label, Label>;
  /** Emitted items: original instruction, output range [start, end). Only items with an instruction. */
  itemOrig: number[];
  itemStart: number[];
  itemEnd: number[];
}

export function inlineSubroutines(body: MethodBody, ctx: Pick<PassContext, "where">): MethodBody {
  if (!hasSubroutines(body)) return body;
  const where = ctx.where;
  const fail = (message: string): never => {
    throw new MegasplitError(ErrorCodes.SUBROUTINE, message, where);
  };
  const nodes = body.nodes;
  const n = nodes.length;

  const labelNode = new Int32Array(body.labelCount).fill(-1);
  nodes.forEach((node, i) => {
    if (node.kind === "label") labelNode[node.label] = i;
  });
  // The instruction each node belongs to: itself, or the next instruction (n: none).
  const owner = new Int32Array(n + 1);
  owner[n] = n;
  for (let i = n - 1; i >= 0; i--) owner[i] = isInstruction(nodes[i]!) ? i : owner[i + 1]!;
  const nextInsn = (i: number): number => owner[i + 1]!;
  // The first pseudo-node of each instruction's run (the instruction itself when none).
  const itemBegin = new Int32Array(n);
  for (let i = 0, begin = 0; i < n; i++) {
    if (isInstruction(nodes[i]!)) {
      itemBegin[i] = begin;
      begin = i + 1;
    }
  }
  const insnOfLabel = (l: Label): number => {
    const p = l >= 0 && l < labelNode.length ? labelNode[l]! : -1;
    if (p < 0) throw new MegasplitError(ErrorCodes.BRANCH_TARGET, `label ${l} is used but not placed`, where);
    return owner[p]!;
  };
  const handlerRange = body.handlers.map((h) => [labelNode[h.start]!, labelNode[h.end]!] as const);
  for (const h of body.handlers) {
    insnOfLabel(h.start);
    insnOfLabel(h.end);
  }

  /**
   * Marks what `entry` reaches (jsr: its return point only; ret: nothing), never
   * entering `exclude`, plus the handlers covering marked code. Returns the marked
   * instructions, ascending.
   */
  const reach = (entry: number, exclude: Uint8Array | undefined): { members: Uint8Array; list: number[] } => {
    const members = new Uint8Array(n);
    const list: number[] = [];
    const work: number[] = [];
    const push = (i: number) => {
      if (i < n && !members[i] && !(exclude && exclude[i])) {
        members[i] = 1;
        list.push(i);
        work.push(i);
      }
    };
    const taken = new Uint8Array(body.handlers.length);
    push(entry);
    for (;;) {
      while (work.length > 0) {
        const i = work.pop()!;
        const insn = nodes[i] as Instruction;
        const op = opcodeOf(insn);
        if (op === Op.JSR) {
          push(nextInsn(i));
          continue;
        }
        if (op === Op.RET) continue;
        if (!(FLAGS[op]! & OpFlag.NO_FALLTHROUGH)) push(nextInsn(i));
        for (const t of branchTargets(insn)) push(insnOfLabel(t));
      }
      // Handlers whose range covers a marked instruction (prefix sums over the marks).
      const prefix = new Int32Array(n + 1);
      for (let i = 0; i < n; i++) prefix[i + 1] = prefix[i]! + members[i]!;
      body.handlers.forEach((h, hi) => {
        if (taken[hi]) return;
        const [s, e] = handlerRange[hi]!;
        if (e > s && prefix[e]! - prefix[s]! > 0) {
          taken[hi] = 1;
          push(insnOfLabel(h.handler));
        }
      });
      if (work.length === 0) break;
    }
    list.sort((a, b) => a - b);
    return { members, list };
  };

  const firstInsn = owner[0]!;
  const main = reach(firstInsn, undefined).members;

  // Instructions something other than a jsr transfers to (a subroutine entry that is one keeps its astore).
  const targetedOtherwise = new Uint8Array(n);
  for (let i = 0; i < n; i++) {
    const node = nodes[i]!;
    if (!isInstruction(node) || (node.kind === "jump" && node.op === Op.JSR)) continue;
    for (const t of branchTargets(node)) targetedOtherwise[insnOfLabel(t)] = 1;
  }
  for (const h of body.handlers) targetedOtherwise[insnOfLabel(h.handler)] = 1;

  const subroutines = new Map<number, Subroutine>();
  const subroutineAt = (entry: number): Subroutine => {
    let sub = subroutines.get(entry);
    if (sub) return sub;
    if (main[entry]) fail(`subroutine at node ${entry} is also reached without jsr`);
    const { members, list } = reach(entry, main);
    const first = nodes[entry]!;
    const raLocal = first.kind === "local" && first.op === Op.ASTORE ? first.index : undefined;
    sub = { entry, members, list, raLocal, dropsStore: raLocal !== undefined && !targetedOtherwise[entry] };
    subroutines.set(entry, sub);
    return sub;
  };

  // ---- output ----
  const out: CodeNode[] = [];
  let labelCount = body.labelCount;
  const newLabel = (): Label => labelCount++;
  /** Labels to insert before output position p (applied at the end). */
  const extraLabels = new Map<number, Label[]>();
  const labelAtOutput = new Map<number, Label>();
  const labelAt = (p: number): Label => {
    let l = labelAtOutput.get(p);
    if (l === undefined) {
      l = newLabel();
      labelAtOutput.set(p, l);
      const list = extraLabels.get(p);
      if (list) list.push(l);
      else extraLabels.set(p, [l]);
    }
    return l;
  };
  const mainInsnOut = new Int32Array(n).fill(-1);
  /** Main-code instructions a body falls through into: they need a label. */
  const mainLabels = new Map<number, Label>();
  const mainLabel = (i: number): Label => {
    let l = mainLabels.get(i);
    if (l === undefined) {
      l = newLabel();
      mainLabels.set(i, l);
    }
    return l;
  };

  const instances: Instance[] = [];
  const queue: Instance[] = [];
  const instantiate = (entryInsn: number, parent: Instance | undefined, returnLabel: Label | undefined): Instance => {
    const sub = subroutineAt(entryInsn);
    for (let p = parent; p; p = p.parent) {
      if (p.sub === sub) fail(`recursive subroutine at node ${entryInsn}`);
    }
    const inst: Instance = { sub, parent, returnLabel, entryLabel: newLabel(), labels: new Map(), itemOrig: [], itemStart: [], itemEnd: [] };
    instances.push(inst);
    queue.push(inst);
    return inst;
  };
  /** A jsr becomes a goto to a new instance (after a placeholder when the store is kept); `ret` goes to this label. */
  const emitJsr = (target: Label, parent: Instance | undefined, returnLabel: Label | undefined): void => {
    const child = instantiate(insnOfLabel(target), parent, returnLabel);
    if (!child.sub.dropsStore) out.push({ kind: "simple", op: Op.ACONST_NULL });
    out.push({ kind: "jump", op: Op.GOTO, target: child.entryLabel });
    if (returnLabel !== undefined) out.push({ kind: "label", label: returnLabel });
  };

  // Main code, in place. Every label stays (tables refer to them); pseudo-nodes of dropped code go.
  for (let i = 0; i < n; i++) {
    const node = nodes[i]!;
    if (node.kind === "label") {
      out.push(node);
      continue;
    }
    if (!main[owner[i]!]) continue;
    if (node.kind === "frame") continue;
    if (node.kind === "line") {
      out.push(node);
      continue;
    }
    mainInsnOut[i] = out.length;
    if (node.kind === "jump" && node.op === Op.JSR) {
      emitJsr(node.target, undefined, nextInsn(i) < n ? newLabel() : undefined);
    } else if (node.kind === "local" && node.op === Op.RET) {
      fail(`ret ${node.index} at node ${i} is not inside a subroutine`);
    } else {
      out.push(node);
    }
  }

  const mapLabel = (inst: Instance, l: Label): Label => {
    if (!inst.sub.members[insnOfLabel(l)]) return l;
    let m = inst.labels.get(l);
    if (m === undefined) {
      m = newLabel();
      inst.labels.set(l, m);
    }
    return m;
  };

  // Instances, appended in creation order (children after their parents).
  while (queue.length > 0) {
    const inst = queue.shift()!;
    const { sub } = inst;
    for (const x of sub.list) {
      if (out.length > MAX_INLINED_NODES) fail(`inlining subroutines would produce more than ${MAX_INLINED_NODES} nodes`);
      const itemStart = out.length;
      // Pseudo-nodes before x: labels renamed for this instance, lines copied, frames dropped.
      for (let k = itemBegin[x]!; k < x; k++) {
        const p = nodes[k]!;
        if (p.kind === "label") out.push({ kind: "label", label: mapLabel(inst, p.label) });
        else if (p.kind === "line") out.push(p);
      }
      if (x === sub.entry) out.push({ kind: "label", label: inst.entryLabel });
      const insn = nodes[x] as Instruction;
      const op = opcodeOf(insn);
      const insnStart = out.length;
      if (x === sub.entry && sub.dropsStore) {
        // The return address is never pushed; nothing to store.
      } else if (insn.kind === "jump" && op === Op.JSR) {
        emitJsr(insn.target, inst, nextInsn(x) < n ? newLabel() : undefined);
      } else if (insn.kind === "local" && op === Op.RET) {
        let target: Instance | undefined;
        for (let p: Instance | undefined = inst; p; p = p.parent) {
          if (p.sub.raLocal === insn.index) {
            target = p;
            break;
          }
        }
        if (!target) fail(`cannot determine which subroutine ret ${insn.index} at node ${x} returns from`);
        if (target!.returnLabel === undefined) fail(`subroutine at node ${target!.sub.entry} returns past the end of the code`);
        out.push({ kind: "jump", op: Op.GOTO, target: target!.returnLabel! });
      } else {
        out.push(copyInstruction(insn, (l) => mapLabel(inst, l)));
        if (!(FLAGS[op]! & OpFlag.NO_FALLTHROUGH)) {
          const next = nextInsn(x);
          if (next >= n) fail(`subroutine code at node ${x} runs past the end of the code`);
          if (!sub.members[next]) out.push({ kind: "jump", op: Op.GOTO, target: mainLabel(next) });
        }
      }
      if (out.length > insnStart) {
        inst.itemOrig.push(x);
        inst.itemStart.push(itemStart);
        inst.itemEnd.push(out.length);
      }
    }
  }

  // Labels for main instructions that bodies fall into.
  for (const [i, l] of mainLabels) {
    const p = mainInsnOut[i]!;
    const list = extraLabels.get(p);
    if (list) list.push(l);
    else extraLabels.set(p, [l]);
  }

  // Tables: the main row when its range still holds main code, then one row per run of copies.
  const mainPrefix = new Int32Array(n + 1);
  for (let i = 0; i < n; i++) mainPrefix[i + 1] = mainPrefix[i]! + main[i]!;
  const holdsMainCode = (start: Label, end: Label): boolean => {
    const s = labelNode[start]!;
    const e = labelNode[end]!;
    return e > s && mainPrefix[e]! - mainPrefix[s]! > 0;
  };
  const runs = (start: Label, end: Label, emit: (inst: Instance, from: Label, to: Label) => void): void => {
    const s = labelNode[start]!;
    const e = labelNode[end]!;
    if (!(e > s)) return;
    for (const inst of instances) {
      const k = inst.itemOrig.length;
      let a = 0;
      while (a < k) {
        const x = inst.itemOrig[a]!;
        if (x < s || x >= e) {
          a++;
          continue;
        }
        let b = a;
        while (b + 1 < k && inst.itemOrig[b + 1]! >= s && inst.itemOrig[b + 1]! < e) b++;
        emit(inst, labelAt(inst.itemStart[a]!), labelAt(inst.itemEnd[b]!));
        a = b + 1;
      }
    }
  };
  const handlers: Handler[] = [];
  for (const h of body.handlers) {
    if (holdsMainCode(h.start, h.end)) handlers.push(h);
    runs(h.start, h.end, (inst, from, to) => handlers.push({ start: from, end: to, handler: mapLabel(inst, h.handler), catchType: h.catchType }));
  }
  const copyVariables = (rows: LocalVariable[]): LocalVariable[] => {
    const result: LocalVariable[] = [];
    for (const v of rows) {
      insnOfLabel(v.start);
      insnOfLabel(v.end);
      if (holdsMainCode(v.start, v.end)) result.push(v);
      runs(v.start, v.end, (_inst, from, to) => result.push({ ...v, start: from, end: to }));
    }
    return result;
  };
  const localVariables = body.localVariables ? copyVariables(body.localVariables) : undefined;
  const localVariableTypes = body.localVariableTypes ? copyVariables(body.localVariableTypes) : undefined;

  // Insert the positional labels.
  const finalNodes: CodeNode[] = [];
  for (let p = 0; p <= out.length; p++) {
    const ls = extraLabels.get(p);
    if (ls) for (const l of ls) finalNodes.push({ kind: "label", label: l });
    if (p < out.length) finalNodes.push(out[p]!);
  }

  const result: MethodBody = {
    maxStack: body.maxStack,
    maxLocals: body.maxLocals,
    nodes: finalNodes,
    labelCount,
    handlers,
    hasStackMapTable: false,
    otherAttributes: [],
  };
  if (localVariables) result.localVariables = localVariables;
  if (localVariableTypes) result.localVariableTypes = localVariableTypes;
  return result;
}

/** A copy of an instruction with its labels renamed. */
function copyInstruction(insn: Instruction, rename: (l: Label) => Label): Instruction {
  switch (insn.kind) {
    case "jump":
      return { kind: "jump", op: insn.op, target: rename(insn.target) };
    case "tableswitch":
      return { kind: "tableswitch", low: insn.low, high: insn.high, defaultTarget: rename(insn.defaultTarget), targets: insn.targets.map(rename) };
    case "lookupswitch":
      return { kind: "lookupswitch", defaultTarget: rename(insn.defaultTarget), keys: insn.keys.slice(), targets: insn.targets.map(rename) };
    default:
      return { ...insn };
  }
}

/**
 * The body as our disassembly syntax (the lines between `.method` and `.end
 * method`), encoded against a copy of the pool so the context's class is untouched.
 */
export function formatBody(body: MethodBody, ctx: PassContext): string {
  const cp = ctx.cp.clone();
  const code = encodeBody(body, cp, { where: ctx.where });
  const method = { accessFlags: ctx.method.accessFlags, nameIndex: ctx.method.nameIndex, descriptorIndex: ctx.method.descriptorIndex, attributes: [code] };
  const cf = { ...ctx.classFile, constantPool: cp, methods: [method], fields: [], attributes: [] };
  const lines = disassemble(cf).split("\n");
  const from = lines.findIndex((l) => l.startsWith(".method"));
  const to = lines.lastIndexOf(".end method");
  return `${lines.slice(from + 1, to).join("\n")}\n`;
}

export const inlineSubroutinesPass: Pass<MethodBody> = {
  name,
  description,
  run: inlineSubroutines,
  format: (result, _body, ctx) => formatBody(result, ctx),
};
