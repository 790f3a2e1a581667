/**
 * Retracing as a library call: mapping files (R8 format 2.2, as `split` writes
 * them, or R8's and ProGuard's own) into an index, and stack traces of split code
 * back into the original program's (see `runtime/retrace/`). Cost: linear in the
 * mapping text, then linear in the trace.
 */
import type { Diagnostic } from "../diagnostics.js";
import { MappingIndex } from "../../runtime/retrace/mapping-index.js";
import { readMapping } from "../../runtime/retrace/read-mapping.js";

/**
 * An index over mapping texts, read in order (a class mapped twice merges its
 * members); a malformed line throws a MegasplitError (E_MAPPING_SYNTAX) with its
 * line. Warnings (an unknown format version) go to `warnings` when given.
 */
export function mappingIndex(texts: string | readonly string[], warnings?: Diagnostic[]): MappingIndex {
  const index = new MappingIndex();
  for (const text of typeof texts === "string" ? [texts] : texts) {
    const r = readMapping(text);
    index.add(r.mapping);
    warnings?.push(...r.warnings);
  }
  return index;
}
