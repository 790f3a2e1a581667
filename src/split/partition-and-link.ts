/**
 * Partition + link with decreasing budgets until every method fits: the attempt
 * loop of docs/design/splitter.md. One attempt cuts the body (`cut-points.ts`),
 * builds its CFG, frames (once: inferred before the cut, remapped after it) and
 * liveness in a shared MethodAnalyses context, marks which blocks may be entered from
 * another piece and which must stay in the driver, prices every block for each
 * handover (`passes/link/costs.ts`), partitions it (`passes/core/partition.ts`)
 * with the handovers of the link mode in their order (`passes/link/modes.ts`),
 * links it, and measures the result (its bodies are encoded with their frames
 * only if the attempt is kept: `split-candidate.ts`). An attempt that would cut
 * what the one before cut takes that cut (`cut-reuse.ts`).
 *
 * A failed partition says what did not fit: one block (cut finer, then price stubs
 * exactly), a region that cannot be cut (price its stubs exactly), a loop kept whole
 * or its spine (price stubs exactly, cut finer, then keep no loop whole), or the
 * driver's pinned code (cut finer, trust the encoded length more). What still
 * fails is the reason given.
 * An encoded body over the limit means an estimate was short: the next attempt
 * partitions with a budget 12% smaller. At most 8 attempts, each writing its
 * constants into a pool of its own (`attempt-pools.ts`): only the attempt kept
 * leaves constants in the class. Cost per attempt: a few linear passes over the
 * method.
 */
import type { MethodBody } from "../bytecode/model.js";
import { Access, type ClassFile, type MethodInfo } from "../classfile/model.js";
import type { ConstantPool } from "../classfile/constant-pool.js";
import { AttemptPools } from "./attempt-pools.js";
import { CutReuse, MAX_KEPT_NODES } from "./cut-reuse.js";
import { parseMethodDescriptor } from "../bytecode/descriptors.js";
import { firstInstruction, type ControlFlowGraph } from "../../passes/cfg.js";
import { inferFrames, UNINITIALIZED_THIS, type Frame, type FrameAnalysis } from "../../passes/frames.js";
import type { Liveness } from "../../passes/liveness.js";
import { MethodAnalyses } from "../../passes/method-analyses.js";
import { relabelFrames } from "../../passes/frames-relabel.js";
import { allSuccessors, stronglyConnectedComponents } from "../../passes/core/loops.js";
import type { BlockGraph } from "../../passes/core/block-graph.js";
import { type Memo as PartitionMemoOf, partition, type Partition, type PartitionInput } from "../../passes/core/partition.js";
import { PartitionMemo } from "../../passes/core/partition-memo.js";
import type { PassContext } from "../../passes/pass.js";
import { localsOfBlocks } from "../../passes/link/blocks.js";
import { dispatchGroupFor, flatDispatchFor, handoverCosts, linkCostTables, maxSpill, PIECE_OVERHEAD, REGION_PIECES, wideCodeCosts, type LinkCostTables } from "../../passes/link/costs.js";
import { exitCodesOverflow } from "../../passes/link/exit-codes.js";
import { loopResidentLocals, residenceGrowth } from "../../passes/link/loop-resident.js";
import type { ResidentKinds } from "../../passes/link/resident-locals.js";
import { linkMethod } from "../../passes/link/heap-frame.js";
import type { LinkedMethod, LinkedPiece } from "../../passes/link/link-types.js";
import { linkModeByName, type LinkMode } from "../../passes/link/modes.js";
import { linkTail, tailLayouts, type TailLayout } from "../../passes/link/parameters.js";
import { monitorDepth } from "../../passes/monitors.js";
import { cutPoints, describePinned, finalFieldsGuarded, splitLargeSwitchesTraced, switchLeafCases, withCutLabels, writesOwnFinal } from "./cut-points.js";
import { cutQuality } from "./cut-quality.js";
import { switchSplitFrames } from "../../passes/frames-switch-split.js";
import { encodePiece, type BodySplit, type Refusal, type SplitPiece } from "./encode-split.js";
import { splitCandidate, type SplitCandidate } from "./split-candidate.js";
import { DriverFill } from "./driver-fill.js";
import { firstFineness } from "./first-fineness.js";
import { PieceFill } from "./piece-fill.js";
import { type LinkKey, LinkedPartitions, linesAfterLink } from "./linked-partitions.js";
import { freshNamer, nextSyntheticLine } from "./names.js";
import { partitionRefusalCode, refusal } from "./refusal.js";
import { assert, ErrorCodes } from "../diagnostics.js";
import { verifyAfter } from "../../passes/verify-transform.js";
import type { SplitMethodOptions } from "./split-method.js";

