/**
 * Splits one over-sized method: the pass pipeline of docs/design/splitter.md from a
 * decoded body to encoded Code attributes for the driver and its pieces.
 *
 *   inline-subroutines -> cut points -> cfg -> frames -> liveness -> partition
 *   -> link -> stackmap (per body) -> encode, checked against the limit
 *
 * First, a region the trampoline may not cut (constructor arguments, a
 * synchronized body) that is too big for one piece is outlined into a called
 * method (`regions.ts`, `passes/outline.ts`), and both are split in turn. Then the
 * body is cut (`cut-points.ts`), partitioned and linked. A block whose entry holds
 * an uninitialized object or a monitor may not be entered from another piece; in a
 * constructor the code before super(), and since class version 53 every write of
 * one of the class's final fields, is pinned to the original method.
 *
 * The partition works on upper bounds; when an encoded body still exceeds the limit
 * (a stub or a frame costs more than estimated) the method is partitioned again
 * with a smaller budget. A method that cannot be split is reported with the reason
 * and left unchanged. Cost: a few linear passes per attempt.
 */
import type { MethodBody } from "../bytecode/model.js";
import { decodeBody } from "../bytecode/decode.js";
import { encodeBody } from "../bytecode/encode.js";
import { maxEncodedSize } from "../bytecode/size-bound.js";
import { Access, type ClassFile, type CodeAttribute, type MethodInfo, codeOf } from "../classfile/model.js";
import { MegasplitError } from "../diagnostics.js";
import { buildCfg, isInstruction, type ControlFlowGraph } from "../../passes/cfg.js";
import { inferFrames, NULL, TOP, UNINITIALIZED_THIS, type Frame, type FrameAnalysis } from "../../passes/frames.js";
import { hasSubroutines, inlineSubroutines } from "../../passes/inline-subroutines.js";
import { computeLiveness, liveSlots } from "../../passes/liveness.js";
import { type CallSite, type LinkedMethod, linkMethod } from "../../passes/link.js";
import { linkTail, tailLayouts, type TailLayout } from "../../passes/link-tail.js";
import { linkFinalStores } from "../../passes/link-final-stores.js";
import { alg, Graph } from "@dagrejs/graphlib";
import { allSuccessors } from "../../passes/loops.js";
import { partition } from "../../passes/partition.js";
import { type ClassHierarchy, methodContext, type PassContext } from "../../passes/pass.js";
import { computeStackMapFrames } from "../../passes/stackmap.js";
import { cutPoints, cutQuality, describePinned, finalFieldsGuarded, monitorDepth, splitLargeSwitches, withCutLabels, writesOwnFinal } from "./cut-points.js";
import { freshName, nextSyntheticLine, pieceBaseName } from "./names.js";
import { outlineLargestRegion } from "./regions.js";
import { localsOfBlocks } from "../../passes/link-blocks.js";
import { parseMethodDescriptor } from "../bytecode/descriptors.js";
import type { IndyCallSites } from "./indy.js";
import { assertVerified } from "../../passes/verify.js";

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
   * Pieces go to a helper class (`helper-class.ts`): writes of the final fields in
   * `finals` are isolated and kept in the original method at any class version,
   * and so is every block `mustStay` names (code only the class itself may run).
   */
  helper?: { finals: Set<string>; mustStay(cfg: ControlFlowGraph, block: number, ctx: PassContext): boolean };
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

/** How a partitioned body hands live values to its pieces (docs/design/splitter.md, "Parameters"). */
export type Handover = "parameters" | "heap frame" | "return values";

