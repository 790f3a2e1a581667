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
import { newMethodBody } from "../src/bytecode/method-body.js";

export const name = "inline-subroutines";
export const description = "replace jsr/ret subroutines by one copy per call site (class versions < 51)";

/** Upper bound on the inlined body, so a pathological nesting fails instead of exhausting memory. */
export const MAX_INLINED_NODES = 20_000_000;

/** True when the body has a jsr or ret. */
export function hasSubroutines(body: MethodBody): boolean {
  // An index loop: for-of over a whole method's nodes allocated an iterator result per node (gigabytes of garbage at 16 MB).
  for (let ni = 0, allNodes = body.nodes; ni < allNodes.length; ni++) {
    const n = allNodes[ni]!;
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
  const ix = indexBody(body, ctx.where);
  const main = reach(ix, ix.owner[0]!, undefined).members;
  const inliner = new Inliner(ix, main, jsrOnlyEntries(ix));
  inliner.emitMainCode();
  inliner.emitInstances();
  inliner.labelMainFallThroughTargets();
  const tables = new TableCopier(ix, main, inliner);
  const handlers = tables.handlers();
  const localVariables = body.localVariables ? tables.variables(body.localVariables) : undefined;
  const localVariableTypes = body.localVariableTypes ? tables.variables(body.localVariableTypes) : undefined;
  const result: MethodBody = newMethodBody({
    maxStack: body.maxStack,
    maxLocals: body.maxLocals,
    nodes: inliner.nodesWithLabels(),
    labelCount: inliner.labelCount,
    handlers,
    localVariables,
    localVariableTypes,
    hasStackMapTable: false,
    otherAttributes: [],
  });
  return result;
}

/** Positions in the input body that every step reads. */
interface BodyIndex {
  body: MethodBody;
  nodes: readonly CodeNode[];
  n: number;
  where: PassContext["where"];
  /** Node index of each placed label (-1: not placed). */
  labelNode: Int32Array;
  /** The instruction each node belongs to: itself, or the next instruction (n: none). */
  owner: Int32Array;
  /** The first pseudo-node of each instruction's run (the instruction itself when none). */
  itemBegin: Int32Array;
  /** Node range [start, end) of each handler's protected range. */
  handlerRange: (readonly [number, number])[];
}

function indexBody(body: MethodBody, where: PassContext["where"]): BodyIndex {
  const nodes = body.nodes;
  const n = nodes.length;
  const labelNode = new Int32Array(body.labelCount).fill(-1);
  nodes.forEach((node, i) => {
    if (node.kind === "label") labelNode[node.label] = i;
  });
  const owner = new Int32Array(n + 1);
  owner[n] = n;
  for (let i = n - 1; i >= 0; i--) owner[i] = isInstruction(nodes[i]!) ? i : owner[i + 1]!;
  const itemBegin = new Int32Array(n);
  for (let i = 0, begin = 0; i < n; i++) {
    if (isInstruction(nodes[i]!)) {
      itemBegin[i] = begin;
      begin = i + 1;
    }
  }
  const handlerRange = body.handlers.map((h) => [labelNode[h.start]!, labelNode[h.end]!] as const);
  const ix: BodyIndex = { body, nodes, n, where, labelNode, owner, itemBegin, handlerRange };
  for (const h of body.handlers) {
    insnOfLabel(ix, h.start);
    insnOfLabel(ix, h.end);
  }
  return ix;
}

function fail(ix: BodyIndex, message: string): never {
  throw new MegasplitError(ErrorCodes.SUBROUTINE, message, ix.where);
}

const nextInsn = (ix: BodyIndex, i: number): number => ix.owner[i + 1]!;

/** The instruction at or after a label (E_BRANCH_TARGET when the label is not placed). */
function insnOfLabel(ix: BodyIndex, l: Label): number {
  const p = l >= 0 && l < ix.labelNode.length ? ix.labelNode[l]! : -1;
  if (p < 0) throw new MegasplitError(ErrorCodes.BRANCH_TARGET, `label ${l} is used but not placed`, ix.where);
  return ix.owner[p]!;
}

/**
 * Marks what `entry` reaches (jsr: its return point only; ret: nothing), never
 * entering `exclude`, plus the handlers covering marked code. Returns the marked
 * instructions, ascending.
 */
function reach(ix: BodyIndex, entry: number, exclude: Uint8Array | undefined): { members: Uint8Array; list: number[] } {
  const { nodes, n, body } = ix;
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
        push(nextInsn(ix, i));
        continue;
      }
      if (op === Op.RET) continue;
      if (!(FLAGS[op]! & OpFlag.NO_FALLTHROUGH)) push(nextInsn(ix, i));
      for (const t of branchTargets(insn)) push(insnOfLabel(ix, t));
    }
    // Handlers whose range covers a marked instruction (prefix sums over the marks).
    const prefix = new Int32Array(n + 1);
    for (let i = 0; i < n; i++) prefix[i + 1] = prefix[i]! + members[i]!;
    body.handlers.forEach((h, hi) => {
      if (taken[hi]) return;
      const [s, e] = ix.handlerRange[hi]!;
      if (e > s && prefix[e]! - prefix[s]! > 0) {
        taken[hi] = 1;
        push(insnOfLabel(ix, h.handler));
      }
    });
    if (work.length === 0) break;
  }
  list.sort((a, b) => a - b);
  return { members, list };
}

