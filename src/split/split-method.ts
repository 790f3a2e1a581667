/**
 * Splits one over-sized method: the pass pipeline of docs/design/splitter.md from a
 * decoded body to encoded Code attributes for the driver and its pieces. This
 * file is the driver: it decodes, inlines subroutines and hands the body to the
 * registered splitter passes (`split-passes.ts`: fits, outline,
 * partition-and-link, final-stores), which share one MethodAnalyses per body.
 *
 *   inline-subroutines -> dead-stack -> cut points -> cfg -> frames -> liveness -> partition
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
import { decodeBody } from "../bytecode/decode.js";
import type { MethodBody } from "../bytecode/model.js";
import { type ClassFile, type CodeAttribute, type MethodInfo, codeOf } from "../classfile/model.js";
import { type Diagnostic, ErrorCodes, InternalError, MegasplitError, thrownMessage } from "../diagnostics.js";
import { dropDeadStack } from "../../passes/dead-stack.js";
import { type FrameAnalysis, inferFrames } from "../../passes/frames.js";
import { buildCfg, type ControlFlowGraph } from "../../passes/cfg.js";
import { hasSubroutines, inlineSubroutines } from "../../passes/inline-subroutines.js";
import { withoutFrames } from "../../passes/stackmap.js";
import type { CallSite } from "../../passes/link/link-types.js";
import type { IndyCallSites } from "../../passes/link/indy.js";
import type { Handover, LinkModeName } from "../../passes/link/modes.js";
import { type ClassHierarchy, methodContext, type PassContext } from "../../passes/pass.js";
import { verifyAfter } from "../../passes/verify-transform.js";
import type { SplitPiece } from "./encode-split.js";
import { pieceBaseName } from "./names.js";
import { MergeWatch } from "./merge-watch.js";
import { refusal, refusalFromError, type Refusal } from "./refusal.js";
import { type InputAnalyses, runSplitPasses, splitState, type SplitState } from "./split-passes.js";

export type { Handover, SplitPiece };

/** How transfers between pieces are coded (docs/design/splitter.md, "Link modes"). */
export type SplitLinkMode = LinkModeName;

