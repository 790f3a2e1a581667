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
import { Access, type ClassFile, type CodeAttribute, type MethodInfo, codeOf } from "../classfile/model.js";
import { MegasplitError } from "../diagnostics.js";
import type { ControlFlowGraph } from "../../passes/cfg.js";
import { inferFrames } from "../../passes/frames.js";
import { hasSubroutines, inlineSubroutines } from "../../passes/inline-subroutines.js";
import type { CallSite, LinkedMethod } from "../../passes/link/heap-frame.js";
import { linkFinalStores } from "../../passes/link/final-stores.js";
import type { IndyCallSites } from "../../passes/link/indy.js";
import type { Handover, LinkModeName } from "../../passes/link/modes.js";
import { type ClassHierarchy, methodContext, type PassContext } from "../../passes/pass.js";
import { finalFieldsGuarded } from "./cut-points.js";
import { encodeFinal, encodePieces, linesOf, newPrivateMethod, withCode, type BodySplit, type Refusal, type SplitPiece } from "./encode-split.js";
import { freshName, nextSyntheticLine, pieceBaseName } from "./names.js";
import { partitionAndLink } from "./partition-and-link.js";
import { outlineLargestRegion } from "./regions.js";

export type { Handover, SplitPiece };

/** How transfers between pieces are coded (docs/design/splitter.md, "Link modes"). */
export type SplitLinkMode = LinkModeName;

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