/** Instructions only a jsr transfers to (0 where a branch or handler also does: such an entry keeps its astore). */
function jsrOnlyEntries(ix: BodyIndex): Uint8Array {
  const targetedOtherwise = new Uint8Array(ix.n);
  for (let i = 0; i < ix.n; i++) {
    const node = ix.nodes[i]!;
    if (!isInstruction(node) || (node.kind === "jump" && node.op === Op.JSR)) continue;
    for (const t of branchTargets(node)) targetedOtherwise[insnOfLabel(ix, t)] = 1;
  }
  for (const h of ix.body.handlers) targetedOtherwise[insnOfLabel(ix, h.handler)] = 1;
  return targetedOtherwise.map((x) => 1 - x);
}

/** Writes main code in place and every subroutine instance after it, with the labels they need. */
class Inliner {
  readonly out: CodeNode[] = [];
  labelCount: number;
  /** Labels to insert before output position p (applied at the end). */
  private readonly extraLabels = new Map<number, Label[]>();
  private readonly labelAtOutput = new Map<number, Label>();
  private readonly mainInsnOut: Int32Array;
  /** Main-code instructions a body falls through into: they need a label. */
  private readonly mainLabels = new Map<number, Label>();
  readonly instances: Instance[] = [];
  private readonly queue: Instance[] = [];
  private readonly subroutines = new Map<number, Subroutine>();

  constructor(
    private readonly ix: BodyIndex,
    private readonly main: Uint8Array,
    private readonly jsrOnly: Uint8Array,
  ) {
    this.labelCount = ix.body.labelCount;
    this.mainInsnOut = new Int32Array(ix.n).fill(-1);
  }

  newLabel(): Label {
    return this.labelCount++;
  }

  /** A label at output position p, created on first use. */
  labelAt(p: number): Label {
    let l = this.labelAtOutput.get(p);
    if (l === undefined) {
      l = this.newLabel();
      this.labelAtOutput.set(p, l);
      this.addExtraLabel(p, l);
    }
    return l;
  }

  private addExtraLabel(p: number, l: Label): void {
    const list = this.extraLabels.get(p);
    if (list) list.push(l);
    else this.extraLabels.set(p, [l]);
  }

  private mainLabel(i: number): Label {
    let l = this.mainLabels.get(i);
    if (l === undefined) {
      l = this.newLabel();
      this.mainLabels.set(i, l);
    }
    return l;
  }

  private subroutineAt(entry: number): Subroutine {
    let sub = this.subroutines.get(entry);
    if (sub) return sub;
    if (this.main[entry]) fail(this.ix, `subroutine at node ${entry} is also reached without jsr`);
    const { members, list } = reach(this.ix, entry, this.main);
    const first = this.ix.nodes[entry]!;
    const raLocal = first.kind === "local" && first.op === Op.ASTORE ? first.index : undefined;
    sub = { entry, members, list, raLocal, dropsStore: raLocal !== undefined && this.jsrOnly[entry] === 1 };
    this.subroutines.set(entry, sub);
    return sub;
  }