type OkPartition = Extract<Partition, { ok: true }>;
type FailedPartition = Extract<Partition, { ok: false }>;

/** Where the search stands: the budget, how finely to cut, how far to trust the driver's estimate. */
interface Search {
  budget: number;
  /** Divides the chunk of straight-line code and the largest switch kept whole. */
  fine: number;
  /** Lets the driver's estimate (an upper bound) exceed the budget; its encoded length is checked. */
  slack: number;
  /** The same for pieces 1.. (`piece-fill.ts`). */
  pieceSlack: number;
  /** Stubs priced by what each piece's code touches (partition's `stubs`) rather than every live value. */
  exact: boolean;
  /** Heap-frame exit codes pushed without the constant pool (`exit-codes.ts`): set once they would overflow it, kept after. */
  wideCodes: boolean;
  /** No loop kept whole and no spine (partition's `openLoops`): after a loop that did not fit at the finest cut. */
  openLoops?: boolean;
  /** The first reason a partition failed, reported if no attempt succeeds. */
  refusal?: Refusal;
}

/** One method, the same in every attempt. */
interface Method {
  cf: ClassFile;
  method: MethodInfo;
  decoded: MethodBody;
  ctx: PassContext;
  opts: SplitMethodOptions;
  isStatic: boolean;
  finals: Set<string>;
  /** The frames of `decoded` when the caller has them (inferred once per body, not once per attempt). */
  decodedFrames?: () => FrameAnalysis;
  /** Drops the caller's analyses of `decoded` once the attempts analyse another body (a split switch). */
  releaseDecoded?: () => void;
}

/** The caller's analyses of the decoded body: its frames, and how to drop them when no attempt needs them. */
export interface DecodedAnalyses {
  frames: () => FrameAnalysis;
  release: () => void;
}

/**
 * A cut body and what every later step reads of it. Of its frame analysis only the
 * types, max_locals and the blocks' entry frames: the analysis itself (and, through
 * it, the uncut body's with its CFG and frame slabs) goes once the cut is analysed,
 * before the partition.
 */
interface Cut {
  body: MethodBody;
  cfg: ControlFlowGraph;
  types: FrameAnalysis["types"];
  /** max_locals as the frame analysis counts it. */
  frameMaxLocals: number;
  liveness: Liveness;
  entryFrame: Frame[];
  /** 0 for blocks another piece may not enter (an uninitialized object or a monitor at the entry). */
  cuttable: Uint8Array;
  /** 1 for blocks that must stay in the driver. */
  pinned: Uint8Array;
  costs: LinkCostTables;
  /** The edges and atoms of this cut's partitions, for the next partition of it (`partition-memo.ts`). */
  partitions: PartitionMemoOf;
}

/**
 * What linking reads of a cut: its body, CFG, entry frames, types and liveness.
 * Not the frame analyses (the cut's and the uncut body's, with their frames and
 * CFG: hundreds of megabytes at 16 MB), the cost tables or the constraints: the
 * attempt hands this to the linker and lets the cut go, so none of those stays
 * alive while the pieces are written and encoded.
 */
interface LinkView {
  body: MethodBody;
  cfg: ControlFlowGraph;
  entryFrame: Frame[];
  types: FrameAnalysis["types"];
  liveness: Liveness;
  frameMaxLocals: number;
  maxSpill: number;
}

function linkViewOf(cut: Cut): LinkView {
  const { body, cfg, entryFrame, liveness } = cut;
  return { body, cfg, entryFrame, types: cut.types, liveness, frameMaxLocals: cut.frameMaxLocals, maxSpill: maxSpill(entryFrame, cut.cuttable) };
}

/** Partition + link with decreasing budgets until every method fits. */
export function partitionAndLink(
  cf: ClassFile,
  method: MethodInfo,
  decoded: MethodBody,
  ctx: PassContext,
  opts: SplitMethodOptions,
  taken: Set<string>,
  codeNameIndex: number,
  base: string,
  decodedAnalyses?: DecodedAnalyses,
): BodySplit | Refusal {
  const m: Method = {
    cf,
    method,
    decoded,
    ctx,
    opts,
    isStatic: (method.accessFlags & Access.STATIC) !== 0,
    finals: opts.helper?.finals ?? finalFieldsGuarded(cf),
    ...(decodedAnalyses ? { decodedFrames: decodedAnalyses.frames, releaseDecoded: decodedAnalyses.release } : {}),
  };
  const pools = new AttemptPools<SplitCandidate>(cf.constantPool, opts.indy);
  const linesBefore = opts.lines?.next;
  let r = attemptLoop(m, taken, codeNameIndex, base, pools, m.decoded.nodes.length <= MAX_KEPT_NODES);
  if (r === MEASURED_WRONG) {
    // A kept body's encoded length differed from its measure (`split-candidate.ts`): the attempts again, each encoded at once.
    if (process.env.MEGASPLIT_DEBUG) process.stderr.write(`${ctx.where.method}: a kept body's length differed from its measure; encoding every attempt\n`);
    pools.drop();
    if (opts.lines) opts.lines.next = linesBefore!;
    r = attemptLoop(m, taken, codeNameIndex, base, pools, false);
    assert(r !== MEASURED_WRONG, "an eagerly encoded split differs from its own lengths");
  }
  if ("kind" in r) pools.drop();
  return r;
}

