/**
 * The splitter's passes, registered (the only list), each with one signature:
 * `run(state)` over the shared state of one body (`SplitState`: the class, the
 * body and its analyses in a `MethodAnalyses` context, the options). A pass
 * returns the finished split, a refusal, or undefined when it does not apply.
 *
 * `runSplitPasses` is the driver: passes run in order until one applies; a split
 * ends the run; after a refusal only the passes registered `after` the refusing
 * one run (fallbacks), and the first refusal is reported if none of them splits.
 *
 *   fits                the body already fits (only for parts of a split)
 *   outline             an uncuttable region too big for a piece becomes a called
 *                       method; both parts are split in turn
 *   partition-and-link  cut, price, partition and link, with decreasing budgets
 *   final-stores        after partition-and-link refused a <clinit>: its final
 *                       fields' values returned by pieces
 *   init-stores         after partition-and-link refused an <init>: the same with
 *                       `this` and the live values passed to each piece
 *
 * A refusal of pinned code in `<init>`/`<clinit>` carries the computed lower bound
 * of its final-field writes (`withFinalWriteBound`).
 */
import type { MethodBody } from "../bytecode/model.js";
import { Access, type ClassFile, type CodeAttribute, type MethodInfo } from "../classfile/model.js";
import { ErrorCodes, InternalError } from "../diagnostics.js";
import { refusal } from "./refusal.js";
import type { CallSite, LinkedMethod } from "../../passes/link/link-types.js";
import { linkFinalStores } from "../../passes/link/final-stores.js";
import { linkInitStores } from "../../passes/link/init-stores.js";
import { describeBound, finalWriteBound } from "../../passes/final-write-bound.js";
import { CONFLICT, NULL, TOP, UNINITIALIZED_THIS } from "../../passes/frame-types.js";
import type { ControlFlowGraph } from "../../passes/cfg.js";
import type { FrameAnalysis } from "../../passes/frames.js";
import { MethodAnalyses } from "../../passes/method-analyses.js";
import { methodContext, type PassContext } from "../../passes/pass.js";
import { verifyAfter } from "../../passes/verify-transform.js";
import { finalFieldsGuarded } from "./cut-points.js";
import { encodeFinal, encodePieces, linesOf, newPrivateMethod, withCode, type BodySplit, type Refusal, type SplitPiece } from "./encode-split.js";
import { freshNamer, nextSyntheticLine } from "./names.js";
import { partitionAndLink } from "./partition-and-link.js";
import { outlineLargestRegion } from "./regions.js";
import type { SplitMethodOptions } from "./split-method.js";

/** What every splitter pass works on: one body of one method, and where its results go. */
export interface SplitState {
  readonly cf: ClassFile;
  readonly method: MethodInfo;
  readonly ctx: PassContext;
  /** The body and its CFG, frames and liveness, computed once. */
  readonly analyses: MethodAnalyses;
  readonly opts: SplitMethodOptions;
  /** Method names in use; a pass adds the names of the methods it writes. */
  readonly taken: Set<string>;
  readonly codeNameIndex: number;
  /** Base of fresh piece names (`name$split$k`). */
  readonly base: string;
  /** 0 for the method itself, +1 per outlined part. */
  readonly depth: number;
  /** Splits a part an outline made (the caller or the region) with the same passes, one level deeper. */
  split(method: MethodInfo, body: MethodBody): BodySplit | Refusal;
}

export interface SplitPass {
  readonly name: string;
  readonly description: string;
  /** A fallback: runs only when the pass of this name refused. */
  readonly after?: string;
  run(state: SplitState): BodySplit | Refusal | undefined;
}

const MAX_OUTLINE_DEPTH = 12;

const fitsPass: SplitPass = {
  name: "fits",
  description: "a part of a split that fits the limit is encoded as it is",
  run(s) {
    if (s.depth === 0) return undefined;
    const code = encodeFinal(s.cf, s.method, s.analyses.body, s.opts, s.codeNameIndex);
    if (code.code.length > s.opts.maxSize) return undefined;
    return { driver: withCode(s.method, code), driverLength: code.code.length, driverLines: linesOf(s.analyses.body), pieces: [], crossEdges: 0, handover: [], blocksPerPiece: [], callSites: [] };
  },
};

const outlinePass: SplitPass = {
  name: "outline",
  description: "move the largest uncuttable region (constructor arguments, synchronized body) into a called method, then split both",
  run(s) {
    if (s.depth >= MAX_OUTLINE_DEPTH) return undefined;
    const { cf, ctx, opts } = s;
    const outlined = outlineLargestRegion(cf, s.method, s.analyses.body, ctx, opts.maxSize, s.base, s.taken, opts.lines, s.analyses.frames);
    if (!outlined) return undefined;
    const regionMethod = newPrivateMethod(cf, outlined.name, outlined.descriptor);
    verifyAfter(outlined.parent, ctx, "outline (the caller)");
    verifyAfter(outlined.region, methodContext(cf, regionMethod, opts.hierarchy ? { hierarchy: opts.hierarchy } : {}), "outline (the region)");
    const parent = s.split(s.method, outlined.parent);
    if ("kind" in parent) return parent;
    const region = s.split(regionMethod, outlined.region);
    if ("kind" in region) return region;
    const regionPiece: SplitPiece = { method: region.driver, name: outlined.name, descriptor: outlined.descriptor, codeLength: region.driverLength, lines: region.driverLines };
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
  },
};

