/**
 * Splits one over-sized method: the pass pipeline of docs/design/splitter.md from a
 * decoded body to encoded Code attributes for the driver and its pieces.
 *
 *   inline-subroutines -> cut points -> cfg -> frames -> liveness -> partition
 *   -> link -> stackmap (per body) -> encode, checked against the limit
 *
 * Cut points: a block boundary is forced before and after every write of a final
 * field of this class (so the write can be pinned to the original method, the only
 * place since class version 53 where the JVM allows it), and every basic block
 * longer than a third of the limit is cut into chunks at instruction boundaries.
 * A block whose entry holds an uninitialized object or a monitor may not be
 * entered from another piece; in a constructor the code before super() is pinned
 * to the original method.
 *
 * The partition works on upper bounds; when an encoded body still exceeds the limit
 * (a stub or a frame costs more than estimated) the method is partitioned again
 * with a smaller budget. A method that cannot be split is reported with the reason
 * and left unchanged. Cost: a few linear passes per attempt.
 */
import type { CodeNode, MethodBody } from "../bytecode/model.js";
import { decodeBody } from "../bytecode/decode.js";
import { encodeBody } from "../bytecode/encode.js";
import { FLAGS, Op, OpFlag } from "../bytecode/opcodes.js";
import { maxEncodedSize } from "../bytecode/size-bound.js";
import { Access, type ClassFile, type CodeAttribute, type MethodInfo, codeOf } from "../classfile/model.js";
import { MegasplitError } from "../diagnostics.js";
import { buildCfg, isInstruction, opcodeOf, type ControlFlowGraph } from "../../passes/cfg.js";
import { solve } from "../../passes/dataflow.js";
import { inferFrames, TOP, UNINITIALIZED_THIS, type Frame, type FrameAnalysis } from "../../passes/frames.js";
import { hasSubroutines, inlineSubroutines } from "../../passes/inline-subroutines.js";
import { computeLiveness, liveSlots } from "../../passes/liveness.js";
import { type CallSite, linkMethod } from "../../passes/link.js";
import { alg, Graph } from "@dagrejs/graphlib";
import { partition } from "../../passes/partition.js";
import { type ClassHierarchy, methodContext, type PassContext } from "../../passes/pass.js";
import { computeStackMapFrames } from "../../passes/stackmap.js";
import { outlineRegion } from "../../passes/outline.js";
import { pushInt as pushConstant } from "../../passes/frame-arrays.js";
import type { IndyCallSites } from "./indy.js";
import { assertVerified } from "../../passes/verify.js";
import { parseMethodDescriptor } from "../bytecode/descriptors.js";

/** How transfers between pieces are coded (docs/design/splitter.md, "Link modes"). */
export type SplitLinkMode = "auto" | "direct" | "switch" | "indy";

export interface SplitMethodOptions {
  /** Largest code length of any method written (8000: HotSpot's JIT limit; at most 65535). */
  maxSize: number;
  link: SplitLinkMode;
  hierarchy?: ClassHierarchy;
  /** Bound call sites for `indy` and `auto` (class version 51 and up). */
  indy?: IndyCallSites;
  /** Allocator of synthetic call-site lines (above every real line of the class). */
  lines?: { next: number };
  /**
   * Run the internal checker (passes/verify.ts: stack heights at joins, frames at
   * every target, handler ranges, limits) on every body written; a violation is a
   * bug and throws. Tests turn it on.
   */
  verify?: boolean;
}

export interface SplitPiece {
  method: MethodInfo;
  name: string;
  descriptor: string;
  codeLength: number;
  /** Source lines the piece's code carries (from the original LineNumberTable). */
  lines: number[];
}

