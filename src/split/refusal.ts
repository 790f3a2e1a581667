/**
 * A method the splitter leaves unchanged, as a value: a code per reason (the
 * `W_REFUSED_…` codes of `src/diagnostics.ts`, listed in docs/errors.md), the
 * reason in words, the pc when one instruction is to blame, and the numbers the
 * refusal rests on (`detail`: for final-field writes, the computed bound and the
 * limit). The CLI turns it into a warning and a `--json` payload; a refusal is
 * never an internal error in disguise (those throw InternalError).
 */
import { ErrorCodes, type MegasplitError } from "../diagnostics.js";

export type RefusalCode =
  | typeof ErrorCodes.SPLIT_REFUSED
  | typeof ErrorCodes.REFUSED_FINAL_FIELDS
  | typeof ErrorCodes.REFUSED_PINNED
  | typeof ErrorCodes.REFUSED_BLOCK
  | typeof ErrorCodes.REFUSED_REGION
  | typeof ErrorCodes.REFUSED_CONSTANT_POOL
  | typeof ErrorCodes.REFUSED_FRAMES
  | typeof ErrorCodes.REFUSED_BAD_CODE
  | typeof ErrorCodes.REFUSED_NO_FIT
  | typeof ErrorCodes.REFUSED_MISSING_CLASS;

export interface Refusal {
  kind: "refused";
  code: RefusalCode;
  reason: string;
  pc?: number;
  /** Numbers the refusal rests on, for --json (e.g. writes, bound, limit). */
  detail?: Record<string, number>;
}

export function refusal(code: RefusalCode, reason: string, extra: { pc?: number; detail?: Record<string, number> } = {}): Refusal {
  return { kind: "refused", code, reason, ...extra };
}

/** Input the splitter could not rewrite: a full constant pool, or code it could not decode or encode. */
export function refusalFromError(e: MegasplitError): Refusal {
  const code = e.code === ErrorCodes.CP_OVERFLOW ? ErrorCodes.REFUSED_CONSTANT_POOL : ErrorCodes.REFUSED_BAD_CODE;
  const pc = e.diagnostic.location.pc;
  return refusal(code, `${e.code}: ${e.diagnostic.message}`, pc !== undefined ? { pc } : {});
}

/** The refusal code of a partition that failed on `what`. */
export function partitionRefusalCode(what: "pinned" | "block" | "region" | "loop"): RefusalCode {
  return what === "pinned" ? ErrorCodes.REFUSED_PINNED : what === "block" ? ErrorCodes.REFUSED_BLOCK : ErrorCodes.REFUSED_REGION;
}
