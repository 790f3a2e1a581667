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
import { inferFrames, UNINITIALIZED_THIS, type Frame, type FrameAnalysis } from "../../passes/frames.js";
import { hasSubroutines, inlineSubroutines } from "../../passes/inline-subroutines.js";
import { computeLiveness, liveSlots } from "../../passes/liveness.js";
import { linkMethod } from "../../passes/link.js";
import { alg, Graph } from "@dagrejs/graphlib";
import { partition } from "../../passes/partition.js";
import { type ClassHierarchy, methodContext, type PassContext } from "../../passes/pass.js";
import { computeStackMapFrames } from "../../passes/stackmap.js";

/** How transfers between pieces are coded (docs/design/splitter.md, "Link modes"). */
export type SplitLinkMode = "auto" | "direct" | "switch";

export interface SplitMethodOptions {
  /** Largest code length of any method written (8000: HotSpot's JIT limit; at most 65535). */
  maxSize: number;
  link: SplitLinkMode;
  hierarchy?: ClassHierarchy;
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
    }
  | { kind: "refused"; reason: string; pc?: number };

const PIECE_OVERHEAD = 24;
const ENTRY_TAIL = 9; // tableswitch case + goto
const EXIT_TAIL = 8; // code push + goto to the group's stub
const GROUP_TAIL = 20; // istore/iload of the code, and the return or the call
const PER_LOCAL_LOAD = 15;
const PER_STACK_LOAD = 10;
const PER_LOCAL_STORE = 10;
const PER_STACK_STORE = 14;

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
  const pushInt = (out: CodeNode[], v: number) => {
    if (v >= -128 && v <= 127) out.push({ kind: "int", op: Op.BIPUSH, value: v });
    else if (v >= -32768 && v <= 32767) out.push({ kind: "int", op: Op.SIPUSH, value: v });
    else out.push({ kind: "cp", op: Op.LDC, index: cp.addInteger(v) });
  };
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