export type MethodSplit =
  | {
      kind: "split";
      driver: MethodInfo;
      pieces: SplitPiece[];
      driverLength: number;
      originalLength: number;
      crossEdges: number;
      /** The driver's and pieces' code bytes together over the original's, minus one. */
      overhead: number;
      /** Blocks kept in the driver / moved into each piece, for the mapping. */
      blocksPerPiece: number[];
      /** Calls into pieces, dispatchers and regions, at synthetic lines. */
      callSites: CallSite[];
      /** Source lines of the driver's own code. */
      driverLines: number[];
    }
  | { kind: "refused"; reason: string; pc?: number };

const PIECE_OVERHEAD = 24;
const ENTRY_TAIL = 9; // tableswitch case + goto
const EXIT_TAIL = 8; // code push + goto to the group's stub
const GROUP_TAIL = 20; // istore/iload of the code, and the return or the call
const PER_STACK_LOAD = 10;
const PER_STACK_STORE = 14;

/** Bytes to push an array index (iconst_n, bipush, sipush). */
function indexCost(i: number): number {
  return i <= 5 ? 1 : i <= 127 ? 2 : 3;
}
/** Bytes of an xload/xstore of a local (short form, u1, wide). */
function localCost(slot: number): number {
  return slot <= 3 ? 1 : slot <= 255 ? 2 : 4;
}

/** Inserts a label before every node index in `before`; returns the body and the new labels. */
function withCutLabels(body: MethodBody, before: ReadonlySet<number>): { body: MethodBody; leaders: Set<number> } {
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
  return { body: { ...body, nodes, labelCount }, leaders };
}

/**
 * Rewrites every switch with more than `maxCases` cases into a tree of smaller
 * switches (`dup; push mid; if_icmpge high-half`), so that no single instruction,
 * and no block's fan-out, is too large for a piece. Semantics are unchanged: each
 * key reaches the same target, every other key the same default.
 */