  private instantiate(entryInsn: number, parent: Instance | undefined, returnLabel: Label | undefined): Instance {
    const sub = this.subroutineAt(entryInsn);
    for (let p = parent; p; p = p.parent) {
      if (p.sub === sub) fail(this.ix, `recursive subroutine at node ${entryInsn}`);
    }
    const inst: Instance = { sub, parent, returnLabel, entryLabel: this.newLabel(), labels: new Map(), itemOrig: [], itemStart: [], itemEnd: [] };
    this.instances.push(inst);
    this.queue.push(inst);
    return inst;
  }

  /** A jsr becomes a goto to a new instance (after a placeholder when the store is kept); `ret` goes to this label. */
  private emitJsr(target: Label, parent: Instance | undefined, returnLabel: Label | undefined): void {
    const child = this.instantiate(insnOfLabel(this.ix, target), parent, returnLabel);
    if (!child.sub.dropsStore) this.out.push({ kind: "simple", op: Op.ACONST_NULL });
    this.out.push({ kind: "jump", op: Op.GOTO, target: child.entryLabel });
    if (returnLabel !== undefined) this.out.push({ kind: "label", label: returnLabel });
  }

  /** Main code, in place. Every label stays (tables refer to them); pseudo-nodes of dropped code go. */
  emitMainCode(): void {
    const { nodes, n, owner } = this.ix;
    const out = this.out;
    for (let i = 0; i < n; i++) {
      const node = nodes[i]!;
      if (node.kind === "label") {
        out.push(node);
        continue;
      }
      if (!this.main[owner[i]!]) continue;
      if (node.kind === "frame") continue;
      if (node.kind === "line") {
        out.push(node);
        continue;
      }
      this.mainInsnOut[i] = out.length;
      if (node.kind === "jump" && node.op === Op.JSR) {
        this.emitJsr(node.target, undefined, nextInsn(this.ix, i) < n ? this.newLabel() : undefined);
      } else if (node.kind === "local" && node.op === Op.RET) {
        fail(this.ix, `ret ${node.index} at node ${i} is not inside a subroutine`);
      } else {
        out.push(node);
      }
    }
  }

  /** The instance's name for label l: its own copy when l is in the body, l itself otherwise. */
  mapLabel(inst: Instance, l: Label): Label {
    if (!inst.sub.members[insnOfLabel(this.ix, l)]) return l;
    let m = inst.labels.get(l);
    if (m === undefined) {
      m = this.newLabel();
      inst.labels.set(l, m);
    }
    return m;
  }

  /** Instances, appended in creation order (children after their parents). */
  emitInstances(): void {
    while (this.queue.length > 0) {
      const inst = this.queue.shift()!;
      for (const x of inst.sub.list) {
        if (this.out.length > MAX_INLINED_NODES) fail(this.ix, `inlining subroutines would produce more than ${MAX_INLINED_NODES} nodes`);
        this.emitInstanceItem(inst, x);
      }
    }
  }

  /** Instruction x of the instance with the pseudo-nodes before it; records the item's output range. */
  private emitInstanceItem(inst: Instance, x: number): void {
    const { nodes, n, itemBegin } = this.ix;
    const { sub } = inst;
    const out = this.out;
    const itemStart = out.length;
    // Pseudo-nodes before x: labels renamed for this instance, lines copied, frames dropped.
    for (let k = itemBegin[x]!; k < x; k++) {
      const p = nodes[k]!;
      if (p.kind === "label") out.push({ kind: "label", label: this.mapLabel(inst, p.label) });
      else if (p.kind === "line") out.push(p);
    }
    if (x === sub.entry) out.push({ kind: "label", label: inst.entryLabel });
    const insn = nodes[x] as Instruction;
    const op = opcodeOf(insn);
    const insnStart = out.length;
    if (x === sub.entry && sub.dropsStore) {
      // The return address is never pushed; nothing to store.
    } else if (insn.kind === "jump" && op === Op.JSR) {
      this.emitJsr(insn.target, inst, nextInsn(this.ix, x) < n ? this.newLabel() : undefined);
    } else if (insn.kind === "local" && op === Op.RET) {
      out.push({ kind: "jump", op: Op.GOTO, target: this.returnLabelOf(inst, insn.index, x) });
    } else {
      out.push(copyInstruction(insn, (l) => this.mapLabel(inst, l)));
      if (!(FLAGS[op]! & OpFlag.NO_FALLTHROUGH)) {
        const next = nextInsn(this.ix, x);
        if (next >= n) fail(this.ix, `subroutine code at node ${x} runs past the end of the code`);
        if (!sub.members[next]) out.push({ kind: "jump", op: Op.GOTO, target: this.mainLabel(next) });
      }
    }
    if (out.length > insnStart) {
      inst.itemOrig.push(x);
      inst.itemStart.push(itemStart);
      inst.itemEnd.push(out.length);
    }
  }

