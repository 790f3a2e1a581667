/**
 * User-facing errors and warnings: values with a stable code and a location.
 *
 * Bad input (a truncated class, a hostile zip path, a branch into the middle of an
 * instruction) is never a crash: readers throw a {@link MegasplitError} carrying one
 * {@link Diagnostic}, and bundle-level drivers catch it, attach the entry name, keep
 * going with the rest of the bundle and report every diagnostic together.
 * Broken internal invariants are bugs and use {@link assert} / {@link unreachable}.
 *
 * The codes are stable: tests and users match on them. `docs/errors.md` lists them.
 */

export const ErrorCodes = {
  /** The class file ends before a structure it announces is complete. */
  TRUNCATED: "E_TRUNCATED",
  /** The first four bytes are not 0xCAFEBABE. */
  BAD_MAGIC: "E_BAD_MAGIC",
  /** A major version outside 45..69. */
  BAD_VERSION: "E_BAD_VERSION",
  /** Bytes remain after the last attribute of the class. */
  TRAILING_BYTES: "E_TRAILING_BYTES",
  /** A constant-pool tag that JVMS 4.4 does not define. */
  CP_TAG: "E_CP_TAG",
  /** A constant-pool index that is zero, past the end, or the unusable slot after a long/double. */
  CP_INDEX: "E_CP_INDEX",
  /** A constant-pool index that names an entry of the wrong kind. */
  CP_KIND: "E_CP_KIND",
  /** Adding a constant would take the pool past 65,535 entries. */
  CP_OVERFLOW: "E_CP_OVERFLOW",
  /** An attribute_length that overruns its enclosing structure or disagrees with the content. */
  ATTR_LENGTH: "E_ATTR_LENGTH",
  /** An opcode byte that JVMS 6.5 does not define. */
  BAD_OPCODE: "E_BAD_OPCODE",
  /** A branch, switch, handler, line or local-variable offset that is not an instruction boundary. */
  BRANCH_TARGET: "E_BRANCH_TARGET",
  /** An instruction operand out of its legal range (a bad newarray type, a zero dimension count...). */
  BAD_OPERAND: "E_BAD_OPERAND",
  /** jsr/ret that cannot be inlined: a recursive subroutine, a `ret` whose subroutine cannot be determined, a jsr target also reached without jsr. */
  SUBROUTINE: "E_SUBROUTINE",
  /** A method whose encoded bytecode is longer than the JVM's 65,535-byte limit. */
  CODE_TOO_LARGE: "E_CODE_TOO_LARGE",
  /** A zip entry whose name is absolute or climbs out with `..`. */
  ZIP_PATH: "E_ZIP_PATH",
  /** A zip archive that cannot be read. */
  ZIP_CORRUPT: "E_ZIP_CORRUPT",
  /** A zip entry, or all of them, inflating past what megasplit holds in memory (a zip bomb, or an entry too big for a bundle). */
  ZIP_TOO_LARGE: "E_ZIP_TOO_LARGE",
  /** A file that cannot be read or written. */
  IO: "E_IO",
  /** An input file that is neither a class file nor a zip/jar (the message says what it looks like). */
  INPUT_FORMAT: "E_INPUT_FORMAT",
  /** A file given as WebAssembly that does not start with the magic `\0asm`. */
  WASM_MAGIC: "E_WASM_MAGIC",
  /** A WebAssembly module that breaks the binary format: a bad section id, type, flag or integer, a size that disagrees with its content. */
  WASM_MALFORMED: "E_WASM_MALFORMED",
  /** A WebAssembly opcode (or prefixed sub-opcode) that no opcode table row defines. */
  WASM_OPCODE: "E_WASM_OPCODE",
  /** A WebAssembly function body that does not validate (stack underflow, a label out of range, a wrong result count). */
  WASM_INVALID: "E_WASM_INVALID",
  /** Text given to the assembler that it cannot parse. */
  ASM_SYNTAX: "E_ASM_SYNTAX",
  /** A mapping file (R8 format) that cannot be read: a malformed class, member or metadata line. */
  MAPPING_SYNTAX: "E_MAPPING_SYNTAX",
  /** A bad command-line request (unknown method, impossible option). */
  USAGE: "E_USAGE",
  /** Frame inference met inconsistent code: stack underflow, stack heights or kinds that differ at a join, jsr/ret left in. */
  FRAME: "E_FRAME",
  /** Code no path from the method entry reaches (reported by the CFG, kept as is). */
  UNREACHABLE: "W_UNREACHABLE",
  /** Control can run past the last instruction of a method (the verifier rejects it). */
  FALLS_OFF_END: "W_FALLS_OFF_END",
  /** No JDK was found, or it has no class image: JDK classes are missing from the hierarchy. */
  NO_JDK: "W_NO_JDK",
  /** A class file found under one name declares another; it is ignored. */
  CLASS_NAME: "W_CLASS_NAME",
  /** A class the frame computations needed was not found; a conservative fallback was used. */
  CLASS_MISSING: "W_CLASS_MISSING",
  /** A class is its own (indirect) super class; the chain is cut. */
  SUPER_CYCLE: "W_SUPER_CYCLE",
  /** A method over the size limit was left unchanged for a reason no more specific code names. */
  SPLIT_REFUSED: "W_SPLIT_REFUSED",
  /**
   * Refused: the writes of the class's own final fields, which only this `<init>`
   * or `<clinit>` may execute (class version 53+), take more bytes than the limit
   * at the least; the message and payload give the computed bound. No split fits.
   */
  REFUSED_FINAL_FIELDS: "W_REFUSED_FINAL_FIELDS",
  /** Refused: the code that must stay in the original method (before super(), final-field writes) did not fit with what the partition put beside it; no bound proves it impossible. */
  REFUSED_PINNED: "W_REFUSED_PINNED",
  /** Refused: one basic block is larger than the limit with its entries and exits. */
  REFUSED_BLOCK: "W_REFUSED_BLOCK",
  /** Refused: a region that cannot be cut (an uninitialized object or a held monitor across it, or a loop) is larger than the limit. */
  REFUSED_REGION: "W_REFUSED_REGION",
  /** Refused: the pieces would take the constant pool past 65,535 entries, and a helper class could not take them. */
  REFUSED_CONSTANT_POOL: "W_REFUSED_CONSTANT_POOL",
  /** Refused: the frames of the method cannot be computed (inconsistent code), so no cut can be typed. */
  REFUSED_FRAMES: "W_REFUSED_FRAMES",
  /** Refused: the method's code could not be decoded or rewritten; the message carries the input error's code. */
  REFUSED_BAD_CODE: "W_REFUSED_BAD_CODE",
  /** Refused: no partition fitted within the attempts made (pieces came out over the limit once encoded). */
  REFUSED_NO_FIT: "W_REFUSED_NO_FIT",
  /** Refused: the frames of the split would merge types whose super classes were not found (a class missing from the input, the classpath and the JDK). */
  REFUSED_MISSING_CLASS: "W_REFUSED_MISSING_CLASS",
  /** A known attribute whose content is malformed; it is kept as raw bytes. */
  ATTR_MALFORMED: "W_ATTR_MALFORMED",
  /** A mapping file declares a format version this reader does not know: a later number reads as 2.2, a word as unversioned. */
  MAPPING_VERSION: "W_MAPPING_VERSION",
  /** A split body's LocalVariable(Type)Table would have more than 65,535 entries; that optional debug table was left out of it (JVMS 4.7.13). */
  LOCALS_TABLE_DROPPED: "W_LOCALS_TABLE_DROPPED",
  /** A signed jar had classes changed; its signature files were removed. */
  SIGNATURE_REMOVED: "W_SIGNATURE_REMOVED",
} as const;