const partitionAndLinkPass: SplitPass = {
  name: "partition-and-link",
  description: "cut, price, partition and link the body in the chosen link mode, with decreasing budgets until every method fits",
  run: (s) =>
    withFinalWriteBound(
      s,
      partitionAndLink(s.cf, s.method, s.analyses.body, s.ctx, s.opts, s.taken, s.codeNameIndex, s.base, {
        frames: () => s.analyses.frames,
        release: () => s.analyses.release(),
      }),
    ),
};

/**
 * A refusal of pinned code in `<init>`/`<clinit>` states the computed lower bound
 * on its final-field writes (passes/final-write-bound.ts): over the limit, no
 * split can fit (W_REFUSED_FINAL_FIELDS, the proof in the message); under it, the
 * refusal stays W_REFUSED_PINNED and says the bound did not prove it (the
 * final-stores and init-stores passes still try).
 */
function withFinalWriteBound(s: SplitState, result: BodySplit | Refusal): BodySplit | Refusal {
  if (!("kind" in result) || result.code !== ErrorCodes.REFUSED_PINNED) return result;
  const name = s.ctx.methodName;
  if (name !== "<init>" && name !== "<clinit>") return result;
  const finals = s.opts.helper?.finals ?? finalFieldsGuarded(s.cf);
  const bound = finals.size > 0 ? finalWriteBound(s.analyses.body, s.cf.constantPool, s.ctx.className, finals) : undefined;
  if (!bound) return result;
  const limit = s.opts.maxSize;
  const detail = { writes: bound.writes, fields: bound.fields, fewestBytesPerWrite: bound.fewestPerWrite, bound: bound.bound, limit };
  if (bound.bound > limit) return refusal(ErrorCodes.REFUSED_FINAL_FIELDS, describeBound(bound, limit, name), { detail });
  return { ...result, reason: `${result.reason} (${describeBound(bound, limit, name)}: not proven impossible)`, detail };
}

/**
 * A `<clinit>` whose final-field writes do not fit the driver of a partition: the
 * code computing each value moves into pieces that return it, the writes stay
 * (passes/link/final-stores.ts). Undefined when the method has not that shape or
 * the result does not fit.
 */
const finalStoresPass: SplitPass = {
  name: "final-stores",
  description: "a static initializer's final-field values computed in pieces that return them; the writes stay",
  after: "partition-and-link",
  run(s) {
    if (s.ctx.methodName !== "<clinit>") return undefined;
    const { cf, ctx, opts, method } = s;
    const body = s.analyses.body;
    const finals = opts.helper?.finals ?? finalFieldsGuarded(cf);
    if (finals.size === 0) return undefined;
    const frames = s.analyses.frames;
    if (frames.errors.length > 0) return undefined;
    // As many values a piece as fit (8 bytes a write), then at most six (7), then one (6).
    for (const maxCases of [Infinity, 6, 1]) {
      const localTaken = new Set(s.taken);
      const lines = opts.lines ? { ...opts.lines } : undefined;
      const linked = linkFinalStores({
        body,
        cp: cf.constantPool,
        className: ctx.className,
        finals,
        limit: opts.maxSize,
        maxCases,
        pieceName: freshNamer(s.base, "split", localTaken),
        pieceOwner: { className: ctx.className, isInterface: (cf.accessFlags & Access.INTERFACE) !== 0 },
        driverName: ctx.methodName,
        ...(lines ? { syntheticLine: () => nextSyntheticLine(lines) } : {}),
        stackHeightBefore: (i) => frames.frameBefore(i)?.stack.length ?? -1,
      });
      if (!linked) return undefined;
      const pieces = encodePieces(cf, linked, opts, s.codeNameIndex);
      const driverCode = encodeFinal(cf, method, linked.driver, opts, s.codeNameIndex);
      if (Math.max(driverCode.code.length, ...pieces.map((p) => p.codeLength)) > opts.maxSize) continue;
      if (lines) opts.lines!.next = lines.next;
      for (const p of pieces) s.taken.add(p.name);
      return finalStoresSplit(method, driverCode, linked, pieces);
    }
    return undefined;
  },
};

/**
 * An `<init>` whose final-field writes do not fit the driver of a partition: the
 * code computing each value moves into a static piece that takes `this` and the
 * live values it reads, the writes stay (passes/link/init-stores.ts). Pieces stay
 * in the class (a helper class may not see what the constructor's code touches).
 */