/** What `attemptLoop` returns when the split it kept was measured wrong. */
const MEASURED_WRONG = Symbol("measured wrong");

/** The attempts of `partitionAndLink`, each with a pool of `pools`; the split kept adopts its pool. */
function attemptLoop(m: Method, taken: Set<string>, codeNameIndex: number, base: string, pools: AttemptPools<SplitCandidate>, deferEncoding: boolean): BodySplit | Refusal | typeof MEASURED_WRONG {
  const { method, opts } = m;
  const mode = linkModeByName(opts.link);
  // A first attempt that would fail on a switch leaf too big for a piece starts finer (first-fineness.ts).
  const fine = m.decodedFrames ? firstFineness(m.decoded, opts.maxSize, m.decodedFrames) : 1;
  const search: Search = { budget: opts.maxSize, fine, slack: 1, pieceSlack: 1, exact: false, wideCodes: false };
  const fill = new DriverFill<SplitCandidate>(opts.maxSize);
  const pieceFill = new PieceFill<SplitCandidate>(opts.maxSize);
  // Synthetic call-site lines used up to each piece-fill candidate: attempts after the one kept give theirs back.
  const linesAfter = new Map<SplitCandidate, number>();
  const diagnosticsBefore = opts.diagnostics?.length ?? 0;
  const accept = (c: SplitCandidate): BodySplit | typeof MEASURED_WRONG => {
    const r = c.finish();
    if (!r) {
      if (opts.diagnostics) opts.diagnostics.length = diagnosticsBefore;
      return MEASURED_WRONG;
    }
    const lines = linesAfter.get(c);
    if (lines !== undefined && opts.lines) opts.lines.next = lines;
    for (const p of r.pieces) taken.add(p.name);
    pools.keep(c);
    return r;
  };
  // The attempt's cut body and its analyses (CFG, frames, liveness, costs: hundreds of
  // megabytes at 16 MB) are dropped once linked, before the pieces are encoded, and
  // before the next attempt cuts again: a variable of the loop body would keep the
  // last attempt's alive until the next one's were built (only bodies of at most
  // MAX_KEPT_NODES nodes keep theirs in `cuts`, for an attempt that would cut the same).
  let cut: Cut | Refusal | undefined;
  // An attempt with the budget and fineness of the one before takes its cut (`cut-reuse.ts`).
  const cuts = new CutReuse<Cut>(m.decoded.nodes.length <= MAX_KEPT_NODES);
  // A partition of that cut linked before is not linked again (`linked-partitions.ts`).
  const links = new LinkedPartitions<SplitCandidate>();
  for (let attempt = 0; attempt < 8; attempt++) {
    const pool = pools.next();
    const am = withPool(m, pool);
    cut = undefined;
    cut = cuts.cut(search, pool, () => cutAndAnalyse(am, search));
    if ("kind" in cut) return cut;
    let chosen = choosePartition(am, cut, mode, search);
    if (!search.wideCodes && !chosen.layouts && chosen.part.ok && exitCodesOverflow(cut.cfg, chosen.part, pool)) {
      // One ldc constant per code would overflow the pool: price the pushes without it and partition again.
      search.wideCodes = true;
      chosen = { part: partition(partitionInput(am, cut, search, "heap frame"), cut.partitions) };
    }
    const loopResident = chosen.layouts ? undefined : loopResidence(am, cut, search, chosen);
    const residentFrom = loopResident && chosen.part.ok ? chosen.part.pieceOf : undefined;
    if (loopResident) chosen = { part: loopResident.part };
    // Filling only enlarges the driver's allowance: a failure then keeps what fitted.
    const filled = fill.best() ?? pieceFill.best();
    if (filled && (!chosen.part.ok || chosen.part.pieceBlocks.length === 1)) return accept(filled);
    if (!chosen.part.ok) {
      if (refineAfter(chosen.part, search)) continue;
      return search.refusal ?? refusal(partitionRefusalCode(chosen.part.what), chosen.part.reason);
    }
    const part = chosen.part;
    // A piece fill compares splits of one handover; linking another would only leave its call sites and constants behind.
    const keptByFill = pieceFill.best();
    if (keptByFill && keptByFill.handover[0] !== (chosen.layouts ? "parameters" : "heap frame")) return accept(keptByFill);
    if (part.pieceBlocks.length === 1) return search.refusal ?? refusal(ErrorCodes.REFUSED_NO_FIT, "the method fits its limit only after removing unreachable code; nothing to split");
    const key: LinkKey = { handover: chosen.layouts ? "parameters" : "heap frame", budget: search.budget, wideCodes: search.wideCodes, pieceOf: part.pieceOf, residentFrom };
    const earlier = deferEncoding ? links.find(cut, key) : undefined;
    let result: SplitCandidate;
    if (earlier) {
      // Linked before: its candidate (never the one kept, `linked-partitions.ts`), and the lines a link again would use.
      if (opts.lines) opts.lines.next = linesAfterLink(opts.lines.next, earlier.lines);
      result = earlier.candidate;
      cut = undefined;
    } else {
      const linesBefore = opts.lines?.next;
      // Deferred, the cut is kept in `cuts` anyway; a large body's goes before linking.
      const linkedCut = deferEncoding ? cut : undefined;
      const localTaken = new Set(taken);
      const pieceNames = [""];
      const splitName = freshNamer(base, "split", localTaken);
      for (let p = 1; p < part.pieceBlocks.length; p++) pieceNames.push(splitName());
      // Encoded at once (large bodies): heap-frame pieces are encoded as they are linked, their bodies dropped one by one.
      const encoded: SplitPiece[] = [];
      const onPiece = deferEncoding ? undefined : (p: LinkedPiece) => encoded.push(encodePiece(am.cf, p, opts, codeNameIndex));
      // The cut goes before linking: only what the linker reads stays (`LinkView`).
      let view: LinkView | undefined = linkViewOf(cut);
      cut = undefined;
      const linked = chosen.layouts
        ? linkTail({ ...linkBase(am, view), partition: part, pieceNames }, chosen.layouts)
        : linkHeapFrame(am, view, mode, search, part, pieceNames, freshNamer(base, "dispatch", localTaken), onPiece, loopResident?.resident);
      view = undefined;
      const shape = {
        crossEdges: part.crossEdges,
        handover: [chosen.layouts ? ("parameters" as const) : ("heap frame" as const)],
        blocksPerPiece: part.pieceBlocks.map((x) => x.length),
        callSites: linked.callSites,
      };
      // Bodies are encoded (frames inferred) only for the attempt kept, unless large (`split-candidate.ts`).
      result = splitCandidate(am.cf, method, linked, opts, codeNameIndex, shape, deferEncoding, encoded);
      if (linkedCut) links.record(linkedCut, key, result, linesBefore, opts.lines?.next);
    }
    const longest = Math.max(result.driverLength, ...result.pieces.map((p) => p.codeLength));
    if (longest > opts.maxSize && pieceFill.best()) {
      const slack = pieceFill.afterOvershoot(search.pieceSlack);
      if (slack === undefined) return accept(pieceFill.best()!);
      search.pieceSlack = slack;
      continue;
    }
    if (longest > opts.maxSize) {
      const slack = fill.afterOvershoot(search.slack);
      if (slack !== undefined) search.slack = slack;
      else if (filled) return accept(filled);
      else search.budget = Math.floor(search.budget * 0.88); // estimates were short: partition again with a smaller budget
      continue;
    }
    if (!earlier) pools.produced(result, pool);
    // Driver fill (a spined loop) or piece fill: the first split that fits decides which one runs.
    const slack = pieceFill.best() ? undefined : fill.afterFit(result, part.spinedLoops > 0 && !chosen.layouts, search.slack);
    if (slack !== undefined) {
      search.slack = slack;
      continue;
    }
    if (fill.best()) return accept(fill.best()!);
    if (opts.lines && !earlier) linesAfter.set(result, opts.lines.next);
    const pieceSlack = pieceFill.afterFit(result, part.pieceCost.slice(1), search.budget, search.pieceSlack);
    if (pieceSlack !== undefined) {
      search.pieceSlack = pieceSlack;
      continue;
    }
    return accept(pieceFill.best() ?? result);
  }
  const filled = fill.best() ?? pieceFill.best();
  if (filled) return accept(filled);
  return search.refusal ?? refusal(ErrorCodes.REFUSED_NO_FIT, `no partition under ${opts.maxSize} bytes was found after 8 attempts`);
}