export type MethodSplit =
  | {
      kind: "split";
      driver: MethodInfo;
      pieces: SplitPiece[];
      driverLength: number;
      originalLength: number;
      crossEdges: number;
      /**
       * How live values travel, per body partitioned (the method's own, then any
       * outlined region's): as parameters of tail calls, or through the heap frame.
       */
      handover: Handover[];
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
const TAIL_PER_STACK = 5; // a temporary's store and load, a checkcast
const TAIL_GROUP = 12; // the entry's load, the call, the return, a goto
const TAIL_DRIVER = 24;

/** Bytes to push an array index (iconst_n, bipush, sipush). */
function indexCost(i: number): number {
  return i <= 5 ? 1 : i <= 127 ? 2 : 3;
}
/** Bytes of an xload/xstore of a local (short form, u1, wide). */
function localCost(slot: number): number {
  return slot <= 3 ? 1 : slot <= 255 ? 2 : 4;
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
    const targets = allSuccessors(cfg, b);
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
  handover: Handover[];
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
      handover: done.handover,
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
  const attr = encodeBody(out, cp, { where: pctx.where });
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

/** The pieces of a linked method as private static synthetic methods of `cf`, encoded with their frames. */
function encodePieces(cf: ClassFile, linked: LinkedMethod, opts: SplitMethodOptions, codeNameIndex: number): SplitPiece[] {
  return linked.pieces.map((p) => {
    const m = newPrivateMethod(cf, p.name, p.descriptor);
    const attr = encodeFinal(cf, m, p.body, opts, codeNameIndex);
    return { method: withCode(m, attr), name: p.name, descriptor: p.descriptor, codeLength: attr.code.length, lines: linesOf(p.body) };
  });
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
      return { driver: withCode(method, code), driverLength: code.code.length, driverLines: linesOf(body), pieces: [], crossEdges: 0, handover: [], blocksPerPiece: [], callSites: [] };
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
        lines: region.driverLines,
      };
      const regionCall: CallSite[] =
        outlined.callLine !== undefined ? [{ caller: ctx.methodName, line: outlined.callLine, callee: outlined.name, calleeDescriptor: outlined.descriptor }] : [];
      // Calls the region's body made as the driver of its own split are calls from the region.
      const fromRegion = region.callSites.map((c) => (c.caller === ctx.methodName ? { ...c, caller: outlined.name } : c));
      return {
        driver: parent.driver,
        driverLength: parent.driverLength,
        driverLines: parent.driverLines,
        pieces: [...parent.pieces, regionPiece, ...region.pieces],
        crossEdges: parent.crossEdges + region.crossEdges + 1,
        handover: [...parent.handover, ...region.handover],
        blocksPerPiece: [...parent.blocksPerPiece, ...region.blocksPerPiece],
        callSites: [...parent.callSites, ...regionCall, ...fromRegion],
      };
    }
  }
  const done = partitionAndLink(cf, method, body, ctx, opts, taken, codeNameIndex, base);
  if ("kind" in done && ctx.methodName === "<clinit>") return finalStores(cf, method, body, ctx, opts, taken, codeNameIndex, base) ?? done;
  return done;
}

/**
 * A `<clinit>` whose final-field writes do not fit the driver of a partition: the
 * code computing each value moves into pieces that return it, the writes stay
 * (passes/link-final-stores.ts). Undefined when the method has not that shape or
 * the result does not fit.
 */
function finalStores(
  cf: ClassFile,
  method: MethodInfo,
  body: MethodBody,
  ctx: PassContext,
  opts: SplitMethodOptions,
  taken: Set<string>,
  codeNameIndex: number,
  base: string,
): BodySplit | undefined {
  const finals = opts.helper?.finals ?? finalFieldsGuarded(cf);
  if (finals.size === 0) return undefined;
  const frames = inferFrames(body, ctx);
  if (frames.errors.length > 0) return undefined;
  // As many values a piece as fit (8 bytes a write), then at most six (7), then one (6).
  for (const maxCases of [Infinity, 6, 1]) {
    const localTaken = new Set(taken);
    const lines = opts.lines ? { ...opts.lines } : undefined;
    const linked = linkFinalStores({
      body,
      cp: cf.constantPool,
      className: ctx.className,
      finals,
      limit: opts.maxSize,
      maxCases,
      pieceName: () => freshName(base, "split", localTaken),
      pieceOwner: { className: ctx.className, isInterface: (cf.accessFlags & Access.INTERFACE) !== 0 },
      driverName: ctx.methodName,
      ...(lines ? { syntheticLine: () => nextSyntheticLine(lines) } : {}),
      stackHeightBefore: (i) => frames.frameBefore(i)?.stack.length ?? -1,
    });
    if (!linked) return undefined;
    const pieces = encodePieces(cf, linked, opts, codeNameIndex);
    const driverCode = encodeFinal(cf, method, linked.driver, opts, codeNameIndex);
    if (Math.max(driverCode.code.length, ...pieces.map((p) => p.codeLength)) > opts.maxSize) continue;
    if (lines) opts.lines!.next = lines.next;
    for (const p of pieces) taken.add(p.name);
    return finalStoresSplit(method, driverCode, linked, pieces);
  }
  return undefined;
}

