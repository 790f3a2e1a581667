/**
 * The last step of a split: a finished body (driver, piece, outlined region) gets
 * its StackMapTable frames, its limits and its bytes (JVMS 4.7.3, 4.7.4), and the
 * new methods become private static synthetic methods of the class. Also the
 * shapes every split step returns: a BodySplit, or a refusal with its reason.
 *
 * With `verify` (or MEGASPLIT_VERIFY_PASSES=1, passes/verify-transform.ts) the
 * internal checker (passes/verify.ts) runs on every body written; a violation is
 * a bug and throws an InternalError. Cost: one frame
 * computation and one encoding per body.
 */
import type { MethodBody } from "../bytecode/model.js";
import { type Diagnostic, ErrorCodes, type Location, warning } from "../diagnostics.js";
import { withDenseLabels } from "../bytecode/dense-labels.js";
import { encodeBody } from "../bytecode/encode.js";
import { Access, type ClassFile, type CodeAttribute, type MethodInfo } from "../classfile/model.js";
import type { CallSite, LinkedMethod, LinkedPiece } from "../../passes/link/link-types.js";
import type { Handover } from "../../passes/link/modes.js";
import { methodContext, type ClassHierarchy } from "../../passes/pass.js";
import { computeStackMapFrames, withoutFrames } from "../../passes/stackmap.js";
import { assertVerified } from "../../passes/verify.js";
import { verifyPassesRequested } from "../../passes/verify-transform.js";
import { newMethodBody } from "../bytecode/method-body.js";
import { MergeWatch } from "./merge-watch.js";

export interface SplitPiece {
  method: MethodInfo;
  name: string;
  descriptor: string;
  codeLength: number;
  /** Source lines the piece's code carries (from the original LineNumberTable). */
  lines: number[];
}

/** What splitting one body produced: its new code, and the new methods it calls. */
export interface BodySplit {
  driver: MethodInfo;
  driverLength: number;
  driverLines: number[];
  pieces: SplitPiece[];
  crossEdges: number;
  handover: Handover[];
  blocksPerPiece: number[];
  callSites: CallSite[];
}

export type { Refusal } from "./refusal.js";

/** What encoding needs of the split options. */
export interface EncodeOptions {
  hierarchy?: ClassHierarchy;
  verify?: boolean;
  /** Where warnings about the bodies written go (a LocalVariable(Type)Table dropped). */
  diagnostics?: Diagnostic[];
}

/** Entries a LocalVariable(Type)Table can hold: its length is a u2 (JVMS 4.7.13, 4.7.14). */
const MAX_TABLE_ROWS = 0xffff;

/**
 * `body` without a LocalVariable(Type)Table too long for its u2 length, with a
 * warning: the tables are optional debug information (JVMS 4.7.13), a class with
 * a wrapped length is refused by the JVM (ClassFormatError). The copiers keep a
 * body at one row per original row, so this is a last guard.
 */
function withinTableLimits(body: MethodBody, where: Location, diagnostics: Diagnostic[] | undefined): MethodBody {
  const tooLong = (rows: readonly unknown[] | undefined) => rows !== undefined && rows.length > MAX_TABLE_ROWS;
  if (!tooLong(body.localVariables) && !tooLong(body.localVariableTypes)) return body;
  const out = { ...body }; // read once by newMethodBody below
  for (const [key, table] of [["localVariables", "LocalVariableTable"], ["localVariableTypes", "LocalVariableTypeTable"]] as const) {
    if (!tooLong(body[key])) continue;
    diagnostics?.push(warning(ErrorCodes.LOCALS_TABLE_DROPPED, `the ${table} of a split body would have ${body[key]!.length} entries (at most ${MAX_TABLE_ROWS}); it is left out`, where));
    out[key] = undefined;
  }
  return newMethodBody(out);
}

/** Frames, limits and encoding of a finished body (JVMS 4.7.3, 4.7.4). */
export function encodeFinal(cf: ClassFile, m: MethodInfo, bodyIn: MethodBody, opts: EncodeOptions, codeNameIndex: number): CodeAttribute {
  const cp = cf.constantPool;
  const pctx = methodContext(cf, m, opts.hierarchy ? { hierarchy: opts.hierarchy } : {});
  // Dense labels: a piece keeps the whole method's label ids, and every analysis below sizes its tables by them.
  bodyIn = withDenseLabels(withinTableLimits(bodyIn, pctx.where, opts.diagnostics));
  // Frames list every inferred local: trimming dead ones by liveness is only
  // safe when it is monotone along edges, which exception ranges can break.
  let out = computeStackMapFrames(withoutFrames(bodyIn), pctx, { asInferred: true });
  if (opts.verify || verifyPassesRequested()) assertVerified(out, pctx, "after split");
  // After the internal checker, so that a broken body is a bug, not a refusal.
  if (opts.hierarchy instanceof MergeWatch) opts.hierarchy.checkBody(out, pctx);
  if (cf.majorVersion < 50) out = newMethodBody({ ...out, nodes: out.nodes.filter((x) => x.kind !== "frame"), hasStackMapTable: false });
  // A local-variable row may name a slot this body never touches (JVMS 4.7.13: index + size <= max_locals).
  for (const v of [...(out.localVariables ?? []), ...(out.localVariableTypes ?? [])]) {
    const d = cp.utf8(v.descriptorIndex);
    const end = v.index + (d === "J" || d === "D" ? 2 : 1);
    if (end > out.maxLocals) out = newMethodBody({ ...out, maxLocals: end });
  }
  const attr = encodeBody(out, cp, { where: pctx.where });
  return { ...attr, nameIndex: codeNameIndex };
}

/** `m` with `code` as its Code attribute. */
export function withCode(m: MethodInfo, code: CodeAttribute): MethodInfo {
  const has = m.attributes.some((a) => a.kind === "Code");
  return {
    accessFlags: m.accessFlags,
    nameIndex: m.nameIndex,
    descriptorIndex: m.descriptorIndex,
    attributes: has ? m.attributes.map((a) => (a.kind === "Code" ? code : a)) : [code],
  };
}

/** A new private static synthetic method of `cf`, without code yet. */
export function newPrivateMethod(cf: ClassFile, name: string, descriptor: string): MethodInfo {
  const cp = cf.constantPool;
  return { accessFlags: Access.PRIVATE | Access.STATIC | Access.SYNTHETIC, nameIndex: cp.addUtf8(name), descriptorIndex: cp.addUtf8(descriptor), attributes: [] };
}

/** The pieces of a linked method as private static synthetic methods of `cf`, encoded with their frames. */
export function encodePieces(cf: ClassFile, linked: LinkedMethod, opts: EncodeOptions, codeNameIndex: number): SplitPiece[] {
  return linked.pieces.map((p) => encodePiece(cf, p, opts, codeNameIndex));
}

/** One piece of a linked method as a private static synthetic method of `cf`, encoded with its frames. */
export function encodePiece(cf: ClassFile, p: LinkedPiece, opts: EncodeOptions, codeNameIndex: number): SplitPiece {
  const m = newPrivateMethod(cf, p.name, p.descriptor);
  const attr = encodeFinal(cf, m, p.body, opts, codeNameIndex);
  return { method: withCode(m, attr), name: p.name, descriptor: p.descriptor, codeLength: attr.code.length, lines: linesOf(p.body) };
}

/** Source lines a body carries, in order. */
export function linesOf(body: MethodBody): number[] {
  // A loop, not flatMap: one array per node was a visible share of encoding a 16 MB method's pieces.
  const lines: number[] = [];
  for (const x of body.nodes) if (x.kind === "line") lines.push(x.line);
  return lines;
}