/** The method as one attempt sees it: its class and context with the attempt's own pool. */
function withPool(m: Method, pool: ConstantPool): Method {
  const cf = { ...m.cf, constantPool: pool };
  return { ...m, cf, ctx: { ...m.ctx, classFile: cf, cp: pool } };
}

/** What the first attempt's partition sees and decides, without linking: for the partition filetests. */
export interface PartitionView {
  cfg: ControlFlowGraph;
  costs: LinkCostTables;
  cuttable: Uint8Array;
  pinned: Uint8Array;
  part: Partition;
}

/** The first attempt's cut and partition of a body, priced for one handover. */
export function partitionOnce(cf: ClassFile, method: MethodInfo, body: MethodBody, ctx: PassContext, opts: SplitMethodOptions, handover: "parameters" | "heap frame"): PartitionView | Refusal {
  const m: Method = { cf, method, decoded: body, ctx, opts, isStatic: (method.accessFlags & Access.STATIC) !== 0, finals: opts.helper?.finals ?? finalFieldsGuarded(cf) };
  const search: Search = { budget: opts.maxSize, fine: 1, slack: 1, pieceSlack: 1, exact: false, wideCodes: false };
  const cut = cutAndAnalyse(m, search);
  if ("kind" in cut) return cut;
  return { cfg: cut.cfg, costs: cut.costs, cuttable: cut.cuttable, pinned: cut.pinned, part: partition(partitionInput(m, cut, search, handover)) };
}