function finalStoresSplit(method: MethodInfo, driverCode: CodeAttribute, linked: LinkedMethod, pieces: SplitPiece[]): BodySplit {
  return {
    driver: withCode(method, driverCode),
    driverLength: driverCode.code.length,
    driverLines: linesOf(linked.driver),
    pieces,
    crossEdges: linked.callSites.length,
    handover: ["return values"],
    blocksPerPiece: [],
    callSites: linked.callSites,
  };
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
  // `fine` divides the chunk of straight-line code and the largest switch kept
  // whole; `slack` lets the driver's estimate (an upper bound) exceed the budget,
  // its encoded length being checked below.
  let refusal: string | undefined;
  // `exact`: the stubs estimated from what each piece's code touches (partition's
  // `stubs`) rather than every live value; tried when one block's stubs alone do
  // not fit even with the finest cuts.
  let exact = false;
  // The fill-up of a driver holding a spined loop: the best body so far, and how many tries.
  let filled: BodySplit | undefined;
  let fills = 0;
  let slackFit = 1;
  let slackOver: number | undefined;
  const accept = (r: BodySplit): BodySplit => {
    for (const p of r.pieces) taken.add(p.name);
    return r;
  };
  for (let attempt = 0, fine = 1, slack = 1; attempt < 8; attempt++) {
    // A switch of at most budget/8 bytes: its targets' exit stubs must fit beside it.
    const body = splitLargeSwitches(decoded, Math.max(fine > 1 ? 3 : 8, Math.floor(budget / 32 / fine)), cp);
    const before = inferFrames(body, ctx);
    if (before.errors.length > 0) return { kind: "refused", reason: `frame analysis failed: ${before.errors[0]!.message}` };
    const finals = opts.helper?.finals ?? finalFieldsGuarded(cf);
    const cut = withCutLabels(body, cutPoints(body, ctx, Math.max(64, Math.floor(budget / 3 / fine)), cutQuality(body, before), finals));
    const b0 = cut.body;
    const { cfg } = buildCfg(b0, ctx.where, { extraLeaders: cut.leaders });
    const frames = inferFrames(b0, ctx);
    if (frames.errors.length > 0) return { kind: "refused", reason: `frame analysis failed: ${frames.errors[0]!.message}` };
    const liveness = computeLiveness(b0, cfg);
    const depth = monitorDepth(cfg);

    const n = cfg.blockCount;
    const blockSize = new Int32Array(n);
    const entryCost = new Int32Array(n);
    const tailEntryCost = new Int32Array(n);
    const exitCost = new Int32Array(n);
    const cuttable = new Uint8Array(n);
    const exitGroup = new Int32Array(n);
    const groups = new Map<string, number>();
    const groupCosts: number[] = [];
    const tailGroupCosts: number[] = [];
    const entryLoads: { slot: number; cost: number }[][] = Array.from({ length: n }, () => []);
    const entryBase = new Int32Array(n);
    const groupStores: { slot: number; cost: number }[][] = [];
    const groupBase: number[] = [];
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
      if (opts.helper?.mustStay(cfg, b, ctx)) pinned[b] = 1;
      const liveList = liveSlots(liveness.liveIn[b]!).filter((slot) => slot < f.locals.length && f.locals[slot] !== TOP);
      const live = liveList.length;
      const stackValues = f.stack.length;
      let loads = 0;
      let stores = 0;
      const storeList: { slot: number; cost: number }[] = [];
      for (const slot of liveList) {
        const ref = frames.types.isObject(f.locals[slot]!);
        const load = 2 + indexCost(slot) + 1 + (ref ? 3 : 0) + localCost(slot + 6);
        const store = 2 + indexCost(slot) + localCost(slot + 6) + 1;
        loads += load;
        stores += store;
        entryLoads[b]!.push({ slot, cost: load });
        storeList.push({ slot, cost: store });
      }
      entryBase[b] = ENTRY_TAIL + stackValues * PER_STACK_LOAD;
      entryCost[b] = entryBase[b]! + loads;
      // With parameters (link-tail.ts) an entry loads only the stack; an exit pushes
      // every slot up to the highest live one (holes as zeros) and calls.
      const nulls = liveList.filter((slot) => f.locals[slot] === NULL).length;
      tailEntryCost[b] = ENTRY_TAIL + stackValues * TAIL_PER_STACK + nulls * 3;
      // Per target a code and a jump; the stores are shared by targets that save the same values.
      exitCost[b] = EXIT_TAIL;
      const signature = `${liveSlots(liveness.liveIn[b]!).join(",")}|${stackValues}`;
      let g = groups.get(signature);
      if (g === undefined) {
        groups.set(signature, (g = groupCosts.length));
        groupCosts.push(GROUP_TAIL + stores + stackValues * PER_STACK_STORE);
        groupBase.push(GROUP_TAIL + stackValues * PER_STACK_STORE);
        groupStores.push(storeList);
        let pushes = 0;
        const width = liveList.length > 0 ? liveList[liveList.length - 1]! + 2 : 0;
        for (let slot = 0; slot < width; slot++) pushes += liveList.includes(slot) ? localCost(slot) : 1;
        tailGroupCosts.push(TAIL_GROUP + pushes + stackValues * TAIL_PER_STACK);
      }
      exitGroup[b] = g;
      if (cuttable[b] && f.stack.length > maxSpill) maxSpill = f.stack.length;
    }
    if (ctx.methodName === "<init>") pinned[0] = 1;
    const total = blockSize.reduce((s, x) => s + x, 0);
    const estimatedPieces = Math.ceil(total / Math.max(1, budget * 0.7)) + 1;
    const partitionWith = (tail: boolean) =>
      partition({
        cfg,
        blockSize,
        entryCost: tail ? tailEntryCost : entryCost,
        exitCost,
        exitGroup,
        groupCost: Int32Array.from(tail ? tailGroupCosts : groupCosts),
        cuttable,
        pinned,
        pinnedCode: describePinned(cfg, ctx, finals, ctx.methodName === "<init>" ? blockSize.reduce((s, x, b) => (entryFrame[b]?.locals[0] === UNINITIALIZED_THIS ? s + x : s), 0) : 0),
        limit: budget,
        driverLimit: Math.floor(budget * slack),
        pieceOverhead: PIECE_OVERHEAD,
        ...(exact && !tail
          ? {
              stubs: {
                ...localsOfBlocks(b0, cfg),
                writtenAtStart: Array.from({ length: parseMethodDescriptor(ctx.descriptor).paramSlots + (isStatic ? 0 : 1) }, (_, k) => k),
                entryBase,
                entryLoads,
                groupBase: Int32Array.from(groupBase),
                groupStores,
                width: Math.max(frames.maxLocals, decoded.maxLocals) + 2,
              },
            }
          : {}),
        driverOverhead: tail
          ? TAIL_DRIVER
          : 120 + (estimatedPieces <= flatDispatchFor(budget) ? estimatedPieces * DISPATCH_SITE : Math.ceil(estimatedPieces / Math.floor((budget - 64) / DISPATCH_SITE)) * 16 + 16),
      });
    const maxLocals = Math.max(frames.maxLocals, decoded.maxLocals);
    const linkBase = {
      body: b0,
      cfg,
      frameAt: (b: number) => entryFrame[b]!,
      types: frames.types,
      liveness,
      cp,
      className: ctx.className,
      pieceOwner: { className: ctx.className, isInterface: (cf.accessFlags & Access.INTERFACE) !== 0 },
      descriptor: ctx.descriptor,
      isStatic,
      maxLocals,
      driverName: ctx.methodName,
      ...(opts.lines ? { syntheticLine: () => nextSyntheticLine(opts.lines!) } : {}),
    };
    // Parameters where every transfer is a tail call that cannot repeat (direct and
    // auto); else, or when that partition has a cycle, the heap frame.
    // `switch` and `indy` prefer the heap frame and take parameters only where the
    // frame cannot be fitted (never refuse where a way exists).
    let tail: { part: Extract<ReturnType<typeof partition>, { ok: true }>; layouts: TailLayout[] } | undefined;
    const tryTail = () => {
      const tp = partitionWith(true);
      if (!tp.ok || tp.pieceBlocks.length < 2) return;
      const layouts = tailLayouts({ ...linkBase, partition: tp, pieceNames: [] }, acyclicTransfers(cfg, tp.pieceOf, tp.pieceBlocks.length));
      if (layouts.ok) tail = { part: tp, layouts: layouts.layouts };
      else if (process.env.MEGASPLIT_DEBUG) process.stderr.write(`${ctx.where.method}: no parameters: ${layouts.reason}\n`);
    };
    const preferTail = opts.link === "direct" || opts.link === "auto";
    if (preferTail) tryTail();
    let part = tail ? tail.part : partitionWith(false);
    if (!part.ok && !preferTail) {
      tryTail();
      if (tail) part = tail.part;
    }
    // The fill-up (below) only ever enlarges the driver's allowance: a partition it
    // makes that fails or leaves nothing to split is not better than the last one.
    if (filled && (!part.ok || part.pieceBlocks.length === 1)) return accept(filled);
    if (!part.ok) {
      // One block whose stubs (many live values, many targets) leave it no room: cut finer.
      if (part.what === "block" && fine < 8) {
        fine *= 2;
        continue;
      }
      if (part.what === "block" && !exact) {
        exact = true;
        refusal ??= part.reason;
        continue;
      }
      // Pinned code (final-field writes) that does not fit by the estimates: try
      // finer cuts around it and trust the encoded length more.
      if (part.what === "pinned" && slack < 1.4) {
        fine = Math.min(8, fine * 2);
        slack += 0.15;
        refusal ??= part.reason;
        continue;
      }
      return { kind: "refused", reason: refusal ?? part.reason };
    }
    if (part.pieceBlocks.length === 1) return { kind: "refused", reason: refusal ?? "the method fits its limit only after removing unreachable code; nothing to split" };

    const localTaken = new Set(taken);
    const pieceNames = [""];
    for (let p = 1; p < part.pieceBlocks.length; p++) pieceNames.push(freshName(base, "split", localTaken));
    const linked = tail
      ? linkTail({ ...linkBase, partition: part, pieceNames }, tail.layouts)
      : linkMethod({
          ...linkBase,
          partition: part,
          pieceNames,
          maxSpill,
          mode: opts.link === "switch" ? "switch" : "direct",
          directOk: acyclicTransfers(cfg, part.pieceOf, part.pieceBlocks.length),
          // Into a helper class the driver calls one dispatcher: a few constants in the class, not a few per piece.
      flatDispatch: opts.helper ? 0 : flatDispatchFor(budget),
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

    const pieces = encodePieces(cf, linked, opts, codeNameIndex);
    const driverCode = encodeFinal(cf, method, linked.driver, opts, codeNameIndex);
    const longest = Math.max(driverCode.code.length, ...pieces.map((p) => p.codeLength));
    if (longest > opts.maxSize) {
      if (filled) {
        // The fill-up went too far: halve the step, or keep the fullest body that fitted.
        slackOver = slack;
        if (fills >= 4) return accept(filled);
        fills++;
        slack = (slackFit + slackOver) / 2;
        continue;
      }
      budget = Math.floor(budget * 0.88); // estimates were short: partition again with a smaller budget
      continue;
    }
    const result: BodySplit = {
      driver: withCode(method, driverCode),
      driverLength: driverCode.code.length,
      driverLines: linesOf(linked.driver),
      pieces,
      crossEdges: part.crossEdges,
      handover: [tail ? "parameters" : "heap frame"],
      blocksPerPiece: part.pieceBlocks.map((x) => x.length),
      callSites: linked.callSites,
    };
    // A loop too big for one piece runs a transfer each time an iteration leaves the
    // driver's blocks; the estimates are upper bounds, so fill the driver up to the
    // limit by its encoded length (docs/design/jit-speed.md).
    if (part.spinedLoops > 0 && !tail && fills < 4 && driverCode.code.length < opts.maxSize * 0.97) {
      if (!filled || driverCode.code.length > filled.driverLength) filled = result;
      slackFit = slack;
      fills++;
      slack = slackOver ? (slackFit + slackOver) / 2 : (slack * opts.maxSize * 0.98) / driverCode.code.length;
      continue;
    }
    if (filled && filled.driverLength > result.driverLength) return accept(filled);
    return accept(result);
  }
  if (filled) return accept(filled);
  return { kind: "refused", reason: refusal ?? `no partition under ${opts.maxSize} bytes was found after 8 attempts` };
}
