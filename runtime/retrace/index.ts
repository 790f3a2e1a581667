/**
 * Reading R8 mapping files (format 2.2) and retracing stack traces with them: the
 * public surface of `runtime/retrace/`. See `read-mapping.ts` for the file format,
 * `retracer.ts` for the retrace semantics, `stream.ts` for streaming.
 */
import { readFileSync } from "node:fs";
import { ErrorCodes, MegasplitError, type Diagnostic } from "../../src/diagnostics.js";
import { MappingIndex } from "./mapping-index.js";
import { readMapping } from "./read-mapping.js";

export { parseJson, JsonSyntaxError, type JsonMode, type JsonValue } from "./json.js";
export type { ClassMapping, FieldMapping, LineRange, MappedRange, MappingFile, OriginalRange, OutlineCallsite, RangeInfo, RewriteFrame } from "./model.js";
export { originalLineOf } from "./model.js";
export { readMapping, type ReadMappingOptions, type ReadMappingResult } from "./read-mapping.js";
export { MappingIndex, type FrameGroup, type IndexedClass } from "./mapping-index.js";
export { parseTraceLine, type TraceLine, type FrameLine, type ExceptionLine, type MoreLine } from "./trace-line.js";
export { Retracer, retraceText, type RetraceOptions } from "./retracer.js";
export { retraceLines, retraceStream, linesOf, type RetraceStreamResult } from "./stream.js";

/** Reads mapping files in order and combines them; a file that cannot be read or parsed throws a MegasplitError. */
export function loadMappings(paths: readonly string[]): { index: MappingIndex; warnings: Diagnostic[] } {
  const index = new MappingIndex();
  const warnings: Diagnostic[] = [];
  for (const path of paths) {
    let text: string;
    try {
      text = readFileSync(path, "utf8");
    } catch (e) {
      throw new MegasplitError(ErrorCodes.IO, `cannot read mapping: ${(e as Error).message}`, { bundle: path });
    }
    const r = readMapping(text, { source: path });
    index.add(r.mapping);
    warnings.push(...r.warnings);
  }
  return { index, warnings };
}