/**
 * A failed partition that finer cuts or exact stub prices may fix updates the
 * search and returns true; else the method is refused.
 */
function refineAfter(part: FailedPartition, search: Search): boolean {
  // One block whose stubs (many live values, many targets) leave it no room: cut
  // finer, then price its stubs exactly. Its estimate is not kept as the reason: the
  // exact prices may fit it, and what fails then is what is reported.
  if (part.what === "block" && search.fine < 8) {
    search.fine *= 2;
    return true;
  }
  if (part.what === "block" && !search.exact) {
    search.exact = true;
    return true;
  }
  // A region that cannot be cut (a monitor held, an uninitialized object) whose
  // stubs were priced at every live value: price them by what it touches.
  if (part.what === "region" && !search.exact) {
    search.exact = true;
    return true;
  }
  // A loop kept whole (or its spine: an interpreter's switch has an exit per case,
  // each priced at every live value) that does not fit with its stubs: exact prices,
  // then finer cuts (a switch becomes a tree of smaller ones). Its estimate is not
  // kept as the reason: what still fails after that is the one reported.
  if (part.what === "loop" && !search.exact) {
    search.exact = true;
    return true;
  }
  if (part.what === "loop" && search.fine < 8) {
    search.fine *= 2;
    return true;
  }
  // Still too big with its stubs: keep no loop whole and no spine (each fitted its
  // share of a piece by its blocks alone) and cut them like straight-line code.
  if (part.what === "loop" && !search.openLoops) {
    search.openLoops = true;
    return true;
  }
  // Pinned code (final-field writes) that does not fit by the estimates: try
  // finer cuts around it and trust the encoded length more.
  if (part.what === "pinned" && search.slack < 1.4) {
    search.fine = Math.min(8, search.fine * 2);
    search.slack += 0.15;
    search.refusal ??= refusal(partitionRefusalCode(part.what), part.reason);
    return true;
  }
  return false;
}

/** Cuts the body for this attempt's budget and computes its CFG, frames, liveness, block constraints and costs. */
function cutAndAnalyse(m: Method, search: Search): Cut | Refusal {
  const { ctx, decoded } = m;
  const { budget, fine } = search;
  // A switch of at most budget/8 bytes: its targets' exit stubs must fit beside it.
  const { body, replaced } = splitLargeSwitchesTraced(decoded, switchLeafCases(budget, fine), m.cf.constantPool);
  // Large switches split or not, the frames are those of `body`: the caller's when it is `decoded`, else
  // derived from the caller's when it still has them (`frames-switch-split.ts`), else inferred.
  let before: FrameAnalysis;
  if (body === decoded) before = m.decodedFrames ? m.decodedFrames() : inferFrames(body, ctx);
  else {
    const decodedFrames = m.decodedFrames?.();
    before = decodedFrames && decodedFrames.cfg.body.nodes === decoded.nodes ? switchSplitFrames(decodedFrames, body, replaced, ctx) : inferFrames(body, ctx);
    // A split switch stays split in every later attempt (its leaf size only shrinks): the decoded body's analyses
    // can go, and are not asked for again (that would infer them again).
    m.releaseDecoded?.();
    m.decodedFrames = undefined; // not `delete`: that turns `m` into a slow dictionary object
  }
  if (before.errors.length > 0) return refusal(ErrorCodes.REFUSED_FRAMES, `frame analysis failed: ${before.errors[0]!.message}`);
  const at = cutPoints(body, ctx, Math.max(64, Math.floor(budget / 3 / fine)), cutQuality(body, before), m.finals);
  const cut = withCutLabels(body, at);
  const b0 = cut.body;
  verifyAfter(b0, ctx, "cut-points");
  // The cut only inserts labels: the frames inferred before it serve, remapped, and
  // so does their CFG where no cut label starts a block of its own.
  const relabelled = relabelFrames(before, b0, at);
  const analyses = new MethodAnalyses(ctx, b0, { extraLeaders: cut.leaders, frames: relabelled, ...sameCfg(relabelled.cfg, b0, cut.leaders) });
  const { cfg, frames, liveness } = analyses;
  const constraints = blockConstraints(m, b0, cfg, frames);
  if ("kind" in constraints) return constraints;
  const costs = linkCostTables({ body: b0, cfg, frames, liveness, entryFrame: constraints.entryFrame });
  return { body: b0, cfg, types: frames.types, frameMaxLocals: frames.maxLocals, liveness, ...constraints, costs, partitions: new PartitionMemo() };
}

