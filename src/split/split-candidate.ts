/**
 * A linked split attempt as the attempt loop weighs it (docs/design/splitter.md,
 * "The attempt loop"): the code lengths of its driver and pieces, and the
 * `BodySplit` itself only when the attempt is kept. Most attempts are not (a
 * driver fill or piece fill tries a few allowances and keeps one; an overshoot
 * partitions again): on jython.jar at `--max-size 1024`, 2,868 of the 6,581
 * bodies linked were never kept. Encoding a body means inferring its frames
 * (JVMS 4.7.4) first, most of the cost; its code length does not depend on them
 * (frames and their labels take no code bytes, JVMS 4.7.3), so a deferred
 * candidate measures its bodies by layout alone (`encodedCodeLength`) and encodes
 * them when kept, into the attempt's own pool, in the order an eager encoding
 * would have used: the same constants at the same indices, the same bytes.
 *
 * One thing frames do change: code the frame writer finds unreachable becomes
 * `nop ... athrow` (passes/stackmap.ts), which can change its length. `finish`
 * compares every encoded length with the measured one and returns undefined on a
 * difference; the caller then runs the method's attempts again, encoding each
 * eagerly (as before this file), so the split is the one eager encoding makes.
 * Warnings about the bodies written (a LocalVariableTable dropped) come from the
 * encoding, so only the kept attempt's are reported.
 */
import type { ClassFile, MethodInfo } from "../classfile/model.js";
import { encodedCodeLength } from "../bytecode/encode.js";
import type { CallSite, LinkedMethod } from "../../passes/link/link-types.js";
import type { Handover } from "../../passes/link/modes.js";
import { assert } from "../diagnostics.js";
import { type BodySplit, type EncodeOptions, encodeFinal, encodePieces, linesOf, type SplitPiece, withCode } from "./encode-split.js";

/** What the attempt loop and the fills (`driver-fill.ts`, `piece-fill.ts`) read of a split: lengths and shape. */
export interface SplitShape {
  driverLength: number;
  pieces: readonly { codeLength: number }[];
  blocksPerPiece: readonly number[];
  crossEdges: number;
  handover: readonly Handover[];
}

export interface SplitCandidate extends SplitShape {
  /** The split, encoded; undefined when an encoded length differs from the measured one (see the file comment). */
  finish(): BodySplit | undefined;
}

/** What a candidate carries besides its bodies. */
export interface CandidateShape {
  crossEdges: number;
  handover: Handover[];
  blocksPerPiece: number[];
  callSites: CallSite[];
}

/**
 * The candidate of one linked attempt: encoded now when `deferred` is false (the
 * method's pool `cf.constantPool` then grows now; `encodedWhileLinked` are the
 * pieces the heap-frame link already handed to the encoder, before the rest of
 * `linked`), else measured now and encoded by `finish`.
 */
export function splitCandidate(
  cf: ClassFile,
  method: MethodInfo,
  linked: LinkedMethod,
  opts: EncodeOptions,
  codeNameIndex: number,
  shape: CandidateShape,
  deferred: boolean,
  encodedWhileLinked: readonly SplitPiece[] = [],
): SplitCandidate {
  assert(!deferred || encodedWhileLinked.length === 0, "a deferred candidate with pieces encoded while linked");
  const encode = (): BodySplit => {
    const pieces = [...encodedWhileLinked, ...encodePieces(cf, linked, opts, codeNameIndex)];
    const driverCode = encodeFinal(cf, method, linked.driver, opts, codeNameIndex);
    return { ...shape, driver: withCode(method, driverCode), driverLength: driverCode.code.length, driverLines: linesOf(linked.driver), pieces };
  };
  if (!deferred) {
    const split = encode();
    return { ...shapeOf(split), finish: () => split };
  }
  const driverLength = encodedCodeLength(linked.driver);
  const pieces = linked.pieces.map((p) => ({ codeLength: encodedCodeLength(p.body) }));
  return {
    driverLength,
    pieces,
    blocksPerPiece: shape.blocksPerPiece,
    crossEdges: shape.crossEdges,
    handover: shape.handover,
    finish: () => {
      const split = encode();
      if (split.driverLength !== driverLength) return undefined;
      for (let i = 0; i < pieces.length; i++) if (split.pieces[i]!.codeLength !== pieces[i]!.codeLength) return undefined;
      return split;
    },
  };
}

function shapeOf(split: BodySplit): SplitShape {
  return { driverLength: split.driverLength, pieces: split.pieces, blocksPerPiece: split.blocksPerPiece, crossEdges: split.crossEdges, handover: split.handover };
}
