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
 *       # {"id":"com.android.tools.r8.outlineCallsite","positions":{"120":120,...},"outline":"Lorg/example/Big;run$split$1(I[I)I"}
 *       120:150:int run(int):120:150 -> run$split$1
 *       # {"id":"com.android.tools.r8.outline"}
 *
 * Every method the split wrote (the driver under the original name, pieces,
 * dispatchers, outlined regions) maps the original method's lines it can show to
 * the same lines of the original method: its own code's lines and, since a
 * retrace carries a removed callee's line to its caller, those of everything it
 * calls. Pieces, dispatchers and regions are outlines: a retrace removes their
 * frames. Each call into one sits at a synthetic line above every real line of
 * the class, marked as an outline call site whose positions map the callee's
 * lines to the caller's (the same numbers). Pieces that live in a helper class
 * are listed under that class, as methods moved there from the original one
 * (R8 names the original method with its class, `void org.example.Big.run(int)`),
 * and the outline call sites name them in the helper. Classes and members are
 * listed in a fixed order, so the same split gives the same file.
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
      for (const m of c.methods) for (const l of methodLines(m.owner, m.method, m.part)) out.push(l); // not push(...): a split of thousands of pieces has more lines than call arguments may be
    }
    return out.join("\n") + "\n";
  }
}

function methodLines(className: string, m: SplitMethodMapping, part: "all" | "driver" | "pieces"): string[] {
  const { returnType, args } = javaMethodParts(m.descriptor);
  // Members listed under a helper class name their original class (a moved method).
  const original = part === "pieces" ? `${returnType} ${javaClassName(className)}.${m.name}(${args})` : `${returnType} ${m.name}(${args})`;
  const calleeClass = m.pieceClass ?? className;
  const real = (lines: number[]) => lines.filter((l) => l > 0 && l < m.syntheticBase);
  const own = new Map<string, number[]>([[m.name, real(m.driverLines)]]);
  for (const p of m.pieces) own.set(p.name, real(p.lines));
  // Lines a method can show after a retrace: its own and, through calls, its callees'.
  const reach = new Map<string, Set<number>>();
  const calls = new Map<string, string[]>();
  // Call sites by caller, in line order (one pass: a method with thousands of pieces has thousands of callers).
  const sitesBy = new Map<string, MappedCallSite[]>();
  for (const c of m.callSites) {
    let callees = calls.get(c.caller);
    if (!callees) calls.set(c.caller, (callees = []));
    callees.push(c.callee);
    let sites = sitesBy.get(c.caller);
    if (!sites) sitesBy.set(c.caller, (sites = []));
    sites.push(c);
  }
  for (const sites of sitesBy.values()) sites.sort((a, b) => a.line - b.line);
  // A callee's positions as JSON text, once per callee (the same callee may have many call sites).
  const positionsText = new Map<string, string>();
  const positionsOf = (callee: string): string => {
    let text = positionsText.get(callee);
    if (text === undefined) {
      const lines = [...reachOf(callee)].sort((a, b) => a - b);
      text = `{${lines.map((l) => `"${l}":${l}`).join(",")}}`;
      positionsText.set(callee, text);
    }
    return text;
  };
  const reachOf = (name: string, visiting = new Set<string>()): Set<number> => {
    const known = reach.get(name);
    if (known) return known;
    const set = new Set(own.get(name) ?? []);
    visiting.add(name);
    for (const callee of calls.get(name) ?? []) if (!visiting.has(callee)) for (const l of reachOf(callee, visiting)) set.add(l);
    visiting.delete(name);
    reach.set(name, set);
    return set;
  };
  const out: string[] = [];
  const emit = (name: string, outline: boolean) => {
    const ranges = lineRanges(reachOf(name));
    if (ranges.length === 0) out.push(`    ${original} -> ${name}`);
    for (const r of ranges) out.push(`    ${r.from}:${r.to}:${original}:${r.from}:${r.to} -> ${name}`);
    if (outline) out.push(`    # ${JSON.stringify({ id: "com.android.tools.r8.outline" })}`);
    for (const c of sitesBy.get(name) ?? []) {
      out.push(`    ${c.line}:${c.line}:${original}:0:0 -> ${name}`);
      // What JSON.stringify gives for { id, positions, outline }: integer keys in ascending order.
      const outline = JSON.stringify(`L${calleeClass};${c.callee}${c.calleeDescriptor}`);
      out.push(`    # {"id":"com.android.tools.r8.outlineCallsite","positions":${positionsOf(c.callee)},"outline":${outline}}`);
    }
  };
  if (part !== "pieces") emit(m.name, false);
  if (part !== "driver") for (const p of m.pieces) emit(p.name, true);
  return out;
}

/** Sorted distinct lines folded into inclusive ranges of consecutive numbers. */
export function lineRanges(lines: Iterable<number>): { from: number; to: number }[] {
  const sorted = [...new Set(lines)].sort((a, b) => a - b);
  const out: { from: number; to: number }[] = [];
  for (const l of sorted) {
    const last = out[out.length - 1];
    if (last && l === last.to + 1) last.to = l;
    else out.push({ from: l, to: l });
  }
  return out;
}