/**
 * The frames' CFG as `body`'s CFG with `leaders` as extra leaders, when it is the
 * one `buildCfg` would build: the same nodes and handlers (the frames may have
 * been inferred on a copy of the body object without its frame flag), and every
 * leader before the first instruction of its block or after the last instruction,
 * so that it starts no block of its own.
 */
function sameCfg(cfg: ControlFlowGraph, body: MethodBody, leaders: ReadonlySet<number>): { cfg?: ControlFlowGraph } {
  const old = cfg.body;
  if (old.nodes !== body.nodes || old.handlers !== body.handlers || old.labelCount !== body.labelCount) return {};
  for (const l of leaders) {
    const b = cfg.blockOfLabel[l]!;
    if (b < cfg.blockCount && firstInstruction(cfg, b) < cfg.labelNode[l]!) return {};
  }
  return { cfg: old === body ? cfg : { ...cfg, body } };
}

/**
 * Per block: its entry frame; whether another piece may enter it (not with an
 * uninitialized object or a held monitor at its entry); whether it must stay in
 * the driver (a constructor's code before super(), final-field writes, what the
 * helper class may not run).
 */
function blockConstraints(m: Method, body: MethodBody, cfg: ControlFlowGraph, frames: FrameAnalysis): Pick<Cut, "entryFrame" | "cuttable" | "pinned"> | Refusal {
  const { ctx } = m;
  const n = cfg.blockCount;
  const depth = monitorDepth(cfg);
  const cuttable = new Uint8Array(n);
  const pinned = new Uint8Array(n);
  const entryFrame: Frame[] = new Array(n);
  // Whether the last entry frame seen holds an uninitialized value: equal frames are
  // one object (passes/shared-frames.ts), and runs of blocks share one (300 slots each).
  let lastFrame: Frame | undefined;
  let lastUninitialized = false;
  for (let b = 0; b < n; b++) {
    if (!cfg.reachable[b]) continue;
    // Read only from here on: shared with the frame analysis, not copied per block.
    const f = frames.sharedFrameBefore(firstInstruction(cfg, b));
    if (!f) return refusal(ErrorCodes.REFUSED_FRAMES, `no frame for block ${b}`);
    entryFrame[b] = f;
    if (f !== lastFrame) [lastFrame, lastUninitialized] = [f, hasUninitialized(f, frames)];
    cuttable[b] = lastUninitialized || depth[b]! > 0 ? 0 : 1;
    if (ctx.methodName === "<init>" && f.locals[0] === UNINITIALIZED_THIS) pinned[b] = 1;
    if (writesOwnFinal(cfg, b, ctx, m.finals)) pinned[b] = 1;
    if (m.opts.helper?.mustStay(cfg, b, ctx)) pinned[b] = 1;
  }
  if (ctx.methodName === "<init>") pinned[0] = 1;
  return { entryFrame, cuttable, pinned };
}

function hasUninitialized(f: Frame, a: FrameAnalysis): boolean {
  for (const t of f.locals) if (t === UNINITIALIZED_THIS || a.types.isUninitialized(t)) return true;
  for (const t of f.stack) if (t === UNINITIALIZED_THIS || a.types.isUninitialized(t)) return true;
  return false;
}