function splitLargeSwitches(body: MethodBody, maxCases: number, cp: PassContext["cp"]): MethodBody {
  if (!body.nodes.some((n) => (n.kind === "tableswitch" && n.targets.length > maxCases) || (n.kind === "lookupswitch" && n.keys.length > maxCases))) return body;
  let labelCount = body.labelCount;
  const pushInt = (out: CodeNode[], v: number) => pushConstant(out, v, cp);
  const emit = (out: CodeNode[], keys: number[], targets: number[], dflt: number, dense: boolean) => {
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
  for (const n of body.nodes) {
    if (n.kind === "tableswitch" && n.targets.length > maxCases) {
      emit(nodes, n.targets.map((_, i) => n.low + i), n.targets, n.defaultTarget, true);
    } else if (n.kind === "lookupswitch" && n.keys.length > maxCases) {
      emit(nodes, n.keys, n.targets, n.defaultTarget, false);
    } else nodes.push(n);
  }
  return { ...body, nodes, labelCount };
}

/**
 * Final fields of the class whose writes must stay in the original method: since
 * class version 53 HotSpot throws IllegalAccessError when a final field is written
 * outside `<init>` (instance) or `<clinit>` (static) of its class; older classes may
 * write them from any method of the class.
 */
function finalFieldsGuarded(cf: ClassFile): Set<string> {
  const out = new Set<string>();
  if (cf.majorVersion < 53) return out;
  const cp = cf.constantPool;
  for (const f of cf.fields) if (f.accessFlags & Access.FINAL) out.add(cp.utf8(f.nameIndex) + ":" + cp.utf8(f.descriptorIndex));
  return out;
}

/** Per instruction node: may another piece enter here, and the stack height before it. */
interface CutQuality {
  enterable: Uint8Array;
  stackHeight: Int32Array;
}

function cutQuality(body: MethodBody, frames: FrameAnalysis): CutQuality {
  const n = body.nodes.length;
  const enterable = new Uint8Array(n);
  const stackHeight = new Int32Array(n);
  const cfg = frames.cfg;
  const depthIn = monitorDepth(cfg);
  const types = frames.types;
  for (let b = 0; b < cfg.blockCount; b++) {
    if (!cfg.reachable[b]) continue;
    let depth = depthIn[b]!;
    frames.replay(b, (node, locals, stack, height) => {
      let ok = depth === 0;
      for (let i = 0; ok && i < locals.length; i++) if (locals[i] === UNINITIALIZED_THIS || types.isUninitialized(locals[i]!)) ok = false;
      for (let i = 0; ok && i < height; i++) if (stack[i] === UNINITIALIZED_THIS || types.isUninitialized(stack[i]!)) ok = false;
      enterable[node] = ok ? 1 : 0;
      stackHeight[node] = height;
      const insn = body.nodes[node]!;
      if (isInstruction(insn)) {
        const op = opcodeOf(insn);
        if (op === Op.MONITORENTER) depth++;
        else if (op === Op.MONITOREXIT) depth = Math.max(0, depth - 1);
      }
    });
  }
  return { enterable, stackHeight };
}

/** Node indices where the splitter wants a block to start. */
function cutPoints(body: MethodBody, ctx: PassContext, chunk: number, where: CutQuality): Set<number> {
  const cf = ctx.classFile;
  const cp = ctx.cp;
  const finals = finalFieldsGuarded(cf);
  const out = new Set<number>();
  const nodes = body.nodes;
  // Labels that start blocks anyway: branch and switch targets, handler bounds.
  const leaders = new Set<number>();
  for (const n of nodes) {
    if (n.kind === "jump") leaders.add(n.target);
    else if (n.kind === "tableswitch" || n.kind === "lookupswitch") for (const t of [n.defaultTarget, ...n.targets]) leaders.add(t);
  }
  for (const h of body.handlers) leaders.add(h.start).add(h.end).add(h.handler);
  let run = 0;
  for (let i = 0; i < nodes.length; i++) {
    const n = nodes[i]!;
    if (n.kind === "label" && leaders.has(n.label)) run = 0;
    if (!isInstruction(n)) continue;
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
function writesOwnFinal(cfg: ControlFlowGraph, b: number, ctx: PassContext, finals: Set<string>): boolean {
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

/** Monitors held at each block's entry (max over paths; javac's code is balanced). */
function monitorDepth(cfg: ControlFlowGraph): Int32Array {
  const nodes = cfg.body.nodes;
  const walk = (b: number, depth: number, visit?: (d: number) => void): number => {
    for (let i = cfg.blockStart[b]!; i < cfg.blockEnd[b]!; i++) {
      const n = nodes[i]!;
      if (!isInstruction(n)) continue;
      visit?.(depth);
      const op = opcodeOf(n);
      if (op === Op.MONITORENTER) depth++;
      else if (op === Op.MONITOREXIT) depth = Math.max(0, depth - 1);
    }
    return depth;
  };
  const result = solve<number>(cfg, {
    direction: "forward",
    boundary: () => 0,
    join: (a, b) => Math.max(a, b),
    equal: (a, b) => a === b,
    transfer: (b, d) => walk(b, d),
    // An exception may leave the block before any of its instructions.
    exceptional: (b, _hi, d) => {
      let max = d;
      walk(b, d, (x) => (max = Math.max(max, x)));
      return max;
    },
  });
  const out = new Int32Array(cfg.blockCount);
  for (let b = 0; b < cfg.blockCount; b++) out[b] = result.input[b] ?? 0;
  return out;
}

function firstInstructionOf(cfg: ControlFlowGraph, b: number): number {
  let i = cfg.blockStart[b]!;
  while (!isInstruction(cfg.body.nodes[i]!)) i++;
  return i;
}

function hasUninitialized(f: Frame, a: FrameAnalysis): boolean {
  for (const t of f.locals) if (t === UNINITIALIZED_THIS || a.types.isUninitialized(t)) return true;
  for (const t of f.stack) if (t === UNINITIALIZED_THIS || a.types.isUninitialized(t)) return true;
  return false;
}

function pieceBaseName(name: string): string {
  return name === "<init>" ? "init" : name === "<clinit>" ? "clinit" : name;
}

/**
 * Which transfers between pieces cannot repeat: those between different strongly
 * connected components of the piece graph (normal and exception edges). A chain of
 * direct calls then follows the components' DAG, so it is never longer than the
 * number of pieces. The piece graph is small (pieces, not blocks), so graphlib's
 * Tarjan serves here.
 */
function acyclicTransfers(cfg: ControlFlowGraph, pieceOf: Int32Array, pieceCount: number): (from: number, to: number) => boolean {
  const g = new Graph({ directed: true });
  for (let p = 0; p < pieceCount; p++) g.setNode(String(p));
  for (let b = 0; b < cfg.blockCount; b++) {
    const p = pieceOf[b]!;
    if (p < 0) continue;
    const targets = [...cfg.successors[b]!, ...cfg.handlersOf[b]!.map((hi) => cfg.handlerBlock[hi]!)];
    for (const t of targets) if (pieceOf[t]! >= 0 && pieceOf[t] !== p) g.setEdge(String(p), String(pieceOf[t]));
  }
  const component = new Int32Array(pieceCount);
  alg.tarjan(g).forEach((members: string[], i: number) => {
    for (const m of members) component[Number(m)] = i;
  });
  return (from, to) => to !== 0 && component[from] !== component[to];
}

/** What splitting one body produced: its new code, and the new methods it calls. */
interface BodySplit {
  driver: MethodInfo;
  driverLength: number;
  driverLines: number[];
  pieces: SplitPiece[];
  crossEdges: number;
  blocksPerPiece: number[];
  callSites: CallSite[];
}

type Refusal = { kind: "refused"; reason: string; pc?: number };

/** Splits method `index` of `cf`. The constant pool of `cf` may grow. */
export function splitMethod(cf: ClassFile, index: number, opts: SplitMethodOptions, takenNames: Set<string>): MethodSplit {
  const method = cf.methods[index]!;
  const code = codeOf(method)!;
  const ctx = methodContext(cf, method, opts.hierarchy ? { hierarchy: opts.hierarchy } : {});
  try {
    let decoded = decodeBody(code, cf.constantPool, ctx.where);
    if (hasSubroutines(decoded)) decoded = inlineSubroutines(decoded, ctx);
    const done = splitBody(cf, method, decoded, opts, takenNames, code.nameIndex, pieceBaseName(ctx.methodName), 0);
    if ("kind" in done) return done;
    for (const p of done.pieces) takenNames.add(p.name);
    const totalLength = done.driverLength + done.pieces.reduce((s, p) => s + p.codeLength, 0);
    return {
      kind: "split",
      driver: done.driver,
      pieces: done.pieces,
      driverLength: done.driverLength,
      originalLength: code.code.length,
      crossEdges: done.crossEdges,
      overhead: totalLength / code.code.length - 1,
      blocksPerPiece: done.blocksPerPiece,
      callSites: done.callSites,
      driverLines: done.driverLines,
    };
  } catch (e) {
    if (e instanceof MegasplitError) return { kind: "refused", reason: `${e.code}: ${e.diagnostic.message}`, ...(e.diagnostic.location.pc !== undefined ? { pc: e.diagnostic.location.pc } : {}) };
    throw e;
  }
}

/** The next synthetic call-site line; none once line numbers (u2, JVMS 4.7.12) run out. */
function nextSyntheticLine(lines: { next: number }): number | undefined {
  return lines.next <= 0xffff ? lines.next++ : undefined;
}

/** A fresh method name `<base>$<what>$<k>` not used in the class yet. */
function freshName(base: string, what: string, taken: Set<string>): string {
  for (let k = 1; ; k++) {
    const name = `${base}$${what}$${k}`;
    if (!taken.has(name)) {
      taken.add(name);
      return name;
    }
  }
}

/** Frames, limits and encoding of a finished body (JVMS 4.7.3, 4.7.4). */
function encodeFinal(cf: ClassFile, m: MethodInfo, bodyIn: MethodBody, opts: SplitMethodOptions, codeNameIndex: number): CodeAttribute {
  const cp = cf.constantPool;
  const pctx = methodContext(cf, m, opts.hierarchy ? { hierarchy: opts.hierarchy } : {});
  // Frames list every inferred local: trimming dead ones by liveness is only
  // safe when it is monotone along edges, which exception ranges can break.
  let out = computeStackMapFrames({ ...bodyIn, nodes: bodyIn.nodes.filter((x) => x.kind !== "frame") }, pctx, { asInferred: true });
  if (opts.verify) assertVerified(out, pctx, "after split");
  if (cf.majorVersion < 50) out = { ...out, nodes: out.nodes.filter((x) => x.kind !== "frame"), hasStackMapTable: false };
  // A local-variable row may name a slot this body never touches (JVMS 4.7.13: index + size <= max_locals).
  for (const v of [...(out.localVariables ?? []), ...(out.localVariableTypes ?? [])]) {
    const d = cp.utf8(v.descriptorIndex);
    const end = v.index + (d === "J" || d === "D" ? 2 : 1);
    if (end > out.maxLocals) out = { ...out, maxLocals: end };
  }
  let attr: CodeAttribute;
  try {
    attr = encodeBody(out, cp, { where: pctx.where });
  } catch (e) {
    if (process.env.MEGASPLIT_DEBUG) {
      const placed = new Set(out.nodes.flatMap((x) => (x.kind === "label" ? [x.label] : [])));
      process.stderr.write(`encode failed ${pctx.where.method}: vars ${JSON.stringify(out.localVariables?.filter((v) => !placed.has(v.start) || !placed.has(v.end)))}\n`);
    }
    throw e;
  }
  return { ...attr, nameIndex: codeNameIndex };
}

function withCode(m: MethodInfo, code: CodeAttribute): MethodInfo {
  const has = m.attributes.some((a) => a.kind === "Code");
  return {
    accessFlags: m.accessFlags,
    nameIndex: m.nameIndex,
    descriptorIndex: m.descriptorIndex,
    attributes: has ? m.attributes.map((a) => (a.kind === "Code" ? code : a)) : [code],
  };
}

function newPrivateMethod(cf: ClassFile, name: string, descriptor: string): MethodInfo {
  const cp = cf.constantPool;
  return { accessFlags: Access.PRIVATE | Access.STATIC | Access.SYNTHETIC, nameIndex: cp.addUtf8(name), descriptorIndex: cp.addUtf8(descriptor), attributes: [] };
}

function linesOf(body: MethodBody): number[] {
  return body.nodes.flatMap((x) => (x.kind === "line" ? [x.line] : []));
}

/**
 * Splits one body until every method it becomes fits: as it is when it fits;
 * else by outlining its largest uncuttable region into a called method (then both
 * are split in turn); else by partitioning it into a driver and pieces.
 */
function splitBody(
  cf: ClassFile,
  method: MethodInfo,
  body: MethodBody,
  opts: SplitMethodOptions,
  taken: Set<string>,
  codeNameIndex: number,
  base: string,
  depth: number,
): BodySplit | Refusal {
  const ctx = methodContext(cf, method, opts.hierarchy ? { hierarchy: opts.hierarchy } : {});
  if (depth > 0) {
    const code = encodeFinal(cf, method, body, opts, codeNameIndex);
    if (code.code.length <= opts.maxSize) {
      return { driver: withCode(method, code), driverLength: code.code.length, driverLines: linesOf(body), pieces: [], crossEdges: 0, blocksPerPiece: [], callSites: [] };
    }
  }
  if (depth < 12) {
    const outlined = outlineLargestRegion(cf, method, body, ctx, opts.maxSize, base, taken, opts.lines);
    if (outlined) {
      const regionMethod = newPrivateMethod(cf, outlined.name, outlined.descriptor);
      const parent = splitBody(cf, method, outlined.parent, opts, taken, codeNameIndex, base, depth + 1);
      if ("kind" in parent) return parent;
      const region = splitBody(cf, regionMethod, outlined.region, opts, taken, codeNameIndex, base, depth + 1);
      if ("kind" in region) return region;
      const regionPiece: SplitPiece = {
        method: region.driver,
        name: outlined.name,
        descriptor: outlined.descriptor,
        codeLength: region.driverLength,
        lines: linesOf(outlined.region),
      };
      const regionCall: CallSite[] =
        outlined.callLine !== undefined ? [{ caller: ctx.methodName, line: outlined.callLine, callee: outlined.name, calleeDescriptor: outlined.descriptor }] : [];
      // Calls the region's body made as the driver of its own split are calls from the region.
      const fromRegion = region.callSites.map((c) => (c.caller === ctx.methodName ? { ...c, caller: outlined.name } : c));
      return {
        driver: parent.driver,
        driverLength: parent.driverLength,
        driverLines: parent.driverLines,
        pieces: [...parent.pieces, { ...regionPiece, lines: region.driverLines }, ...region.pieces],
        crossEdges: parent.crossEdges + region.crossEdges + 1,
        blocksPerPiece: [...parent.blocksPerPiece, ...region.blocksPerPiece],
        callSites: [...parent.callSites, ...regionCall, ...fromRegion],
      };
    }
  }
  return partitionAndLink(cf, method, body, ctx, opts, taken, codeNameIndex, base);
}

/**
 * Finds the largest region the trampoline may not cut that is too big to stay in
 * one piece: the arguments of a `new` (from after its `dup` to its `<init>` call)
 * or the body of a `synchronized` block (from after `monitorenter` to the
 * `monitorexit`s at its level), and outlines it into a called method.
 */
function outlineLargestRegion(
  cf: ClassFile,
  method: MethodInfo,
  body: MethodBody,
  ctx: PassContext,
  maxSize: number,
  base: string,
  taken: Set<string>,
  lines?: { next: number },
): { parent: MethodBody; region: MethodBody; name: string; descriptor: string; callLine?: number } | undefined {
  const nodes = body.nodes;
  const frames = inferFrames(body, ctx);
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
  for (let b = 0; b < fcfg.blockCount; b++) {
    if (!fcfg.reachable[b]) continue;
    let depth = depthIn[b]!;
    frames.replay(b, (node, _locals, stack, height) => {
      const n = nodes[node] as import("../bytecode/model.js").Instruction;
      if (n.kind === "cp" && n.op === Op.NEW) newNodes.push(node);
      if (n.kind === "cp" && n.op === Op.INVOKESPECIAL) {
        const ref = ctx.cp.memberRef(n.index);
        if (ref.name === "<init>") {
          const receiver = stack[height - 1 - parseMethodDescriptor(ref.descriptor).paramSlots];
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
  for (const { node, level } of monitorEnters) {
    const exits = (monitorExits.get(level) ?? []).filter((x) => x > node);
    if (exits.length === 0) continue;
    const entry = nextInstruction(node);
    const last = Math.max(...exits);
    candidates.push({ entry, stops: exits, span: sizeBefore[last]! - sizeBefore[entry]! });
  }
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
    taken.add(name);
    void method;
    return { parent: r.parent, region: r.region, name, descriptor: r.regionDescriptor, ...(r.callLine !== undefined ? { callLine: r.callLine } : {}) };
  }
  return undefined;
}

/**
 * How many pieces the driver calls directly before it calls dispatcher methods
 * instead: each call site costs about 24 bytes of the driver, so they may take an
 * eighth of the limit; a dispatcher holds as many call sites as fit in a method.
 */
function flatDispatchFor(limit: number): number {
  return Math.max(2, Math.floor(limit / 8 / DISPATCH_SITE));
}
const DISPATCH_SITE = 24;

/** Partition + link with decreasing budgets until every method fits. */
function partitionAndLink(
  cf: ClassFile,
  method: MethodInfo,
  decoded: MethodBody,
  ctx: PassContext,
  opts: SplitMethodOptions,
  taken: Set<string>,
  codeNameIndex: number,
  base: string,
): BodySplit | Refusal {
  const cp = cf.constantPool;
  const isStatic = (method.accessFlags & Access.STATIC) !== 0;
  let budget = opts.maxSize;
  for (let attempt = 0; attempt < 8; attempt++, budget = Math.floor(budget * 0.88)) {
    // A switch of at most budget/8 bytes: its targets' exit stubs must fit beside it.
    const body = splitLargeSwitches(decoded, Math.max(8, Math.floor(budget / 32)), cp);
    const before = inferFrames(body, ctx);
    if (before.errors.length > 0) return { kind: "refused", reason: `frame analysis failed: ${before.errors[0]!.message}` };
    const cut = withCutLabels(body, cutPoints(body, ctx, Math.max(64, Math.floor(budget / 3)), cutQuality(body, before)));
    const b0 = cut.body;
    const { cfg } = buildCfg(b0, ctx.where, { extraLeaders: cut.leaders });
    const frames = inferFrames(b0, ctx);
    if (frames.errors.length > 0) return { kind: "refused", reason: `frame analysis failed: ${frames.errors[0]!.message}` };
    const liveness = computeLiveness(b0, cfg);
    const depth = monitorDepth(cfg);
    const finals = finalFieldsGuarded(cf);

    const n = cfg.blockCount;
    const blockSize = new Int32Array(n);
    const entryCost = new Int32Array(n);
    const exitCost = new Int32Array(n);
    const cuttable = new Uint8Array(n);
    const exitGroup = new Int32Array(n);
    const groups = new Map<string, number>();
    const groupCosts: number[] = [];
    const pinned = new Uint8Array(n);
    const entryFrame: Frame[] = new Array(n);
    let maxSpill = 0;
    for (let b = 0; b < n; b++) {
      for (let i = cfg.blockStart[b]!; i < cfg.blockEnd[b]!; i++) {
        const node = b0.nodes[i]!;
        if (isInstruction(node)) blockSize[b]! += maxEncodedSize(node);
      }
      if (!cfg.reachable[b]) continue;
      const f = frames.frameBefore(firstInstructionOf(cfg, b));
      if (!f) return { kind: "refused", reason: `no frame for block ${b}` };
      entryFrame[b] = f;
      const uninit = hasUninitialized(f, frames);
      cuttable[b] = uninit || depth[b]! > 0 ? 0 : 1;
      if (ctx.methodName === "<init>" && f.locals[0] === UNINITIALIZED_THIS) pinned[b] = 1;
      if (writesOwnFinal(cfg, b, ctx, finals)) pinned[b] = 1;
      const liveList = liveSlots(liveness.liveIn[b]!).filter((slot) => slot < f.locals.length && f.locals[slot] !== TOP);
      const live = liveList.length;
      const stackValues = f.stack.length;
      let loads = 0;
      let stores = 0;
      for (const slot of liveList) {
        const ref = frames.types.isObject(f.locals[slot]!);
        loads += 2 + indexCost(slot) + 1 + (ref ? 3 : 0) + localCost(slot + 6);
        stores += 2 + indexCost(slot) + localCost(slot + 6) + 1;
      }
      entryCost[b] = ENTRY_TAIL + loads + stackValues * PER_STACK_LOAD;
      // Per target a code and a jump; the stores are shared by targets that save the same values.
      exitCost[b] = EXIT_TAIL;
      const signature = `${liveSlots(liveness.liveIn[b]!).join(",")}|${stackValues}`;
      let g = groups.get(signature);
      if (g === undefined) {
        groups.set(signature, (g = groupCosts.length));
        groupCosts.push(GROUP_TAIL + stores + stackValues * PER_STACK_STORE);
      }
      exitGroup[b] = g;
      if (cuttable[b] && f.stack.length > maxSpill) maxSpill = f.stack.length;
    }
    if (ctx.methodName === "<init>") pinned[0] = 1;
    const total = blockSize.reduce((s, x) => s + x, 0);
    const estimatedPieces = Math.ceil(total / Math.max(1, budget * 0.7)) + 1;
    const part = partition({
      cfg,
      blockSize,
      entryCost,
      exitCost,
      exitGroup,
      groupCost: Int32Array.from(groupCosts),
      cuttable,
      pinned,
      limit: budget,
      pieceOverhead: PIECE_OVERHEAD,
      driverOverhead: 120 + (estimatedPieces <= flatDispatchFor(budget) ? estimatedPieces * DISPATCH_SITE : Math.ceil(estimatedPieces / Math.floor((budget - 64) / DISPATCH_SITE)) * 16 + 16),
    });
    if (!part.ok) return { kind: "refused", reason: part.reason };
    if (part.pieceBlocks.length === 1) return { kind: "refused", reason: "the method fits its limit only after removing unreachable code; nothing to split" };

    const localTaken = new Set(taken);
    const pieceNames = [""];
    for (let p = 1; p < part.pieceBlocks.length; p++) pieceNames.push(freshName(base, "split", localTaken));
    const linked = linkMethod({
      body: b0,
      cfg,
      frameAt: (b) => entryFrame[b]!,
      types: frames.types,
      liveness,
      partition: part,
      cp,
      className: ctx.className,
      descriptor: ctx.descriptor,
      isStatic,
      maxLocals: Math.max(frames.maxLocals, decoded.maxLocals),
      maxSpill,
      pieceNames,
      driverName: ctx.methodName,
      ...(opts.lines ? { syntheticLine: () => nextSyntheticLine(opts.lines!) } : {}),
      mode: opts.link === "switch" ? "switch" : "direct",
      directOk: acyclicTransfers(cfg, part.pieceOf, part.pieceBlocks.length),
      flatDispatch: flatDispatchFor(budget),
      dispatchGroup: Math.max(2, Math.floor((budget - 64) / DISPATCH_SITE)),
      dispatcherName: () => freshName(base, "dispatch", localTaken),
      // indy binds every direct transfer's entry; auto only where the target has several entries.
      ...(opts.indy && (opts.link === "indy" || opts.link === "auto")
        ? {
            indyCallSite: (q: number, entry: number, entryCount: number, descriptor: string) =>
              opts.link === "indy" || entryCount > 1 ? opts.indy!.callSite(ctx.className, pieceNames[q]!, descriptor, entry) : undefined,
          }
        : {}),
    });

    const pieces: SplitPiece[] = linked.pieces.map((p) => {
      const m = newPrivateMethod(cf, p.name, p.descriptor);
      const attr = encodeFinal(cf, m, p.body, opts, codeNameIndex);
      return { method: withCode(m, attr), name: p.name, descriptor: p.descriptor, codeLength: attr.code.length, lines: linesOf(p.body) };
    });
    const driverCode = encodeFinal(cf, method, linked.driver, opts, codeNameIndex);
    const longest = Math.max(driverCode.code.length, ...pieces.map((p) => p.codeLength));
    if (longest > opts.maxSize) continue; // estimates were short: partition again with a smaller budget
    for (const p of pieces) taken.add(p.name);
    return {
      driver: withCode(method, driverCode),
      driverLength: driverCode.code.length,
      driverLines: linesOf(linked.driver),
      pieces,
      crossEdges: part.crossEdges,
      blocksPerPiece: part.pieceBlocks.map((x) => x.length),
      callSites: linked.callSites,
    };
  }
  return { kind: "refused", reason: `no partition under ${opts.maxSize} bytes was found after 8 attempts` };
}