export interface SplitMethodOptions {
  /** Largest code length of any method written (8000: HotSpot's JIT limit; at most 65535). */
  maxSize: number;
  link: SplitLinkMode;
  hierarchy?: ClassHierarchy;
  /** Where warnings about the bodies written go. */
  diagnostics?: Diagnostic[];
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
  | Refusal;

/** Splits method `index` of `cf`. The constant pool of `cf` may grow. */
export function splitMethod(cf: ClassFile, index: number, optsIn: SplitMethodOptions, takenNames: Set<string>): MethodSplit {
  const method = cf.methods[index]!;
  const code = codeOf(method)!;
  // Every merge of this method's frames goes through the watch: a body written that uses a merge guessed past a missing class refuses the method.
  const watch = optsIn.hierarchy ? new MergeWatch(optsIn.hierarchy) : undefined;
  const opts: SplitMethodOptions = watch ? { ...optsIn, hierarchy: watch } : optsIn;
  const linesBefore = opts.lines?.next;
  const ctx = methodContext(cf, method, opts.hierarchy ? { hierarchy: opts.hierarchy } : {});
  const state = inputState(cf, method, code, ctx, opts, takenNames);
  if ("kind" in state) return state;
  // From here on every body is ours: a failure is a bug (E_INTERNAL), never a
  // refusal, except a constant pool that cannot hold the pieces (a reasoned limit,
  // which split-class answers with a helper class, and a merge guessed past a missing class that a body would use).
  let done: ReturnType<typeof runSplitPasses>;
  try {
    done = runSplitPasses(state);
  } catch (e) {
    if (e instanceof MegasplitError && e.code === ErrorCodes.CP_OVERFLOW) return refusalFromError(e);
    if (e instanceof MegasplitError && e.code === ErrorCodes.REFUSED_MISSING_CLASS) {
      // A body written would use a merge guessed past a missing class (merge-watch.ts): the method stays as it was.
      if (opts.lines) opts.lines.next = linesBefore!;
      return refusal(ErrorCodes.REFUSED_MISSING_CLASS, e.diagnostic.message);
    }
    if (e instanceof InternalError) throw e;
    throw new InternalError(`splitting ${ctx.className}.${ctx.where.method ?? ctx.methodName}: ${e instanceof MegasplitError ? `${e.code}: ${e.diagnostic.message}` : thrownMessage(e)}`, { cause: e });
  }
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
}

/**
 * The passes' state for the input's body: decoded, subroutines inlined, its frames
 * checked. The code megasplit cannot decode, jsr/ret the inliner cannot untangle,
 * or code whose stack heights differ at a join, is refused as bad code. A function
 * of its own so that no variable of `splitMethod`, alive while the passes run, holds
 * the input's frame analysis: the passes own it and drop it (hundreds of megabytes at
 * 16 MB), and an interpreter register of the caller's frame that still held it kept
 * it alive through every attempt.
 */
function inputState(cf: ClassFile, method: MethodInfo, code: CodeAttribute, ctx: PassContext, opts: SplitMethodOptions, takenNames: Set<string>): SplitState | Refusal {
  let decoded: MethodBody;
  let known: InputAnalyses;
  try {
    decoded = decodeBody(code, cf.constantPool, ctx.where);
    if (hasSubroutines(decoded)) {
      decoded = inlineSubroutines(decoded, ctx);
      verifyAfter(decoded, ctx, "inline-subroutines");
    }
    ({ body: decoded, known } = checkedInput(decoded, ctx));
  } catch (e) {
    if (e instanceof MegasplitError) return refusalFromError(e);
    throw e;
  }
  try {
    return splitState(cf, method, decoded, opts, takenNames, code.nameIndex, pieceBaseName(ctx.methodName), 0, known);
  } catch (e) {
    if (e instanceof InternalError) throw e;
    throw new InternalError(`splitting ${ctx.className}.${ctx.where.method ?? ctx.methodName}: ${e instanceof MegasplitError ? `${e.code}: ${e.diagnostic.message}` : thrownMessage(e)}`, { cause: e });
  }
}

/**
 * The input's body checked (`checkInputFrames`), with the values it leaves on the
 * stack that nothing takes again popped where they die (dead-stack.ts: they would
 * otherwise cross every cut) and then checked again. A function of its own so
 * that the check's analysis, which `dropDeadStack` reads, is dropped on return.
 */
function checkedInput(body: MethodBody, ctx: PassContext): { body: MethodBody; known: InputAnalyses } {
  const checked = checkInputFrames(body, ctx);
  const trimmed = dropDeadStack(body, checked.frames, ctx.cp);
  if (!trimmed) return { body, known: checked.known };
  verifyAfter(trimmed, ctx, "dead-stack");
  return { body: trimmed, known: checkInputFrames(trimmed, ctx).known };
}

/**
 * The input's code must be consistent without its declared stack map frames: the
 * splitter infers frames from the code alone for every body it writes, and a
 * mismatch the declared frames hid (a stack height that differs at a join; the
 * JVM's verifier rejects such code too) would otherwise surface only when a piece
 * is encoded (and be taken for a bug of ours). E_FRAME: bad code in the input.
 * A body without frame nodes (a method built in memory, or below class version
 * 50) is inferred exactly as the splitter's passes infer it, so that analysis is
 * returned for them to reuse (at 16 MB one inference is seconds). A body with
 * frame nodes is checked on its CFG with the frame nodes left unused (they take
 * no part in the blocks, `buildCfg`), and that CFG is returned for the passes'
 * analysis with the declared frames: one CFG for both. Bad code is inferred again
 * without its frame nodes, so that the message numbers the nodes as before. The
 * analysis of the check is returned too (`dead-stack.ts` reads its heights).
 */
function checkInputFrames(body: MethodBody, ctx: PassContext): { known: InputAnalyses; frames: FrameAnalysis } {
  const framed = body.nodes.some((x) => x.kind === "frame");
  const cfg = framed ? buildCfg(body, ctx.where).cfg : undefined;
  const a = cfg ? inferFrames(body, ctx, { useDeclaredFrames: false, cfg }) : inferFrames(withoutFrames(body), ctx);
  if (a.errors.length === 0) return { known: cfg ? { of: "cfg", cfg } : { of: "frames", frames: a }, frames: a };
  const e = cfg ? inferFrames(withoutFrames(body), ctx).errors[0] : a.errors[0];
  // Both inferences are the same analysis of the same code: one that finds the code bad and one that does not is a bug of ours.
  if (!e) throw new InternalError(`the input check's two inferences disagree: ${a.errors[0]!.message}`);
  throw new MegasplitError(e.code, `the method's code is inconsistent, so it cannot be split: ${e.message}`, e.location);
}
