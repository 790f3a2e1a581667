/**
 * The mapping file a split writes, in R8's mapping format (version 2.2), so that
 * R8's retrace, ProGuard's ReTrace and `megasplit retrace` read split stack traces
 * as the original method's.
 *
 *   # {"id":"com.android.tools.r8.mapping","version":"2.2"}
 *   org.example.Big -> org.example.Big:
 *   # {"id":"sourceFile","fileName":"Big.java"}
 *       120:180:int run(int):120:180 -> run
 *       9001:9001:int run(int):0:0 -> run
 *       # {"id":"com.android.tools.r8.outlineCallsite","positions":{},"outline":"Lorg/example/Big;run$split$1(I[I)I"}
 *       120:180:int run(int):120:180 -> run$split$1
 *       # {"id":"com.android.tools.r8.outline"}
 *
 * Every line keeps its number in the split code, so every method the split wrote
 * (the driver under the original name, pieces, dispatchers, outlined regions) maps
 * the original method's span, its first to its last line, to the same lines of the
 * original method. Pieces, dispatchers and regions are outlines: a retrace removes
 * their frames. Each call into one sits at a synthetic line above every real line
 * of the class, marked as an outline call site with empty positions: a retracer
 * carries the outline's position to the caller through `positions`, and one the
 * map does not list stays as it is (R8: `OutlineCallsiteMappingInformation.
 * rewritePosition`; `megasplit retrace` the same; ProGuard's ReTrace skips comment
 * lines), so the caller is asked for a line of the method, which its span maps.
 * A span also holds lines of the source the method does not have: a frame can
 * only show those if another method has the same name, and piece names are fresh
 * in the class; a driver whose name another split method of the class has (two
 * overloads, two constructors) lists each line it has instead, as consecutive
 * runs, so that the two never overlap. The file is linear in pieces and call
 * sites (listing each callee's lines at every call site, and each method's and
 * its callees' lines on each method, made it grow with pieces times lines: 83 MB
 * for a 1 MB generated method). Pieces that live in a helper class are listed
 * under that class, as methods moved there from the original one (R8 names the
 * original method with its class, `void org.example.Big.run(int)`), and the
 * outline call sites name them in the helper. Classes and members are listed in a
 * fixed order, so the same split gives the same file.
 */
import { javaClassName, javaMethodParts } from "./java-names.js";

export interface GeneratedMethod {
  name: string;
  descriptor: string;
  /** Original source lines its own code carries. */
  lines: number[];
}

export interface MappedCallSite {
  caller: string;
  line: number;
  callee: string;
  calleeDescriptor: string;
}

export interface SplitMethodMapping {
  /** The original method (and driver) name and descriptor. */
  name: string;
  descriptor: string;
  driverLines: number[];
  /** Pieces, dispatchers and regions: all outlines. */
  pieces: GeneratedMethod[];
  callSites: MappedCallSite[];
  /** Lines at or above this are synthetic call-site lines. */
  syntheticBase: number;
  /** Internal name of the class holding the pieces, when not the original class. */
  pieceClass?: string;
}

interface ClassEntry {
  sourceFile?: string;
  /** Split methods of this class, and (`moved`) those whose pieces this class holds. */
  methods: { owner: string; method: SplitMethodMapping; part: "all" | "driver" | "pieces" }[];
}

export const MAPPING_HEADER = '# {"id":"com.android.tools.r8.mapping","version":"2.2"}';

export class MappingBuilder {
  private readonly classes = new Map<string, ClassEntry>();

  addSplit(internalClassName: string, sourceFile: string | undefined, method: SplitMethodMapping): void {
    const entry = (name: string) => {
      let c = this.classes.get(name);
      if (!c) {
        c = { methods: [], ...(sourceFile !== undefined ? { sourceFile } : {}) };
        this.classes.set(name, c);
      }
      return c;
    };
    if (method.pieceClass === undefined || method.pieceClass === internalClassName) {
      entry(internalClassName).methods.push({ owner: internalClassName, method, part: "all" });
    } else {
      entry(internalClassName).methods.push({ owner: internalClassName, method, part: "driver" });
      entry(method.pieceClass).methods.push({ owner: internalClassName, method, part: "pieces" });
    }
  }

  get isEmpty(): boolean {
    return this.classes.size === 0;
  }