/** The partition's input for one handover. */
function partitionInput(m: Method, cut: Cut, search: Search, handover: "parameters" | "heap frame"): PartitionInput {
  const { ctx } = m;
  const { cfg, costs } = cut;
  const { budget } = search;
  const beforeSuper = ctx.methodName === "<init>" ? costs.blockSize.reduce((s, x, b) => (cut.entryFrame[b]?.locals[0] === UNINITIALIZED_THIS ? s + x : s), 0) : 0;
  const priced = handoverCosts(costs, handover, budget);
  const wide = search.wideCodes && handover === "heap frame" ? wideCodeCosts(costs) : undefined;
  const heap = { ...costs.heapFrame, ...(wide ? { groupBase: wide.groupBase } : {}) };
  return {
    cfg,
    blockSize: costs.blockSize,
    ...(handover === "heap frame" ? { pieceExtra: costs.heapFramePieceExtra } : {}),
    entryCost: priced.entryCost,
    exitCost: wide?.exitCost ?? costs.exitCost,
    exitGroup: costs.exitGroup,
    groupCost: wide?.groupCost ?? priced.groupCost,
    cuttable: cut.cuttable,
    pinned: cut.pinned,
    pinnedCode: describePinned(cfg, ctx, m.finals, beforeSuper),
    ...(search.openLoops ? { openLoops: true } : {}),
    limit: budget,
    driverLimit: Math.floor(budget * search.slack),
    pieceLimit: Math.floor(budget * search.pieceSlack),
    pieceOverhead: PIECE_OVERHEAD,
    // The driver calls a region's piece at its exit (not into a helper class, which it calls through one dispatcher).
    ...(handover === "heap frame" && !m.opts.helper ? { regionPieces: REGION_PIECES } : {}),
    // Exact stub prices (what each piece's code touches) exist for the heap frame's loads and stores.
    ...(search.exact && handover === "heap frame"
      ? {
          stubs: {
            ...localsOfBlocks(cut.body, cfg),
            writtenAtStart: Array.from({ length: parseMethodDescriptor(ctx.descriptor).paramSlots + (m.isStatic ? 0 : 1) }, (_, k) => k),
            entryBase: heap.entryBase,
            entryLoads: heap.entryLoads,
            groupBase: heap.groupBase,
            groupStores: heap.groupStores,
            width: Math.max(cut.frameMaxLocals, m.decoded.maxLocals) + 2,
          },
        }
      : {}),
    driverOverhead: priced.driverOverhead,
  };
}

/** What every linker takes of the method and its cut body. */
function linkBase(m: Method, view: LinkView) {
  const { cf, ctx, opts } = m;
  const entryFrame = view.entryFrame;
  return {
    body: view.body,
    cfg: view.cfg,
    frameAt: (b: number) => entryFrame[b]!,
    types: view.types,
    liveness: view.liveness,
    cp: cf.constantPool,
    className: ctx.className,
    pieceOwner: { className: ctx.className, isInterface: (cf.accessFlags & Access.INTERFACE) !== 0 },
    descriptor: ctx.descriptor,
    isStatic: m.isStatic,
    maxLocals: Math.max(view.frameMaxLocals, m.decoded.maxLocals),
    driverName: ctx.methodName,
    ...(opts.lines ? { syntheticLine: () => nextSyntheticLine(opts.lines!) } : {}),
  };
}

/**
 * Tries the mode's handovers in order. Parameters need a partition of at least two
 * pieces whose every transfer cannot repeat (`tailLayouts`); the heap frame needs
 * only a partition. When none works, the heap frame's failed partition says why.
 */
function choosePartition(m: Method, cut: Cut, mode: LinkMode, search: Search): { part: Partition; layouts?: TailLayout[] } {
  let failed: Partition | undefined;
  for (const handover of mode.handovers) {
    if (handover === "parameters") {
      const layouts = parameterLayouts(m, cut, search);
      if (layouts) return layouts;
    } else {
      const part = partition(partitionInput(m, cut, search, "heap frame"), cut.partitions);
      if (part.ok) return { part };
      failed ??= part;
    }
  }
  return { part: failed ?? partition(partitionInput(m, cut, search, "heap frame"), cut.partitions) };
}

/** A partition priced for parameters and its pieces' parameter layouts, or undefined when parameters do not work. */
function parameterLayouts(m: Method, cut: Cut, search: Search): { part: OkPartition; layouts: TailLayout[] } | undefined {
  const tp = partition(partitionInput(m, cut, search, "parameters"), cut.partitions);
  if (!tp.ok || tp.pieceBlocks.length < 2) return undefined;
  const layouts = tailLayouts({ ...linkBase(m, linkViewOf(cut)), partition: tp, pieceNames: [] }, acyclicTransfers(cut.cfg, tp.pieceOf, tp.pieceBlocks.length));
  if (layouts.ok) return { part: tp, layouts: layouts.layouts };
  if (process.env.MEGASPLIT_DEBUG) process.stderr.write(`${m.ctx.where.method}: no parameters: ${layouts.reason}\n`);
  return undefined;
}