  /** Where `ret local` at node x of inst goes: the return point of the innermost enclosing instance whose address is in local. */
  private returnLabelOf(inst: Instance, local: number, x: number): Label {
    let target: Instance | undefined;
    for (let p: Instance | undefined = inst; p; p = p.parent) {
      if (p.sub.raLocal === local) {
        target = p;
        break;
      }
    }
    if (!target) fail(this.ix, `cannot determine which subroutine ret ${local} at node ${x} returns from`);
    if (target.returnLabel === undefined) fail(this.ix, `subroutine at node ${target.sub.entry} returns past the end of the code`);
    return target.returnLabel;
  }

  /** Labels for main instructions that bodies fall into. */
  labelMainFallThroughTargets(): void {
    for (const [i, l] of this.mainLabels) this.addExtraLabel(this.mainInsnOut[i]!, l);
  }

  /** The output with the positional labels inserted. */
  nodesWithLabels(): CodeNode[] {
    const out = this.out;
    const finalNodes: CodeNode[] = [];
    for (let p = 0; p <= out.length; p++) {
      const ls = this.extraLabels.get(p);
      if (ls) for (const l of ls) finalNodes.push({ kind: "label", label: l });
      if (p < out.length) finalNodes.push(out[p]!);
    }
    return finalNodes;
  }
}

/** Tables: the main row when its range still holds main code, then one row per run of copies. */
class TableCopier {
  private readonly mainPrefix: Int32Array;

  constructor(
    private readonly ix: BodyIndex,
    main: Uint8Array,
    private readonly inliner: Inliner,
  ) {
    this.mainPrefix = new Int32Array(ix.n + 1);
    for (let i = 0; i < ix.n; i++) this.mainPrefix[i + 1] = this.mainPrefix[i]! + main[i]!;
  }

  private holdsMainCode(start: Label, end: Label): boolean {
    const s = this.ix.labelNode[start]!;
    const e = this.ix.labelNode[end]!;
    return e > s && this.mainPrefix[e]! - this.mainPrefix[s]! > 0;
  }

  /** Calls emit for every maximal run of an instance's copies of instructions in [start, end). */
  private runs(start: Label, end: Label, emit: (inst: Instance, from: Label, to: Label) => void): void {
    const s = this.ix.labelNode[start]!;
    const e = this.ix.labelNode[end]!;
    if (!(e > s)) return;
    for (const inst of this.inliner.instances) {
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
        emit(inst, this.inliner.labelAt(inst.itemStart[a]!), this.inliner.labelAt(inst.itemEnd[b]!));
        a = b + 1;
      }
    }
  }

  handlers(): Handler[] {
    const handlers: Handler[] = [];
    for (const h of this.ix.body.handlers) {
      if (this.holdsMainCode(h.start, h.end)) handlers.push(h);
      this.runs(h.start, h.end, (inst, from, to) => handlers.push({ start: from, end: to, handler: this.inliner.mapLabel(inst, h.handler), catchType: h.catchType }));
    }
    return handlers;
  }

  variables(rows: LocalVariable[]): LocalVariable[] {
    const result: LocalVariable[] = [];
    for (const v of rows) {
      insnOfLabel(this.ix, v.start);
      insnOfLabel(this.ix, v.end);
      if (this.holdsMainCode(v.start, v.end)) result.push(v);
      this.runs(v.start, v.end, (_inst, from, to) => result.push({ ...v, start: from, end: to }));
    }
    return result;
  }
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