export type ErrorCode = (typeof ErrorCodes)[keyof typeof ErrorCodes];

/** Where a diagnostic applies. Every part is optional; the more the better. */
export interface Location {
  /** The bundle (jar, directory or file path). */
  bundle?: string;
  /** The entry inside the bundle (zip entry name or relative path). */
  entry?: string;
  /** The internal class name, when known. */
  className?: string;
  /** `name` + `descriptor` of the method, when known. */
  method?: string;
  /** Bytecode offset inside the method. */
  pc?: number;
  /** Byte offset inside the class file (or the zip archive). */
  offset?: number;
  /** Line in a text input (the assembler). */
  line?: number;
}

export type Severity = "error" | "warning";

export interface Diagnostic {
  code: ErrorCode;
  severity: Severity;
  message: string;
  location: Location;
}

/** The one exception type for bad input. Carries a diagnostic; never a bug. */
export class MegasplitError extends Error {
  readonly diagnostic: Diagnostic;
  constructor(code: ErrorCode, message: string, location: Location = {}, severity: Severity = "error") {
    super(`${code}: ${message}${formatLocationSuffix(location)}`);
    this.name = "MegasplitError";
    this.diagnostic = { code, severity, message, location };
  }
  get code(): ErrorCode {
    return this.diagnostic.code;
  }
  /** The same error with more location filled in (outer layers know the entry, the class...). */
  within(extra: Location): MegasplitError {
    return new MegasplitError(this.diagnostic.code, this.diagnostic.message, { ...extra, ...this.diagnostic.location }, this.diagnostic.severity);
  }
}

