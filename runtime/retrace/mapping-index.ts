/**
 * Several mapping files combined into one index for retracing: residual class name
 * -> class, then residual method name -> frame groups, then line -> the groups whose
 * residual range holds it.
 *
 * A frame group is what one residual position means: consecutive method lines with
 * the same residual name and residual range, the first non-cardinal and the rest
 * cardinal (`:c`), are one inlined stack, innermost first (R8's reader starts a new
 * member on exactly those conditions). Files are combined in order: a class that a
 * later file maps again keeps its original name and gains the later members (and a
 * sourceFile if it had none), so mapping files of several splits (several jars) can be
 * given together. Lookup by line is a binary search over the groups of one name
 * sorted by range start, with a running maximum of range ends so overlapping
 * (ambiguous) ranges are all found: O(log n + answers) after an O(n log n) sort that
 * happens once per name, on its first lookup.
 */
import type { ClassMapping, LineRange, MappedRange, MappingFile } from "./model.js";

export interface FrameGroup {
  /** Residual range shared by the frames; absent for method lines without line numbers. */
  minified?: LineRange;
  /** Innermost first; the last is the method the residual code belongs to. */
  frames: MappedRange[];
  /** Position in the combined files, for answers in file order. */
  order: number;
}

interface NameEntry {
  groups: FrameGroup[];
  /** Groups with a residual range, by range start (built on first lookup). */
  sorted?: FrameGroup[];
  maxTo?: Int32Array;
  outline?: boolean;
}

export interface IndexedClass {
  originalName: string;
  residualName: string;
  sourceFile?: string;
  synthesized: boolean;
  methods: Map<string, NameEntry>;
}

export class MappingIndex {
  private readonly classes = new Map<string, IndexedClass>();
  private groupCount = 0;

  constructor(files: Iterable<MappingFile> = []) {
    for (const f of files) this.add(f);
  }

  /** Adds one file's classes after those already indexed. */
  add(file: MappingFile): this {
    for (const c of file.classes) this.addClass(c);
    return this;
  }

  get classCount(): number {
    return this.classes.size;
  }

  classOf(residualName: string): IndexedClass | undefined {
    return this.classes.get(residualName);
  }

  /** Whether any line of the residual method carries the outline marker: the spec marks methods, not lines. */
  isOutline(cls: IndexedClass, residualName: string): boolean {
    const e = cls.methods.get(residualName);
    if (!e) return false;
    e.outline ??= e.groups.some((g) => g.frames.some((r) => r.info.outline));
    return e.outline;
  }

  /** Every frame group of a residual method name, in file order. */
  groupsOf(cls: IndexedClass, residualName: string): readonly FrameGroup[] {
    return cls.methods.get(residualName)?.groups ?? [];
  }

  /** The groups of a residual method whose residual range holds `line`, in file order. */
  groupsAt(cls: IndexedClass, residualName: string, line: number): FrameGroup[] {
    const e = cls.methods.get(residualName);
    if (!e) return [];
    if (!e.sorted) index(e);
    const sorted = e.sorted!;
    const maxTo = e.maxTo!;
    // Last group starting at or before line; then walk back while some earlier range may still reach it.
    let lo = 0;
    let hi = sorted.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (sorted[mid]!.minified!.from <= line) lo = mid + 1;
      else hi = mid;
    }
    const out: FrameGroup[] = [];
    for (let i = lo - 1; i >= 0 && maxTo[i]! >= line; i--) if (sorted[i]!.minified!.to >= line) out.push(sorted[i]!);
    if (out.length > 1) out.sort((a, b) => a.order - b.order);
    return out;
  }

  private addClass(c: ClassMapping): void {
    let ic = this.classes.get(c.residualName);
    if (!ic) {
      ic = { originalName: c.originalName, residualName: c.residualName, synthesized: c.synthesized, methods: new Map() };
      if (c.sourceFile !== undefined) ic.sourceFile = c.sourceFile;
      this.classes.set(c.residualName, ic);
    } else {
      if (ic.sourceFile === undefined && c.sourceFile !== undefined) ic.sourceFile = c.sourceFile;
      ic.synthesized ||= c.synthesized;
    }
    let prev: MappedRange | undefined;
    let group: FrameGroup | undefined;
    for (const r of c.methods) {
      const continues =
        group !== undefined &&
        prev !== undefined &&
        prev.residualName === r.residualName &&
        r.minified !== undefined &&
        prev.minified !== undefined &&
        prev.minified.from === r.minified.from &&
        prev.minified.to === r.minified.to &&
        r.original?.cardinal === true;
      if (continues) group!.frames.push(r);
      else {
        group = { frames: [r], order: this.groupCount++ };
        if (r.minified) group.minified = r.minified;
        let e = ic.methods.get(r.residualName);
        if (!e) ic.methods.set(r.residualName, (e = { groups: [] }));
        e.groups.push(group);
        e.sorted = undefined;
        e.outline = undefined;
      }
      prev = r;
    }
  }
}

function index(e: NameEntry): void {
  const sorted = e.groups.filter((g) => g.minified !== undefined).sort((a, b) => a.minified!.from - b.minified!.from);
  const maxTo = new Int32Array(sorted.length);
  let m = -1;
  sorted.forEach((g, i) => (maxTo[i] = m = Math.max(m, g.minified!.to)));
  e.sorted = sorted;
  e.maxTo = maxTo;
}
