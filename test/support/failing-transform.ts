/**
 * A per-class transform for the parallel tests: re-encodes every class except
 * those whose entry name contains `options.failOn`, for which it throws a
 * MegasplitError (bad input, so one diagnostic and the entry kept as it is).
 */
import { reencodeClassBytes } from "../../src/bytecode/reencode-class.js";
import { ErrorCodes, MegasplitError, type Diagnostic, type Location } from "../../src/diagnostics.js";

export function reencodeUnlessNamed(data: Uint8Array, context: { where: Location; options: { failOn: string }; diagnostics: Diagnostic[] }): Uint8Array | undefined {
  const entry = context.where.entry ?? "";
  if (entry.includes(context.options.failOn)) throw new MegasplitError(ErrorCodes.BAD_OPERAND, "refused by the test transform", context.where);
  if (entry.endsWith("package-info.class")) return undefined;
  return reencodeClassBytes(data, context);
}