export function fail(code: ErrorCode, message: string, location: Location = {}): never {
  throw new MegasplitError(code, message, location);
}

export function warning(code: ErrorCode, message: string, location: Location = {}): Diagnostic {
  return { code, severity: "warning", message, location };
}

export function formatLocation(loc: Location): string {
  const parts: string[] = [];
  if (loc.bundle !== undefined) parts.push(loc.bundle);
  if (loc.entry !== undefined) parts.push(loc.entry);
  if (loc.className !== undefined) parts.push(`class ${loc.className}`);
  if (loc.method !== undefined) parts.push(`method ${loc.method}`);
  if (loc.pc !== undefined) parts.push(`pc ${loc.pc}`);
  if (loc.offset !== undefined) parts.push(`offset ${loc.offset}`);
  if (loc.line !== undefined) parts.push(`line ${loc.line}`);
  return parts.join(", ");
}

function formatLocationSuffix(loc: Location): string {
  const s = formatLocation(loc);
  return s ? ` (${s})` : "";
}

export function formatDiagnostic(d: Diagnostic): string {
  const where = formatLocation(d.location);
  return `${d.severity} ${d.code}: ${d.message}${where ? ` [${where}]` : ""}`;
}

/** Turns anything thrown while handling one input into a diagnostic, or rethrows a bug. */
export function asDiagnostic(e: unknown, where: Location): Diagnostic {
  if (e instanceof MegasplitError) return e.within(where).diagnostic;
  throw e;
}

/**
 * A bug inside megasplit: a broken invariant, never a problem of the input. Kept
 * apart from {@link MegasplitError} (the user channel) so that no catch meant for
 * bad input can turn a bug into a refusal; drivers report it with code
 * `E_INTERNAL` and a non-zero exit.
 */
export class InternalError extends Error {
  override name = "InternalError";
  readonly code = INTERNAL_ERROR_CODE;
}

/** The code an internal error is reported with (not in ErrorCodes: no input causes it). */
export const INTERNAL_ERROR_CODE = "E_INTERNAL";

/** The former name of {@link InternalError}, kept for callers and tests that match on it. */
export const AssertionError = InternalError;
export type AssertionError = InternalError;

/** Throws an {@link InternalError} when `cond` is false: an invariant of our own code. */
export function assert(cond: unknown, message = "assertion failed"): asserts cond {
  if (!cond) throw new InternalError(message);
}

/** Marks a case the types or invariants rule out; reaching it is a bug. */
export function unreachable(x: never, message = "unreachable"): never {
  throw new InternalError(`${message}: ${JSON.stringify(x)}`);
}

/** The message of a thrown value, for a diagnostic about the input it came from. */
export function thrownMessage(e: unknown): string {
  return e instanceof Error ? e.message : String(e);
}

/** The stack of a thrown value (else its message): what a report of a crash needs. */
export function thrownDetail(e: unknown): string {
  return e instanceof Error ? (e.stack ?? e.message) : String(e);
}

/** Throws an {@link InternalError}: for broken invariants that are not a simple condition. */
export function internalError(message: string): never {
  throw new InternalError(message);
}