const initStoresPass: SplitPass = {
  name: "init-stores",
  description: "a constructor's final-field values computed in static pieces taking this and the live values; the writes stay",
  after: "partition-and-link",
  run(s) {
    if (s.ctx.methodName !== "<init>" || s.opts.helper) return undefined;
    const { cf, ctx, opts, method } = s;
    const finals = finalFieldsGuarded(cf);
    if (finals.size === 0) return undefined;
    const frames = s.analyses.frames;
    if (frames.errors.length > 0) return undefined;
    const types = frames.types;
    const localTaken = new Set(s.taken);
    const lines = opts.lines ? { ...opts.lines } : undefined;
    const linked = linkInitStores({
      body: s.analyses.body,
      cp: cf.constantPool,
      className: ctx.className,
      finals,
      pieceName: freshNamer(s.base, "split", localTaken),
      driverName: ctx.methodName,
      ...(lines ? { syntheticLine: () => nextSyntheticLine(lines) } : {}),
      stackHeightBefore: (i) => frames.frameBefore(i)?.stack.length ?? -1,
      thisInitialized: (i) => {
        const f = frames.frameBefore(i);
        return f !== undefined && f.locals[0] !== UNINITIALIZED_THIS;
      },
      localDescriptor: (i, slot) => {
        const t = frames.frameBefore(i)?.locals[slot];
        if (t === undefined || t === TOP || t === UNINITIALIZED_THIS || t === CONFLICT || types.isUninitialized(t)) return undefined;
        return t === NULL ? "Ljava/lang/Object;" : types.format(t);
      },
    });
    if (!linked) return undefined;
    const pieces = encodePieces(cf, linked, opts, s.codeNameIndex);
    const driverCode = encodeFinal(cf, method, linked.driver, opts, s.codeNameIndex);
    if (Math.max(driverCode.code.length, ...pieces.map((p) => p.codeLength)) > opts.maxSize) return undefined;
    if (lines) opts.lines!.next = lines.next;
    for (const p of pieces) s.taken.add(p.name);
    return finalStoresSplit(method, driverCode, linked, pieces);
  },
};

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

/** The splitter's passes in the order they are tried. */
export const SPLIT_PASSES: readonly SplitPass[] = [fitsPass, outlinePass, partitionAndLinkPass, finalStoresPass, initStoresPass];

{
  const names = new Set(SPLIT_PASSES.map((p) => p.name));
  if (names.size !== SPLIT_PASSES.length) throw new InternalError("two splitter passes share a name");
  for (const p of SPLIT_PASSES) if (p.after !== undefined && !names.has(p.after)) throw new InternalError(`splitter pass ${p.name} follows an unknown pass ${p.after}`);
}

/** The registered splitter pass of this name. */
export function splitPassByName(name: string): SplitPass | undefined {
  return SPLIT_PASSES.find((p) => p.name === name);
}

/** Runs the registered passes on one body (see the top of the file for the order). */
export function runSplitPasses(state: SplitState): BodySplit | Refusal {
  let refused: { pass: string; refusal: Refusal } | undefined;
  for (const pass of SPLIT_PASSES) {
    if (refused ? pass.after !== refused.pass : pass.after !== undefined) continue;
    const result = pass.run(state);
    if (result === undefined) continue;
    if (!("kind" in result)) return result;
    refused ??= { pass: pass.name, refusal: result };
  }
  if (!refused) throw new InternalError(`no splitter pass applied to ${state.ctx.where.method ?? "a method"}`);
  return refused.refusal;
}

/**
 * What the input check already computed for the decoded body: its frames (a body
 * without declared frames), or its CFG (the declared frames' analysis runs on it).
 * Tagged, so a FrameAnalysis, which has a `cfg` field, cannot pass for a CFG alone.
 */
export type InputAnalyses = { readonly of: "frames"; readonly frames: FrameAnalysis } | { readonly of: "cfg"; readonly cfg: ControlFlowGraph };

/** The state of one body; `split` recurses with the same class, options and names. */
export function splitState(
  cf: ClassFile,
  method: MethodInfo,
  body: MethodBody,
  opts: SplitMethodOptions,
  taken: Set<string>,
  codeNameIndex: number,
  base: string,
  depth: number,
  known?: InputAnalyses,
): SplitState {
  const ctx = methodContext(cf, method, opts.hierarchy ? { hierarchy: opts.hierarchy } : {});
  return {
    cf,
    method,
    ctx,
    analyses: new MethodAnalyses(ctx, body, known === undefined ? {} : known.of === "frames" ? { frames: known.frames } : { cfg: known.cfg }),
    opts,
    taken,
    codeNameIndex,
    base,
    depth,
    split: (m, b) => runSplitPasses(splitState(cf, m, b, opts, taken, codeNameIndex, base, depth + 1)),
  };
}
