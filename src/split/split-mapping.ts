/**
 * The mapping rows of one split class: every method the split changed, with its
 * pieces, call sites and the helper class holding them, added to a
 * {@link MappingBuilder} (runtime/mapping.ts writes them in R8's format 2.2).
 * Shared by every driver that splits classes (bundles, the library API), so the
 * same split always gives the same mapping. Cost: linear in the reports.
 */
import { findAttribute } from "../classfile/model.js";
import type { MappingBuilder, SplitMethodMapping } from "../../runtime/mapping.js";
import type { ClassSplit } from "./split-class.js";

/** One mapping row: the arguments of `MappingBuilder.addSplit`, in order (plain data, so it can cross threads). */
export type MappingRow = [className: string, sourceFile: string | undefined, method: SplitMethodMapping];

/** The mapping rows of `split` (a changed class): one per method the split changed. */
export function mappingRowsOf(split: ClassSplit): MappingRow[] {
  const out = split.classFile;
  const sf = findAttribute(out.attributes, "SourceFile");
  const sourceFile = sf ? out.constantPool.utf8(sf.sourceFileIndex) : undefined;
  const className = out.constantPool.className(out.thisClass);
  const rows: MappingRow[] = [];
  for (const r of split.reports) {
    if (r.result.kind !== "split") continue;
    const paren = r.method.indexOf("(");
    rows.push([
      className,
      sourceFile,
      {
        name: r.method.slice(0, paren),
        descriptor: r.method.slice(paren),
        driverLines: r.result.driverLines,
        pieces: r.result.pieces.map((p) => ({ name: p.name, descriptor: p.descriptor, lines: p.lines })),
        callSites: r.result.callSites,
        syntheticBase: split.syntheticBase,
        ...(r.pieceClass !== undefined ? { pieceClass: r.pieceClass } : {}),
      },
    ]);
  }
  return rows;
}

/** Adds the split methods of `split` (a changed class) to `mapping`. */
export function addClassSplitToMapping(mapping: MappingBuilder, split: ClassSplit): void {
  for (const [className, sourceFile, method] of mappingRowsOf(split)) mapping.addSplit(className, sourceFile, method);
}