  toString(): string {
    const out: string[] = [MAPPING_HEADER];
    for (const name of [...this.classes.keys()].sort()) {
      const c = this.classes.get(name)!;
      const java = javaClassName(name);
      out.push(`${java} -> ${java}:`);
      if (c.sourceFile !== undefined) out.push(`# ${JSON.stringify({ id: "sourceFile", fileName: c.sourceFile })}`);
      // Drivers keep the original names: overloads split in the same class share one.
      const drivers = new Map<string, number>();
      for (const m of c.methods) if (m.part !== "pieces") drivers.set(m.method.name, (drivers.get(m.method.name) ?? 0) + 1);
      for (const m of c.methods) {
        const shared = m.part !== "pieces" && drivers.get(m.method.name)! > 1;
        for (const l of methodLines(m.owner, m.method, m.part, shared)) out.push(l); // not push(...): a split of thousands of pieces has more lines than call arguments may be
      }
    }
    return out.join("\n") + "\n";
  }
}

/**
 * The lines of one split method: its driver (unless `part` is "pieces") with each
 * line of the method when `sharedName` (another split method of the class has its
 * name), else with the method's span; its outlines (unless `part` is "driver") with
 * the span; every call site with no positions.
 */
function methodLines(className: string, m: SplitMethodMapping, part: "all" | "driver" | "pieces", sharedName: boolean): string[] {
  const { returnType, args } = javaMethodParts(m.descriptor);
  // Members listed under a helper class name their original class (a moved method).
  const original = part === "pieces" ? `${returnType} ${javaClassName(className)}.${m.name}(${args})` : `${returnType} ${m.name}(${args})`;
  const calleeClass = m.pieceClass ?? className;
  // The lines of the original method the split kept: the driver's and the pieces' (every piece is reached from the driver).
  const lines: number[] = [];
  let first = Infinity;
  let last = -Infinity;
  for (const own of [m.driverLines, ...m.pieces.map((p) => p.lines)]) {
    for (const l of own) {
      if (l <= 0 || l >= m.syntheticBase) continue;
      lines.push(l);
      if (l < first) first = l;
      if (l > last) last = l;
    }
  }
  const span = lines.length > 0 ? [{ from: first, to: last }] : [];
  // Call sites by caller, in line order (one pass: a method with thousands of pieces has thousands of callers).
  const sitesBy = new Map<string, MappedCallSite[]>();
  for (const c of m.callSites) {
    let sites = sitesBy.get(c.caller);
    if (!sites) sitesBy.set(c.caller, (sites = []));
    sites.push(c);
  }
  for (const sites of sitesBy.values()) sites.sort((a, b) => a.line - b.line);
  const out: string[] = [];
  const emit = (name: string, ranges: { from: number; to: number }[], outline: boolean) => {
    if (ranges.length === 0) out.push(`    ${original} -> ${name}`);
    for (const r of ranges) out.push(`    ${r.from}:${r.to}:${original}:${r.from}:${r.to} -> ${name}`);
    if (outline) out.push(`    # ${JSON.stringify({ id: "com.android.tools.r8.outline" })}`);
    for (const c of sitesBy.get(name) ?? []) {
      out.push(`    ${c.line}:${c.line}:${original}:0:0 -> ${name}`);
      // Empty positions: an outline's position is the caller's (see the file's comment).
      out.push(`    # {"id":"com.android.tools.r8.outlineCallsite","positions":{},"outline":${JSON.stringify(`L${calleeClass};${c.callee}${c.calleeDescriptor}`)}}`);
    }
  };
  if (part !== "pieces") emit(m.name, sharedName ? lineRanges(lines) : span, false);
  if (part !== "driver") for (const p of m.pieces) emit(p.name, span, true);
  return out;
}

/** Sorted distinct lines folded into inclusive ranges of consecutive numbers (O(n log n), a typed-array sort). */
export function lineRanges(lines: Iterable<number>): { from: number; to: number }[] {
  const sorted = Float64Array.from(lines).sort();
  const out: { from: number; to: number }[] = [];
  for (const l of sorted) {
    const last = out[out.length - 1];
    if (last && l <= last.to + 1) last.to = l; // sorted: l >= last.to (equal: a repeated line)
    else out.push({ from: l, to: l });
  }
  return out;
}