/** Node indices where the splitter wants a block to start. */
function cutPoints(body: MethodBody, ctx: PassContext, chunk: number): Set<number> {
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
    if (run + size > chunk && run > 0) {
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

/** Splits method `index` of `cf`. The constant pool of `cf` may grow. */
export function splitMethod(cf: ClassFile, index: number, opts: SplitMethodOptions, takenNames: Set<string>): MethodSplit {
  const method = cf.methods[index]!;
  const code = codeOf(method)!;
  const cp = cf.constantPool;
  const ctx = methodContext(cf, method, opts.hierarchy ? { hierarchy: opts.hierarchy } : {});
  const isStatic = (method.accessFlags & Access.STATIC) !== 0;
  try {
    let decoded = decodeBody(code, cp, ctx.where);
    if (hasSubroutines(decoded)) decoded = inlineSubroutines(decoded, ctx);

    let budget = opts.maxSize;
    for (let attempt = 0; attempt < 8; attempt++, budget = Math.floor(budget * 0.88)) {
      // A switch of at most budget/8 bytes: its targets' exit stubs must fit beside it.
      const body = splitLargeSwitches(decoded, Math.max(8, Math.floor(budget / 32)), cp);
      const cut = withCutLabels(body, cutPoints(body, ctx, Math.max(64, Math.floor(budget / 3))));
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
        const live = liveSlots(liveness.liveIn[b]!).length;
        const stackValues = f.stack.length;
        entryCost[b] = ENTRY_TAIL + live * PER_LOCAL_LOAD + stackValues * PER_STACK_LOAD;
        // Per target a code and a jump; the stores are shared by targets that save the same values.
        exitCost[b] = EXIT_TAIL;
        const signature = `${liveSlots(liveness.liveIn[b]!).join(",")}|${stackValues}`;
        let g = groups.get(signature);
        if (g === undefined) {
          groups.set(signature, (g = groupCosts.length));
          groupCosts.push(GROUP_TAIL + live * PER_LOCAL_STORE + stackValues * PER_STACK_STORE);
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
        driverOverhead: 120 + 30 * estimatedPieces,
      });
      if (!part.ok) return { kind: "refused", reason: part.reason };
      if (part.pieceBlocks.length === 1) return { kind: "refused", reason: "the method fits its limit only after removing unreachable code; nothing to split" };

      const base = pieceBaseName(ctx.methodName);
      const pieceNames = [""];
      for (let p = 1, k = 1; p < part.pieceBlocks.length; p++) {
        let name: string;
        do name = `${base}$split$${k++}`;
        while (takenNames.has(name));
        pieceNames.push(name);
      }
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
        maxLocals: Math.max(frames.maxLocals, code.maxLocals),
        maxSpill,
        pieceNames,
        mode: opts.link === "switch" ? "switch" : "direct",
        directOk: acyclicTransfers(cfg, part.pieceOf, part.pieceBlocks.length),
      });

      const framed = (bodyIn: MethodBody, m: MethodInfo): CodeAttribute => {
        const pctx = methodContext(cf, m, opts.hierarchy ? { hierarchy: opts.hierarchy } : {});
        let out: MethodBody;
        try {
          // Frames list every inferred local: trimming dead ones by liveness is only
          // safe when it is monotone along edges, which exception ranges can break.
          out = computeStackMapFrames({ ...bodyIn, nodes: bodyIn.nodes.filter((x) => x.kind !== "frame") }, pctx, { asInferred: true });
        } catch (e) {
          if (process.env.MEGASPLIT_DEBUG) {
            const fa = inferFrames({ ...bodyIn, nodes: bodyIn.nodes.filter((x) => x.kind !== "frame") }, pctx);
            const text = bodyIn.nodes.map((x, i) => {
              const f = isInstruction(x) ? fa.frameBefore(i) : undefined;
              return `${i}: ${JSON.stringify(x)}${f ? `   [${[...f.locals].map((t) => fa.types.format(t)).join(" ")}] [${[...f.stack].map((t) => fa.types.format(t)).join(" ")}]` : ""}`;
            });
            const c = fa.cfg;
            const blocks = Array.from({ length: c.blockCount }, (_, b) => `b${b} [${c.blockStart[b]}..${c.blockEnd[b]}) preds ${c.predecessors[b]!.join(",")} succs ${c.successors[b]!.join(",")}`);
            process.stderr.write(`${pctx.where.method}:\n${text.join("\n")}\n${blocks.join("\n")}\n${fa.errors.map((x) => x.message).join("\n")}\n`);
          }
          throw e;
        }
        if (cf.majorVersion < 50) out = { ...out, nodes: out.nodes.filter((x) => x.kind !== "frame"), hasStackMapTable: false };
        // A local-variable row may name a slot this body never touches (JVMS 4.7.13: index + size <= max_locals).
        for (const v of [...(out.localVariables ?? []), ...(out.localVariableTypes ?? [])]) {
          const d = cp.utf8(v.descriptorIndex);
          const end = v.index + (d === "J" || d === "D" ? 2 : 1);
          if (end > out.maxLocals) out = { ...out, maxLocals: end };
        }
        const attr = encodeBody(out, cp, { where: pctx.where });
        return { ...attr, nameIndex: code.nameIndex };
      };
      const pieceMethods: SplitPiece[] = linked.pieces.map((p) => {
        const m: MethodInfo = {
          accessFlags: Access.PRIVATE | Access.STATIC | Access.SYNTHETIC,
          nameIndex: cp.addUtf8(p.name),
          descriptorIndex: cp.addUtf8(p.descriptor),
          attributes: [],
        };
        const attr = framed(p.body, m);
        const lines = p.body.nodes.flatMap((x) => (x.kind === "line" ? [x.line] : []));
        return { method: { ...m, attributes: [attr] }, name: p.name, descriptor: p.descriptor, codeLength: attr.code.length, lines };
      });
      const driverCode = framed(linked.driver, method);
      const driver: MethodInfo = {
        accessFlags: method.accessFlags,
        nameIndex: method.nameIndex,
        descriptorIndex: method.descriptorIndex,
        attributes: method.attributes.map((a) => (a.kind === "Code" ? driverCode : a)),
      };
      const longest = Math.max(driverCode.code.length, ...pieceMethods.map((p) => p.codeLength));
      if (longest > opts.maxSize) continue; // estimates were short: partition again with a smaller budget
      for (const p of pieceMethods) takenNames.add(p.name);
      const totalLength = driverCode.code.length + pieceMethods.reduce((s, p) => s + p.codeLength, 0);
      return {
        kind: "split",
        driver,
        pieces: pieceMethods,
        driverLength: driverCode.code.length,
        originalLength: code.code.length,
        crossEdges: part.crossEdges,
        overhead: totalLength / code.code.length - 1,
        blocksPerPiece: part.pieceBlocks.map((x) => x.length),
      };
    }
    return { kind: "refused", reason: `no partition under ${opts.maxSize} bytes was found after 8 attempts` };
  } catch (e) {
    if (e instanceof MegasplitError) return { kind: "refused", reason: `${e.code}: ${e.diagnostic.message}`, ...(e.diagnostic.location.pc !== undefined ? { pc: e.diagnostic.location.pc } : {}) };
    throw e;
  }
}
