/**
 * The mapping file a split writes, in R8's mapping format (version 2.2): which
 * methods of a class are pieces of which original method, and which lines.
 *
 *   # {"id":"com.android.tools.r8.mapping","version":"2.2"}
 *   org.example.Big -> org.example.Big:
 *   # {"id":"sourceFile","fileName":"Big.java"}
 *       120:180:int run(int,java.lang.String):120:180 -> run$split$1
 *
 * A piece keeps the original line numbers, so each of its line ranges maps to the
 * same range of the original method; a retrace tool rewrites `run$split$1` frames
 * to `run` with the same line. Classes and members are listed in a fixed order, so
 * the same split gives the same file. (Removing piece and driver frames from a
 * retraced trace needs R8's outline markers; that is the retrace issue's work.)
 */
import { javaClassName, javaMethodParts } from "./java-names.js";

export interface PieceMapping {
  name: string;
  descriptor: string;
  /** Line ranges the piece's code carries (inclusive), ascending. */
  lines: { from: number; to: number }[];
}

export interface SplitMethodMapping {
  name: string;
  descriptor: string;
  pieces: PieceMapping[];
}

interface ClassEntry {
  sourceFile?: string;
  methods: SplitMethodMapping[];
}

export const MAPPING_HEADER = '# {"id":"com.android.tools.r8.mapping","version":"2.2"}';

export class MappingBuilder {
  private readonly classes = new Map<string, ClassEntry>();

  addSplit(internalClassName: string, sourceFile: string | undefined, method: SplitMethodMapping): void {
    let c = this.classes.get(internalClassName);
    if (!c) {
      c = { methods: [], ...(sourceFile !== undefined ? { sourceFile } : {}) };
      this.classes.set(internalClassName, c);
    }
    c.methods.push(method);
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
      for (const m of c.methods) {
        const { returnType, args } = javaMethodParts(m.descriptor);
        for (const p of m.pieces) {
          if (p.lines.length === 0) out.push(`    ${returnType} ${m.name}(${args}) -> ${p.name}`);
          for (const r of p.lines) out.push(`    ${r.from}:${r.to}:${returnType} ${m.name}(${args}):${r.from}:${r.to} -> ${p.name}`);
        }
      }
    }
    return out.join("\n") + "\n";
  }
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