/**
 * For a heap-frame partition that keeps a loop's spine: the locals its pieces share
 * live in the frame arrays everywhere (`loop-resident.ts`), and the blocks are
 * partitioned again with the sizes that rewrite gives them. Undefined otherwise,
 * and when the grown blocks do not partition.
 */
function loopResidence(m: Method, cut: Cut, search: Search, chosen: { part: Partition }): { resident: ResidentKinds; part: Partition } | undefined {
  if (!chosen.part.ok || chosen.part.spinedLoops === 0 || process.env.MEGASPLIT_NO_LOOP_RESIDENCE) return undefined;
  const maxLocals = Math.max(cut.frameMaxLocals, m.decoded.maxLocals);
  const resident = loopResidentLocals({ nodes: cut.body.nodes, cfg: cut.cfg, liveness: cut.liveness, pieceOf: chosen.part.pieceOf, maxLocals });
  if (!resident) return undefined;
  const paramSlots = parseMethodDescriptor(m.ctx.cp.utf8(m.method.descriptorIndex)).paramSlots + (m.isStatic ? 0 : 1);
  const growth = residenceGrowth(cut.body.nodes, cut.cfg, resident, maxLocals, paramSlots);
  const input = partitionInput(m, cut, search, "heap frame");
  const blockSize = input.blockSize.map((size, b) => size + growth.driver[b]!);
  const pieceExtra = growth.piece.map((g, b) => g - growth.driver[b]! + (input.pieceExtra ? input.pieceExtra[b]! : 0));
  const part = partition({ ...input, blockSize, pieceExtra });
  // Grown blocks that no longer fit: the loop is linked without residence rather than cut finer.
  return part.ok ? { resident, part } : undefined;
}

/** Links a partition through the heap frame, coding transfers as the mode says. */
function linkHeapFrame(
  m: Method,
  view: LinkView,
  mode: LinkMode,
  search: Search,
  part: OkPartition,
  pieceNames: string[],
  dispatcherName: () => string,
  onPiece: ((piece: LinkedPiece) => void) | undefined,
  loopResident?: ResidentKinds,
): LinkedMethod {
  const { opts, ctx } = m;
  const indy = opts.indy;
  return linkMethod({
    ...linkBase(m, view),
    partition: part,
    pieceNames,
    maxSpill: view.maxSpill,
    mode: mode.transfers,
    wideCodes: search.wideCodes,
    directOk: acyclicTransfers(view.cfg, part.pieceOf, part.pieceBlocks.length),
    // Into a helper class the driver calls one dispatcher: a few constants in the class, not a few per piece.
    flatDispatch: opts.helper ? 0 : flatDispatchFor(search.budget),
    dispatchGroup: dispatchGroupFor(search.budget),
    dispatcherName,
    ...(loopResident ? { loopResident } : {}),
    ...(indy && mode.indy !== "none"
      ? {
          indyCallSite: (q: number, entry: number, entryCount: number, descriptor: string) =>
            mode.indy === "all" || entryCount > 1 ? indy.callSite(ctx.className, pieceNames[q]!, descriptor, entry) : undefined,
        }
      : {}),
  }, onPiece);
}

/**
 * Which transfers between pieces cannot repeat: those between different strongly
 * connected components of the piece graph (normal and exception edges). A chain of
 * direct calls then follows the components' DAG, so it is never longer than the
 * number of pieces. The piece graph goes through the core's iterative Tarjan
 * (`stronglyConnectedComponents`): a recursive one overflows the stack on the
 * chain of thousands of pieces a method of many megabytes becomes.
 */
function acyclicTransfers(cfg: ControlFlowGraph, pieceOf: Int32Array, pieceCount: number): (from: number, to: number) => boolean {
  const successors: number[][] = Array.from({ length: pieceCount }, () => []);
  const seen = new Set<number>();
  for (let b = 0; b < cfg.blockCount; b++) {
    const p = pieceOf[b]!;
    if (p < 0) continue;
    for (const t of allSuccessors(cfg, b)) {
      const q = pieceOf[t]!;
      if (q < 0 || q === p || seen.has(p * pieceCount + q)) continue;
      seen.add(p * pieceCount + q);
      successors[p]!.push(q);
    }
  }
  const none: readonly number[] = [];
  const pieces: BlockGraph = {
    blockCount: pieceCount,
    successors,
    predecessors: successors.map(() => none),
    handlersOf: successors.map(() => none),
    handlerBlock: new Int32Array(0),
    reachable: new Uint8Array(pieceCount).fill(1),
    reversePostorder: new Int32Array(0),
  };
  const component = new Int32Array(pieceCount);
  stronglyConnectedComponents(pieces).forEach((members, i) => {
    for (const p of members) component[p] = i;
  });
  return (from, to) => to !== 0 && component[from] !== component[to];
}
